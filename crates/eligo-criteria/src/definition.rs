//! Lines that say what a term means or whom the next lines are for, not a requirement: "HER2
//! positivity is defined by FISH and/or 3+ staining by IHC", "Females of childbearing potential
//! are defined as sexually mature women without prior hysterectomy", "Women of childbearing
//! potential include any female who has experienced menarche", "All IHC 1+ tumours are reported as
//! HER2 negative", and a group heading such as "For Male Subjects". Read as rules they would
//! require (or exclude) what the term names; they are structure, read by the criteria that use the
//! term or stand under the heading.

use crate::cues::CueKind;
use crate::parse::Analysis;
use crate::text::{TokenKind, WordSet};

/// Verbs that define a term when written "is/are VERB as" ("is defined as", "are reported as").
static DEFINING_VERBS: WordSet = WordSet::new("defined reported classified");

/// Words of a term that is itself a requirement being spelled out ("Adequate organ function is
/// defined as ANC ≥ 1500", "Measurable disease is defined as ..."): the definition is the rule.
static REQUIREMENT_TERMS: WordSet = WordSet::new(
    "adequate normal sufficient acceptable satisfactory appropriate function functions reserve measurable \
     evaluable controlled stable",
);

/// How many tokens the defined term may take before its verb.
const TERM_REACH: usize = 12;

/// Whether the criterion is a definition or a group heading rather than a requirement.
pub(crate) fn is_definition(a: &Analysis) -> bool {
    defines_a_term(a) || group_heading(a)
}

/// "X is/are defined as|by ...", "X are reported as ...", "Women of childbearing potential include
/// any ...": the verb in the first sentence, within a few tokens of the start, the term before it no
/// requirement of its own.
fn defines_a_term(a: &Analysis) -> bool {
    let words: Vec<&str> = a.tokens.iter().map(|t| t.lower.as_str()).collect();
    let verb_at = (1..words.len().min(TERM_REACH)).find(|&k| match words[k..] {
        ["is" | "are", verb, "as" | "by" | ":", ..] => DEFINING_VERBS.contains(verb),
        ["include" | "includes", "any" | "all", ..] => {
            words[..k].iter().any(|w| matches!(*w, "potential" | "reproductive") || w.ends_with("bearing"))
        }
        _ => false,
    });
    let Some(k) = verb_at else { return false };
    let term = &words[..k];
    // "Hypertension, which is defined as ...", "Pregnant women, where pregnancy is defined as ...",
    // "Vitamin D insufficiency (insufficiency is defined as ...)": a requirement comes first.
    let requirement_before =
        term.iter().any(|w| matches!(*w, "." | ";" | "," | "(" | "[" | "which" | "where" | "must" | "should"));
    // "Subject is defined as having AML": the people themselves are no term.
    let only_people = term.iter().all(|w| crate::demographics::PERSON_WORDS.contains(w));
    !requirement_before && !only_people && !term.iter().any(|w| REQUIREMENT_TERMS.contains(w))
}

/// "For Male Subjects", "For female patients:": a group opener, one sex and the people, nothing
/// else — the heading of the items after it.
fn group_heading(a: &Analysis) -> bool {
    let Some(first) = a.tokens.first() else { return false };
    let sex_at = |k: usize| {
        a.cues.iter().any(|c| {
            c.tokens.0 <= k && k < c.tokens.1 && matches!(c.kind, CueKind::Sex(id) if id.starts_with("ELIGO:sex."))
        })
    };
    let only_people = a.tokens.iter().enumerate().skip(1).all(|(k, t)| {
        t.kind != TokenKind::Word || sex_at(k) || crate::demographics::PERSON_WORDS.contains(&t.lower.as_str())
    });
    first.lower == "for" && a.tokens.len() > 1 && only_people && (1..a.tokens.len()).any(sex_at)
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, NonComputableReason};

    fn structure(text: &str) -> bool {
        let found = parse_criteria(text);
        let read = found.iter().find(|c| !c.text.ends_with("Criteria:")).map(|c| c.computable.clone());
        read == Some(vec![Computable::NotComputable { reason: NonComputableReason::Structure }])
    }

    #[test]
    fn a_definition_of_a_term_is_structure() {
        assert!(structure(
            "Inclusion Criteria:\n- PD-L1 positivity is defined by a tumour proportion score of 1% or more"
        ));
        assert!(structure(
            "Exclusion Criteria:\n- Women of reproductive age are defined as females after menarche without hysterectomy"
        ));
        assert!(structure(
            "Inclusion Criteria:\n- Women of childbearing potential include any woman who has had a period"
        ));
        assert!(structure("Exclusion Criteria:\n- Tumours with IHC 1+ staining are reported as ALK negative"));
    }

    #[test]
    fn a_requirement_spelled_out_stays_a_requirement() {
        assert!(!structure("Inclusion Criteria:\n- Adequate marrow function is defined as platelets ≥ 90 × 10^9/L"));
        assert!(!structure("Inclusion Criteria:\n- PD-L1 positive tumour; positivity is defined by TPS ≥ 1%"));
        assert!(!structure(
            "Exclusion Criteria:\n- Breastfeeding women, where breastfeeding is defined as any nursing"
        ));
        assert!(!structure("Inclusion Criteria:\n- Participant is defined as having confirmed gout"));
    }

    #[test]
    fn a_group_heading_is_structure() {
        assert!(structure("Inclusion Criteria:\n- For Female Participants\n- Negative pregnancy test"));
        assert!(!structure("Inclusion Criteria:\n- For female participants, a negative pregnancy test"));
    }
}
