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
//!
//! A line that is *only* such a name, with no introducer ("Psychotic features", "Contact lens
//! users."), is read the same way by [`bare_findings`], last of all and under stricter guards: its
//! name must end in a finding's head, and nothing around it may say it is a heading, a judgement, a
//! treatment, a test result or the study's business.

use eligo_model::ConceptRef;

use crate::cues::CueKind;
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

/// People a bare line may open with, before its verb: "Patients who are", "Subject has".
static FRAME_SUBJECTS: WordSet = WordSet::new("the patients patient subjects subject participants participant");

/// Verbs of a frame, after its subject or alone: "(Subject) has X", "(Patient) presents with X".
static FRAME_VERBS: WordSet = WordSet::new("is are has have presents present presenting with");

/// Heads of findings: a bare line is read only when its name ends in one of these, or in an
/// ending of [`FINDING_ENDINGS`], so that a drug, a site, a procedure, a people's origin or a list's
/// fragment without a finding's head stays unread.
static FINDING_HEADS: WordSet = WordSet::new(
    "features feature dependence dependency crisis failure insufficiency deficiency loss rupture distress \
     discomfort pain bleeding itching ulcer ulcers ulceration stones thrombus embolus shock overload \
     rejection recurrence mets metastases lesion lesions mass masses effusion edema oedema fever cough \
     nausea vomiting diarrhea diarrhoea fatigue flushes flushing sweats seizures tenderness warmth \
     enlargement contractions complaints behaviors behaviours tendencies vegetations dissemination \
     infiltration dissociation absorption malabsorption elevation proliferation perforation obstruction \
     occlusion stenosis dilatation dilation prolongation pre-excitation compression inflammation retention \
     regurgitation hemorrhage haemorrhage decompensation urgency frequency incontinence impairment \
     disturbance invasion spread sterility addiction encasement abutment fluctuations phenomena errors \
     weakness numbness stiffness dizziness dryness drowsiness",
);

/// Endings of finding names: "Nulliparity", "Myasthenia", "Tabagism", "dyscrasias".
const FINDING_ENDINGS: [&str; 16] = [
    "ia", "ias", "osis", "oses", "itis", "emia", "aemia", "pathy", "ity", "ism", "oma", "omas", "algia", "rrhea",
    "plasia", "megaly",
];

/// Words of damage that make a name a finding whatever its head: "Blocked renal artery",
/// "Ruptured amniotic membranes", "Abnormal breath sounds".
static DAMAGED: WordSet = WordSet::new(
    "blocked occluded ruptured impaired compromised abnormal enlarged dilated perforated obstructed herniated \
     fractured collapsed",
);

/// Words that make a bare line about the study, a treatment, a test or a people rather than a
/// finding of the patient's: a time before a treatment ("Prior WBRT"), a result ("Positive HbsAg"),
/// or a word ending in a finding's ending that is none ("Ethnicity", "Eligibility").
static NOT_A_FINDING: WordSet = WordSet::new(
    "prior previous previously concurrent concomitant current currently recent planned received receipt \
     positive negative wild-type mutation genotype use administration confirmation diagnosis diagnoses \
     ethnicity eligibility nationality activity capacity ability facility quality community university \
     minority majority priority security availability mechanism organism media response comorbidity co-morbidity \
     comorbidities co-morbidities morbidity test tests testing count counts criteria study \
     trial protocol consent",
);

/// Judgements that name no finding on their own: "Adequate lung function", "Stable health".
static JUDGEMENTS: WordSet = WordSet::new(
    "adequate normal good stable sufficient acceptable appropriate satisfactory healthy intact preserved \
     reasonable suitable",
);

/// People named by a habit or an exposure: "Contact lens wearers", "Night shift workers".
static HABIT_PEOPLE: WordSet =
    WordSet::new("wearers wearer users user workers worker smokers smoker drinkers drinker abusers abuser");

