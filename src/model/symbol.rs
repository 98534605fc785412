//! United Nations document symbols: the [`Symbol`] type for the Security
//! Council symbols the parsers know, the finders that read them out of a
//! document's text, the broader [`is_symbol`] shape check used on running
//! headers, and the keys a symbol is filtered by ([`symbol_keys`]).
//!
//! Contract: [`Symbol`]'s `Display` is the canonical form stored in the
//! index and shown to users ("S/RES/2178 (2014)", "S/PV.8716",
//! "S/2020/95", "SC/14105"); parsing that form gives the symbol back.
//! [`crate::model::Metadata::symbol`] stays a string (a sidecar may name
//! any symbol, "A/73/L.12" included): convert at the edges.

use std::fmt;
use std::str::FromStr;

use super::text::{leading_number, word_starts};

/// A Security Council document symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Symbol {
    /// A resolution, "S/RES/2178 (2014)"; the year is `None` where only
    /// the number is written ("S/RES/2178").
    Resolution { number: u32, year: Option<u32> },
    /// A verbatim meeting record, "S/PV.8716".
    MeetingRecord { meeting: u32 },
    /// A document of the year's series, "S/2020/95": reports, letters,
    /// notes.
    Document { year: u32, number: u32 },
    /// A press release, "SC/14105".
    PressRelease { number: u32 },
}

/// Years a Council symbol may carry (the Council first met in 1946).
const YEARS: std::ops::RangeInclusive<u32> = 1946..=2100;

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Symbol::Resolution {
                number,
                year: Some(year),
            } => write!(f, "S/RES/{number} ({year})"),
            Symbol::Resolution { number, year: None } => write!(f, "S/RES/{number}"),
            Symbol::MeetingRecord { meeting } => write!(f, "S/PV.{meeting}"),
            Symbol::Document { year, number } => write!(f, "S/{year}/{number}"),
            Symbol::PressRelease { number } => write!(f, "SC/{number}"),
        }
    }
}

/// The error of parsing a string that is not a [`Symbol`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotASymbol;

impl fmt::Display for NotASymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a Security Council document symbol")
    }
}

impl std::error::Error for NotASymbol {}

/// Parses a whole string written as [`Symbol`]'s `Display` writes it
/// (case-sensitive, nothing around it). Numbers are any run of ASCII
/// digits that fits a `u32`; white space between a resolution's number and
/// its year may be missing or longer than one space.
impl FromStr for Symbol {
    type Err = NotASymbol;

    fn from_str(s: &str) -> Result<Symbol, NotASymbol> {
        let whole = |parsed: Option<(Symbol, usize)>, rest: &str| {
            parsed
                .filter(|(_, len)| *len == rest.len())
                .map(|(symbol, _)| symbol)
        };
        let parsed = if let Some(rest) = s.strip_prefix("S/RES/") {
            whole(resolution_at(rest, usize::MAX), rest)
        } else if let Some(rest) = s.strip_prefix("S/PV.") {
            whole(meeting_record_at(rest, usize::MAX), rest)
        } else if let Some(rest) = s.strip_prefix("SC/") {
            whole(press_release_at(rest, 1, usize::MAX), rest)
        } else if let Some(rest) = s.strip_prefix("S/") {
            whole(document_at(rest, usize::MAX), rest)
        } else {
            None
        };
        parsed.ok_or(NotASymbol)
    }
}

impl Symbol {
    /// The first "S/RES/2178 (2014)" in `text` (a number of at most five
    /// digits, then a four-digit year in parentheses).
    pub fn find_resolution(text: &str) -> Option<Symbol> {
        word_starts(text, "S/RES/")
            .filter_map(|rest| resolution_at(rest, 5))
            .map(|(symbol, _)| symbol)
            .find(|symbol| matches!(symbol, Symbol::Resolution { year: Some(_), .. }))
    }

    /// The first "S/PV.8716" in `text` (at most five digits; what follows
    /// the number does not matter).
    pub fn find_meeting_record(text: &str) -> Option<Symbol> {
        word_starts(text, "S/PV.").find_map(|rest| {
            let (n, _) = leading_number(rest, 5)?;
            Some(Symbol::MeetingRecord { meeting: n })
        })
    }

