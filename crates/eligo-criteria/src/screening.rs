//! Requirements a chart cannot settle, recognised by class when nothing else in the criterion could
//! be read: they are checked at the screening visit, and saying which kind they are is a reading
//! (the matcher shows them as questions for screening, never as unread text).
//!
//! * terms stated elsewhere ([`NonComputableReason::ProtocolDefined`]): organ function or
//!   laboratory values judged adequate without limits in the text ("Adequate organ function",
//!   "Normal hepatic and renal function", "laboratory values as defined in the protocol");
//! * practical abilities ([`NonComputableReason::Ability`]): "Able to swallow tablets", "adequate
//!   venous access", "unable to undergo MRI";
//! * overall health, and the care there is having failed or not existing
//!   ([`NonComputableReason::InvestigatorJudgement`]): "In good general health", "Refractory to
//!   available therapy", "No standard treatment options";
//! * ties to this or another trial ([`NonComputableReason::TrialParticipation`]): "Previously
//!   randomised in this study", "has participated in another clinical trial", employees of the
//!   sponsor or site, affiliation to a social-security scheme;
//! * conduct during the study ([`NonComputableReason::Compliance`]): what a participant is to do or
//!   avoid while taking part, or plans that would clash with it ("Must abstain from alcohol for the
//!   duration of the study", "Intention to travel internationally during the study", "Plans to move
//!   out of the area", "No sperm donation during the study period"). Whether someone keeps a study's
//!   rules is compliance: settled by the person at screening, never by a chart;
//! * a contraceptive method named alone, as an item of a list of acceptable methods ("Condom with
//!   spermicide", "Intrauterine device") → [`Computable::Pregnancy`] (contraception).
//!
//! Each class is a small closed set of words, tested on tokens; the classes are tried in the order
//! above, so "venous access sufficient for sampling as per protocol" is an ability.

use eligo_model::{Computable, NonComputableReason, PregnancyState};

use crate::parse::Analysis;
use crate::text::{Token, WordSet};

/// Words that judge organ function or laboratory values without a limit.
static ADEQUACY: WordSet = WordSet::new(
    "adequate adequately adequated normal preserved sufficient acceptable satisfactory enough appropriate good inadequate \
     insufficient unacceptable unsatisfactory abnormal impaired poor properly well specific",
);

/// Organs, lab groups and the patient's performance, whose adequacy the protocol's limits define
/// ("organic" is how some registries spell "organ").
static ORGANS: WordSet = WordSet::new(
    "organ organs marrow hepatic liver renal kidney kidneys hematologic haematologic hematological \
     haematological hematopoietic haematopoietic cardiac pulmonary coagulation laboratory lab labs blood \
     bloodwork biochemical biochemistry hematology haematology vital heart lung lungs respiratory organic \
     performance",
);

/// What is judged: function, reserve, values.
static FUNCTION_NOUNS: WordSet = WordSet::new(
    "function functions functioning reserve reserves values value parameters counts status tests results data \
     indices profile signs labs assessments",
);

/// Words that, with "protocol" right after a preposition, send the reader to the protocol for the
/// terms ("as defined in the protocol", "per protocol", "protocol-defined").
static PROTOCOL_REFERENCES: &[&[&str]] = &[
    &["per", "protocol"],
    &["in", "the", "protocol"],
    &["in", "protocol"],
    &["by", "protocol"],
    &["by", "the", "protocol"],
    &["in", "the", "study", "protocol"],
    &["protocol", "-", "defined"],
    &["protocol", "defined"],
    &["protocol", "-", "specified"],
    &["protocol", "specified"],
    &["protocol", "-", "required"],
    &["protocol", "-", "specific"],
    &["protocol", "specific"],
    &["in", "clinical", "protocol"],
    &["in", "the", "detailed", "protocol"],
];

/// Words after an organ or lab group that name terms stated elsewhere ("Must meet baseline
/// laboratory requirements", "Blood work criteria").
static TERMS_ELSEWHERE: WordSet = WordSet::new("requirements requirement criteria criterion thresholds");

