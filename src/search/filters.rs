//! Facet filters: the values a user gives (`--crime`, `--session`, …),
//! checked the same way for every facet and turned into index terms.
//!
//! Values within one facet are OR-ed, facets are AND-ed. A value that names
//! nothing is an error ([`UnknownValue`]) listing the valid values and the
//! closest one, for every facet alike: taxonomy facets are checked before
//! searching, facets whose values come from the index when a search finds
//! nothing (an unknown value can only find nothing).

use std::collections::BTreeMap;

use anyhow::Result;
use tantivy::schema::Field;

use super::passages::levenshtein;
use crate::index::{Fields, OpenIndex};
use crate::model::{DocType, facet_key, session_key, symbol_keys};
use crate::vocabulary::Vocabulary;

/// Facet filters of a search, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Session labels or numbers ("III", "3", "Session III").
    pub sessions: Vec<String>,
    /// Crime types, by slug or label.
    pub crimes: Vec<String>,
    /// Organizations, by any of their names.
    pub orgs: Vec<String>,
    pub years: Vec<String>,
    /// Document types by name ("resolution", "meeting-record").
    pub types: Vec<String>,
    /// Speakers of meeting-record turns ("Mr. Wu Haitao"), any case.
    pub speakers: Vec<String>,
    /// Delegations speaking ("China"), any case.
    pub countries: Vec<String>,
    /// Document symbols, with or without the year ("S/RES/2178").
    pub symbols: Vec<String>,
    /// Corpus-relative briefing paths, exactly as indexed: for library
    /// callers such as saved searches, which look only at the briefings
    /// an index run wrote. Not checked: an unknown path matches nothing.
    pub paths: Vec<String>,
}

/// A filter value that names no value of its facet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct UnknownValue {
    /// The facet, as the CLI and the API name it ("crime", "session").
    pub facet: &'static str,
    pub value: String,
    message: String,
}

impl UnknownValue {
    /// The error for `value` of `facet`, which is none of `valid`.
    pub fn new<'a>(
        facet: &'static str,
        what: &str,
        value: &str,
        valid: impl Iterator<Item = &'a str>,
    ) -> UnknownValue {
        UnknownValue {
            facet,
            value: value.to_string(),
            message: unknown_value_message(what, value, valid),
        }
    }
}

/// Filters resolved to the values the index stores.
#[derive(Debug, Clone, Default)]
pub(super) struct Resolved {
    sessions: Vec<String>,
    crimes: Vec<String>,
    orgs: Vec<String>,
    years: Vec<String>,
    types: Vec<String>,
    speakers: Vec<String>,
    countries: Vec<String>,
    symbols: Vec<String>,
    paths: Vec<String>,
}

impl Resolved {
    /// Each filtered field with the values any of which a session must have.
    pub(super) fn terms<'a>(&'a self, f: &Fields) -> [(Field, &'a [String]); 9] {
        [
            (f.session_key, &self.sessions),
            (f.crime, &self.crimes),
            (f.org, &self.orgs),
            (f.year, &self.years),
            (f.doc_type, &self.types),
            (f.speaker_key, &self.speakers),
            (f.country_key, &self.countries),
            (f.symbol_key, &self.symbols),
            (f.path, &self.paths),
        ]
    }
}

impl Filters {
    /// Checks the values that the vocabulary knows (crime types,
    /// organizations) without searching.
    pub fn check(&self, vocabulary: &Vocabulary) -> Result<(), UnknownValue> {
        self.resolve(vocabulary).map(|_| ())
    }

