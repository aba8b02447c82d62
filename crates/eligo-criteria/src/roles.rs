//! The role a criterion plays, beyond what it mentions:
//!
//! * **the group a rule applies to** ([`Criterion::applies_if`](eligo_model::Criterion)): "If male,
//!   ...", "Men must ...", "Women of childbearing potential must ...", "Females of childbearing
//!   potential: ...", "For patients who received a stem cell transplant: ...", "Patients with prior
//!   transplant must ...", "For the NSCLC cohort: ...". The words naming the group are not
//!   requirements; [`group_end`] marks where they end and [`applies_if`] reads them.
//! * **permissions** inside a list ("... is allowed", "... are eligible", "may be enrolled") and
//!   lines that open with an exception ("Exceptions include ...", "Except for ..."): they exclude
//!   nobody → `NotComputable { reason: Permission }`.
//! * **inclusions written among exclusions**: an age range in the exclusion list ("Men or
//!   non-pregnant women 18 to 75 years") or an ability ("Able to provide consent") is a requirement
//!   the writer put in the wrong list; its section becomes inclusion (nobody excludes "aged 18–75").
//! * **washouts** in legacy layouts ("At least 30 days since prior chemotherapy"): the patient is
//!   excluded only if the therapy was in the last 30 days, so the reading becomes a negated one with
//!   a `within` window, not a requirement to have had it.

use eligo_model::{Computable, ConditionStatus, EntityType, NonComputableReason, Section, Sex};

use crate::computable::concept_or_text;
use crate::cues::CueKind;
use crate::parse::Analysis;
use crate::text::WordSet;

/// Words that open a group: "If male, ...", "For women of childbearing potential: ...".
static GROUP_OPENERS: WordSet = WordSet::new("if for in among");

/// Words that close a group written as the subject: "Men *must* ...", "Patients with X *should*".
static GROUP_MODALS: WordSet = WordSet::new("must should shall need needs agree agrees");

/// Words that open a subject a rule is about ("Patients with ... must").
static SUBJECTS: WordSet = WordSet::new("patients patient subjects subject participants participant those individuals");

/// Words that make a "...:" prefix a group rather than a topic heading ("NSCLC cohort:").
static GROUP_NOUNS: WordSet = WordSet::new("cohort cohorts arm arms group groups part");

/// Where a criterion starts to say why it exists ("... should be excluded because they often
/// develop progressive neurologic dysfunction", "because of their poor prognosis"): what follows
/// is the reason for the rule, not more of it, so a disease named there is no requirement. "Because
/// of" a named cause ("unable to swallow because of dysphagia") is part of the requirement.
pub(crate) fn rationale_start(a: &Analysis) -> usize {
    const SUBJECTS: &[&str] = &["they", "it", "this", "these", "there", "such", "the", "their", "its", "of"];
    const REASONS: &[&str] = &["their", "its", "the", "possible", "potential", "unknown", "safety"];
    let t = &a.tokens;
    (0..t.len())
        .find(|&k| {
            let next = |n: usize| t.get(k + n).map(|w| w.lower.as_str());
            t[k].lower == "because"
                && next(1).is_some_and(|w| SUBJECTS.contains(&w))
                && (next(1) != Some("of") || next(2).is_some_and(|w| REASONS.contains(&w)))
        })
        .unwrap_or(t.len())
}

/// Where the group a rule applies to ends (a token index), or 0 when the criterion names none.
pub(crate) fn group_end(a: &Analysis) -> usize {
    let Some(first) = a.tokens.first() else { return 0 };
    let names_group = |end: usize| {
        let sex = a
            .cues
            .iter()
            .any(|c| c.tokens.1 <= end && matches!(c.kind, CueKind::Sex(id) if id.starts_with("ELIGO:sex")));
        let childbearing = a.tokens.iter().take(end).any(|t| t.lower == "childbearing");
        // "Patients with no available tumour blocks must ...": a group by what its members lack is
        // not a group of a condition.
        let lacking = a.cues.iter().any(|c| c.tokens.1 <= end && matches!(c.kind, CueKind::Negation { .. }));
        let mention = !lacking && a.mentions.iter().any(|(m, r)| r.1 <= end && m.kind != EntityType::Measurement);
        let cohort = a.tokens.iter().take(end).any(|t| GROUP_NOUNS.contains(&t.lower));
        (sex, childbearing, mention, cohort)
    };
    let boundary = |from: usize, stops: &dyn Fn(&str) -> bool| {
        a.tokens.iter().enumerate().skip(from).take(12).find(|(_, t)| stops(&t.lower)).map(|(k, _)| k)
    };
    // "If male, ...", "For patients who received a stem cell transplant: ...".
    if GROUP_OPENERS.contains(&first.lower) {
        // "In patients with ...", never "In the choice of a biopsy site, ...".
        let names_people = first.lower != "in"
            || a.tokens.iter().skip(1).take(2).any(|t| SUBJECTS.contains(&t.lower))
            || a.cues.iter().any(|c| c.tokens.0 <= 2 && matches!(c.kind, CueKind::Sex(_)));
        if let Some(k) = boundary(1, &|w| matches!(w, "," | ":" | ";")).filter(|_| names_people) {
            let (sex, childbearing, mention, cohort) = names_group(k);
            if sex || childbearing || mention || cohort {
                return k + 1;
            }
        }
        return 0;
    }
    // "Men must ...", "Patients with prior transplant must ...": a subject, then its rule.
    if let Some(k) = boundary(1, &|w| GROUP_MODALS.contains(w)) {
        let (sex, childbearing, mention, _) = names_group(k);
        let plain_subject = (SUBJECTS.contains(&first.lower) || sex)
            && !a.tokens.iter().take(k).any(|t| matches!(t.lower.as_str(), ":" | "," | ";" | "."));
        // "Patients with brain metastases should be excluded" states no rule of its own.
        let rule_follows = a.mentions.iter().any(|(_, r)| r.0 > k && r.0 < a.rationale_at)
            || a.quantities.iter().any(|q| q.tokens.0 > k)
            || a.cues
                .iter()
                .any(|c| c.tokens.0 > k && matches!(c.kind, CueKind::Pregnancy(_) | CueKind::NonComputable(_)));
        if plain_subject && rule_follows && (sex || childbearing || mention) {
            return k;
        }
    }
    // "Females of childbearing potential: ...", "NSCLC cohort: ...".
    if let Some(k) = boundary(1, &|w| w == ":") {
        let (sex, childbearing, mention, cohort) = names_group(k);
        if sex || childbearing || (mention && cohort) {
            return k + 1;
        }
    }
    0
}

