//! One computable criterion against one patient: `met`, `not_met` or `unknown`, with the patient
//! facts that decided it, a one-line reason and, when unknown, the question that would settle it.
//!
//! Unknown is not failure. A criterion is `not_met` only on positive evidence: a recorded age
//! outside the limits, a lab value on the wrong side of the threshold, an explicit absence ("no
//! history of hepatitis B", a refuted FHIR condition), a drug given outside the window. A
//! condition the chart simply does not mention is `unknown`, and becomes a question. An explicit
//! absence settles a criterion only when no other record says the patient has it ("denies chest
//! pain at rest" and "chest pain on exertion" in one chart).
//!
//! A criterion that names exceptions ("pain associated with conditions other than osteoarthritis")
//! is met by a finding only when the patient has none of the excepted conditions; otherwise the
//! chart cannot tell which cause the finding has, and the answer is `unknown`
//! ([`qualify_by_exceptions`]).

use chrono::NaiveDate;
use eligo_model::{
    Assertion, ClinicalFact, Comparison, Computable, ConceptRef, ConditionStatus, Evidence, FactKind,
    NonComputableReason, Observation, Operator, PatientSex, Polarity, PregnancyState, Qualifier, QualifierKind, Scope,
    Sex, TimeWindow, KNOWN_RESULT_UNIT, LOWER_LIMIT_UNIT,
};
use eligo_vocab::{assumed_unit, convert, normalize_unit};
use serde::Serialize;

use crate::inferred;
use crate::lay::{with_article, without_generic_modifiers};
use crate::prepared::{PreparedPatient, Relation, Topic};

/// The answer for one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Met,
    NotMet,
    Unknown,
}

impl Outcome {
    /// Logical NOT, with unknown staying unknown.
    pub fn negate(self) -> Outcome {
        match self {
            Outcome::Met => Outcome::NotMet,
            Outcome::NotMet => Outcome::Met,
            Outcome::Unknown => Outcome::Unknown,
        }
    }
}

/// A question for the patient that would turn an unknown into a known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Question {
    /// Identifies the fact asked about, so the same question from many criteria is asked once.
    pub key: String,
    pub text: String,
}

/// What an outcome rests on. Screening uses it to decide what may exclude a patient (a finding
/// resting on the trial's own disease may confirm an inclusion but never exclude alone) and how a
/// physician would label an unknown (a chart's silence about a disease is "not excluded").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Support {
    /// A record of the patient decided it, or the reading needs none.
    #[default]
    Record,
    /// Met only by the disease the trial is for.
    IndexDisease,
    /// Nothing in the record relates to the reading.
    Silence,
}

/// The evaluation of one computable (or of a whole criterion, once combined).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub outcome: Outcome,
    pub reason: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<Question>,
    #[serde(skip)]
    pub support: Support,
}

impl Finding {
    pub(crate) fn known(outcome: Outcome, reason: String, evidence: Vec<Evidence>) -> Self {
        Finding { outcome, reason, evidence, question: None, support: Support::Record }
    }

    pub(crate) fn unknown(reason: String, question: Option<Question>) -> Self {
        Finding { outcome: Outcome::Unknown, reason, evidence: Vec::new(), question, support: Support::Record }
    }

    /// Unknown because the record says nothing about it (see [`Support::Silence`]).
    pub(crate) fn silence(reason: String, question: Option<Question>) -> Self {
        Finding { support: Support::Silence, ..Finding::unknown(reason, question) }
    }
}

/// What a reading is evaluated against besides the patient: the evaluation date, and the disease
/// the trial is for (absent when a reading is evaluated outside a trial).
#[derive(Debug, Clone, Copy)]
pub struct Context<'t> {
    pub as_of: NaiveDate,
    pub topic: Option<&'t Topic>,
}

impl Context<'_> {
    pub fn plain(as_of: NaiveDate) -> Context<'static> {
        Context { as_of, topic: None }
    }
}

/// Evaluates one computable criterion reading on `as_of`, outside any trial.
pub fn evaluate(computable: &Computable, patient: &PreparedPatient, as_of: NaiveDate) -> Finding {
    evaluate_in(computable, patient, Context::plain(as_of))
}

/// Evaluates one computable criterion reading in a trial's context.
pub fn evaluate_in(computable: &Computable, patient: &PreparedPatient, ctx: Context) -> Finding {
    let as_of = ctx.as_of;
    match computable {
        Computable::Age { min, max } => {
            let Some(age) = patient.patient.age_years(as_of) else {
                return Finding::unknown("age not recorded".into(), Some(question("age", "How old are you?")));
            };
            let evidence = patient.patient.birth_date.as_ref().map(|b| b.evidence.clone());
            let evidence = evidence.or_else(|| patient.patient.age.as_ref().map(|a| a.evidence.clone()));
            let too_young = min.is_some_and(|m| age < m.as_years() - 1e-9);
            let too_old = max.is_some_and(|m| age > m.as_years() + 1e-9);
            let outcome = if too_young || too_old { Outcome::NotMet } else { Outcome::Met };
            let reason = patient.explain(|| {
                let limits = format_limits(min.map(|m| m.to_string()), max.map(|m| m.to_string()));
                format!("age {age:.0} years; required {limits}")
            });
            Finding::known(outcome, reason, patient.explain(|| evidence.into_iter().collect()))
        }
        Computable::Sex { sex } => evaluate_sex(sex, patient),
        Computable::Condition { concepts, .. }
            if !concepts.is_empty() && concepts.iter().all(|c| c.id == PREGNANCY) =>
        {
            evaluate_pregnancy(PregnancyState::Pregnant, patient, as_of)
        }
        Computable::Condition { concepts, status, window, scope }
        | Computable::Infection { concepts, status, window, scope } => {
            let reading =
                Reading { kind: FactKind::Condition, concepts, status: *status, window: window.as_ref(), scope };
            evaluate_presence(&reading, patient, ctx)
        }
        Computable::PriorTherapy { drugs, window, dose, scope } => {
            let reading =
                Reading { kind: FactKind::Medication, concepts: drugs, status: None, window: window.as_ref(), scope };
            let finding = for_its_target(evaluate_presence(&reading, patient, ctx), &scope.target, patient);
            match dose {
                Some(limit) if finding.outcome == Outcome::Met => evaluate_dose(finding, drugs, limit, patient),
                _ => finding,
            }
        }
        Computable::Procedure { concepts, window, scope } => {
            let reading = Reading { kind: FactKind::Procedure, concepts, status: None, window: window.as_ref(), scope };
            evaluate_presence(&reading, patient, ctx)
        }
        Computable::Lab { test, comparison, uln_multiple, window } => {
            evaluate_lab(test, comparison, *uln_multiple, window.as_ref(), patient, as_of)
        }
        Computable::Pregnancy { state } => evaluate_pregnancy(*state, patient, as_of),
        Computable::Allergy { substances } => evaluate_allergy(substances, patient, ctx),
        Computable::NotComputable { reason } => evaluate_not_computable(*reason, patient),
    }
}

/// A therapy met by the record, when the criterion says what it is for ("hemolytic anemia requiring
/// immunosuppressive therapy", "interferon for hepatitis C"): met only if the record also has that
/// condition. A drug of the class taken for something else (cyclophosphamide in a lymphoma regimen)
/// leaves it unknown, and the question asks about the condition. A target the vocabulary does not
/// name (text only) cannot be checked and is not asked for.
fn for_its_target(finding: Finding, target: &[ConceptRef], patient: &PreparedPatient) -> Finding {
    let named: Vec<ConceptRef> = target.iter().filter(|c| !c.id.starts_with("TEXT:")).cloned().collect();
    if finding.outcome != Outcome::Met || named.is_empty() {
        return finding;
    }
    let has_target = patient
        .related(&[FactKind::Condition], &named)
        .any(|(fact, relation)| relation == Relation::Is && fact.assertion.is_patients());
    if has_target {
        return finding;
    }
    let reason = patient.explain(|| format!("{}, but no record of {} it would be for", finding.reason, names(&named)));
    let reading =
        Reading { kind: FactKind::Condition, concepts: &named, status: None, window: None, scope: &Scope::default() };
    let question = patient.explain(|| presence_question(&reading));
    Finding { evidence: finding.evidence, ..Finding::unknown(reason, question) }
}

