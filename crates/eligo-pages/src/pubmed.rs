//! PubMed/MEDLINE XML (`<PubmedArticleSet>`), one article at a time.
//!
//! The stream is cut at `<PubmedArticle>` … `</PubmedArticle>` boundaries
//! and each article is parsed on its own with quick-xml. A corrupt article
//! (bad nesting, a stray `&`, a missing PMID) therefore fails alone, with its
//! position and reason, and the articles after it still go in; and memory
//! holds one article, however large the file.

use std::io::BufRead;

use eligo_model::{normalize_nct_id, Author, PartialDate, Publication, SourceKind};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::{nct_ids_in, ItemError, PageOrigin, PublicationRecord};

const START: &[u8] = b"<PubmedArticle";
const END: &[u8] = b"</PubmedArticle>";

/// True when a document's first bytes are PubMed XML.
pub fn sniff(head: &[u8]) -> bool {
    let head = &head[..head.len().min(4096)];
    String::from_utf8_lossy(head).contains("<PubmedArticle")
}

/// Reads every article, handing each (or its error) to `sink`. Returns the
/// number of articles seen.
pub fn read(
    mut reader: impl BufRead,
    origin: &PageOrigin,
    sink: &mut dyn FnMut(Result<PublicationRecord, ItemError>),
) -> std::io::Result<usize> {
    let mut piece = Vec::new();
    let mut article: Option<Vec<u8>> = None;
    let mut count = 0;
    loop {
        piece.clear();
        if reader.read_until(b'>', &mut piece)? == 0 {
            break;
        }
        if let Some(at) = find_start(&piece) {
            if article.is_some() {
                sink(Err(ItemError::new(count, "malformed XML: a new <PubmedArticle> starts before this one ends")));
            }
            count += 1;
            article = Some(piece[at..].to_vec());
            continue;
        }
        if let Some(current) = &mut article {
            current.extend_from_slice(&piece);
            if current.ends_with(END) {
                sink(parse_article(current, count, origin));
                article = None;
            }
        }
    }
    if article.is_some() {
        sink(Err(ItemError::new(count, "truncated: the file ends inside this <PubmedArticle>")));
    }
    if count == 0 {
        sink(Err(ItemError { location: "document".into(), reason: "no <PubmedArticle> element found".into() }));
    }
    Ok(count)
}

/// Where `<PubmedArticle>` (not `<PubmedArticleSet>`) starts in a piece.
fn find_start(piece: &[u8]) -> Option<usize> {
    piece.windows(START.len()).enumerate().find_map(|(at, window)| {
        let next = piece.get(at + START.len());
        (window == START && next.is_some_and(|b| *b == b'>' || b.is_ascii_whitespace())).then_some(at)
    })
}

fn parse_article(bytes: &[u8], index: usize, origin: &PageOrigin) -> Result<PublicationRecord, ItemError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ItemError::new(index, &format!("not UTF-8 (byte {} of the article)", e.valid_up_to())))?;
    let mut builder = ArticleBuilder::default();
    let mut reader = Reader::from_str(text);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ItemError::new(index, &format!("malformed XML at byte {}: {e}", reader.error_position())))?;
        match event {
            Event::Start(start) => builder.open(&start),
            Event::End(_) => builder.close(),
            Event::Empty(start) => {
                builder.open(&start);
                builder.close();
            }
            Event::Text(text) => builder.text(&text.xml10_content()),
            Event::CData(data) => builder.text(&data.xml10_content()),
            Event::GeneralRef(reference) => builder.reference(&reference),
            Event::Eof => break,
            _ => {}
        }
    }
    let location = format!("article {index}");
    let publication = builder.build(origin).map_err(|reason| ItemError::new(index, reason))?;
    Ok(PublicationRecord { location, publication })
}

#[derive(Default)]
struct Element {
    name: String,
    text: String,
    /// The one attribute that matters for this element (`Label`, `EIdType`, `IdType`).
    kind: Option<String>,
}

#[derive(Default)]
struct DateParts {
    year: Option<String>,
    month: Option<String>,
    day: Option<String>,
}

impl DateParts {
    fn to_date(&self) -> Option<PartialDate> {
        let year = self.year.as_deref()?;
        let spelled = match (self.month.as_deref(), self.day.as_deref()) {
            (Some(m), Some(d)) if m.chars().all(|c| c.is_ascii_digit()) => format!("{year}-{m:0>2}-{d:0>2}"),
            (Some(m), None) if m.chars().all(|c| c.is_ascii_digit()) => format!("{year}-{m:0>2}"),
            (Some(m), Some(d)) => format!("{m} {d}, {year}"),
            (Some(m), None) => format!("{m} {year}"),
            (None, _) => year.to_string(),
        };
        spelled.parse().ok()
    }
}

#[derive(Default)]
struct ArticleBuilder {
    stack: Vec<Element>,
    publication: Publication,
    abstract_parts: Vec<String>,
    author: Author,
    last_name: Option<String>,
    initials: Option<String>,
    published: DateParts,
    electronic: DateParts,
}

