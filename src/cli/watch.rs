//! `ctsearch watch`: saved searches (add, list, rm, run), and the report
//! that `ctsearch index` and `ctsearch search` print after an index run.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};

use super::{ColorChoice, ContextArgs, FilterArgs, Outcome};
use crate::context::Context;
use crate::index::Summary;
use crate::render::TextStyle;
use crate::search::Filters;
use crate::watch::{self, Run, Selection, Watch, WatchFile, atom, report};

/// Where the saved searches are: the flag shared by `watch`, `index` and
/// `search`.
#[derive(Debug, Clone, Default, Args)]
pub struct WatchesArg {
    /// Saved searches file [default: beside the index directory, <index>.watches.toml].
    #[arg(long = "watches", value_name = "FILE", env = "CTSEARCH_WATCHES")]
    pub watches: Option<PathBuf>,
}

impl WatchesArg {
    /// The saved searches file for the index at `index`.
    pub fn path(&self, index: &Path) -> Result<PathBuf> {
        match &self.watches {
            Some(path) => Ok(path.clone()),
            None => watch::default_path(index),
        }
    }
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(subcommand)]
    pub command: WatchCommand,
}

// The filters of `add` make it the large variant: parsed once per process,
// the size costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum WatchCommand {
    /// Save a search by name; its current matches count as seen.
    #[command(
        after_help = "Examples:\n  ctsearch watch add kfr --crime kidnapping-for-ransom ransom\n  ctsearch watch add china-statements --type meeting-record --country China '*'\n  ctsearch watch add kfr --replace --crime kidnapping-for-ransom ransom payments"
    )]
    Add(AddArgs),
    /// List the saved searches.
    List(ListArgs),
    /// Remove a saved search.
    Rm(RmArgs),
    /// Rerun saved searches and report what they have not reported yet.
    #[command(
        after_help = "Examples:\n  ctsearch watch run\n  ctsearch watch run kfr --all --format atom > kfr.xml\n  ctsearch watch run kfr --since 2024-01-01 --format json"
    )]
    Run(RunArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub watches: WatchesArg,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Replace a saved search of that name (it starts afresh).
    #[arg(long)]
    pub replace: bool,
    /// Name: letters, digits, '-' and '_'.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The query, as `ctsearch search` takes it; without one, every
    /// session the filters keep (`watch add new-citers --cites 1373`).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub watches: WatchesArg,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub watches: WatchesArg,
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    Text,
    Json,
    Jsonl,
    Atom,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    #[command(flatten)]
    pub watches: WatchesArg,
    /// List every match dated on or after this date (YYYY-MM-DD), not only the new ones.
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "all")]
    pub since: Option<String>,
    /// List every match, not only the new ones.
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RunFormat::Text)]
    pub format: RunFormat,
    /// When to color the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(flatten)]
    pub remote: super::RemoteArgs,
    /// The saved search to run (default: every one).
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
}

pub fn run(args: WatchArgs) -> Result<Outcome> {
    match args.command {
        WatchCommand::Add(args) => add(args),
        WatchCommand::List(args) => list(args),
        WatchCommand::Rm(args) => rm(args),
        WatchCommand::Run(args) => rerun(args),
    }
}

fn add(args: AddArgs) -> Result<Outcome> {
    watch::check_name(&args.name)?;
    let path = args.watches.path(&args.context.index)?;
    let filters = args.filters.filters();
    // As `search`: filters alone keep everything they select.
    let query = if args.query.iter().all(|word| word.trim().is_empty()) {
        if filters.iter().all(|(_, values)| values.is_empty()) {
            anyhow::bail!(
                "give a query, or a filter such as --cites 1373 or --crime terrorism-financing"
            );
        }
        "*".to_string()
    } else {
        args.query.join(" ")
    };
    let context = args.context.open_for(&filters)?;
    let saved = Watch::new(&query, &filters);
    let matched = watch::add(&context, &path, &args.name, saved.clone(), args.replace)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "saved search {} ({}) in {}; {} matching now, taken as seen (`ctsearch watch run {} --all` lists them)",
        args.name,
        watch::describe(&saved),
        path.display(),
        sessions(matched),
        args.name
    )?;
    Ok(Outcome::Matched)
}

fn sessions(n: usize) -> String {
    if n == 1 {
        "1 session".into()
    } else {
        format!("{n} sessions")
    }
}

fn list(args: ListArgs) -> Result<Outcome> {
    let path = args.watches.path(&args.context.index)?;
    let file = WatchFile::load(&path)?;
    if file.watches.is_empty() {
        if !args.context.quiet {
            eprintln!("ctsearch: no saved searches in {}", path.display());
        }
        return Ok(Outcome::NoMatch);
    }
    let mut out = std::io::stdout().lock();
    for (name, saved) in &file.watches {
        let flags = saved.flags();
        let query = crate::render::sanitize(&saved.query);
        if flags.is_empty() {
            writeln!(out, "{name}\t{query}")?;
        } else {
            writeln!(out, "{name}\t{query}\t{}", crate::render::sanitize(&flags))?;
        }
    }
    Ok(Outcome::Matched)
}

