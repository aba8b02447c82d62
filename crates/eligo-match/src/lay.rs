//! Plain words for what criteria ask: lay names of tests, medicines and conditions, and a
//! criterion's reading said simply ("Not allowed: rituximab (Rituxan, MabThera) in the last 6
//! months"). The questions, the trial card and the checklist all say things through here, so a
//! concept is named the same way everywhere.
//!
//! Lay names come from a hand-curated table (`data/lay_names.tsv`) keyed by concept id or name;
//! a concept it does not list keeps its vocabulary name, lower-cased unless it is an acronym.
//! Whether a reading can be put to a person at all is also decided here ([`Unaskable`]): a list
//! the engine could only read in part, a generic head word ("involvement", "disease") or a name
//! the vocabulary does not know is for the study team, not for a question.

use std::collections::HashMap;
use std::sync::OnceLock;

use eligo_model::{
    Comparison, Computable, ConceptRef, Criterion, NonComputableReason, Operator, PregnancyState, Section, Sex,
    TimeWindow,
};

const LAY_NAMES: &str = include_str!("../data/lay_names.tsv");

/// Head words too general to ask about alone: a person cannot say whether they have "involvement".
const GENERIC_HEADS: &[&str] = &[
    "involvement",
    "disease",
    "diseases",
    "disorder",
    "disorders",
    "condition",
    "conditions",
    "comorbidities",
    "comorbidity",
    "illness",
    "procedure",
    "procedures",
    "surgery",
    "therapy",
    "therapies",
    "treatment",
    "treatments",
    "agents",
    "agent",
    "medication",
    "medications",
    "drug",
    "drugs",
    "infection",
    "infections",
    "abnormality",
    "abnormalities",
    "hypersensitivity",
    "allergy",
    "allergies",
];

/// Words that leave a generic head word generic: "medical condition", "any other disease".
const GENERIC_MODIFIERS: &[&str] = &[
    "medical",
    "other",
    "any",
    "serious",
    "significant",
    "severe",
    "concomitant",
    "active",
    "chronic",
    "underlying",
    "major",
    "current",
    "known",
    "relevant",
    "healthy",
    "clinically",
];

/// Most names one question lists; a longer list is for the study team.
pub const MAX_LISTED: usize = 4;

fn table() -> &'static HashMap<String, &'static str> {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        LAY_NAMES
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| line.split_once('\t'))
            .map(|(key, lay)| (key.trim().to_lowercase(), lay.trim()))
            .collect()
    })
}

/// The curated lay name of a concept, by id first, then by name.
pub fn curated_name(concept: &ConceptRef) -> Option<&'static str> {
    let table = table();
    table.get(&concept.id.to_lowercase()).or_else(|| table.get(&concept.name.to_lowercase())).copied()
}

/// How a person would name a concept: the curated lay name, else the vocabulary's name with a
/// lower-case first letter (acronyms such as "HIV" kept).
pub fn lay_name(concept: &ConceptRef) -> String {
    if let Some(lay) = curated_name(concept) {
        return lay.to_string();
    }
    // A bracketed gloss ("zoster [herpes zoster]") and a coder's "unspecified" are the
    // vocabulary's words, not a person's.
    let name = concept.name.split(" [").next().unwrap_or_default().trim();
    let name = name.strip_suffix(", unspecified").unwrap_or(name);
    let mut words = name.split(' ');
    let first = words.next().unwrap_or_default();
    let acronym = first.chars().filter(|c| c.is_alphabetic()).skip(1).any(char::is_uppercase);
    if acronym || (concept.id.starts_with("TEXT:") && is_title(name)) {
        return name.to_string();
    }
    let mut chars = first.chars();
    let lowered: String = chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default();
    std::iter::once(lowered.as_str()).chain(words).collect::<Vec<_>>().join(" ")
}

/// Whether a name the criterion wrote itself is a title, every word capitalised but the small ones
/// ("Epworth Sleepiness Scale", "Clinical Global Impression of Severity"): an instrument's name,
/// kept as written.
fn is_title(name: &str) -> bool {
    let mut words = name.split(' ').filter(|w| !matches!(*w, "of" | "for" | "and" | "the" | "in"));
    name.contains(' ') && words.all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
}

