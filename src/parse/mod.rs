//! Parsing: text → [`Briefing`] { sessions → passages }.
//!
//! A briefing is split into sessions (the unit of search hits) and each
//! session into passages (the unit shown to the user). Paragraphs and list
//! items are the passage unit because that is how briefings are written: one
//! idea, one recommendation, one speaker's point per paragraph or item.
//!
//! Contract: no text of the input is dropped. Every non-blank line of a plain
//! text file, and every piece of text of a Markdown file (headings included),
//! ends up in exactly one passage, in input order.
//!
//! The modules: [`kinds`] is the ordered list of document types, each one
//! file ([`meeting_record`], [`resolution`], [`press_release`],
//! [`report`]) implementing [`kind::DocumentKind`] on machinery shared in
//! `un`; [`briefing`] holds the plain rules for text no kind recognizes;
//! [`fallback`] fills metadata from the file name. Inside `parse`, the
//! shared pieces never use a type file and type files never use each
//! other (`tests/layers.rs`).

use crate::extract::Content;
use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use crate::model::text::collapse_whitespace;
use crate::model::{
    Block, Briefing, DocType, Format, Metadata, OVERVIEW, PassageKind, is_session_heading,
};
use briefing::SessionBuilder;
use kind::Line;

pub mod briefing;
pub mod fallback;
pub mod kind;
pub mod kinds;
pub mod meeting_record;
pub mod press_release;
pub mod report;
pub mod resolution;
#[cfg(test)]
mod testing;
mod un;

pub use fallback::fallback_metadata;

/// Parses a briefing of the given format. Never fails: any text is a
/// briefing, at worst one "Overview" session.
///
/// PDF files are bytes, not text: [`crate::extract::pdf::extract`] reads
/// them and hands its text to [`parse_lines`]. Given text here, `Pdf` is
/// read as plain text (the layout the PDF extractor produces).
pub fn parse(text: &str, format: Format) -> Briefing {
    let briefing = match format {
        Format::Text | Format::Pdf => parse_text(text),
        Format::Markdown => parse_markdown(text),
        Format::Html => {
            let (blocks, meta) = crate::extract::html::blocks(text);
            let mut briefing = from_blocks(blocks);
            briefing.meta = meta;
            briefing
        }
    };
    with_type(briefing)
}

/// Sets the type of a briefing no parser recognized: a summary with
/// session headings is a briefing, anything else a document.
fn with_type(mut briefing: Briefing) -> Briefing {
    if briefing.meta.doc_type.is_none() {
        let sessions = briefing.sessions.iter().any(|s| s.label != OVERVIEW);
        briefing.meta.doc_type = Some(if sessions {
            DocType::Briefing
        } else {
            DocType::Document
        });
    }
    briefing
}

/// Builds the briefing of an extracted file (PDF, HTML), with the metadata
/// the file carries.
pub fn parse_extracted(content: Content, meta: Metadata) -> Briefing {
    let mut briefing = match content {
        Content::Lines(lines) => parse_lines(lines.iter().map(|(l, p)| (l.as_str(), *p))),
        Content::Blocks(blocks) => from_blocks(blocks),
    };
    // What the text says (a resolution's adoption line) first, then what
    // the file's container says (PDF Info, running header, HTML tags).
    briefing.meta = std::mem::take(&mut briefing.meta).or(meta);
    with_type(briefing)
}

/// Builds a briefing from blocks: each heading starts a session, the other
/// blocks are passages of the current one. Whitespace inside a block is
/// collapsed; empty blocks are dropped. Metadata is left empty.
pub fn from_blocks(blocks: impl IntoIterator<Item = Block>) -> Briefing {
    let mut builder = SessionBuilder::new();
    for block in blocks {
        match block {
            Block::Heading(text) => builder.heading(&text),
            Block::Paragraph(text) => builder.passage(&text, PassageKind::Paragraph),
            Block::ListItem(text) => builder.passage(&text, PassageKind::ListItem),
        }
    }
    Briefing {
        meta: Metadata::default(),
        sessions: builder.finish(),
    }
}

/// Parses plain text: blocks are separated by blank lines; a block that is a
/// single short line shaped like a session heading starts a session; lines
/// starting with a bullet or an enumerator are list items.
pub fn parse_text(text: &str) -> Briefing {
    parse_lines(text.lines().map(|line| (line, None)))
}

