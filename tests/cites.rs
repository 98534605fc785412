//! The citator through the binary, on test fixtures in the shape of
//! Council resolutions that cite each other.

mod common;

use common::{Corpus, council, stderr, stdout};
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

#[test]
fn show_lists_cites_and_cited_by_with_the_counts_of_cites_and_the_cites_filter() {
    let corpus = council();
    let shown = json(&corpus.run("show", &["S-RES-1535(2004).txt", "--json"]));
    assert_eq!(shown["symbol"], "S/RES/1535 (2004)");
    assert_eq!(
        shown["cites"],
        serde_json::json!([{
            "target": "S/RES/1373 (2001)",
            "kinds": ["reaffirms", "requests"],
            "in_index": true,
            "path": "S-RES-1373(2001).txt",
        }])
    );
    assert_eq!(shown["cited_by"], 1);
    assert_eq!(
        shown["citing"],
        serde_json::json!([{
            "path": "S-RES-2129(2013).txt",
            "symbol": "S/RES/2129 (2013)",
            "title": shown["citing"][0]["title"],
            "date": "2013-12-17",
            "kinds": ["recalls"],
        }])
    );
    assert_eq!(shown["cited_by_per_year"], serde_json::json!({"2013": 1}));
    assert!(shown.get("lineage").is_none(), "{shown}");
    // The counts agree with `cites SYMBOL` and `search --cites SYMBOL`.
    for (path, symbol) in [
        ("S-RES-1373(2001).txt", "1373"),
        ("S-RES-1535(2004).txt", "1535"),
        ("S-RES-2129(2013).txt", "2129"),
    ] {
        let shown = json(&corpus.run("show", &[path, "--json"]));
        let by = corpus.run("cites", &[symbol, "--format", "json"]);
        let by: Value = serde_json::from_slice(&by.stdout).expect("JSON");
        let search = corpus.search_json(&["*", "--cites", symbol]);
        assert_eq!(shown["cited_by"], by["cited_by"], "{path}");
        assert_eq!(shown["cited_by"], search["briefings"], "{path}");
        assert_eq!(
            shown["citing"].as_array().map(Vec::len),
            by["documents"].as_array().map(Vec::len)
        );
    }
    // Newest first.
    let shown = json(&corpus.run("show", &["S-RES-1373(2001).txt", "--json"]));
    let citing: Vec<&str> = shown["citing"]
        .as_array()
        .expect("citing")
        .iter()
        .map(|d| d["path"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(citing, ["S-RES-2129(2013).txt", "S-RES-1535(2004).txt"]);
    let cites: Vec<(&str, bool)> = shown["cites"]
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
        cites,
        [("S/RES/1269 (1999)", false), ("S/RES/1368 (2001)", false)]
    );
    assert_eq!(shown["cites"][0]["path"], Value::Null);
    let text = stdout(&corpus.run("show", &["S-RES-1373(2001).txt", "--color", "never"]));
    assert!(text.contains("== Cites (2) =="), "{text}");
    assert!(
        text.contains("  S/RES/1269 (1999) · reaffirms · not in the index"),
        "{text}"
    );
    assert!(text.contains("== Cited by (2) =="), "{text}");
    assert!(
        text.contains("  2013-12-17 · S/RES/2129 (2013) · S-RES-2129(2013).txt · recalls"),
        "{text}"
    );
    assert!(text.contains("  2004  "), "chart per year: {text}");
    // A record cites a resolution in the index; nothing cites it.
    let record = json(&corpus.run("show", &["2020-s-pv-8716.txt", "--json"]));
    assert_eq!(record["cites"][0]["target"], "S/RES/2129 (2013)");
    assert_eq!(record["cites"][0]["path"], "S-RES-2129(2013).txt");
    assert_eq!(record["cited_by"], 0);
    let missing = corpus.run("show", &["no-such.txt", "--json"]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
}

/// Test fixtures abridged from the CTED resolutions of the archive, in
/// their words: 1787 extends 1535 by number; 1805, 1963 and 2129 continue
/// CTED in a clause naming no resolution, their predecessors recalled in
/// the preamble "which pertain to" CTED. 1989 (2011), cited by 2129 and
/// newer than 1963 and named beside CTED in an operative clause, extends
/// another mandate and is no step.
fn cted() -> Corpus {
    let corpus = Corpus::empty();
    council::resolution(
        &corpus,
        "1535",
        "2004",
        "4936th",
        "26 March 2004",
        "Reaffirming its resolution 1373 (2001) of 28 September 2001,\n\n2. Decides that the revitalized Committee will be assisted by the Counter-Terrorism Committee Executive Directorate (hereinafter \"CTED\") to be established as a special political mission for an initial period ending 31 December 2007, so as to enhance the Committee's ability to monitor the implementation of resolution 1373 (2001);\n\n7. Stresses the importance of ensuring that the Committee continues to operate effectively, and in this regard, decides that the Committee will continue to operate with its present support structure until the CTED is operational;",
    );
    council::cted_after_1535(&corpus, "");
    corpus
}

const CTED: [&str; 5] = [
    "S/RES/1535 (2004)",
    "S/RES/1787 (2007)",
    "S/RES/1805 (2008)",
    "S/RES/1963 (2010)",
    "S/RES/2129 (2013)",
];

#[test]
fn lineage_follows_the_extensions_of_cted_both_ways_from_any_step() {
    let corpus = cted();
    for asked in ["1535", "1787", "S/RES/1963", "2129 (2013)"] {
        let lineage = json(&corpus.run("cites", &["--lineage", asked, "--format", "json"]));
        let steps = lineage["steps"].as_array().expect("steps");
        let symbols: Vec<&str> = steps
            .iter()
            .map(|s| s["symbol"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(symbols, CTED, "{asked}: {lineage}");
        let kinds: Vec<&Value> = steps.iter().map(|s| &s["kind"]).collect();
        assert_eq!(
            kinds,
            [
                &Value::Null,
                &"extends".into(),
                &"extends".into(),
                &"extends".into(),
                &"extends".into()
            ]
        );
        let continues: Vec<&Value> = steps.iter().map(|s| &s["continues"]).collect();
        assert_eq!(continues[0], &Value::Null);
        for (step, before) in continues[1..].iter().zip(CTED) {
            assert_eq!(*step, before);
        }
    }
    let lineage = json(&corpus.run("cites", &["--lineage", "1963", "--format", "json"]));
    assert_eq!(lineage["symbol"], "S/RES/1963 (2010)");
    let step = &lineage["steps"][3];
    assert_eq!(step["date"], "2010-12-20");
    assert_eq!(step["path"], "S-RES-1963(2010).txt");
    assert_eq!(step["in_index"], true);
    assert_eq!(step["clause"]["para"], "2");
    assert!(
        step["clause"]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("for the period ending 31 December 2013"),
        "{step}"
    );
    let by_number = &lineage["steps"][1]["clause"];
    assert_eq!(by_number["para"], "1");
    assert_eq!(by_number["cited_paragraph"], "2");
    // Text: root first, the asked one marked, dates and acts.
    let text = stdout(&corpus.run("cites", &["--lineage", "1805", "--color", "never"]));
    let heads: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  S/RES/") || l.starts_with("* S/RES/"))
        .collect();
    assert_eq!(
        heads,
        [
            "  S/RES/1535 (2004) · 2004-03-26 · root",
            "  S/RES/1787 (2007) · 2007-12-10 · extends S/RES/1535 (2004)",
            "* S/RES/1805 (2008) · 2008-03-20 · extends S/RES/1787 (2007)",
            "  S/RES/1963 (2010) · 2010-12-20 · extends S/RES/1805 (2008)",
            "  S/RES/2129 (2013) · 2013-12-17 · extends S/RES/1963 (2010)",
        ],
        "{text}"
    );
    // JSONL: one step per line.
    let lines = stdout(&corpus.run("cites", &["--lineage", "1805", "--format", "jsonl"]));
    assert_eq!(lines.lines().count(), 5);
    // `show` carries it; a resolution outside it has none.
    let shown = json(&corpus.run("show", &["S-RES-2129(2013).txt", "--json"]));
    assert_eq!(shown["lineage"]["steps"].as_array().map(Vec::len), Some(5));
    let other = corpus.run("cites", &["--lineage", "1373", "--format", "json"]);
    assert_eq!(other.status.code(), Some(1), "{}", stderr(&other));
    let other: Value = serde_json::from_slice(&other.stdout).expect("JSON");
    assert_eq!(other["steps"][0]["in_index"], false);
    // 1989 (2011) extends the Ombudsperson's mandate, set up by 1904.
    let ombudsperson = json(&corpus.run("cites", &["--lineage", "1989", "--format", "json"]));
    assert_eq!(ombudsperson["steps"][0]["symbol"], "S/RES/1904 (2009)");
    assert_eq!(ombudsperson["steps"][0]["in_index"], false);
    assert_eq!(ombudsperson["steps"].as_array().map(Vec::len), Some(2));
}

#[test]
fn graph_exports_the_whole_network_as_graphml_and_csv() {
    let corpus = council();
    corpus.write(
        "hostile.txt",
        "We recall resolution 1373 (2001) & resolution 2129 (2013).\n",
    );
    corpus.write(
        "hostile.txt.meta.toml",
        "title = \"<b>\\\"Bold\\\" & 'quoted'</b>\"\ndate = \"2021-01-02\"\n",
    );
    let out = corpus.run("cites", &["--graph", "graphml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = stdout(&out);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let data = |node: roxmltree::Node<'_, '_>, key: &str| -> Option<String> {
        node.children()
            .find(|c| c.has_tag_name("data") && c.attribute("key") == Some(key))
            .map(|c| c.text().unwrap_or_default().to_string())
    };
    let nodes: Vec<roxmltree::Node<'_, '_>> = doc
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    let node = |id: &str| {
        *nodes
            .iter()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no node {id}: {xml}"))
    };
    let n1373 = node("S/RES/1373 (2001)");
    assert_eq!(data(n1373, "in_index").as_deref(), Some("true"));
    assert_eq!(data(n1373, "date").as_deref(), Some("2001-09-28"));
    assert_eq!(data(n1373, "type").as_deref(), Some("resolution"));
    assert_eq!(data(n1373, "path").as_deref(), Some("S-RES-1373(2001).txt"));
    assert_eq!(
        data(node("S/RES/1269 (1999)"), "in_index").as_deref(),
        Some("false")
    );
    assert_eq!(
        data(node("S/PRST/2013/1"), "in_index").as_deref(),
        Some("false")
    );
    // A document without a symbol is known by its path; its title is text.
    assert_eq!(
        data(node("hostile.txt"), "title").as_deref(),
        Some("<b>\"Bold\" & 'quoted'</b>")
    );
    let edges: Vec<(String, String, String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("edge"))
        .map(|e| {
            (
                e.attribute("source").unwrap_or_default().to_string(),
                e.attribute("target").unwrap_or_default().to_string(),
                data(e, "kind").unwrap_or_default(),
                data(e, "count").unwrap_or_default(),
            )
        })
        .collect();
    let edge = |s: &str, t: &str| {
        edges
            .iter()
            .find(|e| e.0 == s && e.1 == t)
            .map(|e| (e.2.as_str(), e.3.as_str()))
    };
    assert_eq!(
        edge("S/RES/1535 (2004)", "S/RES/1373 (2001)"),
        Some(("reaffirms;requests", "2"))
    );
    // The record is known by the symbol its file name gives.
    assert_eq!(
        edge("S/PV.8716", "S/RES/2129 (2013)"),
        Some(("recalls", "1"))
    );
    assert_eq!(
        edge("hostile.txt", "S/RES/1373 (2001)"),
        Some(("recalls", "1"))
    );
    // A node's in-edges are its "cited by" count.
    let into_1373 = edges.iter().filter(|e| e.1 == "S/RES/1373 (2001)").count();
    let by = json(&corpus.run("cites", &["1373", "--format", "json"]));
    assert_eq!(Some(into_1373 as u64), by["cited_by"].as_u64());
    assert_eq!(edges.len(), 9, "{edges:?}");

    let out = corpus.run("cites", &["--graph", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = stdout(&out);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "source,target,kind,count,source_date,target_date,target_in_index"
    );
    assert_eq!(lines.len(), 1 + edges.len());
    assert!(
        lines.contains(
            &"S/RES/1535 (2004),S/RES/1373 (2001),reaffirms;requests,2,2004-03-26,2001-09-28,true"
        ),
        "{csv}"
    );
    assert!(
        lines.contains(&"S/RES/1373 (2001),S/RES/1269 (1999),reaffirms,1,2001-09-28,,false"),
        "{csv}"
    );

    // Exit codes: nothing cited is 1; a symbol or --kind with --graph, or
    // an unknown format, is 2.
    let empty = Corpus::empty();
    empty.write("note.txt", "Nothing cited here.\n");
    let none = empty.run("cites", &["--graph", "csv"]);
    assert_eq!(none.status.code(), Some(1), "{}", stderr(&none));
    assert_eq!(
        stdout(&none),
        "source,target,kind,count,source_date,target_date,target_in_index\n"
    );
    for bad in [
        &["--graph", "csv", "1373"][..],
        &["--graph", "csv", "--kind", "recalls"],
        &["--graph", "dot"],
        &["--lineage", "--from", "1373"],
        &[],
    ] {
        let out = corpus.run("cites", bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn a_year_that_cannot_go_with_its_number_is_kept_by_number_and_warned_about() {
    let corpus = Corpus::empty();
    // Test fixture: 2139 (2014) cites 2118 with the source's typo "(2113)".
    corpus.write(
        "S-RES-2139(2014).txt",
        "Resolution 2139 (2014)\nAdopted by the Security Council at its 7116th meeting, on 22 February 2014\n\nThe Security Council,\n\nRecalling its resolutions 2042 (2012) and 2043 (2012),\n\n1. Demands that all parties comply with resolution 2118 (2113);\n",
    );
    let from = json(&corpus.run("cites", &["--from", "S/RES/2139", "--format", "json"]));
    let cites = from["cites"].as_array().expect("cites");
    let typo = cites
        .iter()
        .find(|c| c["target"] == "S/RES/2118 (2013)")
        .expect("2118 kept by its number");
    assert_eq!(
        typo["clause"]["warning"],
        "resolution 2118 cited as of 2113: read as 2013, the year of its number"
    );
    // A reference written right carries no warning field at all.
    let right = cites
        .iter()
        .find(|c| c["target"] == "S/RES/2042 (2012)")
        .expect("2042");
    assert!(right["clause"].get("warning").is_none(), "{right}");
    let text = stdout(&corpus.run("cites", &["--from", "S/RES/2139"]));
    assert!(
        text.contains("warning: resolution 2118 cited as of 2113"),
        "{text}"
    );
    let by = json(&corpus.run("cites", &["2118", "--format", "json"]));
    assert_eq!(by["cited_by"], 1);
    assert!(
        by["documents"][0]["clauses"][0]["warning"]
            .as_str()
            .is_some_and(|w| w.contains("2113")),
        "{by}"
    );
}

#[test]
fn the_citing_list_takes_the_usual_facet_filters_and_counts_what_search_counts() {
    let corpus = council();
    let symbols = |by: &Value| -> Vec<String> {
        by["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .map(|d| d["symbol"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    for (args, expected) in [
        (vec!["--year", "2013"], vec!["S/RES/2129 (2013)"]),
        (vec!["--year", "2004"], vec!["S/RES/1535 (2004)"]),
        (
            vec!["--type", "resolution"],
            vec!["S/RES/2129 (2013)", "S/RES/1535 (2004)"],
        ),
    ] {
        let mut all = vec!["1373", "--format", "json"];
        all.extend(&args);
        let by = json(&corpus.run("cites", &all));
        assert_eq!(symbols(&by), expected, "{args:?}: {by}");
        assert_eq!(by["cited_by"], expected.len(), "{by}");
        let mut search = vec!["--cites", "1373"];
        search.extend(&args);
        assert_eq!(
            corpus.search_json(&search)["briefings"],
            by["cited_by"],
            "{args:?}"
        );
    }
    // Nothing kept: no document, exit 1.
    let none = corpus.run("cites", &["1373", "--year", "1990"]);
    assert_eq!(none.status.code(), Some(1), "{}", stderr(&none));
    // Filters select citing documents: not what a document cites.
    let from = corpus.run("cites", &["--from", "1373", "--year", "2013"]);
    assert_eq!(from.status.code(), Some(2));
    assert!(stderr(&from).contains("--from"), "{}", stderr(&from));
}

#[test]
fn kinds_take_any_case_and_filters_that_cannot_apply_are_refused() {
    let corpus = council();
    let lower = corpus.run("cites", &["1373", "--kind", "recalls", "--format", "json"]);
    let upper = corpus.run("cites", &["1373", "--kind", "RECALLS", "--format", "json"]);
    assert_eq!(upper.status.code(), Some(0), "{}", stderr(&upper));
    assert_eq!(stdout(&upper), stdout(&lower));
    // The whole network takes no facet filter: refused, not ignored.
    let graph = corpus.run("cites", &["--graph", "csv", "--year", "2013"]);
    assert_eq!(graph.status.code(), Some(2));
    assert!(stderr(&graph).contains("--graph"), "{}", stderr(&graph));
    // A year is four digits.
    let year = corpus.run("cites", &["1373", "--year", "abc"]);
    assert_eq!(year.status.code(), Some(2));
    assert!(stderr(&year).contains("is not a year"), "{}", stderr(&year));
    let search = corpus.search(&["--year", "20144", "financing"]);
    assert_eq!(search.status.code(), Some(2));
    // A resolution's year that cannot go with its number is pointed out.
    for out in [
        corpus.run("cites", &["1373 (1999)"]),
        corpus.search(&["--cites", "1373 (1999)"]),
    ] {
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("resolution 1373 is of 2001, not 1999"),
            "{}",
            stderr(&out)
        );
    }
}
