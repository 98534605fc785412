//! PDF and HTML briefings, dropped into the corpus next to the text files,
//! as a new user would (issue 9). Every fixture is generated here: the PDFs
//! by `common::pdf`, the web page below; none is a real UN document.

mod common;

use common::pdf::{self, BANNER, JOB, Options, SYMBOL};
use common::{Corpus, SEED, stdout};
use serde_json::Value;

const REPORT: &str = "2018/nexus-report.pdf";
const PRESS: &str = "2018/press-release.html";

/// A three-page report: a running header (symbol), footer (job number and
/// page) and banner; a word hyphenated at a line end ("traf-/ficking"), a
/// compound split the same way ("counter-/terrorism"); a session on page 1,
/// one starting on page 2 with a list and running on to page 3.
fn report() -> Vec<u8> {
    pdf::pdf(
        &[
            vec![
                (14, "Introductory session"),
                (11, "The Committee discussed the illicit traf-"),
                (11, "ficking of small arms and light weapons"),
                (11, "and the counter-"),
                (11, "terrorism response of the Sahel States."),
            ],
            vec![
                (14, "Session III: Financing"),
                (11, "Participants identified these priorities:"),
                (11, "\u{2022} freezing the assets of listed groups;"),
                (11, "\u{2022} monitoring hawala remittance networks."),
            ],
            vec![(
                11,
                "UNODC will report on kidnapping for ransom in the region.",
            )],
        ],
        &Options {
            info: Some((
                "Test fixture: report on the terrorism-crime nexus",
                "D:20181221150400-05'00'",
            )),
            furniture: true,
        },
    )
}

/// A press release wrapped in a cookie banner, a menu, scripts, a related
/// links aside and a footer.
const PRESS_HTML: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Committee briefing | Meetings Coverage and Press Releases</title>
<meta property="article:published_time" content="2019-02-14T10:00:00Z">
<script>var banner = "Zanzibarscript tracking pixel";</script>
<style>.cookie{position:fixed}</style>
</head><body>
<div class="cookie-banner" id="cookie">We use cookies to improve your experience.
<button>Accept all Quokkacookie</button></div>
<header><nav class="menu"><ul><li><a href="/">Home</a></li>
<li><a href="/press">Xylophonemenu releases</a></li><li><a href="/sc">Security Council</a></li></ul></nav></header>
<nav class="breadcrumb"><ol><li><a href="/">Home</a></li><li>Meetings coverage</li></ol></nav>
<main><article>
<h1>Test Fixture Committee Hears Briefing on Piracy and Maritime Crime</h1>
<p><time datetime="2019-02-13">13 February 2019</time></p>
<p>The Committee today held an open briefing on maritime security, piracy and the
traf&shy;ficking of migrants along the coasts of the Gulf of Guinea, and heard
from the United Nations Office on Drugs and Crime.</p>
<h2>Introductory session</h2>
<p>Opening the meeting, the Chair said that piracy off the coast had fallen, but that
armed groups continued to take crews hostage for ransom and to smuggle fuel.</p>
<p>Delegations described regional approaches to counter&#8209;terrorism and border security,
and the need for information sharing between coast guards and navies.</p>
<h2>Session II: Responses</h2>
<p>Participants identified the following priorities:</p>
<ul><li>prosecuting pirates and their financiers in regional courts;</li>
<li>sharing maritime domain awareness data among coastal States.</li></ul>
</article></main>
<aside class="related"><h3>Related press releases</h3><ul><li><a href="/x">Vermilionrelated release</a></li></ul></aside>
<footer><ul><li><a href="/copyright">Copyright</a></li><li><a href="/terms">Walrusfooter terms</a></li></ul></footer>
<script>document.getElementById('cookie').onclick=function(){ var s = "Platypusscript"; };</script>
</body></html>"#;

/// A corpus with the seed, the report, the press release, a scan (a PDF
/// page without text) and a truncated PDF, indexed once.
fn corpus() -> (Corpus, Value) {
    let c = Corpus::shipped();
    let report = report();
    c.write(REPORT, &report);
    c.write(PRESS, PRESS_HTML);
    let scan = pdf::pdf(
        &[vec![]],
        &Options {
            info: None,
            furniture: false,
        },
    );
    c.write("scans/scanned.pdf", scan);
    c.write("scans/truncated.pdf", &report[..report.len() / 2]);
    let out = c.run("index", &["--format", "json"]);
    assert!(
        out.status.success(),
        "index failed: {}",
        common::stderr(&out)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    (c, summary)
}

fn hits_in<'a>(json: &'a Value, path: &str) -> Vec<&'a Value> {
    json["hits"]
        .as_array()
        .map(|hits| hits.iter().filter(|h| h["path"] == path).collect())
        .unwrap_or_default()
}

