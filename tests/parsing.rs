//! Briefings of several shapes, parsed through the real binary.
//! All documents here are test fixtures written for these tests, not real
//! briefings.

mod common;

use common::{Corpus, sessions};

#[test]
fn markdown_with_front_matter_headings_and_lists() {
    let corpus = Corpus::empty();
    corpus.write(
        "2021/fixture.md",
        "---\ntitle: Test fixture briefing on maritime security\ndate: 2021-05-06\nsymbol: S/2021/999\nsource: CTED\n---\n\nA preamble about piracy and kidnapping for ransom.\n\n## Opening session\n\nSpeakers discussed foreign terrorist fighters.\n\n## Panel 2: Financing\n\nRecommendations:\n\n- Strengthen cooperation with FATF on money laundering;\n- Share data on cryptocurrency.\n",
    );
    let json = corpus.search_json(&["cryptocurrency"]);
    assert_eq!(sessions(&json), ["Panel 2: Financing"]);
    let hit = &json["hits"][0];
    assert_eq!(hit["title"], "Test fixture briefing on maritime security");
    assert_eq!(hit["date"], "2021-05-06");
    assert_eq!(hit["passage"], "Share data on cryptocurrency.");
    let panel = corpus.search_json(&["cooperation", "--session", "panel 2"]);
    assert_eq!(sessions(&panel), ["Panel 2: Financing"]);
    assert!(
        panel["hits"][0]["orgs"]
            .as_array()
            .expect("orgs")
            .iter()
            .any(|o| o == "FATF")
    );
    let overview = corpus.search_json(&["preamble"]);
    assert_eq!(sessions(&overview), ["Overview"]);
}

#[test]
fn plain_text_without_headings_is_one_session() {
    let corpus = Corpus::empty();
    corpus.write(
        "2019-02-03-fixture-notes.txt",
        "Test fixture.\nJust some notes on drug trafficking.\n",
    );
    let json = corpus.search_json(&["notes"]);
    assert_eq!(sessions(&json), ["Overview"]);
    assert_eq!(json["hits"][0]["date"], "2019-02-03");
    assert_eq!(json["hits"][0]["title"], "fixture notes");
    assert_eq!(
        json["hits"][0]["crimes"],
        serde_json::json!(["drug-trafficking"])
    );
}

#[test]
fn plain_text_session_shapes() {
    let corpus = Corpus::empty();
    corpus.write(
        "fixture.txt",
        "Test fixture preamble.\n\nOpening session\n\nWelcome words.\n\nSession 2\n\nAlpha discussion.\n\nPanel 3\nBeta discussion right under the heading.\n\nClosing session\n\nGamma.\n\nConcluding remarks\n\n1. Delta item one.\n2. Epsilon item two.\n",
    );
    let json = corpus.search_json(&["*", "--limit", "20"]);
    let mut got = sessions(&json);
    got.sort();
    assert_eq!(
        got,
        [
            "Closing session",
            "Concluding remarks",
            "Opening session",
            "Overview",
            "Panel 3",
            "Session 2"
        ]
    );
    let beta = corpus.search_json(&["beta"]);
    assert_eq!(sessions(&beta), ["Panel 3"]);
    let eps = corpus.search_json(&["epsilon"]);
    assert_eq!(eps["hits"][0]["passage"], "2. Epsilon item two.");
}

#[test]
fn hidden_entries_and_the_index_directory_are_not_walked() {
    let corpus = Corpus::empty();
    corpus.write("visible.txt", "Test fixture about smuggling of migrants.\n");
    corpus.write(
        ".hidden/secret.txt",
        "Test fixture about smuggling of migrants.\n",
    );
    let out = corpus.run("index", &["--index"]);
    // `--index` without a value is a usage error.
    assert_eq!(out.status.code(), Some(2));
    let inner_index = corpus.corpus().join("idx");
    let out = assert_cmd::Command::cargo_bin("ctsearch")
        .expect("binary")
        .args(["search", "--format", "json", "smuggling", "--corpus"])
        .arg(corpus.corpus())
        .arg("--index")
        .arg(&inner_index)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["path"], "visible.txt");
}