/// An allergy is met by an allergy the record lists to the substance or to one it belongs to
/// ("penicillins" meets amoxicillin). A chart that lists the patient's allergies, or says there
/// are none ("no known drug allergies": an absent allergy naming nothing), and not this one
/// settles it as not met: whoever wrote the list asked about every allergy. An answer sheet's
/// "yes" to one allergy says nothing about the others, and a record silent about allergies
/// leaves it to the chart-silence rule.
fn evaluate_allergy(substances: &[ConceptRef], patient: &PreparedPatient, ctx: Context) -> Finding {
    let scope = Scope::default();
    let reading = Reading { kind: FactKind::Allergy, concepts: substances, status: None, window: None, scope: &scope };
    let finding = evaluate_presence(&reading, patient, ctx);
    if finding.support != Support::Silence || !patient.is_chart() {
        return finding;
    }
    let is_list =
        |f: &&ClinicalFact| f.kind == FactKind::Allergy && (f.assertion == Assertion::Present || f.concepts.is_empty());
    let listed: Vec<&ClinicalFact> = patient.patient.facts.iter().filter(is_list).collect();
    if listed.is_empty() {
        return finding;
    }
    let reason = patient.explain(|| {
        let recorded: Vec<&str> = listed.iter().map(|f| f.text.as_str()).collect();
        format!("allergies recorded: {}; none to {}", recorded.join(", "), names(substances))
    });
    Finding::known(Outcome::NotMet, reason, patient.explain(|| listed.iter().map(|f| f.evidence.clone()).collect()))
}

/// Consent, willingness and compliance are settled when the record says so ("will provide
/// informed consent", "declined to take part"); everything else is confirmed at screening.
fn evaluate_not_computable(reason: NonComputableReason, patient: &PreparedPatient) -> Finding {
    let about_taking_part = matches!(reason, NonComputableReason::Consent | NonComputableReason::Compliance);
    match &patient.patient.consent {
        Some(stated) if about_taking_part => {
            let outcome = if stated.value { Outcome::Met } else { Outcome::NotMet };
            let reason = patient.explain(|| {
                if stated.value {
                    "the record says the patient consents and will comply"
                } else {
                    "the record says the patient declines"
                }
                .to_string()
            });
            Finding::known(outcome, reason, patient.explain(|| vec![stated.evidence.clone()]))
        }
        // Silence about it in a chart reads as its absence, as physicians read one (label.rs).
        _ => Finding::silence(
            patient.explain(|| format!("not computable from a chart ({reason:?}); confirm at screening")),
            None,
        ),
    }
}

/// Whether a reading is settled at the screening visit rather than from a chart: consent,
/// investigator judgement, unreadable text, and an agreement to use contraception during the
/// study (a promise the patient makes there; no record answers it in advance).
pub fn settled_at_screening(computable: &Computable) -> bool {
    matches!(
        computable,
        Computable::NotComputable { .. } | Computable::Pregnancy { state: PregnancyState::Contraception }
    )
}

/// The vocabulary's pregnancy concept: a "condition" the profile records as a flag.
const PREGNANCY: &str = "ELIGO:cond.pregnancy";

pub(crate) fn question(key: impl Into<String>, text: impl Into<String>) -> Question {
    Question { key: key.into(), text: text.into() }
}

fn format_limits(min: Option<String>, max: Option<String>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "any age".into(),
    }
}

fn evaluate_sex(sex: &Sex, patient: &PreparedPatient) -> Finding {
    let wanted = match sex {
        Sex::All => return Finding::known(Outcome::Met, "all sexes accepted".into(), Vec::new()),
        Sex::Female => PatientSex::Female,
        Sex::Male => PatientSex::Male,
        Sex::Unrecognized(raw) => return Finding::unknown(format!("sex requirement {raw:?} not understood"), None),
    };
    let Some(recorded) = &patient.patient.sex else {
        return Finding::unknown("sex not recorded".into(), Some(question("sex", "What is your sex?")));
    };
    if recorded.value == PatientSex::Other {
        return Finding::unknown("sex recorded as other".into(), None);
    }
    let outcome = if recorded.value == wanted { Outcome::Met } else { Outcome::NotMet };
    Finding::known(
        outcome,
        patient.explain(|| format!("sex {:?}; required {wanted:?}", recorded.value).to_lowercase()),
        patient.explain(|| vec![recorded.evidence.clone()]),
    )
}

fn names(concepts: &[ConceptRef]) -> String {
    // A generic head read beside named concepts ("small cell lung cancer or disease", "antipsychotics
    // or other medications") adds nothing a person can answer.
    let named = concepts.iter().any(|c| !names_nothing_specific(c));
    let mut names: Vec<&str> = Vec::new();
    for concept in concepts.iter().filter(|c| !named || !names_nothing_specific(c)) {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&concept.name)) {
            names.push(&concept.name);
        }
    }
    match names.as_slice() {
        [] => "(unnamed)".into(),
        [one] => (*one).to_string(),
        [first, second] => format!("{first} or {second}"),
        [first, .., last] => format!("{first}, …, or {last}"),
    }
}

/// Where a fact sits in time: its last day (end, else start for a one-off event, else ongoing).
/// A condition recorded with no date at all has no place in time: "diagnosed in the last 6
/// months" or "an exacerbation within 6 weeks" cannot be told from "has asthma".
fn last_day(fact: &ClinicalFact, as_of: NaiveDate) -> Option<NaiveDate> {
    match (fact.start, fact.end) {
        (_, Some(end)) => Some(end.min(as_of)),
        (None, None) if fact.kind == FactKind::Condition => None,
        (Some(_), None) | (None, None) if fact.assertion == Assertion::Present => Some(as_of),
        _ => None,
    }
}

/// The day `days` before `as_of`. A window reaching past the calendar's first day ("within
/// 100000000 days", read from a trial's text) is unbounded: it starts at the first day there is.
pub(crate) fn days_before(as_of: NaiveDate, days: f64) -> NaiveDate {
    // `as i64` saturates (NaN is 0), so only the calendar's range is left to check.
    chrono::TimeDelta::try_days(days.round() as i64)
        .and_then(|span| as_of.checked_sub_signed(span))
        .unwrap_or(if days < 0.0 { NaiveDate::MAX } else { NaiveDate::MIN })
}

/// Whether a fact lies in the window: `Some(true/false)`, or `None` when its dates are missing.
fn in_window(fact: &ClinicalFact, window: &TimeWindow, as_of: NaiveDate) -> Option<bool> {
    let mut verdict = true;
    if let Some(within) = window.within {
        verdict &= last_day(fact, as_of)? >= days_before(as_of, within.as_days());
    }
    if let Some(ago) = window.at_least_ago {
        // "Diagnosed at least 6 months ago" dates a condition from its onset; "no rituximab in
        // the 4 weeks before" dates a treatment from its last dose, and one still going is recent.
        let ongoing = fact.end.is_none() && fact.assertion == Assertion::Present;
        let reference = match fact.kind {
            FactKind::Condition => fact.start?,
            _ if ongoing => as_of,
            _ => fact.end.or(fact.start)?,
        };
        verdict &= reference <= days_before(as_of, ago.as_days());
    }
    if let Some(lasting) = window.for_at_least {
        let start = fact.start?;
        let end = fact.end.unwrap_or(as_of);
        verdict &= (end - start).num_days() as f64 >= lasting.as_days() - 0.5;
    }
    Some(verdict)
}

fn describe_window(window: Option<&TimeWindow>) -> String {
    let Some(window) = window else { return String::new() };
    let mut parts = Vec::new();
    if let Some(within) = window.within {
        parts.push(format!(" in the last {}", within.to_string().to_lowercase()));
    }
    if let Some(ago) = window.at_least_ago {
        parts.push(format!(" more than {} ago", ago.to_string().to_lowercase()));
    }
    if let Some(lasting) = window.for_at_least {
        parts.push(format!(" for at least {}", lasting.to_string().to_lowercase()));
    }
    parts.concat()
}

fn status_fits(fact: &ClinicalFact, wanted: Option<ConditionStatus>) -> Option<bool> {
    let inactive = fact.assertion == Assertion::Historical
        || matches!(fact.status, Some(ConditionStatus::History | ConditionStatus::Remission));
    match wanted {
        None | Some(ConditionStatus::History | ConditionStatus::Suspected) => Some(true),
        Some(ConditionStatus::Active) => Some(!inactive),
        Some(ConditionStatus::Remission) => match fact.status {
            Some(ConditionStatus::Remission) => Some(true),
            Some(ConditionStatus::Active | ConditionStatus::Uncontrolled) => Some(false),
            _ => None,
        },
        Some(other) => (fact.status == Some(other)).then_some(true),
    }
}

