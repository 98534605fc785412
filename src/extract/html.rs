//! HTML → briefing: the article of a web page, without its menus, scripts,
//! cookie banner and footer.
//!
//! dom_smoothie (a port of Mozilla Readability) finds the article and
//! returns it as clean HTML; our block walker ([`Walker`]) turns that into
//! blocks: `<h2>`/`<h3>` start sessions, paragraphs and list items are
//! passages. When dom_smoothie finds no article (short or unusual pages),
//! the same walker runs over the whole `<body>`, and its own boilerplate
//! rules ([`is_boilerplate`]) drop navigation, headers, footers, asides,
//! breadcrumbs and cookie banners.
//!
//! Metadata is read from the whole page, because Readability removes the
//! `<h1>` from the article: the title from `<h1>` (else `<title>`), the date
//! from `<time datetime>`, `article:published_time` or `dc.date` meta tags,
//! else from a short date line at the top of the text.

use dom_smoothie::{Config, Readability};
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};

use super::{Content, Extracted, clean_invisible, find_date};
use crate::model::{Block, Metadata};

/// Extracts a web page. The bytes are read as UTF-8 (invalid sequences are
/// replaced, with a warning). `Err` when the page holds no text.
pub fn extract(bytes: Vec<u8>) -> Result<Extracted, String> {
    let (html, warning) = match String::from_utf8(bytes) {
        Ok(html) => (html, None),
        Err(err) => (
            String::from_utf8_lossy(err.as_bytes()).into_owned(),
            Some("invalid UTF-8, decoded lossily".to_string()),
        ),
    };
    let (blocks, meta) = blocks(&html);
    if blocks.is_empty() {
        return Err("no text found in the page".into());
    }
    Ok(Extracted {
        content: Content::Blocks(blocks),
        meta,
        warning,
    })
}

/// The article's blocks of a web page, and its metadata. Never fails: a
/// page without text gives no blocks.
pub fn blocks(html: &str) -> (Vec<Block>, Metadata) {
    let page = Html::parse_document(html);
    let mut blocks = article_blocks(html);
    if blocks.iter().all(|b| matches!(b, Block::Heading(_))) {
        blocks = select_first(&page, "body")
            .map(|body| Walker::blocks_of(body))
            .unwrap_or_default();
    }
    let mut meta = page_metadata(&page);
    // Readability turns the `<h1>` into an `<h2>` of the article; it is the
    // title, not a session.
    if let Some(title) = &meta.title {
        blocks.retain(|b| !matches!(b, Block::Heading(h) if h == title));
    }
    if meta.date.is_none() {
        // A date line near the top, as press releases print one.
        meta.date = blocks
            .iter()
            .take(10)
            .filter_map(|b| match b {
                Block::Paragraph(text) if text.chars().count() <= 80 => find_date(text),
                _ => None,
            })
            .next();
    }
    blocks.retain(|b| match b {
        Block::Heading(t) | Block::Paragraph(t) | Block::ListItem(t) => !t.trim().is_empty(),
    });
    (blocks, meta)
}

/// The blocks of the article dom_smoothie finds, or none if it finds none.
fn article_blocks(html: &str) -> Vec<Block> {
    let Ok(mut readability) = Readability::new(html, None, Some(Config::default())) else {
        return Vec::new();
    };
    let Ok(article) = readability.parse() else {
        return Vec::new();
    };
    let content = Html::parse_fragment(&article.content);
    Walker::blocks_of(content.root_element())
}

fn select_first<'a>(page: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    // The selectors are constants of this file; a parse failure would be a
    // bug here, and then the field is simply not found.
    let selector = Selector::parse(css).ok()?;
    page.select(&selector).next()
}

