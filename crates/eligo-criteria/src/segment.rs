//! Segmentation: a trial's free-text eligibility section → sections and single criteria.
//!
//! [`segment`] reads the text the way registries write it and returns one [`Segment`] per
//! criterion, in text order, each tagged with its [`Section`], its sub-heading (if any), the
//! bullet or number it was written with, and a link to its parent item when it is a sub-item.
//!
//! # What is recognised
//!
//! * **Section headings** in any case or form: `Inclusion Criteria:`, `INCLUSION CRITERIA`,
//!   `Key Exclusion Criteria`, `Exclusion criteria include:`, `Inclusion criteria for patients:`,
//!   `-INCLUSION CRITERIA:` (a heading written as a bullet). An unmarked lead-in sentence that
//!   ends with a colon and speaks of exclusion or eligibility (`Patients will be excluded if any
//!   of the following apply:`) also switches the section. `Inclusion and exclusion criteria:`
//!   and `Eligibility Criteria:` set [`Section::Unspecified`]. Text after the colon of a heading
//!   (`Inclusion Criteria: Age 18 or over`) is a criterion.
//! * **Markers** at the start of a line: bullets `-`, `--`, `*`, `•`, `·`, `o`, `●`, `▪`, `–`, ...
//!   and numbering `1.`, `1)`, `(1)`, `a)`, `a.`, `(a)`, `i.`, `(ii)`, `A.`. A marker with nothing
//!   after it (`-` alone on a line) is dropped.
//! * **Hard-wrapped text** (the legacy ClinicalTrials.gov layout, indented and wrapped at 99
//!   columns): continuation lines are joined to the item above. [`Segment::text`] has every run
//!   of white space replaced by one space; the offsets still point into the original text.
//! * **Sub-headings** (`DISEASE CHARACTERISTICS:`, `PATIENT CHARACTERISTICS:`, `Hepatic:`,
//!   `Patients must have:`): an unmarked short line ending with a colon, or a line in capitals.
//!   A heading is never a criterion; it is kept as [`Segment::heading`] of the criteria under
//!   it. Capitalised headings are outer ones, others inner (`PATIENT CHARACTERISTICS > Hepatic`).
//!   A capitalised heading followed by text on the same line (`PRIOR CONCURRENT THERAPY: At
//!   least 4 weeks since ...`) is split into heading and criterion, and legacy NCI run-on
//!   paragraphs (`Age: Any age Performance status: ECOG 0-1 Hepatic: Bilirubin ...`) are split
//!   at their standard labels, each `Label: value` being a criterion.
//! * **Nesting**: an item indented deeper than the item above, or written with a different
//!   marker right after an item that ends with a colon, is a sub-item. **Sub-items are separate
//!   segments** whose [`Segment::parent`] is the index of the parent item's segment (for
//!   matching, "Active infection, including: -- hepatitis B -- HIV" is two criteria that each
//!   stand on their own, with the parent giving context).
//! * **Inline sub-items** glued onto one line by scraping: ` -- ` and ` • ` inside an item, and
//!   inline enumerations `a) ... b) ...`, `1) ... 2) ...`, `(1) ... (2) ...` (only when at least
//!   two labels follow each other in order). The text before the first one is the parent.
//! * **Run-on text without markers**: an unmarked paragraph is split into sentences, with care
//!   for abbreviations (`e.g.`, `i.e.`, `vs.`, `approx.`, `Dr.`, initials), decimals and
//!   parentheses. Items that have a marker are never split into sentences. A whole list flattened
//!   into one paragraph with its headings ("INCLUSION CRITERIA 1. ... 2. ... EXCLUSION CRITERIA 1.
//!   ...") is cut at the headings, which set the section, and then at its numbers.
//!
//! # Invariants
//!
//! [`segment`] never panics. Offsets are char offsets (Unicode scalar values, as brat counts
//! them), `start < end <= text.chars().count()`, segments are in text order and do not overlap,
//! the chars in `start..end` equal `text` up to runs of white space, every segment contains a
//! letter or digit, and a parent always comes before its children.

use eligo_model::{Criterion, Section};
use serde::{Deserialize, Serialize};

/// One criterion found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub section: Section,
    /// Char offset of the first char of the criterion (after its bullet or number).
    pub start: usize,
    /// Char offset one past the last non-white-space char of the criterion.
    pub end: usize,
    /// The criterion with every run of white space (hard wraps included) replaced by one space.
    pub text: String,
    /// The sub-heading(s) the criterion stands under, outer first, joined by `" > "`
    /// (`"PATIENT CHARACTERISTICS > Hepatic"`). Section headings are not repeated here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// Index (into the returned vector) of the item this one is a sub-item of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    /// The bullet or number as written (`"-"`, `"1."`, `"(a)"`, `"--"`); `None` for unmarked text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

impl Segment {
    /// A [`Criterion`] with this segment's section, place and text, and nothing extracted yet.
    pub fn to_criterion(&self) -> Criterion {
        Criterion {
            section: self.section,
            start: self.start,
            end: self.end,
            text: self.text.clone(),
            computable: Vec::new(),
            negated: false,
            applies_if: Vec::new(),
            entities: Vec::new(),
        }
    }
}

/// Splits eligibility-criteria text into criteria. See the [module documentation](self).
pub fn segment(text: &str) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    Segmenter::new(&chars).run()
}

/// Replaces every run of white space by one space and trims both ends.
pub fn collapse_whitespace(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut pending_space = false;
    for &c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Lines and markers
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    /// Display column of the first non-white-space char (tabs count 4).
    indent: usize,
    /// First and one-past-last non-white-space chars; `cs == ce` for a blank line.
    cs: usize,
    ce: usize,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.cs == self.ce
    }
    fn width(&self) -> usize {
        self.ce - self.start
    }
}

