//! The search page in a real headless Chromium (Debian's `chromium`): the
//! sidebar's counts are the API's, a facet link narrows the hits and keeps
//! its facet's other counts, highlights and the chart are there, a hostile
//! document renders as text, and the page lays out at 400 px. Skipped,
//! saying so, where chromium is not installed.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Corpus;
use common::serve::Server;

fn chromium_installed() -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| dir.join("chromium").is_file())
    })
}

/// Runs headless chromium with `args` and returns its stdout.
fn chromium(profile: &Path, args: &[&str]) -> String {
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().expect("output")
}

fn dom(profile: &Path, url: &str) -> String {
    chromium(profile, &["--dump-dom", url])
}

/// The value of attribute `name` in the tag `tag` (its text).
fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].replace("&amp;", "&"))
}

/// The sidebar's facet links: (facet, value, count, href).
fn facet_links(dom: &str) -> Vec<(String, String, u64, String)> {
    let mut links = Vec::new();
    let mut rest = dom;
    while let Some(at) = rest.find(" data-facet=\"") {
        let open = rest[..at].rfind('<').unwrap_or(0);
        let close = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[open..close];
        if let (Some(f), Some(v), Some(c), Some(h)) = (
            attr(tag, "data-facet"),
            attr(tag, "data-value"),
            attr(tag, "data-count"),
            attr(tag, "href"),
        ) {
            links.push((f, v, c.parse().unwrap_or(u64::MAX), h));
        }
        rest = &rest[close..];
    }
    links
}

fn hits(dom: &str) -> usize {
    dom.matches("<li class=\"hit\">").count()
}

fn corpus() -> Corpus {
    let corpus = Corpus::shipped();
    corpus.write(
        "2019/2019-03-01-test-fixture-drugs.txt",
        "Test fixture briefing on drugs\n\nSession I\n\n\
         Participants discussed drug trafficking and trafficking in persons by terrorist groups.\n",
    );
    corpus.write(
        "2020/2020-05-01-test-fixture-hostile.txt",
        "Hostile\n\nSession I\n\nThe okapiwarn text <script>alert(1)</script> \
         <img src=x onerror=alert(1)> and <a href=\"javascript:alert(1)\">a link</a>.\n",
    );
    corpus.write(
        "2020/2020-05-01-test-fixture-hostile.txt.meta.toml",
        "title = \"Hostile <b>bold</b> <script>alert(2)</script>\"\n",
    );
    corpus
}

#[test]
fn the_page_in_a_real_browser() {
    if !chromium_installed() {
        println!("skipped: chromium not installed");
        return;
    }
    let corpus = corpus();
    let profile = tempfile::tempdir().expect("profile dir");
    let server = Server::start(&corpus, &[]);

    // The sidebar's counts are the API's facets.
    let page = dom(profile.path(), &server.url("/?q=trafficking"));
    let api = server.json("/api/search?q=trafficking");
    let links = facet_links(&page);
    assert!(links.iter().any(|(f, _, _, _)| f == "crime"), "{page}");
    for (facet, value, count, _) in &links {
        assert_eq!(
            api["facets"][facet][value].as_u64(),
            Some(*count),
            "{facet}={value}"
        );
    }
    assert!(page.contains("<mark>"), "no highlight");
    assert!(page.contains("<svg") && page.contains("<rect"), "no chart");
    let before = hits(&page);

    // Following a facet link narrows the hits; the facet keeps its counts.
    let (_, _, _, href) = links
        .iter()
        .find(|(f, v, _, _)| f == "crime" && v == "arms-trafficking")
        .expect("an arms-trafficking link");
    let narrowed = dom(profile.path(), &server.url(href));
    let after = hits(&narrowed);
    assert!(after >= 1 && after < before, "{before} → {after}");
    assert!(narrowed.contains("Remove filter Crime type: arms-trafficking"));
    let crime = |links: &[(String, String, u64, String)]| -> Vec<(String, u64)> {
        links
            .iter()
            .filter(|(f, _, _, _)| f == "crime")
            .map(|(_, v, c, _)| (v.clone(), *c))
            .collect()
    };
    assert_eq!(crime(&facet_links(&narrowed)), crime(&links));

    // A hostile document renders as text: no element came from it.
    let hostile = dom(profile.path(), &server.url("/?q=okapiwarn"));
    assert!(hostile.contains("<mark>okapiwarn</mark>"), "{hostile}");
    assert!(!hostile.contains("<script"), "a script element");
    assert!(!hostile.contains("<img"), "an img element");
    assert!(!hostile.contains("<b>bold"), "a b element");
    assert!(
        !hostile.contains("<a href=\"javascript:"),
        "a javascript: link"
    );
    assert!(hostile.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(hostile.contains("&lt;img src=x onerror=alert(1)&gt;"));

    // It lays out at 400 px wide.
    let shot = profile.path().join("narrow.png");
    chromium(
        profile.path(),
        &[
            "--window-size=400,900",
            &format!("--screenshot={}", shot.display()),
            &server.url("/?q=arms+trafficking"),
        ],
    );
    let png = std::fs::read(&shot).expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"));
    // The PNG's width, from its IHDR chunk.
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(width, 400);
}
