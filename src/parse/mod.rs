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

use crate::extract::Content;
use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use crate::model::{
    Block, Briefing, DocType, Format, Metadata, OVERVIEW, Passage, PassageKind, Session,
    is_session_heading, roman_value,
};

pub mod un;

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

/// Builds sessions from a stream of blocks, starting a session at each
/// heading. Empty sessions (a heading with nothing under it is not empty: its
/// heading passage is kept) are dropped.
struct SessionBuilder {
    sessions: Vec<Session>,
    /// Page of the text being added, stored in the passages made from it.
    page: Option<u32>,
}

impl SessionBuilder {
    fn new() -> Self {
        SessionBuilder {
            sessions: vec![Session::new(OVERVIEW)],
            page: None,
        }
    }

    fn heading(&mut self, label: &str) {
        let label = collapse_whitespace(label);
        if label.is_empty() {
            return;
        }
        let mut session = Session::new(&label);
        session
            .passages
            .push(Passage::new(label, PassageKind::Heading, self.page));
        self.sessions.push(session);
    }

    fn passage(&mut self, text: &str, kind: PassageKind) {
        let text = collapse_whitespace(text);
        if text.is_empty() {
            return;
        }
        if let Some(current) = self.sessions.last_mut() {
            current.passages.push(Passage::new(text, kind, self.page));
        }
    }

    fn finish(self) -> Vec<Session> {
        self.sessions
            .into_iter()
            .filter(|s| !s.passages.is_empty())
            .collect()
    }
}

/// Joins the lines of a block with single spaces: the words of `text`
/// (split at Unicode white space, as `str::split_whitespace` does) joined
/// by one space. Copies runs of bytes rather than words, and decodes
/// characters only outside ASCII, for the parser spends much of its time
/// here.
fn collapse_whitespace(text: &str) -> String {
    // Most paragraphs are already one line of words and single spaces, and
    // then the answer is the text itself, found eight bytes at a time.
    let trimmed = text.trim_end_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if is_collapsed(trimmed.as_bytes()) {
        return trimmed.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    // Start of the word being read, if inside one.
    let mut word: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        if word.is_some() {
            // Inside a word: skip ahead to the next ASCII space or non-ASCII
            // byte without looking at anything else.
            while let Some(&b) = bytes.get(i)
                && b > b' '
                && b < 0x80
            {
                i += 1;
            }
            if i >= bytes.len() {
                break;
            }
        }
        let b = bytes[i];
        let (space, len) = if b < 0x80 {
            (matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'), 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            }
        };
        match (space, word) {
            (true, Some(start)) => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&text[start..i]);
                word = None;
            }
            (false, None) => word = Some(i),
            _ => {}
        }
        i += len;
    }
    if let Some(start) = word {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..]);
    }
    out
}

/// Whether `text` is its own [`collapse_whitespace`]: no white space at
/// either end, no control bytes, no two spaces in a row, and no Unicode
/// white space. May say no to text that is (a rare slow path), never yes
/// to text that is not.
fn is_collapsed(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    if first <= b' ' || last <= b' ' {
        return false;
    }
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    let mut previous_space = false;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // Some byte below 0x20 (the classic "has less than" test).
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        // Spaces, as high bits; a byte just above a space may be marked
        // too, which only sends the text down the slow path.
        let y = x ^ (ONES * u64::from(b' '));
        let spaces = y.wrapping_sub(ONES) & !y & HIGH;
        if control != 0
            || spaces & (spaces << 8) != 0
            || (previous_space && chunk[0] == b' ')
            || (x & HIGH != 0 && has_unicode_space(bytes, offset, offset + 8))
        {
            return false;
        }
        previous_space = chunk[7] == b' ';
        offset += 8;
    }
    let rest = chunks.remainder();
    for (i, &b) in rest.iter().enumerate() {
        let after_space = if i == 0 {
            previous_space
        } else {
            rest[i - 1] == b' '
        };
        if b < b' ' || (b == b' ' && after_space) {
            return false;
        }
    }
    !has_unicode_space(bytes, offset, bytes.len())
}

/// Whether a character starting in `bytes[from..to]` is white space
/// outside ASCII (they all start with one of four lead bytes).
fn has_unicode_space(bytes: &[u8], from: usize, to: usize) -> bool {
    (from..to.min(bytes.len())).any(|i| {
        matches!(bytes[i], 0xC2 | 0xE1 | 0xE2 | 0xE3)
            && std::str::from_utf8(&bytes[i..(i + 3).min(bytes.len())])
                .ok()
                .or_else(|| std::str::from_utf8(&bytes[i..(i + 2).min(bytes.len())]).ok())
                .and_then(|s| s.chars().next())
                .is_some_and(char::is_whitespace)
    })
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
/// A UN document ([`un::recognize`]: resolution, meeting record, report,
/// press release) is parsed by [`un`]; any other text by the briefing rules
/// below, typed `briefing` when it has a session heading, `document`
/// otherwise.
pub fn parse_lines<'a>(lines: impl IntoIterator<Item = (&'a str, Option<u32>)>) -> Briefing {
    let lines: Vec<(&str, Option<u32>)> = lines.into_iter().collect();
    if let Some(briefing) = un::parse_un(&lines) {
        return briefing;
    }
    parse_briefing_lines(lines)
}

