//! Immediate dominators of a directed graph from one root, by the
//! semi-NCA algorithm (Lengauer–Tarjan's semidominators, then nearest
//! common ancestors): near-linear time, iterative throughout (object
//! graphs have chains millions long), a few `u32` arrays of memory.

/// Marks a node the root does not reach.
pub const UNREACHED: u32 = u32::MAX;

/// A graph in compressed sparse rows: the successors of node `v` are
/// `targets[starts[v]..starts[v + 1]]`.
pub struct Csr {
    /// Where each node's successors start; one more entry than nodes.
    pub starts: Vec<u32>,
    /// Successors, concatenated.
    pub targets: Vec<u32>,
}

impl Csr {
    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Whether the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The successors of `v`.
    pub fn successors(&self, v: usize) -> &[u32] {
        &self.targets[self.starts[v] as usize..self.starts[v + 1] as usize]
    }
}

/// The dominator tree of the nodes `root` reaches.
pub struct Dominators {
    /// Reached nodes in depth-first preorder: every node comes after its
    /// immediate dominator.
    pub preorder: Vec<u32>,
    /// Immediate dominator of each node; [`UNREACHED`] for the root and
    /// for nodes it does not reach.
    pub idom: Vec<u32>,
}

/// Computes the dominator tree of `g` from `root`.
pub fn dominators(g: &Csr, root: u32) -> Dominators {
    let n = g.len();
    // Depth-first preorder numbering and the DFS tree's parents.
    let mut number = vec![UNREACHED; n];
    let mut preorder: Vec<u32> = Vec::new();
    let mut parent: Vec<u32> = Vec::new();
    let mut stack: Vec<(u32, u32)> = vec![(root, g.starts[root as usize])];
    number[root as usize] = 0;
    preorder.push(root);
    parent.push(0);
    while let Some(top) = stack.last_mut() {
        let (v, next) = *top;
        if next == g.starts[v as usize + 1] {
            stack.pop();
            continue;
        }
        top.1 += 1;
        let w = g.targets[next as usize];
        if number[w as usize] == UNREACHED {
            number[w as usize] = preorder.len() as u32;
            preorder.push(w);
            parent.push(number[v as usize]);
            stack.push((w, g.starts[w as usize]));
        }
    }
    let m = preorder.len();
    // Predecessors in preorder numbers, reached ones only.
    let mut pred_starts = vec![0u32; m + 1];
    for &v in &preorder {
        for &w in g.successors(v as usize) {
            let nw = number[w as usize];
            pred_starts[nw as usize + 1] += 1;
        }
    }
    for i in 0..m {
        pred_starts[i + 1] += pred_starts[i];
    }
    let mut fill = pred_starts.clone();
    let mut preds = vec![0u32; pred_starts[m] as usize];
    for (i, &v) in preorder.iter().enumerate() {
        for &w in g.successors(v as usize) {
            let nw = number[w as usize] as usize;
            preds[fill[nw] as usize] = i as u32;
            fill[nw] += 1;
        }
    }
    drop(fill);
    // Semidominators, with the path-compressed forest of processed nodes.
    let mut semi: Vec<u32> = (0..m as u32).collect();
    let mut label: Vec<u32> = (0..m as u32).collect();
    let mut ancestor = vec![UNREACHED; m];
    let mut path = Vec::new();
    for w in (1..m).rev() {
        let mut s = semi[w];
        for &v in &preds[pred_starts[w] as usize..pred_starts[w + 1] as usize] {
            let u = eval(v, &mut ancestor, &mut label, &semi, &mut path);
            s = s.min(semi[u as usize]);
        }
        semi[w] = s;
        ancestor[w] = parent[w];
    }
    drop(ancestor);
    drop(label);
    drop(preds);
    // Immediate dominators: the nearest ancestor of the parent at or
    // above the semidominator.
    let mut idom_num = parent;
    for w in 1..m {
        let mut d = idom_num[w];
        while d > semi[w] {
            d = idom_num[d as usize];
        }
        idom_num[w] = d;
    }
    let mut idom = vec![UNREACHED; n];
    for w in 1..m {
        idom[preorder[w] as usize] = preorder[idom_num[w] as usize];
    }
    Dominators { preorder, idom }
}

