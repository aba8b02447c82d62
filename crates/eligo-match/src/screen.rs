//! A trial's criteria against a patient: per-criterion results and the trial verdict.
//!
//! A trial's criteria are its registry limits (minimum/maximum age and sex, which every record
//! has in structured form) followed by the criteria the engine parsed from its free text
//! (`Trial::criteria`, or [`eligo_criteria::parse_criteria`] on the text when the store has none).
//!
//! A criterion holds when any of its computables holds (alternatives joined by "or"), and a
//! negated criterion ("no prior rituximab") holds when its computables do not. A criterion the
//! engine understood as a sentence but could not structure is read by its concept mentions: an
//! exclusion that names a condition the patient has is met, unless the mention is qualified (a
//! time window, severity, or the trial's own condition, which exclusions almost always qualify),
//! in which case it is unknown and becomes a question.
//!
//! The verdict: **ineligible** when an inclusion is not met or an exclusion is met (each named),
//! **eligible** when every inclusion is met and every exclusion is not met, **possible** otherwise.
//! Criteria that no chart can answer (consent, investigator judgement) are listed but do not keep
//! a trial from being eligible: a coordinator confirms them at the visit anyway.

use std::borrow::Cow;

use chrono::NaiveDate;
use eligo_model::{
    Computable, ConceptRef, Criterion, Evidence, NonComputableReason, Section, Trial, TRIAL_CONDITION,
    TRIAL_INTERVENTION,
};
use eligo_vocab::{Category, Mention, Vocabulary};
use serde::Serialize;

use crate::applicability::{not_applicable, RegistryLimits};
use crate::evaluate::{
    evaluate_in, excepted_concepts, qualify_by_exceptions, settled_at_screening, Context, Finding, Outcome, Question,
    Support,
};
use crate::label::{label, silence_is_absence, Label};
use crate::prepared::{ancestor_ids, Closure, PreparedPatient, Topic};

/// How a criterion's result was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The registry's structured age and sex limits.
    Registry,
    /// The criteria engine's computable reading.
    Structured,
    /// Concept mentions in a criterion the engine could not structure.
    Mentions,
    /// Nothing a chart can answer (consent, judgement, unreadable text).
    NotComputable,
    /// The rule concerns a group the patient is not in (see [`crate::applicability`]).
    NotApplicable,
    /// A disease, event or treatment the chart would mention and does not (see [`crate::label`]).
    NotDocumented,
}

/// One criterion's result with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionResult {
    pub section: Section,
    pub text: String,
    /// Char span in the trial's criteria text (`None` for registry limits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
    pub basis: Basis,
    /// What a physician reading the same record would answer.
    pub label: Label,
    #[serde(flatten)]
    pub finding: Finding,
    /// Whether the criterion asks for something to be absent: an exclusion, or a negated
    /// inclusion ("No other neurological disease", an exclusion in other words). Ranking weighs
    /// such a criterion left open as likely clear.
    #[serde(skip)]
    pub asks_absence: bool,
}

impl CriterionResult {
    /// Whether this result excludes the patient (an inclusion not met or an exclusion met).
    pub fn excludes(&self) -> bool {
        self.basis != Basis::NotComputable
            && match self.section {
                Section::Exclusion => self.finding.outcome == Outcome::Met,
                Section::Inclusion | Section::Unspecified => self.finding.outcome == Outcome::NotMet,
            }
    }

    /// Whether this result is open: it could still exclude the patient once known.
    pub fn is_open(&self) -> bool {
        self.basis != Basis::NotComputable && self.finding.outcome == Outcome::Unknown
    }

