//! The `-weblist REGEX` report: the annotated source of `-list` as one
//! HTML page, the sampled lines set off from the rest, for a browser.
//! (pprof also shows each line's assembly; that needs the binary.)

use super::list::{listing, value_or_dot, FunctionSource};
use super::Report;
use crate::base::escape::xml_escape;
use crate::base::units;
use regex::Regex;
use std::fmt::Write as _;

const STYLE: &str = "body{font-family:sans-serif;margin:1em}";

/// The style of the listing itself, for pages that embed [`body`].
pub const LISTING_STYLE: &str = ".legend{white-space:pre;color:#444}h2{font-size:1.1em;margin:1.2em 0 .2em}.file{color:#666;margin:0 0 .3em}pre{font-size:12px;line-height:1.35;margin:0}pre .total{font-weight:bold}pre .cold{color:#aaa}pre .hot{color:#000;background:#fff3c4}pre .n{color:#aaa}.error{color:#a00}";

/// The page: the legend, then each matching function's blocks.
pub fn render(rpt: &Report, symbol: &Regex) -> Result<String, String> {
    let functions = listing(rpt, symbol)?;
    let mut legend = rpt.profile_labels();
    legend.push(format!("Total: {}", rpt.format_value(rpt.total)));
    // pprof's title: the binary's name and the sample type.
    let field = |key: &str| legend.iter().find_map(|l| l.strip_prefix(key));
    let title = [field("File: "), field("Type: ")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let mut h = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}{LISTING_STYLE}</style></head><body>\n",
        xml_escape(&title)
    );
    let _ = writeln!(h, "{}", body(rpt, &legend, &functions));
    h.push_str("</body></html>\n");
    Ok(h)
}

/// The page's content, without the document around it (the web UI's
/// source view embeds it).
pub fn body(rpt: &Report, legend: &[String], functions: &[FunctionSource]) -> String {
    let mut h = format!(
        "<div class=\"legend\">{}</div>\n",
        xml_escape(&legend.join("\n"))
    );
    let value = |v: i64| value_or_dot(rpt, v);
    for f in functions {
        let _ = writeln!(h, "<h2>{}</h2>", xml_escape(&f.name));
        if f.blocks.is_empty() {
            h.push_str("<p class=\"error\">No source information</p>\n");
        }
        for b in &f.blocks {
            let _ = write!(
                h,
                "<p class=\"file\">{}</p>\n<pre><span class=\"total\">  Total: {:>10} {:>10} (flat, cum) {}</span>\n",
                xml_escape(&b.file),
                rpt.format_value(b.flat),
                rpt.format_value(b.cum),
                units::percentage(b.cum, rpt.total).trim()
            );
            match &b.lines {
                Err(e) => {
                    let _ = writeln!(h, "<span class=\"error\">{}</span>", xml_escape(e));
                }
                Ok(lines) => {
                    for l in lines {
                        let class = if l.flat != 0 || l.cum != 0 {
                            "hot"
                        } else {
                            "cold"
                        };
                        let _ = writeln!(
                            h,
                            "<span class=\"n\">{:>7}</span> <span class=\"{class}\">{:>10} {:>10}  {}</span>",
                            l.number,
                            value(l.flat),
                            value(l.cum),
                            xml_escape(&l.text)
                        );
                    }
                }
            }
            h.push_str("</pre>\n");
        }
    }
    h
}
