//! The field's synonyms and acronyms, applied at query time.
//!
//! Groups of equivalent expressions ("SALW, small arms and light weapons")
//! come from `data/synonyms.txt`, built in, plus any file the user names
//! with `--synonyms FILE` (or `CTSEARCH_SYNONYMS`), which extends the
//! built-in list without recompiling. Expansion happens when a query is
//! parsed, so editing the list never requires re-indexing.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, Result};

use crate::analysis::{self, Analyzer};
use crate::taxonomy;

/// The synonym list shipped with ctsearch.
pub const BUILTIN_SYNONYMS: &str = include_str!("../data/synonyms.txt");

/// A group's expressions as written: borrowed from the built-in list, or
/// read from a file.
type Group = Cow<'static, [Cow<'static, str>]>;

/// One expression of a group: as written, and analyzed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expression {
    pub text: String,
    pub terms: Vec<String>,
}

/// Groups of equivalent expressions, analyzed when a query may use them.
///
/// Why lazily: analyzing the whole list took a quarter of a millisecond of
/// every search, for the few groups a query touches. A group is analyzed
/// once a query term could be the term of one of its words: the analyzer
/// keeps the beginning of an ASCII word (see `taxonomy::stable_prefix`),
/// so a word can only have the term `t` if it starts with
/// `stable_prefix(t)`, and groups are found by their words' first letters.
/// Groups with a non-ASCII word are always analyzed.
#[derive(Debug, Default)]
pub struct Synonyms {
    /// Each group's expressions as written.
    groups: Vec<Group>,
    /// Groups by the lowercased first byte of their ASCII words (indexed
    /// by the byte: no hashing while the list is read on every search).
    by_initial: Vec<Vec<usize>>,
    /// Groups with a non-ASCII word.
    always: Vec<usize>,
    /// Each group's analyzed expressions (those with terms), on first use.
    analyzed: Vec<OnceLock<Vec<Expression>>>,
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
    /// separated by commas, `#` comments). `build.rs` reads the built-in
    /// list by the same rules.
    pub fn add(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let group: Vec<Cow<'static, str>> = line
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(|e| Cow::Owned(e.to_string()))
                .collect();
            if group.len() < 2 {
                continue;
            }
            let mut initials: Vec<u8> = Vec::new();
            let mut non_ascii = false;
            for expression in &group {
                analysis::for_each_word(expression, |word| match word.as_bytes().first() {
                    Some(initial) if word.is_ascii() => initials.push(initial.to_ascii_lowercase()),
                    _ => non_ascii = true,
                });
            }
            initials.sort_unstable();
            initials.dedup();
            self.push(Cow::Owned(group), &initials, non_ascii);
        }
    }

    /// Adds a group, found by the first bytes `initials` of its ASCII
    /// words, or by any query if `non_ascii`.
    fn push(&mut self, group: Group, initials: &[u8], non_ascii: bool) {
        let g = self.groups.len();
        if self.by_initial.is_empty() {
            self.by_initial = vec![Vec::new(); 128];
        }
        for &initial in initials {
            if let Some(list) = self.by_initial.get_mut(usize::from(initial)) {
                list.push(g);
            }
        }
        if non_ascii {
            self.always.push(g);
        }
        self.groups.push(group);
        self.analyzed.push(OnceLock::new());
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The groups that may have an expression whose first term is one of
    /// `terms`, in list order.
    fn candidates(&self, terms: &[String]) -> Vec<usize> {
        let mut out: Vec<usize> = self.always.clone();
        for term in terms {
            let prefix = taxonomy::stable_prefix(term).as_bytes();
            let Some(initial) = prefix.first() else {
                continue;
            };
            for &g in self
                .by_initial
                .get(usize::from(*initial))
                .into_iter()
                .flatten()
            {
                let mut found = false;
                for expression in self.groups[g].iter() {
                    analysis::for_each_word(expression, |word| {
                        let word = word.as_bytes();
                        found |= word.len() >= prefix.len()
                            && word[..prefix.len()].eq_ignore_ascii_case(prefix);
                    });
                }
                if found {
                    out.push(g);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The analyzed expressions of group `g`.
    fn group(&self, g: usize, analyzer: &mut Analyzer) -> &[Expression] {
        self.analyzed[g].get_or_init(|| {
            let group: Vec<Expression> = self.groups[g]
                .iter()
                .map(|e| Expression {
                    text: e.to_string(),
                    terms: analyzer.terms(e),
                })
                .filter(|e| !e.terms.is_empty())
                .collect();
            // A group needs two expressions to expand anything.
            if group.len() < 2 { Vec::new() } else { group }
        })
    }

    /// The expressions of the list found in a sequence of query terms, each
    /// with the other expressions of its group. At each position the longest
    /// match wins; matches do not overlap.
    pub fn expand(&self, terms: &[String]) -> Vec<Expansion> {
        self.expand_over(terms, self.candidates(terms))
    }

    /// `expand`, looking only at `groups` (increasing).
    fn expand_over(&self, terms: &[String], groups: Vec<usize>) -> Vec<Expansion> {
        let mut analyzer = Analyzer::default();
        // (group, expression) by the expression's first term, over the
        // groups the terms may use, in list order as a full index would be.
        let mut by_first_term: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for g in groups {
            for (e, expression) in self.group(g, &mut analyzer).iter().enumerate() {
                by_first_term
                    .entry(expression.terms[0].as_str())
                    .or_default()
                    .push((g, e));
            }
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < terms.len() {
            let mut best: Option<(usize, usize)> = None; // (len, group)
            if let Some(candidates) = by_first_term.get(terms[i].as_str()) {
                for &(g, e) in candidates {
                    let expr = &self.group(g, &mut analyzer)[e].terms;
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
                    for expr in self.group(g, &mut analyzer) {
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
        assert_eq!(built.by_initial, read.by_initial);
        assert_eq!(built.always, read.always);
    }

    #[test]
    fn user_file_extends_the_list() {
        let mut s = Synonyms::load(None).expect("built-in synonyms");
        assert!(alternatives(&s, "zanzibarite").is_empty());
        s.add("# fixture\nzanzibarite, test fixture mineral\n");
        assert_eq!(alternatives(&s, "zanzibarite"), ["test fixture mineral"]);
    }

    #[test]
    fn lazy_expansion_equals_expansion_over_every_group() {
        let s = Synonyms::load(None).expect("built-in synonyms");
        let all: Vec<usize> = (0..s.groups.len()).collect();
        // Every expression alone, in a sentence, and next to the next
        // group's first expression.
        let mut queries: Vec<String> = Vec::new();
        for (g, group) in s.groups.iter().enumerate() {
            let next = s.groups.get(g + 1).map_or("", |n| &*n[0]);
            for expression in group.iter() {
                queries.push(expression.to_string());
                queries.push(format!("the role of {expression} in 2018"));
                queries.push(format!("{expression} {next}"));
            }
        }
        queries.push("Ünödc, Caf\u{e9} and TERRORISTS financing".into());
        for query in &queries {
            let t = terms(query);
            assert_eq!(s.expand(&t), s.expand_over(&t, all.clone()), "{query}");
        }
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
