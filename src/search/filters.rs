//! Facet filters: the values a user gives (`--crime`, `--session`, …),
//! checked the same way for every facet and turned into index terms.
//!
//! Values within one facet are OR-ed, facets are AND-ed. A value that names
//! nothing is an error ([`UnknownValue`]) listing the valid values and the
//! closest one, for every facet alike: taxonomy facets are checked before
//! searching, facets whose values come from the index when a search finds
//! nothing (an unknown value can only find nothing).

use std::ops::{Index, IndexMut};

use anyhow::Result;

use super::facet::Facet;
use super::passages::levenshtein;
use crate::index::OpenIndex;
use crate::model::{DocType, facet_key, session_key, symbol_keys};
use crate::vocabulary::Vocabulary;

/// Facet filters of a search, as typed: the values of each facet, by
/// facet (`filters[Facet::Crime]`), and the briefing paths.
///
/// - session: labels or numbers ("III", "3", "Session III");
/// - crime: crime types, by slug or label; org: organizations, by any of
///   their names; year; type: document types by name ("resolution");
/// - speaker: speakers of meeting-record turns ("Mr. Wu Haitao"), and
///   country: delegations speaking ("China"), any case;
/// - symbol: document symbols, with or without the year ("S/RES/2178").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    values: [Vec<String>; Facet::ALL.len()],
    /// Corpus-relative briefing paths, exactly as indexed: for library
    /// callers such as saved searches, which look only at the briefings
    /// an index run wrote. Not checked: an unknown path matches nothing.
    pub paths: Vec<String>,
}

impl Filters {
    /// These filters with `values` of `facet` as well:
    /// `Filters::default().with(Facet::Crime, ["arms-trafficking"])`.
    pub fn with<S: Into<String>>(
        mut self,
        facet: Facet,
        values: impl IntoIterator<Item = S>,
    ) -> Filters {
        self[facet].extend(values.into_iter().map(Into::into));
        self
    }

    /// Each facet with its values, in [`Facet::ALL`]'s order.
    pub fn iter(&self) -> impl Iterator<Item = (Facet, &[String])> {
        Facet::ALL
            .into_iter()
            .map(|facet| (facet, self[facet].as_slice()))
    }
}

impl Index<Facet> for Filters {
    type Output = Vec<String>;

    fn index(&self, facet: Facet) -> &Vec<String> {
        &self.values[facet.index()]
    }
}

impl IndexMut<Facet> for Filters {
    fn index_mut(&mut self, facet: Facet) -> &mut Vec<String> {
        &mut self.values[facet.index()]
    }
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
        facet: Facet,
        value: &str,
        valid: impl Iterator<Item = &'a str>,
    ) -> UnknownValue {
        UnknownValue {
            facet: facet.name(),
            value: value.to_string(),
            message: unknown_value_message(facet.what(), value, valid),
        }
    }
}

/// Filters resolved to the values the index stores.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    filters: Filters,
}

impl Resolved {
    /// The index's values of `facet` any of which a session must have.
    pub fn values(&self, facet: Facet) -> &[String] {
        &self.filters[facet]
    }

    /// Each facet with the values any of which a session must have, then
    /// the briefing paths (`None`).
    pub fn by_facet(&self) -> impl Iterator<Item = (Option<Facet>, &[String])> {
        let paths = (None, self.filters.paths.as_slice());
        self.filters
            .iter()
            .map(|(facet, values)| (Some(facet), values))
            .chain([paths])
    }
}

impl Filters {
    /// Checks the values that the vocabulary knows (crime types,
    /// organizations, document types) without searching.
    pub fn check(&self, vocabulary: &Vocabulary) -> Result<(), UnknownValue> {
        self.resolve(vocabulary).map(|_| ())
    }

    /// The index's values of the filters; `Err(UnknownValue)` for a crime
    /// type, organization or document type the vocabulary does not know.
    pub fn resolve(&self, vocabulary: &Vocabulary) -> Result<Resolved, UnknownValue> {
        let mut resolved = Filters {
            paths: self.paths.clone(),
            ..Filters::default()
        };
        for (facet, values) in self.iter() {
            for value in values {
                resolved[facet].extend(resolve_value(vocabulary, facet, value)?);
            }
        }
        Ok(Resolved { filters: resolved })
    }
}

