//! `pprof-graph trend` on the leak service's heap snapshots t0…t3: time
//! order, the leaking functions first, diff graphs, the Markdown report,
//! and `--fail-on-growth` exit codes.

mod common;

use common::{bin, data_dir};
use std::fs;
use std::process::Command;

fn trend(args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("trend")
        .args(args)
        .current_dir(data_dir().join("profiles/leak"))
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

/// The snapshots, deliberately out of time order.
const SERIES: [&str; 4] = [
    "heap.t2.pb.gz",
    "heap.t0.pb.gz",
    "heap.t3.pb.gz",
    "heap.t1.pb.gz",
];

#[test]
fn leaking_functions_come_first() {
    let out = trend(&SERIES);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let order: Vec<usize> = ["heap.t0", "heap.t1", "heap.t2", "heap.t3"]
        .iter()
        .map(|n| text.find(n).unwrap())
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "not in time order:\n{text}"
    );
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Growing functions"))
        .skip(2)
        .take(3)
        .collect();
    // The logger's formatted lines, the kept request bodies and the decoded
    // requests of the global history: all grew in every interval.
    assert!(rows[0].ends_with("3/3  fmt.Sprintf"), "{rows:?}");
    assert!(rows[1].ends_with("3/3  io.ReadAll"), "{rows:?}");
    assert!(
        rows[2].ends_with("3/3  encoding/json.(*decodeState).literalStore"),
        "{rows:?}"
    );
    // The block store allocated once at start-up does not grow.
    assert!(!text.contains("main.newBlock"), "{text}");
}

#[test]
fn the_code_that_holds_the_growth_comes_first() {
    let out = trend(&SERIES);
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Growing code"))
        .skip(2)
        .take(3)
        .collect();
    // fmt.Sprintf's lines are kept by the logger, the bodies by the
    // handler, the decoded requests by decodeRequest: the program's own
    // code, with the allocation site that grew most under it.
    assert!(
        rows[0].ends_with("+43.30MB      3/3  main.(*Logger).Debugf  <- fmt.Sprintf +42.73MB"),
        "{rows:?}"
    );
    assert!(
        rows[1].ends_with("3/3  main.(*Server).handleSubmit  <- io.ReadAll +16.54MB"),
        "{rows:?}"
    );
    assert!(
        rows[2].contains("main.decodeRequest  <- encoding/json"),
        "{rows:?}"
    );
    assert!(text.contains("grew in k/n: the value rose in k of the n intervals"));
}

