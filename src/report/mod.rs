//! Reports: the driver steps between a loaded profile and a printed report
//! (filters, granularity, the report total), graph trimming, output-unit
//! selection and the legend lines. [`text`] and [`dot`] print a trimmed
//! graph; they never look at the profile's wire format.

pub mod dot;
pub mod flame;
pub mod list;
pub mod names;
pub mod text;
pub mod traces;

use crate::base::gopath::{base_name, trim_path};
use crate::base::{gotime::format_time, units};
use crate::graph::trim::NodeOrder;
use crate::graph::{self, Graph, NodeSet};
use crate::profile::{filter, prune, Profile};
use regex::Regex;
use std::collections::HashMap;

/// What the report prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `-top` / `-text`.
    Text,
    /// `-dot` and everything drawn from it.
    Dot,
}

/// Node granularity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Granularity {
    /// One node per function (default).
    #[default]
    Functions,
    /// One node per function and file.
    FileFunctions,
    /// One node per file.
    Files,
    /// One node per source line.
    Lines,
    /// One node per address.
    Addresses,
}

/// Colours of the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Palette {
    /// pprof's: red for positive values, green for negative (diffs).
    #[default]
    Pprof,
    /// Colour-blind safe: orange for growth, blue for shrinkage.
    Colorblind,
}

impl Granularity {
    /// The granularity named as pprof names it (`functions`, `files`, …).
    pub fn from_name(name: &str) -> Option<Granularity> {
        Some(match name {
            "functions" => Granularity::Functions,
            "filefunctions" => Granularity::FileFunctions,
            "files" => Granularity::Files,
            "lines" => Granularity::Lines,
            "addresses" => Granularity::Addresses,
            _ => return None,
        })
    }

    /// pprof's name of the granularity.
    pub fn name(self) -> &'static str {
        match self {
            Granularity::Functions => "functions",
            Granularity::FileFunctions => "filefunctions",
            Granularity::Files => "files",
            Granularity::Lines => "lines",
            Granularity::Addresses => "addresses",
        }
    }
}

/// Everything a report is configured by (pprof's settings).
#[derive(Clone, Debug)]
pub struct Config {
    /// Output kind.
    pub format: Format,
    /// `-sample_index` (a name, a number, or empty for the default).
    pub sample_index: String,
    /// `-mean`.
    pub mean: bool,
    /// Node granularity.
    pub granularity: Granularity,
    /// `-noinlines`.
    pub noinlines: bool,
    /// `-focus`.
    pub focus: String,
    /// `-ignore`.
    pub ignore: String,
    /// `-hide`.
    pub hide: String,
    /// `-show`.
    pub show: String,
    /// `-show_from`.
    pub show_from: String,
    /// `-prune_from`.
    pub prune_from: String,
    /// `-tagfocus`.
    pub tagfocus: String,
    /// `-tagignore`.
    pub tagignore: String,
    /// `-tagshow`.
    pub tagshow: String,
    /// `-taghide`.
    pub taghide: String,
    /// `-relative_percentages`.
    pub relative_percentages: bool,
    /// `-nodecount` (−1: 0 for text, 80 for graphs).
    pub node_count: i64,
    /// `-nodefraction`.
    pub node_fraction: f64,
    /// `-edgefraction`.
    pub edge_fraction: f64,
    /// `-trim` (false disables all trimming).
    pub trim: bool,
    /// `-cum`.
    pub cum: bool,
    /// `-call_tree`.
    pub call_tree: bool,
    /// `-compact_labels`.
    pub compact_labels: bool,
    /// `-drop_negative`.
    pub drop_negative: bool,
    /// `--palette`.
    pub palette: Palette,
    /// `-unit`.
    pub unit: String,
    /// `-divide_by`.
    pub divide_by: f64,
    /// `-trim_path`.
    pub trim_path: String,
    /// `-source_path`.
    pub source_path: String,
    /// `-list`: annotated source (forces line granularity, no trimming,
    /// object names in node keys).
    pub list: bool,
    /// Merge equal samples first, as pprof's fetch does (only reports that
    /// show single samples, like `-traces`, can tell).
    pub merge_samples: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            format: Format::Text,
            sample_index: String::new(),
            mean: false,
            granularity: Granularity::Functions,
            noinlines: false,
            focus: String::new(),
            ignore: String::new(),
            hide: String::new(),
            show: String::new(),
            show_from: String::new(),
            prune_from: String::new(),
            tagfocus: String::new(),
            tagignore: String::new(),
            tagshow: String::new(),
            taghide: String::new(),
            relative_percentages: false,
            node_count: -1,
            node_fraction: 0.005,
            edge_fraction: 0.001,
            trim: true,
            cum: false,
            call_tree: false,
            compact_labels: false,
            drop_negative: false,
            palette: Palette::Pprof,
            unit: "minimum".to_string(),
            divide_by: 1.0,
            trim_path: String::new(),
            source_path: String::new(),
            list: false,
            merge_samples: false,
        }
    }
}

