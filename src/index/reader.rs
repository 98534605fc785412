//! Opening the live generation for searching, and telling when it has
//! gone stale (a newer commit, or a changed corpus).

use std::path::{Path, PathBuf};

use anyhow::Result;
use tantivy::Index;

use crate::corpus::{self};

use super::IndexError;
use super::generation::current_generation;
use super::manifest::{Payload, read_payload};
use super::schema::{Fields, INDEX_FORMAT, register_analyzer, schema};

/// Sessions from which segments may be searched in parallel.
pub(super) const PARALLEL_SEARCH_MIN_DOCS: u64 = 20_000;

/// Postings a search reads (the summed document frequencies of its words)
/// from which it runs on several threads.
pub(super) const PARALLEL_SEARCH_MIN_POSTINGS: u64 = 20_000;

/// An opened index generation.
pub struct OpenIndex {
    pub index: Index,
    /// A reader with every segment file already open, so a generation
    /// removed after opening stays readable.
    pub reader: tantivy::IndexReader,
    pub fields: Fields,
    pub payload: Payload,
    pub dir: PathBuf,
}

impl OpenIndex {
    /// The executor of a search that reads about `postings` postings
    /// (`None`: unknown, as for a prefix or every session): one thread per
    /// core and segment when both the index and the work are large, else
    /// the calling thread.
    ///
    /// Why: a broad query over a large index spends milliseconds per
    /// segment, but starting the threads costs about a quarter of a
    /// millisecond, more than a narrow query takes in all. Threads that
    /// cannot be started (a process limit) leave the search on one.
    pub fn executor(&self, postings: Option<u64>) -> tantivy::Executor {
        let searcher = self.reader.searcher();
        let segments = searcher.segment_readers().len();
        let large = segments > 1 && searcher.num_docs() >= PARALLEL_SEARCH_MIN_DOCS;
        let broad = postings.is_none_or(|p| p >= PARALLEL_SEARCH_MIN_POSTINGS);
        if large && broad {
            let threads = cores().min(segments);
            if threads > 1
                && let Ok(executor) = tantivy::Executor::multi_thread(threads, "ctsearch-search-")
            {
                return executor;
            }
        }
        tantivy::Executor::single_thread()
    }
}

/// The cores this process may run on (affinity mask and cgroup quota).
pub(super) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A reader that reloads only when asked: a search reads one commit.
pub(super) fn reader_of(index: &Index) -> tantivy::Result<tantivy::IndexReader> {
    index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        // A search reads a dozen stored sessions, each at most once, from
        // blocks that rarely repeat: a block cache would only hold memory.
        .doc_store_cache_num_blocks(0)
        .try_into()
}

/// Opens the live index generation for reading.
///
/// A rebuild may switch `CURRENT` and remove the old generation between our
/// reading `CURRENT` and opening its files; then `CURRENT` has changed and
/// the new generation is opened instead.
pub fn open(index_dir: &Path) -> Result<OpenIndex> {
    let mut attempts = 0;
    loop {
        let Some(dir) = current_generation(index_dir)? else {
            return Err(IndexError::Missing(index_dir.to_path_buf()).into());
        };
        match open_generation(&dir) {
            Ok(open) => return Ok(open),
            Err(err) => {
                attempts += 1;
                let moved = current_generation(index_dir).ok().flatten().as_ref() != Some(&dir);
                if !moved || attempts >= 5 {
                    return Err(err);
                }
            }
        }
    }
}

/// Whether the index at `index_dir` has a commit that `open` does not
/// show: another generation went live, or the live one committed again.
/// Reads `CURRENT` and the commit's `meta.json`, no segment.
pub fn changed_since(open: &OpenIndex, index_dir: &Path) -> bool {
    match current_generation(index_dir) {
        Ok(Some(dir)) if dir == open.dir => match read_payload(&dir) {
            Ok(payload) => payload.manifest != open.payload.manifest,
            Err(reason) => {
                // Reopening says what is wrong, as an error; until then
                // the index opened keeps answering.
                eprintln!(
                    "ctsearch: warning: ignoring the commit in {}: {reason}; reopening the index",
                    dir.display()
                );
                true
            }
        },
        _ => true,
    }
}

pub(super) fn open_generation(dir: &Path) -> Result<OpenIndex> {
    let corrupt = |reason: String| IndexError::Corrupt {
        path: dir.to_path_buf(),
        reason,
    };
    let index = Index::open_in_dir(dir).map_err(|e| corrupt(e.to_string()))?;
    register_analyzer(&index, crate::analysis::builtin_exceptions());
    let payload = read_payload(dir).map_err(corrupt)?;
    let outdated = |reason: String| IndexError::Outdated {
        path: dir.to_path_buf(),
        reason,
    };
    if payload.format != INDEX_FORMAT {
        return Err(outdated(format!(
            "built by another ctsearch version (index format {}; this one uses {INDEX_FORMAT})",
            payload.format
        ))
        .into());
    }
    let (expected, fields) = schema();
    if index.schema() != expected {
        return Err(outdated("built with another schema".into()).into());
    }
    let reader = reader_of(&index).map_err(|e| corrupt(e.to_string()))?;
    Ok(OpenIndex {
        index,
        reader,
        fields,
        payload,
        dir: dir.to_path_buf(),
    })
}

/// Whether the corpus may have changed since the index was built, judged by
/// directory modification times only (cheap enough for every search).
pub fn corpus_may_have_changed(open: &OpenIndex, corpus: &Path) -> bool {
    let Ok(canon) = std::fs::canonicalize(corpus) else {
        return true;
    };
    if canon.to_string_lossy() != open.payload.corpus {
        return true;
    }
    corpus::dirs_changed(&canon, &open.payload.dirs)
}
