//! The ingest pipeline: documents → records → atomic batches in the store.
//!
//! Three stages overlap: a reader thread decodes documents into records and hands them over a
//! bounded channel (a slow store holds the reader back instead of letting records pile up in
//! memory); the writer collects them into batches, and parses the criteria of a batch's new and
//! changed records on every core (rayon's work-stealing pool, so one long record does not leave a
//! core idle) while the batch parsed before it is written in one transaction (encoding and the
//! store's write would otherwise leave the other core idle after each batch); the records written
//! are handed on (`BatchWriter::on_written`: the search index takes them as they are, instead of
//! reading them back from the store).

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Instant;

use eligo_ctgov::{Origin, RecordError, RecordResult};
use eligo_model::{SourceKind, Trial};
use eligo_store::{content_hash, Hashed, Store, StoreError, UpsertOutcome};
use rayon::iter::{IntoParallelRefIterator, IntoParallelRefMutIterator, ParallelIterator};
use serde::Serialize;

use crate::documents::{document_error, for_each_document, Document, InputFormat};
use crate::export;
use crate::pages::{self, Item};
use crate::reconcile::{PageState, PublicationCounts};

/// How many records go into one transaction.
pub const DEFAULT_BATCH_SIZE: usize = 1000;
/// Records handed from the parser to the writer at a time.
const CHUNK: usize = 256;
/// Error and warning messages kept in a report (the counts are always exact).
pub(crate) const MAX_MESSAGES: usize = 1000;

#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub format: InputFormat,
    /// Go on after a bad record or document (each is reported). Without it,
    /// ingest stops at the first failure, keeping what was committed before.
    pub keep_going: bool,
    pub batch_size: usize,
    /// The address saved pages came from (`--source-url`), recorded as their source.
    pub source_url: Option<String>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { format: InputFormat::Auto, keep_going: false, batch_size: DEFAULT_BATCH_SIZE, source_url: None }
    }
}

/// What an ingest did. Serialized as the stable `eligo ingest --json` output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub failed: u64,
    /// True when ingest stopped at a failure (no `--keep-going`).
    pub stopped_early: bool,
    /// The first failures, each naming its document, record and reason.
    pub errors: Vec<String>,
    /// Records stored with something odd about them (an unknown enum value).
    pub warnings: Vec<String>,
    pub warning_count: u64,
    /// Listing pages folded into a trial that another source described.
    pub merged_pages: u64,
    /// Pages without a registry ID that matched no stored trial, each kept
    /// as a separate listing (with the closest candidate and its score).
    pub unlinked_listings: Vec<String>,
    /// Publications read (PubMed XML, MEDLINE, profile pages).
    pub publications: PublicationCounts,
    /// Trial–publication links after this ingest, when they were recomputed.
    pub publication_links: Option<u64>,
    /// Wall-clock time from the first record to the last commit.
    pub seconds: f64,
    /// Records read (stored or failed) per second of `seconds`.
    pub trials_per_second: f64,
}

impl IngestReport {
    pub fn stored(&self) -> u64 {
        self.new + self.updated + self.unchanged
    }

    fn record_timing(&mut self, started: Instant) {
        self.seconds = started.elapsed().as_secs_f64();
        let records = (self.stored() + self.failed) as f64;
        self.trials_per_second = if self.seconds > 0.0 { records / self.seconds } else { 0.0 };
    }

    pub(crate) fn record_failure(&mut self, error: &RecordError) {
        self.failed += 1;
        if self.errors.len() < MAX_MESSAGES {
            self.errors.push(error.to_string());
        }
    }

    fn record_warnings(&mut self, uri: &str, location: &str, warnings: &[String]) {
        for warning in warnings {
            self.warning_count += 1;
            if self.warnings.len() < MAX_MESSAGES {
                self.warnings.push(format!("{uri}: {location}: {warning}"));
            }
        }
    }
}

/// Counts so far, for progress bars.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub stored: u64,
    pub failed: u64,
}

/// Failures that stop an ingest: the store itself failed. Bad input never
/// does; it is counted in the report.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The reader thread stopped with a panic. The records it had handed over are stored (each
    /// batch is whole); what it had not read yet is not, so the ingest fails rather than report a
    /// partial success.
    #[error("the reader stopped unexpectedly ({0}); records it had not read yet were not ingested")]
    ReaderPanicked(String),
    /// The criteria engine panicked on a record of a batch. That batch is not written (the batches
    /// before it are), and the ingest stops: a record stored without its criteria would look parsed.
    #[error("the criteria parser stopped unexpectedly ({0}); the batch it was parsing and the records after it were not ingested")]
    WorkerPanicked(String),
}

