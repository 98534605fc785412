//! The library's modules follow the data one way: each module may use the
//! modules below it in `LAYERS`, never one above it. Read from the source
//! tree, so that a new upward `use` fails here with its file and line.

use std::path::Path;

/// From the bottom up. Modules on one line form one layer and may use
/// each other.
const LAYERS: &[&[&str]] = &[
    &["trace", "test_support"],
    &["analysis"],
    &["model"],
    &["corpus"],
    &["extract"],
    &["parse"],
    &["taxonomy", "synonyms"],
    &["vocabulary"],
    &["index"],
    &["search"],
    &["render"],
    &["context"],
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
