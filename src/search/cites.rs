//! The citator: the documents that cite a document ([`cited_by`]), and the
//! documents a document cites ([`cited_from`]).
//!
//! The index holds, per session, the canonical symbols its passages cite
//! (the `cites` field, [`crate::citation`] at index time). A list of
//! citing documents is the sessions holding the target, grouped by
//! document; each citing clause is found again in the stored passages, so
//! that it can be shown highlighted, with its paragraph and the kind of
//! reference. The number of documents in the list is the "cited by"
//! count, everywhere.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::stored::{all_text, first_text};
use crate::citation;
use crate::index::OpenIndex;
use crate::index::codec::decode_passages;
use crate::model::symbol_keys;

/// A target that names no document, as typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} names no document: give a resolution number (1373, S/RES/1373, 1373 (2001)) or a symbol (S/PRST/2014/23, S/PV.8716, S/2020/95)"
)]
pub struct UnknownTarget(pub String);

/// One clause citing the target.
#[derive(Debug, Clone, Serialize)]
pub struct CitingClause {
    /// The session it is in, as labelled.
    pub session: String,
    /// The citing passage's own paragraph ("4", "4 (a)").
    pub para: Option<String>,
    pub page: Option<u32>,
    /// How it cites: "recalls", "reaffirms", "extends", … where the text
    /// says so.
    pub kind: Option<String>,
    /// The paragraph of the target it cites ("4 of resolution 2178").
    pub cited_paragraph: Option<String>,
    /// The citing passage.
    pub text: String,
    /// `[start, end)` character offsets of the reference in `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// A document citing the target, with its citing clauses.
#[derive(Debug, Clone, Serialize)]
pub struct CitingDocument {
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub symbol: Option<String>,
    pub clauses: Vec<CitingClause>,
}

/// The documents citing a target.
#[derive(Debug, Clone, Serialize)]
pub struct CitedBy {
    /// The canonical target ("S/RES/1373 (2001)").
    pub target: String,
    /// Whether the target itself is in the index.
    pub in_index: bool,
    /// Documents citing it: the length of `documents`.
    pub cited_by: u64,
    /// Newest first.
    pub documents: Vec<CitingDocument>,
}

/// What a document cites, in order of first mention.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    pub target: String,
    /// Whether the cited document is in the index.
    pub in_index: bool,
    /// The first clause citing it.
    pub clause: CitingClause,
}

/// The documents a document cites.
#[derive(Debug, Clone, Serialize)]
pub struct CitedFrom {
    /// The document's canonical symbol, as asked.
    pub source: String,
    /// Its path in the index, if it is there.
    pub path: Option<String>,
    pub cites: Vec<Citation>,
}

/// The canonical target the user named; `Err(UnknownTarget)` otherwise.
pub fn resolve_target(user: &str) -> Result<String> {
    citation::target_of(user).ok_or_else(|| UnknownTarget(user.to_string()).into())
}

/// The documents citing `target` (a canonical symbol), newest first,
/// keeping only citing clauses of `kind` when given.
pub fn cited_by(open: &OpenIndex, target: &str, kind: Option<&str>) -> Result<CitedBy> {
    let f = open.fields;
    let searcher = open.reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(f.cites, target),
        IndexRecordOption::Basic,
    );
    let found = searcher
        .search(&query, &DocSetCollector)
        .context("reading the index")?;
    let mut by_path: BTreeMap<String, CitingDocument> = BTreeMap::new();
    for address in sorted(found) {
        let doc: TantivyDocument = searcher.doc(address).context("reading a stored session")?;
        let path = first_text(&doc, f.path).unwrap_or_default();
        let symbol = first_text(&doc, f.symbol);
        let clauses: Vec<CitingClause> = clauses(&doc, f, symbol.as_deref())
            .into_iter()
            .filter(|(t, c)| t == target && kind.is_none_or(|k| c.kind.as_deref() == Some(k)))
            .map(|(_, c)| c)
            .collect();
        if clauses.is_empty() {
            continue;
        }
        by_path
            .entry(path.clone())
            .or_insert_with(|| CitingDocument {
                path,
                title: first_text(&doc, f.title).unwrap_or_default(),
                date: first_text(&doc, f.date),
                doc_type: first_text(&doc, f.doc_type).unwrap_or_else(|| "document".into()),
                symbol,
                clauses: Vec::new(),
            })
            .clauses
            .extend(clauses);
    }
    let mut documents: Vec<CitingDocument> = by_path.into_values().collect();
    documents.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
    Ok(CitedBy {
        target: target.to_string(),
        in_index: in_index(&searcher, open, target)?,
        cited_by: documents.len() as u64,
        documents,
    })
}

