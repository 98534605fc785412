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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::indexer::UserOperation;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, Term};

use crate::analysis::{ANALYSIS_VERSION, ANALYZER_NAME, analyzer};
use crate::corpus::{self, BriefingFile, Skipped, Stamp};
use crate::extract;
use crate::model::{Briefing, Format, Metadata};
use crate::parse;
use crate::taxonomy::Taxonomy;

/// Version of the schema and document layout. Bump it whenever either
/// changes: an index with another version is rebuilt, not misread.
pub const INDEX_FORMAT: u32 = 8;

/// Segments with more sessions than this are left as they are by merges.
const MERGE_MAX_SESSIONS: usize = 50_000;

/// Merges that keep the segments a full build writes (one per writer
/// thread and memory budget, about 60,000–130,000 sessions each) and
/// gather the small segments that updates add.
///
/// Why: tantivy's default merges everything into ever larger segments; on
/// 200,000 briefings one segment ended up with 83 % of the sessions, and a
/// search, which runs one thread per segment, used one core for most of
/// its work. Merging large segments also cost build time. Deleted sessions
/// in a large segment stay (masked) until `ctsearch index --rebuild`.
fn merge_policy() -> tantivy::merge_policy::LogMergePolicy {
    let mut policy = tantivy::merge_policy::LogMergePolicy::default();
    policy.set_max_docs_before_merge(MERGE_MAX_SESSIONS);
    policy
}

/// Sessions from which segments may be searched in parallel.
const PARALLEL_SEARCH_MIN_DOCS: u64 = 20_000;

/// Postings a search reads (the summed document frequencies of its words)
/// from which it runs on several threads.
const PARALLEL_SEARCH_MIN_POSTINGS: u64 = 20_000;

/// Briefings read and parsed together before being handed to the writer.
const CHUNK: usize = 256;

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
    pub symbol: Field,
    pub source: Field,
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
        session_label: b.add_text_field("session_label", STRING | FAST),
        session_key: b.add_text_field("session_key", STRING | STORED),
        session_ord: b.add_u64_field("session_ord", STORED | INDEXED),
        crime: b.add_text_field("crime", STRING | STORED | FAST),
        org: b.add_text_field("org", STRING | STORED | FAST),
        crime_bits: b.add_u64_field("crime_bits", FAST),
        org_bits: b.add_u64_field("org_bits", FAST),
        year: b.add_text_field("year", STRING | STORED | FAST),
        date: b.add_text_field("date", STORED),
        symbol: b.add_text_field("symbol", STORED),
        source: b.add_text_field("source", STORED),
        body: b.add_text_field("body", text),
        passages: b.add_text_field("passages", STORED),
    };
    (b.build(), fields)
}

/// The commit payload: what a reader needs to know about the index
/// without reading the (larger) manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub format: u32,
    /// Fingerprint of the analysis chain and taxonomy the index was built with.
    pub config: String,
    /// File name of the manifest, inside the generation directory.
    pub manifest: String,
    /// Corpus directories and their modification times at indexing time.
    pub dirs: BTreeMap<String, i128>,
    /// Canonical corpus path the index was built from.
    pub corpus: String,
    pub briefings: u64,
    pub sessions: u64,
    pub passages: u64,
    /// Unix time of the commit, seconds.
    pub updated: u64,
    /// The number the next briefing indexed gets (`Fields::briefing`).
    #[serde(default)]
    pub next_briefing: u64,
}

/// What a briefing looked like when it was indexed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub stamp: Stamp,
    /// xxh3 of the file's bytes and its sidecar's.
    pub hash: String,
    pub sessions: u64,
    pub passages: u64,
}