#[test]
fn markdown_report_matches_its_snapshot() {
    let out = trend(&[
        SERIES[0], SERIES[1], SERIES[2], SERIES[3], "--format", "markdown",
    ]);
    assert!(out.status.success());
    let want =
        fs::read_to_string(common::root().join("tests/snapshots/trend-leak-heap.md")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
}

#[test]
fn diff_graphs_and_summary_are_written() {
    let dir = std::env::temp_dir().join(format!("pprof-graph-trend-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let summary = dir.join("summary.md");
    let out = trend(&[
        SERIES[0],
        SERIES[1],
        SERIES[2],
        SERIES[3],
        "-o",
        dir.to_str().unwrap(),
        "--summary",
        summary.to_str().unwrap(),
        "-png",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in [
        "diff-heap.t0-to-heap.t1.png",
        "diff-heap.t1-to-heap.t2.png",
        "diff-heap.t2-to-heap.t3.png",
        "diff-heap.t0-to-heap.t3.png",
    ] {
        let bytes = fs::read(dir.join(name)).unwrap();
        assert_eq!(&bytes[..4], b"\x89PNG", "{name}");
    }
    let md = fs::read_to_string(&summary).unwrap();
    assert!(md.contains("- [diff-heap.t0-to-heap.t3.png](diff-heap.t0-to-heap.t3.png)"));
    assert!(
        md.contains("![first → last](diff-heap.t0-to-heap.t3.png)"),
        "{md}"
    );
    // Links for a PR comment: the folder's uploaded address in front.
    let linked = trend(&[
        "heap.t0.pb.gz",
        "heap.t3.pb.gz",
        "-o",
        dir.to_str().unwrap(),
        "-png",
        "--format",
        "markdown",
        "--link-base",
        "https://ci.example/artifacts/graphs/",
    ]);
    let md = String::from_utf8_lossy(&linked.stdout);
    assert!(
        md.contains(
            "![first → last](https://ci.example/artifacts/graphs/diff-heap.t0-to-heap.t3.png)"
        ),
        "{md}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn fail_on_growth_sets_the_exit_status() {
    let over = trend(&[SERIES[1], SERIES[2], "--fail-on-growth", "50"]);
    assert_eq!(over.status.code(), Some(1));
    let err = String::from_utf8_lossy(&over.stderr);
    assert!(
        err.contains("growth beyond the limit: total +76.84MB"),
        "{err}"
    );
    assert!(err.contains("fmt.Sprintf +42.73MB"), "{err}");
    let under = trend(&[SERIES[1], SERIES[2], "--fail-on-growth", "5000"]);
    assert_eq!(
        under.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&under.stderr)
    );
    let abs = trend(&[SERIES[1], SERIES[2], "--fail-on-growth-abs", "20000000"]);
    assert_eq!(abs.status.code(), Some(1));
    let abs_err = String::from_utf8_lossy(&abs.stderr);
    assert!(
        abs_err.contains("fmt.Sprintf") && !abs_err.contains("io.ReadAll"),
        "{abs_err}"
    );
    let one = trend(&[SERIES[0]]);
    assert_eq!(one.status.code(), Some(1));
}

/// A goroutine profile with `leaked` goroutines parked in the leaking
/// function and 20 in a healthy server loop.
fn goroutines(leaked: i64, time: i64) -> Vec<u8> {
    use pprof_graph::profile::{Function, Line, Location, Mapping, Profile, Sample, ValueType};
    let f = |id: u64, name: &str| Function {
        id,
        name: name.into(),
        system_name: name.into(),
        filename: "main.go".into(),
        start_line: 0,
    };
    let loc = |id: u64, function: u32| Location {
        id,
        mapping: Some(0),
        address: 0x1000 * id,
        lines: vec![Line {
            function,
            line: 1,
            column: 0,
        }],
        is_folded: false,
    };
    let vt = ValueType {
        kind: "goroutine".into(),
        unit: "count".into(),
    };
    let p = Profile {
        strings: vec![String::new()],
        sample_types: vec![vt.clone()],
        period_type: vt,
        period: 1,
        time_nanos: time,
        mappings: vec![Mapping {
            id: 1,
            file: "/bin/svc".into(),
            limit: 0x100000,
            ..Default::default()
        }],
        functions: vec![
            f(1, "runtime.gopark"),
            f(2, "runtime.chansend1"),
            f(3, "main.(*Server).validateWithTimeout.func1"),
            f(4, "main.serveLoop"),
        ],
        locations: vec![loc(1, 0), loc(2, 1), loc(3, 2), loc(4, 3)],
        samples: vec![
            Sample {
                locations: vec![0, 1, 2].into(),
                values: vec![leaked].into(),
                ..Default::default()
            },
            Sample {
                locations: vec![0, 3].into(),
                values: vec![20].into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &pprof_graph::profile::encode::encode(&p)).unwrap();
    gz.finish().unwrap()
}

#[test]
fn orphaned_goroutines_rank_first() {
    let dir = std::env::temp_dir().join(format!("pprof-graph-goroutines-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    for (i, n) in [10, 40, 90, 160].iter().enumerate() {
        fs::write(
            dir.join(format!("goroutine.{i}.pb.gz")),
            goroutines(*n, 1_000 + i as i64),
        )
        .unwrap();
    }
    let out = Command::new(bin())
        .args(["trend", dir.to_str().unwrap()])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text
        .lines()
        .skip_while(|l| !l.starts_with("Growing functions (cum)"))
        .nth(2)
        .unwrap_or("");
    assert!(
        first.ends_with("3/3  main.(*Server).validateWithTimeout.func1"),
        "{text}"
    );
    assert!(
        !text.contains("runtime.gopark"),
        "runtime frames are not leaks: {text}"
    );
    assert!(
        !text.contains("main.serveLoop"),
        "steady goroutines do not grow: {text}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn flags_of_other_front_ends_are_refused_by_name() {
    for (flag, args) in [
        ("--shard", vec!["--shard", "1/2"]),
        ("--jobs", vec!["--jobs", "7"]),
        ("--force", vec!["--force"]),
        ("-i", vec!["-i"]),
        ("-http", vec!["-http=:0"]),
    ] {
        let mut all = args.clone();
        all.extend(SERIES);
        let out = trend(&all);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("pprof-graph trend: unknown flag {flag}\n")
        );
    }
}

#[test]
fn help_is_the_trend_commands_own() {
    let out = trend(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Usage: pprof-graph trend"), "{help}");
    assert!(help.contains("--fail-on-growth") && help.contains("--summary"));
    assert!(
        !help.contains("--shard") && !help.contains("--http"),
        "{help}"
    );
}
