//! Names coordinated over shared last words: "breast or ovarian cancer", "type 1 or type 2
//! diabetes", "renal or liver failure", "drug or alcohol abuse", "heart or kidney transplant".
//!
//! The longest-term walk finds the last name whole ("ovarian cancer") and the words before the
//! conjunction alone, where they name nothing or the wrong thing: "breast" became a site of
//! ovarian cancer, "type 1" a subtype of type 2 diabetes ("Is your type 2 diabetes type 1?"), and
//! a patient with breast cancer, type 1 diabetes or kidney failure was never matched by the
//! criterion. This pass gives each earlier conjunct its own mention when it, followed by the last
//! name's final words, is a term of the same category ("breast" + "cancer"), walking left through
//! a list ("breast, ovarian or uterine cancer"). A conjunct that makes no term with them stays as
//! it was: "hypertension or heart failure" has no "hypertension failure".

use crate::{located, Category, Mention, Vocabulary};

/// The most words one conjunct may have ("type 1", "small bowel", "urinary bladder").
const MAX_CONJUNCT_WORDS: usize = 3;
/// The most conjuncts walked left from one name ("hepatic, renal, cardiovascular, endocrine,
/// respiratory, gastrointestinal, neurologic, psychiatric or musculoskeletal disorders").
const MAX_CONJUNCTS: usize = 12;

/// Words that end a conjunct: they belong to the sentence, never to a name ("history of X or Y
/// disease", "patients with X or Y disease").
const NOT_IN_A_CONJUNCT: [&str; 24] = [
    "of",
    "with",
    "without",
    "the",
    "a",
    "an",
    "any",
    "no",
    "in",
    "for",
    "to",
    "by",
    "on",
    "at",
    "history",
    "prior",
    "previous",
    "known",
    "including",
    "such",
    "as",
    "either",
    "both",
    "patients",
];

/// A word or separator before a mention, with its byte range in the text.
#[derive(Debug, Clone, Copy)]
struct Piece<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl Piece<'_> {
    fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_alphanumeric)
    }

    fn is_conjunction(&self) -> bool {
        matches!(self.text, "," | "/") || self.text.eq_ignore_ascii_case("or") || self.text.eq_ignore_ascii_case("and")
    }
}

/// Adds a mention for each earlier conjunct of a coordinated name. `char_bytes` maps the char
/// offsets of the mentions to byte offsets of `text`; mentions stay in text order.
pub(crate) fn attach_conjuncts(vocab: &Vocabulary, text: &str, char_bytes: &[usize], mentions: &mut Vec<Mention>) {
    let mut added: Vec<Mention> = Vec::new();
    for m in mentions.iter() {
        if !matches!(m.category, Category::Condition | Category::Procedure) || !m.matched_text.contains(' ') {
            continue;
        }
        let Some(start) = char_bytes.get(m.start).copied() else { continue };
        // Most names follow no conjunction: the walk back is only taken after one.
        if !ends_with_conjunction(&text[..start]) {
            continue;
        }
        added.extend(conjuncts_of(vocab, text, char_bytes, m, start));
    }
    if added.is_empty() {
        return;
    }
    // A conjunct's mention replaces what the walk found inside it alone ("breast" as a site,
    // "Crohn's"); one that runs past its words was a longer name, and the conjunct was not added.
    let inside = |m: &Mention| added.iter().any(|a| a.start <= m.start && m.end <= a.end);
    mentions.retain(|m| !inside(m));
    added.retain(|a| !mentions.iter().any(|m| m.start < a.end && a.start < m.end));
    mentions.extend(added);
    mentions.sort_by_key(|m| (m.start, m.end));
}

