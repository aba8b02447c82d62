//! Qualifiers of a condition read from the words around it: "stage IIIB", "moderate to severe",
//! "relapsing-remitting", "type 2", "poorly controlled", "exacerbation", "for 2 days".
//!
//! Words come from the shared table (`eligo-vocab/data/curated/qualifiers.tsv`) so that a patient's
//! "relapsing-remitting" and a criterion's carry the same canonical value; stages, grades and
//! durations are read by pattern because they carry a number.

use eligo_model::{Qualifier, QualifierKind};
use eligo_vocab::{is_qualifier_prefix, qualifier_word};

use crate::markers::MarkerResult;
use crate::resolve::mentions_and_markers;

/// Words that deny the qualifier right after them ("non-metastatic", "not controlled" is in the
/// table as a phrase of its own).
const DENYING_WORDS: [&str; 3] = ["non", "not", "no"];
/// How long a symptom may have lasted and still be acute, and the start of chronic, in days (the
/// common clinical convention: acute under 4 weeks, chronic from 3 months).
const ACUTE_BELOW_DAYS: f64 = 28.0;
const CHRONIC_FROM_DAYS: f64 = 90.0;

/// Every qualifier the text states, in order, without repeats. `text` is any case.
pub fn read_qualifiers(text: &str) -> Vec<Qualifier> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let mut found: Vec<Qualifier> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (qualifier, used) = numbered_stage(&words[i..])
            .or_else(|| duration(&words[i..]))
            .or_else(|| table_phrase(&words, i))
            .map_or((None, 1), |(q, used)| (Some(q), used.max(1)));
        if let Some(q) = qualifier {
            if !found.contains(&q) {
                found.push(q);
            }
        }
        i += used;
    }
    found
}

/// What a condition's recorded name says beyond the disease ("HER2-positive breast cancer, stage
/// II"): its qualifiers, biomarker ones included, and the marker results it states.
pub fn qualifiers_of_name(name: &str) -> (Vec<Qualifier>, Vec<MarkerResult>) {
    let (_, markers) = mentions_and_markers(name);
    let mut qualifiers = read_qualifiers(name);
    qualifiers.extend(markers.iter().map(MarkerResult::qualifier));
    (qualifiers, markers)
}

fn qualifier(kind: QualifierKind, value: impl Into<String>) -> Qualifier {
    Qualifier { kind, value: value.into(), concept: None, polarity: None }
}

/// The longest table phrase starting at word `i`, unless a denying word stands right before it.
fn table_phrase(words: &[&str], i: usize) -> Option<(Qualifier, usize)> {
    let denied = i.checked_sub(1).and_then(|p| words.get(p)).is_some_and(|w| DENYING_WORDS.contains(w));
    let starts_with_denial = words.get(i).is_some_and(|w| DENYING_WORDS.contains(w));
    if denied && !starts_with_denial {
        return None;
    }
    let mut key = String::new();
    let mut longest = None;
    for (n, word) in words.get(i..)?.iter().enumerate() {
        if n > 0 {
            key.push(' ');
        }
        key.push_str(word);
        if let Some(found) = qualifier_word(&key) {
            longest = Some((found, n + 1));
        }
        if !is_qualifier_prefix(&key) {
            break;
        }
    }
    let (word, used) = longest?;
    let kind = serde_json::from_value(serde_json::Value::String(word.kind.clone())).ok()?;
    Some((qualifier(kind, word.value.clone()), used))
}

/// "stage IIIB", "stage 4", "grade 2": roman numerals kept, arabic stages 1–4 written in roman as
/// staging systems do, so that "stage 4" and "stage IV" are one value.
fn numbered_stage(words: &[&str]) -> Option<(Qualifier, usize)> {
    let (label, number) = (words.first()?, words.get(1)?);
    match *label {
        "stage" => Some((qualifier(QualifierKind::Stage, format!("stage {}", stage_number(number)?)), 2)),
        "grade" if number.len() <= 2 && number.chars().all(|c| c.is_ascii_digit()) => {
            Some((qualifier(QualifierKind::Stage, format!("grade {number}")), 2))
        }
        _ => None,
    }
}

