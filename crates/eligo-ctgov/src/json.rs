//! ClinicalTrials.gov API v2 JSON → [`Trial`].
//!
//! One reader, [`read`], accepts every shape the registry and its mirrors
//! produce: a single study object, an API page
//! (`{"studies":[...],"nextPageToken":...,"totalCount":...}`), a top-level
//! array of studies, and JSON Lines (one study per line). The layout is
//! guessed from the first line, so callers never have to say which it is.
//!
//! Mapping goes through typed serde structs (every field optional) rather
//! than walking `serde_json::Value`s by hand: serde then reports wrong JSON
//! types for us, and JSON Lines records deserialize straight from the line
//! without an intermediate tree, which is what keeps ingest fast.
//!
//! Leniency rules, shared with the XML reader:
//! - a record without a valid NCT ID, or with a field of the wrong JSON type,
//!   is a [`RecordError`]; the reader goes on with the next record;
//! - an enumeration value the model does not know is kept verbatim (open
//!   enums) and reported as a warning;
//! - an unparseable date or age is a warning and the field stays empty.

use std::fmt;
use std::io::{self, BufRead, Cursor, Read};

use eligo_model::{
    normalize_nct_id, Actuality, AgencyClass, Allocation, ArmGroup, ArmGroupType, Contact, ContactRole, Design,
    Duration, Eligibility, Enrollment, GeoPoint, IdKind, Intervention, InterventionModel, InterventionType, Location,
    Masking, MeshTerm, OverallStatus, PartialDate, Phase, PrimaryPurpose, Reference, ReferenceType, SecondaryId, Sex,
    Sponsor, StdAge, StudyType, Trial, TrialDate,
};
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::{Origin, ParsedRecord, RecordError, RecordResult};

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// How a JSON document was laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonLayout {
    /// Nothing but white space.
    #[default]
    Empty,
    /// One study object.
    Study,
    /// An API v2 `/studies` response page.
    Page,
    /// A top-level array of study objects.
    Array,
    /// JSON Lines, one study per line.
    Lines,
}

/// What [`read`] found besides the records it handed to the sink.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadSummary {
    pub layout: JsonLayout,
    /// Records handed to the sink as `Ok`.
    pub records: usize,
    /// Records handed to the sink as `Err`.
    pub errors: usize,
    /// The API page's `nextPageToken`: the sync client asks for the next page with it.
    pub next_page_token: Option<String>,
    /// The API page's `totalCount` (only present when the request asked for it).
    pub total_count: Option<u64>,
}

/// Reads a JSON document of any supported layout and hands every study to
/// `sink` as soon as it is parsed.
///
/// Bad records (malformed line, wrong type, missing NCT ID, invalid UTF-8,
/// truncation) reach the sink as [`RecordError`]s and never stop the reader.
/// `Err` is returned only when the underlying reader itself fails (an I/O
/// error), since then nothing further can be read; records already handed
/// over stay valid.
///
/// Memory: JSON Lines are read line by line into one reused buffer; pages and
/// arrays are streamed study by study, so only one study's tree is held at a
/// time.
pub fn read<R: BufRead>(reader: R, origin: &Origin, sink: &mut dyn FnMut(RecordResult)) -> io::Result<ReadSummary> {
    let mut emitter = Emitter { origin, sink, records: 0, errors: 0 };
    let mut summary = read_any(reader, &mut emitter)?;
    summary.records = emitter.records;
    summary.errors = emitter.errors;
    Ok(summary)
}

/// Maps one API v2 study object to a [`Trial`] plus warnings.
///
/// `Err` carries the reason the record cannot be used (wrong JSON type, no
/// valid NCT ID). `sources` is `[origin.source_record()]` and provenance
/// attributes every present field to it.
pub fn study_to_trial(value: &Value, origin: &Origin) -> Result<(Trial, Vec<String>), String> {
    match Study::deserialize(value) {
        Ok(study) => study.into_trial(origin),
        Err(error) => Err(describe_type_error(value, &error)),
    }
}

/// Like [`study_to_trial`] but from JSON text, without building a `Value`
/// tree first (the fast path used for JSON Lines).
pub fn study_from_str(text: &str, origin: &Origin) -> Result<(Trial, Vec<String>), String> {
    match serde_json::from_str::<Study>(text) {
        Ok(study) => study.into_trial(origin),
        Err(error) => Err(explain_text_error(text, &error)),
    }
}

// ---------------------------------------------------------------------------
// Emitting records
// ---------------------------------------------------------------------------

/// Wraps the caller's sink, counting what goes through it.
struct Emitter<'a> {
    origin: &'a Origin,
    sink: &'a mut dyn FnMut(RecordResult),
    records: usize,
    errors: usize,
}

