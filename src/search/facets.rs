//! Facet counts over every matching session, collected in the same pass as
//! ranking, without loading a document.
//!
//! The pass records the matching documents and, at every `BLOCK` of them,
//! reads their fast-field columns at once, which costs a fraction of
//! reading them document by document (a broad query matches most of the
//! index, and every match counts). Sessions and years are counted per term
//! ordinal and resolved to strings once at the end; a year, the same for
//! all of a briefing's sessions, is read once per run of the briefing's
//! matches. Crime types and organizations are read from one bit set each
//! (`Tags::crime_bits`), counted a byte at a time: one increment per byte
//! of the set, whatever the number of tags.

use std::collections::BTreeMap;

use std::ops::{Index, IndexMut};

use serde::ser::{Serialize, SerializeMap, Serializer};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::facet::Facet;
use crate::taxonomy::{BITS, Taxonomy};

/// Counts per value of one facet.
pub type Counts = BTreeMap<String, u64>;

/// Counts per value of each facet, by facet (`facets[Facet::Year]`).
/// Serialized as an object with a key per facet, in [`Facet::ALL`]'s
/// order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    counts: [Counts; Facet::ALL.len()],
    /// Number of distinct briefings among the matches.
    pub briefings: u64,
}

impl Facets {
    /// Each facet with its counts, in display order.
    pub fn named(&self) -> impl Iterator<Item = (Facet, &Counts)> {
        Facet::DISPLAY
            .into_iter()
            .map(|facet| (facet, &self[facet]))
    }
}

impl Index<Facet> for Facets {
    type Output = Counts;

    fn index(&self, facet: Facet) -> &Counts {
        &self.counts[facet.index()]
    }
}

impl IndexMut<Facet> for Facets {
    fn index_mut(&mut self, facet: Facet) -> &mut Counts {
        &mut self.counts[facet.index()]
    }
}

impl Serialize for Facets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Facet::ALL.len()))?;
        for facet in Facet::ALL {
            map.serialize_entry(facet.name(), &self[facet])?;
        }
        map.end()
    }
}

/// Documents whose columns are read at once.
const BLOCK: usize = 2048;

