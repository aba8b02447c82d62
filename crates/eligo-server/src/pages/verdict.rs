//! How a screening is shown: the verdict in words, then the criteria met,
//! not met and still open, each with its reason and the evidence it used.

use eligo_match::{CriterionResult, Outcome, Verdict};
use eligo_model::Section;
use maud::{html, Markup};

/// Who reads the verdict: the person themself, or a coordinator screening someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Patient,
    Coordinator,
}

pub fn verdict_badge(verdict: Verdict, reader: Reader) -> Markup {
    let (class, words) = match (verdict, reader) {
        (Verdict::Eligible, Reader::Patient) => ("met", "You may qualify"),
        (Verdict::Possible, Reader::Patient) => ("unknown", "You might qualify — some questions are open"),
        (Verdict::Ineligible, Reader::Patient) => ("not-met", "You do not seem to qualify"),
        (Verdict::Eligible, Reader::Coordinator) => ("met", "Likely eligible"),
        (Verdict::Possible, Reader::Coordinator) => ("unknown", "Possibly eligible — open criteria"),
        (Verdict::Ineligible, Reader::Coordinator) => ("not-met", "Not eligible"),
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
