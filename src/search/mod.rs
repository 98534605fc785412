//! Search: query text and filters → ranked session hits with their best
//! passages, highlights and facet counts.
//!
//! One pass over the match set ranks by BM25 and counts the facets and
//! totals ([`facets`], [`top`]); the best candidates are then re-ranked
//! ([`rerank`]) and loaded with their best passages ([`passages`]).

mod at_least;
pub mod cites;
mod compile;
mod documents;
pub mod facet;
pub mod facets;
pub mod filters;
pub mod passages;
pub mod plan;
pub mod query;
mod rerank;
pub mod show;
mod stored;
mod top;

use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::DocAddress;
use tantivy::collector::Count;
use tantivy::query::{EnableScoring, Query};

use crate::index::OpenIndex;
use crate::vocabulary::Vocabulary;

pub use facet::Facet;
pub use facets::{Counts, Facets};
pub use filters::{Filters, UnknownValue};
pub use passages::{HighlightTerm, ShownPassage};

/// Candidates from the BM25 pass that proximity and feedback re-rank: at
/// least `RERANK_DEPTH`, and `RERANK_PER_HIT` per hit shown, so that a
/// long list gets as deep a pool as a page.
const RERANK_DEPTH: usize = 150;
const RERANK_PER_HIT: usize = 3;

/// How many of a query's concepts a session must contain to match. A
/// concept is a content word with its synonyms and expansions, a quoted
/// phrase, or an operator group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// `All` for a short query, `Most` for a long one, falling back to
    /// `Any` when nothing matches.
    #[default]
    Auto,
    All,
    Most,
    Any,
}

/// From this many concepts, a query is long and `Auto` means `Most`.
const LONG_QUERY_CONCEPTS: usize = 4;

impl MatchMode {
    /// The mode that applies to a query of `concepts` concepts.
    pub fn resolve(self, concepts: usize) -> MatchMode {
        match self {
            MatchMode::Auto if concepts >= LONG_QUERY_CONCEPTS => MatchMode::Most,
            MatchMode::Auto => MatchMode::All,
            other => other,
        }
    }

    /// The name used by `--match` and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            MatchMode::Auto => "auto",
            MatchMode::All => "all",
            MatchMode::Most => "most",
            MatchMode::Any => "any",
        }
    }
}

/// A search to run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchRequest {
    pub query: String,
    /// Facet filters, as the user typed them; validated by the search.
    pub filters: Filters,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first (for pages of results).
    pub offset: usize,
    /// Passages per hit.
    pub passages: usize,
    /// Tolerate typos in every word.
    pub fuzzy: bool,
    /// How many of the query's concepts a session needs.
    pub mode: MatchMode,
}

impl SearchRequest {
    /// The counts of `query` (every session for an empty query) with
    /// `filters`: what `facets` and `stats` ask, locally or remotely.
    pub fn counts(query: &str, filters: &Filters) -> SearchRequest {
        let query = if query.trim().is_empty() { "*" } else { query };
        SearchRequest {
            query: query.to_string(),
            filters: filters.clone(),
            limit: 1,
            passages: 1,
            ..SearchRequest::default()
        }
    }

    /// The first ten hits of `query`, one passage each, no filter: what
    /// `ctsearch search QUERY` asks for.
    pub fn first_page(query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            limit: 10,
            passages: 1,
            ..SearchRequest::default()
        }
    }
}

