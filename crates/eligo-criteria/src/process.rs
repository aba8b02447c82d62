//! What a line says about taking part rather than about the patient's health, in the words
//! registries use besides the cue words of [`crate::cues`], recognised only when nothing else in the
//! line could be read (the classes of [`crate::screening`], continued):
//!
//! * what the study allows, prefers or does not require ([`NonComputableReason::Permission`]):
//!   "Prior radiosensitizers allowed", "Testing is not mandatory", "This criterion does not apply to
//!   arm B", "If the last dose was over a year ago, the patient is eligible";
//! * the specimen the study needs ([`NonComputableReason::ProtocolDefined`]): "Archival tissue must
//!   be available", "Cytology material is not accepted", "FFPE blocks are preferred to slides";
//! * refusing, or being unwilling ([`NonComputableReason::Consent`]): "Patient refusal", "Unwilling
//!   to stop smoking", "Declined to take part"; and understanding what taking part means ("Complete
//!   an assessment of understanding");
//! * someone to support the participant ([`NonComputableReason::Ability`]): "Has a study partner",
//!   "Reliable informant or caregiver";
//! * keeping to the study's schedule ([`NonComputableReason::Compliance`]): "Available to complete
//!   all study visits", "Likely to complete the study", "Maintain a study diary", "Unable to meet the
//!   requirements of the protocol";
//! * the doctor's judgement in other words ([`NonComputableReason::InvestigatorJudgement`]): "The
//!   treating physician considers the patient unsuitable", "Deemed medically stable", "Would
//!   influence the results of the study".
//!
//! Each class is a small closed set of words tried on the words of the line, never a phrase of one
//! record. A line that states a finding, a test or a value is read before these are tried, so "as
//! recorded in the patient's diary" after a count is the count's, not compliance.

use eligo_model::NonComputableReason;

use crate::parse::Analysis;
use crate::text::{TokenKind, WordSet};

/// Words that grant something ("allowed") or say it is preferred.
static GRANTS: WordSet = WordSet::new("allowed permitted acceptable eligible preferred");

/// Words before a grant that make it a prohibition or a restriction ("not allowed", "no longer
/// permitted", "only one person per household is eligible", "must be eligible").
static COUNTER_GRANTS: WordSet = WordSet::new("not no never nor only must longer cannot");

/// Words after "not" by which a step is optional ("Testing is not mandatory").
static REQUIRED: WordSet = WordSet::new("required mandatory necessary needed obligatory compulsory");

/// What taking part is, after "eligible for" ("eligible for this study" grants; "eligible for tPA"
/// is a judgement about a treatment).
static TAKING_PART: WordSet = WordSet::new(
    "study trial cohort arm part enrollment enrolment participation entry inclusion registration randomization \
     randomisation this the that",
);

/// Specimens a study asks for.
static SPECIMENS: WordSet = WordSet::new(
    "tissue tissues specimen specimens block blocks slide slides sample samples material cytology cytological \
     aspirate aspiration ffpe paraffin",
);

/// What is said of a specimen: that it exists, suffices, is accepted, is to be sent.
static SPECIMEN_STATES: WordSet = WordSet::new(
    "available availability unavailable adequate inadequate sufficient insufficient accepted acceptable \
     preferred submitted submission submit archival archived acquisition",
);

/// Words of refusing, or of not being willing.
static REFUSALS: WordSet =
    WordSet::new("refuse refuses refused refusing refusal unwilling unwillingness uncooperative reject rejects");

/// Words of declining, which are refusals only when what is declined is taking part ("declined to
/// take part", "denied to join the study"; not "renal function declined").
static DECLINES: WordSet = WordSet::new("declined declines denied");

/// Words of understanding what taking part means (capacity to consent).
static UNDERSTANDING: WordSet = WordSet::new("understand understands understanding comprehend comprehension");

/// Words of agreeing freely, or of the forms of consent ("Signed ICF", "written informed assent").
static CONSENTING: WordSet = WordSet::new("voluntary voluntarily icf assent");

/// Who cannot consent freely, or needs protection to: vulnerable people, people under a court's
/// protection or in detention ("Patient under safeguard of justice", "Pending trials for a felony").
static PROTECTED: WordSet = WordSet::new(
    "vulnerable judicial juridical justice felony detention detained prison prisoner prisoners inmate inmates \
     incarcerated institutionalized institutionalised",
);

/// What places someone in an institution against their will ("placed in an institution by legal
/// order"); "institution" alone is mostly a laboratory's ("institutional limits").
static LEGAL_ORDERS: WordSet = WordSet::new("order orders court legal authority authorities ruling juridical");

