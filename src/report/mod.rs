//! Reports: a loaded profile prepared for reporting ([`Report::new`]: the
//! command's settings, filters, sample selection, aggregation to the
//! granularity), graph trimming and output-unit selection. One module per
//! report ([`text`], [`dot`], [`list`], [`traces`], [`flame`]) reads the
//! prepared report or its trimmed graph; none prints or looks at the wire
//! format.

pub mod callgrind;
pub mod comments;
mod config;
pub mod dot;
pub mod flame;
pub mod holders;
mod legend;
pub mod list;
pub mod names;
mod prepare;
pub mod proto;
pub mod raw;
pub mod tags;
pub mod text;
pub mod traces;
pub mod tree;
pub mod weblist;

pub use config::{Config, Granularity, Mode, Palette};

use crate::base::gopath::{base_name, trim_path};
use crate::base::units;
use crate::graph::trim::NodeOrder;
use crate::graph::{self, Graph, NodeSet};
use crate::profile::{aggregate, labelnodes, Profile};
use prepare::{apply_focus, compute_total};
use std::collections::HashMap;

/// A profile ready to report on, with the settings resolved.
pub struct Report {
    /// The filtered, aggregated profile.
    pub prof: Profile,
    /// The report total (denominator of every percentage).
    pub total: i64,
    /// Text or graph reading of the graph.
    pub mode: Mode,
    /// Index of the reported value.
    pub sample_index: usize,
    /// Index of the `-mean` divisor.
    pub mean_index: Option<usize>,
    /// Type shown in the legend (`mean_` prefixed with `-mean`).
    pub sample_type: String,
    /// Unit of the sample values.
    pub sample_unit: String,
    /// Display unit (`minimum` until chosen).
    pub output_unit: String,
    /// Display ratio (`1/divide_by`).
    pub ratio: f64,
    /// Graph title.
    pub title: String,
    /// `name=value` of the active filters.
    pub active_filters: Vec<String>,
    /// Unit of each numeric label key.
    pub num_label_units: HashMap<String, String>,
    /// Effective node count.
    pub node_count: usize,
    /// Effective node fraction.
    pub node_fraction: f64,
    /// Effective edge fraction.
    pub edge_fraction: f64,
    /// `-cum`.
    pub cum_sort: bool,
    /// `-call_tree`.
    pub call_tree: bool,
    /// `-drop_negative`.
    pub drop_negative: bool,
    /// `-compact_labels`.
    pub compact_labels: bool,
    /// Graph colours.
    pub palette: Palette,
    /// `-trim_path`.
    pub trim_path: String,
    /// `-source_path`.
    pub source_path: String,
    /// Keep object file names and start lines in node keys (`-list`).
    pub obj_names: bool,
}

/// `-tagroot`/`-tagleaf`: label values as frames, before any filter
/// (so filters can match them), with pprof's warning when a key matched
/// nothing.
fn label_frames(prof: &mut Profile, cfg: &Config, warn: &mut dyn FnMut(String)) {
    fn keys(s: &str) -> Vec<&str> {
        s.split(',').filter(|k| !k.is_empty()).collect()
    }
    let (roots, leaves) = (keys(&cfg.tagroot), keys(&cfg.tagleaf));
    if roots.is_empty() && leaves.is_empty() {
        return;
    }
    let (root_matched, leaf_matched) =
        labelnodes::add_label_nodes(prof, &roots, &leaves, &cfg.unit);
    if !cfg.tagroot.is_empty() && !root_matched {
        warn("TagRoot expression matched no samples".to_string());
    }
    if !cfg.tagleaf.is_empty() && !leaf_matched {
        warn("TagLeaf expression matched no samples".to_string());
    }
}

/// Printable frame names by (location, line), for [`Report::frame_names`].
pub type FrameNames = HashMap<(u32, usize), String>;

/// One node's values, for summaries across reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeValue {
    /// The node's printable name.
    pub name: String,
    /// Its own value.
    pub flat: i64,
    /// Its value with everything it calls.
    pub cum: i64,
}

/// A trimmed graph and the counts its legend reports.
pub struct Trimmed {
    /// The graph.
    pub graph: Graph,
    /// Nodes before the node-count cut.
    pub orig_count: usize,
    /// Nodes removed by the node fraction.
    pub dropped_nodes: usize,
    /// Edges removed by the edge fraction (final pass only).
    pub dropped_edges: usize,
}

