//! `eligo screen --patients FILE.jsonl [--partition K/N] --output FILE.jsonl`: a cohort against
//! the whole registry, one JSON line per patient with its ranked trials.
//!
//! Each patient goes through `eligo_match::Matcher::match_patient`, exactly as `eligo match` does
//! (candidates from the search index, screened, ranked; the shown trials explained with
//! `--explain`). Patients are screened on every core at once; the workers share one store (its
//! pool hands each a connection), the search index and the prepared-trial cache. The output is in input
//! order and is written to `FILE.jsonl.partial`, renamed to `FILE.jsonl` once complete, so a run
//! that stops leaves no half-written output under the real name.
//!
//! A line that cannot be read (not JSON, no id, no note/profile/FHIR bundle, an unusable record)
//! is reported on stderr with its line number and the reason, and the other patients still go
//! through; the exit code is then 1.
//!
//! `--partition K/N` splits a cohort across N workers (processes, machines) over one store: a
//! patient belongs to part `1 + fnv1a64(id) mod N`, where `id` is the line's `id` as text (a
//! number as written) and FNV-1a is the 64-bit variant over its UTF-8 bytes. The hash is fixed
//! here, so every version and platform splits a file the same way. A line whose id cannot be
//! read belongs to no part, so every part reports it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context as _;
use chrono::NaiveDate;
use eligo_match::{MatchSettings, Matcher, TrialCache, DEFAULT_CANDIDATES};
use eligo_search::SearchIndex;
use eligo_store::SharedStore;
use serde::{Deserialize, Serialize};

use crate::commands::patient::{as_of_or_today, read_patient_line};
use crate::commands::search::open_index;
use crate::context::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSON Lines, one patient a line: `{"id":..,"note":".."}`, `{"id":..,"profile":{..}}` or
    /// `{"id":..,"fhir":{..}}` (the lines `eligo rank` reads).
    #[arg(long)]
    patients: PathBuf,
    /// Only the patients of part K of N (1 ≤ K ≤ N), by a stable hash of their id.
    #[arg(long, value_name = "K/N", value_parser = Partition::parse)]
    partition: Option<Partition>,
    /// Where the JSON Lines go, one line per patient in input order.
    #[arg(long)]
    output: PathBuf,
    /// Trials kept per patient, best first.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Only trials open to recruitment.
    #[arg(long)]
    recruiting: bool,
    /// Evaluation date for ages and time windows (default: today).
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Each kept trial with its criterion-by-criterion results (as `eligo match --json`; slower).
    #[arg(long)]
    explain: bool,
    /// Patients screened at once (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

/// Part `part` (1-based) of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    part: u64,
    of: u64,
}

impl Partition {
    fn parse(text: &str) -> Result<Partition, String> {
        let invalid = || format!("expected K/N with 1 <= K <= N, got {text:?}");
        let (part, of) = text.split_once('/').ok_or_else(invalid)?;
        let part: u64 = part.trim().parse().map_err(|_| invalid())?;
        let of: u64 = of.trim().parse().map_err(|_| invalid())?;
        if part == 0 || part > of {
            return Err(invalid());
        }
        Ok(Partition { part, of })
    }

    fn contains(&self, id: &str) -> bool {
        fnv1a64(id.as_bytes()) % self.of == self.part - 1
    }
}

/// 64-bit FNV-1a: stable across versions and platforms, unlike the standard library's hasher.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// The id of a line, read before the rest to pick the partition.
#[derive(Deserialize)]
struct LineId {
    id: serde_json::Value,
}

