//! Pre-screening questions: the unknown facts that would settle the most candidate trials.
//!
//! Every open criterion of a trial that is still possible carries the question that would decide
//! it. A question's weight is the number of candidate verdicts its answer can change: each
//! *possible* trial where it is open can turn ineligible on one answer, and a trial where it is the
//! *only* open question turns eligible or ineligible either way, so those count first. Ineligible
//! trials are already decided and ask nothing. Asking in this order settles a shortlist with the
//! fewest questions.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use eligo_model::{Computable, ConceptRef, ConditionStatus, FactKind, Patient, PregnancyState};
use eligo_vocab::normalize_unit;
use serde::Serialize;

use crate::answers::{apply_answers, open_asks, pool_asks, AnswerKind, Ask};
use crate::evaluate::qualifier_question_text;
use crate::lay::{
    askable_concepts, askable_unit, lay_list, lay_name, names_schedule, qualitative_unit, test_noun, window_words,
    with_article, Unaskable,
};
use crate::prepared::PreparedPatient;
use crate::screen::{PreparedTrial, Screening, Verdict};

/// A question in plain words with how many candidate verdicts it bears on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedQuestion {
    #[serde(flatten)]
    pub question: LayQuestion,
    /// Possible trials where this question is open.
    pub trials: usize,
    /// Possible trials where it is the only open question (the answer decides them).
    pub decides: usize,
    /// Up to five trial ids it bears on, in the order given.
    pub examples: Vec<String>,
}

/// Every question a pool of trials can put to a person, by key: the one wording all surfaces show
/// (the check pages, the verdicts, `eligo questions`, the API), or why the study team checks it
/// instead.
pub type LayQuestions = HashMap<String, Result<LayQuestion, Unaskable>>;

/// The questions `trials` can raise for `patient`, in plain words: those put to anyone, and those
/// the patient's own record raises (whether the multiple sclerosis they have is progressive).
pub fn lay_questions<'a, 't: 'a>(
    trials: impl IntoIterator<Item = &'a PreparedTrial<'t>> + Clone,
    patient: &Patient,
    as_of: NaiveDate,
) -> LayQuestions {
    let nobody = Patient::default();
    let mut asks = pool_asks(trials.clone(), &PreparedPatient::new(&nobody), as_of);
    asks.extend(pool_asks(trials, &PreparedPatient::new(patient), as_of));
    asks.iter().map(|ask| (ask.question.key.clone(), lay_question(ask))).collect()
}

/// Ranks the open questions of `screenings` (trial id, screening), most verdicts first, in the
/// words of `lay`; a question no person can answer is left to the study team, not ranked.
pub fn rank_questions<'a>(
    screenings: impl IntoIterator<Item = (&'a str, &'a Screening)>,
    lay: &LayQuestions,
) -> Vec<RankedQuestion> {
    let mut by_key: HashMap<String, RankedQuestion> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (trial_id, screening) in screenings {
        if screening.verdict != Verdict::Possible {
            continue;
        }
        let open = screening.questions();
        let decisive = open.len() == 1;
        for question in open {
            let Some(Ok(worded)) = lay.get(&question.key) else { continue };
            let entry = by_key.entry(question.key.clone()).or_insert_with(|| {
                order.push(question.key.clone());
                RankedQuestion { question: worded.clone(), trials: 0, decides: 0, examples: Vec::new() }
            });
            entry.trials += 1;
            entry.decides += usize::from(decisive);
            if entry.examples.len() < 5 {
                entry.examples.push(trial_id.to_string());
            }
        }
    }
    let mut ranked: Vec<RankedQuestion> = order.into_iter().filter_map(|k| by_key.remove(&k)).collect();
    // Stable: ties keep first-seen order, so the output is deterministic.
    ranked.sort_by(|a, b| b.decides.cmp(&a.decides).then(b.trials.cmp(&a.trials)));
    ranked
}

/// Where a question sits on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    AboutYou,
    Conditions,
    Medicines,
    Tests,
}

impl Group {
    pub fn heading(self) -> &'static str {
        match self {
            Group::AboutYou => "About you",
            Group::Conditions => "Your health conditions",
            Group::Medicines => "Your medicines and treatments",
            Group::Tests => "Your test results",
        }
    }
}

