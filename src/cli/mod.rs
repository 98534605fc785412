//! Command-line interface: flags (clap) → library calls → rendered output.
//! One file per subcommand; `main.rs` only parses and maps the outcome to an
//! exit status.

mod cites;
mod export;
mod facets;
mod index;
mod search;
mod serve;
mod show;
mod stats;
mod watch;

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::backend::{Engine, Remote};
use crate::context::{Context, Freshness, Location};
use crate::index::IndexError;
use crate::search::{Facet, Filters};
use crate::vocabulary::{Vocabulary, VocabularyOptions};

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
    /// The documents that cite a document (or, with --from, what it cites).
    #[command(
        after_help = "Examples:\n  ctsearch cites 1373\n  ctsearch cites \"S/RES/2178 (2014)\" --kind recalls\n  ctsearch cites --from S/RES/1617\n  ctsearch cites 1267 --format json"
    )]
    Cites(cites::CitesArgs),
    /// Serve a JSON API and a search page over HTTP (127.0.0.1:7700 by default).
    #[command(
        after_help = "Examples:\n  ctsearch serve\n  ctsearch serve --addr 127.0.0.1:8080 --watch\n  ctsearch serve --addr 0.0.0.0:7700 --api-key \"$CTSEARCH_API_KEY\"\n  curl 'http://127.0.0.1:7700/api/search?q=arms+trafficking&crime=arms-trafficking'"
    )]
    Serve(serve::ServeArgs),
    /// Export the sessions to Quickwit or Elasticsearch/OpenSearch: files, or a push to a node.
    #[command(
        after_help = "Examples:\n  ctsearch export --to quickwit ./qw-export\n  ctsearch export --to quickwit --url http://127.0.0.1:7280\n  ctsearch export --to elasticsearch --url http://127.0.0.1:9200 --index-id ctsearch"
    )]
    Export(export::ExportArgs),
    /// Saved searches: add, list, rm, and run them to see what is new.
    #[command(
        after_help = "Examples:\n  ctsearch watch add kfr --crime kidnapping-for-ransom ransom\n  ctsearch watch list\n  ctsearch watch run kfr --all --format atom\n  ctsearch watch rm kfr"
    )]
    Watch(watch::WatchArgs),
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

/// A Quickwit node to search instead of the local index: the flags
/// `search`, `facets`, `show`, `stats`, `cites`, `watch run` and `serve` share.
#[derive(Debug, Clone, Args)]
pub struct RemoteArgs {
    /// Search this Quickwit node (http://HOST:7280), filled by
    /// `ctsearch export --to quickwit --url`, instead of the local index.
    #[arg(long, value_name = "URL")]
    pub remote: Option<String>,
    /// The index id on the --remote node.
    #[arg(
        long,
        default_value = "ctsearch",
        value_name = "ID",
        requires = "remote"
    )]
    pub index_id: String,
}

impl RemoteArgs {
    /// The node's URL (without a trailing `/`) and the index id, when
    /// `--remote` is given; an error for an index id Quickwit would refuse
    /// (it becomes part of the request path).
    pub fn node(&self) -> Result<Option<(String, String)>> {
        let Some(url) = &self.remote else {
            return Ok(None);
        };
        if !crate::export::quickwit::valid_index_id(&self.index_id) {
            anyhow::bail!(
                "invalid index id {:?}: 3 to 255 letters, digits, '-', '_' or '.', starting with a letter",
                self.index_id
            );
        }
        Ok(Some((
            url.trim_end_matches('/').to_string(),
            self.index_id.clone(),
        )))
    }
}

/// Where the corpus and the index are, and the vocabulary: the flags every
/// command that opens the index shares.
#[derive(Debug, Clone, Args)]
pub struct ContextArgs {
    /// Corpus directory of briefings.
    #[arg(long, default_value = "corpus", value_name = "DIR")]
    pub corpus: PathBuf,
    /// Index directory (created if missing).
    #[arg(long, default_value = "index", value_name = "DIR")]
    pub index: PathBuf,
    /// Taxonomy file replacing the built-in one (see data/taxonomy.toml).
    #[arg(long, value_name = "FILE", env = "CTSEARCH_TAXONOMY")]
    pub taxonomy: Option<PathBuf>,
    /// A synonym file extending the built-in list (same format as data/synonyms.txt).
    #[arg(long, value_name = "FILE", env = "CTSEARCH_SYNONYMS")]
    pub synonyms: Option<PathBuf>,
    /// Don't expand the field's synonyms and acronyms (data/synonyms.txt).
    #[arg(long)]
    pub no_synonyms: bool,
    /// Stemming exceptions extending the built-in ones (same format as data/stemming.txt); a change rebuilds the index once.
    #[arg(long, value_name = "FILE", env = "CTSEARCH_STEMMING")]
    pub stemming: Option<PathBuf>,
    /// No notes on stderr (e.g. about indexing first).
    #[arg(long, short)]
    pub quiet: bool,
}

impl ContextArgs {
    pub fn location(&self) -> Location {
        Location {
            corpus: self.corpus.clone(),
            index: self.index.clone(),
        }
    }

