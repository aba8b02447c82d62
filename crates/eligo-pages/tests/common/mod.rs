//! Helpers shared by the page and publication tests.
#![allow(dead_code)]

use std::path::PathBuf;

use eligo_model::Publication;
use eligo_pages::{read_page, ExtractedTrial, PageContent, PageOrigin};

/// The seed page whose file name starts with `prefix` ("001"), or `None`
/// (with a message) when `../shared/seeds` is absent.
pub fn seed(prefix: &str) -> Option<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {} is absent", dir.display());
        return None;
    };
    let path = entries
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)))?;
    let bytes = std::fs::read(&path).ok()?;
    Some((path.display().to_string(), bytes))
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn trial_of(uri: &str, bytes: &[u8]) -> ExtractedTrial {
    match read_page(bytes, &PageOrigin::new(uri)) {
        Ok(PageContent::Trial(trial)) => trial,
        Ok(PageContent::Publication(p)) => panic!("{uri}: read as a publication: {}", p.title),
        Err(e) => panic!("{uri}: {e}"),
    }
}

pub fn publication_of(uri: &str, bytes: &[u8]) -> Publication {
    match read_page(bytes, &PageOrigin::new(uri)) {
        Ok(PageContent::Publication(publication)) => publication,
        Ok(PageContent::Trial(t)) => panic!("{uri}: read as a trial: {}", t.trial.title()),
        Err(e) => panic!("{uri}: {e}"),
    }
}
