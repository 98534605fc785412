//! PDF → briefing: text page by page with pdf-extract, then the layout work
//! pdf-extract leaves to us.
//!
//! 1. Each page is extracted on its own ([`page_texts`]), so a panic or an
//!    error loses that page only. A page whose Form XObjects form a cycle is
//!    not extracted at all: pdf-extract would recurse until the stack
//!    overflows, which aborts the process.
//! 2. Page furniture is removed ([`remove_furniture`]): lines that repeat at
//!    the top or bottom of most pages (symbol, job number, "Test fixture"
//!    banners) and bare page numbers.
//! 3. Pages are joined into one stream of lines that remember their page; a
//!    paragraph running on over a page break stays one paragraph.
//! 4. Line-end hyphens are resolved by evidence ([`dehyphenate`]).
//! 5. Session headings get blank lines around them, then the plain-text
//!    rules of [`crate::model::parse_lines`] build sessions and passages.
//!
//! Metadata: title and date from the Info dictionary, else from the first
//! page; the document symbol from the running header.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Dictionary, Document, Object, ObjectId, PlainTextOutput};

use super::{Content, Extracted, clean_invisible, find_date, panic_message};
use crate::model::{Metadata, is_session_heading};

/// Skip reason of a PDF whose pages hold no text.
pub const NO_TEXT: &str = "no extractable text (scanned? run OCR first)";

/// Form XObjects nested deeper than this are treated like a cycle.
const MAX_XOBJECT_DEPTH: usize = 32;

/// Non-blank lines at the top and at the bottom of a page that may be
/// running headers or footers.
const FURNITURE_ZONE: usize = 3;

/// Extracts a PDF. `Err` is the reason to skip it: unreadable (truncated,
/// malformed), encrypted with a password, or without any text.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let mut doc = catch_unwind(|| Document::load_mem(bytes))
        .map_err(|p| {
            format!(
                "unreadable PDF (parser crashed: {})",
                panic_message(p.as_ref())
            )
        })?
        .map_err(|e| format!("unreadable PDF, truncated or malformed ({e})"))?;
    if doc.is_encrypted() {
        // Files protected by an owner password only open with an empty
        // user password; anything else needs a password we do not have.
        doc.decrypt("")
            .map_err(|_| "encrypted PDF (a password is needed to open it)".to_string())?;
    }
    let pages = page_texts(&doc);
    if pages.is_empty() {
        return Err("unreadable PDF (no pages)".into());
    }
    let failed: Vec<u32> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(i, _)| i as u32 + 1)
        .collect();
    let pages: Vec<Vec<String>> = pages
        .into_iter()
        .map(|p| {
            clean_invisible(&p.unwrap_or_default())
                .lines()
                .map(|l| l.trim_end().to_string())
                .collect()
        })
        .collect();
    let has_text = pages.iter().flatten().any(|l| !l.trim().is_empty());
    if !has_text {
        if failed.len() == pages.len() {
            return Err("unreadable PDF (its fonts or page content are damaged)".into());
        }
        return Err(NO_TEXT.into());
    }
    let (pages, symbol) = remove_furniture(pages);
    let lines = join_pages(&pages);
    let lines = dehyphenate(lines);
    let lines = separate_headings(lines);
    if lines.iter().all(|(l, _)| l.trim().is_empty()) {
        return Err(NO_TEXT.into());
    }
    let info = Metadata {
        title: info_string(&doc, b"Title").filter(|t| useful_title(t)),
        date: info_string(&doc, b"CreationDate").and_then(|d| pdf_date(&d)),
        symbol,
        ..Metadata::default()
    };
    let meta = info.or(first_page_metadata(&pages));
    let warning = (!failed.is_empty()).then(|| {
        let list: Vec<String> = failed.iter().map(u32::to_string).collect();
        format!(
            "the text of page(s) {} could not be extracted; the rest is indexed",
            list.join(", ")
        )
    });
    Ok(Extracted {
        content: Content::Lines(lines.into_iter().map(|(l, p)| (l, Some(p))).collect()),
        meta,
        warning,
    })
}

