//! Tagging: which crime types and organizations a session talks about.
//!
//! The taxonomy is data (`data/taxonomy.toml`, built into the binary and
//! replaceable with `--taxonomy FILE`), matched on analyzed terms so that
//! "Small Arms", "small arms" and "small-arm" all match the phrase
//! "small arms".

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::analysis::{self, Analyzer, HIGH, ONES, ascii_alnum, high_bits, load8};

/// The taxonomy shipped with ctsearch.
pub const BUILTIN_TAXONOMY: &str = include_str!("../data/taxonomy.toml");

#[derive(Debug, Deserialize)]
struct TaxonomyFile {
    #[serde(default)]
    crime: BTreeMap<String, CrimeEntry>,
    #[serde(default)]
    org: BTreeMap<String, OrgEntry>,
}

#[derive(Debug, Deserialize)]
struct CrimeEntry {
    label: Option<String>,
    phrases: Vec<Cow<'static, str>>,
}

#[derive(Debug, Deserialize)]
struct OrgEntry {
    label: Option<String>,
    names: Vec<Cow<'static, str>>,
}

/// A crime type of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrimeType {
    /// Stable identifier used in filters and facets (`arms-trafficking`).
    pub slug: String,
    pub label: String,
    pub phrases: Vec<Cow<'static, str>>,
}

/// An organization of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// Display name used in filters and facets (`UNODC`).
    pub name: String,
    pub names: Vec<Cow<'static, str>>,
    /// The entry's key in the taxonomy file, also a name to match.
    key: String,
}

/// What a phrase, once matched, tags a session with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Crime(usize),
    Org(usize),
}

/// The loaded taxonomy. Its phrases are analyzed for matching on first
/// use: a search reads the taxonomy for its names, only indexing tags.
pub struct Taxonomy {
    pub crimes: Vec<CrimeType>,
    pub orgs: Vec<Organization>,
    matcher: OnceLock<Matcher>,
    /// The source text, part of the index fingerprint.
    source: String,
}

/// The taxonomy's phrases, analyzed, and how to find them in a text.
///
/// Each phrase has an *anchor*, one of its terms. A text is not analyzed
/// word by word: a table of the anchors' stable prefixes ([`PrefixTable`])
/// finds the words that may have an anchor as their term, and only those
/// words, and
/// the few words around them that their phrases need, are analyzed. Most
/// words of a text are never analyzed by the tagger.
///
/// Why this finds every phrase: words are lowercased, folded and stemmed,
/// and the English stemmer only rewrites endings: the lowercased ASCII
/// word starts with its term's `stable_prefix` (checked over 1.3 million
/// distinct words with `cargo run --release --example stem-prefixes --
/// DIR...`). So every ASCII word whose term is an anchor starts with that
/// anchor's stable prefix, in some case. Words with non-ASCII letters
/// (whose diacritics fold away) are all checked.
struct Matcher {
    phrases: Vec<(Vec<String>, Target)>,
    /// Anchor term → (phrase, position of the anchor in the phrase).
    by_anchor: FxHashMap<String, Vec<(usize, usize)>>,
    /// The anchors' stable prefixes (lowercase ASCII), looked up at every
    /// word start.
    starts: PrefixTable,
    /// For each prefix of `starts`, the phrases anchored on a term with
    /// that stable prefix: (phrase, position of the anchor in it).
    pattern_phrases: Vec<Vec<(usize, usize)>>,
}

/// Lowercase ASCII prefixes, found at word starts eight bytes at a time.
///
/// Why not a multi-pattern automaton over the whole text: its transition
/// table for a few hundred case-insensitive prefixes outgrows the L1 cache,
/// and it cost 4.6 ns per byte of text, most of the tagger's time. Here
/// the text is classified eight bytes at a time to find word starts, and
/// each start is looked up by its first two letters in a table that fits
/// in the L1 cache.
struct PrefixTable {
    /// Bucket of the first two (lowercased) bytes → range of `entries`.
    /// A prefix of one byte is in every bucket of its byte.
    buckets: Vec<(u32, u32)>,
    entries: Vec<PrefixEntry>,
    /// Two filters in front of the buckets: most words start like no
    /// prefix, and these 4 KB bit tables, which stay in the L1 cache, turn
    /// them away before the buckets (32 KB) are read. `short` has a bit per
    /// possible first three bytes of a word (each modulo 32, lowercased),
    /// set for the prefixes of fewer than four bytes; `long` a bit per hash
    /// of a word's first four bytes, set for the longer prefixes. Three
    /// bytes alone let 42 % of the generated corpus's words through ("the"
    /// starts like "theft"), four bytes about a fifth.
    short: Vec<u64>,
    long: Vec<u64>,
}