/// Every indexed briefing, by corpus-relative path.
pub type Manifest = BTreeMap<String, ManifestEntry>;

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
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Fingerprint of everything, besides the corpus, that determines what the
/// index holds.
pub fn config_fingerprint(taxonomy: &Taxonomy) -> String {
    let text = format!(
        "format={INDEX_FORMAT};analysis={ANALYSIS_VERSION};taxonomy={}",
        taxonomy.source()
    );
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

fn current_file(index_dir: &Path) -> PathBuf {
    index_dir.join("CURRENT")
}

/// The live generation directory, if there is one.
fn current_generation(index_dir: &Path) -> Result<Option<PathBuf>> {
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

/// A reader that reloads only when asked: a search reads one commit.
fn reader_of(index: &Index) -> tantivy::Result<tantivy::IndexReader> {
    index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        // A search reads a dozen stored sessions, each at most once (see
        // `search::StoredSessions`), from blocks that rarely repeat. A
        // cache kept every 16 KB block it decompressed, each in fresh
        // memory (four page faults); uncached, the next block reuses it.
        .doc_store_cache_num_blocks(0)
        .try_into()
}

fn register_analyzer(index: &Index) {
    index.tokenizers().register(ANALYZER_NAME, analyzer());
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
        Ok(Some(dir)) if dir == open.dir => {
            read_payload(&dir).map_or(true, |p| p.manifest != open.payload.manifest)
        }
        _ => true,
    }
}

/// The ctsearch payload of a generation's last commit.
fn read_payload(dir: &Path) -> std::result::Result<Payload, String> {
    #[derive(Deserialize)]
    struct Meta {
        payload: Option<String>,
    }
    let meta = std::fs::read(dir.join("meta.json")).map_err(|e| e.to_string())?;
    serde_json::from_slice::<Meta>(&meta)
        .ok()
        .and_then(|meta| serde_json::from_str(meta.payload.as_deref()?).ok())
        .ok_or_else(|| "no ctsearch payload in meta.json".to_string())
}

fn open_generation(dir: &Path) -> Result<OpenIndex> {
    let corrupt = |reason: String| IndexError::Corrupt {
        path: dir.to_path_buf(),
        reason,
    };
    let index = Index::open_in_dir(dir).map_err(|e| corrupt(e.to_string()))?;
    register_analyzer(&index);
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

fn read_manifest(open: &OpenIndex) -> Result<Manifest> {
    let path = open.dir.join(&open.payload.manifest);
    let text = std::fs::read_to_string(&path).map_err(|e| IndexError::Corrupt {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    Ok(
        serde_json::from_str(&text).map_err(|e| IndexError::Corrupt {
            path,
            reason: e.to_string(),
        })?,
    )
}

/// Writes `bytes` to `path` atomically: a temporary file, fsync, rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
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
            ", unchanged {} briefings ({}, {}, {} in the index) in {:.2} s",
            self.unchanged,
            n(self.briefings, "briefing"),
            n(self.sessions, "session"),
            n(self.passages, "passage"),
            self.seconds
        )
    }
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

/// A briefing read from disk, parsed and tagged, ready to be written.
struct Prepared {
    rel_path: String,
    entry: ManifestEntry,
    docs: Vec<TantivyDocument>,
    warning: Option<String>,
}

/// A briefing file's bytes, its sidecar's metadata and the hash of both.
struct Read {
    bytes: Vec<u8>,
    sidecar: Option<Metadata>,
    hash: String,
    /// Of the file and sidecar as read (see [`BriefingFile::stamp`]).
    stamp: Stamp,
}

/// Reads a briefing file and its sidecar and hashes them; `Err` is the
/// reason the file is skipped (too large, unreadable, empty).
fn read_briefing(file: &BriefingFile, max_size: u64) -> std::result::Result<Read, String> {
    use std::io::Read as _;
    let mut handle = std::fs::File::open(&file.abs_path).map_err(|e| e.to_string())?;
    let meta = handle.metadata().map_err(|e| e.to_string())?;
    if meta.len() > max_size {
        return Err(format!(
            "too large ({:.1} MiB; the limit is {:.1} MiB, see --max-file-size)",
            meta.len() as f64 / 1_048_576.0,
            max_size as f64 / 1_048_576.0
        ));
    }
    let mut stamp = Stamp {
        size: meta.len(),
        mtime_ns: corpus::mtime_ns(&meta),
    };
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    // One byte past the limit is enough to know the file grew beyond it.
    (&mut handle)
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max_size {
        return Err("too large".into());
    }
    // The stamp counts the sidecar whenever it can be stat'ed, as the walk's
    // stamp does, even if it cannot be read: otherwise the two would differ
    // and every update would read the briefing again.
    let sidecar = file.sidecar.as_ref().and_then(|path| {
        let (meta, side) = match std::fs::File::open(path) {
            Ok(mut handle) => {
                let meta = handle.metadata().ok();
                let mut side = Vec::new();
                (meta, handle.read_to_end(&mut side).ok().map(|_| side))
            }
            Err(_) => (std::fs::metadata(path).ok(), None),
        };
        if let Some(meta) = meta {
            stamp.size += meta.len();
            stamp.mtime_ns = stamp.mtime_ns.max(corpus::mtime_ns(&meta));
        }
        side
    });
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&bytes);
    if let Some(side) = &sidecar {
        hasher.update(b"\0sidecar\0");
        hasher.update(side);
    }
    let hash = format!("{:016x}", hasher.digest());
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty".into());
    }
    let sidecar = sidecar.map(|s| Metadata::from_key_values(&String::from_utf8_lossy(&s)));
    Ok(Read {
        bytes,
        sidecar,
        hash,
        stamp,
    })
}

