//! The index: schema, on-disk layout, manifest and the (incremental) writer.
//!
//! Layout of an index directory:
//!
//! ```text
//! index/
//!   CURRENT            name of the live generation, replaced atomically
//!   .lock              held by the one `index` run allowed at a time
//!   gen-<n>/           a tantivy index + its manifests
//!     meta.json        tantivy's commit point; its payload is our [`Payload`]
//!     manifest-<k>.json  what each briefing looked like when indexed
//! ```
//!
//! Why generations: a full rebuild (first run, `--rebuild`, a new taxonomy
//! or index format) is written into a fresh directory and only becomes
//! visible when `CURRENT` is renamed over, so an interrupted rebuild leaves
//! the previous index searchable. Incremental runs write into the live
//! generation; tantivy's commit is atomic, and the manifest is referenced
//! from the commit's payload, so index and manifest always agree.

pub mod codec;
mod document;
mod generation;
mod manifest;
mod reader;
mod schema;
mod sessions;
mod writer;

use std::path::PathBuf;

pub use generation::{Lock, lock};
pub use manifest::{Manifest, ManifestEntry, Payload};
pub use reader::{OpenIndex, changed_since, corpus_may_have_changed, open};
pub use schema::{BRIEFING_FIELD, Fields, INDEX_FORMAT, config_fingerprint, schema};
pub use sessions::{StoredSession, StoredSessions, briefings, stored_sessions};
pub use writer::{IndexOptions, Summary, update};

/// Default size limit of a briefing file.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 50 * 1024 * 1024;

/// Errors a caller must tell apart.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0} yet; run `ctsearch index` to build it")]
    Missing(PathBuf),
    #[error("another `ctsearch index` is running (lock {0} is held); wait for it or pass --wait")]
    Locked(PathBuf),
    #[error("the index at {path} is unreadable ({reason}); run `ctsearch index --rebuild`")]
    Corrupt { path: PathBuf, reason: String },
    /// Built by a ctsearch with another index format: rebuilt, not read.
    #[error("the index at {path} was {reason}; run `ctsearch index` to rebuild it")]
    Outdated { path: PathBuf, reason: String },
    #[error("interrupted; the index is unchanged")]
    Interrupted,
}
