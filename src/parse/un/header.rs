//! What the top lines of a UN document say that more than one type reads:
//! the distribution date ("Distr.: General 24 September 2014"), printed on
//! resolutions and reports alike.
//!
//! Contract: helpers take the document's top lines (trimmed) and return
//! `None` when the shape is not there; they never look past the lines given.

use crate::extract::find_date;

/// The date of a "Distr.: General 24 September 2014" line (the date may be
/// on one of the two lines after it).
pub(crate) fn distributed_date(top: &[&str]) -> Option<String> {
    let at = top
        .iter()
        .position(|t| t.contains("Distr.") || t.starts_with("Distr"))?;
    top.iter().skip(at).take(3).find_map(|t| find_date(t))
}
