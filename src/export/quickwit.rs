//! Quickwit: the index config of the exported sessions, the README of an
//! export directory, and the REST calls a push makes (create the index,
//! delete a briefing's sessions, ingest).
//!
//! The config is `version: 0.8`, which Quickwit 0.8 and 0.9 both read.
//! The text fields hold ctsearch's own terms (stemmed, with the stemming
//! exceptions, folded, hyphenated and page-broken words rejoined), one per
//! word position, and Quickwit splits them on whitespace: the node holds
//! the terms the local index holds, at the same positions, by
//! construction ([`super::FieldKind::Terms`]).

use anyhow::{Result, bail};
use serde_json::Value;

use super::{FIELDS, FieldKind};
use crate::client::{Client, HttpError, Method};

/// The tokenizer of the text fields: they hold ctsearch's terms already.
pub const TOKENIZER: &str = "whitespace";

/// Default `maturation_period` of the merge policy: Quickwit applies
/// delete tasks only to mature splits, so this bounds how long an old
/// version of a changed or removed briefing stays searchable.
pub const DEFAULT_MATURATION: &str = "10m";

/// Whether `id` is a valid Quickwit index id (also valid for
/// Elasticsearch once lowercased, which the CLI checks).
pub fn valid_index_id(id: &str) -> bool {
    let mut chars = id.chars();
    id.len() >= 3
        && id.len() <= 255
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Whether `period` is a duration Quickwit reads: digits and a unit
/// (`s`, `m`, `h`, `d`).
pub fn valid_period(period: &str) -> bool {
    let digits = period.trim_end_matches(['s', 'm', 'h', 'd']);
    let unit = &period[digits.len()..];
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && unit.len() == 1
}

/// The index config (YAML). `index_id` must pass [`valid_index_id`] and
/// `maturation` [`valid_period`].
pub fn index_config(index_id: &str, maturation: &str) -> String {
    let mut y = String::new();
    y.push_str("# Quickwit index config of ctsearch's session documents (ctsearch export).\n");
    y.push_str("# One document per session; facets are raw fast fields for terms aggregations.\n");
    y.push_str("version: 0.8\n");
    y.push_str(&format!("index_id: {index_id}\n"));
    y.push_str("doc_mapping:\n");
    y.push_str("  mode: strict\n");
    y.push_str("  store_source: false\n");
    y.push_str("  field_mappings:\n");
    for field in FIELDS {
        y.push_str(&format!("    - name: {}\n", field.name));
        let lines: &[&str] = match field.kind {
            // Terms are for matching; the readable text is stored apart
            // (`title_text`, `session_label`, `passages`).
            FieldKind::Terms => &[
                "type: text",
                "tokenizer: TOKENIZER",
                "record: position",
                "fieldnorms: true",
                "stored: false",
            ],
            FieldKind::Keyword => &["type: text", "tokenizer: raw", "fast: true"],
            FieldKind::Keywords => &["type: array<text>", "tokenizer: raw", "fast: true"],
            FieldKind::Integer => &["type: u64", "fast: true"],
            FieldKind::Date => &[
                "type: datetime",
                "input_formats: [\"%Y-%m-%d\", \"%Y-%m\", \"%Y\"]",
                "output_format: \"%Y-%m-%d\"",
                "fast: true",
                "fast_precision: seconds",
            ],
            FieldKind::StoredText => &["type: text", "indexed: false"],
            FieldKind::Passages => &["type: array<json>", "indexed: false"],
        };
        for line in lines {
            y.push_str("      ");
            y.push_str(&line.replace("TOKENIZER", TOKENIZER));
            y.push('\n');
        }
    }
    y.push_str("search_settings:\n");
    y.push_str("  default_search_fields: [title, session, body]\n");
    y.push_str("indexing_settings:\n");
    y.push_str("  merge_policy:\n");
    y.push_str("    type: stable_log\n");
    y.push_str(&format!("    maturation_period: {maturation}\n"));
    y
}

/// The README of an export directory.
pub fn readme(index_id: &str, config: &str, files: &[String]) -> String {
    let mut r = String::new();
    r.push_str("# ctsearch sessions for Quickwit\n\n");
    r.push_str(&format!(
        "Written by `ctsearch export --to quickwit`: the index config `{config}` and {} NDJSON file(s), one session per line, each under 10 MB (Quickwit's ingest limit).\n\n",
        files.len()
    ));
    r.push_str("Create the index, then ingest every file (Quickwit listening on 127.0.0.1:7280):\n\n```sh\n");
    r.push_str(&format!(
        "curl -XPOST -H 'Content-Type: application/yaml' --data-binary @{config} http://127.0.0.1:7280/api/v1/indexes\n"
    ));
    r.push_str(&format!(
        "for f in sessions-*.ndjson; do\n  curl -XPOST --data-binary @\"$f\" 'http://127.0.0.1:7280/api/v1/{index_id}/ingest?commit=force'\ndone\n"
    ));
    r.push_str("```\n\nor with the Quickwit CLI:\n\n```sh\n");
    r.push_str(&format!("quickwit index create --index-config {config}\n"));
    r.push_str(&format!(
        "for f in sessions-*.ndjson; do quickwit index ingest --index {index_id} --input-path \"$f\" --force; done\n"
    ));
    r.push_str("```\n\nThen, for example:\n\n```sh\n");
    r.push_str(&format!(
        "curl -G --data-urlencode 'query=body:\"arms trafficking\"' http://127.0.0.1:7280/api/v1/{index_id}/search\n"
    ));
    r.push_str("```\n\n`ctsearch export --to quickwit --url http://127.0.0.1:7280` does all this itself, and later sends only what changed.\n");
    r
}

/// The counts of an ingest answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ingested {
    pub docs: u64,
    pub rejected: u64,
}

