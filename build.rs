//! Build steps of the `ctsearch` binary and library.
//!
//! 1. Links the binary as a position-dependent executable on Linux. Why: a
//!    search is one short process, and a position-independent binary
//!    spends a third of its start-up applying relocations to the pages of
//!    its vtables and constant tables (about 300 page faults and 0.6 ms on
//!    the benchmark machine, measured with `perf stat ctsearch --version`).
//!    Linked at a fixed address, those pages are mapped as they are. Only
//!    the binary is affected: libraries, proc-macros and tests link as
//!    usual. Not for a static build (`-C target-feature=+crt-static`):
//!    `-no-pie` on top of it gave a binary that crashed at start; such a
//!    build takes `-C relocation-model=static` instead.
//! 2. Reads the built-in taxonomy (`data/taxonomy.toml`) once, here, into
//!    Rust statics (`$OUT_DIR/builtin_taxonomy.rs`). Why: every command
//!    needs the taxonomy, and parsing 16 KB of TOML took a quarter of a
//!    millisecond of each search. A `--taxonomy FILE` is still parsed at
//!    run time, by the same rules; a unit test checks that both readings
//!    of the built-in file agree.
//! 3. Reads the built-in synonym list (`data/synonyms.txt`) the same way,
//!    into `$OUT_DIR/builtin_synonyms.rs`: its groups, and the first letters
//!    of their words by which a query finds them. Why: reading the list
//!    cost 0.37 M instructions, 2 % of a search. A `--synonyms FILE` is
//!    read at run time; a unit test checks that both readings agree.
//! 4. Hands the linker `bench/hot-symbols.txt`, the functions a search runs
//!    (listed by `bench/hot-symbols.sh`), to place them together at the
//!    start of the binary's code. Why: spread over 7.7 MB, they touched
//!    nearly every 64 KB window of it, and each window costs a page fault
//!    and its mapping (16 pages) costs again at exit; together they fill
//!    about 1 MB. Measured on the 20k benchmark: 404 -> 353 page faults per
//!    search, 3-5 % off every query. Only with rustc's own linker (rust-lld,
//!    the default for x86_64 Linux since Rust 1.90), which takes the file;
//!    names it does not find are skipped, so a stale list costs speed only.
//!    `CTSEARCH_NO_SYMBOL_ORDER=1` turns it off.
use std::fmt::Write as _;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=data/taxonomy.toml");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let features = std::env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    let static_crt = features.split(',').any(|f| f == "crt-static");
    if os == "linux" && env == "gnu" && !static_crt {
        println!("cargo::rustc-link-arg-bin=ctsearch=-no-pie");
    }
    println!("cargo::rerun-if-changed=bench/hot-symbols.txt");
    println!("cargo::rerun-if-env-changed=CTSEARCH_NO_SYMBOL_ORDER");
    if let Some(file) = symbol_ordering_file() {
        println!("cargo::rustc-link-arg-bin=ctsearch=-Wl,--symbol-ordering-file={file}");
        println!("cargo::rustc-link-arg-bin=ctsearch=-Wl,--no-warn-symbol-ordering");
    }
    println!("cargo::rerun-if-changed=data/synonyms.txt");
    if let Err(message) = builtin_synonyms() {
        eprintln!("data/synonyms.txt: {message}");
        std::process::exit(1);
    }
    if let Err(message) = builtin_taxonomy() {
        // A broken built-in taxonomy is a bug of this repository: fail the
        // build with the reason rather than ship it.
        eprintln!("data/taxonomy.toml: {message}");
        std::process::exit(1);
    }
}

/// The path of `bench/hot-symbols.txt` if the binary is linked by rustc's
/// own rust-lld: the x86_64 Linux target of Rust 1.90 and later, with no
/// linker configured instead (GNU ld and gold reject the option).
fn symbol_ordering_file() -> Option<String> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("TARGET") != "x86_64-unknown-linux-gnu" || !var("CTSEARCH_NO_SYMBOL_ORDER").is_empty() {
        return None;
    }
    // Cargo tells build scripts of a configured linker; flags can pick one too.
    let flags = var("CARGO_ENCODED_RUSTFLAGS");
    if std::env::var_os("RUSTC_LINKER").is_some()
        || ["linker", "fuse-ld", "link-self-contained"]
            .iter()
            .any(|f| flags.contains(f))
    {
        return None;
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = std::process::Command::new(rustc).arg("-V").output().ok()?;
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let version = String::from_utf8(version.stdout).ok()?;
    let mut numbers = version.split_whitespace().nth(1)?.split('.');
    let major: u32 = numbers.next()?.parse().ok()?;
    let minor: u32 = numbers.next()?.parse().ok()?;
    if (major, minor) < (1, 90) {
        return None;
    }
    let path = std::path::Path::new(&var("CARGO_MANIFEST_DIR")).join("bench/hot-symbols.txt");
    let file = path.to_str()?.to_owned();
    // `-Wl,` splits its argument at commas.
    (path.is_file() && !file.contains(',')).then_some(file)
}

