//! Search: query text and filters → ranked session hits with their best
//! passages, highlights and facet counts.

pub mod facets;
pub mod passages;
pub mod query;
mod top;

use std::collections::HashMap;
use std::time::Instant;

use anyhow::{Context, Result};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::EnableScoring;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery,
    Occur as TantivyOccur, PhraseQuery, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, DocSet, Searcher, SeekDangerResult, TantivyDocument, Term};

use crate::analysis::Analyzer;
use crate::index::{Fields, OpenIndex};
use crate::model::{Passage, session_key};
use crate::synonyms::Synonyms;
use crate::taxonomy::Taxonomy;

pub use facets::Facets;
pub use passages::{HighlightTerm, ShownPassage};
use query::{Clause, Node, Occur, Scope};

/// Weights of the fields searched by free text, on top of the body. The
/// title is already part of every session's body (see `index::session_body`)
/// and a session's heading is its first passage, so these are bonuses: a
/// word in the title or the heading weighs more than one in the body, but
/// the fields' scores add up, and a large title boost would let the title
/// outweigh everything the session says (measured on Cranfield: boosts of
/// 1–2 cost 0.02–0.03 nDCG@10).
const TITLE_BOOST: f32 = 0.25;
const SESSION_BOOST: f32 = 1.5;

/// Proximity bonus: consecutive query words within this many positions of
/// each other, in order, add a phrase score with this weight.
const PROXIMITY_SLOP: u32 = 5;
const PROXIMITY_WEIGHT: f32 = 0.25;
/// Pairs considered, so that a pasted page of text stays fast.
const MAX_PROXIMITY_PAIRS: usize = 32;

/// Candidates from the BM25 pass that proximity and feedback re-rank: at
/// least `RERANK_DEPTH`, and `RERANK_PER_HIT` per hit shown, so that a
/// long list gets as deep a pool as a page. Measured on Cranfield (run with
/// `--limit 100`): a flat 150 cost 0.01 R@100 against 300, with nDCG@10
/// unchanged; this rule gives that run 300. For the default 10 hits, 150
/// instead of 300 took 1-3 % off every query of the 20k benchmark.
const RERANK_DEPTH: usize = 150;
const RERANK_PER_HIT: usize = 3;

/// Pseudo-relevance feedback (RM3): the words that dominate the best
/// sessions of a first search re-rank the matches. Sessions read, words
/// added, and the share of the score left to the query's own words.
const FEEDBACK_DOCS: usize = 3;
/// Each term is a clause that re-ranking opens in every segment. On
/// Cranfield, 20 terms score as 30 did (nDCG@10 0.567, MAP 0.471, P@10
/// 0.345, R@100 0.799 → 0.800; 15 lose 0.001–0.002, 10 lose 0.003 nDCG
/// and 0.008 recall), and searches take 6–8 % less time.
const FEEDBACK_TERMS: usize = 20;
/// Feedback leaves out words found in more than this share of the
/// sessions: they add little to a score (BM25's idf of a word in half the
/// sessions is 0.69, and falls to 0 as the share grows), and their long
/// posting lists cost the most to re-rank with. Cranfield is unchanged
/// (nDCG@10 0.565, R@100 0.798 → 0.799).
const FEEDBACK_MAX_DF_SHARE: f64 = 0.5;
const FEEDBACK_QUERY_WEIGHT: f32 = 0.6;
/// Feedback needs a collection where the best few sessions are a sample of
/// one topic, not a large share of everything indexed.
const MIN_FEEDBACK_SESSIONS: u64 = 200;

/// Weight of the separate words of a multi-word synonym, relative to the
/// synonym as a phrase.
const LOOSE_SYNONYM_WEIGHT: f32 = 0.3;

/// A search to run.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    /// Session filter values as typed ("III", "3", "Session III").
    pub sessions: Vec<String>,
    /// Crime type slugs (validated by the caller).
    pub crimes: Vec<String>,
    /// Organization names (validated by the caller).
    pub orgs: Vec<String>,
    pub years: Vec<String>,
    pub limit: usize,
    /// Passages per hit.
    pub passages: usize,
    /// Tolerate typos in every word.
    pub fuzzy: bool,
}

