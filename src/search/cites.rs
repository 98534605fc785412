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
use crate::model::{Passage, symbol_keys};

/// A stored session as the citator reads it, from whichever engine holds
/// it: its document's metadata, its own label, the canonical symbols it
/// cites and its passages.
#[derive(Debug, Clone, Default)]
pub struct CitedSession {
    /// The document's corpus-relative path.
    pub path: String,
    pub title: Option<String>,
    pub date: Option<String>,
    /// The document type's name; `None` when not stored.
    pub doc_type: Option<String>,
    pub symbol: Option<String>,
    /// The session's label, as written.
    pub session: String,
    /// The canonical symbols its passages cite.
    pub cites: Vec<String>,
    pub passages: Vec<Passage>,
}

/// Where the citator reads stored sessions: the local index
/// ([`OpenIndex`]) or a Quickwit node (`crate::backend`). Every list is
/// complete (no cap), each document's sessions together and in document
/// order, so that [`cited_by`], [`cited_from`], [`document_citations`]
/// and [`lineage`] answer alike on either.
pub trait CitationStore {
    /// The sessions whose `cites` hold `target` (a canonical symbol).
    fn citing(&self, target: &str) -> Result<Vec<CitedSession>>;
    /// The sessions of the document known by `symbol`: those of the first
    /// of its [`symbol_keys`] that names any.
    fn of_symbol(&self, symbol: &str) -> Result<Vec<CitedSession>>;
    /// One session of the document known by `symbol` (any: each carries
    /// its document's metadata), if it is stored.
    fn first_of_symbol(&self, symbol: &str) -> Result<Option<CitedSession>>;
    /// The sessions of the document at corpus-relative `path`.
    fn of_path(&self, path: &str) -> Result<Vec<CitedSession>>;
    /// Whether a document known by `symbol` is stored.
    fn has_symbol(&self, symbol: &str) -> Result<bool>;
    /// How many documents hold a session citing `target`: the length of
    /// [`cited_by`]'s list.
    fn cited_by_count(&self, target: &str) -> Result<u64>;
    /// Every session citing anything, each document's sessions together.
    fn all_citing(&self) -> Result<Vec<CitedSession>>;
}

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
    /// What looked wrong in the reference as written, and what was kept
    /// ("resolution 2118 cited as of 2113: read as 2013, the year of its
    /// number"): source typos are shown, not silently mended or dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
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
    match citation::user_target(user) {
        Ok(Some(target)) => Ok(target),
        Ok(None) => Err(UnknownTarget(user.to_string()).into()),
        Err(mistake) => Err(anyhow::anyhow!(mistake)),
    }
}