/// Lay names as a list: "a", "a or b", "a, b or c".
pub fn lay_list(concepts: &[ConceptRef], joiner: &str) -> String {
    let mut names: Vec<String> = Vec::new();
    for concept in concepts {
        let name = lay_name(concept);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {joiner} {last}", rest.join(", ")),
    }
}

/// Why a reading is for the study team rather than a question.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unaskable {
    #[error("the list is too long to ask about")]
    LongList,
    #[error("“{0}” is too general to ask about")]
    Generic(String),
    #[error("“{0}” was not read with certainty")]
    Uncertain(String),
    #[error("a number whose unit was not read with certainty")]
    UnitUnsure,
    #[error("only the study team can judge this")]
    ForTheTeam,
    #[error("{0} is the study's own treatment: the rule says when the study team checks something")]
    StudySchedule(String),
}

/// Whether a person can be asked about these concepts: a short list of specific names the
/// vocabulary knows (or the lay table does).
pub fn askable_concepts(concepts: &[ConceptRef]) -> Result<(), Unaskable> {
    if concepts.len() > MAX_LISTED {
        return Err(Unaskable::LongList);
    }
    for concept in concepts {
        if curated_name(concept).is_some() {
            continue;
        }
        // A head word alone is generic ("disease", "involvement", "medical condition"); named, it
        // is not ("Crohn disease").
        let name = concept.name.to_lowercase();
        if GENERIC_HEADS.contains(&without_generic_modifiers(&name).as_str()) || name.contains('…') {
            return Err(Unaskable::Generic(concept.name.clone()));
        }
        // The engine names a phrase the vocabulary lacks by its text ("text:…"): a guess at best.
        if concept.id.starts_with("text:") {
            return Err(Unaskable::Uncertain(concept.name.clone()));
        }
    }
    Ok(())
}

/// A lower-case name without the words that leave a head generic: "any other medical condition"
/// is "condition", "deviation from healthy conditions" is "deviation from conditions".
pub(crate) fn without_generic_modifiers(name: &str) -> String {
    name.split_whitespace().filter(|word| !GENERIC_MODIFIERS.contains(word)).collect::<Vec<_>>().join(" ")
}

/// Whether a reading can be said plainly and asked: its names specific and known, its unit read
/// with certainty. A reading that cannot is for the study team.
pub fn sayable(computable: &Computable) -> Result<(), Unaskable> {
    match computable {
        Computable::Condition { concepts, .. }
        | Computable::Infection { concepts, .. }
        | Computable::Procedure { concepts, .. } => askable_concepts(concepts),
        Computable::PriorTherapy { drugs, .. } => askable_concepts(drugs),
        Computable::Allergy { substances } => askable_concepts(substances),
        Computable::Lab { test, comparison, .. } => {
            askable_concepts(std::slice::from_ref(test))?;
            askable_unit(test, comparison.unit.as_deref())
        }
        _ => Ok(()),
    }
}

/// Phrases that name the study's own treatment as the moment its schedule counts from.
const SCHEDULE_ANCHORS: &[&str] =
    &["first administration of", "first dose of", "first infusion of", "first injection of", "start of"];

/// Whether `text` names a treatment reading's drugs only as the moment the study's schedule
/// counts from ("IgG < 4 g/L within 10 days before the first administration of belimumab"): the
/// sentence asks when a test is done, not whether the person took the drug.
pub fn names_schedule(computable: &Computable, text: &str) -> bool {
    let Computable::PriorTherapy { drugs, .. } = computable else { return false };
    let text = text.to_lowercase();
    let anchored = |drug: &ConceptRef| {
        let name = drug.name.to_lowercase();
        let mut mentions = text.match_indices(name.as_str()).map(|(at, _)| at).peekable();
        mentions.peek().is_some()
            && mentions.all(|at| SCHEDULE_ANCHORS.iter().any(|anchor| text[..at].trim_end().ends_with(anchor)))
    };
    !drugs.is_empty() && drugs.iter().all(anchored)
}

