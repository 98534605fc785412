//! Pages → one stream of lines without page furniture, shared by PDF
//! extraction and text files (PDF extractions saved as text, pages
//! separated by form feeds).
//!
//! Page furniture is what the printer puts on every page rather than what
//! the author wrote: the running header with the document symbol
//! ("S/RES/2134 (2014)"), the UN job number ("14-21894", "14-21894 (E)"),
//! its barcode ("*1421894*"), page numbers and counters ("3", "3/11",
//! "Page 3", "2/8 14-61606"), banners repeated on each page. Left in, it
//! would be indexed as words and glued into the paragraphs it interrupts.
//!
//! [`clean_pages`] removes it, joins the pages into one stream of lines
//! that remember their page (a paragraph broken by a page break becomes one
//! line again) and resolves line-end hyphens ([`dehyphenate`]).
//! [`text_pages`] splits a decoded text file into pages for it.

use std::collections::{HashMap, HashSet};

use crate::model::is_session_heading;
use crate::model::symbol::is_symbol;

/// Non-blank lines at the top and at the bottom of a page that may be
/// running headers or footers.
const FURNITURE_ZONE: usize = 3;

/// Pages cleaned by [`clean_pages`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanPages {
    /// The document's lines in order, each with the 1-based page it starts
    /// on. A blank line separates pages, except where a paragraph runs on
    /// across the break.
    pub lines: Vec<(String, u32)>,
    /// The document symbol read off the running header ("S/RES/2134
    /// (2014)", "S/2018/1177"), if there is one.
    pub symbol: Option<String>,
    /// What was removed as furniture, trimmed, with its page, in page
    /// order: for tracing and checking the rules.
    pub removed: Vec<(String, u32)>,
}

/// Splits decoded text into pages of lines at form feeds (`\f`), as
/// pdftotext and the UN's text exports write them. A form feed ending the
/// text (only whitespace after it) closes the last page rather than opening
/// an empty one. Text without a form feed is one page. Lines are kept as
/// they are (LF line ends are expected: see [`super::decode::decode`]).
pub fn text_pages(text: &str) -> Vec<Vec<String>> {
    let mut pages: Vec<&str> = text.split('\u{0C}').collect();
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
        .into_iter()
        .map(|page| page.lines().map(str::to_string).collect())
        .collect()
}

/// Removes page furniture, joins the pages and resolves line-end hyphens.
///
/// Contract:
/// - Furniture that cannot be anything else is removed on any page, even
///   from a single page (a text file without form feeds): a line holding
///   only a job number with its language tag ("14-21894 (E)", "14-21894*
///   (E) 251114") or a barcode ("*1421894*"), possibly with page counters;
///   and a line holding only a job number ("14-21894", "2/8 14-61606") that
///   such a line or barcode of the same document names. A job number with
///   its tag ending a line of text among the first or last three
///   non-blank lines of a page ("* Reissued for
///   technical reasons. 99-24859 (E)") is cut off that line.
/// - With two pages or more (that hold text), among the first or last
///   three non-blank lines of each page, also:
///   - a job number line without a tag ("14-21894", "14-21894 3/11",
///     "2 08-31865"), a page counter ("3/11"), "Page 3", "Page 3 of 11",
///     "- 3 -", "3 of 11", "[3]", a continuation mark "/...";
///   - a bare number that is the page's position, or off it by an offset
///     that two pages share (printed numbers of an excerpt or after a
///     cover): so a year such as "2014" alone on a line stays;
///   - the running symbol ("S/RES/2134 (2014)", also with "*" or
///     "Page 3" after it) when it appears on at least half of the pages
///     (and at least two), also on the first page as the masthead; with
///     "Page n" after it, even once;
///   - any other line whose digit-folded form ([`furniture_key`]) is on at
///     least half of the pages (and at least two) and that stands apart
///     from the text (its run of adjacent non-blank lines is at most two
///     long; a repeated paragraph is longer) and is not a session heading:
///     banners, running titles.
/// - A single page therefore keeps its page numbers, counters and symbol
///   lines: without other pages nothing shows they are furniture.
/// - Pages are joined by [`join_pages`]; [`dehyphenate`] then applies to
///   every page count (it only joins "letters-" at a line end with a
///   lowercase word on the next line).
pub fn clean_pages(mut pages: Vec<Vec<String>>) -> CleanPages {
    let (symbol, removed) = remove_furniture(&mut pages);
    let lines = dehyphenate(join_pages(&pages));
    CleanPages {
        lines,
        symbol,
        removed,
    }
}