struct PrefixEntry {
    /// The prefix's first eight bytes, and which bytes of a word's first
    /// eight (lowercased) they must equal.
    head: u64,
    mask: u64,
    /// The rest of a prefix longer than eight bytes.
    tail: Box<[u8]>,
    pattern: u32,
}

/// Buckets, one per pair of first two bytes, each byte taken modulo 64
/// (lowercased letters and digits are all distinct but for digits and
/// "p".."y", which the comparison then tells apart).
const BUCKETS: usize = 64 * 64;

fn bucket(b0: u8, b1: u8) -> usize {
    usize::from(b0 & 63) << 6 | usize::from(b1 & 63)
}

/// Bit of `PrefixTable::short` for a word whose first eight bytes,
/// lowercased, are `word`.
#[inline]
fn short_bit(word: u64) -> usize {
    ((word & 31) << 10 | ((word >> 8) & 31) << 5 | ((word >> 16) & 31)) as usize
}

/// Bit of `PrefixTable::long` for a word whose first eight bytes,
/// lowercased, are `word`.
#[inline]
fn long_bit(word: u64) -> usize {
    ((word as u32).wrapping_mul(0x9E37_79B1) >> 17) as usize
}

/// Whether bit `bit` of `table` is set.
#[inline]
fn has_bit(table: &[u64], bit: usize) -> bool {
    table
        .get(bit / 64)
        .is_some_and(|w| (w >> (bit % 64)) & 1 != 0)
}