/// "iiib" → "iiib", "3a" → "iiia", "0" → "0"; anything else is no stage.
fn stage_number(raw: &str) -> Option<String> {
    let split = raw.find(|c: char| !matches!(c, 'i' | 'v' | '0'..='9')).unwrap_or(raw.len());
    let (number, letter) = raw.split_at(split);
    if letter.len() > 1 || !letter.chars().all(|c| matches!(c, 'a'..='c')) {
        return None;
    }
    let roman = match number {
        "0" => "0",
        "1" | "i" => "i",
        "2" | "ii" => "ii",
        "3" | "iii" => "iii",
        "4" | "iv" => "iv",
        _ => return None,
    };
    Some(format!("{roman}{letter}"))
}

/// "for 2 days", "for the past 3 months", "for several weeks", "5 days of", "a 2-week history of":
/// how long it has lasted says whether it is acute, subacute or chronic.
fn duration(words: &[&str]) -> Option<(Qualifier, usize)> {
    let led_by_for = words.first() == Some(&"for");
    let skip = match (led_by_for, words.get(1), words.get(2)) {
        (true, Some(&"the"), Some(&"past" | &"last")) => 3,
        (true, ..) => 1,
        (false, ..) => 0,
    };
    let amount = match *words.get(skip)? {
        "a" | "an" | "one" => 1.0,
        "two" | "couple" => 2.0,
        "three" | "few" | "several" => 3.0,
        number => number.parse::<f64>().ok()?,
    };
    let unit = eligo_model::TimeUnit::parse(words.get(skip + 1)?)?;
    let mut used = skip + 2;
    if !led_by_for {
        // Without "for", only "N days of ..." and "an N-day history of ..." say how long it lasted.
        used += match (words.get(used), words.get(used + 1)) {
            (Some(&"of"), _) => 1,
            (Some(&"history"), Some(&"of")) => 2,
            _ => return None,
        };
    }
    let days = amount * unit.days();
    let value = if days < ACUTE_BELOW_DAYS {
        "acute"
    } else if days < CHRONIC_FROM_DAYS {
        "subacute"
    } else {
        "chronic"
    };
    Some((qualifier(QualifierKind::Acuteness, value), used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(QualifierKind, String)> {
        read_qualifiers(text).into_iter().map(|q| (q.kind, q.value)).collect()
    }

    #[test]
    fn stages_are_one_spelling() {
        assert_eq!(values("Stage 3A, "), [(QualifierKind::Stage, "stage iiia".to_string())]);
        assert_eq!(values("stage IV disease"), [(QualifierKind::Stage, "stage iv".to_string())]);
        assert_eq!(values("grade 2"), [(QualifierKind::Stage, "grade 2".to_string())]);
        assert!(values("stage of life").is_empty());
    }

    #[test]
    fn the_longest_phrase_wins_and_hyphens_are_spaces() {
        assert_eq!(
            values("moderate-to-severe plaque"),
            [
                (QualifierKind::Severity, "moderate to severe".to_string()),
                (QualifierKind::Subtype, "plaque".to_string())
            ]
        );
        assert_eq!(values("Relapsing-Remitting"), [(QualifierKind::Course, "relapsing-remitting".to_string())]);
    }

    #[test]
    fn a_denied_word_is_no_qualifier() {
        assert!(values("non-metastatic").is_empty());
        assert_eq!(values("non-small cell"), [(QualifierKind::Subtype, "non-small cell".to_string())]);
    }

    #[test]
    fn how_long_it_lasted_is_its_acuteness() {
        assert_eq!(values("for 2 days"), [(QualifierKind::Acuteness, "acute".to_string())]);
        assert_eq!(values("for the past 6 months"), [(QualifierKind::Acuteness, "chronic".to_string())]);
        assert_eq!(values("for several weeks"), [(QualifierKind::Acuteness, "acute".to_string())]);
        assert_eq!(values("6 weeks of"), [(QualifierKind::Acuteness, "subacute".to_string())]);
        assert_eq!(values("a 2-year history of"), [(QualifierKind::Acuteness, "chronic".to_string())]);
        assert!(values("3 days ago").is_empty());
    }
}
