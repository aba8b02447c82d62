//! What a condition, therapy or procedure reading is *about*, beyond its concepts: the qualifiers that
//! narrow it, the concepts an exception sets aside, whether it means a disease besides the trial's
//! own, and the disease a therapy or procedure treats.
//!
//! * **Qualifiers** come from the one word table of `eligo-vocab` (`data/curated/qualifiers.tsv`,
//!   shared with the patient readers: severity, acuteness, course,
//!   stage, subtype, activity, events) plus two patterns the table cannot list: stage and grade
//!   numbers ("stage IIIB", "grade 3") and types ("type 1", "type II"). Each is, unless a
//!   vocabulary concept already names it ("acute myeloid leukaemia"), a qualifier of the clause's
//!   reading. The words left of a generic head in a noun phrase ("*liver* disease", "*elective*
//!   surgery") narrow it too, but the reading keeps them in its concept, not in its scope.
//! * **Qualifier entities** ([`qualifier_entities`], display and evaluation only): the table words
//!   and noun-phrase modifiers that qualify a mention rather than spell its name — before its head
//!   or after it, never inside a mention after its first word; site words before a head found at
//!   many sites ("*lung* cancer", "*neck* pain"); words coordinated with a qualifier ("minor or
//!   *laparoscopic* surgery"); the grades of a range one by one; a change of therapy or dose.
//! * **Exceptions**: after an exception cue ("other than", "except", "with the exception of",
//!   "besides", "in addition to") the concepts up to the end of the sentence are
//!   [`Scope::exceptions`], never readings of their own.
//! * **"Another" disease**: "other", "another", "second", "additional", "concurrent",
//!   "coexisting" before a condition, or "prior"/"previous" before a generic one ("prior
//!   malignancy"), set [`Scope::besides_target`].
//! * **Targets**: a condition after "for", "against", "to treat" (or "of" right after a therapy
//!   word, "on" after "effect") that follows a drug, procedure or therapy word is what that therapy
//!   treats: [`Scope::target`], not a condition the patient must have.
//! * A condition after "without" or "no" inside a clause that already named one ("stage IIIB
//!   without hydronephrosis") is not required either: it is set aside.

use std::sync::OnceLock;

use eligo_model::{ConceptRef, EntityType, QualifierKind, Scope};
use rustc_hash::FxHashMap;

use crate::computable::concept_or_text;
use crate::cues::CueKind;
use crate::parse::Analysis;
use crate::recognize::is_modifier;
use crate::text::{tokenize, Token, TokenKind, WordSet};

/// A qualifier found in the tokens: its kind, canonical value and token range.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QualifierCue {
    pub kind: QualifierKind,
    pub value: String,
    pub tokens: (usize, usize),
}

/// One row of the qualifier table: the phrase's tokens, its kind and canonical value.
type TableRow = (Vec<String>, QualifierKind, String);

/// The qualifier table, indexed by first token, longest phrase first.
fn table() -> &'static FxHashMap<String, Vec<TableRow>> {
    static TABLE: OnceLock<FxHashMap<String, Vec<TableRow>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_first: FxHashMap<String, Vec<TableRow>> = FxHashMap::default();
        for line in eligo_vocab::QUALIFIER_TABLE.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(phrase), Some(kind), Some(value)) = (cols.next(), cols.next(), cols.next()) else { continue };
            let Some(kind) = kind_named(kind) else { continue };
            let chars: Vec<char> = phrase.chars().collect();
            let words: Vec<String> = tokenize(&chars).into_iter().map(|t| t.lower.to_string()).collect();
            if let Some(first) = words.first() {
                by_first.entry(first.clone()).or_default().push((words, kind, value.to_string()));
            }
        }
        for rows in by_first.values_mut() {
            rows.sort_by_key(|(words, _, _)| std::cmp::Reverse(words.len()));
        }
        by_first
    })
}

fn kind_named(name: &str) -> Option<QualifierKind> {
    Some(match name {
        "severity" => QualifierKind::Severity,
        "acuteness" => QualifierKind::Acuteness,
        "course" => QualifierKind::Course,
        "stage" => QualifierKind::Stage,
        "subtype" => QualifierKind::Subtype,
        "activity" => QualifierKind::Activity,
        "event" => QualifierKind::Event,
        "biomarker" => QualifierKind::Biomarker,
        // A body site, a route, an effect on the study: the model has no kind of their own.
        "other" | "site" | "route" | "effect" => QualifierKind::Other,
        _ => return None,
    })
}

/// Finds every qualifier in the tokens, longest first at each token, left to right.
pub(crate) fn find_qualifiers(tokens: &[Token]) -> Vec<QualifierCue> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match qualifier_at(tokens, i) {
            Some(q) => {
                i = q.tokens.1;
                let more = further_stages(tokens, &q);
                out.push(q);
                if let Some(last) = more.last() {
                    i = last.tokens.1;
                }
                out.extend(more);
            }
            None => i += 1,
        }
    }
    out
}

fn qualifier_at(tokens: &[Token], at: usize) -> Option<QualifierCue> {
    if let Some(q) = numbered_qualifier(tokens, at) {
        return Some(q);
    }
    let rows = table().get(tokens.get(at)?.lower.as_str())?;
    let (end, (_, kind, value)) = rows.iter().find_map(|row| Some((phrase_end(tokens, at, &row.0)?, row)))?;
    // A qualifier word that names a measure ("IGA score", "Severity Index", "activity scale") is
    // the instrument's name, which a test reading takes; it does not narrow a disease.
    if tokens.get(end).is_some_and(|t| MEASURE_WORDS.contains(&t.lower)) {
        return None;
    }
    // "Allergic to penicillin", "allergic reactions to contrast": the allergy itself, which the
    // allergy reading takes; only before a disease ("allergic rhinitis") does it name a subtype.
    let next_in = |words: &WordSet| tokens.get(end).is_some_and(|t| words.contains(&t.lower));
    if *kind == QualifierKind::Subtype && value == "allergic" && next_in(&ALLERGY_OBJECTS) {
        return None;
    }
    // "Primary language", "primary caregiver", "primary endpoint": a role, place or aim, not the
    // primary form of a disease.
    if *kind == QualifierKind::Subtype && value == "primary" && next_in(&NOT_A_DISEASE_AFTER_PRIMARY) {
        return None;
    }
    Some(QualifierCue { kind: *kind, value: value.clone(), tokens: (at, end) })
}