/// One matching session.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    pub session: String,
    /// The document type ("briefing", "resolution", "meeting-record", …).
    #[serde(rename = "type")]
    pub doc_type: String,
    /// The document symbol ("S/RES/2178 (2014)"), `null` if it has none.
    pub symbol: Option<String>,
    /// The speaker of a meeting record's turn, `null` elsewhere.
    pub speaker: Option<String>,
    /// The speaker's delegation, `null` if not known.
    pub country: Option<String>,
    pub crimes: Vec<String>,
    pub orgs: Vec<String>,
    pub score: f32,
    /// The 1-based page of the best passage, for PDFs and text with form
    /// feeds; `null` in JSON for documents without pages.
    pub page: Option<u32>,
    /// The numbered (or operative) paragraph of the best passage ("4",
    /// "4 (a)"); `null` where there is none.
    pub para: Option<String>,
    /// The best passage (possibly cut to a snippet).
    pub passage: String,
    /// Character ranges of `passage` to highlight.
    pub highlights: Vec<[usize; 2]>,
    /// Up to `--passages N` passages, best first (the first is `passage`).
    pub passages: Vec<ShownPassage>,
    /// Whether the session is in the match set (`full`) or shown after it
    /// as one of the best sessions that lack some concepts (`partial`).
    #[serde(rename = "match")]
    pub coverage: Coverage,
    /// The query's concepts, as written, that a partial hit lacks; empty
    /// for a full match.
    pub missing: Vec<String>,
    /// The documents the session cites (canonical symbols).
    pub cites: Vec<String>,
    /// How many documents in the index cite this hit's document (the
    /// length of `ctsearch cites SYMBOL`), on the local index or a remote
    /// node alike; `null` when the document has no symbol.
    pub cited_by: Option<u64>,
}

/// How much of the query a hit holds: the match set's rule, or less.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    #[default]
    Full,
    Partial,
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
    /// How many concepts the matches contain: "all", "most" or "any".
    #[serde(rename = "match")]
    pub match_mode: MatchMode,
    /// Whether nothing matched every concept (or most of them), so the
    /// matches are the sessions with any concept.
    pub fallback: bool,
    /// Partial hits on this page: shown after the match set, not counted
    /// in `total` or the facets.
    pub partial: u64,
}

/// Runs a search on an opened index.
///
/// Errors a caller may branch on: [`query::QueryError`] for a query that
/// uses syntax wrongly, [`filters::UnknownValue`] for a filter value that
/// names nothing of the taxonomy or the index.
///
/// In [`MatchMode::Auto`], a query none of whose sessions contain all (or
/// most) of its concepts is run again for sessions with any of them, and
/// the results say so (`fallback`).
pub fn search(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let started = Instant::now();
    let mut results = search_once(open, vocabulary, request)?;
    if results.total == 0 && request.mode == MatchMode::Auto && results.match_mode != MatchMode::Any
    {
        let any = SearchRequest {
            mode: MatchMode::Any,
            ..request.clone()
        };
        let widened = search_tiered(open, vocabulary, &any)?;
        if widened.total > 0 {
            results = SearchResults {
                fallback: true,
                ..widened
            };
        }
    }
    if results.total == 0 {
        // A value that names nothing indexed matches nothing: say so
        // rather than report an empty result.
        filters::check_indexed(open, vocabulary, &request.filters)?;
    }
    if !results.fallback {
        add_partial_hits(open, vocabulary, request, &mut results)?;
    }
    for hit in &mut results.hits {
        hit.cited_by = match hit.symbol.as_deref().and_then(crate::citation::target_of) {
            Some(target) => Some(cites::cited_by_count(open, &target)?),
            None => None,
        };
    }
    results.took_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(results)
}

/// Fills the rest of a page the match set leaves short with the best
/// partial matches: the sessions holding some of the query's concepts,
/// by the weight of the concepts they hold (tier), then by score. The
/// match set stays what `total` and the facets count; partial hits say
/// which concepts they lack.
///
/// Why: the match set is right for counting what is about the query, but
/// a list that ends there loses the documents that say the same thing in
/// other words ("the bomb attacks in Madrid" for "Madrid train bombings"),
/// which whole-document BM25 finds. `--match all` (and `any`, where every
/// session with a concept matches) keep the strict list.
fn add_partial_hits(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
    results: &mut SearchResults,
) -> Result<()> {
    let wanted = request.offset.saturating_add(request.limit.max(1));
    let strict = results.total as usize;
    if !matches!(request.mode, MatchMode::Auto | MatchMode::Most)
        || results.match_mode == MatchMode::Any
        || strict >= wanted
    {
        return Ok(());
    }
    // The whole re-ranked pool is tiered, not only a page of it.
    let any = SearchRequest {
        mode: MatchMode::Any,
        offset: 0,
        limit: wanted.saturating_add(strict).max(RERANK_DEPTH),
        ..request.clone()
    };
    let ranked = rank(open, vocabulary, &any)?;
    if ranked.concepts.len() < 2 {
        return Ok(());
    }
    let searcher = open.reader.searcher();
    let strict_set = strict_addresses(open, vocabulary, request, strict)?;
    let candidates: Vec<(f32, DocAddress)> = ranked
        .top
        .iter()
        .filter(|(_, address)| !strict_set.contains(address))
        .copied()
        .collect();
    let partial = tiered(&searcher, &ranked.concepts, candidates)?;
    let addresses: Vec<DocAddress> = partial.iter().map(|t| t.address).collect();
    let documents = documents::document_ids(&searcher, &addresses)?;
    let partial = documents::capped(
        partial,
        &documents,
        documents::PARTIAL_SESSIONS_PER_DOCUMENT,
    );
    let room = wanted - strict;
    let skip = request.offset.saturating_sub(strict);
    let shown: Vec<Tiered> = partial
        .into_iter()
        .skip(skip)
        .take(room - skip.min(room))
        .collect();
    let order: Vec<(f32, DocAddress)> = shown.iter().map(|t| (t.score, t.address)).collect();
    let hits = load_hits(
        open,
        vocabulary,
        &ranked.highlights,
        &order,
        request.passages,
    )?;
    for (mut hit, tiered) in hits.into_iter().zip(shown) {
        hit.coverage = Coverage::Partial;
        hit.missing = tiered.missing;
        results.hits.push(hit);
        results.partial += 1;
    }
    Ok(())
}

