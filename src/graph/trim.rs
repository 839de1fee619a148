//! Pruning and ordering of a built graph: node and edge cutoffs, the top-N
//! selection, tag trimming, redundant residual edges, and pprof's node
//! orders (flat, cum, entropy).

use super::{Edge, Graph, Node, NodeSet, Tag};
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use rustc_hash::FxHashSet;
use std::cmp::Ordering;
use std::collections::VecDeque;

/// Node orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeOrder {
    /// |flat| desc, name, |cum| desc (text reports).
    Flat,
    /// |cum| desc, name, |flat| desc (`-cum`).
    Cum,
    /// Entropy score desc, name, |flat| desc (graphs).
    Entropy,
}

/// Most nodelets drawn per node.
pub const MAX_NODELETS: usize = 4;

impl Graph {
    /// The infos of shown nodes whose |cum| reaches `cutoff`.
    pub fn discard_low_frequency_nodes(&self, cutoff: i64) -> NodeSet {
        self.nodes
            .iter()
            .filter(|&&n| self.g[n].cum.wrapping_abs() >= cutoff)
            .map(|&n| self.g[n].info.clone())
            .collect()
    }

    /// The shown nodes whose |cum| reaches `cutoff` (call trees).
    pub fn discard_low_frequency_node_ptrs(&self, cutoff: i64) -> FxHashSet<NodeIndex> {
        self.nodes
            .iter()
            .copied()
            .filter(|&n| self.g[n].cum.wrapping_abs() >= cutoff)
            .collect()
    }

    /// Sorts the shown nodes.
    pub fn sort_nodes(&mut self, order: NodeOrder) {
        let g = &self.g;
        let mut keyed: Vec<(NodeIndex, i64)> = self
            .nodes
            .iter()
            .map(|&n| {
                let score = match order {
                    NodeOrder::Entropy => self.entropy_score(n),
                    _ => 0,
                };
                (n, score)
            })
            .collect();
        keyed.sort_by(|&(a, sa), &(b, sb)| {
            let (na, nb) = (&g[a], &g[b]);
            let first = match order {
                NodeOrder::Flat => nb.flat.wrapping_abs().cmp(&na.flat.wrapping_abs()),
                NodeOrder::Cum => nb.cum.wrapping_abs().cmp(&na.cum.wrapping_abs()),
                NodeOrder::Entropy => sb.wrapping_abs().cmp(&sa.wrapping_abs()),
            };
            first
                .then_with(|| na.printable.cmp(&nb.printable))
                .then_with(|| match order {
                    NodeOrder::Flat => nb.cum.wrapping_abs().cmp(&na.cum.wrapping_abs()),
                    _ => nb.flat.wrapping_abs().cmp(&na.flat.wrapping_abs()),
                })
                .then_with(|| na.info.go_repr().cmp(&nb.info.go_repr()))
        });
        self.nodes = keyed.into_iter().map(|(n, _)| n).collect();
    }

    fn entropy_score(&self, n: NodeIndex) -> i64 {
        let node = &self.g[n];
        let mut score = 0.0f64;
        let ins: Vec<i64> = self.in_edges(n).map(|e| e.weight().weight).collect();
        if ins.is_empty() {
            score += 1.0;
        } else {
            score += edge_entropy(&ins, 0);
        }
        let outs: Vec<i64> = self.out_edges(n).map(|e| e.weight().weight).collect();
        if outs.is_empty() {
            score += 1.0;
        } else {
            score += edge_entropy(&outs, node.flat);
        }
        go_f64_to_i64(score * node.cum as f64).wrapping_add(node.flat)
    }

    /// Removes tags whose |flat| and |cum| are both below `cutoff`.
    pub fn trim_low_frequency_tags(&mut self, cutoff: i64) {
        let keep = |t: &Tag| t.flat.wrapping_abs() >= cutoff || t.cum.wrapping_abs() >= cutoff;
        for &n in &self.nodes {
            let node = &mut self.g[n];
            node.label_tags.retain(keep);
            for (_, tags) in &mut node.numeric_tags {
                tags.retain(keep);
            }
        }
    }

