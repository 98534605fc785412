//! The Quickwit backend: searching a node that `ctsearch export` filled,
//! with ctsearch's query language (`--remote`): the query resolved into the same plan as
//! a local search ([`crate::search::plan`]), with the node's own document
//! frequencies, and the plan written in Quickwit's query language; the
//! facets become terms aggregations, and the answer [`SearchResults`],
//! which ctsearch renders as it renders a local search. Passages and
//! highlights are computed here, with ctsearch's own analysis, from the
//! passages the node returns.
//!
//! The node holds ctsearch's own terms ([`crate::export::FieldKind::Terms`]), so a
//! term of the plan is a term of the node. How each part of the plan is
//! written:
//! - a term → the term in its field or its `_joined` field (the local
//!   index holds a hyphenated word's joined form in the same field);
//! - a phrase → the phrase of its terms (the glue pairs the local index
//!   reads are the same terms side by side); with a slop, `"…"~slop`;
//!   two words near each other in either order → both orders, each
//!   `"a b"~(slop - 1)`;
//! - a prefix → `term*` in both fields; facet values and filters → exact
//!   terms on the raw fields;
//! - the match rule `most` (concepts weighing at least a threshold) → the
//!   OR of its minimal sets of concepts ([`plan::minimal_sets`]), weighed
//!   with the node's document frequencies (a count request per term);
//!   beyond [`MAX_SETS`] sets, any concept (a note says so).
//!
//! What does not translate: typo tolerance (`~`, `--fuzzy`: searched
//! exactly), and a prefix matching more than the node's 50 expansions;
//! re-ranking (proximity, feedback, title and heading bonuses) and scores
//! (Quickwit's search API returns none: hits come in its BM25 order, with
//! `score` 0).

use std::cell::RefCell;
use std::collections::HashMap;

use anyhow::{Context as _, Result, bail};
use serde_json::{Map, Value, json};

use crate::analysis::Analyzer;
use crate::client::{Client, Method};
use crate::model::{Passage, PassageKind};
use crate::search::Facet;
use crate::search::cites::{CitationStore, CitedSession};
use crate::search::passages::best_passages;
use crate::search::plan::{self, Expr, Field, Plan, Stats};
use crate::search::query::Occur;
use crate::search::show::{ShownBriefing, StoredShown, assemble, select};
use crate::search::{Facets, HighlightTerm, Hit, MatchMode, SearchRequest, SearchResults};
use crate::vocabulary::Vocabulary;

/// Most minimal sets of concepts a `most` query is written with; beyond,
/// `most` is sent as `any` (with a note).
pub const MAX_SETS: usize = 1000;

/// Most sessions of one briefing that `show` reads from the node.
const MAX_SESSIONS_SHOWN: u64 = 10_000;

/// Most hits one search request asks for; longer lists are read a page
/// at a time.
const PAGE: u64 = 10_000;

/// Buckets asked per facet.
const FACET_BUCKETS: u64 = 10_000;

/// A query no session matches (document ids are hexadecimal).
const NOTHING: &str = "doc_id:\"none\"";

/// An index on a Quickwit node, searched.
pub struct Node {
    client: Client,
    index_id: String,
}

impl Node {
    /// The index `index_id` of the node at `url`. Its client does not
    /// retry ([`Client::interactive`]): someone waits for the answer.
    pub fn new(url: &str, index_id: &str) -> Node {
        Node {
            client: Client::interactive(url),
            index_id: index_id.to_string(),
        }
    }

    /// Runs a search request (the JSON body of `POST /api/v1/ID/search`).
    fn search(&self, request: &Value) -> Result<Value> {
        let path = format!("/api/v1/{}/search", self.index_id);
        let Some(reply) = self.client.send(
            Method::Post,
            &path,
            "application/json",
            Some(request.to_string().as_bytes()),
        )?
        else {
            bail!(
                "no index {} at {}{path} (--remote takes the node's base URL, http://HOST:7280; if it is right, export to it first: ctsearch export --to quickwit --url {})",
                self.index_id,
                self.client.base(),
                self.client.base()
            );
        };
        serde_json::from_str(&reply.body).with_context(|| {
            format!(
                "{}{path} did not answer as a Quickwit node does (not JSON)",
                self.client.base()
            )
        })
    }
}

