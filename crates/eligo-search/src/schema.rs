//! The index schema and how a [`Trial`] becomes a tantivy document.
//!
//! Text goes into separate fields per part of the record so that the query side can weigh them:
//! a condition named in the conditions list or the title matters more than one in the summary,
//! and far more than one that only appears in an *exclusion* criterion. The criteria text is
//! therefore split at its "Exclusion criteria" heading into `inclusion` and `exclusion`.
//!
//! Filters are facets (one hierarchical field, `/status/RECRUITING`, `/phase/PHASE2`, ...) so that
//! one collector counts all of them; ages, dates and enrollment are fast numeric fields; site
//! coordinates are packed two-in-one into a multi-valued `u64` fast field read by the distance
//! filter and sort.

use eligo_model::{GeoPoint, Sex, Trial};
use eligo_vocab::{Category, Vocabulary};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter,
    TextAnalyzer,
};
use tantivy::{Index, TantivyDocument};

use crate::gazetteer::Gazetteer;
use crate::request::Hit;

/// Bumped whenever the schema or the analysis changes; an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 4;

/// English text: split on non-alphanumerics, fold case and diacritics, drop stop words, stem.
pub const TEXT_ANALYZER: &str = "eligo_text";
/// Identifiers: the whole value, lower-cased.
pub const ID_ANALYZER: &str = "eligo_id";

/// Age used for a missing maximum age ("no upper limit").
pub const NO_MAX_AGE: f64 = 1_000.0;

/// Every field of the index, resolved once.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    pub ids: Field,
    pub title: Field,
    pub conditions: Field,
    pub interventions: Field,
    pub summary: Field,
    pub description: Field,
    pub inclusion: Field,
    pub exclusion: Field,
    pub sponsor: Field,
    /// Condition concepts the trial is about, untokenised: `=ID` for each concept its conditions,
    /// titles and keywords name, and `ID` for each of those and every ancestor (see
    /// [`concept_terms`]).
    pub concepts: Field,
    pub facet: Field,
    pub min_age: Field,
    pub max_age: Field,
    pub enrollment: Field,
    pub start_date: Field,
    pub last_update: Field,
    pub open: Field,
    pub site: Field,
    /// Stored only: `lat|lon|label` per site, for the nearest-site line of a hit.
    pub site_label: Field,
    /// Stored only: the display fields of a hit, as JSON.
    pub display: Field,
}

/// Fast-field names used by the query side.
pub const SITE_FIELD: &str = "site";
/// The trial id, also a fast field so that candidate retrieval reads no stored document.
pub const ID_FIELD: &str = "id";
pub const OPEN_FIELD: &str = "open";
pub const LAST_UPDATE_FIELD: &str = "last_update";

pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TEXT_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let id_text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(ID_ANALYZER).set_index_option(IndexRecordOption::WithFreqs),
    );
    let number = || NumericOptions::default().set_indexed().set_fast();
    let fields = Fields {
        id: b.add_text_field(ID_FIELD, STRING | STORED | FAST),
        ids: b.add_text_field("ids", id_text),
        title: b.add_text_field("title", text(true)),
        conditions: b.add_text_field("conditions", text(true)),
        interventions: b.add_text_field("interventions", text(false)),
        summary: b.add_text_field("summary", text(true)),
        description: b.add_text_field("description", text(false)),
        inclusion: b.add_text_field("inclusion", text(false)),
        exclusion: b.add_text_field("exclusion", text(false)),
        sponsor: b.add_text_field("sponsor", text(false)),
        concepts: b.add_text_field("concepts", STRING),
        facet: b.add_facet_field("facet", FacetOptions::default()),
        min_age: b.add_f64_field("min_age", number()),
        max_age: b.add_f64_field("max_age", number()),
        enrollment: b.add_u64_field("enrollment", number()),
        start_date: b.add_u64_field("start_date", number()),
        last_update: b.add_u64_field(LAST_UPDATE_FIELD, number()),
        open: b.add_u64_field(OPEN_FIELD, FAST | INDEXED),
        site: b.add_u64_field(SITE_FIELD, FAST),
        site_label: b.add_text_field("site_label", STORED),
        display: b.add_text_field("display", STORED),
    };
    (b.build(), fields)
}

/// Registers the analyzers the schema names; must run on every opened index.
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
    let id = TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build();
    index.tokenizers().register(ID_ANALYZER, id);
}

/// The analyzer of every text field: words, lower-cased, folded, English stop words out, stemmed.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::new(Language::English).unwrap_or_else(|| StopWordFilter::remove(Vec::new())))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Packs a coordinate pair into one `u64` (32 bits each, ~1 cm resolution) so that a site's
/// latitude and longitude stay paired in a multi-valued fast field.
pub fn pack_point(point: GeoPoint) -> u64 {
    let lat = ((point.lat + 90.0) / 180.0 * u32::MAX as f64).round() as u64;
    let lon = ((point.lon + 180.0) / 360.0 * u32::MAX as f64).round() as u64;
    (lat << 32) | lon
}

