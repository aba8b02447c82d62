//! Tumour markers and genomic alterations: "HER2-negative", "ER+/PR+", "EGFR exon 19 deletion",
//! "ALK rearrangement", "BRAF V600E", "KRAS wild-type", "PD-L1 TPS ≥ 50%", "HER2 3+ by IHC",
//! "MSI-H", "ER or PR ≥ 10%".
//!
//! A marker (an `ELIGO:marker.*` concept of the vocabulary) with its result is a qualitative lab:
//! [`Computable::Lab`] `= 1` in the unit `positive` (present, overexpressed, amplified, mutated,
//! rearranged, fused, high, a positive percentage, IHC 3+) or `negative` (absent, wild-type, not
//! amplified, IHC 0/1+). Markers listed before one result share it ("ER and/or PR positive"). A
//! marker written next to a condition ("HER2-negative breast cancer") also narrows that condition:
//! [`narrow_conditions`] adds the biomarker qualifier to its scope, so an inclusion asks for both.

use eligo_model::{Comparison, Computable, ConceptRef, EntityType, Operator, Polarity, Qualifier, QualifierKind};
use eligo_vocab::Vocabulary;

use crate::parse::Analysis;
use crate::text::TokenKind;

const MARKER_PREFIX: &str = "ELIGO:marker.";

/// Words that report a marker present.
const POSITIVE_WORDS: &[&str] = &[
    "positive",
    "pos",
    "positivity",
    "overexpression",
    "overexpressing",
    "overexpressed",
    "amplified",
    "amplification",
    "mutation",
    "mutations",
    "mutated",
    "mutant",
    "mutants",
    "rearrangement",
    "rearrangements",
    "rearranged",
    "fusion",
    "fusions",
    "fused",
    "translocation",
    "translocations",
    "deletion",
    "deletions",
    "insertion",
    "insertions",
    "alteration",
    "alterations",
    "altered",
    "variant",
    "variants",
    "high",
    "deficient",
    "deficiency",
    "expressing",
    "carrier",
    "carriers",
    // A genotype names the allele it carries: "homozygous for F508del", "heterozygous for ...".
    "homozygous",
    "heterozygous",
    "harboring",
    "harbouring",
    // A tumour suppressor's result: "PTEN loss".
    "loss",
    // A karyotype or a virus named by its finding: "Inversion 3q", "monosomy 7", "Hypodiploidy",
    // "X4-tropic virus".
    "inversion",
    "monosomy",
    "hypodiploidy",
    "hypodiploid",
    "tropic",
    "skipping",
    "driver",
];

/// Words that report a marker absent.
const NEGATIVE_WORDS: &[&str] = &[
    "negative",
    "neg",
    "negativity",
    "wild",
    "wildtype",
    "wt",
    "non-amplified",
    "nonamplified",
    "unmutated",
    "proficient",
];

/// Words after which a marker's result no longer follows (a new clause).
const STOPS: &[&str] = &[";", ".", "with", "without", "who", "that", "unless", "except"];

/// Words after a marker that ask only that its status be known, whatever it is.
const STATUS_ONLY: &[&str] = &["known", "unknown", "available", "determined", "documented", "pending"];

/// How far after a marker its result may be written, in tokens.
const REACH: usize = 6;
/// How far before a marker its result may be written ("deleterious germline mutation in").
const REACH_BEFORE: usize = 4;

/// A marker read with its result; `mention` indexes `Analysis::mentions`.
pub(crate) struct MarkerReading {
    pub mention: usize,
    pub marker: ConceptRef,
    pub polarity: Polarity,
}

/// Markers that share one result, and whether they are alternatives ("ER or PR positive", "ER/PR+")
/// or each required ("ER, PR and HER2 negative").
pub(crate) struct MarkerBatch {
    pub readings: Vec<MarkerReading>,
    pub alternatives: bool,
}

