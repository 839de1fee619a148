//! The call graph: nodes keyed by [`NodeInfo`] with flat and cum values,
//! weighted edges, and tags for nodelets, stored in a petgraph
//! [`StableGraph`]. Built from a profile's samples as pprof builds it
//! (recursion counted once per sample, residual edges over removed frames);
//! [`trim`] holds the pruning and ordering steps.

pub mod trim;

use crate::profile::Profile;
use petgraph::stable_graph::{NodeIndex, StableGraph};
use petgraph::Direction;
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt::Write as _;

/// The identity of a node; nodes with equal infos are merged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeInfo {
    /// Function name.
    pub name: String,
    /// System name (kept only on request; always empty here).
    pub orig_name: String,
    /// Address (zero unless `-addresses`).
    pub address: u64,
    /// Source file.
    pub file: String,
    /// Function start line (only with object names).
    pub start_line: i64,
    /// Line number (zero unless `-lines`/`-addresses`).
    pub lineno: i64,
    /// Binary file (only with object names or when the name is empty).
    pub objfile: String,
}

impl NodeInfo {
    /// The parts of the printable name: address, name, and one of
    /// `file:line`, `file`, `[binary]` or `<unknown>`.
    pub fn name_components(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(3);
        if self.address != 0 {
            out.push(format!("{:016x}", self.address));
        }
        if !self.name.is_empty() {
            out.push(self.name.clone());
        }
        if self.lineno != 0 {
            out.push(format!("{}:{}", self.file, self.lineno));
        } else if !self.file.is_empty() {
            out.push(self.file.clone());
        } else if !self.name.is_empty() {
        } else if !self.objfile.is_empty() {
            out.push(format!("[{}]", base_name(&self.objfile)));
        } else {
            out.push("<unknown>".to_string());
        }
        out
    }

    /// The full name used in text reports and tooltips.
    pub fn printable_name(&self) -> String {
        self.name_components().join(" ")
    }

    /// The struct as Go's `fmt.Sprint` prints it: pprof's last tie-break.
    pub fn go_repr(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "{{{} {} {} {} {} {} {}}}",
            self.name,
            self.orig_name,
            self.address,
            self.file,
            self.start_line,
            self.lineno,
            self.objfile
        );
        s
    }
}

/// `filepath.Base`: the last element of a slash-separated path.
pub fn base_name(path: &str) -> &str {
    let p = path.trim_end_matches('/');
    if p.is_empty() {
        return if path.is_empty() { "." } else { "/" };
    }
    match p.rfind('/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

/// Go's `filepath.Clean` for slash-separated paths.
pub fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// A tag (label or numeric label value) counted on a node.
#[derive(Clone, Debug, Default)]
pub struct Tag {
    /// Display name: `key:value` pairs, or the formatted number.
    pub name: String,
    /// Unit of a numeric tag, empty for label tags.
    pub unit: String,
    /// The numeric value of a numeric tag.
    pub value: i64,
    /// Flat weight.
    pub flat: i64,
    /// Flat divisor (`-mean`).
    pub flat_div: i64,
    /// Cumulative weight.
    pub cum: i64,
    /// Cumulative divisor (`-mean`).
    pub cum_div: i64,
}

fn div(v: i64, d: i64) -> i64 {
    if d == 0 {
        v
    } else {
        v.wrapping_div(d)
    }
}

impl Tag {
    /// Flat weight, divided for `-mean`.
    pub fn flat_value(&self) -> i64 {
        div(self.flat, self.flat_div)
    }
    /// Cumulative weight, divided for `-mean`.
    pub fn cum_value(&self) -> i64 {
        div(self.cum, self.cum_div)
    }
}

/// A graph node.
#[derive(Clone, Debug, Default)]
pub struct Node {
    /// Identity.
    pub info: NodeInfo,
    /// Cached [`NodeInfo::printable_name`].
    pub printable: String,
    /// Samples that end here.
    pub flat: i64,
    /// Divisor of `flat` (`-mean`).
    pub flat_div: i64,
    /// Samples that pass through here.
    pub cum: i64,
    /// Divisor of `cum` (`-mean`).
    pub cum_div: i64,
    /// Label tags, by joined label string.
    pub label_tags: Vec<Tag>,
    /// Numeric tags, grouped by the joined label string of their samples.
    pub numeric_tags: Vec<(String, Vec<Tag>)>,
}

impl Node {
    /// Flat value, divided for `-mean`.
    pub fn flat_value(&self) -> i64 {
        div(self.flat, self.flat_div)
    }
    /// Cumulative value, divided for `-mean`.
    pub fn cum_value(&self) -> i64 {
        div(self.cum, self.cum_div)
    }
}

/// A call edge.
#[derive(Clone, Debug, Default)]
pub struct Edge {
    /// Summed weight.
    pub weight: i64,
    /// Divisor of `weight` (`-mean`).
    pub weight_div: i64,
    /// The edge skips removed frames.
    pub residual: bool,
    /// Every call behind the edge was inlined.
    pub inline: bool,
}

impl Edge {
    /// Weight, divided for `-mean`.
    pub fn weight_value(&self) -> i64 {
        div(self.weight, self.weight_div)
    }
}

/// Which nodes a rebuild keeps.
pub type NodeSet = FxHashSet<NodeInfo>;

/// How to build a graph.
pub struct Options<'a> {
    /// Index of the sample value to use.
    pub sample_index: usize,
    /// Index of the `-mean` divisor value, if any.
    pub mean_index: Option<usize>,
    /// Keep object file names in node keys (`-list` and friends).
    pub obj_names: bool,
    /// Build a call tree instead of a graph.
    pub call_tree: bool,
    /// Drop nodes with negative values.
    pub drop_negative: bool,
    /// Only these nodes, if given.
    pub kept: Option<&'a NodeSet>,
    /// Collect tags; `Some(unit)` gives the unit of the `bytes` numeric
    /// label and a formatter for numeric tag names.
    pub tags: Option<TagFormat<'a>>,
}

/// How numeric tags are named.
pub struct TagFormat<'a> {
    /// Unit of the `bytes` numeric label.
    pub bytes_unit: &'a str,
    /// Formats a value with its unit into a tag name.
    pub format: &'a dyn Fn(i64, &str) -> String,
}

