//! The index schema: the fields of a session document, and the
//! fingerprint of everything besides the corpus that shapes the index.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use std::sync::Arc;

use crate::analysis::{
    ANALYSIS_VERSION, ANALYZER_NAME, StemmingExceptions, analyzer_with_exceptions,
};
use crate::taxonomy::Taxonomy;

/// Version of the schema and document layout. Bump it whenever either
/// changes: an index with another version is rebuilt, not misread.
pub const INDEX_FORMAT: u32 = 11;

/// Identity of the code that reads documents (extraction, parsing,
/// citations, tagging): a hash of its sources made by `build.rs`. An index
/// built by another reader is read again whole at the next run, so an
/// upgrade that parses better reaches every document.
pub const PARSER_ID: &str = env!("CTSEARCH_PARSER_ID");

/// The fields of a session document.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Corpus-relative path of the briefing (the delete key).
    pub path: Field,
    /// The briefing's number: one per briefing indexed, shared by its
    /// sessions, never reused within a generation (`Payload::next_briefing`).
    /// A fast field for counting distinct briefings. Why numbers, not a
    /// hash of the path: a broad query reads it for every match, and a
    /// segment's numbers mostly rise one by one, which tantivy stores in a
    /// few bits per session instead of 64.
    pub briefing: Field,
    pub title: Field,
    /// Session label, analyzed for search.
    pub session: Field,
    /// The session's label where it is a topical heading ("Arms Embargo",
    /// "Session III"), analyzed, not stored: what the heading bonus reads.
    /// A meeting record's turn has none: its label names the speaker
    /// ("Mr. Matjila (South Africa)"), which is metadata (the `speaker` and
    /// `country` fields), not what the turn is about.
    pub heading: Field,
    /// Session label as written, for facet counts.
    pub session_label: Field,
    /// Normalized session key, for `--session` filters.
    pub session_key: Field,
    pub session_ord: Field,
    pub crime: Field,
    pub org: Field,
    /// The crime types and organizations as bit sets in taxonomy order
    /// (`Tags::crime_bits`), fast fields for facet counting.
    pub crime_bits: Field,
    pub org_bits: Field,
    pub year: Field,
    pub date: Field,
    /// The document symbol as written ("S/RES/2178 (2014)"), for facets.
    pub symbol: Field,
    /// The symbol's keys ([`crate::model::symbol_keys`]), for filters.
    pub symbol_key: Field,
    /// The documents the session cites, canonical symbols
    /// ([`crate::citation::canonical`]): "S/RES/1373 (2001)",
    /// "S/PRST/2014/23", one value each however often it is cited.
    pub cites: Field,
    pub source: Field,
    /// The document type's name ("resolution"), for facets and filters.
    pub doc_type: Field,
    /// The speaker of a meeting record's turn, as written, for facets.
    pub speaker: Field,
    /// [`crate::model::facet_key`] of the speaker, for filters.
    pub speaker_key: Field,
    /// The speaker's delegation, as written, for facets.
    pub country: Field,
    /// [`crate::model::facet_key`] of the country, for filters.
    pub country_key: Field,
    /// All passages of the session, analyzed, not stored.
    pub body: Field,
    /// The passages as JSON, stored for display and highlighting.
    pub passages: Field,
}

/// Fast u64 field numbering each session's briefing (see `next_briefing`):
/// search counts distinct briefings and breaks score ties with it.
pub const BRIEFING_FIELD: &str = "briefing";

/// The schema of the session documents.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        path: b.add_text_field("path", STRING | STORED),
        briefing: b.add_u64_field(BRIEFING_FIELD, FAST),
        title: b.add_text_field("title", text.clone() | STORED),
        session: b.add_text_field("session", text.clone() | STORED),
        heading: b.add_text_field("heading", text.clone()),
        session_label: b.add_text_field("session_label", STRING | FAST),
        session_key: b.add_text_field("session_key", STRING | STORED),
        session_ord: b.add_u64_field("session_ord", STORED | INDEXED),
        crime: b.add_text_field("crime", STRING | STORED | FAST),
        org: b.add_text_field("org", STRING | STORED | FAST),
        crime_bits: b.add_u64_field("crime_bits", FAST),
        org_bits: b.add_u64_field("org_bits", FAST),
        year: b.add_text_field("year", STRING | STORED | FAST),
        date: b.add_text_field("date", STORED),
        symbol: b.add_text_field("symbol", STRING | STORED | FAST),
        symbol_key: b.add_text_field("symbol_key", STRING),
        cites: b.add_text_field("cites", STRING | STORED | FAST),
        source: b.add_text_field("source", STORED),
        doc_type: b.add_text_field("type", STRING | STORED | FAST),
        speaker: b.add_text_field("speaker", STRING | STORED | FAST),
        speaker_key: b.add_text_field("speaker_key", STRING),
        country: b.add_text_field("country", STRING | STORED | FAST),
        country_key: b.add_text_field("country_key", STRING),
        body: b.add_text_field("body", text),
        passages: b.add_text_field("passages", STORED),
    };
    (b.build(), fields)
}

/// Fingerprint of everything, besides the corpus, that determines what the
/// index holds: the format, the analysis, the reader ([`PARSER_ID`]), the
/// taxonomy.
/// The stemming exceptions count: the taxonomy carries the ones the index
/// is analyzed with.
pub fn config_fingerprint(taxonomy: &Taxonomy) -> String {
    let text = format!(
        "format={INDEX_FORMAT};analysis={ANALYSIS_VERSION};parser={PARSER_ID};taxonomy={};stemming={}",
        taxonomy.source(),
        taxonomy.exceptions().fingerprint()
    );
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// Registers the indexing chain with `exceptions` under [`ANALYZER_NAME`].
pub(super) fn register_analyzer(index: &Index, exceptions: Arc<StemmingExceptions>) {
    index
        .tokenizers()
        .register(ANALYZER_NAME, analyzer_with_exceptions(exceptions));
}
