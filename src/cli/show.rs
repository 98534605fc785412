//! `ctsearch show PATH [--session S] [QUERY]`: a whole briefing or session,
//! as indexed, highlighted if a query is given.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::{ColorChoice, Location, Outcome, ensure_index};
use crate::analysis::Analyzer;
use crate::model::{Passage, session_key};
use crate::render::{TextStyle, sanitize, write_passage};
use crate::search::{self, Vocabulary};
use crate::synonyms::Synonyms;
use crate::taxonomy::Taxonomy;

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub location: Location,
    /// Only this session ("III", "introductory", …).
    #[arg(long, value_name = "S")]
    pub session: Option<String>,
    /// When to color the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// No notes on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// The briefing: its corpus-relative path, or a path through the corpus directory.
    #[arg(value_name = "PATH")]
    pub path: String,
    /// Highlight the words of this query.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
}

pub fn run(args: ShowArgs) -> Result<Outcome> {
    let taxonomy = Taxonomy::load(args.location.taxonomy.as_deref())?;
    let synonyms = Synonyms::load(None)?;
    let open = ensure_index(&args.location, &taxonomy, args.quiet)?;
    let rel = relative_path(&args.location.corpus, &args.path);
    let f = open.fields;
    let searcher = open.reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(f.path, &rel),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&query, &TopDocs::with_limit(10_000).order_by_score())?;
    if top.is_empty() {
        anyhow::bail!("no briefing {rel} in the index (paths are relative to the corpus)");
    }
    let mut sessions: Vec<(u64, TantivyDocument)> = Vec::new();
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let ord = doc
            .get_first(f.session_ord)
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        sessions.push((ord, doc));
    }
    sessions.sort_by_key(|(ord, _)| *ord);
    let wanted = args.session.as_deref().map(session_key);
    let terms = if args.query.is_empty() {
        Vec::new()
    } else {
        let vocabulary = Vocabulary {
            taxonomy: &taxonomy,
            synonyms: &synonyms,
        };
        search::highlight_terms(&open, &vocabulary, &args.query.join(" "))?
    };
    let style = TextStyle {
        color: args.color.enabled(),
        width: None,
    };
    let mut analyzer = Analyzer::indexing();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let text = |doc: &TantivyDocument, field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let mut shown = 0;
    for (_, doc) in &sessions {
        let key = text(doc, f.session_key);
        if wanted.as_ref().is_some_and(|w| *w != key) {
            continue;
        }
        shown += 1;
        writeln!(out, "== {} ==", sanitize(&text(doc, f.session)))?;
        let passages: Vec<Passage> = crate::index::codec::decode_passages(&text(doc, f.passages));
        // PDF passages know their page: mark where each page starts, so the
        // text can be checked against the document.
        let mut last_page = None;
        for passage in passages {
            if let Some(page) = passage.page
                && passage.page != last_page
            {
                writeln!(out, "  [p. {page}]")?;
                last_page = passage.page;
            }
            let highlights = search::passages::highlight(&passage.text, &terms, &mut analyzer);
            write_passage(&mut out, &passage.text, &highlights, style)?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    if shown == 0 {
        anyhow::bail!(
            "{rel} has no session {:?}",
            args.session.unwrap_or_default()
        );
    }
    Ok(Outcome::Matched)
}

/// Accepts `corpus/2018/x.txt` as well as `2018/x.txt`.
fn relative_path(corpus: &std::path::Path, path: &str) -> String {
    let p = std::path::Path::new(path);
    let rel = p.strip_prefix(corpus).unwrap_or(p);
    rel.to_string_lossy().replace('\\', "/")
}
