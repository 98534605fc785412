//! `ctsearch serve`: one long-lived process that holds the index open and
//! answers a JSON API and a server-rendered search page over HTTP.
//!
//! One [`Context`] is opened once and shared behind a read-write lock:
//! requests search under the read lock on a bounded pool of worker
//! threads; a background thread takes the write lock only to reopen the
//! index after another process (`ctsearch index`, or `--watch`) committed.
//! With `--remote` ([`Source::Remote`]) the same API and pages answer from
//! a Quickwit node instead, through [`crate::backend`].
//! The HTTP layer ([`http`]) is our own over `httparse`: a read-only
//! server needs GET and HEAD, a bounded head and one request per
//! connection, which keeps its limits in plain sight and the build small.
//!
//! Safe on a laptop by default: it binds loopback unless given an API key,
//! refuses requests whose `Host` is not the server's own (DNS rebinding),
//! sends no CORS headers, and escapes every piece of document and query
//! text in its pages ([`page`]).

mod api;
mod cache;
pub mod http;
mod page;
mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::thread;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use crate::backend::Remote;
use crate::context::Context;
use crate::index;
use crate::search::show::ShownBriefing;
use crate::search::{Facets, Filters, SearchRequest, SearchResults};
use cache::AnswerCache;
use http::{ReadError, Request, Response};

/// The address served when none is given.
pub const DEFAULT_ADDR: &str = "127.0.0.1:7700";
/// How often the index is checked for another process's commit.
const REFRESH_EVERY: Duration = Duration::from_millis(250);
/// How long a client may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a client may take to receive the answer.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long, and how much, a refused client's remaining input is read.
const LINGER: Duration = Duration::from_millis(500);
const LINGER_BYTES: usize = 1024 * 1024;
/// Connections accepted but not yet taken by a worker, per worker; past
/// that a connection is answered 503 at once.
const QUEUE_PER_WORKER: usize = 16;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The socket address to bind.
    pub addr: SocketAddr,
    /// When set, every request needs `Authorization: Bearer KEY`.
    pub api_key: Option<String>,
    /// Re-index the corpus incrementally when its files change.
    pub watch: bool,
    /// Worker threads answering requests.
    pub workers: usize,
    pub quiet: bool,
    /// The saved searches file, whose latest releases `/watches` shows.
    pub watches: Option<std::path::PathBuf>,
}

/// Why the server would not start; the user must change the command.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "refusing to serve {0} without --api-key: anyone on the network could read the index; \
         bind 127.0.0.1 (the default) or pass --api-key KEY"
    )]
    ExposedWithoutKey(SocketAddr),
    #[error("cannot resolve the address {0:?}; give HOST:PORT, e.g. 127.0.0.1:7700")]
    BadAddress(String),
}

/// Resolves `HOST:PORT` and checks that a non-loopback address has an API
/// key: the check made before anything is opened or bound.
pub fn resolve_addr(addr: &str, api_key: Option<&str>) -> Result<SocketAddr> {
    let resolved: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .map_err(|_| ServeError::BadAddress(addr.to_string()))?
        .collect();
    let Some(first) = resolved.first().copied() else {
        bail!(ServeError::BadAddress(addr.to_string()));
    };
    if api_key.is_none()
        && let Some(exposed) = resolved.iter().find(|a| !a.ip().is_loopback())
    {
        bail!(ServeError::ExposedWithoutKey(*exposed));
    }
    Ok(first)
}

/// The default number of workers: one per core, at least two so that a
/// slow request does not hold up a quick one.
pub fn default_workers() -> usize {
    thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 16)
}

/// What a server answers from: the engine the flags chose.
pub use crate::backend::Engine as Source;

/// [`Source`] as the workers hold it.
#[expect(clippy::large_enum_variant, reason = "one per server")]
enum Held {
    Local(RwLock<Context>),
    Remote(Remote),
}

/// What one request reads: the local context under the read lock, or the
/// remote index. Every handler asks it, never the index itself.
pub(crate) enum Engine<'a> {
    Local {
        context: RwLockReadGuard<'a, Context>,
        answers: &'a AnswerCache,
    },
    Remote(&'a Remote),
}

/// `/api/stats`: the size of the index and its facet counts.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Stats {
    pub briefings: u64,
    pub sessions: u64,
    /// Unknown (`null`) on a remote node, which counts sessions only.
    pub passages: Option<u64>,
    /// Seconds since the epoch of the last index run; `null` on a remote
    /// node.
    pub updated: Option<u64>,
    pub facets: Facets,
    /// The node searched, with `--remote`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<String>,
}

