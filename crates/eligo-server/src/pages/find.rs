//! The Find page: a search box, facets (status, phase, age, sex, distance
//! from a place), results with what a person needs to decide whether to open
//! one (conditions, ages, sex, nearest site, status and phase badges, a
//! sentence from the summary where the words matched), facet counts, paging.
//! The form is POSTed: a search for a condition with an age, sex and place
//! says things about the person, so none of it goes in a URL. (A GET with
//! parameters still searches, for links from elsewhere.)

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::Form;
use eligo_search::{Hit, SearchRequest, SearchResults, Snippet};
use maud::{html, Markup, PreEscaped};

use super::prescreen::search_fields;
use super::{page, PageError};
use crate::search::{request_from_pairs, run, DEFAULT_PAGE_SIZE};
use crate::state::AppState;

/// Status and phase choices offered in the form (API spelling, label).
const STATUSES: &[(&str, &str)] = &[
    ("open", "Open to new people"),
    ("RECRUITING", "Recruiting"),
    ("NOT_YET_RECRUITING", "Not yet recruiting"),
    ("ACTIVE_NOT_RECRUITING", "Active, not recruiting"),
    ("COMPLETED", "Completed"),
];
const PHASES: &[(&str, &str)] = &[
    ("EARLY_PHASE1", "Early phase 1"),
    ("PHASE1", "Phase 1"),
    ("PHASE2", "Phase 2"),
    ("PHASE3", "Phase 3"),
    ("PHASE4", "Phase 4"),
];
const RADII: &[&str] = &["25", "50", "100", "250", "1000"];

pub async fn show(
    State(state): State<Arc<AppState>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Markup, PageError> {
    render(&state, pairs).await
}

pub async fn post(
    State(state): State<Arc<AppState>>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Markup, PageError> {
    render(&state, pairs).await
}

async fn render(state: &Arc<AppState>, pairs: Vec<(String, String)>) -> Result<Markup, PageError> {
    let pairs: Vec<(String, String)> = pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect();
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str()).to_string();
    let outcome = match request_from_pairs(&pairs, &state.limits) {
        // The page shows facet counts beside the results.
        Ok(request) => run(&state.search, SearchRequest { skip_facets: false, ..request }).await,
        Err(error) => Err(error),
    };
    let body = html! {
        h1 { "Find a clinical trial" }
        (form(&value))
        @match &outcome {
            Ok(results) => (results_list(results, &pairs)),
            Err(error) => p.error role="alert" { (error.message) },
        }
    };
    Ok(page("Find a trial", body))
}

fn form(value: &dyn Fn(&str) -> String) -> Markup {
    let selected = |key: &str, option: &str| value(key).eq_ignore_ascii_case(option);
    html! {
        form.search method="post" action="/" role="search" {
            label for="q" class="skip" { "Search words" }
            input #q type="search" name="q" value=(value("q")) placeholder="Condition, treatment, trial ID…" autocomplete="off";
            button type="submit" { "Search" }
            div.facets {
                div {
                    label for="status" { "Status" }
                    select #status name="status" {
                        option value="" { "Any" }
                        @for (code, label) in STATUSES { option value=(code) selected[selected("status", code)] { (label) } }
                    }
                }
                div {
                    label for="phase" { "Phase" }
                    select #phase name="phase" {
                        option value="" { "Any" }
                        @for (code, label) in PHASES { option value=(code) selected[selected("phase", code)] { (label) } }
                    }
                }
                (person_filters(value))
                (place_filters(value))
            }
        }
    }
}

/// The age and sex filters (Find, and the alert sign-up page).
pub(super) fn person_filters(value: &dyn Fn(&str) -> String) -> Markup {
    let selected = |key: &str, option: &str| value(key).eq_ignore_ascii_case(option);
    html! {
        div {
            label for="age" { "Your age" }
            input #age type="number" name="age" min="0" max="130" inputmode="numeric" value=(value("age"));
        }
        div {
            label for="sex" { "Sex" }
            select #sex name="sex" {
                option value="" { "Any" }
                option value="female" selected[selected("sex", "female")] { "Female" }
                option value="male" selected[selected("sex", "male")] { "Male" }
            }
        }
    }
}

