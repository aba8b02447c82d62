//! Segmentation plus extraction on arbitrary text: must never panic, and every entity must lie
//! inside its criterion.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let chars = text.chars().count();
    for criterion in eligo_criteria::parse_criteria(&text) {
        assert!(criterion.start < criterion.end && criterion.end <= chars);
        assert!(!criterion.computable.is_empty());
        for entity in &criterion.entities {
            assert!(criterion.start <= entity.start && entity.end <= criterion.end);
        }
    }
});
