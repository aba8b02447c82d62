//! Legacy ClinicalTrials.gov `<clinical_study>` XML → [`Trial`].
//!
//! The classic bulk download (one `NCTxxxxxxxx.xml` per trial) and the TREC
//! clinical-trials corpora use this format. [`read`] streams quick-xml events
//! (no DOM) and accepts a file with one `<clinical_study>` as well as dumps
//! that put several under any wrapper element or simply concatenate them.
//!
//! The encoding named in the XML declaration (e.g. ISO-8859-1,
//! windows-1252) is honoured; input is transcoded to UTF-8 before parsing.
//! Legacy spellings ("Active, not recruiting", "Phase 1/Phase 2", gender
//! "Both", "18 Years", "March 9, 2009") go through the model's open enums and
//! parsers, with the same leniency rules as the JSON reader: unknown enum
//! values are kept and warned about, unparseable dates and ages are warned
//! about and left empty, a study without a valid `nct_id` is an error.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use eligo_model::{
    ArmGroup, Contact, ContactRole, Enrollment, Intervention, Location, Masking, MeshTerm, Phase, Reference,
    ReferenceType, Sponsor, Trial, TrialDate,
};
use encoding_rs::{DecoderResult, Encoding};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::json::{clean, finish_trial, require_nct_id, secondary_id, Notes};
use crate::{Origin, ParsedRecord, RecordError, RecordResult};

/// Counts of what [`read`] handed to its sink.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct XmlSummary {
    pub records: usize,
    pub errors: usize,
}

/// Reads every `<clinical_study>` of an XML document and hands each to
/// `sink` as soon as its end tag is read.
///
/// Malformed markup, a truncated file, bytes not valid in the document's
/// encoding or a missing `nct_id` become [`RecordError`]s located as
/// "study N" or "study N (byte P)"; the reader then resumes at the next
/// `<clinical_study>`. A document with no `<clinical_study>` at all yields one
/// error. `Err` is returned only when the underlying reader fails.
pub fn read<R: BufRead>(reader: R, origin: &Origin, sink: &mut dyn FnMut(RecordResult)) -> io::Result<XmlSummary> {
    let transcoder = Transcoder::new(reader)?;
    let encoding = transcoder.decoder.encoding().name();
    let mut parser = Parser { origin, sink, encoding, summary: XmlSummary::default(), studies: 0, study: None };
    parser.run(Reader::from_reader(transcoder))?;
    Ok(parser.summary)
}

/// The encoding named by a leading `<?xml … encoding="…"?>`. Only
/// ASCII-compatible encodings are taken, since the declaration could not have
/// been read otherwise.
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let decl_end = head.windows(2).position(|w| w == b"?>")?;
    let decl = head.strip_prefix(b"<?xml")?.get(..decl_end.checked_sub(5)?)?;
    let at = decl.windows(8).position(|w| w.eq_ignore_ascii_case(b"encoding"))? + 8;
    let rest = &decl[at..];
    let quote_at = rest.iter().position(|&b| b == b'"' || b == b'\'')?;
    let value = &rest[quote_at + 1..];
    let label = &value[..value.iter().position(|&b| b == rest[quote_at])?];
    Encoding::for_label(label).filter(|e| e.is_ascii_compatible())
}

/// Transcodes the document to UTF-8 for quick-xml, from the encoding given by
/// a BOM, else the XML declaration, else UTF-8.
///
/// Bytes that are not valid in that encoding are replaced with U+FFFD and
/// remembered (decoded offset → original byte offset), so that the parser can
/// fail exactly the study that contains them instead of the whole document.
struct Transcoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// Bytes consumed from `inner` / produced into `buf`, since the start.
    read_total: u64,
    written_total: u64,
    /// (decoded offset, original byte offset) of each invalid sequence.
    invalid: VecDeque<(u64, u64)>,
    done: bool,
}

