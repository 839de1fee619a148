//! The call graph: nodes keyed by [`NodeInfo`] with flat and cum values,
//! weighted edges, and tags for nodelets, stored in a petgraph
//! [`StableGraph`]. Built from a profile's samples as pprof builds it
//! (recursion counted once per sample, residual edges over removed frames);
//! [`trim`] holds the pruning and ordering steps.

pub mod trim;

use crate::base::gopath::{base_name, clean_path};
use crate::profile::Profile;
use petgraph::stable_graph::{NodeIndex, StableGraph};
use petgraph::Direction;
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt::Write as _;
use std::sync::Arc;

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
    /// Column number (zero unless the profile has columns and they are
    /// kept: `-showcolumns`, or `-addresses`).
    pub columnno: i64,
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
            if self.columnno != 0 {
                out.push(format!("{}:{}:{}", self.file, self.lineno, self.columnno));
            } else {
                out.push(format!("{}:{}", self.file, self.lineno));
            }
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
            "{{{} {} {} {} {} {} {} {}}}",
            self.name,
            self.orig_name,
            self.address,
            self.file,
            self.start_line,
            self.lineno,
            self.columnno,
            self.objfile
        );
        s
    }
}

/// A tag (label or numeric label value) counted on a node.
#[derive(Clone, Debug, Default)]
pub struct Tag {
    /// Display name: `key:value` pairs, or the formatted number.
    pub name: Arc<str>,
    /// Unit of a numeric tag, empty for label tags.
    pub unit: Arc<str>,
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

/// Numeric tags of a node, grouped by the joined labels of their samples.
pub type NumericTagGroups = Vec<(Arc<str>, Vec<Tag>)>;

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
    pub numeric_tags: NumericTagGroups,
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

/// pprof's `SortTags`: by |cum| (unless `flat`), then |flat|, both
/// descending, then name.
pub fn sort_tags(tags: &mut [Tag], flat: bool) {
    tags.sort_by(|a, b| {
        if !flat && a.cum != b.cum {
            let o = b.cum.wrapping_abs().cmp(&a.cum.wrapping_abs());
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        if a.flat != b.flat {
            let o = b.flat.wrapping_abs().cmp(&a.flat.wrapping_abs());
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        a.name.cmp(&b.name)
    });
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
    /// Only the frame keys marked here, if given (by their index among
    /// the distinct keys of [`Frames`]; graphs only, not call trees).
    pub kept_keys: Option<&'a [bool]>,
    /// Collect tags for nodelets, with the samples' tag signatures.
    pub tags: Option<&'a TagSignatures>,
    /// The frame keys of the profile's locations, if worked out already.
    pub frames: Option<&'a Frames>,
    /// Leave tags off the nodes until [`Graph::spread_tags`] or
    /// [`Graph::spread_all_tags`] puts them on.
    pub defer_tags: bool,
    /// Which edges to build (graphs only, not call trees).
    pub edges: Edges,
}

/// The edges a graph has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Edges {
    /// Every edge.
    #[default]
    All,
    /// Only the edges into nodes that are an inlined frame somewhere. They
    /// still tell of every node whether all, some or none of the edges
    /// into it are inline, as no edge into a node that is never an inlined
    /// frame is inline; building them costs little more than building the
    /// nodes alone.
    IntoInlined,
}

/// A call graph: all nodes in `g` (including zero ones, which edges may
/// still point at, as in pprof), and the shown nodes in order in `nodes`.
#[derive(Clone, Default)]
pub struct Graph {
    /// Nodes and edges.
    pub g: StableGraph<Node, Edge>,
    /// The nodes of the graph, in their current order.
    pub nodes: Vec<NodeIndex>,
    /// Tags accumulated but not yet on their nodes ([`Options::defer_tags`]).
    pending: Option<PendingTags>,
}

const NONE: u32 = u32::MAX;

/// Tag accumulators per (node, tag signature of a sample): dense when
/// the table is small enough, else hashed.
#[derive(Clone)]
enum TagAcc {
    /// By node × signature: weights, and divisors only with `-mean`.
    Dense {
        sigs: usize,
        weights: Vec<FlatCum>,
        divisors: Vec<FlatCum>,
    },
    Sparse(FxHashMap<(u32, u32), Acc>),
}

/// A flat and a cumulative sum.
#[derive(Clone, Copy, Default)]
struct FlatCum {
    flat: i64,
    cum: i64,
}

impl FlatCum {
    #[inline]
    fn add(&mut self, v: i64, flat: bool) {
        let sum = if flat { &mut self.flat } else { &mut self.cum };
        *sum = sum.wrapping_add(v);
    }

    fn merge(&mut self, o: &FlatCum) {
        self.flat = self.flat.wrapping_add(o.flat);
        self.cum = self.cum.wrapping_add(o.cum);
    }
}

impl TagAcc {
    #[inline]
    fn add(&mut self, node: u32, sig: u32, dw: i64, w: i64, flat: bool) {
        if sig == 0 {
            return;
        }
        match self {
            TagAcc::Dense {
                sigs,
                weights,
                divisors,
            } => {
                let i = node as usize * *sigs + sig as usize;
                weights[i].add(w, flat);
                if let Some(d) = divisors.get_mut(i) {
                    d.add(dw, flat);
                }
            }
            TagAcc::Sparse(map) => map.entry((node, sig)).or_default().add(dw, w, flat),
        }
    }

    fn merge(&mut self, other: TagAcc) {
        match (self, other) {
            (
                TagAcc::Dense {
                    weights, divisors, ..
                },
                TagAcc::Dense {
                    weights: w,
                    divisors: d,
                    ..
                },
            ) => {
                for (a, b) in weights.iter_mut().zip(w.iter()) {
                    a.merge(b);
                }
                for (a, b) in divisors.iter_mut().zip(d.iter()) {
                    a.merge(b);
                }
            }
            (TagAcc::Sparse(map), TagAcc::Sparse(o)) => {
                for (k, v) in o {
                    map.entry(k).or_default().merge(&v);
                }
            }
            _ => unreachable!("partials are built alike"),
        }
    }
}

/// What one thread accumulated over a share of the samples.
struct Partial {
    acc: Vec<Acc>,
    edges: Vec<(u32, u32, Edge)>,
    edge_index: FxHashMap<(u32, u32), u32>,
    tag_acc: TagAcc,
}

impl Partial {
    /// Adds a later share; edges keep the order of first appearance.
    fn merge(&mut self, other: Partial) {
        for (a, b) in self.acc.iter_mut().zip(other.acc.iter()) {
            a.merge(b);
        }
        for (s, d, e) in other.edges {
            match self.edge_index.get(&(s, d)) {
                Some(&i) => {
                    let mine = &mut self.edges[i as usize].2;
                    mine.weight = mine.weight.wrapping_add(e.weight);
                    mine.weight_div = mine.weight_div.wrapping_add(e.weight_div);
                    mine.residual |= e.residual;
                    mine.inline &= e.inline;
                }
                None => {
                    self.edge_index.insert((s, d), self.edges.len() as u32);
                    self.edges.push((s, d, e));
                }
            }
        }
        self.tag_acc.merge(other.tag_acc);
    }
}

/// The tags every sample contributes, computed once per profile and shared
/// by the graph rebuilds of one report: label strings and numeric tag names
/// interned, and each sample's (labels, numeric tags) signature.
pub struct TagSignatures {
    table: Arc<TagTable>,
    /// The signature of every sample.
    sample_sig: Vec<u32>,
}

/// Tag names, interned, and the distinct signatures of samples.
struct TagTable {
    names: Vec<Arc<str>>,
    index: FxHashMap<Arc<str>, u32>,
    /// (value, unit) of each numeric tag name, first seen.
    numeric: Vec<(i64, Arc<str>)>,
    /// Distinct (joined labels, numeric tag names); 0 is "no tags".
    sigs: Vec<(u32, Vec<u32>)>,
}

impl TagTable {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let name: Arc<str> = Arc::from(s);
        self.names.push(name.clone());
        self.numeric.push((0, Arc::from("")));
        let i = (self.names.len() - 1) as u32;
        self.index.insert(name, i);
        i
    }
}

impl TagSignatures {
    /// Computes the signature of every sample of `p`. Only the numeric
    /// label `bytes` counts (with unit `bytes_unit`, names made by
    /// `format`), and the `pprof::base` label never does.
    pub fn new(p: &Profile, bytes_unit: &str, format: &dyn Fn(i64, &str) -> String) -> Self {
        let mut table = TagTable {
            names: Vec::new(),
            index: FxHashMap::default(),
            numeric: Vec::new(),
            sigs: Vec::new(),
        };
        let mut sample_sig = Vec::with_capacity(p.samples.len());
        let empty = table.intern("");
        let mut name_cache: FxHashMap<i64, u32> = FxHashMap::default();
        let mut sig_index: FxHashMap<(u32, Vec<u32>), u32> = FxHashMap::default();
        let mut single_sig: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        table.sigs.push((empty, Vec::new()));
        sig_index.insert((empty, Vec::new()), 0);
        let bytes_key = p.find_str("bytes");
        let base_key = p.find_str("pprof::base");
        let mut parts: Vec<String> = Vec::new();
        let mut numeric = Vec::new();
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
            numeric.clear();
            if let Some(bk) = bytes_key {
                for nl in s.num_labels.iter().filter(|n| n.key == bk) {
                    let id = match name_cache.get(&nl.value) {
                        Some(&id) => id,
                        None => {
                            let id = table.intern(&format(nl.value, bytes_unit));
                            if table.numeric[id as usize].1.is_empty() {
                                table.numeric[id as usize] = (nl.value, Arc::from(bytes_unit));
                            }
                            name_cache.insert(nl.value, id);
                            id
                        }
                    };
                    numeric.push(id);
                }
            }
            // Most samples have one numeric tag: those skip hashing a vector.
            let single = match numeric[..] {
                [one] => Some((label, one)),
                _ => None,
            };
            if let Some(&sig) = single.and_then(|k| single_sig.get(&k)) {
                sample_sig.push(sig);
                continue;
            }
            let key = (label, std::mem::take(&mut numeric));
            let sig = match sig_index.get(&key) {
                Some(&sig) => sig,
                None => {
                    let sig = table.sigs.len() as u32;
                    table.sigs.push(key.clone());
                    sig_index.insert(key.clone(), sig);
                    sig
                }
            };
            numeric = key.1;
            if let Some(k) = single {
                single_sig.insert(k, sig);
            }
            sample_sig.push(sig);
        }
        TagSignatures {
            table: Arc::new(table),
            sample_sig,
        }
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
    fn is_zero(&self) -> bool {
        self.flat == 0 && self.flat_div == 0 && self.cum == 0 && self.cum_div == 0
    }

