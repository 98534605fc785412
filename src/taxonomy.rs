//! Tagging: which crime types and organizations a session talks about.
//!
//! The taxonomy is data (`data/taxonomy.toml`, built into the binary and
//! replaceable with `--taxonomy FILE`), matched on analyzed terms so that
//! "Small Arms", "small arms" and "small-arms" all match the phrase
//! "small arms", and "firearms" matches "firearm".

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::analysis::{self, Analyzer, StemmingExceptions, Token};

/// The stemmer's stable prefix ([`analysis::stable_prefix`]), at its
/// former path for `examples/stem-prefixes.rs`; the tagger does not use it.
pub use crate::analysis::stable_prefix;

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
    /// The stemming exceptions that phrases and texts are analyzed with:
    /// the index's.
    exceptions: Arc<StemmingExceptions>,
    /// The source text, part of the index fingerprint.
    source: String,
}

/// The taxonomy's phrases, analyzed, and where each may start: a text is
/// analyzed whole, and at each of its terms the phrases that begin with
/// that term are compared with the terms that follow.
struct Matcher {
    phrases: Vec<(Vec<String>, Target)>,
    /// First term → the phrases (indices into `phrases`) that begin with it.
    by_first_term: FxHashMap<String, Vec<usize>>,
}

impl Matcher {
    fn new(crimes: &[CrimeType], orgs: &[Organization], analyzer: &mut Analyzer) -> Matcher {
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
        let mut by_first_term: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (p, (terms, _)) in phrases.iter().enumerate() {
            by_first_term.entry(terms[0].clone()).or_default().push(p);
        }
        Matcher {
            phrases,
            by_first_term,
        }
    }

    /// Marks the phrases that occur in a text of these tokens (the query
    /// chain's: consecutive positions, no joined forms).
    fn scan(&self, tokens: &[Token], hits: &mut Hits) {
        for (i, token) in tokens.iter().enumerate() {
            let Some(starting) = self.by_first_term.get(token.term.as_str()) else {
                continue;
            };
            let following = &tokens[i..];
            for &p in starting {
                let (terms, target) = &self.phrases[p];
                // A session is tagged once: a phrase whose tag it already
                // has need not be found again.
                if hits.has(*target) {
                    continue;
                }
                let occurs = following.len() >= terms.len()
                    && following.iter().zip(terms).all(|(t, term)| t.term == *term);
                if occurs {
                    hits.mark(*target);
                }
            }
        }
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
            exceptions: analysis::builtin_exceptions(),
            source: text.to_string(),
        })
    }

    /// The taxonomy, matched with a list of stemming exceptions of its own
    /// (by default the built-in one): the list the index is built with.
    /// The stemming exceptions the taxonomy, and the index tagged with it,
    /// are analyzed with.
    pub fn exceptions(&self) -> &Arc<StemmingExceptions> {
        &self.exceptions
    }

    pub fn with_exceptions(self, exceptions: Arc<StemmingExceptions>) -> Taxonomy {
        Taxonomy {
            matcher: OnceLock::new(),
            exceptions,
            ..self
        }
    }

    /// The query chain with the taxonomy's stemming exceptions.
    fn analyzer(&self) -> Analyzer {
        Analyzer::default().with_exceptions(self.exceptions.clone())
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
        let mut analyzer = self.analyzer();
        let matcher = self
            .matcher
            .get_or_init(|| Matcher::new(&self.crimes, &self.orgs, &mut analyzer));
        let mut hits = Hits::new(self);
        let mut tokens = Vec::new();
        for text in texts {
            analyzer.tokens_into(text, &mut tokens);
            matcher.scan(&tokens, &mut hits);
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

    fn taxonomy(text: &str) -> Taxonomy {
        Taxonomy::parse(text).expect("taxonomy parses")
    }

    #[test]
    fn a_phrase_matches_whatever_the_stemmer_does_to_its_words() {
        // "skies" is `sky`, which no word starting "sky" spells.
        let t = taxonomy("[crime.weather]\nphrases = [\"clear skies\"]\n");
        assert_eq!(t.tag_text("under clear skies today").crimes, ["weather"]);
        assert_eq!(t.tag_text("Under CLEAR SKY").crimes, ["weather"]);
        assert!(t.tag_text("clear blue skies").crimes.is_empty());
        let t = taxonomy("[crime.risk]\nphrases = [\"dying\", \"happy lying\"]\n");
        assert_eq!(t.tag_text("they died").crimes, ["risk"]);
        assert_eq!(t.tag_text("Happy lies").crimes, ["risk"]);
    }

    #[test]
    fn a_phrase_does_not_run_on_into_the_next_passage() {
        let t = taxonomy("[crime.x]\nphrases = [\"small arms\"]\n");
        assert!(t.tag_texts(["of small", "arms"]).crimes.is_empty());
        assert_eq!(t.tag_texts(["of", "small arms"]).crimes, ["x"]);
        // Nor does an empty passage or a last word match a longer phrase.
        assert!(t.tag_texts(["", "small"]).crimes.is_empty());
    }

    #[test]
    fn stemming_exceptions_decide_what_a_phrase_matches() {
        let t = Taxonomy::builtin().expect("built-in taxonomy parses");
        // "arms" is protected: "armed" no longer matches it.
        assert!(
            !t.tag_text("the flow of armed groups")
                .crimes
                .contains(&"arms-trafficking".to_string())
        );
        assert!(
            t.tag_text("the flow of Arms")
                .crimes
                .contains(&"arms-trafficking".to_string())
        );
        // A list of one's own.
        let text = "[crime.x]\nphrases = [\"flow of arms\"]\n";
        assert!(
            taxonomy(text)
                .tag_text("the flow of rifles")
                .crimes
                .is_empty()
        );
        let own = Arc::new(StemmingExceptions::parse("rifles = arm\n").expect("parses"));
        let t = taxonomy(text).with_exceptions(own);
        assert_eq!(t.tag_text("the flow of rifles").crimes, ["x"]);
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
    fn phrases_match_anywhere_and_at_the_edges() {
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
