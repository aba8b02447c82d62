//! The seed pages in `../shared/seeds/` parse into the criteria a coordinator reads off them.
//! Each test skips with a message when `../shared` is absent.

mod common;

use eligo_criteria::parse_criteria;
use eligo_model::{Computable, Criterion, Operator, PregnancyState, Section, TimeUnit};

/// The text of a seed between two lines that start with the given markers (the criteria part of
/// the page), or `None` when the seeds are not there.
fn seed_section(file: &str, from: &str, to: &str) -> Option<String> {
    let path = common::shared_dir()?.join("seeds").join(file);
    let text = std::fs::read_to_string(path).ok()?;
    let start = text.find(from)?;
    let end = text[start..].find(to).map_or(text.len(), |e| start + e);
    Some(text[start..end].to_string())
}

/// The seed's criteria section parsed, or `None` (with a message) when the seeds are absent.
fn parsed_seed(file: &str, from: &str, to: &str) -> Option<Vec<Criterion>> {
    let text = seed_section(file, from, to);
    if text.is_none() {
        eprintln!("skipped: ../shared/seeds not found");
    }
    text.map(|t| parse_criteria(&t))
}

/// What the engine read, one criterion a line, for assertion messages.
fn listing(criteria: &[Criterion]) -> String {
    criteria.iter().map(|c| format!("{:?} {}: {:?}\n", c.section, c.text, c.computable)).collect()
}

fn all(criteria: &[Criterion]) -> Vec<(Section, &Computable)> {
    criteria.iter().flat_map(|c| c.computable.iter().map(move |k| (c.section, k))).collect()
}

fn has_drug(drugs: &[eligo_model::ConceptRef], id: &str) -> bool {
    drugs.iter().any(|d| d.id == id)
}

fn within(window: &Option<eligo_model::TimeWindow>) -> Option<(f64, TimeUnit)> {
    window.as_ref()?.within.map(|d| (d.value, d.unit))
}

#[test]
fn seed_001_juvenile_sjogren_belimumab() {
    let Some(criteria) = parsed_seed("001_bdcb486c29c27db2.txt", "Inclusion Criteria:", "Study Design") else { return };
    let found = all(&criteria);
    let dump = || listing(&criteria);

    // Age 5-18 years.
    assert!(
        found.iter().any(|(s, c)| *s == Section::Inclusion
            && matches!(c, Computable::Age { min: Some(min), max: Some(max) } if min.value == 5.0 && max.value == 18.0)),
        "age 5-18:\n{}",
        dump()
    );
    // eGFR < 30 mL/min, exclusion.
    assert!(
        found.iter().any(|(s, c)| *s == Section::Exclusion
            && matches!(c, Computable::Lab { test, comparison, .. }
                if test.id == "ELIGO:lab.egfr" && comparison.operator == Operator::Lt && comparison.value == 30.0)),
        "eGFR < 30:\n{}",
        dump()
    );
    // IgG < 4 g/L and IgA < 0.1 g/L within 10 days before the first belimumab.
    for (test, value) in [("ELIGO:lab.igg", 4.0), ("ELIGO:lab.iga", 0.1)] {
        assert!(
            found.iter().any(|(_, c)| matches!(c, Computable::Lab { test: t, comparison, window, .. }
                if t.id == test && comparison.value == value && comparison.unit.as_deref() == Some("g/l")
                    && within(window) == Some((10.0, TimeUnit::Days)))),
            "{test} < {value} g/L within 10 days:\n{}",
            dump()
        );
    }
    // WBC < 1.5 x10^9/L or neutrophils < 1 x10^9/L.
    for (test, value) in [("ELIGO:lab.wbc", 1.5), ("ELIGO:lab.anc", 1.0)] {
        assert!(
            found.iter().any(|(_, c)| matches!(c, Computable::Lab { test: t, comparison, .. }
                if t.id == test && comparison.value == value && comparison.unit.as_deref() == Some("10^9/l"))),
            "{test} < {value} x10^9/L:\n{}",
            dump()
        );
    }
    // Rituximab within 6 months; belimumab or telitacicept ever.
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::PriorTherapy { drugs, window, .. }
            if has_drug(drugs, "DRUG:rituximab") && within(window) == Some((6.0, TimeUnit::Months)))),
        "rituximab within 6 months:\n{}",
        dump()
    );
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::PriorTherapy { drugs, window: None, .. }
            if has_drug(drugs, "DRUG:belimumab") && has_drug(drugs, "DRUG:telitacicept"))),
        "belimumab or telitacicept ever:\n{}",
        dump()
    );
    // Infections: hepatitis B (HBsAg; HBsAb and HBcAb), hepatitis C, HIV, active tuberculosis.
    let infection = |id: &str| {
        found.iter().any(|(_, c)| {
            matches!(c, Computable::Infection { concepts, .. } | Computable::Condition { concepts, .. }
                if concepts.iter().any(|k| k.id == id))
        })
    };
    for id in ["ELIGO:cond.hbv", "ELIGO:cond.hiv", "ELIGO:cond.tb"] {
        assert!(infection(id), "{id}:\n{}", dump());
    }
    // Serology: HBsAg positive, HBsAb and HBcAb positive, hepatitis C antibody positive.
    for test in ["ELIGO:lab.hbsag", "ELIGO:lab.hbsab", "ELIGO:lab.hbcab", "ELIGO:lab.hcv_ab"] {
        assert!(
            found.iter().any(|(_, c)| matches!(c, Computable::Lab { test: t, comparison, .. }
                if t.id == test && comparison.unit.as_deref() == Some("positive"))),
            "{test} positive:\n{}",
            dump()
        );
    }
    // Hospitalisation for infection within 60 days; parenteral antibiotics within 30 days;
    // live-attenuated vaccine within 3 months.
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::Infection { window, .. }
            if within(window) == Some((60.0, TimeUnit::Days)))),
        "hospitalisation for infection within 60 days:\n{}",
        dump()
    );
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::PriorTherapy { drugs, window, .. }
            if has_drug(drugs, "ELIGO:class.antibiotic") && within(window) == Some((30.0, TimeUnit::Days)))),
        "antibiotics within 30 days:\n{}",
        dump()
    );
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::PriorTherapy { drugs, window, .. }
            if has_drug(drugs, "ELIGO:class.live_vaccine") && within(window) == Some((3.0, TimeUnit::Months)))),
        "live-attenuated vaccine within 3 months:\n{}",
        dump()
    );
    // What cannot be computed is marked, not dropped.
    assert!(criteria.iter().all(|c| !c.computable.is_empty()));
    assert!(found.iter().any(|(_, c)| matches!(c, Computable::NotComputable { .. })));
}

