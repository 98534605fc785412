//! Speaker turns of a verbatim meeting record: the label that opens a
//! turn ("Mr. Wu Haitao (China) (spoke in Chinese):", "The President:"),
//! read by [`parse_turn`]; turns counted for recognition ([`count_turns`]);
//! turns glued inside a paragraph by the OCR ([`inner_turns`]); and the
//! country a President speaks for ([`capacity_country`]).
//!
//! Contract: a [`Turn`]'s `len` ends on a character boundary at white space
//! or at the end of the text, so the label passage never splits a word;
//! the readers look at most [`LOOK`] bytes into a paragraph and never
//! panic.

use crate::model::text::{collapse_whitespace, prefix};
use crate::parse::kind::LOOK;

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
pub(crate) struct Turn {
    /// Byte length of the label as written: through its colon, or through
    /// "(spoke" when the interpretation note is broken by the OCR ("The
    /// President (spoke I thank Mr. X for his briefing. in French):").
    pub(crate) len: usize,
    /// "Mr. Wu Haitao", "The President".
    pub(crate) name: String,
    pub(crate) country: Option<String>,
    /// Named by a role ("The President").
    role: bool,
    /// Named with a title ("Mr.").
    titled: bool,
    /// With a country or an interpretation note.
    marked: bool,
}

impl Turn {
    /// The session label: the name and the country, as written.
    pub(crate) fn label(&self) -> String {
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
pub(crate) fn is_country(content: &str) -> bool {
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
pub(crate) fn parse_turn(text: &str) -> Option<Turn> {
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
pub(crate) fn count_turns(lines: &[&str]) -> usize {
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
pub(crate) fn inner_turns(text: &str) -> Vec<(usize, usize)> {
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
pub(crate) fn capacity_country(text: &str, national: Option<&str>) -> Option<String> {
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
