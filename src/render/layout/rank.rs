//! Ranks: cycles broken by reversing a DFS's back edges, then network
//! simplex, as dot ranks, for the least sum of weight × length over the
//! edges (each edge at least `2 × minlen` half-ranks long, so labels sit
//! between real ranks): heavy edges one rank long, chains next to what
//! they call.

use crate::render::drawing::Drawing;
use std::collections::VecDeque;

/// The ranks of the real nodes and the direction of each edge.
pub(super) struct Ranks {
    /// Per node: its (half) rank.
    pub rank: Vec<usize>,
    /// Per edge: reversed to break a cycle.
    pub reversed: Vec<bool>,
    /// Per edge: (upper, lower) node after reversal.
    pub dir: Vec<(usize, usize)>,
}

/// Ranks the `n` real nodes of `d`, whose edges join `ends`; the legend
/// (node 0 when `has_legend`) stays on the top rank.
pub(super) fn ranks(d: &Drawing, ends: &[(usize, usize)], n: usize, has_legend: bool) -> Ranks {
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(f, _)) in ends.iter().enumerate() {
        adj[f].push(i);
    }
    let reversed = break_cycles(n, ends, &adj);
    let lens: Vec<usize> = d.edges.iter().map(|e| 2 * e.minlen).collect();
    let weights: Vec<f64> = d.edges.iter().map(|e| e.weight).collect();
    let dir: Vec<(usize, usize)> = ends
        .iter()
        .zip(&reversed)
        .map(|(&(f, t), &r)| if r { (t, f) } else { (f, t) })
        .collect();
    let rank = assign_ranks(n, &dir, &lens, &weights, |i| has_legend && i == 0);
    Ranks {
        rank,
        reversed,
        dir,
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
/// first, then dot's network simplex on each connected part, which puts
/// every node where the sum of weight × length over the edges is least.
fn assign_ranks(
    n: usize,
    dir: &[(usize, usize)],
    lens: &[usize],
    weights: &[f64],
    fixed: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let (ins, outs) = adjacency(n, dir);
    let mut indeg: Vec<usize> = ins.iter().map(Vec::len).collect();
    let mut queue: VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut rank = vec![0i64; n];
    while let Some(v) = queue.pop_front() {
        for &e in &outs[v] {
            let w = dir[e].1;
            rank[w] = rank[w].max(rank[v] + lens[e] as i64);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    optimise(dir, lens, weights, &mut rank, &fixed);
    (0..n)
        .map(|v| if fixed(v) { 0 } else { rank[v] as usize })
        .collect()
}

/// Network simplex from the feasible `rank` (every edge `e` of `dir` at
/// least `lens[e]` long) on each connected part without a `fixed` node,
/// for the least sum of weight × length; each part then starts at 0.
pub(super) fn optimise(
    dir: &[(usize, usize)],
    lens: &[usize],
    weights: &[f64],
    rank: &mut [i64],
    fixed: impl Fn(usize) -> bool,
) {
    let n = rank.len();
    let (ins, outs) = adjacency(n, dir);
    let g = Simplex {
        dir,
        lens,
        weights,
        ins: &ins,
        outs: &outs,
    };
    for part in g.parts(n) {
        if part.len() > 1 && !part.iter().any(|&v| fixed(v)) {
            g.optimise(&part, rank);
        }
        let min = part.iter().map(|&v| rank[v]).min().unwrap_or(0);
        for &v in part.iter() {
            rank[v] -= min;
        }
    }
}

/// Per node of `n`: the edges of `dir` into it, and out of it.
fn adjacency(n: usize, dir: &[(usize, usize)]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(u, v)) in dir.iter().enumerate() {
        outs[u].push(i);
        ins[v].push(i);
    }
    (ins, outs)
}

/// Pivots of network simplex one part may take, at most; each costs a
/// pass over the part's edges per tree edge it tries.
const MAX_PIVOTS: usize = 2000;
/// Edge visits one part may spend on pivots.
const WORK_BUDGET: usize = 40_000_000;

/// The graph network simplex works on (edges as `dir`, ranks feasible).
struct Simplex<'a> {
    dir: &'a [(usize, usize)],
    lens: &'a [usize],
    weights: &'a [f64],
    ins: &'a [Vec<usize>],
    outs: &'a [Vec<usize>],
}

impl Simplex<'_> {
    /// The end of edge `e` that is not `v`.
    fn other(&self, e: usize, v: usize) -> usize {
        let (a, b) = self.dir[e];
        if a == v {
            b
        } else {
            a
        }
    }

    /// The edges at `v`, out and in.
    fn incident(&self, v: usize) -> impl Iterator<Item = usize> + '_ {
        self.outs[v].iter().chain(&self.ins[v]).copied()
    }

    /// The weakly connected parts of the graph's `n` nodes, each in
    /// discovery order.
    fn parts(&self, n: usize) -> Vec<Vec<usize>> {
        let mut seen = vec![false; n];
        let mut out = Vec::new();
        for root in 0..n {
            if seen[root] {
                continue;
            }
            seen[root] = true;
            let mut nodes = vec![root];
            let mut i = 0;
            while i < nodes.len() {
                let v = nodes[i];
                i += 1;
                for e in self.incident(v) {
                    let w = self.other(e, v);
                    if !seen[w] {
                        seen[w] = true;
                        nodes.push(w);
                    }
                }
            }
            out.push(nodes);
        }
        out
    }

    fn slack(&self, e: usize, rank: &[i64]) -> i64 {
        let (u, v) = self.dir[e];
        rank[v] - rank[u] - self.lens[e] as i64
    }

    /// The part's edges.
    fn edges(&self, part: &[usize]) -> Vec<usize> {
        part.iter()
            .flat_map(|&v| self.outs[v].iter().copied())
            .collect()
    }

    /// Network simplex (Gansner et al., as dot ranks): a feasible tree of
    /// tight edges, then tree edges of negative cut value exchanged for
    /// the tightest edge across their cut, until none is left (or the
    /// budget is spent: the ranks are feasible at every step).
    fn optimise(&self, part: &[usize], rank: &mut [i64]) {
        let edges = self.edges(part);
        let mut in_tree = vec![false; self.dir.len()];
        self.feasible_tree(part, &edges, rank, &mut in_tree);
        let mut tree: Vec<usize> = edges.iter().copied().filter(|&e| in_tree[e]).collect();
        let mut side = vec![false; rank.len()];
        let mut work = 0usize;
        let mut pivots = 0usize;
        let mut next = 0usize;
        let mut clean = 0usize;
        while clean < tree.len() && pivots < MAX_PIVOTS && work < WORK_BUDGET {
            let slot = next % tree.len();
            next += 1;
            let e = tree[slot];
            self.tail_side(part, e, &in_tree, &mut side);
            work += part.len() + edges.len();
            let cut: f64 = edges
                .iter()
                .map(|&g| {
                    let (a, b) = self.dir[g];
                    match (side[a], side[b]) {
                        (true, false) => self.weights[g],
                        (false, true) => -self.weights[g],
                        _ => 0.0,
                    }
                })
                .sum();
            if cut >= -1e-9 {
                clean += 1;
                continue;
            }
            // The tightest edge from the head side back to the tail side.
            let enter = edges
                .iter()
                .copied()
                .filter(|&g| !in_tree[g] && !side[self.dir[g].0] && side[self.dir[g].1])
                .min_by_key(|&g| self.slack(g, rank));
            let Some(f) = enter else {
                clean += 1;
                continue;
            };
            in_tree[e] = false;
            in_tree[f] = true;
            tree[slot] = f;
            self.ranks_from_tree(part, &in_tree, rank);
            pivots += 1;
            clean = 0;
        }
    }

    /// Marks in `side` the nodes on the tail side of tree edge `e`.
    fn tail_side(&self, part: &[usize], e: usize, in_tree: &[bool], side: &mut [bool]) {
        for &v in part {
            side[v] = false;
        }
        let start = self.dir[e].0;
        side[start] = true;
        let mut stack = vec![start];
        while let Some(v) = stack.pop() {
            for g in self.incident(v) {
                if g == e || !in_tree[g] {
                    continue;
                }
                let w = self.other(g, v);
                if !side[w] {
                    side[w] = true;
                    stack.push(w);
                }
            }
        }
    }

    /// Ranks that make every tree edge tight, from the part's first node.
    fn ranks_from_tree(&self, part: &[usize], in_tree: &[bool], rank: &mut [i64]) {
        let mut done = vec![false; rank.len()];
        let root = part[0];
        done[root] = true;
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            for g in self.incident(v) {
                if !in_tree[g] {
                    continue;
                }
                let w = self.other(g, v);
                let len = self.lens[g] as i64;
                let r = if self.dir[g].0 == v {
                    rank[v] + len
                } else {
                    rank[v] - len
                };
                if !done[w] {
                    done[w] = true;
                    rank[w] = r;
                    stack.push(w);
                }
            }
        }
    }

    /// Grows a spanning tree of tight edges, shifting the tree's ranks by
    /// the least slack of an edge leaving it whenever it can grow no more.
    fn feasible_tree(
        &self,
        part: &[usize],
        edges: &[usize],
        rank: &mut [i64],
        in_tree: &mut [bool],
    ) {
        let mut in_node = vec![false; rank.len()];
        in_node[part[0]] = true;
        let mut size = 1;
        let mut members = vec![part[0]];
        loop {
            // Grow along tight edges.
            let mut stack = members.clone();
            while let Some(v) = stack.pop() {
                for g in self.incident(v) {
                    let w = self.other(g, v);
                    if !in_node[w] && self.slack(g, rank) == 0 {
                        in_node[w] = true;
                        in_tree[g] = true;
                        size += 1;
                        members.push(w);
                        stack.push(w);
                    }
                }
            }
            if size == part.len() {
                return;
            }
            let Some(g) = edges
                .iter()
                .copied()
                .filter(|&g| in_node[self.dir[g].0] != in_node[self.dir[g].1])
                .min_by_key(|&g| self.slack(g, rank))
            else {
                return;
            };
            let delta = self.slack(g, rank);
            let shift = if in_node[self.dir[g].1] {
                -delta
            } else {
                delta
            };
            for &v in &members {
                rank[v] += shift;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(dir: &[(usize, usize)], weights: &[f64], rank: &[usize]) -> f64 {
        dir.iter()
            .zip(weights)
            .map(|(&(u, v), w)| w * (rank[v] as f64 - rank[u] as f64))
            .sum()
    }

    /// The least cost over every feasible ranking with ranks below `max`.
    fn best(n: usize, dir: &[(usize, usize)], lens: &[usize], weights: &[f64], max: usize) -> f64 {
        let mut rank = vec![0usize; n];
        let mut best = f64::INFINITY;
        loop {
            let feasible = dir
                .iter()
                .zip(lens)
                .all(|(&(u, v), &l)| rank[v] >= rank[u] + l);
            if feasible {
                best = best.min(cost(dir, weights, &rank));
            }
            let mut i = 0;
            while i < n && rank[i] == max - 1 {
                rank[i] = 0;
                i += 1;
            }
            if i == n {
                return best;
            }
            rank[i] += 1;
        }
    }

    #[test]
    fn network_simplex_finds_the_least_weighted_length() {
        let mut seed = 0x853c_49e6_748f_ea9bu64;
        let mut next = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for _ in 0..200 {
            let n = 2 + next(4) as usize;
            // Edges from lower to higher index: a DAG.
            let mut dir = Vec::new();
            for _ in 0..next(7) {
                let (a, b) = (next(n as u64) as usize, next(n as u64) as usize);
                if a < b {
                    dir.push((a, b));
                }
            }
            let lens: Vec<usize> = dir.iter().map(|_| 2 * (1 + next(2) as usize)).collect();
            let weights: Vec<f64> = dir.iter().map(|_| (1 + next(5)) as f64).collect();
            let rank = assign_ranks(n, &dir, &lens, &weights, |_| false);
            assert!(dir
                .iter()
                .zip(&lens)
                .all(|(&(u, v), &l)| rank[v] >= rank[u] + l));
            let want = best(n, &dir, &lens, &weights, 4 * n + 1);
            assert_eq!(
                cost(&dir, &weights, &rank),
                want,
                "{dir:?} {lens:?} {weights:?}"
            );
        }
    }
}
