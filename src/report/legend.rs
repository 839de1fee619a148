//! The legend lines of a report: the profile's header (file, build id,
//! type, time, duration), the active filters and what trimming dropped.

use super::{Report, Trimmed};
use crate::base::gopath::base_name;
use crate::base::{gotime::format_time, units};

impl Report {
    /// The profile's legend lines: file, build id, comments, type, time,
    /// duration.
    pub fn profile_labels(&self) -> Vec<String> {
        let p = &self.prof;
        let mut out = Vec::new();
        if let Some(m) = p.mappings.first() {
            if !m.file.is_empty() {
                out.push(format!("File: {}", base_name(&m.file)));
            }
            if !m.build_id.is_empty() {
                out.push(format!("Build ID: {}", m.build_id));
            }
        }
        for c in &p.comments {
            if !c.starts_with('#') {
                out.push(c.clone());
            }
        }
        if !self.sample_type.is_empty() {
            out.push(format!("Type: {}", self.sample_type));
        }
        if p.time_nanos != 0 {
            out.push(format!("Time: {}", format_time(p.time_nanos)));
        }
        if p.duration_nanos != 0 {
            let duration = units::label(p.duration_nanos, "nanoseconds");
            let (total_nanos, total_unit) =
                units::scale(self.total, &self.sample_unit, "nanoseconds");
            let ratio = if total_unit == "ns" && total_nanos != 0.0 {
                format!(
                    "({})",
                    units::percentage(total_nanos as i64, p.duration_nanos)
                )
            } else {
                String::new()
            };
            out.push(format!(
                "Duration: {duration}, Total samples = {} {ratio}",
                self.format_value(self.total)
            ));
        }
        out
    }

    /// All legend lines of a report: the profile's, the active filters,
    /// and what trimming dropped.
    pub fn labels(&self, t: &Trimmed, full_headers: bool) -> Vec<String> {
        let mut label = if full_headers || !self.compact_labels {
            self.profile_labels()
        } else {
            Vec::new()
        };
        let g = &t.graph;
        let flat_sum = g
            .nodes
            .iter()
            .fold(0i64, |a, &n| a.wrapping_add(g.g[n].flat_value()));
        if !self.active_filters.is_empty() {
            label.push("Active filters:".to_string());
            for f in &self.active_filters {
                let f = if f.len() > 80 {
                    let mut cut = 80;
                    while !f.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    format!("{}…", &f[..cut])
                } else {
                    f.clone()
                };
                label.push(format!("   {f}"));
            }
        }
        label.push(format!(
            "Showing nodes accounting for {}, {} of {} total",
            self.format_value(flat_sum),
            units::percentage(flat_sum, self.total).trim(),
            self.format_value(self.total)
        ));
        if self.total != 0 {
            if t.dropped_nodes > 0 {
                label.push(gen_label(
                    t.dropped_nodes,
                    "node",
                    "cum",
                    &self.format_value(
                        ((self.total as f64 * self.node_fraction) as i64).wrapping_abs(),
                    ),
                ));
            }
            if t.dropped_edges > 0 {
                label.push(gen_label(
                    t.dropped_edges,
                    "edge",
                    "freq",
                    &self.format_value(
                        ((self.total as f64 * self.edge_fraction) as i64).wrapping_abs(),
                    ),
                ));
            }
            let shown = g.nodes.len();
            if shown > 0 && shown < t.orig_count {
                label.push(format!("Showing top {shown} nodes out of {}", t.orig_count));
            }
        }
        if full_headers {
            label.push("\nSee https://git.io/JfYMW for how to read the graph".to_string());
        }
        label
    }
}

fn gen_label(d: usize, n: &str, l: &str, f: &str) -> String {
    let s = if d > 1 { "s" } else { "" };
    format!("Dropped {d} {n}{s} ({l} <= {f})")
}