    /// Whether the result counts for the patient (an inclusion met, an exclusion not met).
    pub fn supports(&self) -> bool {
        self.basis != Basis::NotComputable
            && match self.section {
                Section::Exclusion => self.finding.outcome == Outcome::NotMet,
                Section::Inclusion | Section::Unspecified => self.finding.outcome == Outcome::Met,
            }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Eligible,
    Possible,
    Ineligible,
}

/// A trial's criteria, read once and reused for every patient.
pub struct PreparedTrial<'t> {
    /// Borrowed for one-off screening, owned when kept in a cache between requests.
    pub trial: Cow<'t, Trial>,
    pub criteria: Vec<Criterion>,
    /// Condition concepts the trial's titles, conditions and keywords mention: what it is about.
    pub about_ids: std::collections::HashSet<String>,
    /// Per criterion: concept mentions for the fallback reading (empty when structured).
    mentions: Vec<Vec<MentionedConcept>>,
    /// Per criterion: the concepts it names as exceptions ("other than osteoarthritis").
    exceptions: Vec<Vec<ConceptRef>>,
    /// Per criterion: whether a sibling criterion with the same span asks something of another kind.
    beside_clinical: Vec<bool>,
    /// The disease the trial is for.
    topic: Topic,
    registry: RegistryLimits,
}

/// What was read from one criterion when the trial was prepared.
#[derive(Clone, Copy)]
struct CriterionPrep<'p> {
    mentions: &'p [MentionedConcept],
    exceptions: &'p [ConceptRef],
    beside_clinical: bool,
}

#[derive(Debug, Clone)]
struct MentionedConcept {
    concept: ConceptRef,
    category: Category,
    /// A negation cue precedes it in the criterion ("no history of", "without").
    negated: bool,
    /// Qualified by time, severity or an exception, or about the trial's own condition.
    qualified: bool,
}

/// Criteria from the registry's structured limits.
fn registry_criteria(trial: &Trial) -> Vec<Criterion> {
    let e = &trial.eligibility;
    let mut out = Vec::new();
    if e.minimum_age.is_some() || e.maximum_age.is_some() {
        let text = format!("Age {}", format_age(e.minimum_age, e.maximum_age));
        out.push(synthetic(text, Computable::Age { min: e.minimum_age, max: e.maximum_age }));
    }
    if let Some(sex) = e.sex.clone().filter(|s| *s != eligo_model::Sex::All) {
        out.push(synthetic(format!("Sex: {}", sex.label()), Computable::Sex { sex }));
    }
    out
}

fn format_age(min: Option<eligo_model::Duration>, max: Option<eligo_model::Duration>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("{a} or older"),
        (None, Some(b)) => format!("up to {b}"),
        (None, None) => String::new(),
    }
}

/// Registry criteria carry `usize::MAX` offsets, which mark them as not from the text.
fn synthetic(text: String, computable: Computable) -> Criterion {
    Criterion {
        section: Section::Inclusion,
        start: usize::MAX,
        end: usize::MAX,
        text,
        computable: vec![computable],
        negated: false,
        applies_if: Vec::new(),
        entities: Vec::new(),
    }
}

const QUALIFIER_WORDS: [&str; 16] = [
    "within",
    "month",
    "week",
    "day",
    "year",
    "severe",
    "uncontrolled",
    "unstable",
    "active",
    "acute",
    "recent",
    "current",
    "except",
    "other than",
    "excluding",
    "requiring",
];
const NEGATION_WORDS: [&str; 6] = ["no ", "not ", "without ", "absence of", "free of", "never "];

impl<'t> PreparedTrial<'t> {
    pub fn new(trial: &'t Trial) -> Self {
        PreparedTrial::prepare(Cow::Borrowed(trial))
    }

