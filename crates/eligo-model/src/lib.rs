//! The canonical data model of Eligo.
//!
//! Every other crate speaks these types: sources parse *into* them, the store
//! persists them, the engines read them. The model is deliberately pure data
//! plus small, total helper functions: no I/O, no global state, so that it can
//! be used from any layer without pulling in dependencies.
//!
//! The shape follows the ClinicalTrials.gov API v2 `protocolSection` modules
//! (identification, status, sponsor, description, conditions, design,
//! arms/interventions, eligibility, contacts/locations, references) and the
//! `derivedSection` MeSH browse lists, flattened into one [`Trial`] struct.

pub mod criteria;
pub mod duration;
pub mod enums;
pub mod ids;
pub mod patient;
pub mod provenance;
pub mod publication;
pub mod trial;

pub use criteria::*;
pub use duration::{Duration, TimeUnit};
pub use enums::*;
pub use ids::{normalize_nct_id, IdKind, SecondaryId};
pub use patient::{
    Assertion, ClinicalFact, Evidence, FactKind, FactSource, Noted, Observation, Patient, PatientSex, Quantity,
    StatedAge,
};
pub use provenance::{Conflict, FieldSource, SourceKind, SourceRecord};
pub use publication::{Author, LinkReason, Publication, PublicationLink};
pub use trial::*;
