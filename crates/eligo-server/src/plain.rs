//! The plain-language card: what a trial tests, who can join, where, how
//! long, and its status, written from the structured record by fixed
//! templates (no free text from the registry beyond names), and the
//! Flesch–Kincaid grade level of what was written.
//!
//! The templates use short sentences and everyday words so that the card
//! reads at about grade 8 or below; the grade is computed, not assumed, and
//! shown on the page. Names of drugs and diseases can push it up, which is
//! why the grade is reported per card.

use eligo_model::{Criterion, OverallStatus, Phase, Sex, Trial};

/// One line of the card: a topic and its sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct CardItem {
    pub topic: &'static str,
    pub text: String,
}

/// The card and its reading grade.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainCard {
    pub items: Vec<CardItem>,
    pub grade: f64,
}

/// Most names listed in one sentence; the rest are counted.
const MAX_NAMES: usize = 3;

/// The card of `trial`, whose structured criteria are `criteria`.
pub fn card(trial: &Trial, criteria: &[Criterion]) -> PlainCard {
    let items = vec![
        CardItem { topic: "What is being tested", text: what_is_tested(trial) },
        CardItem { topic: "Who can join", text: who_can_join(trial, criteria) },
        CardItem { topic: "Where", text: where_it_runs(trial) },
        CardItem { topic: "How long", text: how_long(trial) },
        CardItem { topic: "Status", text: status_sentence(trial) },
    ];
    let all_text = items.iter().map(|item| item.text.as_str()).collect::<Vec<_>>().join(" ");
    PlainCard { grade: flesch_kincaid_grade(&all_text), items }
}

fn what_is_tested(trial: &Trial) -> String {
    let treatments: Vec<&str> = trial.interventions.iter().map(|i| i.name.as_str()).collect();
    let mut text = match treatments.is_empty() {
        true => "This study does not name a treatment.".to_string(),
        false => format!("This study tests {}.", name_list(&treatments)),
    };
    let conditions: Vec<&str> = trial.conditions.iter().map(String::as_str).collect();
    if !conditions.is_empty() {
        text.push_str(&format!(" It is for people with {}.", name_list(&conditions)));
    }
    if let Some(sentence) = phase_sentence(&trial.phases) {
        text.push(' ');
        text.push_str(sentence);
    }
    text
}

fn phase_sentence(phases: &[Phase]) -> Option<&'static str> {
    let highest = phases.iter().filter(|p| p.is_known()).max()?;
    Some(match highest {
        Phase::EarlyPhase1 | Phase::Phase1 => "It is an early study. It checks if the treatment is safe.",
        Phase::Phase2 => "It is a phase 2 study. It checks if the treatment works and is safe.",
        Phase::Phase3 => "It is a phase 3 study. It compares the treatment with what is used now.",
        Phase::Phase4 => "It is a phase 4 study. The treatment is already approved. It looks at long-term use.",
        Phase::NotApplicable | Phase::Unrecognized(_) => return None,
    })
}

fn who_can_join(trial: &Trial, criteria: &[Criterion]) -> String {
    let eligibility = &trial.eligibility;
    let age = match (&eligibility.minimum_age, &eligibility.maximum_age) {
        (Some(min), Some(max)) => format!("You can join if you are {} old.", age_range(min, max)),
        (Some(min), None) => format!("You can join if you are at least {} old.", age_words(min)),
        (None, Some(max)) => format!("You can join if you are at most {} old.", age_words(max)),
        (None, None) => "The study does not set an age limit.".to_string(),
    };
    let sex = match eligibility.sex {
        Some(Sex::Female) => " Only women can join.",
        Some(Sex::Male) => " Only men can join.",
        _ => " Women and men can join.",
    };
    let volunteers = match eligibility.healthy_volunteers {
        Some(true) => " Healthy people can join too.",
        Some(false) => " You need to have the illness to join.",
        None => "",
    };
    let said = eligo_match::lay::key_rules(criteria);
    let rules: String = said.iter().map(|rule| format!(" {rule}")).collect();
    let more = match criterion_count(criteria).saturating_sub(said.len()) {
        0 => String::new(),
        n if said.is_empty() => format!(" There are {n} more rules in the checklist below."),
        n => format!(" And {n} more rules in the checklist below."),
    };
    format!("{age}{sex}{volunteers}{rules}{more}")
}