impl Report {
    /// pprof's report preparation on a loaded profile under `cfg` (with
    /// the command's overrides already applied, see `engine`): the
    /// defaults that follow from the mode and `-trim`, filters (before or
    /// after the total, per `-relative_percentages`), sample selection, and
    /// aggregation to the granularity.
    pub fn new(
        mut prof: Profile,
        cfg: &Config,
        warn: &mut dyn FnMut(String),
    ) -> Result<Report, String> {
        let (units, ignored) = prof.num_label_units();
        let mut ignored: Vec<_> = ignored.into_iter().collect();
        ignored.sort();
        for (k, us) in ignored {
            warn(format!(
                "For tag {k} used unit {}, also encountered unit(s) {}",
                units.get(&k).cloned().unwrap_or_default(),
                us.join(", ")
            ));
        }
        label_frames(&mut prof, cfg, warn);
        let (mut node_count, mut node_fraction, mut edge_fraction) =
            (cfg.node_count, cfg.node_fraction, cfg.edge_fraction);
        if node_count == -1 {
            node_count = match cfg.mode {
                Mode::Text => 0,
                Mode::Graph => 80,
            };
        }
        let mut granularity = cfg.granularity;
        if cfg.list {
            granularity = Granularity::Lines;
        }
        if !cfg.trim || cfg.list {
            node_count = 0;
            node_fraction = 0.0;
            edge_fraction = 0.0;
        }
        if cfg.relative_percentages {
            apply_focus(&mut prof, &units, cfg, warn)?;
        }
        if prof.sample_types.is_empty() {
            return Err("profile has no samples".into());
        }
        let index = prof.sample_index_by_name(&cfg.sample_index)?;
        let mean_index = cfg.mean.then_some(0);
        let st = &prof.sample_types[index];
        let sample_type = if cfg.mean {
            format!("mean_{}", st.kind)
        } else {
            st.kind.clone()
        };
        let sample_unit = st.unit.clone();
        if cfg.divide_by == 0.0 {
            return Err("zero divisor specified".into());
        }
        let mut active_filters = Vec::new();
        for (k, v) in [
            ("focus", &cfg.focus),
            ("ignore", &cfg.ignore),
            ("hide", &cfg.hide),
            ("show", &cfg.show),
            ("show_from", &cfg.show_from),
            ("tagfocus", &cfg.tagfocus),
            ("tagignore", &cfg.tagignore),
            ("tagshow", &cfg.tagshow),
            ("taghide", &cfg.taghide),
        ] {
            if !v.is_empty() {
                active_filters.push(format!("{k}={v}"));
            }
        }
        let title = match prof.mappings.first() {
            Some(m) if !m.file.is_empty() => base_name(&m.file).to_string(),
            _ => String::new(),
        };
        let total = compute_total(&prof, index, mean_index);
        if !cfg.relative_percentages {
            apply_focus(&mut prof, &units, cfg, warn)?;
        }
        if let Some(keep) = granularity.keep(cfg.noinlines, cfg.show_columns) {
            aggregate::aggregate(&mut prof, keep);
        }
        for f in &mut prof.functions {
            f.filename = trim_path(&f.filename, &cfg.trim_path, &cfg.source_path);
        }
        Ok(Report {
            prof,
            total,
            mode: cfg.mode,
            sample_index: index,
            mean_index,
            sample_type,
            sample_unit,
            output_unit: cfg.unit.clone(),
            ratio: 1.0 / cfg.divide_by,
            title,
            active_filters,
            num_label_units: units,
            node_count: node_count.max(0) as usize,
            node_fraction,
            edge_fraction,
            cum_sort: cfg.cum,
            call_tree: cfg.call_tree,
            drop_negative: cfg.drop_negative,
            compact_labels: cfg.compact_labels,
            palette: cfg.palette,
            trim_path: cfg.trim_path.clone(),
            source_path: cfg.source_path.clone(),
            obj_names: cfg.list || cfg.obj_names,
        })
    }

    /// A sample's reported value: the selected one, divided by the `-mean`
    /// divisor when there is one.
    pub fn sample_value(&self, values: &[i64]) -> i64 {
        let v = values[self.sample_index];
        match self.mean_index.map(|m| values[m]) {
            Some(d) if d != 0 => v.wrapping_div(d),
            _ => v,
        }
    }

