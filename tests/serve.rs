//! `ctsearch serve`: the real binary on 127.0.0.1 port 0, asked over real
//! HTTP — the JSON API, its errors and limits, the security checks, a
//! commit by another process picked up without a restart, hostile
//! document text escaped in the page, and Ctrl-C.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::Corpus;
use common::serve::Server;
use serde_json::Value;

/// The shipped corpus, a second briefing on drugs and people (so that
/// filters narrow and facets have more than one value) and a hostile one.
fn corpus() -> Corpus {
    let corpus = Corpus::shipped();
    corpus.write(
        "2019/2019-03-01-test-fixture-drugs.txt",
        "Test fixture briefing on drugs\n\nSession I\n\n\
         Participants discussed drug trafficking and trafficking in persons by terrorist groups.\n\n\
         Session II\n\nParticipants discussed kidnapping for ransom.\n",
    );
    corpus.write(
        "2020/2020-05-01-test-fixture-hostile.txt",
        "Hostile <script>alert(1)</script> briefing\n\nSession I\n\n\
         The okapiwarn text <img src=x onerror=alert(1)> and a <a href=\"javascript:alert(1)\">link</a>.\n",
    );
    corpus.write(
        "2020/2020-05-01-test-fixture-hostile.txt.meta.toml",
        "title = \"Hostile <script>alert(1)</script> briefing\"\ndate = \"2020-05-01\"\n",
    );
    corpus
}

#[test]
fn search_json_has_the_cli_fields_and_pages() {
    let corpus = corpus();
    let server = Server::start(&corpus, &[]);
    let json = server.json("/api/search?q=arms+trafficking&per_page=1");
    assert_eq!(common::sessions(&json), ["Session III"]);
    for field in [
        "query",
        "total",
        "briefings",
        "took_ms",
        "hits",
        "facets",
        "also_searched",
        "match",
        "fallback",
    ] {
        assert!(json.get(field).is_some(), "missing {field}");
    }
    let hit = &json["hits"][0];
    assert_eq!(
        hit["path"],
        "2018/2018-10-08-ctc-open-briefing-terrorism-crime-nexus.txt"
    );
    assert!(!hit["highlights"].as_array().expect("highlights").is_empty());
    let total = json["total"].as_u64().expect("total");
    assert!(total >= 2);
    assert_eq!(json["page"], 1);
    assert_eq!(json["per_page"], 1);
    assert_eq!(json["pages"], total);
    // The same answer as the command line's --format json.
    let cli = corpus.search_json(&["arms trafficking", "--limit", "1"]);
    assert_eq!(cli["total"], json["total"]);
    assert_eq!(cli["hits"][0]["passage"], hit["passage"]);
    // The second page holds the second hit.
    let second = server.json("/api/search?q=arms+trafficking&per_page=1&page=2");
    assert_eq!(second["page"], 2);
    assert_ne!(common::sessions(&second), ["Session III"]);
}

#[test]
fn facet_counts_are_disjunctive() {
    let corpus = corpus();
    let server = Server::start(&corpus, &[]);
    let all = server.json("/api/search?q=trafficking");
    let narrowed = server.json("/api/search?q=trafficking&crime=arms-trafficking");
    assert!(narrowed["total"].as_u64() < all["total"].as_u64());
    // The filtered facet keeps the counts it has without its filter…
    assert_eq!(narrowed["facets"]["crime"], all["facets"]["crime"]);
    assert!(all["facets"]["crime"]["drug-trafficking"].as_u64() >= Some(1));
    // …while the other facets count the narrowed match set.
    assert_ne!(narrowed["facets"]["year"], all["facets"]["year"]);
    let facets = server.json("/api/facets?q=trafficking&crime=arms-trafficking");
    assert_eq!(facets["facets"], narrowed["facets"]);
    assert_eq!(facets["total"], narrowed["total"]);
    // Repeated values are OR-ed.
    let either =
        server.json("/api/search?q=trafficking&crime=arms-trafficking&crime=drug-trafficking");
    assert!(either["total"].as_u64() > narrowed["total"].as_u64());
}

