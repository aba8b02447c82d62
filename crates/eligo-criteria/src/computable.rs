//! From what a criterion mentions to what it asks: the computable forms.
//!
//! A criterion is read in a fixed order of precedence, because one criterion usually asks one thing
//! and the other words are context:
//!
//! 1. consent, language, compliance and trial participation → [`Computable::NotComputable`];
//! 2. age thresholds → [`Computable::Age`];
//! 3. pregnancy, lactation, contraception → [`Computable::Pregnancy`];
//! 4. lab values, vitals and scores with a threshold → one [`Computable::Lab`] per test (measurements
//!    joined by "or" share the threshold written after them: "ALT or AST > 2 ULN");
//! 5. otherwise, per clause (split at ";", ", or", sentence ends): drugs → [`Computable::PriorTherapy`]
//!    with the clause's time window and dose; infections → [`Computable::Infection`]; conditions →
//!    [`Computable::Condition`] with status and window; procedures → [`Computable::Procedure`];
//! 6. a sex restriction stated alone → [`Computable::Sex`].
//!
//! The computables of a criterion are alternatives (any met means met). Investigator judgement is
//! added as one more alternative when the criterion also leaves it to the investigator: with
//! three-valued logic an unknown alternative never turns "not met" into "met". Nothing is dropped: a
//! criterion with no structure is `NotComputable { reason: Unstructured }`.

use eligo_model::{
    Comparison, Computable, ConceptRef, ConditionStatus, Duration, EntityType, NonComputableReason, Operator,
    PregnancyState, Section, Sex, TimeUnit,
};
use eligo_vocab::Vocabulary;

use crate::cues::{Cue, CueKind};
use crate::parse::{comparison, window, Analysis};
use crate::quantity::{Quantity, TimeRole};
use crate::recognize::Mention;

/// The computable forms of one criterion and whether it is phrased negatively.
pub(crate) fn computables(section: Section, a: &Analysis) -> (Vec<Computable>, bool) {
    let negated = is_negated(a);
    let judgement = a.cues.iter().any(|c| c.kind == CueKind::NonComputable(NonComputableReason::InvestigatorJudgement));
    let mut out = administrative(a)
        .or_else(|| age(a))
        .or_else(|| pregnancy(a))
        .or_else(|| labs(a))
        .or_else(|| clinical(a))
        .or_else(|| sex(a, section))
        .unwrap_or_default();
    if out.is_empty() {
        let reason =
            if judgement { NonComputableReason::InvestigatorJudgement } else { NonComputableReason::Unstructured };
        out.push(Computable::NotComputable { reason });
    } else if judgement && !out.iter().any(|c| matches!(c, Computable::NotComputable { .. })) {
        out.push(Computable::NotComputable { reason: NonComputableReason::InvestigatorJudgement });
    }
    (out, negated)
}

/// Consent, language, compliance: never computable from a record. Trial participation is, unless the
/// criterion names an investigational drug (then it is a prior-therapy criterion).
fn administrative(a: &Analysis) -> Option<Vec<Computable>> {
    let reason = a.cues.iter().find_map(|c| match c.kind {
        CueKind::NonComputable(r) if r != NonComputableReason::InvestigatorJudgement => Some(r),
        _ => None,
    })?;
    let names_drug = a.mentions.iter().any(|(m, _)| m.kind == EntityType::Drug && m.concept.is_some());
    if reason == NonComputableReason::TrialParticipation && names_drug {
        return None;
    }
    Some(vec![Computable::NotComputable { reason }])
}

/// Time quantities that are ages: in years (or months for infants), not a time window, in a
/// criterion that speaks of age ("Age 5-18 years", "18 years of age or older", "aged ≥ 18").
fn age(a: &Analysis) -> Option<Vec<Computable>> {
    let speaks_of_age = a.cues.iter().any(|c| c.kind == CueKind::Age)
        || a.cues.iter().any(|c| matches!(c.kind, CueKind::Sex(id) if id.starts_with("ELIGO:lifestage")));
    let q = a.quantities.iter().find(|q| {
        matches!(q.time_unit, Some(TimeUnit::Years | TimeUnit::Months))
            && matches!(q.time_role, Some(TimeRole::Plain))
            && (speaks_of_age || q.operator_tokens.is_some())
            && q.value <= 130.0
    })?;
    if !speaks_of_age && a.mentions.iter().any(|(m, _)| m.kind != EntityType::Condition || m.concept.is_some()) {
        // "disease duration > 5 years": a time quantity about something else.
        return None;
    }
    let unit = q.time_unit?;
    let at = |v: f64| Some(Duration::new(v, unit));
    let (min, max) = match q.operator {
        Operator::Range => (at(q.value), q.value_high.and_then(at)),
        Operator::Gt | Operator::Ge => (at(q.value), None),
        Operator::Lt | Operator::Le => (None, at(q.value)),
        Operator::Eq | Operator::Ne => return None,
    };
    Some(vec![Computable::Age { min, max }])
}

