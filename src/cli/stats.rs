//! `ctsearch stats`: what the index holds.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use clap::Args;

use super::{ContextArgs, Outcome};
use crate::backend::Engine;
use crate::render::{FACET_TOP, write_facet_lists};
use crate::search::Filters;

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    /// Every value of each facet, not only the most frequent.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub remote: super::RemoteArgs,
}

fn dir_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

pub fn run(args: StatsArgs) -> Result<Outcome> {
    let engine = args.context.engine(&args.remote, &Filters::default())?;
    let all = engine.facets("", &Filters::default())?;
    let context = match &engine {
        Engine::Local(context) => context,
        Engine::Remote(remote) => {
            // What the node can tell: its counts, not passages or files.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            writeln!(out, "documents:    {}", all.briefings)?;
            writeln!(out, "sessions:     {}", all.total)?;
            writeln!(out, "remote:       {}", remote.describe())?;
            write_facet_lists(&mut out, &all.facets, (!args.all).then_some(FACET_TOP))?;
            out.flush()?;
            return Ok(Outcome::Matched);
        }
    };
    let open = context.index();
    let p = &open.payload;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "documents:    {}", p.briefings)?;
    writeln!(out, "sessions:     {}", p.sessions)?;
    writeln!(out, "passages:     {}", p.passages)?;
    writeln!(
        out,
        "index size:   {:.2} MB ({})",
        dir_size(&open.dir) as f64 / 1e6,
        open.dir.display()
    )?;
    writeln!(out, "last updated: {}", crate::render::utc(p.updated))?;
    writeln!(out, "corpus:       {}", p.corpus)?;
    write_facet_lists(&mut out, &all.facets, (!args.all).then_some(FACET_TOP))?;
    out.flush()?;
    Ok(Outcome::Matched)
}
