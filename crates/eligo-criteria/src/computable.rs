//! From what a criterion mentions to what it asks: the computable forms.
//!
//! [`requirements`] reads a criterion into one or more *requirements*, each a list of alternatives
//! (any met means met):
//!
//! * consent, language or compliance stated first ("Agree to ...", "Willing to ...") →
//!   [`Computable::NotComputable`] alone;
//! * otherwise, each kind found gives a requirement: age thresholds → [`Computable::Age`] (with the
//!   sex an inclusion states beside it, [`crate::demographics`]); pregnancy, lactation,
//!   contraception → [`Computable::Pregnancy`]; performance status ([`crate::performance`]) and
//!   tumour markers ([`crate::markers`]) → score and qualitative labs; lab values, vitals and scores
//!   with a threshold or a qualitative result → one [`Computable::Lab`] per test (measurements
//!   joined by "or" share the threshold written after them: "ALT or AST > 2 ULN"); per clause
//!   (split at ";", ", or", ", and", sentence ends) drugs → [`Computable::PriorTherapy`] with dose,
//!   infections → [`Computable::Infection`], conditions → [`Computable::Condition`] with status,
//!   procedures → [`Computable::Procedure`]; a time window belongs to the mention it follows;
//! * a sex restriction stated alone → [`Computable::Sex`]; else an exposure to the trial's own
//!   intervention ([`crate::intervention`]) → [`Computable::PriorTherapy`];
//! * nothing → `NotComputable` with the reason (trial participation, investigator judgement,
//!   unstructured): never dropped.
//!
//! Investigator judgement is added as one more alternative when the criterion also leaves it to the
//! investigator: with three-valued logic an unknown alternative never turns "not met" into "met".

use eligo_model::{
    Comparison, Computable, ConceptRef, ConditionStatus, Duration, EntityType, NonComputableReason, Operator,
    PregnancyState, QualifierKind, Scope, Section, Sex, TimeUnit, TimeWindow, LOWER_LIMIT_UNIT, TRIAL_CONDITION,
};
use eligo_vocab::Vocabulary;

use crate::allergy::{allergy, without_the_allergy};
use crate::childbearing::{childbearing_potential, Childbearing};
use crate::cues::{Cue, CueKind};
use crate::demographics::{bare_age, is_age_topic, life_stage_age, people_before, sex_beside_age, sex_of_cues};
use crate::intervention::trial_intervention;
use crate::markers::{
    drop_narrowing_labs, expand_marker_defined, marker_requirements, narrow_conditions, read_markers,
};
use crate::named_finding::named_findings;
use crate::own_disease::own_disease_condition;
use crate::parse::{comparison, window, Analysis, LocatedMention};
use crate::performance::{is_performance_scale, performance};
use crate::quantity::{Quantity, TimeRole};
use crate::recognize::Mention;
use crate::scope::{add_exceptions, clause_scope, is_event, ClauseScope};
use crate::stable_dose::stable_dose;
use crate::test_status::test_status;
use crate::text::{Token, TokenKind};

/// The requirements one criterion states, and whether it is phrased negatively. Each requirement is
/// a list of alternatives (any met means met). A sentence that states requirements of different
/// kinds ("adults aged 18-80 with dcSSc ... and a modified Rodnan skin score over 14") gives several
/// requirements; the caller makes one criterion of each, which reads right in both sections: all
/// inclusion criteria must hold, any exclusion criterion excludes.
/// `topic` is what the heading the criterion stands under names ("Performance status" for a bare
/// "0-2", "Age" for "18 and over").
pub(crate) fn requirements(section: Section, topic: Option<&str>, a: &Analysis) -> (Vec<Vec<Computable>>, bool) {
    // "Methotrexate-naïve": no prior methotrexate (see `naive`).
    let negated = is_negated(a) || crate::naive::naive(a).negates;
    let judgement = a.cues.iter().any(|c| c.kind == CueKind::NonComputable(NonComputableReason::InvestigatorJudgement));
    // "Agrees to use effective contraception" is a contraception requirement, not only consent.
    let contraception = a.cues.iter().any(|c| c.kind == CueKind::Pregnancy(PregnancyState::Contraception));
    if let Some(reason) = administrative(a, true).filter(|_| !contraception) {
        return (vec![vec![Computable::NotComputable { reason }]], negated);
    }
    if crate::process::barred_medicines_only(a) {
        return (vec![vec![Computable::NotComputable { reason: NonComputableReason::ProtocolDefined }]], negated);
    }
    // A marker in the group a rule is for ("Patients with ER+ breast cancer must have received ...")
    // says whom it applies to (`roles::applies_if`), not what it requires.
    let (group_markers, markers): (Vec<_>, Vec<_>) =
        read_markers(a).into_iter().partition(|b| b.readings.iter().all(|r| a.mentions[r.mention].1 .1 <= a.group_end));
    let marker_mentions: Vec<usize> =
        markers.iter().chain(&group_markers).flat_map(|b| b.readings.iter().map(|r| r.mention)).collect();
    let mut groups: Vec<Vec<Computable>> = [age(a, topic), pregnancy(a, section), performance(a, topic)]
        .into_iter()
        .flatten()
        .chain(marker_requirements(&markers))
        .chain([labs(a, &marker_mentions), clinical(a)].into_iter().flatten())
        .filter(|g| !g.is_empty())
        .collect();
    if negated_pregnancy_beside_demographics(a) {
        let is_pregnancy = |g: &Vec<Computable>| g.iter().any(|c| matches!(c, Computable::Pregnancy { .. }));
        let not_pregnant = |g: &Vec<Computable>| {
            g.iter().all(|c| matches!(c, Computable::Pregnancy { state } if *state != PregnancyState::Contraception))
        };
        if section == Section::Inclusion && sex_of_cues(a) == Some(Sex::All) && groups.iter().all(not_pregnant) {
            // "Male or a non-pregnant, non-lactating female": every sex is admitted, so the one
            // requirement is that a woman is not pregnant or breast-feeding (a man meets it as a
            // rule about a group he is not in).
            return (groups, true);
        }
        // "Males and non-pregnant women aged 18-50": the ages and sexes are the requirement; the
        // pregnancy word is negated on its own, which one criterion cannot say, and the trial's
        // pregnancy exclusion says it anyway.
        groups.retain(|g| !is_pregnancy(g));
    }
    drop_reproductive_states_beside_pregnancy(a, &mut groups);
    if let Some(allergy) = allergy(a) {
        // "Known hypersensitivity to etoposide": an allergy, not the disease nor the therapy.
        for group in groups.iter_mut() {
            *group = std::mem::take(group).into_iter().filter_map(|c| without_the_allergy(a, c, &allergy)).collect();
        }
        groups.retain(|g| !g.is_empty());
        groups.push(vec![allergy]);
    }
    // "Unresolved toxicity from prior chemotherapy": the toxicity, not the chemotherapy.
    crate::toxicity::read_the_harm_not_its_cause(a, &mut groups);
    if !groups.iter().flatten().any(|c| matches!(c, Computable::Age { .. })) {
        // "Preterm and neonates, pregnancy": age groups listed as who is excluded (or admitted).
        groups.splice(0..0, life_stage_age(a));
    }
    let narrowing = narrow_conditions(a, &markers, &mut groups);
    expand_marker_defined(&mut groups);
    if section == Section::Exclusion {
        drop_narrowing_labs(&mut groups, &narrowing);
    }
    if groups.is_empty() {
        // "Female subjects must be of non-childbearing potential": the potential, not the sex.
        match childbearing_potential(a) {
            Some(Childbearing::Requirement { reading, negated }) => return (vec![vec![reading]], negated),
            Some(Childbearing::Definition(structure)) => return (vec![vec![structure]], false),
            None => {}
        }
    }
    if groups.is_empty() {
        groups.extend(sex(a, section));
    } else {
        groups.extend(sex_beside_age(a, section, &groups));
    }
    if groups.is_empty() {
        groups.extend(trial_intervention(a));
    }
    if groups.is_empty() {
        groups.extend(test_status(a));
    }
    if groups.is_empty() {
        groups.extend(stable_dose(a).map(|c| vec![c]));
    }
    if groups.is_empty() {
        groups.extend(crate::acuity::acuity(a).map(|c| vec![c]));
    }
    if groups.iter().flatten().all(names_only_text) {
        // "A relapsing-remitting disease course": a generic head whose only other words are
        // qualifiers is the trial's own disease, not an unnamed one.
        if let Some(own) = own_disease_condition(a) {
            groups = vec![vec![own]];
        }
    }
    if groups.is_empty() {
        groups.extend(text_condition(a, named_findings(a)));
    }
    if groups.is_empty() {
        let reason = administrative(a, false).unwrap_or(if judgement {
            NonComputableReason::InvestigatorJudgement
        } else {
            NonComputableReason::Unstructured
        });
        groups.push(vec![Computable::NotComputable { reason }]);
    } else if judgement {
        // "... or, in the investigator's opinion, any other condition": one more way to be met.
        if let Some(last) = groups.last_mut() {
            last.push(Computable::NotComputable { reason: NonComputableReason::InvestigatorJudgement });
        }
    }
    (groups, negated)
}

/// A finding named by its words ("History of neurogenic bladder", a bare "Psychotic features"),
/// with the status and time window the criterion gives it; see [`crate::named_finding`].
pub(crate) fn text_condition(a: &Analysis, concepts: Vec<ConceptRef>) -> Option<Vec<Computable>> {
    if concepts.is_empty() {
        return None;
    }
    let status = status_in(a.cues.iter());
    let window = a.quantities.iter().find_map(|q| window(a, q));
    Some(vec![Computable::Condition { concepts, status, window, scope: Default::default() }])
}