impl<R: BufRead> Transcoder<R> {
    fn new(mut inner: R) -> io::Result<Self> {
        let head = inner.fill_buf()?;
        let (encoding, bom_len) = match Encoding::for_bom(head) {
            Some((encoding, bom_len)) => (encoding, bom_len),
            None => (declared_encoding(head).unwrap_or(encoding_rs::UTF_8), 0),
        };
        inner.consume(bom_len);
        Ok(Transcoder {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            buf: vec![0; 16 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            read_total: bom_len as u64,
            written_total: 0,
            invalid: VecDeque::new(),
            done: false,
        })
    }

    fn refill(&mut self) -> io::Result<()> {
        let src = self.inner.fill_buf()?;
        let last = src.is_empty();
        let room = self.buf.len() - REPLACEMENT.len();
        let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(src, &mut self.buf[..room], last);
        self.start = 0;
        self.end = written;
        match result {
            DecoderResult::InputEmpty => self.done = last,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad_len, after) => {
                let bad_at = self.read_total + read as u64 - u64::from(after) - u64::from(bad_len);
                self.invalid.push_back((self.written_total + written as u64, bad_at));
                self.buf[written..written + REPLACEMENT.len()].copy_from_slice(REPLACEMENT);
                self.end += REPLACEMENT.len();
            }
        }
        self.inner.consume(read);
        self.read_total += read as u64;
        self.written_total += self.end as u64;
        Ok(())
    }

    /// The original byte offset of the first invalid sequence decoded before
    /// `position`, forgetting all of those.
    fn take_invalid_before(&mut self, position: u64) -> Option<u64> {
        let mut first = None;
        while self.invalid.front().is_some_and(|&(decoded, _)| decoded < position) {
            let (_, original) = self.invalid.pop_front()?;
            first.get_or_insert(original);
        }
        first
    }
}

const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

impl<R: BufRead> Read for Transcoder<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Transcoder<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.start == self.end && !self.done {
            self.refill()?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, amount: usize) {
        self.start = (self.start + amount).min(self.end);
    }
}

/// Event loop state: which study we are in and where we are in the document.
struct Parser<'a> {
    origin: &'a Origin,
    sink: &'a mut dyn FnMut(RecordResult),
    /// Name of the document's encoding, for error messages.
    encoding: &'static str,
    summary: XmlSummary,
    /// `<clinical_study>` elements seen so far.
    studies: usize,
    study: Option<StudyBuilder>,
}

impl Parser<'_> {
    fn run<R: BufRead>(&mut self, mut reader: Reader<Transcoder<R>>) -> io::Result<()> {
        reader.config_mut().check_end_names = false; // checked per study, to resume after a bad one
        let mut buf = Vec::new();
        let mut last_error_at = None;
        loop {
            buf.clear();
            let event = reader.read_event_into(&mut buf);
            let position = reader.buffer_position();
            if let Some(offset) = reader.get_mut().take_invalid_before(position) {
                if let Some(study) = &mut self.study {
                    study.invalid_byte.get_or_insert(offset);
                }
            }
            match event {
                Ok(event) => {
                    if !self.handle(event, position) {
                        break;
                    }
                }
                Err(quick_xml::Error::Io(error)) => return Err(io::Error::new(error.kind(), error.to_string())),
                Err(error) => {
                    let at = reader.error_position();
                    self.fail_at(at, format!("malformed XML: {error}"));
                    if last_error_at == Some(at) {
                        break;
                    }
                    last_error_at = Some(at);
                }
            }
        }
        if self.studies == 0 && self.summary.errors == 0 {
            self.error("document".into(), None, "no <clinical_study> element found".into());
        }
        Ok(())
    }

    /// Handles one event; false at end of input.
    fn handle(&mut self, event: Event, position: u64) -> bool {
        match event {
            Event::Start(start) => self.start(&start),
            Event::Empty(start) => {
                self.start(&start);
                self.end(start.name().as_ref(), position);
            }
            Event::End(end) => self.end(end.name().as_ref(), position),
            Event::Text(text) => self.text(&text.xml10_content()),
            Event::CData(cdata) => self.text(&cdata.xml10_content()),
            Event::GeneralRef(reference) => self.reference(&reference),
            Event::Eof => {
                if self.study.is_some() {
                    self.fail_at(position, "truncated: end of input inside <clinical_study>".into());
                }
                return false;
            }
            _ => {}
        }
        true
    }

    fn start(&mut self, start: &BytesStart) {
        let name = start.name();
        let name = name.as_ref();
        match &mut self.study {
            Some(study) => study.open(name, type_attribute(start)),
            None if name == "clinical_study" => {
                self.studies += 1;
                self.study = Some(StudyBuilder::default());
            }
            None => {}
        }
    }

    fn end(&mut self, name: &str, position: u64) {
        let Some(study) = &mut self.study else { return };
        match study.close(name) {
            Closed::Element => {}
            Closed::Study => {
                let study = self.study.take().expect("inside a study");
                self.finish(study);
            }
            Closed::Mismatch(expected) => {
                self.fail_at(position, format!("malformed XML: </{name}> where </{expected}> was expected"));
            }
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(study) = &mut self.study {
            study.text.push_str(text);
        }
    }

    /// `&amp;`, `&#233;`… arrive as separate events; unknown entities are
    /// kept as written so no text is lost.
    fn reference(&mut self, reference: &BytesRef) {
        let Some(study) = &mut self.study else { return };
        if let Ok(Some(ch)) = reference.resolve_char_ref() {
            study.text.push(ch);
        } else if let Some(resolved) = quick_xml::escape::resolve_predefined_entity(reference) {
            study.text.push_str(resolved);
        } else {
            study.notes.warn(format!("unknown entity &{}; kept as written", &**reference));
            study.text.push('&');
            study.text.push_str(reference);
            study.text.push(';');
        }
    }

    fn finish(&mut self, study: StudyBuilder) {
        let location = format!("study {}", self.studies);
        if let Some(offset) = study.invalid_byte {
            let reason = format!("not valid {} (byte offset {offset})", self.encoding);
            return self.error(location, study.nct_hint(), reason);
        }
        match study.build(self.origin) {
            Ok((trial, warnings)) => {
                self.summary.records += 1;
                (self.sink)(Ok(ParsedRecord { trial, location, warnings }));
            }
            Err(reason) => self.error(location, None, reason),
        }
    }

    /// Abandons the current study (if any) with an error at a byte position.
    fn fail_at(&mut self, position: u64, reason: String) {
        let nct_id = self.study.take().and_then(|s| s.nct_hint());
        let location = match self.studies {
            0 => format!("byte {position}"),
            n => format!("study {n} (byte {position})"),
        };
        self.error(location, nct_id, reason);
    }

    fn error(&mut self, location: String, nct_id: Option<String>, reason: String) {
        self.summary.errors += 1;
        (self.sink)(Err(RecordError { uri: self.origin.uri.clone(), location, nct_id, reason }));
    }
}

