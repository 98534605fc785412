//! Issue 3: incremental, crash-safe, concurrent re-indexing.
//!
//! Every test works on its own corpus in a temporary directory; every
//! document written here says "Test fixture" in its text. The tests that
//! race a running `index` never depend on the race going one way: when the
//! run finishes before it could be disturbed, they retry on a bigger corpus
//! or check only what must hold either way.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

use common::{Corpus, SEED, paths, stderr, stdout};
use serde_json::Value;

/// The seed's sidecar.
fn seed_sidecar() -> String {
    format!("{SEED}.meta.toml")
}

/// Runs `index --format json` with `args`, expects success, and returns the
/// summary.
fn index_json(corpus: &Corpus, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = corpus.run("index", &all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "index {args:?} failed: {}",
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("index summary is not JSON ({e}): {}", stdout(&out)))
}

/// A count of an index summary.
fn count(summary: &Value, key: &str) -> u64 {
    summary[key]
        .as_u64()
        .unwrap_or_else(|| panic!("summary has no count {key}: {summary}"))
}

/// Asserts the added/updated/removed/renamed counts of a summary.
fn assert_changes(summary: &Value, added: u64, updated: u64, removed: u64, renamed: u64) {
    let got = [
        count(summary, "added"),
        count(summary, "updated"),
        count(summary, "removed"),
        count(summary, "renamed"),
    ];
    assert_eq!(
        got,
        [added, updated, removed, renamed],
        "added/updated/removed/renamed differ: {summary}"
    );
}

/// The distinct paths of the hits, sorted.
fn distinct_paths(json: &Value) -> Vec<String> {
    let mut all = paths(json);
    all.sort();
    all.dedup();
    all
}

fn total(json: &Value) -> u64 {
    json["total"].as_u64().expect("total")
}

/// The number of sessions a `*` search counts.
fn star_total(corpus: &Corpus) -> u64 {
    total(&corpus.search_json(&["*", "--limit", "1"]))
}

/// The name of the live generation.
fn current(corpus: &Corpus) -> String {
    std::fs::read_to_string(corpus.index().join("CURRENT"))
        .expect("CURRENT")
        .trim()
        .to_string()
}

/// Names of the generation directories of the index.
fn generations(corpus: &Corpus) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus.index())
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.starts_with("gen-"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Every file under `dir` with its modification time and content.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (SystemTime, Vec<u8>)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).expect("read index dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let meta = entry.metadata().expect("metadata");
                let bytes = std::fs::read(&path).expect("read index file");
                let rel = path.strip_prefix(dir).expect("inside").to_path_buf();
                files.insert(rel, (meta.modified().expect("mtime"), bytes));
            }
        }
    }
    files
}

/// Sets a file's modification time, so that a change is seen whatever the
/// file system's timestamp granularity.
fn set_mtime(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open to set mtime")
        .set_modified(time)
        .expect("set mtime");
}

/// Sets the modification time of a file or directory two seconds ahead,
/// so that a change is seen on file systems with 1-second timestamps.
fn bump_mtime(path: &Path) {
    let later = filetime::FileTime::from_system_time(SystemTime::now() + Duration::from_secs(2));
    filetime::set_file_mtime(path, later).expect("set mtime");
}

/// Sets the modification time of every file under `dir` an hour back, so
/// that any file rewritten afterwards shows a newer one.
fn age_files(dir: &Path) {
    let earlier =
        filetime::FileTime::from_system_time(SystemTime::now() - Duration::from_secs(3600));
    for path in snapshot(dir).keys() {
        filetime::set_file_mtime(dir.join(path), earlier).expect("set mtime");
    }
}

/// Briefings of a corpus big enough for an index run to take a while
/// (about half a second on an idle machine).
const BULK: usize = 1000;

/// A fixture paragraph of about 600 bytes.
const PARAGRAPH: &str = "Test fixture paragraph on weapons trafficking, drug trafficking and the \
financing of terrorist groups by organized criminal networks operating across borders. \
Participants discussed border controls, information sharing between law enforcement agencies, \
and the role of customs in detecting illicit flows of small arms and light weapons. \
They noted that the nexus between terrorism and organized crime varies between regions and \
that responses must be tailored to each context, with respect for human rights.";

