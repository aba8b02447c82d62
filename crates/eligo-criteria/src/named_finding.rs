//! A finding the vocabulary does not know, named after words that introduce one: "History of
//! neurogenic bladder", "Presence of leptomeningeal dissemination", "Patients with visceral crisis",
//! "Signs of malabsorption or needing parenteral nutrition".
//!
//! No vocabulary lists every finding a protocol can name, and a criterion left unread is never
//! screened. When a criterion states nothing else the engine reads, the noun phrase after such an
//! introducer is read as a condition known only by its words (`TEXT:<words>`): the matcher meets it
//! with a patient record that names the same thing, treats a chart's silence about it as a chart's
//! silence about any disease, and asks the person about it in the criterion's own words. The phrase
//! must look like a name: a few words, ending at the first word that starts a clause ("within",
//! "that", "requiring") or a punctuation mark, and not a generic head alone ("condition",
//! "disease") or words about the study itself.

use eligo_model::ConceptRef;

use crate::parse::Analysis;
use crate::text::{TokenKind, WordSet};

/// Two-word introducers of a finding: "history of X", "diagnosed with X".
const INTRODUCERS: &[(&str, &str)] = &[
    ("history", "of"),
    ("diagnosis", "of"),
    ("diagnosed", "with"),
    ("presence", "of"),
    ("evidence", "of"),
    ("signs", "of"),
    ("symptoms", "of"),
    ("suffering", "from"),
    ("suffer", "from"),
    ("suffers", "from"),
    ("episodes", "of"),
    ("episode", "of"),
];

/// People a criterion is about, before "with X": "patients with X", "women with X".
static PEOPLE: WordSet = WordSet::new(
    "patients patient subjects subject participants participant people persons individuals adults children \
     women men volunteers",
);

/// Words before an introducer that make the finding someone else's ("family history of").
static OTHER_PERSON: WordSet = WordSet::new("family relative relatives sibling siblings parent parents mother father");

/// Words that open a finding's name but are not part of it: articles, and status words the
/// criterion's cues read on their own ("uncontrolled", "active").
static LEADING: WordSet = WordSet::new(
    "a an the any known prior previous documented confirmed current ongoing uncontrolled active clinically \
     significant relevant serious",
);

/// Words that end a finding's name: the start of a clause, a time, a verb, a pronoun.
static STOPS: WordSet = WordSet::new(
    "within that which who whom whose as by at in on for to from requiring require requires required needing \
     prior during since before after until due because with without than is are was were be been being must \
     should will may might can could shall has have had not unless except including includes such e.g i.e \
     per if when where while based according defined there this these those it its they their them",
);

/// Heads too general to name a finding alone ("history of disease", "presence of symptoms"), and
/// heads of tests and scores, which a threshold reads instead.
static GENERIC: WordSet = WordSet::new(
    "disease diseases disorder disorders condition conditions illness illnesses problem problems abnormality \
     abnormalities finding findings symptom symptoms sign signs event events history issue issues diagnosis \
     sensitivity hypersensitivity allergy allergies reaction reactions intolerance contraindication \
     contraindications complication complications factor factors evidence one type types kind form forms \
     status other others criteria criterion test tests result results value values score scores level levels",
);

/// Words that make the phrase about the study, the protocol or the record, not the patient's body.
static NOT_CLINICAL: WordSet = WordSet::new(
    "study studies trial trials protocol investigator investigators sponsor consent screening visit visits \
     enrollment enrolment randomization randomisation participation medication medications drug drugs \
     treatment treatments therapy therapies",
);

/// The longest finding name read, in words.
const MAX_WORDS: usize = 5;

/// The findings a criterion names after an introducer, each a text-only concept; alternatives
/// joined by "or"/"and"/"," are each a concept. Empty when there is no introducer, when a threshold
/// makes the criterion a measurement, or when what follows does not look like a name.
pub(crate) fn named_findings(a: &Analysis) -> Vec<ConceptRef> {
    let measured = a.quantities.iter().any(|q| q.operator_tokens.is_some() && q.time_unit.is_none());
    let Some(from) = introducer_end(a).filter(|_| !measured) else { return Vec::new() };
    let names = conjuncts(a, from);
    let all_names = !names.is_empty() && names.iter().all(|&range| is_name(a, range));
    if !all_names {
        return Vec::new();
    }
    names
        .into_iter()
        .map(|(s, e)| {
            let written: String = a.prepared.chars[a.tokens[s].start..a.tokens[e - 1].end].iter().collect();
            let name = written.split_whitespace().collect::<Vec<_>>().join(" ");
            ConceptRef { id: format!("TEXT:{}", name.to_lowercase()), name }
        })
        .collect()
}

