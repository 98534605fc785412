//! United Nations Security Council documents: resolutions, verbatim meeting
//! records (S/PV), reports and press releases, recognized from their text
//! (never from the file name) and parsed into the model.
//!
//! Input: lines of text with their page, already decoded, with the page
//! furniture removed (running symbols, job numbers, barcodes, page counters)
//! and paragraphs split across pages joined. Two layouts are read:
//!
//! - one paragraph per line (the published text files): each line is a
//!   paragraph, except that a line starting with a lowercase letter carries
//!   on the one before (a page break the furniture pass did not join);
//! - wrapped lines (a PDF's visual lines): lines are joined into
//!   paragraphs at blank lines, paragraph markers ("12.", "(a)", "I."),
//!   short lines and sentence or clause ends followed by a capital.
//!
//! What each type becomes:
//!
//! - **Meeting record**: one session per speaker's turn ("Mr. Wu Haitao
//!   (China) (spoke in Chinese): ..."), labelled "Mr. Wu Haitao (China)",
//!   with its [`Speaker`]; the label as written is the turn's first
//!   (heading) passage, long turns are cut into passages of a few sentences.
//!   Text before the first turn (the cover page) is the "Overview".
//! - **Resolution**: a "Preamble" session (title lines, adoption line,
//!   preambular clauses), then "Operative paragraphs", or one session per
//!   section heading between operative paragraphs ("Arms embargo").
//!   Operative passages know their paragraph: "4", "4 (a)", "4 (a) (i)".
//! - **Report**: sessions at its headings ("I. Introduction", "A. ..."),
//!   numbered paragraphs as cited ("12", "12 (a)").
//! - **Press release**: sessions at its headings, if any.
//!
//! Contract (the one of [`crate::parse`]): every word of every non-blank
//! input line is in exactly one passage, in input order. Passages are cut
//! only at white space, so no word is split or glued.

use super::collapse_whitespace;
use crate::extract::find_date;
use crate::model::{
    Briefing, DocType, Metadata, OVERVIEW, Passage, PassageKind, Session, Speaker, roman_value,
};

/// A line of text and the 1-based page it is on.
pub type Line<'a> = (&'a str, Option<u32>);

/// Non-blank lines at the top of a document searched for its symbol, title
/// and type markers.
const TOP_LINES: usize = 60;
/// Non-blank lines searched for speaker turns when recognizing a record.
const TURN_SCAN_LINES: usize = 400;
/// Bytes of a line looked at by the recognizers.
const LOOK: usize = 400;
/// A turn's paragraph longer than this (bytes) is cut into passages of
/// sentences, each at least [`MIN_PASSAGE`] long when possible and at most
/// [`MAX_PASSAGE`] unless one sentence is longer.
const LONG_PASSAGE: usize = 800;
const MIN_PASSAGE: usize = 300;
const MAX_PASSAGE: usize = 800;

/// Label of a resolution's preamble session.
pub const PREAMBLE: &str = "Preamble";
/// Label of a resolution's operative part when it has no section headings.
pub const OPERATIVE: &str = "Operative paragraphs";

/// The type of a UN document, from its text: `None` when it has no UN
/// shape (the caller then parses it as a briefing).
///
/// - press release: a symbol "SC/NNNNN" at the top, with "Press Release",
///   "Meetings Coverage" or a "Security Council" line;
/// - meeting record: two speaker turns at paragraph starts ("The President
///   (spoke in French):", "Mr. Dai Bing (China):"), or one and a header
///   ("S/PV.8716", "8716th meeting");
/// - resolution: a line "Resolution 2178 (2014)" or "Adopted by the
///   Security Council at its ..." at the top, or the symbol "S/RES/..." and
///   the line "The Security Council,";
/// - report: a symbol "S/YYYY/NNN" or a title "Report of ..." at the top,
///   with the other or with two headings "I. ...", "II. ...".
pub fn recognize(lines: &[Line]) -> Option<DocType> {
    let nonblank: Vec<&str> = lines
        .iter()
        .map(|(l, _)| l.trim())
        .filter(|l| !l.is_empty())
        .take(TURN_SCAN_LINES)
        .collect();
    let top: Vec<&str> = nonblank
        .iter()
        .take(TOP_LINES)
        .map(|l| prefix(l, LOOK))
        .collect();

    let press_marker = top.iter().any(|l| {
        find_ci(l, "press release").is_some()
            || find_ci(l, "meetings coverage").is_some()
            || l.trim_end_matches(',') == "Security Council"
    });
    if press_marker && top.iter().any(|l| sc_symbol(l).is_some()) {
        return Some(DocType::PressRelease);
    }

    let turns = count_turns(&nonblank);
    let record_header = top
        .iter()
        .any(|l| spv_symbol(l).is_some() || meeting_number(l).is_some());
    if turns >= 2 || (turns >= 1 && record_header) {
        return Some(DocType::MeetingRecord);
    }

    let resolution = top.iter().any(|l| {
        resolution_number(l).is_some()
            || find_ci(prefix(l, 60), "adopted by the security council at its").is_some()
    }) || (top.iter().any(|l| sres_symbol(l).is_some())
        && top
            .iter()
            .any(|l| l.trim_end_matches([',', ' ']) == "The Security Council"));
    if resolution {
        return Some(DocType::Resolution);
    }

    let symbol = top.iter().any(|l| s_symbol(l).is_some());
    let title = top.iter().any(|l| is_report_title(l));
    if symbol && title {
        return Some(DocType::Report);
    }
    if symbol || title {
        let romans = lines
            .iter()
            .filter(|(l, _)| roman_heading(l.trim()))
            .take(2)
            .count();
        if romans >= 2 {
            return Some(DocType::Report);
        }
    }
    None
}

/// Parses a UN document if [`recognize`] finds a UN type in it.
pub fn parse_un(lines: &[Line]) -> Option<Briefing> {
    let doc_type = recognize(lines)?;
    Some(parse(lines, doc_type))
}

/// Parses `lines` as a document of type `doc_type`. `Briefing` and
/// `Document` are the plain-text briefing parser's
/// ([`super::parse_lines`] without the UN attempt).
pub fn parse(lines: &[Line], doc_type: DocType) -> Briefing {
    let mut briefing = match doc_type {
        DocType::MeetingRecord => parse_record(&paragraphs(lines)),
        DocType::Resolution => parse_resolution(&paragraphs(lines)),
        DocType::Report => parse_report(&paragraphs(lines)),
        DocType::PressRelease => parse_press_release(&paragraphs(lines)),
        DocType::Briefing | DocType::Document => super::parse_briefing_lines(lines.iter().copied()),
    };
    briefing.meta.doc_type = Some(doc_type);
    briefing.sessions.retain(|s| !s.passages.is_empty());
    briefing
}