impl PrefixTable {
    fn new(patterns: &[&str]) -> PrefixTable {
        let mut by_bucket: Vec<Vec<PrefixEntry>> = (0..BUCKETS).map(|_| Vec::new()).collect();
        let mut short = vec![0u64; (1 << 15) / 64];
        let mut long = vec![0u64; (1 << 15) / 64];
        for (id, pattern) in patterns.iter().enumerate() {
            let bytes = pattern.as_bytes();
            let Some(&b0) = bytes.first() else {
                continue;
            };
            let head = load8(bytes, 0) | (ONES * 0x20);
            if bytes.len() >= 4 {
                let bit = long_bit(head);
                long[bit / 64] |= 1 << (bit % 64);
            } else {
                // Every first three bytes a word with this prefix may
                // have: the bytes a prefix shorter than three leaves open
                // are free.
                let open = 5 * (3 - bytes.len());
                let fixed = short_bit(head) >> open;
                for free in 0..1usize << open {
                    let bit = fixed << open | free;
                    short[bit / 64] |= 1 << (bit % 64);
                }
            }
            let len = bytes.len().min(8);
            let entry = || PrefixEntry {
                head: load8(bytes, 0),
                mask: if len == 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * len)) - 1
                },
                tail: bytes[len..].into(),
                pattern: id as u32,
            };
            match bytes.get(1) {
                Some(&b1) => by_bucket[bucket(b0, b1)].push(entry()),
                // A one-letter prefix, whatever follows it.
                None => {
                    for b1 in 0..64u8 {
                        by_bucket[bucket(b0, b1)].push(entry());
                    }
                }
            }
        }
        let mut buckets = Vec::with_capacity(BUCKETS);
        let mut entries = Vec::new();
        for list in by_bucket {
            let start = entries.len() as u32;
            entries.extend(list);
            buckets.push((start, entries.len() as u32));
        }
        PrefixTable {
            buckets,
            entries,
            short,
            long,
        }
    }

    /// Calls `f(start, pattern)` for each ASCII word start of `text` and
    /// each prefix that the word starts with (ASCII case-insensitive). A
    /// word start is an ASCII letter or digit that does not follow a
    /// letter or digit.
    ///
    /// Why blocks of 64 bytes: the loop over a block's word starts ends
    /// with a mispredicted branch, paid once per eight bytes when each
    /// iteration classified eight, and once per ten words or so with one
    /// bit per byte for 64 (a 1 % faster build, with the filters in front
    /// of the buckets).
    fn for_each_match(&self, text: &str, mut f: impl FnMut(usize, usize)) {
        let bytes = text.as_bytes();
        // Whether the byte before the current block was a letter or digit,
        // or outside ASCII.
        let mut carry_alnum = 0u64;
        let mut carry_other = 0u64;
        let mut at = 0;
        while at < bytes.len() {
            let mut alnum = 0u64;
            let mut non_ascii = 0u64;
            for lane in 0..8 {
                let x = load8(bytes, at + 8 * lane);
                let a = ascii_alnum(x);
                alnum |= high_bits(a) << (8 * lane);
                non_ascii |= high_bits(x & HIGH) << (8 * lane);
            }
            let before_alnum = (alnum << 1) | carry_alnum;
            let before_other = (non_ascii << 1) | carry_other;
            let mut starts = alnum & !before_alnum;
            carry_alnum = alnum >> 63;
            carry_other = non_ascii >> 63;
            while starts != 0 {
                let bit = starts.trailing_zeros();
                starts &= starts - 1;
                let start = at + bit as usize;
                // After a byte outside ASCII, the character may be a letter
                // (then this is no word start) or punctuation ("“arms").
                if (before_other >> bit) & 1 != 0 && !analysis::is_word_start(text, start) {
                    continue;
                }
                self.lookup(bytes, start, &mut f);
            }
            at += 64;
        }
    }

    fn lookup(&self, bytes: &[u8], start: usize, f: &mut impl FnMut(usize, usize)) {
        let word = load8(bytes, start) | (ONES * 0x20);
        if !has_bit(&self.long, long_bit(word)) && !has_bit(&self.short, short_bit(word)) {
            return;
        }
        let (from, to) = self.buckets[bucket(word as u8, (word >> 8) as u8)];
        for entry in &self.entries[from as usize..to as usize] {
            if word & entry.mask != entry.head {
                continue;
            }
            if !entry.tail.is_empty() {
                let rest = start + 8;
                let matches = bytes
                    .get(rest..rest + entry.tail.len())
                    .is_some_and(|b| b.eq_ignore_ascii_case(&entry.tail));
                if !matches {
                    continue;
                }
            }
            f(start, entry.pattern as usize);
        }
    }
}

/// Anchors with a shorter stable prefix are chosen only when a phrase has
/// nothing longer.
const MIN_ANCHOR_PREFIX: usize = 4;

/// The part of a term that every ASCII word with this term starts with
/// (lowercased). The stemmer keeps a word's beginning and rewrites its
/// end, and only three rewrites leave a term that is not a prefix of the
/// word: y becomes i ("happy" → "happi"), an e is restored ("hoping" →
/// "hope", "lying" → "lie"), and "-bility" becomes "bl" ("visibility" →
/// "visibl"). So a term ending in e, i or bl keeps all but its last two
/// bytes, and any other term is itself a prefix of the word.
pub fn stable_prefix(term: &str) -> &str {
    let rewritten = term.ends_with('e') || term.ends_with('i') || term.ends_with("bl");
    let mut len = if rewritten {
        term.len().saturating_sub(2).max(1).min(term.len())
    } else {
        term.len()
    };
    while !term.is_char_boundary(len) {
        len += 1;
    }
    &term[..len]
}

