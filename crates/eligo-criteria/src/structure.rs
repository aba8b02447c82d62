//! Lines that organise a criteria list instead of stating a requirement: headings that introduce a
//! list ("Patients must have the following laboratory values:", "Hepatic"), bare connectives ("OR",
//! "AND"), fillers ("Not specified") and boilerplate ("Other protocol-defined inclusion/exclusion
//! criteria may apply", "Note: ..."). They are read as
//! [`NonComputableReason::Structure`](eligo_model::NonComputableReason::Structure), which the
//! matcher ignores, instead of counting as unread requirements.
//!
//! Only a criterion nothing else could read is tested: a heading that itself states a requirement
//! ("Age ≥ 18 with the following:") keeps that reading.

use crate::parse::Analysis;
use crate::text::{TokenKind, WordSet};

/// Words a connective line is made of ("OR", "and/or", "- OR -").
const CONNECTIVES: &[&str] = &["or", "and", "either", "/", "-", "and/or", "nor", "plus"];

/// Words of the short headings registries put above groups of criteria (PDQ-style "Hepatic",
/// "Performance status", "Life expectancy", "Key inclusion", "Part A and Part B"). A short line made
/// only of these words and numbers is a heading.
const HEADING_WORDS: &[&str] = &[
    "age",
    "sex",
    "gender",
    "performance",
    "status",
    "life",
    "expectancy",
    "hematopoietic",
    "haematopoietic",
    "hematologic",
    "haematologic",
    "hepatic",
    "renal",
    "cardiovascular",
    "cardiac",
    "pulmonary",
    "neurologic",
    "neurological",
    "other",
    "others",
    "menopausal",
    "reproductive",
    "function",
    "biologic",
    "chemotherapy",
    "endocrine",
    "radiotherapy",
    "surgery",
    "therapy",
    "prior",
    "concurrent",
    "disease",
    "patient",
    "characteristics",
    "key",
    "additional",
    "general",
    "inclusion",
    "exclusion",
    "criteria",
    "criterion",
    "eligibility",
    "part",
    "parts",
    "cohort",
    "cohorts",
    "phase",
    "phases",
    "arm",
    "arms",
    "group",
    "groups",
    "stage",
    "all",
    "and",
    "or",
    "for",
    "of",
    "the",
    "a",
    "b",
    "c",
    "d",
    "i",
    "ii",
    "iii",
    "iv",
    "both",
    "laboratory",
    "labs",
    "lab",
    "values",
    "organ",
    "medical",
    "history",
    "treatment",
    "demographics",
    "serology",
    "coagulation",
    "immunologic",
    "gastrointestinal",
    "metabolic",
    "psychiatric",
    "infection",
    "infections",
    "contraception",
    "pregnancy",
    "consent",
    "specific",
    "main",
    "only",
    "subjects",
    "participants",
    "patients",
    "population",
    "study",
    "diagnosis",
    // Parts of a trial that registries head their lists with ("Step 2", "Extension phase",
    // "Dose escalation and dose expansion cohorts", "Run-in period").
    "step",
    "steps",
    "period",
    "periods",
    "extension",
    "escalation",
    "expansion",
    "dose",
    "run",
    "in",
    "screening",
    "randomization",
    "randomisation",
    "baseline",
    "visit",
    "substudy",
    "stratum",
    "strata",
    "module",
    "monotherapy",
    "combination",
    "hematology",
    "haematology",
    "hematological",
    "haematological",
    "biochemistry",
    "chemistry",
    // "Specific to Part 2", "Study-wide eligibility (across all study parts)".
    "to",
    "wide",
    "across",
    "applicable",
    // Headings that refer to another list ("Same as Phase 1 criteria with addition of following
    // criteria", "Identical to inclusion criteria nos. 2-7") or name a part of the design ("Single
    // ascending dose (SAD)", "Pre-screening phase", "Core study", "Recipient").
    "same",
    "identical",
    "as",
    "with",
    "addition",
    "following",
    "nos",
    "at",
    "recommended",
    "safety",
    "randomized",
    "randomised",
    "ia",
    "ib",
    "pre",
    "single",
    "ascending",
    "multiple",
    "sad",
    "mad",
    "cycle",
    "core",
    "target",
    "recipient",
    "recipients",
    "donor",
    "donors",
    "direct",
    "entry",
];

