//! Export to a distributed engine: the index's session documents, with
//! every facet ctsearch derives, as Quickwit or Elasticsearch/OpenSearch
//! documents; written to a directory ([`write_dir`]) or pushed to a node,
//! incrementally ([`push`]). Searching such a node is the search
//! backend's ([`crate::backend::quickwit`]); this module only fills it.
//!
//! One document per session, the same for both engines ([`session_doc`]);
//! only the index definition and the wire format differ
//! ([`quickwit`], [`elastic`]).

pub mod elastic;
pub mod quickwit;
mod sync;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::analysis::Analyzer;
use crate::context::Context;
use crate::index::{self, StoredSession};
use crate::model::{PassageKind, facet_key, symbol_keys};

pub use sync::{PushOptions, PushSummary, manifest_path, push};

/// Largest NDJSON file (or request body) written: Quickwit's ingest API
/// takes at most 10 MB per request; the margin leaves room for a request's
/// framing.
pub const MAX_BATCH_BYTES: usize = 9_500_000;

/// Bumped whenever the exported documents change shape: a target exported
/// with another version is exported again whole.
///
/// 3: the text fields hold ctsearch's own terms (stemmed, folded, one per
/// word position) for a whitespace tokenizer, with `*_joined` beside them;
/// the readable title moved to `title_text`.
pub const EXPORT_FORMAT: u32 = 3;

/// The engine a session is exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Quickwit,
    /// Elasticsearch, or OpenSearch (the same mapping and bulk format).
    Elasticsearch,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Quickwit => "quickwit",
            Engine::Elasticsearch => "elasticsearch",
        }
    }
}

/// The id of a briefing in the exported documents: xxh3 of its
/// corpus-relative path, 16 hex digits. Stable across exports and
/// machines, so that a later export can delete a briefing's sessions.
pub fn briefing_id(path: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(path.as_bytes()))
}

/// The id of a session: xxh3 of `path#ord`, 16 hex digits.
pub fn doc_id(path: &str, ord: u64) -> String {
    format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(format!("{path}#{ord}").as_bytes())
    )
}

/// A date as the datetime field takes it: `YYYY`, `YYYY-MM` or
/// `YYYY-MM-DD` with plausible numbers, as written; `None` for anything
/// else (a sidecar may hold free text), whose session then has no `date`.
pub fn exported_date(date: &str) -> Option<&str> {
    let parts: Vec<&str> = date.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok())?
    };
    let ok = match parts.as_slice() {
        [y] => number(y, 4).is_some(),
        [y, m] => number(y, 4).is_some() && number(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => {
            number(y, 4).is_some()
                && number(m, 2).is_some_and(|m| (1..=12).contains(&m))
                && number(d, 2).is_some_and(|d| (1..=31).contains(&d))
        }
        _ => false,
    };
    ok.then_some(date)
}

/// One exported field: its name, its type in words (for READMEs and
/// tests) and whether every document has it.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    /// Present in every document (else omitted when the session has none).
    pub always: bool,
}

/// The JSON type of an exported field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// ctsearch's terms of a text, one per word position, joined by
    /// spaces ([`crate::analysis::Analyzer::positional_terms`]): indexed
    /// by splitting on whitespace, with positions and field norms, so that
    /// the node matches exactly the terms the local index holds.
    Terms,
    /// One exact value (a raw, fast field).
    Keyword,
    /// An array of exact values.
    Keywords,
    Integer,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// Not indexed, kept for display: the date as written.
    StoredText,
    /// The passages, objects `{text, kind, page?, para?}`, not indexed.
    Passages,
}

