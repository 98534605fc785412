//! What a file's name says about a document, for the metadata its text
//! and sidecar do not give: [`fallback_metadata`].
//!
//! Why apart from the parsers: a type is recognized and parsed from the
//! text alone (a misnamed file must not change how it is read); the file
//! name only fills the gaps afterwards, for the index.
//!
//! File names follow the corpus convention `YYYY-MM-DD-<symbol>-<topic>.ext`
//! ("2020-02-27-s-pv-8735-somalia.txt"), the year alone
//! ("2020-s-pv-8716.txt"), or the archive's own `S-RES-N(YYYY).txt`.

use super::meeting_record::meeting_title;
use super::resolution::resolution_title;
use crate::model::{Metadata, Symbol};

/// Fills what `meta` lacks from `file_name`, the file's name without its
/// folders ("2020-02-27-s-pv-8735-somalia.txt"). `meta` holds what the
/// sidecar and then the text said, in that order of precedence; after
/// them come, each only where the field is still empty: the date of the
/// name's prefix (or its year alone: "2020-s-pv-8716.txt",
/// "S-RES-1(1946).txt"), the symbol the name gives, the title of a
/// document known by its symbol ("Security Council, 8735th meeting",
/// "Security Council resolution 1 (1946)"), and last the name's words as
/// a title ("ctc open briefing").
pub fn fallback_metadata(meta: Metadata, file_name: &str) -> Metadata {
    let mut meta = meta.or(Metadata::from_file_name(file_name));
    let named = symbol_from_file_name(file_name);
    if meta.symbol.is_none() {
        meta.symbol = named.as_ref().map(ToString::to_string);
    }
    if meta.date.is_none() {
        meta.date = year_from_file_name(file_name, named.as_ref()).map(|y| y.to_string());
    }
    if meta.title.is_none() {
        meta.title = meta.symbol.as_deref().and_then(symbol_title);
    }
    if meta.title.is_none() {
        meta.title = Some(title_from_file_name(file_name));
    }
    meta
}

/// The title of a document known only by its symbol: "Security Council,
/// 8716th meeting" (S/PV.8716), "Security Council resolution 1 (1946)"
/// (S/RES/1 (1946)).
fn symbol_title(symbol: &str) -> Option<String> {
    match symbol.parse::<Symbol>().ok()? {
        Symbol::MeetingRecord { meeting } => Some(meeting_title(meeting)),
        Symbol::Resolution {
            number,
            year: Some(year),
        } => Some(resolution_title(number, year)),
        _ => None,
    }
}

/// The year a file name gives when it has no full date: a leading year
/// ("2020-s-pv-8716.txt") or a resolution symbol's year.
fn year_from_file_name(name: &str, symbol: Option<&Symbol>) -> Option<u32> {
    if let Some(Symbol::Resolution {
        year: Some(year), ..
    }) = symbol
    {
        return Some(*year);
    }
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let head = name.get(..5)?;
    let year: u32 = head.get(..4)?.parse().ok()?;
    (head.ends_with(['-', '_']) && (1946..=2100).contains(&year)).then_some(year)
}

/// "2018-10-08-ctc-open-briefing.txt" → "ctc open briefing".
fn title_from_file_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let date = Metadata::from_file_name(stem);
    let rest = if date.date.is_some() {
        stem[10..].trim_start_matches(['-', '_'])
    } else {
        stem
    };
    let title = rest.replace(['-', '_'], " ");
    if title.trim().is_empty() {
        stem.to_string()
    } else {
        title
    }
}

