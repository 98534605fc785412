//! Every command runs in one context: the same flags and environment give
//! the same match set in `search`, `facets` and `show`, and filters are
//! checked alike for every facet.

mod common;

use assert_cmd::Command;
use common::{Corpus, stderr, stdout};

/// Runs `ctsearch <sub> --corpus … --index … args…` with `CTSEARCH_SYNONYMS`.
fn run_with_synonyms(
    corpus: &Corpus,
    synonyms: &std::path::Path,
    sub: &str,
    args: &[&str],
) -> std::process::Output {
    Command::cargo_bin("ctsearch")
        .expect("binary")
        .env("CTSEARCH_SYNONYMS", synonyms)
        .env_remove("CTSEARCH_TAXONOMY")
        .arg(sub)
        .arg("--corpus")
        .arg(corpus.corpus())
        .arg("--index")
        .arg(corpus.index())
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn search_facets_and_show_agree_under_a_user_synonym_file() {
    let corpus = Corpus::shipped();
    let synonyms = corpus.corpus().join("../test-fixture-synonyms.txt");
    // "zebrafoo" is in no document: only the synonym file makes it match.
    std::fs::write(&synonyms, "zebrafoo, weapons\n").expect("write synonyms");
    let out = run_with_synonyms(
        &corpus,
        &synonyms,
        "search",
        &["zebrafoo", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let total = json["total"].as_u64().expect("total");
    assert!(total > 0, "{json}");

    let out = run_with_synonyms(&corpus, &synonyms, "facets", &["zebrafoo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!("{total} sessions in ")),
        "{}",
        stdout(&out)
    );

    let path = json["hits"][0]["path"].as_str().expect("path").to_string();
    let out = run_with_synonyms(
        &corpus,
        &synonyms,
        "show",
        &[&path, "zebrafoo", "--color", "always"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\x1b["),
        "show highlights the synonym: {}",
        stdout(&out)
    );
}

#[test]
fn unknown_filter_values_fail_alike_for_every_facet() {
    let corpus = Corpus::shipped();
    for args in [
        vec!["weapons", "--org", "NOSUCHORG"],
        vec!["weapons", "--crime", "nosuchcrime"],
        vec!["weapons", "--session", "XLVII"],
        vec!["weapons org:NOSUCHORG"],
        vec!["weapons crime:nosuchcrime"],
    ] {
        let out = corpus.search(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("unknown"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("(valid: "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    // The same check in `facets`.
    let out = corpus.run("facets", &["--org", "NOSUCHORG"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    // A known organization typed in another case is fine.
    let out = corpus.search(&["weapons", "--org", "unodc"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