impl Emitter<'_> {
    fn emit(&mut self, location: String, outcome: Result<(Trial, Vec<String>), String>, nct_hint: Option<String>) {
        match outcome {
            Ok((trial, warnings)) => {
                self.records += 1;
                (self.sink)(Ok(ParsedRecord { trial, location, warnings }));
            }
            Err(reason) => self.error(location, nct_hint, reason),
        }
    }

    fn error(&mut self, location: String, nct_id: Option<String>, reason: String) {
        self.errors += 1;
        (self.sink)(Err(RecordError { uri: self.origin.uri.clone(), location, nct_id, reason }));
    }

    /// Maps and emits one study already parsed into a tree (pages, arrays).
    fn study_value(&mut self, value: &Value, location: String) {
        let outcome = study_to_trial(value, self.origin);
        let hint = if outcome.is_err() { nct_in_value(value) } else { None };
        self.emit(location, outcome, hint);
    }
}

// ---------------------------------------------------------------------------
// Layout detection
// ---------------------------------------------------------------------------

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Reads the first non-blank line(s) and decides between JSON Lines and one
/// JSON document (study, page or array).
///
/// - first byte `[` → array document;
/// - first line is one complete object and nothing follows → one document
///   (a single-line study, or an API response page);
/// - first line is one complete object and more follows → JSON Lines;
/// - first line is incomplete but the next line is a complete object and the
///   first does not end like the inside of a pretty-printed document
///   (`{`, `[`, `,`, `:`) → JSON Lines whose first line is broken;
/// - otherwise → a multi-line document.
fn read_any<R: BufRead>(mut reader: R, emitter: &mut Emitter) -> io::Result<ReadSummary> {
    skip_bom(&mut reader)?;
    let mut head = Vec::new();
    let Some(first_start) = read_nonblank_line(&mut reader, &mut head)? else {
        return Ok(ReadSummary::default());
    };
    let first = trim_ascii(&head[first_start..]);
    if first[0] == b'[' {
        return read_document_stream(Cursor::new(head).chain(reader), emitter);
    }
    if is_one_complete_value(first) {
        if rest_is_blank(&mut reader)? {
            return read_document_slice(&head, emitter);
        }
        return read_lines(head, reader, emitter);
    }
    let ends_like_document = matches!(first.last(), Some(b'{' | b'[' | b',' | b':'));
    let second_start = head.len();
    let has_second = read_nonblank_line(&mut reader, &mut head)?.is_some();
    if has_second && !ends_like_document && is_one_complete_value(trim_ascii(&head[second_start..])) {
        return read_lines(head, reader, emitter);
    }
    read_document_stream(Cursor::new(head).chain(reader), emitter)
}

fn skip_bom<R: BufRead>(reader: &mut R) -> io::Result<()> {
    if reader.fill_buf()?.starts_with(BOM) {
        reader.consume(BOM.len());
    }
    Ok(())
}

/// Appends lines to `buf` until one is not blank; returns where that line
/// starts in `buf`, or `None` at end of input.
fn read_nonblank_line<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>) -> io::Result<Option<usize>> {
    loop {
        let start = buf.len();
        if reader.read_until(b'\n', buf)? == 0 {
            return Ok(None);
        }
        if !trim_ascii(&buf[start..]).is_empty() {
            return Ok(Some(start));
        }
    }
}

fn rest_is_blank<R: BufRead>(reader: &mut R) -> io::Result<bool> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(true);
        }
        match chunk.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(_) => return Ok(false),
            None => {
                let len = chunk.len();
                reader.consume(len);
            }
        }
    }
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |i| i + 1);
    &bytes[start..end.max(start)]
}

/// True when `bytes` is one JSON object or array whose brackets balance
/// exactly at the end. A cheap structural scan (strings and escapes are
/// respected, nothing else is validated) so that layout detection never builds
/// a tree of what may be a 20 MB single-line page.
fn is_one_complete_value(bytes: &[u8]) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => return false,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1 == bytes.len();
                }
            }
            _ => {}
        }
    }
    false
}

// ---------------------------------------------------------------------------
// JSON Lines
// ---------------------------------------------------------------------------

/// Reads JSON Lines: `head` holds the lines already read during detection.
/// Each line is an independent record; a bad line is reported as "line N" and
/// reading goes on.
fn read_lines<R: BufRead>(head: Vec<u8>, mut reader: R, emitter: &mut Emitter) -> io::Result<ReadSummary> {
    let mut cursor = LineCursor { line: 0, offset: 0 };
    for raw in head.split_inclusive(|&b| b == b'\n') {
        cursor.handle(raw, emitter);
    }
    let mut buf = head;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        cursor.handle(&buf, emitter);
    }
    Ok(ReadSummary { layout: JsonLayout::Lines, ..ReadSummary::default() })
}

/// Position in a JSON Lines document (1-based line, byte offset of the line
/// start counted from after any BOM).
struct LineCursor {
    line: usize,
    offset: usize,
}

