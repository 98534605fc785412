//! Command-line interface: flags (clap) → library calls → rendered output.
//! One file per subcommand; `main.rs` only parses and maps the outcome to an
//! exit status.

mod facets;
mod index;
mod search;
mod show;
mod stats;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::index::{IndexError, IndexOptions, OpenIndex, Summary};
use crate::taxonomy::Taxonomy;

/// What a command found; mapped to the exit status like grep and ripgrep
/// (0 matched, 1 nothing matched; errors are 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Matched,
    NoMatch,
}

#[derive(Debug, Parser)]
#[command(
    name = "ctsearch",
    version,
    about = "Full-text search over counter-terrorism briefings",
    long_about = "ctsearch indexes a corpus of counter-terrorism briefings (plain text and \
Markdown), splits each briefing into sessions tagged with crime types and organizations, and \
answers keyword queries with ranked passages and highlighted terms.",
    after_help = "Examples:\n  ctsearch search \"arms trafficking\"\n  ctsearch search weapons --crime arms-trafficking --session III\n  ctsearch index --corpus ./corpus --index ./index"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from the corpus.
    #[command(
        after_help = "Examples:\n  ctsearch index\n  ctsearch index --rebuild\n  ctsearch index --corpus ~/briefings --index ~/.cache/ctsearch"
    )]
    Index(index::IndexArgs),
    /// Search the index (building or updating it first if needed).
    #[command(
        after_help = "Examples:\n  ctsearch search \"arms trafficking\"\n  ctsearch search weapons --crime arms-trafficking\n  ctsearch search '\"trafficking in persons\"' --session introductory --format json\n  ctsearch search 'traffick* -drugs' --year 2018 --limit 5"
    )]
    Search(search::SearchArgs),
    /// Facet counts (crime types, sessions, organizations, years) for the corpus or a query.
    #[command(
        after_help = "Examples:\n  ctsearch facets\n  ctsearch facets weapons\n  ctsearch facets --json"
    )]
    Facets(facets::FacetsArgs),
    /// Print a whole briefing or one session as indexed, highlighted if a query is given.
    #[command(
        after_help = "Examples:\n  ctsearch show 2018/2018-10-08-ctc-open-briefing-terrorism-crime-nexus.txt --session III weapons"
    )]
    Show(show::ShowArgs),
    /// What the index holds: counts, facet values, size on disk, last update.
    Stats(stats::StatsArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  ctsearch completions bash > ~/.local/share/bash-completion/completions/ctsearch"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(after_help = "Example:\n  ctsearch man > ctsearch.1 && man ./ctsearch.1")]
    Man,
}

/// Where the corpus and the index are.
#[derive(Debug, Clone, Args)]
pub struct Location {
    /// Corpus directory of briefings.
    #[arg(long, default_value = "corpus", value_name = "DIR")]
    pub corpus: PathBuf,
    /// Index directory (created if missing).
    #[arg(long, default_value = "index", value_name = "DIR")]
    pub index: PathBuf,
    /// Taxonomy file replacing the built-in one (see data/taxonomy.toml).
    #[arg(long, value_name = "FILE", env = "CTSEARCH_TAXONOMY")]
    pub taxonomy: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to color stdout: `auto` colors a terminal unless `NO_COLOR`
    /// is set to a non-empty value.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                !no_color && std::io::stdout().is_terminal()
            }
        }
    }
}

/// Runs the command line of this process and returns its exit status:
/// 0 results, 1 none, 2 an error (reported on stderr), 130 interrupted by
/// Ctrl-C. A panic is reported as an internal error, status 2, never as
/// Rust's status 101.
pub fn main() -> u8 {
    crate::trace::start();
    let cli = Cli::parse();
    crate::trace::mark("arguments parsed");
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli.run()));
    crate::trace::mark("done");
    let status = match outcome {
        Ok(Ok(Outcome::Matched)) => 0,
        Ok(Ok(Outcome::NoMatch)) => 1,
        Ok(Err(err)) if is_broken_pipe(&err) => 0,
        Ok(Err(err)) if is_interrupted(&err) => {
            eprintln!("ctsearch: {err:#}");
            130
        }
        Ok(Err(err)) => {
            eprintln!("ctsearch: {err:#}");
            2
        }
        Err(_) => {
            eprintln!("ctsearch: internal error (a bug; please report it with the command line)");
            2
        }
    };
    let _ = std::io::Write::flush(&mut std::io::stdout());
    status
}

