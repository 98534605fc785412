//! The field's synonyms and acronyms, applied at query time.
//!
//! Groups of equivalent expressions ("SALW, small arms and light weapons")
//! come from `data/synonyms.txt`, built in, plus any file the user names
//! with `--synonyms FILE` (or `CTSEARCH_SYNONYMS`), which extends the
//! built-in list without recompiling. Expansion happens when a query is
//! parsed, so editing the list never requires re-indexing.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::analysis::{self, Analyzer, StemmingExceptions};

/// The synonym list shipped with ctsearch.
pub const BUILTIN_SYNONYMS: &str = include_str!("../data/synonyms.txt");

/// One expression of a group: as written, and analyzed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expression {
    pub text: String,
    pub terms: Vec<String>,
}

/// Groups of equivalent expressions, analyzed when they are added (with the
/// query chain, so an expression matches the query terms it would be).
#[derive(Debug)]
pub struct Synonyms {
    /// Each group's expressions that have terms; a group has at least two.
    groups: Vec<Vec<Expression>>,
    /// An expression's first term → (group, expression), in list order.
    by_first_term: HashMap<String, Vec<(usize, usize)>>,
    /// The stemming exceptions the expressions are analyzed with: the
    /// index's.
    exceptions: Arc<StemmingExceptions>,
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
        Synonyms::none_with_exceptions(analysis::builtin_exceptions())
    }

    /// No synonyms yet; those added are analyzed with `exceptions`.
    fn none_with_exceptions(exceptions: Arc<StemmingExceptions>) -> Synonyms {
        Synonyms {
            groups: Vec::new(),
            by_first_term: HashMap::new(),
            exceptions,
        }
    }

    /// The built-in list, extended by `extra` if given.
    pub fn load(extra: Option<&Path>) -> Result<Synonyms> {
        Synonyms::load_with_exceptions(extra, analysis::builtin_exceptions())
    }

    /// [`Synonyms::load`], analyzing the expressions with a list of
    /// stemming exceptions of its own: the list the index is built with.
    pub fn load_with_exceptions(
        extra: Option<&Path>,
        exceptions: Arc<StemmingExceptions>,
    ) -> Result<Synonyms> {
        let mut synonyms = Synonyms::none_with_exceptions(exceptions);
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
        let mut analyzer = Analyzer::default().with_exceptions(self.exceptions.clone());
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
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
            // A group needs two expressions to expand anything.
            if group.len() < 2 {
                continue;
            }
            let g = self.groups.len();
            for (e, expression) in group.iter().enumerate() {
                self.by_first_term
                    .entry(expression.terms[0].clone())
                    .or_default()
                    .push((g, e));
            }
            self.groups.push(group);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The expressions of the list found in a sequence of query terms, each
    /// with the other expressions of its group. At each position the longest
    /// match wins (the first in list order of equally long ones); matches do
    /// not overlap.
    pub fn expand(&self, terms: &[String]) -> Vec<Expansion> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < terms.len() {
            let mut best: Option<(usize, usize)> = None; // (len, group)
            if let Some(candidates) = self.by_first_term.get(terms[i].as_str()) {
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
    fn the_built_in_list_reads_as_a_file_does() {
        let built = Synonyms::load(None).expect("built-in synonyms");
        let mut read = Synonyms::none();
        read.add(BUILTIN_SYNONYMS);
        assert!(built.groups.len() > 50);
        assert_eq!(built.groups, read.groups);
        assert_eq!(built.by_first_term, read.by_first_term);
    }

    #[test]
    fn user_file_extends_the_list() {
        let mut s = Synonyms::load(None).expect("built-in synonyms");
        assert!(alternatives(&s, "zanzibarite").is_empty());
        s.add("# fixture\nzanzibarite, test fixture mineral\n");
        assert_eq!(alternatives(&s, "zanzibarite"), ["test fixture mineral"]);
    }

    #[test]
    fn a_group_is_found_whatever_the_stemmer_does_to_its_words() {
        // "skies" is `sky`, which no word starting "sky" spells.
        let mut s = Synonyms::none();
        s.add("skies, heavens\n");
        assert_eq!(alternatives(&s, "sky"), ["heavens"]);
        assert_eq!(alternatives(&s, "Skies"), ["heavens"]);
        assert_eq!(alternatives(&s, "heaven"), ["skies"]);
        s.add("dying, perishing\n");
        assert_eq!(alternatives(&s, "died"), ["perishing"]);
    }

    #[test]
    fn every_expression_of_the_built_in_list_is_found() {
        let s = Synonyms::load(None).expect("built-in synonyms");
        for group in &s.groups {
            for expression in group {
                if group.iter().all(|e| e.terms == expression.terms) {
                    continue;
                }
                let found = s.expand(&expression.terms);
                assert!(
                    found
                        .first()
                        .is_some_and(|f| f.start == 0 && f.len == expression.terms.len()),
                    "{:?}: {found:?}",
                    expression.text
                );
            }
        }
    }

    #[test]
    fn the_expressions_are_analyzed_with_the_lists_exceptions() {
        let mut s = Synonyms::none();
        s.add("arms, weapons\n");
        // "arms" is protected: "armed" is not one of its words.
        assert!(alternatives(&s, "armed").is_empty());
        assert_eq!(alternatives(&s, "Arms"), ["weapons"]);
        // Without the exceptions, the stemmer joins them.
        let mut plain = Synonyms::load_with_exceptions(None, Arc::new(StemmingExceptions::none()))
            .expect("built-in synonyms");
        plain.add("arms, weapons\n");
        assert!(alternatives(&plain, "armed").contains(&"weapons".to_string()));
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