/// Plural terms stated elsewhere, which may stand a few words after the organ or lab group
/// ("Laboratory tests that meet the criteria", "vital organs meet the requirements", "laboratory
/// values within defined thresholds"); "a requirement for oxygen" after an organ is a need.
static TERMS_STATED: WordSet = WordSet::new("requirements criteria thresholds threshold ranges");

/// Words of a practical ability's subject: swallowing, venous access.
static ABILITY_WORDS: WordSet = WordSet::new("swallow swallowing swallowed");

/// Words of drawing blood or placing a line, which name venous access.
static VENOUS_ACCESS: WordSet = WordSet::new("venipuncture venipunctures venepuncture cannulation veins");

/// Words that say a person can or cannot do something.
static CAPACITY_WORDS: WordSet = WordSet::new("able unable ability inability capable incapable");

/// Verbs after a capacity word that name a practical act (not consent or language, read elsewhere).
static PRACTICAL_ACTS: WordSet = WordSet::new(
    "perform complete undergo tolerate lie stand walk sit swallow exercise \
     cooperate produce use wear hold climb ride drive remain",
);

/// Practical acts that open a line which is an ability ("Perform home glucose monitoring"):
/// "use" and "undergo" are left out, since "Use of ..." and "Undergo ..." open exposures too.
static SELF_ACTS: WordSet = WordSet::new("perform tolerate");

/// Words of overall good health.
static HEALTH_PHRASES: &[&[&str]] = &[
    &["good", "health"],
    &["good", "general", "health"],
    &["general", "good", "health"],
    &["good", "overall", "health"],
    &["healthy"],
    &["healthy", "volunteers"],
    &["fragile", "health"],
    &["poor", "health"],
    &["poor", "general", "health"],
];

/// Acts of taking part in a study ("randomised", "participated").
static PARTICIPATION_VERBS: WordSet = WordSet::new(
    "participated participates participating participant randomized randomised enrolled entered included \
     dosed screened completed discontinued withdrawn withdrew",
);

/// Nouns of taking part, which count only after a word for earlier ("previous enrolment in this
/// study"): alone they are mostly a time anchor ("one week before enrollment").
static PARTICIPATION_NOUNS: WordSet = WordSet::new(
    "participation randomization randomisation enrollment enrolment inclusion completion discontinuation \
     involvement withdrawal",
);

/// Words that make a participation noun an earlier or another one ("previous enrolment", "other
/// enrolment", "co-enrollment").
static EARLIER: WordSet = WordSet::new(
    "previous prior earlier former other another concurrent simultaneous co preceding parent core qualifying",
);

/// What one takes part in.
static STUDY_NOUNS: WordSet = WordSet::new("study studies trial trials protocol cohort substudy");

/// Administrative ties that decide who may take part: sponsor or site staff, social security.
static ADMINISTRATIVE_PHRASES: &[&[&str]] = &[
    &["employee"],
    &["employees"],
    &["employed", "by"],
    &["staff", "member"],
    &["study", "staff"],
    &["site", "staff"],
    &["social", "security"],
    &["health", "insurance"],
    &["affiliated", "to"],
    &["affiliated", "with", "a"],
    &["affiliation", "to"],
    &["affiliation", "with"],
    &["medical", "insurance"],
    &["social", "coverage"],
    &["health", "care", "system"],
];

/// Words for the care there is for a disease, as opposed to a treatment someone had ("refractory to
/// *available* therapy", "no *standard* treatment options").
pub(crate) static CARE_THERE_IS: WordSet = WordSet::new(
    "available standard conventional existing established approved accepted effective curative usual      recognized recognised proven",
);

/// Heads of the care there is.
pub(crate) static CARE_HEADS: WordSet =
    WordSet::new("therapy therapies treatment treatments option options care regimen regimens");

