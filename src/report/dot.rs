//! The `-dot` report: pprof's call graph as a [`DotGraph`] (legend
//! cluster, nodes sized by flat and coloured by cum, nodelets for tags,
//! edges sized and coloured by weight) and its DOT text, byte for byte as
//! pprof prints it. The renderers draw the same [`DotGraph`].

use super::names::{cap_label, escape_for_dot, multiline_printable_name};
use super::{Palette, Report, Trimmed};
use crate::base::units;
use crate::graph::trim::MAX_NODELETS;
use crate::graph::{sort_tags, Graph, Node, Tag};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;
use std::fmt::Write as _;

/// A node statement. Strings hold DOT-escaped text as printed.
#[derive(Clone, Debug, PartialEq)]
pub struct DotNode {
    /// Statement id (`N1`, `N1_0`, `NN1_0`).
    pub id: String,
    /// The `id` attribute (`node1` for call nodes, same as `id` for nodelets).
    pub svg_id: String,
    /// Label, DOT-escaped (`\n` centred line breaks).
    pub label: String,
    /// Font size in points.
    pub fontsize: u32,
    /// A tag nodelet (`box3d`) rather than a function node (`box`).
    pub nodelet: bool,
    /// Tooltip, DOT-escaped.
    pub tooltip: String,
    /// Outline colour (call nodes).
    pub color: Option<String>,
    /// Fill colour (call nodes; nodelets use the graph default).
    pub fillcolor: Option<String>,
}

/// An edge statement. Strings hold DOT-escaped text as printed.
#[derive(Clone, Debug, PartialEq)]
pub struct DotEdge {
    /// Source statement id.
    pub from: String,
    /// Destination statement id (`N0` for pprof's dangling edges).
    pub to: String,
    /// Label, DOT-escaped, with its leading space.
    pub label: String,
    /// Layout weight (how strongly dot keeps the edge short and straight).
    pub weight: Option<u32>,
    /// Line width.
    pub penwidth: Option<u32>,
    /// Line colour.
    pub color: Option<String>,
    /// Tooltip, DOT-escaped (the same for the label).
    pub tooltip: String,
    /// Dotted (residual edges, cum-only nodelets).
    pub dotted: bool,
    /// Minimum rank distance.
    pub minlen: Option<u32>,
    /// A nodelet edge (`N1 -> N1_0`), printed right after its node.
    pub nodelet: bool,
}

/// One statement in print order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stmt {
    /// `nodes[i]`.
    Node(usize),
    /// `edges[i]`.
    Edge(usize),
}

/// pprof's call graph, ready to print as DOT or to lay out and draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DotGraph {
    /// Graph name (basename of the main binary); empty when unknown.
    pub title: String,
    /// Legend lines, unescaped.
    pub legend: Vec<String>,
    /// Node statements.
    pub nodes: Vec<DotNode>,
    /// Edge statements.
    pub edges: Vec<DotEdge>,
    /// Statement order.
    pub order: Vec<Stmt>,
}

/// Builds the trimmed graph, picks the unit and returns the DOT graph.
pub fn build(rpt: &mut Report) -> DotGraph {
    let t = rpt.trimmed_graph();
    rpt.select_output_unit(&t.graph);
    let labels = rpt.labels(&t, true);
    compose(rpt, &t, labels)
}

/// Builds the graph and prints the DOT text.
pub fn render(rpt: &mut Report) -> String {
    build(rpt).to_dot()
}

impl DotGraph {
    fn push_node(&mut self, n: DotNode) {
        self.order.push(Stmt::Node(self.nodes.len()));
        self.nodes.push(n);
    }

    fn push_edge(&mut self, e: DotEdge) {
        self.order.push(Stmt::Edge(self.edges.len()));
        self.edges.push(e);
    }

    /// The DOT text, exactly as pprof prints it (the title is not escaped,
    /// as in pprof: see [`DotGraph::to_dot_escaped_title`]).
    pub fn to_dot(&self) -> String {
        self.print(false)
    }

    /// DOT text with the graph title escaped, for feeding to graphviz even
    /// when the binary's name contains a quote.
    pub fn to_dot_escaped_title(&self) -> String {
        self.print(true)
    }