/// The mentions of the conjuncts before `m` (whose first char is at byte `start`), nearest first.
fn conjuncts_of(vocab: &Vocabulary, text: &str, char_bytes: &[usize], m: &Mention, start: usize) -> Vec<Mention> {
    let words: Vec<&str> = m.matched_text.split(' ').filter(|w| !w.is_empty()).collect();
    let mut pieces = pieces_before(&text[..start]).into_iter().peekable();
    let mut out = Vec::new();
    for _ in 0..MAX_CONJUNCTS {
        // "and/or", ", or": one conjunction of several pieces.
        let conjunction = std::iter::from_fn(|| pieces.next_if(Piece::is_conjunction)).count();
        if conjunction == 0 {
            break;
        }
        let conjunct: Vec<Piece> =
            std::iter::from_fn(|| pieces.next_if(|p| p.is_word() && !p.is_conjunction() && !stops_a_conjunct(p.text)))
                .take(MAX_CONJUNCT_WORDS)
                .collect();
        // A conjunct that names nothing with the head ends the list ("breast cancer, diabetes or
        // kidney disease" has no "diabetes disease", and "breast" is no disease of its own); so
        // does one with words left before its name ("diabetes, chronic *kidney* or liver
        // disease"): the list before it is another.
        let Some(found) = named_conjunct(vocab, text, char_bytes, m.category, &conjunct, &words) else { break };
        let whole = char_bytes.get(found.start).zip(conjunct.last()).is_some_and(|(&s, first)| s == first.start);
        out.push(found);
        if !whole {
            break;
        }
    }
    out
}

/// Whether `before` ends, spaces aside, with a conjunction a list is joined by.
fn ends_with_conjunction(before: &str) -> bool {
    let trimmed = before.trim_end().as_bytes();
    let word = |w: &[u8]| {
        trimmed.len() > w.len()
            && trimmed[trimmed.len() - w.len()..].eq_ignore_ascii_case(w)
            && !trimmed[trimmed.len() - w.len() - 1].is_ascii_alphanumeric()
    };
    matches!(trimmed.last(), Some(b',' | b'/')) || word(b"or") || word(b"and")
}

