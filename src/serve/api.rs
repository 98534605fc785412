//! The JSON API: `/api/search`, `/api/facets`, `/api/show` (with the
//! document's citations, local or remote alike), `/api/stats`,
//! `/api/health`; and the request parameters and disjunctive facet counts
//! the search page shares with it.

use std::sync::Arc;

use anyhow::Result;
use serde_json::json;

use super::Engine;
use super::http::{Request, Response};
use crate::search::query::QueryError;
use crate::search::show::NotFound;
use crate::search::{
    Facet, Facets, Filters, MatchMode, SearchRequest, SearchResults, UnknownValue,
};

/// Longest query accepted, in characters (413 past it).
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most hits per page.
pub const MAX_PER_PAGE: usize = 100;
/// Hits per page when not given.
pub const DEFAULT_PER_PAGE: usize = 10;
/// Deepest hit a page may start at: deeper pages cost a ranking of every
/// hit before them.
pub const MAX_OFFSET: usize = 10_000;

/// A search as the request asks for it.
#[derive(Debug, Clone)]
pub struct SearchParams {
    /// The query as typed (empty: every session).
    pub query: String,
    pub filters: Filters,
    pub mode: MatchMode,
    pub fuzzy: bool,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

impl SearchParams {
    /// The query the engine runs: `*` (every session) for an empty one.
    pub fn engine_query(&self) -> &str {
        if self.query.trim().is_empty() {
            "*"
        } else {
            &self.query
        }
    }

    /// The active filters as (facet, value) pairs, in display order.
    pub fn active(&self) -> Vec<(Facet, String)> {
        Facet::DISPLAY
            .into_iter()
            .flat_map(|facet| self.filters[facet].iter().map(move |v| (facet, v.clone())))
            .collect()
    }
}

/// Reads the search parameters of `request`. `strict` (the API) refuses
/// parameters it does not know, so that a typo is not silently ignored.
pub fn search_params(request: &Request, strict: bool) -> Result<SearchParams, Response> {
    let bad = |message: String| Response::error(400, &message, None);
    let mut params = SearchParams {
        query: String::new(),
        filters: Filters::default(),
        mode: MatchMode::Auto,
        fuzzy: false,
        page: 1,
        per_page: DEFAULT_PER_PAGE,
    };
    for (name, value) in &request.params {
        if let Some(facet) = Facet::from_name(name) {
            let values = &mut params.filters[facet];
            if !value.trim().is_empty() {
                if value.chars().count() > MAX_QUERY_CHARS {
                    return Err(Response::error(
                        413,
                        &format!("{name} value too long"),
                        None,
                    ));
                }
                values.push(value.clone());
            }
            continue;
        }
        match name.as_str() {
            "q" => {
                if value.chars().count() > MAX_QUERY_CHARS {
                    return Err(Response::error(
                        413,
                        &format!("query longer than {MAX_QUERY_CHARS} characters"),
                        None,
                    ));
                }
                params.query = value.clone();
            }
            "match" => {
                params.mode = match value.as_str() {
                    "" | "auto" => MatchMode::Auto,
                    "all" => MatchMode::All,
                    "most" => MatchMode::Most,
                    "any" => MatchMode::Any,
                    _ => {
                        return Err(bad(format!(
                            "match must be all, most or any, not {value:?}"
                        )));
                    }
                }
            }
            "fuzzy" => {
                params.fuzzy = match value.as_str() {
                    "" | "false" | "0" => false,
                    "true" | "1" => true,
                    _ => return Err(bad(format!("fuzzy must be true or false, not {value:?}"))),
                }
            }
            "page" => {
                params.page = match value.parse::<usize>() {
                    Ok(page) if page >= 1 => page,
                    _ => return Err(bad(format!("page must be a number from 1, not {value:?}"))),
                }
            }
            "per_page" => {
                params.per_page = match value.parse::<usize>() {
                    Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => n,
                    _ => {
                        return Err(bad(format!(
                            "per_page must be a number from 1 to {MAX_PER_PAGE}, not {value:?}"
                        )));
                    }
                }
            }
            _ if strict => return Err(bad(format!("unknown parameter {name:?}"))),
            _ => {}
        }
    }
    if (params.page - 1).saturating_mul(params.per_page) > MAX_OFFSET {
        return Err(bad(format!("pages go no deeper than hit {MAX_OFFSET}")));
    }
    Ok(params)
}

/// Runs the search of `params`, its facet counts made disjunctive: for
/// each facet with a filter, the counts are those of the search without
/// that facet's own filter, so that its other values show what choosing
/// them as well would add.
pub fn run_search(
    engine: &Engine,
    params: &SearchParams,
    passages: usize,
) -> Result<Arc<SearchResults>> {
    let request = SearchRequest {
        query: params.engine_query().to_string(),
        filters: params.filters.clone(),
        limit: params.per_page,
        offset: (params.page - 1) * params.per_page,
        passages,
        fuzzy: params.fuzzy,
        mode: params.mode,
    };
    let results = engine.search(&request)?;
    let filtered: Vec<Facet> = Facet::DISPLAY
        .into_iter()
        .filter(|facet| !params.filters[*facet].is_empty())
        .collect();
    if filtered.is_empty() {
        return Ok(results);
    }
    let mut results = SearchResults::clone(&results);
    for facet in filtered {
        let mut widened = params.filters.clone();
        widened[facet].clear();
        // The same page without this facet's filter: often the page the
        // user has just seen, so a kept answer; else one worth keeping for
        // when the filter is removed.
        let without = engine.search(&SearchRequest {
            filters: widened,
            ..request.clone()
        })?;
        results.facets[facet] = without.facets[facet].clone();
    }
    Ok(Arc::new(results))
}

/// The number of pages of `total` hits.
pub fn pages(total: u64, per_page: usize) -> u64 {
    total.div_ceil(per_page.max(1) as u64)
}

/// The answer to an error of the engine: 400 for a bad query (with its
/// column) or an unknown facet value, 404 for an unknown briefing or
/// session, 502 when the `--remote` node could not answer, and 500 only
/// for what the user's input cannot cause (a damaged index). The user's
/// mistake wins over the node's: it is what the user can fix.
pub fn error_response(err: &anyhow::Error) -> Response {
    let message = format!("{err:#}");
    if let Some(query) = err.chain().find_map(|c| c.downcast_ref::<QueryError>()) {
        return Response::error(400, &query.to_string(), Some(query.column));
    }
    if err.chain().any(|c| c.is::<UnknownValue>()) {
        return Response::error(400, &message, None);
    }
    if err.chain().any(|c| c.is::<NotFound>()) {
        return Response::error(404, &message, None);
    }
    // A context, which `downcast_ref` finds and `chain()` does not.
    if err.downcast_ref::<super::NodeError>().is_some() {
        return Response::error(502, &message, None);
    }
    eprintln!("ctsearch: serve: {message}");
    Response::error(500, &message, None)
}

/// Answers a request under `/api/`.
pub fn route(engine: &Engine, request: &Request) -> Response {
    let answer = match request.path.as_str() {
        "/api/search" => search(engine, request),
        "/api/facets" => facets(engine, request),
        "/api/show" => show(engine, request),
        "/api/stats" => engine
            .stats()
            .map(|stats| Response::json(200, &stats))
            .map_err(|e| error_response(&e)),
        "/api/health" => engine
            .sessions()
            .map(|sessions| Response::json(200, &json!({ "status": "ok", "sessions": sessions })))
            .map_err(|e| error_response(&e)),
        _ => Ok(Response::error(404, "no such API endpoint", None)),
    };
    answer.unwrap_or_else(|response| response)
}

/// A page of search results: the fields of `--format json`, and where the
/// page stands among the others.
#[derive(serde::Serialize)]
struct ResultsPage<'a> {
    #[serde(flatten)]
    results: &'a SearchResults,
    page: usize,
    per_page: usize,
    pages: u64,
}

