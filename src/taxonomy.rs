//! Tagging: which crime types and organizations a session talks about.
//!
//! The taxonomy is data (`data/taxonomy.toml`, built into the binary and
//! replaceable with `--taxonomy FILE`), matched on analyzed terms so that
//! "Small Arms", "small arms" and "small-arm" all match the phrase
//! "small arms".

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::analysis::Analyzer;

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
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct OrgEntry {
    label: Option<String>,
    names: Vec<String>,
}

/// A crime type of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrimeType {
    /// Stable identifier used in filters and facets (`arms-trafficking`).
    pub slug: String,
    pub label: String,
    pub phrases: Vec<String>,
}

/// An organization of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// Display name used in filters and facets (`UNODC`).
    pub name: String,
    pub names: Vec<String>,
    /// The entry's key in the taxonomy file, also a name to match.
    key: String,
}

/// What a phrase, once matched, tags a session with.
#[derive(Debug, Clone, Copy)]
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

/// Analyzed phrases indexed by their last term, for streaming tagging.
struct Matcher {
    by_last: FxHashMap<String, Vec<(Vec<String>, Target)>>,
    /// Terms in the longest phrase.
    longest: usize,
}

impl Matcher {
    fn new(crimes: &[CrimeType], orgs: &[Organization]) -> Matcher {
        let mut analyzer = Analyzer::default();
        let mut by_last: FxHashMap<String, Vec<(Vec<String>, Target)>> = FxHashMap::default();
        let mut longest = 1;
        let mut add = |phrase: &str, target: Target| {
            let terms = analyzer.terms(phrase);
            // `Taxonomy::parse` rejected phrases without words.
            if let Some(last) = terms.last() {
                longest = longest.max(terms.len());
                by_last
                    .entry(last.clone())
                    .or_default()
                    .push((terms, target));
            }
        };
        for (index, crime) in crimes.iter().enumerate() {
            for phrase in &crime.phrases {
                add(phrase, Target::Crime(index));
            }
        }
        for (index, org) in orgs.iter().enumerate() {
            for name in org.names.iter().chain(std::iter::once(&org.key)) {
                add(name, Target::Org(index));
            }
        }
        Matcher { by_last, longest }
    }
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
    /// The built-in taxonomy.
    pub fn builtin() -> Result<Taxonomy> {
        Taxonomy::parse(BUILTIN_TAXONOMY).context("parsing the built-in taxonomy")
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
            for name in entry.names.iter().chain(std::iter::once(&key)) {
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

    /// Tags a text with the crime types and organizations it names, as
    /// it is analyzed, without collecting its terms: each
    /// term is checked against the phrases that end with it, over a ring of
    /// the last few terms.
    pub fn tag_text(&self, text: &str) -> Tags {
        let matcher = self
            .matcher
            .get_or_init(|| Matcher::new(&self.crimes, &self.orgs));
        let mut hits = Hits::new(self);
        let n = matcher.longest;
        let mut ring: Vec<String> = vec![String::new(); n];
        let mut seen = 0usize;
        crate::analysis::for_each_term(text, |term| {
            let slot = seen % n;
            ring[slot].clear();
            ring[slot].push_str(term);
            seen += 1;
            let Some(candidates) = matcher.by_last.get(term) else {
                return;
            };
            for (phrase, target) in candidates {
                let len = phrase.len();
                if len > seen {
                    continue;
                }
                // The phrase's k-th term must be the term seen len-1-k ago.
                let matches = phrase.iter().enumerate().all(|(k, p)| {
                    let back = len - 1 - k;
                    ring[(seen - 1 - back) % n] == *p
                });
                if matches {
                    hits.mark(*target);
                }
            }
        });
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
