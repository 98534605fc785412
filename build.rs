//! Links the `ctsearch` binary as a position-dependent executable on Linux.
//!
//! Why: a search is one short process, and a position-independent binary
//! spends a third of its start-up applying relocations to the pages of its
//! vtables and constant tables (about 300 page faults and 0.6 ms on the
//! benchmark machine, measured with `perf stat ctsearch --version`). Linked
//! at a fixed address, those pages are mapped as they are. Only the binary
//! is affected: libraries, proc-macros and tests link as usual.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo::rustc-link-arg-bin=ctsearch=-no-pie");
    }
}
