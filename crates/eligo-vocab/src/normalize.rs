//! Text folding for matching.
//!
//! Criteria are written by many hands: "Sjögren" and "Sjogren", curly and straight apostrophes, en dashes
//! for hyphens, line wraps in the middle of a disease name. Matching runs on a *folded* copy of the text
//! (diacritics stripped, punctuation variants unified, whitespace runs collapsed) while every folded byte
//! remembers which character of the original it came from, so that offsets handed back to callers always
//! point into the text they gave us. Case is not folded here: the automaton is ASCII case-insensitive, and
//! some short abbreviations are case-sensitive on purpose (see [`crate::Vocabulary::find_mentions`]).

/// A folded copy of a text plus, for every byte of it, the index (in chars) of the original character.
pub(crate) struct Folded {
    pub text: String,
    /// `origin[i]` is the char index in the original text of folded byte `i`.
    pub origin: Vec<u32>,
}

/// The replacement for one character, or `None` when it is kept as it is.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'Ç' | 'Ć' | 'Č' | 'Ĉ' | 'Ċ' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
        'ł' | 'ľ' | 'ĺ' | 'ļ' => "l",
        'Ł' | 'Ľ' | 'Ĺ' | 'Ļ' => "L",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'Ñ' | 'Ń' | 'Ň' | 'Ņ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'ŕ' | 'ř' | 'ŗ' => "r",
        'Ŕ' | 'Ř' | 'Ŗ' => "R",
        'ś' | 'š' | 'ş' | 'ŝ' => "s",
        'Ś' | 'Š' | 'Ş' | 'Ŝ' => "S",
        'ť' | 'ţ' => "t",
        'Ť' | 'Ţ' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        // Micro sign and Greek mu both mean "micro" in units.
        'µ' | 'μ' => "u",
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '´' => "'",
        '\u{201C}' | '\u{201D}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
        '²' => "2",
        '³' => "3",
        _ => return None,
    })
}

/// Folds `text` for matching (see the module docs). Whitespace runs become one space.
pub(crate) fn fold_with_offsets(text: &str) -> Folded {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut in_space = false;
    let mut chars = text.chars().enumerate().peekable();
    while let Some((ci, c)) = chars.next() {
        let ci = ci as u32;
        // Only a dash looks ahead: the walk runs over every char of every text read.
        let joins_words = is_dash(c)
            && out.as_bytes().last().is_some_and(u8::is_ascii_alphabetic)
            && chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if joins_words {
            // "bundle-branch block" and "bundle branch block", "X-linked" and "X linked": writers
            // join the words of one name either way, and the vocabularies list one spelling.
            out.push(' ');
            origin.push(ci);
            continue;
        }
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
                origin.push(ci);
                in_space = true;
            }
            continue;
        }
        in_space = false;
        // Plain ASCII folds to itself, except the backtick: one byte, one origin, no table.
        if c.is_ascii() && c != '`' {
            out.push(c);
            origin.push(ci);
            continue;
        }
        let before = out.len();
        match fold_char(c) {
            Some(rep) => out.push_str(rep),
            None => out.push(c),
        }
        origin.extend(std::iter::repeat_n(ci, out.len() - before));
    }
    american_spelling(Folded { text: out, origin })
}

/// A hyphen or dash, which between two letters joins the words of one name.
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}')
}

/// British medical spellings, and where each has a letter the American spelling (the one the
/// vocabularies use) leaves out: the Greek "ae" and "oe" ("haemorrhage", "anaemia", "ischaemic",
/// "oedema", "oesophagus", "oestrogen", "diarrhoea", "dyspnoea", "foetal", "coeliac", "paediatric",
/// "gynaecology", "anaesthesia", "caesarean") and "tumour". Each entry: the letters, whether they
/// must start a word, and the offset of the letter to drop.
const BRITISH_SPELLINGS: &[(&[u8], bool, usize)] = &[
    (b"oed", true, 0),
    (b"oes", true, 0),
    (b"rrhoea", false, 3),
    (b"pnoea", false, 2),
    (b"foet", true, 1),
    (b"coeli", true, 1),
    (b"paed", false, 1),
    (b"gynaec", false, 4),
    (b"anaesth", false, 2),
    (b"caesar", true, 1),
    (b"tumour", true, 4),
];