/// The documents citing `target` (a canonical symbol), newest first,
/// keeping only citing clauses of `kind` when given.
pub fn cited_by<S: CitationStore + ?Sized>(
    store: &S,
    target: &str,
    kind: Option<&str>,
) -> Result<CitedBy> {
    let mut by_path: BTreeMap<String, CitingDocument> = BTreeMap::new();
    for session in store.citing(target)? {
        let clauses: Vec<CitingClause> = clauses(&session, session.symbol.as_deref())
            .into_iter()
            .filter(|(t, c)| t == target && kind.is_none_or(|k| c.kind.as_deref() == Some(k)))
            .map(|(_, c)| c)
            .collect();
        if clauses.is_empty() {
            continue;
        }
        let CitedSession {
            path,
            title,
            date,
            doc_type,
            symbol,
            ..
        } = session;
        by_path
            .entry(path.clone())
            .or_insert_with(|| CitingDocument {
                path,
                title: title.unwrap_or_default(),
                date,
                doc_type: doc_type.unwrap_or_else(|| "document".into()),
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
        in_index: store.has_symbol(target)?,
        cited_by: documents.len() as u64,
        documents,
    })
}

/// What the document known by `source` (a canonical symbol) cites.
pub fn cited_from<S: CitationStore + ?Sized>(store: &S, source: &str) -> Result<CitedFrom> {
    let sessions = store.of_symbol(source)?;
    let path = sessions.first().map(|s| s.path.clone());
    let mut cites: Vec<Citation> = Vec::new();
    for session in &sessions {
        for (target, clause) in clauses(session, session.symbol.as_deref()) {
            match cites.iter_mut().find(|c| c.target == target) {
                // The first clause is shown; a later one's doubt about how
                // the reference was written is shown with it.
                Some(seen) => {
                    if seen.clause.warning.is_none() {
                        seen.clause.warning = clause.warning;
                    }
                }
                None => cites.push(Citation {
                    in_index: store.has_symbol(&target)?,
                    target,
                    clause,
                }),
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
pub fn cited_by_count<S: CitationStore + ?Sized>(store: &S, target: &str) -> Result<u64> {
    store.cited_by_count(target)
}

/// Session addresses in index order: a document's sessions in its order.
fn sorted(found: impl IntoIterator<Item = DocAddress>) -> Vec<DocAddress> {
    let mut all: Vec<DocAddress> = found.into_iter().collect();
    all.sort_by_key(|a| (a.segment_ord, a.doc_id));
    all
}

/// The stored session at `address`, as the citator reads it.
fn read_session(
    open: &OpenIndex,
    searcher: &Searcher,
    address: DocAddress,
) -> Result<CitedSession> {
    let f = open.fields;
    let doc: TantivyDocument = searcher.doc(address).context("reading a stored session")?;
    let cites = all_text(&doc, f.cites);
    // Sessions citing nothing are not read further by the citator, but
    // their passages are the text a lineage reads.
    let passages = decode_passages(&first_text(&doc, f.passages).unwrap_or_default());
    Ok(CitedSession {
        path: first_text(&doc, f.path).unwrap_or_default(),
        title: first_text(&doc, f.title),
        date: first_text(&doc, f.date),
        doc_type: first_text(&doc, f.doc_type),
        symbol: first_text(&doc, f.symbol),
        session: first_text(&doc, f.session).unwrap_or_default(),
        cites,
        passages,
    })
}

/// The sessions holding the term `text` in `field`, in index order.
fn sessions_with(
    open: &OpenIndex,
    searcher: &Searcher,
    field: tantivy::schema::Field,
    text: &str,
) -> Result<Vec<CitedSession>> {
    let query = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic);
    let found = searcher
        .search(&query, &DocSetCollector)
        .context("reading the index")?;
    sorted(found)
        .into_iter()
        .map(|address| read_session(open, searcher, address))
        .collect()
}

/// The local index: sessions in index order (a document's sessions in
/// its order).
impl CitationStore for OpenIndex {
    fn citing(&self, target: &str) -> Result<Vec<CitedSession>> {
        sessions_with(self, &self.reader.searcher(), self.fields.cites, target)
    }

    fn of_symbol(&self, symbol: &str) -> Result<Vec<CitedSession>> {
        let searcher = self.reader.searcher();
        for key in symbol_keys(symbol) {
            let sessions = sessions_with(self, &searcher, self.fields.symbol_key, &key)?;
            if !sessions.is_empty() {
                return Ok(sessions);
            }
        }
        Ok(Vec::new())
    }

    fn first_of_symbol(&self, symbol: &str) -> Result<Option<CitedSession>> {
        let searcher = self.reader.searcher();
        for key in symbol_keys(symbol) {
            let query = TermQuery::new(
                Term::from_field_text(self.fields.symbol_key, &key),
                IndexRecordOption::Basic,
            );
            let found = searcher
                .search(
                    &query,
                    &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
                )
                .context("reading the index")?;
            if let Some((_, address)) = found.first() {
                return read_session(self, &searcher, *address).map(Some);
            }
        }
        Ok(None)
    }

    fn of_path(&self, path: &str) -> Result<Vec<CitedSession>> {
        sessions_with(self, &self.reader.searcher(), self.fields.path, path)
    }

    fn has_symbol(&self, symbol: &str) -> Result<bool> {
        let searcher = self.reader.searcher();
        for key in symbol_keys(symbol) {
            let query = TermQuery::new(
                Term::from_field_text(self.fields.symbol_key, &key),
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

    fn cited_by_count(&self, target: &str) -> Result<u64> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.cites, target),
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

    fn all_citing(&self) -> Result<Vec<CitedSession>> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        // The postings of every cited symbol, united.
        let mut citing = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(f.cites)
                .context("reading the index")?;
            let mut terms = inverted.terms().stream().context("reading the index")?;
            while terms.advance() {
                let Ok(target) = std::str::from_utf8(terms.key()) else {
                    continue;
                };
                let query = TermQuery::new(
                    Term::from_field_text(f.cites, target),
                    IndexRecordOption::Basic,
                );
                citing.extend(
                    searcher
                        .search(&query, &DocSetCollector)
                        .context("reading the index")?,
                );
            }
        }
        citing
            .into_iter()
            .map(|address| read_session(self, &searcher, address))
            .collect()
    }
}

/// Every reference of a stored session's passages, as (canonical target,
/// clause), in text order.
fn clauses(session: &CitedSession, own: Option<&str>) -> Vec<(String, CitingClause)> {
    // Sessions without citations are not read further.
    if session.cites.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for passage in &session.passages {
        for reference in citation::extract(&passage.text, own) {
            let (start, end) = reference.span;
            out.push((
                citation::canonical(&reference.target),
                CitingClause {
                    session: session.session.clone(),
                    para: passage.para.clone(),
                    page: passage.page,
                    kind: reference.kind.map(|k| k.as_str().to_string()),
                    cited_paragraph: reference.paragraph.clone(),
                    text: passage.text.clone(),
                    highlights: vec![[
                        char_offset(&passage.text, start),
                        char_offset(&passage.text, end),
                    ]],
                    warning: reference.warning.clone(),
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

/// A document the shown document cites.
#[derive(Debug, Clone, Serialize)]
pub struct CitesEntry {
    /// The canonical symbol cited.
    pub target: String,
    /// The kinds of its citing clauses, each once, in text order.
    pub kinds: Vec<String>,
    pub in_index: bool,
    /// The cited document's path, when it is in the index.
    pub path: Option<String>,
}

/// A document citing the shown document.
#[derive(Debug, Clone, Serialize)]
pub struct CitedByEntry {
    pub path: String,
    pub symbol: Option<String>,
    pub title: String,
    pub date: Option<String>,
    /// The kinds of its citing clauses, each once, in text order.
    pub kinds: Vec<String>,
}

/// A document's place in the citation network, as `show` and the page
/// list it.
#[derive(Debug, Clone, Serialize)]
pub struct Citations {
    /// What it cites, in order of first mention.
    pub cites: Vec<CitesEntry>,
    /// How many documents cite it: the length of `citing`, the count of
    /// `cites SYMBOL` and of the documents `--cites SYMBOL` finds.
    pub cited_by: u64,
    /// The documents citing it, newest first: [`cited_by`]'s list.
    pub citing: Vec<CitedByEntry>,
    /// Citing documents per year of their date (dated ones only), oldest
    /// year first.
    pub cited_by_per_year: BTreeMap<String, u64>,
    /// Its renewals and extensions, when it has a predecessor or a
    /// successor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lineage: Option<Lineage>,
}

/// The citations of the document at corpus-relative `path`: what it
/// cites, what cites it (by its symbol; nothing for a document without
/// one) and its lineage. `Err(NotFound)` when there is no such document.
pub fn document_citations<S: CitationStore + ?Sized>(store: &S, path: &str) -> Result<Citations> {
    let sessions = store.of_path(path)?;
    let Some(first) = sessions.first() else {
        return Err(super::show::NotFound::Briefing(path.to_string()).into());
    };
    let symbol = first.symbol.clone();
    let mut cites: Vec<CitesEntry> = Vec::new();
    for session in &sessions {
        for (target, clause) in clauses(session, symbol.as_deref()) {
            let at = match cites.iter().position(|c| c.target == target) {
                Some(at) => at,
                None => {
                    let path = store.first_of_symbol(&target)?.map(|s| s.path);
                    cites.push(CitesEntry {
                        in_index: path.is_some(),
                        path,
                        target,
                        kinds: Vec::new(),
                    });
                    cites.len() - 1
                }
            };
            if let Some(kind) = clause.kind
                && !cites[at].kinds.contains(&kind)
            {
                cites[at].kinds.push(kind);
            }
        }
    }
    let own = symbol.as_deref().and_then(citation::target_of);
    let (cited_by, lineage) = match &own {
        Some(target) => {
            let by = self::cited_by(store, target, None)?;
            let lineage = lineage(store, target)?;
            (by.documents, (lineage.steps.len() > 1).then_some(lineage))
        }
        None => (Vec::new(), None),
    };
    let mut cited_by_per_year = BTreeMap::new();
    for document in &cited_by {
        if let Some(year) = document.date.as_deref().and_then(|d| d.get(..4)) {
            *cited_by_per_year.entry(year.to_string()).or_insert(0) += 1;
        }
    }
    let citing: Vec<CitedByEntry> = cited_by
        .into_iter()
        .map(|d| {
            let mut kinds: Vec<String> = Vec::new();
            for kind in d.clauses.into_iter().filter_map(|c| c.kind) {
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
            CitedByEntry {
                path: d.path,
                symbol: d.symbol,
                title: d.title,
                date: d.date,
                kinds,
            }
        })
        .collect();
    Ok(Citations {
        cites,
        cited_by: citing.len() as u64,
        citing,
        cited_by_per_year,
        lineage,
    })
}

/// One step of a lineage: a resolution and how it continues the one
/// before.
#[derive(Debug, Clone, Serialize)]
pub struct LineageStep {
    /// The canonical symbol.
    pub symbol: String,
    pub in_index: bool,
    pub path: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    /// How it continues the step before ("extends", "renews", "amends",
    /// "terminates"); `None` for the root.
    pub kind: Option<String>,
    /// The symbol of the step it continues; `None` for the root.
    pub continues: Option<String>,
    /// The clause that does so, its act highlighted.
    pub clause: Option<CitingClause>,
}

/// The renewals and extensions a resolution belongs to: from the root it
/// goes back to, through it, to every resolution continuing it, oldest
/// first.
#[derive(Debug, Clone, Serialize)]
pub struct Lineage {
    /// The resolution asked about.
    pub symbol: String,
    pub steps: Vec<LineageStep>,
}

/// The kinds of reference that make the citing resolution continue the
/// cited one. *Establishes* is not one: a resolution establishing a body
/// "pursuant to resolution N" starts something new, and is a root.
const CONTINUING: [citation::Kind; 4] = [
    citation::Kind::Extends,
    citation::Kind::Renews,
    citation::Kind::Amends,
    citation::Kind::Terminates,
];

/// What a resolution continues, read from its text.
struct Predecessor {
    target: String,
    kind: citation::Kind,
    clause: CitingClause,
}

/// The number of a canonical Council resolution symbol.
fn resolution_number(target: &str) -> Option<u32> {
    let rest = target.strip_prefix("S/RES/")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Character offset of byte `byte` in `text`.
fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte.min(text.len()))
        .map_or(0, |t| t.chars().count())
}

/// The resolution the document of `sessions` (its symbol `own`)
/// continues: the newest earlier Council resolution it cites with a
/// continuing kind ([`CONTINUING`]) in an operative clause; else, when a
/// clause continues a body without naming the resolution
/// ([`citation::continuation`]), the newest earlier Council resolution
/// recalled or reaffirmed in a preambular paragraph naming that body
/// ("Recalling, in particular, resolution 1535 (2004) … which pertain to
/// … (CTED)").
/// Preambular paragraphs act on nothing: "Recalling its decision in
/// resolution 1977 (2011) to extend the mandate of the Committee
/// established pursuant to resolution 1540 (2004)" reports an extension,
/// and "Directs CTED to increase cooperation with … 1989 (2011)" names
/// the body beside a resolution it does not continue.
fn predecessor(sessions: &[CitedSession], own: &str) -> Option<Predecessor> {
    let own_number = resolution_number(own);
    let earlier =
        |target: &str| resolution_number(target).filter(|n| own_number.is_none_or(|own| *n < own));
    let mut passages = Vec::new();
    for session in sessions {
        for passage in &session.passages {
            passages.push((session.session.clone(), passage.clone()));
        }
    }
    let clause_of =
        |session: &str, passage: &crate::model::Passage, span: (usize, usize), kind| CitingClause {
            session: session.to_string(),
            para: passage.para.clone(),
            page: passage.page,
            kind: Some(citation::Kind::as_str(kind).to_string()),
            cited_paragraph: None,
            text: passage.text.clone(),
            highlights: vec![[
                char_offset(&passage.text, span.0),
                char_offset(&passage.text, span.1),
            ]],
            warning: None,
        };
    let mut best: Option<(u32, Predecessor)> = None;
    for (session, passage) in &passages {
        if preambular(&passage.text) {
            continue;
        }
        for reference in citation::extract(&passage.text, Some(own)) {
            let Some(kind) = reference.kind.filter(|k| CONTINUING.contains(k)) else {
                continue;
            };
            let target = citation::canonical(&reference.target);
            let Some(number) = earlier(&target) else {
                continue;
            };
            if best.as_ref().is_none_or(|(n, _)| number > *n) {
                let mut clause = clause_of(session, passage, reference.span, kind);
                clause.cited_paragraph = reference.paragraph.clone();
                best = Some((
                    number,
                    Predecessor {
                        target,
                        kind,
                        clause,
                    },
                ));
            }
        }
    }
    if let Some((_, found)) = best {
        return Some(found);
    }
    for (session, passage) in &passages {
        let Some(act) = citation::continuation(&passage.text) else {
            continue;
        };
        // A body named by its resolution ("the 1540 Committee") is named
        // by that resolution's number too ("Reaffirming its resolutions
        // 1540 (2004), 1673 (2006) and 1810 (2008)").
        let founding = act
            .subject
            .split_whitespace()
            .find_map(|w| w.parse::<u32>().ok());
        let newest = passages
            .iter()
            .filter(|(_, p)| preambular(&p.text))
            .map(|(_, p)| (p, citation::extract(&p.text, Some(own))))
            .filter(|(p, refs)| {
                names(&p.text, &act.subject)
                    || founding.is_some_and(|n| {
                        refs.iter()
                            .any(|r| resolution_number(&citation::canonical(&r.target)) == Some(n))
                    })
            })
            .flat_map(|(_, refs)| refs)
            .filter(|r| {
                matches!(
                    r.kind,
                    Some(citation::Kind::Recalls | citation::Kind::Reaffirms)
                )
            })
            .map(|r| citation::canonical(&r.target))
            .filter_map(|t| earlier(&t).map(|n| (n, t)))
            .max();
        if let Some((_, target)) = newest {
            return Some(Predecessor {
                target,
                kind: act.kind,
                clause: clause_of(session, passage, act.span, act.kind),
            });
        }
    }
    None
}

/// Whether a passage is a preambular paragraph: its first word (after a
/// paragraph number) is a participle, "Recalling", "Reaffirming", …
fn preambular(text: &str) -> bool {
    text.split_whitespace()
        .find(|w| w.chars().any(char::is_alphabetic))
        .is_some_and(|w| {
            w.trim_end_matches(|c: char| !c.is_alphabetic())
                .to_ascii_lowercase()
                .ends_with("ing")
        })
}

/// Whether `text` names `subject` as a whole word or words.
fn names(text: &str, subject: &str) -> bool {
    text.match_indices(subject).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + subject.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The lineage of the resolution `target` (a canonical symbol): back
/// through what each continues to a root (the first not continuing any,
/// or one not in the index), and forward through every resolution in the
/// index continuing it, theirs, and so on. Derived from the extracted
/// kinds and continuation clauses, never from a list. A resolution
/// without either has a lineage of one step.
pub fn lineage<S: CitationStore + ?Sized>(store: &S, target: &str) -> Result<Lineage> {
    let step =
        |symbol: &str, sessions: &[CitedSession], pred: Option<&Predecessor>| -> LineageStep {
            let first = sessions.first();
            LineageStep {
                symbol: symbol.to_string(),
                in_index: first.is_some(),
                path: first.map(|s| s.path.clone()),
                title: first.and_then(|s| s.title.clone()),
                date: first.and_then(|s| s.date.clone()),
                kind: pred.map(|p| p.kind.as_str().to_string()),
                continues: pred.map(|p| p.target.clone()),
                clause: pred.map(|p| p.clause.clone()),
            }
        };
    let mut seen = std::collections::HashSet::new();
    // Back to the root.
    let mut back = Vec::new();
    let mut current = target.to_string();
    loop {
        seen.insert(current.clone());
        let sessions = match store.first_of_symbol(&current)? {
            Some(first) => store.of_path(&first.path)?,
            None => Vec::new(),
        };
        let pred = predecessor(&sessions, &current);
        back.push(step(&current, &sessions, pred.as_ref()));
        match pred {
            Some(p) if !seen.contains(&p.target) => current = p.target,
            _ => break,
        }
    }
    back.reverse();
    // Forward: the citing resolutions whose predecessor is a step.
    let mut forward = Vec::new();
    let mut queue = std::collections::VecDeque::from([target.to_string()]);
    while let Some(cited) = queue.pop_front() {
        let paths: std::collections::BTreeSet<String> =
            store.citing(&cited)?.into_iter().map(|s| s.path).collect();
        for path in paths {
            let sessions = store.of_path(&path)?;
            let Some(symbol) = sessions
                .first()
                .and_then(|s| s.symbol.as_deref())
                .and_then(citation::target_of)
            else {
                continue;
            };
            if seen.contains(&symbol) {
                continue;
            }
            let pred = predecessor(&sessions, &symbol);
            if pred.as_ref().is_some_and(|p| p.target == cited) {
                seen.insert(symbol.clone());
                forward.push(step(&symbol, &sessions, pred.as_ref()));
                queue.push_back(symbol);
            }
        }
    }
    forward.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then(resolution_number(&a.symbol).cmp(&resolution_number(&b.symbol)))
    });
    back.extend(forward);
    Ok(Lineage {
        symbol: target.to_string(),
        steps: back,
    })
}

/// A document of the citation network.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// Its canonical symbol, or its path when it has none.
    pub id: String,
    pub symbol: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub in_index: bool,
    pub path: Option<String>,
}

/// A citing document's references to one cited document.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// The citing node's id.
    pub source: String,
    /// The cited node's id.
    pub target: String,
    /// The kinds of its references, each once, in [`citation::Kind::ALL`]
    /// order.
    pub kinds: Vec<String>,
    /// How many references (clauses citing it) it holds.
    pub count: u64,
}

/// The citation network of the whole index.
#[derive(Debug, Clone, Serialize)]
pub struct Network {
    /// Every document citing or cited, by id.
    pub nodes: Vec<Node>,
    /// One per (citing, cited) pair, by source then target.
    pub edges: Vec<Edge>,
}

/// Every citation in the index: the documents (in the index or only
/// cited) and one edge per citing document and cited document, with the
/// kinds and number of its references. The edges' references are those
/// [`cited_by`] lists, so a node's in-edges are its "cited by" count.
pub fn network(store: &impl CitationStore) -> Result<Network> {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut edges: BTreeMap<(String, String), Edge> = BTreeMap::new();
    for session in store.all_citing()? {
        let symbol = session.symbol.clone();
        let path = session.path.clone();
        let id = symbol
            .as_deref()
            .and_then(citation::target_of)
            .unwrap_or_else(|| path.clone());
        for (target, clause) in clauses(&session, symbol.as_deref()) {
            let edge = edges
                .entry((id.clone(), target.clone()))
                .or_insert_with(|| Edge {
                    source: id.clone(),
                    target,
                    kinds: Vec::new(),
                    count: 0,
                });
            edge.count += 1;
            if let Some(kind) = clause.kind
                && !edge.kinds.contains(&kind)
            {
                edge.kinds.push(kind);
            }
        }
        nodes.entry(id.clone()).or_insert_with(|| Node {
            id,
            symbol,
            title: session.title,
            date: session.date,
            doc_type: session.doc_type,
            in_index: true,
            path: Some(path),
        });
    }
    let order = |k: &String| {
        citation::Kind::from_name(k)
            .and_then(|k| citation::Kind::ALL.iter().position(|a| *a == k))
            .unwrap_or(usize::MAX)
    };
    for edge in edges.values_mut() {
        edge.kinds.sort_by_key(order);
    }
    let cited: std::collections::BTreeSet<String> =
        edges.values().map(|e| e.target.clone()).collect();
    for target in cited {
        if nodes.contains_key(&target) {
            continue;
        }
        let first = store.first_of_symbol(&target)?;
        let node = Node {
            id: target.clone(),
            symbol: Some(target.clone()),
            title: first.as_ref().and_then(|s| s.title.clone()),
            date: first.as_ref().and_then(|s| s.date.clone()),
            doc_type: first.as_ref().and_then(|s| s.doc_type.clone()),
            in_index: first.is_some(),
            path: first.map(|s| s.path),
        };
        nodes.insert(target, node);
    }
    Ok(Network {
        nodes: nodes.into_values().collect(),
        edges: edges.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preambular_paragraphs_open_with_a_participle() {
        assert!(preambular(
            "Recalling its decision in resolution 1977 (2011) to extend the mandate"
        ));
        assert!(preambular(
            "Reaffirming, in particular, resolution 1535 (2004),"
        ));
        assert!(!preambular("2. Decides to extend the mandate of the Panel"));
        assert!(!preambular("Decides that CTED will continue to operate"));
        assert!(!preambular(""));
    }

    #[test]
    fn a_body_is_named_as_whole_words() {
        assert!(names("which pertain to the Directorate (CTED),", "CTED"));
        assert!(!names("CTEDs", "CTED"));
        assert!(names("the 1540 Committee", "1540 Committee"));
        assert!(!names("the 11540 Committee", "1540 Committee"));
    }

    #[test]
    fn resolution_numbers_of_canonical_symbols() {
        assert_eq!(resolution_number("S/RES/1535 (2004)"), Some(1535));
        assert_eq!(resolution_number("S/PRST/2014/23"), None);
        assert_eq!(resolution_number("S/RES/"), None);
    }
}