/// One matching session.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    pub session: String,
    pub crimes: Vec<String>,
    pub orgs: Vec<String>,
    pub score: f32,
    /// The 1-based page of the best passage, for PDFs; `null` in JSON for
    /// formats without pages.
    pub page: Option<u32>,
    /// The best passage (possibly cut to a snippet).
    pub passage: String,
    /// Character ranges of `passage` to highlight.
    pub highlights: Vec<[usize; 2]>,
    /// Up to `--passages N` passages, best first (the first is `passage`).
    pub passages: Vec<ShownPassage>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    /// Number of matching sessions.
    pub total: u64,
    /// Number of briefings the matching sessions belong to.
    pub briefings: u64,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// Synonyms and acronym expansions searched besides the query's words.
    pub also_searched: Vec<String>,
}

/// The vocabulary a search runs with.
pub struct Vocabulary<'a> {
    pub taxonomy: &'a Taxonomy,
    pub synonyms: &'a Synonyms,
}

/// Runs a search on an opened index.
pub fn search(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let started = Instant::now();
    let parsed = query::parse(&request.query)?;
    let searcher = open.reader.searcher();
    let mut builder = QueryBuilder::new(open, vocabulary, &searcher, request.fuzzy);
    let main = builder.node(&parsed, false)?;
    let mut clauses: Vec<(TantivyOccur, Box<dyn Query>)> = vec![(TantivyOccur::Must, main)];
    let f = open.fields;
    let session_keys: Vec<String> = request.sessions.iter().map(|s| session_key(s)).collect();
    for (field, values) in [
        (f.session_key, &session_keys),
        (f.crime, &request.crimes),
        (f.org, &request.orgs),
        (f.year, &request.years),
    ] {
        if let Some(filter) = any_of(field, values) {
            clauses.push((TantivyOccur::Must, filter));
        }
    }
    // The query and the filters decide what matches; one pass over the
    // matches ranks them by BM25 and counts facets and totals.
    let matching: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
    let limit = request.limit.max(1);
    let collector = (
        top::TopSessions::with_limit(
            limit
                .max(RERANK_DEPTH)
                .max(limit.saturating_mul(RERANK_PER_HIT)),
        ),
        facets::FacetCollector::new(vocabulary.taxonomy),
        Count,
    );
    crate::trace::mark("query built");
    let postings = (!builder.open_ended).then(|| builder.postings.get());
    let executor = open.executor(postings);
    let (mut top, facets, total) = searcher
        .search_with_executor(
            &matching,
            &collector,
            &executor,
            EnableScoring::enabled_from_searcher(&searcher),
        )
        .context("the index is damaged or unreadable; run `ctsearch index --rebuild`")?;
    crate::trace::mark("matched, ranked and counted");
    // Then the best candidates are re-ranked with what is too costly to
    // compute for every match: word proximity and feedback.
    let mut bonus = std::mem::take(&mut builder.bonus);
    let mut stored = StoredSessions::new(f.passages);
    if !builder.highlights.is_empty() && searcher.num_docs() >= MIN_FEEDBACK_SESSIONS {
        let best = &top[..top.len().min(FEEDBACK_DOCS)];
        let query_terms = builder.highlights.len();
        if let Some(expansion) = feedback(&searcher, &f, &mut stored, best, query_terms)? {
            bonus.extend(expansion);
        }
    }
    crate::trace::mark("feedback terms");
    if !bonus.is_empty() {
        top = rerank(&searcher, bonus, top)?;
    }
    crate::trace::mark("re-ranked");
    top.truncate(limit);
    let highlights = builder.highlights;
    let also_searched = builder.also_searched;
    let mut analyzer = Analyzer::indexing();
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        hits.push(load_hit(
            &f,
            stored.get(&searcher, address)?,
            score,
            &highlights,
            &mut analyzer,
            request.passages,
        )?);
    }
    Ok(SearchResults {
        query: request.query.clone(),
        total: total as u64,
        briefings: facets.briefings,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        facets,
        also_searched,
    })
}