/// The readings of the group a rule applies to: the sex it names, and its conditions, procedures
/// and therapies.
pub(crate) fn applies_if(a: &Analysis) -> Vec<Computable> {
    let end = a.group_end;
    if end == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let female = a.tokens.iter().take(end).any(|t| t.lower == "childbearing")
        || a.cues.iter().any(|c| c.tokens.1 <= end && c.kind == CueKind::Sex("ELIGO:sex.female"));
    let male = a.cues.iter().any(|c| c.tokens.1 <= end && c.kind == CueKind::Sex("ELIGO:sex.male"));
    match (female, male) {
        (true, false) => out.push(Computable::Sex { sex: Sex::Female }),
        (false, true) => out.push(Computable::Sex { sex: Sex::Male }),
        _ => {}
    }
    for (m, r) in a.mentions.iter().filter(|(_, r)| r.1 <= end) {
        let concepts = vec![concept_or_text(m, a)];
        let status =
            a.cues.iter().any(|c| c.tokens.1 <= r.0 && c.kind == CueKind::Time(Some(ConditionStatus::History)));
        out.push(match m.kind {
            EntityType::Condition => Computable::Condition {
                concepts,
                status: status.then_some(ConditionStatus::History),
                window: None,
                scope: Default::default(),
            },
            EntityType::Procedure => Computable::Procedure { concepts, window: None, scope: Default::default() },
            EntityType::Drug => {
                Computable::PriorTherapy { drugs: concepts, window: None, dose: None, scope: Default::default() }
            }
            _ => continue,
        });
    }
    // "Patients with ER+ breast cancer must ...": the marker result is part of the group.
    let group_markers = crate::markers::read_markers(a)
        .into_iter()
        .filter(|b| !b.alternatives && b.readings.iter().all(|r| a.mentions[r.mention].1 .1 <= end))
        .collect::<Vec<_>>();
    out.extend(crate::markers::marker_requirements(&group_markers).into_iter().flatten());
    out
}

/// Words that grant a permission after "is", "are", "may", "can" ("are allowed", "may be enrolled").
static PERMISSION_WORDS: WordSet =
    WordSet::new("allowed permitted acceptable eligible enrolled included participate enroll");

/// Words that turn a permission back into a requirement or a prohibition ("must be eligible", "are
/// not allowed", "only ... are eligible").
static NOT_PERMISSION: WordSet = WordSet::new("not never must should to cannot no only");

