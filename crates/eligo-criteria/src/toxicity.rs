//! The toxicity of a therapy is not the therapy: "Unresolved toxicities from prior anti-cancer
//! therapy", "recovered from adverse events of previous chemotherapy", "side effects related to
//! prior radiotherapy". Read word by word, such a criterion names the therapy and becomes "prior
//! chemotherapy", which excludes everyone who ever had it (or, as an inclusion, is met by them).
//! It is about the toxicity: a drug's adverse effect, which a chart seldom records as such, so the
//! criterion is left to the question rather than decided by the therapy.

use eligo_model::{Computable, ConceptRef, Scope, Section};

use crate::parse::Analysis;
use crate::text::WordSet;

/// Words that name a harm a treatment caused ("toxicity", "adverse events", "side effects").
static HARM_HEADS: WordSet =
    WordSet::new("toxicity toxicities effect effects event events reaction reactions ae aes sae saes");

/// Words a cause follows: "toxicity *from*", "adverse events *related to*", "*due to*".
static CAUSE_WORDS: WordSet =
    WordSet::new("from of related due attributed attributable associated caused secondary following induced");

/// Words that make "effect", "event" or "reaction" a harm ("adverse", "side", "toxic").
static HARM_ADJECTIVES: WordSet = WordSet::new("adverse side toxic untoward");

/// Drug-Related Side Effects and Adverse Reactions (MeSH), what such a criterion asks about.
const ADVERSE_EFFECT: (&str, &str) = ("MESH:D064420", "Drug-Related Side Effects and Adverse Reactions");

/// How many tokens may stand between the harm word and its cause word ("toxicities *that have
/// not resolved* from").
const MAX_GAP: usize = 5;

/// The token from which the therapies named are the cause of a harm the criterion names, if it
/// names one: the cause word after "toxicity" / "adverse events" / "side effects".
fn cause_start(a: &Analysis) -> Option<usize> {
    let t = &a.tokens;
    let harm = (0..t.len()).find(|&k| {
        let word = t[k].lower.as_str();
        HARM_HEADS.contains(word)
            && (word.starts_with("toxic")
                || matches!(word, "ae" | "aes" | "sae" | "saes")
                || k.checked_sub(1).is_some_and(|p| HARM_ADJECTIVES.contains(&t[p].lower)))
    })?;
    (harm + 1..(harm + 1 + MAX_GAP).min(t.len())).find(|&k| CAUSE_WORDS.contains(&t[k].lower))
}

/// Replaces the readings of a therapy named as the cause of a harm with the harm itself.
pub(crate) fn read_the_harm_not_its_cause(a: &Analysis, groups: &mut Vec<Vec<Computable>>) {
    let Some(from) = cause_start(a) else { return };
    // The cause runs to the end of its clause: "toxicities of prior therapy; at least 3 weeks
    // since chemotherapy" names the chemotherapy again as a washout, not as a cause.
    let to = (from..a.tokens.len())
        .find(|&k| matches!(a.tokens[k].lower.as_str(), ";" | "." | ":" | ","))
        .unwrap_or(a.tokens.len());
    // The concepts named there, and the words of those no vocabulary names ("prior therapy" reads
    // as a `TEXT:` concept of its words).
    let caused: Vec<String> = a
        .mentions
        .iter()
        .filter(|(_, (first, _))| *first > from && *first < to)
        .flat_map(|(m, _)| {
            let words: String = a.prepared.chars.get(m.start..m.end).unwrap_or_default().iter().collect();
            m.concept_ids.iter().cloned().chain(std::iter::once(format!("TEXT:{}", words.to_lowercase())))
        })
        .collect();
    let is_cause = |c: &ConceptRef| caused.contains(&c.id);
    let before = groups.iter().map(Vec::len).sum::<usize>();
    for group in groups.iter_mut() {
        group.retain(|c| match c {
            Computable::PriorTherapy { drugs, .. } => !drugs.iter().all(is_cause),
            Computable::Procedure { concepts, .. } => !concepts.iter().all(is_cause),
            _ => true,
        });
    }
    groups.retain(|g| !g.is_empty());
    if groups.iter().map(Vec::len).sum::<usize>() == before {
        return;
    }
    if groups.is_empty() {
        let (id, name) = ADVERSE_EFFECT;
        let harm = ConceptRef { id: id.into(), name: name.into() };
        groups.push(vec![Computable::Condition {
            concepts: vec![harm],
            status: None,
            window: None,
            scope: Scope::default(),
        }]);
    }
}

/// "Recovered from toxicities of prior therapy", "resolution of adverse events of prior
/// chemotherapy": a requirement that the harm is over is its absence. Only a criterion that is
/// about the harm alone is turned (one asking for other things too is not negated as a whole), and
/// not when a grade bound was read (`grade_bound` turned it already: "to grade 1 or less").
pub(crate) fn negate_recovery(a: &Analysis, section: Section, groups: &[Vec<Computable>], negated: &mut bool) {
    let [group] = groups else { return };
    let [Computable::Condition { concepts, scope, .. }] = group.as_slice() else { return };
    let only_the_harm = concepts.iter().all(|c| c.id == ADVERSE_EFFECT.0);
    let graded = scope.qualifiers.iter().any(|q| q.value.starts_with("grade "));
    let recovery = |w: &str| matches!(w, "recovered" | "recover" | "recovery" | "resolved" | "resolution" | "resolve");
    if section != Section::Exclusion && only_the_harm && !graded && a.tokens.iter().any(|t| recovery(&t.lower)) {
        *negated = true;
    }
}

#[cfg(test)]
mod tests {
    use eligo_model::{Computable, Criterion};

    fn criteria(text: &str) -> Vec<Criterion> {
        crate::parse_criteria(text)
    }

    fn is_prior_therapy(c: &Criterion) -> bool {
        c.computable.iter().any(|r| matches!(r, Computable::PriorTherapy { .. }))
    }

    fn is_adverse_effect(c: &Criterion) -> bool {
        c.computable
            .iter()
            .any(|r| matches!(r, Computable::Condition { concepts, .. } if concepts[0].id == "MESH:D064420"))
    }

    #[test]
    fn the_toxicity_of_a_therapy_is_read_not_the_therapy() {
        let parsed = criteria(
            "Exclusion Criteria:\n- Unresolved toxicities from prior anti-cancer therapy\n- Side effects related to \
             previous chemotherapy above grade 1\n- Prior chemotherapy within 4 weeks",
        );
        assert!(is_adverse_effect(&parsed[0]) && !is_prior_therapy(&parsed[0]), "{:?}", parsed[0]);
        assert!(is_adverse_effect(&parsed[1]) && !is_prior_therapy(&parsed[1]), "{:?}", parsed[1]);
        assert!(is_prior_therapy(&parsed[2]), "{:?}", parsed[2]);
    }

    #[test]
    fn recovery_from_the_toxicity_is_its_absence() {
        for text in [
            "Inclusion Criteria:\n- Recovered from toxicities related to prior anticancer therapy",
            "Inclusion Criteria:\n- Recovered from adverse events of prior chemotherapy to grade 1 or less",
        ] {
            let parsed = criteria(text);
            assert!(!is_prior_therapy(&parsed[0]) && parsed[0].negated, "{:?}", parsed[0]);
        }
        // A therapy named beside a harm without a cause word is still the therapy.
        let parsed = criteria("Exclusion Criteria:\n- Prior radiotherapy with grade 3 toxicity");
        assert!(parsed[0].computable.iter().any(|r| matches!(r, Computable::Procedure { .. })), "{:?}", parsed[0]);
    }
}