#[test]
fn user_errors_are_4xx_json() {
    let corpus = corpus();
    let server = Server::start(&corpus, &[]);
    let bad = server.get("/api/search?q=%22unbalanced");
    assert_eq!(bad.status, 400);
    let json: Value = serde_json::from_str(&bad.body).expect("JSON");
    assert_eq!(json["column"], 1);
    assert!(json["error"].as_str().expect("error").contains("quote"));
    let unknown = server.get("/api/search?q=arms&crime=space-piracy");
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.body.contains("arms-trafficking"),
        "{}",
        unknown.body
    );
    assert!(!unknown.body.contains("\"column\""));
    for target in [
        "/api/show?path=../../etc/passwd",
        "/api/show?path=/etc/passwd",
        "/api/show?path=2018/nothing.txt",
        "/show?path=..%2F..%2Fetc%2Fpasswd",
    ] {
        let reply = server.get(target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.body.contains("root:"), "{target}");
    }
    let long = format!("/api/search?q={}", "a".repeat(1001));
    assert_eq!(server.get(&long).status, 413);
    assert_eq!(server.get("/api/search?q=a&per_page=101").status, 400);
    assert_eq!(server.get("/api/search?q=a&page=0").status, 400);
    assert_eq!(server.get("/api/search?q=a&colour=red").status, 400);
    assert_eq!(server.get("/api/nothing").status, 404);
    let post = server.request("POST", "/api/search?q=a", &[("Content-Length", "0")]);
    assert_eq!(post.status, 405);
    assert!(post.headers.iter().any(|h| h == "allow: get, head"));
    // A head larger than the limit is refused, not read on.
    let huge = server.get(&format!("/?q={}", "b".repeat(20_000)));
    assert_eq!(huge.status, 431);
}

