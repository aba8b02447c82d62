//! The ClinicalTrials.gov readers (API v2 JSON and legacy XML) on arbitrary bytes: they must never
//! panic, and every bad record must come back as an error rather than stop the read.
#![no_main]

use eligo_ctgov::{json, xml, Origin};
use eligo_model::SourceKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let json_origin = Origin::new("fuzz.json", SourceKind::CtgovJson);
    let _ = json::read(data, &json_origin, &mut |_| {});
    let xml_origin = Origin::new("fuzz.xml", SourceKind::CtgovXml);
    let _ = xml::read(data, &xml_origin, &mut |_| {});
});
