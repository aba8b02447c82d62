//! Pages and publication files written by the team in the layouts of the
//! services Eligo knows (as HTML and as text), with missing fields, broken
//! markup, an unknown layout, a page that is not about a trial, and
//! publication sets with corrupt articles.

mod common;

use common::{fixture, publication_of, trial_of};
use eligo_model::{Actuality, ArmGroupType, Duration, Masking, OverallStatus, PartialDate, Phase, Sex};
use eligo_pages::{read_page, ItemError, PageError, PageOrigin, PublicationRecord};

#[test]
fn veeva_as_html_reads_like_veeva_as_text() {
    let page = trial_of("veeva.html", &fixture("veeva.html"));
    let trial = &page.trial;
    assert_eq!(page.layout, "veeva");
    assert_eq!(trial.id, "NCT09000001");
    assert_eq!(trial.title(), "Tocilizumab for Early Systemic Sclerosis With Interstitial Lung Disease");
    assert_eq!(trial.lead_sponsor.as_ref().map(|s| s.name.as_str()), Some("Example University Hospital"));
    assert_eq!(trial.overall_status, Some(OverallStatus::Recruiting));
    assert_eq!(trial.phases, [Phase::Phase2]);
    assert_eq!(trial.conditions, ["Systemic Sclerosis", "Interstitial Lung Disease"]);
    assert_eq!(
        trial.enrollment.as_ref().map(|e| (e.count, e.actuality.clone())),
        Some((60, Some(Actuality::Estimated)))
    );
    assert_eq!(trial.eligibility.minimum_age, Some(Duration::years(18.0)));
    assert_eq!(trial.eligibility.maximum_age, None);
    assert_eq!(trial.design.masking, Some(Masking::Quadruple));
    let kinds: Vec<_> = trial.arm_groups.iter().map(|a| a.kind.clone()).collect();
    assert_eq!(kinds, [Some(ArmGroupType::Experimental), Some(ArmGroupType::PlaceboComparator)]);
    let contact = &trial.central_contacts[0];
    assert_eq!(contact.name.as_deref(), Some("Ana Lima"));
    assert_eq!(contact.email.as_deref(), Some("ana.lima@example.org"));
    let criteria = trial.eligibility.criteria_text.as_deref().unwrap();
    assert_eq!(
        criteria,
        "Inclusion Criteria:\nDiagnosis of systemic sclerosis within 5 years.\nFVC of 55% predicted or more.\n\
         Exclusion Criteria:\nPrior tocilizumab.\nActive infection."
    );
    assert!(!trial.brief_summary.as_deref().unwrap_or_default().contains("window.dataLayer"), "scripts skipped");
}

#[test]
fn missing_fields_stay_empty_and_unreadable_values_are_warnings() {
    let page = trial_of("trial-finder-missing.txt", &fixture("trial-finder-missing.txt"));
    let trial = &page.trial;
    assert_eq!(page.layout, "trial-finder");
    assert_eq!(trial.id, "NCT09000002");
    assert!(trial.phases.is_empty(), "no phase on the page");
    assert!(trial.locations.is_empty());
    assert_eq!(trial.completion_date, None);
    assert_eq!(trial.eligibility.sex, Some(Sex::Female));
    assert_eq!(trial.eligibility.minimum_age, Some(Duration::years(12.0)));
    assert_eq!(trial.enrollment.as_ref().map(|e| e.count), Some(40));
    assert_eq!(trial.start_date, None, "an unreadable date is not guessed");
    assert!(page.warnings.iter().any(|w| w.contains("Sometime next spring")), "{:?}", page.warnings);
    assert!(!trial.provenance.contains_key("phases"), "provenance only for present fields");
}

#[test]
fn registry_listing_as_html() {
    let page = trial_of("registry-listing.html", &fixture("registry-listing.html"));
    let trial = &page.trial;
    assert_eq!(page.layout, "registry-listing");
    assert_eq!(trial.title(), "Belimumab Treatment for IgG4-related Disease");
    assert_eq!(trial.enrollment.as_ref().map(|e| e.count), Some(30));
    assert_eq!(trial.conditions, ["IgG4-related Disease"]);
    assert_eq!(trial.completion_date.as_ref().map(|d| d.date), Some(PartialDate::ymd(2023, 12, 1)));
    assert!(trial.eligibility.criteria_text.as_deref().unwrap().ends_with("Exclusion Criteria:\n1. Severe infection."));
}