/// The token ranges of the names after `from`, split at "or", "and", "," and "/", up to the first
/// word or mark that ends a name. A hyphen inside a word ("life-threatening") is part of it.
fn conjuncts(a: &Analysis, from: usize) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut start: Option<usize> = None;
    for k in from..a.tokens.len() {
        let t = &a.tokens[k];
        if matches!(t.lower.as_str(), "or" | "and" | "," | "/") {
            found.extend(start.take().map(|s| (s, k)));
            continue;
        }
        if start.is_none() && LEADING.contains(&t.lower) {
            continue;
        }
        let glued_hyphen = t.lower == "-"
            && k > 0
            && a.tokens[k - 1].end == t.start
            && a.tokens.get(k + 1).is_some_and(|n| n.start == t.end && n.kind == TokenKind::Word);
        let in_name = (t.kind == TokenKind::Word && !STOPS.contains(&t.lower)) || (glued_hyphen && start.is_some());
        if !in_name {
            found.extend(start.take().map(|s| (s, k)));
            return found;
        }
        start.get_or_insert(k);
    }
    found.extend(start.map(|s| (s, a.tokens.len())));
    found
}

/// Where the last introducer ends (the token after it): in "Subjects with a previous history of
/// augmentation" the finding follows "history of". None when the finding is someone else's.
fn introducer_end(a: &Analysis) -> Option<usize> {
    let at = a.tokens.windows(2).rposition(|pair| {
        let (first, second) = (pair[0].lower.as_str(), pair[1].lower.as_str());
        INTRODUCERS.contains(&(first, second)) || (second == "with" && PEOPLE.contains(first))
    })?;
    let someone_else = a.tokens[at.saturating_sub(3)..at].iter().any(|t| OTHER_PERSON.contains(&t.lower));
    (!someone_else).then_some(at + 2)
}

/// Whether tokens look like the name of a finding: a few words, the last not a generic head,
/// none about the study, not only qualifier words ("severe", "heart": a list of adjectives or
/// organs names no finding), and a word of three letters or more.
fn is_name(a: &Analysis, (s, e): (usize, usize)) -> bool {
    let words: Vec<&str> =
        a.tokens[s..e].iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    let Some(head) = words.last() else { return false };
    let only_qualifiers = (s..e).all(|k| a.qualifiers.iter().any(|q| q.tokens.0 <= k && k < q.tokens.1));
    words.len() <= MAX_WORDS
        && !only_qualifiers
        && !GENERIC.contains(head)
        && !words.iter().any(|w| NOT_CLINICAL.contains(w))
        && words.iter().any(|w| w.len() >= 3)
}

#[cfg(test)]
mod tests {
    use eligo_model::Computable;

    use crate::parse_criteria;

    /// The text-only condition names of a criterion's readings.
    fn named(text: &str) -> Vec<String> {
        parse_criteria(text)
            .into_iter()
            .flat_map(|c| c.computable)
            .filter_map(|c| match c {
                Computable::Condition { concepts, .. } => Some(concepts),
                _ => None,
            })
            .flatten()
            .filter_map(|c| c.id.strip_prefix("TEXT:").map(str::to_string))
            .collect()
    }

    #[test]
    fn a_finding_the_vocabulary_does_not_know_is_read_by_its_words() {
        assert_eq!(named("Exclusion Criteria:\n- History of frobnicated tendons"), vec!["frobnicated tendons"]);
        assert_eq!(named("Presence of leptomeningeal dissemination."), vec!["leptomeningeal dissemination"]);
        assert_eq!(named("Patients with visceral crisis;"), vec!["visceral crisis"]);
        // The name as written, hyphens inside words kept; the last introducer wins.
        assert_eq!(
            named("Subjects with a previous history of Post-Wobble frobnication"),
            vec!["post-wobble frobnication"]
        );
        // Alternatives are each a finding; the clause after the name is not part of it.
        assert_eq!(
            named("Evidence of subretinal frobnication or choroidal wobble within 2 months"),
            vec!["subretinal frobnication", "choroidal wobble"]
        );
    }

    #[test]
    fn generic_heads_adjective_lists_and_thresholds_are_not_findings() {
        assert!(named("History of frobnication issues").is_empty());
        assert!(named("Patients with study frobnication").is_empty());
        assert!(named("History of severe, life-threatening, or other significant wobble").is_empty());
        assert!(named("Subjects with a very long list of several unusual wobbles").is_empty());
        assert!(named("Patients with frobnication index > 3").is_empty());
        // Someone else's finding is not the patient's.
        assert!(named("Family history of frobnicated tendons").is_empty());
        // A criterion the vocabulary reads keeps its reading: no text-only duplicate.
        assert!(named("History of myocardial infarction").is_empty());
    }
}
