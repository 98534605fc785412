//! Tagging: which crime types and organizations a session talks about.
//!
//! The taxonomy is data (`data/taxonomy.toml`, built into the binary and
//! replaceable with `--taxonomy FILE`), matched on analyzed terms so that
//! "Small Arms", "small arms" and "small-arm" all match the phrase
//! "small arms".

use std::collections::BTreeMap;

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
}

/// What a phrase, once matched, tags a session with.
#[derive(Debug, Clone, Copy)]
enum Target {
    Crime(usize),
    Org(usize),
}

/// The loaded taxonomy with its phrases pre-analyzed for matching.
pub struct Taxonomy {
    pub crimes: Vec<CrimeType>,
    pub orgs: Vec<Organization>,
    /// Analyzed phrases indexed by their first term.
    phrases: FxHashMap<String, Vec<(Vec<String>, Target)>>,
    /// The source text, part of the index fingerprint.
    source: String,
}

/// Tags found in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// Crime type slugs, in taxonomy order.
    pub crimes: Vec<String>,
    /// Organization names, in taxonomy order.
    pub orgs: Vec<String>,
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
        let mut analyzer = Analyzer::default();
        let mut phrases: FxHashMap<String, Vec<(Vec<String>, Target)>> = FxHashMap::default();
        let mut add = |phrase: &str, target: Target| -> Result<()> {
            let terms = analyzer.terms(phrase);
            let Some(first) = terms.first() else {
                anyhow::bail!("phrase {phrase:?} has no words");
            };
            phrases
                .entry(first.clone())
                .or_default()
                .push((terms, target));
            Ok(())
        };
        let mut crimes = Vec::new();
        for (slug, entry) in file.crime {
            let index = crimes.len();
            for phrase in &entry.phrases {
                add(phrase, Target::Crime(index))
                    .with_context(|| format!("in crime type {slug}"))?;
            }
            crimes.push(CrimeType {
                label: entry.label.unwrap_or_else(|| slug.clone()),
                slug,
                phrases: entry.phrases,
            });
        }
        let mut orgs = Vec::new();
        for (key, entry) in file.org {
            let index = orgs.len();
            for name in entry.names.iter().chain(std::iter::once(&key)) {
                add(name, Target::Org(index)).with_context(|| format!("in organization {key}"))?;
            }
            orgs.push(Organization {
                name: entry.label.unwrap_or(key),
                names: entry.names,
            });
        }
        Ok(Taxonomy {
            crimes,
            orgs,
            phrases,
            source: text.to_string(),
        })
    }

    /// The taxonomy's source text (for fingerprinting the index).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Tags a text with the crime types and organizations it names.
    pub fn tag(&self, analyzer: &mut Analyzer, text: &str) -> Tags {
        let terms = analyzer.terms(text);
        let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
        self.tag_terms(&terms)
    }

    /// Tags a sequence of analyzed terms (see [`crate::analysis::plain_terms`]).
    pub fn tag_terms(&self, terms: &[&str]) -> Tags {
        let mut crime_hit = vec![false; self.crimes.len()];
        let mut org_hit = vec![false; self.orgs.len()];
        for (i, term) in terms.iter().enumerate() {
            let Some(candidates) = self.phrases.get(*term) else {
                continue;
            };
            for (phrase, target) in candidates {
                let rest = &terms[i..];
                if rest.len() >= phrase.len() && phrase.iter().zip(rest).all(|(p, t)| p == t) {
                    match *target {
                        Target::Crime(c) => crime_hit[c] = true,
                        Target::Org(o) => org_hit[o] = true,
                    }
                }
            }
        }
        Tags {
            crimes: self
                .crimes
                .iter()
                .zip(crime_hit)
                .filter(|(_, hit)| *hit)
                .map(|(c, _)| c.slug.clone())
                .collect(),
            orgs: self
                .orgs
                .iter()
                .zip(org_hit)
                .filter(|(_, hit)| *hit)
                .map(|(o, _)| o.name.clone())
                .collect(),
        }
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
        let mut a = Analyzer::default();
        for crime in &t.crimes {
            for phrase in &crime.phrases {
                let tags = t.tag(&mut a, &format!("They spoke of {phrase} today."));
                assert!(
                    tags.crimes.contains(&crime.slug),
                    "{phrase} → {}",
                    crime.slug
                );
            }
        }
        for org in &t.orgs {
            for name in &org.names {
                let tags = t.tag(&mut a, &format!("Remarks by {name}."));
                assert!(tags.orgs.contains(&org.name), "{name} → {}", org.name);
            }
        }
    }

    #[test]
    fn variants_match_through_analysis() {
        let t = Taxonomy::builtin().expect("built-in taxonomy parses");
        let mut a = Analyzer::default();
        let tags = t.tag(
            &mut a,
            "Human Trafficking and FIREARMS were discussed by Unodc.",
        );
        assert!(tags.crimes.contains(&"trafficking-in-persons".to_string()));
        assert!(tags.crimes.contains(&"arms-trafficking".to_string()));
        assert!(tags.orgs.contains(&"UNODC".to_string()));
    }
}
