//! The user query language, parsed into a small tree before anything touches the index.
//!
//! What people type into a trial search box: bare words (`lupus nephritis`), phrases in double
//! quotes, field prefixes (`condition:lupus`, `intervention:"anti-CD20"`, `sponsor:Roche`),
//! `AND` / `OR` / `NOT` in capitals, `-word` and `+word`, and parentheses. Words next to each other
//! must all match (as on ClinicalTrials.gov). Consecutive bare words stay together in one
//! [`Node::Words`] so that the index side can recognise multi-word concepts ("systemic lupus
//! erythematosus") and expand them with synonyms as a unit.
//!
//! The parser is total: every string yields a tree or a [`QueryError`] that says what is wrong and
//! where, never a panic. Sloppy but unambiguous input gets a sensible reading instead of an error:
//! an unclosed quote runs to the end, an unclosed parenthesis closes at the end, a stray `)` or a
//! dangling operator is ignored. Length, word count and nesting depth are bounded, so a 100 KB paste
//! is refused in microseconds instead of turning into a pathological query.

use serde::{Deserialize, Serialize};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words and phrases in one query.
pub const MAX_QUERY_TERMS: usize = 64;
/// Deepest parenthesis nesting accepted.
pub const MAX_DEPTH: usize = 16;

/// A field a query term can be restricted to with `name:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldScope {
    /// Conditions, keywords and condition MeSH terms.
    Condition,
    /// Intervention names, other names and intervention MeSH terms.
    Intervention,
    /// Lead sponsor and collaborators.
    Sponsor,
    /// Brief title, official title and acronym.
    Title,
    /// Brief summary and detailed description.
    Summary,
    /// Eligibility criteria text.
    Criteria,
    /// NCT ID, org study ID and secondary IDs.
    Id,
}

impl FieldScope {
    /// Prefix spellings, including the plural and common synonyms.
    const NAMES: &'static [(&'static str, FieldScope)] = &[
        ("condition", FieldScope::Condition),
        ("conditions", FieldScope::Condition),
        ("disease", FieldScope::Condition),
        ("intervention", FieldScope::Intervention),
        ("interventions", FieldScope::Intervention),
        ("drug", FieldScope::Intervention),
        ("treatment", FieldScope::Intervention),
        ("sponsor", FieldScope::Sponsor),
        ("title", FieldScope::Title),
        ("summary", FieldScope::Summary),
        ("criteria", FieldScope::Criteria),
        ("eligibility", FieldScope::Criteria),
        ("id", FieldScope::Id),
        ("nct", FieldScope::Id),
    ];

    pub fn parse(name: &str) -> Option<FieldScope> {
        let name = name.to_ascii_lowercase();
        Self::NAMES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// The canonical prefix names, for error messages.
    pub fn known_names() -> &'static str {
        "condition, intervention (drug), sponsor, title, summary, criteria, id"
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Bare words that must all match, in the given field or in any field.
    Words {
        scope: Option<FieldScope>,
        words: Vec<String>,
    },
    /// A quoted phrase: these words, adjacent and in order.
    Phrase {
        scope: Option<FieldScope>,
        text: String,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

/// Why a query was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("query too long: {chars} characters (at most {MAX_QUERY_CHARS})")]
    TooLong { chars: usize },
    #[error("query has too many words: {count} (at most {MAX_QUERY_TERMS})")]
    TooManyTerms { count: usize },
    #[error("query nests parentheses deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("unknown field {field:?} at character {position}; known fields: {known}")]
    UnknownField { field: String, position: usize, known: &'static str },
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    /// `name:` directly followed by a term, phrase or group.
    Field(FieldScope),
    Open,
    Close,
    And,
    Or,
    Not,
    /// `+` prefix (required: the default anyway).
    Plus,
}

/// Parses a query. An empty (or all-operator) query is `Node::And(vec![])`, which matches every trial.
pub fn parse(query: &str) -> Result<Node, QueryError> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong { chars });
    }
    let tokens = lex(query)?;
    let count = tokens.iter().filter(|t| matches!(t, Token::Word(_) | Token::Quoted(_))).count();
    if count > MAX_QUERY_TERMS {
        return Err(QueryError::TooManyTerms { count });
    }
    let mut parser = Parser { tokens, pos: 0 };
    let mut node = parser.or_expr(0)?;
    // A stray ")" ends a group early; keep reading what follows it as more clauses.
    while parser.pos < parser.tokens.len() {
        parser.pos += 1;
        let rest = parser.or_expr(0)?;
        node = Node::And(vec![node, rest]);
    }
    Ok(simplify(node))
}

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '"' | '(' | ')' | '\u{201c}' | '\u{201d}')
}

