//! The five seed documents (`../shared/seeds`): each yields the fields a
//! reader finds on the page. Skipped when the shared folder is absent.

mod common;

use common::{publication_of, seed, trial_of};
use eligo_model::{
    Actuality, Allocation, ArmGroupType, Duration, InterventionModel, InterventionType, Masking, OverallStatus,
    PartialDate, Phase, Sex,
};

#[test]
fn seed_000_patient_summary_keeps_its_plain_language_apart() {
    let Some((uri, bytes)) = seed("000") else { return };
    let page = trial_of(&uri, &bytes);
    let trial = &page.trial;
    assert_eq!(page.layout, "patient-summary");
    assert_eq!(trial.title(), "Belimumab + Rituximab for Systemic Sclerosis");
    assert!(trial.id.starts_with("LISTING-"), "no registry ID on the page: {}", trial.id);
    let drugs: Vec<&str> = trial.intervention_names().collect();
    assert_eq!(drugs, ["Belimumab", "Rituximab"]);
    assert_eq!(trial.conditions, ["Systemic Sclerosis"]);
    assert_eq!(trial.eligibility.minimum_age, Some(Duration::years(18.0)));
    assert_eq!(trial.eligibility.maximum_age, Some(Duration::years(80.0)));
    // Inferred values are trusted less than labelled ones.
    assert!(trial.provenance["interventions"].confidence < trial.provenance["brief_title"].confidence);

    let topics: Vec<&str> = trial.plain_language.iter().map(|item| item.topic.as_str()).collect();
    assert_eq!(topics, ["safety", "promise", "requirements", "uniqueness", "eligibility"]);
    let promise = &trial.plain_language[1].text;
    assert!(promise.starts_with("Research shows"), "citation digits stripped: {promise}");
    let eligibility = &trial.plain_language[4].text;
    assert!(eligibility.ends_with("effective contraception."), "glued heading split off: {eligibility}");
    assert!(trial.plain_language.iter().all(|item| item.source == 0));
    assert_eq!(trial.eligibility.criteria_text, None, "a paraphrase is not the registered criteria");
    // The participant-group list is repeated four times on the page.
    assert_eq!(trial.arm_groups.len(), 1);
    assert_eq!(trial.arm_groups[0].label, "Systemic lupus erythematosus (SLE)");
}

#[test]
fn seed_001_trial_finder_fields() {
    let Some((uri, bytes)) = seed("001") else { return };
    let page = trial_of(&uri, &bytes);
    let trial = &page.trial;
    assert_eq!(page.layout, "trial-finder");
    assert_eq!(trial.id, "NCT06410833");
    assert_eq!(trial.secondary_ids.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["K3926"]);
    assert_eq!(trial.title(), "Belimumab After Rituximab in Resistant Primary Juvenile SS");
    assert_eq!(trial.lead_sponsor.as_ref().map(|s| s.name.as_str()), Some("Peking Union Medical College Hospital"));
    assert_eq!(trial.phases, [Phase::Phase4]);
    assert_eq!(trial.overall_status, Some(OverallStatus::Recruiting));
    assert_eq!(trial.eligibility.minimum_age, Some(Duration::years(5.0)));
    assert_eq!(trial.eligibility.maximum_age, Some(Duration::years(18.0)));
    assert_eq!(trial.eligibility.sex, Some(Sex::All));
    assert_eq!(trial.enrollment.as_ref().map(|e| e.count), Some(15));
    let start = trial.start_date.as_ref().unwrap();
    assert_eq!(start.date, PartialDate::ymd(2024, 3, 9));
    let completion = trial.completion_date.as_ref().unwrap();
    assert_eq!(
        (completion.date, completion.actuality.clone()),
        (PartialDate::ymd(2026, 12, 31), Some(Actuality::Estimated))
    );
    assert_eq!(trial.conditions, ["Dermatomyositis (Connective Tissue Disease)", "Sjogren's Syndrome"]);
    assert_eq!(trial.intervention_names().collect::<Vec<_>>(), ["Belimumab", "Rituximab"]);
    let site = &trial.locations[0];
    assert_eq!(site.facility.as_deref(), Some("Peking Union Medical College Hospital"));
    assert_eq!((site.city.as_deref(), site.zip.as_deref()), (Some("Beijing"), Some("100730")));
    assert_eq!(site.country.as_deref(), Some("China"));

    let criteria = trial.eligibility.criteria_text.as_deref().unwrap();
    assert!(criteria.starts_with("Inclusion Criteria:\n1. Age 5-18 years old."), "{criteria}");
    assert_eq!(
        criteria.matches("Inclusion Criteria:").count(),
        1,
        "'Inclusion' + 'Inclusion Criteria:' is one heading"
    );
    assert!(criteria.contains("Hepatitis B surface antibody positive"), "glued words repaired");
    assert!(criteria.contains("Hepatitis C antibody positive"));
    assert!(!criteria.contains("Sign up"), "sign-up boilerplate dropped");
    assert!(trial.brief_summary.as_deref().unwrap().starts_with("The goal of this clinical trial"));
    assert_eq!(trial.provenance["overall_status"].confidence, 0.8);
}

