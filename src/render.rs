//! Rendering search results: text for a terminal or a pipe, JSON for
//! programs.
//!
//! Text taken from documents is never written raw to a terminal: control
//! characters (ESC among them) are dropped, so a hostile document cannot
//! recolor, move the cursor or clear the screen. JSON output escapes
//! everything through serde_json.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use crate::search::cites::{Citations, Lineage, Network};
use crate::search::show::ShownBriefing;
use crate::search::{Coverage, Facet, Facets, Hit, SearchResults};

const RESET: &str = "\x1b[0m";
const PATH: &str = "\x1b[35m";
const SESSION: &str = "\x1b[1;32m";
const MATCH: &str = "\x1b[1;31m";
const TAG: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";

/// How to render text.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    pub color: bool,
    /// Wrap passages at this width; `None` writes each passage on one line.
    pub width: Option<usize>,
}

impl TextStyle {
    fn paint(&self, code: &'static str) -> &'static str {
        if self.color { code } else { "" }
    }

    fn reset(&self) -> &'static str {
        self.paint(RESET)
    }
}

/// Whether a character may be written to a terminal. Control characters
/// and bidirectional overrides can rewrite what the user sees.
fn is_safe(c: char) -> bool {
    !(c.is_control()
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c))
}

/// `text` with unsafe characters removed (borrowed when it has none, as
/// nearly every text has).
pub fn sanitize(text: &str) -> Cow<'_, str> {
    let printable_ascii = |b: &u8| (b' '..=b'~').contains(b);
    if text.as_bytes().iter().all(printable_ascii) || text.chars().all(is_safe) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| is_safe(c)).collect())
    }
}

/// Display form of a corpus-relative path: joined to the corpus directory
/// as the user gave it, so it can be opened from where they stand.
pub fn display_path(corpus: &Path, rel: &str) -> String {
    corpus.join(rel).to_string_lossy().to_string()
}

/// Writes results as text: a block per hit, then a summary and the facet
/// counts of the whole result set.
pub fn write_text(
    out: &mut impl Write,
    results: &SearchResults,
    corpus: &Path,
    style: TextStyle,
) -> io::Result<()> {
    if !results.also_searched.is_empty() {
        let also: Vec<Cow<str>> = results.also_searched.iter().map(|s| sanitize(s)).collect();
        writeln!(
            out,
            "{}also searched: {}{}\n",
            style.paint(DIM),
            also.join(", "),
            style.reset()
        )?;
    }
    for hit in &results.hits {
        write_hit(out, hit, corpus, style, None)?;
        writeln!(out)?;
    }
    let s = |n: u64, one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            format!("{n} {many}")
        }
    };
    let partial = if results.partial > 0 {
        format!(
            ", then {} with fewer of the query's words",
            s(results.partial, "1 partial match", "partial matches")
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "{}{} matched in {}{partial} ({:.1} ms){}",
        style.paint(DIM),
        s(results.total, "1 session", "sessions"),
        s(results.briefings, "1 document", "documents"),
        results.took_ms,
        style.reset(),
    )?;
    write_facets(out, &results.facets, style)?;
    Ok(())
}

/// Writes one hit as text: its path, session, page, paragraph, symbol,
/// date and title (then `note`, e.g. "changed"), its tags and passages.
pub fn write_hit(
    out: &mut impl Write,
    hit: &Hit,
    corpus: &Path,
    style: TextStyle,
    note: Option<&str>,
) -> io::Result<()> {
    let path = display_path(corpus, &hit.path);
    write!(
        out,
        "{}{}{} › {}{}{}",
        style.paint(PATH),
        sanitize(&path),
        style.reset(),
        style.paint(SESSION),
        sanitize(&hit.session),
        style.reset()
    )?;
    // The page of the best passage, so the user can open the PDF there.
    if let Some(page) = hit.page {
        write!(out, " · p. {page}")?;
    }
    if let Some(para) = &hit.para {
        write!(out, " · ¶ {}", sanitize(para))?;
    }
    // Briefings are known by their title; other documents by their symbol.
    if hit.doc_type != "briefing"
        && let Some(symbol) = &hit.symbol
    {
        write!(out, " · {}", sanitize(symbol))?;
    }
    if let Some(date) = &hit.date {
        write!(out, " · {}", sanitize(date))?;
    }
    write!(out, " · {}", sanitize(&hit.title))?;
    if let Some(note) = note {
        write!(out, " · {}", sanitize(note))?;
    }
    // A partial hit is marked quietly: it is shown after the match set,
    // and says which of the query's concepts it lacks.
    if hit.coverage == Coverage::Partial {
        let missing: Vec<Cow<str>> = hit.missing.iter().map(|m| sanitize(m)).collect();
        write!(
            out,
            " {}(partial: without {}){}",
            style.paint(DIM),
            missing.join(", "),
            style.reset()
        )?;
    }
    writeln!(out)?;
    let tags: Vec<String> = hit
        .crimes
        .iter()
        .chain(hit.orgs.iter())
        .map(|t| format!("[{}]", sanitize(t)))
        .collect();
    if !tags.is_empty() {
        writeln!(
            out,
            "  {}{}{}",
            style.paint(TAG),
            tags.join(" "),
            style.reset()
        )?;
    }
    for passage in &hit.passages {
        write_passage(out, &passage.text, &passage.highlights, style)?;
    }
    Ok(())
}

