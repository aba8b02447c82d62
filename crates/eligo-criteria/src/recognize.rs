//! Clinical mentions: conditions, drugs, procedures and measurements.
//!
//! Two sources, in this order of trust:
//!
//! 1. **The vocabulary** ([`eligo_vocab::Vocabulary::find_mentions`]): ~39k concepts with synonyms and
//!    abbreviations; a mention carries its concept id.
//! 2. **Word shape**, for what no vocabulary lists: criteria name things generically ("any other
//!    malignancy", "prior treatment", "study medication") and coin names the vocabulary cannot know
//!    ("anti-CD38 monoclonal antibody", "CAR-T cell therapy"). A head noun ("disease", "surgery",
//!    "medication", "level") or a medical suffix ("-itis", "-ectomy", "-mab") marks the mention, and
//!    the noun phrase is grown to the left over modifiers ("chronic *kidney* disease" keeps "kidney
//!    disease": severity and time words are their own entities).
//!
//! Overlapping candidates are resolved longest-first; vocabulary mentions win ties.

use std::cell::RefCell;
use std::ops::Not;

use eligo_model::{ConceptRef, EntityType};
use eligo_vocab::{Category, Vocabulary};

use crate::text::{is_known_word, memoized, Token, TokenKind, WordMemo, WordSet};

/// A recognised mention, in prepared-text char offsets.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mention {
    pub kind: EntityType,
    pub start: usize,
    pub end: usize,
    pub concept: Option<ConceptRef>,
    /// Every concept the vocabulary gave for the span (for hierarchy checks downstream).
    pub concept_ids: Vec<String>,
    /// The concept is named with the next name's last words ("*breast* or ovarian cancer"): the
    /// written words are a modifier of the shared head (see [`eligo_vocab::Mention::elliptical`]).
    pub elliptical: bool,
}

static CONDITION_HEADS: WordSet = WordSet::new(
    "disease diseases disorder disorders condition conditions illness illnesses infection infections \
     cancer cancers malignancy malignancies tumor tumors tumour tumours syndrome syndromes failure \
     insufficiency dysfunction impairment abnormality abnormalities deficiency deficiencies pathology \
     complication complications comorbidity comorbidities allergy allergies hypersensitivity \
     intolerance dependence abuse addiction fracture fractures metastases metastasis inflammation \
     ulcer ulcers hemorrhage haemorrhage lesion lesions injury injuries neoplasm neoplasms carcinoma \
     stenosis obstruction occlusion thrombosis embolism aneurysm anomaly anomalies defect defects \
     involvement manifestations flare relapse pregnancy dementia psychosis seizures seizure epilepsy \
     arrhythmia infarction ischemia ischaemia pain trauma bleeding fever wound wounds burn burns \
     deformity deformities dysplasia malformation malformations hernia cyst cysts edema oedema bleed \
     fistula fistulas fistulae perforation perforations abscess abscesses effusion effusions palsy \
     diathesis event events reaction reactions episode episodes incontinence problem problems \
     disturbance disturbances deficit deficits instability",
);

/// Condition heads that say nothing alone ("in the event of", "reactions", "problems"): a condition
/// only with a modifier before them ("thrombotic event", "allergic reaction", "hypoglycaemic
/// episode", "heart problems", "neurological deficit", "haemodynamic instability").
static BARE_HEADS: WordSet = WordSet::new(
    "event events reaction reactions episode episodes problem problems disturbance disturbances deficit \
     deficits instability",
);

/// Words with a disease suffix that are not diseases.
static NOT_CONDITIONS: WordSet = WordSet::new(
    "diagnosis diagnoses prognosis prognoses hypnosis osmosis homeostasis apoptosis criteria hematopoiesis \
     haematopoiesis prophylaxis chemotaxis hemostasis haemostasis",
);

