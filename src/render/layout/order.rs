//! Crossing reduction: first orders by depth- and breadth-first search,
//! then median or barycentre sweeps with transposition, then sifting; the
//! order with the fewest crossings wins, the sweeps start again from it
//! while they find fewer, and then from random changes of it ("kicks").

use super::{xorshift, Link, RankedNode};
use std::collections::VecDeque;

/// Sweeps between checks for a better order.
const SWEEPS: usize = 64;
/// Rounds of sweeps again from the best order.
const POLISH_ROUNDS: usize = 3;
/// Sweeps without improvement before giving up.
const PATIENCE: usize = 8;
/// Kicks tried at most, on each of two threads.
const MAX_KICKS: usize = 16;
/// What the kicks of one thread may cost in all, in layered nodes and
/// links swept (a kick sweeps every one a few times).
const KICK_WORK: usize = 16_000;
/// Nodes a kick moves to a random place in their rank.
const KICK_MOVES: usize = 2;
/// Sweeps without improvement before a kick gives up.
const KICK_PATIENCE: usize = 2;
/// Seeds of the two threads' kicks: the same graph gets the same picture.
const KICK_SEEDS: [u64; 2] = [0x9e37_79b9_7f4a_7c15, 0x2545_f491_4f6c_dd1d];

/// The order of every rank with the fewest crossings over several starts
/// (depth- and breadth-first orders; median, dot's median and barycentre
/// keys; ties of the key put in [`heaviest_in_the_middle`] order, or left in
/// their order: the first is preferred among equals), polished, then kicked.
pub(super) fn best_order(
    ranked: &[RankedNode],
    links: &[Link],
    has_legend: bool,
) -> Vec<Vec<usize>> {
    let max_rank = ranked.iter().map(|n| n.rank).max().unwrap_or(0);
    let adj = Adjacency::new(ranked.len(), links);
    let keys = [Key::Median, Key::DotMedian, Key::Barycentre];
    let starts: Vec<(bool, bool, Key)> = [true, false]
        .into_iter()
        .flat_map(|middle| [false, true].map(|bfs| (middle, bfs)))
        .flat_map(|(middle, bfs)| keys.map(|key| (middle, bfs, key)))
        .collect();
    // (The first search does not matter after the starts: half of them.)
    let sweeps: Vec<Sweep> = starts
        .iter()
        .filter(|s| !s.1)
        .map(|&(heavy_middle, _, key)| Sweep { key, heavy_middle })
        .collect();
    // Two threads take every other start, each until one of its own has no
    // crossing: the set tried, and so the winner, does not depend on timing.
    let run = |first: usize| {
        let mut tried = Vec::new();
        for (i, &(heavy_middle, bfs, key)) in starts.iter().enumerate().skip(first).step_by(2) {
            let mut candidate: Vec<Vec<usize>> = vec![Vec::new(); max_rank + 1];
            initial_order(ranked, links, &mut candidate, has_legend, bfs);
            let sweep = Sweep { key, heavy_middle };
            let c = reduce_crossings(&adj, &mut candidate, has_legend, sweep, PATIENCE);
            tried.push((c, i, candidate));
            if c == 0 {
                break;
            }
        }
        tried
    };
    let mut tried = std::thread::scope(|s| {
        let other = s.spawn(|| run(1));
        let mut mine = run(0);
        mine.extend(other.join().expect("ordering thread"));
        mine
    });
    tried.sort_by_key(|t| (t.0, t.1));
    // Then every kind of sweep again from the winner, while that helps.
    let (mut best_c, _, mut best) = tried.swap_remove(0);
    for _ in 0..POLISH_ROUNDS {
        let mut improved = false;
        for &sweep in &sweeps {
            if best_c == 0 {
                break;
            }
            let mut candidate = best.clone();
            let c = reduce_crossings(&adj, &mut candidate, has_legend, sweep, PATIENCE);
            if c < best_c {
                (best_c, best) = (c, candidate);
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    let kicks = MAX_KICKS.min(KICK_WORK / (ranked.len() + links.len()).max(1));
    if best_c == 0 || kicks == 0 {
        return best;
    }
    let kicked = std::thread::scope(|s| {
        let (start, adj, sweeps) = (&best, &adj, &sweeps);
        let kick = |seed| kick(adj, start, best_c, has_legend, sweeps, seed, kicks);
        let other = s.spawn(move || kick(KICK_SEEDS[1]));
        let mine = kick(KICK_SEEDS[0]);
        [mine, other.join().expect("kicking thread")]
    });
    kicked
        .into_iter()
        .min_by_key(|k| k.0)
        .filter(|k| k.0 < best_c)
        .map_or(best, |k| k.1)
}

/// Up to `kicks` times: moves [`KICK_MOVES`] random nodes of `start` (the
/// first in a rank of more than two) to random places in their ranks,
/// sweeps briefly, and keeps the result when it has fewer crossings than the
/// best so far. Returns the best order found and its crossings.
fn kick(
    adj: &Adjacency,
    start: &[Vec<usize>],
    start_c: usize,
    has_legend: bool,
    sweeps: &[Sweep],
    seed: u64,
    kicks: usize,
) -> (usize, Vec<Vec<usize>>) {
    let mut next = xorshift(seed);
    // The legend (node 0) stays at the left of its rank.
    let first_free = |r: usize| usize::from(has_legend && start[r].first() == Some(&0));
    let crowded: Vec<usize> = (0..start.len())
        .filter(|&r| start[r].len() > 2 + first_free(r))
        .collect();
    let movable: Vec<usize> = (0..start.len())
        .filter(|&r| start[r].len() > 1 + first_free(r))
        .collect();
    let (mut best_c, mut best) = (start_c, start.to_vec());
    if movable.is_empty() {
        return (best_c, best);
    }
    for k in 0..kicks {
        let mut candidate = best.clone();
        for m in 0..KICK_MOVES {
            let ranks = if m == 0 && !crowded.is_empty() {
                &crowded
            } else {
                &movable
            };
            let r = ranks[next(ranks.len() as u64) as usize];
            let skip = first_free(r);
            let layer = &mut candidate[r];
            let from = skip + next((layer.len() - skip) as u64) as usize;
            let v = layer.remove(from);
            let to = skip + next((layer.len() + 1 - skip) as u64) as usize;
            layer.insert(to, v);
        }
        let sweep = sweeps[k % sweeps.len()];
        let c = reduce_crossings(adj, &mut candidate, has_legend, sweep, KICK_PATIENCE);
        if c < best_c {
            (best_c, best) = (c, candidate);
            if c == 0 {
                break;
            }
        }
    }
    (best_c, best)
}

/// The links into and out of each layered node.
struct Adjacency<'a> {
    /// Per node: its links to the rank below.
    down: Vec<Vec<usize>>,
    /// Per node: its links from the rank above.
    up: Vec<Vec<usize>>,
    links: &'a [Link],
}

impl<'a> Adjacency<'a> {
    /// The links of `nodes` layered nodes.
    fn new(nodes: usize, links: &'a [Link]) -> Adjacency<'a> {
        let mut down: Vec<Vec<usize>> = vec![Vec::new(); nodes];
        let mut up: Vec<Vec<usize>> = vec![Vec::new(); nodes];
        for (i, e) in links.iter().enumerate() {
            down[e.from].push(i);
            up[e.to].push(i);
        }
        Adjacency { down, up, links }
    }
}

/// First order: depth- (or breadth-) first from the nodes in statement
/// order (most important first), heavier edges first.
fn initial_order(
    ranked: &[RankedNode],
    links: &[Link],
    layers: &mut [Vec<usize>],
    has_legend: bool,
    bfs: bool,
) {
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); ranked.len()];
    for (i, e) in links.iter().enumerate() {
        outs[e.from].push(i);
    }
    for o in &mut outs {
        o.sort_by(|&a, &b| links[b].weight.total_cmp(&links[a].weight).then(a.cmp(&b)));
    }
    let mut seen = vec![false; ranked.len()];
    if has_legend {
        seen[0] = true;
        layers[ranked[0].rank].push(0);
    }
    for root in 0..ranked.len() {
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
            layers[ranked[v].rank].push(v);
            if bfs {
                work.extend(outs[v].iter().map(|&e| links[e].to).filter(|&t| !seen[t]));
            } else {
                work.extend(
                    outs[v]
                        .iter()
                        .rev()
                        .map(|&e| links[e].to)
                        .filter(|&t| !seen[t]),
                );
            }
        }
    }
}