/// A criterion that is only the name of a finding, once a leading frame ("Subject has", "Presents
/// with") and trailing marks or "or"/"and" are dropped: "Psychotic features", "Chemical
/// dependency", "Contact lens wearers." The same text-only concepts as [`named_findings`], under
/// stricter guards, since nothing around the name says it is one: no mention, number, bracket or
/// colon, no cue but a status word, and every name ends in a finding's head.
pub(crate) fn bare_findings(a: &Analysis) -> Vec<ConceptRef> {
    let plain = a.mentions.is_empty()
        && a.quantities.is_empty()
        && a.cues.iter().all(|c| matches!(c.kind, CueKind::Time(_) | CueKind::Status(_)))
        && a.tokens
            .iter()
            .all(|t| t.kind == TokenKind::Word || matches!(t.lower.as_str(), "." | ";" | "," | "/" | "-"));
    // A colon, a bracket or a digit is never part of a bare name: "Psychotic features:" is a heading.
    let Some(from) = frame_end(a).filter(|_| plain) else { return Vec::new() };
    let names = joined_modifiers(a, conjuncts(a, from));
    let Some(&(_, last)) = names.last() else { return Vec::new() };
    let whole_line = a.tokens[last..].iter().all(|t| matches!(t.lower.as_str(), "." | ";" | "," | "or" | "and"));
    if !whole_line || !names.iter().all(|&range| is_bare_name(a, range)) {
        return Vec::new();
    }
    names.into_iter().map(|range| bare_concept(a, range)).collect()
}

/// Names whose words are all qualifiers joined to the name after them: "Moderate or severe
/// spasticity" is one finding with two severities, not "moderate" and "severe spasticity".
fn joined_modifiers(a: &Analysis, names: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let only_qualifiers =
        |&(s, e): &(usize, usize)| (s..e).all(|k| a.qualifiers.iter().any(|q| q.tokens.0 <= k && k < q.tokens.1));
    let mut joined: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for range in names {
        if only_qualifiers(&range) {
            open = Some((open.map_or(range.0, |o| o.0), range.1));
        } else {
            joined.push((open.take().map_or(range.0, |o| o.0), range.1));
        }
    }
    // Qualifiers with no name after them stay a name of their own, which `is_name` refuses.
    joined.extend(open);
    joined
}

/// Where a leading frame ends ("Patients who are", "The subject has", "Presents with"), or None
/// when the line opens with its people and another verb ("Subjects who live alone").
fn frame_end(a: &Analysis) -> Option<usize> {
    let subjects = a.tokens.iter().take_while(|t| FRAME_SUBJECTS.contains(&t.lower)).count();
    let who = usize::from(subjects > 0 && a.tokens.get(subjects).is_some_and(|t| t.lower == "who"));
    let verbs = a.tokens[subjects + who..].iter().take_while(|t| FRAME_VERBS.contains(&t.lower)).count();
    if subjects > 0 && verbs == 0 {
        return None;
    }
    Some(subjects + who + verbs)
}

/// Whether a bare line's tokens name a finding: a name after an introducer would be, its head a
/// finding's (the word before "of" when there is one: "Premature rupture of membranes"), written in
/// lower case (an abbreviation alone may be a drug: "LABA"), no judgement first, no word about a
/// treatment, a result or the study, and no "-ing" verb before the head ("Coughing up blood").
fn is_bare_name(a: &Analysis, (s, e): (usize, usize)) -> bool {
    let tokens: Vec<_> = a.tokens[s..e].iter().filter(|t| t.kind == TokenKind::Word).collect();
    let words: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
    let head_at = words.iter().position(|w| *w == "of").map_or(words.len(), |of| of).saturating_sub(1);
    let (Some(first), Some(head), Some(head_token)) = (words.first(), words.get(head_at), tokens.get(head_at)) else {
        return false;
    };
    let written_head: String = a.prepared.chars[head_token.start..head_token.end].iter().collect();
    // People named by a habit are the whole name ("Contact lens users", not "Users of lenses").
    let habit = HABIT_PEOPLE.contains(head) && head_at + 1 == words.len();
    is_name(a, (s, e))
        && (habit || is_finding_head(head) || DAMAGED.contains(first))
        && written_head.chars().skip(1).all(|c| !c.is_uppercase())
        && !JUDGEMENTS.contains(first)
        && !words.iter().any(|w| NOT_A_FINDING.contains(w))
        && !words[..head_at].iter().any(|w| w.ends_with("ing"))
}

/// Whether a word is a finding's head by the table or by its ending.
fn is_finding_head(word: &str) -> bool {
    FINDING_HEADS.contains(word) || FINDING_ENDINGS.iter().any(|e| word.ends_with(e))
}