impl LineCursor {
    fn handle(&mut self, raw: &[u8], emitter: &mut Emitter) {
        self.line += 1;
        let start = self.offset;
        self.offset += raw.len();
        let leading = raw.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(raw.len());
        let line = trim_ascii(raw);
        if line.is_empty() {
            return;
        }
        let location = format!("line {}", self.line);
        let text = match std::str::from_utf8(line) {
            Ok(text) => text,
            Err(error) => {
                let reason = format!("not valid UTF-8 (byte offset {})", start + leading + error.valid_up_to());
                emitter.error(location, nct_in_bytes(line), reason);
                return;
            }
        };
        let outcome = study_from_str(text, emitter.origin);
        let hint = if outcome.is_err() { nct_in_bytes(line) } else { None };
        emitter.emit(location, outcome, hint);
    }
}

// ---------------------------------------------------------------------------
// One document: study, page or array
// ---------------------------------------------------------------------------

/// A document already in memory (it was one line): parsed from the slice,
/// which is faster than from a reader, and available for error diagnostics.
fn read_document_slice(bytes: &[u8], emitter: &mut Emitter) -> io::Result<ReadSummary> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    read_document(&mut de, emitter, Some(bytes))
}

fn read_document_stream<R: Read>(reader: R, emitter: &mut Emitter) -> io::Result<ReadSummary> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    read_document(&mut de, emitter, None)
}

/// Streams one document through [`DocumentSeed`]; a syntax error or
/// truncation becomes one final `RecordError` after the studies already read.
fn read_document<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
    emitter: &mut Emitter,
    source: Option<&[u8]>,
) -> io::Result<ReadSummary> {
    let mut progress = Progress::default();
    let parsed = DocumentSeed { emitter: &mut *emitter, progress: &mut progress }.deserialize(&mut *de);
    let result = parsed.and_then(|()| de.end());
    if let Err(error) = result {
        if error.is_io() {
            return Err(error.into());
        }
        let (location, mut reason) = progress.describe_failure(&error);
        let single_study = progress.summary.layout == JsonLayout::Study && !progress.finished;
        let text = source.and_then(|bytes| std::str::from_utf8(bytes).ok()).filter(|_| single_study);
        if let Some(text) = text {
            reason = explain_text_error(text, &error);
        }
        emitter.error(location, source.and_then(nct_in_bytes), reason);
    }
    Ok(progress.summary)
}

/// How far a document stream got, to say where it broke.
#[derive(Default)]
struct Progress {
    summary: ReadSummary,
    /// Studies of the page/array seen so far (emitted or failed).
    studies: usize,
    in_studies: bool,
    finished: bool,
}

impl Progress {
    fn describe_failure(&self, error: &serde_json::Error) -> (String, String) {
        let location = match (self.summary.layout, self.in_studies, self.finished) {
            (_, _, true) => "end of document".to_string(),
            (JsonLayout::Page | JsonLayout::Array, true, _) => format!("study {}", self.studies + 1),
            (JsonLayout::Page | JsonLayout::Array, false, _) => format!("after study {}", self.studies),
            _ => "study 1".to_string(),
        };
        let reason = match error.classify() {
            serde_json::error::Category::Eof => format!("truncated: the document ends too early ({error})"),
            _ if self.finished => format!("unexpected content after the document ({error})"),
            serde_json::error::Category::Data if self.summary.layout == JsonLayout::Study => {
                format!("wrong JSON type ({error})")
            }
            serde_json::error::Category::Data => format!("not a study, an API page or an array of studies ({error})"),
            _ => format!("malformed JSON ({error})"),
        };
        (location, reason)
    }
}

/// The top-level visitor: an object is a page (has `studies`) or a study;
/// an array is a list of studies.
struct DocumentSeed<'a, 'b> {
    emitter: &'a mut Emitter<'b>,
    progress: &'a mut Progress,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a study object, an API page or an array of studies")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.progress.summary.layout = JsonLayout::Array;
        let result = StudiesSeed { emitter: self.emitter, progress: &mut *self.progress }.visit_seq(seq);
        self.progress.finished = result.is_ok();
        result
    }

    /// A single study's sections deserialize straight into the typed
    /// structs (no tree): a wrong type then fails the document, which for a
    /// one-study document is the same as failing the record.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut study = Study { protocol_section: None, derived_section: None };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "studies" => {
                    self.progress.summary.layout = JsonLayout::Page;
                    map.next_value_seed(StudiesSeed { emitter: &mut *self.emitter, progress: &mut *self.progress })?;
                }
                "nextPageToken" => self.progress.summary.next_page_token = map.next_value()?,
                "totalCount" => self.progress.summary.total_count = map.next_value()?,
                "protocolSection" => {
                    self.progress.summary.layout = JsonLayout::Study;
                    study.protocol_section = map.next_value()?;
                }
                "derivedSection" => {
                    self.progress.summary.layout = JsonLayout::Study;
                    study.derived_section = map.next_value()?;
                }
                // resultsSection, documentSection, ...: not part of the model.
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        self.progress.finished = true;
        if self.progress.summary.layout != JsonLayout::Page {
            self.progress.summary.layout = JsonLayout::Study;
            let outcome = study.into_trial(self.emitter.origin);
            self.emitter.emit("study 1".to_string(), outcome, None);
        }
        Ok(())
    }
}

