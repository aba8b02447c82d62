//! Tumours named by their histology and then their site: "ductal carcinoma of the left breast",
//! "adenocarcinoma of the colon", "a tumour in the right kidney".
//!
//! The vocabulary names the histology ("ductal carcinoma") and the site's cancer ("breast cancer",
//! "malignant neoplasm of pancreas"), but the written phrase puts a laterality or an article
//! between them, so the longest-term walk stops at the histology and the site is lost: a woman
//! with "invasive ductal carcinoma of the left breast" would not have breast cancer. This pass
//! extends such a mention over its site and adds the site's cancer concept (first, as the more
//! useful one for matching) to the histology's.
//!
//! The same holds with the site first: "gastric adenocarcinoma", "ovarian serous carcinoma"'s
//! "ovarian carcinoma", "head and neck squamous cell carcinoma". The site's cancer concept goes
//! first and the histology stays, so a trial for gastric adenocarcinoma is about a patient whose
//! note says only "adenocarcinoma" of a lesion in the stomach.

use crate::{Category, Mention, Vocabulary};

/// The last word of a malignant mention that a site can follow.
const MALIGNANT_HEADS: [&str; 8] =
    ["carcinoma", "carcinomas", "adenocarcinoma", "adenocarcinomas", "cancer", "cancers", "malignancy", "malignancies"];
/// The last word of a tumour mention that may be benign: only "<site> tumour" names are tried.
const TUMOUR_HEADS: [&str; 6] = ["tumor", "tumors", "tumour", "tumours", "neoplasm", "neoplasms"];
/// Words between the preposition and the site that do not change which organ it is.
const POSITION_WORDS: [&str; 10] =
    ["left", "right", "bilateral", "both", "upper", "lower", "inner", "outer", "distal", "proximal"];
/// The most site words read after the position words ("sigmoid colon", "bile duct").
const MAX_SITE_WORDS: usize = 2;

/// The most words a site before a histology has ("head and neck").
const MAX_PREPOSED_SITE_WORDS: usize = 3;

/// Extends each histology mention preceded by a site ("gastric adenocarcinoma") over that site,
/// adding the site's cancer concept first. A word the qualifier table names as anything but a
/// site ("metastatic", "advanced") is never a site.
pub(crate) fn attach_preposed_sites(vocab: &Vocabulary, text: &str, char_bytes: &[usize], mentions: &mut Vec<Mention>) {
    let mut i = 0;
    while i < mentions.len() {
        let m = &mentions[i];
        let histology = m.category == Category::Condition && is_malignant_head(last_word(&m.matched_text));
        let start = char_bytes.get(m.start).copied().filter(|_| histology);
        // The site may be a mention of its own ("thyroid" the drug), which it absorbs; a mention
        // that starts before the site's words ends the look-back.
        let earlier_end = |site_start: usize| {
            mentions[..i].iter().any(|p| char_bytes[p.start] < site_start && char_bytes[p.end] > site_start)
        };
        let site = start.and_then(|start| preposed_site(vocab, &text[..start])).filter(|(_, at)| !earlier_end(*at));
        let Some((mut ids, site_start)) = site else {
            i += 1;
            continue;
        };
        let absorbed = mentions[..i].iter().filter(|p| char_bytes[p.start] >= site_start).count();
        mentions.drain(i - absorbed..i);
        i -= absorbed;
        let m = &mut mentions[i];
        ids.extend(m.concept_ids.drain(..).filter(|id| !ids.contains(id)).collect::<Vec<_>>());
        m.concept_ids = ids;
        m.start = char_bytes.partition_point(|&b| b < site_start);
        m.matched_text = text[site_start..char_bytes[m.end]].to_string();
        i += 1;
    }
}

/// Whether `word` ends the name of a malignant tumour ("carcinoma", "cancer").
pub(crate) fn is_malignant_head(word: &str) -> bool {
    MALIGNANT_HEADS.iter().any(|h| h.eq_ignore_ascii_case(word))
}

fn last_word(text: &str) -> &str {
    text.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or(text)
}

