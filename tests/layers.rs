//! The library's modules follow the data one way: each module may use the
//! modules below it in `LAYERS`, never one above it. Inside `parse`, the
//! files follow `PARSE_LAYERS` the same way: the shared UN machinery never
//! uses a document type's file, type files never use each other, and only
//! the list of kinds uses the type files. Read from the source tree, so
//! that a new upward `use` fails here with its file and line.

use std::path::Path;

/// From the bottom up. Modules on one line form one layer and may use
/// each other.
const LAYERS: &[&[&str]] = &[
    &["trace", "test_support", "client"],
    &["analysis"],
    &["model"],
    &["corpus"],
    &["extract"],
    &["parse"],
    &["taxonomy", "synonyms", "citation"],
    &["vocabulary"],
    &["index"],
    &["search"],
    &["render"],
    &["context"],
    &["backend"],
    &["serve", "export", "watch"],
    &["cli"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level modules a line of source names with `crate::`.
fn crate_paths(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.push(name);
        }
        rest = after;
    }
    found
}

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            visit(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn no_module_uses_a_module_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let mut violations = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).expect("under src");
        let top = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("")
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let own = layer_of(&top).unwrap_or_else(|| panic!("{top} is in no layer of LAYERS"));
        let text = std::fs::read_to_string(&file).expect("read");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for used in crate_paths(line) {
                if let Some(layer) = layer_of(&used)
                    && layer > own
                {
                    violations.push(format!("{}:{}: {top} uses {used}", rel.display(), n + 1));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "modules used from below:\n{}",
        violations.join("\n")
    );
}

/// The files of `src/parse/` (without `.rs`), from the bottom up. A file
/// may use only files on the lines before its own: the files on one line
/// are independent of each other (the type files above all). Test code
/// (from a file's `#[cfg(test)]` on, and `testing.rs`) may use anything.
const PARSE_LAYERS: &[&[&str]] = &[
    // The contract of a type (`DocumentKind`, `Top`, `Line`).
    &["kind", "un/mod"],
    // Shared UN machinery, bottom up.
    &["un/numbering", "un/turns", "un/header"],
    &["un/paragraphs"],
    &["un/sections"],
    // One file per document type, and the plain briefing rules.
    &[
        "briefing",
        "meeting_record",
        "resolution",
        "press_release",
        "report",
    ],
    // The ordered list of types.
    &["kinds"],
    &["fallback"],
    &["mod"],
];

/// Files of `src/parse/` that are test code only.
const PARSE_TEST_FILES: &[&str] = &["testing"];

/// The module path (below `parse`) of the file `rel` of `src/parse/`:
/// "un/turns" → ["un", "turns"], "un/mod" → ["un"], "mod" → [].
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The file of `src/parse/` that module path `path` (below `parse`) names
/// or is inside of: ["un", "turns", "count_turns"] → "un/turns",
/// ["parse_lines"] → "mod".
fn file_of(path: &[String], files: &[String]) -> String {
    for len in (1..=path.len()).rev() {
        let joined = path[..len].join("/");
        if files.contains(&joined) {
            return joined;
        }
        let dir = format!("{joined}/mod");
        if files.contains(&dir) {
            return dir;
        }
    }
    "mod".to_string()
}