/// The hits of `order`, loaded with their best `passages` passages for
/// `highlights`.
fn load_hits(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    highlights: &[HighlightTerm],
    order: &[(f32, DocAddress)],
    passages: usize,
) -> Result<Vec<Hit>> {
    let searcher = open.reader.searcher();
    let f = open.fields;
    let mut stored = stored::StoredSessions::new(f.passages);
    let mut analyzer = vocabulary.text_analyzer();
    order
        .iter()
        .map(|&(score, address)| {
            stored::load_hit(
                &f,
                stored.get(&searcher, address)?,
                score,
                highlights,
                &mut analyzer,
                passages,
            )
        })
        .collect()
}

/// The query's body terms with their weights, for the document score:
/// each word of its highlights (phrases' words too), once, without the
/// prefixes and typo terms, which name no single term.
fn document_terms(highlights: &[HighlightTerm]) -> Vec<documents::WeightedTerm> {
    let mut out: Vec<documents::WeightedTerm> = Vec::new();
    for h in highlights.iter().filter(|h| !h.prefix && h.fuzzy.is_none()) {
        for term in &h.terms {
            if !out.iter().any(|(t, _)| t == term) {
                out.push((term.clone(), h.weight));
            }
        }
    }
    out
}

/// The mean length of a document's body, in tokens: all the body tokens
/// the segments hold over the documents indexed.
fn mean_document_length(
    searcher: &tantivy::Searcher,
    body: tantivy::schema::Field,
    documents: u64,
) -> Result<f32> {
    let mut tokens = 0u64;
    for reader in searcher.segment_readers() {
        tokens += reader.inverted_index(body)?.total_num_tokens();
    }
    Ok(tokens as f32 / documents.max(1) as f32)
}

/// A candidate in its tier: the weight of the query's concepts held by its
/// document (across the document's candidate sessions), then by the
/// session itself.
struct Tiered {
    document: f32,
    session: f32,
    score: f32,
    address: DocAddress,
    /// The concepts the session lacks, as written.
    missing: Vec<String>,
}