/// Facet counts (and totals) of every session of the index.
pub fn corpus_facets(open: &OpenIndex, vocabulary: &Vocabulary) -> Result<SearchResults> {
    search(
        open,
        vocabulary,
        &SearchRequest {
            query: "*".into(),
            limit: 1,
            passages: 1,
            ..SearchRequest::default()
        },
    )
}

/// The terms and phrases a query highlights (its positive words, phrases
/// and synonym expansions), for showing whole sessions.
pub fn highlight_terms(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    query_text: &str,
) -> Result<Vec<HighlightTerm>> {
    let parsed = query::parse(query_text)?;
    let searcher = open.reader.searcher();
    let mut builder = QueryBuilder::new(open, vocabulary, &searcher, false);
    builder.node(&parsed, false)?;
    Ok(builder.highlights)
}

/// The RM3 expansion of `query`: the `FEEDBACK_TERMS` body terms most
/// probable in its `FEEDBACK_DOCS` best sessions (each session's term
/// frequencies weighted by its share of their scores), as optional clauses
/// weighted so that they carry `1 - FEEDBACK_QUERY_WEIGHT` of the score of
/// the query's `query_terms` words. Stop words, numbers and words of more
/// than `FEEDBACK_MAX_DF_SHARE` of the sessions are left out.
fn feedback(
    searcher: &Searcher,
    f: &Fields,
    stored: &mut StoredSessions,
    top: &[(f32, DocAddress)],
    query_terms: usize,
) -> Result<Option<Vec<Box<dyn Query>>>> {
    let total: f32 = top.iter().map(|(score, _)| score).sum();
    if top.is_empty() || total <= 0.0 {
        return Ok(None);
    }
    // Stop words are recognised as words, before analysis: a third of a
    // text's words need no term then, and the stop list needs no analysis
    // (which cost 0.08 ms per search when its terms were compared).
    let stop = stop_words();
    let mut term = String::new();
    let mut lowered = String::new();
    let mut model: FxHashMap<String, f32> = FxHashMap::default();
    for (score, address) in top {
        let (_, passages) = stored.get(searcher, *address)?;
        let mut counts: FxHashMap<String, f32> = FxHashMap::default();
        let mut length = 0.0f32;
        for passage in passages {
            crate::analysis::for_each_word(&passage.text, |word| {
                length += 1.0;
                lowered.clear();
                lowered.extend(word.chars().map(|c| c.to_ascii_lowercase()));
                if stop.contains(lowered.as_str())
                    || !crate::analysis::normalize_into(word, &mut term)
                {
                    return;
                }
                if term.chars().count() > 1 && !term.chars().all(|c| c.is_ascii_digit()) {
                    match counts.get_mut(term.as_str()) {
                        Some(count) => *count += 1.0,
                        None => {
                            counts.insert(term.clone(), 1.0);
                        }
                    }
                }
            });
        }
        for (term, count) in counts {
            *model.entry(term).or_default() += score / total * count / length;
        }
    }
    let mut terms: Vec<(String, f32)> = model.into_iter().collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let max_df = (searcher.num_docs() as f64 * FEEDBACK_MAX_DF_SHARE) as u64;
    let mut kept = Vec::with_capacity(FEEDBACK_TERMS);
    for (term, p) in terms {
        if kept.len() == FEEDBACK_TERMS {
            break;
        }
        let df = searcher.doc_freq(&Term::from_field_text(f.body, &term))?;
        if df <= max_df {
            kept.push((term, p));
        }
    }
    let terms = kept;
    let mass: f32 = terms.iter().map(|(_, p)| p).sum();
    if mass <= 0.0 {
        return Ok(None);
    }
    // Each query word has weight 1; the expansion as a whole gets
    // (1 - w) / w times the query's total weight.
    let scale = (1.0 - FEEDBACK_QUERY_WEIGHT) / FEEDBACK_QUERY_WEIGHT * query_terms as f32 / mass;
    let clauses: Vec<(TantivyOccur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|(term, p)| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(f.body, &term),
                IndexRecordOption::WithFreqs,
            ));
            (TantivyOccur::Should, boosted(q, p * scale))
        })
        .collect();
    Ok(Some(clauses.into_iter().map(|(_, q)| q).collect()))
}