/// The `type` attribute (`Actual` / `Anticipated` / `Estimated`) of dates and
/// enrollment.
fn type_attribute(start: &BytesStart) -> Option<String> {
    let attribute = start.try_get_attribute("type").ok()??;
    attribute.normalized_value(XmlVersion::Implicit1_0).ok().map(Cow::into_owned)
}

enum Closed {
    Element,
    Study,
    /// The end tag does not match; carries the expected name.
    Mismatch(String),
}

/// Accumulates one `<clinical_study>` into a [`Trial`] as its elements close.
///
/// `path` is the slash-joined element path below `<clinical_study>`
/// ("eligibility/criteria/textblock"); repeated containers (intervention,
/// location, …) push a default item when they open and their children fill
/// the last item.
#[derive(Default)]
struct StudyBuilder {
    trial: Trial,
    notes: Notes,
    nct_raw: Option<String>,
    /// Original byte offset of the first byte not valid in the document's encoding.
    invalid_byte: Option<u64>,
    path: String,
    /// Length of `path` before each open element, with its `type` attribute.
    frames: Vec<(usize, Option<String>)>,
    text: String,
}

impl StudyBuilder {
    fn open(&mut self, name: &str, type_attr: Option<String>) {
        self.frames.push((self.path.len(), type_attr));
        if !self.path.is_empty() {
            self.path.push('/');
        }
        self.path.push_str(name);
        self.text.clear();
        self.container_opened();
    }

    fn close(&mut self, name: &str) -> Closed {
        let Some((parent_len, type_attr)) = self.frames.pop() else {
            return if name == "clinical_study" { Closed::Study } else { Closed::Mismatch("clinical_study".into()) };
        };
        let own_name = self.path[parent_len..].trim_start_matches('/');
        if own_name != name {
            return Closed::Mismatch(own_name.to_string());
        }
        let text = std::mem::take(&mut self.text);
        self.field(&text, type_attr.as_deref());
        self.path.truncate(parent_len);
        Closed::Element
    }

    fn nct_hint(&self) -> Option<String> {
        self.nct_raw.as_deref().and_then(eligo_model::normalize_nct_id)
    }

