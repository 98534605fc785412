//! Writing saved search reports: text in the form of `ctsearch search`
//! (a headline per saved search, then its hits), JSON and JSON lines.
//! Document text is sanitized for the terminal as search's is.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{Status, WatchHit, WatchReport};
use crate::render::{self, TextStyle};

fn sessions(n: usize) -> String {
    if n == 1 {
        "1 session".into()
    } else {
        format!("{n} sessions")
    }
}

/// The headline of a report: `kfr: 1 new session`, `kfr: 2 new sessions,
/// 1 changed`, `kfr: 1 changed session`; with `listing` (every match or
/// those since a date), `kfr: 3 sessions (1 new)`.
pub fn headline(report: &WatchReport, listing: bool) -> String {
    let name = &report.name;
    if listing {
        let listed = {
            let mut units: Vec<(&str, &str)> = report
                .hits
                .iter()
                .map(|h| (h.hit.path.as_str(), h.key.as_str()))
                .collect();
            units.sort_unstable();
            units.dedup();
            units.len()
        };
        let mut news = Vec::new();
        if report.new > 0 {
            news.push(format!("{} new", report.new));
        }
        if report.changed > 0 {
            news.push(format!("{} changed", report.changed));
        }
        return if news.is_empty() {
            format!("{name}: {}", sessions(listed))
        } else {
            format!("{name}: {} ({})", sessions(listed), news.join(", "))
        };
    }
    match (report.new, report.changed) {
        (0, 0) => format!("{name}: nothing new"),
        (0, changed) => format!("{name}: {} changed", sessions(changed)),
        (new, 0) => format!("{name}: {new} new {}", plural(new)),
        (new, changed) => format!("{name}: {new} new {}, {changed} changed", plural(new)),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "session" } else { "sessions" }
}

/// Writes each report as a headline and its hits in the text form of
/// `ctsearch search`; a changed session says so after its title.
pub fn write_text(
    out: &mut impl Write,
    reports: &[WatchReport],
    corpus: &Path,
    style: TextStyle,
    listing: bool,
) -> io::Result<()> {
    for report in reports {
        writeln!(out, "{}", headline(report, listing))?;
        for found in &report.hits {
            let note = match found.status {
                Status::Changed => Some("changed"),
                Status::New | Status::Seen => None,
            };
            render::write_hit(out, &found.hit, corpus, style, note)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Writes `{"watches": [report…]}` on one line.
pub fn write_json(out: &mut impl Write, reports: &[WatchReport]) -> io::Result<()> {
    #[derive(Serialize)]
    struct All<'a> {
        watches: &'a [WatchReport],
    }
    serde_json::to_writer(&mut *out, &All { watches: reports })?;
    writeln!(out)
}

/// Writes one report object per line.
pub fn write_report_lines(out: &mut impl Write, reports: &[WatchReport]) -> io::Result<()> {
    for report in reports {
        serde_json::to_writer(&mut *out, report)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Writes one hit per line, each with the name of its saved search.
pub fn write_jsonl(out: &mut impl Write, reports: &[WatchReport]) -> io::Result<()> {
    #[derive(Serialize)]
    struct Line<'a> {
        watch: &'a str,
        #[serde(flatten)]
        hit: &'a WatchHit,
    }
    for report in reports {
        for hit in &report.hits {
            serde_json::to_writer(
                &mut *out,
                &Line {
                    watch: &report.name,
                    hit,
                },
            )?;
            writeln!(out)?;
        }
    }
    Ok(())
}
