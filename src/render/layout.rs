//! A layered ("dot"-style) layout of a [`DotGraph`]: cycle breaking, rank
//! assignment that keeps heavy edges short, crossing reduction (median
//! sweeps and transposition), x placement that pulls heavy edges straight
//! (weighted least squares per rank, solved exactly with pool-adjacent-
//! violators), and edges routed through reserved slots so they never pass
//! through a node. Edge labels ride on the edge's middle slot, as in dot.

use super::font;
use super::label::{split_lines, Justify};
use crate::report::dot::DotGraph;
use std::collections::{HashMap, VecDeque};

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
/// Vertical gap between consecutive (half) ranks.
const RANK_GAP: f64 = 14.0;
/// Font size of edge labels (dot's default).
pub const EDGE_FONT: f64 = 14.0;
/// Arrowhead length.
pub const ARROW_LEN: f64 = 10.0;
/// Offset of the 3-D face of nodelet boxes.
pub const BOX3D: f64 = 4.0;
/// Margin around the whole drawing.
const PAD: f64 = 4.0;

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
}

/// A laid-out graph in points (1/72 in), y growing downwards.
#[derive(Clone, Debug)]
pub struct Layout {
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

/// One node of the layered graph: a real node or an edge slot.
struct LNode {
    /// Left and right extents from the centre line.
    left: f64,
    right: f64,
    h: f64,
    /// Index into `nodes` for real nodes.
    real: Option<usize>,
    rank: usize,
    x: f64,
}

struct LEdge {
    from: usize,
    to: usize,
    weight: f64,
}

fn text_block(lines: &[(String, Justify)], size: f64) -> (f64, f64) {
    let w = lines
        .iter()
        .map(|(l, _)| font::text_width(l, size))
        .fold(0.0, f64::max);
    (w, lines.len() as f64 * font::line_height(size))
}

fn node_size(lines: &[(String, Justify)], size: f64) -> (f64, f64) {
    let (tw, th) = text_block(lines, size);
    (
        (tw + 2.0 * MARGIN_X).max(MIN_W),
        (th + 2.0 * MARGIN_Y).max(MIN_H),
    )
}

/// Lays out `dot`.
pub fn layout(dot: &DotGraph) -> Layout {
    let mut nodes: Vec<NodeBox> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let has_legend = !dot.legend.is_empty();
    if has_legend {
        let lines: Vec<(String, Justify)> = dot
            .legend
            .iter()
            .flat_map(|l| {
                l.split('\n')
                    .map(|s| (s.to_string(), Justify::Left))
                    .collect::<Vec<_>>()
            })
            .collect();
        let (w, h) = node_size(&lines, 16.0);
        nodes.push(NodeBox {
            id: dot.legend[0].clone(),
            x: 0.0,
            y: 0.0,
            w,
            h,
            lines,
            fontsize: 16.0,
            shape: Shape::Legend,
        });
    }
    let first_dot_node = nodes.len();
    for n in &dot.nodes {
        let lines = split_lines(&n.label);
        let size = f64::from(n.fontsize);
        let (w, h) = node_size(&lines, size);
        index.insert(n.id.clone(), nodes.len());
        nodes.push(NodeBox {
            id: n.id.clone(),
            x: 0.0,
            y: 0.0,
            w,
            h,
            lines,
            fontsize: size,
            shape: if n.nodelet { Shape::Box3d } else { Shape::Box },
        });
    }
    // Endpoints the graph does not declare become phantom nodes, as in dot.
    let mut ends: Vec<(usize, usize)> = Vec::with_capacity(dot.edges.len());
    for e in &dot.edges {
        let mut pair = [0usize; 2];
        for (k, id) in [&e.from, &e.to].into_iter().enumerate() {
            pair[k] = match index.get(id.as_str()) {
                Some(&i) => i,
                None => {
                    let lines = vec![(id.clone(), Justify::Center)];
                    let (w, h) = node_size(&lines, 14.0);
                    nodes.push(NodeBox {
                        id: id.clone(),
                        x: 0.0,
                        y: 0.0,
                        w,
                        h,
                        lines,
                        fontsize: 14.0,
                        shape: Shape::Phantom,
                    });
                    index.insert(id.clone(), nodes.len() - 1);
                    nodes.len() - 1
                }
            };
        }
        ends.push((pair[0], pair[1]));
    }
    let n_real = nodes.len();

    // Layout edges: (from, to, weight, rank length), reversed to break cycles.
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n_real];
    for (i, &(f, _)) in ends.iter().enumerate() {
        adj[f].push(i);
    }
    let reversed = break_cycles(n_real, &ends, &adj);
    let lens: Vec<usize> = dot
        .edges
        .iter()
        .map(|e| 2 * e.minlen.unwrap_or(1).max(1) as usize)
        .collect();
    let weights: Vec<f64> = dot
        .edges
        .iter()
        .map(|e| f64::from(e.weight.unwrap_or(1)))
        .collect();
    let dir: Vec<(usize, usize)> = ends
        .iter()
        .zip(&reversed)
        .map(|(&(f, t), &r)| if r { (t, f) } else { (f, t) })
        .collect();
    let skip_legend = |i: usize| has_legend && i == 0;
    let ranks = assign_ranks(n_real, &dir, &lens, &weights, skip_legend);