/// Words that say what became of the care there is: it failed, was refused, does not exist.
static CARE_OUTCOMES: WordSet = WordSet::new(
    "refractory failed failure progressed progression relapsed intolerant intolerance resistant exhausted      no not none unavailable unsuitable ineligible refused declined candidate candidates",
);

/// "Refractory to available therapy", "no standard treatment options", "failed or intolerant to
/// standard therapy": the treating doctor's judgement that the care there is has failed or does not
/// exist, settled at screening.
fn standard_options_exhausted(t: &[Token]) -> bool {
    let care = t.windows(2).any(|w| CARE_THERE_IS.contains(&w[0].lower) && CARE_HEADS.contains(&w[1].lower));
    care && speaks_of_the_care_there_is(t)
}

/// Whether a criterion says what became of the care there is: a word for it and a word for its
/// outcome ("refractory to available therapy", "no therapy is available").
pub(crate) fn speaks_of_the_care_there_is(t: &[Token]) -> bool {
    t.iter().any(|w| CARE_THERE_IS.contains(&w.lower)) && t.iter().any(|w| CARE_OUTCOMES.contains(&w.lower))
}

/// Phrases that place a requirement in the time of the study ("during the study", "for the duration
/// of the trial", "while on study"): the time itself is read as a span of study words after them.
static DURING_OPENERS: &[&[&str]] = &[
    &["during"],
    &["throughout"],
    &["duration", "of"],
    &["while", "on"],
    &["while", "in"],
    &["while", "participating"],
    &["until", "the", "end", "of"],
    &["until", "completion", "of"],
    &["until", "the", "completion", "of"],
    &["course", "of"],
    &["period", "of"],
];

/// Nouns of the study's time after a "during" phrase ("during the *study* period", "throughout
/// *participation*", "for the duration of the *trial*").
static STUDY_TIME_NOUNS: WordSet =
    WordSet::new("study trial participation treatment dosing entire whole protocol intervention");

/// Verbs of keeping away from something ("refrain from", "abstain from", "avoid").
static REFRAIN_VERBS: WordSet =
    WordSet::new("refrain refraining abstain abstaining abstinence avoid avoiding forgo forego");

/// Words of a plan or intention ("plans to move", "intention to travel", "anticipates having").
static PLAN_WORDS: WordSet = WordSet::new(
    "plan plans planned planning intend intends intended intention intent anticipate anticipates expects likely \
     likelihood",
);

/// Acts a plan concerns that clash with taking part: moving, travel, donating.
static CLASHING_ACTS: WordSet = WordSet::new(
    "move moving relocate relocating relocation travel travelling traveling donate donation leave change start \
     begin become conceive father breastfeed fast have having undergo enroll enrol holiday holidays vacation \
     exposure",
);

/// Contraceptive methods as items of a list of acceptable methods.
static METHOD_PHRASES: &[&[&str]] = &[
    &["condom"],
    &["condoms"],
    &["diaphragm"],
    &["cervical", "cap"],
    &["spermicide"],
    &["spermicidal"],
    &["intrauterine", "device"],
    &["intrauterine", "system"],
    &["iud"],
    &["ius"],
    &["barrier", "method"],
    &["barrier", "methods"],
    &["double", "barrier"],
    &["vasectomized", "partner"],
    &["vasectomised", "partner"],
    &["abstinence"],
    &["abstinent"],
    &["implanon"],
    // "Estrogenic vaginal ring", "Intrauterine hormone-releasing system", "Injectable or
    // implantable methods", "the vasectomized male partner should be the sole partner".
    &["vaginal", "ring"],
    &["hormone", "-", "releasing"],
    &["injectable", "or", "implantable"],
    &["sole", "partner"],
];

