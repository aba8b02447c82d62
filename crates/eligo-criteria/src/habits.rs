//! Habits, exposures and care settings a criterion names by what a person does or where they are
//! cared for, which no vocabulary lists: "Use of contact lenses", "Subjects who work night shifts",
//! "Regular use of a tanning booth", "Type of subject: Outpatient", "The patient is an inpatient".
//!
//! Each is read as the people it makes, a text-only name (`TEXT:contact lens user`, `TEXT:shift
//! worker`, `TEXT:outpatient`), the same kind of name [`crate::named_finding`] gives "Contact lens
//! wearers": a record naming the same people meets it, and a person is asked "Are you a shift
//! worker?", never whether a doctor found it in them. Read only when nothing else was, and only for
//! a line with no vocabulary mention, so that a drug ("Use of CYP3A4 inhibitors") or a disease
//! stays the vocabulary's.

use eligo_model::ConceptRef;

use crate::cues::CueKind;
use crate::parse::Analysis;
use crate::text::WordSet;

/// Things a person uses or wears, in the singular: "Use of contact lenses", "tanning bed use".
const DEVICES: &[&[&str]] = &[
    &["contact", "lens"],
    &["tanning", "bed"],
    &["tanning", "booth"],
    &["tanning", "salon"],
    &["tanning", "parlor"],
    &["tanning", "parlour"],
    &["sunbed"],
    &["solarium"],
    &["sunlamp"],
    &["hearing", "aid"],
    &["wheelchair"],
];

/// Words that say a device is used or worn, before it ("use of", "using", "wears") or after it
/// ("lens use", "lens wear").
static USE_WORDS: WordSet = WordSet::new("use uses used using user users wear wears wearing wearer wearers");

/// Words of work that make "shift" the patient's working hours: "works night shifts", "shift work".
static WORK_WORDS: WordSet = WordSet::new(
    "work works worked working worker workers employment employed job occupation nightshift nightshifts shiftwork",
);

/// Words of study logistics, of both settings at once or of a condition, that make a care-setting
/// word no requirement of the patient: "An out-patient screening visit", "Either inpatients or
/// outpatients", "If inpatient at screening, ...".
static NOT_A_SETTING: WordSet = WordSet::new("visit visits either both any study if");

/// The care settings, each with the spellings that name it.
const SETTINGS: [(&str, &[&str]); 2] = [
    ("outpatient", &["outpatient", "outpatients", "out-patient", "out-patients"]),
    ("inpatient", &["inpatient", "inpatients", "in-patient", "in-patients"]),
];

/// The people a line's habit, exposure or care setting makes, or nothing. One name per line.
pub(crate) fn habit_people(a: &Analysis) -> Vec<ConceptRef> {
    // A negation is left unread: the line's polarity is read with its other readings, not here.
    let negated = a.cues.iter().any(|c| matches!(c.kind, CueKind::Negation { .. }));
    if !a.mentions.is_empty() || negated {
        return Vec::new();
    }
    // Words with their inner hyphens, as written: "out-patient".
    let text = a.prepared.text().to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let name = device_user(&words).or_else(|| shift_worker(&words)).or_else(|| care_setting(&words));
    name.map(|name| ConceptRef { id: format!("TEXT:{name}"), name }).into_iter().collect()
}

/// "contact lens user" when a device is named beside a word of use ("Use of contact lenses",
/// "contact lens wear"); a wearer when the word is of wearing.
fn device_user(words: &[&str]) -> Option<String> {
    for device in DEVICES {
        let found = (0..words.len()).find(|&at| {
            device.len() + at <= words.len()
                && device.iter().zip(&words[at..]).all(|(d, w)| d == w || singular(w) == Some(*d))
        });
        let Some(at) = found else { continue };
        let near = words[at.saturating_sub(3)..(at + device.len() + 1).min(words.len())].iter();
        let verb = near.into_iter().find(|w| USE_WORDS.contains(w))?;
        let person = if verb.starts_with("wear") { "wearer" } else { "user" };
        return Some(format!("{} {person}", device.join(" ")));
    }
    None
}

/// A plural's singular: "lenses" → "lens", "booths" → "booth".
fn singular(word: &str) -> Option<&str> {
    word.strip_suffix("es").filter(|s| s.ends_with('s')).or_else(|| word.strip_suffix('s'))
}