    // Layered graph with edge slots.
    let mut ln: Vec<LNode> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let extra = if n.shape == Shape::Box3d { BOX3D } else { 0.0 };
            LNode {
                left: n.w / 2.0,
                right: n.w / 2.0 + extra,
                h: n.h + extra,
                real: Some(i),
                rank: ranks[i],
                x: 0.0,
            }
        })
        .collect();
    let mut le: Vec<LEdge> = Vec::new();
    // Per DOT edge: its chain of layered nodes in layout direction, and the
    // slot carrying its label.
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(dot.edges.len());
    let mut label_slot: Vec<Option<usize>> = Vec::with_capacity(dot.edges.len());
    for (i, e) in dot.edges.iter().enumerate() {
        let (u, v) = dir[i];
        let (ru, rv) = (ranks[u], ranks[v]);
        let label_lines: Vec<String> = split_lines(&e.label)
            .into_iter()
            .map(|(l, _)| l.trim_start().to_string())
            .collect();
        let (lw, lh) = text_block(
            &label_lines
                .iter()
                .map(|l| (l.clone(), Justify::Left))
                .collect::<Vec<_>>(),
            EDGE_FONT,
        );
        let pen = f64::from(e.penwidth.unwrap_or(1));
        let mut label_rank = ru + (rv - ru) / 2;
        if (label_rank - ru) % 2 == 0 && label_rank > ru + 1 {
            label_rank -= 1;
        }
        let mut chain = vec![u];
        let mut slot = None;
        for r in ru + 1..rv {
            let is_label = r == label_rank && !label_lines.is_empty();
            ln.push(LNode {
                left: pen.max(2.0),
                right: if is_label {
                    4.0 + lw + 2.0
                } else {
                    pen.max(2.0)
                },
                h: if is_label { lh } else { 0.0 },
                real: None,
                rank: r,
                x: 0.0,
            });
            if is_label {
                slot = Some(ln.len() - 1);
            }
            chain.push(ln.len() - 1);
        }
        chain.push(v);
        for w in chain.windows(2) {
            let virt = ln[w[0]].real.is_none() as u32 + ln[w[1]].real.is_none() as u32;
            let omega = [1.0, 2.0, 8.0][virt as usize];
            le.push(LEdge {
                from: w[0],
                to: w[1],
                weight: weights[i] * omega,
            });
        }
        chains.push(chain);
        label_slot.push(slot);
    }

    let max_rank = ln.iter().map(|n| n.rank).max().unwrap_or(0);
    // Several starts (depth- and breadth-first orders, median and
    // barycentre keys); the order with the fewest crossings wins.
    let mut layers: Vec<Vec<usize>> = Vec::new();
    let mut best = usize::MAX;
    for (bfs, barycenter) in [(false, false), (true, false), (false, true), (true, true)] {
        let mut candidate: Vec<Vec<usize>> = vec![Vec::new(); max_rank + 1];
        initial_order(&ln, &le, &mut candidate, has_legend, bfs);
        let c = reduce_crossings(&ln, &le, &mut candidate, has_legend, barycenter);
        if c < best {
            best = c;
            layers = candidate;
        }
        if best == 0 {
            break;
        }
    }
    place_x(&mut ln, &le, &layers);

    // Vertical bands.
    let mut band_h = vec![0.0f64; max_rank + 1];
    for n in &ln {
        band_h[n.rank] = band_h[n.rank].max(n.h);
    }
    let mut band_top = vec![0.0f64; max_rank + 1];
    let mut y = PAD + if has_legend { 8.0 } else { 0.0 };
    for r in 0..=max_rank {
        band_top[r] = y;
        y += band_h[r] + RANK_GAP;
    }
    let min_x = ln
        .iter()
        .map(|n| n.x - n.left)
        .fold(f64::INFINITY, f64::min);
    let shift = PAD + if has_legend { 8.0 } else { 0.0 } - min_x;
    for n in &mut ln {
        n.x += shift;
    }
    for n in &ln {
        if let Some(i) = n.real {
            nodes[i].x = n.x;
            nodes[i].y = band_top[n.rank] + band_h[n.rank] / 2.0;
            if nodes[i].shape == Shape::Box3d {
                nodes[i].y += BOX3D / 2.0;
            }
        }
    }

    // Ports: spread the ends of a node's edges along its bottom and top.
    let mut out_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n_real];
    let mut in_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n_real];
    for (i, chain) in chains.iter().enumerate() {
        let (u, v) = (chain[0], chain[chain.len() - 1]);
        out_ports[u].push((ln[chain[1]].x, i));
        in_ports[v].push((ln[chain[chain.len() - 2]].x, i));
    }
    let spread = |ports: &mut Vec<(f64, usize)>, width: f64| -> HashMap<usize, f64> {
        ports.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let k = ports.len();
        let span = (width * 0.6).min(12.0 * (k as f64 - 1.0));
        ports
            .iter()
            .enumerate()
            .map(|(j, &(_, e))| {
                let off = if k > 1 {
                    -span / 2.0 + span * j as f64 / (k as f64 - 1.0)
                } else {
                    0.0
                };
                (e, off)
            })
            .collect()
    };
    let out_off: Vec<HashMap<usize, f64>> = out_ports
        .iter_mut()
        .enumerate()
        .map(|(i, p)| spread(p, nodes[i].w))
        .collect();
    let in_off: Vec<HashMap<usize, f64>> = in_ports
        .iter_mut()
        .enumerate()
        .map(|(i, p)| spread(p, nodes[i].w))
        .collect();

    let mut edges = Vec::with_capacity(dot.edges.len());
    for (i, chain) in chains.iter().enumerate() {
        let (u, v) = (chain[0], chain[chain.len() - 1]);
        let nu = &nodes[u];
        let nv = &nodes[v];
        let (_, _, _, u_bottom) = nu.rect();
        let (_, v_top, _, _) = nv.rect();
        // Waypoints: vertical runs through each band, curves across gaps.
        let sx = nu.x + out_off[u][&i];
        let ex = nv.x + in_off[v][&i];
        let mut runs: Vec<([f64; 2], [f64; 2])> = Vec::new();
        runs.push((
            [sx, u_bottom],
            [sx, band_top[ln[u].rank] + band_h[ln[u].rank]],
        ));
        for &c in &chain[1..chain.len() - 1] {
            let r = ln[c].rank;
            runs.push(([ln[c].x, band_top[r]], [ln[c].x, band_top[r] + band_h[r]]));
        }
        runs.push(([ex, band_top[ln[v].rank]], [ex, v_top]));
        let mut pts_start = runs[0].0;
        let mut curves: Vec<[[f64; 2]; 3]> = Vec::new();
        let line = |a: [f64; 2], b: [f64; 2]| -> [[f64; 2]; 3] {
            [
                [a[0] + (b[0] - a[0]) / 3.0, a[1] + (b[1] - a[1]) / 3.0],
                [
                    a[0] + 2.0 * (b[0] - a[0]) / 3.0,
                    a[1] + 2.0 * (b[1] - a[1]) / 3.0,
                ],
                b,
            ]
        };
        for (k, run) in runs.iter().enumerate() {
            if k > 0 {
                let a = runs[k - 1].1;
                let b = run.0;
                let dy = (b[1] - a[1]) / 2.0;
                curves.push([[a[0], a[1] + dy], [b[0], b[1] - dy], b]);
            }
            if run.1[1] > run.0[1] + 0.01 {
                curves.push(line(run.0, run.1));
            }
        }
        if reversed[i] {
            // Draw from the real source (below) up to the real target.
            let mut pts = vec![pts_start];
            for c in &curves {
                pts.extend_from_slice(c);
            }
            pts.reverse();
            pts_start = pts[0];
            curves = pts[1..].chunks(3).map(|c| [c[0], c[1], c[2]]).collect();
        }
        // Shorten the end for the arrowhead, keeping the end tangent.
        let last = curves.len() - 1;
        let tip = curves[last][2];
        let from = if (curves[last][1][0] - tip[0]).abs() < 1e-9
            && (curves[last][1][1] - tip[1]).abs() < 1e-9
        {
            curves[last][0]
        } else {
            curves[last][1]
        };
        let (dx, dy) = (tip[0] - from[0], tip[1] - from[1]);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (ux, uy) = (dx / len, dy / len);
        let pen = f64::from(dot.edges[i].penwidth.unwrap_or(1));
        let alen = ARROW_LEN.min(len.max(4.0));
        let base = [tip[0] - ux * alen, tip[1] - uy * alen];
        let half = 3.5 + pen / 2.0;
        let arrow = [
            tip,
            [base[0] - uy * half, base[1] + ux * half],
            [base[0] + uy * half, base[1] - ux * half],
        ];
        let shift_end = [base[0] - tip[0], base[1] - tip[1]];
        curves[last][2] = base;
        curves[last][1][0] += shift_end[0];
        curves[last][1][1] += shift_end[1];
        let label = label_slot[i].map(|s| {
            let lines: Vec<String> = split_lines(&dot.edges[i].label)
                .into_iter()
                .map(|(l, _)| l.trim_start().to_string())
                .collect();
            let r = ln[s].rank;
            let top =
                band_top[r] + (band_h[r] - lines.len() as f64 * font::line_height(EDGE_FONT)) / 2.0;
            ([ln[s].x + 4.0, top + font::ascent(EDGE_FONT)], lines)
        });
        edges.push(EdgePath {
            from: ends[i].0,
            to: ends[i].1,
            start: pts_start,
            curves,
            arrow,
            label,
        });
    }

    // The legend's cluster frame.
    let cluster = has_legend.then(|| {
        let (l, t, r, b) = nodes[0].rect();
        (l - 8.0, t - 8.0, r + 8.0, b + 8.0)
    });
    let mut width: f64 = 0.0;
    let mut height: f64 = 0.0;
    for n in &nodes {
        let (_, _, r, b) = n.rect();
        width = width.max(r);
        height = height.max(b);
    }
    for n in &ln {
        width = width.max(n.x + n.right);
    }
    if let Some((_, _, r, b)) = cluster {
        width = width.max(r);
        height = height.max(b);
    }
    for e in &edges {
        for c in &e.curves {
            for p in c {
                width = width.max(p[0]);
                height = height.max(p[1]);
            }
        }
    }
    Layout {
        width: (width + PAD).ceil(),
        height: (height + PAD).ceil(),
        cluster,
        nodes,
        edges,
        first_dot_node,
    }
}