/// Medical suffixes that make an unknown word a condition ("vasculitis", "cryoglobulinemia").
static CONDITION_SUFFIXES: WordSet = WordSet::new(
    "itis osis emia aemia oma omas pathy pathies algia plegia penia trophy megaly rrhea rrhoea uria \
     ectasis iasis plasia sclerosis cele",
);

static PROCEDURE_HEADS: WordSet = WordSet::new(
    "surgery surgeries operation operations procedure procedures treatment treatments therapy \
     therapies transplant transplantation transplants biopsy biopsies resection dialysis hemodialysis \
     ventilation anesthesia anaesthesia imaging mri ultrasound radiotherapy chemotherapy radiation \
     irradiation intubation catheterization implantation stent stenting bypass intervention \
     interventions examination vaccination immunization immunisation hospitalization hospitalisation \
     plasmapheresis apheresis infusion transfusion injection injections delivery section \
     scan endoscopy colonoscopy angiography arthroplasty replacement amputation ablation \
     reconstruction rehabilitation physiotherapy psychotherapy counseling counselling implant \
     implants catheter catheters device devices pacemaker prosthesis graft grafts",
);

static PROCEDURE_SUFFIXES: WordSet =
    WordSet::new("ectomy ectomies otomy otomies ostomy plasty scopy graphy pexy rrhaphy");

static DRUG_HEADS: WordSet = WordSet::new(
    "medication medications medicine medicines drug drugs agent agents inhibitor inhibitors blocker \
     blockers antagonist antagonists agonist agonists steroid steroids supplement supplements \
     antibiotics antibiotic vaccine vaccines product products antibody antibodies immunosuppressants \
     immunosuppressant biologics biologic",
);

/// Stems of international nonproprietary names ("-mab", "-tinib", "-parin").
static DRUG_SUFFIXES: WordSet = WordSet::new(
    "mab nib parin statin pril sartan olol azole mycin cillin floxacin vir cept tide zumab ximab umab \
     dronate afil gliptin glutide gliflozin semide thiazide dipine oxetine triptan prazole tidine \
     cycline platin taxel rubicin",
);

static MEASUREMENT_HEADS: WordSet = WordSet::new(
    "level levels count counts score scores index concentration concentrations clearance titer titre \
     titers saturation pressure rate weight height expectancy status grade stage class volume \
     fraction ratio temperature test tests value values",
);

/// Words that may stand inside a noun phrase left of a head ("liver disease", "renal impairment",
/// "autoimmune disease"), besides vocabulary words. Severity, acuteness and time words are not here:
/// they are entities of their own in annotated corpora. Nor are units of a day or longer: in "12
/// weeks life expectancy" the unit belongs to the value before the name (a "24-hour clearance" is
/// still one test). Nor are results and judgements ("Normal ejection fraction", "Rising PSA"): they
/// say what the value must be.
pub(crate) fn is_modifier(token: &Token) -> bool {
    if token.kind != TokenKind::Word || token.lower.chars().count() < 3 {
        return token.kind == TokenKind::Symbol && token.lower == "-";
    }
    static NOT_MODIFIERS: WordSet = WordSet::new(
        "severe mild moderate chronic acute active current prior previous recent history uncontrolled \
         controlled stable unstable significant clinically serious known other any all the and with \
         without for from not non new such this that these those which who are has have had was were \
         been being documented confirmed diagnosed suspected untreated treated major minor \
         progressive ongoing concurrent concomitant underlying relevant existing previously currently \
         evidence patients patient subjects participants study following include including excluding \
         except than more less per into onto its their his her our your require requiring required \
         use using received receiving taking planned scheduled expected likely able unable must \
         should will may can could would free negative positive high low day days week weeks month \
         months year years normal abnormal adequate good inappropriate elevated increased decreased \
         reduced rising",
    );
    const ADJECTIVE_SUFFIXES: &[&str] = &["al", "ic", "ous", "ary", "ive", "oid", "ar", "tic", "ile", "ent"];
    let word = token.lower.as_str();
    !NOT_MODIFIERS.contains(word)
        && word.chars().all(|c| c.is_alphanumeric())
        && (is_known_word(word) || ADJECTIVE_SUFFIXES.iter().any(|s| word.ends_with(s)))
}