    /// Starts a new item when a repeated container opens.
    fn container_opened(&mut self) {
        let trial = &mut self.trial;
        match self.path.as_str() {
            "arm_group" => trial.arm_groups.push(ArmGroup::default()),
            "intervention" => trial.interventions.push(Intervention::default()),
            "sponsors/lead_sponsor" => trial.lead_sponsor = Some(Sponsor::default()),
            "sponsors/collaborator" => trial.collaborators.push(Sponsor::default()),
            "overall_official" => trial.overall_officials.push(Contact::default()),
            "overall_contact" | "overall_contact_backup" => {
                trial.central_contacts.push(Contact { role: Some(ContactRole::Contact), ..Contact::default() })
            }
            "location" => trial.locations.push(Location::default()),
            "location/contact" | "location/contact_backup" => {
                if let Some(site) = trial.locations.last_mut() {
                    site.contacts.push(Contact { role: Some(ContactRole::Contact), ..Contact::default() });
                }
            }
            "location/investigator" => {
                if let Some(site) = trial.locations.last_mut() {
                    site.contacts.push(Contact::default());
                }
            }
            "reference" => {
                trial.references.push(Reference { kind: Some(ReferenceType::Background), ..Default::default() })
            }
            "results_reference" => {
                trial.references.push(Reference { kind: Some(ReferenceType::Result), ..Default::default() })
            }
            _ => {}
        }
    }

    /// Stores the text of an element that just closed, by its path.
    fn field(&mut self, raw: &str, type_attr: Option<&str>) {
        let path = self.path.as_str();
        let (parent, leaf) = path.rsplit_once('/').unwrap_or(("", path));
        if parent == "eligibility/criteria" && leaf == "textblock" {
            // Exactly as in the file (entity-decoded): criteria parsers rely on it.
            if !raw.trim().is_empty() {
                self.trial.eligibility.criteria_text = Some(raw.to_string());
            }
            return;
        }
        let Some(text) = clean(Some(raw.to_string())) else { return };
        let (trial, notes) = (&mut self.trial, &mut self.notes);
        match (parent, leaf) {
            ("id_info", "nct_id") => self.nct_raw = Some(text),
            ("id_info", "org_study_id") => trial.org_study_id = Some(text),
            ("id_info", "secondary_id") => trial.secondary_ids.push(secondary_id(&text, None, None)),
            ("", "brief_title") => trial.brief_title = Some(text),
            ("", "official_title") => trial.official_title = Some(text),
            ("", "acronym") => trial.acronym = Some(text),
            ("", "overall_status") => trial.overall_status = notes.enum_of("overall_status", Some(&text)),
            ("", "why_stopped") => trial.why_stopped = Some(text),
            ("", "phase") => trial.phases = phases(&text, notes),
            ("", "study_type") => trial.study_type = notes.enum_of("study_type", Some(&text)),
            ("", "enrollment") => trial.enrollment = enrollment(&text, type_attr, notes),
            ("", "condition") => trial.conditions.push(text),
            ("", "keyword") => trial.keywords.push(text),
            ("brief_summary", "textblock") => trial.brief_summary = Some(text),
            ("detailed_description", "textblock") => trial.detailed_description = Some(text),
            ("", _) => date_field(trial, leaf, &text, type_attr, notes),
            ("study_design_info", _) => design_field(trial, leaf, &text, notes),
            ("eligibility", _) => eligibility_field(trial, leaf, &text, notes),
            ("arm_group", _) => arm_field(trial, leaf, text, notes),
            ("intervention", _) => intervention_field(trial, leaf, text, notes),
            ("sponsors/lead_sponsor", _) => {
                if let Some(sponsor) = &mut trial.lead_sponsor {
                    sponsor_field(sponsor, leaf, text, notes)
                }
            }
            ("sponsors/collaborator", _) => {
                if let Some(sponsor) = trial.collaborators.last_mut() {
                    sponsor_field(sponsor, leaf, text, notes)
                }
            }
            ("overall_official", _) => {
                if let Some(contact) = trial.overall_officials.last_mut() {
                    contact_field(contact, leaf, text, notes)
                }
            }
            ("overall_contact" | "overall_contact_backup", _) => {
                if let Some(contact) = trial.central_contacts.last_mut() {
                    contact_field(contact, leaf, text, notes)
                }
            }
            ("reference" | "results_reference", _) => reference_field(trial, leaf, text),
            ("condition_browse", "mesh_term") => trial.condition_mesh.push(MeshTerm { id: None, term: text }),
            ("intervention_browse", "mesh_term") => trial.intervention_mesh.push(MeshTerm { id: None, term: text }),
            _ if parent.starts_with("location") => location_field(trial, parent, leaf, text, notes),
            _ => {}
        }
    }