/// Reproductive states a criterion may select women by ("Postmenopausal women", "premenopausal
/// patients on ovarian suppression").
const REPRODUCTIVE_STATES: &[&str] = &[
    "ICD10CM:Z78.0",
    "ELIGO:repro.premenopausal",
    "ELIGO:repro.perimenopausal",
    "ELIGO:repro.surgically_sterile",
    "ELIGO:repro.sexually_active",
];

/// Beside a pregnancy, lactation or contraception rule, or childbearing potential, a reproductive
/// state only says who that rule concerns ("Women of childbearing potential (not postmenopausal for
/// 12 months) must use contraception"): it is no requirement of its own.
fn drop_reproductive_states_beside_pregnancy(a: &Analysis, groups: &mut Vec<Vec<Computable>>) {
    let pregnancy_rule = a.cues.iter().any(|c| matches!(c.kind, CueKind::Pregnancy(_)))
        || a.tokens.iter().any(|t| t.lower.contains("bearing"));
    if !pregnancy_rule {
        return;
    }
    let is_state = |c: &Computable| {
        matches!(c, Computable::Condition { concepts, .. }
            if concepts.iter().all(|k| REPRODUCTIVE_STATES.contains(&k.id.as_str())))
    };
    for group in groups.iter_mut() {
        group.retain(|c| !is_state(c));
    }
    groups.retain(|g| !g.is_empty());
}

/// Consent, language, compliance, trial participation: never computable from a record. With
/// `at_start`, only a cue among the first words counts (the criterion is *about* consenting: "Agree
/// to receive ..."); otherwise anywhere ("≥ 18 years of age at time of informed consent" is an age
/// criterion). Trial participation with a named drug is a prior-therapy criterion instead.
fn administrative(a: &Analysis, at_start: bool) -> Option<NonComputableReason> {
    let names_drug = a.mentions.iter().any(|(m, _)| m.kind == EntityType::Drug && m.concept.is_some());
    a.cues.iter().find_map(|c| match c.kind {
        CueKind::NonComputable(NonComputableReason::InvestigatorJudgement) => None,
        CueKind::NonComputable(NonComputableReason::TrialParticipation) if names_drug => None,
        CueKind::NonComputable(r) if !at_start || c.tokens.0 < 3 => Some(r),
        _ => None,
    })
}

/// Every time window in the criterion with the mention it belongs to: the nearest clinical mention
/// before it in the same sentence ("rituximab within six months", "dcSSc, diagnosed within the last
/// 3 years"), or none when the window comes first ("Within 10 days before ..., IgG < 4 g/L": it then
/// applies to what follows).
fn owned_windows(a: &Analysis) -> Vec<OwnedWindow> {
    a.quantities
        .iter()
        .filter_map(|q| {
            let w = window(a, q)?;
            let owner = a
                .mentions
                .iter()
                .enumerate()
                .filter(|(_, (_, r))| r.1 <= q.tokens.0 && !sentence_break(a, r.1, q.tokens.0))
                .max_by_key(|(_, (_, r))| r.1)
                .map(|(i, _)| i);
            Some(OwnedWindow { owner, at: q.tokens.0, window: w })
        })
        .collect()
}

/// A time window, the index of the mention it belongs to (if any) and the token it starts at.
struct OwnedWindow {
    owner: Option<usize>,
    at: usize,
    window: TimeWindow,
}

/// Whether a sentence or clause boundary (";", a full stop) lies between two token positions.
fn sentence_break(a: &Analysis, from: usize, to: usize) -> bool {
    a.tokens[from.min(to)..to].iter().any(|t| t.lower == ";" || t.lower == ".")
}

/// The window for mention `index`: one it owns, or an unowned one written before it. The
/// quantity starting at `value_at` is the mention's value, never its window as well ("expected to
/// survive for at least 3 months" is a life expectancy of 3 months, not one held for 3 months).
fn window_of(
    windows: &[OwnedWindow],
    index: usize,
    mention_start: usize,
    value_at: Option<usize>,
) -> Option<TimeWindow> {
    let candidates = || windows.iter().filter(|w| Some(w.at) != value_at);
    candidates()
        .find(|w| w.owner == Some(index))
        .or_else(|| candidates().find(|w| w.owner.is_none() && w.at <= mention_start))
        .map(|w| w.window.clone())
}

/// Words that make an age or a condition someone else's.
pub(crate) const FAMILY_WORDS: &[&str] = &[
    "relative",
    "relatives",
    "mother",
    "father",
    "parent",
    "parents",
    "sibling",
    "siblings",
    "brother",
    "sister",
    "family",
    "grandparent",
    "offspring",
    "child's",
    "partner",
];

/// Time quantities that are ages: in years (or months for infants), not a time window, in a
/// criterion that speaks of age ("Age 5-18 years", "18 years of age or older", "aged ≥ 18") or
/// under an age heading (`topic`: "18 and over").
/// Words by which a criterion defines a group it names ("Menopause is defined as ...").
const DEFINING_WORDS: [&str; 4] = ["defined", "definition", "meaning", "means"];

/// Where a criterion first speaks of childbearing potential, menopause, menses or contraception. Ages written after it define that group ("post-menopausal, i.e. over 45 years
/// with no menses for 12 months"; "women of childbearing potential ... under 50"), they do not
/// limit who may join: the registry's and the criterion's own leading ages do that.
fn reproductive_status_at(a: &Analysis) -> Option<usize> {
    // "childbearing" arrives as "child" "bearing".
    const STEMS: [&str; 8] =
        ["menopaus", "menses", "menstru", "amenorr", "bearing", "reproductive", "contracept", "steril"];
    let by_word = a.tokens.iter().position(|t| STEMS.iter().any(|stem| t.lower.contains(stem)));
    // Being pregnant is no group with an age ("Men and non-pregnant women aged 20-60").
    let by_cue =
        a.cues.iter().filter(|c| c.kind == CueKind::Pregnancy(PregnancyState::Contraception)).map(|c| c.tokens.0).min();
    by_word.into_iter().chain(by_cue).min()
}

fn age(a: &Analysis, topic: Option<&str>) -> Option<Vec<Computable>> {
    let age_topic = is_age_topic(topic);
    let speaks_of_age = age_topic
        || a.cues.iter().any(|c| c.kind == CueKind::Age)
        || a.cues.iter().any(|c| matches!(c.kind, CueKind::Sex(id) if id.starts_with("ELIGO:lifestage")))
        || a.tokens.windows(2).any(|w| matches!(w[0].lower.as_str(), "older" | "younger") && w[1].lower == "than");
    // "aged 18-80": a number right after an age word is in years even without a unit.
    // "under age 18": the age word may also stand between the operator and the number.
    // "in the age range of 18-79": a few words naming the range may stand between them.
    let range_words_between = |from: usize, to: usize| {
        a.tokens.get(from..to).is_some_and(|ts| {
            ts.len() <= 3
                && ts.iter().all(|t| matches!(t.lower.as_str(), "range" | "group" | "limit" | "limits" | "of"))
        })
    };
    let right_after_age_word = |q: &Quantity| {
        a.cues.iter().any(|c| {
            let before = c.tokens.1 <= q.tokens.0
                && (q.tokens.0 <= c.tokens.1 + 1 || range_words_between(c.tokens.1, q.tokens.0));
            let inside = q.tokens.0 <= c.tokens.0 && c.tokens.1 <= q.value_token;
            c.kind == CueKind::Age && (before || inside)
        })
    };
    // "18 years old", "18 years of age": the age word right after the quantity.
    let age_word_after = |q: &Quantity| {
        a.cues.iter().any(|c| c.kind == CueKind::Age && (q.tokens.1..=q.tokens.1 + 1).contains(&c.tokens.0))
    };
    let is_age = |q: &&Quantity| {
        // Newborns' ages are in days or weeks: any time unit right after an age word ("Age > 1 day").
        let age_unit = matches!(q.time_unit, Some(TimeUnit::Years | TimeUnit::Months))
            || (q.time_unit.is_some() && right_after_age_word(q));
        let in_years =
            age_unit && matches!(q.time_role, Some(TimeRole::Plain)) && (speaks_of_age || q.operator_tokens.is_some());
        (in_years
            || (q.unit.is_none() && (age_topic || right_after_age_word(q) || age_word_after(q) || bare_age(a, q))))
            && q.value <= 130.0
    };
    // Without an age word, a bare "≥ 18 years" is an age only where the criterion starts with it
    // ("Patients ≥ 18 years") or names the people it is about ("Male and female patients of any race
    // 18 years or older"), not inside ("post-menopausal (≥ 1 year)").
    // A single age without an operator is one only with an age word beside it ("must be 18 years
    // old", "Age 18 years"); "therapy 2 years" is a duration, and after a preposition it is the age
    // at an event ("diagnosed prior to 16 years of age").
    let after_preposition = |q: &Quantity| {
        q.tokens.0.checked_sub(1).and_then(|k| a.tokens.get(k)).is_some_and(|t| {
            matches!(t.lower.as_str(), "to" | "before" | "after" | "at" | "by" | "until" | "since" | "from" | "of")
        })
    };
    let stated_as_age = |q: &&Quantity| {
        q.operator != Operator::Eq || ((right_after_age_word(q) || age_word_after(q)) && !after_preposition(q))
    };
    let mut ages: Vec<&Quantity> = a
        .quantities
        .iter()
        .filter(is_age)
        .filter(stated_as_age)
        .filter(|q| speaks_of_age || q.tokens.0 <= 2 || people_before(a, q.tokens.0))
        .collect();
    if !ages.is_empty() {
        // "(of non-childbearing potential) subjects, aged 18-50": an age word right before the
        // number makes it the subjects' age wherever it stands.
        // But not where the sentence defines the group ("Menopause is defined as over age of 60
        // years"): that age is part of the definition.
        let reproductive = reproductive_status_at(a);
        let defines = |at: usize, q: &Quantity| {
            a.tokens[at..q.tokens.0.min(a.tokens.len())].iter().any(|t| DEFINING_WORDS.contains(&t.lower.as_str()))
        };
        ages.retain(|q| match reproductive {
            None => true,
            Some(at) => q.tokens.0 < at || (right_after_age_word(q) && !defines(at, q)),
        });
    }
    // "first-degree relative < 45 years": someone else's age.
    let family = a.tokens.iter().any(|t| FAMILY_WORDS.contains(&t.lower.as_str()));
    if ages.is_empty() || family {
        return None;
    }
    if !speaks_of_age && a.mentions.iter().any(|(m, _)| m.kind != EntityType::Condition || m.concept.is_some()) {
        // "disease duration > 5 years": a time quantity about something else.
        return None;
    }
    // "≥ 18 years and ≤ 78 years": bounds from every age quantity. Two bounds of one side are
    // alternatives ("12 years or older; 18 or older where regulations admit adults only"): the
    // most permissive holds.
    let (mut min, mut max): (Option<Duration>, Option<Duration>) = (None, None);
    let lower = |old: Option<Duration>, new: Option<Duration>| match (old, new) {
        (Some(o), Some(n)) if o.as_days() <= n.as_days() => Some(o),
        (o, n) => n.or(o),
    };
    let higher = |old: Option<Duration>, new: Option<Duration>| match (old, new) {
        (Some(o), Some(n)) if o.as_days() >= n.as_days() => Some(o),
        (o, n) => n.or(o),
    };
    for q in ages {
        let at = |v: f64| Some(Duration::new(v, q.time_unit.unwrap_or(TimeUnit::Years)));
        match q.operator {
            Operator::Range => (min, max) = (lower(min, at(q.value)), higher(max, q.value_high.and_then(at))),
            Operator::Gt | Operator::Ge => min = lower(min, at(q.value)),
            Operator::Lt | Operator::Le => max = higher(max, at(q.value)),
            // "Patients must be 18 years old", "Age 18 years": a single age stated as the
            // requirement is the age of entry (registries write it for the legal age).
            Operator::Eq => min = lower(min, at(q.value)),
            Operator::Ne => {}
        }
    }
    if min.is_none() && max.is_none() {
        return None;
    }
    Some(vec![Computable::Age { min, max }])
}