/// Criteria as the checklist counts them: one per span of text, however many requirements the
/// engine read from it.
pub fn criterion_count(criteria: &[Criterion]) -> usize {
    let mut spans: Vec<(usize, usize)> = criteria.iter().map(|c| (c.start, c.end)).collect();
    spans.sort_unstable();
    spans.dedup();
    spans.len()
}

/// "18 to 65 years" when both ends share a unit, else "6 months to 17 years".
fn age_range(min: &eligo_model::Duration, max: &eligo_model::Duration) -> String {
    if min.unit == max.unit {
        let number = min.to_string();
        let number = number.split(' ').next().unwrap_or_default();
        format!("{number} to {}", age_words(max))
    } else {
        format!("{} to {}", age_words(min), age_words(max))
    }
}

fn age_words(age: &eligo_model::Duration) -> String {
    age.to_string().to_lowercase()
}

fn where_it_runs(trial: &Trial) -> String {
    let sites = trial.locations.len();
    if sites == 0 {
        return "No study sites are listed yet.".to_string();
    }
    let mut countries: Vec<&str> = trial.locations.iter().filter_map(|l| l.country.as_deref()).collect();
    countries.sort_unstable();
    countries.dedup();
    let place = match countries.is_empty() {
        true => String::new(),
        false => format!(" in {}", name_list(&countries)),
    };
    match sites {
        1 => format!("It runs at 1 site{place}."),
        n => format!("It runs at {n} sites{place}."),
    }
}

fn how_long(trial: &Trial) -> String {
    let start = trial.start_date.as_ref().map(|d| d.date);
    let end = trial.completion_date.as_ref().or(trial.primary_completion_date.as_ref()).map(|d| d.date);
    let mut text = match (start, end) {
        (Some(start), Some(end)) => {
            format!("It starts in {}. It should end in {}.", month_year(start), month_year(end))
        }
        (Some(start), None) => format!("It starts in {}. No end date is given.", month_year(start)),
        (None, Some(end)) => format!("It should end in {}.", month_year(end)),
        (None, None) => "No dates are given.".to_string(),
    };
    if let (Some(start), Some(end)) = (start, end) {
        let months =
            (end.year - start.year) * 12 + i32::from(end.month.unwrap_or(1)) - i32::from(start.month.unwrap_or(1));
        match months {
            m if m >= 24 => text.push_str(&format!(" That is about {} years.", m / 12)),
            m if m > 1 => text.push_str(&format!(" That is about {m} months.")),
            _ => {}
        }
    }
    text
}

fn month_year(date: eligo_model::PartialDate) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match date.month.and_then(|m| MONTHS.get(usize::from(m).wrapping_sub(1))) {
        Some(month) => format!("{month} {}", date.year),
        None => date.year.to_string(),
    }
}

fn status_sentence(trial: &Trial) -> String {
    let status = match &trial.overall_status {
        Some(OverallStatus::Recruiting) => "It is looking for people now.",
        Some(OverallStatus::NotYetRecruiting) => "It will start to look for people soon.",
        Some(OverallStatus::EnrollingByInvitation) => "It only takes people it invites.",
        Some(OverallStatus::ActiveNotRecruiting) => "It is still running, but it takes no new people.",
        Some(OverallStatus::Completed) => "It has ended.",
        Some(OverallStatus::Suspended) => "It is on hold for now.",
        Some(OverallStatus::Terminated) => "It was stopped early.",
        Some(OverallStatus::Withdrawn) => "It was stopped before it began.",
        _ => "Its status is not known.",
    };
    match &trial.enrollment {
        Some(enrollment) if enrollment.count > 0 => format!("{status} It plans to have {} people.", enrollment.count),
        _ => status.to_string(),
    }
}

/// "a", "a and b", "a, b and c", "a, b, c and 2 more".
fn name_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        _ if names.len() <= MAX_NAMES => {
            let (last, rest) = names.split_last().map_or((&"", &names[..0]), |(l, r)| (l, r));
            format!("{} and {last}", rest.join(", "))
        }
        _ => format!("{} and {} more", names[..MAX_NAMES].join(", "), names.len() - MAX_NAMES),
    }
}