    /// Removes in-edges of shown nodes lighter than `cutoff`; returns how many.
    pub fn trim_low_frequency_edges(&mut self, cutoff: i64) -> usize {
        let mut shown = vec![false; petgraph::visit::NodeIndexable::node_bound(&self.g)];
        for &n in &self.nodes {
            shown[n.index()] = true;
        }
        let g = &self.g;
        let (light, kept): (Vec<EdgeIndex>, Vec<EdgeIndex>) = g.edge_indices().partition(|&e| {
            let (_, dst) = g.edge_endpoints(e).expect("edge");
            shown[dst.index()] && g[e].weight.wrapping_abs() < cutoff
        });
        let dropped = light.len();
        if dropped == 0 {
            return 0;
        }
        if !edge_lists_in_index_order(g) {
            for e in light {
                self.g.remove_edge(e);
            }
            return dropped;
        }
        // Removing edges one by one walks the edge lists of both their ends
        // (long at hubs); adding the others back in index order gives every
        // list the same order, without the removed edges.
        let kept: Vec<(NodeIndex, NodeIndex, Edge)> = kept
            .into_iter()
            .map(|e| {
                let (src, dst) = g.edge_endpoints(e).expect("edge");
                (src, dst, g[e].clone())
            })
            .collect();
        self.g.clear_edges();
        for (src, dst, e) in kept {
            self.g.add_edge(src, dst, e);
        }
        dropped
    }

    fn select_top(&self, max_nodes: usize, visual: bool) -> &[NodeIndex] {
        let mut max = max_nodes;
        if max > 0 && visual {
            let mut count = 0;
            for (i, &n) in self.nodes.iter().enumerate() {
                let tags = count_tags(&self.g[n]).min(MAX_NODELETS);
                count += tags + 1;
                if count >= max {
                    max = i + 1;
                    break;
                }
            }
        }
        &self.nodes[..max.min(self.nodes.len())]
    }

    /// The infos of the first `max_nodes` nodes (tags count as nodes in
    /// visual mode).
    pub fn select_top_nodes(&self, max_nodes: usize, visual: bool) -> NodeSet {
        self.select_top(max_nodes, visual)
            .iter()
            .map(|&n| self.g[n].info.clone())
            .collect()
    }

    /// [`Graph::select_top_nodes`] by node, for call trees.
    pub fn select_top_node_ptrs(&self, max_nodes: usize, visual: bool) -> FxHashSet<NodeIndex> {
        self.select_top(max_nodes, visual).iter().copied().collect()
    }

    /// In-edges of `n` in pprof's edge order.
    pub fn sorted_in_edges(&self, n: NodeIndex) -> Vec<EdgeIndex> {
        let mut v: Vec<EdgeIndex> = self.in_edges(n).map(|e| e.id()).collect();
        self.sort_edges(&mut v);
        v
    }

    /// Out-edges of `n` in pprof's edge order.
    pub fn sorted_out_edges(&self, n: NodeIndex) -> Vec<EdgeIndex> {
        let mut v: Vec<EdgeIndex> = self.out_edges(n).map(|e| e.id()).collect();
        self.sort_edges(&mut v);
        v
    }

    /// Sorts edges by |weight| desc, then source and destination names.
    pub fn sort_edges(&self, edges: &mut [EdgeIndex]) {
        edges.sort_by(|&a, &b| self.compare_edges(a, b));
    }

    fn compare_edges(&self, a: EdgeIndex, b: EdgeIndex) -> Ordering {
        let (ea, eb) = (&self.g[a], &self.g[b]);
        if ea.weight != eb.weight {
            let o = eb.weight.wrapping_abs().cmp(&ea.weight.wrapping_abs());
            if o != Ordering::Equal {
                return o;
            }
        }
        let (sa, da) = self.g.edge_endpoints(a).expect("edge");
        let (sb, db) = self.g.edge_endpoints(b).expect("edge");
        self.g[sa]
            .printable
            .cmp(&self.g[sb].printable)
            .then_with(|| self.g[da].printable.cmp(&self.g[db].printable))
    }

    /// Removes residual edges whose source still reaches the destination
    /// another way, lightest first, stopping at the first real edge.
    pub fn remove_redundant_edges(&mut self) {
        for i in (0..self.nodes.len()).rev() {
            let n = self.nodes[i];
            let ins = self.sorted_in_edges(n);
            for &e in ins.iter().rev() {
                if !self.g[e].residual {
                    break;
                }
                if self.is_redundant_edge(e) {
                    self.g.remove_edge(e);
                }
            }
        }
    }