/// [`parse_text`] over lines that each know their page: every passage
/// records the page of its first line. A paragraph may run on across a
/// page break (the extractor drops the page's furniture in between).
///
/// A document of a type [`kinds::KINDS`] recognizes (meeting record,
/// resolution, press release, report) is parsed by its kind; any other
/// text by the plain briefing rules ([`briefing`]), typed `briefing` when
/// it has a session heading, `document` otherwise.
pub fn parse_lines<'a>(lines: impl IntoIterator<Item = Line<'a>>) -> Briefing {
    let lines: Vec<Line> = lines.into_iter().collect();
    kinds::parse(&lines)
}

/// Parses Markdown: optional front matter (YAML `---` or TOML `+++`),
/// headings start sessions (a leading `#` title does not: the text under it
/// is the Overview), paragraphs and list items are passages, and a paragraph
/// that reads like a plain-text session heading also starts a session.
pub fn parse_markdown(text: &str) -> Briefing {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut meta = Metadata::default();
    let mut builder = SessionBuilder::new();
    let mut buffer = String::new();
    let mut in_metadata = false;
    let mut item_depth = 0usize;
    let mut seen_heading = false;
    let mut seen_text = false;
    let kind_of = |depth: usize| {
        if depth > 0 {
            PassageKind::ListItem
        } else {
            PassageKind::Paragraph
        }
    };
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(kind)) => {
                in_metadata = false;
                let parsed = match kind {
                    MetadataBlockKind::YamlStyle | MetadataBlockKind::PlusesStyle => {
                        Metadata::from_key_values(&buffer)
                    }
                };
                meta = parsed.or(meta);
                buffer.clear();
            }
            Event::Start(Tag::Heading { .. }) | Event::Start(Tag::Item) => {
                if !in_metadata {
                    builder.passage(&buffer, kind_of(item_depth));
                    seen_text |= !buffer.trim().is_empty();
                    buffer.clear();
                }
                if matches!(event, Event::Start(Tag::Item)) {
                    item_depth += 1;
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                let heading = collapse_whitespace(&buffer);
                buffer.clear();
                let is_title = level == pulldown_cmark::HeadingLevel::H1
                    && !seen_heading
                    && !seen_text
                    && meta.title.as_deref().is_none_or(|t| t == heading);
                seen_heading = true;
                if is_title {
                    meta.title = Some(heading.clone());
                    // Keep the title's words in a passage of the Overview.
                    builder.passage(&heading, PassageKind::Heading);
                } else {
                    builder.heading(&heading);
                }
            }
            Event::End(TagEnd::Item) => {
                builder.passage(&buffer, PassageKind::ListItem);
                buffer.clear();
                item_depth = item_depth.saturating_sub(1);
            }
            Event::End(TagEnd::Paragraph) => {
                let paragraph = buffer.trim();
                if item_depth == 0 && !paragraph.contains('\n') && is_session_heading(paragraph) {
                    builder.heading(paragraph);
                } else {
                    builder.passage(&buffer, kind_of(item_depth));
                }
                seen_text |= !buffer.trim().is_empty();
                buffer.clear();
            }
            Event::End(TagEnd::CodeBlock)
            | Event::End(TagEnd::BlockQuote(_))
            | Event::End(TagEnd::TableRow)
            | Event::End(TagEnd::TableHead)
            | Event::End(TagEnd::HtmlBlock)
            | Event::End(TagEnd::FootnoteDefinition) => {
                builder.passage(&buffer, kind_of(item_depth));
                seen_text |= !buffer.trim().is_empty();
                buffer.clear();
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                buffer.push_str(&t);
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                buffer.push_str(&strip_tags(&t));
                buffer.push(' ');
            }
            Event::FootnoteReference(t) => {
                buffer.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => buffer.push('\n'),
            Event::End(TagEnd::TableCell) => buffer.push_str(" | "),
            _ => {}
        }
    }
    builder.passage(&buffer, kind_of(item_depth));
    Briefing {
        meta,
        sessions: builder.finish(),
    }
}

