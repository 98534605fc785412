//! Stored sessions: reading a hit's document and passages once per search.

use std::collections::HashMap;

use anyhow::{Context, Result};
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::Hit;
use super::passages::{self, HighlightTerm};
use crate::analysis::Analyzer;
use crate::index::Fields;
use crate::model::Passage;

pub(super) fn first_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

pub(super) fn all_text(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

pub(super) fn load_hit(
    f: &Fields,
    (doc, stored): &(TantivyDocument, Vec<Passage>),
    score: f32,
    highlights: &[HighlightTerm],
    analyzer: &mut Analyzer,
    passages: usize,
) -> Result<Hit> {
    let shown = passages::best_passages(stored, highlights, analyzer, passages);
    let (passage, highlights, page, para) = shown
        .first()
        .map(|p| (p.text.clone(), p.highlights.clone(), p.page, p.para.clone()))
        .unwrap_or_default();
    Ok(Hit {
        path: first_text(doc, f.path).unwrap_or_default(),
        title: first_text(doc, f.title).unwrap_or_default(),
        date: first_text(doc, f.date),
        session: first_text(doc, f.session).unwrap_or_default(),
        doc_type: first_text(doc, f.doc_type).unwrap_or_else(|| "document".into()),
        symbol: first_text(doc, f.symbol),
        speaker: first_text(doc, f.speaker),
        country: first_text(doc, f.country),
        crimes: all_text(doc, f.crime),
        orgs: all_text(doc, f.org),
        score,
        page,
        para,
        passage,
        highlights,
        passages: shown,
        coverage: super::Coverage::Full,
        missing: Vec::new(),
        cites: all_text(doc, f.cites),
        cited_by: None,
    })
}

/// Stored sessions read so far, with their passages: feedback reads the
/// best few, which are mostly among the hits shown.
pub(super) struct StoredSessions {
    /// The field of the stored passages.
    passages: Field,
    read: HashMap<DocAddress, (TantivyDocument, Vec<Passage>)>,
}

impl StoredSessions {
    pub(super) fn new(passages: Field) -> StoredSessions {
        StoredSessions {
            passages,
            read: HashMap::new(),
        }
    }

    /// The session at `address` and its passages, read once.
    pub(super) fn get(
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
