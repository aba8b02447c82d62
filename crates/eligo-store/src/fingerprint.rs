//! Content fingerprints that decide whether a re-ingested record changed.

use eligo_model::Trial;
use sha2::{Digest, Sha256};

/// SHA-256 (hex) of a trial's registry content: everything except `sources`
/// and `provenance`, which record *when and from where* the content was read
/// rather than the content itself, and `criteria`, which are derived from the
/// criteria text by the engine. Re-reading the same study from another file
/// or a later download therefore counts as unchanged, and ingest can tell
/// before parsing criteria whether a record needs them.
pub fn content_hash(trial: &Trial) -> String {
    let content = Trial { sources: Vec::new(), provenance: Default::default(), criteria: Vec::new(), ..trial.clone() };
    // The JSON is written to a buffer kept per thread and hashed in one go: fed to the hasher as
    // serde writes it, piece by piece (each quote, key and comma), the hash cost 12 % more.
    thread_local! {
        static JSON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    JSON.with(|cell| {
        let mut json = cell.borrow_mut();
        json.clear();
        // Serializing a Trial cannot fail: every field is plain data with string keys.
        let _ = serde_json::to_writer(&mut *json, &content);
        hex::encode(Sha256::digest(&*json))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_model::{SourceKind, SourceRecord};

    #[test]
    fn provenance_does_not_change_the_hash_but_content_does() {
        let trial = Trial { id: "NCT00000001".into(), brief_title: Some("A".into()), ..Trial::default() };
        let mut reread = trial.clone();
        reread.sources.push(SourceRecord {
            kind: SourceKind::CtgovJson,
            uri: Some("other.json".into()),
            layout: None,
            retrieved_at: chrono::Utc::now(),
        });
        assert_eq!(content_hash(&trial), content_hash(&reread));
        let changed = Trial { brief_title: Some("B".into()), ..trial.clone() };
        assert_ne!(content_hash(&trial), content_hash(&changed));
    }

    #[test]
    fn the_hash_is_sha256_of_the_registry_json_as_stores_hold_it() {
        // Stores keep these hashes: the bytes hashed must never change with the way they are fed.
        let trial = Trial { id: "NCT00000001".into(), brief_title: Some("A".into()), ..Trial::default() };
        // sha256sum of {"id":"NCT00000001","brief_title":"A","design":{},"eligibility":{}}
        assert_eq!(content_hash(&trial), "0bac8f7a8ea1756492cf487a3800537c0a7ad2b304c02e293fcdfc03f7e4e39a");
    }

    #[test]
    fn parsed_criteria_do_not_change_the_hash() {
        let trial = Trial { id: "NCT00000001".into(), ..Trial::default() };
        let criterion = eligo_model::Criterion {
            section: eligo_model::Section::Inclusion,
            start: 0,
            end: 3,
            text: "Age".into(),
            computable: Vec::new(),
            negated: false,
            entities: Vec::new(),
            applies_if: Default::default(),
        };
        let parsed = Trial { criteria: vec![criterion], ..trial.clone() };
        assert_eq!(content_hash(&trial), content_hash(&parsed));
    }
}