/// What the document known by `source` (a canonical symbol) cites.
pub fn cited_from(open: &OpenIndex, source: &str) -> Result<CitedFrom> {
    let f = open.fields;
    let searcher = open.reader.searcher();
    let mut sessions = Vec::new();
    for key in symbol_keys(source) {
        let query = TermQuery::new(
            Term::from_field_text(f.symbol_key, &key),
            IndexRecordOption::Basic,
        );
        sessions = sorted(
            searcher
                .search(&query, &DocSetCollector)
                .context("reading the index")?,
        );
        if !sessions.is_empty() {
            break;
        }
    }
    let mut path = None;
    let mut cites: Vec<Citation> = Vec::new();
    for address in sessions {
        let doc: TantivyDocument = searcher.doc(address).context("reading a stored session")?;
        path = path.or_else(|| first_text(&doc, f.path));
        let symbol = first_text(&doc, f.symbol);
        for (target, clause) in clauses(&doc, f, symbol.as_deref()) {
            if !cites.iter().any(|c| c.target == target) {
                cites.push(Citation {
                    in_index: in_index(&searcher, open, &target)?,
                    target,
                    clause,
                });
            }
        }
    }
    Ok(CitedFrom {
        source: source.to_string(),
        path,
        cites,
    })
}

/// How many documents cite `target` (a canonical symbol): the documents
/// of the sessions holding it, as [`cited_by`] lists them.
pub fn cited_by_count(open: &OpenIndex, target: &str) -> Result<u64> {
    let searcher = open.reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(open.fields.cites, target),
        IndexRecordOption::Basic,
    );
    let found = sorted(
        searcher
            .search(&query, &DocSetCollector)
            .context("reading the index")?,
    );
    let documents = super::documents::document_ids(&searcher, &found)?;
    let distinct: std::collections::HashSet<(u32, u64)> = found
        .iter()
        .zip(documents)
        .map(|(a, d)| (a.segment_ord, d))
        .collect();
    Ok(distinct.len() as u64)
}

/// Session addresses in index order: a document's sessions in its order.
fn sorted(found: impl IntoIterator<Item = DocAddress>) -> Vec<DocAddress> {
    let mut all: Vec<DocAddress> = found.into_iter().collect();
    all.sort_by_key(|a| (a.segment_ord, a.doc_id));
    all
}

/// Whether a document with symbol `target` is in the index.
fn in_index(searcher: &Searcher, open: &OpenIndex, target: &str) -> Result<bool> {
    for key in symbol_keys(target) {
        let query = TermQuery::new(
            Term::from_field_text(open.fields.symbol_key, &key),
            IndexRecordOption::Basic,
        );
        if searcher
            .search(&query, &Count)
            .context("reading the index")?
            > 0
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Every reference of a stored session's passages, as (canonical target,
/// clause), in text order.
fn clauses(
    doc: &TantivyDocument,
    f: crate::index::Fields,
    own: Option<&str>,
) -> Vec<(String, CitingClause)> {
    // Sessions without citations are not read further.
    if all_text(doc, f.cites).is_empty() {
        return Vec::new();
    }
    let session = first_text(doc, f.session).unwrap_or_default();
    let passages = decode_passages(&first_text(doc, f.passages).unwrap_or_default());
    let mut out = Vec::new();
    for passage in passages {
        for reference in citation::extract(&passage.text, own) {
            let (start, end) = reference.span;
            let chars = |byte: usize| {
                passage
                    .text
                    .get(..byte.min(passage.text.len()))
                    .map_or(0, |t| t.chars().count())
            };
            out.push((
                citation::canonical(&reference.target),
                CitingClause {
                    session: session.clone(),
                    para: passage.para.clone(),
                    page: passage.page,
                    kind: reference.kind.map(|k| k.as_str().to_string()),
                    cited_paragraph: reference.paragraph.clone(),
                    text: passage.text.clone(),
                    highlights: vec![[chars(start), chars(end)]],
                },
            ));
        }
    }
    out
}

/// The document a query names, when the whole query is a reference to one
/// ("resolution 1373", "S/RES/1373 (2001)", "1373 (2001)", "S/PV.8716"):
/// its canonical symbol. A bare number is not one (it may be anything).
pub fn named_document(query: &str) -> Option<String> {
    let q = query.trim().trim_matches('"');
    if q.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    citation::target_of(q)
}

/// `top` with the sessions of the document known by `target` first, then
/// those citing it, then the rest, each group in its order.
pub(super) fn named_first(
    searcher: &Searcher,
    f: crate::index::Fields,
    target: &str,
    top: Vec<(f32, DocAddress)>,
) -> Result<Vec<(f32, DocAddress)>> {
    let set = |field, text: &str| -> Result<std::collections::HashSet<DocAddress>> {
        let query = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic);
        searcher
            .search(&query, &DocSetCollector)
            .context("reading the index")
    };
    let mut own = std::collections::HashSet::new();
    for key in symbol_keys(target) {
        own.extend(set(f.symbol_key, &key)?);
    }
    let citing = set(f.cites, target)?;
    let mut top = top;
    top.sort_by_key(|(_, a)| {
        if own.contains(a) {
            0
        } else if citing.contains(a) {
            1
        } else {
            2
        }
    });
    Ok(top)
}
