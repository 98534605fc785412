//! Searching a Quickwit node with ctsearch's query language
//! (`ctsearch search --remote`): the query and filters translated into a
//! Quickwit query, the facets into terms aggregations, and the answer
//! turned into [`SearchResults`], which ctsearch renders as it renders a
//! local search. Passages and highlights are computed here, with
//! ctsearch's own analysis, from the passages the node returns.
//!
//! What translates, and how:
//! - words and phrases → phrase queries (a word is a one-word phrase) on
//!   `title`, `session` and `body`, or the one field a `title:`,
//!   `session:`, `body:` scope names; `traffick*` → a prefix query;
//! - `crime:`, `org:`, `year:` and the `--crime`, `--org`, `--year`,
//!   `--session`, `--type`, `--speaker`, `--country`, `--symbol` filters →
//!   exact terms on the raw fields, resolved through the vocabulary as a
//!   local search resolves them;
//! - AND, OR, NOT, `+`, `-`, parentheses → the same boolean operators;
//! - the match modes: `all` → every concept required; `most` → the OR of
//!   every combination of the needed number of concepts (up to
//!   [`MAX_COMBINATIONS`], else `any`), unweighted, where a local search
//!   also admits a session whose fewer concepts are as rare; `any` → at
//!   least one; `auto` as locally (all for a short query, most for a long
//!   one, any when nothing matches).
//!
//! What does not: typo tolerance (`~`, `--fuzzy`: searched exactly),
//! synonyms and acronym expansions, feedback and proximity re-ranking;
//! scores (Quickwit's search API returns none: hits come in its BM25
//! order, with `score` 0).

use anyhow::{Result, bail};
use serde_json::{Map, Value, json};

use super::quickwit::Node;
use crate::analysis::Analyzer;
use crate::model::{Passage, PassageKind};
use crate::search::filters::{crime_slug, org_name};
use crate::search::passages::best_passages;
use crate::search::query::{self, Clause, Node as QueryNode, Occur, Scope};
use crate::search::show::{ShownBriefing, StoredShown, assemble, select};
use crate::search::{
    Facet, Facets, Filters, HighlightTerm, Hit, MatchMode, SearchRequest, SearchResults,
};
use crate::vocabulary::Vocabulary;

/// Most `most`-mode combinations spelled out; beyond, `most` is `any`.
pub const MAX_COMBINATIONS: usize = 64;

/// Most sessions of one briefing that `show` reads from the node.
const MAX_SESSIONS_SHOWN: u64 = 10_000;

/// Buckets asked per facet.
const FACET_BUCKETS: u64 = 10_000;

/// A query translated for Quickwit.
#[derive(Debug, Clone)]
pub struct Translated {
    /// Quickwit query language.
    pub query: String,
    /// The match mode the top group was translated with.
    pub mode: MatchMode,
    /// What the translation had to leave out, for `--explain-remote`.
    pub notes: Vec<String>,
    highlights: Vec<HighlightTerm>,
}

struct Translator<'a> {
    vocabulary: &'a Vocabulary,
    analyzer: Analyzer,
    notes: Vec<String>,
    highlights: Vec<HighlightTerm>,
    mode: MatchMode,
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

