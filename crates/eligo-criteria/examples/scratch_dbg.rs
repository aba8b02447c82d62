fn main() {
    for line in std::io::stdin().lines().map_while(Result::ok) {
        for c in eligo_criteria::parse_criteria(&line) {
            println!("== {}", c.text);
            for e in &c.entities {
                println!("   {:?} {:?} {:?}", e.kind, e.text, e.concept.as_ref().map(|c| &c.id));
            }
            println!("   -> {:?}", c.computable);
        }
    }
}
