//! Retention of Go heap dumps, from the CLI: the dumps in
//! `tests/data/heapdump` were written by the corpus's `heapdump` program
//! (scripts/heapdump-fixtures.sh), whose `truth.json` says what retains
//! at least how much by construction.

mod common;

use common::{data_dir, run_in, scratch};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// A folder holding the (gunzipped) binary that wrote the dumps, as
/// `heapdump`, and the dumps.
fn workdir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("heapdump", "bin");
        let src = data_dir().join("heapdump");
        let gz = std::fs::read(src.join("heapdump.gz")).unwrap();
        let mut bin = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut bin).unwrap();
        std::fs::write(dir.join("heapdump"), bin).unwrap();
        for f in ["scale1.dump.gz", "scale2.dump.gz"] {
            std::fs::copy(src.join(f), dir.join(f)).unwrap();
        }
        dir
    })
}

fn run(args: &[&str]) -> (String, String, i32) {
    let out = run_in(workdir(), args);
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// One retainer of truth.json.
struct Retainer {
    root: String,
    bytes: i64,
    objects: i64,
}

/// The value of `"key": …` in a flat JSON object's text.
fn field<'a>(text: &'a str, key: &str) -> &'a str {
    let at = text
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("no {key}"));
    let rest = text[at + key.len() + 3..].trim_start();
    let end = rest.find([',', '\n', '}']).unwrap_or(rest.len());
    rest[..end].trim().trim_matches('"')
}

/// The retainers of a truth file and its unreachable bytes.
fn truth(name: &str) -> (Vec<Retainer>, i64) {
    let text = std::fs::read_to_string(data_dir().join("heapdump").join(name)).unwrap();
    let list = &text[text.find("\"retainers\"").unwrap()..text.find(']').unwrap()];
    let retainers = list
        .split('{')
        .skip(1)
        .map(|block| {
            let root = field(block, "root");
            // The table two globals share: no single root dominates it.
            let root = match root.split_once('+') {
                Some((a, b)) => format!("shared: {a}, {b}"),
                None => root.to_string(),
            };
            Retainer {
                root,
                bytes: field(block, "bytes_at_least").parse().unwrap(),
                objects: field(block, "objects_at_least").parse().unwrap(),
            }
        })
        .collect();
    (
        retainers,
        field(&text, "unreachable_bytes_at_least").parse().unwrap(),
    )
}

/// `-top -cum` rows: name → cum, in the report's plain numbers.
fn cum_by_name(top: &str) -> Vec<(String, i64)> {
    top.lines()
        .skip_while(|l| !l.trim_start().starts_with("flat"))
        .skip(1)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let cum = cols[3].trim_end_matches('B').parse().unwrap();
            (cols[5..].join(" "), cum)
        })
        .collect()
}

fn cum_of(rows: &[(String, i64)], name: &str) -> i64 {
    rows.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} not in {rows:?}"))
        .1
}

