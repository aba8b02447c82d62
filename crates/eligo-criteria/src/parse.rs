//! The engine's entry points: criteria text → [`Criterion`]s with entities and computable forms.
//!
//! Each segment from [`segment`] is analysed on its own: its original chars are prepared (glued words
//! split, see [`crate::text`]), tokenized, and read by the recognisers ([`crate::recognize`],
//! [`crate::quantity`], [`crate::cues`]). The [`Analysis`] they produce is turned into typed
//! [`Entity`]s (offsets into the whole text) and into computable forms ([`crate::computable`]).
//! Because every recogniser works inside one segment, no entity ever crosses a criterion boundary.

use eligo_model::{
    Comparison, Computable, ConceptRef, Criterion, Duration, Entity, EntityType, NonComputableReason, QualifierKind,
    Section, Span, TimeWindow,
};

use crate::abbreviations::Abbreviations;
use crate::computable::{requirements, text_condition};
use crate::cues::{find_cues, Cue, CueKind};
use crate::habits::habit_people;
use crate::named_finding::bare_findings;
use crate::quantity::{find_quantities, Quantity, TimeRole};
use crate::recognize::{recognize, Mention};
use crate::scope::{find_qualifiers, qualifier_entities, QualifierCue};
use crate::screening::screening_reading;
use crate::segment::{segment, Segment};
use crate::structure::is_structure;
use crate::test_names::unnamed_tests;
use crate::text::{prepare, tokenize, Prepared, Token};

/// A mention with the token range it covers.
pub(crate) type LocatedMention = (Mention, (usize, usize));

/// Everything the recognisers found in one criterion, in the prepared text's coordinates.
pub(crate) struct Analysis {
    pub prepared: Prepared,
    pub tokens: Vec<Token>,
    /// Mentions, each with the token range it covers.
    pub mentions: Vec<LocatedMention>,
    pub quantities: Vec<Quantity>,
    pub cues: Vec<Cue>,
    /// Qualifier words ("severe", "stage IV", "exacerbation"), see [`crate::scope`].
    pub qualifiers: Vec<QualifierCue>,
    /// Where the group a rule applies to ends ("If male, ...": token 2), or 0; see [`crate::roles`].
    pub group_end: usize,
    /// Where the reason the criterion gives for itself begins ("... because they often develop"),
    /// or the number of tokens; see [`crate::roles::rationale_start`].
    pub rationale_at: usize,
}