/// Every field of an exported session document.
pub const FIELDS: &[FieldSpec] = &[
    field("doc_id", FieldKind::Keyword, true),
    field("briefing_id", FieldKind::Keyword, true),
    field("path", FieldKind::Keyword, true),
    field("title", FieldKind::Terms, false),
    field("title_joined", FieldKind::Terms, false),
    field("title_text", FieldKind::StoredText, false),
    field("session", FieldKind::Terms, true),
    field("session_joined", FieldKind::Terms, true),
    field("session_label", FieldKind::Keyword, true),
    field("session_key", FieldKind::Keyword, true),
    field("session_ord", FieldKind::Integer, true),
    field("crimes", FieldKind::Keywords, true),
    field("orgs", FieldKind::Keywords, true),
    field("year", FieldKind::Keyword, false),
    field("date", FieldKind::Date, false),
    field("date_text", FieldKind::StoredText, false),
    field("type", FieldKind::Keyword, true),
    field("symbol", FieldKind::Keyword, false),
    field("symbol_keys", FieldKind::Keywords, true),
    field("cites", FieldKind::Keywords, true),
    field("speaker", FieldKind::Keyword, false),
    field("speaker_key", FieldKind::Keyword, false),
    field("country", FieldKind::Keyword, false),
    field("country_key", FieldKind::Keyword, false),
    field("source", FieldKind::Keyword, false),
    field("page", FieldKind::Integer, false),
    field("para", FieldKind::Keywords, true),
    field("body", FieldKind::Terms, true),
    field("body_joined", FieldKind::Terms, true),
    field("passages", FieldKind::Passages, true),
];

const fn field(name: &'static str, kind: FieldKind, always: bool) -> FieldSpec {
    FieldSpec { name, kind, always }
}

/// The searched text fields, exported as ctsearch's terms: the field `X`
/// holds a text's terms by position and `X_joined` its joined hyphenated
/// forms ([`FieldKind::Terms`]).
pub const TERM_FIELDS: [&str; 3] = ["title", "session", "body"];

/// The exported document of a session (see [`FIELDS`]), its text fields
/// analyzed by `analyzer` (the index's chain and stemming exceptions).
pub fn session_doc(session: &StoredSession, analyzer: &Analyzer) -> Value {
    let mut doc = Map::new();
    let mut put = |name: &str, value: Value| {
        doc.insert(name.to_string(), value);
    };
    let put_terms = |put: &mut dyn FnMut(&str, Value), name: &str, text: &str| {
        let terms = analyzer.positional_terms(text);
        put(name, json!(terms.words));
        put(&format!("{name}_joined"), json!(terms.joined));
    };
    put("doc_id", json!(doc_id(&session.path, session.session_ord)));
    put("briefing_id", json!(briefing_id(&session.path)));
    put("path", json!(session.path));
    if let Some(title) = &session.title {
        put_terms(&mut put, "title", title);
        put("title_text", json!(title));
    }
    put_terms(&mut put, "session", &session.session_label);
    put("session_label", json!(session.session_label));
    put("session_key", json!(session.session_key));
    put("session_ord", json!(session.session_ord));
    put("crimes", json!(session.crimes));
    put("orgs", json!(session.orgs));
    if let Some(year) = &session.year {
        put("year", json!(year));
    }
    if let Some(date) = &session.date {
        if let Some(date) = exported_date(date) {
            put("date", json!(date));
        }
        put("date_text", json!(date));
    }
    put("type", json!(session.doc_type));
    put(
        "symbol_keys",
        json!(
            session
                .symbol
                .as_deref()
                .map(symbol_keys)
                .unwrap_or_default()
        ),
    );
    if let Some(symbol) = &session.symbol {
        put("symbol", json!(symbol));
    }
    put("cites", json!(session.cites));
    if let Some(speaker) = &session.speaker {
        put("speaker", json!(speaker));
        put("speaker_key", json!(facet_key(speaker)));
    }
    if let Some(country) = &session.country {
        put("country", json!(country));
        put("country_key", json!(facet_key(country)));
    }
    if let Some(source) = &session.source {
        put("source", json!(source));
    }
    if let Some(page) = session.passages.iter().find_map(|p| p.page) {
        put("page", json!(page));
    }
    let mut paras: Vec<&str> = Vec::new();
    for para in session.passages.iter().filter_map(|p| p.para.as_deref()) {
        if !paras.contains(&para) {
            paras.push(para);
        }
    }
    put("para", json!(paras));
    put_terms(&mut put, "body", &session.body);
    let passages: Vec<Value> = session
        .passages
        .iter()
        .map(|p| {
            let mut o = Map::new();
            o.insert("text".into(), json!(p.text));
            let kind = match p.kind {
                PassageKind::Heading => "heading",
                PassageKind::Paragraph => "paragraph",
                PassageKind::ListItem => "item",
            };
            o.insert("kind".into(), json!(kind));
            if let Some(page) = p.page {
                o.insert("page".into(), json!(page));
            }
            if let Some(para) = &p.para {
                o.insert("para".into(), json!(para));
            }
            Value::Object(o)
        })
        .collect();
    put("passages", Value::Array(passages));
    Value::Object(doc)
}

