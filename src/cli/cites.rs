//! `ctsearch cites SYMBOL`: the documents that cite a document, grouped by
//! document, newest first, each citing clause highlighted with its
//! paragraph; `--from` lists what a document cites instead, `--lineage`
//! its renewals and extensions, and `--graph` exports the whole network.
//! With `--remote URL --index-id ID` the lists are read from a Quickwit
//! node `ctsearch export` filled, alike.

use std::io::Write;

use anyhow::Result;
use clap::{Args, ValueEnum};

use super::{ColorChoice, ContextArgs, Outcome};
use crate::backend::Engine;
use crate::render::{
    TextStyle, sanitize, write_graph_csv, write_graphml, write_lineage, write_passage,
};
use crate::search::cites::{self, CitedBy, CitedFrom, CitingClause};
use crate::search::{Facet, Filters, SearchRequest};

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum CitesFormat {
    #[default]
    Text,
    Json,
    Jsonl,
}

/// The network's export formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    /// GraphML, for Gephi, igraph, networkx.
    Graphml,
    /// A CSV edge list with a header, for R.
    Csv,
}

#[derive(Debug, Args)]
pub struct CitesArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    /// List what SYMBOL cites, instead of what cites it.
    #[arg(long, conflicts_with_all = ["lineage", "graph"])]
    pub from: bool,
    /// The renewals and extensions SYMBOL belongs to, root first: what it
    /// continues and what continues it, with dates and clauses.
    #[arg(long, conflicts_with_all = ["graph", "kind"])]
    pub lineage: bool,
    /// Export the citation network of the whole index to stdout: graphml
    /// (nodes and edges with attributes) or csv (an edge list).
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "kind")]
    pub graph: Option<GraphFormat>,
    /// Only citing clauses of this kind ("recalls", "reaffirms", "extends",
    /// "renews", "decides", …).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Output format: text, json (one object), jsonl (one citing document,
    /// or one citation with --from, per line).
    #[arg(long, value_enum, default_value_t = CitesFormat::Text)]
    pub format: CitesFormat,
    /// When to color the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(flatten)]
    pub remote: super::RemoteArgs,
    /// The usual facet filters (`--year 2014`, `--type resolution`, …):
    /// only citing clauses in sessions they keep, as `search --cites
    /// SYMBOL` with the same filters finds them.
    #[command(flatten)]
    pub filters: super::FilterArgs,
    /// The document: a resolution number in any form (1373, S/RES/1373,
    /// "1373 (2001)") or a symbol (S/PRST/2014/23, S/PV.8716, S/2020/95).
    // Its own id: the facet filters have a `symbol` (`--symbol`).
    #[arg(
        id = "document",
        value_name = "SYMBOL",
        required_unless_present = "graph",
        conflicts_with = "graph"
    )]
    pub symbol: Option<String>,
}

pub fn run(args: CitesArgs) -> Result<Outcome> {
    let filters = args.filters.filters();
    let filtered = filters.iter().any(|(_, values)| !values.is_empty());
    if filtered && (args.lineage || args.from || args.graph.is_some()) {
        anyhow::bail!(
            "facet filters select citing documents: they apply to `cites SYMBOL`, not to --from, --lineage or --graph"
        );
    }
    if let Some(graph) = args.graph {
        return export_graph(&args.context, &args.remote, graph);
    }
    let target = cites::resolve_target(args.symbol.as_deref().unwrap_or_default())?;
    // Kinds are matched as the citator names them, whatever the case.
    let kind = match &args.kind {
        None => None,
        Some(kind) => match crate::citation::Kind::from_name(kind) {
            Some(kind) => Some(kind.as_str()),
            None => {
                let known: Vec<&str> = crate::citation::Kind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect();
                anyhow::bail!("unknown kind {kind:?}; the kinds are {}", known.join(", "));
            }
        },
    };
    let engine = args.context.engine(&args.remote, &filters)?;
    let style = TextStyle {
        color: args.color.enabled(),
        width: None,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let found = if args.lineage {
        let lineage = engine.lineage(&target)?;
        match args.format {
            CitesFormat::Json | CitesFormat::Jsonl => {
                write_json(&mut out, args.format, &lineage, &lineage.steps)?;
            }
            CitesFormat::Text => write_lineage(&mut out, &lineage, style)?,
        }
        lineage.steps.len() > 1
    } else if args.from {
        let from = engine.cited_from(&target)?;
        write_from(&mut out, &from, args.format, style)?;
        !from.cites.is_empty()
    } else {
        let mut by = engine.cited_by(&target, kind)?;
        if filtered {
            keep_filtered(&engine, &mut by, filters)?;
        }
        write_by(&mut out, &by, args.format, style)?;
        by.cited_by > 0
    };
    out.flush()?;
    Ok(if found {
        Outcome::Matched
    } else {
        Outcome::NoMatch
    })
}

/// Keeps, of `by`, the citing clauses in sessions that `filters` keep:
/// the sessions `search --cites TARGET` with the same filters finds, so
/// that the list's length is that search's document count (`briefings`).
fn keep_filtered(engine: &Engine, by: &mut CitedBy, filters: Filters) -> Result<()> {
    let filters = filters.with(Facet::Cites, [by.target.clone()]);
    let counted = engine.search(&SearchRequest::counts("*", &filters))?;
    let total = usize::try_from(counted.total).unwrap_or(usize::MAX);
    let kept: std::collections::HashSet<(String, String)> = if total == 0 {
        Default::default()
    } else {
        engine
            .search(&SearchRequest {
                limit: total,
                ..SearchRequest::counts("*", &filters)
            })?
            .hits
            .into_iter()
            .map(|hit| (hit.path, hit.session))
            .collect()
    };
    for document in &mut by.documents {
        let path = document.path.clone();
        document
            .clauses
            .retain(|clause| kept.contains(&(path.clone(), clause.session.clone())));
    }
    by.documents.retain(|document| !document.clauses.is_empty());
    by.cited_by = by.documents.len() as u64;
    Ok(())
}

/// `cites --graph`: the whole network to stdout, from the local index
/// or the `--remote` node; no citation at all is "nothing found".
fn export_graph(
    context: &ContextArgs,
    remote: &super::RemoteArgs,
    graph: GraphFormat,
) -> Result<Outcome> {
    let network = context
        .engine(remote, &crate::search::Filters::default())?
        .network()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match graph {
        GraphFormat::Graphml => write_graphml(&mut out, &network)?,
        GraphFormat::Csv => write_graph_csv(&mut out, &network)?,
    }
    out.flush()?;
    Ok(if network.edges.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Matched
    })
}

