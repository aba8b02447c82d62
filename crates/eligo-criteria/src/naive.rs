//! "Naïve" to a therapy: "methotrexate-naïve", "chemotherapy naive", "naïve to biologic therapy",
//! "treatment-naïve". The word says the patient has *never* received the therapy it is joined
//! to, so the therapy is not a requirement but its absence is; read as if the criterion said "no
//! prior methotrexate". Without this the therapy reads as prior therapy the patient must have had,
//! the opposite of what the protocol asks.
//!
//! * When the naïve therapies are the criterion's only clinical content, the whole criterion is
//!   negated: "Methotrexate-naïve" in the inclusion list
//!   asks for no prior methotrexate, "Subjects who are chemotherapy-naïve are ineligible" in the
//!   exclusion list for prior chemotherapy.
//! * Beside another requirement ("HIV-1 infection, ART-naïve") one criterion cannot say both "has
//!   HIV" and "never had ART": the therapy is set aside, so it is at least not required.
//! * Naïve *or* experienced ("treatment-naïve or previously treated", "naïve or relapsed after
//!   prior therapy") admits both: every therapy of the criterion is set aside.

use eligo_model::EntityType;

use crate::parse::Analysis;
use crate::text::WordSet;

/// How a criterion's naïve words bear on its therapies.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Naive {
    /// Indices (into `Analysis::mentions`) of therapies that are not requirements.
    pub set_aside: Vec<usize>,
    /// The criterion asks for the absence of its therapies: read it negated.
    pub negates: bool,
}

static NAIVE_WORDS: WordSet = WordSet::new("naive naïve naïf naif");

/// Words after "naïve or" that admit the patients who did receive the therapy.
static EXPERIENCED_WORDS: WordSet = WordSet::new(
    "experienced exposed pretreated pre-treated previously prior previous treated relapsed refractory \
     responder responders failed intolerant resistant",
);

/// Reads the criterion's naïve therapies, if it has any.
pub(crate) fn naive(a: &Analysis) -> Naive {
    let words: Vec<usize> =
        (0..a.tokens.len()).filter(|&k| a.tokens.get(k).is_some_and(|t| NAIVE_WORDS.contains(&t.lower))).collect();
    if words.is_empty() {
        return Naive::default();
    }
    let therapies: Vec<usize> = (0..a.mentions.len()).filter(|&i| is_therapy(a, i)).collect();
    if words.iter().any(|&k| either_state(a, k)) {
        return Naive { set_aside: therapies, negates: false };
    }
    let naive: Vec<usize> = therapies.iter().copied().filter(|&i| words.iter().any(|&k| joined(a, i, k))).collect();
    if naive.is_empty() {
        return Naive::default();
    }
    let other_content = (0..a.mentions.len())
        .any(|i| !naive.contains(&i) && !names_the_target(a, i, &naive) && is_requirement_content(a, i));
    if other_content {
        Naive { set_aside: naive, negates: false }
    } else {
        Naive { set_aside: Vec::new(), negates: true }
    }
}

fn is_therapy(a: &Analysis, i: usize) -> bool {
    a.mentions.get(i).is_some_and(|(m, _)| matches!(m.kind, EntityType::Drug | EntityType::Procedure))
}

/// Whether mention `i` is the therapy the naïve word at token `k` is joined to: right before it
/// ("methotrexate-naïve", "chemotherapy naive"), or within a few words after "naïve to".
fn joined(a: &Analysis, i: usize, k: usize) -> bool {
    let Some((_, (first, end))) = a.mentions.get(i) else { return false };
    let before = *end == k || (*end + 1 == k && a.tokens.get(*end).is_some_and(|t| t.lower == "-"));
    let after = a.tokens.get(k + 1).is_some_and(|t| t.lower == "to") && *first > k + 1 && *first <= k + 5;
    before || after
}

/// Whether the naïve word at token `k` is one of two alternatives the other of which is having
/// had the therapy ("naïve or treatment-experienced", "naïve or relapsed").
fn either_state(a: &Analysis, k: usize) -> bool {
    let word = |j: usize| a.tokens.get(j).map(|t| t.lower.as_str());
    let or_after = (k + 1..k + 3).find(|&j| matches!(word(j), Some("or" | "and/or" | "/")));
    let experienced_after =
        or_after.is_some_and(|o| (o + 1..o + 5).any(|j| word(j).is_some_and(|w| EXPERIENCED_WORDS.contains(w))));
    // "Treatment-experienced or -naïve", "previously treated or treatment-naïve".
    let experienced_before = (k.saturating_sub(6)..k).any(|j| word(j).is_some_and(|w| EXPERIENCED_WORDS.contains(w)))
        && (k.saturating_sub(4)..k).any(|j| matches!(word(j), Some("or" | "and/or" | "/")));
    experienced_after || experienced_before
}

