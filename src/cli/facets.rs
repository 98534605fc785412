//! `ctsearch facets [QUERY]`: facet counts only, every value.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use super::{Location, Outcome, ensure_index};
use crate::render::sanitize;
use crate::search::{self, Facets, SearchRequest, Vocabulary};
use crate::synonyms::Synonyms;
use crate::taxonomy::Taxonomy;

#[derive(Debug, Args)]
pub struct FacetsArgs {
    #[command(flatten)]
    pub location: Location,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// No notes on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Count only the sessions matching this query (default: the whole corpus).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
}

pub fn run(args: FacetsArgs) -> Result<Outcome> {
    let taxonomy = Taxonomy::load(args.location.taxonomy.as_deref())?;
    let synonyms = Synonyms::load(None)?;
    let open = ensure_index(&args.location, &taxonomy, args.quiet)?;
    let query = if args.query.is_empty() {
        "*".to_string()
    } else {
        args.query.join(" ")
    };
    let results = search::search(
        &open,
        &Vocabulary {
            taxonomy: &taxonomy,
            synonyms: &synonyms,
        },
        &SearchRequest {
            query,
            limit: 1,
            passages: 1,
            ..SearchRequest::default()
        },
    )?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &results.facets)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} sessions in {} briefings",
            results.total, results.briefings
        )?;
        write_all_facets(&mut out, &results.facets)?;
    }
    out.flush()?;
    Ok(if results.total == 0 {
        Outcome::NoMatch
    } else {
        Outcome::Matched
    })
}

/// Every facet value with its count, most frequent first.
pub fn write_all_facets(out: &mut impl Write, facets: &Facets) -> std::io::Result<()> {
    for (name, counts) in [
        ("crime", &facets.crime),
        ("session", &facets.session),
        ("org", &facets.org),
        ("year", &facets.year),
    ] {
        writeln!(out, "\n{name}:")?;
        let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (value, n) in sorted {
            writeln!(out, "  {n:>7}  {}", sanitize(value))?;
        }
    }
    Ok(())
}