/// What [`write_dir`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct DirSummary {
    pub engine: &'static str,
    pub dir: PathBuf,
    pub briefings: u64,
    pub sessions: u64,
    /// The files written, relative to `dir`.
    pub files: Vec<String>,
}

/// Writes the index definition, the sessions as NDJSON files under
/// [`MAX_BATCH_BYTES`] each (a briefing's sessions in one file unless
/// they alone are larger), and a README with the commands, into `dir`.
pub fn write_dir(
    context: &Context,
    engine: Engine,
    dir: &Path,
    index_id: &str,
    maturation: &str,
) -> Result<DirSummary> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut files = Vec::new();
    let (definition, data_prefix) = match engine {
        Engine::Quickwit => {
            let name = "index-config.yaml";
            write_file(dir, name, &quickwit::index_config(index_id, maturation))?;
            (name, "sessions")
        }
        Engine::Elasticsearch => {
            let name = "mapping.json";
            let text = serde_json::to_string_pretty(&elastic::mapping())?;
            write_file(dir, name, &format!("{text}\n"))?;
            (name, "bulk")
        }
    };
    files.push(definition.to_string());
    let open = context.index();
    let analyzer = context.vocabulary.text_analyzer();
    let mut batches = Batches::new(MAX_BATCH_BYTES);
    let mut sessions = 0u64;
    let mut briefings = BTreeSet::new();
    let mut data_files: Vec<String> = Vec::new();
    let flush = |body: &[u8], data_files: &mut Vec<String>| -> Result<()> {
        let name = format!("{data_prefix}-{:04}.ndjson", data_files.len() + 1);
        std::fs::write(dir.join(&name), body)
            .with_context(|| format!("writing {}", dir.join(&name).display()))?;
        data_files.push(name);
        Ok(())
    };
    for session in index::stored_sessions(open, None)? {
        let session = session?;
        let lines = doc_lines(engine, index_id, &session, &analyzer)?;
        briefings.insert(session.path.clone());
        sessions += 1;
        for full in batches.add(&session.path, &lines) {
            flush(&full.body, &mut data_files)?;
        }
    }
    for last in batches.finish() {
        flush(&last.body, &mut data_files)?;
    }
    let readme = match engine {
        Engine::Quickwit => quickwit::readme(index_id, definition, &data_files),
        Engine::Elasticsearch => elastic::readme(index_id, definition, &data_files),
    };
    write_file(dir, "README.md", &readme)?;
    files.extend(data_files);
    files.push("README.md".into());
    Ok(DirSummary {
        engine: engine.name(),
        dir: dir.to_path_buf(),
        briefings: briefings.len() as u64,
        sessions,
        files,
    })
}

fn write_file(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    let mut file =
        std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// The NDJSON lines of a session for `engine`: the document, preceded by
/// its bulk action line for Elasticsearch.
pub(crate) fn doc_lines(
    engine: Engine,
    index_id: &str,
    session: &StoredSession,
    analyzer: &Analyzer,
) -> Result<Vec<u8>> {
    let doc = session_doc(session, analyzer);
    let mut out = Vec::with_capacity(session.body.len() * 2 + 512);
    if engine == Engine::Elasticsearch {
        let action = json!({"index": {"_index": index_id, "_id": doc_id(&session.path, session.session_ord)}});
        serde_json::to_writer(&mut out, &action)?;
        out.push(b'\n');
    }
    serde_json::to_writer(&mut out, &doc)?;
    out.push(b'\n');
    Ok(out)
}

/// A batch of NDJSON lines and the briefings whose sessions it holds,
/// with how many of each.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub body: Vec<u8>,
    /// (path, sessions in this batch), in order.
    pub briefings: Vec<(String, u64)>,
    pub sessions: u64,
}

/// Groups sessions into batches under a size limit, keeping a briefing's
/// sessions together unless they alone exceed it.
pub(crate) struct Batches {
    limit: usize,
    current: Batch,
    /// The lines of the briefing being read, not yet placed in a batch.
    pending: Batch,
}

