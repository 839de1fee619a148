//! The command line on bad input, flag spellings and output files.

mod common;

use common::{data_dir, root, run_in};
use std::fs;
use std::io::Write;

/// `BAD_INPUTS.tsv`: (case, profile, flags, exit code, stdout file, stderr file).
fn bad_inputs() -> Vec<Vec<String>> {
    let text = fs::read_to_string(data_dir().join("BAD_INPUTS.tsv")).expect("bad inputs");
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// What pprof wrote for a bad input (a file named in BAD_INPUTS.tsv, or
/// nothing for `-`).
fn pprof_output(file: &str) -> Vec<u8> {
    if file == "-" {
        return Vec::new();
    }
    fs::read(data_dir().join(file)).expect("bad-input output")
}

/// Every bad input of the corpus but the one that only graphviz rejects:
/// the exit status, standard output and standard error pprof gives (the
/// first error line names the file and what is wrong).
#[test]
fn every_bad_input_fails_as_pprof_does() {
    let mut checked = 0;
    for row in bad_inputs() {
        let (id, profile, flags, code) = (&row[0], &row[1], &row[2], &row[3]);
        if id == "fixture-mu-svg" || flags.contains("-png") {
            continue;
        }
        let mut args: Vec<&str> = flags.split(' ').collect();
        args.push(profile);
        let out = run_in(&data_dir(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{id}: {stderr}");
        assert_eq!(out.status.code(), code.parse().ok(), "{id}: {stderr}");
        assert_eq!(out.stdout, pprof_output(&row[4]), "{id}");
        assert_eq!(
            stderr,
            String::from_utf8_lossy(&pprof_output(&row[5])),
            "{id}"
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} bad inputs checked");
}

#[test]
fn conflicting_bases_and_missing_base_give_pprofs_messages() {
    let both = run_in(
        &data_dir(),
        &[
            "-top",
            "-base=profiles/fixtures/p1.pb.gz",
            "-diff_base=profiles/fixtures/p1.pb.gz",
            "profiles/fixtures/p1new.pb.gz",
        ],
    );
    assert_eq!(both.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&both.stderr),
        "-base and -diff_base flags cannot both be specified\n"
    );
    let norm = run_in(
        &data_dir(),
        &["-top", "-normalize", "profiles/fixtures/p1.pb.gz"],
    );
    assert_eq!(norm.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&norm.stderr),
        "must have base profile to normalize by\n"
    );
}

#[test]
fn focus_without_match_warns_and_succeeds() {
    let out = run_in(
        &data_dir(),
        &[
            "-top",
            "-focus=NoSuchFunction",
            "profiles/leak/heap.t3.pb.gz",
        ],
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "Focus expression matched no samples"
    );
    let want = fs::read(data_dir().join("bad-inputs/bad-focus-nomatch.stdout")).unwrap();
    assert_eq!(out.stdout, want);
}

#[test]
fn several_profiles_are_merged() {
    let one = run_in(&data_dir(), &["-top", "profiles/fixtures/p1.pb.gz"]);
    let two = run_in(
        &data_dir(),
        &[
            "-top",
            "profiles/fixtures/p1.pb.gz",
            "profiles/fixtures/p1.pb",
        ],
    );
    assert!(two.status.success());
    let text = String::from_utf8_lossy(&two.stdout);
    assert!(
        text.contains("Duration: 20s, Total samples = 4020ms (20.10%)"),
        "{text}"
    );
    assert!(
        text.contains("    2000ms 49.75% 49.75%     3600ms 89.55%  main.work"),
        "{text}"
    );
    assert_ne!(one.stdout, two.stdout);
}

#[test]
fn goroutine_text_profiles_are_read() {
    let dir = std::env::temp_dir().join(format!("pprof-graph-goroutine-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("goroutine.txt"),
        "goroutine profile: total 7\n5 @ 0x1001 0x2001\n#\t0x1000\tmain.f+0x0\n2 @ 0x3001 0x2001\n",
    )
    .unwrap();
    let out = run_in(&dir, &["-top", "-addresses", "goroutine.txt"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Type: goroutine"), "{text}");
    assert!(
        text.contains("Showing nodes accounting for 7, 100% of 7 total"),
        "{text}"
    );
    assert!(
        text.contains("         5 71.43% 71.43%          5 71.43%  0000000000001000 <unknown>"),
        "{text}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn missing_file_is_named() {
    let cases = [
        (
            "profiles/bad/does-not-exist.pb.gz",
            "profiles/bad/does-not-exist.pb.gz: stat profiles/bad/does-not-exist.pb.gz: no such file or directory\n",
        ),
        // The current pprof opens a directory, and reading it fails.
        ("profiles", "profiles: read profiles: is a directory\n"),
    ];
    for (path, message) in cases {
        let out = run_in(&data_dir(), &["-top", path]);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("{message}failed to fetch any source profiles\n")
        );
    }
    // With another profile that can be read, pprof goes on and says so.
    let some = run_in(
        &data_dir(),
        &[
            "-top",
            "profiles/bad/does-not-exist.pb.gz",
            "profiles/fixtures/p1.pb.gz",
        ],
    );
    assert!(some.status.success());
    assert_eq!(
        String::from_utf8_lossy(&some.stderr),
        "profiles/bad/does-not-exist.pb.gz: stat profiles/bad/does-not-exist.pb.gz: no such file or directory\nFetched 1 source profiles out of 2\n"
    );
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    common::scratch("test", name)
}

#[test]
fn gzip_bomb_is_refused_under_the_cap() {
    let dir = temp_dir("bomb");
    let path = dir.join("bomb.pb.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&vec![0u8; 8 << 20]).unwrap();
    fs::write(&path, enc.finish().unwrap()).unwrap();
    let out = run_in(
        &dir,
        &["-top", "--max-decompressed-size", "1000000", "bomb.pb.gz"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("bomb.pb.gz: decompressing profile: decompressed size exceeds the limit of 1000000 bytes"),
        "{stderr}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn failed_run_leaves_existing_output_untouched() {
    let dir = temp_dir("keep");
    let out_file = dir.join("report.txt");
    fs::write(&out_file, "previous report\n").unwrap();
    let bad = data_dir().join("profiles/bad/truncated.pb.gz");
    let out = run_in(&dir, &["-top", "-o", "report.txt", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&out_file).unwrap(), "previous report\n");
    let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn output_file_and_gnu_spellings_give_the_same_report() {
    let dir = temp_dir("spell");
    let p1 = data_dir().join("profiles/fixtures/p1.pb.gz");
    let p1 = p1.to_str().unwrap();
    let pprof_style = run_in(&dir, &["-top", "-nodefraction=0", "-sample_index=cpu", p1]);
    let gnu_style = run_in(
        &dir,
        &["--top", "--nodefraction", "0", "--sample_index", "cpu", p1],
    );
    let spaced = run_in(
        &dir,
        &["-top", "-nodefraction", "0", "-sample_index", "cpu", p1],
    );
    assert!(pprof_style.status.success());
    assert_eq!(pprof_style.stdout, gnu_style.stdout);
    assert_eq!(pprof_style.stdout, spaced.stdout);
    assert!(String::from_utf8_lossy(&pprof_style.stdout).contains("main.tiny"));
    let written = run_in(&dir, &["-nodefraction=0", "-o", "r.dot", p1]);
    assert!(written.status.success());
    let dot = fs::read_to_string(dir.join("r.dot")).unwrap();
    assert!(
        dot.starts_with("digraph \"myprog\" {"),
        "format from the extension"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn stdin_is_read_with_a_dash() {
    let p1 = fs::read(data_dir().join("profiles/fixtures/p1.pb.gz")).unwrap();
    let mut child = std::process::Command::new(common::bin())
        .args(["-top", "-"])
        .env("TZ", "UTC")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&p1).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let want = fs::read(root().join("golden/fixture-p1-top.txt")).unwrap();
    // The golden names the file; stdin has the same content.
    assert_eq!(out.stdout, want);
}

#[test]
fn closed_pipe_ends_quietly() {
    let mut child = std::process::Command::new(common::bin())
        .args(["-top", "-nodefraction=0", "profiles/gen/biggraph.cpu.pb.gz"])
        .current_dir(data_dir())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn conflicting_formats_are_refused() {
    let out = run_in(&data_dir(), &["-top", "-dot", "profiles/fixtures/p1.pb.gz"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "must set at most one output format\n"
    );
}

#[test]
fn unwritable_output_is_one_line() {
    let out = run_in(
        &data_dir(),
        &[
            "-top",
            "-o",
            "/nonexistent-dir/report.txt",
            "profiles/fixtures/p1.pb.gz",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Generating report in /nonexistent-dir/report.txt\nopen /nonexistent-dir/report.txt: no such file or directory\n"
    );
}

#[test]
fn underscores_and_hyphens_in_flag_names_are_one() {
    let p = "profiles/leak/heap.t3.pb.gz";
    let pprof = run_in(
        &data_dir(),
        &["-top", "-sample_index=alloc_space", "-no_browser", p],
    );
    assert!(
        pprof.status.success(),
        "{}",
        String::from_utf8_lossy(&pprof.stderr)
    );
    let gnu = run_in(
        &data_dir(),
        &["--top", "--sample-index=alloc_space", "--no-browser", p],
    );
    assert_eq!(gnu.stdout, pprof.stdout);
    assert!(String::from_utf8_lossy(&pprof.stdout).contains("Type: alloc_space"));
}

#[test]
fn unknown_and_misplaced_flags_are_named_whole() {
    let p = "profiles/leak/heap.t3.pb.gz";
    for (args, flag) in [
        (vec!["-disasm=main", p], "-disasm"),
        (vec!["-top", "--summary", "x", p], "--summary"),
        (vec!["-top", "--shard=1/2", p], "--shard"),
    ] {
        let out = run_in(&data_dir(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("pprof-graph: unknown flag {flag}\n")
        );
        assert!(out.stdout.is_empty());
    }
    let out = run_in(&data_dir(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "pprof-graph: the following required arguments were not provided: <PROFILE>...\n"
    );
}

#[test]
fn viewers_get_the_report_in_a_file() {
    let dir = temp_dir("viewer");
    let seen = dir.join("seen.txt");
    common::write_script(
        &dir.join("kcachegrind"),
        &format!("#!/bin/sh\ncp \"$1\" {}\n", seen.display()),
    );
    let p = "profiles/leak/heap.t3.pb.gz";
    let path = format!("{}:/usr/bin:/bin", dir.display());
    let out = common::run_with_path(&data_dir(), &["-kcachegrind", p], &path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for _ in 0..50 {
        if seen.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let callgrind = run_in(&data_dir(), &["-callgrind", p]).stdout;
    assert_eq!(fs::read(&seen).unwrap(), callgrind);
    let missing = common::run_with_path(&data_dir(), &["-kcachegrind", p], "/nonexistent");
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.starts_with("exec: \"kcachegrind\": executable file not found in $PATH"),
        "{err}"
    );
    let _ = fs::remove_dir_all(&dir);
}

/// `-weblist` is `-list` as a page: the same lines and values, the
/// sampled ones set off.
#[test]
fn weblist_is_the_list_as_a_web_page() {
    let src = [
        "-source_path=src",
        "-trim_path=example.com",
        "profiles/leak/heap.t3.pb.gz",
    ];
    let list = run_in(&data_dir(), &[&["-list=Debugf"][..], &src[..]].concat());
    let list = String::from_utf8(list.stdout).unwrap();
    let dir = temp_dir("weblist");
    let page = dir.join("debugf.html");
    let out = run_in(
        &data_dir(),
        &[
            &["-weblist=Debugf", "-o", page.to_str().unwrap()][..],
            &src[..],
        ]
        .concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains("<title>leak inuse_space</title>"));
    assert!(html.contains("<h2>main.(*Logger).Debugf</h2>"));
    let mut hot = 0;
    for line in list
        .lines()
        .filter(|l| l.contains(':') && l.starts_with(' '))
    {
        let (values, text) = line.split_once(':').unwrap();
        let cols: Vec<&str> = values.split_whitespace().collect();
        let class = if cols[0] == "." && cols[1] == "." {
            "cold"
        } else {
            "hot"
        };
        hot += usize::from(class == "hot");
        let row = format!(
            "<span class=\"n\">{:>7}</span> <span class=\"{class}\">{:>10} {:>10}  {}</span>",
            cols[2],
            cols[0],
            cols[1],
            text.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        );
        assert!(html.contains(&row), "{row} not in the page");
    }
    assert_eq!(hot, 2, "Debugf's two sampled lines");
}
