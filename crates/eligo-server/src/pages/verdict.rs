//! How a screening is shown: the verdict in words, then the criteria against the person, in
//! their favour and still open, one line per sentence of the criteria. The person themself reads
//! each rule in plain words with what their answers make of it, and an open rule says the
//! question that would settle it in the words the check pages ask it
//! (`eligo_match::lay_questions`); a coordinator reads the engine's reasons and evidence.

use eligo_match::{CriterionResult, LayQuestions, Outcome, TeamCheck, Verdict};
use eligo_model::{Criterion, Section};
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

/// How the criteria are explained. The person themself reads each trial rule in plain words
/// (`criteria`: the prepared trial's, one per screening result, in the same order) with what their
/// answers make of it, and the questions still open in the words the steps ask
/// them (`lay`); the rules the study team checks (`team`) are listed apart, not here. A
/// coordinator reads the engine's reasons and the evidence from the record.
#[derive(Clone, Copy)]
pub enum Explain<'a> {
    Patient { criteria: &'a [Criterion], lay: &'a LayQuestions, team: &'a [TeamCheck] },
    Coordinator,
}

impl Explain<'_> {
    /// Whether a line is left to the list of things the study team will check.
    fn left_to_team(&self, line: &Line) -> bool {
        match self {
            Explain::Patient { team, .. } => team.iter().any(|check| check.text == line.text()),
            Explain::Coordinator => false,
        }
    }
}

/// The results of one sentence of the criteria: the engine may read a sentence as several
/// requirements, but the person sees it once.
struct Line<'r> {
    /// Indexes of the results into the screening's results.
    members: Vec<usize>,
    results: Vec<&'r CriterionResult>,
}

impl Line<'_> {
    /// Against as soon as one reading excludes, open while one is open, else in favour.
    fn standing(&self) -> (Standing, &'static str) {
        let standings: Vec<_> = self.results.iter().map(|r| standing(r)).collect();
        [Standing::Against, Standing::Open, Standing::InFavour]
            .into_iter()
            .find_map(|wanted| standings.iter().find(|(s, _)| *s == wanted).copied())
            .unwrap_or((Standing::Open, "Open"))
    }

    fn section(&self) -> Section {
        self.results.first().map_or(Section::Inclusion, |r| r.section)
    }

    fn text(&self) -> &str {
        self.results.first().map_or("", |r| r.text.as_str())
    }
}

/// One line per sentence, in the criteria's order.
fn lines(results: &[CriterionResult]) -> Vec<Line<'_>> {
    let mut lines: Vec<Line> = Vec::new();
    for (index, result) in results.iter().enumerate() {
        let same = |line: &&mut Line| line.section() == result.section && line.text() == result.text;
        match lines.iter_mut().find(same) {
            Some(line) => {
                line.members.push(index);
                line.results.push(result);
            }
            None => lines.push(Line { members: vec![index], results: vec![result] }),
        }
    }
    lines
}

/// Lines that say the same rule in plain words (the registry's age limits and the sentence that
/// states them again) are one line for the person; rules left to the study team stay apart.
fn merge_same_rules<'r>(lines: Vec<Line<'r>>, criteria: &[Criterion]) -> Vec<Line<'r>> {
    let mut merged: Vec<(String, Line)> = Vec::new();
    for line in lines {
        let words = rule_words(&line, criteria);
        let same = |(said, kept): &&mut (String, Line)| {
            *said == words && kept.section() == line.section() && words != eligo_match::lay::TEAM_RULE
        };
        match merged.iter_mut().find(same) {
            Some((_, kept)) => {
                kept.members.extend(line.members);
                kept.results.extend(line.results);
            }
            None => merged.push((words, line)),
        }
    }
    merged.into_iter().map(|(_, line)| line).collect()
}

/// The criteria grouped: against the patient, in their favour, still open.
pub fn criteria_groups(results: &[CriterionResult], explain: Explain) -> Markup {
    let lines = match explain {
        Explain::Patient { criteria, .. } => merge_same_rules(lines(results), criteria),
        Explain::Coordinator => lines(results),
    };
    html! {
        @for wanted in [Standing::Against, Standing::InFavour, Standing::Open] {
            @let items: Vec<&Line> = lines
                .iter()
                .filter(|l| l.standing().0 == wanted && !(wanted == Standing::Open && explain.left_to_team(l)))
                .collect();
            @if !items.is_empty() {
                h3 { (wanted.heading()) " (" (items.len()) ")" }
                ul.checklist { @for line in &items { li { (criterion_line(line, explain)) } } }
            }
        }
    }
}