/// Collects records into batches and writes each batch in one transaction.
/// Shared by file ingest, sync and the demo so that they count the same way.
pub struct BatchWriter<'s> {
    pub(crate) store: &'s dyn Store,
    /// Records collected, their criteria not parsed yet.
    batch: Vec<Trial>,
    /// The batch parsed last, written while the next one is parsed (or by [`BatchWriter::flush`]).
    parsed: ParsedBatch,
    pub(crate) batch_size: usize,
    pub(crate) report: IngestReport,
    pub(crate) pages: PageState,
    started: Instant,
    written: Option<Box<dyn FnMut(Trial, UpsertOutcome) + 's>>,
}

/// A batch whose criteria are parsed, with each record's content hash (computed once, to choose
/// what to parse, and handed to the store, which compares the same hash).
#[derive(Default)]
struct ParsedBatch {
    trials: Vec<Trial>,
    hashes: Vec<String>,
}

impl<'s> BatchWriter<'s> {
    pub fn new(store: &'s dyn Store, batch_size: usize) -> Self {
        BatchWriter {
            store,
            batch: Vec::with_capacity(batch_size.clamp(1, DEFAULT_BATCH_SIZE)),
            parsed: ParsedBatch::default(),
            batch_size: batch_size.max(1),
            report: IngestReport::default(),
            pages: PageState::default(),
            started: Instant::now(),
            written: None,
        }
    }

    /// Hands every record the store wrote (new or updated, criteria attached) to `sink` with its
    /// outcome after its batch committed, in write order; unchanged records are not handed on.
    pub fn on_written(mut self, sink: impl FnMut(Trial, UpsertOutcome) + 's) -> Self {
        self.written = Some(Box::new(sink));
        self
    }

    /// Takes one record; writes a batch when it is full. Returns whether the
    /// record was good.
    pub fn push(&mut self, uri: &str, record: RecordResult) -> Result<bool, IngestError> {
        match record {
            Ok(parsed) => {
                self.report.record_warnings(uri, &parsed.location, &parsed.warnings);
                let trial = self.reconcile(uri, parsed.trial)?;
                self.batch.push(trial);
                if self.batch.len() >= self.batch_size {
                    self.advance()?;
                }
                Ok(true)
            }
            Err(error) => {
                self.report.record_failure(&error);
                Ok(false)
            }
        }
    }

    /// Parses the collected batch's criteria while the batch parsed before it is written, so that
    /// the store's work (encoding, the transaction) runs beside parsing instead of after it. Records
    /// a still unwritten earlier batch holds again are parsed although they may prove unchanged:
    /// the store still decides new, updated or unchanged against what is committed.
    fn advance(&mut self) -> Result<(), IngestError> {
        let mut batch = std::mem::take(&mut self.batch);
        let parsed = std::mem::take(&mut self.parsed);
        let store = self.store;
        let (parsing, written) =
            rayon::join(|| attach_criteria_to_changed(store, &mut batch), || write_batch(store, &parsed));
        // A failed write stops here: the batch just parsed is dropped with the error, unwritten.
        self.count_written(parsed.trials, written?);
        self.parsed = ParsedBatch { trials: batch, hashes: parsing? };
        Ok(())
    }

    /// Counts the outcome of each record of a written batch and hands on the ones written.
    fn count_written(&mut self, batch: Vec<Trial>, outcomes: Vec<UpsertOutcome>) {
        for (trial, outcome) in batch.into_iter().zip(outcomes) {
            match outcome {
                UpsertOutcome::New => self.report.new += 1,
                UpsertOutcome::Updated => self.report.updated += 1,
                UpsertOutcome::Unchanged => {
                    self.report.unchanged += 1;
                    continue;
                }
            }
            if let Some(sink) = &mut self.written {
                sink(trial, outcome);
            }
        }
    }

    /// Writes what is pending: every record pushed so far is committed when this returns.
    pub fn flush(&mut self) -> Result<(), IngestError> {
        if !self.batch.is_empty() {
            self.advance()?;
        }
        let parsed = std::mem::take(&mut self.parsed);
        let outcomes = write_batch(self.store, &parsed)?;
        self.count_written(parsed.trials, outcomes);
        Ok(())
    }

    pub fn progress(&self) -> Progress {
        Progress { stored: self.report.stored(), failed: self.report.failed }
    }

    /// The store, for callers that keep state between batches (sync).
    pub fn store(&mut self) -> &dyn Store {
        self.store
    }

    pub fn finish(mut self) -> Result<IngestReport, IngestError> {
        self.flush()?;
        self.flush_publications()?;
        self.relink_if_changed()?;
        self.report.record_timing(self.started);
        Ok(self.report)
    }
}

