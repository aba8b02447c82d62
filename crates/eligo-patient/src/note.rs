//! Free-text clinical note → facts, each with the char span it was read from.
//!
//! Concepts come from the vocabulary's mention finder ([`Vocabulary::find_mentions`]); what a
//! mention *asserts* comes from cue words around it in the same clause, in the manner of NegEx and
//! ConText (Chapman et al.):
//!
//! * **family** — a relative named earlier in the sentence ("mother had breast cancer");
//! * **absent** — a negation cue shortly before ("denies smoking", "no history of diabetes",
//!   "negative for HIV") or a ruling-out after ("tuberculosis was ruled out"); a denial narrowed
//!   to a circumstance ("no pain with intercourse") denies that circumstance, which the vocabulary
//!   does not name, so no fact is recorded rather than "pain: absent";
//! * **hypothetical** — suspicion or condition ("rule out", "concern for", "differential includes");
//! * **historical** — "history of", "previous", "prior", "medication history", "resolved",
//!   "during childhood".
//!
//! A cue's scope ends at a clause boundary ("but", "however", ";", ...), so "no fever but has
//! arthritis" negates fever only. Ages ("a 58-year-old woman"), sex (the noun near the age, else
//! the pronouns), pregnancy, drug timing ("rituximab 4 months ago") and doses, and lab values with
//! units ("eGFR of 25 mL/min/1.73 m2", "blood pressure 130/75") are read with small regexes next to
//! the mention they belong to.

use std::sync::OnceLock;

use chrono::NaiveDate;
use eligo_model::{
    Assertion, ClinicalFact, ConceptRef, Evidence, FactKind, FactSource, Noted, PatientSex, Quantity, Span, TimeUnit,
};
use eligo_vocab::{canonical_unit, convert, normalize_unit, Category, Mention, Vocabulary};
use regex::Regex;

use crate::allergies;
use crate::build::{marker_observation, observation, stated_age};
use crate::markers::{is_marker, MarkerResult};
use crate::qualifiers::read_qualifiers;
use crate::resolve::mentions_and_markers;
use crate::timing::{self, regex, Placed};
use crate::{ParsedPatient, Rejected};

/// How far before a mention (in chars) a negation or hypothetical cue still applies: far enough
/// for the end of an enumeration ("no history of diabetes, hypertension, heart disease or any
/// kind of surgery"); the clause boundaries stop it sooner.
const CUE_WINDOW: usize = 100;
/// How far after a measurement mention its value may be.
const VALUE_WINDOW: usize = 48;
/// How far after a mention (in chars) its clause reaches at most, for cues written after it ("was
/// ruled out", "4 months ago"): a clause longer than this is a run-on list whose far end is about
/// other things, and the bound keeps reading a note linear in its length.
const CLAUSE_REACH: usize = 400;

const CLAUSE_BREAKS: [&str; 9] =
    [" but ", " however", " although", " though", " except", " which ", " whereas ", ";", ":"];
const FAMILY_CUES: [&str; 17] = [
    "mother",
    "father",
    "sister",
    "brother",
    "aunt",
    "uncle",
    "grandmother",
    "grandfather",
    "cousin",
    "sibling",
    "siblings",
    "parent",
    "parents",
    "family history",
    "son",
    "daughter",
    "relatives",
];
/// People around the patient who are no blood relatives: what they have is neither the patient's
/// nor family history.
const OTHER_PERSON_CUES: [&str; 20] = [
    "husband",
    "wife",
    "spouse",
    "partner",
    "boyfriend",
    "girlfriend",
    "fiance",
    "fiancee",
    "friend",
    "friends",
    "roommate",
    "roommates",
    "coworker",
    "coworkers",
    "co-worker",
    "co-workers",
    "colleague",
    "colleagues",
    "neighbor",
    "neighbour",
];
/// Words right after a person that make the person the subject of what follows ("her husband
/// was diagnosed with", "her partner has HIV"), unlike a mere mention ("lives with her husband and
/// has COPD").
const SUBJECT_VERBS: [&str; 16] = [
    "was",
    "is",
    "has",
    "had",
    "have",
    "were",
    "died",
    "suffers",
    "suffered",
    "developed",
    "underwent",
    "recently",
    "also",
    "tested",
    "carries",
    "'s",
];
const NEGATION_CUES: [&str; 15] = [
    "no",
    "not",
    "denies",
    "denied",
    "deny",
    "without",
    "negative for",
    "free of",
    "absence of",
    "never",
    "none",
    "nor",
    "neither",
    "doesn't",
    "didn't",
];
const NEGATION_AFTER: [&str; 6] = ["ruled out", "is negative", "was negative", "were negative", "unlikely", "excluded"];
const HYPOTHETICAL_CUES: [&str; 14] = [
    "rule out",
    "r/o",
    "suspected",
    "suspicion of",
    "possible",
    "probable",
    "questionable",
    "differential",
    "concern for",
    "risk of",
    "risk for",
    "if",
    "evaluate for",
    "worried",
];
/// Cues written after the finding that leave it open: "appendicitis is suspected", "a fracture
/// cannot be excluded". Checked before the negations after a finding, which they contain.
const HYPOTHETICAL_AFTER: [&str; 11] = [
    "is suspected",
    "was suspected",
    "suspected",
    "is possible",
    "is likely",
    "is probable",
    "cannot be excluded",
    "could not be excluded",
    "cannot be ruled out",
    "could not be ruled out",
    "not ruled out",
];
/// How far after a finding a cue of [`HYPOTHETICAL_AFTER`] may stand (bytes): the words right
/// after it, not a later clause about something else.
const HYPOTHETICAL_AFTER_WINDOW: usize = 28;
const HISTORICAL_CUES: [&str; 12] = [
    "history of",
    // "initially treated with melphalan and prednisone, followed by ...": the first course.
    "initially",
    "h/o",
    "previous",
    "previously",
    "prior",
    "past",
    "formerly",
    "childhood",
    "medication history",
    "drug history",
    "history includes",
];
const HISTORICAL_AFTER: [&str; 11] = [
    "resolved",
    "was held",
    "were held",
    "in the past",
    "stopped",
    "discontinued",
    "during childhood",
    "in childhood",
    "as a child",
    "quit",
    "quitted",
];
/// Words that, right after a negated finding, narrow it to a circumstance: "no pain with
/// intercourse" denies that pain, not every pain.
const NARROWING_AFTER: [&str; 8] = ["with", "during", "on", "when", "while", "after", "upon", "at"];
/// Cues that a therapy or procedure is planned, recommended or offered, not given: "scheduled to
/// start chemotherapy", "will be referred for surgery", "was offered radiotherapy", "candidate for
/// transplant", and the plain imperatives of a plan ("start methotrexate"; "started" is no cue).
const PLANNED_CUES: [&str; 30] = [
    "scheduled",
    "will start",
    "will begin",
    "will receive",
    "will undergo",
    "will be started",
    "will be referred",
    "will be treated",
    "referred for",
    "referral for",
    "plan",
    "plans",
    "planned",
    "planning",
    "to start",
    "to begin",
    "to receive",
    "to undergo",
    "recommended",
    "recommend",
    "offered",
    "candidate for",
    "considered for",
    "considering",
    "awaiting",
    "proposed",
    "start",
    "begin",
    "initiate",
    "commence",
];
/// Words before a lab, or a unit after it, that name a specimen other than blood: "urine WBCs
/// 10/hpf" is not the blood white cell count.
const OTHER_SPECIMEN_CUES: [&str; 16] = [
    "urine",
    "urinary",
    "urinalysis",
    "ua",
    "u/a",
    "csf",
    "cerebrospinal fluid",
    "pleural",
    "ascitic",
    "peritoneal",
    "synovial",
    "stool",
    "fecal",
    "sputum",
    "bal",
    "bronchoalveolar",
];
const OTHER_SPECIMEN_UNITS: [&str; 2] = ["hpf", "lpf"];
/// How far before a lab (in chars) a specimen word still names its specimen.
const SPECIMEN_WINDOW: usize = 32;
/// How many words may open a note before its shorthand demographics ("Patient is a 40F").
const OPENING_WORDS: usize = 4;
/// Words that make "101 F" a temperature.
const TEMPERATURE_WORDS: [&str; 6] = ["temp", "temperature", "fever", "febrile", "tmax", "t"];
/// Words that start the next item of a list: what follows them no longer narrows the condition before.
const COORDINATORS: [&str; 3] = [" and ", " or ", "/"];
/// How far around a condition (in chars, inside its clause) the words that narrow it may stand.
const QUALIFIER_WINDOW: usize = 40;
/// Words that make a sentence about taking part in a trial, and the cues of its answer.
const PARTICIPATION_WORDS: [&str; 11] = [
    "consent",
    "participate",
    "participation",
    "participating",
    "take part",
    "enroll",
    "enrol",
    "clinical trial",
    "the trial",
    "this trial",
    "the study",
];
const CONSENT_REFUSED: [&str; 16] = [
    "declined",
    "declines",
    "refuses",
    "refused",
    "unwilling",
    "not willing",
    "unable",
    "cannot",
    "can't",
    "does not wish",
    "does not want",
    "doesn't want",
    "withdrew",
    "not interested",
    "lacks capacity",
    "does not consent",
];
const CONSENT_GIVEN: [&str; 16] = [
    "will provide",
    "provided",
    "signed",
    "consented",
    "consents",
    "agrees",
    "agreed",
    "willing",
    "wishes",
    "wants",
    "would like",
    "interested",
    "able to",
    "can provide",
    "gave",
    "will comply",
];

