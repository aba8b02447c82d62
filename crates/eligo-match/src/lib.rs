//! Patient–trial matching: who is eligible for which trial, criterion by criterion, with evidence.
//!
//! The pipeline for one patient and a pool of trials:
//!
//! 1. [`PreparedPatient`] closes every patient fact's concepts under the vocabulary hierarchy once
//!    (a patient with lupus nephritis has SLE; Rituxan is rituximab, which is a B cell-depleting
//!    therapy), so evaluation is set lookups.
//! 2. [`PreparedTrial`] gathers a trial's criteria once: the registry's age and sex limits, then
//!    the criteria engine's structured criteria (parsed on the fly when the store has none).
//! 3. [`evaluate`] answers each computable criterion `met` / `not_met` / `unknown` with the patient
//!    facts it used and a one-line reason; [`screen`] combines alternatives and negation, falls back
//!    to concept mentions for criteria the engine could not structure, and gives the verdict
//!    (eligible / possible / ineligible, naming the excluding criteria).
//! 4. [`rank`] orders a pool by topical relevance (BM25 plus a concept match on the trial's
//!    conditions) combined with eligibility; [`questions`] lists the unknown facts that would
//!    settle the most verdicts, and [`answers`] merges a person's answers back into the patient.
//!
//! Candidates for a patient come from the search index ([`candidates`]: their conditions and
//! condition concepts, a note's salient words, age and sex; ids only), read through the cache.
//! Every surface runs all of this through one [`Matcher`] with its [`MatchSettings`].
//!
//! Speed: ranking a large pool screens every trial with [`PreparedPatient::verdicts_only`] (the
//! same outcomes without the prose) and explains only the trials shown ([`rank_explained`]); a
//! long-running process keeps prepared trials in a [`TrialCache`], checked against the store's
//! content hash on every use.
//!
//! Everything is deterministic and offline: the same patient, trials and evaluation date give the
//! same output, and nothing here logs or sends patient data.

pub mod answers;
pub mod applicability;
pub mod cache;
pub mod candidates;
mod childbearing;
pub mod evaluate;
mod inferred;
pub mod label;
pub mod lay;
pub mod matcher;
pub mod prepared;
pub mod questions;
pub mod rank;
pub mod relevance;
pub mod screen;
pub mod suspicion;

pub use answers::{
    answered_patient, apply_answer_map, apply_answers, open_asks, pool_asks, AnswerFormat, AnswerKind, AnswerProblem,
    AnswerValue, Answers, Ask,
};
pub use cache::{CachedTrial, TrialCache};
pub use candidates::{candidate_search, retrieve, CandidateError, CandidateSearch};
/// What must be shown with suggested diagnoses (the Human Phenotype Ontology's terms).
pub use eligo_phenotype::ATTRIBUTION as PHENOTYPE_ATTRIBUTION;
pub use evaluate::{evaluate, evaluate_in, Context, Finding, Outcome, Question, Support};
pub use label::Label;
pub use matcher::{
    MatchError, MatchOutcome, MatchSettings, MatchedTrial, Matcher, PairResult, PatientCase, SuggestedDiagnosis,
    DEFAULT_CANDIDATES,
};
pub use prepared::PreparedPatient;
pub use questions::{
    lay_question, lay_questions, next_step, rank_questions, team_checks, Group, LayQuestion, LayQuestions,
    RankedQuestion, Reply, TeamCheck,
};
pub use rank::{rank_explained, rank_pool, rank_pool_suggesting, Ranked};
pub use relevance::{patient_query, suggested_topics, trial_text, Bm25, SuggestedTopic};
pub use screen::{Basis, CriterionResult, PreparedTrial, Screening, Verdict};
