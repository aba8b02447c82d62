//! The embedded tables: HPO terms (names, synonyms, parents, information content) and the
//! diseases annotated with them (see `scripts/build_phenotypes.py`).

use std::fmt;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Serialize, Serializer};

use crate::PhenotypeError;

const TERMS_TSV: &str = include_str!("../data/hpo_terms.tsv");
const DISEASES_TSV: &str = include_str!("../data/disease_phenotypes.tsv");

/// How often a feature without a given frequency is taken to occur in its disease: OMIM
/// annotations mostly give none, and "annotated" says the feature is typical, not that it is
/// constant; the midpoint of HPO's "frequent" (30–79 %) band.
const UNKNOWN_FREQUENCY: f64 = 0.55;

/// An HPO term id, `HP:0001945` (the number is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId(pub u32);

impl fmt::Display for TermId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HP:{:07}", self.0)
    }
}

impl Serialize for TermId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One phenotype term.
#[derive(Debug, Clone)]
pub struct Term {
    pub id: TermId,
    pub name: String,
    pub synonyms: Vec<String>,
    /// −ln of the share of annotated diseases that have this term or a descendant: how much
    /// finding it narrows the field.
    pub information_content: f64,
    /// Direct parents, as indices into [`Ontology::terms`].
    pub(crate) parents: Vec<usize>,
}

/// One annotated feature of a disease.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Feature {
    /// Index into [`Ontology::terms`].
    pub term: usize,
    /// Share of the disease's patients who have it, in (0, 1].
    pub frequency: f64,
}

/// A disease (OMIM or Orphanet) and its annotated features.
#[derive(Debug, Clone)]
pub struct Disease {
    /// `OMIM:…` or `ORPHA:…`.
    pub id: String,
    pub name: String,
    pub(crate) features: Vec<Feature>,
}

/// The ontology and its disease annotations.
pub struct Ontology {
    pub(crate) terms: Vec<Term>,
    by_id: FxHashMap<TermId, usize>,
    pub(crate) diseases: Vec<Disease>,
    /// Term index → the diseases annotated with it (indices into `diseases`, ascending): a
    /// patient's findings touch a few hundred of the ~12,700 diseases, and only those are scored.
    with_feature: FxHashMap<usize, Vec<usize>>,
    load_time: Duration,
}

impl fmt::Debug for Ontology {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ontology").field("terms", &self.terms.len()).field("diseases", &self.diseases.len()).finish()
    }
}

impl Ontology {
    /// The tables compiled into the binary, parsed on first use and shared afterwards.
    ///
    /// # Panics
    /// If the embedded tables are malformed, which the crate's tests rule out.
    pub fn embedded() -> &'static Ontology {
        static ONTOLOGY: OnceLock<Ontology> = OnceLock::new();
        ONTOLOGY.get_or_init(|| {
            Ontology::from_tsv(TERMS_TSV, DISEASES_TSV)
                .unwrap_or_else(|e| panic!("embedded phenotype tables are malformed: {e}"))
        })
    }

    /// Parses tables in the formats of `data/hpo_terms.tsv` and `data/disease_phenotypes.tsv`.
    pub fn from_tsv(terms_tsv: &str, diseases_tsv: &str) -> Result<Ontology, PhenotypeError> {
        let started = Instant::now();
        let rows = data_lines(terms_tsv).map(|(n, line)| parse_term_row(n, line)).collect::<Result<Vec<_>, _>>()?;
        let by_id: FxHashMap<TermId, usize> = rows.iter().enumerate().map(|(i, row)| (row.0.id, i)).collect();
        let mut terms = Vec::with_capacity(rows.len());
        for (term, parent_ids, n) in rows {
            let parents =
                parent_ids.iter().map(|id| index_of(&by_id, *id, "hpo_terms", n)).collect::<Result<_, _>>()?;
            terms.push(Term { parents, ..term });
        }
        let diseases = data_lines(diseases_tsv)
            .map(|(n, line)| parse_disease_row(n, line, &by_id))
            .collect::<Result<Vec<_>, _>>()?;
        let with_feature = diseases_by_feature(&diseases);
        Ok(Ontology { terms, by_id, diseases, with_feature, load_time: started.elapsed() })
    }

    /// How long parsing the tables took.
    pub fn load_time(&self) -> Duration {
        self.load_time
    }

    pub fn term(&self, id: TermId) -> Option<&Term> {
        self.by_id.get(&id).and_then(|&i| self.terms.get(i))
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    pub fn diseases(&self) -> &[Disease] {
        &self.diseases
    }

    /// The diseases annotated with the term at `index`, as indices into [`Ontology::diseases`].
    pub(crate) fn diseases_with(&self, index: usize) -> &[usize] {
        self.with_feature.get(&index).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn index(&self, id: TermId) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// The term at `index` and all its ancestors, as indices.
    pub(crate) fn ancestors_of(&self, index: usize) -> FxHashSet<usize> {
        let mut seen = FxHashSet::default();
        let mut stack = vec![index];
        while let Some(i) = stack.pop() {
            if seen.insert(i) {
                stack.extend(self.terms.get(i).map(|t| t.parents.as_slice()).unwrap_or_default());
            }
        }
        seen
    }

    /// Whether `term` is `ancestor` or one of its descendants.
    pub fn is_a(&self, term: TermId, ancestor: TermId) -> bool {
        match (self.index(term), self.index(ancestor)) {
            (Some(t), Some(a)) => self.ancestors_of(t).contains(&a),
            _ => false,
        }
    }
}

fn diseases_by_feature(diseases: &[Disease]) -> FxHashMap<usize, Vec<usize>> {
    let mut with_feature: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (d, disease) in diseases.iter().enumerate() {
        for feature in &disease.features {
            let list = with_feature.entry(feature.term).or_default();
            if list.last() != Some(&d) {
                list.push(d);
            }
        }
    }
    with_feature
}

/// The numbered lines of a table that carry data (not comments, not blank).
fn data_lines(tsv: &str) -> impl Iterator<Item = (usize, &str)> {
    tsv.lines().enumerate().map(|(n, l)| (n + 1, l)).filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
}

fn malformed(table: &'static str, line: usize, reason: impl Into<String>) -> PhenotypeError {
    PhenotypeError::Malformed { table, line, reason: reason.into() }
}

fn parse_id(text: &str, table: &'static str, line: usize) -> Result<TermId, PhenotypeError> {
    text.parse().map(TermId).map_err(|_| malformed(table, line, format!("bad term id {text:?}")))
}

fn index_of(
    by_id: &FxHashMap<TermId, usize>,
    id: TermId,
    table: &'static str,
    line: usize,
) -> Result<usize, PhenotypeError> {
    by_id.get(&id).copied().ok_or_else(|| malformed(table, line, format!("unknown term {id}")))
}

fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').filter(|s| !s.is_empty())
}

