//! The citator's extraction: the references a passage makes to other UN
//! documents, each normalized to a canonical symbol.
//!
//! [`extract`] is pure (text in, references out) and knows nothing of the
//! index; the indexer runs it over every passage.
//!
//! # What is a reference
//!
//! - **Security Council resolutions** written with the word *resolution*:
//!   `resolution 1373 (2001)`, `its resolutions 1267 (1999) of 15 October
//!   1999, 1333 (2000) … and 1390 (2002)` (every list item is a reference;
//!   dates and glosses between items are skipped), `paragraph 4 (b) of
//!   resolution 1267 (1999)` (the paragraph is kept), `resolution 1596`
//!   without a year. Target `S/RES/N (YYYY)`, or `S/RES/N` when the text
//!   gives no year (a date gloss, `resolution 1373 of 28 September 2001`,
//!   supplies one). The year-less target is left for the indexer to resolve;
//!   [`resolution_year`] gives the year a number belongs to.
//! - **General Assembly resolutions**: a number with a Roman session,
//!   `resolution 2625 (XXV)`, `1474 (ES-IV)` → `A/RES/2625 (XXV)`; a
//!   session/number pair, `General Assembly resolution 60/288` →
//!   `A/RES/60/288`. The same forms owned by the Economic and Social Council
//!   or the Human Rights Council become `E/RES/…` and `A/HRC/RES/…`; owned
//!   by any other body (an IAEA Board, a WHO Assembly, an AU organ…) they
//!   are not UN documents and are dropped.
//! - **Document symbols written out**: `S/RES/1373 (2001)`, `A/RES/60/288`,
//!   `S/PRST/2014/23`, `S/2020/95` and the old series `S/4258`, `S/PV.8716`,
//!   `A/73/907-S/2019/509` (two references), `S/AC.37/2003/1`, `ST/SGB/…`,
//!   `E/CN.4/…`, press releases `SC/14105`. The symbol is kept as written
//!   (suffixes such as `/Add.1` included). `SC/` is a press release only
//!   with a single number: `SC/2012/133` is not a press-release symbol (the
//!   series has no year part) and is dropped.
//!
//! # What is not
//!
//! - The document's own symbol (`own`): its heading, its running symbol
//!   lines, and any other mention of its own number. *This resolution*, *the
//!   present resolution* carry no number and are never matched.
//! - Numbers not introduced by *resolution* or a symbol: `1325 hours`,
//!   `document 8/1267`, `paragraph 1373`, page numbers, years, `4385th
//!   meeting`; *draft resolution* numbers.
//! - **Short committee names**, `the 1267 Committee`, `the 1267/1989/2253
//!   ISIL (Da'esh) and Al-Qaida Sanctions Committee`, `the 1540 Committee`:
//!   not citations. A short name names a body, not a text: the body outlives
//!   its founding resolution (the "1267 Committee" works under 2253 (2015)
//!   today), and the records mention these bodies in every procedural turn.
//!   Counting them would flood the citing documents of 1267 or 1540 with
//!   passages that say nothing about the resolution, and the analyst asking
//!   "who cites 1540 (2004)" wants the resolution. The long form, *the
//!   Committee established pursuant to resolution 1267 (1999)*, names the
//!   resolution and is a citation.
//!
//! # How it is cited
//!
//! [`Kind`] is the verb governing the reference: the nearest verb of the
//! table before it in the same sentence (`Recalling its resolutions …` →
//! recalls; `Decides to extend the mandate … as set out in resolution …` →
//! extends, *extend* being nearer than *decides*). Participles (`the
//! Committee established pursuant to`) do not count; a third-person form
//! (`requests`) counts only at the head of its clause or after *and*, *it*,
//! *Council* (so that *requests for exemptions* is not a verb).
//!
//! # Plausibility
//!
//! Council resolution numbers grow with the years ([`FIRST_OF_YEAR`]). A
//! cited year that cannot go with its number (a source typo, `2118 (2113)`)
//! is replaced by the table's year when the two differ by one digit, and
//! dropped otherwise; either way the reference carries a `warning`.

use crate::model::text::MONTHS;
use std::fmt;

/// A reference from a passage to another UN document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Canonical symbol: `S/RES/1373 (2001)`, `S/RES/1596` (no year given),
    /// `A/RES/60/288`, `A/RES/2625 (XXV)`, `S/PRST/2014/23`, `S/2020/95`,
    /// `S/PV.8716`, `SC/14105`.
    pub target: String,
    /// How it is cited, where the text says so.
    pub kind: Option<Kind>,
    /// The cited paragraph(s), `4`, `4 (b)`, `2 and 3`, as written.
    pub paragraph: Option<String>,
    /// Byte range of the reference in the passage text (from *paragraph* or
    /// *resolution* for the first item of a list, the item alone after).
    pub span: (usize, usize),
    /// What looked wrong (a year that cannot go with the number).
    pub warning: Option<String>,
}

/// How a reference is cited: the verb governing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Recalls,
    Reaffirms,
    Notes,
    Welcomes,
    Endorses,
    /// Acting under (Chapter VII, a resolution …).
    Acting,
    Extends,
    Renews,
    Establishes,
    Terminates,
    Amends,
    Decides,
    Expresses,
    Condemns,
    Requests,
    /// Urges, calls upon.
    Urges,
    /// Stresses, emphasizes, underlines, underscores.
    Stresses,
    Demands,
    Reminds,
}

impl Kind {
    pub const ALL: [Kind; 19] = [
        Kind::Recalls,
        Kind::Reaffirms,
        Kind::Notes,
        Kind::Welcomes,
        Kind::Endorses,
        Kind::Acting,
        Kind::Extends,
        Kind::Renews,
        Kind::Establishes,
        Kind::Terminates,
        Kind::Amends,
        Kind::Decides,
        Kind::Expresses,
        Kind::Condemns,
        Kind::Requests,
        Kind::Urges,
        Kind::Stresses,
        Kind::Demands,
        Kind::Reminds,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Recalls => "recalls",
            Kind::Reaffirms => "reaffirms",
            Kind::Notes => "notes",
            Kind::Welcomes => "welcomes",
            Kind::Endorses => "endorses",
            Kind::Acting => "acting",
            Kind::Extends => "extends",
            Kind::Renews => "renews",
            Kind::Establishes => "establishes",
            Kind::Terminates => "terminates",
            Kind::Amends => "amends",
            Kind::Decides => "decides",
            Kind::Expresses => "expresses",
            Kind::Condemns => "condemns",
            Kind::Requests => "requests",
            Kind::Urges => "urges",
            Kind::Stresses => "stresses",
            Kind::Demands => "demands",
            Kind::Reminds => "reminds",
        }
    }

    /// The kind named by [`Kind::as_str`] (case-insensitive).
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The first Security Council resolution of each year, 1946-2025 (the
/// Council's own lists; the odd numbers agree with the file names of the
/// archive's `S-RES-N(YYYY).txt`). A number belongs to the last year whose
/// first number it reaches. No resolution was adopted in 1959 after 132.
pub const FIRST_OF_YEAR: &[(u16, u32)] = &[
    (1946, 1),
    (1947, 16),
    (1948, 38),
    (1949, 67),
    (1950, 79),
    (1951, 90),
    (1952, 97),
    (1953, 99),
    (1954, 104),
    (1955, 106),
    (1956, 111),
    (1957, 122),
    (1958, 127),
    (1959, 132),
    (1960, 133),
    (1961, 161),
    (1962, 171),
    (1963, 178),
    (1964, 186),
    (1965, 200),
    (1966, 220),
    (1967, 233),
    (1968, 245),
    (1969, 263),
    (1970, 276),
    (1971, 292),
    (1972, 308),
    (1973, 325),
    (1974, 345),
    (1975, 367),
    (1976, 385),
    (1977, 403),
    (1978, 423),
    (1979, 445),
    (1980, 462),
    (1981, 485),
    (1982, 500),
    (1983, 529),
    (1984, 546),
    (1985, 560),
    (1986, 581),
    (1987, 594),
    (1988, 607),
    (1989, 627),
    (1990, 647),
    (1991, 684),
    (1992, 726),
    (1993, 800),
    (1994, 893),
    (1995, 970),
    (1996, 1036),
    (1997, 1093),
    (1998, 1147),
    (1999, 1220),
    (2000, 1285),
    (2001, 1335),
    (2002, 1387),
    (2003, 1455),
    (2004, 1522),
    (2005, 1581),
    (2006, 1652),
    (2007, 1739),
    (2008, 1795),
    (2009, 1860),
    (2010, 1908),
    (2011, 1967),
    (2012, 2033),
    (2013, 2087),
    (2014, 2133),
    (2015, 2196),
    (2016, 2260),
    (2017, 2337),
    (2018, 2399),
    (2019, 2452),
    (2020, 2504),
    (2021, 2560),
    (2022, 2618),
    (2023, 2672),
    (2024, 2722),
    (2025, 2768),
];

/// The year of Council resolution `number`, from [`FIRST_OF_YEAR`];
/// `None` for 0 and for numbers past the table's last year (whose year is
/// that year or later).
pub fn resolution_year(number: u32) -> Option<u16> {
    let last = FIRST_OF_YEAR.last()?;
    if number == 0 || number >= last.1 + 120 {
        return None;
    }
    FIRST_OF_YEAR
        .iter()
        .rev()
        .find(|(_, first)| *first <= number)
        .map(|(year, _)| *year)
}

/// The canonical form of a reference's target for the index: a Council
/// resolution without its year gets the year its number belongs to
/// ([`resolution_year`]); every other target is kept as it is.
pub fn canonical(target: &str) -> String {
    if let Some(number) = target
        .strip_prefix("S/RES/")
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse::<u32>().ok())
        && let Some(year) = resolution_year(number)
    {
        return format!("S/RES/{number} ({year})");
    }
    target.to_string()
}

