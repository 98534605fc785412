//! `ctsearch show PATH [--session S] [QUERY]`: a whole briefing or session,
//! as indexed, highlighted if a query is given, then what it cites, what
//! cites it and its lineage.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use super::{ColorChoice, ContextArgs, Outcome};
use crate::render::{TextStyle, write_citations, write_shown};
use crate::search::cites::Citations;
use crate::search::show::ShownBriefing;

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    /// Only this session ("III", "introductory", …).
    #[arg(long, value_name = "S")]
    pub session: Option<String>,
    /// Print the document as JSON: its metadata, each session's passages
    /// with page, paragraph and highlights, and its citations (`cites`,
    /// `cited_by`, `citing`, `cited_by_per_year`, `lineage`).
    #[arg(long)]
    pub json: bool,
    /// When to color the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(flatten)]
    pub remote: super::RemoteArgs,
    /// The briefing: its corpus-relative path, or a path through the corpus directory.
    #[arg(value_name = "PATH")]
    pub path: String,
    /// Highlight the words of this query.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
}

pub fn run(args: ShowArgs) -> Result<Outcome> {
    let engine = args
        .context
        .engine(&args.remote, &crate::search::Filters::default())?;
    let shown = engine.show(&args.path, args.session.as_deref(), &args.query.join(" "))?;
    let style = TextStyle {
        color: args.color.enabled(),
        width: None,
    };
    // The citations, from the same engine: a --remote node stores the
    // passages the clauses are read from.
    let citations = engine.citations(&args.path)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        #[derive(serde::Serialize)]
        struct Shown<'a> {
            #[serde(flatten)]
            shown: &'a ShownBriefing,
            #[serde(flatten)]
            citations: &'a Citations,
        }
        let whole = Shown {
            shown: &shown,
            citations: &citations,
        };
        serde_json::to_writer(&mut out, &whole)?;
        writeln!(out)?;
    } else {
        write_shown(&mut out, &shown, style)?;
        write_citations(&mut out, &citations, style)?;
    }
    out.flush()?;
    Ok(Outcome::Matched)
}
