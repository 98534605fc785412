//! `ctsearch export`: the sessions to Quickwit or Elasticsearch/OpenSearch,
//! as files in a directory or pushed to a running node, incrementally.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};

use super::{ContextArgs, Outcome};
use crate::export::{self, Engine, PushOptions, quickwit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    Quickwit,
    /// Elasticsearch or OpenSearch.
    #[value(alias = "opensearch")]
    Elasticsearch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    /// The engine to export to.
    #[arg(long = "to", value_enum, value_name = "ENGINE")]
    pub to: EngineArg,
    /// Push to the node at this URL (http://HOST:PORT) instead of writing files.
    #[arg(long, value_name = "URL", conflicts_with = "dir")]
    pub url: Option<String>,
    /// The index id on the node.
    #[arg(long, default_value = "ctsearch", value_name = "ID")]
    pub index_id: String,
    /// Quickwit: the merge policy's maturation period of the index created
    /// (delete tasks apply to mature splits only, so this bounds how long a
    /// changed or removed briefing's old sessions stay searchable).
    #[arg(long, default_value = quickwit::DEFAULT_MATURATION, value_name = "PERIOD")]
    pub maturation: String,
    /// Format of the summary.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
    /// Write the index definition, NDJSON files and a README into this directory.
    #[arg(value_name = "DIR", required_unless_present = "url")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: ExportArgs) -> Result<Outcome> {
    let engine = match args.to {
        EngineArg::Quickwit => Engine::Quickwit,
        EngineArg::Elasticsearch => Engine::Elasticsearch,
    };
    let id_ok = quickwit::valid_index_id(&args.index_id)
        && (engine == Engine::Quickwit || args.index_id == args.index_id.to_lowercase());
    if !id_ok {
        bail!(
            "invalid index id {:?}: 3 to 255 letters, digits, '-', '_' or '.', starting with a letter{}",
            args.index_id,
            if engine == Engine::Elasticsearch {
                ", lowercase"
            } else {
                ""
            }
        );
    }
    if !quickwit::valid_period(&args.maturation) {
        bail!(
            "invalid --maturation {:?}: a number and a unit (s, m, h, d), e.g. 10m",
            args.maturation
        );
    }
    let context = args.context.open()?;
    let mut out = std::io::stdout().lock();
    match (&args.url, &args.dir) {
        (Some(url), _) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                bail!("invalid --url {url:?}: expected http://HOST:PORT");
            }
            let quiet = args.context.quiet;
            let bar = super::progress_bar(quiet, "sessions sent");
            let report = |done: u64, total: u64| {
                if let Some(bar) = &bar {
                    bar.set_length(total);
                    bar.set_position(done);
                }
            };
            let result = export::push(
                &context,
                &PushOptions {
                    engine,
                    url: url.clone(),
                    index_id: args.index_id.clone(),
                    maturation: args.maturation.clone(),
                    progress: Some(&report),
                },
            );
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let summary = result?;
            match args.format {
                SummaryFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &summary)?;
                    writeln!(out)?;
                }
                SummaryFormat::Text => writeln!(out, "{summary}")?,
            }
        }
        (None, Some(dir)) => {
            let summary =
                export::write_dir(&context, engine, dir, &args.index_id, &args.maturation)?;
            match args.format {
                SummaryFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &summary)?;
                    writeln!(out)?;
                }
                SummaryFormat::Text => writeln!(
                    out,
                    "wrote {} sessions of {} documents for {} into {} ({} files; see its README.md)",
                    summary.sessions,
                    summary.briefings,
                    summary.engine,
                    dir.display(),
                    summary.files.len()
                )?,
            }
        }
        (None, None) => bail!("give a directory to write to, or --url of a node"),
    }
    out.flush()?;
    Ok(Outcome::Matched)
}
