//! Notes read as a clinician reads them: qualifiers on conditions, tumour markers, planned therapy,
//! shorthand demographics, performance status, consent and the specimen a lab was measured in.
//! Every example here is written for these tests.

use chrono::NaiveDate;
use eligo_model::{Assertion, ClinicalFact, FactKind, Observation, Patient, PatientSex, Polarity, QualifierKind};
use eligo_patient::note::read_note;
use eligo_patient::ParsedPatient;

fn read(text: &str) -> ParsedPatient {
    read_note(text, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
}

fn fact<'a>(patient: &'a Patient, text: &str) -> &'a ClinicalFact {
    patient
        .facts
        .iter()
        .find(|f| f.text.to_lowercase().contains(&text.to_lowercase()))
        .unwrap_or_else(|| panic!("no fact {text:?} in {:#?}", patient.facts))
}

fn qualifier_values(fact: &ClinicalFact, kind: QualifierKind) -> Vec<&str> {
    fact.qualifiers.iter().filter(|q| q.kind == kind).map(|q| q.value.as_str()).collect()
}

fn marker<'a>(patient: &'a Patient, short: &str) -> Option<&'a Observation> {
    let id = format!("ELIGO:marker.{short}");
    patient.observations.iter().find(|o| o.test.as_ref().is_some_and(|t| t.id == id))
}

fn marker_unit<'a>(patient: &'a Patient, short: &str) -> Option<&'a str> {
    marker(patient, short).and_then(|o| o.unit.as_deref())
}

#[test]
fn the_words_around_a_condition_narrow_it() {
    let note = "Known moderate persistent asthma with an exacerbation last week. \
                Type 2 diabetes mellitus, poorly controlled. Lung adenocarcinoma, stage 3B. \
                Cough for 3 days.";
    let patient = read(note).patient;
    let asthma = fact(&patient, "asthma");
    assert_eq!(qualifier_values(asthma, QualifierKind::Severity), ["moderate"]);
    assert_eq!(qualifier_values(asthma, QualifierKind::Course), ["persistent"]);
    assert_eq!(qualifier_values(asthma, QualifierKind::Event), ["exacerbation"]);
    let diabetes = fact(&patient, "type 2 diabetes mellitus");
    assert_eq!(qualifier_values(diabetes, QualifierKind::Subtype), ["type 2"]);
    assert_eq!(qualifier_values(diabetes, QualifierKind::Activity), ["uncontrolled"]);
    assert_eq!(diabetes.status, Some(eligo_model::ConditionStatus::Uncontrolled));
    let cough = fact(&patient, "cough");
    assert_eq!(qualifier_values(cough, QualifierKind::Acuteness), ["acute"]);
}

#[test]
fn a_qualifier_belongs_to_its_own_condition() {
    let patient = read("He has hypertension and severe psoriasis.").patient;
    assert!(fact(&patient, "hypertension").qualifiers.is_empty());
    assert_eq!(qualifier_values(fact(&patient, "psoriasis"), QualifierKind::Severity), ["severe"]);
}

#[test]
fn marker_results_are_qualitative_observations_and_qualify_the_cancer() {
    let patient = read("Diagnosed with ER-positive, HER2-negative breast cancer in 2024.").patient;
    assert_eq!(marker_unit(&patient, "er"), Some("positive"));
    assert_eq!(marker_unit(&patient, "her2"), Some("negative"));
    assert_eq!(marker(&patient, "er").map(|o| o.value), Some(1.0));
    // "ER-" is not the ICD-10 code for receptor-negative status.
    assert!(!patient.facts.iter().any(|f| f.concepts.iter().any(|c| c.id.starts_with("ICD10CM:Z17"))));
    let cancer = fact(&patient, "breast cancer");
    let her2 = cancer.qualifiers.iter().find(|q| q.value == "her2 negative").expect("her2 qualifier");
    assert_eq!((her2.kind, her2.polarity), (QualifierKind::Biomarker, Some(Polarity::Negative)));
    assert_eq!(her2.concept.as_ref().map(|c| c.id.as_str()), Some("ELIGO:marker.her2"));
}

#[test]
fn a_receptor_written_out_is_no_drug() {
    let patient = read("Oestrogen receptor positive, progesterone receptor negative carcinoma of the breast.").patient;
    assert_eq!(marker_unit(&patient, "er"), Some("positive"));
    assert_eq!(marker_unit(&patient, "pr"), Some("negative"));
    assert!(!patient.facts.iter().any(|f| f.concepts.iter().any(|c| c.id.starts_with("DRUG:"))), "{:?}", patient.facts);
}

