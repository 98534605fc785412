//! Build script: the identity of the code that reads documents.
//!
//! An index holds what the parsers made of each file, and unchanged files
//! are skipped by their hash. A ctsearch that reads documents differently
//! (a new layout recognized, a furniture rule, a citation form) must read
//! every document again, without the user knowing about `--rebuild`. A
//! version number bumped by hand is forgotten; a hash of the sources that
//! turn bytes into the model is not. It becomes `CTSEARCH_PARSER_ID`, part
//! of the index's fingerprint (`index::schema`).

use std::path::{Path, PathBuf};

/// The sources, files or directories, whose text decides what a document
/// becomes in the index: decoding and extraction, parsing, the model, the
/// citations, tagging and the session documents' layout.
const READERS: &[&str] = &[
    "src/extract",
    "src/parse",
    "src/model.rs",
    "src/model",
    "src/citation.rs",
    "src/citation",
    "src/taxonomy.rs",
    "src/index/document.rs",
];

fn main() {
    let mut files = Vec::new();
    for source in READERS {
        println!("cargo:rerun-if-changed={source}");
        collect(Path::new(source), &mut files);
    }
    files.sort();
    // FNV-1a over each file's path and bytes: stable across builds and
    // toolchains, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &files {
        feed(file.to_string_lossy().as_bytes());
        feed(b"\0");
        // Line ends as LF, so a checkout with CRLF has the same identity.
        let text = std::fs::read(file).unwrap_or_default();
        let text: Vec<u8> = text.into_iter().filter(|&b| b != b'\r').collect();
        feed(&text);
        feed(b"\0");
    }
    println!("cargo:rustc-env=CTSEARCH_PARSER_ID={hash:016x}");
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_file() {
        files.push(path.to_path_buf());
    } else if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            collect(&entry.path(), files);
        }
    }
}
