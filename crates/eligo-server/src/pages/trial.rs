//! The trial page: the plain-language card first, then the eligibility
//! checklist, arms, sites (nearest first when a place is given), contacts,
//! publications, identifiers, and where every fact came from.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Form;
use eligo_model::{Contact, Criterion, GeoPoint, LinkReason, Location, Publication, PublicationLink, Section, Trial};
use eligo_store::Store;
use maud::{html, Markup};
use serde::Deserialize;

use super::{page, PageError};
use crate::api::load_trial;
use crate::error::ApiError;
use crate::plain;
use crate::state::AppState;

/// Sites shown on the page; the rest are counted (keeps big multi-site
/// trials under the page-weight budget).
const MAX_SITES: usize = 60;

/// Where distances are measured from: a place name or `lat,lon` (`near`),
/// resolved with the bundled gazetteer. An unknown place shows no distances.
#[derive(Debug, Deserialize, Default)]
pub struct Place {
    near: Option<String>,
}

impl Place {
    fn point(&self) -> Option<GeoPoint> {
        eligo_search::Gazetteer::embedded().resolve(self.near.as_deref()?).ok()
    }
}

pub async fn show(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(place): Query<Place>,
) -> Result<Markup, PageError> {
    render_page(&state, &id, place).await
}

/// The trial page with distances from a place the person typed: POSTed, so the place does not
/// go in the address.
pub async fn show_near(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Form(place): Form<Place>,
) -> Result<Markup, PageError> {
    render_page(&state, &id, place).await
}

async fn render_page(state: &Arc<AppState>, id: &str, place: Place) -> Result<Markup, PageError> {
    let trial = load_trial(state, id).await?;
    let trial_id = trial.id.clone();
    let linked = state.stores.run(move |store| linked_publications(store, &trial_id)).await?;
    let criteria = criteria_of(&trial);
    Ok(page(trial.title(), render(&trial, &criteria, &linked, place.point())))
}

/// Publications the registry or Eligo's linker attached to the trial.
fn linked_publications(store: &dyn Store, trial_id: &str) -> Result<Vec<Linked>, ApiError> {
    let links = store.links_for_trial(trial_id).map_err(ApiError::internal)?;
    let mut linked = Vec::with_capacity(links.len());
    for link in links {
        let publication = store.get_publication(&link.publication_key).map_err(ApiError::internal)?;
        linked.push(Linked { link, publication });
    }
    Ok(linked)
}

struct Linked {
    link: PublicationLink,
    publication: Option<Publication>,
}

/// The stored structured criteria, or parsed from the text when the record
/// has none yet.
pub fn criteria_of(trial: &Trial) -> Vec<Criterion> {
    if !trial.criteria.is_empty() {
        return trial.criteria.clone();
    }
    trial.eligibility.criteria_text.as_deref().map(eligo_criteria::parse_criteria).unwrap_or_default()
}

fn render(trial: &Trial, criteria: &[Criterion], linked: &[Linked], near: Option<GeoPoint>) -> Markup {
    let card = plain::card(trial, criteria);
    html! {
        p.muted { (trial.id) @if let Some(status) = &trial.overall_status { " · " span.badge { (status.label()) } } }
        h1 { (trial.title()) }
        section.card aria-labelledby="card-title" {
            h2 #card-title { "In plain words" }
            dl {
                @for item in &card.items { dt { (item.topic) } dd { (item.text) } }
            }
            p.muted { "Reading level: grade " (format!("{:.1}", card.grade)) " (Flesch–Kincaid)." }
        }
        p { a href={ "/trials/" (trial.id) "/check" } { strong { "Check if I may qualify →" } } }
        p { (super::alerts::like_this(trial)) }
        (checklist(trial, criteria))
        (arms(trial))
        (sites(trial, near))
        form.inline method="post" action={ "/trials/" (trial.id) "#sites" } {
            label for="near" { "Distances from (city) " }
            input #near type="text" name="near";
            " "
            button type="submit" { "Show nearest sites" }
        }
        (contacts(trial))
        (publications(trial, linked))
        (identifiers(trial))
        (provenance(trial))
    }
}