pub fn unpack_point(packed: u64) -> GeoPoint {
    let lat = (packed >> 32) as f64 / u32::MAX as f64 * 180.0 - 90.0;
    let lon = (packed & u32::MAX as u64) as f64 / u32::MAX as f64 * 360.0 - 180.0;
    GeoPoint { lat, lon }
}

/// Facet dimensions, in the order they are reported.
pub const FACETS: &[&str] =
    &["status", "phase", "study_type", "intervention_type", "sex", "std_age", "country", "sponsor_class"];

/// Splits registered criteria text at its exclusion heading: (inclusion part, exclusion part).
/// Text without such a heading counts as inclusion.
pub fn split_criteria(text: &str) -> (&str, &str) {
    let lower = text.to_ascii_lowercase();
    match lower.find("exclusion criteria").or_else(|| lower.find("exclusion:")) {
        Some(at) if text.is_char_boundary(at) => (&text[..at], &text[at..]),
        _ => (text, ""),
    }
}

/// Builds the document for one trial. Sites without coordinates are placed with the gazetteer
/// when their city is known.
pub fn trial_document(trial: &Trial, f: &Fields, gazetteer: &Gazetteer) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &trial.id);
    for id in trial.all_ids() {
        doc.add_text(f.ids, id);
    }
    for title in [&trial.brief_title, &trial.official_title, &trial.acronym].into_iter().flatten() {
        doc.add_text(f.title, title);
    }
    let mesh = trial.condition_mesh.iter().map(|m| &m.term);
    for condition in trial.conditions.iter().chain(&trial.keywords).chain(mesh) {
        doc.add_text(f.conditions, condition);
    }
    for name in trial.intervention_names().chain(trial.intervention_mesh.iter().map(|m| m.term.as_str())) {
        doc.add_text(f.interventions, name);
    }
    if let Some(summary) = &trial.brief_summary {
        doc.add_text(f.summary, summary);
    }
    if let Some(description) = &trial.detailed_description {
        doc.add_text(f.description, description);
    }
    if let Some(criteria) = &trial.eligibility.criteria_text {
        let (inclusion, exclusion) = split_criteria(criteria);
        doc.add_text(f.inclusion, inclusion);
        doc.add_text(f.exclusion, exclusion);
    }
    for sponsor in trial.lead_sponsor.iter().chain(&trial.collaborators) {
        doc.add_text(f.sponsor, &sponsor.name);
    }
    for term in concept_terms(trial) {
        doc.add_text(f.concepts, term);
    }
    add_facets(&mut doc, trial, f, gazetteer);
    add_numbers(&mut doc, trial, f);
    add_sites(&mut doc, trial, f, gazetteer);
    let display = display_of(trial);
    doc.add_text(f.display, serde_json::to_string(&display).unwrap_or_default());
    doc
}

/// Prefix of a concept term that names the trial's own concept (not an ancestor of it).
pub const OWN_CONCEPT: &str = "=";

/// The condition concepts a trial is about, as index terms: `=ID` for each concept its
/// conditions, titles and keywords mention, `ID` for each of those and all their ancestors. A
/// patient's concept `P` then finds trials about `P` or anything under it (term `P`), and a
/// patient's ancestor `A` finds trials about `A` itself (term `=A`): "primary Sjögren syndrome"
/// finds trials about "Sjögren syndrome", without every trial that shares a distant ancestor.
pub fn concept_terms(trial: &Trial) -> Vec<String> {
    let vocab = Vocabulary::embedded();
    let texts = trial.brief_title.iter().chain(&trial.official_title).chain(&trial.conditions).chain(&trial.keywords);
    let mut own: Vec<String> = texts
        .flat_map(|t| vocab.find_mentions(t))
        .filter(|m| m.category == Category::Condition)
        .flat_map(|m| m.concept_ids)
        .collect();
    own.sort_unstable();
    own.dedup();
    let mut terms: Vec<String> = own.iter().map(|id| format!("{OWN_CONCEPT}{id}")).collect();
    let mut under: Vec<String> = own.to_vec();
    under.extend(own.iter().flat_map(|id| vocab.ancestors(id)).map(|c| c.id.clone()));
    under.sort_unstable();
    under.dedup();
    terms.extend(under);
    terms
}

