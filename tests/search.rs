//! The main job end to end: index a corpus, search it, filter, JSON, exit codes.

mod common;

use common::{Corpus, SEED, sessions, stderr, stdout};

#[test]
fn arms_trafficking_ranks_session_three_first_with_highlights() {
    let corpus = Corpus::shipped();
    let json = corpus.search_json(&["arms trafficking"]);
    assert_eq!(sessions(&json)[0], "Session III");
    let hit = &json["hits"][0];
    assert_eq!(hit["path"], SEED);
    let passage = hit["passage"].as_str().expect("passage");
    assert!(passage.contains("arms trafficking"), "{passage}");
    // Highlights are character offsets of the matched words.
    let chars: Vec<char> = passage.chars().collect();
    let highlighted: Vec<String> = hit["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|r| {
            let s = r[0].as_u64().expect("start") as usize;
            let e = r[1].as_u64().expect("end") as usize;
            chars[s..e].iter().collect::<String>().to_lowercase()
        })
        .collect();
    assert!(
        highlighted.iter().any(|h| h.contains("arms")),
        "{highlighted:?}"
    );
    assert!(
        highlighted.iter().any(|h| h.contains("trafficking")),
        "{highlighted:?}"
    );
}

#[test]
fn first_search_builds_the_index_and_says_so() {
    let corpus = Corpus::shipped();
    let out = corpus.search(&["weapons"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("indexing"), "{}", stderr(&out));
    assert!(corpus.index().join("CURRENT").exists());
    let again = corpus.search(&["weapons"]);
    assert!(
        !stderr(&again).contains("indexing"),
        "second search re-indexed"
    );
}

#[test]
fn json_has_every_documented_field() {
    let corpus = Corpus::shipped();
    let json = corpus.search_json(&["weapons"]);
    for key in ["query", "total", "took_ms", "hits", "facets"] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["query"], "weapons");
    let hit = &json["hits"][0];
    for key in [
        "path",
        "title",
        "date",
        "session",
        "crimes",
        "orgs",
        "score",
        "passage",
        "highlights",
    ] {
        assert!(hit.get(key).is_some(), "missing hit.{key}");
    }
    assert_eq!(
        hit["title"],
        "Open briefing of the Counter-Terrorism Committee on the nexus between international terrorism and transnational organized crime"
    );
    assert_eq!(hit["date"], "2018-10-08");
    for facet in ["session", "crime", "org", "year"] {
        assert!(json["facets"][facet].is_object(), "missing facets.{facet}");
    }
}

#[test]
fn seed_sessions_are_tagged_as_the_text_says() {
    let corpus = Corpus::shipped();
    let json = corpus.search_json(&["*", "--limit", "10"]);
    assert_eq!(json["total"], 3);
    let hit = |label: &str| {
        json["hits"]
            .as_array()
            .and_then(|h| h.iter().find(|h| h["session"] == label))
            .cloned()
            .unwrap_or_else(|| panic!("no session {label}"))
    };
    let overview = hit("Overview");
    for crime in [
        "trafficking-in-persons",
        "drug-trafficking",
        "arms-trafficking",
    ] {
        assert!(
            overview["crimes"]
                .as_array()
                .expect("crimes")
                .iter()
                .any(|c| c == crime),
            "Overview lacks {crime}"
        );
    }
    let three = hit("Session III");
    assert_eq!(three["crimes"], serde_json::json!(["arms-trafficking"]));
    // Only what the session itself names: not the CTC of the briefing's title.
    assert_eq!(
        three["orgs"],
        serde_json::json!(["INTERPOL", "Small Arms Survey", "UNODA", "UNODC"])
    );
    for org in ["INTERPOL", "UNODC", "UNODA", "Small Arms Survey"] {
        assert!(
            three["orgs"]
                .as_array()
                .expect("orgs")
                .iter()
                .any(|o| o == org),
            "Session III lacks {org}"
        );
    }
    // Facet counts over the whole corpus.
    assert_eq!(json["facets"]["year"]["2018"], 3);
    assert_eq!(json["facets"]["crime"]["arms-trafficking"], 2);
    assert_eq!(json["facets"]["session"]["Session III"], 1);
}

#[test]
fn facet_counts_cover_all_matches_not_only_shown_hits() {
    let corpus = Corpus::shipped();
    let json = corpus.search_json(&["terrorist", "--limit", "1"]);
    assert_eq!(json["hits"].as_array().map(Vec::len), Some(1));
    let counted: u64 = json["facets"]["session"]
        .as_object()
        .expect("session facet")
        .values()
        .filter_map(|v| v.as_u64())
        .sum();
    assert_eq!(counted, json["total"].as_u64().expect("total"));
    assert!(counted > 1);
}

