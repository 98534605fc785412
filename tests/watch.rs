//! Issue 23: saved searches, reported once after the index run that adds
//! or changes a matching session, rerun on demand, as text, JSON and Atom.
//!
//! Every test works on its own corpus in a temporary directory; every
//! document written here says "Test fixture" in its text.

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{Corpus, stderr, stdout};
use serde_json::Value;

const KFR: &str = "2024/2024-03-05-test-fixture-sahel.txt";
const KFR_TEXT: &str = "Test fixture briefing on the Sahel\n\n\
    Session I\n\n\
    Test fixture: participants discussed kidnapping for ransom and how ransom payments finance terrorist groups in the Sahel.\n\n\
    Session II\n\n\
    Test fixture: participants discussed border management.\n";

/// A briefing about payments that is not about kidnapping.
const OTHER: &str = "2024/2024-04-01-test-fixture-cyber.txt";
const OTHER_TEXT: &str = "Test fixture briefing on cybercrime\n\n\
    Session I\n\n\
    Test fixture: ransomware gangs demand payments in crypto-assets.\n";

/// Runs `index --format json`, expects success, and returns the summary.
fn index_json(corpus: &Corpus, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = corpus.run("index", &all);
    assert_eq!(out.status.code(), Some(0), "index: {}", stderr(&out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("index summary is not JSON ({e}): {}", stdout(&out)))
}

/// Runs `ctsearch watch <sub> --corpus … --index … args…`.
fn watch(corpus: &Corpus, sub: &str, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("ctsearch")
        .expect("binary")
        .current_dir(corpus.dir.path())
        .env_remove("NO_COLOR")
        .env_remove("CTSEARCH_TAXONOMY")
        .env_remove("CTSEARCH_WATCHES")
        .args(["watch", sub, "--corpus"])
        .arg(corpus.corpus())
        .arg("--index")
        .arg(corpus.index())
        .args(args)
        .output()
        .expect("runs")
}

/// `watch add`, expected to succeed.
fn add(corpus: &Corpus, args: &[&str]) {
    let out = watch(corpus, "add", args);
    assert_eq!(out.status.code(), Some(0), "watch add: {}", stderr(&out));
}

/// A reported hit: (path, session, status).
type Reported = (String, String, String);

/// A saved search's report: (name, new, changed, hits sorted).
type Report = (String, u64, u64, Vec<Reported>);

/// The reports of an index summary, in saved search name order.
fn reports(summary: &Value) -> Vec<Report> {
    summary["watches"]
        .as_array()
        .unwrap_or_else(|| panic!("no watches in {summary}"))
        .iter()
        .map(|r| {
            let hits = r["hits"]
                .as_array()
                .map(|hits| {
                    hits.iter()
                        .map(|h| {
                            (
                                h["path"].as_str().unwrap_or_default().to_string(),
                                h["session"].as_str().unwrap_or_default().to_string(),
                                h["status"].as_str().unwrap_or_default().to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut hits: Vec<Reported> = hits;
            hits.sort();
            (
                r["name"].as_str().unwrap_or_default().to_string(),
                r["new"].as_u64().unwrap_or(u64::MAX),
                r["changed"].as_u64().unwrap_or(u64::MAX),
                hits,
            )
        })
        .collect()
}

fn hit(path: &str, session: &str, status: &str) -> Reported {
    (path.into(), session.into(), status.into())
}

/// Rewrites a corpus file with a later modification time, so that the
/// index run sees the edit whatever the clock's resolution.
fn edit(corpus: &Corpus, rel: &str, text: &str) {
    corpus.write(rel, text);
    let later = filetime::FileTime::from_system_time(SystemTime::now() + Duration::from_secs(5));
    filetime::set_file_mtime(corpus.corpus().join(rel), later).expect("set mtime");
}

/// A corpus with the shipped briefing, indexed, and the saved search
/// `kfr --crime kidnapping-for-ransom ransom`.
fn with_kfr() -> Corpus {
    let corpus = Corpus::shipped();
    index_json(&corpus, &[]);
    add(
        &corpus,
        &["kfr", "--crime", "kidnapping-for-ransom", "ransom"],
    );
    corpus
}

#[test]
fn a_new_session_is_reported_once_and_again_only_when_it_changes() {
    let corpus = with_kfr();
    corpus.write(KFR, KFR_TEXT);
    let first = index_json(&corpus, &[]);
    assert_eq!(
        reports(&first),
        [("kfr".into(), 1, 0, vec![hit(KFR, "Session I", "new")])],
        "{first}"
    );
    // The summary's own fields are still there.
    assert_eq!(first["added"], 1, "{first}");

    let again = index_json(&corpus, &[]);
    assert_eq!(reports(&again), [], "{again}");

    // A rebuild writes every briefing again: nothing is new.
    let rebuilt = index_json(&corpus, &["--rebuild"]);
    assert_eq!(reports(&rebuilt), [], "{rebuilt}");

    edit(
        &corpus,
        KFR,
        &KFR_TEXT.replace("in the Sahel.", "in the Sahel and in the Lake Chad basin."),
    );
    let changed = index_json(&corpus, &[]);
    assert_eq!(
        reports(&changed),
        [("kfr".into(), 0, 1, vec![hit(KFR, "Session I", "changed")])],
        "{changed}"
    );
    assert_eq!(reports(&index_json(&corpus, &[])), []);
}

#[test]
fn text_reports_follow_the_summary_and_search_reports_on_stderr() {
    let corpus = with_kfr();
    corpus.write(KFR, KFR_TEXT);
    // The automatic index run before a search reports on stderr; the
    // results on stdout stay those of the search alone.
    let out = corpus.search(&["nothing-matches-this-word", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let results: Value = serde_json::from_slice(&out.stdout).expect("search JSON");
    assert_eq!(results["total"], 0);
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON report on stderr: {err}"));
    let report: Value = serde_json::from_str(line).expect("report JSON");
    assert_eq!(report["name"], "kfr");
    assert_eq!(report["new"], 1);
    assert_eq!(report["hits"][0]["path"], KFR);

    // The next run reports nothing.
    let out = corpus.search(&["anything"]);
    assert!(!stderr(&out).contains("kfr"), "{}", stderr(&out));

    // Text: the headline and the hit as search shows it, after the summary.
    corpus.write(
        "2024/2024-05-01-test-fixture-ransom-two.txt",
        "Test fixture briefing\n\nSession III\n\nTest fixture: a kidnapping and a ransom paid in cash.\n",
    );
    let out = corpus.run("index", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let summary_at = text.find("added 1").expect("summary");
    let headline_at = text.find("kfr: 1 new session\n").expect("headline");
    assert!(summary_at < headline_at, "{text}");
    assert!(
        text.contains("2024/2024-05-01-test-fixture-ransom-two.txt › Session III"),
        "{text}"
    );
    assert!(text.contains("[kidnapping-for-ransom]"), "{text}");
    assert!(text.contains("a ransom paid in cash"), "{text}");
}

#[test]
fn a_filtered_search_reports_only_sessions_that_pass_its_filters() {
    let corpus = Corpus::shipped();
    index_json(&corpus, &[]);
    add(&corpus, &["payments", "payments"]);
    add(
        &corpus,
        &[
            "kfr-payments",
            "--crime",
            "kidnapping-for-ransom",
            "payments",
        ],
    );
    add(&corpus, &["old-payments", "--year", "2019", "payments"]);
    corpus.write(KFR, KFR_TEXT);
    corpus.write(OTHER, OTHER_TEXT);
    let summary = index_json(&corpus, &[]);
    assert_eq!(
        reports(&summary),
        [
            (
                "kfr-payments".into(),
                1,
                0,
                vec![hit(KFR, "Session I", "new")]
            ),
            (
                "payments".into(),
                2,
                0,
                vec![hit(KFR, "Session I", "new"), hit(OTHER, "Session I", "new")]
            ),
        ],
        "{summary}"
    );
}

#[test]
fn a_run_killed_before_recording_reports_on_the_next_run() {
    let corpus = with_kfr();
    let state = corpus.dir.path().join("index.watches.state.jsonl");
    let before = std::fs::read(&state).expect("state written by add");
    corpus.write(KFR, KFR_TEXT);
    let first = index_json(&corpus, &[]);
    assert_eq!(reports(&first).len(), 1, "{first}");
    // As if the run had died after committing the index and before
    // recording the report: the state is the one before it.
    std::fs::write(&state, &before).expect("restore state");
    let next = index_json(&corpus, &[]);
    assert_eq!(next["wrote"], false, "{next}");
    assert_eq!(
        reports(&next),
        [("kfr".into(), 1, 0, vec![hit(KFR, "Session I", "new")])],
        "{next}"
    );
    assert_eq!(reports(&index_json(&corpus, &[])), []);

    // The same after a search's automatic run; a quiet search checks
    // nothing and leaves it to the next run.
    std::fs::write(&state, &before).expect("restore state");
    let quiet = corpus.search(&["anything", "--quiet"]);
    assert!(!stderr(&quiet).contains("kfr"), "{}", stderr(&quiet));
    let out = corpus.search(&["anything"]);
    assert!(
        stderr(&out).contains("kfr: 1 new session"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn atom_output_is_a_feed_with_one_entry_per_new_session() {
    let corpus = with_kfr();
    corpus.write(KFR, KFR_TEXT);
    // Hostile text: markup, an entity, a control character.
    corpus.write(
        "2024/2024-06-01-test-fixture-hostile.txt",
        "Test fixture <b>briefing</b> & more\n\nSession I\n\nTest fixture: kidnapping \u{1b}[31m for ransom <script>alert(1)</script> & co.\n",
    );
    // A search whose index run is quiet leaves both sessions unreported.
    let out = corpus.search(&["anything", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let out = watch(&corpus, "run", &["kfr", "--format", "atom"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = stdout(&out);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let child = |node: roxmltree::Node<'_, '_>, name: &str| -> String {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    assert!(!child(feed, "id").is_empty());
    assert!(!child(feed, "title").is_empty());
    let rfc3339 = |s: &str| {
        s.len() == 20 && s.as_bytes()[10] == b'T' && s.ends_with('Z') && s.as_bytes()[4] == b'-'
    };
    assert!(rfc3339(&child(feed, "updated")), "{xml}");
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 2, "{xml}");
    let ids: Vec<String> = entries.iter().map(|e| child(*e, "id")).collect();
    assert!(
        ids.iter().all(|id| id.starts_with("urn:ctsearch:")),
        "{ids:?}"
    );
    assert_ne!(ids[0], ids[1]);
    assert!(entries.iter().all(|e| rfc3339(&child(*e, "updated"))));
    let contents: String = entries.iter().map(|e| child(*e, "content")).collect();
    assert!(
        contents.contains("<script>alert(1)</script> & co."),
        "{contents}"
    );
    assert!(!contents.contains('\u{1b}'));

    // They are seen now; the ids stay the same in a feed of every match.
    let out = watch(&corpus, "run", &["kfr", "--format", "atom"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let xml = stdout(&out);
    let doc = roxmltree::Document::parse(&xml).expect("empty feed parses");
    assert_eq!(
        doc.root_element()
            .children()
            .filter(|c| c.tag_name().name() == "entry")
            .count(),
        0
    );
    let out = watch(&corpus, "run", &["kfr", "--all", "--format", "atom"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = stdout(&out);
    let doc = roxmltree::Document::parse(&xml).expect("feed parses");
    let mut again: Vec<String> = doc
        .root_element()
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|e| child(e, "id"))
        .collect();
    let mut ids = ids;
    ids.sort();
    again.sort();
    assert_eq!(again, ids);
}

#[test]
fn run_lists_new_all_or_since_a_date_in_json() {
    let corpus = with_kfr();
    corpus.write(KFR, KFR_TEXT);
    corpus.write(
        "2019/2019-01-10-test-fixture-old-ransom.txt",
        "Test fixture briefing\n\nSession I\n\nTest fixture: a kidnapping for ransom in 2019.\n",
    );
    let out = corpus.search(&["anything", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let run = |args: &[&str]| -> Value {
        let mut all = vec!["kfr", "--format", "json"];
        all.extend(args);
        let out = watch(&corpus, "run", &all);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let new = run(&[]);
    assert_eq!(new["watches"][0]["new"], 2, "{new}");
    assert_eq!(new["watches"][0]["hits"].as_array().map(Vec::len), Some(2));
    let nothing = run(&[]);
    assert_eq!(nothing["watches"][0]["hits"], Value::Array(vec![]));
    let all = run(&["--all"]);
    let statuses: Vec<&str> = all["watches"][0]["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["seen", "seen"], "{all}");
    let since = run(&["--since", "2020-01-01"]);
    let paths: Vec<&str> = since["watches"][0]["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["path"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(paths, [KFR], "{since}");
    let bad = watch(&corpus, "run", &["kfr", "--since", "last week"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_bad_query_or_unknown_value_fails_to_add_with_searchs_message() {
    let corpus = Corpus::shipped();
    for args in [
        &["--crime", "kidnaping", "ransom"][..],
        &["\"ransom payments"][..],
        &["(ransom"][..],
        &["--session", "XLVII", "ransom"][..],
        &["--org", "NOSUCHORG", "ransom"][..],
    ] {
        let searched = corpus.search(args);
        assert_eq!(searched.status.code(), Some(2), "{args:?}");
        let mut add_args = vec!["bad"];
        add_args.extend(args);
        let added = watch(&corpus, "add", &add_args);
        assert_eq!(added.status.code(), Some(2), "{args:?}");
        let message = stderr(&searched);
        let message = message.lines().last().unwrap_or_default();
        assert!(message.starts_with("ctsearch: "), "{message}");
        assert_eq!(stderr(&added).lines().last(), Some(message), "{args:?}");
    }
    let list = watch(&corpus, "list", &[]);
    assert_eq!(list.status.code(), Some(1));
    assert_eq!(stdout(&list), "");
}

#[test]
fn names_are_unique_unless_replaced_and_can_be_listed_and_removed() {
    let corpus = with_kfr();
    let out = watch(&corpus, "add", &["kfr", "hostage"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--replace"), "{}", stderr(&out));
    let out = watch(&corpus, "add", &["no good", "hostage"]);
    assert_eq!(out.status.code(), Some(2));
    add(&corpus, &["kfr", "--replace", "--year", "2024", "hostage"]);
    add(&corpus, &["fatf", "--org", "FATF", "crypto-assets"]);
    let out = watch(&corpus, "list", &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "fatf\tcrypto-assets\t--org FATF\nkfr\thostage\t--year 2024\n"
    );
    let out = watch(&corpus, "rm", &["kfr"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = watch(&corpus, "rm", &["kfr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("fatf"), "{}", stderr(&out));
    assert_eq!(
        stdout(&watch(&corpus, "list", &[])),
        "fatf\tcrypto-assets\t--org FATF\n"
    );
}

#[test]
fn the_file_sits_beside_the_index_unless_told_otherwise() {
    let corpus = with_kfr();
    let beside = corpus.dir.path().join("index.watches.toml");
    let text = std::fs::read_to_string(&beside).expect("beside the index");
    assert!(
        text.contains("[kfr]") && text.contains("kidnapping-for-ransom"),
        "{text}"
    );
    assert!(!corpus.index().join("index.watches.toml").exists());

    // --watches and CTSEARCH_WATCHES name another file, for every command.
    let elsewhere = corpus.dir.path().join("mine.toml");
    let elsewhere_arg = elsewhere.to_string_lossy().to_string();
    add(&corpus, &["--watches", &elsewhere_arg, "mine", "ransom"]);
    assert!(elsewhere.exists());
    assert!(
        !std::fs::read_to_string(&beside)
            .expect("read")
            .contains("[mine]")
    );
    corpus.write(KFR, KFR_TEXT);
    let summary = index_json(&corpus, &["--watches", &elsewhere_arg]);
    let names: Vec<String> = reports(&summary).into_iter().map(|r| r.0).collect();
    assert_eq!(names, ["mine"], "{summary}");
    let out = assert_cmd::Command::cargo_bin("ctsearch")
        .expect("binary")
        .current_dir(corpus.dir.path())
        .env("CTSEARCH_WATCHES", &elsewhere)
        .args(["watch", "list", "--index"])
        .arg(corpus.index())
        .output()
        .expect("runs");
    assert_eq!(stdout(&out), "mine\transom\n");
    // The file beside the index was not consulted by that run: kfr still
    // has its report to make.
    let summary = index_json(&corpus, &[]);
    let names: Vec<String> = reports(&summary).into_iter().map(|r| r.0).collect();
    assert_eq!(names, ["kfr"], "{summary}");
    assert!(Path::new(&beside).exists());
}

#[test]
fn a_moved_briefing_is_not_news() {
    let corpus = with_kfr();
    corpus.write(KFR, KFR_TEXT);
    assert_eq!(reports(&index_json(&corpus, &[])).len(), 1);
    let moved = "2024/archive/2024-03-05-test-fixture-sahel.txt";
    std::fs::create_dir_all(corpus.corpus().join("2024/archive")).expect("mkdir");
    std::fs::rename(corpus.corpus().join(KFR), corpus.corpus().join(moved)).expect("move");
    let summary = index_json(&corpus, &[]);
    assert_eq!(summary["renamed"], 1, "{summary}");
    assert_eq!(reports(&summary), [], "{summary}");
}

#[test]
fn a_search_broken_by_hand_is_a_warning_and_the_others_still_report() {
    let corpus = with_kfr();
    let file = corpus.dir.path().join("index.watches.toml");
    let mut text = std::fs::read_to_string(&file).expect("read");
    text.push_str("\n[broken]\nquery = \"(ransom\"\n");
    std::fs::write(&file, text).expect("write");
    corpus.write(KFR, KFR_TEXT);
    let out = corpus.run("index", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("saved search broken not checked"),
        "{}",
        stderr(&out)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let names: Vec<String> = reports(&summary).into_iter().map(|r| r.0).collect();
    assert_eq!(names, ["kfr"], "{summary}");
}

/// Issue 29: `watch run --remote` runs the saved searches on a Quickwit
/// node holding the export, and reports what the local run would.
#[test]
fn saved_searches_run_on_a_remote_node_report_what_they_report_locally() {
    let Ok(bin) = std::env::var("QUICKWIT_BIN") else {
        println!("skipped: QUICKWIT_BIN not set");
        return;
    };
    let corpus = with_kfr();
    let node = common::quickwit::start_quickwit(&bin);
    let export = || {
        let out = corpus.run("export", &["--to", "quickwit", "--url", &node.url, "-q"]);
        assert_eq!(out.status.code(), Some(0), "export: {}", stderr(&out));
    };
    export();
    let run = |args: &[&str]| -> (Option<i32>, Value) {
        let mut all = vec!["kfr", "--format", "json", "--remote", &node.url];
        all.extend(args);
        let out = watch(&corpus, "run", &all);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        let json = serde_json::from_slice(&out.stdout).expect("JSON");
        (out.status.code(), json)
    };
    // What was matching when the search was added is not news on the node.
    let (code, nothing) = run(&[]);
    assert_eq!(code, Some(1), "{nothing}");
    assert_eq!(nothing["watches"][0]["hits"], Value::Array(vec![]));

    // A new briefing reaches the node: reported once, as new.
    corpus.write(KFR, KFR_TEXT);
    export();
    let (code, new) = run(&[]);
    assert_eq!(code, Some(0), "{new}");
    assert_eq!(
        reports(&new),
        [("kfr".to_string(), 1, 0, vec![hit(KFR, "Session I", "new")])]
    );
    let (code, again) = run(&[]);
    assert_eq!(code, Some(1), "{again}");

    // The local index and the node each keep what they reported: the
    // local run reports the new briefing once too, and neither run makes
    // the other report anything again.
    let local = |args: &[&str]| {
        let mut all = vec!["kfr", "--format", "json"];
        all.extend(args);
        watch(&corpus, "run", &all)
    };
    let first = local(&[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let first: Value = serde_json::from_slice(&first.stdout).expect("JSON");
    assert_eq!(first["watches"][0]["new"], 1, "{first}");
    assert_eq!(local(&[]).status.code(), Some(1));
    let (code, after) = run(&[]);
    assert_eq!(code, Some(1), "{after}");
    assert_eq!(local(&[]).status.code(), Some(1));

    // `--all` lists what the local run lists.
    let (_, remote_all) = run(&["--all"]);
    let local_all = watch(&corpus, "run", &["kfr", "--format", "json", "--all"]);
    let local_all: Value = serde_json::from_slice(&local_all.stdout).expect("JSON");
    let listed = |v: &Value| -> Vec<(String, String)> {
        let mut hits: Vec<(String, String)> = v["watches"][0]["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| {
                (
                    h["path"].as_str().unwrap_or_default().to_string(),
                    h["session"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        hits.sort();
        hits
    };
    assert_eq!(listed(&remote_all), listed(&local_all));
    assert!(listed(&remote_all).contains(&(KFR.to_string(), "Session I".to_string())));
}

#[test]
fn a_saved_search_of_filters_alone_follows_new_citers() {
    let corpus = Corpus::empty();
    corpus.write(
        "S-RES-1535(2004).txt",
        "Resolution 1535 (2004)\nAdopted by the Security Council at its 4936th meeting, on 26 March 2004\n\nThe Security Council,\n\nReaffirming its resolution 1373 (2001),\n\n1. Decides to establish the Directorate;\n",
    );
    add(&corpus, &["citers", "--cites", "1373"]);
    let nothing = watch(&corpus, "add", &["empty"]);
    assert_eq!(nothing.status.code(), Some(2), "{}", stderr(&nothing));
    corpus.write(
        "S-RES-2129(2013).txt",
        "Resolution 2129 (2013)\nAdopted by the Security Council at its 7086th meeting, on 17 December 2013\n\nThe Security Council,\n\nRecalling its resolution 1373 (2001),\n\n1. Decides that the Directorate will continue to operate.\n",
    );
    let out = watch(&corpus, "run", &["citers", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let run: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        reports(&run),
        [(
            "citers".to_string(),
            1,
            0,
            vec![hit("S-RES-2129(2013).txt", "Preamble", "new")]
        )]
    );
    let since = watch(&corpus, "run", &["citers", "--since", "2020-13-45"]);
    assert_eq!(since.status.code(), Some(2));
}