fn check_against_truth(dump: &str, truth_file: &str) {
    let (retainers, unreachable) = truth(truth_file);
    let top = |index: &str| {
        let (out, err, code) = run(&[
            "-top",
            "-cum",
            "-nodefraction=0",
            "-unit=B",
            "-sample_index",
            index,
            "heapdump",
            dump,
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(err, "", "the binary names every global");
        cum_by_name(&out)
    };
    let (bytes, objects) = (top("retained_space"), top("retained_objects"));
    for r in &retainers {
        let got = cum_of(&bytes, &r.root);
        assert!(
            got >= r.bytes && got * 2 <= r.bytes * 3,
            "{}: {got} bytes, truth {}",
            r.root,
            r.bytes
        );
        // At least: a goroutine root shares its name with its function,
        // whose code also allocated objects others hold (its sudogs).
        let got = cum_of(&objects, &r.root);
        assert!(
            got >= r.objects,
            "{}: {got} objects, truth {}",
            r.root,
            r.objects
        );
    }
    assert!(cum_of(&bytes, "(unreachable)") >= unreachable);
}

#[test]
fn each_root_retains_what_the_truth_says() {
    check_against_truth("scale1.dump.gz", "scale1.truth.json");
    check_against_truth("scale2.dump.gz", "scale2.truth.json");
}

#[test]
fn the_garbage_is_unreachable_and_the_legend_says_how_much() {
    let (out, _, code) = run(&["-peek", "^main.makeGarbage$", "heapdump", "scale1.dump.gz"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with("| main.makeGarbage"))
        .unwrap();
    assert!(lines[at - 1].ends_with("|   (unreachable)"), "{out}");
    let legend = "Retention view of a heap dump (go1.27.3 amd64): ";
    assert!(out.lines().nth(1).unwrap().starts_with(legend), "{out}");
    let (dot, _, _) = run(&["-dot", "heapdump", "scale1.dump.gz"]);
    assert!(
        dot.contains(legend) && dot.contains("objects unreachable"),
        "{dot}"
    );
}

#[test]
fn png_draws_the_retention_graph() {
    let png = workdir().join("retention.png");
    let (_, err, code) = run(&[
        "-png",
        "-o",
        png.to_str().unwrap(),
        "heapdump",
        "scale1.dump.gz",
    ]);
    assert_eq!(code, 0, "{err}");
    let data = std::fs::read(&png).unwrap();
    assert_eq!(&data[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(data[16..20].try_into().unwrap());
    assert!(width > 500, "{width}");
    let (svg, _, _) = run(&["-svg", "heapdump", "scale1.dump.gz"]);
    for node in [
        "main.blockStore",
        "main.newBlock",
        "main.orphanWorker",
        "configA",
    ] {
        assert!(svg.contains(node), "{node} not drawn");
    }
}

#[test]
fn without_the_binary_globals_are_named_by_segment_and_a_note_says_so() {
    let (out, err, code) = run(&["-top", "-cum", "-nodefraction=0", "scale1.dump.gz"]);
    assert_eq!(code, 0);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("Heap dump globals are named by segment and offset"),
        "{err}"
    );
    assert!(!out.contains("main.blockStore"));
    assert!(
        out.lines()
            .any(|l| l.contains(" bss+0x") || l.contains(" data+0x")),
        "{out}"
    );
    assert!(
        out.contains("main.orphanWorker"),
        "goroutines need no binary"
    );
}

#[test]
fn a_raw_dump_reads_from_standard_input_like_a_file() {
    let gz = std::fs::read(workdir().join("scale1.dump.gz")).unwrap();
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut raw).unwrap();
    let raw_path = workdir().join("scale1.dump");
    std::fs::write(&raw_path, &raw).unwrap();
    let mut child = Command::new(common::bin())
        .args(["-top", "heapdump", "-"])
        .current_dir(workdir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&raw).unwrap();
    let piped = child.wait_with_output().unwrap();
    let (file, _, _) = run(&["-top", "heapdump", raw_path.to_str().unwrap()]);
    let (gz_file, _, _) = run(&["-top", "heapdump", "scale1.dump.gz"]);
    assert_eq!(String::from_utf8(piped.stdout).unwrap(), file);
    assert_eq!(file, gz_file);
}

#[test]
fn diff_base_between_two_dumps_shows_what_grew() {
    let (out, err, code) = run(&[
        "-top",
        "-cum",
        "-unit=B",
        "-diff_base",
        "scale1.dump.gz",
        "heapdump",
        "scale2.dump.gz",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = cum_by_name(&out);
    // Scale 2 holds 24 more blocks of 64 KiB and 40 more goroutine buffers.
    let blocks = cum_of(&rows, "main.blockStore");
    assert!(
        (24 * 65536..=24 * 65536 * 3 / 2).contains(&blocks),
        "{blocks}"
    );
    let buffers = cum_of(&rows, "main.orphanWorker");
    assert!(
        (40 * 16384..=40 * 16384 * 3 / 2).contains(&buffers),
        "{buffers}"
    );
}

#[test]
fn the_retention_profile_survives_proto() {
    let pb = workdir().join("retention.pb.gz");
    let (_, err, code) = run(&[
        "-proto",
        "-output",
        pb.to_str().unwrap(),
        "heapdump",
        "scale1.dump.gz",
    ]);
    assert_eq!(code, 0, "{err}");
    let (again, err, _) = run(&["-top", pb.to_str().unwrap()]);
    assert_eq!(err, "");
    let (direct, _, _) = run(&["-top", "heapdump", "scale1.dump.gz"]);
    assert_eq!(again, direct);
}

#[test]
fn broken_dumps_are_one_line_errors_and_write_nothing() {
    let dir = workdir();
    let gz = std::fs::read(dir.join("scale1.dump.gz")).unwrap();
    std::fs::write(dir.join("cut.dump.gz"), &gz[..gz.len() / 3]).unwrap();
    let mut bad = b"go1.7 heap dump\n".to_vec();
    bad.extend_from_slice(&[0x63, 0x01, 0x02]);
    std::fs::write(dir.join("bad.dump"), &bad).unwrap();
    for (file, says) in [
        ("cut.dump.gz", "cut.dump.gz: heap dump is truncated in "),
        (
            "bad.dump",
            "bad.dump: malformed heap dump: unknown record tag 99 ",
        ),
    ] {
        let png = dir.join(format!("{file}.png"));
        let (_, err, code) = run(&["-png", "-o", png.to_str().unwrap(), "heapdump", file]);
        assert_eq!(code, 2);
        assert!(err.lines().next().unwrap().starts_with(says), "{err}");
        assert_eq!(
            err.lines().nth(1),
            Some("failed to fetch any source profiles")
        );
        assert!(!png.exists(), "no output for a broken dump");
    }
}
