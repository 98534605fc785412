//! Small text helpers shared by the symbol finders ([`super::symbol`]) and
//! the parsers ([`crate::parse`]): byte-bounded prefixes, ASCII
//! case-insensitive search, leading numbers, word-start matches and
//! white-space collapsing.
//!
//! They live in the model, the lowest layer both use, so that there is one
//! copy of each. Contract: none of them panics on any input (byte offsets
//! are always moved to character boundaries), and none allocates but
//! [`collapse_whitespace`].

/// The longest prefix of `s` of at most `n` bytes ending on a character
/// boundary.
pub(crate) fn prefix(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Byte offset of ASCII `needle` in `hay`, ignoring ASCII case.
pub(crate) fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    if n.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

/// The number of ASCII digits `text` starts with (at most `max`), parsed,
/// with the count of its digits.
pub(crate) fn leading_number(text: &str, max: usize) -> Option<(u32, usize)> {
    let len = text.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > max {
        return None;
    }
    Some((text.get(..len)?.parse().ok()?, len))
}

/// What follows each occurrence of `needle` in `text` not preceded by a
/// letter or digit (so "S/" does not match inside "AS/").
pub(crate) fn word_starts<'a>(
    text: &'a str,
    needle: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    text.match_indices(needle).filter_map(move |(i, _)| {
        let before = text.get(..i)?.chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric()) {
            return None;
        }
        text.get(i + needle.len()..)
    })
}

/// Joins the lines of a block with single spaces: the words of `text`
/// (split at Unicode white space, as `str::split_whitespace` does) joined
/// by one space. Copies runs of bytes rather than words, and decodes
/// characters only outside ASCII, for the parser spends much of its time
/// here.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    // Most paragraphs are already one line of words and single spaces, and
    // then the answer is the text itself, found eight bytes at a time.
    let trimmed = text.trim_end_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if is_collapsed(trimmed.as_bytes()) {
        return trimmed.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    // Start of the word being read, if inside one.
    let mut word: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        if word.is_some() {
            // Inside a word: skip ahead to the next ASCII space or non-ASCII
            // byte without looking at anything else.
            while let Some(&b) = bytes.get(i)
                && b > b' '
                && b < 0x80
            {
                i += 1;
            }
            if i >= bytes.len() {
                break;
            }
        }
        let b = bytes[i];
        let (space, len) = if b < 0x80 {
            (matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'), 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            }
        };
        match (space, word) {
            (true, Some(start)) => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&text[start..i]);
                word = None;
            }
            (false, None) => word = Some(i),
            _ => {}
        }
        i += len;
    }
    if let Some(start) = word {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..]);
    }
    out
}

/// Whether `text` is its own [`collapse_whitespace`]: no white space at
/// either end, no control bytes, no two spaces in a row, and no Unicode
/// white space. May say no to text that is (a rare slow path), never yes
/// to text that is not.
fn is_collapsed(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    if first <= b' ' || last <= b' ' {
        return false;
    }
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    let mut previous_space = false;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // Some byte below 0x20 (the classic "has less than" test).
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        // Spaces, as high bits; a byte just above a space may be marked
        // too, which only sends the text down the slow path.
        let y = x ^ (ONES * u64::from(b' '));
        let spaces = y.wrapping_sub(ONES) & !y & HIGH;
        if control != 0
            || spaces & (spaces << 8) != 0
            || (previous_space && chunk[0] == b' ')
            || (x & HIGH != 0 && has_unicode_space(bytes, offset, offset + 8))
        {
            return false;
        }
        previous_space = chunk[7] == b' ';
        offset += 8;
    }
    let rest = chunks.remainder();
    for (i, &b) in rest.iter().enumerate() {
        let after_space = if i == 0 {
            previous_space
        } else {
            rest[i - 1] == b' '
        };
        if b < b' ' || (b == b' ' && after_space) {
            return false;
        }
    }
    !has_unicode_space(bytes, offset, bytes.len())
}

/// Whether a character starting in `bytes[from..to]` is white space
/// outside ASCII (they all start with one of four lead bytes).
fn has_unicode_space(bytes: &[u8], from: usize, to: usize) -> bool {
    (from..to.min(bytes.len())).any(|i| {
        matches!(bytes[i], 0xC2 | 0xE1 | 0xE2 | 0xE3)
            && std::str::from_utf8(&bytes[i..(i + 3).min(bytes.len())])
                .ok()
                .or_else(|| std::str::from_utf8(&bytes[i..(i + 2).min(bytes.len())]).ok())
                .and_then(|s| s.chars().next())
                .is_some_and(char::is_whitespace)
    })
}

/// The months in English, lowercase, January first: the date readers'
/// one list (`extract::find_date`, the citations' date glosses, the
/// mending of old dates).
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_whitespace_matches_split_whitespace() {
        for text in [
            "",
            "   ",
            "one",
            "  one  two\n\tthree \r\n",
            "no\u{a0}break\u{2003}em space\u{3000}ideographic\u{85}nel",
            "vertical\u{b}tab\u{c}form feed",
            "Côte d'Ivoire — “quoted” ",
            "trailing newline\n",
            "a sentence of several words, long enough for whole chunks.\n",
            "double  space inside a longer run of words and spaces",
            "em\u{2003}space after eight bytes and more words here",
            "nbsp\u{a0}and more text after it to fill chunks",
            "tab\tinside a long enough sentence to be read in chunks",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(text), expected, "{text:?}");
        }
        // Every kind of white space at every offset, across the eight-byte
        // chunks the fast path reads.
        let base = "Words and words — of a “quoted” paragraph, several chunks long.";
        for space in [
            " ", "  ", "\t", "\n", "\r\n", "\u{a0}", "\u{2003}", "\u{3000}", "\u{85}",
        ] {
            for at in 0..=base.len() {
                if !base.is_char_boundary(at) {
                    continue;
                }
                let text = format!("{}{space}{}", &base[..at], &base[at..]);
                let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(collapse_whitespace(&text), expected, "{text:?}");
            }
        }
    }

    #[test]
    fn helpers_stay_on_character_boundaries() {
        assert_eq!(prefix("é", 1), "");
        assert_eq!(prefix("abc", 10), "abc");
        assert_eq!(find_ci("Press RELEASE", "press release"), Some(0));
        assert_eq!(leading_number("2178 (2014)", 5), Some((2178, 4)));
        assert_eq!(leading_number("123456", 5), None);
        let found: Vec<&str> = word_starts("AS/1 S/2", "S/").collect();
        assert_eq!(found, ["2"]);
    }
}
