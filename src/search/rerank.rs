//! Re-ranking of a search's best candidates with what is too costly to
//! compute for every match: proximity and field bonuses, and
//! pseudo-relevance feedback (RM3).

use anyhow::Result;
use rustc_hash::FxHashMap;
use tantivy::query::{EnableScoring, Occur as TantivyOccur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Searcher, SeekDangerResult, Term};

use super::compile::boosted;
use super::stored::StoredSessions;
use crate::analysis::StemmingExceptions;
use crate::index::Fields;
use crate::vocabulary::StopWords;

/// Pseudo-relevance feedback: the words that dominate the best sessions of
/// a first search re-rank the matches. Sessions read and words added.
pub(super) const FEEDBACK_DOCS: usize = 3;
const FEEDBACK_TERMS: usize = 20;
/// Feedback leaves out words found in more than this share of the
/// sessions: they add little to a score and cost the most to re-rank with.
const FEEDBACK_MAX_DF_SHARE: f64 = 0.5;
/// The share of the score left to the query's own words.
const FEEDBACK_QUERY_WEIGHT: f32 = 0.6;
/// Feedback needs a collection where the best few sessions are a sample of
/// one topic, not a large share of everything indexed.
pub(super) const MIN_FEEDBACK_SESSIONS: u64 = 200;

/// The RM3 expansion of `query`: the `FEEDBACK_TERMS` body terms most
/// probable in its `FEEDBACK_DOCS` best sessions (each session's term
/// frequencies weighted by its share of their scores), as optional clauses
/// weighted so that they carry `1 - FEEDBACK_QUERY_WEIGHT` of the score of
/// the query's `query_terms` words. Stop words, numbers and words of more
/// than `FEEDBACK_MAX_DF_SHARE` of the sessions are left out.
pub(super) fn feedback(
    stop: &StopWords,
    exceptions: &StemmingExceptions,
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
    // Stop words are recognised as words, before analysis.
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
                    || !crate::analysis::normalize_with(word, exceptions, &mut term)
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
pub(super) fn rerank(
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
