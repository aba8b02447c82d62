//! Fixture trials and a store + index pair in a temporary directory.
#![allow(dead_code)]

use eligo_model::*;
use eligo_search::{SearchIndex, SearchRequest, SearchResults};
use eligo_store::SharedStore;

/// A trial with the fields search looks at; everything else default.
pub struct Fixture {
    pub trial: Trial,
}

impl Fixture {
    pub fn new(id: &str, title: &str) -> Fixture {
        Fixture {
            trial: Trial {
                id: id.into(),
                nct_id: Some(id.into()),
                brief_title: Some(title.into()),
                study_type: Some(StudyType::Interventional),
                ..Trial::default()
            },
        }
    }

    pub fn status(mut self, status: OverallStatus) -> Self {
        self.trial.overall_status = Some(status);
        self
    }

    pub fn phase(mut self, phase: Phase) -> Self {
        self.trial.phases.push(phase);
        self
    }

    pub fn conditions(mut self, conditions: &[&str]) -> Self {
        self.trial.conditions = conditions.iter().map(|c| c.to_string()).collect();
        self
    }

    pub fn drug(mut self, name: &str, other_names: &[&str]) -> Self {
        self.trial.interventions.push(Intervention {
            kind: Some(InterventionType::Drug),
            name: name.into(),
            other_names: other_names.iter().map(|n| n.to_string()).collect(),
            ..Intervention::default()
        });
        self
    }

    pub fn summary(mut self, text: &str) -> Self {
        self.trial.brief_summary = Some(text.into());
        self
    }

    pub fn criteria(mut self, text: &str) -> Self {
        self.trial.eligibility.criteria_text = Some(text.into());
        self
    }

    pub fn ages(mut self, min: Option<f64>, max: Option<f64>) -> Self {
        self.trial.eligibility.minimum_age = min.map(Duration::years);
        self.trial.eligibility.maximum_age = max.map(Duration::years);
        self
    }

    pub fn std_ages(mut self, ages: &[StdAge]) -> Self {
        self.trial.eligibility.std_ages = ages.to_vec();
        self
    }

    pub fn sex(mut self, sex: Sex) -> Self {
        self.trial.eligibility.sex = Some(sex);
        self
    }

    pub fn sponsor(mut self, name: &str, class: AgencyClass) -> Self {
        self.trial.lead_sponsor = Some(Sponsor { name: name.into(), class: Some(class) });
        self
    }

    /// A site; `geo` as registered, or `None` to make the index place it with the gazetteer.
    pub fn site(mut self, city: &str, country: &str, geo: Option<(f64, f64)>) -> Self {
        self.trial.locations.push(Location {
            city: Some(city.into()),
            country: Some(country.into()),
            geo: geo.map(|(lat, lon)| GeoPoint { lat, lon }),
            ..Location::default()
        });
        self
    }

    pub fn updated(mut self, date: &str) -> Self {
        self.trial.last_update_posted = Some(TrialDate::new(date.parse().expect("fixture date"), None));
        self
    }

    pub fn observational(mut self) -> Self {
        self.trial.study_type = Some(StudyType::Observational);
        self
    }

    pub fn build(self) -> Trial {
        self.trial
    }
}

/// The two seed trials, with the facts their pages state.
pub fn seed_trials() -> Vec<Trial> {
    vec![
        Fixture::new(
            "NCT04127747",
            "Efficacy of Individualized Rituximab in Maintaining Remission of Moderate and Severe Systemic Lupus Erythematosus",
        )
        .status(OverallStatus::Unknown)
        .phase(Phase::Phase4)
        .conditions(&["Autoimmune Diseases"])
        .drug("Individualized dose of rituximab", &[])
        .drug("Standard dose of rituximab", &[])
        .summary("Several clinical studies have shown that rituximab is safe and effective for the induction of remission in moderate to severe systemic lupus erythematosus.")
        .ages(Some(18.0), Some(65.0))
        .std_ages(&[StdAge::Adult])
        .sex(Sex::All)
        .sponsor("Zhejiang University", AgencyClass::Other)
        .site("Hangzhou", "China", None)
        .updated("2019-10-16")
        .build(),
        Fixture::new("NCT06410833", "Belimumab After Rituximab in Resistant Primary Juvenile SS")
            .status(OverallStatus::Recruiting)
            .phase(Phase::Phase4)
            .conditions(&["Dermatomyositis (Connective Tissue Disease)", "Sjogren's Syndrome"])
            .drug("Belimumab", &[])
            .drug("Rituximab", &[])
            .summary("The goal of this clinical trial is to explore the effectiveness of sequential use of rituximab and belimumab in the treatment of resistant primary juvenile Sjogren's syndrome.")
            .criteria("Inclusion Criteria:\n1. Age 5-18 years old.\nExclusion Criteria:\n1. Previously treated with rituximab within six months")
            .ages(Some(5.0), Some(18.0))
            .std_ages(&[StdAge::Child, StdAge::Adult])
            .sex(Sex::All)
            .sponsor("Peking Union Medical College Hospital", AgencyClass::Other)
            .site("Beijing", "China", Some((39.9042, 116.4074)))
            .updated("2024-05-14")
            .build(),
    ]
}

