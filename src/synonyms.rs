//! The field's synonyms and acronyms, applied at query time.
//!
//! Groups of equivalent expressions ("SALW, small arms and light weapons")
//! come from `data/synonyms.txt`, built in, plus any file the user names
//! with `--synonyms FILE` (or `CTSEARCH_SYNONYMS`), which extends the
//! built-in list without recompiling. Expansion happens when a query is
//! parsed, so editing the list never requires re-indexing.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};

use crate::analysis::Analyzer;

/// The synonym list shipped with ctsearch.
pub const BUILTIN_SYNONYMS: &str = include_str!("../data/synonyms.txt");

/// One expression of a group: as written, and analyzed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expression {
    pub text: String,
    pub terms: Vec<String>,
}

/// Groups of equivalent expressions, indexed by the first term of each
/// expression for matching against query words.
#[derive(Debug, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Expression>>,
    by_first_term: HashMap<String, Vec<(usize, usize)>>,
}

/// An expression found in a query and what it expands to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// Position of the first matched query term, and how many terms matched.
    pub start: usize,
    pub len: usize,
    pub alternatives: Vec<Expression>,
}

impl Synonyms {
    /// No synonyms at all (`--no-synonyms`).
    pub fn none() -> Synonyms {
        Synonyms::default()
    }

    /// The built-in list, extended by `extra` if given.
    pub fn load(extra: Option<&Path>) -> Result<Synonyms> {
        let mut synonyms = Synonyms::default();
        synonyms.add(BUILTIN_SYNONYMS);
        if let Some(path) = extra {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading synonyms {}", path.display()))?;
            synonyms.add(&text);
        }
        Ok(synonyms)
    }

    /// Adds the groups of a synonym file (one group per line, expressions
    /// separated by commas, `#` comments).
    pub fn add(&mut self, text: &str) {
        let mut analyzer = Analyzer::default();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let group: Vec<Expression> = line
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(|e| Expression {
                    text: e.to_string(),
                    terms: analyzer.terms(e),
                })
                .filter(|e| !e.terms.is_empty())
                .collect();
            if group.len() < 2 {
                continue;
            }
            let g = self.groups.len();
            for (i, expression) in group.iter().enumerate() {
                self.by_first_term
                    .entry(expression.terms[0].clone())
                    .or_default()
                    .push((g, i));
            }
            self.groups.push(group);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The expressions of the list found in a sequence of query terms, each
    /// with the other expressions of its group. At each position the longest
    /// match wins; matches do not overlap.
    pub fn expand(&self, terms: &[String]) -> Vec<Expansion> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < terms.len() {
            let mut best: Option<(usize, usize)> = None; // (len, group)
            if let Some(candidates) = self.by_first_term.get(&terms[i]) {
                for &(g, e) in candidates {
                    let expr = &self.groups[g][e].terms;
                    if terms[i..].starts_with(expr) && best.is_none_or(|(len, _)| expr.len() > len)
                    {
                        best = Some((expr.len(), g));
                    }
                }
            }
            match best {
                Some((len, g)) => {
                    let matched = &terms[i..i + len];
                    let mut alternatives: Vec<Expression> = Vec::new();
                    for expr in &self.groups[g] {
                        let same = expr.terms == matched;
                        let dup = alternatives.iter().any(|a| a.terms == expr.terms);
                        if !same && !dup {
                            alternatives.push(expr.clone());
                        }
                    }
                    if !alternatives.is_empty() {
                        out.push(Expansion {
                            start: i,
                            len,
                            alternatives,
                        });
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        Analyzer::default().terms(text)
    }

    fn alternatives(s: &Synonyms, query: &str) -> Vec<String> {
        s.expand(&terms(query))
            .into_iter()
            .flat_map(|e| e.alternatives.into_iter().map(|a| a.text))
            .collect()
    }

    #[test]
    fn expands_both_ways_and_in_any_case() {
        let s = Synonyms::load(None).expect("built-in synonyms");
        assert!(alternatives(&s, "human trafficking").contains(&"trafficking in persons".into()));
        assert!(alternatives(&s, "Trafficking in Persons").contains(&"human trafficking".into()));
        assert!(alternatives(&s, "salw").contains(&"small arms and light weapons".into()));
        assert!(alternatives(&s, "small arms and light weapons").contains(&"SALW".into()));
        assert!(
            alternatives(&s, "FTF")
                .iter()
                .any(|a| a.starts_with("foreign terrorist fighter"))
        );
        for acronym in [
            "UNODC", "UNODA", "UNICRI", "CTED", "CTC", "INTERPOL", "FATF", "OSCE", "IED", "CFT",
            "AML",
        ] {
            assert!(!alternatives(&s, acronym).is_empty(), "{acronym}");
        }
    }

    #[test]
    fn user_file_extends_the_list() {
        let mut s = Synonyms::load(None).expect("built-in synonyms");
        assert!(alternatives(&s, "zanzibarite").is_empty());
        s.add("# fixture\nzanzibarite, test fixture mineral\n");
        assert_eq!(alternatives(&s, "zanzibarite"), ["test fixture mineral"]);
    }

    #[test]
    fn longest_match_wins_and_positions_are_reported() {
        let mut s = Synonyms::none();
        s.add("arms, weapons\nsmall arms, firearms\n");
        let e = s.expand(&terms("illicit small arms trade"));
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].start, e[0].len), (1, 2));
        assert_eq!(e[0].alternatives[0].text, "firearms");
    }
}
