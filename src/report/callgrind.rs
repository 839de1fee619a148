//! `-callgrind`: the untrimmed graph in callgrind format, for KCachegrind
//! (pprof's `printCallgrind`, with its name and address compression).

use super::Report;
use crate::base::units;
use crate::graph::NodeInfo;
use petgraph::stable_graph::NodeIndex;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Callgrind's name compression: `(N) name` the first time, `(N)` after.
fn compressed(names: &mut HashMap<String, usize>, name: &str) -> String {
    if name.is_empty() {
        return String::new();
    }
    if let Some(id) = names.get(name) {
        return format!("({id})");
    }
    let id = names.len() + 1;
    names.insert(name.to_string(), id);
    format!("({id}) {name}")
}

/// Callgrind's subposition compression: `*` for the previous address, a
/// signed offset when shorter than the absolute address.
fn address(prev: Option<&NodeInfo>, curr: u64) -> String {
    let abs = format!("{curr:#x}");
    let Some(prev) = prev else {
        return abs;
    };
    if prev.address == curr {
        return "*".to_string();
    }
    let relative = format!("{:+}", curr.wrapping_sub(prev.address) as i64);
    if relative.len() < abs.len() {
        relative
    } else {
        abs
    }
}

/// The callgrind output.
pub fn render(rpt: &mut Report) -> String {
    let t = rpt.trimmed_graph();
    rpt.select_integer_output_unit(&t.graph);
    let g = &t.graph;
    let names = disambiguated_names(g);
    let scaled = |v: i64| units::scale(v, &rpt.sample_unit, &rpt.output_unit).0 as i64;
    let mut out = String::from("positions: instr line\n");
    let _ = writeln!(out, "events: {}({})", rpt.sample_type, rpt.output_unit);
    let (mut objfiles, mut files, mut functions) = Default::default();
    let mut prev: Option<&NodeInfo> = None;
    for &n in &g.nodes {
        let info = &g.g[n].info;
        let changed = prev.is_none_or(|p| {
            p.objfile != info.objfile || p.file != info.file || p.name != info.name
        });
        if changed {
            let _ = writeln!(out, "\nob={}", compressed(&mut objfiles, &info.objfile));
            let _ = writeln!(out, "fl={}", compressed(&mut files, &info.file));
            let _ = writeln!(out, "fn={}", compressed(&mut functions, &info.name));
        }
        let _ = writeln!(
            out,
            "{} {} {}",
            address(prev, info.address),
            info.lineno,
            scaled(g.g[n].flat_value())
        );
        for e in g.sorted_out_edges(n) {
            let (_, dst) = g.g.edge_endpoints(e).expect("edge");
            let callee = &g.g[dst].info;
            let _ = writeln!(out, "cfl={}", compressed(&mut files, &callee.file));
            let _ = writeln!(out, "cfn={}", compressed(&mut functions, &names[&dst]));
            let _ = writeln!(
                out,
                "calls=0 {} {}",
                address(prev, callee.address),
                callee.lineno
            );
            let _ = writeln!(out, "* * {}", scaled(g.g[e].weight));
        }
        prev = Some(info);
    }
    out
}

/// Callgrind merges functions of one file and name; nodes of different
/// functions (other binaries, other start lines) get ` [i/n]`.
fn disambiguated_names(g: &crate::graph::Graph) -> HashMap<NodeIndex, String> {
    let function = |i: &NodeInfo| {
        (
            i.name.clone(),
            i.orig_name.clone(),
            i.file.clone(),
            i.start_line,
            i.objfile.clone(),
        )
    };
    let mut index: HashMap<(String, String), Vec<_>> = HashMap::new();
    for &n in &g.nodes {
        let info = &g.g[n].info;
        let f = function(info);
        let fs = index
            .entry((info.file.clone(), info.name.clone()))
            .or_default();
        if !fs.contains(&f) {
            fs.push(f);
        }
    }
    let mut out = HashMap::new();
    for &n in g.g.node_indices().collect::<Vec<_>>().iter() {
        let info = &g.g[n].info;
        let mut name = info.name.clone();
        if let Some(fs) = index.get(&(info.file.clone(), info.name.clone())) {
            if fs.len() > 1 {
                let i = fs.iter().position(|f| *f == function(info)).unwrap_or(0);
                name.push_str(&format!(" [{}/{}]", i + 1, fs.len()));
            }
        }
        out.insert(n, name);
    }
    out
}