    fn merge(&mut self, o: &Acc) {
        self.flat = self.flat.wrapping_add(o.flat);
        self.flat_div = self.flat_div.wrapping_add(o.flat_div);
        self.cum = self.cum.wrapping_add(o.cum);
        self.cum_div = self.cum_div.wrapping_add(o.cum_div);
    }

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

/// The node key of every frame of a profile's locations, worked out once
/// for the graph builds of one report (of one unchanged profile).
pub struct Frames {
    /// The distinct keys, in the order the locations first have them.
    infos: Vec<NodeInfo>,
    /// Where each location's frames start in `keys`, then the end.
    starts: Vec<u32>,
    /// The key of every frame (its index in `infos`), each location's
    /// outermost last as in the profile.
    keys: Vec<u32>,
}

impl Frames {
    /// The frame keys of `p`'s locations, with object names kept when
    /// `obj_names`.
    pub fn new(p: &Profile, obj_names: bool) -> Frames {
        let mut f = Frames {
            infos: Vec::new(),
            starts: Vec::with_capacity(p.locations.len() + 1),
            keys: Vec::with_capacity(p.locations.len()),
        };
        let mut index: FxHashMap<NodeInfo, u32> = FxHashMap::default();
        // A frame's key depends only on (address, mapping, function, line,
        // column), so equal frames are looked up once.
        let mut memo: FxHashMap<(u64, u32, u32, i64, i64), u32> = FxHashMap::default();
        for (l, loc) in p.locations.iter().enumerate() {
            f.starts.push(f.keys.len() as u32);
            let mapping = loc.mapping.unwrap_or(u32::MAX);
            let n = loc.lines.len();
            for i in 0..n.max(1) {
                let (function, line, column, which) = if n == 0 {
                    (u32::MAX, 0, 0, None)
                } else {
                    let ln = &loc.lines[i];
                    (ln.function, ln.line, ln.column, Some(i))
                };
                let key = (loc.address, mapping, function, line, column);
                let id = *memo.entry(key).or_insert_with(|| {
                    let info = node_info(p, l, which, obj_names);
                    *index.entry(info).or_insert_with_key(|info| {
                        f.infos.push(info.clone());
                        (f.infos.len() - 1) as u32
                    })
                });
                f.keys.push(id);
            }
        }
        f.starts.push(f.keys.len() as u32);
        f
    }
}

/// One build's node of every frame (`NONE` where it is not kept).
struct Slots<'a> {
    starts: &'a [u32],
    nodes: Vec<u32>,
}

impl Slots<'_> {
    /// The nodes of location `l`'s frames, outermost last.
    #[inline]
    fn of(&self, l: u32) -> &[u32] {
        let l = l as usize;
        &self.nodes[self.starts[l] as usize..self.starts[l + 1] as usize]
    }
}