#[test]
fn broken_markup_is_repaired_and_read() {
    let page = trial_of("broken.html", &fixture("broken.html"));
    let trial = &page.trial;
    assert_eq!(trial.id, "NCT09000003");
    assert_eq!(trial.title(), "Anifrolumab in Cutaneous Lupus");
    assert_eq!(trial.overall_status, Some(OverallStatus::NotYetRecruiting));
    assert_eq!(trial.phases, [Phase::Phase2]);
    assert_eq!(trial.eligibility.maximum_age, Some(Duration::years(75.0)));
    assert_eq!(trial.central_contacts[0].name.as_deref(), Some("Study Desk & Team"));
}

#[test]
fn unknown_layouts_fall_back_to_the_generic_reader_with_lower_confidence() {
    let page = trial_of("generic.txt", &fixture("generic.txt"));
    let trial = &page.trial;
    assert_eq!(page.layout, "generic");
    assert_eq!(trial.title(), "A Study of Dupilumab in Eosinophilic Esophagitis");
    assert_eq!(trial.overall_status, Some(OverallStatus::Recruiting));
    assert_eq!(trial.phases, [Phase::Phase3]);
    assert_eq!(trial.lead_sponsor.as_ref().map(|s| s.name.as_str()), Some("Example Pharma Inc."));
    assert_eq!(trial.intervention_names().collect::<Vec<_>>(), ["Dupilumab"]);
    assert_eq!(trial.eligibility.maximum_age, Some(Duration::years(65.0)));
    assert_eq!(trial.start_date.as_ref().map(|d| d.date), Some(PartialDate::ymd(2025, 1, 15)));
    assert!(trial.id.starts_with("LISTING-"));
    assert!(trial.provenance.values().all(|p| p.confidence <= 0.5));
}

#[test]
fn a_page_that_is_not_about_a_trial_is_refused_with_a_reason() {
    let error = read_page(&fixture("not-a-trial.html"), &PageOrigin::new("cafeteria.html")).unwrap_err();
    assert!(matches!(error, PageError::NotATrial(_)), "{error}");
    assert!(error.to_string().contains("no NCT ID"), "{error}");
}

#[test]
fn unreadable_pages_are_refused_with_a_reason() {
    for bytes in [&b"\xff\xfe\x00\x00garbage"[..], b"", b"   \n\n"] {
        let error = read_page(bytes, &PageOrigin::new("bad")).unwrap_err();
        assert!(matches!(error, PageError::Unreadable(_)), "{error}");
    }
}

#[test]
fn publication_profile_as_html() {
    let publication = publication_of("profile.html", &fixture("profile.html"));
    assert_eq!(publication.title, "Rituximab Maintenance in Lupus: A Randomized Trial");
    assert_eq!(publication.pmid.as_deref(), Some("35000001"));
    assert_eq!(publication.nct_ids, ["NCT04127747"], "NCT IDs named in the abstract");
    assert_eq!(publication.published, Some(PartialDate::ymd(2022, 3, 3)));
}

fn read_all(
    reader: impl Fn(&[u8], &PageOrigin, &mut dyn FnMut(Result<PublicationRecord, ItemError>)) -> usize,
    bytes: &[u8],
) -> (Vec<PublicationRecord>, Vec<ItemError>) {
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    reader(bytes, &PageOrigin::new("set"), &mut |result| match result {
        Ok(record) => good.push(record),
        Err(error) => bad.push(error),
    });
    (good, bad)
}

fn pubmed(bytes: &[u8], origin: &PageOrigin, sink: &mut dyn FnMut(Result<PublicationRecord, ItemError>)) -> usize {
    eligo_pages::pubmed::read(bytes, origin, sink).expect("in-memory reads cannot fail")
}

fn medline(bytes: &[u8], origin: &PageOrigin, sink: &mut dyn FnMut(Result<PublicationRecord, ItemError>)) -> usize {
    eligo_pages::medline::read(bytes, origin, sink).expect("in-memory reads cannot fail")
}