#[test]
fn seed_003_registry_listing_fields() {
    let Some((uri, bytes)) = seed("003") else { return };
    let page = trial_of(&uri, &bytes);
    let trial = &page.trial;
    assert_eq!(page.layout, "registry-listing");
    assert_eq!(trial.title(), "Belimumab Treatment for IgG4-related Disease");
    assert_eq!(trial.overall_status, Some(OverallStatus::Recruiting));
    assert_eq!(trial.completion_date.as_ref().map(|d| d.date), Some(PartialDate::ymd(2023, 12, 1)));
    let enrollment = trial.enrollment.as_ref().unwrap();
    assert_eq!((enrollment.count, enrollment.actuality.clone()), (0, Some(Actuality::Estimated)));
    assert_eq!(trial.eligibility.sex, Some(Sex::All));
    assert_eq!(trial.eligibility.healthy_volunteers, Some(false));
    assert_eq!(trial.phases, [Phase::Phase4]);
    assert_eq!(trial.lead_sponsor.as_ref().map(|s| s.name.as_str()), Some("Peking Union Medical College Hospital"));
    assert_eq!(trial.intervention_names().collect::<Vec<_>>(), ["Belimumab", "Prednisone"]);
    let criteria = trial.eligibility.criteria_text.as_deref().unwrap();
    assert!(criteria.starts_with("Inclusion Criteria:\n1. Male or female adults"));
    assert!(criteria.contains("Exclusion Criteria:\n1. Severe organ dysfunction."));
    assert!(trial.brief_summary.as_deref().unwrap().starts_with("Even though glucocorticoid"));
}

#[test]
fn seed_004_veeva_fields() {
    let Some((uri, bytes)) = seed("004") else { return };
    let page = trial_of(&uri, &bytes);
    let trial = &page.trial;
    assert_eq!(page.layout, "veeva");
    assert_eq!(trial.id, "NCT04127747");
    assert_eq!(trial.secondary_ids[0].id, "2019-233");
    assert!(trial.title().starts_with("Efficacy of Individualized Rituximab"));
    assert_eq!(trial.lead_sponsor.as_ref().map(|s| s.name.as_str()), Some("Zhejiang University"));
    assert_eq!(trial.overall_status, Some(OverallStatus::Unknown));
    assert_eq!(trial.phases, [Phase::Phase4]);
    let enrollment = trial.enrollment.as_ref().unwrap();
    assert_eq!((enrollment.count, enrollment.actuality.clone()), (110, Some(Actuality::Estimated)));
    assert_eq!(trial.eligibility.minimum_age, Some(Duration::years(18.0)));
    assert_eq!(trial.eligibility.maximum_age, Some(Duration::years(65.0)));
    assert_eq!(trial.eligibility.healthy_volunteers, Some(false));
    assert_eq!(trial.design.allocation, Some(Allocation::Randomized));
    assert_eq!(trial.design.intervention_model, Some(InterventionModel::Parallel));
    assert_eq!(trial.design.masking, Some(Masking::None));
    assert_eq!(trial.arm_groups.len(), 2);
    assert_eq!(trial.arm_groups[0].label, "Standard dose group");
    assert_eq!(trial.arm_groups[0].kind, Some(ArmGroupType::ActiveComparator));
    assert_eq!(trial.arm_groups[1].kind, Some(ArmGroupType::Experimental));
    assert_eq!(trial.arm_groups[1].intervention_names, ["Individualized dose of rituximab"]);
    assert!(trial.interventions.iter().all(|i| i.kind == Some(InterventionType::Drug)));
    assert_eq!(trial.conditions, ["Autoimmune Diseases"]);
    assert_eq!(trial.central_contacts[0].name.as_deref(), Some("Jing Xue"));
    let criteria = trial.eligibility.criteria_text.as_deref().unwrap();
    assert!(criteria.starts_with("Inclusion Criteria:\n1. Age, 18-65 years old"));
    assert!(criteria.contains("Exclusion Criteria:\n1. Abnormal liver function"));
    assert!(!criteria.contains("Veeva"), "footer boilerplate dropped");
}

#[test]
fn seed_002_publication_profile() {
    let Some((uri, bytes)) = seed("002") else { return };
    let publication = publication_of(&uri, &bytes);
    assert_eq!(publication.pmid.as_deref(), Some("29073351"));
    assert_eq!(publication.pmcid.as_deref(), Some("PMC6590997"));
    assert_eq!(publication.doi.as_deref(), Some("10.1002/art.40358"));
    assert_eq!(publication.scopus_id.as_deref(), Some("85039702655"));
    assert_eq!(publication.published, Some(PartialDate::ymd(2017, 12, 29)));
    assert_eq!((publication.volume.as_deref(), publication.issue.as_deref()), (Some("70"), Some("2")));
    assert!(publication.title.starts_with("Belimumab for the Treatment of Early Diffuse Systemic Sclerosis"));
    assert!(publication.title.ends_with("Pilot Trial."), "document type stripped: {}", publication.title);
    assert!(publication.abstract_text.as_deref().unwrap().starts_with("OBJECTIVE: To assess the safety"));
    assert_eq!(publication.keywords.len(), 3);
    assert_eq!(publication.key().as_deref(), Some("PMID:29073351"));
}