impl Analysis {
    pub(crate) fn new(original: &[char]) -> Analysis {
        let prepared = prepare(original);
        let tokens = tokenize(&prepared.chars);
        let text = prepared.text();
        let mentions: Vec<LocatedMention> = recognize(&text, &tokens)
            .into_iter()
            .filter_map(|m| {
                let first = tokens.iter().position(|t| t.end > m.start)?;
                let last = tokens.iter().rposition(|t| t.start < m.end)?;
                Some((m, (first, last + 1)))
            })
            .collect();
        let quantities = find_quantities(&tokens);
        let cues = find_cues(&tokens);
        // Test names the vocabulary lacks, read from their place before a threshold.
        let covered = |i: usize| {
            mentions.iter().any(|(_, r)| r.0 <= i && i < r.1) || cues.iter().any(|c| c.tokens.0 <= i && i < c.tokens.1)
        };
        // A donation written apart from its blood is the donation, not a test named by the volume
        // after it ("Donation or loss of 400 mL").
        let mut unnamed = crate::donation::donations(&tokens, covered);
        let donated = |r: &(usize, usize)| unnamed.iter().any(|(_, d)| d.0 < r.1 && r.0 < d.1);
        let tests: Vec<LocatedMention> = unnamed_tests(&prepared.chars, &tokens, &quantities, covered)
            .into_iter()
            .filter(|(_, r)| !donated(r))
            .collect();
        unnamed.extend(tests);
        let mut mentions = mentions;
        if !unnamed.is_empty() {
            mentions.extend(unnamed);
            mentions.sort_by_key(|(_, r)| *r);
        }
        // A pregnancy word is a pregnancy cue, not a condition mention; the words before the count of
        // a counted test are its verb ("smokes more than 10 cigarettes", "drinks > 3 alcoholic
        // beverages"), not a mention of their own.
        let mut dropped: Vec<(usize, usize)> =
            cues.iter().filter(|c| crate::cues::on_pregnancy_word(c, &tokens)).map(|c| c.tokens).collect();
        dropped.extend(
            mentions.iter().map(|(_, r)| *r).filter(|r| crate::counted::before_a_count(*r, &quantities, &mentions)),
        );
        // "National *Cancer* Institute", "Common Terminology Criteria for *Adverse Events*": words
        // of a body's or an instrument's name, not a disease the patient has.
        dropped.extend(
            mentions
                .iter()
                .map(|(_, r)| *r)
                .filter(|r| crate::recognize::in_a_proper_name(&prepared.chars, &tokens, *r)),
        );
        let mentions = mentions
            .into_iter()
            .filter(|(_, r): &LocatedMention| !dropped.iter().any(|p| p.0 < r.1 && r.0 < p.1))
            .collect();
        let mut qualifiers = find_qualifiers(&tokens);
        let stages = crate::tnm::tnm_stages(&prepared.chars, &tokens);
        if !stages.is_empty() {
            let free =
                |s: &QualifierCue| !qualifiers.iter().any(|q| q.tokens.0 < s.tokens.1 && s.tokens.0 < q.tokens.1);
            let stages: Vec<QualifierCue> = stages.into_iter().filter(free).collect();
            qualifiers.extend(stages);
            qualifiers.sort_by_key(|q| q.tokens);
        }
        let mut analysis =
            Analysis { prepared, tokens, mentions, quantities, cues, qualifiers, group_end: 0, rationale_at: 0 };
        analysis.rationale_at = crate::roles::rationale_start(&analysis);
        analysis.group_end = crate::roles::group_end(&analysis);
        analysis
    }

    /// Original char span (relative to the criterion) of a token range.
    pub fn span_of(&self, (first, end): (usize, usize)) -> (usize, usize) {
        let start = self.tokens[first].start;
        let stop = self.tokens[end.max(first + 1) - 1].end;
        self.prepared.original_span(start, stop)
    }

    /// The prepared text of a token range, as written.
    pub fn text_of(&self, (first, end): (usize, usize)) -> String {
        let start = self.tokens[first].start;
        let stop = self.tokens[end.max(first + 1) - 1].end;
        self.prepared.chars[start..stop].iter().collect()
    }

    /// Whether a token range overlaps any quantity or mention (used to drop cue words that are part
    /// of a larger expression, e.g. "past" in "in the past 6 months").
    fn covered(&self, (s, e): (usize, usize)) -> bool {
        self.quantities.iter().any(|q| s < q.tokens.1 && q.tokens.0 < e)
            || self.mentions.iter().any(|(_, (ms, me))| s < *me && *ms < e)
    }
}

/// Whether a parse writes each criterion's entity mark-up (the typed spans shown on a page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    Entities,
    None,
}

/// Parses a trial's eligibility text into criteria, each with its entities and computable form.
///
/// Sub-items of an inclusion that announces alternatives ("at least one of the following:",
/// "such as:") are one criterion, their readings alternatives: a patient needs one of them, not
/// each. Elsewhere every item is its own criterion (all inclusions must hold; any exclusion
/// excludes).
pub fn parse_criteria(text: &str) -> Vec<Criterion> {
    parse_with(text, Markup::Entities)
}

/// [`parse_criteria`] without the entity mark-up: every criterion's `entities` is empty, all else is
/// the same. For callers that keep only what each criterion asks (ingest stores no mark-up), since
/// building the mark-up costs as much as some readers.
pub fn parse_requirements(text: &str) -> Vec<Criterion> {
    parse_with(text, Markup::None)
}

