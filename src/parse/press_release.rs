//! Press releases (SC/NNNNN, "Meetings Coverage"): a title, then
//! sessions at their headings, if any; text before the first heading is
//! the "Overview".
//!
//! Recognized by a symbol "SC/NNNNN" at the top, with "Press Release",
//! "Meetings Coverage" or a "Security Council" line. Listed after
//! resolutions: a resolution may cite a press release's symbol ("SC/7791")
//! and starts with a "Security Council" line too.
//!
//! Metadata: the symbol, the title (the first line of a title's length
//! that is not a symbol, a date or a masthead) and the date.

use super::kind::{DocumentKind, Line, Top};
use super::un::numbering::{Numbering, is_heading_shape};
use super::un::paragraphs::{Para, paragraphs, push};
use super::un::sections::numbered_sessions;
use crate::extract::find_date;
use crate::model::text::{collapse_whitespace, find_ci};
use crate::model::{Briefing, DocType, Metadata, OVERVIEW, PassageKind, Session, Symbol};

/// The press release kind, for [`super::kinds::KINDS`].
pub struct PressRelease;

impl DocumentKind for PressRelease {
    fn doc_type(&self) -> DocType {
        DocType::PressRelease
    }

    fn recognize(&self, top: &Top) -> bool {
        let marker = top.any(|l| {
            find_ci(l, "press release").is_some()
                || find_ci(l, "meetings coverage").is_some()
                || l.trim_end_matches(',') == "Security Council"
        });
        marker && top.any(|l| Symbol::find_press_release(l).is_some())
    }

    fn parse(&self, lines: &[Line]) -> Briefing {
        parse_press_release(&paragraphs(lines))
    }
}

fn parse_press_release(paras: &[Para]) -> Briefing {
    let top: Vec<&str> = paras.iter().take(20).map(|p| p.trimmed()).collect();
    let title_at = top.iter().position(|t| {
        let words = t.split_whitespace().count();
        (4..=40).contains(&words)
            && Symbol::find_press_release(t).is_none()
            && find_date(t).is_none()
            && find_ci(t, "meetings coverage").is_none()
            && find_ci(t, "press release").is_none()
            && find_ci(t, "meeting (").is_none()
            && !t.ends_with('.')
    });
    let body_from = title_at.map_or(0, |i| i + 1);
    let is_heading =
        |t: &str, _: &Numbering| is_heading_shape(t) && t.split_whitespace().count() <= 8;
    let (head, body) = paras.split_at(body_from.min(paras.len()));
    let mut overview = Session::new(OVERVIEW);
    for (i, para) in head.iter().enumerate() {
        let kind = if title_at == Some(i) {
            PassageKind::Heading
        } else {
            PassageKind::Paragraph
        };
        push(&mut overview, para, (0, para.text.len()), kind, None);
    }
    let heading =
        |t: &str, numbering: &Numbering| is_heading(t, numbering).then(|| collapse_whitespace(t));
    let mut sessions = numbered_sessions(body, OVERVIEW, &heading, &|_| false);
    // Text between the title and the first heading belongs to the overview.
    if let Some(first) = sessions.first_mut()
        && first.label == OVERVIEW
    {
        overview.passages.append(&mut first.passages);
    }
    sessions.insert(0, overview);
    Briefing {
        meta: Metadata {
            title: title_at
                .and_then(|i| top.get(i))
                .map(|t| collapse_whitespace(t)),
            date: top.iter().take(12).find_map(|t| find_date(t)),
            symbol: top
                .iter()
                .find_map(|t| Symbol::find_press_release(t))
                .map(|s| s.to_string()),
            ..Metadata::default()
        },
        sessions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::testing::{
        assert_keeps_words, find, labels, paged, parse_recognized, recognized,
    };

    #[test]
    fn press_release_headings_and_metadata() {
        let lines = paged(include_str!("fixtures/press_release/meetings_coverage.txt"));
        assert_eq!(recognized(&lines), Some(DocType::PressRelease));
        let b = parse_recognized(&lines).expect("a press release");
        assert_keeps_words(&lines, &b);
        assert_eq!(b.meta.symbol.as_deref(), Some("SC/14105"));
        assert_eq!(b.meta.date.as_deref(), Some("2020-02-27"));
        assert_eq!(
            b.meta.title.as_deref(),
            Some("Security Council Extends Mandate of Panel of Experts on Somalia")
        );
        assert_eq!(labels(&b), ["Overview", "Statements", "Action"]);
        assert!(find(&b, "today extended").0.label == OVERVIEW);
    }
}
