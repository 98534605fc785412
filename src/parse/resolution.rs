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

use super::kind::{DocumentKind, Line, Top};
use super::un::header::{distributed_date, lenient_date};
use super::un::numbering::{Numbering, is_heading_shape, op_marker, plausible_op, sub_marker};
use super::un::paragraphs::{Para, paragraphs, push};
use super::un::sections::numbered_sessions;
use crate::model::text::{collapse_whitespace, find_ci, leading_number, prefix};
use crate::model::{Briefing, DocType, Metadata, PassageKind, Session, Symbol};

/// The resolution kind, for [`super::kinds::KINDS`].
pub struct Resolution;

impl DocumentKind for Resolution {
    fn doc_type(&self) -> DocType {
        DocType::Resolution
    }

    fn recognize(&self, top: &Top) -> bool {
        top.any(|l| {
            heading(l).is_some()
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
/// Label of the session of footnotes and adoption notes ("Adopted at the
/// 1504th meeting.", "5 Ibid., Tenth Year …"): they are not operative
/// paragraphs and carry no paragraph number.
pub const NOTES: &str = "Notes";

/// Paragraphs at the top that may hold the heading, the symbol and dates.
const HEAD_PARAS: usize = 12;

/// What a resolution's own heading says: its number, and the year and date
/// where the heading gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Heading {
    number: u32,
    year: Option<u32>,
    date: Option<String>,
}

impl Heading {
    /// The year of the resolution: its date's, else the heading's
    /// "(YYYY)". The date wins where they differ: a typed "(1961)" in
    /// "Resolution 171 (1961) of 9 April 1962" is the typo.
    fn year(&self) -> Option<u32> {
        self.date
            .as_deref()
            .and_then(|d| d.get(..4)?.parse().ok())
            .or(self.year)
    }
}

fn parse_resolution(paras: &[Para]) -> Briefing {
    let head_end = paras.len().min(HEAD_PARAS);
    let found = paras[..head_end]
        .iter()
        .enumerate()
        .find_map(|(i, p)| heading(p.trimmed()).map(|h| (i, h)));
    // The date on the line after a heading or adoption line that ends
    // without one ("… at its 2988th meeting on" / "20 May 1991").
    let next_date = |i: usize| {
        paras
            .get(i + 1)
            .map(Para::trimmed)
            .filter(|t| t.len() <= 40)
            .and_then(lenient_date)
    };
    let heading = found.as_ref().map(|(i, h)| Heading {
        date: h.date.clone().or_else(|| {
            let t = paras.get(*i).map(Para::trimmed).unwrap_or("");
            let rest = t.get(t.len().min(30)..).unwrap_or("");
            (rest.trim().is_empty() || rest.trim_end().ends_with(" on"))
                .then(|| next_date(*i))
                .flatten()
        }),
        ..h.clone()
    });
    let council = paras
        .iter()
        .position(|p| p.trimmed().starts_with("The Security Council"));
    let body_from = council.or(found.as_ref().map(|(i, _)| i + 1)).unwrap_or(0);
    let (preamble_paras, operative_paras) = split_operative(paras, body_from);

    // Footnotes and adoption notes after the text go to the Notes session;
    // one between parts stays where it is, without a number.
    // After an adoption note, numbered lines are footnotes ("1 The draft
    // resolution was voted on in parts.").
    let trailing = |list: &[Para]| {
        let adopted = list.iter().position(|p| is_adoption_note(p.trimmed()));
        list.iter()
            .enumerate()
            .rposition(|(i, p)| {
                let t = p.trimmed();
                !(is_note(t) || adopted.is_some_and(|a| i > a) && is_footnote_shape(t))
            })
            .map_or(0, |i| i + 1)
    };
    let mut notes = Session::new(NOTES);
    let mut push_notes = |list: &[Para]| {
        for para in list {
            let t = para.trimmed();
            push(&mut notes, para, (0, para.text.len()), note_kind(t), None);
        }
    };
    let operative_end = trailing(&operative_paras);
    let preamble_end = if operative_end == 0 {
        trailing(&preamble_paras)
    } else {
        preamble_paras.len()
    };
    let mut preamble = Session::new(PREAMBLE);
    for para in &preamble_paras[..preamble_end] {
        let kind = if is_heading_shape(para.trimmed()) {
            PassageKind::Heading
        } else {
            PassageKind::Paragraph
        };
        push(&mut preamble, para, (0, para.text.len()), kind, None);
    }
    push_notes(&preamble_paras[preamble_end..]);
    let label = |t: &str, _: &Numbering| section_label(t);
    let operative = numbered_sessions(
        &operative_paras[..operative_end],
        OPERATIVE,
        &label,
        &is_note,
    );
    push_notes(&operative_paras[operative_end..]);

    let top: Vec<&str> = paras[..head_end].iter().map(Para::trimmed).collect();
    let symbol = heading
        .as_ref()
        .and_then(|h| {
            h.year().map(|year| Symbol::Resolution {
                number: h.number,
                year: Some(year),
            })
        })
        // A header line that is the symbol ("S/RES/2178 (2014)", "Distr.
        // GENERAL S/RES/1275 (1999)"), never a resolution the text cites.
        .or_else(|| {
            top.iter()
                .filter(|t| t.starts_with("S/RES/") || t.contains("Distr"))
                .find_map(|t| Symbol::find_resolution(t))
        })
        .map(|s| s.to_string());
    let number_year = heading
        .as_ref()
        .and_then(|h| Some((h.number, h.year()?)))
        .or_else(|| match symbol.as_deref()?.parse::<Symbol>().ok()? {
            Symbol::Resolution {
                number,
                year: Some(year),
            } => Some((number, year)),
            _ => None,
        });
    let adopted = top.iter().enumerate().find_map(|(i, t)| {
        let at = find_ci(t, "adopted by the security council at its")?;
        // The adoption line itself, or a heading running into it; a
        // preambular clause citing another meeting's agenda is neither.
        (at <= 45).then(|| lenient_date(t.get(at..)?).or_else(|| next_date(i)))?
    });
    // Dates in order of trust; one in the resolution's own year wins (the
    // sources have typos: "adopted … on 21 November 1987" in 1997).
    let candidates: Vec<String> = [
        adopted,
        heading.as_ref().and_then(|h| h.date.clone()),
        distributed_date(&top),
    ]
    .into_iter()
    .flatten()
    .collect();
    let own_year = number_year.map(|(_, y)| y.to_string());
    let date = candidates
        .iter()
        .find(|d| own_year.as_deref().is_some_and(|y| d.starts_with(y)))
        .or(candidates.first())
        .cloned();
    let mut sessions = vec![preamble];
    sessions.extend(operative);
    if !notes.passages.is_empty() {
        sessions.push(notes);
    }
    Briefing {
        meta: Metadata {
            title: number_year.map(|(n, y)| resolution_title(n, y)),
            date,
            symbol,
            ..Metadata::default()
        },
        sessions,
    }
}

/// The paragraphs of the preamble and of the operative part. The operative
/// part starts at paragraph 1 (or the first numbered one), or at the first
/// unnumbered operative clause ("Decides that …", "Appoints Mr. …"), after
/// `body_from` (the "The Security Council" line), with the section
/// headings just before it; where the whole text is one paragraph, at an
/// inline "…, 1. Condemns" (the paragraph is cut there).
fn split_operative(paras: &[Para], body_from: usize) -> (Vec<Para>, Vec<Para>) {
    let numbered = |p: &Para| {
        let t = p.trimmed();
        op_marker(t).filter(|(_, len)| plausible_op(t, *len))
    };
    let after = |i: &usize| *i >= body_from;
    let first_numbered = (0..paras.len())
        .filter(after)
        .find(|&i| numbered(&paras[i]).is_some_and(|(n, _)| n == 1))
        .or_else(|| {
            (0..paras.len())
                .filter(after)
                .find(|&i| numbered(&paras[i]).is_some())
        });
    let first_clause = (0..paras.len())
        .filter(after)
        .find(|&i| is_operative_clause(paras[i].trimmed()));
    let mut op_start = match (first_numbered, first_clause) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(paras.len()),
    };
    let starts_at_one = first_numbered
        .and_then(|i| numbered(&paras[i]))
        .is_some_and(|(n, _)| n == 1);
    if !starts_at_one {
        // A paragraph holding preamble and operative part alike (a text
        // extracted as one line per page).
        for i in (0..op_start.min(paras.len())).filter(after) {
            if let Some(cut) = inline_first_paragraph(&paras[i].text) {
                let (head, tail) = paras[i].split_at(cut);
                let mut preamble: Vec<Para> = paras[..i].iter().map(Para::clone).collect();
                preamble.push(head);
                let mut operative = vec![tail];
                operative.extend(paras[i + 1..].iter().map(Para::clone));
                return (preamble, operative);
            }
        }
    }
    for _ in 0..2 {
        if op_start > body_from.max(1)
            && paras
                .get(op_start - 1)
                .is_some_and(|p| is_heading_shape(p.trimmed()) && !is_note(p.trimmed()))
        {
            op_start -= 1;
        }
    }
    let (pre, op) = paras.split_at(op_start.min(paras.len()));
    (
        pre.iter().map(Para::clone).collect(),
        op.iter().map(Para::clone).collect(),
    )
}

/// Where an inline operative paragraph 1 starts in a paragraph: "1." after
/// a clause's end (",", ";" or ":") and before a capital letter.
fn inline_first_paragraph(text: &str) -> Option<usize> {
    text.match_indices("1.").find_map(|(i, _)| {
        let before = text.get(..i)?.trim_end();
        let digit_before = text.get(..i)?.ends_with(|c: char| c.is_ascii_digit());
        let after = text.get(i..)?;
        let (n, len) = op_marker(after)?;
        (n == 1 && !digit_before && before.ends_with([',', ';', ':']) && plausible_op(after, len))
            .then_some(i)
    })
}

/// The verbs an operative clause opens with, in the third person: what
/// the Council does, as opposed to the preamble's participles ("Noting",
/// "Recalling", "Deeply concerned").
const OPERATIVE_VERBS: &[&str] = &[
    "Accepts",
    "Acknowledges",
    "Affirms",
    "Agrees",
    "Appeals",
    "Appoints",
    "Approves",
    "Authorizes",
    "Authorises",
    "Calls",
    "Censures",
    "Commends",
    "Condemns",
    "Confirms",
    "Considers",
    "Decides",
    "Declares",
    "Demands",
    "Deplores",
    "Determines",
    "Directs",
    "Emphasizes",
    "Encourages",
    "Endorses",
    "Establishes",
    "Expresses",
    "Extends",
    "Finds",
    "Insists",
    "Instructs",
    "Invites",
    "Notes",
    "Reaffirms",
    "Recalls",
    "Recognizes",
    "Recommends",
    "Regrets",
    "Reiterates",
    "Reminds",
    "Renews",
    "Requests",
    "Requires",
    "Resolves",
    "Stresses",
    "Supports",
    "Takes",
    "Underlines",
    "Urges",
    "Warns",
    "Welcomes",
];

/// Whether a paragraph opens an operative clause without a number
/// ("Decides that an election …", "Also requests …").
fn is_operative_clause(text: &str) -> bool {
    let mut words = text.split(|c: char| c.is_whitespace() || c == ',' || c == ':');
    let first = words.next().unwrap_or("");
    let verb = if matches!(first, "Also" | "Further" | "Further," | "Again") {
        let second = words.find(|w| !w.is_empty()).unwrap_or("");
        let mut chars = second.chars();
        chars
            .next()
            .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
    } else {
        first.to_string()
    };
    OPERATIVE_VERBS.contains(&verb.as_str())
}

/// Whether a paragraph is a footnote or an adoption note: "Adopted at the
/// 1504th meeting.", "Adopted unanimously …", "Footnotes", "5 Ibid., Tenth
/// Year …", "(42) Ibid., document S/6648.", "1 Official Records of …".
fn is_note(text: &str) -> bool {
    if text.eq_ignore_ascii_case("footnotes") {
        return true;
    }
    let adopted = [
        "Adopted at ",
        "Adopted unanimously",
        "Adopted without",
        "Adopted by ",
    ];
    if adopted.iter().any(|a| text.starts_with(a))
        && find_ci(prefix(text, 60), "adopted by the security council").is_none()
    {
        return true;
    }
    let rest = text.strip_prefix('(').unwrap_or(text);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return false;
    }
    let rest = rest.get(digits..).unwrap_or("");
    let rest = rest.strip_prefix(')').unwrap_or(rest);
    let rest = rest.strip_prefix('.').unwrap_or(rest).trim_start();
    [
        "Ibid",
        "Official Records",
        "See ",
        "Op. cit",
        "Document",
        "Supplement",
        "S/",
        "A/",
        "United Nations, Treaty Series",
    ]
    .iter()
    .any(|start| rest.starts_with(start))
}

/// "Adopted at the 1504th meeting.", "Adopted unanimously …": the note
/// under a resolution, not its adoption line at the top.
fn is_adoption_note(text: &str) -> bool {
    let adopted = [
        "Adopted at ",
        "Adopted unanimously",
        "Adopted without",
        "Adopted by ",
    ];
    adopted.iter().any(|a| text.starts_with(a))
        && find_ci(prefix(text, 60), "adopted by the security council").is_none()
}

/// A footnote's shape: its number, then text ("1 The draft resolution …",
/// "(2) See …"), without the period an operative number has.
fn is_footnote_shape(text: &str) -> bool {
    let rest = text.strip_prefix('(').unwrap_or(text);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits)
        && rest
            .get(digits..)
            .map(|r| r.strip_prefix(')').unwrap_or(r))
            .is_some_and(|r| r.starts_with(char::is_whitespace))
}