    fn print(&self, escape_title: bool) -> String {
        let mut b = String::with_capacity(512 * (self.nodes.len() + 4));
        let title = if self.title.is_empty() {
            "unnamed".to_string()
        } else if escape_title {
            escape_for_dot(&self.title)
        } else {
            self.title.clone()
        };
        let _ = writeln!(b, "digraph \"{title}\" {{");
        b.push_str("node [style=filled fillcolor=\"#f8f8f8\"]\n");
        if let Some(first) = self.legend.first() {
            let escaped: Vec<String> = self.legend.iter().map(|l| escape_for_dot(l)).collect();
            let _ = write!(
                b,
                "subgraph cluster_L {{ \"{}\" [shape=box fontsize=16 label=\"{}\\l\"",
                escape_for_dot(first),
                escaped.join("\\l")
            );
            if !self.title.is_empty() {
                let t = if escape_title {
                    escape_for_dot(&self.title)
                } else {
                    self.title.clone()
                };
                let _ = write!(b, " tooltip=\"{t}\"");
            }
            b.push_str("] }\n");
        }
        for stmt in &self.order {
            match *stmt {
                Stmt::Node(i) => print_node(&mut b, &self.nodes[i]),
                Stmt::Edge(i) => print_edge(&mut b, &self.edges[i]),
            }
        }
        b.push_str("}\n");
        b
    }
}

fn print_node(b: &mut String, n: &DotNode) {
    if n.nodelet {
        let _ = writeln!(
            b,
            "{} [label = \"{}\" id=\"{}\" fontsize={} shape=box3d tooltip=\"{}\"]",
            n.id, n.label, n.svg_id, n.fontsize, n.tooltip
        );
        return;
    }
    let _ = write!(
        b,
        "{} [label=\"{}\" id=\"{}\" fontsize={} shape=box tooltip=\"{}\"",
        n.id, n.label, n.svg_id, n.fontsize, n.tooltip
    );
    if let Some(c) = &n.color {
        let _ = write!(b, " color=\"{c}\"");
    }
    if let Some(c) = &n.fillcolor {
        let _ = write!(b, " fillcolor=\"{c}\"");
    }
    b.push_str("]\n");
}

fn print_edge(b: &mut String, e: &DotEdge) {
    let _ = write!(b, "{} -> {} [label=\"{}\"", e.from, e.to, e.label);
    if let Some(w) = e.weight {
        let _ = write!(b, " weight={w}");
    }
    if let Some(p) = e.penwidth {
        let _ = write!(b, " penwidth={p}");
    }
    if let Some(c) = &e.color {
        let _ = write!(b, " color=\"{c}\"");
    }
    let _ = write!(b, " tooltip=\"{0}\" labeltooltip=\"{0}\"", e.tooltip);
    if e.dotted {
        b.push_str(" style=\"dotted\"");
    }
    if let Some(m) = e.minlen {
        let _ = write!(b, " minlen={m}");
    }
    b.push_str("]\n");
}

/// The DOT graph of a trimmed graph with its legend.
fn compose(rpt: &Report, t: &Trimmed, labels: Vec<String>) -> DotGraph {
    let g = &t.graph;
    let mut d = DotGraph {
        title: rpt.title.clone(),
        legend: labels,
        ..Default::default()
    };
    if g.nodes.is_empty() {
        return d;
    }
    let ids: FxHashMap<NodeIndex, usize> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &n)| (n, i + 1))
        .collect();
    let max_flat = g
        .nodes
        .iter()
        .map(|&n| g.g[n].flat_value().wrapping_abs())
        .max()
        .unwrap_or(0) as f64;
    let mut has_nodelets: FxHashMap<NodeIndex, bool> = FxHashMap::default();
    let mut edges: Vec<EdgeIndex> = Vec::new();
    for &n in &g.nodes {
        let id = ids[&n];
        d.push_node(call_node(rpt, &g.g[n], id, max_flat));
        let flat_tags = g.out_edges(n).next().is_some();
        has_nodelets.insert(n, add_nodelets(&mut d, rpt, &g.g[n], id, flat_tags));
        edges.extend(g.out_edges(n).map(|e| e.id()));
    }
    g.sort_edges(&mut edges);
    for e in edges {
        let (s, t) = g.g.edge_endpoints(e).expect("edge");
        let edge = call_edge(
            rpt,
            g,
            e,
            ids[&s],
            ids.get(&t).copied().unwrap_or(0),
            has_nodelets[&s],
        );
        d.push_edge(edge);
    }
    d
}

