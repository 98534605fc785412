//! Query compilation: a parsed query ([`super::query`]) and the vocabulary
//! → the tantivy query that decides the match set, the clauses that only
//! re-rank its best candidates, and the terms to highlight.

use anyhow::Result;
use tantivy::Searcher;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery,
    Occur as TantivyOccur, PhraseQuery, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::MatchMode;
use super::at_least::AtLeast;
use super::passages::HighlightTerm;
use super::query::{Clause, Node, Occur, Scope};
use crate::analysis::Analyzer;
use crate::index::{Fields, OpenIndex};
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

/// One concept of the query's top group: its words as the user wrote them,
/// the query a session matches it by, and how much it says (the idf
/// weight `most` uses).
pub(super) struct Concept {
    pub(super) label: String,
    pub(super) query: Box<dyn Query>,
    pub(super) weight: f32,
}

/// A concept of a run of free words, with its estimated document frequency.
struct RunConcept {
    query: Box<dyn Query>,
    df: u64,
    label: String,
}

/// Translates the parsed query into a tantivy query, collecting the terms
/// to highlight on the way.
pub(super) struct QueryBuilder<'a> {
    fields: Fields,
    vocabulary: &'a Vocabulary,
    synonyms: &'a Synonyms,
    stop_words: &'a StopWords,
    analyzer: Analyzer,
    searcher: &'a Searcher,
    fuzzy: bool,
    pub(super) highlights: Vec<HighlightTerm>,
    pub(super) also_searched: Vec<String>,
    /// Optional clauses that only re-rank the best candidates (proximity).
    pub(super) bonus: Vec<Box<dyn Query>>,
    /// Summed document frequencies of the words searched: about the
    /// postings the search reads.
    pub(super) postings: std::cell::Cell<u64>,
    /// The query has parts whose postings are not counted (every session,
    /// prefixes, typos).
    pub(super) open_ended: bool,
    /// Concepts of the top group, and how many of them a match needs.
    pub(super) concepts: usize,
    /// The top group's concepts as written, with their queries and
    /// weights: what a partial match is measured by ([`Concept`]).
    pub(super) top_concepts: Vec<Concept>,
    pub(super) mode: MatchMode,
    /// Set when the whole query is one parenthesized group: that group's
    /// words are the whole query's, and get its phrase tier.
    whole_query_group: bool,
    /// Every session the segments hold, deleted ones included: the `N` of
    /// the idf, so that a term's document frequency never exceeds it.
    sessions_held: f32,
}

impl<'a> QueryBuilder<'a> {
    pub(super) fn new(
        open: &OpenIndex,
        vocabulary: &'a Vocabulary,
        searcher: &'a Searcher,
        fuzzy: bool,
    ) -> QueryBuilder<'a> {
        QueryBuilder {
            fields: open.fields,
            vocabulary,
            synonyms: &vocabulary.synonyms,
            stop_words: &vocabulary.stop_words,
            analyzer: vocabulary.query_analyzer(),
            searcher,
            fuzzy,
            highlights: Vec::new(),
            also_searched: Vec::new(),
            bonus: Vec::new(),
            postings: std::cell::Cell::new(0),
            open_ended: false,
            concepts: 0,
            top_concepts: Vec::new(),
            mode: MatchMode::Any,
            whole_query_group: false,
            sessions_held: searcher
                .segment_readers()
                .iter()
                .map(|r| u64::from(r.max_doc()))
                .sum::<u64>()
                .max(1) as f32,
        }
    }
}

