//! The layering of `src/`, checked: every `crate::` path a module names
//! must point down the layers below, never up or sideways, so the
//! modules form no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module and the modules it may import (besides itself).
/// A module may import anything its allowed modules may import.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &[]),
    ("profile", &["base"]),
    ("source", &["profile"]),
    ("graph", &["profile"]),
    ("report", &["graph"]),
    ("render", &["report"]),
    ("engine", &["render", "source"]),
    ("cli", &["engine"]),
    ("shell", &["engine"]),
    ("web", &["engine"]),
    ("batch", &["engine"]),
    ("trend", &["engine"]),
    ("fuzz", &["engine"]),
    ("app", &["cli", "shell", "web", "batch", "trend"]),
];

fn allowed(module: &str) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    let mut todo: Vec<&str> = vec![module];
    while let Some(m) = todo.pop() {
        let Some((_, below)) = LAYERS.iter().find(|(name, _)| *name == m) else {
            continue;
        };
        for b in *below {
            if out.insert(*b) {
                todo.push(b);
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file under `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The identifier at the start of `s`.
fn leading_name(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The `crate::X` modules named by the code of `text` (comments and the
/// test module left out).
fn imports(text: &str) -> BTreeSet<String> {
    let code = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        let line = match line.find("//") {
            Some(i) if !line[..i].ends_with(':') => &line[..i],
            _ => line,
        };
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let tail = &rest[i + "crate::".len()..];
            if let Some(group) = tail.strip_prefix('{') {
                let inner = &group[..group.find('}').unwrap_or(group.len())];
                for item in inner.split(',') {
                    out.insert(leading_name(item.trim()));
                }
            } else {
                out.insert(leading_name(tail));
            }
            rest = tail;
        }
        out.remove("");
    }
    out
}

#[test]
fn modules_import_only_the_layers_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let known: BTreeSet<&str> = LAYERS.iter().map(|(m, _)| *m).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for f in &files {
        let m = module_of(&src, f);
        if m == "lib" || m == "main" {
            continue;
        }
        assert!(
            known.contains(m.as_str()),
            "{}: module {m} has no layer",
            f.display()
        );
        let ok = allowed(&m);
        for imp in imports(&std::fs::read_to_string(f).unwrap()) {
            if imp == m {
                continue;
            }
            edges.entry(m.clone()).or_default().insert(imp.clone());
            if !ok.contains(imp.as_str()) {
                wrong.push(format!("{} ({m}) imports crate::{imp}", f.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layering:\n{}",
        wrong.join("\n")
    );
    for (m, to) in &edges {
        println!(
            "{m} -> {}",
            to.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
}

#[test]
fn main_only_calls_the_app() {
    let main =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs")).unwrap();
    let named = imports(&main.replace("pprof_graph::", "crate::"));
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        vec!["app".to_string()]
    );
}

#[test]
fn the_scanner_sees_grouped_and_nested_paths() {
    let found = imports("use crate::{app, base::write};\nlet x = crate::engine::run(); // crate::web\n#[cfg(test)]\nuse crate::cli;");
    let found: Vec<String> = found.into_iter().collect();
    assert_eq!(found, vec!["app", "base", "engine"]);
}

#[test]
fn the_layering_itself_has_no_cycle() {
    for (m, _) in LAYERS {
        assert!(!allowed(m).contains(m), "{m} reaches itself");
    }
}