/// A call graph: all nodes in `g` (including zero ones, which edges may
/// still point at, as in pprof), and the shown nodes in order in `nodes`.
#[derive(Clone, Default)]
pub struct Graph {
    /// Nodes and edges.
    pub g: StableGraph<Node, Edge>,
    /// The nodes of the graph, in their current order.
    pub nodes: Vec<NodeIndex>,
}

const NONE: u32 = u32::MAX;

/// Per-sample tag data: the joined label string and the numeric tags.
struct SampleTags {
    label: u32,
    numeric: Vec<u32>,
}

struct TagTable {
    names: Vec<String>,
    index: FxHashMap<String, u32>,
    /// (value, unit) of each numeric tag name, first seen.
    numeric: Vec<(i64, String)>,
}

impl TagTable {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        self.names.push(s.to_string());
        self.numeric.push((0, String::new()));
        let i = (self.names.len() - 1) as u32;
        self.index.insert(s.to_string(), i);
        i
    }
}

#[derive(Default, Clone, Copy)]
struct Acc {
    flat: i64,
    flat_div: i64,
    cum: i64,
    cum_div: i64,
}

impl Acc {
    fn add(&mut self, dw: i64, w: i64, flat: bool) {
        if flat {
            self.flat_div = self.flat_div.wrapping_add(dw);
            self.flat = self.flat.wrapping_add(w);
        } else {
            self.cum_div = self.cum_div.wrapping_add(dw);
            self.cum = self.cum.wrapping_add(w);
        }
    }
}

struct Builder<'a> {
    o: &'a Options<'a>,
    infos: Vec<NodeInfo>,
    index: FxHashMap<NodeInfo, u32>,
    acc: Vec<Acc>,
    edges: Vec<(u32, u32, Edge)>,
    tags: Option<TagTable>,
    sample_tags: Vec<SampleTags>,
    label_tag_acc: FxHashMap<(u32, u32), Acc>,
    numeric_tag_acc: FxHashMap<(u32, u32, u32), Acc>,
    /// Insertion order of tag keys per node, so the result is deterministic.
    label_tag_order: Vec<(u32, u32)>,
    numeric_tag_order: Vec<(u32, u32, u32)>,
}

/// The key of one frame (`line` of location `l`) under the options.
fn node_info(p: &Profile, l: usize, line: Option<usize>, obj_names: bool) -> NodeInfo {
    let loc = &p.locations[l];
    let objfile = loc
        .mapping
        .map(|m| p.mappings[m as usize].file.clone())
        .unwrap_or_default();
    let Some(li) = line else {
        return NodeInfo {
            address: loc.address,
            objfile,
            ..Default::default()
        };
    };
    let ln = loc.lines[li];
    let f = &p.functions[ln.function as usize];
    let mut ni = NodeInfo {
        address: loc.address,
        lineno: ln.line,
        name: f.name.clone(),
        ..Default::default()
    };
    if !f.filename.is_empty() {
        ni.file = clean_path(&f.filename);
    }
    if obj_names || ni.name.is_empty() {
        ni.objfile = objfile;
        ni.start_line = f.start_line;
    }
    ni
}

