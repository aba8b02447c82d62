//! Screen a patient (for coordinators): paste a note, a FHIR bundle or a
//! profile (or pick a file; a few lines of JavaScript read it into the box),
//! get ranked trials, each expandable to its criterion-by-criterion evidence. Trial IDs typed in
//! the second field are screened instead of searching the registry.

use std::sync::Arc;

use axum::extract::State;
use axum::Form;
use eligo_patient::InputKind;
use maud::{html, Markup};
use serde::Deserialize;

use super::verdict::{criteria_groups, verdict_badge, Explain, Reader};
use super::{page, PageError};
use crate::api::validate_trial_id;
use crate::matching::{match_patient, MatchedTrial, PatientInput};
use crate::state::AppState;
use eligo_match::SuggestedDiagnosis;

/// Trials shown for one patient.
const SHOWN: usize = 20;

pub async fn form() -> Markup {
    page("Screen a patient", form_body("", ""))
}

fn form_body(text: &str, trials: &str) -> Markup {
    html! {
        h1 { "Screen a patient" }
        p { "Paste a clinical note, a FHIR R4 bundle or an Eligo patient profile. "
            "It is read on this server only and not stored." }
        form method="post" action="/screen" {
            div.field {
                label for="patient" { "Patient note or record" }
                textarea #patient name="patient" required { (text) }
            }
            div.field {
                label for="file" { "…or choose a file (FHIR bundle JSON or text)" }
                input #file type="file" accept=".json,.txt,application/json,text/plain";
            }
            div.field {
                label for="trials" { "Only these trials (optional: trial IDs separated by spaces or commas)" }
                input #trials type="text" name="trials" value=(trials);
            }
            button type="submit" { "Find matching trials" }
        }
        // Reads a chosen file into the text box (a file, not inline: the CSP allows no inline script).
        script src="/static/screen.js" {}
    }
}

#[derive(Debug, Deserialize)]
pub struct ScreenForm {
    patient: String,
    /// Trial IDs to screen instead of searching, separated by spaces or commas.
    #[serde(default)]
    trials: String,
}

impl ScreenForm {
    fn trial_ids(&self) -> Vec<String> {
        self.trials
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|id| !id.is_empty())
            .map(String::from)
            .collect()
    }
}

pub async fn results(State(state): State<Arc<AppState>>, Form(form): Form<ScreenForm>) -> Result<Markup, PageError> {
    let input = match eligo_patient::detect_kind(&form.patient) {
        InputKind::Note => PatientInput { note: Some(form.patient.clone()), ..PatientInput::default() },
        kind => {
            let json = serde_json::from_str(&form.patient).ok();
            match kind {
                InputKind::Fhir => PatientInput { fhir: json, ..PatientInput::default() },
                _ => PatientInput { profile: json, ..PatientInput::default() },
            }
        }
    };
    let trial_ids = form.trial_ids();
    let outcome =
        match (input.read(&state.limits), trial_ids.iter().try_for_each(|id| validate_trial_id(id).map(|_| ()))) {
            (Ok(read), Ok(())) => match_patient(&state, read, trial_ids, SHOWN).await,
            (Err(error), _) | (_, Err(error)) => Err(error),
        };
    let body = match outcome {
        Ok(answer) => html! {
            h1 { "Matching trials" }
            @for item in &answer.rejected { p.muted { "Not used: " (item.location) ": " (item.reason) } }
            p { (answer.message) }
            (suggested_diagnoses(&answer.suggested_diagnoses))
            @if !answer.results.is_empty() {
                p { (answer.results.len()) " trials, best first. Open one to see each criterion." }
            }
            @for trial in &answer.results { (matched_trial(trial)) }
            p { a href="/screen" { "Screen another patient" } }
        },
        Err(error) => html! {
            p.error role="alert" { (error.message) }
            (form_body(&form.patient, &form.trials))
        },
    };
    Ok(page("Matching trials", body))
}

/// The diagnoses the note's findings suggest, as hypotheses with their findings (and the
/// ontology's attribution, which its licence asks for wherever its content is shown).
fn suggested_diagnoses(suggested: &[SuggestedDiagnosis]) -> Markup {
    html! {
        @if !suggested.is_empty() {
            section aria-labelledby="suggested" {
                h2 #suggested { "What the findings suggest" }
                p { "Hypotheses to check, not diagnoses. Trials for them were searched, and criteria that ask for a suspected disease were screened with them." }
                ul {
                    @for diagnosis in suggested {
                        li { strong { (diagnosis.label()) } ": " (diagnosis.findings.join(", ")) }
                    }
                }
                p.muted { (eligo_match::PHENOTYPE_ATTRIBUTION) }
            }
        }
    }
}

fn matched_trial(trial: &MatchedTrial) -> Markup {
    html! {
        details {
            summary { (verdict_badge(trial.verdict, Reader::Coordinator)) " " (trial.title) " " span.muted { "(" (trial.trial_id) ")" } }
            p { a href={ "/trials/" (trial.trial_id) } { "Open the trial page" } }
            (criteria_groups(&trial.criteria, Explain::Coordinator))
        }
    }
}
