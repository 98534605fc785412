//! Paragraphs and passages of UN documents: lines are joined into
//! [`Para`]graphs ([`paragraphs`], the two layouts of [`super`]), and
//! pieces of a paragraph become passages ([`push`]), long ones cut into a
//! few sentences each ([`push_sentences`]).
//!
//! Why paragraphs: they are the passage unit of these documents (one
//! operative paragraph, one point of a speech). Why a long speech is cut
//! at sentences: a passage is what a hit shows, and a whole speech is too
//! long to read as one.
//!
//! Contract: [`paragraphs`] keeps every non-blank line, in order, and
//! remembers the page each line starts on; [`push`] and [`push_sentences`]
//! cut only at white space (at the byte offsets their callers give, which
//! must be character boundaries) and keep every word of the range.

use super::numbering::{letter_heading, op_marker, roman_heading, sub_marker};
use crate::model::text::{collapse_whitespace, prefix};
use crate::model::{Passage, PassageKind, Session};
use crate::parse::kind::Line;

/// A turn's paragraph longer than this (bytes) is cut into passages of
/// sentences, each at least [`MIN_PASSAGE`] long when possible and at most
/// [`MAX_PASSAGE`] unless one sentence is longer.
const LONG_PASSAGE: usize = 800;
pub(crate) const MIN_PASSAGE: usize = 300;
pub(crate) const MAX_PASSAGE: usize = 800;

/// A paragraph: its lines joined with '\n', and where each line starts.
#[derive(Clone)]
pub(crate) struct Para {
    pub(crate) text: String,
    /// Byte offset in `text` of each line's start, with the line's page.
    starts: Vec<(usize, Option<u32>)>,
}

impl Para {
    /// The page of the line holding byte `offset`.
    fn page_at(&self, offset: usize) -> Option<u32> {
        self.starts
            .iter()
            .take_while(|(start, _)| *start <= offset)
            .last()
            .or(self.starts.first())
            .and_then(|(_, page)| *page)
    }

    pub(crate) fn trimmed(&self) -> &str {
        self.text.trim()
    }

    /// The paragraph cut in two at byte `at` (a character boundary): the
    /// text before it and the text from it on, each line keeping its page.
    pub(crate) fn split_at(&self, at: usize) -> (Para, Para) {
        let at = at.min(self.text.len());
        let head = Para {
            text: self.text.get(..at).unwrap_or("").to_string(),
            starts: self
                .starts
                .iter()
                .copied()
                .filter(|(start, _)| *start < at)
                .collect(),
        };
        let mut starts = vec![(0, self.page_at(at))];
        starts.extend(
            self.starts
                .iter()
                .filter(|(start, _)| *start > at)
                .map(|(start, page)| (start - at, *page)),
        );
        let tail = Para {
            text: self.text.get(at..).unwrap_or("").to_string(),
            starts,
        };
        (head, tail)
    }
}

/// Joins lines into paragraphs (see the module documentation).
pub(crate) fn paragraphs(lines: &[Line]) -> Vec<Para> {
    let per_line = one_paragraph_per_line(lines);
    let width = if per_line { 0 } else { typical_width(lines) };
    let mut out: Vec<Para> = Vec::new();
    let mut open = false;
    let mut prev = "";
    for &(line, page) in lines {
        let t = line.trim();
        if t.is_empty() {
            open = false;
            continue;
        }
        let continues = open
            && if per_line {
                t.chars().next().is_some_and(char::is_lowercase)
            } else {
                !starts_paragraph(prev, t, width)
            };
        match out.last_mut() {
            Some(p) if continues => {
                p.text.push('\n');
                p.starts.push((p.text.len(), page));
                p.text.push_str(line);
            }
            _ => out.push(Para {
                text: line.to_string(),
                starts: vec![(0, page)],
            }),
        }
        open = true;
        prev = t;
    }
    out
}

/// Whether the text is laid out one paragraph per line: most lines of 40
/// bytes or more end a clause or a sentence. Short texts are.
fn one_paragraph_per_line(lines: &[Line]) -> bool {
    let (mut long, mut ended) = (0usize, 0usize);
    for (line, _) in lines {
        let t = line.trim();
        if t.len() >= 40 {
            long += 1;
            if t.ends_with(['.', ',', ';', ':', '!', '?']) {
                ended += 1;
            }
        }
    }
    long < 5 || ended * 10 >= long * 6
}

/// The width of a full line of wrapped text (the 75th percentile of line
/// lengths, in characters, counting up to 200).
fn typical_width(lines: &[Line]) -> usize {
    let mut widths: Vec<usize> = lines
        .iter()
        .map(|(l, _)| l.trim())
        .filter(|l| !l.is_empty())
        .map(|l| prefix(l, 800).chars().take(200).count())
        .collect();
    if widths.is_empty() {
        return 0;
    }
    widths.sort_unstable();
    widths
        .get(widths.len() * 3 / 4)
        .copied()
        .unwrap_or_default()
}