/// The index's value of `value` of `facet`: none for a symbol that is
/// none, `Err` for a value the vocabulary does not know. The one place a
/// typed value becomes the value the index (and an export) holds.
pub fn resolve_value(
    vocabulary: &Vocabulary,
    facet: Facet,
    value: &str,
) -> Result<Option<String>, UnknownValue> {
    Ok(match facet {
        Facet::Crime => Some(crime_slug(vocabulary, value)?),
        Facet::Org => Some(org_name(vocabulary, value)?),
        Facet::Year => {
            let year = value.trim();
            if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
                return Err(UnknownValue {
                    facet: facet.name(),
                    value: value.to_string(),
                    message: format!("{value:?} is not a year: give four digits, as in 2014"),
                });
            }
            Some(year.to_string())
        }
        Facet::Type => {
            let name = value.trim().to_lowercase();
            let doc_type = DocType::from_name(&name).ok_or_else(|| {
                UnknownValue::new(facet, value, DocType::ALL.iter().map(|t| t.name()))
            })?;
            Some(doc_type.name().to_string())
        }
        Facet::Session | Facet::Speaker | Facet::Country | Facet::Symbol => {
            filter_keys(facet, value).into_iter().next()
        }
        Facet::Cites => {
            let unknown = |message: String| UnknownValue {
                facet: facet.name(),
                value: value.to_string(),
                message,
            };
            match crate::citation::user_target(value) {
                Ok(Some(target)) => Some(target),
                Ok(None) => {
                    return Err(unknown(format!(
                        "{value:?} names no document: give a resolution number (1373, S/RES/1373, 1373 (2001)) or a symbol (S/PRST/2014/23, S/PV.8716, S/2020/95)"
                    )));
                }
                Err(mistake) => return Err(unknown(mistake)),
            }
        }
    })
}

/// The slug of crime type `value` (a slug or a label).
pub fn crime_slug(vocabulary: &Vocabulary, value: &str) -> Result<String, UnknownValue> {
    let taxonomy = &vocabulary.taxonomy;
    taxonomy
        .crime(value)
        .map(|c| c.slug.clone())
        .ok_or_else(|| {
            UnknownValue::new(
                Facet::Crime,
                value,
                taxonomy.crimes.iter().map(|c| c.slug.as_str()),
            )
        })
}

/// The organization named `value`, by its display name.
pub fn org_name(vocabulary: &Vocabulary, value: &str) -> Result<String, UnknownValue> {
    let taxonomy = &vocabulary.taxonomy;
    taxonomy.org(value).map(|o| o.name.clone()).ok_or_else(|| {
        UnknownValue::new(
            Facet::Org,
            value,
            taxonomy.orgs.iter().map(|o| o.name.as_str()),
        )
    })
}

/// Fails with [`UnknownValue`] when a filter of a facet whose values come
/// from the index names no value of the index. Years are open-ended: a
/// year without briefings simply matches nothing. So are cited documents:
/// a well-formed symbol that nothing cites (yet, or any more) is cited by
/// no document, which is an answer, not a mistake.
pub(super) fn check_indexed(
    open: &OpenIndex,
    vocabulary: &Vocabulary,
    filters: &Filters,
) -> Result<()> {
    let checked = || {
        filters.iter().filter(|(facet, values)| {
            facet.values_from_index() && *facet != Facet::Cites && !values.is_empty()
        })
    };
    if checked().next().is_none() {
        return Ok(());
    }
    let all = super::corpus_facets(open, vocabulary)?;
    for (facet, wanted) in checked() {
        let labels: Vec<&str> = all.facets[facet].keys().map(String::as_str).collect();
        let keys: Vec<String> = labels.iter().flat_map(|l| filter_keys(facet, l)).collect();
        for value in wanted {
            if !filter_keys(facet, value).iter().any(|k| keys.contains(k)) {
                return Err(UnknownValue::new(facet, value, labels.iter().copied()).into());
            }
        }
    }
    Ok(())
}

/// The keys by which a value of `facet`, one of the facets whose values
/// come from the index, is filtered: a symbol is found with or without
/// its year.
fn filter_keys(facet: Facet, value: &str) -> Vec<String> {
    match facet {
        Facet::Session => vec![session_key(value)],
        Facet::Symbol => symbol_keys(value),
        Facet::Cites => crate::citation::target_of(value).into_iter().collect(),
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
    if valid.is_empty() {
        message.push_str(&format!(": the index holds no {what} at all"));
        return message;
    }
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
        let filters = Filters::default().with(Facet::Org, ["NOSUCHORG"]);
        let err = filters.resolve(&vocabulary).expect_err("unknown org");
        assert_eq!(err.facet, "org");
        let filters = Filters::default().with(Facet::Crime, ["nosuchcrime"]);
        assert_eq!(
            filters
                .resolve(&vocabulary)
                .expect_err("unknown crime")
                .facet,
            "crime"
        );
        let filters = Filters::default()
            .with(Facet::Org, ["unodc"])
            .with(Facet::Crime, ["arms-trafficking"]);
        assert!(filters.resolve(&vocabulary).is_ok());
    }
}
