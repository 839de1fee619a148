//! `make layout-report`: the embedded layout against graphviz's `dot` on the
//! corpus graphs (default flags), case by case: edge crossings, drawing
//! area, edges through nodes, overlapping boxes.

use pprof_graph::engine::{self, commands, Invocation};
use pprof_graph::render::drawing::Drawing;
use pprof_graph::render::layout::layout;
use pprof_graph::render::metrics::{from_dot_plain, Geometry};
use pprof_graph::report::{dot, Config};
use pprof_graph::source::{self, SourceOptions};
use std::io::Write;
use std::process::{Command, Stdio};

fn dot_plain(text: &str) -> Option<String> {
    let mut child = Command::new("dot")
        .arg("-Tplain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let data = format!("{root}/tests/data");
    let profiles_tsv =
        std::fs::read_to_string(format!("{data}/PROFILES.tsv")).expect("PROFILES.tsv");
    let mut profiles: Vec<String> = profiles_tsv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() > 1 && !f[1].starts_with("legacy")).then(|| format!("{data}/{}", f[0]))
        })
        .filter(|p| std::path::Path::new(p).exists())
        .collect();
    if let Some(extra) = std::env::var_os("PPROF_GRAPH_CORPUS") {
        let big = std::path::Path::new(&extra).join("profiles/gen/biggraph.heap.pb.gz");
        if big.exists() {
            profiles.push(big.to_string_lossy().into_owned());
        }
    }
    let have_dot = dot_plain("digraph{}").is_some();
    if !have_dot {
        println!("graphviz `dot` not found: printing the embedded layout's figures only");
    }
    println!(
        "{:<44} {:>6} {:>6} {:>6} {:>8} {:>6} {:>6}",
        "profile", "cross", "dot", "ratio", "area", "thru", "ovl"
    );
    let (mut sum_ours, mut sum_dot, mut area_ours, mut area_dot) = (0usize, 0usize, 0.0, 0.0);
    let (mut thru, mut ovl) = (0usize, 0usize);
    let dot_command = Invocation::new(commands::find("dot").expect("dot"), None).expect("dot");
    for path in &profiles {
        let opts = SourceOptions {
            inputs: vec![path.clone()],
            ..SourceOptions::default()
        };
        let Ok(p) = source::load(&opts, &mut |_| {}) else {
            continue;
        };
        let Ok(mut rpt) = engine::report(&dot_command, p, &Config::default(), &mut |_| {}) else {
            continue;
        };
        let d = dot::build(&mut rpt);
        let ours = Geometry::from_layout(&layout(&Drawing::from_dot(&d)));
        let name = path.rsplit("profiles/").next().unwrap_or(path);
        let (c, a) = (ours.crossings(), ours.area());
        thru += ours.edges_through_nodes();
        ovl += ours.overlaps();
        if let Some(plain) = have_dot
            .then(|| dot_plain(&d.to_dot_escaped_title()))
            .flatten()
        {
            let theirs = from_dot_plain(&plain);
            let (dc, da) = (theirs.crossings(), theirs.area());
            sum_ours += c;
            sum_dot += dc;
            area_ours += a;
            area_dot += da;
            println!(
                "{:<44} {:>6} {:>6} {:>6.2} {:>8.2} {:>6} {:>6}",
                name,
                c,
                dc,
                c as f64 / dc.max(1) as f64,
                a / da.max(1.0),
                ours.edges_through_nodes(),
                ours.overlaps()
            );
        } else {
            println!(
                "{:<44} {:>6} {:>6} {:>6} {:>8.0} {:>6} {:>6}",
                name,
                c,
                "-",
                "-",
                a,
                ours.edges_through_nodes(),
                ours.overlaps()
            );
        }
    }
    if have_dot {
        println!(
            "total: crossings {} vs dot {} ({:.2}x); area {:.2}x dot's; edges through nodes {}; overlaps {}",
            sum_ours,
            sum_dot,
            sum_ours as f64 / sum_dot.max(1) as f64,
            area_ours / area_dot.max(1.0),
            thru,
            ovl
        );
    }
}