/// The reading of an unread criterion by class, if it belongs to one.
pub(crate) fn screening_reading(a: &Analysis) -> Option<Computable> {
    let reason = if protocol_defined(a) {
        NonComputableReason::ProtocolDefined
    } else if ability(&a.tokens) {
        NonComputableReason::Ability
    } else if any_phrase(&a.tokens, HEALTH_PHRASES) || standard_options_exhausted(&a.tokens) {
        NonComputableReason::InvestigatorJudgement
    } else if participation(&a.tokens) || any_phrase(&a.tokens, ADMINISTRATIVE_PHRASES) {
        NonComputableReason::TrialParticipation
    } else if study_conduct(&a.tokens)
        || crate::diet::names_a_diet(a)
        || crate::sleep_schedule::states_a_sleep_schedule(a)
    {
        NonComputableReason::Compliance
    } else if any_phrase(&a.tokens, METHOD_PHRASES) {
        return Some(Computable::Pregnancy { state: PregnancyState::Contraception });
    } else if crate::origin::states_origin(a) {
        NonComputableReason::Ability
    } else {
        crate::process::process_reading(a)?
    };
    Some(Computable::NotComputable { reason })
}

/// Organ function judged adequate ("Adequate hepatic and renal function"), or terms the protocol
/// states ("Laboratory values as defined in the protocol"). Ability wins for "venous access ... as
/// per protocol".
fn protocol_defined(a: &Analysis) -> bool {
    let t = &a.tokens;
    // The judgement may stand before a long list of organs ("Adequate bone marrow, liver, cardiac
    // and kidney function") or after ("Cardiac function normal"): the criterion is unread, so its
    // three words anywhere make the class.
    let has = |set: &WordSet| t.iter().any(|w| set.contains(&w.lower));
    let judged = has(&ADEQUACY) && has(&FUNCTION_NOUNS) && has(&ORGANS);
    let terms_elsewhere = t.iter().enumerate().any(|(i, w)| {
        let after = |n: usize, set: &WordSet| t[i + 1..].iter().take(n).any(|x| set.contains(&x.lower));
        ORGANS.contains(&w.lower) && (after(2, &TERMS_ELSEWHERE) || after(5, &TERMS_STATED))
    });
    // "Required baseline hematology and chemistry parameters", "Required laboratory values".
    let required =
        t.first().is_some_and(|w| w.lower == "required") && t.iter().skip(1).take(4).any(|w| ORGANS.contains(&w.lower));
    (judged || terms_elsewhere || required || any_phrase(t, PROTOCOL_REFERENCES)) && !ability(t)
}

/// Swallowing, venous access, or being able to do a practical act ("able to perform spirometry").
fn ability(t: &[Token]) -> bool {
    // Venous access in any words: "adequate venous access", "Unsuitable veins for repeated
    // venipuncture", "Unsuitable for cannulation".
    let venous_access = t.windows(2).any(|w| w[0].lower == "venous" && w[1].lower == "access")
        || t.iter().any(|w| VENOUS_ACCESS.contains(&w.lower));
    // Which hand someone writes with ("Right-handed"): a trait checked at the visit, as an ability.
    let handed = t.iter().any(|w| matches!(w.lower.as_str(), "handed" | "handedness"));
    // The criterion is otherwise unread, so whatever a capacity word says the person can do ("Able
    // to care for self", "Inability to fast overnight") is a capacity checked at screening.
    let capacity = t.windows(3).any(|w| {
        CAPACITY_WORDS.contains(&w[0].lower)
            && matches!(w[1].lower.as_str(), "to" | "of")
            && w[2].kind == crate::text::TokenKind::Word
    });
    let act = |x: &Token| PRACTICAL_ACTS.contains(&x.lower);
    // "cannot appropriately complete": an adverb may stand before the act.
    let adverb = |x: &Token| x.lower.ends_with("ly");
    let cannot = t.windows(3).any(|w| {
        (w[0].lower == "cannot" && (act(&w[1]) || (adverb(&w[1]) && act(&w[2]))))
            || (w[0].lower == "can" && w[1].lower == "not" && act(&w[2]))
    });
    // A line that opens with the act itself ("Perform self-monitored glucose testing", "Tolerate
    // topical administration"), or one done by oneself ("Can self-perform peak flow").
    let opens_with_act = t.first().is_some_and(|w| SELF_ACTS.contains(&w.lower));
    let by_oneself = t.windows(3).any(|w| w[0].lower == "self" && w[1].lower == "-" && act(&w[2]));
    let practical = capacity || cannot || opens_with_act || by_oneself;
    // "Are ambulatory", "Patient must be ambulant": walking, checked at the visit (not "an
    // ambulatory clinic", a care setting).
    let walks = t.windows(2).any(|w| {
        matches!(w[0].lower.as_str(), "is" | "are" | "be" | "remain" | "remains")
            && matches!(w[1].lower.as_str(), "ambulatory" | "ambulant")
    });
    venous_access || handed || practical || walks || t.iter().any(|w| ABILITY_WORDS.contains(&w.lower))
}