/// Phrases that make a line boilerplate or filler: it refers to criteria stated elsewhere, or says
/// there is no requirement.
const BOILERPLATE: &[&str] = &[
    "criteria may apply",
    "criteria apply",
    "criteria will apply",
    "may apply",
    "not specified",
    "see above",
    "see below",
    "as listed below",
    "defined below",
    "not applicable",
    // Accrual notes: a closed cohort asks nothing of a patient.
    "closed to accrual",
    "enrollment closed",
    "enrolment closed",
    "closed to enrollment",
    "closed to enrolment",
    // "Other exclusions apply", "Additional criteria exist": criteria stated elsewhere.
    "exclusions apply",
    "criteria exist",
    // "This is a greater than minimal risk study": a note on the study's risk class.
    "minimal risk study",
    "open to accrual",
    "information purposes",
    "registration process",
    "will be recruited",
    "other eligibility requirements",
    "indicated below",
    "described below",
    "specified below",
    // Registry notes and trademarks: "FURTHER STUDY DETAILS PROVIDED BY <sponsor>", "DISKUS is a
    // trade mark of ...".
    "study details provided by",
    "trade mark",
    "trademark",
    // The standard note on an investigational drug in pregnancy ("The effects of X on the
    // developing human fetus are unknown"); the pregnancy rule itself is a line of its own.
    "developing human fetus",
];

/// Phrases by which a line speaks about the criteria list itself ("Patients who meet any of the
/// following", "Exclusion criteria 5 and 12 are checked at Day 1 only").
const SELF_REFERENCES: &[&str] = &[
    "inclusion criteria",
    "exclusion criteria",
    "inclusion/exclusion criteria",
    "eligibility criteria",
    "the following",
    "listed below",
    "criteria below",
    "criteria above",
];

/// Who, besides the patient, a sentence can be about: the study and its people, the criteria, the
/// records ("Sites will be asked to submit ...", "The study center will determine ...", "This
/// criterion has been deleted", "There is no minimum expression level required").
static STUDY_SIDE: WordSet = WordSet::new(
    "study trial protocol site sites sponsor sponsors investigator investigators researcher researchers \
     personnel staff center centre centers centres monitor criterion criteria randomization randomisation \
     selection information it there",
);

/// Words that end the subject of a sentence: its verb, modal or future.
static SUBJECT_VERBS: WordSet =
    WordSet::new("will should may can shall is are was were has have must need needs would could does");

/// Words that open an instruction to the reader ("Please note ...", "Refer to Appendix C", "See the
/// protocol for ...").
static IMPERATIVES: WordSet = WordSet::new("please refer see");

/// Articles and determiners before a subject.
static DETERMINERS: WordSet = WordSet::new("the a an this these those any all each our");

/// What the study does with its specimens, tests and schedule: a subject with one of these words
/// and a process verb is the study's logistics ("Specimens must be collected within 10 days",
/// "Registration must occur within 28 days", "Protocol treatment is to begin ...").
static PROCESS_NOUNS: WordSet = WordSet::new(
    "specimen specimens sample samples tissue slide slides test tests testing labs measurement measurements \
     assessment assessments evaluation evaluations screening registration enrollment enrolment randomization \
     randomisation protocol study bloodwork studies imaging scan scans exam exams examination examinations \
     workup",
);

/// The words of a subject that is the criteria list ("All exclusion criteria, with the exception of
/// criterion 4, ..."): "Meets criteria for MCI" is no such subject.
static CRITERIA_SUBJECT: WordSet = WordSet::new(
    "all the these this inclusion exclusion eligibility criteria criterion above below listed with exception of other \
     and or note that no full list",
);

/// Past participles of what the study team does to a specimen or a test ("will be determined at the
/// local institution", "should be calculated per institutional standard"). Verbs a patient's state
/// is stated with ("confirmed", "used", "treated") are left out on purpose.
static PROCESS_PARTICIPLES: WordSet = WordSet::new(
    "determined calculated computed measured assessed performed collected obtained done drawn evaluated \
     analyzed analysed reviewed submitted sent repeated estimated tested completed conducted carried considered \
     checked based",
);

/// Verbs by which a step of the study's schedule happens ("treatment must begin", "registration must
/// occur").
static SCHEDULE_VERBS: WordSet = WordSet::new("begin start occur commence");

/// Who the patient is called in a subject ("Patients who ...", "If you ...").
static PATIENT_WORDS: WordSet = WordSet::new(
    "patient patients subject subjects participant participants you women woman men man children child \
     adults people volunteers individuals who",
);

/// Words by which a sentence about the criteria says what meeting them does ("Patients who meet
/// all of the inclusion criteria listed below will be eligible").
static ELIGIBILITY_WORDS: WordSet =
    WordSet::new("eligible ineligible excluded included enrolled qualify exclude excludes disqualify");

