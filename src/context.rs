//! The context every command, and the server, runs in: the vocabulary and
//! an index reader, opened once, and the operations on them. A command
//! builds one [`Context`] from its flags and calls it; it never builds
//! queries or reads the schema itself.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use anyhow::Result;

use crate::index::{self, IndexError, IndexOptions, OpenIndex, Summary};
use crate::search::show::ShownBriefing;
use crate::search::{self, Filters, SearchRequest, SearchResults};
use crate::vocabulary::{Vocabulary, VocabularyOptions};

/// Default writer memory budget of an index run, MB.
pub const DEFAULT_MEMORY_MB: usize = 256;

/// Where the corpus and the index are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub corpus: PathBuf,
    pub index: PathBuf,
}

/// How an index run goes; the defaults are those of a search's automatic
/// update.
pub struct UpdateOptions<'a> {
    pub rebuild: bool,
    /// Wait for another run's lock instead of failing.
    pub wait: bool,
    /// Writer memory budget, bytes.
    pub memory: usize,
    pub max_file_size: u64,
    /// Set by a Ctrl-C handler; checked between briefings.
    pub interrupted: Option<&'a AtomicBool>,
    /// Called with (done, total) as briefings are processed.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

impl Default for UpdateOptions<'_> {
    fn default() -> Self {
        UpdateOptions {
            rebuild: false,
            wait: false,
            memory: DEFAULT_MEMORY_MB * 1024 * 1024,
            max_file_size: index::DEFAULT_MAX_FILE_SIZE,
            interrupted: None,
            progress: None,
        }
    }
}

/// How fresh the index must be when the context opens.
pub enum Freshness<'a> {
    /// Brought up to date first if it is missing, was built with another
    /// vocabulary or format, or the corpus's directories changed since
    /// (a cheap check: no file is read when nothing changed). When another
    /// run holds the lock, the last commit answers.
    Checked,
    /// An index run first, whatever the check says (`ctsearch index`).
    Updated(UpdateOptions<'a>),
}

/// Notes for the user while opening, printed on stderr unless quiet.
fn note(quiet: bool, message: &str) {
    if !quiet {
        eprintln!("ctsearch: {message}");
    }
}

/// The vocabulary and an open index, shared by every operation.
pub struct Context {
    pub location: Location,
    pub vocabulary: Vocabulary,
    index: OpenIndex,
    /// What the index run made while opening did, if one ran and wrote.
    pub update: Option<Summary>,
}

impl Context {
    /// Loads the vocabulary and opens the index, fresh as asked.
    pub fn open(
        location: Location,
        vocabulary: &VocabularyOptions,
        freshness: Freshness,
        quiet: bool,
    ) -> Result<Context> {
        let vocabulary = Vocabulary::load(vocabulary)?;
        Context::with_vocabulary(location, vocabulary, freshness, quiet)
    }

    /// [`Context::open`] with a vocabulary already loaded.
    pub fn with_vocabulary(
        location: Location,
        vocabulary: Vocabulary,
        freshness: Freshness,
        quiet: bool,
    ) -> Result<Context> {
        let (index, update) = match freshness {
            Freshness::Checked => checked(&location, &vocabulary, quiet)?,
            Freshness::Updated(options) => {
                let summary = run_update(&location, &vocabulary, &options)?;
                (index::open(&location.index)?, Some(summary))
            }
        };
        Ok(Context {
            location,
            vocabulary,
            index,
            update,
        })
    }

    /// The open index (for statistics; searches go through the methods).
    pub fn index(&self) -> &OpenIndex {
        &self.index
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        search::search(&self.index, &self.vocabulary, request)
    }

    /// Totals and facet counts of the sessions matching `query` (every
    /// session for an empty query) and `filters`: the same match set as
    /// [`Context::search`] with the same query.
    pub fn facets(&self, query: &str, filters: &Filters) -> Result<SearchResults> {
        self.search(&SearchRequest::counts(query, filters))
    }