pub(crate) use crate::backend::NodeError;

impl Engine<'_> {
    /// The answer to `request`; a local one may come from the recent
    /// answers, whose `took_ms` is that of the search that produced it.
    pub(crate) fn search(&self, request: &SearchRequest) -> Result<Arc<SearchResults>> {
        match self {
            Engine::Local { context, answers } => {
                if let Some(kept) = answers.get(request) {
                    return Ok(kept);
                }
                let results = Arc::new(context.search(request)?);
                answers.put(request.clone(), Arc::clone(&results));
                Ok(results)
            }
            Engine::Remote(node) => node.search(request).map(Arc::new),
        }
    }

    /// The number of sessions searched.
    pub(crate) fn sessions(&self) -> Result<u64> {
        match self {
            Engine::Local { context, .. } => Ok(context.index().payload.sessions),
            Engine::Remote(node) => node.sessions(),
        }
    }

    /// The briefing at `path` (only `session` if given), highlighted for
    /// `query`.
    pub(crate) fn show(
        &self,
        path: &str,
        session: Option<&str>,
        query: &str,
    ) -> Result<ShownBriefing> {
        match self {
            Engine::Local { context, .. } => context.show(path, session, query),
            Engine::Remote(node) => node.show(path, session, query),
        }
    }

    /// The citations of the document at `path`: what it cites, what
    /// cites it, its lineage, from whichever engine serves.
    pub(crate) fn citations(&self, path: &str) -> Result<crate::search::cites::Citations> {
        match self {
            Engine::Local { context, .. } => context.citations(path),
            Engine::Remote(node) => node.citations(path),
        }
    }

    pub(crate) fn stats(&self) -> Result<Stats> {
        // Every session's facet counts: the same search, local or remote
        // (and a kept answer after the first time).
        let every = self.search(&SearchRequest::counts("", &Filters::default()))?;
        let mut stats = Stats {
            briefings: every.briefings,
            sessions: every.total,
            passages: None,
            updated: None,
            facets: every.facets.clone(),
            remote: None,
        };
        match self {
            Engine::Local { context, .. } => {
                let p = &context.index().payload;
                stats.passages = Some(p.passages);
                stats.updated = Some(p.updated);
            }
            Engine::Remote(node) => {
                stats.remote = Some(node.describe());
            }
        }
        Ok(stats)
    }

    /// The local context; `None` when serving a remote node.
    pub(crate) fn local(&self) -> Option<&Context> {
        match self {
            Engine::Local { context, .. } => Some(context),
            Engine::Remote(_) => None,
        }
    }
}

/// What every worker shares.
pub(crate) struct Shared {
    held: Held,
    api_key: Option<String>,
    /// The bound address (its port is the one a `Host` header must name).
    bound: SocketAddr,
    /// Set while `--watch` runs an index update under the read lock; the
    /// refresh loop then waits rather than queue for the write lock, which
    /// would hold up every search until the update ends.
    updating: AtomicBool,
    watches: Option<std::path::PathBuf>,
    /// Recent answers of the local index, emptied when it is reopened.
    answers: AnswerCache,
}

