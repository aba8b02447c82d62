//! Trial and publication identifiers.

use serde::{Deserialize, Serialize};

/// Returns the canonical `NCT` + 8 digits form of an NCT ID written in any
/// case or with separators ("nct 0641-0833"), or `None` if it is not one.
pub fn normalize_nct_id(raw: &str) -> Option<String> {
    let compact: String = raw.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let upper = compact.to_ascii_uppercase();
    let digits = upper.strip_prefix("NCT")?;
    if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Some(format!("NCT{digits}"))
    } else {
        None
    }
}

/// What kind of registry or sponsor an identifier comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Nct,
    /// EU Clinical Trials Register, `2004-000123-45`.
    EudraCt,
    /// EU CTIS, `2023-500123-12-00`.
    Ctis,
    Isrctn,
    /// NIH grant or contract number.
    Nih,
    /// Any other registry (ChiCTR, JPRN, ...).
    Registry,
    /// The sponsor's own protocol number ("K3926").
    Sponsor,
    Other,
}

impl IdKind {
    /// Guesses the kind of an identifier from its shape alone.
    pub fn classify(id: &str) -> IdKind {
        let id = id.trim();
        let upper = id.to_ascii_uppercase();
        if normalize_nct_id(id).is_some() && upper.starts_with("NCT") {
            return IdKind::Nct;
        }
        let digit_groups: Vec<&str> = id.split('-').collect();
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digit_groups.len() == 3
            && digit_groups[0].len() == 4
            && digit_groups[1].len() == 6
            && digit_groups[2].len() == 2
            && digit_groups.iter().all(|g| all_digits(g))
        {
            return IdKind::EudraCt;
        }
        if digit_groups.len() == 4
            && digit_groups[0].len() == 4
            && digit_groups[1].len() == 6
            && digit_groups.iter().all(|g| all_digits(g))
        {
            return IdKind::Ctis;
        }
        if upper.starts_with("ISRCTN") {
            return IdKind::Isrctn;
        }
        for prefix in ["CHICTR", "JPRN", "ACTRN", "DRKS", "CTRI", "IRCT", "KCT", "UMIN", "EUCTR"] {
            if upper.starts_with(prefix) {
                return IdKind::Registry;
            }
        }
        IdKind::Sponsor
    }
}

/// A secondary identifier of a trial.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SecondaryId {
    pub id: String,
    pub kind: IdKind,
    /// Issuing domain as the registry states it ("EudraCT Number", "NIH").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

impl SecondaryId {
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into().trim().to_string();
        let kind = IdKind::classify(&id);
        SecondaryId { id, kind, domain: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nct_ids_normalize() {
        assert_eq!(normalize_nct_id("nct06410833").as_deref(), Some("NCT06410833"));
        assert_eq!(normalize_nct_id("NCT 0641-0833").as_deref(), Some("NCT06410833"));
        assert_eq!(normalize_nct_id("NCT123"), None);
        assert_eq!(normalize_nct_id("K3926"), None);
    }

    #[test]
    fn id_kinds_are_recognized() {
        assert_eq!(IdKind::classify("2004-000123-45"), IdKind::EudraCt);
        assert_eq!(IdKind::classify("2023-500123-12-00"), IdKind::Ctis);
        assert_eq!(IdKind::classify("ISRCTN12345678"), IdKind::Isrctn);
        assert_eq!(IdKind::classify("K3926"), IdKind::Sponsor);
        assert_eq!(IdKind::classify("NCT04127747"), IdKind::Nct);
    }
}
