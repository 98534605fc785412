//! The contract of a document type: [`DocumentKind`], and the [`Top`] of a
//! document its recognizer reads.
//!
//! A type of document (a resolution, a meeting record…) is one file under
//! `src/parse/` holding one value that implements [`DocumentKind`], and one
//! line in the ordered list [`super::kinds::KINDS`]. The list is walked in
//! order and the first kind that recognizes a text parses it; text no kind
//! recognizes is read by the plain briefing rules ([`super::briefing`]).
//!
//! Types are recognized from their text, never from the file name.

use crate::model::{Briefing, DocType};

/// A line of text and the 1-based page it is on.
pub type Line<'a> = (&'a str, Option<u32>);

/// Non-blank lines at the top of a document searched for its symbol, title
/// and type markers.
pub const TOP_LINES: usize = 60;
/// Non-blank lines searched for speaker turns when recognizing a record.
pub const TURN_SCAN_LINES: usize = 400;
/// Bytes of a line looked at by the recognizers.
pub const LOOK: usize = 400;

/// A type of document: how to recognize it and how to parse it.
///
/// Contract:
/// - [`recognize`](DocumentKind::recognize) reads only the [`Top`] (it is
///   called for every document, and must stay cheap) and says whether the
///   text has this type's shape; it need not rule out the kinds listed
///   after it, only those before it have been ruled out;
/// - [`parse`](DocumentKind::parse) turns any lines (not only recognized
///   ones) into a briefing that keeps every word of the input in exactly
///   one passage, in input order, and fills what metadata the text gives.
///   It does not set `doc_type` nor drop empty sessions: the list does
///   both ([`super::kinds::parse_as`]), the same way for every kind.
pub trait DocumentKind {
    /// The type a recognized document gets.
    fn doc_type(&self) -> DocType;
    /// Whether the text has this type's shape.
    fn recognize(&self, top: &Top) -> bool;
    /// Parses `lines` as a document of this type.
    fn parse(&self, lines: &[Line]) -> Briefing;
}

/// What the recognizers read of a document, computed once for all of them
/// ([`super::kinds::recognize`]).
pub struct Top<'a> {
    /// Every line, for the checks that look past the top (a report's
    /// roman-numbered headings).
    pub lines: &'a [Line<'a>],
    /// The first [`TOP_LINES`] non-blank lines, trimmed, each cut to
    /// [`LOOK`] bytes.
    pub top: Vec<&'a str>,
    /// Speaker turns at paragraph starts among the first
    /// [`TURN_SCAN_LINES`] non-blank lines.
    pub turns: usize,
}

impl Top<'_> {
    /// Whether one of the top lines satisfies `test`.
    pub fn any(&self, test: impl Fn(&str) -> bool) -> bool {
        self.top.iter().any(|l| test(l))
    }
}
