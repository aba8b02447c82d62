//! Check a whole search: one short form for the trials on a Find page, then
//! which of them the person may qualify for.
//!
//! The questions are those the listed trials' criteria raise, each asked
//! once, the ones that bear on the most trials first, at most
//! [`MAX_QUESTIONS`]: answering a handful settles most of a page. Age and sex
//! already given in the search are used as answers rather than asked again.
//! The search travels in hidden `s.` fields, so the verdict page re-runs the
//! same search; answers are `a.` fields, used once and forgotten, and patient
//! data never goes in a URL.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::Form;
use chrono::NaiveDate;
use eligo_match::{AnswerKind, Ask, PreparedPatient, PreparedTrial, Screening, Verdict};
use eligo_model::Trial;
use maud::{html, Markup};

use super::check::question_field;
use super::find::query_string;
use super::verdict::{verdict_badge, Reader};
use super::{page, PageError};
use crate::answers::{field_name, patient_from_answers, questions_for};
use crate::api::load_trial;
use crate::search::{request_from_pairs, run};
use crate::state::AppState;

/// Questions shown for a page of results.
const MAX_QUESTIONS: usize = 10;
/// Prefix of the hidden fields that carry the search.
const SEARCH_PREFIX: &str = "s.";

/// The trials of one search page and the questions they raise.
struct Searched {
    pairs: Vec<(String, String)>,
    trials: Vec<Trial>,
    asks: Vec<Ask>,
    as_of: NaiveDate,
}

pub async fn form(
    State(state): State<Arc<AppState>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Markup, PageError> {
    let searched = searched(&state, pairs).await?;
    let from_search = answers_from_search(&searched);
    let asked: Vec<&Ask> = searched
        .asks
        .iter()
        .filter(|ask| !from_search.iter().any(|(name, _)| *name == field_name(&ask.question.key)))
        .take(MAX_QUESTIONS)
        .collect();
    let body = html! {
        p { a href={ "/?" (query_string(&searched.pairs)) } { "← Back to the search" } }
        h1 { "Check which of these trials you may qualify for" }
        p { (searched.trials.len()) " trials from your search. Answer what you know; leave a question blank if you are not sure. "
            "Your answers are only used to show this result; they are not saved." }
        @if !from_search.is_empty() { p.muted { "Your age and sex from the search are used as given." } }
        form method="post" action="/check" {
            @for (key, value) in &searched.pairs { input type="hidden" name={ (SEARCH_PREFIX) (key) } value=(value); }
            @if asked.is_empty() { p.muted { "These trials' criteria raise no questions we can ask here." } }
            @for (n, ask) in asked.iter().enumerate() { (question_field(n, ask)) }
            button type="submit" { "See which trials fit" }
        }
    };
    Ok(page("Check these trials", body))
}

pub async fn verdicts(
    State(state): State<Arc<AppState>>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Markup, PageError> {
    let pairs = fields
        .iter()
        .filter_map(|(name, value)| Some((name.strip_prefix(SEARCH_PREFIX)?.to_string(), value.clone())))
        .collect();
    let searched = searched(&state, pairs).await?;
    let (screenings, problems) = tokio::task::spawn_blocking(move || {
        let mut answers = answers_from_search(&searched);
        answers.extend(fields);
        let (patient, problems) = patient_from_answers(&searched.asks, &answers, searched.as_of);
        let prepared_patient = PreparedPatient::new(&patient);
        let mut screenings: Vec<(Trial, Screening)> = searched
            .trials
            .into_iter()
            .map(|trial| {
                let screening = PreparedTrial::new(&trial).screen(&prepared_patient, searched.as_of);
                (trial, screening)
            })
            .collect();
        // Stable: within a verdict, the search's order.
        screenings.sort_by_key(|(_, screening)| verdict_order(screening.verdict));
        (screenings, problems)
    })
    .await
    .map_err(crate::request_id::join_error)?;
    let body = html! {
        h1 { "Trials you may qualify for" }
        @for problem in &problems { p.error role="alert" { (problem) } }
        p { "This is a first check from what you told us. Only the study team can confirm if you can join." }
        ol.results { @for (trial, screening) in &screenings { li { (trial_verdict(trial, screening)) } } }
        p { a href="/" { "Start a new search" } }
    };
    Ok(page("Trials you may qualify for", body))
}

/// Runs the search and loads its trials and their questions, most widely shared first.
async fn searched(state: &Arc<AppState>, pairs: Vec<(String, String)>) -> Result<Searched, PageError> {
    let request = request_from_pairs(&pairs, &state.limits)?;
    let results = run(&state.search, request).await?;
    let mut trials = Vec::with_capacity(results.hits.len());
    for hit in &results.hits {
        trials.push(load_trial(state, &hit.id).await?);
    }
    let as_of = chrono::Utc::now().date_naive();
    let asks = shared_asks(&trials, as_of);
    Ok(Searched { pairs, trials, asks, as_of })
}

/// Each trial's questions, merged by key and ordered by how many trials ask them (first seen
/// first among equals).
fn shared_asks(trials: &[Trial], as_of: NaiveDate) -> Vec<Ask> {
    let mut counted: Vec<(Ask, usize)> = Vec::new();
    for trial in trials {
        for ask in questions_for(trial, as_of) {
            match counted.iter_mut().find(|(seen, _)| seen.question.key == ask.question.key) {
                Some((_, count)) => *count += 1,
                None => counted.push((ask, 1)),
            }
        }
    }
    counted.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    counted.into_iter().map(|(ask, _)| ask).collect()
}

/// Age and sex given in the search, as answer fields for the questions that ask them.
fn answers_from_search(searched: &Searched) -> Vec<(String, String)> {
    let given = |key: &str| searched.pairs.iter().find(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| v);
    let mut answers = Vec::new();
    for ask in &searched.asks {
        let value = match ask.kind {
            AnswerKind::Age => given("age"),
            AnswerKind::Sex => given("sex"),
            _ => None,
        };
        if let Some(value) = value {
            answers.push((field_name(&ask.question.key), value.trim().to_lowercase()));
        }
    }
    answers
}

fn verdict_order(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Eligible => 0,
        Verdict::Possible => 1,
        Verdict::Ineligible => 2,
    }
}

fn trial_verdict(trial: &Trial, screening: &Screening) -> Markup {
    let open = screening.questions();
    html! {
        (verdict_badge(screening.verdict, Reader::Patient)) " "
        a href={ "/trials/" (trial.id) } { strong { (trial.title()) } }
        br;
        span.muted {
            (trial.id)
            @for exclusion in screening.exclusions().take(2) { " · Not met: " (exclusion.text) }
            @if screening.verdict == Verdict::Possible {
                @for question in open.iter().take(2) { " · Open: " (question.text) }
            }
        }
        br;
        a href={ "/trials/" (trial.id) "/check" } { "Check this trial in detail" }
    }
}