/// Whether a lab threshold's unit fits the test: a unit the vocabulary cannot convert to the
/// test's usual unit was probably misread ("high β 2MG" read as IgG in mg).
pub fn askable_unit(test: &ConceptRef, unit: Option<&str>) -> Result<(), Unaskable> {
    let (Some(unit), Some(canonical)) = (unit, eligo_vocab::canonical_unit(&test.id)) else {
        return Ok(());
    };
    if qualitative_unit(Some(unit)) {
        return Ok(());
    }
    match eligo_vocab::convert(1.0, unit, canonical, Some(test.id.as_str())) {
        Some(_) => Ok(()),
        None => Err(Unaskable::UnitUnsure),
    }
}

/// A test asked as positive or negative.
pub fn qualitative_unit(unit: Option<&str>) -> bool {
    matches!(unit, Some("positive" | "negative"))
}

/// A time window in words: " in the last 6 months", " more than 4 weeks ago", " for at least 3 months".
pub fn window_words(window: Option<&TimeWindow>) -> String {
    let Some(window) = window else { return String::new() };
    let mut words = String::new();
    if let Some(within) = window.within {
        words.push_str(&format!(" in the last {}", within.to_string().to_lowercase()));
    }
    if let Some(ago) = window.at_least_ago {
        words.push_str(&format!(" more than {} ago", ago.to_string().to_lowercase()));
    }
    if let Some(lasting) = window.for_at_least {
        words.push_str(&format!(" for at least {}", lasting.to_string().to_lowercase()));
    }
    words
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A threshold in words: "below 30 ml/min", "at least 18 years", "between 5 and 18".
pub fn comparison_words(comparison: &Comparison, uln_multiple: bool) -> String {
    if comparison.unit.as_deref() == Some(eligo_model::KNOWN_RESULT_UNIT) {
        return if comparison.operator == Operator::Ne { "not known".into() } else { "known".into() };
    }
    if comparison.unit.as_deref() == Some(eligo_model::LOWER_LIMIT_UNIT) && comparison.value == 1.0 {
        let side = if matches!(comparison.operator, Operator::Lt | Operator::Le) { "below" } else { "at or above" };
        return format!("{side} the lower normal limit");
    }
    let unit = match (uln_multiple, comparison.unit.as_deref()) {
        (true, _) => " times the upper normal limit".to_string(),
        (false, Some(unit)) => format!(" {}", unit_words(unit)),
        (false, None) => String::new(),
    };
    let value = number(comparison.value);
    match comparison.operator {
        Operator::Lt => format!("below {value}{unit}"),
        Operator::Le => format!("{value}{unit} or less"),
        Operator::Gt => format!("above {value}{unit}"),
        Operator::Ge => format!("{value}{unit} or more"),
        Operator::Eq => format!("{value}{unit}"),
        Operator::Ne => format!("other than {value}{unit}"),
        Operator::Range => {
            format!("between {value} and {}{unit}", number(comparison.value_high.unwrap_or(comparison.value)))
        }
    }
}

/// What a reading is about, in plain words, without saying whether it is required or not allowed:
/// "rituximab (Rituxan, MabThera) in the last 6 months", "kidney function (eGFR) below 30 ml/min".
pub fn reading_words(computable: &Computable) -> String {
    match computable {
        Computable::Age { min, max } => match (min, max) {
            (Some(min), Some(max)) => format!("age {} to {}", number(min.value), max.to_string().to_lowercase()),
            (Some(min), None) => format!("age {} or older", min.to_string().to_lowercase()),
            (None, Some(max)) => format!("age {} or younger", max.to_string().to_lowercase()),
            (None, None) => "any age".into(),
        },
        Computable::Sex { sex } => match sex {
            Sex::Female => "women".into(),
            Sex::Male => "men".into(),
            _ => "any sex".into(),
        },
        Computable::Condition { concepts, status, window, .. }
        | Computable::Infection { concepts, status, window, .. } => {
            let active = if matches!(status, Some(eligo_model::ConditionStatus::Active)) { "active " } else { "" };
            format!("{active}{}{}", lay_list(concepts, "or"), window_words(window.as_ref()))
        }
        Computable::PriorTherapy { drugs, window, .. } => {
            format!("{}{}", lay_list(drugs, "or"), window_words(window.as_ref()))
        }
        Computable::Procedure { concepts, window, .. } => {
            format!("{}{}", lay_list(concepts, "or"), window_words(window.as_ref()))
        }
        Computable::Lab { test, comparison, uln_multiple, window } => {
            let name = lay_name(test);
            if qualitative_unit(comparison.unit.as_deref()) {
                let result = comparison.unit.as_deref().unwrap_or_default();
                format!("a {result} {}{}", test_noun(&name), window_words(window.as_ref()))
            } else {
                format!("{name} {}{}", comparison_words(comparison, *uln_multiple), window_words(window.as_ref()))
            }
        }
        Computable::Pregnancy { state } => match state {
            PregnancyState::Pregnant => "being pregnant".into(),
            PregnancyState::Lactating => "breastfeeding".into(),
            PregnancyState::Contraception => "using birth control during the study".into(),
            PregnancyState::ChildbearingPotential => "being able to become pregnant".into(),
        },
        Computable::Allergy { substances } => format!("an allergy to {}", lay_list(substances, "or")),
        Computable::NotComputable { reason } => team_words(*reason).into(),
    }
}

/// What the study team checks for a reading no record settles.
fn team_words(reason: NonComputableReason) -> &'static str {
    match reason {
        NonComputableReason::Consent => "agreeing to the study's terms",
        NonComputableReason::Language => "the languages you speak or read",
        NonComputableReason::InvestigatorJudgement => "the study doctor's judgement",
        NonComputableReason::Compliance => "being able to follow the study's visits and rules",
        NonComputableReason::TrialParticipation => "taking part in other studies",
        NonComputableReason::Permission => "what the study allows",
        NonComputableReason::ProtocolDefined => "tests the study defines",
        NonComputableReason::Ability => "things you are able to do",
        NonComputableReason::Structure | NonComputableReason::Unstructured => "this rule with you",
    }
}