/// Restrictions a line can say there are none of ("No restrictions", "No gender limit").
static RESTRICTION_WORDS: WordSet =
    WordSet::new("restriction restrictions limit limits limitation limitations requirement requirements");

/// What a line stating no restriction may name as its topic ("No age limit", "No sex restriction").
static OPEN_TOPICS: WordSet = WordSet::new("gender sex age ethnicity race");

/// Groups of people that "all" or "any" opens to everyone ("Men and women of all races and ethnic
/// groups are eligible").
static EVERYONE_GROUPS: WordSet =
    WordSet::new("races race ethnicities ethnicity ethnic ethnoracial genders sexes ages backgrounds");

/// The words of a line that only opens groups to everyone ("Any race or ethnic origin", "Any
/// self-declared ethnoracial category", "All races, ethnicities and genders").
static OPEN_GROUP_LINE: WordSet = WordSet::new(
    "all any or and of races race ethnicities ethnicity ethnic ethnoracial origin origins category categories \
     self declared genders gender sexes sex backgrounds",
);

/// Whether an unread criterion is structure: a heading, a connective, a filler or boilerplate.
/// `introduces_items` says whether the segmenter found sub-items under it.
pub(crate) fn is_structure(text: &str, introduces_items: bool, a: &Analysis) -> bool {
    let lower = text.trim().to_lowercase();
    introduces_items
        || lower.ends_with(':')
        || is_note(&lower)
        || BOILERPLATE.iter().any(|p| lower.contains(p))
        || SELF_REFERENCES.iter().any(|p| refers_to_the_list(&lower, p))
        || is_about_the_criteria(&lower, a)
        || is_connective(a)
        || is_enumerator(a)
        || is_short_heading(a)
        || is_list_heading(a)
        || is_part_label(a)
        || is_group_label(&lower, a)
        || is_tail(text, a)
        || heads_the_items_after(a)
        || is_dangling(a)
        || is_aside(&lower, a)
        || is_about_the_line_before(a)
        || is_instruction(a)
        || is_logistics(a)
        || states_no_restriction(a)
}

/// A note to the reader: "Note: ...", "Important note: ...", "NB: ...".
fn is_note(lower: &str) -> bool {
    lower.starts_with("note")
        || lower.split_once(':').is_some_and(|(head, _)| {
            let mut words = head.split_whitespace().rev();
            words.next() == Some("note") && words.all(|w| matches!(w, "important" | "special" | "general" | "please"))
        })
}

/// Words by which a longer heading says it heads a list of criteria ("Eligibility criteria specific
/// for patients in part I of the study").
static LIST_HEADS: WordSet = WordSet::new("criteria criterion eligibility inclusion exclusion specific");

/// A heading of up to ten heading words that names the list it heads ("Inclusion criteria for
/// phase I and II study", "Study-wide eligibility across all study parts").
fn is_list_heading(a: &Analysis) -> bool {
    let words: Vec<&str> = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    words.len() <= 12
        && words.iter().any(|w| LIST_HEADS.contains(w) || matches!(*w, "same" | "identical"))
        && words.iter().all(|w| is_heading_word(w))
}

/// Parts of a trial a label names ("Cohort B: ML", "Module 3 - ICI combination", "Group 2 (PDD)").
static TRIAL_PARTS: WordSet = WordSet::new("cohort arm part group module step stratum substudy");

/// A label of a trial's part: a part word, its number or letter, and at most four words of name,
/// with nothing the recognisers read (a name such as "Group A streptococcus" is read as what it is).
fn is_part_label(a: &Analysis) -> bool {
    let words = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).count();
    let labelled = match a.tokens.as_slice() {
        [part, id, rest @ ..] => {
            TRIAL_PARTS.contains(&part.lower)
                && (id.kind == TokenKind::Number || (id.lower.chars().count() <= 2 && id.kind == TokenKind::Word))
                // "Cohort I: 12 - 23 mo." names its patients by a value.
                && rest.iter().all(|t| t.kind != TokenKind::Number)
        }
        _ => false,
    };
    // A name of more than two words defines the cohort's patients ("Cohort C: PTEN loss or
    // mutations"), it does not label it.
    labelled && words <= 4 && a.mentions.is_empty() && a.qualifiers.is_empty()
}

/// Words that open a label of the group or part of the study a list is for ("For Renally Impaired
/// Subjects (Cohort 1)", "All Participants (Arms A through N)", "Exclusion Criteria for Subjects
/// Continuing from The Double-Blind Phase", "General (applies to all cohorts)").
static LABEL_OPENERS: WordSet = WordSet::new(
    "for all general additional additionally exc inc inclusion exclusion criteria eligibility eligibly cohort \
     cohorts arm arms part parts phase phases",
);

