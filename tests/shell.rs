//! The interactive shell driven through standard input: every command's
//! output equals the flag form's.

mod common;

use common::{bin, data_dir, run_in};
use std::io::Write;
use std::process::{Command, Stdio};

fn shell(profile: &str, script: &str) -> Vec<(String, String)> {
    let mut child = Command::new(bin())
        .args(["-i", profile])
        .current_dir(data_dir())
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(cmd) = line.strip_prefix("(pprof) ") {
            blocks.push((cmd.trim_end().to_string(), String::new()));
        } else if let Some(last) = blocks.last_mut() {
            last.1.push_str(line);
        }
    }
    blocks
}

fn flags(args: &[&str]) -> String {
    let out = run_in(&data_dir(), args);
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn shell_commands_match_the_flags() {
    let p = "profiles/leak/heap.t3.pb.gz";
    let png = std::env::temp_dir().join(format!("pprof-graph-shell-{}.png", std::process::id()));
    let script = format!(
        "text\ntop5\nsample_index=alloc_space\nnodefraction=0\ntext\nlist handleSubmit\ndot\ninuse_objects\ntop\npng > {}\nnodecount=x\nquit\ntext\n",
        png.display()
    );
    let blocks = shell(p, &script);
    let get = |i: usize| &blocks[i].1;
    assert_eq!(blocks[0].0, "text");
    assert_eq!(get(0), &flags(&["-text", p]));
    assert_eq!(get(1), &flags(&["-top", "-nodecount=5", p]));
    assert_eq!(get(2), "");
    assert_eq!(
        get(4),
        &flags(&["-text", "-sample_index=alloc_space", "-nodefraction=0", p])
    );
    assert_eq!(
        get(5),
        &flags(&["-list=handleSubmit", "-sample_index=alloc_space", p])
    );
    assert_eq!(
        get(6),
        &flags(&["-dot", "-sample_index=alloc_space", "-nodefraction=0", p])
    );
    assert_eq!(
        get(8),
        &flags(&[
            "-top",
            "-nodecount=10",
            "-inuse_objects",
            "-nodefraction=0",
            p
        ])
    );
    assert_eq!(get(9), &format!("Generating report in {}\n", png.display()));
    assert_eq!(&std::fs::read(&png).unwrap()[..4], b"\x89PNG");
    assert_eq!(get(10), "invalid value \"x\" for nodecount\n");
    // Nothing runs after quit.
    assert_eq!(blocks.len(), 12);
    let _ = std::fs::remove_file(&png);
}

#[test]
fn every_command_of_the_table_runs_in_the_shell() {
    let p = "profiles/leak/heap.t3.pb.gz";
    let dir = std::env::temp_dir().join(format!("pprof-graph-shell-cmds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let flame = dir.join("flame.svg");
    let svg = dir.join("graph.svg");
    let script = format!(
        "flamegraph > {}\nsvg > {}\ntraces\nquit\n",
        flame.display(),
        svg.display()
    );
    let blocks = shell(p, &script);
    assert_eq!(
        blocks[0].1,
        format!("Generating report in {}\n", flame.display())
    );
    assert_eq!(
        std::fs::read(&flame).unwrap(),
        flags(&["-flamegraph", p]).into_bytes()
    );
    assert_eq!(
        std::fs::read(&svg).unwrap(),
        flags(&["-svg", p]).into_bytes()
    );
    assert_eq!(blocks[2].1, flags(&["-traces", p]));
    let _ = std::fs::remove_dir_all(&dir);
}