/// The kind of answer a question takes on a form.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    /// Yes / No / Not sure.
    YesNo,
    /// Female / Male / Prefer not to say.
    Sex,
    /// Positive / Negative / Never tested / Not sure.
    Qualitative,
    /// A number in one of `units` (the first is the criterion's; the vocabulary converts the others).
    Number { units: Vec<String> },
}

/// A question in plain words, with why it is asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayQuestion {
    pub key: String,
    pub text: String,
    /// A short help line ("It is on most blood test reports.").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    pub group: Group,
    pub reply: Reply,
    /// The criteria texts that raise it.
    pub why: Vec<String>,
}

/// Units offered beside a number, when the vocabulary converts the criterion's unit to them.
const UNIT_CHOICES: &[&str] = &[
    "mg/dl",
    "mg/l",
    "g/dl",
    "g/l",
    "µmol/l",
    "mmol/l",
    "ml/min",
    "ml/min/1.73m2",
    "10^9/l",
    "cells/µl",
    "u/l",
    "%",
    "mmhg",
    "kg",
    "kg/m2",
    "ms",
];

/// The units a person may answer a lab question in: the criterion's, then every listed unit the
/// vocabulary converts it to for this test. Remembered per test and unit: the answer depends on
/// nothing else, and trying every listed unit is most of what wording a batch of questions costs
/// (an alert evaluation words them for thousands of people). The units come from criteria text,
/// which anyone with an ingest token can write, so at most [`UNIT_CHOICES_REMEMBERED`] pairs are
/// kept; past that the answer is computed each time instead of growing the process without end.
pub fn unit_choices(test: &ConceptRef, unit: Option<&str>) -> Vec<String> {
    let Some(unit) = unit else { return Vec::new() };
    let known = remembered_unit_choices();
    let key = (test.id.clone(), unit.to_string());
    if let Some(units) = known.read().ok().and_then(|k| k.get(&key).cloned()) {
        return units;
    }
    let units = convertible_units(test, unit);
    if let Ok(mut k) = known.write() {
        if k.len() < UNIT_CHOICES_REMEMBERED {
            k.insert(key, units.clone());
        }
    }
    units
}

/// Far more (test, unit) pairs than the vocabulary's tests and the units real criteria use.
const UNIT_CHOICES_REMEMBERED: usize = 4096;

type UnitChoices = std::sync::RwLock<std::collections::HashMap<(String, String), Vec<String>>>;

fn remembered_unit_choices() -> &'static UnitChoices {
    static KNOWN: std::sync::OnceLock<UnitChoices> = std::sync::OnceLock::new();
    KNOWN.get_or_init(Default::default)
}

fn convertible_units(test: &ConceptRef, unit: &str) -> Vec<String> {
    let mut units = vec![unit.to_string()];
    let canonical = eligo_vocab::canonical_unit(&test.id);
    for candidate in canonical.into_iter().chain(UNIT_CHOICES.iter().copied()) {
        let fresh = !units.iter().any(|u| normalize_unit(u) == normalize_unit(candidate));
        if fresh && eligo_vocab::convert(1.0, unit, candidate, Some(test.id.as_str())).is_some() {
            units.push(candidate.to_string());
        }
    }
    units
}

/// Whether a woman could become pregnant, in words she can answer without the protocol's
/// definition of childbearing potential.
pub(crate) const CAN_CONCEIVE_QUESTION: &str =
    "Could you become pregnant? (No if you have gone through menopause or had surgery that makes pregnancy impossible.)";