/// The text of an element, invisible characters removed, whitespace
/// collapsed; `None` if empty.
fn element_text(element: ElementRef) -> Option<String> {
    let text: String = element.text().collect();
    let text = clean_invisible(&text);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn attribute(page: &Html, css: &str, name: &str) -> Option<String> {
    select_first(page, css)
        .and_then(|e| e.value().attr(name))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Title and date from the whole page.
fn page_metadata(page: &Html) -> Metadata {
    let title = select_first(page, "h1")
        .and_then(element_text)
        .or_else(|| {
            // "<title>Headline | Site name</title>": the headline.
            let title = select_first(page, "title").and_then(element_text)?;
            Some(
                title
                    .split(" | ")
                    .next()
                    .unwrap_or(&title)
                    .trim()
                    .to_string(),
            )
        })
        .filter(|t| !t.is_empty());
    let date = [
        ("time[datetime]", "datetime"),
        (r#"meta[property="article:published_time"]"#, "content"),
        (r#"meta[name="article:published_time"]"#, "content"),
        (r#"meta[name="dc.date" i]"#, "content"),
        (r#"meta[name="dcterms.date" i]"#, "content"),
        (r#"meta[name="dc.date.issued" i]"#, "content"),
        (r#"meta[name="dcterms.issued" i]"#, "content"),
    ]
    .iter()
    .filter_map(|(css, name)| attribute(page, css, name))
    .find_map(|value| find_date(&value));
    Metadata {
        title,
        date,
        ..Metadata::default()
    }
}

/// Elements never part of the article text.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "svg", "iframe", "select", "textarea", "head", "title", "object", "canvas", "dialog",
    "menu", "h1",
];

/// Words in a class or id that mark page furniture.
const BOILERPLATE_MARKS: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "breadcrumb",
    "menu",
    "navbar",
    "navigation",
    "sidebar",
    "related",
    "share",
    "social",
    "newsletter",
    "subscribe",
    "skip-link",
    "site-header",
    "site-footer",
    "advert",
    "popup",
    "modal",
];

/// ARIA roles of page furniture.
const BOILERPLATE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
];

/// Whether an element is furniture rather than article: a skipped tag, a
/// hidden element, a furniture role, or a class/id naming furniture. (The
/// `<h1>` is skipped too: it is the title, read separately, and every
/// session's body repeats the title anyway.)
fn is_boilerplate(element: &scraper::node::Element) -> bool {
    if SKIPPED_TAGS.contains(&element.name()) {
        return true;
    }
    if element.attr("hidden").is_some() || element.attr("aria-hidden") == Some("true") {
        return true;
    }
    if element
        .attr("role")
        .is_some_and(|r| BOILERPLATE_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    let names = format!(
        "{} {}",
        element.attr("class").unwrap_or_default(),
        element.id().unwrap_or_default()
    )
    .to_ascii_lowercase();
    BOILERPLATE_MARKS.iter().any(|mark| names.contains(mark))
}

/// Tags that end a run of inline text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "address",
    "center",
    "hr",
    "body",
    "html",
    "details",
    "summary",
    "fieldset",
    "h4",
    "h5",
    "h6",
];

/// Turns an element tree into blocks: inline text accumulates until a
/// block element ends it; `<li>` text becomes a list item (a nested list
/// ends its parent item's text first).
struct Walker {
    blocks: Vec<Block>,
    pending: String,
    in_item: bool,
}

impl Walker {
    fn blocks_of(root: ElementRef) -> Vec<Block> {
        let mut walker = Walker {
            blocks: Vec::new(),
            pending: String::new(),
            in_item: false,
        };
        walker.walk(root);
        walker.flush();
        walker.blocks
    }

    fn flush(&mut self) {
        let text = clean_invisible(&self.pending);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.pending.clear();
        if text.is_empty() {
            return;
        }
        self.blocks.push(if self.in_item {
            Block::ListItem(text)
        } else {
            Block::Paragraph(text)
        });
    }

    fn walk(&mut self, element: ElementRef) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.pending.push_str(text),
                Node::Element(_) => {
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    self.element(child);
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, element: ElementRef) {
        let value = element.value();
        if is_boilerplate(value) {
            return;
        }
        let name = value.name();
        match name {
            "br" => self.pending.push('\n'),
            "h2" | "h3" => {
                self.flush();
                if let Some(text) = element_text(element) {
                    self.blocks.push(Block::Heading(text));
                }
            }
            "li" => {
                self.flush();
                let outer = self.in_item;
                self.in_item = true;
                self.walk(element);
                self.flush();
                self.in_item = outer;
            }
            "ul" | "ol" => {
                // A nested list ends the text of the item it is in; its own
                // items are items whatever the surrounding block is.
                self.flush();
                self.walk(element);
                self.flush();
            }
            _ if BLOCK_TAGS.contains(&name) => {
                self.flush();
                let outer = self.in_item;
                // A paragraph inside a list item belongs to the item.
                if name != "p" && name != "div" {
                    self.in_item = false;
                }
                self.walk(element);
                self.flush();
                self.in_item = outer;
            }
            // Inline: its text joins the running block.
            _ => self.walk(element),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_garbage_pages() {
        assert!(extract(Vec::new()).is_err());
        assert!(extract(b"<html><body><script>x()</script></body></html>".to_vec()).is_err());
        let (blocks, _) = blocks("just some text < > & without tags");
        assert_eq!(blocks.len(), 1);
    }
}
