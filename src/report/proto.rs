//! `-proto` and `-topproto`: the prepared profile (or its top entries)
//! written back as gzipped profile.proto, which pprof and pprof-graph read
//! again (pprof's `printProto`, `printTopProto`).

use super::Report;
use crate::base::units;
use crate::profile::{encode, Function, Line, Location, Profile, Sample, ValueType};
use std::collections::HashMap;
use std::io::Write as _;

fn gzipped(raw: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into memory cannot fail.
    let _ = enc.write_all(raw);
    enc.finish().unwrap_or_default()
}

/// The prepared profile, values scaled by `-divide_by`.
pub fn render(rpt: &Report) -> Vec<u8> {
    let r = rpt.ratio;
    if r > 0.0 && r != 1.0 {
        let mut p = rpt.prof.clone();
        for s in &mut p.samples {
            for v in &mut s.values {
                *v = (*v as f64 * r) as i64;
            }
        }
        return gzipped(&encode::encode(&p));
    }
    gzipped(&encode::encode(&rpt.prof))
}

/// The trimmed graph's nodes as a profile: one location and sample per
/// node, with `cum` and `flat` values in the display unit.
pub fn render_top(rpt: &mut Report) -> Vec<u8> {
    let t = rpt.trimmed_graph();
    rpt.select_output_unit(&t.graph);
    let g = &t.graph;
    let unit = rpt.output_unit.clone();
    let mut out = Profile {
        strings: vec![String::new()],
        sample_types: vec![
            ValueType {
                kind: "cum".into(),
                unit: unit.clone(),
            },
            ValueType {
                kind: "flat".into(),
                unit: unit.clone(),
            },
        ],
        time_nanos: rpt.prof.time_nanos,
        duration_nanos: rpt.prof.duration_nanos,
        period_type: rpt.prof.period_type.clone(),
        period: rpt.prof.period,
        ..Default::default()
    };
    let mut functions: HashMap<(String, String, String, i64), u32> = HashMap::new();
    let scaled = |v: i64| units::scale(v, &rpt.sample_unit, &unit).0 as i64;
    for (i, &n) in g.nodes.iter().enumerate() {
        let node = &g.g[n];
        let info = &node.info;
        let key = (
            info.name.clone(),
            info.orig_name.clone(),
            info.file.clone(),
            info.start_line,
        );
        let f = *functions.entry(key).or_insert_with(|| {
            out.functions.push(Function {
                id: out.functions.len() as u64 + 1,
                name: info.name.clone(),
                system_name: info.orig_name.clone(),
                filename: info.file.clone(),
                start_line: info.start_line,
            });
            (out.functions.len() - 1) as u32
        });
        out.locations.push(Location {
            id: i as u64 + 1,
            address: info.address,
            lines: vec![Line {
                function: f,
                line: info.lineno,
                column: info.columnno,
            }],
            ..Default::default()
        });
        out.samples.push(Sample {
            locations: vec![i as u32].into(),
            values: smallvec::smallvec![scaled(node.cum_value()), scaled(node.flat_value())],
            ..Default::default()
        });
    }
    gzipped(&encode::encode(&out))
}