    /// The index's values of the filters; `Err(UnknownValue)` for a crime
    /// type or organization the taxonomy does not know.
    pub(super) fn resolve(&self, vocabulary: &Vocabulary) -> Result<Resolved, UnknownValue> {
        let taxonomy = &vocabulary.taxonomy;
        let crimes = self
            .crimes
            .iter()
            .map(|c| crime_slug(vocabulary, c))
            .collect::<Result<_, _>>()?;
        let orgs = self
            .orgs
            .iter()
            .map(|o| {
                taxonomy.org(o).map(|o| o.name.clone()).ok_or_else(|| {
                    UnknownValue::new(
                        "org",
                        "organization",
                        o,
                        taxonomy.orgs.iter().map(|o| o.name.as_str()),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let types = self
            .types
            .iter()
            .map(|t| {
                let name = t.trim().to_lowercase();
                DocType::from_name(&name)
                    .map(|t| t.name().to_string())
                    .ok_or_else(|| {
                        UnknownValue::new(
                            "type",
                            "document type",
                            t,
                            DocType::ALL.iter().map(|t| t.name()),
                        )
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Resolved {
            sessions: self.sessions.iter().map(|s| session_key(s)).collect(),
            crimes,
            orgs,
            years: self.years.iter().map(|y| y.trim().to_string()).collect(),
            types,
            speakers: self.speakers.iter().map(|s| facet_key(s)).collect(),
            countries: self.countries.iter().map(|c| facet_key(c)).collect(),
            symbols: self
                .symbols
                .iter()
                .filter_map(|s| symbol_keys(s).into_iter().next())
                .collect(),
            paths: self.paths.clone(),
        })
    }
}

/// The slug of crime type `value` (a slug or a label).
pub(super) fn crime_slug(vocabulary: &Vocabulary, value: &str) -> Result<String, UnknownValue> {
    let taxonomy = &vocabulary.taxonomy;
    taxonomy
        .crime(value)
        .map(|c| c.slug.clone())
        .ok_or_else(|| {
            UnknownValue::new(
                "crime",
                "crime type",
                value,
                taxonomy.crimes.iter().map(|c| c.slug.as_str()),
            )
        })
}

/// The organization named `value`, by its display name.
pub(super) fn org_name(vocabulary: &Vocabulary, value: &str) -> Result<String, UnknownValue> {
    let taxonomy = &vocabulary.taxonomy;
    taxonomy.org(value).map(|o| o.name.clone()).ok_or_else(|| {
        UnknownValue::new(
            "org",
            "organization",
            value,
            taxonomy.orgs.iter().map(|o| o.name.as_str()),
        )
    })
}

/// Fails with [`UnknownValue`] when a filter of a facet whose values come
/// from the index names no value of the index. Years are open-ended: a
/// year without briefings simply matches nothing.
pub(super) fn check_indexed(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    filters: &Filters,
) -> Result<()> {
    if filters.sessions.is_empty()
        && filters.speakers.is_empty()
        && filters.countries.is_empty()
        && filters.symbols.is_empty()
    {
        return Ok(());
    }
    let all = super::corpus_facets(open, vocabulary)?;
    let facets = &all.facets;
    type Checked<'a> = (&'static str, &'a [String], &'a BTreeMap<String, u64>);
    let checks: [Checked; 4] = [
        ("session", &filters.sessions, &facets.session),
        ("speaker", &filters.speakers, &facets.speaker),
        ("country", &filters.countries, &facets.country),
        ("symbol", &filters.symbols, &facets.symbol),
    ];
    for (facet, wanted, known) in checks {
        let labels: Vec<&str> = known.keys().map(String::as_str).collect();
        let keys: Vec<String> = labels.iter().flat_map(|l| filter_keys(facet, l)).collect();
        for value in wanted {
            if !filter_keys(facet, value).iter().any(|k| keys.contains(k)) {
                return Err(UnknownValue::new(facet, facet, value, labels.iter().copied()).into());
            }
        }
    }
    Ok(())
}

/// The keys by which a value of `facet` is filtered: a symbol is found
/// with or without its year.
fn filter_keys(facet: &str, value: &str) -> Vec<String> {
    match facet {
        "session" => vec![session_key(value)],
        "symbol" => symbol_keys(value),
        _ => vec![facet_key(value)],
    }
}

/// The message for a filter value that is not known, listing the valid
/// values and suggesting the closest one.
pub fn unknown_value_message<'a>(
    what: &str,
    value: &str,
    valid: impl Iterator<Item = &'a str>,
) -> String {
    let valid: Vec<&str> = valid.collect();
    let lower = value.to_lowercase();
    let closest = valid
        .iter()
        .map(|v| {
            let vl = v.to_lowercase();
            let distance = if vl.contains(&lower) || lower.contains(&vl) {
                0
            } else {
                levenshtein(&lower, &vl)
            };
            (distance, *v)
        })
        .min();
    let mut message = format!("unknown {what} \"{value}\"");
    if let Some((distance, best)) = closest
        && distance <= (lower.chars().count() / 2).max(2)
    {
        message.push_str(&format!("; did you mean {best}?"));
    }
    // A long list (speakers, symbols) is cut: the suggestion matters more.
    let shown: Vec<&str> = valid.iter().take(40).copied().collect();
    message.push_str(&format!(" (valid: {}", shown.join(", ")));
    if valid.len() > shown.len() {
        message.push_str(&format!(", … {} more", valid.len() - shown.len()));
    }
    message.push(')');
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_suggest_the_closest() {
        let message = unknown_value_message(
            "crime type",
            "kidnaping",
            ["kidnapping", "piracy"].into_iter(),
        );
        assert_eq!(
            message,
            "unknown crime type \"kidnaping\"; did you mean kidnapping? (valid: kidnapping, piracy)"
        );
    }

    #[test]
    fn taxonomy_filters_are_checked_alike() {
        let vocabulary = Vocabulary::builtin().expect("built-in vocabulary");
        let filters = Filters {
            orgs: vec!["NOSUCHORG".into()],
            ..Filters::default()
        };
        let err = filters.resolve(&vocabulary).expect_err("unknown org");
        assert_eq!(err.facet, "org");
        let filters = Filters {
            crimes: vec!["nosuchcrime".into()],
            ..Filters::default()
        };
        assert_eq!(
            filters
                .resolve(&vocabulary)
                .expect_err("unknown crime")
                .facet,
            "crime"
        );
        let filters = Filters {
            orgs: vec!["unodc".into()],
            crimes: vec!["arms-trafficking".into()],
            ..Filters::default()
        };
        assert!(filters.resolve(&vocabulary).is_ok());
    }
}