/// The study's own words, after which completing or meeting requirements is this study's.
static STUDY_NOUNS: WordSet = WordSet::new("study trial protocol");

/// What one understands when consenting.
static STUDY_MATTERS: WordSet =
    WordSet::new("study trial protocol purpose requirements risks procedures nature consent assessment");

/// People who support a participant through the study.
static SUPPORTERS: WordSet = WordSet::new("caregiver caregivers informant informants carer carers companion");

/// Words of being at the study's disposal.
static AVAILABILITY: WordSet = WordSet::new("available availability unavailable");

/// What one is available for ("available to complete", "available for the entire study period").
static AVAILABLE_FOR: WordSet = WordSet::new(
    "complete attend participate study trial visits visit follow entire whole duration period clinic \
     appointments",
);

/// Words of finishing, in the present: finishing this study, not having finished another.
static COMPLETING: WordSet = WordSet::new("complete completing");

/// Words of keeping a study's record.
static DIARY_KEEPING: WordSet =
    WordSet::new("complete completing completed completion maintain keep keeps kept fill return returned");

/// Words of a judgement by someone: considering, deeming.
static JUDGING: WordSet = WordSet::new(
    "considered considers consider deemed deems judged judges feel felt feels believed believes thought think \
     thinks determined decide decides decided",
);

/// Who judges besides the investigator.
static JUDGES: WordSet = WordSet::new(
    "doctor doctors physician physicians clinician clinicians researcher researchers psychologist \
     professionals team monitor radiologist surgeon oncologist psychiatrist neurologist nephrologist pi \
     designee panel committee",
);

/// What the judgement is about: suitability for the study.
static SUITABILITY: WordSet = WordSet::new(
    "suitable unsuitable appropriate inappropriate improper fit unfit stable unstable candidate candidates",
);

/// Verbs of a verdict, before "by" and the one who gives it ("evaluated by researchers").
static VERDICTS: WordSet = WordSet::new(
    "evaluated evaluation determined approved approval judged deemed identified excluded decided considered \
     assessed",
);

/// Effects on the study that a judgement weighs ("would influence the results of the study").
static STUDY_EFFECTS: WordSet =
    WordSet::new("influence affect interfere confound compromise jeopardize jeopardise bias");

/// What a line reads as, if it says something of taking part in one of the classes above.
pub(crate) fn process_reading(a: &Analysis) -> Option<NonComputableReason> {
    // An age with its value is never process, whatever else the line says ("Ages 18 to 65; those
    // under 20 must have assent forms signed").
    let aged = a.cues.iter().any(|c| c.kind == crate::cues::CueKind::Age) && !a.quantities.is_empty();
    if aged {
        return None;
    }
    let w = words(a);
    let w = w.as_slice();
    if grants(&main_statement(a)) {
        Some(NonComputableReason::Permission)
    } else if specimen(w, a) || (medication_rule(w) && !names_a_medicine(a)) {
        Some(NonComputableReason::ProtocolDefined)
    } else if refuses(w) && (crate::screening::speaks_of_the_care_there_is(&a.tokens) || judge_named(w)) {
        // "Standard measures have been refused": the care there is, which is the doctor's call;
        // "Inclusion declined by the attending physician": the doctor refuses, not the patient.
        Some(NonComputableReason::InvestigatorJudgement)
    } else if refuses(w) || understanding(w) || (consents(w) && a.quantities.is_empty()) {
        Some(NonComputableReason::Consent)
    } else if supporter(w) || where_one_lives(w) {
        Some(NonComputableReason::Ability)
    } else if keeps_schedule(w) {
        Some(NonComputableReason::Compliance)
    } else if judged(w, a.quantities.is_empty())
        || health_judged(w, a.mentions.is_empty(), names_a_medicine(a))
        || candidacy(w, a)
    {
        Some(NonComputableReason::InvestigatorJudgement)
    } else if study_sequence(w) {
        Some(NonComputableReason::TrialParticipation)
    } else {
        None
    }
}

/// The line's words, lower case, without numbers and symbols ("co-enrollment" is "co enrollment").
fn words(a: &Analysis) -> Vec<&str> {
    a.tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect()
}