/// Every marker with a result in the criterion, in text order, batched by shared result.
pub(crate) fn read_markers(a: &Analysis) -> Vec<MarkerBatch> {
    let markers: Vec<(usize, ConceptRef)> = a
        .mentions
        .iter()
        .enumerate()
        .filter(|(_, (_, r))| !conditional_or_ratio(a, r.0))
        .filter_map(|(i, (m, _))| Some((i, marker_of(&m.concept_ids)?)))
        .collect();
    let mut out = Vec::new();
    let mut pending: Vec<(usize, ConceptRef)> = Vec::new();
    for (k, (index, marker)) in markers.iter().enumerate() {
        let end = a.mentions[*index].1 .1;
        let next_marker = markers.get(k + 1).map_or(a.tokens.len(), |(i, _)| a.mentions[*i].1 .0);
        pending.push((*index, marker.clone()));
        let first = pending.first().map_or(end, |(i, _)| a.mentions[*i].1 .0);
        // The last marker's result may come first: "a germline mutation in BRCA1 or BRCA2",
        // "wild-type KRAS".
        let last = k + 1 == markers.len();
        let start = a.mentions[*index].1 .0;
        // A negative result after the name outweighs the alteration the name states ("RET fusion
        // negative").
        let result = match (result_within(a, start, end), result_after(a, end, next_marker)) {
            (_, Some(Polarity::Negative)) => Some(Polarity::Negative),
            (within, after) => within.or(after).or_else(|| last.then(|| result_before(a, first)).flatten()),
        };
        let Some(polarity) = result else { continue };
        let alternatives =
            a.tokens.get(first..end).is_some_and(|ts| ts.iter().any(|t| t.lower == "or" || t.lower == "/"));
        let readings = pending.drain(..).map(|(mention, marker)| MarkerReading { mention, marker, polarity }).collect();
        let batch = MarkerBatch { readings, alternatives };
        match out.last_mut() {
            // "dMMR or MSI-H", "HER2-positive or HER2-low": results joined by "or" are alternatives.
            Some(previous) if joined_by_or(a, previous, &batch) => {
                previous.readings.extend(batch.readings);
                previous.alternatives = true;
            }
            _ => out.push(batch),
        }
    }
    out
}

/// Whether the marker at token `at` states no result the criterion asks for: it stands in a
/// condition whose consequence follows ("if HER2 expression is 2+, patients need ISH to show no
/// amplification", "If the primary is ER-positive and ..., the subject cannot be selected"), or in
/// a ratio ("ratio of HER2 to CEP17 < 2.0"). Its clause reaches back to a comma, semicolon, full
/// stop, colon or bracket; "eligible if HER2-negative" (no consequence after it) is a requirement.
fn conditional_or_ratio(a: &Analysis, at: usize) -> bool {
    let before = a.tokens.get(..at).unwrap_or_default();
    let mut clause = before.iter().rev().take_while(|t| !matches!(t.lower.as_str(), "," | ";" | "." | "(" | ")" | ":"));
    let (mut condition, mut ratio) = (false, false);
    for t in &mut clause {
        condition |= matches!(t.lower.as_str(), "if" | "when");
        ratio |= t.lower == "ratio";
    }
    let consequence = a.tokens.iter().skip(at).any(|t| CONSEQUENCES.contains(&t.lower.as_str()));
    ratio || (condition && consequence)
}

/// Words that state what follows from a condition ("..., patients need ...", "... cannot be").
const CONSEQUENCES: &[&str] = &["must", "need", "needs", "should", "then", "cannot", "will", "required", "confirmed"];

/// Whether only "or" (or "and/or") stands between two batches' markers and results.
fn joined_by_or(a: &Analysis, previous: &MarkerBatch, next: &MarkerBatch) -> bool {
    let (Some(last), Some(first)) = (previous.readings.last(), next.readings.first()) else { return false };
    let from = a.mentions[last.mention].1 .1;
    let to = a.mentions[first.mention].1 .0;
    let between = a.tokens.get(from..to).unwrap_or_default();
    let words: Vec<&str> = between.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    words.contains(&"or")
        && words.iter().all(|w| matches!(*w, "or" | "and" | "positive" | "negative" | "high" | "status"))
}

/// The marker concept among a mention's concepts ("EGFR" is also the eGFR lab; "HR" heart rate).
fn marker_of(concept_ids: &[String]) -> Option<ConceptRef> {
    let id = concept_ids.iter().find(|id| id.starts_with(MARKER_PREFIX))?;
    let concept = Vocabulary::embedded().concept(id)?;
    Some(ConceptRef { id: concept.id.clone(), name: concept.name.clone() })
}