fn presence_question(reading: &Reading) -> Option<Question> {
    // "Any medical condition that would interfere with the study", "other serious illness", "other
    // medications": every patient would answer yes, and a yes would wrongly exclude. What such a
    // criterion means is the study team's judgement, so nothing is asked.
    // A relative's disease is not asked: an answer about the patient would be recorded as the
    // patient's own (see `answers::record`), which this reading never reads.
    if reading.concepts.iter().all(names_nothing_specific) || reading.status == Some(ConditionStatus::Family) {
        return None;
    }
    let name = names(reading.concepts);
    let when = describe_window(reading.window);
    let first = reading.concepts.first().map_or("", |c| c.id.as_str());
    let key = format!("{:?}:{first}:{when}", reading.kind).to_lowercase();
    let text = match (reading.kind, reading.status) {
        (FactKind::Medication, _) => format!("Have you received {name}{when}?"),
        (FactKind::Allergy, _) => format!("Are you allergic to {name}?"),
        (FactKind::Procedure, _) => format!("Have you had {name}{when}?"),
        (_, Some(ConditionStatus::Active)) => format!("Do you currently have active {name}?"),
        (_, Some(ConditionStatus::Remission)) => format!("Is your {name} in remission?"),
        _ => format!("Have you been diagnosed with {name}{when}?"),
    };
    Some(question(key, text))
}

/// Heads that, written alone, name no condition in particular ("any other disease", "a condition
/// that would interfere").
const GENERIC_CONDITION_HEADS: &[&str] = &[
    "disease",
    "diseases",
    "condition",
    "conditions",
    "disorder",
    "disorders",
    "illness",
    "illnesses",
    "problem",
    "problems",
    "impairment",
    "impairments",
    "abnormality",
    "abnormalities",
    "involvement",
    "comorbidity",
    "comorbidities",
    "procedure",
    "procedures",
    "intervention",
    "interventions",
];

/// Heads that, written alone, name no medicine in particular ("prescription medication",
/// "any other drugs").
const GENERIC_MEDICINE_HEADS: &[&str] = &[
    "medication",
    "medications",
    "medicine",
    "medicines",
    "drug",
    "drugs",
    "prescription medication",
    "class drug",
    "class drugs",
    "agent",
    "agents",
];

/// Routes that leave a generic medicine generic: "oral medications" names no drug either.
const ROUTES: &[&str] = &["oral", "intravenous", "iv", "topical", "systemic", "injectable", "inhaled"];

/// Whether a concept is only the criterion's generic words ("TEXT:disease", "other medications"),
/// which no question may repeat as if they named a diagnosis or a drug.
fn names_nothing_specific(c: &ConceptRef) -> bool {
    let head = without_generic_modifiers(&c.name.to_lowercase());
    let medicine = head.split(' ').filter(|w| !ROUTES.contains(w)).collect::<Vec<_>>().join(" ");
    (c.id.starts_with("TEXT:") && GENERIC_CONDITION_HEADS.contains(&head.as_str()))
        || GENERIC_MEDICINE_HEADS.contains(&medicine.as_str())
}

/// The question that settles a qualifier the record does not give: "Is your multiple sclerosis
/// progressive?", "Have you had an exacerbation of asthma in the last 4 weeks?".
fn qualifier_question(reading: &Reading, qualifier: &Qualifier, fact_text: &str) -> Question {
    let when = describe_window(reading.window);
    let key = format!("qualifier:{}:{}", reading.concepts.first().map_or("", |c| c.id.as_str()), qualifier.value);
    question(key, qualifier_question_text(fact_text, qualifier, &when))
}

/// The words of a question about a qualifier of the patient's `name`d condition: an event is
/// asked as an event ("Have you had an exacerbation of asthma?"), a body site as where the
/// condition is ("Does your pain involve the knee?"), anything else as a property of the
/// condition ("Is your multiple sclerosis progressive?").
pub(crate) fn qualifier_question_text(name: &str, qualifier: &Qualifier, when: &str) -> String {
    let value = &qualifier.value;
    match qualifier.kind {
        QualifierKind::Event => format!("Have you had {} of your {name}{when}?", with_article(value)),
        QualifierKind::Other if is_site_value(value) => format!("Does your {name} involve the {value}?"),
        QualifierKind::Other if value == DEPOT => format!("Is your {name} a long-acting (depot) injection?"),
        // "... that may interfere with the study": the effect the criterion fears, asked as such.
        QualifierKind::Other if value == INTERFERING => {
            format!("Could your {name} get in the way of taking part{when}?")
        }
        QualifierKind::Activity if value == eligo_model::ANTICIPATED_USE => {
            format!("Do you expect to need {name} in the coming months?")
        }
        _ => format!("Is your {name} {value}?"),
    }
}

/// A condition, drug or procedure reading, with what narrows it.
pub(crate) struct Reading<'r> {
    pub kind: FactKind,
    pub concepts: &'r [ConceptRef],
    pub status: Option<ConditionStatus>,
    pub window: Option<&'r TimeWindow>,
    pub scope: &'r Scope,
}

/// Whether a fact carries what a reading's qualifiers ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    Yes,
    /// The fact says otherwise (relapsing-remitting for progressive, stage II for stage IV).
    No,
    /// The record does not say; the question is about this qualifier.
    Unsaid(usize),
}

/// Whether the fact carries what the reading's qualifiers ask for (or its name implies it:
/// "metastatic breast cancer" carries "metastatic"). Qualifiers of one kind are alternatives
/// ("relapsed or refractory"); kinds must all hold. A kind rules the fact out only when the fact
/// contradicts every alternative of it.
fn qualifier_fit(reading: &Reading, fact: &ClinicalFact, patient: &PreparedPatient) -> Fit {
    // Drugs and procedures are recorded without qualifiers; what narrows them ("previously
    // treated", "elective") is the criterion's wording, not something a record carries. The one
    // exception is a long-acting formulation ("depot antipsychotic", "depot corticosteroids"): the
    // drug's own name says it when it is one ("haloperidol decanoate", "paliperidone palmitate").
    if reading.kind != FactKind::Condition {
        if route_contradicted(reading, fact) || past_use_for_current(reading, fact) {
            return Fit::No;
        }
        if let Some(i) = reading.scope.qualifiers.iter().position(|q| q.value == eligo_model::ANTICIPATED_USE) {
            // A therapy given now or before says nothing of what the patient will need.
            return if fact.assertion == Assertion::Planned { Fit::Yes } else { Fit::Unsaid(i) };
        }
        return match reading.scope.qualifiers.iter().position(|q| q.value == DEPOT) {
            Some(i) if !names_a_depot(&fact.text) => Fit::Unsaid(i),
            _ => Fit::Yes,
        };
    }
    let wanted = &reading.scope.qualifiers;
    let mut unsaid = None;
    let mut kinds: Vec<QualifierKind> = wanted.iter().map(|q| q.kind).collect();
    kinds.dedup();
    for kind in kinds {
        let mut verdicts = wanted
            .iter()
            .enumerate()
            .filter(|(_, q)| q.kind == kind && !intrinsic(&q.value, reading.concepts))
            .map(|(i, q)| (i, qualifier_holds(q, fact, patient)))
            .peekable();
        if verdicts.peek().is_none() {
            continue;
        }
        let verdicts: Vec<(usize, Option<bool>)> = verdicts.collect();
        if verdicts.iter().any(|(_, v)| *v == Some(true)) {
            continue;
        }
        if verdicts.iter().all(|(_, v)| *v == Some(false)) {
            return Fit::No;
        }
        unsaid = unsaid.or_else(|| verdicts.iter().find(|(_, v)| v.is_none()).map(|(i, _)| *i));
    }
    unsaid.map_or(Fit::Yes, Fit::Unsaid)
}

/// Whether the drug record's route is none of the routes the reading asks for: an inhaler is no
/// "systemic corticosteroid", an oral drug no "intravenous" one. A record that does not say how
/// the drug is taken leaves the reading as it was (a drug's name usually implies its route).
fn route_contradicted(reading: &Reading, fact: &ClinicalFact) -> bool {
    let wanted: Vec<&str> =
        reading.scope.qualifiers.iter().filter_map(|q| eligo_vocab::route_value(&q.value)).collect();
    let given: Vec<&str> = fact.qualifiers.iter().filter_map(|q| eligo_vocab::route_value(&q.value)).collect();
    !wanted.is_empty()
        && !given.is_empty()
        && !wanted.iter().any(|w| given.iter().any(|g| eligo_vocab::route_includes(w, g)))
}

