//! The qualifier word table: words that narrow a condition ("metastatic", "relapsing-remitting",
//! "moderate to severe"), each with its kind and the canonical lower-case value both engines emit.
//! The table lives in `data/curated/qualifiers.tsv` so clinicians can review it without reading Rust;
//! it is the one table both the criteria engine ([`QUALIFIER_TABLE`]) and the patient readers use.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The qualifier table as written (`phrase <TAB> kind <TAB> value` rows, `#` comments), for readers
/// that index it their own way (the criteria engine matches it on its own tokens).
pub const QUALIFIER_TABLE: &str = include_str!("../data/curated/qualifiers.tsv");

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualifierWord {
    /// The model's `QualifierKind` name in snake case (`severity`, `stage`, ...).
    pub kind: String,
    /// The canonical value ("relapsing-remitting").
    pub value: String,
}

struct Table {
    /// Phrase in matching form (see [`qualifier_key`]) → its row.
    by_phrase: HashMap<String, QualifierWord>,
    /// The first words of every phrase of two words or more ("relapsing", "relapsing remitting" of
    /// "relapsing remitting disease"), so that a reader stops trying longer phrases early.
    prefixes: HashSet<String>,
    /// The values of the `route` rows ("inhaled", "oral"), for [`route_value`] on the matcher's
    /// path.
    routes: HashSet<String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_phrase = HashMap::new();
        for line in QUALIFIER_TABLE.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            // The table is embedded and covered by tests; a bad row is a build-time mistake.
            let [phrase, kind, value] = line.split('\t').collect::<Vec<_>>()[..] else {
                panic!("qualifiers.tsv: malformed row {line:?}")
            };
            by_phrase.insert(qualifier_key(phrase), QualifierWord { kind: kind.to_string(), value: value.to_string() });
        }
        let mut prefixes = HashSet::new();
        for key in by_phrase.keys() {
            let words: Vec<&str> = key.split(' ').collect();
            for n in 1..words.len() {
                prefixes.insert(words.get(..n).unwrap_or_default().join(" "));
            }
        }
        let routes = by_phrase.values().filter(|row| row.kind == "route").map(|row| row.value.clone()).collect();
        Table { by_phrase, prefixes, routes }
    })
}

/// The matching form of a phrase: lower case, words split at anything not a letter or digit
/// ("life-threatening" → "life threatening"), joined by one space.
pub fn qualifier_key(phrase: &str) -> String {
    phrase.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The row for a phrase already in matching form ([`qualifier_key`]).
pub fn qualifier_word(key: &str) -> Option<&'static QualifierWord> {
    table().by_phrase.get(key)
}

/// Whether some longer phrase of the table starts with these words (in matching form).
pub fn is_qualifier_prefix(key: &str) -> bool {
    table().prefixes.contains(key)
}

/// Routes by which a drug reaches the whole body: what "systemic" therapy means ("systemic (oral or
/// injectable) corticosteroids"), as opposed to inhaled, topical or intranasal use.
const SYSTEMIC_ROUTES: &[&str] = &["oral", "intravenous", "subcutaneous", "intramuscular", "parenteral", "depot"];

/// The route a qualifier value names (a `route` row of the table, or "systemic"), if it names one.
pub fn route_value(value: &str) -> Option<&'static str> {
    if value == "systemic" {
        return Some("systemic");
    }
    table().routes.get(value).map(String::as_str)
}

/// Whether a drug given by `given` is given by `wanted`: the same route, or one of the routes a
/// systemic therapy takes.
pub fn route_includes(wanted: &str, given: &str) -> bool {
    wanted == given || (wanted == "systemic" && SYSTEMIC_ROUTES.contains(&given))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systemic_therapy_is_oral_or_injected_and_not_inhaled() {
        assert_eq!(route_value("inhaled"), Some("inhaled"));
        assert_eq!(route_value("chronic"), None);
        assert!(route_includes("systemic", "oral"));
        assert!(route_includes("systemic", "intravenous"));
        assert!(!route_includes("systemic", "inhaled"));
        assert!(!route_includes("systemic", "topical"));
        assert!(!route_includes("oral", "intravenous"));
    }

    #[test]
    fn every_row_has_a_known_kind_and_a_lower_case_value() {
        let kinds = [
            "severity",
            "acuteness",
            "course",
            "stage",
            "subtype",
            "activity",
            "event",
            "other",
            "site",
            "route",
            "effect",
        ];
        for word in table().by_phrase.values() {
            assert!(kinds.contains(&word.kind.as_str()), "{word:?}");
            assert_eq!(word.value, word.value.to_lowercase(), "{word:?}");
        }
    }

    #[test]
    fn hyphens_and_case_do_not_matter() {
        let word = qualifier_word(&qualifier_key("Relapsing-Remitting")).unwrap();
        assert_eq!((word.kind.as_str(), word.value.as_str()), ("course", "relapsing-remitting"));
        assert!(is_qualifier_prefix("relapsing") && !is_qualifier_prefix("relapsing remitting"));
    }
}