/// Decodes the bytes of a text file; `Err` if they look binary.
/// The warning says what had to be repaired.
fn decode_text(bytes: Vec<u8>) -> std::result::Result<(String, Option<String>), String> {
    if looks_binary(&bytes) {
        return Err("binary".into());
    }
    let mut warning = None;
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            warning = Some("invalid UTF-8, decoded lossily".to_string());
            String::from_utf8_lossy(err.as_bytes()).into_owned()
        }
    };
    if text.contains('\0') {
        text = text.replace('\0', " ");
        warning.get_or_insert_with(|| "NUL bytes replaced by spaces".to_string());
    }
    Ok((text, warning))
}

/// Whether bytes look like a binary file rather than text: a known binary
/// signature, or many control bytes in the first 8 KiB. Only text formats
/// are checked: a `.pdf` is binary by nature and goes to the PDF extractor
/// (`%PDF` here catches a PDF misnamed `.txt`).
fn looks_binary(bytes: &[u8]) -> bool {
    const SIGNATURES: &[&[u8]] = &[
        b"\x89PNG",
        b"%PDF",
        b"PK\x03\x04",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"\x7FELF",
        b"\x1F\x8B",
    ];
    if SIGNATURES.iter().any(|s| bytes.starts_with(s)) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    // Without branches and in bytes, so that the loop runs on vectors: it
    // reads the first 8 KB of every file indexed. A chunk's count fits a
    // byte.
    let control: usize = head
        .chunks(128)
        .map(|chunk| {
            let is_control =
                |b: u8| (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0C);
            let n = chunk.iter().fold(0u8, |n, &b| n + u8::from(is_control(b)));
            usize::from(n)
        })
        .sum();
    control * 10 > head.len()
}

