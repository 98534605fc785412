//! The index run: plan (update in place or rebuild), prepare the changed
//! briefings in parallel, write, commit, and clean up.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use tantivy::indexer::UserOperation;
use tantivy::{Index, IndexSettings, IndexWriter, Term};

use crate::corpus::{self, BriefingFile, Skipped};
use crate::taxonomy::Taxonomy;

use super::IndexError;
use super::document::{Prepared, prepare};
use super::generation::{
    current_file, current_generation, lock, new_generation_dir, remove_stale_files,
    remove_stale_generations, write_atomic,
};
use super::manifest::{Manifest, Payload, next_manifest_seq, read_manifest};
use super::reader::{OpenIndex, open_generation, reader_of};
use super::schema::{INDEX_FORMAT, PARSER_ID, config_fingerprint, register_analyzer, schema};

/// Segments with more sessions than this are left as they are by merges.
pub(super) const MERGE_MAX_SESSIONS: usize = 50_000;

/// Merges that keep the segments a full build writes (one per writer
/// thread and memory budget, about 60,000–130,000 sessions each) and
/// gather the small segments that updates add.
///
/// Why: tantivy's default merges everything into ever larger segments,
/// and a search, which runs one thread per segment, would use one core
/// for most of its work on a large corpus. Deleted sessions
/// in a large segment stay (masked) until `ctsearch index --rebuild`.
pub(super) fn merge_policy() -> tantivy::merge_policy::LogMergePolicy {
    let mut policy = tantivy::merge_policy::LogMergePolicy::default();
    policy.set_max_docs_before_merge(MERGE_MAX_SESSIONS);
    policy
}

/// Briefings read and parsed together before being handed to the writer.
pub(super) const CHUNK: usize = 256;

/// Options of an index run.
pub struct IndexOptions<'a> {
    pub corpus: PathBuf,
    pub index_dir: PathBuf,
    pub rebuild: bool,
    /// Wait for another run's lock instead of failing.
    pub wait: bool,
    /// Writer memory budget, bytes.
    pub memory: usize,
    pub max_file_size: u64,
    pub taxonomy: &'a Taxonomy,
    /// Set by a Ctrl-C handler; checked between briefings.
    pub interrupted: &'a AtomicBool,
    /// Called with (done, total) as briefings are processed.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

/// What an index run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub renamed: usize,
    pub unchanged: usize,
    /// Totals of the index after the run.
    pub briefings: u64,
    pub sessions: u64,
    pub passages: u64,
    pub seconds: f64,
    /// Why everything was rebuilt, if it was.
    pub rebuilt: Option<String>,
    /// Whether the run committed anything.
    pub wrote: bool,
    /// Files not indexed, with the reason.
    pub skipped: Vec<Skipped>,
    /// Files indexed with a repair (e.g. invalid UTF-8).
    pub warnings: Vec<Skipped>,
    /// Corpus-relative paths of the briefings this run wrote (added,
    /// updated, renamed; every briefing of a rebuild), for reporting what
    /// is new to saved searches.
    #[serde(skip)]
    pub written: Vec<String>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "added {}, updated {}, removed {}",
            self.added, self.updated, self.removed
        )?;
        if self.renamed > 0 {
            write!(f, ", renamed {}", self.renamed)?;
        }
        let n = |count: u64, word: &str| {
            if count == 1 {
                format!("1 {word}")
            } else {
                format!("{count} {word}s")
            }
        };
        write!(
            f,
            ", unchanged {} documents ({}, {}, {} in the index) in {:.2} s",
            self.unchanged,
            n(self.briefings, "document"),
            n(self.sessions, "session"),
            n(self.passages, "passage"),
            self.seconds
        )
    }
}

/// What to do with the live index.
pub(super) enum Plan {
    /// Update it in place.
    Update(Box<OpenIndex>, Manifest),
    /// Rebuild everything into a new generation, for this reason.
    Rebuild(String),
}

