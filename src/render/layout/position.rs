//! Positions: x by weighted least squares per rank (heavy links pull
//! hardest), solved exactly by pool-adjacent-violators; y by bands, one
//! per rank, as tall as its tallest node.

use super::{
    Link, NodeBox, RankedNode, Shape, BOX3D, EDGE_SEP, LEGEND_PAD, NODE_SEP, PAD, RANK_GAP,
};

/// The vertical band of each rank.
pub(super) struct Bands {
    /// Per rank: top.
    pub top: Vec<f64>,
    /// Per rank: height.
    pub height: Vec<f64>,
}

/// Stacks the ranks into bands, moves the drawing to the margin and puts
/// every box at its layered node's place.
pub(super) fn bands(ranked: &mut [RankedNode], nodes: &mut [NodeBox], has_legend: bool) -> Bands {
    let max_rank = ranked.iter().map(|n| n.rank).max().unwrap_or(0);
    let mut height = vec![0.0f64; max_rank + 1];
    for n in ranked.iter() {
        height[n.rank] = height[n.rank].max(n.h);
    }
    let margin = PAD + if has_legend { LEGEND_PAD } else { 0.0 };
    let mut top = vec![0.0f64; max_rank + 1];
    let mut y = margin;
    for r in 0..=max_rank {
        top[r] = y;
        y += height[r] + RANK_GAP;
    }
    let min_x = ranked
        .iter()
        .map(|n| n.x - n.left)
        .fold(f64::INFINITY, f64::min);
    let shift = margin - min_x;
    for n in ranked.iter_mut() {
        n.x += shift;
        if let Some(i) = n.real {
            nodes[i].x = n.x;
            nodes[i].y = top[n.rank] + height[n.rank] / 2.0;
            if nodes[i].shape == Shape::Box3d {
                nodes[i].y += BOX3D / 2.0;
            }
        }
    }
    Bands { top, height }
}

/// x coordinates: each rank in turn solves min Σ wᵢ(xᵢ − dᵢ)² subject to
/// the order and spacing, where dᵢ is the weighted mean of the node's
/// neighbours (heavy edges pull hardest), exactly, by pool-adjacent-violators.
pub(super) fn place_x(ranked: &mut [RankedNode], links: &[Link], layers: &[Vec<usize>]) {
    let mut nbrs: Vec<Vec<(usize, f64)>> = vec![Vec::new(); ranked.len()];
    for e in links {
        nbrs[e.from].push((e.to, e.weight));
        nbrs[e.to].push((e.from, e.weight));
    }
    for layer in layers {
        let mut x = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                x += gap(&ranked[layer[i - 1]], &ranked[v]);
            }
            ranked[v].x = x;
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
                    off += gap(&ranked[layer[i - 1]], &ranked[v]);
                }
                let (sw, sx) = nbrs[v].iter().fold((0.0, 0.0), |(w, s), &(u, wt)| {
                    (w + wt, s + wt * ranked[u].x)
                });
                let (d, w) = if sw > 0.0 {
                    (sx / sw, sw)
                } else {
                    (ranked[v].x, 1e-3)
                };
                target.push(d - off);
                weight.push(w);
                offset.push(off);
            }
            let y = isotonic(&target, &weight);
            for (i, &v) in layer.iter().enumerate() {
                let nx = y[i] + offset[i];
                moved = moved.max((nx - ranked[v].x).abs());
                ranked[v].x = nx;
            }
        }
        if moved < 0.05 {
            break;
        }
    }
}

/// The least distance between the centres of neighbours `a` and `b`.
fn gap(a: &RankedNode, b: &RankedNode) -> f64 {
    let sep = if a.real.is_some() && b.real.is_some() {
        NODE_SEP
    } else {
        EDGE_SEP
    };
    a.right + sep + b.left
}

/// Passes of [`straighten`] over the links.
const STRAIGHTEN_PASSES: usize = 3;

/// Pulls heavy links vertical, so the hot path does not jog from rank to
/// rank: for each link, heaviest first, whose ends are each other's
/// heaviest link on that side, the end the rest of its links hold less
/// moves under (or over) the other, as far as its neighbours allow.
pub(super) fn straighten(ranked: &mut [RankedNode], links: &[Link], layers: &[Vec<usize>]) {
    let n = ranked.len();
    let mut down: Vec<Option<usize>> = vec![None; n];
    let mut up: Vec<Option<usize>> = vec![None; n];
    let mut held = vec![0.0f64; n];
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, l) in links.iter().enumerate() {
        outs[l.from].push(i);
        ins[l.to].push(i);
        if down[l.from].is_none_or(|j| links[j].weight < l.weight) {
            down[l.from] = Some(i);
        }
        if up[l.to].is_none_or(|j| links[j].weight < l.weight) {
            up[l.to] = Some(i);
        }
        held[l.from] += l.weight;
        held[l.to] += l.weight;
    }
    let mut place = vec![(0usize, 0usize); n];
    for (r, layer) in layers.iter().enumerate() {
        for (k, &v) in layer.iter().enumerate() {
            place[v] = (r, k);
        }
    }
    let mut order: Vec<usize> = (0..links.len()).collect();
    order.sort_by(|&a, &b| links[b].weight.total_cmp(&links[a].weight));
    for &i in order.iter().cycle().take(order.len() * STRAIGHTEN_PASSES) {
        let l = &links[i];
        if down[l.from] != Some(i) || up[l.to] != Some(i) {
            continue;
        }
        let (moving, anchor) = if held[l.to] <= held[l.from] {
            (l.to, l.from)
        } else {
            (l.from, l.to)
        };
        // Where the link leaves the upper end and enters the lower one.
        let port = |v: usize, downward: bool| -> f64 {
            if ranked[v].real.is_none() {
                return 0.0;
            }
            let (side, other): (&[usize], fn(&Link) -> usize) = if downward {
                (&outs[v], |l| l.to)
            } else {
                (&ins[v], |l| l.from)
            };
            let x = |j: usize| ranked[other(&links[j])].x;
            let index = side
                .iter()
                .filter(|&&j| x(j) < x(i) || (x(j) == x(i) && j < i))
                .count();
            let w = ranked[v].left + ranked[v].right;
            super::route::port_offset(w, index, side.len())
        };
        let (top_port, bottom_port) = (port(l.from, true), port(l.to, false));
        let target = if moving == l.to {
            ranked[anchor].x + top_port - bottom_port
        } else {
            ranked[anchor].x + bottom_port - top_port
        };
        let (r, k) = place[moving];
        let layer = &layers[r];
        let lo = k.checked_sub(1).map_or(f64::NEG_INFINITY, |j| {
            ranked[layer[j]].x + gap(&ranked[layer[j]], &ranked[moving])
        });
        let hi = layer.get(k + 1).map_or(f64::INFINITY, |&w| {
            ranked[w].x - gap(&ranked[moving], &ranked[w])
        });
        if lo <= hi {
            ranked[moving].x = target.clamp(lo, hi);
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
}
