//! Documents in the ranking of sessions.
//!
//! A session is the unit of a hit, but an analyst judges documents: a
//! resolution built around denying safe haven says so in its preamble and
//! in several operative paragraphs, and its best single session may score
//! below a passing mention elsewhere. Two rules bring the document back:
//!
//! - **Document context.** Each candidate's score gains a share of what the
//!   other candidate sessions of its document scored, dampened by a
//!   logarithm so that a long record of many turns does not win by length
//!   alone. Whole-document BM25 sees the same thing: a document about the
//!   query holds its words in many places.
//! - **A cap per document.** Past [`SESSIONS_PER_DOCUMENT`] sessions of one
//!   document, the others follow every other document's first sessions, so
//!   one long document cannot fill a page. Every session is still listed,
//!   further down, and `show` has them all.
//!
//! Both work on the re-ranked candidates only (at least a page, see
//! `RERANK_DEPTH`): the match set and its counts are untouched.

use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use tantivy::{DocAddress, Searcher};

/// Weight of the document context: the share of `ln(1 + others)` added to
/// a session's score, `others` being the summed scores of its document's
/// other candidate sessions (BENCHMARKS.md has the runs that chose it).
const DOCUMENT_WEIGHT: f32 = 0.3;

/// Sessions of one document shown before other documents get their turn.
const SESSIONS_PER_DOCUMENT: usize = 2;

/// The candidates re-scored with their document's context and re-ordered
/// with the cap per document, best first.
pub(super) fn by_document(
    searcher: &Searcher,
    top: Vec<(f32, DocAddress)>,
) -> Result<Vec<(f32, DocAddress)>> {
    if top.len() < 2 {
        return Ok(top);
    }
    let addresses: Vec<DocAddress> = top.iter().map(|(_, a)| *a).collect();
    let documents = document_ids(searcher, &addresses)?;
    let mut sums: FxHashMap<u64, f32> = FxHashMap::default();
    for ((score, _), document) in top.iter().zip(&documents) {
        *sums.entry(*document).or_default() += score.max(0.0);
    }
    let mut scored: Vec<(f32, DocAddress, u64)> = top
        .iter()
        .zip(&documents)
        .map(|(&(score, address), &document)| {
            let others = sums.get(&document).copied().unwrap_or(0.0) - score.max(0.0);
            (
                score + DOCUMENT_WEIGHT * others.max(0.0).ln_1p(),
                address,
                document,
            )
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