fn pregnancy(a: &Analysis, section: Section) -> Option<Vec<Computable>> {
    let mut states: Vec<PregnancyState> = Vec::new();
    for c in &a.cues {
        if let CueKind::Pregnancy(state) = c.kind {
            if !states.contains(&state) {
                states.push(state);
            }
        }
    }
    // "Women of childbearing potential must use contraception": in an inclusion, contraception is
    // the requirement and "pregnancy" only says why.
    if section == Section::Inclusion && states.contains(&PregnancyState::Contraception) {
        states.retain(|s| *s == PregnancyState::Contraception);
    }
    (!states.is_empty()).then(|| states.into_iter().map(|state| Computable::Pregnancy { state }).collect())
}

/// Measurements paired with the threshold written after them; `markers` (mention indexes) were read
/// as tumour markers already.
fn labs(a: &Analysis, markers: &[usize]) -> Option<Vec<Computable>> {
    let thresholds: Vec<&Quantity> =
        a.quantities.iter().filter(|q| q.time_role.is_none() || q.time_role == Some(TimeRole::Plain)).collect();
    let windows = owned_windows(a);
    let mut out = Vec::new();
    let mut pending: Vec<(usize, &LocatedMention)> = Vec::new();
    // Performance scales are read by `performance`; they still end the previous test's reach.
    let tests = a.mentions.iter().enumerate().filter(|(i, (m, _))| {
        m.kind == EntityType::Measurement
            && !m.concept.as_ref().is_some_and(|c| is_performance_scale(&c.id) || c.id == crate::acuity::ACUITY)
            && !markers.contains(i)
    });
    for (index, item) in tests {
        let (test, range) = item;
        // A duration test's value is the first time quantity with an operator after it, even one
        // the words around it make look like a window ("life expectancy ≥ 12 weeks from
        // randomisation").
        let duration_test = test.concept.as_ref().is_some_and(|c| DURATION_TESTS.contains(&c.id.as_str()));
        let duration =
            a.quantities.iter().filter(|q| duration_test && q.time_unit.is_some() && q.operator_tokens.is_some());
        let next_measurement = a
            .mentions
            .iter()
            .filter(|(m, r)| m.kind == EntityType::Measurement && r.0 >= range.1)
            .map(|(_, r)| r.0)
            .min()
            .unwrap_or(usize::MAX);
        pending.push((index, item));
        // "30 mg/dL of BUN or 2.0 mg/dL of creatinine": a value written just before the next test,
        // with "of", is that test's, never this one's; a share stays this one's ("weight loss of
        // 10% of body weight").
        let of_next = |q: &&Quantity| {
            a.tokens.get(q.tokens.1).is_some_and(|t| t.lower == "of")
                && q.tokens.1 + 1 == next_measurement
                && q.unit.as_deref() != Some("%")
        };
        let reach = |q: &&Quantity| q.tokens.0 >= range.1 && q.tokens.0 < next_measurement && !of_next(q);
        // "≥ 6 swollen joints": a count written before the unnamed thing it counts (see
        // `crate::test_names`). A known test keeps its threshold after it: in ">20% weight loss" the
        // share is of the loss, not the weight.
        let counted_test = test.concept.as_ref().filter(|c| crate::counted::is_counted(&c.id));
        let counted = |q: &&Quantity| {
            let ends_at_name =
                q.tokens.1 == range.0 || (q.tokens.1 + 1 == range.0 && a.tokens[q.tokens.1].lower == "of");
            // "7 units of alcohol": the quantity took the name's first word as its unit.
            let unit_opens_name = counted_test.is_some() && q.unit_tokens.is_some_and(|u| u.0 == range.0);
            // "a score of ≥ 12 on the Epworth Sleepiness Scale": a score's value before the
            // instrument it is on.
            let scored_on = crate::test_names::is_score_on(&a.tokens, q, *range);
            ((test.concept.is_none() || counted_test.is_some()) && (ends_at_name || unit_opens_name)) || scored_on
        };
        let after = thresholds.iter().copied().find(reach).or_else(|| duration.clone().find(reach));
        // "at least 12 weeks life expectancy": a duration written right before its test.
        let before =
            || thresholds.iter().copied().find(counted).or_else(|| duration.clone().find(|q| q.tokens.1 == range.0));
        // A test named by what it counts takes the count written before it first.
        let found = if counted_test.is_some() { before().or(after) } else { after };
        let Some(q) = found.or_else(before) else {
            // Each result is an alternative ("abnormal": above the upper limit or below the lower).
            let results = qualitative_result(a, range.1, next_measurement)
                .or_else(|| result_before_first_test(a, &pending))
                .map(|r| (r, false))
                .or_else(|| normal_limit(a, range.1, next_measurement).map(against_a_limit))
                .map(|r| vec![r])
                .or_else(|| outside_normal_range(a, test, range.1, next_measurement))
                .or_else(|| normal_before_first_test(a, &pending));
            if let Some(results) = results {
                for (index, (m, range)) in pending.drain(..) {
                    out.extend(results.iter().map(|(result, uln_multiple)| Computable::Lab {
                        test: test_or_text(m, a),
                        comparison: result.clone(),
                        uln_multiple: *uln_multiple,
                        window: window_of(&windows, index, range.0, None),
                    }));
                }
            }
            continue;
        };
        let mut threshold = without_spans(comparison(a, q, 0));
        // A count before a test named by what it counts ("3 alcoholic drinks per day") is read
        // with the unit it is counted in, or not at all.
        if let Some(c) = counted_test {
            let Some(with_unit) = crate::counted::counted_comparison(a, &c.id, *range, threshold) else {
                pending.clear();
                continue;
            };
            threshold = with_unit;
        }
        for (index, (m, range)) in pending.drain(..) {
            out.push(Computable::Lab {
                test: test_or_text(m, a),
                comparison: threshold.clone(),
                uln_multiple: q.uln_multiple,
                window: window_of(&windows, index, range.0, Some(q.tokens.0)),
            });
        }
    }
    // "Body mass index (BMI) 20-40": two names of one test, one requirement (each name may carry
    // two alternatives, "abnormal ALT (SGPT)").
    let mut unique: Vec<Computable> = Vec::with_capacity(out.len());
    for reading in out {
        if !unique.contains(&reading) {
            unique.push(reading);
        }
    }
    (!unique.is_empty()).then_some(unique)
}

/// Where the list of tests coordinated with the one starting at token `first` begins: "abnormal
/// ALT, AST, or alkaline phosphatase (ALP)" is one list, so a word before its first test is said
/// of each.
fn coordination_start(a: &Analysis, first: usize) -> usize {
    let mut start = first;
    loop {
        let previous = a
            .mentions
            .iter()
            .filter(|(m, r)| m.kind == EntityType::Measurement && r.1 <= start)
            .max_by_key(|(_, r)| r.1);
        let Some((_, range)) = previous else { return start };
        let joined =
            a.tokens[range.1..start].iter().all(|t| matches!(t.lower.as_str(), "," | "or" | "and" | "(" | ")" | "/"));
        if !joined || range.0 >= start {
            return start;
        }
        start = range.0;
    }
}

/// Tests measured in time: life expectancy.
const DURATION_TESTS: &[&str] = &["ELIGO:vital.life_expectancy"];