/// A place and the radius around it (Find, and the alert sign-up page).
pub(super) fn place_filters(value: &dyn Fn(&str) -> String) -> Markup {
    html! {
        div {
            label for="near" { "Near (city)" }
            input #near type="text" name="near" value=(value("near")) placeholder="Paris, France";
        }
        div {
            label for="radius_km" { "Within" }
            select #radius_km name="radius_km" {
                option value="" { "any distance" }
                @for km in RADII { option value=(km) selected[value("radius_km") == *km] { (km) " km" } }
            }
        }
    }
}

fn results_list(results: &SearchResults, pairs: &[(String, String)]) -> Markup {
    let limit =
        DEFAULT_PAGE_SIZE.max(pairs.iter().find(|(k, _)| k == "limit").and_then(|(_, v)| v.parse().ok()).unwrap_or(0));
    let shown_to = results.offset + results.hits.len();
    html! {
        p aria-live="polite" { (results.total) @if results.total == 1 { " trial found" } @else { " trials found" } @if !results.hits.is_empty() { ", showing " (results.offset + 1) "–" (shown_to) } "." }
        @if !results.hits.is_empty() {
            form.inline method="post" action="/check" {
                (search_fields(pairs))
                button.link type="submit" { "Check which of these trials you may qualify for →" }
            }
        }
        p { (super::alerts::for_search(pairs)) }
        div.found {
            ol.results {
                @for hit in &results.hits { li { (hit_item(hit)) } }
            }
            (facet_links(results, pairs))
        }
        nav.pager aria-label="Result pages" {
            @if results.offset > 0 { (search_button(pairs, "offset", &results.offset.saturating_sub(limit).to_string(), "← Previous")) }
            @if shown_to < results.total { (search_button(pairs, "offset", &shown_to.to_string(), "Next →")) }
        }
    }
}

/// Facet counts beside the results; each is the same search narrowed to that value.
fn facet_links(results: &SearchResults, pairs: &[(String, String)]) -> Markup {
    let dimensions = [("status", "Status"), ("phase", "Phase")];
    html! {
        aside.facet-counts aria-label="Narrow the results" {
            @for (dimension, heading) in dimensions {
                @if let Some(counts) = results.facets.get(dimension).filter(|c| !c.is_empty()) {
                    h2 { (heading) }
                    ul {
                        @for (value, count) in counts {
                            li { (search_button(pairs, dimension, value, &format!("{} ({count})", words(value)))) }
                        }
                    }
                }
            }
        }
    }
}

/// The current search with `key` set to `value`, as a button that posts it (a link would put
/// the search in the address).
fn search_button(pairs: &[(String, String)], key: &str, value: &str, label: &str) -> Markup {
    html! {
        form.inline method="post" action="/" {
            @for (k, v) in pairs.iter().filter(|(k, _)| k != key && (key == "offset" || k != "offset")) {
                input type="hidden" name=(k) value=(v);
            }
            input type="hidden" name=(key) value=(value);
            button.link type="submit" { (label) }
        }
    }
}

/// A registry code as words: "NOT_YET_RECRUITING" → "not yet recruiting", "PHASE2" → "phase 2".
fn words(code: &str) -> String {
    code.replace("PHASE", "phase ").replace('_', " ").to_lowercase()
}

fn hit_item(hit: &Hit) -> Markup {
    html! {
        a href={ "/trials/" (hit.id) } { strong { (hit.title) } }
        p.badges {
            @if let Some(status) = &hit.status { span class={ "badge status " (status_class(status)) } { (words(status)) } " " }
            // "NA" (no phase: not a drug study) says nothing a person needs.
            @for phase in hit.phases.iter().filter(|p| *p != "NA") { span.badge { (words(phase)) } " " }
            span.muted { (hit.id) }
        }
        ul.facts {
            @if !hit.conditions.is_empty() { li { "For: " (hit.conditions.join(", ")) } }
            li { "Ages: " (ages(hit.min_age_years, hit.max_age_years)) " · " (sex_words(hit.sex.as_deref())) }
            @if let Some(site) = &hit.nearest_site { li { "Nearest site: " (site.label) " — " (format!("{:.0} km", site.distance_km)) } }
        }
        @if let Some(snippet) = hit.snippets.iter().find(|s| s.field == "summary").map(sentence_around) {
            p.snippet { (highlighted(&snippet)) }
        }
    }
}