    /// A prepared trial that owns its record, to be kept between requests.
    pub fn owned(trial: Trial) -> PreparedTrial<'static> {
        PreparedTrial::prepare(Cow::Owned(trial))
    }

    fn prepare(record: Cow<'t, Trial>) -> Self {
        let trial: &Trial = &record;
        let mut criteria = registry_criteria(trial);
        let parsed = if trial.criteria.is_empty() {
            trial.eligibility.criteria_text.as_deref().map(eligo_criteria::parse_criteria).unwrap_or_default()
        } else {
            trial.criteria.clone()
        };
        criteria.extend(parsed);
        drop_general_alternatives(&mut criteria);
        resolve_trial_intervention(&mut criteria, trial);
        let vocab = Vocabulary::embedded();
        // Each condition is read once, for the topic and for what the trial is about.
        let conditions_found: Vec<Vec<Mention>> = trial.conditions.iter().map(|c| vocab.find_mentions(c)).collect();
        let topic_concepts: Vec<ConceptRef> = trial
            .conditions
            .iter()
            .zip(&conditions_found)
            .flat_map(|(c, found)| condition_mentions(vocab, c, found))
            .flat_map(|m| m.concept_ids)
            .filter_map(|id| vocab.concept(&id).map(|c| ConceptRef { id: c.id.clone(), name: c.name.clone() }))
            .collect();
        resolve_trial_condition(&mut criteria, trial, &topic_concepts);
        // Closed under the hierarchy, to tell whether an exclusion is about the trial's own disease.
        let topic = Topic::new(&topic_concepts);
        let mentions = criteria.iter().map(|c| mentioned_concepts(c, topic.closure())).collect();
        let exceptions = criteria.iter().map(criterion_exceptions).collect();
        let beside_clinical = beside_clinical_kinds(&criteria);
        let about_ids = about_ids(trial, conditions_found);
        let registry = RegistryLimits { sex: trial.eligibility.sex.is_some() };
        PreparedTrial { trial: record, criteria, about_ids, mentions, exceptions, beside_clinical, topic, registry }
    }

    /// Screens the patient against every criterion.
    pub fn screen(&self, patient: &PreparedPatient, as_of: NaiveDate) -> Screening {
        let frame = TrialFrame { topic: &self.topic, registry: self.registry };
        let results: Vec<CriterionResult> = self
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let prep = CriterionPrep {
                    mentions: &self.mentions[i],
                    exceptions: &self.exceptions[i],
                    beside_clinical: self.beside_clinical[i],
                };
                evaluate_criterion(c, prep, &frame, patient, as_of)
            })
            .collect();
        let verdict = if results.iter().any(CriterionResult::excludes) {
            Verdict::Ineligible
        } else if results.iter().any(CriterionResult::is_open) {
            Verdict::Possible
        } else {
            Verdict::Eligible
        };
        Screening { verdict, results }
    }
}

/// The result of screening one patient for one trial.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening {
    pub verdict: Verdict,
    pub results: Vec<CriterionResult>,
}

impl Screening {
    /// The criteria that exclude the patient.
    pub fn exclusions(&self) -> impl Iterator<Item = &CriterionResult> {
        self.results.iter().filter(|r| r.excludes())
    }

    /// Open questions, each once, in criterion order.
    pub fn questions(&self) -> Vec<&Question> {
        let mut seen = std::collections::HashSet::new();
        self.results
            .iter()
            .filter(|r| r.is_open())
            .filter_map(|r| r.finding.question.as_ref())
            .filter(|q| seen.insert(&q.key))
            .collect()
    }
}

/// A general concept listed beside a more specific one ("type 1 diabetes or other specific types
/// of diabetes", "acute or chronic infection of HCV, HDV or HIV") is the head word of the list,
/// not an alternative of its own: matching it would let any diabetes, any infection, meet the
/// reading. It is dropped from the alternatives.
fn drop_general_alternatives(criteria: &mut [Criterion]) {
    for computable in criteria.iter_mut().flat_map(|c| c.computable.iter_mut()) {
        let (Computable::Condition { concepts, .. } | Computable::Infection { concepts, .. }) = computable else {
            continue;
        };
        if concepts.len() < 2 {
            continue;
        }
        let general: Vec<bool> = concepts
            .iter()
            .map(|c| concepts.iter().any(|other| other.id != c.id && ancestor_ids(&other.id).contains(c.id.as_str())))
            .collect();
        let mut keep = general.iter().map(|g| !g);
        concepts.retain(|_| keep.next().unwrap_or(true));
    }
}

