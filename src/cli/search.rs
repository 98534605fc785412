//! `ctsearch search`: ranked sessions for a query, with filters.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use clap::{Args, ValueEnum};

use super::{ColorChoice, Location, Outcome, ensure_index, unknown_value_message};
use crate::render::{self, TextStyle};
use crate::search::{self, SearchRequest, Vocabulary};
use crate::synonyms::Synonyms;
use crate::taxonomy::Taxonomy;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Jsonl,
    Paths,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub location: Location,
    /// Only sessions with this label or number ("III", "3", "introductory"); repeat to OR.
    #[arg(long = "session", value_name = "S")]
    pub sessions: Vec<String>,
    /// Only sessions tagged with this crime type (e.g. arms-trafficking); repeat to OR.
    #[arg(long = "crime", value_name = "C")]
    pub crimes: Vec<String>,
    /// Only sessions naming this organization (e.g. UNODC); repeat to OR.
    #[arg(long = "org", value_name = "O")]
    pub orgs: Vec<String>,
    /// Only briefings of this year; repeat to OR.
    #[arg(long = "year", value_name = "Y")]
    pub years: Vec<String>,
    /// Number of sessions to show.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Passages shown per session, best first.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub passages: usize,
    /// Tolerate typos in every word (one edit per word).
    #[arg(long)]
    pub fuzzy: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// When to color the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Don't expand the field's synonyms and acronyms (data/synonyms.txt).
    #[arg(long)]
    pub no_synonyms: bool,
    /// A synonym file extending the built-in list (same format as data/synonyms.txt).
    #[arg(long, value_name = "FILE", env = "CTSEARCH_SYNONYMS")]
    pub synonyms: Option<std::path::PathBuf>,
    /// No notes on stderr (e.g. about indexing first).
    #[arg(long, short)]
    pub quiet: bool,
    /// The query: words, "phrases", AND/OR/NOT, +must, -not, field:value, prefix*, typo~.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
}

pub fn run(args: SearchArgs) -> Result<Outcome> {
    let taxonomy = Taxonomy::load(args.location.taxonomy.as_deref())?;
    let crimes = args
        .crimes
        .iter()
        .map(|c| {
            taxonomy.crime(c).map(|c| c.slug.clone()).ok_or_else(|| {
                anyhow::anyhow!(unknown_value_message(
                    "crime type",
                    c,
                    taxonomy.crimes.iter().map(|c| c.slug.as_str())
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let orgs = args
        .orgs
        .iter()
        .map(|o| {
            taxonomy.org(o).map(|o| o.name.clone()).ok_or_else(|| {
                anyhow::anyhow!(unknown_value_message(
                    "organization",
                    o,
                    taxonomy.orgs.iter().map(|o| o.name.as_str())
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    crate::trace::mark("taxonomy loaded");
    let open = ensure_index(&args.location, &taxonomy, args.quiet)?;
    crate::trace::mark("index open and fresh");
    let request = SearchRequest {
        query: args.query.join(" "),
        sessions: args.sessions.clone(),
        crimes,
        orgs,
        years: args.years.clone(),
        limit: args.limit,
        passages: args.passages,
        fuzzy: args.fuzzy,
    };
    let synonyms = if args.no_synonyms {
        Synonyms::none()
    } else {
        Synonyms::load(args.synonyms.as_deref())?
    };
    let vocabulary = Vocabulary {
        taxonomy: &taxonomy,
        synonyms: &synonyms,
    };
    crate::trace::mark("synonyms loaded");
    let results = search::search(&open, &vocabulary, &request)?;
    crate::trace::mark("searched");
    if results.total == 0 && !args.sessions.is_empty() {
        check_sessions(&open, &vocabulary, &args.sessions)?;
    }
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
            render::write_text(
                &mut out,
                &results,
                &args.location.corpus,
                TextStyle { color, width },
            )?;
        }
        OutputFormat::Json => render::write_json(&mut out, &results)?,
        OutputFormat::Jsonl => render::write_jsonl(&mut out, &results)?,
        OutputFormat::Paths => render::write_paths(&mut out, &results, &args.location.corpus)?,
    }
    out.flush()?;
    crate::trace::mark("rendered");
    let outcome = if results.hits.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Matched
    };
    // The process ends here: tearing down the index (unmapping its files
    // one by one, stopping the search threads) and the vocabularies would
    // cost about half a millisecond that exiting does not.
    std::mem::forget((open, results, synonyms, taxonomy));
    Ok(outcome)
}

/// Fails with the list of known sessions when a `--session` value names no
/// session of the index; called only when a search found nothing.
fn check_sessions(
    open: &crate::index::OpenIndex,
    vocabulary: &Vocabulary,
    sessions: &[String],
) -> Result<()> {
    let all = search::corpus_facets(open, vocabulary)?;
    let known: Vec<&str> = all.facets.session.keys().map(String::as_str).collect();
    let known_keys: Vec<String> = known.iter().map(|l| crate::model::session_key(l)).collect();
    for value in sessions {
        let key = crate::model::session_key(value);
        if !known_keys.contains(&key) {
            anyhow::bail!(unknown_value_message(
                "session",
                value,
                known.iter().copied()
            ));
        }
    }
    Ok(())
}
