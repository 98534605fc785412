//! Bytes of a text file → text the parsers can read.
//!
//! Real documents arrive in the encoding their source used: UTF-8 (with or
//! without a BOM), UTF-16 with a BOM, and, for older PDF extractions,
//! Windows-1252/Latin-1 ("Communiqu\xE9", a 0x80 euro sign, 0xAD soft
//! hyphens used as bullets). [`decode`] finds the encoding, decodes without
//! losing those characters, and normalises what would otherwise confuse the
//! line-based parsers: line ends, NUL bytes, soft hyphens and no-break
//! spaces ([`normalize`], which the PDF extractor uses as well).
//!
//! Binary files are not detected here: the indexer rejects them before
//! decoding (its `looks_binary`). A UTF-16 file is mostly NUL bytes in
//! ASCII text, so a caller must decode a file starting with a UTF-16 BOM
//! (`FF FE`, `FE FF`) rather than reject it as binary.

use std::borrow::Cow;

use chardetng::EncodingDetector;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::clean_invisible;

/// A decoded text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, normalised by [`normalize`]: LF line ends only, no NUL,
    /// soft hyphens resolved, no-break spaces made spaces.
    pub text: String,
    /// The encoding the bytes were decoded from, as encoding_rs names it:
    /// "UTF-8", "UTF-16LE", "UTF-16BE", "windows-1252", …
    pub encoding: &'static str,
    /// What the user should know although the file was read: it was not
    /// UTF-8 (naming the encoding used), bytes were invalid, NUL bytes were
    /// replaced. Several notes are joined with "; ".
    pub warning: Option<String>,
}

/// Decodes the bytes of a text file. Never fails and never panics: any
/// bytes give a text.
///
/// The encoding, in this order:
/// 1. A byte order mark decides: UTF-8 (the BOM is dropped), UTF-16LE or
///    UTF-16BE. Invalid UTF-16 (an unpaired surrogate) is replaced by
///    U+FFFD, with a warning.
/// 2. Valid UTF-8 is UTF-8, without a warning (ASCII is valid UTF-8).
/// 3. Bytes that are mostly UTF-8 (more valid multi-byte characters than
///    invalid sequences, a character cut off at the end not counted: a
///    damaged or truncated UTF-8 file) are UTF-8, the invalid sequences
///    replaced by U+FFFD, with a warning. Windows-1252 text practically
///    never holds a valid multi-byte sequence ("é " is `E9 20`).
/// 4. Otherwise a legacy encoding, guessed by chardetng as a browser does
///    for a page without a charset. Its guess is used only if chardetng is
///    confident (its best candidate beat another) and the bytes decode in
///    it without a single error; else the
///    web's fallback for Latin text, windows-1252, which maps every byte to
///    a character (Latin-1 is its subset): nothing becomes U+FFFD. The
///    warning says "not UTF-8; decoded as <encoding>".
///
/// Then the text is normalised ([`normalize`]) and NUL bytes become spaces
/// (with a warning).
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut notes: Vec<String> = Vec::new();
    let (text, encoding) = to_unicode(bytes, &mut notes);
    let text = if text.contains('\0') {
        notes.push("NUL bytes replaced by spaces".to_string());
        Cow::Owned(text.replace('\0', " "))
    } else {
        text
    };
    Decoded {
        text: normalize(&text),
        encoding: encoding.name(),
        warning: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

/// Bytes → Unicode, by the rules of [`decode`]; notes what had to be
/// repaired or guessed.
fn to_unicode<'a>(bytes: &'a [u8], notes: &mut Vec<String>) -> (Cow<'a, str>, &'static Encoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (text, malformed) = encoding.decode_without_bom_handling(body);
        if malformed {
            notes.push(format!("invalid {} (replaced by U+FFFD)", encoding.name()));
        }
        return (text, encoding);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), UTF_8);
    }
    let (multibyte, invalid) = utf8_census(bytes);
    if multibyte > invalid {
        notes.push(if invalid == 0 {
            "UTF-8 cut off in the middle of a character".to_string()
        } else {
            format!("invalid UTF-8 in {invalid} place(s), replaced by U+FFFD")
        });
        return (String::from_utf8_lossy(bytes), UTF_8);
    }
    let mut detector = EncodingDetector::new();
    detector.feed(bytes, true);
    let (guess, confident) = detector.guess_assess(None, false);
    let guessed = (confident && guess != WINDOWS_1252)
        .then(|| guess.decode_without_bom_handling_and_without_replacement(bytes))
        .flatten();
    let (text, encoding) = match guessed {
        Some(text) => (text, guess),
        // windows-1252 decodes every byte (the WHATWG table maps the five
        // unassigned ones to C1 controls): `malformed` is always false.
        None => (
            WINDOWS_1252.decode_without_bom_handling(bytes).0,
            WINDOWS_1252,
        ),
    };
    notes.push(format!("not UTF-8; decoded as {}", encoding.name()));
    (text, encoding)
}

