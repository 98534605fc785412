//! Security Council resolutions: a "Preamble" session (title lines,
//! adoption line, preambular clauses), then "Operative paragraphs", or one
//! session per section heading between operative paragraphs ("Arms
//! embargo"). Operative passages know their paragraph: "4", "4 (a)",
//! "4 (a) (i)".
//!
//! Recognized by a line "Resolution 2178 (2014)" or "Adopted by the
//! Security Council at its ..." at the top, or by the symbol "S/RES/..."
//! with the line "The Security Council,". Listed after meeting records (a
//! record quotes resolutions) and before press releases (a resolution may
//! cite a press release's symbol, "SC/7791").
//!
//! Metadata: the symbol (from "S/RES/…", else from the title line), the
//! title "Security Council resolution 2178 (2014)", and the adoption date
//! (else the distribution date).

use super::kind::{DocumentKind, Line, TOP_LINES, Top};
use super::un::header::distributed_date;
use super::un::numbering::{Numbering, is_heading_shape, op_marker, plausible_op, sub_marker};
use super::un::paragraphs::{Para, paragraphs, push};
use super::un::sections::numbered_sessions;
use crate::extract::find_date;
use crate::model::text::{find_ci, leading_number, prefix};
use crate::model::{Briefing, DocType, Metadata, PassageKind, Session, Symbol};

/// The resolution kind, for [`super::kinds::KINDS`].
pub struct Resolution;

impl DocumentKind for Resolution {
    fn doc_type(&self) -> DocType {
        DocType::Resolution
    }

    fn recognize(&self, top: &Top) -> bool {
        top.any(|l| {
            resolution_number(l).is_some()
                || find_ci(prefix(l, 60), "adopted by the security council at its").is_some()
        }) || (top.any(|l| Symbol::find_resolution(l).is_some())
            && top.any(|l| l.trim_end_matches([',', ' ']) == "The Security Council"))
    }

    fn parse(&self, lines: &[Line]) -> Briefing {
        parse_resolution(&paragraphs(lines))
    }
}

/// Label of a resolution's preamble session.
pub const PREAMBLE: &str = "Preamble";
/// Label of a resolution's operative part when it has no section headings.
pub const OPERATIVE: &str = "Operative paragraphs";

fn parse_resolution(paras: &[Para]) -> Briefing {
    // The operative part: from paragraph 1 (or the first numbered one),
    // with the section headings just before it.
    let numbered = |p: &Para| {
        let t = p.trimmed();
        op_marker(t).filter(|(_, len)| plausible_op(t, *len))
    };
    let mut op_start = paras
        .iter()
        .position(|p| numbered(p).is_some_and(|(n, _)| n == 1))
        .or_else(|| paras.iter().position(|p| numbered(p).is_some()))
        .unwrap_or(paras.len());
    for _ in 0..2 {
        if op_start > 0
            && paras
                .get(op_start - 1)
                .is_some_and(|p| is_heading_shape(p.trimmed()))
        {
            op_start -= 1;
        }
    }
    let (preamble_paras, operative_paras) = paras.split_at(op_start.min(paras.len()));
    let mut preamble = Session::new(PREAMBLE);
    for para in preamble_paras {
        let kind = if is_heading_shape(para.trimmed()) {
            PassageKind::Heading
        } else {
            PassageKind::Paragraph
        };
        push(&mut preamble, para, (0, para.text.len()), kind, None);
    }
    let is_heading = |t: &str, _: &Numbering| {
        op_marker(t).is_none() && sub_marker(t).is_none() && is_heading_shape(t)
    };
    let operative = numbered_sessions(operative_paras, OPERATIVE, &is_heading);

    let top: Vec<&str> = preamble_paras
        .iter()
        .take(TOP_LINES)
        .map(|p| p.trimmed())
        .collect();
    let number = top.iter().find_map(|t| resolution_number(t));
    let symbol = top
        .iter()
        .find_map(|t| Symbol::find_resolution(t))
        .or_else(|| {
            number.map(|(n, y)| Symbol::Resolution {
                number: n,
                year: Some(y),
            })
        })
        .map(|s| s.to_string());
    let adopted = top.iter().find_map(|t| {
        let at = find_ci(t, "adopted by the security council at its")?;
        find_date(t.get(at..)?)
    });
    let date = adopted.or_else(|| distributed_date(&top));
    let mut sessions = vec![preamble];
    sessions.extend(operative);
    Briefing {
        meta: Metadata {
            title: number.map(|(n, y)| resolution_title(n, y)),
            date,
            symbol,
            ..Metadata::default()
        },
        sessions,
    }
}

