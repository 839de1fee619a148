//! gperftools thread profiles (`--- threadz N ---`, `--- Thread … ---`).

use super::common::*;
use super::LegacyError;
use crate::base::goregex;
use crate::profile::{Profile, Sample};

/// gperftools thread profiles (`--- threadz N ---`, `--- Thread … ---`).
pub(super) fn parse_thread(text: &str) -> Result<Profile, LegacyError> {
    let threadz = goregex::compile(r"--- threadz \d+ ---").expect("regex");
    let thread_start =
        goregex::compile(r"--- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---")
            .expect("regex");
    let lines: Vec<&str> = text.lines().collect();
    let mut i = lines
        .iter()
        .position(|l| !is_space_or_comment(l))
        .unwrap_or(lines.len());
    let mut line = lines.get(i).copied().unwrap_or("");
    if threadz.is_match(line) {
        loop {
            i += 1;
            line = lines.get(i).copied().unwrap_or("");
            if i >= lines.len() || is_memory_map_sentinel(line) || line.starts_with('-') {
                break;
            }
        }
    } else if !thread_start.is_match(line) {
        return Err(LegacyError::Unrecognized);
    }
    let vt = value_type("thread", "count");
    let mut b = Builder::new(vt.clone(), 1, vec![vt]);
    while !is_memory_map_sentinel(line) {
        if line.starts_with("---- no stack trace for") {
            line = "";
            break;
        }
        if !thread_start.is_match(line) {
            return Err(LegacyError::Unrecognized);
        }
        // One thread's stack: address lines up to the next `---` line.
        let mut addrs = Vec::new();
        let mut same_as_previous = false;
        line = "";
        while i + 1 < lines.len() {
            i += 1;
            let l = lines[i].trim();
            if l.is_empty() {
                continue;
            }
            if l.starts_with("---") {
                line = l;
                break;
            }
            if l.contains("same as previous thread") {
                same_as_previous = true;
                continue;
            }
            addrs.extend(hex_addresses(l, l)?);
        }
        if same_as_previous || addrs.is_empty() {
            if let Some(last) = b.p.samples.last_mut() {
                last.values[0] += 1;
            }
            if line.is_empty() {
                break;
            }
            continue;
        }
        let locs = addrs
            .iter()
            .enumerate()
            .map(|(k, &a)| b.location(if k > 0 { a.wrapping_sub(1) } else { a }))
            .collect();
        b.p.samples.push(Sample {
            locations: locs,
            values: smallvec::smallvec![1],
            ..Default::default()
        });
        if line.is_empty() {
            break;
        }
    }
    let rest_start = if is_memory_map_sentinel(line) {
        i
    } else {
        lines.len()
    };
    let mut p = finish_with_map(b.p, &lines[rest_start.min(lines.len())..], true)?;
    cleanup_duplicate_locations(&mut p);
    Ok(p)
}