fn vocab_kind(category: Category) -> Option<EntityType> {
    Some(match category {
        Category::Condition => EntityType::Condition,
        Category::Drug | Category::DrugClass => EntityType::Drug,
        Category::Procedure => EntityType::Procedure,
        Category::Measurement | Category::Score => EntityType::Measurement,
        Category::Qualifier => return None,
    })
}

/// Finds conditions, drugs, procedures and measurements in prepared text.
pub(crate) fn recognize(text: &str, tokens: &[Token]) -> Vec<Mention> {
    let vocab = Vocabulary::embedded();
    let mut candidates: Vec<Mention> = vocab
        .find_mentions(text)
        .into_iter()
        .filter_map(|m| {
            let kind = vocab_kind(m.category)?;
            let concept =
                vocab.concept(&m.concept_ids[0]).map(|c| ConceptRef { id: c.id.clone(), name: c.name.clone() });
            Some(Mention {
                kind,
                start: m.start,
                end: m.end,
                concept,
                concept_ids: m.concept_ids,
                elliptical: m.elliptical,
            })
        })
        .collect();
    let plurals = plural_mentions(vocab, tokens, &candidates);
    candidates.extend(plurals);
    candidates.extend(shape_mentions(tokens));
    // "Study procedures", "the study drug", "protocol therapy": the trial's own activities, which
    // a chart cannot hold, not a clinical procedure or a drug the patient had.
    candidates.retain(|m| m.concept.is_some() || !follows_trial_word(m, tokens));
    grow_to_the_left(&mut candidates, tokens);
    // "available therapy", "standard treatment options": the care there is, not a treatment the
    // patient had (see `screening::standard_options_exhausted`).
    candidates.retain(|m| m.concept.is_some() || !names_the_care_there_is(m, tokens));
    // A bare generic measurement word ("score", "level", "stage") says nothing on its own; with a
    // modifier ("disability score", "troponin level") it names a measurement.
    candidates.retain(|m| m.kind != EntityType::Measurement || m.concept.is_some() || single_word(m, tokens).not());
    candidates.retain(|m| m.concept.is_some() || !(is_bare_head(m, tokens) && single_word(m, tokens)));
    resolve_overlaps(candidates)
}

/// Vocabulary terms written in the plural ("cardiac arrhythmias", "seizures"): the vocabulary names
/// things in the singular, so a plural word no mention covers is looked up singular, with the word
/// before it first ("cardiac arrhythmia"), then alone.
fn plural_mentions(vocab: &Vocabulary, tokens: &[Token], found: &[Mention]) -> Vec<Mention> {
    let covered = |t: &Token| found.iter().any(|m| m.start < t.end && t.start < m.end);
    let mut out = Vec::new();
    for (at, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Word || covered(t) {
            continue;
        }
        let singulars = singulars(&t.lower);
        if singulars.is_empty() {
            continue;
        }
        let previous = at
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .filter(|p| p.kind == TokenKind::Word && p.end + 1 == t.start && !covered(p));
        let two_words = singulars.iter().filter_map(|s| previous.map(|p| (p.start, format!("{} {s}", p.lower))));
        let one_word = singulars.iter().map(|s| (t.start, s.clone()));
        let mention = two_words.chain(one_word).find_map(|(start, term)| mention_of(vocab, &term, start, t.end));
        out.extend(mention);
    }
    out
}

/// The possible singulars of a regular English plural of at least six letters ("arrhythmias" →
/// "arrhythmia", "therapies" → "therapy", "abscesses" → "abscess"); none for other words.
fn singulars(word: &str) -> Vec<String> {
    let plural_shape = word.len() >= 6 && word.is_ascii() && word.ends_with('s');
    if !plural_shape || word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(stem) = word.strip_suffix("ies") {
        out.push(format!("{stem}y"));
    }
    if let Some(stem) = word.strip_suffix("es") {
        out.push(stem.to_string());
    }
    if let Some(stem) = word.strip_suffix('s') {
        out.push(stem.to_string());
    }
    out
}