/// Words after "allergic" that make it the allergy, not a subtype of a disease.
static ALLERGY_OBJECTS: WordSet = WordSet::new("to reaction reactions response responses");

/// Nouns "primary" qualifies when it is about a person's role, place or a study's aim.
static NOT_A_DISEASE_AFTER_PRIMARY: WordSet = WordSet::new(
    "language languages care caregiver caregivers carer school schools physician physicians doctor provider \
     providers residence home reason motivation user users endpoint endpoints outcome outcomes objective \
     study studies measure measures investigator insurance purpose responsibility role teacher",
);

/// Where the table phrase `words` ends when it starts at token `at`. A hyphen the text writes
/// between two of its words is read as the space the table has ("relapsing-remitting" for the
/// row "relapsing remitting").
fn phrase_end(tokens: &[Token], at: usize, words: &[String]) -> Option<usize> {
    let mut k = at;
    for (i, word) in words.iter().enumerate() {
        if i > 0 && word != "-" && tokens.get(k).is_some_and(|t| t.lower == "-") {
            k += 1;
        }
        if tokens.get(k)?.lower != word.as_str() {
            return None;
        }
        k += 1;
    }
    Some(k)
}

/// Words after a qualifier word that make it part of a measure's name.
static MEASURE_WORDS: WordSet = WordSet::new("score scores scale scales index assessment");

/// "stage IIIB", "stage 4", "grade 3", "NYHA class III", "type 1", "type II": a word and its
/// number (stages and classes in roman numerals, grades and types in arabic).
fn numbered_qualifier(tokens: &[Token], at: usize) -> Option<QualifierCue> {
    let (word, number) = (tokens.get(at)?, tokens.get(at + 1)?);
    let kind = match word.lower.as_str() {
        "stage" | "grade" => QualifierKind::Stage,
        "class" => QualifierKind::Severity,
        "type" => QualifierKind::Subtype,
        _ => return None,
    };
    let roman = roman_value(&number.lower);
    let arabic = number.number().filter(|v| v.fract() == 0.0 && (0.0..=5.0).contains(v)).map(|v| v as u8);
    let (value, letter) = match (roman, arabic) {
        (Some((n, letter)), _) => (n, letter),
        (None, Some(n)) => (n, stage_letter(tokens, at + 2)),
        (None, None) => return None,
    };
    let end = at + 2 + usize::from(letter.is_some() && arabic.is_some());
    let number = if matches!(word.lower.as_str(), "stage" | "class") {
        format!("{}{}", roman_numeral(value), letter.map(String::from).unwrap_or_default())
    } else {
        format!("{value}{}", letter.map(String::from).unwrap_or_default())
    };
    Some(QualifierCue { kind, value: format!("{} {number}", word.lower), tokens: (at, end) })
}

/// The stages or classes listed after a first one: "stage IIIB *or IV*", "class III*-IV*".
fn further_stages(tokens: &[Token], first: &QualifierCue) -> Vec<QualifierCue> {
    let Some(word) = first.value.split(' ').next().filter(|w| matches!(*w, "stage" | "class")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = first.tokens.1;
    while let (Some(link), Some(next)) = (tokens.get(at), tokens.get(at + 1)) {
        let joins = matches!(link.lower.as_str(), "or" | "and" | "to" | "-" | "/" | ",");
        let Some((n, letter)) = roman_value(&next.lower).filter(|_| joins) else { break };
        let value = format!("{word} {}{}", roman_numeral(n), letter.map(String::from).unwrap_or_default());
        out.push(QualifierCue { kind: QualifierKind::Stage, value, tokens: (at + 1, at + 2) });
        at += 2;
    }
    out
}

/// "iiib" → (3, 'b'), "iv" → (4, none); none for anything else.
fn roman_value(word: &str) -> Option<(u8, Option<char>)> {
    const NUMERALS: [(&str, u8); 4] = [("iv", 4), ("iii", 3), ("ii", 2), ("i", 1)];
    NUMERALS.iter().find_map(|&(numeral, n)| {
        let rest = word.strip_prefix(numeral)?;
        let mut letters = rest.chars();
        match (letters.next(), letters.next()) {
            (None, _) => Some((n, None)),
            (Some(c @ 'a'..='c'), None) => Some((n, Some(c))),
            _ => None,
        }
    })
}

fn roman_numeral(n: u8) -> &'static str {
    ["0", "i", "ii", "iii", "iv", "v"].get(usize::from(n)).copied().unwrap_or("")
}

/// The letter written as its own token after a stage number ("3 b" from "3b").
fn stage_letter(tokens: &[Token], at: usize) -> Option<char> {
    let t = tokens.get(at)?;
    let adjacent = at > 0 && tokens.get(at - 1).is_some_and(|p| p.end == t.start);
    let mut chars = t.lower.chars();
    match (chars.next(), chars.next()) {
        (Some(c @ 'a'..='c'), None) if adjacent && t.kind == TokenKind::Word => Some(c),
        _ => None,
    }
}

