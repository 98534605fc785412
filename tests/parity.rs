//! Local and remote agree: a small corpus of every document type exported
//! to a real Quickwit node, and `search --json` against the local index
//! and against the node (`--remote`) give the same `total`, `briefings`,
//! `match`, `fallback` and facet counts, for words, plurals, phrases,
//! operators, prefixes, acronyms with their expansions, hyphenated words,
//! questions of 4 to 12 concepts, the match modes, and a filter of every
//! facet. Runs only when `QUICKWIT_BIN` names a Quickwit binary.

mod common;

use common::quickwit::start_quickwit;
use common::serve::Server;
use common::{Corpus, stderr, stdout};
use serde_json::Value;

/// The parse fixtures of each document type, beside the shipped briefing,
/// and a note with hyphenated words, plurals and acronyms.
fn fixture() -> Corpus {
    let corpus = Corpus::shipped();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/parse/fixtures");
    for (from, to) in [
        (
            "resolution/sections_and_sub_items.txt",
            "2012/2012-02-22-s-res-2036.txt",
        ),
        (
            "meeting_record/cover_and_turns.txt",
            "2020/2020-02-27-s-pv-8716.txt",
        ),
        (
            "report/headings_and_paragraphs.txt",
            "2020/2020-02-04-s-2020-95.txt",
        ),
        (
            "press_release/meetings_coverage.txt",
            "2020/2020-02-27-sc-14105.txt",
        ),
    ] {
        let text = std::fs::read(fixtures.join(from)).expect("fixture");
        corpus.write(to, text);
    }
    corpus.write(
        "2019/2019-05-01-counter-terrorism-note.txt",
        "Counter-terrorism note\n\nSession I\n\nThe Counter-Terrorism Committee met on counterterrorism \
         financing. Terrorist groups finance weapons purchases through kidnapping for ransom, \
         extortion and the trafficking of drugs.\n\nSession II\n\nUNODC and INTERPOL described \
         anti-money-laundering work; the Financial Action Task Force (FATF) reported on hawala \
         networks and sanctions evasion off the coast of Somalia.\n",
    );
    corpus
}

/// What a search answer is counted by, or its exit status when it fails.
fn counts(out: &std::process::Output) -> Result<Value, Option<i32>> {
    match out.status.code() {
        Some(0 | 1) => {
            let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
            Ok(serde_json::json!({
                "total": json["total"],
                "briefings": json["briefings"],
                "match": json["match"],
                "fallback": json["fallback"],
                "facets": json["facets"],
            }))
        }
        other => Err(other),
    }
}

#[test]
fn local_and_remote_searches_count_the_same_sessions() {
    let Ok(bin) = std::env::var("QUICKWIT_BIN") else {
        println!("skipped: QUICKWIT_BIN not set");
        return;
    };
    let corpus = fixture();
    let node = start_quickwit(&bin);
    let pushed = corpus.run("export", &["--to", "quickwit", "--url", &node.url, "-q"]);
    assert_eq!(pushed.status.code(), Some(0), "{}", stderr(&pushed));

    let mut cases: Vec<Vec<String>> = [
        // Words and plurals.
        "weapons",
        "weapon",
        "sanctions",
        "sanction",
        "resolutions",
        "threat",
        "Somalia",
        // Phrases.
        "\"trafficking in persons\"",
        "\"Panel of Experts\"",
        "\"arms trafficking\"",
        "\"kidnapping for ransom\"",
        // Operators.
        "arms AND drugs",
        "ransom OR piracy",
        "Somalia -charcoal",
        "NOT Somalia",
        "(sanctions OR embargo) AND Somalia",
        "+threat Africa",
        "title:nexus",
        "body:ransom -\"money laundering\"",
        "crime:arms-trafficking weapons",
        "org:UNODC",
        // Prefixes.
        "traffick*",
        "terror*",
        "Soma*",
        // Acronyms and their expansions.
        "UNODC",
        "INTERPOL",
        "FATF",
        "ISIL",
        "AMISOM",
        "Financial Action Task Force",
        // Hyphenated and joined words.
        "counter-terrorism",
        "counterterrorism",
        "Al-Shabaab",
        "anti-money-laundering",
        // Questions of 4 to 12 concepts.
        "how do terrorist groups finance weapons",
        "what did China say about sanctions on Somalia",
        "terrorist groups finance weapons through kidnapping for ransom and extortion",
        "how do armed groups in Somalia finance weapons through charcoal exports, kidnapping, \
         ransom, piracy and hawala networks despite sanctions and the arms embargo?",
        // Nothing matches every concept: the fallback to any.
        "charcoal okapiglow",
        "*",
    ]
    .iter()
    .map(|q| vec![q.to_string()])
    .collect();
    for mode in ["all", "most", "any"] {
        cases.push(vec![
            "--match".into(),
            mode.into(),
            "terrorist groups finance weapons through kidnapping for ransom".into(),
        ]);
    }
    // A filter of every facet, with a value the corpus has.
    let all = corpus.search_json(&["*", "--limit", "1"]);
    let facets = all["facets"].as_object().expect("facets");
    assert!(facets.len() >= 9, "{facets:?}");
    for (facet, values) in facets {
        let Some(value) = values.as_object().and_then(|v| v.keys().next()) else {
            continue;
        };
        for query in ["*", "sanctions"] {
            cases.push(vec![format!("--{facet}"), value.clone(), query.into()]);
        }
    }
    cases.push(vec!["--crime".into(), "nosuchcrime".into(), "x".into()]);

    let mut compared = 0;
    let mut matched = 0;
    for case in &cases {
        let mut args: Vec<&str> = case.iter().map(String::as_str).collect();
        args.extend(["--format", "json", "--limit", "1", "--quiet"]);
        let local = counts(&corpus.search(&args));
        args.extend(["--remote", &node.url]);
        let remote_out = corpus.search(&args);
        let remote = counts(&remote_out);
        assert_eq!(remote, local, "{case:?}: {}", stderr(&remote_out));
        compared += 1;
        matched += usize::from(local.is_ok_and(|c| c["total"].as_u64() > Some(0)));
    }
    // Most cases find something: the comparison is of real counts.
    assert!(
        compared >= 60 && matched * 10 >= compared * 8,
        "{matched} of {compared}"
    );
}