/// The parts of a study a group label names, anywhere in it (in brackets too).
static LABEL_PARTS: WordSet =
    WordSet::new("cohort cohorts arm arms part parts phase phases step steps escalation expansion extension criteria");

/// The parts a label may end on without an opener ("Dose Escalation and Dose Expansion Cohorts");
/// not "phase", which ends the phases of a disease too ("Chronic phase"), nor "criteria", which
/// ends terms stated elsewhere ("Blood work criteria").
static LABEL_ENDS: WordSet = WordSet::new("cohort cohorts arm arms part parts");

/// Words of the study's sequence, which make a line about a part a requirement ("Completion of
/// Step 1", "At or beyond Day 17 in Step 1", "Randomization to ... in Step 1").
static SEQUENCE_WORDS: WordSet = WordSet::new(
    "completion completed complete completing treated beyond randomization randomisation enrolled day days week \
     weeks must",
);

/// Most words a group label has.
const MAX_LABEL_WORDS: usize = 16;

/// A label of the group or part of the study the next items are for: no verb, nothing read but
/// plain numbers, no text after a colon ("Cohorts 1 and 2: an additional driver" is a requirement
/// of those cohorts), a part of the study named, and an opener word or a part word at its end.
fn is_group_label(lower: &str, a: &Analysis) -> bool {
    let words: Vec<&str> = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    let plain_numbers =
        a.quantities.iter().all(|q| q.unit.is_none() && q.time_unit.is_none() && q.operator_tokens.is_none());
    let colon_inside = lower.trim_end().trim_end_matches(':').contains(':');
    let quiet = a.mentions.is_empty() && plain_numbers && !colon_inside && words.len() <= MAX_LABEL_WORDS;
    let stated = words.iter().any(|w| SUBJECT_VERBS.contains(w) || SEQUENCE_WORDS.contains(w));
    let last = words_outside_brackets(a).last().copied();
    let opened =
        words.first().is_some_and(|w| LABEL_OPENERS.contains(w)) || last.is_some_and(|w| LABEL_ENDS.contains(w));
    quiet && !stated && opened && words.iter().any(|w| LABEL_PARTS.contains(w))
}

/// The words of a line outside brackets, lower case.
fn words_outside_brackets(a: &Analysis) -> Vec<&str> {
    let mut depth = 0i32;
    let mut out = Vec::new();
    for t in &a.tokens {
        match t.lower.as_str() {
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            _ if depth <= 0 && t.kind == TokenKind::Word => out.push(t.lower.as_str()),
            _ => {}
        }
    }
    out
}

/// A line that ends on its verb, the colon of a heading left out ("Patients must have",
/// "Participant has either", "For the randomised Phase 2, patients must have"): it heads the items
/// after it. Nothing in it is read.
fn heads_the_items_after(a: &Analysis) -> bool {
    let words: Vec<&str> = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    let ends = matches!(
        words.as_slice(),
        [.., "must" | "should" | "will", "have" | "be"] | [.., "has" | "have", "either" | "the" | "one"]
    );
    ends && words.len() <= 8 && a.mentions.is_empty() && a.quantities.iter().all(|q| q.unit.is_none())
}

/// Words a sentence's tail opens with when a registry broke it into a line of its own ("the
/// analysis of results", "are met.", "to confirm subject eligibility.").
static TAIL_OPENERS: WordSet = WordSet::new("the are is to at will be been which was were as");

/// Most words a broken-off tail has.
const MAX_TAIL_WORDS: usize = 9;

/// The tail of the line before, broken off: it opens in lower case with a word no requirement
/// opens with, and names nothing and counts nothing of its own. A tail that names something ("and
/// at high risk of TLS", "dust mite") stays a line to read.
fn is_tail(text: &str, a: &Analysis) -> bool {
    let lower_start = text.trim_start().chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let opener = a.tokens.first().is_some_and(|t| TAIL_OPENERS.contains(&t.lower));
    let words: Vec<&str> = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    // A long line, or one about the patient ("the patient has completed Visit 7 ..."), is a
    // requirement of its own.
    let short = words.len() <= MAX_TAIL_WORDS && !words.iter().any(|w| PATIENT_WORDS.contains(w));
    lower_start && opener && short && a.mentions.is_empty() && a.quantities.is_empty()
}

/// Words a line can break off after, introducing what follows ("Participants with").
static INTRODUCERS: WordSet = WordSet::new("with of the who in for to by following than");