/// Writes `count` fixture briefings of three sessions each (about 8 KB),
/// numbered from `first`, into `folder/dNN/`. Returns the number of
/// sessions written.
fn write_bulk(corpus: &Corpus, folder: &str, first: usize, count: usize) -> u64 {
    for i in first..first + count {
        let mut text = format!("Test fixture briefing {i}\n\nIntroductory session\n\n");
        for p in 0..6 {
            text.push_str(&format!("{PARAGRAPH} Marker bulk{i}x{p}.\n\n"));
        }
        text.push_str("Session I\n\n");
        for _ in 0..6 {
            text.push_str(PARAGRAPH);
            text.push_str("\n\n");
        }
        corpus.write(
            &format!("{folder}/d{:02}/2019-01-01-test-fixture-{i:05}.txt", i % 40),
            text,
        );
    }
    // Overview (the title line), Introductory session, Session I.
    3 * count as u64
}

/// Starts `ctsearch index … args` in the background.
fn spawn_index(corpus: &Corpus, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("ctsearch"))
        .current_dir(corpus.dir.path())
        .env_remove("CTSEARCH_TAXONOMY")
        .arg("index")
        .arg("--corpus")
        .arg(corpus.corpus())
        .arg("--index")
        .arg(corpus.index())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ctsearch index")
}

/// Waits until a rebuild started by `child` has created its new generation
/// (it then holds the lock and is parsing briefings). False if the child
/// exited first.
fn wait_for_new_generation(corpus: &Corpus, live: &str, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if generations(corpus).iter().any(|g| g != live) {
            return child.try_wait().expect("try_wait").is_none();
        }
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        sleep(Duration::from_millis(1));
    }
    panic!("the index run neither started a generation nor finished in 60 s");
}

/// Whether `child` is still running.
fn running(child: &mut Child) -> bool {
    child.try_wait().expect("try_wait").is_none()
}

fn finish(child: Child) -> Output {
    child.wait_with_output().expect("wait for ctsearch index")
}

// ---------------------------------------------------------------------------
// Incremental updates
// ---------------------------------------------------------------------------

