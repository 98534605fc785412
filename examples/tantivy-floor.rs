//! The least a search process built on tantivy can do, timed by
//! `bench/run.sh` beside ctsearch as the floor under its searches.
//!
//! ```text
//! cargo run --release --example tantivy-floor -- INDEX 'WORD…' [FIELD=VALUE]
//! ```
//!
//! It opens the live generation of a ctsearch index (`INDEX/CURRENT`), runs
//! a BM25 query for any of the words on the body (each stemmed by tantivy's
//! English Snowball stemmer, as ctsearch's chain stems it), intersected
//! with one exact term of a filter field if given (`session_key=session-3`,
//! `crime=arms-trafficking`), counts the matches and prints the paths of
//! the best ten. Nothing else: no freshness check, no taxonomy, synonyms,
//! feedback, re-ranking, facets, passages or highlights. Whatever ctsearch
//! takes above this program's time is what those cost.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{Index, ReloadPolicy, TantivyDocument, Term};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (index_dir, words, filter) = match args.as_slice() {
        [index, words] => (index, words, None),
        [index, words, filter] => (index, words, Some(filter)),
        _ => bail!("usage: tantivy-floor INDEX 'WORD…' [FIELD=VALUE]"),
    };
    let index_dir = Path::new(index_dir);
    let current = std::fs::read_to_string(index_dir.join("CURRENT"))
        .with_context(|| format!("reading {}/CURRENT", index_dir.display()))?;
    let index = Index::open_in_dir(index_dir.join(current.trim()))?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let schema = index.schema();

    let mut stemmer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build();
    let body = schema.get_field("body")?;
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut stream = stemmer.token_stream(words);
    while let Some(token) = stream.next() {
        let term = Term::from_field_text(body, &token.text);
        let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
        any.push((Occur::Should, Box::new(query)));
    }
    let mut query: Box<dyn Query> = match any.len() {
        0 => bail!("{words:?} has no word to search for"),
        1 => any.remove(0).1,
        _ => Box::new(BooleanQuery::new(any)),
    };
    if let Some(filter) = filter {
        let Some((field, value)) = filter.split_once('=') else {
            bail!("a filter is FIELD=VALUE, not {filter:?}");
        };
        let field = schema.get_field(field)?;
        let term = TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        );
        query = Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::Must, Box::new(term)),
        ]));
    }

    let (top, total) =
        searcher.search(&query, &(TopDocs::with_limit(10).order_by_score(), Count))?;
    let path = schema.get_field("path")?;
    let mut out = std::io::stdout().lock();
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let shown = doc.get_first(path).and_then(|v| v.as_str()).unwrap_or("");
        writeln!(out, "{score:.3}\t{shown}")?;
    }
    writeln!(out, "{total} sessions")?;
    Ok(())
}
