//! Writes synthetic studies as JSON Lines to stdout, and the generation
//! speed to stderr.
//!
//! `cargo run --release -p eligo-synth --example synth -- [COUNT] [SEED] > studies.jsonl`
//! With `--bench` nothing is written: it only measures generation speed.

// The allocation counter must implement `GlobalAlloc`, an unsafe trait; it only forwards to the
// system allocator. The workspace denies unsafe code everywhere else.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufWriter, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts allocations, to report allocations per study.
struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bench = args.iter().any(|a| a == "--bench");
    let nums: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let count = nums.first().copied().unwrap_or(10) as usize;
    let seed = nums.get(1).copied().unwrap_or(42);

    let started = Instant::now();
    let mut bytes = 0usize;
    if bench {
        for study in eligo_synth::studies(seed, count) {
            bytes += study.as_object().map_or(0, |o| o.len());
        }
    } else {
        let mut out = BufWriter::new(std::io::stdout().lock());
        for study in eligo_synth::studies(seed, count) {
            let line = serde_json::to_string(&study)?;
            bytes += line.len() + 1;
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{count} studies in {secs:.3} s: {:.0} studies/s, {:.0} allocations/study{}",
        count as f64 / secs,
        ALLOCS.load(Ordering::Relaxed) as f64 / count as f64,
        if bench { String::new() } else { format!(", {:.1} MB of JSON", bytes as f64 / 1e6) }
    );
    if bench {
        // For scale: parsing the same studies back from JSON text into `Value`s.
        let texts: Vec<String> =
            eligo_synth::studies(seed, count.min(20_000)).map(|s| serde_json::to_string(&s).unwrap()).collect();
        let started = Instant::now();
        let mut n = 0usize;
        for t in &texts {
            let v: serde_json::Value = serde_json::from_str(t)?;
            n += v.as_object().map_or(0, |o| o.len());
        }
        let secs = started.elapsed().as_secs_f64();
        eprintln!("for scale: serde_json parses the same studies at {:.0} studies/s ({n})", texts.len() as f64 / secs);
    }
    Ok(())
}
