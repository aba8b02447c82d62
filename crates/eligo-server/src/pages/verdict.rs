//! How a screening is shown: the verdict in words, then the criteria met,
//! not met and still open, each with its reason and the evidence it used; an open criterion says
//! the question that would settle it in the words the check pages ask it
//! (`eligo_match::lay_questions`), or that the study team checks it.

use eligo_match::{CriterionResult, LayQuestions, Outcome, Verdict};
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

/// Which way a criterion falls for the patient: its group and its badge. An exclusion that
/// holds is what keeps someone out, so "met" would read the wrong way round for it; exclusions
/// say whether they apply instead.
fn standing(result: &CriterionResult) -> (Standing, &'static str) {
    let exclusion = result.section == Section::Exclusion;
    if result.excludes() {
        (Standing::Against, if exclusion { "Applies" } else { "Not met" })
    } else if result.supports() {
        (Standing::InFavour, if exclusion { "Does not apply" } else { "Met" })
    } else {
        (Standing::Open, "Open")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Against,
    InFavour,
    Open,
}

impl Standing {
    fn class(self) -> &'static str {
        match self {
            Standing::Against => "not-met",
            Standing::InFavour => "met",
            Standing::Open => "unknown",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Standing::Against => "Not met or excluding",
            Standing::InFavour => "Met or not excluding",
            Standing::Open => "Still open",
        }
    }
}

/// The criteria grouped: against the patient, in their favour, still open; `lay` words the
/// questions of the open ones.
pub fn criteria_groups(results: &[CriterionResult], lay: &LayQuestions) -> Markup {
    let group = |wanted: Standing| results.iter().filter(move |r| standing(r).0 == wanted).collect::<Vec<_>>();
    html! {
        @for wanted in [Standing::Against, Standing::InFavour, Standing::Open] {
            @let items = group(wanted);
            @if !items.is_empty() {
                h3 { (wanted.heading()) " (" (items.len()) ")" }
                ul.checklist { @for result in &items { li { (criterion_line(result, lay)) } } }
            }
        }
    }
}

fn criterion_line(result: &CriterionResult, lay: &LayQuestions) -> Markup {
    let (standing, label) = standing(result);
    let class = standing.class();
    let section = match result.section {
        Section::Exclusion => "exclusion",
        _ => "inclusion",
    };
    html! {
        span class={ "badge " (class) } { (label) } " "
        (eligo_criteria::repair_glue(&result.text)) " " span.kind { "[" (section) "]" }
        br;
        span.muted {
            (result.finding.reason)
            @if result.finding.outcome == Outcome::Unknown {
                @match result.finding.question.as_ref().and_then(|q| lay.get(&q.key)) {
                    Some(Ok(question)) => { " — " (question.text) }
                    Some(Err(why)) => { " — the study team will check this: " (why) }
                    None => {}
                }
            }
            @for evidence in &result.finding.evidence {
                @if !evidence.text.is_empty() { " · “" (evidence.text) "”" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_match::{PreparedPatient, PreparedTrial};

    #[test]
    fn exclusions_say_whether_they_apply_and_inclusions_whether_they_are_met() {
        let mut trial = eligo_model::Trial { id: "NCT00000001".into(), ..Default::default() };
        trial.eligibility.criteria_text =
            Some("Inclusion Criteria:\n- Age 18 years or older\nExclusion Criteria:\n- Pregnancy".into());
        let patient = eligo_patient::profile::read_profile(r#"{"age":40,"sex":"male"}"#).unwrap().patient;
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let screening = PreparedTrial::new(&trial).screen(&PreparedPatient::new(&patient), as_of);
        let badge = |text: &str| {
            let result = screening.results.iter().find(|r| r.text.contains(text)).expect("criterion read");
            standing(result)
        };
        assert_eq!(badge("Pregnancy"), (Standing::InFavour, "Does not apply"));
        assert_eq!(badge("Age"), (Standing::InFavour, "Met"));
        let page = criteria_groups(&screening.results, &Default::default()).into_string();
        assert!(page.contains("Met or not excluding (2)"), "{page}");
    }
}
