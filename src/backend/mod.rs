//! The engine a command runs on: the local index (its [`Context`]) or an
//! index on a Quickwit node that `ctsearch export` filled ([`quickwit`]).
//! It is chosen once, when the flags are parsed (`--remote URL`), and
//! `search`, `facets`, `show`, `stats`, `cites` and the server only call
//! it. The citator ([`crate::search::cites`]) reads either through its
//! [`cites::CitationStore`], the whole network (`cites --graph`) too.
//! Both engines resolve a query into the same plan ([`crate::search::plan`]);
//! each only writes it for itself.

pub mod quickwit;

use std::path::PathBuf;

use anyhow::Result;

use crate::context::Context;
use crate::search::cites::{self, Citations, CitedBy, CitedFrom, Lineage, Network};
use crate::search::show::ShownBriefing;
use crate::search::{Filters, SearchRequest, SearchResults};
use crate::vocabulary::Vocabulary;

/// Where searches run.
#[expect(clippy::large_enum_variant, reason = "one per process")]
pub enum Engine {
    /// The local index, built or updated first if needed.
    Local(Context),
    /// An index on a Quickwit node (`--remote URL --index-id ID`).
    Remote(Remote),
}

/// An index on a Quickwit node, and the vocabulary that resolves queries,
/// filter values and highlights as a local search does.
pub struct Remote {
    /// `http://HOST:7280`, without a trailing `/`.
    pub url: String,
    pub index_id: String,
    pub vocabulary: Vocabulary,
    /// The corpus directory, so that `corpus/2018/x.txt` names the
    /// briefing `2018/x.txt` as it does locally.
    pub corpus: PathBuf,
}

/// The `--remote` node could not answer: it is unreachable, lacks the
/// index, or failed (not the user's mistake).
#[derive(Debug, thiserror::Error)]
#[error("the Quickwit node {0} could not answer")]
pub struct NodeError(pub String);

impl Remote {
    /// `err` marked as the node's failure, unless it is the user's
    /// mistake (a bad query, an unknown value or path), which reads
    /// better unwrapped.
    fn failed(&self, err: anyhow::Error) -> anyhow::Error {
        let users = err.chain().any(|c| {
            c.is::<crate::search::query::QueryError>()
                || c.is::<crate::search::UnknownValue>()
                || c.is::<crate::search::show::NotFound>()
        });
        if users {
            err
        } else {
            err.context(NodeError(self.url.clone()))
        }
    }

    /// Runs a search on the node.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        quickwit::search(&self.url, &self.index_id, &self.vocabulary, request)
            .map_err(|e| self.failed(e))
    }

    /// The number of sessions the node holds.
    pub fn sessions(&self) -> Result<u64> {
        quickwit::count(&self.url, &self.index_id).map_err(|e| self.failed(e))
    }

    /// The briefing at `path` (only `session` if given), from the
    /// passages the node stores, highlighted for `query`.
    pub fn show(&self, path: &str, session: Option<&str>, query: &str) -> Result<ShownBriefing> {
        quickwit::show(
            &self.url,
            &self.index_id,
            &self.vocabulary,
            &crate::context::relative_to(&self.corpus, path),
            session,
            query,
        )
        .map_err(|e| self.failed(e))
    }

    /// The node's sessions, as the citator reads them.
    fn store(&self) -> quickwit::Node {
        quickwit::Node::new(&self.url, &self.index_id)
    }

    /// The citations of the document at `path` (corpus-relative, or
    /// through the corpus directory), as [`cites::document_citations`]
    /// reads them locally. `Err(NotFound)` when the node has no such
    /// document.
    pub fn citations(&self, path: &str) -> Result<Citations> {
        let path = crate::context::relative_to(&self.corpus, path);
        cites::document_citations(&self.store(), &path).map_err(|e| self.failed(e))
    }

    /// The documents citing `target` (canonical), as [`cites::cited_by`].
    pub fn cited_by(&self, target: &str, kind: Option<&str>) -> Result<CitedBy> {
        cites::cited_by(&self.store(), target, kind).map_err(|e| self.failed(e))
    }

    /// What `source` (canonical) cites, as [`cites::cited_from`].
    pub fn cited_from(&self, source: &str) -> Result<CitedFrom> {
        cites::cited_from(&self.store(), source).map_err(|e| self.failed(e))
    }

    /// The lineage of `target` (canonical), as [`cites::lineage`].
    pub fn lineage(&self, target: &str) -> Result<Lineage> {
        cites::lineage(&self.store(), target).map_err(|e| self.failed(e))
    }

    /// The node's index, as a URL.
    pub fn describe(&self) -> String {
        format!("{}/api/v1/{}", self.url, self.index_id)
    }
}

impl Engine {
    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        match self {
            Engine::Local(context) => context.search(request),
            Engine::Remote(remote) => remote.search(request),
        }
    }

    /// Totals and facet counts of the sessions matching `query` (every
    /// session for an empty query) and `filters`.
    pub fn facets(&self, query: &str, filters: &Filters) -> Result<SearchResults> {
        self.search(&SearchRequest::counts(query, filters))
    }

    /// A whole briefing (or one session), highlighted for `query`.
    pub fn show(&self, path: &str, session: Option<&str>, query: &str) -> Result<ShownBriefing> {
        match self {
            Engine::Local(context) => context.show(path, session, query),
            Engine::Remote(remote) => remote.show(path, session, query),
        }
    }

    /// The citations of the document at `path`: what it cites, what
    /// cites it, its lineage. `Err(NotFound)` when there is no such
    /// document.
    pub fn citations(&self, path: &str) -> Result<Citations> {
        match self {
            Engine::Local(context) => context.citations(path),
            Engine::Remote(remote) => remote.citations(path),
        }
    }

    /// The documents citing `target` (a canonical symbol), only clauses of
    /// `kind` if given.
    pub fn cited_by(&self, target: &str, kind: Option<&str>) -> Result<CitedBy> {
        match self {
            Engine::Local(context) => cites::cited_by(context.index(), target, kind),
            Engine::Remote(remote) => remote.cited_by(target, kind),
        }
    }

    /// What the document known by `source` (a canonical symbol) cites.
    pub fn cited_from(&self, source: &str) -> Result<CitedFrom> {
        match self {
            Engine::Local(context) => cites::cited_from(context.index(), source),
            Engine::Remote(remote) => remote.cited_from(source),
        }
    }

    /// The lineage of the resolution `target` (a canonical symbol).
    pub fn lineage(&self, target: &str) -> Result<Lineage> {
        match self {
            Engine::Local(context) => cites::lineage(context.index(), target),
            Engine::Remote(remote) => remote.lineage(target),
        }
    }

    /// The citation network of the whole index, as [`cites::network`].
    pub fn network(&self) -> Result<Network> {
        match self {
            Engine::Local(context) => cites::network(context.index()),
            Engine::Remote(remote) => cites::network(&remote.store()).map_err(|e| remote.failed(e)),
        }
    }

    /// The vocabulary queries are resolved with.
    pub fn vocabulary(&self) -> &Vocabulary {
        match self {
            Engine::Local(context) => &context.vocabulary,
            Engine::Remote(remote) => &remote.vocabulary,
        }
    }

    /// The local context; `None` on a remote node.
    pub fn local(&self) -> Option<&Context> {
        match self {
            Engine::Local(context) => Some(context),
            Engine::Remote(_) => None,
        }
    }
}
