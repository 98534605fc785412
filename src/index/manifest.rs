//! The commit payload and the manifest: what each indexed briefing
//! looked like, so that an update reads only what changed.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::corpus::Stamp;

use super::IndexError;

/// The commit payload: what a reader needs to know about the index
/// without reading the (larger) manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub format: u32,
    /// Fingerprint of the analysis chain and taxonomy the index was built with.
    pub config: String,
    /// [`PARSER_ID`](super::schema::PARSER_ID) of the ctsearch that read
    /// the documents (empty for indexes older than the field).
    #[serde(default)]
    pub parser: String,
    /// File name of the manifest, inside the generation directory.
    pub manifest: String,
    /// Corpus directories and their modification times at indexing time.
    pub dirs: BTreeMap<String, i128>,
    /// Canonical corpus path the index was built from.
    pub corpus: String,
    pub briefings: u64,
    pub sessions: u64,
    pub passages: u64,
    /// Unix time of the commit, seconds.
    pub updated: u64,
    /// The number the next briefing indexed gets (`Fields::briefing`).
    #[serde(default)]
    pub next_briefing: u64,
}

/// What a briefing looked like when it was indexed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub stamp: Stamp,
    /// xxh3 of the file's bytes and its sidecar's.
    pub hash: String,
    pub sessions: u64,
    pub passages: u64,
}

/// Every indexed briefing, by corpus-relative path.
pub type Manifest = BTreeMap<String, ManifestEntry>;

/// The ctsearch payload of a generation's last commit.
pub(super) fn read_payload(dir: &Path) -> std::result::Result<Payload, String> {
    #[derive(Deserialize)]
    struct Meta {
        payload: Option<String>,
    }
    let meta = std::fs::read(dir.join("meta.json")).map_err(|e| e.to_string())?;
    let meta: Meta = serde_json::from_slice(&meta)
        .map_err(|e| format!("meta.json is not readable JSON: {e}"))?;
    let payload = meta
        .payload
        .ok_or_else(|| "no ctsearch payload in meta.json".to_string())?;
    serde_json::from_str(&payload)
        .map_err(|e| format!("the ctsearch payload in meta.json is unreadable: {e}"))
}

/// The manifest of the generation in `dir` whose payload is `payload`.
pub(super) fn read_manifest(dir: &Path, payload: &Payload) -> Result<Manifest> {
    let path = dir.join(&payload.manifest);
    let text = std::fs::read_to_string(&path).map_err(|e| IndexError::Corrupt {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    Ok(
        serde_json::from_str(&text).map_err(|e| IndexError::Corrupt {
            path,
            reason: e.to_string(),
        })?,
    )
}

pub(super) fn next_manifest_seq(current: &str) -> u64 {
    current
        .strip_prefix("manifest-")
        .and_then(|s| s.strip_suffix(".json"))
        .and_then(|s| s.parse::<u64>().ok())
        .map_or(1, |n| n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_payload_says_why() {
        let dir = tempfile::tempdir().expect("tempdir");
        let meta = dir.path().join("meta.json");
        std::fs::write(&meta, "{not json").expect("write");
        let reason = read_payload(dir.path()).expect_err("not JSON");
        assert!(
            reason.contains("meta.json is not readable JSON"),
            "{reason}"
        );
        std::fs::write(&meta, r#"{"payload": "{broken"}"#).expect("write");
        let reason = read_payload(dir.path()).expect_err("bad payload");
        assert!(
            reason.contains("the ctsearch payload in meta.json is unreadable"),
            "{reason}"
        );
        std::fs::write(&meta, r#"{"segments": []}"#).expect("write");
        assert_eq!(
            read_payload(dir.path()).expect_err("none"),
            "no ctsearch payload in meta.json"
        );
    }
}
