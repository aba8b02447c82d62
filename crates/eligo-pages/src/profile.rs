//! Publication-profile pages (institutional research profiles, VIVO-style):
//! a title, then labelled blocks for the abstract, date, keywords and the
//! identifiers (PubMed ID, PMCID, DOI, Scopus ID).

use eligo_model::{PartialDate, Publication, SourceKind};

use crate::sections::{self, label_key, Label, Section};
use crate::{clean, nct_ids_in, PageError, PageOrigin};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PubField {
    Abstract,
    Date,
    Keywords,
    Mesh,
    Pmid,
    Pmcid,
    Doi,
    Scopus,
    Journal,
    Volume,
    Issue,
    Pages,
    Authors,
    Skip,
}

use PubField::*;

const LABELS: &[Label<PubField>] = &[
    ("overview", Skip),
    ("research", Skip),
    ("identity", Skip),
    ("additional document info", Skip),
    ("abstract", Abstract),
    ("publication date", Date),
    ("keywords", Keywords),
    ("mesh terms", Mesh),
    ("pubmed id", Pmid),
    ("pmid", Pmid),
    ("pubmed central id", Pmcid),
    ("pmcid", Pmcid),
    ("digital object identifier (doi)", Doi),
    ("doi", Doi),
    ("scopus document identifier", Scopus),
    ("published in", Journal),
    ("journal", Journal),
    ("volume", Volume),
    ("issue", Issue),
    ("start page", Pages),
    ("pages", Pages),
    ("authors", Authors),
    ("author list", Authors),
];

/// Identifier labels only publication pages print.
const IDENTIFIER_LABELS: [&str; 6] =
    ["pubmed id", "pmid", "digital object identifier (doi)", "pubmed central id", "scopus document identifier", "doi"];

/// Document types profile pages append to the title ("… Academic Article uri icon").
const DOCUMENT_TYPES: [&str; 5] = ["academic article", "review", "letter", "editorial", "article"];

/// True when the page carries an abstract and at least one publication identifier.
pub fn looks_like_profile(raw: &[String]) -> bool {
    let keys: Vec<String> = raw.iter().map(|line| label_key(clean::strip_bullet(line))).collect();
    let identifiers = IDENTIFIER_LABELS.iter().filter(|label| keys.iter().any(|k| k == *label)).count();
    identifiers >= 1 && keys.iter().any(|k| k == "abstract")
}

pub fn read(raw: &[String], origin: &PageOrigin) -> Result<Publication, PageError> {
    let lines: Vec<String> =
        raw.iter().map(|line| clean::strip_bullet(line).to_string()).filter(|line| !line.is_empty()).collect();
    let sections = sections::split(&lines, LABELS);
    let mut publication = Publication::default();
    for section in &sections {
        match section.field {
            None => publication.title = section.body.first().map(|t| clean_title(t)).unwrap_or_default(),
            Some(field) => fill(&mut publication, field, section),
        }
    }
    if publication.title.is_empty() {
        return Err(PageError::NotAPublication("no title before the first label".into()));
    }
    if publication.key().is_none() {
        return Err(PageError::NotAPublication("no PubMed ID, DOI or PMCID".into()));
    }
    publication.nct_ids = nct_ids_in(publication.abstract_text.as_deref().unwrap_or_default());
    publication.sources = vec![origin.source_record(SourceKind::Publication, "publication-profile")];
    Ok(publication)
}

fn fill(publication: &mut Publication, field: PubField, section: &Section<PubField>) {
    let value = section.value().map(str::to_string);
    let list = || section.lines().map(str::to_string).collect::<Vec<_>>();
    match field {
        Abstract => publication.abstract_text = Some(list().join("\n")),
        Date => publication.published = value.and_then(|v| v.parse::<PartialDate>().ok()),
        Keywords => publication.keywords = clean::dedupe(list()),
        Mesh => publication.mesh_terms = clean::dedupe(list()),
        Pmid => publication.pmid = value.filter(|v| v.chars().all(|c| c.is_ascii_digit())),
        Pmcid => publication.pmcid = value.map(|v| v.to_uppercase()),
        Doi => publication.doi = value.map(|v| v.trim_start_matches("https://doi.org/").to_string()),
        Scopus => publication.scopus_id = value,
        Journal => publication.journal = value,
        Volume => publication.volume = value,
        Issue => publication.issue = value,
        Pages => publication.pages = value,
        Authors => {
            publication.authors =
                list().into_iter().map(|name| eligo_model::Author { name, affiliation: None }).collect()
        }
        Skip => {}
    }
}

/// Strips the "<document type> uri icon" profile pages append to titles
/// (only then: a title may well end in "Review").
fn clean_title(title: &str) -> String {
    let title = title.trim();
    let Some(stem) = title.strip_suffix("uri icon").map(str::trim_end) else {
        return title.to_string();
    };
    let lower = stem.to_lowercase();
    let kind = DOCUMENT_TYPES.iter().find(|kind| lower.ends_with(*kind) && lower.len() > kind.len());
    stem[..stem.len() - kind.map_or(0, |kind| kind.len())].trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_titles_lose_their_document_type() {
        assert_eq!(
            clean_title("Belimumab for X: Results of a Pilot Trial. Academic Article uri icon"),
            "Belimumab for X: Results of a Pilot Trial."
        );
        assert_eq!(clean_title("A Systematic Review"), "A Systematic Review");
        assert_eq!(clean_title("A Systematic Review Review uri icon"), "A Systematic Review");
    }
}