#[test]
fn show_health_and_stats() {
    let corpus = corpus();
    let server = Server::start(&corpus, &[]);
    let shown = server.json(&format!(
        "/api/show?path={}&session=III&q=weapons",
        common::SEED
    ));
    assert_eq!(shown["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(shown["sessions"][0]["label"], "Session III");
    let health = server.json("/api/health");
    assert_eq!(health["status"], "ok");
    let stats = server.json("/api/stats");
    assert_eq!(stats["briefings"], 3);
    assert!(stats["facets"]["year"]["2020"].as_u64() >= Some(1));
    let head = server.request("HEAD", "/api/health", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn security_checks() {
    let corpus = corpus();
    let server = Server::start(&corpus, &["--api-key", "s3cret"]);
    assert_eq!(server.get("/api/health").status, 401);
    let wrong = server.request("GET", "/api/health", &[("Authorization", "Bearer guess")]);
    assert_eq!(wrong.status, 401);
    let right = server.request("GET", "/api/health", &[("Authorization", "Bearer s3cret")]);
    assert_eq!(right.status, 200);
    let page = server.request("GET", "/", &[("Authorization", "Bearer s3cret")]);
    assert_eq!(page.status, 200);
    // DNS rebinding: another name for this address is refused.
    let port = server.addr.rsplit(':').next().expect("port");
    let rebound = server.request(
        "GET",
        "/api/health",
        &[
            ("Host", &format!("evil.example:{port}")),
            ("Authorization", "Bearer s3cret"),
        ],
    );
    assert_eq!(rebound.status, 403);
    let localhost = server.request(
        "GET",
        "/api/health",
        &[
            ("Host", &format!("localhost:{port}")),
            ("Authorization", "Bearer s3cret"),
        ],
    );
    assert_eq!(localhost.status, 200);
    // No CORS: no other origin may read the answers.
    assert!(
        right
            .headers
            .iter()
            .all(|h| !h.starts_with("access-control-"))
    );
    assert!(
        page.headers
            .iter()
            .any(|h| h.starts_with("content-security-policy: default-src 'none'"))
    );
}

#[test]
fn non_loopback_without_a_key_is_refused() {
    let corpus = corpus();
    let out = corpus.run("serve", &["--addr", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = common::stderr(&out);
    assert!(
        err.contains("refusing to serve 0.0.0.0:0 without --api-key"),
        "{err}"
    );
    // Refused before anything was opened.
    assert!(!corpus.index().exists());
}

#[test]
fn a_remote_node_that_cannot_be_reached_is_a_502_and_no_local_index_is_built() {
    let corpus = corpus();
    // Port 9 (discard) on loopback: nothing listens there.
    let server = Server::start(&corpus, &["--remote", "http://127.0.0.1:9"]);
    let reply = server.get("/api/search?q=weapons");
    assert_eq!(reply.status, 502, "{}", reply.body);
    let error: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
    assert!(
        error["error"]
            .as_str()
            .is_some_and(|e| e.contains("http://127.0.0.1:9")),
        "{error}"
    );
    // The user's own mistake is still a 400, before the node is asked.
    assert_eq!(server.get("/api/search?q=%22open").status, 400);
    assert_eq!(server.get("/api/search?q=x&crime=nope").status, 400);
    assert_eq!(server.get("/api/show?path=../etc/passwd").status, 404);
    // A control character would vanish from the node's query: refused.
    assert_eq!(server.get("/api/show?path=2018/a%09b.txt").status, 404);
    // The page says the node failed, not that the session does not exist.
    let page = server.get("/show?path=2018/x.txt&session=I");
    assert_eq!(page.status, 502);
    assert!(page.body.contains("cannot be shown"), "{}", page.body);
    drop(server);
    assert!(!corpus.index().exists());
    // --watch re-indexes a local corpus: refused with --remote.
    let out = corpus.run("serve", &["--remote", "http://127.0.0.1:9", "--watch"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn another_processs_commit_shows_up_without_restart() {
    let corpus = corpus();
    let server = Server::start(&corpus, &[]);
    assert_eq!(server.json("/api/search?q=okapiglow")["total"], 0);
    corpus.write(
        "2021/2021-01-01-test-fixture-new.txt",
        "Test fixture briefing\n\nSession I\n\nThe word okapiglow.\n",
    );
    let out = corpus.run("index", &["--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let json = server.json("/api/search?q=okapiglow");
        if json["total"] == 1 {
            assert_eq!(
                json["hits"][0]["path"],
                "2021/2021-01-01-test-fixture-new.txt"
            );
            break;
        }
        assert!(Instant::now() < deadline, "not seen within 2 s: {json}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_reindexes_a_new_briefing() {
    let corpus = corpus();
    let server = Server::start(&corpus, &["--watch"]);
    corpus.write(
        "2021/2021-02-01-test-fixture-watched.txt",
        "Test fixture briefing\n\nSession I\n\nThe word okapiwatch.\n",
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.json("/api/search?q=okapiwatch")["total"] != 1 {
        assert!(
            Instant::now() < deadline,
            "--watch did not index the new file"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn hostile_document_text_is_escaped_in_the_page() {
    let corpus = corpus();
    let server = Server::start(&corpus, &[]);
    let page = server.get("/?q=okapiwarn");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<mark>okapiwarn</mark>"),
        "{}",
        page.body
    );
    for hostile in [
        "<script>alert(1)</script>",
        "<img src=x onerror",
        "href=\"javascript:",
    ] {
        assert!(!page.body.contains(hostile), "{hostile} unescaped");
    }
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.body.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // The query is text too.
    let query = server.get("/?q=%3Cscript%3Ealert(2)%3C%2Fscript%3E");
    assert!(!query.body.contains("<script>alert(2)"));
    assert!(query.body.contains("&lt;script&gt;alert(2)"));
    let shown = server.get("/show?path=2020/2020-05-01-test-fixture-hostile.txt&q=okapiwarn");
    assert_eq!(shown.status, 200);
    assert!(!shown.body.contains("<script>alert(1)"));
    assert!(shown.body.contains("<mark>okapiwarn</mark>"));
}

#[test]
fn page_has_sidebar_chips_chart_and_hits() {
    let corpus = corpus();
    let server = Server::start(&corpus, &[]);
    let page = server.get("/?q=trafficking&crime=arms-trafficking");
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("data-facet=\"crime\" data-value=\"drug-trafficking\""));
    assert!(body.contains("aria-label=\"Remove filter Crime type: arms-trafficking\""));
    assert!(body.contains("<svg"));
    assert!(body.contains("/show?path=2018%2F2018-10-08"));
    assert!(body.contains("<mark>"));
    let bad = server.get("/?q=%22unbalanced");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("column 1"));
}

#[test]
fn ctrl_c_stops_the_server_with_status_130() {
    let corpus = corpus();
    let mut server = Server::start(&corpus, &[]);
    let status = Command::new("kill")
        .arg("-INT")
        .arg(server.child.id().to_string())
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(exit) = server.child.try_wait().expect("wait") {
            break exit.code();
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(130));
}

#[test]
fn watches_page_shows_what_each_saved_search_found_at_its_latest_release() {
    let corpus = corpus();
    let (dir, index) = (corpus.corpus(), corpus.index());
    let out = corpus.run_plain(&[
        "watch",
        "add",
        "--corpus",
        dir.to_str().expect("utf-8"),
        "--index",
        index.to_str().expect("utf-8"),
        "kfr",
        "ransom",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    corpus.write(
        "2024/2024-03-05-test-fixture-sahel.txt",
        "Test fixture briefing on the Sahel\n\nSession I\n\nRansom payments to terrorist groups were discussed.\n",
    );
    let out = corpus.run("index", &[]);
    assert!(
        common::stdout(&out).contains("kfr: 1 new session"),
        "{}",
        common::stdout(&out)
    );
    let server = Server::start(&corpus, &[]);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let page = server.get("/watches");
        assert_eq!(page.status, 200, "{}", page.body);
        if page.body.contains("New since the last release") && page.body.contains("kfr") {
            assert!(
                page.body.contains("1 new or changed session"),
                "{}",
                page.body
            );
            assert!(page.body.contains("<mark>"), "{}", page.body);
            assert!(
                page.body.contains("2024-03-05-test-fixture-sahel.txt"),
                "{}",
                page.body
            );
            break;
        }
        assert!(Instant::now() < deadline, "{}", page.body);
        std::thread::sleep(Duration::from_millis(50));
    }
}