    pub fn vocabulary(&self) -> VocabularyOptions {
        VocabularyOptions {
            taxonomy: self.taxonomy.clone(),
            synonyms: self.synonyms.clone(),
            no_synonyms: self.no_synonyms,
            stemming: self.stemming.clone(),
        }
    }

    /// The context of a command, with the index checked for freshness.
    pub fn open(&self) -> Result<Context> {
        self.open_for(&Filters::default())
    }

    /// [`ContextArgs::open`] for a command with `filters`, which are
    /// checked against the vocabulary before the index is touched: a
    /// mistyped crime type never costs an index run.
    pub fn open_for(&self, filters: &Filters) -> Result<Context> {
        let vocabulary = Vocabulary::load(&self.vocabulary())?;
        filters.check(&vocabulary)?;
        Context::with_vocabulary(self.location(), vocabulary, Freshness::Checked, self.quiet)
    }

    /// The engine of a command, chosen once: the `--remote` node if given
    /// (no local index is opened or built: the node holds the sessions),
    /// else the local context ([`ContextArgs::open_for`]). `filters` are
    /// checked against the vocabulary first either way.
    pub fn engine(&self, remote: &RemoteArgs, filters: &Filters) -> Result<Engine> {
        let Some((url, index_id)) = remote.node()? else {
            return Ok(Engine::Local(self.open_for(filters)?));
        };
        let vocabulary = Vocabulary::load(&self.vocabulary())?;
        filters.check(&vocabulary)?;
        Ok(Engine::Remote(Remote {
            url,
            index_id,
            vocabulary,
            corpus: self.corpus.clone(),
        }))
    }
}

/// The facet filters of `search`, `facets` and `watch add`: a flag per
/// facet (`--crime C`), repeatable, from [`Facet::ALL`].
#[derive(Debug, Clone, Default)]
pub struct FilterArgs {
    /// Per facet, in [`Facet::ALL`]'s order.
    values: [Vec<String>; Facet::ALL.len()],
}

impl FilterArgs {
    pub fn filters(&self) -> Filters {
        Facet::ALL
            .into_iter()
            .fold(Filters::default(), |filters, facet| {
                filters.with(facet, self.values[facet.index()].iter().cloned())
            })
    }
}

impl Args for FilterArgs {
    fn augment_args(command: clap::Command) -> clap::Command {
        Facet::ALL.into_iter().fold(command, |command, facet| {
            command.arg(
                Arg::new(facet.name())
                    .long(facet.name())
                    .value_name(facet.value_name())
                    .help(facet.help())
                    .action(ArgAction::Append),
            )
        })
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        FilterArgs::augment_args(command)
    }
}

impl FromArgMatches for FilterArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<FilterArgs, clap::Error> {
        let mut args = FilterArgs::default();
        args.update_from_arg_matches(matches)?;
        Ok(args)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for facet in Facet::ALL {
            if let Some(values) = matches.get_many::<String>(facet.name()) {
                self.values[facet.index()] = values.cloned().collect();
            }
        }
        Ok(())
    }
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
            Command::Cites(args) => cites::run(args),
            Command::Serve(args) => serve::run(args),
            Command::Export(args) => export::run(args),
            Command::Watch(args) => watch::run(args),
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

/// Writes the bar chart of facet `name` ("year", "crime", …) of `facets`:
/// block characters on a color terminal, ASCII when piped or `NO_COLOR`.
/// The facet `--chart NAME` draws; an error listing the valid names.
pub(crate) fn chart_facet(name: &str) -> Result<Facet> {
    Facet::DISPLAY
        .into_iter()
        .find(|facet| facet.name() == name)
        .ok_or_else(|| {
            let known: Vec<&str> = Facet::DISPLAY.iter().map(|facet| facet.name()).collect();
            anyhow::anyhow!(
                "unknown facet \"{name}\" for --chart (valid: {})",
                known.join(", ")
            )
        })
}

pub(crate) fn write_facet_chart(
    out: &mut impl std::io::Write,
    facets: &crate::search::Facets,
    name: &str,
    color: ColorChoice,
) -> Result<()> {
    let counts = &facets[chart_facet(name)?];
    let width = if std::io::stdout().is_terminal() {
        terminal_size::terminal_size().map_or(60, |(w, _)| usize::from(w.0).saturating_sub(30))
    } else {
        60
    };
    writeln!(out, "\n{name}:")?;
    crate::render::write_chart(out, counts, width.min(60), color.enabled())?;
    Ok(())
}

/// A progress bar on stderr when it is a terminal and not `quiet`:
/// `{pos}/{len} <unit>`, rate, ETA. indicatif draws nothing until a run has
/// lasted a moment, so quick runs stay quiet.
pub(crate) fn progress_bar(quiet: bool, unit: &str) -> Option<indicatif::ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            None,
            indicatif::ProgressDrawTarget::stderr_with_hz(4),
        );
        let template =
            format!("{{spinner}} {{pos}}/{{len}} {unit}  {{per_sec}}  ETA {{eta}}  {{wide_bar}}");
        bar.set_style(
            indicatif::ProgressStyle::with_template(&template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    })
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
