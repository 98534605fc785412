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

/// The `href`s of the `<a>` elements inside the element with `id`.
fn links_in(dom: &str, id: &str) -> Vec<(String, String)> {
    let Some(start) = dom.find(&format!(" id=\"{id}\"")) else {
        return Vec::new();
    };
    let end = dom[start..]
        .find("</section>")
        .map_or(dom.len(), |e| start + e);
    let section = &dom[start..end];
    let mut links = Vec::new();
    let mut rest = section;
    while let Some(at) = rest.find("<a ") {
        let close = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let text_end = rest[close..].find("</a>").map_or(rest.len(), |e| close + e);
        if let Some(href) = attr(&rest[at..close], "href") {
            links.push((href, rest[close + 1..text_end].to_string()));
        }
        rest = &rest[text_end..];
    }
    links
}

/// The number in `data-count` of the `<span class="count">` in the heading
/// with `id`.
fn heading_count(dom: &str, id: &str) -> Option<u64> {
    let at = dom.find(&format!(" id=\"{id}\""))?;
    let tag_start = dom[at..].find("data-count=\"")? + at;
    let tag = &dom[tag_start - 1..];
    attr(tag, "data-count")?.parse().ok()
}

#[test]
fn a_documents_page_links_its_citations_and_charts_them_with_the_clis_counts() {
    if !chromium_installed() {
        println!("skipped: chromium not installed");
        return;
    }
    // Test fixtures: resolutions citing each other, and a hostile citer.
    let corpus = Corpus::empty();
    corpus.write(
        "S-RES-1373(2001).txt",
        "Resolution 1373 (2001)\nAdopted by the Security Council at its 4385th meeting, on 28 September 2001\n\nThe Security Council,\n\nReaffirming its resolution 1269 (1999) of 19 October 1999,\n\n1. Decides that all States shall prevent and suppress the financing of terrorist acts;\n",
    );
    corpus.write(
        "S-RES-1535(2004).txt",
        "Resolution 1535 (2004)\nAdopted by the Security Council at its 4936th meeting, on 26 March 2004\n\nThe Security Council,\n\nReaffirming its resolution 1373 (2001) of 28 September 2001,\n\n1. Decides to establish the Counter-Terrorism Committee Executive Directorate;\n",
    );
    corpus.write(
        "S-RES-1624(2005).txt",
        "Resolution 1624 (2005)\nAdopted by the Security Council at its 5261st meeting, on 14 September 2005\n\nThe Security Council,\n\nRecalling its resolutions 1373 (2001) and 1535 (2004),\n\n1. Calls upon all States to prohibit incitement;\n",
    );
    corpus.write(
        "hostile.txt",
        "We recall resolution 1373 (2001) <script>alert(1)</script>.\n",
    );
    corpus.write(
        "hostile.txt.meta.toml",
        "title = \"<img src=x onerror=alert(1)>\"\ndate = \"2005-05-01\"\n",
    );
    let cli: serde_json::Value =
        serde_json::from_slice(&corpus.run("cites", &["1373", "--format", "json"]).stdout)
            .expect("JSON");
    let search = corpus.search_json(&["*", "--cites", "1373"]);
    assert_eq!(cli["cited_by"], 3);
    assert_eq!(search["briefings"], 3);

    let profile = tempfile::tempdir().expect("profile dir");
    let server = Server::start(&corpus, &[]);
    let page = dom(
        profile.path(),
        &server.url("/show?path=S-RES-1373(2001).txt"),
    );

    // From the top, a line jumps to the citations below the text.
    let jump = &page[page.find("<nav class=\"jump\"").expect("the jump line")..];
    let jump = &jump[..jump.find("</nav>").expect("its end")];
    assert!(jump.contains("href=\"#cited-by\">Cited by 3</a>"), "{jump}");
    assert!(jump.contains("href=\"#cites\">Cites 1</a>"), "{jump}");
    // Cited by: the CLI's count and list, newest first, each a link to its page.
    assert_eq!(
        heading_count(&page, "cited-by-title"),
        cli["cited_by"].as_u64(),
        "{page}"
    );
    let citing: Vec<String> = links_in(&page, "cited-by")
        .into_iter()
        .map(|(href, _)| href)
        .filter(|href| href.starts_with("/show?"))
        .collect();
    assert_eq!(
        citing,
        [
            "/show?path=S-RES-1624%282005%29.txt",
            "/show?path=hostile.txt",
            "/show?path=S-RES-1535%282004%29.txt"
        ]
    );
    // Its chart: citing documents per year, each bar the year's search.
    let bars: Vec<(String, String)> = page
        .match_indices(" data-year=\"")
        .filter_map(|(at, _)| {
            let open = page[..at].rfind('<')?;
            let close = page[at..].find('>')? + at;
            let tag = &page[open..close];
            Some((attr(tag, "data-year")?, attr(tag, "data-count")?))
        })
        .collect();
    assert_eq!(
        bars,
        [
            ("2004".to_string(), "1".to_string()),
            ("2005".into(), "2".into())
        ]
    );
    // The search it links to counts the same documents.
    let (all, _) = links_in(&page, "cited-by")
        .into_iter()
        .find(|(href, _)| href.starts_with("/?cites="))
        .expect("a link to the citing documents' search");
    let api = server.json(&format!("/api/search{}", &all[1..]));
    assert_eq!(api["briefings"], cli["cited_by"]);
    let shown = server.json("/api/show?path=S-RES-1373(2001).txt");
    assert_eq!(shown["cited_by"], cli["cited_by"]);

    // Cites: a document not in the index links to the search citing it.
    let cites = links_in(&page, "cites");
    assert_eq!(
        cites,
        [(
            "/?cites=S%2FRES%2F1269%20%281999%29".to_string(),
            "S/RES/1269 (1999)".to_string()
        )]
    );
    let cited = dom(profile.path(), &server.url(&cites[0].0));
    assert!(cited.contains("<strong>1</strong> document"), "{cited}");
    // One in the index links to its page.
    let page_1624 = dom(
        profile.path(),
        &server.url("/show?path=S-RES-1624%282005%29.txt"),
    );
    assert_eq!(
        links_in(&page_1624, "cites"),
        [
            (
                "/show?path=S-RES-1373%282001%29.txt".to_string(),
                "S/RES/1373 (2001)".to_string()
            ),
            (
                "/show?path=S-RES-1535%282004%29.txt".into(),
                "S/RES/1535 (2004)".into()
            ),
        ]
    );
    assert_eq!(heading_count(&page_1624, "cited-by-title"), Some(0));

    // The hostile citer is listed as text.
    assert!(!page.contains("<img"), "an img element");
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{page}"
    );
    let hostile = dom(profile.path(), &server.url("/show?path=hostile.txt"));
    assert!(!hostile.contains("<script>alert"), "a script element");
    assert_eq!(heading_count(&hostile, "cites-title"), Some(1));
}
