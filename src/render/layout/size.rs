//! Boxes sized to their text: the legend, the graph's nodes, and phantom
//! nodes for edge ends the graph does not declare (as dot draws them).

use super::{NodeBox, Shape, MARGIN_X, MARGIN_Y, MIN_H, MIN_W};
use crate::render::drawing::Drawing;
use crate::render::font;
use crate::render::label::Justify;
use std::collections::HashMap;

/// Font size of the legend.
const LEGEND_FONT: f64 = 16.0;
/// Font size of phantom nodes (dot's default).
const PHANTOM_FONT: f64 = 14.0;
/// Colours of the legend and phantom nodes.
const FILL: &str = "#f8f8f8";
const STROKE: &str = "black";

/// The width and height of `lines` of text.
pub(super) fn text_block(lines: &[(String, Justify)], size: f64) -> (f64, f64) {
    let w = lines
        .iter()
        .map(|(l, _)| font::text_width(l, size))
        .fold(0.0, f64::max);
    (w, lines.len() as f64 * font::line_height(size))
}

/// The box around `lines`: the text plus margins, at least dot's smallest.
fn node_size(lines: &[(String, Justify)], size: f64) -> (f64, f64) {
    let (tw, th) = text_block(lines, size);
    (
        (tw + 2.0 * MARGIN_X).max(MIN_W),
        (th + 2.0 * MARGIN_Y).max(MIN_H),
    )
}

/// A box not yet placed.
fn unplaced(id: &str, lines: Vec<(String, Justify)>, fontsize: f64, shape: Shape) -> NodeBox {
    let (w, h) = node_size(&lines, fontsize);
    NodeBox {
        id: id.to_string(),
        x: 0.0,
        y: 0.0,
        w,
        h,
        lines,
        fontsize,
        shape,
        svg_id: id.to_string(),
        tooltip: id.to_string(),
        fill: FILL.to_string(),
        stroke: STROKE.to_string(),
    }
}

/// Every box of a drawing, and each edge's ends as indices into them.
pub(super) struct Boxes {
    /// The legend first (if any), the drawing's nodes, then phantoms.
    pub nodes: Vec<NodeBox>,
    /// Index of the drawing's first node.
    pub first_dot_node: usize,
    /// Per edge: (source, destination).
    pub ends: Vec<(usize, usize)>,
    /// `nodes[0]` is the legend.
    pub has_legend: bool,
}

/// Sizes every box of `d`.
pub(super) fn boxes(d: &Drawing) -> Boxes {
    let mut nodes: Vec<NodeBox> = Vec::new();
    let has_legend = !d.legend.is_empty();
    if has_legend {
        let lines = d
            .legend
            .iter()
            .map(|l| (l.clone(), Justify::Left))
            .collect();
        nodes.push(unplaced(&d.legend[0], lines, LEGEND_FONT, Shape::Legend));
    }
    let first_dot_node = nodes.len();
    let mut index: HashMap<String, usize> = HashMap::new();
    for n in &d.nodes {
        let shape = if n.nodelet { Shape::Box3d } else { Shape::Box };
        index.insert(n.id.clone(), nodes.len());
        nodes.push(NodeBox {
            svg_id: n.svg_id.clone(),
            tooltip: n.tooltip.clone(),
            fill: n.fill.clone(),
            stroke: n.stroke.clone(),
            ..unplaced(&n.id, n.lines.clone(), n.fontsize, shape)
        });
    }
    let mut ends: Vec<(usize, usize)> = Vec::with_capacity(d.edges.len());
    for e in &d.edges {
        let mut pair = [0usize; 2];
        for (k, id) in [&e.from, &e.to].into_iter().enumerate() {
            pair[k] = *index.entry(id.clone()).or_insert_with(|| {
                let lines = vec![(id.clone(), Justify::Center)];
                nodes.push(unplaced(id, lines, PHANTOM_FONT, Shape::Phantom));
                nodes.len() - 1
            });
        }
        ends.push((pair[0], pair[1]));
    }
    Boxes {
        nodes,
        first_dot_node,
        ends,
        has_legend,
    }
}
