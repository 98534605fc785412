//! Runs the citator's extraction over files and prints what each cites.
//!
//! ```sh
//! cargo run --release --example cite-extract -- FILE…
//! ```
//!
//! Each file is decoded as UTF-8, or else as Windows-1252; its own symbol
//! comes from its name (`S-RES-1373(2001).txt` → `S/RES/1373 (2001)`,
//! `2020-s-pv-8716.txt` → `S/PV.8716`); every non-empty line is a passage.
//! Output: one TSV line per reference,
//! `file<TAB>target<TAB>kind<TAB>paragraph<TAB>warning`.

use std::io::Write;
use std::path::Path;

use ctsearch::citation::extract;

fn main() -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for arg in std::env::args().skip(1) {
        let path = Path::new(&arg);
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("cite-extract: {arg}: {e}");
                continue;
            }
        };
        let text = decode(&bytes);
        let name = path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let own = own_symbol(&name);
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            for r in extract(line, own.as_deref()) {
                writeln!(
                    out,
                    "{name}\t{}\t{}\t{}\t{}",
                    r.target,
                    r.kind.map_or("", |k| k.as_str()),
                    r.paragraph.as_deref().unwrap_or(""),
                    r.warning.as_deref().unwrap_or(""),
                )?;
            }
        }
    }
    out.flush()
}

/// UTF-8, or Windows-1252 byte by byte.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').to_string(),
        Err(_) => bytes.iter().map(|&b| cp1252(b)).collect(),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// `S-RES-1373(2001).txt` → `S/RES/1373 (2001)`; `2020-s-pv-8716.txt`
/// (or `…-resumption1.txt`) → `S/PV.8716`.
fn own_symbol(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".txt").unwrap_or(name);
    if let Some(rest) = stem.strip_prefix("S-RES-") {
        let (n, year) = rest.split_once('(')?;
        let year = year.strip_suffix(')')?;
        if n.bytes().all(|c| c.is_ascii_digit()) && year.bytes().all(|c| c.is_ascii_digit()) {
            return Some(format!("S/RES/{n} ({year})"));
        }
        return None;
    }
    let lower = stem.to_ascii_lowercase();
    let at = lower.find("-s-pv-")?;
    let n: String = lower[at + 6..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!n.is_empty()).then(|| format!("S/PV.{n}"))
}
