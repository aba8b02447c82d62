//! Check my eligibility for one trial, one short step at a time: each step asks the few
//! questions whose answers are most likely to decide this trial's verdict, in plain words; after
//! each step the answers are screened again and the next questions chosen, until nothing left to
//! ask can change the verdict or the person asks for the result. Every step is a form POST; the
//! answers live only in the form's hidden fields and are forgotten after each response.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Form;
use eligo_match::{
    lay_questions, next_step, team_checks, LayQuestion, LayQuestions, PreparedPatient, PreparedTrial, Screening,
    TeamCheck, Verdict,
};
use eligo_model::{Criterion, Trial};
use maud::{html, Markup};

use super::steps::{self, answered, hidden_answers, FINISH};
use super::verdict::{criteria_groups, verdict_badge, Explain, Reader};
use super::{page, PageError};
use crate::answers::patient_from_answers;
use crate::api::load_trial;
use crate::state::AppState;

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Where one trial's check stands after the answers so far.
struct Progress {
    screening: Screening,
    step: Vec<LayQuestion>,
    checks: Vec<TeamCheck>,
    /// The questions of the open criteria, as the steps ask them.
    lay: LayQuestions,
    /// The criteria the screening read, one per result.
    criteria: Vec<Criterion>,
    problems: Vec<String>,
    /// The person as their answers describe them (offered for a pre-screen alert on the result).
    patient: eligo_model::Patient,
}

pub async fn form(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Markup, PageError> {
    step(state, id, Vec::new()).await
}

pub async fn answer(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Markup, PageError> {
    step(state, id, fields).await
}

async fn step(state: Arc<AppState>, id: String, fields: Vec<(String, String)>) -> Result<Markup, PageError> {
    let trial = load_trial(&state, &id).await?;
    let read = answered(&fields);
    let progress = state
        .cpu
        .run({
            let trial = trial.clone();
            let answers = read.fields.clone();
            let asked = read.asked.clone();
            move || {
                let as_of = today();
                let prepared = PreparedTrial::new(&trial);
                let (patient, problems) = patient_from_answers(std::slice::from_ref(&prepared), &answers, as_of);
                let screening = prepared.screen(&PreparedPatient::new(&patient), as_of);
                let step = next_step(std::slice::from_ref(&prepared), &patient, &asked, as_of);
                let checks = team_checks(&prepared, &patient, as_of);
                let lay = lay_questions([&prepared], &patient, as_of);
                let criteria = prepared.criteria.clone();
                Ok(Progress { screening, step, checks, lay, criteria, problems, patient })
            }
        })
        .await?;
    let decided = progress.screening.verdict != Verdict::Possible;
    if read.finish || decided || progress.step.is_empty() {
        return Ok(result(&trial, &progress));
    }
    let round = fields.iter().find(|(k, _)| k == "step").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(0) + 1;
    let body = html! {
        p { a href={ "/trials/" (trial.id) } { "← " (trial.title()) } }
        h1 { "Check if you may qualify" }
        p.muted { "Step " (round) ". Answer what you know; choose “Not sure” if you do not know. "
            "Your answers stay in this form only: they are not saved and never put in a web address." }
        @for problem in &progress.problems { p.error role="alert" { (problem) } }
        @if round > 1 { p { "So far: " (verdict_badge(progress.screening.verdict, Reader::Patient)) } }
        form method="post" action={ "/trials/" (trial.id) "/check" } {
            input type="hidden" name="step" value=(round);
            (hidden_answers(&fields, &read))
            (steps::questions(&progress.step))
            div.actions {
                button type="submit" { "Next" }
                " "
                button.secondary type="submit" name=(FINISH) value="1" { "See my result now" }
            }
        }
    };
    Ok(page("Check my eligibility", body))
}

fn result(trial: &Trial, progress: &Progress) -> Markup {
    let body = html! {
        p { a href={ "/trials/" (trial.id) } { "← " (trial.title()) } }
        h1 { "Your result" }
        p.verdict { (verdict_badge(progress.screening.verdict, Reader::Patient)) }
        @for problem in &progress.problems { p.error role="alert" { (problem) } }
        p { "This is a first check from what you told us. Only the study team can confirm if you can join." }
        (criteria_groups(
            &progress.screening.results,
            Explain::Patient { criteria: &progress.criteria, lay: &progress.lay, team: &progress.checks }
        ))
        (steps::team_checks(&progress.checks))
        p { a href={ "/trials/" (trial.id) "/check" } { "Start again" } }
        (super::alerts::after_check(trial, &progress.patient))
    };
    page("Your result", body)
}