/// The text-only concept of a bare name: its words as written, a capitalised word in lower case
/// unless it is an abbreviation ("GI Hypomotility" → "GI hypomotility"), and people named by a
/// habit in the singular ("Contact lens wearers" → "contact lens wearer"), so that a record's
/// "contact lens wearer" names the same thing.
fn bare_concept(a: &Analysis, (s, e): (usize, usize)) -> ConceptRef {
    let written: String = a.prepared.chars[a.tokens[s].start..a.tokens[e - 1].end].iter().collect();
    let mut words: Vec<String> = written.split_whitespace().map(lower_unless_abbreviation).collect();
    if let Some(head) = words.last_mut() {
        if HABIT_PEOPLE.contains(head) {
            head.truncate(head.trim_end_matches('s').len());
        }
    }
    let name = words.join(" ");
    ConceptRef { id: format!("TEXT:{}", name.to_lowercase()), name }
}

/// Whether a text-only name names people by a habit ("contact lens wearer", "night shift worker") or
/// by where they are cared for ("outpatient", [`crate::habits`]): a person is asked whether they are
/// one, not whether a doctor found one in them.
pub fn names_habit_people(name: &str) -> bool {
    let last = name.rsplit(' ').next().unwrap_or_default().to_lowercase();
    HABIT_PEOPLE.contains(&last) || crate::habits::is_care_setting(&last)
}

/// A word in lower case, unless it has a capital after its first letter ("GI", "F508del", "HbA").
fn lower_unless_abbreviation(word: &str) -> String {
    if word.chars().skip(1).any(char::is_uppercase) {
        word.to_string()
    } else {
        word.to_lowercase()
    }
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

    #[test]
    fn a_line_that_is_only_a_finding_name_is_read_by_its_words() {
        assert_eq!(named("Exclusion Criteria:\n- Wobbly gait features"), vec!["wobbly gait features"]);
        assert_eq!(named("Exclusion Criteria:\n- Frobnic Dependency."), vec!["frobnic dependency"]);
        // A leading frame goes; an abbreviation keeps its capitals; the line's role is the section's.
        assert_eq!(named("Presents with meningeal dissemination;"), vec!["meningeal dissemination"]);
        assert_eq!(named("The subject has GI wobble crisis"), vec!["gi wobble crisis"]);
        let parsed = parse_criteria("Inclusion Criteria:\n- Chronic frobnicity\nExclusion Criteria:\n- Wobble crisis");
        let sections: Vec<_> = parsed.iter().map(|c| c.section).collect();
        assert_eq!(sections, vec![eligo_model::Section::Inclusion, eligo_model::Section::Exclusion]);
        // People named by a habit are asked about in the singular, so a record's words meet them.
        assert_eq!(named("Exclusion Criteria:\n- Kite surfboard users."), vec!["kite surfboard user"]);
        // Qualifiers coordinated before the name are the name's; trailing "or" is dropped.
        assert_eq!(named("Mild or moderate frobnicity, or"), vec!["mild or moderate frobnicity"]);
        assert_eq!(named("Occluded frobnic artery."), vec!["occluded frobnic artery"]);
        assert_eq!(
            named("Splenic wobble enlargement or tendon encasement"),
            vec!["splenic wobble enlargement", "tendon encasement"]
        );
    }

    #[test]
    fn headings_study_words_judgements_and_other_kinds_stay_unread_as_bare_names() {
        for text in [
            "Wobble features:",                 // a heading
            "Pre-Screening Phase",              // a part of the study
            "(New Participants)",               // a cohort in brackets
            "Additional criteria exist.",       // boilerplate
            "Analysis of results",              // study business
            "Frobnic tissue submission",        // study logistics
            "Adequate frobnic function",        // a judgement with a generic head
            "Normal wobble ability",            // a judgement
            "Stable health",                    // a generic head
            "Subjects who live alone",          // people and another verb
            "Participant is ambulatory",        // an adjective, no finding's head
            "Prior frobnectomy",                // a time before a treatment
            "Positive frobnic antigen",         // a test result
            "Frobnic nasopharynx",              // a site, no finding's head
            "ABCD",                             // an abbreviation alone may be a drug
            "Wobbling up frobnicity",           // a verb before the head
            "Frobnicity at least twice a week", // more than a name
            "No frobnicity",                    // a negation is read elsewhere or not at all
            "Abnormal frobnic stress test",     // a test, whatever its result
        ] {
            assert!(named(text).is_empty(), "{text}");
        }
    }
}