impl<'a> Builder<'a> {
    fn new(o: &'a Options<'a>) -> Self {
        Builder {
            o,
            infos: Vec::new(),
            index: FxHashMap::default(),
            acc: Vec::new(),
            edges: Vec::new(),
            tags: o.tags.as_ref().map(|_| TagTable {
                names: Vec::new(),
                index: FxHashMap::default(),
                numeric: Vec::new(),
            }),
            sample_tags: Vec::new(),
            label_tag_acc: FxHashMap::default(),
            numeric_tag_acc: FxHashMap::default(),
            label_tag_order: Vec::new(),
            numeric_tag_order: Vec::new(),
        }
    }

    fn find_or_insert(&mut self, info: NodeInfo) -> u32 {
        if let Some(kept) = self.o.kept {
            if !kept.contains(&info) {
                return NONE;
            }
        }
        self.insert_unconditionally(info)
    }

    fn insert_unconditionally(&mut self, info: NodeInfo) -> u32 {
        if let Some(&i) = self.index.get(&info) {
            return i;
        }
        let i = self.infos.len() as u32;
        self.index.insert(info.clone(), i);
        self.infos.push(info);
        self.acc.push(Acc::default());
        i
    }

    /// Joined labels and numeric tag names of every sample.
    fn prepare_tags(&mut self, p: &Profile) {
        let Some(tf) = self.o.tags.as_ref() else {
            return;
        };
        let table = self.tags.as_mut().expect("tags enabled");
        let empty = table.intern("");
        let mut name_cache: FxHashMap<i64, u32> = FxHashMap::default();
        let bytes_key = p.find_str("bytes");
        let base_key = p.find_str("pprof::base");
        let mut parts: Vec<String> = Vec::new();
        for s in &p.samples {
            parts.clear();
            for &(k, v) in &s.labels {
                if Some(k) == base_key {
                    continue;
                }
                parts.push(format!("{}:{}", p.str(k), p.str(v)));
            }
            let label = if parts.is_empty() {
                empty
            } else {
                parts.sort();
                table.intern(&parts.join("\\n"))
            };
            let mut numeric = Vec::new();
            if let Some(bk) = bytes_key {
                for nl in s.num_labels.iter().filter(|n| n.key == bk) {
                    let id = match name_cache.get(&nl.value) {
                        Some(&id) => id,
                        None => {
                            let name = (tf.format)(nl.value, tf.bytes_unit);
                            let id = table.intern(&name);
                            if table.numeric[id as usize].1.is_empty() {
                                table.numeric[id as usize] = (nl.value, tf.bytes_unit.to_string());
                            }
                            name_cache.insert(nl.value, id);
                            id
                        }
                    };
                    numeric.push(id);
                }
            }
            self.sample_tags.push(SampleTags { label, numeric });
        }
    }

    fn add_tags(&mut self, node: u32, sample: usize, dw: i64, w: i64, flat: bool) {
        if self.tags.is_none() {
            return;
        }
        let st = &self.sample_tags[sample];
        let empty_label = 0;
        if st.label != empty_label {
            let key = (node, st.label);
            let e = self.label_tag_acc.entry(key).or_insert_with(|| {
                self.label_tag_order.push(key);
                Acc::default()
            });
            e.add(dw, w, flat);
        }
        for &n in &st.numeric {
            let key = (node, st.label, n);
            let e = self.numeric_tag_acc.entry(key).or_insert_with(|| {
                self.numeric_tag_order.push(key);
                Acc::default()
            });
            e.add(dw, w, flat);
        }
    }

    fn sample_weights(&self, values: &[i64]) -> (i64, i64) {
        let w = values[self.o.sample_index];
        let dw = self.o.mean_index.map_or(0, |i| values[i]);
        (w, dw)
    }