/// The words of the line's first sentence outside brackets: a grant in a later sentence or in
/// brackets qualifies a requirement stated before it ("Stable dose for 8 weeks. Fluctuations of
/// 10% are allowed", "HLA type compatible (seronegatives of any type are eligible)").
fn main_statement(a: &Analysis) -> Vec<&str> {
    let mut depth = 0i32;
    let mut out = Vec::new();
    for (k, t) in a.tokens.iter().enumerate() {
        match t.lower.as_str() {
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            ";" => break,
            "." if a.tokens.get(k + 1).is_some_and(|n| n.start > t.end) => break,
            _ if depth <= 0 && t.kind == TokenKind::Word => out.push(t.lower.as_str()),
            _ => {}
        }
    }
    out
}

/// Whether `w` holds `first` directly followed by one of `then`.
fn pair(w: &[&str], first: impl Fn(&str) -> bool, then: impl Fn(&str) -> bool) -> bool {
    w.windows(2).any(|p| first(p[0]) && then(p[1]))
}

/// A grant no word before it counters ("Prior radiosensitizers allowed", "All subtypes are
/// eligible"), a step that is not required ("Central testing is not required"), or a note on where
/// a criterion applies ("This criterion does not apply to arm B", "is not a reason to exclude",
/// "may be considered for enrollment"). "Eligible for" something other than taking part ("Eligible
/// for tPA") is not a grant.
fn grants(w: &[&str]) -> bool {
    let granted = w.iter().enumerate().skip(1).any(|(i, x)| {
        // "Eligible for tPA" opening the line is who may receive a treatment, not a grant: a grant
        // has a subject before it.
        // "Only one person per household is eligible" restricts, wherever "only" stands.
        let countered =
            w[i.saturating_sub(3)..i].iter().any(|b| COUNTER_GRANTS.contains(b)) || w[..i].contains(&"only");
        let purpose =
            matches!(w.get(i + 1), Some(&("for" | "to"))) && !w.get(i + 2).is_some_and(|n| TAKING_PART.contains(n));
        // "To be eligible, patients should be ..." states what eligibility needs.
        let condition = i >= 2 && w[i - 2..i] == ["to", "be"];
        // "Acceptable" grants as a predicate ("Higher levels are acceptable"), never before a noun
        // ("in the acceptable range", "acceptable tolerability").
        let attributive = *x == "acceptable" && !matches!(w[i - 1], "is" | "are" | "be" | "considered");
        GRANTS.contains(x) && !countered && !purpose && !condition && !attributive
    });
    // "Local results may be accepted", never "patients accepted the study" (consent).
    let accepted = pair(w, |x| matches!(x, "is" | "are" | "be"), |x| x == "accepted");
    let optional = pair(w, |x| x == "not", |x| REQUIRED.contains(x));
    let applies = w.windows(3).any(|p| matches!(p, ["not", "apply", _] | [_, "not", "apply"]))
        || w.windows(4).any(|p| matches!(p, ["not", "a", "reason", _] | ["may", "be", "considered", "for"]));
    granted || accepted || optional || applies
}

/// Refusing or being unwilling ("Patient refusal", "Unwilling to stop drinking"), or declining to
/// take part ("denied to join the study").
fn refuses(w: &[&str]) -> bool {
    let declines = w
        .iter()
        .enumerate()
        .any(|(i, x)| DECLINES.contains(x) && w[i + 1..].iter().take(3).any(|n| n == &"to" || TAKING_PART.contains(n)));
    declines || w.iter().any(|x| REFUSALS.contains(x))
}

/// A specimen the study needs, and what is said of it ("Archival tissue must be available",
/// "Fine-needle aspiration alone is not sufficient").
fn specimen(w: &[&str], a: &Analysis) -> bool {
    // A result read on the specimen ("staining in > 25% of cells in the specimen submitted") is a
    // finding, not the specimen.
    let compares = a.tokens.iter().any(|t| matches!(t.lower.as_str(), "%" | "<" | ">" | "≤" | "≥"));
    let state_near =
        |i: usize| w[i.saturating_sub(4)..(i + 5).min(w.len())].iter().any(|n| SPECIMEN_STATES.contains(n));
    !compares && w.iter().enumerate().any(|(i, x)| SPECIMENS.contains(x) && state_near(i))
}

/// Understanding what taking part means ("Understand the study purpose and risks", "Complete an
/// assessment of understanding").
fn understanding(w: &[&str]) -> bool {
    w.iter().any(|x| UNDERSTANDING.contains(x)) && w.iter().any(|x| STUDY_MATTERS.contains(x))
}

