//! The MEDLINE text format (PubMed's "Save → PubMed format", `.nbib`):
//! records separated by blank lines, each line `TAG - value` with a tag of
//! up to four letters, long values continued on lines indented by six spaces.

use std::io::BufRead;

use eligo_model::{normalize_nct_id, Author, PartialDate, Publication, SourceKind};

use crate::{nct_ids_in, ItemError, PageOrigin, PublicationRecord};

/// True when a document starts like a MEDLINE record (`PMID- 123`).
pub fn sniff(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(256)]);
    text.trim_start_matches('\u{feff}').trim_start().starts_with("PMID-")
}

/// Reads every record, handing each (or its error) to `sink`. Returns the
/// number of records seen.
pub fn read(
    reader: impl BufRead,
    origin: &PageOrigin,
    sink: &mut dyn FnMut(Result<PublicationRecord, ItemError>),
) -> std::io::Result<usize> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut count = 0;
    let mut finish = |fields: &mut Vec<(String, String)>, count: &mut usize| {
        if !fields.is_empty() {
            *count += 1;
            sink(build(fields, *count, origin));
            fields.clear();
        }
    };
    for (number, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| std::io::Error::new(e.kind(), format!("line {}: {e}", number + 1)))?;
        if line.trim().is_empty() {
            finish(&mut fields, &mut count);
        } else if let Some(continued) = line.strip_prefix("      ") {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(continued.trim());
            }
        } else if let Some((tag, value)) = line.split_once('-').filter(|(tag, _)| is_tag(tag)) {
            fields.push((tag.trim().to_string(), value.trim().to_string()));
        }
    }
    finish(&mut fields, &mut count);
    if count == 0 {
        sink(Err(ItemError { location: "document".into(), reason: "no MEDLINE record (PMID- line) found".into() }));
    }
    Ok(count)
}

fn is_tag(tag: &str) -> bool {
    let name = tag.trim_end();
    tag.len() == 4 && (2..=4).contains(&name.len()) && name.chars().all(|c| c.is_ascii_uppercase())
}

fn build(fields: &[(String, String)], index: usize, origin: &PageOrigin) -> Result<PublicationRecord, ItemError> {
    let mut p = Publication::default();
    let mut electronic: Option<PartialDate> = None;
    for (tag, value) in fields {
        let value = value.clone();
        match tag.as_str() {
            "PMID" => p.pmid = Some(value),
            "TI" => p.title = value,
            "AB" => p.abstract_text = Some(value),
            "AU" => p.authors.push(Author { name: value, affiliation: None }),
            "AD" => {
                if let Some(author) = p.authors.last_mut() {
                    author.affiliation.get_or_insert(value);
                }
            }
            "JT" => p.journal = Some(value),
            "TA" => p.journal = p.journal.take().or(Some(value)),
            "VI" => p.volume = Some(value),
            "IP" => p.issue = Some(value),
            "PG" => p.pages = Some(value),
            "DP" => p.published = medline_date(&value),
            "DEP" => electronic = compact_date(&value),
            "PMC" => p.pmcid = Some(value),
            "LID" | "AID" => {
                if let Some(doi) = value.strip_suffix("[doi]") {
                    p.doi.get_or_insert(doi.trim().to_string());
                }
            }
            "MH" => p.mesh_terms.push(value.trim_start_matches('*').split('/').next().unwrap_or_default().to_string()),
            "OT" => p.keywords.push(value),
            "SI" => p.nct_ids.extend(value.split('/').filter_map(normalize_nct_id)),
            _ => {}
        }
    }
    if p.pmid.as_deref().is_none_or(|id| !id.chars().all(|c| c.is_ascii_digit())) {
        return Err(ItemError::new(index, "no PMID (or not a number)"));
    }
    if p.title.is_empty() {
        return Err(ItemError::new(index, "no TI (title)"));
    }
    p.published = electronic.or(p.published);
    for id in nct_ids_in(p.abstract_text.as_deref().unwrap_or_default()) {
        if !p.nct_ids.contains(&id) {
            p.nct_ids.push(id);
        }
    }
    p.sources = vec![origin.source_record(SourceKind::Publication, "medline")];
    Ok(PublicationRecord { location: format!("article {index}"), publication: p })
}

/// "2018 Feb", "2018 Feb 12", "2018" (the DP tag).
fn medline_date(value: &str) -> Option<PartialDate> {
    let words: Vec<&str> = value.split_whitespace().collect();
    let spelled = match words.as_slice() {
        [year] => year.to_string(),
        [year, month] => format!("{month} {year}"),
        [year, month, day, ..] => format!("{month} {day}, {year}"),
        [] => return None,
    };
    spelled.parse().ok()
}

/// "20171229" (the DEP tag).
fn compact_date(value: &str) -> Option<PartialDate> {
    let v = value.trim();
    (v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &v[..4], &v[4..6], &v[6..]))
        .and_then(|s| s.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medline_dates_parse() {
        assert_eq!(medline_date("2018 Feb").map(|d| d.to_string()).as_deref(), Some("2018-02"));
        assert_eq!(compact_date("20171229").map(|d| d.to_string()).as_deref(), Some("2017-12-29"));
        assert_eq!(compact_date("2017"), None);
    }
}
