//! `ctsearch export`, `search --remote` and `serve --remote`: the shape of the exported
//! files (always), and a real Quickwit node when `QUICKWIT_BIN` names its
//! binary (skipped otherwise, saying so).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::quickwit::{QuickwitNode, start_quickwit};
use common::serve::Server;
use common::{Corpus, stderr, stdout};
use serde_json::Value;

/// The shipped corpus plus briefings with the metadata the shipped one
/// lacks: a year-only date, a symbol, a sidecar with free-text date.
fn fixture() -> Corpus {
    let corpus = Corpus::shipped();
    corpus.write(
        "2019/2019-05-01-fixture-finance.txt",
        "Fixture briefing on finance\n\nSession I\n\nTerrorism financing and money laundering through hawala, with FATF.\n\n\
         Session II\n\nKidnapping for ransom in the Sahel.\n",
    );
    corpus.write(
        "reports/fixture-report.md",
        "---\ntitle: Fixture report\ndate: 2020\nsymbol: S/2020/123\n---\n\n# Fixture report\n\nAn overview of arms trafficking.\n\n## Findings\n\nDrug trafficking finances armed groups; UNODC assists.\n",
    );
    corpus.write(
        "misc/undated.txt",
        "Undated fixture\n\nSession I\n\nCybercrime and document fraud.\n",
    );
    corpus.write("misc/undated.txt.meta.toml", "date = \"spring 2021\"\n");
    corpus
}

fn json_of(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "failed: {}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn ndjson(dir: &Path, prefix: &str) -> Vec<Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".ndjson"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no {prefix}-*.ndjson");
    let mut docs = Vec::new();
    for file in files {
        assert!(std::fs::metadata(&file).expect("meta").len() < 10_000_000);
        let text = std::fs::read_to_string(&file).expect("read");
        for line in text.lines() {
            docs.push(serde_json::from_str(line).expect("a JSON line"));
        }
    }
    docs
}

/// Facet counts (as `facets --json` names them) computed from documents.
fn facet_counts(docs: &[Value]) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut facets: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for name in [
        "session", "crime", "org", "year", "type", "speaker", "country", "symbol", "cites",
    ] {
        facets.insert(name.into(), BTreeMap::new());
    }
    for doc in docs {
        for (facet, field) in [
            ("session", "session_label"),
            ("crime", "crimes"),
            ("org", "orgs"),
            ("year", "year"),
            ("type", "type"),
            ("speaker", "speaker"),
            ("country", "country"),
            ("symbol", "symbol"),
            ("cites", "cites"),
        ] {
            let values: Vec<String> = match &doc[field] {
                Value::String(s) => vec![s.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            };
            for value in values {
                *facets
                    .get_mut(facet)
                    .expect("facet")
                    .entry(value)
                    .or_default() += 1;
            }
        }
    }
    facets
}

fn local_facets(corpus: &Corpus, query: &[&str]) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut args = vec!["--json"];
    args.extend(query);
    let out = corpus.run("facets", &args);
    serde_json::from_slice(&out.stdout).expect("facets JSON")
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    }
}