/// Seeds plus trials that exercise each filter and ranking rule.
pub fn fixture_trials() -> Vec<Trial> {
    let mut trials = seed_trials();
    trials.extend([
        Fixture::new("NCT90000001", "Belimumab in Adults With Active Lupus Nephritis")
            .status(OverallStatus::Recruiting)
            .phase(Phase::Phase3)
            .conditions(&["Lupus Nephritis"])
            .drug("Belimumab", &["Benlysta", "GSK1550188"])
            .ages(Some(18.0), Some(75.0))
            .std_ages(&[StdAge::Adult, StdAge::OlderAdult])
            .sex(Sex::Female)
            .sponsor("GlaxoSmithKline", AgencyClass::Industry)
            .site("Boston", "United States", Some((42.3601, -71.0589)))
            .updated("2025-02-01")
            .build(),
        Fixture::new("NCT90000002", "Inhaled Budesonide for Moderate Asthma")
            .status(OverallStatus::Recruiting)
            .phase(Phase::Phase2)
            .conditions(&["Asthma"])
            .drug("Budesonide", &[])
            .summary("A study of inhaled budesonide in adults with moderate persistent asthma.")
            .criteria("Inclusion Criteria:\n- Asthma for 1 year\nExclusion Criteria:\n- Systemic lupus erythematosus or other autoimmune disease")
            .ages(Some(18.0), None)
            .std_ages(&[StdAge::Adult, StdAge::OlderAdult])
            .sponsor("Assistance Publique - Hôpitaux de Paris", AgencyClass::Other)
            .site("Paris", "France", None)
            .updated("2025-06-30")
            .build(),
        Fixture::new("NCT90000003", "Anifrolumab in Systemic Lupus Erythematosus")
            .status(OverallStatus::Completed)
            .phase(Phase::Phase2)
            .conditions(&["Systemic Lupus Erythematosus"])
            .drug("Anifrolumab", &[])
            .summary("Anifrolumab for adults with active systemic lupus erythematosus despite standard therapy.")
            .ages(Some(18.0), Some(70.0))
            .std_ages(&[StdAge::Adult])
            .sex(Sex::All)
            .sponsor("AstraZeneca", AgencyClass::Industry)
            .site("Shanghai", "China", None)
            .updated("2022-01-10")
            .build(),
        Fixture::new("NCT90000004", "MabThera in Rheumatoid Arthritis")
            .status(OverallStatus::Completed)
            .phase(Phase::Phase3)
            .conditions(&["Rheumatoid Arthritis"])
            .drug("MabThera", &[])
            .ages(Some(18.0), Some(80.0))
            .sex(Sex::All)
            .sponsor("Hoffmann-La Roche", AgencyClass::Industry)
            .site("Basel", "Switzerland", None)
            .updated("2015-03-01")
            .build(),
        Fixture::new("NCT90000005", "Closed-Loop Insulin in Children With Type 1 Diabetes")
            .status(OverallStatus::NotYetRecruiting)
            .phase(Phase::NotApplicable)
            .conditions(&["Type 1 Diabetes"])
            .ages(Some(2.0), Some(12.0))
            .std_ages(&[StdAge::Child])
            .sex(Sex::All)
            .sponsor("The Hospital for Sick Children", AgencyClass::Other)
            .site("Toronto", "Canada", None)
            .updated("2026-01-15")
            .observational()
            .build(),
        Fixture::new("NCT90000006", "Hydroxychloroquine Levels in Cutaneous Sarcoidosis")
            .status(OverallStatus::Completed)
            .conditions(&["Cutaneous Sarcoidosis"])
            .summary("Blood levels of hydroxychloroquine in cutaneous sarcoidosis.")
            .updated("2020-01-01")
            .build(),
        Fixture::new("NCT90000007", "Hydroxychloroquine Levels in Cutaneous Sarcoidosis")
            .status(OverallStatus::Recruiting)
            .conditions(&["Cutaneous Sarcoidosis"])
            .summary("Blood levels of hydroxychloroquine in cutaneous sarcoidosis.")
            .updated("2020-01-01")
            .build(),
    ]);
    trials
}

/// A store and an index in a temporary data directory.
pub struct TestData {
    pub dir: tempfile::TempDir,
    pub store: SharedStore,
    pub index: SearchIndex,
}

impl TestData {
    pub fn with(trials: &[Trial]) -> TestData {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = eligo_store::open_store(&dir.path().display().to_string()).expect("store");
        store.upsert_trials(trials).expect("upsert");
        let index = SearchIndex::open(&dir.path().join("search-index")).expect("index");
        index.catch_up(&*store).expect("catch up");
        TestData { dir, store, index }
    }

    pub fn fixtures() -> TestData {
        TestData::with(&fixture_trials())
    }

    pub fn search(&self, request: &SearchRequest) -> SearchResults {
        self.index.search(request).unwrap_or_else(|e| panic!("{request:?}: {e}"))
    }

    pub fn ids(&self, request: &SearchRequest) -> Vec<String> {
        self.search(request).hits.into_iter().map(|h| h.id).collect()
    }

    pub fn text_ids(&self, query: &str) -> Vec<String> {
        self.ids(&SearchRequest { limit: Some(100), ..SearchRequest::text(query) })
    }
}