    fn is_redundant_edge(&self, e: EdgeIndex) -> bool {
        let (src, dst) = self.g.edge_endpoints(e).expect("edge");
        let mut seen: FxHashSet<NodeIndex> = FxHashSet::default();
        seen.insert(dst);
        let mut queue = VecDeque::from([dst]);
        while let Some(n) = queue.pop_front() {
            for ie in self.g.edges_directed(n, Direction::Incoming) {
                if ie.id() == e || seen.contains(&ie.source()) {
                    continue;
                }
                if ie.source() == src {
                    return true;
                }
                seen.insert(ie.source());
                queue.push_back(ie.source());
            }
        }
        false
    }

    /// Keeps only `kept` nodes of a call tree, reattaching the children of
    /// removed nodes to their parents as residual edges.
    pub fn trim_tree(&mut self, kept: &FxHashSet<NodeIndex>) {
        let old = std::mem::take(&mut self.nodes);
        for cur in old {
            if kept.contains(&cur) {
                self.nodes.push(cur);
                continue;
            }
            let ins: Vec<EdgeIndex> = self.in_edges(cur).map(|e| e.id()).collect();
            let outs: Vec<(EdgeIndex, NodeIndex)> =
                self.out_edges(cur).map(|e| (e.id(), e.target())).collect();
            if ins.is_empty() {
                for (e, _) in outs {
                    self.g.remove_edge(e);
                }
                continue;
            }
            let pe = ins[0];
            let parent = self.g.edge_endpoints(pe).expect("edge").0;
            let parent_inline = self.g[pe].inline;
            self.g.remove_edge(pe);
            for (e, child) in outs {
                let mut edge: Edge = self.g.remove_edge(e).expect("edge");
                edge.residual = true;
                edge.inline = parent_inline && edge.inline;
                self.g.add_edge(parent, child, edge);
            }
        }
        self.remove_redundant_edges();
    }
}

/// Whether every node's edge lists run from the highest edge index to the
/// lowest, as when edges were only ever added (each is put first).
fn edge_lists_in_index_order(g: &StableGraph<Node, Edge>) -> bool {
    g.node_indices().all(|n| {
        [Direction::Outgoing, Direction::Incoming].iter().all(|&d| {
            let mut ids = g.edges_directed(n, d).map(|e| e.id());
            let mut last = ids.next();
            ids.all(|e| {
                let descending = last > Some(e);
                last = Some(e);
                descending
            })
        })
    })
}

fn count_tags(n: &super::Node) -> usize {
    n.label_tags.iter().filter(|t| t.flat != 0).count()
        + n.numeric_tags
            .iter()
            .map(|(_, ts)| ts.iter().filter(|t| t.flat != 0).count())
            .sum::<usize>()
}

fn edge_entropy(weights: &[i64], self_weight: i64) -> f64 {
    let mut total = self_weight;
    for &w in weights {
        if w > 0 {
            total = total.wrapping_add(w.wrapping_abs());
        }
    }
    let mut score = 0.0;
    if total != 0 {
        for &w in weights {
            let frac = w.wrapping_abs() as f64 / total as f64;
            score += -frac * go_log2(frac);
        }
        if self_weight > 0 {
            let frac = self_weight.wrapping_abs() as f64 / total as f64;
            score += -frac * go_log2(frac);
        }
    }
    score
}

/// Go's float64 → int64 conversion on amd64: NaN and out-of-range values
/// become `i64::MIN` (diff graphs can produce NaN entropy scores, and pprof
/// orders those nodes by that value).
fn go_f64_to_i64(x: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    if x.is_nan() || !(-LIMIT..LIMIT).contains(&x) {
        i64::MIN
    } else {
        x as i64
    }
}

/// Go's `math.Log2`: exact for powers of two, else `log(frac)/ln 2 + exp`.
fn go_log2(x: f64) -> f64 {
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if !x.is_finite() || x < 0.0 {
        return x.log2();
    }
    let (frac, exp) = frexp(x);
    if frac == 0.5 {
        return (exp - 1) as f64;
    }
    frac.ln() * (1.0 / std::f64::consts::LN_2) + exp as f64
}

