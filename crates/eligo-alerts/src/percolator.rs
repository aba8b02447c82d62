//! The percolator: subscriptions indexed by what a matching trial must contain, so that a batch
//! of changed trials selects candidate subscriptions by lookup instead of running every
//! subscription's search. Candidates are then confirmed with the real query ([`crate::evaluate`]).
//!
//! Each subscription is filed under one set of keys, one of which every trial it matches has:
//!
//! * a category, under its concept (`c:ID`): a trial carries its condition concepts and all their
//!   ancestors, so a trial about anything under the category has the key;
//! * a search with text, under its anchor terms (`t:term`, see
//!   [`eligo_search::percolate::anchor_terms`]): the words and vocabulary synonyms of its most
//!   selective required phrase;
//! * a search without text but with a place, under the 1° grid cells its circle touches (`g:lat:lon`);
//! * anything else under no key: a candidate for every trial.

use std::collections::{HashMap, HashSet};

use eligo_model::{GeoPoint, Trial};
use eligo_search::{Gazetteer, SearchRequest, DEFAULT_RADIUS_KM};

use crate::subscription::Follows;
use crate::{AlertsError, Result};

/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.2;
/// Circles reaching this close to a pole are not filed by cells (longitude cells shrink to nothing).
const MAX_CELL_LATITUDE: f64 = 80.0;

/// Subscriptions (by their position in the slice given to [`Percolator::new`]) by key.
#[derive(Debug, Default)]
pub struct Percolator {
    by_key: HashMap<String, Vec<u32>>,
    everywhere: Vec<u32>,
}

impl Percolator {
    /// Files every subscription. Fails on a subscription whose text no longer parses.
    pub fn new<'a>(subscriptions: impl IntoIterator<Item = &'a Follows>) -> Result<Percolator> {
        let mut percolator = Percolator::default();
        for (slot, follows) in subscriptions.into_iter().enumerate() {
            match keys_of(follows)? {
                Some(keys) => keys.into_iter().for_each(|k| percolator.by_key.entry(k).or_default().push(slot as u32)),
                None => percolator.everywhere.push(slot as u32),
            }
        }
        Ok(percolator)
    }

    /// Subscriptions filed under no key (candidates for every trial).
    pub fn unanchored(&self) -> usize {
        self.everywhere.len()
    }

    /// The subscriptions that could match a trial with these keys, each once.
    pub fn candidates(&self, trial_keys: &TrialKeys) -> HashSet<u32> {
        let mut found: HashSet<u32> = self.everywhere.iter().copied().collect();
        for key in &trial_keys.0 {
            if let Some(slots) = self.by_key.get(key) {
                found.extend(slots);
            }
        }
        found
    }
}

/// Every key a trial has: its terms, its condition concepts with their ancestors (`c:`), its own
/// condition concepts (`e:`), the cells of its sites.
#[derive(Debug, Clone, Default)]
pub struct TrialKeys(HashSet<String>);

impl TrialKeys {
    pub fn of(trial: &Trial) -> TrialKeys {
        let mut keys: HashSet<String> =
            eligo_search::percolate::trial_terms(trial).into_iter().map(|t| format!("t:{t}")).collect();
        let concepts = eligo_search::concept_terms(trial);
        keys.extend(concepts.iter().map(|c| match c.strip_prefix('=') {
            Some(own) => format!("e:{own}"),
            None => format!("c:{c}"),
        }));
        keys.extend(site_points(trial).into_iter().map(|p| cell_key(p.lat.floor() as i32, p.lon.floor() as i32)));
        TrialKeys(keys)
    }

    /// Whether the trial is about this concept or one under it.
    pub fn has_concept(&self, concept: &str) -> bool {
        self.0.contains(&format!("c:{concept}"))
    }
}

/// Where a trial's sites are: registered coordinates, or the gazetteer's for the city (as the
/// search index places them).
pub fn site_points(trial: &Trial) -> Vec<GeoPoint> {
    trial.locations.iter().filter_map(site_point).collect()
}

pub fn site_point(location: &eligo_model::Location) -> Option<GeoPoint> {
    location.geo.filter(GeoPoint::is_valid).or_else(|| {
        let city = location.city.as_deref()?;
        Gazetteer::embedded().city(city, location.country.as_deref()).map(|c| c.point)
    })
}

fn keys_of(follows: &Follows) -> Result<Option<Vec<String>>> {
    match follows {
        Follows::Category { concept, .. } => Ok(Some(vec![format!("c:{concept}")])),
        Follows::PreScreen { answers: Some(answers), .. } => Ok(Some(answers.percolator_keys())),
        Follows::PreScreen { answers: None, .. } => {
            Err(AlertsError::Invalid("a pre-screen alert is filed only once its answers are opened".into()))
        }
        Follows::Search { request } => {
            if let Some(terms) = eligo_search::percolate::anchor_terms(request)? {
                return Ok(Some(terms.into_iter().map(|t| format!("t:{t}")).collect()));
            }
            Ok(cells_of(request))
        }
    }
}