/// The cancer concepts of the site that `before` ends with, and the byte where the site starts:
/// the longest run of at most [`MAX_PREPOSED_SITE_WORDS`] words right before the histology whose
/// cancer the vocabulary names ("gastric" → "gastric cancer").
fn preposed_site(vocab: &Vocabulary, before: &str) -> Option<(Vec<String>, usize)> {
    let trimmed = before.strip_suffix(' ')?;
    let mut starts = Vec::new();
    let mut words = trimmed;
    for _ in 0..MAX_PREPOSED_SITE_WORDS {
        // The byte after the last char that is not part of a word (any width: "façade", "–").
        let word_start = words
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '-'))
            .map_or(0, |(p, c)| p + c.len_utf8());
        if word_start == words.len() {
            break;
        }
        starts.push(word_start);
        if word_start == 0 || !words[..word_start].ends_with(' ') {
            break;
        }
        words = &words[..word_start - 1];
    }
    starts.into_iter().rev().find_map(|at| Some((site_cancer_ids(vocab, &trimmed[at..])?, at)))
}

/// The concepts of the cancer of the site `words` name ("pancreatic", "head and neck"), unless a
/// word is a qualifier of another kind than a site.
pub(crate) fn site_cancer_ids(vocab: &Vocabulary, words: &str) -> Option<Vec<String>> {
    let not_a_site = words.split(' ').any(|w| {
        crate::qualifiers::qualifier_word(&crate::qualifiers::qualifier_key(w)).is_some_and(|q| q.kind != "site")
    });
    if not_a_site {
        return None;
    }
    let ids: Vec<String> = vocab
        .lookup(&format!("{words} cancer"))
        .into_iter()
        .filter(|c| c.category == Category::Condition)
        .map(|c| c.id.clone())
        .collect();
    (!ids.is_empty()).then_some(ids)
}

/// Extends each histology mention followed by "of"/"in" and a site over that site, adding the
/// site's cancer concept, when the vocabulary names that cancer. `char_bytes` maps the char
/// offsets of the mentions to byte offsets of `text`.
pub(crate) fn attach_sites(vocab: &Vocabulary, text: &str, char_bytes: &[usize], mentions: &mut Vec<Mention>) {
    let mut i = 0;
    while i < mentions.len() {
        if let Some((ids, end_byte)) = located_site(vocab, text, char_bytes, &mentions[i]) {
            // Mentions inside the site words ("breast" as a body part) are absorbed; one that runs
            // past them leaves this mention as it was.
            let covered = mentions[i + 1..].iter().take_while(|m| char_bytes[m.start] < end_byte).count();
            if mentions[i + 1..i + 1 + covered].iter().all(|m| char_bytes[m.end] <= end_byte) {
                mentions.drain(i + 1..i + 1 + covered);
                extend(&mut mentions[i], ids, text, char_bytes, end_byte);
            }
        }
        i += 1;
    }
}

/// The site cancer's concepts and the byte where the site ends, for a histology mention followed
/// by its site.
fn located_site(
    vocab: &Vocabulary,
    text: &str,
    char_bytes: &[usize],
    mention: &Mention,
) -> Option<(Vec<String>, usize)> {
    if mention.category != Category::Condition {
        return None;
    }
    let head = mention.matched_text.rsplit(|c: char| !c.is_alphanumeric()).next()?.to_ascii_lowercase();
    let malignant = MALIGNANT_HEADS.contains(&head.as_str());
    if !malignant && !TUMOUR_HEADS.contains(&head.as_str()) {
        return None;
    }
    let after_start = char_bytes[mention.end];
    let (site, site_len) = site_after(&text[after_start..])?;
    let ids = site_cancer(vocab, &site, malignant)?;
    Some((ids, after_start + site_len))
}

/// `mention` extended to `end_byte`, with the site cancer's concepts first.
fn extend(mention: &mut Mention, mut ids: Vec<String>, text: &str, char_bytes: &[usize], end_byte: usize) {
    for id in mention.concept_ids.drain(..) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    mention.concept_ids = ids;
    mention.end = char_bytes.partition_point(|&b| b < end_byte);
    mention.matched_text = text[char_bytes[mention.start]..end_byte].to_string();
}

/// The site named right after a mention: "of the left breast" gives ("breast", its byte length
/// from the start of `after`). At most [`MAX_SITE_WORDS`] words, longest first when looked up.
fn site_after(after: &str) -> Option<(Vec<String>, usize)> {
    let mut words = WordIter { text: after, pos: 0 };
    let (first, _) = words.next()?;
    if !matches!(first.to_ascii_lowercase().as_str(), "of" | "in") {
        return None;
    }
    let mut site = Vec::new();
    let mut site_end = 0;
    let mut article_allowed = true;
    for (word, end) in words.by_ref() {
        let lower = word.to_ascii_lowercase();
        if site.is_empty() && article_allowed && lower == "the" {
            article_allowed = false;
            continue;
        }
        if site.is_empty() && POSITION_WORDS.contains(&lower.as_str()) {
            article_allowed = false;
            continue;
        }
        if !word.chars().all(|c| c.is_ascii_alphabetic()) || matches!(lower.as_str(), "and" | "or" | "with") {
            break;
        }
        site.push(lower);
        site_end = end;
        if site.len() == MAX_SITE_WORDS {
            break;
        }
    }
    (!site.is_empty()).then_some((site, site_end))
}

