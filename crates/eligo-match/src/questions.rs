//! Pre-screening questions: the unknown facts that would settle the most candidate trials.
//!
//! Every open criterion of a trial that is still possible carries the question that would decide
//! it. A question's weight is the number of candidate verdicts its answer can change: each
//! *possible* trial where it is open can turn ineligible on one answer, and a trial where it is the
//! *only* open question turns eligible or ineligible either way, so those count first. Ineligible
//! trials are already decided and ask nothing. Asking in this order settles a shortlist with the
//! fewest questions.

use std::collections::HashMap;

use serde::Serialize;

use crate::screen::{Screening, Verdict};

/// A question with how many candidate verdicts it bears on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankedQuestion {
    pub key: String,
    pub text: String,
    /// Possible trials where this question is open.
    pub trials: usize,
    /// Possible trials where it is the only open question (the answer decides them).
    pub decides: usize,
    /// Up to five trial ids it bears on, in the order given.
    pub examples: Vec<String>,
}

/// Ranks the open questions of `screenings` (trial id, screening), most verdicts first.
pub fn rank_questions<'a>(screenings: impl IntoIterator<Item = (&'a str, &'a Screening)>) -> Vec<RankedQuestion> {
    let mut by_key: HashMap<String, RankedQuestion> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (trial_id, screening) in screenings {
        if screening.verdict != Verdict::Possible {
            continue;
        }
        let open = screening.questions();
        let decisive = open.len() == 1;
        for question in open {
            let entry = by_key.entry(question.key.clone()).or_insert_with(|| {
                order.push(question.key.clone());
                RankedQuestion {
                    key: question.key.clone(),
                    text: question.text.clone(),
                    trials: 0,
                    decides: 0,
                    examples: Vec::new(),
                }
            });
            entry.trials += 1;
            entry.decides += usize::from(decisive);
            if entry.examples.len() < 5 {
                entry.examples.push(trial_id.to_string());
            }
        }
    }
    let mut ranked: Vec<RankedQuestion> = order.into_iter().filter_map(|k| by_key.remove(&k)).collect();
    // Stable: ties keep first-seen order, so the output is deterministic.
    ranked.sort_by(|a, b| b.decides.cmp(&a.decides).then(b.trials.cmp(&a.trials)));
    ranked
}
