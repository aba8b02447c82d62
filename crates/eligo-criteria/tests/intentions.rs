//! A wish or plan to become pregnant is not the state of being pregnant.

use eligo_criteria::parse_criteria;
use eligo_model::{Computable, NonComputableReason, PregnancyState};

fn readings(text: &str) -> Vec<Computable> {
    parse_criteria(text).into_iter().flat_map(|c| c.computable).collect()
}

fn reads_pregnant(text: &str) -> bool {
    readings(text).iter().any(|c| matches!(c, Computable::Pregnancy { state: PregnancyState::Pregnant }))
}

fn reads_a_plan(text: &str) -> bool {
    readings(text).iter().any(|c| matches!(c, Computable::NotComputable { reason: NonComputableReason::Compliance }))
}

#[test]
fn a_wish_or_plan_to_conceive_is_confirmed_at_screening_not_read_as_pregnancy() {
    for text in [
        "Planning to become pregnant while on study treatment",
        "Couples trying to conceive, wishing to become pregnant within 6 months",
    ] {
        assert!(!reads_pregnant(text), "{text}: {:?}", readings(text));
        assert!(reads_a_plan(text), "{text}: {:?}", readings(text));
    }
    // Beside a condition, the condition is what the chart can settle; the wish is no pregnancy.
    let with_condition = readings("Women with endometriosis who desire pregnancy in the next year");
    assert_eq!(with_condition.len(), 1, "{with_condition:?}");
    assert!(
        matches!(&with_condition[0], Computable::Condition { concepts, .. } if concepts[0].name == "Endometriosis")
    );
    // The state itself is still read, also beside a plan.
    assert!(reads_pregnant("Pregnant women"));
    assert!(reads_pregnant("Pregnant or planning a pregnancy during the study"));
}
