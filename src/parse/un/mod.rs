//! Machinery shared by the parsers of United Nations documents
//! ([`super::resolution`], [`super::meeting_record`], [`super::report`],
//! [`super::press_release`]). Nothing here knows which type a document is;
//! the type files combine these pieces.
//!
//! Input: lines of text with their page, already decoded, with the page
//! furniture removed (running symbols, job numbers, barcodes, page counters)
//! and paragraphs split across pages joined. Two layouts are read
//! ([`paragraphs`]):
//!
//! - one paragraph per line (the published text files): each line is a
//!   paragraph, except that a line starting with a lowercase letter carries
//!   on the one before (a page break the furniture pass did not join);
//! - wrapped lines (a PDF's visual lines): lines are joined into
//!   paragraphs at blank lines, paragraph markers ("12.", "(a)", "I."),
//!   short lines and sentence or clause ends followed by a capital.
//!
//! The modules, from the bottom up (each uses only those before it, see
//! `tests/layers.rs`): [`numbering`] (paragraph markers, heading shapes, the
//! numbering state) and [`turns`] (speaker turns) → [`paragraphs`] (lines →
//! paragraphs → passages) → [`sections`] (numbered paragraphs → sessions at
//! headings). [`header`] reads what the top of a document says.
//!
//! Contract (the one of [`crate::parse`]): every word of every non-blank
//! input line is in exactly one passage, in input order. Passages are cut
//! only at white space, so no word is split or glued.

pub(crate) mod header;
pub(crate) mod numbering;
pub(crate) mod paragraphs;
pub(crate) mod sections;
pub(crate) mod turns;