/// Writes a passage indented by two spaces, highlighted, wrapped at word
/// boundaries when a width is set.
pub fn write_passage(
    out: &mut impl Write,
    text: &str,
    highlights: &[[usize; 2]],
    style: TextStyle,
) -> io::Result<()> {
    let indent = "  ";
    let width = style.width.map(|w| w.saturating_sub(indent.len()).max(20));
    let mut line_len = 0usize;
    // Built whole and written once: a passage is hundreds of characters,
    // and formatting each one through `out` cost more than finding it.
    let mut buf = String::with_capacity(text.len() + 64);
    buf.push_str(indent);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut hl = highlights.iter().peekable();
    let mut in_match_until: Option<usize> = None;
    while i < chars.len() {
        // Word (or run of spaces) starting at i.
        let is_space = chars[i].is_whitespace();
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() == is_space {
            j += 1;
        }
        if is_space {
            if let Some(w) = width
                && line_len > 0
            {
                let next_word_len = chars[j..].iter().take_while(|c| !c.is_whitespace()).count();
                if line_len + 1 + next_word_len > w {
                    if in_match_until.is_some() {
                        buf.push_str(style.reset());
                    }
                    buf.push('\n');
                    buf.push_str(indent);
                    if in_match_until.is_some() {
                        buf.push_str(style.paint(MATCH));
                    }
                    line_len = 0;
                    i = j;
                    continue;
                }
            }
            buf.push(' ');
            line_len += 1;
            i = j;
            continue;
        }
        for (k, &c) in chars.iter().enumerate().take(j).skip(i) {
            if in_match_until.is_none()
                && let Some(&&[s, e]) = hl.peek()
                && s == k
            {
                hl.next();
                in_match_until = Some(e);
                buf.push_str(style.paint(MATCH));
            }
            if is_safe(c) {
                buf.push(c);
                line_len += 1;
            }
            if in_match_until == Some(k + 1) {
                in_match_until = None;
                buf.push_str(style.reset());
            }
        }
        i = j;
        // Skip highlights that started inside whitespace we collapsed.
        while let Some(&&[s, _]) = hl.peek() {
            if s < i && in_match_until.is_none() {
                hl.next();
            } else {
                break;
            }
        }
    }
    if in_match_until.is_some() {
        buf.push_str(style.reset());
    }
    buf.push('\n');
    out.write_all(buf.as_bytes())
}

fn write_facets(out: &mut impl Write, facets: &Facets, style: TextStyle) -> io::Result<()> {
    // Briefings alone have no types, speakers or symbols worth a line.
    let other_documents = facets[Facet::Type].keys().any(|t| t != "briefing");
    for (name, counts) in facets.named() {
        if counts.is_empty() || (name.is_document_facet() && !other_documents) {
            continue;
        }
        let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = sorted
            .iter()
            .take(12)
            .map(|(v, n)| format!("{} ({n})", sanitize(v)))
            .collect();
        let more = if sorted.len() > 12 {
            format!(", … {} more", sorted.len() - 12)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{}{name}:{} {}{more}",
            style.paint(TAG),
            style.reset(),
            shown.join(", ")
        )?;
    }
    Ok(())
}

/// Writes results as one JSON object.
pub fn write_json(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    serde_json::to_writer(&mut *out, results)?;
    writeln!(out)
}