/// A short line that breaks off on a word that introduces what follows ("Participants with"),
/// naming nothing.
fn is_dangling(a: &Analysis) -> bool {
    let words: Vec<&str> = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    let last = a.tokens.iter().rev().find(|t| t.lower != "." && t.lower != ";");
    words.len() <= 4
        && last.is_some_and(|t| INTRODUCERS.contains(&t.lower))
        && a.mentions.is_empty()
        && a.quantities.is_empty()
        && a.tokens.iter().all(|t| t.kind != TokenKind::Number)
}

/// A line wholly in brackets that names nothing ("(Consecutive and new participants)"): an aside.
/// A bound in brackets ("(≤ ULN)") is the value of the line before, not an aside.
fn is_aside(lower: &str, a: &Analysis) -> bool {
    let inner = lower.trim_end_matches('.');
    let bracketed =
        (inner.starts_with('(') && inner.ends_with(')')) || (inner.starts_with('[') && inner.ends_with(']'));
    let bound = a.tokens.iter().any(|t| matches!(t.lower.as_str(), "<" | ">" | "≤" | "≥" | "=" | "uln" | "lln"));
    bracketed && !bound && a.mentions.is_empty() && a.quantities.is_empty()
}

/// A line that speaks of the line before it ("This includes", "This should be minimized wherever
/// possible", "These potential risks may also apply to the study drug"), naming nothing and
/// counting nothing itself.
fn is_about_the_line_before(a: &Analysis) -> bool {
    let words = main_clause(a);
    // The verb may follow a noun or two ("This test is recommended for all patients", "These
    // potential risks may also apply").
    let verb = |w: &&str| SUBJECT_VERBS.contains(w) || matches!(*w, "includes" | "include" | "applies");
    matches!(words.first(), Some(&("this" | "these")))
        && words.iter().skip(1).take(3).any(verb)
        && a.mentions.is_empty()
        && a.quantities.is_empty()
}

/// A line that restricts no one: there is no restriction ("No restrictions", "No gender limit",
/// "None"), or everyone is eligible ("Both men and women of all races and ethnic groups are
/// eligible"). One that names a finding or a number ("No restriction on prior therapy", "No limit
/// above 3 regimens") is read, or left, as a requirement.
fn states_no_restriction(a: &Analysis) -> bool {
    if !a.mentions.is_empty() || !a.quantities.is_empty() {
        return false;
    }
    let words = main_clause(a);
    let no_limit = match words.split_first() {
        Some((&"none", rest)) => rest.is_empty(),
        Some((&"no", rest)) => {
            rest.len() <= 3
                && rest.iter().any(|w| RESTRICTION_WORDS.contains(w))
                && rest.iter().all(|w| RESTRICTION_WORDS.contains(w) || OPEN_TOPICS.contains(w))
        }
        _ => false,
    };
    // "... of all races are eligible", or a line that is only the open groups ("Any race or
    // ethnicity", "All races").
    let open_to_all = words.windows(2).any(|p| matches!(p[0], "all" | "any") && EVERYONE_GROUPS.contains(p[1]));
    let everyone = open_to_all && (words.contains(&"eligible") || words.iter().all(|w| OPEN_GROUP_LINE.contains(w)));
    no_limit || everyone
}

/// A sentence about the criteria list that only says what meeting it does ("Patients who meet any
/// of the following criteria will be excluded", "Subjects must meet all inclusion criteria to be
/// eligible"). One that names anything clinical ("Patients with hepatitis will be excluded unless
/// they meet the following criteria") states a requirement.
fn is_about_the_criteria(lower: &str, a: &Analysis) -> bool {
    a.mentions.is_empty()
        && !lower.contains(':')
        && SELF_REFERENCES.iter().any(|p| lower.contains(p))
        && main_clause(a).iter().any(|w| ELIGIBILITY_WORDS.contains(w))
}

/// The words of the main clause: after a leading condition ("If you do not qualify, study
/// personnel will explain the reasons"), else all of them.
fn main_clause(a: &Analysis) -> Vec<&str> {
    let conditional = a.tokens.first().is_some_and(|t| t.lower == "if");
    let from = a.tokens.iter().position(|t| t.lower == ",").filter(|_| conditional).map_or(0, |comma| comma + 1);
    a.tokens[from..].iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect()
}