/// Every passage shown for a briefing by `ctsearch show`.
fn shown(c: &Corpus, path: &str) -> String {
    let out = c.run("show", &[path, "--color", "never"]);
    assert!(
        out.status.success(),
        "show failed: {}",
        common::stderr(&out)
    );
    stdout(&out)
}

#[test]
fn pdf_sessions_pages_and_words() {
    let (c, summary) = corpus();
    assert_eq!(summary["skipped"].as_array().map(Vec::len), Some(2));

    // The word split by a line-end hyphen is found whole, on page 1.
    let json = c.search_json(&["trafficking", "small", "arms"]);
    let hits = hits_in(&json, REPORT);
    assert_eq!(hits.len(), 1, "{json:#}");
    assert_eq!(hits[0]["session"], "Introductory session");
    assert_eq!(hits[0]["page"], 1);
    assert_eq!(
        hits[0]["title"],
        "Test fixture: report on the terrorism-crime nexus"
    );
    assert_eq!(hits[0]["date"], "2018-12-21");
    let passage = hits[0]["passage"].as_str().unwrap_or_default();
    assert!(
        passage.contains("illicit trafficking of small arms and light weapons"),
        "{passage}"
    );
    // A real compound keeps its hyphen, and is found by its joined form.
    assert!(passage.contains("counter-terrorism response"), "{passage}");
    let joined = c.search_json(&["counterterrorism", "Sahel"]);
    let top = hits_in(&joined, REPORT);
    assert_eq!(top[0]["session"], "Introductory session", "{joined:#}");
    // Tagged like any other briefing.
    let crimes = hits[0]["crimes"].to_string();
    assert!(crimes.contains("arms"), "{crimes}");

    // A session starting on page 2 with a list, running on to page 3.
    let json = c.search_json(&["hawala"]);
    let hits = hits_in(&json, REPORT);
    assert_eq!(hits.len(), 1, "{json:#}");
    assert_eq!(hits[0]["session"], "Session III: Financing");
    assert_eq!(hits[0]["page"], 2);
    assert_eq!(
        hits[0]["passage"],
        "\u{2022} monitoring hawala remittance networks."
    );
    let json = c.search_json(&["kidnapping", "ransom", "--session", "III"]);
    let hits = hits_in(&json, REPORT);
    assert_eq!(hits.len(), 1, "{json:#}");
    assert_eq!(hits[0]["page"], 3);
    assert!(hits[0]["orgs"].to_string().contains("UNODC"), "{json:#}");

    // The text output names the page.
    let out = c.search(&["hawala", "--color", "never"]);
    assert!(stdout(&out).contains(" · p. 2"), "{}", stdout(&out));

    // No passage carries the running header, footer, job number or banner.
    let text = shown(&c, REPORT);
    for furniture in [SYMBOL, JOB, "22123", BANNER, "Test fixture generated"] {
        assert!(!text.contains(furniture), "{furniture} in:\n{text}");
    }
    assert!(text.contains("[p. 2]") && text.contains("[p. 3]"), "{text}");
    assert!(text.contains("== Session III: Financing =="), "{text}");
    let job = c.search_json(&["22123"]);
    assert!(hits_in(&job, REPORT).is_empty(), "{job:#}");
}

#[test]
fn html_article_only() {
    let (c, _) = corpus();
    let json = c.search_json(&["hostage", "ransom"]);
    let hits = hits_in(&json, PRESS);
    assert_eq!(hits.len(), 1, "{json:#}");
    assert_eq!(hits[0]["session"], "Introductory session");
    assert_eq!(
        hits[0]["title"],
        "Test Fixture Committee Hears Briefing on Piracy and Maritime Crime"
    );
    assert_eq!(hits[0]["date"], "2019-02-13");
    assert_eq!(hits[0]["page"], Value::Null);

    let json = c.search_json(&["pirates", "financiers"]);
    let hits = hits_in(&json, PRESS);
    assert_eq!(hits.len(), 1, "{json:#}");
    assert_eq!(hits[0]["session"], "Session II: Responses");
    // The soft hyphen is gone, the word is whole.
    let json = c.search_json(&["trafficking", "migrants"]);
    assert_eq!(hits_in(&json, PRESS).len(), 1, "{json:#}");

    // Menus, scripts, the cookie banner, the aside and the footer are not
    // indexed.
    for word in [
        "Zanzibarscript",
        "Platypusscript",
        "Quokkacookie",
        "Xylophonemenu",
        "Vermilionrelated",
        "Walrusfooter",
    ] {
        let json = c.search_json(&[word]);
        assert_eq!(json["total"], 0, "{word}: {json:#}");
    }
    let text = shown(&c, PRESS);
    assert!(text.contains("== Session II: Responses =="), "{text}");
    assert!(!text.contains("cookies"), "{text}");
    assert!(!text.contains("[p."), "{text}");
}