/// Decides whether the live index can be updated in place, or why it must
/// be rebuilt.
pub(super) fn plan_generation(
    opts: &IndexOptions,
    fingerprint: &str,
    corpus_canon: &str,
) -> Result<Plan> {
    if opts.rebuild {
        return Ok(Plan::Rebuild("--rebuild was given".into()));
    }
    let Some(dir) = current_generation(&opts.index_dir)? else {
        return Ok(Plan::Rebuild("no index yet".into()));
    };
    let open = match open_generation(&dir) {
        Ok(open) => open,
        Err(err) => {
            let reason = match err.downcast_ref::<IndexError>() {
                Some(IndexError::Outdated { reason, .. }) => format!("the index was {reason}"),
                _ => format!("{err:#}"),
            };
            return Ok(Plan::Rebuild(reason));
        }
    };
    if open.payload.parser != PARSER_ID {
        return Ok(Plan::Rebuild(
            "this ctsearch reads documents differently from the one that built the index; \
             every document is read again"
                .into(),
        ));
    }
    if open.payload.config != fingerprint {
        return Ok(Plan::Rebuild(
            "the taxonomy or text analysis changed since the last run".into(),
        ));
    }
    if open.payload.corpus != corpus_canon {
        return Ok(Plan::Rebuild(format!(
            "the index was built from another corpus ({})",
            open.payload.corpus
        )));
    }
    match read_manifest(&open.dir, &open.payload) {
        Ok(manifest) => Ok(Plan::Update(Box::new(open), manifest)),
        Err(err) => Ok(Plan::Rebuild(format!("{err:#}"))),
    }
}