/// What a criterion excepts: the concepts named after an exception cue in its text, and those its
/// readings carry in their scope (which include what the text alone does not name: "an organ
/// transplant other than a kidney" excepts a kidney transplant).
fn criterion_exceptions(criterion: &Criterion) -> Vec<ConceptRef> {
    let mut out = excepted_concepts(&criterion.text);
    for computable in &criterion.computable {
        let (Computable::Condition { scope, .. }
        | Computable::Infection { scope, .. }
        | Computable::PriorTherapy { scope, .. }
        | Computable::Procedure { scope, .. }) = computable
        else {
            continue;
        };
        for concept in &scope.exceptions {
            if !out.iter().any(|c| c.id == concept.id) {
                out.push(concept.clone());
            }
        }
    }
    out
}

/// The criteria engine reads "the study drug", "investigational product" and the trial's code
/// names as exposure to the trial's own intervention (`ELIGO:trial.intervention`, or `TEXT:<code>`
/// for a code name). Here they become the intervention's own concepts, by every name the record
/// gives it, so that a patient who took it (under any of its names) is found.
fn resolve_trial_intervention(criteria: &mut [Criterion], trial: &Trial) {
    let names: Vec<&str> = trial
        .interventions
        .iter()
        .flat_map(|i| std::iter::once(i.name.as_str()).chain(i.other_names.iter().map(String::as_str)))
        .collect();
    if names.is_empty() {
        return;
    }
    let is_trials_own = |c: &ConceptRef| {
        c.id == TRIAL_INTERVENTION
            || c.id.strip_prefix("TEXT:").is_some_and(|code| names.iter().any(|n| n.eq_ignore_ascii_case(code)))
    };
    // Looked up on the first criterion that names the trial's own drug: most name none.
    let own = std::cell::OnceCell::new();
    for computable in criteria.iter_mut().flat_map(|c| c.computable.iter_mut()) {
        let (Computable::PriorTherapy { drugs, .. } | Computable::Allergy { substances: drugs }) = computable else {
            continue;
        };
        if drugs.iter().any(is_trials_own) {
            drugs.retain(|d| d.id != TRIAL_INTERVENTION);
            for concept in own.get_or_init(|| intervention_concepts(&names)) {
                if !drugs.iter().any(|d| d.id == concept.id) {
                    drugs.push(concept.clone());
                }
            }
        }
    }
}

/// The criteria engine reads a line that states only a stage, course or form ("Clinical stage
/// IIB-IIIC", "Relapsed or refractory") as about the trial's own disease (`ELIGO:trial.condition`).
/// Here it becomes the concepts of the conditions the trial lists, or the first condition's name
/// as text when the vocabulary knows none of them, so that the patient's record of that disease
/// is checked for the qualifiers.
fn resolve_trial_condition(criteria: &mut [Criterion], trial: &Trial, topic: &[ConceptRef]) {
    let own: Vec<ConceptRef> = if topic.is_empty() {
        let Some(name) = trial.conditions.first() else { return };
        vec![ConceptRef { id: format!("TEXT:{}", name.to_lowercase()), name: name.clone() }]
    } else {
        topic.to_vec()
    };
    for computable in criteria.iter_mut().flat_map(|c| c.computable.iter_mut()) {
        let Computable::Condition { concepts, .. } = computable else { continue };
        if concepts.iter().any(|c| c.id == TRIAL_CONDITION) {
            concepts.retain(|c| c.id != TRIAL_CONDITION);
            concepts.extend(own.iter().filter(|c| !concepts.contains(c)).cloned().collect::<Vec<_>>());
        }
    }
}