/// The canonical target a user names, in any form they type: `1373`,
/// `1373 (2001)`, `resolution 1373`, `S/RES/1373`, `S/RES/1373 (2001)`
/// (all `S/RES/1373 (2001)`), `S/PRST/2014/23`, `S/PV.8716`, `S/2020/95`,
/// `SC/14105`, `A/RES/60/288`. `None` for text that names no document.
pub fn target_of(user: &str) -> Option<String> {
    let text = user.trim();
    let lower = text.to_ascii_lowercase();
    let bare = lower
        .strip_prefix("resolution")
        .map(str::trim_start)
        .or_else(|| lower.strip_prefix("s/res/"))
        .unwrap_or(&lower);
    let digits = bare.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 5 {
        let number: u32 = bare.get(..digits)?.parse().ok()?;
        let rest = bare.get(digits..)?.trim();
        let year = rest
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|y| y.trim().parse::<u16>().ok());
        if rest.is_empty() || year.is_some() {
            let year = year.or_else(|| resolution_year(number))?;
            return Some(format!("S/RES/{number} ({year})"));
        }
        return None;
    }
    // Any other symbol, as the extractor writes it.
    let found = extract(text, None);
    match found.as_slice() {
        [only] => Some(canonical(&only.target)),
        _ => None,
    }
}

/// [`target_of`] for a target a user types, checked: a Council resolution
/// given with a year that cannot go with its number ("1373 (1999)") is a
/// mistake to point out, not a document to look for; `Err` says what to
/// give instead. `Ok(None)` for text that names no document.
pub fn user_target(user: &str) -> Result<Option<String>, String> {
    let Some(target) = target_of(user) else {
        return Ok(None);
    };
    let resolution = target
        .strip_prefix("S/RES/")
        .and_then(|rest| rest.strip_suffix(')'))
        .and_then(|rest| rest.split_once(" ("))
        .and_then(|(n, y)| Some((n.parse::<u32>().ok()?, y.parse::<u32>().ok()?)));
    if let Some((number, year)) = resolution
        && check_year(number, year).1.is_some()
    {
        return Err(match resolution_year(number) {
            Some(right) => format!(
                "resolution {number} is of {right}, not {year}: give {number} or {number} ({right})"
            ),
            None => format!("{user:?} names no resolution the Council has adopted"),
        });
    }
    Ok(Some(target))
}

/// The latest year a resolution can carry (the clock's year, at least the
/// table's last).
fn max_year() -> u16 {
    let table = FIRST_OF_YEAR.last().map_or(2025, |(y, _)| *y);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 31_556_952 + 1970);
    table.max(u16::try_from(now).unwrap_or(table))
}

/// The references `text` (one passage) makes to UN documents, in text
/// order. `own` is the document's own symbol (`S/RES/2178 (2014)`,
/// `S/PV.8716`): references to it are not citations.
pub fn extract(text: &str, own: Option<&str>) -> Vec<Reference> {
    let b = text.as_bytes();
    let mut refs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_uppercase()
            && (i == 0 || !is_symbol_char(b[i - 1]) || b[i - 1] == b'-')
            && let Some((end, targets)) = scan_symbol(b, i)
        {
            for (target, span, warning) in targets {
                refs.push(Reference {
                    target,
                    kind: None,
                    paragraph: None,
                    span,
                    warning,
                });
            }
            i = end;
            continue;
        }
        if matches!(c, b'r' | b'R' | b'd') && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let Some((after, plural)) = keyword(b, i) else {
                i += 1;
                continue;
            };
            if let Some((end, mut found)) = scan_resolutions(text, i, after, plural) {
                refs.append(&mut found);
                i = end;
                continue;
            }
            i = after;
            continue;
        }
        i += 1;
    }
    let own = own.map(own_key);
    refs.retain(|r| own.as_ref().is_none_or(|o| own_key(&r.target) != *o));
    for r in &mut refs {
        r.kind = governing_kind(b, r.span.0);
    }
    refs
}

/// The word *resolution(s)* at `i`, or a one-letter slip of it
/// (`resoltuion`, `reolution`, `resolutlon`): its end and whether plural.
fn keyword(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut end = i;
    while end < b.len() && b[end].is_ascii_alphabetic() {
        end += 1;
    }
    if b.get(end).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let word = b[i..end].to_ascii_lowercase();
    if word == b"resolution" {
        return Some((end, false));
    }
    if word == b"resolutions" {
        return Some((end, true));
    }
    // "Reaffirming its decision 2133 (2014)": the resolution, by its
    // number and year (no other decision is numbered so).
    if word == b"decision" && i >= 4 && b[i - 4..i].eq_ignore_ascii_case(b"its ") {
        let k = skip_ws(b, end);
        let d = digits(b, k);
        if d > k && matches!(paren_session(b, d).0, Some(Session::Year(_))) {
            return Some((end, false));
        }
    }
    let plural = word.len() >= 11 && word.ends_with(b"ns");
    let stem = if plural {
        &word[..word.len() - 1]
    } else {
        &word[..]
    };
    (stem.starts_with(b"re") && stem.ends_with(b"n") && slip(stem, b"resolution"))
        .then_some((end, plural))
}

/// Whether `a` is `b` with one letter changed, dropped or added, or two
/// neighbours swapped.
fn slip(a: &[u8], b: &[u8]) -> bool {
    if a.len() == b.len() {
        let diff: Vec<usize> = (0..a.len()).filter(|&k| a[k] != b[k]).collect();
        return match diff.as_slice() {
            [_] => true,
            [x, y] => *y == x + 1 && a[*x] == b[*y] && a[*y] == b[*x],
            _ => false,
        };
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    long.len() == short.len() + 1
        && (0..long.len()).any(|skip| {
            long.iter()
                .enumerate()
                .filter(|(k, _)| *k != skip)
                .map(|(_, c)| c)
                .eq(short.iter())
        })
}

/// What identifies a target for the self-reference rule: a Council
/// resolution by its number alone, anything else by its symbol.
fn own_key(symbol: &str) -> String {
    let s = symbol.trim();
    if let Some(rest) = s.strip_prefix("S/RES/") {
        let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        return format!("S/RES/{n}");
    }
    s.to_string()
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

fn is_symbol_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'/' | b'.' | b'-')
}