/// The question an ask becomes for a person, or why it is left to the study team.
pub fn lay_question(ask: &Ask) -> Result<LayQuestion, Unaskable> {
    let (group, text, reply, hint) = match &ask.kind {
        AnswerKind::Age => {
            (Group::AboutYou, "How old are you?".to_string(), Reply::Number { units: vec!["years".into()] }, None)
        }
        AnswerKind::Sex => (Group::AboutYou, "What is your sex?".to_string(), Reply::Sex, None),
        AnswerKind::Pregnancy(state) => {
            let text = match state {
                PregnancyState::Lactating => "Are you breastfeeding?",
                PregnancyState::ChildbearingPotential => CAN_CONCEIVE_QUESTION,
                _ => "Are you pregnant?",
            };
            (Group::AboutYou, text.to_string(), Reply::YesNo, None)
        }
        AnswerKind::Presence { kind, concepts, window } => {
            askable_concepts(concepts)?;
            if !ask.readings.is_empty()
                && ask.readings.iter().all(|reading| ask.why.iter().any(|text| names_schedule(reading, text)))
            {
                return Err(Unaskable::StudySchedule(lay_list(concepts, "or")));
            }
            let name = lay_list(concepts, "or");
            let when = window_words(window.as_ref());
            let active = ask.readings.iter().any(|r| {
                matches!(
                    r,
                    Computable::Condition { status: Some(ConditionStatus::Active), .. }
                        | Computable::Infection { status: Some(ConditionStatus::Active), .. }
                )
            });
            match kind {
                FactKind::Medication if when.is_empty() => {
                    (Group::Medicines, format!("Have you ever taken {name}?"), Reply::YesNo, None)
                }
                FactKind::Medication => (Group::Medicines, format!("Have you taken {name}{when}?"), Reply::YesNo, None),
                FactKind::Procedure => (Group::Medicines, format!("Have you had {name}{when}?"), Reply::YesNo, None),
                _ if active => (Group::Conditions, format!("Do you have {name} now?"), Reply::YesNo, None),
                _ if !when.is_empty() => (Group::Conditions, format!("Have you had {name}{when}?"), Reply::YesNo, None),
                _ if names_habit_people(concepts) => {
                    let people: Vec<String> = concepts.iter().map(|c| with_article(&lay_name(c))).collect();
                    (Group::AboutYou, format!("Are you {}?", people.join(" or ")), Reply::YesNo, None)
                }
                _ => {
                    (Group::Conditions, format!("Has a doctor ever told you that you have {name}?"), Reply::YesNo, None)
                }
            }
        }
        AnswerKind::Qualifier { concepts, qualifier } => {
            askable_concepts(concepts)?;
            let name = lay_list(concepts, "or");
            (Group::Conditions, qualifier_question_text(&name, qualifier, ""), Reply::YesNo, None)
        }
        AnswerKind::Lab { test, unit } => {
            askable_concepts(std::slice::from_ref(test))?;
            askable_unit(test, unit.as_deref())?;
            let name = lay_name(test);
            if qualitative_unit(unit.as_deref()) {
                let text = format!("Have you had {}? What was the result?", with_article(&test_noun(&name)));
                (Group::Tests, text, Reply::Qualitative, None)
            } else {
                let hint = Some("It is on most test reports. Leave it blank if you do not know.".to_string());
                let reply = Reply::Number { units: unit_choices(test, unit.as_deref()) };
                (Group::Tests, format!("What was your latest {}?", result_words(&name)), reply, hint)
            }
        }
    };
    Ok(LayQuestion {
        key: ask.question.key.clone(),
        text: capitalised(&text),
        hint,
        group,
        reply,
        why: ask.why.clone(),
    })
}

/// Whether every concept is a text-only name of people by a habit, "contact lens wearer": asked as
/// "Are you a contact lens wearer?", never as a diagnosis.
fn names_habit_people(concepts: &[ConceptRef]) -> bool {
    !concepts.is_empty()
        && concepts.iter().all(|c| c.id.starts_with("TEXT:") && eligo_criteria::names_habit_people(&c.name))
}

/// Last words of an instrument's name whose result is a score: "Epworth Sleepiness Scale", "PANSS
/// negative subscale", "Brief Fatigue Inventory".
const INSTRUMENT_HEADS: &[&str] = &["scale", "subscale", "inventory", "questionnaire", "checklist"];