/// A word for a prefix query: lowercased, its query-syntax characters
/// escaped.
fn escape_prefix(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !c.is_whitespace() && !c.is_control() {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// The exported term field a scope searches: the body holds the title
/// and the heading too, so free text searches it alone, as locally.
fn term_field(scope: Scope) -> &'static str {
    match scope {
        Scope::Title => "title",
        Scope::Session => "session",
        _ => "body",
    }
}

/// `terms` (analyzed) in the term field of `scope`: one term also as a
/// joined hyphenated form, as the local index holds both in one field;
/// several as the phrase they are.
fn on_terms(scope: Scope, terms: &[String], prefix: bool) -> Option<String> {
    let field = term_field(scope);
    match terms {
        [] => None,
        [one] => {
            let value = if prefix {
                format!("{}*", escape_prefix(one))
            } else {
                quote(one)
            };
            Some(format!("({field}:{value} OR {field}_joined:{value})"))
        }
        _ => Some(format!("{field}:{}", quote(&terms.join(" ")))),
    }
}

/// Any of `values` in the raw field `field`.
fn any_term(field: &str, values: &[String]) -> Option<String> {
    let parts: Vec<String> = values
        .iter()
        .map(|v| format!("{field}:{}", quote(v)))
        .collect();
    match parts.len() {
        0 => None,
        1 => parts.into_iter().next(),
        _ => Some(format!("({})", parts.join(" OR "))),
    }
}

/// `k` of `n` concepts needed in `most` mode, as locally.
fn most_of(n: usize) -> usize {
    (n * 50).div_ceil(100).clamp(1, n.max(1))
}

fn binomial(n: usize, k: usize) -> usize {
    let mut c: usize = 1;
    for i in 0..k.min(n) {
        c = c.saturating_mul(n - i) / (i + 1);
    }
    c
}

/// Every `k`-subset of `0..n`, in order.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current = Vec::with_capacity(k);
    fn go(start: usize, n: usize, k: usize, current: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if current.len() == k {
            out.push(current.clone());
            return;
        }
        for i in start..n {
            current.push(i);
            go(i + 1, n, k, current, out);
            current.pop();
        }
    }
    go(0, n, k, &mut current, &mut out);
    out
}

impl Translator<'_> {
    fn is_stop(&self, clause: &Clause) -> bool {
        matches!(&clause.node, QueryNode::Word { scope: Scope::All, text, prefix: false, fuzzy: None }
            if clause.occur == Occur::Should
                && self.vocabulary.stop_words.contains(
                    text.to_lowercase().trim_matches(|c: char| !c.is_alphanumeric())))
    }

    fn highlight(&mut self, text: &str, prefix: bool, fuzzy: Option<u8>, negated: bool) {
        if negated {
            return;
        }
        let terms = self.analyzer.terms(text);
        if !terms.is_empty() {
            self.highlights.push(HighlightTerm {
                terms,
                weight: 1.0,
                prefix,
                fuzzy,
            });
        }
    }

    fn facet_value(&mut self, scope: Scope, text: &str) -> Result<String> {
        let (facet, value) = match scope {
            Scope::Crime => (Facet::Crime, crime_slug(self.vocabulary, text)?),
            Scope::Org => (Facet::Org, org_name(self.vocabulary, text)?),
            _ => (Facet::Year, text.trim().to_string()),
        };
        Ok(format!(
            "{}:{}",
            facet.exported_filter_field(),
            quote(&value)
        ))
    }

    fn node(&mut self, node: &QueryNode, negated: bool) -> Result<Option<String>> {
        Ok(match node {
            QueryNode::All => Some("*".into()),
            QueryNode::Group(clauses) => self.group(clauses, negated, None)?,
            QueryNode::Phrase { scope, text } | QueryNode::Word { scope, text, .. }
                if matches!(scope, Scope::Crime | Scope::Org | Scope::Year) =>
            {
                Some(self.facet_value(*scope, text)?)
            }
            QueryNode::Phrase { scope, text } => {
                self.highlight(text, false, None, negated);
                on_terms(*scope, &self.analyzer.terms(text), false)
            }
            QueryNode::Word {
                scope,
                text,
                prefix,
                fuzzy,
            } => {
                if fuzzy.is_some() {
                    self.notes.push(format!(
                        "typo tolerance is not translated: {text:?} is searched exactly"
                    ));
                }
                self.highlight(text, *prefix, *fuzzy, negated);
                let terms = self.analyzer.terms(text);
                on_terms(*scope, &terms, *prefix && terms.len() == 1)
            }
        })
    }

    fn group(
        &mut self,
        clauses: &[Clause],
        negated: bool,
        mode: Option<MatchMode>,
    ) -> Result<Option<String>> {
        let keep_all = clauses.iter().all(|c| self.is_stop(c));
        let mut musts = Vec::new();
        let mut shoulds = Vec::new();
        let mut nots = Vec::new();
        for clause in clauses {
            if !keep_all && self.is_stop(clause) {
                continue;
            }
            let inner_negated = negated || clause.occur == Occur::MustNot;
            let Some(q) = self.node(&clause.node, inner_negated)? else {
                continue;
            };
            match clause.occur {
                Occur::Must => musts.push(q),
                Occur::Should => shoulds.push(q),
                Occur::MustNot => nots.push(q),
            }
        }
        let mut parts: Vec<String> = musts.clone();
        match mode.map(|m| m.resolve(shoulds.len())) {
            Some(resolved) => {
                self.mode = resolved;
                match resolved {
                    MatchMode::All | MatchMode::Auto => parts.extend(shoulds),
                    MatchMode::Most => {
                        let n = shoulds.len();
                        let k = most_of(n);
                        if n > 0 && binomial(n, k) <= MAX_COMBINATIONS {
                            let alternatives: Vec<String> = combinations(n, k)
                                .into_iter()
                                .map(|set| {
                                    let all: Vec<&str> =
                                        set.iter().map(|&i| shoulds[i].as_str()).collect();
                                    format!("({})", all.join(" AND "))
                                })
                                .collect();
                            parts.push(format!("({})", alternatives.join(" OR ")));
                        } else if !shoulds.is_empty() {
                            self.notes.push(format!(
                                "too many concepts for `most` ({n}): any of them is enough"
                            ));
                            if musts.is_empty() {
                                parts.push(format!("({})", shoulds.join(" OR ")));
                            }
                        }
                    }
                    MatchMode::Any => {
                        if musts.is_empty() && !shoulds.is_empty() {
                            parts.push(format!("({})", shoulds.join(" OR ")));
                        }
                    }
                }
            }
            // Inside parentheses, optional clauses are alternatives, and
            // only rank when something is required.
            None if musts.is_empty() && !shoulds.is_empty() => {
                parts.push(format!("({})", shoulds.join(" OR ")))
            }
            None => {}
        }
        if parts.is_empty() && nots.is_empty() {
            return Ok(None);
        }
        if parts.is_empty() {
            parts.push("*".into());
        }
        let mut out = parts.join(" AND ");
        for not in nots {
            out.push_str(" AND NOT ");
            out.push_str(&not);
        }
        Ok(Some(format!("({out})")))
    }
}