/// A participation verb with a study noun shortly after it ("randomized in this study",
/// "participated in another clinical trial").
fn participation(t: &[Token]) -> bool {
    // Words only: "co-enrollment" is "co enrollment", "a prior E7389 clinical trial" has no number.
    let w: Vec<&str> = t.iter().filter(|x| x.kind == crate::text::TokenKind::Word).map(|x| x.lower.as_str()).collect();
    // "Involved in another trial", "directly involved with this study" (staff); not "male patients
    // involved in this trial", which speaks of the participants.
    let involved = w.iter().enumerate().any(|(i, x)| {
        let other_after = w[i + 1..].iter().take(2).any(|n| matches!(*n, "another" | "other"));
        *x == "involved" && (other_after || (i > 0 && w[i - 1] == "directly"))
    });
    // "Less than 4 weeks from the last clinical trial", "Concurrent interventional studies", "May
    // not be receiving any other study agents": another trial, named by a word before it.
    let other_trial = w.windows(2).enumerate().any(|(i, p)| {
        let before = &w[i.saturating_sub(2)..=i];
        let trial = matches!(p[1], "trial" | "trials" | "studies") || (p[0] == "study" && p[1] == "agents");
        // "Other studies of the heart" are tests, not trials.
        let of_something = w.get(i + 2) == Some(&"of");
        trial
            && !of_something
            && before.iter().any(|b| matches!(*b, "last" | "another" | "other" | "concurrent" | "interventional"))
    });
    involved
        || other_trial
        || w.iter().enumerate().any(|(i, x)| {
            // An earlier or other study around the noun: "previous enrolment in this study",
            // "co-enrollment", "Inclusion in the trial on 3 previous occasions".
            let earlier = w[i.saturating_sub(3)..(i + 7).min(w.len())].iter().any(|n| EARLIER.contains(n));
            // "prior to enrolment in the study" is the time a requirement is counted from.
            let anchor = i > 0 && matches!(w[i - 1], "to" | "before" | "after" | "until" | "since" | "at");
            let earlier_noun = PARTICIPATION_NOUNS.contains(x) && earlier && !anchor;
            (PARTICIPATION_VERBS.contains(x) || earlier_noun) && names_a_study(&w[i + 1..])
        })
}

/// Whether a study is named within the next eight words, as what one takes part in: "study
/// entry", "study eye", "study visit" count time, an eye or a visit of this study instead.
fn names_a_study(after: &[&str]) -> bool {
    after
        .iter()
        .take(8)
        .enumerate()
        .any(|(k, n)| STUDY_NOUNS.contains(n) && !after.get(k + 1).is_some_and(|m| STUDY_PARTS.contains(m)))
}

/// What follows "study" when it names a time, a place or a part of this study, not a study one
/// takes part in.
static STUDY_PARTS: WordSet = WordSet::new(
    "entry start day eye eyes visit visits screening period site sites drug drugs medication treatment therapy \
     agent agents product",
);

