//! Behaviour the criteria engine and the matcher rely on, over the embedded vocabulary.

use eligo_vocab::{convert, Category, Vocabulary};

fn vocab() -> &'static Vocabulary {
    Vocabulary::embedded()
}

fn ids(term: &str) -> Vec<String> {
    vocab().lookup(term).into_iter().map(|c| c.id.clone()).collect()
}

#[test]
fn load_time_is_reported() {
    let v = vocab();
    let build = v.warm_up();
    println!(
        "vocabulary: {} concepts, {} terms, parsed in {:?}, automaton in {:?}",
        v.len(),
        v.term_count(),
        v.load_time(),
        build
    );
    assert!(v.len() > 30_000);
}

#[test]
fn brands_resolve_to_the_drug() {
    for brand in ["Rituxan", "MabThera", "mabthera", "RTX", "rituximab"] {
        assert_eq!(ids(brand).first().map(String::as_str), Some("DRUG:rituximab"), "{brand}");
    }
    assert!(ids("Benlysta").contains(&"DRUG:belimumab".to_string()));
    assert!(ids("MMF").contains(&"DRUG:mycophenolate".to_string()));
    assert_eq!(vocab().concept("DRUG:rituximab").unwrap().category, Category::Drug);
}

#[test]
fn abbreviations_resolve() {
    assert!(ids("SLE").contains(&"ICD10CM:M32".to_string()));
    assert_eq!(vocab().concept("ICD10CM:M32").unwrap().name, "Systemic lupus erythematosus");
    assert!(ids("systemic lupus erythematosus").contains(&"ICD10CM:M32".to_string()));
    assert!(ids("pSS").contains(&"ELIGO:cond.pss".to_string()));
    assert!(ids("dcSSc").contains(&"ELIGO:cond.dcssc".to_string()));
    assert!(ids("IgG4-RD").contains(&"ELIGO:cond.igg4_rd".to_string()));
    assert!(ids("HBsAg").contains(&"ELIGO:lab.hbsag".to_string()));
    assert!(ids("Sjögren’s syndrome").contains(&"ICD10CM:M35.0".to_string()));
    assert!(ids("sjogren's syndrome").contains(&"ICD10CM:M35.0".to_string()));
    assert!(ids("no such term at all").is_empty());
}

#[test]
fn a_bracketed_abbreviation_inside_a_title_is_not_the_titles_name() {
    // "Adenosine deaminase [ADA] deficiency": ADA names the enzyme (and, in criteria, the American
    // Diabetes Association), never the deficiency; "[COPD]" at the end does name the disease.
    assert!(!ids("ADA").contains(&"ICD10CM:D81.3".to_string()), "{:?}", ids("ADA"));
    assert!(ids("COPD").iter().any(|id| id.starts_with("ICD10CM:J44")), "{:?}", ids("COPD"));
}

#[test]
fn hierarchy() {
    let v = vocab();
    assert!(v.is_a("DRUG:rituximab", "ELIGO:class.b_cell_depleting"));
    assert!(v.is_a("DRUG:rituximab", "ELIGO:class.biologic"));
    assert!(v.is_a("DRUG:ocrelizumab", "ELIGO:class.b_cell_depleting"));
    assert!(v.is_a("DRUG:belimumab", "ELIGO:class.blys_inhibitor"));
    assert!(v.is_a("DRUG:methotrexate", "ELIGO:class.dmard"));
    assert!(v.is_a("DRUG:prednisone", "ELIGO:class.corticosteroid"));
    assert!(!v.is_a("DRUG:methotrexate", "ELIGO:class.biologic"));
    assert!(!v.is_a("ELIGO:class.biologic", "DRUG:rituximab"), "is_a is directed");
    // ICD-10-CM chain M32.14 -> M32.1 -> M32, and lupus nephritis (MeSH) joins it.
    assert!(v.is_a("ICD10CM:M32.14", "ICD10CM:M32"));
    for ln in v.lookup("lupus nephritis") {
        assert!(v.is_a(&ln.id, "ICD10CM:M32"), "{} is-a SLE", ln.id);
    }
    let sle_ids = ids("SLE");
    assert!(v.lookup("lupus nephritis").iter().any(|ln| sle_ids.iter().any(|s| v.is_a(&ln.id, s))));
    // A MeSH descriptor whose name equals an ICD-10-CM title sits under it.
    assert!(v.is_a("MESH:D008180", "ICD10CM:M32"));
    let anc: Vec<&str> = v.ancestors("ICD10CM:M32.14").iter().map(|c| c.id.as_str()).collect();
    assert_eq!(anc.first(), Some(&"ICD10CM:M32.1"));
    assert!(anc.contains(&"ICD10CM:M30-M36"));
    assert!(v.ancestors("NOPE:x").is_empty());
}

#[test]
fn is_a_survives_cycles() {
    let v = Vocabulary::from_tsv(
        "X:a\tCondition\tA\tX:b\nX:b\tCondition\tB\tX:c\nX:c\tCondition\tC\tX:a\n",
        "X:a\talpha\n",
        "",
    )
    .unwrap();
    assert!(v.is_a("X:a", "X:c"));
    assert!(!v.is_a("X:a", "X:zzz"));
    assert_eq!(v.ancestors("X:a").len(), 2);
}

