//! Helpers shared by the integration tests: the corpus manifest, running
//! the real binary, and locating test data.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/data`, the working directory of every corpus case.
pub fn data_dir() -> PathBuf {
    root().join("tests/data")
}

/// The binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pprof-graph"))
}

/// Runs the binary in `dir` with `args`, TZ=UTC.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .output()
        .expect("run pprof-graph")
}

/// Runs the binary in `dir` with `args`, TZ=UTC and `PATH` set to `path`.
pub fn run_with_path(dir: &Path, args: &[&str], path: &str) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .env("PATH", path)
        .output()
        .expect("run pprof-graph")
}

/// A fresh, empty scratch folder for one test: `kind` and `name` keep
/// tests apart, the process id keeps runs apart.
pub fn scratch(kind: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pprof-graph-{kind}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Why the browser tests cannot run here (Debian's `chromium`, node, and
/// `playwright-core` installed in `tests/e2e` are needed), or `None`.
pub fn browser_missing() -> Option<&'static str> {
    let e2e = root().join("tests/e2e");
    if !Path::new("/usr/bin/chromium").exists() {
        Some("Debian's chromium is not installed (apt-get install chromium)")
    } else if !e2e.join("node_modules/playwright-core").exists() {
        Some("playwright-core is not installed (npm install in tests/e2e)")
    } else if Command::new("node").arg("--version").output().is_err() {
        Some("node is not installed")
    } else {
        None
    }
}

/// Runs the browser script `tests/e2e/SCRIPT` with `args`; its stdout
/// (JSON of what it saw), or a panic with its output when it fails.
pub fn run_browser_script(script: &str, args: &[&str]) -> String {
    let out = Command::new("node")
        .arg(root().join("tests/e2e").join(script))
        .args(args)
        .output()
        .expect("run node");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// Writes an executable shell script to `path`.
pub fn write_script(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    let mut perms = std::fs::metadata(path).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(path, perms).unwrap();
}

/// One line of the corpus manifest.
#[derive(Clone, Debug)]
pub struct Case {
    /// Case id.
    pub id: String,
    /// Profile path relative to the corpus folder.
    pub profile: String,
    /// The oracle's flags, split on single spaces.
    pub flags: Vec<String>,
    /// Golden path relative to the corpus folder (`golden/…`).
    pub golden: String,
}

/// Reads `tests/data/MANIFEST.tsv`.
pub fn manifest() -> Vec<Case> {
    let text = std::fs::read_to_string(data_dir().join("MANIFEST.tsv")).expect("manifest");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Case {
                id: f[0].to_string(),
                profile: f[1].to_string(),
                flags: f[2].split(' ').map(str::to_string).collect(),
                golden: f[3].to_string(),
            }
        })
        .collect()
}

/// The folder holding a case's profile and golden: `tests/data` when the
/// profile is shipped, else the shared corpus named by `PPROF_GRAPH_CORPUS`.
/// Large goldens are shipped gzipped (`NAME.gz`).
pub fn case_dirs(case: &Case) -> Option<(PathBuf, PathBuf)> {
    let golden_name = Path::new(&case.golden).file_name()?.to_owned();
    if data_dir().join(&case.profile).exists() {
        let plain = root().join("golden").join(&golden_name);
        let mut gz = plain.clone().into_os_string();
        gz.push(".gz");
        let gz = PathBuf::from(gz);
        return Some((data_dir(), if plain.exists() { plain } else { gz }));
    }
    let corpus = PathBuf::from(std::env::var_os("PPROF_GRAPH_CORPUS")?);
    corpus
        .join(&case.profile)
        .exists()
        .then(|| (corpus.clone(), corpus.join(&case.golden)))
}

/// A golden's bytes (gunzipped when its name ends in `.gz`), or empty
/// when there is none (a missing `.stderr` means pprof wrote nothing).
pub fn read_golden(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let Ok(data) = std::fs::read(path) else {
        return Vec::new();
    };
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&data[..])
            .read_to_end(&mut out)
            .expect("gzipped golden");
        return out;
    }
    data
}

/// The report a case asks for: its first report flag (`top`, `dot`,
/// `peek`, …), as pprof names it.
pub fn report_kind(case: &Case) -> &'static str {
    const REPORTS: &[&str] = &[
        "top",
        "text",
        "dot",
        "svg",
        "png",
        "list",
        "peek",
        "tree",
        "traces",
        "tags",
        "raw",
        "callgrind",
        "comments",
        "proto",
    ];
    for f in &case.flags {
        let name = f.trim_start_matches('-');
        let name = name.split_once('=').map_or(name, |(n, _)| n);
        if let Some(r) = REPORTS.iter().find(|r| **r == name) {
            return r;
        }
    }
    "top"
}

/// Why a corpus case is not run: pictures are drawn by graphviz in the
/// goldens, so they are not compared byte for byte (see tests/render.rs);
/// `None` when it is run.
pub fn not_covered(case: &Case) -> Option<&'static str> {
    if !(case.golden.ends_with(".txt") || case.golden.ends_with(".dot")) {
        return Some("image output");
    }
    None
}

/// Whether graphviz's `dot` is on the PATH.
pub fn have_dot() -> bool {
    Command::new("dot")
        .arg("-V")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

use pprof_graph::profile::{Function, Line, Location, Mapping, Profile, Sample, ValueType};
use proptest::prelude::*;

/// A random profile: `funcs` functions, locations of one or two frames
/// (the second an inlining caller), and samples with positive values.
pub fn profile_strategy() -> impl Strategy<Value = Profile> {
    (2usize..8, 2usize..12).prop_flat_map(|(funcs, locs)| {
        let location = (0..funcs, proptest::option::of(0..funcs));
        let sample = (
            proptest::collection::vec(0..locs, 1..8),
            0i64..1000,
            0i64..50,
        );
        (
            Just(funcs),
            proptest::collection::vec(location, locs),
            proptest::collection::vec(sample, 1..40),
        )
            .prop_map(|(funcs, locations, samples)| Profile {
                strings: vec![String::new()],
                sample_types: vec![
                    ValueType {
                        kind: "samples".into(),
                        unit: "count".into(),
                    },
                    ValueType {
                        kind: "cpu".into(),
                        unit: "nanoseconds".into(),
                    },
                ],
                mappings: vec![Mapping {
                    id: 1,
                    file: "/bin/prog".into(),
                    ..Default::default()
                }],
                functions: (0..funcs)
                    .map(|i| Function {
                        id: i as u64 + 1,
                        name: format!("main.f{i}"),
                        system_name: format!("main.f{i}"),
                        filename: format!("f{i}.go"),
                        start_line: 0,
                    })
                    .collect(),
                locations: locations
                    .iter()
                    .enumerate()
                    .map(|(i, &(f, inl))| {
                        let mut lines = vec![Line {
                            function: f as u32,
                            line: 10,
                            column: 0,
                        }];
                        if let Some(g) = inl {
                            lines.push(Line {
                                function: g as u32,
                                line: 20,
                                column: 0,
                            });
                        }
                        Location {
                            id: i as u64 + 1,
                            mapping: Some(0),
                            address: 0x1000 + i as u64,
                            lines,
                            is_folded: false,
                        }
                    })
                    .collect(),
                samples: samples
                    .into_iter()
                    .map(|(stack, v, c)| Sample {
                        locations: stack.into_iter().map(|l| l as u32).collect(),
                        values: vec![c, v * 1_000_000].into(),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            })
    })
}