/// A profile ready to report on, with the settings resolved.
pub struct Report {
    /// The filtered, aggregated profile.
    pub prof: Profile,
    /// The report total (denominator of every percentage).
    pub total: i64,
    /// Output kind.
    pub format: Format,
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

fn compile(name: &str, value: &str) -> Result<Option<Regex>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    Regex::new(value)
        .map(Some)
        .map_err(|e| format!("parsing {name} regexp: {}", filter::regex_error(&e)))
}

/// Applies the filters in pprof's order, sending "matched no samples"
/// warnings to `warn`.
fn apply_focus(
    p: &mut Profile,
    units: &HashMap<String, String>,
    cfg: &Config,
    warn: &mut dyn FnMut(String),
) -> Result<(), String> {
    let focus = compile("focus", &cfg.focus)?;
    let ignore = compile("ignore", &cfg.ignore)?;
    let hide = compile("hide", &cfg.hide)?;
    let show = compile("show", &cfg.show)?;
    let show_from = compile("show_from", &cfg.show_from)?;
    let tagfocus = compile_tag(&cfg.tagfocus, "tagfocus", warn)?;
    let tagignore = compile_tag(&cfg.tagignore, "tagignore", warn)?;
    let prune_from = compile("prune_from", &cfg.prune_from)?;

    let mut no_match = |ok: bool, what: &str| {
        if !ok {
            warn(format!("{what} expression matched no samples"));
        }
    };
    let m = filter::filter_samples_by_name(
        p,
        focus.as_ref(),
        ignore.as_ref(),
        hide.as_ref(),
        show.as_ref(),
    );
    no_match(focus.is_none() || m.focus, "Focus");
    no_match(ignore.is_none() || m.ignore, "Ignore");
    no_match(hide.is_none() || m.hide, "Hide");
    no_match(show.is_none() || m.show, "Show");
    if let Some(re) = &show_from {
        let sfm = filter::show_from(p, re);
        no_match(sfm, "ShowFrom");
    }
    if tagfocus.is_some() || tagignore.is_some() {
        let (tfm, tim) =
            filter::filter_samples_by_tag(p, tagfocus.as_ref(), tagignore.as_ref(), units);
        no_match(tagfocus.is_none() || tfm, "TagFocus");
        no_match(tagignore.is_none() || tim, "TagIgnore");
    }
    let tagshow = compile("tagshow", &cfg.tagshow)?;
    let taghide = compile("taghide", &cfg.taghide)?;
    if tagshow.is_some() || taghide.is_some() {
        let (tns, tnh) = filter::filter_tags_by_name(p, tagshow.as_ref(), taghide.as_ref());
        no_match(tagshow.is_none() || tns, "TagShow");
        no_match(taghide.is_none() || tnh, "TagHide");
    }
    if let Some(re) = &prune_from {
        prune::prune_from(p, re);
    }
    Ok(())
}

fn compile_tag(
    value: &str,
    name: &str,
    warn: &mut dyn FnMut(String),
) -> Result<Option<filter::TagFilter>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let c = filter::compile_tag_filter(name, value)?;
    if let Some(n) = c.notice {
        warn(n);
    }
    Ok(Some(c.filter))
}