/// How a facet is counted.
#[derive(Clone)]
enum Source {
    /// From a string column, by term ordinal.
    Ordinals(&'static str),
    /// From a string column whose value is the same for every session of
    /// a briefing (the year): read once per run of a briefing's matches.
    BriefingOrdinals(&'static str),
    /// From a bit-set column; bit i stands for `names[i]`.
    Bits(&'static str, Vec<String>),
}

/// Counts facets and distinct briefings of the documents it sees.
pub struct FacetCollector {
    /// Per facet, in [`Facet::ALL`]'s order.
    sources: Vec<Source>,
}

impl FacetCollector {
    /// Crime types and organizations come from their bit sets, or, for a
    /// taxonomy with more of them than a bit set holds, from their string
    /// columns.
    pub fn new(taxonomy: &Taxonomy) -> FacetCollector {
        let sources = Facet::ALL
            .into_iter()
            .map(|facet| {
                let bits: Option<(&'static str, Vec<String>)> = match facet {
                    Facet::Crime => Some((
                        "crime_bits",
                        taxonomy.crimes.iter().map(|c| c.slug.clone()).collect(),
                    )),
                    Facet::Org => Some((
                        "org_bits",
                        taxonomy.orgs.iter().map(|o| o.name.clone()).collect(),
                    )),
                    _ => None,
                };
                match bits {
                    Some((column, names)) if names.len() <= BITS => Source::Bits(column, names),
                    _ if facet.per_briefing() => Source::BriefingOrdinals(facet.column()),
                    _ => Source::Ordinals(facet.column()),
                }
            })
            .collect();
        FacetCollector { sources }
    }
}

/// A facet's column in one segment, with its counts so far.
enum Counter {
    Ordinals {
        column: StrColumn,
        per_ord: Vec<u32>,
        /// Counted per run of a briefing's matches (`Source::BriefingOrdinals`).
        per_briefing: bool,
    },
    Bits {
        column: Column<u64>,
        names: Vec<String>,
        /// `per_bit[i]`: documents with bit i set.
        per_bit: Box<[u64; 64]>,
    },
    /// The field has no column in this segment.
    Absent,
}

pub struct FacetSegmentCollector {
    counters: Vec<Counter>,
    briefing: Option<Column<u64>>,
    /// The latest matching documents, in increasing order, up to `BLOCK`.
    docs: Vec<DocId>,
    /// Distinct briefings counted so far, and the last one's id.
    briefings: u64,
    previous: Option<u64>,
    /// The first document and the length of each run of one briefing's
    /// matches in the current block.
    run_docs: Vec<DocId>,
    run_lens: Vec<u32>,
    /// Buffers of `count_block`.
    rows: Vec<u32>,
    docs_out: Vec<DocId>,
    values: Vec<u64>,
    ids: Vec<Option<u64>>,
}

/// Counts per value of each facet, and the number of distinct briefings.
pub struct SegmentFacets {
    /// Per facet, (value, count) in increasing order of value.
    counts: Vec<Vec<(String, u64)>>,
    briefings: u64,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let mut counters = Vec::with_capacity(self.sources.len());
        for source in &self.sources {
            let counter = match source {
                Source::Ordinals(name) | Source::BriefingOrdinals(name) => {
                    match segment.fast_fields().str(name)? {
                        Some(column) => {
                            let n = column.num_terms();
                            Counter::Ordinals {
                                column,
                                per_ord: vec![0; n],
                                per_briefing: matches!(source, Source::BriefingOrdinals(_)),
                            }
                        }
                        None => Counter::Absent,
                    }
                }
                Source::Bits(name, names) => match segment.fast_fields().u64(name) {
                    Ok(column) => Counter::Bits {
                        column,
                        per_bit: Box::new([0; 64]),
                        names: names.clone(),
                    },
                    Err(_) => Counter::Absent,
                },
            };
            counters.push(counter);
        }
        let briefing = segment.fast_fields().u64(crate::index::BRIEFING_FIELD).ok();
        Ok(FacetSegmentCollector {
            counters,
            briefing,
            docs: Vec::with_capacity(BLOCK),
            briefings: 0,
            previous: None,
            run_docs: Vec::with_capacity(BLOCK),
            run_lens: Vec::with_capacity(BLOCK),
            rows: Vec::with_capacity(BLOCK),
            docs_out: Vec::with_capacity(BLOCK),
            values: Vec::with_capacity(BLOCK),
            ids: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
        let mut merged: Vec<Vec<(String, u64)>> = vec![Vec::new(); self.sources.len()];
        // A briefing's sessions all live in one segment (see `harvest`).
        let mut briefings = 0;
        for fruit in fruits {
            briefings += fruit.briefings;
            for (target, counts) in merged.iter_mut().zip(fruit.counts) {
                *target = merge_sorted(std::mem::take(target), counts);
            }
        }
        // Sorted input builds a map in one pass (`BTreeMap::from_iter`
        // bulk-loads it), where inserting value by value compares keys at
        // every level: a facet such as the symbol has a value per briefing.
        let mut facets = Facets {
            briefings,
            ..Facets::default()
        };
        for (facet, counts) in Facet::ALL.into_iter().zip(merged) {
            facets[facet] = BTreeMap::from_iter(counts);
        }
        Ok(facets)
    }
}

/// The union of two lists of (value, count) sorted by value, adding the
/// counts of a value found in both; sorted by value, each value once.
fn merge_sorted(a: Vec<(String, u64)>, b: Vec<(String, u64)>) -> Vec<(String, u64)> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut a = a.into_iter().peekable();
    let mut b = b.into_iter().peekable();
    loop {
        let order = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.0.cmp(&y.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => break,
        };
        let next = match order {
            std::cmp::Ordering::Less => a.next(),
            std::cmp::Ordering::Greater => b.next(),
            std::cmp::Ordering::Equal => match (a.next(), b.next()) {
                (Some((value, n)), Some((_, m))) => Some((value, n + m)),
                (x, y) => x.or(y),
            },
        };
        out.extend(next);
    }
    out
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFacets;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.docs.push(doc);
        if self.docs.len() == BLOCK {
            self.count_block();
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.count_block();
        let counts = self.counters.into_iter().map(Counter::resolve).collect();
        SegmentFacets {
            counts,
            briefings: self.briefings,
        }
    }
}

impl FacetSegmentCollector {
    /// Counts the documents collected since the last block, and forgets
    /// them. Why by blocks as they come: keeping every match of a broad
    /// query for the end took megabytes of fresh memory per segment, and
    /// its page faults cost more than the counting.
    fn count_block(&mut self) {
        let block = &self.docs[..];
        // Runs of a briefing's matches first: the distinct count, and the
        // first document and length of each run, for the facets that are
        // the same for all of a briefing's sessions.
        self.run_docs.clear();
        self.run_lens.clear();
        if let Some(column) = &self.briefing {
            self.ids.clear();
            self.ids.resize(block.len(), None);
            column.first_vals(block, &mut self.ids);
            // Locals, not fields: the loop must not store and reload its
            // state through `self` for every document.
            let mut previous = self.previous;
            let mut briefings = self.briefings;
            let mut run: Option<(DocId, u32)> = None;
            for (&doc, &id) in block.iter().zip(&self.ids) {
                let same = id.is_some() && previous == id;
                if same {
                    // A run may go on from the previous block, and then
                    // starts again here without counting its briefing twice.
                    if let Some((_, len)) = run.as_mut() {
                        *len += 1;
                        continue;
                    }
                } else if id.is_some() {
                    briefings += 1;
                    previous = id;
                }
                if let Some((first, len)) = run {
                    self.run_docs.push(first);
                    self.run_lens.push(len);
                }
                run = Some((doc, 1));
            }
            if let Some((first, len)) = run {
                self.run_docs.push(first);
                self.run_lens.push(len);
            }
            self.previous = previous;
            self.briefings = briefings;
        }
        let by_runs = self.briefing.is_some();
        let (rows, docs_out, values) = (&mut self.rows, &mut self.docs_out, &mut self.values);
        for counter in &mut self.counters {
            let (column, docs, lens): (&Column<u64>, &[DocId], Option<&[u32]>) = match counter {
                Counter::Ordinals {
                    column,
                    per_briefing: true,
                    ..
                } if by_runs => (column.ords(), &self.run_docs, Some(&self.run_lens)),
                Counter::Ordinals { column, .. } => (column.ords(), block, None),
                Counter::Bits { column, .. } => (&*column, block, None),
                Counter::Absent => continue,
            };
            rows.clear();
            docs_out.clear();
            column.index.docids_to_rowids(docs, docs_out, rows);
            values.clear();
            values.resize(rows.len(), 0);
            column.values.get_vals(rows, values);
            match counter {
                Counter::Ordinals { per_ord, .. } => match lens {
                    // `docs_out` are the run starts that have a value.
                    Some(lens) => {
                        let mut run = 0;
                        for (&doc, &ord) in docs_out.iter().zip(values.iter()) {
                            while run < docs.len() && docs[run] != doc {
                                run += 1;
                            }
                            if let (Some(slot), Some(len)) =
                                (per_ord.get_mut(ord as usize), lens.get(run))
                            {
                                *slot += len;
                            }
                        }
                    }
                    None => {
                        for &ord in values.iter() {
                            if let Some(slot) = per_ord.get_mut(ord as usize) {
                                *slot += 1;
                            }
                        }
                    }
                },
                Counter::Bits { per_bit, .. } => count_bits(values, per_bit),
                Counter::Absent => {}
            }
        }
        self.docs.clear();
    }
}

/// Adds to `per_bit[i]` the number of `values` with bit i set.
///
/// Vertical counters: byte j of `lanes[k]` counts bit 8j + k, so one
/// shift, mask and add per eight bit positions counts a value, with no
/// memory traffic and nothing for the compiler to keep in order (table
/// increments per byte of each value cost twice as much). A byte lane
/// holds 255 counts, so they are emptied every 255 values.
fn count_bits(values: &[u64], per_bit: &mut [u64; 64]) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    for chunk in values.chunks(255) {
        let mut lanes = [0u64; 8];
        for &value in chunk {
            for (k, lane) in lanes.iter_mut().enumerate() {
                *lane += (value >> k) & ONES;
            }
        }
        for (k, lane) in lanes.iter().enumerate() {
            for j in 0..8 {
                per_bit[8 * j + k] += (lane >> (8 * j)) & 0xff;
            }
        }
    }
}

impl Counter {
    /// The counts by value, in increasing order of value, without zeros.
    fn resolve(self) -> Vec<(String, u64)> {
        match self {
            Counter::Ordinals {
                column, per_ord, ..
            } => {
                // Resolve all used ordinals in one ordered pass over the
                // dictionary rather than one lookup each. Ordinals follow
                // the terms' byte order, which is `String`'s order.
                let ords: Vec<u64> = per_ord
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(ord, _)| ord as u64)
                    .collect();
                let mut counts = ords.iter().map(|&ord| per_ord[ord as usize]);
                let mut resolved = Vec::with_capacity(ords.len());
                let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    let count = counts.next().unwrap_or(0);
                    resolved.push((
                        String::from_utf8_lossy(bytes).into_owned(),
                        u64::from(count),
                    ));
                });
                resolved
            }
            Counter::Bits { names, per_bit, .. } => {
                // Two entries may share a display name; their counts add up
                // as they would in one string column.
                let mut map: BTreeMap<String, u64> = BTreeMap::new();
                for (name, &count) in names.into_iter().zip(per_bit.iter()) {
                    if count > 0 {
                        *map.entry(name).or_default() += count;
                    }
                }
                map.into_iter().collect()
            }
            Counter::Absent => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_sorted_counts_adds_shared_values_and_keeps_the_order() {
        let list = |pairs: &[(&str, u64)]| -> Vec<(String, u64)> {
            pairs.iter().map(|(v, n)| (v.to_string(), *n)).collect()
        };
        let merged = merge_sorted(
            list(&[("2019", 1), ("2021", 2), ("2023", 3)]),
            list(&[("2018", 4), ("2021", 5), ("2024", 6)]),
        );
        assert_eq!(
            merged,
            list(&[
                ("2018", 4),
                ("2019", 1),
                ("2021", 7),
                ("2023", 3),
                ("2024", 6)
            ])
        );
        assert_eq!(
            merge_sorted(Vec::new(), list(&[("a", 1)])),
            list(&[("a", 1)])
        );
        assert_eq!(
            merge_sorted(list(&[("a", 1)]), Vec::new()),
            list(&[("a", 1)])
        );
    }

    #[test]
    fn vertical_bit_counts_are_per_bit_counts() {
        let mut next = crate::test_support::xorshift();
        for len in [0, 1, 254, 255, 256, 2048] {
            let values: Vec<u64> = (0..len)
                .map(|i| match i % 4 {
                    0 => u64::MAX,
                    1 => 0,
                    _ => ((next(1 << 30) as u64) << 34) ^ (next(1 << 30) as u64),
                })
                .collect();
            let mut counted = [0u64; 64];
            count_bits(&values, &mut counted);
            let expected: Vec<u64> = (0..64)
                .map(|bit| values.iter().filter(|v| *v & (1 << bit) != 0).count() as u64)
                .collect();
            assert_eq!(counted.to_vec(), expected, "{len} values");
        }
    }
}
