//! Eligo JSON Lines: the store's own records, one per line.
//!
//! `eligo export` writes it and `eligo ingest` reads it back: every field,
//! provenance included, survives the round trip, so an export is a complete
//! backup and a way to move a registry between machines.

use std::io::{BufRead, Write};

use eligo_ctgov::{ParsedRecord, RecordError, RecordResult};
use eligo_model::Trial;
use eligo_store::{StoreError, TrialStore};

/// Writes every trial, in id order, one JSON object per line. Returns the
/// count. A failed write stops the walk and is returned as the error.
pub fn export_jsonl(store: &dyn TrialStore, out: &mut dyn Write) -> Result<u64, StoreError> {
    let mut count = 0;
    store.for_each_trial(&mut |stored| {
        serde_json::to_writer(&mut *out, &stored.trial)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .map_err(|error| StoreError::Stopped(format!("writing the export failed: {error}")))?;
        count += 1;
        Ok(())
    })?;
    out.flush().map_err(|error| StoreError::Stopped(format!("writing the export failed: {error}")))?;
    Ok(count)
}

/// Reads Eligo JSON Lines. A line that does not parse is an error naming its
/// number; the other lines still go through.
pub fn read_jsonl(
    mut reader: Box<dyn BufRead + '_>,
    uri: &str,
    sink: &mut dyn FnMut(RecordResult),
) -> std::io::Result<()> {
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let location = format!("line {number}");
        let record = serde_json::from_slice::<Trial>(&line)
            .map(|trial| ParsedRecord { trial, location: location.clone(), warnings: Vec::new() })
            .map_err(|error| RecordError { uri: uri.to_string(), location, nct_id: None, reason: error.to_string() });
        sink(record);
    }
}
