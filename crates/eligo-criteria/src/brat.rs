//! Evaluation against expert annotations in brat standoff format (`NAME.txt` + `NAME.ann`), such as
//! the Leaf Clinical Trials (LCT) corpus.
//!
//! Only text-bound annotations (`T` lines) are read. Gold types are mapped onto Eligo's entity types
//! (see [`GOLD_TYPES`]); each document's text is parsed with [`crate::parse_criteria`], and every
//! entity is compared with the gold spans of its type, both **exact** (same start and end) and
//! **overlap** (any shared char; each gold span matched at most once, greedily in text order).
//!
//! Besides the per-type figures, pooled figures are reported:
//! * `clinical`: conditions, drugs, procedures and measurements together, as one class (a mention
//!   found with the wrong one of these four types still counts);
//! * `qualifier`: Eligo's qualifier entities against LCT's Severity, Acuteness, Stability and
//!   Modifier spans. Qualifiers LCT annotates under another type are scored under that type
//!   instead: events of a disease are LCT encounters (not scored), a numbered stage, grade or class
//!   ("stage IIIB", "NYHA class II") is an `Eq-Comparison`, "treated" a `Procedure`, and
//!   "symptomatic"/"asymptomatic" an `Assertion` (reported as `assertion`);
//! * `comparison operator+value`: the operator and value sub-spans of Eligo's comparison and temporal
//!   entities against the gold `Eq-Operator` and `Eq-Value` spans (LCT's `Eq-Comparison` covers time
//!   windows too), each role matched with its own role.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use eligo_model::{Entity, EntityType, QualifierKind};
use serde::Serialize;

use crate::parse_criteria;

/// Gold type → the name it is reported under. Types not listed are ignored.
pub const GOLD_TYPES: &[(&str, &str)] = &[
    ("Condition", "condition"),
    ("Drug", "drug"),
    ("Procedure", "procedure"),
    ("Observation", "measurement"),
    ("Age", "age"),
    ("Life-Stage-And-Gender", "sex"),
    ("Eq-Comparison", "comparison"),
    ("Negation", "negation"),
    ("Eq-Operator", "operator"),
    ("Eq-Value", "value"),
    // What narrows a concept: LCT's severity, acuteness and stability words and its modifiers.
    ("Severity", "qualifier"),
    ("Acuteness", "qualifier"),
    ("Stability", "qualifier"),
    ("Modifier", "qualifier"),
    ("Exception", "exception"),
    ("Assertion", "assertion"),
];

/// Report names of the types pooled as `clinical`.
const CLINICAL: &[&str] = &["condition", "drug", "procedure", "measurement"];

/// Why a document could not be evaluated.
#[derive(Debug, thiserror::Error)]
pub enum BratError {
    /// The I/O error is part of the message (not a chained source), so that the per-document
    /// errors an evaluation collects as text keep it, and a report prints it once.
    #[error("{path}: {cause}")]
    Io { path: PathBuf, cause: std::io::Error },
    #[error("{path}:{line}: {reason}")]
    Malformed { path: PathBuf, line: usize, reason: String },
    #[error("{path}: annotation {id} ({start}..{end}) lies outside the text ({len} chars)")]
    OutOfBounds { path: PathBuf, id: String, start: usize, end: usize, len: usize },
}

/// One text-bound annotation: its type and char span (discontinuous spans are joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSpan {
    pub id: String,
    pub kind: String,
    pub start: usize,
    pub end: usize,
}

