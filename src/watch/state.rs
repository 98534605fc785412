//! What the saved searches have reported: per search, the index commit up
//! to which it has reported and, per session seen, a hash of its text.
//!
//! The file is JSON lines: a header line (the commits), then one line per
//! seen session. A search that only needs to know whether anything is
//! left to report reads the header line alone. The file is replaced
//! atomically, after reporting, so a run killed before that reports again.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

/// Version of the state file's layout.
const FORMAT: u32 = 1;

/// Where a saved search stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The index commit (`gen-<n>/manifest-<k>.json`) whose changes the
    /// search has reported.
    pub commit: String,
    /// [`super::Watch::fingerprint`] of the search as it was then.
    pub definition: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Header {
    format: u32,
    watches: BTreeMap<String, Progress>,
}

/// A session a saved search has reported (or found already there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// Hash of the session's text, hex.
    pub hash: String,
    /// Unix time, seconds, when this text was first seen.
    pub at: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Line {
    watch: String,
    path: String,
    session: String,
    hash: String,
    at: u64,
}

/// The sessions one saved search has seen, by (path, session key).
pub type SeenSessions = BTreeMap<(String, String), Seen>;

/// The whole state.
#[derive(Debug, Default)]
pub struct State {
    pub progress: BTreeMap<String, Progress>,
    pub seen: BTreeMap<String, SeenSessions>,
}

/// The state file of a saved searches file: `index.watches.toml` →
/// `index.watches.state.jsonl`, beside it.
pub fn state_path(watches: &Path) -> PathBuf {
    let name = watches
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "watches".into());
    let stem = name.strip_suffix(".toml").unwrap_or(&name);
    watches.with_file_name(format!("{stem}.state.jsonl"))
}

/// The state of the saved searches of `watches` when they run on another
/// source than the local index (`watch run --remote`), named by `source`
/// (a short key of the node's index): what one source has reported is
/// no measure of what another holds, so each keeps its own record.
pub fn source_state_path(watches: &Path, source: &str) -> PathBuf {
    let local = state_path(watches);
    let name = local
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "watches.state.jsonl".into());
    let stem = name.strip_suffix(".jsonl").unwrap_or(&name);
    local.with_file_name(format!("{stem}.{source}.jsonl"))
}

fn damaged(path: &Path) -> String {
    format!(
        "the saved searches' state {} is damaged; remove it to start afresh (every saved search then takes its current matches as seen)",
        path.display()
    )
}