    /// A whole briefing (or one session), highlighted for `query`. `path`
    /// is corpus-relative, or a path through the corpus directory.
    pub fn show(&self, path: &str, session: Option<&str>, query: &str) -> Result<ShownBriefing> {
        let rel = self.relative_path(path);
        search::show::show(&self.index, &self.vocabulary, &rel, session, query)
    }

    /// What the document at `path` cites, what cites it, and its lineage
    /// ([`search::cites::document_citations`]).
    pub fn citations(&self, path: &str) -> Result<search::cites::Citations> {
        search::cites::document_citations(&self.index, &self.relative_path(path))
    }

    /// `path` relative to the corpus: accepts `corpus/2018/x.txt` as well
    /// as `2018/x.txt`.
    pub fn relative_path(&self, path: &str) -> String {
        relative_to(&self.location.corpus, path)
    }

    /// Runs an index run now and reopens the index on what it committed.
    pub fn update(&mut self, options: &UpdateOptions) -> Result<Summary> {
        let summary = run_update(&self.location, &self.vocabulary, options)?;
        self.index = index::open(&self.location.index)?;
        Ok(summary)
    }

    /// Reopens the index when another process committed to it since it
    /// was opened (a new generation, or a commit to the live one). Returns
    /// whether it did.
    pub fn refresh(&mut self) -> Result<bool> {
        if !index::changed_since(&self.index, &self.location.index) {
            return Ok(false);
        }
        self.index = index::open(&self.location.index)?;
        Ok(true)
    }
}

fn run_update(
    location: &Location,
    vocabulary: &Vocabulary,
    options: &UpdateOptions,
) -> Result<Summary> {
    let never = AtomicBool::new(false);
    index::update(&IndexOptions {
        corpus: location.corpus.clone(),
        index_dir: location.index.clone(),
        rebuild: options.rebuild,
        wait: options.wait,
        memory: options.memory,
        max_file_size: options.max_file_size,
        taxonomy: &vocabulary.taxonomy,
        interrupted: options.interrupted.unwrap_or(&never),
        progress: options.progress,
    })
}

/// Opens the index, first bringing it up to date when it is missing,
/// built with another vocabulary or format, or when the corpus's
/// directories changed since it was built.
fn checked(
    location: &Location,
    vocabulary: &Vocabulary,
    quiet: bool,
) -> Result<(OpenIndex, Option<Summary>)> {
    let fingerprint = index::config_fingerprint(&vocabulary.taxonomy);
    let existing = match index::open(&location.index) {
        Ok(open) => {
            let fresh = open.payload.config == fingerprint
                && !index::corpus_may_have_changed(&open, &location.corpus);
            if fresh {
                return Ok((open, None));
            }
            Some(open)
        }
        Err(err) => match err.downcast_ref::<IndexError>() {
            Some(IndexError::Outdated { .. }) => None,
            Some(IndexError::Missing(_)) => {
                note(
                    quiet,
                    &format!(
                        "no index at {} yet; indexing {} first",
                        location.index.display(),
                        location.corpus.display()
                    ),
                );
                None
            }
            _ => return Err(err),
        },
    };
    match run_update(location, vocabulary, &UpdateOptions::default()) {
        Ok(summary) => {
            if summary.wrote {
                if let Some(reason) = &summary.rebuilt {
                    note(quiet, &format!("rebuilt the index ({reason})"));
                }
                note(quiet, &summary.to_string());
            }
            let update = summary.wrote.then_some(summary);
            Ok((index::open(&location.index)?, update))
        }
        Err(err) => match (err.downcast_ref::<IndexError>(), existing) {
            (Some(IndexError::Locked(_)), Some(open)) => {
                note(
                    quiet,
                    "another index run is in progress; answering from the last commit",
                );
                Ok((open, None))
            }
            _ => Err(err),
        },
    }
}

