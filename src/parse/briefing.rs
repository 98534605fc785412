//! The plain briefing rules, for the text no [`super::kinds::KINDS`] entry
//! recognizes: CTC/CTED meeting summaries and any other document.
//!
//! Blocks are separated by blank lines; a block whose first line is shaped
//! like a session heading ("Session III", "Introductory session") starts a
//! session; lines starting with a bullet or an enumerator are list items.
//! A text with a session heading is typed `briefing`, any other
//! `document`. `SessionBuilder` is also how the Markdown and HTML paths
//! ([`super::parse_markdown`], [`super::from_blocks`]) build sessions.
//!
//! Contract (the one of [`crate::parse`]): every non-blank line ends up in
//! exactly one passage, in input order.

use super::kind::Line;
use crate::model::text::collapse_whitespace;
use crate::model::{
    Briefing, DocType, Metadata, OVERVIEW, Passage, PassageKind, Session, is_session_heading,
    roman_value,
};

/// Builds sessions from a stream of blocks, starting a session at each
/// heading. Empty sessions (a heading with nothing under it is not empty: its
/// heading passage is kept) are dropped.
pub(crate) struct SessionBuilder {
    sessions: Vec<Session>,
    /// Page of the text being added, stored in the passages made from it.
    page: Option<u32>,
}

impl SessionBuilder {
    pub(crate) fn new() -> Self {
        SessionBuilder {
            sessions: vec![Session::new(OVERVIEW)],
            page: None,
        }
    }

    pub(crate) fn heading(&mut self, label: &str) {
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

    pub(crate) fn passage(&mut self, text: &str, kind: PassageKind) {
        let text = collapse_whitespace(text);
        if text.is_empty() {
            return;
        }
        if let Some(current) = self.sessions.last_mut() {
            current.passages.push(Passage::new(text, kind, self.page));
        }
    }

    pub(crate) fn finish(self) -> Vec<Session> {
        self.sessions
            .into_iter()
            .filter(|s| !s.passages.is_empty())
            .collect()
    }
}

/// Parses lines by the briefing rules (see the module documentation):
/// typed `briefing` when a session heading starts a session, `document`
/// otherwise.
pub(crate) fn parse_lines<'a>(lines: impl IntoIterator<Item = Line<'a>>) -> Briefing {
    let mut builder = SessionBuilder::new();
    let mut block: Vec<Line> = Vec::new();
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

/// Adds a block of non-blank lines: a heading if its first line is one,
/// then paragraphs and list items.
fn flush_text_block(builder: &mut SessionBuilder, block: &[Line]) {
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
