//! Properties of graph building and trimming on random profiles: a node's
//! flat never exceeds its cum, a node's cum covers every edge into it, and
//! trimming never raises a kept node's values.

mod common;

use common::profile_strategy;
use pprof_graph::graph::{Graph, NodeInfo};
use pprof_graph::report::{Config, Mode, Report};
use proptest::prelude::*;
use std::collections::HashMap;

fn values(g: &Graph) -> HashMap<NodeInfo, (i64, i64)> {
    g.nodes
        .iter()
        .map(|&n| (g.g[n].info.clone(), (g.g[n].flat, g.g[n].cum)))
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
}