/// Skips spaces, tabs, line breaks and no-break spaces.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => i += 1,
            Some(0xC2) if b.get(i + 1) == Some(&0xA0) => i += 2,
            _ => return i,
        }
    }
}

fn digits(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    j
}

fn number(b: &[u8], start: usize, end: usize) -> Option<u32> {
    std::str::from_utf8(b.get(start..end)?).ok()?.parse().ok()
}

fn ascii(b: &[u8], start: usize, end: usize) -> String {
    String::from_utf8_lossy(b.get(start..end).unwrap_or_default()).into_owned()
}

type Found = (String, (usize, usize), Option<String>);

/// A document symbol starting at `start` (an uppercase letter): the end of
/// what was consumed and the references (two for `A/…-S/…`), or `None`.
fn scan_symbol(b: &[u8], start: usize) -> Option<(usize, Vec<Found>)> {
    let mut j = start;
    while j < b.len() && b[j].is_ascii_uppercase() {
        j += 1;
    }
    let prefix = &b[start..j];
    if b.get(j) != Some(&b'/') || !matches!(prefix, b"S" | b"A" | b"E" | b"ST" | b"SC") {
        return None;
    }
    // The symbol's characters, stopping before a joined second symbol
    // (`-S/2019/509`) and before a space.
    let mut end = j;
    while end < b.len() && is_symbol_char(b[end]) {
        if b[end] == b'-' {
            let mut k = end + 1;
            while k < b.len() && b[k].is_ascii_uppercase() {
                k += 1;
            }
            if k > end + 1 && b.get(k) == Some(&b'/') && k - end - 1 <= 2 {
                // `-S/…`, `-A/…`: a joined symbol, unless it is a session
                // marker inside this one (`A/S-23/10`, `A/RES/ES-10/2`).
                if b[end - 1].is_ascii_digit() {
                    break;
                }
            }
        }
        end += 1;
    }
    while end > j && matches!(b[end - 1], b'.' | b'-' | b'/') {
        end -= 1;
    }
    let symbol = ascii(b, start, end);
    let parts: Vec<&str> = symbol.split('/').collect();
    if parts.len() < 2
        || parts.iter().any(|p| p.is_empty())
        || !symbol.bytes().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mut found = Vec::new();
    let mut consumed = end;
    match (parts[0], parts[1]) {
        ("S", "RES") | ("A", "RES") => {
            // S/RES/1373 (2001), A/RES/2625 (XXV), A/RES/60/288.
            let (session, after) = paren_session(b, end);
            let target = match &session {
                Some(Session::Year(y)) if parts.len() == 3 => {
                    consumed = after;
                    format!("{symbol} ({y})")
                }
                Some(Session::Roman(r)) if parts.len() == 3 => {
                    consumed = after;
                    format!("{symbol} ({r})")
                }
                _ => symbol.clone(),
            };
            let mut warning = None;
            let mut target = target;
            if parts[0] == "S" && parts.len() == 3 {
                let n = parts[2].parse::<u32>().ok()?;
                if let Some(Session::Year(y)) = session {
                    let (year, w) = check_year(n, y);
                    warning = w;
                    target = match year {
                        Some(y) => format!("S/RES/{n} ({y})"),
                        None => format!("S/RES/{n}"),
                    };
                }
            }
            found.push((target, (start, consumed), warning));
        }
        ("SC", _) => {
            // Press releases: SC/14105, one number.
            if parts.len() != 2 || !(4..=6).contains(&parts[1].len()) {
                return Some((end, Vec::new()));
            }
            if !parts[1].bytes().all(|c| c.is_ascii_digit()) {
                return Some((end, Vec::new()));
            }
            found.push((symbol, (start, end), None));
        }
        _ => {
            if !parts[1].starts_with(|c: char| c.is_ascii_alphanumeric()) {
                return None;
            }
            // `S/PV.8716 (Resumption 1)` is the record S/PV.8716.
            found.push((symbol, (start, end), None));
        }
    }
    // A joined second symbol: `A/73/907-S/2019/509`.
    if b.get(end) == Some(&b'-')
        && let Some((end2, mut more)) = scan_symbol(b, end + 1)
    {
        found.append(&mut more);
        consumed = consumed.max(end2);
    }
    Some((consumed, found))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Session {
    /// A parenthesized number, normally a year (`(2001)`; `(148)` is a typo).
    Year(u32),
    /// A Roman session, with its prefix (`XXV`, `ES-IV`, `S-VI`).
    Roman(String),
}

/// `(2001)`, `(XXV)`, `(ES-IV)` after optional spaces at `i`: the session
/// and the position after `)`; `(None, i)` otherwise.
fn paren_session(b: &[u8], i: usize) -> (Option<Session>, usize) {
    let j = skip_ws(b, i);
    if b.get(j) != Some(&b'(') {
        return (None, i);
    }
    let k = j + 1;
    let d = digits(b, k);
    if (3..=4).contains(&(d - k)) && b.get(d) == Some(&b')') {
        return match number(b, k, d) {
            Some(y) => (Some(Session::Year(y)), d + 1),
            None => (None, i),
        };
    }
    let mut m = k;
    if starts_with_ci(&b[k..], b"ES-") {
        m += 3;
    } else if b[k..].starts_with(b"S-") {
        m += 2;
    }
    let r = m;
    while m < b.len() && matches!(b[m], b'I' | b'V' | b'X' | b'L') {
        m += 1;
    }
    if m > r && b.get(m) == Some(&b')') {
        return (Some(Session::Roman(ascii(b, k, m))), m + 1);
    }
    (None, i)
}

/// The year to cite for Council resolution `n` given as of `year`, and a
/// warning when the two cannot go together.
fn check_year(n: u32, year: u32) -> (Option<u32>, Option<String>) {
    let max = u32::from(max_year());
    let lo = resolution_year(n.saturating_sub(4).max(1)).map(u32::from);
    let hi = resolution_year(n + 4).map(u32::from);
    let plausible = (1946..=max).contains(&year)
        && lo.is_none_or(|lo| year >= lo)
        && hi.is_none_or(|hi| year <= hi);
    if plausible {
        return (Some(year), None);
    }
    let expected = resolution_year(n).map(u32::from);
    match expected {
        Some(e) if lo == hi && one_edit(&year.to_string(), &e.to_string()) => (
            Some(e),
            Some(format!(
                "resolution {n} cited as of {year}: read as {e}, the year of its number"
            )),
        ),
        _ => (
            None,
            Some(format!(
                "resolution {n} cited as of {year}, which cannot go with its number"
            )),
        ),
    }
}

/// Whether `a` becomes `b` by one substitution, insertion or deletion.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() == b.len() {
        return a.iter().zip(b).filter(|(x, y)| x != y).count() <= 1;
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    (0..long.len()).any(|skip| {
        long.iter()
            .enumerate()
            .filter(|(k, _)| *k != skip)
            .map(|(_, c)| c)
            .eq(short.iter())
    })
}

/// Who adopted the resolutions named at `kw`: the nearest organ named in
/// the few words before, in the same sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Council,
    Assembly,
    Ecosoc,
    HumanRights,
    /// Some other body: not a UN document.
    Other,
    Unknown,
}