/// The title of resolution `number` of `year`: "Security Council
/// resolution 2178 (2014)".
pub fn resolution_title(number: u32, year: u32) -> String {
    format!("Security Council resolution {number} ({year})")
}

/// "Resolution 2178 (2014)" (any case) at the start of `text`: (2178, 2014).
fn resolution_number(text: &str) -> Option<(u32, u32)> {
    let head = text.get(..11)?;
    if !head.eq_ignore_ascii_case("resolution ") {
        return None;
    }
    let rest = text.get(11..)?;
    let (n, len) = leading_number(rest, 5)?;
    let after = rest.get(len..)?.trim_start().strip_prefix('(')?;
    let (y, ylen) = leading_number(after, 4)?;
    (ylen == 4 && after.get(4..)?.starts_with(')')).then_some((n, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::testing::{
        assert_keeps_words, find, labels, paged, parse_recognized, recognized,
    };

    #[test]
    fn resolution_preamble_operative_paragraphs_and_sections() {
        let lines = paged(include_str!(
            "fixtures/resolution/sections_and_sub_items.txt"
        ));
        assert_eq!(recognized(&lines), Some(DocType::Resolution));
        let b = parse_recognized(&lines).expect("a resolution");
        assert_keeps_words(&lines, &b);
        assert_eq!(b.meta.doc_type, Some(DocType::Resolution));
        assert_eq!(b.meta.symbol.as_deref(), Some("S/RES/2036 (2012)"));
        // The adoption date, not the distribution date.
        assert_eq!(b.meta.date.as_deref(), Some("2012-02-22"));
        assert_eq!(
            b.meta.title.as_deref(),
            Some("Security Council resolution 2036 (2012)")
        );
        assert_eq!(
            labels(&b),
            ["Preamble", "Operative paragraphs", "Charcoal ban"]
        );
        let preamble = &b.sessions[0];
        assert!(preamble.passages.iter().all(|p| p.para.is_none()));
        assert!(
            preamble
                .passages
                .iter()
                .any(|p| p.text.starts_with("Adopted by"))
        );
        assert!(
            preamble
                .passages
                .iter()
                .any(|p| p.text.starts_with("Expressing concern"))
        );
        let paras: Vec<Option<&str>> = b.sessions[1..]
            .iter()
            .flat_map(|s| s.passages.iter())
            .map(|p| p.para.as_deref())
            .collect();
        assert_eq!(
            paras,
            [
                Some("1"),
                Some("2"),
                Some("3"),
                Some("3 (a)"),
                Some("3 (b)"),
                Some("3 (b) (i)"),
                Some("3 (b) (ii)"),
                None, // the heading "Charcoal ban"
                Some("4"),
                Some("5"),
                Some("6"),
            ]
        );
        let (session, charcoal) = find(&b, "export of charcoal");
        assert_eq!(session.label, "Charcoal ban");
        assert_eq!(charcoal.para.as_deref(), Some("4"));
        assert_eq!(charcoal.page, Some(2));
        assert_eq!(find(&b, "(a) Consolidation").1.kind, PassageKind::ListItem);
        assert_eq!(find(&b, "Requests the African").1.page, Some(1));
        let (_, six) = find(&b, "6. Decides to remain");
        assert_eq!(
            six.text,
            "6. Decides to remain actively seized of the matter."
        );
    }

    #[test]
    fn sub_item_letters_and_numerals() {
        let text = include_str!("fixtures/resolution/letters_and_numerals.txt");
        let lines = paged(text);
        let b = parse_recognized(&lines).expect("a resolution");
        assert_keeps_words(&lines, &b);
        let paras: Vec<Option<&str>> = b.sessions[1..]
            .iter()
            .flat_map(|s| s.passages.iter())
            .map(|p| p.para.as_deref())
            .collect();
        assert_eq!(
            paras,
            [
                Some("11"),
                Some("11 (a)"),
                Some("11 (b)"),
                Some("11 (b) (i)"),
                Some("11 (b) (ii)"),
                Some("11 (b) (iii)"),
                Some("11 (b) (iv)"),
                Some("11 (b) (v)"),
                Some("11 (c)"),
                Some("11 (d)"),
                Some("11 (e)"),
                Some("11 (f)"),
                Some("11 (g)"),
                Some("11 (h)"),
                Some("11 (i)"),
                None,
                Some("12"),
                Some("12"),
                Some("12 (aa)"),
            ]
        );
        assert_eq!(labels(&b), ["Preamble", "Operative paragraphs", "Listing"]);
    }

    #[test]
    fn glued_headings_and_inline_sub_items() {
        let text = include_str!("fixtures/resolution/glued_headings.txt");
        let lines = paged(text);
        let b = parse_recognized(&lines).expect("a resolution");
        assert_keeps_words(&lines, &b);
        assert_eq!(
            b.meta.title.as_deref(),
            Some("Security Council resolution 2216 (2015)")
        );
        // No S/RES line: the symbol from the title.
        assert_eq!(b.meta.symbol.as_deref(), Some("S/RES/2216 (2015)"));
        assert_eq!(b.meta.date.as_deref(), Some("2015-04-14"));
        assert_eq!(
            labels(&b),
            [
                "Preamble",
                "Arms embargo",
                "Mandate of the Sanctions Committee",
                "Commitment to review"
            ]
        );
        assert_eq!(find(&b, "(a) monitoring").1.para.as_deref(), Some("20 (a)"));
        assert_eq!(find(&b, "(b) seeking").1.para.as_deref(), Some("20 (b)"));
        assert_eq!(find(&b, "21. Reaffirms").1.para.as_deref(), Some("21"));
    }

    #[test]
    fn wrapped_resolution_lines_are_joined_into_paragraphs() {
        let text = include_str!("fixtures/resolution/wrapped_lines.txt");
        let lines = paged(text);
        let b = parse_recognized(&lines).expect("a resolution");
        assert_keeps_words(&lines, &b);
        assert_eq!(b.meta.date.as_deref(), Some("2014-09-24"));
        let preamble: Vec<&str> = b.sessions[0]
            .passages
            .iter()
            .map(|p| p.text.split_whitespace().next().unwrap_or(""))
            .collect();
        assert_eq!(
            preamble,
            ["Resolution", "Adopted", "The", "Reaffirming", "Expressing"]
        );
        let ops = &b.sessions[1].passages;
        assert_eq!(ops.len(), 2);
        assert!(ops[0].text.ends_with("disarm;"), "{}", ops[0].text);
        assert_eq!(ops[1].para.as_deref(), Some("2"));
    }

    /// The one change of order of the list: a resolution citing a press
    /// release's symbol is a resolution, not a press release.
    #[test]
    fn a_resolution_citing_a_press_release_is_a_resolution() {
        let text = "Security Council\nSC/7791\nResolution 1373 (2001)\nThe Security Council,\n1. Decides that all States shall act;\n";
        assert_eq!(recognized(&paged(text)), Some(DocType::Resolution));
    }
}
