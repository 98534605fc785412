//! The Council's record at archive scale, in small test fixtures written in
//! the shapes of each era (yearbooks, refworld pages, typed texts, PDF
//! extractions on one line, OCR'd meeting records): what a user checks
//! first, through the real binary.

mod common;

use common::{Corpus, stderr};
use serde_json::Value;

/// Test fixture: a yearbook resolution with an unnumbered operative clause
/// and notes.
const YEARBOOK: &str = "103 (1953). Resolution of 3 December 1953\n\nThe Security Council\n\nNoting with regret the death of Judge Test Fixture,\n\nRecommends that the General Assembly fill the vacancy in the Court.\n\nAdopted at the 640th meeting.\n\n5 Ibid., Eighth Year, Supplement for October, November and December 1953.\n";

/// Test fixture: a refworld page of 1971, wrapper and all.
const REFWORLD: &str = "Resolution 301 (1971) of 20 October 1971 \n\nPublisher\nUN Security Council\n\nPublication Date\n20 October 1971\n\nCitation / Document Symbol\nS/RES/301 (1971)\n\nReference\n1971 Security Council Resolutions\n\nCite as\n\nUN Security Council, Resolution 301 (1971) of 20 October 1971, 20 October 1971, S/RES/301 (1971), available at: http://www.refworld.org/docid/test-fixture.html [accessed 4 April 2016]\n\nThe Security Council,\n\nRecalling its resolution 284 (1970) on Namibia,\n\n1.  Reaffirms the inalienable right of the people of Namibia to self-determination;\n\n2.  Calls upon all States to abstain from sending diplomatic missions to South Africa.\n";

/// Test fixture: a PDF extraction of 1999 with the whole text on one line.
const ONE_LINE: &str = "UNITED NATIONS\nSecurity Council\nDistr. GENERAL S/RES/1275 (1999) 19 November 1999\nRESOLUTION 1275 (1999) Adopted by the Security Council at its 4070th meeting, on 19 November 1999\nThe Security Council, Recalling its resolution 1242 (1999), Acting under Chapter VII of the Charter, 1. Decides to extend the oil-for-food period until 4 December 1999; 2. Decides to remain seized of the matter.\n";

/// Test fixture: a meeting of one turn, named by the year alone.
const VOTE: &str = "The President (spoke in French): The Security Council will now begin its consideration of the item on its agenda. I shall take it that the members of the Council agree to the statement on the maritime situation.\n";

fn archive() -> Corpus {
    let corpus = Corpus::empty();
    corpus.write("resolutions/S-RES-103(1953).txt", YEARBOOK);
    corpus.write("resolutions/S-RES-301(1971).txt", REFWORLD);
    corpus.write("resolutions/S-RES-1275(1999).txt", ONE_LINE);
    corpus.write("records/2020-s-pv-8720.txt", VOTE);
    corpus
}

fn shown(corpus: &Corpus, path: &str) -> Value {
    let out = corpus.run("show", &[path, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn every_era_is_a_dated_resolution_with_its_symbol_and_title() {
    let corpus = archive();
    for (path, symbol, date) in [
        (
            "resolutions/S-RES-103(1953).txt",
            "S/RES/103 (1953)",
            "1953-12-03",
        ),
        (
            "resolutions/S-RES-301(1971).txt",
            "S/RES/301 (1971)",
            "1971-10-20",
        ),
        (
            "resolutions/S-RES-1275(1999).txt",
            "S/RES/1275 (1999)",
            "1999-11-19",
        ),
    ] {
        let doc = shown(&corpus, path);
        assert_eq!(doc["type"], "resolution", "{doc}");
        assert_eq!(doc["symbol"], symbol, "{doc}");
        assert_eq!(doc["date"], date, "{doc}");
        let number = symbol.trim_start_matches("S/RES/");
        assert_eq!(
            doc["title"],
            format!("Security Council resolution {number}")
        );
    }
    let json = corpus.search_json(&["Namibia", "--year", "1971"]);
    assert_eq!(common::paths(&json), ["resolutions/S-RES-301(1971).txt"; 2]);
    // Sessions per year: the yearbook has its notes, the vote one turn.
    let years = corpus.run("facets", &["--json"]);
    let facets: Value = serde_json::from_slice(&years.stdout).expect("JSON");
    assert_eq!(
        facets["year"],
        serde_json::json!({"1953": 3, "1971": 2, "1999": 2, "2020": 1})
    );
}

#[test]
fn the_refworld_wrapper_is_not_indexed() {
    let corpus = archive();
    for query in [
        "refworld",
        "\"Cite as\"",
        "\"Publication Date\"",
        "publisher",
    ] {
        let out = corpus.search(&[query]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{query}: {}",
            common::stdout(&out)
        );
    }
}

#[test]
fn operative_paragraphs_carry_their_own_numbers_and_notes_none() {
    let corpus = archive();
    let one_line = shown(&corpus, "resolutions/S-RES-1275(1999).txt");
    let operative = &one_line["sessions"][1];
    assert_eq!(operative["label"], "Operative paragraphs");
    let paras: Vec<&str> = operative["passages"]
        .as_array()
        .expect("passages")
        .iter()
        .map(|p| p["para"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(paras, ["1", "2"]);
    let yearbook = shown(&corpus, "resolutions/S-RES-103(1953).txt");
    let labels: Vec<&str> = yearbook["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| s["label"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(labels, ["Preamble", "Operative paragraphs", "Notes"]);
    assert!(
        yearbook["sessions"][2]["passages"]
            .as_array()
            .expect("notes")
            .iter()
            .all(|p| p["para"].is_null())
    );
    let json = corpus.search_json(&["recommends vacancy"]);
    assert_eq!(json["hits"][0]["session"], "Operative paragraphs", "{json}");
}

#[test]
fn a_single_turn_meeting_is_a_meeting_record_of_its_year() {
    let corpus = archive();
    let doc = shown(&corpus, "records/2020-s-pv-8720.txt");
    assert_eq!(doc["type"], "meeting-record", "{doc}");
    assert_eq!(doc["symbol"], "S/PV.8720");
    assert_eq!(doc["date"], "2020");
    assert_eq!(doc["title"], "Security Council, 8720th meeting");
    assert_eq!(doc["sessions"][0]["label"], "The President");
    let json = corpus.search_json(&["maritime", "--type", "meeting-record", "--year", "2020"]);
    assert_eq!(json["total"], 1, "{json}");
}
