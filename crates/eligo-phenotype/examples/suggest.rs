//! Prints the candidate diagnoses a text's findings suggest, best first, with the findings that
//! support each: `cargo run -p eligo-phenotype --example suggest -- note.txt` (or `-` for stdin).

use std::io::Read;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".into());
    let mut text = String::new();
    if path == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(&path)?;
    }
    for h in eligo_phenotype::hypotheses_for_text(&text).iter().take(8) {
        let concept = h.concept.as_ref().map_or(String::from("-"), |c| format!("{} {}", c.id, c.name));
        let support: Vec<String> = h.support.iter().map(|s| format!("{s:?}")).collect();
        println!("{:.3}  {}  {}  [{}]\n    {}", h.score, h.disease_id, h.name, concept, support.join("; "));
    }
    Ok(())
}