/// Whether a criterion keeps people out when its reading holds: an exclusion, or an inclusion
/// phrased as an absence ("no history of …").
pub fn keeps_out(criterion: &Criterion) -> bool {
    (criterion.section == Section::Exclusion) != criterion.negated
}

/// A criterion's reading in plain words, with what it means for joining:
/// "Not allowed: rituximab (Rituxan, MabThera) in the last 6 months", "Needed: Sjögren's syndrome".
pub fn criterion_words(criterion: &Criterion) -> String {
    rule_words(&[criterion])
}

/// What the study team is said to check when a rule cannot be said plainly.
pub const TEAM_RULE: &str = "The study team checks this rule with you";

/// The readings of one sentence of the criteria (the engine may read it as several criteria) in
/// plain words, each once, with what they mean for joining. Birth control during the study is
/// always something asked of the person, whichever list holds it. A drug named only as the start
/// of the study's schedule is no reading; a reading that cannot be said plainly (a generic word, a
/// long or elided list, an unsure unit) leaves the whole sentence to the study team, since saying
/// only the rest would change what it asks.
pub fn rule_words(criteria: &[&Criterion]) -> String {
    let readings: Vec<(&Criterion, &Computable)> = criteria
        .iter()
        .flat_map(|criterion| criterion.computable.iter().map(move |reading| (*criterion, reading)))
        .filter(|(criterion, reading)| !names_schedule(reading, &criterion.text))
        .collect();
    if readings.iter().any(|(_, reading)| sayable(reading).is_err()) || readings.is_empty() {
        return TEAM_RULE.into();
    }
    if readings.iter().all(|(_, c)| matches!(c, Computable::NotComputable { .. })) {
        return format!("The study team checks {}", joined(readings.iter().map(|(_, c)| *c)));
    }
    if readings.iter().all(|(_, c)| matches!(c, Computable::Age { .. } | Computable::Sex { .. })) {
        return format!("Only {}", joined(readings.iter().map(|(_, c)| *c)));
    }
    let asked_of_person = |c: &Computable| matches!(c, Computable::Pregnancy { state: PregnancyState::Contraception });
    let (mut out, mut needed): (Vec<&Computable>, Vec<&Computable>) = (Vec::new(), Vec::new());
    for (criterion, reading) in readings {
        if keeps_out(criterion) && !asked_of_person(reading) {
            out.push(reading);
        } else {
            needed.push(reading);
        }
    }
    let mut parts = Vec::new();
    if !out.is_empty() {
        parts.push(format!("Not allowed: {}", joined(out.into_iter())));
    }
    if !needed.is_empty() {
        parts.push(format!("Needed: {}", joined(needed.into_iter())));
    }
    parts.join(". ")
}