impl QueryBuilder<'_> {
    /// Inverse document frequency of a body term, the weight of its
    /// highlights when choosing passages.
    fn idf(&self, term: &str) -> f32 {
        let df = self.df(term);
        self.postings.set(self.postings.get() + df);
        self.idf_of(df)
    }

    /// The sessions holding `term` in the body. Deleted sessions count
    /// until their segment is merged, as in tantivy's own BM25.
    fn df(&self, term: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(self.fields.body, term))
            .unwrap_or(0)
    }

    /// BM25's idf of a document frequency over `sessions_held`: always
    /// positive.
    fn idf_of(&self, df: u64) -> f32 {
        let n = self.sessions_held;
        let df = (df as f32).min(n);
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The document frequency of the rarest of `terms` (0 for none).
    fn rarest<'t>(&self, terms: impl Iterator<Item = &'t String>) -> u64 {
        terms.map(|t| self.df(t)).min().unwrap_or(0)
    }

    fn text_fields(&self, scope: Scope) -> Vec<(Field, f32)> {
        let f = &self.fields;
        match scope {
            Scope::Title => vec![(f.title, 1.0)],
            Scope::Session => vec![(f.session, 1.0)],
            // The body carries the title and the session heading too, so it
            // alone decides what matches; see `bonus_fields`.
            _ => vec![(f.body, 1.0)],
        }
    }

    /// Fields whose matches re-rank the best candidates of a free-text
    /// search: a word in the title or the session heading weighs more
    /// than the same word in the body.
    fn bonus_fields(&self, scope: Scope) -> Vec<(Field, f32)> {
        let f = &self.fields;
        match scope {
            Scope::All => vec![(f.title, TITLE_BOOST), (f.heading, SESSION_BOOST)],
            _ => Vec::new(),
        }
    }

    /// Adds a term (or phrase, for several terms) in each bonus field to
    /// the re-ranking clauses.
    fn add_bonus(&mut self, scope: Scope, terms: &[String]) {
        for (field, boost) in self.bonus_fields(scope) {
            let q: Box<dyn Query> = match terms {
                [term] => Box::new(TermQuery::new(
                    Term::from_field_text(field, term),
                    IndexRecordOption::WithFreqs,
                )),
                _ => phrase_query(field, terms),
            };
            self.bonus.push(boosted(q, boost));
        }
    }

    /// The query of the whole parsed query: its top group's concepts
    /// combined as `mode` says (the other groups keep their operators).
    pub(super) fn top(&mut self, node: &Node, mode: MatchMode) -> Result<Box<dyn Query>> {
        match node {
            Node::Group(clauses) => {
                self.whole_query_group =
                    matches!(clauses.as_slice(), [only] if matches!(only.node, Node::Group(_)));
                self.group(clauses, false, Some(mode))
            }
            other => {
                self.concepts = 1;
                self.node(other, false)
            }
        }
    }

    pub(super) fn node(&mut self, node: &Node, negated: bool) -> Result<Box<dyn Query>> {
        match node {
            Node::All => {
                self.open_ended = true;
                Ok(Box::new(AllQuery))
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
    ) -> Result<Box<dyn Query>> {
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
        let mut fixed: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::new();
        let mut concepts: Vec<Box<dyn Query>> = Vec::new();
        // Each concept's estimated document frequency, where its shape is
        // known (`most` weighs concepts by it).
        let mut dfs: Vec<Option<u64>> = Vec::new();
        let mut labels: Vec<String> = Vec::new();
        let mut i = 0;
        while i < kept.len() {
            let clause = kept[i];
            match clause.occur {
                Occur::MustNot => {
                    fixed.push((TantivyOccur::MustNot, self.node(&clause.node, true)?))
                }
                Occur::Must => fixed.push((TantivyOccur::Must, self.node(&clause.node, negated)?)),
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
            return Ok(Box::new(EmptyQuery));
        }
        if !negated {
            self.proximity(clauses, &is_stop, keep_all, whole);
        }
        let n = concepts.len();
        if let Some(mode) = mode {
            self.concepts = n;
            let mode = mode.resolve(n);
            self.mode = mode;
            let weights = self.concept_weights(&concepts, &dfs);
            self.top_concepts = concepts
                .iter()
                .zip(&weights)
                .zip(labels)
                .map(|((query, weight), label)| Concept {
                    label,
                    query: query.box_clone(),
                    weight: *weight,
                })
                .collect();
            let occur = match mode {
                MatchMode::All | MatchMode::Auto => TantivyOccur::Must,
                MatchMode::Most | MatchMode::Any => TantivyOccur::Should,
            };
            let positive =
                !concepts.is_empty() || fixed.iter().any(|(o, _)| *o == TantivyOccur::Must);
            if mode == MatchMode::Most && n > 0 {
                let threshold = most_threshold(&weights, most_of(n));
                let most: Box<dyn Query> =
                    Box::new(AtLeast::weighted(concepts, weights, threshold));
                if fixed.is_empty() {
                    return Ok(most);
                }
                fixed.push((TantivyOccur::Must, most));
                return Ok(Box::new(BooleanQuery::new(fixed)));
            }
            fixed.extend(concepts.into_iter().map(|q| (occur, q)));
            if !positive {
                // Only exclusions: exclude from everything.
                self.open_ended = true;
                fixed.push((TantivyOccur::Must, Box::new(AllQuery)));
            }
            return Ok(Box::new(BooleanQuery::new(fixed)));
        }
        let positive = !concepts.is_empty() || fixed.iter().any(|(o, _)| *o == TantivyOccur::Must);
        fixed.extend(concepts.into_iter().map(|q| (TantivyOccur::Should, q)));
        if !positive {
            self.open_ended = true;
            fixed.push((TantivyOccur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(fixed)))
    }

    /// How much each concept says: the idf of its estimated document
    /// frequency (`dfs`, from the concept's shape where known), else of its
    /// rarest body term (a phrase is at least as rare as its rarest word).
    /// A concept with no term to go by (a prefix, a typo query) weighs the
    /// mean of the others.
    fn concept_weights(&self, concepts: &[Box<dyn Query>], dfs: &[Option<u64>]) -> Vec<f32> {
        let body = self.fields.body;
        let weights: Vec<Option<f32>> = concepts
            .iter()
            .enumerate()
            .map(|(i, concept)| {
                if let Some(Some(df)) = dfs.get(i) {
                    return Some(self.idf_of(*df));
                }
                let mut rarest: Option<u64> = None;
                concept.query_terms(&mut |term, _| {
                    if term.field() != body {
                        return;
                    }
                    let df = self.searcher.doc_freq(term).unwrap_or(0);
                    rarest = Some(rarest.map_or(df, |r| r.min(df)));
                });
                rarest.map(|df| self.idf_of(df))
            })
            .collect();
        let known: Vec<f32> = weights.iter().flatten().copied().collect();
        let mean = if known.is_empty() {
            1.0
        } else {
            known.iter().sum::<f32>() / known.len() as f32
        };
        weights.into_iter().map(|w| w.unwrap_or(mean)).collect()
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
                    let df = self.rarest(pieces.iter());
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
            let mut either: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::new();
            let mut df = self.rarest(content.iter().copied());
            if content.len() >= 2 {
                self.bonus.push(phrase);
            } else {
                either.push((TantivyOccur::Should, phrase));
            }
            // The words themselves are highlighted too, so that the passage
            // shown is one where they stand close together.
            for term in &content {
                let weight = self.idf(term);
                self.highlights.push(HighlightTerm {
                    terms: vec![(*term).clone()],
                    weight,
                    prefix: false,
                    fuzzy: None,
                });
            }
            if let [first, second] = content[..] {
                // Both words at offset 0: tantivy's slop is the distance
                // between their positions in either order, so one query
                // matches what the two orders within `NEAR_SLOP` words
                // would, reading each session's positions once.
                let terms = vec![
                    (0, Term::from_field_text(self.fields.body, first)),
                    (0, Term::from_field_text(self.fields.body, second)),
                ];
                let near = PhraseQuery::new_with_offset_and_slop(terms, NEAR_SLOP + 1);
                either.push((TantivyOccur::Should, Box::new(near)));
            } else if content.len() > 2 {
                for order in [content.clone(), content.iter().rev().copied().collect()] {
                    let terms: Vec<(usize, Term)> = order
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (i, Term::from_field_text(self.fields.body, t)))
                        .collect();
                    let near = PhraseQuery::new_with_offset_and_slop(terms, NEAR_SLOP);
                    either.push((TantivyOccur::Should, Box::new(near)));
                }
            }
            for alternative in alternatives {
                if !self.also_searched.contains(&alternative.text) {
                    self.also_searched.push(alternative.text.clone());
                }
                let q = self.terms_phrase(Scope::All, alternative.terms.clone(), false)?;
                either.push((TantivyOccur::Should, q));
                let alternative_content = alternative
                    .terms
                    .iter()
                    .filter(|t| !self.stop_words.contains(t));
                df = df.saturating_add(self.rarest(alternative_content));
                if alternative.terms.len() > 1 {
                    for t in &alternative.terms {
                        if self.stop_words.contains(t) || own_terms.contains(t) {
                            continue;
                        }
                        let loose: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(self.fields.body, t),
                            IndexRecordOption::WithFreqs,
                        ));
                        self.bonus.push(boosted(loose, LOOSE_SYNONYM_WEIGHT));
                    }
                }
            }
            let label = words[w..end].join(" ");
            concepts.push(RunConcept {
                query: Box::new(BooleanQuery::new(either)),
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
            let phrase = phrase_query(self.fields.body, &terms);
            self.bonus
                .push(Box::new(ConstScoreQuery::new(phrase, PHRASE_TIER)));
        }
        for pair in terms.windows(2).take(MAX_PROXIMITY_PAIRS) {
            if pair[0] == pair[1] {
                continue;
            }
            let phrase = PhraseQuery::new_with_offset_and_slop(
                vec![
                    (0, Term::from_field_text(self.fields.body, &pair[0])),
                    (1, Term::from_field_text(self.fields.body, &pair[1])),
                ],
                PROXIMITY_SLOP,
            );
            self.bonus.push(Box::new(BoostQuery::new(
                Box::new(phrase),
                PROXIMITY_WEIGHT,
            )));
        }
    }

    fn exact_filter(&mut self, scope: Scope, text: &str) -> Result<Box<dyn Query>> {
        let f = self.fields;
        let (field, value) = match scope {
            Scope::Crime => (f.crime, super::filters::crime_slug(self.vocabulary, text)?),
            Scope::Org => (f.org, super::filters::org_name(self.vocabulary, text)?),
            _ => (f.year, text.to_string()),
        };
        Ok(Box::new(TermQuery::new(
            Term::from_field_text(field, &value),
            IndexRecordOption::Basic,
        )))
    }

    fn word(
        &mut self,
        scope: Scope,
        text: &str,
        prefix: bool,
        fuzzy: Option<u8>,
        negated: bool,
    ) -> Result<Box<dyn Query>> {
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
            self.highlights.push(HighlightTerm {
                terms: vec![term.clone()],
                weight: self.idf(term),
                prefix,
                fuzzy,
            });
        }
        self.open_ended |= prefix || fuzzy.is_some();
        let mut per_field: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in self.text_fields(scope) {
            let t = Term::from_field_text(field, term);
            let q: Box<dyn Query> = if prefix {
                // Not into the index's glue pairs ("in persons"): only
                // words' terms lack a space.
                let pattern = format!("{}[^ ]*", regex_escape(term));
                Box::new(
                    RegexQuery::from_pattern(&pattern, field)
                        .map_err(|e| anyhow::anyhow!("prefix {text}*: {e}"))?,
                )
            } else if let Some(d) = fuzzy {
                // Exact matches should still win over near misses.
                let near: Box<dyn Query> = Box::new(FuzzyTermQuery::new(t.clone(), d, true));
                let exact: Box<dyn Query> =
                    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
                Box::new(BooleanQuery::new(vec![
                    (TantivyOccur::Should, exact),
                    (TantivyOccur::Should, Box::new(BoostQuery::new(near, 0.5))),
                ]))
            } else {
                Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs))
            };
            per_field.push((TantivyOccur::Should, boosted(q, boost)));
        }
        if !negated && !prefix && fuzzy.is_none() {
            self.add_bonus(scope, std::slice::from_ref(term));
        }
        Ok(single_or_union(per_field))
    }

    fn phrase(&mut self, scope: Scope, text: &str, negated: bool) -> Result<Box<dyn Query>> {
        if matches!(scope, Scope::Crime | Scope::Org | Scope::Year) {
            return self.exact_filter(scope, text);
        }
        let terms = self.analyzer.terms(text);
        self.terms_phrase(scope, terms, negated)
    }

    fn terms_phrase(
        &mut self,
        scope: Scope,
        terms: Vec<String>,
        negated: bool,
    ) -> Result<Box<dyn Query>> {
        match terms.len() {
            0 => return Ok(Box::new(EmptyQuery)),
            1 => return self.word(scope, &terms[0], false, None, negated),
            _ => {}
        }
        if !negated {
            let weight = terms.iter().map(|t| self.idf(t)).sum();
            self.highlights.push(HighlightTerm {
                terms: terms.clone(),
                weight,
                prefix: false,
                fuzzy: None,
            });
        }
        let mut per_field: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in self.text_fields(scope) {
            per_field.push((
                TantivyOccur::Should,
                boosted(phrase_query(field, &terms), boost),
            ));
        }
        if !negated {
            self.add_bonus(scope, &terms);
        }
        Ok(single_or_union(per_field))
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
pub(super) fn most_of(n: usize) -> usize {
    (n * MOST_SHARE_PERCENT).div_ceil(100).max(2).min(n.max(1))
}

/// The terms of a phrase as the index has them, with their offsets: a glue
/// term and the term after it are one pair at the glue term's offset (see
/// [`crate::analysis::GLUE_TERMS`]), which stands for both.
fn phrase_terms(field: Field, terms: &[String]) -> Vec<(usize, Term)> {
    use crate::analysis::{glue_into, is_glue};
    let mut out = Vec::with_capacity(terms.len());
    let mut pair = String::new();
    for (i, term) in terms.iter().enumerate() {
        match terms.get(i + 1) {
            Some(next) if is_glue(term) => {
                glue_into(term, next, &mut pair);
                out.push((i, Term::from_field_text(field, &pair)));
            }
            // Stood for by the pair before it.
            _ if i > 0 && is_glue(&terms[i - 1]) => {}
            _ => out.push((i, Term::from_field_text(field, term))),
        }
    }
    out
}

/// A query for `terms` (two or more) one after another in `field`.
fn phrase_query(field: Field, terms: &[String]) -> Box<dyn Query> {
    let mut terms = phrase_terms(field, terms);
    match terms.len() {
        0 => Box::new(EmptyQuery),
        1 => match terms.pop() {
            Some((_, term)) => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            None => Box::new(EmptyQuery),
        },
        _ => Box::new(PhraseQuery::new_with_offset(terms)),
    }
}

/// The one query of a single-field search as is, or a union of the fields.
fn single_or_union(mut per_field: Vec<(TantivyOccur, Box<dyn Query>)>) -> Box<dyn Query> {
    if per_field.len() == 1
        && let Some((_, q)) = per_field.pop()
    {
        return q;
    }
    Box::new(BooleanQuery::new(per_field))
}

pub(super) fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A filter matching any of `values` exactly, contributing no score.
pub(super) fn any_of(field: Field, values: &[String]) -> Option<Box<dyn Query>> {
    if values.is_empty() {
        return None;
    }
    let terms: Vec<Term> = values
        .iter()
        .map(|v| Term::from_field_text(field, v))
        .collect();
    Some(Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new_multiterms_query(terms)),
        0.0,
    )))
}

#[cfg(test)]
mod tests {

    #[test]
    fn most_needs_the_weight_of_the_least_informative_concepts() {
        let weights = [3.0, 0.5, 1.0, 0.25];
        assert_eq!(super::most_threshold(&weights, 2), 0.75);
        assert_eq!(super::most_threshold(&weights, 4), 4.75);
        assert_eq!(super::most_threshold(&[], 2), 0.0);
    }

    use super::*;

    #[test]
    fn phrases_use_the_glue_pairs_of_the_index() {
        let field = crate::index::schema().1.body;
        let terms =
            |words: &[&str]| -> Vec<String> { words.iter().map(|w| w.to_string()).collect() };
        let shown = |words: &[&str]| -> Vec<(usize, String)> {
            phrase_terms(field, &terms(words))
                .into_iter()
                .map(|(offset, term)| (offset, term.value().as_str().unwrap_or("").to_string()))
                .collect()
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
}