fn checklist(trial: &Trial, criteria: &[Criterion]) -> Markup {
    let eligibility = &trial.eligibility;
    let groups = [
        ("Who can join (inclusion)", checklist_lines(criteria, Section::Inclusion)),
        ("Who cannot join (exclusion)", checklist_lines(criteria, Section::Exclusion)),
        ("Other rules", checklist_lines(criteria, Section::Unspecified)),
    ];
    html! {
        h2 #eligibility { "Eligibility checklist" }
        ul {
            li { "Age: " (eligibility.minimum_age.map_or("no minimum".into(), |a| a.to_string()))
                 " to " (eligibility.maximum_age.map_or("no maximum".into(), |a| a.to_string())) }
            li { "Sex: " (eligibility.sex.as_ref().map_or("not stated", |s| s.label())) }
            @if let Some(healthy) = eligibility.healthy_volunteers {
                li { "Healthy volunteers: " (if healthy { "accepted" } else { "not accepted" }) }
            }
        }
        @for (heading, lines) in &groups {
            @if !lines.is_empty() {
                h3 { (heading) }
                ul.checklist {
                    @for line in lines {
                        li {
                            (line.text)
                            br;
                            span.reading { (line.reading) }
                            @if line.original != line.text {
                                details { summary { "Original text" } p { (line.original) } }
                            }
                        }
                    }
                }
            }
        }
        @if criteria.is_empty() { p.muted { "The record lists no eligibility criteria." } }
    }
}

/// One checklist line: a criterion's text (glue repaired), its readings in plain words, and the
/// text as the record has it.
struct ChecklistLine {
    text: String,
    reading: String,
    original: String,
}

/// The criteria of one section, one line per span of text: a sentence the engine read as
/// several requirements is shown once, with all its readings said together.
fn checklist_lines(criteria: &[Criterion], section: Section) -> Vec<ChecklistLine> {
    let mut spans: Vec<((usize, usize), Vec<&Criterion>)> = Vec::new();
    for criterion in criteria.iter().filter(|c| c.section == section) {
        let span = (criterion.start, criterion.end);
        match spans.iter_mut().find(|(seen, _)| *seen == span) {
            Some((_, same)) => same.push(criterion),
            None => spans.push((span, vec![criterion])),
        }
    }
    spans
        .into_iter()
        .map(|(_, same)| ChecklistLine {
            text: eligo_criteria::repair_glue(&same[0].text),
            reading: eligo_match::lay::rule_words(&same),
            original: same[0].text.clone(),
        })
        .collect()
}

fn arms(trial: &Trial) -> Markup {
    html! {
        h2 { "Study groups" }
        @if trial.arm_groups.is_empty() { p.muted { "No groups are listed." } }
        @else {
            table {
                thead { tr { th scope="col" { "Group" } th scope="col" { "Type" } th scope="col" { "What they get" } } }
                tbody {
                    @for arm in &trial.arm_groups {
                        tr {
                            td { (arm.label) }
                            td { (arm.kind.as_ref().map_or("", |k| k.label())) }
                            td { (arm.intervention_names.join(", "))
                                 @if let Some(description) = &arm.description { br; span.muted { (description) } } }
                        }
                    }
                }
            }
        }
    }
}

fn sites(trial: &Trial, near: Option<GeoPoint>) -> Markup {
    let mut located: Vec<(Option<f64>, &Location)> = trial
        .locations
        .iter()
        .map(|site| (near.zip(site.geo.filter(GeoPoint::is_valid)).map(|(a, b)| a.distance_km(&b)), site))
        .collect();
    located.sort_by(|a, b| a.0.unwrap_or(f64::MAX).total_cmp(&b.0.unwrap_or(f64::MAX)));
    let hidden = located.len().saturating_sub(MAX_SITES);
    html! {
        h2 #sites { "Where it runs (" (trial.locations.len()) ")" }
        @if near.is_some() { p.muted { "Nearest first; distances in a straight line." } }
        @if located.is_empty() { p.muted { "No sites are listed." } }
        ul {
            @for (distance, site) in located.iter().take(MAX_SITES) {
                li {
                    strong { (site.facility.as_deref().unwrap_or("Site")) } ", "
                    (place_line(site))
                    @if let Some(km) = distance { " — " (format!("{km:.0} km")) }
                    @if let Some(status) = &site.status { " · " (status.label()) }
                }
            }
        }
        @if hidden > 0 { p.muted { (hidden) " more sites are not shown." } }
    }
}

