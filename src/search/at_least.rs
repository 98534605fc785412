//! "At least m of these clauses": the match rule of long queries (`most`),
//! scored as the sum of the matching clauses' scores. Each clause may
//! carry a weight: a document then matches when the weights of its
//! clauses add up to the threshold (m clauses of weight 1 are the plain
//! rule).
//!
//! Tantivy's `BooleanQuery::with_minimum_required_clauses` answers the same
//! question with a heap of the clauses' scorers, popped and pushed back for
//! every document of every clause. This scorer works as tantivy's union
//! does instead: it runs each clause over a window of `WINDOW` documents,
//! adding its score and a count per document into flat arrays, then keeps
//! the documents whose count reaches the minimum. Every clause is advanced
//! in order with no heap, and the result is the same set with the same
//! scores (summed in clause order).

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Documents gathered at once; the arrays of a scorer are this long.
const WINDOW: usize = 4096;

/// Matches the documents whose matching clauses weigh at least
/// `threshold` together.
#[derive(Debug)]
pub struct AtLeast {
    clauses: Vec<Box<dyn Query>>,
    weights: Vec<f32>,
    threshold: f32,
}

impl Clone for AtLeast {
    fn clone(&self) -> AtLeast {
        AtLeast {
            clauses: self
                .clauses
                .iter()
                .map(|clause| clause.box_clone())
                .collect(),
            weights: self.weights.clone(),
            threshold: self.threshold,
        }
    }
}

impl AtLeast {
    /// At least `minimum` of `clauses` (at least 1; with 1 this is a union).
    #[cfg(test)]
    pub fn new(clauses: Vec<Box<dyn Query>>, minimum: usize) -> AtLeast {
        let weights = vec![1.0; clauses.len()];
        AtLeast {
            clauses,
            weights,
            threshold: minimum.max(1) as f32,
        }
    }

    /// Clauses weighing at least `threshold` together. `weights` has a
    /// weight per clause (a missing one counts 1; a negative or NaN one,
    /// 0). A threshold that is not positive matches what any clause does.
    pub fn weighted(clauses: Vec<Box<dyn Query>>, weights: Vec<f32>, threshold: f32) -> AtLeast {
        let weights = (0..clauses.len())
            .map(|i| weights.get(i).copied().unwrap_or(1.0).max(0.0))
            .collect();
        AtLeast {
            clauses,
            weights,
            threshold: threshold.max(0.0),
        }
    }
}

impl Query for AtLeast {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|clause| clause.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(AtLeastWeight {
            weights,
            clause_weights: self.weights.clone(),
            threshold: self.threshold,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct AtLeastWeight {
    weights: Vec<Box<dyn Weight>>,
    clause_weights: Vec<f32>,
    threshold: f32,
}

impl Weight for AtLeastWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorers = self
            .weights
            .iter()
            .map(|weight| weight.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let scorers = scorers
            .into_iter()
            .zip(self.clause_weights.iter().copied())
            .collect();
        Ok(Box::new(AtLeastScorer::new(scorers, self.threshold)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc}'s clauses weigh less than {}",
                self.threshold
            )));
        }
        let mut explanation =
            Explanation::new("at least the minimum of the clauses", scorer.score());
        for weight in &self.weights {
            if let Ok(detail) = weight.explain(reader, doc) {
                explanation.add_detail(detail);
            }
        }
        Ok(explanation)
    }
}

struct AtLeastScorer {
    /// The clauses' scorers that have documents left, with their weights.
    scorers: Vec<(Box<dyn Scorer>, f32)>,
    threshold: f32,
    /// Per document of the window: the sum of scores and the weight of
    /// the clauses that matched it, and a bit per document that any matched.
    scores: Box<[Score; WINDOW]>,
    counts: Box<[f32; WINDOW]>,
    touched: Box<[u64; WINDOW / 64]>,
    /// The window's documents that reach the minimum, in order, and the
    /// position of the current one.
    ready: Vec<(DocId, Score)>,
    cursor: usize,
}

impl AtLeastScorer {
    fn new(scorers: Vec<(Box<dyn Scorer>, f32)>, threshold: f32) -> AtLeastScorer {
        let mut scorer = AtLeastScorer {
            scorers,
            threshold: super::plan::reachable(threshold),
            scores: Box::new([0.0; WINDOW]),
            counts: Box::new([0.0; WINDOW]),
            touched: Box::new([0; WINDOW / 64]),
            ready: Vec::new(),
            cursor: 0,
        };
        // A scorer starts on its first document.
        scorer.refill();
        scorer
    }

    /// Gathers windows, from the lowest document a clause is on, until one
    /// holds a document that reaches the minimum (true) or every clause is
    /// exhausted (false).
    fn refill(&mut self) -> bool {
        self.ready.clear();
        self.cursor = 0;
        loop {
            self.scorers
                .retain(|(scorer, _)| scorer.doc() != TERMINATED);
            let left: f32 = self.scorers.iter().map(|(_, w)| w).sum();
            if left < self.threshold {
                return false;
            }
            let Some(start) = self.scorers.iter().map(|(scorer, _)| scorer.doc()).min() else {
                return false;
            };
            let end = start.saturating_add(WINDOW as DocId);
            for (scorer, weight) in &mut self.scorers {
                let mut doc = scorer.doc();
                while doc < end {
                    let i = (doc - start) as usize;
                    self.scores[i] += scorer.score();
                    self.counts[i] += *weight;
                    self.touched[i / 64] |= 1 << (i % 64);
                    doc = scorer.advance();
                }
            }
            for (w, word) in self.touched.iter_mut().enumerate() {
                let mut bits = std::mem::take(word);
                while bits != 0 {
                    let i = w * 64 + bits.trailing_zeros() as usize;
                    if self.counts[i] >= self.threshold {
                        self.ready.push((start + i as DocId, self.scores[i]));
                    }
                    self.counts[i] = 0.0;
                    self.scores[i] = 0.0;
                    bits &= bits - 1;
                }
            }
            if !self.ready.is_empty() {
                return true;
            }
        }
    }
}