/// A plan written for Quickwit.
#[derive(Debug, Clone)]
pub struct Translated {
    /// Quickwit query language.
    pub query: String,
    /// The match mode the top group was resolved with.
    pub mode: MatchMode,
    /// What the translation had to leave out, for `--explain-remote`.
    pub notes: Vec<String>,
    highlights: Vec<HighlightTerm>,
    also_searched: Vec<String>,
}

/// `text` as a quoted Quickwit phrase.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        if !c.is_control() {
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// A term for a prefix query: its query-syntax characters escaped.
fn escape_prefix(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !c.is_whitespace() && !c.is_control() {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// The exported term field of a plan field.
fn field_name(field: Field) -> &'static str {
    match field {
        Field::Title => "title",
        // The heading is a topical session label: the label's terms.
        Field::Session | Field::Heading => "session",
        Field::Body => "body",
    }
}

/// A term in a field as the local index holds it: as a word, or as the
/// joined form of a hyphenated word.
fn term_query(field: Field, value: &str) -> String {
    let name = field_name(field);
    format!("({name}:{value} OR {name}_joined:{value})")
}

/// Any of `values` in the raw field `field`.
fn any_term(field: &str, values: &[String]) -> String {
    let parts: Vec<String> = values
        .iter()
        .map(|v| format!("{field}:{}", quote(v)))
        .collect();
    match parts.len() {
        0 => NOTHING.to_string(),
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => format!("({})", parts.join(" OR ")),
    }
}

/// The Quickwit query of `expr`; `notes` gets what it could not say.
fn write(expr: &Expr, notes: &mut Vec<String>) -> String {
    match expr {
        Expr::All => "*".into(),
        Expr::Empty => NOTHING.into(),
        Expr::Term { field, term } => term_query(*field, &quote(term)),
        Expr::Phrase { field, terms, slop } => match terms.as_slice() {
            [] => NOTHING.into(),
            // One term: the local index's term query, joined forms too.
            [one] => term_query(*field, &quote(one)),
            _ => {
                let phrase = format!("{}:{}", field_name(*field), quote(&terms.join(" ")));
                if *slop == 0 {
                    phrase
                } else {
                    format!("{phrase}~{slop}")
                }
            }
        },
        Expr::Near {
            field,
            terms: [first, second],
            slop,
        } => {
            // Locally: positions at most `slop` apart, either order. In one
            // order, Quickwit's `"a b"~k` puts b within k moves of the
            // place after a: k = slop - 1 reaches `slop` positions.
            let name = field_name(*field);
            let k = slop.saturating_sub(1);
            format!(
                "({name}:{} OR {name}:{})",
                format_args!("{}~{k}", quote(&format!("{first} {second}"))),
                format_args!("{}~{k}", quote(&format!("{second} {first}")))
            )
        }
        Expr::Prefix { field, term } => term_query(*field, &format!("{}*", escape_prefix(term))),
        Expr::Fuzzy { field, term, .. } => {
            notes.push(format!(
                "typo tolerance is not translated: {term:?} is searched exactly"
            ));
            term_query(*field, &quote(term))
        }
        Expr::Facet { facet, value } => {
            format!("{}:{}", facet.exported_filter_field(), quote(value))
        }
        Expr::Filter { facet, values } => {
            let field = facet.map_or("path", |f| f.exported_filter_field());
            any_term(field, values)
        }
        Expr::Bool(clauses) => {
            let of = |occur: Occur, notes: &mut Vec<String>| -> Vec<String> {
                clauses
                    .iter()
                    .filter(|(o, _)| *o == occur)
                    .map(|(_, e)| write(e, notes))
                    .collect()
            };
            let musts = of(Occur::Must, notes);
            // Optional clauses beside a required one only score.
            let shoulds = if musts.is_empty() {
                of(Occur::Should, notes)
            } else {
                Vec::new()
            };
            let nots = of(Occur::MustNot, notes);
            let mut out = if !musts.is_empty() {
                musts.join(" AND ")
            } else if !shoulds.is_empty() {
                format!("({})", shoulds.join(" OR "))
            } else {
                // Exclusions alone match nothing, as in tantivy.
                return NOTHING.into();
            };
            for not in nots {
                out.push_str(" AND NOT ");
                out.push_str(&not);
            }
            format!("({out})")
        }
        Expr::AtLeast {
            clauses,
            weights,
            threshold,
        } => {
            let written: Vec<String> = clauses.iter().map(|c| write(c, notes)).collect();
            match plan::minimal_sets(weights, *threshold, MAX_SETS) {
                Some(sets) if !sets.is_empty() => {
                    let alternatives: Vec<String> = sets
                        .iter()
                        .map(|set| {
                            let all: Vec<&str> = set.iter().map(|&i| written[i].as_str()).collect();
                            format!("({})", all.join(" AND "))
                        })
                        .collect();
                    format!("({})", alternatives.join(" OR "))
                }
                Some(_) => NOTHING.into(),
                None => {
                    notes.push(format!(
                        "more than {MAX_SETS} sets of concepts reach `most`'s threshold: any concept is enough"
                    ));
                    format!("({})", written.join(" OR "))
                }
            }
        }
        Expr::Boost(inner, _) | Expr::Const(inner, _) => write(inner, notes),
    }
}

/// The plan written for Quickwit: the query and the filters.
pub fn translate(plan: &Plan, fuzzy: bool) -> Translated {
    let mut notes = Vec::new();
    if fuzzy {
        notes.push("--fuzzy is not translated: words are searched exactly".into());
    }
    let query = write(&plan.matching(), &mut notes);
    notes.dedup();
    Translated {
        query,
        mode: plan.mode,
        notes,
        highlights: plan.highlights.clone(),
        also_searched: plan.also_searched.clone(),
    }
}

/// Document frequencies counted by the node: one count request per term,
/// each asked once.
pub struct NodeStats<'a> {
    node: Option<&'a Node>,
    sessions: f32,
    counted: RefCell<HashMap<String, u64>>,
}