/// A line with its digits folded, so "18-22123 (E) 2/6" and
/// "18-22123 (E) 3/6" are the same running footer.
pub fn furniture_key(line: &str) -> String {
    let mut key = String::with_capacity(line.len());
    let mut last_digit = false;
    for word in line.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        for c in word.chars() {
            if c.is_ascii_digit() {
                if !last_digit {
                    key.push('#');
                }
                last_digit = true;
            } else {
                key.push(c);
                last_digit = false;
            }
        }
        last_digit = false;
    }
    key
}

/// A page number other than a bare number, by its folded key: "- 3 -",
/// "3/6", "Page 3", "Page 3 of 6", "3 of 6", "[3]".
fn is_page_number(key: &str) -> bool {
    let k = key.to_lowercase();
    let k = k.strip_prefix("page ").unwrap_or(&k);
    matches!(
        k,
        "#" | "- # -" | "-#-" | "#/#" | "# / #" | "# of #" | "[#]"
    )
}

/// The symbol of a running-header line, and whether "Page n" followed it:
/// "S/RES/2134 (2014)", "S/RES/2134 (2014)*" (a reissue's masthead),
/// "S/RES/1044 (1996) Page 2", "S/2018/1177". `None` for anything else.
fn running_symbol(line: &str) -> Option<(String, bool)> {
    // Typed running heads of the 1990s: "S/RES/1153.(1998) English Page 3",
    // "S/RES/1231(1999))", "S/RES/1185/(1998)".
    let mended;
    let line = if line.contains("S/RES/") && line.contains('(') {
        mended = line
            .replace(".(", " (")
            .replace("/(", " (")
            .replace("))", ")")
            .replacen('(', " (", 1)
            .replace("  (", " (");
        mended.as_str()
    } else {
        line
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    let (words, paged) = match words.as_slice() {
        [head @ .., page, n]
            if page.eq_ignore_ascii_case("page") && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            // The language of the copy may come before "Page".
            match head {
                [rest @ .., language] if language.eq_ignore_ascii_case("english") => (rest, true),
                _ => (head, true),
            }
        }
        all => (all, false),
    };
    let symbol = match words {
        [symbol] => symbol.trim_end_matches('*').to_string(),
        [symbol, year] => {
            let year = year.trim_end_matches('*');
            let digits = year
                .strip_prefix('(')
                .and_then(|y| y.strip_suffix(')'))
                .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
            digits?;
            format!("{symbol} {year}")
        }
        _ => return None,
    };
    let bare = symbol.split(' ').next().unwrap_or_default();
    is_symbol(bare).then_some((symbol, paged))
}

/// What a line holding only furniture tokens is.
#[derive(Debug, PartialEq, Eq)]
enum Mark {
    /// A job number with its language tag ("14-21894 (E)") or a barcode,
    /// possibly with page counters: furniture anywhere. Holds the job
    /// numbers' digits.
    Tagged(Vec<String>),
    /// Job numbers without a tag, possibly with page counters ("14-21894",
    /// "2/8 14-61606"): their digits.
    Job(Vec<String>),
    /// A page number in a shape other than a bare number.
    Counter,
    /// A bare number.
    Number(u32),
    /// "/...": continued on the next page.
    Continued,
}

/// The digits of a job number token, "14-21894" or "14-21894*" →
/// "1421894".
fn job_number(token: &str) -> Option<String> {
    let token = token.strip_suffix('*').unwrap_or(token);
    let (year, serial) = token.split_once('-')?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    (digits(year, 2) && digits(serial, 5)).then(|| format!("{year}{serial}"))
}