/// Parses (or extracts) and tags one briefing into its session documents.
///
/// `known` is the briefing's manifest entry from the last run, if any: when
/// the content hash still matches (a file touched but not changed), the
/// file is not parsed or extracted again, and the returned [`Prepared`]
/// has no documents and the old counts.
fn prepare(
    file: &BriefingFile,
    fields: &Fields,
    taxonomy: &Taxonomy,
    max_size: u64,
    known: Option<&ManifestEntry>,
) -> std::result::Result<Prepared, Skipped> {
    let skipped = |reason: String| Skipped {
        path: file.rel_path.clone(),
        reason,
    };
    let Read {
        bytes,
        sidecar,
        hash,
        stamp,
    } = read_briefing(file, max_size).map_err(skipped)?;
    if let Some(known) = known.filter(|k| k.hash == hash) {
        return Ok(Prepared {
            rel_path: file.rel_path.clone(),
            entry: ManifestEntry {
                stamp,
                hash,
                ..known.clone()
            },
            docs: Vec::new(),
            warning: None,
        });
    }
    let (mut briefing, warning): (Briefing, Option<String>) = match file.format {
        Format::Text | Format::Markdown => {
            let (text, warning) = decode_text(bytes).map_err(skipped)?;
            (parse::parse(&text, file.format), warning)
        }
        // Third-party parsers on untrusted bytes: guarded against panics
        // and hangs, see `extract::guarded`.
        Format::Html if looks_binary(&bytes) => return Err(skipped("binary".into())),
        Format::Pdf | Format::Html => {
            let extracted = extract::extract(file.format, bytes).map_err(skipped)?;
            let briefing = parse::parse_extracted(extracted.content, extracted.meta);
            (briefing, extracted.warning)
        }
    };
    let name = file.rel_path.rsplit('/').next().unwrap_or(&file.rel_path);
    // Sidecar first, then what the file says about itself (front matter,
    // PDF Info dictionary, first page, HTML tags), then the file name.
    let mut meta = sidecar.unwrap_or_default().or(briefing.meta.clone());
    meta = meta.or(Metadata::from_file_name(name));
    if meta.title.is_none() {
        meta.title = Some(title_from_file_name(name));
    }
    briefing.meta = meta;
    let docs = session_documents(&briefing, &file.rel_path, fields, taxonomy);
    Ok(Prepared {
        rel_path: file.rel_path.clone(),
        entry: ManifestEntry {
            stamp,
            hash,
            sessions: briefing.sessions.len() as u64,
            passages: briefing.passage_count() as u64,
        },
        docs,
        warning,
    })
}

/// "2018-10-08-ctc-open-briefing.txt" → "ctc open briefing".
fn title_from_file_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let date = Metadata::from_file_name(stem);
    let rest = if date.date.is_some() {
        stem[10..].trim_start_matches(['-', '_'])
    } else {
        stem
    };
    let title = rest.replace(['-', '_'], " ");
    if title.trim().is_empty() {
        stem.to_string()
    } else {
        title
    }
}

/// The text of a session to index as its body: the briefing's title, then
/// every passage (but a heading that only repeats the title).
///
/// Why the title is in every session's body: the title says what each of
/// the briefing's sessions is about, and as body text its words saturate
/// like any other occurrence (BM25), so a title word counts as one more
/// occurrence rather than a separate, unbounded score. The title field adds
/// a small bonus on top (`TITLE_BOOST`), so a word in the title weighs more
/// than the same word in the body.
fn session_body(session: &crate::model::Session, title: Option<&str>) -> String {
    let mut out = String::with_capacity(
        title.map_or(0, str::len)
            + session
                .passages
                .iter()
                .map(|p| p.text.len() + 2)
                .sum::<usize>(),
    );
    if let Some(title) = title {
        out.push_str(title);
    }
    for p in &session.passages {
        let repeats_title =
            p.kind == crate::model::PassageKind::Heading && title.is_some_and(|t| t == p.text);
        if repeats_title {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&p.text);
    }
    out
}