/// Valid multi-byte UTF-8 characters and invalid byte sequences in `bytes`,
/// not counting a character cut off at the very end (a truncated file).
fn utf8_census(bytes: &[u8]) -> (usize, usize) {
    let mut multibyte = 0;
    let mut invalid = 0;
    let mut last_invalid: &[u8] = &[];
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
        last_invalid = chunk.invalid();
    }
    // The last chunk's invalid bytes end the input; an incomplete but so far
    // valid sequence there reports no error length.
    let cut_off = std::str::from_utf8(last_invalid).is_err_and(|e| e.error_len().is_none());
    (multibyte, invalid - usize::from(cut_off))
}

/// Normalises decoded text for the line-based parsers:
/// - line ends: CRLF, CR CR LF (a Refworld export) and a lone CR become LF;
/// - a soft hyphen (U+00AD) opening a line, after optional spaces, is a
///   bullet (PDF extractions of UN resolutions: "\u{AD} To expedite …") and
///   becomes "- ", a list marker of the text and Markdown parsers;
/// - a soft hyphen ending a line after a letter, with the next line going
///   on in lowercase, marks a word broken there: the two halves are joined
///   ("traf\u{AD}" / "ficking" → "trafficking");
/// - any other soft hyphen is removed (it is invisible: "traf\u{AD}ficking"
///   is one word), as are zero-width characters; no-break spaces become
///   spaces (see [`clean_invisible`]).
pub fn normalize(text: &str) -> String {
    let text = line_ends(text);
    if text.is_ascii() {
        return text.into_owned();
    }
    let text = if text.contains('\u{AD}') {
        Cow::Owned(soft_hyphens(&text))
    } else {
        text
    };
    clean_invisible(&text)
}