fn add_facets(doc: &mut TantivyDocument, trial: &Trial, f: &Fields, gazetteer: &Gazetteer) {
    let mut add = |dimension: &str, value: &str| doc.add_facet(f.facet, Facet::from_path([dimension, value]));
    if let Some(status) = &trial.overall_status {
        add("status", status.as_api_str());
    }
    for phase in &trial.phases {
        add("phase", phase.as_api_str());
    }
    if let Some(kind) = &trial.study_type {
        add("study_type", kind.as_api_str());
    }
    let mut kinds: Vec<&str> =
        trial.interventions.iter().filter_map(|i| i.kind.as_ref()).map(|k| k.as_api_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        add("intervention_type", kind);
    }
    // No stated sex means no restriction, as on the registry.
    add("sex", trial.eligibility.sex.as_ref().unwrap_or(&Sex::All).as_api_str());
    for age in &trial.eligibility.std_ages {
        add("std_age", age.as_api_str());
    }
    let mut countries: Vec<String> = trial
        .locations
        .iter()
        .filter_map(|l| l.country.as_deref())
        .map(|c| gazetteer.country_code(c).map(str::to_string).unwrap_or_else(|| c.to_string()))
        .collect();
    countries.sort_unstable();
    countries.dedup();
    for country in &countries {
        add("country", country);
    }
    if let Some(class) = trial.lead_sponsor.as_ref().and_then(|s| s.class.as_ref()) {
        add("sponsor_class", class.as_api_str());
    }
}

/// Days since 1970-01-01 of a date, for the numeric date fields (0 = unknown).
fn day_number(date: Option<&eligo_model::TrialDate>) -> u64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1);
    date.and_then(|d| d.date.to_naive()).zip(epoch).map(|(d, e)| (d - e).num_days().max(0) as u64).unwrap_or(0)
}

fn add_numbers(doc: &mut TantivyDocument, trial: &Trial, f: &Fields) {
    let eligibility = &trial.eligibility;
    doc.add_f64(f.min_age, eligibility.minimum_age.map_or(0.0, |d| d.as_years()));
    doc.add_f64(f.max_age, eligibility.maximum_age.map_or(NO_MAX_AGE, |d| d.as_years()));
    doc.add_u64(f.enrollment, trial.enrollment.as_ref().map_or(0, |e| u64::from(e.count)));
    doc.add_u64(f.start_date, day_number(trial.start_date.as_ref()));
    doc.add_u64(f.last_update, day_number(trial.last_update_posted.as_ref()));
    doc.add_u64(f.open, u64::from(trial.is_recruiting()));
}

fn add_sites(doc: &mut TantivyDocument, trial: &Trial, f: &Fields, gazetteer: &Gazetteer) {
    for location in &trial.locations {
        let point = location.geo.filter(GeoPoint::is_valid).or_else(|| {
            let city = location.city.as_deref()?;
            gazetteer.city(city, location.country.as_deref()).map(|c| c.point)
        });
        let Some(point) = point else { continue };
        doc.add_u64(f.site, pack_point(point));
        let label = [location.facility.as_deref(), location.city.as_deref(), location.country.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        doc.add_text(f.site_label, format!("{}|{}|{}", point.lat, point.lon, label));
    }
}

/// The hit a search returns for this trial, stored in the index so that results need no store
/// look-up (score, snippets and nearest site are filled in per search).
fn display_of(trial: &Trial) -> Hit {
    let eligibility = &trial.eligibility;
    Hit {
        id: trial.id.clone(),
        nct_id: trial.nct_id.clone(),
        title: trial.title().to_string(),
        status: trial.overall_status.as_ref().map(|s| s.as_api_str().to_string()),
        phases: trial.phases.iter().map(|p| p.as_api_str().to_string()).collect(),
        conditions: trial.conditions.clone(),
        sponsor: trial.lead_sponsor.as_ref().map(|s| s.name.clone()),
        min_age_years: eligibility.minimum_age.map(|d| d.as_years()),
        max_age_years: eligibility.maximum_age.map(|d| d.as_years()),
        sex: eligibility.sex.as_ref().map(|s| s.as_api_str().to_string()),
        last_update: trial.last_update_posted.as_ref().map(|d| d.date.to_string()),
        ..Hit::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_points_round_trip_to_centimetres() {
        for point in [GeoPoint { lat: 39.9075, lon: 116.3972 }, GeoPoint { lat: -90.0, lon: 180.0 }] {
            let back = unpack_point(pack_point(point));
            assert!(point.distance_km(&back) < 0.001, "{point:?} -> {back:?}");
        }
    }

    #[test]
    fn criteria_split_at_the_exclusion_heading() {
        let (inc, exc) = split_criteria("Inclusion Criteria:\n- SLE\nExclusion Criteria:\n- lupus nephritis");
        assert!(inc.contains("SLE") && !inc.contains("nephritis"));
        assert!(exc.starts_with("Exclusion Criteria") && exc.contains("nephritis"));
        assert_eq!(split_criteria("adults with asthma"), ("adults with asthma", ""));
    }
}
