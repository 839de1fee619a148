//! The `-list REGEX` report: annotated source of every matching function,
//! as pprof prints it (one block per function and file, ±5 lines around
//! the sampled ones, `.` for zero), with pprof's source search.

use super::Report;
use crate::base::{gopath::trim_path, units};
use crate::graph::{Graph, NodeInfo};
use petgraph::stable_graph::NodeIndex;
use regex::Regex;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Lines of context before the first and after the last sampled line.
const MARGIN: i64 = 5;

/// Reads source files once each, remembering failures.
struct SourceReader {
    search_path: String,
    trim_path: String,
    files: HashMap<String, Result<Vec<String>, String>>,
}

impl SourceReader {
    fn lines(&mut self, path: &str) -> &Result<Vec<String>, String> {
        if !self.files.contains_key(path) {
            let r = open_source_file(path, &self.search_path, &self.trim_path)
                .map(|text| text.lines().map(str::to_string).collect::<Vec<_>>());
            self.files.insert(path.to_string(), r);
        }
        &self.files[path]
    }
}

/// Finds a source file: absolute paths as they are; relative ones under
/// each search path entry and then under each of its parents.
fn open_source_file(path: &str, search_path: &str, trim: &str) -> Result<String, String> {
    let path = trim_path(path, trim, search_path);
    if Path::new(&path).is_absolute() {
        return std::fs::read(&path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| format!("open {path}: {}", crate::base::write::describe_io(&e)));
    }
    for dir in search_path.split(':').filter(|_| !search_path.is_empty()) {
        let mut dir = PathBuf::from(dir);
        loop {
            if let Ok(b) = std::fs::read(dir.join(&path)) {
                return Ok(String::from_utf8_lossy(&b).into_owned());
            }
            match dir.parent() {
                Some(p)
                    if p != dir && !(p.as_os_str().is_empty() && dir.as_os_str().is_empty()) =>
                {
                    dir = if p.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        p.to_path_buf()
                    };
                }
                _ => break,
            }
            if dir == Path::new(".") {
                if let Ok(b) = std::fs::read(&path) {
                    return Ok(String::from_utf8_lossy(&b).into_owned());
                }
                break;
            }
        }
    }
    Err(format!("could not find file {path} on path {search_path}"))
}

fn value_or_dot(rpt: &Report, v: i64) -> String {
    if v == 0 {
        ".".to_string()
    } else {
        rpt.format_value(v)
    }
}

fn sum(g: &Graph, nodes: &[NodeIndex]) -> (i64, i64) {
    nodes.iter().fold((0i64, 0i64), |(f, c), &n| {
        (f.wrapping_add(g.g[n].flat), c.wrapping_add(g.g[n].cum))
    })
}

/// Prints the annotated source of the functions matching `symbol`.
pub fn render(rpt: &Report, symbol: &Regex) -> Result<String, String> {
    let g = rpt.untrimmed_graph();
    let mut functions: Vec<(String, Vec<NodeIndex>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for &n in &g.nodes {
        let name = &g.g[n].info.name;
        if !symbol.is_match(name) {
            continue;
        }
        match index.get(name) {
            Some(&i) => functions[i].1.push(n),
            None => {
                index.insert(name.clone(), functions.len());
                functions.push((name.clone(), vec![n]));
            }
        }
    }
    if functions.is_empty() {
        return Err(format!("no matches found for regexp: {symbol}"));
    }
    functions.sort_by(|a, b| a.0.cmp(&b.0));
    let search_path = if rpt.source_path.is_empty() {
        std::env::current_dir()
            .map(|d| d.to_string_lossy().into_owned())
            .map_err(|e| format!("could not stat current dir: {e}"))?
    } else {
        rpt.source_path.clone()
    };
    let mut reader = SourceReader {
        search_path,
        trim_path: rpt.trim_path.clone(),
        files: HashMap::new(),
    };
    let mut out = String::new();
    let _ = writeln!(out, "Total: {}", rpt.format_value(rpt.total));
    for (name, nodes) in &functions {
        let mut files: Vec<(String, Vec<NodeIndex>)> = Vec::new();
        for &n in nodes {
            let file = &g.g[n].info.file;
            if file.is_empty() {
                continue;
            }
            match files.iter_mut().find(|(f, _)| f == file) {
                Some((_, v)) => v.push(n),
                None => files.push((file.clone(), vec![n])),
            }
        }
        if files.is_empty() {
            let _ = writeln!(out, "No source information for {name}");
            continue;
        }
        files.sort_by(|a, b| {
            let (ia, ib): (&NodeInfo, &NodeInfo) = (&g.g[a.1[0]].info, &g.g[b.1[0]].info);
            ia.file
                .cmp(&ib.file)
                .then(ia.start_line.cmp(&ib.start_line))
                .then_with(|| ia.go_repr().cmp(&ib.go_repr()))
        });
        for (file, fns) in &files {
            let (flat_sum, cum_sum) = sum(&g, fns);
            let _ = writeln!(out, "ROUTINE ======================== {name} in {file}");
            let _ = writeln!(
                out,
                "{:>10} {:>10} (flat, cum) {} of Total",
                rpt.format_value(flat_sum),
                rpt.format_value(cum_sum),
                units::percentage(cum_sum, rpt.total)
            );
            // The window: the function's start line (or first sample − 5)
            // to the last sampled line + 5.
            let first = &g.g[fns[0]].info;
            let mut start = if first.start_line != 0 {
                first.start_line
            } else {
                first.lineno - MARGIN
            };
            let mut end = first.lineno + MARGIN;
            let mut by_line: HashMap<i64, Vec<NodeIndex>> = HashMap::new();
            for &n in fns {
                let info = &g.g[n].info;
                let node_start = if info.start_line != 0 {
                    info.start_line
                } else {
                    info.lineno - MARGIN
                };
                let node_end = info.lineno + MARGIN;
                if node_start < start {
                    start = node_start;
                } else if node_end > end {
                    end = node_end;
                }
                by_line.entry(info.lineno).or_default().push(n);
            }
            start = start.max(1);
            let lines = match reader.lines(file) {
                Ok(l) => l,
                Err(e) => {
                    let _ = writeln!(out, " Error: {e}");
                    continue;
                }
            };
            for lineno in start..=end {
                let Some(text) = lines.get((lineno - 1) as usize) else {
                    break;
                };
                let (flat, cum) = by_line.get(&lineno).map_or((0, 0), |v| sum(&g, v));
                let _ = writeln!(
                    out,
                    "{:>10} {:>10} {:>6}:{}",
                    value_or_dot(rpt, flat),
                    value_or_dot(rpt, cum),
                    lineno,
                    text
                );
            }
        }
    }
    Ok(out)
}
