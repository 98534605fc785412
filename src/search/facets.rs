//! Facet counts over every matching session, collected in the same pass as
//! ranking. Counting term ordinals of fast fields per segment and resolving
//! them to strings once at the end keeps this cheap: no document is loaded.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per value of each faceted field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub session: BTreeMap<String, u64>,
    pub crime: BTreeMap<String, u64>,
    pub org: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
    /// Number of distinct briefings among the matches.
    #[serde(skip)]
    pub briefings: u64,
}

/// Fast string fields counted, in this order.
const FIELDS: [&str; 4] = ["session_label", "crime", "org", "year"];

/// Fast u64 field identifying a session's briefing, for the distinct count.
const BRIEFING: &str = "briefing";

pub struct FacetCollector;

pub struct FacetSegmentCollector {
    columns: Vec<Option<(StrColumn, Vec<u32>)>>,
    briefing: Option<Column<u64>>,
    briefings: HashSet<u64>,
}

/// Counts per value of each field, and the briefing ids seen.
pub struct SegmentFacets {
    counts: Vec<BTreeMap<String, u64>>,
    briefings: HashSet<u64>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let mut columns = Vec::with_capacity(FIELDS.len());
        for name in FIELDS {
            let column = segment.fast_fields().str(name)?;
            columns.push(column.map(|c| {
                let n = c.num_terms();
                (c, vec![0u32; n])
            }));
        }
        let briefing = segment.fast_fields().u64(BRIEFING).ok();
        Ok(FacetSegmentCollector {
            columns,
            briefing,
            briefings: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
        let mut merged: Vec<BTreeMap<String, u64>> = vec![BTreeMap::new(); FIELDS.len()];
        let mut briefings: HashSet<u64> = HashSet::new();
        for fruit in fruits {
            briefings.extend(fruit.briefings);
            for (target, counts) in merged.iter_mut().zip(fruit.counts) {
                for (value, n) in counts {
                    *target.entry(value).or_default() += n;
                }
            }
        }
        let mut it = merged.into_iter();
        let mut next = || it.next().unwrap_or_default();
        Ok(Facets {
            session: next(),
            crime: next(),
            org: next(),
            year: next(),
            briefings: briefings.len() as u64,
        })
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFacets;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(id) = self.briefing.as_ref().and_then(|c| c.first(doc)) {
            self.briefings.insert(id);
        }
        for (column, counts) in self.columns.iter_mut().flatten() {
            for ord in column.term_ords(doc) {
                if let Some(slot) = counts.get_mut(ord as usize) {
                    *slot += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut counts = Vec::with_capacity(self.columns.len());
        for column in self.columns {
            let mut map = BTreeMap::new();
            if let Some((column, per_ord)) = column {
                // Resolve all used ordinals in one ordered pass over the
                // dictionary rather than one lookup each.
                let ords: Vec<u64> = per_ord
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(ord, _)| ord as u64)
                    .collect();
                let mut n = ords.iter().map(|&ord| per_ord[ord as usize]);
                let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    let count = n.next().unwrap_or(0);
                    map.insert(
                        String::from_utf8_lossy(bytes).into_owned(),
                        u64::from(count),
                    );
                });
            }
            counts.push(map);
        }
        SegmentFacets {
            counts,
            briefings: self.briefings,
        }
    }
}