/// Reads the `T` lines of an `.ann` file. Other lines (events, relations, attributes, notes) are
/// skipped; a malformed `T` line is an error naming its line.
pub fn read_ann(path: &Path, ann: &str) -> Result<Vec<GoldSpan>, BratError> {
    let mut out = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        if !line.starts_with('T') {
            continue;
        }
        let malformed =
            |reason: &str| BratError::Malformed { path: path.to_owned(), line: n + 1, reason: reason.into() };
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or_default();
        let body = cols.next().ok_or_else(|| malformed("expected ID<TAB>TYPE START END<TAB>TEXT"))?;
        let (kind, ranges) = body.split_once(' ').ok_or_else(|| malformed("no span after the type"))?;
        let mut bounds = Vec::new();
        for range in ranges.split(';') {
            let (s, e) = range.trim().split_once(' ').ok_or_else(|| malformed("span is not START END"))?;
            let s: usize = s.parse().map_err(|_| malformed("span start is not a number"))?;
            let e: usize = e.parse().map_err(|_| malformed("span end is not a number"))?;
            if e < s {
                return Err(malformed("span ends before it starts"));
            }
            bounds.push((s, e));
        }
        let start = bounds.iter().map(|b| b.0).min().ok_or_else(|| malformed("empty span"))?;
        let end = bounds.iter().map(|b| b.1).max().unwrap_or(start);
        out.push(GoldSpan { id: id.to_string(), kind: kind.to_string(), start, end });
    }
    Ok(out)
}

/// True/false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Exact and overlap counts for one reported type.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct TypeScore {
    pub exact: Counts,
    pub overlap: Counts,
}

/// The result of a whole evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evaluation {
    pub documents: u64,
    /// Reported type (`condition`, ..., `clinical`, `operator+value`) → counts.
    pub types: BTreeMap<String, TypeScore>,
    /// Documents that could not be read, with the reason.
    pub errors: Vec<String>,
    /// Chars of criteria text parsed.
    pub chars: u64,
}

impl std::fmt::Display for Evaluation {
    /// A table: one row per reported type, precision/recall/F1 exact and overlap, then the errors.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} documents, {} chars", self.documents, self.chars)?;
        writeln!(
            f,
            "{:<16} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6}",
            "type", "gold", "pred", "P", "R", "F1", "P~", "R~", "F1~"
        )?;
        for (name, s) in &self.types {
            let (e, o) = (s.exact, s.overlap);
            writeln!(
                f,
                "{:<16} {:>6} {:>6} | {:>6.3} {:>6.3} {:>6.3} | {:>6.3} {:>6.3} {:>6.3}",
                name,
                e.tp + e.fn_,
                e.tp + e.fp,
                e.precision(),
                e.recall(),
                e.f1(),
                o.precision(),
                o.recall(),
                o.f1()
            )?;
        }
        writeln!(f, "(P R F1: exact span; P~ R~ F1~: overlapping span)")?;
        for e in &self.errors {
            writeln!(f, "error: {e}")?;
        }
        Ok(())
    }
}

/// A predicted span under a reported type name.
type Labelled = (String, usize, usize);

/// Evaluates every `*.ann` under `dir` (recursively) whose `.txt` sits beside it.
pub fn evaluate_dir(dir: &Path) -> Result<Evaluation, BratError> {
    let mut eval = Evaluation::default();
    for ann_path in ann_files(dir)? {
        match evaluate_file(&ann_path) {
            Ok((text_len, doc)) => {
                eval.documents += 1;
                eval.chars += text_len as u64;
                for (name, score) in doc {
                    let entry = eval.types.entry(name).or_default();
                    entry.exact.add(score.exact);
                    entry.overlap.add(score.overlap);
                }
            }
            Err(e) => eval.errors.push(e.to_string()),
        }
    }
    Ok(eval)
}

/// Every `*.ann` under `dir` (recursively) whose `.txt` sits beside it, sorted.
pub fn ann_files(dir: &Path) -> Result<Vec<PathBuf>, BratError> {
    let mut files = Vec::new();
    collect_ann_files(dir, &mut files)?;
    files.sort();
    Ok(files)
}

fn collect_ann_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), BratError> {
    let io = |cause| BratError::Io { path: dir.to_owned(), cause };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_ann_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "ann") && path.with_extension("txt").is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// Scores one document; returns its length in chars and its per-type scores.
pub fn evaluate_file(ann_path: &Path) -> Result<(usize, BTreeMap<String, TypeScore>), BratError> {
    let (text, gold) = read_document(ann_path)?;
    Ok((text.chars().count(), score_document(&text, &gold)))
}