/// Whether the criterion grants a permission rather than stating a requirement.
fn is_permission(a: &Analysis) -> bool {
    let opens_with_exception = a.cues.iter().any(|c| {
        c.kind == (CueKind::Negation { exception: true })
            && c.tokens.0 <= 1
            && a.tokens.get(c.tokens.0).is_some_and(|t| t.lower != "excluded")
    });
    // Only the main statement counts: a permission in a later sentence or in brackets qualifies a
    // requirement stated before it ("Cardiac disease (... atrial fibrillation is allowed)").
    let first_sentence = a
        .tokens
        .iter()
        .enumerate()
        .position(|(k, t)| t.lower == ";" || (t.lower == "." && a.tokens.get(k + 1).is_some_and(|n| n.start > t.end)))
        .unwrap_or(a.tokens.len());
    let mut depth = 0i32;
    opens_with_exception
        || a.tokens.iter().take(first_sentence).enumerate().any(|(k, t)| {
            match t.lower.as_str() {
                "(" | "[" => depth += 1,
                ")" | "]" => depth -= 1,
                _ => {}
            }
            if depth > 0 || !PERMISSION_WORDS.contains(&t.lower) {
                return false;
            }
            let before = a.tokens.get(k.saturating_sub(3)..k).unwrap_or_default();
            // "Subjects were eligible regardless of their previous lines of therapy": the past tense
            // of a protocol written up afterwards grants the same permission.
            let auxiliary = before
                .iter()
                .any(|b| matches!(b.lower.as_str(), "is" | "are" | "may" | "can" | "will" | "was" | "were"));
            let countered = before.iter().any(|b| NOT_PERMISSION.contains(&b.lower));
            let names_something =
                a.mentions.iter().any(|(_, r)| r.1 <= k) || a.qualifiers.iter().any(|q| q.tokens.1 <= k);
            let purpose = a.tokens.get(k + 1).is_some_and(|n| matches!(n.lower.as_str(), "for" | "to"));
            // "... were eligible for the study regardless of prior therapy": what follows does not
            // matter, whatever the permission is for.
            let regardless = a
                .tokens
                .get(k + 1..first_sentence)
                .is_some_and(|ts| ts.iter().any(|t| matches!(t.lower.as_str(), "regardless" | "irrespective")));
            auxiliary && !countered && ((names_something && !purpose) || regardless)
        })
}

/// Words that open an ability, which in an exclusion list is a requirement misfiled ("Able to
/// provide consent").
static ABILITY_OPENERS: WordSet = WordSet::new("able capable");

/// Adjusts a criterion's readings for its role; returns the section it really belongs to.
pub(crate) fn adjust(section: Section, a: &Analysis, groups: &mut Vec<Vec<Computable>>, negated: &mut bool) -> Section {
    if is_permission(a) {
        *groups = vec![vec![Computable::NotComputable { reason: NonComputableReason::Permission }]];
        *negated = false;
        return section;
    }
    if section != Section::Exclusion && !*negated && is_washout(a, groups) {
        for c in groups.iter_mut().flatten() {
            if let Computable::PriorTherapy { window: Some(w), .. } | Computable::Procedure { window: Some(w), .. } = c
            {
                w.within = w.at_least_ago.take().or(w.for_at_least.take());
            }
        }
        *negated = true;
    }
    // "Men or non-pregnant women 18 to 75 years" keeps its negation: as an inclusion it asks for
    // someone not pregnant.
    if section == Section::Exclusion && misfiled_inclusion(a, groups, *negated) {
        return Section::Inclusion;
    }
    section
}

/// "At least 30 days since prior chemotherapy": every reading a therapy or procedure with a
/// minimum time since it, written with "since".
fn is_washout(a: &Analysis, groups: &[Vec<Computable>]) -> bool {
    let since = a.tokens.iter().any(|t| t.lower == "since");
    let minimum_time = |c: &Computable| match c {
        Computable::PriorTherapy { window: Some(w), .. } | Computable::Procedure { window: Some(w), .. } => {
            w.at_least_ago.is_some() || w.for_at_least.is_some()
        }
        _ => false,
    };
    since && !groups.is_empty() && groups.iter().flatten().all(minimum_time)
}

/// An age range or an ability in the exclusion list: an inclusion the writer misfiled.
fn misfiled_inclusion(a: &Analysis, groups: &[Vec<Computable>], negated: bool) -> bool {
    // "Age < 18 or > 65 years" (a minimum above the maximum) is a real exclusion of both ends; an
    // age group listed as excluded ("Pregnant or nursing adolescents") gives no written range.
    let written_ages = a.quantities.iter().any(|q| q.time_unit.is_some());
    let age_range = written_ages
        && groups.iter().flatten().any(
            |c| matches!(c, Computable::Age { min: Some(low), max: Some(high) } if low.as_days() < high.as_days()),
        );
    // "Men or non-pregnant women 18 to 75 years", "Male or non-pregnant and non-lactating female
    // subject, ≥ 18 years old": both sexes, the line opening with one, and an age after them is who
    // may enter.
    let first_age = a.quantities.iter().find(|q| q.time_unit == Some(eligo_model::TimeUnit::Years)).map(|q| q.tokens.0);
    let sex_named = |id: &'static str| {
        a.cues.iter().any(|c| c.kind == CueKind::Sex(id) && first_age.is_some_and(|at| c.tokens.0 < at))
    };
    let opens_with_sex =
        a.cues.iter().any(|c| matches!(c.kind, CueKind::Sex(id) if id.starts_with("ELIGO:sex.")) && c.tokens.0 < 3);
    let both_sexes = opens_with_sex && sex_named("ELIGO:sex.male") && sex_named("ELIGO:sex.female");
    // "Able to ...", "Patients able to ...", never "Not able to ..." nor "Pregnant or able to ...".
    let ability = !negated
        && match a.tokens.as_slice() {
            [first, ..] if ABILITY_OPENERS.contains(&first.lower) => true,
            [first, second, ..] => SUBJECTS.contains(&first.lower) && ABILITY_OPENERS.contains(&second.lower),
            _ => false,
        };
    age_range || both_sexes || ability
}
