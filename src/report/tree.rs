//! `-tree` and `-peek=REGEX`: every node of the trimmed graph (or those
//! whose name matches) with its callers above and its callees below, each
//! with the share of the node's cumulative value (pprof's `printTree`).

use super::{Report, Trimmed};
use crate::base::units::percentage;
use petgraph::stable_graph::EdgeIndex;
use regex::Regex;
use std::fmt::Write as _;

const SEPARATOR: &str = "----------------------------------------------------------+-------------";
const LEGEND: &str = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ";

/// The tree report; with `symbol`, only the nodes whose names match (an
/// error when none does).
pub fn render(rpt: &mut Report, symbol: Option<&Regex>) -> Result<String, String> {
    let t = rpt.trimmed_graph();
    rpt.select_output_unit(&t.graph);
    let t = Trimmed {
        dropped_edges: 0,
        ..t
    };
    let mut out = rpt.labels(&t, false).join("\n");
    out.push('\n');
    out.push_str(SEPARATOR);
    out.push('\n');
    out.push_str(LEGEND);
    out.push('\n');
    let g = &t.graph;
    let mut flat_sum = 0i64;
    let mut matched = 0;
    let context = |out: &mut String, edges: &[EdgeIndex], cum: i64, caller: bool| {
        for &e in edges {
            let edge = &g.g[e];
            let (src, dst) = g.g.edge_endpoints(e).expect("edge");
            let other = if caller { src } else { dst };
            let inline = if edge.inline { " (inline)" } else { "" };
            let _ = writeln!(
                out,
                "{:>50} {} |   {}{inline}",
                rpt.format_value(edge.weight),
                percentage(edge.weight, cum),
                g.g[other].printable
            );
        }
    };
    for &n in &g.nodes {
        let node = &g.g[n];
        let (name, flat, cum) = (&node.printable, node.flat_value(), node.cum_value());
        if symbol.is_some_and(|re| !re.is_match(name)) {
            continue;
        }
        matched += 1;
        out.push_str(SEPARATOR);
        out.push('\n');
        context(&mut out, &g.sorted_in_edges(n), cum, true);
        flat_sum += flat;
        let _ = writeln!(
            out,
            "{:>10} {} {} {:>10} {}                | {name}",
            rpt.format_value(flat),
            percentage(flat, rpt.total),
            percentage(flat_sum, rpt.total),
            rpt.format_value(cum),
            percentage(cum, rpt.total),
        );
        context(&mut out, &g.sorted_out_edges(n), cum, false);
    }
    if !g.nodes.is_empty() {
        out.push_str(SEPARATOR);
        out.push('\n');
    }
    if let Some(re) = symbol {
        if matched == 0 {
            return Err(format!("no matches found for regexp: {re}"));
        }
    }
    Ok(out)
}
