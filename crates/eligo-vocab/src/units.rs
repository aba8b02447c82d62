//! Units of measurement: spelling normalization, canonical units and conversion.
//!
//! Eligibility criteria state thresholds in whatever units the protocol's lab used ("IgG < 4 g/L",
//! "neutrophils ≥ 1500/mm³", "creatinine > 1.5 mg/dL or > 133 µmol/L"), and patient records use theirs.
//! Comparing them needs (1) one spelling per unit, because the same unit is written a dozen ways, and
//! (2) conversion factors, some of which depend on the analyte (µmol/L → mg/dL is a molar mass).
//! The table lives in `data/curated/units.tsv` so clinicians can review it without reading Rust.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::ConceptId;

const UNITS_TSV: &str = include_str!("../data/curated/units.tsv");

struct UnitTable {
    canonical: HashMap<String, String>,
    /// (from, to, factor, test or None for any test)
    factors: Vec<(String, String, f64, Option<String>)>,
    /// test → (unit, low, high): where a result in that unit can plausibly lie.
    ranges: HashMap<String, Vec<(String, f64, f64)>>,
}

fn table() -> &'static UnitTable {
    static TABLE: OnceLock<UnitTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut canonical = HashMap::new();
        let mut factors = Vec::new();
        let mut ranges: HashMap<String, Vec<(String, f64, f64)>> = HashMap::new();
        for line in UNITS_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["canonical", test, unit] => {
                    canonical.insert(test.to_string(), normalize_unit(unit));
                }
                ["factor", from, to, factor, test] => {
                    // The table is embedded and covered by tests; a bad row is a build-time mistake.
                    let factor: f64 = factor.parse().unwrap_or_else(|_| panic!("units.tsv: bad factor in {line:?}"));
                    let test = (*test != "*").then(|| test.to_string());
                    factors.push((normalize_unit(from), normalize_unit(to), factor, test));
                }
                ["range", test, unit, low, high] => {
                    let bound =
                        |b: &str| b.parse::<f64>().unwrap_or_else(|_| panic!("units.tsv: bad range in {line:?}"));
                    ranges.entry(test.to_string()).or_default().push((normalize_unit(unit), bound(low), bound(high)));
                }
                _ => panic!("units.tsv: malformed row {line:?}"),
            }
        }
        UnitTable { canonical, factors, ranges }
    })
}

/// One spelling per unit: lower case, no spaces, `u` for micro, `^` only in powers of ten,
/// "x10^9/L", "×109/L", "10E9/L", "G/L" → `10^9/l`; "/mm³", "/mm^3", "per mm3" → `/mm3`;
/// "mL/min/1.73 m²" → `ml/min/1.73m2`; "mcg" → `ug`.
///
/// ```
/// assert_eq!(eligo_vocab::normalize_unit("×109/L"), "10^9/l");
/// assert_eq!(eligo_vocab::normalize_unit("cells/mm^3"), "cells/mm3");
/// assert_eq!(eligo_vocab::normalize_unit("mL/min/1.73 m²"), "ml/min/1.73m2");
/// ```
pub fn normalize_unit(unit: &str) -> String {
    let folded = crate::normalize::fold_with_offsets(unit.trim()).text.to_lowercase();
    let mut u: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    if u == "percent" {
        return "%".into();
    }
    u = u.replace("per", "/").replace("mcg", "ug").replace("mcmol", "umol").replace("mcl", "ul");
    u = u.replace("cu.mm", "mm3").replace("cumm", "mm3").replace("mm^3", "mm3").replace("m^2", "m2");
    u = u.replace("microliter", "ul").replace("µl", "ul").replace("hours", "h").replace("hour", "h");
    // Leading multiplication sign: "x10^9/l", "×10^9/l", "*10^9/l".
    for prefix in ["x", "×", "*"] {
        if let Some(rest) = u.strip_prefix(prefix) {
            if rest.starts_with("10") {
                u = rest.to_string();
            }
        }
    }
    // Powers of ten written without a caret (superscript lost in copy/paste) or with E.
    for (from, to) in [
        ("10e9/", "10^9/"),
        ("10e6/", "10^6/"),
        ("10e3/", "10^3/"),
        ("109/", "10^9/"),
        ("106/", "10^6/"),
        ("103/", "10^3/"),
        ("10*9/", "10^9/"),
        ("10*3/", "10^3/"),
    ] {
        if let Some(rest) = u.strip_prefix(from) {
            u = format!("{to}{rest}");
        }
    }
    match u.as_str() {
        "g/l" | "mg/dl" => {}
        "giga/l" | "gpt/l" => u = "10^9/l".into(),
        "k/ul" | "thou/ul" | "thousand/ul" => u = "10^3/ul".into(),
        "cells/ul" | "cell/ul" => u = "cells/ul".into(),
        "mm3" | "/cumm" => u = "/mm3".into(),
        "ml/min/1.73m2" | "ml/min/1.73m²" | "ml/min/1.73" => u = "ml/min/1.73m2".into(),
        "mu/l" => u = "miu/l".into(),
        "mm/hr" => u = "mm/h".into(),
        "msec" => u = "ms".into(),
        "lbs" => u = "lb".into(),
        _ => {}
    }
    u
}