#[test]
fn quickwit_files_have_the_configs_fields_and_every_session_once() {
    let corpus = fixture();
    let dir = corpus.dir.path().join("qw");
    let out = corpus.run(
        "export",
        &[
            "--to",
            "quickwit",
            dir.to_str().expect("utf-8"),
            "--format",
            "json",
            "-q",
        ],
    );
    let summary = json_of(&out);
    assert_eq!(summary["briefings"], 4);
    assert!(dir.join("README.md").exists());
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("readme");
    assert!(readme.contains("/api/v1/indexes") && readme.contains("ingest?commit=force"));

    // The YAML parses, and declares each field once with its type.
    let yaml = std::fs::read_to_string(dir.join("index-config.yaml")).expect("config");
    let config: serde_norway::Value = serde_norway::from_str(&yaml).expect("YAML parses");
    assert_eq!(config["version"].as_f64(), Some(0.8));
    assert_eq!(config["index_id"].as_str(), Some("ctsearch"));
    let mappings = config["doc_mapping"]["field_mappings"]
        .as_sequence()
        .expect("field_mappings");
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    for m in mappings {
        let name = m["name"].as_str().expect("name").to_string();
        let kind = m["type"].as_str().expect("type").to_string();
        if ["title", "session", "body"].contains(&name.as_str()) {
            assert_eq!(m["record"].as_str(), Some("position"), "{name}");
            assert_eq!(m["fieldnorms"].as_bool(), Some(true), "{name}");
        }
        if [
            "session_key",
            "crimes",
            "orgs",
            "year",
            "type",
            "speaker",
            "country",
            "symbol",
        ]
        .contains(&name.as_str())
        {
            assert_eq!(m["tokenizer"].as_str(), Some("raw"), "{name}");
            assert_eq!(m["fast"].as_bool(), Some(true), "{name}");
        }
        assert!(types.insert(name, kind).is_none(), "a field twice");
    }
    assert_eq!(types["crimes"], "array<text>");
    assert_eq!(types["date"], "datetime");

    // Every line has only the config's fields, the always-present ones,
    // with values of the declared types.
    let docs = ndjson(&dir, "sessions");
    let always: BTreeSet<&str> = ctsearch::export::FIELDS
        .iter()
        .filter(|f| f.always)
        .map(|f| f.name)
        .collect();
    for doc in &docs {
        let object = doc.as_object().expect("an object");
        for name in &always {
            assert!(object.contains_key(*name), "{name} missing in {doc}");
        }
        for (name, value) in object {
            let kind = types
                .get(name)
                .unwrap_or_else(|| panic!("{name} is not in the config"));
            let ok = match kind.as_str() {
                "text" => value.is_string(),
                "u64" => value.is_u64(),
                "datetime" => value.as_str().is_some_and(is_date),
                "array<text>" => value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
                "array<json>" => value
                    .as_array()
                    .is_some_and(|a| a.iter().all(|p| p["text"].is_string())),
                other => panic!("unexpected type {other}"),
            };
            assert!(ok, "{name}: {value} is no {kind}");
        }
    }
    // Dates: as written when the datetime field reads them, else only the text.
    let by_path = |p: &str| docs.iter().find(|d| d["path"] == p).expect("exported");
    assert_eq!(by_path("reports/fixture-report.md")["date"], "2020");
    assert_eq!(by_path("reports/fixture-report.md")["symbol"], "S/2020/123");
    let undated = by_path("misc/undated.txt");
    assert!(undated.get("date").is_none());
    assert_eq!(undated["date_text"], "spring 2021");

    // Every session exactly once.
    let ids: BTreeSet<&str> = docs.iter().filter_map(|d| d["doc_id"].as_str()).collect();
    assert_eq!(ids.len(), docs.len());
    let sessions: BTreeSet<(String, u64)> = docs
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("").to_string(),
                d["session_ord"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect();
    assert_eq!(sessions.len(), docs.len());
    let local = local_facets(&corpus, &[]);
    let local_sessions: u64 = local["type"].values().sum();
    assert_eq!(docs.len() as u64, local_sessions);
    // Facet counts from the files equal ctsearch's own.
    assert_eq!(facet_counts(&docs), local);
}

#[test]
fn elasticsearch_files_are_a_mapping_and_bulk_lines_with_stable_ids() {
    let corpus = fixture();
    let dir = corpus.dir.path().join("es");
    let out = corpus.run(
        "export",
        &["--to", "elasticsearch", dir.to_str().expect("utf-8"), "-q"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mapping: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("mapping.json")).expect("mapping"))
            .expect("JSON");
    let properties = mapping["mappings"]["properties"]
        .as_object()
        .expect("properties");
    assert_eq!(properties["crimes"]["type"], "keyword");
    assert_eq!(properties["date"]["type"], "date");
    let lines = ndjson(&dir, "bulk");
    assert_eq!(lines.len() % 2, 0);
    let mut docs = Vec::new();
    for pair in lines.chunks(2) {
        let action = &pair[0]["index"];
        assert_eq!(action["_index"], "ctsearch");
        assert_eq!(action["_id"], pair[1]["doc_id"]);
        for key in pair[1].as_object().expect("doc").keys() {
            assert!(properties.contains_key(key), "{key} not mapped");
        }
        docs.push(pair[1].clone());
    }
    assert_eq!(facet_counts(&docs), local_facets(&corpus, &[]));
    // A second export gives the same ids.
    let again = corpus.dir.path().join("es2");
    corpus.run(
        "export",
        &[
            "--to",
            "elasticsearch",
            again.to_str().expect("utf-8"),
            "-q",
        ],
    );
    assert_eq!(ndjson(&again, "bulk"), lines);
}

#[test]
fn an_unreachable_node_is_an_error_and_records_nothing() {
    let corpus = fixture();
    let out = corpus.run(
        "export",
        &["--to", "quickwit", "--url", "http://127.0.0.1:9", "-q"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot reach http://127.0.0.1:9"),
        "{}",
        stderr(&out)
    );
    let manifests = std::fs::read_dir(corpus.dir.path())
        .expect("dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().contains(".export-"))
        })
        .count();
    assert_eq!(manifests, 0);
    let bad = corpus.run(
        "export",
        &["--to", "quickwit", "--url", "http://h", "--index-id", "x y"],
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_corrupt_export_manifest_is_a_warning_not_a_silent_restart() {
    let corpus = fixture();
    assert_eq!(corpus.run("index", &["-q"]).status.code(), Some(0));
    let url = "http://127.0.0.1:9";
    let manifest = ctsearch::export::manifest_path(
        &corpus.index(),
        ctsearch::export::Engine::Quickwit,
        url,
        "ctsearch",
    );
    std::fs::write(&manifest, "{ not json").expect("write");
    let out = corpus.run("export", &["--to", "quickwit", "--url", url, "-q"]);
    let err = stderr(&out);
    assert!(
        err.contains("warning: ignoring the export manifest")
            && err.contains("everything is sent again"),
        "{err}"
    );
}

#[test]
fn explain_remote_prints_the_quickwit_request() {
    let corpus = fixture();
    let out = corpus.search(&[
        "--explain-remote",
        "--crime",
        "arms-trafficking",
        "\"small arms\" -drugs",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let json_end = text.rfind('}').expect("JSON");
    let request: Value = serde_json::from_str(&text[..=json_end]).expect("JSON request");
    let query = request["query"].as_str().expect("query");
    assert!(query.contains("body:\"small arms\""), "{query}");
    assert!(query.contains("AND NOT"), "{query}");
    assert!(query.contains("crimes:\"arms-trafficking\""), "{query}");
    assert_eq!(request["aggs"]["crime"]["terms"]["field"], "crimes");
    let unknown = corpus.search(&["--explain-remote", "--crime", "arms", "x"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean arms-trafficking"));
}

fn quickwit_search(node: &QuickwitNode, body: Value) -> Value {
    let mut response = ureq::post(format!("{}/api/v1/ctsearch/search", node.url))
        .header("Content-Type", "application/json")
        .send(body.to_string())
        .expect("search");
    serde_json::from_str(&response.body_mut().read_to_string().expect("body")).expect("JSON")
}

fn hit_set(json: &Value) -> BTreeSet<(String, String)> {
    json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["path"].as_str().unwrap_or("").to_string(),
                h["session"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_real_quickwit_node_gets_every_session_and_answers_as_ctsearch_does() {
    let Ok(bin) = std::env::var("QUICKWIT_BIN") else {
        println!("skipped: QUICKWIT_BIN not set");
        return;
    };
    let corpus = fixture();
    let node = start_quickwit(&bin);
    // A short maturation: Quickwit applies delete tasks to mature splits.
    let push = |extra: &[&str]| {
        let mut args = vec![
            "--to", "quickwit", "--url", &node.url, "--format", "json", "-q",
        ];
        args.extend(extra);
        json_of(&corpus.run("export", &args))
    };
    let first = push(&["--maturation", "1s"]);
    let local = corpus.search_json(&["*", "--limit", "100"]);
    let total = local["total"].as_u64().expect("total");
    assert_eq!(first["created"], true);
    assert_eq!(first["sessions_sent"].as_u64(), Some(total));
    assert_eq!(first["briefings_sent"], 4);

    let all = quickwit_search(&node, serde_json::json!({"query": "*", "max_hits": 0}));
    assert_eq!(all["num_hits"].as_u64(), Some(total));
    let phrase = quickwit_search(
        &node,
        serde_json::json!({"query": "body:\"arms traffick\"", "max_hits": 10}),
    );
    let local_phrase = corpus.search_json(&["body:\"arms trafficking\""]);
    assert_eq!(phrase["num_hits"], local_phrase["total"]);
    let crimes = quickwit_search(
        &node,
        serde_json::json!({"query": "*", "max_hits": 0,
            "aggs": {"crime": {"terms": {"field": "crimes", "size": 100}}}}),
    );
    let counted: BTreeMap<String, u64> = crimes["aggregations"]["crime"]["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| {
            (
                b["key"].as_str().unwrap_or("").to_string(),
                b["doc_count"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(counted, local_facets(&corpus, &[])["crime"]);

    // `search --remote` gives the local hits and facet counts.
    for query in [
        vec!["--crime", "arms-trafficking", "weapons"],
        vec!["\"trafficking in persons\""],
        vec!["body:UNODC", "--year", "2020"],
        vec!["ransom OR hawala"],
        vec!["*", "--session", "I"],
    ] {
        let mut args = query.clone();
        args.extend(["--limit", "100"]);
        let local = corpus.search_json(&args);
        args.extend(["--remote", &node.url]);
        let remote = corpus.search_json(&args);
        assert_eq!(remote["total"], local["total"], "{query:?}");
        assert_eq!(remote["briefings"], local["briefings"], "{query:?}");
        assert_eq!(hit_set(&remote), hit_set(&local), "{query:?}");
        for facet in ["crime", "session", "org", "year", "type"] {
            assert_eq!(
                remote["facets"][facet], local["facets"][facet],
                "{facet} of {query:?}"
            );
        }
        let local_hl = &local["hits"][0]["highlights"];
        let remote_hit = remote["hits"].as_array().and_then(|h| {
            h.iter().find(|h| {
                h["path"] == local["hits"][0]["path"] && h["session"] == local["hits"][0]["session"]
            })
        });
        assert_eq!(
            remote_hit.map(|h| &h["highlights"]),
            Some(local_hl),
            "{query:?}"
        );
    }
    let text = corpus.search(&[
        "--remote",
        &node.url,
        "--crime",
        "arms-trafficking",
        "weapons",
    ]);
    assert_eq!(text.status.code(), Some(0));
    assert!(stdout(&text).contains("Session III"));
    let none = corpus.search(&["--remote", &node.url, "okapiglow"]);
    assert_eq!(none.status.code(), Some(1));

    // `facets`, `show` and `stats` answer from the node as they do locally.
    let both = |sub: &str, args: &[&str]| {
        let local = corpus.run(sub, args);
        let mut remote_args = args.to_vec();
        remote_args.extend(["--remote", &node.url]);
        let remote = corpus.run(sub, &remote_args);
        assert_eq!(remote.status.code(), Some(0), "{}", stderr(&remote));
        (stdout(&local), stdout(&remote))
    };
    let (local, remote) = both(
        "facets",
        &["--json", "--crime", "arms-trafficking", "weapons"],
    );
    assert_eq!(remote, local);
    let (local, remote) = both(
        "show",
        &[
            "--json",
            "2018/2018-10-08-ctc-open-briefing-terrorism-crime-nexus.txt",
            "weapons",
        ],
    );
    assert_eq!(remote, local);
    let (local, remote) = both("stats", &[]);
    let line = |text: &str, key: &str| {
        text.lines()
            .find(|l| l.starts_with(key))
            .map(str::to_string)
    };
    for key in ["documents:", "sessions:"] {
        assert_eq!(line(&remote, key), line(&local, key), "{key}");
    }
    assert!(remote.contains("/api/v1/ctsearch"), "{remote}");

    // `serve --remote` answers the API and the pages from the node, as a
    // local server answers them.
    let local_server = Server::start(&corpus, &[]);
    let remote_server = Server::start(&corpus, &["--remote", &node.url]);
    for target in [
        "/api/search?q=weapons&crime=arms-trafficking&per_page=100",
        "/api/search?q=%22trafficking+in+persons%22&per_page=100",
        "/api/facets?q=trafficking&crime=drug-trafficking",
    ] {
        let local = local_server.json(target);
        let remote = remote_server.json(target);
        assert_eq!(remote["total"], local["total"], "{target}");
        if local.get("hits").is_some() {
            assert_eq!(hit_set(&remote), hit_set(&local), "{target}");
            assert_eq!(remote["pages"], local["pages"], "{target}");
        }
        // Disjunctive: the crime filter's other values keep their counts.
        for facet in ["crime", "session", "year", "type"] {
            assert_eq!(
                remote["facets"][facet], local["facets"][facet],
                "{facet} of {target}"
            );
        }
    }
    let show = "/api/show?path=2018/2018-10-08-ctc-open-briefing-terrorism-crime-nexus.txt&session=Session+III&q=weapons";
    let (local, remote) = (local_server.json(show), remote_server.json(show));
    assert_eq!(remote["sessions"][0]["label"], "Session III");
    assert_eq!(remote["sessions"], local["sessions"]);
    assert_eq!(remote_server.get("/api/show?path=nope.txt").status, 404);
    assert_eq!(remote_server.get("/api/search?q=x&crime=nope").status, 400);
    let stats = remote_server.json("/api/stats");
    assert_eq!(stats["sessions"].as_u64(), Some(total));
    assert!(stats["passages"].is_null());
    let page = remote_server.get("/?q=weapons&crime=arms-trafficking");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Session III") && page.body.contains("<mark>"));
    // A node that cannot be reached is the node's failure, not the user's.
    let unreachable = Server::start(&corpus, &["--remote", "http://127.0.0.1:9"]);
    assert_eq!(unreachable.get("/api/search?q=weapons").status, 502);
    drop((local_server, remote_server, unreachable));

    // Nothing changed: nothing sent.
    let again = push(&[]);
    assert_eq!(again["sessions_sent"], 0);
    assert_eq!(again["unchanged"], 4);

    // One briefing changes: only it is sent, and the node reflects it.
    corpus.write(
        "misc/undated.txt",
        "Undated fixture\n\nSession I\n\nThe zebrafinch network and cybercrime.\n",
    );
    assert_eq!(corpus.run("index", &["-q"]).status.code(), Some(0));
    let changed = push(&[]);
    assert_eq!(changed["changed"], 1);
    assert_eq!(changed["briefings_sent"], 1);
    // Its two sessions: the overview (its first line) and Session I.
    assert_eq!(changed["sessions_sent"], 2);
    let found = corpus.search_json(&["zebrafinch", "--remote", &node.url]);
    assert_eq!(found["total"], 1);
    // The old version goes once Quickwit has applied the delete task.
    let deadline = Instant::now() + Duration::from_secs(150);
    loop {
        let old = corpus.search_json(&["\"document fraud\"", "--remote", &node.url]);
        if old["total"] == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the delete task was not applied in time"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let all = quickwit_search(&node, serde_json::json!({"query": "*", "max_hits": 0}));
    assert_eq!(all["num_hits"].as_u64(), Some(total));

    // An index that rejects sessions (its config lacks `source`): exit 2,
    // and the manifest records none of them as sent.
    let dir = corpus.dir.path().join("qw-config");
    corpus.run(
        "export",
        &[
            "--to",
            "quickwit",
            dir.to_str().expect("utf-8"),
            "--index-id",
            "narrow",
            "-q",
        ],
    );
    let config = std::fs::read_to_string(dir.join("index-config.yaml")).expect("config");
    let start = config.find("    - name: source\n").expect("source field");
    let end = start + 1 + config[start + 1..].find("    - name:").expect("next field");
    let narrow = format!("{}{}", &config[..start], &config[end..]);
    ureq::post(format!("{}/api/v1/indexes", node.url))
        .header("Content-Type", "application/yaml")
        .send(narrow)
        .expect("index created");
    let rejected = corpus.run(
        "export",
        &[
            "--to",
            "quickwit",
            "--url",
            &node.url,
            "--index-id",
            "narrow",
            "-q",
        ],
    );
    assert_eq!(rejected.status.code(), Some(2));
    assert!(
        stderr(&rejected).contains("rejected"),
        "{}",
        stderr(&rejected)
    );
    let manifest = std::fs::read_dir(corpus.dir.path())
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains(".export-"))
        .map(|p| {
            serde_json::from_str::<Value>(&std::fs::read_to_string(p).expect("read")).expect("JSON")
        })
        .find(|m| m["target"].as_str().is_some_and(|t| t.ends_with(" narrow")))
        .expect("the narrow target's manifest");
    let sent = manifest["briefings"].as_object().expect("briefings");
    assert!(!sent.contains_key("2018/2018-10-08-ctc-open-briefing-terrorism-crime-nexus.txt"));
}
