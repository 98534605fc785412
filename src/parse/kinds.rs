//! The document types, in the order they are tried: [`KINDS`]. The first
//! kind whose [`DocumentKind::recognize`] accepts a text parses it; a text
//! none accepts is read by the plain briefing rules ([`super::briefing`]).
//!
//! Adding a type (say a presidential statement) is a new file beside the
//! others, implementing [`DocumentKind`], and one line in [`KINDS`].
//!
//! Why this order: a kind is tried only when those before it have said no,
//! so a kind whose documents quote the others' markers comes first. A
//! meeting record quotes resolutions and press releases but is the only
//! type with speaker turns; a resolution may cite a press release
//! ("SC/7791"); reports are recognized by the weakest signs (an S/YYYY/N
//! symbol, which everything cites) and come last.

use super::briefing;
use super::kind::{DocumentKind, LOOK, Line, TOP_LINES, TURN_SCAN_LINES, Top};
use super::meeting_record::MeetingRecord;
use super::press_release::PressRelease;
use super::report::Report;
use super::resolution::Resolution;
use super::un::turns::count_turns;
use crate::model::text::prefix;
use crate::model::{Briefing, DocType};

/// Every document type the parser recognizes, in the order tried.
pub const KINDS: &[&dyn DocumentKind] = &[&MeetingRecord, &Resolution, &PressRelease, &Report];

/// The view of `lines` the recognizers read, computed once.
fn top_of<'a>(lines: &'a [Line<'a>]) -> Top<'a> {
    let nonblank: Vec<&str> = lines
        .iter()
        .map(|(l, _)| l.trim())
        .filter(|l| !l.is_empty())
        .take(TURN_SCAN_LINES)
        .collect();
    Top {
        lines,
        top: nonblank
            .iter()
            .take(TOP_LINES)
            .map(|l| prefix(l, LOOK))
            .collect(),
        turns: count_turns(&nonblank),
    }
}

/// The first kind of [`KINDS`] that recognizes `lines`; `None` when the
/// text has none's shape (it is then a briefing or a plain document).
pub fn recognize(lines: &[Line]) -> Option<&'static dyn DocumentKind> {
    let top = top_of(lines);
    KINDS.iter().copied().find(|kind| kind.recognize(&top))
}

/// Parses `lines` by `kind`, typed as `kind` says, without empty sessions.
pub fn parse_as(kind: &dyn DocumentKind, lines: &[Line]) -> Briefing {
    let mut briefing = kind.parse(lines);
    briefing.meta.doc_type = Some(kind.doc_type());
    briefing.sessions.retain(|s| !s.passages.is_empty());
    briefing
}

/// Parses `lines` by the kind that recognizes them, or by the plain
/// briefing rules when none does.
pub fn parse(lines: &[Line]) -> Briefing {
    match recognize(lines) {
        Some(kind) => parse_as(kind, lines),
        None => briefing::parse_lines(lines.iter().copied()),
    }
}

/// Parses `lines` as a document of type `doc_type`, whatever their shape:
/// by its kind, or by the plain briefing rules for `Briefing` and
/// `Document`.
pub fn parse_typed(lines: &[Line], doc_type: DocType) -> Briefing {
    match KINDS.iter().find(|kind| kind.doc_type() == doc_type) {
        Some(kind) => parse_as(*kind, lines),
        None => {
            let mut briefing = briefing::parse_lines(lines.iter().copied());
            briefing.meta.doc_type = Some(doc_type);
            briefing
        }
    }
}

#[cfg(test)]
mod tests {
    //! Properties of the whole list: what no kind recognizes, and inputs
    //! that every kind must parse without losing a word.

    use super::*;
    use crate::parse::testing::{assert_keeps_words, paged, parse_recognized};

    #[test]
    fn every_type_has_one_kind_or_is_the_briefing_rules() {
        for t in DocType::ALL {
            let kinds = KINDS.iter().filter(|k| k.doc_type() == t).count();
            let plain = matches!(t, DocType::Briefing | DocType::Document);
            assert_eq!(kinds, usize::from(!plain), "{t:?}");
        }
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
            assert!(recognize(&lines).is_none(), "{text:?}");
            assert!(parse_recognized(&lines).is_none());
        }
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
                let b = parse_typed(&lines, t);
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
                let b = parse_typed(&lines, t);
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
                let b = parse_typed(&lines, t);
                assert_keeps_words(&lines, &b);
            }
        }
    }
}