/// A qualitative result written right before the criterion's first test ("Negative HBsAg",
/// "Detectable HBV DNA"), for the tests waiting for one.
fn result_before_first_test(a: &Analysis, pending: &[(usize, &LocatedMention)]) -> Option<Comparison> {
    let (_, (_, (first, _))) = pending.first()?;
    let earlier_test = a.mentions.iter().any(|(m, r)| m.kind == EntityType::Measurement && r.0 < *first);
    if earlier_test {
        return None;
    }
    // "A positive test for HIV antibody", "negative screening result for HBsAg", "a positive
    // pre-study urine drug screen": the result word may stand before words that name the testing
    // itself, when and where it was done.
    const TESTING_WORDS: &[&str] = &[
        "test",
        "tests",
        "result",
        "results",
        "serology",
        "screen",
        "screening",
        "for",
        "of",
        "on",
        "the",
        "a",
        "from",
        "pre",
        "-",
        "study",
        "baseline",
        "urine",
        "serum",
        "blood",
    ];
    let mut start = *first;
    while start > 0 && TESTING_WORDS.contains(&a.tokens[start - 1].lower.as_str()) {
        start -= 1;
    }
    qualitative_result(a, start.saturating_sub(2), start)
}

/// "Normal serum creatinine", "Normal TSH": the word "normal" right before the criterion's first
/// test, read as `≤ 1 × ULN` like "creatinine normal" (the same reading [`normal_limit`] gives).
/// "Elevated ALT", "high LDH", "raised serum bilirubin" are `> 1 × ULN`, "low platelet count",
/// "decreased serum albumin" `< 1 LLN`, and "abnormal TSH" is outside the normal range, `> 1 ×
/// ULN` or `< 1 LLN` (two alternatives), for laboratory tests only: a score or a vital sign has no
/// limits of normal ("high risk score" is a category). See [`level_results`].
fn normal_before_first_test(a: &Analysis, pending: &[(usize, &LocatedMention)]) -> Option<Vec<(Comparison, bool)>> {
    let (_, (test, (first, _))) = pending.first()?;
    let first = coordination_start(a, *first);
    let earlier_test = a.mentions.iter().any(|(m, r)| m.kind == EntityType::Measurement && r.0 < first);
    // "Low plasma potassium", "elevated fasting blood glucose": the specimen is said between the
    // level word and its test.
    let level_at = (0..first).rev().find(|&k| !SPECIMEN_WORDS.contains(&a.tokens[k].lower.as_str()))?;
    if earlier_test {
        return None;
    }
    let lab = test.concept.as_ref().is_some_and(|c| c.id.starts_with("ELIGO:lab."));
    let mut results = level_results(&a.tokens[level_at].lower, lab)?;
    // "High or low calcium": each level word coordinated with the one before the test adds its side.
    let mut at = level_at;
    while at >= 2 && matches!(a.tokens[at - 1].lower.as_str(), "or" | "and" | "/") {
        let Some(more) = level_results(&a.tokens[at - 2].lower, lab) else { break };
        results.extend(more.into_iter().filter(|r| !results.contains(r)).collect::<Vec<_>>());
        at -= 2;
    }
    Some(results)
}

/// What a level word before a test says of its value: "normal" `≤ 1 × ULN`, "elevated" `> 1 ×
/// ULN`, "low" `< 1 LLN`, "abnormal" either of the last two; the last three of laboratory tests
/// (`lab`) only. Each comparison comes with whether it is a multiple of the upper limit.
fn level_results(word: &str, lab: bool) -> Option<Vec<(Comparison, bool)>> {
    let above = (uln_comparison(Operator::Gt), true);
    let below = (Comparison::new(Operator::Lt, 1.0, None, Some(LOWER_LIMIT_UNIT)), false);
    match word {
        "normal" => Some(vec![(uln_comparison(Operator::Le), true)]),
        "elevated" | "raised" | "increased" | "high" if lab => Some(vec![above]),
        "low" | "decreased" | "reduced" if lab => Some(vec![below]),
        "abnormal" if lab => Some(vec![above, below]),
        _ => None,
    }
}

/// A qualitative result written after a test ("HBsAg positive", "HIV test reactive", "HCV RNA
/// undetectable"): a comparison `= 1` in the unit `positive` or `negative`.
fn qualitative_result(a: &Analysis, from: usize, until: usize) -> Option<Comparison> {
    let word = a.tokens[from..until.min(a.tokens.len()).min(from + 3)].iter().find_map(|t| match t.lower.as_str() {
        "positive" | "reactive" | "detectable" | "detected" | "seropositive" => Some("positive"),
        "negative" | "undetectable" | "nonreactive" | "seronegative" => Some("negative"),
        _ => None,
    })?;
    Some(Comparison::new(Operator::Eq, 1.0, None, Some(word)))
}

/// Words naming the specimen or state of a test, written between a level word and the test.
const SPECIMEN_WORDS: &[&str] = &["serum", "plasma", "blood", "fasting", "urine", "urinary"];

/// Words that put a value above the normal limit ("creatinine above the upper limit of normal").
const ABOVE_WORDS: &[&str] = &[">", "above", "greater", "exceeding", "exceeds", "over", "elevated", "higher", "more"];

/// Words that put a value below a limit ("potassium below the lower limit of normal").
const BELOW_WORDS: &[&str] = &["<", "below", "less", "under", "lower", "beneath", "≤"];

/// A value stated against the normal range without a number ("bilirubin normal", "creatinine within
/// normal institutional limits", "ALT ≤ ULN", "above the upper limit of normal"): `≤ 1 × ULN`, or
/// `> 1 × ULN` after a word for above. Against the lower limit ("potassium ≥ LLN", "albumin below
/// the lower limit of normal", "LVEF at or above the institutional lower limit of normal"): `≥ 1
/// lln`, or `< 1 lln` after a word for below.
fn normal_limit(a: &Analysis, from: usize, until: usize) -> Option<Comparison> {
    let mut operator = Operator::Le;
    let tokens = a.tokens.get(from..until.min(from + 8).min(a.tokens.len()))?;
    for (k, t) in tokens.iter().enumerate() {
        let next = tokens.get(k + 1).map(|n| n.lower.as_str());
        // "less than or equal to ULN", "< or = ULN", "at or above LLN": this "or" is part of the
        // operator, not a second test.
        let or_equal = t.lower == "or"
            && next.is_some_and(|n| matches!(n, "equal" | "=") || ABOVE_WORDS.contains(&n) || BELOW_WORDS.contains(&n));
        let limit_follows = matches!(next, Some("limit" | "limits" | "normal"));
        match t.lower.as_str() {
            "or" if or_equal => {}
            // "... to the upper limit of normal": the limit is named before the word "normal".
            "upper" if limit_follows => return Some(uln_comparison(operator)),
            "lower" if limit_follows => return Some(lln_comparison(&tokens[..k])),
            "lln" => return Some(lln_comparison(&tokens[..k])),
            // "outside the normal range" is either side of it (`level_results` of "abnormal").
            ";" | "," | "." | "and" | "or" | "outside" | "beyond" => return None,
            "normal" | "wnl" | "uln" | "unl" => return Some(uln_comparison(operator)),
            // "AFP is ≥ ULN": at or above the limit.
            "≥" => operator = Operator::Ge,
            word if ABOVE_WORDS.contains(&word) => operator = Operator::Gt,
            _ => {}
        }
    }
    None
}

/// "Serum chloride outside the normal reference range", "potassium outside normal limits": a
/// laboratory value on either side of the normal range, read as "abnormal" before a test is.
fn outside_normal_range(a: &Analysis, test: &Mention, from: usize, until: usize) -> Option<Vec<(Comparison, bool)>> {
    // "White blood cell (WBC) count outside ...": the test's abbreviation and head noun may come first.
    let tokens = a.tokens.get(from..until.min(from + 8).min(a.tokens.len()))?;
    let at = tokens.iter().take(3).position(|t| t.lower == "outside")?;
    // "outside 1.5 x upper normal range" is a multiple of the limit, not the range itself.
    let limit = tokens[at..].iter().position(|t| matches!(t.lower.as_str(), "normal" | "reference"));
    let outside = limit.is_some_and(|l| tokens[at..at + l].iter().all(|t| t.kind != TokenKind::Number));
    let lab = test.concept.as_ref().is_some_and(|c| c.id.starts_with("ELIGO:lab."));
    outside.then(|| level_results("abnormal", lab)).flatten()
}

/// A comparison with a normal limit and whether it is a multiple of the upper one.
fn against_a_limit(limit: Comparison) -> (Comparison, bool) {
    let upper = limit.unit.as_deref() != Some(LOWER_LIMIT_UNIT);
    (limit, upper)
}

/// `operator 1 lln`, the operator read from the words before the limit: at or above it unless a
/// word says below ("< LLN", "less than the lower limit"), strictly when no word says "equal".
fn lln_comparison(before: &[Token]) -> Comparison {
    let said = |words: &[&str]| before.iter().any(|t| words.contains(&t.lower.as_str()));
    let equal = said(&["=", "equal", "≥", "≤", "least", "or"]);
    let operator = match (said(BELOW_WORDS), said(ABOVE_WORDS), equal) {
        (true, _, true) => Operator::Le,
        (true, _, false) => Operator::Lt,
        (false, true, false) => Operator::Gt,
        _ => Operator::Ge,
    };
    Comparison::new(operator, 1.0, None, Some(LOWER_LIMIT_UNIT))
}

/// `operator 1 × ULN`.
fn uln_comparison(operator: Operator) -> Comparison {
    Comparison::new(operator, 1.0, None, Some("uln"))
}

/// Spans of a computable's comparison live on its entity; the computable keeps the values.
fn without_spans(c: Comparison) -> Comparison {
    Comparison { operator_span: None, value_span: None, value_high_span: None, unit_span: None, ..c }
}

/// The mention's concept, or a text-only reference (`TEXT:<words>`) the matcher compares by name.
pub(crate) fn concept_or_text(m: &Mention, a: &Analysis) -> ConceptRef {
    m.concept.clone().unwrap_or_else(|| {
        let text: String = a.prepared.chars[m.start..m.end].iter().collect::<String>().to_lowercase();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        ConceptRef { id: format!("TEXT:{text}"), name: text }
    })
}