#[test]
fn session_filter_accepts_numerals_and_labels() {
    let corpus = Corpus::shipped();
    for value in ["III", "3", "Session III", "session 3"] {
        let json = corpus.search_json(&["weapons", "--session", value]);
        assert_eq!(sessions(&json), ["Session III"], "--session {value}");
    }
    let json = corpus.search_json(&["terrorist", "--session", "introductory", "--session", "III"]);
    let mut got = sessions(&json);
    got.sort();
    assert_eq!(got, ["Introductory session", "Session III"]);
}

#[test]
fn crime_and_org_filters_narrow_and_combine() {
    let corpus = Corpus::shipped();
    let all = corpus.search_json(&["trafficking"]);
    assert!(sessions(&all).len() >= 2);
    let arms = corpus.search_json(&["trafficking", "--crime", "arms-trafficking"]);
    assert!(
        sessions(&arms)
            .iter()
            .all(|s| s == "Session III" || s == "Overview")
    );
    let arms_unodc = corpus.search_json(&[
        "trafficking",
        "--crime",
        "arms-trafficking",
        "--org",
        "unodc",
    ]);
    assert_eq!(sessions(&arms_unodc), ["Session III"]);
    let persons = corpus.search_json(&["trafficking", "--crime", "trafficking-in-persons"]);
    assert!(!sessions(&persons).contains(&"Session III".to_string()));
}

#[test]
fn exit_codes_follow_grep() {
    let corpus = Corpus::shipped();
    assert_eq!(corpus.search(&["weapons"]).status.code(), Some(0));
    let none = corpus.search(&["xylophone"]);
    assert_eq!(none.status.code(), Some(1));
    let bad = corpus.search(&["weapons", "--crime", "arms"]);
    assert_eq!(bad.status.code(), Some(2));
    let message = stderr(&bad);
    assert!(
        message.contains("did you mean arms-trafficking"),
        "{message}"
    );
    assert!(!message.contains("panicked"));
    let missing = Corpus::empty();
    let out = missing.run("search", &["--corpus", "/nonexistent/corpus", "x"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn piped_text_has_no_escape_codes_and_forced_color_has() {
    let corpus = Corpus::shipped();
    let plain = corpus.search(&["arms trafficking"]);
    assert!(!stdout(&plain).contains('\x1b'));
    assert!(stdout(&plain).contains("Session III"));
    let colored = corpus.search(&["arms trafficking", "--color", "always"]);
    assert!(stdout(&colored).contains("\x1b[1;31m"));
}

#[test]
fn index_command_prints_a_summary() {
    let corpus = Corpus::shipped();
    let out = corpus.run("index", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("added 1"), "{text}");
    assert!(text.contains("3 sessions"), "{text}");
}

#[test]
fn year_and_briefing_counts_follow_the_matching_sessions() {
    let corpus = Corpus::empty();
    corpus.write(
        "2019/2019-01-01-test-fixture-a.md",
        "# Test fixture A\n\n## Session I\n\nFirearms seized.\n\n## Session II\n\nNothing here.\n\n\
         ## Session III\n\nMore firearms.\n\n## Session IV\n\nFirearms again.\n",
    );
    corpus.write(
        "2020/2020-01-01-test-fixture-b.md",
        "# Test fixture B\n\n## Session I\n\nFirearms trade.\n\n## Session II\n\nNo match.\n",
    );
    corpus.write(
        "2020/2020-02-01-test-fixture-c.md",
        "# Test fixture C\n\n## Session I\n\nUnrelated words.\n\n## Session II\n\nFirearms.\n",
    );
    let json = corpus.search_json(&["firearms"]);
    assert_eq!(json["total"], 5, "{json}");
    assert_eq!(json["briefings"], 3, "{json}");
    assert_eq!(json["facets"]["year"]["2019"], 3, "{json}");
    assert_eq!(json["facets"]["year"]["2020"], 2, "{json}");
    let json = corpus.search_json(&["firearms", "--year", "2020"]);
    assert_eq!(json["total"], 2, "{json}");
    assert_eq!(json["briefings"], 2, "{json}");
}

#[test]
fn chart_draws_the_year_counts_in_ascii_when_piped() {
    let corpus = Corpus::shipped();
    let out = corpus.search(&["weapons", "--chart", "year"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let chart = text
        .split("\nyear:\n")
        .nth(1)
        .expect("a chart after the hits");
    assert!(chart.trim_start().starts_with("2018  #"), "{chart}");
    assert!(!chart.contains('█'), "ASCII when piped: {chart}");
    let out = corpus.run("facets", &["--chart", "nosuchfacet"]);
    assert_eq!(out.status.code(), Some(2));
    let out = corpus.search(&["weapons", "--chart", "year", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_unknown_chart_facet_is_refused_before_any_search_work() {
    let corpus = Corpus::shipped();
    let out = corpus.search(&["--chart", "nosuch", "weapons"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown facet \"nosuch\" for --chart"),
        "{}",
        stderr(&out)
    );
    // Refused before the index was built.
    assert!(!corpus.index().exists());
}