/// Whether wrapped line `cur` starts a paragraph after line `prev`.
fn starts_paragraph(prev: &str, cur: &str, width: usize) -> bool {
    let first_upper = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || matches!(c, '"' | '“' | '‘'))
    };
    let prev_ends = prev.ends_with(['.', ';', ':', '!', '?', ',']);
    if let Some(len) = op_marker(cur)
        .map(|(_, len)| len)
        .or(sub_marker(cur).map(|(_, len)| len))
        && (prev_ends || first_upper(cur.get(len..).unwrap_or("")))
    {
        return true;
    }
    if roman_heading(cur)
        || letter_heading(cur)
        || cur.starts_with("The Security Council")
        || prev.starts_with("Adopted by the Security Council")
    {
        return true;
    }
    // The line before ended its paragraph early (or was a heading).
    if prev.chars().take(200).count() * 10 < width * 6 {
        return true;
    }
    match prev.chars().last() {
        Some('.' | ';' | ':' | '!' | '?') => first_upper(cur),
        Some(',') => first_upper(cur) && is_clause_opener(cur),
        _ => false,
    }
}

/// Whether `text` opens a preambular clause ("Recalling", "Deeply
/// concerned", "Mindful"): a participle or adjective of the usual kind.
fn is_clause_opener(text: &str) -> bool {
    let word = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .next()
        .unwrap_or("");
    word.ends_with("ing")
        || word.ends_with("ed")
        || matches!(
            word,
            "Mindful" | "Aware" | "Also" | "Further" | "Deeply" | "Gravely" | "Strongly" | "Fully"
        )
}

/// Pushes the passage of `para.text[from..to]` (white space collapsed) onto
/// `session`, if it has words.
pub(crate) fn push(
    session: &mut Session,
    para: &Para,
    (from, to): (usize, usize),
    kind: PassageKind,
    number: Option<String>,
) {
    let text = collapse_whitespace(para.text.get(from..to).unwrap_or(""));
    if text.is_empty() {
        return;
    }
    let lead = para
        .text
        .get(from..)
        .map_or(0, |r| r.len() - r.trim_start().len());
    session.passages.push(Passage {
        text,
        kind,
        page: para.page_at(from + lead),
        para: number,
    });
}

/// Pushes `para.text[from..to]` as passages of a few sentences each when it
/// is long (see [`LONG_PASSAGE`]), else as one passage.
pub(crate) fn push_sentences(session: &mut Session, para: &Para, (from, to): (usize, usize)) {
    let text = para.text.get(from..to).unwrap_or("");
    if text.len() <= LONG_PASSAGE {
        push(session, para, (from, to), PassageKind::Paragraph, None);
        return;
    }
    let starts = sentence_starts(text);
    let mut start = 0;
    for (k, &b) in starts.iter().enumerate() {
        let next = starts.get(k + 1).copied().unwrap_or(text.len());
        if b - start >= MIN_PASSAGE && next - start > MAX_PASSAGE {
            push(
                session,
                para,
                (from + start, from + b),
                PassageKind::Paragraph,
                None,
            );
            start = b;
        }
    }
    push(
        session,
        para,
        (from + start, to),
        PassageKind::Paragraph,
        None,
    );
}

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "No", "Nos", "Art", "para", "paras", "e.g", "i.e", "cf", "vs",
    "Sr", "Jr", "Messrs", "Mt", "Gen", "Col", "Lt", "Prof", "Rev", "Hon", "H.E", "U.S", "U.N",
    "Ltd", "Co", "Inc", "Corp", "a.m", "p.m", "Amb", "Sect", "Ch", "Vol", "p", "pp", "al",
];

/// Byte offsets where a sentence starts in `text` (after the first): after
/// '.', '?' or '!' (and closing quotes or parentheses), white space, and a
/// capital, a digit or an opening quote; not after an abbreviation or an
/// initial ("Mr.", "J.").
fn sentence_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        while chars
            .peek()
            .is_some_and(|(_, c)| matches!(c, '"' | '”' | '’' | '\'' | ')'))
        {
            chars.next();
        }
        if !chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            continue;
        }
        while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let Some(&(k, next)) = chars.peek() else {
            break;
        };
        if !(next.is_uppercase() || next.is_ascii_digit() || matches!(next, '"' | '“' | '‘' | '('))
        {
            continue;
        }
        if c == '.' {
            let before = text.get(..i).unwrap_or("");
            let word = before
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("")
                .trim_start_matches(['(', '"', '“', '‘']);
            let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if initial || ABBREVIATIONS.contains(&word) {
                continue;
            }
        }
        out.push(k);
    }
    out
}

/// A session labelled `label` whose first passage is its heading as
/// written, `para.text[from..to]`.
pub(crate) fn heading_session(label: &str, para: &Para, range: (usize, usize)) -> Session {
    let mut session = Session::new(label);
    push(&mut session, para, range, PassageKind::Heading, None);
    session
}
