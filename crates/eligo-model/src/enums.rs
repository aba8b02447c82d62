//! Typed enumerations of the registry vocabulary.
//!
//! ClinicalTrials.gov adds enumeration values from time to time and the legacy
//! XML spells them differently ("Active, not recruiting" vs
//! `ACTIVE_NOT_RECRUITING`, "Phase 1/Phase 2", "Both"). Every enum here is
//! therefore *open*: [`parse`](OverallStatus::parse) never fails, unknown
//! spellings land in `Unrecognized(String)` and callers can report them with
//! [`is_known`](OverallStatus::is_known) instead of dropping the record.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Comparison key: upper-case ASCII alphanumerics only, so that
/// "Active, not recruiting", "ACTIVE_NOT_RECRUITING" and "active-not-recruiting"
/// all compare equal.
fn enum_key(raw: &str) -> String {
    raw.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $variant:ident => $api:literal, $label:literal $(, [$($alias:literal),*])? ; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $variant, )*
            /// A value this version of the model does not know; kept verbatim.
            Unrecognized(String),
        }

        impl $name {
            /// Every known variant, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// Parses any spelling (API v2, legacy XML, human label); never fails.
            pub fn parse(raw: &str) -> Self {
                let key = enum_key(raw);
                $(
                    if key == enum_key($api) || key == enum_key($label) $($(|| key == enum_key($alias))*)? {
                        return $name::$variant;
                    }
                )*
                $name::Unrecognized(raw.trim().to_string())
            }

            /// The ClinicalTrials.gov API v2 spelling (or the raw text for `Unrecognized`).
            pub fn as_api_str(&self) -> &str {
                match self {
                    $( $name::$variant => $api, )*
                    $name::Unrecognized(raw) => raw.as_str(),
                }
            }

            /// A label for people ("Active, not recruiting").
            pub fn label(&self) -> &str {
                match self {
                    $( $name::$variant => $label, )*
                    $name::Unrecognized(raw) => raw.as_str(),
                }
            }

            /// False for values that fell through to `Other`.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unrecognized(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_api_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_api_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = std::borrow::Cow::<str>::deserialize(d)?;
                Ok($name::parse(&raw))
            }
        }
    };
}

open_enum! {
    /// Overall recruitment status of a study (also used per site).
    OverallStatus {
        NotYetRecruiting => "NOT_YET_RECRUITING", "Not yet recruiting";
        Recruiting => "RECRUITING", "Recruiting", ["Active - Recruiting", "Active Recruiting"];
        EnrollingByInvitation => "ENROLLING_BY_INVITATION", "Enrolling by invitation";
        ActiveNotRecruiting => "ACTIVE_NOT_RECRUITING", "Active, not recruiting";
        Suspended => "SUSPENDED", "Suspended";
        Terminated => "TERMINATED", "Terminated";
        Completed => "COMPLETED", "Completed";
        Withdrawn => "WITHDRAWN", "Withdrawn";
        Unknown => "UNKNOWN", "Unknown status", ["Unknown"];
        Available => "AVAILABLE", "Available";
        NoLongerAvailable => "NO_LONGER_AVAILABLE", "No longer available";
        TemporarilyNotAvailable => "TEMPORARILY_NOT_AVAILABLE", "Temporarily not available";
        ApprovedForMarketing => "APPROVED_FOR_MARKETING", "Approved for marketing";
        Withheld => "WITHHELD", "Withheld";
    }
}

impl OverallStatus {
    /// Statuses under which a person can still join.
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            OverallStatus::Recruiting
                | OverallStatus::NotYetRecruiting
                | OverallStatus::EnrollingByInvitation
                | OverallStatus::Available
        )
    }
}

open_enum! {
    /// Trial phase. Legacy "Phase 1/Phase 2" is split into two phases by the parsers.
    Phase {
        NotApplicable => "NA", "Not applicable", ["N/A"];
        EarlyPhase1 => "EARLY_PHASE1", "Early phase 1", ["Phase 0"];
        Phase1 => "PHASE1", "Phase 1", ["I"];
        Phase2 => "PHASE2", "Phase 2", ["II"];
        Phase3 => "PHASE3", "Phase 3", ["III"];
        Phase4 => "PHASE4", "Phase 4", ["IV"];
    }
}

impl Phase {
    /// Splits a legacy combined phase ("Phase 1/Phase 2") into its parts.
    pub fn parse_list(raw: &str) -> Vec<Phase> {
        raw.split(['/', ',', '|']).map(str::trim).filter(|p| !p.is_empty()).map(Phase::parse).collect()
    }
}

open_enum! {
    StudyType {
        Interventional => "INTERVENTIONAL", "Interventional";
        Observational => "OBSERVATIONAL", "Observational", ["Observational [Patient Registry]"];
        ExpandedAccess => "EXPANDED_ACCESS", "Expanded access";
    }
}

open_enum! {
    Allocation {
        Randomized => "RANDOMIZED", "Randomized";
        NonRandomized => "NON_RANDOMIZED", "Non-randomized";
        NotApplicable => "NA", "Not applicable", ["N/A"];
    }
}

open_enum! {
    InterventionModel {
        SingleGroup => "SINGLE_GROUP", "Single group assignment";
        Parallel => "PARALLEL", "Parallel assignment";
        Crossover => "CROSSOVER", "Crossover assignment";
        Factorial => "FACTORIAL", "Factorial assignment";
        Sequential => "SEQUENTIAL", "Sequential assignment";
    }
}