/// Streams the elements of a `studies` array (or a top-level array) one tree
/// at a time.
struct StudiesSeed<'a, 'b> {
    emitter: &'a mut Emitter<'b>,
    progress: &'a mut Progress,
}

impl<'de> DeserializeSeed<'de> for StudiesSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for StudiesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of studies")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.progress.in_studies = true;
        while let Some(value) = seq.next_element::<Value>()? {
            self.progress.studies += 1;
            self.emitter.study_value(&value, format!("study {}", self.progress.studies));
        }
        self.progress.in_studies = false;
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Error explanations
// ---------------------------------------------------------------------------

fn explain_text_error(text: &str, error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match error.classify() {
        Category::Eof => format!("truncated JSON ({error})"),
        Category::Syntax | Category::Io => format!("malformed JSON ({error})"),
        Category::Data => match serde_json::from_str::<Value>(text) {
            Ok(value) => describe_type_error(&value, error),
            Err(_) => format!("wrong JSON type ({error})"),
        },
    }
}

/// Names the field whose JSON type is wrong, e.g. "wrong JSON type at
/// protocolSection.conditionsModule.conditions: invalid type: integer `5`,
/// expected a sequence". Runs only on the error path: it retries the typed
/// module structs one by one, then the failing module's fields one by one.
fn describe_type_error(value: &Value, error: &impl fmt::Display) -> String {
    let Some(study) = value.as_object() else {
        return format!("expected a study object, found {}", json_kind(value));
    };
    let sections: [(&str, &[(&str, Check)]); 2] =
        [("protocolSection", &PROTOCOL_MODULES), ("derivedSection", &DERIVED_MODULES)];
    for (section, modules) in sections {
        let Some(section_value) = study.get(section) else { continue };
        let Some(section_map) = section_value.as_object() else {
            return format!("wrong JSON type at {section}: expected an object, found {}", json_kind(section_value));
        };
        for (module, check) in modules {
            if let Some(module_value) = section_map.get(*module) {
                if let Err(reason) = check(module_value) {
                    let path = format!("{section}.{module}{}", failing_field(module_value, *check));
                    return format!("wrong JSON type at {path}: {reason}");
                }
            }
        }
    }
    format!("wrong JSON type ({error})")
}

type Check = fn(&Value) -> Result<(), String>;

fn check<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    T::deserialize(value).map(drop).map_err(|e| e.to_string())
}

const PROTOCOL_MODULES: [(&str, Check); 10] = [
    ("identificationModule", check::<Identification>),
    ("statusModule", check::<StatusModule>),
    ("sponsorCollaboratorsModule", check::<SponsorsModule>),
    ("descriptionModule", check::<DescriptionModule>),
    ("conditionsModule", check::<ConditionsModule>),
    ("designModule", check::<DesignModule>),
    ("armsInterventionsModule", check::<ArmsInterventionsModule>),
    ("eligibilityModule", check::<EligibilityModule>),
    ("contactsLocationsModule", check::<ContactsLocationsModule>),
    ("referencesModule", check::<ReferencesModule>),
];

const DERIVED_MODULES: [(&str, Check); 2] =
    [("conditionBrowseModule", check::<BrowseModule>), ("interventionBrowseModule", check::<BrowseModule>)];