fn split_lines(chars: &[char]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    let n = chars.len();
    let mut i = 0;
    while i <= n {
        // Every break char is below U+000E or at U+2028/U+2029: one range test turns away most chars.
        let is_break = i == n
            || (!('\u{0e}'..'\u{2028}').contains(&chars[i])
                && (matches!(chars[i], '\n' | '\u{2028}' | '\u{2029}' | '\u{0b}' | '\u{0c}')
                    || (chars[i] == '\r' && chars.get(i + 1) != Some(&'\n'))));
        if is_break {
            let mut indent = 0;
            let mut cs = start;
            while cs < i && chars[cs].is_whitespace() {
                indent += if chars[cs] == '\t' { 4 } else { 1 };
                cs += 1;
            }
            let mut ce = i;
            while ce > cs && chars[ce - 1].is_whitespace() {
                ce -= 1;
            }
            lines.push(Line { start, indent, cs, ce });
            start = i + 1;
        }
        i += 1;
    }
    lines
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Dot,
    Paren,
    Enclosed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bullet(char),
    Number(Style),
    Lower(Style),
    Upper(Style),
    Roman(Style),
}

#[derive(Debug, Clone, Copy)]
struct Marker {
    kind: Kind,
    /// One past the marker's last char.
    end: usize,
    /// First char of the content (== line end when the marker stands alone).
    content: usize,
}

const BULLETS: &[char] = &[
    '-', '*', '•', '·', '●', '○', '◦', '▪', '▫', '■', '□', '‣', '⁃', '–', '—', '+', '➢', '►', '▶', '✓', '✔', '⮚',
    '\u{f0b7}', '\u{f0a7}', '\u{f076}', '→', '⁍', '∙',
];

fn is_roman(s: &[char]) -> bool {
    const ROMANS: &[&str] = &["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"];
    if s.is_empty() || s.len() > 4 {
        return false;
    }
    let lower: String = s.iter().map(|c| c.to_ascii_lowercase()).collect();
    let same_case = s.iter().all(|c| c.is_ascii_lowercase()) || s.iter().all(|c| c.is_ascii_uppercase());
    same_case && ROMANS.contains(&lower.as_str())
}

/// Reads a list marker at `chars[cs..ce]`.
fn parse_marker(chars: &[char], cs: usize, ce: usize) -> Option<Marker> {
    if cs >= ce {
        return None;
    }
    let c = chars[cs];
    let after = |end: usize| -> usize {
        let mut k = end;
        while k < ce && chars[k].is_whitespace() {
            k += 1;
        }
        k
    };
    let ws_or_end = |k: usize| k >= ce || chars[k].is_whitespace();

    if BULLETS.contains(&c) {
        let mut end = cs + 1;
        while end < ce && chars[end] == c && end - cs < 4 {
            end += 1;
        }
        if end < ce && matches!(c, '-' | '–' | '—' | '+' | '→') && chars[end].is_ascii_digit() {
            return None; // "-5", "+1": a signed number, not a bullet
        }
        if c == '*' && end < ce && !chars[end].is_whitespace() && end - cs == 1 && chars[end] == '*' {
            return None;
        }
        return Some(Marker { kind: Kind::Bullet(c), end, content: after(end) });
    }
    if c == 'o' && cs + 1 < ce && (chars[cs + 1] == ' ' || chars[cs + 1] == '\t') {
        return Some(Marker { kind: Kind::Bullet('o'), end: cs + 1, content: after(cs + 1) });
    }
    if c == '(' {
        // (1) (a) (ii)
        let mut k = cs + 1;
        while k < ce && k - cs <= 4 && chars[k].is_ascii_alphanumeric() {
            k += 1;
        }
        if k < ce && chars[k] == ')' && k > cs + 1 && ws_or_end(k + 1) {
            let label = &chars[cs + 1..k];
            let kind = label_kind(label, Style::Enclosed)?;
            return Some(Marker { kind, end: k + 1, content: after(k + 1) });
        }
        return None;
    }
    if c.is_ascii_digit() {
        let mut k = cs;
        while k < ce && chars[k].is_ascii_digit() {
            k += 1;
        }
        if k - cs > 2 || k >= ce {
            return None;
        }
        let p = chars[k];
        let next = chars.get(k + 1).copied().filter(|_| k + 1 < ce);
        let ok = match p {
            '.' => next.is_none_or(|n| n.is_whitespace() || n.is_alphabetic() || n == '('),
            ')' => next.is_none_or(|n| !n.is_ascii_digit()),
            _ => false,
        };
        if ok {
            let style = if p == '.' { Style::Dot } else { Style::Paren };
            return Some(Marker { kind: Kind::Number(style), end: k + 1, content: after(k + 1) });
        }
        return None;
    }
    if c.is_ascii_alphabetic() {
        let mut k = cs;
        while k < ce && chars[k].is_ascii_alphabetic() && k - cs < 5 {
            k += 1;
        }
        if k >= ce || !matches!(chars[k], '.' | ')') || !ws_or_end(k + 1) {
            return None;
        }
        let style = if chars[k] == '.' { Style::Dot } else { Style::Paren };
        let kind = label_kind(&chars[cs..k], style)?;
        return Some(Marker { kind, end: k + 1, content: after(k + 1) });
    }
    None
}

fn label_kind(label: &[char], style: Style) -> Option<Kind> {
    if label.iter().all(|c| c.is_ascii_digit()) {
        return (label.len() <= 2).then_some(Kind::Number(style));
    }
    if label.len() == 1 && label[0] != 'i' && label[0] != 'I' {
        return Some(if label[0].is_ascii_lowercase() { Kind::Lower(style) } else { Kind::Upper(style) });
    }
    is_roman(label).then_some(Kind::Roman(style))
}

// ---------------------------------------------------------------------------------------------
// Headings
// ---------------------------------------------------------------------------------------------

fn words_lower(chars: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for &c in chars {
        // ASCII first: one push instead of the full Unicode lower-casing, with the same result.
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether `haystack` holds `needle` (ASCII, lower case) in any ASCII case. The needle is compared
/// as bytes: every line is tested, so it is not decoded again at each position.
fn contains_ignore_ascii_case(haystack: &[char], needle: &str) -> bool {
    debug_assert!(needle.is_ascii());
    let needle = needle.as_bytes();
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|w| w.iter().zip(needle).all(|(&a, &b)| a.to_ascii_lowercase() == char::from(b)))
}

/// The first colon outside brackets in `chars[s..e]`.
fn top_level_colon(chars: &[char], s: usize, e: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (k, &c) in chars.iter().enumerate().take(e).skip(s) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ':' | '：' if depth <= 0 => return Some(k),
            _ => {}
        }
    }
    None
}