#[test]
fn malformed_data_is_an_error() {
    assert!(Vocabulary::from_tsv("X:a\tNotACategory\tA\t\n", "", "").is_err());
    assert!(Vocabulary::from_tsv("X:a\tCondition\n", "", "").is_err());
    assert!(Vocabulary::from_tsv("", "no tab here\n", "").is_err());
}

#[test]
fn mentions_have_char_offsets_after_non_ascii_text() {
    let text = "Critères — patients atteints de Sjögren’s syndrome traités par Rituxan (≥ 2 doses).";
    let ms = vocab().find_mentions(text);
    let chars: Vec<char> = text.chars().collect();
    let sj = ms.iter().find(|m| m.concept_ids.contains(&"ICD10CM:M35.0".to_string())).expect("Sjögren found");
    assert_eq!(sj.matched_text, "Sjögren’s syndrome");
    assert_eq!(chars[sj.start..sj.end].iter().collect::<String>(), sj.matched_text);
    let rtx = ms.iter().find(|m| m.concept_ids[0] == "DRUG:rituximab").expect("Rituxan found");
    assert_eq!(rtx.matched_text, "Rituxan");
    assert_eq!(rtx.category, Category::Drug);
    assert_eq!(chars[rtx.start..rtx.end].iter().collect::<String>(), "Rituxan");
}

#[test]
fn mentions_respect_word_boundaries() {
    let v = vocab();
    let found = |t: &str| v.find_mentions(t).into_iter().map(|m| m.matched_text).collect::<Vec<_>>();
    assert!(found("Patients from Spain").is_empty(), "{:?}", found("Patients from Spain"));
    assert_eq!(found("TBD"), Vec::<String>::new());
    assert_eq!(found("history of TB."), vec!["TB"]);
    assert_eq!(found("serum IgG4 level"), Vec::<String>::new());
    assert_eq!(found("IgG4-RD"), vec!["IgG4-RD"]);
    // Punctuation separates terms.
    assert_eq!(found("anti-TNF/IVIG"), vec!["anti-TNF", "IVIG"]);
    assert_eq!(found("(SLE)"), vec!["SLE"]);
    // Longest match wins.
    assert_eq!(found("systemic lupus erythematosus"), vec!["systemic lupus erythematosus"]);
    // A name wrapped over two lines still matches; offsets cover the original text.
    assert_eq!(found("systemic lupus\n        erythematosus"), vec!["systemic lupus\n        erythematosus"]);
}

#[test]
fn short_abbreviations_are_case_sensitive() {
    let v = vocab();
    let ids_in = |t: &str| v.find_mentions(t).into_iter().flat_map(|m| m.concept_ids).collect::<Vec<_>>();
    assert!(ids_in("QTc > 450 ms").iter().all(|id| id != "ICD10CM:G35"));
    assert!(ids_in("relapsing MS").contains(&"ICD10CM:G35".to_string()));
    assert!(ids_in("diagnosis of pSS").contains(&"ELIGO:cond.pss".to_string()));
    assert!(ids_in("HBSAG positive").contains(&"ELIGO:lab.hbsag".to_string()));
}

#[test]
fn gene_and_marker_symbols_are_read_in_any_casing() {
    let v = vocab();
    let ids_in = |t: &str| v.find_mentions(t).into_iter().flat_map(|m| m.concept_ids).collect::<Vec<_>>();
    for written in ["Her-2 positive", "Her2 amplified", "her2-negative", "HER-2 positive"] {
        assert!(ids_in(written).contains(&"ELIGO:marker.her2".to_string()), "{written}");
    }
    assert_eq!(ids_in("Brca1 carrier"), ids_in("BRCA1 carrier"));
    assert!(!ids_in("Brca1 carrier").is_empty());
    // One letter with a digit is a short code of many things: it keeps its case rule.
    assert_eq!(ids_in("c3"), Vec::<String>::new());
}

#[test]
fn mention_categories() {
    let v = vocab();
    let ms = v.find_mentions("eGFR < 30 mL/min/1.73 m², ECOG 0-1, prior B-cell depleting therapy, sodium < 130");
    let cat = |t: &str| ms.iter().find(|m| m.matched_text == t).map(|m| m.category);
    assert_eq!(cat("eGFR"), Some(Category::Measurement));
    assert_eq!(cat("ECOG"), Some(Category::Score));
    assert_eq!(cat("B-cell depleting therapy"), Some(Category::DrugClass));
    assert_eq!(cat("sodium"), Some(Category::Measurement), "the lab wins over the drug");
}