    fn build_graph(mut self, p: &Profile) -> Graph {
        self.prepare_tags(p);
        // Node slots of every location, outermost last as in the profile.
        let mut slots: Vec<Vec<u32>> = Vec::with_capacity(p.locations.len());
        for l in 0..p.locations.len() {
            let n = p.locations[l].lines.len();
            let v = if n == 0 {
                vec![self.find_or_insert(node_info(p, l, None, self.o.obj_names))]
            } else {
                (0..n)
                    .map(|i| self.find_or_insert(node_info(p, l, Some(i), self.o.obj_names)))
                    .collect()
            };
            slots.push(v);
        }
        let mut seen_node = vec![u32::MAX; self.infos.len()];
        let mut edge_index: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        let mut seen_edge: Vec<u32> = Vec::new();
        for (si, s) in p.samples.iter().enumerate() {
            let (w, dw) = self.sample_weights(&s.values);
            if w == 0 && dw == 0 {
                continue;
            }
            let stamp = si as u32;
            let mut parent = NONE;
            let mut residual = false;
            for &l in s.locations.iter().rev() {
                let ls = &slots[l as usize];
                for ni in (0..ls.len()).rev() {
                    let n = ls[ni];
                    if n == NONE {
                        residual = true;
                        continue;
                    }
                    if seen_node[n as usize] != stamp {
                        seen_node[n as usize] = stamp;
                        self.acc[n as usize].add(dw, w, false);
                        self.add_tags(n, si, dw, w, false);
                    }
                    if parent != NONE && n != parent {
                        let inline = ni != ls.len() - 1;
                        let ei = *edge_index.entry((parent, n)).or_insert_with(|| {
                            self.edges.push((
                                parent,
                                n,
                                Edge {
                                    inline: true,
                                    ..Default::default()
                                },
                            ));
                            seen_edge.push(u32::MAX);
                            (self.edges.len() - 1) as u32
                        });
                        if seen_edge[ei as usize] != stamp {
                            seen_edge[ei as usize] = stamp;
                            let e = &mut self.edges[ei as usize].2;
                            e.weight_div = e.weight_div.wrapping_add(dw);
                            e.weight = e.weight.wrapping_add(w);
                            e.residual |= residual;
                            e.inline &= inline;
                        }
                    }
                    parent = n;
                    residual = false;
                }
            }
            if parent != NONE && !residual {
                self.acc[parent as usize].add(dw, w, true);
                self.add_tags(parent, si, dw, w, true);
            }
        }
        self.finish()
    }

    fn build_tree(mut self, p: &Profile) -> Graph {
        self.prepare_tags(p);
        // Node identity is (parent node, info).
        let mut tree_index: FxHashMap<(u32, NodeInfo), u32> = FxHashMap::default();
        let mut edge_index: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        for (si, s) in p.samples.iter().enumerate() {
            let (w, dw) = self.sample_weights(&s.values);
            if w == 0 && dw == 0 {
                continue;
            }
            let mut parent = NONE;
            for &l in s.locations.iter().rev() {
                let nlines = p.locations[l as usize].lines.len();
                let count = nlines.max(1);
                for lidx in (0..count).rev() {
                    let info = node_info(
                        p,
                        l as usize,
                        (nlines > 0).then_some(lidx),
                        self.o.obj_names,
                    );
                    if self.o.kept.is_some_and(|k| !k.contains(&info)) {
                        continue;
                    }
                    let key = (parent, info);
                    let n = match tree_index.get(&key) {
                        Some(&n) => n,
                        None => {
                            let n = self.infos.len() as u32;
                            self.infos.push(key.1.clone());
                            self.acc.push(Acc::default());
                            tree_index.insert(key, n);
                            n
                        }
                    };
                    self.acc[n as usize].add(dw, w, false);
                    self.add_tags(n, si, dw, w, false);
                    if parent != NONE {
                        let inline = lidx != count - 1;
                        let ei = *edge_index.entry((parent, n)).or_insert_with(|| {
                            self.edges.push((
                                parent,
                                n,
                                Edge {
                                    inline: true,
                                    ..Default::default()
                                },
                            ));
                            (self.edges.len() - 1) as u32
                        });
                        let e = &mut self.edges[ei as usize].2;
                        e.weight_div = e.weight_div.wrapping_add(dw);
                        e.weight = e.weight.wrapping_add(w);
                        e.inline &= inline;
                    }
                    parent = n;
                }
            }
            if parent != NONE {
                self.acc[parent as usize].add(dw, w, true);
                self.add_tags(parent, si, dw, w, true);
            }
        }
        self.finish()
    }