#[test]
fn add_modify_delete_cycle_updates_only_what_changed() {
    let corpus = Corpus::shipped();
    let first = index_json(&corpus, &[]);
    assert_eq!(count(&first, "briefings"), 1);
    let seed_sessions = count(&first, "sessions");

    // Add: a copy of the seed under a new name (without its sidecar).
    let copy = "2018/2018-10-09-test-fixture-copy-of-the-seed.txt";
    let seed_text = std::fs::read_to_string(corpus.corpus().join(SEED)).expect("seed");
    let copy_text = format!("Test fixture: a copy of the seed briefing.\n\n{seed_text}");
    corpus.write(copy, &copy_text);
    let added = index_json(&corpus, &[]);
    assert_changes(&added, 1, 0, 0, 0);
    assert_eq!(count(&added, "unchanged"), 1, "{added}");
    assert_eq!(count(&added, "briefings"), 2);
    assert_eq!(count(&added, "sessions"), 2 * seed_sessions);
    assert_eq!(added["wrote"], true);
    assert!(added["rebuilt"].is_null(), "{added}");
    let json = corpus.search_json(&["Small Arms Survey"]);
    assert_eq!(distinct_paths(&json), [SEED, copy], "{json}");
    assert_eq!(star_total(&corpus), 2 * seed_sessions);

    // Modify: replace a word of the copy by a new one. The size changes and
    // the modification time is moved on explicitly, so the change is seen
    // whatever the timestamp granularity.
    assert!(copy_text.contains("Panellists"));
    let edited = copy_text.replace("Panellists", "Zanzibarite");
    corpus.write(copy, &edited);
    set_mtime(
        &corpus.corpus().join(copy),
        SystemTime::now() + Duration::from_secs(2),
    );
    let updated = index_json(&corpus, &[]);
    assert_changes(&updated, 0, 1, 0, 0);
    assert_eq!(count(&updated, "unchanged"), 1, "{updated}");
    assert_eq!(count(&updated, "sessions"), 2 * seed_sessions);
    let json = corpus.search_json(&["zanzibarite"]);
    assert_eq!(paths(&json), [copy], "{json}");
    assert_eq!(total(&json), 1);
    // The replaced word is now only in the original.
    let json = corpus.search_json(&["panellists"]);
    assert_eq!(paths(&json), [SEED], "{json}");
    // No stale version of the copy is left behind.
    assert_eq!(star_total(&corpus), 2 * seed_sessions);
    // The updated copy's sessions now sit in a segment of their own; the
    // sessions of each briefing are still counted as one briefing.
    let json = corpus.search_json(&["*", "--limit", "1"]);
    assert_eq!(json["briefings"], 2, "{json}");
    let json = corpus.search_json(&["Small Arms Survey", "--limit", "1"]);
    assert_eq!(json["briefings"], 2, "{json}");

    // Delete.
    std::fs::remove_file(corpus.corpus().join(copy)).expect("delete copy");
    let removed = index_json(&corpus, &[]);
    assert_changes(&removed, 0, 0, 1, 0);
    assert_eq!(count(&removed, "unchanged"), 1, "{removed}");
    assert_eq!(count(&removed, "briefings"), 1);
    assert_eq!(count(&removed, "sessions"), seed_sessions);
    let json = corpus.search_json(&["Small Arms Survey"]);
    assert_eq!(distinct_paths(&json), [SEED], "{json}");
    let out = corpus.search(&["zanzibarite"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(star_total(&corpus), seed_sessions);
}

#[test]
fn touched_but_identical_file_is_not_reindexed() {
    let corpus = Corpus::shipped();
    index_json(&corpus, &[]);
    set_mtime(
        &corpus.corpus().join(SEED),
        SystemTime::now() + Duration::from_secs(2),
    );
    let summary = index_json(&corpus, &[]);
    assert_changes(&summary, 0, 0, 0, 0);
    assert_eq!(count(&summary, "unchanged"), 1, "{summary}");
    // The new stamp is remembered, so the next run reads nothing.
    let again = index_json(&corpus, &[]);
    assert_eq!(again["wrote"], false, "{again}");
    assert_eq!(count(&again, "unchanged"), 1);
}

#[test]
fn sidecar_change_updates_the_briefing() {
    let corpus = Corpus::shipped();
    index_json(&corpus, &[]);
    let sidecar = corpus.corpus().join(seed_sidecar());
    let text = std::fs::read_to_string(&sidecar).expect("sidecar");
    let text = text.replace("date = \"2018-10-08\"", "date = \"2017-10-08\"");
    std::fs::write(&sidecar, format!("{text}# Test fixture edit\n")).expect("write sidecar");
    set_mtime(&sidecar, SystemTime::now() + Duration::from_secs(2));
    let summary = index_json(&corpus, &[]);
    assert_changes(&summary, 0, 1, 0, 0);
    let json = corpus.search_json(&["weapons", "--year", "2017"]);
    assert!(total(&json) > 0, "{json}");
    let out = corpus.search(&["weapons", "--year", "2018", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn run_without_changes_writes_nothing() {
    let corpus = Corpus::shipped();
    corpus.write(
        "2019/2019-01-01-test-fixture.md",
        "# Test fixture\n\n## Session I\n\nTest fixture text on firearms.\n",
    );
    let first = index_json(&corpus, &[]);
    assert_eq!(count(&first, "briefings"), 2);
    age_files(&corpus.index());
    let before = snapshot(&corpus.index());
    assert!(
        before.keys().any(|p| p.ends_with("meta.json")),
        "{before:?}"
    );

    let summary = index_json(&corpus, &[]);
    assert_eq!(summary["wrote"], false, "{summary}");
    assert!(summary["rebuilt"].is_null(), "{summary}");
    assert_changes(&summary, 0, 0, 0, 0);
    assert_eq!(count(&summary, "unchanged"), 2);
    assert_eq!(count(&summary, "briefings"), 2);
    assert_eq!(count(&summary, "sessions"), count(&first, "sessions"));
    assert_eq!(count(&summary, "passages"), count(&first, "passages"));

    let after = snapshot(&corpus.index());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "files of the index changed"
    );
    for (path, (mtime, bytes)) in &before {
        let (mtime_after, bytes_after) = &after[path];
        assert!(bytes == bytes_after, "{} was rewritten", path.display());
        assert_eq!(mtime, mtime_after, "{} was touched", path.display());
    }
    // Searching does not write either.
    corpus.search_json(&["weapons"]);
    assert_eq!(
        snapshot(&corpus.index())
            .into_iter()
            .map(|(p, (_, b))| (p, b))
            .collect::<BTreeMap<_, _>>(),
        before
            .into_iter()
            .map(|(p, (_, b))| (p, b))
            .collect::<BTreeMap<_, _>>(),
        "search changed the index"
    );
}

#[test]
fn moving_a_briefing_to_another_folder_is_a_rename() {
    let corpus = Corpus::shipped();
    let first = index_json(&corpus, &[]);
    let sessions = count(&first, "sessions");
    // The user moves the briefing and its sidecar into an archive folder.
    let moved = "archive/2018/2018-10-08-ctc-open-briefing-terrorism-crime-nexus.txt";
    std::fs::create_dir_all(corpus.corpus().join("archive/2018")).expect("mkdir");
    std::fs::rename(corpus.corpus().join(SEED), corpus.corpus().join(moved)).expect("mv");
    std::fs::rename(
        corpus.corpus().join(seed_sidecar()),
        corpus.corpus().join(format!("{moved}.meta.toml")),
    )
    .expect("mv sidecar");

    let summary = index_json(&corpus, &[]);
    assert_changes(&summary, 0, 0, 0, 1);
    assert_eq!(count(&summary, "briefings"), 1);
    assert_eq!(count(&summary, "sessions"), sessions);

    let json = corpus.search_json(&["Small Arms Survey"]);
    assert_eq!(distinct_paths(&json), [moved], "{json}");
    let json = corpus.search_json(&["*", "--limit", "100"]);
    assert_eq!(total(&json), sessions, "duplicates after the move: {json}");
    assert_eq!(distinct_paths(&json), [moved]);
    // The sidecar moved along: its title is still used.
    assert_eq!(
        json["hits"][0]["title"],
        "Open briefing of the Counter-Terrorism Committee on the nexus between international terrorism and transnational organized crime"
    );
}

#[test]
fn rename_text_summary_mentions_renamed() {
    let corpus = Corpus::shipped();
    corpus.write(
        "a/2019-02-02-test-fixture.txt",
        "Test fixture briefing\n\nSession I\n\nTest fixture words on narcotics.\n",
    );
    index_json(&corpus, &[]);
    std::fs::create_dir_all(corpus.corpus().join("b")).expect("mkdir");
    std::fs::rename(
        corpus.corpus().join("a/2019-02-02-test-fixture.txt"),
        corpus
            .corpus()
            .join("b/2019-02-02-test-fixture-renamed.txt"),
    )
    .expect("mv");
    let out = corpus.run("index", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("added 0, updated 0, removed 0, renamed 1, unchanged 1 documents"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------
// Search keeps the index fresh
// ---------------------------------------------------------------------------

#[test]
fn search_notices_new_files_without_an_index_run() {
    let corpus = Corpus::shipped();
    index_json(&corpus, &[]);

    // A file dropped into an existing folder.
    corpus.write(
        "2018/2018-11-01-test-fixture-dropped.txt",
        "Test fixture briefing\n\nSession I\n\nTest fixture words: quokkafrost and weapons.\n",
    );
    bump_mtime(&corpus.corpus().join("2018"));
    let out = corpus.search(&["quokkafrost", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("added 1"), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        paths(&json),
        ["2018/2018-11-01-test-fixture-dropped.txt"],
        "{json}"
    );
    // Once caught up, search does not index again.
    let again = corpus.search(&["quokkafrost"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(!stderr(&again).contains("added"), "{}", stderr(&again));

    // A file dropped into a new folder, two levels down.
    corpus.write(
        "2020/march/2020-03-01-test-fixture-new-folder.md",
        "# Test fixture\n\n## Session II\n\nTest fixture words: lemurglint.\n",
    );
    bump_mtime(&corpus.corpus());
    let json = corpus.search_json(&["lemurglint"]);
    assert_eq!(
        paths(&json),
        ["2020/march/2020-03-01-test-fixture-new-folder.md"],
        "{json}"
    );

    // A deleted file disappears from search results too.
    std::fs::remove_file(
        corpus
            .corpus()
            .join("2018/2018-11-01-test-fixture-dropped.txt"),
    )
    .expect("rm");
    bump_mtime(&corpus.corpus().join("2018"));
    let out = corpus.search(&["quokkafrost"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // And the index agrees with a run of `index`.
    let summary = index_json(&corpus, &[]);
    assert_eq!(summary["wrote"], false, "{summary}");
    assert_eq!(count(&summary, "briefings"), 2);
}

// ---------------------------------------------------------------------------
// Full rebuilds
// ---------------------------------------------------------------------------

#[test]
fn rebuild_flag_rebuilds_to_the_same_counts() {
    let corpus = Corpus::shipped();
    write_bulk(&corpus, "bulk", 0, 20);
    let first = index_json(&corpus, &[]);
    assert_eq!(first["rebuilt"], "no index yet", "{first}");
    let old_generation = current(&corpus);

    let rebuilt = index_json(&corpus, &["--rebuild"]);
    let reason = rebuilt["rebuilt"].as_str().expect("rebuilt reason");
    assert!(reason.contains("--rebuild"), "{reason}");
    assert_eq!(rebuilt["wrote"], true);
    assert_eq!(count(&rebuilt, "added"), 21);
    for key in ["briefings", "sessions", "passages"] {
        assert_eq!(count(&rebuilt, key), count(&first, key), "{key}");
    }
    assert_eq!(star_total(&corpus), count(&first, "sessions"));
    // The new generation replaced the old one, which is gone.
    assert_ne!(current(&corpus), old_generation);
    assert_eq!(generations(&corpus), [current(&corpus)]);
    // And the next run is incremental again.
    let next = index_json(&corpus, &[]);
    assert!(next["rebuilt"].is_null(), "{next}");
    assert_eq!(next["wrote"], false);
}

#[test]
fn taxonomy_change_rebuilds_and_tags_with_the_new_taxonomy() {
    let corpus = Corpus::shipped();
    corpus.write(
        "2019/2019-05-05-test-fixture-mineral.txt",
        "Test fixture briefing\n\nSession I\n\nTest fixture text: the smuggling of zanzibarite by armed groups.\n",
    );
    let first = index_json(&corpus, &[]);
    assert!(first["rebuilt"].is_string(), "{first}");

    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/taxonomy.toml");
    let mut taxonomy = std::fs::read_to_string(builtin).expect("taxonomy");
    taxonomy.push_str(
        "\n# Test fixture crime type\n[crime.test-fixture-crime]\nlabel = \"Fixture\"\nphrases = [\"zanzibarite\"]\n",
    );
    let taxonomy_file = corpus.dir.path().join("test-fixture-taxonomy.toml");
    std::fs::write(&taxonomy_file, taxonomy).expect("write taxonomy");
    let taxonomy_arg = taxonomy_file.to_str().expect("utf-8 path");

    let summary = index_json(&corpus, &["--taxonomy", taxonomy_arg]);
    let reason = summary["rebuilt"].as_str().unwrap_or_else(|| {
        panic!("a new taxonomy did not rebuild: {summary}");
    });
    assert!(reason.contains("taxonomy"), "{reason}");
    assert_eq!(count(&summary, "sessions"), count(&first, "sessions"));

    let json = corpus.search_json(&[
        "*",
        "--crime",
        "test-fixture-crime",
        "--taxonomy",
        taxonomy_arg,
    ]);
    assert_eq!(
        paths(&json),
        ["2019/2019-05-05-test-fixture-mineral.txt"],
        "{json}"
    );
    assert_eq!(json["facets"]["crime"]["test-fixture-crime"], 1, "{json}");

    // Same taxonomy again: nothing to rebuild.
    let again = index_json(&corpus, &["--taxonomy", taxonomy_arg]);
    assert!(again["rebuilt"].is_null(), "{again}");
    assert_eq!(again["wrote"], false, "{again}");

    // The built-in taxonomy does not know the crime type.
    let out = corpus.search(&["*", "--crime", "test-fixture-crime"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("test-fixture-crime"),
        "{}",
        stderr(&out)
    );
    // And going back to it rebuilds once more.
    let back = index_json(&corpus, &[]);
    assert!(back["rebuilt"].is_string(), "{back}");

    // A search with the other taxonomy rebuilds by itself before answering.
    let out = corpus.search(&[
        "*",
        "--crime",
        "test-fixture-crime",
        "--taxonomy",
        taxonomy_arg,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("rebuilt"), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        paths(&json),
        ["2019/2019-05-05-test-fixture-mineral.txt"],
        "{json}"
    );
}

/// Rewrites the index's commit payload as if an older ctsearch, with
/// another index format, had written it.
fn pretend_older_format(corpus: &Corpus) {
    let meta_path = corpus.index().join(current(corpus)).join("meta.json");
    let mut meta: Value =
        serde_json::from_slice(&std::fs::read(&meta_path).expect("meta.json")).expect("JSON");
    let mut payload: Value =
        serde_json::from_str(meta["payload"].as_str().expect("payload")).expect("payload JSON");
    payload["format"] = Value::from(0);
    meta["payload"] = Value::from(payload.to_string());
    std::fs::write(&meta_path, meta.to_string()).expect("write meta.json");
}

/// Makes the index look read by an older ctsearch (before the reader was
/// part of its identity): no `parser` in its payload, another fingerprint.
fn pretend_older_reader(corpus: &Corpus) {
    let meta_path = corpus.index().join(current(corpus)).join("meta.json");
    let mut meta: Value =
        serde_json::from_slice(&std::fs::read(&meta_path).expect("meta.json")).expect("JSON");
    let mut payload: Value =
        serde_json::from_str(meta["payload"].as_str().expect("payload")).expect("payload JSON");
    payload.as_object_mut().expect("object").remove("parser");
    payload["config"] = Value::from("0123456789abcdef");
    meta["payload"] = Value::from(payload.to_string());
    std::fs::write(&meta_path, meta.to_string()).expect("write meta.json");
}

/// An upgrade that reads documents better reaches every document at the
/// next run, without `--rebuild`, and says so once.
#[test]
fn a_new_reader_reads_every_document_again_once() {
    let corpus = Corpus::shipped();
    let first = index_json(&corpus, &[]);
    pretend_older_reader(&corpus);
    let out = corpus.search(&["weapons", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let note = stderr(&out);
    assert!(note.contains("reads documents differently"), "{note}");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["hits"][0]["session"], "Session III", "{json}");
    let again = corpus.search(&["weapons", "--format", "json"]);
    assert!(!stderr(&again).contains("reads documents differently"));
    pretend_older_reader(&corpus);
    let summary = index_json(&corpus, &[]);
    assert!(
        summary["rebuilt"]
            .as_str()
            .is_some_and(|r| r.contains("reads documents differently")),
        "{summary}"
    );
    assert_eq!(count(&summary, "sessions"), count(&first, "sessions"));
}

#[test]
fn index_rebuilds_an_index_of_another_format() {
    let corpus = Corpus::shipped();
    let first = index_json(&corpus, &[]);
    pretend_older_format(&corpus);
    let summary = index_json(&corpus, &[]);
    assert!(summary["rebuilt"].is_string(), "{summary}");
    assert_eq!(count(&summary, "sessions"), count(&first, "sessions"));
    assert_eq!(star_total(&corpus), count(&first, "sessions"));
}

#[test]

fn search_rebuilds_an_index_of_another_format() {
    let corpus = Corpus::shipped();
    let first = index_json(&corpus, &[]);
    pretend_older_format(&corpus);
    let out = corpus.search(&["*", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(total(&json), count(&first, "sessions"));
}

// ---------------------------------------------------------------------------
// Concurrency, crashes and Ctrl-C
// ---------------------------------------------------------------------------

#[test]
fn second_index_run_fails_fast_and_search_answers_during_a_run() {
    let corpus = Corpus::shipped();
    let mut written = 0;
    for (attempt, batch) in [BULK, 3 * BULK, 8 * BULK].into_iter().enumerate() {
        write_bulk(&corpus, "bulk", written, batch);
        written += batch;
        let committed = index_json(&corpus, &[]);
        let sessions = count(&committed, "sessions");
        assert_eq!(star_total(&corpus), sessions);
        // A file the running rebuild will pick up; its folder changed, so a
        // search during the run tries to update the index first.
        let late = format!("late/2020-01-0{}-test-fixture-late.txt", attempt + 1);
        corpus.write(
            &late,
            "Test fixture briefing\n\nSession I\n\nTest fixture word: wombatshine.\n",
        );
        bump_mtime(&corpus.corpus().join("late"));
        bump_mtime(&corpus.corpus());

        let live = current(&corpus);
        let mut child = spawn_index(&corpus, &["--rebuild", "--memory", "16"]);
        if !wait_for_new_generation(&corpus, &live, &mut child) {
            let out = finish(child);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            continue;
        }
        let started = Instant::now();
        let second = corpus.run("index", &[]);
        let second_took = started.elapsed();
        let search = corpus.search(&["*", "--format", "json", "--limit", "1"]);
        let search_word = corpus.search(&["wombatshine"]);
        let concurrent = running(&mut child);
        let first = finish(child);
        assert_eq!(
            first.status.code(),
            Some(0),
            "the rebuild failed: {}",
            stderr(&first)
        );
        if !concurrent {
            // The rebuild ended before the probes did: try a bigger corpus.
            continue;
        }

        assert_eq!(
            second.status.code(),
            Some(2),
            "second index: {} {}",
            stdout(&second),
            stderr(&second)
        );
        let message = stderr(&second);
        assert!(message.contains(".lock"), "{message}");
        assert!(
            second_took < Duration::from_secs(5),
            "the second run waited {second_took:?}"
        );

        assert_eq!(search.status.code(), Some(0), "{}", stderr(&search));
        let json: Value = serde_json::from_slice(&search.stdout).expect("JSON");
        assert_eq!(total(&json), sessions, "not the last commit: {json}");
        assert!(
            stderr(&search).contains("last commit"),
            "{}",
            stderr(&search)
        );
        // The late file is not in the last commit.
        assert_eq!(
            search_word.status.code(),
            Some(1),
            "{}",
            stdout(&search_word)
        );

        // Once the rebuild is done, everything is there.
        let json = corpus.search_json(&["wombatshine"]);
        assert_eq!(paths(&json), [late.as_str()], "{json}");
        assert_eq!(star_total(&corpus), sessions + 2);
        return;
    }
    eprintln!("note: every rebuild finished before a second run could race it");
}

#[test]
fn wait_flag_waits_for_the_running_index() {
    let corpus = Corpus::shipped();
    let sessions = write_bulk(&corpus, "bulk", 0, BULK) + 3;
    index_json(&corpus, &[]);
    let live = current(&corpus);
    let mut child = spawn_index(&corpus, &["--rebuild", "--memory", "16"]);
    let raced = wait_for_new_generation(&corpus, &live, &mut child);
    let waited = index_json(&corpus, &["--wait"]);
    if raced {
        // It ran after the rebuild, so it found nothing to do.
        assert_eq!(waited["wrote"], false, "{waited}");
        assert_eq!(count(&waited, "unchanged"), BULK as u64 + 1, "{waited}");
    }
    let first = finish(child);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(count(&waited, "sessions"), sessions);
    assert_eq!(star_total(&corpus), sessions);
}

#[test]
fn killed_index_runs_leave_a_searchable_index_and_the_next_run_converges() {
    let corpus = Corpus::shipped();
    let mut sessions = write_bulk(&corpus, "bulk", 0, BULK) + 3;
    let clean = index_json(&corpus, &[]);
    assert_eq!(count(&clean, "sessions"), sessions);
    assert_eq!(star_total(&corpus), sessions);

    // SIGKILL a rebuild at several points of its run.
    for delay_ms in [0, 300] {
        let live = current(&corpus);
        let mut child = spawn_index(&corpus, &["--rebuild", "--memory", "16"]);
        let started = wait_for_new_generation(&corpus, &live, &mut child);
        if started {
            sleep(Duration::from_millis(delay_ms));
        }
        // The run may have ended on its own just before: fine either way.
        let _ = child.kill();
        let status = child.wait().expect("wait");
        assert!(status.success() || status.code().is_none(), "{status:?}");
        // CURRENT names a generation that exists.
        assert!(generations(&corpus).contains(&current(&corpus)));
        // Search still answers, from the old index, without duplicates.
        let json = corpus.search_json(&["*", "--limit", "1"]);
        assert_eq!(total(&json), sessions, "killed after {delay_ms} ms: {json}");
        let json = corpus.search_json(&["bulk7x0"]);
        assert_eq!(paths(&json), ["bulk/d07/2019-01-01-test-fixture-00007.txt"]);
        // The next run converges.
        let next = index_json(&corpus, &[]);
        assert_eq!(count(&next, "sessions"), sessions, "{next}");
        assert_eq!(count(&next, "briefings"), BULK as u64 + 1, "{next}");
        assert_eq!(star_total(&corpus), sessions);
    }

    // SIGKILL an incremental run, which writes into the live generation.
    sessions += write_bulk(&corpus, "more", BULK, BULK);
    let live = current(&corpus);
    let gen_dir = corpus.index().join(&live);
    let files_before = snapshot(&gen_dir).into_keys().collect::<Vec<_>>();
    let mut child = spawn_index(&corpus, &["--memory", "16"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    // Kill it once it has written a new file (a segment) into the generation.
    while running(&mut child) && Instant::now() < deadline {
        let now: Vec<PathBuf> = std::fs::read_dir(&gen_dir)
            .expect("read generation")
            .flatten()
            .map(|e| PathBuf::from(e.file_name()))
            .collect();
        if now.iter().any(|f| !files_before.contains(f)) {
            break;
        }
        sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    child.wait().expect("wait");
    // Whatever was committed or not, the next run converges to a clean build.
    let next = index_json(&corpus, &[]);
    assert_eq!(count(&next, "sessions"), sessions, "{next}");
    assert_eq!(count(&next, "briefings"), 2 * BULK as u64 + 1, "{next}");
    assert_eq!(star_total(&corpus), sessions);
    let last = 2 * BULK - 1;
    let json = corpus.search_json(&[&format!("bulk{last}x5")]);
    assert_eq!(
        paths(&json),
        [format!(
            "more/d{:02}/2019-01-01-test-fixture-{last:05}.txt",
            last % 40
        )]
    );
    let rebuilt = index_json(&corpus, &["--rebuild"]);
    assert_eq!(count(&rebuilt, "sessions"), sessions);
    assert_eq!(star_total(&corpus), sessions);
}

#[test]
fn ctrl_c_stops_a_rebuild_and_keeps_the_previous_index() {
    let corpus = Corpus::shipped();
    let sessions = write_bulk(&corpus, "bulk", 0, BULK) + 3;
    index_json(&corpus, &[]);
    let live = current(&corpus);

    let mut child = spawn_index(&corpus, &["--rebuild", "--memory", "16"]);
    if wait_for_new_generation(&corpus, &live, &mut child) {
        let pid = child.id().to_string();
        let kill = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill -INT");
        assert!(kill.success() || !running(&mut child));
    }
    let out = finish(child);
    match out.status.code() {
        // 130, as shells and fd report a run stopped by Ctrl-C.
        Some(130) => {
            assert!(stderr(&out).contains("interrupted"), "{}", stderr(&out));
            assert_eq!(current(&corpus), live, "an interrupted rebuild went live");
        }
        Some(0) => eprintln!("note: the rebuild finished before Ctrl-C reached it"),
        other => panic!("index exited with {other:?}: {}", stderr(&out)),
    }
    let json = corpus.search_json(&["*", "--limit", "1"]);
    assert_eq!(total(&json), sessions, "{json}");
    let json = corpus.search_json(&["bulk42x3"]);
    assert_eq!(paths(&json), ["bulk/d02/2019-01-01-test-fixture-00042.txt"]);
    let next = index_json(&corpus, &[]);
    assert_eq!(count(&next, "sessions"), sessions, "{next}");
    assert_eq!(star_total(&corpus), sessions);
}

#[test]

fn leftover_generation_of_a_killed_rebuild_is_removed_by_the_next_run() {
    let corpus = Corpus::shipped();
    write_bulk(&corpus, "bulk", 0, BULK);
    index_json(&corpus, &[]);
    let live = current(&corpus);
    let mut child = spawn_index(&corpus, &["--rebuild", "--memory", "16"]);
    wait_for_new_generation(&corpus, &live, &mut child);
    let _ = child.kill();
    child.wait().expect("wait");
    // Nothing changed in the corpus: the next run has nothing to write,
    // but it holds the lock and can drop what the killed run left.
    index_json(&corpus, &[]);
    assert_eq!(generations(&corpus), [current(&corpus)]);
}

#[test]

fn searches_never_fail_while_rebuilds_complete() {
    let corpus = Corpus::shipped();
    write_bulk(&corpus, "bulk", 0, 200);
    let sessions = count(&index_json(&corpus, &[]), "sessions");
    let stop = std::sync::atomic::AtomicBool::new(false);
    let search_until_stopped = || {
        let mut failures = Vec::new();
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            let out = corpus.search(&["*", "--format", "json", "--limit", "1"]);
            if out.status.code() != Some(0) {
                failures.push(stderr(&out));
            } else {
                let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
                if total(&json) != sessions {
                    failures.push(format!("total {json}"));
                }
            }
        }
        failures
    };
    let failures: Vec<String> = std::thread::scope(|scope| {
        let searchers: Vec<_> = (0..3).map(|_| scope.spawn(search_until_stopped)).collect();
        for _ in 0..20 {
            index_json(&corpus, &["--rebuild"]);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        searchers
            .into_iter()
            .flat_map(|s| s.join().expect("searcher thread"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} searches failed: {failures:#?}",
        failures.len()
    );
}