/// ".field" of the first field of a module object that fails on its own.
fn failing_field(module: &Value, check: Check) -> String {
    let Some(fields) = module.as_object() else { return String::new() };
    for (name, field) in fields {
        let single = Value::Object(std::iter::once((name.clone(), field.clone())).collect());
        if check(&single).is_err() {
            return format!(".{name}");
        }
    }
    String::new()
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn nct_in_value(value: &Value) -> Option<String> {
    value.pointer("/protocolSection/identificationModule/nctId").and_then(Value::as_str).and_then(normalize_nct_id)
}

/// Finds `"nctId": "NCT…"` in raw bytes, for naming records that do not
/// parse at all.
fn nct_in_bytes(bytes: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"\"nctId\"";
    let at = bytes.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let rest = &bytes[at..];
    let open = rest.iter().position(|&b| b == b'"')?;
    let value = &rest[open + 1..];
    let close = value.iter().position(|&b| b == b'"')?;
    normalize_nct_id(std::str::from_utf8(&value[..close]).ok()?)
}

// ---------------------------------------------------------------------------
// Shared mapping helpers (also used by the XML reader)
// ---------------------------------------------------------------------------

/// The model's open enumerations, so one helper can parse any of them and
/// report values kept verbatim.
pub(crate) trait OpenEnum: Sized {
    fn parse_open(raw: &str) -> Self;
    fn known(&self) -> bool;
}

macro_rules! open_enum_impls {
    ($($t:ty),* $(,)?) => {
        $(impl OpenEnum for $t {
            /// Exact API spellings are matched without the allocations of
            /// the model's spelling-insensitive `parse` (a hot path in bulk ingest).
            fn parse_open(raw: &str) -> Self {
                <$t>::KNOWN.iter().find(|v| v.as_api_str() == raw).cloned().unwrap_or_else(|| <$t>::parse(raw))
            }
            fn known(&self) -> bool { self.is_known() }
        })*
    };
}

open_enum_impls!(
    OverallStatus,
    Phase,
    StudyType,
    Allocation,
    InterventionModel,
    Masking,
    PrimaryPurpose,
    InterventionType,
    Sex,
    StdAge,
    Actuality,
    ArmGroupType,
    AgencyClass,
    ReferenceType,
    ContactRole,
);

/// Collects the warnings of one record while its fields are converted.
#[derive(Default)]
pub(crate) struct Notes(pub(crate) Vec<String>);

impl Notes {
    pub(crate) fn warn(&mut self, message: String) {
        self.0.push(message);
    }

    /// Parses an open enum; unknown spellings are kept and reported.
    pub(crate) fn enum_of<E: OpenEnum>(&mut self, field: &str, raw: Option<&str>) -> Option<E> {
        let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
        let value = E::parse_open(raw);
        if !value.known() {
            self.warn(format!("unknown {field} {raw:?} kept verbatim"));
        }
        Some(value)
    }

    pub(crate) fn date(&mut self, field: &str, raw: Option<&str>) -> Option<PartialDate> {
        let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
        match raw.parse() {
            Ok(date) => Some(date),
            Err(_) => {
                self.warn(format!("unparseable {field} {raw:?} left empty"));
                None
            }
        }
    }

    pub(crate) fn trial_date(&mut self, field: &str, date: Option<&str>, kind: Option<&str>) -> Option<TrialDate> {
        let date = self.date(field, date)?;
        Some(TrialDate::new(date, self.enum_of(field, kind)))
    }

    /// Registry ages; "N/A" and "None" mean no limit and are not worth a warning.
    pub(crate) fn age(&mut self, field: &str, raw: Option<&str>) -> Option<Duration> {
        let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
        let parsed = Duration::parse_age(raw);
        let no_limit = matches!(raw.to_ascii_lowercase().as_str(), "n/a" | "na" | "none" | "no limit");
        if parsed.is_none() && !no_limit {
            self.warn(format!("unparseable {field} {raw:?} left empty"));
        }
        parsed
    }
}

/// Validates the NCT ID a record must have.
pub(crate) fn require_nct_id(raw: Option<&str>, field: &str) -> Result<String, String> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Err(format!("missing NCT ID ({field})")),
        Some(raw) => normalize_nct_id(raw).ok_or_else(|| format!("invalid NCT ID {raw:?} ({field})")),
    }
}

/// Stamps a freshly built record with its single source and field provenance.
pub(crate) fn finish_trial(trial: &mut Trial, origin: &Origin) {
    trial.sources = vec![origin.source_record()];
    trial.attribute_present_fields(0, 1.0);
}

/// Classifies a secondary ID from its shape, then lets the registry's own
/// `type` (API v2 `secondaryIdInfos[].type`) override where it is specific.
pub(crate) fn secondary_id(id: &str, id_type: Option<&str>, domain: Option<String>) -> SecondaryId {
    let mut secondary = SecondaryId::new(id);
    let by_type = match id_type.map(|t| t.trim().to_ascii_uppercase()).as_deref() {
        Some("NIH") => Some(IdKind::Nih),
        Some("EUDRACT_NUMBER") => Some(IdKind::EudraCt),
        Some("CTIS") => Some(IdKind::Ctis),
        Some("REGISTRY") if secondary.kind == IdKind::Sponsor => Some(IdKind::Registry),
        Some("FDA" | "VA" | "CDC" | "AHRQ" | "SAMHSA" | "OTHER_GRANT") => Some(IdKind::Other),
        _ => None,
    };
    if let Some(kind) = by_type {
        secondary.kind = kind;
    }
    secondary.domain = domain.filter(|d| !d.trim().is_empty());
    secondary
}