/// The result written in tokens `from..until`: a result word, a sign ("ER+", "HER2(-)"), an IHC
/// grade ("3+"), a protein change ("V600E", "L858R"), or a percentage bound ("≥ 10%": positive).
fn result_after(a: &Analysis, from: usize, until: usize) -> Option<Polarity> {
    let stop = until.min(from + REACH).min(a.tokens.len());
    for at in from..stop {
        let word = a.tokens[at].lower.as_str();
        // "Hormone receptor status is known, lymph node positive": a status that is only to be
        // known has no result of its own, and a later result word belongs to what follows.
        if STOPS.contains(&word) || STATUS_ONLY.contains(&word) {
            return None;
        }
        if let Some(q) = a.quantities.iter().find(|q| q.tokens.0 == at && q.unit.as_deref() == Some("%")) {
            return Some(if matches!(q.operator, Operator::Lt | Operator::Le) {
                Polarity::Negative
            } else {
                Polarity::Positive
            });
        }
        if let Some(polarity) = ihc_grade(a, at).or_else(|| sign(a, at)).or_else(|| result_word(word)) {
            // "HER2 amplification is negative": the alteration is named, and its result follows.
            let negated_after = || {
                a.tokens[at + 1..stop]
                    .iter()
                    .take_while(|t| !STOPS.contains(&t.lower.as_str()) && t.lower != "or")
                    .any(|t| NEGATIVE_WORDS.contains(&t.lower.as_str()))
            };
            // "HER2 and ER positivity will be recorded": what the study will note, not a requirement.
            let next = |n: usize| a.tokens.get(at + n).map(|t| t.lower.as_str());
            if next(1) == Some("will") && next(2) == Some("be") {
                return None;
            }
            if polarity == Polarity::Positive && POSITIVE_WORDS.contains(&word) && negated_after() {
                return Some(Polarity::Negative);
            }
            return Some(polarity);
        }
    }
    None
}

/// A result the marker's own name states: "MSI-H", "TMB-high", "MMR-deficient", "Ph+", "dMMR", and
/// an alteration written as the marker's name, "17p deletion", "del(17p)", "t(9;22)", "CFTR mutation".
fn result_within(a: &Analysis, start: usize, end: usize) -> Option<Polarity> {
    let tokens = a.tokens.get(start + 1..end)?;
    let first = a.tokens.get(start)?.lower.as_str();
    let named = first == "dmmr";
    let stated =
        tokens.iter().any(|t| matches!(t.lower.as_str(), "h" | "high" | "deficient" | "deficiency" | "+" | "positive"));
    // "KRAS mutation status", "CFTR mutation testing": the name of a test, whatever its result.
    let whole = a.tokens.get(start..(end + 1).min(a.tokens.len()))?;
    let about_a_test = whole.iter().any(|t| TEST_WORDS.contains(&t.lower.as_str()));
    let altered = names_an_alteration(first, tokens.first().map(|t| t.lower.as_str()))
        || whole[..end - start].iter().any(|t| POSITIVE_WORDS.contains(&t.lower.as_str()) && t.lower != "high");
    (named || stated || (altered && !about_a_test)).then_some(Polarity::Positive)
}

/// Words that make a marker's name the name of its test: "mutation status", "mutation testing".
const TEST_WORDS: &[&str] = &["status", "test", "testing", "tested", "analysis", "panel", "sequencing", "screening"];

/// Whether a marker's first word, with the token after it, is cytogenetic notation for an
/// alteration (ISCN): "del(17p)", "del17p", "abn17p" (an abnormality of 17p), "t(9;22)".
fn names_an_alteration(first: &str, next: Option<&str>) -> bool {
    let bracketed = next == Some("(");
    let chromosome_arm = |rest: &str| rest.chars().next().is_some_and(|c| c.is_ascii_digit());
    (bracketed && matches!(first, "del" | "t" | "inv"))
        || ["del", "abn", "inv"].iter().any(|p| first.strip_prefix(p).is_some_and(chromosome_arm))
}

/// A result word in the few tokens before `at`, in the same clause ("mutation in", "wild-type").
fn result_before(a: &Analysis, at: usize) -> Option<Polarity> {
    let window = a.tokens.get(at.saturating_sub(REACH_BEFORE)..at)?;
    for t in window.iter().rev() {
        let word = t.lower.as_str();
        if STOPS.contains(&word) || word == "," {
            return None;
        }
        if let Some(polarity) = result_word(word) {
            return Some(polarity);
        }
    }
    None
}