/// The vocabulary's concepts for the intervention's names, and each name as text (a code name the
/// vocabulary does not know is still matched by name).
fn intervention_concepts(names: &[&str]) -> Vec<ConceptRef> {
    let vocab = Vocabulary::embedded();
    let mut out: Vec<ConceptRef> = Vec::new();
    for name in names {
        let found = vocab
            .find_mentions(name)
            .into_iter()
            .filter(|m| matches!(m.category, Category::Drug | Category::DrugClass))
            .flat_map(|m| m.concept_ids)
            .filter_map(|id| vocab.concept(&id).map(|c| ConceptRef { id: c.id.clone(), name: c.name.clone() }));
        out.extend(found);
        out.push(ConceptRef { id: format!("TEXT:{}", name.to_lowercase()), name: (*name).to_string() });
    }
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// Criteria split from one sentence share their span; an age beside a clinical requirement (not
/// sex or pregnancy) names the group that requirement is for.
fn beside_clinical_kinds(criteria: &[Criterion]) -> Vec<bool> {
    let demographic = |c: &Criterion| matches!(c.kind(), "age" | "sex" | "pregnancy");
    criteria
        .iter()
        .map(|c| {
            c.start != usize::MAX && criteria.iter().any(|o| o.start == c.start && o.end == c.end && !demographic(o))
        })
        .collect()
}

/// The mentions in a registry condition. Abbreviations match only in capitals ("ALL" is not
/// "all"), but condition lists are often lower-cased ("nsclc", "copd"): a single short word with
/// no mention is tried again in capitals.
/// The mentions of a listed `condition`, given those `found` in it as written: a short word
/// with none is read again as an abbreviation ("nsclc").
fn condition_mentions(vocab: &Vocabulary, condition: &str, found: &[Mention]) -> Vec<Mention> {
    let word = condition.trim();
    if found.is_empty() && word.len() <= 8 && word.chars().all(|c| c.is_ascii_alphanumeric()) {
        return vocab.find_mentions(&word.to_ascii_uppercase());
    }
    found.to_vec()
}

/// The condition concepts of the trial's titles, listed conditions (their mentions as written,
/// `conditions_found`) and keywords.
fn about_ids(trial: &Trial, conditions_found: Vec<Vec<Mention>>) -> std::collections::HashSet<String> {
    let vocab = Vocabulary::embedded();
    let titles = trial.brief_title.iter().chain(&trial.official_title);
    titles
        .chain(&trial.keywords)
        .flat_map(|t| vocab.find_mentions(t))
        .chain(conditions_found.into_iter().flatten())
        .filter(|m| m.category == Category::Condition)
        .flat_map(|m| m.concept_ids)
        .collect()
}

fn mentioned_concepts(criterion: &Criterion, topic: &Closure) -> Vec<MentionedConcept> {
    if !criterion.computable.is_empty() {
        return Vec::new();
    }
    let vocab = Vocabulary::embedded();
    let lower = criterion.text.to_lowercase();
    let qualified_text = QUALIFIER_WORDS.iter().any(|w| lower.contains(w));
    let chars: Vec<char> = lower.chars().collect();
    let mut out = Vec::new();
    for mention in vocab.find_mentions(&criterion.text) {
        if !matches!(mention.category, Category::Condition | Category::Drug | Category::DrugClass | Category::Procedure)
        {
            continue;
        }
        let before: String = chars[mention.start.saturating_sub(40)..mention.start].iter().collect();
        let negated = NEGATION_WORDS.iter().any(|w| before.contains(w));
        for id in &mention.concept_ids {
            let Some(concept) = vocab.concept(id) else { continue };
            let on_topic = topic.contains(&concept.id);
            out.push(MentionedConcept {
                concept: ConceptRef { id: concept.id.clone(), name: concept.name.clone() },
                category: mention.category,
                negated,
                qualified: qualified_text || on_topic,
            });
        }
    }
    out
}

/// What a trial knows besides its criteria, for screening one of them.
struct TrialFrame<'t> {
    topic: &'t Topic,
    registry: RegistryLimits,
}

