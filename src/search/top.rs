//! The best-scoring sessions of a search, in an order that does not depend
//! on how the index happens to be laid out.
//!
//! BM25 scores tie often (equal term counts in sessions of equal length,
//! whose lengths tantivy rounds to one of 256 values). Tantivy's `TopDocs`
//! breaks ties by document address, and addresses depend on which of the
//! writer's threads indexed which briefing, so two builds of the same
//! corpus could keep different sessions among the candidates that feedback
//! and re-ranking start from, and show different results. Here ties are
//! broken by the briefing's number (given in corpus order) and then by the
//! session's place in its briefing, which two builds of a corpus share.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// Collects the `limit` best sessions: highest score first, then lowest
/// briefing number, then first in its briefing.
pub struct TopSessions {
    limit: usize,
}

impl TopSessions {
    pub fn with_limit(limit: usize) -> TopSessions {
        TopSessions {
            limit: limit.max(1),
        }
    }
}

/// A candidate, ordered so that the worst is the greatest (the top of a
/// max-heap is the one to drop).
#[derive(Clone, Copy)]
pub struct Candidate {
    score: Score,
    briefing: u64,
    address: DocAddress,
}

impl Candidate {
    /// `Less` when `self` ranks before `other`.
    fn rank(&self, other: &Candidate) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.briefing.cmp(&other.briefing))
            // A briefing's sessions are neighbours in one segment, in the
            // briefing's order.
            .then(self.address.doc_id.cmp(&other.address.doc_id))
            .then(self.address.segment_ord.cmp(&other.address.segment_ord))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}

pub struct TopSegmentSessions {
    limit: usize,
    segment: SegmentOrdinal,
    briefing: Option<Column<u64>>,
    heap: BinaryHeap<Candidate>,
    /// The score of the worst kept candidate once `limit` are kept: a
    /// session scoring less is dropped without reading its briefing.
    floor: Score,
}

impl Collector for TopSessions {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = TopSegmentSessions;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TopSegmentSessions> {
        Ok(TopSegmentSessions {
            limit: self.limit,
            segment,
            briefing: reader.fast_fields().u64(crate::index::BRIEFING_FIELD).ok(),
            // A segment holds at most `max_doc` candidates, whatever the
            // limit asked for (`--limit` may be any number).
            heap: BinaryHeap::with_capacity(self.limit.min(reader.max_doc() as usize) + 1),
            floor: Score::NEG_INFINITY,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Candidate>>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<Candidate> = fruits.into_iter().flatten().collect();
        all.sort_unstable();
        all.truncate(self.limit);
        Ok(all.into_iter().map(|c| (c.score, c.address)).collect())
    }
}

impl SegmentCollector for TopSegmentSessions {
    type Fruit = Vec<Candidate>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if score < self.floor {
            return;
        }
        let briefing = self
            .briefing
            .as_ref()
            .and_then(|column| column.first(doc))
            .unwrap_or(u64::MAX);
        let candidate = Candidate {
            score,
            briefing,
            address: DocAddress::new(self.segment, doc),
        };
        if self.heap.len() < self.limit {
            self.heap.push(candidate);
        } else if let Some(mut worst) = self.heap.peek_mut()
            && candidate < *worst
        {
            *worst = candidate;
        }
        if self.heap.len() == self.limit
            && let Some(worst) = self.heap.peek()
        {
            self.floor = worst.score;
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.heap.into_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_lower_briefing_number_then_to_the_earlier_session() {
        let c = |score: f32, briefing: u64, segment: u32, doc: u32| Candidate {
            score,
            briefing,
            address: DocAddress::new(segment, doc),
        };
        let mut all = [
            c(1.0, 7, 0, 3),
            c(2.0, 9, 1, 0),
            c(1.0, 3, 1, 5),
            c(1.0, 7, 0, 2),
            c(0.5, 1, 0, 0),
        ];
        all.sort_unstable();
        let order: Vec<(u64, u32)> = all.iter().map(|c| (c.briefing, c.address.doc_id)).collect();
        assert_eq!(order, vec![(9, 0), (3, 5), (7, 2), (7, 3), (1, 0)]);
    }
}