/// The source of `text` before its test code, without comments.
fn code_of(text: &str) -> String {
    text.lines()
        .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `parse` module paths a piece of code names: `super::x::y`,
/// `self::x`, `crate::parse::x`, and in `use` items also `x::y` relative
/// to the module. Brace groups (`use super::{a::b, c}`) are opened one
/// level. `module` is the module path of the code's file.
fn parse_paths(code: &str, module: &[String], files: &[String]) -> Vec<Vec<String>> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    let mut in_use = false;
    while i < bytes.len() {
        if !ident(bytes[i]) || (i > 0 && (ident(bytes[i - 1]) || bytes[i - 1] == ':')) {
            if bytes[i] == ';' {
                in_use = false;
            }
            i += 1;
            continue;
        }
        // A path starting at `i`: segments joined by `::`.
        let mut segments: Vec<String> = Vec::new();
        let mut j = i;
        let mut group = None;
        loop {
            let start = j;
            while j < bytes.len() && ident(bytes[j]) {
                j += 1;
            }
            segments.push(bytes[start..j].iter().collect());
            if bytes.get(j) == Some(&':') && bytes.get(j + 1) == Some(&':') {
                j += 2;
                if bytes.get(j) == Some(&'{') {
                    let close = (j..bytes.len())
                        .find(|&k| bytes[k] == '}')
                        .unwrap_or(bytes.len());
                    group = Some(bytes[j + 1..close].iter().collect::<String>());
                    j = close;
                    break;
                }
                if j < bytes.len() && ident(bytes[j]) {
                    continue;
                }
            }
            break;
        }
        if segments.len() == 1 && segments[0] == "use" {
            in_use = true;
            i = j;
            continue;
        }
        let base: Option<(Vec<String>, usize)> = match segments[0].as_str() {
            "crate" if segments.get(1).is_some_and(|s| s == "parse") => Some((Vec::new(), 2)),
            "self" => Some((module.to_vec(), 1)),
            "super" => {
                let supers = segments.iter().take_while(|s| *s == "super").count();
                let keep = module.len().saturating_sub(supers);
                Some((module[..keep].to_vec(), supers))
            }
            // A child module of this one (not an external crate).
            first if in_use => {
                let mut child = module.to_vec();
                child.push(first.to_string());
                let child = child.join("/");
                (files.contains(&child) || files.contains(&format!("{child}/mod")))
                    .then(|| (module.to_vec(), 0))
            }
            _ => None,
        };
        if let Some((base, skip)) = base {
            let mut path = base.clone();
            path.extend(segments[skip..].iter().cloned());
            match &group {
                Some(items) => {
                    for item in items.split(',') {
                        let mut p = path.clone();
                        p.extend(
                            item.split("::")
                                .map(str::trim)
                                .filter(|s| !s.is_empty() && *s != "self" && !s.contains('{'))
                                .map(str::to_string),
                        );
                        found.push(p);
                    }
                }
                None => found.push(path),
            }
        }
        i = j.max(i + 1);
    }
    found
}

#[test]
fn parse_files_use_only_files_below_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join("parse");
    let mut paths = Vec::new();
    visit(&root, &mut paths);
    let rel = |p: &Path| {
        p.strip_prefix(&root)
            .expect("under src/parse")
            .with_extension("")
            .to_string_lossy()
            .replace('\\', "/")
    };
    let files: Vec<String> = paths.iter().map(|p| rel(p)).collect();
    let rank = |file: &str| PARSE_LAYERS.iter().position(|layer| layer.contains(&file));
    let mut violations = Vec::new();
    for (path, file) in paths.iter().zip(&files) {
        if PARSE_TEST_FILES.contains(&file.as_str()) {
            continue;
        }
        let own = rank(file)
            .unwrap_or_else(|| panic!("src/parse/{file}.rs is in no layer of PARSE_LAYERS"));
        let text = std::fs::read_to_string(path).expect("read");
        for used in parse_paths(&code_of(&text), &module_of(file), &files) {
            let target = file_of(&used, &files);
            if target == *file || PARSE_TEST_FILES.contains(&target.as_str()) {
                continue;
            }
            let theirs = rank(&target).unwrap_or(usize::MAX);
            if theirs >= own {
                violations.push(format!(
                    "src/parse/{file}.rs uses {} (in {target}.rs)",
                    used.join("::")
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "parse files used from below or beside:\n{}",
        violations.join("\n")
    );
}

/// The check above sees the uses it must: a type file using another, a
/// shared helper using a type file, a kind calling back into `parse`.
#[test]
fn parse_paths_are_read_from_uses_and_paths() {
    let module = |m: &str| module_of(m);
    let files: Vec<String> = ["mod", "kinds", "resolution", "un/mod", "un/turns"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let resolved = |code: &str, m: &str| -> Vec<String> {
        parse_paths(code, &module(m), &files)
            .iter()
            .map(|p| file_of(p, &files))
            .collect()
    };
    assert_eq!(
        resolved("use super::resolution::Resolution;", "report"),
        ["resolution"]
    );
    assert_eq!(
        resolved(
            "use super::{kinds::KINDS, un::turns::parse_turn};",
            "report"
        ),
        ["kinds", "un/turns"]
    );
    assert_eq!(
        resolved("let k = crate::parse::kinds::recognize(l);", "un/turns"),
        ["kinds"]
    );
    assert_eq!(
        resolved("use super::super::resolution::PREAMBLE;", "un/turns"),
        ["resolution"]
    );
    assert_eq!(resolved("super::parse_lines(lines)", "resolution"), ["mod"]);
    assert_eq!(resolved("use un::turns::count_turns;", "mod"), ["un/turns"]);
    assert!(
        resolved(
            "use std::fmt;\nuse serde::Serialize;\nlet x = a::b;",
            "kinds"
        )
        .is_empty()
    );
}