fn call_node(rpt: &Report, node: &Node, id: usize, max_flat: f64) -> DotNode {
    let (flat, cum) = (node.flat_value(), node.cum_value());
    let mut label = multiline_printable_name(&node.info);
    let flat_value = rpt.format_value(flat);
    if flat != 0 {
        let _ = write!(
            label,
            "{} ({})",
            flat_value,
            units::percentage(flat, rpt.total).trim()
        );
    } else {
        label.push('0');
    }
    let mut cum_value = flat_value;
    if cum != flat {
        label.push_str(if flat != 0 { "\\n" } else { " " });
        cum_value = rpt.format_value(cum);
        let _ = write!(
            label,
            "of {} ({})",
            cum_value,
            units::percentage(cum, rpt.total).trim()
        );
    }
    let mut font_size = 8;
    let aflat = flat.wrapping_abs() as f64;
    if max_flat != 0.0 && flat != 0 && aflat <= max_flat {
        font_size += (16.0 * (aflat / max_flat).sqrt()).ceil() as u32;
    }
    let score = cum as f64 / rpt.total.wrapping_abs() as f64;
    DotNode {
        id: format!("N{id}"),
        svg_id: format!("node{id}"),
        label,
        fontsize: font_size,
        nodelet: false,
        tooltip: format!(
            "{} ({cum_value})",
            escape_for_dot(&cap_label(&node.printable))
        ),
        color: Some(dot_color_in(rpt.palette, score, false)),
        fillcolor: Some(dot_color_in(rpt.palette, score, true)),
    }
}

fn nodelet(id: String, name: &str, weight: &str) -> DotNode {
    DotNode {
        svg_id: id.clone(),
        id,
        label: cap_label(name).into_owned(),
        fontsize: 8,
        nodelet: true,
        tooltip: weight.to_string(),
        color: None,
        fillcolor: None,
    }
}

fn nodelet_edge(from: String, to: String, weight: &str, dotted: bool) -> DotEdge {
    DotEdge {
        from,
        to,
        label: format!(" {weight}"),
        weight: Some(100),
        penwidth: None,
        color: None,
        tooltip: weight.to_string(),
        dotted,
        minlen: None,
        nodelet: true,
    }
}

fn add_nodelets(d: &mut DotGraph, rpt: &Report, node: &Node, id: usize, flat_tags: bool) -> bool {
    let start = d.order.len();
    let mut ts: Vec<Tag> = node.label_tags.clone();
    sort_tags(&mut ts, flat_tags);
    ts.truncate(MAX_NODELETS);
    let numeric = |label: &str| -> Option<&Vec<Tag>> {
        node.numeric_tags
            .iter()
            .find(|(l, tags)| &**l == label && !tags.is_empty())
            .map(|(_, t)| t)
    };
    for (i, t) in ts.iter().enumerate() {
        let w = if flat_tags {
            t.flat_value()
        } else {
            t.cum_value()
        };
        if w == 0 {
            continue;
        }
        let weight = rpt.format_value(w);
        let nid = format!("N{id}_{i}");
        d.push_node(nodelet(nid.clone(), &t.name, &weight));
        d.push_edge(nodelet_edge(format!("N{id}"), nid.clone(), &weight, false));
        if let Some(nts) = numeric(&t.name) {
            numeric_nodelets(d, rpt, nts, flat_tags, &nid);
        }
    }
    if let Some(nts) = numeric("") {
        numeric_nodelets(d, rpt, nts, flat_tags, &format!("N{id}"));
    }
    d.order.len() != start
}

