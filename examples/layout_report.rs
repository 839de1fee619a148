//! `make layout-report`: the embedded layout against graphviz's `dot` on the
//! corpus graphs (default flags, and the diff and `-nodefraction=0` graphs
//! of the leak series), case by case: edge crossings, drawing
//! area, ink (stroke width × length over the edges), bends per edge, edges
//! through nodes, overlapping boxes, edges over another edge's label; then
//! totals and the worst graph of each.

use pprof_graph::engine::{self, commands, options, Invocation};
use pprof_graph::render::drawing::Drawing;
use pprof_graph::render::layout::layout;
use pprof_graph::render::metrics::{from_dot_plain, Geometry};
use pprof_graph::report::{dot, Config};
use pprof_graph::source::{self, SourceOptions};
use std::collections::HashMap;
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

/// One graph of the report: its profiles and the flags that differ from
/// pprof's defaults.
struct Case {
    name: String,
    sources: SourceOptions,
    /// `(option, value)` pairs, as `-option=value` on the command line.
    options: Vec<(&'static str, &'static str)>,
}

impl Case {
    /// The profile at `path`, at default flags.
    fn plain(path: String) -> Case {
        Case {
            name: path.rsplit("profiles/").next().unwrap_or(&path).to_string(),
            sources: SourceOptions {
                inputs: vec![path],
                ..SourceOptions::default()
            },
            options: Vec::new(),
        }
    }
}

/// Every profile of `PROFILES.tsv` at default flags, the shared corpus's
/// big generated heaps, and the story's diff and `-nodefraction=0` graphs.
fn cases(data: &str) -> Vec<Case> {
    let profiles_tsv =
        std::fs::read_to_string(format!("{data}/PROFILES.tsv")).expect("PROFILES.tsv");
    let mut cases: Vec<Case> = profiles_tsv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() > 1).then(|| Case::plain(format!("{data}/{}", f[0])))
        })
        .filter(|c| std::path::Path::new(&c.sources.inputs[0]).exists())
        .collect();
    if let Some(extra) = std::env::var_os("PPROF_GRAPH_CORPUS") {
        for big in ["biggraph.heap.pb.gz", "widegraph.heap.pb.gz"] {
            let big = std::path::Path::new(&extra).join("profiles/gen").join(big);
            if big.exists() {
                cases.push(Case::plain(big.to_string_lossy().into_owned()));
            }
        }
    }
    for series in ["leak", "leak-modern"] {
        let t3 = format!("{data}/profiles/{series}/heap.t3.pb.gz");
        let mut diff = Case::plain(t3.clone());
        diff.name = format!("{series}/heap.t3 -diff_base=heap.t0");
        diff.sources.bases = vec![format!("{data}/profiles/{series}/heap.t0.pb.gz")];
        diff.sources.diff_base = true;
        cases.push(diff);
        let mut all = Case::plain(t3);
        all.name = format!("{series}/heap.t3 -nodefraction=0");
        all.options = vec![("nodefraction", "0")];
        cases.push(all);
    }
    cases
}

fn main() {
    let data = format!("{}/tests/data", env!("CARGO_MANIFEST_DIR"));
    let have_dot = dot_plain("digraph{}").is_some();
    if !have_dot {
        println!("graphviz `dot` not found: printing the embedded layout's figures only");
    }
    println!(
        "{:<44} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>5} {:>5} {:>5} {:>5} {:>4}",
        "graph",
        "cross",
        "dot",
        "ratio",
        "area",
        "ink",
        "bends",
        "dot",
        "thru",
        "ovl",
        "lbl",
        "dot",
        "met"
    );
    let mut total = Totals::default();
    let dot_command = Invocation::new(commands::find("dot").expect("dot"), None).expect("dot");
    for case in cases(&data) {
        let Ok(p) = source::load(&case.sources, &mut |_| {}) else {
            println!("{:<44} cannot be read", case.name);
            continue;
        };
        let mut config = Config::default();
        for (option, value) in &case.options {
            options::configure(&mut config, option, value).expect("a known option");
        }
        let Ok(mut rpt) = engine::report(&dot_command, p, &config, &mut |_| {}) else {
            println!("{:<44} has no graph", case.name);
            continue;
        };
        let d = dot::build(&mut rpt);
        let ours = Geometry::from_layout(&layout(&Drawing::from_dot(&d)));
        let widths: HashMap<(String, String), f64> = d
            .edges
            .iter()
            .map(|e| {
                (
                    (e.from.clone(), e.to.clone()),
                    f64::from(e.penwidth.unwrap_or(1)),
                )
            })
            .collect();
        let theirs = have_dot
            .then(|| dot_plain(&d.to_dot_escaped_title()))
            .flatten()
            .map(|plain| {
                from_dot_plain(&plain, |a, b| {
                    widths
                        .get(&(a.to_string(), b.to_string()))
                        .copied()
                        .unwrap_or(1.0)
                })
            });
        total.add(&case.name, &ours, theirs.as_ref());
    }
    total.print(have_dot);
}

