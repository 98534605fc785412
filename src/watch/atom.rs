//! Saved search reports as an Atom 1.0 feed (RFC 4287), for feed readers
//! and mail tools that poll it: one entry per reported session, with an id
//! that stays the same for that session of that saved search, so that a
//! changed session updates its entry instead of adding one.

use std::io::{self, Write};

use super::{Status, WatchHit, WatchReport};

use crate::render::rfc3339;
pub use crate::render::xml_escape as escape;

/// The stable id of a session's entry in the feed of saved search `watch`.
pub fn entry_id(watch: &str, path: &str, session_key: &str) -> String {
    let key = format!("{watch}\u{0}{path}\u{0}{session_key}");
    format!(
        "urn:ctsearch:{:016x}",
        xxhash_rust::xxh3::xxh3_64(key.as_bytes())
    )
}

/// Writes a feed of `reports`, one entry per hit; `now` (Unix seconds) is
/// the feed's `updated` when no entry is newer.
pub fn write_feed(out: &mut impl Write, reports: &[WatchReport], now: u64) -> io::Result<()> {
    let names: Vec<&str> = reports.iter().map(|r| r.name.as_str()).collect();
    let (id, title) = match reports {
        [one] => (
            format!("urn:ctsearch:watch:{}", one.name),
            format!("ctsearch saved search {}: {}", one.name, one.query),
        ),
        _ => (
            format!("urn:ctsearch:watches:{}", names.join(",")),
            format!("ctsearch saved searches: {}", names.join(", ")),
        ),
    };
    let updated = reports
        .iter()
        .flat_map(|r| r.hits.iter().map(|h| h.updated))
        .max()
        .unwrap_or(now);
    writeln!(out, r#"<?xml version="1.0" encoding="utf-8"?>"#)?;
    writeln!(out, r#"<feed xmlns="http://www.w3.org/2005/Atom">"#)?;
    writeln!(out, "  <id>{}</id>", escape(&id))?;
    writeln!(out, "  <title>{}</title>", escape(&title))?;
    writeln!(out, "  <updated>{}</updated>", rfc3339(updated))?;
    writeln!(out, "  <author><name>ctsearch</name></author>")?;
    writeln!(out, "  <generator>ctsearch</generator>")?;
    for report in reports {
        for hit in &report.hits {
            write_entry(out, &report.name, hit)?;
        }
    }
    writeln!(out, "</feed>")
}

fn write_entry(out: &mut impl Write, watch: &str, found: &WatchHit) -> io::Result<()> {
    let hit = &found.hit;
    let status = match found.status {
        Status::New => "new",
        Status::Changed => "changed",
        Status::Seen => "seen",
    };
    let mut title = format!("{} › {}", hit.title, hit.session);
    if found.status == Status::Changed {
        title.push_str(" (changed)");
    }
    let mut content = format!("{}\n{}", hit.path, hit.session);
    if let Some(date) = &hit.date {
        content.push_str(&format!(" · {date}"));
    }
    if let Some(symbol) = &hit.symbol {
        content.push_str(&format!(" · {symbol}"));
    }
    for passage in &hit.passages {
        content.push_str("\n\n");
        content.push_str(&passage.text);
    }
    writeln!(out, "  <entry>")?;
    writeln!(
        out,
        "    <id>{}</id>",
        escape(&entry_id(watch, &hit.path, &found.key))
    )?;
    writeln!(out, "    <title>{}</title>", escape(&title))?;
    writeln!(out, "    <updated>{}</updated>", rfc3339(found.updated))?;
    if let Some(date) = hit.date.as_deref().filter(|d| is_date(d)) {
        writeln!(out, "    <published>{date}T00:00:00Z</published>")?;
    }
    writeln!(
        out,
        r#"    <category term="{}" label="saved search"/>"#,
        escape(watch)
    )?;
    writeln!(
        out,
        r#"    <category term="{status}" scheme="urn:ctsearch:status"/>"#
    )?;
    for crime in &hit.crimes {
        writeln!(
            out,
            r#"    <category term="{}" scheme="urn:ctsearch:crime"/>"#,
            escape(crime)
        )?;
    }
    writeln!(
        out,
        r#"    <summary type="text">{}</summary>"#,
        escape(&hit.passage)
    )?;
    writeln!(
        out,
        r#"    <content type="text">{}</content>"#,
        escape(&content)
    )?;
    writeln!(out, "  </entry>")
}

/// Whether `text` is a `YYYY-MM-DD` date.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    // A month and a day that exist ("2020-13-45" is no date).
    let number = |range: std::ops::Range<usize>| {
        text.get(range)
            .and_then(|t| t.parse::<u32>().ok())
            .unwrap_or(0)
    };
    shaped && (1..=12).contains(&number(5..7)) && (1..=31).contains(&number(8..10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_has_a_month_and_a_day_that_exist() {
        assert!(is_date("2020-02-29"));
        assert!(!is_date("2020-13-45"));
        assert!(!is_date("2020-00-10"));
        assert!(!is_date("last week"));
    }

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_538_999_999), "2018-10-08T11:59:59Z");
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            escape("a<b>&\"c'\u{1b}[31m\u{0}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;[31m\n"
        );
    }

    #[test]
    fn entry_ids_are_stable_and_distinct() {
        let a = entry_id("kfr", "2019/a.txt", "session-1");
        assert_eq!(a, entry_id("kfr", "2019/a.txt", "session-1"));
        assert_ne!(a, entry_id("kfr", "2019/a.txt", "session-2"));
        assert_ne!(a, entry_id("other", "2019/a.txt", "session-1"));
        assert!(a.starts_with("urn:ctsearch:"));
    }

    #[test]
    fn dates_are_recognised() {
        assert!(is_date("2019-05-01"));
        assert!(!is_date("2019-5-01"));
        assert!(!is_date("2019-05-0x"));
    }
}