fn owner(text: &str, kw: usize) -> Owner {
    let b = text.as_bytes();
    let mut start = kw.saturating_sub(70);
    while start < kw && !text.is_char_boundary(start) {
        start += 1;
    }
    // Stay in the sentence.
    if let Some(p) = b[start..kw].iter().rposition(|c| matches!(c, b';' | b'\n')) {
        start += p + 1;
    }
    let window = text[start..kw].to_ascii_lowercase();
    let organs: [(&str, Owner); 16] = [
        ("security council", Owner::Council),
        ("council's", Owner::Council),
        ("general assembly", Owner::Assembly),
        ("assembly's", Owner::Assembly),
        ("economic and social council", Owner::Ecosoc),
        ("human rights council", Owner::HumanRights),
        ("commission on human rights", Owner::Other),
        ("board of governors", Owner::Other),
        ("health assembly", Owner::Other),
        ("icao assembly", Owner::Other),
        ("african union", Owner::Other),
        ("organization of african unity", Owner::Other),
        ("arab league", Owner::Other),
        ("league of arab states", Owner::Other),
        ("council of ministers", Owner::Other),
        ("european union", Owner::Other),
    ];
    let mut best: Option<(usize, Owner)> = None;
    for (name, who) in organs {
        if let Some(p) = window.rfind(name) {
            let end = p + name.len();
            // "Economic and Social Council" ends like "… Council": the
            // longer, later-ending name wins.
            if best.is_none_or(|(e, _)| end > e || (end == e && who != Owner::Council)) {
                best = Some((end, who));
            }
        }
    }
    match best {
        // Only the words right before count: "the General Assembly in its
        // resolution", not an Assembly named two clauses back.
        Some((end, who)) if window[end..].split_whitespace().count() <= 4 => who,
        _ => Owner::Unknown,
    }
}

/// An item of a resolution list at `i`: its target, end, year-lessness.
struct Item {
    number: u32,
    /// `60/288`, `ES-10/2`: a session/number pair.
    pair: Option<String>,
    session: Option<Session>,
    start: usize,
    end: usize,
}

fn item(b: &[u8], i: usize) -> Option<Item> {
    let mut k = i;
    if b[k..].starts_with(b"ES-") {
        k += 3;
    } else if b[k..].starts_with(b"S-") {
        k += 2;
    }
    let d = digits(b, k);
    if d == k || d - k > 4 {
        return None;
    }
    // `4385th`, `1325a`, `1.5`: not a resolution number.
    if b.get(d).is_some_and(|c| c.is_ascii_alphabetic())
        || (b.get(d) == Some(&b'.') && b.get(d + 1).is_some_and(u8::is_ascii_digit))
        || (b.get(d) == Some(&b',') && b.get(d + 1).is_some_and(u8::is_ascii_digit))
    {
        return None;
    }
    let mut number = number(b, k, d)?;
    let mut d = d;
    // A thousands group split by the source, `1 373 (2001)`: one number
    // when a year follows.
    if d - k == 1 && b.get(d) == Some(&b' ') {
        let e = digits(b, d + 1);
        if e - (d + 1) == 3
            && matches!(paren_session(b, e).0, Some(Session::Year(_)))
            && let Some(n) = self::number(b, d + 1, e)
        {
            number = number * 1000 + n;
            d = e;
        }
    }
    if b.get(d) == Some(&b'/') {
        let e = digits(b, d + 1);
        if e == d + 1 || b.get(e).is_some_and(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        return Some(Item {
            number,
            pair: Some(ascii(b, i, e)),
            session: None,
            start: i,
            end: e,
        });
    }
    if k != i {
        return None;
    }
    let (session, end) = paren_session(b, d);
    // `resolution 1 373`: a split number without a year is not a reference.
    if session.is_none() && b.get(d) == Some(&b' ') && b.get(d + 1).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    Some(Item {
        number,
        pair: None,
        session,
        start: i,
        end,
    })
}

/// A date gloss after a list item, `of 15 October 1999`, `dated 2 May
/// 2000`, `adopted on 3 June 2001`, `of October 1999`: its year and end.
fn date_gloss(b: &[u8], i: usize) -> Option<(Option<u32>, usize)> {
    let mut k = skip_ws(b, i);
    if b.get(k) == Some(&b',') {
        k = skip_ws(b, k + 1);
    }
    let lead: &[&[u8]] = &[b"of ", b"dated ", b"adopted on ", b"adopted ", b"on "];
    let l = lead.iter().find(|l| starts_with_ci(&b[k..], l))?;
    k = skip_ws(b, k + l.len());
    let d = digits(b, k);
    if d > k && d - k <= 2 {
        k = skip_ws(b, d);
    }
    let month = MONTHS
        .iter()
        .find(|m| starts_with_ci(&b[k..], m.as_bytes()))?;
    k = skip_ws(b, k + month.len());
    if b.get(k) == Some(&b',') {
        k = skip_ws(b, k + 1);
    }
    let y = digits(b, k);
    if y - k != 4 || b.get(y).is_some_and(|c| c.is_ascii_alphanumeric()) {
        // `of 29 October,`: a date without its year.
        let m = k.min(b.len());
        return Some((None, m));
    }
    Some((number(b, k, y), y))
}

/// A list separator after an item at `i`: the position of the next item.
fn separator(b: &[u8], i: usize) -> Option<usize> {
    let mut k = skip_ws(b, i);
    let mut seen = false;
    loop {
        if b.get(k) == Some(&b',') {
            k = skip_ws(b, k + 1);
            seen = true;
            continue;
        }
        let words: &[&[u8]] = &[b"and ", b"or ", b"as well as "];
        if let Some(w) = words.iter().find(|w| starts_with_ci(&b[k..], w)) {
            k = skip_ws(b, k + w.len());
            seen = true;
            continue;
        }
        break;
    }
    seen.then_some(k)
}

/// The resolutions listed after the keyword at `kw` (`after` is past the
/// keyword): the end of the list and the references.
fn scan_resolutions(
    text: &str,
    kw: usize,
    after: usize,
    plural: bool,
) -> Option<(usize, Vec<Reference>)> {
    let b = text.as_bytes();
    // "draft resolution 5", "draft resolutions": not adopted texts.
    let before = text[..kw].trim_end();
    if before.len() >= 5 && before.as_bytes()[before.len() - 5..].eq_ignore_ascii_case(b"draft") {
        return None;
    }
    let mut i = skip_ws(b, after);
    if starts_with_ci(&b[i..], b"no. ") {
        i = skip_ws(b, i + 4);
    }
    let first = item(b, i)?;
    let who = owner(text, kw);
    let (paragraph, para_start) = paragraph_before(b, kw);
    let mut refs = Vec::new();
    let mut bare_list = first.session.is_none() && first.pair.is_none();
    let mut cur = first;
    let mut is_first = true;
    let mut end;
    loop {
        end = cur.end;
        let date = date_gloss(b, cur.end);
        if let Some((_, e)) = date {
            end = e;
        }
        let span_start = if is_first {
            para_start.unwrap_or(kw)
        } else {
            cur.start
        };
        let mut para = if is_first { paragraph.clone() } else { None };
        if para.is_none()
            && let Some((p, e)) = paragraph_after(b, end)
        {
            para = Some(p);
            end = e;
        }
        if let Some((target, warning)) = classify(&cur, who, date.and_then(|d| d.0)) {
            refs.push(Reference {
                target,
                kind: None,
                paragraph: para,
                span: (span_start, cur.end),
                warning,
            });
        }
        // Items with years follow each other even where a comma is lost
        // (`1904 (2009) 1989 (2011)`).
        let next = match separator(b, end) {
            Some(next) => next,
            None if cur.session.is_some() => {
                let k = skip_ws(b, end);
                match item(b, k) {
                    Some(it) if matches!(it.session, Some(Session::Year(_))) => k,
                    _ => break,
                }
            }
            None => break,
        };
        let Some(it) = item(b, next) else { break };
        let bare = it.session.is_none() && it.pair.is_none();
        // A bare number continues only a list of bare numbers after
        // "resolutions", and must end the list or be followed by another
        // separator ("resolutions 1267, 1333 and 1390").
        if bare && !(plural && bare_list) {
            break;
        }
        if bare && !ends_item(b, it.end) {
            break;
        }
        bare_list &= bare;
        cur = it;
        is_first = false;
    }
    Some((end.max(after), refs))
}

/// Whether a bare number at `i` ends like a list item: punctuation, a
/// separator word or the end of the text.
fn ends_item(b: &[u8], i: usize) -> bool {
    let k = skip_ws(b, i);
    match b.get(k) {
        None => true,
        Some(b',' | b';' | b'.' | b')' | b':') => true,
        Some(_) => ["and ", "or ", "of ", "on ", "in ", "to ", "as "]
            .iter()
            .any(|w| starts_with_ci(&b[k..], w.as_bytes())),
    }
}

/// The target of a list item, given the owner of the list and a date gloss.
fn classify(it: &Item, who: Owner, date_year: Option<u32>) -> Option<(String, Option<String>)> {
    if let Some(pair) = &it.pair {
        return match who {
            Owner::Ecosoc => Some((format!("E/RES/{pair}"), None)),
            Owner::HumanRights => Some((format!("A/HRC/RES/{pair}"), None)),
            Owner::Other => None,
            _ => Some((format!("A/RES/{pair}"), None)),
        };
    }
    if it.number == 0 {
        return None;
    }
    let n = it.number;
    match &it.session {
        Some(Session::Roman(r)) => match who {
            Owner::Ecosoc => Some((format!("E/RES/{n} ({r})"), None)),
            Owner::Other | Owner::HumanRights => None,
            _ => Some((format!("A/RES/{n} ({r})"), None)),
        },
        Some(Session::Year(y)) => {
            if matches!(who, Owner::Other | Owner::Ecosoc | Owner::HumanRights) {
                return None;
            }
            let (year, warning) = check_year(n, *y);
            Some((
                match year {
                    Some(y) => format!("S/RES/{n} ({y})"),
                    None => format!("S/RES/{n}"),
                },
                warning,
            ))
        }
        None => {
            if who != Owner::Council && who != Owner::Unknown {
                return None;
            }
            // A date gloss gives the year, when it can go with the number.
            let year = date_year.filter(|y| check_year(n, *y).1.is_none());
            Some((
                match year {
                    Some(y) => format!("S/RES/{n} ({y})"),
                    None => format!("S/RES/{n}"),
                },
                None,
            ))
        }
    }
}

/// `paragraph 4 of`, `paragraphs 2 and 3 of its`, `paragraph 4 (b) of
/// Security Council` right before the keyword at `kw`: the paragraph as
/// written and where the phrase starts.
fn paragraph_before(b: &[u8], kw: usize) -> (Option<String>, Option<usize>) {
    let head = &b[..kw];
    let text = String::from_utf8_lossy(head);
    let lower = text.to_ascii_lowercase();
    let Some(p) = lower.rfind("paragraph") else {
        return (None, None);
    };
    if kw - p > 90 {
        return (None, None);
    }
    let mut k = p + "paragraph".len();
    if lower.as_bytes().get(k) == Some(&b's') {
        k += 1;
    }
    let rest = &lower[k..];
    let Some(of) = rest.rfind(" of ") else {
        return (None, None);
    };
    let para = rest[..of].trim();
    let tail = rest[of + 4..].trim();
    let tail_ok = tail.is_empty()
        || [
            "its",
            "the",
            "security council",
            "its security council",
            "council",
        ]
        .contains(&tail);
    let para_ok = !para.is_empty()
        && para.bytes().next().is_some_and(|c| c.is_ascii_digit())
        && para
            .bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase() || b" (),-".contains(&c))
        && para
            .split(|c: char| !c.is_ascii_alphabetic())
            .all(|w| w.len() <= 1 || w == "and" || w == "to" || w == "ii" || w == "iii");
    if tail_ok && para_ok {
        let original = text[k..k + of].trim().to_string();
        (Some(original), Some(p))
    } else {
        (None, None)
    }
}