/// Consenting freely or in writing ("Voluntary agreement", "Provide written informed"), or being
/// someone whose consent the law protects ("Vulnerable subjects").
fn consents(w: &[&str]) -> bool {
    let placed = w.contains(&"institution") && w.iter().any(|x| LEGAL_ORDERS.contains(x));
    w.iter().any(|x| CONSENTING.contains(x) || PROTECTED.contains(x))
        || placed
        || pair(w, |x| x == "written", |x| x == "informed")
}

/// Someone to support the participant: a caregiver, an informant, a study partner. A caregiver
/// named beside the participant as the one who acts ("subjects/caregivers must provide ...") is
/// the participant's side, not support.
fn supporter(w: &[&str]) -> bool {
    let beside_participant = |i: usize| i > 0 && matches!(w[i - 1], "subjects" | "patients" | "participants");
    w.iter().enumerate().any(|(i, x)| SUPPORTERS.contains(x) && !beside_participant(i))
        || pair(w, |x| x == "study", |x| matches!(x, "partner" | "partners"))
}

/// Whether someone other than the patient, who judges, is named ("the attending physician").
fn judge_named(w: &[&str]) -> bool {
    w.iter().any(|x| JUDGES.contains(x))
}

/// Keeping to the study's schedule: being available for it ("Available to complete all study
/// measurements"), being likely to complete it ("Reasonable probability of completing the study"),
/// keeping its diary ("Maintain a study diary"), or meeting its requirements ("Unable to meet the
/// requirements of the protocol").
fn keeps_schedule(w: &[&str]) -> bool {
    let near = |i: usize, set: &WordSet| w[i + 1..].iter().take(4).any(|n| set.contains(n));
    let available = w.iter().enumerate().any(|(i, x)| AVAILABILITY.contains(x) && near(i, &AVAILABLE_FOR));
    // "complete (all) the study (measurements)", never "should complete 7 days before study
    // treatment", which dates a prior therapy.
    let completing = w.iter().enumerate().any(|(i, x)| {
        let object = w[i + 1..].iter().find(|n| !matches!(**n, "the" | "this" | "all" | "entire"));
        COMPLETING.contains(x) && object.is_some_and(|n| STUDY_NOUNS.contains(n))
    });
    // Keeping the diary comes before it ("Maintain a study diary"); a diary named first is where a
    // measure is read ("time in bed from the sleep diary completed on 7 mornings").
    let diary = w
        .iter()
        .enumerate()
        .any(|(i, x)| matches!(*x, "diary" | "diaries") && w[..i].iter().any(|b| DIARY_KEEPING.contains(b)));
    // "the requirements of the study", "all of the study procedures", "incompatible with the study
    // design": the study named on either side.
    let around = |i: usize| w[i.saturating_sub(3)..(i + 5).min(w.len())].iter().any(|n| STUDY_NOUNS.contains(n));
    let requirements =
        w.iter().enumerate().any(|(i, x)| matches!(*x, "requirements" | "procedures" | "incompatible") && around(i));
    // "Reasonable probability for completion of the study", "unlikely to attend clinic visits".
    let likely = w.iter().any(|x| matches!(*x, "probability" | "likely" | "unlikely"))
        && w.iter().any(|x| matches!(*x, "complete" | "completion" | "completing"));
    let attends = w.iter().enumerate().any(|(i, x)| {
        matches!(*x, "attend" | "keep" | "accompany" | "accompanies")
            && w[i + 1..].iter().take(7).any(|n| APPOINTMENTS.contains(n))
    });
    // Being reachable: "Unrestricted access to a telephone", "impossible to contact in case of
    // emergency", "known to be an unreliable subject".
    let reliable = w.windows(2).any(|p| {
        matches!(p[0], "be" | "is" | "are" | "considered" | "an") && matches!(p[1], "reliable" | "unreliable")
    });
    let reachable = reliable
        || w.iter().any(|x| matches!(*x, "telephone" | "phone" | "pager"))
        || pair(w, |x| matches!(x, "impossible" | "means"), |x| matches!(x, "to" | "of"))
            && w.iter().any(|x| matches!(*x, "contact" | "contacted"));
    available || completing || diary || requirements || likely || attends || reachable
}

/// Words by which the protocol bars or limits medicines ("excluded medications", "prohibited
/// concomitant therapy").
static BARRING: WordSet = WordSet::new("excluded prohibited disallowed forbidden restricted");

/// What is barred: medicines and treatments in general words.
static MEDICINES: WordSet = WordSet::new(
    "medication medications medicine medicines drug drugs therapy therapies treatment treatments concomitant \
     agents",
);