/// The unit a measurement's thresholds are stored in (e.g. `mg/dl` for creatinine, `10^9/l` for
/// neutrophils), normalized as by [`normalize_unit`]. `None` for tests without a curated canonical unit.
pub fn canonical_unit(test: &ConceptId) -> Option<&'static str> {
    table().canonical.get(test).map(String::as_str)
}

/// The unit a result written without one must be in: the only unit of `test` whose plausible range
/// holds `value` ("eGFR 48" is in mL/min/1.73 m², "creatinine 1.4" in mg/dL, "creatinine 124" in
/// µmol/L). `None` where no range is listed for the test, or where the value fits several units'
/// ranges or none: guessing there would compare a number against the wrong threshold.
///
/// ```
/// assert_eq!(eligo_vocab::assumed_unit("ELIGO:lab.creatinine", 1.4), Some("mg/dl"));
/// assert_eq!(eligo_vocab::assumed_unit("ELIGO:lab.creatinine", 124.0), Some("umol/l"));
/// assert_eq!(eligo_vocab::assumed_unit("ELIGO:lab.bilirubin", 20.0), None);
/// ```
pub fn assumed_unit(test: &str, value: f64) -> Option<&'static str> {
    let mut fitting = table().ranges.get(test)?.iter().filter(|(_, low, high)| (*low..=*high).contains(&value));
    let (unit, _, _) = fitting.next()?;
    fitting.next().is_none().then_some(unit.as_str())
}

/// Converts `value` from one unit to another, or `None` when no chain of known factors links them.
///
/// Units are normalized first, so spellings do not matter. Factors that depend on the analyte
/// (µmol/L ↔ mg/dL for creatinine is 88.4, for bilirubin 17.1; mmol/L ↔ mg/dL for glucose is 18) are
/// only used when `test` names that analyte: guessing a molar mass would silently produce wrong
/// thresholds, which is worse than no answer. Conversions chain (g/L → mg/dL → …) through a
/// breadth-first search over the table, so the table only lists direct links.
///
/// ```
/// use eligo_vocab::convert;
/// assert_eq!(convert(4.0, "g/L", "mg/dL", None), Some(400.0));
/// let c = convert(1.2, "mg/dl", "µmol/L", Some("ELIGO:lab.creatinine")).unwrap();
/// assert!((c - 106.08).abs() < 0.01);
/// assert_eq!(convert(1.2, "mg/dl", "µmol/L", None), None);
/// ```
pub fn convert(value: f64, from_unit: &str, to_unit: &str, test: Option<&ConceptId>) -> Option<f64> {
    let from = normalize_unit(from_unit);
    let to = normalize_unit(to_unit);
    if from == to {
        return Some(value);
    }
    let edges: Vec<(&str, &str, f64)> = table()
        .factors
        .iter()
        .filter(|(_, _, _, t)| t.as_deref().is_none_or(|t| Some(t) == test))
        .flat_map(|(a, b, f, _)| [(a.as_str(), b.as_str(), *f), (b.as_str(), a.as_str(), 1.0 / *f)])
        .collect();
    // Breadth-first: shortest chain, so the fewest rounding steps.
    let mut best: HashMap<&str, f64> = HashMap::from([(from.as_str(), 1.0)]);
    let mut frontier = vec![from.as_str()];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for unit in frontier {
            let here = best[unit];
            for &(a, b, f) in &edges {
                if a == unit && !best.contains_key(b) {
                    best.insert(b, here * f);
                    next.push(b);
                }
            }
        }
        if let Some(f) = best.get(to.as_str()) {
            return Some(value * f);
        }
        frontier = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_normalize() {
        for (raw, want) in [
            ("ml/min", "ml/min"),
            ("mL/min/1.73 m²", "ml/min/1.73m2"),
            ("mL/min/1.73m^2", "ml/min/1.73m2"),
            ("x10^9/L", "10^9/l"),
            ("×109/L", "10^9/l"),
            ("x 10E9/L", "10^9/l"),
            ("10^3/µL", "10^3/ul"),
            ("10³/μL", "10^3/ul"),
            ("/mm3", "/mm3"),
            ("/mm³", "/mm3"),
            ("per mm3", "/mm3"),
            ("cells/mm^3", "cells/mm3"),
            ("g/dl", "g/dl"),
            ("mg/dL", "mg/dl"),
            ("umol/L", "umol/l"),
            ("µmol/L", "umol/l"),
            ("μmol/l", "umol/l"),
            ("%", "%"),
        ] {
            assert_eq!(normalize_unit(raw), want, "{raw}");
        }
    }
}
