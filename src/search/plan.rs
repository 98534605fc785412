//! The resolved plan of a query: a parsed query ([`super::query`]), its
//! filters and the vocabulary → what a session must hold to match, in
//! terms of the index (the analyzer's terms, phrases, prefixes, canonical
//! facet values), the clauses that only re-rank, and the terms to
//! highlight. Every rule of what a query means lives here once: concepts
//! and their synonym expansions, stop words, the match rule (`all`,
//! `most` with its weighted threshold, `any`), the weights. Both engines
//! read the plan: the local index through [`super::compile`], a Quickwit
//! node through `crate::backend::quickwit`; each only says how an
//! [`Expr`] is written for it.
//!
//! The weights come from document frequencies that the engine supplies
//! ([`Stats`]), so a remote node weighs concepts by its own counts, with
//! the same code.

use anyhow::Result;

use super::facet::Facet;
use super::passages::HighlightTerm;
use super::query::{self, Clause, Node, Occur, Scope};
use super::{MatchMode, SearchRequest};
use crate::analysis::{Analyzer, glue_into, is_glue};
use crate::synonyms::Synonyms;
use crate::vocabulary::{StopWords, Vocabulary};

/// Weights of the fields searched by free text, on top of the body. The
/// title is part of every session's body and a session's heading is its
/// first passage, so these are bonuses: a word in the title or the heading
/// weighs more than one in the body, without letting the title outweigh
/// everything the session says (BENCHMARKS.md has the Cranfield runs).
const TITLE_BOOST: f32 = 0.25;
const SESSION_BOOST: f32 = 1.5;

/// Proximity bonus: consecutive query words within this many positions of
/// each other, in order, add a phrase score with this weight.
const PROXIMITY_SLOP: u32 = 5;
const PROXIMITY_WEIGHT: f32 = 0.25;
/// The score added to a session holding a short query (up to
/// `MAX_TIER_TERMS` terms) as a phrase.
const PHRASE_TIER: f32 = 100.0;
const MAX_TIER_TERMS: usize = 4;
/// How far apart the content words of an expression may stand and still
/// match as it (positions between them, in either order).
const NEAR_SLOP: u32 = 4;
/// Pairs considered, so that a pasted page of text stays fast.
const MAX_PROXIMITY_PAIRS: usize = 32;

/// Share of a long query's concepts that a session needs in `most` mode,
/// in percent (BENCHMARKS.md has the Cranfield runs that chose it).
const MOST_SHARE_PERCENT: usize = 10;

/// Weight of the separate words of a multi-word synonym, relative to the
/// synonym as a phrase; they only re-rank.
const LOOSE_SYNONYM_WEIGHT: f32 = 0.3;

/// A text field searched by terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Session,
    /// The session's label where it is a topical heading (re-ranking only).
    Heading,
    /// The session's whole text (with the title and heading).
    Body,
}

/// A node of the plan: what a session must hold, in the index's terms.
/// Optional clauses of a [`Expr::Bool`] with a required one only score,
/// as in tantivy's boolean query.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Every session.
    All,
    /// No session.
    Empty,
    Term {
        field: Field,
        term: String,
    },
    /// `terms` one after another; with `slop`, within that many moves.
    Phrase {
        field: Field,
        terms: Vec<String>,
        slop: u32,
    },
    /// Two terms at most `slop` positions apart, in either order.
    Near {
        field: Field,
        terms: [String; 2],
        slop: u32,
    },
    /// Any term starting with `term` (a word's term, never a glue pair).
    Prefix {
        field: Field,
        term: String,
    },
    /// `term` exactly, or within `distance` edits (scored lower).
    Fuzzy {
        field: Field,
        term: String,
        distance: u8,
    },
    /// A facet's canonical value, as a query operand (`crime:`, `org:`,
    /// `year:`).
    Facet {
        facet: Facet,
        value: String,
    },
    /// Any of a facet's canonical values (`None`: briefing paths); a filter
    /// only, without score.
    Filter {
        facet: Option<Facet>,
        values: Vec<String>,
    },
    Bool(Vec<(Occur, Expr)>),
    /// The clauses whose weights, for those a session holds, add up to
    /// `threshold` (see [`reaches`]).
    AtLeast {
        clauses: Vec<Expr>,
        weights: Vec<f32>,
        threshold: f32,
    },
    /// A score multiplied.
    Boost(Box<Expr>, f32),
    /// A constant score.
    Const(Box<Expr>, f32),
}

impl Expr {
    fn phrase(field: Field, terms: Vec<String>, slop: u32) -> Expr {
        Expr::Phrase { field, terms, slop }
    }

    /// Any of `alternatives`.
    fn any(alternatives: Vec<Expr>) -> Expr {
        Expr::Bool(
            alternatives
                .into_iter()
                .map(|e| (Occur::Should, e))
                .collect(),
        )
    }

