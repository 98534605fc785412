//! The on-disk layout: generations, `CURRENT`, the lock, atomic writes and
//! the removal of what a finished or interrupted run left behind.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use super::IndexError;

pub(super) fn current_file(index_dir: &Path) -> PathBuf {
    index_dir.join("CURRENT")
}

/// The live generation directory, if there is one.
pub(super) fn current_generation(index_dir: &Path) -> Result<Option<PathBuf>> {
    if index_dir.exists() && !index_dir.is_dir() {
        anyhow::bail!(
            "index path {} is not a directory; remove it or pass another --index",
            index_dir.display()
        );
    }
    match std::fs::read_to_string(current_file(index_dir)) {
        Ok(name) => {
            let name = name.trim();
            let valid = name.starts_with("gen-") && !name.contains(['/', '\\']);
            if !valid {
                return Err(IndexError::Corrupt {
                    path: index_dir.to_path_buf(),
                    reason: "CURRENT names no generation".into(),
                }
                .into());
            }
            Ok(Some(index_dir.join(name)))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("reading {}", index_dir.display())),
    }
}

/// Writes `bytes` to `path` atomically: a temporary file, fsync, rename.
pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let mut file = File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    if let Some(parent) = path.parent()
        && let Ok(dir) = File::open(parent)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Holds the index lock for the duration of a run.
pub struct Lock {
    _file: File,
}

/// Takes the index lock; fails at once with [`IndexError::Locked`] when
/// another run holds it, unless `wait`.
pub fn lock(index_dir: &Path, wait: bool) -> Result<Lock> {
    std::fs::create_dir_all(index_dir)
        .with_context(|| format!("creating index directory {}", index_dir.display()))?;
    let path = index_dir.join(".lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening lock {}", path.display()))?;
    if wait {
        file.lock()
            .with_context(|| format!("locking {}", path.display()))?;
    } else {
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(IndexError::Locked(path).into());
            }
            Err(std::fs::TryLockError::Error(err)) => {
                return Err(err).with_context(|| format!("locking {}", path.display()));
            }
        }
    }
    Ok(Lock { _file: file })
}

/// A new, empty generation directory.
pub(super) fn new_generation_dir(index_dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(index_dir)
        .with_context(|| format!("creating index directory {}", index_dir.display()))?;
    let mut n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    loop {
        let dir = index_dir.join(format!("gen-{n}"));
        if !dir.exists() {
            std::fs::create_dir(&dir)
                .with_context(|| format!("creating index directory {}", dir.display()))?;
            return Ok(dir);
        }
        n += 1;
    }
}

/// Removes generations other than the live one (left by earlier rebuilds
/// or interrupted runs) and manifests other than the live one.
pub(super) fn remove_stale_files(index_dir: &Path, live: &Path, manifest: &str) {
    remove_stale_generations(index_dir, live);
    if let Ok(entries) = std::fs::read_dir(live) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with("manifest-") && name != manifest {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Removes every generation directory but the live one. Safe only under
/// the lock; a search that opened an old generation keeps reading its
/// (already opened) files.
pub(super) fn remove_stale_generations(index_dir: &Path, live: &Path) {
    if let Ok(entries) = std::fs::read_dir(index_dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let is_gen = entry.file_name().to_string_lossy().starts_with("gen-");
            if is_gen && path != live {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}
