//! Query language and search: `search::query::parse` never panics or
//! overflows the stack, and `search::search` over a small real index
//! returns Ok or Err for any query, never panics.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use ctsearch::index::{self, IndexOptions, OpenIndex};
use ctsearch::search::{self, SearchRequest, Vocabulary};
use ctsearch::synonyms::Synonyms;
use ctsearch::taxonomy::Taxonomy;
use libfuzzer_sys::fuzz_target;

/// The seed briefing of the repository, with its metadata sidecar.
const SEED_TEXT: &str =
    include_str!("../../corpus/2018/2018-10-08-ctc-open-briefing-terrorism-crime-nexus.txt");
const SEED_META: &str = include_str!(
    "../../corpus/2018/2018-10-08-ctc-open-briefing-terrorism-crime-nexus.txt.meta.toml"
);
/// A second, Markdown briefing with multi-byte text, hyphenated words and
/// a long passage, so that highlights and snippets see more than ASCII.
const MARKDOWN: &str = include_str!("../seeds/parse_markdown/briefing-front-matter.md");

struct Fixture {
    open: OpenIndex,
    taxonomy: Taxonomy,
    synonyms: Synonyms,
    // Keeps the index directory alive for the whole run.
    _dir: PathBuf,
}

const PREFIX: &str = "ctsearch-fuzz-";

/// Removes the fixture directories of fuzzer processes that have exited
/// (libFuzzer ends a process with `exit`, so statics are never dropped).
fn remove_stale_fixtures() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)) else {
            continue;
        };
        let alive = pid.parse::<u32>().is_ok_and(|pid| {
            pid == std::process::id() || std::path::Path::new(&format!("/proc/{pid}")).exists()
        });
        if !alive && pid.parse::<u32>().is_ok() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

// `OpenIndex` holds a tantivy `Index`, which is Send + Sync.
static FIXTURE: OnceLock<Fixture> = OnceLock::new();

fn fixture() -> &'static Fixture {
    FIXTURE.get_or_init(|| {
        remove_stale_fixtures();
        let root = std::env::temp_dir().join(format!("{PREFIX}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let corpus = root.join("corpus");
        let year = corpus.join("2018");
        std::fs::create_dir_all(&year).expect("create corpus dir");
        let seed = year.join("2018-10-08-ctc-open-briefing-terrorism-crime-nexus.txt");
        std::fs::write(&seed, SEED_TEXT).expect("write seed");
        std::fs::write(seed.with_extension("txt.meta.toml"), SEED_META).expect("write meta");
        std::fs::write(corpus.join("2021-03-04-fuzz-briefing.md"), MARKDOWN).expect("write md");
        let index_dir = root.join("index");
        let taxonomy = Taxonomy::builtin().expect("built-in taxonomy");
        let interrupted = AtomicBool::new(false);
        let opts = IndexOptions {
            corpus: corpus.clone(),
            index_dir: index_dir.clone(),
            rebuild: true,
            wait: false,
            memory: 32 * 1024 * 1024,
            max_file_size: 10 * 1024 * 1024,
            taxonomy: &taxonomy,
            interrupted: &interrupted,
            progress: None,
        };
        let summary = index::update(&opts).expect("index the fixture corpus");
        assert_eq!(summary.briefings, 2, "{summary:?}");
        let open = index::open(&index_dir).expect("open the fixture index");
        Fixture {
            open,
            taxonomy,
            synonyms: Synonyms::load(None).expect("built-in synonyms"),
            _dir: root,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    // First byte: request options; the rest: the query text.
    let (flags, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    let query = String::from_utf8_lossy(rest);
    let parsed = search::query::parse(&query);
    let f = fixture();
    let vocabulary = Vocabulary {
        taxonomy: &f.taxonomy,
        synonyms: &f.synonyms,
    };
    let request = SearchRequest {
        query: query.to_string(),
        sessions: if flags & 1 != 0 { vec!["III".into()] } else { vec![] },
        crimes: if flags & 2 != 0 { vec!["arms-trafficking".into()] } else { vec![] },
        orgs: vec![],
        years: if flags & 4 != 0 { vec!["2018".into()] } else { vec![] },
        limit: 1 + usize::from((flags >> 4) & 7),
        passages: 1 + usize::from((flags >> 3) & 1) * 3,
        fuzzy: flags & 0x80 != 0,
    };
    let result = search::search(&f.open, &vocabulary, &request);
    // A query the parser rejects must be rejected by the search too.
    if parsed.is_err() {
        assert!(result.is_err(), "parse failed but search succeeded for {query:?}");
    }
    if let Ok(results) = result {
        assert!(results.hits.len() as u64 <= results.total);
        for hit in &results.hits {
            let chars = hit.passage.chars().count();
            for [s, e] in &hit.highlights {
                assert!(s <= e && *e <= chars, "highlight {s}..{e} outside {chars} chars");
            }
        }
    }
    let _ = search::highlight_terms(&f.open, &vocabulary, &query);
});