/// Whether mention `i` names what a naïve therapy is for, inside the therapy's own words: the "HCV"
/// of "naïve to any HCV therapy", between the word "to" and the therapy it leads to. Such a disease
/// is the therapy's target, not a second requirement; one named apart from the therapy
/// ("chemotherapy-naïve (for this malignancy)", "HIV-1 infection, ART-naïve") still is.
fn names_the_target(a: &Analysis, i: usize, naive: &[usize]) -> bool {
    let Some((_, (first, end))) = a.mentions.get(i) else { return false };
    naive.iter().any(|&t| {
        a.mentions.get(t).is_some_and(|(_, (therapy_first, _))| {
            let to_before = (first.saturating_sub(4)..*first).any(|j| a.tokens.get(j).is_some_and(|w| w.lower == "to"));
            to_before && end <= therapy_first && *therapy_first <= end + 2
        })
    })
}

/// Whether mention `i` states something the criterion requires besides the naïve therapies. Any
/// condition counts, even one the therapy is *for* ("chemotherapy-naïve (for this malignancy)"):
/// negating the whole criterion would then deny the disease as well.
fn is_requirement_content(a: &Analysis, i: usize) -> bool {
    a.mentions.get(i).is_some_and(|(m, _)| {
        matches!(m.kind, EntityType::Condition | EntityType::Drug | EntityType::Procedure | EntityType::Measurement)
    })
}

#[cfg(test)]
mod tests {
    use eligo_model::{Computable, Section};

    use crate::parse_criteria;

    /// (section, negated, kinds of reading) of each criterion of a text.
    fn readings(text: &str) -> Vec<(Section, bool, Vec<&'static str>)> {
        parse_criteria(text)
            .into_iter()
            .map(|c| {
                let kinds = c
                    .computable
                    .iter()
                    .map(|r| match r {
                        Computable::PriorTherapy { .. } => "prior therapy",
                        Computable::Procedure { .. } => "procedure",
                        Computable::Condition { .. } | Computable::Infection { .. } => "condition",
                        _ => "other",
                    })
                    .collect();
                (c.section, c.negated, kinds)
            })
            .collect()
    }

    #[test]
    fn a_therapy_the_patient_is_naive_to_is_required_absent() {
        let text = "Inclusion Criteria:\n- Adalimumab-naive\n- Patients naive to biologic therapy\n\
                    Exclusion Criteria:\n- Patients who are chemotherapy naïve";
        for (section, negated, kinds) in readings(text) {
            assert!(kinds.contains(&"prior therapy") || kinds.contains(&"procedure"), "{kinds:?}");
            // Inclusion: no prior therapy; exclusion: a patient who never had it is excluded.
            assert!(negated, "{section:?} {kinds:?}");
        }
    }

    #[test]
    fn a_naive_therapy_beside_a_disease_is_not_required() {
        let got = readings("Inclusion Criteria:\n- Chronic hepatitis C infection, interferon-naive");
        assert_eq!(got.len(), 1, "{got:?}");
        let (_, negated, kinds) = &got[0];
        assert!(!negated);
        assert_eq!(kinds, &vec!["condition"], "the disease stays, the therapy is not asked for");
    }

    #[test]
    fn the_disease_a_naive_therapy_is_for_is_not_denied() {
        let got = readings("Inclusion Criteria:\n- Chemotherapy-naive patients (for this malignancy)");
        assert!(got.iter().all(|(_, negated, _)| !negated), "{got:?}");
    }

    #[test]
    fn naive_or_experienced_asks_for_neither() {
        let got = readings("Inclusion Criteria:\n- Treatment-naive or treatment-experienced with peginterferon");
        assert!(
            got.iter().all(|(_, _, kinds)| !kinds.contains(&"prior therapy") && !kinds.contains(&"procedure")),
            "{got:?}"
        );
    }

    #[test]
    fn a_disease_inside_the_therapys_words_is_its_target_not_a_requirement() {
        for text in [
            "Inclusion Criteria:\n- Subjects must be treatment naive to any HCV therapy",
            "Inclusion Criteria:\n- Naive to hepatitis B treatment",
        ] {
            let got = readings(text);
            assert_eq!(got.len(), 1, "{got:?}");
            assert!(got[0].1, "{text}: read as asking for the therapy: {got:?}");
        }
    }
}