/// `, paragraph 4` right after a reference: the paragraph and its end.
fn paragraph_after(b: &[u8], i: usize) -> Option<(String, usize)> {
    let mut k = skip_ws(b, i);
    if b.get(k) != Some(&b',') {
        return None;
    }
    k = skip_ws(b, k + 1);
    if !starts_with_ci(&b[k..], b"paragraph ") {
        return None;
    }
    let s = skip_ws(b, k + "paragraph ".len());
    let mut e = digits(b, s);
    if e == s {
        return None;
    }
    let (_, after) = subparagraph(b, e);
    e = after;
    if b.get(e).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((ascii(b, s, e), e))
}

/// `(a)` after a paragraph number.
fn subparagraph(b: &[u8], i: usize) -> (bool, usize) {
    let j = skip_ws(b, i);
    if b.get(j) == Some(&b'(') {
        let mut k = j + 1;
        while k < b.len() && b[k].is_ascii_lowercase() && k - j <= 4 {
            k += 1;
        }
        if k > j + 1 && b.get(k) == Some(&b')') {
            return (true, k + 1);
        }
    }
    (false, i)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `recalling`: anywhere.
    Ing,
    /// `recalls`: at the head of a clause, after `and`, `it`, `Council`.
    Third,
    /// `recall`: after `to`, `we`, `I`.
    Base,
}

/// The verbs that say how a reference is cited.
const VERBS: &[(&str, Kind)] = &[
    ("recall", Kind::Recalls),
    ("reaffirm", Kind::Reaffirms),
    ("reiterat", Kind::Reaffirms),
    ("not", Kind::Notes),
    ("welcom", Kind::Welcomes),
    ("endors", Kind::Endorses),
    ("act", Kind::Acting),
    ("extend", Kind::Extends),
    ("renew", Kind::Renews),
    ("establish", Kind::Establishes),
    ("terminat", Kind::Terminates),
    ("amend", Kind::Amends),
    ("decid", Kind::Decides),
    ("express", Kind::Expresses),
    ("condemn", Kind::Condemns),
    ("request", Kind::Requests),
    ("urg", Kind::Urges),
    ("call", Kind::Urges),
    ("stress", Kind::Stresses),
    ("emphasiz", Kind::Stresses),
    ("emphasis", Kind::Stresses),
    ("underlin", Kind::Stresses),
    ("underscor", Kind::Stresses),
    ("demand", Kind::Demands),
    ("remind", Kind::Reminds),
];

/// The kind and form of `word` (lower case), if it is one of [`VERBS`].
fn verb(word: &str) -> Option<(Kind, Form)> {
    for (stem, kind) in VERBS {
        let Some(rest) = word.strip_prefix(stem) else {
            continue;
        };
        // Stems ending before a dropped "e" take "e"/"es"/"ing".
        let e_stem = matches!(
            *stem,
            "reiterat"
                | "not"
                | "welcom"
                | "endors"
                | "terminat"
                | "decid"
                | "urg"
                | "emphasiz"
                | "emphasis"
                | "underlin"
                | "underscor"
        );
        let form = match rest {
            "ing" => Form::Ing,
            "es" if e_stem || *stem == "express" || *stem == "stress" || *stem == "establish" => {
                Form::Third
            }
            "s" if !e_stem && !matches!(*stem, "express" | "stress" | "establish") => Form::Third,
            "e" if e_stem => Form::Base,
            "" if !e_stem => Form::Base,
            _ => continue,
        };
        // "acts" is a noun, "acting" the Charter formula, "act" a noun.
        if *stem == "act" && form != Form::Ing {
            continue;
        }
        return Some((*kind, form));
    }
    None
}