/// What a drug does to a metabolising enzyme or transporter ("strong CYP3A4 inducers").
static ENZYME_EFFECTS: WordSet = WordSet::new(
    "inducer inducers inhibitor inhibitors modifier modifiers modulate modulates modulators modulating \
     metabolized metabolised interfere interfering",
);

/// Medicines named by the protocol's list rather than by name: medicines it excludes or
/// prohibits ("Is taking excluded medications"), or a class by its effect on a metabolising enzyme
/// ("No concurrent CYP3A4 or CYP1A2 modifiers", "metabolized through CYP3A4"). The list is in the
/// protocol. A person's own enzyme ("CYP2C19 poor metaboliser") is a genotype, not a medicine.
fn medication_rule(w: &[&str]) -> bool {
    let barred = pair(w, |x| BARRING.contains(x), |x| MEDICINES.contains(x));
    let enzyme = w.iter().any(|x| x.starts_with("cyp") || matches!(*x, "p450" | "cytochrome" | "enzyme"));
    let genotype = w.iter().any(|x| x.starts_with("metaboli") && (x.ends_with("er") || x.ends_with("ers")));
    barred || (enzyme && !genotype && w.iter().any(|x| ENZYME_EFFECTS.contains(x)))
}

/// Medicines the protocol bars, in general words only ("Needs to take prohibited medications",
/// "Prohibited concomitant therapy"): the list is the protocol's, so no medicine a patient takes
/// meets the line by itself being a medicine. Read before the clinical readings, which would take
/// "medications" or "therapy" for something the patient has had. A heading ("Prohibited
/// therapies:") stays structure for the items under it.
pub(crate) fn barred_medicines_only(a: &Analysis) -> bool {
    let w = words(a);
    let heading = a.tokens.last().is_some_and(|t| t.lower == ":");
    !heading && pair(&w, |x| BARRING.contains(x), |x| MEDICINES.contains(x)) && !names_a_medicine(a)
}

/// Whether the line names a medicine of its own ("... or has received insulin", "with the
/// exception of fluoxetine"): a requirement on it is clinical, so the line is not the protocol's list.
/// The generic words ("medications") and the trial's own drug ("the study drug") name none.
fn names_a_medicine(a: &Analysis) -> bool {
    a.mentions.iter().any(|(m, _)| {
        m.kind == eligo_model::EntityType::Drug
            && m.concept.as_ref().is_some_and(|c| !c.id.starts_with("TEXT:") && !c.id.starts_with("ELIGO:"))
    })
}

/// Words of where someone lives.
static RESIDING: WordSet = WordSet::new("reside resides residing resided resident residents residence residency");

/// Where someone lives, or how the site reaches them ("Reside in the Auckland region", "Must live
/// within 100 miles of the site", "Have access to a method of communication with the site"):
/// circumstances confirmed at screening, not health.
fn where_one_lives(w: &[&str]) -> bool {
    let lives = pair(w, |x| matches!(x, "live" | "lives" | "living"), |x| matches!(x, "within" | "in" | "near"));
    let reach = w.iter().enumerate().any(|(i, x)| {
        *x == "access" && w[i + 1..].iter().take(5).any(|n| matches!(*n, "communication" | "internet" | "computer"))
    });
    lives || reach || w.iter().any(|x| RESIDING.contains(x))
}

/// Words that judge health as a whole ("good", "stable").
static HEALTH_VERDICTS: WordSet = WordSet::new("good stable excellent generally overall");

/// Health judged as a whole ("Stable health", "In generally good overall health"), a benefit
/// weighed ("the potential to safely benefit from X"), or a contraindication, which is the doctor's
/// call ("No medical contraindications to planned regimen"). Only with nothing else named in the
/// line: "stable health except for T2DM" keeps its condition unread, not hidden. A
/// contraindication after "unless" qualifies a requirement before it, and a named medicine that
/// "is contraindicated" is barred, not judged.
fn health_judged(w: &[&str], nothing_named: bool, medicine_named: bool) -> bool {
    let health = w
        .iter()
        .enumerate()
        .any(|(i, x)| *x == "health" && w[i.saturating_sub(3)..i].iter().any(|b| HEALTH_VERDICTS.contains(b)));
    let benefit = w.iter().enumerate().any(|(i, x)| {
        *x == "benefit"
            && w[i.saturating_sub(3)..i].iter().any(|b| matches!(*b, "potential" | "likely" | "unlikely" | "expected"))
    });
    let contraindicated = w.len() > 1
        && w.iter().enumerate().any(|(i, x)| {
            let barred_medicine = medicine_named && *x == "contraindicated";
            x.starts_with("contraindicat")
                && !barred_medicine
                && !w[..i].iter().any(|b| matches!(*b, "unless" | "except"))
        });
    (nothing_named && health) || benefit || contraindicated
}

