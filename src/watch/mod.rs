//! Saved searches: searches kept by name in a TOML file ([`WatchFile`]),
//! checked after every index run against the sessions the run wrote, and
//! rerun on demand, each reporting the sessions it has not reported yet.
//!
//! What a search has reported is kept in a state file ([`State`]): per
//! search, the index commit it has reported up to, and per session seen
//! (briefing path and session key) a hash of the session's text. A session
//! is reported once, and again (as changed) only when its text changes,
//! so a rebuild, which writes every briefing again, reports nothing that
//! was reported before. A search just added takes the sessions that match
//! it then as seen: it reports what is new from then on.
//!
//! The state is written after reporting, atomically. A run killed before
//! that leaves the state at an older commit than the index's; the next
//! check then reruns the search over the whole index instead of only the
//! briefings its index run wrote, and reports what was not reported.

pub mod atom;
mod file;
pub mod report;
mod state;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::backend::Engine;
use crate::context::Context;
use crate::search::show::{NotFound, ShownBriefing};
use crate::search::{Hit, SearchRequest, SearchResults};

pub use file::{MAX_NAME_LEN, Watch, WatchFile, check_name, default_path, valid_name};
pub use state::{Progress, Seen, SeenSessions, State, StateLock, source_state_path, state_path};

/// Where saved searches look: the local index, or the engine a command
/// chose (`watch run --remote URL` runs them on a Quickwit node). What a
/// session's text is, and so whether it is new or changed, is read the
/// same way from either.
pub trait Source {
    /// Runs a search.
    fn search(&self, request: &SearchRequest) -> Result<SearchResults>;
    /// A whole briefing, as stored.
    fn show(&self, path: &str) -> Result<ShownBriefing>;
    /// What the searches ran on, recorded with each saved search's
    /// progress: the local index's generation and manifest, or the node.
    fn release(&self) -> String;
    /// The state file that records what the searches reported on this
    /// source: the local index's, or one of the node's own.
    fn state_path(&self, watches: &Path) -> PathBuf {
        state_path(watches)
    }
}

impl Source for Context {
    fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        Context::search(self, request)
    }

    fn show(&self, path: &str) -> Result<ShownBriefing> {
        Context::show(self, path, None, "")
    }

    fn release(&self) -> String {
        commit_of(self)
    }
}

impl Source for Engine {
    fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        Engine::search(self, request)
    }

    fn show(&self, path: &str) -> Result<ShownBriefing> {
        Engine::show(self, path, None, "")
    }

    fn release(&self) -> String {
        match self {
            Engine::Local(context) => commit_of(context),
            Engine::Remote(remote) => format!("remote {}", remote.describe()),
        }
    }

    fn state_path(&self, watches: &Path) -> PathBuf {
        match self {
            Engine::Local(_) => state_path(watches),
            Engine::Remote(remote) => {
                let key = xxhash_rust::xxh3::xxh3_64(remote.describe().as_bytes());
                source_state_path(watches, &format!("remote-{key:016x}"))
            }
        }
    }
}

/// Hits asked for by the first search of a saved search; when more
/// sessions match, a second search asks for all of them.
const FIRST_PAGE: usize = 1000;

/// What a reported session is to its saved search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Never reported before.
    New,
    /// Reported before, with other text.
    Changed,
    /// Reported before as it is (listed by `--all` and `--since` only).
    Seen,
}

/// A session a saved search reports: the hit of `ctsearch search`, with
/// its status.
#[derive(Debug, Clone, Serialize)]
pub struct WatchHit {
    pub status: Status,
    /// Stable id of the session in this saved search (the Atom entry id).
    pub id: String,
    #[serde(flatten)]
    pub hit: Hit,
    /// The session's key within its briefing.
    #[serde(skip)]
    pub key: String,
    /// Unix time, seconds, when the session's text was first seen.
    #[serde(skip)]
    pub updated: u64,
}

/// What one saved search reports.
#[derive(Debug, Clone, Serialize)]
pub struct WatchReport {
    pub name: String,
    pub query: String,
    /// Sessions reported for the first time.
    pub new: usize,
    /// Sessions reported again because their text changed.
    pub changed: usize,
    /// The hits, in rank order.
    pub hits: Vec<WatchHit>,
}

/// Which sessions a rerun lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Those not reported yet (new or changed).
    New,
    /// Every match.
    All,
    /// Every match dated on or after this `YYYY-MM-DD` date.
    Since(String),
}