/// A statement of the study's logistics, not a requirement on the patient: a subject that is not
/// the patient, with a process verb in the passive or future ("Hormone receptor status will be
/// determined at the local institution", "Specimens must be collected within 10 days prior to
/// treatment", "Protocol treatment is to begin within 2 working days of randomization"). Under an
/// obligation ("must"), only a subject of the study's own process counts: "Diagnosis must be
/// determined by biopsy" is the patient's. What the patient must bring or have ("Tissue must be
/// available", "must have been obtained") is not logistics.
fn is_logistics(a: &Analysis) -> bool {
    let words = main_clause(a);
    // The modal or verb of the main clause first ("All testing used to determine safety will be
    // completed ..."), else an infinitive ("Screening labs to be drawn ...").
    let verb = words.iter().take(9).position(|w| SUBJECT_VERBS.contains(w));
    let Some(v) = verb.or_else(|| words.iter().take(9).position(|w| *w == "to")) else { return false };
    let subject = &words[..v];
    if subject.is_empty() || subject.iter().any(|w| PATIENT_WORDS.contains(w)) {
        // "To be calculated by the Cockcroft-Gault formula": a note on how a value is obtained.
        return matches!(words.as_slice(), ["to", "be", participle, ..] if PROCESS_PARTICIPLES.contains(participle));
    }
    // "Exclusion criteria 2 and 5 need to be re-checked at Day 1": the criteria are the subject.
    if SUBJECT_VERBS.contains(words[v]) && subject.iter().all(|w| CRITERIA_SUBJECT.contains(w)) {
        return subject.iter().any(|w| matches!(*w, "criteria" | "criterion"));
    }
    let process_subject = subject.iter().any(|w| PROCESS_NOUNS.contains(w));
    let advisory = matches!(words[v], "will" | "should" | "shall");
    // "will also be obtained", "need to be re-checked": adverbs and prefixes stand in between.
    let rest: Vec<&str> =
        words[v + 1..].iter().copied().filter(|w| !matches!(*w, "to" | "also" | "re")).take(2).collect();
    match rest.as_slice() {
        ["be", participle, ..] if PROCESS_PARTICIPLES.contains(participle) => process_subject || advisory,
        [verb, ..] | ["be", verb, ..] if SCHEDULE_VERBS.contains(verb) => process_subject,
        _ => false,
    }
}

/// A sentence addressed to the site or the reader, not a property of the patient: its subject is
/// the study, its staff or its criteria ("The study center will determine if you meet all of the
/// criteria", "There is no limit to the number of prior regimens", "If you qualify, study
/// personnel will explain the trial"), or it opens with an imperative ("Please contact the medical
/// monitor", "Refer to Appendix C").
fn is_instruction(a: &Analysis) -> bool {
    let words = main_clause(a);
    let Some(first) = words.first() else { return false };
    if IMPERATIVES.contains(first) {
        return true;
    }
    let start = words.iter().position(|w| !DETERMINERS.contains(w)).unwrap_or(words.len());
    let verb = words.iter().skip(start).take(5).position(|w| SUBJECT_VERBS.contains(w)).map(|k| start + k);
    let Some(v) = verb.filter(|&v| v > start && STUDY_SIDE.contains(words[v - 1])) else { return false };
    // After a condition, "it" is what the condition names ("If a node was removed, it must be
    // negative"), not the study.
    if words[v - 1] == "it" && words.len() < a.tokens.iter().filter(|t| t.kind == TokenKind::Word).count() {
        return false;
    }
    // "There is no limit ..." states no requirement; "There is risk of self-harm" is the patient's.
    words[v - 1] != "there" || words.get(v + 1).is_some_and(|w| matches!(*w, "no" | "not" | "additional" | "also"))
}

/// Only connective words and punctuation: "OR", "- AND -", "and/or".
fn is_connective(a: &Analysis) -> bool {
    let mut words = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).peekable();
    words.peek().is_some() && words.all(|t| CONNECTIVES.contains(&t.lower.as_str()))
}

/// Whether the line ends on a reference to the list ("Patients who meet any of the following",
/// "continues to meet all inclusion criteria of Visit 1"): at most four words after it. A line
/// that goes on stating something ("The following histologies are excluded: ...", "a score ≥ 5
/// on 2 of the following items: ...") is a requirement, not structure.
fn refers_to_the_list(lower: &str, phrase: &str) -> bool {
    lower.find(phrase).is_some_and(|at| {
        let rest = &lower[at + phrase.len()..];
        !rest.contains(':') && rest.split_whitespace().count() <= 4
    })
}

