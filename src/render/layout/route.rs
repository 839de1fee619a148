//! Routes: each edge leaves its source at a port spread along the box's
//! bottom, crosses every band of boxes it passes (slanting where no box is
//! near, else down beside the boxes near it, leaning toward where it goes
//! as far as its half of the gap to the next slot allows), curves smoothly
//! across the gaps and through the label bands (which hold no boxes) by the
//! middle of its slot, and ends in an arrowhead at a port on the target's
//! top; its label sits beside its labelled slot. Every edge is first routed
//! straight down the bands of boxes; then, in rounds, each takes the
//! smoothest of its routes that touches no box and crosses the other edges
//! no more often than its route so far, so smoothing never adds a crossing.

use super::chain::{Chains, LABEL_GAP, SLOT_MIN};
use super::labels;
use super::position::{isotonic, Bands};
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
/// Rounds of trying smoother routes for the edges.
const ROUTE_PASSES: usize = 3;
/// Half-width of an arrowhead of a one-point line.
const ARROW_HALF: f64 = 3.5;

/// Offsets from the box centre of the ports of one side of a box, by
/// edge, in the order of the edges' other ends: each as near as it may be
/// to straight above or below where its edge goes next ([`toward`]), no
/// closer to its neighbours than [`packed`] puts them.
fn spread(
    ports: &mut [(f64, usize)],
    centre: f64,
    width: f64,
    pens: &[f64],
) -> HashMap<usize, f64> {
    ports.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let at = packed(ports, width, pens);
    let reach = width * PORT_SPAN / 2.0;
    let wanted: Vec<f64> = ports
        .iter()
        .map(|p| (p.0 - centre).clamp(-reach, reach))
        .collect();
    let offsets = toward(&at, &wanted);
    let inside = |o: &f64| o.abs() <= width / 2.0;
    let chosen = if offsets.iter().all(inside) {
        offsets
    } else {
        at
    };
    ports.iter().zip(chosen).map(|(p, o)| (p.1, o)).collect()
}

/// The ports of one side packed about the centre: thick lines and
/// arrowheads as far apart as their half widths (an arrowhead's, where the
/// line may end here) and a gap, within [`WIDE_PORT_SPAN`] of the width;
/// thin ones [`port_offset`] apart.
fn packed(ports: &[(f64, usize)], width: f64, pens: &[f64]) -> Vec<f64> {
    let k = ports.len();
    let half = |e: usize| pens[e] / 2.0 + ARROW_HALF;
    let mut at = vec![0.0f64; k];
    for j in 1..k {
        at[j] = at[j - 1] + (half(ports[j - 1].1) + half(ports[j].1) + PEN_GAP).max(PORT_GAP);
    }
    let wide = at.last().copied().unwrap_or(0.0);
    if wide <= PORT_GAP * (k as f64 - 1.0) + 0.01 || k < 2 {
        return (0..k).map(|j| port_offset(width, j, k)).collect();
    }
    let scale = (width * WIDE_PORT_SPAN / wide).min(1.0);
    at.iter().map(|a| (a - wide / 2.0) * scale).collect()
}

