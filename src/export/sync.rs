//! Pushing the sessions to a running node, incrementally.
//!
//! A manifest per target (engine, URL and index id) is kept beside the
//! index directory: `<index>.export-<hash of the target>.json`, mapping
//! each briefing sent to the content hash it had (from the index's own
//! manifest). A push compares it with the index: briefings added or
//! changed are sent, changed and removed ones deleted first (by
//! `briefing_id`). The manifest only records what the node acknowledged:
//! before sending, the briefings to send are marked pending; a briefing
//! leaves that list when every one of its sessions was acknowledged. A
//! pending briefing (a push that failed half-way) is deleted and sent
//! again by the next push, so the node never keeps a briefing twice.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};

use super::{Batch, Batches, EXPORT_FORMAT, Engine, MAX_BATCH_BYTES, briefing_id, doc_lines};
use super::{elastic, quickwit};
use crate::context::Context;
use crate::index;

/// Briefing ids per delete request.
const DELETE_CHUNK: usize = 200;

/// How often, at most, the manifest is rewritten while sending (and
/// always at the end, or when a push fails).
const SAVE_EVERY: Duration = Duration::from_secs(10);

/// Where to push and how.
pub struct PushOptions<'a> {
    pub engine: Engine,
    /// `http://host:port` of the node.
    pub url: String,
    pub index_id: String,
    /// The merge policy's maturation period of a Quickwit index created
    /// by the push.
    pub maturation: String,
    /// Called with (sessions acknowledged, sessions to send).
    pub progress: Option<&'a dyn Fn(u64, u64)>,
}

/// What a push did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PushSummary {
    pub engine: &'static str,
    pub url: String,
    pub index_id: String,
    /// Whether the push created the index.
    pub created: bool,
    /// Briefings new since the last push, changed, removed, unchanged.
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    pub unchanged: u64,
    /// Briefings whose sessions the node acknowledged, and those sessions.
    pub briefings_sent: u64,
    pub sessions_sent: u64,
    /// Briefings whose sessions were deleted (changed, removed, or left
    /// pending by a failed push).
    pub briefings_deleted: u64,
    /// The manifest of this target.
    pub manifest: PathBuf,
}

impl std::fmt::Display for PushSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: u64, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        write!(
            f,
            "sent {} ({}) to {} {}/{}{}: added {}, changed {}, removed {}, unchanged {}",
            plural(self.briefings_sent, "briefing"),
            plural(self.sessions_sent, "session"),
            self.engine,
            self.url,
            self.index_id,
            if self.created { " (index created)" } else { "" },
            self.added,
            self.changed,
            self.removed,
            self.unchanged
        )
    }
}

/// The record of what a target holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ExportManifest {
    /// `engine url index_id`.
    target: String,
    format: u32,
    /// The index's configuration fingerprint: another taxonomy or analysis
    /// changes every session's tags, so everything is sent again.
    config: String,
    /// Briefing path → content hash, as acknowledged.
    briefings: BTreeMap<String, String>,
    /// Briefings being sent, not yet (wholly) acknowledged.
    pending: BTreeSet<String>,
}

/// The manifest file of a target, beside the index directory.
pub fn manifest_path(index_dir: &Path, engine: Engine, url: &str, index_id: &str) -> PathBuf {
    let target = target_key(engine, url, index_id);
    let hash = xxhash_rust::xxh3::xxh3_64(target.as_bytes());
    let name = index_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    let parent = index_dir.parent().unwrap_or(Path::new(""));
    parent.join(format!("{name}.export-{hash:016x}.json"))
}

fn target_key(engine: Engine, url: &str, index_id: &str) -> String {
    format!("{} {} {index_id}", engine.name(), url.trim_end_matches('/'))
}