/// Reports to show, and the state that records them as reported. Showing
/// the reports and then calling [`Run::commit`] is what marks them seen;
/// a run dropped without committing reports them again next time.
pub struct Run {
    pub reports: Vec<WatchReport>,
    /// Notes for the user (a search taken afresh).
    pub notes: Vec<String>,
    /// Saved searches that could not be checked, and why (shown even
    /// when notes are not).
    pub warnings: Vec<String>,
    state: State,
    state_path: PathBuf,
    _lock: StateLock,
}

impl Run {
    /// Records what was reported (atomically).
    pub fn commit(self) -> Result<()> {
        self.state.save(&self.state_path)
    }

    /// Whether any session is reported.
    pub fn has_hits(&self) -> bool {
        self.reports.iter().any(|r| !r.hits.is_empty())
    }
}

/// The index commit a context reads: `gen-<n>/manifest-<k>.json`.
fn commit_of(context: &Context) -> String {
    let open = context.index();
    let generation = open
        .dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    format!("{generation}/{}", open.payload.manifest)
}

/// The commit before `commit` in the same generation, if any: every
/// commit of a generation writes the next manifest number.
fn previous_commit(commit: &str) -> Option<String> {
    let (generation, manifest) = commit.split_once('/')?;
    let number: u64 = manifest
        .strip_prefix("manifest-")?
        .strip_suffix(".json")?
        .parse()
        .ok()?;
    let before = number.checked_sub(1)?;
    Some(format!("{generation}/manifest-{before}.json"))
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Every session `watch` matches, in rank order, without a cap. A search
/// that only finds sessions with any of its words (the fallback of
/// `ctsearch search`) matches nothing here: a saved search reports only
/// what it really matches.
pub fn all_matches(context: &dyn Source, watch: &Watch) -> Result<Vec<Hit>> {
    matches_in(context, watch, &[])
}

/// The matches of `watch` in the briefings at `paths` (every briefing for
/// none), all of them.
fn matches_in(context: &dyn Source, watch: &Watch, paths: &[String]) -> Result<Vec<Hit>> {
    let request = |limit: usize| {
        let mut request = watch.request(limit, 0);
        request.filters.paths = paths.to_vec();
        request
    };
    let first = context.search(&request(FIRST_PAGE))?;
    if first.fallback {
        return Ok(Vec::new());
    }
    let total = usize::try_from(first.total).unwrap_or(usize::MAX);
    if first.hits.len() >= total {
        return Ok(first.hits);
    }
    // One search for all of them rather than pages: re-ranking orders
    // each page's candidates alone, so pages could overlap or miss a hit.
    let all = context.search(&request(total))?;
    if all.hits.len() < total {
        anyhow::bail!(
            "saved search {:?} found {} of its {total} matches",
            watch.query,
            all.hits.len()
        );
    }
    Ok(all.hits)
}

/// Session keys and text hashes of the briefings looked at, by path.
#[derive(Default)]
struct Hashes {
    briefings: HashMap<String, Option<BriefingHashes>>,
}

struct BriefingHashes {
    /// Session label → key.
    keys: HashMap<String, String>,
    /// Session key → hash of the text of its sessions.
    hashes: HashMap<String, String>,
}

impl Hashes {
    /// The key and text hash of session `label` of `path`; `None` when
    /// the index has no such session (any longer).
    ///
    /// Sessions sharing a key in one briefing (a meeting record's turns of
    /// one speaker) are one unit: their texts are hashed together.
    fn of(
        &mut self,
        context: &dyn Source,
        path: &str,
        label: &str,
    ) -> Result<Option<(String, String)>> {
        if !self.briefings.contains_key(path) {
            let hashes = briefing_hashes(context, path)?;
            self.briefings.insert(path.to_string(), hashes);
        }
        let Some(Some(briefing)) = self.briefings.get(path) else {
            return Ok(None);
        };
        Ok(briefing.keys.get(label).and_then(|key| {
            briefing
                .hashes
                .get(key)
                .map(|hash| (key.clone(), hash.clone()))
        }))
    }
}

fn briefing_hashes(context: &dyn Source, path: &str) -> Result<Option<BriefingHashes>> {
    let shown = match context.show(path) {
        Ok(shown) => shown,
        Err(err) if err.downcast_ref::<NotFound>().is_some() => return Ok(None),
        Err(err) => return Err(err),
    };
    let mut keys = HashMap::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for session in shown.sessions {
        keys.entry(session.label)
            .or_insert_with(|| session.key.clone());
        let text = texts.entry(session.key).or_default();
        // Separators no passage contains, so that moving text between
        // passages or sessions changes the hash.
        text.push('\u{1d}');
        for passage in session.passages {
            text.push('\u{1e}');
            text.push_str(&passage.text);
        }
    }
    let hashes = texts
        .into_iter()
        .map(|(key, text)| {
            let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()));
            (key, hash)
        })
        .collect();
    Ok(Some(BriefingHashes { keys, hashes }))
}