/// The symbol a file name gives, for names following the corpus convention
/// `YYYY-MM-DD-<symbol>-<topic>.txt`: "2020-02-27-s-pv-8735-somalia.txt" →
/// "S/PV.8735", "2014-09-24-s-res-2178-foreign-fighters.txt" → "S/RES/2178
/// (2014)", "…-sc-14105-….txt" → "SC/14105", "…-s-2020-95-….txt" →
/// "S/2020/95".
///
/// A fallback only, for the caller to use when the text names no symbol
/// (the parsers never look at file names).
pub fn symbol_from_file_name(name: &str) -> Option<String> {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let lower = stem.to_ascii_lowercase();
    let tokens: Vec<&str> = lower.split(['-', '_', ' ']).collect();
    let number = |t: &str| {
        (!t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    let year = |t: &str| number(t).filter(|y| (1946..=2100).contains(y) && t.len() == 4);
    // The year of the date prefix, if the name has one.
    let date_year = tokens.first().copied().and_then(year).filter(|_| {
        tokens.get(1).is_some_and(|t| t.len() == 2) && tokens.get(2).is_some_and(|t| t.len() == 2)
    });
    for (i, pair) in tokens.windows(2).enumerate() {
        let at = |k: usize| tokens.get(i + k).copied().unwrap_or("");
        let [first, second] = pair else {
            continue;
        };
        match (*first, *second) {
            ("s", "pv") => {
                if let Some(n) = number(at(2)) {
                    return Some(format!("S/PV.{n}"));
                }
            }
            ("s", "res") => {
                if let Some(n) = number(at(2)) {
                    let y = year(at(3)).or(date_year)?;
                    return Some(format!("S/RES/{n} ({y})"));
                }
            }
            ("sc", t) => {
                if let Some(n) = number(t).filter(|_| t.len() >= 4) {
                    return Some(format!("SC/{n}"));
                }
            }
            ("s", t) => {
                if let (Some(y), Some(n)) = (year(t), number(at(2))) {
                    return Some(format!("S/{y}/{n}"));
                }
            }
            _ => {}
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Paragraphs

/// A paragraph: its lines joined with '\n', and where each line starts.
struct Para {
    text: String,
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

    fn trimmed(&self) -> &str {
        self.text.trim()
    }
}

/// Joins lines into paragraphs (see the module documentation).
fn paragraphs(lines: &[Line]) -> Vec<Para> {
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

// ---------------------------------------------------------------------------
// Markers

/// "12. Decides" → (12, length of "12. "): an operative or numbered
/// paragraph's number, followed by white space (a space, NBSP or tab).
fn op_marker(text: &str) -> Option<(u32, usize)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = text.get(digits..)?.strip_prefix('.')?;
    let after = rest.trim_start();
    if after.len() == rest.len() {
        return None;
    }
    let n: u32 = text.get(..digits)?.parse().ok()?;
    (n > 0).then_some((n, text.len() - after.len()))
}

/// Whether the text after an operative number reads like one: a capital
/// letter, a quote or a parenthesis.
fn plausible_op(text: &str, len: usize) -> bool {
    text.get(len..)
        .and_then(|t| t.chars().next())
        .is_some_and(|c| c.is_uppercase() || matches!(c, '(' | '"' | '“' | '‘'))
}

/// "(a) ", "(iv) ", "(aa) " → ("a", length of "(a) ").
fn sub_marker(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix('(')?;
    let len = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    if len == 0 || len > 6 {
        return None;
    }
    let inner = rest.get(..len)?;
    let after = rest.get(len..)?.strip_prefix(')')?;
    let tail = after.trim_start();
    if tail.len() == after.len() && !after.is_empty() {
        return None;
    }
    let roman =
        inner.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')) && roman_value(inner).is_some();
    let doubled = len == 2 && inner.as_bytes().first() == inner.as_bytes().get(1);
    (len == 1 || roman || doubled).then_some((inner, text.len() - tail.len()))
}

/// "II. Activities": a roman numeral, a period, a capitalised short title.
fn roman_heading(text: &str) -> bool {
    let Some((numeral, rest)) = text.split_once('.') else {
        return false;
    };
    !numeral.is_empty()
        && numeral.len() <= 7
        && numeral
            .bytes()
            .all(|b| matches!(b, b'I' | b'V' | b'X' | b'L'))
        && roman_value(numeral).is_some()
        && titled_rest(rest)
}

/// "A. Subheading": a capital letter, a period, a capitalised short title.
fn letter_heading(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some('A'..='Z'))
        && chars.next() == Some('.')
        && titled_rest(chars.as_str())
}

/// The rest of a numbered heading: white space, then a capitalised title
/// of at most 150 bytes without a final period.
fn titled_rest(rest: &str) -> bool {
    let title = rest.trim_start();
    title.len() < rest.len()
        && title.len() <= 150
        && title.chars().next().is_some_and(char::is_uppercase)
        && !title.trim_end().ends_with(['.', ';', ',', ':'])
}

/// Whether a paragraph is shaped like a section heading: a short line
/// (at most 12 words, 100 characters), capitalised, without final
/// punctuation, with letters, and not a numbered paragraph or sub-item.
fn is_heading_shape(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.len() > 400 || t.ends_with(['.', ',', ';', ':']) {
        return false;
    }
    if !t.chars().next().is_some_and(char::is_uppercase)
        || t.chars().count() > 100
        || t.split_whitespace().count() > 12
        || op_marker(t).is_some()
        || sub_marker(t).is_some()
    {
        return false;
    }
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    let lower = t.chars().filter(|c| c.is_lowercase()).count();
    // Symbols and job numbers ("S/RES/2036 (2012)", "12-23847 (E)") are
    // not headings; upper-case titles ("ARMS EMBARGO") are.
    let code_like = t.contains(|c: char| c.is_ascii_digit() || matches!(c, '/' | '*'));
    letters >= 3 && (lower >= 2 || !code_like)
}

/// Numbering of the paragraph being read: the operative (or numbered)
/// paragraph, its letter sub-item and the roman item under that.
#[derive(Default)]
struct Numbering {
    op: Option<u32>,
    letter: Option<String>,
    roman: Option<(String, u32)>,
    /// False after a section heading, until the next numbered paragraph.
    active: bool,
    /// Headings seen so far.
    headings: usize,
}

impl Numbering {
    fn number(&mut self, n: u32) {
        self.op = Some(n);
        self.letter = None;
        self.roman = None;
        self.active = true;
    }

    /// A sub-item "(x)": a letter, or a roman numeral under the current
    /// letter. "(i)" after "(h)" is a letter, "(v)" after "(iv)" a numeral.
    fn sub(&mut self, inner: &str) {
        let value = roman_value(inner).unwrap_or(0);
        let roman_shape = inner.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')) && value > 0;
        let follows_letter = inner.len() == 1
            && self
                .letter
                .as_deref()
                .and_then(|l| l.bytes().next())
                .zip(inner.bytes().next())
                .is_some_and(|(l, c)| l.checked_add(1) == Some(c));
        let continues_roman = self.roman.as_ref().is_some_and(|(_, v)| value == v + 1);
        let as_letter = if !roman_shape {
            true
        } else if inner.len() > 1 || continues_roman {
            false
        } else {
            follows_letter || inner != "i"
        };
        if as_letter {
            self.letter = Some(inner.to_string());
            self.roman = None;
        } else {
            self.roman = Some((inner.to_string(), value));
        }
    }

    fn heading(&mut self) {
        self.letter = None;
        self.roman = None;
        self.active = false;
        self.headings += 1;
    }

    /// The paragraph as cited: "4", "4 (a)", "4 (a) (i)".
    fn label(&self) -> Option<String> {
        if !self.active {
            return None;
        }
        let mut out = self.op?.to_string();
        for part in [
            self.letter.as_deref(),
            self.roman.as_ref().map(|(r, _)| r.as_str()),
        ]
        .into_iter()
        .flatten()
        {
            out.push_str(" (");
            out.push_str(part);
            out.push(')');
        }
        Some(out)
    }
}

/// The operative number a paragraph starts with, if it reads like one
/// (see [`plausible_op`]) or is the next number.
fn leading_op(text: &str, numbering: &Numbering) -> Option<u32> {
    let t = text.trim_start();
    op_marker(t)
        .filter(|(n, len)| {
            plausible_op(t, *len) || numbering.op.and_then(|op| op.checked_add(1)) == Some(*n)
        })
        .map(|(n, _)| n)
}

/// Where numbered paragraphs and sub-items run on inside a paragraph
/// ("…of CPAs; 21. Decides to remain seized", "…tasks: (a) monitoring…;
/// (b) seeking…"): byte offsets, after `from`, of each next paragraph
/// number or next letter that follows the end of a clause (a letter "(a)"
/// only after a colon). `numbering` is the state before the paragraph.
fn inline_cuts(text: &str, from: usize, numbering: &Numbering) -> Vec<usize> {
    let mut cuts = Vec::new();
    let body = text.get(from..).unwrap_or("");
    let mut op = numbering.op;
    let mut letter: Option<u8> = numbering
        .letter
        .as_deref()
        .filter(|l| l.len() == 1)
        .and_then(|l| l.bytes().next());
    if let Some(n) = leading_op(body, numbering) {
        op = Some(n);
        letter = None;
    } else if let Some((inner, _)) = sub_marker(body.trim_start()) {
        letter = (inner.len() == 1).then(|| inner.bytes().next()).flatten();
    }
    let Some(mut current) = op else {
        return cuts;
    };
    for (i, c) in body.match_indices([';', ':', '.']) {
        let after = body.get(i + c.len()..).unwrap_or("");
        let candidate = after.trim_start();
        if candidate.len() == after.len() {
            continue;
        }
        let at = from + (body.len() - candidate.len());
        if let Some((n, len)) = op_marker(candidate)
            && Some(n) == current.checked_add(1)
            && plausible_op(candidate, len)
        {
            cuts.push(at);
            current = n;
            letter = None;
        } else if let Some((inner, _)) = sub_marker(candidate)
            && inner.len() == 1
        {
            let expected = letter.map_or(b'a', |l| l.saturating_add(1));
            if inner.bytes().next() == Some(expected) && (expected != b'a' || c == ":") {
                cuts.push(at);
                letter = Some(expected);
            }
        }
    }
    cuts
}

/// A section heading run into the next operative paragraph by the
/// extraction ("Mandate of the Sanctions Committee 20. Decides that…"):
/// the byte offset of the number, when the text before it is shaped like a
/// heading and the number is the next one.
fn glued_heading(text: &str, numbering: &Numbering) -> Option<usize> {
    let expected = numbering.op?.checked_add(1)?;
    let needle = format!("{expected}.");
    let head = prefix(text, 160);
    head.match_indices(needle.as_str()).find_map(|(i, _)| {
        let before = text.get(..i)?;
        let after = text.get(i..)?;
        let (n, len) = op_marker(after)?;
        (n == expected
            && before.ends_with(char::is_whitespace)
            && plausible_op(after, len)
            && is_heading_shape(before))
        .then_some(i)
    })
}

// ---------------------------------------------------------------------------
// Speaker turns

/// Roles a record names a speaker by ("The President:").
const ROLES: &[&str] = &[
    "Acting President",
    "President",
    "Deputy Secretary-General",
    "Secretary-General",
    "Chairperson",
    "Chairman",
    "Chair",
];

/// Titles that open a speaker's name.
const TITLES: &[&str] = &[
    "Mr.",
    "Mrs.",
    "Ms.",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Sir",
    "Dame",
    "Dr.",
    "Dr",
    "Monsignor",
    "Msgr.",
    "Archbishop",
    "Cardinal",
    "Bishop",
    "Prince",
    "Princess",
    "Sheikh",
    "Sheikha",
    "Lord",
    "Lady",
    "Baroness",
    "Baron",
    "Judge",
    "Father",
    "Sister",
    "King",
    "Queen",
    "Emir",
    "President",
];

/// Lower-case words inside names ("Ms. Gamba de Potgieter").
const PARTICLES: &[&str] = &[
    "de", "da", "del", "della", "der", "den", "des", "di", "do", "dos", "das", "du", "van", "von",
    "bin", "binti", "bint", "ibn", "ben", "al", "el", "la", "le", "y", "e", "zu", "ter", "af",
];

/// A speaker's turn label at the start of a paragraph.
#[derive(Debug, PartialEq, Eq)]
struct Turn {
    /// Byte length of the label as written: through its colon, or through
    /// "(spoke" when the interpretation note is broken by the OCR ("The
    /// President (spoke I thank Mr. X for his briefing. in French):").
    len: usize,
    /// "Mr. Wu Haitao", "The President".
    name: String,
    country: Option<String>,
    /// Named by a role ("The President").
    role: bool,
    /// Named with a title ("Mr.").
    titled: bool,
    /// With a country or an interpretation note.
    marked: bool,
}

impl Turn {
    /// The session label: the name and the country, as written.
    fn label(&self) -> String {
        match &self.country {
            Some(country) => format!("{} ({country})", self.name),
            None => self.name.clone(),
        }
    }
}

/// The word at byte `pos` of `s`: up to white space, '(', ')' or ':'.
fn word_at(s: &str, pos: usize) -> (&str, usize) {
    let rest = s.get(pos..).unwrap_or("");
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ':'))
        .unwrap_or(rest.len());
    (rest.get(..len).unwrap_or(""), pos + len)
}

/// `pos` moved past the white space at it.
fn skip_ws(s: &str, pos: usize) -> usize {
    let rest = s.get(pos..).unwrap_or("");
    pos + (rest.len() - rest.trim_start().len())
}

/// Whether `word` can be part of a person's name: capitalised letters
/// (hyphens, apostrophes, periods allowed: "Hennis-Plasschaert", "O'Brien",
/// "J.") or a lower-case particle ("de", "al-Thani").
fn is_name_word(word: &str) -> bool {
    let shaped = word
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
    let first = word.chars().next();
    shaped
        && (first.is_some_and(char::is_uppercase)
            || PARTICLES.contains(&word)
            || word.starts_with("al-")
            || word.starts_with("el-"))
}

/// Whether the text between parentheses is a country or delegation:
/// capitalised words and connectors ("Saint Vincent and the Grenadines",
/// "Cote d'Ivoire", "Iran (Islamic Republic of)"), no digits.
fn is_country(content: &str) -> bool {
    let t = content.trim();
    let words: Vec<&str> = t.split_whitespace().collect();
    !t.is_empty()
        && t.len() <= 80
        && words.len() <= 10
        && t.chars().next().is_some_and(char::is_uppercase)
        && !t.contains(|c: char| c.is_ascii_digit() || matches!(c, ':' | ';'))
        && words.iter().all(|w| {
            let w = w.trim_matches(['(', ')', ',']);
            w.chars().next().is_none_or(char::is_uppercase)
                || matches!(w, "of" | "and" | "the" | "for" | "da" | "de" | "del" | "on")
                || w.contains(['\'', '’'])
        })
}

/// Byte offset of the ')' closing the '(' at `open`, nesting allowed, within
/// 120 bytes.
fn closing_paren(s: &str, open: usize) -> Option<usize> {
    let rest = s.get(open..)?;
    let mut depth = 0usize;
    for (i, c) in rest.char_indices().take(120) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Reads a speaker's label at the start of `text`: a name (a role "The
/// President", a title and capitalised words "Mr. Wu Haitao", or bare
/// capitalised words before an interpretation note "Hadiza (spoke in
/// French)"), an optional "(Country)", an optional "(spoke in X)", and a
/// colon. At most 12 words before the note.
fn parse_turn(text: &str) -> Option<Turn> {
    let s = prefix(text, LOOK);
    let mut role = false;
    let mut titled = false;
    let mut marked = false;
    let name_end;
    let mut words = 0usize;
    if let Some(rest) = s.strip_prefix("The ") {
        let named = ROLES.iter().find(|r| {
            rest.strip_prefix(**r).is_some_and(|after| {
                after.is_empty()
                    || after.starts_with(|c: char| c.is_whitespace() || c == ':' || c == '(')
            })
        })?;
        name_end = 4 + named.len();
        role = true;
        words = 2;
    } else {
        let (first, end) = word_at(s, 0);
        titled = TITLES.contains(&first);
        let mut pos = if titled { end } else { 0 };
        let mut capitalised = 0usize;
        loop {
            let at = if pos == 0 { 0 } else { skip_ws(s, pos) };
            let (word, end) = word_at(s, at);
            if word.is_empty() {
                break;
            }
            if !is_name_word(word) {
                return None;
            }
            capitalised += usize::from(word.chars().next().is_some_and(char::is_uppercase));
            words += 1;
            if words > 8 {
                return None;
            }
            pos = end;
        }
        if capitalised == 0 || pos == 0 {
            return None;
        }
        name_end = pos;
        words += usize::from(titled);
    }
    let name = collapse_whitespace(s.get(..name_end)?);
    let mut pos = skip_ws(s, name_end);
    let mut country = None;
    let rest = |pos: usize| s.get(pos..).unwrap_or("");
    if rest(pos).starts_with('(') && !rest(pos).starts_with("(spoke") {
        let close = closing_paren(s, pos)?;
        let content = s.get(pos + 1..close)?;
        if !is_country(content) {
            return None;
        }
        words += content.split_whitespace().count();
        country = Some(collapse_whitespace(content));
        marked = true;
        pos = skip_ws(s, close + 1);
    }
    if words > 12 {
        return None;
    }
    if rest(pos).starts_with("(spoke") || rest(pos).starts_with("(interpretation") {
        let note_end = closing_paren(s, pos);
        let content = note_end
            .and_then(|close| s.get(pos + 1..close))
            .unwrap_or("");
        let whole = (content.starts_with("spoke in ") || content.starts_with("interpretation"))
            && content.len() <= 100
            && content.split_whitespace().count() <= 10
            && !content.contains('(')
            && note_end.is_some_and(|close| rest(skip_ws(s, close + 1)).starts_with(':'));
        if whole {
            pos = skip_ws(s, note_end.unwrap_or(pos) + 1);
            marked = true;
        } else {
            // "(spoke I thank Ms. Fore for her briefing. in French):" — the
            // note broken by the OCR: the label ends at "(spoke".
            let after = pos + "(spoke".len();
            let tail = prefix(rest(after), 300);
            let broken = rest(pos).starts_with("(spoke")
                && rest(after).starts_with(char::is_whitespace)
                && tail.find("):").is_some_and(|close| {
                    let before = tail.get(..close).unwrap_or("");
                    let lang = before.rsplit(char::is_whitespace).next().unwrap_or("");
                    let prep = before
                        .trim_end_matches(lang)
                        .trim_end()
                        .rsplit(char::is_whitespace)
                        .next();
                    prep == Some("in") && lang.chars().next().is_some_and(char::is_uppercase)
                });
            if !broken {
                return None;
            }
            return Some(Turn {
                len: after,
                name,
                country,
                role,
                titled,
                marked: true,
            });
        }
    }
    // A bare name ("Hadiza") needs the interpretation note.
    if !(role || titled || marked && rest(name_end).trim_start().starts_with("(spoke")) {
        return None;
    }
    let colon = rest(pos).strip_prefix(':')?;
    // A colon glued to the next word ("Mr. Swan:I thank") keeps the word
    // whole in the label passage.
    let glued = colon.find(char::is_whitespace).unwrap_or(colon.len());
    Some(Turn {
        len: pos + 1 + glued,
        name,
        country,
        role,
        titled,
        marked,
    })
}

/// Counts paragraph-start speaker turns among `lines` (a label may run on
/// to the next line).
fn count_turns(lines: &[&str]) -> usize {
    let mut count = 0;
    for (i, line) in lines.iter().enumerate() {
        let head = prefix(line, LOOK);
        if !head.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        let found = if head.contains(':') {
            parse_turn(head).is_some()
        } else {
            let next = lines.get(i + 1).map_or("", |l| prefix(l, LOOK));
            parse_turn(&format!("{head} {next}")).is_some()
        };
        count += usize::from(found);
    }
    count
}

/// Turns starting inside a paragraph, after the text of another (an
/// agenda heading run into a turn by the OCR: "…(S/2020/798)The
/// President:"): for each, the byte offset where its passages start (the
/// start of the glued word, so no word is split) and the offset of its
/// label. Right after a ')' or a '.': glued, a label with a role or a
/// title; after one space, a role or a label with a country or a note.
fn inner_turns(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, c) in text.match_indices([')', '.']) {
        let after = i + c.len();
        let rest = text.get(after..).unwrap_or("");
        let (label_at, glued) = if rest.starts_with(' ') {
            (after + 1, false)
        } else if rest.starts_with(|c: char| c.is_uppercase()) {
            (after, true)
        } else {
            continue;
        };
        let candidate = text.get(label_at..).unwrap_or("");
        let (first, _) = word_at(candidate, 0);
        if first != "The" && !TITLES.contains(&first) {
            continue;
        }
        let Some(turn) = parse_turn(candidate) else {
            continue;
        };
        let strong = if glued {
            turn.role || turn.titled
        } else {
            turn.role || turn.marked
        };
        if !strong {
            continue;
        }
        let cut = if glued {
            text.get(..after)
                .and_then(|b| b.char_indices().rev().find(|(_, c)| c.is_whitespace()))
                .map_or(0, |(w, c)| w + c.len_utf8())
        } else {
            label_at
        };
        if cut > out.last().map_or(0, |(c, _)| *c) {
            out.push((cut, label_at));
        }
    }
    out
}

/// A President speaking for their delegation: "in my capacity as the
/// representative of the Niger" → "Niger"; "in my national capacity" →
/// `national`.
fn capacity_country(text: &str, national: Option<&str>) -> Option<String> {
    const PHRASES: &[&str] = &[
        "capacity as the representative of ",
        "capacity as representative of ",
        "capacity as the Permanent Representative of ",
        "capacity as Permanent Representative of ",
    ];
    for phrase in PHRASES {
        if let Some(at) = text.find(phrase) {
            let rest = text.get(at + phrase.len()..).unwrap_or("");
            if let Some(country) = country_words(rest) {
                return Some(country);
            }
        }
    }
    if text.contains("my national capacity") {
        return national.map(str::to_string);
    }
    None
}

/// The country named at the start of `text`: capitalised words and the
/// connectors between them, without a leading "the" ("the United Kingdom
/// of Great Britain and Northern Ireland, …" → "United Kingdom of Great
/// Britain and Northern Ireland").
fn country_words(text: &str) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    for (i, raw) in text.split_whitespace().take(12).enumerate() {
        let word = raw.trim_end_matches([',', '.', ';', ':', ')']);
        let ends = word.len() < raw.len();
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        let connector = matches!(word, "of" | "and" | "the");
        if i == 0 && word == "the" {
            continue;
        }
        if !(capital || (connector && !words.is_empty())) {
            break;
        }
        words.push(word);
        if ends {
            break;
        }
    }
    while words
        .last()
        .is_some_and(|w| matches!(*w, "of" | "and" | "the"))
    {
        words.pop();
    }
    (!words.is_empty()).then(|| words.join(" "))
}

// ---------------------------------------------------------------------------
// Passages

/// Pushes the passage of `para.text[from..to]` (white space collapsed) onto
/// `session`, if it has words.
fn push(
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
fn push_sentences(session: &mut Session, para: &Para, (from, to): (usize, usize)) {
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
fn heading_session(label: &str, para: &Para, range: (usize, usize)) -> Session {
    let mut session = Session::new(label);
    push(&mut session, para, range, PassageKind::Heading, None);
    session
}

// ---------------------------------------------------------------------------
// Meeting records

fn parse_record(paras: &[Para]) -> Briefing {
    let mut overview = Session::new(OVERVIEW);
    let mut turns: Vec<Session> = Vec::new();
    for para in paras {
        let text = para.text.as_str();
        let lead = text.len() - text.trim_start().len();
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        if parse_turn(text.get(lead..).unwrap_or("")).is_some() {
            cuts.push((0, lead));
        }
        for (cut, label_at) in inner_turns(text) {
            if cuts.last().is_none_or(|(c, _)| cut > *c) {
                cuts.push((cut, label_at));
            }
        }
        // Text before the first turn of the paragraph carries on the turn
        // before (or is the overview).
        let first = cuts.first().map_or(text.len(), |(c, _)| *c);
        if first > 0 {
            let target = turns.last_mut().unwrap_or(&mut overview);
            push_sentences(target, para, (0, first));
        }
        for (k, &(cut, label_at)) in cuts.iter().enumerate() {
            let end = cuts.get(k + 1).map_or(text.len(), |(c, _)| *c);
            let Some(turn) = parse_turn(text.get(label_at..).unwrap_or("")) else {
                // Not reached (the cut was found reading this label); keep
                // the text all the same.
                let target = turns.last_mut().unwrap_or(&mut overview);
                push_sentences(target, para, (cut, end));
                continue;
            };
            let label_end = (label_at + turn.len).min(end);
            let mut session = heading_session(&turn.label(), para, (cut, label_end));
            session.speaker = Some(Speaker {
                name: turn.name.clone(),
                country: turn.country.clone(),
            });
            push_sentences(&mut session, para, (label_end, end));
            turns.push(session);
        }
    }
    let header: Vec<&str> = overview
        .passages
        .iter()
        .take(40)
        .map(|p| p.text.as_str())
        .collect();
    // The cover page's "President: Mr. X .......... (France)".
    let president_country = header
        .iter()
        .find(|t| t.starts_with("President:"))
        .and_then(|t| {
            let open = t.rfind('(')?;
            let content = t.get(open + 1..)?.split(')').next()?;
            is_country(content).then(|| content.trim().to_string())
        });
    for session in &mut turns {
        if let Some(speaker) = session.speaker.as_mut()
            && speaker.country.is_none()
            && matches!(
                speaker.name.as_str(),
                "The President" | "The Acting President"
            )
        {
            let text = session
                .passages
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            speaker.country = capacity_country(&text, president_country.as_deref());
        }
    }
    let symbol = header.iter().find_map(|t| spv_symbol(t));
    let number = header.iter().find_map(|t| meeting_number(t)).or_else(|| {
        symbol
            .as_deref()
            .and_then(|s| s.strip_prefix("S/PV."))?
            .parse()
            .ok()
    });
    let date = header
        .iter()
        .filter(|t| has_weekday(t))
        .chain(header.iter().take(12))
        .find_map(|t| find_date(t));
    let mut sessions = Vec::with_capacity(turns.len() + 1);
    if !overview.passages.is_empty() {
        sessions.push(overview);
    }
    sessions.extend(turns);
    Briefing {
        meta: Metadata {
            title: number.map(meeting_title),
            date,
            symbol,
            ..Metadata::default()
        },
        sessions,
    }
}

fn has_weekday(text: &str) -> bool {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    .iter()
    .any(|d| text.contains(d))
}

/// The title of the record of meeting `n`: "Security Council, 8716th
/// meeting".
pub fn meeting_title(n: u32) -> String {
    format!("Security Council, {} meeting", ordinal(n))
}

/// The title of a meeting record known only by its symbol ("S/PV.8716").
pub fn record_title(symbol: &str) -> Option<String> {
    let n: u32 = symbol.strip_prefix("S/PV.")?.parse().ok()?;
    Some(meeting_title(n))
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

// ---------------------------------------------------------------------------
// Resolutions, reports, press releases

/// Adds the paragraphs of `paras` to sessions, numbering them, starting a
/// session at each heading `is_heading` accepts. `current` is the session
/// text goes to before the first heading (created, labelled `first_label`,
/// when first needed).
fn numbered_sessions(
    paras: &[Para],
    first_label: &str,
    is_heading: &dyn Fn(&str, &Numbering) -> bool,
) -> Vec<Session> {
    let mut sessions: Vec<Session> = Vec::new();
    let mut numbering = Numbering::default();
    for para in paras {
        let t = para.trimmed();
        if is_heading(t, &numbering) {
            let label = collapse_whitespace(t);
            sessions.push(heading_session(&label, para, (0, para.text.len())));
            numbering.heading();
            continue;
        }
        let mut from = 0;
        if op_marker(t).is_none()
            && sub_marker(t).is_none()
            && let Some(cut) = glued_heading(&para.text, &numbering)
        {
            let label = collapse_whitespace(para.text.get(..cut).unwrap_or(""));
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
        .find_map(|t| sres_symbol(t))
        .or_else(|| number.map(|(n, y)| format!("S/RES/{n} ({y})")));
    let adopted = top.iter().find_map(|t| {
        let at = find_ci(t, "adopted by the security council at its")?;
        find_date(t.get(at..)?)
    });
    let date = adopted.or_else(|| distributed_date(&top));
    let mut sessions = vec![preamble];
    sessions.extend(operative);
    Briefing {
        meta: Metadata {
            title: number.map(|(n, y)| format!("Security Council resolution {n} ({y})")),
            date,
            symbol,
            ..Metadata::default()
        },
        sessions,
    }
}

/// The date of a "Distr.: General 24 September 2014" line (the date may be
/// on one of the two lines after it).
fn distributed_date(top: &[&str]) -> Option<String> {
    let at = top
        .iter()
        .position(|t| t.contains("Distr.") || t.starts_with("Distr"))?;
    top.iter().skip(at).take(3).find_map(|t| find_date(t))
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
    let sessions = numbered_sessions(paras, OVERVIEW, &is_heading);
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
            symbol: top.iter().find_map(|t| s_symbol(t)),
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

fn parse_press_release(paras: &[Para]) -> Briefing {
    let top: Vec<&str> = paras.iter().take(20).map(|p| p.trimmed()).collect();
    let title_at = top.iter().position(|t| {
        let words = t.split_whitespace().count();
        (4..=40).contains(&words)
            && sc_symbol(t).is_none()
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
    let mut sessions = numbered_sessions(body, OVERVIEW, &is_heading);
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
            symbol: top.iter().find_map(|t| sc_symbol(t)),
            ..Metadata::default()
        },
        sessions,
    }
}

// ---------------------------------------------------------------------------
// Symbols, numbers, titles

/// The longest prefix of `s` of at most `n` bytes ending on a character
/// boundary.
fn prefix(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Byte offset of ASCII `needle` in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    if n.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

/// The number of ASCII digits `text` starts with (at most `max`), parsed.
fn leading_number(text: &str, max: usize) -> Option<(u32, usize)> {
    let len = text.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > max {
        return None;
    }
    Some((text.get(..len)?.parse().ok()?, len))
}

/// Occurrences of `needle` in `text` not preceded by a letter or digit.
fn word_starts<'a>(text: &'a str, needle: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    text.match_indices(needle).filter_map(move |(i, _)| {
        let before = text.get(..i)?.chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric()) {
            return None;
        }
        text.get(i + needle.len()..)
    })
}

/// "S/RES/2178 (2014)" in `text`, normalized.
fn sres_symbol(text: &str) -> Option<String> {
    word_starts(text, "S/RES/").find_map(|rest| {
        let (n, len) = leading_number(rest, 5)?;
        let after = rest.get(len..)?.trim_start().strip_prefix('(')?;
        let (y, ylen) = leading_number(after, 4)?;
        (ylen == 4 && after.get(4..)?.starts_with(')')).then(|| format!("S/RES/{n} ({y})"))
    })
}

/// "S/PV.8716" in `text`.
fn spv_symbol(text: &str) -> Option<String> {
    word_starts(text, "S/PV.").find_map(|rest| {
        let (n, _) = leading_number(rest, 5)?;
        Some(format!("S/PV.{n}"))
    })
}

/// "SC/14105" in `text`.
fn sc_symbol(text: &str) -> Option<String> {
    word_starts(text, "SC/").find_map(|rest| {
        let (n, len) = leading_number(rest, 6)?;
        (len >= 4).then(|| format!("SC/{n}"))
    })
}

/// "S/2020/95" in `text` (not "S/RES/…", "S/PV.…").
fn s_symbol(text: &str) -> Option<String> {
    word_starts(text, "S/").find_map(|rest| {
        let (y, ylen) = leading_number(rest, 4)?;
        if ylen != 4 || !(1946..=2100).contains(&y) {
            return None;
        }
        let (n, _) = leading_number(rest.get(5..)?, 5).filter(|_| rest.get(4..5) == Some("/"))?;
        Some(format!("S/{y}/{n}"))
    })
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

/// "8716th meeting" in `text`: 8716.
fn meeting_number(text: &str) -> Option<u32> {
    let lower = prefix(text, LOOK).to_ascii_lowercase();
    lower.match_indices(" meeting").find_map(|(i, _)| {
        let before = lower.get(..i)?;
        let digits = before
            .strip_suffix("th")
            .or_else(|| before.strip_suffix("st"))
            .or_else(|| before.strip_suffix("nd"))
            .or_else(|| before.strip_suffix("rd"))?;
        let start = digits
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |p| p + 1);
        let number = digits.get(start..)?;
        (!number.is_empty() && number.len() <= 5)
            .then(|| number.parse().ok())
            .flatten()
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
    //! The fixtures below are test fixtures written for these tests in the
    //! shapes of published UN documents (resolutions, S/PV records, reports,
    //! press releases); they are not copies of real documents.

    use super::*;

    /// Lines of `text`, all on page 1 but where a line is "\f" (a page
    /// break: the page count goes up, the line is dropped).
    fn paged(text: &str) -> Vec<Line<'_>> {
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

    fn assert_keeps_words(lines: &[Line], b: &Briefing) {
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

    fn labels(b: &Briefing) -> Vec<&str> {
        b.sessions.iter().map(|s| s.label.as_str()).collect()
    }

    /// The passage containing `needle`, with its session.
    fn find<'a>(b: &'a Briefing, needle: &str) -> (&'a Session, &'a Passage) {
        b.sessions
            .iter()
            .flat_map(|s| s.passages.iter().map(move |p| (s, p)))
            .find(|(_, p)| p.text.contains(needle))
            .unwrap_or_else(|| panic!("no passage with {needle:?}"))
    }

    const RECORD: &str = "United Nations S/PV.8716
Security Council
Seventy-fifth year
8716th meeting
Thursday, 27 February 2020, 10 a.m.
New York
President: Mr. Zhang Jun ........................................ (China)
Members: Belgium .................................... Mr. Pecsteen de Buytswerve
Agenda
Small arms
The meeting was called to order at 10.05 a.m.
The President (spoke in Chinese): In accordance with rule 39 of the Council's provisional rules of procedure, I invite Mr. Spleeters to participate in this meeting.
Mr. Spleeters: I thank the Council. The participants noted the following: diversion is the loss of legally acquired arms.
Mr. Smith said the following: a colon inside prose does not start a turn.
\u{c}
Mr. Wu Haitao (China) (spoke in Chinese): China supports the arms embargo. Sanctions are a means, not an end.
Ms. Gamba de Potgieter (spoke in French): I thank the Niger.(spoke in English) Yesterday we celebrated the day.
Hadiza (spoke in French): Allow me to thank the Government of the Niger.
Mr. Takht Ravanchi (Iran (Islamic Republic of)): Iran rejects the draft.
The President (spoke I thank Mr. Spleeters for his briefing. in Chinese): I shall now make a statement in my national capacity. China welcomes the briefing.
Mrs. Gueguen (France) (spoke in French): France agrees. Report of the Secretary-General (S/2020/798)The President: I thank the representative of France.
";

    #[test]
    fn meeting_record_turns_speakers_and_metadata() {
        let lines = paged(RECORD);
        assert_eq!(recognize(&lines), Some(DocType::MeetingRecord));
        let b = parse_un(&lines).expect("a record");
        assert_keeps_words(&lines, &b);
        assert_eq!(b.meta.doc_type, Some(DocType::MeetingRecord));
        assert_eq!(b.meta.symbol.as_deref(), Some("S/PV.8716"));
        assert_eq!(b.meta.date.as_deref(), Some("2020-02-27"));
        assert_eq!(
            b.meta.title.as_deref(),
            Some("Security Council, 8716th meeting")
        );
        assert_eq!(
            labels(&b),
            [
                "Overview",
                "The President",
                "Mr. Spleeters",
                "Mr. Wu Haitao (China)",
                "Ms. Gamba de Potgieter",
                "Hadiza",
                "Mr. Takht Ravanchi (Iran (Islamic Republic of))",
                "The President",
                "Mrs. Gueguen (France)",
                "The President",
            ]
        );
        let speakers: Vec<(&str, Option<&str>)> = b
            .sessions
            .iter()
            .filter_map(|s| s.speaker.as_ref())
            .map(|s| (s.name.as_str(), s.country.as_deref()))
            .collect();
        assert_eq!(
            speakers,
            [
                ("The President", None),
                ("Mr. Spleeters", None),
                ("Mr. Wu Haitao", Some("China")),
                ("Ms. Gamba de Potgieter", None),
                ("Hadiza", None),
                ("Mr. Takht Ravanchi", Some("Iran (Islamic Republic of)")),
                // "in my national capacity": the cover names China.
                ("The President", Some("China")),
                ("Mrs. Gueguen", Some("France")),
                ("The President", None),
            ]
        );
        // The label as written is the turn's heading passage; the
        // interpretation note is in neither the label nor the speaker.
        let wu = &b.sessions[3];
        assert_eq!(wu.passages[0].kind, PassageKind::Heading);
        assert_eq!(
            wu.passages[0].text,
            "Mr. Wu Haitao (China) (spoke in Chinese):"
        );
        assert_eq!(
            wu.passages[1].text,
            "China supports the arms embargo. Sanctions are a means, not an end."
        );
        assert_eq!(wu.passages[0].page, Some(2));
        // The overview holds the cover page.
        assert!(b.sessions[0].passages[0].text.starts_with("United Nations"));
        assert_eq!(b.sessions[0].passages[0].page, Some(1));
        // Prose with a colon stays in the turn.
        let (s, _) = find(&b, "Mr. Smith said the following");
        assert_eq!(s.label, "Mr. Spleeters");
        // The broken note keeps the speech in the body.
        let (s, p) = find(&b, "I thank Mr. Spleeters for his briefing.");
        assert_eq!(s.passages[0].text, "The President (spoke");
        assert_eq!(p.kind, PassageKind::Paragraph);
        // A turn glued after an agenda item's ")" starts a new turn; the
        // glued word goes with the label so that no word is split.
        let last = b.sessions.last().expect("sessions");
        assert_eq!(last.passages[0].text, "(S/2020/798)The President:");
        assert_eq!(
            last.passages[1].text,
            "I thank the representative of France."
        );
    }

    #[test]
    fn president_in_capacity_of_a_country() {
        let text = "The President (spoke in French): I now give the floor to Ms. Fore.\n\
Ms. Fore: Thank you.\n\
The President (spoke in French): I shall now make a statement in my capacity as the representative of the Niger on behalf of the three African members.\n\
The President: I now resume my functions as President of the Council.\n";
        let lines = paged(text);
        let b = parse_un(&lines).expect("a record");
        assert_keeps_words(&lines, &b);
        let countries: Vec<Option<&str>> = b
            .sessions
            .iter()
            .map(|s| s.speaker.as_ref().and_then(|sp| sp.country.as_deref()))
            .collect();
        assert_eq!(countries, [None, None, Some("Niger"), None]);
        // No header: no symbol, title or date from the text.
        assert_eq!(b.meta.symbol, None);
        assert_eq!(b.meta.title, None);
        assert_eq!(b.meta.date, None);
    }

    #[test]
    fn long_turns_are_cut_into_sentence_groups() {
        let sentence = "Mr. Madeira said that the Council of the Union of St. Kitts must act now, and that J. Doe agreed with the approach taken by the Panel. ";
        let speech = sentence.repeat(20);
        let text = format!(
            "The President: I give the floor.\nMr. Swan: {speech}\nMr. Madeira: Thank you.\n"
        );
        let lines = paged(&text);
        let b = parse_un(&lines).expect("a record");
        assert_keeps_words(&lines, &b);
        let swan = &b.sessions[1];
        assert!(swan.passages.len() > 3, "{}", swan.passages.len());
        for p in &swan.passages[1..] {
            assert!(p.text.len() <= MAX_PASSAGE, "{}", p.text.len());
            assert!(p.text.starts_with("Mr. Madeira said"), "{}", p.text);
            assert!(p.text.ends_with("by the Panel."), "{}", p.text);
        }
        for p in &swan.passages[1..swan.passages.len() - 1] {
            assert!(p.text.len() >= MIN_PASSAGE, "{}", p.text.len());
        }
    }

    const RESOLUTION: &str = "United Nations
Security Council
S/RES/2036 (2012)
Distr.: General 23 February 2012
Resolution 2036 (2012)
Adopted by the Security Council at its 6718th meeting, on 22 February 2012
The Security Council,
Recalling all previous resolutions on the situation in Somalia,
Expressing concern that charcoal exports from Somalia are a significant revenue source for Al Shabaab,
Acting under Chapter VII of the Charter of the United Nations,
1. Decides that AMISOM shall take all necessary measures;
2.\u{a0}Requests the African Union to increase the force strength;
3.\tReiterates that regional organisations have the responsibility to secure resources:
(a) Consolidation of security and stability;
(b) Effective regional coordination, in particular:
(i) first point;
(ii) second point;
\u{c}
Charcoal ban
4. Decides that Somali authorities shall take the necessary measures to prevent the export of charcoal from Somalia;
5. Decides that the Committee may designate individuals; 6. Decides to remain actively seized of the matter.
";

    #[test]
    fn resolution_preamble_operative_paragraphs_and_sections() {
        let lines = paged(RESOLUTION);
        assert_eq!(recognize(&lines), Some(DocType::Resolution));
        let b = parse_un(&lines).expect("a resolution");
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
        let text = "Resolution 1844 (2008)
The Security Council,
Acting under Chapter VII of the Charter of the United Nations,
11. Decides that the Committee shall undertake the following tasks:
(a) to seek information;
(b) to examine:
(i) the reports;
(ii) the replies;
(iii) the others;
(iv) the fourth;
(v) the fifth;
(c) to consider;
(d) d;
(e) e;
(f) f;
(g) g;
(h) h;
(i) to amend its guidelines;
Listing
12. Encourages Member States to submit names;
Unnumbered text after the heading.
(aa) doubled;
";
        let lines = paged(text);
        let b = parse_un(&lines).expect("a resolution");
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
        let text = "RESOLUTION 2216 (2015)
Adopted by the Security Council at its 7426th meeting, on 14 April 2015
The Security Council,
Arms embargo
19. Reaffirms paragraph 18 of resolution 2140 (2014);
Mandate of the Sanctions Committee 20. Decides that the Committee shall also undertake the following tasks: (a) monitoring implementation of the measures; (b) seeking information from all States;
Commitment to review 21. Reaffirms its readiness to take further measures.
";
        let lines = paged(text);
        let b = parse_un(&lines).expect("a resolution");
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
        let text = "Resolution 2178 (2014)
Adopted by the Security Council at its 7272nd meeting, on 24 September 2014
The Security Council,
Reaffirming that terrorism in all forms and manifestations constitutes one of
the most serious threats to international peace and security and that any acts
of terrorism are criminal and unjustifiable regardless of their motivations,
Expressing grave concern over the acute and growing threat posed by foreign
terrorist fighters, namely individuals who travel to a State other than their
States of residence or nationality,
1. Condemns the violent extremism, which can be conducive to terrorism,
sectarian violence, and the commission of terrorist acts by foreign terrorist
fighters, and demands that all foreign terrorist fighters disarm;
2. Reaffirms that all States shall prevent the movement of terrorists or
terrorist groups by effective border controls and controls on issuance of
identity papers and travel documents;
";
        let lines = paged(text);
        let b = parse_un(&lines).expect("a resolution");
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

    const REPORT: &str = "United Nations S/2020/95
Security Council Distr.: General
4 February 2020
Original: English
Report of the Secretary-General on the threat posed by ISIL (Da'esh) to international peace and security
I. Introduction
1. The present report is submitted pursuant to resolution 2368 (2017).
2. The report covers the following:
(a) the threat;
(b) the response.
II. Threat assessment
A. Overview of the threat
3. ISIL remains a threat.
\u{c}
B. Regional trends
4. In Africa, the threat grew.
";

    #[test]
    fn report_headings_paragraphs_and_metadata() {
        let lines = paged(REPORT);
        assert_eq!(recognize(&lines), Some(DocType::Report));
        let b = parse_un(&lines).expect("a report");
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

    const PRESS: &str = "Meetings Coverage and Press Releases
Security Council
8716th Meeting (AM)
SC/14105
27 February 2020
Security Council Extends Mandate of Panel of Experts on Somalia
The Security Council today extended the mandate of the Panel of Experts.
Statements
The representative of China said that sanctions are a means.
Action
The Council adopted resolution 2511 (2020).
";

    #[test]
    fn press_release_headings_and_metadata() {
        let lines = paged(PRESS);
        assert_eq!(recognize(&lines), Some(DocType::PressRelease));
        let b = parse_un(&lines).expect("a press release");
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

    #[test]
    fn other_text_is_not_a_un_document() {
        for text in [
            "",
            "   \n\n",
            "Introductory session\n\nIt was noted that the Council met.\n\nSession III\nThe participants made recommendations, including:\n- first\n",
            "The participants noted the following: trafficking grows.\nThe Chair said: thank you.\n",
            "Mr. Smith: a single speaker line is not a record.\n",
            "The Security Council, meeting today, discussed S/2018/1177.\n",
        ] {
            let lines = paged(text);
            assert_eq!(recognize(&lines), None, "{text:?}");
            assert!(parse_un(&lines).is_none());
        }
    }

    #[test]
    fn symbols_from_file_names() {
        assert_eq!(
            symbol_from_file_name("2020-02-27-s-pv-8735-somalia-751-sanctions.txt").as_deref(),
            Some("S/PV.8735")
        );
        assert_eq!(
            symbol_from_file_name("corpus/2014/2014-09-24-s-res-2178-foreign-fighters.txt")
                .as_deref(),
            Some("S/RES/2178 (2014)")
        );
        assert_eq!(
            symbol_from_file_name("2020-02-27-sc-14105-somalia.txt").as_deref(),
            Some("SC/14105")
        );
        assert_eq!(
            symbol_from_file_name("2020-02-04-s-2020-95-isil-report.txt").as_deref(),
            Some("S/2020/95")
        );
        assert_eq!(symbol_from_file_name("s-res-2178.txt"), None);
        assert_eq!(
            symbol_from_file_name("2018-10-08-ctc-open-briefing.txt"),
            None
        );
        assert_eq!(symbol_from_file_name(""), None);
    }

    #[test]
    fn odd_inputs_never_panic() {
        let long_word = "x".repeat(100_000);
        let parens = ")".repeat(50_000);
        let dots = ". ".repeat(50_000);
        let cases: Vec<String> = vec![
            String::new(),
            "(".into(),
            "1.".into(),
            "(a)".into(),
            "The President (spoke".into(),
            "The President (spoke in".into(),
            "Mr. (".into(),
            "Mr. X (".into(),
            "Mr. X (é".into(),
            "The President".into(),
            "The President:".into(),
            "Resolution 1 (".into(),
            "S/RES/".into(),
            "S/PV.".into(),
            "SC/".into(),
            "S/2020/".into(),
            "Resolution 9999999999 (2014)\n1. A".into(),
            "Resolution 1 (2014)\n4294967295. Decides;\n4294967296. Decides".into(),
            "Resolution 1 (2014)\n999. Decides; 1000. Decides".into(),
            format!("Mr. A: {long_word}\nMr. B: {parens}\nMr. C: {dots}"),
            format!("The President: ){long_word}The President: x"),
            "The President: é.Mr. Ü (Ö): ü\nMs. É (spoke in Ä): ö\u{a0}\u{3000}".into(),
            "Resolution 1 (2014)\n\u{a0}1.\u{a0}\u{a0}Décidé\n(ü) x\n(i)\n(ii)\n(v)\n(x)".into(),
            "\u{feff}\u{200b}Report of the Secretary-General\nI. A\nII. B\n\u{0}".into(),
        ];
        for text in &cases {
            let lines = paged(text);
            let _ = recognize(&lines);
            for t in DocType::ALL {
                let b = parse(&lines, t);
                assert_keeps_words(&lines, &b);
            }
        }
    }

    /// Property: soups of the characters the parsers look at keep every
    /// word in order under every type.
    #[test]
    fn character_soup_keeps_every_word_in_order() {
        let alphabet: Vec<char> = "()(:;.,.1234 aivxhbT PMrsdeC\n\n\u{a0}\u{3000}é日/S\t"
            .chars()
            .collect();
        let mut next = crate::test_support::xorshift();
        for _ in 0..SOUP_ITERATIONS {
            let len = next(300);
            let mut text: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            if next(2) == 0 {
                text.insert_str(
                    0,
                    [
                        "The President: ",
                        "Resolution 1 (2014)\n",
                        "S/2020/1\nReport of the X\n",
                        "SC/12345\nPress Release\n",
                    ][next(4)],
                );
            }
            let lines = paged(&text);
            let _ = recognize(&lines);
            for t in DocType::ALL {
                let b = parse(&lines, t);
                assert_keeps_words(&lines, &b);
            }
        }
    }

    const SOUP_ITERATIONS: usize = 1000;

    /// Property: UN-shaped generated documents (turn labels, broken notes,
    /// glued labels, operative numbers, sub-items, headings, NBSP, Unicode),
    /// parsed as every type, keep every word in order, and no session is
    /// empty.
    const STRESS_ITERATIONS: usize = 400;

    #[test]
    fn generated_un_text_keeps_every_word_in_order() {
        let pieces = [
            "The President (spoke in French):",
            "The President (spoke I thank Mr. X. in French):",
            "Mr. Wu Haitao (China) (spoke in Chinese):",
            "Mr. Spleeters:",
            "Hadiza (spoke in French):",
            "(S/2020/798)The President:",
            "(spoke in English)",
            "Resolution 2178 (2014)",
            "Adopted by the Security Council at its 7272nd meeting, on 24 September 2014",
            "S/RES/2178 (2014)",
            "S/PV.8716",
            "SC/14105",
            "S/2020/95",
            "Press Release",
            "The Security Council,",
            "Recalling its resolutions,",
            "1. Decides",
            "2.\u{a0}Requests",
            "3.\tUrges",
            "; 4. Decides",
            ": (a) first",
            "; (b) second",
            "(a)",
            "(i)",
            "(ii)",
            "(h)",
            "I. Introduction",
            "A. Overview",
            "Arms embargo",
            "in my capacity as the representative of the Niger",
            "in my national capacity",
            "Mr.",
            "St.",
            "word.",
            "Sentence ends here. Another starts.",
            "Côte d'Ivoire",
            "日本語",
            "\u{a0}",
            "\u{3000}",
            "",
            "x:",
            ")",
            "(",
        ];
        let mut next = crate::test_support::xorshift();
        for _ in 0..STRESS_ITERATIONS {
            let mut text = String::new();
            for _ in 0..next(30) {
                for _ in 0..next(6) + 1 {
                    text.push_str(pieces[next(pieces.len())]);
                    text.push(match next(4) {
                        0 => '\u{a0}',
                        1 => '\t',
                        _ => ' ',
                    });
                }
                if next(5) == 0 {
                    // A long run of sentences.
                    for _ in 0..next(40) {
                        text.push_str("The Council met. Mr. X spoke at length about it. ");
                    }
                }
                text.push_str(["\n", "\n\n", "\n \n"][next(3)]);
            }
            let lines = paged(&text);
            let _ = recognize(&lines);
            for t in DocType::ALL {
                let b = parse(&lines, t);
                assert_keeps_words(&lines, &b);
            }
        }
    }

    #[test]
    fn records_are_titled_by_their_number() {
        assert_eq!(
            record_title("S/PV.8742").as_deref(),
            Some("Security Council, 8742nd meeting")
        );
        assert_eq!(
            record_title("S/PV.8711").as_deref(),
            Some("Security Council, 8711th meeting")
        );
        assert_eq!(record_title("S/RES/2178 (2014)"), None);
    }
}
