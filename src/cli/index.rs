//! `ctsearch index`: bring the index in line with the corpus.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Result;
use clap::{Args, ValueEnum};

use super::{ContextArgs, Outcome};
use crate::context::{Context, DEFAULT_MEMORY_MB, Freshness, UpdateOptions};
use crate::index::DEFAULT_MAX_FILE_SIZE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub watches: super::watch::WatchesArg,
    /// Rebuild everything instead of updating what changed.
    #[arg(long)]
    pub rebuild: bool,
    /// Wait for another running `ctsearch index` instead of failing.
    #[arg(long)]
    pub wait: bool,
    /// Memory budget of the index writer, in MB.
    #[arg(long, default_value_t = DEFAULT_MEMORY_MB, value_name = "MB")]
    pub memory: usize,
    /// Skip briefing files larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_SIZE, value_name = "BYTES")]
    pub max_file_size: u64,
    /// Format of the summary.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

pub fn run(args: IndexArgs) -> Result<Outcome> {
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        // Ctrl-C: stop between briefings and commit nothing half-done.
        let flag = Arc::clone(&interrupted);
        let _ = ctrlc::set_handler(move || {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        });
    }
    let quiet = args.context.quiet;
    let bar = super::progress_bar(quiet, "documents");
    let report = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let options = UpdateOptions {
        rebuild: args.rebuild,
        wait: args.wait,
        memory: args.memory.max(16) * 1024 * 1024,
        max_file_size: args.max_file_size,
        interrupted: Some(&interrupted),
        progress: Some(&report),
    };
    let result = Context::open(
        args.context.location(),
        &args.context.vocabulary(),
        Freshness::Updated(options),
        quiet,
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let context = result?;
    let Some(summary) = &context.update else {
        anyhow::bail!("the index run reported nothing");
    };
    let watched = super::watch::check_after_index(&context, &args.watches);
    let mut out = std::io::stdout().lock();
    match args.format {
        SummaryFormat::Json => {
            let json = super::watch::summary_json(summary, watched.as_ref())?;
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        SummaryFormat::Text if !quiet => {
            if let Some(reason) = &summary.rebuilt {
                writeln!(out, "rebuilt the index ({reason})")?;
            }
            for skipped in &summary.skipped {
                writeln!(out, "skipped {}: {}", skipped.path, skipped.reason)?;
            }
            for warning in &summary.warnings {
                writeln!(out, "warning {}: {}", warning.path, warning.reason)?;
            }
            writeln!(out, "{summary}")?;
        }
        SummaryFormat::Text => {}
    }
    let json = args.format == SummaryFormat::Json;
    super::watch::finish_index_run(&mut out, &context, watched, json, quiet)?;
    Ok(Outcome::Matched)
}