#[test]
fn unit_conversions() {
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-6 * b.abs().max(1.0));
    let crea = convert(1.2, "mg/dL", "µmol/L", Some("ELIGO:lab.creatinine")).unwrap();
    assert!((crea - 106.08).abs() < 0.01, "{crea}");
    assert!((convert(106.0, "umol/L", "mg/dl", Some("ELIGO:lab.creatinine")).unwrap() - 1.199).abs() < 0.001);
    assert!(close(convert(1.0, "mg/dl", "μmol/l", Some("ELIGO:lab.bilirubin")), 17.1));
    assert!(close(convert(5.5, "mmol/L", "mg/dL", Some("ELIGO:lab.glucose")), 99.0));
    assert_eq!(convert(1.2, "mg/dL", "µmol/L", None), None, "molar conversions need the analyte");
    assert_eq!(convert(1.0, "mmol/L", "mg/dL", Some("ELIGO:lab.creatinine")), None);
    assert!(close(convert(4.0, "g/L", "mg/dL", Some("ELIGO:lab.igg")), 400.0));
    assert!(close(convert(1.5, "x10^9/L", "/mm3", Some("ELIGO:lab.wbc")), 1500.0));
    assert!(close(convert(1.5, "×109/L", "cells/mm^3", None), 1500.0));
    assert!(close(convert(1500.0, "/µL", "10^9/L", None), 1.5));
    assert!(close(convert(150.0, "10^3/µL", "x10^9/L", None), 150.0));
    assert!(close(convert(12.0, "g/dl", "g/L", None), 120.0));
    assert!(close(convert(60.0, "ml/min", "mL/min/1.73 m²", Some("ELIGO:lab.egfr")), 60.0));
    assert!(close(convert(42.0, "%", "%", None), 42.0));
    assert_eq!(convert(1.0, "furlongs", "mg/dL", None), None);
    assert_eq!(eligo_vocab::canonical_unit("ELIGO:lab.creatinine"), Some("mg/dl"));
    assert_eq!(eligo_vocab::canonical_unit("ELIGO:lab.anc"), Some("10^9/l"));
}

#[test]
fn measurements_in_the_brief_have_concepts_and_units() {
    let v = vocab();
    for term in [
        "eGFR",
        "creatinine",
        "IgG",
        "IgA",
        "IgM",
        "WBC",
        "ANC",
        "neutrophils",
        "lymphocytes",
        "platelets",
        "hemoglobin",
        "ALT",
        "SGPT",
        "AST",
        "SGOT",
        "bilirubin",
        "albumin",
        "HbA1c",
        "INR",
        "CD19",
        "QTc",
        "LVEF",
        "blood pressure",
        "BMI",
        "weight",
        "FVC",
        "DLCO",
        "C3",
        "C4",
        "anti-dsDNA",
        "ESR",
        "CRP",
        "CK",
        "potassium",
        "sodium",
        "TSH",
        "troponin",
        "BNP",
        "NT-proBNP",
    ] {
        let c = v.lookup(term);
        let m = c.iter().find(|c| c.category == Category::Measurement).unwrap_or_else(|| panic!("{term}"));
        assert!(eligo_vocab::canonical_unit(&m.id).is_some(), "{term} has a canonical unit");
    }
    for term in [
        "ECOG",
        "Karnofsky",
        "mRSS",
        "SLEDAI",
        "SLEDAI-2K",
        "BILAG",
        "ESSDAI",
        "ESSPRI",
        "DAS28",
        "HAQ-DI",
        "CDAI",
        "PASI",
        "EDSS",
        "NYHA class",
        "Child-Pugh",
        "MMSE",
        "MoCA",
        "PHQ-9",
        "HAM-D",
    ] {
        assert!(v.lookup(term).iter().any(|c| c.category == Category::Score), "{term}");
    }
}

#[test]
fn real_criteria_corpus() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/criteria-corpus/trials.jsonl");
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("criteria corpus absent; skipping real_criteria_corpus");
        return;
    };
    let v = vocab();
    let (mut docs, mut with_mentions, mut total) = (0usize, 0usize, 0usize);
    for line in text.lines().take(400) {
        let Ok(json) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let Some(criteria) =
            json.pointer("/protocolSection/eligibilityModule/eligibilityCriteria").and_then(|c| c.as_str())
        else {
            continue;
        };
        docs += 1;
        let ms = v.find_mentions(criteria);
        let n = criteria.chars().count();
        for m in &ms {
            assert!(m.start < m.end && m.end <= n);
            assert_eq!(criteria.chars().skip(m.start).take(m.end - m.start).collect::<String>(), m.matched_text);
        }
        with_mentions += usize::from(!ms.is_empty());
        total += ms.len();
    }
    println!("criteria corpus: {docs} texts, {with_mentions} with mentions, {total} mentions");
    assert!(docs >= 300, "corpus has criteria");
    assert!(with_mentions * 10 >= docs * 9, "mentions in most texts: {with_mentions}/{docs}");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn find_mentions_offsets_are_valid(text in "(\\PC|[ \\n\\-/()]|SLE|Sjögren|lupus nephritis|IgG|ß|é){0,40}") {
            let ms = vocab().find_mentions(&text);
            let chars: Vec<char> = text.chars().collect();
            let mut last_end = 0;
            for m in ms {
                prop_assert!(m.start < m.end && m.end <= chars.len());
                prop_assert!(m.start >= last_end, "mentions do not overlap and are in order");
                prop_assert_eq!(chars[m.start..m.end].iter().collect::<String>(), m.matched_text);
                prop_assert!(!m.concept_ids.is_empty());
                last_end = m.end;
            }
        }
    }
}