impl<'a> NodeStats<'a> {
    /// The counts of `node`, which it is asked for the sessions it holds.
    pub fn new(node: &'a Node) -> Result<NodeStats<'a>> {
        let sessions = count_query(node, "*")? as f32;
        Ok(NodeStats {
            node: Some(node),
            sessions,
            counted: RefCell::default(),
        })
    }

    /// No node to ask (`--explain-remote`): every term is as frequent, so
    /// concepts weigh alike.
    pub fn unknown() -> NodeStats<'static> {
        NodeStats {
            node: None,
            sessions: 1.0,
            counted: RefCell::default(),
        }
    }
}

impl Stats for NodeStats<'_> {
    fn df(&self, term: &str) -> Result<u64> {
        let Some(node) = self.node else {
            return Ok(0);
        };
        if let Some(&n) = self.counted.borrow().get(term) {
            return Ok(n);
        }
        // A glue pair ("in person") is its two terms side by side.
        let query = if term.contains(' ') {
            format!("body:{}", quote(term))
        } else {
            term_query(Field::Body, &quote(term))
        };
        let n = count_query(node, &query)?;
        self.counted.borrow_mut().insert(term.to_string(), n);
        Ok(n)
    }

    fn sessions(&self) -> f32 {
        self.sessions
    }
}

/// The body of the search request sent for `translated`.
pub fn request_body(translated: &Translated, request: &SearchRequest) -> Value {
    let mut aggs = Map::new();
    for facet in Facet::ALL {
        aggs.insert(
            facet.name().into(),
            json!({"terms": {"field": facet.exported_field(), "size": FACET_BUCKETS}}),
        );
    }
    // Documents counted exactly by their ids while there are fewer than
    // a terms aggregation lists; the cardinality estimate only beyond.
    aggs.insert(
        "briefing_ids".into(),
        json!({"terms": {"field": "briefing_id", "size": FACET_BUCKETS}}),
    );
    aggs.insert(
        "briefings".into(),
        json!({"cardinality": {"field": "briefing_id"}}),
    );
    json!({
        "query": translated.query,
        "max_hits": request.limit.max(1),
        "start_offset": request.offset,
        "sort_by": "_score",
        "aggs": Value::Object(aggs),
    })
}

