//! Local and remote agree: a small corpus of every document type exported
//! to a real Quickwit node, and `search --json` against the local index
//! and against the node (`--remote`) give the same `total`, `briefings`,
//! `match`, `fallback` and facet counts, for words, plurals, phrases,
//! operators, prefixes, acronyms with their expansions, hyphenated words,
//! questions of 4 to 12 concepts, the match modes, and a filter of every
//! facet. Runs only when `QUICKWIT_BIN` names a Quickwit binary.

mod common;

use common::quickwit::start_quickwit;
use common::{Corpus, stderr};
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