impl Matcher {
    fn new(crimes: &[CrimeType], orgs: &[Organization]) -> Matcher {
        let mut analyzer = Analyzer::default();
        let mut phrases: Vec<(Vec<String>, Target)> = Vec::new();
        let mut add = |phrase: &str, target: Target| {
            let terms = analyzer.terms(phrase);
            // `Taxonomy::parse` rejected phrases without words.
            if !terms.is_empty() {
                phrases.push((terms, target));
            }
        };
        for (index, crime) in crimes.iter().enumerate() {
            for phrase in &crime.phrases {
                add(phrase, Target::Crime(index));
            }
        }
        for (index, org) in orgs.iter().enumerate() {
            for name in org.names.iter().map(|n| &**n).chain([org.key.as_str()]) {
                add(name, Target::Org(index));
            }
        }
        // How many phrases each term is in: a term shared by many phrases
        // ("trafficking") makes a poor anchor, for each of its occurrences
        // must be checked against all of them.
        let mut shared: FxHashMap<&str, usize> = FxHashMap::default();
        for (terms, _) in &phrases {
            for term in terms {
                *shared.entry(term.as_str()).or_default() += 1;
            }
        }
        let mut by_anchor: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
        let mut patterns: Vec<&str> = Vec::new();
        for (p, (terms, _)) in phrases.iter().enumerate() {
            // A short prefix ("in", "s") starts countless words; among
            // the terms with longer ones, the least shared, and then the
            // longest, finds the fewest places to check.
            let Some((a, anchor)) = terms.iter().enumerate().min_by_key(|(_, t)| {
                let prefix = stable_prefix(t).len();
                (
                    !t.is_ascii(),
                    prefix < MIN_ANCHOR_PREFIX,
                    shared.get(t.as_str()).copied().unwrap_or(0),
                    std::cmp::Reverse(prefix),
                )
            }) else {
                continue;
            };
            by_anchor.entry(anchor.clone()).or_default().push((p, a));
            if anchor.is_ascii() {
                patterns.push(stable_prefix(anchor));
            }
        }
        patterns.sort_unstable();
        patterns.dedup();
        let pattern_phrases = patterns
            .iter()
            .map(|pattern| {
                let mut anchored: Vec<(usize, usize)> = by_anchor
                    .iter()
                    .filter(|(anchor, _)| anchor.is_ascii() && stable_prefix(anchor) == *pattern)
                    .flat_map(|(_, list)| list.iter().copied())
                    .collect();
                anchored.sort_unstable();
                anchored
            })
            .collect();
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_ascii_lowercase()).collect();
        let starts = PrefixTable::new(&patterns.iter().map(String::as_str).collect::<Vec<_>>());
        Matcher {
            phrases,
            by_anchor,
            starts,
            pattern_phrases,
        }
    }

    /// Marks the phrases that occur in `text`.
    fn scan(&self, text: &str, term: &mut String, hits: &mut Hits) {
        let mut scratch = String::new();
        self.starts.for_each_match(text, |start, pattern| {
            if let Some(anchored) = self.pattern_phrases.get(pattern) {
                self.check_prefixed_word(text, start, anchored, term, &mut scratch, hits);
            }
        });
        // Words with letters outside ASCII may fold to anything: each is
        // checked (the prefix table only knows ASCII spellings).
        if !text.is_ascii() {
            let bytes = text.as_bytes();
            let mut i = 0;
            while let Some(offset) = bytes[i..].iter().position(|b| !b.is_ascii()) {
                i += offset;
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                if c.is_alphanumeric() {
                    let (start, end) = analysis::word_around(text, i);
                    self.check_word(text, start, term, hits);
                    i = end.max(i + c.len_utf8());
                } else {
                    i += c.len_utf8();
                }
            }
        }
    }

    /// Marks the phrases of `anchored` that occur around the word starting
    /// at `start`, which starts with their anchors' stable prefix. Most
    /// such words are in no phrase ("organization" starts like "organ"):
    /// their neighbours are compared by stable prefix first, and the word
    /// itself is analyzed only when they may fit.
    fn check_prefixed_word(
        &self,
        text: &str,
        start: usize,
        anchored: &[(usize, usize)],
        term: &mut String,
        scratch: &mut String,
        hits: &mut Hits,
    ) {
        let mut word = None;
        let mut analyzed = false;
        for &(p, a) in anchored {
            let (terms, target) = &self.phrases[p];
            // A session is tagged once: a phrase whose tag it already has
            // need not be found again.
            if hits.has(*target) {
                continue;
            }
            let (s, e) = match word {
                Some(range) => range,
                None => match analysis::word_at(text, start) {
                    Some(range) => *word.insert(range),
                    None => return,
                },
            };
            if !neighbours_may_fit(text, (s, e), terms, a) {
                continue;
            }
            if !analyzed {
                analysis::normalize_into(&text[s..e], term);
                analyzed = true;
            }
            if *term == terms[a] && phrase_around(text, (s, e), terms, a, scratch) {
                hits.mark(*target);
            }
        }
    }

    /// Marks the phrases anchored on the word starting at `start`, if they
    /// occur around it.
    fn check_word(&self, text: &str, start: usize, term: &mut String, hits: &mut Hits) {
        let Some((s, e)) = analysis::word_at(text, start) else {
            return;
        };
        analysis::normalize_into(&text[s..e], term);
        let Some(anchored) = self.by_anchor.get(term.as_str()) else {
            return;
        };
        for &(p, a) in anchored {
            let (terms, target) = &self.phrases[p];
            // A session is tagged once: a phrase whose tag it already has
            // need not be found again.
            if hits.has(*target) {
                continue;
            }
            if phrase_around(text, (s, e), terms, a, term) {
                hits.mark(*target);
            }
        }
    }
}