fn parse_with(text: &str, markup: Markup) -> Vec<Criterion> {
    let chars: Vec<char> = text.chars().collect();
    let marked = |analysis: &Analysis, base: usize| match markup {
        Markup::Entities => entities(analysis, &chars, base),
        Markup::None => Vec::new(),
    };
    let segments = segment(text);
    let mut out: Vec<Criterion> = Vec::new();
    // Per parent segment that announces alternatives: where its merged list criterion is in `out`.
    let mut lists: Vec<(usize, usize)> = Vec::new();
    // An unmarked heading line ("Age", "Performance status:") names the topic of the bulleted items
    // after it, as a sub-heading the segmenter recognised does.
    let mut heading_line: Option<String> = None;
    let mut abbreviations = Abbreviations::default();
    for (index, seg) in segments.iter().enumerate() {
        let mut analysis = Analysis::new(&chars[seg.start..seg.end]);
        abbreviations.apply(&mut analysis);
        abbreviations.collect(&analysis);
        let topic = match (&seg.marker, &heading_line) {
            (Some(_), Some(line)) => Some(line.as_str()),
            _ => seg.heading.as_deref().and_then(|h| h.rsplit(" > ").next()),
        };
        let (mut groups, mut negated) = requirements(seg.section, topic, &analysis);
        if is_unread(&groups) {
            if let Some(reading) = crate::fragment::read_in_context(seg.section, topic, &analysis) {
                (groups, negated) = reading;
            }
        }
        crate::grade_bound::apply(&analysis, seg.section, &mut groups, &mut negated);
        crate::toxicity::negate_recovery(&analysis, seg.section, &groups, &mut negated);
        // "≤ 0.8 mg/dL (for patients 1 to 5 years old)": the age says for whom, not who may enter.
        let parent = seg.parent.and_then(|p| segments.get(p)).map(|p| &chars[p.start..p.end]);
        let age_band = crate::age_context::apply(&analysis, seg.section, parent, &mut groups);
        let section = crate::roles::adjust(seg.section, &analysis, &mut groups, &mut negated);
        if crate::definition::is_definition(&analysis) {
            groups = vec![vec![Computable::NotComputable { reason: NonComputableReason::Structure }]];
            negated = false;
        }
        let mut applies_if = crate::roles::applies_if(&analysis);
        applies_if.extend(age_band);
        applies_if.extend(crate::demographics::sex_group_of_exclusion(&analysis, section, &groups));
        // "≥ 12 g/dL for women and ≥ 13 g/dL for men": one rule per sex, each for that sex only.
        let mut sexes = vec![None; groups.len()];
        if let Some(split) = crate::sex_thresholds::per_sex(&analysis, &groups) {
            (groups, sexes) = split.into_iter().map(|(group, sex)| (group, Some(sex))).unzip();
        }
        let mut structure = false;
        if is_unread(&groups) {
            let introduces_items = segments.iter().any(|s| s.parent == Some(index));
            structure = is_structure(&seg.text, introduces_items, &analysis);
            if structure {
                groups = vec![vec![Computable::NotComputable { reason: NonComputableReason::Structure }]];
            } else if let Some(reading) = screening_reading(&analysis) {
                groups = vec![vec![reading]];
            } else if let Some(reading) = text_condition(&analysis, bare_findings(&analysis))
                .or_else(|| text_condition(&analysis, habit_people(&analysis)))
            {
                // Last of all: a line that is only a name ("Psychotic features") or a habit ("Use of
                // contact lenses"), once neither structure nor screening took it.
                groups = vec![reading];
            }
        }
        if seg.marker.is_none() {
            heading_line = structure.then(|| seg.text.trim_end_matches(':').trim().to_string());
        }
        let list_parent =
            seg.parent.filter(|&p| section == Section::Inclusion && !negated && announces_alternatives(&segments[p]));
        if let Some(parent) = list_parent {
            let at = match lists.iter().find(|(p, _)| *p == parent) {
                Some(&(_, at)) => at,
                None => {
                    let mut list = seg.to_criterion();
                    list.text.clear();
                    out.push(list);
                    lists.push((parent, out.len() - 1));
                    out.len() - 1
                }
            };
            add_alternative(&mut out[at], seg, groups, marked(&analysis, seg.start));
            continue;
        }
        // One criterion per requirement; the entities (the mark-up of the text) go with the first.
        for (i, computable) in groups.into_iter().enumerate() {
            let mut criterion = seg.to_criterion();
            if i == 0 {
                criterion.entities = marked(&analysis, seg.start);
            }
            criterion.negated = negated && crate::demographics::negation_reaches(&analysis, &computable);
            criterion.computable = computable;
            criterion.section = section;
            criterion.applies_if.clone_from(&applies_if);
            criterion.applies_if.extend(sexes.get(i).cloned().flatten().map(|sex| Computable::Sex { sex }));
            out.push(criterion);
        }
    }
    out
}