/// Readings in words, each once, as alternatives.
fn joined<'c>(computables: impl Iterator<Item = &'c Computable>) -> String {
    let mut unique: Vec<String> = Vec::new();
    for reading in computables.map(reading_words) {
        if !unique.contains(&reading) {
            unique.push(reading);
        }
    }
    unique.join("; or ")
}

/// A test's name as a noun with "test" said once: "HIV test", "hepatitis C antibody test".
pub fn test_noun(name: &str) -> String {
    if name.ends_with("test") {
        name.to_string()
    } else {
        format!("{name} test")
    }
}

/// A noun with its article, by how it is said: "an IgA test", "an HIV test", "a hepatitis B test".
pub fn with_article(noun: &str) -> String {
    let first_word = noun.split_whitespace().next().unwrap_or_default();
    let acronym = first_word.chars().filter(|c| c.is_alphabetic()).skip(1).any(char::is_uppercase);
    // Letters whose names start with a vowel sound, for acronyms said letter by letter.
    let vowel_sound = match first_word.chars().next() {
        Some(c) if acronym => "AEFHILMNORSX".contains(c),
        Some(c) => "aeiouAEIOU".contains(c),
        None => false,
    };
    format!("{} {noun}", if vowel_sound { "an" } else { "a" })
}

/// A unit as people read it on a report: "10^9/l" → "× 10⁹/L", "ml/min" → "mL/min".
pub fn unit_words(unit: &str) -> String {
    let unit = unit.replace("10^9/", "× 10⁹/").replace("10^12/", "× 10¹²/").replace("1.73m2", "1.73 m²");
    let unit = unit.replace("ml", "mL").replace("dl", "dL");
    match unit.strip_suffix("/l") {
        Some(head) => format!("{head}/L"),
        None => unit,
    }
}

/// Most rules the card says in words, and the fewest it tries to say.
pub const CARD_RULES: usize = 6;
/// Most rules of one kind on the card, so that one long list does not crowd out the rest.
const RULES_PER_KIND: usize = 2;

/// The rules that decide most often who can join, said simply, most decisive kind first:
/// conditions and treatments a person needs, treatments and infections or illnesses that keep
/// people out (with their time windows), then lab limits. Readings that cannot be said plainly
/// (a generic word, an uncertain reading) are left to the checklist.
pub fn key_rules(criteria: &[Criterion]) -> Vec<String> {
    let mut ranked: Vec<(u8, String)> = Vec::new();
    for criterion in criteria {
        let out = keeps_out(criterion);
        // One of several alternatives is not needed by itself ("A, B or C"): only said when it
        // keeps people out, which each alternative does alone.
        if !out && criterion.computable.len() > 1 {
            continue;
        }
        for computable in criterion.computable.iter().filter(|c| !names_schedule(c, &criterion.text)) {
            let Some((rank, sentence)) = rule_sentence(computable, out) else { continue };
            if !ranked.iter().any(|(_, s)| *s == sentence) {
                ranked.push((rank, sentence));
            }
        }
    }
    // Stable: within a kind, the trial's own order.
    ranked.sort_by_key(|(rank, _)| *rank);
    let mut chosen: Vec<String> = Vec::new();
    let mut per_kind: HashMap<u8, usize> = HashMap::new();
    for (rank, sentence) in ranked {
        let count = per_kind.entry(rank).or_default();
        if *count < RULES_PER_KIND && chosen.len() < CARD_RULES {
            *count += 1;
            chosen.push(sentence);
        }
    }
    chosen
}

