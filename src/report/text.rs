//! The `-top` / `-text` report.

use super::Report;
use crate::base::units;
use std::fmt::Write as _;

/// One row of the text report.
pub struct TextItem {
    /// Full printable name.
    pub name: String,
    /// ` (inline)`/` (partial-inline)` marker, without the space.
    pub inline_label: &'static str,
    /// Flat value.
    pub flat: i64,
    /// Cumulative value.
    pub cum: i64,
    /// Formatted flat value.
    pub flat_format: String,
    /// Formatted cumulative value.
    pub cum_format: String,
}

/// The rows and legend lines of the text report.
pub fn text_items(rpt: &mut Report) -> (Vec<TextItem>, Vec<String>) {
    let t = rpt.trimmed_nodes();
    rpt.select_output_unit(&t.graph);
    let trimmed = super::Trimmed {
        dropped_edges: 0,
        ..t
    };
    let labels = rpt.labels(&trimmed, false);
    let g = &trimmed.graph;
    let items = g
        .nodes
        .iter()
        .map(|&n| {
            let node = &g.g[n];
            let (mut inline, mut noinline) = (false, false);
            for e in g.in_edges(n) {
                if e.weight().inline {
                    inline = true;
                } else {
                    noinline = true;
                }
            }
            let inline_label = match (inline, noinline) {
                (true, true) => "(partial-inline)",
                (true, false) => "(inline)",
                _ => "",
            };
            let (flat, cum) = (node.flat_value(), node.cum_value());
            TextItem {
                name: node.printable.clone(),
                inline_label,
                flat,
                cum,
                flat_format: rpt.format_value(flat),
                cum_format: rpt.format_value(cum),
            }
        })
        .collect();
    (items, labels)
}

/// Prints the text report.
pub fn render(rpt: &mut Report) -> String {
    let (items, labels) = text_items(rpt);
    let mut out = String::with_capacity(64 * (items.len() + labels.len() + 1));
    out.push_str(&labels.join("\n"));
    out.push('\n');
    let _ = writeln!(
        out,
        "{:>10} {:>5}% {:>5}% {:>10} {:>5}%",
        "flat", "flat", "sum", "cum", "cum"
    );
    let mut flat_sum = 0i64;
    for item in &items {
        flat_sum = flat_sum.wrapping_add(item.flat);
        let inl = if item.inline_label.is_empty() {
            String::new()
        } else {
            format!(" {}", item.inline_label)
        };
        let _ = writeln!(
            out,
            "{:>10} {} {} {:>10} {}  {}{}",
            item.flat_format,
            units::percentage(item.flat, rpt.total),
            units::percentage(flat_sum, rpt.total),
            item.cum_format,
            units::percentage(item.cum, rpt.total),
            item.name,
            inl
        );
    }
    out
}