/// Writes the `[crime.*]` and `[org.*]` tables of `data/taxonomy.toml` as
/// `BUILTIN_CRIMES` and `BUILTIN_ORGS`: (key, label, phrases or names),
/// sorted by key as `Taxonomy::parse` reads them. Checking the phrases is
/// left to the library, which does it for both readings.
fn builtin_taxonomy() -> Result<(), String> {
    let text = std::fs::read_to_string("data/taxonomy.toml").map_err(|e| e.to_string())?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut out = String::from("// Generated by build.rs from data/taxonomy.toml.\n");
    for (section, list, name) in [
        ("crime", "phrases", "BUILTIN_CRIMES"),
        ("org", "names", "BUILTIN_ORGS"),
    ] {
        let mut entries: Vec<(&String, &toml::Value)> = match table.get(section) {
            Some(toml::Value::Table(t)) => t.iter().collect(),
            Some(_) => return Err(format!("[{section}] is not a table")),
            None => Vec::new(),
        };
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let _ = writeln!(
            out,
            "pub(crate) static {name}: &[(&str, Option<&str>, &[&str])] = &["
        );
        for (key, value) in entries {
            let label = match value.get("label") {
                None => None,
                Some(toml::Value::String(s)) => Some(s.as_str()),
                Some(_) => return Err(format!("{section}.{key}.label is not a string")),
            };
            let items: Vec<&str> = match value.get(list) {
                Some(toml::Value::Array(items)) => items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .ok_or_else(|| format!("{section}.{key}.{list} has a non-string"))
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err(format!("{section}.{key} has no {list} array")),
            };
            let _ = writeln!(out, "    ({key:?}, {label:?}, &{items:?}),");
        }
        out.push_str("];\n");
    }
    let path = std::path::Path::new(&std::env::var("OUT_DIR").map_err(|e| e.to_string())?)
        .join("builtin_taxonomy.rs");
    std::fs::write(&path, out).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Writes the groups of `data/synonyms.txt` as `BUILTIN_GROUPS`: each
/// group's expressions, the lowercased first bytes of their ASCII words
/// (sorted, distinct), and whether a word is not ASCII, exactly as
/// `Synonyms::add` reads a list at run time (a `#` starts a comment,
/// expressions are separated by commas, a group needs two, and words are
/// runs of alphanumeric characters shorter than 64 bytes).
fn builtin_synonyms() -> Result<(), String> {
    let text = std::fs::read_to_string("data/synonyms.txt").map_err(|e| e.to_string())?;
    let mut out = String::from(
        "// Generated by build.rs from data/synonyms.txt.\n\
         pub(crate) static BUILTIN_GROUPS: &[Entry] = &[\n",
    );
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let group: Vec<&str> = line
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        if group.len() < 2 {
            continue;
        }
        let mut initials: Vec<u8> = Vec::new();
        let mut non_ascii = false;
        let words = group
            .iter()
            .flat_map(|e| e.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty() && w.len() < 64);
        for word in words {
            match word.as_bytes().first() {
                Some(initial) if word.is_ascii() => initials.push(initial.to_ascii_lowercase()),
                _ => non_ascii = true,
            }
        }
        initials.sort_unstable();
        initials.dedup();
        let expressions: Vec<String> = group
            .iter()
            .map(|e| format!("Cow::Borrowed({e:?})"))
            .collect();
        let initials = String::from_utf8(initials).map_err(|e| e.to_string())?;
        let _ = writeln!(
            out,
            "    (&[{}], b{initials:?}, {non_ascii}),",
            expressions.join(", ")
        );
    }
    out.push_str("];\n");
    let path = std::path::Path::new(&std::env::var("OUT_DIR").map_err(|e| e.to_string())?)
        .join("builtin_synonyms.rs");
    std::fs::write(&path, out).map_err(|e| format!("writing {}: {e}", path.display()))
}