impl Shared {
    /// What one request reads. A worker that panicked while holding the
    /// lock left nothing half-changed (requests only read), so a poisoned
    /// lock is used as it is.
    pub(crate) fn engine(&self) -> Engine<'_> {
        match &self.held {
            Held::Local(lock) => Engine::Local {
                context: lock.read().unwrap_or_else(|e| e.into_inner()),
                answers: &self.answers,
            },
            Held::Remote(node) => Engine::Remote(node),
        }
    }

    /// The local context's lock; `None` when serving a remote node.
    pub(crate) fn local(&self) -> Option<&RwLock<Context>> {
        match &self.held {
            Held::Local(lock) => Some(lock),
            Held::Remote(_) => None,
        }
    }

    /// The local context, read-locked; `None` when serving a remote node.
    pub(crate) fn context(&self) -> Option<RwLockReadGuard<'_, Context>> {
        self.local()
            .map(|lock| lock.read().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Serves `source` until `stop` is set (by Ctrl-C) and [`wake`] is
/// called, calling `ready` with the bound address once the socket
/// listens. Returns when every worker has finished its request.
/// `--watch` needs a local source.
pub fn serve(
    source: Source,
    options: &ServeOptions,
    stop: Arc<AtomicBool>,
    ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    if options.watch && matches!(source, Source::Remote(_)) {
        bail!("--watch re-indexes a local corpus; it cannot watch a --remote node");
    }
    let listener = TcpListener::bind(options.addr)
        .with_context(|| format!("cannot listen on {}", options.addr))?;
    let bound = listener.local_addr().context("reading the bound address")?;
    let shared = Arc::new(Shared {
        held: match source {
            Source::Local(context) => Held::Local(RwLock::new(context)),
            Source::Remote(node) => Held::Remote(node),
        },
        api_key: options.api_key.clone(),
        bound,
        updating: AtomicBool::new(false),
        watches: options.watches.clone(),
        answers: AnswerCache::default(),
    });
    let workers = options.workers.max(1);
    let (queue, jobs) = sync_channel::<TcpStream>(workers * QUEUE_PER_WORKER);
    let jobs = Arc::new(Mutex::new(jobs));
    let mut threads = Vec::with_capacity(workers + 2);
    for n in 0..workers {
        let shared = Arc::clone(&shared);
        let jobs = Arc::clone(&jobs);
        threads.push(
            thread::Builder::new()
                .name(format!("serve-{n}"))
                .spawn(move || work(&shared, &jobs))
                .context("starting a worker thread")?,
        );
    }
    if shared.local().is_some() {
        let shared = Arc::clone(&shared);
        let stop = Arc::clone(&stop);
        let quiet = options.quiet;
        threads.push(
            thread::Builder::new()
                .name("serve-refresh".into())
                .spawn(move || refresh_loop(&shared, &stop, quiet))
                .context("starting the refresh thread")?,
        );
    }
    if options.watch {
        let corpus_watch = watch::start(&shared)?;
        let shared = Arc::clone(&shared);
        let stop = Arc::clone(&stop);
        let quiet = options.quiet;
        threads.push(
            thread::Builder::new()
                .name("serve-watch".into())
                .spawn(move || watch::watch(&shared, corpus_watch, &stop, quiet))
                .context("starting the corpus watcher")?,
        );
    }
    ready(bound);
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        match queue.try_send(stream) {
            Ok(()) => {}
            Err(TrySendError::Full(mut stream)) => {
                let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
                let busy = Response::error(503, "the server is busy; try again", None)
                    .with_header("Retry-After", "1");
                let _ = http::write_response(&mut stream, &busy, false);
            }
            Err(TrySendError::Disconnected(_)) => break,
        }
    }
    drop(queue);
    for thread in threads {
        let _ = thread.join();
    }
    Ok(())
}

/// Wakes [`serve`]'s accept loop after `stop` was set, by connecting to
/// the server itself.
pub fn wake(bound: SocketAddr) {
    let ip: IpAddr = match bound.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
        ip => ip,
    };
    let _ = TcpStream::connect_timeout(&SocketAddr::new(ip, bound.port()), READ_TIMEOUT);
}

fn work(shared: &Shared, jobs: &Mutex<Receiver<TcpStream>>) {
    loop {
        let next = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(stream) = next else { return };
        answer(shared, stream);
    }
}

/// Reads one request from `stream` and answers it. A panic while
/// answering is a 500, never a dead worker.
fn answer(shared: &Shared, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let local = stream.local_addr().ok();
    let request = match http::read_request(&mut stream) {
        Ok(request) => request,
        Err(ReadError::Answer(response)) => {
            let _ = http::write_response(&mut stream, &response, false);
            linger(&mut stream);
            return;
        }
        Err(ReadError::Gone) => return,
    };
    let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        route(shared, &request, local)
    }))
    .unwrap_or_else(|_| Response::error(500, "internal error (a bug; please report it)", None));
    let _ = http::write_response(&mut stream, &response, request.method == "HEAD");
}