/// The tag weights of a graph's nodes, by node index, not yet spread over
/// their label and numeric tags.
#[derive(Clone)]
struct PendingTags {
    table: Arc<TagTable>,
    rows: TagRows,
    /// Nodes whose tags are spread already.
    done: Vec<bool>,
}

/// Tag weights as a graph build leaves them, readable node by node.
#[derive(Clone)]
enum TagRows {
    /// The dense accumulator ([`TagAcc::Dense`]).
    Dense {
        sigs: usize,
        weights: Vec<FlatCum>,
        divisors: Vec<FlatCum>,
    },
    /// (node, signature, weight), in that order.
    Sorted(Vec<(u32, u32, Acc)>),
}

impl PendingTags {
    fn new(table: &Arc<TagTable>, acc: TagAcc) -> Self {
        let rows = match acc {
            TagAcc::Dense {
                sigs,
                weights,
                divisors,
            } => TagRows::Dense {
                sigs,
                weights,
                divisors,
            },
            TagAcc::Sparse(map) => {
                let mut all: Vec<(u32, u32, Acc)> =
                    map.into_iter().map(|((n, s), a)| (n, s, a)).collect();
                all.sort_unstable_by_key(|&(n, s, _)| (n, s));
                TagRows::Sorted(all)
            }
        };
        PendingTags {
            table: Arc::clone(table),
            rows,
            done: Vec::new(),
        }
    }