/// The grid cells a request's circle touches, or `None` without a place (or near a pole or the
/// date line, where the cells are not worth their trouble).
fn cells_of(request: &SearchRequest) -> Option<Vec<String>> {
    let centre = request.near?;
    let radius = request.radius_km.unwrap_or(DEFAULT_RADIUS_KM);
    let dlat = radius / KM_PER_DEGREE;
    let dlon = radius / (KM_PER_DEGREE * centre.lat.to_radians().cos().max(0.01));
    let (south, north) = (centre.lat - dlat, centre.lat + dlat);
    let (west, east) = (centre.lon - dlon, centre.lon + dlon);
    if north > MAX_CELL_LATITUDE || south < -MAX_CELL_LATITUDE || west < -180.0 || east >= 180.0 {
        return None;
    }
    let mut cells = Vec::new();
    for lat in south.floor() as i32..=north.floor() as i32 {
        for lon in west.floor() as i32..=east.floor() as i32 {
            cells.push(cell_key(lat, lon));
        }
    }
    Some(cells)
}

fn cell_key(lat: i32, lon: i32) -> String {
    format!("g:{lat}:{lon}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trial(title: &str, condition: &str) -> Trial {
        Trial {
            id: "NCT00000001".into(),
            brief_title: Some(title.into()),
            conditions: vec![condition.into()],
            ..Trial::default()
        }
    }

    fn search(text: &str) -> Follows {
        Follows::Search { request: SearchRequest::text(text) }
    }

    #[test]
    fn a_trial_selects_searches_by_words_and_synonyms_and_leaves_others_out() {
        let subs = [search("lupus"), search("SLE"), search("melanoma"), search("asthma OR lupus")];
        let percolator = Percolator::new(&subs).unwrap();
        let keys = TrialKeys::of(&trial("Belimumab in systemic lupus erythematosus", "Systemic Lupus Erythematosus"));
        let mut found: Vec<u32> = percolator.candidates(&keys).into_iter().collect();
        found.sort();
        assert_eq!(found, vec![0, 1, 3]);
    }

    #[test]
    fn a_category_takes_trials_about_narrower_conditions() {
        let category = Follows::category("malignancy", SearchRequest::default()).unwrap();
        let percolator = Percolator::new([&category]).unwrap();
        let keys = TrialKeys::of(&trial("Abemaciclib after surgery", "Breast Cancer"));
        assert_eq!(percolator.candidates(&keys).len(), 1);
        let other = TrialKeys::of(&trial("Dupilumab in asthma", "Asthma"));
        assert!(percolator.candidates(&other).is_empty());
    }

    #[test]
    fn a_pre_screen_takes_trials_about_its_conditions_narrower_ones_and_broader_ones_only() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let breast_cancer = crate::prescreen::Answers::condition("breast cancer").unwrap();
        let answers = crate::prescreen::Answers { conditions: vec![breast_cancer], ..Default::default() };
        let percolator = Percolator::new([&Follows::pre_screen(answers, today).unwrap()]).unwrap();
        let found =
            |title: &str, condition: &str| percolator.candidates(&TrialKeys::of(&trial(title, condition))).len();
        assert_eq!(found("Abemaciclib after surgery", "Breast Cancer"), 1);
        assert_eq!(found("Olaparib", "Triple-negative breast cancer"), 1, "narrower");
        assert_eq!(found("Basket trial", "Malignancy"), 1, "exactly a broader concept");
        assert_eq!(found("Dupilumab in asthma", "Asthma"), 0);
        assert_eq!(found("Pembrolizumab", "Lung Cancer"), 0, "a sibling under a shared ancestor");
    }

    #[test]
    fn a_place_only_search_is_filed_by_the_cells_of_its_circle() {
        let near_paris = SearchRequest {
            near: Some(GeoPoint { lat: 48.85, lon: 2.35 }),
            radius_km: Some(50.0),
            ..SearchRequest::default()
        };
        let subs = [Follows::Search { request: near_paris }, Follows::Search { request: SearchRequest::default() }];
        let percolator = Percolator::new(&subs).unwrap();
        assert_eq!(percolator.unanchored(), 1);
        let mut lyon = trial("Asthma study", "Asthma");
        lyon.locations.push(eligo_model::Location {
            geo: Some(GeoPoint { lat: 45.76, lon: 4.83 }),
            ..eligo_model::Location::default()
        });
        assert_eq!(percolator.candidates(&TrialKeys::of(&lyon)).into_iter().collect::<Vec<_>>(), vec![1]);
        let mut paris = lyon.clone();
        paris.locations[0].geo = Some(GeoPoint { lat: 48.9, lon: 2.4 });
        assert_eq!(percolator.candidates(&TrialKeys::of(&paris)).len(), 2);
    }
}