#[test]
fn an_eponym_in_brackets_names_its_disease() {
    // ICD-10-CM: "Mucocutaneous lymph node syndrome [Kawasaki]", "Neuromyelitis optica [Devic]".
    assert!(ids("Kawasaki disease").contains(&"ICD10CM:M30.3".to_string()), "{:?}", ids("Kawasaki disease"));
    assert!(ids("Devic's disease").contains(&"ICD10CM:G36.0".to_string()), "{:?}", ids("Devic's disease"));
    assert!(ids("Churg-Strauss syndrome").contains(&"ICD10CM:M30.1".to_string()));
}

fn mentioned(text: &str) -> Vec<String> {
    vocab().find_mentions(text).into_iter().map(|m| m.matched_text).collect()
}

#[test]
fn plurals_of_terms_are_mentions() {
    // A person writes of their conditions in the plural as often as in the singular.
    assert_eq!(mentioned("I have had migraines for 10 years"), ["migraines"]);
    assert_eq!(mentioned("two strokes and several heart attacks"), ["strokes", "heart attacks"]);
    assert!(!ids("neuropathy").is_empty());
    assert_eq!(
        mentioned("peripheral neuropathies"),
        mentioned("peripheral neuropathy").iter().map(|m| m.replace("neuropathy", "neuropathies")).collect::<Vec<_>>()
    );
    let stroke = ids("stroke");
    let found = vocab().find_mentions("recurrent strokes");
    assert_eq!(found.len(), 1);
    assert!(found[0].concept_ids.iter().any(|id| stroke.contains(id)), "{found:?}");
}

#[test]
fn plurals_are_not_read_into_abbreviations_or_other_words() {
    // "MS" is multiple sclerosis only as written; "MSs" and "mss" are not mentions of it, and a
    // plural never reaches into the next word ("strokesmith").
    assert!(!mentioned("the MSs were kept").iter().any(|m| m.eq_ignore_ascii_case("mss")));
    assert!(mentioned("strokesmith").is_empty());
}

#[test]
fn a_shorter_term_is_found_when_the_longer_one_runs_into_a_word() {
    // "heart failure" is a term; in "heart failures" the plural is read, and in "heart failurex"
    // (a typo running into a word) "heart" alone is not a condition, so nothing is invented.
    assert_eq!(
        mentioned("chronic heart failures"),
        mentioned("chronic heart failure").iter().map(|m| format!("{m}s")).collect::<Vec<_>>()
    );
}

#[test]
fn birth_weight_is_its_own_measurement_not_todays_weight() {
    let mentions = vocab().find_mentions("Birth weight < 1.5 kg; current weight over 10 kg");
    let found: Vec<&str> = mentions.iter().flat_map(|m| m.concept_ids.iter().map(String::as_str)).collect();
    assert_eq!(found, vec!["ELIGO:vital.birth_weight", "ELIGO:vital.weight"]);
}

#[test]
fn the_compiled_transducer_finds_what_a_freshly_built_one_finds() {
    // `embedded()` walks the transducer build.rs made; a vocabulary built from the same files at run
    // time builds its own. Both must find the same mentions.
    let text = "Rituxan for lupus nephritis, HbA1c > 7 %, Kawasaki disease, allergies, eGFR < 30, ALS";
    let fresh = Vocabulary::from_tsv(
        include_str!("../data/generated/concepts.tsv"),
        include_str!("../data/generated/terms.tsv"),
        include_str!("../data/curated/concepts.tsv"),
    )
    .unwrap();
    let ids = |v: &Vocabulary| -> Vec<Vec<String>> {
        v.find_mentions(text).into_iter().map(|m| m.concept_ids.into_iter().collect()).collect()
    };
    let embedded = ids(vocab());
    assert!(embedded.len() >= 6, "{embedded:?}");
    assert_eq!(embedded, ids(&fresh));
}

#[test]
fn enzyme_action_classes_have_the_names_protocols_use() {
    assert!(ids("CYP3A4 inducers").contains(&"MESH:D065701".to_string()), "{:?}", ids("CYP3A4 inducers"));
    assert!(ids("CYP3A inhibitor").contains(&"MESH:D065692".to_string()));
    assert!(ids("CYP2D6 inhibitors").contains(&"MESH:D065690".to_string()));
    let found = vocab().find_mentions("Concomitant use of strong CYP3A4 inhibitors within 14 days");
    assert!(found.iter().any(|m| m.concept_ids.contains(&"MESH:D065692".to_string())), "{found:?}");
}

