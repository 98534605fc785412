//! The HTTP/1.1 the server speaks, and no more: one GET or HEAD request per
//! connection, read with limits on its head, answered with a complete body
//! and `Connection: close`. A read-only server takes no request body, so
//! none is read.

use std::io::{Read, Write};

/// Largest request head (request line and headers) read, bytes.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most headers a request may have.
const MAX_HEADERS: usize = 64;

/// A parsed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET` or `HEAD`.
    pub method: String,
    /// The percent-decoded path, without the query string.
    pub path: String,
    /// The query string's parameters, decoded, in order.
    pub params: Vec<(String, String)>,
    /// Headers with lower-cased names.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first header named `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of parameter `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.params
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The first value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A complete response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Headers besides the ones every response has.
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            content_type,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// A JSON response of `value`.
    pub fn json(status: u16, value: &impl serde::Serialize) -> Response {
        match serde_json::to_vec(value) {
            Ok(mut body) => {
                body.push(b'\n');
                Response::new(status, "application/json", body)
            }
            Err(_) => Response::error(500, "could not encode the answer", None),
        }
    }

    /// A JSON error `{"error": message, "column": N}` (column only when
    /// given: for query errors).
    pub fn error(status: u16, message: &str, column: Option<usize>) -> Response {
        let value = match column {
            Some(column) => serde_json::json!({ "error": message, "column": column }),
            None => serde_json::json!({ "error": message }),
        };
        let mut body = value.to_string().into_bytes();
        body.push(b'\n');
        Response::new(status, "application/json", body)
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// Why a request could not be read: an answer to send, or nothing to
/// answer (the client went away or sent nothing in time).
#[derive(Debug)]
pub enum ReadError {
    Answer(Response),
    Gone,
}

/// Reads one request head from `stream`. Answers 431 for a head over
/// [`MAX_HEAD`], 400 for one that is not HTTP, 405 for a method other than
/// GET or HEAD and 413 for a request with a body.
pub fn read_request(stream: &mut impl Read) -> Result<Request, ReadError> {
    let mut buf = vec![0u8; MAX_HEAD];
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            return Err(ReadError::Answer(Response::error(
                431,
                "request head too large",
                None,
            )));
        }
        let n = match stream.read(&mut buf[filled..]) {
            Ok(0) | Err(_) => return Err(ReadError::Gone),
            Ok(n) => n,
        };
        filled += n;
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buf[..filled]) {
            Ok(httparse::Status::Partial) => continue,
            Ok(httparse::Status::Complete(_)) => return request_of(&parsed),
            Err(httparse::Error::TooManyHeaders) => {
                return Err(ReadError::Answer(Response::error(
                    431,
                    "too many request headers",
                    None,
                )));
            }
            Err(_) => {
                return Err(ReadError::Answer(Response::error(
                    400,
                    "malformed HTTP request",
                    None,
                )));
            }
        }
    }
}

fn request_of(parsed: &httparse::Request) -> Result<Request, ReadError> {
    let bad =
        |status: u16, message: &str| ReadError::Answer(Response::error(status, message, None));
    let method = parsed.method.unwrap_or_default().to_string();
    if method != "GET" && method != "HEAD" {
        return Err(ReadError::Answer(
            Response::error(405, "read-only: only GET and HEAD are allowed", None)
                .with_header("Allow", "GET, HEAD"),
        ));
    }
    let mut headers = Vec::with_capacity(parsed.headers.len());
    for header in parsed.headers.iter() {
        let value = std::str::from_utf8(header.value)
            .map_err(|_| bad(400, "a header is not UTF-8"))?
            .trim()
            .to_string();
        headers.push((header.name.to_ascii_lowercase(), value));
    }
    let has_body = headers.iter().any(|(name, value)| {
        (name == "content-length" && value != "0") || name == "transfer-encoding"
    });
    if has_body {
        return Err(bad(413, "a read-only server takes no request body"));
    }
    let target = parsed.path.unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path =
        percent_decode(path, false).ok_or_else(|| bad(400, "the path is not valid UTF-8"))?;
    let params = parse_query(query).ok_or_else(|| bad(400, "a parameter is not valid UTF-8"))?;
    Ok(Request {
        method,
        path,
        params,
        headers,
    })
}