fn status_class(status: &str) -> &'static str {
    match status {
        "RECRUITING" | "NOT_YET_RECRUITING" | "ENROLLING_BY_INVITATION" => "met",
        _ => "unknown",
    }
}

fn ages(min: Option<f64>, max: Option<f64>) -> String {
    let years = |y: f64| format!("{}", y.round() as i64);
    match (min, max) {
        (Some(min), Some(max)) => format!("{} to {} years", years(min), years(max)),
        (Some(min), None) => format!("{} years and older", years(min)),
        (None, Some(max)) => format!("up to {} years", years(max)),
        (None, None) => "any age".into(),
    }
}

fn sex_words(sex: Option<&str>) -> &'static str {
    match sex.map(str::to_ascii_uppercase).as_deref() {
        Some("FEMALE") => "women only",
        Some("MALE") => "men only",
        _ => "women and men",
    }
}

/// The sentence of a summary snippet that holds its first match, with the matches inside it.
fn sentence_around(snippet: &Snippet) -> Snippet {
    let text = &snippet.text;
    let Some(&(first, _)) = snippet.highlights.first() else { return snippet.clone() };
    let start = text[..first.min(text.len())].rfind(". ").map_or(0, |i| i + 2);
    let end = text[first.min(text.len())..].find(". ").map_or(text.len(), |i| first + i + 1);
    let highlights = snippet
        .highlights
        .iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start, e - start))
        .collect();
    Snippet { field: snippet.field.clone(), text: text[start..end].to_string(), highlights }
}

/// The snippet with its matched byte ranges in `<mark>`, everything escaped.
fn highlighted(snippet: &Snippet) -> Markup {
    let text = &snippet.text;
    let mut out = String::new();
    let mut at = 0;
    for &(start, end) in &snippet.highlights {
        let (Some(before), Some(mark)) = (text.get(at..start), text.get(start..end)) else { continue };
        out.push_str(&maud::html! { (before) }.into_string());
        out.push_str(&maud::html! { mark { (mark) } }.into_string());
        at = end;
    }
    out.push_str(&maud::html! { (text.get(at..).unwrap_or_default()) }.into_string());
    PreEscaped(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_marked_and_the_rest_escaped() {
        let snippet = Snippet { field: "summary".into(), text: "<b>lupus</b> & more".into(), highlights: vec![(3, 8)] };
        assert_eq!(highlighted(&snippet).into_string(), "&lt;b&gt;<mark>lupus</mark>&lt;/b&gt; &amp; more");
    }

    #[test]
    fn the_snippet_is_the_sentence_that_matched() {
        let text = "First part. Adults with lupus take part. Last part.";
        let at = text.find("lupus").unwrap();
        let snippet = Snippet { field: "summary".into(), text: text.into(), highlights: vec![(at, at + 5)] };
        let sentence = sentence_around(&snippet);
        assert_eq!(sentence.text, "Adults with lupus take part.");
        assert_eq!(highlighted(&sentence).into_string(), "Adults with <mark>lupus</mark> take part.");
    }

    #[test]
    fn page_buttons_keep_the_search_and_replace_the_offset() {
        let pairs = vec![("q".to_string(), "a&b".to_string()), ("offset".to_string(), "10".to_string())];
        let html = search_button(&pairs, "offset", "20", "Next").into_string();
        assert!(html.contains(r#"name="q" value="a&amp;b""#) && html.contains(r#"name="offset" value="20""#), "{html}");
        assert!(!html.contains(r#"value="10""#), "{html}");
    }
}