/// A document's text and its gold spans, checked to lie inside the text.
pub fn read_document(ann_path: &Path) -> Result<(String, Vec<GoldSpan>), BratError> {
    let txt_path = ann_path.with_extension("txt");
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|cause| BratError::Io { path: p.to_owned(), cause });
    let text = read(&txt_path)?;
    let gold = read_ann(ann_path, &read(ann_path)?)?;
    let len = text.chars().count();
    if let Some(g) = gold.iter().find(|g| g.end > len) {
        return Err(BratError::OutOfBounds {
            path: ann_path.to_owned(),
            id: g.id.clone(),
            start: g.start,
            end: g.end,
            len,
        });
    }
    Ok((text, gold))
}

/// Eligo's spans and the gold spans of `text`, both under the reported type names.
fn labelled_spans(text: &str, gold: &[GoldSpan]) -> (Vec<Labelled>, Vec<Labelled>) {
    let entities: Vec<Entity> = parse_criteria(text).into_iter().flat_map(|c| c.entities).collect();
    let gold = gold
        .iter()
        .filter_map(|g| {
            let (_, name) = GOLD_TYPES.iter().find(|(t, _)| *t == g.kind)?;
            Some((name.to_string(), g.start, g.end))
        })
        .collect();
    (predicted_spans(&entities), gold)
}

/// What overlap matching made of one span of a reported type (`eval_brat DIR --errors qualifier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanOutcome {
    /// A gold span no Eligo span of the type overlaps.
    Missed,
    /// An Eligo span that overlaps no gold span of the type.
    False,
    /// An Eligo span paired with a gold span.
    Hit,
}

/// One span of a reported type with its outcome, and the other types Eligo gave text overlapping
/// it ("condition"): a miss read as part of a condition is a boundary question, a miss read as
/// nothing is an unread word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanReading {
    pub outcome: SpanOutcome,
    /// Char range in the document text.
    pub span: (usize, usize),
    pub read_as: Vec<String>,
}

/// Every span of the reported type `name` in one document, gold or Eligo's, with its outcome.
pub fn span_readings(text: &str, gold: &[GoldSpan], name: &str) -> Vec<SpanReading> {
    let (labelled, gold) = labelled_spans(text, gold);
    let pick = |spans: &[Labelled]| -> Vec<(usize, usize)> {
        spans.iter().filter(|(n, _, _)| n == name).map(|&(_, s, e)| (s, e)).collect()
    };
    let (predicted, gold) = (pick(&labelled), pick(&gold));
    let paired = overlap_pairs(&predicted, &gold);
    let read_as = |(s, e): (usize, usize)| {
        let mut names: Vec<String> =
            labelled.iter().filter(|(n, a, b)| n != name && *a < e && s < *b).map(|(n, _, _)| n.clone()).collect();
        names.dedup();
        names
    };
    let reading = |outcome, span| SpanReading { outcome, span, read_as: read_as(span) };
    let missed = gold.iter().enumerate().filter(|(i, _)| !paired.iter().any(|p| p.1 == *i));
    let predicted = predicted.iter().enumerate().map(|(i, s)| {
        let outcome = if paired.iter().any(|p| p.0 == i) { SpanOutcome::Hit } else { SpanOutcome::False };
        reading(outcome, *s)
    });
    missed.map(|(_, s)| reading(SpanOutcome::Missed, *s)).chain(predicted).collect()
}

/// Scores Eligo's parse of `text` against gold spans.
pub fn score_document(text: &str, gold: &[GoldSpan]) -> BTreeMap<String, TypeScore> {
    let (predicted, gold) = labelled_spans(text, gold);
    let mut names: Vec<&str> = GOLD_TYPES.iter().map(|(_, n)| *n).collect();
    names.dedup();
    names.push("clinical");
    let mut out = BTreeMap::new();
    for name in names {
        let pick = |spans: &[Labelled]| -> Vec<(usize, usize)> {
            spans
                .iter()
                .filter(|(n, _, _)| n == name || (name == "clinical" && CLINICAL.contains(&n.as_str())))
                .map(|&(_, s, e)| (s, e))
                .collect()
        };
        out.insert(name.to_string(), score_spans(&pick(&predicted), &pick(&gold)));
    }
    let op_value = ["operator", "value"].iter().fold(TypeScore::default(), |mut acc, name| {
        let s = &out[*name];
        acc.exact.add(s.exact);
        acc.overlap.add(s.overlap);
        acc
    });
    out.insert("operator+value".to_string(), op_value);
    out
}