/// Removes HTML tags, keeping the text between them.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_shapes() {
        for heading in [
            "Introductory session",
            "Opening session",
            "Session III",
            "Session 3",
            "Session III: Arms trafficking",
            "Panel 2",
            "Closing session",
            "Concluding remarks",
        ] {
            assert!(is_session_heading(heading), "{heading}");
        }
        for prose in [
            "During Session III, the participants considered terrorist involvement.",
            "Session",
            "The participants made a number of follow-up recommendations, including:",
            "Member States should",
        ] {
            assert!(!is_session_heading(prose), "{prose}");
        }
    }

    #[test]
    fn plain_text_sessions_and_lists() {
        let text = "Preamble line one\ncontinues here.\n\nIntroductory session\n\nIt was noted.\n\nRecommendations:\n- first item\n  continued\n- second item\n\nSession III\nDuring Session III, arms.\n";
        let b = parse_text(text);
        let labels: Vec<_> = b.sessions.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Overview", "Introductory session", "Session III"]);
        assert_eq!(
            b.sessions[0].passages[0].text,
            "Preamble line one continues here."
        );
        let intro = &b.sessions[1].passages;
        assert_eq!(intro[0].kind, PassageKind::Heading);
        assert_eq!(intro[2].text, "Recommendations:");
        assert_eq!(intro[3].text, "- first item continued");
        assert_eq!(intro[3].kind, PassageKind::ListItem);
        assert_eq!(intro[4].text, "- second item");
        assert_eq!(b.sessions[2].passages[1].text, "During Session III, arms.");
    }

    #[test]
    fn markdown_front_matter_title_and_headings() {
        let text = "---\ntitle: \"A test briefing\"\ndate: 2020-02-03\nsymbol: S/2020/1\n---\n\nPreamble text.\n\n## Session 1: Drugs\n\nFirst *point*.\n\n- item one\n- item two\n\nSession II\n\nArms.\n";
        let b = parse_markdown(text);
        assert_eq!(b.meta.title.as_deref(), Some("A test briefing"));
        assert_eq!(b.meta.date.as_deref(), Some("2020-02-03"));
        assert_eq!(b.meta.symbol.as_deref(), Some("S/2020/1"));
        let labels: Vec<_> = b.sessions.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Overview", "Session 1: Drugs", "Session II"]);
        let s1 = &b.sessions[1].passages;
        assert_eq!(s1[1].text, "First point.");
        assert_eq!(s1[2].kind, PassageKind::ListItem);
        assert_eq!(s1[3].text, "item two");
    }

    #[test]
    fn markdown_leading_h1_is_the_title() {
        let b = parse_markdown("# Flow past a plate\n\nAn abstract about flow.\n");
        assert_eq!(b.meta.title.as_deref(), Some("Flow past a plate"));
        assert_eq!(b.sessions.len(), 1);
        assert_eq!(b.sessions[0].label, OVERVIEW);
        assert_eq!(b.sessions[0].passages[1].text, "An abstract about flow.");
    }

    /// Property: for generated briefings (random headings, paragraphs,
    /// lists, Unicode, odd whitespace), parsing never panics and every word
    /// of the input is in exactly one passage, in order.
    #[test]
    fn generated_plain_text_keeps_every_word_in_order() {
        let pieces = [
            "Session III",
            "Introductory session",
            "Panel 2",
            "Closing session",
            "- item",
            "* other item",
            "1. first",
            "(iv) roman",
            "Côte d'Ivoire",
            "trafficking in persons",
            "\u{00A0}",
            "\t",
            "  ",
            "",
            "",
            "\r",
            "日本語 テキスト",
            "a",
            "Concluding remarks",
            "word.",
            "«quoted»",
            "\u{200B}",
            "Session",
            "x:",
        ];
        let mut next = crate::test_support::xorshift();
        for _ in 0..500 {
            let mut text = String::new();
            for _ in 0..next(40) {
                for _ in 0..next(4) + 1 {
                    text.push_str(pieces[next(pieces.len())]);
                    text.push(if next(3) == 0 { ' ' } else { '\u{3000}' });
                }
                text.push_str(["\n", "\n\n", "\r\n", "\n \n"][next(4)]);
            }
            let b = parse_text(&text);
            let words: Vec<&str> = b
                .sessions
                .iter()
                .flat_map(|s| s.passages.iter())
                .flat_map(|p| p.text.split_whitespace())
                .collect();
            let input: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(words, input, "{text:?}");
            let _ = parse_markdown(&text);
        }
    }

    #[test]
    fn nothing_is_dropped_from_plain_text() {
        let text = "a b\n\n  c d  \n* e\n\nSession 2\nf\n\n\n(iv) g h\n";
        let b = parse_text(text);
        let joined: Vec<String> = b
            .sessions
            .iter()
            .flat_map(|s| s.passages.iter().map(|p| p.text.clone()))
            .collect();
        let words: Vec<&str> = joined.iter().flat_map(|p| p.split_whitespace()).collect();
        let input: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, input);
    }

    #[test]
    fn plain_text_is_typed_briefing_or_document() {
        let b = parse_text("Preamble.\n\nSession III\nDuring Session III, arms.\n");
        assert_eq!(b.meta.doc_type, Some(DocType::Briefing));
        let d = parse_text("Just a note.\n\nAnother paragraph.\n");
        assert_eq!(d.meta.doc_type, Some(DocType::Document));
        assert_eq!(d.meta.title, None);
        assert_eq!(parse_text("").meta.doc_type, Some(DocType::Document));
    }

    /// Test fixtures in the shapes of a UN resolution and a meeting record:
    /// the plain-text and PDF paths try the UN parser first.
    #[test]
    fn plain_text_tries_the_un_parser_first() {
        let resolution = "Resolution 2178 (2014)\nAdopted by the Security Council at its 7272nd meeting, on 24 September 2014\nThe Security Council,\nRecalling its resolutions,\n1. Decides that all States shall act;\n";
        for format in [Format::Text, Format::Pdf] {
            let b = parse(resolution, format);
            assert_eq!(b.meta.doc_type, Some(DocType::Resolution));
            assert_eq!(b.meta.symbol.as_deref(), Some("S/RES/2178 (2014)"));
            let labels: Vec<_> = b.sessions.iter().map(|s| s.label.as_str()).collect();
            assert_eq!(labels, ["Preamble", "Operative paragraphs"]);
        }
        let record = "The President (spoke in French): I give the floor to Mr. Spleeters.\n\nMr. Spleeters: Thank you.\n";
        let lines = record.lines().map(|l| (l, Some(3)));
        let b = parse_lines(lines);
        assert_eq!(b.meta.doc_type, Some(DocType::MeetingRecord));
        assert_eq!(b.sessions[1].label, "Mr. Spleeters");
        assert_eq!(b.sessions[1].passages[1].page, Some(3));
    }

    const HTML_PAGE: &str = r#"<html><head><title>Briefing | UN Press</title>
