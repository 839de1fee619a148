//! A layered ("dot"-style) layout of a [`Drawing`], in phases, each its
//! own module: [`size`] (boxes from text), [`rank`] (cycle breaking and
//! ranks that keep heavy edges short), [`chain`] (edges cut into one slot
//! per rank, the label on the middle one), [`order`] (crossing reduction:
//! median sweeps, transposition, sifting), [`position`] (x placement that
//! keeps heavy paths straight, by network simplex as dot's; y bands) and
//! [`route`] (ports, curves, arrowheads, labels). The [`Layout`] it returns
//! carries everything the SVG writer needs.

mod chain;
mod labels;
pub use labels::text_rect as label_rect;
mod order;
mod position;
mod rank;
mod route;
mod size;

use super::drawing::Drawing;
use super::label::Justify;

/// Horizontal text margin inside a box, per side (dot: 0.11 in).
const MARGIN_X: f64 = 8.0;
/// Vertical text margin inside a box, per side (dot: 0.055 in).
const MARGIN_Y: f64 = 4.0;
/// Smallest box (dot: 0.75 in × 0.5 in).
const MIN_W: f64 = 54.0;
const MIN_H: f64 = 36.0;
/// Space between neighbouring boxes in a rank (dot: nodesep 0.25 in).
const NODE_SEP: f64 = 18.0;
/// Space next to an edge slot.
const EDGE_SEP: f64 = 8.0;
/// Vertical gap between consecutive (half) ranks, where no link jumps far
/// sideways (`position::gaps` widens the others).
const RANK_GAP: f64 = 14.0;
/// Font size of edge labels (dot's default).
pub const EDGE_FONT: f64 = 14.0;
/// Arrowhead length.
pub const ARROW_LEN: f64 = 10.0;
/// Offset of the 3-D face of nodelet boxes.
pub const BOX3D: f64 = 4.0;
/// Margin around the whole drawing.
const PAD: f64 = 4.0;
/// Space between the legend and its cluster frame.
const LEGEND_PAD: f64 = 8.0;

/// How a node is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A function node.
    Box,
    /// A tag nodelet.
    Box3d,
    /// The legend.
    Legend,
    /// A node that edges point at but the graph does not declare (pprof's `N0`).
    Phantom,
}

/// A placed node.
#[derive(Clone, Debug)]
pub struct NodeBox {
    /// Statement id (`N1`, `N1_0`, the legend's first line).
    pub id: String,
    /// Centre.
    pub x: f64,
    /// Centre.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Text lines.
    pub lines: Vec<(String, Justify)>,
    /// Font size.
    pub fontsize: f64,
    /// Shape.
    pub shape: Shape,
    /// The SVG `id` attribute.
    pub svg_id: String,
    /// Tooltip text.
    pub tooltip: String,
    /// Fill colour.
    pub fill: String,
    /// Outline colour.
    pub stroke: String,
}

impl NodeBox {
    /// (left, top, right, bottom), including a 3-D face.
    pub fn rect(&self) -> (f64, f64, f64, f64) {
        let extra = if self.shape == Shape::Box3d {
            BOX3D
        } else {
            0.0
        };
        (
            self.x - self.w / 2.0,
            self.y - self.h / 2.0 - extra,
            self.x + self.w / 2.0 + extra,
            self.y + self.h / 2.0,
        )
    }
}

/// A routed edge.
#[derive(Clone, Debug)]
pub struct EdgePath {
    /// Index into [`Layout::nodes`] of the source.
    pub from: usize,
    /// Index of the destination.
    pub to: usize,
    /// Path start.
    pub start: [f64; 2],
    /// Cubic segments: (control 1, control 2, end).
    pub curves: Vec<[[f64; 2]; 3]>,
    /// Arrowhead: tip, then the two base corners.
    pub arrow: [[f64; 2]; 3],
    /// Label position (left end of the baseline of the first line) and lines.
    pub label: Option<([f64; 2], Vec<String>)>,
    /// Line colour.
    pub color: String,
    /// Line width.
    pub pen: f64,
    /// Dotted line.
    pub dotted: bool,
    /// Tooltip text (also the label's).
    pub tooltip: String,
}