fn mention_of(vocab: &Vocabulary, term: &str, start: usize, end: usize) -> Option<Mention> {
    let concepts = vocab.lookup(term);
    let first = concepts.first()?;
    let kind = vocab_kind(first.category)?;
    Some(Mention {
        kind,
        start,
        end,
        concept: Some(ConceptRef { id: first.id.clone(), name: first.name.clone() }),
        concept_ids: concepts.iter().map(|c| c.id.clone()).collect(),
        elliptical: false,
    })
}

/// Capitalised words that end the name of a body or of a rule set ("National Cancer *Institute*",
/// "American Joint *Committee* on Cancer", "Response Evaluation *Criteria* in Solid Tumors").
static NAME_HEADS: WordSet = WordSet::new(
    "institute association society foundation commission committee consortium network group college academy \
     federation alliance council organization organisation center centre criteria",
);

/// Whether the mention at tokens `(first, end)` is, as written, part of a proper name: its words
/// are capitalised and a capitalised name head follows it ("National Cancer Institute") or comes
/// right before it through "on", "for", "in" or "of" ("Committee on Cancer", "Evaluation Criteria
/// in Solid Tumors"). Such a name says who defines or runs something, never what the patient has.
pub(crate) fn in_a_proper_name(chars: &[char], tokens: &[Token], (first, end): (usize, usize)) -> bool {
    let capital = |k: usize| {
        tokens.get(k).is_some_and(|t| t.kind == TokenKind::Word && chars.get(t.start).is_some_and(|c| c.is_uppercase()))
    };
    let all_capital = (first..end).all(|k| tokens.get(k).is_some_and(|t| t.kind != TokenKind::Word) || capital(k));
    // A heading or a shouted line ("HISTORY OF CANCER") has no names to tell apart.
    let shouted = |k: usize| {
        tokens.get(k).is_some_and(|t| chars.get(t.start..t.end).is_some_and(|w| w.iter().all(|c| !c.is_lowercase())))
    };
    let head_at = |k: usize| capital(k) && !shouted(k) && tokens.get(k).is_some_and(|t| NAME_HEADS.contains(&t.lower));
    // "Criteria *for* Rheumatoid Arthritis" are a disease's diagnostic criteria, which the patient
    // must meet: only rules *in* a disease ("Criteria in Solid Tumors") are a name.
    let link = first.checked_sub(1).and_then(|k| tokens.get(k)).map(|t| t.lower.as_str());
    let linked = first >= 2
        && match link {
            Some("on" | "for" | "of") => tokens.get(first - 2).is_some_and(|t| t.lower != "criteria"),
            Some("in") => true,
            _ => false,
        };
    all_capital && (head_at(end) || (linked && head_at(first - 2)))
}

/// Whether the word right before `m` is "study", "protocol" or "trial".
fn follows_trial_word(m: &Mention, tokens: &[Token]) -> bool {
    let Some(at) = tokens.iter().position(|t| t.start == m.start) else { return false };
    at > 0 && matches!(tokens[at - 1].lower.as_str(), "study" | "protocol" | "trial")
}

/// Whether an uncoded mention is only words for the care there is ("available", "standard",
/// "conventional") before a therapy head, or a bare therapy head in a criterion about the care
/// there is ("no therapy is available"): "standard therapy" names no treatment anyone had.
fn names_the_care_there_is(m: &Mention, tokens: &[Token]) -> bool {
    use crate::screening::{speaks_of_the_care_there_is, CARE_HEADS, CARE_THERE_IS};
    // Tokens are in text order: the mention's are one run.
    let first = tokens.partition_point(|t| t.start < m.start);
    let end = tokens.partition_point(|t| t.end <= m.end);
    let Some((head, before)) = tokens.get(first..end).and_then(|words| words.split_last()) else { return false };
    CARE_HEADS.contains(&head.lower)
        && before.iter().all(|t| CARE_THERE_IS.contains(&t.lower) || t.lower == "-")
        && (!before.is_empty() || speaks_of_the_care_there_is(tokens))
}

