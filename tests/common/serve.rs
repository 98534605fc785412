//! A running `ctsearch serve` on 127.0.0.1 port 0 for the server and page
//! tests, and plain HTTP/1.1 requests to it over a socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use super::Corpus;

/// A running `ctsearch serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Server {
    /// Starts `ctsearch serve --addr 127.0.0.1:0` on `corpus` and waits
    /// (with a deadline) for the URL it prints.
    pub fn start(corpus: &Corpus, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ctsearch"))
            .arg("serve")
            .arg("--addr")
            .arg("127.0.0.1:0")
            .arg("--corpus")
            .arg(corpus.corpus())
            .arg("--index")
            .arg(corpus.index())
            .arg("--quiet")
            .args(extra)
            .env_remove("CTSEARCH_API_KEY")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("ctsearch: serving http://") {
                    let _ = tx.send(url.trim_end_matches('/').to_string());
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the server prints its URL");
        Server { child, addr }
    }

    /// The URL of `target` on this server.
    pub fn url(&self, target: &str) -> String {
        format!("http://{}{target}", self.addr)
    }

    pub fn get(&self, target: &str) -> Reply {
        self.request("GET", target, &[])
    }

    pub fn json(&self, target: &str) -> Value {
        let reply = self.get(target);
        assert_eq!(reply.status, 200, "{target}: {}", reply.body);
        serde_json::from_str(&reply.body).expect("JSON")
    }

    /// A request with the right Host and `headers` (which may replace it).
    pub fn request(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
        let mut head = format!("{method} {target} HTTP/1.1\r\n");
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.addr));
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("Connection: close\r\n\r\n");
        raw(&self.addr, head.as_bytes())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Reply {
    pub status: u16,
    /// Header lines, lower-cased.
    pub headers: Vec<String>,
    pub body: String,
}

pub fn raw(addr: &str, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    stream.write_all(request).expect("sends");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("reads");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        headers: lines.map(str::to_ascii_lowercase).collect(),
        body: body.to_string(),
    }
}