fn evaluate_criterion(
    criterion: &Criterion,
    prepared: CriterionPrep<'_>,
    frame: &TrialFrame,
    patient: &PreparedPatient,
    as_of: NaiveDate,
) -> CriterionResult {
    let span = (criterion.start != usize::MAX).then_some((criterion.start, criterion.end));
    // Verdict-only screening skips the copy of the criterion's text, like the finding's reason.
    let text = if patient.explains() { criterion.text.clone() } else { String::new() };
    let ctx = Context { as_of, topic: Some(frame.topic) };
    let section = criterion.section;
    if let Some(reason) = not_applicable(criterion, prepared.beside_clinical, frame.registry, patient, ctx) {
        let outcome = if section == Section::Exclusion { Outcome::NotMet } else { Outcome::Met };
        let finding = Finding::known(outcome, reason, Vec::new());
        return CriterionResult {
            section,
            text,
            span,
            basis: Basis::NotApplicable,
            label: Label::NotApplicable,
            finding,
            asks_absence: section == Section::Exclusion || criterion.negated,
        };
    }
    let readings = &criterion.computable;
    let (basis, finding) = if span.is_none() {
        (Basis::Registry, combine(readings, patient, ctx))
    } else if readings.iter().all(settled_at_screening) && !readings.is_empty() {
        (Basis::NotComputable, combine(readings, patient, ctx))
    } else if !readings.is_empty() {
        (Basis::Structured, combine(readings, patient, ctx))
    } else if prepared.mentions.is_empty() {
        (Basis::NotComputable, Finding::silence("no structure or concepts found".into(), None))
    } else {
        (Basis::Mentions, by_mentions(prepared.mentions, patient))
    };
    let finding = qualify_by_exceptions(finding, prepared.exceptions, patient);
    // An exclusion about taking part is always about not taking part ("Inability to comply",
    // "Refusal to sign consent"), whether or not its words carry a negation cue.
    let negated = criterion.negated || (section == Section::Exclusion && about_taking_part(readings));
    let finding = if negated { Finding { outcome: finding.outcome.negate(), ..finding } } else { finding };
    let finding = not_excluding_alone(criterion, basis, finding);
    let undocumented = silence_is_absence(&finding, patient);
    let label = match readings.first() {
        Some(Computable::NotComputable {
            reason: NonComputableReason::Permission | NonComputableReason::Structure,
        }) => Label::satisfied(section),
        _ => label(section, finding.outcome, undocumented),
    };
    // A reading no chart can settle keeps its basis, so that it still never holds a verdict open.
    let basis = if undocumented && basis != Basis::NotComputable { Basis::NotDocumented } else { basis };
    let asks_absence = section == Section::Exclusion || criterion.negated;
    CriterionResult { section, text, span, basis, label, finding, asks_absence }
}

/// Whether every reading is consent or compliance, which the record's stated consent settles.
fn about_taking_part(readings: &[Computable]) -> bool {
    !readings.is_empty()
        && readings.iter().all(|c| {
            matches!(
                c,
                Computable::NotComputable { reason: NonComputableReason::Consent | NonComputableReason::Compliance }
            )
        })
}

/// Findings that cannot exclude a patient on their own become unknown:
/// * the trial's own disease meeting an exclusion (or failing a negated inclusion): a trial is
///   for patients with its disease, so such a rule means something narrower — a form, a stage,
///   an event, another episode — that the disease alone does not show;
/// * a sex in an exclusion ("Women with a history of PCOS"): it names a subgroup, and the rest of
///   the criterion decides;
/// * a concept mentioned in a sentence the engine could not structure: what the sentence asks
///   about it is not known, so its mention is a question, not a reason to exclude.
fn not_excluding_alone(criterion: &Criterion, basis: Basis, finding: Finding) -> Finding {
    let would_exclude = match criterion.section {
        Section::Exclusion => finding.outcome == Outcome::Met,
        Section::Inclusion | Section::Unspecified => finding.outcome == Outcome::NotMet,
    };
    if !would_exclude {
        return finding;
    }
    // The subgroup's sex is in the record; what the rest of the sentence asks is not.
    let support = if is_subgroup_qualifier(criterion) { Support::Silence } else { finding.support };
    let why = if finding.support == Support::IndexDisease {
        "; that is the disease this trial is for, so the criterion means something narrower the record does not show"
    } else if is_subgroup_qualifier(criterion) {
        "; a sex in an exclusion names a subgroup (\"women with ...\"), the rest of the criterion decides"
    } else if basis == Basis::Mentions {
        "; the sentence could not be read whole, so what it asks about this is not known"
    } else {
        return finding;
    };
    let reason = if finding.reason.is_empty() { String::new() } else { format!("{}{why}", finding.reason) };
    Finding { outcome: Outcome::Unknown, reason, support, ..finding }
}