fn note_kind(text: &str) -> PassageKind {
    if text.eq_ignore_ascii_case("footnotes") {
        PassageKind::Heading
    } else {
        PassageKind::Paragraph
    }
}

/// The label of a section of the operative part, if `text` is a heading:
/// a part marker alone ("A", "III") starts "Part A"; a heading is labelled
/// in title case ("Arms Embargo" for "Arms embargo" and "Arms Embargo"), so
/// that one heading is one value of the session facet.
fn section_label(text: &str) -> Option<String> {
    let t = text.trim().trim_end_matches('.');
    let part = (t.len() == 1 && t.bytes().all(|b| b.is_ascii_uppercase()))
        || (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| matches!(b, b'I' | b'V' | b'X')));
    if part {
        return Some(format!("Part {t}"));
    }
    if op_marker(text).is_some() || sub_marker(text).is_some() || !is_heading_shape(text) {
        return None;
    }
    // A clause with a footnote mark after its comma is not a heading.
    let unmarked = text.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '[' | ']'));
    if unmarked.ends_with([',', ';', '.', ':']) || is_note(text) {
        return None;
    }
    let label = collapse_whitespace(text);
    // An annex's heading is typed "ANNEX" or "Annex"; capitals elsewhere
    // are acronyms ("UNMIL") and stay.
    if label.eq_ignore_ascii_case("annex") {
        return Some("Annex".into());
    }
    Some(title_case(&label))
}