/// After refusing a request that may still be arriving (an oversized
/// head, a body), reads and drops what the client still sends, up to a
/// bound: closing with unread data would reset the connection and the
/// client could lose the answer.
fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(LINGER));
    let mut sink = [0u8; 8192];
    let mut left = LINGER_BYTES;
    while left > 0 {
        match std::io::Read::read(stream, &mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Checks the request's `Host` and key, then answers it.
fn route(shared: &Shared, request: &Request, local: Option<SocketAddr>) -> Response {
    if !host_allowed(request.header("host"), shared.bound, local) {
        return Response::error(
            403,
            "the Host header names another server (DNS rebinding is refused); use localhost or 127.0.0.1",
            None,
        );
    }
    if let Some(key) = &shared.api_key {
        let given = request
            .header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if !given.is_some_and(|g| same_secret(g.as_bytes(), key.as_bytes())) {
            return Response::error(
                401,
                "missing or wrong API key (Authorization: Bearer KEY)",
                None,
            )
            .with_header("WWW-Authenticate", "Bearer");
        }
    }
    let engine = shared.engine();
    match request.path.as_str() {
        "/" => page::search_page(&engine, request),
        "/show" => page::show_page(&engine, request),
        "/watches" => page::watches_page(&engine, shared.watches.as_deref()),
        "/static/style.css" => Response::new(200, "text/css; charset=utf-8", page::STYLE)
            .with_header("Cache-Control", "max-age=3600"),
        path if path.starts_with("/api/") => api::route(&engine, request),
        _ => page::not_found(),
    }
}

/// Compares two secrets in time that depends only on their lengths.
fn same_secret(given: &[u8], key: &[u8]) -> bool {
    given.len() == key.len() && given.iter().zip(key).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// Whether a `Host` header names this server: `localhost`, a loopback
/// address, the bound address or the address the client connected to,
/// with the bound port or none. A page of another site that a rebinding
/// DNS name points here sends its own name, and is refused.
fn host_allowed(host: Option<&str>, bound: SocketAddr, local: Option<SocketAddr>) -> bool {
    let Some(host) = host else { return false };
    let host = host.to_ascii_lowercase();
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && !port.contains(']') => (name, Some(port)),
        _ => (host.as_str(), None),
    };
    if port.is_some_and(|p| p != bound.port().to_string()) {
        return false;
    }
    if name == "localhost" {
        return true;
    }
    let ip = name.trim_start_matches('[').trim_end_matches(']');
    let Ok(ip) = ip.parse::<IpAddr>() else {
        return false;
    };
    ip.is_loopback() || ip == bound.ip() || local.is_some_and(|l| l.ip() == ip)
}

/// Reopens the index whenever another process committed to it, checking
/// under the read lock so that searches wait only while it reopens.
fn refresh_loop(shared: &Shared, stop: &AtomicBool, quiet: bool) {
    let Some(lock) = shared.local() else { return };
    let mut reported = false;
    while !stop.load(Ordering::SeqCst) {
        thread::sleep(REFRESH_EVERY);
        if shared.updating.load(Ordering::SeqCst) {
            continue;
        }
        let changed = {
            let context = lock.read().unwrap_or_else(|e| e.into_inner());
            index::changed_since(context.index(), &context.location.index)
        };
        if !changed {
            continue;
        }
        let mut context = lock.write().unwrap_or_else(|e| e.into_inner());
        match context.refresh() {
            Ok(reopened) => {
                reported = false;
                // Under the write lock: no search is adding an answer of
                // the old index.
                if reopened {
                    shared.answers.clear();
                }
            }
            // A commit being written may not be readable yet: the next
            // round tries again, and the error is said once.
            Err(err) if !reported => {
                reported = true;
                if !quiet {
                    eprintln!("ctsearch: could not reopen the index: {err:#}");
                }
            }
            Err(_) => {}
        }
    }
}

/// Prints the URL the server answers on, on stdout (a script reads it
/// there), at once.
pub fn announce(bound: SocketAddr) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "ctsearch: serving http://{bound}/");
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str) -> SocketAddr {
        text.parse().expect("address")
    }

    #[test]
    fn non_loopback_needs_a_key() {
        assert!(resolve_addr("127.0.0.1:0", None).is_ok());
        assert!(resolve_addr("localhost:0", None).is_ok());
        let err = resolve_addr("0.0.0.0:7700", None).expect_err("refused");
        assert!(matches!(
            err.downcast_ref::<ServeError>(),
            Some(ServeError::ExposedWithoutKey(_))
        ));
        assert!(resolve_addr("0.0.0.0:7700", Some("k")).is_ok());
        assert!(resolve_addr("no port", None).is_err());
    }

    #[test]
    fn host_must_name_this_server() {
        let bound = addr("127.0.0.1:7700");
        assert!(host_allowed(Some("127.0.0.1:7700"), bound, None));
        assert!(host_allowed(Some("localhost:7700"), bound, None));
        assert!(host_allowed(Some("LOCALHOST"), bound, None));
        assert!(host_allowed(Some("[::1]:7700"), bound, None));
        assert!(!host_allowed(Some("evil.example:7700"), bound, None));
        assert!(!host_allowed(Some("localhost:80"), bound, None));
        assert!(!host_allowed(None, bound, None));
        let any = addr("0.0.0.0:7700");
        let local = Some(addr("192.0.2.7:7700"));
        assert!(host_allowed(Some("192.0.2.7:7700"), any, local));
        assert!(!host_allowed(Some("198.51.100.1:7700"), any, local));
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"key", b"key"));
        assert!(!same_secret(b"kez", b"key"));
        assert!(!same_secret(b"ke", b"key"));
    }
}
