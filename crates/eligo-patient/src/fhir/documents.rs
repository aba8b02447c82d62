//! Documents inside a bundle: `DocumentReference` (base64 text attachments), `Composition`
//! (section narratives) and `DiagnosticReport` (`conclusion`, base64 `presentedForm`). Their text
//! is read by the note reader ([`crate::note::read_note`], as of the document's date) and every
//! fact it finds keeps the note span into that text with the document's path (`entry[7].resource
//! .content[0]`), so a reader can tell it came from a document and not from a coded element.
//! A text read once is not read again: Synthea, like many exports, puts each clinical note both in
//! a `DocumentReference` and in the `DiagnosticReport` of the same encounter; reports are read
//! last, so such a note's facts point to the DocumentReference.

use base64::Engine as _;
use chrono::NaiveDate;
use serde_json::Value;

use crate::build::parse_date;
use crate::{ParsedPatient, Rejected};

/// Reads the text a document resource carries. A DiagnosticReport with no text (a lab panel,
/// whose results are Observation entries of their own) adds nothing; a DocumentReference or
/// Composition with no readable text is an error naming why.
pub(super) fn read_document(
    resource: &Value,
    kind: &str,
    path: &str,
    texts_read: &mut TextsRead,
    out: &mut ParsedPatient,
) -> Result<(), String> {
    let texts = match kind {
        "DocumentReference" => attachments(resource.get("content"), |c| c.get("attachment"), "content")?,
        "DiagnosticReport" => {
            let mut texts = attachments(resource.get("presentedForm"), |form| Some(form), "presentedForm")?;
            if let Some(conclusion) = resource.get("conclusion").and_then(Value::as_str) {
                texts.push(("conclusion".to_string(), conclusion.to_string()));
            }
            texts
        }
        _ => narratives(resource),
    };
    if texts.is_empty() {
        return match kind {
            "DiagnosticReport" => Ok(()),
            _ => Err(format!("{kind} without text to read (no text attachment or narrative)")),
        };
    }
    let as_of = document_date(resource).unwrap_or_else(|| chrono::Utc::now().date_naive());
    for (place, text) in texts {
        if !texts_read.0.insert(text.clone()) {
            continue;
        }
        merge_note(crate::note::read_note(&text, as_of), &format!("{path}.{place}"), out);
    }
    Ok(())
}

/// The document texts of a bundle already read, so that the same note in two resources gives its
/// facts once (with the path of the first).
#[derive(Default)]
pub(super) struct TextsRead(std::collections::HashSet<String>);

/// The decoded text of each attachment with a text content type (or none given).
fn attachments(
    list: Option<&Value>,
    attachment_of: impl Fn(&Value) -> Option<&Value>,
    name: &str,
) -> Result<Vec<(String, String)>, String> {
    let mut texts = Vec::new();
    for (i, item) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
        let Some(attachment) = attachment_of(item) else { continue };
        let content_type = attachment.get("contentType").and_then(Value::as_str).unwrap_or("text/plain");
        let Some(data) = attachment.get("data").and_then(Value::as_str) else { continue };
        if !content_type.starts_with("text/") {
            continue;
        }
        let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map_err(|e| format!("{name}[{i}]: attachment data is not base64: {e}"))?;
        let text = String::from_utf8_lossy(&bytes);
        let text = if content_type.starts_with("text/html") { strip_tags(&text) } else { text.into_owned() };
        texts.push((format!("{name}[{i}]"), text));
    }
    Ok(texts)
}

/// A Composition's narrative: its own `text.div` and each section's.
fn narratives(resource: &Value) -> Vec<(String, String)> {
    let div = |v: &Value| v.get("text").and_then(|t| t.get("div")).and_then(Value::as_str).map(strip_tags);
    let mut texts: Vec<(String, String)> = div(resource).map(|t| ("text".to_string(), t)).into_iter().collect();
    for (i, section) in resource.get("section").and_then(Value::as_array).into_iter().flatten().enumerate() {
        if let Some(text) = div(section) {
            texts.push((format!("section[{i}].text"), text));
        }
    }
    texts.retain(|(_, t)| !t.trim().is_empty());
    texts
}

/// XHTML to its text: tags dropped (block ends become line breaks), the common entities decoded.
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push('\n');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ").replace("&quot;", "\"").replace("&amp;", "&")
}

fn document_date(resource: &Value) -> Option<NaiveDate> {
    ["date", "effectiveDateTime", "issued"]
        .iter()
        .find_map(|key| resource.get(*key).and_then(Value::as_str))
        .or_else(|| resource.pointer("/context/period/start").and_then(Value::as_str))
        .and_then(|raw| parse_date(raw).ok())
}

/// Adds what the note reader found in one document text: facts and observations with the
/// document's path beside their span; the note's own rejections under that path. Demographics
/// stay the Patient resource's.
fn merge_note(note: ParsedPatient, place: &str, out: &mut ParsedPatient) {
    let mut patient = note.patient;
    for fact in &mut patient.facts {
        fact.evidence.path = Some(place.to_string());
    }
    for observation in &mut patient.observations {
        observation.evidence.path = Some(place.to_string());
    }
    out.patient.facts.extend(patient.facts);
    out.patient.observations.extend(patient.observations);
    if out.patient.pregnant.is_none() {
        out.patient.pregnant = patient.pregnant.map(|mut p| {
            p.evidence.path = Some(place.to_string());
            p
        });
    }
    for rejected in note.rejected {
        out.rejected.push(Rejected::new(format!("{place}:{}", rejected.location), rejected.reason));
    }
}
