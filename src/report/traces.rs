//! The `-traces` report: every sample's stack, leaf first, with its value
//! and labels, as pprof prints it.

use super::Report;
use crate::base::units;
use crate::graph::node_info;
use std::fmt::Write as _;

const SEPARATOR: &str = "-----------+-------------------------------------------------------";

/// The printable name of one frame at the report's granularity.
fn frame_name(rpt: &Report, l: usize, line: Option<usize>) -> String {
    node_info(&rpt.prof, l, line, false).printable_name()
}

/// Prints the traces report.
pub fn render(rpt: &Report) -> String {
    let p = &rpt.prof;
    let mut out = rpt.profile_labels().join("\n");
    out.push('\n');
    for s in &p.samples {
        let mut stack: Vec<(String, bool)> = Vec::new();
        for &l in s.locations.ids().iter() {
            let n = p.locations[l as usize].lines.len();
            if n == 0 {
                stack.push((frame_name(rpt, l as usize, None), false));
            }
            for i in 0..n {
                stack.push((frame_name(rpt, l as usize, Some(i)), i != n - 1));
            }
        }
        if stack.is_empty() {
            continue;
        }
        out.push_str(SEPARATOR);
        out.push('\n');
        let labels = s
            .labels
            .iter()
            .map(|&(k, v)| (p.str(k), p.str(v).to_string()));
        out.push_str(&label_lines(labels));
        let num_labels = s.num_labels.iter().map(|nl| {
            let k = p.str(nl.key);
            let unit = rpt.num_label_units.get(k).map(String::as_str).unwrap_or("");
            (k, units::label(nl.value, unit))
        });
        out.push_str(&label_lines(num_labels));
        let v = rpt.sample_value(&s.values);
        for (i, (name, inline)) in stack.iter().enumerate() {
            let vs = if i == 0 {
                rpt.format_value(v)
            } else {
                String::new()
            };
            let inl = if *inline { " (inline)" } else { "" };
            let _ = writeln!(out, "{vs:>10}   {name}{inl}");
        }
    }
    out.push_str(SEPARATOR);
    out.push('\n');
    out
}

/// One `key:  value value…` line per label key (values in sample order),
/// the lines sorted.
fn label_lines<'a>(labels: impl Iterator<Item = (&'a str, String)>) -> String {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for (k, v) in labels {
        match groups.iter_mut().find(|g| g.0 == k) {
            Some(g) => g.1.push(v),
            None => groups.push((k, vec![v])),
        }
    }
    let mut lines: Vec<String> = groups
        .iter()
        .map(|(k, vs)| format!("{k:>10}:  {}\n", vs.join(" ")))
        .collect();
    lines.sort();
    lines.concat()
}