impl DocSet for AtLeastScorer {
    fn advance(&mut self) -> DocId {
        self.cursor += 1;
        if self.cursor >= self.ready.len() {
            self.refill();
        }
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() >= target {
            return self.doc();
        }
        while self
            .ready
            .get(self.cursor)
            .is_some_and(|&(doc, _)| doc < target)
        {
            self.cursor += 1;
        }
        if self.cursor < self.ready.len() {
            return self.doc();
        }
        // Every clause is past the window just used; those before the
        // target skip to it.
        for (scorer, _) in &mut self.scorers {
            if scorer.doc() < target {
                scorer.seek(target);
            }
        }
        self.refill();
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.ready
            .get(self.cursor)
            .map_or(TERMINATED, |&(doc, _)| doc)
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|(scorer, _)| scorer.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for AtLeastScorer {
    fn score(&mut self) -> Score {
        self.ready.get(self.cursor).map_or(0.0, |&(_, score)| score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption, STRING, Schema};
    use tantivy::{Index, TantivyDocument};

    /// An index of `docs` documents whose field "w" holds the words of
    /// `words(doc)`.
    fn fixture(docs: u32, words: impl Fn(u32) -> Vec<&'static str>) -> (Index, Field) {
        let mut builder = Schema::builder();
        let field = builder.add_text_field("w", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for doc in 0..docs {
            let mut document = TantivyDocument::default();
            for word in words(doc) {
                document.add_text(field, word);
            }
            writer.add_document(document).expect("add");
        }
        writer.commit().expect("commit");
        (index, field)
    }

    /// Term queries for `words`.
    fn terms(field: Field, words: &[&str]) -> Vec<Box<dyn Query>> {
        words
            .iter()
            .map(|w| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, w),
                    IndexRecordOption::WithFreqs,
                )) as Box<dyn Query>
            })
            .collect()
    }

    const WORDS: [&str; 5] = ["a", "b", "c", "d", "e"];

    #[test]
    fn matches_and_scores_what_a_minimum_should_match_boolean_query_does() {
        // Spread over more than one window, with gaps longer than one.
        let (index, field) = fixture(20_000, |doc| {
            let mut words = Vec::new();
            for (k, word) in WORDS.iter().enumerate() {
                let k = k as u32 + 2;
                if doc % k == 0 || (doc / 5000) % k == 1 {
                    words.push(*word);
                }
            }
            words
        });
        let searcher = index.reader().expect("reader").searcher();
        for minimum in 1..=5 {
            let ours = AtLeast::new(terms(field, &WORDS), minimum);
            let theirs = BooleanQuery::with_minimum_required_clauses(
                terms(field, &WORDS)
                    .into_iter()
                    .map(|q| (Occur::Should, q))
                    .collect(),
                minimum,
            );
            let top = TopDocs::with_limit(50_000).order_by_score();
            let ours_hits = searcher.search(&ours, &top).expect("ours");
            let theirs_hits = searcher.search(&theirs, &top).expect("theirs");
            assert!(!ours_hits.is_empty(), "minimum {minimum}");
            let key = |hits: &[(Score, tantivy::DocAddress)]| {
                let mut v: Vec<(u32, i64)> = hits
                    .iter()
                    .map(|(s, a)| (a.doc_id, (s * 1000.0).round() as i64))
                    .collect();
                v.sort_unstable();
                v
            };
            assert_eq!(key(&ours_hits), key(&theirs_hits), "minimum {minimum}");
            assert_eq!(
                searcher.search(&ours, &Count).expect("count"),
                ours_hits.len()
            );
        }
    }

    #[test]
    fn seeks_as_an_intersection_with_a_filter_requires() {
        let (index, field) = fixture(10_000, |doc| match doc % 7 {
            0 => vec!["a", "b", "e"],
            1 => vec!["a", "c"],
            2 => vec!["b", "c", "d"],
            _ => vec!["e"],
        });
        let searcher = index.reader().expect("reader").searcher();
        // Two of a..d, and "e" required: the documents 0 mod 7.
        let most = Box::new(AtLeast::new(terms(field, &WORDS[..4]), 2)) as Box<dyn Query>;
        let filter = terms(field, &["e"]).remove(0);
        let both = BooleanQuery::new(vec![(Occur::Must, most), (Occur::Must, filter)]);
        let count = searcher.search(&both, &Count).expect("count");
        assert_eq!(count, (0..10_000).filter(|d| d % 7 == 0).count());
    }

    #[test]
    fn a_heavy_clause_alone_reaches_what_two_light_ones_do() {
        let (index, field) = fixture(3_000, |doc| match doc % 3 {
            0 => vec!["a"],
            1 => vec!["b", "c"],
            _ => vec!["b"],
        });
        let searcher = index.reader().expect("reader").searcher();
        // "a" weighs 2, "b" and "c" 1 each; the threshold is 2.
        let weighted = AtLeast::weighted(terms(field, &["a", "b", "c"]), vec![2.0, 1.0, 1.0], 2.0);
        let count = searcher.search(&weighted, &Count).expect("count");
        assert_eq!(count, 2_000, "every \"a\" and every \"b c\", no lone \"b\"");
        // Equal weights are the plain rule.
        let plain = AtLeast::weighted(terms(field, &["a", "b", "c"]), vec![1.0; 3], 2.0);
        assert_eq!(searcher.search(&plain, &Count).expect("count"), 1_000);
    }
}
