//! Go's count text profiles (`goroutine profile: total N`,
//! `threadcreate profile: total N`).

use super::common::*;
use super::LegacyError;
use crate::base::goregex;
use crate::profile::{Profile, Sample};

/// Go's text count profiles: `goroutine profile: total N`, then
/// `count @ 0x… 0x…` lines.
pub(super) fn parse_go_count(text: &str) -> Result<Profile, LegacyError> {
    let start = goregex::compile(r"\A(\S+) profile: total \d+\z").expect("regex");
    let count_re = goregex::compile(r"\A(\d+) @(( 0x[0-9a-f]+)+)\z").expect("regex");
    let mut lines = text.lines().skip_while(|l| is_space_or_comment(l));
    let first = lines.next().ok_or(LegacyError::Unrecognized)?;
    let kind = start.captures(first).ok_or(LegacyError::Unrecognized)?[1].to_string();
    let vt = value_type(&kind, "count");
    let mut b = Builder::new(vt.clone(), 1, vec![vt]);
    let malformed = || LegacyError::Malformed("malformed profile format".into());
    let mut rest: Vec<&str> = Vec::new();
    let mut tail = false;
    for line in lines {
        if tail {
            rest.push(line);
            continue;
        }
        if is_space_or_comment(line) {
            continue;
        }
        if line.starts_with("---") {
            tail = true;
            if is_memory_map_sentinel(line) {
                rest.push(line);
            }
            continue;
        }
        let m = count_re.captures(line).ok_or_else(malformed)?;
        let n: i64 = m[1].parse().map_err(|_| malformed())?;
        let mut locs = Vec::new();
        for f in m[2].split_whitespace() {
            let a = u64::from_str_radix(f.trim_start_matches("0x"), 16).map_err(|_| malformed())?;
            locs.push(b.location(a.wrapping_sub(1)));
        }
        b.p.samples.push(Sample {
            locations: locs.into(),
            values: smallvec::smallvec![n],
            ..Default::default()
        });
    }
    let mut p = b.p;
    let after: Vec<&str> = rest
        .iter()
        .skip_while(|l| !is_memory_map_sentinel(l))
        .skip(1)
        .copied()
        .collect();
    p.mappings.extend(parse_memory_map(&after)?);
    massage_mappings(&mut p);
    remap_location_ids(&mut p);
    remap_mapping_ids(&mut p);
    Ok(p)
}
