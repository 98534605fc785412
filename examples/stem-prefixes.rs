//! Checks the assumption behind the tagger's anchors: a lowercased ASCII
//! word starts with its term's `taxonomy::stable_prefix` (the term, except
//! that a term ending in e, i or bl may differ from the word in its last
//! two bytes: "happy" → "happi", "lying" → "lie", "visibility" → "visibl").
//!
//! Usage: `cargo run --release --example stem-prefixes -- DIR...`
//! Reads every file under the directories, checks every distinct word, and
//! prints the words that break the rule (exit status 1 if any).

use std::collections::HashSet;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut words: HashSet<String> = HashSet::new();
    for dir in std::env::args().skip(1) {
        for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            ctsearch::analysis::for_each_word(&text, |w| {
                if !words.contains(w) {
                    words.insert(w.to_string());
                }
            });
        }
    }
    let mut term = String::new();
    let mut broken = 0usize;
    for word in &words {
        if !word.is_ascii() || word.len() < 2 {
            continue;
        }
        ctsearch::analysis::normalize_into(word, &mut term);
        let prefix = ctsearch::taxonomy::stable_prefix(&term);
        if !word.to_ascii_lowercase().starts_with(prefix) {
            broken += 1;
            println!("{word} -> {term}");
        }
    }
    println!("{} distinct words, {broken} break the rule", words.len());
    if broken == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
