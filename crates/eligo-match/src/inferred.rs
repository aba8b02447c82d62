//! Values a physician infers from other facts of the record when the record does not state them.
//!
//! Two today:
//! - a child's body weight from age (and sex), through the growth charts in
//!   `eligo_vocab::plausible_weight_kg`. "Weight ≥ 5 kg" is met by any 2-year-old, and "weight >
//!   110 kg" is not met by a 4-year-old, whatever the chart omits. A threshold inside the range the
//!   charts allow stays unknown and is asked, as before;
//! - the glomerular filtration rate from serum creatinine, age and sex (CKD-EPI 2021). Notes give
//!   creatinine far more often than eGFR, and criteria ask for eGFR or creatinine clearance. The
//!   estimate decides only a threshold outside its error band.

use chrono::NaiveDate;
use eligo_model::{Comparison, Observation, PatientSex};
use eligo_vocab::{assumed_unit, convert, plausible_weight_kg, ChartSex};

use crate::evaluate::{Finding, Outcome};
use crate::prepared::PreparedPatient;

/// The vocabulary's concepts of the filtration rate (eGFR and creatinine clearance) and of serum
/// creatinine.
pub(crate) const FILTRATION_RATE: &str = "ELIGO:lab.egfr";
pub(crate) const CREATININE: &str = "ELIGO:lab.creatinine";

/// The share either side of the estimate inside which the rate the trial will use may lie. A
/// criterion's "eGFR" is the number a laboratory reports, computed from the same creatinine by one
/// of the equations in use (CKD-EPI 2021 or 2009, MDRD), and "creatinine clearance" is often
/// Cockcroft–Gault, which also needs weight; for adults these differ from one another by up to
/// about 15 %. A threshold inside that band is left to the study team's own calculation.
const FILTRATION_ERROR: f64 = 0.15;

/// The vocabulary's body-weight concept.
pub(crate) const BODY_WEIGHT: &str = "ELIGO:vital.weight";

/// A weight threshold settled by the patient's age, or `None` when age does not settle it.
pub(crate) fn weight_from_age(comparison: &Comparison, patient: &PreparedPatient, as_of: NaiveDate) -> Option<Finding> {
    let (from, to) = age_span(patient, as_of)?;
    let sex = patient.patient.sex.as_ref().and_then(|s| match s.value {
        PatientSex::Male => Some(ChartSex::Male),
        PatientSex::Female => Some(ChartSex::Female),
        PatientSex::Other => None,
    });
    let (low_kg, high_kg) = plausible_weight_kg(from, to, sex)?;
    let unit = comparison.unit.as_deref().unwrap_or("kg");
    let low = convert(low_kg, "kg", unit, Some(BODY_WEIGHT))?;
    let high = convert(high_kg, "kg", unit, Some(BODY_WEIGHT))?;
    let outcome = decided_over(comparison, low, high)?;
    let reason = patient.explain(|| {
        format!(
            "no weight recorded; at age {from:.0} a child weighs {low_kg:.0}–{high_kg:.0} kg (CDC growth charts, ±3 SD)"
        )
    });
    let evidence = patient.patient.birth_date.as_ref().map(|b| b.evidence.clone());
    let evidence = evidence.or_else(|| patient.patient.age.as_ref().map(|a| a.evidence.clone()));
    Some(Finding::known(outcome, reason, patient.explain(|| evidence.into_iter().collect())))
}

