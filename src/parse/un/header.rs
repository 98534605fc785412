//! What the top lines of a UN document say that more than one type reads:
//! the distribution date ("Distr.: General 24 September 2014"), printed on
//! resolutions and reports alike.
//!
//! Contract: helpers take the document's top lines (trimmed) and return
//! `None` when the shape is not there; they never look past the lines given.

use crate::extract::find_date;
use crate::model::text::MONTHS;

/// The date of a "Distr.: General 24 September 2014" line (the date may be
/// on one of the two lines after it). "Distressed" is not a "Distr." line.
pub(crate) fn distributed_date(top: &[&str]) -> Option<String> {
    let at = top.iter().position(|t| {
        t.contains("Distr.")
            || t.strip_prefix("Distr")
                .is_some_and(|rest| !rest.starts_with(char::is_alphabetic))
    })?;
    top.iter().skip(at).take(3).find_map(|t| lenient_date(t))
}

/// The first date of `text`, as [`find_date`] reads it, after mending what
/// scans and typing do to the dates of old documents: a letter for a digit
/// in a year ("I974", "l953", "197O") and a month one or two letters off
/// ("Janunry", "Novmber").
pub(crate) fn lenient_date(text: &str) -> Option<String> {
    if let Some(date) = find_date(text) {
        return Some(date);
    }
    let mended: Vec<String> = text
        .split_whitespace()
        .map(|word| {
            let bare = word.trim_end_matches([',', '.', ';', ')']);
            let tail = &word[bare.len()..];
            if bare.len() == 4
                && bare.chars().filter(char::is_ascii_digit).count() >= 2
                && bare
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, 'I' | 'l' | 'O' | 'o'))
            {
                let year: String = bare
                    .chars()
                    .map(|c| match c {
                        'I' | 'l' => '1',
                        'O' | 'o' => '0',
                        c => c,
                    })
                    .collect();
                return format!("{year}{tail}");
            }
            if bare.len() >= 4 && bare.chars().all(char::is_alphabetic) {
                let near = MONTHS.iter().find(|m| {
                    m.len() >= 4
                        && m.as_bytes()[0].eq_ignore_ascii_case(&bare.as_bytes()[0])
                        && edit_distance(&m.to_ascii_lowercase(), &bare.to_ascii_lowercase()) <= 2
                });
                if let Some(month) = near {
                    return format!("{month}{tail}");
                }
            }
            word.to_string()
        })
        .collect();
    find_date(&mended.join(" "))
}

/// Levenshtein distance of two short ASCII words.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_old_documents_are_mended() {
        assert_eq!(
            lenient_date("Resolution 351 (1974) of 10 June I974").as_deref(),
            Some("1974-06-10")
        );
        assert_eq!(
            lenient_date("of 6 Janunry 1992").as_deref(),
            Some("1992-01-06")
        );
        assert_eq!(
            lenient_date("or 11 October 1991").as_deref(),
            Some("1991-10-11")
        );
        assert_eq!(lenient_date("Mayday and more"), None);
        assert_eq!(
            distributed_date(&["Distressed by the events of 3 May 1990"]),
            None
        );
        assert_eq!(
            distributed_date(&["Distr.", "GENERAL", "24 September 2014"]).as_deref(),
            Some("2014-09-24")
        );
    }
}