/// The digits of a barcode token, "*1421894*" → "1421894".
fn barcode(token: &str) -> Option<String> {
    let digits = token.strip_prefix('*')?.strip_suffix('*')?;
    ((6..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.to_string())
}

/// A language tag after a job number: "(E)".
fn is_language_tag(token: &str) -> bool {
    let b = token.as_bytes();
    b.len() == 3 && b[0] == b'(' && b[1].is_ascii_uppercase() && b[2] == b')'
}

fn all_digits(token: &str, max: usize) -> bool {
    !token.is_empty() && token.len() <= max && token.bytes().all(|b| b.is_ascii_digit())
}

/// "3/11" with 1 ≤ 3 ≤ 11.
fn is_counter(token: &str) -> bool {
    let Some((n, m)) = token.split_once('/') else {
        return false;
    };
    if !(all_digits(n, 4) && all_digits(m, 4)) {
        return false;
    }
    let (Ok(n), Ok(m)) = (n.parse::<u32>(), m.parse::<u32>()) else {
        return false;
    };
    (1..=m).contains(&n)
}

/// Classifies a line made only of furniture (see [`Mark`]); `None` for a
/// line with anything else on it.
///
/// Tokens: job numbers ("14-21894", "14-21894*"), each optionally followed
/// by a language tag ("(E)") and after it date codes ("251114"); barcodes
/// ("*1421894*"); page counters ("3/11") and bare numbers ("3").
fn mark(line: &str) -> Option<Mark> {
    #[derive(PartialEq)]
    enum Last {
        Other,
        Job,
        TagOrDate,
    }
    let line = line.trim();
    if line == "/..." || line == "/\u{2026}" {
        return Some(Mark::Continued);
    }
    // The longest furniture line, "14-61606 (E) 251114 251114 *1461606*
    // 2/11", is far shorter: a cheap exit for the lines of the text.
    if line.len() > 80 {
        return None;
    }
    // Runs of backquotes are what some extractions make of a barcode
    // ("00-37227 (E) `````````").
    let tokens: Vec<&str> = line
        .split_whitespace()
        .filter(|t| !t.bytes().all(|b| b == b'`'))
        .collect();
    if let [single] = tokens.as_slice()
        && all_digits(single, 4)
    {
        return single.parse().ok().map(Mark::Number);
    }
    let mut jobs = Vec::new();
    let mut tagged = false;
    let mut counters = 0;
    let mut last = Last::Other;
    for token in &tokens {
        last = if let Some(job) = job_number(token) {
            jobs.push(job);
            Last::Job
        } else if let Some(code) = barcode(token) {
            jobs.push(code);
            tagged = true;
            Last::Other
        } else if last == Last::Job && is_language_tag(token) {
            tagged = true;
            Last::TagOrDate
        } else if last == Last::TagOrDate && token.len() == 6 && all_digits(token, 6) {
            Last::TagOrDate
        } else if is_counter(token) || all_digits(token, 4) {
            counters += 1;
            Last::Other
        } else {
            // "Page 3", "Page 3 of 11", "- 3 -", "3 of 11", "[3]".
            let key = furniture_key(line);
            let label = tokens.len() <= 4 && key != "#" && key != "#/#" && is_page_number(&key);
            return label.then_some(Mark::Counter);
        };
    }
    if tagged {
        Some(Mark::Tagged(jobs))
    } else if !jobs.is_empty() {
        Some(Mark::Job(jobs))
    } else {
        (counters == 1 && tokens.len() == 1).then_some(Mark::Counter)
    }
}

/// Where a tagged job number ends a line of text ("* Reissued for technical
/// reasons. 99-24859 (E)"): the byte offset where it starts.
fn trailing_tagged_job(line: &str) -> Option<usize> {
    let trimmed = line.trim_end();
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for word in trimmed.split(' ') {
        if !word.is_empty() {
            words.push((offset, word));
        }
        offset += word.len() + 1;
    }
    let mut end = words.len();
    while end > 0 && words[end - 1].1.len() == 6 && all_digits(words[end - 1].1, 6) {
        end -= 1;
    }
    let (job_at, job) = *words.get(end.checked_sub(2)?)?;
    let (_, tag) = *words.get(end - 1)?;
    let text_before = trimmed[..job_at].trim_end();
    (job_number(job).is_some() && is_language_tag(tag) && !text_before.is_empty())
        .then_some(text_before.len())
}

/// Indices of the first and last [`FURNITURE_ZONE`] non-blank lines.
fn zone(page: &[String]) -> Vec<usize> {
    let filled: Vec<usize> = (0..page.len())
        .filter(|&i| !page[i].trim().is_empty())
        .collect();
    let mut zone: Vec<usize> = filled.iter().take(FURNITURE_ZONE).copied().collect();
    zone.extend(filled.iter().rev().take(FURNITURE_ZONE));
    zone.sort_unstable();
    zone.dedup();
    zone
}

/// Length of the run of adjacent non-blank lines that line `i` is in.
fn run_len(page: &[String], i: usize) -> usize {
    let up = (0..i)
        .rev()
        .take_while(|&j| !page[j].trim().is_empty())
        .count();
    let down = (i + 1..page.len())
        .take_while(|&j| !page[j].trim().is_empty())
        .count();
    1 + up + down
}

/// The furniture rules of [`clean_pages`]: removes the furniture from
/// `pages`; returns the symbol and what was removed.
fn remove_furniture(pages: &mut [Vec<String>]) -> (Option<String>, Vec<(String, u32)>) {
    let filled_pages = pages
        .iter()
        .filter(|p| p.iter().any(|l| !l.trim().is_empty()))
        .count();
    let several = filled_pages >= 2;
    let needed = filled_pages.div_ceil(2).max(2);
    let zones: Vec<Vec<usize>> = pages.iter().map(|p| zone(p)).collect();

    // Evidence gathered over the whole document first.
    let mut known_jobs: HashSet<String> = HashSet::new();
    for line in pages.iter().flatten() {
        if let Some(Mark::Tagged(jobs)) = mark(line) {
            known_jobs.extend(jobs);
        }
    }
    let mut pages_with: HashMap<String, usize> = HashMap::new();
    let mut symbol_pages: HashMap<String, usize> = HashMap::new();
    let mut offsets: HashMap<i64, usize> = HashMap::new();
    for (p, page) in pages.iter().enumerate() {
        let zone = &zones[p];
        let keys: HashSet<String> = zone.iter().map(|&i| furniture_key(&page[i])).collect();
        for key in keys {
            *pages_with.entry(key).or_default() += 1;
        }
        let symbols: HashSet<String> = zone
            .iter()
            .filter_map(|&i| running_symbol(&page[i]))
            .map(|(s, _)| s)
            .collect();
        for symbol in symbols {
            *symbol_pages.entry(symbol).or_default() += 1;
        }
        let numbers: HashSet<i64> = zone
            .iter()
            .filter_map(|&i| match mark(&page[i]) {
                Some(Mark::Number(n)) => Some(i64::from(n) - (p as i64 + 1)),
                _ => None,
            })
            .collect();
        for offset in numbers {
            *offsets.entry(offset).or_default() += 1;
        }
    }
    // The running symbol: the most frequent one on enough pages (the first
    // seen on a tie).
    let mut confirmed: Option<(String, usize)> = None;
    for (p, page) in pages.iter().enumerate() {
        for &i in &zones[p] {
            if let Some((s, _)) = running_symbol(&page[i]) {
                let count = symbol_pages.get(&s).copied().unwrap_or(0);
                if count >= needed && confirmed.as_ref().is_none_or(|(_, c)| count > *c) {
                    confirmed = Some((s, count));
                }
            }
        }
    }
    let confirmed = confirmed.map(|(s, _)| s);
    let mut symbol = confirmed.clone();

    let mut removed = Vec::new();
    for (p, page) in pages.iter_mut().enumerate() {
        let number = p as u32 + 1;
        let zone: HashSet<usize> = zones[p].iter().copied().collect();
        let mut drop = vec![false; page.len()];
        for i in 0..page.len() {
            let line = page[i].trim();
            if line.is_empty() {
                continue;
            }
            let in_zone = zone.contains(&i);
            let furniture = match mark(line) {
                Some(Mark::Tagged(_)) => true,
                Some(Mark::Job(jobs)) => {
                    jobs.iter().all(|j| known_jobs.contains(j)) || (several && in_zone)
                }
                Some(Mark::Counter | Mark::Continued) => several && in_zone,
                Some(Mark::Number(n)) => {
                    let offset = i64::from(n) - i64::from(number);
                    several
                        && in_zone
                        && (offset == 0 || offsets.get(&offset).is_some_and(|&c| c >= 2))
                }
                None if several && in_zone => {
                    let running = running_symbol(line)
                        .filter(|(s, paged)| *paged || confirmed.as_deref() == Some(s.as_str()));
                    if let Some((s, _)) = running {
                        symbol.get_or_insert(s);
                        true
                    } else {
                        let key = furniture_key(line);
                        let repeats = pages_with.get(&key).copied().unwrap_or(0) >= needed;
                        let generic = repeats && !is_session_heading(line) && run_len(page, i) <= 2;
                        if generic && is_symbol(line) {
                            symbol.get_or_insert_with(|| line.to_string());
                        }
                        generic
                    }
                }
                None => false,
            };
            if furniture {
                drop[i] = true;
                removed.push((line.to_string(), number));
            } else if in_zone && let Some(cut) = trailing_tagged_job(&page[i]) {
                removed.push((page[i][cut..].trim().to_string(), number));
                page[i].truncate(cut);
            }
        }
        let mut i = 0;
        page.retain(|_| {
            i += 1;
            !drop[i - 1]
        });
    }
    (symbol, removed)
}

/// One stream of (line, page) for the whole document. Leading and trailing
/// blank lines of a page are dropped; a blank line separates pages unless
/// the page ends mid-sentence (no final ".", ":", ";", "?", "!") and the
/// next starts in lowercase: then the paragraph broken by the page runs on,
/// its two halves one line on the page where it starts (or two lines when
/// the break is after a hyphen, for [`dehyphenate`] to judge).
pub fn join_pages(pages: &[Vec<String>]) -> Vec<(String, u32)> {
    let mut lines: Vec<(String, u32)> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let number = i as u32 + 1;
        let start = page.iter().position(|l| !l.trim().is_empty());
        let end = page.iter().rposition(|l| !l.trim().is_empty());
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        let mut body = page[start..=end].iter();
        let first = body.next().map(String::as_str).unwrap_or_default();
        let continues = lines.last().is_some_and(|(last, _)| {
            let open = !last.trim_end().ends_with(['.', ':', ';', '?', '!']);
            let lower = first.trim_start().starts_with(char::is_lowercase);
            !last.trim().is_empty() && open && lower
        });
        match lines.last_mut() {
            Some((last, _)) if continues && !last.trim_end().ends_with('-') => {
                let kept = last.trim_end().len();
                last.truncate(kept);
                last.push(' ');
                last.push_str(first.trim_start());
            }
            Some(_) if continues => lines.push((first.to_string(), number)),
            Some(_) => {
                lines.push((String::new(), number));
                lines.push((first.to_string(), number));
            }
            None => lines.push((first.to_string(), number)),
        }
        lines.extend(body.map(|l| (l.clone(), number)));
    }
    lines
}