/// Writes British medical spellings the American way (see [`BRITISH_SPELLINGS`]), plus "aem" after a
/// consonant ("haem", "anaem", "leukaem", "septicaem") as "em". Letters are only dropped, so every
/// byte kept keeps its origin.
fn american_spelling(folded: Folded) -> Folded {
    let bytes = folded.text.as_bytes();
    let starts =
        |at: usize, letters: &[u8]| bytes.get(at..at + letters.len()).is_some_and(|b| b.eq_ignore_ascii_case(letters));
    let mut dropped: Vec<usize> = Vec::new();
    for at in 0..bytes.len() {
        // Every spelling starts with one of these letters: other bytes are passed over at once
        // (folding runs on every criterion and note).
        if !matches!(bytes[at].to_ascii_lowercase(), b'a' | b'o' | b'r' | b'p' | b'f' | b'c' | b'g' | b't') {
            continue;
        }
        let previous = at.checked_sub(1).map(|p| bytes[p].to_ascii_lowercase());
        let word_start = !previous.is_some_and(|p| p.is_ascii_alphabetic());
        let after_consonant = previous.is_some_and(|p| p.is_ascii_alphabetic() && !b"aeiouy".contains(&p));
        if after_consonant && starts(at, b"aem") {
            dropped.push(at);
            continue;
        }
        let rule =
            BRITISH_SPELLINGS.iter().find(|(letters, at_start, _)| (word_start || !at_start) && starts(at, letters));
        if let Some((_, _, offset)) = rule {
            dropped.push(at + offset);
        }
    }
    if dropped.is_empty() {
        return folded;
    }
    let mut text = Vec::with_capacity(bytes.len());
    let mut origin = Vec::with_capacity(folded.origin.len());
    // A dropped letter's origin passes to the next kept byte, so that a word whose first letter was
    // dropped ("oedema") still starts where it was written.
    let mut carried: Option<u32> = None;
    for (k, (&byte, &o)) in bytes.iter().zip(&folded.origin).enumerate() {
        if dropped.binary_search(&k).is_ok() {
            carried = carried.or(Some(o));
            continue;
        }
        text.push(byte);
        origin.push(carried.take().unwrap_or(o));
    }
    // Only ASCII letters were dropped, so the rest is still UTF-8.
    match String::from_utf8(text) {
        Ok(text) => Folded { text, origin },
        Err(_) => folded,
    }
}

/// The matching key of a term or query: folded, lower-cased, trimmed.
pub fn normalize_term(term: &str) -> String {
    fold_with_offsets(term.trim()).text.to_lowercase()
}

/// The names an eponym in brackets stands for: ICD-10-CM writes "Mucocutaneous lymph node syndrome
/// [Kawasaki]", clinicians and protocols write "Kawasaki disease" or "Kawasaki syndrome". Only a
/// capitalised name (one word, or two joined by a hyphen: "[Churg-Strauss]") at the end of a title.
pub(crate) fn eponym_names(title: &str) -> Vec<String> {
    let Some(inner) = title.strip_suffix(']').and_then(|t| t.rsplit_once(" [")).map(|(_, e)| e) else {
        return Vec::new();
    };
    let is_name = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase) && w.len() > 2
    };
    if !inner.split('-').all(is_name) || inner.split('-').count() > 2 {
        return Vec::new();
    }
    ["disease", "syndrome"].iter().flat_map(|head| [format!("{inner} {head}"), format!("{inner}'s {head}")]).collect()
}

