//! Properties of graph building and trimming on random profiles: a node's
//! flat never exceeds its cum, a node's cum covers every edge into it, and
//! trimming never raises a kept node's values; the pass of node values
//! alone agrees with the graph it stands in for, and so does the graph of
//! only the edges into inlined frames, for the text report.

mod common;

use common::profile_strategy;
use pprof_graph::graph::{Edges, Graph, NodeInfo, NodeValues, Options};
use pprof_graph::report::{Config, Mode, Report};
use proptest::prelude::*;
use std::collections::HashMap;

fn values(g: &Graph) -> HashMap<NodeInfo, (i64, i64)> {
    g.nodes
        .iter()
        .map(|&n| (g.g[n].info.clone(), (g.g[n].flat, g.g[n].cum)))
        .collect()
}

/// Each node in order, with its values and what the text report says of
/// its inlining: whether every edge into it is inline, some, or none.
fn nodes_and_inlining(g: &Graph) -> Vec<(NodeInfo, i64, i64, &'static str)> {
    g.nodes
        .iter()
        .map(|&n| {
            let inline = g.in_edges(n).any(|e| e.weight().inline);
            let not_inline = g.in_edges(n).any(|e| !e.weight().inline);
            let label = match (inline, not_inline) {
                (true, true) => "(partial-inline)",
                (true, false) => "(inline)",
                _ => "",
            };
            let node = &g.g[n];
            (node.info.clone(), node.flat, node.cum, label)
        })
        .collect()
}

fn check_invariants(g: &Graph) -> Result<(), TestCaseError> {
    for &n in &g.nodes {
        let node = &g.g[n];
        prop_assert!(node.flat <= node.cum, "flat > cum at {}", node.printable);
        for e in g.in_edges(n) {
            prop_assert!(
                e.weight().weight <= node.cum,
                "edge into {} heavier than its cum",
                node.printable
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn trimming_keeps_values_consistent(
        p in profile_strategy(),
        dot in any::<bool>(),
        node_fraction in 0.0f64..0.5,
        edge_fraction in 0.0f64..0.5,
        node_count in 0i64..6,
    ) {
        let mode = if dot { Mode::Graph } else { Mode::Text };
        let full_cfg = Config { mode, trim: false, ..Config::default() };
        let full = Report::new(p.clone(), &full_cfg, &mut |_| {}).unwrap().trimmed_graph();
        check_invariants(&full.graph)?;
        let cfg = Config { mode, node_fraction, edge_fraction, node_count, ..Config::default() };
        let trimmed = Report::new(p, &cfg, &mut |_| {}).unwrap().trimmed_graph();
        check_invariants(&trimmed.graph)?;
        let before = values(&full.graph);
        for (info, (flat, cum)) in values(&trimmed.graph) {
            let (f0, c0) = before[&info];
            prop_assert!(flat <= f0 && cum <= c0, "{info:?} grew: {flat}/{cum} > {f0}/{c0}");
        }
        prop_assert!(trimmed.graph.nodes.len() <= full.graph.nodes.len());
    }

    #[test]
    fn node_values_agree_with_the_graph_of_every_node(
        p in profile_strategy(),
        drop_negative in any::<bool>(),
        mean in any::<bool>(),
        fraction in 0.0f64..0.6,
    ) {
        let o = Options {
            sample_index: 0,
            mean_index: mean.then_some(0),
            obj_names: false,
            call_tree: false,
            drop_negative,
            kept: None,
            kept_keys: None,
            tags: None,
            frames: None,
            defer_tags: false,
            edges: Edges::All,
        };
        let g = Graph::new(&p, &o);
        let v = NodeValues::new(&p, &o);
        prop_assert_eq!(v.len(), g.nodes.len());
        prop_assert_eq!(v.flat_sum(), g.flat_sum());
        let cutoff = ((g.flat_sum() as f64 * fraction) as i64).wrapping_abs();
        let kept = g.discard_low_frequency_nodes(cutoff);
        prop_assert_eq!(&v.discard_low_frequency_nodes(cutoff), &kept);
        // The same nodes by frame key build the same graph as by info.
        let (keys, count) = v.discard_low_frequency_keys(cutoff);
        prop_assert_eq!(count, kept.len());
        let by_info = Graph::new(&p, &Options { kept: Some(&kept), ..o });
        let by_key = Graph::new(&p, &Options { kept_keys: Some(&keys), ..o });
        prop_assert_eq!(values(&by_key), values(&by_info));
        prop_assert_eq!(by_key.g.edge_count(), by_info.g.edge_count());
    }

    #[test]
    fn the_edges_into_inlined_frames_tell_inlining_as_every_edge_does(
        p in profile_strategy(),
        node_fraction in 0.0f64..0.5,
        node_count in 0i64..6,
    ) {
        let cfg = Config { mode: Mode::Text, node_fraction, node_count, ..Config::default() };
        let rpt = Report::new(p, &cfg, &mut |_| {}).unwrap();
        let (all, few) = (rpt.trimmed_graph(), rpt.trimmed_nodes());
        prop_assert_eq!(nodes_and_inlining(&few.graph), nodes_and_inlining(&all.graph));
        prop_assert_eq!((few.orig_count, few.dropped_nodes), (all.orig_count, all.dropped_nodes));
    }
}
