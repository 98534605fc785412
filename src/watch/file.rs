//! The saved searches file: a human-editable TOML file with one table per
//! saved search, named by the table (`[kfr]`), holding the query and the
//! filters as `ctsearch search` takes them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::search::{Facet, Filters, MatchMode, SearchRequest};

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

/// One saved search, as stored: the query, then the filters under their
/// facets' names, as lists (`crime = ["kidnapping-for-ransom"]`), empty
/// ones left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watch {
    pub query: String,
    /// Without paths: a saved search filters on facets only.
    filters: Filters,
}

/// The keys of a saved search's table.
const KEYS: [&str; 1 + Facet::ALL.len()] = {
    let mut keys = ["query"; 1 + Facet::ALL.len()];
    let mut i = 0;
    while i < Facet::ALL.len() {
        keys[i + 1] = Facet::ALL[i].name();
        i += 1;
    }
    keys
};

impl Serialize for Watch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let filtered: Vec<(Facet, &[String])> = self
            .filters
            .iter()
            .filter(|(_, values)| !values.is_empty())
            .collect();
        let mut map = serializer.serialize_map(Some(1 + filtered.len()))?;
        map.serialize_entry("query", &self.query)?;
        for (facet, values) in filtered {
            map.serialize_entry(facet.name(), values)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Watch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Watch, D::Error> {
        deserializer.deserialize_map(WatchVisitor)
    }
}

struct WatchVisitor;

impl<'de> Visitor<'de> for WatchVisitor {
    type Value = Watch;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a saved search: its query and filters")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Watch, A::Error> {
        let mut query = None;
        let mut filters = Filters::default();
        let mut seen = [false; KEYS.len()];
        while let Some(key) = map.next_key::<Key>()? {
            let at = match key {
                Key::Query => 0,
                Key::Facet(facet) => 1 + facet.index(),
            };
            if std::mem::replace(&mut seen[at], true) {
                return Err(de::Error::duplicate_field(KEYS[at]));
            }
            match key {
                Key::Query => query = Some(map.next_value()?),
                Key::Facet(facet) => filters[facet] = map.next_value()?,
            }
        }
        let query = query.ok_or_else(|| de::Error::missing_field("query"))?;
        Ok(Watch { query, filters })
    }
}

/// A key of a saved search's table, read as a field name so that an
/// unknown one is an error at the key.
enum Key {
    Query,
    Facet(Facet),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a saved search's key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        if key == "query" {
            return Ok(Key::Query);
        }
        Facet::from_name(key)
            .map(Key::Facet)
            .ok_or_else(|| E::unknown_field(key, &KEYS))
    }
}

impl Watch {
    /// A saved search of `query` with `filters`.
    pub fn new(query: &str, filters: &Filters) -> Watch {
        let mut filters = filters.clone();
        filters.paths.clear();
        Watch {
            query: query.to_string(),
            filters,
        }
    }

    pub fn filters(&self) -> Filters {
        self.filters.clone()
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
        for (facet, values) in self.filters.iter() {
            for value in values {
                out.push(format!("--{facet} {}", shell_quote(value)));
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
        let filters = Filters::default()
            .with(Facet::Crime, ["kidnapping-for-ransom"])
            .with(Facet::Type, ["resolution"]);
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
