//! Reports (of the Secretary-General, a monitoring team, a panel of
//! experts) and letters in the S/YYYY/N series: sessions at their headings
//! ("I. Introduction", "A. ..."), numbered paragraphs as cited ("12",
//! "12 (a)"). Text before the first heading is the "Overview".
//!
//! Recognized by a symbol "S/YYYY/NNN" or a title "Report of ..." at the
//! top, with the other or with two headings "I. ...", "II. ...". Last in
//! the list: the other types cite such symbols.
//!
//! Metadata: the symbol, the title ("Report of …", else "Letter dated …")
//! and the distribution date, from the text before the first heading.

use super::kind::{DocumentKind, Line, TOP_LINES, Top};
use super::un::header::distributed_date;
use super::un::numbering::{Numbering, letter_heading, op_marker, roman_heading};
use super::un::paragraphs::{Para, paragraphs};
use super::un::sections::numbered_sessions;
use crate::model::text::collapse_whitespace;
use crate::model::{Briefing, DocType, Metadata, OVERVIEW, Symbol};

/// The report kind, for [`super::kinds::KINDS`].
pub struct Report;

impl DocumentKind for Report {
    fn doc_type(&self) -> DocType {
        DocType::Report
    }

    fn recognize(&self, top: &Top) -> bool {
        let symbol = top.any(|l| Symbol::find_document(l).is_some());
        let title = top.any(is_report_title);
        if symbol && title {
            return true;
        }
        // One of the two: the document's own headings must confirm it.
        (symbol || title)
            && top
                .lines
                .iter()
                .filter(|(l, _)| roman_heading(l.trim()))
                .take(2)
                .count()
                >= 2
    }

    fn parse(&self, lines: &[Line]) -> Briefing {
        parse_report(&paragraphs(lines))
    }
}

fn parse_report(paras: &[Para]) -> Briefing {
    let is_heading = |t: &str, numbering: &Numbering| {
        if roman_heading(t) || numbering.headings > 0 && letter_heading(t) {
            return true;
        }
        // A numbered subheading ("1. Financing"), out of the paragraphs'
        // sequence, short and without final punctuation.
        if let Some((n, _)) = op_marker(t) {
            return numbering.op.is_some_and(|op| op + 1 != n) && is_heading_shape_numbered(t);
        }
        false
    };
    let heading =
        |t: &str, numbering: &Numbering| is_heading(t, numbering).then(|| collapse_whitespace(t));
    let sessions = numbered_sessions(paras, OVERVIEW, &heading, &|_| false);
    let top: Vec<&str> = paras
        .iter()
        .take_while(|p| !roman_heading(p.trimmed()))
        .take(TOP_LINES)
        .map(|p| p.trimmed())
        .collect();
    let title = top
        .iter()
        .find(|t| is_report_title(t))
        .or_else(|| top.iter().find(|t| t.starts_with("Letter dated")))
        .map(|t| collapse_whitespace(t));
    Briefing {
        meta: Metadata {
            title,
            date: distributed_date(&top),
            symbol: top
                .iter()
                .find_map(|t| Symbol::find_document(t))
                .map(|s| s.to_string()),
            ..Metadata::default()
        },
        sessions,
    }
}

/// "3. Financing of terrorism": a short numbered line without final
/// punctuation.
fn is_heading_shape_numbered(text: &str) -> bool {
    op_marker(text)
        .and_then(|(_, len)| text.get(len..))
        .is_some_and(|rest| {
            let rest = rest.trim();
            rest.chars().count() <= 80
                && rest.chars().next().is_some_and(char::is_uppercase)
                && !rest.ends_with(['.', ',', ';', ':'])
        })
}

/// A report's title: "Report of the Secretary-General on …", "Twenty-fifth
/// report of the Analytical Support and Sanctions Monitoring Team …",
/// "Final report of the Panel of Experts …", without a final period.
fn is_report_title(text: &str) -> bool {
    let t = text.trim();
    if t.ends_with('.') || t.split_whitespace().count() > 60 {
        return false;
    }
    let words: Vec<&str> = t.split_whitespace().take(5).collect();
    words.iter().enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case("report")
            && words.get(i + 1).is_some_and(|n| *n == "of" || *n == "on")
            && (i == 0
                || words
                    .first()
                    .is_some_and(|f| f.chars().next().is_some_and(char::is_uppercase)))
            && words.first() != Some(&"The")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::testing::{
        assert_keeps_words, find, labels, paged, parse_recognized, recognized,
    };

    #[test]
    fn report_headings_paragraphs_and_metadata() {
        let lines = paged(include_str!("fixtures/report/headings_and_paragraphs.txt"));
        assert_eq!(recognized(&lines), Some(DocType::Report));
        let b = parse_recognized(&lines).expect("a report");
        assert_keeps_words(&lines, &b);
        assert_eq!(b.meta.symbol.as_deref(), Some("S/2020/95"));
        assert_eq!(b.meta.date.as_deref(), Some("2020-02-04"));
        assert_eq!(
            b.meta.title.as_deref(),
            Some(
                "Report of the Secretary-General on the threat posed by ISIL (Da'esh) to international peace and security"
            )
        );
        assert_eq!(
            labels(&b),
            [
                "Overview",
                "I. Introduction",
                "II. Threat assessment",
                "A. Overview of the threat",
                "B. Regional trends"
            ]
        );
        assert_eq!(
            find(&b, "(b) the response").1.para.as_deref(),
            Some("2 (b)")
        );
        let (s, p) = find(&b, "In Africa");
        assert_eq!(
            (s.label.as_str(), p.para.as_deref(), p.page),
            ("B. Regional trends", Some("4"), Some(2))
        );
    }
}