/// The qualifier entities of an analysed span, as token ranges with their kind: table qualifiers
/// and the modifiers of noun phrases ([`phrase_modifiers`]) that qualify a mention rather than
/// spell a name. A word that is also a time cue ("active", "current") is marked once, as time.
pub(crate) fn qualifier_entities(a: &Analysis) -> Vec<((usize, usize), QualifierKind)> {
    let modifiers = phrase_modifiers(a);
    // A site or route a named disease spells ("heart" of heart failure) is part of its name, unless
    // another site shares the head ("pulmonary or *hepatic* disease", "intestinal or severe
    // *metabolic* disease").
    let coordinated = |at: usize| {
        let at = qualifiers_before(a, at);
        at >= 2
            && a.tokens.get(at - 1).is_some_and(|t| matches!(t.lower.as_str(), "or" | "and" | "," | "/"))
            && (modifiers.iter().any(|r| r.1 == at - 1) || a.qualifiers.iter().any(|q| q.tokens.1 == at - 1))
    };
    let part_of_name = |q: &QualifierCue| {
        inside_an_elliptical_name(a, q.tokens)
            || (q.kind == QualifierKind::Other
                && (named_by_mention(a, q.tokens) || inside_a_term(a, q.tokens))
                && !coordinated(q.tokens.0)
                && !site_of_a_located_head(a, q.tokens))
            || (q.kind != QualifierKind::Event && inside_a_name(a, q.tokens))
    };
    let time_cue = |q: &QualifierCue| a.cues.iter().any(|c| matches!(c.kind, CueKind::Time(_)) && c.tokens == q.tokens);
    let table = a
        .qualifiers
        .iter()
        .filter(|q| !time_cue(q) && !part_of_name(q))
        .flat_map(|q| range_ends(a, q.tokens).into_iter().map(|r| (r, q.kind)));
    let phrase = modifiers
        .iter()
        .filter(|r| !inside_a_name(a, **r) && !inside_an_elliptical_name(a, **r))
        .map(|r| (*r, QualifierKind::Other));
    let sites = a
        .mentions
        .iter()
        .filter(|(m, _)| m.kind == EntityType::Condition)
        .filter_map(|&(_, (first, end))| site_after_a_located_head(a, first, end))
        .map(|r| (r, QualifierKind::Other));
    table.chain(phrase).chain(sites).chain(changes(a)).collect()
}

/// Heads that name a lesion or a symptom found at many sites ("cancer", "pain", "injury"): the
/// site before them says where, even when the vocabulary lists the phrase ("lung cancer", "neck
/// pain"), unlike a disorder named after its organ ("heart failure", "cardiac arrest").
static LOCATED_HEADS: WordSet = WordSet::new(
    "cancer cancers carcinoma carcinomas tumor tumors tumour tumours neoplasm neoplasms lesion lesions pain \
     injury injuries trauma fracture fractures wound wounds",
);

/// Whether tokens `(s, e)` open a mention that ends in a located head.
fn site_of_a_located_head(a: &Analysis, (s, e): (usize, usize)) -> bool {
    a.mentions
        .iter()
        .any(|(_, r)| r.0 == s && e < r.1 && a.tokens.get(r.1 - 1).is_some_and(|t| LOCATED_HEADS.contains(&t.lower)))
}

/// A range of grades ("moderate to severe", "mild to moderate") is one qualifier value of the
/// reading, but it names two grades: each is marked on its own. Anything else is one mark.
fn range_ends(a: &Analysis, (s, e): (usize, usize)) -> Vec<(usize, usize)> {
    match (s + 1..e.saturating_sub(1)).find(|&k| a.tokens.get(k).is_some_and(|t| t.lower == "to")) {
        Some(to) => vec![(s, to), (to + 1, e)],
        None => vec![(s, e)],
    }
}

/// Words that say a therapy, dose or disease changed or may not change ("no changes in
/// medication within 4 weeks", "dose change"): the stability the criterion asks about, marked as
/// a course qualifier. They are never a qualifier of the reading's scope, where a course word of
/// the same kind would be read as an alternative to "stable".
static CHANGE_WORDS: WordSet = WordSet::new("change changes changed");

fn changes(a: &Analysis) -> Vec<((usize, usize), QualifierKind)> {
    (0..a.tokens.len())
        .filter(|&k| a.tokens.get(k).is_some_and(|t| CHANGE_WORDS.contains(&t.lower)) && !inside_a_name(a, (k, k + 1)))
        .map(|k| ((k, k + 1), QualifierKind::Course))
        .collect()
}

/// Whether tokens `(s, e)` lie inside a clinical mention after its first word, or inside a
/// pregnancy or lactation cue: "metastases" in "brain metastases", "heart" in "congenital heart
/// defect", "breast" in "breast feeding". A word there is the head or a word of the entity's own
/// name; what qualifies a mention stands before its head, at the mention's start ("*chronic*
/// kidney disease"), or outside it ("*severe* asthma", "surgery *of the knee*").
fn inside_a_name(a: &Analysis, (s, e): (usize, usize)) -> bool {
    a.mentions.iter().any(|(_, r)| r.0 < s && e <= r.1)
        || a.cues.iter().any(|c| matches!(c.kind, CueKind::Pregnancy(_)) && c.tokens.0 <= s && e <= c.tokens.1)
}

/// Head nouns that name only a category ("disease", "surgery"): the words before them say which.
static CATEGORY_HEADS: WordSet = WordSet::new(
    "disease diseases disorder disorders condition conditions illness illnesses problem problems abnormality \
     abnormalities complication complications comorbidity comorbidities pathology surgery surgeries \
     procedure procedures operation operations dysfunction impairment involvement injury injuries pain",
);

