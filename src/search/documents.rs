//! Documents in the ranking of sessions.
//!
//! A session is the unit of a hit, but an analyst judges documents: a
//! resolution built around denying safe haven says so in its preamble and
//! in several operative paragraphs, and its best single session may score
//! below a passing mention elsewhere. Two rules bring the document back:
//!
//! - **Document context.** Each candidate's score gains a share of its
//!   document's own BM25 score: the query's words counted over all the
//!   document's sessions as one text, against the mean document length.
//!   A document about the query holds its words in many places; a
//!   passing mention holds them once.
//! - **A cap per document.** Past [`SESSIONS_PER_DOCUMENT`] sessions of one
//!   document, the others follow every other document's first sessions, so
//!   one long document cannot fill a page. Every session is still listed,
//!   further down, and `show` has them all.
//!
//! Both work on the re-ranked candidates only (at least a page, see
//! `RERANK_DEPTH`): the match set and its counts are untouched.

use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Searcher, Term};

/// Weight of the document's own BM25 score (over all its sessions, as one
/// text) added to a session's: BENCHMARKS.md has the runs that chose it.
const DOCUMENT_WEIGHT: f32 = 0.5;

/// BM25's parameters, as tantivy's own.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Sessions of one document shown before other documents get their turn.
const SESSIONS_PER_DOCUMENT: usize = 2;

/// A query term for the document score: the analyzed body term and its
/// weight (idf).
pub(super) type WeightedTerm = (String, f32);

/// The candidates re-scored with their document's context and re-ordered
/// with the cap per document, best first.
///
/// The document's score is BM25 over the whole document as one text: each
/// term's frequency summed over its sessions, the length of all of them,
/// against the mean length of a document (`mean_length`, in tokens).
/// Sessions of one document are neighbours in one segment (they are
/// written together), so a document is a run of session ids.
pub(super) fn by_document(
    searcher: &Searcher,
    body: Field,
    terms: &[WeightedTerm],
    mean_length: f32,
    top: Vec<(f32, DocAddress)>,
) -> Result<Vec<(f32, DocAddress)>> {
    if top.len() < 2 {
        return Ok(top);
    }
    let addresses: Vec<DocAddress> = top.iter().map(|(_, a)| *a).collect();
    let documents = document_ids(searcher, &addresses)?;
    let scores = document_scores(searcher, body, terms, mean_length, &addresses, &documents)?;
    let mut scored: Vec<(f32, DocAddress, u64)> = top
        .iter()
        .zip(&documents)
        .zip(&scores)
        .map(|((&(score, address), &document), &context)| {
            (score + DOCUMENT_WEIGHT * context, address, document)
        })
        .collect();
    // Stable: equal scores keep the order the ranking gave them.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let documents: Vec<u64> = scored.iter().map(|(_, _, d)| *d).collect();
    let ranked = scored
        .into_iter()
        .map(|(score, address, _)| (score, address));
    Ok(capped(ranked, &documents, SESSIONS_PER_DOCUMENT))
}