/// Reads a note. `today` is the date the note describes, for "4 months ago".
pub fn read_note(text: &str, today: NaiveDate) -> ParsedPatient {
    let mut out = ParsedPatient::default();
    if text.trim().is_empty() {
        out.rejected.push(Rejected::new("note", "empty note: no facts"));
        return out;
    }
    let doc = Doc::new(text);
    read_age_and_sex(&doc, &mut out);
    let (mentions, markers) = mentions_and_markers(text);
    for (i, mention) in mentions.iter().enumerate() {
        let neighbours = (i.checked_sub(1).and_then(|p| mentions.get(p)), mentions.get(i + 1));
        read_mention(&doc, mention, neighbours, today, &mut out);
    }
    read_marker_results(&doc, &markers, &mut out);
    read_consent(&doc, &mut out);
    read_allergy_denials(&doc, &mut out);
    dedupe(&mut out.patient.facts);
    out
}

/// Each marker result becomes a qualitative observation, and a biomarker qualifier of the nearest
/// condition in its sentence ("ER-positive breast cancer").
fn read_marker_results(doc: &Doc, markers: &[MarkerResult], out: &mut ParsedPatient) {
    let conditions = ConditionSpans::of(&out.patient.facts);
    for marker in markers {
        let evidence = doc.evidence(marker.start, marker.end);
        match marker_observation(&marker.marker, marker.polarity, None, evidence) {
            Ok(obs) => out.patient.observations.push(obs),
            Err(reason) => out.rejected.push(Rejected::new(format!("note[{}..{}]", marker.start, marker.end), reason)),
        }
        if let Some(fact) =
            conditions.nearest(doc.sentence_of(marker.start), marker).and_then(|i| out.patient.facts.get_mut(i))
        {
            let qualifier = marker.qualifier();
            if !fact.qualifiers.contains(&qualifier) {
                fact.qualifiers.push(qualifier);
            }
        }
    }
}

/// The note's condition facts by where they stand, for finding the one nearest a marker result
/// without a pass over every fact per marker.
struct ConditionSpans(Vec<(Span, usize)>);

impl ConditionSpans {
    fn of(facts: &[ClinicalFact]) -> Self {
        let mut spans: Vec<(Span, usize)> = facts
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == FactKind::Condition)
            .filter_map(|(i, f)| f.evidence.span.map(|s| (s, i)))
            .collect();
        spans.sort_by_key(|(s, i)| (s.start, *i));
        ConditionSpans(spans)
    }

    /// The index of the condition inside `sentence` nearest to `marker` (by the closer of their
    /// starts and their ends). Mentions do not nest, so it is among the few that start next to
    /// the marker's start.
    fn nearest(&self, (sentence_start, sentence_end): (usize, usize), marker: &MarkerResult) -> Option<usize> {
        const NEIGHBOURS: usize = 2;
        let at = self.0.partition_point(|(s, _)| s.start < marker.start);
        let around = &self.0[at.saturating_sub(NEIGHBOURS)..(at + NEIGHBOURS).min(self.0.len())];
        around
            .iter()
            .filter(|(s, _)| s.start >= sentence_start && s.end <= sentence_end)
            .min_by_key(|(s, i)| (s.start.abs_diff(marker.start).min(s.end.abs_diff(marker.end)), *i))
            .map(|&(_, i)| i)
    }
}

/// A sentence about taking part in a trial that says yes ("will provide informed consent",
/// "willing to participate") or no ("declined to take part", "unable to consent"); the first one
/// the note states counts.
fn read_consent(doc: &Doc, out: &mut ParsedPatient) {
    for &(start, end) in &doc.sentences {
        let sentence = doc.slice(start, end);
        if !PARTICIPATION.in_text(sentence) {
            continue;
        }
        let value = if REFUSED.in_text(sentence) {
            false
        } else if GIVEN.in_text(sentence) {
            true
        } else {
            continue;
        };
        out.patient.consent = Some(Noted { value, evidence: doc.evidence(start, end) });
        return;
    }
}

/// The note with char/byte offset maps, sentence bounds, and the clause breaks and sentence-wide
/// cues found once for the whole note. Every question about a mention's sentence or clause is a
/// binary search in these indexes: rescanning the sentence per mention made a note written as one
/// long sentence quadratic in its length.
struct Doc<'a> {
    text: &'a str,
    lower: String,
    /// Byte offset of every char, plus the end.
    char_bytes: Vec<usize>,
    /// Sentences as char ranges.
    sentences: Vec<(usize, usize)>,
    /// Clause breaks (`CLAUSE_BREAKS`) as char ranges, found sentence by sentence, in order.
    breaks: Vec<(usize, usize)>,
    /// Where each mention of a relative who is the subject ends (see [`relative_is_subject`]).
    relatives: CueEnds,
    /// Where each "Plan:" heading ends (after its colon).
    plan_headings: CueEnds,
    /// Where each mention of another person who is the subject ends (see [`OTHER_PERSON_CUES`]).
    others: CueEnds,
}

/// The char offsets where the accepted occurrences of a cue end, in order.
struct CueEnds(Vec<usize>);

impl CueEnds {
    /// Whether an occurrence ends in `(from, to]`: found in a sentence starting at `from`, wholly
    /// before `to`.
    fn any_ending_in(&self, from: usize, to: usize) -> bool {
        let i = self.0.partition_point(|&end| end <= from);
        self.0.get(i).is_some_and(|&end| end <= to)
    }
}

impl<'a> Doc<'a> {
    fn new(text: &'a str) -> Self {
        let char_bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
        let sentences = sentence_bounds(text);
        // ASCII lower-casing keeps byte offsets, so `lower` slices like `text`.
        let mut doc = Doc {
            text,
            lower: text.to_ascii_lowercase(),
            char_bytes,
            sentences,
            breaks: Vec::new(),
            relatives: CueEnds(Vec::new()),
            plan_headings: CueEnds(Vec::new()),
            others: CueEnds(Vec::new()),
        };
        doc.index_sentences();
        doc
    }

    /// Finds the clause breaks and the sentence-wide cues of every sentence, once.
    fn index_sentences(&mut self) {
        let (mut breaks, mut relatives, mut plans, mut others) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for &(start, end) in &self.sentences {
            let base = self.char_bytes[start];
            let sentence = self.slice(start, end);
            let to_char = |byte: usize| self.char_at_byte(base + byte);
            breaks.extend(clause_breaks().find_iter(sentence).map(|m| (to_char(m.start()), to_char(m.end()))));
            let cues = cue_ends(sentence, FAMILY.words, |before, after| !is_informant(before, after));
            relatives.extend(cues.filter(|&end| !is_the_writers_child(&sentence[..end])).map(&to_char));
            plans.extend(cue_ends(sentence, &["plan"], |_, after| after.starts_with(':')).map(|e| to_char(e + 1)));
            others.extend(cue_ends(sentence, &OTHER_PERSON_CUES, |_, after| is_subject(after)).map(&to_char));
        }
        relatives.sort_unstable();
        plans.sort_unstable();
        others.sort_unstable();
        (self.breaks, self.relatives, self.plan_headings, self.others) =
            (breaks, CueEnds(relatives), CueEnds(plans), CueEnds(others));
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        &self.lower[self.char_bytes[start]..self.char_bytes[end]]
    }

    /// The char offset of a byte offset of the text.
    fn char_at(&self, byte: usize) -> usize {
        self.char_bytes.partition_point(|&b| b < byte)
    }

    fn original(&self, start: usize, end: usize) -> &str {
        &self.text[self.char_bytes[start]..self.char_bytes[end]]
    }

    fn char_at_byte(&self, byte: usize) -> usize {
        self.char_bytes.partition_point(|&b| b < byte)
    }

    /// The sentence holding char `pos`. Sentences are sorted and touch each other, so a binary
    /// search finds it.
    fn sentence_of(&self, pos: usize) -> (usize, usize) {
        let i = self.sentences.partition_point(|&(_, end)| end <= pos);
        self.sentences
            .get(i)
            .copied()
            .filter(|&(s, e)| pos >= s && pos < e)
            .unwrap_or((0, self.char_bytes.len().saturating_sub(1)))
    }

    fn evidence(&self, start: usize, end: usize) -> Evidence {
        Evidence {
            source: FactSource::Note,
            path: None,
            span: Some(Span { start, end }),
            text: self.original(start, end).to_string(),
        }
    }

    /// The clause text before a mention (lower case), from the last clause boundary before it in
    /// its sentence.
    fn clause_before(&self, start: usize) -> &str {
        let (sentence_start, _) = self.sentence_of(start);
        let i = self.breaks.partition_point(|&(_, end)| end <= start);
        let clause_start = i.checked_sub(1).map_or(0, |last| self.breaks[last].1).max(sentence_start);
        self.slice(clause_start, start)
    }

    /// The clause text after a mention (lower case), up to the next clause boundary in its
    /// sentence and at most [`CLAUSE_REACH`] chars.
    fn clause_after(&self, end: usize) -> &str {
        let (_, sentence_end) = self.sentence_of(end.saturating_sub(1));
        let i = self.breaks.partition_point(|&(start, _)| start < end);
        let next_break = self.breaks.get(i).map_or(usize::MAX, |&(start, _)| start);
        let clause_end = next_break.min(sentence_end).min(end + CLAUSE_REACH).max(end);
        self.slice(end, clause_end.min(self.char_bytes.len() - 1))
    }

    /// The sentence text right after a mention (lower case), across clause breaks, at most
    /// `limit` chars: for results written after a colon ("HIV: negative").
    fn sentence_after(&self, end: usize, limit: usize) -> &str {
        let (_, sentence_end) = self.sentence_of(end.saturating_sub(1));
        let stop = sentence_end.min(end + limit).max(end).min(self.char_bytes.len() - 1);
        self.slice(end, stop)
    }

    /// Whether a relative is the subject of the sentence before char `start` ("her mother had").
    fn relative_is_subject(&self, start: usize) -> bool {
        let (sentence_start, _) = self.sentence_of(start);
        self.relatives.any_ending_in(sentence_start, start)
    }