fn line_id(line: &str) -> Option<String> {
    match serde_json::from_str::<LineId>(line).ok()?.id {
        serde_json::Value::String(id) => Some(id),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// A patient line to screen, numbered in output order and by its line in the file.
struct Job {
    order: usize,
    line: usize,
    text: String,
}

/// What became of one line.
struct Done {
    order: usize,
    line: usize,
    /// The JSON line, or why there is none.
    result: Result<String, String>,
    /// Items of the record the patient reader rejected (the patient is still screened).
    rejected: Vec<String>,
}

/// One output line.
#[derive(Serialize)]
struct ScreenedPatient<'a> {
    id: &'a str,
    as_of: NaiveDate,
    candidates: usize,
    message: &'a str,
    results: Vec<eligo_match::MatchedTrial>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let settings = MatchSettings {
        recruiting: args.recruiting,
        limit: args.limit,
        explain: args.explain,
        // Parallel over patients instead: one match per worker.
        threads: 1,
        ..MatchSettings::new(as_of_or_today(args.as_of))
    };
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1);
    // One store for every worker: it hands each a connection from its pool.
    let store = ctx.open_store()?;
    let index = open_index(ctx, &*store)?;
    let stores = vec![store; threads];
    let input = std::fs::File::open(&args.patients)
        .with_context(|| format!("opening the patients file {}", args.patients.display()))?;
    let partial = partial_path(&args.output);
    let output = std::fs::File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
    let cache = TrialCache::new(DEFAULT_CANDIDATES * threads);
    let started = Instant::now();
    let workers = Workers { index: &index, cache: &cache, settings: &settings };
    let summary = workers.run(stores, BufReader::new(input), args.partition, BufWriter::new(output), &args.patients);
    let summary = summary.inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })?;
    std::fs::rename(&partial, &args.output).with_context(|| format!("renaming {}", partial.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    ctx.inform(&format!(
        "screened {} patients in {seconds:.1} s ({:.2} patients/s on {threads} threads); {} failed",
        summary.screened,
        summary.screened as f64 / seconds.max(f64::EPSILON),
        summary.failed
    ));
    Ok(if summary.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn partial_path(output: &Path) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    output.with_file_name(name)
}

#[derive(Debug, Default)]
struct Summary {
    screened: u64,
    failed: u64,
}

/// What every worker shares: the index, the trial cache, the settings.
struct Workers<'a> {
    index: &'a SearchIndex,
    cache: &'a TrialCache,
    settings: &'a MatchSettings,
}

impl Workers<'_> {
    /// Reads the lines on one thread, screens them on one thread per store, and writes the
    /// results in input order on this one.
    fn run(
        &self,
        stores: Vec<SharedStore>,
        input: impl BufRead + Send,
        partition: Option<Partition>,
        mut output: impl Write,
        path: &Path,
    ) -> anyhow::Result<Summary> {
        let (jobs, queue) = sync_channel::<Job>(stores.len() * 4);
        // Shared by the workers alone: when the last one stops, the queue closes and the reader
        // stops too, instead of waiting on a full queue nobody reads.
        let queue = Arc::new(Mutex::new(queue));
        let (done, results) = channel::<Done>();
        std::thread::scope(|scope| {
            for store in stores {
                let (queue, done) = (Arc::clone(&queue), done.clone());
                scope.spawn(move || self.work(&*store, &queue, done));
            }
            drop((queue, done));
            let reader = scope.spawn(move || read_jobs(input, partition, jobs));
            let summary = write_in_order(results, &mut output, path)?;
            reader.join().map_err(|_| anyhow::anyhow!("the patients reader stopped unexpectedly"))??;
            output.flush().context("writing the output")?;
            Ok(summary)
        })
    }

    fn work(&self, store: &dyn eligo_store::Store, queue: &Mutex<Receiver<Job>>, done: Sender<Done>) {
        let matcher = Matcher::new(store, self.cache).with_index(self.index);
        loop {
            // The lock is held only to take the next job; a poisoned lock still hands it out.
            let job = queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv();
            let Ok(job) = job else { return };
            let (result, rejected) =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.screen_line(&matcher, &job.text)))
                    .unwrap_or_else(|_| {
                        (Err("screening stopped unexpectedly on this patient".to_string()), Vec::new())
                    });
            if done.send(Done { order: job.order, line: job.line, result, rejected }).is_err() {
                return;
            }
        }
    }

    /// One patient line: read, matched, and written as its output line.
    fn screen_line(&self, matcher: &Matcher, text: &str) -> (Result<String, String>, Vec<String>) {
        let (id, case, rejected) = match read_patient_line(text, self.settings.as_of) {
            Ok(read) => read,
            Err(error) => return (Err(format!("{error:#}")), Vec::new()),
        };
        let rejected = rejected.into_iter().map(|r| format!("{}: {}", r.location, r.reason)).collect();
        let outcome = match matcher.match_patient(&case, self.settings) {
            Ok(outcome) => outcome,
            Err(error) => return (Err(format!("patient {id}: {error}")), rejected),
        };
        let mut results = outcome.matched();
        if !self.settings.explain {
            results.iter_mut().for_each(|trial| trial.criteria.clear());
        }
        let line = ScreenedPatient {
            id: &id,
            as_of: outcome.as_of,
            candidates: outcome.pool.len(),
            message: &outcome.message,
            results,
        };
        (serde_json::to_string(&line).map_err(|e| format!("patient {id}: {e}")), rejected)
    }
}

/// Sends every line of the patients file in the partition (and every line whose id cannot be
/// read) to the workers, numbered.
fn read_jobs(input: impl BufRead, partition: Option<Partition>, jobs: SyncSender<Job>) -> anyhow::Result<()> {
    let mut order = 0;
    for (n, line) in input.lines().enumerate() {
        let text = line.with_context(|| format!("reading line {} of the patients file", n + 1))?;
        if text.trim().is_empty() {
            continue;
        }
        let mine = match (partition, line_id(&text)) {
            (Some(partition), Some(id)) => partition.contains(&id),
            _ => true,
        };
        if mine {
            if jobs.send(Job { order, line: n + 1, text }).is_err() {
                break;
            }
            order += 1;
        }
    }
    Ok(())
}

/// Writes each result as soon as every earlier one is written; problems go to stderr.
fn write_in_order(results: Receiver<Done>, output: &mut impl Write, path: &Path) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for done in results {
        waiting.insert(done.order, done);
        while let Some(done) = waiting.remove(&next) {
            next += 1;
            let location = format!("{}:{}", path.display(), done.line);
            for rejected in &done.rejected {
                eprintln!("{location}: {rejected}");
            }
            match done.result {
                Ok(line) => {
                    writeln!(output, "{line}").context("writing the output")?;
                    summary.screened += 1;
                }
                Err(reason) => {
                    eprintln!("{location}: {reason}");
                    summary.failed += 1;
                }
            }
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_split_ids_into_disjoint_parts_that_cover_them_all() {
        let ids: Vec<String> = (0..1000).map(|i| format!("patient-{i}")).collect();
        let parts: Vec<Partition> = (1..=3).map(|k| Partition::parse(&format!("{k}/3")).unwrap()).collect();
        let mut sizes = [0; 3];
        for id in &ids {
            let owners: Vec<usize> = (0..3).filter(|&k| parts[k].contains(id)).collect();
            assert_eq!(owners.len(), 1, "{id} belongs to {owners:?}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 250), "{sizes:?}");
        // Fixed hash: the published FNV-1a test vector, so a file splits the same way everywhere.
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn a_bad_partition_is_refused_with_the_expected_form() {
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(Partition::parse(bad).unwrap_err().contains("K/N"), "{bad}");
        }
        assert_eq!(Partition::parse("2/2"), Ok(Partition { part: 2, of: 2 }));
    }
}