/// "Arms embargo and travel ban" → "Arms Embargo and Travel Ban": each word
/// capitalized but the small ones inside; acronyms and capitals kept.
fn title_case(text: &str) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
        "to", "with",
    ];
    text.split(' ')
        .enumerate()
        .map(|(i, word)| {
            if i > 0 && SMALL.contains(&word) {
                return word.to_string();
            }
            let mut chars = word.chars();
            chars
                .next()
                .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The title of resolution `number` of `year`: "Security Council
/// resolution 2178 (2014)".
pub fn resolution_title(number: u32, year: u32) -> String {
    format!("Security Council resolution {number} ({year})")
}

/// A resolution's own heading, in the layouts of every era:
/// - "Resolution 2178 (2014)", also with "of 24 November 1953", "or 11
///   October 1991", "Adopted by the Security Council at its …" after it,
///   or "Resolution 183 of 11 December 1963" without the year;
/// - "Security Council Resolution S/RES/631 (1989)";
/// - the yearbooks' "103 (1953). Resolution of 3 December 1953" and "1
///   Resolution of 25 January 1946".
fn heading(text: &str) -> Option<Heading> {
    let text = prefix(text, 200);
    // "Security Council Resolution S/RES/631 (1989)": only with the symbol;
    // "Security Council resolution 1540 (2004) calls upon …" is a sentence.
    let council = text
        .strip_prefix("Security Council ")
        .or_else(|| text.strip_prefix("SECURITY COUNCIL "));
    let text = council.unwrap_or(text);
    if text
        .get(..11)
        .is_some_and(|h| h.eq_ignore_ascii_case("resolution "))
    {
        let rest = text.get(11..)?.trim_start();
        if council.is_some() && !rest.starts_with("S/RES/") {
            return None;
        }
        if let Some(symbol) = rest.strip_prefix("S/RES/") {
            let Symbol::Resolution { number, year } =
                Symbol::find_resolution(&format!("S/RES/{symbol}"))?
            else {
                return None;
            };
            return Some(Heading {
                number,
                year,
                date: lenient_date(rest),
            });
        }
        let (number, len) = leading_number(rest, 5)?;
        let after = rest.get(len..)?.trim_start();
        let (year, after) = match after.strip_prefix('(') {
            Some(inner) => {
                let (y, ylen) = leading_number(inner, 4)?;
                let close = inner.get(ylen..)?.strip_prefix(')')?;
                ((ylen == 4).then_some(y), close.trim_start())
            }
            None => (None, after),
        };
        let lower = after.to_ascii_lowercase();
        let known_tail = after.is_empty()
            || lower.starts_with("of ")
            || lower.starts_with("or ")
            || lower.starts_with("adopted")
            || lower.starts_with('[')
            || lower.starts_with("the security council");
        if year.is_none() && !known_tail {
            return None;
        }
        let date = (lower.starts_with("of ") || lower.starts_with("or "))
            .then(|| lenient_date(prefix(after, 40)))
            .flatten();
        return Some(Heading { number, year, date });
    }
    // The yearbooks: "103 (1953). Resolution of 3 December 1953".
    let (number, len) = leading_number(text, 4)?;
    let mut rest = text.get(len..)?.trim_start();
    let mut year = None;
    if let Some(inner) = rest.strip_prefix('(') {
        let (y, ylen) = leading_number(inner, 4)?;
        year = (ylen == 4).then_some(y);
        rest = inner.get(ylen..)?.strip_prefix(')')?;
    }
    let rest = rest.trim_start_matches(['.', ' ', '\u{a0}', '\t']);
    let of = rest.strip_prefix("Resolution of ")?;
    Some(Heading {
        number,
        year,
        date: lenient_date(prefix(of, 40)),
    })
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
            ["Preamble", "Operative paragraphs", "Charcoal Ban"]
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
        assert_eq!(session.label, "Charcoal Ban");
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
                "Arms Embargo",
                "Mandate of the Sanctions Committee",
                "Commitment to Review"
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

    /// The labels, paragraph numbers and texts of a parsed fixture.
    fn layout(b: &Briefing) -> Vec<(String, Option<String>, String)> {
        b.sessions
            .iter()
            .flat_map(|s| {
                s.passages.iter().map(|p| {
                    (
                        s.label.clone(),
                        p.para.clone(),
                        prefix(&p.text, 24).to_string(),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn yearbook_heading_unnumbered_clauses_and_notes() {
        let lines = paged(include_str!("fixtures/resolution/yearbook.txt"));
        assert_eq!(recognized(&lines), Some(DocType::Resolution));
        let b = parse_recognized(&lines).expect("a resolution");
        assert_keeps_words(&lines, &b);
        assert_eq!(b.meta.symbol.as_deref(), Some("S/RES/103 (1953)"));
        assert_eq!(b.meta.date.as_deref(), Some("1953-12-03"));
        assert_eq!(
            b.meta.title.as_deref(),
            Some("Security Council resolution 103 (1953)")
        );
        assert_eq!(labels(&b), ["Preamble", "Operative paragraphs", "Notes"]);
        let (session, decides) = find(&b, "Decides that an election");
        assert_eq!(session.label, "Operative paragraphs");
        assert_eq!(decides.para, None);
        assert_eq!(find(&b, "Appoints Mr.").0.label, "Operative paragraphs");
        assert_eq!(find(&b, "Adopted at the 640th").0.label, "Notes");
        let (notes, footnote) = find(&b, "5 Ibid.");
        assert_eq!(
            (notes.label.as_str(), footnote.para.as_deref()),
            ("Notes", None)
        );
    }

    #[test]
    fn adoption_line_broken_parts_headings_and_footnotes() {
        let lines = paged(include_str!("fixtures/resolution/broken_adoption_line.txt"));
        let b = parse_recognized(&lines).expect("a resolution");
        assert_keeps_words(&lines, &b);
        assert_eq!(b.meta.symbol.as_deref(), Some("S/RES/693 (1991)"));
        // The date on the line after the adoption line; not the meeting a
        // preambular clause reports, nor "Distressed".
        assert_eq!(b.meta.date.as_deref(), Some("1991-05-20"));
        assert_eq!(
            labels(&b),
            [
                "Preamble",
                "Operative paragraphs",
                "Part A",
                "Arms Embargo",
                "Notes"
            ]
        );
        let paras: Vec<Option<String>> = layout(&b)
            .into_iter()
            .filter(|(label, _, _)| label != PREAMBLE)
            .map(|(_, para, _)| para)
            .collect();
        let n = |s: &str| Some(s.to_string());
        assert_eq!(
            paras,
            [n("1"), n("2"), None, n("1"), None, n("2"), None, None]
        );
    }

    #[test]
    fn a_one_line_text_splits_at_its_inline_paragraph_numbers() {
        let lines = paged(include_str!("fixtures/resolution/one_line.txt"));
        let b = parse_recognized(&lines).expect("a resolution");
        assert_keeps_words(&lines, &b);
        assert_eq!(b.meta.symbol.as_deref(), Some("S/RES/1275 (1999)"));
        assert_eq!(b.meta.date.as_deref(), Some("1999-11-19"));
        assert_eq!(labels(&b), ["Preamble", "Operative paragraphs"]);
        let (_, one) = find(&b, "1. Decides to extend");
        assert_eq!(one.para.as_deref(), Some("1"));
        let (_, two) = find(&b, "2. Decides to remain");
        assert_eq!(two.para.as_deref(), Some("2"));
        let (preamble, _) = find(&b, "Acting under Chapter VII");
        assert_eq!(preamble.label, PREAMBLE);
    }

    #[test]
    fn a_cited_resolution_is_not_the_document_s_symbol() {
        // Its own heading was removed with the page furniture: the symbol
        // comes from the running header (the caller's metadata), never from
        // a resolution the text cites.
        let lines = paged(include_str!("fixtures/resolution/heading_removed.txt"));
        let b = Resolution.parse(&lines);
        assert_eq!(b.meta.symbol, None);
        assert_eq!(b.meta.title, None);
        assert_eq!(find(&b, "1. Condemns").1.para.as_deref(), Some("1"));
    }

    #[test]
    fn headings_of_every_era() {
        let h = |t: &str| heading(t).map(|h| (h.number, h.year(), h.date));
        let d = |s: &str| Some(s.to_string());
        assert_eq!(
            h("1 Resolution of 25 January 1946"),
            Some((1, Some(1946), d("1946-01-25")))
        );
        assert_eq!(
            h("103 (1953). Resolution of 3 December 1953 [S/3140]"),
            Some((103, Some(1953), d("1953-12-03")))
        );
        assert_eq!(
            h("Resolution 101 (1953) of 24 November 1953"),
            Some((101, Some(1953), d("1953-11-24")))
        );
        assert_eq!(
            h("Resolution 715 (1991) or 11 October 1991"),
            Some((715, Some(1991), d("1991-10-11")))
        );
        assert_eq!(
            h("Resolution 183 of 11 December 1963"),
            Some((183, Some(1963), d("1963-12-11")))
        );
        assert_eq!(
            h("Resolution 735 (1992) of 29 Janunry 1992"),
            Some((735, Some(1992), d("1992-01-29")))
        );
        assert_eq!(
            h("Security Council Resolution S/RES/631 (1989)"),
            Some((631, Some(1989), None))
        );
        assert_eq!(h("RESOLUTION 1275 (1999)"), Some((1275, Some(1999), None)));
        assert_eq!(
            h("Resolution 43 (148) of 1 April 1948"),
            Some((43, Some(1948), d("1948-04-01")))
        );
        assert_eq!(h("Resolutions adopted in 1953"), None);
        assert_eq!(h("12 Member States voted in favour"), None);
        assert_eq!(h("Resolution 1373 recalls that terrorism"), None);
        assert_eq!(
            h("Security Council resolution 1540 (2004) calls upon Member States to act."),
            None
        );
    }

    #[test]
    fn section_labels_are_headings_in_one_casing() {
        assert_eq!(
            section_label("Arms embargo").as_deref(),
            Some("Arms Embargo")
        );
        assert_eq!(
            section_label("Arms Embargo").as_deref(),
            Some("Arms Embargo")
        );
        assert_eq!(
            section_label("Review and maintenance of the Al-Qaida Sanctions List").as_deref(),
            Some("Review and Maintenance of the Al-Qaida Sanctions List")
        );
        assert_eq!(section_label("III").as_deref(), Some("Part III"));
        assert_eq!(section_label("ANNEX").as_deref(), Some("Annex"));
        assert_eq!(section_label("UNMIL").as_deref(), Some("UNMIL"));
        assert_eq!(section_label("B").as_deref(), Some("Part B"));
        assert_eq!(section_label("Footnotes"), None);
        assert_eq!(section_label("Adopted at the 82nd meeting.1"), None);
        assert_eq!(
            section_label("Having considered the report of the Ad Hoc Sub-Committee,[4]"),
            None
        );
    }
}