open_enum! {
    Masking {
        None => "NONE", "None (open label)", ["None", "Open label", "None (Open Label)"];
        Single => "SINGLE", "Single";
        Double => "DOUBLE", "Double";
        Triple => "TRIPLE", "Triple";
        Quadruple => "QUADRUPLE", "Quadruple";
    }
}

open_enum! {
    PrimaryPurpose {
        Treatment => "TREATMENT", "Treatment";
        Prevention => "PREVENTION", "Prevention";
        Diagnostic => "DIAGNOSTIC", "Diagnostic";
        Ect => "ECT", "Educational/counseling/training";
        SupportiveCare => "SUPPORTIVE_CARE", "Supportive care";
        Screening => "SCREENING", "Screening";
        HealthServicesResearch => "HEALTH_SERVICES_RESEARCH", "Health services research";
        BasicScience => "BASIC_SCIENCE", "Basic science";
        DeviceFeasibility => "DEVICE_FEASIBILITY", "Device feasibility";
        Other => "OTHER", "Other";
    }
}

open_enum! {
    InterventionType {
        Behavioral => "BEHAVIORAL", "Behavioral";
        Biological => "BIOLOGICAL", "Biological";
        CombinationProduct => "COMBINATION_PRODUCT", "Combination product";
        Device => "DEVICE", "Device";
        DiagnosticTest => "DIAGNOSTIC_TEST", "Diagnostic test";
        DietarySupplement => "DIETARY_SUPPLEMENT", "Dietary supplement";
        Drug => "DRUG", "Drug";
        Genetic => "GENETIC", "Genetic";
        Procedure => "PROCEDURE", "Procedure", ["Procedure/Surgery"];
        Radiation => "RADIATION", "Radiation";
        Other => "OTHER", "Other";
    }
}

open_enum! {
    /// Sex eligible for a study (`ALL` for both).
    Sex {
        All => "ALL", "All", ["Both", "All Genders", "All Sexes"];
        Female => "FEMALE", "Female", ["Women", "F"];
        Male => "MALE", "Male", ["Men", "M"];
    }
}

open_enum! {
    /// Standard age groups of the registry.
    StdAge {
        Child => "CHILD", "Child";
        Adult => "ADULT", "Adult";
        OlderAdult => "OLDER_ADULT", "Older adult";
    }
}

open_enum! {
    /// Whether a date or a count is actual or anticipated.
    Actuality {
        Actual => "ACTUAL", "Actual";
        Estimated => "ESTIMATED", "Estimated", ["Anticipated", "Expected"];
    }
}

open_enum! {
    ArmGroupType {
        Experimental => "EXPERIMENTAL", "Experimental";
        ActiveComparator => "ACTIVE_COMPARATOR", "Active comparator";
        PlaceboComparator => "PLACEBO_COMPARATOR", "Placebo comparator";
        ShamComparator => "SHAM_COMPARATOR", "Sham comparator";
        NoIntervention => "NO_INTERVENTION", "No intervention";
        Other => "OTHER", "Other";
    }
}

open_enum! {
    /// Sponsor class (`leadSponsor.class`).
    AgencyClass {
        Nih => "NIH", "NIH";
        Fed => "FED", "U.S. Fed";
        OtherGov => "OTHER_GOV", "Other government";
        Indiv => "INDIV", "Individual";
        Industry => "INDUSTRY", "Industry";
        Network => "NETWORK", "Network";
        Ambig => "AMBIG", "Ambiguous";
        Other => "OTHER", "Other";
        Unknown => "UNKNOWN", "Unknown";
    }
}

open_enum! {
    ReferenceType {
        Background => "BACKGROUND", "Background";
        Result => "RESULT", "Result", ["Results_reference"];
        Derived => "DERIVED", "Derived";
    }
}

open_enum! {
    ContactRole {
        StudyChair => "STUDY_CHAIR", "Study chair";
        StudyDirector => "STUDY_DIRECTOR", "Study director";
        PrincipalInvestigator => "PRINCIPAL_INVESTIGATOR", "Principal investigator";
        SubInvestigator => "SUB_INVESTIGATOR", "Sub-investigator";
        Contact => "CONTACT", "Contact";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_and_api_spellings_agree() {
        assert_eq!(OverallStatus::parse("Active, not recruiting"), OverallStatus::ActiveNotRecruiting);
        assert_eq!(OverallStatus::parse("ACTIVE_NOT_RECRUITING"), OverallStatus::ActiveNotRecruiting);
        assert_eq!(OverallStatus::parse("Active - Recruiting"), OverallStatus::Recruiting);
        assert_eq!(Phase::parse_list("Phase 1/Phase 2"), vec![Phase::Phase1, Phase::Phase2]);
        assert_eq!(Sex::parse("Both"), Sex::All);
        assert_eq!(Masking::parse("None (Open Label)"), Masking::None);
    }

    #[test]
    fn unknown_values_are_kept_verbatim() {
        let status = OverallStatus::parse("  PAUSED_FOR_LUNCH ");
        assert_eq!(status, OverallStatus::Unrecognized("PAUSED_FOR_LUNCH".into()));
        assert!(!status.is_known());
        let json = serde_json::to_string(&status).unwrap();
        assert_eq!(json, "\"PAUSED_FOR_LUNCH\"");
    }

    #[test]
    fn serde_round_trip_uses_api_spelling() {
        let json = serde_json::to_string(&Phase::EarlyPhase1).unwrap();
        assert_eq!(json, "\"EARLY_PHASE1\"");
        let back: Phase = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Phase::EarlyPhase1);
    }
}