    /// Whether another person (a spouse, a friend) is the subject of the sentence before char
    /// `start` ("her husband was diagnosed with").
    fn other_person_is_subject(&self, start: usize) -> bool {
        let (sentence_start, _) = self.sentence_of(start);
        self.others.any_ending_in(sentence_start, start)
    }

    /// Whether the sentence holding char `start` is a plan ("Plan: ...") before it.
    fn under_plan_heading(&self, start: usize) -> bool {
        let (sentence_start, _) = self.sentence_of(start);
        self.plan_headings.any_ending_in(sentence_start, start)
    }
}

/// Sentences as char ranges: a line ends one, and so does `.`, `!` or `?` before a space.
fn sentence_bounds(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        let next_is_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if c == '\n' || (matches!(c, '.' | '!' | '?') && next_is_space) {
            sentences.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < chars.len() {
        sentences.push((start, chars.len()));
    }
    sentences
}

/// A search for any of `words` in one pass (many literals at once).
fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> Regex {
    let words: Vec<String> = words.map(regex::escape).collect();
    Regex::new(&words.join("|")).expect("escaped literals form a valid regex")
}

fn any_of<'a>(cell: &'static OnceLock<Regex>, words: impl Iterator<Item = &'a str>) -> &'static Regex {
    cell.get_or_init(|| alternation(words))
}

/// A cue table with a one-pass search for any of its words. Most clauses hold none of them, and a
/// search per word for every mention was most of the note reader's time; the whole-word check
/// ([`has_cue_where`]) only runs where one is present.
struct Cues {
    words: &'static [&'static str],
    any: OnceLock<Regex>,
}

impl Cues {
    const fn new(words: &'static [&'static str]) -> Self {
        Cues { words, any: OnceLock::new() }
    }

    fn in_text(&self, text: &str) -> bool {
        self.in_text_where(text, |_, _| true)
    }

    fn in_text_where(&self, text: &str, accept: impl Fn(&str, &str) -> bool) -> bool {
        let any = self.any.get_or_init(|| alternation(self.words.iter().copied()));
        any.is_match(text) && has_cue_where(text, self.words, accept)
    }
}

static FAMILY: Cues = Cues::new(&FAMILY_CUES);
static NEGATION: Cues = Cues::new(&NEGATION_CUES);
static NEGATION_AFTER_MENTION: Cues = Cues::new(&NEGATION_AFTER);
static HYPOTHETICAL: Cues = Cues::new(&HYPOTHETICAL_CUES);
static HYPOTHETICAL_AFTER_MENTION: Cues = Cues::new(&HYPOTHETICAL_AFTER);
static HISTORICAL: Cues = Cues::new(&HISTORICAL_CUES);
static HISTORICAL_AFTER_MENTION: Cues = Cues::new(&HISTORICAL_AFTER);
static PLANNED: Cues = Cues::new(&PLANNED_CUES);
static OTHER_SPECIMEN: Cues = Cues::new(&OTHER_SPECIMEN_CUES);
static PARTICIPATION: Cues = Cues::new(&PARTICIPATION_WORDS);
static REFUSED: Cues = Cues::new(&CONSENT_REFUSED);
static GIVEN: Cues = Cues::new(&CONSENT_GIVEN);

fn clause_breaks() -> &'static Regex {
    static BREAKS: OnceLock<Regex> = OnceLock::new();
    any_of(&BREAKS, CLAUSE_BREAKS.iter().copied())
}

/// Clause breaks and the words that start the next item of a list.
fn item_breaks() -> &'static Regex {
    static BREAKS: OnceLock<Regex> = OnceLock::new();
    any_of(&BREAKS, CLAUSE_BREAKS.iter().chain(&COORDINATORS).copied())
}

/// Where the text after the last break starts (0 when there is none).
fn after_last_break(text: &str, breaks: &Regex) -> usize {
    breaks.find_iter(text).last().map_or(0, |m| m.end())
}

/// Where the first break starts (the text's end when there is none).
fn first_break(text: &str, breaks: &Regex) -> usize {
    breaks.find(text).map_or(text.len(), |m| m.start())
}

fn has_cue(text: &str, cues: &[&str]) -> bool {
    has_cue_where(text, cues, |_, _| true)
}

/// Whether one of `cues` stands in `text` as a whole word or phrase for which `accept(before,
/// after)` holds, given the text before and after it.
fn has_cue_where(text: &str, cues: &[&str], accept: impl Fn(&str, &str) -> bool) -> bool {
    cue_ends(text, cues, accept).next().is_some()
}

/// The byte offsets in `text` where each whole-word occurrence of one of `cues` for which
/// `accept(before, after)` holds ends, cue by cue.
fn cue_ends<'t>(
    text: &'t str,
    cues: &'t [&'t str],
    accept: impl Fn(&str, &str) -> bool + 't,
) -> impl Iterator<Item = usize> + 't {
    cues.iter()
        .flat_map(move |cue| text.match_indices(cue).map(move |(i, _)| (i, i + cue.len())))
        .filter(move |&(start, end)| {
            let (before, after) = (&text[..start], &text[end..]);
            let before_ok = before.chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after_ok = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
            before_ok && after_ok && accept(before, after)
        })
        .map(|(_, end)| end)
}

