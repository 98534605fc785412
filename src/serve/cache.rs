//! Recent answers of the local index, so that a search the server has just
//! answered costs a lookup the next time: the page's facet links run the
//! unfiltered search again for their disjunctive counts, and a reload, a
//! "back" or a shared link repeat a search as it was.
//!
//! Emptied whenever the index is reopened, under the lock that reopens it:
//! an answer is never older than the index it is served with. Bounded by
//! the number of facet values it holds (a broad query's answer holds a
//! value per briefing), so that memory stays small whatever the corpus.

use std::sync::{Arc, Mutex};

use crate::search::{SearchRequest, SearchResults};

/// Answers kept at most.
const MAX_ANSWERS: usize = 64;
/// Facet values (and hits) kept at most, over every answer.
const MAX_WEIGHT: usize = 400_000;

/// The recent answers, least recently used first.
#[derive(Default)]
pub(crate) struct AnswerCache {
    answers: Mutex<Vec<Answer>>,
}

struct Answer {
    request: SearchRequest,
    results: Arc<SearchResults>,
    weight: usize,
}

/// What an answer costs to keep, in facet values and hits.
fn weight(results: &SearchResults) -> usize {
    let values: usize = results.facets.named().map(|(_, c)| c.len()).sum();
    values + results.hits.len() + 1
}

impl AnswerCache {
    /// The answer to `request`, if kept; it becomes the most recent.
    pub(crate) fn get(&self, request: &SearchRequest) -> Option<Arc<SearchResults>> {
        let mut answers = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        let at = answers.iter().position(|a| a.request == *request)?;
        let answer = answers.remove(at);
        let results = Arc::clone(&answer.results);
        answers.push(answer);
        Some(results)
    }

    /// Keeps `results` as the answer to `request`, dropping the least
    /// recently used answers past the bounds. An answer heavier than the
    /// whole bound is not kept.
    pub(crate) fn put(&self, request: SearchRequest, results: Arc<SearchResults>) {
        let weight = weight(&results);
        if weight > MAX_WEIGHT {
            return;
        }
        let mut answers = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        answers.retain(|a| a.request != request);
        answers.push(Answer {
            request,
            results,
            weight,
        });
        let mut total: usize = answers.iter().map(|a| a.weight).sum();
        while answers.len() > MAX_ANSWERS || total > MAX_WEIGHT {
            let dropped = answers.remove(0);
            total -= dropped.weight;
        }
    }

    /// Forgets every answer (the index was reopened).
    pub(crate) fn clear(&self) {
        self.answers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.answers.lock().map(|a| a.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Facet, Facets, MatchMode};

    fn request(query: &str) -> SearchRequest {
        SearchRequest::first_page(query)
    }

    fn results(query: &str, symbols: usize) -> Arc<SearchResults> {
        let mut facets = Facets::default();
        for n in 0..symbols {
            facets[Facet::Symbol].insert(format!("S/RES/{n}"), 1);
        }
        Arc::new(SearchResults {
            query: query.into(),
            total: symbols as u64,
            briefings: 0,
            took_ms: 0.0,
            hits: Vec::new(),
            facets,
            also_searched: Vec::new(),
            match_mode: MatchMode::All,
            fallback: false,
            partial: 0,
        })
    }

    #[test]
    fn a_kept_answer_is_found_only_for_the_same_request() {
        let cache = AnswerCache::default();
        cache.put(request("weapons"), results("weapons", 3));
        assert_eq!(cache.get(&request("weapons")).map(|r| r.total), Some(3));
        assert!(cache.get(&request("arms")).is_none());
        let mut deeper = request("weapons");
        deeper.offset = 10;
        assert!(
            cache.get(&deeper).is_none(),
            "another page is another answer"
        );
        let mut filtered = request("weapons");
        filtered.filters[Facet::Crime].push("arms-trafficking".into());
        assert!(cache.get(&filtered).is_none());
        cache.clear();
        assert!(cache.get(&request("weapons")).is_none());
    }

    #[test]
    fn the_least_recently_used_answer_goes_first() {
        let cache = AnswerCache::default();
        for n in 0..MAX_ANSWERS {
            cache.put(request(&format!("q{n}")), results("q", 1));
        }
        // q0 is used again, so q1 is now the oldest.
        assert!(cache.get(&request("q0")).is_some());
        cache.put(request("new"), results("new", 1));
        assert_eq!(cache.len(), MAX_ANSWERS);
        assert!(cache.get(&request("q0")).is_some());
        assert!(cache.get(&request("q1")).is_none());
    }

    #[test]
    fn heavy_answers_are_bounded_by_their_facet_values() {
        let cache = AnswerCache::default();
        let half = MAX_WEIGHT / 2;
        cache.put(request("a"), results("a", half));
        cache.put(request("b"), results("b", half));
        assert_eq!(cache.len(), 1, "two halves and their hits exceed the bound");
        assert!(cache.get(&request("b")).is_some());
        cache.put(request("huge"), results("huge", MAX_WEIGHT + 1));
        assert!(cache.get(&request("huge")).is_none());
        assert!(cache.get(&request("b")).is_some());
    }
}