/// One figure of a graph for both renderers.
#[derive(Default)]
struct Figure {
    ours: f64,
    dot: f64,
    /// The graph with the highest ratio, and the ratio.
    worst: (f64, String),
}

impl Figure {
    fn add(&mut self, name: &str, ours: f64, dot: f64) -> f64 {
        self.ours += ours;
        self.dot += dot;
        let ratio = ours / dot.max(1.0);
        if ratio > self.worst.0 {
            self.worst = (ratio, name.to_string());
        }
        ratio
    }
}

/// The figures over every graph.
#[derive(Default)]
struct Totals {
    crossings: Figure,
    area: Figure,
    ink: Figure,
    bends: (usize, usize, usize),
    through: usize,
    overlaps: usize,
    /// Edges over another edge's label: ours, dot's.
    labels: (usize, usize),
    /// Graphs compared with dot's, and those meeting every per-graph target.
    graphs: usize,
    met: usize,
}

/// The per-graph targets: crossings, area and ink against dot's, bends per edge.
const TARGETS: (f64, f64, f64, f64) = (1.1, 1.2, 1.3, 1.0);

impl Totals {
    fn add(&mut self, name: &str, ours: &Geometry, dot: Option<&Geometry>) {
        let (c, a, i, b) = (ours.crossings(), ours.area(), ours.ink(), ours.bends());
        self.through += ours.edges_through_nodes();
        self.overlaps += ours.overlaps();
        self.labels.0 += ours.labels_crossed();
        self.bends.0 += b;
        self.bends.2 += ours.edges.len();
        let per_edge = |b: usize, g: &Geometry| b as f64 / g.edges.len().max(1) as f64;
        match dot {
            Some(t) => {
                let cr = self.crossings.add(name, c as f64, t.crossings() as f64);
                let ar = self.area.add(name, a, t.area());
                let ir = self.ink.add(name, i, t.ink());
                self.bends.1 += t.bends();
                self.labels.1 += t.labels_crossed();
                let clean = ours.edges_through_nodes() == 0 && ours.overlaps() == 0;
                let met = clean
                    && cr <= TARGETS.0
                    && ar <= TARGETS.1
                    && ir <= TARGETS.2
                    && per_edge(b, ours) <= TARGETS.3;
                self.graphs += 1;
                self.met += usize::from(met);
                println!(
                    "{:<44} {:>6} {:>6} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>6.2} {:>5} {:>5} {:>5} {:>5} {:>4}",
                    name,
                    c,
                    t.crossings(),
                    cr,
                    ar,
                    ir,
                    per_edge(b, ours),
                    per_edge(t.bends(), t),
                    ours.edges_through_nodes(),
                    ours.overlaps(),
                    ours.labels_crossed(),
                    t.labels_crossed(),
                    if met { "yes" } else { "no" }
                );
            }
            None => println!(
                "{:<44} {:>6} {:>6} {:>6} {:>6.0} {:>6.0} {:>6.2} {:>6} {:>5} {:>5} {:>5}",
                name,
                c,
                "-",
                "-",
                a,
                i,
                per_edge(b, ours),
                "-",
                ours.edges_through_nodes(),
                ours.overlaps(),
                ours.labels_crossed()
            ),
        }
    }

    fn print(&self, have_dot: bool) {
        let edges = self.bends.2.max(1) as f64;
        if have_dot {
            let line = |what: &str, f: &Figure| {
                println!(
                    "{what}: {:.3}x dot's in total; worst {:.2}x on {}",
                    f.ours / f.dot.max(1.0),
                    f.worst.0,
                    f.worst.1
                )
            };
            line("crossings", &self.crossings);
            line("area", &self.area);
            line("ink", &self.ink);
            println!(
                "bends per edge: {:.2} (dot {:.2}); edges through nodes {}; overlaps {}; \
                 edges over another edge's label {} (dot {})",
                self.bends.0 as f64 / edges,
                self.bends.1 as f64 / edges,
                self.through,
                self.overlaps,
                self.labels.0,
                self.labels.1
            );
            println!(
                "graphs meeting every target (crossings <= {}x, area <= {}x, ink <= {}x, \
                 bends <= {} per edge, none through nodes, no overlap): {} of {}",
                TARGETS.0, TARGETS.1, TARGETS.2, TARGETS.3, self.met, self.graphs
            );
        } else {
            println!(
                "bends per edge: {:.2}; edges through nodes {}; overlaps {}; \
                 edges over another edge's label {}",
                self.bends.0 as f64 / edges,
                self.through,
                self.overlaps,
                self.labels.0
            );
        }
    }
}
