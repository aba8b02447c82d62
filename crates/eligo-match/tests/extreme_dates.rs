//! The evaluator meets dates, windows and values from outside: a trial's text ("within 100000000
//! days"), a request's `as_of`, a patient's records. None of them may panic it, and a window that
//! reaches past the calendar is unbounded rather than an error.

use chrono::{Days, NaiveDate};
use eligo_match::{evaluate, Outcome, PreparedPatient};
use eligo_model::{
    Assertion, ClinicalFact, Comparison, Computable, ConceptRef, Duration, Evidence, FactKind, FactSource, Noted,
    Observation, Operator, Patient, PatientSex, Scope, StatedAge, TimeUnit, TimeWindow,
};
use proptest::prelude::*;

fn diabetes() -> ConceptRef {
    ConceptRef { id: "ICD10CM:E11".into(), name: "Type 2 diabetes mellitus".into() }
}

fn hemoglobin() -> ConceptRef {
    ConceptRef { id: "ELIGO:lab.hemoglobin".into(), name: "Hemoglobin".into() }
}

fn evidence() -> Evidence {
    Evidence { source: FactSource::Profile, path: None, span: None, text: String::new() }
}

fn patient(start: Option<NaiveDate>, end: Option<NaiveDate>, value: f64, born: Option<NaiveDate>) -> Patient {
    let fact = |kind, concept: ConceptRef| ClinicalFact {
        kind,
        text: concept.name.clone(),
        concepts: vec![concept],
        assertion: Assertion::Present,
        status: None,
        qualifiers: Vec::new(),
        start,
        end,
        dose: None,
        evidence: evidence(),
    };
    let metformin = ConceptRef { id: "RXNORM:6809".into(), name: "metformin".into() };
    Patient {
        birth_date: born.map(|value| Noted { value, evidence: evidence() }),
        age: Some(StatedAge { years: value, as_of: start, evidence: evidence() }),
        sex: Some(Noted { value: PatientSex::Female, evidence: evidence() }),
        facts: vec![fact(FactKind::Condition, diabetes()), fact(FactKind::Medication, metformin)],
        observations: vec![Observation {
            text: "Hemoglobin".into(),
            test: Some(hemoglobin()),
            value,
            unit: Some("g/dL".into()),
            date: start,
            reference_high: Some(value),
            reference_low: None,
            evidence: evidence(),
        }],
        ..Patient::default()
    }
}

fn readings(window: TimeWindow, value: f64) -> Vec<Computable> {
    let years = Duration::new(value, TimeUnit::Years);
    vec![
        Computable::Age { min: Some(years), max: Some(years) },
        Computable::Condition {
            concepts: vec![diabetes()],
            status: None,
            window: Some(window.clone()),
            scope: Scope::default(),
        },
        Computable::PriorTherapy {
            drugs: vec![ConceptRef { id: "RXNORM:6809".into(), name: "metformin".into() }],
            window: Some(window.clone()),
            dose: None,
            scope: Scope::default(),
        },
        Computable::Lab {
            test: hemoglobin(),
            comparison: Comparison {
                operator: Operator::Ge,
                value,
                value_high: Some(value),
                unit: Some("g/dL".into()),
                operator_span: None,
                value_span: None,
                value_high_span: None,
                unit_span: None,
            },
            uln_multiple: value > 0.0,
            window: Some(window),
        },
    ]
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // Every day chrono can represent, from its first to its last.
    let span = (NaiveDate::MAX - NaiveDate::MIN).num_days() as u64;
    (0..=span).prop_map(|days| NaiveDate::MIN.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX))
}

fn any_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        Just(f64::MIN),
        Just(0.0),
        -1e12..1e12f64,
    ]
}

fn any_unit() -> impl Strategy<Value = TimeUnit> {
    prop_oneof![
        Just(TimeUnit::Minutes),
        Just(TimeUnit::Hours),
        Just(TimeUnit::Days),
        Just(TimeUnit::Weeks),
        Just(TimeUnit::Months),
        Just(TimeUnit::Years),
    ]
}

proptest! {
    #[test]
    fn the_evaluator_never_panics_on_extreme_dates_windows_or_values(
        as_of in any_date(),
        start in proptest::option::of(any_date()),
        end in proptest::option::of(any_date()),
        born in proptest::option::of(any_date()),
        amounts in (any_number(), any_number(), any_number()),
        unit in any_unit(),
        value in any_number(),
    ) {
        let window = TimeWindow {
            within: Some(Duration::new(amounts.0, unit)),
            at_least_ago: Some(Duration::new(amounts.1, unit)),
            for_at_least: Some(Duration::new(amounts.2, unit)),
            anchor: None,
        };
        let patient = patient(start, end, value, born);
        let prepared = PreparedPatient::new(&patient);
        for computable in readings(window, value) {
            let finding = evaluate(&computable, &prepared, as_of);
            prop_assert!(!finding.reason.is_empty());
        }
    }
}

#[test]
fn a_window_past_the_calendar_is_unbounded() {
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let (diagnosed, resolved) = (NaiveDate::from_ymd_opt(2020, 5, 1), NaiveDate::from_ymd_opt(2020, 9, 1));
    let patient = patient(diagnosed, resolved, 12.0, None);
    let within = |days: f64| Computable::Condition {
        concepts: vec![diabetes()],
        status: None,
        window: Some(TimeWindow { within: Some(Duration::new(days, TimeUnit::Days)), ..TimeWindow::default() }),
        scope: Scope::default(),
    };
    let prepared = PreparedPatient::new(&patient);
    // "Within 100000000 days" reaches before the calendar's first day: an episode in 2020 is in it.
    assert_eq!(evaluate(&within(1e8), &prepared, as_of).outcome, Outcome::Met);
    assert_eq!(evaluate(&within(1e300), &prepared, as_of).outcome, Outcome::Met);
    // An ordinary window still tells inside from outside.
    assert_eq!(evaluate(&within(30.0), &prepared, as_of).outcome, Outcome::NotMet);
}