/// Whether a mention starts on a bare head word (tokens are in text order: a binary search).
fn is_bare_head(m: &Mention, tokens: &[Token]) -> bool {
    let at = tokens.binary_search_by_key(&m.start, |t| t.start);
    at.ok().and_then(|k| tokens.get(k)).is_some_and(|t| BARE_HEADS.contains(&t.lower))
}

fn single_word(m: &Mention, tokens: &[Token]) -> bool {
    tokens.iter().filter(|t| t.start >= m.start && t.end <= m.end).count() <= 1
}

/// The word-shape recogniser: heads and suffixes of tokens no vocabulary term covers.
fn shape_mentions(tokens: &[Token]) -> Vec<Mention> {
    tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .filter_map(|t| {
            let kind = shape_kind(&t.lower)?;
            Some(Mention {
                kind,
                start: t.start,
                end: t.end,
                concept: None,
                concept_ids: Vec::new(),
                elliptical: false,
            })
        })
        .collect()
}

fn shape_kind(word: &str) -> Option<EntityType> {
    thread_local!(static KINDS: RefCell<WordMemo<Option<EntityType>>> = RefCell::default());
    memoized(&KINDS, word, || head_or_suffix_kind(word))
}

/// The kind a word's head list or medical suffix gives it (see [`shape_kind`]).
fn head_or_suffix_kind(word: &str) -> Option<EntityType> {
    let has_suffix = |suffixes: &WordSet| word.chars().count() >= 7 && suffixes.ends(word);
    if NOT_CONDITIONS.contains(word) {
        None
    } else if CONDITION_HEADS.contains(word) {
        Some(EntityType::Condition)
    } else if PROCEDURE_HEADS.contains(word) || has_suffix(&PROCEDURE_SUFFIXES) {
        Some(EntityType::Procedure)
    } else if DRUG_HEADS.contains(word) || has_suffix(&DRUG_SUFFIXES) || is_anti_agent(word) {
        Some(EntityType::Drug)
    } else if MEASUREMENT_HEADS.contains(word) {
        Some(EntityType::Measurement)
    } else if has_suffix(&CONDITION_SUFFIXES) {
        Some(EntityType::Condition)
    } else {
        None
    }
}

/// Agent nouns built on "anti-" ("antiemetics", "antiarrhythmic", "antifungals") name drug classes.
fn is_anti_agent(word: &str) -> bool {
    const ENDINGS: &[&str] = &["ant", "ants", "ic", "ics", "al", "als", "ive", "ives"];
    word.starts_with("anti") && word.chars().count() >= 8 && ENDINGS.iter().any(|e| word.ends_with(e))
}

/// Grows head-word mentions (those without a concept) to the left over modifier words, so "kidney
/// disease" and "anti-CD38 monoclonal antibody" come out whole. Vocabulary mentions immediately left
/// of a generic head are absorbed ("hepatitis B infection", "liver transplant").
fn grow_to_the_left(candidates: &mut [Mention], tokens: &[Token]) {
    // Where the vocabulary found something, and what: a generic head never swallows a mention of
    // another kind ("cyclophosphamide treatment" stays a drug and a procedure word).
    let named: Vec<(usize, usize, EntityType)> =
        candidates.iter().filter(|m| m.concept.is_some()).map(|m| (m.start, m.end, m.kind)).collect();
    for m in candidates.iter_mut().filter(|m| m.concept.is_none()) {
        let Some(mut k) = tokens.iter().position(|t| t.start == m.start) else { continue };
        while k > 0 {
            let prev = &tokens[k - 1];
            let adjacent = prev.end + 1 >= tokens[k].start && prev.end <= tokens[k].start;
            // ... except that a drug word takes the disease it treats: "osteoporosis medication" is a
            // drug, not the condition osteoporosis.
            let other_kind = named.iter().any(|&(s, e, kind)| {
                s < prev.end
                    && prev.start < e
                    && kind != m.kind
                    && !(m.kind == EntityType::Drug && kind == EntityType::Condition)
            });
            if !adjacent || !is_modifier(prev) || other_kind {
                break;
            }
            k -= 1;
        }
        // Never start on a hyphen.
        while k < tokens.len() && tokens[k].kind == TokenKind::Symbol && tokens[k].start < m.start {
            k += 1;
        }
        m.start = tokens[k].start.min(m.start);
    }
}