    fn boosted(self, boost: f32) -> Expr {
        if (boost - 1.0).abs() < f32::EPSILON {
            self
        } else {
            Expr::Boost(Box::new(self), boost)
        }
    }

    /// The body terms the expression reads (a phrase's as the index pairs
    /// them, see [`glued`]), excluded ones included: what a concept's
    /// weight goes by.
    pub fn body_terms(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.body_terms_into(&mut out);
        out
    }

    fn body_terms_into(&self, out: &mut Vec<String>) {
        match self {
            Expr::Term {
                field: Field::Body,
                term,
            }
            | Expr::Fuzzy {
                field: Field::Body,
                term,
                ..
            } => out.push(term.clone()),
            Expr::Phrase {
                field: Field::Body,
                terms,
                slop,
            } => {
                if *slop == 0 {
                    out.extend(glued(terms).into_iter().map(|(_, t)| t));
                } else {
                    out.extend(terms.iter().cloned());
                }
            }
            Expr::Near {
                field: Field::Body,
                terms,
                ..
            } => out.extend(terms.iter().cloned()),
            Expr::Bool(clauses) => clauses.iter().for_each(|(_, e)| e.body_terms_into(out)),
            Expr::AtLeast { clauses, .. } => clauses.iter().for_each(|e| e.body_terms_into(out)),
            Expr::Boost(inner, _) | Expr::Const(inner, _) => inner.body_terms_into(out),
            _ => {}
        }
    }
}

/// The terms of a phrase as the index has them, with their offsets: a glue
/// term and the term after it are one pair at the glue term's offset (see
/// [`crate::analysis::GLUE_TERMS`]), which stands for both. A node without
/// the pairs answers the phrase of the single terms alike.
pub fn glued(terms: &[String]) -> Vec<(usize, String)> {
    let mut out = Vec::with_capacity(terms.len());
    let mut pair = String::new();
    for (i, term) in terms.iter().enumerate() {
        match terms.get(i + 1) {
            Some(next) if is_glue(term) => {
                glue_into(term, next, &mut pair);
                out.push((i, pair.clone()));
            }
            // Stood for by the pair before it.
            _ if i > 0 && is_glue(&terms[i - 1]) => {}
            _ => out.push((i, term.clone())),
        }
    }
    out
}

/// The share of the threshold a sum of weights may fall short by and
/// still reach it (float sums added in another order).
const SLACK: f32 = 1e-5;

/// The least sum of weights that reaches `threshold` (a threshold that is
/// not positive: any clause held).
pub fn reachable(threshold: f32) -> f32 {
    threshold.max(0.0) * (1.0 - SLACK)
}

/// Whether `sum`, the weights of the clauses a session holds (at least
/// one), reaches `threshold`.
pub fn reaches(sum: f32, threshold: f32) -> bool {
    sum >= reachable(threshold)
}

/// The minimal sets of clauses (indices into `weights`) whose weights
/// reach `threshold` ([`reaches`]): a session matches an
/// [`Expr::AtLeast`] exactly when it holds every clause of one of them.
/// `None` when there are more than `limit`.
///
/// Clauses are added heaviest first, so a set is recorded the moment it
/// reaches the threshold, and is then minimal: without its lightest
/// clause it fell short, and without any other it falls shorter.
pub fn minimal_sets(weights: &[f32], threshold: f32, limit: usize) -> Option<Vec<Vec<usize>>> {
    let weights: Vec<f32> = weights.iter().map(|w| w.max(0.0)).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
    // What the clauses from each place of `order` on weigh together.
    let mut rest = vec![0.0f32; order.len() + 1];
    for i in (0..order.len()).rev() {
        rest[i] = rest[i + 1] + weights[order[i]];
    }
    let mut walk = Walk {
        order,
        weights,
        rest,
        reach: reachable(threshold),
        limit,
        current: Vec::new(),
        out: Vec::new(),
    };
    walk.from(0, 0.0).then_some(walk.out)
}

/// The search of [`minimal_sets`].
struct Walk {
    order: Vec<usize>,
    weights: Vec<f32>,
    rest: Vec<f32>,
    reach: f32,
    limit: usize,
    current: Vec<usize>,
    out: Vec<Vec<usize>>,
}

impl Walk {
    /// Extends the current set with clauses from place `from` of the
    /// order on; false once the limit is passed.
    fn from(&mut self, from: usize, sum: f32) -> bool {
        for place in from..self.order.len() {
            if sum + self.rest[place] < self.reach {
                return true;
            }
            let clause = self.order[place];
            self.current.push(clause);
            let with = sum + self.weights[clause];
            if with >= self.reach {
                if self.out.len() == self.limit {
                    return false;
                }
                let mut set = self.current.clone();
                set.sort_unstable();
                self.out.push(set);
            } else if !self.from(place + 1, with) {
                return false;
            }
            self.current.pop();
        }
        true
    }
}