/// Parses the criteria of the batch's records that differ from their stored version (the store
/// does not rewrite unchanged records, so their criteria would be thrown away), on every core:
/// parsing costs more than reading and writing together. Returns each record's content hash
/// (criteria do not change it), which the store compares again when the batch is written.
fn attach_criteria_to_changed(store: &dyn Store, batch: &mut [Trial]) -> Result<Vec<String>, IngestError> {
    let ids: Vec<&str> = batch.iter().map(|t| t.id.as_str()).collect();
    let stored = store.content_hashes(&ids)?;
    // The records are not used again after a panic: the batch is dropped with the error.
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        let hashes: Vec<String> = batch.par_iter().map(content_hash).collect();
        let mut changed: Vec<&mut Trial> = batch
            .iter_mut()
            .zip(&hashes)
            .filter(|(t, hash)| stored.get(&t.id) != Some(*hash))
            .map(|(t, _)| t)
            .collect();
        changed.par_iter_mut().for_each(|t| attach_criteria(t));
        hashes
    }))
    .map_err(|panic| IngestError::WorkerPanicked(panic_message(panic)))
}

/// Writes one parsed batch in one transaction (nothing to do for an empty one).
fn write_batch(store: &dyn Store, batch: &ParsedBatch) -> Result<Vec<UpsertOutcome>, IngestError> {
    if batch.trials.is_empty() {
        return Ok(Vec::new());
    }
    let hashed: Vec<Hashed<'_>> =
        batch.trials.iter().zip(&batch.hashes).map(|(trial, hash)| Hashed { trial, hash }).collect();
    Ok(store.upsert_hashed(&hashed)?)
}

/// Fills `trial.criteria` from its eligibility text with the criteria engine, unless it already has
/// criteria (an Eligo export carries them). Criteria are derived data: the store's content hash
/// ignores them, so this never turns an unchanged record into an update.
///
/// The store keeps what each criterion asks (section, span, text, computable forms), not its
/// entity mark-up: the mark-up is for display, costs more than half of a stored record, and
/// `eligo_criteria::parse_criteria` recomputes it from the text when a page or `eligo criteria
/// parse` needs it. So it is not built here at all (`parse_requirements`).
pub fn attach_criteria(trial: &mut Trial) {
    if trial.criteria.is_empty() {
        if let Some(text) = trial.eligibility.criteria_text.as_deref() {
            trial.criteria = eligo_criteria::parse_requirements(text);
        }
    }
}

/// Reads one document with the reader for its format, handing each record
/// to `sink`. Document-level failures (unreadable, unknown format, cut off)
/// reach the sink as errors too. Publications are not trial records: a
/// publication file read through this function is reported as an error
/// (use [`read_items`]).
pub fn read_document(document: Document<'_>, format: InputFormat, sink: &mut dyn FnMut(RecordResult)) {
    let uri = document.uri.clone();
    read_items(document, format, None, &mut |item| match item {
        Item::Trial(record) => sink(record),
        Item::Publication(Ok(_)) => sink(Err(document_error(&uri, "a publication, not a trial record".into()))),
        Item::Publication(Err(error)) => sink(Err(error)),
    });
}

/// Reads one document, trials and publications alike, handing each item to
/// `sink`. `source_url` is recorded as the source of saved pages.
pub fn read_items(
    mut document: Document<'_>,
    format: InputFormat,
    source_url: Option<&str>,
    sink: &mut dyn FnMut(Item),
) {
    let format = match document.detect_format(format) {
        Ok(format) => format,
        Err(error) => return sink(Item::Trial(Err(error))),
    };
    let uri = document.uri.clone();
    let mut trials = |record| sink(Item::Trial(record));
    let outcome = match format {
        InputFormat::EligoJsonl => export::read_jsonl(document.reader, &uri, &mut trials),
        InputFormat::CtgovXml => {
            eligo_ctgov::xml::read(document.reader, &Origin::new(&uri, SourceKind::CtgovXml), &mut trials).map(|_| ())
        }
        InputFormat::CtgovJson | InputFormat::Auto => {
            eligo_ctgov::json::read(document.reader, &Origin::new(&uri, SourceKind::CtgovJson), &mut trials).map(|_| ())
        }
        InputFormat::Page => {
            pages::read_page(document.reader, &uri, source_url, sink);
            Ok(())
        }
        InputFormat::PubmedXml | InputFormat::Medline => pages::read_publications(document.reader, &uri, format, sink),
    };
    if let Err(error) = outcome {
        sink(Item::Trial(Err(document_error(&uri, format!("read failed: {error}")))));
    }
}

