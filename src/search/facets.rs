//! Facet counts over every matching session, collected in the same pass as
//! ranking. Counting term ordinals of fast fields per segment and resolving
//! them to strings once at the end keeps this cheap: no document is loaded.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
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

/// Fast fields counted, in this order; the last one (`path`) only feeds
/// the distinct-briefing count.
const FIELDS: [&str; 5] = ["session_label", "crime", "org", "year", "path"];

pub struct FacetCollector;

pub struct FacetSegmentCollector {
    columns: Vec<Option<(StrColumn, Vec<u32>)>>,
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
        Ok(FacetSegmentCollector { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<BTreeMap<String, u64>>>) -> tantivy::Result<Facets> {
        let mut merged: Vec<BTreeMap<String, u64>> = vec![BTreeMap::new(); FIELDS.len()];
        for fruit in fruits {
            for (target, counts) in merged.iter_mut().zip(fruit) {
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
            briefings: next().len() as u64,
        })
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = Vec<BTreeMap<String, u64>>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.columns.iter_mut().flatten() {
            for ord in column.term_ords(doc) {
                if let Some(slot) = counts.get_mut(ord as usize) {
                    *slot += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = Vec::with_capacity(self.columns.len());
        let mut buffer = String::new();
        for column in self.columns {
            let mut map = BTreeMap::new();
            if let Some((column, counts)) = column {
                for (ord, &n) in counts.iter().enumerate() {
                    if n == 0 {
                        continue;
                    }
                    buffer.clear();
                    if column.ord_to_str(ord as u64, &mut buffer).unwrap_or(false) {
                        map.insert(buffer.clone(), u64::from(n));
                    }
                }
            }
            out.push(map);
        }
        out
    }
}