impl Batches {
    pub(crate) fn new(limit: usize) -> Batches {
        Batches {
            limit,
            current: Batch::default(),
            pending: Batch::default(),
        }
    }

    /// Adds a session's lines; returns the batches that are full.
    pub(crate) fn add(&mut self, path: &str, lines: &[u8]) -> Vec<Batch> {
        let same = self
            .pending
            .briefings
            .last()
            .is_some_and(|(p, _)| p == path);
        let mut full = Vec::new();
        if !same {
            full.extend(self.place());
        }
        if !self.pending.body.is_empty() && self.pending.body.len() + lines.len() > self.limit {
            // One briefing larger than a batch: sent in parts, each alone.
            if !self.current.body.is_empty() {
                full.push(std::mem::take(&mut self.current));
            }
            full.push(std::mem::take(&mut self.pending));
        }
        self.pending.body.extend_from_slice(lines);
        self.pending.sessions += 1;
        match self.pending.briefings.last_mut() {
            Some((p, n)) if p == path => *n += 1,
            _ => self.pending.briefings.push((path.to_string(), 1)),
        }
        full
    }

    /// Moves the pending briefing into the current batch, returning the
    /// current batch first if the briefing does not fit.
    fn place(&mut self) -> Option<Batch> {
        if self.pending.body.is_empty() {
            return None;
        }
        let mut full = None;
        if !self.current.body.is_empty()
            && self.current.body.len() + self.pending.body.len() > self.limit
        {
            full = Some(std::mem::take(&mut self.current));
        }
        let pending = std::mem::take(&mut self.pending);
        self.current.body.extend_from_slice(&pending.body);
        self.current.sessions += pending.sessions;
        self.current.briefings.extend(pending.briefings);
        full
    }

    /// The last batches.
    pub(crate) fn finish(&mut self) -> Vec<Batch> {
        let mut full: Vec<Batch> = self.place().into_iter().collect();
        if !self.current.body.is_empty() {
            full.push(std::mem::take(&mut self.current));
        }
        full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_facet_aggregates_and_filters_an_exported_field() {
        let exported = |name: &str| FIELDS.iter().any(|f| f.name == name);
        for facet in crate::search::Facet::ALL {
            assert!(exported(facet.exported_field()), "{facet}");
            assert!(exported(facet.exported_filter_field()), "{facet}");
        }
    }

    #[test]
    fn dates_are_exported_only_when_the_datetime_field_parses_them() {
        assert_eq!(exported_date("2018-10-08"), Some("2018-10-08"));
        assert_eq!(exported_date("2018-10"), Some("2018-10"));
        assert_eq!(exported_date("2018"), Some("2018"));
        assert_eq!(exported_date("2018-13"), None);
        assert_eq!(exported_date("8 October 2018"), None);
        assert_eq!(exported_date("2018-10-08T10:00"), None);
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(briefing_id("a/b.txt"), briefing_id("a/b.txt"));
        assert_ne!(doc_id("a/b.txt", 0), doc_id("a/b.txt", 1));
        assert_eq!(briefing_id("x").len(), 16);
    }

    #[test]
    fn batches_keep_briefings_together_and_stay_under_the_limit() {
        let mut batches = Batches::new(100);
        let mut out = Vec::new();
        let line = [b'x'; 30];
        for (path, n) in [("a", 2), ("b", 2), ("c", 1), ("big", 5)] {
            for _ in 0..n {
                out.extend(batches.add(path, &line));
            }
        }
        out.extend(batches.finish());
        let total: u64 = out.iter().map(|b| b.sessions).sum();
        assert_eq!(total, 10);
        assert!(out.iter().all(|b| b.body.len() <= 100));
        // "a" and "b" do not both fit 100 bytes (120): separate batches.
        assert_eq!(out[0].briefings, vec![("a".to_string(), 2)]);
        assert_eq!(
            out[1].briefings,
            vec![("b".to_string(), 2), ("c".to_string(), 1)]
        );
        let big: u64 = out
            .iter()
            .flat_map(|b| b.briefings.iter())
            .filter(|(p, _)| p == "big")
            .map(|(_, n)| n)
            .sum();
        assert_eq!(big, 5);
    }
}
