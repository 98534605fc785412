//! The plan ([`super::plan`]) written for the local index: each
//! [`Expr`] as the tantivy query it means, and the index's document
//! frequencies as the plan's [`Stats`]. No rule of what a query means is
//! here; only how the index spells it.

use anyhow::Result;
use tantivy::Searcher;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery,
    Occur as TantivyOccur, PhraseQuery, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::at_least::AtLeast;
use super::plan::{self, Expr, Stats};
use super::query::Occur;
use crate::index::Fields;

/// One concept of the query's top group, as the local index matches it.
pub(super) struct Concept {
    pub(super) label: String,
    pub(super) query: Box<dyn Query>,
    pub(super) weight: f32,
}

/// The plan's concepts, each written for the index.
pub(super) fn concepts(concepts: &[plan::Concept], f: &Fields) -> Result<Vec<Concept>> {
    concepts
        .iter()
        .map(|c| {
            Ok(Concept {
                label: c.label.clone(),
                query: lower(&c.expr, f)?,
                weight: c.weight,
            })
        })
        .collect()
}

/// The document frequencies of the open index's body terms.
pub(super) struct IndexStats<'a> {
    searcher: &'a Searcher,
    body: Field,
    /// Every session the segments hold, deleted ones included: the `N` of
    /// the idf, so that a term's document frequency never exceeds it.
    sessions_held: f32,
}

impl<'a> IndexStats<'a> {
    pub(super) fn new(searcher: &'a Searcher, f: &Fields) -> IndexStats<'a> {
        IndexStats {
            searcher,
            body: f.body,
            sessions_held: searcher
                .segment_readers()
                .iter()
                .map(|r| u64::from(r.max_doc()))
                .sum::<u64>()
                .max(1) as f32,
        }
    }
}

impl Stats for IndexStats<'_> {
    /// Deleted sessions count until their segment is merged, as in
    /// tantivy's own BM25. A glue pair is a term of the index.
    fn df(&self, term: &str) -> Result<u64> {
        Ok(self
            .searcher
            .doc_freq(&Term::from_field_text(self.body, term))
            .unwrap_or(0))
    }

    fn sessions(&self) -> f32 {
        self.sessions_held
    }
}

fn field(f: &Fields, field: plan::Field) -> Field {
    match field {
        plan::Field::Title => f.title,
        plan::Field::Session => f.session,
        plan::Field::Heading => f.heading,
        plan::Field::Body => f.body,
    }
}

/// The tantivy query of `expr`.
pub(super) fn lower(expr: &Expr, f: &Fields) -> Result<Box<dyn Query>> {
    Ok(match expr {
        Expr::All => Box::new(AllQuery),
        Expr::Empty => Box::new(EmptyQuery),
        Expr::Term { field: fd, term } => Box::new(TermQuery::new(
            Term::from_field_text(field(f, *fd), term),
            IndexRecordOption::WithFreqs,
        )),
        Expr::Phrase {
            field: fd,
            terms,
            slop,
        } => {
            let fd = field(f, *fd);
            if *slop == 0 || terms.len() < 2 {
                phrase_query(fd, terms)
            } else {
                let terms: Vec<(usize, Term)> = terms
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (i, Term::from_field_text(fd, t)))
                    .collect();
                Box::new(PhraseQuery::new_with_offset_and_slop(terms, *slop))
            }
        }
        Expr::Near {
            field: fd,
            terms: [first, second],
            slop,
        } => {
            // Both terms at offset 0: tantivy's slop is then the distance
            // between their positions in either order, so one query
            // matches both orders, reading each session's positions once.
            let fd = field(f, *fd);
            let terms = vec![
                (0, Term::from_field_text(fd, first)),
                (0, Term::from_field_text(fd, second)),
            ];
            Box::new(PhraseQuery::new_with_offset_and_slop(terms, *slop))
        }
        Expr::Prefix { field: fd, term } => {
            // Not into the index's glue pairs ("in persons"): only words'
            // terms lack a space.
            let pattern = format!("{}[^ ]*", regex_escape(term));
            Box::new(
                RegexQuery::from_pattern(&pattern, field(f, *fd))
                    .map_err(|e| anyhow::anyhow!("prefix {term}*: {e}"))?,
            )
        }
        Expr::Fuzzy {
            field: fd,
            term,
            distance,
        } => {
            // Exact matches should still win over near misses.
            let t = Term::from_field_text(field(f, *fd), term);
            let near: Box<dyn Query> = Box::new(FuzzyTermQuery::new(t.clone(), *distance, true));
            let exact: Box<dyn Query> = Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
            Box::new(BooleanQuery::new(vec![
                (TantivyOccur::Should, exact),
                (TantivyOccur::Should, Box::new(BoostQuery::new(near, 0.5))),
            ]))
        }
        Expr::Facet { facet, value } => Box::new(TermQuery::new(
            Term::from_field_text(facet.filter_field(f), value),
            IndexRecordOption::Basic,
        )),
        Expr::Filter { facet, values } => {
            let fd = facet.map_or(f.path, |facet| facet.filter_field(f));
            any_of(fd, values).unwrap_or_else(|| Box::new(AllQuery))
        }
        Expr::Bool(clauses) => {
            let mut out = Vec::with_capacity(clauses.len());
            for (occur, clause) in clauses {
                let occur = match occur {
                    Occur::Must => TantivyOccur::Must,
                    Occur::Should => TantivyOccur::Should,
                    Occur::MustNot => TantivyOccur::MustNot,
                };
                out.push((occur, lower(clause, f)?));
            }
            Box::new(BooleanQuery::new(out))
        }
        Expr::AtLeast {
            clauses,
            weights,
            threshold,
        } => {
            let lowered = clauses
                .iter()
                .map(|c| lower(c, f))
                .collect::<Result<Vec<_>>>()?;
            Box::new(AtLeast::weighted(lowered, weights.clone(), *threshold))
        }
        Expr::Boost(inner, boost) => Box::new(BoostQuery::new(lower(inner, f)?, *boost)),
        Expr::Const(inner, score) => Box::new(ConstScoreQuery::new(lower(inner, f)?, *score)),
    })
}

/// A query for `terms` one after another in `field`, through the index's
/// glue pairs ([`plan::glued`]).
fn phrase_query(field: Field, terms: &[String]) -> Box<dyn Query> {
    let mut terms: Vec<(usize, Term)> = plan::glued(terms)
        .into_iter()
        .map(|(offset, t)| (offset, Term::from_field_text(field, &t)))
        .collect();
    match terms.len() {
        0 => Box::new(EmptyQuery),
        1 => match terms.pop() {
            Some((_, term)) => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            None => Box::new(EmptyQuery),
        },
        _ => Box::new(PhraseQuery::new_with_offset(terms)),
    }
}

pub(super) fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A filter matching any of `values` exactly, contributing no score.
pub(super) fn any_of(field: Field, values: &[String]) -> Option<Box<dyn Query>> {
    if values.is_empty() {
        return None;
    }
    let terms: Vec<Term> = values
        .iter()
        .map(|v| Term::from_field_text(field, v))
        .collect();
    Some(Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new_multiterms_query(terms)),
        0.0,
    )))
}