/// Whether a reading is about a therapy or procedure the patient is expected to need.
fn wants_anticipated(reading: &Reading) -> bool {
    reading.scope.qualifiers.iter().any(|q| q.value == eligo_model::ANTICIPATED_USE)
}

/// Whether a reading about a drug taken now ("no concurrent thalidomide") meets a course the record
/// says is over: stopped, held, or only in the history.
fn past_use_for_current(reading: &Reading, fact: &ClinicalFact) -> bool {
    reading.scope.qualifiers.iter().any(|q| q.value == eligo_model::CURRENT_USE)
        && (fact.assertion == Assertion::Historical || fact.end.is_some())
}

/// The qualifier value of an effect on the patient or the study ("may interfere with", "affecting";
/// qualifiers.tsv).
const INTERFERING: &str = "interfering";

/// The qualifier value of a long-acting injectable formulation (qualifiers.tsv).
const DEPOT: &str = "depot";

/// Words of a drug's record that make it a long-acting injectable formulation.
const DEPOT_WORDS: &[&str] =
    &["depot", "decanoate", "enanthate", "palmitate", "pamoate", "long-acting", "lai", "microspheres"];

/// Whether a drug as recorded is a long-acting injectable formulation.
fn names_a_depot(text: &str) -> bool {
    let text = text.to_lowercase();
    text.contains("long acting")
        || text.split(|c: char| !c.is_alphanumeric() && c != '-').any(|w| DEPOT_WORDS.contains(&w))
}

/// A qualifier word that is part of a concept's own name ("chronic" in chronic obstructive
/// pulmonary disease, "acute" in acute myeloid leukaemia) is what the concept is, not a
/// qualifier of it: matching the concept settles it.
fn intrinsic(value: &str, concepts: &[ConceptRef]) -> bool {
    concepts.iter().any(|c| names_word(&c.name, value))
}

/// The prefix of a qualifier value the patient denied ("no, my MS is not progressive").
pub(crate) const DENIED: &str = "not ";

fn qualifier_holds(wanted: &Qualifier, fact: &ClinicalFact, patient: &PreparedPatient) -> Option<bool> {
    if wanted.kind == QualifierKind::Biomarker {
        return biomarker_holds(wanted, fact, patient);
    }
    // The record's words or its concept's name may say it: "ESRD" is "End stage renal disease".
    if names_word(&fact.text, &wanted.value) || fact.concepts.iter().any(|c| names_word(&c.name, &wanted.value)) {
        return Some(true);
    }
    // "non-breast malignancy", "non-bloody diarrhoea": a fact that names what is denied is not it;
    // one that names another site is ("colon cancer" for "non-breast").
    if let Some(denied) = wanted.value.strip_prefix("non-") {
        let named = site_values(fact);
        if names_word(&fact.text, denied)
            || fact.concepts.iter().any(|c| names_word(&c.name, denied))
            || fact.qualifiers.iter().any(|q| q.value == denied)
            || named.iter().any(|v| v == denied)
        {
            return Some(false);
        }
        if is_site_value(denied) && !named.is_empty() {
            return Some(true);
        }
    }
    if let Some(holds) = spread_shown_apart(wanted, fact, patient) {
        return Some(holds);
    }
    let mut verdict = None;
    for has in fact.qualifiers.iter().filter(|q| q.kind == wanted.kind && !intrinsic(&q.value, &fact.concepts)) {
        if has.value.strip_prefix(DENIED) == Some(wanted.value.as_str()) {
            return Some(false);
        }
        match exclusive_values(&wanted.value, &has.value) {
            Some(false) => return Some(true),
            Some(true) => verdict = Some(false),
            None if has.value.starts_with(&wanted.value) => return Some(true),
            None => {}
        }
    }
    verdict.or_else(|| form_named_against(wanted, fact))
}

/// A qualifier the fact's own name rules out: "relapsing-remitting multiple sclerosis" is not
/// "primary progressive", "chronic hepatitis" not "acute". Such words are part of the name, so the
/// fact carries them as its concept rather than as qualifiers. `Some(false)` when a member of the
/// wanted value's family that excludes it is named, else `None`.
fn form_named_against(wanted: &Qualifier, fact: &ClinicalFact) -> Option<bool> {
    let named = |value: &str| fact_names(fact).any(|name| names_word(name, value));
    QUALIFIER_FAMILIES
        .iter()
        .flat_map(|(_, _, values)| values.iter())
        .any(|value| exclusive_values(&wanted.value, value) == Some(true) && named(value))
        .then_some(false)
}

/// The words a fact is recorded under: its text and its concepts' names.
fn fact_names(fact: &ClinicalFact) -> impl Iterator<Item = &str> {
    std::iter::once(fact.text.as_str()).chain(fact.concepts.iter().map(|c| c.name.as_str()))
}

/// Whether a qualifier value is a body site of the qualifier table.
fn is_site_value(value: &str) -> bool {
    eligo_vocab::qualifier_word(&eligo_vocab::qualifier_key(value)).is_some_and(|w| w.kind == "site")
}

/// The body sites a fact's words and concept names state ("colon" of colon cancer, "liver" of
/// "Secondary malignant neoplasm of liver"), as the table's values.
fn site_values(fact: &ClinicalFact) -> Vec<String> {
    fact_names(fact)
        .flat_map(|name| name.split(|c: char| !c.is_alphanumeric()).map(str::to_lowercase).collect::<Vec<_>>())
        .filter_map(|word| eligo_vocab::qualifier_word(&word).filter(|w| w.kind == "site").map(|w| w.value.clone()))
        .collect()
}

/// A stage or extent asked of a solid cancer whose record does not state it, settled by metastases
/// the record names as findings of their own ("breast cancer … CT showed liver metastases"): the
/// cancer has spread, so it is metastatic and stage IV, not early, not stage II. `None` when the
/// qualifier is no stage or extent, the fact is no primary solid cancer, its own qualifiers already
/// state a stage or extent, or the record names no present metastasis. A record with two primary
/// cancers leaves open which one has spread.
fn spread_shown_apart(wanted: &Qualifier, fact: &ClinicalFact, patient: &PreparedPatient) -> Option<bool> {
    let is_extent =
        |value: &str| family_member(value).is_some_and(|(family, _)| family == "extent" || family == "stage number");
    if wanted.kind != QualifierKind::Stage
        || !is_extent(&wanted.value)
        || fact.qualifiers.iter().any(|q| is_extent(&q.value))
    {
        return None;
    }
    let primaries = patient.primary_cancers();
    if primaries.len() != 1
        || !std::ptr::eq(&patient.patient.facts[primaries[0]], fact)
        || patient.metastases().next().is_none()
    {
        return None;
    }
    exclusive_values(&wanted.value, "metastatic").map(|excluded| !excluded)
}

/// Qualifier values that exclude each other, by family: a disease is not both acute and chronic,
/// early and metastatic, stage II and stage IV, type 1 and type 2, relapsing-remitting and
/// progressive, mild and severe, active and in remission. `Some(false)` when the two are the same
/// member of a family ("metastatic" and "stage iv"), `Some(true)` when they exclude each other,
/// `None` when the table does not relate them (then neither settles the other). Numbered stages
/// are compared by their numeral, so "stage iiib" is a "stage iii".
fn exclusive_values(wanted: &str, has: &str) -> Option<bool> {
    let a = family_member(wanted)?;
    let b = family_member(has)?;
    match (a.0, b.0) {
        ("stage number", "stage number") => Some(a.1 != b.1),
        ("stage number", "extent") => stage_against_extent(&a.1, &b.1),
        ("extent", "stage number") => stage_against_extent(&b.1, &a.1),
        (x, y) if x == y => Some(a.1 != b.1),
        _ => None,
    }
}

/// Stage IV is metastatic; stages 0–II are early; stage III is neither (locally advanced).
fn stage_against_extent(stage: &str, extent: &str) -> Option<bool> {
    match (stage, extent) {
        ("4", "metastatic") | ("0" | "1" | "2", "early") => Some(false),
        ("4", "early") | ("0" | "1" | "2" | "3", "metastatic") => Some(true),
        _ => None,
    }
}