/// Rewrites the profile to the node granularity (pprof's `Aggregate`).
fn aggregate(p: &mut Profile, g: Granularity, noinlines: bool) {
    let inlines = !noinlines;
    let (function, filename, linenumber, address) = match g {
        Granularity::Addresses if inlines => return,
        Granularity::Addresses => (true, true, true, true),
        Granularity::Lines => (true, true, true, false),
        Granularity::Files => (false, true, false, false),
        Granularity::Functions => (true, false, false, false),
        Granularity::FileFunctions => (true, true, false, false),
    };
    if !function || !filename {
        for f in &mut p.functions {
            if !function {
                f.name.clear();
                f.system_name.clear();
            }
            if !filename {
                f.filename.clear();
            }
        }
    }
    if !inlines || !address || !linenumber {
        for l in &mut p.locations {
            if !inlines && l.lines.len() > 1 {
                let last = l.lines.len() - 1;
                l.lines.drain(..last);
            }
            if !linenumber {
                for ln in &mut l.lines {
                    ln.line = 0;
                }
            }
            if !address {
                l.address = 0;
            }
        }
    }
}

/// Σ|value| over the samples (over the diff base's samples when present),
/// divided by Σ divisor with `-mean`.
fn compute_total(p: &Profile, index: usize, mean: Option<usize>) -> i64 {
    let (mut div, mut total, mut diff_div, mut diff_total) = (0i64, 0i64, 0i64, 0i64);
    for s in &p.samples {
        let v = s.values[index].wrapping_abs();
        let d = mean.map_or(0, |m| s.values[m]);
        total = total.wrapping_add(v);
        div = div.wrapping_add(d);
        if p.is_diff_base_sample(s) {
            diff_total = diff_total.wrapping_add(v);
            diff_div = diff_div.wrapping_add(d);
        }
    }
    if diff_total > 0 {
        total = diff_total;
        div = diff_div;
    }
    if div != 0 {
        total.wrapping_div(div)
    } else {
        total
    }
}

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
    /// pprof's report preparation on a loaded profile: command overrides,
    /// filters (before or after the total, per `-relative_percentages`),
    /// sample selection, and aggregation to the granularity.
    pub fn new(
        mut prof: Profile,
        cfg: &Config,
        warn: &mut dyn FnMut(String),
    ) -> Result<Report, String> {
        if cfg.merge_samples {
            prof = crate::profile::merge::merge(std::slice::from_ref(&prof))?;
        }
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
        let (mut node_count, mut node_fraction, mut edge_fraction) =
            (cfg.node_count, cfg.node_fraction, cfg.edge_fraction);
        if node_count == -1 {
            node_count = match cfg.format {
                Format::Text => 0,
                Format::Dot => 80,
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
        aggregate(&mut prof, granularity, cfg.noinlines);
        for f in &mut prof.functions {
            f.filename = trim_path(&f.filename, &cfg.trim_path, &cfg.source_path);
        }
        Ok(Report {
            prof,
            total,
            format: cfg.format,
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
            obj_names: cfg.list,
        })
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
        if self.format != Format::Dot {
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

    fn new_graph(&self, kept: Option<&NodeSet>, tags: Option<&graph::TagSignatures>) -> Graph {
        let visual = self.format == Format::Dot;
        let opts = graph::Options {
            sample_index: self.sample_index,
            mean_index: self.mean_index,
            obj_names: self.obj_names,
            call_tree: self.call_tree && visual,
            drop_negative: self.drop_negative,
            kept,
            tags,
        };
        Graph::new(&self.prof, &opts)
    }

    /// The whole graph, nothing trimmed.
    pub fn untrimmed_graph(&self) -> Graph {
        self.new_graph(None, None)
    }

    /// Builds and trims the graph as pprof's `newTrimmedGraph` does.
    pub fn trimmed_graph(&self) -> Trimmed {
        let visual = self.format == Format::Dot;
        let call_tree = self.call_tree && visual;
        let tags = self.tag_signatures();
        let tags = tags.as_ref();
        let mut g = self.new_graph(None, tags);
        let total_value = g.flat_sum();
        let node_cutoff = ((total_value as f64 * self.node_fraction) as i64).wrapping_abs();
        let edge_cutoff = ((total_value as f64 * self.edge_fraction) as i64).wrapping_abs();
        let mut dropped_nodes = 0;
        if node_cutoff > 0 {
            if call_tree {
                let kept = g.discard_low_frequency_node_ptrs(node_cutoff);
                if kept.len() != g.nodes.len() {
                    dropped_nodes = g.nodes.len() - kept.len();
                    g.trim_tree(&kept);
                }
            } else {
                let kept = g.discard_low_frequency_nodes(node_cutoff);
                if kept.len() != g.nodes.len() {
                    dropped_nodes = g.nodes.len() - kept.len();
                    g = self.new_graph(Some(&kept), tags);
                }
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
                    g = self.new_graph(Some(&kept), tags);
                    g.sort_nodes(order);
                }
            }
        }
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
        let t = self.trimmed_graph();
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
        if min_unit != max_unit && min_value.wrapping_mul(100) < max_value {
            unit = units::scale(min_value.wrapping_mul(100), &self.sample_unit, "minimum").1;
        }
        self.output_unit = if unit.is_empty() {
            self.sample_unit.clone()
        } else {
            unit
        };
    }

    /// The profile's legend lines: file, build id, comments, type, time,
    /// duration.
    pub fn profile_labels(&self) -> Vec<String> {
        let p = &self.prof;
        let mut out = Vec::new();
        if let Some(m) = p.mappings.first() {
            if !m.file.is_empty() {
                out.push(format!("File: {}", base_name(&m.file)));
            }
            if !m.build_id.is_empty() {
                out.push(format!("Build ID: {}", m.build_id));
            }
        }
        for c in &p.comments {
            if !c.starts_with('#') {
                out.push(c.clone());
            }
        }
        if !self.sample_type.is_empty() {
            out.push(format!("Type: {}", self.sample_type));
        }
        if p.time_nanos != 0 {
            out.push(format!("Time: {}", format_time(p.time_nanos)));
        }
        if p.duration_nanos != 0 {
            let duration = units::label(p.duration_nanos, "nanoseconds");
            let (total_nanos, total_unit) =
                units::scale(self.total, &self.sample_unit, "nanoseconds");
            let ratio = if total_unit == "ns" && total_nanos != 0.0 {
                format!(
                    "({})",
                    units::percentage(total_nanos as i64, p.duration_nanos)
                )
            } else {
                String::new()
            };
            out.push(format!(
                "Duration: {duration}, Total samples = {} {ratio}",
                self.format_value(self.total)
            ));
        }
        out
    }

    /// All legend lines of a report (§7.2 of the semantics notes).
    pub fn labels(&self, t: &Trimmed, full_headers: bool) -> Vec<String> {
        let mut label = if full_headers || !self.compact_labels {
            self.profile_labels()
        } else {
            Vec::new()
        };
        let g = &t.graph;
        let flat_sum = g
            .nodes
            .iter()
            .fold(0i64, |a, &n| a.wrapping_add(g.g[n].flat_value()));
        if !self.active_filters.is_empty() {
            label.push("Active filters:".to_string());
            for f in &self.active_filters {
                let f = if f.len() > 80 {
                    let mut cut = 80;
                    while !f.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    format!("{}…", &f[..cut])
                } else {
                    f.clone()
                };
                label.push(format!("   {f}"));
            }
        }
        label.push(format!(
            "Showing nodes accounting for {}, {} of {} total",
            self.format_value(flat_sum),
            units::percentage(flat_sum, self.total).trim(),
            self.format_value(self.total)
        ));
        if self.total != 0 {
            if t.dropped_nodes > 0 {
                label.push(gen_label(
                    t.dropped_nodes,
                    "node",
                    "cum",
                    &self.format_value(
                        ((self.total as f64 * self.node_fraction) as i64).wrapping_abs(),
                    ),
                ));
            }
            if t.dropped_edges > 0 {
                label.push(gen_label(
                    t.dropped_edges,
                    "edge",
                    "freq",
                    &self.format_value(
                        ((self.total as f64 * self.edge_fraction) as i64).wrapping_abs(),
                    ),
                ));
            }
            let shown = g.nodes.len();
            if shown > 0 && shown < t.orig_count {
                label.push(format!("Showing top {shown} nodes out of {}", t.orig_count));
            }
        }
        if full_headers {
            label.push("\nSee https://git.io/JfYMW for how to read the graph".to_string());
        }
        label
    }
}

fn gen_label(d: usize, n: &str, l: &str, f: &str) -> String {
    let s = if d > 1 { "s" } else { "" };
    format!("Dropped {d} {n}{s} ({l} <= {f})")
}
