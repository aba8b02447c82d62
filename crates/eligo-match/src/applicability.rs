//! Whether a criterion applies to the patient at all.
//!
//! Many rules concern a group: "if male, agree not to donate sperm", "women of childbearing
//! potential must have a negative pregnancy test", "patients 60 or older must have an LVEF
//! evaluation". A patient outside the group finds such a rule *not applicable*, and the verdict
//! treats it as satisfied: it neither includes nor excludes them. The group comes from the
//! criteria engine (`Criterion::applies_if`) or from the shape of the criterion:
//!
//! * a pregnancy, lactation or contraception rule, for a male patient or a woman who cannot become
//!   pregnant; a contraception rule for a person the record says is not sexually active;
//! * a sex named in the free text when the registry states the trial's sex limit (the registry
//!   limit decides who may join, so a sex in the text names a subgroup: "Postmenopausal
//!   women."), or when the sentence itself introduces a group ("Female participants who are of
//!   childbearing potential must:", "Males:");
//! * an age named in the free text beside a clinical requirement ("Karnofsky > 50 % for
//!   patients over 16 years", "patients 60 or older must have an LVEF evaluation"); an age
//!   beside sex or pregnancy alone ("a man or non-pregnant woman 18 to 55 years of age") is the
//!   trial's age requirement and applies to everyone.

use eligo_model::{Assertion, Computable, Criterion, PatientSex, PregnancyState, Sex};

use crate::childbearing::CANNOT_CONCEIVE;
use crate::evaluate::{evaluate_in, Context, Outcome};
use crate::prepared::PreparedPatient;

/// What the registry itself states about who may join.
#[derive(Debug, Clone, Copy, Default)]
pub struct RegistryLimits {
    pub sex: bool,
}

/// A sentence that introduces a group and then says what applies to it: "Female participants
/// who are of childbearing potential must:", "Males:", "If female, ...".
fn introduces_group(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    lower.ends_with(':') || lower.starts_with("if ") || lower.contains(" who ") || lower.contains(" must ")
}

/// Why the criterion does not apply to the patient, or `None` when it does (or may).
pub fn not_applicable(
    criterion: &Criterion,
    beside_clinical: bool,
    registry: RegistryLimits,
    patient: &PreparedPatient,
    ctx: Context,
) -> Option<String> {
    let outside_group = criterion.applies_if.iter().any(|c| evaluate_in(c, patient, ctx).outcome == Outcome::NotMet);
    if outside_group {
        return Some(patient.explain(|| {
            let group: Vec<String> = criterion.applies_if.iter().map(|c| c.to_string()).collect();
            format!("applies only to a group the patient is not in ({})", group.join("; "))
        }));
    }
    let readings = &criterion.computable;
    if readings.is_empty() || criterion.start == usize::MAX {
        return None;
    }
    if readings.iter().all(is_pregnancy) {
        if let Some(why) = outside_pregnancy_rules(readings, patient) {
            return Some(why);
        }
    }
    let sex_only = readings.iter().all(|c| matches!(c, Computable::Sex { .. }));
    if sex_only && (registry.sex || introduces_group(&criterion.text)) {
        return other_sex(readings, patient);
    }
    let age_only = readings.iter().all(|c| matches!(c, Computable::Age { .. }));
    if beside_clinical && age_only && outside(readings, patient, ctx) {
        return Some(
            "an age that picks out the group the rest of the sentence is about; the patient is not in it".into(),
        );
    }
    None
}

const SEXUALLY_ACTIVE: &str = "ELIGO:repro.sexually_active";

/// Why a patient is outside a rule about pregnancy, breastfeeding or contraception: a man; a
/// woman the record calls postmenopausal or surgically sterile; and, for a contraception rule
/// alone, a person the record says is not sexually active (protocols accept abstinence as a
/// method, and physicians call such a rule not applicable).
fn outside_pregnancy_rules(readings: &[Computable], patient: &PreparedPatient) -> Option<String> {
    if patient.patient.sex.as_ref().is_some_and(|s| s.value == PatientSex::Male) {
        return Some("about pregnancy, breastfeeding or contraception; the patient is male".into());
    }
    let recorded = |assertion: Assertion, ids: &[&str]| {
        patient
            .patient
            .facts
            .iter()
            .any(|f| f.assertion == assertion && f.concepts.iter().any(|c| ids.contains(&c.id.as_str())))
    };
    if recorded(Assertion::Present, CANNOT_CONCEIVE) {
        return Some("about pregnancy, breastfeeding or contraception; the patient cannot become pregnant".into());
    }
    let contraception_only =
        readings.iter().all(|c| matches!(c, Computable::Pregnancy { state: PregnancyState::Contraception }));
    if contraception_only && recorded(Assertion::Absent, &[SEXUALLY_ACTIVE]) {
        return Some("about contraception; the record says the patient is not sexually active".into());
    }
    None
}

/// Rules about pregnancy, breastfeeding, contraception or childbearing potential: for a man or a
/// woman the record says cannot conceive, physicians call them not applicable (and the verdict
/// treats them as satisfied), whichever way the rule is phrased.
fn is_pregnancy(computable: &Computable) -> bool {
    matches!(computable, Computable::Pregnancy { .. })
}

/// A sex in the text names a group; a patient of the other sex is not in it.
fn other_sex(readings: &[Computable], patient: &PreparedPatient) -> Option<String> {
    let recorded = patient.patient.sex.as_ref()?.value;
    let named_other = readings.iter().all(|c| match c {
        Computable::Sex { sex: Sex::Female } => recorded == PatientSex::Male,
        Computable::Sex { sex: Sex::Male } => recorded == PatientSex::Female,
        _ => false,
    });
    named_other.then(|| "about participants of the other sex (the registry's sex limit decides who may join)".into())
}

fn outside(readings: &[Computable], patient: &PreparedPatient, ctx: Context) -> bool {
    readings.iter().all(|c| evaluate_in(c, patient, ctx).outcome == Outcome::NotMet)
}