/// A filtration-rate threshold ("eGFR ≥ 60", "creatinine clearance < 30 mL/min") settled by the
/// rate estimated from the patient's `creatinine` result (2021 CKD-EPI creatinine equation, which
/// needs age and sex and no race), or `None` when the estimate's error band straddles the
/// threshold or the record lacks what the equation needs.
pub(crate) fn filtration_from_creatinine(
    comparison: &Comparison,
    creatinine: &Observation,
    patient: &PreparedPatient,
    as_of: NaiveDate,
) -> Option<Finding> {
    let age = patient.patient.age_years(as_of)?;
    let female = match patient.patient.sex.as_ref()?.value {
        PatientSex::Female => true,
        PatientSex::Male => false,
        PatientSex::Other => return None,
    };
    let unit = creatinine.unit.as_deref().or_else(|| assumed_unit(CREATININE, creatinine.value))?;
    let mg_dl = convert(creatinine.value, unit, "mg/dl", Some(CREATININE))?;
    let estimate = ckd_epi_2021(mg_dl, age, female)?;
    let wanted = comparison.unit.as_deref().unwrap_or("ml/min/1.73m2");
    let in_wanted = |rate: f64| convert(rate, "ml/min/1.73m2", wanted, Some(FILTRATION_RATE));
    let low = in_wanted(estimate * (1.0 - FILTRATION_ERROR))?;
    let high = in_wanted(estimate * (1.0 + FILTRATION_ERROR))?;
    let outcome = decided_over(comparison, low, high)?;
    let reason = patient.explain(|| {
        format!(
            "no filtration rate recorded; {} = {} {unit} gives an estimated GFR of {estimate:.0} mL/min/1.73m² \
             (CKD-EPI 2021, age {age:.0}, {}; other equations: {low:.0}–{high:.0})",
            creatinine.text,
            creatinine.value,
            if female { "female" } else { "male" }
        )
    });
    Some(Finding::known(outcome, reason, patient.explain(|| vec![creatinine.evidence.clone()])))
}

/// The outcome of `comparison` for every value from `low` to `high`, or `None` when the range
/// straddles it. Every threshold shape (above, below, between) is an interval, so it holds over the
/// whole range exactly when it holds at both ends, and fails over all of it only if it fails at both
/// ends with no room between (a "between" band inside the range is left open).
fn decided_over(comparison: &Comparison, low: f64, high: f64) -> Option<Outcome> {
    let holds = |v: f64| comparison.operator.holds(v, comparison.value, comparison.value_high);
    match (holds(low), holds(high)) {
        (true, true) => Some(Outcome::Met),
        (false, false) if comparison.value_high.is_none() => Some(Outcome::NotMet),
        _ => None,
    }
}

/// The 2021 CKD-EPI creatinine equation (Inker et al., N Engl J Med 2021;385:1737-49), in
/// mL/min/1.73m², for adults; `None` for a child or a value the equation cannot take.
fn ckd_epi_2021(creatinine_mg_dl: f64, age: f64, female: bool) -> Option<f64> {
    if age < 18.0 || creatinine_mg_dl <= 0.0 || !creatinine_mg_dl.is_finite() {
        return None;
    }
    let (kappa, alpha, sex_factor) = if female { (0.7, -0.241, 1.012) } else { (0.9, -0.302, 1.0) };
    let ratio = creatinine_mg_dl / kappa;
    Some(142.0 * ratio.min(1.0).powf(alpha) * ratio.max(1.0).powf(-1.200) * 0.9938f64.powf(age) * sex_factor)
}

/// The ages (years) the patient may have today: exact from a birth date; from a stated age, up to
/// the next birthday ("2-year-old") or the next month (an age stated in months).
fn age_span(patient: &PreparedPatient, as_of: NaiveDate) -> Option<(f64, f64)> {
    let age = patient.patient.age_years(as_of)?;
    if patient.patient.birth_date.is_some() {
        return Some((age, age));
    }
    let stated = patient.patient.age.as_ref()?.years;
    let step = if stated.fract() == 0.0 { 1.0 } else { 1.0 / 12.0 };
    Some((age, age + step))
}

#[cfg(test)]
mod tests {
    use super::ckd_epi_2021;

    #[test]
    fn the_2021_equation_gives_the_published_rates() {
        // Worked values of the race-free equation (NKF/ASN calculator): 1.1 mg/dL at 58, a man,
        // about 77; 1.0 mg/dL at 60, a woman, about 64; children are not estimated.
        let man = ckd_epi_2021(1.1, 58.0, false).unwrap();
        assert!((man - 77.0).abs() < 1.5, "{man}");
        let woman = ckd_epi_2021(1.0, 60.0, true).unwrap();
        assert!((woman - 64.0).abs() < 1.5, "{woman}");
        assert!(ckd_epi_2021(0.5, 12.0, true).is_none());
        assert!(ckd_epi_2021(0.0, 40.0, false).is_none());
    }
}