fn stops_a_conjunct(word: &str) -> bool {
    NOT_IN_A_CONJUNCT.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// The mention of the shortest conjunct (nearest words first) that, followed by the last words of
/// the name, is a term of `category`: "type 1" + "diabetes", "breast" + "cancer".
fn named_conjunct(
    vocab: &Vocabulary,
    text: &str,
    char_bytes: &[usize],
    category: Category,
    conjunct: &[Piece],
    words: &[&str],
) -> Option<Mention> {
    (1..=conjunct.len()).find_map(|n| {
        // `conjunct` runs right to left; its first `n` pieces, in text order.
        let span = &conjunct[..n];
        let (first, last) = (span.last()?, span.first()?);
        let written = &text[first.start..last.end];
        (1..words.len()).find_map(|k| {
            // "breast or ovarian *carcinoma*": a site before a histology names the site's cancer.
            let site_cancer = (k == words.len() - 1 && located::is_malignant_head(words[k]))
                .then(|| located::site_cancer_ids(vocab, written))
                .flatten()
                .unwrap_or_default();
            let ids: Vec<String> = head_forms(&words[k..])
                .iter()
                .flat_map(|head| vocab.lookup(&format!("{written} {head}")))
                .filter(|c| c.category == category)
                .map(|c| c.id.clone())
                .chain(site_cancer)
                .fold(Vec::new(), |mut acc, id| {
                    if !acc.contains(&id) {
                        acc.push(id);
                    }
                    acc
                });
            (!ids.is_empty()).then(|| Mention {
                start: char_bytes.partition_point(|&b| b < first.start),
                end: char_bytes.partition_point(|&b| b < last.end),
                concept_ids: ids,
                category,
                matched_text: written.to_string(),
                elliptical: true,
            })
        })
    })
}

/// Category heads that name the same thing in any of their forms: "renal, cardiovascular or
/// musculoskeletal *disorders*" are the renal and the cardiovascular *diseases* the vocabulary
/// knows.
const CATEGORY_HEADS: [&str; 4] = ["disease", "diseases", "disorder", "disorders"];

/// The shared head as written, then, for a category head, its other forms.
fn head_forms(words: &[&str]) -> Vec<String> {
    let written = words.join(" ");
    let category = words.len() == 1 && CATEGORY_HEADS.iter().any(|h| h.eq_ignore_ascii_case(&written));
    let others = CATEGORY_HEADS.iter().filter(|h| category && !h.eq_ignore_ascii_case(&written));
    std::iter::once(written.clone()).chain(others.map(|h| h.to_string())).collect()
}

/// The words and separators at the end of `before`, nearest first, up to the first other
/// punctuation (a bracket, a full stop or a semicolon ends the walk).
fn pieces_before(before: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut end = before.len();
    let limit = MAX_CONJUNCTS * (MAX_CONJUNCT_WORDS + 3);
    while out.len() < limit {
        let rest = &before[..end];
        let trimmed = rest.trim_end();
        let Some(last) = trimmed.chars().next_back() else { break };
        let piece_end = trimmed.len();
        if last == ',' || last == '/' {
            out.push(Piece { text: &before[piece_end - 1..piece_end], start: piece_end - 1, end: piece_end });
            end = piece_end - 1;
            continue;
        }
        let is_word_char = |c: char| c.is_alphanumeric() || c == '-' || c == '\'' || c == '’';
        if !is_word_char(last) {
            break;
        }
        let piece_start =
            trimmed.char_indices().rev().take_while(|&(_, c)| is_word_char(c)).last().map_or(piece_end, |(i, _)| i);
        out.push(Piece { text: &before[piece_start..piece_end], start: piece_start, end: piece_end });
        end = piece_start;
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::Vocabulary;

    use crate::tests_support::ids_of;

    fn first_id(found: &[(String, Vec<String>)], written: &str) -> Option<String> {
        found.iter().find(|(t, _)| t == written).and_then(|(_, ids)| ids.first().cloned())
    }

    #[test]
    fn each_conjunct_before_a_shared_head_names_its_own_concept() {
        for (text, conjunct, code) in [
            ("history of breast or ovarian cancer", "breast", "ICD10CM:C50"),
            ("Type 1 or type 2 diabetes", "Type 1", "ICD10CM:E10"),
            ("renal or liver failure", "renal", "MESH:D051437"),
            ("heart or kidney transplant", "heart", "MESH:D016027"),
            ("pancreatic, breast or ovarian cancer", "pancreatic", "ICD10CM:C25"),
        ] {
            let found = ids_of(text);
            let id = first_id(&found, conjunct).unwrap_or_else(|| panic!("{text:?}: no {conjunct:?} in {found:?}"));
            let related = Vocabulary::embedded().is_a(&id, code) || id == code;
            assert!(related, "{text:?}: {conjunct:?} is {id}, not {code}: {found:?}");
        }
    }

    #[test]
    fn a_conjunct_that_makes_no_term_with_the_head_stays_as_it_was() {
        let found = ids_of("hypertension or heart failure");
        assert!(found.iter().any(|(t, _)| t == "hypertension"), "{found:?}");
        assert!(found.iter().any(|(t, _)| t == "heart failure"), "{found:?}");
        let found = ids_of("history of stroke or heart failure");
        assert!(found.iter().all(|(t, _)| !t.contains("of")), "{found:?}");
        // Words of any width before the conjunction are walked by chars.
        let found = ids_of("façade, crème or ovarian cancer; – or lung cancer");
        assert!(found.iter().any(|(t, _)| t == "ovarian cancer"), "{found:?}");
    }

    #[test]
    fn a_list_ends_where_a_conjunct_names_nothing_with_the_head() {
        // "breast" belongs to the cancers, not to "kidney or liver disease" two lists later.
        let found = ids_of("breast and ovarian cancer, type 2 diabetes, and chronic kidney or liver disease");
        let breast: Vec<_> = found.iter().filter(|(t, _)| t == "breast").collect();
        assert_eq!(breast.len(), 1, "{found:?}");
        assert_eq!(breast[0].1.first().map(String::as_str), Some("ICD10CM:C50"), "{found:?}");
        // A long list of sites before one category head: every site that names a disease group.
        let found = ids_of("hepatobiliary, renal, cardiovascular, endocrine, respiratory or psychiatric disorders");
        for site in ["renal", "cardiovascular", "endocrine", "respiratory"] {
            assert!(found.iter().any(|(t, _)| t == site), "{site}: {found:?}");
        }
    }
}
