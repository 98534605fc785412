//! PDF → briefing: text page by page with pdf-extract, then the layout work
//! pdf-extract leaves to us.
//!
//! 1. Each page is extracted on its own ([`page_texts`]), so a panic or an
//!    error loses that page only. A page whose Form XObjects form a cycle is
//!    not extracted at all: pdf-extract would recurse until the stack
//!    overflows, which aborts the process.
//! 2. Characters are normalised ([`normalize`]: soft-hyphen bullets, no-
//!    break spaces, invisible characters).
//! 3. Page furniture is removed and the pages are joined
//!    ([`clean_pages`], shared with text files): running headers and
//!    footers (symbol, job number, "Test fixture" banners), page numbers;
//!    a paragraph running on over a page break stays one paragraph; line-
//!    end hyphens are resolved by evidence.
//! 4. Session headings get blank lines around them, then the plain-text
//!    rules of [`crate::parse::parse_lines`] build sessions and passages.
//!
//! Metadata: title and date from the Info dictionary, else from the first
//! page; the document symbol from the running header.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Dictionary, Document, Object, ObjectId, PlainTextOutput};

use super::decode::normalize;
use super::furniture::{clean_pages, separate_headings};
use super::{Content, Extracted, clean_invisible, find_date, panic_message};
use crate::model::{Metadata, is_session_heading};

/// Skip reason of a PDF whose pages hold no text.
pub const NO_TEXT: &str = "no extractable text (scanned? run OCR first)";

/// Form XObjects nested deeper than this are treated like a cycle.
const MAX_XOBJECT_DEPTH: usize = 32;

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
            normalize(&p.unwrap_or_default())
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
    let cleaned = clean_pages(pages);
    let symbol = cleaned.symbol;
    let lines = separate_headings(cleaned.lines);
    if lines.iter().all(|(l, _)| l.trim().is_empty()) {
        return Err(NO_TEXT.into());
    }
    let info = Metadata {
        title: info_string(&doc, b"Title").filter(|t| useful_title(t)),
        date: info_string(&doc, b"CreationDate").and_then(|d| pdf_date(&d)),
        symbol,
        ..Metadata::default()
    };
    let meta = info.or(first_page_metadata(&lines));
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
///
/// `lines` are the document's lines without furniture, with their pages.
fn first_page_metadata(lines: &[(String, u32)]) -> Metadata {
    let first: Vec<&str> = lines
        .iter()
        .filter(|(_, page)| *page == 1)
        .map(|(l, _)| l.as_str())
        .collect();
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
    }

    #[test]
    fn title_and_date_from_the_first_page() {
        let lines: Vec<(String, u32)> = [
            ("", 1),
            ("Letter dated 3 March 2020 from the Chair", 1),
            ("Text.", 1),
            ("Letter dated 9 May 2021", 2),
        ]
        .iter()
        .map(|(l, p)| (l.to_string(), *p))
        .collect();
        let meta = first_page_metadata(&lines);
        assert_eq!(
            meta.title.as_deref(),
            Some("Letter dated 3 March 2020 from the Chair")
        );
        assert_eq!(meta.date.as_deref(), Some("2020-03-03"));
        assert_eq!(first_page_metadata(&[]), Metadata::default());
    }

    #[test]
    fn garbage_is_a_reason_not_a_panic() {
        assert!(extract(b"%PDF-1.5\n garbage").is_err());
        assert!(extract(b"").is_err());
    }
}
