//! Routes: each edge leaves its source at a port spread along the box's
//! bottom, crosses every band of boxes it passes (slanting where no box is
//! near, else straight down), curves smoothly across the gaps and through
//! the label bands (which hold no boxes) by the middle of its slot, and
//! ends in an arrowhead at a port on the target's top; its label sits
//! beside its labelled slot. Of the smooth routes, an edge takes one that
//! touches no box and crosses the edges routed before it no more often
//! than running straight down would.

use super::chain::{Chains, LABEL_GAP};
use super::position::Bands;
use super::{EdgePath, NodeBox, ARROW_LEN, EDGE_FONT};
use crate::render::drawing::Drawing;
use crate::render::font;
use std::collections::HashMap;

/// Share of a box's width its ports may spread over.
const PORT_SPAN: f64 = 0.6;
/// Widest spacing between neighbouring ports.
const PORT_GAP: f64 = 12.0;
/// Clear space between two neighbouring thick lines at a box.
const PEN_GAP: f64 = 4.0;
/// Share of a box's width the ports of thick lines may spread over.
const WIDE_PORT_SPAN: f64 = 0.9;
/// Clear space an edge keeps from boxes where it slants across their band.
const SLANT_CLEARANCE: f64 = 6.0;
/// Half-width of an arrowhead of a one-point line.
const ARROW_HALF: f64 = 3.5;

/// Offsets from the box centre of the ports of one side of a box, by
/// edge, in the order of the edges' other ends.
fn spread(ports: &mut [(f64, usize)], width: f64, pens: &[f64]) -> HashMap<usize, f64> {
    ports.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let k = ports.len();
    // Thick lines and arrowheads need more room than the usual spacing:
    // each pair of neighbours as far apart as their half widths (an
    // arrowhead's, where the line may end here) and a gap, within the
    // box's bottom or top.
    let half = |e: usize| pens[e] / 2.0 + ARROW_HALF;
    let mut at = vec![0.0f64; k];
    for j in 1..k {
        at[j] = at[j - 1] + (half(ports[j - 1].1) + half(ports[j].1) + PEN_GAP).max(PORT_GAP);
    }
    let wide = at.last().copied().unwrap_or(0.0);
    if wide <= PORT_GAP * (k as f64 - 1.0) + 0.01 || k < 2 {
        return ports
            .iter()
            .enumerate()
            .map(|(j, &(_, e))| (e, port_offset(width, j, k)))
            .collect();
    }
    let scale = (width * WIDE_PORT_SPAN / wide).min(1.0);
    ports
        .iter()
        .enumerate()
        .map(|(j, &(_, e))| (e, (at[j] - wide / 2.0) * scale))
        .collect()
}

/// Offset from the centre of a box `width` wide of the `j`th of its `k`
/// ports on one side.
fn port_offset(width: f64, j: usize, k: usize) -> f64 {
    if k < 2 {
        return 0.0;
    }
    let span = (width * PORT_SPAN).min(PORT_GAP * (k as f64 - 1.0));
    -span / 2.0 + span * j as f64 / (k as f64 - 1.0)
}

/// A straight cubic from `a` to `b`.
fn line(a: [f64; 2], b: [f64; 2]) -> [[f64; 2]; 3] {
    [
        [a[0] + (b[0] - a[0]) / 3.0, a[1] + (b[1] - a[1]) / 3.0],
        [
            a[0] + 2.0 * (b[0] - a[0]) / 3.0,
            a[1] + 2.0 * (b[1] - a[1]) / 3.0,
        ],
        b,
    ]
}

/// The direction an edge has at run `k` of `runs`: down a run that has a
/// length (it passes boxes), else along the line from the run before to
/// the run after (where the edge only passes a point, or leaves or enters
/// a box as tall as its band).
fn tangent(runs: &[([f64; 2], [f64; 2])], k: usize) -> Option<[f64; 2]> {
    let (top, bottom) = runs[k];
    if bottom[1] > top[1] + 0.01 {
        return None;
    }
    let prev = if k > 0 { runs[k - 1].1 } else { top };
    let next = if k + 1 < runs.len() {
        runs[k + 1].0
    } else {
        bottom
    };
    let (dx, dy) = (next[0] - prev[0], next[1] - prev[1]);
    let len = dx.hypot(dy);
    (len > 1e-9 && dy > 0.0).then(|| [dx / len, dy / len])
}

