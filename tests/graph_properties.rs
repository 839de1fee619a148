//! Properties of graph building and trimming on random profiles: a node's
//! flat never exceeds its cum, a node's cum covers every edge into it, and
//! trimming never raises a kept node's values.

use pprof_graph::graph::{Graph, NodeInfo};
use pprof_graph::profile::{Function, Line, Location, Mapping, Profile, Sample, ValueType};
use pprof_graph::report::{Config, Format, Report};
use proptest::prelude::*;
use std::collections::HashMap;

/// A random profile: `funcs` functions, locations of one or two frames
/// (the second an inlining caller), and samples with positive values.
fn profile_strategy() -> impl Strategy<Value = Profile> {
    (2usize..8, 2usize..12).prop_flat_map(|(funcs, locs)| {
        let location = (0..funcs, proptest::option::of(0..funcs));
        let sample = (
            proptest::collection::vec(0..locs, 1..8),
            0i64..1000,
            0i64..50,
        );
        (
            Just(funcs),
            proptest::collection::vec(location, locs),
            proptest::collection::vec(sample, 1..40),
        )
            .prop_map(|(funcs, locations, samples)| Profile {
                strings: vec![String::new()],
                sample_types: vec![
                    ValueType {
                        kind: "samples".into(),
                        unit: "count".into(),
                    },
                    ValueType {
                        kind: "cpu".into(),
                        unit: "nanoseconds".into(),
                    },
                ],
                mappings: vec![Mapping {
                    id: 1,
                    file: "/bin/prog".into(),
                    ..Default::default()
                }],
                functions: (0..funcs)
                    .map(|i| Function {
                        id: i as u64 + 1,
                        name: format!("main.f{i}"),
                        system_name: format!("main.f{i}"),
                        filename: format!("f{i}.go"),
                        start_line: 0,
                    })
                    .collect(),
                locations: locations
                    .iter()
                    .enumerate()
                    .map(|(i, &(f, inl))| {
                        let mut lines = vec![Line {
                            function: f as u32,
                            line: 10,
                        }];
                        if let Some(g) = inl {
                            lines.push(Line {
                                function: g as u32,
                                line: 20,
                            });
                        }
                        Location {
                            id: i as u64 + 1,
                            mapping: Some(0),
                            address: 0x1000 + i as u64,
                            lines,
                        }
                    })
                    .collect(),
                samples: samples
                    .into_iter()
                    .map(|(stack, v, c)| Sample {
                        locations: stack.into_iter().map(|l| l as u32).collect(),
                        values: vec![c, v * 1_000_000],
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            })
    })
}

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
        let format = if dot { Format::Dot } else { Format::Text };
        let full_cfg = Config { format, trim: false, ..Config::default() };
        let full = Report::new(p.clone(), &full_cfg, &mut |_| {}).unwrap().trimmed_graph();
        check_invariants(&full.graph)?;
        let cfg = Config { format, node_fraction, edge_fraction, node_count, ..Config::default() };
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