/// An exclusion whose only reading is a sex ("Women of childbearing potential", "Women with a
/// history of PCOS") qualifies a subgroup: a trial that excludes a whole sex says so in its
/// registry sex limit, which is evaluated separately.
fn is_subgroup_qualifier(criterion: &Criterion) -> bool {
    criterion.section == Section::Exclusion
        && !criterion.computable.is_empty()
        && criterion.computable.iter().all(|c| matches!(c, Computable::Sex { .. }))
}

/// Alternatives: met if any is met, not met if all are not met, else unknown (the first unknown's
/// question is asked).
/// An unknown resting on a partial record (undated, unqualified) is preferred over one resting on
/// silence, so that the label of the whole criterion is not "not documented" when something was.
fn combine(computables: &[Computable], patient: &PreparedPatient, ctx: Context) -> Finding {
    let mut findings: Vec<Finding> = computables.iter().map(|c| evaluate_in(c, patient, ctx)).collect();
    let first = |outcome, silent: Option<bool>| {
        findings
            .iter()
            .position(|f: &Finding| f.outcome == outcome && silent.is_none_or(|s| (f.support == Support::Silence) == s))
    };
    let decisive = first(Outcome::Met, None)
        .or_else(|| first(Outcome::Unknown, Some(false)))
        .or_else(|| first(Outcome::Unknown, None));
    if let Some(decisive) = decisive {
        return findings.swap_remove(decisive);
    }
    let reason = findings.iter().map(|f| f.reason.as_str()).collect::<Vec<_>>().join("; ");
    let evidence: Vec<Evidence> = findings.into_iter().flat_map(|f| f.evidence).collect();
    Finding::known(Outcome::NotMet, reason, evidence)
}

fn by_mentions(mentions: &[MentionedConcept], patient: &PreparedPatient) -> Finding {
    use eligo_model::{Assertion, FactKind};
    for mention in mentions {
        let concepts = std::slice::from_ref(&mention.concept);
        let kinds: &[FactKind] = match mention.category {
            Category::Condition => &[FactKind::Condition],
            Category::Procedure => &[FactKind::Procedure],
            _ => &[FactKind::Medication],
        };
        for (fact, relation) in patient.related(kinds, concepts) {
            if relation != crate::prepared::Relation::Is {
                continue;
            }
            let evidence = vec![fact.evidence.clone()];
            let has = match fact.assertion {
                Assertion::Present | Assertion::Historical => true,
                Assertion::Absent => false,
                _ => continue,
            };
            let outcome = if has != mention.negated { Outcome::Met } else { Outcome::NotMet };
            if outcome == Outcome::Met && mention.qualified {
                let reason = format!(
                    "{} recorded; the criterion qualifies {} (timing or severity)",
                    fact.text, mention.concept.name
                );
                let question = Question {
                    key: format!("qualified:{}", mention.concept.id),
                    text: format!("Does this apply to you: \"{}\"?", mention.concept.name),
                };
                return Finding { evidence, ..Finding::unknown(reason, Some(question)) };
            }
            let reason = match has {
                true => format!("{} recorded (mentions {})", fact.text, mention.concept.name),
                false => format!("recorded as absent: {}", fact.text),
            };
            return Finding::known(outcome, reason, evidence);
        }
    }
    let first = &mentions[0].concept;
    let text = match mentions[0].category {
        Category::Condition => format!("Have you been diagnosed with {}?", first.name),
        Category::Procedure => format!("Have you had {}?", first.name),
        _ => format!("Have you received {}?", first.name),
    };
    let question = Question { key: format!("mention:{}", first.id), text };
    Finding { support: Support::Silence, ..Finding::unknown(format!("no record of {}", first.name), Some(question)) }
}
