//! Numbering and heading shapes of UN documents: operative and numbered
//! paragraph markers ("12. Decides"), sub-items ("(a)", "(iv)", "(aa)"),
//! numbered headings ("II. Activities", "A. Subheading"), the shape of an
//! unnumbered section heading ("Arms embargo"), and [`Numbering`], the
//! state that turns them into paragraph numbers as cited ("4 (a) (i)").
//!
//! Also where numbers run on inside a paragraph ([`inline_cuts`]) or a
//! heading is glued to the next paragraph ([`glued_heading`]).
//!
//! Contract: the marker readers look at the start of the text they are
//! given and return byte lengths on character boundaries, so that callers
//! cut only at white space; none panics on any input.

use crate::model::roman_value;
use crate::model::text::prefix;

/// "12. Decides" → (12, length of "12. "): an operative or numbered
/// paragraph's number, followed by white space (a space, NBSP or tab).
pub(crate) fn op_marker(text: &str) -> Option<(u32, usize)> {
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
pub(crate) fn plausible_op(text: &str, len: usize) -> bool {
    text.get(len..)
        .and_then(|t| t.chars().next())
        .is_some_and(|c| c.is_uppercase() || matches!(c, '(' | '"' | '“' | '‘'))
}

/// "(a) ", "(iv) ", "(aa) " → ("a", length of "(a) ").
pub(crate) fn sub_marker(text: &str) -> Option<(&str, usize)> {
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
pub(crate) fn roman_heading(text: &str) -> bool {
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
pub(crate) fn letter_heading(text: &str) -> bool {
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
pub(crate) fn is_heading_shape(text: &str) -> bool {
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
pub(crate) struct Numbering {
    pub(crate) op: Option<u32>,
    letter: Option<String>,
    roman: Option<(String, u32)>,
    /// False after a section heading, until the next numbered paragraph.
    pub(crate) active: bool,
    /// Headings seen so far.
    pub(crate) headings: usize,
}

impl Numbering {
    pub(crate) fn number(&mut self, n: u32) {
        self.op = Some(n);
        self.letter = None;
        self.roman = None;
        self.active = true;
    }

    /// A sub-item "(x)": a letter, or a roman numeral under the current
    /// letter. "(i)" after "(h)" is a letter, "(v)" after "(iv)" a numeral.
    pub(crate) fn sub(&mut self, inner: &str) {
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

    pub(crate) fn heading(&mut self) {
        self.letter = None;
        self.roman = None;
        self.active = false;
        self.headings += 1;
    }

    /// The paragraph as cited: "4", "4 (a)", "4 (a) (i)".
    pub(crate) fn label(&self) -> Option<String> {
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
pub(crate) fn leading_op(text: &str, numbering: &Numbering) -> Option<u32> {
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
pub(crate) fn inline_cuts(text: &str, from: usize, numbering: &Numbering) -> Vec<usize> {
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
pub(crate) fn glued_heading(text: &str, numbering: &Numbering) -> Option<usize> {
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