/// One reading as a card sentence, with its kind's rank (lower first).
fn rule_sentence(computable: &Computable, keeps_out: bool) -> Option<(u8, String)> {
    sayable(computable).ok()?;
    match computable {
        Computable::Condition { window, .. } | Computable::Infection { window, .. } => {
            let what = reading_words(computable);
            let when = window_words(window.as_ref());
            Some(match (keeps_out, when.is_empty()) {
                (false, _) => (0, format!("You need to have {what}.")),
                (true, true) => (3, format!("You cannot join if you have or had {what}.")),
                (true, false) => (3, format!("You cannot join if you had {what}.")),
            })
        }
        Computable::PriorTherapy { window, .. } => {
            let what = reading_words(computable);
            Some(match (keeps_out, window.is_none()) {
                (false, _) => (1, format!("You need to have taken {what}.")),
                (true, true) => (2, format!("You cannot join if you ever took {what}.")),
                (true, false) => (2, format!("You cannot join if you took {what}.")),
            })
        }
        Computable::Allergy { .. } if keeps_out => {
            Some((2, format!("You cannot join if you have {}.", reading_words(computable))))
        }
        Computable::Lab { test, comparison, uln_multiple, .. } => {
            let sentence = match (keeps_out, qualitative_unit(comparison.unit.as_deref())) {
                (true, true) => format!("You cannot join with {}.", reading_words(computable)),
                (true, false) => format!(
                    "You cannot join if your {} is {}.",
                    lay_name(test),
                    comparison_words(comparison, *uln_multiple)
                ),
                (false, _) => {
                    format!("Your {} must be {}.", lay_name(test), comparison_words(comparison, *uln_multiple))
                }
            };
            Some((4, sentence))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_model::{Duration, TimeUnit};

    fn concept(id: &str, name: &str) -> ConceptRef {
        ConceptRef { id: id.into(), name: name.into() }
    }

    #[test]
    fn curated_names_win_and_others_are_lower_cased_unless_acronyms() {
        assert_eq!(lay_name(&concept("DRUG:rituximab", "Rituximab")), "rituximab (Rituxan, MabThera)");
        assert_eq!(lay_name(&concept("text:malignant neoplasm", "malignant neoplasm")), "cancer");
        assert_eq!(lay_name(&concept("DRUG:x", "Abatacept")), "abatacept");
        assert_eq!(lay_name(&concept("X:1", "COVID-19 pneumonia")), "COVID-19 pneumonia");
        assert_eq!(lay_name(&concept("X:2", "Acute pancreatitis, unspecified")), "acute pancreatitis");
    }

    #[test]
    fn generic_uncertain_and_long_lists_are_not_asked() {
        let involvement = concept("text:involvement", "involvement");
        assert_eq!(askable_concepts(&[involvement]), Err(Unaskable::Generic("involvement".into())));
        let vague = concept("text:systemic sclerosis mimic", "systemic sclerosis mimic");
        assert!(matches!(askable_concepts(&[vague]), Err(Unaskable::Uncertain(_))));
        let many: Vec<ConceptRef> = (0..5).map(|i| concept(&format!("DRUG:{i}"), "Abatacept")).collect();
        assert_eq!(askable_concepts(&many), Err(Unaskable::LongList));
        assert_eq!(askable_concepts(&[concept("text:malignant neoplasm", "malignant neoplasm")]), Ok(()));
        assert_eq!(askable_concepts(&[concept("ICD10CM:K50", "Crohn disease")]), Ok(()), "a named disease is specific");
    }

    #[test]
    fn a_unit_that_does_not_fit_the_test_is_unsure() {
        let igg = concept("ELIGO:lab.igg", "Immunoglobulin G");
        assert_eq!(askable_unit(&igg, Some("mg")), Err(Unaskable::UnitUnsure));
        assert_eq!(askable_unit(&igg, Some("g/l")), Ok(()));
        assert_eq!(askable_unit(&concept("ELIGO:lab.hbsag", "HBsAg"), Some("positive")), Ok(()));
    }

    #[test]
    fn criteria_read_as_needed_or_not_allowed() {
        let rituximab = Computable::PriorTherapy {
            drugs: vec![concept("DRUG:rituximab", "Rituximab")],
            window: Some(TimeWindow { within: Some(Duration::new(6.0, TimeUnit::Months)), ..Default::default() }),
            dose: None,
            scope: Default::default(),
        };
        let criterion = Criterion {
            section: Section::Exclusion,
            start: 0,
            end: 1,
            text: "x".into(),
            computable: vec![rituximab],
            negated: false,
            applies_if: Vec::new(),
            entities: Vec::new(),
        };
        assert_eq!(criterion_words(&criterion), "Not allowed: rituximab (Rituxan, MabThera) in the last 6 months");
        let required = Criterion { section: Section::Inclusion, ..criterion.clone() };
        assert!(criterion_words(&required).starts_with("Needed: rituximab"));
        let negated = Criterion { negated: true, ..required };
        assert!(criterion_words(&negated).starts_with("Not allowed:"));
    }

    #[test]
    fn birth_control_is_needed_whichever_list_holds_it() {
        let criterion = Criterion {
            section: Section::Inclusion,
            start: 0,
            end: 1,
            text: "x".into(),
            computable: vec![
                Computable::Pregnancy { state: PregnancyState::Pregnant },
                Computable::Pregnancy { state: PregnancyState::Contraception },
            ],
            negated: true,
            applies_if: Vec::new(),
            entities: Vec::new(),
        };
        assert_eq!(
            criterion_words(&criterion),
            "Not allowed: being pregnant. Needed: using birth control during the study"
        );
        assert_eq!(unit_words("10^9/l"), "× 10⁹/L");
    }

    #[test]
    fn thresholds_read_in_words() {
        let comparison = Comparison {
            operator: Operator::Lt,
            value: 30.0,
            value_high: None,
            unit: Some("ml/min".into()),
            operator_span: None,
            value_span: None,
            value_high_span: None,
            unit_span: None,
        };
        let egfr = Computable::Lab {
            test: concept("ELIGO:lab.egfr", "Estimated glomerular filtration rate"),
            comparison: comparison.clone(),
            uln_multiple: false,
            window: None,
        };
        assert_eq!(reading_words(&egfr), "kidney function (eGFR) below 30 mL/min");
        let hbsag = Computable::Lab {
            test: concept("ELIGO:lab.hbsag", "Hepatitis B surface antigen"),
            comparison: Comparison { operator: Operator::Eq, value: 1.0, unit: Some("positive".into()), ..comparison },
            uln_multiple: false,
            window: None,
        };
        assert_eq!(reading_words(&hbsag), "a positive hepatitis B surface antigen (HBsAg) test");
        let criterion = |computable, section| Criterion {
            section,
            start: 0,
            end: 1,
            text: "x".into(),
            computable: vec![computable],
            negated: false,
            applies_if: Vec::new(),
            entities: Vec::new(),
        };
        let rules = key_rules(&[criterion(egfr, Section::Exclusion), criterion(hbsag, Section::Exclusion)]);
        assert_eq!(
            rules,
            [
                "You cannot join if your kidney function (eGFR) is below 30 mL/min.",
                "You cannot join with a positive hepatitis B surface antigen (HBsAg) test."
            ]
        );
    }

    #[test]
    fn a_drug_named_as_the_start_of_the_schedule_is_no_rule_and_generic_names_are_not_said() {
        let belimumab = Computable::PriorTherapy {
            drugs: vec![concept("DRUG:belimumab", "Belimumab")],
            window: Some(TimeWindow { within: Some(Duration::new(10.0, TimeUnit::Days)), ..Default::default() }),
            dose: None,
            scope: Default::default(),
        };
        assert!(names_schedule(&belimumab, "Within 10 days before the first administration of Belimumab, IgG<4g/L"));
        assert!(!names_schedule(&belimumab, "Previously treated with belimumab within 10 days"));
        let criterion = Criterion {
            section: Section::Exclusion,
            start: 0,
            end: 1,
            text: "Within 10 days before the first administration of Belimumab, IgG<4g/L".into(),
            computable: vec![belimumab],
            negated: false,
            applies_if: Vec::new(),
            entities: Vec::new(),
        };
        assert_eq!(criterion_words(&criterion), TEAM_RULE, "nothing left to say: the study team checks it");
        let medical_condition = concept("text:medical condition", "medical condition");
        assert!(matches!(askable_concepts(&[medical_condition]), Err(Unaskable::Generic(_))));
        assert_eq!(with_article(&test_noun("HIV test")), "an HIV test");
        assert_eq!(with_article(&test_noun("hepatitis C antibody")), "a hepatitis C antibody test");
    }
}