/// What `--explain-remote` prints: the request body, and what the
/// translation left out. No node is asked, so `most` weighs every concept
/// alike here.
pub fn explain(vocabulary: &Vocabulary, request: &SearchRequest) -> Result<String> {
    let plan = plan::resolve(vocabulary, &NodeStats::unknown(), request)?;
    let translated = translate(&plan, request.fuzzy);
    let mut out = serde_json::to_string_pretty(&request_body(&translated, request))?;
    out.push('\n');
    for note in &translated.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    Ok(out)
}

/// Runs a search on the Quickwit node at `url`, index `index_id`.
/// How many of the node's best hits a query naming a document reorders
/// (the local search re-ranks as many candidates).
const NAMED_DEPTH: usize = 150;

pub fn search(
    url: &str,
    index_id: &str,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
) -> Result<SearchResults> {
    // The user's mistakes (a bad query, an unknown value) before the node
    // is asked anything.
    plan::resolve(vocabulary, &NodeStats::unknown(), request)?;
    let node = Node::new(url, index_id);
    let stats = NodeStats::new(&node)?;
    let plan = plan::resolve(vocabulary, &stats, request)?;
    let translated = translate(&plan, request.fuzzy);
    // A query naming a document ("resolution 1373") puts it first, then
    // the documents citing it, among the best NAMED_DEPTH hits, as the
    // local ranking does among its re-ranked candidates.
    let named = crate::search::cites::named_document(&request.query);
    let fetch = match named {
        Some(_) => SearchRequest {
            offset: 0,
            limit: request
                .offset
                .saturating_add(request.limit.max(1))
                .max(NAMED_DEPTH),
            ..request.clone()
        },
        None => request.clone(),
    };
    let mut results = run(&node, vocabulary, &translated, &fetch)?;
    if results.total == 0 && request.mode == MatchMode::Auto && translated.mode != MatchMode::Any {
        let any = SearchRequest {
            mode: MatchMode::Any,
            ..request.clone()
        };
        let plan = plan::resolve(vocabulary, &stats, &any)?;
        let widened = run(&node, vocabulary, &translate(&plan, request.fuzzy), &fetch)?;
        if widened.total > 0 {
            results = SearchResults {
                fallback: true,
                ..widened
            };
        }
    }
    if let Some(target) = &named {
        let group = |hit: &crate::search::Hit| {
            if hit
                .symbol
                .as_deref()
                .and_then(crate::citation::target_of)
                .as_ref()
                == Some(target)
            {
                0
            } else if hit.cites.contains(target) {
                1
            } else {
                2
            }
        };
        // Stable: each group keeps the node's order.
        results.hits.sort_by_key(group);
        results.hits = std::mem::take(&mut results.hits)
            .into_iter()
            .skip(request.offset)
            .take(request.limit.max(1))
            .collect();
    }
    // Each hit's "cited by", as a local search counts it; one request per
    // cited symbol.
    let mut counted: HashMap<String, u64> = HashMap::new();
    for hit in &mut results.hits {
        let Some(target) = hit.symbol.as_deref().and_then(crate::citation::target_of) else {
            continue;
        };
        let n = match counted.get(&target) {
            Some(&n) => n,
            None => {
                let n = node.cited_by_count(&target)?;
                counted.insert(target, n);
                n
            }
        };
        hit.cited_by = Some(n);
    }
    Ok(results)
}

/// The sessions of the briefing at corpus-relative `path` on the node, in
/// document order, only `session` if given, with the words of `query`
/// (if not empty) highlighted: what a local `show` answers, from the
/// passages the node stores. `Err(NotFound)` when the node has no such
/// briefing or session.
pub fn show(
    url: &str,
    index_id: &str,
    vocabulary: &Vocabulary,
    path: &str,
    session: Option<&str>,
    query: &str,
) -> Result<ShownBriefing> {
    let node = Node::new(url, index_id);
    let answer = answer(
        &node,
        &json!({
            "query": format!("path:{}", quote(path)),
            "max_hits": MAX_SESSIONS_SHOWN,
        }),
    )?;
    let hits: Vec<&Value> = answer
        .get("hits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let chosen = select(path, session, hits, |doc| {
        text(doc, "session_key").unwrap_or_default()
    })?;
    let stored: Vec<StoredShown> = chosen
        .into_iter()
        .map(|doc| StoredShown {
            ord: doc.get("session_ord").and_then(Value::as_u64).unwrap_or(0),
            title: text(doc, "title_text").unwrap_or_default(),
            date: text(doc, "date_text"),
            doc_type: text(doc, "type").unwrap_or_else(|| "document".into()),
            symbol: text(doc, "symbol"),
            label: text(doc, "session_label").unwrap_or_default(),
            key: text(doc, "session_key").unwrap_or_default(),
            passages: passages(doc),
        })
        .collect();
    let terms = if query.trim().is_empty() {
        Vec::new()
    } else {
        plan::highlights(vocabulary, &NodeStats::new(&node)?, query)?
    };
    Ok(assemble(
        path,
        stored,
        &terms,
        &mut vocabulary.text_analyzer(),
    ))
}