/// Eligo's entities under the reported type names. Pregnancy and lactation are conditions in LCT,
/// contraception a procedure; comparison and temporal entities are both `Eq-Comparison`, and their
/// sub-spans give the operator and value spans.
fn predicted_spans(entities: &[Entity]) -> Vec<Labelled> {
    let mut out = Vec::new();
    for e in entities {
        let name = match e.kind {
            EntityType::Condition => "condition",
            EntityType::Drug => "drug",
            EntityType::Procedure => "procedure",
            EntityType::Measurement => "measurement",
            EntityType::Age => "age",
            EntityType::Sex => "sex",
            EntityType::Negation => "negation",
            EntityType::Comparison | EntityType::Temporal => "comparison",
            EntityType::Pregnancy if is_contraception(e) => "procedure",
            EntityType::Pregnancy => "condition",
            EntityType::Qualifier => lct_qualifier_type(e),
            EntityType::Exception => "exception",
        };
        out.push((name.to_string(), e.start, e.end));
        if let Some(c) = &e.comparison {
            out.extend(c.operator_span.map(|s| ("operator".to_string(), s.start, s.end)));
            for s in [c.value_span, c.value_high_span].into_iter().flatten() {
                out.push(("value".to_string(), s.start, s.end));
            }
        }
    }
    out
}

/// The report name of a qualifier entity under LCT's scheme (see the module documentation).
fn lct_qualifier_type(e: &Entity) -> &'static str {
    let text = e.text.to_lowercase();
    let numbered = ["stage ", "grade ", "class "].iter().any(|label| text.starts_with(label));
    match e.qualifier {
        // LCT has no type for events of a disease (it calls a hospital stay an encounter).
        Some(QualifierKind::Event) => "event",
        Some(QualifierKind::Stage | QualifierKind::Severity) if numbered => "comparison",
        Some(QualifierKind::Activity) if text == "treated" => "procedure",
        Some(QualifierKind::Activity) if text == "symptomatic" || text == "asymptomatic" => "assertion",
        _ => "qualifier",
    }
}

fn is_contraception(e: &Entity) -> bool {
    let t = e.text.to_lowercase();
    t.contains("contracept") || t.contains("birth control")
}

/// Exact and greedy one-to-one overlap matching of two span lists.
fn score_spans(predicted: &[(usize, usize)], gold: &[(usize, usize)]) -> TypeScore {
    let exact_tp = predicted.iter().filter(|p| gold.contains(p)).count() as u64;
    let exact = Counts { tp: exact_tp, fp: predicted.len() as u64 - exact_tp, fn_: gold.len() as u64 - exact_tp };
    let overlap_tp = overlap_pairs(predicted, gold).len() as u64;
    let overlap =
        Counts { tp: overlap_tp, fp: predicted.len() as u64 - overlap_tp, fn_: gold.len() as u64 - overlap_tp };
    TypeScore { exact, overlap }
}