/// What an engine tells the plan about its sessions.
pub trait Stats {
    /// The sessions holding the body term `term`; a glue pair ("in
    /// person") counts the sessions where its two terms stand together.
    fn df(&self, term: &str) -> Result<u64>;
    /// The `N` of the idf: every session held.
    fn sessions(&self) -> f32;
}

/// BM25's idf of a document frequency over `sessions`: always positive.
pub fn idf(df: u64, sessions: f32) -> f32 {
    let n = sessions.max(1.0);
    let df = (df as f32).min(n);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// One concept of the query's top group: its words as the user wrote them,
/// what a session matches it by, and how much it says (the idf weight
/// `most` uses).
#[derive(Debug, Clone)]
pub struct Concept {
    pub label: String,
    pub expr: Expr,
    pub weight: f32,
}

/// A concept of a run of free words, with its estimated document frequency.
struct RunConcept {
    query: Expr,
    df: u64,
    label: String,
}

/// A query and its filters, resolved.
#[derive(Debug, Clone)]
pub struct Plan {
    /// What a session must hold (the filters apart).
    pub query: Expr,
    /// The filters, each a required [`Expr::Filter`].
    pub filters: Vec<Expr>,
    /// Optional clauses that only re-rank the best candidates.
    pub bonus: Vec<Expr>,
    pub highlights: Vec<HighlightTerm>,
    /// Synonyms and expansions searched besides the query's words.
    pub also_searched: Vec<String>,
    /// The top group's concepts, with their weights.
    pub concepts: Vec<Concept>,
    /// The match rule the top group was resolved with.
    pub mode: MatchMode,
    /// The query has parts whose postings are not counted (every session,
    /// prefixes, typos).
    pub open_ended: bool,
    /// Summed document frequencies of the words searched: about the
    /// postings the search reads.
    pub postings: u64,
}

impl Plan {
    /// The query and the filters together, as one required expression.
    pub fn matching(&self) -> Expr {
        let mut clauses = vec![(Occur::Must, self.query.clone())];
        clauses.extend(self.filters.iter().cloned().map(|f| (Occur::Must, f)));
        Expr::Bool(clauses)
    }
}

/// Resolves a search request: its query parsed and resolved with the
/// vocabulary and `stats`, its filters to canonical values, its top group
/// combined as `request.mode` says.
pub fn resolve(
    vocabulary: &Vocabulary,
    stats: &dyn Stats,
    request: &SearchRequest,
) -> Result<Plan> {
    let parsed = query::parse(&request.query)?;
    let resolved = request.filters.resolve(vocabulary)?;
    let mut resolver = Resolver::new(vocabulary, stats, request.fuzzy);
    let query = resolver.top(&parsed, request.mode)?;
    let filters = resolved
        .by_facet()
        .filter(|(_, values)| !values.is_empty())
        .map(|(facet, values)| Expr::Filter {
            facet,
            values: values.to_vec(),
        })
        .collect();
    Ok(Plan {
        query,
        filters,
        bonus: resolver.bonus,
        highlights: resolver.highlights,
        also_searched: resolver.also_searched,
        concepts: resolver.concepts,
        mode: resolver.mode,
        open_ended: resolver.open_ended,
        postings: resolver.postings,
    })
}

/// The terms and phrases a query highlights (its positive words, phrases
/// and synonym expansions), for showing whole sessions.
pub fn highlights(
    vocabulary: &Vocabulary,
    stats: &dyn Stats,
    query_text: &str,
) -> Result<Vec<HighlightTerm>> {
    let parsed = query::parse(query_text)?;
    let mut resolver = Resolver::new(vocabulary, stats, false);
    resolver.node(&parsed, false)?;
    Ok(resolver.highlights)
}

/// Resolves the parsed query, collecting the terms to highlight on the way.
struct Resolver<'a> {
    vocabulary: &'a Vocabulary,
    synonyms: &'a Synonyms,
    stop_words: &'a StopWords,
    analyzer: Analyzer,
    stats: &'a dyn Stats,
    fuzzy: bool,
    highlights: Vec<HighlightTerm>,
    also_searched: Vec<String>,
    bonus: Vec<Expr>,
    postings: u64,
    open_ended: bool,
    concepts: Vec<Concept>,
    mode: MatchMode,
    /// Set when the whole query is one parenthesized group: that group's
    /// words are the whole query's, and get its phrase tier.
    whole_query_group: bool,
}

