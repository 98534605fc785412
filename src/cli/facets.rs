//! `ctsearch facets [QUERY]`: facet counts only, the most frequent values
//! of each facet (every value with `--all` or `--json`).

use std::io::Write;

use anyhow::Result;
use clap::Args;

use super::{ColorChoice, ContextArgs, FilterArgs, Outcome};
use crate::render::{FACET_TOP, write_facet_lists};

#[derive(Debug, Args)]
pub struct FacetsArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Print JSON instead of text (every value of each facet).
    #[arg(long)]
    pub json: bool,
    /// Every value of each facet, not only the most frequent.
    #[arg(long)]
    pub all: bool,
    /// Also draw this facet's counts as a bar chart (e.g. year).
    #[arg(long, value_name = "FACET", conflicts_with = "json")]
    pub chart: Option<String>,
    /// When to draw the chart with block characters.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(flatten)]
    pub remote: super::RemoteArgs,
    /// Count only the sessions matching this query (default: the whole corpus).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
}

pub fn run(args: FacetsArgs) -> Result<Outcome> {
    if let Some(name) = &args.chart {
        super::chart_facet(name)?;
    }
    let filters = args.filters.filters();
    let engine = args.context.engine(&args.remote, &filters)?;
    let results = engine.facets(&args.query.join(" "), &filters)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &results.facets)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} sessions in {} documents",
            results.total, results.briefings
        )?;
        write_facet_lists(&mut out, &results.facets, (!args.all).then_some(FACET_TOP))?;
        if let Some(name) = &args.chart {
            super::write_facet_chart(&mut out, &results.facets, name, args.color)?;
        }
    }
    out.flush()?;
    Ok(if results.total == 0 {
        Outcome::NoMatch
    } else {
        Outcome::Matched
    })
}