/// Prefixes that usually make a compound with a hyphen ("counter-terrorism",
/// "so-called"), used when the document gives no evidence either way.
const COMPOUND_PREFIXES: &[&str] = &[
    "counter", "anti", "non", "self", "cross", "cyber", "ex", "multi", "co", "so", "semi", "socio",
    "well", "quasi", "pan", "ill", "all", "follow", "post", "pre",
];

/// The words of a line with their hyphens, lowercased: "Counter-Terrorism
/// Committee's" → "counter-terrorism", "committee".
fn words(line: &str) -> impl Iterator<Item = String> + '_ {
    line.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Resolves words split by a hyphen at a line end ("traf-" / "ficking").
///
/// The next line is moved up onto the first, the split word joined or
/// hyphenated:
/// - hyphenated if the hyphenated form is written elsewhere in the
///   document, else joined if the joined form is;
/// - without evidence, hyphenated after a common compounding prefix
///   ([`COMPOUND_PREFIXES`]) or when the first part is already a compound
///   ("whole-of-" / "society"), joined otherwise (a typesetter's break).
///
/// Either way the whole word stays findable: the analyzer also indexes a
/// hyphenated word under its joined form ("counterterrorism").
/// Only a line ending in `letters-` followed by a line of the same block
/// starting with a lowercase letter is considered.
pub fn dehyphenate(lines: Vec<(String, u32)>) -> Vec<(String, u32)> {
    let vocabulary: HashSet<String> = lines.iter().flat_map(|(l, _)| words(l)).collect();
    let mut out: Vec<(String, u32)> = Vec::with_capacity(lines.len());
    let mut iter = lines.into_iter().peekable();
    while let Some((mut line, page)) = iter.next() {
        while let Some(stem_end) = line.strip_suffix('-').map(str::len) {
            let head = &line[..stem_end];
            let stem_start = head
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_alphabetic())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let stem = &head[stem_start..];
            let compound = head[..stem_start].ends_with('-');
            let Some((next, _)) = iter.peek() else {
                break;
            };
            let next_trim = next.trim_start();
            let rest_len: usize = next_trim
                .chars()
                .take_while(|c| c.is_alphabetic())
                .map(char::len_utf8)
                .sum();
            let rest = &next_trim[..rest_len];
            let lower_start = rest.starts_with(char::is_lowercase);
            if stem.chars().count() < 2 || rest.is_empty() || !lower_start {
                break;
            }
            let joined = format!("{stem}{rest}").to_lowercase();
            let hyphenated = format!("{stem}-{rest}").to_lowercase();
            let keep = if vocabulary.contains(&hyphenated) {
                true
            } else if vocabulary.contains(&joined) {
                false
            } else {
                compound || COMPOUND_PREFIXES.contains(&stem.to_lowercase().as_str())
            };
            let mut merged = if keep {
                line.clone()
            } else {
                line[..stem_end].to_string()
            };
            // The whole next line moves up, not only the word's end: the
            // lines of a block are joined anyway, and what follows the word
            // ("— so-called …") must not be read as the start of a list item.
            merged.push_str(next_trim);
            line = merged;
            iter.next();
        }
        out.push((line, page));
    }
    out
}