    fn finish(self) -> Graph {
        let mut g: StableGraph<Node, Edge> =
            StableGraph::with_capacity(self.infos.len(), self.edges.len());
        let tag_names = self.tags.as_ref().map(|t| &t.names);
        let mut label_tags: FxHashMap<u32, Vec<Tag>> = FxHashMap::default();
        let mut numeric_tags: FxHashMap<u32, Vec<(String, Vec<Tag>)>> = FxHashMap::default();
        if let Some(names) = tag_names {
            let table = self.tags.as_ref().expect("tags");
            for key in &self.label_tag_order {
                let a = self.label_tag_acc[key];
                label_tags.entry(key.0).or_default().push(Tag {
                    name: names[key.1 as usize].clone(),
                    flat: a.flat,
                    flat_div: a.flat_div,
                    cum: a.cum,
                    cum_div: a.cum_div,
                    ..Default::default()
                });
            }
            for key in &self.numeric_tag_order {
                let a = self.numeric_tag_acc[key];
                let (value, unit) = &table.numeric[key.2 as usize];
                let groups = numeric_tags.entry(key.0).or_default();
                let label = &names[key.1 as usize];
                let gi = match groups.iter().position(|(l, _)| l == label) {
                    Some(i) => i,
                    None => {
                        groups.push((label.clone(), Vec::new()));
                        groups.len() - 1
                    }
                };
                groups[gi].1.push(Tag {
                    name: names[key.2 as usize].clone(),
                    unit: unit.clone(),
                    value: *value,
                    flat: a.flat,
                    flat_div: a.flat_div,
                    cum: a.cum,
                    cum_div: a.cum_div,
                });
            }
        }
        let mut idx = Vec::with_capacity(self.infos.len());
        for (i, info) in self.infos.into_iter().enumerate() {
            let a = self.acc[i];
            let printable = info.printable_name();
            idx.push(g.add_node(Node {
                info,
                printable,
                flat: a.flat,
                flat_div: a.flat_div,
                cum: a.cum,
                cum_div: a.cum_div,
                label_tags: label_tags.remove(&(i as u32)).unwrap_or_default(),
                numeric_tags: numeric_tags.remove(&(i as u32)).unwrap_or_default(),
            }));
        }
        for (s, d, e) in self.edges {
            g.add_edge(idx[s as usize], idx[d as usize], e);
        }
        let drop_negative = self.o.drop_negative;
        let nodes = idx
            .into_iter()
            .filter(|&n| {
                let n = &g[n];
                if n.cum == 0 && n.flat == 0 {
                    return false;
                }
                !(drop_negative && is_negative(n))
            })
            .collect();
        Graph { g, nodes }
    }
}

fn is_negative(n: &Node) -> bool {
    match n.flat {
        f if f > 0 => false,
        f if f < 0 => true,
        _ => n.cum < 0,
    }
}

impl Graph {
    /// Builds the graph (or the call tree) of a profile's samples.
    pub fn new(p: &Profile, o: &Options) -> Graph {
        let b = Builder::new(o);
        if o.call_tree {
            b.build_tree(p)
        } else {
            b.build_graph(p)
        }
    }

    /// Σ flat (raw) over the shown nodes.
    pub fn flat_sum(&self) -> i64 {
        self.nodes
            .iter()
            .fold(0i64, |a, &n| a.wrapping_add(self.g[n].flat))
    }

    /// In-edges of `n` (every source, shown or not).
    pub fn in_edges(
        &self,
        n: NodeIndex,
    ) -> impl Iterator<Item = petgraph::stable_graph::EdgeReference<'_, Edge>> {
        self.g.edges_directed(n, Direction::Incoming)
    }

    /// Out-edges of `n` (every destination, shown or not).
    pub fn out_edges(
        &self,
        n: NodeIndex,
    ) -> impl Iterator<Item = petgraph::stable_graph::EdgeReference<'_, Edge>> {
        self.g.edges_directed(n, Direction::Outgoing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_clean_like_go() {
        assert_eq!(clean_path("/a/b/../c/./d//"), "/a/c/d");
        assert_eq!(clean_path("a/../../b"), "../b");
        assert_eq!(clean_path(""), ".");
        assert_eq!(base_name("/usr/bin/prog"), "prog");
        assert_eq!(base_name("prog"), "prog");
    }

    #[test]
    fn printable_names() {
        let ni = NodeInfo {
            name: "main.work".into(),
            file: "/x/main.go".into(),
            lineno: 30,
            address: 0x3000,
            ..Default::default()
        };
        assert_eq!(
            ni.printable_name(),
            "0000000000003000 main.work /x/main.go:30"
        );
        let ni = NodeInfo {
            objfile: "/lib/libc.so.6".into(),
            ..Default::default()
        };
        assert_eq!(ni.printable_name(), "[libc.so.6]");
        assert_eq!(NodeInfo::default().printable_name(), "<unknown>");
    }
}