    /// The (signature, weight) entries of node `n`, in signature order.
    fn entries(&self, n: usize) -> Vec<(u32, Acc)> {
        match &self.rows {
            TagRows::Dense {
                sigs,
                weights,
                divisors,
            } => (n * sigs..(n + 1) * sigs)
                .filter_map(|i| {
                    let w = weights.get(i)?;
                    let d = divisors.get(i).copied().unwrap_or_default();
                    let a = Acc {
                        flat: w.flat,
                        flat_div: d.flat,
                        cum: w.cum,
                        cum_div: d.cum,
                    };
                    (!a.is_zero()).then_some(((i - n * sigs) as u32, a))
                })
                .collect(),
            TagRows::Sorted(all) => {
                let start = all.partition_point(|e| (e.0 as usize) < n);
                let end = all.partition_point(|e| e.0 as usize <= n);
                all[start..end].iter().map(|&(_, s, a)| (s, a)).collect()
            }
        }
    }
}

/// Spreads the weight of one node's tag signatures over its label and
/// numeric tags, in the order they first appear; its maps are reused from
/// node to node.
#[derive(Default)]
struct TagSpread {
    labels: FxHashMap<u32, usize>,
    numerics: FxHashMap<(u32, u32), usize>,
    label_acc: Vec<(u32, Acc)>,
    numeric_acc: Vec<(u32, u32, Acc)>,
}

