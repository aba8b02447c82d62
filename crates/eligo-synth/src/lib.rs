//! Deterministic generator of a realistic demo corpus of clinical trials.
//!
//! Each study is a ClinicalTrials.gov **API v2 study object**
//! (`{"protocolSection": {...}, "derivedSection": {...}, "hasResults": false}`)
//! as a [`serde_json::Value`], so the demo and the benchmarks go through the
//! same ingest path as real registry data.
//!
//! ```
//! let first: Vec<serde_json::Value> = eligo_synth::studies(42, 3).collect();
//! let id = first[0]["protocolSection"]["identificationModule"]["nctId"].as_str().unwrap();
//! assert_eq!(id, "NCT90000000");
//!
//! // Random access: study 2 is the same whether generated alone or in sequence.
//! let mut generator = eligo_synth::Generator::new(42);
//! assert_eq!(generator.study(2), first[2]);
//! ```
//!
//! # Determinism
//!
//! Study `index` of seed `seed` depends on nothing else: the generator keys a
//! ChaCha8 stream with the seed (`ChaCha8Rng::seed_from_u64`) and gives every
//! study its own stream number (the index). Output is identical across runs,
//! platforms and call orders, and "today" is the fixed date [`AS_OF`] rather
//! than the clock. Changing the tables or the code of this crate changes the
//! corpus, of course.
//!
//! # What the records look like
//!
//! - NCT IDs are `NCT9` + the index on 7 digits (`NCT90000042`): valid in
//!   shape, never a real registration (real IDs have not reached `NCT09…`).
//! - 50 condition areas (lupus, Sjögren's, systemic sclerosis,
//!   IgG4-RD, RA, diabetes, cancers, asthma, COPD, heart failure, dementia,
//!   depression, HIV, hepatitis C, ...), each with conditions and
//!   abbreviations, MeSH descriptors, real drugs with brand names, disease
//!   scores, typical labs and outcomes. Criteria are composed from the
//!   area's templates so that they relate to the study's condition and drug.
//! - Eligibility text comes in the registry's five real layouts: modern `*`
//!   bullets, the legacy 8-space indented / hard-wrapped layout (including
//!   the old NCI "DISEASE CHARACTERISTICS:" sections), numbered items with
//!   `a)` sub-items, heading variants ("Key Inclusion Criteria", "INCLUSION
//!   CRITERIA:", "Exclusion criteria include:") and run-on prose.
//! - Statuses, dates, enrollment type, location status and contacts are
//!   consistent with one another as of [`AS_OF`]; `stdAges` follows from the
//!   age limits; locations are real cities with their true coordinates.
//! - Sponsors, facilities and people are invented; phones are `555-01xx`,
//!   e-mails `@example.org`. `hasResults` is always false (no
//!   `resultsSection` is generated).

mod criteria;
mod data;
mod study;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

/// The date the corpus is "as of": statuses and ACTUAL/ESTIMATED dates are
/// consistent relative to it.
pub const AS_OF: &str = "2025-06-15";

/// Studies per seed: NCT IDs are `NCT9` + 7 digits of the index.
pub const MAX_STUDIES: u64 = 10_000_000;

/// A deterministic source of synthetic API v2 study objects.
///
/// As an [`Iterator`] it yields studies 0, 1, 2, ... up to
/// [`MAX_STUDIES`]; [`Generator::study`] gives random access. Holds reusable
/// buffers, so one generator per thread is the efficient way to use it.
pub struct Generator {
    seed: u64,
    base: ChaCha8Rng,
    next: u64,
    crit: criteria::CritBuf,
}

impl Generator {
    /// A generator for corpus `seed`.
    pub fn new(seed: u64) -> Self {
        Generator { seed, base: ChaCha8Rng::seed_from_u64(seed), next: 0, crit: criteria::CritBuf::default() }
    }

    /// The corpus seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The NCT ID of study `index`: `NCT9` followed by the index on 7 digits.
    ///
    /// # Panics
    /// If `index >= MAX_STUDIES`.
    pub fn nct_id(index: u64) -> String {
        assert!(index < MAX_STUDIES, "eligo-synth: study index {index} out of range (max {MAX_STUDIES})");
        format!("NCT9{index:07}")
    }

    /// Study `index` of this corpus. The same `(seed, index)` always gives
    /// the same study, whatever was generated before.
    ///
    /// # Panics
    /// If `index >= MAX_STUDIES`.
    pub fn study(&mut self, index: u64) -> Value {
        assert!(index < MAX_STUDIES, "eligo-synth: study index {index} out of range (max {MAX_STUDIES})");
        let mut rng = self.base.clone();
        rng.set_stream(index);
        rng.set_word_pos(0);
        study::build(index, &mut rng, &mut self.crit)
    }
}

impl Iterator for Generator {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        if self.next >= MAX_STUDIES {
            return None;
        }
        let index = self.next;
        self.next += 1;
        Some(self.study(index))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (MAX_STUDIES - self.next) as usize;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Generator {}

/// The first `count` studies of corpus `seed` (NCT90000000, NCT90000001, ...).
///
/// Yields `count.min(MAX_STUDIES)` studies.
pub fn studies(seed: u64, count: usize) -> impl Iterator<Item = Value> {
    Generator::new(seed).take(count)
}
