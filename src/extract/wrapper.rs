//! Publishers' wrappers around a document's own text.
//!
//! Refworld, where much of the Council's older record is published, puts a
//! citation block between a resolution's heading and its text:
//!
//! ```text
//! Publisher
//! UN Security Council
//! Publication Date
//! 24 November 1953
//! Citation / Document Symbol
//! S/RES/101 (1953)
//! Reference
//! 1953 Security Council Resolutions
//! Cite as
//! UN Security Council, Resolution 101 (1953) of 24 November 1953, …,
//! available at: http://www.refworld.org/docid/… [accessed 4 April 2016]
//! ```
//!
//! None of it is the document's text: indexed, every such resolution
//! matches "refworld", "publisher" and "cite as". It is furniture, removed
//! before parsing as page furniture is, and what it says about the
//! document (its date and symbol) becomes metadata, which the document's
//! own heading still overrides.

use super::find_date;

/// Non-blank lines from the top within which a wrapper starts.
const WRAPPER_ZONE: usize = 12;
/// Most non-blank lines a wrapper spans, "Publisher" to "[accessed …]".
const WRAPPER_SPAN: usize = 24;

/// What a removed wrapper said about the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wrapper {
    /// "Publication Date", as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// "Citation / Document Symbol", as written ("S/RES/101 (1953)").
    pub symbol: Option<String>,
    /// The lines removed, trimmed, for tracing.
    pub removed: Vec<String>,
}

/// Removes a refworld citation block from the top of `lines` (a line
/// "Publisher" within the first [`WRAPPER_ZONE`] non-blank lines, then the
/// block's labelled fields, up to the "Cite as" text ending in
/// "[accessed …]"), and returns what it said. Lines are left alone when
/// the block is not complete: a resolution that starts a paragraph with
/// "Publisher" keeps it.
pub fn remove_wrapper<P>(lines: &mut Vec<(String, P)>) -> Wrapper {
    let nonblank: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, (l, _))| !l.trim().is_empty())
        .map(|(i, _)| i)
        .collect();
    let text = |k: usize| -> &str {
        nonblank
            .get(k)
            .and_then(|&i| lines.get(i))
            .map_or("", |(l, _)| l.trim())
    };
    let Some(start) = (0..WRAPPER_ZONE.min(nonblank.len())).find(|&k| text(k) == "Publisher")
    else {
        return Wrapper::default();
    };
    let window = start..(start + WRAPPER_SPAN).min(nonblank.len());
    let Some(cite) = window.clone().find(|&k| text(k) == "Cite as") else {
        return Wrapper::default();
    };
    let Some(end) = (cite..window.end).find(|&k| text(k).contains("[accessed")) else {
        return Wrapper::default();
    };
    // The value of a field is the line after its label.
    let value = |label: &str| {
        (start..cite)
            .find(|&k| text(k) == label)
            .map(|k| text(k + 1).to_string())
    };
    let date = value("Publication Date").and_then(|d| find_date(&d));
    let symbol = value("Citation / Document Symbol")
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| s.starts_with("S/"));
    let (Some(&from), Some(&to)) = (nonblank.get(start), nonblank.get(end)) else {
        return Wrapper::default();
    };
    let removed = lines
        .drain(from..=to)
        .map(|(l, _)| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    Wrapper {
        date,
        symbol,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(String, u32)> {
        text.lines().map(|l| (l.to_string(), 1)).collect()
    }

    /// Test fixture in the shape of a refworld page of 1953.
    const REFWORLD: &str = "\nResolution 101 (1953) of 24 November 1953 \n  \n\n\nPublisher\nUN Security Council\n\n\nPublication Date\n24 November 1953\n\n\nCitation / Document Symbol\nS/RES/101  (1953)\n\n\nReference\n1953 Security Council Resolutions\n\n\nCite as\n\nUN Security Council, Resolution 101 (1953) of 24 November 1953, 24 November 1953,\u{a0}S/RES/101 (1953),\u{a0}available at: http://www.refworld.org/docid/3b00f1f260.html\u{a0}[accessed 4 April 2016]\n   \n\nThe Security Council,\nRecalling its previous resolutions on the Palestine question,\n";

    #[test]
    fn a_refworld_block_is_removed_and_read() {
        let mut text = lines(REFWORLD);
        let wrapper = remove_wrapper(&mut text);
        assert_eq!(wrapper.date.as_deref(), Some("1953-11-24"));
        assert_eq!(wrapper.symbol.as_deref(), Some("S/RES/101 (1953)"));
        let kept: Vec<&str> = text
            .iter()
            .map(|(l, _)| l.trim())
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            kept,
            [
                "Resolution 101 (1953) of 24 November 1953",
                "The Security Council,",
                "Recalling its previous resolutions on the Palestine question,"
            ]
        );
        assert!(wrapper.removed.iter().any(|l| l.contains("refworld")));
    }

    #[test]
    fn text_without_a_complete_block_is_kept() {
        let text = "Publisher\nUN Security Council\nThe Security Council,\nNotes the report.\n";
        let mut kept = lines(text);
        assert_eq!(remove_wrapper(&mut kept), Wrapper::default());
        assert_eq!(kept.len(), 4);
        // A block far from the top is not a wrapper.
        let far = format!("{}{REFWORLD}", "Line of text.\n".repeat(20));
        let mut kept = lines(&far);
        let before = kept.len();
        assert_eq!(remove_wrapper(&mut kept), Wrapper::default());
        assert_eq!(kept.len(), before);
    }
}