/// Writes one JSON object per hit, one per line.
pub fn write_jsonl(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    for hit in &results.hits {
        serde_json::to_writer(&mut *out, hit)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Writes the distinct briefing paths of the hits, in rank order.
pub fn write_paths(out: &mut impl Write, results: &SearchResults, corpus: &Path) -> io::Result<()> {
    let mut seen = std::collections::HashSet::new();
    for hit in &results.hits {
        if seen.insert(hit.path.as_str()) {
            writeln!(out, "{}", sanitize(&display_path(corpus, &hit.path)))?;
        }
    }
    Ok(())
}

/// Writes the counts of a facet as a horizontal bar chart, one line per
/// value in key order (years ascending), bars scaled to `width` columns.
/// `blocks` draws with block characters; otherwise plain ASCII `#`, for
/// pipes and `NO_COLOR`.
pub fn write_chart(
    out: &mut impl Write,
    counts: &std::collections::BTreeMap<String, u64>,
    width: usize,
    blocks: bool,
) -> io::Result<()> {
    let max = counts.values().copied().max().unwrap_or(0);
    if max == 0 {
        return Ok(());
    }
    let label_width = counts.keys().map(|k| k.chars().count()).max().unwrap_or(0);
    let width = width.max(10) as u64;
    for (value, &n) in counts {
        // Eighths of a column, so that small counts still show.
        let eighths = (n * width * 8).div_ceil(max);
        let bar = if blocks {
            const PARTIAL: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
            let full = (eighths / 8) as usize;
            let rest = PARTIAL.get((eighths % 8) as usize).copied().unwrap_or("");
            format!("{}{rest}", "█".repeat(full))
        } else {
            "#".repeat((eighths.div_ceil(8)) as usize)
        };
        writeln!(
            out,
            "  {:>label_width$}  {bar} {n}",
            sanitize(value).as_ref()
        )?;
    }
    Ok(())
}

/// `YYYY-MM-DD HH:MM:SS UTC` of Unix time `secs`.
pub fn utc(secs: u64) -> String {
    let (year, month, day, rem) = civil(secs);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// An RFC 3339 timestamp (UTC) of Unix time `secs`.
pub fn rfc3339(secs: u64) -> String {
    let (year, month, day, rem) = civil(secs);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of Unix time `secs` and the seconds into
/// its day (Howard Hinnant's `civil_from_days`).
fn civil(secs: u64) -> (i64, u32, u32, u64) {
    let days = (secs / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, secs % 86_400)
}

/// Values of each facet [`write_facet_lists`] shows unless asked for all:
/// an archive has thousands of symbols and hundreds of speakers, and a
/// listing a reader can take in beats one they must page through.
pub const FACET_TOP: usize = 15;

/// Each facet's values with their counts, most frequent first: the first
/// `limit` of each and a line "… and N more", or every value when `limit`
/// is `None`.
pub fn write_facet_lists(
    out: &mut impl Write,
    facets: &Facets,
    limit: Option<usize>,
) -> io::Result<()> {
    for (name, counts) in facets.named() {
        writeln!(out, "\n{name}:")?;
        let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let shown = limit.unwrap_or(usize::MAX);
        for (value, n) in sorted.iter().take(shown) {
            writeln!(out, "  {n:>7}  {}", sanitize(value))?;
        }
        if sorted.len() > shown {
            writeln!(
                out,
                "           … and {} more (--all)",
                sorted.len() - shown
            )?;
        }
    }
    Ok(())
}

/// Writes a briefing shown whole: each session under its label, with a
/// mark where each page starts, so the text can be checked against the
/// document.
pub fn write_shown(
    out: &mut impl Write,
    shown: &ShownBriefing,
    style: TextStyle,
) -> io::Result<()> {
    for session in &shown.sessions {
        writeln!(out, "== {} ==", sanitize(&session.label))?;
        let mut last_page = None;
        for passage in &session.passages {
            if let Some(page) = passage.page
                && passage.page != last_page
            {
                writeln!(out, "  [p. {page}]")?;
                last_page = passage.page;
            }
            write_passage(out, &passage.text, &passage.highlights, style)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Writes a document's citations after it (`show`): what it cites, each
/// marked in or not in the index with its path; the documents citing it,
/// newest first, with their count and a chart per year; its lineage.
pub fn write_citations(
    out: &mut impl Write,
    citations: &Citations,
    style: TextStyle,
) -> io::Result<()> {
    let kinds = |kinds: &[String]| {
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" · {}", kinds.join(", "))
        }
    };
    writeln!(out, "== Cites ({}) ==", citations.cites.len())?;
    for c in &citations.cites {
        let place = match &c.path {
            Some(path) => format!("in the index: {}", sanitize(path)),
            None => "not in the index".to_string(),
        };
        writeln!(
            out,
            "  {}{} · {place}",
            sanitize(&c.target),
            sanitize(&kinds(&c.kinds))
        )?;
    }
    writeln!(out)?;
    writeln!(out, "== Cited by ({}) ==", citations.cited_by)?;
    for d in &citations.citing {
        writeln!(
            out,
            "  {} · {} · {}{}",
            sanitize(d.date.as_deref().unwrap_or("undated")),
            sanitize(d.symbol.as_deref().unwrap_or("")),
            sanitize(&d.path),
            sanitize(&kinds(&d.kinds))
        )?;
    }
    if !citations.cited_by_per_year.is_empty() {
        writeln!(out)?;
        writeln!(out, "  Citing documents per year:")?;
        write_chart(out, &citations.cited_by_per_year, 30, style.color)?;
    }
    if let Some(lineage) = &citations.lineage {
        writeln!(out)?;
        write_lineage(out, lineage, style)?;
    }
    Ok(())
}

/// Writes a lineage, root first: each step's symbol, date and how it
/// continues the step before, with its clause; `*` marks the resolution
/// asked about.
pub fn write_lineage(out: &mut impl Write, lineage: &Lineage, style: TextStyle) -> io::Result<()> {
    writeln!(out, "== Lineage of {} ==", sanitize(&lineage.symbol))?;
    for step in &lineage.steps {
        let mark = if step.symbol == lineage.symbol {
            "*"
        } else {
            " "
        };
        let mut head = format!(
            "{mark} {} · {}",
            sanitize(&step.symbol),
            sanitize(step.date.as_deref().unwrap_or("undated"))
        );
        match (&step.kind, &step.continues) {
            (Some(kind), Some(continues)) => {
                head.push_str(&format!(" · {kind} {}", sanitize(continues)));
            }
            _ => head.push_str(" · root"),
        }
        if !step.in_index {
            head.push_str(" · not in the index");
        }
        writeln!(out, "{head}")?;
        if let Some(clause) = &step.clause {
            if let Some(para) = &clause.para {
                writeln!(out, "    ¶ {}", sanitize(para))?;
            }
            write_passage(out, &clause.text, &clause.highlights, style)?;
        }
    }
    Ok(())
}

/// `text` escaped for XML character data and attribute values, without
/// the characters XML 1.0 does not allow (most control characters).
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes the citation network as GraphML (for Gephi, igraph, networkx):
/// a directed graph whose nodes are documents (id = canonical symbol, or
/// path for a document without one; `symbol`, `title`, `date`, `type`,
/// `in_index`, `path`) and whose edges go from citing to cited document
/// (`kind`: the kinds of its references joined by `;`, `count`: how many).
pub fn write_graphml(out: &mut impl Write, network: &Network) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    let keys = [
        ("symbol", "node", "string"),
        ("title", "node", "string"),
        ("date", "node", "string"),
        ("type", "node", "string"),
        ("in_index", "node", "boolean"),
        ("path", "node", "string"),
        ("kind", "edge", "string"),
        ("count", "edge", "int"),
    ];
    for (name, target, kind) in keys {
        writeln!(
            out,
            r#"  <key id="{name}" for="{target}" attr.name="{name}" attr.type="{kind}"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="citations" edgedefault="directed">"#)?;
    let data =
        |key: &str, value: &str| format!(r#"<data key="{key}">{}</data>"#, xml_escape(value));
    for node in &network.nodes {
        let mut line = format!(r#"    <node id="{}">"#, xml_escape(&node.id));
        for (key, value) in [
            ("symbol", &node.symbol),
            ("title", &node.title),
            ("date", &node.date),
            ("type", &node.doc_type),
            ("path", &node.path),
        ] {
            if let Some(value) = value {
                line.push_str(&data(key, value));
            }
        }
        line.push_str(&data(
            "in_index",
            if node.in_index { "true" } else { "false" },
        ));
        line.push_str("</node>");
        writeln!(out, "{line}")?;
    }
    for edge in &network.edges {
        writeln!(
            out,
            r#"    <edge source="{}" target="{}">{}{}</edge>"#,
            xml_escape(&edge.source),
            xml_escape(&edge.target),
            data("kind", &edge.kinds.join(";")),
            data("count", &edge.count.to_string())
        )?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    Ok(())
}

/// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a
/// line break, its quotes doubled; control characters dropped.
fn csv_field(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r'))
        .collect();
    if clean.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", clean.replace('"', "\"\""))
    } else {
        clean
    }
}

/// Writes the citation network as a CSV edge list (RFC 4180, for R's
/// `read.csv` and Gephi's import), one line per citing and cited document:
/// `source,target,kind,count,source_date,target_date,target_in_index`,
/// `kind` the kinds of its references joined by `;`, dates `YYYY-MM-DD`
/// or empty.
pub fn write_graph_csv(out: &mut impl Write, network: &Network) -> io::Result<()> {
    writeln!(
        out,
        "source,target,kind,count,source_date,target_date,target_in_index"
    )?;
    let nodes: std::collections::HashMap<&str, &crate::search::cites::Node> =
        network.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let date = |id: &str| {
        nodes
            .get(id)
            .and_then(|n| n.date.as_deref())
            .unwrap_or_default()
    };
    for edge in &network.edges {
        let in_index = nodes.get(edge.target.as_str()).is_some_and(|n| n.in_index);
        writeln!(
            out,
            "{},{},{},{},{},{},{}",
            csv_field(&edge.source),
            csv_field(&edge.target),
            csv_field(&edge.kinds.join(";")),
            edge.count,
            csv_field(date(&edge.source)),
            csv_field(date(&edge.target)),
            in_index
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_in_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_538_956_800), "2018-10-08 00:00:00 UTC");
        assert_eq!(rfc3339(1_538_956_861), "2018-10-08T00:01:01Z");
    }

    #[test]
    fn charts_scale_to_the_largest_count() {
        let mut counts = std::collections::BTreeMap::new();
        counts.insert("2018".to_string(), 4);
        counts.insert("2019".to_string(), 1);
        let mut out = Vec::new();
        write_chart(&mut out, &counts, 10, false).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(text, "  2018  ########## 4\n  2019  ### 1\n");
        let mut out = Vec::new();
        write_chart(&mut out, &counts, 10, true).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("  2018  ██████████ 4\n"), "{text}");
    }

    /// `text` as `write_passage` writes it with these highlights and style.
    fn rendered(
        text: &str,
        highlights: &[[usize; 2]],
        color: bool,
        width: Option<usize>,
    ) -> String {
        let mut out = Vec::new();
        write_passage(&mut out, text, highlights, TextStyle { color, width })
            .expect("writes to a Vec");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn escape_sequences_never_reach_the_terminal() {
        let text = rendered(
            "clear \x1b[2J the \u{202E}screen",
            &[[0, 5]],
            false,
            Some(40),
        );
        assert!(!text.contains('\x1b') && !text.contains('\u{202E}'));
        assert!(text.contains("[2J"));
    }

    #[test]
    fn highlights_are_painted_and_reset() {
        let text = rendered("arms trafficking here", &[[0, 16]], true, None);
        assert_eq!(text, format!("  {MATCH}arms trafficking{RESET} here\n"));
    }

    #[test]
    fn wrapped_lines_close_and_reopen_a_highlight() {
        let text = "the   trafficking of small arms and light weapons";
        // Characters 6..17 are "trafficking", 27..49 "arms and light
        // weapons", which the wrap after "light" cuts in two.
        let text = rendered(text, &[[6, 17], [27, 49]], true, Some(24));
        assert_eq!(
            text,
            format!(
                "  the {MATCH}trafficking{RESET} of\n  small {MATCH}arms and light{RESET}\n  \
                 {MATCH}weapons{RESET}\n"
            )
        );
    }

    #[test]
    fn sanitize_borrows_safe_text() {
        assert!(matches!(sanitize("Session III · 2018"), Cow::Borrowed(_)));
        assert_eq!(sanitize("a\x1b[31mb\u{202E}c"), "a[31mbc");
    }
}