    /// The printable names of a sample's frames, innermost first (each
    /// inlined frame its own); `cache` keeps the names already made.
    pub fn frame_names(&self, s: &crate::profile::Sample, cache: &mut FrameNames) -> Vec<String> {
        let p = &self.prof;
        let mut out = Vec::with_capacity(s.locations.len());
        for &l in s.locations.ids().iter() {
            let n = p.locations[l as usize].lines.len();
            for i in 0..n.max(1) {
                let name = cache.entry((l, i)).or_insert_with(|| {
                    graph::node_info(p, l as usize, (n > 0).then_some(i), false).printable_name()
                });
                out.push(name.clone());
            }
        }
        out
    }

    /// Formats a value in the display unit (after the ratio).
    pub fn format_value(&self, v: i64) -> String {
        let mut v = v;
        if self.ratio > 0.0 && self.ratio != 1.0 {
            v = (v as f64 * self.ratio) as i64;
        }
        units::scaled_label(v, &self.sample_unit, &self.output_unit)
    }

    /// The tag signatures of the samples, for graphs that draw nodelets.
    fn tag_signatures(&self) -> Option<graph::TagSignatures> {
        if self.mode != Mode::Graph {
            return None;
        }
        let bytes_unit = self
            .num_label_units
            .get("bytes")
            .cloned()
            .unwrap_or_else(|| "bytes".to_string());
        let unit = self.output_unit.clone();
        let format = move |v: i64, key: &str| units::scaled_label(v, key, &unit);
        Some(graph::TagSignatures::new(&self.prof, &bytes_unit, &format))
    }

    fn new_graph(
        &self,
        kept: Option<&NodeSet>,
        tags: Option<&graph::TagSignatures>,
        frames: Option<&graph::Frames>,
        edges: graph::Edges,
    ) -> Graph {
        let mut o = self.graph_options(kept, tags, frames);
        o.edges = edges;
        Graph::new(&self.prof, &o)
    }