/// Every session matching `query` on the node, read a page of [`PAGE`]
/// at a time, each document's sessions together and in document order
/// (by path, then session order).
fn all_sessions(node: &Node, query: &str) -> Result<Vec<Value>> {
    let mut hits: Vec<Value> = Vec::new();
    loop {
        let answer = answer(
            node,
            &json!({
                "query": query,
                "max_hits": PAGE,
                "start_offset": hits.len(),
            }),
        )?;
        let total = answer.get("num_hits").and_then(Value::as_u64).unwrap_or(0);
        let page = match answer.get("hits") {
            Some(Value::Array(page)) => page.clone(),
            _ => Vec::new(),
        };
        let read = page.len();
        hits.extend(page);
        if read == 0 || hits.len() as u64 >= total {
            break;
        }
    }
    let key = |doc: &Value| {
        (
            text(doc, "path").unwrap_or_default(),
            doc.get("session_ord").and_then(Value::as_u64).unwrap_or(0),
        )
    };
    hits.sort_by_cached_key(key);
    // A page boundary moved by a concurrent commit repeats a session.
    hits.dedup_by(|a, b| key(a) == key(b));
    Ok(hits)
}

/// An exported session document, as the citator reads it.
fn cited_session(doc: &Value) -> CitedSession {
    CitedSession {
        path: text(doc, "path").unwrap_or_default(),
        title: text(doc, "title_text"),
        date: text(doc, "date_text"),
        doc_type: text(doc, "type"),
        symbol: text(doc, "symbol"),
        session: text(doc, "session_label").unwrap_or_default(),
        cites: texts(doc, "cites"),
        passages: passages(doc),
    }
}

/// The node's sessions, read by the citator: `cites`, `path` and
/// `symbol_keys` are exact terms there (raw keywords), as the local
/// index's fields are.
impl CitationStore for Node {
    fn citing(&self, target: &str) -> Result<Vec<CitedSession>> {
        let query = format!("cites:{}", quote(target));
        Ok(all_sessions(self, &query)?
            .iter()
            .map(cited_session)
            .collect())
    }

    fn of_symbol(&self, symbol: &str) -> Result<Vec<CitedSession>> {
        for key in crate::model::symbol_keys(symbol) {
            let found = all_sessions(self, &format!("symbol_keys:{}", quote(&key)))?;
            if !found.is_empty() {
                return Ok(found.iter().map(cited_session).collect());
            }
        }
        Ok(Vec::new())
    }

    fn first_of_symbol(&self, symbol: &str) -> Result<Option<CitedSession>> {
        for key in crate::model::symbol_keys(symbol) {
            let answer = answer(
                self,
                &json!({"query": format!("symbol_keys:{}", quote(&key)), "max_hits": 1}),
            )?;
            if let Some(doc) = answer.pointer("/hits/0") {
                return Ok(Some(cited_session(doc)));
            }
        }
        Ok(None)
    }

    fn of_path(&self, path: &str) -> Result<Vec<CitedSession>> {
        let query = format!("path:{}", quote(path));
        Ok(all_sessions(self, &query)?
            .iter()
            .map(cited_session)
            .collect())
    }