/// Whether an error chain holds [`IndexError::Interrupted`] (Ctrl-C).
fn is_interrupted(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<IndexError>(),
            Some(IndexError::Interrupted)
        )
    })
}

impl Cli {
    pub fn run(self) -> Result<Outcome> {
        match self.command {
            Command::Index(args) => index::run(args),
            Command::Search(args) => search::run(args),
            Command::Facets(args) => facets::run(args),
            Command::Show(args) => show::run(args),
            Command::Stats(args) => stats::run(args),
            Command::Completions { shell } => {
                let mut command = <Cli as clap::CommandFactory>::command();
                let mut out = std::io::stdout().lock();
                clap_complete::generate(shell, &mut command, "ctsearch", &mut out);
                Ok(Outcome::Matched)
            }
            Command::Man => {
                let command = <Cli as clap::CommandFactory>::command();
                let mut out = std::io::stdout().lock();
                clap_mangen::Man::new(command).render(&mut out)?;
                Ok(Outcome::Matched)
            }
        }
    }
}

/// The message for a filter value that is not known, listing the valid
/// values and suggesting the closest one.
pub fn unknown_value_message<'a>(
    what: &str,
    value: &str,
    valid: impl Iterator<Item = &'a str>,
) -> String {
    let valid: Vec<&str> = valid.collect();
    let lower = value.to_lowercase();
    let closest = valid
        .iter()
        .map(|v| {
            let vl = v.to_lowercase();
            let distance = if vl.contains(&lower) || lower.contains(&vl) {
                0
            } else {
                crate::search::passages::levenshtein(&lower, &vl)
            };
            (distance, *v)
        })
        .min();
    let mut message = format!("unknown {what} \"{value}\"");
    if let Some((distance, best)) = closest
        && distance <= (lower.chars().count() / 2).max(2)
    {
        message.push_str(&format!("; did you mean {best}?"));
    }
    message.push_str(&format!(" (valid: {})", valid.join(", ")));
    message
}

/// Opens the index for searching, first bringing it up to date when it is
/// missing, built with another taxonomy or format, or when the corpus's
/// directories changed since it was built.
pub(crate) fn ensure_index(loc: &Location, taxonomy: &Taxonomy, quiet: bool) -> Result<OpenIndex> {
    let fingerprint = crate::index::config_fingerprint(taxonomy);
    let existing = match crate::index::open(&loc.index) {
        Ok(open) => {
            let fresh = open.payload.config == fingerprint
                && !crate::index::corpus_may_have_changed(&open, &loc.corpus);
            if fresh {
                return Ok(open);
            }
            Some(open)
        }
        Err(err) => match err.downcast_ref::<IndexError>() {
            Some(IndexError::Outdated { .. }) => None,
            Some(IndexError::Missing(_)) => {
                if !quiet {
                    eprintln!(
                        "ctsearch: no index at {} yet; indexing {} first",
                        loc.index.display(),
                        loc.corpus.display()
                    );
                }
                None
            }
            _ => return Err(err),
        },
    };
    let interrupted = std::sync::atomic::AtomicBool::new(false);
    let opts = IndexOptions {
        corpus: loc.corpus.clone(),
        index_dir: loc.index.clone(),
        rebuild: false,
        wait: false,
        memory: index::DEFAULT_MEMORY_MB * 1024 * 1024,
        max_file_size: crate::index::DEFAULT_MAX_FILE_SIZE,
        taxonomy,
        interrupted: &interrupted,
        progress: None,
    };
    match crate::index::update(&opts) {
        Ok(summary) => {
            if !quiet && summary.wrote {
                report_update(&summary);
            }
        }
        Err(err) => match (err.downcast_ref::<IndexError>(), existing) {
            (Some(IndexError::Locked(_)), Some(open)) => {
                if !quiet {
                    eprintln!(
                        "ctsearch: another index run is in progress; answering from the last commit"
                    );
                }
                return Ok(open);
            }
            _ => return Err(err),
        },
    }
    crate::index::open(&loc.index)
}

fn report_update(summary: &Summary) {
    if let Some(reason) = &summary.rebuilt {
        eprintln!("ctsearch: rebuilt the index ({reason})");
    }
    eprintln!("ctsearch: {summary}");
}

/// Whether an error chain ends in a closed pipe (`ctsearch … | head -1`),
/// which ends the program quietly and successfully.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Display form of a corpus-relative path: joined to the corpus directory
/// as the user gave it, so it can be opened from where they stand.
pub fn display_path(corpus: &Path, rel: &str) -> String {
    corpus.join(rel).to_string_lossy().to_string()
}
