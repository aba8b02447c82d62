//! Check a whole search: which of the trials on a Find page the person may qualify for, one
//! short step at a time. Each step asks the questions whose answers are expected to change the
//! most of these trials' verdicts (each answer weighted by how likely it is), then shows where
//! every trial stands; the next step re-ranks what is left, until no answer can change a verdict
//! or the person asks for the result. Age and sex given in the search are used as answers.
//!
//! Everything is POSTed: the search travels in hidden `s.` fields (so each step re-runs the same
//! search) and the answers in hidden `a.` fields; nothing about the person goes in a URL or
//! stays on the server.

use std::sync::Arc;

use axum::extract::State;
use axum::Form;
use chrono::NaiveDate;
use eligo_match::{next_step, AnswerKind, Ask, LayQuestion, PreparedPatient, PreparedTrial, Screening, Verdict};
use eligo_model::Trial;
use maud::{html, Markup};

use super::steps::{self, answered, hidden_answers, FINISH};
use super::verdict::{verdict_badge, Reader};
use super::{page, PageError};
use crate::answers::{field_name, patient_from_answers, questions_for};
use crate::api::load_trial;
use crate::search::{request_from_pairs, run};
use crate::state::AppState;

/// Prefix of the hidden fields that carry the search.
pub const SEARCH_PREFIX: &str = "s.";

/// The trials of one search page and the questions they raise.
struct Searched {
    pairs: Vec<(String, String)>,
    trials: Vec<Trial>,
    asks: Vec<Ask>,
    as_of: NaiveDate,
}

/// A GET carries no search (that would put it in the address): point back to Find.
pub async fn form() -> Markup {
    let body = html! {
        h1 { "Check which trials you may qualify for" }
        p { "Start from a search: " a href="/" { "find trials" } ", then choose “Check which of these trials you may qualify for”." }
    };
    page("Check these trials", body)
}

pub async fn step(
    State(state): State<Arc<AppState>>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Markup, PageError> {
    let pairs = fields
        .iter()
        .filter_map(|(name, value)| Some((name.strip_prefix(SEARCH_PREFIX)?.to_string(), value.clone())))
        .collect();
    let searched = searched(&state, pairs).await?;
    let read = answered(&fields);
    let round = fields.iter().find(|(k, _)| k == "step").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(0) + 1;
    let search_fields = searched.pairs.clone();
    let trial_count = searched.trials.len();
    let (screenings, step, problems) = state
        .cpu
        .run({
            let answers = read.fields.clone();
            let mut asked = read.asked.clone();
            move || {
                let mut all = answers_from_search(&searched);
                asked.extend(all.iter().filter_map(|(name, _)| name.strip_prefix("a.").map(str::to_string)));
                all.extend(answers);
                let prepared: Vec<PreparedTrial> = searched.trials.iter().map(PreparedTrial::new).collect();
                let (patient, problems) = patient_from_answers(&prepared, &all, searched.as_of);
                let step = next_step(&prepared, &patient, &asked, searched.as_of);
                let prepared_patient = PreparedPatient::new(&patient);
                let mut screenings: Vec<(Trial, Screening)> = prepared
                    .iter()
                    .map(|trial| (trial.trial.as_ref().clone(), trial.screen(&prepared_patient, searched.as_of)))
                    .collect();
                // Stable: within a verdict, the search's order.
                screenings.sort_by_key(|(_, screening)| verdict_order(screening.verdict));
                Ok((screenings, step, problems))
            }
        })
        .await?;
    let done = read.finish || step.is_empty();
    let title = if done { "Trials you may qualify for" } else { "Check which of these trials you may qualify for" };
    let body = html! {
        h1 { (title) }
        @for problem in &problems { p.error role="alert" { (problem) } }
        @if done {
            p { "This is a first check from what you told us. Only the study team can confirm if you can join." }
        } @else {
            p.muted { "Step " (round) " · " (trial_count) " trials from your search. Answer what you know; choose “Not sure” if you do not know. "
                "Your answers stay in this form only: they are not saved and never put in a web address." }
            (step_form(&search_fields, &fields, &read, round, &step))
            h2 { "Where the trials stand so far" }
        }
        ol.results { @for (trial, screening) in &screenings { li { (trial_verdict(trial, screening)) } } }
        p { a href="/" { "Start a new search" } }
    };
    Ok(page(title, body))
}

fn step_form(
    search: &[(String, String)],
    fields: &[(String, String)],
    read: &steps::Answered,
    round: usize,
    step: &[LayQuestion],
) -> Markup {
    html! {
        form method="post" action="/check" {
            (search_fields(search))
            input type="hidden" name="step" value=(round);
            (hidden_answers(fields, read))
            (steps::questions(step))
            div.actions {
                button type="submit" { "Next" }
                " "
                button.secondary type="submit" name=(FINISH) value="1" { "See which trials fit" }
            }
        }
    }
}

/// The search as hidden fields.
pub fn search_fields(pairs: &[(String, String)]) -> Markup {
    html! { @for (key, value) in pairs { input type="hidden" name={ (SEARCH_PREFIX) (key) } value=(value); } }
}

/// Runs the search and loads its trials and their questions.
async fn searched(state: &Arc<AppState>, pairs: Vec<(String, String)>) -> Result<Searched, PageError> {
    let request = request_from_pairs(&pairs, &state.limits)?;
    let results = run(&state.search, request).await?;
    let mut trials = Vec::with_capacity(results.hits.len());
    for hit in &results.hits {
        trials.push(load_trial(state, &hit.id).await?);
    }
    let as_of = chrono::Utc::now().date_naive();
    let mut asks: Vec<Ask> = Vec::new();
    for trial in &trials {
        for ask in questions_for(trial, as_of) {
            if !asks.iter().any(|seen| seen.question.key == ask.question.key) {
                asks.push(ask);
            }
        }
    }
    Ok(Searched { pairs, trials, asks, as_of })
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
    html! {
        (verdict_badge(screening.verdict, Reader::Patient)) " "
        a href={ "/trials/" (trial.id) } { strong { (trial.title()) } }
        br;
        span.muted {
            (trial.id)
            @for exclusion in screening.exclusions().take(2) { " · Not met: " (exclusion.text) }
        }
        br;
        a href={ "/trials/" (trial.id) "/check" } { "Check this trial in detail" }
    }
}
