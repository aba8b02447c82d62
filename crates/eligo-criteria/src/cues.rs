//! Cue words: age, sex and life stage, pregnancy, negation and exceptions, time and status words, and
//! the phrases that make a criterion non-computable (consent, language, investigator judgement).
//!
//! These are closed word classes: a short list each covers nearly every way registries write them, so
//! a table is the right tool (the open classes, diseases and drugs, come from the vocabulary).

use eligo_model::{ConditionStatus, NonComputableReason, PregnancyState};

use std::sync::OnceLock;

use crate::text::{PhraseIndex, Token, WordSet};

/// What a cue says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum CueKind {
    /// "age", "aged", "years old".
    Age,
    /// A sex or life stage, with its concept id.
    Sex(&'static str),
    Pregnancy(PregnancyState),
    /// "no", "not", "without", "except", "other than".
    Negation {
        exception: bool,
    },
    /// "history", "current", "previously": when, without a number.
    Time(Option<ConditionStatus>),
    /// "uncontrolled", "severe", "in remission".
    Status(ConditionStatus),
    NonComputable(NonComputableReason),
}

/// A cue found in the tokens (token index range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cue {
    pub kind: CueKind,
    pub tokens: (usize, usize),
}

type CueTable = &'static [(&'static [&'static str], CueKind)];

const AGE_CUES: CueTable =
    &[(&["age"], CueKind::Age), (&["aged"], CueKind::Age), (&["ages"], CueKind::Age), (&["old"], CueKind::Age)];

const SEX_CUES: CueTable = &[
    (&["women"], CueKind::Sex("ELIGO:sex.female")),
    (&["woman"], CueKind::Sex("ELIGO:sex.female")),
    (&["female"], CueKind::Sex("ELIGO:sex.female")),
    (&["females"], CueKind::Sex("ELIGO:sex.female")),
    (&["girls"], CueKind::Sex("ELIGO:sex.female")),
    (&["men"], CueKind::Sex("ELIGO:sex.male")),
    (&["man"], CueKind::Sex("ELIGO:sex.male")),
    (&["male"], CueKind::Sex("ELIGO:sex.male")),
    (&["males"], CueKind::Sex("ELIGO:sex.male")),
    (&["boys"], CueKind::Sex("ELIGO:sex.male")),
    (&["children"], CueKind::Sex("ELIGO:lifestage.child")),
    (&["child"], CueKind::Sex("ELIGO:lifestage.child")),
    (&["pediatric"], CueKind::Sex("ELIGO:lifestage.child")),
    (&["paediatric"], CueKind::Sex("ELIGO:lifestage.child")),
    (&["adolescents"], CueKind::Sex("ELIGO:lifestage.adolescent")),
    (&["adolescent"], CueKind::Sex("ELIGO:lifestage.adolescent")),
    (&["infants"], CueKind::Sex("ELIGO:lifestage.infant")),
    (&["infant"], CueKind::Sex("ELIGO:lifestage.infant")),
    (&["neonates"], CueKind::Sex("ELIGO:lifestage.neonate")),
    (&["neonate"], CueKind::Sex("ELIGO:lifestage.neonate")),
    (&["newborns"], CueKind::Sex("ELIGO:lifestage.neonate")),
    (&["newborn"], CueKind::Sex("ELIGO:lifestage.neonate")),
    (&["adults"], CueKind::Sex("ELIGO:lifestage.adult")),
    (&["adult"], CueKind::Sex("ELIGO:lifestage.adult")),
    (&["older", "adults"], CueKind::Sex("ELIGO:lifestage.older_adult")),
    (&["elderly"], CueKind::Sex("ELIGO:lifestage.older_adult")),
    // Both sexes named at once: no restriction.
    (&["both", "genders"], CueKind::Sex("ELIGO:sex.all")),
    (&["both", "gender"], CueKind::Sex("ELIGO:sex.all")),
    (&["both", "sexes"], CueKind::Sex("ELIGO:sex.all")),
    (&["either", "gender"], CueKind::Sex("ELIGO:sex.all")),
    (&["either", "sex"], CueKind::Sex("ELIGO:sex.all")),
    (&["any", "gender"], CueKind::Sex("ELIGO:sex.all")),
    (&["all", "genders"], CueKind::Sex("ELIGO:sex.all")),
    (&["all", "sexes"], CueKind::Sex("ELIGO:sex.all")),
    (&["regardless", "of", "gender"], CueKind::Sex("ELIGO:sex.all")),
    (&["regardless", "of", "sex"], CueKind::Sex("ELIGO:sex.all")),
];

const PREGNANCY_CUES: CueTable = &[
    (&["pregnant"], CueKind::Pregnancy(PregnancyState::Pregnant)),
    (&["pregnancy"], CueKind::Pregnancy(PregnancyState::Pregnant)),
    (&["pregnancies"], CueKind::Pregnancy(PregnancyState::Pregnant)),
    (&["breastfeeding"], CueKind::Pregnancy(PregnancyState::Lactating)),
    (&["breast", "-", "feeding"], CueKind::Pregnancy(PregnancyState::Lactating)),
    (&["breast", "feeding"], CueKind::Pregnancy(PregnancyState::Lactating)),
    (&["lactating"], CueKind::Pregnancy(PregnancyState::Lactating)),
    (&["lactation"], CueKind::Pregnancy(PregnancyState::Lactating)),
    (&["nursing"], CueKind::Pregnancy(PregnancyState::Lactating)),
    (&["contraception"], CueKind::Pregnancy(PregnancyState::Contraception)),
    (&["contraceptive"], CueKind::Pregnancy(PregnancyState::Contraception)),
    (&["contraceptives"], CueKind::Pregnancy(PregnancyState::Contraception)),
    (&["birth", "control"], CueKind::Pregnancy(PregnancyState::Contraception)),
    (&["birth", "-", "control"], CueKind::Pregnancy(PregnancyState::Contraception)),
];

const NEGATION_CUES: CueTable = &[
    (&["no"], CueKind::Negation { exception: false }),
    (&["not"], CueKind::Negation { exception: false }),
    (&["non"], CueKind::Negation { exception: false }),
    (&["without"], CueKind::Negation { exception: false }),
    (&["never"], CueKind::Negation { exception: false }),
    (&["none"], CueKind::Negation { exception: false }),
    (&["neither"], CueKind::Negation { exception: false }),
    (&["nor"], CueKind::Negation { exception: false }),
    (&["unable"], CueKind::Negation { exception: false }),
    (&["inability"], CueKind::Negation { exception: false }),
    (&["cannot"], CueKind::Negation { exception: false }),
    (&["absence"], CueKind::Negation { exception: false }),
    (&["absent"], CueKind::Negation { exception: false }),
    (&["lack", "of"], CueKind::Negation { exception: false }),
    (&["free", "of"], CueKind::Negation { exception: false }),
    (&["free", "from"], CueKind::Negation { exception: false }),
    (&["negative", "for"], CueKind::Negation { exception: false }),
    (&["excluded"], CueKind::Negation { exception: true }),
    (&["except"], CueKind::Negation { exception: true }),
    (&["excluding"], CueKind::Negation { exception: true }),
    (&["other", "than"], CueKind::Negation { exception: true }),
    (&["with", "the", "exception", "of"], CueKind::Negation { exception: true }),
    (&["apart", "from"], CueKind::Negation { exception: true }),
    (&["except", "for"], CueKind::Negation { exception: true }),
    (&["exception"], CueKind::Negation { exception: true }),
    (&["exceptions"], CueKind::Negation { exception: true }),
    (&["besides"], CueKind::Negation { exception: true }),
    (&["not", "including"], CueKind::Negation { exception: true }),
    (&["in", "addition", "to"], CueKind::Negation { exception: true }),
    (&["unless"], CueKind::Negation { exception: true }),
];

const TIME_CUES: CueTable = &[
    (&["history"], CueKind::Time(Some(ConditionStatus::History))),
    (&["previous"], CueKind::Time(Some(ConditionStatus::History))),
    (&["previously"], CueKind::Time(Some(ConditionStatus::History))),
    (&["prior"], CueKind::Time(Some(ConditionStatus::History))),
    (&["past"], CueKind::Time(Some(ConditionStatus::History))),
    (&["current"], CueKind::Time(Some(ConditionStatus::Active))),
    (&["currently"], CueKind::Time(Some(ConditionStatus::Active))),
    (&["ongoing"], CueKind::Time(Some(ConditionStatus::Active))),
    (&["active"], CueKind::Time(Some(ConditionStatus::Active))),
    (&["recent"], CueKind::Time(None)),
    (&["recently"], CueKind::Time(None)),
    (&["concurrent"], CueKind::Time(Some(ConditionStatus::Active))),
    (&["concomitant"], CueKind::Time(Some(ConditionStatus::Active))),
];

const STATUS_CUES: CueTable = &[
    (&["uncontrolled"], CueKind::Status(ConditionStatus::Uncontrolled)),
    (&["poorly", "controlled"], CueKind::Status(ConditionStatus::Uncontrolled)),
    (&["controlled"], CueKind::Status(ConditionStatus::Controlled)),
    (&["stable"], CueKind::Status(ConditionStatus::Controlled)),
    (&["severe"], CueKind::Status(ConditionStatus::Severe)),
    (&["remission"], CueKind::Status(ConditionStatus::Remission)),
    (&["suspected"], CueKind::Status(ConditionStatus::Suspected)),
    // Whose the condition is: a relative's, not the patient's.
    (&["family", "history"], CueKind::Status(ConditionStatus::Family)),
    (&["family", "member"], CueKind::Status(ConditionStatus::Family)),
    (&["family", "members"], CueKind::Status(ConditionStatus::Family)),
    (&["first", "degree", "relative"], CueKind::Status(ConditionStatus::Family)),
    (&["first", "degree", "relatives"], CueKind::Status(ConditionStatus::Family)),
    (&["first", "-", "degree", "relative"], CueKind::Status(ConditionStatus::Family)),
    (&["first", "-", "degree", "relatives"], CueKind::Status(ConditionStatus::Family)),
    (&["second", "degree", "relative"], CueKind::Status(ConditionStatus::Family)),
    (&["second", "degree", "relatives"], CueKind::Status(ConditionStatus::Family)),
    (&["second", "-", "degree", "relative"], CueKind::Status(ConditionStatus::Family)),
    (&["second", "-", "degree", "relatives"], CueKind::Status(ConditionStatus::Family)),
    (&["blood", "relative"], CueKind::Status(ConditionStatus::Family)),
    (&["blood", "relatives"], CueKind::Status(ConditionStatus::Family)),
    (&["suspicion"], CueKind::Status(ConditionStatus::Suspected)),
    (&["presumed"], CueKind::Status(ConditionStatus::Suspected)),
    // "Kawasaki disease presentation", "a clinical picture suggestive of sepsis": the disease as
    // the case presents it, before it is confirmed. A confirmed diagnosis meets it too.
    (&["presentation"], CueKind::Status(ConditionStatus::Suspected)),
    (&["suggestive"], CueKind::Status(ConditionStatus::Suspected)),
];

const NON_COMPUTABLE_CUES: CueTable = &[
    (&["informed", "consent"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["consent"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["agree"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["agrees"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["agreed"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["willing"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["willingness"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["sign"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["language"], CueKind::NonComputable(NonComputableReason::Language)),
    (&["speak"], CueKind::NonComputable(NonComputableReason::Language)),
    (&["english"], CueKind::NonComputable(NonComputableReason::Language)),
    (&["read", "and", "write"], CueKind::NonComputable(NonComputableReason::Language)),
    (&["literate"], CueKind::NonComputable(NonComputableReason::Language)),
    (&["investigator"], CueKind::NonComputable(NonComputableReason::InvestigatorJudgement)),
    (&["investigator's"], CueKind::NonComputable(NonComputableReason::InvestigatorJudgement)),
    (&["investigators"], CueKind::NonComputable(NonComputableReason::InvestigatorJudgement)),
    (&["opinion"], CueKind::NonComputable(NonComputableReason::InvestigatorJudgement)),
    (&["judgment"], CueKind::NonComputable(NonComputableReason::InvestigatorJudgement)),
    (&["judgement"], CueKind::NonComputable(NonComputableReason::InvestigatorJudgement)),
    (&["discretion"], CueKind::NonComputable(NonComputableReason::InvestigatorJudgement)),
    (&["comply"], CueKind::NonComputable(NonComputableReason::Compliance)),
    (&["compliance"], CueKind::NonComputable(NonComputableReason::Compliance)),
    (&["compliant"], CueKind::NonComputable(NonComputableReason::Compliance)),
    (&["follow", "-", "up"], CueKind::NonComputable(NonComputableReason::Compliance)),
    (&["adhere"], CueKind::NonComputable(NonComputableReason::Compliance)),
    (&["adherence"], CueKind::NonComputable(NonComputableReason::Compliance)),
    (&["visit", "schedule"], CueKind::NonComputable(NonComputableReason::Compliance)),
    (&["study", "visits"], CueKind::NonComputable(NonComputableReason::Compliance)),
    (&["scheduled", "visits"], CueKind::NonComputable(NonComputableReason::Compliance)),
    (&["protocol", "requirements"], CueKind::NonComputable(NonComputableReason::Compliance)),
    (&["study", "requirements"], CueKind::NonComputable(NonComputableReason::Compliance)),
    // Legal capacity and detention decide who can consent, not what the chart holds.
    (&["legally", "incapacitated"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["legal", "incapacity"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["legal", "guardian"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["legally", "authorized", "representative"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["legally", "authorised", "representative"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["prisoners"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["prisoner"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["incarcerated"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["imprisonment"], CueKind::NonComputable(NonComputableReason::Consent)),
    // Legal protection of adults (guardianship, "deprived of liberty"): who may consent.
    (&["deprived", "of", "liberty"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["deprived", "of", "their", "liberty"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["guardianship"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["tutorship"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["curatorship"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["trusteeship"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["legal", "protection"], CueKind::NonComputable(NonComputableReason::Consent)),
    (&["participate"], CueKind::NonComputable(NonComputableReason::TrialParticipation)),
    (&["participation"], CueKind::NonComputable(NonComputableReason::TrialParticipation)),
    (&["participating"], CueKind::NonComputable(NonComputableReason::TrialParticipation)),
    (&["enrolled"], CueKind::NonComputable(NonComputableReason::TrialParticipation)),
    (&["investigational"], CueKind::NonComputable(NonComputableReason::TrialParticipation)),
];

const TABLES: &[CueTable] =
    &[AGE_CUES, SEX_CUES, PREGNANCY_CUES, NEGATION_CUES, TIME_CUES, STATUS_CUES, NON_COMPUTABLE_CUES];

fn index() -> &'static PhraseIndex<CueKind> {
    static INDEX: OnceLock<PhraseIndex<CueKind>> = OnceLock::new();
    INDEX.get_or_init(|| PhraseIndex::new(TABLES.iter().copied()))
}

/// Devices a contraception word may name: "intrauterine contraceptive device", "contraceptive implant".
const DEVICE_WORDS: &[&str] = &["device", "devices", "implant", "implants", "coil", "system", "ring"];

/// Words by which a criterion says someone has a device in place, rather than agreeing to use a
/// method: "Patient *with* an intrauterine contraceptive device in the beam path", "*presence of* a
/// contraceptive implant".
const HAVING_WORDS: &[&str] = &["with", "has", "have", "having", "presence", "wearing", "carrying", "retained"];

/// Whether the contraception word at `i..i + len` names a device the person has in place, a fact
/// of the body (the vocabulary's "presence of contraceptive device"), not a contraception rule.
fn device_in_place(tokens: &[Token], i: usize, len: usize) -> bool {
    let is_contraceptive = matches!(tokens[i].lower.as_str(), "contraceptive" | "contraceptives");
    let device_after = tokens.get(i + len).is_some_and(|t| DEVICE_WORDS.contains(&t.lower.as_str()));
    let having_before = tokens[i.saturating_sub(4)..i].iter().any(|t| HAVING_WORDS.contains(&t.lower.as_str()));
    is_contraceptive && device_after && having_before
}

/// Words by which a criterion speaks of a wish or plan rather than a state: "who *desire*
/// pregnancy within 12 months", "*planning* to become pregnant during the study".
const INTENTION_WORDS: &[&str] = &[
    "desire",
    "desires",
    "desiring",
    "wish",
    "wishes",
    "wishing",
    "plan",
    "plans",
    "planning",
    "intend",
    "intends",
    "intending",
    "intention",
    "intent",
    "want",
    "wants",
    "wanting",
    "seeking",
    "trying",
    "attempting",
    "hoping",
];

/// A pregnancy word that names a wish or plan ("desire pregnancy", "planning to become
/// pregnant") is not the state of being pregnant: a chart does not settle it, so it is read like
/// other plans that concern the study (compliance, confirmed at screening).
fn intended_pregnancy(tokens: &[Token], i: usize, kind: CueKind) -> Option<CueKind> {
    let pregnant = matches!(kind, CueKind::Pregnancy(PregnancyState::Pregnant));
    let intention_before = tokens[i.saturating_sub(3)..i].iter().any(|t| INTENTION_WORDS.contains(&t.lower.as_str()));
    (pregnant && intention_before).then_some(CueKind::NonComputable(NonComputableReason::Compliance))
}

/// Whether a cue stands on a pregnancy word, whatever it was read as ("pregnant" the state, or
/// "planning to become pregnant" the plan): such a word is never a condition mention as well.
pub(crate) fn on_pregnancy_word(cue: &Cue, tokens: &[Token]) -> bool {
    matches!(cue.kind, CueKind::Pregnancy(_))
        || tokens
            .get(cue.tokens.0)
            .is_some_and(|t| matches!(t.lower.as_str(), "pregnant" | "pregnancy" | "pregnancies"))
}

/// The token a "non" at `at` is joined to: the one after its hyphen ("non-bloody"), or the next
/// ("non bloody").
pub(crate) fn joined_to_non(tokens: &[Token], at: usize) -> usize {
    if tokens.get(at + 1).is_some_and(|t| t.lower == "-") {
        at + 2
    } else {
        at + 1
    }
}

/// Finds every cue, longest phrase first at each token, left to right.
pub(crate) fn find_cues(tokens: &[Token]) -> Vec<Cue> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match index().longest_at(tokens, i) {
            Some((len, kind)) => {
                let next = tokens.get(i + len).map(|t| t.lower.as_str());
                // "prior to" leads a time window; "nursing home" is a place, not lactation.
                let not_a_cue = (tokens[i].lower == "prior" && next == Some("to"))
                    || (tokens[i].lower == "nursing"
                        && matches!(
                            next,
                            Some("home" | "homes" | "facility" | "care" | "staff" | "student" | "students")
                        ));
                let not_a_cue = not_a_cue || device_in_place(tokens, i, len);
                if !not_a_cue {
                    let kind = intended_pregnancy(tokens, i, kind).unwrap_or(kind);
                    out.push(Cue { kind, tokens: (i, i + len) });
                }
                i += len;
            }
            None => i += 1,
        }
    }
    out.extend(granted_in_brackets(tokens));
    out.sort_by_key(|c| c.tokens);
    out
}

/// Words that grant what a bracket names after "is", "are", "may be" ("atrial fibrillation is
/// allowed").
static GRANTED: WordSet = WordSet::new("allowed permitted acceptable eligible");

/// Words that, after "not", say a bracket's subject does not exclude ("is not an exclusion", "are
/// not exclusionary", "is not excluded").
static NOT_EXCLUDING: WordSet = WordSet::new("exclusion exclusionary excluded exclusions");

/// A bracket that grants what it names: "Cardiac disease (atrial fibrillation is allowed)",
/// "(note: lactose intolerance is not an exclusion)", "(Gilbert syndrome is not exclusionary)". What
/// it names is an exception of the criterion, as if written after "except", so the cue stands on
/// the opening bracket and the exception runs to its close. Without it the bracket's disease was
/// one more thing the criterion excludes: the opposite of what it says.
fn granted_in_brackets(tokens: &[Token]) -> Vec<Cue> {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let mut out = Vec::new();
    for open in (0..tokens.len()).filter(|&k| word(k) == "(") {
        let Some(close) = (open + 1..tokens.len()).find(|&k| matches!(word(k), "(" | ")")) else { continue };
        if word(close) != ")" {
            continue;
        }
        let grants = (open + 2..close).any(|k| {
            // The verb and its negation are the bracket's own, never words before it.
            let before = (k.saturating_sub(3).max(open + 1))..k;
            let after_verb = before.clone().any(|j| matches!(word(j), "is" | "are" | "may" | "can" | "will"));
            let negated = before.into_iter().any(|j| matches!(word(j), "not" | "never" | "no"));
            // "is allowed" grants; "is not allowed" forbids; "is not an exclusion" grants again.
            let granting = if negated { &NOT_EXCLUDING } else { &GRANTED };
            after_verb && granting.contains(word(k))
        });
        if grants {
            out.push(Cue { kind: CueKind::Negation { exception: true }, tokens: (open, open + 1) });
        }
    }
    out
}
