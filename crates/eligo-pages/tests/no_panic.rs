//! The page and publication readers never panic, whatever the bytes: every
//! input ends as a record or a reasoned error.

use eligo_pages::{read_page, PageOrigin};
use proptest::prelude::*;

/// Fragments real pages are made of, so generated inputs reach deep paths.
fn page_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Status:\n".to_string()),
        Just("Phase\n4\n".to_string()),
        Just("Clinical Study ID\nNCT06410833\n  • Ages 5-18\n".to_string()),
        Just("110 participants in 2 patient groups\nArm\nExperimental group\nTreatment:\nDrug: X\n".to_string()),
        Just("Connect with a study center\nSite\nCity, ST 12345\nCountry\nRecruiting\n".to_string()),
        Just("<div><p>Inclusion criteria<li>".to_string()),
        Just("23567Research shows".to_string()),
        Just("Hepatitis Bsurface ".to_string()),
        Just("abstract\n  • text\nPubMed ID\n  • 123\n".to_string()),
        "[ -~é•©\n<>/:]{0,40}",
    ]
}

fn publication_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<PubmedArticle>".to_string()),
        Just("</PubmedArticle>".to_string()),
        Just("<MedlineCitation><PMID>1</PMID>".to_string()),
        Just("<ArticleTitle>T</ArticleTitle>".to_string()),
        Just("<ArticleDate><Year>2020</Year><Month>13</Month></ArticleDate>".to_string()),
        Just("PMID- 12\nTI  - x\nDEP - 2017é229\n\n".to_string()),
        "[ -~\n<>/&;]{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn pages_never_panic(parts in proptest::collection::vec(page_fragment(), 0..12)) {
        let _ = read_page(parts.concat().as_bytes(), &PageOrigin::new("p"));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_page(&bytes, &PageOrigin::new("p"));
        let _ = eligo_pages::pubmed::read(&bytes[..], &PageOrigin::new("p"), &mut |_| {});
        let _ = eligo_pages::medline::read(&bytes[..], &PageOrigin::new("p"), &mut |_| {});
    }

    #[test]
    fn publication_files_never_panic(parts in proptest::collection::vec(publication_fragment(), 0..12)) {
        let text = parts.concat();
        let _ = eligo_pages::pubmed::read(text.as_bytes(), &PageOrigin::new("p"), &mut |_| {});
        let _ = eligo_pages::medline::read(text.as_bytes(), &PageOrigin::new("p"), &mut |_| {});
    }
}