    /// The first "SC/14105" in `text` (four to six digits).
    pub fn find_press_release(text: &str) -> Option<Symbol> {
        word_starts(text, "SC/").find_map(|rest| {
            let (n, len) = leading_number(rest, 6)?;
            (len >= 4).then_some(Symbol::PressRelease { number: n })
        })
    }

    /// The first "S/2020/95" in `text` (a year 1946–2100, a number of at
    /// most five digits); never "S/RES/…" or "S/PV.…".
    pub fn find_document(text: &str) -> Option<Symbol> {
        word_starts(text, "S/")
            .filter_map(|rest| document_at(rest, 5))
            .map(|(symbol, _)| symbol)
            .next()
    }
}

/// A resolution's number (at most `max` digits) and optional " (YYYY)" at
/// the start of `rest` (the text after "S/RES/"), with the bytes read.
fn resolution_at(rest: &str, max: usize) -> Option<(Symbol, usize)> {
    let (number, len) = leading_number(rest, max)?;
    let year = rest.get(len..).and_then(|after| {
        let spaced = after.trim_start();
        let inner = spaced.strip_prefix('(')?;
        let (year, ylen) = leading_number(inner, 4)?;
        (ylen == 4 && inner.get(4..)?.starts_with(')'))
            .then_some((year, after.len() - spaced.len() + 6))
    });
    Some(match year {
        Some((year, ylen)) => (
            Symbol::Resolution {
                number,
                year: Some(year),
            },
            len + ylen,
        ),
        None => (Symbol::Resolution { number, year: None }, len),
    })
}

/// A meeting number (at most `max` digits) at the start of `rest` (the
/// text after "S/PV."), with the bytes read.
fn meeting_record_at(rest: &str, max: usize) -> Option<(Symbol, usize)> {
    let (meeting, len) = leading_number(rest, max)?;
    Some((Symbol::MeetingRecord { meeting }, len))
}

/// A press release number (`min` to `max` digits) at the start of `rest`
/// (the text after "SC/"), with the bytes read.
fn press_release_at(rest: &str, min: usize, max: usize) -> Option<(Symbol, usize)> {
    let (number, len) = leading_number(rest, max)?;
    (len >= min).then_some((Symbol::PressRelease { number }, len))
}

/// "2020/95" at the start of `rest` (the text after "S/"): a four-digit
/// year in [`YEARS`] and a number of at most `max` digits, with the bytes
/// read.
fn document_at(rest: &str, max: usize) -> Option<(Symbol, usize)> {
    let (year, ylen) = leading_number(rest, 4)?;
    if ylen != 4 || !YEARS.contains(&year) || rest.get(4..5) != Some("/") {
        return None;
    }
    let (number, len) = leading_number(rest.get(5..)?, max)?;
    Some((Symbol::Document { year, number }, 5 + len))
}

