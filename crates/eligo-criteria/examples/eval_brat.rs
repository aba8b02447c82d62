//! Scores the criteria engine against brat annotations: `cargo run --release -p eligo-criteria
//! --example eval_brat -- ../shared/data/lct`. The CLI's `eligo criteria eval-brat` does the same.

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "../shared/data/lct".into());
    let started = std::time::Instant::now();
    match eligo_criteria::brat::evaluate_dir(std::path::Path::new(&dir)) {
        Ok(eval) => print!("{eval}in {:.2} s", started.elapsed().as_secs_f64()),
        Err(e) => eprintln!("error: {e}"),
    }
    println!();
}