fn result_word(word: &str) -> Option<Polarity> {
    if POSITIVE_WORDS.contains(&word) || is_protein_change(word) {
        Some(Polarity::Positive)
    } else if NEGATIVE_WORDS.contains(&word) {
        Some(Polarity::Negative)
    } else {
        None
    }
}

/// "V600E", "L858R", "G12C", "T790M": a residue, a position, a residue (tokens are lower-cased).
fn is_protein_change(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars.len() >= 4
        && chars.first().is_some_and(char::is_ascii_alphabetic)
        && chars.last().is_some_and(char::is_ascii_alphabetic)
        && chars.get(1..chars.len() - 1).is_some_and(|mid| mid.iter().all(char::is_ascii_digit))
}

/// A sign right after the marker or its bracket: "ER+", "PR-", "HER2(-)", "ER(+)". A hyphen that
/// joins a word ("HER2-negative") is not a sign.
fn sign(a: &Analysis, at: usize) -> Option<Polarity> {
    let token = a.tokens.get(at)?;
    let next_is_word = a.tokens.get(at + 1).is_some_and(|n| n.kind == TokenKind::Word && n.start == token.end);
    match token.lower.as_str() {
        "+" => Some(Polarity::Positive),
        "-" | "−" | "–" if !next_is_word => Some(Polarity::Negative),
        _ => None,
    }
}

/// An IHC grade "3+" (positive) or "0"/"1+" (negative); "2+" is equivocal and says nothing alone.
fn ihc_grade(a: &Analysis, at: usize) -> Option<Polarity> {
    let grade = a.tokens.get(at)?.number()?;
    let plus = a.tokens.get(at + 1).is_some_and(|t| t.lower == "+");
    // "0/+" (nought or one plus) and "0/1+": grades that are both negative.
    let or_one = a.tokens.get(at + 1).is_some_and(|t| t.lower == "/")
        && a.tokens.get(at + 2).is_some_and(|t| t.lower == "+" || t.number() == Some(1.0));
    match (grade as u8, plus) {
        (0, false) if or_one => Some(Polarity::Negative),
        (3, true) => Some(Polarity::Positive),
        (1, true) => Some(Polarity::Negative),
        _ => None,
    }
}

/// The marker labs as requirements: one per batch of alternatives, else one per marker.
pub(crate) fn marker_requirements(batches: &[MarkerBatch]) -> Vec<Vec<Computable>> {
    let mut out: Vec<Vec<Computable>> = Vec::new();
    for batch in batches {
        let labs = batch.readings.iter().map(|r| Computable::Lab {
            test: r.marker.clone(),
            comparison: result(r.polarity),
            uln_multiple: false,
            window: None,
        });
        if batch.alternatives {
            out.push(labs.collect());
        } else {
            out.extend(labs.map(|lab| vec![lab]));
        }
    }
    out.dedup();
    out
}

fn result(polarity: Polarity) -> Comparison {
    let unit = match polarity {
        Polarity::Positive => "positive",
        Polarity::Negative => "negative",
    };
    Comparison {
        operator: Operator::Eq,
        value: 1.0,
        value_high: None,
        unit: Some(unit.to_string()),
        operator_span: None,
        value_span: None,
        value_high_span: None,
        unit_span: None,
    }
}

/// Adds a biomarker qualifier to every condition reading whose mention stands next to a read marker
/// in the same clause ("HER2-negative breast cancer", "NSCLC with an EGFR mutation"). Returns the
/// marker concepts that narrowed a condition.
pub(crate) fn narrow_conditions(a: &Analysis, batches: &[MarkerBatch], groups: &mut [Vec<Computable>]) -> Vec<String> {
    let mut narrowing = Vec::new();
    for r in batches.iter().flat_map(|b| &b.readings) {
        let (_, marker_range) = &a.mentions[r.mention];
        let near = |range: &(usize, usize)| {
            let gap = if range.0 >= marker_range.1 {
                range.0 - marker_range.1
            } else {
                marker_range.0.saturating_sub(range.1)
            };
            gap <= REACH
        };
        let narrowed: Vec<String> = a
            .mentions
            .iter()
            .filter(|(m, range)| m.kind == EntityType::Condition && near(range))
            .filter_map(|(m, _)| m.concept.as_ref().map(|c| c.id.clone()))
            .collect();
        let qualifier = biomarker_qualifier(r);
        for computable in groups.iter_mut().flatten() {
            if let Computable::Condition { concepts, scope, .. } = computable {
                if concepts.iter().any(|c| narrowed.contains(&c.id)) && !scope.qualifiers.contains(&qualifier) {
                    scope.qualifiers.push(qualifier.clone());
                    narrowing.push(r.marker.id.clone());
                }
            }
        }
    }
    narrowing
}