/// Re-scores `candidates`: each keeps its BM25 score from the first pass
/// and gains the score of every bonus clause it matches, as it would in a
/// boolean query of the two. Each clause gets its own scorer, which seeks
/// the candidates through its skip lists; a single scorer of the whole
/// query would walk the union of every bonus term's postings. With many
/// clauses (feedback adds up to `FEEDBACK_TERMS`), two threads share them.
fn rerank(
    searcher: &Searcher,
    bonus: Vec<Box<dyn Query>>,
    candidates: Vec<(f32, DocAddress)>,
) -> Result<Vec<(f32, DocAddress)>> {
    // Each candidate keeps its first-stage rank, which breaks ties.
    let mut ranked: Vec<(usize, f32, DocAddress)> = candidates
        .into_iter()
        .enumerate()
        .map(|(rank, (score, address))| (rank, score, address))
        .collect();
    // Candidates in index order, so that every scorer only moves forward.
    ranked.sort_by_key(|(_, _, a)| (a.segment_ord, a.doc_id));
    let addresses: Vec<DocAddress> = ranked.iter().map(|(_, _, a)| *a).collect();
    let bonuses = if bonus.len() >= PARALLEL_RERANK_CLAUSES {
        let (first, second) = bonus.split_at(bonus.len() / 2);
        std::thread::scope(|scope| {
            let other = scope.spawn(|| clause_scores(searcher, second, &addresses));
            let mine = clause_scores(searcher, first, &addresses);
            let theirs = other
                .join()
                .map_err(|_| anyhow::anyhow!("re-ranking thread panicked"))?;
            let (mut mine, theirs) = (mine?, theirs?);
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
            Ok::<_, anyhow::Error>(mine)
        })?
    } else {
        clause_scores(searcher, &bonus, &addresses)?
    };
    for ((_, score, _), extra) in ranked.iter_mut().zip(bonuses) {
        *score += extra;
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(ranked.into_iter().map(|(_, score, a)| (score, a)).collect())
}

/// Clauses from which re-ranking runs on two threads.
const PARALLEL_RERANK_CLAUSES: usize = 8;

/// The summed score of `clauses` for each of `addresses` (in index order).
fn clause_scores(
    searcher: &Searcher,
    clauses: &[Box<dyn Query>],
    addresses: &[DocAddress],
) -> Result<Vec<f32>> {
    let mut scores = vec![0.0f32; addresses.len()];
    for clause in clauses {
        let weight = clause.weight(EnableScoring::enabled_from_searcher(searcher))?;
        // The scorer of the current segment, and the first document it may
        // still match.
        let mut current: Option<(u32, Box<dyn tantivy::query::Scorer>, DocId)> = None;
        for (score, address) in scores.iter_mut().zip(addresses) {
            if current
                .as_ref()
                .is_none_or(|(seg, _, _)| *seg != address.segment_ord)
            {
                // Opened at the first candidate: a phrase scorer opened
                // with `scorer` would first look for the segment's first
                // occurrence of the phrase.
                let reader = searcher.segment_reader(address.segment_ord);
                let (found, mut scorer) = weight.scorer_danger(reader, address.doc_id, 1.0)?;
                let floor = match found {
                    SeekDangerResult::Found => {
                        *score += scorer.score();
                        address.doc_id + 1
                    }
                    SeekDangerResult::SeekLowerBound(bound) => bound,
                };
                current = Some((address.segment_ord, scorer, floor));
                continue;
            }
            if let Some((_, scorer, floor)) = current.as_mut() {
                if address.doc_id < *floor {
                    continue;
                }
                // `seek_danger` checks only the target: a phrase scorer's
                // `seek` would go on to find the next document where the
                // phrase occurs, reading positions all the way. Targets
                // strictly increase, as its contract requires.
                match scorer.seek_danger(address.doc_id) {
                    SeekDangerResult::Found => {
                        *score += scorer.score();
                        *floor = address.doc_id + 1;
                    }
                    SeekDangerResult::SeekLowerBound(bound) => *floor = bound,
                }
            }
        }
    }
    Ok(scores)
}

/// A filter matching any of `values` exactly, contributing no score.
fn any_of(field: Field, values: &[String]) -> Option<Box<dyn Query>> {
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

fn first_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn all_text(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn load_hit(
    f: &Fields,
    (doc, stored): &(TantivyDocument, Vec<Passage>),
    score: f32,
    highlights: &[HighlightTerm],
    analyzer: &mut Analyzer,
    passages: usize,
) -> Result<Hit> {
    let shown = passages::best_passages(stored, highlights, analyzer, passages);
    let (passage, highlights, page) = shown
        .first()
        .map(|p| (p.text.clone(), p.highlights.clone(), p.page))
        .unwrap_or_default();
    Ok(Hit {
        path: first_text(doc, f.path).unwrap_or_default(),
        title: first_text(doc, f.title).unwrap_or_default(),
        date: first_text(doc, f.date),
        session: first_text(doc, f.session).unwrap_or_default(),
        crimes: all_text(doc, f.crime),
        orgs: all_text(doc, f.org),
        score,
        page,
        passage,
        highlights,
        passages: shown,
    })
}

/// Stored sessions read so far, with their passages: feedback reads the
/// best few, which are mostly among the hits shown.
struct StoredSessions {
    /// The field of the passages' JSON.
    passages: Field,
    read: HashMap<DocAddress, (TantivyDocument, Vec<Passage>)>,
}

impl StoredSessions {
    fn new(passages: Field) -> StoredSessions {
        StoredSessions {
            passages,
            read: HashMap::new(),
        }
    }

    /// The session at `address` and its passages, read once.
    fn get(
        &mut self,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Result<&(TantivyDocument, Vec<Passage>)> {
        use std::collections::hash_map::Entry;
        match self.read.entry(address) {
            Entry::Occupied(entry) => Ok(entry.into_mut()),
            Entry::Vacant(entry) => {
                let doc: TantivyDocument = searcher.doc(address).context(
                    "reading a stored session (run `ctsearch index --rebuild` if this persists)",
                )?;
                let passages: Vec<Passage> = first_text(&doc, self.passages)
                    .map(|stored| crate::index::codec::decode_passages(&stored))
                    .unwrap_or_default();
                Ok(entry.insert((doc, passages)))
            }
        }
    }
}

/// Words dropped from free text when the query has other words: they match
/// nearly every session and only add noise to the ranking. Phrases keep
/// every word.
const STOP_WORDS: &str = include_str!("../../data/stopwords.txt");

/// The stop words, read once per process (a search asks up to three times,
/// and feedback once per word of the sessions it reads).
fn stop_words() -> &'static FxHashSet<&'static str> {
    static STOP: std::sync::OnceLock<FxHashSet<&'static str>> = std::sync::OnceLock::new();
    // Sized once and split by hand: collecting trimmed `lines()` into a
    // growing set cost 0.19 M instructions, 1 % of a search.
    STOP.get_or_init(|| {
        let mut stop = FxHashSet::with_capacity_and_hasher(256, Default::default());
        for line in STOP_WORDS.split('\n') {
            let word = line.trim_ascii();
            if !word.is_empty() && !word.starts_with('#') {
                stop.insert(word);
            }
        }
        stop
    })
}

/// Translates the parsed query into a tantivy query, collecting the terms
/// to highlight on the way.
struct QueryBuilder<'a> {
    fields: Fields,
    taxonomy: &'a Taxonomy,
    synonyms: &'a Synonyms,
    analyzer: Analyzer,
    searcher: &'a Searcher,
    fuzzy: bool,
    highlights: Vec<HighlightTerm>,
    also_searched: Vec<String>,
    /// Optional clauses that only re-rank the best candidates (proximity).
    bonus: Vec<Box<dyn Query>>,
    /// Summed document frequencies of the words searched: about the
    /// postings the search reads.
    postings: std::cell::Cell<u64>,
    /// The query has parts whose postings are not counted (every session,
    /// prefixes, typos).
    open_ended: bool,
}

impl<'a> QueryBuilder<'a> {
    fn new(
        open: &OpenIndex,
        vocabulary: &Vocabulary<'a>,
        searcher: &'a Searcher,
        fuzzy: bool,
    ) -> QueryBuilder<'a> {
        QueryBuilder {
            fields: open.fields,
            taxonomy: vocabulary.taxonomy,
            synonyms: vocabulary.synonyms,
            analyzer: Analyzer::default(),
            searcher,
            fuzzy,
            highlights: Vec::new(),
            also_searched: Vec::new(),
            bonus: Vec::new(),
            postings: std::cell::Cell::new(0),
            open_ended: false,
        }
    }
}

impl QueryBuilder<'_> {
    /// Inverse document frequency of a body term, the weight of its
    /// highlights when choosing passages.
    fn idf(&self, term: &str) -> f32 {
        let n = self.searcher.num_docs().max(1) as f32;
        let df = self
            .searcher
            .doc_freq(&Term::from_field_text(self.fields.body, term))
            .unwrap_or(0);
        self.postings.set(self.postings.get() + df);
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
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
            Scope::All => vec![(f.title, TITLE_BOOST), (f.session, SESSION_BOOST)],
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

    fn node(&mut self, node: &Node, negated: bool) -> Result<Box<dyn Query>> {
        match node {
            Node::All => {
                self.open_ended = true;
                Ok(Box::new(AllQuery))
            }
            Node::Group(clauses) => self.group(clauses, negated),
            Node::Phrase { scope, text } => self.phrase(*scope, text, negated),
            Node::Word {
                scope,
                text,
                prefix,
                fuzzy,
            } => self.word(*scope, text, *prefix, *fuzzy, negated),
        }
    }

    fn group(&mut self, clauses: &[Clause], negated: bool) -> Result<Box<dyn Query>> {
        let stop = stop_words();
        // Stop words go only if something else is left to search.
        let is_stop = |c: &Clause| {
            matches!(&c.node, Node::Word { scope: Scope::All, text, prefix: false, fuzzy: None }
                if c.occur == Occur::Should && stop.contains(text.to_lowercase().trim_matches(|ch: char| !ch.is_alphanumeric())))
        };
        let keep_all = clauses.iter().all(is_stop);
        let mut out: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::new();
        let mut positive = false;
        for clause in clauses {
            if !keep_all && is_stop(clause) {
                continue;
            }
            let occur = match clause.occur {
                Occur::Should => TantivyOccur::Should,
                Occur::Must => TantivyOccur::Must,
                Occur::MustNot => TantivyOccur::MustNot,
            };
            positive |= occur != TantivyOccur::MustNot;
            let sub = self.node(&clause.node, negated || occur == TantivyOccur::MustNot)?;
            out.push((occur, sub));
        }
        if out.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        if !negated {
            self.proximity(clauses, &is_stop, keep_all);
            self.expand_synonyms(clauses, &mut out);
        }
        if !positive {
            // Only exclusions: exclude from everything.
            self.open_ended = true;
            out.push((TantivyOccur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(out)))
    }

    /// Rewards sessions where consecutive free-text words of the query
    /// occur close together, in order: "arms trafficking" ranks the session
    /// saying "arms trafficking" above one saying "trafficking in persons,
    /// drugs and arms".
    fn proximity(&mut self, clauses: &[Clause], is_stop: &dyn Fn(&Clause) -> bool, keep_all: bool) {
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

    /// Adds the synonyms and acronym expansions of the free-text words of a
    /// group as optional clauses. A quoted phrase is taken literally and not
    /// expanded. A multi-word expansion is
    /// searched as a phrase, and, with a low weight, as its separate words,
    /// so that "SALW" still finds a session on small arms and weapons that
    /// never spells out "small arms and light weapons".
    fn expand_synonyms(
        &mut self,
        clauses: &[Clause],
        out: &mut Vec<(TantivyOccur, Box<dyn Query>)>,
    ) {
        if self.synonyms.is_empty() {
            return;
        }
        let mut runs: Vec<Vec<String>> = vec![Vec::new()];
        for clause in clauses {
            let words = match (&clause.occur, &clause.node) {
                (
                    Occur::Should,
                    Node::Word {
                        scope: Scope::All,
                        text,
                        prefix: false,
                        fuzzy: None,
                    },
                ) => Some(text),
                _ => {
                    runs.push(Vec::new());
                    None
                }
            };
            if let Some(text) = words {
                let terms = self.analyzer.terms(text);
                if let Some(run) = runs.last_mut() {
                    run.extend(terms);
                }
            }
        }
        let stop = stop_words();
        for run in &runs {
            for expansion in self.synonyms.expand(run) {
                for alternative in expansion.alternatives {
                    if self.also_searched.contains(&alternative.text) {
                        continue;
                    }
                    self.also_searched.push(alternative.text.clone());
                    if let Ok(q) = self.terms_phrase(Scope::All, alternative.terms.clone(), false) {
                        if alternative.terms.len() > 1 {
                            // Positions are costly to check on every match:
                            // the loose words below decide the match, the
                            // phrase re-ranks the best candidates.
                            self.bonus.push(q);
                        } else {
                            out.push((TantivyOccur::Should, q));
                        }
                    }
                    if alternative.terms.len() > 1 {
                        let loose: Vec<(TantivyOccur, Box<dyn Query>)> = alternative
                            .terms
                            .iter()
                            // Words the query has already are searched already.
                            .filter(|t| !stop.contains(&t[..]) && !run.contains(t))
                            .map(|t| {
                                self.highlights.push(HighlightTerm {
                                    terms: vec![t.clone()],
                                    weight: self.idf(t) * LOOSE_SYNONYM_WEIGHT,
                                    prefix: false,
                                    fuzzy: None,
                                });
                                let q: Box<dyn Query> = Box::new(TermQuery::new(
                                    Term::from_field_text(self.fields.body, t),
                                    IndexRecordOption::WithFreqs,
                                ));
                                (TantivyOccur::Should, q)
                            })
                            .collect();
                        if !loose.is_empty() {
                            out.push((
                                TantivyOccur::Should,
                                Box::new(BoostQuery::new(
                                    Box::new(BooleanQuery::new(loose)),
                                    LOOSE_SYNONYM_WEIGHT,
                                )),
                            ));
                        }
                    }
                }
            }
        }
    }

    fn exact_filter(&mut self, scope: Scope, text: &str) -> Result<Box<dyn Query>> {
        let f = self.fields;
        let (field, value) = match scope {
            Scope::Crime => {
                let crime = self.taxonomy.crime(text).ok_or_else(|| {
                    anyhow::anyhow!(crate::cli::unknown_value_message(
                        "crime type",
                        text,
                        self.taxonomy.crimes.iter().map(|c| c.slug.as_str())
                    ))
                })?;
                (f.crime, crime.slug.clone())
            }
            Scope::Org => {
                let name = self
                    .taxonomy
                    .org(text)
                    .map_or_else(|| text.to_string(), |o| o.name.clone());
                (f.org, name)
            }
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

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
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

#[cfg(test)]
mod tests {
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