fn lex(query: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if matches!(c, '"' | '\u{201c}' | '\u{201d}') {
            // An unclosed quote runs to the end of the query.
            let end = (i + 1..chars.len()).find(|&j| matches!(chars[j], '"' | '\u{201c}' | '\u{201d}'));
            let stop = end.unwrap_or(chars.len());
            tokens.push(Token::Quoted(chars[i + 1..stop].iter().collect()));
            i = stop + 1;
        } else if c == '(' {
            tokens.push(Token::Open);
            i += 1;
        } else if c == ')' {
            tokens.push(Token::Close);
            i += 1;
        } else if (c == '-' || c == '+') && chars.get(i + 1).is_some_and(|&n| is_word_char(n) || n == '"' || n == '(') {
            tokens.push(if c == '-' { Token::Not } else { Token::Plus });
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && is_word_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            lex_word(word, start, chars.get(i).copied(), &mut tokens)?;
        }
    }
    Ok(tokens)
}

/// A word, an operator, or `field:` followed by a term (`condition:lupus`) or a phrase/group
/// (`condition:"lupus nephritis"`, where the word ends at the colon).
fn lex_word(word: String, start: usize, next: Option<char>, tokens: &mut Vec<Token>) -> Result<(), QueryError> {
    let operator = match word.as_str() {
        "AND" | "&&" => Some(Token::And),
        "OR" | "||" => Some(Token::Or),
        "NOT" => Some(Token::Not),
        _ => None,
    };
    if let Some(operator) = operator {
        tokens.push(operator);
        return Ok(());
    }
    if let Some((name, rest)) = word.split_once(':') {
        let looks_like_field = !name.is_empty() && name.len() <= 24 && name.chars().all(|c| c.is_ascii_alphabetic());
        let has_operand = !rest.is_empty() || matches!(next, Some('"' | '(' | '\u{201c}'));
        if looks_like_field && has_operand {
            let scope = FieldScope::parse(name).ok_or_else(|| QueryError::UnknownField {
                field: name.to_string(),
                position: start,
                known: FieldScope::known_names(),
            })?;
            tokens.push(Token::Field(scope));
            if !rest.is_empty() {
                tokens.push(Token::Word(rest.to_string()));
            }
            return Ok(());
        }
    }
    tokens.push(Token::Word(word));
    Ok(())
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn or_expr(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut alternatives = vec![self.and_expr(depth)?];
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            alternatives.push(self.and_expr(depth)?);
        }
        Ok(if alternatives.len() == 1 { alternatives.remove(0) } else { Node::Or(alternatives) })
    }

    fn and_expr(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut clauses: Vec<Node> = Vec::new();
        loop {
            match self.peek() {
                None | Some(Token::Close) | Some(Token::Or) => break,
                Some(Token::And) | Some(Token::Plus) => self.pos += 1,
                _ => {
                    if let Some(node) = self.unary(depth)? {
                        push_clause(&mut clauses, node);
                    }
                }
            }
        }
        Ok(if clauses.len() == 1 { clauses.remove(0) } else { Node::And(clauses) })
    }

    fn unary(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        if self.peek() == Some(&Token::Not) {
            self.pos += 1;
            return Ok(self.unary(depth)?.map(|n| Node::Not(Box::new(n))));
        }
        self.primary(depth, None)
    }

    fn primary(&mut self, depth: usize, scope: Option<FieldScope>) -> Result<Option<Node>, QueryError> {
        let Some(token) = self.tokens.get(self.pos).cloned() else { return Ok(None) };
        self.pos += 1;
        Ok(match token {
            Token::Word(word) => Some(Node::Words { scope, words: vec![word] }),
            Token::Quoted(text) => Some(Node::Phrase { scope, text }),
            Token::Field(inner) => self.primary(depth, Some(inner))?,
            Token::Open => {
                if depth + 1 > MAX_DEPTH {
                    return Err(QueryError::TooDeep);
                }
                let group = self.or_expr(depth + 1)?;
                if self.peek() == Some(&Token::Close) {
                    self.pos += 1;
                }
                Some(match scope {
                    Some(scope) => with_scope(group, scope),
                    None => group,
                })
            }
            // Operators with nothing to apply to are ignored.
            Token::Close | Token::And | Token::Or | Token::Not | Token::Plus => None,
        })
    }
}

/// Consecutive bare words of the same scope join one `Words` node (see the module docs).
fn push_clause(clauses: &mut Vec<Node>, node: Node) {
    if let (Some(Node::Words { scope: last_scope, words: last }), Node::Words { scope, words }) =
        (clauses.last_mut(), &node)
    {
        if last_scope == scope {
            last.extend(words.iter().cloned());
            return;
        }
    }
    clauses.push(node);
}