/// The concepts of the cancer (or tumour) of `site`, trying the two-word site before the first
/// word alone.
fn site_cancer(vocab: &Vocabulary, site: &[String], malignant: bool) -> Option<Vec<String>> {
    let malignant_forms = [
        "{} cancer",
        "cancer of the {}",
        "cancer of {}",
        "malignant neoplasm of {}",
        "{} carcinoma",
        "carcinoma of {}",
    ];
    let tumour_forms = ["{} tumor", "{} tumour", "{} neoplasm", "{} neoplasms", "neoplasm of {}"];
    let forms: &[&str] = if malignant { &malignant_forms } else { &tumour_forms };
    (1..=site.len()).rev().find_map(|n| {
        let name = site[..n].join(" ");
        forms.iter().find_map(|form| {
            let ids: Vec<String> = vocab
                .lookup(&form.replace("{}", &name))
                .into_iter()
                .filter(|c| c.category == Category::Condition)
                .map(|c| c.id.clone())
                .collect();
            (!ids.is_empty()).then_some(ids)
        })
    })
}

/// Words of a text with the byte offset where each ends; punctuation other than hyphens ends the
/// walk (a site never runs past a comma or a bracket).
struct WordIter<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Iterator for WordIter<'t> {
    type Item = (&'t str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = &self.text[self.pos..];
        let skipped = rest.len() - rest.trim_start_matches(' ').len();
        let rest = &rest[skipped..];
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '-')).unwrap_or(rest.len());
        if len == 0 {
            return None;
        }
        let start = self.pos + skipped;
        self.pos = start + len;
        Some((&self.text[start..self.pos], self.pos))
    }
}

#[cfg(test)]
mod tests {
    use crate::tests_support::ids_of;

    #[test]
    fn a_histology_of_a_site_names_the_site_cancer_too() {
        for (text, name, code) in [
            ("invasive ductal carcinoma of the left breast", "ductal carcinoma of the left breast", "ICD10CM:C50"),
            ("she had an adenocarcinoma of the pancreas.", "adenocarcinoma of the pancreas", "ICD10CM:C25"),
            ("cancer of the right breast", "cancer of the right breast", "ICD10CM:C50"),
        ] {
            let found = ids_of(text);
            let mention = found.iter().find(|(t, _)| t == name);
            let mention = mention.unwrap_or_else(|| panic!("{text:?}: no mention {name:?} in {found:?}"));
            assert_eq!(mention.1.first().map(String::as_str), Some(code), "{text:?}");
        }
    }

    #[test]
    fn a_site_before_a_histology_names_the_site_cancer_and_keeps_the_histology() {
        for (text, name, code) in [
            ("diffuse-type gastric adenocarcinoma", "gastric adenocarcinoma", "ICD10CM:C16"),
            ("a thyroid carcinoma was removed", "thyroid carcinoma", "ICD10CM:C73"),
            ("invasive cervical squamous cell carcinoma", "cervical squamous cell carcinoma", "ICD10CM:C53"),
        ] {
            let found = ids_of(text);
            let mention = found.iter().find(|(t, _)| t == name);
            let mention = mention.unwrap_or_else(|| panic!("{text:?}: no mention {name:?} in {found:?}"));
            assert_eq!(mention.1.first().map(String::as_str), Some(code), "{text:?}");
            assert!(mention.1.len() > 1, "the histology stays: {mention:?}");
        }
        // Text of any width before the histology is walked by chars.
        assert!(!ids_of("lésion – carcinoma").is_empty());
        assert!(!ids_of("€ carcinoma").is_empty());
        // A stage or extent is no site.
        let found = ids_of("metastatic carcinoma");
        assert!(found.iter().all(|(_, ids)| ids.iter().all(|id| !id.starts_with("ICD10CM:C7"))), "{found:?}");
    }

    #[test]
    fn the_histology_stays_when_no_site_cancer_is_named() {
        let found = ids_of("adenocarcinoma of any grade, treated");
        assert!(found.iter().any(|(t, _)| t == "adenocarcinoma"), "{found:?}");
        let found = ids_of("carcinoma, breast feeding");
        assert!(found.iter().all(|(t, _)| !t.contains("breast feeding") || !t.contains("carcinoma")), "{found:?}");
    }
}