/// Splits `x` into a fraction in [0.5, 1) and a power of two.
fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i32;
    let mut bits = bits;
    if exp == 0 {
        // Subnormal: normalise first.
        let y = x * (1u64 << 54) as f64;
        bits = y.to_bits();
        exp = ((bits >> 52) & 0x7ff) as i32 - 54;
    }
    let e = exp - 1022;
    let frac_bits = (bits & !(0x7ffu64 << 52)) | (1022u64 << 52);
    (f64::from_bits(frac_bits), e)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A graph of `n` nodes with pseudo-random edges of weights 1..=20,
    /// every node shown.
    fn random_graph(seed: u64, n: usize, edges: usize) -> Graph {
        let mut g = Graph::default();
        for _ in 0..n {
            let i = g.g.add_node(Node::default());
            g.nodes.push(i);
        }
        let mut x = seed | 1;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        for _ in 0..edges {
            let (a, b) = (next(n as u64) as usize, next(n as u64) as usize);
            let weight = 1 + next(20) as i64;
            g.g.add_edge(
                g.nodes[a],
                g.nodes[b],
                Edge {
                    weight,
                    ..Edge::default()
                },
            );
        }
        g
    }

    /// Every node's (neighbour, weight) lists, both ways, in list order.
    fn edge_lists(g: &Graph) -> Vec<Vec<(usize, i64)>> {
        let mut lists = Vec::new();
        for &n in &g.nodes {
            for d in [Direction::Outgoing, Direction::Incoming] {
                let other = |e: &petgraph::stable_graph::EdgeReference<'_, Edge>| {
                    if d == Direction::Outgoing {
                        e.target()
                    } else {
                        e.source()
                    }
                };
                lists.push(
                    g.g.edges_directed(n, d)
                        .map(|e| (other(&e).index(), e.weight().weight))
                        .collect(),
                );
            }
        }
        lists
    }

    #[test]
    fn light_edges_go_alike_rebuilt_or_removed_one_by_one() {
        for seed in 1..30 {
            let mut rebuilt = random_graph(seed, 12, 60);
            let mut one_by_one = random_graph(seed, 12, 60);
            // Removing a first edge leaves a free slot for the next one added:
            // that graph's lists no longer run in index order.
            let first = one_by_one.g.edge_indices().next().expect("edges");
            let (a, b) = one_by_one.g.edge_endpoints(first).expect("edge");
            let w = one_by_one.g.remove_edge(first).expect("edge");
            one_by_one.g.add_edge(a, b, w);
            let first = rebuilt.g.edge_indices().next().expect("edges");
            let (a, b) = rebuilt.g.edge_endpoints(first).expect("edge");
            let w = rebuilt.g.remove_edge(first).expect("edge");
            // Added back at the end of the index order, as the other graph's
            // lists have it.
            rebuilt.g.clear_edges();
            let mut all = random_graph(seed, 12, 60);
            let first = all.g.edge_indices().next().expect("edges");
            all.g.remove_edge(first);
            for e in all.g.edge_indices() {
                let (s, t) = all.g.edge_endpoints(e).expect("edge");
                rebuilt.g.add_edge(s, t, all.g[e].clone());
            }
            rebuilt.g.add_edge(a, b, w);
            assert!(edge_lists_in_index_order(&rebuilt.g));
            assert!(!edge_lists_in_index_order(&one_by_one.g));
            assert_eq!(edge_lists(&rebuilt), edge_lists(&one_by_one));
            let dropped = rebuilt.trim_low_frequency_edges(8);
            assert_eq!(one_by_one.trim_low_frequency_edges(8), dropped);
            assert!(dropped > 0, "seed {seed}");
            assert_eq!(edge_lists(&rebuilt), edge_lists(&one_by_one), "seed {seed}");
            assert!(rebuilt.g.edge_indices().all(|e| rebuilt.g[e].weight >= 8));
        }
    }

    #[test]
    fn log2_is_exact_on_powers_of_two() {
        assert_eq!(go_log2(0.5), -1.0);
        assert_eq!(go_log2(0.25), -2.0);
        assert!((go_log2(0.3) - 0.3f64.log2()).abs() < 1e-12);
        assert_eq!(frexp(8.0), (0.5, 4));
    }
}