const ADVERBS: &[&str] = &[
    "also",
    "further",
    "again",
    "once",
    "strongly",
    "firmly",
    "unequivocally",
    "hereby",
    "deeply",
    "urgently",
    "fully",
    "formally",
    "therefore",
    "furthermore",
    "moreover",
    "accordingly",
    "likewise",
    "unanimously",
    "recently",
    "duly",
    "thus",
];

/// The kind of the nearest verb before `pos` in its sentence.
fn governing_kind(b: &[u8], pos: usize) -> Option<Kind> {
    let start = sentence_start(b, pos);
    // Words (ASCII letter runs) of the sentence before the reference.
    let mut words: Vec<String> = Vec::new();
    let mut k = start;
    while k < pos {
        if b[k].is_ascii_alphabetic() {
            let s = k;
            while k < pos && (b[k].is_ascii_alphabetic() || b[k] == b'\'') {
                k += 1;
            }
            words.push(ascii(b, s, k).to_ascii_lowercase());
        } else {
            k += 1;
        }
    }
    for w in (0..words.len()).rev() {
        let Some((kind, form)) = verb(&words[w]) else {
            continue;
        };
        // The word before, skipping adverbs.
        let mut p = w;
        while p > 0 && ADVERBS.contains(&words[p - 1].as_str()) {
            p -= 1;
        }
        let prev = p.checked_sub(1).map(|p| words[p].as_str());
        let next = words.get(w + 1).map(String::as_str);
        if kind == Kind::Urges
            && words[w].starts_with("call")
            && !matches!(next, Some("upon" | "on"))
        {
            continue;
        }
        if kind == Kind::Notes && form == Form::Base {
            if matches!(prev, Some("taking" | "takes" | "take" | "to" | "we" | "i")) {
                return Some(Kind::Notes);
            }
            continue;
        }
        let ok = match form {
            Form::Ing => !matches!(prev, Some("the" | "a" | "an" | "its" | "of")),
            Form::Third => matches!(prev, None | Some("and" | "it" | "council" | "assembly")),
            Form::Base => matches!(prev, Some("to" | "we" | "i" | "they")),
        };
        if ok {
            return Some(kind);
        }
    }
    None
}

/// Where the sentence holding `pos` starts: after the last `. X`, `.\n`
/// or line break before it.
fn sentence_start(b: &[u8], pos: usize) -> usize {
    let mut k = pos;
    while k > 0 {
        let c = b[k - 1];
        if c == b'\n' {
            return k;
        }
        if c == b'.' && k < pos {
            let next = skip_ws(b, k);
            if next > k && b.get(next).is_some_and(|c| c.is_ascii_uppercase()) {
                // "Mr. Smith", "No. 5": abbreviations do not end a sentence.
                let w0 = b[..k - 1]
                    .iter()
                    .rposition(|c| !c.is_ascii_alphabetic())
                    .map_or(0, |p| p + 1);
                let word = &b[w0..k - 1];
                if !matches!(word, b"Mr" | b"Mrs" | b"Ms" | b"Dr" | b"No" | b"St") {
                    return k;
                }
            }
        }
        k -= 1;
    }
    0
}

/// An operative clause that keeps a body or its mandate going without
/// naming the resolution it continues. The Council renews CTED so: "2.
/// Decides that CTED will continue to operate as a special political
/// mission … for the period ending 31 December 2010", its predecessors
/// named only in the preamble ("Recalling, in particular, resolution 1535
/// (2004) … which pertain to … (CTED)"). See [`continuation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Continuation {
    /// [`Kind::Extends`] (continue, extend) or [`Kind::Renews`].
    pub kind: Kind,
    /// What is continued, as written, without a leading "the": "CTED",
    /// "Monitoring Team".
    pub subject: String,
    /// Byte range of the act in the clause ("will continue to operate",
    /// "extend the mandate of").
    pub span: (usize, usize),
}

