//! From findings to candidate diagnoses: diseases ranked by how well the findings cover their
//! annotated features, each feature weighted by its specificity (information content) and by how
//! often it occurs in the disease.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::ontology::{Disease, Ontology, TermId};

/// How many hypotheses [`propose`] returns at most.
pub const MAX_HYPOTHESES: usize = 10;

/// A candidate diagnosis: a disease whose features the findings cover. A hypothesis, never a
/// fact of the patient.
#[derive(Debug, Clone, Serialize)]
pub struct Hypothesis {
    /// `OMIM:…` or `ORPHA:…`.
    pub disease_id: String,
    pub name: String,
    /// The Eligo vocabulary concept the disease name resolves to, when it does.
    pub concept: Option<VocabularyConcept>,
    /// In [0, 1]: a weighted geometric mean of how much of the findings' specificity the disease
    /// explains (weight 2) and how much of the disease's weighted features the findings cover
    /// (weight 1).
    pub score: f64,
    /// The findings that support it, each with the disease feature it matches.
    pub support: Vec<Support>,
}

/// An Eligo vocabulary concept (id and preferred name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VocabularyConcept {
    pub id: String,
    pub name: String,
}

/// One finding matched to a disease feature: the same term or a descendant of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Support {
    pub finding: TermId,
    pub finding_name: String,
    pub feature: TermId,
    pub feature_name: String,
}

/// Candidate diagnoses for `findings` (HPO terms the patient has), best first, at most
/// [`MAX_HYPOTHESES`]; diseases no finding touches are left out, and so are unknown ids.
pub fn propose(ontology: &Ontology, findings: &[TermId]) -> Vec<Hypothesis> {
    let findings = most_specific(ontology, findings);
    let findings_total: f64 = findings.iter().map(|&f| information_content(ontology, f)).sum();
    if findings_total <= 0.0 {
        return Vec::new();
    }
    // Every term a finding is (itself or an ancestor) → the findings below it.
    let mut covers: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (k, &finding) in findings.iter().enumerate() {
        for term in ontology.ancestors_of(finding) {
            covers.entry(term).or_default().push(k);
        }
    }
    let mut touched: Vec<usize> = covers.keys().flat_map(|&term| ontology.diseases_with(term)).copied().collect();
    touched.sort_unstable();
    touched.dedup();
    let mut scored: Vec<Scored> = touched
        .into_iter()
        .filter_map(|d| {
            let disease = ontology.diseases().get(d)?;
            let (score, matches) = score_disease(ontology, disease, &covers, findings.len(), findings_total)?;
            Some(Scored { score, disease: d, matches })
        })
        .collect();
    scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.disease.cmp(&b.disease)));
    scored.truncate(MAX_HYPOTHESES);
    scored
        .into_iter()
        .filter_map(|Scored { score, disease, matches }| {
            let disease = ontology.diseases().get(disease)?;
            let support = matches
                .into_iter()
                .filter_map(|(k, feature)| {
                    let finding = ontology.terms().get(*findings.get(k)?)?;
                    let feature = ontology.terms().get(feature)?;
                    Some(Support {
                        finding: finding.id,
                        finding_name: finding.name.clone(),
                        feature: feature.id,
                        feature_name: feature.name.clone(),
                    })
                })
                .collect();
            Some(Hypothesis {
                disease_id: disease.id.clone(),
                name: disease.name.clone(),
                concept: vocabulary_concept(&disease.name),
                score,
                support,
            })
        })
        .collect()
}

/// A disease's score and its matches: (finding position, feature term index), each finding with
/// its most specific matching feature.
struct Scored {
    score: f64,
    disease: usize,
    matches: Vec<(usize, usize)>,
}

/// The findings as ontology indices, each once, without those a more specific finding implies
/// ("fever" beside "hyperpyrexia" adds nothing).
fn most_specific(ontology: &Ontology, findings: &[TermId]) -> Vec<usize> {
    let mut indices: Vec<usize> = findings.iter().filter_map(|&f| ontology.index(f)).collect();
    indices.sort_unstable();
    indices.dedup();
    let implied: Vec<usize> =
        indices.iter().flat_map(|&f| ontology.ancestors_of(f).into_iter().filter(move |&a| a != f)).collect();
    indices.retain(|f| !implied.contains(f));
    indices
}