/// Test fixtures in the shape of Council resolutions citing each other
/// (abridged from the CTED resolutions, as `tests/cites.rs` has them):
/// 1535 reaffirms 1373, 1787 extends 1535, 1805, 1963 and 2129 continue
/// CTED, 1989 cites 1267, and a meeting record recalls 2129.
fn council() -> Corpus {
    let corpus = Corpus::empty();
    common::council::resolution(
        &corpus,
        "1373",
        "2001",
        "4385th",
        "28 September 2001",
        "Reaffirming its resolutions 1269 (1999) of 19 October 1999 and 1368 (2001),\n\n1. Decides that all States shall prevent and suppress the financing of terrorist acts;\n\n2. Decides to remain seized of this resolution 1373 (2001).",
    );
    common::council::resolution(
        &corpus,
        "1535",
        "2004",
        "4936th",
        "26 March 2004",
        "Reaffirming its resolution 1373 (2001) of 28 September 2001,\n\n2. Decides that the revitalized Committee will be assisted by the Counter-Terrorism Committee Executive Directorate (hereinafter \"CTED\") for an initial period ending 31 December 2007, so as to enhance the Committee's ability to monitor the implementation of resolution 1373 (2001);\n\n3. Requests the Committee to report on paragraph 6 of resolution 1373 (2001).",
    );
    common::council::cted_after_1535(&corpus, ", and S/PRST/2013/1");
    corpus.write(
        "2020-s-pv-8716.txt",
        "The President (spoke in French): I give the floor to the representative of France.\n\nMr. De Riviere (France) (spoke in French): We recall resolution 2129 (2013) and resolution 1373 (2001), and the work of the Committee on maritime security.\n",
    );
    corpus
}

/// The (path, session, cited_by) of every hit, in path and session order
/// (a remote search has no scores to order by).
fn cited_by_of_hits(json: &Value) -> Vec<(String, String, Value)> {
    let mut hits: Vec<(String, String, Value)> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["path"].as_str().unwrap_or_default().to_string(),
                h["session"].as_str().unwrap_or_default().to_string(),
                h["cited_by"].clone(),
            )
        })
        .collect();
    hits.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    hits
}

