//! How a trial is kept at rest: its JSON, compressed with zstd.
//!
//! A trial's JSON with its parsed criteria is three to four times the size of the registry record
//! it came from, and most of it is the same field names and criterion shapes over and over, which
//! zstd removes. JSON stays the format inside (self-describing: a field added to the model reads
//! old records unchanged). The level is the fastest that meets the store's size promise
//! (`BENCHMARKS.md`, "Store size"); each thread keeps its own compression contexts, since
//! setting one up costs more than compressing a small record.

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{Result, StoreError};

/// zstd's level: 1, its fastest. Compression runs inside the write transaction of every ingest
/// batch, and level 3 cost 60 % more CPU per record for 3 % smaller bodies ("Store size" in
/// `BENCHMARKS.md`: both are far under the size promise).
const LEVEL: i32 = 1;

/// A stored record larger than this once decompressed is corrupt (the largest registry records
/// with their criteria are well under 1 MB); the bound keeps a damaged header from asking for an
/// allocation of any size.
const MAX_DECODED_BYTES: usize = 64 << 20;

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> = const { RefCell::new(None) };
}

/// The stored form of record `id`.
pub fn encode<T: Serialize>(id: &str, record: &T) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(record).map_err(|e| StoreError::corrupt(id, e))?;
    compress(id, &json)
}

/// The stored form of record `id` from its JSON (a migration compresses bodies as they are,
/// without reading them, so that a damaged one stays for `eligo check` to report).
pub fn compress(id: &str, json: &[u8]) -> Result<Vec<u8>> {
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let compressor = match slot.as_mut() {
            Some(compressor) => compressor,
            None => slot.insert(zstd::bulk::Compressor::new(LEVEL).map_err(|e| StoreError::corrupt(id, e))?),
        };
        compressor.compress(json).map_err(|e| StoreError::corrupt(id, e))
    })
}

/// Record `id` from its stored form.
pub fn decode<T: DeserializeOwned>(id: &str, stored: &[u8]) -> Result<T> {
    let size = zstd::bulk::Decompressor::upper_bound(stored)
        .filter(|&size| size <= MAX_DECODED_BYTES)
        .ok_or_else(|| StoreError::corrupt(id, "the stored body is not a compressed record of a sensible size"))?;
    let json = DECOMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let decompressor = match slot.as_mut() {
            Some(decompressor) => decompressor,
            None => slot.insert(zstd::bulk::Decompressor::new().map_err(|e| StoreError::corrupt(id, e))?),
        };
        decompressor.decompress(stored, size).map_err(|e| StoreError::corrupt(id, e))
    })?;
    // Checked as UTF-8 once, whole: `from_slice` checks each string on its own, which costs more
    // than the one pass over a record made of many short strings.
    let json = std::str::from_utf8(&json).map_err(|e| StoreError::corrupt(id, e))?;
    serde_json::from_str(json).map_err(|e| StoreError::corrupt(id, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_model::{Eligibility, Trial};

    #[test]
    fn a_record_comes_back_as_it_went_in_and_smaller() {
        let trial = Trial {
            id: "NCT01".into(),
            eligibility: Eligibility {
                criteria_text: Some("Inclusion Criteria:\n\n* Age 18 or older\n".repeat(40)),
                ..Eligibility::default()
            },
            ..Trial::default()
        };
        let stored = encode(&trial.id, &trial).unwrap();
        assert!(stored.len() * 4 < serde_json::to_vec(&trial).unwrap().len());
        assert_eq!(decode::<Trial>(&trial.id, &stored).unwrap(), trial);
    }

    #[test]
    fn damaged_bodies_are_corrupt_records_naming_their_id() {
        let stored = encode("NCT01", &Trial { id: "NCT01".into(), ..Trial::default() }).unwrap();
        let not_utf8 = compress("NCT01", b"{\"id\":\"NCT\xff01\"}").unwrap();
        for damaged in [b"{\"id\":\"NCT01\"}".to_vec(), stored[..stored.len() / 2].to_vec(), Vec::new(), not_utf8] {
            match decode::<Trial>("NCT01", &damaged) {
                Err(StoreError::Corrupt { id, .. }) => assert_eq!(id, "NCT01"),
                other => panic!("{damaged:?} decoded: {other:?}"),
            }
        }
    }
}