/// Whether the only reading is "unstructured": nothing in the criterion could be read.
fn is_unread(groups: &[Vec<Computable>]) -> bool {
    matches!(groups, [only] if matches!(only.as_slice(), [Computable::NotComputable { reason: NonComputableReason::Unstructured }]))
}

/// Words in an item ending with ':' that make its sub-items alternatives or examples.
const ALTERNATIVE_CUES: [&str; 11] = [
    "one of the following",
    "any of the following",
    "at least one of",
    // "meeting at least 1 of the IWCLL criteria:", "any 1 of the following".
    "at least 1 of",
    "1 of the following",
    "one or more of",
    "either of the following",
    "such as",
    "for example",
    "e.g.",
    "include",
];

fn announces_alternatives(parent: &Segment) -> bool {
    let lower = parent.text.trim_end().to_lowercase();
    lower.ends_with(':') && ALTERNATIVE_CUES.iter().any(|cue| lower.contains(cue))
}

/// Adds one sub-item to a list criterion: its text, span, entities and readings as alternatives
/// (readings a chart cannot answer only while no item has another).
fn add_alternative(list: &mut Criterion, item: &Segment, groups: Vec<Vec<Computable>>, entities: Vec<Entity>) {
    if !list.text.is_empty() {
        list.text.push_str("; ");
    }
    list.text.push_str(&item.text);
    list.end = item.end;
    list.entities.extend(entities);
    for computable in groups.into_iter().flatten() {
        let decisive = !matches!(computable, Computable::NotComputable { .. });
        if decisive {
            list.computable.retain(|c| !matches!(c, Computable::NotComputable { .. }));
        }
        let only_undecisive = list.computable.iter().all(|c| matches!(c, Computable::NotComputable { .. }));
        if (decisive || only_undecisive) && !list.computable.contains(&computable) {
            list.computable.push(computable);
        }
    }
}

/// Finds typed entities (conditions, drugs, measurements, comparisons, ages, ...) in any clinical
/// text, with char offsets into `text`. The patient-note reader uses this too.
pub fn extract_entities(text: &str) -> Vec<Entity> {
    let chars: Vec<char> = text.chars().collect();
    entities(&Analysis::new(&chars), &chars, 0)
}