/// CRLF, CR CR LF and lone CR → LF. A run of CRs followed by LF is one line
/// end; a run of CRs without LF is one line end per CR.
fn line_ends(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\r') {
        out.push_str(&rest[..at]);
        let from_cr = &rest[at..];
        let crs = from_cr.bytes().take_while(|&b| b == b'\r').count();
        let after = &from_cr[crs..];
        match after.strip_prefix('\n') {
            Some(tail) => {
                out.push('\n');
                rest = tail;
            }
            None => {
                out.extend(std::iter::repeat_n('\n', crs));
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Soft hyphens as bullets and as word breaks at line ends (see
/// [`normalize`]); the others are left for [`clean_invisible`] to remove.
fn soft_hyphens(text: &str) -> String {
    const SHY: char = '\u{AD}';
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').peekable();
    let mut first = true;
    while let Some(line) = lines.next() {
        if !first {
            out.push('\n');
        }
        first = false;
        let mut line = bullet(line);
        // A word broken at the line end: join the next line on.
        loop {
            let body = line.trim_end_matches([' ', '\t']);
            let Some(stem) = body.strip_suffix(SHY) else {
                break;
            };
            let stem = stem.trim_end_matches(SHY);
            let after_letter = stem.chars().next_back().is_some_and(char::is_alphabetic);
            let next_lower = lines
                .peek()
                .and_then(|next| next.trim_start().chars().next())
                .is_some_and(char::is_lowercase);
            if !(after_letter && next_lower) {
                break;
            }
            let mut joined = stem.to_string();
            if let Some(next) = lines.next() {
                joined.push_str(&bullet(next.trim_start()));
            }
            line = Cow::Owned(joined);
        }
        out.push_str(&line);
    }
    out
}

/// A line opening with a soft hyphen (after optional spaces) read as a
/// bullet: "\u{AD} To expedite" → "- To expedite". A soft hyphen directly
/// before a lowercase letter is not a bullet (it is left, to be removed);
/// a line holding nothing else loses it.
fn bullet(line: &str) -> Cow<'_, str> {
    let rest = line.trim_start_matches([' ', '\t']);
    if !rest.starts_with('\u{AD}') {
        return Cow::Borrowed(line);
    }
    let indent = &line[..line.len() - rest.len()];
    let after = rest.trim_start_matches('\u{AD}');
    let item = after.trim_start();
    if item.is_empty() {
        return Cow::Owned(indent.to_string());
    }
    let spaced = item.len() < after.len();
    if !spaced && item.starts_with(char::is_lowercase) {
        return Cow::Borrowed(line);
    }
    Cow::Owned(format!("{indent}- {item}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_stays_utf8_and_loses_its_bom() {
        let d = decode("Comité contre le terrorisme\n".as_bytes());
        assert_eq!(
            (d.text.as_str(), d.encoding, d.warning),
            ("Comité contre le terrorisme\n", "UTF-8", None)
        );
        let d = decode(b"\xEF\xBB\xBFS/RES/2134 (2014)\n");
        assert_eq!(d.text, "S/RES/2134 (2014)\n");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.warning, None);
        assert_eq!(decode(b"").text, "");
    }

    #[test]
    fn utf16_with_a_bom() {
        let text = "Communiqué €\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let d = decode(&le);
        assert_eq!(
            (d.text.as_str(), d.encoding, d.warning),
            ("Communiqué €\n", "UTF-16LE", None)
        );
        let d = decode(&be);
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Communiqué €\n", "UTF-16BE")
        );
        // An unpaired surrogate and an odd trailing byte: replaced, noted.
        let d = decode(&[0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b']);
        assert!(d.text.starts_with('a'), "{:?}", d.text);
        assert!(d.warning.is_some_and(|w| w.contains("invalid UTF-16LE")));
    }

    #[test]
    fn windows_1252_is_decoded_not_lossily() {
        // Test fixtures in the shape of the UN PDF extractions.
        let d = decode(b"Welcomes the communiqu\xe9 issued by the Contact Group");
        assert_eq!(
            d.text,
            "Welcomes the communiqué issued by the Contact Group"
        );
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(
            d.warning.as_deref(),
            Some("not UTF-8; decoded as windows-1252")
        );
        assert_eq!(decode(b"Communiqu\xe9").text, "Communiqué");
        let d = decode(b"with a contribution of \x80200 million for 2018-2020");
        assert_eq!(d.text, "with a contribution of €200 million for 2018-2020");
        assert_eq!(d.encoding, "windows-1252");
        // Every byte decodes to something: nothing is lost.
        let all: Vec<u8> = (0x80..=0xFF).collect();
        let d = decode(&all);
        assert!(!d.text.contains('\u{FFFD}'), "{:?}", d.text);
        let d = decode(b"the Forces D\xe9mocratiques de Lib\xe9ration du Rwanda (FDLR)");
        assert_eq!(
            d.text,
            "the Forces Démocratiques de Libération du Rwanda (FDLR)"
        );
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        // "Comité", "Démocratiques" in UTF-8, then one stray Latin-1 byte.
        let d = decode(b"Comit\xc3\xa9 and D\xc3\xa9mocratiques, caf\xe9 noir");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "Comité and Démocratiques, caf\u{FFFD} noir");
        assert!(
            d.warning
                .is_some_and(|w| w.contains("invalid UTF-8 in 1 place"))
        );
        // Cut in the middle of a character.
        let d = decode(b"Comit\xc3\xa9 \xc3");
        assert_eq!((d.text.as_str(), d.encoding), ("Comité \u{FFFD}", "UTF-8"));
        assert!(d.warning.is_some_and(|w| w.contains("cut off")));
    }

    #[test]
    fn line_ends_become_lf() {
        // Refworld's CR CR LF (two of them: a blank line), a CRLF inside a
        // paragraph, a lone CR.
        let d =
            decode(b"Resolution 733 (1992)\r\r\n\r\r\nThe Security Council,\r\nRecalling\rDecides");
        assert_eq!(
            d.text,
            "Resolution 733 (1992)\n\nThe Security Council,\nRecalling\nDecides"
        );
        assert_eq!(d.warning, None);
        assert_eq!(line_ends("a\r\rb\r"), "a\n\nb\n");
        assert_eq!(line_ends("a\r\r\r\nb"), "a\nb");
        assert_eq!(line_ends("no change\n"), "no change\n");
    }

    #[test]
    fn nul_bytes_become_spaces() {
        let d = decode(b"arms\0embargo");
        assert_eq!(d.text, "arms embargo");
        assert_eq!(d.warning.as_deref(), Some("NUL bytes replaced by spaces"));
        let d = decode(b"arms\0embargo, communiqu\xe9");
        assert_eq!(d.text, "arms embargo, communiqué");
        assert_eq!(
            d.warning.as_deref(),
            Some("not UTF-8; decoded as windows-1252; NUL bytes replaced by spaces")
        );
    }

    #[test]
    fn soft_hyphen_bullets_become_list_markers() {
        // Test fixture in the shape of S/RES/2134 (2014), in Windows-1252.
        let d = decode(
            b"(a) Support for the transition process:\n\xad To expedite the re-establishment;\n  \xad To take a leading role;\n\xadTo help coordinate;\n\xad\n",
        );
        assert_eq!(
            d.text,
            "(a) Support for the transition process:\n- To expedite the re-establishment;\n  - To take a leading role;\n- To help coordinate;\n\n"
        );
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn soft_hyphens_inside_words_vanish() {
        assert_eq!(
            normalize("traf\u{AD}ficking of arms"),
            "trafficking of arms"
        );
        // At a line end, before a lowercase continuation: the word is whole.
        assert_eq!(
            normalize("the traf\u{AD}\nficking of arms\nand\u{AD}\nThe end"),
            "the trafficking of arms\nand\nThe end"
        );
        // Before a lowercase letter at a line start: not a bullet.
        assert_eq!(normalize("\u{AD}ficking"), "ficking");
        // Decoded from Windows-1252 too.
        assert_eq!(decode(b"traf\xadficking").text, "trafficking");
    }

    #[test]
    fn no_break_spaces_become_spaces() {
        // Test fixture in the shape of the 1992 Refworld exports: UTF-8,
        // NBSP after paragraph numbers, CR CR LF.
        let d = decode("1.\u{A0}Decides that all States shall,\r\r\n2.\u{A0}Requests".as_bytes());
        assert_eq!(d.text, "1. Decides that all States shall,\n2. Requests");
        assert_eq!((d.encoding, d.warning), ("UTF-8", None));
        // In Windows-1252, 0xA0 is NBSP as well.
        assert_eq!(
            decode(b"1.\xa0Decides, communiqu\xe9").text,
            "1. Decides, communiqué"
        );
    }

    #[test]
    fn any_bytes_decode() {
        for bytes in [
            &b"\xff"[..],
            b"\xfe",
            b"\xef\xbb",
            b"\xff\xfe\x00",
            b"\r",
            b"\xad",
            b"\0",
        ] {
            let _ = decode(bytes);
        }
    }
}