/// The whole-document BM25 of each candidate's document (see
/// [`by_document`]), computed once per document.
fn document_scores(
    searcher: &Searcher,
    body: Field,
    terms: &[WeightedTerm],
    mean_length: f32,
    addresses: &[DocAddress],
    documents: &[u64],
) -> Result<Vec<f32>> {
    // Each document once, in index order, so that every term's postings
    // are read once per segment and only forward.
    let mut wanted: Vec<(u32, DocId, u64)> = addresses
        .iter()
        .zip(documents)
        .map(|(a, d)| (a.segment_ord, a.doc_id, *d))
        .collect();
    wanted.sort_unstable();
    wanted.dedup_by_key(|(segment, _, document)| (*segment, *document));
    let mut known: FxHashMap<(u32, u64), f32> = FxHashMap::default();
    let mut k = 0;
    while k < wanted.len() {
        let segment = wanted[k].0;
        let group_end = wanted[k..]
            .iter()
            .position(|w| w.0 != segment)
            .map_or(wanted.len(), |n| k + n);
        let reader = searcher.segment_reader(segment);
        let column = reader
            .fast_fields()
            .u64(crate::index::BRIEFING_FIELD)
            .context("reading the index")?;
        let norms = reader.get_fieldnorms_reader(body)?;
        // Each document's run of sessions and its length.
        let runs: Vec<(DocId, DocId, f32, u64)> = wanted[k..group_end]
            .iter()
            .map(|&(_, doc, document)| {
                let same = |d: DocId| column.first(d) == Some(document);
                let mut start = doc;
                while start > 0 && same(start - 1) {
                    start -= 1;
                }
                let mut end = doc + 1;
                while end < reader.max_doc() && same(end) {
                    end += 1;
                }
                let length = (start..end).map(|d| norms.fieldnorm(d) as f32).sum();
                (start, end, length, document)
            })
            .collect();
        let mut scores = vec![0.0f32; runs.len()];
        let inverted = reader.inverted_index(body)?;
        for (text, idf) in terms {
            let term = Term::from_field_text(body, text);
            let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::WithFreqs)?
            else {
                continue;
            };
            // Runs are in ascending order (sorted by a session inside each).
            let mut order: Vec<usize> = (0..runs.len()).collect();
            order.sort_by_key(|&i| runs[i].0);
            for i in order {
                let (start, end, length, _) = runs[i];
                let mut doc = postings.doc();
                if doc < start {
                    doc = postings.seek(start);
                }
                let mut tf = 0u32;
                while doc < end {
                    tf += postings.term_freq();
                    doc = postings.advance();
                }
                if tf > 0 {
                    let tf = tf as f32;
                    let norm = K1 * (1.0 - B + B * length / mean_length.max(1.0));
                    scores[i] += idf * tf * (K1 + 1.0) / (tf + norm);
                }
            }
        }
        for ((_, _, _, document), score) in runs.iter().zip(scores) {
            known.insert((segment, *document), score);
        }
        k = group_end;
    }
    Ok(addresses
        .iter()
        .zip(documents)
        .map(|(a, d)| known.get(&(a.segment_ord, *d)).copied().unwrap_or(0.0))
        .collect())
}

/// `ranked` with each document's sessions past the first `cap` moved
/// behind every other document's first ones, in order otherwise.
/// `documents` holds each item's document.
pub(super) fn capped<T>(
    ranked: impl IntoIterator<Item = T>,
    documents: &[u64],
    cap: usize,
) -> Vec<T> {
    let mut shown: FxHashMap<u64, usize> = FxHashMap::default();
    let (mut first, mut later) = (Vec::with_capacity(documents.len()), Vec::new());
    for (item, document) in ranked.into_iter().zip(documents) {
        let n = shown.entry(*document).or_default();
        *n += 1;
        if *n <= cap {
            first.push(item);
        } else {
            later.push(item);
        }
    }
    first.extend(later);
    first
}

/// Sessions of one document among the partial hits before the other
/// documents' get their turn: partial hits are a list of documents to
/// look at, one session each.
pub(super) const PARTIAL_SESSIONS_PER_DOCUMENT: usize = 1;

/// The document (briefing number) of each session address. A session
/// without a number is a document of its own.
pub(super) fn document_ids(searcher: &Searcher, addresses: &[DocAddress]) -> Result<Vec<u64>> {
    let mut columns = FxHashMap::default();
    let mut documents = Vec::with_capacity(addresses.len());
    for address in addresses {
        let column = match columns.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .u64(crate::index::BRIEFING_FIELD)
                    .context("reading the index")?,
            ),
        };
        documents.push(
            column
                .first(address.doc_id)
                .unwrap_or(u64::MAX - u64::from(address.doc_id)),
        );
    }
    Ok(documents)
}

/// The unit whose words a session's count with for tiers: its document,
/// except for a meeting record's turn, which is a speech of its own (one
/// delegate's "Darfur" and another's "sanctions" do not make a record
/// about sanctions on Darfur). Turns get keys no document has.
pub(super) fn units(searcher: &Searcher, addresses: &[DocAddress]) -> Result<Vec<u64>> {
    let documents = document_ids(searcher, addresses)?;
    let mut speakers = FxHashMap::default();
    let mut out = Vec::with_capacity(addresses.len());
    for (k, (address, document)) in addresses.iter().zip(documents).enumerate() {
        let column = match speakers.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .str("speaker")
                    .context("reading the index")?,
            ),
        };
        let turn = column
            .as_ref()
            .is_some_and(|c| c.term_ords(address.doc_id).next().is_some());
        out.push(if turn { u64::MAX - k as u64 } else { document });
    }
    Ok(out)
}