#[test]
fn disease_abbreviations_protocols_use_name_one_disease() {
    for (abbreviation, id) in [
        ("TNBC", "ELIGO:cond.tnbc"),
        ("HNSCC", "MESH:D000077195"),
        ("SCCHN", "MESH:D000077195"),
        ("mCRPC", "MESH:D064129"),
        ("GIST", "MESH:D046152"),
        ("FSGS", "MESH:D005923"),
    ] {
        assert!(ids(abbreviation).contains(&id.to_string()), "{abbreviation}: {:?}", ids(abbreviation));
    }
    // A triple-negative breast cancer is a breast cancer.
    assert!(vocab().is_a("ELIGO:cond.tnbc", "ICD10CM:C50"));
    // Written in lower case in prose, the short ones are words, not diseases.
    assert!(vocab().find_mentions("the gist of the visit").is_empty());
}

#[test]
fn drug_classes_oncology_protocols_name_have_their_members() {
    let v = vocab();
    assert!(ids("colony-stimulating factors").contains(&"ELIGO:class.haematopoietic_growth_factor".to_string()));
    assert!(v.is_a("DRUG:pegfilgrastim", "ELIGO:class.haematopoietic_growth_factor"));
    assert!(v.is_a("DRUG:lomustine", "ELIGO:class.nitrosourea"));
    assert!(ids("PARPi").contains(&"MESH:D000067856".to_string()));
}

#[test]
fn a_suicide_attempt_and_suicidal_ideation_are_risks_of_suicide() {
    let v = vocab();
    assert!(ids("attempted suicide").contains(&"ELIGO:cond.suicide_attempt".to_string()));
    assert!(v.is_a("ELIGO:cond.suicide_attempt", "ELIGO:cond.suicide_risk"));
    assert!(v.is_a("ICD10CM:R45.851", "ELIGO:cond.suicide_risk"));
    assert!(!v.is_a("ICD10CM:R45.850", "ELIGO:cond.suicide_risk"), "homicidal ideation is not a risk of suicide");
}

/// The categories of the concepts a term names.
fn categories(term: &str) -> Vec<Category> {
    vocab().lookup(term).into_iter().map(|c| c.category).collect()
}

#[test]
fn a_disease_is_a_condition_whether_or_not_its_name_says_disease() {
    // MeSH diseases and mental disorders without a disease word in their name.
    assert!(categories("dyslexia").contains(&Category::Condition), "{:?}", ids("dyslexia"));
    assert!(categories("spinal cord compression").contains(&Category::Condition));
    assert!(categories("hot flashes").contains(&Category::Condition));
    // Viruses, vaccines and antigens named after a disease are no conditions.
    assert!(!categories("malaria vaccines").contains(&Category::Condition));
    assert!(!categories("hepatitis b surface antigens").contains(&Category::Condition));
}

#[test]
fn distinct_drug_classes_are_distinct_concepts() {
    let v = vocab();
    let named = |term: &str| {
        let found = ids(term);
        assert!(!found.is_empty(), "{term}");
        found
    };
    let apart = |a: &str, b: &str| {
        let (a, b) = (named(a), named(b));
        assert!(a.iter().all(|x| !b.contains(x)), "{a:?} {b:?}");
        assert!(a.iter().all(|x| b.iter().all(|y| !v.is_a(x, y) && !v.is_a(y, x))), "{a:?} {b:?}");
    };
    apart("angiotensin-converting enzyme inhibitors", "angiotensin ii type 1 receptor blockers");
    apart("anticonvulsants", "convulsants");
    apart("antacids", "histamine h2 antagonists");
}

#[test]
fn british_and_american_spellings_name_the_same_concepts() {
    for (british, american) in [
        ("anaemia", "anemia"),
        ("haemoptysis", "hemoptysis"),
        ("diarrhoea", "diarrhea"),
        ("oesophagitis", "esophagitis"),
        ("leukaemia", "leukemia"),
    ] {
        let found = vocab().find_mentions(&format!("history of {british}"));
        assert_eq!(found.len(), 1, "{british}: {found:?}");
        assert_eq!(found[0].matched_text, british, "offsets point into the text as written");
        let expected = ids(american);
        assert!(found[0].concept_ids.iter().any(|id| expected.contains(id)), "{british}: {found:?}");
    }
}

fn first_id(term: &str) -> Option<String> {
    ids(term).into_iter().next()
}

#[test]
fn drug_classes_are_named_by_their_mesh_entry_terms_and_short_names() {
    // MeSH entry terms carried by the drug dictionary, and the short names criteria write.
    assert_eq!(first_id("antihistamines").as_deref(), Some("MESH:D006633"));
    assert_eq!(first_id("fibrates").as_deref(), Some("MESH:D058607"));
    assert_eq!(first_id("progestogen").as_deref(), Some("MESH:D011372"));
    assert_eq!(first_id("CNS stimulants").as_deref(), Some("MESH:D000697"));
    assert_eq!(first_id("PPIs").as_deref(), Some("MESH:D054328"));
    assert_eq!(first_id("sulphonylureas").as_deref(), Some("MESH:D013453"));
    assert_eq!(first_id("inotropes").as_deref(), Some("MESH:D002316"));
    assert_eq!(first_id("blood thinners").as_deref(), Some("ELIGO:class.anticoagulant"));
    for class in ["MESH:D006633", "MESH:D013453", "MESH:D002316"] {
        assert_eq!(vocab().concept(class).map(|c| c.category), Some(Category::DrugClass), "{class}");
    }
    // An inverted MeSH form is no term.
    assert!(ids("agents, anticoagulant").is_empty());
}