/// Whether the words around `word` may be the other terms of `terms`
/// (with the `a`-th at `word`): each ASCII neighbour starts with its
/// term's stable prefix. No word is analyzed.
fn neighbours_may_fit(text: &str, word: (usize, usize), terms: &[String], a: usize) -> bool {
    let fits = |(s, e): (usize, usize), expected: &str| {
        let candidate = &text[s..e];
        let prefix = stable_prefix(expected);
        !(candidate.is_ascii() && expected.is_ascii())
            || candidate
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    let mut before = word.0;
    for expected in terms[..a].iter().rev() {
        match analysis::previous_word(text, before) {
            Some(range) if fits(range, expected) => before = range.0,
            _ => return false,
        }
    }
    let mut after = word.1;
    for expected in &terms[a + 1..] {
        match analysis::next_word(text, after) {
            Some(range) if fits(range, expected) => after = range.1,
            _ => return false,
        }
    }
    true
}

/// Whether `word` analyzes to `expected`; an ASCII word that does not
/// start with the term's stable prefix is rejected without analysis.
fn term_is(word: &str, expected: &str, scratch: &mut String) -> bool {
    let prefix = stable_prefix(expected);
    if word.is_ascii()
        && expected.is_ascii()
        && !word
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    {
        return false;
    }
    analysis::normalize_into(word, scratch);
    scratch == expected
}

/// Whether `terms` occur at consecutive words of `text` with the `a`-th
/// of them at `word` (whose term is known to match).
fn phrase_around(
    text: &str,
    word: (usize, usize),
    terms: &[String],
    a: usize,
    scratch: &mut String,
) -> bool {
    let mut before = word.0;
    for expected in terms[..a].iter().rev() {
        let Some((s, e)) = analysis::previous_word(text, before) else {
            return false;
        };
        if !term_is(&text[s..e], expected, scratch) {
            return false;
        }
        before = s;
    }
    let mut after = word.1;
    for expected in &terms[a + 1..] {
        let Some((s, e)) = analysis::next_word(text, after) else {
            return false;
        };
        if !term_is(&text[s..e], expected, scratch) {
            return false;
        }
        after = e;
    }
    true
}

/// Which crime types and organizations were found so far.
struct Hits {
    crimes: Vec<bool>,
    orgs: Vec<bool>,
}

impl Hits {
    fn new(taxonomy: &Taxonomy) -> Hits {
        Hits {
            crimes: vec![false; taxonomy.crimes.len()],
            orgs: vec![false; taxonomy.orgs.len()],
        }
    }

    fn has(&self, target: Target) -> bool {
        let slot = match target {
            Target::Crime(c) => self.crimes.get(c),
            Target::Org(o) => self.orgs.get(o),
        };
        slot.is_some_and(|&hit| hit)
    }

    fn mark(&mut self, target: Target) {
        let slot = match target {
            Target::Crime(c) => self.crimes.get_mut(c),
            Target::Org(o) => self.orgs.get_mut(o),
        };
        if let Some(slot) = slot {
            *slot = true;
        }
    }

    fn tags(self, taxonomy: &Taxonomy) -> Tags {
        Tags {
            crime_bits: bits(&self.crimes),
            org_bits: bits(&self.orgs),
            crimes: taxonomy
                .crimes
                .iter()
                .zip(self.crimes)
                .filter(|(_, hit)| *hit)
                .map(|(c, _)| c.slug.clone())
                .collect(),
            orgs: taxonomy
                .orgs
                .iter()
                .zip(self.orgs)
                .filter(|(_, hit)| *hit)
                .map(|(o, _)| o.name.clone())
                .collect(),
        }
    }
}

/// Tags found in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// Crime type slugs, in taxonomy order.
    pub crimes: Vec<String>,
    /// Organization names, in taxonomy order.
    pub orgs: Vec<String>,
    /// The same crime types as a bit set (bit i: the i-th crime type of the
    /// taxonomy; the first `BITS` only), for fast facet counting.
    pub crime_bits: u64,
    /// The organizations as a bit set, likewise.
    pub org_bits: u64,
}