fn information_content(ontology: &Ontology, index: usize) -> f64 {
    ontology.terms().get(index).map_or(0.0, |t| t.information_content)
}

/// A disease's score and its (finding, feature) matches, each finding with its most specific
/// matching feature; `None` when no finding matches.
fn score_disease(
    ontology: &Ontology,
    disease: &Disease,
    covers: &FxHashMap<usize, Vec<usize>>,
    finding_count: usize,
    findings_total: f64,
) -> Option<(f64, Vec<(usize, usize)>)> {
    let mut best: Vec<Option<(usize, f64)>> = vec![None; finding_count];
    let (mut covered, mut total) = (0.0, 0.0);
    for feature in &disease.features {
        let ic = information_content(ontology, feature.term);
        total += ic * feature.frequency;
        let Some(findings) = covers.get(&feature.term) else { continue };
        covered += ic * feature.frequency;
        for &k in findings {
            if let Some(slot) = best.get_mut(k) {
                if slot.is_none_or(|(_, b)| ic > b) {
                    *slot = Some((feature.term, ic));
                }
            }
        }
    }
    let explained: f64 = best.iter().flatten().map(|(_, ic)| ic).sum();
    if covered <= 0.0 || total <= 0.0 || explained <= 0.0 {
        return None;
    }
    // A note reports some of a disease's features, rarely most of them: what the disease leaves
    // unexplained of the findings weighs twice what the findings leave uncovered of the disease.
    let score = (explained / findings_total).powf(2.0 / 3.0) * (covered / total).powf(1.0 / 3.0);
    let matches = best.iter().enumerate().filter_map(|(k, b)| b.map(|(feature, _)| (k, feature))).collect();
    Some((score, matches))
}

/// The vocabulary concept the disease name resolves to: the name itself, or else its general
/// form. OMIM and Orphanet name the genetic subtypes of a disease after it ("Parkinson disease 22,
/// autosomal dominant", "Hypothyroidism, congenital, nongoitrous, 6"); trials are registered for
/// the disease, so the subtype resolves to the disease's concept.
fn vocabulary_concept(name: &str) -> Option<VocabularyConcept> {
    let vocabulary = eligo_vocab::Vocabulary::embedded();
    let found = |term: &str| {
        vocabulary.lookup(term).first().map(|c| VocabularyConcept { id: c.id.clone(), name: c.name.clone() })
    };
    found(name).or_else(|| general_form(name).and_then(found))
}

/// A subtype's name without its subtype: the part before the first comma, without a trailing
/// designator ("22", "1A", "IV", "type 2"). `None` when nothing is left to cut or what is left
/// names no disease of its own (a karyotype such as "46").
pub fn general_form(name: &str) -> Option<&str> {
    let head = name.split(',').next().unwrap_or_default().trim();
    let mut words: Vec<&str> = head.split_whitespace().collect();
    if words.last().is_some_and(|w| is_designator(w)) {
        words.pop();
        if words.last().is_some_and(|w| matches!(w.to_ascii_lowercase().as_str(), "type" | "group" | "class" | "form"))
        {
            words.pop();
        }
    }
    let general = words.last().and_then(|last| head.get(..head.find(last)? + last.len()))?;
    let named = general.chars().filter(|c| c.is_alphabetic()).count() >= 4;
    (general != name && named).then_some(general)
}

