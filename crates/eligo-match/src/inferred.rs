//! Values a physician infers from other facts of the record when the record does not state them.
//!
//! Today one: a child's body weight from age (and sex), through the growth charts in
//! `eligo_vocab::plausible_weight_kg`. "Weight ≥ 5 kg" is met by any 2-year-old, and "weight >
//! 110 kg" is not met by a 4-year-old, whatever the chart omits. A threshold inside the range the
//! charts allow stays unknown and is asked, as before.

use chrono::NaiveDate;
use eligo_model::{Comparison, PatientSex};
use eligo_vocab::{convert, plausible_weight_kg, ChartSex};

use crate::evaluate::{Finding, Outcome};
use crate::prepared::PreparedPatient;

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
    let holds = |w: f64| comparison.operator.holds(w, comparison.value, comparison.value_high);
    // Every threshold shape (above, below, between) is an interval, so it holds over the whole
    // range exactly when it holds at both ends, and fails over all of it only if it fails at both
    // ends with no room between (a "between" band inside the range is left open).
    let outcome = match (holds(low), holds(high)) {
        (true, true) => Outcome::Met,
        (false, false) if comparison.value_high.is_none() => Outcome::NotMet,
        _ => return None,
    };
    let reason = patient.explain(|| {
        format!(
            "no weight recorded; at age {from:.0} a child weighs {low_kg:.0}–{high_kg:.0} kg (CDC growth charts, ±3 SD)"
        )
    });
    let evidence = patient.patient.birth_date.as_ref().map(|b| b.evidence.clone());
    let evidence = evidence.or_else(|| patient.patient.age.as_ref().map(|a| a.evidence.clone()));
    Some(Finding::known(outcome, reason, patient.explain(|| evidence.into_iter().collect())))
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
