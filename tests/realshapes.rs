//! Documents in the shapes the Security Council publishes them: a
//! resolution extracted from PDF (Windows-1252, form feeds, page
//! furniture) and a verbatim meeting record (CRLF, speaker turns). The
//! fixtures are written here in those shapes; they are not real documents.

mod common;

use common::{Corpus, sessions, stderr, stdout};
use serde_json::Value;

/// A test fixture resolution: three pages, furniture on each, a paragraph
/// running across a page break, Windows-1252 bytes.
fn resolution() -> Vec<u8> {
    let text = "United Nations S/RES/9999 (2031)*\n\
Security Council Distr.: General\n12 March 2031\n\
31-12345* (E)\n*3112345*\n\
Resolution 9999 (2031)\n\
Adopted by the Security Council at its 9876th meeting, on 12 March 2031\n\n\
The Security Council,\n\n\
Recalling the test fixture communiqu\u{e9} of its previous meeting,\n\n\
Expressing concern at the trafficking of charcoal that finances armed groups,\n\n\
1. Decides that all States shall prevent the import of charcoal from the test fixture region;\n\n\
2. Requests the Panel to report on the charcoal ban, and also requests it to include\n\
\x0cS/RES/9999 (2031)\n2/3 31-12345\n\
an assessment of its effects on armed groups;\n\n\
3. Decides that the measures shall not apply to:\n\n\
(a) humanitarian supplies;\n\n\
(b) supplies for the test fixture mission;\n\n\
\x0cS/RES/9999 (2031)\n31-12345 3/3\n\
4. Decides to remain seized of the matter.\n\n\
31-12345\n";
    // Windows-1252: é is one byte, 0xE9.
    text.chars()
        .map(|c| if c == '\u{e9}' { 0xE9 } else { c as u8 })
        .collect()
}

/// A test fixture meeting record: one line per turn, CRLF line ends.
const RECORD: &str = "The President (spoke in French): I call on the representative of Testland.\r\n\
\r\n\
Mr. Zhang Testwei (China) (spoke in Chinese): China holds that sanctions are a means, not an end, \
and that the test fixture embargo should be reviewed.\r\n\
\r\n\
Ms. Fixture-Smith (United Kingdom): The United Kingdom supports the sanctions regime and the Panel.\r\n\
\r\n\
The President: I shall now make a statement in my capacity as the representative of France. \
France supports the renewal of the sanctions.\r\n";

fn corpus() -> Corpus {
    let corpus = Corpus::empty();
    corpus.write("2031/2031-03-12-test-fixture-resolution.txt", resolution());
    corpus.write("2031/2031-04-01-test-fixture-record.txt", RECORD);
    corpus
}

fn hits(json: &Value) -> Vec<Value> {
    json["hits"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_resolution_splits_into_preamble_and_operative_part_with_paragraphs_and_pages() {
    let corpus = corpus();
    let json = corpus.search_json(&["charcoal", "--type", "resolution", "--passages", "3"]);
    let all = hits(&json);
    assert!(!all.is_empty(), "{json}");
    for hit in &all {
        assert_eq!(hit["type"], "resolution");
        assert_eq!(hit["symbol"], "S/RES/9999 (2031)");
        assert_eq!(hit["date"], "2031-03-12");
        assert_eq!(hit["title"], "Security Council resolution 9999 (2031)");
    }
    let labels = sessions(&json);
    assert!(labels.contains(&"Preamble".to_string()), "{labels:?}");
    assert!(
        labels.contains(&"Operative paragraphs".to_string()),
        "{labels:?}"
    );
    // The operative paragraph that bans charcoal, with its number and page.
    let operative = all
        .iter()
        .find(|h| h["session"] == "Operative paragraphs")
        .expect("operative hit");
    assert_eq!(operative["para"], "1", "{operative}");
    assert_eq!(operative["page"], 1, "{operative}");
    // The paragraph running across the page break is one passage, on the
    // page it starts on.
    let json = corpus.search_json(&["assessment effects"]);
    let hit = &hits(&json)[0];
    assert_eq!(hit["para"], "2", "{hit}");
    assert_eq!(hit["page"], 1, "{hit}");
    assert!(
        hit["passage"]
            .as_str()
            .is_some_and(|p| p.contains("to include an assessment")),
        "{hit}"
    );
    // Sub-items know their paragraph.
    let json = corpus.search_json(&["humanitarian supplies"]);
    assert_eq!(hits(&json)[0]["para"], "3 (a)", "{json}");
    assert_eq!(hits(&json)[0]["page"], 2, "{json}");
}

#[test]
fn page_furniture_is_not_indexed() {
    let corpus = corpus();
    for furniture in ["31-12345", "\"2/3\"", "3112345", "\"3/3\""] {
        let out = corpus.search(&[furniture, "--format", "json", "--match", "any"]);
        let json: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(json["total"], 0, "{furniture}: {json}");
    }
    // The symbol is searchable, and a filter.
    let json = corpus.search_json(&["S/RES/9999"]);
    assert!(json["total"].as_u64().is_some_and(|n| n > 0), "{json}");
    let json = corpus.search_json(&["sanctions", "--symbol", "S/RES/9999"]);
    assert_eq!(json["total"], 0, "{json}");
}

#[test]
fn windows_1252_text_keeps_its_accents() {
    let corpus = corpus();
    let out = corpus.run("index", &[]);
    assert!(
        stdout(&out).contains("windows-1252"),
        "the summary names the encoding: {}",
        stdout(&out)
    );
    for query in ["communiqué", "communique", "Communiqué"] {
        let json = corpus.search_json(&[query]);
        let hit = &hits(&json)[0];
        assert!(
            hit["passage"]
                .as_str()
                .is_some_and(|p| p.contains("communiqué")),
            "{query}: {hit}"
        );
    }
}

#[test]
fn a_meeting_record_is_one_session_per_turn_with_speakers_and_countries() {
    let corpus = corpus();
    let json = corpus.search_json(&["sanctions", "--type", "meeting-record"]);
    let labels = sessions(&json);
    assert!(
        labels.contains(&"Mr. Zhang Testwei (China)".to_string()),
        "{labels:?}"
    );
    assert!(!labels.iter().any(|l| l.contains("spoke in")), "{labels:?}");
    let facets = &json["facets"];
    assert_eq!(facets["speaker"]["Mr. Zhang Testwei"], 1, "{facets}");
    assert_eq!(facets["country"]["China"], 1, "{facets}");
    // The President speaking for France counts as France for that turn.
    assert_eq!(facets["country"]["France"], 1, "{facets}");

    let json = corpus.search_json(&["sanctions", "--country", "China"]);
    assert_eq!(json["total"], 1, "{json}");
    let hit = &hits(&json)[0];
    assert_eq!(hit["speaker"], "Mr. Zhang Testwei");
    assert_eq!(hit["country"], "China");
    let json = corpus.search_json(&["sanctions", "--speaker", "ms. fixture-smith"]);
    assert_eq!(json["total"], 1, "{json}");

    // An unknown country is an error naming the known ones.
    let out = corpus.search(&["sanctions", "--country", "Atlantis"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown country"), "{}", stderr(&out));
}

#[test]
fn stats_and_facets_list_the_types() {
    let corpus = corpus();
    let out = corpus.run("stats", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("meeting-record"), "{text}");
    assert!(text.contains("resolution"), "{text}");
    let out = corpus.run("facets", &["--json"]);
    let facets: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(facets["type"]["meeting-record"], 4, "{facets}");
}