/// Keeps the longest of overlapping candidates; on equal length, the one with a concept. A generic
/// phrase that swallowed a vocabulary mention of its own kind takes over that mention's concept
/// ("hepatitis B infection" is hepatitis B).
fn resolve_overlaps(mut candidates: Vec<Mention>) -> Vec<Mention> {
    candidates.sort_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.concept.is_none(), m.start));
    let mut kept: Vec<Mention> = Vec::with_capacity(candidates.len());
    for m in candidates {
        match kept.iter_mut().find(|k| m.start < k.end && k.start < m.end) {
            None => kept.push(m),
            Some(k) => {
                let inside = k.start <= m.start && m.end <= k.end;
                if inside && k.concept.is_none() && m.concept.is_some() && k.kind == m.kind {
                    k.concept = m.concept;
                    k.concept_ids = m.concept_ids;
                }
            }
        }
    }
    kept.sort_by_key(|m| m.start);
    kept
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::Computable;

    fn condition_names(text: &str) -> Vec<String> {
        parse_criteria(text)
            .into_iter()
            .flat_map(|c| c.computable)
            .filter_map(|c| match c {
                Computable::Condition { concepts, .. } => {
                    Some(concepts.into_iter().map(|k| k.name).collect::<Vec<_>>())
                }
                _ => None,
            })
            .flatten()
            .collect()
    }

    #[test]
    fn a_problem_or_deficit_of_an_organ_is_a_condition_a_bare_one_is_not() {
        assert_eq!(condition_names("History of heart problems"), ["heart problems"]);
        assert_eq!(condition_names("Focal neurological deficit"), ["focal neurological deficit"]);
        let incontinence = condition_names("Urinary incontinence");
        assert!(incontinence.iter().any(|n| n.eq_ignore_ascii_case("urinary incontinence")), "{incontinence:?}");
        assert!(condition_names("Problems with the study visits").is_empty());
    }

    #[test]
    fn an_event_with_its_kind_is_a_condition_a_bare_event_is_not() {
        assert_eq!(condition_names("Hypoglycaemic episodes within 3 months"), vec!["hypoglycaemic episodes"]);
        assert!(condition_names("In the event of a delay, screening may be repeated").is_empty());
        assert!(!condition_names("Pancreaticopleural fistula").is_empty());
    }
}

#[cfg(test)]
mod vocabulary_tests {
    use crate::parse_criteria;
    use eligo_model::Computable;

    #[test]
    fn drinking_habits_are_a_disorder_or_an_intake_with_a_limit() {
        let read: Vec<Computable> =
            parse_criteria("Heavy drinking in the past year").into_iter().flat_map(|c| c.computable).collect();
        assert!(matches!(read.as_slice(), [Computable::Condition { concepts, .. }] if concepts[0].id == "ICD10CM:F10"));
        let read: Vec<Computable> =
            parse_criteria("Weekly alcohol intake above 10 units").into_iter().flat_map(|c| c.computable).collect();
        assert!(matches!(read.as_slice(), [Computable::Lab { test, .. }] if test.id == "ELIGO:vital.alcohol_intake"));
    }
}