#[test]
fn broken_files_are_skipped_with_reasons_and_the_rest_indexed() {
    let (c, summary) = corpus();
    let skipped = summary["skipped"].as_array().cloned().unwrap_or_default();
    let reason = |path: &str| -> String {
        skipped
            .iter()
            .find(|s| s["path"] == path)
            .and_then(|s| s["reason"].as_str())
            .unwrap_or("not skipped")
            .to_string()
    };
    assert_eq!(
        reason("scans/scanned.pdf"),
        "no extractable text (scanned? run OCR first)"
    );
    let truncated = reason("scans/truncated.pdf");
    assert!(truncated.contains("truncated"), "{truncated}");
    // The seed, the report and the press release are indexed.
    assert_eq!(summary["briefings"], 3, "{summary:#}");
    let json = c.search_json(&["nexus", "push-and-pull"]);
    assert_eq!(json["hits"][0]["path"], SEED, "{json:#}");
    assert_eq!(json["hits"][0]["page"], Value::Null);
}

#[test]
fn unchanged_pdf_and_html_are_not_extracted_again() {
    let (c, first) = corpus();
    assert_eq!(first["added"], 3, "{first:#}");
    let out = c.run("index", &["--format", "json"]);
    let second: Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    assert_eq!(second["unchanged"], 3, "{second:#}");
    assert_eq!(second["added"], 0);
    assert_eq!(second["updated"], 0);
    assert_eq!(second["wrote"], false);
    // The broken files are still reported, not silently forgotten.
    assert_eq!(second["skipped"].as_array().map(Vec::len), Some(2));

    // Touched without a change: read and hashed, but found unchanged.
    let report = report();
    c.write(REPORT, &report);
    // A newer modification time whatever the file system's granularity.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
    filetime::set_file_mtime(
        c.corpus().join(REPORT),
        filetime::FileTime::from_system_time(later),
    )
    .expect("set mtime");
    let out = c.run("index", &["--format", "json"]);
    let third: Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    assert_eq!(third["unchanged"], 3, "{third:#}");
    assert_eq!(third["updated"], 0);
}

#[test]
fn title_and_date_from_the_first_page_without_metadata() {
    let c = Corpus::empty();
    let bytes = pdf::pdf(
        &[
            vec![
                (14, "Letter dated 3 March 2020 from the Chair"),
                (11, "Text about piracy."),
            ],
            vec![(11, "More text about piracy.")],
        ],
        &Options {
            info: None,
            furniture: true,
        },
    );
    c.write("letter.pdf", bytes);
    let out = c.run("index", &["--format", "json"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let json = c.search_json(&["piracy"]);
    assert_eq!(
        json["hits"][0]["title"], "Letter dated 3 March 2020 from the Chair",
        "{json:#}"
    );
    assert_eq!(json["hits"][0]["date"], "2020-03-03");
}

/// Not a test: writes the generated PDF set that `bench/pdf-speed.sh`
/// measures (run with `--ignored`; `CTSEARCH_BENCH_PDFS=DIR`, and
/// optionally `CTSEARCH_BENCH_FILES` × 20 pages, default 60 files).
#[test]
#[ignore]
fn write_bench_pdfs() {
    let Ok(dir) = std::env::var("CTSEARCH_BENCH_PDFS") else {
        return;
    };
    let files: usize = std::env::var("CTSEARCH_BENCH_FILES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(60);
    let words = [
        "the",
        "Committee",
        "noted",
        "that",
        "terrorist",
        "groups",
        "exploit",
        "illicit",
        "trafficking",
        "of",
        "small",
        "arms",
        "and",
        "drugs",
        "across",
        "porous",
        "borders",
        "while",
        "Member",
        "States",
        "strengthen",
        "cooperation",
        "on",
        "financing",
        "and",
        "prosecution",
        "in",
        "line",
        "with",
        "resolution",
        "2462",
        "(2019)",
    ];
    let mut state: u64 = 42;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    std::fs::create_dir_all(&dir).expect("bench dir");
    for f in 0..files {
        let mut owned: Vec<Vec<(i64, String)>> = Vec::new();
        for p in 0..20 {
            let mut page = vec![(14, format!("Session {}", p + 1))];
            for l in 0..44 {
                let mut line: Vec<&str> = (0..12).map(|_| words[next(words.len())]).collect();
                if l % 9 == 8 {
                    line.push("traf-");
                } else if l % 9 == 0 && l > 0 {
                    line.insert(0, "ficking");
                }
                page.push((10, line.join(" ")));
            }
            owned.push(page);
        }
        let pages: Vec<Vec<(i64, &str)>> = owned
            .iter()
            .map(|p| p.iter().map(|(s, t)| (*s, t.as_str())).collect())
            .collect();
        let bytes = pdf::pdf(
            &pages,
            &Options {
                info: Some(("Test fixture: generated benchmark report", "D:20190101")),
                furniture: true,
            },
        );
        std::fs::write(format!("{dir}/report-{f:03}.pdf"), bytes).expect("write pdf");
    }
}