fn numeric_nodelets(d: &mut DotGraph, rpt: &Report, nts: &[Tag], flat_tags: bool, source: &str) {
    for (j, t) in collapsed_tags(nts, MAX_NODELETS, flat_tags)
        .iter()
        .enumerate()
    {
        let (w, dotted) = if flat_tags || t.flat_value() == t.cum_value() {
            (t.flat_value(), false)
        } else {
            (t.cum_value(), true)
        };
        if w == 0 {
            continue;
        }
        let weight = rpt.format_value(w);
        let nid = format!("N{source}_{j}");
        d.push_node(nodelet(nid.clone(), &t.name, &weight));
        d.push_edge(nodelet_edge(source.to_string(), nid, &weight, dotted));
    }
}

fn call_edge(
    rpt: &Report,
    g: &Graph,
    e: EdgeIndex,
    from: usize,
    to: usize,
    has_nodelets: bool,
) -> DotEdge {
    let edge = &g.g[e];
    let (s, d) = g.g.edge_endpoints(e).expect("edge");
    let inline = if edge.inline { "\\n (inline)" } else { "" };
    let wv = edge.weight_value();
    let w = rpt.format_value(wv);
    let total = rpt.total;
    let (mut weight, mut penwidth, mut color) = (None, None, None);
    if total != 0 {
        // 1 + |value × max / total| capped at max; 1 is left unsaid.
        let scaled = |max: i64| {
            let v = 1
                + (wv.wrapping_mul(max).wrapping_div(total))
                    .wrapping_abs()
                    .min(max);
            (v > 1).then_some(v as u32)
        };
        weight = scaled(100);
        penwidth = scaled(5);
        color = Some(dot_color_in(
            rpt.palette,
            wv as f64 / total.wrapping_abs() as f64,
            false,
        ));
    }
    let arrow = if edge.residual { "..." } else { "->" };
    DotEdge {
        from: format!("N{from}"),
        to: format!("N{to}"),
        label: format!(" {w}{inline}"),
        weight,
        penwidth,
        color,
        tooltip: format!(
            "{} {arrow} {} ({w})",
            escape_for_dot(&cap_label(&g.g[s].printable)),
            escape_for_dot(&cap_label(&g.g[d].printable))
        ),
        dotted: edge.residual,
        minlen: has_nodelets.then_some(2),
        nodelet: false,
    }
}

fn collapsed_tags(ts: &[Tag], count: usize, flat_tags: bool) -> Vec<Tag> {
    let mut ts = ts.to_vec();
    sort_tags(&mut ts, flat_tags);
    if ts.len() <= count {
        return ts;
    }
    let mut groups: Vec<Vec<&Tag>> = ts[..count].iter().map(|t| vec![t]).collect();
    for t in &ts[count..] {
        let mut g = 0;
        let mut d = tag_distance(t, groups[0][0]);
        for (i, group) in groups.iter().enumerate().skip(1) {
            let nd = tag_distance(t, group[0]);
            if nd < d {
                g = i;
                d = nd;
            }
        }
        groups[g].push(t);
    }
    let mut out: Vec<Tag> = groups
        .iter()
        .map(|g| {
            let (name, flat, cum) = tag_group_label(g);
            Tag {
                name: name.into(),
                flat,
                cum,
                ..Default::default()
            }
        })
        .collect();
    sort_tags(&mut out, flat_tags);
    out
}

fn tag_distance(t: &Tag, u: &Tag) -> f64 {
    let (v, _) = units::scale(u.value, &u.unit, &t.unit);
    let tv = t.value as f64;
    if v < tv {
        tv - v
    } else {
        v - tv
    }
}

fn tag_group_label(g: &[&Tag]) -> (String, i64, i64) {
    if g.len() == 1 {
        let t = g[0];
        return (
            units::label(t.value, &t.unit),
            t.flat_value(),
            t.cum_value(),
        );
    }
    let (mut min, mut max) = (g[0], g[0]);
    let (mut df, mut f, mut dc, mut c) = (min.flat_div, min.flat, min.cum_div, min.cum);
    for &t in &g[1..] {
        if (units::scale(t.value, &t.unit, &min.unit).0 as i64) < min.value {
            min = t;
        }
        if (units::scale(t.value, &t.unit, &max.unit).0 as i64) > max.value {
            max = t;
        }
        f = f.wrapping_add(t.flat);
        df = df.wrapping_add(t.flat_div);
        c = c.wrapping_add(t.cum);
        dc = dc.wrapping_add(t.cum_div);
    }
    if df != 0 {
        f = f.wrapping_div(df);
    }
    if dc != 0 {
        c = c.wrapping_div(dc);
    }
    (
        format!(
            "{}..{}",
            units::label(min.value, &min.unit),
            units::label(max.value, &max.unit)
        ),
        f,
        c,
    )
}

