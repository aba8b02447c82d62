//! The question steps both check pages share: a few plain-language questions per step, grouped,
//! each with why it is asked; the answers so far travel in hidden form fields (never on the
//! server, never in a URL) and every step is a form POST, so it all works without JavaScript.

use std::collections::HashSet;

use eligo_match::lay::unit_words;
use eligo_match::{Group, LayQuestion, Reply, TeamCheck};
use maud::{html, Markup};

use crate::answers::field_name;

/// Prefix of the unit chosen beside a number answer.
const UNIT_PREFIX: &str = "u.";
/// The submit button that asks for the result now, whatever is still open.
pub const FINISH: &str = "finish";

/// Answer values that record nothing: the person does not know.
const NOTHING_KNOWN: &[&str] = &["", "not-sure", "never"];

/// What the person has answered so far, read from a step's form.
pub struct Answered {
    /// (answer field name, value) for the answers engine; a number carries its chosen unit.
    pub fields: Vec<(String, String)>,
    /// Every question already put to the person, answered or not.
    pub asked: HashSet<String>,
    /// Whether they asked for the result now.
    pub finish: bool,
}

/// Reads a step's posted fields.
pub fn answered(fields: &[(String, String)]) -> Answered {
    let mut asked = HashSet::new();
    let mut answers = Vec::new();
    for (name, value) in fields {
        let Some(key) = name.strip_prefix("a.") else { continue };
        asked.insert(key.to_string());
        let value = value.trim();
        if NOTHING_KNOWN.contains(&value) {
            continue;
        }
        let unit = fields.iter().find(|(n, _)| n.strip_prefix(UNIT_PREFIX) == Some(key)).map(|(_, u)| u.trim());
        let value = match unit {
            Some(unit) if !unit.is_empty() && !value.contains(' ') => format!("{value} {unit}"),
            _ => value.to_string(),
        };
        answers.push((name.clone(), value));
    }
    let finish = fields.iter().any(|(name, _)| name == FINISH);
    Answered { fields: answers, asked, finish }
}

/// The answers so far as hidden fields, so the next step carries them on.
pub fn hidden_answers(fields: &[(String, String)], answered: &Answered) -> Markup {
    html! {
        @for (name, value) in fields.iter().filter(|(n, _)| n.starts_with("a.")) {
            @let carried = answered.fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str());
            @if !value.is_empty() || answered.asked.contains(name.trim_start_matches("a.")) {
                input type="hidden" name=(name) value=(carried);
            }
        }
    }
}

/// One step's questions, grouped under headings.
pub fn questions(step: &[LayQuestion]) -> Markup {
    let groups = [Group::AboutYou, Group::Conditions, Group::Medicines, Group::Tests];
    html! {
        @for group in groups {
            @let items: Vec<(usize, &LayQuestion)> = step.iter().enumerate().filter(|(_, q)| q.group == group).collect();
            @if !items.is_empty() {
                h2 { (group.heading()) }
                @for (n, question) in items { (question_field(n, question)) }
            }
        }
    }
}

fn question_field(n: usize, question: &LayQuestion) -> Markup {
    let name = field_name(&question.key);
    let id = format!("q{n}");
    html! {
        @match &question.reply {
            Reply::Number { units } => div.field {
                label for=(id) { (question.text) }
                @if let Some(hint) = &question.hint { span.muted.hint id={ (id) "-hint" } { (hint) } }
                div.number {
                    input id=(id) type="number" step="any" name=(name) inputmode="decimal" aria-describedby={ (id) "-hint" };
                    @if units.len() > 1 {
                        label.skip for={ (id) "-unit" } { "Unit" }
                        select id={ (id) "-unit" } name={ (UNIT_PREFIX) (question.key) } {
                            @for unit in units { option value=(unit) { (unit_words(unit)) } }
                        }
                    } @else if let Some(unit) = units.first() { " " span { (unit_words(unit)) } }
                }
                (why(question))
            },
            Reply::Sex => fieldset {
                legend { (question.text) }
                (choice(&id, &name, &[("female", "Female"), ("male", "Male"), ("", "Prefer not to say")]))
                (why(question))
            },
            Reply::YesNo => fieldset {
                legend { (question.text) }
                (choice(&id, &name, &[("yes", "Yes"), ("no", "No"), ("not-sure", "Not sure")]))
                (why(question))
            },
            Reply::Qualitative => fieldset {
                legend { (question.text) }
                (choice(&id, &name, &[("positive", "Positive"), ("negative", "Negative"), ("never", "Never tested"), ("not-sure", "Not sure")]))
                (why(question))
            },
        }
    }
}

fn choice(id: &str, name: &str, options: &[(&str, &str)]) -> Markup {
    let last = options.len().saturating_sub(1);
    html! {
        span.choices {
            @for (i, (value, label)) in options.iter().enumerate() {
                span.choice {
                    input id={ (id) "-" (i) } type="radio" name=(name) value=(value) checked[i == last];
                    label for={ (id) "-" (i) } { (label) }
                }
            }
        }
    }
}

/// The criteria behind a question, on expand.
fn why(question: &LayQuestion) -> Markup {
    html! {
        @if !question.why.is_empty() {
            details.why {
                summary { "Why we ask" }
                @for text in &question.why { p { "The study says: “" (text) "”" } }
            }
        }
    }
}

/// "Things the study team will check".
pub fn team_checks(checks: &[TeamCheck]) -> Markup {
    html! {
        @if !checks.is_empty() {
            h2 { "Things the study team will check" }
            p.muted { "We do not ask about these here: they need a doctor or your records." }
            ul.checklist {
                @for check in checks {
                    li { (eligo_criteria::repair_glue(&check.text)) br; span.muted { (check.reason) } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn not_sure_is_asked_but_records_nothing_and_units_join_numbers() {
        let fields =
            pairs(&[("a.age", "45"), ("a.hiv", "not-sure"), ("a.egfr", "75"), ("u.egfr", "ml/min"), ("x", "1")]);
        let read = answered(&fields);
        assert_eq!(read.fields, pairs(&[("a.age", "45"), ("a.egfr", "75 ml/min")]));
        assert!(read.asked.contains("hiv") && read.asked.contains("age") && !read.asked.contains("x"));
        assert!(!read.finish);
        assert!(answered(&pairs(&[(FINISH, "")])).finish);
    }

    #[test]
    fn hidden_fields_carry_every_question_asked() {
        let fields = pairs(&[("a.age", "45"), ("a.hiv", "not-sure"), ("a.egfr", "75"), ("u.egfr", "ml/min")]);
        let html = hidden_answers(&fields, &answered(&fields)).into_string();
        assert!(html.contains(r#"name="a.egfr" value="75 ml/min""#), "{html}");
        assert!(html.contains(r#"name="a.hiv" value="""#), "{html}");
        assert!(!html.contains("u.egfr"), "{html}");
    }
}