fn family_member(value: &str) -> Option<(&'static str, String)> {
    let value = value.trim();
    if let Some(number) = value.strip_prefix("stage ") {
        let numeral = number.trim_end_matches(|c: char| c.is_ascii_alphabetic() && !"iv".contains(c));
        // "stage iiib" is stage iii, "stage iva" stage iv.
        return Some(("stage number", roman(numeral)?.to_string()));
    }
    let found = QUALIFIER_FAMILIES.iter().find(|(_, _, values)| values.contains(&value))?;
    Some((found.0, found.1.to_string()))
}

fn roman(numeral: &str) -> Option<&'static str> {
    Some(match numeral {
        "0" => "0",
        "i" | "1" => "1",
        "ii" | "2" => "2",
        "iii" | "3" => "3",
        "iv" | "4" => "4",
        _ => return None,
    })
}

/// (family, member, values): the canonical values the criteria engine and the patient readers
/// emit, grouped where they exclude each other.
const QUALIFIER_FAMILIES: &[(&str, &str, &[&str])] = &[
    ("acuteness", "acute", &["acute", "subacute"]),
    ("acuteness", "chronic", &["chronic"]),
    ("extent", "early", &["early", "early stage", "localized", "localised", "limited", "non-metastatic"]),
    ("extent", "metastatic", &["metastatic", "extensive", "disseminated"]),
    ("diabetes type", "1", &["type 1"]),
    ("diabetes type", "2", &["type 2"]),
    ("course", "relapsing", &["relapsing-remitting", "relapsing remitting", "relapsing"]),
    ("course", "progressive", &["progressive", "primary progressive", "secondary progressive"]),
    ("compensation", "compensated", &["compensated"]),
    ("compensation", "decompensated", &["decompensated"]),
    ("severity", "mild", &["mild"]),
    ("severity", "severe", &["severe", "life-threatening", "critical"]),
    ("activity", "active", &["active", "uncontrolled"]),
    ("activity", "inactive", &["inactive", "in remission", "remission", "quiescent", "controlled"]),
];

/// Whether a fact of the general disease is, by the form its own record names, none of the
/// specific forms the reading's concepts name: "relapsing-remitting multiple sclerosis" is not
/// "primary progressive multiple sclerosis", "type 2 diabetes" is not "type 1 diabetes mellitus".
/// Each concept must name a qualifier that one of the fact's contradicts; a concept whose name
/// says no form ("multiple sclerosis") leaves it open.
fn form_rules_out(concepts: &[ConceptRef], fact: &ClinicalFact) -> bool {
    let recorded: Vec<(&str, &str)> = fact
        .qualifiers
        .iter()
        .filter_map(|q| QUALIFIER_FAMILIES.iter().find(|(_, _, values)| values.contains(&q.value.as_str())))
        .chain(forms_named(&fact.text))
        .map(|(family, member, _)| (*family, *member))
        .collect();
    !concepts.is_empty()
        && concepts.iter().all(|concept| {
            forms_named(&concept.name).any(|(family, member, _)| {
                recorded.iter().any(|(f, m)| f == family && m != member)
                    && !recorded.iter().any(|(f, m)| f == family && m == member)
            })
        })
}

/// The qualifier families whose values a name spells ("type 1" in "type 1 diabetes mellitus").
fn forms_named(
    name: &str,
) -> impl Iterator<Item = &'static (&'static str, &'static str, &'static [&'static str])> + '_ {
    // Lower-cased once for all the families' values, not once per value.
    let lower = name.to_lowercase();
    QUALIFIER_FAMILIES.iter().filter(move |(_, _, values)| values.iter().any(|v| holds_word(&lower, v)))
}

/// Whether `text` holds `phrase` as whole words, ignoring case.
fn names_word(text: &str, phrase: &str) -> bool {
    // "End-stage renal disease" says "end stage": a hyphen joins the same words a space does.
    let spaced = |s: String| if s.contains('-') { s.replace('-', " ") } else { s };
    holds_word(&spaced(text.to_lowercase()), &spaced(phrase.to_string()))
}

/// [`names_word`] for a text already lower-cased.
fn holds_word(lower: &str, phrase: &str) -> bool {
    // "non-small cell lung cancer" does not say "small cell".
    let negated = |at: usize| lower[..at].ends_with("non-") || lower[..at].ends_with("non ");
    lower.match_indices(phrase).any(|(at, m)| starts_word(lower, at, m.len()) && !negated(at))
}

/// A marker qualifier ("HER2-negative") against the patient's marker results or the fact's own
/// marker qualifiers.
fn biomarker_holds(wanted: &Qualifier, fact: &ClinicalFact, patient: &PreparedPatient) -> Option<bool> {
    let marker = wanted.concept.as_ref()?;
    let polarity = wanted.polarity?;
    let from_fact = fact
        .qualifiers
        .iter()
        .filter(|q| q.kind == QualifierKind::Biomarker && q.concept.as_ref().is_some_and(|c| c.id == marker.id))
        .find_map(|q| q.polarity);
    let from_results = || {
        patient.patient.observations.iter().filter(|o| o.test.as_ref().is_some_and(|t| t.id == marker.id)).find_map(
            |o| match o.unit.as_deref() {
                Some("positive") => Some(Polarity::Positive),
                Some("negative") => Some(Polarity::Negative),
                _ => None,
            },
        )
    };
    from_fact.or_else(from_results).map(|has| has == polarity)
}

/// What the loop over a reading's related facts found, short of a plain match.
#[derive(Default)]
struct Related<'p> {
    index_disease: Option<&'p ClinicalFact>,
    undated: Option<&'p ClinicalFact>,
    unqualified: Option<(&'p ClinicalFact, usize)>,
    /// A fact whose qualifiers contradict the reading's: it settles the qualifier even when
    /// another record of the same disease does not say.
    contradicted: Option<&'p ClinicalFact>,
    outside: Option<&'p ClinicalFact>,
    /// A fact of the general disease whose own form excludes the form the reading names.
    ruled_out: Option<&'p ClinicalFact>,
    broader: Option<&'p ClinicalFact>,
    absent: Option<&'p ClinicalFact>,
}

/// Conditions, drugs and procedures: is there a fact of the patient's that is one of the
/// reading's concepts, in the right status, time window and with its qualifiers?
///
/// The disease the trial is for never counts as "another" disease, and on its own it only
/// *supports* a reading (`Support::IndexDisease`): screening lets it confirm an inclusion, never
/// exclude, because a trial's exclusions about its own disease always mean something narrower.
fn evaluate_presence(reading: &Reading, patient: &PreparedPatient, ctx: Context) -> Finding {
    let kinds: &[FactKind] = match reading.kind {
        FactKind::Medication => &[FactKind::Medication, FactKind::Vaccination],
        FactKind::Condition => &[FactKind::Condition],
        FactKind::Allergy => &[FactKind::Allergy],
        // A therapy a criterion names as a procedure ("prior immunotherapy") is given as drugs the
        // vocabulary files under it (a checkpoint inhibitor is immunotherapy).
        _ => &[FactKind::Procedure, FactKind::Medication],
    };
    if reading.status == Some(ConditionStatus::Family) {
        return evaluate_in_relatives(reading, patient, kinds);
    }
    let mut found = Related::default();
    for (fact, relation) in patient.related(kinds, reading.concepts) {
        match (fact.assertion, relation) {
            // A denial settles it only when nothing says otherwise: "no chest pain at rest" and
            // "chest pain on exertion" in one chart means the patient has chest pain.
            (Assertion::Absent, _) => {
                found.absent.get_or_insert(fact);
                continue;
            }
            // "Suspected or confirmed X" is met by a suspected X; nothing else is.
            (Assertion::Hypothetical, _) if reading.status == Some(ConditionStatus::Suspected) => {}
            // "Anticipated need for surgery" is met by surgery the record plans, and only by that.
            (Assertion::Planned, _) if wants_anticipated(reading) => {}
            (Assertion::Family | Assertion::Other | Assertion::Hypothetical | Assertion::Planned, _) => continue,
            (_, Relation::Broader) if form_rules_out(reading.concepts, fact) => {
                found.ruled_out.get_or_insert(fact);
                continue;
            }
            (_, Relation::Broader) => {
                found.broader.get_or_insert(fact);
                continue;
            }
            (_, Relation::Is) => {}
        }
        // A criterion that names kinds of the trial's disease (pancreatic cancer in a trial for
        // solid tumours) is met by the patient's disease of that kind like any other fact.
        let index_disease = ctx.topic.is_some_and(|topic| {
            patient.is_index_disease(fact, topic) && !reading.concepts.iter().all(|c| topic.has_kind(&c.id))
        });
        // Metastases of the trial's cancer are that cancer, never "another malignancy".
        let index_spread = || ctx.topic.is_some_and(|topic| patient.is_spread_of_index_disease(fact, topic));
        if reading.scope.besides_target && (index_disease || index_spread()) {
            continue;
        }
        let timing = reading.window.map_or(Some(true), |w| in_window(fact, w, ctx.as_of));
        let fit = qualifier_fit(reading, fact, patient);
        match (timing, status_fits(fact, reading.status), fit) {
            (_, _, Fit::No) => {
                found.contradicted.get_or_insert(fact);
            }
            (Some(false), _, _) | (_, Some(false), _) => {
                found.outside.get_or_insert(fact);
            }
            (Some(true), Some(true), Fit::Yes) if index_disease => {
                found.index_disease.get_or_insert(fact);
            }
            (Some(true), Some(true), Fit::Yes) => return met_by(fact, reading, patient),
            (_, _, Fit::Unsaid(i)) => {
                // The question names the fact: one of the concept the qualifier stands before
                // ("*chronic* atrial fibrillation with risk factors: ... heart failure") over one
                // of a concept listed after it.
                let of_head = |f: &ClinicalFact| {
                    let head = reading.concepts.get(..1).unwrap_or_default();
                    patient.related(kinds, head).any(|(g, _)| std::ptr::eq(g, f))
                };
                if found.unqualified.is_none_or(|(earlier, _)| !of_head(earlier) && of_head(fact)) {
                    found.unqualified = Some((fact, i));
                }
            }
            _ => {
                found.undated.get_or_insert(fact);
            }
        }
    }
    conclude(found, reading, patient)
}

/// "Family history of colon cancer", "first-degree relative with type 1 diabetes": only a relative's
/// record meets it. The patient's own disease says nothing of the family, so a patient with colon
/// cancer is not excluded by a family history of it, and the question asks about relatives.
fn evaluate_in_relatives(reading: &Reading, patient: &PreparedPatient, kinds: &[FactKind]) -> Finding {
    let relative = patient
        .related(kinds, reading.concepts)
        .find(|(fact, relation)| fact.assertion == Assertion::Family && *relation == Relation::Is);
    if let Some((fact, _)) = relative {
        let reason = patient.explain(|| format!("a relative's {} is {}", fact.text, names(reading.concepts)));
        return Finding::known(Outcome::Met, reason, patient.explain(|| vec![fact.evidence.clone()]));
    }
    Finding::silence(patient.explain(|| format!("no record of {} in a relative", names(reading.concepts))), None)
}

fn met_by(fact: &ClinicalFact, reading: &Reading, patient: &PreparedPatient) -> Finding {
    // Only an explained finding names the metastases (verdict-only screening skips the search).
    let spread = if patient.explains() { spread_behind(reading, fact, patient) } else { None };
    let reason = patient.explain(|| {
        let told = spread.map(|m| format!("; it has spread ({})", m.text)).unwrap_or_default();
        format!("{} is {}{}{told}", fact.text, names(reading.concepts), describe_window(reading.window))
    });
    let evidence = patient.explain(|| std::iter::once(fact).chain(spread).map(|f| f.evidence.clone()).collect());
    Finding::known(Outcome::Met, reason, evidence)
}

/// The metastasis that settled a stage or extent of the reading for `fact` (see
/// [`spread_shown_apart`]), to show with the outcome.
fn spread_behind<'p>(reading: &Reading, fact: &ClinicalFact, patient: &'p PreparedPatient) -> Option<&'p ClinicalFact> {
    let settled = reading.scope.qualifiers.iter().any(|q| spread_shown_apart(q, fact, patient).is_some());
    settled.then(|| patient.metastases().next()).flatten()
}