/// A test's concept, or a text reference to a test the vocabulary lacks whose name keeps the case
/// it is written in: "PANSS positive subscale score" is asked about as written, its id lower-case.
fn test_or_text(m: &Mention, a: &Analysis) -> ConceptRef {
    let mut test = concept_or_text(m, a);
    if m.concept.is_none() {
        let written: String = a.prepared.chars[m.start..m.end].iter().collect();
        test.name = written.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    test
}

/// Words that announce drug exposure ("treated with", "use of", "receipt of").
const EXPOSURE_WORDS: &[&str] = &[
    "treated",
    "treatment",
    "treatments",
    "therapy",
    "use",
    "used",
    "using",
    "user",
    "users",
    "received",
    "receiving",
    "receive",
    "receipt",
    "taking",
    "take",
    "takes",
    "exposure",
    "exposed",
    "administration",
    "administered",
    "on",
    "dose",
    "doses",
    "dosing",
    "course",
    "courses",
    "prescribed",
    "requiring",
    "requires",
    "need",
];

fn activity(value: &str) -> eligo_model::Qualifier {
    eligo_model::Qualifier {
        kind: eligo_model::QualifierKind::Activity,
        value: value.into(),
        concept: None,
        polarity: None,
    }
}

/// Words that put a need in the future: "*anticipated* need for", "*expected to* require",
/// "*likely to* need", "*planned* surgery", "*will* require".
const ANTICIPATION_WORDS: &[&str] =
    &["anticipated", "expected", "likely", "foreseeable", "foreseen", "planned", "will"];
/// Words of needing or getting a therapy that the anticipation words stand before.
const NEED_WORDS: &[&str] = &[
    "need",
    "needs",
    "needing",
    "require",
    "requires",
    "requiring",
    "requirement",
    "use",
    "receive",
    "undergo",
    "to",
    "for",
    "surgery",
    "treatment",
    "therapy",
];

/// Whether the clause is about a therapy or procedure the patient is expected to need, not one they
/// had or take: an anticipation word right before a word of needing ("anticipated need for",
/// "expected to require", "planned surgery", "will require").
fn anticipates(a: &Analysis, cs: usize, ce: usize) -> bool {
    (cs..ce).any(|k| {
        ANTICIPATION_WORDS.contains(&a.tokens[k].lower.as_str())
            && a.tokens.get(k + 1).is_some_and(|t| NEED_WORDS.contains(&t.lower.as_str()))
    })
}

/// Whether a clause names no disease but "disease" in a state of one: "progressive disease on prior
/// therapy", "relapsed or refractory disease", "active disease", "stable disease after induction".
/// Protocols write "disease" for the disease the trial is for, so the reading is about that disease
/// in that state (see `own_disease` for lines that hold nothing but the state). A clause about
/// another disease ("other active disease") keeps the word as it is.
fn is_the_trials_disease_by_its_state(a: &Analysis, conditions: &[&Mention], scope: &Scope) -> bool {
    // "disease", or "disease" after words that are the clause's own qualifiers ("refractory disease").
    let qualifier_words: Vec<&str> = scope.qualifiers.iter().flat_map(|q| q.value.split([' ', '/', '-'])).collect();
    let bare_disease = |m: &&Mention| {
        let name = concept_or_text(m, a).name;
        let words: Vec<&str> = name.split([' ', '-']).filter(|w| !w.is_empty()).collect();
        m.concept.is_none()
            && words.last().is_some_and(|w| matches!(*w, "disease" | "diseases"))
            && words[..words.len() - 1].iter().all(|w| qualifier_words.contains(w))
    };
    let of_a_state = |q: &eligo_model::Qualifier| {
        matches!(
            q.kind,
            QualifierKind::Stage | QualifierKind::Course | QualifierKind::Activity | QualifierKind::Subtype
        )
    };
    !conditions.is_empty()
        && conditions.iter().all(bare_disease)
        && scope.qualifiers.iter().any(of_a_state)
        && !scope.besides_target
}

/// Words by which a condition asks for a therapy: "hemolytic anemia *requiring* immunosuppressive
/// therapy", "infection *that needs* IV antibiotics".
const REQUIRING_WORDS: &[&str] = &["requiring", "requires", "require", "required", "needing", "needs"];

/// The conditions of a therapy clause that ask for the therapy: those right before a requiring word
/// that comes before a drug ("autoimmune disorder that requires active immunosuppression"). The
/// criterion is about the therapy *for* that condition: the condition is its target, which a drug
/// taken for something else does not meet (see `Scope::target`).
fn conditions_requiring_the_therapy<'m>(a: &Analysis, located: &[&'m LocatedMention]) -> Vec<&'m LocatedMention> {
    let first_drug = located.iter().filter(|(m, _)| m.kind == EntityType::Drug).map(|(_, r)| r.0).min();
    let Some(first_drug) = first_drug else { return Vec::new() };
    located
        .iter()
        .copied()
        .filter(|(m, r)| {
            m.kind == EntityType::Condition
                && r.1 <= first_drug
                && (r.1..first_drug.min(r.1 + 3))
                    .any(|k| a.tokens.get(k).is_some_and(|t| REQUIRING_WORDS.contains(&t.lower.as_str())))
        })
        .collect()
}

/// Drugs, infections, conditions and procedures, clause by clause.
fn clinical(a: &Analysis) -> Option<Vec<Computable>> {
    let windows = owned_windows(a);
    let mut out: Vec<Computable> = Vec::new();
    for clause in clauses(a) {
        let scope = clause_scope(a, clause);
        if scope.continues_exception {
            // "any cancer except basal cell carcinoma, or cervical carcinoma in situ".
            add_exceptions(out.last_mut(), scope.scope.exceptions);
            continue;
        }
        out.extend(clause_computable(a, clause, &windows, scope));
    }
    (!out.is_empty()).then_some(out)
}

/// Words that open a new clause after a comma ("..., or previously treated", "..., be free from").
const CLAUSE_OPENERS: &[&str] =
    &["or", "and", "be", "have", "has", "had", "with", "without", "no", "not", "free", "must"];

/// Token ranges of the clauses of a criterion, up to the reason it gives for itself (see
/// [`crate::roles::rationale_start`]).
fn clauses(a: &Analysis) -> Vec<(usize, usize)> {
    let t = &a.tokens[..a.rationale_at.min(a.tokens.len())];
    let mut out = Vec::new();
    let mut start = 0;
    for k in 0..t.len() {
        // A full stop after a single letter and before a lower-case word is an initial ("C. difficile",
        // "E. coli"), not a sentence end ("vitamin D. Patients ...").
        let initial = k > 0
            && t[k - 1].end == t[k].start
            && t[k - 1].lower.chars().count() == 1
            && t[k - 1].lower.chars().all(char::is_alphabetic)
            && t.get(k + 1).is_some_and(|n| a.prepared.chars.get(n.start).is_some_and(|c| c.is_lowercase()));
        let boundary = t[k].lower == ";"
            || (t[k].lower == "." && !initial && t.get(k + 1).is_some_and(|n| n.start > t[k].end))
            || (t[k].lower == "," && t.get(k + 1).is_some_and(|n| CLAUSE_OPENERS.contains(&n.lower.as_str())));
        if boundary {
            if k > start {
                out.push((start, k));
            }
            start = k + 1;
        }
    }
    if start < t.len() {
        out.push((start, t.len()));
    }
    out
}