/// Orders candidates by tier, then score. Why the document's concepts
/// first: a resolution names its subject in the preamble ("the Netherlands
/// and the Republic of Indonesia") and acts in the operative part ("to
/// cease hostilities"); no session of it holds every word, but the
/// document does, and it is what the query is about.
fn tiered(
    searcher: &tantivy::Searcher,
    concepts: &[compile::Concept],
    candidates: Vec<(f32, DocAddress)>,
) -> Result<Vec<Tiered>> {
    let held = concepts_held(searcher, concepts, &candidates)?;
    let addresses: Vec<DocAddress> = candidates.iter().map(|(_, a)| *a).collect();
    let documents = documents::units(searcher, &addresses)?;
    let mut by_document: rustc_hash::FxHashMap<u64, Vec<bool>> = Default::default();
    for (document, held) in documents.iter().zip(&held) {
        let union = by_document
            .entry(*document)
            .or_insert_with(|| vec![false; concepts.len()]);
        for (u, h) in union.iter_mut().zip(held) {
            *u |= *h;
        }
    }
    let weight = |held: &[bool]| -> f32 {
        concepts
            .iter()
            .zip(held)
            .filter(|(_, h)| **h)
            .map(|(c, _)| c.weight)
            .sum()
    };
    let mut out: Vec<Tiered> = candidates
        .into_iter()
        .zip(held)
        .zip(documents)
        .map(|(((score, address), held), document)| Tiered {
            document: by_document.get(&document).map_or(0.0, |h| weight(h)),
            session: weight(&held),
            score,
            address,
            missing: concepts
                .iter()
                .zip(&held)
                .filter(|(_, h)| !**h)
                .map(|(c, _)| c.label.clone())
                .collect(),
        })
        .collect();
    // Weights rounded, so that scores decide between equal tiers.
    let tier = |t: f32| (t * 100.0).round() as i64;
    out.sort_by(|a, b| {
        tier(b.document)
            .cmp(&tier(a.document))
            .then(tier(b.session).cmp(&tier(a.session)))
            .then(b.score.total_cmp(&a.score))
    });
    Ok(out)
}

/// A search whose matches are ordered by [`tiered`] rather than by score
/// alone: the fallback to sessions with any concept, where holding more of
/// the query says more than a high score for one word.
fn search_tiered(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let started = Instant::now();
    // The whole re-ranked pool is tiered, not only a page of it.
    let pool = SearchRequest {
        offset: 0,
        limit: request
            .offset
            .saturating_add(request.limit.max(1))
            .max(RERANK_DEPTH),
        ..request.clone()
    };
    let ranked = rank(open, vocabulary, &pool)?;
    let searcher = open.reader.searcher();
    let order: Vec<(f32, DocAddress)> = if ranked.concepts.len() >= 2 {
        tiered(&searcher, &ranked.concepts, ranked.top.clone())?
            .into_iter()
            .map(|t| (t.score, t.address))
            .collect()
    } else {
        ranked.top.clone()
    };
    page(open, vocabulary, request, ranked, order, started)
}

/// The addresses of the whole match set, when it holds `strict` sessions,
/// fewer than a page: ranked again with room for all of them.
fn strict_addresses(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
    strict: usize,
) -> Result<std::collections::HashSet<DocAddress>> {
    if strict == 0 {
        return Ok(Default::default());
    }
    let all = SearchRequest {
        offset: 0,
        limit: strict,
        ..request.clone()
    };
    Ok(rank(open, vocabulary, &all)?
        .top
        .into_iter()
        .map(|(_, address)| address)
        .collect())
}

/// For each candidate, which of `concepts` it holds. One scorer per
/// concept and segment, advanced through the candidates in document order.
fn concepts_held(
    searcher: &tantivy::Searcher,
    concepts: &[compile::Concept],
    candidates: &[(f32, DocAddress)],
) -> Result<Vec<Vec<bool>>> {
    let mut held = vec![vec![false; concepts.len()]; candidates.len()];
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| (candidates[i].1.segment_ord, candidates[i].1.doc_id));
    for (c, concept) in concepts.iter().enumerate() {
        let weight = concept
            .query
            .weight(EnableScoring::disabled_from_searcher(searcher))
            .context("reading the index")?;
        let mut current: Option<(u32, Box<dyn tantivy::query::Scorer>)> = None;
        for &i in &order {
            let address = candidates[i].1;
            if current
                .as_ref()
                .is_none_or(|(s, _)| *s != address.segment_ord)
            {
                let reader = searcher.segment_reader(address.segment_ord);
                current = Some((address.segment_ord, weight.scorer(reader, 1.0)?));
            }
            let Some((_, scorer)) = current.as_mut() else {
                continue;
            };
            let doc = if scorer.doc() < address.doc_id {
                scorer.seek(address.doc_id)
            } else {
                scorer.doc()
            };
            held[i][c] = doc == address.doc_id;
        }
    }
    Ok(held)
}