/// Offsets in order, each at least as far from the one before as in
/// `at`, as near to `wanted` as can be (least squares: the isotonic
/// regression of the wanted offsets less `at`, then `at` added back).
fn toward(at: &[f64], wanted: &[f64]) -> Vec<f64> {
    let less: Vec<f64> = wanted.iter().zip(at).map(|(w, a)| w - a).collect();
    let pooled = isotonic(&less, &vec![1.0; at.len()]);
    pooled.iter().zip(at).map(|(m, a)| m + a).collect()
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
        let (dx, dy) = (bottom[0] - top[0], bottom[1] - top[1]);
        return (dx.abs() > 1e-9).then(|| [dx / dx.hypot(dy), dy / dx.hypot(dy)]);
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
    let chord = (b[0] - a[0]).hypot(b[1] - a[1]) / 3.0;
    // Along a tangent no further down (or up) than the other end, so the
    // curve never dips below its end and comes back.
    let reach = |t: [f64; 2]| chord.min(2.0 * dy / t[1].max(1e-9));
    let c1 = match ta {
        Some(t) => [a[0] + t[0] * reach(t), a[1] + t[1] * reach(t)],
        None => [a[0], a[1] + dy],
    };
    let c2 = match tb {
        Some(t) => [b[0] - t[0] * reach(t), b[1] - t[1] * reach(t)],
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

/// The routes of the edges, their segments filed by cell.
#[derive(Default)]
struct Routed {
    /// Per edge: its ends and the segments of its route.
    edges: Vec<((usize, usize), std::ops::Range<usize>)>,
    /// Segments: ends, and the edge (`usize::MAX` once replaced).
    segments: Vec<([f64; 2], [f64; 2], usize)>,
    grid: HashMap<(i64, i64), Vec<usize>>,
}

impl Routed {
    /// Files edge `edge` (the next one) with `ends` along `points`.
    fn add(&mut self, edge: usize, ends: (usize, usize), points: &[[f64; 2]]) {
        debug_assert_eq!(edge, self.edges.len());
        let range = self.file(edge, points);
        self.edges.push((ends, range));
    }

    /// Routes `edge` along `points` instead.
    fn replace(&mut self, edge: usize, points: &[[f64; 2]]) {
        for k in self.edges[edge].1.clone() {
            self.segments[k].2 = usize::MAX;
        }
        self.edges[edge].1 = self.file(edge, points);
    }

    /// The points of `edge`'s route.
    fn points_of(&self, edge: usize) -> Vec<[f64; 2]> {
        let range = self.edges[edge].1.clone();
        let mut points: Vec<[f64; 2]> = self.segments[range.clone()].iter().map(|s| s.0).collect();
        points.extend(self.segments[range].last().map(|s| s.1));
        points
    }

    fn file(&mut self, edge: usize, points: &[[f64; 2]]) -> std::ops::Range<usize> {
        let first = self.segments.len();
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
        first..self.segments.len()
    }

    /// Times an edge with `ends` along `points` would cross the routed
    /// edges that share no end with it (so never itself).
    fn crossings(&self, ends: (usize, usize), points: &[[f64; 2]]) -> usize {
        let mut n = 0;
        for s in points.windows(2) {
            let (x0, y0, x1, y1) = cells(s[0], s[1]);
            for x in x0..=x1 {
                for y in y0..=y1 {
                    for &k in self.grid.get(&(x, y)).map_or(&[][..], |v| &v[..]) {
                        let (p, q, edge) = self.segments[k];
                        let Some(&((a, b), _)) = self.edges.get(edge) else {
                            continue;
                        };
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

/// What a band of boxes holds across: per band, the boxes' and other
/// edges' slots' horizontal extents (a slot's is its x twice), and the
/// boxes.
struct Obstacles {
    in_the_way: Vec<Vec<(f64, f64)>>,
    boxes: Vec<Vec<(f64, f64, f64, f64)>>,
}

/// A stretch of an edge through one band: from its top to its bottom
/// (one point where the edge only passes).
type Run = ([f64; 2], [f64; 2]);

/// The routes an edge may take along `chain`, straight down every band of
/// boxes first, then the smoother ones, smoothest first.
fn candidate_runs(
    chain: &[usize],
    (sx, ex): (f64, f64),
    nodes: &[NodeBox],
    ranked: &[super::RankedNode],
    bands: &Bands,
    obstacles: &Obstacles,
) -> Vec<Vec<Run>> {
    let (band_top, band_h) = (&bands.top, &bands.height);
    let (in_the_way, boxes_of_band) = (&obstacles.in_the_way, &obstacles.boxes);
    let (u, v) = (chain[0], chain[chain.len() - 1]);
    let (nu, nv) = (&nodes[u], &nodes[v]);
    let (_, _, _, u_bottom) = nu.rect();
    let (_, v_top, _, _) = nv.rect();
    // Vertical runs through each band.
    let (ru, rv) = (ranked[u].rank, ranked[v].rank);
    let mut runs: Vec<Run> = vec![([sx, u_bottom], [sx, band_top[ru] + band_h[ru]])];
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
    let mut short = runs.clone();
    let mut lean_runs = runs.clone();
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
            short[k] = (mid, mid);
            lean_runs[k] = (mid, mid);
            continue;
        }
        // Else it need only run straight down beside the boxes near
        // it, which may be shorter than the band.
        let near = boxes_of_band[r]
            .iter()
            .filter(|&&(l, _, rt, _)| x + reach >= l && x - reach <= rt);
        let (top, bottom) = near.fold((f64::INFINITY, f64::NEG_INFINITY), |(t, b), bx| {
            (t.min(bx.1), b.max(bx.3))
        });
        short[k] = if top <= bottom {
            (
                [x, (top - SLANT_CLEARANCE).max(band_top[r])],
                [x, (bottom + SLANT_CLEARANCE).min(band_top[r] + band_h[r])],
            )
        } else {
            let mid = [x, band_top[r] + band_h[r] / 2.0];
            (mid, mid)
        };
        // And it may lean toward where it goes, as far as keeps it
        // clear of the boxes and within its half of the gap to the
        // slots beside it.
        let (run_top, run_bottom) = (short[k].0[1], short[k].1[1]);
        let room = in_the_way[r].iter().fold(f64::INFINITY, |room, &(l, rt)| {
            let apart = if l == rt {
                (l - x).abs() / 2.0
            } else {
                (l - x).max(x - rt) - SLANT_CLEARANCE
            };
            if l == x && rt == x {
                room
            } else {
                room.min(apart)
            }
        });
        let lean = (slope * (run_bottom - run_top) / 2.0).clamp(-room.max(0.0), room.max(0.0));
        lean_runs[k] = ([x - lean, run_top], [x + lean, run_bottom]);
    }
    // Boxes shorter than their band: the edge may also leave and enter
    // them on its slant rather than straight down to the band's edge.
    // Or only one of them, where the other would pass too close to a
    // taller neighbour (a wide fan leaving or entering a box).
    let free_ends = |runs: &[Run], start: bool, end: bool| {
        let mut free = runs.to_vec();
        let last = free.len() - 1;
        if start {
            free[0].1 = free[0].0;
        }
        if end {
            free[last].0 = free[last].1;
        }
        free
    };
    let mut candidates = vec![straight.clone()];
    for c in [
        free_ends(&lean_runs, true, true),
        free_ends(&short, true, true),
        free_ends(&runs, true, true),
        free_ends(&lean_runs, true, false),
        free_ends(&lean_runs, false, true),
        runs,
        free_ends(&straight, true, true),
    ] {
        if !candidates.contains(&c) {
            candidates.push(c);
        }
    }
    candidates
}

/// The boxes (or slots) at the upper and lower end of edge `i`'s chain.
fn ends_of(graph: &Chains, i: usize) -> (usize, usize) {
    let chain = &graph.chains[i];
    (chain[0], chain[chain.len() - 1])
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
            .map(|(i, p)| spread(p, nodes[i].x, nodes[i].w, &pens))
            .collect()
    };
    let out_off = offsets(&mut out_ports);
    let in_off = offsets(&mut in_ports);
    let (band_top, band_h) = (&bands.top, &bands.height);
    let mut obstacles = Obstacles {
        in_the_way: vec![Vec::new(); band_top.len()],
        boxes: vec![Vec::new(); band_top.len()],
    };
    for (i, n) in nodes.iter().enumerate() {
        let (l, t, r, b) = n.rect();
        obstacles.in_the_way[ranked[i].rank].push((l, r));
        obstacles.boxes[ranked[i].rank].push((l, t, r, b));
    }
    // Other edges passing a band of boxes run straight down its slots.
    for slot in &ranked[n_real..] {
        if slot.rank % 2 == 0 {
            obstacles.in_the_way[slot.rank].push((slot.x, slot.x));
        }
    }
    // Every edge first runs straight down the bands of boxes; then each in
    // turn takes the smoothest of its routes that touches no box and
    // crosses the others no more often than its route so far, so no
    // change adds a crossing.
    let candidates: Vec<Vec<Vec<Run>>> = graph
        .chains
        .iter()
        .enumerate()
        .map(|(i, chain)| {
            let (u, v) = (chain[0], chain[chain.len() - 1]);
            let ports = (nodes[u].x + out_off[u][&i], nodes[v].x + in_off[v][&i]);
            candidate_runs(chain, ports, nodes, ranked, bands, &obstacles)
        })
        .collect();
    let mut routed = Routed::default();
    let mut chosen = Vec::with_capacity(candidates.len());
    for (i, runs) in candidates.iter().enumerate() {
        let curves = through(&runs[0]);
        routed.add(i, ends_of(graph, i), &polyline(runs[0][0].0, &curves));
        chosen.push(curves);
    }
    // Which of its candidates each edge runs along.
    let mut taken = vec![0; candidates.len()];
    for _ in 0..ROUTE_PASSES {
        let mut changed = false;
        for (i, runs) in candidates.iter().enumerate() {
            // Only the routes smoother than its own (the straight one, the
            // first, is the least smooth).
            let smoother = if taken[i] == 0 { runs.len() } else { taken[i] };
            if smoother < 2 {
                continue;
            }
            let ends = ends_of(graph, i);
            let start = runs[0][0].0;
            let most = routed.crossings(ends, &routed.points_of(i));
            for (k, candidate) in runs.iter().enumerate().take(smoother).skip(1) {
                let smooth = through(candidate);
                let along = polyline(start, &smooth);
                if !touches_a_box(&along, nodes, ends) && routed.crossings(ends, &along) <= most {
                    routed.replace(i, &along);
                    chosen[i] = smooth;
                    taken[i] = k;
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut edges = Vec::with_capacity(d.edges.len());
    let mut rooms = Vec::with_capacity(d.edges.len());
    for (i, mut curves) in chosen.into_iter().enumerate() {
        let mut start = candidates[i][0][0].0;
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
            // Clear of its line, however thick.
            let x = ranked[s].x + e.pen.max(SLOT_MIN) + LABEL_GAP;
            ([x, top + font::ascent(EDGE_FONT)], e.label.clone())
        });
        rooms.push(graph.label_slot[i].map(|s| labels::Room {
            band: (band_top[ranked[s].rank], band_h[ranked[s].rank]),
            line_x: ranked[s].x,
            gap: e.pen.max(SLOT_MIN) + LABEL_GAP,
        }));
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
    labels::keep_clear(&mut edges, &rooms, nodes);
    edges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_go_where_they_are_wanted_when_the_gaps_allow() {
        let at = [-12.0, 0.0, 12.0];
        assert_eq!(toward(&at, &[-20.0, 5.0, 30.0]), vec![-20.0, 5.0, 30.0]);
        // Too close together: the three move as one block, gaps kept,
        // centred on where they are wanted on average.
        assert_eq!(toward(&at, &[10.0, 10.0, 10.0]), vec![-2.0, 10.0, 22.0]);
        // Out of order (the middle one wants to be left of the first): the
        // first two pool, the third stays.
        assert_eq!(toward(&at, &[0.0, -6.0, 40.0]), vec![-9.0, 3.0, 40.0]);
    }

    #[test]
    fn a_port_lies_toward_its_edge_within_its_share_of_the_box() {
        let pens = [1.0, 1.0];
        // One edge going far right leaves right of the centre, no further
        // than PORT_SPAN of the box allows; one going straight down, at the
        // centre.
        let far = spread(&mut [(500.0, 0)], 100.0, 80.0, &pens);
        assert_eq!(far[&0], 80.0 * PORT_SPAN / 2.0);
        let below = spread(&mut [(103.0, 1)], 100.0, 80.0, &pens);
        assert_eq!(below[&1], 3.0);
        // Two edges to the same place keep their usual spacing.
        let both = spread(&mut [(100.0, 0), (100.0, 1)], 100.0, 80.0, &pens);
        assert_eq!(both[&1] - both[&0], PORT_GAP);
    }
}