#[test]
fn seed_004_lupus_rituximab() {
    let Some(criteria) = parsed_seed("004_16bf8b040da96ccd.txt", "Inclusion criteria", "Trial design") else { return };
    let found = all(&criteria);
    let dump = || listing(&criteria);
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::Age { min: Some(min), max: Some(max) }
            if min.value == 18.0 && max.value == 65.0)),
        "age 18-65:\n{}",
        dump()
    );
    for test in ["ELIGO:lab.alt", "ELIGO:lab.ast"] {
        assert!(
            found.iter().any(|(s, c)| *s == Section::Exclusion
                && matches!(c, Computable::Lab { test: t, comparison, uln_multiple: true, .. }
                    if t.id == test && comparison.operator == Operator::Gt && comparison.value == 2.0)),
            "{test} > 2 ULN:\n{}",
            dump()
        );
    }
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::PriorTherapy { drugs, dose: Some(dose), .. }
            if has_drug(drugs, "DRUG:prednisone") && dose.operator == Operator::Le && dose.value == 20.0)),
        "prednisone <= 20 mg/day:\n{}",
        dump()
    );
    assert!(
        found.iter().any(|(s, c)| *s == Section::Exclusion
            && matches!(c, Computable::PriorTherapy { drugs, window, .. }
                if has_drug(drugs, "DRUG:cyclophosphamide") && within(window) == Some((30.0, TimeUnit::Days)))),
        "cyclophosphamide within 30 days:\n{}",
        dump()
    );
    assert!(
        found
            .iter()
            .any(|(s, c)| *s == Section::Exclusion
                && matches!(c, Computable::Pregnancy { state: PregnancyState::Pregnant })),
        "pregnant:\n{}",
        dump()
    );
    assert!(found.iter().any(|(s, c)| *s == Section::Inclusion
        && matches!(c, Computable::Pregnancy { state: PregnancyState::Contraception })));
}

#[test]
fn seed_003_igg4_related_disease() {
    let Some(criteria) = parsed_seed("003_6c002adc890e4eb2.txt", "Inclusion Criteria:", "\u{0}") else { return };
    let found = all(&criteria);
    let dump = || listing(&criteria);
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::Age { min: Some(min), max: None } if min.value == 18.0)),
        "age >= 18:\n{}",
        dump()
    );
    assert!(
        found.iter().any(|(s, c)| *s == Section::Exclusion
            && matches!(c, Computable::PriorTherapy { drugs, window, .. }
                if has_drug(drugs, "DRUG:rituximab") && within(window) == Some((6.0, TimeUnit::Months)))),
        "biologics incl. rituximab in the 6 months before screening:\n{}",
        dump()
    );
    assert!(
        found.iter().any(|(s, c)| *s == Section::Exclusion
            && matches!(c, Computable::Condition { concepts, window, .. }
                if concepts.iter().any(|k| k.id == "ELIGO:cond.malignancy") && within(window) == Some((10.0, TimeUnit::Years)))),
        "malignancy within 10 years:\n{}",
        dump()
    );
    assert!(found.iter().any(|(_, c)| matches!(c, Computable::Infection { concepts, .. }
        if concepts.iter().any(|k| k.id == "ELIGO:cond.tb"))));
}

#[test]
fn seed_000_systemic_sclerosis_summary() {
    let Some(criteria) = parsed_seed("000_e7525822f8245360.txt", "This trial is for", "Inclusion Criteria") else {
        return;
    };
    let found = all(&criteria);
    let dump = || listing(&criteria);
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::Age { min: Some(min), max: Some(max) }
            if min.value == 18.0 && max.value == 80.0)),
        "age 18-80:\n{}",
        dump()
    );
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::Lab { test, comparison, .. }
            if test.id == "ELIGO:score.mrss" && comparison.operator == Operator::Gt && comparison.value == 14.0)),
        "mRSS > 14:\n{}",
        dump()
    );
    assert!(
        found.iter().any(|(_, c)| matches!(c, Computable::Condition { concepts, window, .. }
            if concepts.iter().any(|k| k.id == "ELIGO:cond.dcssc") && within(window) == Some((3.0, TimeUnit::Years)))),
        "dcSSc diagnosed within 3 years:\n{}",
        dump()
    );
}
