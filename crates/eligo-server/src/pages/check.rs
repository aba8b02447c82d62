//! Check my eligibility: a short form with only the questions this trial's
//! criteria raise, then the verdict with what is met, not met and open.
//! Answers are posted, used for this one screening and forgotten.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Form;
use eligo_match::{AnswerKind, Ask, PreparedPatient, PreparedTrial};
use eligo_model::Trial;
use maud::{html, Markup};

use super::verdict::{criteria_groups, verdict_badge, Reader};
use super::{page, PageError};
use crate::answers::{field_name, patient_from_answers, questions_for};
use crate::api::load_trial;
use crate::state::AppState;

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

pub async fn form(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Markup, PageError> {
    let trial = load_trial(&state, &id).await?;
    let asks = questions_for(&trial, today());
    let body = html! {
        p { a href={ "/trials/" (trial.id) } { "← " (trial.title()) } }
        h1 { "Check if you may qualify" }
        p { "Answer what you know. Leave a question blank if you are not sure. "
            "Your answers are only used to show this result; they are not saved." }
        (question_form(&trial, &asks))
    };
    Ok(page("Check my eligibility", body))
}

fn question_form(trial: &Trial, asks: &[Ask]) -> Markup {
    html! {
        form method="post" action={ "/trials/" (trial.id) "/check" } {
            @if asks.is_empty() { p.muted { "This trial's criteria raise no questions we can ask here." } }
            @for (n, ask) in asks.iter().enumerate() { (question_field(n, ask)) }
            button type="submit" { "See my result" }
        }
    }
}

pub(super) fn question_field(n: usize, ask: &Ask) -> Markup {
    let name = field_name(&ask.question.key);
    let id = format!("q{n}");
    html! {
        @match &ask.kind {
            AnswerKind::Age => div.field {
                label for=(id) { (ask.question.text) }
                input id=(id) type="number" name=(name) min="0" max="130" inputmode="numeric";
            },
            AnswerKind::Lab { unit, .. } => div.field {
                label for=(id) { (ask.question.text) @if let Some(unit) = unit { " (" (unit) ")" } }
                input id=(id) type="number" step="any" name=(name) inputmode="decimal";
            },
            AnswerKind::Sex => fieldset {
                legend { (ask.question.text) }
                (choice(&id, &name, &[("female", "Female"), ("male", "Male"), ("", "Prefer not to say")]))
            },
            AnswerKind::Presence { .. } | AnswerKind::Qualifier { .. } | AnswerKind::Pregnancy(_) => fieldset {
                legend { (ask.question.text) }
                (choice(&id, &name, &[("yes", "Yes"), ("no", "No"), ("", "Not sure")]))
            },
        }
    }
}

fn choice(id: &str, name: &str, options: &[(&str, &str)]) -> Markup {
    html! {
        @for (i, (value, label)) in options.iter().enumerate() {
            input id={ (id) "-" (i) } type="radio" name=(name) value=(value) checked[value.is_empty()];
            label for={ (id) "-" (i) } { (label) } " "
        }
    }
}

pub async fn verdict(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Markup, PageError> {
    let trial = load_trial(&state, &id).await?;
    let as_of = today();
    let (screening, problems) = tokio::task::spawn_blocking({
        let trial = trial.clone();
        move || {
            let asks = questions_for(&trial, as_of);
            let (patient, problems) = patient_from_answers(&asks, &fields, as_of);
            (PreparedTrial::new(&trial).screen(&PreparedPatient::new(&patient), as_of), problems)
        }
    })
    .await
    .map_err(crate::request_id::join_error)?;
    let body = html! {
        p { a href={ "/trials/" (trial.id) } { "← " (trial.title()) } }
        h1 { "Your result" }
        p.verdict { (verdict_badge(screening.verdict, Reader::Patient)) }
        @for problem in &problems { p.error role="alert" { (problem) } }
        p { "This is a first check from what you told us. Only the study team can confirm if you can join." }
        (criteria_groups(&screening.results))
        p { a href={ "/trials/" (trial.id) "/check" } { "Change my answers" } }
    };
    Ok(page("Your result", body))
}