impl<'a> Resolver<'a> {
    fn new(vocabulary: &'a Vocabulary, stats: &'a dyn Stats, fuzzy: bool) -> Resolver<'a> {
        Resolver {
            vocabulary,
            synonyms: &vocabulary.synonyms,
            stop_words: &vocabulary.stop_words,
            analyzer: vocabulary.query_analyzer(),
            stats,
            fuzzy,
            highlights: Vec::new(),
            also_searched: Vec::new(),
            bonus: Vec::new(),
            postings: 0,
            open_ended: false,
            concepts: Vec::new(),
            mode: MatchMode::Any,
            whole_query_group: false,
        }
    }
}

impl Resolver<'_> {
    /// Inverse document frequency of a body term, the weight of its
    /// highlights when choosing passages.
    fn idf(&mut self, term: &str) -> Result<f32> {
        let df = self.stats.df(term)?;
        self.postings += df;
        Ok(self.idf_of(df))
    }

    /// BM25's idf of a document frequency over the sessions held: always
    /// positive.
    fn idf_of(&self, df: u64) -> f32 {
        idf(df, self.stats.sessions())
    }

    /// The document frequency of the rarest of `terms` (0 for none).
    fn rarest<'t>(&self, terms: impl Iterator<Item = &'t String>) -> Result<u64> {
        let mut rarest: Option<u64> = None;
        for term in terms {
            let df = self.stats.df(term)?;
            rarest = Some(rarest.map_or(df, |r| r.min(df)));
        }
        Ok(rarest.unwrap_or(0))
    }

    /// The field a word or phrase of `scope` is matched in. The body
    /// carries the title and the session heading too, so it alone decides
    /// what free text matches; see `bonus_fields`.
    fn text_field(scope: Scope) -> Field {
        match scope {
            Scope::Title => Field::Title,
            Scope::Session => Field::Session,
            _ => Field::Body,
        }
    }

    /// Fields whose matches re-rank the best candidates of a free-text
    /// search: a word in the title or the session heading weighs more
    /// than the same word in the body.
    fn bonus_fields(scope: Scope) -> Vec<(Field, f32)> {
        match scope {
            Scope::All => vec![(Field::Title, TITLE_BOOST), (Field::Heading, SESSION_BOOST)],
            _ => Vec::new(),
        }
    }

    /// Adds a term (or phrase, for several terms) in each bonus field to
    /// the re-ranking clauses.
    fn add_bonus(&mut self, scope: Scope, terms: &[String]) {
        for (field, boost) in Self::bonus_fields(scope) {
            let q = match terms {
                [term] => Expr::Term {
                    field,
                    term: term.clone(),
                },
                _ => Expr::phrase(field, terms.to_vec(), 0),
            };
            self.bonus.push(q.boosted(boost));
        }
    }

    /// The query of the whole parsed query: its top group's concepts
    /// combined as `mode` says (the other groups keep their operators).
    fn top(&mut self, node: &Node, mode: MatchMode) -> Result<Expr> {
        match node {
            Node::Group(clauses) => {
                self.whole_query_group =
                    matches!(clauses.as_slice(), [only] if matches!(only.node, Node::Group(_)));
                self.group(clauses, false, Some(mode))
            }
            other => self.node(other, false),
        }
    }

    fn node(&mut self, node: &Node, negated: bool) -> Result<Expr> {
        match node {
            Node::All => {
                self.open_ended = true;
                Ok(Expr::All)
            }
            Node::Group(clauses) => self.group(clauses, negated, None),
            Node::Phrase { scope, text } => self.phrase(*scope, text, negated),
            Node::Word {
                scope,
                text,
                prefix,
                fuzzy,
            } => self.word(*scope, text, *prefix, *fuzzy, negated),
        }
    }

    /// A group of clauses. At the top (`mode` given), each optional clause
    /// is a concept: a content word with its synonyms, a phrase, a scoped
    /// word, a parenthesized or OR-ed group; `mode` decides how many a
    /// session must contain. Inside parentheses, optional clauses are
    /// alternatives, as in any boolean query.
    fn group(
        &mut self,
        clauses: &[Clause],
        negated: bool,
        mode: Option<MatchMode>,
    ) -> Result<Expr> {
        // The phrase tier is the whole query's: the top group's, or the one
        // group the whole query is (taken by the first group built below
        // the top, which is that one).
        let whole = mode.is_some() || std::mem::take(&mut self.whole_query_group);
        let stop = self.stop_words;
        // Stop words go only if something else is left to search.
        let is_stop = |c: &Clause| {
            matches!(&c.node, Node::Word { scope: Scope::All, text, prefix: false, fuzzy: None }
                if c.occur == Occur::Should && stop.contains(text.to_lowercase().trim_matches(|ch: char| !ch.is_alphanumeric())))
        };
        let keep_all = clauses.iter().all(is_stop);
        // Stop words stay in runs of free words, where a synonym group's
        // expression may need them ("Office on Drugs and Crime").
        let kept: Vec<&Clause> = clauses
            .iter()
            .filter(|c| keep_all || !is_stop(c) || is_free_word(c))
            .collect();
        let mut fixed: Vec<(Occur, Expr)> = Vec::new();
        let mut concepts: Vec<Expr> = Vec::new();
        // Each concept's estimated document frequency, where its shape is
        // known (`most` weighs concepts by it).
        let mut dfs: Vec<Option<u64>> = Vec::new();
        let mut labels: Vec<String> = Vec::new();
        let mut i = 0;
        while i < kept.len() {
            let clause = kept[i];
            match clause.occur {
                Occur::MustNot => fixed.push((Occur::MustNot, self.node(&clause.node, true)?)),
                Occur::Must => fixed.push((Occur::Must, self.node(&clause.node, negated)?)),
                Occur::Should if !negated && is_free_word(clause) => {
                    // A run of free words: its synonym expansions may span
                    // several of them.
                    let start = i;
                    while i < kept.len() && is_free_word(kept[i]) {
                        i += 1;
                    }
                    let words: Vec<(&str, bool)> = kept[start..i]
                        .iter()
                        .filter_map(|c| match &c.node {
                            Node::Word { text, .. } => {
                                Some((text.as_str(), !keep_all && is_stop(c)))
                            }
                            _ => None,
                        })
                        .collect();
                    for concept in self.run_concepts(&words)? {
                        concepts.push(concept.query);
                        dfs.push(Some(concept.df));
                        labels.push(concept.label);
                    }
                    continue;
                }
                Occur::Should => {
                    concepts.push(self.node(&clause.node, negated)?);
                    dfs.push(None);
                    labels.push(node_label(&clause.node));
                }
            }
            i += 1;
        }
        if fixed.is_empty() && concepts.is_empty() {
            return Ok(Expr::Empty);
        }
        if !negated {
            self.proximity(clauses, &is_stop, keep_all, whole);
        }
        let n = concepts.len();
        if let Some(mode) = mode {
            let mode = mode.resolve(n);
            self.mode = mode;
            let weights = self.concept_weights(&concepts, &dfs)?;
            self.concepts = concepts
                .iter()
                .zip(&weights)
                .zip(labels)
                .map(|((expr, weight), label)| Concept {
                    label,
                    expr: expr.clone(),
                    weight: *weight,
                })
                .collect();
            let occur = match mode {
                MatchMode::All | MatchMode::Auto => Occur::Must,
                MatchMode::Most | MatchMode::Any => Occur::Should,
            };
            let positive = !concepts.is_empty() || fixed.iter().any(|(o, _)| *o == Occur::Must);
            if mode == MatchMode::Most && n > 0 {
                let threshold = most_threshold(&weights, most_of(n));
                let most = Expr::AtLeast {
                    clauses: concepts,
                    weights,
                    threshold,
                };
                if fixed.is_empty() {
                    return Ok(most);
                }
                fixed.push((Occur::Must, most));
                return Ok(Expr::Bool(fixed));
            }
            fixed.extend(concepts.into_iter().map(|q| (occur, q)));
            if !positive {
                // Only exclusions: exclude from everything.
                self.open_ended = true;
                fixed.push((Occur::Must, Expr::All));
            }
            return Ok(Expr::Bool(fixed));
        }
        let positive = !concepts.is_empty() || fixed.iter().any(|(o, _)| *o == Occur::Must);
        fixed.extend(concepts.into_iter().map(|q| (Occur::Should, q)));
        if !positive {
            self.open_ended = true;
            fixed.push((Occur::Must, Expr::All));
        }
        Ok(Expr::Bool(fixed))
    }

    /// How much each concept says: the idf of its estimated document
    /// frequency (`dfs`, from the concept's shape where known), else of its
    /// rarest body term (a phrase is at least as rare as its rarest word).
    /// A concept with no term to go by (a prefix, a typo query) weighs the
    /// mean of the others.
    fn concept_weights(&self, concepts: &[Expr], dfs: &[Option<u64>]) -> Result<Vec<f32>> {
        let mut weights: Vec<Option<f32>> = Vec::with_capacity(concepts.len());
        for (i, concept) in concepts.iter().enumerate() {
            if let Some(Some(df)) = dfs.get(i) {
                weights.push(Some(self.idf_of(*df)));
                continue;
            }
            let mut rarest: Option<u64> = None;
            for term in concept.body_terms() {
                let df = self.stats.df(&term)?;
                rarest = Some(rarest.map_or(df, |r| r.min(df)));
            }
            weights.push(rarest.map(|df| self.idf_of(df)));
        }
        let known: Vec<f32> = weights.iter().flatten().copied().collect();
        let mean = if known.is_empty() {
            1.0
        } else {
            known.iter().sum::<f32>() / known.len() as f32
        };
        Ok(weights.into_iter().map(|w| w.unwrap_or(mean)).collect())
    }

    /// The concepts of a run of free words: each word, or, where a synonym
    /// group's expression spans some of them, those words (all of them)
    /// or any of the group's other expressions, each as the phrase it is.
    /// The separate words of a multi-word expression only re-rank. Stop
    /// words (flagged) count only inside an expression.
    ///
    /// Each concept comes with its estimated document frequency: a word's
    /// is that of its rarest piece; a group's, the sum of its expressions'
    /// (an OR is as common as its alternatives together), each expression
    /// as rare as its rarest content word.
    /// The concepts of a run of free words: each word, or each run of words
    /// a synonym group expands, with its estimated document frequency and
    /// its words as written.
    fn run_concepts(&mut self, flagged: &[(&str, bool)]) -> Result<Vec<RunConcept>> {
        let words: Vec<&str> = flagged.iter().map(|(w, _)| *w).collect();
        let mut terms: Vec<String> = Vec::new();
        // The word of each term, and each word's first term.
        let mut owner: Vec<usize> = Vec::new();
        let mut first_term: Vec<usize> = Vec::new();
        for (w, word) in words.iter().enumerate() {
            first_term.push(terms.len());
            for term in self.analyzer.terms(word) {
                terms.push(term);
                owner.push(w);
            }
        }
        first_term.push(terms.len());
        // Expansions that start and end at word boundaries, by first word.
        let mut spans: Vec<Option<(usize, Vec<crate::synonyms::Expression>)>> =
            vec![None; words.len()];
        if !self.synonyms.is_empty() {
            for expansion in self.synonyms.expand(&terms) {
                let Some(&w) = owner.get(expansion.start) else {
                    continue;
                };
                let end = expansion.start + expansion.len;
                let Some(&last) = owner.get(end.saturating_sub(1)) else {
                    continue;
                };
                if first_term[w] == expansion.start && first_term[last + 1] == end {
                    spans[w] = Some((last + 1, expansion.alternatives));
                }
            }
        }
        let mut concepts = Vec::new();
        let mut w = 0;
        while w < words.len() {
            let Some((end, alternatives)) = spans[w].take() else {
                if !flagged[w].1 {
                    let pieces = self.analyzer.terms(words[w]);
                    let df = self.rarest(pieces.iter())?;
                    let query = self.word(Scope::All, words[w], false, None, false)?;
                    concepts.push(RunConcept {
                        query,
                        df,
                        label: words[w].to_string(),
                    });
                }
                w += 1;
                continue;
            };
            // The query's own words are an expression of the group too:
            // they match as the phrase they are, or with their content
            // words close together in either order ("trafficking in
            // persons, drugs and arms" for "arms trafficking").
            let own_terms: Vec<String> = terms[first_term[w]..first_term[end]].to_vec();
            let phrase = self.terms_phrase(Scope::All, own_terms.clone(), false)?;
            let content: Vec<&String> = own_terms
                .iter()
                .filter(|t| !self.stop_words.contains(t))
                .collect();
            // With two content words or more, the words close together in
            // order already match the exact phrase: it only re-ranks.
            let mut either: Vec<Expr> = Vec::new();
            let mut df = self.rarest(content.iter().copied())?;
            if content.len() >= 2 {
                self.bonus.push(phrase);
            } else {
                either.push(phrase);
            }
            // The words themselves are highlighted too, so that the passage
            // shown is one where they stand close together.
            for term in &content {
                let weight = self.idf(term)?;
                self.highlights.push(HighlightTerm {
                    terms: vec![(*term).clone()],
                    weight,
                    prefix: false,
                    fuzzy: None,
                });
            }
            if let [first, second] = content[..] {
                // Both words at one offset: within `NEAR_SLOP` words of
                // each other, in either order ([`Expr::Near`]).
                either.push(Expr::Near {
                    field: Field::Body,
                    terms: [first.clone(), second.clone()],
                    slop: NEAR_SLOP + 1,
                });
            } else if content.len() > 2 {
                for order in [content.clone(), content.iter().rev().copied().collect()] {
                    let terms: Vec<String> = order.into_iter().cloned().collect();
                    either.push(Expr::phrase(Field::Body, terms, NEAR_SLOP));
                }
            }
            for alternative in alternatives {
                if !self.also_searched.contains(&alternative.text) {
                    self.also_searched.push(alternative.text.clone());
                }
                let q = self.terms_phrase(Scope::All, alternative.terms.clone(), false)?;
                either.push(q);
                let alternative_content = alternative
                    .terms
                    .iter()
                    .filter(|t| !self.stop_words.contains(t));
                df = df.saturating_add(self.rarest(alternative_content)?);
                if alternative.terms.len() > 1 {
                    for t in &alternative.terms {
                        if self.stop_words.contains(t) || own_terms.contains(t) {
                            continue;
                        }
                        let loose = Expr::Term {
                            field: Field::Body,
                            term: t.clone(),
                        };
                        self.bonus.push(loose.boosted(LOOSE_SYNONYM_WEIGHT));
                    }
                }
            }
            let label = words[w..end].join(" ");
            concepts.push(RunConcept {
                query: Expr::any(either),
                df,
                label,
            });
            w = end;
        }
        Ok(concepts)
    }

    /// Rewards sessions where consecutive free-text words of the query
    /// occur close together, in order: "arms trafficking" ranks the session
    /// saying "arms trafficking" above one saying "trafficking in persons,
    /// drugs and arms".
    ///
    /// The phrase tier is for the whole query only (`top`): a parenthesized
    /// pair of words inside a long query is one concept among many, not
    /// what the query is about.
    fn proximity(
        &mut self,
        clauses: &[Clause],
        is_stop: &dyn Fn(&Clause) -> bool,
        keep_all: bool,
        top: bool,
    ) {
        let mut terms: Vec<String> = Vec::new();
        for clause in clauses {
            if clause.occur == Occur::MustNot || (!keep_all && is_stop(clause)) {
                continue;
            }
            if let Node::Word {
                scope: Scope::All,
                text,
                prefix: false,
                fuzzy: None,
            } = &clause.node
            {
                terms.extend(self.analyzer.terms(text));
            }
        }
        // A short query's words together and in order put a session
        // above every session where they are scattered, whatever their
        // lengths: a constant far above any BM25 score.
        if top && (2..=MAX_TIER_TERMS).contains(&terms.len()) {
            let phrase = Expr::phrase(Field::Body, terms.clone(), 0);
            self.bonus.push(Expr::Const(Box::new(phrase), PHRASE_TIER));
        }
        for pair in terms.windows(2).take(MAX_PROXIMITY_PAIRS) {
            if pair[0] == pair[1] {
                continue;
            }
            let phrase = Expr::phrase(Field::Body, pair.to_vec(), PROXIMITY_SLOP);
            self.bonus
                .push(Expr::Boost(Box::new(phrase), PROXIMITY_WEIGHT));
        }
    }

    /// A `crime:`, `org:` or `year:` operand: the facet's canonical value,
    /// resolved as the `--crime`, `--org`, `--year` filters resolve it.
    fn exact_filter(&mut self, scope: Scope, text: &str) -> Result<Expr> {
        let facet = match scope {
            Scope::Crime => Facet::Crime,
            Scope::Org => Facet::Org,
            _ => Facet::Year,
        };
        let value = super::filters::resolve_value(self.vocabulary, facet, text)?
            .unwrap_or_else(|| text.to_string());
        Ok(Expr::Facet { facet, value })
    }

    fn word(
        &mut self,
        scope: Scope,
        text: &str,
        prefix: bool,
        fuzzy: Option<u8>,
        negated: bool,
    ) -> Result<Expr> {
        if matches!(scope, Scope::Crime | Scope::Org | Scope::Year) {
            return self.exact_filter(scope, text);
        }
        let terms = self.analyzer.terms(text);
        if terms.len() != 1 {
            // "counter-terrorism", "AML/CFT": the parts, adjacent.
            return self.terms_phrase(scope, terms, negated);
        }
        let term = &terms[0];
        let fuzzy = fuzzy.or(if self.fuzzy && !prefix && term.chars().count() > 3 {
            Some(1)
        } else {
            None
        });
        if !negated {
            let weight = self.idf(term)?;
            self.highlights.push(HighlightTerm {
                terms: vec![term.clone()],
                weight,
                prefix,
                fuzzy,
            });
        }
        self.open_ended |= prefix || fuzzy.is_some();
        let field = Self::text_field(scope);
        let term = term.clone();
        let q = if prefix {
            Expr::Prefix {
                field,
                term: term.clone(),
            }
        } else if let Some(distance) = fuzzy {
            Expr::Fuzzy {
                field,
                term: term.clone(),
                distance,
            }
        } else {
            Expr::Term {
                field,
                term: term.clone(),
            }
        };
        if !negated && !prefix && fuzzy.is_none() {
            self.add_bonus(scope, std::slice::from_ref(&term));
        }
        Ok(q)
    }

    fn phrase(&mut self, scope: Scope, text: &str, negated: bool) -> Result<Expr> {
        if matches!(scope, Scope::Crime | Scope::Org | Scope::Year) {
            return self.exact_filter(scope, text);
        }
        let terms = self.analyzer.terms(text);
        self.terms_phrase(scope, terms, negated)
    }

    fn terms_phrase(&mut self, scope: Scope, terms: Vec<String>, negated: bool) -> Result<Expr> {
        match terms.len() {
            0 => return Ok(Expr::Empty),
            1 => return self.word(scope, &terms[0], false, None, negated),
            _ => {}
        }
        if !negated {
            let mut weight = 0.0;
            for t in &terms {
                weight += self.idf(t)?;
            }
            self.highlights.push(HighlightTerm {
                terms: terms.clone(),
                weight,
                prefix: false,
                fuzzy: None,
            });
        }
        let q = Expr::phrase(Self::text_field(scope), terms.clone(), 0);
        if !negated {
            self.add_bonus(scope, &terms);
        }
        Ok(q)
    }
}