#[test]
fn pubmed_xml_reads_good_articles_and_names_the_corrupt_ones() {
    let (good, bad) = read_all(pubmed, &fixture("pubmed-set.xml"));
    let pmids: Vec<&str> = good.iter().filter_map(|r| r.publication.pmid.as_deref()).collect();
    assert_eq!(pmids, ["35000002", "35000004"]);
    let errors: Vec<String> = bad.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("article 2: malformed XML"), "{errors:?}");
    assert!(errors[1].starts_with("article 4: no PMID"), "{errors:?}");

    let first = &good[0].publication;
    assert_eq!(first.doi.as_deref(), Some("10.1000/aer.2023.0042"));
    assert_eq!(first.pmcid.as_deref(), Some("PMC9000002"));
    assert_eq!(first.published, Some(PartialDate::ymd(2023, 1, 17)), "electronic date first");
    assert_eq!((first.volume.as_deref(), first.issue.as_deref()), (Some("81"), Some("4")));
    assert_eq!(first.pages.as_deref(), Some("501-510"));
    assert_eq!(first.journal.as_deref(), Some("Annals of Example Rheumatology"));
    assert_eq!(first.nct_ids, ["NCT04127747"]);
    assert_eq!(first.authors[0].name, "Xue J");
    assert_eq!(first.authors[1].name, "Example Lupus Study Group");
    assert_eq!(first.mesh_terms, ["Lupus Erythematosus, Systemic", "Rituximab"]);
    assert!(first
        .abstract_text
        .as_deref()
        .unwrap()
        .starts_with("OBJECTIVE: To compare individualized with standard rituximab dosing & relapse."));
    let third = &good[1].publication;
    assert!(third.title.contains("with background mycophenolate"), "inline markup kept as text: {}", third.title);
    assert_eq!(third.published.map(|d| d.year), Some(2021));
}

#[test]
fn a_truncated_pubmed_file_reports_the_cut_article() {
    let bytes = fixture("pubmed-set.xml");
    let cut = &bytes[..bytes.len() / 3];
    let (good, bad) = read_all(pubmed, cut);
    assert!(good.len() <= 1);
    assert!(bad.last().unwrap().reason.starts_with("truncated"), "{bad:?}");
}

#[test]
fn medline_text_reads_good_records_and_names_the_bad_one() {
    let (good, bad) = read_all(medline, &fixture("records.nbib"));
    assert_eq!(good.len(), 2);
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].location, "article 2");
    let first = &good[0].publication;
    assert_eq!(first.pmid.as_deref(), Some("29073351"));
    assert!(first.title.ends_with("Results of a Randomized, Double-Blind, Placebo-Controlled, Pilot Trial."));
    assert_eq!(first.doi.as_deref(), Some("10.1002/art.40358"));
    assert_eq!(first.pmcid.as_deref(), Some("PMC6590997"));
    assert_eq!(first.published, Some(PartialDate::ymd(2017, 12, 29)));
    assert_eq!(first.authors[0].affiliation.as_deref(), Some("Hospital for Special Surgery, New York, New York."));
    assert_eq!(first.mesh_terms, ["Antibodies, Monoclonal, Humanized", "Scleroderma, Diffuse"]);
    assert_eq!(first.nct_ids, ["NCT01670565"]);
    assert_eq!(first.journal.as_deref(), Some("Arthritis & rheumatology (Hoboken, N.J.)"));
}

#[test]
fn patient_summary_as_html_keeps_the_q_and_a_apart() {
    let page = trial_of("patient-summary.html", &fixture("patient-summary.html"));
    let trial = &page.trial;
    assert_eq!(page.layout, "patient-summary");
    assert_eq!(trial.title(), "Abatacept + Methotrexate for Rheumatoid Arthritis");
    assert_eq!(trial.intervention_names().collect::<Vec<_>>(), ["Abatacept", "Methotrexate"]);
    assert_eq!(trial.conditions, ["Rheumatoid Arthritis"]);
    assert_eq!(trial.eligibility.maximum_age, Some(Duration::years(75.0)));
    let topics: Vec<&str> = trial.plain_language.iter().map(|item| item.topic.as_str()).collect();
    assert_eq!(topics, ["safety", "promise", "requirements", "uniqueness", "eligibility"]);
    assert!(trial.plain_language[1].text.starts_with("Research shows"), "{}", trial.plain_language[1].text);
    assert_eq!(trial.arm_groups.len(), 1, "the repeated list is read once");
    assert_eq!(trial.eligibility.criteria_text, None);
}
