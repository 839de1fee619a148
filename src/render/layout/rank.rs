//! Ranks: cycles broken by reversing a DFS's back edges, then ranks that
//! keep heavy edges short (each edge at least `2 × minlen` half-ranks long,
//! so labels sit between real ranks).

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
