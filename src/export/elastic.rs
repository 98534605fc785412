//! Elasticsearch and OpenSearch: the index mapping of the exported
//! sessions, the README of an export directory, and the REST calls of a
//! push (create the index, delete by query on `briefing_id`, `_bulk` with
//! the session's `doc_id` as `_id`, so a re-sent session replaces itself).
//!
//! Written from the Elasticsearch 8 / OpenSearch 2 documentation; not run
//! against a real node by the tests (Quickwit is).

use anyhow::{Result, bail};
use serde_json::{Map, Value, json};

use super::{FIELDS, FieldKind};
use crate::client::{Client, HttpError, Method};

/// The index settings and mapping (the body of `PUT /INDEX`).
pub fn mapping() -> Value {
    let mut properties = Map::new();
    for field in FIELDS {
        let spec = match field.kind {
            FieldKind::Terms => json!({"type": "text", "analyzer": "whitespace"}),
            FieldKind::Keyword | FieldKind::Keywords => json!({"type": "keyword"}),
            FieldKind::Integer => json!({"type": "long"}),
            FieldKind::Date => json!({"type": "date", "format": "yyyy-MM-dd||yyyy-MM||yyyy"}),
            FieldKind::StoredText => json!({"type": "keyword", "index": false}),
            FieldKind::Passages => json!({"type": "object", "enabled": false}),
        };
        properties.insert(field.name.to_string(), spec);
    }
    // The text fields hold ctsearch's own terms: split on whitespace only.
    json!({
        "mappings": {
            "dynamic": "strict",
            "properties": properties
        }
    })
}

/// The README of an export directory.
pub fn readme(index_id: &str, mapping: &str, files: &[String]) -> String {
    let mut r = String::new();
    r.push_str("# ctsearch sessions for Elasticsearch / OpenSearch\n\n");
    r.push_str(&format!(
        "Written by `ctsearch export --to elasticsearch`: the index settings and mapping `{mapping}` and {} `_bulk` NDJSON file(s) (an `index` action with the session's stable `_id`, then the session), each under 10 MB.\n\n",
        files.len()
    ));
    r.push_str("```sh\n");
    r.push_str(&format!(
        "curl -XPUT -H 'Content-Type: application/json' --data-binary @{mapping} http://127.0.0.1:9200/{index_id}\n"
    ));
    r.push_str(
        "for f in bulk-*.ndjson; do\n  curl -XPOST -H 'Content-Type: application/x-ndjson' --data-binary @\"$f\" 'http://127.0.0.1:9200/_bulk?refresh=wait_for'\ndone\n",
    );
    r.push_str("```\n\nThe same files work with OpenSearch. Re-sending a file replaces its sessions (same `_id`s).\n");
    r
}

/// An Elasticsearch or OpenSearch node and one of its indexes.
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

    pub fn index_exists(&self) -> Result<bool, HttpError> {
        let path = format!("/{}", self.index_id);
        Ok(self
            .client
            .send(Method::Get, &path, "application/json", None)?
            .is_some())
    }

    /// Deletes the index with every session in it.
    pub fn delete_index(&self) -> Result<(), HttpError> {
        let path = format!("/{}", self.index_id);
        self.client
            .send(Method::Delete, &path, "application/json", None)?;
        Ok(())
    }

    pub fn create_index(&self) -> Result<(), HttpError> {
        let path = format!("/{}", self.index_id);
        let body = mapping().to_string();
        self.client.send(
            Method::Put,
            &path,
            "application/json",
            Some(body.as_bytes()),
        )?;
        Ok(())
    }

    /// Deletes every session of these briefings, and waits for it.
    pub fn delete_briefings(&self, briefing_ids: &[String]) -> Result<()> {
        if briefing_ids.is_empty() {
            return Ok(());
        }
        let path = format!(
            "/{}/_delete_by_query?refresh=true&conflicts=proceed",
            self.index_id
        );
        let body = json!({"query": {"terms": {"briefing_id": briefing_ids}}}).to_string();
        let reply = self.client.send(
            Method::Post,
            &path,
            "application/json",
            Some(body.as_bytes()),
        )?;
        let Some(reply) = reply else {
            bail!(
                "index {} not found on {}",
                self.index_id,
                self.client.base()
            );
        };
        let answer: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        if let Some(failure) = answer
            .get("failures")
            .and_then(Value::as_array)
            .and_then(|f| f.first())
        {
            bail!("{} could not delete: {failure}", self.client.base());
        }
        Ok(())
    }

    /// Sends `_bulk` NDJSON; returns (documents written, the first item
    /// error if any item failed).
    pub fn bulk(&self, lines: &[u8]) -> Result<(u64, Option<String>)> {
        let Some(reply) = self.client.send(
            Method::Post,
            "/_bulk?refresh=wait_for",
            "application/x-ndjson",
            Some(lines),
        )?
        else {
            bail!("{} has no _bulk endpoint", self.client.base());
        };
        let answer: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        let items = answer
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut written = 0;
        let mut first_error = None;
        for item in &items {
            let result = item.get("index").unwrap_or(item);
            if let Some(error) = result.get("error") {
                first_error.get_or_insert_with(|| error.to_string());
            } else {
                written += 1;
            }
        }
        Ok((written, first_error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mapping_has_every_field() {
        let mapping = mapping();
        let properties = mapping["mappings"]["properties"]
            .as_object()
            .expect("properties");
        assert_eq!(properties.len(), FIELDS.len());
        assert_eq!(properties["crimes"]["type"], "keyword");
        assert_eq!(properties["body"]["analyzer"], "whitespace");
    }
}
