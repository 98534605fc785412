//! A real Quickwit node for the tests that need one (`QUICKWIT_BIN`
//! names its binary), on free ports with its own data directory.

use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

/// A Quickwit node started for a test, stopped (by its PID) when dropped,
/// whatever the test's outcome.
pub struct QuickwitNode {
    child: Child,
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Drop for QuickwitNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free on 127.0.0.1 whose next port is free too (Quickwit's gRPC).
fn free_port_pair() -> u16 {
    for _ in 0..50 {
        let first = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = first.local_addr().expect("addr").port();
        if port < u16::MAX && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
    panic!("no free port pair");
}

pub fn start_quickwit(bin: &str) -> QuickwitNode {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let port = free_port_pair();
    let config = dir.path().join("node.yaml");
    std::fs::write(
        &config,
        format!(
            "version: 0.8\nnode_id: test-node\ncluster_id: test-cluster\nlisten_address: 127.0.0.1\n\
             advertise_address: 127.0.0.1\nrest:\n  listen_port: {port}\ndata_dir: {}\n",
            data.display()
        ),
    )
    .expect("node config");
    let log = std::fs::File::create(dir.path().join("quickwit.log")).expect("log");
    let child = Process::new(bin)
        .args(["run", "--config"])
        .arg(&config)
        .env("QW_DISABLE_TELEMETRY", "1")
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("starts quickwit");
    let node = QuickwitNode {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let ready = ureq::get(format!("{}/health/readyz", node.url))
            .call()
            .is_ok_and(|r| r.status() == 200);
        if ready {
            return node;
        }
        assert!(Instant::now() < deadline, "quickwit did not come up");
        std::thread::sleep(Duration::from_millis(200));
    }
}
