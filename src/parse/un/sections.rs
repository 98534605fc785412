//! Numbered paragraphs into sessions: [`numbered_sessions`] walks the
//! paragraphs of a resolution's operative part, a report or a press
//! release, starts a session at each heading the type's rule accepts, and
//! gives each passage its paragraph number as cited ("4", "4 (a)").
//!
//! Why the heading rule is the caller's: what counts as a heading is what
//! differs between the types (a roman-numbered title in a report, a short
//! unnumbered line in a resolution); the numbering is the same for all.
//!
//! Contract: every word of every paragraph is in exactly one passage, in
//! order; a heading's text is the first passage of its session.

use super::numbering::{Numbering, glued_heading, inline_cuts, leading_op, op_marker, sub_marker};
use super::paragraphs::{Para, heading_session, push};
use crate::model::text::collapse_whitespace;
use crate::model::{PassageKind, Session};

/// Adds the paragraphs of `paras` to sessions, numbering them, starting a
/// session at each heading `heading` accepts, labelled as it says. Text
/// before the first heading goes to a session labelled `first_label`
/// (created when first needed). A paragraph `unnumbered` accepts (a
/// resolution's adoption note between its parts) is kept where it is,
/// without a paragraph number.
pub(crate) fn numbered_sessions(
    paras: &[Para],
    first_label: &str,
    heading: &dyn Fn(&str, &Numbering) -> Option<String>,
    unnumbered: &dyn Fn(&str) -> bool,
) -> Vec<Session> {
    let mut sessions: Vec<Session> = Vec::new();
    let mut numbering = Numbering::default();
    for para in paras {
        let t = para.trimmed();
        if unnumbered(t) {
            if sessions.is_empty() {
                sessions.push(Session::new(first_label));
            }
            if let Some(session) = sessions.last_mut() {
                push(
                    session,
                    para,
                    (0, para.text.len()),
                    PassageKind::Paragraph,
                    None,
                );
            }
            continue;
        }
        if let Some(label) = heading(t, &numbering) {
            sessions.push(heading_session(&label, para, (0, para.text.len())));
            numbering.heading();
            continue;
        }
        let mut from = 0;
        if op_marker(t).is_none()
            && sub_marker(t).is_none()
            && let Some(cut) = glued_heading(&para.text, &numbering)
        {
            let text = para.text.get(..cut).unwrap_or("");
            let label =
                heading(text.trim(), &numbering).unwrap_or_else(|| collapse_whitespace(text));
            sessions.push(heading_session(&label, para, (0, cut)));
            numbering.heading();
            from = cut;
        }
        if sessions.is_empty() {
            sessions.push(Session::new(first_label));
        }
        let Some(session) = sessions.last_mut() else {
            continue;
        };
        let starts_numbered = leading_op(para.text.get(from..).unwrap_or(""), &numbering).is_some();
        let mut cuts = vec![from];
        cuts.extend(inline_cuts(&para.text, from, &numbering));
        for (k, &cut) in cuts.iter().enumerate() {
            let end = cuts.get(k + 1).copied().unwrap_or(para.text.len());
            let piece = para.text.get(cut..end).unwrap_or("").trim_start();
            let number = op_marker(piece).filter(|_| k > 0 || starts_numbered);
            let kind = if let Some((n, _)) = number {
                numbering.number(n);
                PassageKind::Paragraph
            } else if let Some((inner, _)) = sub_marker(piece) {
                if numbering.op.is_some() {
                    numbering.active = true;
                }
                numbering.sub(inner);
                PassageKind::ListItem
            } else {
                PassageKind::Paragraph
            };
            push(session, para, (cut, end), kind, numbering.label());
        }
    }
    sessions
}