/// The outcome when no fact plainly met the reading, strongest evidence first.
fn conclude(found: Related, reading: &Reading, patient: &PreparedPatient) -> Finding {
    let name = || names(reading.concepts);
    let when = || describe_window(reading.window);
    let ask = || patient.explain(|| presence_question(reading));
    let evidence = |fact: &ClinicalFact| patient.explain(|| vec![fact.evidence.clone()]);
    if let Some(fact) = found.index_disease {
        let reason =
            patient.explain(|| format!("{} (the disease this trial is for) is {}{}", fact.text, name(), when()));
        let finding = Finding::known(Outcome::Met, reason, evidence(fact));
        return Finding { support: Support::IndexDisease, question: ask(), ..finding };
    }
    if let Some(fact) = found.absent {
        let reason = patient.explain(|| format!("recorded as absent: {}", fact.text));
        return Finding::known(Outcome::NotMet, reason, evidence(fact));
    }
    if let Some(fact) = found.contradicted {
        let spread = if patient.explains() { spread_behind(reading, fact, patient) } else { None };
        let reason = patient.explain(|| {
            let told = spread.map(|m| format!(" (it has spread: {})", m.text)).unwrap_or_default();
            format!("{} recorded, but not{}{told}", fact.text, reading.scope)
        });
        let evidence = patient.explain(|| std::iter::once(fact).chain(spread).map(|f| f.evidence.clone()).collect());
        return Finding::known(Outcome::NotMet, reason, evidence);
    }
    if let Some((fact, i)) = found.unqualified {
        let qualifier = &reading.scope.qualifiers[i];
        let reason = patient
            .explain(|| format!("{} recorded, but not whether it is {} ({})", fact.text, qualifier.value, name()));
        let question = patient.explain(|| Some(qualifier_question(reading, qualifier, &fact.text.to_lowercase())));
        return Finding { evidence: evidence(fact), ..Finding::unknown(reason, question) };
    }
    if let Some(fact) = found.undated {
        let reason =
            patient.explain(|| format!("{} recorded, but its dates or status do not say whether{}", fact.text, when()));
        return Finding { evidence: evidence(fact), ..Finding::unknown(reason, ask()) };
    }
    if let Some(fact) = found.outside {
        let reason = patient.explain(|| {
            let status = reading.status.map_or(String::new(), |s| format!(" ({s:?})").to_lowercase());
            format!("{} recorded, but not{}{status}{}", fact.text, when(), reading.scope)
        });
        return Finding::known(Outcome::NotMet, reason, evidence(fact));
    }
    if let Some(fact) = found.ruled_out {
        let reason = patient.explain(|| format!("{} recorded, which is not {}", fact.text, name()));
        return Finding::known(Outcome::NotMet, reason, evidence(fact));
    }
    if let Some(fact) = found.broader {
        let reason = patient.explain(|| format!("{} recorded; not known whether it is {}", fact.text, name()));
        return Finding::unknown(reason, ask());
    }
    Finding::silence(patient.explain(|| format!("no record of {}{}", name(), when())), ask())
}

fn evaluate_dose(finding: Finding, drugs: &[ConceptRef], limit: &Comparison, patient: &PreparedPatient) -> Finding {
    let dosed = patient.related(&[FactKind::Medication], drugs).find_map(|(f, _)| f.dose.as_ref().map(|d| (f, d)));
    let Some((fact, dose)) = dosed else {
        let q = question(
            format!("dose:{}", drugs.first().map_or("", |d| d.id.as_str())),
            format!("What daily dose of {} do you take?", names(drugs)),
        );
        return Finding::unknown(format!("{}; dose not recorded", finding.reason), Some(q));
    };
    let value = match (&dose.unit, &limit.unit) {
        (Some(from), Some(to)) => convert(dose.value, &dose_base(from), &dose_base(to), None),
        _ => Some(dose.value),
    };
    let Some(value) = value else {
        return Finding::unknown(format!("dose unit {:?} not comparable with {:?}", dose.unit, limit.unit), None);
    };
    let holds = limit.operator.holds(value, limit.value, limit.value_high);
    let reason = format!(
        "{} at {} {}; limit {} {}",
        fact.text,
        dose.value,
        dose.unit.as_deref().unwrap_or(""),
        limit.operator.symbol(),
        limit.value
    );
    Finding::known(if holds { Outcome::Met } else { Outcome::NotMet }, reason, vec![fact.evidence.clone()])
}

/// "mg/day", "mg daily", "mg" → "mg": doses compare per day unless both say otherwise.
fn dose_base(unit: &str) -> String {
    normalize_unit(unit).split('/').next().unwrap_or_default().to_string()
}

