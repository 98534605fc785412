//! The search page (`/`), a briefing's page (`/show`) and the style sheet,
//! rendered on the server with maud. maud escapes every interpolated
//! string, so document and query text reach the page as text only; the
//! one piece of markup built from document text, the `<mark>` of a
//! highlight, is made by [`highlighted`] around escaped text.

use maud::{DOCTYPE, Markup, html};

use super::Engine;
use super::api::{self, SearchParams};
use super::http::{Request, Response, percent_encode};
use crate::search::cites::Citations;
use crate::search::{Coverage, Facet, Hit, MatchMode, SearchResults};

/// The page's style sheet, served at `/static/style.css`.
pub const STYLE: &str = include_str!("style.css");

/// Values listed per facet in the sidebar (besides the active ones).
const SIDEBAR_VALUES: usize = 12;

/// `/?q=…&facet=value…&page=N`: the link to a search.
fn search_url(query: &str, mode: MatchMode, filters: &[(Facet, String)], page: usize) -> String {
    let mut parts = Vec::new();
    if !query.is_empty() {
        parts.push(format!("q={}", percent_encode(query)));
    }
    if mode != MatchMode::Auto {
        parts.push(format!("match={}", mode.name()));
    }
    for (facet, value) in filters {
        parts.push(format!("{facet}={}", percent_encode(value)));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/?{}", parts.join("&"))
    }
}

/// The link that adds the filter `facet=value` to the search, or removes
/// it when it is on; back to the first page either way.
fn toggle_url(params: &SearchParams, facet: Facet, value: &str) -> String {
    let mut active = params.active();
    let before = active.len();
    active.retain(|(f, v)| !(*f == facet && v == value));
    if active.len() == before {
        active.push((facet, value.to_string()));
    }
    search_url(&params.query, params.mode, &active, 1)
}

fn show_url(path: &str, session: Option<&str>, query: &str) -> String {
    let mut url = format!("/show?path={}", percent_encode(path));
    if let Some(session) = session {
        url.push_str(&format!("&session={}", percent_encode(session)));
    }
    if !query.is_empty() {
        url.push_str(&format!("&q={}", percent_encode(query)));
    }
    url
}

/// `text` with the character ranges `ranges` in `<mark>`, everything
/// escaped. Ranges out of order, overlapping or past the end are
/// tolerated.
pub fn highlighted(text: &str, ranges: &[[usize; 2]]) -> Markup {
    let mut ranges: Vec<[usize; 2]> = ranges.iter().filter(|r| r[0] < r[1]).copied().collect();
    ranges.sort_unstable();
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let byte = |c: usize| bounds.get(c).copied().unwrap_or(text.len());
    let mut segments: Vec<(bool, &str)> = Vec::new();
    let mut at = 0;
    for [start, end] in ranges {
        let (start, end) = (byte(start).max(at), byte(end));
        if start >= end {
            continue;
        }
        if start > at {
            segments.push((false, &text[at..start]));
        }
        segments.push((true, &text[start..end]));
        at = end;
    }
    if at < text.len() {
        segments.push((false, &text[at..]));
    }
    html! {
        @for (marked, segment) in segments {
            @if marked { mark { (segment) } } @else { (segment) }
        }
    }
}

fn layout(title: &str, query: &str, params: Option<&SearchParams>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                a.skip href="#results" { "Skip to results" }
                header {
                    a.brand href="/" { "ctsearch" }
                    form role="search" action="/" method="get" {
                        label for="q" { "Search the documents" }
                        div.searchrow {
                            input #q type="search" name="q" value=(query)
                                placeholder="e.g. arms trafficking" maxlength=(api::MAX_QUERY_CHARS);
                            @if let Some(params) = params {
                                @for (facet, value) in params.active() {
                                    input type="hidden" name=(facet.name()) value=(value);
                                }
                                @if params.mode != MatchMode::Auto {
                                    input type="hidden" name="match" value=(params.mode.name());
                                }
                            }
                            button type="submit" { "Search" }
                        }
                    }
                }
                (body)
            }
        }
    }
}

