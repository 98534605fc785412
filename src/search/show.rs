//! Showing a whole briefing, or one of its sessions, as indexed, with the
//! words of a query highlighted.

use anyhow::{Context, Result};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::passages::{self, HighlightTerm, ShownPassage};
use super::stored::first_text;
use crate::analysis::Analyzer;
use crate::index::OpenIndex;
use crate::index::codec::decode_passages;
use crate::model::{Passage, session_key};
use crate::vocabulary::Vocabulary;

/// What [`show`] could not find; a caller answers "not found" to it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotFound {
    #[error("no document {0} in the index (paths are relative to the corpus)")]
    Briefing(String),
    #[error("{path} has no session {session:?}")]
    Session { path: String, session: String },
}

/// A session as shown: every passage, with highlights.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShownSession {
    pub label: String,
    pub key: String,
    pub passages: Vec<ShownPassage>,
}

/// A document as shown: its metadata, then its sessions.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShownBriefing {
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub symbol: Option<String>,
    pub sessions: Vec<ShownSession>,
}

/// The sessions of the briefing at corpus-relative `path`, in document
/// order, only `session` if given, with the words of `query` (if not
/// empty) highlighted. `Err(NotFound)` when there is no such briefing or
/// session.
pub fn show(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    path: &str,
    session: Option<&str>,
    query: &str,
) -> Result<ShownBriefing> {
    let f = open.fields;
    let searcher = open.reader.searcher();
    let by_path = TermQuery::new(
        Term::from_field_text(f.path, path),
        IndexRecordOption::Basic,
    );
    let found = searcher
        .search(&by_path, &TopDocs::with_limit(100_000).order_by_score())
        .context("reading the index")?;
    let mut docs: Vec<(u64, TantivyDocument)> = Vec::with_capacity(found.len());
    for (_, address) in found {
        let doc: TantivyDocument = searcher.doc(address).context("reading a stored session")?;
        let ord = doc
            .get_first(f.session_ord)
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        docs.push((ord, doc));
    }
    // Only the sessions shown are decoded: a meeting record has a session
    // per turn.
    let shown = select(path, session, docs, |(_, doc)| {
        first_text(doc, f.session_key).unwrap_or_default()
    })?;
    let stored: Vec<StoredShown> = shown
        .iter()
        .map(|(ord, doc)| StoredShown {
            ord: *ord,
            title: first_text(doc, f.title).unwrap_or_default(),
            date: first_text(doc, f.date),
            doc_type: first_text(doc, f.doc_type).unwrap_or_else(|| "document".into()),
            symbol: first_text(doc, f.symbol),
            label: first_text(doc, f.session).unwrap_or_default(),
            key: first_text(doc, f.session_key).unwrap_or_default(),
            passages: decode_passages(&first_text(doc, f.passages).unwrap_or_default()),
        })
        .collect();
    let terms = if query.trim().is_empty() {
        Vec::new()
    } else {
        super::highlight_terms(open, vocabulary, query)?
    };
    Ok(assemble(
        path,
        stored,
        &terms,
        &mut vocabulary.text_analyzer(),
    ))
}

/// The stored sessions of a briefing that are shown: all of `docs`, or
/// those whose session key (`key`) is `session`'s. `Err(NotFound)` when
/// `docs` is empty (no such briefing) or none is `session`.
pub fn select<T>(
    path: &str,
    session: Option<&str>,
    docs: Vec<T>,
    key: impl Fn(&T) -> String,
) -> Result<Vec<T>> {
    if docs.is_empty() {
        return Err(NotFound::Briefing(path.to_string()).into());
    }
    let Some(wanted) = session.map(session_key) else {
        return Ok(docs);
    };
    let chosen: Vec<T> = docs.into_iter().filter(|d| key(d) == wanted).collect();
    if chosen.is_empty() {
        return Err(NotFound::Session {
            path: path.to_string(),
            session: session.unwrap_or_default().to_string(),
        }
        .into());
    }
    Ok(chosen)
}

/// One stored session, as a local index or a remote node returns it.
#[derive(Debug, Clone)]
pub struct StoredShown {
    /// Its place in the briefing.
    pub ord: u64,
    pub title: String,
    pub date: Option<String>,
    pub doc_type: String,
    pub symbol: Option<String>,
    pub label: String,
    pub key: String,
    pub passages: Vec<Passage>,
}

/// The briefing at `path` from the stored sessions [`select`] chose, in
/// document order, each passage highlighted for `terms`.
pub fn assemble(
    path: &str,
    mut stored: Vec<StoredShown>,
    terms: &[HighlightTerm],
    analyzer: &mut Analyzer,
) -> ShownBriefing {
    stored.sort_by_key(|s| s.ord);
    // Every session carries its document's metadata.
    let (title, date, doc_type, symbol) = stored.first().map_or_else(
        || (String::new(), None, "document".to_string(), None),
        |s| {
            (
                s.title.clone(),
                s.date.clone(),
                s.doc_type.clone(),
                s.symbol.clone(),
            )
        },
    );
    let mut sessions = Vec::new();
    for s in stored {
        let passages = s
            .passages
            .into_iter()
            .enumerate()
            .map(|(ord, p)| ShownPassage {
                highlights: passages::highlight(&p.text, terms, analyzer),
                text: p.text,
                page: p.page,
                para: p.para,
                score: 0.0,
                ord,
            })
            .collect();
        sessions.push(ShownSession {
            label: s.label,
            key: s.key,
            passages,
        });
    }
    ShownBriefing {
        path: path.to_string(),
        title,
        date,
        doc_type,
        symbol,
        sessions,
    }
}
