//! A small blocking HTTP client for the remote nodes (the export's
//! targets, the Quickwit backend of searches): plain requests
//! with a body, retried with backoff while the node is unreachable or
//! says it is busy, and errors that name the node.

use std::time::Duration;

use anyhow::Result;

/// Attempts of one request before giving up, and the first pause between
/// them (doubled after each).
const ATTEMPTS: u32 = 5;
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

/// Largest response read (a search answer with its aggregations).
const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// What went wrong talking to a node; a caller tells them apart to word
/// the error (exit status 2 either way).
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("cannot reach {url} ({reason})")]
    Unreachable { url: String, reason: String },
    /// Connected, but the answer did not come in time.
    #[error("{url} took the request but did not answer within {seconds} s")]
    Silent { url: String, seconds: u64 },
    #[error("{url} answered {status}: {message}")]
    Status {
        url: String,
        status: u16,
        message: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

/// A node's base URL and an agent.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    /// Whether to retry with backoff (off for a quick probe).
    pub retries: bool,
    /// The time a whole request may take.
    global: Duration,
}

/// A response with a success status.
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Client {
    /// A client of the node at `base` (`http://host:port`, a trailing `/`
    /// is dropped), for a push: it retries, and waits minutes.
    pub fn new(base: &str) -> Client {
        Client::with(
            base,
            Duration::from_secs(10),
            Duration::from_secs(300),
            true,
        )
    }

    /// A client for searches, which someone waits for: one attempt, a
    /// connect timeout of 3 s and 30 s for the whole request.
    pub fn interactive(base: &str) -> Client {
        Client::with(base, Duration::from_secs(3), Duration::from_secs(30), false)
    }

    fn with(base: &str, connect: Duration, global: Duration, retries: bool) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(connect))
            .timeout_global(Some(global))
            .build();
        Client {
            agent: ureq::Agent::new_with_config(config),
            base: base.trim_end_matches('/').to_string(),
            retries,
            global,
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sends a request to `path` (starting with `/`). Statuses 2xx are a
    /// [`Reply`]; 404 is `Ok(None)`; other statuses and transport failures
    /// are [`HttpError`]s, after retries for the transient ones
    /// (unreachable, 429, 502, 503, 504).
    pub fn send(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Option<&[u8]>,
    ) -> Result<Option<Reply>, HttpError> {
        let url = format!("{}{path}", self.base);
        let mut pause = FIRST_BACKOFF;
        let attempts = if self.retries { ATTEMPTS } else { 1 };
        let mut attempt = 1;
        loop {
            let outcome = self.once(method, &url, content_type, body);
            let transient = match &outcome {
                Err(HttpError::Unreachable { .. } | HttpError::Silent { .. }) => true,
                Err(HttpError::Status { status, .. }) => matches!(status, 429 | 502 | 503 | 504),
                Ok(_) => false,
            };
            if !transient || attempt >= attempts {
                return outcome;
            }
            // Why sleep: the node is starting, restarting or shedding
            // load; asking again at once would only add to it.
            std::thread::sleep(pause);
            pause *= 2;
            attempt += 1;
        }
    }

    fn once(
        &self,
        method: Method,
        url: &str,
        content_type: &str,
        body: Option<&[u8]>,
    ) -> Result<Option<Reply>, HttpError> {
        let result = match (method, body) {
            (Method::Get, _) => self.agent.get(url).call(),
            (Method::Delete, _) => self.agent.delete(url).call(),
            (Method::Post, body) => self
                .agent
                .post(url)
                .header("Content-Type", content_type)
                .send(body.unwrap_or_default()),
            (Method::Put, body) => self
                .agent
                .put(url)
                .header("Content-Type", content_type)
                .send(body.unwrap_or_default()),
        };
        // A timeout after connecting is a node that took the request and
        // is silent; anything else is a node that cannot be reached.
        let failed = |err: ureq::Error, doing: &str| match err {
            ureq::Error::Timeout(t)
                if t != ureq::Timeout::Connect && t != ureq::Timeout::Resolve =>
            {
                HttpError::Silent {
                    url: url.to_string(),
                    seconds: self.global.as_secs(),
                }
            }
            err => HttpError::Unreachable {
                url: url.to_string(),
                reason: format!("{doing}{err}"),
            },
        };
        let mut response = result.map_err(|err| failed(err, ""))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
            .map_err(|err| failed(err, "reading the answer: "))?;
        match status {
            200..=299 => Ok(Some(Reply { status, body: text })),
            404 => Ok(None),
            _ => Err(HttpError::Status {
                url: url.to_string(),
                status,
                message: error_message(&text),
            }),
        }
    }
}

/// The message of an error answer: its JSON `message` or `error.reason`
/// field when it has one, else its first line, cut short.
fn error_message(body: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let from_json = parsed.as_ref().and_then(|v| {
        v.get("message")
            .and_then(|m| m.as_str())
            .map(str::to_string)
            .or_else(|| {
                v.pointer("/error/reason")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            })
    });
    let text = from_json.unwrap_or_else(|| body.lines().next().unwrap_or("").to_string());
    let text: String = text.chars().filter(|c| !c.is_control()).take(500).collect();
    if text.is_empty() {
        "(no message)".into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_come_from_the_json_when_there_is_one() {
        assert_eq!(
            error_message(r#"{"message":"index `x` not found"}"#),
            "index `x` not found"
        );
        assert_eq!(
            error_message(r#"{"error":{"reason":"mapper_parsing_exception"}}"#),
            "mapper_parsing_exception"
        );
        assert_eq!(error_message("plain\nmore"), "plain");
        assert_eq!(error_message(""), "(no message)");
    }

    #[test]
    fn an_unreachable_node_is_an_error_naming_it() {
        // Port 9 (discard) on loopback: nothing listens there in tests.
        let mut client = Client::new("http://127.0.0.1:9/");
        client.retries = false;
        let err = client
            .send(Method::Get, "/health", "application/json", None)
            .err();
        assert!(
            matches!(&err, Some(HttpError::Unreachable { url, .. }) if url == "http://127.0.0.1:9/health"),
            "{err:?}"
        );
    }
}
