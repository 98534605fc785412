//! The query language.
//!
//! Free text by default: any words, any punctuation, searched as words.
//! On top of that, explicit syntax: `"exact phrase"`, `AND`, `OR`, `NOT`,
//! `+term`, `-term`, `( … )`, field scopes (`title:`, `session:`, `body:`,
//! `crime:`, `org:`, `year:`), prefixes (`traffick*`) and typo tolerance
//! (`trafficing~`, `trafficing~2`). Syntax that is used wrongly (an
//! unbalanced quote or parenthesis, an operator with nothing to apply to) is
//! an error naming the column; everything else is text.

use std::fmt;

/// Deepest parenthesis nesting accepted; deeper queries are an error rather
/// than a stack overflow.
const MAX_DEPTH: usize = 32;

/// How a clause takes part in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    Should,
    Must,
    MustNot,
}

/// Where a word or phrase is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Title, session label and body, with title and label weighted higher.
    All,
    Title,
    Session,
    Body,
    Crime,
    Org,
    Year,
}

impl Scope {
    fn from_name(name: &str) -> Option<Scope> {
        match name.to_ascii_lowercase().as_str() {
            "title" => Some(Scope::Title),
            "session" => Some(Scope::Session),
            "body" | "text" => Some(Scope::Body),
            "crime" => Some(Scope::Crime),
            "org" => Some(Scope::Org),
            "year" => Some(Scope::Year),
            _ => None,
        }
    }
}

/// A node of the parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word as typed (analysis happens later); may be a prefix or fuzzy.
    Word {
        scope: Scope,
        text: String,
        prefix: bool,
        fuzzy: Option<u8>,
    },
    /// Words that must appear in this order, adjacent.
    Phrase { scope: Scope, text: String },
    /// Sub-clauses in parentheses (or the whole query).
    Group(Vec<Clause>),
    /// `*` alone: every session.
    All,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub occur: Occur,
    pub node: Node,
}

/// A query that uses syntax wrongly, with the 1-based column of the fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub column: usize,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "query error at column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for QueryError {}

#[derive(Debug, Clone, PartialEq)]
enum Lexeme {
    Word(String),
    Phrase(String),
    Open,
    Close,
    And,
    Or,
    Not,
    Plus,
    Minus,
    /// `field:` directly followed by a word, phrase or group.
    Field(Scope),
}

#[derive(Debug, Clone)]
struct Lex {
    lexeme: Lexeme,
    column: usize,
}

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '"' | '(' | ')' | '“' | '”')
}

fn lex(input: &str) -> Result<Vec<Lex>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() || c.is_control() {
            i += 1;
            continue;
        }
        match c {
            '"' | '“' | '”' => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && !matches!(chars[j], '"' | '“' | '”') {
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(QueryError {
                        column,
                        message: "unbalanced quote: this phrase is never closed".into(),
                    });
                }
                out.push(Lex {
                    lexeme: Lexeme::Phrase(chars[start..j].iter().collect()),
                    column,
                });
                i = j + 1;
            }
            '(' => {
                out.push(Lex {
                    lexeme: Lexeme::Open,
                    column,
                });
                i += 1;
            }
            ')' => {
                out.push(Lex {
                    lexeme: Lexeme::Close,
                    column,
                });
                i += 1;
            }
            '+' | '-'
                if i + 1 < chars.len() && is_word_char(chars[i + 1])
                    || i + 1 < chars.len() && matches!(chars[i + 1], '"' | '(' | '“') =>
            {
                let at_start = i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(';
                if at_start {
                    out.push(Lex {
                        lexeme: if c == '+' {
                            Lexeme::Plus
                        } else {
                            Lexeme::Minus
                        },
                        column,
                    });
                    i += 1;
                } else {
                    i = lex_word(&chars, i, &mut out);
                }
            }
            _ => i = lex_word(&chars, i, &mut out),
        }
    }
    Ok(out)
}

/// Lexes a word starting at `i`; returns the index after it.
fn lex_word(chars: &[char], i: usize, out: &mut Vec<Lex>) -> usize {
    let mut j = i;
    while j < chars.len() && is_word_char(chars[j]) {
        j += 1;
    }
    let word: String = chars[i..j].iter().collect();
    let column = i + 1;
    // `field:value`, `field:"phrase"`, `field:(group)`.
    if let Some((name, rest)) = word.split_once(':')
        && let Some(scope) = Scope::from_name(name)
    {
        let next_is_operand =
            !rest.is_empty() || (j < chars.len() && matches!(chars[j], '"' | '(' | '“' | '”'));
        if next_is_operand {
            out.push(Lex {
                lexeme: Lexeme::Field(scope),
                column,
            });
            if !rest.is_empty() {
                out.push(Lex {
                    lexeme: Lexeme::Word(rest.to_string()),
                    column: column + name.chars().count() + 1,
                });
            }
            return j;
        }
    }
    let lexeme = match word.as_str() {
        "AND" | "&&" => Lexeme::And,
        "OR" | "||" => Lexeme::Or,
        "NOT" => Lexeme::Not,
        _ => Lexeme::Word(word),
    };
    out.push(Lex { lexeme, column });
    j
}