/// The continuation `clause` (one passage) makes, if it is one: a clause
/// headed by *Decides* (after its paragraph number, an adverb allowed)
/// that says "that X will (shall) continue to operate (its work) until …
/// / for the period ending … / for a (further) period …", or "to extend
/// (renew) the mandate of X". Only the head verb counts: "Stresses …, and
/// in this regard, decides that the Committee will continue to operate"
/// is no continuation of a mandate.
pub fn continuation(clause: &str) -> Option<Continuation> {
    let lower = clause.to_ascii_lowercase();
    // After the paragraph number ("2.", "2 (a)") and spaces.
    let mut at = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c.is_whitespace()))
        .unwrap_or(lower.len());
    if lower[at..].starts_with('(')
        && let Some(close) = lower[at..].find(')').filter(|c| *c <= 5)
    {
        at = skip_ws(lower.as_bytes(), at + close + 1);
    }
    if !lower.get(at..)?.starts_with("decides") {
        return None;
    }
    let mut at = at + "decides".len();
    for adverb in [" also", " further", " therefore"] {
        if lower[at..].starts_with(adverb) {
            at += adverb.len();
        }
    }
    let rest = lower.get(at..)?.trim_start();
    at = lower.len() - rest.len();
    let subject_of = |start: usize, end: usize| -> Option<String> {
        let written = clause.get(start..end)?.trim();
        let written = written
            .strip_prefix("the ")
            .or_else(|| written.strip_prefix("The "))
            .unwrap_or(written)
            .trim();
        (!written.is_empty() && written.len() <= 80).then(|| written.to_string())
    };
    if let Some(after) = rest.strip_prefix("that ") {
        let start = at + "that ".len();
        let (verb, tail) = ["will continue to operate", "shall continue to operate"]
            .iter()
            .find_map(|v| after.find(v).map(|p| (p, p + v.len())))?;
        // The subject is a name, not a clause of its own.
        if after[..verb].contains([',', ';']) {
            return None;
        }
        let term = &after[tail..];
        let dated = [
            "until",
            "period ending",
            "for a period",
            "for a further period",
        ]
        .iter()
        .any(|w| term.contains(w));
        if !dated {
            return None;
        }
        return Some(Continuation {
            kind: Kind::Extends,
            subject: subject_of(start, start + verb)?,
            span: (start + verb, start + tail),
        });
    }
    for (act, kind) in [
        ("to extend the mandate of ", Kind::Extends),
        ("to renew the mandate of ", Kind::Renews),
    ] {
        if let Some(after) = rest.strip_prefix(act) {
            let start = at + act.len();
            let end = [" until", " for ", " as ", ",", ";", " to ", " by "]
                .iter()
                .filter_map(|w| after.find(w))
                .min()
                .unwrap_or(after.len());
            return Some(Continuation {
                kind,
                subject: subject_of(start, start + end)?,
                span: (at, start),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_users_year_that_cannot_go_with_the_number_is_pointed_out() {
        assert_eq!(
            user_target("1373 (2001)"),
            Ok(Some("S/RES/1373 (2001)".to_string()))
        );
        assert_eq!(
            user_target("1373"),
            Ok(Some("S/RES/1373 (2001)".to_string()))
        );
        assert_eq!(
            user_target("1373 (1999)"),
            Err("resolution 1373 is of 2001, not 1999: give 1373 or 1373 (2001)".to_string())
        );
        assert_eq!(user_target("terrorism"), Ok(None));
        assert_eq!(
            user_target("S/PRST/2014/23"),
            Ok(Some("S/PRST/2014/23".to_string()))
        );
    }
    use super::*;

    fn targets(text: &str, own: Option<&str>) -> Vec<String> {
        extract(text, own).into_iter().map(|r| r.target).collect()
    }

    #[test]
    fn single_resolution_with_year() {
        let text = "Reaffirming the need to implement resolution 1373 (2001) fully,";
        let refs = extract(text, None);
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].target, "S/RES/1373 (2001)");
        assert_eq!(refs[0].kind, Some(Kind::Reaffirms));
        assert_eq!(
            &text[refs[0].span.0..refs[0].span.1],
            "resolution 1373 (2001)"
        );
        assert_eq!(refs[0].warning, None);
    }

    #[test]
    fn list_with_dates_between_items() {
        let text = "Recalling its resolutions 1267 (1999) of 15 October 1999, 1333 (2000) of 19 December 2000, 1363 (2001) of 30 July 2001 and 1390 (2002) of 16 January 2002, and the relevant statements of its President,";
        let refs = extract(text, None);
        let t: Vec<&str> = refs.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(
            t,
            [
                "S/RES/1267 (1999)",
                "S/RES/1333 (2000)",
                "S/RES/1363 (2001)",
                "S/RES/1390 (2002)"
            ]
        );
        assert!(refs.iter().all(|r| r.kind == Some(Kind::Recalls)));
        assert_eq!(&text[refs[1].span.0..refs[1].span.1], "1333 (2000)");
    }

    #[test]
    fn list_without_dates() {
        assert_eq!(
            targets(
                "Recalling its resolutions 1267 (1999), 1333 (2000) and 1390 (2002),",
                None
            ),
            [
                "S/RES/1267 (1999)",
                "S/RES/1333 (2000)",
                "S/RES/1390 (2002)"
            ]
        );
    }

    #[test]
    fn year_less_number() {
        let refs = extract(
            "Recalling resolution 1596 and its subsequent resolutions,",
            None,
        );
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].target, "S/RES/1596");
        assert_eq!(
            targets("as set out in resolutions 1267, 1333 and 1390.", None),
            ["S/RES/1267", "S/RES/1333", "S/RES/1390"]
        );
    }

    #[test]
    fn date_gloss_gives_the_year() {
        assert_eq!(
            targets("Recalling resolution 1373 of 28 September 2001,", None),
            ["S/RES/1373 (2001)"]
        );
    }

    #[test]
    fn symbol_forms() {
        assert_eq!(
            targets(
                "in S/RES/1373 (2001), S/RES/1540(2004) and S/RES/2178 (2014).",
                None
            ),
            [
                "S/RES/1373 (2001)",
                "S/RES/1540 (2004)",
                "S/RES/2178 (2014)"
            ]
        );
        assert_eq!(
            targets(
                "statement S/PRST/2014/23, report S/2020/95, record S/PV.8716 (see also S/4258 and Add.1).",
                None
            ),
            ["S/PRST/2014/23", "S/2020/95", "S/PV.8716", "S/4258"]
        );
        assert_eq!(
            targets("the report (A/73/907-S/2019/509) and ST/SGB/2003/13", None),
            ["A/73/907", "S/2019/509", "ST/SGB/2003/13"]
        );
    }

    #[test]
    fn press_releases() {
        assert_eq!(targets("see press release SC/14105.", None), ["SC/14105"]);
        assert!(targets("see SC/2012/133", None).is_empty());
    }

    #[test]
    fn paragraphs() {
        let text = "Decides that the measures in paragraph 4 (b) of resolution 1267 (1999) and paragraphs 2 and 3 of its resolution 1390 (2002) shall apply,";
        let refs = extract(text, None);
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].paragraph.as_deref(), Some("4 (b)"));
        assert_eq!(refs[1].paragraph.as_deref(), Some("2 and 3"));
        assert_eq!(refs[1].target, "S/RES/1390 (2002)");
        assert!(text[refs[0].span.0..].starts_with("paragraph 4"));
        assert_eq!(refs[0].kind, Some(Kind::Decides));
        let refs = extract("to monitor paragraph 4 of resolution 2178 (2014)", None);
        assert_eq!(refs[0].paragraph.as_deref(), Some("4"));
        let refs = extract("as required by resolution 1373 (2001), paragraph 6,", None);
        assert_eq!(refs[0].paragraph.as_deref(), Some("6"));
    }

    #[test]
    fn its_resolution_and_security_council_resolution() {
        assert_eq!(
            targets(
                "Recalling its resolution 2253 (2015) and Security Council resolution 2178 (2014),",
                None
            ),
            ["S/RES/2253 (2015)", "S/RES/2178 (2014)"]
        );
    }

    #[test]
    fn general_assembly_forms() {
        assert_eq!(
            targets(
                "Recalling General Assembly resolution 60/288 of 8 September 2006 and A/RES/60/288,",
                None
            ),
            ["A/RES/60/288", "A/RES/60/288"]
        );
        assert_eq!(
            targets(
                "in its declaration of October 1970 (resolution 2625 (XXV)) and reiterated by the Security Council in its resolution 1189 (1998)",
                None
            ),
            ["A/RES/2625 (XXV)", "S/RES/1189 (1998)"]
        );
        assert_eq!(
            targets(
                "General Assembly resolution 1514 (XV) of 14 December 1960 and resolution 1474 (ES-IV)",
                None
            ),
            ["A/RES/1514 (XV)", "A/RES/1474 (ES-IV)"]
        );
        assert_eq!(targets("A/RES/2625 (XXV)", None), ["A/RES/2625 (XXV)"]);
    }

    #[test]
    fn other_organs() {
        assert_eq!(
            targets(
                "Human Rights Council resolution 9/9 and Economic and Social Council resolution 1996/31",
                None
            ),
            ["A/HRC/RES/9/9", "E/RES/1996/31"]
        );
        assert!(targets("IAEA Board of Governors resolution 1234 (2004)", None).is_empty());
    }

    #[test]
    fn own_symbol_is_not_a_citation() {
        let own = Some("S/RES/2178 (2014)");
        assert!(targets("S/RES/2178 (2014)", own).is_empty());
        assert!(targets("Resolution 2178 (2014)", own).is_empty());
        assert!(
            targets(
                "the implementation of this resolution and of the present resolution",
                own
            )
            .is_empty()
        );
        assert_eq!(
            targets(
                "paragraph 5 of this resolution and resolution 2170 (2014)",
                own
            ),
            ["S/RES/2170 (2014)"]
        );
        assert!(targets("(S/PV.8716)", Some("S/PV.8716")).is_empty());
    }

    #[test]
    fn committees() {
        assert_eq!(
            targets(
                "the Committee established pursuant to resolutions 1267 (1999) and 1989 (2011)",
                None
            ),
            ["S/RES/1267 (1999)", "S/RES/1989 (2011)"]
        );
        assert!(targets("the 1267/1989/2253 Committee and the 1540 Committee", None).is_empty());
        assert!(targets("the 1267 Committee", None).is_empty());
    }

    #[test]
    fn numbers_that_are_not_references() {
        for text in [
            "not later than 1325 hours EDT on 5 May",
            "document 8/1267",
            "paragraph 1373 of the report",
            "page 2178",
            "in 2014 and 2015",
            "at its 4385th meeting",
            "the draft resolution contained in document S/2020/24",
            "draft resolution 5",
        ] {
            let t = targets(text, None);
            assert!(t.iter().all(|t| t == "S/2020/24"), "{text:?} gave {t:?}");
        }
    }

    #[test]
    fn implausible_year() {
        let refs = extract("Recalling resolution 2118 (2113),", None);
        assert_eq!(refs[0].target, "S/RES/2118 (2013)");
        assert!(refs[0].warning.is_some());
        let refs = extract("Recalling resolution 1373 (1985),", None);
        assert_eq!(refs[0].target, "S/RES/1373");
        assert!(refs[0].warning.is_some());
        let refs = extract("Recalling resolution 1373 (2001),", None);
        assert_eq!(refs[0].warning, None);
        let refs = extract("S/RES/43 (148)", None);
        assert_eq!(refs[0].target, "S/RES/43 (1948)");
    }

    #[test]
    fn kinds() {
        let k = |text: &str| extract(text, None).first().and_then(|r| r.kind);
        assert_eq!(
            k("Recalling its resolution 1373 (2001),"),
            Some(Kind::Recalls)
        );
        assert_eq!(
            k("Recalling also its resolution 1373 (2001),"),
            Some(Kind::Recalls)
        );
        assert_eq!(
            k("Taking note of resolution 1373 (2001),"),
            Some(Kind::Notes)
        );
        assert_eq!(k("Noting resolution 1373 (2001),"), Some(Kind::Notes));
        assert_eq!(k("Welcoming resolution 1373 (2001),"), Some(Kind::Welcomes));
        assert_eq!(k("Endorsing resolution 1373 (2001),"), Some(Kind::Endorses));
        assert_eq!(
            k(
                "2. Decides to extend the mandate of UNMIL as set out in resolution 1509 (2003) until 30 September 2005;"
            ),
            Some(Kind::Extends)
        );
        assert_eq!(
            k("Decides to renew the measures imposed by paragraph 2 of resolution 1521 (2003);"),
            Some(Kind::Renews)
        );
        assert_eq!(
            k("Decides to terminate the measures imposed by resolution 1132 (1997);"),
            Some(Kind::Terminates)
        );
        assert_eq!(
            k(
                "Decides that requests for exemptions under paragraph 1 of resolution 1452 (2002) shall be processed"
            ),
            Some(Kind::Decides)
        );
        assert_eq!(
            k(
                "Acting under Chapter VII of the Charter and in accordance with resolution 1373 (2001),"
            ),
            Some(Kind::Acting)
        );
        assert_eq!(
            k("the Committee established pursuant to resolution 1267 (1999)"),
            None
        );
        assert_eq!(
            k("3. Requests the Secretary-General to report on resolution 1373 (2001);"),
            Some(Kind::Requests)
        );
        assert_eq!(
            k("Recalling resolution 1267 (1999). The Council notes resolution 1373 (2001)"),
            Some(Kind::Recalls)
        );
        let refs = extract(
            "Recalling resolution 1267 (1999). The Council notes resolution 1373 (2001)",
            None,
        );
        assert_eq!(refs[1].kind, Some(Kind::Notes));
        assert_eq!(
            k("We welcome resolution 2504 (2020)."),
            Some(Kind::Welcomes)
        );
    }

    #[test]
    fn source_slips() {
        assert_eq!(
            targets(
                "the Commission established under resoltuion 446 (1979) and reolution 573 (1985)",
                None
            ),
            ["S/RES/446 (1979)", "S/RES/573 (1985)"]
        );
        assert!(targets("the resolute action 12 (1999)", None).is_empty());
        assert_eq!(
            targets(
                "the obligations set forth in resolution 1 373 (2001) and",
                None
            ),
            ["S/RES/1373 (2001)"]
        );
        assert_eq!(
            targets(
                "resolutions 1822 (2008), 1904 (2009) 1989 (2011), and 2082 (2012)",
                None
            ),
            [
                "S/RES/1822 (2008)",
                "S/RES/1904 (2009)",
                "S/RES/1989 (2011)",
                "S/RES/2082 (2012)"
            ]
        );
        assert!(targets("resolution 1 373", None).is_empty());
        assert_eq!(
            targets(
                "Reaffirming its decision 2133 (2014) and the decision of 2 May",
                None
            ),
            ["S/RES/2133 (2014)"]
        );
        assert_eq!(
            targets(
                "resolutions 674 (1990) of 29 October, 677 (1990), and 678 (1990)",
                None
            ),
            ["S/RES/674 (1990)", "S/RES/677 (1990)", "S/RES/678 (1990)"]
        );
        assert!(
            targets(
                "its deep appreciation for Arab League Resolution 7804 (7 September 2014)",
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn kind_names() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_name(k.as_str()), Some(k));
        }
        assert_eq!(Kind::from_name("Recalls"), Some(Kind::Recalls));
        assert_eq!(Kind::from_name("cites"), None);
    }

    #[test]
    fn year_table() {
        assert_eq!(resolution_year(1373), Some(2001));
        assert_eq!(resolution_year(1), Some(1946));
        assert_eq!(resolution_year(2178), Some(2014));
        assert_eq!(resolution_year(2253), Some(2015));
        assert_eq!(resolution_year(0), None);
        assert!(
            FIRST_OF_YEAR
                .windows(2)
                .all(|w| w[0].0 + 1 == w[1].0 && w[0].1 < w[1].1)
        );
    }

    #[test]
    fn non_ascii_text_and_spans() {
        let text = "Réaffirmant — recalling résolution\u{a0}1373\u{a0}(2001) and resolution 1624 (2005) «»";
        let refs = extract(text, None);
        assert_eq!(refs.len(), 1, "{refs:?}");
        assert_eq!(refs[0].target, "S/RES/1624 (2005)");
        for r in &refs {
            assert!(text.get(r.span.0..r.span.1).is_some());
        }
        let text = "recalling resolution\u{a0}1373\u{a0}(2001)";
        assert_eq!(targets(text, None), ["S/RES/1373 (2001)"]);
    }

    #[test]
    fn targets_in_every_form_a_user_types() {
        for form in [
            "1373",
            "1373 (2001)",
            "resolution 1373",
            "S/RES/1373",
            "S/RES/1373 (2001)",
            "s/res/1373",
        ] {
            assert_eq!(
                target_of(form).as_deref(),
                Some("S/RES/1373 (2001)"),
                "{form}"
            );
        }
        assert_eq!(
            target_of("S/PRST/2014/23").as_deref(),
            Some("S/PRST/2014/23")
        );
        assert_eq!(target_of("S/PV.8716").as_deref(), Some("S/PV.8716"));
        assert_eq!(target_of("terrorism"), None);
        assert_eq!(canonical("S/RES/1596"), "S/RES/1596 (2005)");
        assert_eq!(canonical("S/PRST/2014/23"), "S/PRST/2014/23");
    }

    #[test]
    fn continuations_without_a_reference() {
        // S/RES/1805 (2008), 1963 (2010), 2129 (2013): CTED renewed by a
        // clause naming no resolution.
        let c = continuation(
            "2. Decides that CTED will continue to operate as a special political mission under the policy guidance of the CTC for the period ending 31 December 2010 and further decides to conduct an interim review by 30 June 2009;",
        )
        .expect("a continuation");
        assert_eq!(c.kind, Kind::Extends);
        assert_eq!(c.subject, "CTED");
        let text = "Decides that CTED will continue to operate until 2017;";
        let c = continuation(text).expect("without a number");
        assert_eq!(&text[c.span.0..c.span.1], "will continue to operate");
        let c = continuation(
            "Decides to extend the mandate of the Monitoring Team for a period of 18 months;",
        )
        .expect("extend the mandate");
        assert_eq!(
            (c.kind, c.subject.as_str()),
            (Kind::Extends, "Monitoring Team")
        );
        let c = continuation("3. Decides further to renew the mandate of the Panel until 2020;")
            .expect("renew");
        assert_eq!((c.kind, c.subject.as_str()), (Kind::Renews, "Panel"));
        // S/RES/1535 (2004), 7: the act is not the clause's head.
        assert_eq!(
            continuation(
                "7. Stresses the importance of ensuring that the Committee continues to operate effectively, and in this regard, decides that the Committee will continue to operate with its present support structure until the CTED is operational;"
            ),
            None
        );
        // Not dated: no mandate kept going.
        assert_eq!(
            continuation("Decides that the Committee will continue to operate effectively;"),
            None
        );
        assert_eq!(
            continuation("Decides to remain seized of the matter."),
            None
        );
        assert_eq!(continuation(""), None);
        assert_eq!(continuation("2."), None);
        assert_eq!(
            continuation("(é) Décides that CTED will continue to operate until"),
            None
        );
    }
}