/// In an exclusion, "HER2-positive breast cancer" excludes that cancer, not every HER2-positive
/// patient and every breast cancer apart: the marker labs of markers that narrowed a condition are
/// dropped there (the condition carries them as qualifiers). An inclusion keeps both, so it
/// requires both.
pub(crate) fn drop_narrowing_labs(groups: &mut Vec<Vec<Computable>>, narrowing: &[String]) {
    let narrowing_lab = |c: &Computable| matches!(c, Computable::Lab { test, .. } if narrowing.contains(&test.id));
    groups.retain(|g| !g.iter().all(narrowing_lab));
}

fn biomarker_qualifier(r: &MarkerReading) -> Qualifier {
    marker_qualifier(&r.marker, r.polarity)
}

fn marker_qualifier(marker: &ConceptRef, polarity: Polarity) -> Qualifier {
    let name = marker.id.strip_prefix(MARKER_PREFIX).unwrap_or(&marker.id);
    let result = match polarity {
        Polarity::Positive => "positive",
        Polarity::Negative => "negative",
    };
    Qualifier {
        kind: QualifierKind::Biomarker,
        value: format!("{name} {result}"),
        concept: Some(marker.clone()),
        polarity: Some(polarity),
    }
}

/// A disease defined by its marker results, the broader disease it is a form of, and the results.
struct MarkerDefinedDisease {
    id: &'static str,
    parent: &'static str,
    results: &'static [(&'static str, Polarity)],
}

/// Diseases the vocabulary names whose definition is a set of marker results (ASCO/CAP: triple-
/// negative breast cancer is ER-, PR- and HER2-negative breast cancer).
const MARKER_DEFINED: &[MarkerDefinedDisease] = &[MarkerDefinedDisease {
    id: "ELIGO:cond.tnbc",
    parent: "ICD10CM:C50",
    results: &[
        ("ELIGO:marker.er", Polarity::Negative),
        ("ELIGO:marker.pr", Polarity::Negative),
        ("ELIGO:marker.her2", Polarity::Negative),
    ],
}];