struct Parser {
    lexes: Vec<Lex>,
    pos: usize,
    end_column: usize,
}

/// Parses a query. The result is always a [`Node::Group`].
pub fn parse(input: &str) -> Result<Node, QueryError> {
    let lexes = lex(input)?;
    let mut parser = Parser {
        lexes,
        pos: 0,
        end_column: input.chars().count() + 1,
    };
    let clauses = parser.group(0)?;
    if let Some(extra) = parser.lexes.get(parser.pos) {
        return Err(QueryError {
            column: extra.column,
            message: "unbalanced parenthesis: nothing to close here".into(),
        });
    }
    Ok(Node::Group(clauses))
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexes.get(self.pos).map(|l| &l.lexeme)
    }

    fn column(&self) -> usize {
        self.lexes
            .get(self.pos)
            .map_or(self.end_column, |l| l.column)
    }

    /// Clauses until `)` or the end.
    fn group(&mut self, depth: usize) -> Result<Vec<Clause>, QueryError> {
        if depth > MAX_DEPTH {
            return Err(QueryError {
                column: self.column(),
                message: format!("parentheses nested deeper than {MAX_DEPTH} levels"),
            });
        }
        let mut clauses: Vec<Clause> = Vec::new();
        let mut pending_and = false;
        let mut pending_or = false;
        loop {
            match self.peek() {
                None | Some(Lexeme::Close) => break,
                Some(Lexeme::And) => {
                    let column = self.column();
                    if clauses.is_empty() {
                        return Err(QueryError {
                            column,
                            message: "AND needs a term before it".into(),
                        });
                    }
                    self.pos += 1;
                    pending_and = true;
                    if matches!(self.peek(), None | Some(Lexeme::Close)) {
                        return Err(QueryError {
                            column,
                            message: "AND needs a term after it".into(),
                        });
                    }
                    continue;
                }
                Some(Lexeme::Or) => {
                    let column = self.column();
                    self.pos += 1;
                    if clauses.is_empty() || matches!(self.peek(), None | Some(Lexeme::Close)) {
                        return Err(QueryError {
                            column,
                            message: "OR needs a term on each side".into(),
                        });
                    }
                    pending_or = true;
                    continue;
                }
                _ => {}
            }
            let mut clause = self.clause(depth)?;
            // `a OR b` is one clause, either of whose sides matches.
            if pending_or {
                pending_or = false;
                if let Some(prev) = clauses.last_mut()
                    && prev.occur == Occur::Should
                    && clause.occur == Occur::Should
                {
                    match &mut prev.node {
                        Node::Group(sides) if prev_is_or(sides) => sides.push(clause),
                        _ => {
                            let left = Clause {
                                occur: Occur::Should,
                                node: std::mem::replace(&mut prev.node, Node::All),
                            };
                            prev.node = Node::Group(vec![left, clause]);
                        }
                    }
                    continue;
                }
            }
            if pending_and {
                if let Some(prev) = clauses.last_mut()
                    && prev.occur == Occur::Should
                {
                    prev.occur = Occur::Must;
                }
                if clause.occur == Occur::Should {
                    clause.occur = Occur::Must;
                }
                pending_and = false;
            }
            clauses.push(clause);
        }
        Ok(clauses)
    }

    fn clause(&mut self, depth: usize) -> Result<Clause, QueryError> {
        let column = self.column();
        let occur = match self.peek() {
            Some(Lexeme::Plus) => {
                self.pos += 1;
                Occur::Must
            }
            Some(Lexeme::Minus) | Some(Lexeme::Not) => {
                self.pos += 1;
                Occur::MustNot
            }
            _ => Occur::Should,
        };
        if occur != Occur::Should && matches!(self.peek(), None | Some(Lexeme::Close)) {
            return Err(QueryError {
                column,
                message: "an operator needs a term after it".into(),
            });
        }
        let node = self.operand(Scope::All, depth)?;
        Ok(Clause { occur, node })
    }

    fn operand(&mut self, scope: Scope, depth: usize) -> Result<Node, QueryError> {
        let column = self.column();
        let Some(lex) = self.lexes.get(self.pos).cloned() else {
            return Err(QueryError {
                column,
                message: "expected a term".into(),
            });
        };
        self.pos += 1;
        match lex.lexeme {
            Lexeme::Word(word) => Ok(word_node(scope, &word)),
            Lexeme::Phrase(text) => Ok(Node::Phrase { scope, text }),
            Lexeme::Field(inner) => {
                if scope != Scope::All {
                    return Err(QueryError {
                        column,
                        message: "a field scope cannot hold another field scope".into(),
                    });
                }
                self.operand(inner, depth)
            }
            Lexeme::Open => {
                let clauses = self.group(depth + 1)?;
                match self.peek() {
                    Some(Lexeme::Close) => self.pos += 1,
                    _ => {
                        return Err(QueryError {
                            column,
                            message: "unbalanced parenthesis: this one is never closed".into(),
                        });
                    }
                }
                Ok(Node::Group(scope_clauses(clauses, scope)))
            }
            Lexeme::Close => Err(QueryError {
                column,
                message: "unbalanced parenthesis: nothing to close here".into(),
            }),
            // Operators where an operand is expected are read as words:
            // "NOT" after "-" is far more likely prose than syntax.
            Lexeme::And | Lexeme::Or | Lexeme::Not | Lexeme::Plus | Lexeme::Minus => {
                Err(QueryError {
                    column,
                    message: "expected a term after the operator".into(),
                })
            }
        }
    }
}