/// Puts blank lines around session headings, so that a heading drawn
/// without extra space before or after it still starts a session. Not part
/// of [`clean_pages`]: it changes the text's blocks, which a caller may
/// not want (the PDF extractor does).
pub fn separate_headings(lines: Vec<(String, u32)>) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::with_capacity(lines.len());
    let mut after_heading = false;
    for (line, page) in lines {
        let heading = is_session_heading(&line);
        let blank = line.trim().is_empty();
        if (heading || after_heading)
            && !blank
            && out.last().is_some_and(|(l, _)| !l.trim().is_empty())
        {
            out.push((String::new(), page));
        }
        after_heading = heading;
        out.push((line, page));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(String, u32)> {
        text.lines().map(|l| (l.to_string(), 1)).collect()
    }

    fn text(lines: &[(String, u32)]) -> String {
        lines
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn removed(clean: &CleanPages) -> Vec<(&str, u32)> {
        clean
            .removed
            .iter()
            .map(|(l, p)| (l.as_str(), *p))
            .collect()
    }

    fn filled(clean: &CleanPages) -> Vec<(&str, u32)> {
        clean
            .lines
            .iter()
            .filter(|(l, _)| !l.trim().is_empty())
            .map(|(l, p)| (l.as_str(), *p))
            .collect()
    }

    /// Test fixture in the shape of a UN resolution extracted from its PDF
    /// (as S/RES/2134 (2014) is): masthead, footnote, job number and
    /// barcode on page 1; running symbol, job number and page counters on
    /// the others; a list item running on from page 2 to page 3.
    const RESOLUTION: &str = "United Nations\nSecurity Council\n\nS/RES/2134 (2014)*\n\
        Distr.: General 28 January 2014\n\nResolution 2134 (2014)\n\
        Adopted by the Security Council at its 7103rd meeting, on 28 January 2014\n\
        The Security Council,\n\
        Recalling its previous resolutions 2121 (2013) and 2127 (2013),\n\
        * Reissued for technical reasons on 4 March 2014.\n14-21894* (E)\n*1421894*\n\n\
        \u{c}S/RES/2134 (2014)\n\
        1. Decides to extend the mandate of BINUCA until 31 January 2015;\n\
        2. Decides that the mandate of BINUCA shall be reinforced as follows:\n\
        - To make all necessary preparations for elections, including the participation of\n\
        \n2/3\n\n14-21894\n\n\
        \u{c}14-21894\n\nS/RES/2134 (2014)\n\
        women, as soon as possible;\n\
        3. Decides to remain seized of the matter.\n\
        14-21894\n\n3/3\n\n\u{c}";

    #[test]
    fn text_is_split_into_pages_at_form_feeds() {
        let pages = text_pages(RESOLUTION);
        assert_eq!(pages.len(), 3, "the final form feed opens no page");
        assert_eq!(pages[1][0], "S/RES/2134 (2014)");
        assert_eq!(pages[2][0], "14-21894");
        assert_eq!(text_pages("one\ntwo\n"), [vec!["one", "two"]]);
        assert_eq!(text_pages("a\n\u{c}\u{c}b"), [vec!["a"], vec![], vec!["b"]]);
        assert_eq!(text_pages(""), [Vec::<String>::new()]);
    }

    #[test]
    fn resolution_furniture_goes_and_the_text_stays() {
        let clean = clean_pages(text_pages(RESOLUTION));
        assert_eq!(clean.symbol.as_deref(), Some("S/RES/2134 (2014)"));
        assert_eq!(
            removed(&clean),
            [
                ("S/RES/2134 (2014)*", 1),
                ("14-21894* (E)", 1),
                ("*1421894*", 1),
                ("S/RES/2134 (2014)", 2),
                ("2/3", 2),
                ("14-21894", 2),
                ("14-21894", 3),
                ("S/RES/2134 (2014)", 3),
                ("14-21894", 3),
                ("3/3", 3),
            ]
        );
        let kept = filled(&clean);
        assert_eq!(kept[0], ("United Nations", 1));
        assert!(kept.contains(&("Distr.: General 28 January 2014", 1)));
        assert!(kept.contains(&("* Reissued for technical reasons on 4 March 2014.", 1)));
        assert!(kept.contains(&(
            "1. Decides to extend the mandate of BINUCA until 31 January 2015;",
            2
        )));
        // The list item broken by the page is one line, on its first page.
        assert!(
            kept.contains(&(
                "- To make all necessary preparations for elections, including the participation of women, as soon as possible;",
                2
            )),
            "{kept:#?}"
        );
        assert_eq!(
            kept.last(),
            Some(&("3. Decides to remain seized of the matter.", 3))
        );
        // Pages are separated by a blank line where no paragraph runs on.
        let break_1_2 = clean.lines.iter().position(|(_, p)| *p == 2);
        assert!(break_1_2.is_some_and(|i| clean.lines[i].0.is_empty()));
    }

    #[test]
    fn a_single_page_loses_only_unambiguous_furniture() {
        // The same resolution saved without form feeds.
        let flat = RESOLUTION.replace('\u{c}', "");
        let pages = text_pages(&flat);
        assert_eq!(pages.len(), 1);
        let clean = clean_pages(pages);
        assert_eq!(
            removed(&clean),
            [
                ("14-21894* (E)", 1),
                ("*1421894*", 1),
                ("14-21894", 1),
                ("14-21894", 1),
                ("14-21894", 1),
            ]
        );
        let kept = filled(&clean);
        assert!(kept.contains(&("S/RES/2134 (2014)*", 1)));
        assert!(kept.contains(&("2/3", 1)) && kept.contains(&("3/3", 1)));
        assert_eq!(clean.symbol, None);
        // A job number no tag or barcode names is kept on a single page.
        let clean = clean_pages(vec![vec!["Ref. below".into(), "14-21894".into()]]);
        assert!(clean.removed.is_empty());
    }

    #[test]
    fn old_style_resolution_furniture() {
        // Test fixture in the shape of the 1990s resolutions: "S/RES/1044
        // (1996) Page 2" headers, "/..." continuation marks, the job number
        // at the end of the footnote line.
        let pages = text_pages(
            "UNITED NATIONS\nSecurity Council\nS\nDistr. GENERAL S/RES/1044 (1996) 31 January 1996\n\
             The Security Council,\n1. Demands that the Government of the Sudan comply;\n\
             * Reissued for technical reasons. 96-02172 (E)\n/...\n\
             \u{c}S/RES/1044 (1996) Page 2\n2. Decides to remain seized of the matter.\n-----\n\u{c}",
        );
        let clean = clean_pages(pages);
        assert_eq!(clean.symbol.as_deref(), Some("S/RES/1044 (1996)"));
        assert_eq!(
            removed(&clean),
            [
                ("96-02172 (E)", 1),
                ("/...", 1),
                ("S/RES/1044 (1996) Page 2", 2)
            ]
        );
        let kept = filled(&clean);
        assert!(kept.contains(&("* Reissued for technical reasons.", 1)));
        assert!(kept.contains(&("Distr. GENERAL S/RES/1044 (1996) 31 January 1996", 1)));
    }

    #[test]
    fn page_numbers_but_not_numbers() {
        let page = |n: &str, body: &[&str]| -> Vec<String> {
            let mut page: Vec<String> = body.iter().map(|l| l.to_string()).collect();
            page.push(n.to_string());
            page
        };
        // Printed numbers 41-43 (an excerpt); a year and a numbered
        // paragraph at the bottom of a page stay.
        let pages = vec![
            page("41", &["Text one.", "2014"]),
            page("42", &["Text two.", "3. Decides to remain seized."]),
            page("43", &["Text three."]),
            vec!["Text four.".into(), "2014".into()],
        ];
        let clean = clean_pages(pages);
        assert_eq!(removed(&clean), [("41", 1), ("42", 2), ("43", 3)]);
        assert!(filled(&clean).contains(&("2014", 1)));
        assert!(filled(&clean).contains(&("2014", 4)));
        assert!(filled(&clean).contains(&("3. Decides to remain seized.", 2)));
        // Numbers, counters and "Page n" at their page.
        let pages = vec![
            vec!["Text one.".into(), "1".into()],
            vec!["Page 2".into(), "Text two.".into(), "- 2 -".into()],
            vec!["Text three.".into(), "3 of 3".into(), "9/4".into()],
        ];
        let clean = clean_pages(pages);
        assert_eq!(
            removed(&clean),
            [("1", 1), ("Page 2", 2), ("- 2 -", 2), ("3 of 3", 3)]
        );
    }

    #[test]
    fn furniture_lines_are_recognised() {
        for line in [
            "14-21894",
            "14-21894*",
            "2/8 14-61606",
            "14-21894 3/11",
            "2 08-31865",
            "08-31865 3",
        ] {
            assert!(matches!(mark(line), Some(Mark::Job(_))), "{line}");
        }
        for line in [
            "14-61606 (E)",
            "14-21894* (E)",
            "14-61606 (E) 251114",
            "14-61606 (E)    251114    251114",
            "*1421894*",
            "2/8 14-61606 (E)",
            "18-22123 (E)    2",
        ] {
            assert!(matches!(mark(line), Some(Mark::Tagged(_))), "{line}");
        }
        for line in ["3/11", "Page 3", "Page 3 of 11", "- 3 -", "3 of 11", "[3]"] {
            assert_eq!(mark(line), Some(Mark::Counter), "{line}");
        }
        assert_eq!(mark("3"), Some(Mark::Number(3)));
        assert_eq!(mark("/..."), Some(Mark::Continued));
        for line in [
            "3. Decides to remain seized of the matter.",
            "2014-2015",
            "11/9",
            "(E)",
            "251114",
            "in 2014 and 2015",
            "Resolution 2134 (2014)",
            "12345",
            "",
        ] {
            assert_eq!(mark(line), None, "{line}");
        }
        assert_eq!(
            mark("14-21894 (E)"),
            Some(Mark::Tagged(vec!["1421894".to_string()]))
        );
        assert_eq!(
            trailing_tagged_job("* Reissued for technical reasons. 99-24859 (E)"),
            Some("* Reissued for technical reasons.".len())
        );
        assert_eq!(trailing_tagged_job("14-21894 (E)"), None);
        assert_eq!(trailing_tagged_job("as in document 14-21894"), None);
    }

    #[test]
    fn symbols() {
        // The symbol's own shape is tested in `model::symbol`.
        let symbol = |l| running_symbol(l);
        assert_eq!(
            symbol("S/RES/2134 (2014)*"),
            Some(("S/RES/2134 (2014)".into(), false))
        );
        assert_eq!(
            symbol("S/RES/1044 (1996) Page 2"),
            Some(("S/RES/1044 (1996)".into(), true))
        );
        assert_eq!(symbol("S/2018/1177"), Some(("S/2018/1177".into(), false)));
        assert_eq!(symbol("Resolution 2134 (2014)"), None);
        assert_eq!(symbol("S/RES/2134 (2014) and more"), None);
    }

    #[test]
    fn hyphens_by_evidence() {
        let out = dehyphenate(lines(
            "the traf-\nficking of arms and counter-\nterrorism work\nwhole-of-\nsociety and so-\ncalled\nreturnees",
        ));
        assert_eq!(
            text(&out),
            "the trafficking of arms and counter-terrorism work\nwhole-of-society and so-called\nreturnees"
        );
        // Evidence wins over the prefix list, both ways.
        let out = dehyphenate(lines(
            "nonproliferation matters; the non-\nproliferation regime",
        ));
        assert!(
            text(&out).contains("the nonproliferation regime"),
            "{}",
            text(&out)
        );
        let out = dehyphenate(lines("a data-driven policy, data-\ndriven"));
        assert!(text(&out).ends_with("data-driven"), "{}", text(&out));
    }

    #[test]
    fn running_header_footer_and_page_numbers_go() {
        let page = |n: u32, body: &str| -> Vec<String> {
            format!(
                "\n\nS/2018/1177\n\n18-22123 (E)    {n}\n\n{body}\n\nTest fixture banner\n\n{n}"
            )
            .lines()
            .map(str::to_string)
            .collect()
        };
        let pages = vec![
            page(1, "Session 1\nText one."),
            page(2, "Session 2\nText two."),
            page(3, "Session 3\nText three."),
        ];
        let clean = clean_pages(pages);
        assert_eq!(clean.symbol.as_deref(), Some("S/2018/1177"));
        assert_eq!(
            filled(&clean),
            [
                ("Session 1", 1),
                ("Text one.", 1),
                ("Session 2", 2),
                ("Text two.", 2),
                ("Session 3", 3),
                ("Text three.", 3)
            ]
        );
    }

    #[test]
    fn a_repeated_paragraph_is_not_furniture() {
        let body =
            "The Committee took note of the report\nand reaffirmed that terrorism\nis a threat.";
        let pages: Vec<Vec<String>> = (0..4)
            .map(|_| body.lines().map(str::to_string).collect())
            .collect();
        let clean = clean_pages(pages);
        assert!(clean.removed.is_empty());
        assert_eq!(filled(&clean).len(), 12);
    }

    #[test]
    fn paragraphs_run_on_over_page_breaks() {
        let pages = vec![
            vec!["".to_string(), "It was agreed that".to_string()],
            vec!["the work continues.".to_string(), "".to_string()],
            vec!["Session 2".to_string()],
            vec!["The traf-".to_string()],
            vec!["ficking ends.".to_string()],
        ];
        let joined = join_pages(&pages);
        let shown: Vec<(&str, u32)> = joined.iter().map(|(l, p)| (l.as_str(), *p)).collect();
        assert_eq!(
            shown,
            [
                ("It was agreed that the work continues.", 1),
                ("", 3),
                ("Session 2", 3),
                ("", 4),
                ("The traf-", 4),
                ("ficking ends.", 5)
            ]
        );
        let clean = clean_pages(pages);
        assert_eq!(
            clean.lines.last(),
            Some(&("The trafficking ends.".to_string(), 4))
        );
    }

    #[test]
    fn no_panic_on_odd_lines() {
        let odd = [
            "",
            " ",
            "*",
            "**",
            "-",
            "/",
            "(",
            "()",
            "Page",
            "Page x",
            "\u{e9}/\u{e9}",
            "9999/9999",
            "0/0",
        ];
        let pages: Vec<Vec<String>> = (0..3)
            .map(|_| odd.iter().map(|l| l.to_string()).collect())
            .collect();
        let _ = clean_pages(pages);
        let _ = clean_pages(Vec::new());
        let _ = clean_pages(vec![Vec::new()]);
    }
}
