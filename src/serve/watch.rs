//! `serve --watch`: re-indexes the corpus incrementally when its files
//! change. File events (notify) are debounced: an update starts once the
//! corpus has been quiet for a moment, so that a copy of many files makes
//! one index run, not one per file. The refresh loop then reopens the
//! index on the commit, as it does for any other process's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify::{EventKind, RecursiveMode, Watcher};

use super::Shared;
use crate::context::DEFAULT_MEMORY_MB;
use crate::index::{self, IndexError, IndexOptions};

/// How long the corpus must be quiet before an update starts.
const DEBOUNCE: Duration = Duration::from_millis(300);
/// How often the watcher looks at the stop flag while nothing happens.
const STOP_CHECK: Duration = Duration::from_millis(250);

/// A watch on the corpus, set up before the server says it is ready, so
/// that no change made after that is missed.
pub(super) struct CorpusWatch {
    _watcher: notify::RecommendedWatcher,
    changes: Receiver<()>,
}

/// Starts watching the corpus of `shared`'s context.
pub(super) fn start(shared: &Shared) -> Result<CorpusWatch> {
    let (corpus, index_dir) = {
        let Some(context) = shared.context() else {
            anyhow::bail!("--watch needs a local index");
        };
        (
            context.location.corpus.clone(),
            context.location.index.clone(),
        )
    };
    // The index's own writes are no change of the corpus (it may live
    // inside the corpus directory).
    let index_abs = std::fs::canonicalize(&index_dir).unwrap_or(index_dir);
    let (events, changes) = channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let relevant = !matches!(event.kind, EventKind::Access(_))
            && event.paths.iter().any(|p| !p.starts_with(&index_abs));
        if relevant {
            let _ = events.send(());
        }
    })
    .context("--watch: cannot watch the corpus")?;
    watcher
        .watch(&corpus, RecursiveMode::Recursive)
        .with_context(|| format!("--watch: cannot watch {}", corpus.display()))?;
    Ok(CorpusWatch {
        _watcher: watcher,
        changes,
    })
}

/// Re-indexes on the changes `watch` reports until `stop` is set.
pub(super) fn watch(shared: &Shared, watch: CorpusWatch, stop: &AtomicBool, quiet: bool) {
    let note = |message: &str| {
        if !quiet {
            eprintln!("ctsearch: {message}");
        }
    };
    let changes = &watch.changes;
    let (corpus, index_dir) = {
        let Some(context) = shared.context() else {
            return;
        };
        (
            context.location.corpus.clone(),
            context.location.index.clone(),
        )
    };
    let mut pending = false;
    while !stop.load(Ordering::SeqCst) {
        match changes.recv_timeout(if pending { DEBOUNCE } else { STOP_CHECK }) {
            Ok(()) => {}
            Err(RecvTimeoutError::Timeout) if pending => {}
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // Wait for the corpus to be quiet.
        loop {
            match changes.recv_timeout(DEBOUNCE) {
                Ok(()) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if stop.load(Ordering::SeqCst) {
            return;
        }
        shared.updating.store(true, Ordering::SeqCst);
        // Searches go on under the read lock while the run writes; the
        // refresh loop waits for the flag to drop before reopening.
        let result = match shared.context() {
            None => return,
            Some(context) => index::update(&IndexOptions {
                corpus: corpus.clone(),
                index_dir: index_dir.clone(),
                rebuild: false,
                wait: false,
                memory: DEFAULT_MEMORY_MB * 1024 * 1024,
                max_file_size: index::DEFAULT_MAX_FILE_SIZE,
                taxonomy: &context.vocabulary.taxonomy,
                interrupted: stop,
                progress: None,
            }),
        };
        shared.updating.store(false, Ordering::SeqCst);
        match result {
            Ok(summary) => {
                pending = false;
                if summary.wrote {
                    note(&format!("--watch: {summary}"));
                }
            }
            Err(err) => match err.downcast_ref::<IndexError>() {
                // Another run holds the lock: try again after it.
                Some(IndexError::Locked(_)) => pending = true,
                Some(IndexError::Interrupted) => return,
                _ => {
                    pending = false;
                    note(&format!("--watch: the index run failed: {err:#}"));
                }
            },
        }
    }
}
