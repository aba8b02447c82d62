//! Scores the criteria engine against brat annotations: `cargo run --release -p eligo-criteria
//! --example eval_brat -- ../shared/data/lct`. The CLI's `eligo criteria eval-brat` does the same.
//!
//! `eval_brat DIR --errors TYPE` instead lists, one per line, the spans of a reported type
//! (`qualifier`, `condition`, ...) with what overlap matching made of each:
//! `missed|false|hit <TAB> document <TAB> start <TAB> end <TAB> span <TAB> its line <TAB> the
//! other types Eligo gave the span`, for reading the errors.

use std::path::Path;

use eligo_criteria::brat;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().cloned().unwrap_or_else(|| "../shared/data/lct".into());
    let errors_of = args.iter().position(|a| a == "--errors").and_then(|i| args.get(i + 1));
    let result = match errors_of {
        Some(name) => list_errors(Path::new(&dir), name),
        None => score(Path::new(&dir)),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn score(dir: &Path) -> Result<(), brat::BratError> {
    let started = std::time::Instant::now();
    let eval = brat::evaluate_dir(dir)?;
    println!("{eval}in {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn list_errors(dir: &Path, name: &str) -> Result<(), brat::BratError> {
    for ann in brat::ann_files(dir)? {
        let (text, gold) = match brat::read_document(&ann) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("skipped: {e}");
                continue;
            }
        };
        let chars: Vec<char> = text.chars().collect();
        for reading in brat::span_readings(&text, &gold, name) {
            let (start, end) = reading.span;
            let label = match reading.outcome {
                brat::SpanOutcome::Missed => "missed",
                brat::SpanOutcome::False => "false",
                brat::SpanOutcome::Hit => "hit",
            };
            let span: String = chars[start..end].iter().collect();
            let line_start = chars[..start].iter().rposition(|c| *c == '\n').map_or(0, |p| p + 1);
            let line_end = chars[end..].iter().position(|c| *c == '\n').map_or(chars.len(), |p| end + p);
            let line: String = chars[line_start..line_end].iter().collect();
            let read_as = reading.read_as.join(",");
            println!("{label}\t{}\t{start}\t{end}\t{span}\t{}\t{read_as}", ann.display(), line.trim());
        }
    }
    Ok(())
}