fn page_response(status: u16, markup: Markup) -> Response {
    Response::new(status, "text/html; charset=utf-8", markup.into_string())
}

/// `GET /` and `/?q=…&crime=…`: the search page.
pub fn search_page(engine: &Engine, request: &Request) -> Response {
    let params = match api::search_params(request, false) {
        Ok(params) => params,
        Err(response) => {
            let message = String::from_utf8_lossy(&response.body).into_owned();
            let message = serde_json::from_str::<serde_json::Value>(&message)
                .ok()
                .and_then(|v| v["error"].as_str().map(str::to_string))
                .unwrap_or(message);
            let body = html! { main #results { p.error role="alert" { (message) } } };
            return page_response(response.status, layout("ctsearch", "", None, body));
        }
    };
    let title = if params.query.is_empty() {
        "ctsearch".to_string()
    } else {
        format!("{} — ctsearch", params.query)
    };
    let (status, body) = match api::run_search(engine, &params, 1) {
        Ok(results) => (200, results_body(&params, &results)),
        Err(err) => {
            let response = api::error_response(&err);
            let column = serde_json::from_slice::<serde_json::Value>(&response.body)
                .ok()
                .and_then(|v| v["column"].as_u64());
            let body = html! {
                main #results {
                    (chips(&params))
                    p.error role="alert" {
                        (format!("{err:#}"))
                        @if let Some(column) = column {
                            " " span.column { "(column " (column) ")" }
                        }
                    }
                }
            };
            (response.status, body)
        }
    };
    page_response(status, layout(&title, &params.query, Some(&params), body))
}

fn chips(params: &SearchParams) -> Markup {
    let active = params.active();
    html! {
        @if !active.is_empty() {
            ul.chips aria-label="Active filters" {
                @for (facet, value) in &active {
                    li {
                        a.chip href=(toggle_url(params, *facet, value))
                            aria-label=(format!("Remove filter {}: {value}", facet.label())) {
                            span.chipfacet { (facet.label()) ": " } (value) " " span aria-hidden="true" { "×" }
                        }
                    }
                }
                li { a.clear href=(search_url(&params.query, params.mode, &[], 1)) { "Clear filters" } }
            }
        }
    }
}

fn results_body(params: &SearchParams, results: &SearchResults) -> Markup {
    let pages = api::pages(results.total, params.per_page);
    let first = (params.page - 1) * params.per_page + 1;
    html! {
        div.layout {
            aside.facets aria-label="Filters" {
                h2.visually-hidden { "Filters" }
                @for facet in Facet::DISPLAY {
                    (facet_section(params, results, facet))
                }
            }
            main #results {
                (chips(params))
                p.summary {
                    strong { (results.total) } (plural(results.total, " session", " sessions")) " in "
                    strong { (results.briefings) } (plural(results.briefings, " document", " documents"))
                    @if !params.query.is_empty() { " for " q { (params.query) } }
                    @if results.fallback { span.note { " — no session has every word; showing sessions with any of them" } }
                    @if results.partial > 0 { span.note { " — then " (results.partial) (plural(results.partial, " partial match", " partial matches")) " with fewer of the query's words" } }
                }
                @if !results.also_searched.is_empty() {
                    p.also { "Also searched: " (results.also_searched.join(", ")) }
                }
                (chart(params, results))
                @if results.hits.is_empty() {
                    p.empty { "No session matches." }
                } @else {
                    ol.hits start=(first) {
                        @for hit in &results.hits { (hit_item(params, hit)) }
                    }
                }
                @if pages > 1 { (pagination(params, pages)) }
            }
        }
    }
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn facet_section(params: &SearchParams, results: &SearchResults, facet: Facet) -> Markup {
    let counts = &results.facets[facet];
    let active = &params.filters[facet];
    let mut values: Vec<(&String, u64)> = counts.iter().map(|(v, n)| (v, *n)).collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let is_on = |value: &str| active.iter().any(|a| a.eq_ignore_ascii_case(value));
    let shown: Vec<(&String, u64)> = values
        .iter()
        .enumerate()
        .filter(|(i, (v, _))| *i < SIDEBAR_VALUES || is_on(v))
        .map(|(_, x)| *x)
        .collect();
    if shown.is_empty() {
        return html! {};
    }
    let heading = format!("facet-{facet}");
    html! {
        section.facet aria-labelledby=(heading) {
            h3 #(heading) { (facet.label()) }
            ul {
                @for (value, count) in shown {
                    @let on = is_on(value);
                    li {
                        a.on[on] href=(toggle_url(params, facet, value))
                            data-facet=(facet.name()) data-value=(value) data-count=(count)
                            aria-current=[on.then_some("true")] {
                            @if on { span.visually-hidden { "Remove filter: " } span.check aria-hidden="true" { "✓ " } }
                            span.value { (value) }
                            " " span.count { (count) }
                        }
                    }
                }
            }
            @if values.len() > SIDEBAR_VALUES {
                p.more { (values.len() - SIDEBAR_VALUES) " more" }
            }
        }
    }
}