#[test]
fn drugs_sit_under_their_chemical_class_and_the_class_their_inn_stem_names() {
    let v = vocab();
    // Chemical class by MeSH tree: glipizide D02.886.590.795.500 under Sulfonylurea Compounds.
    assert!(v.is_a("DRUG:glipizide", "MESH:D013453"));
    assert!(v.is_a("DRUG:dronabinol", "MESH:D002186"), "a cannabinoid");
    // Pharmacologic action by INN stem.
    assert!(v.is_a("DRUG:pantoprazole", "MESH:D054328"), "-prazole: proton pump inhibitor");
    assert!(v.is_a("DRUG:valsartan", "MESH:D057911"), "-sartan: angiotensin receptor blocker");
    assert!(v.is_a("DRUG:famotidine", "MESH:D006635"), "-tidine: H2 antagonist");
    // A longer stem that means something else wins: aripiprazole is no proton pump inhibitor,
    // azacitidine no H2 antagonist.
    assert!(!v.is_a("DRUG:aripiprazole", "MESH:D054328"));
    assert!(!v.is_a("DRUG:azacitidine", "MESH:D006635"));
    // A combination product sits under its ingredients.
    assert_eq!(first_id("Bactrim").as_deref(), Some("DRUG:trimethoprim_sulfamethoxazole"));
    assert!(v.is_a("DRUG:trimethoprim_sulfamethoxazole", "DRUG:trimethoprim"));
}

#[test]
fn organisms_that_cause_infections_are_read_as_the_infection() {
    let v = vocab();
    let is_infection = |id: &str| {
        v.is_a(id, "ELIGO:cond.infection")
            || id.starts_with("ICD10CM:B")
            || v.concept(id).is_some_and(|c| c.name.to_lowercase().contains("infection"))
    };
    for (name, id) in [
        // MeSH's "<organism> Infections" disease descriptor.
        ("cytomegalovirus", "MESH:D003586"),
        ("CMV", "MESH:D003586"),
        ("Pseudomonas", "MESH:D011552"),
        // ICD-10-CM's code for the organism as an infectious agent.
        ("Staphylococcus aureus", "ICD10CM:B95.6"),
        ("S. aureus", "ICD10CM:B95.6"),
        // Neither: the organism, under Infection.
        ("C. difficile", "MESH:D016360"),
        ("Clostridium difficile", "MESH:D016360"),
        ("Gram-positive bacteria", "MESH:D006094"),
        ("Candida", "MESH:D002175"),
    ] {
        assert_eq!(first_id(name).as_deref(), Some(id), "{name}");
        assert_eq!(v.concept(id).map(|c| c.category), Some(Category::Condition), "{name}");
        assert!(is_infection(id), "{name}");
    }
    // A name the disease owns stays the disease's: "HIV" is the infection, "hepatitis B virus"
    // starts with the disease "hepatitis B" (and MeSH lists it among that disease's entry terms).
    assert_eq!(first_id("HIV").as_deref(), Some("ELIGO:cond.hiv"));
    let hbv = ids("hepatitis B virus");
    assert!(hbv.iter().all(|id| id == "MESH:D006515"), "{hbv:?}");
    // Insects take MeSH's "pathogenicity" qualifier too, but are no infection.
    assert!(ids("bees").iter().all(|id| !v.is_a(id, "ELIGO:cond.infection")));
    // "Bacillus Calmette-Guérin" is the vaccine, not an infection with Bacillus.
    assert_eq!(first_id("Bacillus Calmette-Guérin").as_deref(), Some("DRUG:bcg_vaccine"));
}

#[test]
fn an_antibody_target_is_not_the_disease_its_abbreviation_spells() {
    let found =
        |text: &str| -> Vec<String> { vocab().find_mentions(text).into_iter().map(|m| m.matched_text).collect() };
    // "GBM" alone is glioblastoma; after "anti-" it is the glomerular basement membrane.
    assert!(found("Known GBM on imaging.").contains(&"GBM".to_string()));
    assert!(!found("History of anti-GBM disease.").contains(&"GBM".to_string()));
    assert!(!found("Positive anti-SSA antibodies.").contains(&"SSA".to_string()));
    // An antibody that is a term of its own is still found whole.
    assert!(found("Prior anti-PD-1 therapy.").contains(&"anti-PD-1 therapy".to_string()));
    assert!(found("Prior anti-PD-1 and chemotherapy.").contains(&"anti-PD-1".to_string()));
}