/// The names protocols give a MeSH enzyme-action class: "Cytochrome P-450 CYP3A Inhibitors" is
/// written "CYP3A inhibitors", "strong CYP3A4 inducer" (CYP3A4 is the CYP3A enzyme drug-interaction
/// guidance names; CYP3A5 is the family's other member). Singular and plural, as protocols write both.
pub(crate) fn enzyme_class_names(drug_class: bool, name: &str) -> Vec<String> {
    let Some(rest) = name.strip_prefix("Cytochrome P-450 ").filter(|_| drug_class) else {
        return Vec::new();
    };
    let Some((enzyme, action)) = rest.split_once(' ') else { return Vec::new() };
    let action = action.to_lowercase();
    let Some(singular) = action.strip_suffix('s') else { return Vec::new() };
    let mut enzymes = vec![enzyme.to_string()];
    if enzyme == "CYP3A" {
        enzymes.extend(["CYP3A4".to_string(), "CYP3A4/5".to_string()]);
    }
    enzymes.iter().flat_map(|e| [format!("{e} {action}"), format!("{e} {singular}")]).collect()
}

/// Words whose last letter is an "s" that is not a plural ending: mass nouns and Latin names that
/// MeSH writes as they are ("Diabetes Mellitus" is not here, it does not end in the word).
const NOT_PLURAL: &[&str] = &[
    "diabetes",
    "herpes",
    "rabies",
    "scabies",
    "caries",
    "measles",
    "mumps",
    "rickets",
    "series",
    "species",
    "facies",
    "ascites",
    "feces",
    "faeces",
    "lues",
    "pancreas",
    "diagnosis",
    "aids",
    "news",
];

/// The singular of a MeSH term whose last word is plural. MeSH names its descriptors in the plural
/// ("Diabetic Nephropathies", "Kidney Calculi", "Protein Kinase Inhibitors") and its entry terms
/// follow, while criteria and notes write one patient's disease or one drug class in the singular
/// ("diabetic nephropathy", "a kinase inhibitor"). Only the last word is changed, only for terms of
/// two words or more (the singular of a one-word class name is often an adjective: "hypoglycemics",
/// "adrenergics"; of a short one an abbreviation: "aids"), never for "-ics" ("genetics"), and only
/// by the regular English and Latin plural endings of medical nouns. A term with a comma
/// (MeSH's inverted form) is left alone: its uninverted form is a term of its own.
pub(crate) fn singular_term(term: &str) -> Option<String> {
    if term.contains(',') || term.chars().any(|c| c.is_uppercase()) {
        return None;
    }
    let (head, last) = term.rsplit_once(' ')?;
    Some(format!("{head} {}", singular_word(last)?))
}