<script>var menuText = "scriptword";</script></head><body>
<div class="cookie-banner">We use cookies <button>Accept</button></div>
<nav><ul><li><a href="/">Home</a></li><li>Menuitem</li></ul></nav>
<div id="content"><h1>Committee&#8209;Briefing</h1><p>Date line: 3 May 2019</p>
<p>Opening text on traf&shy;ficking.</p><h2>Session III</h2>
<p>Participants listed:</p><ul><li>first <b>item</b></li><li>second<ul><li>nested</li></ul></li></ul>
</div><footer>Copyright footerword</footer></body></html>"#;

    #[test]
    fn html_article_sessions_without_furniture() {
        let b = parse(HTML_PAGE, Format::Html);
        assert_eq!(b.meta.title.as_deref(), Some("Committee-Briefing"));
        assert_eq!(b.meta.date.as_deref(), Some("2019-05-03"));
        let labels: Vec<&str> = b.sessions.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Overview", "Session III"]);
        let all: Vec<&str> = b
            .sessions
            .iter()
            .flat_map(|s| s.passages.iter().map(|p| p.text.as_str()))
            .collect();
        let joined = all.join(" | ");
        assert!(joined.contains("Opening text on trafficking."), "{joined}");
        for furniture in ["cookies", "Menuitem", "scriptword", "footerword", "Home"] {
            assert!(!joined.contains(furniture), "{furniture} in {joined}");
        }
        let items: Vec<&str> = b.sessions[1]
            .passages
            .iter()
            .filter(|p| p.kind == PassageKind::ListItem)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(items, ["first item", "second", "nested"]);
    }
}