/// "My son is 9 and has asthma": a parent writing a trial finder's note about their child, who is
/// the patient. Where the note's "my" is the writer, a child of the writer is whom the search is
/// for, while a parent of the writer ("my mother had") is family history.
fn is_the_writers_child(text_to_cue: &str) -> bool {
    ["my son", "my daughter"].iter().any(|child| {
        text_to_cue.strip_suffix(child).is_some_and(|r| r.chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// Verbs of telling: a relative followed by one of them is telling the patient's story.
const REPORTING_VERBS: [&str; 16] = [
    "reports",
    "reported",
    "report",
    "says",
    "said",
    "states",
    "stated",
    "notes",
    "noted",
    "noticed",
    "describes",
    "described",
    "mentions",
    "mentioned",
    "brought",
    "brings",
];

/// Whether the words `after` a person make the person a subject: a verb ("was diagnosed", "has")
/// or a possessive ("her husband's cancer").
fn is_subject(after: &str) -> bool {
    let after = after.trim_start();
    let word = after.split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or_default();
    after.starts_with("'s") || SUBJECT_VERBS.contains(&word)
}

/// A relative named in a sentence makes the relative the one its later mentions are about ("her
/// mother had", "family history of"), unless they bring the patient or tell the story ("brought
/// in by his parents because of weakness", "his mother reports fever"): an informant, whose
/// report is the patient's own. [`Doc::relative_is_subject`] asks the index of these.
fn is_informant(before: &str, after: &str) -> bool {
    let mut previous = before.split_whitespace().rev();
    // "brought in by his parents", "according to his mother": the relative is the source.
    let source = |w: Option<&str>, rest: &mut std::iter::Rev<std::str::SplitWhitespace>| match w {
        Some("by") => true,
        Some("to") => rest.next() == Some("according"),
        _ => false,
    };
    let by = match previous.next() {
        Some(w @ ("by" | "to")) => source(Some(w), &mut previous),
        Some("his" | "her" | "their" | "the" | "a") => {
            let w = previous.next();
            source(w, &mut previous)
        }
        _ => false,
    };
    let next = after.split_whitespace().next().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    by || next.is_some_and(|w| REPORTING_VERBS.contains(&w))
}

/// The last `limit` bytes of `text`, on a char boundary.
fn head(text: &str, limit: usize) -> &str {
    let mut end = limit.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn tail(text: &str, limit: usize) -> &str {
    let mut start = text.len().saturating_sub(limit);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

fn assertion_of(doc: &Doc, start: usize, end: usize) -> Assertion {
    let before = tail(doc.clause_before(start), CUE_WINDOW);
    let after = doc.clause_after(end);
    let right_after = head(after, HYPOTHETICAL_AFTER_WINDOW);
    if doc.relative_is_subject(start) {
        Assertion::Family
    } else if doc.other_person_is_subject(start) {
        Assertion::Other
    } else if HYPOTHETICAL_AFTER_MENTION.in_text(right_after) && !NEGATION.in_text(before) {
        Assertion::Hypothetical
    } else if (NEGATION.in_text(after_last_new_clause(before)) && !denies_a_response(before))
        || attached_word_before(before, &["non"])
        || NEGATION_AFTER_MENTION.in_text(after)
        || tested_negative(doc.sentence_after(end, RESULT_REACH))
    {
        Assertion::Absent
    } else if HYPOTHETICAL.in_text(before) {
        Assertion::Hypothetical
    } else if HISTORICAL.in_text(before)
        || attached_word_before(before, &GIVEN_UP)
        || HISTORICAL_AFTER_MENTION.in_text(after)
        || stopped_after(doc.sentence_after(end, STOPPED_REACH))
    {
        Assertion::Historical
    } else {
        Assertion::Present
    }
}

/// How far after a mention [`stopped_after`] reads, in chars.
const STOPPED_REACH: usize = 80;

/// Whether the words right after a mention say it was stopped, with adverbs between the verb and
/// its auxiliary: "thalidomide, which were eventually also held", "aspirin was later
/// discontinued". Only the mention's own clause counts: in "aspirin and lisinopril, which was
/// later stopped" it is lisinopril that was stopped. A plural verb after a list stops all of it:
/// "thalidomide, velcade and dexamethasone, which were held". The plain phrases ("was held",
/// "discontinued") are in `HISTORICAL_AFTER`.
fn stopped_after(after: &str) -> bool {
    static STOPPED: OnceLock<Regex> = OnceLock::new();
    static LIST_STOPPED: OnceLock<Regex> = OnceLock::new();
    let stopped = regex(
        &STOPPED,
        r"(?i)^\s*,?\s*(?:which\s+|that\s+)?(?:was|were|has been|have been|had been)\s+(?:(?:\w+ly|also|then|subsequently|later|soon)\s+){0,3}(?:held|stopped|discontinued|withdrawn|ceased)\b",
    );
    let list_stopped = regex(
        &LIST_STOPPED,
        r"(?i)^(?:\s*,?\s+(?:and\s+|or\s+)?[a-z][\w-]*){1,4}\s*,?\s*(?:which\s+|that\s+)?(?:were|have been)\s+(?:(?:\w+ly|also|then|subsequently|later|soon|all|both)\s+){0,3}(?:held|stopped|discontinued|withdrawn|ceased)\b",
    );
    stopped.is_match(after) || list_stopped.is_match(after)
}

/// Verbs that, right after a comma, start a new clause with the same subject: "not pregnant, uses
/// an IUD", "no fever, has a cough". A negation before such a comma says nothing of what follows,
/// while one before a comma of a list still does ("denies fever, chills or night sweats").
const CLAUSE_VERBS: [&str; 24] = [
    "has",
    "have",
    "had",
    "is",
    "was",
    "are",
    "were",
    "uses",
    "used",
    "takes",
    "took",
    "taking",
    "started",
    "lives",
    "works",
    "reports",
    "received",
    "receives",
    "underwent",
    "continues",
    "remains",
    "smokes",
    "drinks",
    "complains",
];

/// The part of a clause after its last ", <verb>": where a negation before the mention can still
/// reach it from.
/// What a denied response is to: "did not respond to the usual corticosteroid inhaler", "cough not
/// relieved by albuterol", "failed to improve with antibiotics". The therapy was given; what the
/// negation denies is its effect.
const RESPONSE_TO: [&str; 12] = [
    "respond to",
    "responded to",
    "responding to",
    "response to",
    "relieved by",
    "improve with",
    "improved with",
    "improvement with",
    "controlled by",
    "controlled with",
    "benefit from",
    "tolerate",
];

/// Whether the negation before a mention denies a response to it, not the mention itself: a
/// response phrase after the last negation cue, with no further negation after it.
fn denies_a_response(before: &str) -> bool {
    RESPONSE_TO
        .iter()
        .filter_map(|phrase| before.rfind(phrase).map(|at| at + phrase.len()))
        .max()
        .is_some_and(|end| before[end..].split_whitespace().count() <= 3 && !NEGATION.in_text(&before[end..]))
}

fn after_last_new_clause(before: &str) -> &str {
    let starts_clause = |rest: &str| {
        let word = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
        CLAUSE_VERBS.contains(&word)
    };
    let cut = before.match_indices(", ").filter(|(i, _)| starts_clause(&before[i + 2..])).last();
    cut.map_or(before, |(i, _)| &before[i + 2..])
}

/// Words that say a habit was given up when they stand right before it: "former smoker",
/// "ex-smoker", "quit smoking", "gave up drinking". Further back they say nothing about the mention
/// ("she quit her job because of depression").
const GIVEN_UP: [&str; 4] = ["former", "ex", "quit", "gave up"];

/// Whether one of `words` stands right before the mention, as its prefix or the word before it:
/// "non-smoker", "non smoker", "ex-smoker", "former smoker". Such a word says something of that
/// mention only: in "non-small cell lung cancer, adenocarcinoma" the "non" is part of the first
/// name and says nothing about the second.
fn attached_word_before(before: &str, words: &[&str]) -> bool {
    let rest = before.trim_end_matches([' ', '-']);
    rest.len() < before.len()
        && words.iter().any(|word| {
            rest.strip_suffix(word).is_some_and(|r| r.chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
        })
}

/// Words that may stand between a disease and the result of its test: "HIV antibody negative",
/// "hepatitis B surface antigen negative", "HCV PCR: negative".
const TEST_WORDS: [&str; 20] = [
    "status",
    "test",
    "testing",
    "tested",
    "serology",
    "screen",
    "screening",
    "antibody",
    "antibodies",
    "ab",
    "antigen",
    "ag",
    "pcr",
    "rna",
    "dna",
    "result",
    "results",
    "surface",
    "core",
    "serologies",
];
/// How far after a disease its test result may stand (chars).
const RESULT_REACH: usize = 60;
/// How many of [`TEST_WORDS`] may stand between the disease and its result.
const MAX_TEST_WORDS: usize = 3;

/// Whether a disease is followed by a negative test result: "HIV negative", "HIV-negative",
/// "HCV antibody negative", "hepatitis B surface antigen: negative". A disease that is named by
/// its own test result was tested for and not found, which is how notes record the infections
/// trials exclude. The result must follow at once (a few test words at most): "HIV, negative
/// lymph nodes" is read by the clause break, and "her2" markers are read by their own reader.
fn tested_negative(after: &str) -> bool {
    let mut words = after
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | ':' | '(' | ')' | '/'))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()));
    for _ in 0..=MAX_TEST_WORDS {
        match words.next() {
            Some("negative" | "neg" | "seronegative" | "nonreactive" | "non-reactive") => return true,
            Some(word) if TEST_WORDS.contains(&word) => continue,
            _ => return false,
        }
    }
    false
}

/// Whether the words right after a mention narrow it to a circumstance ("pain with intercourse").
fn narrowed(doc: &Doc, end: usize) -> bool {
    let after = doc.clause_after(end);
    let first_word = after.split_whitespace().next().unwrap_or("");
    after.starts_with(char::is_whitespace) && NARROWING_AFTER.contains(&first_word)
}

/// The shorthand a note opens with: "55 yo F", "40F", "72-year-old M", "M 62", "Woman, 40". Only
/// the first sentence is read this way: elsewhere "98.6 F" is a temperature.
fn read_shorthand_demographics(doc: &Doc, out: &mut ParsedPatient) -> bool {
    static AGE_SEX: OnceLock<Regex> = OnceLock::new();
    static SEX_AGE: OnceLock<Regex> = OnceLock::new();
    let age_sex = regex(
        &AGE_SEX,
        r"(?:^|[\s(,])(?P<age>\d{1,3})\s*(?:-?\s*(?:yo|y/o|y\.o\.|yrs?|years?(?:[\s-]old)?)\s*)?(?P<sex>[FM])\b",
    );
    let sex_age = regex(
        &SEX_AGE,
        r"^\W*(?:(?P<sex>[FM])\s*[,/]?|(?i:(?P<word>female|male|woman|man|girl|boy))\s*,)\s*(?P<age>\d{1,3})\b",
    );
    let Some(&(start, end)) = doc.sentences.first() else { return false };
    let first = doc.original(start, end);
    // The shorthand opens the note ("Pt is a 40F ..."): a few words at most before it, none of
    // them a temperature's ("Fever 101 F" is no age).
    let opens = |caps: &regex::Captures| {
        let before = first.get(..caps.get(0).map_or(0, |m| m.start())).unwrap_or_default().to_ascii_lowercase();
        before.split_whitespace().count() <= OPENING_WORDS && !has_cue(&before, &TEMPERATURE_WORDS)
    };
    let caps = age_sex.captures(first).filter(opens).or_else(|| sex_age.captures(first));
    let Some(caps) = caps else { return false };
    let (age, sex, span) = (caps.name("age"), caps.name("sex").or(caps.name("word")), caps.get(0));
    let (Some(age), Some(sex), Some(span)) = (age, sex, span) else { return false };
    let Some(sex) = crate::profile::parse_sex(sex.as_str()) else { return false };
    let base = doc.char_bytes.get(start).copied().unwrap_or(0);
    let (span_start, span_end) = (doc.char_at_byte(base + span.start()), doc.char_at_byte(base + span.end()));
    let evidence = doc.evidence(span_start, span_end);
    match age.as_str().parse::<f64>().map_err(|e| e.to_string()).and_then(|y| stated_age(y, evidence.clone())) {
        Ok(age) => out.patient.age = Some(age),
        Err(reason) => out.rejected.push(Rejected::new(format!("note[{span_start}..{span_end}]"), reason)),
    }
    out.patient.sex = Some(Noted { value: sex, evidence });
    true
}

/// Words after "I am 6" that make the number something other than an age: "I am 6 weeks
/// pregnant", "I'm 90 kg".
const NOT_AN_AGE_AFTER: [&str; 16] = [
    "week", "weeks", "month", "months", "day", "days", "kg", "kgs", "lb", "lbs", "pounds", "stone", "cm", "feet", "ft",
    "percent",
];

/// Whether a first-person "I am N" is a measure rather than an age: the word after the number
/// is a unit, or the number is followed by a sign ("I'm 5'8", "I am 95%").
fn first_person_measure(lower: &str, caps: &regex::Captures) -> bool {
    let Some(number) = caps.get(5) else { return false };
    let rest = &lower[number.end()..];
    let next_word = rest.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("");
    NOT_AN_AGE_AFTER.contains(&next_word) || rest.starts_with(['%', '\'', '’'])
}

fn read_age_and_sex(doc: &Doc, out: &mut ParsedPatient) {
    if read_shorthand_demographics(doc, out) {
        return;
    }
    static AGE: OnceLock<Regex> = OnceLock::new();
    static SEX_NOUN: OnceLock<Regex> = OnceLock::new();
    static PRONOUN: OnceLock<Regex> = OnceLock::new();
    let age = regex(
        &AGE,
        r"\b(\d{1,3}(?:\.\d+)?)[\s-]*(years?|yrs?|months?|mos?|weeks?|wks?|days?)[\s-]*old\b|\b(\d{1,3})[\s-]*(?:yo|y/o|y\.o\.)|\baged?\s+(\d{1,3})\b|\bi(?:\s+am|'m|’m)\s+(\d{1,3})(?:\s+years?)?\b",
    );
    let mut age_end = 0;
    if let Some(caps) = age.captures_iter(&doc.lower).find(|caps| !first_person_measure(&doc.lower, caps)) {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        let (start, end) = (doc.char_at_byte(whole.start), doc.char_at_byte(whole.end));
        age_end = whole.end;
        let number = caps.get(1).or(caps.get(3)).or(caps.get(4)).or(caps.get(5)).map_or("", |m| m.as_str());
        let unit = caps.get(2).and_then(|u| TimeUnit::parse(u.as_str())).unwrap_or(TimeUnit::Years);
        let years = number.parse::<f64>().map(|n| n * unit.days() / TimeUnit::Years.days());
        match years.map_err(|e| e.to_string()).and_then(|y| stated_age(y, doc.evidence(start, end))) {
            Ok(age) => out.patient.age = Some(age),
            Err(reason) => out.rejected.push(Rejected::new(format!("note[{start}..{end}]"), reason)),
        }
    }
    let noun = regex(&SEX_NOUN, r"\b(woman|female|girl|lady|man|male|boy|gentleman)\b");
    let found = noun.find_at(&doc.lower, age_end).or_else(|| noun.find(&doc.lower));
    let sex = found.map(|m| {
        let sex = match m.as_str() {
            "woman" | "female" | "girl" | "lady" => PatientSex::Female,
            _ => PatientSex::Male,
        };
        (sex, m.range())
    });
    let sex = sex.or_else(|| {
        let pronoun = regex(&PRONOUN, r"\b(she|her|he|his|him)\b");
        let (mut female, mut male) = (None, None);
        for m in pronoun.find_iter(&doc.lower) {
            let slot = if matches!(m.as_str(), "she" | "her") { &mut female } else { &mut male };
            slot.get_or_insert(m.range());
        }
        match (female, male) {
            (Some(f), None) => Some((PatientSex::Female, f)),
            (None, Some(m)) => Some((PatientSex::Male, m)),
            _ => None,
        }
    });
    if let Some((value, range)) = sex {
        let evidence = doc.evidence(doc.char_at_byte(range.start), doc.char_at_byte(range.end));
        out.patient.sex = Some(Noted { value, evidence });
    }
}

fn concept_refs(mention: &Mention) -> Vec<ConceptRef> {
    let vocab = Vocabulary::embedded();
    mention
        .concept_ids
        .iter()
        .filter_map(|id| vocab.concept(id))
        .map(|c| ConceptRef { id: c.id.clone(), name: c.name.clone() })
        .collect()
}

const PREGNANCY: &str = "ELIGO:cond.pregnancy";
const PREGNANCY_TEST: &str = "ELIGO:lab.pregnancy_test";

fn read_mention(
    doc: &Doc,
    mention: &Mention,
    neighbours: (Option<&Mention>, Option<&Mention>),
    today: NaiveDate,
    out: &mut ParsedPatient,
) {
    let assertion = assertion_of(doc, mention.start, mention.end);
    if assertion == Assertion::Absent && narrowed(doc, mention.end) {
        // What is denied is the finding in that circumstance, which the vocabulary does not name;
        // recording the bare concept as absent would deny more than the note says.
        return;
    }
    if mention.concept_ids.iter().any(|id| id == PREGNANCY || id == PREGNANCY_TEST) {
        return read_pregnancy(doc, mention, assertion, out);
    }
    let kind = match mention.category {
        Category::Condition => FactKind::Condition,
        Category::Drug | Category::DrugClass if is_susceptibility_result(doc, mention) => return,
        Category::Drug | Category::DrugClass if is_allergen(doc, mention) => FactKind::Allergy,
        Category::Drug | Category::DrugClass => FactKind::Medication,
        Category::Procedure => FactKind::Procedure,
        Category::Measurement | Category::Score => return read_value(doc, mention, out),
        Category::Qualifier => return,
    };
    let dose = if kind == FactKind::Medication { drug_dose(doc, mention) } else { None };
    let before = tail(doc.clause_before(mention.start), CUE_WINDOW);
    let after = words_after(doc, mention, neighbours.1);
    let planned = matches!(kind, FactKind::Medication | FactKind::Procedure) && is_planned(doc, mention.start);
    let given = assertion == Assertion::Present
        && kind != FactKind::Condition
        && (course_is_over(doc, mention.start) || (timing::told_as_given(before, after) && is_course(kind, mention)));
    let assertion = if planned && assertion.is_patients() {
        Assertion::Planned
    } else if given {
        Assertion::Historical
    } else {
        assertion
    };
    let (start, end) = match timing::date_near(before, after, today) {
        None => (None, None),
        Some(Placed::Since(date)) => (Some(date), None),
        // A course given, a procedure done, an episode had ("had a stroke 5 years ago", "suffered
        // an MI in 2019") happened on the day it is placed at: read as still going on, every such
        // event would fall in every "within 3 months". A disease dated otherwise ("asthma
        // diagnosed a year ago") goes on from that day.
        Some(Placed::At(date)) if given || kind == FactKind::Procedure || told_as_episode(before, after) => {
            (Some(date), Some(date))
        }
        Some(Placed::At(date)) => (Some(date), None),
    };
    let qualifiers = match kind {
        FactKind::Condition => qualifiers_around(doc, mention, neighbours),
        FactKind::Medication => route_of(doc, mention).into_iter().collect(),
        _ => Vec::new(),
    };
    out.patient.facts.push(ClinicalFact {
        kind,
        text: mention.matched_text.clone(),
        concepts: concept_refs(mention),
        assertion,
        status: status_of(&qualifiers),
        qualifiers,
        start,
        end,
        dose,
        evidence: doc.evidence(mention.start, mention.end),
    });
}

/// Whether a treatment is one given as a course and then over, so that telling it as given makes
/// it past: a procedure, or a cancer drug or regimen. A chronic drug told the same way ("treated
/// with lisinopril") is still taken.
fn is_course(kind: FactKind, mention: &Mention) -> bool {
    const ANTINEOPLASTIC: &str = "MESH:D000970";
    let vocab = Vocabulary::embedded();
    kind == FactKind::Procedure || mention.concept_ids.iter().any(|id| vocab.is_a(id, ANTINEOPLASTIC))
}

/// Whether a condition is told as an episode the patient had, not a disease found then that goes
/// on: "had a stroke", "suffered an MI and a stroke", "sustained a hip fracture" — but not "had
/// asthma diagnosed a year ago" or "was diagnosed with breast cancer in 2019".
fn told_as_episode(before: &str, after: &str) -> bool {
    static EPISODE: OnceLock<Regex> = OnceLock::new();
    static DIAGNOSED: OnceLock<Regex> = OnceLock::new();
    let episode = regex(&EPISODE, r"\b(?:had|has\s+had|suffered|sustained|experienced)\s+(?:an?|one|two|three)\b");
    let diagnosed = regex(&DIAGNOSED, r"\b(?:diagnosed|diagnosis|confirmed|found\s+to\s+have|detected|onset)\b");
    episode.is_match(before) && !diagnosed.is_match(before) && !diagnosed.is_match(after)
}

/// The words after a mention that can say when it was: its clause, up to the next fact unless
/// only a list's joiner stands between them ("carboplatin and paclitaxel in 2015" dates both).
fn words_after<'d>(doc: &'d Doc, mention: &Mention, next: Option<&Mention>) -> &'d str {
    let after = doc.clause_after(mention.end);
    let Some(next) = next.filter(|n| n.start >= mention.end && n.start - mention.end < after.chars().count()) else {
        return after;
    };
    let gap = doc.slice(mention.end, next.start);
    let joiner = gap.trim_matches(|c: char| c.is_whitespace() || c == ',');
    if joiner.is_empty() || matches!(joiner, "and" | "or" | "/" | "and/or" | "plus" | "with") {
        after
    } else {
        gap
    }
}

/// Whether a drug is named in a culture's susceptibility result, not as a therapy: "Mycobacterium
/// tuberculosis sensitive to the first-line drugs (isoniazid, rifampicin)", "E. coli isolate
/// resistant to ciprofloxacin". The organism's words must be in the sentence: "resistant to
/// imatinib" of a leukaemia says the patient had imatinib.
fn is_susceptibility_result(doc: &Doc, mention: &Mention) -> bool {
    static SUSCEPTIBILITY: OnceLock<Regex> = OnceLock::new();
    static ORGANISM: OnceLock<Regex> = OnceLock::new();
    let susceptibility = regex(
        &SUSCEPTIBILITY,
        r"(?i)\b(?:sensitive|susceptible|sensitivity|susceptibility|resistant|resistance)\s+(?:to|of)\b",
    );
    let organism = regex(
        &ORGANISM,
        r"(?i)\b(?:culture|cultures|isolate|isolates|strain|strains|organism|organisms|bacteria|bacterium|bacilli|mycobacteri\w*|tuberculosis|staphylococc\w*|streptococc\w*|e\.\s?coli|klebsiella|pseudomonas|enterococc\w*|sputum)\b",
    );
    static NAMED_RESISTANCE: OnceLock<Regex> = OnceLock::new();
    let named_resistance = regex(&NAMED_RESISTANCE, r"(?i)^\s*-?\s*(?:resistant|sensitive|susceptible)\b");
    let (sentence_start, _) = doc.sentence_of(mention.start);
    let before = doc.slice(sentence_start, mention.start);
    // "methicillin-resistant Staphylococcus aureus", "vancomycin-resistant enterococci": the drug
    // names the organism's resistance.
    let after = doc.sentence_after(mention.end, ORGANISM_REACH);
    (susceptibility.is_match(before) && organism.is_match(before))
        || (named_resistance.is_match(after) && organism.is_match(after))
}

/// How far after a drug the organism of "<drug>-resistant <organism>" is looked for, in chars.
const ORGANISM_REACH: usize = 40;

/// Whether a drug is named as something the patient is allergic to ("allergic to penicillin").
fn is_allergen(doc: &Doc, mention: &Mention) -> bool {
    let (sentence_start, _) = doc.sentence_of(mention.start);
    allergies::names_allergen(doc.slice(sentence_start, mention.start), doc.sentence_after(mention.end, 16))
}

/// "NKDA", "no known drug allergies": an absent allergy naming nothing, which says the note's
/// allergy list is complete (see [`allergies`]).
fn read_allergy_denials(doc: &Doc, out: &mut ParsedPatient) {
    for (from, to) in allergies::allergy_denials(&doc.lower) {
        let (start, end) = (doc.char_at(from), doc.char_at(to));
        out.patient.facts.push(ClinicalFact {
            kind: FactKind::Allergy,
            text: doc.original(start, end).to_string(),
            concepts: Vec::new(),
            assertion: Assertion::Absent,
            status: None,
            qualifiers: Vec::new(),
            start: None,
            end: None,
            dose: None,
            evidence: doc.evidence(start, end),
        });
    }
}

/// Whether the clause before a therapy tells a course that is over: "completed four cycles of FCR",
/// "finished radiotherapy", "received six cycles of R-CHOP". A count of cycles after a past verb is
/// a finished course; a plain "received vancomycin" may still be running and is left as it reads.
fn course_is_over(doc: &Doc, start: usize) -> bool {
    static OVER: OnceLock<Regex> = OnceLock::new();
    static NOW: OnceLock<Regex> = OnceLock::new();
    let over = regex(
        &OVER,
        r"(?i)\b(?:completed|completion of|finished|(?:received|had|underwent|got|was given|were given)\s+(?:\w+\s+){0,2}(?:cycles?|courses?|rounds?)\s+of)\b",
    );
    // "completed radiotherapy and is now on temozolomide": the course after "now" is running.
    let now = regex(&NOW, r"(?i)\b(?:now|currently|is on|are on|started|continues)\b");
    let before = tail(doc.clause_before(start), CUE_WINDOW);
    over.find_iter(before).last().is_some_and(|m| !now.is_match(&before[m.end()..]))
}

/// Whether the clause before a therapy plans it, or its sentence is a plan ("Plan: ...").
fn is_planned(doc: &Doc, start: usize) -> bool {
    let before = tail(doc.clause_before(start), CUE_WINDOW);
    PLANNED.in_text(before) || doc.under_plan_heading(start)
}

/// The qualifiers in the words that narrow a condition: inside its name ("type 2 diabetes"), and
/// around it in its clause up to the neighbouring mentions ("moderate persistent asthma",
/// "breast cancer, stage IIIB", "COPD exacerbation", "hospitalized for pneumonia").
fn qualifiers_around(
    doc: &Doc,
    mention: &Mention,
    (previous, next): (Option<&Mention>, Option<&Mention>),
) -> Vec<eligo_model::Qualifier> {
    let (sentence_start, sentence_end) = doc.sentence_of(mention.start);
    let from = [sentence_start, mention.start.saturating_sub(QUALIFIER_WINDOW), previous.map_or(0, |p| p.end)]
        .into_iter()
        .max()
        .unwrap_or(mention.start)
        .min(mention.start);
    let to = [sentence_end, mention.end + QUALIFIER_WINDOW, next.map_or(usize::MAX, |n| n.start)]
        .into_iter()
        .min()
        .unwrap_or(mention.end)
        .max(mention.end);
    let before = doc.slice(from, mention.start);
    let cut = after_last_break(before, clause_breaks());
    let after = doc.slice(mention.end, to);
    let mut end = first_break(after, item_breaks());
    if next.is_some_and(|n| n.start == to) {
        // Words written right before the next condition are its own ("asthma, severe COPD").
        end = end.min(after.rfind([',', '(']).unwrap_or(0));
    }
    let words = format!("{} {} {}", &before[cut..], doc.slice(mention.start, mention.end), &after[..end]);
    read_qualifiers(&words)
}

/// Words after a drug that say how it is taken ("fluticasone inhaler", "hydrocortisone cream").
const ROUTE_AFTER: [(&str, &str); 14] = [
    ("inhaler", "inhaled"),
    ("inhalers", "inhaled"),
    ("inhalation", "inhaled"),
    ("nebulizer", "inhaled"),
    ("nebulizers", "inhaled"),
    ("cream", "topical"),
    ("ointment", "topical"),
    ("gel", "topical"),
    ("lotion", "topical"),
    ("patch", "transdermal"),
    ("tablets", "oral"),
    ("tablet", "oral"),
    ("po", "oral"),
    ("infusion", "intravenous"),
];
/// Words before a drug that say how it is taken, besides the route words of the qualifier table
/// ("inhaled", "oral", "intravenous").
const ROUTE_BEFORE: [(&str, &str); 4] =
    [("iv", "intravenous"), ("nebulized", "inhaled"), ("nasal", "intranasal"), ("po", "oral")];

/// The route a drug is taken by, from the word right before it ("inhaled corticosteroids", "IV
/// vancomycin") or right after it ("corticosteroid inhaler", "prednisone tablets"): so that a
/// criterion about *systemic* corticosteroids is not met by an inhaler.
fn route_of(doc: &Doc, mention: &Mention) -> Option<eligo_model::Qualifier> {
    let word = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let before = doc.clause_before(mention.start).split_whitespace().next_back().map(word);
    let after = doc.clause_after(mention.end).split_whitespace().next().map(word);
    let from_table =
        |w: &str| eligo_vocab::qualifier_word(w).filter(|row| row.kind == "route").map(|row| row.value.clone());
    let lookup = |w: &str, extra: &[(&str, &str)]| {
        extra.iter().find(|(k, _)| *k == w).map(|(_, v)| v.to_string()).or_else(|| from_table(w))
    };
    let route =
        before.and_then(|w| lookup(&w, &ROUTE_BEFORE)).or_else(|| after.and_then(|w| lookup(&w, &ROUTE_AFTER)))?;
    Some(eligo_model::Qualifier {
        kind: eligo_model::QualifierKind::Other,
        value: route,
        concept: None,
        polarity: None,
    })
}

/// The disease status an activity qualifier states ("poorly controlled" → uncontrolled).
fn status_of(qualifiers: &[eligo_model::Qualifier]) -> Option<eligo_model::ConditionStatus> {
    qualifiers.iter().find_map(|q| {
        (q.kind == eligo_model::QualifierKind::Activity).then(|| crate::build::parse_status(&q.value)).flatten()
    })
}

fn read_pregnancy(doc: &Doc, mention: &Mention, assertion: Assertion, out: &mut ParsedPatient) {
    let evidence = doc.evidence(mention.start, mention.end);
    let after = doc.clause_after(mention.end);
    let is_test = mention.concept_ids.iter().any(|id| id == PREGNANCY_TEST);
    let value = if is_test {
        match (after.contains("positive"), after.contains("negative")) {
            (true, false) => true,
            (false, true) => false,
            _ => return,
        }
    } else {
        match assertion {
            Assertion::Present => true,
            Assertion::Absent => false,
            _ => return,
        }
    };
    let lower = mention.matched_text.to_ascii_lowercase();
    let lactation = ["breastfeeding", "lactating", "lactation", "nursing"].contains(&lower.as_str());
    let slot = if lactation { &mut out.patient.lactating } else { &mut out.patient.pregnant };
    slot.get_or_insert(Noted { value, evidence });
}

/// "10 mg/day" right after a drug gives its dose.
fn drug_dose(doc: &Doc, mention: &Mention) -> Option<Quantity> {
    static DOSE: OnceLock<Regex> = OnceLock::new();
    let dose = regex(
        &DOSE,
        r"^[\s,(]*(\d+(?:\.\d+)?)\s*(mg|g|mcg|µg|ug|units?|iu|mg/kg)\b(?:\s*(?:/|per\s*)\s*(day|d|week|wk)\b|\s+(daily|a day|per day|weekly))?",
    );
    let caps = dose.captures(doc.clause_after(mention.end))?;
    let value: f64 = caps.get(1)?.as_str().parse().ok()?;
    let per = caps.get(3).or(caps.get(4)).map(|p| match p.as_str() {
        "week" | "wk" | "weekly" => "/week",
        _ => "/day",
    });
    Some(Quantity { value, unit: Some(format!("{}{}", caps.get(2)?.as_str(), per.unwrap_or(""))) })
}

/// A measurement mention followed by a number (and maybe a unit) is an observation.
fn read_value(doc: &Doc, mention: &Mention, out: &mut ParsedPatient) {
    static VALUE: OnceLock<Regex> = OnceLock::new();
    let value = regex(
        &VALUE,
        r"^\s*(?:\([^)]{0,15}\)\s*)?(?:(?:level|levels|count|concentration|value|of|was|were|is|at|measured|found|to|be|elevated|low|high|increased|decreased|reduced|:|=|-)\s*){0,5}(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*/\s*(\d+(?:\.\d+)?))?\s*([^\s,;]+(?:\s?/\s?[^\s,;]+)*)?",
    );
    let (_, sentence_end) = doc.sentence_of(mention.start);
    let window_end = (mention.end + VALUE_WINDOW).min(sentence_end);
    let after = doc.original(mention.end, window_end.max(mention.end));
    let Some(caps) = value.captures(after) else { return };
    // "17,580/mm3": a thousands separator, not the end of the number.
    let Some(first) = caps.get(1).and_then(|m| m.as_str().replace(',', "").parse::<f64>().ok()) else { return };
    let span_end = mention.end + after[..caps.get(0).map_or(0, |m| m.end())].chars().count();
    let evidence = doc.evidence(mention.start, span_end);
    // A marker is read as a result (see `markers`), never as a number.
    let Some(concept) = concept_refs(mention).into_iter().find(|c| !is_marker(&c.id)) else { return };
    let test_id = concept.id.clone();
    let unit =
        caps.get(3).and_then(|u| plausible_unit(u.as_str(), &test_id)).map(|u| per_microlitre_slip(&test_id, u, first));
    if of_another_specimen(doc, mention, caps.get(3).map_or("", |u| u.as_str())) {
        let reason =
            format!("{} of another specimen than blood is not the blood test (left out)", mention.matched_text);
        return out.rejected.push(Rejected::new(format!("note[{}..{span_end}]", mention.start), reason));
    }
    let concept = Some(concept);
    let readings: Vec<(&str, Option<&str>, f64)> = match (test_id.as_str(), caps.get(2)) {
        ("ELIGO:vital.bp", Some(second)) => vec![
            ("systolic blood pressure", Some("ELIGO:vital.sbp"), first),
            ("diastolic blood pressure", Some("ELIGO:vital.dbp"), second.as_str().parse().unwrap_or(f64::NAN)),
        ],
        _ => vec![(mention.matched_text.as_str(), concept.as_ref().map(|c| c.id.as_str()), first)],
    };
    for (name, code, reading) in readings {
        let quantity = Quantity { value: reading, unit: unit.clone() };
        match observation(name, code, quantity, None, evidence.clone()) {
            Ok(obs) => out.patient.observations.push(obs),
            Err(reason) => out.rejected.push(Rejected::new(format!("note[{}..{span_end}]", mention.start), reason)),
        }
    }
}

/// Whether a lab is measured in another specimen than blood: a specimen word shortly before it in
/// its sentence ("urinalysis: WBC"), or a per-field unit ("10/hpf"). A name that says its specimen
/// itself ("urine protein") is its own test and is not affected.
fn of_another_specimen(doc: &Doc, mention: &Mention, unit: &str) -> bool {
    let (sentence_start, _) = doc.sentence_of(mention.start);
    let before = doc.slice(sentence_start.max(mention.start.saturating_sub(SPECIMEN_WINDOW)), mention.start);
    let name = mention.matched_text.to_ascii_lowercase();
    let unit = unit.to_ascii_lowercase();
    !OTHER_SPECIMEN.in_text(&name)
        && (OTHER_SPECIMEN.in_text(before) || OTHER_SPECIMEN_UNITS.iter().any(|u| unit.contains(u)))
}

/// A blood count written "per mL" where the number is per microlitre: "Plt: 350000 /ml". Blood holds
/// hundreds of millions of platelets and millions of white cells per millilitre, so a count below ten
/// million per mL is no living person's; the same number per microlitre (= per mm³) is the usual
/// way counts are written. Other units, tests and magnitudes are kept as written.
fn per_microlitre_slip(test: &str, unit: String, value: f64) -> String {
    const FEWEST_PER_ML: f64 = 1e7;
    let counts_cells = canonical_unit(test) == Some("10^9/l");
    if counts_cells && normalize_unit(&unit) == "/ml" && value < FEWEST_PER_ML {
        "/mm3".to_string()
    } else {
        unit
    }
}

/// Keeps a unit token only when it can be one: convertible to the test's canonical unit, or shaped
/// like a unit (a slash, a percent sign, or a known bare unit).
fn plausible_unit(raw: &str, test: &str) -> Option<String> {
    let token = raw.trim_end_matches(['.', ')', ',']);
    if token.is_empty() {
        return None;
    }
    if let Some(canonical) = canonical_unit(test) {
        if convert(1.0, token, canonical, Some(test)).is_some() {
            return Some(token.to_string());
        }
    }
    let normalized = normalize_unit(token);
    let bare_units = ["mmhg", "bpm", "kg", "cm", "ms", "mg", "g", "%", "iu", "u"];
    (normalized.contains('/') || bare_units.contains(&normalized.as_str())).then(|| token.to_string())
}

/// One fact per (kind, first concept or text, assertion): a condition named three times is one fact,
/// the first mention its evidence.
/// The qualifiers of the later mentions join the first's.
fn dedupe(facts: &mut Vec<ClinicalFact>) {
    let mut kept: Vec<ClinicalFact> = Vec::with_capacity(facts.len());
    let mut index: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for fact in facts.drain(..) {
        let key = (
            fact.kind,
            fact.concepts.first().map_or_else(|| fact.text.to_lowercase(), |c| c.id.clone()),
            fact.assertion,
        );
        match index.get(&key).and_then(|&i| kept.get_mut(i)) {
            Some(first) => {
                for q in fact.qualifiers {
                    if !first.qualifiers.contains(&q) {
                        first.qualifiers.push(q);
                    }
                }
                first.status = first.status.or(fact.status);
            }
            None => {
                index.insert(key, kept.len());
                kept.push(fact);
            }
        }
    }
    *facts = kept;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn assertion_for(parsed: &ParsedPatient, text: &str) -> Option<Assertion> {
        parsed.patient.facts.iter().find(|f| f.text.eq_ignore_ascii_case(text)).map(|f| f.assertion)
    }

    #[test]
    fn a_drug_named_as_an_allergen_is_an_allergy_not_a_medication() {
        let parsed = read_note(
            "A 47-year-old man with gout. He is allergic to allopurinol and takes colchicine. No other \
             problems. NKDA otherwise.",
            today(),
        );
        let kind = |text: &str| fact_for(&parsed, text).map(|f| f.kind);
        assert_eq!(kind("allopurinol"), Some(FactKind::Allergy));
        assert_eq!(kind("colchicine"), Some(FactKind::Medication));
        let denial = parsed.patient.facts.iter().find(|f| f.kind == FactKind::Allergy && f.concepts.is_empty());
        assert_eq!(denial.map(|f| (f.assertion, f.text.as_str())), Some((Assertion::Absent, "NKDA")));
        let list = read_note("Allergies: aspirin, morphine. Medications: metoprolol.", today());
        assert_eq!(fact_for(&list, "morphine").map(|f| f.kind), Some(FactKind::Allergy));
        assert_eq!(fact_for(&list, "metoprolol").map(|f| f.kind), Some(FactKind::Medication));
    }

    fn fact_for<'a>(parsed: &'a ParsedPatient, text: &str) -> Option<&'a ClinicalFact> {
        parsed.patient.facts.iter().find(|f| f.text.eq_ignore_ascii_case(text))
    }

    #[test]
    fn a_drug_class_by_its_short_name_is_a_medication_and_an_organism_an_infection() {
        let note = "He takes a PPI for reflux and was started on an ARB last year. \
                    Stool PCR was positive for C. difficile. No history of CMV.";
        let parsed = read_note(note, today());
        for (text, concept) in [("PPI", "MESH:D054328"), ("ARB", "MESH:D057911")] {
            let fact = fact_for(&parsed, text).unwrap_or_else(|| panic!("{text}: {:?}", parsed.patient.facts));
            assert_eq!(fact.kind, FactKind::Medication, "{text}");
            assert_eq!(fact.concepts.first().map(|c| c.id.as_str()), Some(concept), "{text}");
        }
        let infection = fact_for(&parsed, "C. difficile").expect("the organism is read");
        assert_eq!(infection.kind, FactKind::Condition);
        assert_eq!(infection.assertion, Assertion::Present);
        assert_eq!(fact_for(&parsed, "CMV").map(|f| f.assertion), Some(Assertion::Absent));
    }

    #[test]
    fn a_person_writing_about_themselves_gives_their_age() {
        for (note, age) in [("I am 45 and have had migraines for 10 years.", 45.0), ("I'm 62 years old, male.", 62.0)] {
            let parsed = read_note(note, today());
            assert_eq!(parsed.patient.age.map(|a| a.years), Some(age), "{note}");
        }
        for note in ["I am 6 weeks pregnant.", "I'm 90 kg and 5'8\"."] {
            assert!(read_note(note, today()).patient.age.is_none(), "{note}");
        }
    }

    #[test]
    fn age_and_sex_are_read_with_spans() {
        let parsed = read_note("A 58-year-old woman presents with fatigue.", today());
        let age = parsed.patient.age.unwrap();
        assert_eq!(age.years, 58.0);
        assert_eq!(age.evidence.text, "58-year-old");
        let sex = parsed.patient.sex.unwrap();
        assert_eq!(sex.value, PatientSex::Female);
        assert_eq!(sex.evidence.span, Some(Span { start: 14, end: 19 }));
    }

    #[test]
    fn a_relative_who_brings_the_patient_or_tells_the_story_is_no_family_history() {
        let note = "An 8-year-old boy is brought to the clinic by his parents because of weakness. \
                    His mother reports fever. Her mother had breast cancer.";
        let parsed = read_note(note, today());
        assert_eq!(assertion_for(&parsed, "weakness"), Some(Assertion::Present));
        assert_eq!(assertion_for(&parsed, "fever"), Some(Assertion::Present));
        assert_eq!(assertion_for(&parsed, "breast cancer"), Some(Assertion::Family));
    }

    #[test]
    fn a_denied_response_to_a_therapy_is_no_denial_of_the_therapy() {
        let note = "According to his mother, he didn't respond to the usual corticosteroid inhaler. \
                    Her cough was not relieved by albuterol. She has no asthma.";
        let parsed = read_note(note, today());
        assert_eq!(assertion_for(&parsed, "corticosteroid"), Some(Assertion::Present));
        assert_eq!(assertion_for(&parsed, "albuterol"), Some(Assertion::Present));
        assert_eq!(assertion_for(&parsed, "asthma"), Some(Assertion::Absent));
    }

    #[test]
    fn a_spouse_or_friend_who_has_a_disease_is_neither_the_patient_nor_family() {
        let note = "Her husband was diagnosed with colon cancer a year ago. She lives with her wife and has COPD. \
                    A coworker's tuberculosis was treated last year.";
        let parsed = read_note(note, today());
        assert_eq!(assertion_for(&parsed, "colon cancer"), Some(Assertion::Other));
        assert_eq!(assertion_for(&parsed, "COPD"), Some(Assertion::Present));
        assert_eq!(assertion_for(&parsed, "tuberculosis"), Some(Assertion::Other));
    }

    #[test]
    fn months_old_and_pronouns() {
        let parsed = read_note("An 18-month-old is brought in. His mother reports fever.", today());
        assert!((parsed.patient.age.unwrap().years - 1.5).abs() < 0.01);
        assert_eq!(parsed.patient.sex.unwrap().value, PatientSex::Male);
    }

    #[test]
    fn negation_family_history_and_hypothetical_are_told_apart() {
        let note = "She has type 2 diabetes mellitus. No history of asthma. Her mother had breast cancer. \
                    Tuberculosis was ruled out. History of hepatitis C, treated. Differential includes appendicitis.";
        let parsed = read_note(note, today());
        assert_eq!(assertion_for(&parsed, "type 2 diabetes mellitus"), Some(Assertion::Present));
        assert_eq!(assertion_for(&parsed, "asthma"), Some(Assertion::Absent));
        assert_eq!(assertion_for(&parsed, "breast cancer"), Some(Assertion::Family));
        assert_eq!(assertion_for(&parsed, "tuberculosis"), Some(Assertion::Absent));
        assert_eq!(assertion_for(&parsed, "hepatitis C"), Some(Assertion::Historical));
        assert_eq!(assertion_for(&parsed, "appendicitis"), Some(Assertion::Hypothetical));
    }

    #[test]
    fn a_negated_finding_narrowed_to_a_circumstance_is_not_denied_outright() {
        let parsed = read_note("He has no cough on exertion. She denies fever.", today());
        assert_eq!(assertion_for(&parsed, "cough"), None);
        assert_eq!(assertion_for(&parsed, "fever"), Some(Assertion::Absent));
    }

    #[test]
    fn childhood_events_and_medication_history_are_historical() {
        let parsed = read_note(
            "He had recurrent pneumonia during childhood. His medication history includes metformin.",
            today(),
        );
        assert_eq!(assertion_for(&parsed, "pneumonia"), Some(Assertion::Historical));
        assert_eq!(assertion_for(&parsed, "metformin"), Some(Assertion::Historical));
    }

    #[test]
    fn negation_reaches_the_end_of_an_enumeration() {
        let note = "He has no history of other medical conditions including allergies, asthma or any kind of surgery.";
        let parsed = read_note(note, today());
        assert_eq!(assertion_for(&parsed, "surgery"), Some(Assertion::Absent));
    }

    #[test]
    fn a_disease_named_with_a_negative_test_result_is_absent() {
        for note in [
            "Woman, 44, HIV negative, with lupus.",
            "41-year-old man, HIV-negative, with lupus.",
            "Hepatitis C PCR negative. Lupus for 3 years.",
            "Tuberculosis screening: negative; lupus.",
        ] {
            let parsed = read_note(note, today());
            let infection =
                parsed.patient.facts.iter().find(|f| f.kind == FactKind::Condition && !f.text.contains("upus"));
            let infection = infection.unwrap_or_else(|| panic!("no infection read in {note:?}"));
            assert_eq!(infection.assertion, Assertion::Absent, "{note:?}");
            let lupus = parsed.patient.facts.iter().find(|f| f.text.to_lowercase().contains("lupus"));
            assert_eq!(lupus.map(|f| f.assertion), Some(Assertion::Present), "{note:?}");
        }
        // A positive result, and a negative result of something else, leave the disease present.
        for note in ["Man, 50, HIV positive.", "Man, 50, with HIV; negative lymph nodes."] {
            assert_eq!(first_condition(note), Some(Assertion::Present), "{note:?}");
        }
    }

    /// The assertion of the note's first condition.
    fn first_condition(note: &str) -> Option<Assertion> {
        let parsed = read_note(note, today());
        parsed.patient.facts.iter().find(|f| f.kind == FactKind::Condition).map(|f| f.assertion)
    }

    #[test]
    fn the_prefix_non_negates_only_its_own_word() {
        let parsed = read_note("Non-smoker. Woman with non-small cell lung cancer, adenocarcinoma.", today());
        assert_eq!(assertion_for(&parsed, "smoker"), Some(Assertion::Absent));
        assert_eq!(assertion_for(&parsed, "adenocarcinoma"), Some(Assertion::Present));
        assert_eq!(first_condition("He is a non smoker."), Some(Assertion::Absent));
    }

    #[test]
    fn a_habit_given_up_is_historical_and_only_the_habit() {
        for note in ["Former smoker, 20 pack-years.", "Ex-smoker.", "He quit smoking in 2015."] {
            assert_eq!(first_condition(note), Some(Assertion::Historical), "{note:?}");
        }
        // Further back, the word is said of something else.
        assert_eq!(first_condition("She quit her job because of depression."), Some(Assertion::Present));
    }

    #[test]
    fn a_parent_writing_about_their_child_describes_the_patient() {
        let parsed = read_note("My daughter is 7 and has had asthma since she was 2.", today());
        assert_eq!(assertion_for(&parsed, "asthma"), Some(Assertion::Present));
        let parsed = read_note("I am 40. My mother had asthma.", today());
        assert_eq!(assertion_for(&parsed, "asthma"), Some(Assertion::Family));
        let parsed = read_note("Her son has asthma.", today());
        assert_eq!(assertion_for(&parsed, "asthma"), Some(Assertion::Family));
    }

    #[test]
    fn negation_stops_at_a_clause_boundary() {
        let parsed = read_note("She denies fever but has rheumatoid arthritis.", today());
        assert_eq!(assertion_for(&parsed, "rheumatoid arthritis"), Some(Assertion::Present));
        // A comma and a verb start a new clause; a comma inside a list does not.
        let parsed = read_note("No fever, has rheumatoid arthritis.", today());
        assert_eq!(assertion_for(&parsed, "rheumatoid arthritis"), Some(Assertion::Present));
        let parsed = read_note("Denies fever, asthma or rheumatoid arthritis.", today());
        assert_eq!(assertion_for(&parsed, "rheumatoid arthritis"), Some(Assertion::Absent));
    }

    #[test]
    fn drug_timing_and_dose() {
        let parsed = read_note("Received rituximab 4 months ago. Currently on prednisone 10 mg/day.", today());
        let rituximab = parsed.patient.facts.iter().find(|f| f.text == "rituximab").unwrap();
        assert_eq!(rituximab.start, NaiveDate::from_ymd_opt(2026, 7, 23));
        let prednisone = parsed.patient.facts.iter().find(|f| f.text == "prednisone").unwrap();
        let dose = prednisone.dose.as_ref().unwrap();
        assert_eq!((dose.value, dose.unit.as_deref()), (10.0, Some("mg/day")));
    }

    #[test]
    fn lab_values_with_units() {
        let parsed =
            read_note("eGFR of 25 mL/min/1.73 m2. Blood pressure 130/75 mmHg. Hemoglobin was 9.2 g/dL.", today());
        let by_test =
            |id: &str| parsed.patient.observations.iter().find(|o| o.test.as_ref().is_some_and(|t| t.id == id));
        assert_eq!(by_test("ELIGO:lab.egfr").unwrap().value, 25.0);
        assert_eq!(by_test("ELIGO:vital.sbp").unwrap().value, 130.0);
        assert_eq!(by_test("ELIGO:vital.dbp").unwrap().value, 75.0);
        let hb = by_test("ELIGO:lab.hemoglobin").unwrap();
        assert_eq!((hb.value, hb.unit.as_deref()), (9.2, Some("g/dL")));
    }

    #[test]
    fn diseases_named_by_their_abbreviation() {
        let note = "On riluzole with the diagnosis of ALS. Also GERD and AKI last year.";
        let parsed = read_note(note, today());
        let ids: Vec<&str> =
            parsed.patient.facts.iter().flat_map(|f| f.concepts.iter().map(|c| c.id.as_str())).collect();
        for id in ["ICD10CM:G12.21", "ICD10CM:K21", "ICD10CM:N17"] {
            assert!(ids.contains(&id), "{id} not in {ids:?}");
        }
    }

    #[test]
    fn a_suspicion_written_after_the_finding_leaves_it_open() {
        let note = "Appendicitis is suspected. Pulmonary embolism cannot be excluded. Pneumonia was excluded.";
        let parsed = read_note(note, today());
        assert_eq!(assertion_for(&parsed, "Appendicitis"), Some(Assertion::Hypothetical));
        assert_eq!(assertion_for(&parsed, "Pulmonary embolism"), Some(Assertion::Hypothetical));
        assert_eq!(assertion_for(&parsed, "Pneumonia"), Some(Assertion::Absent));
    }

    #[test]
    fn a_thousands_separator_is_inside_the_number() {
        let parsed = read_note("Platelets 312,000/mm3, white cell count 8,450 /uL, ALT 1,200 U/L.", today());
        let values: Vec<f64> = parsed.patient.observations.iter().map(|o| o.value).collect();
        assert_eq!(values, [312_000.0, 8_450.0, 1_200.0], "{:?}", parsed.patient.observations);
    }

    #[test]
    fn pregnancy_is_a_flag() {
        assert_eq!(read_note("She is pregnant.", today()).patient.pregnant.map(|p| p.value), Some(true));
        assert_eq!(read_note("She is not pregnant.", today()).patient.pregnant.map(|p| p.value), Some(false));
        let parsed = read_note("Urine pregnancy test is negative.", today());
        assert_eq!(parsed.patient.pregnant.map(|p| p.value), Some(false));
    }

    #[test]
    fn an_empty_note_is_reported() {
        let parsed = read_note("  \n", today());
        assert_eq!(parsed.rejected.len(), 1);
        assert_eq!(parsed.patient, eligo_model::Patient::default());
    }

    proptest! {
        #[test]
        fn any_text_reads_without_panicking(text in "\\PC{0,200}") {
            let parsed = read_note(&text, today());
            let len = text.chars().count();
            for fact in &parsed.patient.facts {
                let span = fact.evidence.span.unwrap();
                prop_assert!(span.start < span.end && span.end <= len);
            }
        }
    }
}