/// The text of every page in page order; `None` for a page that failed
/// (error, panic, or an XObject cycle).
fn page_texts(doc: &Document) -> Vec<Option<String>> {
    doc.get_pages()
        .iter()
        .map(|(&number, &page_id)| {
            if form_xobject_cycle(doc, page_id) {
                return None;
            }
            // Why per page rather than `extract_text_from_mem_by_pages`:
            // that stops silently at the first failing page and does not
            // isolate panics (pdf-extract panics on broken character maps).
            catch_unwind(AssertUnwindSafe(|| {
                let mut text = String::new();
                pdf_extract::output_doc_page(doc, &mut PlainTextOutput::new(&mut text), number)
                    .map(|()| text)
            }))
            .ok()
            .and_then(Result::ok)
        })
        .collect()
}

/// A string of the Info dictionary, decoded (PDFDocEncoding or UTF-16).
fn info_string(doc: &Document, key: &[u8]) -> Option<String> {
    let info = match doc.trailer.get(b"Info").ok()? {
        Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    let text = pdf_extract::decode_text_string(info.get(key).ok()?).ok()?;
    let text = clean_invisible(text.trim_matches(|c: char| c.is_whitespace() || c == '\0'));
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Whether an Info title names the document rather than the file it was
/// made from ("Microsoft Word - 1822123.docx", "untitled").
fn useful_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    let file_like = [".doc", ".docx", ".pdf", ".rtf", ".odt", ".indd", ".tmp"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    !(file_like || lower.starts_with("microsoft word") || lower == "untitled" || lower.len() < 3)
}

/// "D:20181221150400-05'00'" → "2018-12-21"; "D:2018" → "2018-01-01" is not
/// claimed: a year alone gives "2018".
fn pdf_date(raw: &str) -> Option<String> {
    let digits: String = raw
        .trim()
        .trim_start_matches("D:")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let year: u32 = digits.get(..4)?.parse().ok()?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    let (Some(month), Some(day)) = (digits.get(4..6), digits.get(6..8)) else {
        return Some(format!("{year:04}"));
    };
    let (m, d): (u32, u32) = (month.parse().ok()?, day.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{year:04}-{m:02}-{d:02}"))
}

/// Title and date read off the first page: its first line if that reads
/// like a title (short, not a sentence, not a session heading or list
/// item), and the first date written on the page.
///
/// Only the first line: the extracted text does not show where a title
/// drawn in a larger font ends and the text begins, and half a title is
/// better than a title with a paragraph glued to it.
fn first_page_metadata(pages: &[Vec<String>]) -> Metadata {
    let Some(first) = pages.first() else {
        return Metadata::default();
    };
    let line = first
        .iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let title_like = line.chars().count() >= 3
        && line.chars().count() <= 200
        && !line.ends_with(['.', ',', ';'])
        && !is_session_heading(&line)
        && !line.starts_with(|c: char| c.is_ascii_digit() || "•-–—·*(".contains(c));
    Metadata {
        title: title_like.then_some(line),
        date: find_date(&first.join("\n")),
        ..Metadata::default()
    }
}

/// A line with its digits folded, so "18-22123 (E) 2/6" and
/// "18-22123 (E) 3/6" are the same running footer.
fn furniture_key(line: &str) -> String {
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

/// A bare page number: "3", "- 3 -", "3/6", "Page 3", "Page 3 of 6".
fn is_page_number(key: &str) -> bool {
    let k = key.to_lowercase();
    let k = k.strip_prefix("page ").unwrap_or(&k);
    matches!(
        k,
        "#" | "- # -" | "-#-" | "#/#" | "# / #" | "# of #" | "[#]"
    )
}

/// A document symbol such as "S/2018/1177" or "A/73/L.12".
fn is_symbol(line: &str) -> bool {
    let mut parts = line.split('/');
    let Some(organ) = parts.next() else {
        return false;
    };
    let rest: Vec<&str> = parts.collect();
    !organ.is_empty()
        && organ.len() <= 10
        && organ.chars().all(|c| c.is_ascii_uppercase())
        && !rest.is_empty()
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || ".-".contains(c))
        })
}

/// Removes running headers and footers and bare page numbers.
///
/// A line is furniture when it lies among the first or last
/// [`FURNITURE_ZONE`] non-blank lines of its page and
/// - its digit-folded form ([`furniture_key`]) is in that zone on at least
///   half of the pages (and at least two), it is not a session heading, and
///   it stands apart from the text: the run of adjacent non-blank lines it
///   belongs to is at most two lines long (a header line and a banner may
///   sit together; a paragraph that happens to repeat is longer); or
/// - it is a bare page number standing alone.
///
/// Returns the pages without furniture and the document symbol if a
/// furniture line was one.
fn remove_furniture(pages: Vec<Vec<String>>) -> (Vec<Vec<String>>, Option<String>) {
    let zone = |page: &[String]| -> Vec<usize> {
        let filled: Vec<usize> = (0..page.len())
            .filter(|&i| !page[i].trim().is_empty())
            .collect();
        let mut zone: Vec<usize> = filled.iter().take(FURNITURE_ZONE).copied().collect();
        zone.extend(filled.iter().rev().take(FURNITURE_ZONE));
        zone.sort_unstable();
        zone.dedup();
        zone
    };
    let mut pages_with: HashMap<String, usize> = HashMap::new();
    for page in &pages {
        let keys: HashSet<String> = zone(page)
            .into_iter()
            .map(|i| furniture_key(&page[i]))
            .collect();
        for key in keys {
            *pages_with.entry(key).or_default() += 1;
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    let mut symbol = None;
    let mut out = Vec::with_capacity(pages.len());
    for page in pages {
        let run_len = |i: usize| {
            let up = (0..i)
                .rev()
                .take_while(|&j| !page[j].trim().is_empty())
                .count();
            let down = (i + 1..page.len())
                .take_while(|&j| !page[j].trim().is_empty())
                .count();
            1 + up + down
        };
        let mut drop = HashSet::new();
        for i in zone(&page) {
            let line = page[i].trim();
            let key = furniture_key(line);
            let repeats = pages_with.get(&key).copied().unwrap_or(0) >= needed;
            let running = repeats && !is_session_heading(line) && run_len(i) <= 2;
            let page_number = is_page_number(&key) && run_len(i) == 1;
            if running || page_number {
                if running && symbol.is_none() && is_symbol(line) {
                    symbol = Some(line.to_string());
                }
                drop.insert(i);
            }
        }
        out.push(
            page.into_iter()
                .enumerate()
                .filter(|(i, _)| !drop.contains(i))
                .map(|(_, l)| l)
                .collect(),
        );
    }
    (out, symbol)
}

/// One stream of (line, page) for the whole document. Leading and trailing
/// blank lines of a page are dropped; a blank line separates pages unless
/// the page ends mid-sentence and the next starts in lowercase, so a
/// paragraph broken by the page stays one paragraph.
fn join_pages(pages: &[Vec<String>]) -> Vec<(String, u32)> {
    let mut lines: Vec<(String, u32)> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let number = i as u32 + 1;
        let start = page.iter().position(|l| !l.trim().is_empty());
        let end = page.iter().rposition(|l| !l.trim().is_empty());
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        let body = &page[start..=end];
        let continues = lines.last().is_some_and(|(last, _)| {
            let open = !last.trim_end().ends_with(['.', ':', ';', '?', '!']);
            let lower = body[0].trim_start().starts_with(char::is_lowercase);
            open && lower
        });
        if !lines.is_empty() && !continues {
            lines.push((String::new(), number));
        }
        lines.extend(body.iter().map(|l| (l.clone(), number)));
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
fn dehyphenate(lines: Vec<(String, u32)>) -> Vec<(String, u32)> {
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
/// without extra space before or after it still starts a session.
fn separate_headings(lines: Vec<(String, u32)>) -> Vec<(String, u32)> {
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

/// Whether a page's Form XObjects refer to each other in a cycle or nest
/// deeper than [`MAX_XOBJECT_DEPTH`]: pdf-extract would recurse without
/// end, and a stack overflow aborts the process (no `catch_unwind`).
fn form_xobject_cycle(doc: &Document, page: ObjectId) -> bool {
    fn dict_or_ref<'a>(doc: &'a Document, o: Option<&'a Object>) -> Option<&'a Dictionary> {
        match o? {
            Object::Reference(id) => doc.get_dictionary(*id).ok(),
            Object::Dictionary(d) => Some(d),
            _ => None,
        }
    }
    fn walk(doc: &Document, resources: Option<&Dictionary>, stack: &mut Vec<ObjectId>) -> bool {
        if stack.len() > MAX_XOBJECT_DEPTH {
            return true;
        }
        let Some(xobjects) = resources.and_then(|r| dict_or_ref(doc, r.get(b"XObject").ok()))
        else {
            return false;
        };
        for (_, value) in xobjects.iter() {
            let Ok(id) = value.as_reference() else {
                continue;
            };
            if stack.contains(&id) {
                return true;
            }
            if let Ok(Object::Stream(stream)) = doc.get_object(id)
                && stream.dict.get(b"Subtype").and_then(|o| o.as_name()).ok() == Some(&b"Form"[..])
            {
                stack.push(id);
                let inner = dict_or_ref(doc, stream.dict.get(b"Resources").ok());
                if walk(doc, inner, stack) {
                    return true;
                }
                stack.pop();
            }
        }
        false
    }
    // Resources may be inherited from an ancestor /Pages node; the climb is
    // bounded because the page tree itself may be cyclic.
    let mut node = doc.get_dictionary(page).ok();
    let mut resources = None;
    for _ in 0..MAX_XOBJECT_DEPTH {
        let Some(dict) = node else {
            break;
        };
        resources = dict_or_ref(doc, dict.get(b"Resources").ok());
        if resources.is_some() {
            break;
        }
        node = dict
            .get(b"Parent")
            .and_then(|p| p.as_reference())
            .ok()
            .and_then(|id| doc.get_dictionary(id).ok());
    }
    walk(doc, resources, &mut vec![page])
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
            format!("\n\nS/2018/1177\n\n18-22123 (E)    {n}\n\n{body}\n\n{n}")
                .lines()
                .map(str::to_string)
                .collect()
        };
        let pages = vec![
            page(1, "Session 1\nText one."),
            page(2, "Session 2\nText two."),
            page(3, "Session 3\nText three."),
        ];
        let (pages, symbol) = remove_furniture(pages);
        assert_eq!(symbol.as_deref(), Some("S/2018/1177"));
        let all: Vec<&String> = pages.iter().flatten().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            all,
            [
                "Session 1",
                "Text one.",
                "Session 2",
                "Text two.",
                "Session 3",
                "Text three."
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
        let (out, _) = remove_furniture(pages.clone());
        assert_eq!(out, pages);
    }

    #[test]
    fn paragraphs_run_on_over_page_breaks() {
        let pages = vec![
            vec!["".to_string(), "It was agreed that".to_string()],
            vec!["the work continues.".to_string(), "".to_string()],
            vec!["Session 2".to_string()],
        ];
        let joined = join_pages(&pages);
        let shown: Vec<(&str, u32)> = joined.iter().map(|(l, p)| (l.as_str(), *p)).collect();
        assert_eq!(
            shown,
            [
                ("It was agreed that", 1),
                ("the work continues.", 2),
                ("", 3),
                ("Session 2", 3)
            ]
        );
    }

    #[test]
    fn pdf_dates_and_titles() {
        assert_eq!(
            pdf_date("D:20181221150400-05'00'").as_deref(),
            Some("2018-12-21")
        );
        assert_eq!(pdf_date("D:2018").as_deref(), Some("2018"));
        assert_eq!(pdf_date("garbage"), None);
        assert!(!useful_title("Microsoft Word - 1822123E.docx"));
        assert!(useful_title("Letter dated 21 December 2018"));
        assert!(is_symbol("S/2018/1177"));
        assert!(is_symbol("A/73/L.12"));
        assert!(!is_symbol("18-22123 (E)"));
    }

    #[test]
    fn garbage_is_a_reason_not_a_panic() {
        assert!(extract(b"%PDF-1.5\n garbage").is_err());
        assert!(extract(b"").is_err());
    }
}
