//! A physician's label for each criterion, beside the three-valued outcome.
//!
//! The outcome says what the evidence shows (`met`, `not_met`, `unknown`); the label says what a
//! physician reading the same record would answer, in the four words clinical-trial screening
//! uses: for an inclusion `included`, `not included`, `not enough information` or `not
//! applicable`; for an exclusion `excluded`, `not excluded`, `not enough information` or `not
//! applicable`. The two differ in one place, the record's silence, and the rule for it lives
//! here and nowhere else (see `docs/criterion-labels.md`):
//!
//! * A **chart** (a note, a FHIR bundle, a profile) is read as a clinician reads one. An
//!   exclusion the record gives no hint of — a disease, event, treatment, state, abnormal result
//!   or circumstance such a record would mention if it were there — is `not excluded`; its basis
//!   says `not_documented`, distinct from an explicit negation. Physicians label a silent chart
//!   this way for results and unread circumstances too (on `trialgpt-criteria-dev`, 2 to 1 over
//!   "not enough information"; see `docs/criterion-labels.md`). Anything the record hints at
//!   without settling (the disease recorded without its stage or date, a result in another unit,
//!   a broader diagnosis) is `not enough information`. An inclusion is never assumed from
//!   silence: it is `not enough information`, and its question is asked.
//! * An **answer sheet** (only answers to pre-screening questions) is different: there silence
//!   means "not asked yet", so the label is `not enough information` and the question is asked.
//!
//! The outcome stays `unknown` either way, so the verdict never treats silence as a negative.

use eligo_model::Section;
use serde::Serialize;

use crate::evaluate::{Finding, Outcome, Support};
use crate::prepared::PreparedPatient;

/// A physician-style label for one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Included,
    NotIncluded,
    Excluded,
    NotExcluded,
    NotEnoughInformation,
    NotApplicable,
}

impl Label {
    /// The words physicians use ("not enough information").
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Included => "included",
            Label::NotIncluded => "not included",
            Label::Excluded => "excluded",
            Label::NotExcluded => "not excluded",
            Label::NotEnoughInformation => "not enough information",
            Label::NotApplicable => "not applicable",
        }
    }

    /// The label a satisfied criterion of `section` gets (an inclusion met, an exclusion not met).
    pub fn satisfied(section: Section) -> Label {
        if section == Section::Exclusion {
            Label::NotExcluded
        } else {
            Label::Included
        }
    }
}

/// Whether the record's silence about a criterion counts as its absence: the record is a chart
/// and the finding rests on nothing in it relating to the criterion. Only the evaluators decide
/// what silence is ([`Support::Silence`]); a missing age or sex never is, since a chart always
/// gives them and their absence is a gap, not a negative.
pub fn silence_is_absence(finding: &Finding, patient: &PreparedPatient) -> bool {
    finding.outcome == Outcome::Unknown && finding.support == Support::Silence && patient.is_chart()
}

/// The label of an applicable criterion from its section and outcome; `undocumented` is the
/// chart's silence about it ([`silence_is_absence`]).
pub fn label(section: Section, outcome: Outcome, undocumented: bool) -> Label {
    match (section, outcome) {
        (Section::Exclusion, Outcome::Met) => Label::Excluded,
        (Section::Exclusion, Outcome::NotMet) => Label::NotExcluded,
        (Section::Exclusion, Outcome::Unknown) if undocumented => Label::NotExcluded,
        (_, Outcome::Met) => Label::Included,
        (_, Outcome::NotMet) => Label::NotIncluded,
        (_, Outcome::Unknown) => Label::NotEnoughInformation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_about_an_exclusion_reads_as_not_excluded_only_when_undocumented() {
        assert_eq!(label(Section::Exclusion, Outcome::Unknown, true), Label::NotExcluded);
        assert_eq!(label(Section::Exclusion, Outcome::Unknown, false), Label::NotEnoughInformation);
        // An inclusion the chart is silent about is never assumed.
        assert_eq!(label(Section::Inclusion, Outcome::Unknown, true), Label::NotEnoughInformation);
        assert_eq!(label(Section::Unspecified, Outcome::NotMet, false), Label::NotIncluded);
        assert_eq!(label(Section::Exclusion, Outcome::Met, false), Label::Excluded);
        assert_eq!(Label::NotEnoughInformation.as_str(), "not enough information");
    }
}