fn latest_observation<'p>(
    patient: &'p PreparedPatient,
    test: &ConceptRef,
    window: Option<&TimeWindow>,
    as_of: NaiveDate,
) -> Option<&'p Observation> {
    let vocab = eligo_vocab::Vocabulary::embedded();
    patient
        .patient
        .observations
        .iter()
        .filter(|o| match &o.test {
            Some(t) => vocab.is_a(&t.id, &test.id),
            None => test.id.strip_prefix("TEXT:").is_some_and(|name| same_instrument(&o.text, name)),
        })
        .filter(|o| match (window.and_then(|w| w.within), o.date) {
            (Some(within), Some(date)) => date >= days_before(as_of, within.as_days()),
            _ => true,
        })
        .max_by_key(|o| o.date)
}

/// Words that close an instrument's name without changing which result it is: "PANSS total
/// score" is the PANSS score.
const SCORE_HEADS: &[&str] = &["score", "scores", "total"];

/// Whether a result recorded under `written` (a test the vocabulary lacks) is the one a criterion
/// names by its words (`TEXT:<name>`, lower case): the same words, whatever their case and spacing,
/// with or without a closing "score" ("Epworth Sleepiness Scale score" and "epworth sleepiness
/// scale").
fn same_instrument(written: &str, name: &str) -> bool {
    fn core(text: &str) -> Vec<String> {
        let mut words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        while words.len() > 1 && words.last().is_some_and(|w| SCORE_HEADS.contains(&w.as_str())) {
            words.pop();
        }
        words
    }
    core(written) == core(name)
}

/// Measurements a clinician estimates rather than a test reports: never asked as a result.
const CLINICIAN_ESTIMATES: &[&str] = &["ELIGO:vital.life_expectancy"];

fn evaluate_lab(
    test: &ConceptRef,
    comparison: &Comparison,
    uln_multiple: bool,
    window: Option<&TimeWindow>,
    patient: &PreparedPatient,
    as_of: NaiveDate,
) -> Finding {
    let ask = || {
        // A life expectancy is the study doctor's estimate, made at screening: no person is asked
        // for "their most recent life expectancy result".
        (!CLINICIAN_ESTIMATES.contains(&test.id.as_str()))
            .then(|| question(format!("lab:{}", test.id), format!("What was your most recent {} result?", test.name)))
    };
    let Some(obs) = latest_observation(patient, test, window, as_of) else {
        let plain_threshold = !uln_multiple && qualitative(comparison.unit.as_deref()).is_none();
        if test.id == inferred::BODY_WEIGHT && plain_threshold {
            if let Some(found) = inferred::weight_from_age(comparison, patient, as_of) {
                return found;
            }
        }
        if test.id == inferred::FILTRATION_RATE && plain_threshold {
            let creatinine = ConceptRef { id: inferred::CREATININE.into(), name: "creatinine".into() };
            let estimated = latest_observation(patient, &creatinine, window, as_of)
                .and_then(|obs| inferred::filtration_from_creatinine(comparison, obs, patient, as_of));
            if let Some(found) = estimated {
                return found;
            }
        }
        // A chart that reports no such result reports nothing abnormal (label.rs).
        let reason = patient.explain(|| format!("no {} result{}", test.name, describe_window(window)));
        return Finding::silence(reason, ask());
    };
    if comparison.unit.as_deref() == Some(KNOWN_RESULT_UNIT) {
        // Any result on file, whatever it says, is a known one.
        let outcome = if comparison.operator == Operator::Ne { Outcome::NotMet } else { Outcome::Met };
        return Finding::known(outcome, format!("{} result on file", obs.text), vec![obs.evidence.clone()]);
    }
    if let Some(wanted) = qualitative(comparison.unit.as_deref()) {
        return evaluate_qualitative(test, wanted, obs, ask);
    }
    if qualitative(obs.unit.as_deref()).is_some() {
        // "HER2 negative" says nothing about "HER2 copy number < 6".
        let reason = format!("{} recorded as a qualitative result; the criterion asks for a value", obs.text);
        return Finding::unknown(reason, ask());
    }
    let lower_limit = comparison.unit.as_deref() == Some(LOWER_LIMIT_UNIT);
    // "eGFR 48", "BP 150/95": a result written without its unit is in the one unit its value fits.
    let assumed = if obs.unit.is_none() { assumed_unit(&test.id, obs.value) } else { None };
    let value = if lower_limit {
        // "Potassium ≥ LLN": the result over the lower limit it came with.
        match obs.reference_low {
            Some(low) if low > 0.0 => Some(obs.value / low),
            _ => {
                return Finding::unknown(
                    format!("{} = {} but no lower limit of normal recorded", obs.text, obs.value),
                    ask(),
                )
            }
        }
    } else if uln_multiple {
        match obs.reference_high {
            Some(high) if high > 0.0 => Some(obs.value / high),
            _ => {
                return Finding::unknown(
                    format!("{} = {} but no upper limit of normal recorded", obs.text, obs.value),
                    ask(),
                )
            }
        }
    } else {
        match (obs.unit.as_deref().or(assumed), &comparison.unit) {
            (Some(from), Some(to)) => convert(obs.value, from, to, Some(&test.id)),
            (None, Some(_)) => None,
            _ => Some(obs.value),
        }
    };
    let unit = match (obs.unit.as_deref(), assumed) {
        (Some(written), _) => written.to_string(),
        (None, Some(assumed)) => format!("{assumed} (not written: the one unit the value fits)"),
        (None, None) => String::new(),
    };
    let Some(value) = value else {
        let reason = format!(
            "{} = {} {unit}, not convertible to {}",
            obs.text,
            obs.value,
            comparison.unit.as_deref().unwrap_or("?")
        );
        return Finding::unknown(reason, ask());
    };
    let holds = comparison.operator.holds(value, comparison.value, comparison.value_high);
    let threshold = match comparison.value_high {
        Some(high) => format!("between {} and {high}", comparison.value),
        None => format!("{} {}", comparison.operator.symbol(), comparison.value),
    };
    let threshold_unit = match (uln_multiple, lower_limit) {
        (true, _) => "× ULN".to_string(),
        (false, true) => "× LLN".to_string(),
        (false, false) => comparison.unit.clone().unwrap_or_default(),
    };
    let reason = format!("{} = {} {unit}; criterion {} {threshold} {threshold_unit}", obs.text, obs.value, test.name);
    Finding::known(
        if holds { Outcome::Met } else { Outcome::NotMet },
        reason.trim_end().to_string(),
        vec![obs.evidence.clone()],
    )
}

/// A qualitative result ("HBsAg positive", "HER2-negative"): the unit carries the polarity.
fn qualitative(unit: Option<&str>) -> Option<Polarity> {
    match unit {
        Some("positive") => Some(Polarity::Positive),
        Some("negative") => Some(Polarity::Negative),
        _ => None,
    }
}

/// A recorded qualitative result against the wanted one: the same polarity meets it, the other
/// does not; a number for a test asked qualitatively (PD-L1 60 % for "PD-L1 positive") leaves it
/// to the reader of the lab report.
fn evaluate_qualitative(
    test: &ConceptRef,
    wanted: Polarity,
    obs: &Observation,
    ask: impl Fn() -> Option<Question>,
) -> Finding {
    let Some(has) = qualitative(obs.unit.as_deref()) else {
        let reason = format!(
            "{} = {} {}; the criterion asks for a qualitative result",
            obs.text,
            obs.value,
            obs.unit.as_deref().unwrap_or("")
        );
        return Finding::unknown(reason, ask());
    };
    let outcome = if has == wanted { Outcome::Met } else { Outcome::NotMet };
    let word = |p: Polarity| if p == Polarity::Positive { "positive" } else { "negative" };
    let reason = format!("{} {}; criterion {} {}", obs.text, word(has), test.name, word(wanted));
    Finding::known(outcome, reason, vec![obs.evidence.clone()])
}

fn evaluate_pregnancy(state: PregnancyState, patient: &PreparedPatient, as_of: NaiveDate) -> Finding {
    let p = patient.patient;
    if let Some(sex) = p.sex.as_ref().filter(|s| s.value == PatientSex::Male) {
        if state != PregnancyState::Contraception {
            return Finding::known(Outcome::NotMet, "male patient".into(), vec![sex.evidence.clone()]);
        }
    }
    let (flag, word, ask) = match state {
        PregnancyState::Pregnant => (&p.pregnant, "pregnant", "Are you pregnant?"),
        PregnancyState::Lactating => (&p.lactating, "breastfeeding", "Are you breastfeeding?"),
        PregnancyState::Contraception => {
            let q = question("contraception", "Will you use effective contraception during the study?");
            return Finding::unknown("contraception is agreed at screening".into(), Some(q));
        }
        PregnancyState::ChildbearingPotential => {
            return crate::childbearing::evaluate_childbearing_potential(patient, as_of);
        }
    };
    match flag {
        Some(noted) => {
            let outcome = if noted.value { Outcome::Met } else { Outcome::NotMet };
            let reason = if noted.value { format!("recorded as {word}") } else { format!("recorded as not {word}") };
            Finding::known(outcome, reason, vec![noted.evidence.clone()])
        }
        None => Finding::silence(format!("not recorded whether {word}"), Some(question(word, ask))),
    }
}