    fn build(mut self, origin: &Origin) -> Result<(Trial, Vec<String>), String> {
        let nct_id = require_nct_id(self.nct_raw.as_deref(), "id_info/nct_id")?;
        let trial = &mut self.trial;
        trial.id = nct_id.clone();
        trial.nct_id = Some(nct_id);
        drop_incomplete_items(trial);
        finish_trial(trial, origin);
        Ok((self.trial, self.notes.0))
    }
}

/// Containers opened but never given their key field (an intervention
/// without a name, an empty contact) are not kept.
fn drop_incomplete_items(trial: &mut Trial) {
    trial.arm_groups.retain(|arm| !arm.label.is_empty());
    trial.interventions.retain(|item| !item.name.is_empty());
    trial.lead_sponsor = trial.lead_sponsor.take().filter(|s| !s.name.is_empty());
    trial.collaborators.retain(|s| !s.name.is_empty());
    let has_details = |c: &Contact| c.name.is_some() || c.phone.is_some() || c.email.is_some();
    trial.overall_officials.retain(has_details);
    trial.central_contacts.retain(has_details);
    for site in &mut trial.locations {
        site.contacts.retain(has_details);
    }
    trial.locations.retain(|site| site != &Location::default());
    trial.references.retain(|r| r.pmid.is_some() || r.citation.is_some());
}

/// "Phase 1/Phase 2" is two phases; "N/A" is one.
fn phases(text: &str, notes: &mut Notes) -> Vec<Phase> {
    let whole = Phase::parse(text);
    let parts = if whole.is_known() { vec![whole] } else { Phase::parse_list(text) };
    for part in parts.iter().filter(|p| !p.is_known()) {
        notes.warn(format!("unknown phase {:?} kept verbatim", part.as_api_str()));
    }
    parts
}

fn enrollment(text: &str, type_attr: Option<&str>, notes: &mut Notes) -> Option<Enrollment> {
    match text.parse() {
        Ok(count) => Some(Enrollment { count, actuality: notes.enum_of("enrollment type", type_attr) }),
        Err(_) => {
            notes.warn(format!("unparseable enrollment {text:?} left empty"));
            None
        }
    }
}

fn date_field(trial: &mut Trial, leaf: &str, text: &str, type_attr: Option<&str>, notes: &mut Notes) {
    let slot = match leaf {
        "start_date" => &mut trial.start_date,
        "completion_date" => &mut trial.completion_date,
        "primary_completion_date" => &mut trial.primary_completion_date,
        "study_first_posted" => &mut trial.first_posted,
        "last_update_posted" => &mut trial.last_update_posted,
        // Pre-2017 names of the posting dates; the newer elements win.
        "firstreceived_date" if trial.first_posted.is_none() => &mut trial.first_posted,
        "lastchanged_date" if trial.last_update_posted.is_none() => &mut trial.last_update_posted,
        _ => return,
    };
    // Posting dates say type="Estimate" where the other dates say "Estimated".
    let type_attr = type_attr.map(|t| if t.eq_ignore_ascii_case("estimate") { "Estimated" } else { t });
    *slot = notes.date(leaf, Some(text)).map(|date| TrialDate::new(date, notes.enum_of(leaf, type_attr)));
}

fn design_field(trial: &mut Trial, leaf: &str, text: &str, notes: &mut Notes) {
    let design = &mut trial.design;
    match leaf {
        "allocation" => design.allocation = notes.enum_of(leaf, Some(text)),
        "intervention_model" => design.intervention_model = notes.enum_of(leaf, Some(text)),
        "primary_purpose" => design.primary_purpose = notes.enum_of(leaf, Some(text)),
        "masking" => design.masking = masking(text, notes),
        _ => {}
    }
}