    fn has_symbol(&self, symbol: &str) -> Result<bool> {
        for key in crate::model::symbol_keys(symbol) {
            if count_query(self, &format!("symbol_keys:{}", quote(&key)))? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn cited_by_count(&self, target: &str) -> Result<u64> {
        // The distinct paths of the citing sessions: a terms aggregation
        // is exact below its size (a cardinality one is an estimate).
        let answer = answer(
            self,
            &json!({
                "query": format!("cites:{}", quote(target)),
                "max_hits": 0,
                "aggs": {"paths": {"terms": {"field": "path", "size": FACET_BUCKETS}}},
            }),
        )?;
        let buckets = answer
            .pointer("/aggregations/paths/buckets")
            .and_then(Value::as_array)
            .map_or(0, Vec::len) as u64;
        if buckets >= FACET_BUCKETS {
            // More documents than one aggregation lists: count them all.
            let paths: std::collections::BTreeSet<String> =
                self.citing(target)?.into_iter().map(|s| s.path).collect();
            return Ok(paths.len() as u64);
        }
        Ok(buckets)
    }

    fn all_citing(&self) -> Result<Vec<CitedSession>> {
        // `cites:*`: the sessions holding any cited symbol.
        Ok(all_sessions(self, "cites:*")?
            .iter()
            .map(cited_session)
            .collect())
    }
}

/// The node's answer to a search request body, or the first error it
/// reports.
fn answer(node: &Node, body: &Value) -> Result<Value> {
    let answer = node.search(body)?;
    if let Some(first) = answer
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        bail!("Quickwit could not search: {first}");
    }
    Ok(answer)
}

/// The number of sessions in index `index_id` on the node at `url`.
pub fn count(url: &str, index_id: &str) -> Result<u64> {
    count_query(&Node::new(url, index_id), "*")
}

/// The number of sessions matching `query` on the node.
fn count_query(node: &Node, query: &str) -> Result<u64> {
    let answer = answer(node, &json!({ "query": query, "max_hits": 0 }))?;
    Ok(answer.get("num_hits").and_then(Value::as_u64).unwrap_or(0))
}

fn run(
    node: &Node,
    vocabulary: &Vocabulary,
    translated: &Translated,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let answer = answer(node, &request_body(translated, request))?;
    let total = answer.get("num_hits").and_then(Value::as_u64).unwrap_or(0);
    let took_ms = answer
        .get("elapsed_time_micros")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
        / 1000.0;
    let mut analyzer = vocabulary.text_analyzer();
    let hits = answer
        .get("hits")
        .and_then(Value::as_array)
        .map(|hits| {
            hits.iter()
                .map(|doc| hit(doc, &translated.highlights, &mut analyzer, request.passages))
                .collect()
        })
        .unwrap_or_default();
    let aggregations = answer.get("aggregations").cloned().unwrap_or(Value::Null);
    let facets = facets(&aggregations);
    Ok(SearchResults {
        query: request.query.clone(),
        total,
        briefings: facets.briefings,
        took_ms,
        hits,
        facets,
        also_searched: translated.also_searched.clone(),
        match_mode: translated.mode,
        fallback: false,
        partial: 0,
    })
}

fn text(doc: &Value, key: &str) -> Option<String> {
    doc.get(key).and_then(Value::as_str).map(str::to_string)
}

fn texts(doc: &Value, key: &str) -> Vec<String> {
    doc.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The passages of an exported session document.
fn passages(doc: &Value) -> Vec<Passage> {
    let Some(items) = doc.get("passages").and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|p| {
            let kind = match p.get("kind").and_then(Value::as_str) {
                Some("heading") => PassageKind::Heading,
                Some("item") => PassageKind::ListItem,
                _ => PassageKind::Paragraph,
            };
            Some(Passage {
                text: text(p, "text")?,
                kind,
                page: p
                    .get("page")
                    .and_then(Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok()),
                para: text(p, "para"),
            })
        })
        .collect()
}

fn hit(doc: &Value, terms: &[HighlightTerm], analyzer: &mut Analyzer, n: usize) -> Hit {
    let passages = passages(doc);
    let shown = best_passages(&passages, terms, analyzer, n);
    let (passage, highlights, page, para) = shown
        .first()
        .map(|p| (p.text.clone(), p.highlights.clone(), p.page, p.para.clone()))
        .unwrap_or_default();
    Hit {
        path: text(doc, "path").unwrap_or_default(),
        title: text(doc, "title_text").unwrap_or_default(),
        date: text(doc, "date_text"),
        session: text(doc, "session_label").unwrap_or_default(),
        doc_type: text(doc, "type").unwrap_or_else(|| "document".into()),
        symbol: text(doc, "symbol"),
        speaker: text(doc, "speaker"),
        country: text(doc, "country"),
        crimes: texts(doc, "crimes"),
        orgs: texts(doc, "orgs"),
        score: 0.0,
        page,
        para,
        passage,
        highlights,
        passages: shown,
        coverage: crate::search::Coverage::Full,
        missing: Vec::new(),
        cites: texts(doc, "cites"),
        cited_by: None,
    }
}

/// Facet counts from the terms aggregations.
fn facets(aggregations: &Value) -> Facets {
    let mut facets = Facets::default();
    for facet in Facet::ALL {
        let counts = &mut facets[facet];
        let buckets = aggregations
            .pointer(&format!("/{}/buckets", facet.name()))
            .and_then(Value::as_array);
        for bucket in buckets.into_iter().flatten() {
            let key = match bucket.get("key") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => continue,
            };
            let count = bucket.get("doc_count").and_then(Value::as_u64).unwrap_or(0);
            counts.insert(key, count);
        }
    }
    let listed = aggregations
        .pointer("/briefing_ids/buckets")
        .and_then(Value::as_array)
        .map_or(0, Vec::len) as u64;
    facets.briefings = if listed < FACET_BUCKETS {
        listed
    } else {
        aggregations
            .pointer("/briefings/value")
            .and_then(Value::as_f64)
            .map_or(0, |v| v.round().max(0.0) as u64)
    };
    facets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Filters, UnknownValue};

    fn translated(query: &str, filters: Filters) -> String {
        let vocabulary = Vocabulary::builtin().expect("vocabulary");
        let request = SearchRequest {
            query: query.into(),
            filters,
            limit: 10,
            passages: 1,
            ..SearchRequest::default()
        };
        let plan = plan::resolve(&vocabulary, &NodeStats::unknown(), &request).expect("resolves");
        translate(&plan, false).query
    }

    #[test]
    fn words_phrases_and_operators_translate() {
        assert_eq!(
            translated("\"arms trafficking\"", Filters::default()),
            "((body:\"arms traffick\"))"
        );
        assert_eq!(
            translated("body:arms -drugs", Filters::default()),
            "(((body:\"arms\" OR body_joined:\"arms\") AND NOT (body:\"drug\" OR body_joined:\"drug\")))"
        );
        assert_eq!(
            translated("body:traffick*", Filters::default()),
            "(((body:traffick* OR body_joined:traffick*)))"
        );
        // Stop words go, as locally.
        assert_eq!(
            translated("the ransom", Filters::default()),
            "(((body:\"ransom\" OR body_joined:\"ransom\")))"
        );
    }

    #[test]
    fn filters_become_terms_and_unknown_values_are_typed() {
        let filters = Filters::default()
            .with(Facet::Crime, ["arms-trafficking"])
            .with(Facet::Session, ["III"]);
        let query = translated("*", filters);
        assert!(
            query.contains("crimes:\"arms-trafficking\"") && query.contains("session_key:"),
            "{query}"
        );
        let vocabulary = Vocabulary::builtin().expect("vocabulary");
        let request = SearchRequest {
            query: "crime:nosuchcrime".into(),
            ..SearchRequest::default()
        };
        let err = plan::resolve(&vocabulary, &NodeStats::unknown(), &request).expect_err("unknown");
        assert!(err.downcast_ref::<UnknownValue>().is_some());
    }

    #[test]
    fn most_is_the_or_of_the_minimal_sets() {
        // Four concepts weighing alike: any two of them.
        let query = translated(
            "body:alpha body:beta body:gamma body:delta",
            Filters::default(),
        );
        assert_eq!(query.matches(") AND (").count(), 6, "{query}");
    }

    #[test]
    fn near_words_are_both_orders() {
        let near = Expr::Near {
            field: Field::Body,
            terms: ["arms".into(), "traffick".into()],
            slop: 5,
        };
        assert_eq!(
            write(&near, &mut Vec::new()),
            "(body:\"arms traffick\"~4 OR body:\"traffick arms\"~4)"
        );
    }

    #[test]
    fn quotes_escape_what_would_end_them() {
        assert_eq!(quote("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
        assert_eq!(escape_prefix("traf:f"), "traf\\:f");
    }
}
