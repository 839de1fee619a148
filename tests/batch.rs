//! `pprof-graph batch`: a folder mixing good profiles, a broken one and a
//! non-profile; up-to-date skipping; shards merged into one index.

mod common;

use common::{bin, data_dir};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn temp(name: &str) -> PathBuf {
    common::scratch("batch", name)
}

fn snapshot_folder(name: &str) -> PathBuf {
    let dir = temp(name);
    let src = data_dir().join("profiles");
    fs::create_dir_all(dir.join("in/late")).unwrap();
    for t in ["t0", "t1", "t2"] {
        fs::copy(
            src.join(format!("leak/heap.{t}.pb.gz")),
            dir.join(format!("in/heap.{t}.pb.gz")),
        )
        .unwrap();
    }
    // No extension: found by content.
    fs::copy(
        src.join("leak/heap.t3.pb.gz"),
        dir.join("in/late/snapshot-3"),
    )
    .unwrap();
    fs::copy(src.join("bad/truncated.pb.gz"), dir.join("in/broken.pb.gz")).unwrap();
    fs::write(dir.join("in/NOTES.txt"), "not a profile\n").unwrap();
    dir
}

fn batch(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("batch")
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

#[test]
fn renders_a_mixed_folder_and_reports_the_bad_file() {
    let dir = snapshot_folder("mixed");
    let out = batch(&dir, &["in", "-o", "out", "-svg", "-top"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("broken.pb.gz: decompressing profile: unexpected EOF"),
        "{err}"
    );
    assert!(
        err.contains("4 rendered, 0 up to date, 1 failed, 1 not profiles"),
        "{err}"
    );
    for f in [
        "heap.t0.svg",
        "heap.t2.txt",
        "late/snapshot-3.svg",
        "late/snapshot-3.txt",
    ] {
        assert!(dir.join("out").join(f).exists(), "{f} missing");
    }
    assert!(!dir.join("out/NOTES.svg").exists());
    assert!(!dir.join("out/broken.svg").exists());
    // The text output is the same report as the single-profile command.
    let top = Command::new(bin())
        .args(["-top", "in/late/snapshot-3"])
        .current_dir(&dir)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert_eq!(
        fs::read(dir.join("out/late/snapshot-3.txt")).unwrap(),
        top.stdout
    );
    let index = fs::read_to_string(dir.join("out/index.html")).unwrap();
    assert!(index.contains("<h1>4 snapshots</h1>"));
    assert!(index.contains("href=\"late/snapshot-3.svg\""));
    assert!(index.contains("inuse_space"));
    // Gallery in time order: t0 before t3.
    assert!(index.find("heap.t0.pb.gz").unwrap() < index.find("late/snapshot-3").unwrap());

    let again = batch(&dir, &["in", "-o", "out", "-svg", "-top"]);
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("0 rendered, 4 up to date"), "{err}");
    let forced = batch(&dir, &["in", "-o", "out", "-svg", "-top", "--force"]);
    assert!(String::from_utf8_lossy(&forced.stderr).contains("4 rendered"));
    let changed = batch(
        &dir,
        &["in", "-o", "out", "-svg", "-top", "-nodefraction=0"],
    );
    assert!(
        String::from_utf8_lossy(&changed.stderr).contains("4 rendered"),
        "other report flags make the outputs stale"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn shards_cover_everything_once_and_merge_into_one_index() {
    let dir = snapshot_folder("shards");
    fs::remove_file(dir.join("in/broken.pb.gz")).unwrap();
    let mut rendered = 0;
    for shard in ["1/2", "2/2"] {
        let out = batch(&dir, &["in", "-o", "out", "-dot", "--shard", shard]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        let n: usize = err
            .split(" rendered")
            .next()
            .and_then(|s| s.rsplit(' ').next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        rendered += n;
    }
    assert_eq!(rendered, 4);
    let out = batch(&dir, &["--index-only", "out"]);
    assert!(out.status.success());
    let index = fs::read_to_string(dir.join("out/index.html")).unwrap();
    assert!(index.contains("<h1>4 snapshots</h1>"), "{index}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn outputs_never_leave_the_output_folder() {
    let dir = temp("escape");
    fs::create_dir_all(dir.join("in/..weird")).unwrap();
    fs::copy(
        data_dir().join("profiles/fixtures/p1.pb.gz"),
        dir.join("in/..weird/..p1.pb.gz"),
    )
    .unwrap();
    let out = batch(&dir, &["in", "-o", "out", "-dot"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut found = Vec::new();
    for entry in walk(&dir.join("out")) {
        found.push(entry.strip_prefix(dir.join("out")).unwrap().to_path_buf());
    }
    assert!(
        found.contains(&PathBuf::from("_.weird/_.p1.dot")),
        "{found:?}"
    );
    let _ = fs::remove_dir_all(&dir);
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(d).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A folder of two clean snapshots.
fn two_snapshots(name: &str) -> PathBuf {
    let dir = temp(name);
    fs::create_dir_all(dir.join("in")).unwrap();
    for t in ["t0", "t3"] {
        fs::copy(
            data_dir().join(format!("profiles/leak/heap.{t}.pb.gz")),
            dir.join(format!("in/heap.{t}.pb.gz")),
        )
        .unwrap();
    }
    dir
}

/// What the one-shot command prints for `args` in `dir`.
fn one_shot(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}");
    out.stdout
}

#[test]
fn list_is_written_and_pictures_keep_their_own_settings() {
    let dir = two_snapshots("list");
    let out = batch(&dir, &["in", "-o", "out", "-list=main\\.main", "-dot"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing = fs::read(dir.join("out/heap.t3.list.txt")).unwrap();
    assert_eq!(
        listing,
        one_shot(&dir, &["-list=main\\.main", "in/heap.t3.pb.gz"])
    );
    assert_eq!(
        fs::read(dir.join("out/heap.t3.dot")).unwrap(),
        one_shot(&dir, &["-dot", "in/heap.t3.pb.gz"]),
        "the graph is drawn at function granularity, trimmed"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn each_text_report_has_its_own_file() {
    let dir = two_snapshots("texts");
    let out = batch(&dir, &["in", "-o", "out", "-top", "-traces"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        fs::read(dir.join("out/heap.t0.txt")).unwrap(),
        one_shot(&dir, &["-top", "in/heap.t0.pb.gz"])
    );
    assert_eq!(
        fs::read(dir.join("out/heap.t0.traces.txt")).unwrap(),
        one_shot(&dir, &["-traces", "in/heap.t0.pb.gz"])
    );
    let meta = fs::read_to_string(dir.join("out/heap.t0.meta")).unwrap();
    assert!(meta.contains("formats=txt,traces.txt"), "{meta}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn base_is_subtracted_from_every_snapshot() {
    let dir = two_snapshots("base");
    let base = data_dir().join("profiles/leak/heap.t0.pb.gz");
    let base_flag = format!("-base={}", base.display());
    let out = batch(&dir, &["in", "-o", "out", "-top", &base_flag]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = one_shot(&dir, &["-top", &base_flag, "in/heap.t3.pb.gz"]);
    assert_eq!(fs::read(dir.join("out/heap.t3.txt")).unwrap(), expected);
    assert_ne!(expected, one_shot(&dir, &["-top", "in/heap.t3.pb.gz"]));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn flags_of_other_front_ends_are_refused_by_name() {
    let dir = two_snapshots("flags");
    for (args, flag) in [
        (vec!["in", "-o", "out", "--format", "markdown"], "--format"),
        (vec!["in", "-o", "out", "-http=:0"], "-http"),
        (vec!["in", "-o", "out", "-i"], "-i"),
        (vec!["in", "-o", "out", "--summary", "s.md"], "--summary"),
    ] {
        let out = batch(&dir, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("pprof-graph batch: unknown flag {flag}\n")
        );
    }
    assert!(!dir.join("out").exists(), "nothing rendered");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_file_named_like_a_profile_that_does_not_parse_fails_by_name() {
    let dir = two_snapshots("named");
    fs::write(dir.join("in/garbage.pb"), "this is no profile\n").unwrap();
    fs::write(dir.join("in/README"), "this is no profile either\n").unwrap();
    let out = batch(&dir, &["in", "-o", "out", "-top"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("pprof-graph batch: garbage.pb: parsing profile: unrecognized profile format"),
        "{err}"
    );
    assert!(
        err.contains("2 rendered, 0 up to date, 1 failed, 1 not profiles"),
        "{err}"
    );
    let _ = fs::remove_dir_all(&dir);
}

/// t0 and t3 rendered, trend's report and diff graphs beside them, and
/// the gallery rebuilt over all of it.
fn gallery(name: &str) -> PathBuf {
    let dir = two_snapshots(name);
    let out = batch(&dir, &["in", "-o", "out", "-png", "-svg"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trend = Command::new(bin())
        .args(["trend", "in", "-o", "out/trend", "-png"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        trend.status.success(),
        "{}",
        String::from_utf8_lossy(&trend.stderr)
    );
    assert!(batch(&dir, &["--index-only", "out"]).status.success());
    dir
}

#[test]
fn the_gallery_summarises_each_snapshot_and_links_what_trend_wrote() {
    let dir = gallery("cards");
    let index = fs::read_to_string(dir.join("out/index.html")).unwrap();
    // Each card names its top 3 functions as -top prints them.
    let top = String::from_utf8(one_shot(&dir, &["-top", "in/heap.t3.pb.gz"])).unwrap();
    for row in top
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("flat"))
        .skip(1)
        .take(3)
    {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let item = format!("<li>{} {}</li>", cols[0], cols[5..].join(" "));
        assert!(index.contains(&item), "{item} not in the gallery");
    }
    assert!(index.contains("<span class=\"grow\">+"), "growth since t0");
    assert!(index.contains("</span> since heap.t0.pb.gz"));
    assert!(index.contains("href=\"trend/trend.md\""), "trend's report");
    assert!(dir.join("out/trend/trend.md").exists());
    assert!(
        index.contains(
            "<a class=\"diff\" href=\"trend/diff-heap.t0-to-heap.t3.png\">diff from previous</a>"
        ),
        "the diff graph of the step"
    );
    assert!(index.contains("data-name=\"heap.t3.pb.gz\""));
    assert!(index.contains("id=\"filter\"") && index.contains("id=\"sort\""));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_gallery_sorts_filters_and_crops_in_a_browser() {
    if let Some(why) = common::browser_missing() {
        eprintln!("skipping the browser test: {why}");
        return;
    }
    let dir = gallery("browser");
    let url = format!("file://{}", dir.join("out/index.html").display());
    let text = common::run_browser_script("gallery.js", &[&url]);
    assert!(text.contains("\"filtered\":[\"heap.t3.pb.gz\"]"), "{text}");
    assert!(
        text.contains("\"byTotalDescending\":[\"heap.t3.pb.gz\",\"heap.t0.pb.gz\"]"),
        "{text}"
    );
    assert!(
        text.contains("\"byName\":[\"heap.t0.pb.gz\",\"heap.t3.pb.gz\"]"),
        "{text}"
    );
    assert!(text.contains("\"readableThumbnails\":true"), "{text}");
    let _ = fs::remove_dir_all(&dir);
}