/// Legacy masking adds who is masked: "Double (Participant, Investigator)",
/// older files "Double Blind (Subject, Investigator)"; the level is what the
/// model keeps.
fn masking(text: &str, notes: &mut Notes) -> Option<Masking> {
    let full = Masking::parse(text);
    if full.is_known() {
        return Some(full);
    }
    let level = text.split('(').next().unwrap_or(text).trim();
    let level = level.strip_suffix(" Blind").unwrap_or(level);
    let level = Masking::parse(level);
    if level.is_known() {
        return Some(level);
    }
    notes.enum_of("masking", Some(text))
}

fn eligibility_field(trial: &mut Trial, leaf: &str, text: &str, notes: &mut Notes) {
    let eligibility = &mut trial.eligibility;
    match leaf {
        "gender" => eligibility.sex = notes.enum_of("gender", Some(text)),
        "minimum_age" => eligibility.minimum_age = notes.age(leaf, Some(text)),
        "maximum_age" => eligibility.maximum_age = notes.age(leaf, Some(text)),
        "healthy_volunteers" => eligibility.healthy_volunteers = healthy_volunteers(text, notes),
        _ => {}
    }
}

/// "Accepts Healthy Volunteers" / "No" (older files: "Yes").
fn healthy_volunteers(text: &str, notes: &mut Notes) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "accepts healthy volunteers" | "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => {
            notes.warn(format!("unknown healthy_volunteers {text:?} left empty"));
            None
        }
    }
}

fn arm_field(trial: &mut Trial, leaf: &str, text: String, notes: &mut Notes) {
    let Some(arm) = trial.arm_groups.last_mut() else { return };
    match leaf {
        "arm_group_label" => arm.label = text,
        "arm_group_type" => arm.kind = notes.enum_of(leaf, Some(&text)),
        "description" => arm.description = Some(text),
        _ => {}
    }
}

fn intervention_field(trial: &mut Trial, leaf: &str, text: String, notes: &mut Notes) {
    let Some(item) = trial.interventions.last_mut() else { return };
    match leaf {
        "intervention_type" => item.kind = notes.enum_of(leaf, Some(&text)),
        "intervention_name" => item.name = text,
        "description" => item.description = Some(text),
        "arm_group_label" => item.arm_group_labels.push(text),
        "other_name" => item.other_names.push(text),
        _ => {}
    }
}

fn sponsor_field(sponsor: &mut Sponsor, leaf: &str, text: String, notes: &mut Notes) {
    match leaf {
        "agency" => sponsor.name = text,
        "agency_class" => sponsor.class = notes.enum_of(leaf, Some(&text)),
        _ => {}
    }
}

/// Legacy contacts split names into parts (first, middle, last, degrees) in
/// document order; most files put the whole name in `last_name`.
fn contact_field(contact: &mut Contact, leaf: &str, text: String, notes: &mut Notes) {
    match leaf {
        "first_name" | "middle_name" | "last_name" => {
            contact.name = Some(match contact.name.take() {
                Some(name) => format!("{name} {text}"),
                None => text,
            })
        }
        "degrees" => contact.name = contact.name.take().map(|name| format!("{name}, {text}")),
        "phone" => contact.phone = Some(text),
        "phone_ext" => contact.phone = contact.phone.take().map(|phone| format!("{phone} ext. {text}")),
        "email" => contact.email = Some(text),
        "role" => contact.role = notes.enum_of(leaf, Some(&text)),
        "affiliation" => contact.affiliation = Some(text),
        _ => {}
    }
}

fn reference_field(trial: &mut Trial, leaf: &str, text: String) {
    let Some(reference) = trial.references.last_mut() else { return };
    match leaf {
        "citation" => reference.citation = Some(text),
        "PMID" => reference.pmid = Some(text),
        _ => {}
    }
}

fn location_field(trial: &mut Trial, parent: &str, leaf: &str, text: String, notes: &mut Notes) {
    let Some(site) = trial.locations.last_mut() else { return };
    match (parent, leaf) {
        ("location", "status") => site.status = notes.enum_of("location status", Some(&text)),
        ("location/facility", "name") => site.facility = Some(text),
        ("location/facility/address", "city") => site.city = Some(text),
        ("location/facility/address", "state") => site.state = Some(text),
        ("location/facility/address", "zip") => site.zip = Some(text),
        ("location/facility/address", "country") => site.country = Some(text),
        ("location/contact" | "location/contact_backup" | "location/investigator", _) => {
            if let Some(contact) = site.contacts.last_mut() {
                contact_field(contact, leaf, text, notes);
            }
        }
        _ => {}
    }
}
