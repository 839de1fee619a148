//! Java's `--- heapz 1 ---` and `--- contentionz 1 ---` text profiles
//! with their symbolized locations, and the locations of Java CPU profiles.

use super::common::*;
use super::heap::scale_heap_sample;
use super::LegacyError;
use crate::base::goregex;
use crate::profile::{NumLabel, Profile, Sample};
use std::collections::HashMap;

/// Java's `--- heapz 1 ---` and `--- contentionz 1 ---` text profiles,
/// with their symbolized locations.
pub(super) fn parse_java(text: &str) -> Result<Profile, LegacyError> {
    let (header, body) = text.split_once('\n').ok_or(LegacyError::Unrecognized)?;
    let kind = match header.trim() {
        "--- heapz 1 ---" => "heap",
        "--- contentionz 1 ---" => "contention",
        _ => return Err(LegacyError::Unrecognized),
    };
    let mut p = Profile {
        strings: vec![String::new()],
        ..Default::default()
    };
    let attribute = goregex::compile(r"([\w ]+)=([\w ]+)").expect("regex");
    let mut rest = body;
    // Header attributes.
    while let Some(nl) = rest.find('\n') {
        let line = rest[..nl].trim();
        if !line.is_empty() {
            let Some(h) = attribute.captures(line) else {
                break;
            };
            let (attr, value) = (h[1].trim().to_string(), h[2].trim().to_string());
            let bad = || LegacyError::Malformed(format!("failed to parse attribute {line}"));
            let vt = value_type;
            match (kind, attr.as_str()) {
                (_, "format") => {
                    if value != "java" {
                        return Err(LegacyError::Unrecognized);
                    }
                }
                ("heap", "resolution") => {
                    p.sample_types = vec![vt("inuse_objects", "count"), vt("inuse_space", &value)];
                }
                ("contention", "resolution") => {
                    p.sample_types = vec![vt("contentions", "count"), vt("delay", &value)];
                }
                ("contention", "sampling period") => {
                    p.period_type = vt("contentions", "count");
                    p.period = parse_go_int(&value).ok_or_else(bad)?;
                }
                ("contention", "ms since reset") => {
                    p.duration_nanos = parse_go_int(&value)
                        .ok_or_else(bad)?
                        .wrapping_mul(1_000_000);
                }
                _ => return Err(LegacyError::Unrecognized),
            }
        }
        rest = &rest[nl + 1..];
    }
    let sample_re = goregex::compile(r" *(\d+) +(\d+) +@ +([ x0-9a-f]*)").expect("regex");
    let mut b = Builder {
        p,
        locations: HashMap::new(),
    };
    let bytes_key = b.p.intern("bytes");
    while let Some(nl) = rest.find('\n') {
        let line = rest[..nl].trim();
        if !line.is_empty() {
            let Some(m) = sample_re.captures(line) else {
                break;
            };
            let bad = || LegacyError::Malformed(format!("parsing sample {line}"));
            let addrs = hex_addresses(&m[3], line)?;
            let locs = addrs.iter().map(|&a| b.location(a)).collect();
            let mut v0: i64 = parse_go_int(&m[2]).ok_or_else(bad)?;
            let mut v1: i64 = parse_go_int(&m[1]).ok_or_else(bad)?;
            let mut num_labels = Vec::new();
            if kind == "heap" {
                if v0 == 0 {
                    return Err(LegacyError::Malformed(format!(
                        "parsing sample {line}: second value must be non-zero"
                    )));
                }
                num_labels.push(NumLabel {
                    key: bytes_key,
                    value: v1 / v0,
                    unit: 0,
                });
                (v0, v1) = scale_heap_sample(v0, v1, 524288);
            } else if b.p.period != 0 {
                v0 = v0.wrapping_mul(b.p.period);
                v1 = v1.wrapping_mul(b.p.period);
            }
            b.p.samples.push(Sample {
                locations: locs,
                values: smallvec::smallvec![v0, v1],
                labels: Default::default(),
                num_labels: num_labels.into(),
            });
        }
        rest = &rest[nl + 1..];
    }
    java_locations(b, rest)
}

/// The `0x… function (file:line)` lines of Java profiles: locations get
/// their function and lose their address.
pub(super) fn java_locations(mut b: Builder, text: &str) -> Result<Profile, LegacyError> {
    let loc_re = goregex::compile(r"^\s*0x([[:xdigit:]]+)\s+(.*)\s*$").expect("regex");
    let file_line = goregex::compile(r"^(.*)\s+\((.+):(-?[[:digit:]]+)\)$").expect("regex");
    let path_re = goregex::compile(r"^(.*)\s+\((.*)\)$").expect("regex");
    let mut functions: HashMap<String, u32> = HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some(m) = loc_re.captures(line) else {
            continue;
        };
        let addr = u64::from_str_radix(&m[1], 16)
            .map_err(|_| LegacyError::Malformed(format!("parsing sample {line}")))?;
        let Some(&li) = b.locations.get(&addr) else {
            continue;
        };
        let desc = &m[2];
        let (name, file, lineno) = if let Some(f) = file_line.captures(desc) {
            let n: i64 = f[3].parse().unwrap_or(0);
            (f[1].to_string(), f[2].to_string(), n.max(0))
        } else if let Some(f) = path_re.captures(desc) {
            (
                f[1].to_string(),
                crate::base::gopath::base_name(&f[2]).to_string(),
                0,
            )
        } else if desc.contains("generated stub/JIT") {
            ("STUB".to_string(), String::new(), 0)
        } else {
            (desc.to_string(), String::new(), 0)
        };
        let fi = *functions.entry(name.clone()).or_insert_with(|| {
            b.p.functions.push(crate::profile::Function {
                id: b.p.functions.len() as u64 + 1,
                name: name.clone(),
                system_name: name.clone(),
                filename: file.clone(),
                start_line: 0,
            });
            (b.p.functions.len() - 1) as u32
        });
        let loc = &mut b.p.locations[li as usize];
        loc.lines = vec![crate::profile::Line {
            function: fi,
            line: lineno,
            column: 0,
        }];
        loc.address = 0;
    }
    let mut p = b.p;
    remap_location_ids(&mut p);
    remap_mapping_ids(&mut p);
    for l in &mut p.locations {
        l.address = 0;
    }
    Ok(p)
}