/// The curve from `a` to `b` leaving along `ta` and arriving along `tb`
/// (straight down where `None`).
fn joint(a: [f64; 2], ta: Option<[f64; 2]>, b: [f64; 2], tb: Option<[f64; 2]>) -> [[f64; 2]; 3] {
    let dy = (b[1] - a[1]) / 2.0;
    let reach = (b[0] - a[0]).hypot(b[1] - a[1]) / 3.0;
    let c1 = match ta {
        Some(t) => [a[0] + t[0] * reach, a[1] + t[1] * reach],
        None => [a[0], a[1] + dy],
    };
    let c2 = match tb {
        Some(t) => [b[0] - t[0] * reach, b[1] - t[1] * reach],
        None => [b[0], b[1] - dy],
    };
    [c1, c2, b]
}

/// The curves of an edge along `runs`.
fn through(runs: &[([f64; 2], [f64; 2])]) -> Vec<[[f64; 2]; 3]> {
    let mut curves = Vec::new();
    for (k, run) in runs.iter().enumerate() {
        if k > 0 {
            let (a, b) = (runs[k - 1].1, run.0);
            curves.push(joint(a, tangent(runs, k - 1), b, tangent(runs, k)));
        }
        if run.1[1] > run.0[1] + 0.01 {
            curves.push(line(run.0, run.1));
        }
    }
    curves
}

/// Points along `curves` from `start`, a few per curve.
fn polyline(start: [f64; 2], curves: &[[[f64; 2]; 3]]) -> Vec<[f64; 2]> {
    const STEPS: usize = 8;
    let mut points = Vec::with_capacity(curves.len() * STEPS + 1);
    points.push(start);
    for c in curves {
        let p0 = points[points.len() - 1];
        points.extend(super::sample_cubic(p0, c, STEPS));
    }
    points
}

/// Whether `points` come within a few points of a box other than the
/// edge's own `ends`.
fn touches_a_box(points: &[[f64; 2]], nodes: &[NodeBox], ends: (usize, usize)) -> bool {
    let margin = SLANT_CLEARANCE / 2.0;
    nodes.iter().enumerate().any(|(i, n)| {
        let (l, t, r, b) = n.rect();
        i != ends.0
            && i != ends.1
            && points.iter().any(|p| {
                p[0] > l - margin && p[0] < r + margin && p[1] > t - margin && p[1] < b + margin
            })
    })
}

/// Side of the square cells [`Routed`] files segments under.
const CELL: f64 = 32.0;

/// The cells a segment's bounding box covers: (first column, first row,
/// last column, last row).
fn cells(p: [f64; 2], q: [f64; 2]) -> (i64, i64, i64, i64) {
    let c = |v: f64| (v / CELL).floor() as i64;
    (
        c(p[0].min(q[0])),
        c(p[1].min(q[1])),
        c(p[0].max(q[0])),
        c(p[1].max(q[1])),
    )
}

/// The edges routed so far, their segments filed by cell.
#[derive(Default)]
struct Routed {
    ends: Vec<(usize, usize)>,
    segments: Vec<([f64; 2], [f64; 2], usize)>,
    grid: HashMap<(i64, i64), Vec<usize>>,
}

impl Routed {
    /// Files the edge with `ends` along `points`.
    fn add(&mut self, ends: (usize, usize), points: &[[f64; 2]]) {
        let edge = self.ends.len();
        self.ends.push(ends);
        for s in points.windows(2) {
            let k = self.segments.len();
            self.segments.push((s[0], s[1], edge));
            let (x0, y0, x1, y1) = cells(s[0], s[1]);
            for x in x0..=x1 {
                for y in y0..=y1 {
                    self.grid.entry((x, y)).or_default().push(k);
                }
            }
        }
    }