/// A bar chart of matches per year, as SVG: one bar per year, each a link
/// that toggles that year's filter.
fn chart(params: &SearchParams, results: &SearchResults) -> Markup {
    let active = &params.filters[Facet::Year];
    year_bars(
        "chart-title",
        "Matching sessions per year",
        "sessions",
        &results.facets[Facet::Year],
        |year| toggle_url(params, Facet::Year, year),
        |year| active.iter().any(|a| a == year),
    )
}

/// Counts per year as an SVG bar chart captioned `caption`: one bar per
/// year, each a link to `link(year)`, drawn as chosen when `on(year)`.
/// Nothing for no years.
fn year_bars(
    id: &str,
    caption: &str,
    unit: &str,
    years: &std::collections::BTreeMap<String, u64>,
    link: impl Fn(&str) -> String,
    on: impl Fn(&str) -> bool,
) -> Markup {
    if years.is_empty() {
        return html! {};
    }
    let max = years.values().copied().max().unwrap_or(1).max(1);
    let slot = 40u64;
    let bar = 28u64;
    let height = 100u64;
    let top = 18u64;
    let width = slot * years.len() as u64;
    html! {
        figure.chart {
            figcaption #(id) { (caption) }
            svg role="img" aria-labelledby=(id) viewBox=(format!("0 0 {width} {}", height + top + 22))
                width=(width.min(640)) preserveAspectRatio="xMinYMin meet" {
                @for (i, (year, count)) in years.iter().enumerate() {
                    @let x = i as u64 * slot + (slot - bar) / 2;
                    @let h = (count * height).div_ceil(max).max(1);
                    @let y = top + height - h;
                    a href=(link(year)) aria-label=(format!("{year}: {count} {unit}")) data-year=(year) data-count=(count) {
                        rect.bar.on[on(year)] x=(x) y=(y) width=(bar) height=(h) {
                            title { (year) ": " (count) }
                        }
                        text.count x=(x + bar / 2) y=(y - 4) text-anchor="middle" { (count) }
                        text.year x=(x + bar / 2) y=(top + height + 16) text-anchor="middle" { (year) }
                    }
                }
            }
        }
    }
}

/// The search for the documents citing `target` (`cites=…`), in `year`
/// if given: the list the "cited by" count counts.
fn citing_url(target: &str, year: Option<&str>) -> String {
    let mut filters = vec![(Facet::Cites, target.to_string())];
    if let Some(year) = year {
        filters.push((Facet::Year, year.to_string()));
    }
    search_url("", MatchMode::Auto, &filters, 1)
}

