//! Helpers for the parsers' unit tests: fixture text into paged lines,
//! and the checks every type's tests make (no word lost or moved, no empty
//! session).
//!
//! The fixtures these read (`src/parse/fixtures/`) are test fixtures
//! written in the shapes of published UN documents (resolutions, S/PV
//! records, reports, press releases); they are not copies of real
//! documents.

use crate::model::{Briefing, Passage, Session};
use crate::parse::kind::Line;

/// Lines of `text`, all on page 1 but where a line is "\f" (a page
/// break: the page count goes up, the line is dropped).
pub(crate) fn paged(text: &str) -> Vec<Line<'_>> {
    let mut page = 1;
    let mut out = Vec::new();
    for line in text.lines() {
        if line == "\u{c}" {
            page += 1;
        } else {
            out.push((line, Some(page)));
        }
    }
    out
}

fn words(b: &Briefing) -> Vec<&str> {
    b.sessions
        .iter()
        .flat_map(|s| s.passages.iter())
        .flat_map(|p| p.text.split_whitespace())
        .collect()
}

/// Panics, showing where, unless `b` holds every word of `lines` in order
/// and no empty session.
pub(crate) fn assert_keeps_words(lines: &[Line], b: &Briefing) {
    let input: Vec<&str> = lines
        .iter()
        .flat_map(|(l, _)| l.split_whitespace())
        .collect();
    let output = words(b);
    if output != input {
        let at = output
            .iter()
            .zip(&input)
            .take_while(|(a, b)| a == b)
            .count();
        let around = |w: &[&str]| {
            w.iter()
                .skip(at.saturating_sub(8))
                .take(16)
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        };
        panic!(
            "{:?}: words differ at {at} ({} vs {}):\n out: {}\n  in: {}\n{:#?}",
            b.meta.doc_type,
            output.len(),
            input.len(),
            around(&output),
            around(&input),
            lines.iter().map(|(l, _)| *l).collect::<Vec<_>>()
        );
    }
    for s in &b.sessions {
        assert!(!s.passages.is_empty(), "empty session {:?}", s.label);
    }
}

pub(crate) fn labels(b: &Briefing) -> Vec<&str> {
    b.sessions.iter().map(|s| s.label.as_str()).collect()
}

/// The passage containing `needle`, with its session.
pub(crate) fn find<'a>(b: &'a Briefing, needle: &str) -> (&'a Session, &'a Passage) {
    b.sessions
        .iter()
        .flat_map(|s| s.passages.iter().map(move |p| (s, p)))
        .find(|(_, p)| p.text.contains(needle))
        .unwrap_or_else(|| panic!("no passage with {needle:?}"))
}

/// The type the list of kinds recognizes in `lines`, if any.
pub(crate) fn recognized(lines: &[Line]) -> Option<crate::model::DocType> {
    crate::parse::kinds::recognize(lines).map(|kind| kind.doc_type())
}

/// `lines` parsed by the kind that recognizes them, if one does (as
/// [`crate::parse::parse_lines`] would parse them).
pub(crate) fn parse_recognized(lines: &[Line]) -> Option<Briefing> {
    crate::parse::kinds::recognize(lines).map(|kind| crate::parse::kinds::parse_as(kind, lines))
}
