//! Counts analysts can trust: a session matches when it holds every
//! concept of a short query, expansions match as phrases, a short query's
//! words together rank first, and the field's words keep their meaning.

mod common;

use common::{Corpus, sessions, stderr};

/// The shipped seed plus two test fixture briefings of other shapes: a
/// Markdown summary and a plain-text one without session headings.
fn seed_and_two() -> Corpus {
    let corpus = Corpus::shipped();
    corpus.write(
        "2019/2019-03-01-test-fixture-ftf-briefing.md",
        "# Test fixture briefing on returnees\n\n## Session I\n\n\
         Member States described the return of foreign terrorist fighters and their families.\n\n\
         ## Session II\n\nThe fight against terrorism financing was discussed with international partners.\n",
    );
    corpus.write(
        "2020/2020-05-01-test-fixture-armed-groups.txt",
        "Test fixture summary on armed groups. The army of one State fought armed groups; \
         human rights and human suffering were discussed at length, and trafficking was mentioned once.\n",
    );
    corpus
}

#[test]
fn arms_trafficking_puts_session_three_first() {
    let corpus = seed_and_two();
    let json = corpus.search_json(&["arms trafficking"]);
    assert_eq!(sessions(&json)[0], "Session III", "{json}");
    // A whole query in parentheses is the same query.
    let grouped = corpus.search_json(&["(arms trafficking)"]);
    assert_eq!(sessions(&grouped)[0], "Session III", "{grouped}");
    assert_eq!(json["match"], "all");
    assert_eq!(json["fallback"], false);
}

#[test]
fn an_acronym_matches_only_its_expansion_as_a_phrase() {
    let corpus = seed_and_two();
    let json = corpus.search_json(&["FTF"]);
    assert_eq!(json["total"], 1, "{json}");
    assert_eq!(
        json["hits"][0]["path"],
        "2019/2019-03-01-test-fixture-ftf-briefing.md"
    );
    assert_eq!(sessions(&json), ["Session I"]);
}

#[test]
fn arms_does_not_match_armed_or_army() {
    let corpus = seed_and_two();
    let armed = corpus.search_json(&["armed"]);
    assert!(
        !sessions(&armed).contains(&"Session III".to_string()),
        "{armed}"
    );
    let arms = corpus.search_json(&["arms"]);
    for hit in arms["hits"].as_array().into_iter().flatten() {
        assert_ne!(
            hit["path"], "2020/2020-05-01-test-fixture-armed-groups.txt",
            "{arms}"
        );
    }
}