/// A subtype designator: a number with at most one letter ("22", "1A"), a Roman numeral ("IV"),
/// or one capital letter ("B").
fn is_designator(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let numbered = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) && word.len() - digits.len() <= 1;
    let roman = word.chars().all(|c| matches!(c, 'I' | 'V' | 'X'));
    let letter = word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase());
    numbered || roman || letter
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small ontology: fever and hyperpyrexia under temperature; two tongue findings; peeling
    /// skin with peeling fingertips below it; and a catch-all rash.
    fn ontology() -> Ontology {
        let terms = "0000001\t0.00\tAll\t\t\n\
                     0000010\t0.50\tAbnormal temperature\t\t0000001\n\
                     0000011\t1.00\tFever\t\t0000010\n\
                     0000012\t2.50\tHyperpyrexia\t\t0000011\n\
                     0000020\t3.00\tRed tongue\t\t0000001\n\
                     0000021\t4.00\tRaspberry tongue\t\t0000020\n\
                     0000030\t2.00\tSkin peeling\t\t0000001\n\
                     0000031\t3.50\tPeeling of the fingertips\t\t0000030\n\
                     0000040\t1.00\tRash\t\t0000001\n";
        let diseases = "D:1\tTongue-fever disease\t0000011:90|0000021:90|0000030:55\n\
                        D:2\tFebrile rash\t0000011:90|0000040:90\n\
                        D:3\tPeeling syndrome\t0000030:90|0000040\n";
        Ontology::from_tsv(terms, diseases).unwrap()
    }

    #[test]
    fn a_classic_triad_ranks_its_disease_first() {
        let o = ontology();
        let hypotheses = propose(&o, &[TermId(11), TermId(21), TermId(30)]);
        assert_eq!(hypotheses[0].name, "Tongue-fever disease");
        assert_eq!(hypotheses[0].support.len(), 3);
        assert!(hypotheses[0].score > hypotheses[1].score);
        assert!((hypotheses[0].score - 1.0).abs() < 1e-9, "{hypotheses:?}");
    }

    #[test]
    fn a_descendant_finding_counts_for_its_ancestor_feature() {
        let o = ontology();
        // Hyperpyrexia is a kind of fever; peeling fingertips a kind of skin peeling.
        let hypotheses = propose(&o, &[TermId(12), TermId(31)]);
        let first = &hypotheses[0];
        assert_eq!(first.name, "Tongue-fever disease", "{hypotheses:?}");
        let pairs: Vec<(TermId, TermId)> = first.support.iter().map(|s| (s.finding, s.feature)).collect();
        assert_eq!(pairs, [(TermId(12), TermId(11)), (TermId(31), TermId(30))]);
        // An ancestor finding does not count for a more specific feature.
        assert!(propose(&o, &[TermId(20)]).is_empty());
    }

    #[test]
    fn a_finding_implied_by_a_more_specific_one_adds_nothing() {
        let o = ontology();
        let alone = propose(&o, &[TermId(12)]);
        let both = propose(&o, &[TermId(11), TermId(12), TermId(12)]);
        assert_eq!(alone.len(), both.len());
        assert!((alone[0].score - both[0].score).abs() < 1e-12);
    }

    #[test]
    fn a_genetic_subtype_resolves_to_its_disease() {
        assert_eq!(general_form("Parkinson disease 22, autosomal dominant"), Some("Parkinson disease"));
        assert_eq!(general_form("Hypothyroidism, congenital, nongoitrous, 6"), Some("Hypothyroidism"));
        assert_eq!(general_form("Deafness, autosomal recessive 1A"), Some("Deafness"));
        assert_eq!(general_form("Mucopolysaccharidosis type IV"), Some("Mucopolysaccharidosis"));
        assert_eq!(general_form("46,XY sex reversal 1"), None, "a karyotype is no disease");
        assert_eq!(general_form("Kawasaki disease"), None, "nothing to cut");
        let parkinson = vocabulary_concept("Parkinson disease 22, autosomal dominant").expect("resolves");
        assert_eq!(Some(parkinson), vocabulary_concept("Parkinson disease"));
    }

    #[test]
    fn nothing_known_proposes_nothing() {
        let o = ontology();
        assert!(propose(&o, &[]).is_empty());
        assert!(propose(&o, &[TermId(9_999_999)]).is_empty());
        assert!(propose(&o, &[TermId(1)]).is_empty());
    }
}