/// The entities of one analysed span whose first char is `base` in `chars`.
fn entities(a: &Analysis, chars: &[char], base: usize) -> Vec<Entity> {
    let entity = |kind: EntityType, range: (usize, usize)| {
        let (s, e) = a.span_of(range);
        Entity {
            kind,
            start: base + s,
            end: base + e,
            text: chars[base + s..base + e].iter().collect(),
            concept: None,
            comparison: None,
            window: None,
            qualifier: None,
        }
    };
    let mut out = Vec::new();
    for (m, range) in &a.mentions {
        // "*Breast* or ovarian cancer": the words modify the shared head, as a site or a type does;
        // the concept they name with it stays on the entity.
        let kind = if m.elliptical { EntityType::Qualifier } else { m.kind };
        let mut e = entity(kind, *range);
        e.concept = m.concept.clone();
        if m.elliptical {
            e.qualifier = Some(elliptical_kind(a, *range));
        }
        out.push(e);
    }
    for q in &a.quantities {
        let kind = match q.time_role {
            Some(TimeRole::Plain) | None => EntityType::Comparison,
            Some(_) => EntityType::Temporal,
        };
        let mut e = entity(kind, q.tokens);
        e.comparison = Some(comparison(a, q, base));
        e.window = window(a, q);
        out.push(e);
    }
    for cue in &a.cues {
        let kind = match cue.kind {
            CueKind::Age if age_cue_counts(a, cue) => EntityType::Age,
            // "Both sexes" restricts nobody: not a sex mention.
            CueKind::Sex(id) if id != "ELIGO:sex.all" => EntityType::Sex,
            CueKind::Pregnancy(_) => EntityType::Pregnancy,
            // A bracket that allows what it names is an exception without a word of its own to mark.
            CueKind::Negation { exception: true } if a.tokens[cue.tokens.0].lower == "(" => continue,
            // "excluded" states an exclusion; it opens no exception.
            CueKind::Negation { exception: true } if a.tokens[cue.tokens.0].lower != "excluded" => {
                EntityType::Exception
            }
            CueKind::Negation { .. } => EntityType::Negation,
            CueKind::Time(_) => EntityType::Temporal,
            _ => continue,
        };
        if kind != EntityType::Pregnancy && a.covered(cue.tokens) {
            continue;
        }
        let mut e = entity(kind, cue.tokens);
        if let CueKind::Sex(id) = cue.kind {
            e.concept = Some(ConceptRef { id: id.to_string(), name: id.rsplit('.').next().unwrap_or(id).to_string() });
        }
        out.push(e);
    }
    for (range, kind) in qualifier_entities(a) {
        let mut e = entity(EntityType::Qualifier, range);
        e.qualifier = Some(kind);
        out.push(e);
    }
    out.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    out
}

/// The kind of the modifier an elliptical name's words are: a table qualifier's ("*type 1* or type
/// 2 diabetes" is a subtype, "*acute* or chronic hepatitis" an acuteness), else `Other` (a site, a
/// substance).
fn elliptical_kind(a: &Analysis, range: (usize, usize)) -> QualifierKind {
    a.qualifiers.iter().find(|q| q.tokens == range).map_or(QualifierKind::Other, |q| q.kind)
}

/// "old" is an age cue only in "years old"; "age", "aged" and "ages" always are.
fn age_cue_counts(a: &Analysis, cue: &Cue) -> bool {
    a.tokens[cue.tokens.0].lower != "old"
        || a.quantities.iter().any(|q| q.time_unit.is_some() && q.tokens.1 >= cue.tokens.0 && q.tokens.0 < cue.tokens.0)
}

/// The model's [`Comparison`] for a quantity, with sub-spans in whole-text offsets.
pub(crate) fn comparison(a: &Analysis, q: &Quantity, base: usize) -> Comparison {
    let span = |range: (usize, usize)| {
        let (s, e) = a.span_of(range);
        Span { start: base + s, end: base + e }
    };
    Comparison {
        operator: q.operator,
        value: q.value,
        value_high: q.value_high,
        unit: q.unit.clone(),
        operator_span: q.operator_tokens.map(span),
        value_span: Some(span((q.value_token, q.value_token + 1))),
        value_high_span: q.value_high_token.map(|t| span((t, t + 1))),
        unit_span: q.unit_tokens.map(span),
    }
}

/// The time window a temporal quantity states.
pub(crate) fn window(a: &Analysis, q: &Quantity) -> Option<TimeWindow> {
    let unit = q.time_unit?;
    // A range's far end bounds a window back from now ("within 4-6 weeks": the widest); its near
    // end is what a duration or a time since must reach ("diabetic for 2-20 years": at least 2).
    let far = Some(Duration::new(q.value_high.unwrap_or(q.value), unit));
    let near = Some(Duration::new(q.value, unit));
    let anchor = q.anchor_tokens.map(|t| a.text_of(t));
    let mut w = TimeWindow { anchor, ..TimeWindow::default() };
    match q.time_role? {
        TimeRole::Within => w.within = far,
        TimeRole::AtLeastAgo => w.at_least_ago = near,
        TimeRole::Duration => w.for_at_least = near,
        TimeRole::Plain => return None,
    }
    Some(w)
}