struct SectionHeading {
    section: Section,
    /// Where criterion text after the heading's colon starts, if there is any.
    rest: Option<usize>,
}

/// `Inclusion Criteria:`, `KEY EXCLUSION CRITERIA`, `Exclusion criteria include:` ...
fn section_heading(chars: &[char], s: usize, e: usize) -> Option<SectionHeading> {
    let window = &chars[s..e.min(s + 100)];
    if !contains_ignore_ascii_case(window, "clusion") && !contains_ignore_ascii_case(window, "eligib") {
        return None;
    }
    let colon = top_level_colon(chars, s, e.min(s + 100));
    // `Exclusion criteria (subject to be excluded if meeting any of the following)`: a remark in
    // parentheses after the heading words, ending the line, is part of the heading.
    let remark = colon.is_none().then(|| trailing_remark(chars, s, e)).flatten();
    let head_end = colon.or(remark).unwrap_or(e);
    if head_end - s > 90 {
        return None;
    }
    let words = words_lower(&chars[s..head_end]);
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    let incl = words.iter().any(|w| w.starts_with("inclusion"));
    let excl = words.iter().any(|w| w.starts_with("exclusion"));
    let elig = words.iter().any(|w| w == "eligibility") && words.iter().any(|w| w.starts_with("criteri"));
    if !(incl || excl || elig) {
        return None;
    }
    const NOT_HEADING: &[&str] = &["may", "apply", "applies", "listed", "see", "refer", "met", "meet", "of", "women"];
    if words.iter().any(|w| NOT_HEADING.contains(&w.as_str())) && !(words.len() <= 3 && colon.is_some()) {
        return None;
    }
    if colon.is_none() {
        let last = words.last().map(String::as_str).unwrap_or("");
        let ends_ok =
            matches!(last, "criteria" | "criterion" | "inclusion" | "exclusion" | "inclusions" | "exclusions");
        // The line must be nothing but the heading (allowing trailing punctuation such as `**`).
        // ... or name the criteria near its start: `Exclusion Criteria for Dose Escalation Phase`.
        let named =
            words.iter().take(4).collect::<Vec<_>>().windows(2).any(|p| {
                (p[0].starts_with("inclusion") || p[0].starts_with("exclusion")) && p[1].starts_with("criteri")
            });
        let sentence_end = chars[s..e].iter().rev().find(|c| !c.is_whitespace()).is_some_and(|c| *c == '.');
        if sentence_end || !(named || (ends_ok && words.len() <= 5)) {
            return None;
        }
    }
    let section = match (incl, excl) {
        (true, false) => Section::Inclusion,
        (false, true) => Section::Exclusion,
        _ => Section::Unspecified,
    };
    let rest = match colon {
        _ if remark.is_some() => None,
        Some(c) => (c + 1..e).find(|&k| chars[k].is_alphanumeric() || chars[k] == '('),
        // `Inclusion criteria Healthy volunteers`: text after the heading words on one line.
        None => heading_words_end(chars, s, e),
    };
    // Keep the chars just before the first alphanumeric one that belong to it (`≥18`, `"`).
    let rest = rest.map(|r| {
        let mut k = r;
        while k > colon.unwrap_or(s) + 1 && !chars[k - 1].is_whitespace() && !matches!(chars[k - 1], ':' | '*' | '-') {
            k -= 1;
        }
        k
    });
    Some(SectionHeading { section, rest })
}

/// Where a parenthesised remark that closes the line `chars[s..e]` starts, if it has one.
fn trailing_remark(chars: &[char], s: usize, e: usize) -> Option<usize> {
    let last = (s..e).rev().find(|&k| !chars[k].is_whitespace() && !matches!(chars[k], ':' | '.'))?;
    if chars[last] != ')' {
        return None;
    }
    let open = (s..last).find(|&k| chars[k] == '(')?;
    (open > s).then_some(open)
}

/// After `Inclusion criteria` / `Exclusion criteria` at the start of `chars[s..e]`, where the
/// next word starts with a capital: the start of that word.
fn heading_words_end(chars: &[char], s: usize, e: usize) -> Option<usize> {
    let mut k = s;
    for expected in [&["inclusion", "exclusion"][..], &["criteria"][..]] {
        while k < e && !chars[k].is_alphanumeric() {
            k += 1;
        }
        let w = k;
        while k < e && chars[k].is_alphanumeric() {
            k += 1;
        }
        let word: String = chars[w..k].iter().flat_map(|c| c.to_lowercase()).collect();
        if !expected.contains(&word.as_str()) {
            return None;
        }
    }
    let next = (k..e).find(|&j| !chars[j].is_whitespace())?;
    (next > k && chars[next].is_uppercase()).then_some(next)
}

/// Section headings flattened into a paragraph with the list they head ("INCLUSION CRITERIA 1.
/// Provision of informed consent … 8. … period. EXCLUSION CRITERIA 1. Patient has …"): the words
/// in capitals, or in any case when a colon or a list number follows, at the start of the paragraph
/// or of a sentence. Returns (heading start, section, start of the text after it).
fn inline_section_headings(chars: &[char], s: usize, e: usize) -> Vec<(usize, Section, usize)> {
    let mut out = Vec::new();
    for k in s..e {
        if !matches!(chars[k], 'I' | 'E' | 'i' | 'e') || (k > s && !chars[k - 1].is_whitespace()) {
            continue;
        }
        let previous = chars[s..k].iter().rev().find(|c| !c.is_whitespace());
        if k > s && !matches!(previous, Some('.' | ';')) {
            continue;
        }
        let word: String = chars[k..e.min(k + 18)].iter().collect();
        let section = if word.eq_ignore_ascii_case("inclusion criteria") {
            Section::Inclusion
        } else if word.eq_ignore_ascii_case("exclusion criteria") {
            Section::Exclusion
        } else {
            continue;
        };
        let mut rest = k + 18;
        // The colon and a bullet glued to the first item are part of the heading.
        while rest < e && (chars[rest].is_whitespace() || matches!(chars[rest], ':' | '-' | '*' | '•')) {
            rest += 1;
        }
        let capitals = word.chars().all(|c| !c.is_lowercase());
        let colon = chars[k + 18..rest].contains(&':');
        let numbered = chars.get(rest) == Some(&'1') && chars.get(rest + 1) == Some(&'.');
        if rest < e && (capitals || colon || numbered) && (k > s || numbered) {
            out.push((k, section, rest));
        }
    }
    out
}