/// Which matches a check looks at.
enum Scope<'a> {
    /// Only sessions of these briefings (what an index run wrote).
    Written(&'a HashSet<&'a str>),
    /// Every match.
    Everything,
}

/// Classifies the matches of one saved search and records them in `seen`.
struct Check<'a> {
    context: &'a dyn Source,
    hashes: &'a mut Hashes,
    now: u64,
}

impl Check<'_> {
    /// Runs saved search `name` and returns what `selection` lists of its
    /// matches in `scope`, marking every match looked at as seen. With
    /// `afresh`, nothing counts as new: the search starts from here.
    fn run(
        &mut self,
        name: &str,
        watch: &Watch,
        seen: &mut SeenSessions,
        scope: Scope,
        selection: &Selection,
        afresh: bool,
    ) -> Result<WatchReport> {
        let hits = match scope {
            Scope::Written(paths) => {
                let mut paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
                paths.sort();
                if paths.is_empty() {
                    Vec::new()
                } else {
                    matches_in(self.context, watch, &paths)?
                }
            }
            Scope::Everything => all_matches(self.context, watch)?,
        };
        // A briefing moved or copied: its sessions' texts were seen under
        // the old path, and are not news.
        let known: HashSet<String> = seen.values().map(|s| s.hash.clone()).collect();
        let mut decided: HashMap<(String, String), (Status, u64)> = HashMap::new();
        let mut report = WatchReport {
            name: name.to_string(),
            query: watch.query.clone(),
            new: 0,
            changed: 0,
            hits: Vec::new(),
        };
        for hit in hits {
            if let Scope::Written(paths) = scope
                && !paths.contains(hit.path.as_str())
            {
                continue;
            }
            let Some((key, hash)) = self.hashes.of(self.context, &hit.path, &hit.session)? else {
                continue;
            };
            let unit = (hit.path.clone(), key.clone());
            let (status, updated) = match decided.get(&unit) {
                Some(&decision) => decision,
                None => {
                    let decision = match seen.get(&unit) {
                        Some(before) if before.hash == hash => (Status::Seen, before.at),
                        Some(_) if !afresh => (Status::Changed, self.now),
                        None if !afresh && !known.contains(&hash) => (Status::New, self.now),
                        // Taken as seen when the search was added or
                        // edited: news of no release.
                        _ if afresh => (Status::Seen, 0),
                        _ => (Status::Seen, self.now),
                    };
                    match decision.0 {
                        Status::New => report.new += 1,
                        Status::Changed => report.changed += 1,
                        Status::Seen => {}
                    }
                    seen.insert(
                        unit.clone(),
                        Seen {
                            hash,
                            at: decision.1,
                        },
                    );
                    decided.insert(unit, decision);
                    decision
                }
            };
            let listed = match selection {
                Selection::New => status != Status::Seen,
                Selection::All => true,
                Selection::Since(date) => hit.date.as_deref().is_some_and(|d| d >= date.as_str()),
            };
            if listed {
                report.hits.push(WatchHit {
                    status,
                    id: atom::entry_id(name, &hit.path, &key),
                    hit,
                    key,
                    updated,
                });
            }
        }
        if matches!(scope, Scope::Everything) {
            // Sessions that no longer match are forgotten: the state stays
            // the size of the match sets.
            seen.retain(|unit, _| decided.contains_key(unit));
        }
        Ok(report)
    }
}

/// Whether `progress` is where `watch` stands at `commit`.
fn up_to_date(progress: Option<&Progress>, watch: &Watch, commit: &str) -> bool {
    progress.is_some_and(|p| p.commit == commit && p.definition == watch.fingerprint())
}