/// A document's "Cites", "Cited by" (with its chart per year) and
/// lineage, each entry a link: to the document's page when it is in the
/// index, else to the search for what cites it.
fn citations_section(citations: &Citations, own: Option<&str>) -> Markup {
    let kinds = |kinds: &[String]| kinds.join(", ");
    html! {
        section.citations #cites aria-labelledby="cites-title" {
            h2 #cites-title { "Cites " span.count data-count=(citations.cites.len()) { (citations.cites.len()) } }
            @if citations.cites.is_empty() {
                p.empty { "It cites no document." }
            } @else {
                ul.cites {
                    @for entry in &citations.cites {
                        li data-target=(entry.target) data-in-index=(entry.in_index) {
                            @match &entry.path {
                                Some(path) => a href=(show_url(path, None, "")) { (entry.target) },
                                None => a href=(citing_url(&entry.target, None)) title="Not in the index: the documents citing it" { (entry.target) },
                            }
                            @if !entry.kinds.is_empty() { " · " span.kinds { (kinds(&entry.kinds)) } }
                            @if !entry.in_index { " " span.note { "(not in the index)" } }
                        }
                    }
                }
            }
        }
        section.citations #cited-by aria-labelledby="cited-by-title" {
            h2 #cited-by-title { "Cited by " span.count data-count=(citations.cited_by) { (citations.cited_by) } }
            @if let Some(own) = own {
                @if citations.cited_by > 0 {
                    p { a.citing-search href=(citing_url(own, None)) { "The " (citations.cited_by) (plural(citations.cited_by, " citing document", " citing documents")) " as a search" } }
                }
                (year_bars("cited-by-chart", "Citing documents per year", "citing documents",
                    &citations.cited_by_per_year, |year| citing_url(own, Some(year)), |_| false))
            }
            @if citations.citing.is_empty() {
                p.empty { @if own.is_some() { "No document in the index cites it." } @else { "It has no symbol that documents could cite." } }
            } @else {
                ol.citing {
                    @for document in &citations.citing {
                        li data-path=(document.path) {
                            a href=(show_url(&document.path, None, "")) { (document.symbol.as_deref().unwrap_or(&document.title)) }
                            @if let Some(date) = &document.date { " · " time datetime=(date) { (date) } }
                            @if document.symbol.is_some() { " · " span.title { (document.title) } }
                            @if !document.kinds.is_empty() { " · " span.kinds { (kinds(&document.kinds)) } }
                        }
                    }
                }
            }
        }
        @if let Some(lineage) = &citations.lineage {
            section.citations #lineage aria-labelledby="lineage-title" {
                h2 #lineage-title { "Lineage" }
                ol.lineage {
                    @for step in &lineage.steps {
                        @let current = step.symbol == lineage.symbol;
                        li data-symbol=(step.symbol) aria-current=[current.then_some("true")] {
                            @match &step.path {
                                Some(path) if !current => a href=(show_url(path, None, "")) { (step.symbol) },
                                Some(_) => strong { (step.symbol) },
                                None => a href=(citing_url(&step.symbol, None)) { (step.symbol) },
                            }
                            @if let Some(date) = &step.date { " · " time datetime=(date) { (date) } }
                            @match (&step.kind, &step.continues) {
                                (Some(kind), Some(continues)) => { " · " span.kinds { (kind) " " (continues) } },
                                _ => { " · " span.kinds { "root" } },
                            }
                            @if let Some(clause) = &step.clause {
                                blockquote.passage {
                                    @if let Some(para) = &clause.para { span.para { "¶ " (para) " " } }
                                    (highlighted(&clause.text, &clause.highlights))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn hit_item(params: &SearchParams, hit: &Hit) -> Markup {
    let link = show_url(&hit.path, Some(&hit.session), &params.query);
    let speaker = match (&hit.speaker, &hit.country) {
        (Some(s), Some(c)) => Some(format!("{s} ({c})")),
        (Some(s), None) => Some(s.clone()),
        (None, Some(c)) => Some(c.clone()),
        (None, None) => None,
    };
    html! {
        li.hit {
            article {
                h3 { a href=(link) { (hit.session) } }
                p.title { (hit.title) }
                @if hit.coverage == Coverage::Partial {
                    p.partial { "Partial match, without " (hit.missing.join(", ")) }
                }
                p.meta {
                    @if let Some(date) = &hit.date { time datetime=(date) { (date) } " · " }
                    span.type { (hit.doc_type) }
                    @if let Some(symbol) = &hit.symbol { " · " span.symbol { (symbol) } }
                    @if let Some(speaker) = speaker { " · " span.speaker { (speaker) } }
                    @if let Some(page) = hit.page { " · " span.page { "p. " (page) } }
                    @if let Some(para) = &hit.para { " · " span.para { "¶ " (para) } }
                }
                blockquote.passage { (highlighted(&hit.passage, &hit.highlights)) }
                @if !hit.crimes.is_empty() {
                    p.tags { @for crime in &hit.crimes { span.tag { (crime) } " " } }
                }
            }
        }
    }
}

fn pagination(params: &SearchParams, pages: u64) -> Markup {
    let active = params.active();
    let page = params.page as u64;
    let url = |p: u64| search_url(&params.query, params.mode, &active, p as usize);
    let window: Vec<u64> = (page.saturating_sub(2).max(1)..=(page + 2).min(pages)).collect();
    html! {
        nav.pages aria-label="Pages" {
            @if page > 1 { a rel="prev" href=(url(page - 1)) { "← Previous" } }
            @for p in window {
                @if p == page { span aria-current="page" { (p) } }
                @else { a href=(url(p)) aria-label=(format!("Page {p}")) { (p) } }
            }
            @if page < pages { a rel="next" href=(url(page + 1)) { "Next →" } }
            span.of { "of " (pages) }
        }
    }
}

/// `GET /show?path=…&session=…&q=…`: a session (or the whole briefing),
/// highlighted.
pub fn show_page(engine: &Engine, request: &Request) -> Response {
    let (path, session, query) = match api::show_params(request) {
        Ok(found) => found,
        Err(response) => return not_found_status(response.status),
    };
    let shown = match engine.show(&path, session.as_deref(), &query) {
        Ok(shown) => shown,
        Err(err) => {
            let status = api::error_response(&err).status;
            if matches!(status, 400 | 404 | 413) {
                return not_found_status(status);
            }
            // The index or the --remote node failed: say so, not "not found".
            let body = html! { main #results { h1 { "The session cannot be shown" } p.error role="alert" { (format!("{err:#}")) } p { a href="/" { "Search" } } } };
            return page_response(status, layout("Error — ctsearch", &query, None, body));
        }
    };
    let back = search_url(&query, MatchMode::Auto, &[], 1);
    // Citations come from the engine serving: the local index or the
    // --remote node, alike.
    let citations = engine.citations(&path);
    let own = shown.symbol.as_deref().and_then(crate::citation::target_of);
    let body = html! {
        main #results.show {
            p { a href=(back) { "← Back to the search" } }
            h1 { (shown.title) }
            p.path { (shown.path) }
            // The citations follow the whole text: say how many there are
            // and jump to them from the top.
            @if let Ok(citations) = &citations {
                nav.jump aria-label="Citations" {
                    a href="#cites" { "Cites " (citations.cites.len()) }
                    " · "
                    a href="#cited-by" { "Cited by " (citations.cited_by) }
                    @if citations.lineage.is_some() {
                        " · "
                        a href="#lineage" { "Lineage" }
                    }
                }
            }
            @if session.is_some() {
                p { a href=(show_url(&path, None, &query)) { "The whole document" } }
            }
            @for s in &shown.sessions {
                section.session id=(format!("s-{}", s.key)) {
                    h2 { (s.label) }
                    @for passage in &s.passages {
                        p {
                            @if let Some(para) = &passage.para { span.para { "¶ " (para) " " } }
                            (highlighted(&passage.text, &passage.highlights))
                        }
                    }
                }
            }
            @match &citations {
                Ok(citations) => (citations_section(citations, own.as_deref())),
                Err(err) => p.error role="alert" { "Its citations cannot be read: " (format!("{err:#}")) },
            }
        }
    };
    page_response(
        200,
        layout(&format!("{} — ctsearch", shown.title), &query, None, body),
    )
}

/// `GET /watches`: for every saved search, what it found new or changed
/// at its latest release (the last index run with news for it).
pub fn watches_page(engine: &Engine, watches: Option<&std::path::Path>) -> Response {
    let Some(context) = engine.local() else {
        let body = html! { main #results { h1 { "Saved searches" } p { "Saved searches report what each run of " code { "ctsearch index" } " found; this server searches a remote node, which has no index runs to report." } } };
        return page_response(200, layout("Saved searches — ctsearch", "", None, body));
    };
    let latest = match watches.map(|w| crate::watch::latest(context, w)) {
        Some(Ok(latest)) => latest,
        Some(Err(err)) => {
            let body = html! { main #results { h1 { "Saved searches" } p.error role="alert" { "The saved searches cannot be read: " (format!("{err:#}")) } } };
            return page_response(500, layout("Saved searches — ctsearch", "", None, body));
        }
        None => Vec::new(),
    };
    let body = html! {
        main #results.watches {
            h1 { "New since the last release" }
            @if latest.is_empty() {
                p { "No saved searches. Add one with " code { "ctsearch watch add NAME QUERY…" } "." }
            }
            @for saved in &latest {
                section.watch id=(format!("w-{}", saved.name)) {
                    h2 { (saved.name) }
                    p.query { code { (crate::watch::describe(&saved.watch)) } }
                    @match saved.at {
                        None => p { "Nothing reported yet." },
                        Some(at) => p.meta {
                            (saved.hits.len()) " new or changed session"
                            @if saved.hits.len() != 1 { "s" }
                            " at the index run of " (crate::render::utc(at))
                        },
                    }
                    ol.hits {
                        @for hit in &saved.hits {
                            li.hit {
                                article {
                                    h3 { a href=(show_url(&hit.path, Some(&hit.session), &saved.watch.query)) { (hit.session) } }
                                    p.title { (hit.title) }
                                    p.meta {
                                        @if let Some(date) = &hit.date { time datetime=(date) { (date) } " · " }
                                        span.type { (hit.doc_type) }
                                        @if let Some(symbol) = &hit.symbol { " · " span.symbol { (symbol) } }
                                    }
                                    blockquote.passage { (highlighted(&hit.passage, &hit.highlights)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page_response(200, layout("Saved searches — ctsearch", "", None, body))
}

fn not_found_status(status: u16) -> Response {
    let message = match status {
        413 => "The query is too long.",
        400 => "That request is not valid.",
        _ => "There is no such document or session in the index.",
    };
    let body = html! { main #results { h1 { "Not found" } p.error role="alert" { (message) } p { a href="/" { "Search" } } } };
    page_response(status, layout("Not found — ctsearch", "", None, body))
}

/// A page for a path the server does not have.
pub fn not_found() -> Response {
    not_found_status(404)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_mark_char_ranges_and_escape_the_rest() {
        let text = "é <b>arms</b> trafficking";
        let html = highlighted(text, &[[5, 9], [14, 25], [40, 50], [3, 2]]).into_string();
        assert_eq!(
            html,
            "é &lt;b&gt;<mark>arms</mark>&lt;/b&gt; <mark>trafficking</mark>"
        );
    }

    #[test]
    fn toggling_adds_and_removes_a_filter() {
        let mut params = SearchParams {
            query: "arms & drugs".into(),
            filters: Default::default(),
            mode: MatchMode::Auto,
            fuzzy: false,
            page: 3,
            per_page: 10,
        };
        assert_eq!(
            toggle_url(&params, Facet::Crime, "arms-trafficking"),
            "/?q=arms%20%26%20drugs&crime=arms-trafficking"
        );
        params.filters[Facet::Crime].push("arms-trafficking".into());
        assert_eq!(
            toggle_url(&params, Facet::Crime, "arms-trafficking"),
            "/?q=arms%20%26%20drugs"
        );
    }
}