/// `whole` as one JSON object, or each of `lines` as one per line (JSONL).
fn write_json<T: serde::Serialize, L: serde::Serialize>(
    out: &mut impl Write,
    format: CitesFormat,
    whole: &T,
    lines: &[L],
) -> Result<()> {
    if matches!(format, CitesFormat::Jsonl) {
        for line in lines {
            serde_json::to_writer(&mut *out, line)?;
            writeln!(out)?;
        }
    } else {
        serde_json::to_writer(&mut *out, whole)?;
        writeln!(out)?;
    }
    Ok(())
}

fn write_clause(out: &mut impl Write, clause: &CitingClause, style: TextStyle) -> Result<()> {
    let mut head = format!("  {}", sanitize(&clause.session));
    if let Some(page) = clause.page {
        head.push_str(&format!(" · p. {page}"));
    }
    if let Some(para) = &clause.para {
        head.push_str(&format!(" · ¶ {}", sanitize(para)));
    }
    if let Some(kind) = &clause.kind {
        head.push_str(&format!(" · {kind}"));
    }
    if let Some(cited) = &clause.cited_paragraph {
        head.push_str(&format!(" · its paragraph {}", sanitize(cited)));
    }
    writeln!(out, "{head}")?;
    if let Some(warning) = &clause.warning {
        writeln!(out, "  warning: {}", sanitize(warning))?;
    }
    write_passage(out, &clause.text, &clause.highlights, style)?;
    Ok(())
}

fn write_by(
    out: &mut impl Write,
    by: &CitedBy,
    format: CitesFormat,
    style: TextStyle,
) -> Result<()> {
    match format {
        CitesFormat::Json | CitesFormat::Jsonl => write_json(out, format, by, &by.documents)?,
        CitesFormat::Text => {
            for document in &by.documents {
                let symbol = document.symbol.as_deref().unwrap_or(&document.path);
                let date = document.date.as_deref().unwrap_or("undated");
                writeln!(
                    out,
                    "{} · {} · {}",
                    sanitize(symbol),
                    sanitize(date),
                    sanitize(&document.title)
                )?;
                for clause in &document.clauses {
                    write_clause(out, clause, style)?;
                }
                writeln!(out)?;
            }
            let note = if by.in_index {
                ""
            } else {
                " (it is not in the index itself)"
            };
            writeln!(
                out,
                "{}: cited by {} document{}{note}",
                by.target,
                by.cited_by,
                if by.cited_by == 1 { "" } else { "s" }
            )?;
        }
    }
    Ok(())
}

fn write_from(
    out: &mut impl Write,
    from: &CitedFrom,
    format: CitesFormat,
    style: TextStyle,
) -> Result<()> {
    match format {
        CitesFormat::Json | CitesFormat::Jsonl => write_json(out, format, from, &from.cites)?,
        CitesFormat::Text => {
            for citation in &from.cites {
                let mark = if citation.in_index {
                    "in the index"
                } else {
                    "not in the index"
                };
                writeln!(out, "{} ({mark})", sanitize(&citation.target))?;
                write_clause(out, &citation.clause, style)?;
                writeln!(out)?;
            }
            match &from.path {
                Some(path) => writeln!(
                    out,
                    "{} ({}) cites {} documents",
                    from.source,
                    sanitize(path),
                    from.cites.len()
                )?,
                None => writeln!(out, "{} is not in the index", from.source)?,
            }
        }
    }
    Ok(())
}