/// Reports to saved searches what the index run that opened `context`
/// (its [`Context::update`]) added or changed, and whatever an earlier run
/// left unreported. `None` when there is nothing to do: no saved search,
/// every one up to date (read from the state's first line only), or
/// another process reporting now.
pub fn after_index(context: &Context, watches: &Path) -> Result<Option<Run>> {
    let file = WatchFile::load(watches)?;
    if file.watches.is_empty() {
        return Ok(None);
    }
    let state_path = state_path(watches);
    let commit = commit_of(context);
    let progress = State::load_progress(&state_path)?;
    if file
        .watches
        .iter()
        .all(|(name, watch)| up_to_date(progress.get(name), watch, &commit))
    {
        return Ok(None);
    }
    let Some(lock) = StateLock::try_take(&state_path)? else {
        return Ok(None);
    };
    let mut state = State::load(&state_path)?;
    let written: Option<HashSet<&str>> = context
        .update
        .as_ref()
        .filter(|s| s.wrote)
        .map(|s| s.written.iter().map(String::as_str).collect());
    let previous = previous_commit(&commit);
    let mut hashes = Hashes::default();
    let mut check = Check {
        context,
        hashes: &mut hashes,
        now: now_secs(),
    };
    let mut reports = Vec::new();
    let mut notes = Vec::new();
    let mut warnings = Vec::new();
    for (name, watch) in &file.watches {
        let progress = state.progress.get(name);
        if up_to_date(progress, watch, &commit) {
            continue;
        }
        let afresh = progress.is_none_or(|p| p.definition != watch.fingerprint());
        let scope = match (&written, progress) {
            (Some(paths), Some(p)) if !afresh && previous.as_deref() == Some(p.commit.as_str()) => {
                Scope::Written(paths)
            }
            _ => Scope::Everything,
        };
        // On a copy: a search that fails (edited by hand into a bad
        // query) leaves its state as it was, and the others go on.
        let mut seen = state.seen.get(name).cloned().unwrap_or_default();
        let report = match check.run(name, watch, &mut seen, scope, &Selection::New, afresh) {
            Ok(report) => report,
            Err(err) => {
                warnings.push(format!("saved search {name} not checked: {err:#}"));
                continue;
            }
        };
        if afresh {
            notes.push(format!(
                "saved search {name} is new or was edited: its {} current matches are taken as seen",
                seen.len()
            ));
        }
        state.seen.insert(name.clone(), seen);
        state.progress.insert(
            name.clone(),
            Progress {
                commit: commit.clone(),
                definition: watch.fingerprint(),
            },
        );
        if !report.hits.is_empty() {
            reports.push(report);
        }
    }
    state
        .progress
        .retain(|name, _| file.watches.contains_key(name));
    state.seen.retain(|name, _| file.watches.contains_key(name));
    Ok(Some(Run {
        reports,
        notes,
        warnings,
        state,
        state_path,
        _lock: lock,
    }))
}

/// What a saved search reported at its latest release: the sessions it
/// found new or changed at the last index run that had news for it.
#[derive(Debug, Clone)]
pub struct Latest {
    pub name: String,
    pub watch: Watch,
    /// When that run reported them (Unix seconds); `None` when the search
    /// has reported nothing yet.
    pub at: Option<u64>,
    pub hits: Vec<Hit>,
}

/// The latest release of every saved search in `watches`, read-only: the
/// state is read, never written (for the web page's view).
pub fn latest(context: &Context, watches: &Path) -> Result<Vec<Latest>> {
    let file = WatchFile::load(watches)?;
    let state = State::load(&state_path(watches))?;
    let mut hashes = Hashes::default();
    let mut out = Vec::new();
    for (name, watch) in &file.watches {
        let seen = state.seen.get(name);
        let at = seen.and_then(|s| s.values().map(|v| v.at).filter(|&at| at > 0).max());
        let mut hits = Vec::new();
        if let (Some(seen), Some(at)) = (seen, at) {
            for hit in all_matches(context, watch)? {
                let Some((key, _)) = hashes.of(context, &hit.path, &hit.session)? else {
                    continue;
                };
                if seen
                    .get(&(hit.path.clone(), key))
                    .is_some_and(|s| s.at == at)
                {
                    hits.push(hit);
                }
            }
        }
        out.push(Latest {
            name: name.clone(),
            watch: watch.clone(),
            at,
            hits,
        });
    }
    Ok(out)
}

