//! gperftools and Go contention text profiles (`--- contentionz`,
//! `--- mutex:`, `--- contention:`).

use super::common::*;
use super::LegacyError;
use crate::base::goregex;
use crate::profile::{Profile, Sample};

/// Reads `--- contentionz`/`--- mutex:`/`--- contention:` text profiles.
pub(super) fn parse_contention(text: &str) -> Result<Profile, LegacyError> {
    let lines: Vec<&str> = text.lines().collect();
    let first = *lines.first().ok_or(LegacyError::Unrecognized)?;
    if !(first.starts_with("--- contentionz ")
        || first.starts_with("--- mutex:")
        || first.starts_with("--- contention:"))
    {
        return Err(LegacyError::Unrecognized);
    }
    let vt = value_type;
    let mut b = Builder::new(
        vt("contentions", "count"),
        1,
        vec![vt("contentions", "count"), vt("delay", "nanoseconds")],
    );
    let mut cpu_hz = 0i64;
    let mut i = 1;
    let int = |v: &str| parse_go_int(v).ok_or(LegacyError::Unrecognized);
    while i < lines.len() {
        let line = lines[i].trim();
        if is_space_or_comment(line) {
            i += 1;
            continue;
        }
        if line.starts_with("---") {
            break;
        }
        let Some((key, val)) = line.split_once('=') else {
            break;
        };
        let (key, val) = (key.trim(), val.trim());
        match key {
            "cycles/second" => cpu_hz = int(val)?,
            "sampling period" => b.p.period = int(val)?,
            "ms since reset" => b.p.duration_nanos = int(val)?.wrapping_mul(1_000_000),
            "discarded samples" => {}
            _ => return Err(LegacyError::Unrecognized),
        }
        i += 1;
    }
    let sample_re = goregex::compile(r"(\d+) *(\d+) @([ x0-9a-f]*)").expect("regex");
    loop {
        let line = lines.get(i).map_or("", |l| l.trim());
        if line.starts_with("---") {
            break;
        }
        if !is_space_or_comment(line) {
            let m = sample_re.captures(line).ok_or(LegacyError::Unrecognized)?;
            let bad = || LegacyError::Malformed(format!("malformed sample: {line}"));
            let mut v1: i64 = m[1].parse().map_err(|_| bad())?;
            let mut v2: i64 = m[2].parse().map_err(|_| bad())?;
            let period = b.p.period;
            if period > 0 {
                if cpu_hz > 0 {
                    let ghz = cpu_hz as f64 / 1e9;
                    v1 = (v1 as f64 * period as f64 / ghz) as i64;
                }
                v2 = v2.wrapping_mul(period);
            }
            let locs = hex_addresses(&m[3], line)?
                .into_iter()
                .map(|a| b.location(a.wrapping_sub(1)))
                .collect();
            b.p.samples.push(Sample {
                locations: locs,
                values: smallvec::smallvec![v2, v1],
                ..Default::default()
            });
        }
        i += 1;
        if i >= lines.len() {
            break;
        }
    }
    finish_with_map(b.p, &lines[i.min(lines.len())..], true)
}