/// One tantivy document per session.
fn session_documents(
    briefing: &Briefing,
    rel_path: &str,
    f: &Fields,
    taxonomy: &Taxonomy,
) -> Vec<TantivyDocument> {
    let meta = &briefing.meta;
    let year = meta.year();
    let mut docs = Vec::with_capacity(briefing.sessions.len());
    for (ord, session) in briefing.sessions.iter().enumerate() {
        let body = session_body(session, meta.title.as_deref());
        // Tags come from what the session says, not from the briefing's
        // title that its body also carries. (Handing tantivy pre-tokenized
        // text to save its own analysis was measured slower: tantivy
        // round-trips it through JSON.)
        let tags = taxonomy.tag_texts(session.passages.iter().map(|p| p.text.as_str()));
        let mut passages = String::with_capacity(
            session
                .passages
                .iter()
                .map(|p| p.text.len() + 8)
                .sum::<usize>(),
        );
        codec::encode_passages(&session.passages, &mut passages);
        // Sized up front: a document copies every value into one buffer.
        let mut doc = TantivyDocument::with_capacity(body.len() + passages.len() + 1024);
        doc.add_text(f.path, rel_path);
        if let Some(title) = &meta.title {
            doc.add_text(f.title, title);
        }
        doc.add_text(f.session, &session.label);
        doc.add_text(f.session_label, &session.label);
        doc.add_text(f.session_key, &session.key);
        doc.add_u64(f.session_ord, ord as u64);
        for crime in &tags.crimes {
            doc.add_text(f.crime, crime);
        }
        for org in &tags.orgs {
            doc.add_text(f.org, org);
        }
        // Every session has both, zero when untagged, so that the columns
        // are dense and read without an index.
        doc.add_u64(f.crime_bits, tags.crime_bits);
        doc.add_u64(f.org_bits, tags.org_bits);
        if let Some(year) = &year {
            doc.add_text(f.year, year);
        }
        if let Some(date) = &meta.date {
            doc.add_text(f.date, date);
        }
        if let Some(symbol) = &meta.symbol {
            doc.add_text(f.symbol, symbol);
        }
        if let Some(source) = &meta.source {
            doc.add_text(f.source, source);
        }
        doc.add_text(f.body, &body);
        doc.add_text(f.passages, &passages);
        docs.push(doc);
    }
    docs
}

/// What to do with the live index.
enum Plan {
    /// Update it in place.
    Update(Box<OpenIndex>, Manifest),
    /// Rebuild everything into a new generation, for this reason.
    Rebuild(String),
}

/// Decides whether the live index can be updated in place, or why it must
/// be rebuilt.
fn plan_generation(opts: &IndexOptions, fingerprint: &str, corpus_canon: &str) -> Result<Plan> {
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
    match read_manifest(&open) {
        Ok(manifest) => Ok(Plan::Update(Box::new(open), manifest)),
        Err(err) => Ok(Plan::Rebuild(format!("{err:#}"))),
    }
}

fn now_secs() -> u64 {
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
        Plan::Update(open, manifest) => (*open, manifest, None, None),
        Plan::Rebuild(reason) => {
            let dir = new_generation_dir(&opts.index_dir)?;
            let (schema, fields) = schema();
            // Tantivy hands every 16 KB block of stored text to a
            // compressor thread of its own; on few cores those handoffs
            // cost 50k context switches per 20k briefings and 10 % of
            // the build's wall time. Compressing on the indexing
            // thread itself costs the same lz4 work and no switches.
            let settings = IndexSettings {
                docstore_compress_dedicated_thread: false,
                ..IndexSettings::default()
            };
            let index = Index::builder()
                .schema(schema)
                .settings(settings)
                .create_in_dir(&dir)
                .with_context(|| format!("creating index in {}", dir.display()))?;
            register_analyzer(&index);
            let payload = Payload {
                format: INDEX_FORMAT,
                config: fingerprint.clone(),
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

fn next_manifest_seq(current: &str) -> u64 {
    current
        .strip_prefix("manifest-")
        .and_then(|s| s.strip_suffix(".json"))
        .and_then(|s| s.parse::<u64>().ok())
        .map_or(1, |n| n + 1)
}

/// A new, empty generation directory.
fn new_generation_dir(index_dir: &Path) -> Result<PathBuf> {
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
fn remove_stale_files(index_dir: &Path, live: &Path, manifest: &str) {
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
fn remove_stale_generations(index_dir: &Path, live: &Path) {
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