/// A search ranked and counted, before its hits' passages are read.
struct Ranked {
    /// The best candidates, re-ranked, best first: at least the page.
    top: Vec<(f32, DocAddress)>,
    total: u64,
    facets: Facets,
    highlights: Vec<HighlightTerm>,
    also_searched: Vec<String>,
    mode: MatchMode,
    concepts: Vec<compile::Concept>,
}

fn search_once(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let started = Instant::now();
    let ranked = rank(open, vocabulary, request)?;
    let order = ranked.top.clone();
    page(open, vocabulary, request, ranked, order, started)
}

/// The results of a ranked search: the hits of `order` on the page
/// `request` asks for, loaded with their passages, and the counts.
fn page(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
    ranked: Ranked,
    order: Vec<(f32, DocAddress)>,
    started: Instant,
) -> Result<SearchResults> {
    let page: Vec<(f32, DocAddress)> = order
        .into_iter()
        .skip(request.offset)
        .take(request.limit.max(1))
        .collect();
    let hits = load_hits(
        open,
        vocabulary,
        &ranked.highlights,
        &page,
        request.passages,
    )?;
    Ok(SearchResults {
        query: request.query.clone(),
        total: ranked.total,
        briefings: ranked.facets.briefings,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        facets: ranked.facets,
        also_searched: ranked.also_searched,
        match_mode: ranked.mode,
        fallback: false,
        partial: 0,
    })
}

/// Matches, ranks and counts a search: the page's candidates (up to
/// `offset + limit`), the totals and the facets.
fn rank(open: &OpenIndex, vocabulary: &Vocabulary, request: &SearchRequest) -> Result<Ranked> {
    let searcher = open.reader.searcher();
    let f = open.fields;
    let stats = compile::IndexStats::new(&searcher, &f);
    let plan = plan::resolve(vocabulary, &stats, request)?;
    // The query and the filters decide what matches; one pass over the
    // matches ranks them by BM25 and counts facets and totals.
    let matching = compile::lower(&plan.matching(), &f)?;
    let limit = request.limit.max(1);
    let wanted = request.offset.saturating_add(limit);
    let collector = (
        top::TopSessions::with_limit(
            wanted
                .max(RERANK_DEPTH)
                .max(wanted.saturating_mul(RERANK_PER_HIT)),
        ),
        facets::FacetCollector::new(&vocabulary.taxonomy),
        Count,
    );
    crate::trace::mark("query built");
    let postings = (!plan.open_ended).then_some(plan.postings);
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
    let mut bonus = plan
        .bonus
        .iter()
        .map(|b| compile::lower(b, &f))
        .collect::<Result<Vec<_>>>()?;
    let mut stored = stored::StoredSessions::new(f.passages);
    if !plan.highlights.is_empty() && searcher.num_docs() >= rerank::MIN_FEEDBACK_SESSIONS {
        let best = &top[..top.len().min(rerank::FEEDBACK_DOCS)];
        let query_terms = plan.highlights.len();
        let stop = &vocabulary.stop_words;
        if let Some(expansion) = rerank::feedback(
            stop,
            &vocabulary.exceptions,
            &searcher,
            &f,
            &mut stored,
            best,
            query_terms,
        )? {
            bonus.extend(expansion);
        }
    }
    crate::trace::mark("feedback terms");
    if !bonus.is_empty() {
        top = rerank::rerank(&searcher, bonus, top)?;
    }
    let terms = document_terms(&plan.highlights);
    let mean_length = mean_document_length(&searcher, f.body, open.payload.briefings)?;
    top = documents::by_document(&searcher, f.body, &terms, mean_length, top)?;
    // A query naming a document ("resolution 1373") puts it first, then
    // the documents citing it.
    if let Some(target) = cites::named_document(&request.query) {
        top = cites::named_first(&searcher, f, &target, top)?;
    }
    crate::trace::mark("re-ranked");
    top.truncate(request.offset.saturating_add(limit));
    let concepts = compile::concepts(&plan.concepts, &f)?;
    Ok(Ranked {
        top,
        total: total as u64,
        facets,
        highlights: plan.highlights,
        also_searched: plan.also_searched,
        mode: plan.mode,
        concepts,
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
    let searcher = open.reader.searcher();
    let stats = compile::IndexStats::new(&searcher, &open.fields);
    plan::highlights(vocabulary, &stats, query_text)
}
