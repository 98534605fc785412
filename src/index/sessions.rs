//! Reading the stored session documents back, whole: for exporting the
//! index to another engine (`ctsearch export`), which needs every field a
//! session was indexed with, and the briefings' content hashes to tell
//! what changed since the last export.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::codec::decode_passages;
use super::document::session_body;
use super::manifest::{Manifest, read_manifest};
use super::reader::OpenIndex;
use super::schema::Fields;
use crate::model::{Passage, Session, Speaker};

/// A session document as stored, with the body text it was indexed with.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    /// Corpus-relative path of the briefing.
    pub path: String,
    pub title: Option<String>,
    /// The label as written ("Session III", "Overview").
    pub session_label: String,
    /// The normalized key `--session` filters on.
    pub session_key: String,
    /// Position of the session in its briefing, from 0.
    pub session_ord: u64,
    pub crimes: Vec<String>,
    pub orgs: Vec<String>,
    pub year: Option<String>,
    /// As the metadata gives it: `YYYY-MM-DD` or a prefix of it, or other
    /// text from a sidecar.
    pub date: Option<String>,
    pub symbol: Option<String>,
    /// The documents the session cites, canonical.
    pub cites: Vec<String>,
    pub source: Option<String>,
    /// The document type's name ("briefing", "resolution").
    pub doc_type: String,
    pub speaker: Option<String>,
    pub country: Option<String>,
    pub passages: Vec<Passage>,
    /// The text the body field was indexed from: the title, the passages
    /// (but a heading repeating the title) and the symbol.
    pub body: String,
}

/// Every indexed briefing with its content hash and counts, as the last
/// commit's manifest records them.
pub fn briefings(open: &OpenIndex) -> Result<Manifest> {
    read_manifest(&open.dir, &open.payload)
}

/// The stored sessions of the index, in index order, or only those of the
/// briefings in `only` (corpus-relative paths). A briefing's sessions are
/// written together, so they come one after another, in session order.
pub fn stored_sessions<'a>(
    open: &'a OpenIndex,
    only: Option<&BTreeSet<String>>,
) -> Result<StoredSessions<'a>> {
    let searcher = open.reader.searcher();
    let addresses = match only {
        None => {
            let mut all = Vec::new();
            for (ord, segment) in searcher.segment_readers().iter().enumerate() {
                let ord = ord as u32;
                all.extend(segment.doc_ids_alive().map(|doc| DocAddress::new(ord, doc)));
            }
            all
        }
        Some(paths) => {
            let mut found = Vec::new();
            for path in paths {
                let query = TermQuery::new(
                    Term::from_field_text(open.fields.path, path),
                    IndexRecordOption::Basic,
                );
                let docs = searcher
                    .search(&query, &DocSetCollector)
                    .context("reading the index")?;
                found.extend(docs);
            }
            found.sort();
            found
        }
    };
    Ok(StoredSessions {
        fields: &open.fields,
        searcher,
        addresses: addresses.into_iter(),
    })
}

/// Iterator over stored sessions (see [`stored_sessions`]).
pub struct StoredSessions<'a> {
    fields: &'a Fields,
    searcher: Searcher,
    addresses: std::vec::IntoIter<DocAddress>,
}

impl StoredSessions<'_> {
    /// How many sessions are left.
    pub fn remaining(&self) -> usize {
        self.addresses.len()
    }
}

impl Iterator for StoredSessions<'_> {
    type Item = Result<StoredSession>;

    fn next(&mut self) -> Option<Self::Item> {
        let address = self.addresses.next()?;
        Some(read_session(&self.searcher, self.fields, address))
    }
}

fn first(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn all(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn read_session(searcher: &Searcher, f: &Fields, address: DocAddress) -> Result<StoredSession> {
    let doc: TantivyDocument = searcher
        .doc(address)
        .context("reading a stored session (run `ctsearch index --rebuild` if this persists)")?;
    let passages = first(&doc, f.passages)
        .map(|stored| decode_passages(&stored))
        .unwrap_or_default();
    let title = first(&doc, f.title);
    let symbol = first(&doc, f.symbol);
    let session_label = first(&doc, f.session).unwrap_or_default();
    let speaker = first(&doc, f.speaker);
    let country = first(&doc, f.country);
    let session = Session {
        label: session_label.clone(),
        key: first(&doc, f.session_key).unwrap_or_default(),
        speaker: speaker.clone().map(|name| Speaker {
            name,
            country: country.clone(),
        }),
        passages,
    };
    // The same text the index run gave the body field.
    let mut body = session_body(&session, title.as_deref());
    if let Some(symbol) = &symbol {
        body.push_str("\n\n");
        body.push_str(symbol);
    }
    Ok(StoredSession {
        path: first(&doc, f.path).unwrap_or_default(),
        title,
        session_label,
        session_key: session.key,
        session_ord: doc
            .get_first(f.session_ord)
            .and_then(|v| v.as_u64())
            .unwrap_or(0),
        crimes: all(&doc, f.crime),
        orgs: all(&doc, f.org),
        year: first(&doc, f.year),
        date: first(&doc, f.date),
        symbol,
        cites: all(&doc, f.cites),
        source: first(&doc, f.source),
        doc_type: first(&doc, f.doc_type).unwrap_or_else(|| "document".into()),
        speaker,
        country,
        passages: session.passages,
        body,
    })
}
