//! `ctsearch search`: ranked sessions for a query, with filters.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use clap::{Args, ValueEnum};

use super::{ColorChoice, ContextArgs, FilterArgs, Outcome};
use crate::render::{self, TextStyle};
use crate::search::{MatchMode, SearchRequest};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Jsonl,
    Paths,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatchArg {
    All,
    Most,
    Any,
}

impl MatchArg {
    pub fn mode(choice: Option<MatchArg>) -> MatchMode {
        match choice {
            None => MatchMode::Auto,
            Some(MatchArg::All) => MatchMode::All,
            Some(MatchArg::Most) => MatchMode::Most,
            Some(MatchArg::Any) => MatchMode::Any,
        }
    }
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub watches: super::watch::WatchesArg,
    /// Number of sessions to show.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Passages shown per session, best first.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub passages: usize,
    /// Tolerate typos in every word (one edit per word).
    #[arg(long)]
    pub fuzzy: bool,
    /// How many of the query's concepts a session must contain: all, most, or any
    /// (default: all for a short query, most for a long one, any if nothing matches).
    #[arg(long = "match", value_enum, value_name = "HOW")]
    pub match_mode: Option<MatchArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// After the hits, a bar chart of this facet's counts (e.g. year).
    #[arg(long, value_name = "FACET")]
    pub chart: Option<String>,
    /// When to color the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(flatten)]
    pub remote: super::RemoteArgs,
    /// Print the Quickwit request --remote would send, and send nothing.
    #[arg(long)]
    pub explain_remote: bool,
    /// The query: words, "phrases", AND/OR/NOT, +must, -not, field:value, prefix*, typo~.
    /// Without one, every session the filters keep (`--cites 1373 --year 2014`).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
}

pub fn run(args: SearchArgs) -> Result<Outcome> {
    if args.chart.is_some() && args.format != OutputFormat::Text {
        anyhow::bail!("--chart draws in text output only (not with --format json, jsonl or paths)");
    }
    if let Some(name) = &args.chart {
        // Before any search work: a mistyped facet costs nothing.
        super::chart_facet(name)?;
    }
    let filters = args.filters.filters();
    // A filter alone is a query for everything it keeps; nothing at all is
    // a mistake, not a request for the whole index.
    let query = if args.query.iter().all(|word| word.trim().is_empty()) {
        if filters.iter().all(|(_, values)| values.is_empty()) {
            anyhow::bail!("give a query, or a filter such as --cites 1373 or --year 2014");
        }
        "*".to_string()
    } else {
        args.query.join(" ")
    };
    let request = SearchRequest {
        query,
        filters,
        limit: args.limit,
        offset: 0,
        passages: args.passages,
        fuzzy: args.fuzzy,
        mode: MatchArg::mode(args.match_mode),
    };
    if args.explain_remote {
        let vocabulary = crate::vocabulary::Vocabulary::load(&args.context.vocabulary())?;
        print!(
            "{}",
            crate::backend::quickwit::explain(&vocabulary, &request)?
        );
        return Ok(Outcome::Matched);
    }
    let engine = args.context.engine(&args.remote, &request.filters)?;
    crate::trace::mark("context open");
    let json = matches!(args.format, OutputFormat::Json | OutputFormat::Jsonl);
    if let Some(context) = engine.local() {
        super::watch::report_on_stderr(context, &args.watches, json, args.context.quiet);
    }
    let results = engine.search(&request)?;
    crate::trace::mark("searched");
    if results.fallback && !args.context.quiet {
        eprintln!(
            "ctsearch: no session has every word of the query; showing sessions with any of them"
        );
    }
    let corpus = &args.context.corpus;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        OutputFormat::Text => {
            let color = args.color.enabled();
            let width = if stdout.is_terminal() {
                terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
            } else {
                None
            };
            render::write_text(&mut out, &results, corpus, TextStyle { color, width })?;
            if let Some(name) = &args.chart {
                super::write_facet_chart(&mut out, &results.facets, name, args.color)?;
            }
        }
        OutputFormat::Json => render::write_json(&mut out, &results)?,
        OutputFormat::Jsonl => render::write_jsonl(&mut out, &results)?,
        OutputFormat::Paths => render::write_paths(&mut out, &results, corpus)?,
    }
    out.flush()?;
    crate::trace::mark("rendered");
    Ok(if results.hits.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Matched
    })
}