#[test]
fn local_and_remote_citations_are_the_same() {
    let Ok(bin) = std::env::var("QUICKWIT_BIN") else {
        println!("skipped: QUICKWIT_BIN not set");
        return;
    };
    let corpus = council();
    let node = start_quickwit(&bin);
    let pushed = corpus.run("export", &["--to", "quickwit", "--url", &node.url, "-q"]);
    assert_eq!(pushed.status.code(), Some(0), "{}", stderr(&pushed));
    let remote = ["--remote", node.url.as_str()];
    let both = |sub: &str, args: &[&str]| {
        let local = corpus.run(sub, args);
        let mut with_remote = args.to_vec();
        with_remote.extend(remote);
        let far = corpus.run(sub, &with_remote);
        assert_eq!(
            far.status.code(),
            local.status.code(),
            "{sub} {args:?}: {} / {}",
            stderr(&local),
            stderr(&far)
        );
        assert_eq!(
            stdout(&far),
            stdout(&local),
            "{sub} {args:?} differs with --remote"
        );
        local
    };

    let mut listed = 0;
    for symbol in [
        "1373",
        "1535",
        "1787",
        "1805",
        "1963",
        "2129",
        "1989",
        "1267",
        "1269",
        "S/PRST/2013/1",
        "S/PV.8716",
        "9999",
    ] {
        let by = both("cites", &[symbol, "--format", "json"]);
        both("cites", &[symbol, "--from", "--format", "json"]);
        both("cites", &[symbol, "--lineage", "--format", "json"]);
        both("cites", &[symbol, "--color", "never"]);
        if by.status.code() != Some(0) {
            continue;
        }
        // The list's length is `search --cites`'s document count, on both.
        let by: Value = serde_json::from_slice(&by.stdout).expect("JSON");
        let target = by["target"].as_str().expect("target");
        for engine in [&[][..], &remote[..]] {
            let mut args = vec!["*", "--cites", target, "--limit", "1", "--quiet"];
            args.extend(engine);
            let found = corpus.search_json(&args);
            assert_eq!(found["briefings"], by["cited_by"], "{target} {engine:?}");
        }
        listed += 1;
    }
    assert!(listed >= 6, "{listed}");
    both("cites", &["1535", "--kind", "extends", "--format", "json"]);

    // Hits' "cited by", and `show` with its citations, text and JSON.
    let every = corpus.search_json(&["*", "--limit", "100", "--quiet"]);
    let mut args = vec!["*", "--limit", "100", "--quiet"];
    args.extend(remote);
    let far = corpus.search_json(&args);
    let hits = cited_by_of_hits(&every);
    assert_eq!(cited_by_of_hits(&far), hits);
    assert!(
        hits.iter().filter(|h| h.2.as_u64() > Some(1)).count() >= 3,
        "{hits:?}"
    );
    let mut paths: Vec<&str> = hits.iter().map(|h| h.0.as_str()).collect();
    paths.dedup();
    assert!(paths.len() >= 8, "{paths:?}");
    for path in paths {
        let shown = both("show", &[path, "--json"]);
        let shown: Value = serde_json::from_slice(&shown.stdout).expect("JSON");
        assert!(shown.get("cited_by").is_some(), "{shown}");
        both("show", &[path, "--color", "never"]);
    }

    // A query naming a document puts it first, then its citers, on both.
    for (query, first) in [
        ("resolution 1373", "S/RES/1373 (2001)"),
        ("S/RES/1535 (2004)", "S/RES/1535 (2004)"),
        ("resolution 1963", "S/RES/1963 (2010)"),
    ] {
        for engine in [&[][..], &remote[..]] {
            let mut args = vec![query, "--quiet"];
            args.extend(engine);
            let found = corpus.search_json(&args);
            let symbols: Vec<&str> = found["hits"]
                .as_array()
                .expect("hits")
                .iter()
                .map(|h| h["symbol"].as_str().unwrap_or_default())
                .collect();
            assert_eq!(symbols.first(), Some(&first), "{query} {engine:?}: {found}");
            // Then the documents citing it, before any other (those
            // "resolution 1963" matches: a symbol with its year matches
            // the citers' words only locally, among partial hits).
            if !query.starts_with("resolution") {
                continue;
            }
            let citing = found["hits"]
                .as_array()
                .expect("hits")
                .iter()
                .skip_while(|h| h["symbol"] == first)
                .take_while(|h| {
                    h["cites"]
                        .as_array()
                        .is_some_and(|c| c.iter().any(|t| t == first))
                })
                .count();
            assert!(citing >= 1, "{query} {engine:?}: {found}");
        }
    }

    // `serve --remote`: the API's and the page's citations as locally.
    let local_server = Server::start(&corpus, &[]);
    let remote_server = Server::start(&corpus, &["--remote", &node.url]);
    for path in ["S-RES-1535(2004).txt", "S-RES-1963(2010).txt"] {
        let api = format!(
            "/api/show?path={}",
            path.replace('(', "%28").replace(')', "%29")
        );
        let shown = local_server.json(&api);
        assert!(shown["cited_by"].as_u64() > Some(0), "{shown}");
        assert_eq!(remote_server.json(&api), shown, "{api}");
        let page = api.replacen("/api/show", "/show", 1);
        let (local, far) = (local_server.get(&page), remote_server.get(&page));
        assert_eq!(far.status, 200);
        let count = format!("Cited by {}", shown["cited_by"]);
        assert!(local.body.contains(&count), "{}", local.body);
        assert!(far.body.contains(&count), "{count}: {}", far.body);
        assert!(far.body.contains("id=\"lineage\""), "{}", far.body);
        assert_eq!(far.body, local.body, "{page}");
    }
    drop((local_server, remote_server));

    // The whole network, read from the node, is the local one.
    for format in ["csv", "graphml"] {
        let graph = both("cites", &["--graph", format]);
        assert_eq!(graph.status.code(), Some(0), "{}", stderr(&graph));
        assert!(
            stdout(&graph).contains("S/RES/1535 (2004)"),
            "{}",
            stdout(&graph)
        );
    }
}
