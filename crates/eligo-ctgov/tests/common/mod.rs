//! Helpers shared by the reader tests.
#![allow(dead_code)]

use eligo_ctgov::{Origin, ParsedRecord, RecordError, RecordResult};
use eligo_model::SourceKind;

pub fn origin(uri: &str) -> Origin {
    Origin::new(uri, SourceKind::CtgovJson)
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Everything a reader handed to its sink, split into records and errors
/// (in document order within each list).
#[derive(Default)]
pub struct Collected {
    pub records: Vec<ParsedRecord>,
    pub errors: Vec<RecordError>,
}

impl Collected {
    pub fn sink(&mut self) -> impl FnMut(RecordResult) + '_ {
        |result| match result {
            Ok(record) => self.records.push(record),
            Err(error) => self.errors.push(error),
        }
    }

    pub fn ids(&self) -> Vec<&str> {
        self.records.iter().map(|r| r.trial.id.as_str()).collect()
    }
}

pub fn read_json(bytes: &[u8]) -> (Collected, eligo_ctgov::json::ReadSummary) {
    let mut collected = Collected::default();
    let summary = eligo_ctgov::json::read(bytes, &origin("test.json"), &mut collected.sink()).expect("no I/O error");
    (collected, summary)
}

pub fn read_xml(bytes: &[u8]) -> Collected {
    let mut collected = Collected::default();
    let origin = Origin::new("test.xml", SourceKind::CtgovXml);
    eligo_ctgov::xml::read(bytes, &origin, &mut collected.sink()).expect("no I/O error");
    collected
}

/// Path of a shared real-data file, or `None` (with a message) when this
/// machine does not have it.
/// `../shared/data/<rel>` beside the repository, or `None` (with a message) when this machine has
/// no shared data.
pub fn real_data(rel: &str) -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(rel);
    if path.exists() {
        Some(path)
    } else {
        println!("skipping: {} is not available on this machine", path.display());
        None
    }
}
