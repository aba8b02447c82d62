//! The search query language (words, quoted phrases, field scopes, OR, parentheses, minus) on
//! arbitrary text: parsing must never panic; a query either parses or is refused with a reason.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(error) = eligo_search::query::parse(&text) {
        assert!(!error.to_string().is_empty());
    }
});
