//! The readers never panic, whatever the bytes.

mod common;

use common::{fixture, origin};
use eligo_ctgov::{json, xml, Origin};
use eligo_model::SourceKind;
use proptest::prelude::*;

fn run_json(bytes: &[u8]) {
    let mut count = 0usize;
    json::read(bytes, &origin("fuzz.json"), &mut |_| count += 1).unwrap();
}

fn run_xml(bytes: &[u8]) {
    let mut count = 0usize;
    xml::read(bytes, &Origin::new("fuzz.xml", SourceKind::CtgovXml), &mut |_| count += 1).unwrap();
}

/// A mutation of a valid document: overwrite, insert or delete a few bytes, then maybe truncate.
fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8, u8)], cut: Option<usize>) -> Vec<u8> {
    for &(at, op, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        match op % 3 {
            0 => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            _ => {
                bytes.remove(at);
            }
        }
    }
    if let Some(cut) = cut {
        bytes.truncate(cut % (bytes.len() + 1));
    }
    bytes
}

fn json_lines_fixture() -> Vec<u8> {
    let study: serde_json::Value = serde_json::from_slice(&fixture("study_full.json")).unwrap();
    let line = serde_json::to_string(&study).unwrap();
    format!("{line}\n{line}\n").into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn json_reader_survives_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        run_json(&bytes);
    }

    #[test]
    fn json_reader_survives_json_like_text(text in r#"[\[\]{}",:0-9a-zA-Z \n\\]{0,200}"#) {
        run_json(text.as_bytes());
    }

    #[test]
    fn xml_reader_survives_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        run_xml(&bytes);
    }

    #[test]
    fn xml_reader_survives_xml_like_text(text in r#"(<clinical_study>|</clinical_study>|<nct_id>|</nct_id>|<id_info>|</id_info>|NCT00000001|&amp;|&#x|<!\[CDATA\[|\]\]>|<\?xml|\?>|<|>|/|"| |a){0,60}"#) {
        run_xml(text.as_bytes());
    }

    #[test]
    fn mutated_valid_json_never_panics(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..8),
        cut in proptest::option::of(any::<usize>()),
        which in 0usize..3,
    ) {
        let base = match which {
            0 => fixture("study_full.json"),
            1 => fixture("page_two_studies.json"),
            _ => json_lines_fixture(),
        };
        run_json(&mutate(base, &edits, cut));
    }

    #[test]
    fn mutated_valid_xml_never_panics(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..8),
        cut in proptest::option::of(any::<usize>()),
    ) {
        run_xml(&mutate(fixture("legacy_full.xml"), &edits, cut));
    }
}
