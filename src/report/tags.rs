//! `-tags`: every label key of the samples with the value each of its
//! values accounts for, in pprof's right-aligned table (`printTags`).

use super::Report;
use crate::base::tabwriter;
use crate::base::units::{percentage, scaled_label};
use crate::graph::{sort_tags, Tag};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// (name, value) pairs in pprof's tag order (`SortTags` on flat values).
fn sorted<'a>(tags: impl Iterator<Item = (&'a String, i64)>) -> Vec<(String, i64)> {
    let mut ts: Vec<Tag> = tags
        .map(|(name, flat)| Tag {
            name: Arc::from(name.as_str()),
            flat,
            ..Default::default()
        })
        .collect();
    sort_tags(&mut ts, true);
    ts.into_iter()
        .map(|t| (t.name.to_string(), t.flat))
        .collect()
}

/// The tags report.
pub fn render(rpt: &Report) -> String {
    let p = &rpt.prof;
    let mut values: HashMap<String, HashMap<String, i64>> = HashMap::new();
    let mut totals: HashMap<String, i64> = HashMap::new();
    let mut add = |key: &str, val: String, v: i64| {
        *values
            .entry(key.to_string())
            .or_default()
            .entry(val)
            .or_default() += v;
        *totals.entry(key.to_string()).or_default() += v;
    };
    for s in &p.samples {
        let v = s.values[rpt.sample_index];
        for &(k, val) in &s.labels {
            add(p.str(k), p.str(val).to_string(), v);
        }
        for nl in &s.num_labels {
            let key = p.str(nl.key);
            let unit = rpt.num_label_units.get(key).map_or("", String::as_str);
            add(key, scaled_label(nl.value, unit, &rpt.output_unit), v);
        }
    }
    let total = rpt.total;
    let mut table = String::new();
    let keys = sorted(values.keys().map(|k| (k, 0)));
    for (key, _) in keys {
        let key_total = totals[&key];
        let _ = write!(
            table,
            "{key}:\t Total {} of {}",
            rpt.format_value(key_total),
            rpt.format_value(total)
        );
        if total > 0 {
            let _ = write!(table, " ({})", percentage(key_total, total));
        }
        table.push('\n');
        let tags = sorted(values[&key].iter().map(|(n, v)| (n, *v)));
        for (name, v) in tags {
            if total > 0 {
                let _ = writeln!(
                    table,
                    " \t{} ({}):\t {name}",
                    rpt.format_value(v),
                    percentage(v, total)
                );
            } else {
                let _ = writeln!(table, " \t{}:\t {name}", rpt.format_value(v));
            }
        }
        table.push('\n');
    }
    tabwriter::align(&table, 0, 1, true)
}
