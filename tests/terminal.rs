//! The terminal experience and output for programs.
//! Documents written here are test fixtures, not real briefings.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{Corpus, SEED, stderr, stdout};

#[test]
fn formats_for_programs() {
    let corpus = Corpus::shipped();
    let paths = corpus.search(&["weapons", "--format", "paths"]);
    assert_eq!(paths.status.code(), Some(0));
    let expected = corpus.corpus().join(SEED);
    assert_eq!(stdout(&paths).trim(), expected.to_string_lossy());
    let jsonl = corpus.search(&["terrorist", "--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = stdout(&jsonl)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert!(lines.len() >= 2);
    assert!(
        lines
            .iter()
            .all(|h| h["path"] == SEED && h["session"].is_string())
    );
}

#[test]
fn no_color_env_and_pipes_get_no_escape_codes() {
    let corpus = Corpus::shipped();
    let out = assert_cmd::Command::cargo_bin("ctsearch")
        .expect("binary")
        .env("NO_COLOR", "1")
        .args(["search", "weapons", "--corpus"])
        .arg(corpus.corpus())
        .arg("--index")
        .arg(corpus.index())
        .output()
        .expect("runs");
    assert!(!stdout(&out).contains('\x1b'));
    assert!(stdout(&out).contains("crime:"), "facet counts are shown");
    assert!(stdout(&out).contains("matched in"), "summary line");
}

#[test]
fn facets_and_stats_commands() {
    let corpus = Corpus::shipped();
    let facets = corpus.run("facets", &["--json"]);
    assert_eq!(facets.status.code(), Some(0), "{}", stderr(&facets));
    let json: serde_json::Value = serde_json::from_slice(&facets.stdout).expect("json");
    assert_eq!(json["crime"]["arms-trafficking"], 2);
    assert_eq!(json["session"]["Session III"], 1);
    let text = stdout(&corpus.run("facets", &["weapons"]));
    assert!(text.contains("arms-trafficking"), "{text}");
    let stats = stdout(&corpus.run("stats", &[]));
    assert!(stats.contains("documents:    1"), "{stats}");
    assert!(stats.contains("sessions:     3"), "{stats}");
    assert!(stats.contains("passages:"), "{stats}");
    assert!(stats.contains("index size:"), "{stats}");
    assert!(stats.contains("last updated:"), "{stats}");
}

#[test]
fn show_prints_a_session_with_highlights() {
    let corpus = Corpus::shipped();
    let out = corpus.run(
        "show",
        &[SEED, "--session", "III", "--color", "always", "weapons"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("== Session III =="), "{text}");
    assert!(text.contains("\x1b[1;31mweapons\x1b[0m"));
    assert!(!text.contains("Introductory session"));
    let missing = corpus.run("show", &["nope.txt"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn completions_and_man_page() {
    let corpus = Corpus::empty();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = corpus.run_plain(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("ctsearch"));
    }
    let man = corpus.run_plain(&["man"]);
    assert!(stdout(&man).contains(".TH ctsearch"));
    let help = corpus.run_plain(&["search", "--help"]);
    assert!(stdout(&help).contains("Examples:"));
}

#[test]
fn unknown_filter_values_suggest_the_closest() {
    let corpus = Corpus::shipped();
    let out = corpus.search(&["weapons", "--crime", "arms"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown crime type \"arms\"; did you mean arms-trafficking?"));
    let out = corpus.search(&["weapons", "--session", "VII"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown session"), "{}", stderr(&out));
    let out = corpus.search(&["weapons", "--org", "UNODCC"]);
    assert!(
        stderr(&out).contains("did you mean UNODC"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hostile_document_cannot_drive_the_terminal() {
    let corpus = Corpus::empty();
    corpus.write(
        "fixture.txt",
        "Test fixture: weapons \x1b[2J\x1b[31mred\x1b]0;title\x07 and \u{202E}reversed.\n",
    );
    let out = corpus.search(&["weapons", "--color", "always"]);
    let text = stdout(&out);
    assert!(!text.contains("\x1b[2J") && !text.contains("\x1b[31m") && !text.contains('\x07'));
    assert!(!text.contains('\u{202E}'));
    let json = corpus.search_json(&["weapons"]);
    assert!(
        json["hits"][0]["passage"]
            .as_str()
            .expect("passage")
            .contains('\x1b')
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    let corpus = weapons_fixtures(200);
    corpus.run("index", &[]);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ctsearch"))
        .args(["search", "weapons", "--limit", "200", "--corpus"])
        .arg(corpus.corpus())
        .arg("--index")
        .arg(corpus.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Read one byte, then close our end like `head -c1` would.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).expect("some output");
    drop(stdout);
    let status = child.wait().expect("wait");
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err).expect("stderr");
    }
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// Started with stdout closed (`>&-`), an index run succeeds and its
/// index is whole. (The binary opens `/dev/null` on a closed standard
/// stream before anything else, see `src/main.rs`; this checks the run,
/// not which descriptor each file gets.)
#[cfg(unix)]
#[test]
fn closed_stdout_still_indexes_and_exits_zero() {
    let corpus = weapons_fixtures(20);
    let bin = assert_cmd::cargo::cargo_bin("ctsearch");
    let status = Command::new("sh")
        .arg("-c")
        .arg("\"$0\" index --corpus \"$1\" --index \"$2\" >&-")
        .arg(&bin)
        .arg(corpus.corpus())
        .arg(corpus.index())
        .status()
        .expect("spawn sh");
    assert_eq!(status.code(), Some(0));
    let out = corpus.run("search", &["weapons", "--format", "paths", "--limit", "50"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 20, "{}", stdout(&out));
}

/// A corpus of `n` one-line fixtures that all mention weapons.
fn weapons_fixtures(n: usize) -> Corpus {
    let corpus = Corpus::empty();
    for i in 0..n {
        corpus.write(
            &format!("f{i}.txt"),
            format!("Test fixture {i} about weapons.\n"),
        );
    }
    corpus
}

/// An archive has thousands of symbols: `stats` and `facets` list the most
/// frequent values of each facet and say how many more there are; `--all`
/// and `--json` give every value.
#[test]
fn facet_listings_show_the_top_values_unless_all() {
    let corpus = Corpus::empty();
    for n in 1..=20u32 {
        let year = 1950 + n;
        // Test fixture in the shape of a yearbook-era resolution.
        corpus.write(
            &format!("S-RES-{n}({year}).txt"),
            format!(
                "Resolution {n} ({year}) of 3 March {year}\n\nThe Security Council,\n\n\
                 Noting the report on maritime security,\n\n1. Decides to remain seized of the matter.\n"
            ),
        );
    }
    let stats = stdout(&corpus.run("stats", &[]));
    assert!(stats.contains("documents:    20"), "{stats}");
    assert!(stats.contains("… and 5 more (--all)"), "{stats}");
    assert_eq!(stats.matches("S/RES/").count(), 15, "{stats}");
    let all = stdout(&corpus.run("stats", &["--all"]));
    assert_eq!(all.matches("S/RES/").count(), 20, "{all}");
    assert!(!all.contains("more (--all)"), "{all}");
    let facets = stdout(&corpus.run("facets", &["maritime"]));
    assert!(
        facets.starts_with("20 sessions in 20 documents"),
        "{facets}"
    );
    assert_eq!(facets.matches("S/RES/").count(), 15, "{facets}");
    let json: serde_json::Value =
        serde_json::from_slice(&corpus.run("facets", &["--json"]).stdout).expect("json");
    assert_eq!(json["symbol"].as_object().map(|m| m.len()), Some(20));
}