/// What a test's result is called: an instrument's is its score ("PANSS positive subscale score",
/// "Epworth Sleepiness Scale score"), any other test's its result ("eGFR result").
fn result_words(name: &str) -> String {
    let last = name.rsplit(' ').next().unwrap_or_default().to_lowercase();
    if last == "score" {
        name.to_string()
    } else if INSTRUMENT_HEADS.contains(&last.as_str()) {
        format!("{name} score")
    } else {
        format!("{name} result")
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A criterion the study team will check rather than ask about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamCheck {
    pub text: String,
    pub reason: String,
}

/// Most questions on one step, and the fewest worth a step of their own when more are left.
pub const STEP_MAX: usize = 8;
pub const STEP_MIN: usize = 3;

/// How likely each answer is, for weighing what a question settles (a person without a record
/// to hand). Most people have not had a given disease or drug; few know a lab value by heart.
/// Unlisted answers ("not sure", "never tested") change nothing. A positive test result is as
/// likely as a yes about the condition it shows (a positive hepatitis B surface antigen test *is*
/// hepatitis B now): weighing it lower put the test behind every yes/no question about the same
/// illness, though a person answers it from a report with more certainty.
const YES_NO_LIKELIHOOD: [(&str, f64); 2] = [("yes", 0.2), ("no", 0.6)];
const QUALIFIER_LIKELIHOOD: [(&str, f64); 2] = [("yes", 0.4), ("no", 0.4)];
const PREGNANCY_LIKELIHOOD: [(&str, f64); 2] = [("yes", 0.05), ("no", 0.9)];
const TEST_RESULT_LIKELIHOOD: [(&str, f64); 2] = [("positive", 0.2), ("negative", 0.5)];
/// A lab value known, then on either side of the criterion's threshold.
const LAB_KNOWN: f64 = 0.3;
/// Age and sex: everyone can say, and the registry's limits turn on them, so they come first.
const ABOUT_YOU_WEIGHT: f64 = 1.0;

/// One step of questions for `trials`, given what `patient` has answered: the not-yet-`asked`
/// questions whose answers are expected to change the most verdicts (each possible answer
/// weighted by how likely it is), at most [`STEP_MAX`], grouped. Age and sex come first: everyone
/// can answer them and the registry's limits turn on them. Empty when no answer can change a
/// verdict any more.
pub fn next_step(
    trials: &[PreparedTrial],
    patient: &Patient,
    asked: &HashSet<String>,
    as_of: NaiveDate,
) -> Vec<LayQuestion> {
    let prepared = PreparedPatient::new(patient);
    let mut scored: Vec<(LayQuestion, f64)> = Vec::new();
    for trial in trials {
        let verdict = trial.screen(&prepared, as_of).verdict;
        if verdict != Verdict::Possible {
            continue;
        }
        for ask in open_asks(trial, &prepared, as_of) {
            if asked.contains(&ask.question.key) {
                continue;
            }
            let Ok(question) = lay_question(&ask) else { continue };
            let gain = expected_changes(trial, patient, &ask, verdict, as_of);
            match scored.iter_mut().find(|(q, _)| q.key == question.key) {
                Some((seen, score)) => {
                    *score += gain;
                    for text in question.why {
                        if !seen.why.contains(&text) {
                            seen.why.push(text);
                        }
                    }
                }
                None => scored.push((question, gain)),
            }
        }
    }
    scored.retain(|(_, score)| *score > 0.0);
    // Stable: ties keep first-seen (criterion) order.
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut step: Vec<LayQuestion> = scored.into_iter().take(STEP_MAX).map(|(q, _)| q).collect();
    step.sort_by_key(|q| q.group);
    step
}

/// The verdict changes one trial expects from an answer to `ask`.
fn expected_changes(trial: &PreparedTrial, patient: &Patient, ask: &Ask, verdict: Verdict, as_of: NaiveDate) -> f64 {
    if matches!(ask.kind, AnswerKind::Age | AnswerKind::Sex) {
        return ABOUT_YOU_WEIGHT;
    }
    let answers = simulated_answers(ask);
    let mut expected = 0.0;
    for (answer, likelihood) in answers {
        let mut answered = patient.clone();
        let problems = apply_answers(
            &mut answered,
            std::slice::from_ref(ask),
            [(ask.question.key.as_str(), answer.as_str())],
            as_of,
        );
        if problems.is_empty() && trial.screen(&PreparedPatient::new(&answered), as_of).verdict != verdict {
            expected += likelihood;
        }
    }
    expected
}

/// The answers a person may give to `ask`, with their likelihood.
fn simulated_answers(ask: &Ask) -> Vec<(String, f64)> {
    let owned = |table: &[(&str, f64)]| table.iter().map(|(a, p)| ((*a).to_string(), *p)).collect();
    match &ask.kind {
        AnswerKind::Age | AnswerKind::Sex => vec![],
        AnswerKind::Presence { .. } => owned(&YES_NO_LIKELIHOOD),
        AnswerKind::Qualifier { .. } => owned(&QUALIFIER_LIKELIHOOD),
        AnswerKind::Pregnancy(_) => owned(&PREGNANCY_LIKELIHOOD),
        AnswerKind::Lab { unit, .. } if qualitative_unit(unit.as_deref()) => owned(&TEST_RESULT_LIKELIHOOD),
        AnswerKind::Lab { .. } => ask
            .readings
            .iter()
            .filter_map(|reading| match reading {
                Computable::Lab { comparison, .. } => Some(comparison.value),
                _ => None,
            })
            .flat_map(|threshold| {
                let step = threshold.abs().max(1.0) * 0.5;
                [threshold - step, threshold + step]
            })
            .map(|value| (value.to_string(), LAB_KNOWN / 2.0))
            .collect(),
    }
}

/// The open criteria of `trial` that the study team will check rather than ask about: readings
/// no person can be asked (a long or generic list, an uncertain reading) and those settled at the
/// screening visit (consent, the doctor's judgement), each criterion once.
pub fn team_checks(trial: &PreparedTrial, patient: &Patient, as_of: NaiveDate) -> Vec<TeamCheck> {
    let prepared = PreparedPatient::new(patient);
    let mut checks: Vec<TeamCheck> = Vec::new();
    let mut add = |text: &str, reason: String| {
        if !checks.iter().any(|c| c.text == text) {
            checks.push(TeamCheck { text: text.to_string(), reason });
        }
    };
    for ask in open_asks(trial, &prepared, as_of) {
        match lay_question(&ask) {
            // A drug named as the start of the study's schedule is no rule to check.
            Ok(_) | Err(Unaskable::StudySchedule(_)) => {}
            Err(why) => {
                for text in &ask.why {
                    add(text, why.to_string());
                }
            }
        }
    }
    for criterion in &trial.criteria {
        if criterion.computable.iter().all(crate::evaluate::settled_at_screening) {
            add(&criterion.text, crate::lay::criterion_words(criterion));
        }
    }
    checks
}

#[cfg(test)]
mod lay_tests {
    use super::*;
    use eligo_model::{Comparison, Criterion, Operator, Section, Trial};

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn concept(id: &str, name: &str) -> Vec<ConceptRef> {
        vec![ConceptRef { id: id.into(), name: name.into() }]
    }

    fn criterion(section: Section, text: &str, computable: Computable) -> Criterion {
        Criterion {
            section,
            start: 0,
            end: text.len(),
            text: text.into(),
            computable: vec![computable],
            negated: false,
            entities: Vec::new(),
            applies_if: Vec::new(),
        }
    }

    fn condition(id: &str, name: &str) -> Computable {
        Computable::Condition { concepts: concept(id, name), status: None, window: None, scope: Default::default() }
    }

    fn sample_trial() -> Trial {
        let hbsag = Computable::Lab {
            test: concept("ELIGO:lab.hbsag", "Hepatitis B surface antigen").remove(0),
            comparison: Comparison::new(Operator::Eq, 1.0, None, Some("positive")),
            uln_multiple: false,
            window: None,
        };
        let criteria = vec![
            criterion(Section::Inclusion, "Meets SS criteria", condition("ICD10CM:M35.0", "Sjögren syndrome")),
            criterion(Section::Exclusion, "Hepatitis B surface antigen positive", hbsag),
            criterion(Section::Exclusion, "involvement of skin", condition("text:involvement", "involvement")),
        ];
        Trial { id: "NCT1".into(), criteria, ..Trial::default() }
    }

    #[test]
    fn questions_are_plain_grouped_and_qualitative_tests_ask_for_a_result() {
        let trial = sample_trial();
        let prepared = PreparedTrial::new(&trial);
        let step = next_step(std::slice::from_ref(&prepared), &Patient::default(), &HashSet::new(), as_of());
        let texts: Vec<&str> = step.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Has a doctor ever told you that you have Sjögren's syndrome?",
                "Have you had a hepatitis B surface antigen (HBsAg) test? What was the result?"
            ]
        );
        assert_eq!(step[1].reply, Reply::Qualitative);
        assert_eq!(step[1].group, Group::Tests);
        assert_eq!(step[0].why, ["Meets SS criteria"]);
        let checks = team_checks(&prepared, &Patient::default(), as_of());
        assert_eq!(checks.len(), 1, "{checks:?}");
        assert_eq!(checks[0].text, "involvement of skin");
    }

    #[test]
    fn a_bare_finding_name_is_asked_in_plain_words_and_met_by_a_record_naming_it() {
        let text = "Exclusion Criteria:\n- Kite surfboard users.\n- Wobble crisis";
        let trial = Trial { id: "NCT2".into(), criteria: eligo_criteria::parse_criteria(text), ..Trial::default() };
        let prepared = [PreparedTrial::new(&trial)];
        let step = next_step(&prepared, &Patient::default(), &HashSet::new(), as_of());
        let texts: Vec<&str> = step.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Are you a kite surfboard user?", "Has a doctor ever told you that you have wobble crisis?"]
        );
        assert_eq!(step[0].group, Group::AboutYou);
        // A profile naming the same thing meets it; a profile silent about it is only asked.
        let profile = r#"{"age": 40, "sex": "female", "conditions": ["Kite surfboard user"]}"#;
        let patient = eligo_patient::profile::read_profile(profile).unwrap().patient;
        let screening = prepared[0].screen(&PreparedPatient::new(&patient), as_of());
        assert_eq!(screening.verdict, Verdict::Ineligible, "{screening:?}");
    }

    #[test]
    fn a_habit_or_a_care_setting_is_asked_about_the_person() {
        let text =
            "Inclusion Criteria:\n- Kind of participant: outpatient\nExclusion Criteria:\n- Use of tanning beds\n\
                    - Participants who work rotating shifts";
        let trial = Trial { id: "NCT3".into(), criteria: eligo_criteria::parse_criteria(text), ..Trial::default() };
        let prepared = [PreparedTrial::new(&trial)];
        let step = next_step(&prepared, &Patient::default(), &HashSet::new(), as_of());
        let mut texts: Vec<&str> = step.iter().map(|q| q.text.as_str()).collect();
        texts.sort_unstable();
        assert_eq!(texts, ["Are you a shift worker?", "Are you a tanning bed user?", "Are you an outpatient?"]);
        assert!(step.iter().all(|q| q.group == Group::AboutYou), "{step:?}");
    }

    #[test]
    fn asked_questions_are_not_asked_again_and_a_decided_trial_asks_nothing() {
        let trial = sample_trial();
        let prepared = [PreparedTrial::new(&trial)];
        let sjogren = next_step(&prepared, &Patient::default(), &HashSet::new(), as_of())[0].key.clone();
        let asked: HashSet<String> = [sjogren.clone()].into();
        let step = next_step(&prepared, &Patient::default(), &asked, as_of());
        assert!(step.iter().all(|q| q.key != sjogren), "{step:?}");
        assert_eq!(step.len(), 1);
        let answers = [(sjogren, "no".to_string())];
        let (patient, _, problems) = crate::answers::answered_patient(&prepared, &answers, as_of());
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            next_step(&prepared, &patient, &asked, as_of()).is_empty(),
            "no Sjögren's: not eligible, nothing to ask"
        );
    }

    #[test]
    fn a_positive_test_result_answer_excludes_and_a_negative_one_does_not() {
        let trial = sample_trial();
        let prepared = [PreparedTrial::new(&trial)];
        let key = "lab:ELIGO:lab.hbsag".to_string();
        let verdict = |answer: &str| {
            let (patient, _, problems) =
                crate::answers::answered_patient(&prepared, &[(key.clone(), answer.into())], as_of());
            assert!(problems.is_empty(), "{problems:?}");
            prepared[0].screen(&PreparedPatient::new(&patient), as_of()).verdict
        };
        assert_eq!(verdict("positive"), Verdict::Ineligible);
        assert_eq!(verdict("negative"), Verdict::Possible);
    }

    #[test]
    fn units_from_hostile_criteria_do_not_grow_the_remembered_choices_without_end() {
        let creatinine = ConceptRef { id: "ELIGO:lab.creatinine".into(), name: "creatinine".into() };
        let before = unit_choices(&creatinine, Some("mg/dL"));
        assert!(before.iter().any(|u| u.eq_ignore_ascii_case("µmol/L")), "{before:?}");
        for n in 0..UNIT_CHOICES_REMEMBERED + 500 {
            unit_choices(&creatinine, Some(&format!("unit-{n}")));
        }
        assert!(remembered_unit_choices().read().unwrap().len() <= UNIT_CHOICES_REMEMBERED);
        assert_eq!(unit_choices(&creatinine, Some("mg/dL")), before, "answers stay right past the bound");
    }
}