fn rm(args: RmArgs) -> Result<Outcome> {
    let path = args.watches.path(&args.context.index)?;
    let removed = watch::remove(&path, &args.name)?;
    if !args.context.quiet {
        eprintln!(
            "ctsearch: removed saved search {} ({})",
            args.name,
            watch::describe(&removed)
        );
    }
    Ok(Outcome::Matched)
}

fn rerun(args: RunArgs) -> Result<Outcome> {
    let selection = match (&args.since, args.all) {
        (Some(date), _) => {
            if !atom::is_date(date) {
                anyhow::bail!("--since takes a date as YYYY-MM-DD, not {date:?}");
            }
            Selection::Since(date.clone())
        }
        (None, true) => Selection::All,
        (None, false) => Selection::New,
    };
    let path = args.watches.path(&args.context.index)?;
    if let Some(name) = &args.name {
        watch::check_name(name)?;
    }
    // The saved searches and what they have reported stay in local files;
    // the searches run where --remote says.
    let engine = args.context.engine(&args.remote, &Filters::default())?;
    let run = watch::rerun(&engine, &path, args.name.as_deref(), &selection)?;
    note(&run, args.context.quiet);
    let listing = selection != Selection::New;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        RunFormat::Text => {
            let style = TextStyle {
                color: args.color.enabled(),
                width: None,
            };
            report::write_text(&mut out, &run.reports, &args.context.corpus, style, listing)?;
        }
        RunFormat::Json => report::write_json(&mut out, &run.reports)?,
        RunFormat::Jsonl => report::write_jsonl(&mut out, &run.reports)?,
        RunFormat::Atom => atom::write_feed(&mut out, &run.reports, now_secs())?,
    }
    out.flush()?;
    drop(out);
    let outcome = if run.has_hits() {
        Outcome::Matched
    } else {
        Outcome::NoMatch
    };
    // Marked seen only once shown.
    run.commit()?;
    Ok(outcome)
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn note(run: &Run, quiet: bool) {
    for warning in &run.warnings {
        eprintln!("ctsearch: {warning}");
    }
    if !quiet {
        for note in &run.notes {
            eprintln!("ctsearch: {note}");
        }
    }
}

/// Whether to color stderr: a terminal, unless `NO_COLOR` is set.
fn stderr_color() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && std::io::stderr().is_terminal()
}

/// The saved search check of an index run, for `ctsearch index`: `None`
/// when there is nothing to report. A failure is a warning on stderr, not
/// the run's failure: the index run itself succeeded.
pub fn check_after_index(context: &Context, watches: &WatchesArg) -> Option<Run> {
    let checked = watches
        .path(&context.location.index)
        .and_then(|path| watch::after_index(context, &path));
    match checked {
        Ok(run) => run,
        Err(err) => {
            eprintln!("ctsearch: saved searches not checked: {err:#}");
            None
        }
    }
}

/// The summary of `ctsearch index --format json` with the saved search
/// reports under `"watches"` (an empty list when there are none).
pub fn summary_json(summary: &Summary, run: Option<&Run>) -> Result<serde_json::Value> {
    let mut value = serde_json::to_value(summary)?;
    let reports = match run {
        Some(run) => serde_json::to_value(&run.reports)?,
        None => serde_json::Value::Array(Vec::new()),
    };
    if let Some(object) = value.as_object_mut() {
        object.insert("watches".into(), reports);
    }
    Ok(value)
}

/// Ends the saved search check of `ctsearch index`: writes the reports as
/// text after the summary (unless the summary was JSON, which holds them),
/// then records them as reported.
pub fn finish_index_run(
    out: &mut impl Write,
    context: &Context,
    run: Option<Run>,
    json: bool,
    quiet: bool,
) -> Result<()> {
    let Some(run) = run else {
        return Ok(());
    };
    note(&run, quiet);
    if !json {
        let style = TextStyle {
            color: ColorChoice::Auto.enabled(),
            width: None,
        };
        report::write_text(out, &run.reports, &context.location.corpus, style, false)?;
    }
    out.flush()?;
    commit(run);
    Ok(())
}

fn commit(run: Run) {
    if let Err(err) = run.commit() {
        eprintln!("ctsearch: saved searches: {err:#}");
    }
}

/// The saved search check after the automatic index run of `ctsearch
/// search`, reported on stderr so that the results on stdout stay as they
/// are: text, or one JSON report per line with `json`. With `quiet`
/// nothing is checked, and a later run reports it.
pub fn report_on_stderr(context: &Context, watches: &WatchesArg, json: bool, quiet: bool) {
    if quiet {
        return;
    }
    let Some(run) = check_after_index(context, watches) else {
        return;
    };
    note(&run, quiet);
    let mut err = std::io::stderr().lock();
    let written = if json {
        report::write_report_lines(&mut err, &run.reports)
    } else {
        let style = TextStyle {
            color: stderr_color(),
            width: None,
        };
        report::write_text(
            &mut err,
            &run.reports,
            &context.location.corpus,
            style,
            false,
        )
    };
    let _ = err.flush();
    drop(err);
    match written {
        Ok(()) => commit(run),
        // Not shown, so not marked seen.
        Err(e) => eprintln!("ctsearch: saved searches not reported: {e}"),
    }
}