/// Marks edges to reverse so the graph is acyclic (back edges of a DFS
/// started from the nodes in order).
fn break_cycles(n: usize, ends: &[(usize, usize)], adj: &[Vec<usize>]) -> Vec<bool> {
    let mut state = vec![0u8; n];
    let mut reversed = vec![false; ends.len()];
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if *k < adj[v].len() {
                let e = adj[v][*k];
                *k += 1;
                let w = ends[e].1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[e] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

/// Ranks (doubled: real nodes on even ranks, labels between): longest path
/// first, then each node moved within its feasible range to where its
/// weighted edge length is least, until nothing moves.
fn assign_ranks(
    n: usize,
    dir: &[(usize, usize)],
    lens: &[usize],
    weights: &[f64],
    fixed: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(u, v)) in dir.iter().enumerate() {
        outs[u].push(i);
        ins[v].push(i);
    }
    let mut indeg: Vec<usize> = ins.iter().map(Vec::len).collect();
    let mut queue: VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut topo = Vec::with_capacity(n);
    let mut rank = vec![0i64; n];
    while let Some(v) = queue.pop_front() {
        topo.push(v);
        for &e in &outs[v] {
            let w = dir[e].1;
            rank[w] = rank[w].max(rank[v] + lens[e] as i64);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    for pass in 0..50 {
        let mut changed = false;
        let order: Vec<usize> = if pass % 2 == 0 {
            topo.iter().rev().copied().collect()
        } else {
            topo.clone()
        };
        for v in order {
            if fixed(v) || (ins[v].is_empty() && outs[v].is_empty()) {
                continue;
            }
            let lo = ins[v]
                .iter()
                .map(|&e| rank[dir[e].0] + lens[e] as i64)
                .max();
            let hi = outs[v]
                .iter()
                .map(|&e| rank[dir[e].1] - lens[e] as i64)
                .min();
            let w_in: f64 = ins[v].iter().map(|&e| weights[e]).sum();
            let w_out: f64 = outs[v].iter().map(|&e| weights[e]).sum();
            let target = if w_in > w_out {
                lo
            } else if w_out > w_in {
                hi
            } else {
                None
            };
            if let Some(t) = target {
                if t != rank[v] {
                    rank[v] = t;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let min = (0..n)
        .filter(|&v| !fixed(v))
        .map(|v| rank[v])
        .min()
        .unwrap_or(0);
    (0..n)
        .map(|v| {
            if fixed(v) {
                0
            } else {
                (rank[v] - min) as usize
            }
        })
        .collect()
}

/// First order: depth- (or breadth-) first from the nodes in statement
/// order (most important first), heavier edges first.
fn initial_order(
    ln: &[LNode],
    le: &[LEdge],
    layers: &mut [Vec<usize>],
    has_legend: bool,
    bfs: bool,
) {
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); ln.len()];
    for (i, e) in le.iter().enumerate() {
        outs[e.from].push(i);
    }
    for o in &mut outs {
        o.sort_by(|&a, &b| le[b].weight.total_cmp(&le[a].weight).then(a.cmp(&b)));
    }
    let mut seen = vec![false; ln.len()];
    if has_legend {
        seen[0] = true;
        layers[ln[0].rank].push(0);
    }
    for root in 0..ln.len() {
        if seen[root] {
            continue;
        }
        let mut work: VecDeque<usize> = VecDeque::from([root]);
        while let Some(v) = if bfs {
            work.pop_front()
        } else {
            work.pop_back()
        } {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            layers[ln[v].rank].push(v);
            if bfs {
                work.extend(outs[v].iter().map(|&e| le[e].to).filter(|&t| !seen[t]));
            } else {
                work.extend(
                    outs[v]
                        .iter()
                        .rev()
                        .map(|&e| le[e].to)
                        .filter(|&t| !seen[t]),
                );
            }
        }
    }
}

fn crossings_between(upper: &[usize], pos: &[usize], down: &[Vec<usize>], le: &[LEdge]) -> usize {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for &u in upper {
        for &e in &down[u] {
            pairs.push((pos[u], pos[le[e].to]));
        }
    }
    pairs.sort_unstable();
    // Count inversions of the lower positions (merge sort).
    let mut v: Vec<usize> = pairs.iter().map(|p| p.1).collect();
    count_inversions(&mut v)
}

fn count_inversions(v: &mut [usize]) -> usize {
    if v.len() < 2 {
        return 0;
    }
    let mid = v.len() / 2;
    let mut c = count_inversions(&mut v[..mid]) + count_inversions(&mut v[mid..]);
    let mut merged = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < v.len() {
        if v[i] <= v[j] {
            merged.push(v[i]);
            i += 1;
        } else {
            c += mid - i;
            merged.push(v[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..]);
    v.copy_from_slice(&merged);
    c
}

fn total_crossings(
    layers: &[Vec<usize>],
    pos: &[usize],
    down: &[Vec<usize>],
    le: &[LEdge],
) -> usize {
    layers
        .windows(2)
        .map(|w| crossings_between(&w[0], pos, down, le))
        .sum()
}

/// Median (or barycentre) sweeps with transposition; keeps the best order
/// seen and returns its crossing count.
fn reduce_crossings(
    ln: &[LNode],
    le: &[LEdge],
    layers: &mut [Vec<usize>],
    has_legend: bool,
    barycenter: bool,
) -> usize {
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); ln.len()];
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); ln.len()];
    for (i, e) in le.iter().enumerate() {
        down[e.from].push(i);
        up[e.to].push(i);
    }
    let mut pos = vec![0usize; ln.len()];
    let set_pos = |layers: &[Vec<usize>], pos: &mut [usize]| {
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    set_pos(layers, &mut pos);
    let mut best = layers.to_vec();
    let mut best_c = total_crossings(layers, &pos, &down, le);
    let mut stale = 0;
    for iter in 0..64 {
        if best_c == 0 || stale > 8 {
            break;
        }
        let downward = iter % 2 == 0;
        let ranks: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for r in ranks {
            let mut keyed: Vec<(f64, usize, usize)> = layers[r]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let mut ps: Vec<f64> = if downward {
                        up[v].iter().map(|&e| pos[le[e].from] as f64).collect()
                    } else {
                        down[v].iter().map(|&e| pos[le[e].to] as f64).collect()
                    };
                    let key = if has_legend && v == 0 {
                        -1.0
                    } else if ps.is_empty() {
                        i as f64
                    } else if barycenter {
                        ps.iter().sum::<f64>() / ps.len() as f64
                    } else {
                        ps.sort_by(f64::total_cmp);
                        let m = ps.len() / 2;
                        if ps.len() % 2 == 1 {
                            ps[m]
                        } else {
                            (ps[m - 1] + ps[m]) / 2.0
                        }
                    };
                    (key, i, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[r] = keyed.into_iter().map(|k| k.2).collect();
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i;
            }
        }
        transpose(layers, &mut pos, &down, &up, le, has_legend, iter % 4 >= 2);
        let c = total_crossings(layers, &pos, &down, le);
        if c < best_c {
            best_c = c;
            best = layers.to_vec();
            stale = 0;
        } else {
            stale += 1;
        }
    }
    layers.clone_from_slice(&best);
    set_pos(layers, &mut pos);
    sift(layers, &mut pos, &down, &up, le, has_legend);
    total_crossings(layers, &pos, &down, le)
}

/// Crossings between the edges of `a` and `b` (to both neighbouring ranks)
/// when `a` stands left of `b`.
fn pair_crossings(
    a: usize,
    b: usize,
    pos: &[usize],
    down: &[Vec<usize>],
    up: &[Vec<usize>],
    le: &[LEdge],
) -> usize {
    let mut c = 0;
    for &ea in &up[a] {
        for &eb in &up[b] {
            if pos[le[ea].from] > pos[le[eb].from] {
                c += 1;
            }
        }
    }
    for &ea in &down[a] {
        for &eb in &down[b] {
            if pos[le[ea].to] > pos[le[eb].to] {
                c += 1;
            }
        }
    }
    c
}

/// Sifting: moves each node to the place in its rank where it crosses
/// least, until no move helps.
fn sift(
    layers: &mut [Vec<usize>],
    pos: &mut [usize],
    down: &[Vec<usize>],
    up: &[Vec<usize>],
    le: &[LEdge],
    has_legend: bool,
) {
    for _ in 0..6 {
        let mut improved = false;
        for layer_slot in layers.iter_mut() {
            let nodes: Vec<usize> = layer_slot.clone();
            for v in nodes {
                if has_legend && v == 0 {
                    continue;
                }
                let layer = &*layer_slot;
                let cur = pos[v];
                let others: Vec<usize> = layer.iter().copied().filter(|&u| u != v).collect();
                // cost[i]: v placed before others[i..]; start with v first.
                let left: Vec<usize> = others
                    .iter()
                    .map(|&u| pair_crossings(u, v, pos, down, up, le))
                    .collect();
                let right: Vec<usize> = others
                    .iter()
                    .map(|&u| pair_crossings(v, u, pos, down, up, le))
                    .collect();
                let mut cost: usize = right.iter().sum();
                let (mut best_cost, mut best_at) = (cost, 0);
                let mut cur_cost = if cur == 0 { cost } else { usize::MAX };
                for i in 0..others.len() {
                    cost = cost + left[i] - right[i];
                    if i + 1 == cur {
                        cur_cost = cost;
                    }
                    if cost < best_cost {
                        best_cost = cost;
                        best_at = i + 1;
                    }
                }
                if best_cost < cur_cost {
                    let mut new_layer = others;
                    new_layer.insert(best_at, v);
                    if has_legend && new_layer.contains(&0) && new_layer[0] != 0 {
                        continue;
                    }
                    for (i, &u) in new_layer.iter().enumerate() {
                        pos[u] = i;
                    }
                    *layer_slot = new_layer;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Swaps neighbours in a rank while that removes crossings.
fn transpose(
    layers: &mut [Vec<usize>],
    pos: &mut [usize],
    down: &[Vec<usize>],
    up: &[Vec<usize>],
    le: &[LEdge],
    has_legend: bool,
    allow_equal: bool,
) {
    let pair_cost = |a: usize, b: usize, pos: &[usize]| pair_crossings(a, b, pos, down, up, le);
    for _ in 0..20 {
        let mut improved = false;
        for layer in layers.iter_mut() {
            for i in 0..layer.len().saturating_sub(1) {
                let (a, b) = (layer[i], layer[i + 1]);
                if has_legend && (a == 0 || b == 0) {
                    continue;
                }
                let (keep, swap) = (pair_cost(a, b, pos), pair_cost(b, a, pos));
                if swap < keep || (allow_equal && swap == keep && keep > 0) {
                    layer.swap(i, i + 1);
                    pos[a] = i + 1;
                    pos[b] = i;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// x coordinates: each rank in turn solves min Σ wᵢ(xᵢ − dᵢ)² subject to
/// the order and spacing, where dᵢ is the weighted mean of the node's
/// neighbours (heavy edges pull hardest), exactly, by pool-adjacent-violators.
fn place_x(ln: &mut [LNode], le: &[LEdge], layers: &[Vec<usize>]) {
    let mut nbrs: Vec<Vec<(usize, f64)>> = vec![Vec::new(); ln.len()];
    for e in le {
        nbrs[e.from].push((e.to, e.weight));
        nbrs[e.to].push((e.from, e.weight));
    }
    let gap = |a: &LNode, b: &LNode| -> f64 {
        let sep = if a.real.is_some() && b.real.is_some() {
            NODE_SEP
        } else {
            EDGE_SEP
        };
        a.right + sep + b.left
    };
    for layer in layers {
        let mut x = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                x += gap(&ln[layer[i - 1]], &ln[v]);
            }
            ln[v].x = x;
        }
    }
    for iter in 0..40 {
        let order: Vec<usize> = if iter % 2 == 0 {
            (0..layers.len()).collect()
        } else {
            (0..layers.len()).rev().collect()
        };
        let mut moved: f64 = 0.0;
        for r in order {
            let layer = &layers[r];
            if layer.is_empty() {
                continue;
            }
            let mut target = Vec::with_capacity(layer.len());
            let mut weight = Vec::with_capacity(layer.len());
            let mut offset = Vec::with_capacity(layer.len());
            let mut off = 0.0;
            for (i, &v) in layer.iter().enumerate() {
                if i > 0 {
                    off += gap(&ln[layer[i - 1]], &ln[v]);
                }
                let (sw, sx) = nbrs[v]
                    .iter()
                    .fold((0.0, 0.0), |(w, s), &(u, wt)| (w + wt, s + wt * ln[u].x));
                let (d, w) = if sw > 0.0 {
                    (sx / sw, sw)
                } else {
                    (ln[v].x, 1e-3)
                };
                target.push(d - off);
                weight.push(w);
                offset.push(off);
            }
            let y = isotonic(&target, &weight);
            for (i, &v) in layer.iter().enumerate() {
                let nx = y[i] + offset[i];
                moved = moved.max((nx - ln[v].x).abs());
                ln[v].x = nx;
            }
        }
        if moved < 0.05 {
            break;
        }
    }
}

/// Weighted isotonic (non-decreasing) regression of `t`.
fn isotonic(t: &[f64], w: &[f64]) -> Vec<f64> {
    // Blocks of (mean, weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(t.len());
    for i in 0..t.len() {
        blocks.push((t[i], w[i], 1));
        while blocks.len() > 1 {
            let n = blocks.len();
            if blocks[n - 2].0 <= blocks[n - 1].0 {
                break;
            }
            let (m2, w2, c2) = blocks.pop().expect("block");
            let (m1, w1, c1) = blocks.pop().expect("block");
            let wsum = w1 + w2;
            blocks.push(((m1 * w1 + m2 * w2) / wsum, wsum, c1 + c2));
        }
    }
    let mut out = Vec::with_capacity(t.len());
    for (m, _, c) in blocks {
        out.extend(std::iter::repeat_n(m, c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_regression_pools_violators() {
        assert_eq!(
            isotonic(&[1.0, 3.0, 2.0], &[1.0, 1.0, 1.0]),
            vec![1.0, 2.5, 2.5]
        );
        assert_eq!(isotonic(&[3.0, 1.0], &[3.0, 1.0]), vec![2.5, 2.5]);
        assert_eq!(isotonic(&[0.0, 1.0, 2.0], &[1.0; 3]), vec![0.0, 1.0, 2.0]);
    }

    #[test]
    fn inversions_count_crossings() {
        assert_eq!(count_inversions(&mut [0, 1, 2]), 0);
        assert_eq!(count_inversions(&mut [2, 1, 0]), 3);
        assert_eq!(count_inversions(&mut [1, 0, 2, 2]), 1);
    }
}