/// A laid-out graph in points (1/72 in), y growing downwards.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Graph name; empty when unknown.
    pub title: String,
    /// Drawing width.
    pub width: f64,
    /// Drawing height.
    pub height: f64,
    /// Legend cluster rectangle (left, top, right, bottom), if any.
    pub cluster: Option<(f64, f64, f64, f64)>,
    /// Nodes: the legend first (if any), then the DOT nodes in order, then
    /// phantom nodes.
    pub nodes: Vec<NodeBox>,
    /// Edges in DOT order.
    pub edges: Vec<EdgePath>,
    /// Index of the first DOT node in `nodes`.
    pub first_dot_node: usize,
}

/// One node of the layered graph: a real node or an edge's slot in a rank.
struct RankedNode {
    /// Left and right extents from the centre line.
    left: f64,
    right: f64,
    h: f64,
    /// Index into `nodes` for real nodes.
    real: Option<usize>,
    rank: usize,
    x: f64,
}

/// One link of the layered graph: an edge, or a piece of a long edge
/// between neighbouring ranks.
struct Link {
    from: usize,
    to: usize,
    weight: f64,
}

/// A reproducible source of numbers below its argument.
fn xorshift(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    }
}

/// Points along a cubic Bézier from `p0` through the control points and
/// end of `c` (excluding its start), `steps` of them.
pub fn sample_cubic(p0: [f64; 2], c: &[[f64; 2]; 3], steps: usize) -> Vec<[f64; 2]> {
    (1..=steps)
        .map(|i| {
            let t = i as f64 / steps as f64;
            let u = 1.0 - t;
            let f = |k: usize| {
                u * u * u * p0[k]
                    + 3.0 * u * u * t * c[0][k]
                    + 3.0 * u * t * t * c[1][k]
                    + t * t * t * c[2][k]
            };
            [f(0), f(1)]
        })
        .collect()
}

/// Whether segments p1–p2 and q1–q2 cross (touching does not count).
pub fn segments_cross(p1: [f64; 2], p2: [f64; 2], q1: [f64; 2], q2: [f64; 2]) -> bool {
    let d = |a: [f64; 2], b: [f64; 2], c: [f64; 2]| {
        (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    };
    let (d1, d2) = (d(q1, q2, p1), d(q1, q2, p2));
    let (d3, d4) = (d(p1, p2, q1), d(p1, p2, q2));
    ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
}

/// Lays out `d`.
pub fn layout(d: &Drawing) -> Layout {
    let size::Boxes {
        mut nodes,
        first_dot_node,
        ends,
        has_legend,
    } = size::boxes(d);
    let ranks = rank::ranks(d, &ends, nodes.len(), has_legend);
    let mut graph = chain::Chains::build(d, &nodes, &ranks);
    let layers = order::best_order(&graph.ranked, &graph.links, has_legend);
    position::place_x(&mut graph.ranked, &graph.links, &layers);
    position::place_x_exact(&mut graph.ranked, &graph.links, &layers);
    position::centre_lone_slots(&mut graph.ranked, &graph.chains, &layers);
    let bands = position::bands(&mut graph.ranked, &graph.links, &mut nodes, has_legend);
    let edges = route::edges(d, &nodes, &graph, &bands, &ranks.reversed, &ends);
    let cluster = has_legend.then(|| {
        let (l, t, r, b) = nodes[0].rect();
        (
            l - LEGEND_PAD,
            t - LEGEND_PAD,
            r + LEGEND_PAD,
            b + LEGEND_PAD,
        )
    });
    let (width, height) = extent(&nodes, &graph.ranked, cluster, &edges);
    Layout {
        title: d.title.clone(),
        width: (width + PAD).ceil(),
        height: (height + PAD).ceil(),
        cluster,
        nodes,
        edges,
        first_dot_node,
    }
}

/// The right and bottom edge of everything drawn.
fn extent(
    nodes: &[NodeBox],
    ranked: &[RankedNode],
    cluster: Option<(f64, f64, f64, f64)>,
    edges: &[EdgePath],
) -> (f64, f64) {
    let mut width: f64 = 0.0;
    let mut height: f64 = 0.0;
    let mut reach = |x: f64, y: f64| {
        width = width.max(x);
        height = height.max(y);
    };
    for n in nodes {
        let (_, _, r, b) = n.rect();
        reach(r, b);
    }
    for n in ranked {
        reach(n.x + n.right, 0.0);
    }
    if let Some((_, _, r, b)) = cluster {
        reach(r, b);
    }
    for e in edges {
        for p in e.curves.iter().flatten() {
            reach(p[0], p[1]);
        }
    }
    (width, height)
}