    /// Times an edge with `ends` along `points` would cross the routed
    /// edges that share no end with it.
    fn crossings(&self, ends: (usize, usize), points: &[[f64; 2]]) -> usize {
        let mut n = 0;
        for s in points.windows(2) {
            let (x0, y0, x1, y1) = cells(s[0], s[1]);
            for x in x0..=x1 {
                for y in y0..=y1 {
                    for &k in self.grid.get(&(x, y)).map_or(&[][..], |v| &v[..]) {
                        let (p, q, edge) = self.segments[k];
                        let (a, b) = self.ends[edge];
                        if [ends.0, ends.1].contains(&a) || [ends.0, ends.1].contains(&b) {
                            continue;
                        }
                        // Each pair once: in the first cell both cover.
                        let (u0, v0, _, _) = cells(p, q);
                        if (x, y) == (x0.max(u0), y0.max(v0))
                            && super::segments_cross(s[0], s[1], p, q)
                        {
                            n += 1;
                        }
                    }
                }
            }
        }
        n
    }
}

/// Shortens the last curve for an arrowhead of an edge of width `pen`,
/// keeping its end tangent; returns the arrowhead (tip, base corners).
fn arrowhead(curves: &mut [[[f64; 2]; 3]], pen: f64) -> [[f64; 2]; 3] {
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
    let alen = ARROW_LEN.min(len.max(4.0));
    let base = [tip[0] - ux * alen, tip[1] - uy * alen];
    let half = ARROW_HALF + pen / 2.0;
    let shift_end = [base[0] - tip[0], base[1] - tip[1]];
    curves[last][2] = base;
    curves[last][1][0] += shift_end[0];
    curves[last][1][1] += shift_end[1];
    [
        tip,
        [base[0] - uy * half, base[1] + ux * half],
        [base[0] + uy * half, base[1] - ux * half],
    ]
}