#[test]
fn nothing_matching_every_word_falls_back_to_any_and_says_so() {
    let corpus = seed_and_two();
    let out = corpus.search(&["returnees quokkaglimmer", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["match"], "any");
    assert_eq!(json["fallback"], true);
    assert!(stderr(&out).contains("any of them"), "{}", stderr(&out));
    // Asked for all, there is no fallback: nothing matches.
    let out = corpus.search(&["returnees quokkaglimmer", "--match", "all"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn match_modes_order_their_totals() {
    let corpus = seed_and_two();
    let total = |mode: &str| {
        corpus.search_json(&["terrorist groups", "--match", mode])["total"]
            .as_u64()
            .expect("total")
    };
    let (all, any) = (total("all"), total("any"));
    assert!(all < any, "all {all} any {any}");
    // Every total and facet count is of the match set.
    let json = corpus.search_json(&["terrorist groups"]);
    let years: u64 = json["facets"]["year"]
        .as_object()
        .expect("years")
        .values()
        .filter_map(|v| v.as_u64())
        .sum();
    assert_eq!(years, json["total"].as_u64().expect("total"));
}

#[test]
fn a_stemming_file_keeps_a_word_apart_and_rebuilds_once() {
    let corpus = seed_and_two();
    corpus.run("index", &[]);
    let file = corpus.dir.path().join("test-fixture-stemming.txt");
    // "families" kept apart from "family": the fixture says "families".
    std::fs::write(&file, "# test fixture\nfamilies\n").expect("write");
    let path = file.to_str().expect("utf-8");
    let plain = corpus.search_json(&["family"]);
    assert_eq!(sessions(&plain), ["Session I"], "{plain}");
    let out = corpus.run("index", &["--stemming", path, "--format", "json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary");
    assert!(summary["rebuilt"].is_string(), "{summary}");
    let again = corpus.run("index", &["--stemming", path, "--format", "json"]);
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).expect("summary");
    assert!(again["rebuilt"].is_null(), "{again}");
    let kept = corpus.search_json(&["family", "--stemming", path, "--match", "all"]);
    assert_eq!(kept["total"], 0, "{kept}");
    let exact = corpus.search_json(&["families", "--stemming", path]);
    assert_eq!(sessions(&exact), ["Session I"], "{exact}");
}

#[test]
fn a_parenthesized_pair_inside_a_long_query_is_not_ranked_as_the_whole_query() {
    let corpus = Corpus::empty();
    corpus.write(
        "2020/2020-01-01-test-fixture-shells.md",
        "# Test fixture on shells\n\n## Session I\n\n\
         Initial axisymmetric deviations from circularity change the response of \
         cylinders under hydrostatic pressure.\n",
    );
    corpus.write(
        "2020/2020-01-02-test-fixture-plates.md",
        "# Test fixture on plates\n\n## Session I\n\n\
         The effect of large-deflection theory on the response of plates was reviewed.\n",
    );
    corpus.write(
        "2020/2020-01-03-test-fixture-scattered.md",
        "# Test fixture on loads\n\n## Session I\n\n\
         Large loads, large frames and large plates: the deflection, the deflection \
         and again the deflection.\n",
    );
    let json = corpus.search_json(&[
        "the effect of initial axisymmetric deviations from circularity on the \
         (large-deflection) response of cylinders under hydrostatic pressure",
    ]);
    assert_eq!(
        json["hits"][0]["path"], "2020/2020-01-01-test-fixture-shells.md",
        "{json}"
    );
    // The same pair as the whole query does rank as a phrase, above a
    // session that says both words more often, apart.
    let short = corpus.search_json(&["large deflection"]);
    assert_eq!(
        short["hits"][0]["path"], "2020/2020-01-02-test-fixture-plates.md",
        "{short}"
    );
}

#[test]
fn an_arms_embargo_is_found_in_its_operative_wording_and_a_state_under_its_earlier_name() {
    let corpus = Corpus::empty();
    corpus.write(
        "1992/1992-03-31-test-fixture-resolution.txt",
        "Test fixture resolution\n\nDecides that all States shall prohibit any provision \
         to the Libyan Arab Jamahiriya of arms and related material of all types.\n",
    );
    corpus.write(
        "1992/1992-04-01-test-fixture-other.txt",
        "Test fixture on trade\n\nThe embargo on oil and the arms of the police were discussed.\n",
    );
    let json = corpus.search_json(&["arms embargo Libya"]);
    assert_eq!(json["total"], 1, "{json}");
    assert_eq!(
        json["hits"][0]["path"], "1992/1992-03-31-test-fixture-resolution.txt",
        "{json}"
    );
}

#[test]
fn a_long_query_matches_a_session_holding_its_rarest_concept_but_not_a_common_one_alone() {
    let corpus = Corpus::empty();
    for n in 0..12 {
        corpus.write(
            &format!("2020/2020-02-{:02}-test-fixture-filler.txt", n + 1),
            format!("Test fixture number {n}\n\nStates report on measures and their networks.\n"),
        );
    }
    corpus.write(
        "2021/2021-01-01-test-fixture-rare.txt",
        "Test fixture on remittances\n\nThe hawala operators were listed.\n",
    );
    corpus.write(
        "2021/2021-01-02-test-fixture-common.txt",
        "Test fixture on budgets\n\nThe measures were listed.\n",
    );
    let json = corpus.search_json(&[
        "which measures do States report against hawala networks",
        "--limit",
        "100",
    ]);
    assert_eq!(json["match"], "most", "{json}");
    let paths = common::full_paths(&json);
    assert!(
        paths.contains(&"2021/2021-01-01-test-fixture-rare.txt".to_string()),
        "{paths:?}"
    );
    assert!(
        !paths.contains(&"2021/2021-01-02-test-fixture-common.txt".to_string()),
        "{paths:?}"
    );
    assert_eq!(json["total"], 13, "{json}");
}

#[test]
fn a_synonym_group_weighs_as_common_as_its_expressions_together() {
    let corpus = Corpus::empty();
    for n in 0..10 {
        corpus.write(
            &format!("2020/2020-03-{:02}-test-fixture-libya.txt", n + 1),
            format!("Test fixture number {n}\n\nLibya was mentioned.\n"),
        );
    }
    corpus.write(
        "2010/2010-01-01-test-fixture-jamahiriya.txt",
        "Test fixture old name\n\nThe Libyan Arab Jamahiriya was mentioned.\n",
    );
    for n in 0..8 {
        corpus.write(
            &format!("2021/2021-03-{:02}-test-fixture-measures.txt", n + 1),
            format!("Test fixture measures {n}\n\nMeasures, report, networks and sanctions.\n"),
        );
    }
    // "Libya" is the commonest concept here: a session holding it alone
    // does not say as much as two of the query's concepts.
    let json = corpus.search_json(&["Libya measures report networks sanctions", "--limit", "100"]);
    assert_eq!(json["match"], "most", "{json}");
    assert_eq!(json["total"], 8, "{json}");
}

#[test]
fn deleted_sessions_do_not_loosen_the_match_rule() {
    let corpus = Corpus::empty();
    let fillers = |tag: &str| {
        for n in 0..20 {
            corpus.write(
                &format!("2020/2020-04-{:02}-test-fixture-filler.txt", n + 1),
                format!("Test fixture {tag} {n}\n\nCustoms and ports were inspected.\n"),
            );
        }
    };
    fillers("first");
    corpus.write(
        "2021/2021-04-01-test-fixture-customs.txt",
        "Test fixture customs\n\nThe customs office.\n",
    );
    corpus.write(
        "2021/2021-04-02-test-fixture-hawala.txt",
        "Test fixture hawala\n\nThe hawala office.\n",
    );
    let query = ["customs ports hawala networks", "--limit", "100"];
    let before = corpus.search_json(&query);
    // Every filler changes: their old sessions stay in the segments,
    // deleted, until a merge.
    fillers("second");
    assert_eq!(corpus.run("index", &["-q"]).status.code(), Some(0));
    let after = corpus.search_json(&query);
    for json in [&before, &after] {
        let paths = common::full_paths(json);
        assert!(
            !paths.contains(&"2021/2021-04-01-test-fixture-customs.txt".to_string()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"2021/2021-04-02-test-fixture-hawala.txt".to_string()),
            "{paths:?}"
        );
        assert_eq!(json["total"], 21, "{json}");
    }
}

/// The match set ends the count, not the list: after the sessions holding
/// every concept come the best partial matches, by the concepts they hold,
/// each saying what it lacks; `total` and the facets count the match set
/// only, and `--match all` keeps the strict list.
#[test]
fn partial_matches_follow_the_match_set_and_say_what_they_lack() {
    let corpus = Corpus::empty();
    corpus.write(
        "2004/2004-03-11-test-fixture-madrid.txt",
        "Test fixture on Madrid\n\nThe Council condemns the bomb attacks in Madrid on 11 March 2004.\n",
    );
    corpus.write(
        "2004/2004-03-12-test-fixture-train.txt",
        "Test fixture on Madrid trains\n\nThe train bombings in Madrid killed many.\n",
    );
    corpus.write(
        "2005/2005-07-07-test-fixture-london.txt",
        "Test fixture on London\n\nThe bombings in London were condemned.\n",
    );
    corpus.write(
        "2006/2006-01-01-test-fixture-other.txt",
        "Test fixture on shipping\n\nPiracy off the coast.\n",
    );
    let json = corpus.search_json(&["Madrid train bombings", "--limit", "10"]);
    assert_eq!(json["total"], 1, "{json}");
    assert_eq!(json["partial"], 2, "{json}");
    let hits = json["hits"].as_array().expect("hits");
    assert_eq!(hits[0]["path"], "2004/2004-03-12-test-fixture-train.txt");
    assert_eq!(hits[0]["match"], "full");
    assert_eq!(hits[0]["missing"], serde_json::json!([]));
    // Madrid and bomb(ings) outweigh bombings alone.
    assert_eq!(hits[1]["path"], "2004/2004-03-11-test-fixture-madrid.txt");
    assert_eq!(hits[1]["match"], "partial");
    assert_eq!(hits[1]["missing"], serde_json::json!(["train"]));
    assert_eq!(hits[2]["path"], "2005/2005-07-07-test-fixture-london.txt");
    assert_eq!(hits[2]["missing"], serde_json::json!(["Madrid", "train"]));
    assert_eq!(
        json["facets"]["year"],
        serde_json::json!({"2004": 1}),
        "{json}"
    );
    let strict = corpus.search_json(&["Madrid train bombings", "--match", "all"]);
    assert_eq!(
        common::paths(&strict),
        ["2004/2004-03-12-test-fixture-train.txt"]
    );
    assert_eq!(strict["partial"], 0);
    let text = common::stdout(&corpus.search(&["Madrid train bombings", "--color", "never"]));
    assert!(text.contains("(partial: without train)"), "{text}");
    assert!(
        text.contains("1 session matched in 1 document, then 2 partial matches"),
        "{text}"
    );
}