/// The filters as Quickwit term clauses, AND-ed; `UnknownValue` for a
/// crime type, organization or document type the vocabulary lacks.
pub fn filter_clauses(vocabulary: &Vocabulary, filters: &Filters) -> Result<Vec<String>> {
    let resolved = filters.resolve(vocabulary)?;
    Ok(Facet::ALL
        .into_iter()
        .filter_map(|facet| any_term(facet.exported_filter_field(), resolved.values(facet)))
        .collect())
}

/// Translates a search request for Quickwit, its top group combined as
/// `mode` says.
pub fn translate(
    vocabulary: &Vocabulary,
    request: &SearchRequest,
    mode: MatchMode,
) -> Result<Translated> {
    let parsed = query::parse(&request.query)?;
    let mut translator = Translator {
        vocabulary,
        analyzer: vocabulary.query_analyzer(),
        notes: Vec::new(),
        highlights: Vec::new(),
        mode: MatchMode::All,
    };
    if request.fuzzy {
        translator
            .notes
            .push("--fuzzy is not translated: words are searched exactly".into());
    }
    let main = match &parsed {
        QueryNode::Group(clauses) => translator.group(clauses, false, Some(mode))?,
        other => translator.node(other, false)?,
    };
    let mut parts = vec![main.unwrap_or_else(|| "*".into())];
    parts.extend(filter_clauses(vocabulary, &request.filters)?);
    let query = if parts.len() == 1 {
        parts.remove(0)
    } else {
        parts.join(" AND ")
    };
    Ok(Translated {
        query,
        mode: translator.mode,
        notes: translator.notes,
        highlights: translator.highlights,
    })
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
/// translation left out.
pub fn explain(vocabulary: &Vocabulary, request: &SearchRequest) -> Result<String> {
    let translated = translate(vocabulary, request, request.mode)?;
    let mut out = serde_json::to_string_pretty(&request_body(&translated, request))?;
    out.push('\n');
    for note in &translated.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    Ok(out)
}

/// Runs a search on the Quickwit node at `url`, index `index_id`.
pub fn search(
    url: &str,
    index_id: &str,
    vocabulary: &Vocabulary,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let node = Node::for_search(url, index_id);
    let translated = translate(vocabulary, request, request.mode)?;
    let mut results = run(&node, &translated, request)?;
    if results.total == 0 && request.mode == MatchMode::Auto && translated.mode != MatchMode::Any {
        let any = translate(vocabulary, request, MatchMode::Any)?;
        let widened = run(&node, &any, request)?;
        if widened.total > 0 {
            results = SearchResults {
                fallback: true,
                ..widened
            };
        }
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
    let node = Node::for_search(url, index_id);
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
        let request = SearchRequest {
            query: query.to_string(),
            ..SearchRequest::default()
        };
        translate(vocabulary, &request, MatchMode::Any)?.highlights
    };
    Ok(assemble(path, stored, &terms, &mut Analyzer::indexing()))
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
    let node = Node::for_search(url, index_id);
    let answer = answer(&node, &json!({ "query": "*", "max_hits": 0 }))?;
    Ok(answer.get("num_hits").and_then(Value::as_u64).unwrap_or(0))
}

fn run(node: &Node, translated: &Translated, request: &SearchRequest) -> Result<SearchResults> {
    let answer = answer(node, &request_body(translated, request))?;
    let total = answer.get("num_hits").and_then(Value::as_u64).unwrap_or(0);
    let took_ms = answer
        .get("elapsed_time_micros")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
        / 1000.0;
    let mut analyzer = Analyzer::indexing();
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
        also_searched: Vec::new(),
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
    facets.briefings = aggregations
        .pointer("/briefings/value")
        .and_then(Value::as_f64)
        .map_or(0, |v| v.round().max(0.0) as u64);
    facets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::UnknownValue;

    fn translated(query: &str, filters: Filters) -> String {
        let vocabulary = Vocabulary::builtin().expect("vocabulary");
        let request = SearchRequest {
            query: query.into(),
            filters,
            limit: 10,
            passages: 1,
            ..SearchRequest::default()
        };
        translate(&vocabulary, &request, request.mode)
            .expect("translates")
            .query
    }

    #[test]
    fn words_phrases_and_operators_translate() {
        assert_eq!(
            translated("\"arms trafficking\"", Filters::default()),
            "(body:\"arms traffick\")"
        );
        assert_eq!(
            translated("body:arms -drugs", Filters::default()),
            "((body:\"arms\" OR body_joined:\"arms\") AND NOT (body:\"drug\" OR body_joined:\"drug\"))"
        );
        assert_eq!(
            translated("body:arms OR body:drugs", Filters::default()),
            "((((body:\"arms\" OR body_joined:\"arms\") OR (body:\"drug\" OR body_joined:\"drug\"))))"
        );
        assert_eq!(
            translated("body:traffick*", Filters::default()),
            "((body:traffick* OR body_joined:traffick*))"
        );
        // Stop words go, as locally.
        assert_eq!(
            translated("the weapons", Filters::default()),
            "((body:\"weapon\" OR body_joined:\"weapon\"))"
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
        let err = translate(&vocabulary, &request, MatchMode::Auto).expect_err("unknown");
        assert!(err.downcast_ref::<UnknownValue>().is_some());
    }

    #[test]
    fn most_spells_out_the_combinations() {
        assert_eq!(combinations(4, 2).len(), 6);
        assert_eq!(binomial(4, 2), 6);
        let query = translated(
            "body:alpha body:beta body:gamma body:delta",
            Filters::default(),
        );
        assert_eq!(query.matches(" AND ").count(), 6, "{query}");
    }

    #[test]
    fn every_facet_aggregates_and_filters_an_exported_field() {
        let exported = |name: &str| crate::export::FIELDS.iter().any(|f| f.name == name);
        for facet in Facet::ALL {
            assert!(exported(facet.exported_field()), "{facet}");
            assert!(exported(facet.exported_filter_field()), "{facet}");
        }
    }

    #[test]
    fn quotes_escape_what_would_end_them() {
        assert_eq!(quote("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
        assert_eq!(escape_prefix("Traf:f"), "traf\\:f");
    }
}
