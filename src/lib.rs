//! ctsearch: full-text search over counter-terrorism briefings.
//!
//! The data flows one way through the modules, each using only those
//! before it (`tests/layers.rs`): [`analysis`] (the text rules) →
//! [`model`] (`Briefing` → `Session` → `Passage`) → [`corpus`] (which
//! files) → [`extract`] (decoding, PDF, HTML, page furniture) → [`parse`]
//! (text → the model: briefings, resolutions, meeting records, reports) →
//! [`taxonomy`], [`synonyms`], [`citation`] (tags and references) → [`vocabulary`] → [`index`] (schema,
//! generations, manifest, writer) → [`search`] (query → ranked hits,
//! passages, highlights, facets) → [`render`] (text, JSON) → [`context`]
//! (the vocabulary and an index reader, opened once) → [`backend`] (the
//! engine a search runs on: the local context or a Quickwit node, chosen
//! once). [`serve`], [`export`] and [`watch`] stand on them; [`cli`] turns
//! flags into calls of them. [`client`] (HTTP to a node) stands below
//! everything.

pub mod analysis;
pub mod backend;
pub mod citation;
pub mod cli;
pub mod client;
pub mod context;
pub mod corpus;
pub mod export;
pub mod extract;
pub mod index;
pub mod model;
pub mod parse;
pub mod render;
pub mod search;
pub mod serve;
pub mod synonyms;
pub mod taxonomy;
pub mod trace;
pub mod vocabulary;
pub mod watch;

#[cfg(test)]
mod test_support;
