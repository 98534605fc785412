//! `ctsearch serve`: the JSON API and the search page over HTTP, until
//! Ctrl-C (exit status 130, like every command stopped by Ctrl-C).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result, bail};
use clap::Args;

use super::{ContextArgs, Outcome};
use crate::index::IndexError;
use crate::search::Filters;
use crate::serve::{self, DEFAULT_ADDR, ServeOptions};

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub context: ContextArgs,
    /// Address to listen on, HOST:PORT (port 0: any free port, printed when ready).
    /// An address other than loopback needs --api-key.
    #[arg(long, default_value = DEFAULT_ADDR, value_name = "HOST:PORT")]
    pub addr: String,
    /// Require `Authorization: Bearer KEY` on every request.
    #[arg(
        long,
        value_name = "KEY",
        env = "CTSEARCH_API_KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,
    /// Re-index the corpus incrementally when its files change.
    #[arg(long, conflicts_with = "remote")]
    pub watch: bool,
    #[command(flatten)]
    pub remote: super::RemoteArgs,
    /// Worker threads answering requests (default: one per core, at least 2).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    #[command(flatten)]
    pub watches: super::watch::WatchesArg,
}

pub fn run(args: ServeArgs) -> Result<Outcome> {
    if args.api_key.as_deref().is_some_and(|k| k.trim().is_empty()) {
        bail!("--api-key is empty; give a secret, or leave the option out on loopback");
    }
    // Refused before the index is opened: a mistake costs nothing.
    let addr = serve::resolve_addr(&args.addr, args.api_key.as_deref())?;
    let source = args.context.engine(&args.remote, &Filters::default())?;
    let stop = Arc::new(AtomicBool::new(false));
    let bound: Arc<Mutex<Option<SocketAddr>>> = Arc::new(Mutex::new(None));
    {
        let stop = Arc::clone(&stop);
        let bound = Arc::clone(&bound);
        ctrlc::set_handler(move || {
            stop.store(true, Ordering::SeqCst);
            let addr = *bound.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(addr) = addr {
                serve::wake(addr);
            }
        })
        .context("installing the Ctrl-C handler")?;
    }
    let options = ServeOptions {
        addr,
        api_key: args.api_key.clone(),
        watch: args.watch,
        workers: args.workers.unwrap_or_else(serve::default_workers),
        quiet: args.context.quiet,
        watches: Some(args.watches.path(&args.context.index)?),
    };
    serve::serve(source, &options, Arc::clone(&stop), |addr| {
        *bound.lock().unwrap_or_else(|e| e.into_inner()) = Some(addr);
        serve::announce(addr);
        // A Ctrl-C while the index opened found no server to wake.
        if stop.load(Ordering::SeqCst) {
            serve::wake(addr);
        }
    })?;
    Err(anyhow::Error::new(IndexError::Interrupted).context("Ctrl-C: the server stopped"))
}
