//! Search quality: the field's vocabulary, the query language, passages.
//! Documents written here are test fixtures, not real briefings.

mod common;

use common::{Corpus, sessions, stderr, stdout};
use serde_json::Value;

fn highlighted(hit: &Value) -> Vec<String> {
    let passage: Vec<char> = hit["passage"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .collect();
    hit["highlights"]
        .as_array()
        .map(|ranges| {
            ranges
                .iter()
                .map(|r| {
                    let s = r[0].as_u64().unwrap_or(0) as usize;
                    let e = r[1].as_u64().unwrap_or(0) as usize;
                    passage[s..e].iter().collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn human_trafficking_also_searches_trafficking_in_persons() {
    let corpus = Corpus::shipped();
    let json = corpus.search_json(&["human trafficking"]);
    let also: Vec<&str> = json["also_searched"]
        .as_array()
        .expect("also_searched")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(also.contains(&"trafficking in persons"), "{also:?}");
    let found = sessions(&json);
    assert!(found.contains(&"Overview".to_string()));
    assert!(found.contains(&"Introductory session".to_string()));
    let text = stdout(&corpus.search(&["human trafficking"]));
    assert!(
        text.contains("also searched: trafficking in persons"),
        "{text}"
    );
    // The Overview's passage highlights the synonym phrase as a whole.
    let overview = json["hits"]
        .as_array()
        .and_then(|h| h.iter().find(|h| h["session"] == "Overview"))
        .expect("overview hit");
    assert!(highlighted(overview).contains(&"trafficking in persons".to_string()));
}

#[test]
fn no_synonyms_turns_expansion_off() {
    let corpus = Corpus::shipped();
    let json = corpus.search_json(&["SALW", "--no-synonyms"]);
    assert_eq!(json["total"], 0);
    assert_eq!(json["also_searched"], serde_json::json!([]));
}

#[test]
fn acronyms_in_any_case_find_their_expansion() {
    let corpus = Corpus::empty();
    corpus.write(
        "2019/2019-01-01-test-fixture-weapons.txt",
        "Test fixture briefing\n\nSession I\n\nThe flow of small arms and light weapons to terrorists.\n\n\
         Session II\n\nSmall grants for light aircraft and for weapons inspections.\n",
    );
    for query in ["SALW", "salw", "Salw"] {
        let json = corpus.search_json(&[query]);
        // The expansion matches as the phrase it is, never as loose words.
        assert_eq!(sessions(&json), ["Session I"], "{query}: {json}");
    }
    // The other way round: the full name finds the acronym.
    let corpus = Corpus::empty();
    corpus.write(
        "fixture.txt",
        "Test fixture. The UNODC presented its findings.\n",
    );
    let json = corpus.search_json(&["United Nations Office on Drugs and Crime"]);
    assert_eq!(json["total"], 1);
}

#[test]
fn user_synonym_file_extends_the_list() {
    let corpus = Corpus::empty();
    corpus.write("fixture.txt", "Test fixture on zanzibarite smuggling.\n");
    let file = corpus.dir.path().join("extra-synonyms.txt");
    std::fs::write(&file, "# fixture\nblue mineral, zanzibarite\n").expect("write");
    let plain = corpus.search_json(&["\"blue mineral\""]);
    assert_eq!(plain["total"], 0);
    let json = corpus.search_json(&["blue mineral", "--synonyms", file.to_str().expect("utf-8")]);
    assert_eq!(json["total"], 1);
}

#[test]
fn phrase_with_stop_words_matches_exactly() {
    let corpus = Corpus::empty();
    corpus.write(
        "a.txt",
        "Test fixture: trafficking in persons is discussed here.\n",
    );
    corpus.write(
        "b.txt",
        "Test fixture: persons involved in trafficking, not the phrase.\n",
    );
    let json = corpus.search_json(&["\"trafficking in persons\""]);
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["path"], "a.txt");
    assert_eq!(highlighted(&json["hits"][0]), ["trafficking in persons"]);
    // The index pairs "in" with the next word: phrases that start or end
    // with it, or are only the pair, match exactly too.
    for phrase in [
        "\"in persons\"",
        "\"trafficking in\"",
        "\"fixture: trafficking in persons is\"",
    ] {
        let json = corpus.search_json(&[phrase]);
        assert_eq!(json["total"], 1, "{phrase}");
        assert_eq!(json["hits"][0]["path"], "a.txt", "{phrase}");
    }
    let json = corpus.search_json(&["\"in trafficking\""]);
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["path"], "b.txt");
    // A prefix never reaches into the pairs.
    assert_eq!(corpus.search_json(&["in*"])["total"], 2);
}

#[test]
fn prefix_fuzzy_and_operators() {
    let corpus = Corpus::empty();
    corpus.write("a.txt", "Test fixture about trafficking networks.\n");
    corpus.write("b.txt", "Test fixture about drugs and terrorism.\n");
    assert_eq!(corpus.search_json(&["traffick*"])["total"], 1);
    assert_eq!(corpus.search_json(&["trafficing"])["total"], 0);
    assert_eq!(corpus.search_json(&["trafficing~"])["total"], 1);
    assert_eq!(corpus.search_json(&["trafficing", "--fuzzy"])["total"], 1);
    assert_eq!(corpus.search_json(&["fixture -drugs"])["total"], 1);
    assert_eq!(corpus.search_json(&["fixture AND drugs"])["total"], 1);
    assert_eq!(corpus.search_json(&["drugs OR networks"])["total"], 2);
    assert_eq!(corpus.search_json(&["title:fixture"])["total"], 0);
}

#[test]
fn questions_and_punctuation_never_error() {
    let corpus = Corpus::shipped();
    let json = corpus.search_json(&["what are the links between terrorist and criminal groups?"]);
    assert_eq!(sessions(&json)[0], "Introductory session");
    let punct = corpus.search(&["?!,;."]);
    assert_eq!(punct.status.code(), Some(1), "{}", stderr(&punct));
    let stop = corpus.search(&["the of and"]);
    assert!(matches!(stop.status.code(), Some(0) | Some(1)));
}

#[test]
fn syntax_errors_say_where() {
    let corpus = Corpus::shipped();
    let out = corpus.search(&["arms \"small"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("column 6"), "{}", stderr(&out));
    let out = corpus.search(&["(arms OR drugs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("parenthesis"), "{}", stderr(&out));
}

#[test]
fn best_passage_covers_most_query_terms_and_passages_flag() {
    let corpus = Corpus::empty();
    corpus.write(
        "fixture.txt",
        "Session 1\n\nTest fixture: weapons weapons weapons.\n\nTest fixture: weapons smuggled by terrorist networks.\n\nUnrelated paragraph.\n",
    );
    let json = corpus.search_json(&["terrorist weapons", "--passages", "2"]);
    let hit = &json["hits"][0];
    assert_eq!(
        hit["passage"],
        "Test fixture: weapons smuggled by terrorist networks."
    );
    let passages = hit["passages"].as_array().expect("passages");
    assert_eq!(passages.len(), 2);
    assert_eq!(
        passages[1]["text"],
        "Test fixture: weapons weapons weapons."
    );
}

#[test]
fn diacritics_fold_and_hyphenated_words_match() {
    let corpus = Corpus::empty();
    corpus.write(
        "fixture.txt",
        "Test fixture from Côte d'Ivoire on counter-terrorism.\n",
    );
    assert_eq!(corpus.search_json(&["Cote d'Ivoire"])["total"], 1);
    assert_eq!(corpus.search_json(&["counter-terrorism"])["total"], 1);
    assert_eq!(corpus.search_json(&["terrorism"])["total"], 1);
    assert_eq!(corpus.search_json(&["counter"])["total"], 1);
    let joined = corpus.search_json(&["counterterrorism"]);
    assert_eq!(joined["total"], 1);
    assert_eq!(highlighted(&joined["hits"][0]), ["counter-terrorism"]);
    let phrase = corpus.search_json(&["\"on counter-terrorism\""]);
    assert_eq!(phrase["total"], 1);
}

#[test]
fn title_and_heading_matches_weigh_more_than_body_matches() {
    let corpus = Corpus::empty();
    corpus.write(
        "a.md",
        "---\ntitle: Test fixture on cryptocurrency\n---\n\nA paragraph about other financial matters and more words.\n",
    );
    corpus.write(
        "b.md",
        "---\ntitle: Test fixture on finance\n---\n\nA paragraph about cryptocurrency matters and more words here.\n",
    );
    let json = corpus.search_json(&["cryptocurrency"]);
    assert_eq!(json["hits"][0]["path"], "a.md");
    let corpus = Corpus::empty();
    corpus.write(
        "c.txt",
        "Test fixture.\n\nSession 1: Cryptocurrency\n\nA paragraph about other financial matters.\n\nSession 2\n\nA paragraph about cryptocurrency matters, fixture.\n",
    );
    let json = corpus.search_json(&["cryptocurrency"]);
    assert_eq!(sessions(&json)[0], "Session 1: Cryptocurrency");
}

#[test]
fn sessions_with_all_terms_close_together_rank_first() {
    let corpus = Corpus::empty();
    corpus.write(
        "fixture.txt",
        "Test fixture.\n\nSession 1\n\nMoney moves across borders in many ways that the officials described; laundering came up elsewhere.\n\nSession 2\n\nMoney laundering schemes were described in detail by the panel.\n\nSession 3\n\nMoney was raised.\n",
    );
    let json = corpus.search_json(&["money laundering"]);
    assert_eq!(sessions(&json)[..2], ["Session 2", "Session 1"]);
}
