//! The drawing model: the call graph with every DOT escape resolved into
//! lines, plain tooltips and concrete colours, so that layout and SVG
//! never read DOT syntax. [`Drawing::from_dot`] is the one place the
//! report's [`DotGraph`] is read.

use super::label::{split_lines, unescape, Justify};
use crate::report::dot::DotGraph;

/// A node to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawNode {
    /// Statement id (`N1`, `N1_0`): the SVG title, and what edges name.
    pub id: String,
    /// The SVG `id` attribute.
    pub svg_id: String,
    /// Text lines with their alignment.
    pub lines: Vec<(String, Justify)>,
    /// Font size in points.
    pub fontsize: f64,
    /// A tag nodelet (drawn as a 3-D box) rather than a function node.
    pub nodelet: bool,
    /// Tooltip text.
    pub tooltip: String,
    /// Fill colour.
    pub fill: String,
    /// Outline colour.
    pub stroke: String,
}

/// An edge to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawEdge {
    /// Source node id.
    pub from: String,
    /// Destination node id (pprof's `N0` is drawn as a node of its own).
    pub to: String,
    /// Label lines, left-aligned.
    pub label: Vec<String>,
    /// How strongly the layout keeps the edge short and straight.
    pub weight: f64,
    /// Minimum rank distance.
    pub minlen: usize,
    /// Line width.
    pub pen: f64,
    /// Line colour.
    pub color: String,
    /// Tooltip text (also the label's).
    pub tooltip: String,
    /// Dotted line.
    pub dotted: bool,
}

/// A call graph ready to lay out.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawing {
    /// Graph name; empty when unknown.
    pub title: String,
    /// Legend lines (left-aligned), empty for none.
    pub legend: Vec<String>,
    /// Nodes in statement order.
    pub nodes: Vec<DrawNode>,
    /// Edges in statement order.
    pub edges: Vec<DrawEdge>,
}

/// Default colours of nodes without their own (nodelets), as graphviz
/// draws pprof's graph defaults.
const DEFAULT_FILL: &str = "#f8f8f8";
const DEFAULT_STROKE: &str = "black";

impl Drawing {
    /// Resolves the report's DOT graph.
    pub fn from_dot(dot: &DotGraph) -> Drawing {
        let nodes = dot
            .nodes
            .iter()
            .map(|n| DrawNode {
                id: n.id.clone(),
                svg_id: n.svg_id.clone(),
                lines: split_lines(&n.label),
                fontsize: f64::from(n.fontsize),
                nodelet: n.nodelet,
                tooltip: unescape(&n.tooltip),
                fill: n.fillcolor.clone().unwrap_or_else(|| DEFAULT_FILL.into()),
                stroke: n.color.clone().unwrap_or_else(|| DEFAULT_STROKE.into()),
            })
            .collect();
        let edges = dot
            .edges
            .iter()
            .map(|e| DrawEdge {
                from: e.from.clone(),
                to: e.to.clone(),
                label: split_lines(&e.label)
                    .into_iter()
                    .map(|(l, _)| l.trim_start().to_string())
                    .collect(),
                weight: f64::from(e.weight.unwrap_or(1)),
                minlen: e.minlen.unwrap_or(1).max(1) as usize,
                pen: f64::from(e.penwidth.unwrap_or(1)),
                color: e.color.clone().unwrap_or_else(|| DEFAULT_STROKE.into()),
                tooltip: unescape(&e.tooltip),
                dotted: e.dotted,
            })
            .collect();
        let legend = dot
            .legend
            .iter()
            .flat_map(|l| l.split('\n').map(str::to_string).collect::<Vec<_>>())
            .collect();
        Drawing {
            title: dot.title.clone(),
            legend,
            nodes,
            edges,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::dot::{DotEdge, DotNode, Stmt};

    #[test]
    fn escapes_are_resolved_once() {
        let dot = DotGraph {
            title: "prog".into(),
            legend: vec!["File: prog\nType: cpu".into()],
            nodes: vec![DotNode {
                id: "N1".into(),
                svg_id: "node1".into(),
                label: "main\\nwork\\n1s (50%)".into(),
                fontsize: 12,
                nodelet: false,
                tooltip: "say \\\"hi\\\" (1s)".into(),
                color: Some("#b20000".into()),
                fillcolor: None,
            }],
            edges: vec![DotEdge {
                from: "N1".into(),
                to: "N0".into(),
                label: " 1s\\n (inline)".into(),
                weight: Some(50),
                penwidth: None,
                color: None,
                tooltip: "a -> b (1s)".into(),
                dotted: true,
                minlen: Some(2),
                nodelet: false,
            }],
            order: vec![Stmt::Node(0), Stmt::Edge(0)],
        };
        let d = Drawing::from_dot(&dot);
        assert_eq!(d.legend, vec!["File: prog", "Type: cpu"]);
        assert_eq!(d.nodes[0].lines.len(), 3);
        assert_eq!(d.nodes[0].tooltip, "say \"hi\" (1s)");
        assert_eq!(
            (d.nodes[0].fill.as_str(), d.nodes[0].stroke.as_str()),
            (DEFAULT_FILL, "#b20000")
        );
        assert_eq!(d.edges[0].label, vec!["1s", "(inline)"]);
        assert_eq!(
            (d.edges[0].weight, d.edges[0].minlen, d.edges[0].pen),
            (50.0, 2, 1.0)
        );
    }
}
