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

/// Pivots of network simplex one part may take, at most; each costs the
/// search for a leaving edge and the renumbering of a subtree.
const MAX_PIVOTS: usize = 2000;
/// Tree edges and nodes one part may visit on pivots.
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
    /// tight edges, then a tree edge of negative cut value exchanged for
    /// the tightest edge across its cut, until none is left (or the
    /// budget is spent: the ranks are feasible at every step). The tree's
    /// postorder numbers give each cut value from its child's edges and
    /// tell which side of a cut a node is on.
    fn optimise(&self, part: &[usize], rank: &mut [i64]) {
        let edges = self.edges(part);
        let mut in_tree = vec![false; self.dir.len()];
        self.feasible_tree(part, &edges, rank, &mut in_tree);
        let mut tree = Tree::new(rank.len(), self.dir.len(), part.len());
        tree.number(self, part[0], usize::MAX, 1, &in_tree);
        tree.list_edges(part);
        tree.cut_values(self);
        let mut work = 0usize;
        let mut next = 0usize;
        for _ in 0..MAX_PIVOTS {
            #[cfg(test)]
            tree.check_cut_values(self, part, &in_tree);
            if work >= WORK_BUDGET {
                break;
            }
            let Some(e) = tree.leaving(&mut next) else {
                break;
            };
            let Some(f) = tree.entering(self, e, &in_tree, rank) else {
                break;
            };
            work += tree.exchange(self, e, f, rank, &mut in_tree) + tree.edges.len();
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

/// A spanning tree of one part, numbered in postorder: `v` lies below
/// `c` (in the subtree hanging from `c`) when `low[c] <= lim[v] <= lim[c]`.
struct Tree {
    /// Per node: the tree edge to its parent (`usize::MAX` at the root).
    parent: Vec<usize>,
    low: Vec<usize>,
    lim: Vec<usize>,
    /// The part's nodes in postorder.
    order: Vec<usize>,
    /// Per edge: its cut value, if it is a tree edge.
    cut: Vec<f64>,
    /// The tree edges, in the order leaving edges are searched.
    edges: Vec<usize>,
    /// Per tree edge: its place in `edges`.
    slot: Vec<usize>,
}

/// Tree edges with negative cut values a search looks at before it takes
/// the most negative (dot's search size).
const SEARCH_SIZE: usize = 30;

impl Tree {
    fn new(nodes: usize, edges: usize, part: usize) -> Tree {
        Tree {
            parent: vec![usize::MAX; nodes],
            low: vec![0; nodes],
            lim: vec![0; nodes],
            order: vec![0; part],
            cut: vec![0.0; edges],
            edges: Vec::with_capacity(part),
            slot: vec![usize::MAX; edges],
        }
    }

    /// Whether `v` is in the subtree hanging from `c`.
    fn below(&self, c: usize, v: usize) -> bool {
        self.low[c] <= self.lim[v] && self.lim[v] <= self.lim[c]
    }

    /// Parents and postorder numbers, from `first` on, of the subtree
    /// hanging from `root` by tree edge `up`; returns its size.
    fn number(
        &mut self,
        g: &Simplex,
        root: usize,
        up: usize,
        first: usize,
        in_tree: &[bool],
    ) -> usize {
        self.parent[root] = up;
        let mut count = first;
        // (node, whether its children are done)
        let mut stack = vec![(root, false)];
        while let Some((v, done)) = stack.pop() {
            if done {
                self.lim[v] = count;
                self.order[count - 1] = v;
                count += 1;
                continue;
            }
            self.low[v] = count;
            stack.push((v, true));
            for e in g.incident(v) {
                if in_tree[e] && e != self.parent[v] {
                    let w = g.other(e, v);
                    self.parent[w] = e;
                    stack.push((w, false));
                }
            }
        }
        count - first
    }

    /// The tree edges of the numbered `part`, for the leaving edge's search.
    fn list_edges(&mut self, part: &[usize]) {
        for &v in part {
            let e = self.parent[v];
            if e != usize::MAX {
                self.slot[e] = self.edges.len();
                self.edges.push(e);
            }
        }
    }

    /// Every tree edge's cut value (the weight of the edges from its
    /// tail's side to its head's, less the weight back), children first.
    fn cut_values(&mut self, g: &Simplex) {
        for k in 0..self.order.len() {
            let v = self.order[k];
            let f = self.parent[v];
            if f == usize::MAX {
                continue;
            }
            // +1 where `f` leaves `v`'s subtree.
            let out = if g.dir[f].0 == v { 1.0 } else { -1.0 };
            let mut sum = 0.0;
            for e in g.incident(v) {
                let w = g.other(e, v);
                let leaves = g.dir[e].0 == v;
                let value = if !self.below(v, w) {
                    // Crosses the cut.
                    if leaves {
                        g.weights[e]
                    } else {
                        -g.weights[e]
                    }
                } else {
                    // Inside: it crosses the cut of the child's subtree
                    // holding `w` (counted there, through the child's tree
                    // edge), not `f`'s.
                    let back = if leaves { g.weights[e] } else { -g.weights[e] };
                    let child = if self.parent[w] == e {
                        let child_out = if leaves { -1.0 } else { 1.0 };
                        child_out * self.cut[e]
                    } else {
                        0.0
                    };
                    child + back
                };
                sum += value;
            }
            self.cut[f] = out * sum;
        }
    }

    /// Exchanges tree edge `e` for `f` (Gansner et al.'s update): moves
    /// the child's side of `e` so that `f` is tight, corrects the cut
    /// values along the tree path between `f`'s ends by `e`'s, and
    /// renumbers the subtree holding that path. Returns the nodes visited.
    fn exchange(
        &mut self,
        g: &Simplex,
        e: usize,
        f: usize,
        rank: &mut [i64],
        in_tree: &mut [bool],
    ) -> usize {
        let delta = g.slack(f, rank);
        let (tail, head) = g.dir[e];
        let (child, shift) = if self.parent[tail] == e {
            (tail, -delta)
        } else {
            (head, delta)
        };
        let moved = self.lim[child] + 1 - self.low[child];
        for &v in &self.order[self.low[child] - 1..self.lim[child]] {
            rank[v] += shift;
        }
        let cut = self.cut[e];
        let (f_tail, f_head) = g.dir[f];
        let lca = self.correct_path(g, f_tail, f_head, cut, true);
        self.correct_path(g, f_head, f_tail, cut, false);
        self.cut[f] = -cut;
        self.cut[e] = 0.0;
        in_tree[e] = false;
        in_tree[f] = true;
        let k = self.slot[e];
        self.edges[k] = f;
        self.slot[f] = k;
        let (up, first) = (self.parent[lca], self.low[lca]);
        moved + self.number(g, lca, up, first, in_tree)
    }

    /// Walks from `v` up to the first node above both `v` and `w`, adding
    /// `cut` to the cut value of each tree edge on the way whose tail is
    /// the lower end (with `forward`; else to those whose head is), and
    /// subtracting it from the others; returns that node.
    fn correct_path(
        &mut self,
        g: &Simplex,
        mut v: usize,
        w: usize,
        cut: f64,
        forward: bool,
    ) -> usize {
        while !self.below(v, w) {
            let e = self.parent[v];
            let lower_is_tail = g.dir[e].0 == v;
            if lower_is_tail == forward {
                self.cut[e] += cut;
            } else {
                self.cut[e] -= cut;
            }
            v = g.other(e, v);
        }
        v
    }

    /// Checks every cut value against its definition: the tail's side
    /// found by search.
    #[cfg(test)]
    fn check_cut_values(&self, g: &Simplex, part: &[usize], in_tree: &[bool]) {
        assert_eq!(self.edges.len() + 1, part.len());
        assert!(self.edges.iter().all(|&e| in_tree[e]));
        let mut fresh = Tree::new(self.parent.len(), self.cut.len(), part.len());
        fresh.number(g, part[0], usize::MAX, 1, in_tree);
        for &v in part {
            assert_eq!(
                (self.low[v], self.lim[v], self.parent[v]),
                (fresh.low[v], fresh.lim[v], fresh.parent[v]),
                "numbering of {v}"
            );
        }
        for &e in &self.edges {
            let mut side = vec![false; self.parent.len()];
            let mut stack = vec![g.dir[e].0];
            side[g.dir[e].0] = true;
            while let Some(v) = stack.pop() {
                for f in g.incident(v) {
                    let w = g.other(f, v);
                    if f != e && in_tree[f] && !side[w] {
                        side[w] = true;
                        stack.push(w);
                    }
                }
            }
            let want: f64 = g
                .edges(part)
                .iter()
                .map(|&f| match (side[g.dir[f].0], side[g.dir[f].1]) {
                    (true, false) => g.weights[f],
                    (false, true) => -g.weights[f],
                    _ => 0.0,
                })
                .sum();
            assert!(
                (self.cut[e] - want).abs() < 1e-6,
                "cut value of {e}: {} not {want}",
                self.cut[e]
            );
        }
    }

    /// A tree edge of negative cut value: the most negative of the first
    /// few found, searching on from where the last search stopped.
    fn leaving(&self, next: &mut usize) -> Option<usize> {
        let n = self.edges.len();
        let mut best: Option<usize> = None;
        let mut found = 0;
        for k in 0..n {
            let e = self.edges[(*next + k) % n];
            if self.cut[e] < -1e-9 {
                if best.is_none_or(|b| self.cut[e] < self.cut[b]) {
                    best = Some(e);
                }
                found += 1;
                if found >= SEARCH_SIZE {
                    *next = (*next + k + 1) % n;
                    return best;
                }
            }
        }
        *next = 0;
        best
    }

    /// The tightest non-tree edge from the head's side of tree edge `e`
    /// back to its tail's side.
    fn entering(&self, g: &Simplex, e: usize, in_tree: &[bool], rank: &[i64]) -> Option<usize> {
        let (tail, head) = g.dir[e];
        // The subtree is the tail's side (edges into it are wanted) or the
        // head's (edges out of it).
        let (child, into) = if self.parent[tail] == e {
            (tail, true)
        } else {
            (head, false)
        };
        let (low, lim) = (self.low[child], self.lim[child]);
        let mut best: Option<(i64, usize)> = None;
        for &v in &self.order[low - 1..lim] {
            let side = if into { &g.ins[v] } else { &g.outs[v] };
            for &f in side {
                if in_tree[f] || self.below(child, g.other(f, v)) {
                    continue;
                }
                let slack = g.slack(f, rank);
                if best.is_none_or(|(s, _)| slack < s) {
                    best = Some((slack, f));
                }
            }
        }
        best.map(|(_, f)| f)
    }
}

#[cfg(test)]
mod tests {
    use super::super::xorshift;
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
    fn network_simplex_keeps_cut_values_on_bigger_graphs() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1du64);
        for _ in 0..40 {
            let n = 10 + next(40) as usize;
            // A path through every node keeps the graph connected; more
            // edges from lower to higher index keep it acyclic.
            let mut dir: Vec<(usize, usize)> = (1..n).map(|v| (v - 1, v)).collect();
            for _ in 0..next(3 * n as u64) {
                let (a, b) = (next(n as u64) as usize, next(n as u64) as usize);
                if a < b {
                    dir.push((a, b));
                }
            }
            let lens: Vec<usize> = dir.iter().map(|_| next(3) as usize).collect();
            let weights: Vec<f64> = dir.iter().map(|_| next(9) as f64).collect();
            // Checked at every pivot (check_cut_values), and the result is
            // feasible.
            let rank = assign_ranks(n, &dir, &lens, &weights, |_| false);
            assert!(dir
                .iter()
                .zip(&lens)
                .all(|(&(u, v), &l)| rank[v] >= rank[u] + l));
        }
    }

    #[test]
    fn network_simplex_finds_the_least_weighted_length() {
        let mut next = xorshift(0x853c_49e6_748f_ea9bu64);
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