impl TagSpread {
    /// The label tags and grouped numeric tags of a node whose samples
    /// had `entries`: (signature, weight), in signature order.
    fn tags(
        &mut self,
        table: &TagTable,
        entries: impl Iterator<Item = (u32, Acc)>,
    ) -> (Vec<Tag>, NumericTagGroups) {
        self.labels.clear();
        self.numerics.clear();
        self.label_acc.clear();
        self.numeric_acc.clear();
        for (sig, a) in entries {
            let (label, nums) = &table.sigs[sig as usize];
            if *label != 0 {
                let i = *self.labels.entry(*label).or_insert_with(|| {
                    self.label_acc.push((*label, Acc::default()));
                    self.label_acc.len() - 1
                });
                self.label_acc[i].1.merge(&a);
            }
            for &num in nums {
                let i = *self.numerics.entry((*label, num)).or_insert_with(|| {
                    self.numeric_acc.push((*label, num, Acc::default()));
                    self.numeric_acc.len() - 1
                });
                self.numeric_acc[i].2.merge(&a);
            }
        }
        let names = &table.names;
        let tag = |name: u32, unit: Arc<str>, value: i64, a: &Acc| Tag {
            name: names[name as usize].clone(),
            unit,
            value,
            flat: a.flat,
            flat_div: a.flat_div,
            cum: a.cum,
            cum_div: a.cum_div,
        };
        let label_tags = self
            .label_acc
            .iter()
            .map(|(label, a)| tag(*label, Arc::default(), 0, a))
            .collect();
        let mut groups: NumericTagGroups = Vec::new();
        for (label, num, a) in &self.numeric_acc {
            let (value, unit) = &table.numeric[*num as usize];
            let label = &names[*label as usize];
            let gi = match groups.iter().position(|(l, _)| l == label) {
                Some(i) => i,
                None => {
                    groups.push((label.clone(), Vec::new()));
                    groups.len() - 1
                }
            };
            groups[gi].1.push(tag(*num, unit.clone(), *value, a));
        }
        (label_tags, groups)
    }
}

struct Builder<'a> {
    o: &'a Options<'a>,
    infos: Vec<NodeInfo>,
    acc: Vec<Acc>,
    edges: Vec<(u32, u32, Edge)>,
    tags: Option<&'a TagSignatures>,
    tag_acc: TagAcc,
}