/// Words that say someone is or is not a candidate for a treatment.
static CANDIDACY: WordSet =
    WordSet::new("candidate candidates eligible ineligible suitable unsuitable appropriate inappropriate");

/// Words after "for" that make a candidacy one for the study itself ("eligible for this study",
/// "eligible for future trials"), which the criteria list states, not a doctor.
static THE_STUDY: WordSet = WordSet::new("study trial trials studies protocol future");

/// The treating doctor's judgement that someone is or is not a candidate for a treatment ("Must be
/// surgical candidates", "Eligible for taxane monotherapy", "Candidate for adjuvant chemoradiation
/// as part of standard clinical care"). Not beside a value, a stage or a test result ("Stage I
/// (T1N0) are not eligible for the neo-adjuvant portion", "positive for an allergen that is
/// appropriate for nasal challenge"), which set the terms themselves.
fn candidacy(w: &[&str], a: &Analysis) -> bool {
    let staged = a.qualifiers.iter().any(|q| q.kind == eligo_model::QualifierKind::Stage);
    let result = w.iter().any(|x| matches!(*x, "positive" | "negative"));
    let for_a_treatment = w.iter().enumerate().any(|(i, x)| {
        // "... to be eligible for Dose Regimen 1": a purpose, the requirement is stated before it.
        let purpose = i >= 2 && w[i - 2] == "to" && w[i - 1] == "be";
        CANDIDACY.contains(x)
            && !purpose
            && !w.iter().skip(i + 1).take(3).any(|n| THE_STUDY.contains(n))
            && (matches!(w.get(i + 1), Some(&"for")) || (i > 0 && matches!(w[i - 1], "surgical" | "surgery")))
    });
    for_a_treatment && a.quantities.is_empty() && !staged && !result
}

/// The study's own sequence: rolling over from another part of the programme ("Roll-over
/// patients"), having completed the study before ("Successful completion of study X"), being
/// screened again ("may be re-screened once"), or earlier trials of new chemical entities.
fn study_sequence(w: &[&str]) -> bool {
    let roll_over = w.contains(&"rollover") || pair(w, |x| x == "roll", |x| x == "over");
    let rescreen = w.contains(&"rescreened")
        || w.contains(&"rescreening")
        || pair(w, |x| x == "re", |x| matches!(x, "screened" | "screening" | "screen"));
    // "completed the study treatment" dates a prior therapy, "death before completion of the
    // study" is a prognosis; "completion of study X" is this programme's sequence.
    let completed = w.iter().enumerate().any(|(i, x)| {
        matches!(*x, "completion" | "completed")
            && !w[i.saturating_sub(2)..i].iter().any(|b| matches!(*b, "before" | "until"))
            && w[i + 1..]
                .iter()
                .take(3)
                .enumerate()
                .any(|(k, n)| STUDY_NOUNS.contains(n) && !w.get(i + k + 2).is_some_and(|m| MEDICINES.contains(m)))
    });
    // "Exposure to more than four new chemical entities within 12 months": earlier first-in-human
    // trials, counted as participation (a new chemical entity is given only in a trial).
    let new_entities = w.windows(3).any(|p| matches!(p, ["new", "chemical", "entity" | "entities"]));
    roll_over || rescreen || completed || new_entities
}

/// What one attends or keeps: the study's visits and appointments.
static APPOINTMENTS: WordSet = WordSet::new("visits visit appointments appointment sessions clinic");

/// A judgement by the doctor or the study team in words other than "investigator": someone judges
/// ("The treating physician considers ..."), the patient is judged suitable or stable ("Deemed
/// medically stable"), or the study's results would suffer ("Would influence the results of the
/// study").
fn judged(w: &[&str], no_values: bool) -> bool {
    let judging = w.iter().any(|x| JUDGING.contains(x));
    let by_someone = judging && judge_named(w);
    // Suitability shortly after the judging word ("considered unsuitable for inclusion"), not a
    // definition that goes on ("Women are considered post-menopausal if ... with an appropriate
    // ...").
    let suitable = w
        .iter()
        .enumerate()
        .any(|(i, x)| JUDGING.contains(x) && w[i + 1..].iter().take(6).any(|n| SUITABILITY.contains(n)));
    let medically = pair(w, |x| x == "medically", |x| matches!(x, "stable" | "unstable" | "suitable" | "unsuitable"));
    let effect = w.iter().enumerate().any(|(i, x)| STUDY_EFFECTS.contains(x) && affects_the_study(&w[i + 1..]));
    // "Any other situation evaluated by researchers", "identified by the interventional radiologist";
    // a score "rated by the treating clinician" or a "diagnosis by the attending physician" is what
    // was found, so only a verb of judging before "by" counts, and never beside a value.
    let by_judge = no_values
        && w.windows(2).enumerate().any(|(i, p)| {
            VERDICTS.contains(p[0]) && p[1] == "by" && w[i + 2..].iter().take(3).any(|n| JUDGES.contains(n))
        });
    by_someone || suitable || medically || effect || by_judge
}