/// `path` relative to `corpus`, with `/` separators: `corpus/2018/x.txt`
/// and `2018/x.txt` name the same briefing.
pub fn relative_to(corpus: &Path, path: &str) -> String {
    let p = Path::new(path);
    let rel = p.strip_prefix(corpus).unwrap_or(p);
    rel.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test fixture corpus of two briefings in the shipped shape.
    fn fixture() -> (tempfile::TempDir, Location) {
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(corpus.join("2019")).expect("mkdir");
        std::fs::write(
            corpus.join("2019/2019-05-01-test-fixture-nexus.txt"),
            "Test fixture briefing on the nexus\n\n\
             Overview of trafficking in persons, drugs and arms by terrorist groups.\n\n\
             Session I\n\nParticipants discussed kidnapping for ransom.\n\n\
             Session II\n\nParticipants discussed arms trafficking across borders and UNODC's work.\n",
        )
        .expect("write");
        std::fs::write(
            corpus.join("2019/2019-06-01-test-fixture-finance.txt"),
            "Test fixture briefing on finance\n\nSession I\n\nTerrorism financing and money laundering.\n",
        )
        .expect("write");
        let location = Location {
            corpus,
            index: dir.path().join("index"),
        };
        (dir, location)
    }

    fn open(location: &Location) -> Context {
        Context::open(
            location.clone(),
            &VocabularyOptions::default(),
            Freshness::Checked,
            true,
        )
        .expect("context")
    }

    fn request(query: &str) -> SearchRequest {
        SearchRequest::first_page(query)
    }

    #[test]
    fn builds_the_index_when_missing_and_ranks_the_phrase_first() {
        let (_dir, location) = fixture();
        let context = open(&location);
        assert!(context.update.as_ref().is_some_and(|s| s.added == 2));
        let results = context
            .search(&request("arms trafficking"))
            .expect("search");
        assert_eq!(results.hits[0].session, "Session II");
        assert_eq!(
            results.hits[0].path,
            "2019/2019-05-01-test-fixture-nexus.txt"
        );
        let facets = context
            .facets("arms trafficking", &Filters::default())
            .expect("facets");
        assert_eq!(facets.total, results.total);
    }

    #[test]
    fn filters_narrow_and_unknown_values_are_typed_errors() {
        let (_dir, location) = fixture();
        let context = open(&location);
        let mut narrowed = request("participants");
        narrowed.filters[search::Facet::Org] = vec!["UNODC".into()];
        let results = context.search(&narrowed).expect("search");
        assert_eq!(results.total, 1);
        let mut unknown = request("participants");
        unknown.filters[search::Facet::Session] = vec!["XLVII".into()];
        let err = context.search(&unknown).expect_err("unknown session");
        let unknown = err.downcast_ref::<search::UnknownValue>().expect("typed");
        assert_eq!(unknown.facet, "session");
    }

    #[test]
    fn show_returns_sessions_in_order_and_not_found_is_typed() {
        let (_dir, location) = fixture();
        let context = open(&location);
        let shown = context
            .show("2019/2019-05-01-test-fixture-nexus.txt", None, "ransom")
            .expect("show");
        let labels: Vec<&str> = shown.sessions.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Overview", "Session I", "Session II"]);
        assert!(
            !shown.sessions[1]
                .passages
                .iter()
                .all(|p| p.highlights.is_empty())
        );
        let err = context
            .show("2019/nothing.txt", None, "")
            .expect_err("missing");
        assert!(err.downcast_ref::<search::show::NotFound>().is_some());
    }

    #[test]
    fn refresh_sees_another_processs_commit() {
        let (_dir, location) = fixture();
        let mut context = open(&location);
        assert!(!context.refresh().expect("refresh"));
        std::fs::write(
            location.corpus.join("2019/2019-07-01-test-fixture-new.txt"),
            "Test fixture briefing\n\nSession I\n\nThe word okapiglow.\n",
        )
        .expect("write");
        // Another "process": a context of its own runs the update.
        let other = Context::open(
            location.clone(),
            &VocabularyOptions::default(),
            Freshness::Updated(UpdateOptions::default()),
            true,
        )
        .expect("update");
        assert_eq!(other.update.as_ref().map(|s| s.added), Some(1));
        assert_eq!(
            context.search(&request("okapiglow")).expect("search").total,
            0
        );
        assert!(context.refresh().expect("refresh"));
        assert_eq!(
            context.search(&request("okapiglow")).expect("search").total,
            1
        );
    }
}