fn load(path: &Path) -> Result<Option<ExportManifest>> {
    match std::fs::read_to_string(path) {
        Ok(text) => match serde_json::from_str(&text) {
            Ok(manifest) => Ok(Some(manifest)),
            Err(err) => {
                // Sent again whole, which is safe: what the node holds is
                // deleted first (see `push`).
                eprintln!(
                    "ctsearch: warning: ignoring the export manifest {}: it is not readable ({err}); everything is sent again",
                    path.display()
                );
                Ok(None)
            }
        },
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

/// Writes the manifest atomically (a temporary file renamed over).
fn save(path: &Path, manifest: &ExportManifest) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    let text = serde_json::to_vec(manifest)?;
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}

/// The node of a push, either engine.
enum Target {
    Quickwit(quickwit::Node),
    Elastic(elastic::Node),
}

impl Target {
    fn exists(&self) -> Result<bool> {
        Ok(match self {
            Target::Quickwit(node) => node.index_exists()?,
            Target::Elastic(node) => node.index_exists()?,
        })
    }

    fn create(&self, maturation: &str) -> Result<()> {
        match self {
            Target::Quickwit(node) => {
                node.create_index(&quickwit::index_config(&node.index_id, maturation))?
            }
            Target::Elastic(node) => node.create_index()?,
        }
        Ok(())
    }

    /// Deletes the whole index (its mapping is another format's).
    fn drop_index(&self) -> Result<()> {
        match self {
            Target::Quickwit(node) => node.delete_index()?,
            Target::Elastic(node) => node.delete_index()?,
        }
        Ok(())
    }

    fn delete(&self, ids: &[String]) -> Result<()> {
        match self {
            Target::Quickwit(node) => node.delete_briefings(ids),
            Target::Elastic(node) => node.delete_briefings(ids),
        }
    }

    /// Sends a batch; fails unless the node took every document.
    fn send(&self, batch: &Batch, last: bool) -> Result<()> {
        let (taken, failure) = match self {
            Target::Quickwit(node) => {
                let (ingested, failure) = node.ingest(&batch.body, last)?;
                if ingested.rejected > 0 {
                    bail!(
                        "Quickwit rejected {} of {} sessions: {}",
                        ingested.rejected,
                        batch.sessions,
                        failure.unwrap_or_else(|| "no reason given".into())
                    );
                }
                (ingested.docs, None)
            }
            Target::Elastic(node) => node.bulk(&batch.body)?,
        };
        if let Some(failure) = failure {
            bail!("the node rejected a session: {failure}");
        }
        if taken != batch.sessions {
            bail!(
                "the node acknowledged {taken} of {} sessions sent",
                batch.sessions
            );
        }
        Ok(())
    }
}

/// Pushes the index's sessions to a node: creates the index if missing,
/// deletes what changed or went, sends what is new or changed, and
/// records it. Errors (unreachable node, rejected sessions) leave the
/// manifest at what the node acknowledged.
pub fn push(context: &Context, options: &PushOptions) -> Result<PushSummary> {
    let open = context.index();
    let current = index::briefings(open)?;
    let manifest_file = manifest_path(
        &context.location.index,
        options.engine,
        &options.url,
        &options.index_id,
    );
    let target_name = target_key(options.engine, &options.url, &options.index_id);
    let target = match options.engine {
        Engine::Quickwit => Target::Quickwit(quickwit::Node::new(&options.url, &options.index_id)),
        Engine::Elasticsearch => {
            Target::Elastic(elastic::Node::new(&options.url, &options.index_id))
        }
    };
    let mut summary = PushSummary {
        engine: options.engine.name(),
        url: options.url.trim_end_matches('/').to_string(),
        index_id: options.index_id.clone(),
        manifest: manifest_file.clone(),
        ..PushSummary::default()
    };
    let loaded = load(&manifest_file)?;
    let recorded = loaded.is_some();
    let mut manifest = loaded.unwrap_or_default();
    let mut to_delete: BTreeSet<String> = std::mem::take(&mut manifest.pending);
    let older_format = recorded && manifest.format != EXPORT_FORMAT;
    if older_format || manifest.config != open.payload.config {
        // Exported with another format or vocabulary: all of it again.
        to_delete.extend(std::mem::take(&mut manifest.briefings).into_keys());
    }
    if older_format && target.exists()? {
        // Another format's index has other fields (strict mappings): it is
        // made anew, once, and everything sent to it again.
        target.drop_index()?;
    }
    if !target.exists()? {
        target.create(&options.maturation)?;
        summary.created = true;
        // A new index holds nothing to delete.
        manifest.briefings.clear();
        to_delete.clear();
    }
    manifest.target = target_name;
    manifest.format = EXPORT_FORMAT;
    manifest.config = open.payload.config.clone();

    let mut to_send: BTreeSet<String> = BTreeSet::new();
    for (path, entry) in &current {
        match manifest.briefings.get(path) {
            Some(hash) if *hash == entry.hash => summary.unchanged += 1,
            Some(_) => {
                summary.changed += 1;
                to_delete.insert(path.clone());
                to_send.insert(path.clone());
            }
            None => {
                summary.added += 1;
                to_send.insert(path.clone());
            }
        }
    }
    for path in manifest.briefings.keys() {
        if !current.contains_key(path) {
            summary.removed += 1;
            to_delete.insert(path.clone());
        }
    }

    if !recorded && !summary.created {
        // An index this target never recorded (its manifest lost, or filled
        // by hand): what is sent may be there already.
        to_delete.extend(to_send.iter().cloned());
    }

    // Deletes first: a changed briefing's new sessions are ingested after
    // its delete task, which therefore never touches them.
    let deletes: Vec<String> = to_delete.into_iter().collect();
    for chunk in deletes.chunks(DELETE_CHUNK) {
        let ids: Vec<String> = chunk.iter().map(|p| briefing_id(p)).collect();
        target.delete(&ids).inspect_err(|_| {
            let _ = save(&manifest_file, &manifest);
        })?;
        for path in chunk {
            manifest.briefings.remove(path);
        }
        summary.briefings_deleted += chunk.len() as u64;
    }
    manifest.pending = to_send.clone();
    save(&manifest_file, &manifest)?;
    if to_send.is_empty() {
        return Ok(summary);
    }

    let total: u64 = to_send
        .iter()
        .filter_map(|p| current.get(p))
        .map(|e| e.sessions)
        .sum();
    let only = (to_send.len() < current.len()).then_some(&to_send);
    let mut acknowledged: BTreeMap<String, u64> = BTreeMap::new();
    let mut batches = Batches::new(MAX_BATCH_BYTES);
    let mut held: Option<Batch> = None;
    let mut last_save = Instant::now();
    let index_id = options.index_id.as_str();
    let mut send = |batch: Batch,
                    last: bool,
                    manifest: &mut ExportManifest,
                    summary: &mut PushSummary|
     -> Result<()> {
        if let Err(err) = target.send(&batch, last) {
            let _ = save(&manifest_file, manifest);
            return Err(err);
        }
        summary.sessions_sent += batch.sessions;
        for (path, n) in batch.briefings {
            let done = acknowledged.entry(path.clone()).or_default();
            *done += n;
            if let Some(entry) = current.get(&path)
                && *done >= entry.sessions
            {
                manifest.pending.remove(&path);
                manifest.briefings.insert(path, entry.hash.clone());
                summary.briefings_sent += 1;
            }
        }
        if let Some(progress) = options.progress {
            progress(summary.sessions_sent, total);
        }
        if last || last_save.elapsed() >= SAVE_EVERY {
            save(&manifest_file, manifest)?;
            last_save = Instant::now();
        }
        Ok(())
    };
    let analyzer = context.vocabulary.text_analyzer();
    for session in index::stored_sessions(open, only)? {
        let session = session?;
        let lines = doc_lines(options.engine, index_id, &session, &analyzer)?;
        for full in batches.add(&session.path, &lines) {
            if let Some(previous) = held.replace(full) {
                send(previous, false, &mut manifest, &mut summary)?;
            }
        }
    }
    for full in batches.finish() {
        if let Some(previous) = held.replace(full) {
            send(previous, false, &mut manifest, &mut summary)?;
        }
    }
    if let Some(last) = held {
        send(last, true, &mut manifest, &mut summary)?;
    }
    save(&manifest_file, &manifest)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_target_has_its_own_manifest_beside_the_index() {
        let a = manifest_path(
            Path::new("/data/index"),
            Engine::Quickwit,
            "http://h:7280/",
            "ctsearch",
        );
        let b = manifest_path(
            Path::new("/data/index"),
            Engine::Quickwit,
            "http://h:7280",
            "other",
        );
        assert_ne!(a, b);
        assert_eq!(a.parent(), Some(Path::new("/data")));
        let name = a.file_name().and_then(|n| n.to_str()).unwrap_or("");
        assert!(name.starts_with("index.export-") && name.ends_with(".json"));
        // A trailing slash names the same target.
        assert_eq!(
            a,
            manifest_path(
                Path::new("/data/index"),
                Engine::Quickwit,
                "http://h:7280",
                "ctsearch"
            )
        );
    }
}