/// The modifier words of noun phrases headed by a generic word ("*liver* disease", "*elective*
/// surgery", "*head and neck* cancer"): token ranges left of the head inside each condition or
/// procedure mention, not already a table qualifier.
fn phrase_modifiers(a: &Analysis) -> Vec<(usize, usize)> {
    a.mentions
        .iter()
        // An elliptical name's words are all modifiers of the next name's head, which reads them.
        .filter(|(m, _)| matches!(m.kind, EntityType::Condition | EntityType::Procedure | EntityType::Drug))
        .filter(|(m, _)| !m.elliptical)
        .flat_map(|&(ref m, (first, end))| {
            let head = end.saturating_sub(1);
            let coordination = coordinated_modifiers(a, first);
            // A named disease ("bipolar disorder", "coronary artery disease") is one name, not a
            // category narrowed by its first words, unless other words share its head: "kidney or
            // *hepatic* disease" names two diseases by their sites.
            let headed = m.kind != EntityType::Drug
                && (m.concept.is_none() || coordination.found)
                && head > first
                && a.tokens.get(head).is_some_and(|t| CATEGORY_HEADS.contains(&t.lower));
            // Runs of words left of the head, between table qualifiers ("second *primary* ...").
            let mut runs: Vec<(usize, usize)> = Vec::new();
            for k in (first..head).filter(|_| headed) {
                let word = a.tokens.get(k).is_some_and(|t| t.kind == TokenKind::Word);
                match runs.last_mut() {
                    _ if in_qualifier(a, k) => {}
                    Some(run) if run.1 == k => run.1 = k + 1,
                    _ if word => runs.push((k, k + 1)),
                    _ => {}
                }
            }
            // A lone modifier is part of the phrase's name ("psychiatric disease"); only one shared
            // with coordinated heads narrows it ("neurologic or *psychiatric* disorder").
            if !coordination.found {
                runs.clear();
            }
            // A located head's own site words say where ("*ovarian* cancer"), coordinated or not.
            if runs.is_empty() {
                runs = located_modifiers(a, first, head);
            }
            runs.extend(coordination.modifiers);
            runs
        })
        .collect()
}

