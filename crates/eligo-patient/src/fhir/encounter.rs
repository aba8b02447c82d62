//! `Encounter`: the stays and visits a criterion can ask about ("hospitalised for an infection in
//! the last 60 days", "an emergency visit for asthma"). An inpatient stay or an emergency visit
//! becomes, for each of its reasons, a condition fact carrying the event as a qualifier (the way
//! the criteria engine reads "hospitalisation for infection": an event of the disease), dated by
//! the encounter's period; a stay without a coded reason becomes the stay itself. Other encounters
//! (office visits, wellness checks) say nothing a screening reads and add no fact.

use eligo_model::{Assertion, FactKind, Qualifier, QualifierKind};
use serde::Deserialize;

use super::{push_fact, CodeableConcept, Coding, Period};
use crate::ParsedPatient;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EncounterResource {
    status: Option<String>,
    class: Option<Coding>,
    #[serde(default)]
    reason_code: Vec<CodeableConcept>,
    period: Option<Period>,
}

/// v3 ActCode encounter classes, and the event each is.
const EVENT_OF_CLASS: [(&str, &str); 4] = [
    ("IMP", "hospitalization"),
    ("ACUTE", "hospitalization"),
    ("NONAC", "hospitalization"),
    ("EMER", "emergency visit"),
];

pub(super) fn read_encounter(resource: EncounterResource, path: &str, out: &mut ParsedPatient) -> Result<(), String> {
    let class = resource.class.as_ref().and_then(|c| c.code.as_deref()).unwrap_or_default();
    let Some((_, event)) = EVENT_OF_CLASS.iter().find(|(code, _)| code.eq_ignore_ascii_case(class)) else {
        return Ok(());
    };
    let assertion = match resource.status.as_deref() {
        Some("cancelled" | "entered-in-error") => Assertion::Absent,
        Some("planned") => Assertion::Planned,
        _ => Assertion::Present,
    };
    let dates = resource.period.as_ref().map_or((None, None), |p| (p.start.as_deref(), p.end.as_deref()));
    let qualifier = Qualifier { kind: QualifierKind::Event, value: event.to_string(), concept: None, polarity: None };
    if resource.reason_code.is_empty() {
        let stay = CodeableConcept { coding: Vec::new(), text: Some(event.to_string()) };
        return push_fact(out, FactKind::Procedure, &stay, assertion, (None, Vec::new()), dates, path);
    }
    for reason in &resource.reason_code {
        push_fact(out, FactKind::Condition, reason, assertion, (None, vec![qualifier.clone()]), dates, path)?;
    }
    Ok(())
}
