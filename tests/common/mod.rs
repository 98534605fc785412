//! Test helpers: a corpus in a temp dir and the real `ctsearch` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub mod council;
pub mod pdf;
pub mod quickwit;
pub mod serve;
use serde_json::Value;

pub const SEED: &str = "2018/2018-10-08-ctc-open-briefing-terrorism-crime-nexus.txt";

/// A corpus and an index in a temporary directory.
pub struct Corpus {
    pub dir: tempfile::TempDir,
}

impl Corpus {
    /// An empty corpus.
    pub fn empty() -> Corpus {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("corpus")).expect("corpus dir");
        Corpus { dir }
    }

    /// A copy of the shipped corpus (the seed briefing and its sidecar).
    pub fn shipped() -> Corpus {
        let corpus = Corpus::empty();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        copy_dir(&src, &corpus.corpus());
        corpus
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Writes a file into the corpus (creating folders).
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let path = self.corpus().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write fixture");
    }

    /// Runs `ctsearch <sub> --corpus … --index … args…`.
    pub fn run(&self, sub: &str, args: &[&str]) -> Output {
        Command::cargo_bin("ctsearch")
            .expect("binary")
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .env_remove("CTSEARCH_TAXONOMY")
            .arg(sub)
            .arg("--corpus")
            .arg(self.corpus())
            .arg("--index")
            .arg(self.index())
            .args(args)
            .output()
            .expect("runs")
    }

    /// Runs `ctsearch args…` without corpus and index flags.
    pub fn run_plain(&self, args: &[&str]) -> Output {
        Command::cargo_bin("ctsearch")
            .expect("binary")
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .expect("runs")
    }

    pub fn search(&self, args: &[&str]) -> Output {
        self.run("search", args)
    }

    /// Runs a search with `--format json` and parses the output.
    pub fn search_json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.search(&all);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "search failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("valid JSON")
    }
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for entry in std::fs::read_dir(src).expect("read corpus") {
        let entry = entry.expect("entry");
        let target = dst.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Session labels of the hits, in rank order.
pub fn sessions(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| h["session"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Paths of the hits, in rank order.
pub fn paths(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| h["path"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Paths of the hits in the match set (not the partial hits shown after
/// it), in rank order.
pub fn full_paths(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter(|h| h["match"] == "full")
                .map(|h| h["path"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