/// A term row, with its parents' ids (resolved once every row is read) and its line number.
fn parse_term_row(n: usize, line: &str) -> Result<(Term, Vec<TermId>, usize), PhenotypeError> {
    let cells: Vec<&str> = line.split('\t').collect();
    let [id, ic, name, synonyms, parents] = cells.as_slice() else {
        return Err(malformed("hpo_terms", n, "expected 5 columns"));
    };
    let information_content = ic.parse().map_err(|_| malformed("hpo_terms", n, "bad information content"))?;
    let parent_ids = split_list(parents).map(|p| parse_id(p, "hpo_terms", n)).collect::<Result<_, _>>()?;
    let term = Term {
        id: parse_id(id, "hpo_terms", n)?,
        name: name.to_string(),
        synonyms: split_list(synonyms).map(String::from).collect(),
        information_content,
        parents: Vec::new(),
    };
    Ok((term, parent_ids, n))
}

fn parse_disease_row(n: usize, line: &str, by_id: &FxHashMap<TermId, usize>) -> Result<Disease, PhenotypeError> {
    let cells: Vec<&str> = line.split('\t').collect();
    let [id, name, features] = cells.as_slice() else {
        return Err(malformed("disease_phenotypes", n, "expected 3 columns"));
    };
    let features = split_list(features)
        .map(|cell| {
            let (term, percent) = cell.split_once(':').unwrap_or((cell, ""));
            let term = index_of(by_id, parse_id(term, "disease_phenotypes", n)?, "disease_phenotypes", n)?;
            let frequency = match percent {
                "" => UNKNOWN_FREQUENCY,
                p => p
                    .parse::<f64>()
                    .ok()
                    .filter(|p| *p > 0.0 && *p <= 100.0)
                    .map(|p| p / 100.0)
                    .ok_or_else(|| malformed("disease_phenotypes", n, format!("bad frequency {p:?}")))?,
            };
            Ok(Feature { term, frequency })
        })
        .collect::<Result<_, PhenotypeError>>()?;
    Ok(Disease { id: id.to_string(), name: name.to_string(), features })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TERMS: &str = "# test\n0000001\t0.00\tRoot\t\t\n0000002\t1.00\tChild\tKid\t0000001\n";

    #[test]
    fn tables_parse_and_the_hierarchy_answers() {
        let o = Ontology::from_tsv(TERMS, "D:1\tOne\t0000002:50|0000001\n").unwrap();
        assert!(o.is_a(TermId(2), TermId(1)));
        assert!(!o.is_a(TermId(1), TermId(2)));
        let features = &o.diseases()[0].features;
        assert_eq!(features[0].frequency, 0.5);
        assert_eq!(features[1].frequency, UNKNOWN_FREQUENCY);
    }

    #[test]
    fn malformed_rows_are_errors_with_their_line() {
        let err = Ontology::from_tsv(TERMS, "D:1\tOne\t0000009\n").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
        assert!(Ontology::from_tsv("x\ty\n", "").is_err());
        assert!(Ontology::from_tsv(TERMS, "D:1\tOne\t0000002:0\n").is_err());
    }

    #[test]
    fn the_embedded_tables_load() {
        let o = Ontology::embedded();
        assert!(o.terms().len() > 15_000 && o.diseases().len() > 10_000, "{o:?}");
        let fever = o.term(TermId(1945)).unwrap();
        assert_eq!(fever.name, "Fever");
        // A more specific term says more.
        let root = o.term(TermId(118)).unwrap();
        assert!(fever.information_content > root.information_content);
        eprintln!("phenotype tables parsed in {:?}", o.load_time());
    }
}