/// Flesch–Kincaid grade level:
/// `0.39 × words/sentences + 11.8 × syllables/words − 15.59`.
/// Sentences end at `.`, `!` or `?`; a number counts as one word of two
/// syllables (most numbers are read as two or more). Empty text is grade 0.
pub fn flesch_kincaid_grade(text: &str) -> f64 {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    if words.is_empty() {
        return 0.0;
    }
    let sentences = text.split(['.', '!', '?']).filter(|s| s.chars().any(char::is_alphanumeric)).count().max(1);
    let syllables: usize = words.iter().map(|w| syllables(w)).sum();
    let words_per_sentence = words.len() as f64 / sentences as f64;
    let syllables_per_word = syllables as f64 / words.len() as f64;
    0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
}

/// Vowel groups, less a silent final `e`; at least one.
fn syllables(word: &str) -> usize {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return 2;
    }
    let lower: Vec<char> = word.to_lowercase().chars().filter(|c| c.is_alphabetic()).collect();
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut groups = 0;
    let mut previous_vowel = false;
    for &c in &lower {
        let vowel = is_vowel(c);
        if vowel && !previous_vowel {
            groups += 1;
        }
        previous_vowel = vowel;
    }
    let n = lower.len();
    // "make" drops its final e; "table" (consonant + le) keeps it.
    let consonant_le = |n: usize| lower[n - 2] == 'l' && !is_vowel(lower[n - 3]);
    let silent_e = n > 2 && lower[n - 1] == 'e' && !is_vowel(lower[n - 2]) && !consonant_le(n);
    if silent_e && groups > 1 {
        groups -= 1;
    }
    groups.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_model::{Duration, Eligibility, Intervention, Location, TimeUnit};

    #[test]
    fn syllables_follow_vowel_groups() {
        assert_eq!(syllables("cat"), 1);
        assert_eq!(syllables("make"), 1);
        assert_eq!(syllables("table"), 2);
        assert_eq!(syllables("people"), 2);
        assert_eq!(syllables("study"), 2);
        assert_eq!(syllables("treatment"), 2);
        assert_eq!(syllables("rituximab"), 4);
    }

    #[test]
    fn grade_rises_with_long_sentences_and_long_words() {
        let simple = flesch_kincaid_grade("The cat sat on the mat. It was a good day.");
        let hard = flesch_kincaid_grade(
            "Immunosuppressive pharmacotherapy necessitates comprehensive individualized evaluation \
             considering contraindications, comorbidities and concomitant medications administered previously.",
        );
        assert!(simple < 2.0, "simple text graded {simple}");
        assert!(hard > 16.0, "hard text graded {hard}");
        assert_eq!(flesch_kincaid_grade(""), 0.0);
    }

    fn sample_trial() -> Trial {
        Trial {
            id: "NCT00000001".into(),
            overall_status: Some(OverallStatus::Recruiting),
            phases: vec![Phase::Phase2],
            conditions: vec!["Lupus".into()],
            interventions: vec![Intervention { name: "Belimumab".into(), ..Default::default() }],
            eligibility: Eligibility {
                minimum_age: Some(Duration::new(18.0, TimeUnit::Years)),
                maximum_age: Some(Duration::new(65.0, TimeUnit::Years)),
                sex: Some(Sex::Female),
                ..Default::default()
            },
            locations: vec![
                Location { country: Some("France".into()), ..Default::default() },
                Location { country: Some("Chile".into()), ..Default::default() },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn card_says_what_who_where_and_status_plainly() {
        let card = card(&sample_trial(), &[]);
        let text: Vec<&str> = card.items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(text[0], "This study tests Belimumab. It is for people with Lupus. It is a phase 2 study. It checks if the treatment works and is safe.");
        assert_eq!(text[1], "You can join if you are 18 to 65 years old. Only women can join.");
        assert_eq!(text[2], "It runs at 2 sites in Chile and France.");
        assert_eq!(text[4], "It is looking for people now.");
        assert!(card.grade <= 8.0, "grade {}", card.grade);
    }

    #[test]
    fn long_name_lists_are_cut() {
        assert_eq!(name_list(&["a", "b"]), "a and b");
        assert_eq!(name_list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(name_list(&["a", "b", "c", "d", "e"]), "a, b, c and 2 more");
    }
}