/// The briefing rules of [`parse_lines`], without the UN attempt.
fn parse_briefing_lines<'a>(lines: impl IntoIterator<Item = (&'a str, Option<u32>)>) -> Briefing {
    let mut builder = SessionBuilder::new();
    let mut block: Vec<(&str, Option<u32>)> = Vec::new();
    for (line, page) in lines.into_iter().chain(std::iter::once(("", None))) {
        if line.trim().is_empty() {
            flush_text_block(&mut builder, &block);
            block.clear();
        } else {
            block.push((line, page));
        }
    }
    let sessions = builder.finish();
    let headed = sessions.iter().any(|s| s.label != OVERVIEW);
    Briefing {
        meta: Metadata {
            doc_type: Some(if headed {
                DocType::Briefing
            } else {
                DocType::Document
            }),
            ..Metadata::default()
        },
        sessions,
    }
}

fn flush_text_block(builder: &mut SessionBuilder, block: &[(&str, Option<u32>)]) {
    let mut rest = block;
    // A heading may be followed directly by its text without a blank line.
    if let Some(((first, page), tail)) = rest.split_first()
        && is_session_heading(first)
    {
        builder.page = *page;
        builder.heading(first);
        rest = tail;
    }
    let mut paragraph = String::new();
    let mut in_item = false;
    let mut paragraph_page = rest.first().and_then(|(_, page)| *page);
    for (line, page) in rest {
        if list_marker_len(line).is_some() {
            let kind = if in_item {
                PassageKind::ListItem
            } else {
                PassageKind::Paragraph
            };
            builder.page = paragraph_page;
            builder.passage(&paragraph, kind);
            paragraph.clear();
            paragraph_page = *page;
            in_item = true;
        }
        paragraph.push_str(line);
        paragraph.push('\n');
    }
    builder.page = paragraph_page;
    let kind = if in_item {
        PassageKind::ListItem
    } else {
        PassageKind::Paragraph
    };
    builder.passage(&paragraph, kind);
}

/// Length of a list marker at the start of `line` ("- ", "• ", "1. ", "(a) "),
/// if the line starts with one.
fn list_marker_len(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    for bullet in ["- ", "* ", "• ", "– ", "— ", "· ", "◦ ", "▪ "] {
        if trimmed.starts_with(bullet) {
            return Some(indent + bullet.len());
        }
    }
    // "1. ", "12) ", "a) ", "(iv) "
    let body = trimmed.strip_prefix('(').unwrap_or(trimmed);
    let enumerator: String = body
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let is_number = !enumerator.is_empty()
        && enumerator.len() <= 3
        && enumerator.chars().all(|c| c.is_ascii_digit());
    let is_letter = enumerator.len() == 1 && enumerator.chars().all(|c| c.is_ascii_lowercase());
    let is_roman = !enumerator.is_empty() && roman_value(&enumerator).is_some();
    if is_number || is_letter || is_roman {
        let after = &body[enumerator.len()..];
        if after.starts_with(". ") || after.starts_with(") ") {
            return Some(line.len() - after.len() + 2);
        }
    }
    None
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
    fn collapse_whitespace_matches_split_whitespace() {
        for text in [
            "",
            "   ",
            "one",
            "  one  two\n\tthree \r\n",
            "no\u{a0}break\u{2003}em space\u{3000}ideographic\u{85}nel",
            "vertical\u{b}tab\u{c}form feed",
            "Côte d'Ivoire — “quoted” ",
            "trailing newline\n",
            "a sentence of several words, long enough for whole chunks.\n",
            "double  space inside a longer run of words and spaces",
            "em\u{2003}space after eight bytes and more words here",
            "nbsp\u{a0}and more text after it to fill chunks",
            "tab\tinside a long enough sentence to be read in chunks",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(text), expected, "{text:?}");
        }
        // Every kind of white space at every offset, across the eight-byte
        // chunks the fast path reads.
        let base = "Words and words — of a “quoted” paragraph, several chunks long.";
        for space in [
            " ", "  ", "\t", "\n", "\r\n", "\u{a0}", "\u{2003}", "\u{3000}", "\u{85}",
        ] {
            for at in 0..=base.len() {
                if !base.is_char_boundary(at) {
                    continue;
                }
                let text = format!("{}{space}{}", &base[..at], &base[at..]);
                let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(collapse_whitespace(&text), expected, "{text:?}");
            }
        }
    }

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