/// A Quickwit node and one of its indexes.
pub struct Node {
    pub client: Client,
    pub index_id: String,
}

impl Node {
    pub fn new(url: &str, index_id: &str) -> Node {
        Node {
            client: Client::new(url),
            index_id: index_id.to_string(),
        }
    }

    /// Whether the index exists.
    pub fn index_exists(&self) -> Result<bool, HttpError> {
        let path = format!("/api/v1/indexes/{}", self.index_id);
        Ok(self
            .client
            .send(Method::Get, &path, "application/json", None)?
            .is_some())
    }

    /// Deletes the index with every session in it.
    pub fn delete_index(&self) -> Result<(), HttpError> {
        let path = format!("/api/v1/indexes/{}", self.index_id);
        self.client
            .send(Method::Delete, &path, "application/json", None)?;
        Ok(())
    }

    /// Creates the index from `config` (YAML).
    pub fn create_index(&self, config: &str) -> Result<(), HttpError> {
        self.client.send(
            Method::Post,
            "/api/v1/indexes",
            "application/yaml",
            Some(config.as_bytes()),
        )?;
        Ok(())
    }

    /// Adds a delete task for every session of the briefings with these
    /// ids. Quickwit applies it to the splits published before it, once
    /// they are mature; documents ingested afterwards are not touched.
    pub fn delete_briefings(&self, briefing_ids: &[String]) -> Result<()> {
        if briefing_ids.is_empty() {
            return Ok(());
        }
        let query = format!("briefing_id:IN [{}]", briefing_ids.join(" "));
        let body = serde_json::json!({ "query": query });
        let path = format!("/api/v1/{}/delete-tasks", self.index_id);
        let reply = self.client.send(
            Method::Post,
            &path,
            "application/json",
            Some(body.to_string().as_bytes()),
        )?;
        if reply.is_none() {
            bail!(
                "index {} not found on {}",
                self.index_id,
                self.client.base()
            );
        }
        Ok(())
    }

    /// Ingests NDJSON `lines`; `force` commits at once (the answer comes
    /// when the documents are searchable), else Quickwit commits within
    /// its commit timeout. Rejected documents are counted, not an error
    /// here; the caller decides.
    pub fn ingest(&self, lines: &[u8], force: bool) -> Result<(Ingested, Option<String>)> {
        let commit = if force { "force" } else { "auto" };
        let path = format!(
            "/api/v1/{}/ingest?commit={commit}&detailed_response=true",
            self.index_id
        );
        let Some(reply) =
            self.client
                .send(Method::Post, &path, "application/x-ndjson", Some(lines))?
        else {
            bail!(
                "index {} not found on {}",
                self.index_id,
                self.client.base()
            );
        };
        let answer: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        let count = |key: &str| answer.get(key).and_then(Value::as_u64);
        // Quickwit 0.8 answers only `num_docs_for_processing`.
        let docs = count("num_ingested_docs")
            .or_else(|| count("num_docs_for_processing"))
            .unwrap_or(0);
        let rejected = count("num_rejected_docs").unwrap_or(0);
        let first_failure = answer
            .pointer("/parse_failures/0/message")
            .and_then(Value::as_str)
            .map(str::to_string);
        Ok((Ingested { docs, rejected }, first_failure))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_ids_and_periods_are_checked() {
        assert!(valid_index_id("ctsearch"));
        assert!(valid_index_id("ct-search_2.x"));
        assert!(!valid_index_id("ct"));
        assert!(!valid_index_id("1ctsearch"));
        assert!(!valid_index_id("ct search"));
        assert!(valid_period("10m") && valid_period("48h") && valid_period("1s"));
        assert!(!valid_period("m") && !valid_period("10") && !valid_period("10 m"));
    }

    #[test]
    fn the_config_declares_every_field_once() {
        let config = index_config("ctsearch", "10m");
        for field in FIELDS {
            assert_eq!(
                config.matches(&format!("- name: {}\n", field.name)).count(),
                1,
                "{}",
                field.name
            );
        }
        assert!(config.contains("maturation_period: 10m"));
    }
}