fn clause_computable(
    a: &Analysis,
    (cs, ce): (usize, usize),
    windows: &[OwnedWindow],
    clause: ClauseScope,
) -> Option<Computable> {
    let inside = |r: (usize, usize)| r.0 >= cs && r.1 <= ce;
    let in_clause: Vec<usize> = (0..a.mentions.len()).filter(|&i| inside(a.mentions[i].1)).collect();
    // Exceptions, targets and what "without" sets aside are not requirements; neither is the group
    // a rule applies to ("If male, ...") nor a hospital stay that is an event of a disease the
    // clause names ("hospitalized for asthma"). A hospital stay alone ("Any hospitalization within
    // 90 days") is the requirement itself.
    let kept = |i: &&usize| !clause.set_aside.contains(i);
    let names_a_disease = in_clause.iter().filter(kept).any(|&i| a.mentions[i].0.kind == EntityType::Condition);
    let located: Vec<&LocatedMention> = in_clause
        .iter()
        .filter(kept)
        .map(|&i| &a.mentions[i])
        .filter(|(m, r)| r.0 >= a.group_end && !(m.kind == EntityType::Procedure && names_a_disease && is_event(a, *r)))
        .filter(|(_, r)| !in_window_anchor(a, *r))
        .collect();
    let (scope, therapy, owned_by_a_test) = (clause.scope, clause.therapy, clause.owned_by_a_test);
    // "osteoporosis treatment", "HIV therapy": the therapy for a condition, not the condition.
    let therapies: Vec<ConceptRef> = located
        .iter()
        .filter(|(m, r)| m.kind == EntityType::Condition && names_its_therapy(a, *r))
        .map(|(m, r)| therapy_for(m, a, r.1))
        .collect();
    let mentions: Vec<&Mention> = located
        .iter()
        .filter(|(m, r)| !(m.kind == EntityType::Condition && names_its_therapy(a, *r)))
        .map(|(m, _)| m)
        .collect();
    let window = windows
        .iter()
        .find(|w| w.owner.is_some_and(|o| in_clause.contains(&o)) || (w.owner.is_none() && w.at >= cs && w.at < ce))
        .map(|w| w.window.clone());
    let status = status_in(a.cues.iter().filter(|c| inside(c.tokens)));
    let of_kind = |kind: EntityType| -> Vec<&Mention> { mentions.iter().copied().filter(|m| m.kind == kind).collect() };
    let drugs = of_kind(EntityType::Drug);
    let conditions = of_kind(EntityType::Condition);
    let exposure = a.tokens[cs..ce].iter().any(|t| EXPOSURE_WORDS.contains(&t.lower.as_str()));
    let therapies: Vec<ConceptRef> = therapies.into_iter().chain(therapy).collect();
    if !therapies.is_empty() || (!drugs.is_empty() && (exposure || conditions.is_empty())) {
        let dose = a
            .quantities
            .iter()
            .filter(|q| inside(q.tokens) && q.unit.as_deref().is_some_and(is_dose_unit))
            .map(|q| without_spans(comparison(a, q, 0)))
            .next();
        let drugs = drugs.iter().map(|m| concept_or_text(m, a)).chain(therapies).collect();
        let mut scope = scope;
        for (condition, _) in conditions_requiring_the_therapy(a, &located) {
            let target = concept_or_text(condition, a);
            if !scope.target.contains(&target) {
                scope.target.push(target);
            }
        }
        // "No concurrent thalidomide", "currently taking warfarin": a drug taken now, which a
        // course stopped in the past does not meet.
        if anticipates(a, cs, ce) {
            scope.qualifiers.push(activity(eligo_model::ANTICIPATED_USE));
        } else if status == Some(ConditionStatus::Active) && window.is_none() {
            scope.qualifiers.push(activity(eligo_model::CURRENT_USE));
        }
        return Some(Computable::PriorTherapy { drugs, window, dose, scope });
    }
    if !conditions.is_empty() {
        let mut scope = scope;
        scope.qualifiers.retain(|q| !owned_by_a_test.contains(q));
        let infections = conditions.iter().filter(|m| is_infection(m)).count();
        let concepts = if is_the_trials_disease_by_its_state(a, &conditions, &scope) {
            vec![ConceptRef { id: TRIAL_CONDITION.to_string(), name: "the disease this trial studies".to_string() }]
        } else {
            conditions.iter().map(|m| concept_or_text(m, a)).collect()
        };
        return Some(if infections > 0 && infections * 2 >= conditions.len() {
            Computable::Infection { concepts, status, window, scope }
        } else {
            Computable::Condition { concepts, status, window, scope }
        });
    }
    let procedures = of_kind(EntityType::Procedure);
    let specific: Vec<&&Mention> = procedures.iter().filter(|m| m.concept.is_some()).collect();
    let chosen: Vec<ConceptRef> = if specific.is_empty() {
        procedures.iter().map(|m| concept_or_text(m, a)).collect()
    } else {
        specific.iter().map(|m| concept_or_text(m, a)).collect()
    };
    let mut scope = scope;
    if anticipates(a, cs, ce) {
        scope.qualifiers.push(activity(eligo_model::ANTICIPATED_USE));
    }
    (!chosen.is_empty()).then_some(Computable::Procedure { concepts: chosen, window, scope })
}

/// Nouns that, right after a condition, name its therapy ("osteoporosis treatment", "pain
/// management").
const THERAPY_NOUNS: &[&str] = &[
    "treatment",
    "treatments",
    "therapy",
    "therapies",
    "regimen",
    "regimens",
    "agent",
    "agents",
    "drugs",
    "management",
    "relief",
];

/// Whether the tokens after a condition mention (at `range`) name a therapy for it: a therapy
/// noun ("osteoporosis treatment"), or "control" after "for" ("admitted for pain control"; without
/// "for", "asthma control" is the state of the disease).
fn names_its_therapy(a: &Analysis, (start, end): (usize, usize)) -> bool {
    let next = a.tokens.get(end).map(|t| t.lower.as_str());
    let after_for = start.checked_sub(1).and_then(|k| a.tokens.get(k)).is_some_and(|t| t.lower == "for");
    next.is_some_and(|w| THERAPY_NOUNS.contains(&w)) || (next == Some("control") && after_for)
}

/// The therapy for a condition as a text reference ("osteoporosis treatment"): the matcher compares
/// it by name, so only a record of that therapy meets it, never the condition itself.
fn therapy_for(m: &Mention, a: &Analysis, end: usize) -> ConceptRef {
    let written: String = a.prepared.chars[m.start..m.end].iter().collect::<String>().to_lowercase();
    let text = format!("{} {}", written.split_whitespace().collect::<Vec<_>>().join(" "), a.tokens[end].lower);
    ConceptRef { id: format!("TEXT:{text}"), name: text }
}

fn is_dose_unit(unit: &str) -> bool {
    matches!(unit, "mg" | "mg/day" | "mg/kg" | "mg/kg/day" | "g" | "g/day" | "ug" | "mg/m2" | "iu")
}

/// Whether a condition mention is an infection: under the curated "Infection" concept, in ICD-10-CM
/// chapter 1 (A00–B99, infectious and parasitic diseases), or named as one.
fn is_infection(m: &Mention) -> bool {
    let vocab = Vocabulary::embedded();
    m.concept_ids
        .iter()
        .any(|id| id.starts_with("ICD10CM:A") || id.starts_with("ICD10CM:B") || vocab.is_a(id, "ELIGO:cond.infection"))
        || m.concept.as_ref().is_some_and(|c| c.name.to_lowercase().contains("infection"))
}

fn status_in<'a>(cues: impl Iterator<Item = &'a Cue> + Clone) -> Option<ConditionStatus> {
    // Whose the condition is comes first: "family history of uncontrolled hypertension" is about a
    // relative, whatever else it says.
    if cues.clone().any(|c| c.kind == CueKind::Status(ConditionStatus::Family)) {
        return Some(ConditionStatus::Family);
    }
    let mut found = None;
    for c in cues {
        match c.kind {
            // An explicit status word ("uncontrolled") beats a time word ("history").
            CueKind::Status(s) => return Some(s),
            CueKind::Time(Some(s)) if found.is_none() => found = Some(s),
            _ => {}
        }
    }
    found
}

/// "Women only", "Male patients": a sex restriction stated alone in a short criterion.
fn sex(a: &Analysis, section: Section) -> Option<Vec<Computable>> {
    let sex = sex_of_cues(a)?;
    // "Women with a history of PCOS" is about PCOS even when the vocabulary does not know it.
    let says_more = a.cues.iter().any(|c| matches!(c.kind, CueKind::Time(_) | CueKind::Status(_)));
    if a.tokens.len() > 10 || says_more || section == Section::Exclusion && sex == Sex::All {
        return None;
    }
    Some(vec![Computable::Sex { sex }])
}

/// Whether the criterion states an age or a sex.
fn states_demographics(a: &Analysis) -> bool {
    a.cues.iter().any(|c| matches!(c.kind, CueKind::Age | CueKind::Sex(_)))
}

/// Whether a negation cue is the prefix "non" ("non-smokers", "non pregnant").
fn is_non_prefix(a: &Analysis, c: &Cue) -> bool {
    a.tokens.get(c.tokens.0).is_some_and(|t| t.lower == "non")
}

/// "non-" joined to a word before the mention negates that word, which narrows the mention:
/// "non-bloody diarrhea" is a kind of diarrhea, "non-serious adverse events" are adverse events.
/// So does one joined to a site the mention starts with: "non-breast malignancies" are
/// malignancies, of any site but the breast.
fn non_joined_to_a_modifier(a: &Analysis, c: &Cue, first_content: usize) -> bool {
    if !is_non_prefix(a, c) {
        return false;
    }
    let joined = crate::cues::joined_to_non(&a.tokens, c.tokens.0);
    let site_of_the_mention = a.qualifiers.iter().any(|q| {
        q.tokens.0 == joined
            && q.kind == QualifierKind::Other
            && a.mentions.iter().any(|(_, r)| r.0 <= joined && q.tokens.1 < r.1)
    });
    joined < first_content || site_of_the_mention
}

/// "non-pregnant" / "non-lactating" in a criterion that also states ages or sexes.
fn negated_pregnancy_beside_demographics(a: &Analysis) -> bool {
    states_demographics(a)
        && a.cues.iter().filter(|c| is_non_prefix(a, c)).any(|non| {
            a.cues.iter().any(|p| {
                matches!(p.kind, CueKind::Pregnancy(_)) && p.tokens.0 > non.tokens.0 && p.tokens.0 <= non.tokens.1 + 2
            })
        })
}

/// A criterion is negated when a negation word opens it or stands right before its first clinical
/// mention ("No history of ...", "Not pregnant", "Without prior ..."), or when it asks for a negative
/// test ("negative pregnancy test").
fn is_negated(a: &Analysis) -> bool {
    let first_content = a
        .mentions
        .iter()
        .map(|(_, r)| r.0)
        .chain(a.cues.iter().filter(|c| matches!(c.kind, CueKind::Pregnancy(_))).map(|c| c.tokens.0))
        .min();
    let Some(first_content) = first_content else { return false };
    // "non-" negates the one word it is joined to: "Male or female non-smokers aged 18-65" asks
    // for non-smokers of that age, it does not exclude everyone of that age and sex.
    let demographics = states_demographics(a);
    let opens = a.cues.iter().any(|c| {
        c.kind == (CueKind::Negation { exception: false })
            && c.tokens.0 < first_content
            && (c.tokens.0 == 0 || first_content - c.tokens.1 <= 2)
            && !(demographics && is_non_prefix(a, c))
            && !non_joined_to_a_modifier(a, c, first_content)
    });
    let negative_test = a.tokens.iter().any(|t| t.lower == "negative")
        && a.cues.iter().any(|c| c.kind == CueKind::Pregnancy(PregnancyState::Pregnant));
    opens || negative_test
}

