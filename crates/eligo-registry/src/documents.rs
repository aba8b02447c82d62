//! From the paths a user names to documents with a known format.
//!
//! A path may be a file, a directory (walked recursively in name order) or a
//! ZIP archive (entries in archive order, one at a time, so memory stays flat
//! however large the archive). Inside directories and archives only files
//! whose names end in `.json`, `.jsonl`, `.ndjson`, `.xml` (data), `.html`,
//! `.htm`, `.txt` (saved pages) or `.nbib`, `.medline` (MEDLINE) are read, and
//! never READMEs or licences, so a
//! README or a licence file next to the data is not reported as bad input; a
//! file named explicitly is always read.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use eligo_ctgov::{CtgovFormat, RecordError};

/// The format of a document, or `Auto` to detect it from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    #[default]
    Auto,
    /// ClinicalTrials.gov API v2 JSON: a study, an API page, an array, or JSON Lines.
    CtgovJson,
    /// ClinicalTrials.gov legacy `<clinical_study>` XML.
    CtgovXml,
    /// Eligo's own JSON Lines, as written by `eligo export`.
    EligoJsonl,
    /// A saved trial-listing or publication-profile page, HTML or text.
    Page,
    /// PubMed/MEDLINE XML (`<PubmedArticleSet>`).
    PubmedXml,
    /// MEDLINE text format (`PMID- …` records).
    Medline,
}

/// Large enough that format detection sees the start of any record.
const READ_BUFFER: usize = 256 * 1024;

/// One document to read: where it is, and its bytes.
pub struct Document<'a> {
    /// A file path, or `archive.zip!entry/name.json`.
    pub uri: String,
    pub reader: Box<dyn BufRead + 'a>,
}

impl Document<'_> {
    /// Decides the format from the first bytes (without consuming them),
    /// unless the user fixed it.
    pub fn detect_format(&mut self, requested: InputFormat) -> Result<InputFormat, RecordError> {
        if requested != InputFormat::Auto {
            return Ok(requested);
        }
        let uri = &self.uri;
        let head = self.reader.fill_buf().map_err(|e| document_error(uri, format!("cannot read: {e}")))?;
        if looks_like_eligo_export(head) {
            return Ok(InputFormat::EligoJsonl);
        }
        match eligo_ctgov::sniff(head) {
            Some(CtgovFormat::Json) => Ok(InputFormat::CtgovJson),
            Some(CtgovFormat::Xml) => Ok(InputFormat::CtgovXml),
            None if head.is_empty() => Err(document_error(uri, "the file is empty".into())),
            None if eligo_pages::pubmed::sniff(head) => Ok(InputFormat::PubmedXml),
            None if eligo_pages::medline::sniff(head) => Ok(InputFormat::Medline),
            None if looks_like_page(head) => Ok(InputFormat::Page),
            None => Err(document_error(
                uri,
                "not a recognised format (expected ClinicalTrials.gov JSON or XML, PubMed XML, MEDLINE text, \
                 a saved page, or an eligo export); name it with --format if it is one"
                    .into(),
            )),
        }
    }
}

/// An error about a document as a whole.
pub fn document_error(uri: &str, reason: String) -> RecordError {
    RecordError { uri: uri.to_string(), location: "document".into(), nct_id: None, reason }
}

/// `eligo export` writes each trial as one object whose first key is `id`
/// (serde keeps field order); registry JSON never starts that way.
fn looks_like_eligo_export(head: &[u8]) -> bool {
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    let text = head.iter().skip_while(|b| b.is_ascii_whitespace()).copied().take(8).collect::<Vec<u8>>();
    text.starts_with(b"{\"id\":")
}

/// Text or HTML, not binary and not some other XML vocabulary: what a
/// browser or scraper saves.
fn looks_like_page(head: &[u8]) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // The buffer may end inside a character.
        Err(error) if error.error_len().is_none() => std::str::from_utf8(&head[..error.valid_up_to()]).unwrap_or(""),
        Err(_) => return false,
    };
    let start = text.trim_start().to_ascii_lowercase();
    let other_xml = start.starts_with("<?xml") && !start.contains("<html");
    !text.trim().is_empty() && !text.contains('\0') && !other_xml
}

fn has_data_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let file_name = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    // A README or licence beside the data is documentation, whatever its extension.
    let documentation = ["readme", "license", "licence", "changelog", "notice", "copying"]
        .iter()
        .any(|stem| file_name.starts_with(stem));
    !documentation
        && [".json", ".jsonl", ".ndjson", ".xml", ".html", ".htm", ".txt", ".nbib", ".medline"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

fn is_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok() && magic == *b"PK\x03\x04"
}