/// The modifier words right before a located head inside its mention ("*ovarian* cancer",
/// "*traumatic* *brain* injury"), skipping table qualifiers, which are marked already, and
/// stopping at anything that is not a modifier word ("anti-cancer", "self-injury").
fn located_modifiers(a: &Analysis, first: usize, head: usize) -> Vec<(usize, usize)> {
    if head <= first || !a.tokens.get(head).is_some_and(|t| LOCATED_HEADS.contains(&t.lower)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for k in (first..head).rev() {
        let Some(token) = a.tokens.get(k) else { break };
        if in_qualifier(a, k) {
            continue;
        }
        if token.kind != TokenKind::Word || !is_modifier(token) {
            break;
        }
        out.push((k, k + 1));
    }
    out
}

/// The site words after a located head inside its mention ("adenocarcinoma of the *prostate*",
/// "carcinoma of the *left breast*"): the vocabulary reads the histology and its site as one
/// mention, and the site says where, as it does before the head.
fn site_after_a_located_head(a: &Analysis, first: usize, end: usize) -> Option<(usize, usize)> {
    let word = |k: usize| a.tokens.get(k).map(|t| t.lower.as_str());
    let head = (first..end).find(|&k| {
        word(k).is_some_and(|w| LOCATED_HEADS.contains(w) || w.ends_with("carcinoma"))
            && matches!(word(k + 1), Some("of" | "in"))
    })?;
    let start = if word(head + 2) == Some("the") { head + 3 } else { head + 2 };
    (start < end).then_some((start, end))
}

/// Words coordinated with the phrase starting at token `first`, sharing its head.
struct Coordination {
    /// The coordinated modifiers that no table qualifier covers: "*liver* or kidney disease",
    /// "cardiac, *respiratory*, *renal* or hepatic illness".
    modifiers: Vec<(usize, usize)>,
    /// Whether anything is coordinated with the phrase's first words, a table qualifier included:
    /// in "minor or laparoscopic surgery" and "intestinal or severe metabolic disease" the words
    /// before the head are modifiers shared with others, not a disease's own name.
    found: bool,
}

fn coordinated_modifiers(a: &Analysis, first: usize) -> Coordination {
    let mut out = Coordination { modifiers: Vec::new(), found: false };
    // Table qualifiers right before the phrase belong to it ("... or *severe* metabolic disease").
    let mut at = qualifiers_before(a, first);
    loop {
        // Skip the connective(s) before `at`: ",", "or", "and", "/", ", or".
        let mut k = at;
        while k > 0 && a.tokens.get(k - 1).is_some_and(|t| matches!(t.lower.as_str(), "," | "or" | "and" | "/")) {
            k -= 1;
        }
        let Some(word_at) = k.checked_sub(1).filter(|_| k < at) else { break };
        if let Some(q) = a.qualifiers.iter().find(|q| q.tokens.0 <= word_at && word_at < q.tokens.1) {
            out.found = true;
            at = qualifiers_before(a, q.tokens.0);
            continue;
        }
        let Some(from) = modifier_start(a, word_at) else { break };
        out.modifiers.push((from, word_at + 1));
        out.found = true;
        at = from;
    }
    out
}

/// Where the modifier ending at token `at` starts: a word no mention covers, or a prefix written
/// with its hyphen ("*intra-* or postoperative bleeding"); none when `at` ends no modifier.
fn modifier_start(a: &Analysis, at: usize) -> Option<usize> {
    let token = a.tokens.get(at)?;
    let mentioned = |k: usize| a.mentions.iter().any(|(_, r)| r.0 <= k && k < r.1);
    if token.kind == TokenKind::Word {
        return (!mentioned(at) && is_modifier(token)).then_some(at);
    }
    let prefix = at
        .checked_sub(1)
        .filter(|&p| a.tokens.get(p).is_some_and(|w| w.kind == TokenKind::Word && w.end == token.start))?;
    (token.lower == "-" && !mentioned(prefix)).then_some(prefix)
}

/// The first token of the run of table qualifiers that ends right before token `at` (`at` itself
/// when none does).
fn qualifiers_before(a: &Analysis, mut at: usize) -> usize {
    while let Some(q) = at.checked_sub(1).and_then(|k| a.qualifiers.iter().find(|q| q.tokens.1 == k + 1)) {
        at = q.tokens.0;
    }
    at
}

/// What one clause's reading is about, and which of its mentions are not requirements.
#[derive(Debug, Default)]
pub(crate) struct ClauseScope {
    pub scope: Scope,
    /// Indices (into `Analysis::mentions`) of mentions that are exceptions, targets or set aside.
    pub set_aside: Vec<usize>,
    /// The therapy a target belongs to when no drug or procedure names it ("receiving *interferon*
    /// for hepatitis C" with an unknown drug name), as a text reference.
    pub therapy: Option<ConceptRef>,
    /// The whole clause continues an exception opened in an earlier clause of the same sentence:
    /// its concepts belong to the previous reading's exceptions.
    pub continues_exception: bool,
    /// Sites and routes of `scope.qualifiers` that name where or how a test, procedure or drug of
    /// the clause is done ("*oral* glucose tolerance test", "*liver* biopsy"): a reading of the
    /// clause's condition drops them; a reading of the therapy or procedure keeps them.
    pub owned_by_a_test: Vec<eligo_model::Qualifier>,
}

/// Words that make a condition one besides the trial's own ("other malignancy", "second primary").
static BESIDES_WORDS: WordSet =
    WordSet::new("other another second additional concurrent coexisting coexistent concomitant secondary");

/// Generic condition words that "prior"/"previous" turn into another disease ("prior malignancy").
static GENERIC_DISEASES: WordSet = WordSet::new(
    "malignancy malignancies cancer cancers neoplasm neoplasms tumor tumors tumour tumours disease diseases \
     carcinoma carcinomas",
);

/// The first word after a causal cue ("orthostatic hypotension *due to* Parkinson's disease or
/// multiple system atrophy", "neuropathy *secondary to* prior chemotherapy") when a condition is
/// named before the cue, else the clause's end. What follows the cue is the cause of that
/// condition, not an alternative to it: a patient with Parkinson's disease and no hypotension does
/// not meet the clause, nor does a diabetic meet "parkinsonism due to drugs or metabolic
/// disorders". The causes are set aside and the reading is the condition they cause. So is what
/// follows "regardless of" and "irrespective of": the criterion says it does not matter.
fn cause_cue(a: &Analysis, in_clause: &[usize], (cs, ce): (usize, usize)) -> usize {
    let word = |k: usize| a.tokens.get(k).map_or("", |t| t.lower.as_str());
    let inside_a_mention = |k: usize| a.mentions.iter().any(|(_, r)| r.0 <= k && k < r.1);
    let condition_before = |k: usize| {
        in_clause.iter().filter_map(|&i| a.mentions.get(i)).any(|(m, r)| m.kind == EntityType::Condition && r.1 <= k)
    };
    (cs..ce.saturating_sub(1))
        .find(|&k| {
            let cue = match word(k) {
                "due" | "secondary" | "attributable" | "attributed" | "owing" => word(k + 1) == "to",
                "caused" | "induced" => word(k + 1) == "by",
                "resulting" => word(k + 1) == "from",
                // "Asthma, irrespective of smoking history": what follows does not matter.
                "regardless" | "irrespective" | "independent" | "independently" => word(k + 1) == "of",
                _ => false,
            };
            cue && !inside_a_mention(k) && condition_before(k)
        })
        .map_or(ce, |k| k + 2)
}

/// Words a target may stand behind after its preposition ("for *an* exacerbation", "for *their*").
static FILLERS: WordSet = WordSet::new("a an the their his her its any all other another this that these those");

/// Words that give a therapy a target ("treatment for", "receiving interferon for", "therapy of").
static TARGET_TRIGGERS: WordSet = WordSet::new(
    "treated treatment treatments therapy therapies regimen regimens agent agents drugs medication \
     medications received receiving receive receipt taking take use used using administered prescribed",
);

/// Reads the scope of the clause `(cs, ce)`.
pub(crate) fn clause_scope(a: &Analysis, (cs, ce): (usize, usize)) -> ClauseScope {
    let inside = |r: (usize, usize)| r.0 >= cs && r.1 <= ce;
    let in_clause: Vec<usize> =
        (0..a.mentions.len()).filter(|&i| a.mentions.get(i).is_some_and(|m| inside(m.1))).collect();
    let continues_exception = exception_open_before(a, cs);
    // Where the exception starts (its cue, or the clause when it goes on from the clause before)
    // and where the excepted words start (after the cue).
    let (exception_at, excepted_from) = if continues_exception {
        (cs, cs)
    } else {
        a.cues
            .iter()
            .find(|c| inside(c.tokens) && c.kind == (CueKind::Negation { exception: true }))
            .map_or((ce, ce), |c| c.tokens)
    };
    let exception_end = exception_end(a, exception_at).min(ce);
    let mut out = ClauseScope { continues_exception, ..ClauseScope::default() };
    let first_mention = in_clause.iter().filter_map(|&i| a.mentions.get(i)).map(|(_, r)| r.0).min().unwrap_or(ce);
    // A "non-" inside a name ("non-small cell lung cancer", "non-insulin dependent diabetes") is
    // part of it, never a "without" that sets aside the conditions after it; one before a name
    // ("non-cancer related") still denies it.
    let inside_a_mention = |at: usize| a.mentions.iter().any(|(_, r)| r.0 <= at && at < r.1);
    let without_at = a
        .cues
        .iter()
        .filter(|c| !inside_a_mention(c.tokens.0))
        .find(|c| inside(c.tokens) && c.tokens.0 > first_mention && c.kind == (CueKind::Negation { exception: false }))
        .map_or(ce, |c| c.tokens.0);
    // Therapies the patient is to be naïve to, beside other requirements (see `naive`).
    let naive = crate::naive::naive(a).set_aside;
    let causes_from = cause_cue(a, &in_clause, (cs, ce));
    for &i in &in_clause {
        let Some((m, r)) = a.mentions.get(i) else { continue };
        if naive.contains(&i) || r.0 >= causes_from {
            out.set_aside.push(i);
        } else if r.0 >= exception_at && r.0 < exception_end {
            out.set_aside.push(i);
            out.scope.exceptions.push(concept_or_text(m, a));
        } else if r.0 >= without_at {
            out.set_aside.push(i);
        } else if m.kind == EntityType::Condition && (is_target(a, cs, r.0) || names_the_next_therapy(a, *r)) {
            out.set_aside.push(i);
            out.scope.target.push(concept_or_text(m, a));
        }
    }
    if exception_at < exception_end && out.scope.exceptions.is_empty() {
        out.scope.exceptions.extend(site_exception(a, &in_clause, (exception_at, excepted_from), exception_end));
    }
    if let Some(first_target) = in_clause.iter().filter(|i| out.set_aside.contains(i)).find_map(|&i| {
        a.mentions.get(i).filter(|(m, r)| {
            m.kind == EntityType::Condition && r.0 < exception_at && out.scope.target.contains(&concept_or_text(m, a))
        })
    }) {
        // The therapy is named before its target ("interferon for hepatitis C") or right after it
        // ("measles vaccination").
        let named = in_clause.iter().filter_map(|&i| a.mentions.get(i)).any(|(m, r)| {
            (r.1 <= first_target.1 .0 || r.0 == first_target.1 .1)
                && matches!(m.kind, EntityType::Drug | EntityType::Procedure)
                && !is_event(a, *r)
        });
        if !named {
            out.therapy = therapy_text(a, cs, first_target.1 .0);
        }
    }
    out.scope.besides_target = in_clause
        .iter()
        .filter(|i| !out.set_aside.contains(i))
        .filter_map(|&i| a.mentions.get(i))
        .any(|(m, r)| m.kind == EntityType::Condition && is_besides(a, cs, *r));
    out.scope.qualifiers = a
        .qualifiers
        .iter()
        .filter(|q| inside(q.tokens) && q.tokens.0 < exception_at.min(without_at) && !named_by_mention(a, q.tokens))
        // "*Pulmonary* or hepatic disease": the site is the first name's, never the second's.
        .filter(|q| !inside_an_elliptical_name(a, q.tokens))
        // A site the term spells is the concept's own ("*psychiatric* disorders" for mental
        // disorders), never a further place the patient's disease must be found.
        .filter(|q| q.kind != QualifierKind::Other || !inside_a_term(a, q.tokens))
        // "non-breast malignancies", "non-metastatic cancer": any site or form but that one. A
        // "non-" that starts a disease's name ("non-malignant disease") negates the criterion
        // instead (`computable::non_joined_to_a_modifier`), and the word stays as written.
        .map(|q| match after_non(a, q.tokens.0) && (q.kind == QualifierKind::Other || !inside_a_mention(q.tokens.0)) {
            true => eligo_model::Qualifier {
                kind: QualifierKind::Other,
                value: format!("non-{}", q.value),
                concept: None,
                polarity: None,
            },
            false => eligo_model::Qualifier { kind: q.kind, value: q.value.clone(), concept: None, polarity: None },
        })
        .chain(non_modifiers(a, cs, first_mention.min(ce)))
        .fold(Vec::new(), |mut acc, q| {
            if !acc.contains(&q) {
                acc.push(q);
            }
            acc
        });
    out.owned_by_a_test = a
        .qualifiers
        .iter()
        .filter(|q| inside(q.tokens) && q.kind == QualifierKind::Other && modifies_a_test(a, q.tokens))
        .map(|q| eligo_model::Qualifier { kind: q.kind, value: q.value.clone(), concept: None, polarity: None })
        .filter(|q| out.scope.qualifiers.contains(q))
        .collect();
    out
}

/// Whether the site or route at tokens `(s, e)` is a word of a test, procedure or drug mention
/// ("*liver* biopsy") or stands right before one, past other qualifiers and list words ("*oral*
/// glucose tolerance test", "*brain* or spine MRI"): it says where or how that is done, not where a
/// disease is.
fn modifies_a_test(a: &Analysis, (s, e): (usize, usize)) -> bool {
    let not_a_condition =
        |kind: EntityType| matches!(kind, EntityType::Procedure | EntityType::Measurement | EntityType::Drug);
    if a.mentions.iter().any(|(m, r)| r.0 <= s && e <= r.1 && not_a_condition(m.kind)) {
        return true;
    }
    let mut k = e;
    let joins = |t: &Token| matches!(t.lower.as_str(), "and" | "or" | "," | "/" | "-");
    while a.tokens.get(k).is_some_and(|t| joins(t) || in_qualifier(a, k)) {
        k += 1;
    }
    a.mentions.iter().any(|(m, r)| r.0 == k && not_a_condition(m.kind))
}

/// Whether token `at` is the word a "non-" is joined to ("non-*breast*", "non *hodgkin*").
fn after_non(a: &Analysis, at: usize) -> bool {
    let non_at = |k: usize| a.tokens.get(k).is_some_and(|t| t.lower == "non");
    (at >= 1 && non_at(at - 1) && crate::cues::joined_to_non(&a.tokens, at - 1) == at)
        || (at >= 2 && non_at(at - 2) && crate::cues::joined_to_non(&a.tokens, at - 2) == at)
}

/// "non-" joined to a word before the clause's first mention narrows the mention to what is not
/// that word ("non-typable HCV genotype", "non-bloody diarrhoea"): a qualifier the patient's record
/// must state, never a negation of the mention itself.
fn non_modifiers(a: &Analysis, from: usize, first_mention: usize) -> Vec<eligo_model::Qualifier> {
    (from..first_mention)
        .filter(|&k| a.tokens.get(k).is_some_and(|t| t.lower == "non"))
        .filter_map(|k| {
            let joined = crate::cues::joined_to_non(&a.tokens, k);
            let word = a.tokens.get(joined).filter(|t| joined < first_mention && t.kind == TokenKind::Word)?;
            let value = format!("non-{}", word.lower);
            Some(eligo_model::Qualifier { kind: QualifierKind::Other, value, concept: None, polarity: None })
        })
        .collect()
}

/// Whether an exception cue earlier in the sentence still governs token `at` ("any cancer except
/// basal cell carcinoma, or carcinoma in situ of the cervix"). "Excluded" states, not excepts.
fn exception_open_before(a: &Analysis, at: usize) -> bool {
    a.cues.iter().any(|c| {
        c.kind == (CueKind::Negation { exception: true })
            && c.tokens.1 <= at
            && a.tokens.get(c.tokens.0).is_some_and(|t| t.lower != "excluded")
            && exception_end(a, c.tokens.1) > at
    })
}

/// Where an exception starting at token `from` ends: at the end of its sentence or bracket
/// ("respiratory (other than asthma), or genitourinary disease").
fn exception_end(a: &Analysis, from: usize) -> usize {
    let ends = |t: &Token| matches!(t.lower.as_str(), ";" | "." | ")" | "]");
    a.tokens.iter().enumerate().skip(from).find(|(_, t)| ends(t)).map_or(a.tokens.len(), |(k, _)| k)
}

/// Whether a qualifier lies inside a mention whose concept (or text) already names it ("acute" in
/// "acute myocardial infarction"); "elective" in "elective surgery" (concept: surgery) still narrows.
fn named_by_mention(a: &Analysis, (s, e): (usize, usize)) -> bool {
    let written = a.text_of((s, e)).to_lowercase();
    a.mentions.iter().any(|(m, r)| {
        r.0 <= s && e <= r.1 && m.concept.as_ref().is_none_or(|c| c.name.to_lowercase().contains(&written))
    })
}

/// Whether tokens `(s, e)` lie inside the words of an elliptical name ("*breast* or ovarian
/// cancer"), which are that name's, not a qualifier of anything.
fn inside_an_elliptical_name(a: &Analysis, (s, e): (usize, usize)) -> bool {
    a.mentions.iter().any(|(m, r)| m.elliptical && r.0 <= s && e <= r.1)
}

/// Whether tokens `(s, e)` lie inside a mention that is, as written, one of its concept's own
/// terms ("*psychiatric* illness" for mental disorders): the words are the name the vocabulary
/// knows, even where the concept's preferred name does not spell them. The reading still keeps a
/// course or severity such a term spells ("*chronic* plaque psoriasis"); only the entity is one.
fn inside_a_term(a: &Analysis, (s, e): (usize, usize)) -> bool {
    let vocab = eligo_vocab::Vocabulary::embedded();
    a.mentions.iter().any(|(m, r)| {
        r.0 <= s
            && e <= r.1
            && m.concept.as_ref().is_some_and(|c| vocab.lookup(&a.text_of(*r)).iter().any(|k| k.id == c.id))
    })
}

/// Whether the condition starting at token `at` is what a therapy, drug or procedure earlier in
/// the clause treats.
fn is_target(a: &Analysis, cs: usize, at: usize) -> bool {
    let mut k = at;
    while k > cs && a.tokens.get(k - 1).is_some_and(|t| FILLERS.contains(&t.lower) || in_qualifier(a, k - 1)) {
        k -= 1;
    }
    let Some(prep) = k.checked_sub(1).and_then(|p| a.tokens.get(p)) else { return false };
    let before = |back: usize| k.checked_sub(back).and_then(|p| a.tokens.get(p)).map(|t| t.lower.as_str());
    let therapy_word = |w: &str| TARGET_TRIGGERS.contains(w);
    let preposition = match prep.lower.as_str() {
        "for" | "against" | "treat" | "treating" => true,
        // "drugs to control diarrhea", "medication to prevent migraine" ("control" may also be
        // read as a qualifier, and so skipped above).
        "control" | "manage" | "prevent" | "relieve" => before(2) == Some("to"),
        "to" => {
            a.tokens.get(k).is_some_and(|t| matches!(t.lower.as_str(), "control" | "manage" | "prevent" | "relieve"))
        }
        "of" => before(2).is_some_and(therapy_word),
        "on" => before(2).is_some_and(|w| w == "effect" || w == "effects"),
        // "antibacterials aiming at CDAD treatment", "therapy directed at the tumour".
        "at" => before(2).is_some_and(|w| matches!(w, "aiming" | "aimed" | "directed" | "targeted" | "targeting")),
        _ => false,
    };
    let therapy_before =
        a.tokens.get(cs..k.saturating_sub(1)).is_some_and(|ts| ts.iter().any(|t| therapy_word(&t.lower)))
            || a.mentions.iter().any(|(m, r)| {
                r.0 >= cs && r.1 < k && matches!(m.kind, EntityType::Drug | EntityType::Procedure) && !is_event(a, *r)
            });
    // "Hospitalisation for treatment of infection": an event of the disease, which stays the reading.
    let event_before =
        a.qualifiers.iter().any(|q| q.kind == QualifierKind::Event && q.tokens.0 >= cs && q.tokens.1 <= k);
    preposition && therapy_before && !event_before
}

/// Words before a target that are not the therapy's name ("receiving ... for", "with an effect on").
static NOT_THERAPY_NAMES: WordSet =
    WordSet::new("for against of on treat treating with effect effects prior previous current any history");

/// The name of an unrecognised therapy: the words between the last trigger and the target's
/// preposition ("receiving interferon for ..." → "interferon"), or "treatment" when the trigger
/// stands alone ("treated for prostate cancer").
fn therapy_text(a: &Analysis, cs: usize, target_at: usize) -> Option<ConceptRef> {
    let before = a.tokens.get(cs..target_at)?;
    let trigger = before.iter().rposition(|t| TARGET_TRIGGERS.contains(&t.lower))?;
    let words: Vec<&str> = before
        .iter()
        .enumerate()
        .skip(trigger + 1)
        .filter(|(k, t)| {
            t.kind == TokenKind::Word
                && !FILLERS.contains(&t.lower)
                && !NOT_THERAPY_NAMES.contains(&t.lower)
                && !in_qualifier(a, cs + k)
                && !a.mentions.iter().any(|(_, r)| r.0 <= cs + k && cs + k < r.1)
        })
        .map(|(_, t)| t.lower.as_str())
        .collect();
    let name = if words.is_empty() { "treatment".to_string() } else { words.join(" ") };
    Some(ConceptRef { id: format!("TEXT:{name}"), name })
}

/// Last words of a procedure mention that make it a treatment rather than a test.
static TREATMENT_HEADS: WordSet = WordSet::new(
    "surgery surgeries resection resections radiotherapy radiation irradiation transplant transplantation therapy \
     therapies treatment treatments ablation",
);

/// Whether the condition at tokens `r` names the target of the drug or treatment right after it
/// ("cancer chemotherapy", "HIV antiretroviral therapy", "hepatitis B vaccine", "breast cancer
/// surgery"): the reading is about that therapy. A test after it ("HIV test", "cancer screening")
/// is not a therapy: "positive HIV test" still asks for the infection.
fn names_the_next_therapy(a: &Analysis, r: (usize, usize)) -> bool {
    a.mentions.iter().any(|(m, n)| {
        n.0 == r.1
            && !is_event(a, *n)
            && match m.kind {
                EntityType::Drug => true,
                EntityType::Procedure => a.tokens.get(n.1 - 1).is_some_and(|t| TREATMENT_HEADS.contains(&t.lower)),
                _ => false,
            }
            // One the vocabulary knows: a word only shaped like a drug ("virus *antibody*") may be a
            // test, and a bare "asthma treatment" is read as that therapy by name (`names_its_therapy`).
            && m.concept.is_some()
    })
}

fn in_qualifier(a: &Analysis, k: usize) -> bool {
    a.qualifiers.iter().any(|q| q.tokens.0 <= k && k < q.tokens.1)
}

/// Whether a mention is an event of a disease ("hospitalization") rather than a procedure.
pub(crate) fn is_event(a: &Analysis, (s, e): (usize, usize)) -> bool {
    a.qualifiers.iter().any(|q| q.kind == QualifierKind::Event && q.tokens.0 < e && s < q.tokens.1)
}

/// Whether a besides word stands right before the condition at `r` (within its noun phrase).
fn is_besides(a: &Analysis, cs: usize, r: (usize, usize)) -> bool {
    let from = r.0.saturating_sub(4).max(cs);
    let Some(window) = a.tokens.get(from..r.0) else { return false };
    let generic = r.1 == r.0 + 1 && a.tokens.get(r.0).is_some_and(|t| GENERIC_DISEASES.contains(&t.lower));
    window.iter().enumerate().any(|(k, t)| {
        let next_is_than = window.get(k + 1).is_some_and(|n| n.lower == "than");
        (BESIDES_WORDS.contains(&t.lower) && !next_is_than)
            || (generic && matches!(t.lower.as_str(), "prior" | "previous" | "past"))
    }) || a.tokens.get(r.0..r.1).is_some_and(|ts| ts.iter().any(|t| BESIDES_WORDS.contains(&t.lower)))
}

/// An exception named by a site word alone, which means the site's kind of the thing before it:
/// "an organ transplant other than a kidney" excepts a kidney transplant, "any cancer except
/// skin" skin cancer. The site word and the last word of the nearest mention before the cue are
/// looked up as one name; nothing is excepted when the vocabulary has no such name.
fn site_exception(a: &Analysis, in_clause: &[usize], (cue, from): (usize, usize), to: usize) -> Option<ConceptRef> {
    let (head, _) =
        in_clause.iter().filter_map(|&i| a.mentions.get(i)).filter(|(_, r)| r.1 <= cue).max_by_key(|(_, r)| r.1)?;
    let written: String = a.prepared.chars.get(head.start..head.end)?.iter().collect::<String>().to_lowercase();
    let head_word = written.split_whitespace().last()?;
    let site: Vec<&str> = a
        .tokens
        .get(from..to)?
        .iter()
        .map(|t| t.lower.as_str())
        .skip_while(|w| matches!(*w, "than" | "for") || FILLERS.contains(w))
        .collect();
    let [site] = site.as_slice() else { return None };
    let vocab = eligo_vocab::Vocabulary::embedded();
    let concept = vocab.lookup(&format!("{site} {head_word}")).into_iter().next()?;
    Some(ConceptRef { id: concept.id.clone(), name: concept.name.clone() })
}

pub(crate) fn add_exceptions(previous: Option<&mut eligo_model::Computable>, exceptions: Vec<ConceptRef>) {
    use eligo_model::Computable;
    if let Some(
        Computable::Condition { scope, .. }
        | Computable::Infection { scope, .. }
        | Computable::PriorTherapy { scope, .. }
        | Computable::Procedure { scope, .. },
    ) = previous
    {
        for c in exceptions {
            if !scope.exceptions.contains(&c) {
                scope.exceptions.push(c);
            }
        }
    }
}
