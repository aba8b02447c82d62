//! A disease as the case presents it is a suspected disease: "X presentation", "suggestive of X".

use eligo_criteria::parse_criteria;
use eligo_model::{Computable, ConditionStatus};

fn status_of(text: &str) -> Option<ConditionStatus> {
    parse_criteria(text).iter().flat_map(|c| &c.computable).find_map(|c| match c {
        Computable::Condition { status, .. } => Some(*status),
        _ => None,
    })?
}

#[test]
fn a_presentation_or_a_suggestive_picture_asks_for_a_suspected_disease() {
    assert_eq!(status_of("Clinical presentation of acute appendicitis"), Some(ConditionStatus::Suspected));
    assert_eq!(status_of("Symptoms suggestive of pneumonia"), Some(ConditionStatus::Suspected));
    assert_eq!(status_of("Suspected bacterial meningitis"), Some(ConditionStatus::Suspected));
    // A plain diagnosis is not a suspicion.
    assert_eq!(status_of("Diagnosis of pneumonia"), None);
}