/// The parameters of a query string (`a=1&b=x+y`), decoded; `None` when
/// one is not UTF-8.
pub fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(name, true)?, percent_decode(value, true)?))
        })
        .collect()
}

/// Decodes `%XX` escapes (and `+` as a space in a query string); `None`
/// when the result is not UTF-8. A `%` not followed by two hex digits
/// stands for itself.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(if plus_is_space && b == b'+' { b' ' } else { b });
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Encodes a query-string component: everything but unreserved characters
/// is `%XX`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

/// Writes `response`, its body left out for a HEAD request. Every
/// response says not to sniff, frame, cache or refer, and carries a
/// content security policy that lets a page load only its own style
/// sheet: no script runs, whatever a document contains. No CORS header is
/// ever sent, so other origins' pages cannot read the answers.
pub fn write_response(
    stream: &mut impl Write,
    response: &Response,
    head: bool,
) -> std::io::Result<()> {
    let mut out = Vec::with_capacity(response.body.len() + 512);
    write!(
        out,
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\
         X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n\
         Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    )?;
    let mut cached = false;
    for (name, value) in &response.headers {
        cached |= name.eq_ignore_ascii_case("cache-control");
        // Header values are the server's own; newlines would split them.
        let value = value.replace(['\r', '\n'], " ");
        write!(out, "{name}: {value}\r\n")?;
    }
    if !cached {
        out.extend_from_slice(b"Cache-Control: no-store\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if !head {
        out.extend_from_slice(&response.body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> Result<Request, ReadError> {
        read_request(&mut raw.as_bytes())
    }

    fn status(raw: &str) -> u16 {
        match read(raw) {
            Err(ReadError::Answer(r)) => r.status,
            Err(ReadError::Gone) => 0,
            Ok(_) => 200,
        }
    }

    #[test]
    fn parses_path_and_repeated_parameters() {
        let request = read(
            "GET /api/search?q=arms+trafficking&crime=a&crime=b%2Dc HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .expect("parses");
        assert_eq!(request.path, "/api/search");
        assert_eq!(request.param("q"), Some("arms trafficking"));
        assert_eq!(request.all("crime"), ["a", "b-c"]);
        assert_eq!(request.header("host"), Some("x"));
    }

    #[test]
    fn refuses_writes_bodies_and_oversized_heads() {
        assert_eq!(status("POST / HTTP/1.1\r\nHost: x\r\n\r\n"), 405);
        assert_eq!(status("DELETE / HTTP/1.1\r\n\r\n"), 405);
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"),
            413
        );
        let huge = format!("GET /?q={} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(status(&huge), 431);
        assert_eq!(status("\x00\x01 garbage\r\n\r\n"), 400);
        assert_eq!(status("GET / HTTP/1.1\r\n"), 0);
    }

    #[test]
    fn percent_coding_round_trips_and_tolerates_stray_percent() {
        let text = "arms & \"drugs\" 100% <é>";
        assert_eq!(
            percent_decode(&percent_encode(text), true).as_deref(),
            Some(text)
        );
        assert_eq!(percent_decode("50%", true).as_deref(), Some("50%"));
        assert_eq!(percent_decode("%zz", true).as_deref(), Some("%zz"));
        assert_eq!(percent_decode("%ff", true), None);
    }

    #[test]
    fn responses_carry_no_cors_and_a_strict_policy() {
        let mut out = Vec::new();
        write_response(&mut out, &Response::error(404, "nope", None), false).expect("write");
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(!text.to_ascii_lowercase().contains("access-control"));
        assert!(text.contains("default-src 'none'"));
        assert!(text.ends_with("{\"error\":\"nope\"}\n"));
    }
}
