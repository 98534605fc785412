//! Phase timings on standard error, for finding where a command's time
//! goes: `CTSEARCH_TRACE=1 ctsearch search …` prints the time since start
//! at each mark. Off by default, and then a mark costs one atomic load.

use std::sync::OnceLock;
use std::time::Instant;

struct Trace {
    enabled: bool,
    start: Instant,
}

fn trace() -> &'static Trace {
    static TRACE: OnceLock<Trace> = OnceLock::new();
    TRACE.get_or_init(|| Trace {
        enabled: std::env::var_os("CTSEARCH_TRACE").is_some_and(|v| !v.is_empty() && v != "0"),
        start: Instant::now(),
    })
}

/// Starts the clock (call first thing in `main`).
pub fn start() {
    trace();
}

/// Prints `label` with the milliseconds since `start`, when tracing.
pub fn mark(label: &str) {
    let t = trace();
    if t.enabled {
        eprintln!(
            "[trace {:8.3} ms] {label}",
            t.start.elapsed().as_secs_f64() * 1000.0
        );
    }
}
