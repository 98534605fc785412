//! Bad files, hostile queries and index faults: clear messages, exit codes
//! 0/1/2, never a panic, nothing lost. Documents here are test fixtures.

mod common;

use common::{Corpus, SEED, sessions, stderr, stdout};

#[test]
fn bad_files_are_listed_and_the_rest_is_indexed() {
    let corpus = Corpus::shipped();
    corpus.write("bad/image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    corpus.write(
        "bad/random.txt",
        (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect::<Vec<u8>>(),
    );
    corpus.write(
        "bad/latin1.txt",
        b"Test fixture caf\xe9 on weapons smuggling.\n",
    );
    corpus.write("bad/empty.txt", b"");
    corpus.write("bad/big.txt", "Test fixture weapons. ".repeat(10_000));
    corpus.write(
        "bad/nul.md",
        b"Test fixture with a NUL\0byte about weapons.\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", corpus.corpus().join("bad/loop")).expect("symlink");
    let out = corpus.run("index", &["--max-file-size", "100000", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json summary");
    let reason = |path: &str, list: &str| {
        summary[list]
            .as_array()
            .and_then(|l| l.iter().find(|s| s["path"] == path))
            .map(|s| s["reason"].as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|| panic!("{path} not in {list}: {summary}"))
    };
    assert!(reason("bad/image.png", "skipped").contains("unsupported"));
    assert_eq!(reason("bad/random.txt", "skipped"), "binary");
    assert_eq!(reason("bad/empty.txt", "skipped"), "empty");
    assert!(reason("bad/big.txt", "skipped").contains("too large"));
    #[cfg(unix)]
    assert!(reason("bad/loop", "skipped").contains("loop"));
    assert!(reason("bad/latin1.txt", "warnings").contains("UTF-8"));
    assert!(reason("bad/nul.md", "warnings").contains("NUL"));
    // The seed and the repaired files are all searchable.
    let json = corpus.search_json(&["weapons", "--limit", "20"]);
    let paths = common::paths(&json);
    for expected in [SEED, "bad/latin1.txt", "bad/nul.md"] {
        assert!(paths.iter().any(|p| p == expected), "{expected}: {paths:?}");
    }
}

#[test]
fn hostile_queries_never_panic() {
    let corpus = Corpus::shipped();
    corpus.run("index", &[]);
    let long = (0..10_000)
        .map(|i| format!("w{}", i % 700))
        .collect::<Vec<_>>()
        .join(" ");
    let deep = "(".repeat(5000) + "arms" + &")".repeat(5000);
    let queries = [
        long.as_str(),
        "the of and a",
        "?!.,;:",
        "\"unbalanced",
        "(arms OR",
        "unknown:field",
        "*",
        deep.as_str(),
        "ctrl\u{1}chars\u{7}here",
        "-",
        "NOT",
        "title:",
        "\"\"",
        "crime:",
        "traffick*~",
        "~2",
    ];
    for q in queries {
        let out = corpus.search(&["--", q]);
        let code = out.status.code();
        assert!(matches!(code, Some(0..=2)), "{q:.40}: {code:?}");
        assert!(
            !stderr(&out).contains("panicked"),
            "{q:.40}: {}",
            stderr(&out)
        );
    }
    assert_eq!(corpus.search(&["--", "*"]).status.code(), Some(0));
}

/// `--limit` and `--passages` may be any number: a limit of a trillion
/// or of 2^64 - 1 once asked for that much memory up front and aborted.
#[test]
fn huge_limits_return_every_match() {
    let corpus = Corpus::shipped();
    let normal = corpus.search_json(&["weapons", "--limit", "1000"]);
    for limit in ["1000000000000", "18446744073709551615"] {
        let out = corpus.search(&["weapons", "--limit", limit, "--passages", limit]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let json = corpus.search_json(&["weapons", "--limit", limit]);
        assert_eq!(json["hits"], normal["hits"]);
    }
}

/// Found by fuzzing (fuzz/regressions/query/): a word plus an excluded
/// phrase tripped a debug assertion inside tantivy.
#[test]
fn excluded_phrase_is_excluded_without_a_panic() {
    let corpus = Corpus::shipped();
    let out = corpus.search(&["terrorism -\"arms trafficking\"", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found = sessions(&json);
    assert!(!found.is_empty());
    assert!(!found.contains(&"Session III".to_string()), "{found:?}");
}

#[cfg(unix)]
#[test]
fn invalid_utf8_argument_is_an_error_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let corpus = Corpus::shipped();
    let out = assert_cmd::Command::cargo_bin("ctsearch")
        .expect("binary")
        .arg("search")
        .arg(std::ffi::OsStr::from_bytes(b"\xff\xfe"))
        .arg("--corpus")
        .arg(corpus.corpus())
        .arg("--index")
        .arg(corpus.index())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn damaged_index_says_to_rebuild_and_rebuild_restores_it() {
    let corpus = Corpus::shipped();
    corpus.run("index", &[]);
    let current = std::fs::read_to_string(corpus.index().join("CURRENT")).expect("CURRENT");
    let generation = corpus.index().join(current.trim());
    for entry in std::fs::read_dir(&generation).expect("generation") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "store") {
            std::fs::write(&path, b"truncated").expect("truncate");
        }
    }
    let out = corpus.search(&["weapons"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--rebuild"), "{}", stderr(&out));
    let rebuilt = corpus.run("index", &["--rebuild"]);
    assert_eq!(rebuilt.status.code(), Some(0), "{}", stderr(&rebuilt));
    let json = corpus.search_json(&["weapons"]);
    assert_eq!(sessions(&json)[0], "Session III");
}

#[test]
fn missing_meta_and_index_path_that_is_a_file() {
    let corpus = Corpus::shipped();
    corpus.run("index", &[]);
    let current = std::fs::read_to_string(corpus.index().join("CURRENT")).expect("CURRENT");
    std::fs::remove_file(corpus.index().join(current.trim()).join("meta.json")).expect("rm");
    let out = corpus.search(&["weapons"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--rebuild"), "{}", stderr(&out));

    let file_index = Corpus::shipped();
    std::fs::write(file_index.index(), b"not a directory").expect("write");
    let out = file_index.search(&["weapons"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a directory"), "{}", stderr(&out));
}

#[test]
fn the_corpus_is_never_written() {
    let corpus = Corpus::shipped();
    let before: Vec<_> = walk(&corpus.corpus());
    corpus.run("index", &[]);
    corpus.search(&["weapons"]);
    corpus.run("index", &["--rebuild"]);
    assert_eq!(walk(&corpus.corpus()), before);
    assert!(stdout(&corpus.search(&["weapons"])).contains("Session III"));
}

fn walk(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push((
                path.to_string_lossy().into(),
                std::fs::read(&path).expect("read"),
            ));
        }
    }
    out.sort();
    out
}