/// Greedy one-to-one overlap pairs (predicted index, gold index): each predicted span in order
/// takes the first unused gold span it shares a char with.
fn overlap_pairs(predicted: &[(usize, usize)], gold: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut used = vec![false; gold.len()];
    let mut pairs = Vec::new();
    for (k, p) in predicted.iter().enumerate() {
        let hit = gold.iter().enumerate().find(|(i, g)| !used[*i] && p.0 < g.1 && g.0 < p.1 && p.1 > p.0);
        if let Some((i, _)) = hit {
            used[i] = true;
            pairs.push((k, i));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_bound_annotations_and_skips_the_rest() {
        let ann =
            "T1\tCondition 10 20\tsome text\nE1\tCondition:T1\nT2\tDrug 30 35;40 45\tab cd\nR1\tAnd Arg1:T1 Arg2:T2\n";
        let spans = read_ann(Path::new("x.ann"), ann).unwrap();
        assert_eq!(spans.len(), 2);
        assert_eq!((spans[1].start, spans[1].end), (30, 45));
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let err = read_ann(Path::new("x.ann"), "T1\tCondition 10 20\tok\nT2\tDrug ten 20\tbad\n").unwrap_err();
        assert!(err.to_string().contains("x.ann:2"), "{err}");
    }

    #[test]
    fn overlap_matching_is_one_to_one() {
        let s = score_spans(&[(0, 5), (2, 4)], &[(0, 5)]);
        assert_eq!(s.exact, Counts { tp: 1, fp: 1, fn_: 0 });
        assert_eq!(s.overlap, Counts { tp: 1, fp: 1, fn_: 0 });
        let s = score_spans(&[(0, 3)], &[(2, 6)]);
        assert_eq!((s.exact.tp, s.overlap.tp), (0, 1));
    }

    #[test]
    fn qualifiers_and_exceptions_are_scored_against_their_lct_types() {
        let text = "Exclusion Criteria:\n- Severe lesions of the hands other than warts\n";
        let at = |w: &str| text.find(w).unwrap();
        let span =
            |kind: &str, w: &str| GoldSpan { id: "T".into(), kind: kind.into(), start: at(w), end: at(w) + w.len() };
        let gold = vec![span("Severity", "Severe"), span("Modifier", "hands"), span("Exception", "other than")];
        let scores = score_document(text, &gold);
        assert_eq!(scores["qualifier"].exact, Counts { tp: 2, fp: 0, fn_: 0 });
        assert_eq!(scores["exception"].exact.tp, 1);
    }

    #[test]
    fn qualifiers_lct_types_otherwise_are_scored_under_those_types() {
        let text = "Exclusion Criteria:\n- Heart failure NYHA class III\n- Symptomatic anemia\n";
        let at = |w: &str| text.find(w).unwrap();
        let span =
            |kind: &str, w: &str| GoldSpan { id: "T".into(), kind: kind.into(), start: at(w), end: at(w) + w.len() };
        let gold = vec![span("Eq-Comparison", "class III"), span("Assertion", "Symptomatic")];
        let scores = score_document(text, &gold);
        assert_eq!(scores["comparison"].exact.tp, 1, "{scores:?}");
        assert_eq!(scores["assertion"].exact.tp, 1, "{scores:?}");
        assert_eq!(scores["qualifier"].exact.fp, 0, "{scores:?}");
    }

    #[test]
    fn span_readings_name_misses_false_spans_and_what_a_miss_was_read_as() {
        let text = "Exclusion Criteria:\n- Severe asthma of the lungs\n";
        let at = |w: &str| text.find(w).unwrap();
        let gold =
            vec![GoldSpan { id: "T1".into(), kind: "Modifier".into(), start: at("asthma"), end: at("asthma") + 6 }];
        let readings = span_readings(text, &gold, "qualifier");
        let of = |outcome| readings.iter().filter(|r| r.outcome == outcome).collect::<Vec<_>>();
        let missed = of(SpanOutcome::Missed);
        assert_eq!(missed.len(), 1, "{readings:?}");
        assert_eq!(missed[0].span, (at("asthma"), at("asthma") + 6));
        assert_eq!(missed[0].read_as, vec!["condition".to_string()], "{readings:?}");
        assert!(of(SpanOutcome::False).iter().any(|r| r.span == (at("Severe"), at("Severe") + 6)), "{readings:?}");
    }

    #[test]
    fn scores_a_small_document() {
        let text = "Inclusion Criteria:\n- eGFR < 30 mL/min\n";
        let start = text.find("eGFR").unwrap();
        let gold = vec![
            GoldSpan { id: "T1".into(), kind: "Observation".into(), start, end: start + 4 },
            GoldSpan { id: "T2".into(), kind: "Eq-Operator".into(), start: start + 5, end: start + 6 },
            GoldSpan { id: "T3".into(), kind: "Eq-Value".into(), start: start + 7, end: start + 9 },
        ];
        let scores = score_document(text, &gold);
        assert_eq!(scores["measurement"].exact.tp, 1);
        assert_eq!(scores["operator+value"].exact.tp, 2);
    }
}