/// `condition:(lupus OR sle)`: the scope applies to every unscoped term of the group.
fn with_scope(node: Node, scope: FieldScope) -> Node {
    match node {
        Node::Words { scope: None, words } => Node::Words { scope: Some(scope), words },
        Node::Phrase { scope: None, text } => Node::Phrase { scope: Some(scope), text },
        Node::And(nodes) => Node::And(nodes.into_iter().map(|n| with_scope(n, scope)).collect()),
        Node::Or(nodes) => Node::Or(nodes.into_iter().map(|n| with_scope(n, scope)).collect()),
        Node::Not(inner) => Node::Not(Box::new(with_scope(*inner, scope))),
        scoped => scoped,
    }
}

/// Drops empty groups and unwraps single-child groups.
fn simplify(node: Node) -> Node {
    match node {
        Node::And(nodes) => {
            let mut nodes: Vec<Node> = nodes.into_iter().map(simplify).filter(|n| !is_empty(n)).collect();
            if nodes.len() == 1 {
                nodes.remove(0)
            } else {
                Node::And(nodes)
            }
        }
        Node::Or(nodes) => {
            let mut nodes: Vec<Node> = nodes.into_iter().map(simplify).filter(|n| !is_empty(n)).collect();
            match nodes.len() {
                0 => Node::And(Vec::new()),
                1 => nodes.remove(0),
                _ => Node::Or(nodes),
            }
        }
        Node::Not(inner) => Node::Not(Box::new(simplify(*inner))),
        leaf => leaf,
    }
}

fn is_empty(node: &Node) -> bool {
    match node {
        Node::And(nodes) | Node::Or(nodes) => nodes.is_empty(),
        Node::Phrase { text, .. } => text.trim().is_empty(),
        Node::Words { words, .. } => words.is_empty(),
        Node::Not(inner) => is_empty(inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(ws: &[&str]) -> Node {
        Node::Words { scope: None, words: ws.iter().map(|w| w.to_string()).collect() }
    }

    #[test]
    fn adjacent_words_stay_together() {
        assert_eq!(parse("systemic lupus erythematosus").unwrap(), words(&["systemic", "lupus", "erythematosus"]));
    }

    #[test]
    fn phrases_fields_and_operators() {
        let node = parse(r#"condition:"lupus nephritis" AND (rituximab OR belimumab) -pregnancy"#).unwrap();
        assert_eq!(
            node,
            Node::And(vec![
                Node::Phrase { scope: Some(FieldScope::Condition), text: "lupus nephritis".into() },
                Node::Or(vec![words(&["rituximab"]), words(&["belimumab"])]),
                Node::Not(Box::new(words(&["pregnancy"]))),
            ])
        );
        assert_eq!(
            parse("drug:Benlysta").unwrap(),
            Node::Words { scope: Some(FieldScope::Intervention), words: vec!["Benlysta".into()] }
        );
    }

    #[test]
    fn sloppy_input_gets_a_sensible_reading() {
        assert_eq!(parse("\"lupus nephritis").unwrap(), Node::Phrase { scope: None, text: "lupus nephritis".into() });
        assert_eq!(parse("(lupus OR sle").unwrap(), Node::Or(vec![words(&["lupus"]), words(&["sle"])]));
        assert_eq!(parse("lupus ) AND").unwrap(), words(&["lupus"]));
        assert_eq!(parse("   ").unwrap(), Node::And(vec![]));
        // Hyphenated words and colons that are not field prefixes are plain words.
        assert_eq!(parse("IgG4-RD covid-19").unwrap(), words(&["IgG4-RD", "covid-19"]));
        assert_eq!(parse("12:30").unwrap(), words(&["12:30"]));
    }

    #[test]
    fn bad_queries_are_refused_with_a_reason() {
        let err = parse("color:red").unwrap_err();
        assert!(matches!(&err, QueryError::UnknownField { field, position: 0, .. } if field == "color"), "{err}");
        assert!(err.to_string().contains("condition"));
        let long = "lupus ".repeat(20_000);
        assert_eq!(parse(&long).unwrap_err(), QueryError::TooLong { chars: long.chars().count() });
        assert!(matches!(parse(&"a ".repeat(100)), Err(QueryError::TooManyTerms { count: 100 })));
        assert_eq!(parse(&"(".repeat(40)), Err(QueryError::TooDeep));
    }

    proptest! {
        #[test]
        fn any_input_parses_or_errs_without_panicking(query in "\\PC{0,200}") {
            let _ = parse(&query);
        }

        #[test]
        fn query_syntax_soup_never_panics(query in "[a-z\"():+\\- ]{0,120}|(AND |OR |NOT |\\(|\\)|\"|-|condition:|x )*") {
            let _ = parse(&query);
        }
    }
}