#[test]
fn nursing_as_a_place_of_care_is_not_breastfeeding() {
    let found =
        |text: &str| -> Vec<String> { vocab().find_mentions(text).into_iter().map(|m| m.matched_text).collect() };
    assert!(found("Women who are pregnant or nursing.").contains(&"nursing".to_string()));
    assert!(found("Nursing mothers").contains(&"Nursing".to_string()));
    for text in ["Nursing home residents", "Lives in a nursing facility.", "Bed-ridden or nursing-home resident"] {
        assert!(!found(text).iter().any(|m| m.eq_ignore_ascii_case("nursing")), "{text}: {:?}", found(text));
    }
}

#[test]
fn mesh_plural_names_are_found_in_the_singular() {
    let ids_in =
        |text: &str| -> Vec<String> { vocab().find_mentions(text).into_iter().flat_map(|m| m.concept_ids).collect() };
    // MeSH names the descriptor "Diabetic Nephropathies"; one patient has diabetic nephropathy.
    assert!(ids_in("with diabetic nephropathy").contains(&"MESH:D003928".to_string()));
    assert!(ids_in("with diabetic nephropathies").contains(&"MESH:D003928".to_string()));
}

#[test]
fn an_allograft_is_the_transplant_it_was_given_in() {
    // "Patients who have had an organ allograft": the recipient of a transplanted organ.
    assert!(ids("organ allografts").contains(&"ELIGO:proc.transplant".to_string()));
    assert!(ids("renal allograft").contains(&"ELIGO:proc.kidney_transplant".to_string()));
    assert!(vocab().is_a("ELIGO:proc.kidney_transplant", "ELIGO:proc.transplant"));
}

/// Two vocabularies that share words but not terms: each thread remembers the walk through a word,
/// and what one vocabulary remembered must never serve the other, nor a word read again, nor a word
/// whose walk goes on past it ("kidney" alone and in "kidney stone disease", "allergies").
#[test]
fn remembered_word_walks_keep_to_their_vocabulary() {
    let first = Vocabulary::from_tsv(
        "X:k\tCondition\tKidney stone disease\t\nX:a\tCondition\tAllergy\t\n",
        "X:k\tkidney stone disease\nX:a\tallergy\n",
        "",
    )
    .unwrap();
    let second = Vocabulary::from_tsv("Y:k\tProcedure\tKidney\t\n", "Y:k\tkidney\n", "").unwrap();
    let found = |v: &Vocabulary, text: &str| -> Vec<(usize, usize, Vec<String>)> {
        v.find_mentions(text).into_iter().map(|m| (m.start, m.end, m.concept_ids)).collect()
    };
    let text = "Kidney stone disease; kidney stones; allergies to kidney";
    for _ in 0..2 {
        assert_eq!(
            found(&first, text),
            [(0, 20, vec!["X:k".to_string()]), (37, 46, vec!["X:a".to_string()])],
            "the first vocabulary, read twice"
        );
        assert_eq!(
            found(&second, text),
            [(0, 6, vec!["Y:k".to_string()]), (22, 28, vec!["Y:k".to_string()]), (50, 56, vec!["Y:k".to_string()])],
            "the second vocabulary, after the first on the same thread"
        );
    }
}

#[test]
fn metastases_are_named_by_their_site() {
    let v = vocab();
    for (term, id) in [
        ("brain metastases", "ICD10CM:C79.31"),
        ("liver mets", "ICD10CM:C78.7"),
        ("osseous metastases", "ICD10CM:C79.51"),
        ("pulmonary metastasis", "ICD10CM:C78.0"),
    ] {
        assert!(ids(term).contains(&id.to_string()), "{term}: {:?}", ids(term));
    }
    // "CNS metastases" covers the brain's and the spinal cord's, and a brain metastasis is a
    // secondary malignancy, not the primary it came from.
    let cns = ids("CNS metastases");
    assert!(cns.iter().any(|c| v.is_a("ICD10CM:C79.31", c) && v.is_a("ICD10CM:C79.49", c)), "{cns:?}");
    assert!(!v.is_a("ICD10CM:C79.31", "ICD10CM:C71"));
}

#[test]
fn organ_system_groups_hold_the_diseases_of_their_system() {
    let v = vocab();
    let group = |term: &str| {
        // The group is the term's first concept, as curated rows come first ("autoimmune disease"
        // also names the ICD-10-CM code of unspecified connective tissue involvement).
        let found = ids(term);
        assert!(found.first().is_some_and(|id| id.starts_with("MESH:")), "{term}: {found:?}");
        found[0].clone()
    };
    let member_of = |disease: &str, term: &str| {
        let g = group(term);
        ids(disease).iter().any(|d| v.is_a(d, &g))
    };
    for (disease, term) in [
        ("myocardial infarction", "cardiovascular disease"),
        ("atrial fibrillation", "cardiac disease"),
        ("ischemic stroke", "cerebrovascular disease"),
        ("chronic hepatitis C", "liver disease"),
        ("liver cirrhosis", "hepatic disease"),
        ("nephrotic syndrome", "kidney disease"),
        ("chronic kidney disease", "renal failure"),
        ("schizophrenia", "psychiatric illness"),
        ("bipolar disorder", "psychiatric disorder"),
        ("multiple sclerosis", "neurological disorder"),
        ("COPD", "pulmonary disease"),
        ("hypothyroidism", "thyroid disease"),
        ("hemophilia", "bleeding disorder"),
        ("systemic lupus erythematosus", "autoimmune disease"),
        ("Crohn's disease", "gastrointestinal disorder"),
        ("glaucoma", "eye disease"),
    ] {
        assert!(member_of(disease, term), "{disease} should be a kind of {term}");
    }
    // What a criterion means by the group word, not every disease its chapter holds.
    for (disease, term) in [
        ("hypertension", "cardiovascular disease"),
        ("deep vein thrombosis", "cardiovascular disease"),
        ("alcohol use disorder", "psychiatric illness"),
        ("factor V Leiden thrombophilia", "bleeding disorder"),
        ("type 2 diabetes mellitus", "autoimmune disease"),
    ] {
        assert!(!member_of(disease, term), "{disease} is not what {term} means");
    }
}