fn path_error(path: &Path, reason: String) -> RecordError {
    document_error(&path.display().to_string(), reason)
}

/// Calls `visit` with every document under `paths`, in order. A path that
/// cannot be opened becomes an error passed to `visit` and the walk goes on.
/// `visit` returns `false` to stop the walk early.
pub fn for_each_document(paths: &[PathBuf], visit: &mut dyn FnMut(Result<Document<'_>, RecordError>) -> bool) {
    for path in paths {
        if !visit_path(path, true, visit) {
            return;
        }
    }
}

fn visit_path(path: &Path, named: bool, visit: &mut dyn FnMut(Result<Document<'_>, RecordError>) -> bool) -> bool {
    if path.is_dir() {
        return visit_dir(path, visit);
    }
    if !named && !has_data_extension(&path.to_string_lossy()) && !is_zip(path) {
        return true;
    }
    if is_zip(path) {
        return visit_zip(path, visit);
    }
    match File::open(path) {
        Ok(file) => visit(Ok(Document {
            uri: path.display().to_string(),
            reader: Box::new(BufReader::with_capacity(READ_BUFFER, file)),
        })),
        Err(e) => visit(Err(path_error(path, format!("cannot open: {e}")))),
    }
}

fn visit_dir(dir: &Path, visit: &mut dyn FnMut(Result<Document<'_>, RecordError>) -> bool) -> bool {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return visit(Err(path_error(dir, format!("cannot list directory: {e}")))),
    };
    let mut children: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    children.sort();
    children.iter().all(|child| visit_path(child, false, visit))
}

fn visit_zip(path: &Path, visit: &mut dyn FnMut(Result<Document<'_>, RecordError>) -> bool) -> bool {
    let archive = File::open(path).map_err(|e| e.to_string()).and_then(|file| {
        zip::ZipArchive::new(BufReader::new(file)).map_err(|e| format!("not a readable ZIP archive: {e}"))
    });
    let mut archive = match archive {
        Ok(archive) => archive,
        Err(reason) => return visit(Err(path_error(path, reason))),
    };
    for index in 0..archive.len() {
        let entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(e) => {
                let error = path_error(path, format!("entry {index} is unreadable: {e}"));
                if !visit(Err(error)) {
                    return false;
                }
                continue;
            }
        };
        let name = entry.name().map(|name| name.into_owned()).unwrap_or_else(|_| format!("entry {index}"));
        if entry.is_dir() || !has_data_extension(&name) {
            continue;
        }
        let uri = format!("{}!{name}", path.display());
        let document = Document { uri, reader: Box::new(BufReader::with_capacity(READ_BUFFER, entry)) };
        if !visit(Ok(document)) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(bytes: &'static [u8]) -> Result<InputFormat, RecordError> {
        let mut document = Document { uri: "mem".into(), reader: Box::new(bytes) };
        document.detect_format(InputFormat::Auto)
    }

    #[test]
    fn formats_are_told_apart_by_content() {
        assert_eq!(detect(b"  {\"protocolSection\":{}}").unwrap(), InputFormat::CtgovJson);
        assert_eq!(detect(b"{\"studies\":[]}").unwrap(), InputFormat::CtgovJson);
        assert_eq!(detect(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<clinical_study>").unwrap(), InputFormat::CtgovXml);
        assert_eq!(detect(b"{\"id\":\"NCT00000001\"}\n").unwrap(), InputFormat::EligoJsonl);
        assert!(detect(b"").unwrap_err().reason.contains("empty"));
        assert_eq!(detect(b"<html><body>").unwrap(), InputFormat::Page);
        assert_eq!(detect(b"Belimumab + Rituximab for Systemic Sclerosis\nTrial Summary").unwrap(), InputFormat::Page);
        assert_eq!(detect(b"<?xml version=\"1.0\"?>\n<PubmedArticleSet>").unwrap(), InputFormat::PubmedXml);
        assert_eq!(detect(b"PMID- 29073351\nTI  - Belimumab").unwrap(), InputFormat::Medline);
        assert!(detect(b"<?xml version=\"1.0\"?><svg/>").unwrap_err().reason.contains("not a recognised format"));
        assert!(detect(b"PK\x03\x04\x00\x00binary").unwrap_err().reason.contains("not a recognised format"));
    }
}
