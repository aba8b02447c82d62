//! Where each CTCAE grade of a laboratory adverse event begins (`data/curated/lab_grades.tsv`, from
//! CTCAE v5.0): "Serum creatinine ≤ grade 1" is a creatinine of at most 1.5 × ULN, "Platelet count ≥
//! grade 3" one below 50 × 10⁹/L.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::ConceptId;

const LAB_GRADES_TSV: &str = include_str!("../data/curated/lab_grades.tsv");

/// A value where a grade begins: a number and its unit (`uln`, `lln` or a unit as normalized by
/// [`crate::normalize_unit`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GradeLimit {
    pub value: f64,
    pub unit: String,
}

/// The grades of one test: which way they grow and where grades 1 to 4 begin.
#[derive(Debug, Clone, PartialEq)]
pub struct LabGrades {
    /// True when a higher value is a higher grade ("Creatinine increased"), false for a decrease
    /// ("Platelet count decreased").
    pub increasing: bool,
    /// Where grades 1 to 4 begin; `None` for a grade no value defines.
    pub starts: [Option<GradeLimit>; 4],
}

impl LabGrades {
    /// Where grade `grade` (1 to 4) begins, if a value defines it.
    pub fn start(&self, grade: u32) -> Option<&GradeLimit> {
        let index = usize::try_from(grade.checked_sub(1)?).ok()?;
        self.starts.get(index)?.as_ref()
    }
}

fn table() -> &'static HashMap<String, LabGrades> {
    static TABLE: OnceLock<HashMap<String, LabGrades>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let rows = LAB_GRADES_TSV.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        // The table is embedded and covered by tests; a bad row is a build-time mistake.
        rows.map(|line| parse_row(line).unwrap_or_else(|| panic!("lab_grades.tsv: malformed row {line:?}"))).collect()
    })
}

fn parse_row(line: &str) -> Option<(String, LabGrades)> {
    let cols: Vec<&str> = line.split('\t').collect();
    let [test, direction, g1, g2, g3, g4] = cols.as_slice() else { return None };
    let increasing = match *direction {
        "up" => true,
        "down" => false,
        _ => return None,
    };
    let limit = |cell: &str| -> Option<Option<GradeLimit>> {
        if cell == "-" {
            return Some(None);
        }
        let (value, unit) = cell.split_once(' ')?;
        Some(Some(GradeLimit { value: value.parse().ok()?, unit: crate::normalize_unit(unit) }))
    };
    let starts = [limit(g1)?, limit(g2)?, limit(g3)?, limit(g4)?];
    Some((test.to_string(), LabGrades { increasing, starts }))
}

/// The CTCAE grades of a laboratory test, or `None` for a test the table does not grade.
pub fn lab_grades(test: &ConceptId) -> Option<&'static LabGrades> {
    table().get(test)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_reads_and_names_a_known_test() {
        let vocab = crate::Vocabulary::embedded();
        assert!(table().len() >= 10);
        for test in table().keys() {
            assert!(vocab.concept(test).is_some(), "{test}");
        }
    }

    #[test]
    fn grades_begin_where_ctcae_puts_them() {
        let creatinine = lab_grades("ELIGO:lab.creatinine").expect("graded");
        assert!(creatinine.increasing);
        assert_eq!(creatinine.start(2), Some(&GradeLimit { value: 1.5, unit: "uln".into() }));
        let platelets = lab_grades("ELIGO:lab.platelets").expect("graded");
        assert!(!platelets.increasing);
        assert_eq!(platelets.start(3).map(|l| l.value), Some(50.0));
        assert_eq!(lab_grades("ELIGO:lab.hemoglobin").and_then(|g| g.start(4)), None);
        assert_eq!(creatinine.start(0), None);
        assert_eq!(creatinine.start(5), None);
        assert!(lab_grades("ELIGO:lab.tsh").is_none());
    }
}