fn open(path: &Path) -> Result<Option<BufReader<File>>> {
    match File::open(path) {
        Ok(file) => Ok(Some(BufReader::new(file))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

fn read_header(path: &Path, reader: &mut BufReader<File>) -> Result<Header> {
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .with_context(|| format!("reading {}", path.display()))?;
    let header: Header = serde_json::from_str(&first).with_context(|| damaged(path))?;
    if header.format != FORMAT {
        anyhow::bail!(
            "the saved searches' state {} has layout {} (this ctsearch reads {FORMAT}); remove it to start afresh",
            path.display(),
            header.format
        );
    }
    Ok(header)
}

impl State {
    /// The progress of every saved search, from the header line only.
    pub fn load_progress(path: &Path) -> Result<BTreeMap<String, Progress>> {
        let Some(mut reader) = open(path)? else {
            return Ok(BTreeMap::new());
        };
        Ok(read_header(path, &mut reader)?.watches)
    }

    /// The whole state; a missing file is an empty state.
    pub fn load(path: &Path) -> Result<State> {
        let Some(mut reader) = open(path)? else {
            return Ok(State::default());
        };
        let header = read_header(path, &mut reader)?;
        let mut seen: BTreeMap<String, SeenSessions> = BTreeMap::new();
        for line in reader.lines() {
            let line = line.with_context(|| format!("reading {}", path.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            let line: Line = serde_json::from_str(&line).with_context(|| damaged(path))?;
            seen.entry(line.watch).or_default().insert(
                (line.path, line.session),
                Seen {
                    hash: line.hash,
                    at: line.at,
                },
            );
        }
        Ok(State {
            progress: header.watches,
            seen,
        })
    }

    /// Forgets a saved search.
    pub fn forget(&mut self, name: &str) {
        self.progress.remove(name);
        self.seen.remove(name);
    }

    /// Writes the state atomically (a temporary file renamed over it).
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut text = Vec::new();
        let header = Header {
            format: FORMAT,
            watches: self.progress.clone(),
        };
        serde_json::to_writer(&mut text, &header)?;
        text.push(b'\n');
        for (watch, sessions) in &self.seen {
            for ((path, session), seen) in sessions {
                let line = Line {
                    watch: watch.clone(),
                    path: path.clone(),
                    session: session.clone(),
                    hash: seen.hash.clone(),
                    at: seen.at,
                };
                serde_json::to_writer(&mut text, &line)?;
                text.push(b'\n');
            }
        }
        super::write_atomic(path, &text)
            .with_context(|| format!("writing the saved searches' state {}", path.display()))
    }
}

/// An exclusive hold on the state (and the saved searches file), so that
/// two processes don't report the same sessions or overwrite each other's
/// marks. Released when dropped, also when the process dies.
pub struct StateLock {
    _file: File,
}

impl StateLock {
    /// Takes the lock beside `state`, or `None` when another process holds
    /// it (it is reporting; what it leaves is reported by a later run).
    pub fn try_take(state: &Path) -> Result<Option<StateLock>> {
        let (path, file) = lock_file(state)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(StateLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("locking {}", path.display()))
            }
        }
    }

    /// Takes the lock, waiting for another process to release it.
    pub fn take(state: &Path) -> Result<StateLock> {
        let (path, file) = lock_file(state)?;
        file.lock()
            .with_context(|| format!("locking {}", path.display()))?;
        Ok(StateLock { _file: file })
    }
}

/// The lock file beside `state` (`index.watches.state.jsonl` →
/// `index.watches.lock`), opened.
fn lock_file(state: &Path) -> Result<(PathBuf, File)> {
    let name = state
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = name.strip_suffix(".state.jsonl").unwrap_or(&name);
    let path = state.with_file_name(format!("{stem}.lock"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening the lock {}", path.display()))?;
    Ok((path, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_and_the_header_reads_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = state_path(&dir.path().join("index.watches.toml"));
        assert!(path.ends_with("index.watches.state.jsonl"));
        assert!(State::load(&path).expect("missing").progress.is_empty());
        let mut state = State::default();
        state.progress.insert(
            "kfr".into(),
            Progress {
                commit: "gen-1/manifest-2.json".into(),
                definition: "ab".into(),
            },
        );
        state.seen.entry("kfr".into()).or_default().insert(
            ("2019/a#b.txt".into(), "session-1".into()),
            Seen {
                hash: "00ff".into(),
                at: 7,
            },
        );
        state.save(&path).expect("save");
        let progress = State::load_progress(&path).expect("header");
        assert_eq!(progress["kfr"].commit, "gen-1/manifest-2.json");
        let again = State::load(&path).expect("load");
        assert_eq!(
            again.seen["kfr"][&("2019/a#b.txt".to_string(), "session-1".to_string())].at,
            7
        );
        std::fs::write(&path, "not json\n").expect("write");
        let err = State::load(&path).expect_err("damaged");
        assert!(format!("{err:#}").contains("damaged"), "{err:#}");
    }

    #[test]
    fn the_lock_is_exclusive() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.jsonl");
        let held = StateLock::try_take(&path).expect("lock").expect("free");
        assert!(StateLock::try_take(&path).expect("lock").is_none());
        drop(held);
        assert!(StateLock::try_take(&path).expect("lock").is_some());
    }
}
