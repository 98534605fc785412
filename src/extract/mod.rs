//! Extraction: PDF and HTML files → their text with its structure
//! ([`Content`]) and the metadata they carry, for [`crate::parse`] to turn
//! into sessions and passages as it does the text formats.
//!
//! Extraction runs third-party parsers on files we do not control, so every
//! file is extracted under a guard ([`guarded`]): on its own thread, with
//! panics caught and a time budget. A broken file becomes a skip reason,
//! never a crash or a hang of the whole run.

pub mod decode;
pub mod furniture;
pub mod html;
pub mod pdf;
pub mod wrapper;

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::sync::mpsc::{RecvTimeoutError, sync_channel};
use std::time::Duration;

use crate::model::text::MONTHS;
use crate::model::{Block, Format, Metadata};

/// How long one file may take to extract before it is given up.
///
/// The slowest damaged PDF seen while choosing the crates took 0.13 s and a
/// 200-page report takes 0.35 s of CPU, so 30 s is only reached by a
/// pathological file (or a machine under extreme load).
pub const TIME_BUDGET: Duration = Duration::from_secs(30);

/// Stack of an extraction thread. pdf-extract recurses through nested
/// content; a generous stack (only reserved, not committed) keeps deep but
/// legitimate nesting from overflowing, which `catch_unwind` cannot catch.
const EXTRACT_STACK: usize = 64 * 1024 * 1024;

/// The text of an extracted file, in the shape its extractor recovers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Lines of laid-out text (PDF), each with its 1-based page; blank
    /// lines separate paragraphs, as in a text file.
    Lines(Vec<(String, Option<u32>)>),
    /// Blocks whose roles the file marks up (HTML).
    Blocks(Vec<Block>),
}

/// What an extractor made of a file.
#[derive(Debug)]
pub struct Extracted {
    /// The text, never empty (an extractor that finds no text fails).
    pub content: Content,
    /// What the file says about itself (title, date, symbol).
    pub meta: Metadata,
    /// Something the user should know although the file was indexed (e.g.
    /// some pages could not be read).
    pub warning: Option<String>,
}

/// Extracts a PDF or HTML file, guarded (see [`guarded`]).
///
/// `Err` carries the reason the file is skipped, worded for the index
/// summary. Text formats are not handled here: `Err` for them too.
pub fn extract(format: Format, bytes: Vec<u8>) -> Result<Extracted, String> {
    match format {
        Format::Pdf => guarded(TIME_BUDGET, move || pdf::extract(&bytes)),
        Format::Html => guarded(TIME_BUDGET, move || html::extract(bytes)),
        Format::Text | Format::Markdown => Err("not an extracted format".into()),
    }
}

/// The content of a decoded text file: its lines with their page (a form
/// feed starts a page), page furniture removed and paragraphs that run
/// across a page break joined ([`furniture::clean_pages`]). Pages are only
/// given for a file with more than one; a publisher's wrapper is removed
/// ([`wrapper::remove_wrapper`]); the symbol of its running header (or the
/// wrapper's) and the wrapper's date, if any, are in the metadata.
pub fn text_content(text: &str) -> (Content, Metadata) {
    let pages = furniture::text_pages(text);
    let paged = pages.len() > 1;
    let mut cleaned = furniture::clean_pages(pages);
    let wrapper = wrapper::remove_wrapper(&mut cleaned.lines);
    let lines = cleaned
        .lines
        .into_iter()
        .map(|(line, page)| (line, paged.then_some(page)))
        .collect();
    let meta = Metadata {
        symbol: cleaned.symbol.or(wrapper.symbol),
        date: wrapper.date,
        ..Metadata::default()
    };
    (Content::Lines(lines), meta)
}