/// Ingests every document under `paths` into `store`; every record written is handed to
/// `written` after its batch committed (see [`BatchWriter::on_written`]).
pub fn ingest_paths(
    store: &dyn Store,
    paths: &[PathBuf],
    options: &IngestOptions,
    progress: &mut dyn FnMut(Progress),
    written: &mut dyn FnMut(Trial, UpsertOutcome),
) -> Result<IngestReport, IngestError> {
    let (sender, receiver) = mpsc::sync_channel::<Vec<(String, Item)>>(8);
    let paths = paths.to_vec();
    let (format, source_url) = (options.format, options.source_url.clone());
    let parser = std::thread::spawn(move || parse_all(&paths, format, source_url.as_deref(), sender));

    let mut writer = BatchWriter::new(store, options.batch_size).on_written(written);
    let mut stopped_early = false;
    'chunks: for chunk in receiver.iter() {
        for (uri, item) in chunk {
            let good = match item {
                Item::Trial(record) => writer.push(&uri, record)?,
                Item::Publication(publication) => writer.push_publication(publication)?,
            };
            if !good && !options.keep_going {
                stopped_early = true;
                break 'chunks;
            }
        }
        progress(writer.progress());
    }
    // Dropping the receiver makes the parser's next send fail, which stops it.
    drop(receiver);
    let reader = reader_outcome(parser);
    let mut report = writer.finish()?;
    reader?;
    report.stopped_early = stopped_early;
    progress(Progress { stored: report.stored(), failed: report.failed });
    Ok(report)
}

/// Whether the reader thread ended normally; a panic becomes [`IngestError::ReaderPanicked`] with
/// its message.
fn reader_outcome(reader: std::thread::JoinHandle<()>) -> Result<(), IngestError> {
    reader.join().map_err(|panic| IngestError::ReaderPanicked(panic_message(panic)))
}

/// The message a panic was raised with.
fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}

/// The parser thread: reads every document and sends records in chunks
/// until done or until the writer hangs up.
fn parse_all(
    paths: &[PathBuf],
    format: InputFormat,
    source_url: Option<&str>,
    sender: mpsc::SyncSender<Vec<(String, Item)>>,
) {
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut hung_up = false;
    let send = |item: (String, Item), chunk: &mut Vec<(String, Item)>, hung_up: &mut bool| {
        if *hung_up {
            return;
        }
        chunk.push(item);
        if chunk.len() >= CHUNK {
            *hung_up = sender.send(std::mem::take(chunk)).is_err();
        }
    };
    for_each_document(paths, &mut |document| {
        match document {
            Ok(document) => {
                let uri = document.uri.clone();
                read_items(document, format, source_url, &mut |item| {
                    send((uri.clone(), item), &mut chunk, &mut hung_up)
                });
            }
            Err(error) => send((error.uri.clone(), Item::Trial(Err(error))), &mut chunk, &mut hung_up),
        }
        !hung_up
    });
    if !hung_up && !chunk.is_empty() {
        let _ = sender.send(chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_ctgov::ParsedRecord;

    fn record(id: &str, criteria: &str) -> RecordResult {
        let mut trial = Trial { id: id.into(), nct_id: Some(id.into()), ..Trial::default() };
        trial.eligibility.criteria_text = Some(criteria.into());
        Ok(ParsedRecord { trial, location: id.into(), warnings: Vec::new() })
    }

    #[test]
    fn batches_written_while_the_next_is_parsed_are_all_committed_in_order_with_criteria() {
        let store = eligo_store::temporary_store().unwrap();
        let mut written = Vec::new();
        let mut writer =
            BatchWriter::new(&*store, 2).on_written(|trial: Trial, outcome| written.push((trial.id, outcome)));
        let ids = ["NCT90000001", "NCT90000002", "NCT90000003", "NCT90000004", "NCT90000005"];
        for id in ids {
            assert!(writer.push("test.json", record(id, "Inclusion Criteria:\n- Age 40 years or older")).unwrap());
        }
        // The same record again, one batch after the first copy was parsed but maybe not written.
        writer.push("test.json", record("NCT90000004", "Inclusion Criteria:\n- Age 40 years or older")).unwrap();
        writer.flush().unwrap();
        assert_eq!(store.trial_count().unwrap(), 5, "a flush leaves nothing unwritten");
        let report = writer.finish().unwrap();
        assert_eq!((report.new, report.unchanged), (5, 1));
        assert_eq!(written, ids.map(|id| (id.to_string(), UpsertOutcome::New)));
        for id in ids {
            let trial = store.get_trial(id).unwrap().unwrap();
            assert!(!trial.criteria.is_empty(), "{id} was stored without its criteria");
        }
    }

    #[test]
    fn a_reader_that_panics_fails_the_ingest_with_its_message() {
        let reader = std::thread::spawn(|| panic!("unexpected byte in a record"));
        let error = reader_outcome(reader).unwrap_err();
        assert!(matches!(&error, IngestError::ReaderPanicked(m) if m.contains("unexpected byte")), "{error}");
        assert!(error.to_string().contains("not ingested"));
        assert!(reader_outcome(std::thread::spawn(|| {})).is_ok());
    }
}