fn search(engine: &Engine, request: &Request) -> Result<Response, Response> {
    let params = search_params(request, true)?;
    let results = run_search(engine, &params, 1).map_err(|e| error_response(&e))?;
    // Serialized straight from the results: a facet may hold a value per
    // briefing, and an intermediate `serde_json::Value` would copy each.
    Ok(Response::json(
        200,
        &ResultsPage {
            results: &results,
            page: params.page,
            per_page: params.per_page,
            pages: pages(results.total, params.per_page),
        },
    ))
}

fn facets(engine: &Engine, request: &Request) -> Result<Response, Response> {
    let params = search_params(request, true)?;
    let results = run_search(
        engine,
        &SearchParams {
            page: 1,
            per_page: 1,
            ..params.clone()
        },
        1,
    )
    .map_err(|e| error_response(&e))?;
    #[derive(serde::Serialize)]
    struct FacetCounts<'a> {
        query: &'a str,
        total: u64,
        briefings: u64,
        facets: &'a Facets,
    }
    Ok(Response::json(
        200,
        &FacetCounts {
            query: &params.query,
            total: results.total,
            briefings: results.briefings,
            facets: &results.facets,
        },
    ))
}

fn show(engine: &Engine, request: &Request) -> Result<Response, Response> {
    let (path, session, query) = show_params(request)?;
    let shown = engine
        .show(&path, session.as_deref(), &query)
        .map_err(|e| error_response(&e))?;
    // The fields of `show --json`, the citations included (local or
    // remote alike).
    #[derive(serde::Serialize)]
    struct Shown<'a> {
        #[serde(flatten)]
        shown: &'a crate::search::show::ShownBriefing,
        #[serde(flatten)]
        citations: crate::search::cites::Citations,
    }
    let citations = engine.citations(&path).map_err(|e| error_response(&e))?;
    Ok(Response::json(
        200,
        &Shown {
            shown: &shown,
            citations,
        },
    ))
}

/// The `path`, `session` and `q` of a show request. A path that is not a
/// plain corpus-relative one (absolute, or with `..`) is a 404 before the
/// index is asked: nothing outside the index is ever served, and the
/// index holds no such path.
pub fn show_params(request: &Request) -> Result<(String, Option<String>, String), Response> {
    let not_found = || Response::error(404, "no such document in the index", None);
    let path = request.param("path").unwrap_or_default().to_string();
    let escapes = path.is_empty()
        || path.starts_with('/')
        || path.starts_with('\\')
        || path.chars().any(char::is_control)
        || path.split(['/', '\\']).any(|part| part == "..");
    if escapes {
        return Err(not_found());
    }
    let session = request
        .param("session")
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string);
    let query = request.param("q").unwrap_or_default().to_string();
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Response::error(
            413,
            &format!("query longer than {MAX_QUERY_CHARS} characters"),
            None,
        ));
    }
    Ok((path, session, query))
}
