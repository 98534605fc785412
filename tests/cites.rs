//! The citator through the binary, on test fixtures in the shape of
//! Council resolutions that cite each other.

mod common;

use common::{Corpus, stderr, stdout};
use serde_json::Value;

fn council() -> Corpus {
    let corpus = Corpus::empty();
    // Test fixtures: three resolutions and a record.
    corpus.write(
        "S-RES-1373(2001).txt",
        "Resolution 1373 (2001)\nAdopted by the Security Council at its 4385th meeting, on 28 September 2001\n\nThe Security Council,\n\nReaffirming its resolutions 1269 (1999) of 19 October 1999 and 1368 (2001),\n\n1. Decides that all States shall prevent and suppress the financing of terrorist acts;\n\n2. Decides to remain seized of this resolution 1373 (2001).\n",
    );
    corpus.write(
        "S-RES-1535(2004).txt",
        "Resolution 1535 (2004)\nAdopted by the Security Council at its 4936th meeting, on 26 March 2004\n\nThe Security Council,\n\nReaffirming its resolution 1373 (2001) of 28 September 2001,\n\n1. Decides to establish the Counter-Terrorism Committee Executive Directorate;\n\n2. Requests the Committee to report on paragraph 6 of resolution 1373 (2001).\n",
    );
    corpus.write(
        "S-RES-2129(2013).txt",
        "Resolution 2129 (2013)\nAdopted by the Security Council at its 7086th meeting, on 17 December 2013\n\nThe Security Council,\n\nRecalling its resolutions 1373 (2001) and 1535 (2004), and S/PRST/2013/1,\n\n1. Decides that the Executive Directorate will continue to operate until 31 December 2017.\n",
    );
    corpus.write(
        "2020-s-pv-8716.txt",
        "The President (spoke in French): I give the floor to the representative of France.\n\nMr. De Riviere (France) (spoke in French): We recall resolution 2129 (2013) and the work of the Committee on maritime security.\n",
    );
    corpus
}

fn json(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn cites_lists_the_citing_documents_newest_first_with_their_clauses() {
    let corpus = council();
    for form in ["1373", "S/RES/1373", "1373 (2001)", "S/RES/1373 (2001)"] {
        let by = json(&corpus.run("cites", &[form, "--format", "json"]));
        assert_eq!(by["target"], "S/RES/1373 (2001)");
        assert_eq!(by["in_index"], true);
        assert_eq!(by["cited_by"], 2, "{by}");
        let symbols: Vec<&str> = by["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .map(|d| d["symbol"].as_str().unwrap_or_default())
            .collect();
        // Newest first; never the document itself.
        assert_eq!(symbols, ["S/RES/2129 (2013)", "S/RES/1535 (2004)"]);
    }
    let by = json(&corpus.run("cites", &["1373", "--format", "json"]));
    let clauses = by["documents"][1]["clauses"].as_array().expect("clauses");
    assert_eq!(clauses.len(), 2);
    assert_eq!(clauses[0]["kind"], "reaffirms");
    assert_eq!(clauses[1]["para"], "2");
    assert_eq!(clauses[1]["cited_paragraph"], "6");
    let recalls = json(&corpus.run("cites", &["1373", "--kind", "recalls", "--format", "json"]));
    assert_eq!(recalls["cited_by"], 1);
    let text = stdout(&corpus.run("cites", &["1373", "--color", "never"]));
    assert!(
        text.contains("S/RES/1373 (2001): cited by 2 documents"),
        "{text}"
    );
    // A document not in the index still gets its list, and says so.
    let absent = json(&corpus.run("cites", &["1269", "--format", "json"]));
    assert_eq!(absent["in_index"], false);
    assert_eq!(absent["cited_by"], 1);
}

#[test]
fn cites_from_lists_what_a_document_cites_marked_in_or_out_of_the_index() {
    let corpus = council();
    let from = json(&corpus.run("cites", &["--from", "2129", "--format", "json"]));
    let cited: Vec<(&str, bool)> = from["cites"]
        .as_array()
        .expect("cites")
        .iter()
        .map(|c| {
            (
                c["target"].as_str().unwrap_or_default(),
                c["in_index"] == true,
            )
        })
        .collect();
    assert_eq!(
        cited,
        [
            ("S/RES/1373 (2001)", true),
            ("S/RES/1535 (2004)", true),
            ("S/PRST/2013/1", false)
        ]
    );
    let own = json(&corpus.run("cites", &["--from", "1373", "--format", "json"]));
    assert!(
        own["cites"]
            .as_array()
            .expect("cites")
            .iter()
            .all(|c| c["target"] != "S/RES/1373 (2001)"),
        "{own}"
    );
}

#[test]
fn the_cites_filter_and_counts_agree_with_the_list() {
    let corpus = council();
    let search = corpus.search_json(&["*", "--cites", "1373", "--limit", "20"]);
    assert_eq!(search["briefings"], 2, "{search}");
    assert_eq!(
        search["facets"]["cites"]["S/RES/1373 (2001)"],
        search["total"]
    );
    let named = corpus.search_json(&["resolution 1373"]);
    let hits = named["hits"].as_array().expect("hits");
    assert_eq!(hits[0]["symbol"], "S/RES/1373 (2001)", "{named}");
    assert_eq!(hits[0]["cited_by"], 2);
    // Each session lists what it cites: the preamble of 1373 cites 1269.
    assert!(
        hits.iter()
            .filter(|h| h["symbol"] == "S/RES/1373 (2001)")
            .flat_map(|h| h["cites"].as_array().cloned().unwrap_or_default())
            .any(|c| c == "S/RES/1269 (1999)"),
        "{named}"
    );
    let year = corpus.search_json(&["*", "--cites", "S/RES/1373", "--year", "2013"]);
    assert_eq!(year["briefings"], 1, "{year}");
    let bad = corpus.run("cites", &["terrorism"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("names no document"),
        "{}",
        stderr(&bad)
    );
}