/// Applies a field scope to every word and phrase of a group.
fn scope_clauses(clauses: Vec<Clause>, scope: Scope) -> Vec<Clause> {
    if scope == Scope::All {
        return clauses;
    }
    clauses
        .into_iter()
        .map(|c| Clause {
            occur: c.occur,
            node: match c.node {
                Node::Word {
                    text,
                    prefix,
                    fuzzy,
                    ..
                } => Node::Word {
                    scope,
                    text,
                    prefix,
                    fuzzy,
                },
                Node::Phrase { text, .. } => Node::Phrase { scope, text },
                Node::Group(inner) => Node::Group(scope_clauses(inner, scope)),
                Node::All => Node::All,
            },
        })
        .collect()
}

/// A word with its `*` or `~N` suffix interpreted.
fn word_node(scope: Scope, word: &str) -> Node {
    if word == "*" {
        return Node::All;
    }
    if let Some(stem) = word.strip_suffix('*')
        && stem.chars().any(char::is_alphanumeric)
        && !stem.contains('*')
    {
        return Node::Word {
            scope,
            text: stem.to_string(),
            prefix: true,
            fuzzy: None,
        };
    }
    if let Some((stem, distance)) = word.rsplit_once('~')
        && stem.chars().any(char::is_alphanumeric)
    {
        let distance = match distance {
            "" => Some(1),
            "1" => Some(1),
            "2" => Some(2),
            _ => None,
        };
        if let Some(d) = distance {
            return Node::Word {
                scope,
                text: stem.to_string(),
                prefix: false,
                fuzzy: Some(d),
            };
        }
    }
    Node::Word {
        scope,
        text: word.to_string(),
        prefix: false,
        fuzzy: None,
    }
}

/// Whether a group was made by `OR` (every side optional), so that a
/// chain `a OR b OR c` is one group of three sides.
fn prev_is_or(sides: &[Clause]) -> bool {
    sides.len() >= 2 && sides.iter().all(|c| c.occur == Occur::Should)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(node: &Node) -> Vec<(Occur, String)> {
        let Node::Group(clauses) = node else {
            return vec![];
        };
        clauses
            .iter()
            .map(|c| {
                let text = match &c.node {
                    Node::Word { text, .. } | Node::Phrase { text, .. } => text.clone(),
                    Node::Group(_) => "(…)".into(),
                    Node::All => "*".into(),
                };
                (c.occur, text)
            })
            .collect()
    }

    #[test]
    fn natural_language_is_words() {
        let q = parse("what are the links between drugs and terrorism?").expect("parses");
        assert_eq!(words(&q).len(), 8);
        assert!(words(&q).iter().all(|(o, _)| *o == Occur::Should));
        assert!(parse("note: it's 50% (approx.) — ok?!").is_ok());
        assert!(parse("counter-terrorism").is_ok());
    }

    #[test]
    fn operators() {
        let q = parse("arms AND drugs -kidnapping +\"trafficking in persons\"").expect("parses");
        let w = words(&q);
        assert_eq!(w[0], (Occur::Must, "arms".into()));
        assert_eq!(w[1], (Occur::Must, "drugs".into()));
        assert_eq!(w[2], (Occur::MustNot, "kidnapping".into()));
        assert_eq!(w[3], (Occur::Must, "trafficking in persons".into()));
    }

    #[test]
    fn fields_prefix_fuzzy() {
        let q = parse("title:nexus traffick* trafficing~ crime:arms-trafficking").expect("parses");
        let Node::Group(c) = q else { panic!() };
        assert!(
            matches!(&c[0].node, Node::Word { scope: Scope::Title, text, .. } if text == "nexus")
        );
        assert!(matches!(&c[1].node, Node::Word { prefix: true, .. }));
        assert!(matches!(&c[2].node, Node::Word { fuzzy: Some(1), .. }));
        assert!(matches!(
            &c[3].node,
            Node::Word {
                scope: Scope::Crime,
                ..
            }
        ));
    }

    #[test]
    fn errors_say_where() {
        let e = parse("arms \"small weapons").expect_err("unbalanced");
        assert_eq!(e.column, 6);
        assert!(e.to_string().contains("column 6"));
        assert_eq!(parse("(arms OR drugs").expect_err("open").column, 1);
        assert_eq!(parse("arms)").expect_err("close").column, 5);
        assert!(parse("arms AND").is_err());
        let deep = "(".repeat(1000) + "x" + &")".repeat(1000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn star_alone_matches_all() {
        let Node::Group(c) = parse("*").expect("parses") else {
            panic!()
        };
        assert_eq!(c[0].node, Node::All);
    }
}