/// Whether a line is shaped like a UN document symbol of any organ:
/// "S/2018/1177", "A/73/L.12", "S/2018/1177/Rev.1". Broader than
/// [`Symbol`] on purpose: the furniture pass removes any organ's running
/// header, not only the Council's.
pub fn is_symbol(line: &str) -> bool {
    let mut parts = line.split('/');
    let Some(organ) = parts.next() else {
        return false;
    };
    let rest: Vec<&str> = parts.collect();
    let plain = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || ".-".contains(c))
    };
    let revision = |p: &str| {
        ["Rev.", "Add.", "Corr.", "Amend."].iter().any(|kind| {
            p.strip_prefix(kind)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    !organ.is_empty()
        && organ.len() <= 10
        && organ.chars().all(|c| c.is_ascii_uppercase())
        && !rest.is_empty()
        && rest.iter().all(|p| plain(p) || revision(p))
}

/// The keys a document symbol is filtered by: the symbol without spaces,
/// uppercase ("S/RES/2178(2014)"), and without its year in parentheses
/// ("S/RES/2178"), so that either finds it.
///
/// Works on any string, not only a [`Symbol`]: it keys sidecar symbols of
/// other organs ("A/73/L.12") and what users type ("s/pv.8735") alike.
pub fn symbol_keys(symbol: &str) -> Vec<String> {
    let full: String = symbol
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let mut keys = vec![full.clone()];
    if let Some(open) = full.find('(') {
        let short = full[..open].to_string();
        if !short.is_empty() && short != full {
            keys.push(short);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_the_canonical_form_and_parses_back() {
        for (symbol, text) in [
            (
                Symbol::Resolution {
                    number: 2178,
                    year: Some(2014),
                },
                "S/RES/2178 (2014)",
            ),
            (
                Symbol::Resolution {
                    number: 2178,
                    year: None,
                },
                "S/RES/2178",
            ),
            (Symbol::MeetingRecord { meeting: 8716 }, "S/PV.8716"),
            (
                Symbol::Document {
                    year: 2020,
                    number: 95,
                },
                "S/2020/95",
            ),
            (Symbol::PressRelease { number: 14105 }, "SC/14105"),
        ] {
            assert_eq!(symbol.to_string(), text);
            assert_eq!(text.parse::<Symbol>(), Ok(symbol));
        }
        for not in [
            "",
            "S/PV.",
            "S/PV.8716 (Resumption 1)",
            " S/PV.8716",
            "s/pv.8716",
            "S/RES/2178 (14)",
            "S/1900/1",
            "A/73/L.12",
        ] {
            assert_eq!(not.parse::<Symbol>(), Err(NotASymbol), "{not:?}");
        }
        assert_eq!(
            "S/RES/2178(2014)".parse::<Symbol>().map(|s| s.to_string()),
            Ok("S/RES/2178 (2014)".to_string())
        );
    }

    #[test]
    fn finders_read_symbols_in_text() {
        let found = |f: fn(&str) -> Option<Symbol>, t: &str| f(t).map(|s| s.to_string());
        assert_eq!(
            found(Symbol::find_resolution, "United Nations S/RES/2036 (2012)"),
            Some("S/RES/2036 (2012)".into())
        );
        assert_eq!(found(Symbol::find_resolution, "S/RES/2036"), None);
        assert_eq!(
            found(Symbol::find_resolution, "S/RES/1 (20) and S/RES/2 (2001)"),
            Some("S/RES/2 (2001)".into())
        );
        assert_eq!(
            found(Symbol::find_meeting_record, "United Nations S/PV.8716"),
            Some("S/PV.8716".into())
        );
        assert_eq!(
            found(Symbol::find_meeting_record, "S/PV.8716 (Resumption 1)"),
            Some("S/PV.8716".into())
        );
        assert_eq!(
            found(Symbol::find_press_release, "SC/14105"),
            Some("SC/14105".into())
        );
        assert_eq!(found(Symbol::find_press_release, "SC/141"), None);
        assert_eq!(found(Symbol::find_press_release, "USC/14105"), None);
        assert_eq!(
            found(Symbol::find_document, "see S/RES/2 (2001) and S/2020/95."),
            Some("S/2020/95".into())
        );
        assert_eq!(found(Symbol::find_document, "S/PV.8716"), None);
        assert_eq!(found(Symbol::find_document, "S/1900/5"), None);
    }

    #[test]
    fn symbol_shapes_of_any_organ() {
        assert!(is_symbol("S/2018/1177"));
        assert!(is_symbol("A/73/L.12"));
        assert!(is_symbol("S/2018/1177/Rev.1"));
        assert!(!is_symbol("18-22123 (E)"));
        assert!(!is_symbol("S"));
        assert!(!is_symbol("and/or"));
    }

    #[test]
    fn symbol_keys_with_and_without_the_year() {
        assert_eq!(
            symbol_keys("S/RES/2178 (2014)"),
            ["S/RES/2178(2014)", "S/RES/2178"]
        );
        assert_eq!(symbol_keys("s/pv.8735"), ["S/PV.8735"]);
    }
}
