//! `-raw`: the prepared profile as text, as pprof's `Profile.String`
//! prints it: header, samples with their labels, locations, mappings.

use super::Report;
use crate::base::gotime::{format_duration, format_time_exact};
use crate::profile::{Location, Mapping, Profile, Sample};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Indent of a sample's label lines.
const LABEL_INDENT: &str = "                ";
/// Indent of a location's second and later frames.
const FRAME_INDENT: &str = "             ";

/// The raw report.
pub fn render(rpt: &Report) -> String {
    let p = &rpt.prof;
    let mut lines: Vec<String> = p.comments.iter().map(|c| format!("Comment: {c}")).collect();
    if !p.doc_url.is_empty() {
        lines.push(format!("Doc: {}", p.doc_url));
    }
    lines.push(format!(
        "PeriodType: {} {}",
        p.period_type.kind, p.period_type.unit
    ));
    lines.push(format!("Period: {}", p.period));
    if p.time_nanos != 0 {
        lines.push(format!("Time: {}", format_time_exact(p.time_nanos)));
    }
    if p.duration_nanos != 0 {
        // Go's `%.4v`: the duration's text cut to four characters.
        let d: String = format_duration(p.duration_nanos).chars().take(4).collect();
        lines.push(format!("Duration: {d}"));
    }
    lines.push("Samples:".to_string());
    let header: Vec<String> = p
        .sample_types
        .iter()
        .map(|t| {
            let dflt = if t.kind == p.default_sample_type {
                "[dflt]"
            } else {
                ""
            };
            format!("{}/{}{dflt}", t.kind, t.unit)
        })
        .collect();
    lines.push(header.join(" "));
    lines.extend(p.samples.iter().map(|s| sample(p, s)));
    lines.push("Locations".to_string());
    lines.extend(p.locations.iter().map(|l| location(p, l)));
    lines.push("Mappings".to_string());
    lines.extend(p.mappings.iter().map(mapping));
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Go's `%v` of a slice: `[a b c]`.
fn go_list<T: std::fmt::Display>(items: &[T]) -> String {
    let parts: Vec<String> = items.iter().map(|i| i.to_string()).collect();
    format!("[{}]", parts.join(" "))
}

fn sample(p: &Profile, s: &Sample) -> String {
    let mut out = String::new();
    for v in &s.values {
        let _ = write!(out, " {v:>10}");
    }
    out.push_str(": ");
    for &l in s.locations.ids().iter() {
        let _ = write!(out, "{} ", p.locations[l as usize].id);
    }
    let mut labels: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for &(k, v) in &s.labels {
        labels.entry(p.str(k)).or_default().push(p.str(v));
    }
    if !labels.is_empty() {
        let mut ls: Vec<String> = labels
            .iter()
            .map(|(k, vs)| format!("{k}:{}", go_list(vs)))
            .collect();
        ls.sort();
        let _ = write!(out, "\n{LABEL_INDENT}{}", ls.join(" "));
    }
    let mut nums: BTreeMap<&str, Vec<(i64, &str)>> = BTreeMap::new();
    for nl in &s.num_labels {
        nums.entry(p.str(nl.key))
            .or_default()
            .push((nl.value, p.str(nl.unit)));
    }
    if !nums.is_empty() {
        let mut ls: Vec<String> = nums
            .iter()
            .map(|(k, vs)| {
                if vs.iter().any(|(_, u)| !u.is_empty()) {
                    let with: Vec<String> = vs.iter().map(|(v, u)| format!("{v} {u}")).collect();
                    format!("{k}:{}", go_list(&with))
                } else {
                    let plain: Vec<i64> = vs.iter().map(|(v, _)| *v).collect();
                    format!("{k}:{}", go_list(&plain))
                }
            })
            .collect();
        ls.sort();
        let _ = write!(out, "\n{LABEL_INDENT}{}", ls.join(" "));
    }
    out
}

fn location(p: &Profile, l: &Location) -> String {
    let mut head = format!("{:>6}: {:#x} ", l.id, l.address);
    if let Some(m) = l.mapping {
        let _ = write!(head, "M={} ", p.mappings[m as usize].id);
    }
    if l.is_folded {
        head.push_str("[F] ");
    }
    if l.lines.is_empty() {
        return head;
    }
    let mut frames = Vec::with_capacity(l.lines.len());
    for ln in &l.lines {
        let f = &p.functions[ln.function as usize];
        let mut text = format!(
            "{head}{} {}:{}:{} s={}",
            f.name, f.filename, ln.line, ln.column, f.start_line
        );
        if f.name != f.system_name {
            let _ = write!(text, "({})", f.system_name);
        }
        frames.push(text);
        head = FRAME_INDENT.to_string();
    }
    frames.join("\n")
}

fn mapping(m: &Mapping) -> String {
    let mut bits = String::new();
    for (set, name) in [
        (m.has_functions, "[FN]"),
        (m.has_filenames, "[FL]"),
        (m.has_line_numbers, "[LN]"),
        (m.has_inline_frames, "[IN]"),
    ] {
        if set {
            bits.push_str(name);
        }
    }
    format!(
        "{}: {:#x}/{:#x}/{:#x} {} {} {bits}",
        m.id, m.start, m.limit, m.offset, m.file, m.build_id
    )
}