/// "shift worker" when "shift(s)" stands with a word of work: "Subjects who work night shifts",
/// "Minimum of three months of prior shift work", "Patients working rotating, varying or night shifts".
fn shift_worker(words: &[&str]) -> Option<String> {
    let shift = words.iter().any(|w| matches!(*w, "shift" | "shifts" | "nightshift" | "nightshifts" | "shiftwork"));
    (shift && words.iter().any(|w| WORK_WORDS.contains(w))).then(|| "shift worker".to_string())
}

/// "outpatient" or "inpatient" when a line names one care setting and nothing of the study's:
/// "Type of subject: Outpatient", "The patient is an out-patient", "Inpatient status".
fn care_setting(words: &[&str]) -> Option<String> {
    let named: Vec<&str> = SETTINGS
        .iter()
        .filter(|(_, spellings)| words.iter().any(|w| spellings.contains(w)))
        .map(|(name, _)| *name)
        .collect();
    let logistics = words.iter().any(|w| NOT_A_SETTING.contains(w));
    match named.as_slice() {
        [one] if !logistics => Some((*one).to_string()),
        _ => None,
    }
}

/// Whether a word names a care setting's people, "outpatient" or "inpatient" (the names
/// [`habit_people`] gives).
pub(crate) fn is_care_setting(word: &str) -> bool {
    SETTINGS.iter().any(|(name, _)| *name == word)
}

#[cfg(test)]
mod tests {
    use eligo_model::Computable;

    use crate::parse_criteria;

    /// The text-only names of a text's readings, with whether the criterion is negated.
    fn read(text: &str) -> Vec<(String, bool)> {
        parse_criteria(text)
            .into_iter()
            .flat_map(|c| {
                let negated = c.negated;
                c.computable.into_iter().filter_map(move |r| match r {
                    Computable::Condition { concepts, .. } => {
                        Some(concepts.into_iter().map(move |k| (k.id.replace("TEXT:", ""), negated)))
                    }
                    _ => None,
                })
            })
            .flatten()
            .collect()
    }

    fn user(name: &str) -> Vec<(String, bool)> {
        vec![(name.to_string(), false)]
    }

    #[test]
    fn a_device_used_or_worn_makes_its_users() {
        assert_eq!(read("Exclusion Criteria:\n- Habitual use of soft contact lenses"), user("contact lens user"));
        assert_eq!(read("Exclusion Criteria:\n- Contact lens wear during the day"), user("contact lens wearer"));
        assert_eq!(read("Exclusion Criteria:\n- Uses a tanning bed twice a week"), user("tanning bed user"));
        // A negation is not read here.
        assert!(read("Inclusion Criteria:\n- No tanning salon use").is_empty());
    }

    #[test]
    fn shift_work_and_a_care_setting_make_their_people() {
        assert_eq!(read("Exclusion Criteria:\n- Participants who work rotating night shifts"), user("shift worker"));
        assert_eq!(read("Exclusion Criteria:\n- Six months of shift work"), user("shift worker"));
        assert_eq!(read("Exclusion Criteria:\n- Worked a night shift last week"), user("shift worker"));
        assert_eq!(read("Inclusion Criteria:\n- Kind of participant: out-patient."), user("outpatient"));
        assert_eq!(read("Exclusion Criteria:\n- The participant is an inpatient"), user("inpatient"));
    }

    #[test]
    fn drugs_logistics_either_setting_and_unworked_shifts_are_not_habits() {
        for text in [
            "Use of contact lens solution containing thimerosal", // a vocabulary drug decides, not a habit
            "Shift of the visit window by two days",              // a shift that is no work
            "Outpatients or inpatients: both allowed",            // both settings restrict no one
            "Patients who are either inpatients or outpatients",  // the same, as a sentence
            "If inpatient at screening, stay under 2 weeks",      // a condition, not a requirement
            "An out-patient screening visit is held",             // the study's logistics
            "Contact lenses must be removed before dosing",       // no word of use
        ] {
            let names = read(text);
            assert!(
                names.iter().all(|(n, _)| !["contact lens user", "shift worker", "outpatient"].contains(&n.as_str())),
                "{text}: {names:?}"
            );
        }
    }
}