/// Writes a marker-defined disease ("TNBC") out as its broader disease narrowed by the defining
/// results, as "ER-, PR-, HER2-negative breast cancer" is read: a chart that records breast cancer
/// and the three results settles it, and one with a positive receptor does not meet it.
pub(crate) fn expand_marker_defined(groups: &mut [Vec<Computable>]) {
    let vocab = Vocabulary::embedded();
    for computable in groups.iter_mut().flatten() {
        let Computable::Condition { concepts, scope, .. } = computable else { continue };
        for concept in concepts.iter_mut() {
            let Some(defined) = MARKER_DEFINED.iter().find(|d| d.id == concept.id) else { continue };
            let (Some(parent), Some(markers)) = (
                vocab.concept(defined.parent),
                defined.results.iter().map(|(id, p)| Some((vocab.concept(id)?, *p))).collect::<Option<Vec<_>>>(),
            ) else {
                continue;
            };
            *concept = ConceptRef { id: parent.id.clone(), name: parent.name.clone() };
            for (marker, polarity) in markers {
                let qualifier =
                    marker_qualifier(&ConceptRef { id: marker.id.clone(), name: marker.name.clone() }, polarity);
                if !scope.qualifiers.contains(&qualifier) {
                    scope.qualifiers.push(qualifier);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, Polarity};

    /// (marker id, "positive"/"negative") of every marker lab of a text.
    fn markers(text: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = parse_criteria(text)
            .iter()
            .flat_map(|c| c.computable.iter())
            .filter_map(|c| match c {
                Computable::Lab { test, comparison, .. } if test.id.starts_with("ELIGO:marker.") => {
                    Some((test.id.trim_start_matches("ELIGO:marker.").to_string(), comparison.unit.clone()?))
                }
                _ => None,
            })
            .collect();
        out.sort();
        out
    }

    fn pair(marker: &str, result: &str) -> (String, String) {
        (marker.to_string(), result.to_string())
    }

    #[test]
    fn results_by_word_sign_grade_alteration_and_percentage() {
        assert_eq!(markers("Tumour ER+/PR- on the biopsy"), vec![pair("er", "positive"), pair("pr", "negative")]);
        assert_eq!(markers("HER2 overexpression (IHC 3+)"), vec![pair("her2", "positive")]);
        assert_eq!(markers("Her-2 0/+ by IHC"), vec![pair("her2", "negative")]);
        assert_eq!(markers("HER2 amplification is negative by FISH"), vec![pair("her2", "negative")]);
        assert_eq!(markers("HER2, estrogen, and progesterone receptor positivity will be recorded."), vec![]);
        assert_eq!(markers("hormone receptor status is known, lymph node positive"), vec![]);
        assert_eq!(markers("ERBB2 IHC 1+ on archival tissue"), vec![pair("her2", "negative")]);
        assert_eq!(markers("Documented BRAF V600K"), vec![pair("braf", "positive")]);
        assert_eq!(markers("RAS wild-type tumour"), vec![pair("ras", "negative")]);
        assert_eq!(markers("PD-L1 combined positive score ≥ 5%"), vec![pair("pdl1", "positive")]);
        assert_eq!(markers("Oestrogen receptor or PgR ≥ 1%"), vec![pair("er", "positive"), pair("pr", "positive")]);
        assert_eq!(
            markers("A pathogenic germline mutation in BRCA 1 or BRCA 2"),
            vec![pair("brca1", "positive"), pair("brca2", "positive")]
        );
        assert_eq!(markers("Known wild-type NRAS"), vec![pair("nras", "negative")]);
        assert_eq!(
            markers("Centrally tested dMMR or MSI-H status"),
            vec![pair("dmmr", "positive"), pair("msi", "positive")]
        );
        let groups = parse_criteria("Inclusion Criteria:\n\n* Centrally tested dMMR or MSI-H status");
        assert_eq!(groups.len(), 1, "alternatives are one requirement: {groups:?}");
    }

    #[test]
    fn genotypes_cytogenetic_alterations_and_hla_alleles_are_markers() {
        // A zygosity names the allele carried; the alteration is the marker's own name.
        assert_eq!(markers("Must be heterozygous for the delta F508 allele"), vec![pair("cftr_f508del", "positive")]);
        assert_eq!(markers("A 17p deletion by FISH"), vec![pair("del17p", "positive")]);
        assert_eq!(markers("Cytogenetics show del(11q)"), vec![pair("del11q", "positive")]);
        assert_eq!(markers("Marrow positive for t(9;22)"), vec![pair("bcr_abl", "positive")]);
        assert_eq!(markers("PTEN loss on IHC"), vec![pair("pten", "positive")]);
        assert_eq!(markers("Typed HLA-A*02:01 positive at the central lab"), vec![pair("hla_a02", "positive")]);
        // A negative result after the name outweighs the alteration it states.
        assert_eq!(markers("CFTR mutation negative on the panel"), vec![pair("cftr", "negative")]);
        // A negation reads the same marker, negated; a gene named without a result is no reading.
        let negated = parse_criteria("Inclusion Criteria:\n\n* No del(17p) on cytogenetic analysis");
        assert!(negated.iter().any(|c| c.negated), "{negated:?}");
        assert!(markers("PALB2 sequencing will be done centrally").is_empty());
    }

    #[test]
    fn a_marker_defined_disease_is_its_parent_disease_with_the_defining_results() {
        let found: Vec<Computable> = parse_criteria("Inclusion Criteria:\n\n* Metastatic TNBC, centrally confirmed")
            .into_iter()
            .flat_map(|c| c.computable)
            .collect();
        let condition = found.iter().find_map(|c| match c {
            Computable::Condition { concepts, scope, .. } => Some((concepts.clone(), scope.qualifiers.clone())),
            _ => None,
        });
        let (concepts, qualifiers) = condition.unwrap_or_default();
        assert_eq!(concepts.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["ICD10CM:C50"], "{found:?}");
        let values: Vec<(&str, Option<Polarity>)> = qualifiers
            .iter()
            .filter(|q| q.kind == eligo_model::QualifierKind::Biomarker)
            .map(|q| (q.value.as_str(), q.polarity))
            .collect();
        let negative = Some(Polarity::Negative);
        assert_eq!(values, vec![("er negative", negative), ("pr negative", negative), ("her2 negative", negative)]);
        // Written out in words, in an exclusion, it is the same narrowed disease.
        let found: Vec<Computable> = parse_criteria("Exclusion Criteria:\n\n* Prior triple negative breast carcinoma")
            .into_iter()
            .flat_map(|c| c.computable)
            .collect();
        assert!(
            matches!(found.as_slice(), [Computable::Condition { concepts, scope, .. }]
                if concepts[0].id == "ICD10CM:C50" && scope.qualifiers.len() >= 3),
            "{found:?}"
        );
    }

    #[test]
    fn karyotypes_hiv_tropism_and_pharmacogenes_named_by_their_finding_are_positive() {
        assert_eq!(markers("Documented CXCR4-tropic virus"), vec![pair("hiv_tropism_x4", "positive")]);
        assert_eq!(markers("Dual/mixed tropic virus on the last assay"), vec![pair("hiv_tropism_dual", "positive")]);
        assert_eq!(markers("Monosomy 7 on the marrow karyotype"), vec![pair("del7q", "positive")]);
        assert_eq!(markers("inv(16) or t(8;21)"), vec![pair("inv16", "positive"), pair("t8_21", "positive")]);
        assert_eq!(markers("Low hypodiploidy"), vec![pair("hypodiploidy", "positive")]);
        assert_eq!(markers("Homozygous for UGT1A1*28"), vec![pair("ugt1a1_28", "positive")]);
        assert_eq!(markers("CCR5-tropic virus: negative"), vec![pair("hiv_tropism_r5", "negative")]);
    }

    #[test]
    fn a_marker_in_a_condition_or_a_ratio_is_no_requirement() {
        let found = markers("ALK-negative tumour; if ALK staining is 1+, the result must be confirmed by FISH");
        assert_eq!(found, vec![pair("alk", "negative")]);
        let found = markers("ISH non-amplified (ratio of HER2 to CEP17 < 2.0)");
        assert!(found.iter().all(|(id, r)| !(id.contains("her2") && r == "positive")), "{found:?}");
        // A condition with nothing following from it is the requirement itself.
        let found = markers("Eligible if ALK positive");
        assert_eq!(found, vec![pair("alk", "positive")]);
    }

    #[test]
    fn lowercase_er_is_not_a_marker_and_egfr_without_a_result_stays_a_lab() {
        assert!(markers("er visits in the last year").is_empty());
        let found: Vec<Computable> =
            parse_criteria("EGFR ≥ 45 mL/min").into_iter().flat_map(|c| c.computable).collect();
        assert!(matches!(found.as_slice(), [Computable::Lab { test, .. }] if test.id == "ELIGO:lab.egfr"), "{found:?}");
    }

    #[test]
    fn a_marker_narrows_the_condition_it_qualifies() {
        let found: Vec<Computable> =
            parse_criteria("Inclusion Criteria:\n\n* Hormone receptor-positive, HER2-negative breast cancer")
                .into_iter()
                .flat_map(|c| c.computable)
                .collect();
        let condition = found.iter().find_map(|c| match c {
            Computable::Condition { scope, .. } => Some(scope.qualifiers.clone()),
            _ => None,
        });
        let qualifiers = condition.unwrap_or_default();
        let values: Vec<(&str, Option<Polarity>)> = qualifiers.iter().map(|q| (q.value.as_str(), q.polarity)).collect();
        assert_eq!(
            values,
            vec![("hr positive", Some(Polarity::Positive)), ("her2 negative", Some(Polarity::Negative))]
        );
        assert!(found.iter().filter(|c| matches!(c, Computable::Lab { .. })).count() == 2, "{found:?}");
        // In an exclusion only the narrowed condition excludes.
        let found: Vec<Computable> = parse_criteria("Exclusion Criteria:\n\n* HER2-positive breast cancer")
            .into_iter()
            .flat_map(|c| c.computable)
            .collect();
        assert!(
            matches!(found.as_slice(), [Computable::Condition { scope, .. }] if scope.qualifiers.len() == 1),
            "{found:?}"
        );
    }
}
