//! From the bytes of a saved page to clean lines of text.
//!
//! Both kinds of input end up as the same thing: the lines a reader sees,
//! in reading order. HTML is parsed with `scraper` (html5ever, the HTML5
//! parsing algorithm browsers use, so broken markup is repaired the way a
//! browser would) and flattened block by block, skipping scripts, styles,
//! navigation, headers and footers. Text saved from a browser is already
//! that. Then the scraping artefacts are repaired ([`crate::clean`]).

use scraper::{ElementRef, Html, Node};

use crate::clean;
use crate::PageError;

/// Elements whose content is never page text.
const SKIPPED: [&str; 10] =
    ["script", "style", "noscript", "nav", "header", "footer", "svg", "template", "head", "form"];

/// Elements that start a new line.
const BLOCKS: [&str; 29] = [
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "dt",
    "dd",
    "dl",
    "section",
    "article",
    "main",
    "aside",
    "table",
    "br",
    "hr",
    "blockquote",
    "pre",
    "label",
    "figcaption",
    "title",
];

/// Decodes a saved page. Pages are UTF-8 (with or without BOM); anything
/// else is reported, not guessed at.
pub fn decode(bytes: &[u8]) -> Result<&str, PageError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|e| PageError::Unreadable(format!("not UTF-8 text (invalid byte at offset {})", e.valid_up_to())))?;
    if text.contains('\0') {
        return Err(PageError::Unreadable("binary content (NUL bytes), not a page".into()));
    }
    if text.trim().is_empty() {
        return Err(PageError::Unreadable("the page is empty".into()));
    }
    Ok(text)
}

/// True when the text is markup rather than text saved from a browser.
pub fn is_html(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(512).collect::<String>().to_ascii_lowercase();
    head.starts_with('<')
        && ["<html", "<!doctype html", "<body", "<div", "<p", "<h1", "<main"].iter().any(|t| head.contains(t))
}

/// The raw lines of a page, HTML or text, before cleaning.
pub fn raw_lines(text: &str) -> Vec<String> {
    if is_html(text) {
        html_lines(text)
    } else {
        text.lines().map(str::to_string).collect()
    }
}

fn html_lines(markup: &str) -> Vec<String> {
    let document = Html::parse_document(markup);
    let mut out = LineBuilder::default();
    flatten(document.root_element(), &mut out);
    out.finish()
}

#[derive(Default)]
struct LineBuilder {
    lines: Vec<String>,
    current: String,
}

impl LineBuilder {
    fn text(&mut self, text: &str) {
        for word in text.split_whitespace() {
            if !self.current.is_empty() && !self.current.ends_with(' ') {
                self.current.push(' ');
            }
            self.current.push_str(word);
        }
        if text.ends_with(char::is_whitespace) && !self.current.is_empty() {
            self.current.push(' ');
        }
    }

    fn break_line(&mut self) {
        let line = self.current.trim().to_string();
        if !line.is_empty() {
            self.lines.push(line);
        }
        self.current.clear();
    }

    fn finish(mut self) -> Vec<String> {
        self.break_line();
        self.lines
    }
}

fn flatten(element: ElementRef<'_>, out: &mut LineBuilder) {
    let name = element.value().name();
    if SKIPPED.contains(&name) || is_citation_marker(element) {
        return;
    }
    let block = BLOCKS.contains(&name);
    if block {
        out.break_line();
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.text(text),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    flatten(child, out);
                }
            }
            _ => {}
        }
    }
    if block {
        out.break_line();
    }
}

/// `<sup>12</sup>`, `<sup>[3, 4]</sup>`: footnote markers, which scraped
/// text glues to the next sentence ("23567Research shows").
fn is_citation_marker(element: ElementRef<'_>) -> bool {
    let text: String = element.text().collect();
    element.value().name() == "sup"
        && text.chars().any(|c| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_digit() || ",-–[] ".contains(c))
}

/// Cleans raw lines: bullets, citation runs, glued words, headings glued to
/// sentences, blank lines and immediate repeats.
pub fn clean_lines(raw: &[String], is_heading: impl Fn(&str) -> bool) -> Vec<String> {
    let vocabulary = clean::Vocabulary::of(&raw.join("\n"));
    let mut lines: Vec<String> = Vec::with_capacity(raw.len());
    for line in raw {
        let line = clean::strip_citation_runs(clean::strip_bullet(line));
        let line = clean::unglue_words(&line, &vocabulary);
        for part in clean::split_glued_heading(&line, &is_heading) {
            let part = part.trim().to_string();
            if !part.is_empty() {
                lines.push(part);
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_flattens_to_reading_order_lines() {
        let html = "<html><head><title>x</title><script>var a=1;</script></head><body><nav>Home | Trials</nav>\
                    <h1>A  trial</h1><dl><dt>Phase</dt><dd>Phase 2</dd></dl><p>Some <b>bold</b> text</p></body></html>";
        assert_eq!(raw_lines(html), ["A trial", "Phase", "Phase 2", "Some bold text"]);
    }

    #[test]
    fn broken_markup_is_repaired_not_rejected() {
        let html = "<html><body><div><p>Status:<p>Recruiting</div></span><li>Phase 3";
        assert_eq!(raw_lines(html), ["Status:", "Recruiting", "Phase 3"]);
    }

    #[test]
    fn undecodable_pages_are_reported() {
        assert!(decode(b"\xff\xfe\x00a").is_err());
        assert!(decode(b"   \n").is_err());
        assert_eq!(decode(b"\xEF\xBB\xBFhello").ok(), Some("hello"));
    }
}