#[test]
fn panels_lists_and_alterations() {
    let patient = read(
        "Triple-negative tumour of the left breast. Separately, NSCLC with EGFR L858R; ALK-rearranged \
         clone absent. KRAS G12C detected. PD-L1 TPS 80%. Colon primary MSI-high. BRCA2 carrier.",
    )
    .patient;
    for short in ["er", "pr", "her2"] {
        assert_eq!(marker_unit(&patient, short), Some("negative"), "{short}");
    }
    for short in ["egfr", "kras", "pdl1", "msi", "brca2"] {
        assert_eq!(marker_unit(&patient, short), Some("positive"), "{short}");
    }
}

#[test]
fn planned_therapy_is_not_given_therapy() {
    let note = "She is scheduled to start methotrexate next month. He was offered radiotherapy. \
                Plan: rituximab infusion. Continue prednisone 5 mg daily. Candidate for kidney transplantation.";
    let patient = read(note).patient;
    assert_eq!(fact(&patient, "methotrexate").assertion, Assertion::Planned);
    assert_eq!(fact(&patient, "radiotherapy").assertion, Assertion::Planned);
    assert_eq!(fact(&patient, "rituximab").assertion, Assertion::Planned);
    assert_eq!(fact(&patient, "prednisone").assertion, Assertion::Present);
    let transplant = patient.facts.iter().find(|f| f.text.to_lowercase().contains("transplant")).expect("transplant");
    assert_eq!(transplant.assertion, Assertion::Planned);
}

#[test]
fn a_finished_course_is_history_and_a_running_one_is_not() {
    let patient = read(
        "He completed four cycles of fludarabine. He then received two cycles of bendamustine. \
         He is now on ibrutinib. He received vancomycin in the ED.",
    )
    .patient;
    assert_eq!(fact(&patient, "fludarabine").assertion, Assertion::Historical);
    assert_eq!(fact(&patient, "bendamustine").assertion, Assertion::Historical);
    assert_eq!(fact(&patient, "ibrutinib").assertion, Assertion::Present);
    assert_eq!(fact(&patient, "vancomycin").assertion, Assertion::Present);
    let held = read("She received thalidomide, which was eventually also held due to edema.").patient;
    assert_eq!(fact(&held, "thalidomide").assertion, Assertion::Historical);
    // A plural verb after a list stops every drug of it; a singular one only the last.
    let list = read("She received thalidomide, bortezomib and dexamethasone, which were eventually held.").patient;
    for drug in ["thalidomide", "bortezomib", "dexamethasone"] {
        assert_eq!(fact(&list, drug).assertion, Assertion::Historical, "{drug}");
    }
    let last = read("He takes aspirin and lisinopril, which was later stopped.").patient;
    assert_eq!(fact(&last, "aspirin").assertion, Assertion::Present);
    assert_eq!(fact(&last, "lisinopril").assertion, Assertion::Historical);
    // A course after "now" is running.
    let two = read("He takes aspirin and his lisinopril was later discontinued.").patient;
    assert_eq!(fact(&two, "lisinopril").assertion, Assertion::Historical);
    let now = read("She completed radiotherapy and is now on temozolomide.").patient;
    assert_eq!(fact(&now, "temozolomide").assertion, Assertion::Present);
}

#[test]
fn started_therapy_stays_given() {
    let patient = read("She started methotrexate in March.").patient;
    assert_eq!(fact(&patient, "methotrexate").assertion, Assertion::Present);
}

#[test]
fn shorthand_demographics() {
    let cases: [(&str, f64, PatientSex); 7] = [
        ("63 yo F with knee pain.", 63.0, PatientSex::Female),
        ("47 y/o male, smoker.", 47.0, PatientSex::Male),
        ("Woman, 38, with migraine.", 38.0, PatientSex::Female),
        ("29F presenting with rash.", 29.0, PatientSex::Female),
        ("M 71, chest pain.", 71.0, PatientSex::Male),
        ("A 2-week-old girl with jaundice.", 14.0 / 365.25, PatientSex::Female),
        ("An 81-year-old man with dyspnea.", 81.0, PatientSex::Male),
    ];
    for (note, years, sex) in cases {
        let patient = read(note).patient;
        let age = patient.age.as_ref().unwrap_or_else(|| panic!("no age in {note:?}"));
        assert!((age.years - years).abs() < 0.01, "{note:?}: {}", age.years);
        assert_eq!(patient.sex.as_ref().map(|s| s.value), Some(sex), "{note:?}");
    }
}