/// The symbol a file name gives, for names following the corpus convention
/// `YYYY-MM-DD-<symbol>-<topic>.txt`: "2020-02-27-s-pv-8735-somalia.txt" →
/// "S/PV.8735", "2014-09-24-s-res-2178-foreign-fighters.txt" → "S/RES/2178
/// (2014)", "…-sc-14105-….txt" → "SC/14105", "…-s-2020-95-….txt" →
/// "S/2020/95".
///
/// A fallback only, for when the text names no symbol (the parsers never
/// look at file names).
fn symbol_from_file_name(name: &str) -> Option<Symbol> {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let lower = stem.to_ascii_lowercase();
    // "S-RES-1373(2001)", the archive's own form.
    let lower = lower.replace('(', "-").replace(')', "");
    let tokens: Vec<&str> = lower.split(['-', '_', ' ']).collect();
    let number = |t: &str| {
        (!t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    let year = |t: &str| number(t).filter(|y| (1946..=2100).contains(y) && t.len() == 4);
    // The year of the date prefix, if the name has one.
    let date_year = tokens.first().copied().and_then(year).filter(|_| {
        tokens.get(1).is_some_and(|t| t.len() == 2) && tokens.get(2).is_some_and(|t| t.len() == 2)
    });
    for (i, pair) in tokens.windows(2).enumerate() {
        let at = |k: usize| tokens.get(i + k).copied().unwrap_or("");
        let [first, second] = pair else {
            continue;
        };
        match (*first, *second) {
            ("s", "pv") => {
                if let Some(n) = number(at(2)) {
                    return Some(Symbol::MeetingRecord { meeting: n });
                }
            }
            ("s", "res") => {
                if let Some(n) = number(at(2)) {
                    let y = year(at(3)).or(date_year)?;
                    return Some(Symbol::Resolution {
                        number: n,
                        year: Some(y),
                    });
                }
            }
            ("sc", t) => {
                if let Some(n) = number(t).filter(|_| t.len() >= 4) {
                    return Some(Symbol::PressRelease { number: n });
                }
            }
            ("s", t) => {
                if let (Some(y), Some(n)) = (year(t), number(at(2))) {
                    return Some(Symbol::Document { year: y, number: n });
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_symbol(name: &str) -> Option<String> {
        symbol_from_file_name(name).map(|s| s.to_string())
    }

    #[test]
    fn symbols_from_file_names() {
        assert_eq!(
            name_symbol("2020-02-27-s-pv-8735-somalia-751-sanctions.txt").as_deref(),
            Some("S/PV.8735")
        );
        assert_eq!(
            name_symbol("corpus/2014/2014-09-24-s-res-2178-foreign-fighters.txt").as_deref(),
            Some("S/RES/2178 (2014)")
        );
        assert_eq!(
            name_symbol("2020-02-27-sc-14105-somalia.txt").as_deref(),
            Some("SC/14105")
        );
        assert_eq!(
            name_symbol("2020-02-04-s-2020-95-isil-report.txt").as_deref(),
            Some("S/2020/95")
        );
        assert_eq!(name_symbol("s-res-2178.txt"), None);
        assert_eq!(
            name_symbol("S-RES-1373(2001).txt").as_deref(),
            Some("S/RES/1373 (2001)")
        );
        assert_eq!(
            name_symbol("2020-s-pv-8716.txt").as_deref(),
            Some("S/PV.8716")
        );
        assert_eq!(name_symbol("2018-10-08-ctc-open-briefing.txt"), None);
        assert_eq!(name_symbol(""), None);
    }

    #[test]
    fn records_are_titled_by_their_number() {
        assert_eq!(
            symbol_title("S/PV.8742").as_deref(),
            Some("Security Council, 8742nd meeting")
        );
        assert_eq!(
            symbol_title("S/PV.8711").as_deref(),
            Some("Security Council, 8711th meeting")
        );
        assert_eq!(
            symbol_title("S/RES/2178 (2014)").as_deref(),
            Some("Security Council resolution 2178 (2014)")
        );
        assert_eq!(symbol_title("S/2020/95"), None);
    }

    #[test]
    fn sidecar_and_text_come_before_the_file_name() {
        let name = "2020-02-27-s-pv-8735-somalia.txt";
        let from_name = fallback_metadata(Metadata::default(), name);
        assert_eq!(from_name.date.as_deref(), Some("2020-02-27"));
        assert_eq!(from_name.symbol.as_deref(), Some("S/PV.8735"));
        assert_eq!(
            from_name.title.as_deref(),
            Some("Security Council, 8735th meeting")
        );
        let known = Metadata {
            title: Some("Known".into()),
            date: Some("2021".into()),
            symbol: Some("S/2021/1".into()),
            ..Metadata::default()
        };
        assert_eq!(fallback_metadata(known.clone(), name), known);
        // A year alone, from a record's name or a resolution's.
        let record = fallback_metadata(Metadata::default(), "2020-s-pv-8716.txt");
        assert_eq!(record.date.as_deref(), Some("2020"));
        assert_eq!(record.year().as_deref(), Some("2020"));
        let resolution = fallback_metadata(Metadata::default(), "S-RES-1(1946).txt");
        assert_eq!(resolution.date.as_deref(), Some("1946"));
        assert_eq!(resolution.symbol.as_deref(), Some("S/RES/1 (1946)"));
        assert_eq!(
            resolution.title.as_deref(),
            Some("Security Council resolution 1 (1946)")
        );
        let plain = fallback_metadata(Metadata::default(), "2018-10-08-ctc-open-briefing.txt");
        assert_eq!(plain.symbol, None);
        assert_eq!(plain.date.as_deref(), Some("2018-10-08"));
        assert_eq!(plain.title.as_deref(), Some("ctc open briefing"));
    }
}