/// The key of one frame: `line` of location `l` (`None` for a location
/// without lines), with object names kept when `obj_names`.
pub fn node_info(p: &Profile, l: usize, line: Option<usize>, obj_names: bool) -> NodeInfo {
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
        columnno: ln.column,
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
            acc: Vec::new(),
            edges: Vec::new(),
            tags: o.tags,
            tag_acc: TagAcc::Sparse(FxHashMap::default()),
        }
    }

    /// Tag accumulators for `nodes` nodes: dense when `nodes × signatures`
    /// is small, hashed otherwise.
    fn new_tag_acc(&self, nodes: usize) -> TagAcc {
        const MAX_DENSE: usize = 1 << 22;
        match self.tags {
            Some(t)
                if t.table.sigs.len() > 1
                    && nodes.saturating_mul(t.table.sigs.len()) <= MAX_DENSE =>
            {
                let cells = nodes * t.table.sigs.len();
                let divided = if self.o.mean_index.is_some() {
                    cells
                } else {
                    0
                };
                TagAcc::Dense {
                    sigs: t.table.sigs.len(),
                    weights: vec![FlatCum::default(); cells],
                    divisors: vec![FlatCum::default(); divided],
                }
            }
            _ => TagAcc::Sparse(FxHashMap::default()),
        }
    }

    fn sample_weights(&self, values: &[i64]) -> (i64, i64) {
        let w = values[self.o.sample_index];
        let dw = self.o.mean_index.map_or(0, |i| values[i]);
        (w, dw)
    }

    fn build_graph(mut self, p: &Profile) -> Graph {
        let total = self.accumulate_all::<true>(p);
        self.acc = total.acc;
        self.edges = total.edges;
        self.tag_acc = total.tag_acc;
        self.finish()
    }

    /// The flat and cum values of the nodes, without edges or tags.
    fn node_values(mut self, p: &Profile) -> NodeValues {
        let total = self.accumulate_all::<false>(p);
        let drop_negative = self.o.drop_negative;
        let keys = self.infos.len();
        let shown = self
            .infos
            .into_iter()
            .zip(total.acc)
            .enumerate()
            .filter(|(_, (_, a))| {
                (a.cum != 0 || a.flat != 0) && !(drop_negative && negative(a.flat, a.cum))
            })
            .map(|(k, (info, a))| (k as u32, info, a.flat, a.cum))
            .collect();
        NodeValues { keys, shown }
    }

    /// The weights of every sample, accumulated on as many threads as are
    /// worth it (with edges and tags when `EDGES`), and merged.
    fn accumulate_all<const EDGES: bool>(&mut self, p: &Profile) -> Partial {
        let own;
        let frames = match self.o.frames {
            Some(f) => f,
            None => {
                own = Frames::new(p, self.o.obj_names);
                &own
            }
        };
        // This build's node of each distinct frame key: every kept one, in
        // the order they first appear.
        let (kept, kept_keys) = (self.o.kept, self.o.kept_keys);
        let node_of: Vec<u32> = frames
            .infos
            .iter()
            .enumerate()
            .map(|(k, info)| {
                if kept_keys.is_some_and(|m| !m[k]) || kept.is_some_and(|s| !s.contains(info)) {
                    return NONE;
                }
                self.infos.push(info.clone());
                (self.infos.len() - 1) as u32
            })
            .collect();
        let slots = Slots {
            starts: &frames.starts,
            nodes: frames.keys.iter().map(|&k| node_of[k as usize]).collect(),
        };
        let slots = &slots;
        let nodes = self.infos.len();
        // The nodes that are an inlined frame of some location: every
        // frame of a location but its last, outermost one.
        let inlined = (EDGES && self.o.edges == Edges::IntoInlined).then(|| {
            let mut inlined = vec![false; nodes];
            for l in 0..slots.starts.len() - 1 {
                if let [inner @ .., _] = slots.of(l as u32) {
                    for &n in inner.iter().filter(|&&n| n != NONE) {
                        inlined[n as usize] = true;
                    }
                }
            }
            inlined
        });
        let inlined = inlined.as_deref();
        const PER_THREAD: usize = 20_000;
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(p.samples.len() / PER_THREAD)
            .max(1);
        let mut parts: Vec<Partial> = if threads == 1 {
            vec![self.accumulate::<EDGES>(p, slots, inlined, nodes, 0..p.samples.len())]
        } else {
            let chunk = p.samples.len().div_ceil(threads);
            let this = &*self;
            std::thread::scope(|sc| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let range = t * chunk..((t + 1) * chunk).min(p.samples.len());
                        sc.spawn(move || this.accumulate::<EDGES>(p, slots, inlined, nodes, range))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("graph worker"))
                    .collect()
            })
        };
        let mut total = parts.remove(0);
        for part in parts {
            total.merge(part);
        }
        total
    }

    /// Accumulates node, edge (when `EDGES`: into the nodes of `into`
    /// only, if given) and tag weights of the samples in `range`.
    fn accumulate<const EDGES: bool>(
        &self,
        p: &Profile,
        slots: &Slots,
        into: Option<&[bool]>,
        nodes: usize,
        range: std::ops::Range<usize>,
    ) -> Partial {
        let mut part = Partial {
            acc: vec![Acc::default(); nodes],
            edges: Vec::new(),
            edge_index: FxHashMap::default(),
            tag_acc: if EDGES {
                self.new_tag_acc(nodes)
            } else {
                TagAcc::Sparse(FxHashMap::default())
            },
        };
        let tags = if EDGES { self.tags } else { None };
        let mut seen_node = vec![u32::MAX; nodes];
        let mut seen_edge: Vec<u32> = Vec::new();
        let mut ids = Vec::new();
        for si in range {
            let s = &p.samples[si];
            let (w, dw) = self.sample_weights(&s.values);
            if w == 0 && dw == 0 {
                continue;
            }
            let sig = tags.map_or(0, |t| t.sample_sig[si]);
            let stamp = si as u32;
            let mut parent = NONE;
            let mut residual = false;
            for &l in s.locations.ids_in(&mut ids).iter().rev() {
                let ls = slots.of(l);
                for ni in (0..ls.len()).rev() {
                    let n = ls[ni];
                    if n == NONE {
                        residual = true;
                        continue;
                    }
                    if seen_node[n as usize] != stamp {
                        seen_node[n as usize] = stamp;
                        part.acc[n as usize].add(dw, w, false);
                        part.tag_acc.add(n, sig, dw, w, false);
                    }
                    if EDGES && parent != NONE && n != parent && into.is_none_or(|i| i[n as usize])
                    {
                        let inline = ni != ls.len() - 1;
                        let edges = &mut part.edges;
                        let ei = *part.edge_index.entry((parent, n)).or_insert_with(|| {
                            edges.push((
                                parent,
                                n,
                                Edge {
                                    inline: true,
                                    ..Default::default()
                                },
                            ));
                            seen_edge.push(u32::MAX);
                            (edges.len() - 1) as u32
                        });
                        if seen_edge[ei as usize] != stamp {
                            seen_edge[ei as usize] = stamp;
                            let e = &mut part.edges[ei as usize].2;
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
                part.acc[parent as usize].add(dw, w, true);
                part.tag_acc.add(parent, sig, dw, w, true);
            }
        }
        part
    }

    fn build_tree(mut self, p: &Profile) -> Graph {
        // Node identity is (parent node, info).
        let mut tree_index: FxHashMap<(u32, NodeInfo), u32> = FxHashMap::default();
        let mut edge_index: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        let mut ids = Vec::new();
        for (si, s) in p.samples.iter().enumerate() {
            let (w, dw) = self.sample_weights(&s.values);
            if w == 0 && dw == 0 {
                continue;
            }
            let mut parent = NONE;
            for &l in s.locations.ids_in(&mut ids).iter().rev() {
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
                    let sig = self.tags.map_or(0, |t| t.sample_sig[si]);
                    self.tag_acc.add(n, sig, dw, w, false);
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
                let sig = self.tags.map_or(0, |t| t.sample_sig[si]);
                self.tag_acc.add(parent, sig, dw, w, true);
            }
        }
        self.finish()
    }

    fn finish(self) -> Graph {
        let mut g: StableGraph<Node, Edge> =
            StableGraph::with_capacity(self.infos.len(), self.edges.len());
        let pending = self.tags.map(|t| PendingTags::new(&t.table, self.tag_acc));
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
                ..Node::default()
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
        let mut graph = Graph { g, nodes, pending };
        if !self.o.defer_tags {
            graph.spread_all_tags();
        }
        graph
    }
}

fn is_negative(n: &Node) -> bool {
    negative(n.flat, n.cum)
}

/// Whether a node of these values counts as negative (`-drop_negative`).
fn negative(flat: i64, cum: i64) -> bool {
    match flat {
        f if f > 0 => false,
        f if f < 0 => true,
        _ => cum < 0,
    }
}

/// The nodes a graph of every node would show, with their flat and cum
/// values: enough to apply a node fraction before building the graph.
pub struct NodeValues {
    /// Distinct frame keys.
    keys: usize,
    /// (frame key, info, flat, cum) of each shown node.
    shown: Vec<(u32, NodeInfo, i64, i64)>,
}

impl NodeValues {
    /// The values of the nodes [`Graph::new`] would show with `o`, whose
    /// `kept` and `kept_keys` must be `None` (tags are not accumulated).
    pub fn new(p: &Profile, o: &Options) -> NodeValues {
        Builder::new(o).node_values(p)
    }

    /// Σ flat (raw) over the shown nodes, as [`Graph::flat_sum`].
    pub fn flat_sum(&self) -> i64 {
        self.shown.iter().fold(0i64, |a, n| a.wrapping_add(n.2))
    }

    /// How many nodes are shown.
    pub fn len(&self) -> usize {
        self.shown.len()
    }

    /// Whether no node is shown.
    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// The infos of shown nodes whose |cum| reaches `cutoff`, as
    /// [`Graph::discard_low_frequency_nodes`].
    pub fn discard_low_frequency_nodes(&self, cutoff: i64) -> NodeSet {
        self.reaching(cutoff).map(|n| n.1.clone()).collect()
    }

    /// The same nodes as [`NodeValues::discard_low_frequency_nodes`], as
    /// [`Options::kept_keys`], and how many they are.
    pub fn discard_low_frequency_keys(&self, cutoff: i64) -> (Vec<bool>, usize) {
        let mut kept = vec![false; self.keys];
        let mut count = 0;
        for n in self.reaching(cutoff) {
            kept[n.0 as usize] = true;
            count += 1;
        }
        (kept, count)
    }

    fn reaching(&self, cutoff: i64) -> impl Iterator<Item = &(u32, NodeInfo, i64, i64)> {
        self.shown
            .iter()
            .filter(move |n| n.3.wrapping_abs() >= cutoff)
    }
}

impl Graph {
    /// Puts the tags of `nodes` on them, where they were left off
    /// ([`Options::defer_tags`]).
    pub fn spread_tags(&mut self, nodes: &[NodeIndex]) {
        let Some(p) = &mut self.pending else {
            return;
        };
        let mut spread = TagSpread::default();
        for &n in nodes {
            let i = n.index();
            if p.done.len() <= i {
                p.done.resize(i + 1, false);
            }
            if std::mem::replace(&mut p.done[i], true) {
                continue;
            }
            let entries = p.entries(i);
            if entries.is_empty() {
                continue;
            }
            let (labels, numeric) = spread.tags(&p.table, entries.into_iter());
            let node = &mut self.g[n];
            node.label_tags = labels;
            node.numeric_tags = numeric;
        }
    }

    /// Puts the tags of every node on it, where they were left off.
    pub fn spread_all_tags(&mut self) {
        if self.pending.is_none() {
            return;
        }
        let all: Vec<NodeIndex> = self.g.node_indices().collect();
        self.spread_tags(&all);
        self.pending = None;
    }

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
