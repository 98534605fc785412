//! Corpus walking: which files are briefings, and what they look like on disk.
//!
//! A briefing is a `.txt`, `.md` or `.markdown` file. Its metadata may sit
//! beside it in a sidecar `<file name>.meta.toml`. Hidden entries are skipped
//! and the index directory is never entered, even when it lies inside the
//! corpus.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::model::Format;

/// Suffix of sidecar metadata files.
pub const SIDECAR_SUFFIX: &str = ".meta.toml";

/// A briefing file found in the corpus.
#[derive(Debug, Clone)]
pub struct BriefingFile {
    /// Path relative to the corpus root, with `/` separators.
    pub rel_path: String,
    pub abs_path: PathBuf,
    pub format: Format,
    /// The file's sidecar, if it has one.
    pub sidecar: Option<PathBuf>,
    /// Size and modification time of the file and its sidecar together, so a
    /// change to either makes the briefing look changed. Zero when the walk
    /// did not read stamps (see [`walk`]).
    pub stamp: Stamp,
}

/// Cheap change detection: sizes and modification times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i128,
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// The result of walking a corpus.
#[derive(Debug, Default)]
pub struct Walk {
    pub briefings: Vec<BriefingFile>,
    pub skipped: Vec<Skipped>,
    /// Modification time of every directory walked, keyed by relative path
    /// ("" is the root). A file added, removed or renamed changes its
    /// directory's time, which lets `search` notice new briefings without a
    /// stat of every file.
    pub dirs: BTreeMap<String, i128>,
}

pub fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

fn rel_string(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A key that sorts relative paths component by component ("a/b" before
/// "a-b", as "a" comes before "a-b").
fn component_order(rel: &str) -> Vec<u8> {
    rel.bytes().map(|b| if b == b'/' { 0 } else { b }).collect()
}

/// Walks the corpus at `root`, never entering `index_dir`. With
/// `read_stamps`, each briefing's stamp is read (a stat of it and its
/// sidecar); without, stamps are left zero and a file that cannot be
/// stat'ed is found out when it is read.
///
/// Fails only when the root itself cannot be read; problems with single
/// entries are reported in [`Walk::skipped`].
pub fn walk(root: &Path, index_dir: &Path, read_stamps: bool) -> Result<Walk> {
    let root_meta =
        std::fs::metadata(root).with_context(|| format!("reading corpus {}", root.display()))?;
    if !root_meta.is_dir() {
        anyhow::bail!("corpus {} is not a directory", root.display());
    }
    std::fs::read_dir(root).with_context(|| format!("reading corpus {}", root.display()))?;
    let index_canon = std::fs::canonicalize(index_dir).ok();
    let mut walk = Walk::default();
    // Not `sort_by_file_name`: its comparisons parse each path for its
    // file name, a third of a no-change re-index. The briefings are sorted
    // once at the end instead.
    let walker = WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let is_index = e.file_type().is_dir()
                && index_canon
                    .as_ref()
                    .is_some_and(|idx| std::fs::canonicalize(e.path()).ok().as_ref() == Some(idx));
            !hidden && !is_index
        });
    // The walk itself runs on one thread; the per-file work after it (a
    // stat through any symlink, the extension, the sidecar) runs on all
    // cores, which halves the walk of a 20k-file corpus. Sidecars are
    // found among the names walked, not by a stat per briefing.
    let mut found: Vec<std::result::Result<walkdir::DirEntry, Skipped>> = Vec::new();
    let mut sidecars: HashSet<PathBuf> = HashSet::new();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_dir() {
                    match entry.metadata() {
                        Ok(meta) => {
                            walk.dirs
                                .insert(rel_string(root, entry.path()), mtime_ns(&meta));
                        }
                        Err(err) => found.push(Err(Skipped {
                            path: rel_string(root, entry.path()),
                            reason: err.to_string(),
                        })),
                    }
                    continue;
                }
                if entry
                    .file_name()
                    .to_string_lossy()
                    .ends_with(SIDECAR_SUFFIX)
                {
                    sidecars.insert(entry.path().to_path_buf());
                    continue;
                }
                found.push(Ok(entry));
            }
            Err(err) => {
                let path = err.path().map(|p| rel_string(root, p)).unwrap_or_default();
                let reason = if err.loop_ancestor().is_some() {
                    "symlink loop".to_string()
                } else {
                    match err.io_error() {
                        Some(io) => io.to_string(),
                        None => err.to_string(),
                    }
                };
                found.push(Err(Skipped { path, reason }));
            }
        }
    }
    let files: Vec<std::result::Result<BriefingFile, Skipped>> = found
        .into_par_iter()
        .map(|entry| briefing_file(root, entry?, &sidecars, read_stamps))
        .collect();
    for file in files {
        match file {
            Ok(file) => walk.briefings.push(file),
            Err(skipped) => walk.skipped.push(skipped),
        }
    }
    // In the order of a walk that visits each directory's entries by name:
    // paths compared component by component, which is what comparing them
    // with "/" as the lowest byte does.
    walk.briefings
        .sort_by_cached_key(|f| component_order(&f.rel_path));
    walk.skipped
        .sort_by_cached_key(|s| component_order(&s.path));
    Ok(walk)
}