fn pregnancy(a: &Analysis) -> Option<Vec<Computable>> {
    let mut states: Vec<PregnancyState> = Vec::new();
    for c in &a.cues {
        if let CueKind::Pregnancy(state) = c.kind {
            if !states.contains(&state) {
                states.push(state);
            }
        }
    }
    // "Women of childbearing potential must use contraception": contraception is the requirement.
    if states.contains(&PregnancyState::Contraception) {
        states.retain(|s| *s == PregnancyState::Contraception);
    }
    (!states.is_empty()).then(|| states.into_iter().map(|state| Computable::Pregnancy { state }).collect())
}

/// Measurements paired with the threshold written after them.
fn labs(a: &Analysis) -> Option<Vec<Computable>> {
    let thresholds: Vec<&Quantity> =
        a.quantities.iter().filter(|q| q.time_role.is_none() || q.time_role == Some(TimeRole::Plain)).collect();
    let window = a.quantities.iter().find_map(|q| window(a, q));
    let mut out = Vec::new();
    let mut pending: Vec<&(Mention, (usize, usize))> = Vec::new();
    for item in a.mentions.iter().filter(|(m, _)| m.kind == EntityType::Measurement) {
        let (_, range) = item;
        let next_measurement = a
            .mentions
            .iter()
            .filter(|(m, r)| m.kind == EntityType::Measurement && r.0 >= range.1)
            .map(|(_, r)| r.0)
            .min()
            .unwrap_or(usize::MAX);
        pending.push(item);
        let Some(q) = thresholds.iter().find(|q| q.tokens.0 >= range.1 && q.tokens.0 < next_measurement) else {
            continue;
        };
        for (m, _) in pending.drain(..) {
            out.push(Computable::Lab {
                test: concept_or_text(m, a),
                comparison: without_spans(comparison(a, q, 0)),
                uln_multiple: q.uln_multiple,
                window: window.clone(),
            });
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Spans of a computable's comparison live on its entity; the computable keeps the values.
fn without_spans(c: Comparison) -> Comparison {
    Comparison { operator_span: None, value_span: None, value_high_span: None, unit_span: None, ..c }
}

/// The mention's concept, or a text-only reference (`TEXT:<words>`) the matcher compares by name.
fn concept_or_text(m: &Mention, a: &Analysis) -> ConceptRef {
    m.concept.clone().unwrap_or_else(|| {
        let text: String = a.prepared.chars[m.start..m.end].iter().collect::<String>().to_lowercase();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        ConceptRef { id: format!("TEXT:{text}"), name: text }
    })
}

/// Words that announce drug exposure ("treated with", "use of", "receipt of").
const EXPOSURE_WORDS: &[&str] = &[
    "treated",
    "treatment",
    "treatments",
    "therapy",
    "use",
    "used",
    "using",
    "user",
    "users",
    "received",
    "receiving",
    "receive",
    "receipt",
    "taking",
    "take",
    "takes",
    "exposure",
    "exposed",
    "administration",
    "administered",
    "on",
    "dose",
    "doses",
    "dosing",
    "course",
    "courses",
    "prescribed",
    "requiring",
    "requires",
    "need",
];

/// Drugs, infections, conditions and procedures, clause by clause.
fn clinical(a: &Analysis) -> Option<Vec<Computable>> {
    let mut out = Vec::new();
    for clause in clauses(a) {
        out.extend(clause_computable(a, clause));
    }
    (!out.is_empty()).then_some(out)
}

/// Token ranges of the clauses of a criterion.
fn clauses(a: &Analysis) -> Vec<(usize, usize)> {
    let t = &a.tokens;
    let mut out = Vec::new();
    let mut start = 0;
    for k in 0..t.len() {
        let boundary = t[k].lower == ";"
            || (t[k].lower == "." && t.get(k + 1).is_some_and(|n| n.start > t[k].end))
            || (t[k].lower == "," && t.get(k + 1).is_some_and(|n| n.lower == "or"));
        if boundary {
            if k > start {
                out.push((start, k));
            }
            start = k + 1;
        }
    }
    if start < t.len() {
        out.push((start, t.len()));
    }
    out
}

fn clause_computable(a: &Analysis, (cs, ce): (usize, usize)) -> Option<Computable> {
    let inside = |r: (usize, usize)| r.0 >= cs && r.1 <= ce;
    // Concepts after "other than" / "except" are outside the criterion.
    let exception_at = a
        .cues
        .iter()
        .find(|c| inside(c.tokens) && c.kind == (CueKind::Negation { exception: true }))
        .map_or(ce, |c| c.tokens.0);
    let mentions: Vec<&Mention> =
        a.mentions.iter().filter(|(_, r)| inside(*r) && r.0 < exception_at).map(|(m, _)| m).collect();
    let window = a.quantities.iter().filter(|q| inside(q.tokens)).find_map(|q| window(a, q));
    let status = status_in(a.cues.iter().filter(|c| inside(c.tokens)));
    let of_kind = |kind: EntityType| -> Vec<&Mention> { mentions.iter().copied().filter(|m| m.kind == kind).collect() };
    let drugs = of_kind(EntityType::Drug);
    let conditions = of_kind(EntityType::Condition);
    let exposure = a.tokens[cs..ce].iter().any(|t| EXPOSURE_WORDS.contains(&t.lower.as_str()));
    if !drugs.is_empty() && (exposure || conditions.is_empty()) {
        let dose = a
            .quantities
            .iter()
            .filter(|q| inside(q.tokens) && q.unit.as_deref().is_some_and(is_dose_unit))
            .map(|q| without_spans(comparison(a, q, 0)))
            .next();
        let drugs = drugs.iter().map(|m| concept_or_text(m, a)).collect();
        return Some(Computable::PriorTherapy { drugs, window, dose });
    }
    if !conditions.is_empty() {
        let infections = conditions.iter().filter(|m| is_infection(m)).count();
        let concepts = conditions.iter().map(|m| concept_or_text(m, a)).collect();
        return Some(if infections > 0 && infections * 2 >= conditions.len() {
            Computable::Infection { concepts, status, window }
        } else {
            Computable::Condition { concepts, status, window }
        });
    }
    let procedures = of_kind(EntityType::Procedure);
    let specific: Vec<&&Mention> = procedures.iter().filter(|m| m.concept.is_some()).collect();
    let chosen: Vec<ConceptRef> = if specific.is_empty() {
        procedures.iter().map(|m| concept_or_text(m, a)).collect()
    } else {
        specific.iter().map(|m| concept_or_text(m, a)).collect()
    };
    (!chosen.is_empty()).then_some(Computable::Procedure { concepts: chosen, window })
}

fn is_dose_unit(unit: &str) -> bool {
    matches!(unit, "mg" | "mg/day" | "mg/kg" | "mg/kg/day" | "g" | "g/day" | "ug" | "mg/m2" | "iu")
}

/// Whether a condition mention is an infection: under the curated "Infection" concept, in ICD-10-CM
/// chapter 1 (A00–B99, infectious and parasitic diseases), or named as one.
fn is_infection(m: &Mention) -> bool {
    let vocab = Vocabulary::embedded();
    m.concept_ids
        .iter()
        .any(|id| id.starts_with("ICD10CM:A") || id.starts_with("ICD10CM:B") || vocab.is_a(id, "ELIGO:cond.infection"))
        || m.concept.as_ref().is_some_and(|c| c.name.to_lowercase().contains("infection"))
}

fn status_in<'a>(cues: impl Iterator<Item = &'a Cue>) -> Option<ConditionStatus> {
    let mut found = None;
    for c in cues {
        match c.kind {
            // An explicit status word ("uncontrolled") beats a time word ("history").
            CueKind::Status(s) => return Some(s),
            CueKind::Time(Some(s)) if found.is_none() => found = Some(s),
            _ => {}
        }
    }
    found
}

/// "Women only", "Male patients": a sex restriction stated alone in a short criterion.
fn sex(a: &Analysis, section: Section) -> Option<Vec<Computable>> {
    let sexes: Vec<&str> = a
        .cues
        .iter()
        .filter_map(|c| match c.kind {
            CueKind::Sex(id) if id.starts_with("ELIGO:sex") => Some(id),
            _ => None,
        })
        .collect();
    let first = *sexes.first()?;
    if a.tokens.len() > 10 || section == Section::Exclusion && sexes.len() > 1 {
        return None;
    }
    let sex = if sexes.iter().any(|s| *s != first) {
        Sex::All
    } else if first == "ELIGO:sex.female" {
        Sex::Female
    } else {
        Sex::Male
    };
    Some(vec![Computable::Sex { sex }])
}

/// A criterion is negated when a negation word opens it or stands right before its first clinical
/// mention ("No history of ...", "Not pregnant", "Without prior ..."), or when it asks for a negative
/// test ("negative pregnancy test").
fn is_negated(a: &Analysis) -> bool {
    let first_content = a
        .mentions
        .iter()
        .map(|(_, r)| r.0)
        .chain(a.cues.iter().filter(|c| matches!(c.kind, CueKind::Pregnancy(_))).map(|c| c.tokens.0))
        .min();
    let Some(first_content) = first_content else { return false };
    let opens = a.cues.iter().any(|c| {
        c.kind == (CueKind::Negation { exception: false })
            && c.tokens.0 < first_content
            && (c.tokens.0 == 0 || first_content - c.tokens.1 <= 2)
    });
    let negative_test = a.tokens.iter().any(|t| t.lower == "negative")
        && a.cues.iter().any(|c| c.kind == CueKind::Pregnancy(PregnancyState::Pregnant));
    opens || negative_test
}