/// How many crime types (and organizations) a bit set holds.
pub const BITS: usize = 64;

fn bits(hits: &[bool]) -> u64 {
    hits.iter()
        .take(BITS)
        .enumerate()
        .filter(|(_, hit)| **hit)
        .fold(0, |acc, (i, _)| acc | 1 << i)
}

impl Taxonomy {
    /// The built-in taxonomy (`data/taxonomy.toml`).
    pub fn builtin() -> Result<Taxonomy> {
        Taxonomy::parse(BUILTIN_TAXONOMY).context("reading the built-in taxonomy")
    }

    /// Loads the taxonomy from `path`, or the built-in one when `None`.
    pub fn load(path: Option<&Path>) -> Result<Taxonomy> {
        match path {
            None => Taxonomy::builtin(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading taxonomy {}", path.display()))?;
                Taxonomy::parse(&text)
                    .with_context(|| format!("parsing taxonomy {}", path.display()))
            }
        }
    }

    /// Parses a taxonomy file (TOML, see `data/taxonomy.toml`).
    pub fn parse(text: &str) -> Result<Taxonomy> {
        let file: TaxonomyFile = toml::from_str(text)?;
        Taxonomy::from_file(file, text)
    }

    /// Checks and takes the entries of a taxonomy file.
    fn from_file(file: TaxonomyFile, text: &str) -> Result<Taxonomy> {
        // A phrase must have a word to match; the analyzer splits words at
        // anything that is not alphanumeric.
        let check = |phrase: &str| -> Result<()> {
            if !phrase.chars().any(char::is_alphanumeric) {
                anyhow::bail!("phrase {phrase:?} has no words");
            }
            Ok(())
        };
        let mut crimes = Vec::new();
        for (slug, entry) in file.crime {
            for phrase in &entry.phrases {
                check(phrase).with_context(|| format!("in crime type {slug}"))?;
            }
            crimes.push(CrimeType {
                label: entry.label.unwrap_or_else(|| slug.clone()),
                slug,
                phrases: entry.phrases,
            });
        }
        let mut orgs = Vec::new();
        for (key, entry) in file.org {
            for name in entry.names.iter().map(|n| &**n).chain([key.as_str()]) {
                check(name).with_context(|| format!("in organization {key}"))?;
            }
            orgs.push(Organization {
                name: entry.label.unwrap_or_else(|| key.clone()),
                names: entry.names,
                key,
            });
        }
        Ok(Taxonomy {
            crimes,
            orgs,
            matcher: OnceLock::new(),
            source: text.to_string(),
        })
    }

