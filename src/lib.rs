//! ctsearch: full-text search over counter-terrorism briefings.
//!
//! The data flows one way through the modules:
//! [`corpus`] (which files) → [`extract`] (PDF, HTML → text and structure)
//! → [`briefing`] (text → sessions → passages) → [`taxonomy`] (crime types,
//! organizations) → [`index`] (schema, manifest, writer) → [`search`]
//! (query → ranked hits, passages, highlights, facets) → [`render`] (text,
//! JSON). [`cli`] turns flags into calls of the above.

pub mod analysis;
pub mod cli;
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