/// Whether the words after an effect verb name the study or its results ("interfere with the
/// study", "affect successful completion of the study"), not a body part the study examines ("the
/// study eye") nor nothing at all ("blunted affect").
fn affects_the_study(after: &[&str]) -> bool {
    after.iter().take(5).enumerate().any(|(k, n)| {
        let study_eye = matches!(after.get(k + 1), Some(&("eye" | "eyes")));
        matches!(*n, "study" | "trial" | "results" | "outcome" | "outcomes" | "completion") && !study_eye
    })
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, NonComputableReason};

    fn reason(text: &str) -> Option<NonComputableReason> {
        match parse_criteria(text).first().map(|c| c.computable.as_slice()) {
            Some([Computable::NotComputable { reason }]) => Some(*reason),
            _ => None,
        }
    }

    fn all(texts: &[&str], expected: NonComputableReason) {
        for text in texts {
            assert_eq!(reason(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn what_the_study_allows_or_does_not_require_is_a_permission() {
        all(
            &[
                "Earlier radiosensitisers allowed",
                "Interval cytoreduction is permitted.",
                "Local review of the slides is not mandatory",
                "Missing archival slides are not a reason to exclude the patient",
                "If the last infusion was more than 2 years ago, the subject is eligible.",
                "A two week washout is preferred where feasible.",
            ],
            NonComputableReason::Permission,
        );
        // A prohibition, a condition of eligibility, a restriction, or a grant in a later sentence
        // or in brackets is no permission.
        for text in [
            "Nasogastric administration is not allowed.",
            "To be eligible, patients should be Stevens class 3 or better",
            "Only one member per family is eligible.",
            "Steady weekly dose for 6 weeks. Changes of 10% are allowed",
            "Eligible for thrombectomy",
            "Transaminases must be in the acceptable range.",
        ] {
            assert_ne!(reason(text), Some(NonComputableReason::Permission), "{text}");
        }
    }

    #[test]
    fn the_specimen_the_study_needs_is_protocol_defined() {
        all(
            &[
                "Paraffin blocks must be available for central review",
                "No archived tissue for the translational study",
                "Cytological material alone is not sufficient.",
            ],
            NonComputableReason::ProtocolDefined,
        );
        // A result read on the specimen is a finding.
        assert_ne!(
            reason("Nuclear staining in > 30% of cells of the specimen submitted"),
            Some(NonComputableReason::ProtocolDefined)
        );
    }

    #[test]
    fn refusing_and_consenting_in_other_words_is_consent() {
        all(
            &[
                "Refusal by the patient",
                "Unwilling to give up the night shift",
                "Participants who declined to join the registry",
                "Grasps the purpose and risks of the study and understands them",
                "Vulnerable adults",
                "Signed ICF",
            ],
            NonComputableReason::Consent,
        );
        // The doctor refusing is the doctor's judgement.
        assert_eq!(
            reason("Entry declined by the treating physician"),
            Some(NonComputableReason::InvestigatorJudgement)
        );
        // An age with its value stays an age requirement.
        assert_ne!(reason("Aged 16 to 17 years must also give assent"), Some(NonComputableReason::Consent));
    }

    #[test]
    fn support_and_keeping_to_the_schedule() {
        all(
            &["Must have a dependable caregiver", "Has a study partner who sees them weekly"],
            NonComputableReason::Ability,
        );
        all(
            &[
                "Available to attend all study visits for 6 months",
                "Likely to complete the trial as planned",
                "Keeps an electronic diary on at least 5 of 7 days of the run-in",
                "Unlikely to meet the requirements of the protocol",
                "Has no access to a telephone",
                "Accompanies the participant to and from the study visits",
            ],
            NonComputableReason::Compliance,
        );
        // A washout that ends before the study, and a measure read from a diary, are not
        // compliance.
        for text in [
            "Prior radiosurgery should complete 10 days before study treatment",
            "Wake time as recorded in the sleep diary completed on 5 mornings",
        ] {
            assert_ne!(reason(text), Some(NonComputableReason::Compliance), "{text}");
        }
    }

    #[test]
    fn the_doctors_judgement_in_other_words() {
        all(
            &[
                "The treating doctor considers the patient unsuitable for the trial",
                "Deemed medically stable",
                "Circumstances that could influence the results of the study",
                "Other situations evaluated by the researchers",
            ],
            NonComputableReason::InvestigatorJudgement,
        );
        // A score a clinician rates, and an affect that is blunted, are findings.
        for text in [
            "a score of 4 or more on item 2 as rated by the treating clinician",
            "Negative symptoms at study start: blunted affect, alogia",
            "Opacities in the study eye which may interfere with acuity in the study eye",
        ] {
            assert_ne!(reason(text), Some(NonComputableReason::InvestigatorJudgement), "{text}");
        }
    }

    #[test]
    fn medicines_named_by_the_protocols_list_are_protocol_defined() {
        all(
            &[
                "Ongoing use of any excluded medication",
                "No concomitant CYP2C8 or CYP3A5 modifiers",
                "Moderate inducers of CYP3A4 within 2 weeks of the first dose",
                "that are mainly metabolised through CYP2D6",
            ],
            NonComputableReason::ProtocolDefined,
        );
        // The person's own enzyme is a genotype, and a drug class by its target is a medicine.
        for text in [
            "Known to be a CYP2D6 poor metaboliser by genotyping",
            "Received another kinase inhibitor that needs a one week washout",
            "Takes an excluded medication, or took metformin in the last 3 months",
        ] {
            assert_ne!(reason(text), Some(NonComputableReason::ProtocolDefined), "{text}");
        }
    }

    #[test]
    fn where_one_lives_is_checked_at_screening_and_legal_custody_is_protected() {
        all(
            &[
                "Lives in the Canterbury district",
                "Must live within 50 km of the clinic",
                "Permanent resident of the county",
                "Has access to a means of communication with the study team",
            ],
            NonComputableReason::Ability,
        );
        all(
            &["Persons held in an institution by order of a court", "Is currently incarcerated"],
            NonComputableReason::Consent,
        );
        // A laboratory's institution is no custody.
        assert_ne!(reason("Bilirubin within institutional limits"), Some(NonComputableReason::Consent));
    }

    #[test]
    fn health_as_a_whole_and_contraindications_are_judgements() {
        all(
            &[
                "Good overall health",
                "In generally stable health",
                "Has the potential to safely benefit from taking part",
                "No known contraindication to the proposed regimen",
            ],
            NonComputableReason::InvestigatorJudgement,
        );
        // A condition named beside the judgement stays to be read; a contraindication after
        // "unless" qualifies a prior treatment.
        for text in [
            "Otherwise stable health apart from asthma",
            "Prior platinum, unless platinum was contraindicated",
            "World Health Organization grade 2",
            "Ongoing use of warfarin is contraindicated",
        ] {
            assert_ne!(reason(text), Some(NonComputableReason::InvestigatorJudgement), "{text}");
        }
    }

    #[test]
    fn candidacy_for_a_treatment_is_the_doctors_judgement() {
        all(
            &[
                "Must be a surgical candidate",
                "Eligible for XQ-12 monotherapy",
                "Not a candidate for the XQ-12 regimen",
            ],
            NonComputableReason::InvestigatorJudgement,
        );
        for text in [
            "Stage IA disease is not eligible for the adjuvant part",
            "Children will be eligible for future paediatric trials",
            "Must take XQ-12 twice daily to be eligible for Regimen 2",
            "Skin test positive for a pollen that is suitable for bronchial challenge",
        ] {
            assert_ne!(reason(text), Some(NonComputableReason::InvestigatorJudgement), "{text}");
        }
    }

    #[test]
    fn the_studys_own_sequence_is_participation() {
        all(
            &[
                "Roll-over participants from the lead-in phase",
                "Subjects may be re-screened one time",
                "Completed the week 52 visit of study ABC-101",
                "Received three or more new chemical entities in the past 6 months",
            ],
            NonComputableReason::TrialParticipation,
        );
        for text in [
            "Completed the study treatment more than 4 weeks ago",
            "Expected to die before the completion of the trial",
        ] {
            assert_ne!(reason(text), Some(NonComputableReason::TrialParticipation), "{text}");
        }
    }
}
