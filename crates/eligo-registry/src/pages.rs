//! Listing pages and publication files through the ingest pipeline.
//!
//! `eligo-pages` reads them; this module turns what it returns into the
//! pipeline's items (a trial record, a publication, or an error naming the
//! document, the article and the reason), so pages and publications go
//! through the same parser thread, channel and writer as registry records.

use std::io::{BufRead, Read};

use eligo_ctgov::{ParsedRecord, RecordError, RecordResult};
use eligo_model::Publication;
use eligo_pages::{ItemError, PageContent, PageOrigin, PublicationRecord};

use crate::documents::{document_error, InputFormat};

/// A publication read from a document, or why it could not be.
pub type PublicationResult = Result<Publication, RecordError>;

/// What a document yields, one at a time.
#[derive(Debug)]
// Items travel in chunks exactly like the trial records they mostly are;
// boxing the common case to shrink the rare one would cost an allocation each.
#[allow(clippy::large_enum_variant)]
pub enum Item {
    Trial(RecordResult),
    Publication(PublicationResult),
}

/// Saved pages are small; anything larger is not one.
const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a saved page (HTML or text) as one trial or one publication.
pub fn read_page(reader: impl BufRead, uri: &str, source_url: Option<&str>, sink: &mut dyn FnMut(Item)) {
    let mut bytes = Vec::new();
    if let Err(error) = reader.take(MAX_PAGE_BYTES + 1).read_to_end(&mut bytes) {
        return sink(Item::Trial(Err(document_error(uri, format!("cannot read: {error}")))));
    }
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        let reason = format!("larger than {MAX_PAGE_BYTES} bytes; not a saved page");
        return sink(Item::Trial(Err(document_error(uri, reason))));
    }
    let origin = PageOrigin::new(uri).with_source_url(source_url.map(String::from));
    let item = match eligo_pages::read_page(&bytes, &origin) {
        Ok(PageContent::Trial(page)) => Item::Trial(Ok(ParsedRecord {
            location: format!("page ({} layout)", page.layout),
            warnings: page.warnings,
            trial: page.trial,
        })),
        Ok(PageContent::Publication(publication)) => Item::Publication(Ok(publication)),
        Err(error) => Item::Trial(Err(document_error(uri, error.to_string()))),
    };
    sink(item)
}

/// Reads a PubMed XML or MEDLINE text file, article by article.
pub fn read_publications(
    reader: impl BufRead,
    uri: &str,
    format: InputFormat,
    sink: &mut dyn FnMut(Item),
) -> std::io::Result<()> {
    let origin = PageOrigin::new(uri);
    let mut each = |result: Result<PublicationRecord, ItemError>| {
        sink(Item::Publication(result.map(|record| record.publication).map_err(|error| RecordError {
            uri: uri.to_string(),
            location: error.location,
            nct_id: None,
            reason: error.reason,
        })))
    };
    match format {
        InputFormat::Medline => eligo_pages::medline::read(reader, &origin, &mut each),
        _ => eligo_pages::pubmed::read(reader, &origin, &mut each),
    }
    .map(|_| ())
}
