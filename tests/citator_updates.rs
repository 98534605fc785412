//! The citator's counts follow the corpus: a citing document added,
//! changed or removed changes the "cited by" list, the hits' `cited_by`
//! and the `--cites` total alike, after an incremental `index`.

mod common;

use common::{Corpus, stderr};
use serde_json::Value;

const R1373: &str = "Resolution 1373 (2001)\nAdopted by the Security Council at its 4385th meeting, on 28 September 2001\n\nThe Security Council,\n\nReaffirming its resolution 1269 (1999),\n\n1. Decides that all States shall prevent and suppress the financing of terrorist acts;\n";
const R1535: &str = "Resolution 1535 (2004)\nAdopted by the Security Council at its 4936th meeting, on 26 March 2004\n\nThe Security Council,\n\nReaffirming its resolution 1373 (2001),\n\n1. Decides to establish the Counter-Terrorism Committee Executive Directorate;\n";
const R2129: &str = "Resolution 2129 (2013)\nAdopted by the Security Council at its 7086th meeting, on 17 December 2013\n\nThe Security Council,\n\nRecalling its resolutions 1373 (2001) and 1535 (2004),\n\n1. Decides that the Executive Directorate will continue to operate until 31 December 2017.\n";

/// The citing documents' symbols for `target`, from `cites --format json`
/// (none when it exits 1).
fn cited_by(corpus: &Corpus, target: &str) -> Vec<String> {
    let out = corpus.run("cites", &[target, "--format", "json"]);
    match out.status.code() {
        Some(1) => return Vec::new(),
        Some(0) => {}
        other => panic!("cites exited {other:?}: {}", stderr(&out)),
    }
    let by: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let documents = by["documents"].as_array().expect("documents");
    assert_eq!(by["cited_by"].as_u64(), Some(documents.len() as u64));
    documents
        .iter()
        .map(|d| d["symbol"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The `cited_by` of resolution 1373's hit, and the number of documents
/// `--cites 1373` finds.
fn counts(corpus: &Corpus) -> (u64, u64) {
    let hit = corpus.search_json(&["financing of terrorist acts", "--limit", "1"]);
    let cited_by = hit["hits"][0]["cited_by"].as_u64().expect("cited_by");
    let out = corpus.search(&["--cites", "1373", "--format", "json"]);
    let total = match out.status.code() {
        Some(1) => 0,
        Some(0) => {
            let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
            v["briefings"].as_u64().expect("briefings")
        }
        other => panic!("search exited {other:?}: {}", stderr(&out)),
    };
    (cited_by, total)
}

#[test]
fn adding_changing_and_removing_a_citing_document_updates_every_count() {
    let corpus = Corpus::empty();
    corpus.write("S-RES-1373(2001).txt", R1373);
    corpus.write("S-RES-1535(2004).txt", R1535);
    assert_eq!(corpus.run("index", &[]).status.code(), Some(0));
    assert_eq!(cited_by(&corpus, "1373"), ["S/RES/1535 (2004)"]);
    assert_eq!(counts(&corpus), (1, 1));

    // Added.
    corpus.write("S-RES-2129(2013).txt", R2129);
    assert_eq!(corpus.run("index", &[]).status.code(), Some(0));
    assert_eq!(
        cited_by(&corpus, "1373"),
        ["S/RES/2129 (2013)", "S/RES/1535 (2004)"]
    );
    assert_eq!(counts(&corpus), (2, 2));

    // Changed: 1535 no longer cites 1373.
    corpus.write(
        "S-RES-1535(2004).txt",
        R1535.replace("resolution 1373 (2001)", "resolution 1269 (1999)"),
    );
    assert_eq!(corpus.run("index", &[]).status.code(), Some(0));
    assert_eq!(cited_by(&corpus, "1373"), ["S/RES/2129 (2013)"]);
    assert_eq!(counts(&corpus), (1, 1));

    // Removed.
    std::fs::remove_file(corpus.corpus().join("S-RES-2129(2013).txt")).expect("remove");
    assert_eq!(corpus.run("index", &[]).status.code(), Some(0));
    assert!(cited_by(&corpus, "1373").is_empty());
    assert_eq!(counts(&corpus), (0, 0));
}
