//! Every DOT file we print for the corpus is valid DOT: graphviz-rust's
//! parser reads it and, where graphviz is installed, `dot -Tsvg` renders it.
//! The only exceptions are cases where pprof's own output is invalid too
//! (a `"` in the binary name goes into the unescaped graph title).

mod common;

use common::{case_dirs, have_dot, manifest, not_covered, run_in};
use std::io::Write;
use std::process::{Command, Stdio};

fn dot_renders(text: &[u8]) -> bool {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run dot");
    child.stdin.take().unwrap().write_all(text).unwrap();
    child.wait().map(|s| s.success()).unwrap_or(false)
}

#[test]
fn corpus_dot_outputs_are_valid_dot() {
    let dot = have_dot();
    if !dot {
        eprintln!("graphviz `dot` not found: checking with graphviz-rust's parser only");
    }
    let (mut checked, mut oracle_invalid) = (0, 0);
    for case in manifest() {
        if !case.golden.ends_with(".dot") || not_covered(&case).is_some() {
            continue;
        }
        let Some((dir, golden)) = case_dirs(&case) else {
            continue;
        };
        let mut args: Vec<&str> = case.flags.iter().map(String::as_str).collect();
        args.push(&case.profile);
        let out = run_in(&dir, &args);
        assert!(out.status.success(), "{}", case.id);
        let text = String::from_utf8(out.stdout).expect("utf-8 DOT");
        if let Err(e) = graphviz_rust::parse(&text) {
            let want = std::fs::read_to_string(&golden).unwrap();
            assert!(
                graphviz_rust::parse(&want).is_err(),
                "{}: our DOT does not parse although pprof's does: {e}",
                case.id
            );
            oracle_invalid += 1;
            continue;
        }
        if dot {
            assert!(
                dot_renders(text.as_bytes()),
                "{}: dot -Tsvg refused it",
                case.id
            );
        }
        checked += 1;
    }
    let _ = writeln!(
        std::io::stderr(),
        "dot validity: {checked} corpus DOT outputs valid{}; {oracle_invalid} invalid in pprof's own output too",
        if dot { " (parsed and rendered by dot)" } else { " (parsed)" }
    );
    assert!(checked > 150, "only {checked} DOT outputs checked");
}