/// The briefing at `entry`, or why it is not one.
fn briefing_file(
    root: &Path,
    entry: walkdir::DirEntry,
    sidecars: &HashSet<PathBuf>,
    read_stamps: bool,
) -> std::result::Result<BriefingFile, Skipped> {
    let rel = rel_string(root, entry.path());
    let name = entry.file_name().to_string_lossy();
    let ext = entry
        .path()
        .extension()
        .map(|e| e.to_string_lossy().to_string())
        .unwrap_or_default();
    let Some(format) = Format::from_extension(&ext) else {
        let reason = if ext.is_empty() {
            "unsupported format (no extension)".to_string()
        } else {
            format!("unsupported format (.{ext})")
        };
        return Err(Skipped { path: rel, reason });
    };
    let sidecar_path = entry
        .path()
        .with_file_name(format!("{name}{SIDECAR_SUFFIX}"));
    let has_sidecar = sidecars.contains(&sidecar_path);
    let mut stamp = Stamp::default();
    if read_stamps {
        let meta = entry.metadata().map_err(|err| Skipped {
            path: rel.clone(),
            reason: err.to_string(),
        })?;
        stamp.size = meta.len();
        stamp.mtime_ns = mtime_ns(&meta);
        if let Some(side) = has_sidecar
            .then(|| std::fs::metadata(&sidecar_path).ok())
            .flatten()
        {
            stamp.size += side.len();
            stamp.mtime_ns = stamp.mtime_ns.max(mtime_ns(&side));
        }
    }
    Ok(BriefingFile {
        rel_path: rel,
        abs_path: entry.into_path(),
        format,
        sidecar: has_sidecar.then_some(sidecar_path),
        stamp,
    })
}

/// Modification times of the directories recorded by an earlier walk,
/// read again now; `None` for a directory that no longer exists. This is
/// the cheap freshness check that `search` runs before answering.
pub fn dirs_changed(root: &Path, dirs: &BTreeMap<String, i128>) -> bool {
    dirs.iter().any(|(rel, recorded)| {
        let path = if rel.is_empty() {
            root.to_path_buf()
        } else {
            root.join(rel)
        };
        match std::fs::metadata(&path) {
            Ok(meta) => mtime_ns(&meta) != *recorded,
            Err(_) => true,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn briefings_come_in_directory_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        for rel in [
            "b.txt",
            "a-b.txt",
            "a/c.md",
            "a/b.txt",
            "a/z/y.txt",
            "A.txt",
        ] {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "Session I\n\nText.\n").expect("write");
        }
        let walk = walk(dir.path(), &dir.path().join("index"), true).expect("walk");
        let order: Vec<&str> = walk.briefings.iter().map(|f| f.rel_path.as_str()).collect();
        assert_eq!(
            order,
            [
                "A.txt",
                "a/b.txt",
                "a/c.md",
                "a/z/y.txt",
                "a-b.txt",
                "b.txt"
            ]
        );
    }
}
