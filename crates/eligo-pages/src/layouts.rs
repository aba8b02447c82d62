//! The listing services Eligo recognises, by the labels they print.
//!
//! A layout is its label table (label → field) plus the *marker* labels
//! that identify it: labels that service prints and others do not, such as
//! the trial finder's "Clinical Study ID" or Veeva's "Funder types". A page
//! is given the layout with the most markers present (at least two);
//! otherwise the generic layout, which knows every label of every layout,
//! reads it with lower confidence.

use crate::sections::{label_key, Label};

/// What a label's value fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    LastUpdated,
    Sponsor,
    SponsorClass,
    Status,
    Phase,
    StatusAndPhase,
    Conditions,
    Treatments,
    Identifiers,
    Summary,
    /// The patient-facing Q&A paragraphs (safety, promise, requirements, uniqueness).
    PlainSummary,
    /// The service's own paraphrase of eligibility (not the registered criteria).
    PlainEligibility,
    Criteria,
    Inclusion,
    Exclusion,
    Enrollment,
    TargetEnrollment,
    StartDate,
    CompletionDate,
    EstimatedCompletionDate,
    Sex,
    Ages,
    HealthyVolunteers,
    StudyType,
    PrimaryPurpose,
    Allocation,
    InterventionModel,
    Masking,
    /// Veeva's "N participants in K patient groups" and the arms under it.
    Arms,
    ParticipantGroups,
    Sites,
    CentralContact,
    /// A label whose value Eligo does not need ("Study Design", "Details").
    Skip,
    /// Sign-up prompts, footers: everything after it is dropped.
    Boilerplate,
}

pub struct Layout {
    pub name: &'static str,
    pub markers: &'static [&'static str],
    pub labels: &'static [Label<Field>],
    /// Confidence of a value read through this layout's labels.
    pub confidence: f32,
}

use Field::*;

/// A patient-facing summary page with a plain-language Q&A (seed 000).
pub const PATIENT_SUMMARY: Layout = Layout {
    name: "patient-summary",
    markers: &["trial summary", "participant groups"],
    labels: &[
        ("trial summary", PlainSummary),
        ("eligibility criteria", PlainEligibility),
        ("inclusion criteria", Inclusion),
        ("exclusion criteria", Exclusion),
        ("participant groups", ParticipantGroups),
    ],
    confidence: 0.6,
};

/// A trial-finder listing with sponsor, IDs, ages, criteria, design, sites (seed 001).
pub const TRIAL_FINDER: Layout = Layout {
    name: "trial-finder",
    markers: &[
        "clinical study id",
        "study summary",
        "connect with a study center",
        "total participants",
        "overall status",
        "not the study for you",
    ],
    labels: &[
        ("last updated", LastUpdated),
        ("sponsor", Sponsor),
        ("overall status", Status),
        ("phase", Phase),
        ("condition", Conditions),
        ("treatment", Treatments),
        ("clinical study id", Identifiers),
        ("study summary", Summary),
        ("eligibility criteria", Criteria),
        ("study design", Skip),
        ("total participants", Enrollment),
        ("treatment group(s)", Skip),
        ("primary treatment", Skip),
        ("study start date", StartDate),
        ("estimated completion date", EstimatedCompletionDate),
        ("actual completion date", CompletionDate),
        ("connect with a study center", Sites),
        ("not the study for you", Boilerplate),
    ],
    confidence: 0.8,
};

/// A registry listing with status, end date, enrollment, sponsor, criteria (seed 003).
pub const REGISTRY_LISTING: Layout = Layout {
    name: "registry-listing",
    markers: &[
        "trial end date",
        "target enrollment",
        "participant gender",
        "accepts healthy volunteers",
        "lead sponsor",
    ],
    labels: &[
        ("overview", Title),
        ("status", Status),
        ("trial end date", CompletionDate),
        ("target enrollment", TargetEnrollment),
        ("participant gender", Sex),
        ("participant age", Ages),
        ("summary", Summary),
        ("phase", Phase),
        ("accepts healthy volunteers", HealthyVolunteers),
        ("details", Skip),
        ("lead sponsor", Sponsor),
        ("conditions", Conditions),
        ("treatments", Treatments),
        ("criteria", Criteria),
    ],
    confidence: 0.8,
};

/// A ClinicalTrials.Veeva page (seed 004).
pub const VEEVA: Layout = Layout {
    name: "veeva",
    markers: &[
        "status and phase",
        "funder types",
        "details and patient eligibility",
        "trial design",
        "central trial contact",
        "trial contacts and locations",
    ],
    labels: &[
        ("status and phase", StatusAndPhase),
        ("conditions", Conditions),
        ("treatments", Treatments),
        ("study type", StudyType),
        ("funder types", SponsorClass),
        ("identifiers", Identifiers),
        ("details and patient eligibility", Skip),
        ("about", Summary),
        ("enrollment", Enrollment),
        ("sex", Sex),
        ("ages", Ages),
        ("volunteers", HealthyVolunteers),
        ("inclusion criteria", Inclusion),
        ("exclusion criteria", Exclusion),
        ("trial design", Skip),
        ("primary purpose", PrimaryPurpose),
        ("allocation", Allocation),
        ("interventional model", InterventionModel),
        ("masking", Masking),
        ("participants in patient groups", Arms),
        ("participants in patient group", Arms),
        ("trial contacts and locations", Skip),
        ("sites", Sites),
        ("central trial contact", CentralContact),
        ("data sourced from clinicaltrials.gov", Boilerplate),
    ],
    confidence: 0.8,
};

const KNOWN: [&Layout; 4] = [&VEEVA, &TRIAL_FINDER, &REGISTRY_LISTING, &PATIENT_SUMMARY];

/// Labels common on pages of services Eligo has no layout for.
const GENERIC_EXTRA: &[Label<Field>] = &[
    ("title", Title),
    ("nct number", Identifiers),
    ("nct id", Identifiers),
    ("study id", Identifiers),
    ("recruitment status", Status),
    ("sponsor", Sponsor),
    ("eligibility", Criteria),
    ("gender", Sex),
    ("age", Ages),
    ("age range", Ages),
    ("start date", StartDate),
    ("completion date", CompletionDate),
    ("locations", Sites),
    ("contact", CentralContact),
    ("interventions", Treatments),
    ("intervention", Treatments),
    ("description", Summary),
    ("brief summary", Summary),
];

/// Every label of every layout (first spelling wins) for pages of unknown layout.
pub fn generic_labels() -> Vec<Label<Field>> {
    let mut labels: Vec<Label<Field>> = Vec::new();
    for label in KNOWN.iter().flat_map(|layout| layout.labels.iter()).chain(GENERIC_EXTRA) {
        if !labels.iter().any(|(key, _)| *key == label.0) {
            labels.push(*label);
        }
    }
    labels
}

/// Fallback layout name and confidence.
pub const GENERIC_NAME: &str = "generic";
pub const GENERIC_CONFIDENCE: f32 = 0.5;

/// The known layout whose markers the page carries, if any.
pub fn recognise(lines: &[String]) -> Option<&'static Layout> {
    let keys: Vec<String> = lines.iter().map(|line| label_key(line.split(':').next().unwrap_or(line))).collect();
    let markers_found = |layout: &Layout| layout.markers.iter().filter(|m| keys.iter().any(|k| k == *m)).count();
    KNOWN
        .iter()
        .map(|layout| (markers_found(layout), *layout))
        .filter(|(found, _)| *found >= 2)
        .max_by_key(|(found, _)| *found)
        .map(|(_, layout)| layout)
}