#[test]
fn c_peptide_is_a_lab_in_ng_per_ml_and_nmol_per_l() {
    assert_eq!(ids("fasting C-peptide").first().map(String::as_str), Some("ELIGO:lab.c_peptide"));
    let nmol = eligo_vocab::convert(1.0, "ng/mL", "nmol/L", Some("ELIGO:lab.c_peptide")).unwrap_or_default();
    assert!((nmol - 0.331).abs() < 1e-9, "{nmol}");
}

#[test]
fn coughing_up_blood_is_hemoptysis_not_a_cough() {
    for text in ["Patients who cough up frank blood", "coughing up blood since Monday"] {
        let found: Vec<String> = vocab().find_mentions(text).into_iter().flat_map(|m| m.concept_ids).collect();
        assert!(found.iter().any(|id| id == "ICD10CM:R04.2"), "{text}: {found:?}");
        assert!(!found.iter().any(|id| id == "ICD10CM:R05"), "{text}: {found:?}");
    }
}

#[test]
fn anti_infectives_and_cytotoxics_belong_to_the_classes_criteria_name() {
    let v = vocab();
    for (drug, class) in [
        ("DRUG:ceftriaxone", "ELIGO:class.antibiotic"),
        ("DRUG:amoxicillin", "ELIGO:class.antibiotic"),
        ("DRUG:tenofovir", "ELIGO:class.antiviral"),
        ("DRUG:fluconazole", "ELIGO:class.antifungal"),
        ("DRUG:temozolomide", "ELIGO:class.chemotherapy"),
        ("DRUG:doxorubicin", "ELIGO:class.chemotherapy"),
        ("ELIGO:regimen.r_chop", "DRUG:rituximab"),
    ] {
        assert!(v.is_a(drug, class), "{drug} is a {class}");
    }
    assert!(!v.is_a("DRUG:tacrolimus", "ELIGO:class.antibiotic"));
    assert!(!v.is_a("DRUG:methotrexate", "ELIGO:class.chemotherapy"));
}

#[test]
fn diabetes_types_written_without_a_space() {
    assert!(
        ids("type1 diabetes mellitus").contains(&"ICD10CM:E10".to_string()),
        "{:?}",
        ids("type1 diabetes mellitus")
    );
    assert!(ids("type2 diabetes").contains(&"ICD10CM:E11".to_string()), "{:?}", ids("type2 diabetes"));
}

#[test]
fn a_mesh_disease_is_a_kind_of_the_disease_above_it_in_the_mesh_tree() {
    let v = vocab();
    let kind_of = |specific: &str, general: &str| {
        let general = ids(general);
        ids(specific).iter().any(|s| general.iter().any(|g| v.is_a(s, g)))
    };
    for (specific, general) in [
        ("astrocytoma", "glioma"),
        ("oligodendroglioma", "glioma"),
        ("adenocarcinoma", "carcinoma"),
        ("osteosarcoma", "sarcoma"),
        ("Burkitt lymphoma", "lymphoma"),
    ] {
        assert!(kind_of(specific, general), "{specific} should be a kind of {general}");
    }
    // Signs and manifestations are not kinds of the system's diseases; cysts are no neoplasms.
    for (specific, general) in [("headache", "neurological disorder"), ("ovarian cyst", "neoplasm")] {
        assert!(!kind_of(specific, general), "{specific} is not a kind of {general}");
    }
}

#[test]
fn a_mesh_disease_is_found_by_the_entry_terms_nlm_lists_for_it() {
    let v = vocab();
    for (entry, name) in [
        ("a history of manic-depressive psychosis", "bipolar disorder"),
        ("disseminated sclerosis since 2009", "multiple sclerosis"),
        ("grade II astroglioma", "astrocytoma"),
    ] {
        let found: Vec<String> = v
            .find_mentions(entry)
            .into_iter()
            .flat_map(|m| m.concept_ids)
            .filter_map(|id| v.concept(&id).map(|c| c.name.to_lowercase()))
            .collect();
        assert!(found.iter().any(|n| n == name), "{entry}: {found:?}");
    }
    // Abbreviations are left out: the list does not say which of its terms they are.
    assert!(ids("COAD").is_empty(), "{:?}", ids("COAD"));
}
