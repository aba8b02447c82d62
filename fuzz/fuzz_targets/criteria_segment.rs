//! Segmentation alone on arbitrary text: must never panic; segments stay inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let chars = text.chars().count();
    for segment in eligo_criteria::segment(&text) {
        assert!(segment.start < segment.end && segment.end <= chars);
    }
});
