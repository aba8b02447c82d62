//! Deterministic generator of a realistic demo corpus of trials.