thread_local! {
    /// Set on extraction threads: a panic there is expected (pdf-extract
    /// panics on purpose on broken fonts), caught, and reported as a skip
    /// reason, so the panic hook must not print it.
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Wraps the panic hook once so that panics on extraction threads print
/// nothing; panics anywhere else still reach the previous hook (the
/// default message, or a test harness's).
fn install_quiet_hook() {
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// The message of a caught panic, shortened for a skip reason.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".to_string());
    let short: String = text.chars().take(120).collect();
    short.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs `work` on a thread of its own with panics caught and printed by no
/// one, and waits at most `budget` for it.
///
/// Contract: returns `work`'s result; `Err("extraction crashed (…)")` if it
/// panicked; `Err("extraction timed out …")` if it did not finish in time.
/// A timed-out thread cannot be stopped in Rust: it is left to run to its
/// end (or to the end of the process) and its result is dropped. That costs
/// one core while it runs, which is acceptable for the rare pathological
/// file; the run itself moves on at once.
pub fn guarded<T, F>(budget: Duration, work: F) -> Result<T, String>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, String> + Send + 'static,
{
    install_quiet_hook();
    // Capacity 1, so a thread finishing after the timeout does not block
    // on a receiver that is gone.
    let (tx, rx) = sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("ctsearch-extract".into())
        .stack_size(EXTRACT_STACK)
        .spawn(move || {
            QUIET_PANICS.with(|q| q.set(true));
            let result = catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|payload| {
                Err(format!(
                    "extraction crashed ({})",
                    panic_message(payload.as_ref())
                ))
            });
            let _ = tx.send(result);
        });
    if let Err(err) = spawned {
        return Err(format!("could not start extraction: {err}"));
    }
    match rx.recv_timeout(budget) {
        Ok(result) => result,
        Err(RecvTimeoutError::Timeout) => Err(format!(
            "extraction timed out (gave up after {} s)",
            budget.as_secs_f64()
        )),
        Err(RecvTimeoutError::Disconnected) => Err("extraction crashed".into()),
    }
}

/// Removes characters that are invisible in the document but would split
/// or glue words for the tokenizer: soft hyphens (U+00AD, "traf&shy;ficking"
/// is one word), zero-width spaces and joiners, word joiners and BOMs. No-
/// break spaces become spaces; the Unicode hyphens U+2010/U+2011 (as in a
/// non-breaking "Counter‑Terrorism") become "-", which the analyzer knows.
pub fn clean_invisible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            '\u{A0}' | '\u{202F}' | '\u{2007}' => out.push(' '),
            '\u{2010}' | '\u{2011}' => out.push('-'),
            _ => out.push(c),
        }
    }
    out
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() >= 3 && w != "may" && m.starts_with(&w) && w.len() <= 4))
        .map(|i| i as u32 + 1)
}

fn iso(year: u32, month: u32, day: u32) -> Option<String> {
    let valid =
        (1900..=2200).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day);
    valid.then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The first date written in `text`, as `YYYY-MM-DD`: "2018-12-21",
/// "21 December 2018" or "December 21, 2018" (month names in English, full
/// or abbreviated). `None` if there is none.
pub fn find_date(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches(['.', ';', ')', ':']);
        let w = w
            .strip_suffix("st")
            .or_else(|| w.strip_suffix("nd"))
            .or_else(|| w.strip_suffix("rd"))
            .or_else(|| w.strip_suffix("th"))
            .unwrap_or(w);
        (w.len() <= 4 && !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    for (i, word) in words.iter().enumerate() {
        // ISO, possibly with a time: "2018-12-21T10:00".
        let head = word.trim_start_matches(['(', '"']);
        if let Some(date) = head.get(..10) {
            let b = date.as_bytes();
            let shaped = b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
            if shaped
                && let (Ok(y), Ok(m), Ok(d)) =
                    (date[..4].parse(), date[5..7].parse(), date[8..].parse())
                && let Some(found) = iso(y, m, d)
            {
                return Some(found);
            }
        }
        let next = |k: usize| words.get(i + k).copied();
        // "21 December 2018"
        if let (Some(day), Some(month), Some(year)) = (
            number(word),
            next(1).and_then(|w| month_number(w.trim_end_matches('.'))),
            next(2).and_then(number),
        ) && let Some(found) = iso(year, month, day)
        {
            return Some(found);
        }
        // "December 21, 2018"
        if let (Some(month), Some(day), Some(year)) = (
            month_number(word.trim_end_matches('.')),
            next(1).and_then(number),
            next(2).and_then(number),
        ) && let Some(found) = iso(year, month, day)
        {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_prose() {
        assert_eq!(
            find_date("Letter dated 21 December 2018 from the Chair").as_deref(),
            Some("2018-12-21")
        );
        assert_eq!(
            find_date("Published on March 3, 2020.").as_deref(),
            Some("2020-03-03")
        );
        assert_eq!(
            find_date("2019-07-01T09:00:00Z").as_deref(),
            Some("2019-07-01")
        );
        assert_eq!(find_date("8 Sept. 2021").as_deref(), Some("2021-09-08"));
        assert_eq!(find_date("in May we met 3 times in 2018"), None);
        assert_eq!(find_date("S/2018/1177"), None);
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(
            clean_invisible("traf\u{AD}ficking\u{A0}of Counter\u{2011}Terrorism\u{200B}"),
            "trafficking of Counter-Terrorism"
        );
    }

    #[test]
    fn guard_catches_panics_quietly_and_times_out() {
        let crashed: Result<(), String> = guarded(Duration::from_secs(5), || panic!("boom"));
        assert_eq!(crashed, Err("extraction crashed (boom)".to_string()));
        let slow: Result<(), String> = guarded(Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_secs(2));
            Ok(())
        });
        assert!(slow.unwrap_err().contains("timed out"));
        assert_eq!(guarded(Duration::from_secs(5), || Ok(7)), Ok(7));
    }
}