/// The node of least semidominator on `v`'s path in the forest, with the
/// path compressed (iteratively: paths can be as long as the graph).
fn eval(v: u32, ancestor: &mut [u32], label: &mut [u32], semi: &[u32], path: &mut Vec<u32>) -> u32 {
    if ancestor[v as usize] == UNREACHED {
        return v;
    }
    let mut x = v;
    while ancestor[ancestor[x as usize] as usize] != UNREACHED {
        path.push(x);
        x = ancestor[x as usize];
    }
    while let Some(y) = path.pop() {
        let a = ancestor[y as usize] as usize;
        if semi[label[a] as usize] < semi[label[y as usize] as usize] {
            label[y as usize] = label[a];
        }
        ancestor[y as usize] = ancestor[a];
    }
    label[v as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csr(n: usize, edges: &[(u32, u32)]) -> Csr {
        let mut starts = vec![0u32; n + 1];
        for &(a, _) in edges {
            starts[a as usize + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut targets = vec![0; edges.len()];
        for &(a, b) in edges {
            targets[fill[a as usize] as usize] = b;
            fill[a as usize] += 1;
        }
        Csr { starts, targets }
    }

    /// Dominators by definition: d dominates v when removing d makes v
    /// unreachable.
    fn brute_force(g: &Csr, root: u32) -> Vec<u32> {
        let n = g.len();
        let reach = |removed: Option<u32>| {
            let mut seen = vec![false; n];
            let mut todo = vec![root];
            if Some(root) != removed {
                seen[root as usize] = true;
            } else {
                todo.clear();
            }
            while let Some(v) = todo.pop() {
                for &w in g.successors(v as usize) {
                    if Some(w) != removed && !seen[w as usize] {
                        seen[w as usize] = true;
                        todo.push(w);
                    }
                }
            }
            seen
        };
        let all = reach(None);
        let doms: Vec<Vec<bool>> = (0..n as u32).map(|d| reach(Some(d))).collect();
        (0..n)
            .map(|v| {
                if v == root as usize || !all[v] {
                    return UNREACHED;
                }
                // The immediate dominator is the strict dominator that
                // every other strict dominator dominates.
                let strict: Vec<u32> = (0..n as u32)
                    .filter(|&d| d as usize != v && !doms[d as usize][v])
                    .collect();
                *strict
                    .iter()
                    .find(|&&d| {
                        strict
                            .iter()
                            .all(|&e| e == d || !doms[e as usize][d as usize])
                    })
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn textbook_graph() {
        // Lengauer and Tarjan's example, nodes R=0, A..L = 1..12.
        let e = [
            (0, 1),
            (0, 2),
            (0, 3),
            (1, 4),
            (2, 1),
            (2, 4),
            (2, 5),
            (3, 6),
            (3, 7),
            (4, 12),
            (5, 8),
            (6, 9),
            (7, 9),
            (7, 10),
            (8, 5),
            (8, 11),
            (9, 11),
            (10, 9),
            (11, 0),
            (11, 9),
            (12, 8),
        ];
        let g = csr(13, &e);
        let d = dominators(&g, 0);
        assert_eq!(d.idom, brute_force(&g, 0));
        assert_eq!(d.idom[9], 0);
        assert_eq!(d.idom[10], 7);
    }

    #[test]
    fn random_graphs_match_the_definition() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let n = 2 + (next() % 14) as usize;
            let edges: Vec<(u32, u32)> = (0..next() % 40)
                .map(|_| ((next() % n as u64) as u32, (next() % n as u64) as u32))
                .collect();
            let g = csr(n, &edges);
            assert_eq!(
                dominators(&g, 0).idom,
                brute_force(&g, 0),
                "edges {edges:?}"
            );
        }
    }

    #[test]
    fn a_long_chain_needs_no_recursion() {
        let n = 1_000_000u32;
        let mut e: Vec<(u32, u32)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        e.push((n - 1, 1));
        let d = dominators(&csr(n as usize, &e), 0);
        assert_eq!(d.idom[n as usize - 1], n - 2);
        assert_eq!(d.preorder.len(), n as usize);
    }
}