/// What a participant is to do or avoid while taking part, or a plan that would clash with it: a
/// "during the study" phrase, a verb of refraining, or a plan to move, travel or donate.
fn study_conduct(t: &[Token]) -> bool {
    let during_study = (0..t.len()).any(|i| {
        DURING_OPENERS.iter().any(|p| {
            crate::text::starts_with(t, i, p)
                && t[i + p.len()..].iter().take(3).any(|w| STUDY_TIME_NOUNS.contains(&w.lower))
        })
    });
    let refrains = t.iter().any(|w| REFRAIN_VERBS.contains(&w.lower));
    let plans = t.windows(3).any(|w| {
        PLAN_WORDS.contains(&w[0].lower)
            && (CLASHING_ACTS.contains(&w[1].lower)
                || (matches!(w[1].lower.as_str(), "to" | "of") && CLASHING_ACTS.contains(&w[2].lower)))
    });
    during_study || refrains || plans
}

fn any_phrase(t: &[Token], phrases: &[&[&str]]) -> bool {
    (0..t.len()).any(|i| phrases.iter().any(|p| crate::text::starts_with(t, i, p)))
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, NonComputableReason, PregnancyState};

    fn reading(text: &str) -> Vec<Computable> {
        parse_criteria(text).into_iter().flat_map(|c| c.computable).collect()
    }

    fn reason(text: &str) -> Option<NonComputableReason> {
        match reading(text).as_slice() {
            [Computable::NotComputable { reason }] => Some(*reason),
            _ => None,
        }
    }

    #[test]
    fn organ_function_without_limits_is_protocol_defined() {
        assert_eq!(reason("Sufficient kidney and liver function"), Some(NonComputableReason::ProtocolDefined));
        assert_eq!(
            reason("Blood counts within the limits defined by the protocol"),
            Some(NonComputableReason::ProtocolDefined)
        );
        assert_eq!(reason("Must meet screening criteria per protocol"), Some(NonComputableReason::ProtocolDefined));
        // Heart, lungs and the patient's performance judged in words, without the protocol's limits.
        for text in [
            "Preserved heart function",
            "Adequate lung function",
            "Good performance status",
            "Adequate marrow reserves",
        ] {
            assert_eq!(reason(text), Some(NonComputableReason::ProtocolDefined), "{text}");
        }
        assert_eq!(
            reason("Satisfactory marrow, hepatic, cardiac and pulmonary and renal function"),
            Some(NonComputableReason::ProtocolDefined)
        );
        assert_eq!(reason("Pulmonary function poor"), Some(NonComputableReason::ProtocolDefined));
        assert_eq!(reason("Vital signs within normal limits"), Some(NonComputableReason::ProtocolDefined));
        assert_eq!(
            reason("Must satisfy the baseline laboratory requirements"),
            Some(NonComputableReason::ProtocolDefined)
        );
        assert_eq!(reason("Blood work criteria"), Some(NonComputableReason::ProtocolDefined));
    }

    #[test]
    fn practical_abilities_are_abilities() {
        assert_eq!(reason("Can swallow capsules whole"), Some(NonComputableReason::Ability));
        assert_eq!(reason("Inadequate peripheral venous access"), Some(NonComputableReason::Ability));
        assert_eq!(reason("Unable to lie flat for one hour"), Some(NonComputableReason::Ability));
        assert_eq!(reason("Able to care for self"), Some(NonComputableReason::Ability));
        assert_eq!(reason("Inability to fast overnight before the morning dose"), Some(NonComputableReason::Ability));
        assert_eq!(reason("Patients who can not sit or stand for 30 minutes"), Some(NonComputableReason::Ability));
    }

    #[test]
    fn ties_to_a_trial_are_trial_participation() {
        assert_eq!(reason("Was randomised earlier in this trial"), Some(NonComputableReason::TrialParticipation));
        assert_eq!(reason("Employees of the investigating site"), Some(NonComputableReason::TrialParticipation));
        assert_eq!(reason("Earlier randomisation in this trial"), Some(NonComputableReason::TrialParticipation));
        assert_ne!(
            reason("Grapefruit juice is to be avoided from one week before enrollment until the end of the study"),
            Some(NonComputableReason::TrialParticipation)
        );
        assert_eq!(reason("In good overall health"), Some(NonComputableReason::InvestigatorJudgement));
    }

    #[test]
    fn the_care_there_is_having_failed_is_the_doctors_judgement() {
        for text in [
            "Refractory to existing therapy, or for whom no therapy is available",
            "No standard treatment options remain",
            "Failed or intolerant to conventional therapies",
        ] {
            assert_eq!(reason(text), Some(NonComputableReason::InvestigatorJudgement), "{text}");
        }
        // A named treatment that failed stays a treatment the patient had.
        assert!(reading("Refractory to standard therapy with rituximab")
            .iter()
            .any(|c| matches!(c, Computable::PriorTherapy { .. })));
    }

    #[test]
    fn conduct_during_the_study_is_compliance() {
        for text in [
            "Must refrain from strenuous exercise from screening onwards",
            "Intends to go on a long journey abroad during the trial period",
            "Plans to relocate away from the clinic area within the next year",
            "No egg donation throughout the study period",
        ] {
            assert_eq!(reason(text), Some(NonComputableReason::Compliance), "{text}");
        }
        // Time words without the study's time are no conduct rule.
        assert_eq!(reason("Course of the illness unclear"), None);
    }

    #[test]
    fn ties_to_other_or_earlier_studies_in_more_words() {
        for text in [
            "Co-enrolment in a trial of another sponsor",
            "Was withdrawn from this trial earlier",
            "Participated in a nutritional, behavioural or educational research study within 60 days",
            "Inclusion in this trial on 2 previous occasions",
            "Holds valid medical insurance",
            "Under 30 days since the last clinical trial",
            "Concurrent interventional trials",
            "May not take any other study agents",
        ] {
            assert_eq!(reason(text), Some(NonComputableReason::TrialParticipation), "{text}");
        }
        // The time a requirement is counted from is no tie to a trial.
        assert_ne!(
            reason("Hormone therapy within 3 months prior to enrollment in this study"),
            Some(NonComputableReason::TrialParticipation)
        );
        assert_ne!(reason("Other studies of the heart at screening"), Some(NonComputableReason::TrialParticipation));
    }

    #[test]
    fn abilities_and_protocol_terms_in_more_words() {
        for text in [
            "Veins unsuitable for repeated cannulation",
            "Right-handed.",
            "Tolerate lying still in the scanner for an hour",
        ] {
            assert_eq!(reason(text), Some(NonComputableReason::Ability), "{text}");
        }
        for text in [
            "Required baseline chemistry and haematology values",
            "Screening lab values within the defined thresholds",
            "Your organs must be functioning properly",
        ] {
            assert_eq!(reason(text), Some(NonComputableReason::ProtocolDefined), "{text}");
        }
        // A need after an organ word is the patient's ("a requirement for oxygen").
        assert_ne!(
            reason("Pulmonary disease, with a requirement for home oxygen"),
            Some(NonComputableReason::ProtocolDefined)
        );
    }

    #[test]
    fn a_method_item_of_a_contraception_list_is_contraception() {
        assert_eq!(reason("Participants must be ambulant"), Some(NonComputableReason::Ability));
        assert_ne!(reason("Seen in an ambulatory clinic"), Some(NonComputableReason::Ability));
        assert_eq!(
            reading("Condom used together with a spermicidal gel"),
            vec![Computable::Pregnancy { state: PregnancyState::Contraception }]
        );
        for text in [
            "Contraceptive vaginal ring",
            "Intrauterine hormone-releasing coil",
            "Remains sexually abstinent",
            "Her sterilised partner is her sole partner",
        ] {
            assert_eq!(reading(text), vec![Computable::Pregnancy { state: PregnancyState::Contraception }], "{text}");
        }
    }

    #[test]
    fn organ_dysfunction_is_a_condition_not_a_protocol_term() {
        assert!(matches!(reading("Impaired kidney function").as_slice(), [Computable::Condition { .. }]));
        assert!(matches!(reading("Severely impaired lung function").as_slice(), [Computable::Condition { .. }]));
    }
}
