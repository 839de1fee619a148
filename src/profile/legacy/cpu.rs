//! The gperftools binary CPU format (C++ and Java), in either word size
//! and byte order.

use super::common::*;
use super::java::java_locations;
use super::LegacyError;
use crate::profile::{Profile, Sample};
use std::collections::HashMap;

/// Reads one word of the CPU format in one of its four encodings.
fn read_word(b: &[u8], enc: usize) -> Option<(u64, &[u8])> {
    let n = if enc < 2 { 4 } else { 8 };
    if b.len() < n {
        return None;
    }
    let mut v = 0u64;
    for i in 0..n {
        let byte = if enc % 2 == 0 { b[n - 1 - i] } else { b[i] };
        v = (v << 8) | u64::from(byte);
    }
    Some((v, &b[n..]))
}

/// The gperftools binary CPU profile (header words 0, 3, 0, period, 0).
pub(super) fn parse_cpu(data: &[u8]) -> Result<Profile, LegacyError> {
    for enc in 0..4 {
        let mut words = [0u64; 5];
        let mut rest = data;
        let mut ok = true;
        for w in &mut words {
            match read_word(rest, enc) {
                Some((v, r)) => {
                    *w = v;
                    rest = r;
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && words[0] == 0 && words[1] == 3 && words[2] == 0 && words[3] > 0 && words[4] == 0 {
            return cpu_profile(rest, words[3] as i64, enc);
        }
        if ok && words[0] == 0 && words[1] == 3 && words[2] == 1 && words[3] > 0 && words[4] == 0 {
            return java_cpu_profile(rest, words[3] as i64, enc);
        }
    }
    Err(LegacyError::Unrecognized)
}

/// The samples of a binary CPU profile; returns what follows them.
fn cpu_samples(
    mut b: &[u8],
    period: i64,
    enc: usize,
    adjust: bool,
) -> Result<(Builder, &[u8]), LegacyError> {
    let vt = value_type;
    let mut builder = Builder::new(
        vt("cpu", "nanoseconds"),
        period * 1000,
        vec![vt("samples", "count"), vt("cpu", "nanoseconds")],
    );
    while !b.is_empty() {
        let (count, r) = read_word(b, enc).ok_or(LegacyError::Unrecognized)?;
        let (nstk, r) = read_word(r, enc).ok_or(LegacyError::Unrecognized)?;
        if nstk > (r.len() / 4) as u64 {
            return Err(LegacyError::Unrecognized);
        }
        b = r;
        let mut addrs = Vec::with_capacity(nstk as usize);
        for _ in 0..nstk {
            let (a, r) = read_word(b, enc).ok_or(LegacyError::Unrecognized)?;
            addrs.push(a);
            b = r;
        }
        if count == 0 && nstk == 1 && addrs[0] == 0 {
            break;
        }
        let locs: Vec<u32> = addrs
            .iter()
            .enumerate()
            .map(|(i, &a)| {
                builder.location(if adjust && i > 0 {
                    a.wrapping_sub(1)
                } else {
                    a
                })
            })
            .collect();
        let period = builder.p.period;
        builder.p.samples.push(Sample {
            locations: locs.into(),
            values: smallvec::smallvec![count as i64, (count as i64).wrapping_mul(period)],
            ..Default::default()
        });
    }
    Ok((builder, b))
}

/// A Java CPU profile: binary samples, then symbolized location lines.
fn java_cpu_profile(b: &[u8], period: i64, enc: usize) -> Result<Profile, LegacyError> {
    let (builder, rest) = cpu_samples(b, period, enc, false)?;
    java_locations(builder, &String::from_utf8_lossy(rest))
}

fn cpu_profile(b: &[u8], period: i64, enc: usize) -> Result<Profile, LegacyError> {
    let (builder, b) = cpu_samples(b, period, enc, true)?;
    let mut p = builder.p;
    // Drop a second frame shared by nearly all samples (signal handler).
    let margin = p.samples.len() / 32;
    for _ in 0..2 {
        let mut counts: HashMap<u64, usize> = HashMap::new();
        for s in &p.samples {
            if let [_, second, ..] = *s.locations.ids() {
                *counts
                    .entry(p.locations[second as usize].address)
                    .or_default() += 1;
            }
        }
        let mut addrs: Vec<(u64, usize)> = counts.into_iter().collect();
        addrs.sort();
        if let Some(&(addr, _)) = addrs
            .iter()
            .find(|&&(_, c)| c >= p.samples.len().saturating_sub(margin))
        {
            for s in &mut p.samples {
                let stack = s.locations.to_mut();
                if stack.len() > 1 && p.locations[stack[1] as usize].address == addr {
                    stack.remove(1);
                }
            }
        }
    }
    let text = String::from_utf8_lossy(b);
    let lines: Vec<&str> = text.lines().collect();
    p.mappings.extend(parse_memory_map(&lines)?);
    massage_mappings(&mut p);
    remap_location_ids(&mut p);
    remap_mapping_ids(&mut p);
    cleanup_duplicate_locations(&mut p);
    Ok(p)
}