pub(super) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Brings the index in line with the corpus: adds new briefings, replaces
/// changed ones, removes deleted ones, and rebuilds everything when the
/// index is missing, unreadable, or built with another taxonomy or format.
///
/// A run with nothing changed commits nothing. An interrupted run commits
/// nothing and returns [`IndexError::Interrupted`].
pub fn update(opts: &IndexOptions) -> Result<Summary> {
    let started = Instant::now();
    let _lock = lock(&opts.index_dir, opts.wait)?;
    // Under the lock, whatever an interrupted or killed run left is garbage.
    if let Ok(Some(live)) = current_generation(&opts.index_dir) {
        remove_stale_generations(&opts.index_dir, &live);
    }
    let corpus_canon = std::fs::canonicalize(&opts.corpus)
        .with_context(|| format!("reading corpus {}", opts.corpus.display()))?;
    let corpus_path = corpus_canon;
    let corpus_canon = corpus_path.to_string_lossy().to_string();
    let fingerprint = config_fingerprint(opts.taxonomy);
    let plan = plan_generation(opts, &fingerprint, &corpus_canon)?;
    // Only an update compares stamps before reading; a rebuild reads every
    // briefing and takes its stamp from the open file, so its walk need
    // not stat them (a third of the walk, before any parsing can start).
    let read_stamps = matches!(plan, Plan::Update(..));
    let walk = corpus::walk(&corpus_path, &opts.index_dir, read_stamps)?;
    crate::trace::mark("corpus walked");
    let (open, old_manifest, fresh_dir, rebuilt) = match plan {
        Plan::Update(open, manifest) => {
            // The same exceptions as the rebuild that made it: the
            // fingerprint matched.
            register_analyzer(&open.index, opts.taxonomy.exceptions().clone());
            (*open, manifest, None, None)
        }
        Plan::Rebuild(reason) => {
            let dir = new_generation_dir(&opts.index_dir)?;
            let (schema, fields) = schema();
            // Stored text is compressed on the indexing thread itself:
            // the same lz4 work as on a dedicated compressor thread,
            // without a handoff per block (BENCHMARKS.md, build).
            let settings = IndexSettings {
                docstore_compress_dedicated_thread: false,
                ..IndexSettings::default()
            };
            let index = Index::builder()
                .schema(schema)
                .settings(settings)
                .create_in_dir(&dir)
                .with_context(|| format!("creating index in {}", dir.display()))?;
            register_analyzer(&index, opts.taxonomy.exceptions().clone());
            let payload = Payload {
                format: INDEX_FORMAT,
                config: fingerprint.clone(),
                parser: PARSER_ID.to_string(),
                manifest: String::new(),
                dirs: BTreeMap::new(),
                corpus: corpus_canon.clone(),
                briefings: 0,
                sessions: 0,
                passages: 0,
                updated: 0,
                next_briefing: 0,
            };
            let reader =
                reader_of(&index).map_err(|e| anyhow::anyhow!("opening the new index: {e}"))?;
            let open = OpenIndex {
                index,
                reader,
                fields,
                payload,
                dir: dir.clone(),
            };
            (open, Manifest::new(), Some(dir), Some(reason))
        }
    };

    let mut next_briefing = open.payload.next_briefing;
    let mut summary = Summary {
        rebuilt,
        skipped: walk.skipped.clone(),
        ..Summary::default()
    };

    // Classify: unchanged by stamp, or a candidate whose content is read.
    let mut unchanged: Manifest = Manifest::new();
    let mut candidates: Vec<&BriefingFile> = Vec::new();
    for file in &walk.briefings {
        match old_manifest.get(&file.rel_path) {
            Some(entry) if entry.stamp == file.stamp => {
                unchanged.insert(file.rel_path.clone(), entry.clone());
            }
            _ => candidates.push(file),
        }
    }
    let total = candidates.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let fields = open.fields;
    let present: HashSet<&str> = walk.briefings.iter().map(|f| f.rel_path.as_str()).collect();
    // Hashes of briefings that disappeared, to recognize renames.
    let mut vanished: HashMap<String, String> = old_manifest
        .iter()
        .filter(|(path, _)| !present.contains(path.as_str()))
        .map(|(path, entry)| (entry.hash.clone(), path.clone()))
        .collect();
    let mut new_manifest = unchanged;
    // Opened at the first change, so that a run with nothing to do writes
    // nothing.
    let mut writer: Option<IndexWriter> = None;
    let open_writer = || -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(1, 8);
        let per_thread_min = 15_000_000;
        let threads = threads.min((opts.memory / per_thread_min).max(1));
        let writer: IndexWriter = open
            .index
            .writer_with_num_threads(threads, opts.memory.max(per_thread_min * threads))
            .map_err(|e| anyhow::anyhow!("opening the index writer: {e}"))?;
        writer.set_merge_policy(Box::new(merge_policy()));
        Ok(writer)
    };
    let interrupted = |writer: &mut Option<IndexWriter>| -> anyhow::Error {
        if let Some(w) = writer.as_mut() {
            let _ = w.rollback();
        }
        IndexError::Interrupted.into()
    };
    // Chunks bound memory: a chunk is read, parsed and tagged on all cores,
    // then handed to the writer, whose threads index it while the next
    // chunk is parsed.
    for chunk in candidates.chunks(CHUNK) {
        if opts.interrupted.load(Ordering::Relaxed) {
            return Err(interrupted(&mut writer));
        }
        let prepared: Vec<std::result::Result<Prepared, Skipped>> = chunk
            .par_iter()
            .map(|file| {
                let known = old_manifest.get(&file.rel_path);
                let result = prepare(file, &fields, opts.taxonomy, opts.max_file_size, known);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(progress) = opts.progress {
                    progress(n, total);
                }
                result
            })
            .collect();
        for result in prepared {
            let p = match result {
                Ok(p) => p,
                Err(skip) => {
                    summary.skipped.push(skip);
                    continue;
                }
            };
            if let Some(w) = &p.warning {
                summary.warnings.push(Skipped {
                    path: p.rel_path.clone(),
                    reason: w.clone(),
                });
            }
            let replaces = match old_manifest.get(&p.rel_path) {
                Some(old) if old.hash == p.entry.hash => {
                    // Touched but identical: only the stamp changes.
                    summary.unchanged += 1;
                    new_manifest.insert(p.rel_path.clone(), p.entry);
                    continue;
                }
                Some(_) => {
                    summary.updated += 1;
                    true
                }
                None => {
                    if vanished.remove(&p.entry.hash).is_some() {
                        summary.renamed += 1;
                    } else {
                        summary.added += 1;
                    }
                    false
                }
            };
            if writer.is_none() {
                writer = Some(open_writer()?);
            }
            let Some(w) = writer.as_ref() else {
                continue;
            };
            // One batch per briefing: tantivy puts a batch's documents in
            // one segment, one after another, and merges keep their order,
            // so a briefing's live sessions are always neighbours in one
            // segment. Search counts distinct briefings on that basis.
            let number = next_briefing;
            next_briefing += 1;
            let mut ops = Vec::with_capacity(p.docs.len() + 1);
            if replaces {
                ops.push(UserOperation::Delete(Term::from_field_text(
                    fields.path,
                    &p.rel_path,
                )));
            }
            ops.extend(p.docs.into_iter().map(|mut doc| {
                doc.add_u64(fields.briefing, number);
                UserOperation::Add(doc)
            }));
            w.run(ops)
                .map_err(|e| anyhow::anyhow!("adding {}: {e}", p.rel_path))?;
            summary.written.push(p.rel_path.clone());
            new_manifest.insert(p.rel_path, p.entry);
        }
    }
    crate::trace::mark("briefings parsed and handed to the writer");
    if opts.interrupted.load(Ordering::Relaxed) {
        return Err(interrupted(&mut writer));
    }
    summary.unchanged +=
        new_manifest.len() - summary.updated - summary.added - summary.renamed - summary.unchanged;
    let gone: Vec<&String> = old_manifest
        .keys()
        .filter(|p| !new_manifest.contains_key(*p))
        .collect();
    // A rename is counted once, not also as a removal.
    summary.removed = gone.len() - summary.renamed;
    summary.briefings = new_manifest.len() as u64;
    summary.sessions = new_manifest.values().map(|e| e.sessions).sum();
    summary.passages = new_manifest.values().map(|e| e.passages).sum();

    let manifest_changed = fresh_dir.is_some()
        || new_manifest.len() != old_manifest.len()
        || new_manifest.iter().any(|(k, v)| {
            old_manifest
                .get(k)
                .is_none_or(|o| o.stamp != v.stamp || o.hash != v.hash)
        });
    let dirs_changed = open.payload.dirs != walk.dirs;
    if !manifest_changed && !dirs_changed {
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }
    let mut writer = match writer {
        Some(writer) => writer,
        None => open_writer()?,
    };
    for path in gone {
        writer.delete_term(Term::from_field_text(fields.path, path));
    }

    let seq = next_manifest_seq(&open.payload.manifest);
    let manifest_name = format!("manifest-{seq}.json");
    let manifest_json = serde_json::to_vec(&new_manifest)?;
    write_atomic(&open.dir.join(&manifest_name), &manifest_json)?;
    let payload = Payload {
        format: INDEX_FORMAT,
        config: fingerprint,
        parser: PARSER_ID.to_string(),
        manifest: manifest_name.clone(),
        dirs: walk.dirs.clone(),
        corpus: corpus_canon,
        briefings: summary.briefings,
        sessions: summary.sessions,
        passages: summary.passages,
        updated: now_secs(),
        next_briefing,
    };
    if opts.interrupted.load(Ordering::Relaxed) {
        let _ = writer.rollback();
        return Err(IndexError::Interrupted.into());
    }
    let mut commit = writer
        .prepare_commit()
        .map_err(|e| anyhow::anyhow!("committing the index: {e}"))?;
    crate::trace::mark("segments written");
    commit.set_payload(&serde_json::to_string(&payload)?);
    commit
        .commit()
        .map_err(|e| anyhow::anyhow!("committing the index: {e}"))?;
    crate::trace::mark("committed");
    writer
        .wait_merging_threads()
        .map_err(|e| anyhow::anyhow!("merging index segments: {e}"))?;
    crate::trace::mark("merges done");
    summary.wrote = true;

    if let Some(dir) = &fresh_dir {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        write_atomic(&current_file(&opts.index_dir), name.as_bytes())?;
    }
    remove_stale_files(&opts.index_dir, &open.dir, &manifest_name);
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
