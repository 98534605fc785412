//! The saved searches file: a human-editable TOML file with one table per
//! saved search, named by the table (`[kfr]`), holding the query and the
//! filters as `ctsearch search` takes them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use crate::search::{Filters, MatchMode, SearchRequest};

/// Longest name of a saved search.
pub const MAX_NAME_LEN: usize = 64;

/// Written at the top of the file, which `watch add` and `watch rm`
/// rewrite (comments of one's own are not kept).
const HEADER: &str = "\
# ctsearch saved searches: one table per search, named by the table.
# `ctsearch watch add|rm` rewrite this file; edits by hand are welcome
# (keys: query, and the filters session, crime, org, year, type, speaker,
# country, symbol as lists). A search whose query or filters change here
# starts afresh: its current matches are taken as seen.
";

/// One saved search, as stored (filters named like the command-line flags).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    pub query: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub session: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crime: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub org: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub year: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", rename = "type")]
    pub doc_type: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speaker: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub country: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symbol: Vec<String>,
}

impl Watch {
    /// A saved search of `query` with `filters`.
    pub fn new(query: &str, filters: &Filters) -> Watch {
        Watch {
            query: query.to_string(),
            session: filters.sessions.clone(),
            crime: filters.crimes.clone(),
            org: filters.orgs.clone(),
            year: filters.years.clone(),
            doc_type: filters.types.clone(),
            speaker: filters.speakers.clone(),
            country: filters.countries.clone(),
            symbol: filters.symbols.clone(),
        }
    }

    pub fn filters(&self) -> Filters {
        Filters {
            sessions: self.session.clone(),
            crimes: self.crime.clone(),
            orgs: self.org.clone(),
            years: self.year.clone(),
            types: self.doc_type.clone(),
            speakers: self.speaker.clone(),
            countries: self.country.clone(),
            symbols: self.symbol.clone(),
            paths: Vec::new(),
        }
    }

    /// The search of hits `offset..offset + limit`, with the best passage.
    pub fn request(&self, limit: usize, offset: usize) -> SearchRequest {
        SearchRequest {
            query: self.query.clone(),
            filters: self.filters(),
            limit,
            offset,
            passages: 1,
            fuzzy: false,
            mode: MatchMode::Auto,
        }
    }

    /// The filters as command-line flags, for listing.
    pub fn flags(&self) -> String {
        let mut out = Vec::new();
        for (flag, values) in [
            ("--session", &self.session),
            ("--crime", &self.crime),
            ("--org", &self.org),
            ("--year", &self.year),
            ("--type", &self.doc_type),
            ("--speaker", &self.speaker),
            ("--country", &self.country),
            ("--symbol", &self.symbol),
        ] {
            for value in values {
                out.push(format!("{flag} {}", shell_quote(value)));
            }
        }
        out.join(" ")
    }

    /// A fingerprint of what the search finds (query and filters): a
    /// search edited by hand starts afresh when it changes.
    pub fn fingerprint(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
    }
}

fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c));
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

/// Whether `name` is a valid saved search name: 1 to 64 ASCII letters,
/// digits, `-` and `_`, starting with a letter or digit (a bare TOML key,
/// safe in a file name and a URL).
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= MAX_NAME_LEN
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The error for an invalid name.
pub fn check_name(name: &str) -> Result<()> {
    if valid_name(name) {
        Ok(())
    } else {
        anyhow::bail!(
            "invalid saved search name {name:?}: use 1 to {MAX_NAME_LEN} letters, digits, '-' and '_', starting with a letter or digit"
        )
    }
}

/// The saved searches of one file, by name.
#[derive(Debug, Clone, Default)]
pub struct WatchFile {
    pub path: PathBuf,
    pub watches: BTreeMap<String, Watch>,
}

impl WatchFile {
    /// Reads the file at `path`; a missing file holds no searches.
    pub fn load(path: &Path) -> Result<WatchFile> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(WatchFile {
                    path: path.to_path_buf(),
                    watches: BTreeMap::new(),
                });
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("reading saved searches {}", path.display()));
            }
        };
        let watches: BTreeMap<String, Watch> = toml::from_str(&text)
            .with_context(|| format!("saved searches {} are not valid", path.display()))?;
        for name in watches.keys() {
            check_name(name).with_context(|| format!("in {}", path.display()))?;
        }
        Ok(WatchFile {
            path: path.to_path_buf(),
            watches,
        })
    }

    /// Writes the file (atomically: a reader sees the old or the new file).
    pub fn save(&self) -> Result<()> {
        let body = toml::to_string(&self.watches).context("writing saved searches as TOML")?;
        let text = format!("{HEADER}\n{body}");
        super::write_atomic(&self.path, text.as_bytes())
            .with_context(|| format!("writing saved searches {}", self.path.display()))
    }
}

/// Where the saved searches are by default: beside the index directory,
/// named after it (`index` → `index.watches.toml`), so that rebuilding or
/// removing the index never loses them.
pub fn default_path(index: &Path) -> Result<PathBuf> {
    let named = |p: &Path| {
        p.file_name().map(|name| {
            let mut file = name.to_os_string();
            file.push(".watches.toml");
            p.with_file_name(file)
        })
    };
    if let Some(path) = named(index) {
        return Ok(path);
    }
    // `.` or `dir/..`: name it after the directory it is.
    let canonical = std::fs::canonicalize(index).ok();
    canonical.as_deref().and_then(named).ok_or_else(|| {
        anyhow::anyhow!(
            "cannot place saved searches beside the index {}; pass --watches FILE",
            index.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_simple_slugs() {
        for good in ["kfr", "fatf-crypto", "China_2024", "9"] {
            assert!(valid_name(good), "{good}");
        }
        for bad in ["", "-x", "a b", "é", "a/b", "a.b", &"x".repeat(65)] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn default_path_sits_beside_the_index() {
        assert_eq!(
            default_path(Path::new("index")).expect("path"),
            Path::new("index.watches.toml")
        );
        assert_eq!(
            default_path(Path::new("/data/ix/")).expect("path"),
            Path::new("/data/ix.watches.toml")
        );
    }

    #[test]
    fn a_watch_round_trips_through_toml() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w.toml");
        let mut file = WatchFile::load(&path).expect("missing is empty");
        assert!(file.watches.is_empty());
        let filters = Filters {
            crimes: vec!["kidnapping-for-ransom".into()],
            types: vec!["resolution".into()],
            ..Filters::default()
        };
        file.watches
            .insert("kfr".into(), Watch::new("ransom \"payments\"", &filters));
        file.save().expect("save");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("[kfr]"), "{text}");
        assert!(text.contains("type = [\"resolution\"]"), "{text}");
        let again = WatchFile::load(&path).expect("load");
        assert_eq!(again.watches["kfr"].filters(), filters);
        assert_eq!(again.watches["kfr"].query, "ransom \"payments\"");
        assert_eq!(
            again.watches["kfr"].flags(),
            "--crime kidnapping-for-ransom --type resolution"
        );
    }

    #[test]
    fn unknown_keys_and_bad_names_are_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w.toml");
        std::fs::write(&path, "[kfr]\nquery = \"x\"\ncrimes = [\"a\"]\n").expect("write");
        assert!(WatchFile::load(&path).is_err());
        std::fs::write(&path, "[\"a b\"]\nquery = \"x\"\n").expect("write");
        assert!(WatchFile::load(&path).is_err());
    }
}