/// The colour of a score in `palette`.
fn dot_color_in(palette: Palette, score: f64, background: bool) -> String {
    match palette {
        Palette::Pprof => dot_color(score, background),
        Palette::Colorblind => colorblind_color(score, background),
    }
}

/// pprof's scale with orange for growth and blue for shrinkage, which
/// stay apart for red-green colour blindness.
fn colorblind_color(score: f64, background: bool) -> String {
    let (mut saturation, value) = if background { (0.1, 0.93) } else { (1.0, 0.7) };
    let score = if score.is_nan() {
        0.0
    } else {
        score.clamp(-1.0, 1.0)
    };
    if score.abs() < 0.2 {
        saturation *= score.abs() / 0.2;
    }
    let s = score.signum() * score.abs().powf(0.3);
    let (r, g, b) = if s < 0.0 {
        (
            value * (1.0 + saturation * s),
            value * (1.0 + 0.45 * saturation * s),
            value,
        )
    } else {
        (
            value,
            value * (1.0 - 0.55 * saturation * s),
            value * (1.0 - saturation * s),
        )
    };
    let (r, g, b) = (r, g, b.min(value));
    format!(
        "#{:02x}{:02x}{:02x}",
        go_uint8(r * 255.0),
        go_uint8(g * 255.0),
        go_uint8(b * 255.0)
    )
}

/// pprof's colour scale: grey near zero, red for positive, green for
/// negative scores in [−1, 1].
fn dot_color(score: f64, background: bool) -> String {
    const SHIFT: f64 = 0.7;
    let (mut saturation, value) = if background { (0.1, 0.93) } else { (1.0, 0.7) };
    let mut score = if score.is_nan() {
        score
    } else {
        score.clamp(-1.0, 1.0)
    };
    if score.abs() < 0.2 {
        saturation *= score.abs() / 0.2;
    }
    if score > 0.0 {
        score = score.powf(1.0 - SHIFT);
    }
    if score < 0.0 {
        score = -(-score).powf(1.0 - SHIFT);
    }
    let (r, g);
    if score < 0.0 {
        g = value;
        r = value * (1.0 + saturation * score);
    } else {
        r = value;
        g = value * (1.0 - saturation * score);
    }
    let bl = value * (1.0 - saturation);
    format!(
        "#{:02x}{:02x}{:02x}",
        go_uint8(r * 255.0),
        go_uint8(g * 255.0),
        go_uint8(bl * 255.0)
    )
}

/// Go's float → uint8 conversion (truncation; NaN as 0).
fn go_uint8(v: f64) -> u8 {
    if v.is_nan() {
        return 0;
    }
    (v as i64) as u8
}

#[cfg(test)]
mod tests {
    use super::dot_color;

    #[test]
    fn colors_match_pprof_table() {
        for (score, fg, bg) in [
            (-1.0, "#00b200", "#d5edd5"),
            (-0.5, "#21b200", "#d9edd5"),
            (-0.0995, "#86b259", "#e7ede1"),
            (-0.01, "#b0b2a9", "#ecedeb"),
            (0.0, "#b2b2b2", "#ededed"),
            (0.001, "#b2b2b1", "#ededed"),
            (0.01, "#b2b0a9", "#edeceb"),
            (0.05, "#b2a085", "#edeae7"),
            (0.1, "#b28559", "#ede7e1"),
            (0.19, "#b24b08", "#eddfd6"),
            (0.2, "#b24400", "#edded5"),
            (0.25, "#b23c00", "#edddd5"),
            (0.5, "#b22100", "#edd9d5"),
            (0.75, "#b20e00", "#edd7d5"),
            (0.8955, "#b20500", "#edd6d5"),
            (1.0, "#b20000", "#edd5d5"),
        ] {
            assert_eq!(dot_color(score, false), fg, "fg {score}");
            assert_eq!(dot_color(score, true), bg, "bg {score}");
        }
    }
}