fn place_line(site: &Location) -> String {
    [&site.city, &site.state, &site.country].iter().filter_map(|part| part.as_deref()).collect::<Vec<_>>().join(", ")
}

fn contacts(trial: &Trial) -> Markup {
    let people: Vec<&Contact> = trial.central_contacts.iter().chain(&trial.overall_officials).collect();
    html! {
        h2 { "Contacts" }
        @if people.is_empty() { p.muted { "No contacts are listed." } }
        ul {
            @for person in people {
                li {
                    (person.name.as_deref().unwrap_or("Study team"))
                    @if let Some(role) = &person.role { " (" (role.label()) ")" }
                    @if let Some(affiliation) = &person.affiliation { ", " (affiliation) }
                    @if let Some(phone) = &person.phone { " · " a href={ "tel:" (phone) } { (phone) } }
                    @if let Some(email) = &person.email { " · " a href={ "mailto:" (email) } { (email) } }
                }
            }
        }
    }
}

fn publications(trial: &Trial, linked: &[Linked]) -> Markup {
    html! {
        h2 { "Publications" }
        @if trial.references.is_empty() && linked.is_empty() { p.muted { "No publications are linked." } }
        @if !linked.is_empty() {
            ul {
                @for item in linked {
                    li {
                        (item.publication.as_ref().map_or(item.link.publication_key.as_str(), |p| p.title.as_str()))
                        @if let Some(pmid) = item.publication.as_ref().and_then(|p| p.pmid.as_ref()) { " · PMID " (pmid) }
                        br;
                        span.muted { (link_reason(&item.link)) }
                    }
                }
            }
        }
        ul {
            @for reference in &trial.references {
                li {
                    (reference.citation.as_deref().unwrap_or("(no citation)"))
                    @if let Some(pmid) = &reference.pmid { " · PMID " (pmid) }
                }
            }
        }
    }
}

fn link_reason(link: &PublicationLink) -> String {
    let why = match link.reason {
        LinkReason::NamesNctId => "the article names this trial's ID".to_string(),
        LinkReason::ListedInReferences => "listed in the registry record".to_string(),
        LinkReason::Related => format!("related by topic and design (match score {:.2})", link.score),
    };
    let what = if link.reports_results { "Reports this trial's results" } else { "Related work" };
    format!("{what}; {why}")
}

fn identifiers(trial: &Trial) -> Markup {
    html! {
        h2 { "Identifiers" }
        ul {
            @if let Some(nct) = &trial.nct_id { li { "ClinicalTrials.gov: " (nct) } }
            @if let Some(org) = &trial.org_study_id { li { "Sponsor's ID: " (org) } }
            @for secondary in &trial.secondary_ids {
                li { (secondary.domain.as_deref().unwrap_or("Other ID")) ": " (secondary.id) }
            }
            @if let Some(sponsor) = &trial.lead_sponsor { li { "Sponsor: " (sponsor.name) } }
        }
    }
}

fn provenance(trial: &Trial) -> Markup {
    html! {
        h2 { "Where this comes from" }
        ol {
            @for source in &trial.sources {
                li { (source.kind.as_str()) ": " (source.uri.as_deref().unwrap_or("(unnamed)"))
                     " · read " (source.retrieved_at.format("%Y-%m-%d")) }
            }
        }
        details {
            summary { "Source of each field" }
            table {
                thead { tr { th scope="col" { "Field" } th scope="col" { "Source" } th scope="col" { "Confidence" } } }
                tbody {
                    @for (field, origin) in &trial.provenance {
                        tr { td { (field) } td { "#" (origin.source + 1) } td { (format!("{:.0}%", origin.confidence * 100.0)) } }
                    }
                }
            }
        }
    }
}