/// Whether a clause is a plain optional word of free text: the kind that
/// synonym groups expand and that forms concepts of its own.
/// A concept's words as the user wrote them, for saying which concepts a
/// partial match lacks.
fn node_label(node: &Node) -> String {
    match node {
        Node::Word { text, prefix, .. } => {
            if *prefix {
                format!("{text}*")
            } else {
                text.clone()
            }
        }
        Node::Phrase { text, .. } => format!("\"{text}\""),
        Node::Group(clauses) => {
            let inner: Vec<String> = clauses.iter().map(|c| node_label(&c.node)).collect();
            format!("({})", inner.join(" "))
        }
        Node::All => "*".into(),
    }
}

fn is_free_word(clause: &Clause) -> bool {
    clause.occur == Occur::Should
        && matches!(
            clause.node,
            Node::Word {
                scope: Scope::All,
                prefix: false,
                fuzzy: None,
                ..
            }
        )
}

/// The weight a session's concepts must reach in `most` mode: that of the
/// `k` least informative concepts together (weights below zero count as
/// zero). A session holding `k` concepts always reaches it; one holding
/// fewer reaches it when they say as much (one rare concept instead of two
/// common ones).
fn most_threshold(weights: &[f32], k: usize) -> f32 {
    let mut sorted: Vec<f32> = weights.iter().map(|w| w.max(0.0)).collect();
    sorted.sort_by(f32::total_cmp);
    sorted.iter().take(k).sum()
}