fn crossings_between(upper: &[usize], pos: &[usize], down: &[Vec<usize>], links: &[Link]) -> usize {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for &u in upper {
        for &e in &down[u] {
            pairs.push((pos[u], pos[links[e].to]));
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
    links: &[Link],
) -> usize {
    layers
        .windows(2)
        .map(|w| crossings_between(&w[0], pos, down, links))
        .sum()
}

/// Median (or barycentre) sweeps with transposition, until `patience`
/// sweeps in a row find no fewer crossings, then sifting; keeps the best
/// order seen and returns its crossing count.
fn reduce_crossings(
    adj: &Adjacency,
    layers: &mut [Vec<usize>],
    has_legend: bool,
    sweep: Sweep,
    patience: usize,
) -> usize {
    let Adjacency { down, up, links } = adj;
    let links: &[Link] = links;
    let mut pos = vec![0usize; down.len()];
    let set_pos = |layers: &[Vec<usize>], pos: &mut [usize]| {
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    set_pos(layers, &mut pos);
    let mut best = layers.to_vec();
    let mut best_c = total_crossings(layers, &pos, down, links);
    let mut stale = 0;
    // (Buffers reused by every rank of every sweep.)
    let mut keyed: Vec<(f64, f64, usize, usize)> = Vec::new();
    let mut places: Vec<usize> = Vec::new();
    let mut ps: Vec<f64> = Vec::new();
    for iter in 0..SWEEPS {
        if best_c == 0 || stale > patience {
            break;
        }
        let downward = iter % 2 == 0;
        let ranks: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for r in ranks {
            // Nodes without links to the rank swept from stay where they
            // are; the others are sorted by their key into the places left.
            keyed.clear();
            places.clear();
            for (i, &v) in layers[r].iter().enumerate() {
                let side = if downward { &up[v] } else { &down[v] };
                let far = |e: usize| if downward { links[e].from } else { links[e].to };
                ps.clear();
                ps.extend(side.iter().map(|&e| pos[far(e)] as f64));
                let pull: f64 = side.iter().map(|&e| links[e].weight).sum();
                let key = if has_legend && v == 0 {
                    -1.0
                } else if ps.is_empty() {
                    continue;
                } else {
                    sweep.key.of(&mut ps)
                };
                keyed.push((key, pull, i, v));
                places.push(i);
            }
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
            let sorted: Vec<usize> = if sweep.heavy_middle {
                heaviest_in_the_middle(&keyed)
            } else {
                keyed.iter().map(|k| k.3).collect()
            };
            for (&place, v) in places.iter().zip(sorted) {
                layers[r][place] = v;
            }
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i;
            }
        }
        transpose(layers, &mut pos, adj, has_legend, iter % 4 >= 2);
        let c = total_crossings(layers, &pos, down, links);
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
    sift(layers, &mut pos, adj, has_legend);
    total_crossings(layers, &pos, down, links)
}

/// The nodes of `keyed` (key, pull, index, node; sorted by key) in order,
/// each run of equal keys (siblings under one node, say) arranged with the
/// heaviest pull in the middle and lighter ones alternating outward, so
/// the heaviest link can run straight.
fn heaviest_in_the_middle(keyed: &[(f64, f64, usize, usize)]) -> Vec<usize> {
    let mut out = Vec::with_capacity(keyed.len());
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        let mut by_pull: Vec<&(f64, f64, usize, usize)> = run.iter().collect();
        by_pull.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
        let mut pipe = VecDeque::with_capacity(run.len());
        for (j, k) in by_pull.into_iter().enumerate() {
            if j % 2 == 0 {
                pipe.push_back(k.3);
            } else {
                pipe.push_front(k.3);
            }
        }
        out.extend(pipe);
    }
    out
}

/// How the sweeps of one start order a rank.
#[derive(Clone, Copy)]
struct Sweep {
    key: Key,
    /// Ties of the key in [`heaviest_in_the_middle`] order.
    heavy_middle: bool,
}

/// What a sweep sorts a node by, from its neighbours' positions.
#[derive(Clone, Copy)]
enum Key {
    /// The median (the mean of the middle two for an even count).
    Median,
    /// dot's median: for an even count of more than two, the middle two
    /// weighted toward the side where the others are packed tighter.
    DotMedian,
    /// The mean.
    Barycentre,
}

impl Key {
    /// The key of the (non-empty) positions `ps`.
    fn of(self, ps: &mut [f64]) -> f64 {
        if let Key::Barycentre = self {
            return ps.iter().sum::<f64>() / ps.len() as f64;
        }
        ps.sort_by(f64::total_cmp);
        let m = ps.len() / 2;
        if ps.len() % 2 == 1 {
            return ps[m];
        }
        let left = ps[m - 1] - ps[0];
        let right = ps[ps.len() - 1] - ps[m];
        match self {
            Key::DotMedian if ps.len() > 2 && left + right > 0.0 => {
                (ps[m - 1] * right + ps[m] * left) / (left + right)
            }
            _ => (ps[m - 1] + ps[m]) / 2.0,
        }
    }
}

/// Crossings between the edges of `a` and `b` (to both neighbouring ranks)
/// when `a` stands left of `b`, and when `b` stands left of `a`.
#[inline(always)]
fn pair_crossings(a: usize, b: usize, pos: &[usize], adj: &Adjacency) -> (usize, usize) {
    let Adjacency { down, up, links } = adj;
    let (mut ab, mut ba) = (0, 0);
    let mut count = |pa: usize, pb: usize| {
        ab += usize::from(pa > pb);
        ba += usize::from(pa < pb);
    };
    for &ea in &up[a] {
        for &eb in &up[b] {
            count(pos[links[ea].from], pos[links[eb].from]);
        }
    }
    for &ea in &down[a] {
        for &eb in &down[b] {
            count(pos[links[ea].to], pos[links[eb].to]);
        }
    }
    (ab, ba)
}

/// Runs `pass` over every rank up to `rounds` times, until a round
/// changes nothing. A pass sees only its rank and the positions in the
/// ranks next to it, so a rank is passed over again only once it or a
/// neighbour has changed since its last pass (the outcome is the same).
fn until_stable(
    layers: &mut [Vec<usize>],
    pos: &mut [usize],
    rounds: usize,
    mut pass: impl FnMut(&mut Vec<usize>, &mut [usize]) -> bool,
) {
    let n = layers.len();
    // Per rank: the step of its last change, and of its last pass.
    let mut changed = vec![0usize; n];
    let mut passed: Vec<Option<usize>> = vec![None; n];
    let mut step = 0;
    for _ in 0..rounds {
        let mut improved = false;
        for r in 0..n {
            step += 1;
            let near = r.saturating_sub(1)..(r + 2).min(n);
            if passed[r].is_some_and(|at| changed[near].iter().all(|&c| c < at)) {
                continue;
            }
            passed[r] = Some(step);
            if pass(&mut layers[r], pos) {
                changed[r] = step;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
}

/// Sifting: moves each node to the place in its rank where it crosses
/// least, until no move helps.
fn sift(layers: &mut [Vec<usize>], pos: &mut [usize], adj: &Adjacency, has_legend: bool) {
    // (Buffers reused for every node.)
    let (mut nodes, mut others, mut left, mut right) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    until_stable(layers, pos, 6, |layer_slot, pos| {
        let mut improved = false;
        nodes.clone_from(layer_slot);
        for &v in &nodes {
            if has_legend && v == 0 {
                continue;
            }
            let cur = pos[v];
            others.clear();
            others.extend(layer_slot.iter().copied().filter(|&u| u != v));
            // cost[i]: v placed before others[i..]; start with v first.
            left.clear();
            right.clear();
            for &u in &others {
                let (l, r) = pair_crossings(u, v, pos, adj);
                left.push(l);
                right.push(r);
            }
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
                let mut new_layer = others.clone();
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
        improved
    });
}

/// Swaps neighbours in a rank while that removes crossings (with
/// `allow_equal`, also while it keeps them, to leave local optima).
fn transpose(
    layers: &mut [Vec<usize>],
    pos: &mut [usize],
    adj: &Adjacency,
    has_legend: bool,
    allow_equal: bool,
) {
    until_stable(layers, pos, 20, |layer, pos| {
        let mut improved = false;
        for i in 0..layer.len().saturating_sub(1) {
            let (a, b) = (layer[i], layer[i + 1]);
            if has_legend && (a == 0 || b == 0) {
                continue;
            }
            let (keep, swap) = pair_crossings(a, b, pos, adj);
            if swap < keep || (allow_equal && swap == keep && keep > 0) {
                layer.swap(i, i + 1);
                pos[a] = i + 1;
                pos[b] = i;
                improved = true;
            }
        }
        improved
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random ranks: `ranks` of them, of 1 to `width` nodes, numbered in order.
    fn layered(next: &mut impl FnMut(u64) -> u64, ranks: usize, width: u64) -> Vec<Vec<usize>> {
        let mut layers: Vec<Vec<usize>> = Vec::new();
        let mut n = 0;
        for _ in 0..ranks {
            let size = 1 + next(width) as usize;
            layers.push((n..n + size).collect());
            n += size;
        }
        layers
    }

    /// Each node's place in its rank.
    fn positions(layers: &[Vec<usize>], nodes: usize) -> Vec<usize> {
        let mut pos = vec![0; nodes];
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i;
            }
        }
        pos
    }

    #[test]
    fn kicks_keep_only_orders_with_fewer_crossings() {
        let mut next = super::super::xorshift(0x853c_49e6_748f_ea9b);
        let mut improved = 0;
        for _ in 0..20 {
            let layers = layered(&mut next, 6, 7);
            let mut links = Vec::new();
            for w in layers.windows(2) {
                for &v in &w[1] {
                    for _ in 0..1 + next(2) {
                        let from = w[0][next(w[0].len() as u64) as usize];
                        let weight = 1.0 + next(5) as f64;
                        links.push(Link {
                            from,
                            to: v,
                            weight,
                        });
                    }
                }
            }
            let nodes = layers.iter().map(Vec::len).sum();
            let adj = Adjacency::new(nodes, &links);
            let crossings = |layers: &[Vec<usize>]| {
                total_crossings(layers, &positions(layers, nodes), &adj.down, &links)
            };
            let start_c = crossings(&layers);
            let sweeps = [Sweep {
                key: Key::Median,
                heavy_middle: true,
            }];
            let (c, kicked) = kick(&adj, &layers, start_c, false, &sweeps, 7, 30);
            assert!(c <= start_c);
            improved += usize::from(c < start_c);
            assert_eq!(c, crossings(&kicked), "the count returned is the order's");
            for (a, b) in layers.iter().zip(&kicked) {
                let mut sorted = b.clone();
                sorted.sort_unstable();
                assert_eq!(a, &sorted, "a kick only reorders a rank");
            }
            let again = kick(&adj, &layers, start_c, false, &sweeps, 7, 30);
            assert_eq!(again, (c, kicked), "the same seed kicks the same way");
        }
        assert!(
            improved > 0,
            "kicks from the input order find fewer crossings"
        );
    }

    #[test]
    fn passing_over_unchanged_ranks_changes_no_outcome() {
        // The plain loop: every rank in every round.
        fn every_rank(
            layers: &mut [Vec<usize>],
            pos: &mut [usize],
            rounds: usize,
            mut pass: impl FnMut(&mut Vec<usize>, &mut [usize]) -> bool,
        ) {
            for _ in 0..rounds {
                let mut improved = false;
                for layer in layers.iter_mut() {
                    improved |= pass(layer, pos);
                }
                if !improved {
                    break;
                }
            }
        }
        let mut next = super::super::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..30 {
            let layers = layered(&mut next, 8, 6);
            let mut links = Vec::new();
            for w in layers.windows(2) {
                for _ in 0..w[0].len() + w[1].len() {
                    let from = w[0][next(w[0].len() as u64) as usize];
                    let to = w[1][next(w[1].len() as u64) as usize];
                    links.push(Link {
                        from,
                        to,
                        weight: 1.0,
                    });
                }
            }
            let nodes = layers.iter().map(Vec::len).sum();
            let adj = Adjacency::new(nodes, &links);
            for allow_equal in [false, true] {
                let swap = |layer: &mut Vec<usize>, pos: &mut [usize]| {
                    let mut improved = false;
                    for i in 0..layer.len().saturating_sub(1) {
                        let (a, b) = (layer[i], layer[i + 1]);
                        let (keep, swap) = pair_crossings(a, b, pos, &adj);
                        if swap < keep || (allow_equal && swap == keep && keep > 0) {
                            layer.swap(i, i + 1);
                            (pos[a], pos[b]) = (i + 1, i);
                            improved = true;
                        }
                    }
                    improved
                };
                let (mut plain, mut skipping) = (layers.clone(), layers.clone());
                let (mut pos_plain, mut pos_skipping) =
                    (positions(&layers, nodes), positions(&layers, nodes));
                every_rank(&mut plain, &mut pos_plain, 20, swap);
                until_stable(&mut skipping, &mut pos_skipping, 20, swap);
                assert_eq!(plain, skipping);
            }
        }
    }

    #[test]
    fn inversions_count_crossings() {
        assert_eq!(count_inversions(&mut [0, 1, 2]), 0);
        assert_eq!(count_inversions(&mut [2, 1, 0]), 3);
        assert_eq!(count_inversions(&mut [1, 0, 2, 2]), 1);
    }
}
