//! The Find page: a search box, facets (status, phase, age, sex, distance
//! from a place), results with highlighted snippets, and paging. It is a
//! GET form, so every result page has its own bookmarkable address.

use std::sync::Arc;

use axum::extract::{Query, State};
use eligo_search::{Hit, SearchRequest, SearchResults, Snippet};
use maud::{html, Markup, PreEscaped};

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
        form.search method="get" action="/" role="search" {
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
                div {
                    label for="near" { "Near (city)" }
                    input #near type="text" name="near" value=(value("near")) placeholder="Paris, France";
                }
                div {
                    label for="radius_km" { "Within" }
                    select #radius_km name="radius_km" {
                        option value="" { "any distance" }
                        @for km in RADII { option value=(km) selected[selected("radius_km", km)] { (km) " km" } }
                    }
                }
            }
        }
    }
}

fn results_list(results: &SearchResults, pairs: &[(String, String)]) -> Markup {
    let limit =
        DEFAULT_PAGE_SIZE.max(pairs.iter().find(|(k, _)| k == "limit").and_then(|(_, v)| v.parse().ok()).unwrap_or(0));
    let shown_to = results.offset + results.hits.len();
    let near = pairs.iter().find(|(k, _)| k == "near").map_or(String::new(), |(_, v)| v.trim().to_string());
    html! {
        p aria-live="polite" { (results.total) " trials found" @if !results.hits.is_empty() { ", showing " (results.offset + 1) "–" (shown_to) } "." }
        @if let Some(statuses) = results.facets.get("status") {
            p.muted { "By status: "
                @for (i, (status, count)) in statuses.iter().enumerate() { @if i > 0 { ", " } (status.replace('_', " ").to_lowercase()) " (" (count) ")" } }
        }
        @if !results.hits.is_empty() {
            p { a href={ "/check?" (query_string(pairs)) } { "Check which of these trials you may qualify for →" } }
        }
        ol.results {
            @for hit in &results.hits { li { (hit_item(hit, &near)) } }
        }
        nav.pager aria-label="Result pages" {
            @if results.offset > 0 { a href=(page_link(pairs, results.offset.saturating_sub(limit))) rel="prev" { "← Previous" } }
            @if shown_to < results.total { a href=(page_link(pairs, shown_to)) rel="next" { "Next →" } }
        }
    }
}

fn hit_item(hit: &Hit, near: &str) -> Markup {
    let href = match near.is_empty() {
        true => format!("/trials/{}", hit.id),
        false => format!("/trials/{}?near={}", hit.id, encode(near)),
    };
    html! {
        a href=(href) { strong { (hit.title) } }
        br;
        span.muted {
            (hit.id)
            @if let Some(status) = &hit.status { " · " (status.replace('_', " ").to_lowercase()) }
            @if !hit.phases.is_empty() { " · " (hit.phases.join(", ").replace("PHASE", "phase ")) }
            @if let Some(site) = &hit.nearest_site { " · " (format!("{:.0} km", site.distance_km)) ": " (site.label) }
        }
        @for snippet in hit.snippets.iter().filter(|s| s.field != "title").take(1) {
            p.snippet { (highlighted(snippet)) }
        }
    }
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

/// The current search at another offset.
fn page_link(pairs: &[(String, String)], offset: usize) -> String {
    let mut kept: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "offset").cloned().collect();
    kept.push(("offset".into(), offset.to_string()));
    format!("/?{}", query_string(&kept))
}

/// Search parameters as a URL query string.
pub(super) fn query_string(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

/// Percent-encodes everything but unreserved characters.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
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
    fn page_links_keep_the_search_and_replace_the_offset() {
        let pairs = vec![("q".to_string(), "a&b c".to_string()), ("offset".to_string(), "10".to_string())];
        assert_eq!(page_link(&pairs, 20), "/?q=a%26b%20c&offset=20");
    }
}