/// The singular of one plural noun, by the first ending that applies.
fn singular_word(word: &str) -> Option<String> {
    if word.len() < 4 || !word.is_ascii() || NOT_PLURAL.contains(&word) || word.ends_with("ics") {
        return None;
    }
    let replace = |suffix: &str, by: &str| word.strip_suffix(suffix).map(|stem| format!("{stem}{by}"));
    // Greek and Latin endings first: "psychoses", "metastases", "calculi", "vertebrae".
    let classical = [("oses", "osis"), ("stases", "stasis"), ("theses", "thesis"), ("ruses", "rus"), ("sses", "ss")];
    if let Some(s) = classical.iter().find_map(|(suffix, by)| replace(suffix, by)) {
        return Some(s);
    }
    if let Some(stem) = word.strip_suffix('i').filter(|s| s.ends_with(|c: char| "lbvgcr".contains(c))) {
        return Some(format!("{stem}us"));
    }
    if word.ends_with("ae") {
        return Some(word[..word.len() - 1].to_string());
    }
    if let Some(s) = replace("ies", "y") {
        return Some(s);
    }
    // "rashes", "reflexes", "patches"; but "headaches" keeps its "e".
    let sibilant = ["shes", "xes", "zes", "ches"].iter().any(|s| word.ends_with(s)) && !word.ends_with("aches");
    if sibilant {
        return Some(word[..word.len() - 2].to_string());
    }
    let stem = word.strip_suffix('s')?;
    let singular_ending =
        ["s", "u", "i"].iter().any(|e| stem.ends_with(e)) || (stem.ends_with('a') && !stem.ends_with("oma"));
    (!singular_ending).then(|| stem.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_and_keeps_origin() {
        let f = fold_with_offsets("Sjögren’s  syndrome");
        assert_eq!(f.text, "Sjogren's syndrome");
        assert_eq!(f.origin.len(), f.text.len());
        // "s" of syndrome is char 11 in the original (two spaces collapsed into one).
        assert_eq!(f.origin[f.text.find("syndrome").unwrap()], 11);
    }

    #[test]
    fn british_medical_spellings_are_written_the_american_way() {
        let folded = |s: &str| fold_with_offsets(s).text;
        assert_eq!(folded("Haemorrhage, anaemia and ischaemic oedema"), "Hemorrhage, anemia and ischemic edema");
        assert_eq!(folded("oesophageal tumours, diarrhoea, dyspnoea"), "esophageal tumors, diarrhea, dyspnea");
        assert_eq!(
            folded("Paediatric coeliac disease; foetal anaesthesia"),
            "Pediatric celiac disease; fetal anesthesia"
        );
        assert_eq!(
            folded("Acute myeloid leukaemia after caesarean section"),
            "Acute myeloid leukemia after cesarean section"
        );
        // Words that only look alike are kept: "does", "aerobic", "shoes", "Michael".
        assert_eq!(folded("does aerobic shoes Michael"), "does aerobic shoes Michael");
        // Offsets still point into the original: "edema" starts where "oedema" does, and its "d" is
        // char 2 of the original.
        let f = fold_with_offsets("oedema");
        assert_eq!((f.text.as_str(), f.origin[0], f.origin[1]), ("edema", 0, 2));
    }

    #[test]
    fn a_hyphen_joining_two_words_matches_a_space() {
        let folded = |s: &str| fold_with_offsets(s).text;
        assert_eq!(folded("left bundle-branch block"), folded("left bundle branch block"));
        assert_eq!(folded("X\u{2013}linked"), "X linked");
        // Hyphens beside digits and signs are kept: "HER2-negative", "PD-1", "-5".
        assert_eq!(folded("HER2-negative PD-1 at -5"), "HER2-negative PD-1 at -5");
        assert_eq!(fold_with_offsets("a-b").origin, vec![0, 1, 2]);
    }

    #[test]
    fn expansions_map_to_one_char() {
        let f = fold_with_offsets("Straße");
        assert_eq!(f.text, "Strasse");
        assert_eq!(&f.origin[4..6], &[4, 4]);
    }

    #[test]
    fn mesh_plural_terms_have_singular_forms() {
        let cases = [
            ("diabetic nephropathies", Some("diabetic nephropathy")),
            ("kidney calculi", Some("kidney calculus")),
            ("protein kinase inhibitors", Some("protein kinase inhibitor")),
            ("brain metastases", Some("brain metastasis")),
            ("reactive psychoses", Some("reactive psychosis")),
            ("lung neoplasms", Some("lung neoplasm")),
            ("cluster headaches", Some("cluster headache")),
            ("heat rashes", Some("heat rash")),
            ("lumbar vertebrae", Some("lumbar vertebra")),
            ("hepatitis viruses", Some("hepatitis virus")),
            ("skin abscesses", Some("skin abscess")),
            ("non-hodgkin lymphomas", Some("non-hodgkin lymphoma")),
            ("visual hallucinations", Some("visual hallucination")),
            // One word, whose singular may be an adjective; "-ics".
            ("hypoglycemics", None),
            ("hallucinations", None),
            ("medical genetics", None),
            // Not plurals, or not safe to change.
            ("gestational diabetes", None),
            ("acute pancreas", None),
            ("genital herpes", None),
            ("multiple sclerosis", None),
            ("systemic lupus erythematosus", None),
            ("lung diseases, obstructive", None),
            ("aids", None),
            ("seizure", None),
        ];
        for (term, want) in cases {
            assert_eq!(singular_term(term).as_deref(), want, "{term}");
        }
    }
}