/// Drops blank strings and trims the rest.
pub(crate) fn clean(text: Option<String>) -> Option<String> {
    let text = text?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == text.len() {
        Some(text)
    } else {
        Some(trimmed.to_string())
    }
}

fn clean_list(list: Option<Vec<String>>) -> Vec<String> {
    list.unwrap_or_default().into_iter().filter_map(|s| clean(Some(s))).collect()
}

// ---------------------------------------------------------------------------
// API v2 structure (only what the model keeps; unknown fields are ignored)
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Study {
    protocol_section: Option<Protocol>,
    derived_section: Option<Derived>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Protocol {
    identification_module: Option<Identification>,
    status_module: Option<StatusModule>,
    sponsor_collaborators_module: Option<SponsorsModule>,
    description_module: Option<DescriptionModule>,
    conditions_module: Option<ConditionsModule>,
    design_module: Option<DesignModule>,
    arms_interventions_module: Option<ArmsInterventionsModule>,
    eligibility_module: Option<EligibilityModule>,
    contacts_locations_module: Option<ContactsLocationsModule>,
    references_module: Option<ReferencesModule>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Identification {
    nct_id: Option<String>,
    org_study_id_info: Option<OrgStudyIdInfo>,
    secondary_id_infos: Option<Vec<SecondaryIdInfo>>,
    brief_title: Option<String>,
    official_title: Option<String>,
    acronym: Option<String>,
}

#[derive(Deserialize)]
struct OrgStudyIdInfo {
    id: Option<String>,
}

#[derive(Deserialize)]
struct SecondaryIdInfo {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    domain: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct StatusModule {
    overall_status: Option<String>,
    why_stopped: Option<String>,
    start_date_struct: Option<DateStruct>,
    primary_completion_date_struct: Option<DateStruct>,
    completion_date_struct: Option<DateStruct>,
    study_first_post_date_struct: Option<DateStruct>,
    last_update_post_date_struct: Option<DateStruct>,
}

#[derive(Deserialize)]
struct DateStruct {
    date: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SponsorsModule {
    lead_sponsor: Option<SponsorJson>,
    collaborators: Option<Vec<SponsorJson>>,
}

#[derive(Deserialize)]
struct SponsorJson {
    name: Option<String>,
    class: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DescriptionModule {
    brief_summary: Option<String>,
    detailed_description: Option<String>,
}

#[derive(Deserialize, Default)]
struct ConditionsModule {
    conditions: Option<Vec<String>>,
    keywords: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DesignModule {
    study_type: Option<String>,
    phases: Option<Vec<String>>,
    design_info: Option<DesignInfo>,
    enrollment_info: Option<EnrollmentInfo>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DesignInfo {
    allocation: Option<String>,
    intervention_model: Option<String>,
    primary_purpose: Option<String>,
    masking_info: Option<MaskingInfo>,
}

#[derive(Deserialize)]
struct MaskingInfo {
    masking: Option<String>,
}

#[derive(Deserialize)]
struct EnrollmentInfo {
    count: Option<u32>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ArmsInterventionsModule {
    arm_groups: Option<Vec<ArmGroupJson>>,
    interventions: Option<Vec<InterventionJson>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArmGroupJson {
    label: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    description: Option<String>,
    intervention_names: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InterventionJson {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    description: Option<String>,
    arm_group_labels: Option<Vec<String>>,
    other_names: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct EligibilityModule {
    eligibility_criteria: Option<String>,
    healthy_volunteers: Option<bool>,
    sex: Option<String>,
    minimum_age: Option<String>,
    maximum_age: Option<String>,
    std_ages: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ContactsLocationsModule {
    central_contacts: Option<Vec<ContactJson>>,
    overall_officials: Option<Vec<ContactJson>>,
    locations: Option<Vec<LocationJson>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContactJson {
    name: Option<String>,
    role: Option<String>,
    affiliation: Option<String>,
    phone: Option<String>,
    phone_ext: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LocationJson {
    facility: Option<String>,
    status: Option<String>,
    city: Option<String>,
    state: Option<String>,
    zip: Option<String>,
    country: Option<String>,
    contacts: Option<Vec<ContactJson>>,
    geo_point: Option<GeoJson>,
}

#[derive(Deserialize)]
struct GeoJson {
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Deserialize, Default)]
struct ReferencesModule {
    references: Option<Vec<ReferenceJson>>,
}

#[derive(Deserialize)]
struct ReferenceJson {
    pmid: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    citation: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Derived {
    condition_browse_module: Option<BrowseModule>,
    intervention_browse_module: Option<BrowseModule>,
}

#[derive(Deserialize, Default)]
struct BrowseModule {
    meshes: Option<Vec<MeshJson>>,
}

#[derive(Deserialize)]
struct MeshJson {
    id: Option<String>,
    term: Option<String>,
}

// ---------------------------------------------------------------------------
// Mapping to the model
// ---------------------------------------------------------------------------

impl Study {
    fn into_trial(self, origin: &Origin) -> Result<(Trial, Vec<String>), String> {
        let protocol = self.protocol_section.ok_or("no protocolSection: not an API v2 study object")?;
        let ids = protocol.identification_module.unwrap_or_default();
        let nct_id = require_nct_id(ids.nct_id.as_deref(), "protocolSection.identificationModule.nctId")?;
        let mut notes = Notes::default();
        let mut trial = Trial { id: nct_id.clone(), nct_id: Some(nct_id), ..Trial::default() };
        map_identification(&mut trial, ids);
        map_status(&mut trial, protocol.status_module.unwrap_or_default(), &mut notes);
        map_sponsors(&mut trial, protocol.sponsor_collaborators_module.unwrap_or_default(), &mut notes);
        let description = protocol.description_module.unwrap_or_default();
        trial.brief_summary = clean(description.brief_summary);
        trial.detailed_description = clean(description.detailed_description);
        let conditions = protocol.conditions_module.unwrap_or_default();
        trial.conditions = clean_list(conditions.conditions);
        trial.keywords = clean_list(conditions.keywords);
        map_design(&mut trial, protocol.design_module.unwrap_or_default(), &mut notes);
        map_arms(&mut trial, protocol.arms_interventions_module.unwrap_or_default(), &mut notes);
        trial.eligibility = map_eligibility(protocol.eligibility_module.unwrap_or_default(), &mut notes);
        map_contacts(&mut trial, protocol.contacts_locations_module.unwrap_or_default(), &mut notes);
        trial.references = map_references(protocol.references_module.unwrap_or_default(), &mut notes);
        let derived = self.derived_section.unwrap_or_default();
        trial.condition_mesh = map_meshes(derived.condition_browse_module);
        trial.intervention_mesh = map_meshes(derived.intervention_browse_module);
        finish_trial(&mut trial, origin);
        Ok((trial, notes.0))
    }
}

fn map_identification(trial: &mut Trial, ids: Identification) {
    trial.org_study_id = clean(ids.org_study_id_info.and_then(|info| info.id));
    trial.secondary_ids = ids
        .secondary_id_infos
        .unwrap_or_default()
        .into_iter()
        .filter_map(|info| {
            let id = clean(info.id)?;
            Some(secondary_id(&id, info.kind.as_deref(), info.domain))
        })
        .collect();
    trial.brief_title = clean(ids.brief_title);
    trial.official_title = clean(ids.official_title);
    trial.acronym = clean(ids.acronym);
}

fn map_status(trial: &mut Trial, status: StatusModule, notes: &mut Notes) {
    trial.overall_status = notes.enum_of("overallStatus", status.overall_status.as_deref());
    trial.why_stopped = clean(status.why_stopped);
    let mut date = |field: &str, value: Option<DateStruct>| {
        let value = value?;
        notes.trial_date(field, value.date.as_deref(), value.kind.as_deref())
    };
    trial.start_date = date("startDateStruct", status.start_date_struct);
    trial.primary_completion_date = date("primaryCompletionDateStruct", status.primary_completion_date_struct);
    trial.completion_date = date("completionDateStruct", status.completion_date_struct);
    trial.first_posted = date("studyFirstPostDateStruct", status.study_first_post_date_struct);
    trial.last_update_posted = date("lastUpdatePostDateStruct", status.last_update_post_date_struct);
}

fn map_sponsor(sponsor: SponsorJson, field: &str, notes: &mut Notes) -> Option<Sponsor> {
    let name = clean(sponsor.name)?;
    Some(Sponsor { name, class: notes.enum_of(field, sponsor.class.as_deref()) })
}

fn map_sponsors(trial: &mut Trial, sponsors: SponsorsModule, notes: &mut Notes) {
    trial.lead_sponsor = sponsors.lead_sponsor.and_then(|s| map_sponsor(s, "leadSponsor.class", notes));
    trial.collaborators = sponsors
        .collaborators
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| map_sponsor(s, "collaborators.class", notes))
        .collect();
}

fn map_design(trial: &mut Trial, design: DesignModule, notes: &mut Notes) {
    trial.study_type = notes.enum_of("studyType", design.study_type.as_deref());
    trial.phases =
        design.phases.unwrap_or_default().iter().filter_map(|p| notes.enum_of("phases", Some(p.as_str()))).collect();
    if let Some(info) = design.design_info {
        trial.design = Design {
            allocation: notes.enum_of("designInfo.allocation", info.allocation.as_deref()),
            intervention_model: notes.enum_of("designInfo.interventionModel", info.intervention_model.as_deref()),
            masking: notes
                .enum_of("designInfo.maskingInfo.masking", info.masking_info.and_then(|m| m.masking).as_deref()),
            primary_purpose: notes.enum_of("designInfo.primaryPurpose", info.primary_purpose.as_deref()),
        };
    }
    trial.enrollment = design.enrollment_info.and_then(|info| {
        Some(Enrollment { count: info.count?, actuality: notes.enum_of("enrollmentInfo.type", info.kind.as_deref()) })
    });
}

fn map_arms(trial: &mut Trial, arms: ArmsInterventionsModule, notes: &mut Notes) {
    trial.arm_groups = arms
        .arm_groups
        .unwrap_or_default()
        .into_iter()
        .filter_map(|arm| {
            Some(ArmGroup {
                label: clean(arm.label)?,
                kind: notes.enum_of("armGroups.type", arm.kind.as_deref()),
                description: clean(arm.description),
                intervention_names: clean_list(arm.intervention_names),
            })
        })
        .collect();
    trial.interventions = arms
        .interventions
        .unwrap_or_default()
        .into_iter()
        .filter_map(|item| {
            Some(Intervention {
                name: clean(item.name)?,
                kind: notes.enum_of("interventions.type", item.kind.as_deref()),
                other_names: clean_list(item.other_names),
                description: clean(item.description),
                arm_group_labels: clean_list(item.arm_group_labels),
            })
        })
        .collect();
}

fn map_eligibility(module: EligibilityModule, notes: &mut Notes) -> Eligibility {
    Eligibility {
        // Kept exactly as registered (white space included): criteria parsers
        // and highlighting rely on the original offsets.
        criteria_text: module.eligibility_criteria.filter(|t| !t.trim().is_empty()),
        sex: notes.enum_of("sex", module.sex.as_deref()),
        minimum_age: notes.age("minimumAge", module.minimum_age.as_deref()),
        maximum_age: notes.age("maximumAge", module.maximum_age.as_deref()),
        healthy_volunteers: module.healthy_volunteers,
        std_ages: module
            .std_ages
            .unwrap_or_default()
            .iter()
            .filter_map(|a| notes.enum_of("stdAges", Some(a)))
            .collect(),
    }
}

fn map_contact(contact: ContactJson, field: &str, notes: &mut Notes) -> Option<Contact> {
    let phone = match (clean(contact.phone), clean(contact.phone_ext)) {
        (Some(phone), Some(ext)) => Some(format!("{phone} ext. {ext}")),
        (phone, _) => phone,
    };
    let contact = Contact {
        name: clean(contact.name),
        role: notes.enum_of(field, contact.role.as_deref()),
        affiliation: clean(contact.affiliation),
        phone,
        email: clean(contact.email),
    };
    (contact != Contact::default()).then_some(contact)
}

fn map_contacts(trial: &mut Trial, module: ContactsLocationsModule, notes: &mut Notes) {
    let contacts = |list: Option<Vec<ContactJson>>, field: &str, notes: &mut Notes| -> Vec<Contact> {
        list.unwrap_or_default().into_iter().filter_map(|c| map_contact(c, field, notes)).collect()
    };
    trial.central_contacts = contacts(module.central_contacts, "centralContacts.role", notes);
    trial.overall_officials = contacts(module.overall_officials, "overallOfficials.role", notes);
    trial.locations = module
        .locations
        .unwrap_or_default()
        .into_iter()
        .map(|site| Location {
            facility: clean(site.facility),
            city: clean(site.city),
            state: clean(site.state),
            zip: clean(site.zip),
            country: clean(site.country),
            status: notes.enum_of("locations.status", site.status.as_deref()),
            geo: site.geo_point.and_then(|geo| geo_point(geo, notes)),
            contacts: contacts(site.contacts, "locations.contacts.role", notes),
        })
        .filter(|site| site != &Location::default())
        .collect();
}

fn geo_point(geo: GeoJson, notes: &mut Notes) -> Option<GeoPoint> {
    let point = GeoPoint { lat: geo.lat?, lon: geo.lon? };
    if !point.is_valid() {
        notes.warn(format!("invalid geoPoint ({}, {}) left empty", point.lat, point.lon));
        return None;
    }
    Some(point)
}

fn map_references(module: ReferencesModule, notes: &mut Notes) -> Vec<Reference> {
    module
        .references
        .unwrap_or_default()
        .into_iter()
        .map(|r| Reference {
            pmid: clean(r.pmid),
            citation: clean(r.citation),
            kind: notes.enum_of("references.type", r.kind.as_deref()),
        })
        .filter(|r| r.pmid.is_some() || r.citation.is_some())
        .collect()
}

fn map_meshes(module: Option<BrowseModule>) -> Vec<MeshTerm> {
    let meshes = module.and_then(|m| m.meshes).unwrap_or_default();
    meshes.into_iter().filter_map(|m| Some(MeshTerm { id: clean(m.id), term: clean(m.term)? })).collect()
}