/// Whether a mention is the start of the trial's treatment that a time window is measured from
/// ("within 7 days prior to initiation of chemotherapy", "72 hours before the start of
/// radiotherapy"): the study's own treatment, not a therapy asked about. A washout's anchor is
/// the therapy itself ("At least 4 weeks since prior chemotherapy") and stays.
fn in_window_anchor(a: &Analysis, r: (usize, usize)) -> bool {
    a.quantities.iter().filter_map(|q| q.anchor_tokens).any(|(s, e)| {
        let start_of = a.tokens.get(s..r.0).is_some_and(|ts| ts.iter().any(|t| START_WORDS.contains(&t.lower)));
        // Only a point the window ends at ("prior to", "before"); "6 months after the start of
        // chemotherapy" counts from a therapy the patient had.
        let before = a
            .tokens
            .get(s.saturating_sub(2)..s)
            .is_some_and(|ts| ts.iter().any(|t| matches!(t.lower.as_str(), "prior" | "before" | "preceding")));
        s <= r.0 && r.1 <= e && start_of && before
    })
}

/// Words naming the start of a treatment in a window's reference point ("initiation of", "the
/// start of").
static START_WORDS: crate::text::WordSet =
    crate::text::WordSet::new("initiation start starting beginning commencement");

/// Whether a reading is a condition named only by the criterion's own words (a `TEXT:` concept).
fn names_only_text(c: &Computable) -> bool {
    matches!(c, Computable::Condition { concepts, .. } if concepts.iter().all(|c| c.id.starts_with("TEXT:")))
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, NonComputableReason, Operator, PregnancyState};

    /// (operator, value, unit, ULN multiple) of every lab reading of a text.
    fn labs(text: &str) -> Vec<(Operator, f64, Option<String>, bool)> {
        parse_criteria(text)
            .into_iter()
            .flat_map(|c| c.computable)
            .filter_map(|c| match c {
                Computable::Lab { comparison, uln_multiple, .. } => {
                    Some((comparison.operator, comparison.value, comparison.unit, uln_multiple))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_value_written_before_the_next_test_is_not_the_previous_tests() {
        // The ferritin value is written before "of ferritin"; the creatinine has none of its own.
        assert_eq!(labs("Serum creatinine or 500 ng/mL of ferritin"), Vec::new());
    }

    #[test]
    fn a_life_expectancy_counted_from_an_event_is_its_value() {
        let read = parse_criteria("Estimated life expectancy of at least 6 months from enrolment");
        let lab = read.iter().flat_map(|c| &c.computable).find_map(|c| match c {
            Computable::Lab { test, comparison, .. } => Some((test.id.as_str(), comparison.operator, comparison.value)),
            _ => None,
        });
        assert_eq!(lab, Some(("ELIGO:vital.life_expectancy", Operator::Ge, 6.0)));
    }

    #[test]
    fn a_life_expectancy_in_other_words_is_one_with_no_window() {
        let life = |text: &str| {
            parse_criteria(text).iter().flat_map(|c| &c.computable).find_map(|c| match c {
                Computable::Lab { test, comparison, window, .. } if test.id == "ELIGO:vital.life_expectancy" => {
                    Some((comparison.operator, comparison.value, window.is_some()))
                }
                _ => None,
            })
        };
        assert_eq!(life("Predicted survival of more than 6 months"), Some((Operator::Gt, 6.0, false)));
        // The duration survived is the value, not a time it must hold for.
        assert_eq!(life("Expected to survive for at least 8 weeks"), Some((Operator::Ge, 8.0, false)));
        // The duration before the name is its value.
        assert_eq!(life("More than 16 weeks life expectancy"), Some((Operator::Gt, 16.0, false)));
        // "no shorter than" is a lower bound.
        assert_eq!(
            life("Patients must be expected to live no shorter than 6 months"),
            Some((Operator::Ge, 6.0, false))
        );
    }

    #[test]
    fn medicines_the_protocol_bars_in_general_words_are_its_list_not_any_medicine() {
        let read = |text: &str| {
            parse_criteria(&format!("Exclusion Criteria:\n\n* {text}"))
                .into_iter()
                .next()
                .expect("a criterion")
                .computable
        };
        let protocol = [Computable::NotComputable { reason: NonComputableReason::ProtocolDefined }];
        for text in [
            "Requires treatment with prohibited medications",
            "Disallowed concomitant therapy within 2 weeks of the first dose",
            "Use of excluded drugs",
        ] {
            assert_eq!(read(text), protocol, "{text}");
        }
        // A medicine named beside the barring word is the requirement.
        assert!(read("Prohibited medications such as warfarin")
            .iter()
            .any(|c| matches!(c, Computable::PriorTherapy { .. })));
    }

    #[test]
    fn the_reference_point_of_a_window_is_not_asked_about() {
        let drugs = |text: &str| -> Vec<String> {
            parse_criteria(text)
                .into_iter()
                .flat_map(|c| c.computable)
                .flat_map(|c| match c {
                    Computable::PriorTherapy { drugs, .. } => drugs.into_iter().map(|d| d.name).collect(),
                    Computable::Procedure { concepts, .. } => concepts.into_iter().map(|d| d.name).collect(),
                    _ => Vec::new(),
                })
                .map(|n| n.to_lowercase())
                .collect()
        };
        let found =
            drugs("Exclusion Criteria:\n- Took any antihistamine within 3 days prior to initiation of chemotherapy");
        assert!(found.iter().any(|n| n.contains("histamine")), "{found:?}");
        assert!(!found.iter().any(|n| n.contains("chemotherapy")), "{found:?}");
        // The therapy asked about still counts where it is no reference point.
        let found = drugs("Exclusion Criteria:\n- Chemotherapy within 4 weeks prior to enrolment");
        assert!(found.iter().any(|n| n.contains("chemotherapy")), "{found:?}");
    }

    #[test]
    fn every_sex_but_a_pregnant_woman_is_a_negated_pregnancy_rule() {
        let read = |text: &str| {
            let c =
                parse_criteria(&format!("Inclusion Criteria:\n\n* {text}")).into_iter().next().expect("a criterion");
            (c.negated, c.computable)
        };
        let (negated, computable) = read("Subject is a man or a non-pregnant, non-nursing woman");
        assert!(negated, "{computable:?}");
        assert!(computable
            .iter()
            .all(|c| matches!(c, Computable::Pregnancy { state } if *state != PregnancyState::Contraception)));
        assert!(computable.iter().any(|c| matches!(c, Computable::Pregnancy { state: PregnancyState::Lactating })));
        // A method qualified by "non-" is still the contraception the rule asks for.
        let (negated, _) = read("Men and women of childbearing potential must use a non-hormonal contraception");
        assert!(!negated);
        // With an age, the age is the requirement and the pregnancy word is left to the exclusion.
        let (negated, computable) = read("Men or non-pregnant women aged 30 to 60");
        assert!(!negated && computable.iter().any(|c| matches!(c, Computable::Age { .. })), "{computable:?}");
    }

    #[test]
    fn a_contraceptive_device_in_place_is_a_device_not_a_contraception_rule() {
        let read: Vec<Computable> = parse_criteria(
            "Exclusion Criteria:\n\n* Women with a copper intrauterine contraceptive device near the irradiated field",
        )
        .into_iter()
        .flat_map(|c| c.computable)
        .collect();
        assert!(!read.iter().any(|c| matches!(c, Computable::Pregnancy { .. })), "{read:?}");
        assert!(read.iter().any(|c| matches!(c, Computable::Procedure { .. })), "{read:?}");
        // Agreeing to use one is still the contraception rule.
        let read: Vec<Computable> =
            parse_criteria("Inclusion Criteria:\n\n* Willing to use a contraceptive device or pill")
                .into_iter()
                .flat_map(|c| c.computable)
                .collect();
        assert!(read.iter().any(|c| matches!(c, Computable::Pregnancy { .. })), "{read:?}");
    }

    #[test]
    fn normal_before_a_test_is_within_the_normal_limit() {
        let read = parse_criteria("Normal serum potassium");
        assert!(
            read.iter().flat_map(|c| &c.computable).any(|c| matches!(c, Computable::Lab { uln_multiple: true, .. })),
            "{read:?}"
        );
    }

    #[test]
    fn the_reason_given_for_a_rule_is_not_part_of_it() {
        let read: Vec<Computable> = parse_criteria(
            "Exclusion Criteria:\n\n* Patients with known leptomeningeal metastases should be excluded because they often develop \
             seizures that would confound the assessment of adverse events",
        )
        .into_iter()
        .flat_map(|c| c.computable)
        .collect();
        assert!(matches!(read.as_slice(), [Computable::Condition { concepts, .. }] if concepts.len() == 1), "{read:?}");
        // A cause named after "because of" is what the rule is about.
        let read: Vec<Computable> = parse_criteria("Anaemia because of chronic kidney disease")
            .into_iter()
            .flat_map(|c| c.computable)
            .collect();
        let kidney = |c: &Computable| {
            matches!(c, Computable::Condition { concepts, .. }
                if concepts.iter().any(|k| k.name.to_lowercase().contains("kidney")))
        };
        assert!(read.iter().any(kidney), "{read:?}");
    }

    #[test]
    fn a_raised_laboratory_value_is_above_the_upper_limit_of_normal() {
        let above = (Operator::Gt, 1.0, Some("uln".to_string()), true);
        assert_eq!(labs("Elevated serum bilirubin at the screening visit"), vec![above.clone()]);
        assert_eq!(labs("High LDH"), vec![above]);
        // A category named "high" is not a value above a normal range.
        assert!(labs("High risk score on the tumour assay").is_empty());
    }

    #[test]
    fn serology_and_autoantibody_results_are_read_with_their_test() {
        let result = |text: &str| -> Vec<(String, Option<String>)> {
            parse_criteria(text)
                .into_iter()
                .flat_map(|c| c.computable)
                .filter_map(|c| match c {
                    Computable::Lab { test, comparison, .. } => Some((test.id, comparison.unit)),
                    _ => None,
                })
                .collect()
        };
        let read = |id: &str, unit: &str| vec![(id.to_string(), Some(unit.to_string()))];
        assert_eq!(result("Known to be HBeAg-positive at entry"), read("ELIGO:lab.hbeag", "positive"));
        assert_eq!(result("Rheumatoid factor negative"), read("ELIGO:lab.rheumatoid_factor", "negative"));
        assert_eq!(result("A positive HBs Ag"), read("ELIGO:lab.hbsag", "positive"));
    }

    #[test]
    fn an_abnormal_laboratory_value_is_outside_the_normal_range() {
        let above = (Operator::Gt, 1.0, Some("uln".to_string()), true);
        let below = (Operator::Lt, 1.0, Some(eligo_model::LOWER_LIMIT_UNIT.to_string()), false);
        assert_eq!(
            labs("Clinically significant abnormal serum prolactin at screening"),
            vec![above.clone(), below.clone()]
        );
        // Said of each test of a list, and once of a test named twice.
        assert_eq!(
            labs("Abnormal alanine aminotransferase (ALT) or bilirubin").len(),
            4,
            "{:?}",
            labs("Abnormal alanine aminotransferase (ALT) or bilirubin")
        );
        // A vital sign has no normal limits to be outside of.
        assert!(labs("Abnormal resting heart rate").is_empty());
    }

    #[test]
    fn a_low_laboratory_value_is_below_the_lower_limit_with_its_specimen_between() {
        let below = (Operator::Lt, 1.0, Some(eligo_model::LOWER_LIMIT_UNIT.to_string()), false);
        assert_eq!(labs("Reduced serum albumin at baseline"), vec![below.clone()]);
        assert_eq!(labs("Known low plasma potassium at entry"), vec![below]);
        let above = (Operator::Gt, 1.0, Some("uln".to_string()), true);
        assert_eq!(labs("Raised fasting blood glucose"), vec![above]);
        // A vital sign has no lower limit of normal.
        assert!(labs("Low resting heart rate").is_empty());
        // Coordinated level words each add their side.
        let above = (Operator::Gt, 1.0, Some("uln".to_string()), true);
        let below = (Operator::Lt, 1.0, Some(eligo_model::LOWER_LIMIT_UNIT.to_string()), false);
        assert_eq!(labs("Markedly high or low serum phosphate"), vec![below, above]);
    }

    /// The (operator, multiple) of the first multiple-of-ULN lab reading of a criterion.
    fn uln_limit(text: &str) -> Option<(Operator, f64)> {
        parse_criteria(text).iter().flat_map(|c| &c.computable).find_map(|c| match c {
            Computable::Lab { comparison, uln_multiple: true, .. } => Some((comparison.operator, comparison.value)),
            _ => None,
        })
    }

    #[test]
    fn or_equal_inside_an_operator_keeps_the_normal_limit() {
        let limit = uln_limit("Total bilirubin less than or equal to the upper limit of normal");
        assert_eq!(limit, Some((Operator::Le, 1.0)));
        assert_eq!(uln_limit("Bilirubin < or = ULN"), Some((Operator::Le, 1.0)));
    }

    /// The (min, max) years of the age computable of a one-line criterion.
    fn age_bounds(text: &str) -> Option<(Option<f64>, Option<f64>)> {
        parse_criteria(text).iter().flat_map(|c| &c.computable).find_map(|c| match c {
            Computable::Age { min, max } => Some((min.map(|d| d.value), max.map(|d| d.value))),
            _ => None,
        })
    }

    #[test]
    fn ages_in_the_common_phrasings_are_read() {
        assert_eq!(age_bounds("Patient must be > or = 21 years old."), Some((Some(21.0), None)));
        assert_eq!(age_bounds("Children under age 12"), Some((None, Some(12.0))));
        assert_eq!(age_bounds("Adults above the age of 40"), Some((Some(40.0), None)));
        assert_eq!(age_bounds("Seventeen years of age or older"), Some((Some(17.0), None)));
        assert_eq!(age_bounds("Age between birth and 16 years"), Some((Some(0.0), Some(16.0))));
        assert_eq!(age_bounds("Participants must be 21 years old"), Some((Some(21.0), None)));
        // Comparatives joined with "equal" in any order, with any joiner, and an age's number alone.
        assert_eq!(age_bounds("Age: > or equal to 18 years"), Some((Some(18.0), None)));
        assert_eq!(age_bounds("Age over or equal 18 years"), Some((Some(18.0), None)));
        assert_eq!(age_bounds("Aged equal or over 21."), Some((Some(21.0), None)));
        assert_eq!(age_bounds("Subjects aged greater than equals to (>=) 20 years"), Some((Some(20.0), None)));
        assert_eq!(age_bounds("Patient aged up to or equal 16 years"), Some((None, Some(16.0))));
        assert_eq!(age_bounds("Participants equal 21 or more years of age"), Some((Some(21.0), None)));
        assert_eq!(age_bounds("Minimum age: 12"), Some((Some(12.0), None)));
        assert_eq!(age_bounds("Women aged : 40"), Some((Some(40.0), None)));
        // Ranges written after a lower bound, with a minus sign, with "and" after an age word.
        assert_eq!(age_bounds("≥21 to 64 years of age"), Some((Some(21.0), Some(64.0))));
        assert_eq!(age_bounds("Ages 30−55."), Some((Some(30.0), Some(55.0))));
        assert_eq!(age_bounds("Age 25 and 45 years"), Some((Some(25.0), Some(45.0))));
        assert_eq!(
            age_bounds("Is 19 to 70 (inclusive) years old at the screening visit"),
            Some((Some(19.0), Some(70.0)))
        );
        assert_eq!(age_bounds("20-70 aged volunteers"), Some((Some(20.0), Some(70.0))));
        // Glued, hyphenated and restated numbers; a postfix before the unit.
        assert_eq!(age_bounds("Age greater than21 years."), Some((Some(21.0), None)));
        assert_eq!(age_bounds("Age between21-60 years"), Some((Some(21.0), Some(60.0))));
        // The age's own words after each bound: the range is still one.
        assert_eq!(age_bounds("Be between 30 years old and 50 years old"), Some((Some(30.0), Some(50.0))));
        assert_eq!(age_bounds("Between 21 years of age and 64 years of age"), Some((Some(21.0), Some(64.0))));
        assert_eq!(age_bounds("Age from 12 years old to 40 years old"), Some((Some(12.0), Some(40.0))));
        assert_eq!(age_bounds("19 years old to 70 years old"), Some((Some(19.0), Some(70.0))));
        assert_eq!(age_bounds("≥ 21-year-old"), Some((Some(21.0), None)));
        assert_eq!(age_bounds("Children three (3) years of age and older"), Some((Some(3.0), None)));
        // An age range named as such, and a bound with no unit that can only be the person's age.
        assert_eq!(age_bounds("Men in the age range of 30-65 (inclusive)"), Some((Some(30.0), Some(65.0))));
        assert_eq!(age_bounds("Over 21."), Some((Some(21.0), None)));
        assert_eq!(age_bounds("21 and over"), Some((Some(21.0), None)));
        assert_eq!(age_bounds("Participant is between 25 and 70, inclusive."), Some((Some(25.0), Some(70.0))));
        assert_eq!(age_bounds("Volunteers older than 45 and a positive stool test"), Some((Some(45.0), None)));
        // A bound that counts something after it is no age.
        assert_eq!(age_bounds("Has 3 to 12 seizures in 28 days"), None);
        assert_eq!(age_bounds("At least 2 of the following"), None);
        assert_eq!(age_bounds("More than 1.5 cm"), None);
        assert_eq!(age_bounds("1+ or 2+ swelling of the ankle"), None);
        assert_eq!(age_bounds("Children with a reading score greater than or equal to 90"), None);
        assert_eq!(age_bounds("Patients whose grade is < 2."), None);
        assert_eq!(age_bounds("≥ 3 and pN1"), None);
        assert_eq!(age_bounds("Is male or female, 21 or older years of age"), Some((Some(21.0), None)));
        // A number word that is prose stays prose.
        assert_eq!(age_bounds("One of the following conditions"), None);
        assert_eq!(age_bounds("Systemic therapy 2 years before screening"), None);
        assert_eq!(age_bounds("Diagnosed with asthma prior to 12 years of age"), None);
        // A hyphenated time that names a test or a course is no age, and letters glued to digits
        // that are no operator word stay one token.
        assert_eq!(age_bounds("2-hour plasma glucose after a meal"), None);
        assert_eq!(age_bounds("CD19 positive B-cell lymphoma"), None);
    }

    #[test]
    fn a_result_word_before_the_naming_of_the_test_is_its_result() {
        let read = parse_criteria("Exclusion Criteria:\n\n* A negative screening result for HIV antibody");
        let result = read.iter().flat_map(|c| &c.computable).find_map(|c| match c {
            Computable::Lab { comparison, .. } => comparison.unit.clone(),
            _ => None,
        });
        assert_eq!(result.as_deref(), Some("negative"));
    }

    #[test]
    fn a_reproductive_state_is_a_requirement_unless_it_defines_childbearing_potential() {
        let condition_ids = |text: &str| -> Vec<String> {
            let read = parse_criteria(text);
            read.iter()
                .flat_map(|c| &c.computable)
                .filter_map(|c| match c {
                    Computable::Condition { concepts, .. } => Some(concepts[0].id.clone()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(condition_ids("Premenopausal patients with ovarian suppression"), vec!["ELIGO:repro.premenopausal"]);
        assert_eq!(condition_ids("Post-menopausal women"), vec!["ICD10CM:Z78.0"]);
        let defining = "Women of childbearing potential, i.e. not postmenopausal for 12 months, must use contraception";
        assert!(condition_ids(defining).is_empty());
    }
}