/// Words that open an exception inside a criterion: "pain associated with conditions other than
/// osteoarthritis", "any malignancy except basal cell carcinoma".
const EXCEPTION_CUES: [&str; 9] = [
    "other than",
    "except",
    "excepting",
    "excluding",
    "apart from",
    "aside from",
    "besides",
    "with the exception of",
    "not including",
];

/// The concepts a criterion names as exceptions: what follows an exception cue, up to the end of
/// its clause. Read once per criterion, when trials are prepared; one automaton pass finds every
/// cue, so the many criteria without one cost a single scan.
pub fn excepted_concepts(text: &str) -> Vec<ConceptRef> {
    static CUES: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(EXCEPTION_CUES)
            .ok()
    });
    let Some(cues) = CUES.as_ref() else { return Vec::new() };
    let vocab = eligo_vocab::Vocabulary::embedded();
    let mut out: Vec<ConceptRef> = Vec::new();
    for cue in cues.find_iter(text).filter(|m| starts_word(text, m.start(), m.len())) {
        let rest = &text[cue.end()..];
        // An exception written in brackets ends with them: "(not including immunoconjugates),
        // radiation therapy, or experimental antineoplastic therapy" excepts the immunoconjugates only.
        let bracketed = text[..cue.start()].matches('(').count() > text[..cue.start()].matches(')').count();
        let ends: &[char] = if bracketed { &[';', '.', ')'] } else { &[';', '.'] };
        let clause = &rest[..rest.find(ends).unwrap_or(rest.len())];
        for mention in vocab.find_mentions(clause) {
            for concept in mention.concept_ids.iter().filter_map(|id| vocab.concept(id)) {
                if !out.iter().any(|c| c.id == concept.id) {
                    out.push(ConceptRef { id: concept.id.clone(), name: concept.name.clone() });
                }
            }
        }
    }
    out
}

/// Whether `text[at..at + len]` is a whole word or phrase.
fn starts_word(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
    let after = text[at + len..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    before && after
}

/// A criterion met by a finding the criterion may have excepted: when the patient has one of the
/// excepted conditions ("pain ... other than osteoarthritis" for a patient with osteoarthritis),
/// the chart cannot tell whether the finding is the excepted one, so the answer is unknown.
pub fn qualify_by_exceptions(finding: Finding, excepted: &[ConceptRef], patient: &PreparedPatient) -> Finding {
    if finding.outcome != Outcome::Met || excepted.is_empty() {
        return finding;
    }
    let kinds = [FactKind::Condition, FactKind::Medication, FactKind::Procedure];
    let has_excepted = patient.related(&kinds, excepted).find(|(fact, relation)| {
        *relation == Relation::Is && matches!(fact.assertion, Assertion::Present | Assertion::Historical)
    });
    let Some((fact, _)) = has_excepted else { return finding };
    let reason =
        format!("{}; but the criterion excepts {}, which is recorded ({})", finding.reason, names(excepted), fact.text);
    let question = question(
        format!("except:{}", excepted.first().map_or("", |c| c.id.as_str())),
        format!("Is this due to something other than {}?", names(excepted)),
    );
    Finding { outcome: Outcome::Unknown, reason, question: Some(question), ..finding }
}

#[cfg(test)]
mod tests {
    use super::{excepted_concepts, presence_question, Reading};
    use eligo_model::{ConceptRef, FactKind, Scope};

    #[test]
    fn a_generic_head_is_never_asked_as_if_it_named_a_diagnosis_or_a_drug() {
        let concept = |id: &str, name: &str| vec![ConceptRef { id: id.into(), name: name.into() }];
        let text = |reading: &Reading| presence_question(reading).map(|q| q.text);
        let other = Scope { besides_target: true, ..Scope::default() };
        // "Other serious illness", "any medical condition that would interfere": for the team.
        let generic = concept("TEXT:disease", "disease");
        let reading =
            Reading { kind: FactKind::Condition, concepts: &generic, status: None, window: None, scope: &other };
        assert_eq!(text(&reading), None);
        let medical = concept("TEXT:medical condition", "medical condition");
        let reading = Reading { concepts: &medical, scope: &Scope::default(), ..reading };
        assert_eq!(text(&reading), None);
        let named = concept("TEXT:visceral crisis", "visceral crisis");
        let reading = Reading { concepts: &named, ..reading };
        assert_eq!(text(&reading).as_deref(), Some("Have you been diagnosed with visceral crisis?"));
        let medicines = concept("TEXT:medications", "medications");
        let reading = Reading { kind: FactKind::Medication, concepts: &medicines, ..reading };
        assert_eq!(text(&reading), None);
        let named_drug = concept("DRUG:metformin", "metformin");
        let reading = Reading { concepts: &named_drug, ..reading };
        assert_eq!(text(&reading).as_deref(), Some("Have you received metformin?"));
        // Beside a named drug or disease, the generic head is left out of the question.
        let drugs = vec![concept("ELIGO:class.antipsychotic", "antipsychotic").remove(0), medicines[0].clone()];
        let reading = Reading { concepts: &drugs, ..reading };
        assert_eq!(text(&reading).as_deref(), Some("Have you received antipsychotic?"));
        let both = vec![named[0].clone(), generic[0].clone()];
        let reading = Reading { kind: FactKind::Condition, concepts: &both, ..reading };
        assert_eq!(text(&reading).as_deref(), Some("Have you been diagnosed with visceral crisis?"));
        // "Significant impairment", "any procedure", "oral medications", "taxane class drug" with
        // the class unread: no diagnosis, procedure or drug a person could say they had.
        for (kind, id, name) in [
            (FactKind::Condition, "TEXT:impairment", "impairment"),
            (FactKind::Procedure, "TEXT:procedure", "procedure"),
            (FactKind::Medication, "TEXT:oral medications", "oral medications"),
            (FactKind::Medication, "TEXT:class drug", "class drug"),
        ] {
            let generic = concept(id, name);
            let reading = Reading { kind, concepts: &generic, ..reading };
            assert_eq!(text(&reading), None, "{name}");
        }
    }

    fn names(text: &str) -> Vec<String> {
        excepted_concepts(text).into_iter().map(|c| c.name.to_lowercase()).collect()
    }

    #[test]
    fn forms_are_read_from_a_name_in_any_case_as_whole_words() {
        let forms =
            |name: &str| super::forms_named(name).map(|(family, member, _)| (*family, *member)).collect::<Vec<_>>();
        assert_eq!(forms("Primary Progressive Multiple Sclerosis"), [("course", "progressive")]);
        assert_eq!(forms("Diabetes mellitus, TYPE 2"), [("diabetes type", "2")]);
        assert!(forms("Type 21 trisomy").is_empty(), "'type 2' must end a word");
    }

    #[test]
    fn exceptions_are_read_after_a_whole_word_cue_up_to_the_end_of_the_clause() {
        let excepted = names("Any malignancy EXCEPT basal cell carcinoma; or hepatitis B");
        assert!(excepted.iter().any(|n| n.contains("basal cell")), "{excepted:?}");
        assert!(!excepted.iter().any(|n| n.contains("hepatitis")), "past the clause: {excepted:?}");
        // "exceptional" holds the cue inside a longer word: no exception.
        assert!(names("Exceptional circumstances such as asthma").is_empty());
        assert!(names("Active tuberculosis").is_empty());
        let longer = names("Pain with the exception of migraine");
        assert!(longer.iter().any(|n| n.contains("migraine")), "{longer:?}");
        // An exception in brackets ends with them.
        let bracketed =
            names("Any chemotherapy (not including toxin immunoconjugates), radiation, or antineoplastic therapy");
        assert!(bracketed.iter().any(|n| n.contains("immunoconjugate")), "{bracketed:?}");
        assert!(!bracketed.iter().any(|n| n.contains("antineoplastic") || n.contains("radio")), "{bracketed:?}");
    }
}
