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

/// A value in the report's unit, `.` for zero (as `list` prints it).
pub(super) fn value_or_dot(rpt: &Report, v: i64) -> String {
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

/// One line of an annotated block.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceLine {
    /// Line number.
    pub number: i64,
    /// The line's own value.
    pub flat: i64,
    /// The value through it.
    pub cum: i64,
    /// The source text.
    pub text: String,
}

/// The annotated source of one function in one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// The source file, as the profile names it.
    pub file: String,
    /// The function's flat and cum in this file.
    pub flat: i64,
    /// See `flat`.
    pub cum: i64,
    /// Its lines, or why the file could not be read.
    pub lines: Result<Vec<SourceLine>, String>,
}

/// The annotated source of one matching function.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionSource {
    /// The function's name.
    pub name: String,
    /// One block per source file; none when the profile has no file.
    pub blocks: Vec<Block>,
}

/// The annotated source of every function matching `symbol`, by name,
/// read as pprof's `list` reads it (source path, trim path, the window
/// around the sampled lines).
pub fn listing(rpt: &Report, symbol: &Regex) -> Result<Vec<FunctionSource>, String> {
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
    let mut out = Vec::new();
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
        files.sort_by(|a, b| {
            let (ia, ib): (&NodeInfo, &NodeInfo) = (&g.g[a.1[0]].info, &g.g[b.1[0]].info);
            ia.file
                .cmp(&ib.file)
                .then(ia.start_line.cmp(&ib.start_line))
                .then_with(|| ia.go_repr().cmp(&ib.go_repr()))
        });
        let blocks = files
            .iter()
            .map(|(file, fns)| block(&g, &mut reader, file, fns))
            .collect();
        out.push(FunctionSource {
            name: name.clone(),
            blocks,
        });
    }
    Ok(out)
}

/// One function's block in `file`: the window from the function's start
/// line (or first sample − 5) to the last sampled line + 5.
fn block(g: &Graph, reader: &mut SourceReader, file: &str, fns: &[NodeIndex]) -> Block {
    let (flat, cum) = sum(g, fns);
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
    let lines = reader.lines(file).clone().map(|text| {
        (start..=end)
            .map_while(|number| {
                let text = text.get((number - 1) as usize)?;
                let (flat, cum) = by_line.get(&number).map_or((0, 0), |v| sum(g, v));
                Some(SourceLine {
                    number,
                    flat,
                    cum,
                    text: text.clone(),
                })
            })
            .collect()
    });
    Block {
        file: file.to_string(),
        flat,
        cum,
        lines,
    }
}

/// Prints the annotated source of the functions matching `symbol`.
pub fn render(rpt: &Report, symbol: &Regex) -> Result<String, String> {
    let mut out = String::new();
    let _ = writeln!(out, "Total: {}", rpt.format_value(rpt.total));
    for f in listing(rpt, symbol)? {
        if f.blocks.is_empty() {
            let _ = writeln!(out, "No source information for {}", f.name);
            continue;
        }
        for b in &f.blocks {
            let _ = writeln!(
                out,
                "ROUTINE ======================== {} in {}",
                f.name, b.file
            );
            let _ = writeln!(
                out,
                "{:>10} {:>10} (flat, cum) {} of Total",
                rpt.format_value(b.flat),
                rpt.format_value(b.cum),
                units::percentage(b.cum, rpt.total)
            );
            match &b.lines {
                Err(e) => {
                    let _ = writeln!(out, " Error: {e}");
                }
                Ok(lines) => {
                    for l in lines {
                        let _ = writeln!(
                            out,
                            "{:>10} {:>10} {:>6}:{}",
                            value_or_dot(rpt, l.flat),
                            value_or_dot(rpt, l.cum),
                            l.number,
                            l.text
                        );
                    }
                }
            }
        }
    }
    Ok(out)
}
