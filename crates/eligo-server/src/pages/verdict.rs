//! How a screening is shown: the verdict in words, then the criteria met,
//! not met and still open, each with its reason and the evidence it used.

use eligo_match::{CriterionResult, Outcome, Verdict};
use eligo_model::Section;
use maud::{html, Markup};

pub fn verdict_badge(verdict: Verdict) -> Markup {
    let (class, words) = match verdict {
        Verdict::Eligible => ("met", "You may qualify"),
        Verdict::Possible => ("unknown", "You might qualify — some questions are open"),
        Verdict::Ineligible => ("not-met", "You do not seem to qualify"),
    };
    html! { span class={ "badge " (class) } { (words) } }
}

/// Which way a criterion falls for the patient.
fn standing(result: &CriterionResult) -> (&'static str, &'static str) {
    if result.excludes() {
        ("not-met", "Not met")
    } else if result.supports() {
        ("met", "Met")
    } else {
        ("unknown", "Open")
    }
}

/// The criteria grouped as met / not met / open.
pub fn criteria_groups(results: &[CriterionResult]) -> Markup {
    let group = |wanted: &str| results.iter().filter(move |r| standing(r).1 == wanted).collect::<Vec<_>>();
    let groups = [("Not met", group("Not met")), ("Met", group("Met")), ("Still open", group("Open"))];
    html! {
        @for (heading, items) in &groups {
            @if !items.is_empty() {
                h3 { (heading) " (" (items.len()) ")" }
                ul.checklist { @for result in items { li { (criterion_line(result)) } } }
            }
        }
    }
}

fn criterion_line(result: &CriterionResult) -> Markup {
    let (class, label) = standing(result);
    let section = match result.section {
        Section::Exclusion => "exclusion",
        _ => "inclusion",
    };
    html! {
        span class={ "badge " (class) } { (label) } " "
        (result.text) " " span.kind { "[" (section) "]" }
        br;
        span.muted {
            (result.finding.reason)
            @if result.finding.outcome == Outcome::Unknown {
                @if let Some(question) = &result.finding.question { " — " (question.text) }
            }
            @for evidence in &result.finding.evidence {
                @if !evidence.text.is_empty() { " · “" (evidence.text) "”" }
            }
        }
    }
}