fn criterion_line(line: &Line, explain: Explain) -> Markup {
    let (standing, label) = line.standing();
    let exclusion = line.section() == Section::Exclusion;
    let section = if exclusion { "exclusion" } else { "inclusion" };
    let text = eligo_criteria::repair_glue(line.text());
    html! {
        span class={ "badge " (standing.class()) } { (label) } " "
        @match explain {
            Explain::Patient { criteria, lay, .. } => {
                @let rule = rule_words(line, criteria);
                // A rule that cannot be said plainly is said in the study's own words.
                @let plain = rule != eligo_match::lay::TEAM_RULE;
                span.reading { @if plain { (rule) } @else { "“" (text) "”" } } " " span.kind { "[" (section) "]" }
                br;
                span.muted { (patient_words(line, standing, exclusion, lay)) }
                @if plain { details.why { summary { "The study’s words" } p { "“" (text) "”" } } }
            }
            Explain::Coordinator => {
                (text) " " span.kind { "[" (section) "]" }
                br;
                span.muted { (coordinator_words(line)) }
            }
        }
    }
}

/// The trial's rule in plain words, all the readings of the sentence together.
fn rule_words(line: &Line, criteria: &[Criterion]) -> String {
    let read: Vec<&Criterion> = line.members.iter().filter_map(|&i| criteria.get(i)).collect();
    eligo_match::lay::rule_words(&read)
}

/// What the person's answers make of a rule, in their words: met, keeps them out, or the
/// question still to answer.
fn patient_words(line: &Line, standing: Standing, exclusion: bool, lay: &LayQuestions) -> String {
    match (standing, exclusion) {
        (Standing::Against, true) => "From your answers, this applies to you, so you cannot join.".into(),
        (Standing::Against, false) => "From your answers, you do not meet this.".into(),
        (Standing::InFavour, true) => "From your answers, this does not apply to you.".into(),
        (Standing::InFavour, false) => "From your answers, you meet this.".into(),
        (Standing::Open, _) => {
            let mut asked: Vec<&str> = Vec::new();
            for result in line.results.iter().filter(|r| r.finding.outcome == Outcome::Unknown) {
                let worded = result.finding.question.as_ref().and_then(|q| lay.get(&q.key));
                if let Some(Ok(question)) = worded {
                    if !asked.contains(&question.text.as_str()) {
                        asked.push(&question.text);
                    }
                }
            }
            if asked.is_empty() {
                "The study team will check this with you.".into()
            } else {
                format!("Still to answer: {}", asked.join(" "))
            }
        }
    }
}

/// The engine's reasons and the record's evidence, each once.
fn coordinator_words(line: &Line) -> String {
    let mut said: Vec<String> = Vec::new();
    for result in &line.results {
        let mut words = result.finding.reason.clone();
        for evidence in result.finding.evidence.iter().filter(|e| !e.text.is_empty()) {
            words.push_str(&format!(" · “{}”", evidence.text));
        }
        if !said.contains(&words) {
            said.push(words);
        }
    }
    said.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_match::{PreparedPatient, PreparedTrial};
    use eligo_model::{Comparison, Computable, ConceptRef, Operator, Trial};

    #[test]
    fn exclusions_say_whether_they_apply_and_inclusions_whether_they_are_met() {
        let mut trial = Trial { id: "NCT00000001".into(), ..Default::default() };
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
        let page = criteria_groups(&screening.results, Explain::Coordinator).into_string();
        assert!(page.contains("Met or not excluding (2)"), "{page}");
    }

    #[test]
    fn a_sentence_read_twice_is_one_line_in_plain_words_with_the_question_still_open() {
        let hbsag = Computable::Lab {
            test: ConceptRef { id: "ELIGO:lab.hbsag".into(), name: "Hepatitis B surface antigen".into() },
            comparison: Comparison::new(Operator::Eq, 1.0, None, Some("positive")),
            uln_multiple: false,
            window: None,
        };
        let rituximab = Computable::PriorTherapy {
            drugs: vec![ConceptRef { id: "DRUG:rituximab".into(), name: "Rituximab".into() }],
            window: None,
            dose: None,
            scope: Default::default(),
        };
        let text = "Hepatitis B surface antigen positive, or previously treated withrituximab";
        let criterion = |computable| Criterion {
            section: Section::Exclusion,
            start: 0,
            end: text.len(),
            text: text.into(),
            computable: vec![computable],
            negated: false,
            applies_if: Vec::new(),
            entities: Vec::new(),
        };
        let trial = Trial {
            id: "NCT00000002".into(),
            criteria: vec![criterion(hbsag), criterion(rituximab)],
            ..Default::default()
        };
        let prepared = PreparedTrial::new(&trial);
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let nobody = eligo_model::Patient::default();
        let screening = prepared.screen(&PreparedPatient::new(&nobody), as_of);
        let lay = eligo_match::lay_questions([&prepared], &nobody, as_of);
        let explain = Explain::Patient { criteria: &prepared.criteria, lay: &lay, team: &[] };
        let page = criteria_groups(&screening.results, explain).into_string();
        assert_eq!(page.matches("<li>").count(), 1, "one line for the sentence: {page}");
        assert!(
            page.contains("Not allowed: a positive hepatitis B surface antigen (HBsAg) test; or rituximab"),
            "{page}"
        );
        assert!(page.contains("Still to answer: Have you had a hepatitis B surface antigen (HBsAg) test?"), "{page}");
        assert!(page.contains("previously treated with rituximab"), "the study's words, glue repaired: {page}");
        assert!(!page.contains("no record"), "no engine reason: {page}");
    }
}