/// A line left with only a list number or a note mark ("E-24.", "4.4.", "N.B.", "(b)"): no word of
/// three letters or more, and no word with a digit in it ("T1" is a stage).
fn is_enumerator(a: &Analysis) -> bool {
    !a.tokens.is_empty()
        && a.tokens.iter().all(|t| match t.kind {
            TokenKind::Word => t.lower.chars().count() <= 2 && t.lower.chars().all(char::is_alphabetic),
            TokenKind::Number | TokenKind::Symbol => true,
        })
        && a.tokens.iter().filter(|t| t.kind == TokenKind::Word).count() <= 2
}

/// A line of at most five heading words and numbers ("Renal", "Performance status", "Cohort 2",
/// "Parts D and E").
fn is_short_heading(a: &Analysis) -> bool {
    let words: Vec<&str> = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    !words.is_empty() && words.len() <= 5 && words.iter().all(|w| is_heading_word(w))
}

/// A heading word, or a single letter (the name of a part, "Parts D and E").
fn is_heading_word(word: &str) -> bool {
    HEADING_WORDS.contains(&word) || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, NonComputableReason};

    fn reasons(text: &str) -> Vec<Option<NonComputableReason>> {
        parse_criteria(text)
            .iter()
            .map(|c| match c.computable.as_slice() {
                [Computable::NotComputable { reason }] => Some(*reason),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn headings_connectives_and_boilerplate_are_structure() {
        let text = "Inclusion Criteria:\n\n* The patient needs these blood values:\n  * Platelets > 100,000/uL\n\
                    * OR\n* Renal\n* Further exclusion criteria may apply\n* Note: slides are sent by courier.";
        let found = reasons(text);
        assert_eq!(found.iter().filter(|r| **r == Some(NonComputableReason::Structure)).count(), 5, "{found:?}");
    }

    #[test]
    fn list_numbers_trial_parts_and_notes_about_the_list_are_structure() {
        let text = "Inclusion Criteria:\n\n* C-12.\n* Run-in period\n* Cohort B: closed to accrual\n\
                    * Participants who fulfil each of the following\n* Continues to meet the inclusion criteria at Day 1";
        let found = reasons(text);
        assert!(found.iter().all(|r| *r == Some(NonComputableReason::Structure)), "{found:?}");
        assert_ne!(reasons("T2, N0 OR"), vec![Some(NonComputableReason::Structure)]);
        let stated = reasons("The following subtypes are excluded: nodular sclerosis type 2");
        assert_ne!(stated, vec![Some(NonComputableReason::Structure)]);
    }

    #[test]
    fn instructions_to_the_site_or_reader_are_structure() {
        let text = "Inclusion Criteria:\n\n* The study centre will decide whether the criteria are met.\n\
                    * Sites must send two slides to the sponsor.\n* There is no limit on prior regimens.\n\
                    * Please refer to Appendix D.\n* See the manual for the scoring rules.\n\
                    * This criterion was removed in amendment 2.";
        let found = reasons(text);
        assert!(found.iter().all(|r| *r == Some(NonComputableReason::Structure)), "{found:?}");
        // A patient's own state stays a requirement, read or not.
        assert_ne!(reasons("Patients will have recovered from surgery"), vec![Some(NonComputableReason::Structure)]);
        assert_ne!(reasons("Contact lens wearers"), vec![Some(NonComputableReason::Structure)]);
        assert_ne!(reasons("There is a risk of self-harm"), vec![Some(NonComputableReason::Structure)]);
    }

    #[test]
    fn the_studys_logistics_and_sentences_about_the_criteria_are_structure() {
        let text = "Inclusion Criteria:\n\n* Slides will be reviewed at the reference centre.\n\
                    * Specimens must be collected within 5 days before the start of study treatment.\n\
                    * Study therapy is to start within 3 working days of enrolment.\n\
                    * Screening labs to be drawn within 21 days of registration.\n\
                    * Participants fulfilling every one of the inclusion criteria below will be eligible.\n\
                    * If you cannot take part, site staff will tell you why.";
        let found = reasons(text);
        assert!(found.iter().all(|r| *r == Some(NonComputableReason::Structure)), "{found:?}");
    }

    #[test]
    fn the_patients_own_state_is_not_logistics() {
        let structure = vec![Some(NonComputableReason::Structure)];
        // A patient subject, a state rather than a process, or what the patient must have stays
        // a requirement, read or not.
        assert_ne!(reasons("Patients who had a bowel resection will be excluded."), structure);
        assert_ne!(reasons("Headaches must begin before age 40"), structure);
        assert_ne!(reasons("Diagnosis must be determined by two raters"), structure);
        assert_ne!(reasons("Archival tissue must be available"), structure);
        assert_ne!(reasons("Barrier methods should be used throughout"), structure);
        assert_ne!(reasons("If a cyst was drained, it must be sterile on culture"), structure);
        assert_ne!(reasons("The following subtypes are ineligible: nodular type 2"), structure);
    }

    #[test]
    fn a_line_that_restricts_no_one_is_structure() {
        let text = "Inclusion Criteria:\n\n* No age limit\n* No restrictions.\n* None\n\
                    * Women and men of any ethnicities and all races are eligible to take part.\n\
                    * Any ethnic origin or race\n* All races and ethnicities";
        let found = reasons(text);
        assert!(found.iter().all(|r| *r == Some(NonComputableReason::Structure)), "{found:?}");
        let structure = vec![Some(NonComputableReason::Structure)];
        assert_ne!(reasons("No restriction on the number of earlier regimens for glioma"), structure);
        assert_ne!(reasons("No limit violations"), structure);
        assert_ne!(reasons("Women of Asian ancestry are eligible"), structure);
    }

    #[test]
    fn list_headings_part_labels_asides_and_notes_are_structure() {
        let text = "Inclusion Criteria:\n\n* Eligibility criteria specific to participants in part II of the study\n\
                    * Same as part 1 criteria with addition of following criteria\n* Arm C: QX\n* Parts F and G\n\
                    * Participants with\n* (Returning participants)\n* [At the end of the lead-in phase]\n\
                    * Important note: every criterion is checked again on day 1.\n* Further exclusions apply\n\
                    * This includes\n* Exclusion criteria 3 and 7 need to be re-checked at the baseline visit.";
        let found = reasons(text);
        assert!(found.iter().all(|r| *r == Some(NonComputableReason::Structure)), "{found:?}");
        let structure = vec![Some(NonComputableReason::Structure)];
        // A cohort named by its patients' values or findings, a grade list ending on a letter, a
        // site before a note, and criteria the patient meets are requirements.
        for text in [
            "Cohort II: 6 - 11 mo.",
            "Cohort D: loss of QRS7 or its mutations",
            "Tumour grades 1, 2 or 3a",
            "Parotid glands NOTE: the primary must be known",
            "Meets criteria for MCI due to AD",
            "(≥ LLN)",
        ] {
            assert_ne!(reasons(text), structure, "{text}");
        }
    }

    #[test]
    fn labels_of_groups_and_parts_and_lines_that_head_items_are_structure() {
        let text = "Inclusion Criteria:\n\n* For Hepatically Impaired Participants (Cohort 3)\n\
                    * All Subjects (Arms B through F)\n* Dose Escalation and Expansion Cohorts\n\
                    * For Cohorts C and D (Enrolment Closed)\n* Criteria Based on Family History\n\
                    * Exclusion Criteria for Participants Rolling Over from The Open-Label Phase\n\
                    * Participants must have\n* This visit is optional for every participant.\n\
                    * FURTHER STUDY DETAILS PROVIDED BY ACME LTD\n* TURBOHALER is a trade mark of Acme.\n\
                    * the interpretation of the findings\n* are fulfilled.\n\
                    * The effects of XY-123 on the developing human fetus have not been studied.";
        let found = reasons(text);
        assert!(found.iter().all(|r| *r == Some(NonComputableReason::Structure)), "{found:?}");
        let structure = vec![Some(NonComputableReason::Structure)];
        // A disease's phase, the study's sequence and a part with a requirement after its colon are
        // requirements.
        for text in [
            "Accelerated phase",
            "Completion of Part B",
            "At or beyond Day 20 in Step 2",
            "Cohorts 3 and 4: a second oncogenic driver",
            "For participants in Arm C, prior frobnitis must be documented",
            "house dust mite",
            "and at high risk of frobnitis",
            "the participant has completed the week 12 visit of the parent study",
        ] {
            assert_ne!(reasons(text), structure, "{text}");
        }
    }

    #[test]
    fn how_a_value_is_obtained_is_the_studys_logistics() {
        let text = "Inclusion Criteria:\n\n* Bloodwork must be drawn within 14 days before the first dose.\n\
                    * All radiology studies must be done within 30 days prior to registration\n\
                    * To be calculated by the Cockcroft-Gault formula\n\
                    * Archival slides will also be obtained from every participant.\n\
                    * All safety testing used to decide dosing will be completed within 28 days prior to day 1.";
        let found = reasons(text);
        assert!(found.iter().all(|r| *r == Some(NonComputableReason::Structure)), "{found:?}");
    }

    #[test]
    fn a_requirement_nothing_reads_stays_unstructured() {
        assert_eq!(reasons("Reversed day-night rhythm"), vec![Some(NonComputableReason::Unstructured)]);
    }
}