    fn graph_options<'a>(
        &self,
        kept: Option<&'a NodeSet>,
        tags: Option<&'a graph::TagSignatures>,
        frames: Option<&'a graph::Frames>,
    ) -> graph::Options<'a> {
        let visual = self.mode == Mode::Graph;
        graph::Options {
            sample_index: self.sample_index,
            mean_index: self.mean_index,
            obj_names: self.obj_names,
            call_tree: self.call_tree && visual,
            drop_negative: self.drop_negative,
            kept,
            kept_keys: None,
            tags,
            frames,
            // Only `trimmed_graph` asks for tags, and it spreads them.
            defer_tags: tags.is_some(),
            edges: graph::Edges::All,
        }
    }

    /// The whole graph, nothing trimmed.
    pub fn untrimmed_graph(&self) -> Graph {
        self.new_graph(None, None, None, graph::Edges::All)
    }

    /// Builds and trims the graph as pprof's `newTrimmedGraph` does.
    pub fn trimmed_graph(&self) -> Trimmed {
        self.trimmed(graph::Edges::All)
    }

    /// The trimmed graph's nodes, with only the edges that tell whether
    /// a node is inlined into its callers ([`graph::Edges::IntoInlined`]):
    /// enough for the text report.
    pub fn trimmed_nodes(&self) -> Trimmed {
        self.trimmed(graph::Edges::IntoInlined)
    }

    fn trimmed(&self, edges: graph::Edges) -> Trimmed {
        let visual = self.mode == Mode::Graph;
        let call_tree = self.call_tree && visual;
        let tags = self.tag_signatures();
        let tags = tags.as_ref();
        // The builds below share the frames' keys (trees do not use them).
        let frames = (!call_tree).then(|| graph::Frames::new(&self.prof, self.obj_names));
        let frames = frames.as_ref();
        let cutoff = |total: i64, fraction: f64| ((total as f64 * fraction) as i64).wrapping_abs();
        let mut dropped_nodes = 0;
        let (mut g, total_value) = if call_tree || self.node_fraction == 0.0 {
            let g = self.new_graph(None, tags, frames, edges);
            let total = g.flat_sum();
            (g, total)
        } else {
            // Which nodes the fraction drops follows from the values of the
            // graph of every node alone: a pass without edges or tags finds
            // them, and the graph is built once, of the nodes kept.
            let values =
                graph::NodeValues::new(&self.prof, &self.graph_options(None, None, frames));
            let total = values.flat_sum();
            let node_cutoff = cutoff(total, self.node_fraction);
            let kept = (node_cutoff > 0).then(|| values.discard_low_frequency_keys(node_cutoff));
            let shown = values.len();
            // (The values go before the build: with millions of nodes, as in
            // heap dumps, they weigh as much as the graph.)
            drop(values);
            crate::base::memory::return_freed();
            let g = match kept {
                Some((kept, count)) if count != shown => {
                    dropped_nodes = shown - count;
                    let mut o = self.graph_options(None, tags, frames);
                    o.kept_keys = Some(&kept);
                    o.edges = edges;
                    Graph::new(&self.prof, &o)
                }
                _ => self.new_graph(None, tags, frames, edges),
            };
            (g, total)
        };
        let node_cutoff = cutoff(total_value, self.node_fraction);
        let edge_cutoff = cutoff(total_value, self.edge_fraction);
        if call_tree && node_cutoff > 0 {
            let kept = g.discard_low_frequency_node_ptrs(node_cutoff);
            if kept.len() != g.nodes.len() {
                dropped_nodes = g.nodes.len() - kept.len();
                g.trim_tree(&kept);
            }
        }
        let orig_count = g.nodes.len();
        let order = if visual {
            NodeOrder::Entropy
        } else if self.cum_sort {
            NodeOrder::Cum
        } else {
            NodeOrder::Flat
        };
        g.sort_nodes(order);
        if self.node_count > 0 {
            // Picking the top nodes counts the tags of as many at most.
            let top = g.nodes[..self.node_count.min(g.nodes.len())].to_vec();
            g.spread_tags(&top);
            g.trim_low_frequency_tags(node_cutoff);
            g.trim_low_frequency_edges(edge_cutoff);
            if call_tree {
                let kept = g.select_top_node_ptrs(self.node_count, visual);
                if kept.len() != g.nodes.len() {
                    g.trim_tree(&kept);
                    g.sort_nodes(order);
                }
            } else {
                let kept = g.select_top_nodes(self.node_count, visual);
                if kept.len() != g.nodes.len() {
                    g = self.new_graph(Some(&kept), tags, frames, edges);
                    g.sort_nodes(order);
                }
            }
        }
        g.spread_all_tags();
        g.trim_low_frequency_tags(node_cutoff);
        let dropped_edges = g.trim_low_frequency_edges(edge_cutoff);
        if visual {
            g.remove_redundant_edges();
        }
        Trimmed {
            graph: g,
            orig_count,
            dropped_nodes,
            dropped_edges,
        }
    }

    /// The name, flat and cum value of every node of the trimmed graph, in
    /// report order.
    pub fn node_values(&self) -> Vec<NodeValue> {
        let t = self.trimmed_nodes();
        let g = &t.graph;
        g.nodes
            .iter()
            .map(|&n| NodeValue {
                name: g.g[n].printable.clone(),
                flat: g.g[n].flat_value(),
                cum: g.g[n].cum_value(),
            })
            .collect()
    }

    /// Picks the display unit from the smallest shown value and the total.
    pub fn select_output_unit(&mut self, g: &Graph) {
        self.choose_output_unit(g, true);
    }

    /// Like [`Report::select_output_unit`], for reports that show whole
    /// numbers only (callgrind): the smallest value never goes below 1.
    pub fn select_integer_output_unit(&mut self, g: &Graph) {
        self.choose_output_unit(g, false);
    }

    fn choose_output_unit(&mut self, g: &Graph, fractions: bool) {
        if self.output_unit != "minimum" || g.nodes.is_empty() {
            return;
        }
        let mut min_value = 0i64;
        for &n in &g.nodes {
            let node = &g.g[n];
            let mut m = node.flat_value().wrapping_abs();
            if m == 0 {
                m = node.cum_value().wrapping_abs();
            }
            if m > 0 && (min_value == 0 || m < min_value) {
                min_value = m;
            }
        }
        let mut max_value = self.total;
        if min_value == 0 {
            min_value = max_value;
        }
        let r = self.ratio;
        if r > 0.0 && r != 1.0 {
            min_value = (min_value as f64 * r) as i64;
            max_value = (max_value as f64 * r) as i64;
        }
        let (_, min_unit) = units::scale(min_value, &self.sample_unit, "minimum");
        let (_, max_unit) = units::scale(max_value, &self.sample_unit, "minimum");
        let mut unit = min_unit.clone();
        if fractions && min_unit != max_unit && min_value.wrapping_mul(100) < max_value {
            unit = units::scale(min_value.wrapping_mul(100), &self.sample_unit, "minimum").1;
        }
        self.output_unit = if unit.is_empty() {
            self.sample_unit.clone()
        } else {
            unit
        };
    }
}
