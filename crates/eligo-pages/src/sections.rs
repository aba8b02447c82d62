//! Lines → labelled sections.
//!
//! Listing services render a trial as a sequence of labels, each followed by
//! its value: on the same line (`Sponsor: Peking Union ...`) or on the lines
//! after it (`Conditions` / `Autoimmune Diseases`). Given the labels of a
//! layout, [`split`] cuts the page at every label; what comes before the
//! first label is the preamble (title, sponsor logo, navigation).

/// A label of a layout and the field its value fills.
pub type Label<F> = (&'static str, F);

/// One labelled part of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Section<F> {
    /// `None` for the preamble.
    pub field: Option<F>,
    /// The label line as written ("110 participants in 2 patient groups").
    pub heading: String,
    /// The value after `Label:` on the label's own line.
    pub inline: Option<String>,
    pub body: Vec<String>,
}

impl<F> Section<F> {
    /// The value: inline text, else the first body line.
    pub fn value(&self) -> Option<&str> {
        self.inline.as_deref().or(self.body.first().map(String::as_str)).filter(|v| !v.is_empty())
    }

    /// Inline value and body lines together.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.inline.iter().chain(self.body.iter()).map(String::as_str)
    }
}

/// The lookup form of a label: lower case, single spaces, no trailing
/// colon or question mark; a leading count is dropped
/// ("110 participants in 2 patient groups" → "participants in patient groups").
pub fn label_key(line: &str) -> String {
    let line = line.trim().trim_end_matches([':', '?', ' ']);
    let counted = line.starts_with(|c: char| c.is_ascii_digit());
    let words = line
        .split_whitespace()
        .filter(|w| !(counted && w.chars().all(|c| c.is_ascii_digit())))
        .map(str::to_lowercase)
        .collect::<Vec<_>>();
    words.join(" ")
}

/// The field a line is the label of, and its inline value.
fn match_label<F: Copy>(line: &str, labels: &[Label<F>]) -> Option<(F, Option<String>)> {
    let key = label_key(line);
    if let Some((_, field)) = labels.iter().find(|(label, _)| *label == key) {
        return Some((*field, None));
    }
    let (head, value) = line.split_once(':')?;
    let head_key = label_key(head);
    let value = value.trim();
    labels
        .iter()
        .find(|(label, _)| *label == head_key)
        .filter(|_| !value.is_empty())
        .map(|(_, field)| (*field, Some(value.to_string())))
}

/// True when `line` is one of `labels`.
pub fn is_label<F: Copy>(line: &str, labels: &[Label<F>]) -> bool {
    match_label(line, labels).is_some()
}

/// Cuts `lines` at every label.
pub fn split<F: Copy>(lines: &[String], labels: &[Label<F>]) -> Vec<Section<F>> {
    let mut sections = vec![Section { field: None, heading: String::new(), inline: None, body: Vec::new() }];
    for line in lines {
        match match_label(line, labels) {
            Some((field, inline)) => {
                sections.push(Section { field: Some(field), heading: line.clone(), inline, body: Vec::new() })
            }
            None => {
                if let Some(current) = sections.last_mut() {
                    current.body.push(line.clone());
                }
            }
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cut_the_page_with_inline_and_following_values() {
        let labels: &[Label<u8>] = &[("sponsor", 1), ("conditions", 2), ("participants in patient groups", 3)];
        let lines: Vec<String> =
            ["Title", "Sponsor: Acme", "Conditions", "Lupus", "Asthma", "110 participants in 2 patient groups"]
                .map(String::from)
                .to_vec();
        let sections = split(&lines, labels);
        assert_eq!(sections.len(), 4);
        assert_eq!(sections[0].body, ["Title"]);
        assert_eq!((sections[1].field, sections[1].value()), (Some(1), Some("Acme")));
        assert_eq!(sections[2].body, ["Lupus", "Asthma"]);
        assert_eq!(sections[3].heading, "110 participants in 2 patient groups");
    }

    #[test]
    fn label_keys_ignore_case_colons_and_counts() {
        assert_eq!(label_key("Accepts Healthy Volunteers?"), "accepts healthy volunteers");
        assert_eq!(label_key("Study Start date:"), "study start date");
        assert_eq!(label_key("Phase 4"), "phase 4");
    }
}
