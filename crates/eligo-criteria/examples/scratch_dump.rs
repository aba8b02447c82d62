// scratch, not committed
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let vocab = eligo_vocab::Vocabulary::embedded();
    for ann in eligo_criteria::brat::ann_files(std::path::Path::new(&dir)).unwrap() {
        let (text, _) = eligo_criteria::brat::read_document(&ann).unwrap();
        let ents: Vec<_> = eligo_criteria::parse_criteria(&text).into_iter().flat_map(|c| c.entities).collect();
        for e in ents {
            let words: Vec<&str> = e.text.split_whitespace().collect();
            let rest = if words.len() > 1 {
                vocab.lookup(&words[1..].join(" ")).first().map(|c| c.name.clone()).unwrap_or_default()
            } else {
                String::new()
            };
            println!(
                "{}\t{:?}\t{}\t{}\t{}\t{:?}\t{}\t{}",
                ann.display(),
                e.kind,
                e.start,
                e.end,
                e.text.replace('\n', " "),
                e.qualifier,
                e.concept.map(|c| c.name).unwrap_or_default(),
                rest
            );
        }
    }
}