/// How many of `n` concepts a long query needs in `most` mode.
pub fn most_of(n: usize) -> usize {
    (n * MOST_SHARE_PERCENT).div_ceil(100).max(2).min(n.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_needs_the_weight_of_the_least_informative_concepts() {
        let weights = [3.0, 0.5, 1.0, 0.25];
        assert_eq!(most_threshold(&weights, 2), 0.75);
        assert_eq!(most_threshold(&weights, 4), 4.75);
        assert_eq!(most_threshold(&[], 2), 0.0);
    }

    #[test]
    fn phrases_use_the_glue_pairs_of_the_index() {
        let shown = |words: &[&str]| -> Vec<(usize, String)> {
            let terms: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            glued(&terms)
        };
        let pairs = |expected: &[(usize, &str)]| -> Vec<(usize, String)> {
            expected.iter().map(|(o, t)| (*o, t.to_string())).collect()
        };
        assert_eq!(
            shown(&["traffick", "in", "person"]),
            pairs(&[(0, "traffick"), (1, "in person")])
        );
        assert_eq!(
            shown(&["weapon", "of", "mass", "destruct"]),
            pairs(&[(0, "weapon"), (1, "of mass"), (3, "destruct")])
        );
        // Glue after glue, and glue at the end.
        assert_eq!(
            shown(&["rule", "of", "in", "law", "of"]),
            pairs(&[(0, "rule"), (1, "of in"), (2, "in law"), (4, "of")])
        );
        assert_eq!(shown(&["in", "person"]), pairs(&[(0, "in person")]));
    }

    #[test]
    fn minimal_sets_are_exactly_the_sets_that_reach_the_threshold() {
        let weights = [3.0, 0.5, 1.0, 0.25, 1.0];
        let threshold = most_threshold(&weights, 2);
        let sets = minimal_sets(&weights, threshold, 100).expect("few");
        // Every subset of the clauses: it reaches the threshold exactly
        // when it holds one of the minimal sets.
        for mask in 1u32..(1 << weights.len()) {
            let held: Vec<usize> = (0..weights.len())
                .filter(|i| mask & (1 << i) != 0)
                .collect();
            let sum: f32 = held.iter().map(|&i| weights[i]).sum();
            let covered = sets.iter().any(|s| s.iter().all(|i| held.contains(i)));
            assert_eq!(reaches(sum, threshold), covered, "{held:?}");
        }
        assert_eq!(minimal_sets(&weights, threshold, 2), None);
        assert_eq!(
            minimal_sets(&[1.0, 1.0], 0.0, 10),
            Some(vec![vec![0], vec![1]])
        );
    }

    #[test]
    fn reaching_a_threshold_allows_for_float_order() {
        assert!(reaches(0.75, 0.75));
        assert!(reaches(0.749_999_9, 0.75));
        assert!(!reaches(0.7, 0.75));
        assert!(reaches(0.1, 0.0));
    }
}
