//! The tables: HPO terms (names, synonyms, parents, information content) and the diseases
//! annotated with them (see `scripts/build_phenotypes.py`), read from their TSV form, and written
//! to and read from a compact binary form. `build.rs` includes this file to parse the embedded
//! tables at compile time and embed them in the binary form ([`Ontology::to_bytes`]), which a
//! process reads back without parsing text ([`Ontology::from_bytes`]).

use std::fmt;
use std::time::{Duration, Instant};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Serialize, Serializer};

/// A table or pattern set that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum PhenotypeError {
    #[error("{table}.tsv line {line}: {reason}")]
    Malformed { table: &'static str, line: usize, reason: String },
}

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

    /// The tables in a compact binary form that [`Ontology::from_bytes`] reads back as they are:
    /// little-endian numbers, floats by their bits, strings with their length in bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Writer(Vec::new());
        out.len(self.terms.len());
        for term in &self.terms {
            out.u32(term.id.0);
            out.f64(term.information_content);
            out.str(&term.name);
            out.len(term.synonyms.len());
            term.synonyms.iter().for_each(|synonym| out.str(synonym));
            out.len(term.parents.len());
            term.parents.iter().for_each(|&parent| out.len(parent));
        }
        out.len(self.diseases.len());
        for disease in &self.diseases {
            out.str(&disease.id);
            out.str(&disease.name);
            out.len(disease.features.len());
            for feature in &disease.features {
                out.len(feature.term);
                out.f64(feature.frequency);
            }
        }
        out.0
    }

    /// Reads tables written by [`Ontology::to_bytes`]; none if the bytes are not such tables
    /// (cut short, a string that is not UTF-8, an index out of range, bytes left over).
    pub fn from_bytes(bytes: &[u8]) -> Option<Ontology> {
        let started = Instant::now();
        let mut input = Reader(bytes);
        let terms = input.list(Reader::term)?;
        let diseases = input.list(Reader::disease)?;
        let in_range = |index: &usize| *index < terms.len();
        let valid = input.0.is_empty()
            && terms.iter().all(|t| t.parents.iter().all(in_range))
            && diseases.iter().all(|d| d.features.iter().all(|f| in_range(&f.term)));
        if !valid {
            return None;
        }
        let by_id = terms.iter().enumerate().map(|(i, term)| (term.id, i)).collect();
        let with_feature = diseases_by_feature(&diseases);
        Some(Ontology { terms, by_id, diseases, with_feature, load_time: started.elapsed() })
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

    /// Every term's name and synonyms, with the term's index, in term order: what the finder's
    /// patterns are made of.
    pub(crate) fn names(&self) -> impl Iterator<Item = (u32, &str)> {
        self.terms.iter().enumerate().flat_map(|(index, term)| {
            std::iter::once(&term.name).chain(&term.synonyms).map(move |name| (index as u32, name.as_str()))
        })
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

/// The binary form's writer (see [`Ontology::to_bytes`]).
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, value: u32) {
        self.0.extend(value.to_le_bytes());
    }

    /// A count or an index; the tables hold far fewer than 2³² items.
    fn len(&mut self, value: usize) {
        self.u32(value as u32);
    }

    fn f64(&mut self, value: f64) {
        self.0.extend(value.to_bits().to_le_bytes());
    }

    fn str(&mut self, text: &str) {
        self.len(text.len());
        self.0.extend(text.as_bytes());
    }
}

/// The binary form's reader: each read takes its bytes off the front, none when too few are left.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }

    fn len(&mut self) -> Option<usize> {
        self.u32().map(|n| n as usize)
    }

    fn f64(&mut self) -> Option<f64> {
        self.take().map(|bytes| f64::from_bits(u64::from_le_bytes(bytes)))
    }

    /// A count, then that many items.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let count = self.len()?;
        // Every item takes at least one byte: a count beyond the bytes left is no list.
        let mut items = Vec::with_capacity(count.min(self.0.len()));
        for _ in 0..count {
            items.push(item(self)?);
        }
        Some(items)
    }

    fn str(&mut self) -> Option<String> {
        let len = self.len()?;
        let text = std::str::from_utf8(self.0.get(..len)?).ok()?;
        self.0 = self.0.get(len..)?;
        Some(text.to_string())
    }

    fn term(&mut self) -> Option<Term> {
        let id = TermId(self.u32()?);
        let information_content = self.f64()?;
        let name = self.str()?;
        let synonyms = self.list(Reader::str)?;
        let parents = self.list(Reader::len)?;
        Some(Term { id, name, synonyms, information_content, parents })
    }

    fn disease(&mut self) -> Option<Disease> {
        let id = self.str()?;
        let name = self.str()?;
        let features = (0..self.len()?)
            .map(|_| Some(Feature { term: self.len()?, frequency: self.f64()? }))
            .collect::<Option<_>>()?;
        Some(Disease { id, name, features })
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
    fn the_binary_form_reads_back_as_written_and_nothing_else_reads() {
        let o = Ontology::from_tsv(TERMS, "D:1\tOne\t0000002:50|0000001\n").unwrap();
        let bytes = o.to_bytes();
        let back = Ontology::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.term(TermId(2)).map(|t| t.synonyms.clone()), Some(vec!["Kid".to_string()]));
        assert!(back.is_a(TermId(2), TermId(1)));
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(Ontology::from_bytes(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        assert!(Ontology::from_bytes(&[bytes.as_slice(), &[0]].concat()).is_none(), "bytes left over");
    }

    #[test]
    fn the_compiled_tables_are_the_parsed_ones() {
        let parsed = Ontology::from_tsv(crate::TERMS_TSV, crate::DISEASES_TSV).unwrap();
        assert!(crate::PREBUILT_ONTOLOGY == parsed.to_bytes().as_slice(), "build.rs wrote other tables");
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
