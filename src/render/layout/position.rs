//! Positions: x first by weighted least squares per rank (heavy links pull
//! hardest, solved exactly by pool-adjacent-violators), then from there by
//! network simplex for the least weighted sum of horizontal link lengths,
//! as dot places them, the lone slot of a short edge then moved to the
//! middle of its ends where there is room; y by bands, one per rank, as
//! tall as its tallest node.

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

/// Stacks the ranks into bands, [`gaps`] apart, moves the drawing to the
/// margin and puts every box at its layered node's place.
pub(super) fn bands(
    ranked: &mut [RankedNode],
    links: &[Link],
    nodes: &mut [NodeBox],
    has_legend: bool,
) -> Bands {
    let max_rank = ranked.iter().map(|n| n.rank).max().unwrap_or(0);
    let mut height = vec![0.0f64; max_rank + 1];
    for n in ranked.iter() {
        height[n.rank] = height[n.rank].max(n.h);
    }
    let gaps = gaps(ranked, links, &height);
    let margin = PAD + if has_legend { LEGEND_PAD } else { 0.0 };
    let mut top = vec![0.0f64; max_rank + 1];
    let mut y = margin;
    for r in 0..=max_rank {
        top[r] = y;
        y += height[r] + gaps[r];
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

/// The curvature (radians per point) at a joint's ends that opens a wider
/// gap. Chosen on the corpus (`make layout-report`): at 0.12 almost no
/// joint bends, but the wider gaps lengthen heavy edges past dot's ink in
/// total; at 0.5 only the longest jumps widen their gap.
const CURVATURE: f64 = 0.5;
/// The widest gap a long sideways jump may open below a band (wider gaps
/// lengthen every edge across them).
const MAX_RANK_GAP: f64 = RANK_GAP + 10.0;

/// The gap below each rank: [`RANK_GAP`], or more where a link jumps far
/// sideways to the next rank, so that its joint (a cubic leaving and
/// arriving vertically, whose ends curve by about 2·jump / 3·span²) turns
/// no sharper than [`CURVATURE`] over the gap and half the label band
/// beside it.
fn gaps(ranked: &[RankedNode], links: &[Link], height: &[f64]) -> Vec<f64> {
    let mut jump = vec![0.0f64; height.len()];
    for e in links {
        let (a, b) = (&ranked[e.from], &ranked[e.to]);
        let r = a.rank.min(b.rank);
        jump[r] = jump[r].max((a.x - b.x).abs());
    }
    (0..height.len())
        .map(|r| {
            let label_half = if r % 2 == 1 {
                height[r] / 2.0
            } else {
                height.get(r + 1).map_or(0.0, |h| h / 2.0)
            };
            let span = (2.0 * jump[r] / (3.0 * CURVATURE)).sqrt();
            (span - label_half).clamp(RANK_GAP, MAX_RANK_GAP)
        })
        .collect()
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

/// x coordinates as dot places them: network simplex on the graph where
/// each link hangs from a node of its own below both ends (so its length
/// |x_from − x_to| costs its weight) and neighbours in a rank keep their
/// gap; the least weighted sum of horizontal link lengths, so a heavy
/// path runs straight. Starts from the placement in `ranked`.
pub(super) fn place_x_exact(ranked: &mut [RankedNode], links: &[Link], layers: &[Vec<usize>]) {
    let n = ranked.len();
    let mut x = vec![0i64; n + links.len()];
    let mut dir = Vec::with_capacity(2 * links.len() + n);
    let mut lens = Vec::with_capacity(dir.capacity());
    let mut weights = Vec::with_capacity(dir.capacity());
    for layer in layers {
        for (i, &v) in layer.iter().enumerate() {
            x[v] = ranked[v].x.round() as i64;
            if i > 0 {
                let u = layer[i - 1];
                let len = gap(&ranked[u], &ranked[v]).ceil() as i64;
                x[v] = x[v].max(x[u] + len);
                dir.push((u, v));
                lens.push(len as usize);
                weights.push(0.0);
            }
        }
    }
    for (i, l) in links.iter().enumerate() {
        let hub = n + i;
        x[hub] = x[l.from].min(x[l.to]);
        for end in [l.from, l.to] {
            dir.push((hub, end));
            lens.push(0);
            weights.push(l.weight);
        }
    }
    super::rank::optimise(&dir, &lens, &weights, &mut x, |_| false);
    for (v, node) in ranked.iter_mut().enumerate() {
        node.x = x[v] as f64;
    }
}

/// Moves the lone slot of each edge between neighbouring ranks of boxes
/// toward the middle of the edge's ends, as far as its neighbours in the
/// rank allow (two rounds, so a slot can use room another one left). Its two
/// links weigh the same, so their weighted length stays the least; the
/// edge's sideways run is shared by the gaps above and below its label
/// instead of taken in one.
pub(super) fn centre_lone_slots(
    ranked: &mut [RankedNode],
    chains: &[Vec<usize>],
    layers: &[Vec<usize>],
) {
    let mut place = vec![(0, 0); ranked.len()];
    for (r, layer) in layers.iter().enumerate() {
        for (i, &v) in layer.iter().enumerate() {
            place[v] = (r, i);
        }
    }
    for _ in 0..2 {
        for chain in chains.iter().filter(|c| c.len() == 3) {
            let (u, s, v) = (chain[0], chain[1], chain[2]);
            let (r, i) = place[s];
            let layer = &layers[r];
            let lo = i.checked_sub(1).map_or(f64::NEG_INFINITY, |j| {
                ranked[layer[j]].x + gap(&ranked[layer[j]], &ranked[s])
            });
            let hi = layer.get(i + 1).map_or(f64::INFINITY, |&w| {
                ranked[w].x - gap(&ranked[s], &ranked[w])
            });
            if lo <= hi {
                let middle = ((ranked[u].x + ranked[v].x) / 2.0).round();
                ranked[s].x = middle.clamp(lo.ceil(), hi.floor().max(lo.ceil()));
            }
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

/// Weighted isotonic (non-decreasing) regression of `t`.
pub(super) fn isotonic(t: &[f64], w: &[f64]) -> Vec<f64> {
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

    fn node(real: Option<usize>, rank: usize, x: f64, half: f64) -> RankedNode {
        RankedNode {
            left: half,
            right: half,
            h: 10.0,
            real,
            rank,
            x,
        }
    }

    #[test]
    fn a_lone_slot_moves_to_the_middle_of_its_ends_as_far_as_its_neighbours_allow() {
        // Two edges from node 0 (x 0) down to nodes 1 (x 200) and 2 (x -100)
        // through slots 3 and 4 (x at their lower ends, as network simplex
        // may leave them); slot 5 of a third edge stands right of slot 3.
        let mut ranked = vec![
            node(Some(0), 0, 0.0, 20.0),
            node(Some(1), 2, 200.0, 20.0),
            node(Some(2), 2, -100.0, 20.0),
            node(None, 1, 200.0, 2.0),
            node(None, 1, -100.0, 2.0),
            node(None, 1, 230.0, 2.0),
        ];
        let chains = vec![vec![0, 3, 1], vec![0, 4, 2]];
        let layers = vec![vec![0], vec![4, 3, 5], vec![2, 1]];
        centre_lone_slots(&mut ranked, &chains, &layers);
        assert_eq!(ranked[3].x, 100.0);
        assert_eq!(ranked[4].x, -50.0);
        // Slot 3's neighbour on the left now stands where slot 3 wants to be.
        ranked[4].x = 98.0;
        ranked[3].x = 200.0;
        centre_lone_slots(&mut ranked, &chains[..1], &layers);
        assert_eq!(ranked[3].x, 98.0 + 2.0 + EDGE_SEP + 2.0);
    }

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
    fn a_long_sideways_jump_widens_only_its_own_gap() {
        let node = |rank: usize, x: f64| RankedNode {
            left: 1.0,
            right: 1.0,
            h: 20.0,
            real: None,
            rank,
            x,
        };
        // Ranks 0..=3: a short step from rank 0 to 1, a jump of 60 points
        // from rank 1 to 2, a jump of 3000 from rank 2 to 3.
        let ranked = [node(0, 0.0), node(1, 5.0), node(2, 65.0), node(3, 3065.0)];
        let link = |from, to| Link {
            from,
            to,
            weight: 1.0,
        };
        let links = [link(0, 1), link(1, 2), link(2, 3)];
        let height = [20.0, 0.0, 20.0, 20.0];
        let widths = gaps(&ranked, &links, &height);
        assert_eq!(widths[0], RANK_GAP);
        // sqrt(2 * 60 / 1.5) = 8.9: the usual gap is room enough.
        assert_eq!(widths[1], RANK_GAP);
        // sqrt(2 * 3000 / 1.5) - 10 = 53: as wide as gaps go.
        assert_eq!(widths[2], MAX_RANK_GAP);
        // A jump of 600 from a box band to a label band 20 high:
        // sqrt(800) - 10 = 18.3.
        let ranked = [node(0, 0.0), node(1, 600.0)];
        let widths = gaps(&ranked, &links[..1], &[20.0, 20.0]);
        assert!((widths[0] - (800f64.sqrt() - 10.0)).abs() < 1e-9);
    }
}