/// Routes every edge of `d`.
pub(super) fn edges(
    d: &Drawing,
    nodes: &[NodeBox],
    graph: &Chains,
    bands: &Bands,
    reversed: &[bool],
    ends: &[(usize, usize)],
) -> Vec<EdgePath> {
    let ranked = &graph.ranked;
    let n_real = nodes.len();
    let mut out_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n_real];
    let mut in_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n_real];
    for (i, chain) in graph.chains.iter().enumerate() {
        let (u, v) = (chain[0], chain[chain.len() - 1]);
        out_ports[u].push((ranked[chain[1]].x, i));
        in_ports[v].push((ranked[chain[chain.len() - 2]].x, i));
    }
    let pens: Vec<f64> = d.edges.iter().map(|e| e.pen).collect();
    let offsets = |ports: &mut Vec<Vec<(f64, usize)>>| -> Vec<HashMap<usize, f64>> {
        ports
            .iter_mut()
            .enumerate()
            .map(|(i, p)| spread(p, nodes[i].w, &pens))
            .collect()
    };
    let out_off = offsets(&mut out_ports);
    let in_off = offsets(&mut in_ports);
    let (band_top, band_h) = (&bands.top, &bands.height);
    let mut in_the_way: Vec<Vec<(f64, f64)>> = vec![Vec::new(); band_top.len()];
    for (i, n) in nodes.iter().enumerate() {
        let (l, _, r, _) = n.rect();
        in_the_way[ranked[i].rank].push((l, r));
    }
    // Other edges passing a band of boxes run straight down its slots.
    for slot in &ranked[n_real..] {
        if slot.rank % 2 == 0 {
            in_the_way[slot.rank].push((slot.x, slot.x));
        }
    }
    let mut edges = Vec::with_capacity(d.edges.len());
    let mut routed = Routed::default();
    for (i, chain) in graph.chains.iter().enumerate() {
        let (u, v) = (chain[0], chain[chain.len() - 1]);
        let (nu, nv) = (&nodes[u], &nodes[v]);
        let (_, _, _, u_bottom) = nu.rect();
        let (_, v_top, _, _) = nv.rect();
        // Vertical runs through each band.
        let sx = nu.x + out_off[u][&i];
        let ex = nv.x + in_off[v][&i];
        let (ru, rv) = (ranked[u].rank, ranked[v].rank);
        let mut runs: Vec<([f64; 2], [f64; 2])> =
            vec![([sx, u_bottom], [sx, band_top[ru] + band_h[ru]])];
        for &c in &chain[1..chain.len() - 1] {
            let r = ranked[c].rank;
            if r % 2 == 1 {
                // A label band holds no boxes: the edge only passes the
                // middle of its slot, curving through the band.
                let mid = [ranked[c].x, band_top[r] + band_h[r] / 2.0];
                runs.push((mid, mid));
            } else {
                runs.push((
                    [ranked[c].x, band_top[r]],
                    [ranked[c].x, band_top[r] + band_h[r]],
                ));
            }
        }
        runs.push(([ex, band_top[rv]], [ex, v_top]));
        // Where no box is near, an edge passing a band of boxes may keep
        // its slant instead of running straight down (each turn into and
        // out of the vertical would be a bend).
        let straight = runs.clone();
        for k in 1..runs.len() - 1 {
            let c = chain[k];
            let r = ranked[c].rank;
            if r % 2 == 1 {
                continue;
            }
            let (prev, next) = (runs[k - 1].1, runs[k + 1].0);
            let slope = (next[0] - prev[0]) / (next[1] - prev[1]).max(1e-9);
            let reach = slope.abs() * band_h[r] / 2.0 + SLANT_CLEARANCE;
            let x = ranked[c].x;
            let clear = in_the_way[r]
                .iter()
                .all(|&(l, rt)| (l == x && rt == x) || x + reach < l || x - reach > rt);
            if clear {
                let mid = [x, band_top[r] + band_h[r] / 2.0];
                runs[k] = (mid, mid);
            }
        }
        // Boxes shorter than their band: the edge may also leave and enter
        // them on its slant rather than straight down to the band's edge.
        let free_ends = |runs: &[([f64; 2], [f64; 2])]| {
            let mut free = runs.to_vec();
            let last = free.len() - 1;
            free[0].1 = free[0].0;
            free[last].0 = free[last].1;
            free
        };
        let (free, free_straight) = (free_ends(&runs), free_ends(&straight));
        // The smoothest route that touches no box and crosses the edges
        // routed so far no more often than the straight-down one.
        let mut start = straight[0].0;
        let mut curves = through(&straight);
        let mut points = polyline(start, &curves);
        let mut candidates: Vec<&[([f64; 2], [f64; 2])]> = Vec::new();
        for c in [&free, &runs, &free_straight] {
            if *c != straight && !candidates.contains(&&c[..]) {
                candidates.push(c);
            }
        }
        let most = if candidates.is_empty() {
            0
        } else {
            routed.crossings((u, v), &points)
        };
        for candidate in candidates {
            let smooth = through(candidate);
            let along = polyline(start, &smooth);
            if !touches_a_box(&along, nodes, (u, v)) && routed.crossings((u, v), &along) <= most {
                (curves, points) = (smooth, along);
                break;
            }
        }
        routed.add((u, v), &points);
        if reversed[i] {
            // Draw from the real source (below) up to the real target.
            let mut pts = vec![start];
            for c in &curves {
                pts.extend_from_slice(c);
            }
            pts.reverse();
            start = pts[0];
            curves = pts[1..].chunks(3).map(|c| [c[0], c[1], c[2]]).collect();
        }
        let e = &d.edges[i];
        let arrow = arrowhead(&mut curves, e.pen);
        let label = graph.label_slot[i].map(|s| {
            let r = ranked[s].rank;
            let top = band_top[r]
                + (band_h[r] - e.label.len() as f64 * font::line_height(EDGE_FONT)) / 2.0;
            (
                [ranked[s].x + LABEL_GAP, top + font::ascent(EDGE_FONT)],
                e.label.clone(),
            )
        });
        edges.push(EdgePath {
            from: ends[i].0,
            to: ends[i].1,
            start,
            curves,
            arrow,
            label,
            color: e.color.clone(),
            pen: e.pen,
            dotted: e.dotted,
            tooltip: e.tooltip.clone(),
        });
    }
    edges
}