/// An unmarked lead-in sentence ending with a colon that switches the section:
/// `Patients will be excluded if any of the following apply:`.
fn lead_in_section(chars: &[char], s: usize, e: usize) -> Option<Section> {
    if e - s > 200 || !ends_with_colon(chars, s, e) {
        return None;
    }
    let words = words_lower(&chars[s..e]);
    if words.len() > 25 {
        return None;
    }
    let has = |w: &str| words.iter().any(|x| x == w);
    let has_seq = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    let incl = words.iter().any(|w| w.starts_with("inclusion") || w == "eligible") || has_seq("be", "included");
    let excl = words.iter().any(|w| w.starts_with("exclu") || w == "ineligible")
        || (incl && (has("not") || has("no") || has("cannot")));
    if excl {
        return Some(Section::Exclusion);
    }
    incl.then_some(Section::Inclusion)
}

fn ends_with_colon(chars: &[char], s: usize, e: usize) -> bool {
    chars[s..e].iter().rev().find(|c| !c.is_whitespace() && **c != '*').is_some_and(|c| *c == ':' || *c == '：')
}

fn is_caps(chars: &[char]) -> bool {
    let mut letters = 0;
    for &c in chars {
        if c.is_alphabetic() {
            if c.is_lowercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 4
}

/// A sub-heading: returns its level (0 = capitalised, outer; 1 = inner) and its text.
fn sub_heading(chars: &[char], s: usize, e: usize, marked: bool) -> Option<(usize, String)> {
    if e - s > 70 {
        return None;
    }
    let colon = ends_with_colon(chars, s, e);
    let caps = is_caps(&chars[s..e]);
    // A heading ends with a colon or is in capitals (see `heading` below): most items are neither,
    // and are turned away before their words are lower-cased.
    if !(colon || caps) {
        return None;
    }
    let words = words_lower(&chars[s..e]);
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    let bare_caps = caps
        && words.len() >= 2
        && chars[s..e].iter().filter(|c| c.is_alphabetic()).count() >= 8
        && !chars[s..e].iter().any(|c| c.is_ascii_digit() || *c == '.');
    let heading = if marked { caps && colon } else { colon || bare_caps };
    if !heading {
        return None;
    }
    let mut text = collapse_whitespace(&chars[s..e]);
    while text.ends_with([':', '：', '*', ' ']) {
        text.pop();
    }
    let text = text.trim_start_matches(['*', ' ']).to_string();
    Some((if caps { 0 } else { 1 }, text))
}

/// `PATIENT CHARACTERISTICS: Age: ...` — a capitalised label of two words or more before a colon.
fn inline_caps_heading(chars: &[char], s: usize, e: usize) -> Option<(String, usize)> {
    let colon = top_level_colon(chars, s, e.min(s + 60))?;
    let head = &chars[s..colon];
    let words = words_lower(head);
    if words.len() < 2 || words.len() > 5 || !is_caps(head) || head.iter().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let rest = (colon + 1..e).find(|&k| !chars[k].is_whitespace())?;
    Some((collapse_whitespace(head), rest))
}

/// The standard labels of the legacy NCI layout, found inline in run-on paragraphs.
const NCI_LABELS: &[&str] = &[
    "Age",
    "Sex",
    "Menopausal status",
    "Performance status",
    "Life expectancy",
    "Hematopoietic",
    "Hematologic",
    "Hepatic",
    "Renal",
    "Cardiovascular",
    "Cardiac",
    "Pulmonary",
    "Neurologic",
    "Gastrointestinal",
    "Immunologic",
    "Other",
    "Biologic therapy",
    "Chemotherapy",
    "Endocrine therapy",
    "Radiotherapy",
    "Surgery",
];

fn nci_label_at(chars: &[char], k: usize, e: usize) -> bool {
    NCI_LABELS.iter().any(|label| {
        let n = label.chars().count();
        k + n < e && chars[k..k + n].iter().copied().eq(label.chars()) && chars[k + n] == ':'
    })
}

// ---------------------------------------------------------------------------------------------
// Sentences and inline sub-items
// ---------------------------------------------------------------------------------------------

const ABBREVIATIONS: &[&str] = &[
    "e.g", "eg", "i.e", "ie", "vs", "v", "approx", "appr", "dr", "mr", "mrs", "ms", "prof", "st", "no", "nos", "nr",
    "fig", "al", "incl", "ca", "cf", "etc.,", "viz", "resp", "inc", "ltd", "co", "jr", "sr", "dept", "univ", "vol",
    "ref", "max", "min", "sec", "ed", "u.s", "u.k", "e.u", "a.m", "p.m", "op", "pts", "pt", "est", "ver", "rev",
];

fn is_trimmed_nonempty(chars: &[char], s: usize, e: usize) -> bool {
    chars[s..e].iter().any(|c| c.is_alphanumeric())
}

fn trim(chars: &[char], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    (s, e)
}

/// Splits `chars[s..e]` into sentences.
fn split_sentences(chars: &[char], s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut piece_start = s;
    let mut depth = 0i32;
    let mut k = s;
    while k < e {
        let c = chars[k];
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            '.' | '!' | '?' | '。' if depth == 0 => {
                // The next non-space char must start a sentence.
                let mut j = k + 1;
                while j < e && (chars[j] == '"' || chars[j] == '\'' || chars[j] == '”' || chars[j] == ')') {
                    j += 1;
                }
                let boundary_end = j;
                let mut saw_space = false;
                while j < e && chars[j].is_whitespace() {
                    saw_space = true;
                    j += 1;
                }
                let starts_sentence = j < e
                    && (saw_space || c == '。')
                    && (chars[j].is_uppercase() || matches!(chars[j], '(' | '"' | '“' | '[' | '≥' | '≤'));
                if starts_sentence && (c != '.' || !is_abbreviation(chars, piece_start, k)) {
                    out.push(trim(chars, piece_start, boundary_end));
                    piece_start = j;
                    k = j;
                    continue;
                }
            }
            _ => {}
        }
        k += 1;
    }
    out.push(trim(chars, piece_start, e));
    out.retain(|&(a, b)| a < b && is_trimmed_nonempty(chars, a, b));
    out
}

/// Whether the word ending at the period `chars[dot]` is an abbreviation (or an initial).
fn is_abbreviation(chars: &[char], s: usize, dot: usize) -> bool {
    let mut w = dot;
    while w > s && !chars[w - 1].is_whitespace() && !matches!(chars[w - 1], '(' | '[' | '"' | '/') {
        w -= 1;
    }
    let word: String = chars[w..dot].iter().flat_map(|c| c.to_lowercase()).collect();
    if word.chars().count() == 1 {
        return word.chars().all(char::is_alphabetic);
    }
    ABBREVIATIONS.contains(&word.as_str())
}

/// An inline enumeration label (`a)`, `1)`, `(2)`, `(b)`) at `k`: returns (value, enclosed, end).
fn enum_label_at(chars: &[char], k: usize, e: usize) -> Option<(u32, bool, bool, usize)> {
    let enclosed = chars[k] == '(';
    let ls = if enclosed { k + 1 } else { k };
    let mut j = ls;
    while j < e && chars[j].is_ascii_alphanumeric() && j - ls < 3 {
        j += 1;
    }
    if j == ls || j >= e || chars[j] != ')' {
        return None;
    }
    let label = &chars[ls..j];
    let end = j + 1;
    if end < e && !chars[end].is_whitespace() && !chars[end].is_alphabetic() {
        return None;
    }
    let (value, alpha) = if label.iter().all(|c| c.is_ascii_digit()) {
        (label.iter().fold(0u32, |v, c| v * 10 + c.to_digit(10).unwrap_or(0)), false)
    } else if label.len() == 1 && label[0].is_ascii_lowercase() {
        (label[0] as u32 - 'a' as u32 + 1, true)
    } else {
        return None;
    };
    Some((value, enclosed, alpha, end))
}

/// Finds the labels of an inline enumeration in `chars[s..e]`: at least two labels of one form,
/// in order from 1 (or `a`). Returns (label start, label end) pairs.
fn inline_enumeration(chars: &[char], s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut best: Vec<(usize, usize)> = Vec::new();
    if !chars[s..e].contains(&')') {
        return best;
    }
    for k in s..e {
        if k > s && !(chars[k - 1].is_whitespace() || matches!(chars[k - 1], ':' | ';' | ',' | '.')) {
            continue;
        }
        let Some((1, enclosed, alpha, end)) = enum_label_at(chars, k, e) else { continue };
        let mut labels = vec![(k, end)];
        let mut expected = 2;
        let mut j = end;
        while j < e {
            if chars[j - 1].is_whitespace() || matches!(chars[j - 1], ':' | ';' | ',' | '.') {
                if let Some((v, enc, al, end2)) = enum_label_at(chars, j, e) {
                    if v == expected && enc == enclosed && al == alpha {
                        labels.push((j, end2));
                        expected += 1;
                        j = end2;
                        continue;
                    }
                }
            }
            j += 1;
        }
        if labels.len() >= 2 {
            best = labels;
            break;
        }
    }
    best
}

/// Numbers that continue a list inside one paragraph ("…; 2. HbA1c ≥ 8%; 3.Fasting C-peptide …"):
/// `N.` after white space, `;` or `,`, before white space or a capital, outside brackets. Only a
/// run of at least three consecutive numbers counts, so that a decimal, a version or a lone "2." in
/// a sentence never splits it. Returns (label start, label end) pairs of the longest run.
fn inline_numbers(chars: &[char], s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut labels: Vec<(u32, usize, usize)> = Vec::new();
    let mut depth = 0i32;
    for k in s + 1..e {
        match chars[k] {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            _ => {}
        }
        let after_break = chars[k - 1].is_whitespace() || matches!(chars[k - 1], ';' | ',');
        if depth > 0 || !after_break || !chars[k].is_ascii_digit() {
            continue;
        }
        let mut j = k;
        while j < e && chars[j].is_ascii_digit() && j - k < 2 {
            j += 1;
        }
        let opens_item =
            chars.get(j) == Some(&'.') && j + 1 < e && (chars[j + 1].is_whitespace() || chars[j + 1].is_uppercase());
        if opens_item {
            let value = chars[k..j].iter().fold(0u32, |v, c| v * 10 + c.to_digit(10).unwrap_or(0));
            labels.push((value, k, j + 1));
        }
    }
    let mut best: Vec<(usize, usize)> = Vec::new();
    for (i, &(value, ls, le)) in labels.iter().enumerate() {
        let mut run = vec![(ls, le)];
        let mut expected = value + 1;
        for &(v, ns, ne) in &labels[i + 1..] {
            if v == expected {
                run.push((ns, ne));
                expected += 1;
            }
        }
        if run.len() > best.len() {
            best = run;
        }
    }
    if best.len() >= 3 {
        best
    } else {
        Vec::new()
    }
}

/// `chars[s..e]` without surrounding white space and the `;` or `,` that ended an inline item.
fn trim_separators(chars: &[char], s: usize, e: usize) -> (usize, usize) {
    let (s, mut e) = trim(chars, s, e);
    while e > s && matches!(chars[e - 1], ';' | ',') {
        e -= 1;
    }
    trim(chars, s, e)
}

/// Inline ` -- ` / ` • ` markers in `chars[s..e]`: (marker start, marker end).
fn inline_bullets(chars: &[char], s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = s;
    while k < e {
        let c = chars[k];
        if (c == '-' || c == '•') && (k == s || chars[k - 1].is_whitespace()) {
            let mut j = k;
            while j < e && chars[j] == c {
                j += 1;
            }
            let run = j - k;
            let ok = if c == '-' { (2..=3).contains(&run) } else { run == 1 };
            if ok && (j == e || chars[j].is_whitespace()) && k > s {
                out.push((k, j));
            }
            k = j;
            continue;
        }
        k += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The segmenter
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Block {
    start: usize,
    end: usize,
    indent: usize,
    /// Display column of the content (after the marker).
    content_col: usize,
    marker: Option<Marker>,
    marker_start: usize,
    /// The last line's end, as a display width (for the hard-wrap test).
    last_width: usize,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    indent: usize,
    kind: Option<Kind>,
    colon: bool,
    anchor: usize,
}

/// Finds inline list markers in `chars[s..e]`: `(marker start, marker end)` pairs.
type FindMarkers = fn(&[char], usize, usize) -> Vec<(usize, usize)>;

/// Emits `chars[s..e]` with a parent, a marker and a heading; returns the
/// index of the first segment emitted.
type EmitPart<'a> =
    fn(&mut Segmenter<'a>, usize, usize, Option<usize>, Option<String>, &Option<String>) -> Option<usize>;

/// How one kind of inline list is found and how its parts are emitted.
#[derive(Clone, Copy)]
struct InlineSplit<'a> {
    find: FindMarkers,
    emit: EmitPart<'a>,
}

struct Segmenter<'a> {
    chars: &'a [char],
    out: Vec<Segment>,
    section: Section,
    headings: [Option<String>; 2],
    stack: Vec<Open>,
    /// Hard-wrapped legacy layout, and its wrap width.
    wrap_width: Option<usize>,
}

impl<'a> Segmenter<'a> {
    fn new(chars: &'a [char]) -> Self {
        Segmenter {
            chars,
            out: Vec::new(),
            section: Section::Unspecified,
            headings: [None, None],
            stack: Vec::new(),
            wrap_width: None,
        }
    }

    fn run(mut self) -> Vec<Segment> {
        let chars = self.chars;
        let lines = split_lines(chars);
        let max_width = lines.iter().map(Line::width).max().unwrap_or(0);
        let first_indent = lines.iter().find(|l| !l.is_blank()).map_or(0, |l| l.indent);
        if first_indent >= 4 && (40..=110).contains(&max_width) {
            self.wrap_width = Some(max_width.max(80));
        }

        let mut cur: Option<Block> = None;
        let mut blank_before = false;
        for line in &lines {
            if line.is_blank() {
                blank_before = true;
                continue;
            }
            let marker = parse_marker(chars, line.cs, line.ce);
            if let Some(block) = cur.as_mut() {
                if self.continues(block, line, marker.is_some(), blank_before) {
                    block.end = line.ce;
                    block.last_width = line.width();
                    blank_before = false;
                    continue;
                }
            }
            if let Some(block) = cur.take() {
                self.close(block);
            }
            blank_before = false;

            let content = marker.map_or(line.cs, |m| m.content);
            if content >= line.ce {
                continue; // an empty bullet
            }
            if let Some(h) = section_heading(chars, content, line.ce) {
                self.set_section(h.section);
                if let Some(rest) = h.rest {
                    cur = Some(Block {
                        start: rest,
                        end: line.ce,
                        indent: line.indent,
                        content_col: line.indent + (rest - line.cs),
                        marker: None,
                        marker_start: rest,
                        last_width: line.width(),
                    });
                }
                continue;
            }
            cur = Some(Block {
                start: content,
                end: line.ce,
                indent: line.indent,
                content_col: line.indent + (content - line.cs),
                marker,
                marker_start: line.cs,
                last_width: line.width(),
            });
        }
        if let Some(block) = cur.take() {
            self.close(block);
        }
        self.out
    }

    /// Whether `line` continues the open `block`.
    fn continues(&self, block: &Block, line: &Line, marked: bool, blank_before: bool) -> bool {
        let chars = self.chars;
        let first_word = (line.cs..line.ce).take_while(|&k| !chars[k].is_whitespace()).count();
        let wrapped = self.wrap_width.is_some_and(|w| block.last_width + 1 + first_word > w);
        if blank_before {
            // A paragraph indented under a marked item belongs to it, unless it is a heading.
            return !marked
                && block.marker.is_some()
                && line.indent >= block.content_col
                && line.indent > block.indent
                && section_heading(chars, line.cs, line.ce).is_none();
        }
        if marked {
            return wrapped && line.indent > block.indent;
        }
        if self.wrap_width.is_some() {
            return wrapped || section_heading(chars, line.cs, line.ce).is_none();
        }
        if block.marker.is_some() && line.indent > block.indent {
            return true;
        }
        let prev_end = chars[block.end - 1];
        (chars[line.cs].is_lowercase() || chars[line.cs].is_ascii_digit())
            && !matches!(prev_end, '.' | ':' | ';' | '：')
    }

    fn set_section(&mut self, section: Section) {
        self.section = section;
        self.headings = [None, None];
        self.stack.clear();
    }

    fn heading_path(&self) -> Option<String> {
        match (&self.headings[0], &self.headings[1]) {
            (Some(a), Some(b)) => Some(format!("{a} > {b}")),
            (Some(a), None) | (None, Some(a)) => Some(a.clone()),
            (None, None) => None,
        }
    }

    fn close(&mut self, block: Block) {
        let chars = self.chars;
        let (mut s, e) = (block.start, block.end);
        if !is_trimmed_nonempty(chars, s, e) {
            return;
        }
        let marked = block.marker.is_some();
        if !marked {
            if let Some(section) = lead_in_section(chars, s, e) {
                self.set_section(section);
                return;
            }
        }
        if let Some((level, text)) = sub_heading(chars, s, e, marked) {
            if level == 0 {
                self.headings = [Some(text), None];
            } else {
                self.headings[1] = Some(text);
            }
            self.stack.clear();
            return;
        }
        if !marked {
            if let Some((text, rest)) = inline_caps_heading(chars, s, e) {
                self.headings = [Some(text), None];
                self.stack.clear();
                s = rest;
            }
        }
        let colon = ends_with_colon(chars, s, e);

        // Find the parent among the open items.
        let kind = block.marker.map(|m| m.kind);
        while let Some(top) = self.stack.last().copied() {
            if top.indent > block.indent {
                self.stack.pop();
            } else if top.indent == block.indent {
                if kind.is_none() {
                    self.stack.pop();
                } else if top.kind == kind {
                    self.stack.pop();
                    break;
                } else if let Some(pos) = self.stack.iter().rposition(|o| o.indent == block.indent && o.kind == kind) {
                    self.stack.truncate(pos);
                    break;
                } else if top.colon {
                    break;
                } else {
                    self.stack.pop();
                }
            } else {
                // Unmarked text indented under an item but after a blank line is its own paragraph.
                if kind.is_none() {
                    self.stack.clear();
                }
                break;
            }
        }
        let parent = self.stack.last().map(|o| o.anchor);
        let heading = self.heading_path();
        let marker_text: Option<String> = block.marker.map(|m| chars[block.marker_start..m.end].iter().collect());

        let first = self.out.len();
        let anchor = if marked {
            self.emit_inline(s, e, parent, marker_text, &heading).unwrap_or(first)
        } else {
            self.emit_paragraph(s, e, parent, &heading).unwrap_or(first)
        };
        if self.out.len() == first {
            return;
        }
        if marked || colon {
            self.stack.push(Open { indent: block.indent, kind, colon, anchor });
        }
    }

    /// Emits an unmarked paragraph: a flattened list ("INCLUSION CRITERIA 1. … 2. … EXCLUSION
    /// CRITERIA 1. …") is cut at its section headings and then at its numbers; other text at the
    /// standard labels of the legacy NCI layout or into sentences. Returns the index of the last
    /// item emitted.
    fn emit_paragraph(&mut self, s: usize, e: usize, parent: Option<usize>, heading: &Option<String>) -> Option<usize> {
        let chars = self.chars;
        let headings = inline_section_headings(chars, s, e);
        if headings.is_empty() {
            return self.emit_sentences(s, e, parent, heading);
        }
        let mut last = None;
        if headings[0].0 > s {
            last = self.emit_sentences(s, headings[0].0, parent, heading);
        }
        for (i, &(_, section, rest)) in headings.iter().enumerate() {
            self.set_section(section);
            let end = headings.get(i + 1).map_or(e, |h| h.0);
            let (a, b) = trim(chars, rest, end);
            if a >= b {
                continue;
            }
            // From the white space before the text, so that a number opening it counts as a label.
            let from = if chars[a - 1].is_whitespace() { a - 1 } else { a };
            let index = if inline_numbers(chars, from, b).is_empty() {
                self.emit_sentences(a, b, None, &None)
            } else {
                self.emit_enumerated(from, b, None, None, &None)
            };
            last = index.or(last);
        }
        last
    }

    /// [`emit_paragraph`](Self::emit_paragraph) for text without flattened section headings.
    fn emit_sentences(&mut self, s: usize, e: usize, parent: Option<usize>, heading: &Option<String>) -> Option<usize> {
        let chars = self.chars;
        let mut last_anchor = None;
        {
            let mut pieces = Vec::new();
            let labels: Vec<usize> = (s..e)
                .filter(|&k| {
                    (k == s || chars[k - 1].is_whitespace()) && chars[k].is_uppercase() && nci_label_at(chars, k, e)
                })
                .collect();
            if labels.len() >= 2 {
                let mut bounds = labels.clone();
                if bounds[0] != s {
                    bounds.insert(0, s);
                }
                bounds.push(e);
                for w in bounds.windows(2) {
                    pieces.extend(split_sentences(chars, w[0], w[1]));
                }
            } else {
                pieces = split_sentences(chars, s, e);
            }
            for (mut a, b) in pieces {
                // A heading glued to the sentence before it: "... investigator. Inclusion Criteria".
                if let Some(h) = section_heading(chars, a, b) {
                    self.set_section(h.section);
                    match h.rest {
                        Some(rest) => a = rest,
                        None => continue,
                    }
                }
                if let Some(i) = self.emit_inline(a, b, parent, None, heading) {
                    last_anchor = Some(i);
                }
            }
        }
        last_anchor
    }

    /// Emits `chars[s..e]` as one criterion, or as a parent and its inline
    /// ` -- ` / ` • ` sub-items (each of which may hold an inline enumeration).
    /// Returns the index of the first segment emitted.
    fn emit_inline(
        &mut self,
        s: usize,
        e: usize,
        parent: Option<usize>,
        marker: Option<String>,
        heading: &Option<String>,
    ) -> Option<usize> {
        self.emit_split(
            InlineSplit { find: inline_bullets, emit: Self::emit_enumerated },
            s,
            e,
            parent,
            marker,
            heading,
        )
    }

    /// Like [`emit_inline`](Self::emit_inline) for inline `a) b)` / `1) 2)` lists. An item that
    /// runs numbered items into one paragraph ("1. Type 2 diabetes; 2. HbA1c ≥ 8%; 3. BMI ≤ 40") is
    /// first cut at its numbers, each part an item of the same list as the first.
    fn emit_enumerated(
        &mut self,
        s: usize,
        e: usize,
        parent: Option<usize>,
        marker: Option<String>,
        heading: &Option<String>,
    ) -> Option<usize> {
        let chars = self.chars;
        let enumerated = InlineSplit { find: inline_enumeration, emit: Self::push };
        let numbers = inline_numbers(chars, s, e);
        if numbers.is_empty() {
            return self.emit_split(enumerated, s, e, parent, marker, heading);
        }
        let mut first = None;
        let (mut from, mut marker) = (s, marker);
        for (ls, le) in numbers.into_iter().chain(std::iter::once((e, e))) {
            let (ps, pe) = trim_separators(chars, from, ls);
            if ps < pe {
                let index = self.emit_split(enumerated, ps, pe, parent, marker.take(), heading);
                first = first.or(index);
            }
            marker = Some(chars[ls..le].iter().collect());
            from = le;
        }
        first
    }

    /// Splits `chars[s..e]` at the markers `split.find` reports: the text
    /// before the first marker is the parent, each marked part a child of it;
    /// every part is emitted with `split.emit`. One mechanism for both kinds
    /// of inline list, so they nest the same way.
    fn emit_split(
        &mut self,
        split: InlineSplit<'a>,
        s: usize,
        e: usize,
        parent: Option<usize>,
        marker: Option<String>,
        heading: &Option<String>,
    ) -> Option<usize> {
        let chars = self.chars;
        let markers = (split.find)(chars, s, e);
        if markers.is_empty() {
            return (split.emit)(self, s, e, parent, marker, heading);
        }
        let (hs, he) = trim(chars, s, markers[0].0);
        let head = (split.emit)(self, hs, he, parent, marker, heading);
        let child_parent = head.or(parent);
        let mut first = head;
        for (i, &(ms, me)) in markers.iter().enumerate() {
            let next = markers.get(i + 1).map_or(e, |m| m.0);
            let (cs, ce) = trim(chars, me, next);
            if cs < ce && is_trimmed_nonempty(chars, cs, ce) {
                let m: String = chars[ms..me].iter().collect();
                let index = (split.emit)(self, cs, ce, child_parent, Some(m), heading);
                first = first.or(index);
            }
        }
        first
    }

    /// Emits one segment; returns its index.
    fn push(
        &mut self,
        s: usize,
        e: usize,
        parent: Option<usize>,
        marker: Option<String>,
        heading: &Option<String>,
    ) -> Option<usize> {
        let (mut s, e) = trim(self.chars, s, e);
        if s >= e || !is_trimmed_nonempty(self.chars, s, e) {
            return None;
        }
        // A heading that scraping glued into an item (`... -- Exclusion Criteria: -- ...`).
        while let Some(h) = section_heading(self.chars, s, e) {
            self.set_section(h.section);
            match h.rest {
                Some(rest) if rest > s && is_trimmed_nonempty(self.chars, rest, e) => s = rest,
                _ => return None,
            }
        }
        self.out.push(Segment {
            section: self.section,
            start: s,
            end: e,
            text: collapse_whitespace(&self.chars[s..e]),
            heading: heading.clone(),
            parent,
            marker,
        });
        Some(self.out.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn finds_an_ascii_needle_in_any_case_and_only_whole() {
        assert!(contains_ignore_ascii_case(&chars("KEY EXCLUSION CRITERIA"), "clusion"));
        assert!(contains_ignore_ascii_case(&chars("Éligibility: ok"), "ligib"));
        assert!(contains_ignore_ascii_case(&chars("clusion"), "clusion"), "the whole haystack");
        assert!(!contains_ignore_ascii_case(&chars("exclusio"), "clusion"), "cut at the end");
        assert!(!contains_ignore_ascii_case(&chars("ſclusion"), "sclusion"), "no Unicode folding");
        assert!(contains_ignore_ascii_case(&chars(""), ""));
    }

    #[test]
    fn lines_break_at_every_break_char_only() {
        let text = chars("a\nb\r\nc\rd\u{2028}e\u{2029}f\u{0b}g\u{0c}h\u{85}i\u{2027}j");
        let lines: Vec<String> = split_lines(&text).iter().map(|l| text[l.cs..l.ce].iter().collect()).collect();
        assert_eq!(lines, ["a", "b", "c", "d", "e", "f", "g", "h\u{85}i\u{2027}j"]);
    }

    #[test]
    fn numbered_items_run_into_one_paragraph_are_items_of_their_own() {
        let texts = |text: &str| segment(text).into_iter().map(|s| s.text).collect::<Vec<_>>();
        let items = texts(
            "Inclusion Criteria:\n\n1. Adults with asthma; 2. FEV1 ≥ 60% predicted; 3.Non-smokers for \
             at least 1 year; 4. Able to use an inhaler.",
        );
        assert_eq!(
            items,
            [
                "Adults with asthma",
                "FEV1 ≥ 60% predicted",
                "Non-smokers for at least 1 year",
                "Able to use an inhaler."
            ]
        );
        // Decimals, a lone number and numbers inside brackets split nothing.
        for kept in [
            "Inclusion Criteria:\n\n- BMI ≥ 30.0 2. Weight stable (see items 1. 2. 3. of the protocol)",
            "Inclusion Criteria:\n\n- Creatinine ≤ 1.5 mg/dL; version 2. Adults only",
        ] {
            assert_eq!(texts(kept).len(), 1, "{kept}");
        }
    }

    #[test]
    fn a_list_flattened_with_its_section_headings_is_cut_at_both() {
        let text = "        INCLUSION CRITERIA 1. Signed consent. Parental consent for minors 2. Aged 12 or\n        \
                    older 3. Asthma for at least 6 months prior to Visit 1 4. FEV1 above 60 % of predicted.\n        \
                    EXCLUSION CRITERIA 1. Life-threatening asthma 2. Smoking history of 10 pack years 3. Pregnancy.";
        let items: Vec<(Section, String)> = segment(text).into_iter().map(|s| (s.section, s.text)).collect();
        let expected = [
            (Section::Inclusion, "Signed consent. Parental consent for minors"),
            (Section::Inclusion, "Aged 12 or older"),
            (Section::Inclusion, "Asthma for at least 6 months prior to Visit 1"),
            (Section::Inclusion, "FEV1 above 60 % of predicted."),
            (Section::Exclusion, "Life-threatening asthma"),
            (Section::Exclusion, "Smoking history of 10 pack years"),
            (Section::Exclusion, "Pregnancy."),
        ];
        assert_eq!(items, expected.map(|(s, t)| (s, t.to_string())));
        // A sentence that only names the criteria is no heading.
        let remark = segment("Adults with asthma. Exclusion criteria of the main study apply.");
        assert!(remark.iter().all(|s| s.section == Section::Unspecified), "{remark:?}");
    }

    #[test]
    fn inline_bullets_stand_after_white_space() {
        let text = chars("Labs -- ALT normal • AST normal x--y -");
        let found: Vec<String> =
            inline_bullets(&text, 0, text.len()).iter().map(|&(s, e)| text[s..e].iter().collect()).collect();
        assert_eq!(found, ["--", "•"], "not inside a word, and a lone hyphen is no bullet");
    }

    #[test]
    fn lower_cases_words_of_any_script() {
        assert_eq!(words_lower(&chars("Ältere PATIENTEN, age≥18")), ["ältere", "patienten", "age", "18"]);
    }

    #[test]
    fn a_sub_heading_ends_with_a_colon_or_is_in_capitals() {
        let heading = |s: &str, marked: bool| sub_heading(&chars(s), 0, s.chars().count(), marked).map(|h| h.1);
        assert_eq!(heading("Hepatic function:", false), Some("Hepatic function".to_string()));
        assert_eq!(heading("PATIENT CHARACTERISTICS", false), Some("PATIENT CHARACTERISTICS".to_string()));
        assert_eq!(heading("Adequate hepatic function", false), None);
        assert_eq!(heading("Hepatic function:", true), None, "a marked item needs capitals and a colon");
    }
}