impl ArticleBuilder {
    fn open(&mut self, start: &BytesStart) {
        let name = start.name().as_ref().to_string();
        let kind = start.attributes().flatten().find_map(|attr| {
            matches!(attr.key.as_ref(), "Label" | "EIdType" | "IdType").then(|| attr.value.to_string())
        });
        self.stack.push(Element { name, text: String::new(), kind });
    }

    fn text(&mut self, text: &str) {
        if let Some(top) = self.stack.last_mut() {
            top.text.push_str(text);
        }
    }

    fn reference(&mut self, reference: &quick_xml::events::BytesRef) {
        if let Ok(Some(ch)) = reference.resolve_char_ref() {
            self.text(&ch.to_string());
        } else if let Some(resolved) = quick_xml::escape::resolve_predefined_entity(reference) {
            self.text(resolved);
        }
    }

    fn parent(&self, up: usize) -> &str {
        self.stack.len().checked_sub(up + 1).and_then(|i| self.stack.get(i)).map_or("", |e| e.name.as_str())
    }

    fn close(&mut self) {
        let Some(element) = self.stack.pop() else { return };
        let text = element.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let handled = self.store(&element.name, &text, element.kind.as_deref());
        if !handled {
            // Inline markup (<i>, <sup>) belongs to the enclosing text.
            if let Some(parent) = self.stack.last_mut() {
                if !parent.text.is_empty() && !text.is_empty() {
                    parent.text.push(' ');
                }
                parent.text.push_str(&text);
            }
        }
    }

    /// Files one closed element's text; false for elements it does not know.
    fn store(&mut self, name: &str, text: &str, kind: Option<&str>) -> bool {
        let value = Some(text.to_string()).filter(|t| !t.is_empty());
        let (parent, grandparent) = (self.parent(0).to_string(), self.parent(1).to_string());
        let p = &mut self.publication;
        match (name, parent.as_str()) {
            ("PMID", "MedlineCitation") => p.pmid = p.pmid.take().or(value),
            ("ArticleTitle", _) => p.title = text.to_string(),
            ("AbstractText", _) => self.abstract_parts.push(match kind {
                Some(label) => format!("{label}: {text}"),
                None => text.to_string(),
            }),
            ("LastName", "Author") => self.last_name = value,
            ("Initials", "Author") => self.initials = value,
            ("CollectiveName", "Author") => self.author.name = text.to_string(),
            ("Affiliation", "AffiliationInfo") => self.author.affiliation = self.author.affiliation.take().or(value),
            ("Author", _) => self.finish_author(),
            ("Title", "Journal") => p.journal = value,
            ("Volume", "JournalIssue") => p.volume = value,
            ("Issue", "JournalIssue") => p.issue = value,
            ("MedlinePgn", "Pagination") => p.pages = value,
            ("Year", "PubDate") => self.published.year = value,
            ("Month", "PubDate") => self.published.month = value,
            ("Day", "PubDate") => self.published.day = value,
            ("MedlineDate", "PubDate") => self.published.year = Some(text.chars().take(4).collect()),
            ("Year", "ArticleDate") => self.electronic.year = value,
            ("Month", "ArticleDate") => self.electronic.month = value,
            ("Day", "ArticleDate") => self.electronic.day = value,
            ("ELocationID", _) if kind == Some("doi") => p.doi = p.doi.take().or(value),
            ("ArticleId", "ArticleIdList") if grandparent == "PubmedData" => match kind {
                Some("pmc") => p.pmcid = value,
                Some("doi") => p.doi = p.doi.take().or(value),
                Some("pubmed") => p.pmid = p.pmid.take().or(value),
                _ => {}
            },
            ("Keyword", "KeywordList") => p.keywords.extend(value),
            ("DescriptorName", "MeshHeading") => p.mesh_terms.extend(value),
            ("AccessionNumber", "AccessionNumberList") => p.nct_ids.extend(normalize_nct_id(text)),
            _ => return false,
        }
        true
    }

    fn finish_author(&mut self) {
        let mut author = std::mem::take(&mut self.author);
        if author.name.is_empty() {
            let parts = [self.last_name.take(), self.initials.take()];
            author.name = parts.into_iter().flatten().collect::<Vec<_>>().join(" ");
        }
        if !author.name.is_empty() {
            self.publication.authors.push(author);
        }
    }

    fn build(mut self, origin: &PageOrigin) -> Result<Publication, &'static str> {
        let mut p = self.publication;
        if p.pmid.as_deref().is_none_or(|id| !id.chars().all(|c| c.is_ascii_digit())) {
            return Err("no PMID (MedlineCitation/PMID missing or not a number)");
        }
        if p.title.trim().is_empty() {
            return Err("no ArticleTitle");
        }
        self.abstract_parts.retain(|part| !part.is_empty());
        p.abstract_text = (!self.abstract_parts.is_empty()).then(|| self.abstract_parts.join("\n"));
        p.published = self.electronic.to_date().or_else(|| self.published.to_date());
        for id in nct_ids_in(&format!("{} {}", p.title, p.abstract_text.as_deref().unwrap_or_default())) {
            if !p.nct_ids.contains(&id) {
                p.nct_ids.push(id);
            }
        }
        p.sources = vec![origin.source_record(SourceKind::Publication, "pubmed-xml")];
        Ok(p)
    }
}