#[test]
fn a_temperature_later_in_the_note_is_no_age() {
    let patient = read("Seen today for cough.\nTemp 99 F this morning.").patient;
    assert!(patient.age.is_none());
    let patient = read("Fever 101 F and chills since Monday.").patient;
    assert!(patient.age.is_none());
    let patient = read("Patient is a 33M with back pain.").patient;
    assert_eq!(patient.age.map(|a| a.years), Some(33.0));
}

#[test]
fn performance_status() {
    let patient = read("ECOG performance status of 1. KPS 80%. Lansky 60 last year.").patient;
    let score =
        |id: &str| patient.observations.iter().find(|o| o.test.as_ref().is_some_and(|t| t.id == id)).map(|o| o.value);
    assert_eq!(score("ELIGO:score.ecog"), Some(1.0));
    assert_eq!(score("ELIGO:score.karnofsky"), Some(80.0));
    assert_eq!(score("ELIGO:score.lansky"), Some(60.0));
}

#[test]
fn consent_statements() {
    let yes = read("She is willing to participate and will sign the consent form.").patient;
    assert_eq!(yes.consent.map(|c| c.value), Some(true));
    let no = read("Discussed the study; he declined to take part.").patient;
    assert_eq!(no.consent.map(|c| c.value), Some(false));
    let cannot = read("Patient is unable to consent due to dementia.").patient;
    assert_eq!(cannot.consent.map(|c| c.value), Some(false));
    let silent = read("He refused dinner.").patient;
    assert_eq!(silent.consent, None);
}

#[test]
fn a_lab_of_another_specimen_is_not_the_blood_test() {
    let parsed = read("Urinalysis showed WBC 25/hpf. Blood WBC 11.2 x10^9/L.");
    let blood: Vec<f64> = parsed
        .patient
        .observations
        .iter()
        .filter(|o| o.test.as_ref().is_some_and(|t| t.id == "ELIGO:lab.wbc"))
        .map(|o| o.value)
        .collect();
    assert_eq!(blood, [11.2]);
    assert!(parsed.rejected.iter().any(|r| r.reason.contains("another specimen")), "{:?}", parsed.rejected);
}

#[test]
fn a_blood_count_written_per_millilitre_is_read_per_microlitre_when_only_that_is_possible() {
    let count = |note: &str, test: &str| {
        let parsed = read(note);
        let found = parsed.patient.observations.iter().find(|o| o.test.as_ref().is_some_and(|t| t.id == test)).cloned();
        (found.map(|o| (o.value, o.unit)), parsed.rejected)
    };
    // 180,000 platelets per mL is no one's count; per microlitre it is a normal one.
    let (platelets, rejected) = count("Labs: Plt: 180000 /ml, Hgb 12 g/dl.", "ELIGO:lab.platelets");
    assert_eq!(platelets, Some((180000.0, Some("/mm3".to_string()))), "{rejected:?}");
    // A count that is possible per mL stays as written, and other tests are untouched.
    let (wbc, _) = count("WBC 6.5 x10^9/L.", "ELIGO:lab.wbc");
    assert_eq!(wbc, Some((6.5, Some("x10^9/L".to_string()))));
    let (bnp, _) = count("BNP 450 pg/ml.", "ELIGO:lab.bnp");
    assert_eq!(bnp.map(|(v, _)| v), Some(450.0));
}

#[test]
fn drugs_of_a_culture_susceptibility_result_were_not_given() {
    let patient = read(
        "Sputum culture grew Mycobacterium tuberculosis sensitive to the first-line drugs (isoniazid and \
         rifampicin). She takes metformin.",
    )
    .patient;
    let drugs: Vec<&str> =
        patient.facts.iter().filter(|f| f.kind == FactKind::Medication).map(|f| f.text.as_str()).collect();
    assert_eq!(drugs, ["metformin"]);
    let mrsa = read("A 49-year-old woman with methicillin-resistant Staphylococcus aureus bacteremia.").patient;
    assert!(!mrsa.facts.iter().any(|f| f.kind == FactKind::Medication), "{:?}", mrsa.facts);
    // Without an organism, resistance to a drug says the patient had it.
    let treated = read("Chronic myeloid leukaemia resistant to imatinib.").patient;
    assert!(treated.facts.iter().any(|f| f.kind == FactKind::Medication && f.text == "imatinib"));
}