/// Reruns saved search `name` (every one for `None`) over the whole index
/// and lists what `selection` asks for; every match is marked seen when
/// the run is committed.
pub fn rerun(
    context: &dyn Source,
    watches: &Path,
    name: Option<&str>,
    selection: &Selection,
) -> Result<Run> {
    let file = WatchFile::load(watches)?;
    let chosen: Vec<(&String, &Watch)> = match name {
        Some(name) => vec![lookup(&file, name)?],
        None => file.watches.iter().collect(),
    };
    if chosen.is_empty() {
        anyhow::bail!(
            "no saved searches in {}; add one with `ctsearch watch add NAME QUERY…`",
            watches.display()
        );
    }
    let state_path = context.state_path(watches);
    let lock = StateLock::take(&state_path)?;
    let mut state = State::load(&state_path)?;
    let commit = context.release();
    let mut hashes = Hashes::default();
    let mut check = Check {
        context,
        hashes: &mut hashes,
        now: now_secs(),
    };
    let mut reports = Vec::new();
    let mut notes = Vec::new();
    for (name, watch) in chosen {
        let afresh = state
            .progress
            .get(name)
            .is_none_or(|p| p.definition != watch.fingerprint());
        let seen = state.seen.entry(name.clone()).or_default();
        let report = check
            .run(name, watch, seen, Scope::Everything, selection, afresh)
            .with_context(|| format!("running saved search {name}"))?;
        if afresh {
            notes.push(format!(
                "saved search {name} is new or was edited: its {} current matches are taken as seen",
                seen.len()
            ));
        }
        state.progress.insert(
            name.clone(),
            Progress {
                commit: commit.clone(),
                definition: watch.fingerprint(),
            },
        );
        reports.push(report);
    }
    state
        .progress
        .retain(|name, _| file.watches.contains_key(name));
    state.seen.retain(|name, _| file.watches.contains_key(name));
    Ok(Run {
        reports,
        notes,
        warnings: Vec::new(),
        state,
        state_path,
        _lock: lock,
    })
}

fn lookup<'a>(file: &'a WatchFile, name: &str) -> Result<(&'a String, &'a Watch)> {
    file.watches.get_key_value(name).ok_or_else(|| {
        let names: Vec<&str> = file.watches.keys().map(String::as_str).collect();
        if names.is_empty() {
            anyhow::anyhow!(
                "no saved search {name:?}: {} holds none",
                file.path.display()
            )
        } else {
            anyhow::anyhow!(
                "no saved search {name:?} in {} (saved: {})",
                file.path.display(),
                names.join(", ")
            )
        }
    })
}

/// Adds saved search `name` (replacing one of that name only with
/// `replace`), after checking it as `ctsearch search` would: a bad query
/// or an unknown filter value fails with the same error. The sessions it
/// matches now are taken as seen. Returns how many those are.
pub fn add(
    context: &Context,
    watches: &Path,
    name: &str,
    watch: Watch,
    replace: bool,
) -> Result<usize> {
    check_name(name)?;
    context.search(&watch.request(1, 0))?;
    let state_path = state_path(watches);
    let _lock = StateLock::take(&state_path)?;
    let mut file = WatchFile::load(watches)?;
    if let Some(existing) = file.watches.get(name)
        && !replace
    {
        anyhow::bail!(
            "a saved search named {name} exists ({}); pass --replace to replace it, or choose another name",
            describe(existing)
        );
    }
    file.watches.insert(name.to_string(), watch.clone());
    file.save()?;
    let mut state = State::load(&state_path)?;
    state.forget(name);
    let seen = state.seen.entry(name.to_string()).or_default();
    let mut hashes = Hashes::default();
    Check {
        context,
        hashes: &mut hashes,
        now: now_secs(),
    }
    .run(name, &watch, seen, Scope::Everything, &Selection::New, true)?;
    let matched = seen.len();
    state.progress.insert(
        name.to_string(),
        Progress {
            commit: commit_of(context),
            definition: watch.fingerprint(),
        },
    );
    state.save(&state_path)?;
    Ok(matched)
}

/// Removes saved search `name` and what it has seen.
pub fn remove(watches: &Path, name: &str) -> Result<Watch> {
    let state_path = state_path(watches);
    let _lock = StateLock::take(&state_path)?;
    let mut file = WatchFile::load(watches)?;
    let (_, watch) = lookup(&file, name)?;
    let watch = watch.clone();
    file.watches.remove(name);
    file.save()?;
    let mut state = State::load(&state_path)?;
    state.forget(name);
    state.save(&state_path)?;
    Ok(watch)
}

/// A saved search as one line: its query and its filters as flags.
pub fn describe(watch: &Watch) -> String {
    let flags = watch.flags();
    if flags.is_empty() {
        format!("query {:?}", watch.query)
    } else {
        format!("query {:?}, {flags}", watch.query)
    }
}

/// Writes `bytes` to `path` atomically: into a temporary file beside it,
/// synced, then renamed over it.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_commit_is_the_previous_manifest() {
        assert_eq!(
            previous_commit("gen-3/manifest-7.json").as_deref(),
            Some("gen-3/manifest-6.json")
        );
        assert_eq!(previous_commit("gen-3/manifest-0.json"), None);
        assert_eq!(previous_commit("gen-3/other"), None);
    }
}