    /// The taxonomy's source text (for fingerprinting the index).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Tags a text with the crime types and organizations it names: a
    /// phrase names one where its terms occur at consecutive words.
    pub fn tag_text(&self, text: &str) -> Tags {
        self.tag_texts([text])
    }

    /// Tags a session from its passages: the crime types and organizations
    /// whose phrases occur in any of them. A phrase does not run on from
    /// one passage into the next.
    pub fn tag_texts<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> Tags {
        let matcher = self
            .matcher
            .get_or_init(|| Matcher::new(&self.crimes, &self.orgs));
        let mut hits = Hits::new(self);
        let mut term = String::new();
        for text in texts {
            matcher.scan(text, &mut term, &mut hits);
        }
        hits.tags(self)
    }

    /// The crime type with this slug or label (case-insensitive).
    pub fn crime(&self, value: &str) -> Option<&CrimeType> {
        self.crimes
            .iter()
            .find(|c| c.slug.eq_ignore_ascii_case(value) || c.label.eq_ignore_ascii_case(value))
    }

    /// The organization with this name or one of its names (case-insensitive).
    pub fn org(&self, value: &str) -> Option<&Organization> {
        self.orgs.iter().find(|o| {
            o.name.eq_ignore_ascii_case(value)
                || o.names.iter().any(|n| n.eq_ignore_ascii_case(value))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain way to tag: analyze every word, and match each phrase at
    /// every position. The reference for the anchored tagger.
    fn tag_by_scanning(t: &Taxonomy, text: &str) -> Tags {
        let matcher = Matcher::new(&t.crimes, &t.orgs);
        let mut terms = Vec::new();
        crate::analysis::for_each_term(text, |term| terms.push(term.to_string()));
        let mut hits = Hits::new(t);
        for (phrase, target) in &matcher.phrases {
            if terms.windows(phrase.len()).any(|w| w == phrase.as_slice()) {
                hits.mark(*target);
            }
        }
        hits.tags(t)
    }

    #[test]
    fn anchored_tagging_finds_what_scanning_finds() {
        let t = Taxonomy::builtin().expect("built-in taxonomy parses");
        // Phrases, their pieces, and the ways text gets in between.
        let mut pieces: Vec<String> = Vec::new();
        for crime in &t.crimes {
            pieces.extend(crime.phrases.iter().map(|p| p.to_string()));
        }
        for org in &t.orgs {
            pieces.extend(org.names.iter().map(|n| n.to_string()));
            pieces.push(org.name.clone());
        }
        let words: Vec<String> = pieces
            .iter()
            .flat_map(|p| p.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect();
        let noise = [
            "the",
            "and",
            ",",
            ".",
            "\n\n",
            "—",
            "“",
            "”",
            "TRAFFICKED",
            "Côte",
            "dying",
            "INTERPOL's",
            "Organised",
            "x",
            "9/11",
            "naïve",
            "ÉTATS",
            "traﬃcking",
        ];
        let long = "a".repeat(70);
        let mut next = crate::test_support::xorshift();
        for round in 0..3000 {
            let mut text = String::new();
            for _ in 0..(1 + next(12)) {
                let piece = match next(6) {
                    0 | 1 => pieces[next(pieces.len())].clone(),
                    2 | 3 => words[next(words.len())].clone(),
                    4 => noise[next(noise.len())].to_string(),
                    _ => {
                        if next(10) == 0 {
                            long.clone()
                        } else {
                            pieces[next(pieces.len())].to_uppercase()
                        }
                    }
                };
                text.push_str(&piece);
                text.push_str([" ", "-", " ", "\n", ", "][next(5)]);
            }
            assert_eq!(
                t.tag_text(&text),
                tag_by_scanning(&t, &text),
                "round {round}: {text:?}"
            );
        }
    }

    #[test]
    fn prefix_table_finds_prefixes_at_word_starts_only() {
        let table = PrefixTable::new(&["arm", "a", "interpolation", "tr"]);
        let found = |text: &str| {
            let mut found = Vec::new();
            table.for_each_match(text, |start, pattern| found.push((start, pattern)));
            found.sort_unstable();
            found
        };
        // Word starts in every lane of the eight-byte chunks, in any case.
        assert_eq!(found("ARMS x Trade"), vec![(0, 0), (0, 1), (7, 3)]);
        assert_eq!(found("xxxxxxx arms"), vec![(8, 0), (8, 1)]);
        assert_eq!(found("xxxxxxxxarm"), vec![]);
        assert_eq!(found("9arm farm"), vec![]);
        // Prefixes longer than eight bytes, and words that end too soon.
        assert_eq!(found("(Interpolations) interpol"), vec![(1, 2)]);
        // After punctuation outside ASCII a word starts; after a letter
        // outside ASCII it does not.
        assert_eq!(found("“arms” éarms"), vec![(3, 0), (3, 1)]);
        // Across the 64-byte blocks the text is classified in.
        let pad = "x".repeat(63);
        assert_eq!(found(&format!("{pad} arm")), vec![(64, 0), (64, 1)]);
        assert_eq!(found(&format!("{pad}arm tr")), vec![(67, 3)]);
        assert_eq!(
            found(&format!("{}é arm", "x".repeat(62))),
            vec![(65, 0), (65, 1)]
        );
        assert_eq!(found(""), vec![]);
    }

    #[test]
    fn builtin_statics_match_the_builtin_file() {
        let built = Taxonomy::builtin().expect("built-in taxonomy");
        let parsed = Taxonomy::parse(BUILTIN_TAXONOMY).expect("built-in taxonomy parses");
        assert_eq!(built.crimes, parsed.crimes);
        assert_eq!(built.orgs, parsed.orgs);
        assert_eq!(built.source(), parsed.source());
        assert!(!built.crimes.is_empty() && !built.orgs.is_empty());
    }

    #[test]
    fn builtin_parses_and_has_the_required_crime_types() {
        let t = Taxonomy::builtin().expect("built-in taxonomy parses");
        for slug in [
            "trafficking-in-persons",
            "drug-trafficking",
            "arms-trafficking",
            "terrorism-financing",
            "money-laundering",
            "kidnapping-for-ransom",
            "smuggling-of-migrants",
            "cultural-property",
            "natural-resources",
            "cybercrime",
            "document-fraud",
        ] {
            assert!(t.crime(slug).is_some(), "{slug}");
        }
    }

    #[test]
    fn every_phrase_tags_what_it_claims() {
        let t = Taxonomy::builtin().expect("built-in taxonomy parses");
        for crime in &t.crimes {
            for phrase in &crime.phrases {
                let tags = t.tag_text(&format!("They spoke of {phrase} today."));
                assert!(
                    tags.crimes.contains(&crime.slug),
                    "{phrase} → {}",
                    crime.slug
                );
            }
        }
        for org in &t.orgs {
            for name in &org.names {
                let tags = t.tag_text(&format!("Remarks by {name}."));
                assert!(tags.orgs.contains(&org.name), "{name} → {}", org.name);
            }
        }
    }

    #[test]
    fn phrases_match_across_the_ring_and_at_the_edges() {
        let t = Taxonomy::builtin().expect("built-in taxonomy parses");
        let tags = t.tag_text("the Counter-Terrorism Committee Executive Directorate");
        assert!(tags.orgs.contains(&"CTED".to_string()));
        assert_eq!(t.tag_text(""), Tags::default());
        let tags = t.tag_text("trafficking in persons, drugs and arms and the Small Arms Survey");
        assert!(tags.crimes.contains(&"trafficking-in-persons".to_string()));
        assert!(tags.orgs.contains(&"Small Arms Survey".to_string()));
    }

    #[test]
    fn variants_match_through_analysis() {
        let t = Taxonomy::builtin().expect("built-in taxonomy parses");
        let tags = t.tag_text("Human Trafficking and FIREARMS were discussed by Unodc.");
        assert!(tags.crimes.contains(&"trafficking-in-persons".to_string()));
        assert!(tags.crimes.contains(&"arms-trafficking".to_string()));
        assert!(tags.orgs.contains(&"UNODC".to_string()));
    }
}
