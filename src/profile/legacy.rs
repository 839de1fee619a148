//! Legacy text formats pprof still reads, tried when a file is not a
//! profile.proto: heap profiles (Go's `/debug/pprof/heap?debug=1`,
//! heapz, growthz, fragmentationz) with their memory maps. Values of Go's
//! and heapz_v2 text heaps are unsampled as pprof does.

use super::{Location, Mapping, NumLabel, Profile, Sample, ValueType};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Why a legacy parse failed: not this format, or a broken one.
#[derive(Debug)]
pub enum LegacyError {
    /// Not a format we read.
    Unrecognized,
    /// The format, but broken.
    Malformed(String),
}

struct Patterns {
    heap_header: Regex,
    heap_sample: Regex,
    growth_header: Regex,
    fragmentation_header: Regex,
    hex_number: Regex,
    proc_maps: Regex,
    brief_maps: Regex,
    log_info: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let c_hex = r"(?:0x)?([[:xdigit:]]+)";
        let c_hex_range = format!(r"\s*{c_hex}[\s-]?\s*{c_hex}:?");
        let c_perm = r"(?:\s+([-rwxp]+))?";
        let c_space_hex = r"(?:\s+([[:xdigit:]]+))?";
        let c_space_string = r"(?:\s+(\S+))?";
        let c_space_at_offset = r"(?:\s+\(@([[:xdigit:]]+)\))?";
        let hex_pair = r"\s+[[:xdigit:]]+:[[:xdigit:]]+";
        let space_digits = r"\s+[[:digit:]]+";
        Patterns {
            heap_header: Regex::new(
                r"heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)/?(\d*)",
            )
            .expect("regex"),
            heap_sample: Regex::new(r"(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)")
                .expect("regex"),
            growth_header: Regex::new(
                r"heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ growthz?",
            )
            .expect("regex"),
            fragmentation_header: Regex::new(
                r"heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ fragmentationz?",
            )
            .expect("regex"),
            hex_number: Regex::new(r"0x[0-9a-f]+").expect("regex"),
            proc_maps: Regex::new(&format!(
                "^{c_hex_range}{c_perm}{c_space_hex}{hex_pair}{space_digits}{c_space_string}"
            ))
            .expect("regex"),
            brief_maps: Regex::new(&format!(
                "^{c_hex_range}{c_perm}{c_space_string}{c_space_at_offset}{c_space_hex}"
            ))
            .expect("regex"),
            log_info: Regex::new(r"^[^\[\]]+:[0-9]+]\s").expect("regex"),
        }
    })
}

const MEMORY_MAP_SENTINELS: [&str; 2] = ["--- Memory map: ---", "MAPPED_LIBRARIES:"];

fn is_memory_map_sentinel(line: &str) -> bool {
    MEMORY_MAP_SENTINELS.iter().any(|s| line.contains(s))
}

fn is_space_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// A parser of one legacy text format.
type TextParser = fn(&str) -> Result<Profile, LegacyError>;

/// Tries the legacy parsers pprof tries, in its order: the binary CPU
/// format (C++ and Java), text heap profiles, Go count profiles
/// (goroutine, threadcreate), thread profiles, contention profiles, Java
/// heapz/contentionz profiles.
pub fn parse(data: &[u8]) -> Result<Profile, LegacyError> {
    let mut p = match parse_cpu(data) {
        Err(LegacyError::Unrecognized) => {
            let text = std::str::from_utf8(data).map_err(|_| LegacyError::Unrecognized)?;
            let parsers: [TextParser; 5] = [
                parse_heap,
                parse_go_count,
                parse_thread,
                parse_contention,
                parse_java,
            ];
            let mut result = Err(LegacyError::Unrecognized);
            for parser in parsers {
                match parser(text) {
                    Err(LegacyError::Unrecognized) => continue,
                    r => {
                        result = r;
                        break;
                    }
                }
            }
            result?
        }
        r => r?,
    };
    add_legacy_frame_info(&mut p);
    Ok(p)
}

/// Reads `--- contentionz`/`--- mutex:`/`--- contention:` text profiles.
fn parse_contention(text: &str) -> Result<Profile, LegacyError> {
    let lines: Vec<&str> = text.lines().collect();
    let first = *lines.first().ok_or(LegacyError::Unrecognized)?;
    if !(first.starts_with("--- contentionz ")
        || first.starts_with("--- mutex:")
        || first.starts_with("--- contention:"))
    {
        return Err(LegacyError::Unrecognized);
    }
    let vt = |k: &str, u: &str| ValueType {
        kind: k.into(),
        unit: u.into(),
    };
    let mut b = Builder {
        p: Profile {
            strings: vec![String::new()],
            period_type: vt("contentions", "count"),
            period: 1,
            sample_types: vec![vt("contentions", "count"), vt("delay", "nanoseconds")],
            ..Default::default()
        },
        locations: HashMap::new(),
    };
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
    let sample_re = Regex::new(r"(\d+) *(\d+) @([ x0-9a-f]*)").expect("regex");
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
                values: vec![v2, v1],
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

/// gperftools thread profiles (`--- threadz N ---`, `--- Thread … ---`).
fn parse_thread(text: &str) -> Result<Profile, LegacyError> {
    let threadz = Regex::new(r"--- threadz \d+ ---").expect("regex");
    let thread_start =
        Regex::new(r"--- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---").expect("regex");
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
    let vt = ValueType {
        kind: "thread".into(),
        unit: "count".into(),
    };
    let mut b = Builder {
        p: Profile {
            strings: vec![String::new()],
            sample_types: vec![vt.clone()],
            period_type: vt,
            period: 1,
            ..Default::default()
        },
        locations: HashMap::new(),
    };
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
            values: vec![1],
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

/// Java's `--- heapz 1 ---` and `--- contentionz 1 ---` text profiles,
/// with their symbolized locations.
fn parse_java(text: &str) -> Result<Profile, LegacyError> {
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
    let attribute = Regex::new(r"([\w ]+)=([\w ]+)").expect("regex");
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
            let vt = |k: &str, u: &str| ValueType {
                kind: k.into(),
                unit: u.into(),
            };
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
    let sample_re = Regex::new(r" *(\d+) +(\d+) +@ +([ x0-9a-f]*)").expect("regex");
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
                values: vec![v0, v1],
                labels: Vec::new(),
                num_labels,
            });
        }
        rest = &rest[nl + 1..];
    }
    java_locations(b, rest)
}

/// The `0x… function (file:line)` lines of Java profiles: locations get
/// their function and lose their address.
fn java_locations(mut b: Builder, text: &str) -> Result<Profile, LegacyError> {
    let loc_re = Regex::new(r"^\s*0x([[:xdigit:]]+)\s+(.*)\s*$").expect("regex");
    let file_line = Regex::new(r"^(.*)\s+\((.+):(-?[[:digit:]]+)\)$").expect("regex");
    let path_re = Regex::new(r"^(.*)\s+\((.*)\)$").expect("regex");
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
            b.p.functions.push(super::Function {
                id: b.p.functions.len() as u64 + 1,
                name: name.clone(),
                system_name: name.clone(),
                filename: file.clone(),
                start_line: 0,
            });
            (b.p.functions.len() - 1) as u32
        });
        let loc = &mut b.p.locations[li as usize];
        loc.lines = vec![super::Line {
            function: fi,
            line: lineno,
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

/// Go's `strconv.ParseInt(s, 0, 64)`: decimal, `0x` hex or `0` octal.
fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, t) = match s.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if t.len() > 1 && t.starts_with('0') {
        i64::from_str_radix(&t[1..], 8).ok()?
    } else {
        t.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

fn hex_addresses(s: &str, line: &str) -> Result<Vec<u64>, LegacyError> {
    patterns()
        .hex_number
        .find_iter(s)
        .map(|h| {
            u64::from_str_radix(&h.as_str()[2..], 16).map_err(|_| {
                LegacyError::Malformed(format!(
                    "malformed sample: {line}: failed to parse as hex 64-bit number: {}",
                    h.as_str()
                ))
            })
        })
        .collect()
}

/// The memory map after a sentinel line in `rest` (when `seek`), then
/// pprof's mapping and location clean-ups.
fn finish_with_map(mut p: Profile, rest: &[&str], seek: bool) -> Result<Profile, LegacyError> {
    let map_lines: Vec<&str> = if seek {
        rest.iter()
            .skip_while(|l| !is_memory_map_sentinel(l))
            .skip(1)
            .copied()
            .collect()
    } else {
        rest.to_vec()
    };
    p.mappings.extend(parse_memory_map(&map_lines)?);
    massage_mappings(&mut p);
    remap_location_ids(&mut p);
    remap_mapping_ids(&mut p);
    Ok(p)
}

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
fn parse_cpu(data: &[u8]) -> Result<Profile, LegacyError> {
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
    let vt = |k: &str, u: &str| ValueType {
        kind: k.into(),
        unit: u.into(),
    };
    let mut builder = Builder {
        p: Profile {
            strings: vec![String::new()],
            period: period * 1000,
            period_type: vt("cpu", "nanoseconds"),
            sample_types: vec![vt("samples", "count"), vt("cpu", "nanoseconds")],
            ..Default::default()
        },
        locations: HashMap::new(),
    };
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
            locations: locs,
            values: vec![count as i64, (count as i64).wrapping_mul(period)],
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
            if s.locations.len() > 1 {
                *counts
                    .entry(p.locations[s.locations[1] as usize].address)
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
                if s.locations.len() > 1 && p.locations[s.locations[1] as usize].address == addr {
                    s.locations.remove(1);
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

/// Drops a duplicated leaf: a second frame whose address is the leaf's
/// minus one (the return address right after the call).
fn cleanup_duplicate_locations(p: &mut Profile) {
    for s in &mut p.samples {
        if s.locations.len() > 1
            && p.locations[s.locations[0] as usize].address
                == p.locations[s.locations[1] as usize].address.wrapping_add(1)
        {
            s.locations.remove(1);
        }
    }
}

/// Go's text count profiles: `goroutine profile: total N`, then
/// `count @ 0x… 0x…` lines.
fn parse_go_count(text: &str) -> Result<Profile, LegacyError> {
    let start = Regex::new(r"\A(\S+) profile: total \d+\z").expect("regex");
    let count_re = Regex::new(r"\A(\d+) @(( 0x[0-9a-f]+)+)\z").expect("regex");
    let mut lines = text.lines().skip_while(|l| is_space_or_comment(l));
    let first = lines.next().ok_or(LegacyError::Unrecognized)?;
    let kind = start.captures(first).ok_or(LegacyError::Unrecognized)?[1].to_string();
    let vt = ValueType {
        kind: kind.clone(),
        unit: "count".into(),
    };
    let mut b = Builder {
        p: Profile {
            strings: vec![String::new()],
            period: 1,
            period_type: vt.clone(),
            sample_types: vec![vt],
            ..Default::default()
        },
        locations: HashMap::new(),
    };
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
            locations: locs,
            values: vec![n],
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

/// Locations renumbered in order of first use by samples; unused ones go.
fn remap_location_ids(p: &mut Profile) {
    let mut new_index = vec![u32::MAX; p.locations.len()];
    let mut order = Vec::with_capacity(p.locations.len());
    for s in &mut p.samples {
        for l in &mut s.locations {
            let i = *l as usize;
            if new_index[i] == u32::MAX {
                new_index[i] = order.len() as u32;
                order.push(i);
            }
            *l = new_index[i];
        }
    }
    let old = std::mem::take(&mut p.locations);
    let mut old: Vec<Option<Location>> = old.into_iter().map(Some).collect();
    p.locations = order
        .into_iter()
        .enumerate()
        .map(|(n, i)| {
            let mut l = old[i].take().expect("each location once");
            l.id = n as u64 + 1;
            l
        })
        .collect();
}

/// Builds a profile from text samples: locations by address in order of
/// first use, mappings from the memory map.
struct Builder {
    p: Profile,
    locations: HashMap<u64, u32>,
}

impl Builder {
    fn location(&mut self, addr: u64) -> u32 {
        if let Some(&i) = self.locations.get(&addr) {
            return i;
        }
        let i = self.p.locations.len() as u32;
        self.p.locations.push(Location {
            id: u64::from(i) + 1,
            mapping: None,
            address: addr,
            lines: Vec::new(),
        });
        self.locations.insert(addr, i);
        i
    }
}

fn parse_heap(text: &str) -> Result<Profile, LegacyError> {
    let pt = patterns();
    let mut lines = text.lines();
    let first = lines.next().ok_or(LegacyError::Unrecognized)?;
    let mut p = Profile {
        strings: vec![String::new()],
        period_type: ValueType {
            kind: "space".into(),
            unit: "bytes".into(),
        },
        ..Default::default()
    };
    let mut sampling = "";
    let mut has_alloc = false;
    if let Some(h) = pt.heap_header.captures(first) {
        if !h[6].is_empty() {
            p.period = h[6].parse().map_err(|_| LegacyError::Unrecognized)?;
        }
        has_alloc = (h[3] != h[1] && &h[3] != "0") || (h[4] != h[2] && &h[4] != "0");
        match &h[5] {
            "heapz_v2" | "heap_v2" => sampling = "v2",
            "heapprofile" => p.period = 1,
            "heap" => {
                sampling = "v2";
                p.period /= 2;
            }
            _ => return Err(LegacyError::Unrecognized),
        }
    } else if pt.growth_header.is_match(first) || pt.fragmentation_header.is_match(first) {
        p.period = 1;
    } else {
        return Err(LegacyError::Unrecognized);
    }
    let vt = |k: &str, u: &str| ValueType {
        kind: k.into(),
        unit: u.into(),
    };
    p.sample_types = if has_alloc {
        vec![
            vt("alloc_objects", "count"),
            vt("alloc_space", "bytes"),
            vt("inuse_objects", "count"),
            vt("inuse_space", "bytes"),
        ]
    } else {
        vec![vt("objects", "count"), vt("space", "bytes")]
    };
    let bytes_key = p.intern("bytes");
    let mut b = Builder {
        p,
        locations: HashMap::new(),
    };
    let mut rest: Vec<&str> = Vec::new();
    let mut in_map = false;
    for raw in lines {
        if in_map {
            rest.push(raw);
            continue;
        }
        let line = raw.trim();
        if is_space_or_comment(line) {
            continue;
        }
        if is_memory_map_sentinel(line) {
            in_map = true;
            continue;
        }
        let (values, blocksize, addrs) = parse_heap_sample(line, b.p.period, sampling, has_alloc)?;
        let locs: Vec<u32> = addrs
            .iter()
            .map(|&a| b.location(a.wrapping_sub(1)))
            .collect();
        b.p.samples.push(Sample {
            locations: locs,
            values,
            labels: Vec::new(),
            num_labels: vec![NumLabel {
                key: bytes_key,
                value: blocksize,
                unit: 0,
            }],
        });
    }
    let mut p = b.p;
    let mappings = parse_memory_map(&rest)?;
    p.mappings.extend(mappings);
    massage_mappings(&mut p);
    remap_mapping_ids(&mut p);
    Ok(p)
}

fn parse_heap_sample(
    line: &str,
    rate: i64,
    sampling: &str,
    include_alloc: bool,
) -> Result<(Vec<i64>, i64, Vec<u64>), LegacyError> {
    let pt = patterns();
    let m = pt.heap_sample.captures(line).ok_or_else(|| {
        LegacyError::Malformed("unexpected number of sample values: got 0, want 6".into())
    })?;
    let mut values = Vec::with_capacity(4);
    let mut blocksize = 0;
    let mut add = |count: &str, size: &str, label: &str| -> Result<(), LegacyError> {
        let bad = || LegacyError::Malformed(format!("malformed sample: {line}"));
        let mut count: i64 = count.parse().map_err(|_| bad())?;
        let mut size: i64 = size.parse().map_err(|_| bad())?;
        if count == 0 && size != 0 {
            return Err(LegacyError::Malformed(format!(
                "{label} count was 0 but {label} bytes was {size}"
            )));
        }
        if count != 0 {
            blocksize = size / count;
            if sampling == "v2" {
                (count, size) = scale_heap_sample(count, size, rate);
            }
        }
        values.push(count);
        values.push(size);
        Ok(())
    };
    if include_alloc {
        add(&m[3], &m[4], "allocation")?;
    }
    add(&m[1], &m[2], "inuse")?;
    let mut addrs = Vec::new();
    for h in pt.hex_number.find_iter(&m[5]) {
        let v = u64::from_str_radix(&h.as_str()[2..], 16).map_err(|_| {
            LegacyError::Malformed(format!(
                "malformed sample: {line}: failed to parse as hex 64-bit number: {}",
                h.as_str()
            ))
        })?;
        addrs.push(v);
    }
    Ok((values, blocksize, addrs))
}

/// pprof's unsampling of a (count, size) pair at sampling rate `rate`.
fn scale_heap_sample(count: i64, size: i64, rate: i64) -> (i64, i64) {
    if count == 0 || size == 0 {
        return (0, 0);
    }
    if rate <= 1 {
        return (count, size);
    }
    let avg = size as f64 / count as f64;
    let scale = 1.0 / (1.0 - (-avg / rate as f64).exp());
    ((count as f64 * scale) as i64, (size as f64 * scale) as i64)
}

/// Mappings from a `/proc/self/maps`-like section (with `$name`
/// substitutions declared as `name=value` lines, and log prefixes removed).
fn parse_memory_map(lines: &[&str]) -> Result<Vec<Mapping>, LegacyError> {
    let pt = patterns();
    let mut out = Vec::new();
    let mut attrs: Vec<(String, String)> = Vec::new();
    for raw in lines {
        let mut line = match pt.log_info.find(raw) {
            Some(m) => raw[m.end()..].to_string(),
            None => raw.to_string(),
        };
        for (k, v) in &attrs {
            line = line.replace(k.as_str(), v);
        }
        match parse_mapping_entry(&line) {
            Some(Some(m)) => out.push(m),
            Some(None) => {}
            None => {
                if let Some((k, v)) = line.split_once('=') {
                    attrs.push((format!("${}", k.trim()), v.trim().to_string()));
                }
            }
        }
    }
    Ok(out)
}

/// `None`: not a mapping line; `Some(None)`: a mapping that is not executable.
fn parse_mapping_entry(l: &str) -> Option<Option<Mapping>> {
    let pt = patterns();
    let g = |c: &regex::Captures, i: usize| c.get(i).map_or("", |m| m.as_str()).to_string();
    let (start, end, perm, file, offset, build_id) = if let Some(c) = pt.proc_maps.captures(l) {
        (
            g(&c, 1),
            g(&c, 2),
            g(&c, 3),
            g(&c, 5),
            g(&c, 4),
            String::new(),
        )
    } else if let Some(c) = pt.brief_maps.captures(l) {
        (g(&c, 1), g(&c, 2), g(&c, 3), g(&c, 4), g(&c, 5), g(&c, 6))
    } else {
        return None;
    };
    if !perm.is_empty() && !perm.contains('x') {
        return Some(None);
    }
    let start = u64::from_str_radix(&start, 16).ok()?;
    let limit = u64::from_str_radix(&end, 16).ok()?;
    let offset = if offset.is_empty() {
        0
    } else {
        u64::from_str_radix(&offset, 16).ok()?
    };
    Some(Some(Mapping {
        id: 0,
        start,
        limit,
        offset,
        file,
        build_id,
    }))
}

fn adjacent(a: &Mapping, b: &Mapping) -> bool {
    if !a.file.is_empty() && !b.file.is_empty() && a.file != b.file {
        return false;
    }
    if !a.build_id.is_empty() && !b.build_id.is_empty() && a.build_id != b.build_id {
        return false;
    }
    if a.limit != b.start {
        return false;
    }
    if a.offset != 0 && b.offset != 0 && a.offset + (a.limit - a.start) != b.offset {
        return false;
    }
    true
}

/// Merges adjacent mappings of one file and moves the main binary (the
/// first that is not a shared library or `[…]`) to the front.
fn massage_mappings(p: &mut Profile) {
    if p.mappings.len() > 1 {
        let old = std::mem::take(&mut p.mappings);
        let mut remap: Vec<u32> = Vec::with_capacity(old.len());
        let mut merged: Vec<Mapping> = Vec::new();
        for (i, m) in old.into_iter().enumerate() {
            if i > 0 {
                let last = merged.last_mut().expect("first mapping");
                if adjacent(last, &m) {
                    last.limit = m.limit;
                    if !m.file.is_empty() {
                        last.file = m.file.clone();
                    }
                    if !m.build_id.is_empty() {
                        last.build_id = m.build_id.clone();
                    }
                    remap.push((merged.len() - 1) as u32);
                    continue;
                }
            }
            merged.push(m);
            remap.push((merged.len() - 1) as u32);
        }
        for l in &mut p.locations {
            if let Some(m) = l.mapping {
                l.mapping = Some(remap[m as usize]);
            }
        }
        p.mappings = merged;
    }
    let lib = Regex::new(r"([.]so$|[.]so[._][0-9]+)").expect("regex");
    let main = p.mappings.iter().position(|m| {
        let file = m.file.replace("(deleted)", "");
        let file = file.trim();
        !file.is_empty() && !lib.is_match(file) && !file.starts_with('[')
    });
    if let Some(i) = main {
        p.mappings.swap(0, i);
        for l in &mut p.locations {
            l.mapping = l.mapping.map(|m| match m as usize {
                0 => i as u32,
                x if x == i => 0,
                x => x as u32,
            });
        }
    }
}

/// Assigns locations to the mappings that contain their address (or a
/// catch-all mapping), as pprof's `remapMappingIDs`.
fn remap_mapping_ids(p: &mut Profile) {
    if p.mappings.len() > 1
        && p.mappings[0].file.starts_with("/anon_hugepage")
        && p.mappings[0].limit == p.mappings[1].start
    {
        p.mappings.remove(0);
        for l in &mut p.locations {
            l.mapping = l.mapping.and_then(|m| m.checked_sub(1));
        }
    }
    if let Some(m) = p.mappings.first_mut() {
        if m.start.wrapping_sub(m.offset) == 0x400000 {
            m.start = 0x400000;
            m.offset = 0;
        }
    }
    let mut fake: Option<u32> = None;
    for li in 0..p.locations.len() {
        let a = p.locations[li].address;
        if p.locations[li].mapping.is_some() || a == 0 {
            continue;
        }
        if let Some(i) = p.mappings.iter().position(|m| m.start <= a && a < m.limit) {
            p.locations[li].mapping = Some(i as u32);
            continue;
        }
        if let Some(i) = p
            .mappings
            .iter()
            .position(|m| m.offset != 0 && m.start.wrapping_sub(m.offset) <= a && a < m.start)
        {
            let m = &mut p.mappings[i];
            m.start -= m.offset;
            m.offset = 0;
            p.locations[li].mapping = Some(i as u32);
            continue;
        }
        let f = *fake.get_or_insert_with(|| {
            p.mappings.push(Mapping {
                limit: u64::MAX,
                ..Default::default()
            });
            (p.mappings.len() - 1) as u32
        });
        p.locations[li].mapping = Some(f);
    }
    for (i, m) in p.mappings.iter_mut().enumerate() {
        m.id = i as u64 + 1;
    }
}

const ALLOC_RX: &str = concat!(
    r"calloc|cfree|malloc|free|memalign|do_memalign|(__)?posix_memalign|pvalloc|valloc|realloc|",
    r"tcmalloc::.*|tc_calloc|tc_cfree|tc_malloc|tc_free|tc_memalign|tc_posix_memalign|tc_pvalloc|tc_valloc|tc_realloc|tc_new|tc_delete|tc_newarray|tc_deletearray|tc_new_nothrow|tc_newarray_nothrow|",
    r"malloc_zone_malloc|malloc_zone_calloc|malloc_zone_valloc|malloc_zone_realloc|malloc_zone_memalign|malloc_zone_free|",
    r"runtime\..*|",
    r"BaseArena::.*|(::)?do_malloc_no_errno|(::)?do_malloc_pages|(::)?do_malloc|DoSampledAllocation|MallocedMemBlock::MallocedMemBlock|_M_allocate|__builtin_(vec_)?delete|__builtin_(vec_)?new|__gnu_cxx::new_allocator::allocate|__libc_malloc|__malloc_alloc_template::allocate|allocate|cpp_alloc|operator new(\[\])?|simple_alloc::allocate"
);
const ALLOC_SKIP_RX: &str = r"runtime\.panic|runtime\.reflectcall|runtime\.call[0-9]*";
const CPU_PROFILER_RX: &str = r"ProfileData::Add|ProfileData::prof_handler|CpuProfiler::prof_handler|__pthread_sighandler|__restore";
const LOCK_RX: &str = r"RecordLockProfileData|(base::)?RecordLockProfileData.*|(base::)?SubmitMutexProfileData.*|(base::)?SubmitSpinLockProfileData.*|(base::Mutex::)?AwaitCommon.*|(base::Mutex::)?Unlock.*|(base::Mutex::)?UnlockSlow.*|(base::Mutex::)?ReaderUnlock.*|(base::MutexLock::)?~MutexLock.*|(Mutex::)?AwaitCommon.*|(Mutex::)?Unlock.*|(Mutex::)?UnlockSlow.*|(Mutex::)?ReaderUnlock.*|(MutexLock::)?~MutexLock.*|(SpinLock::)?Unlock.*|(SpinLock::)?SlowUnlock.*|(SpinLockHolder::)?~SpinLockHolder.*";

/// The built-in frames to drop for legacy profiles, chosen by sample types.
fn add_legacy_frame_info(p: &mut Profile) {
    let types: Vec<&str> = p.sample_types.iter().map(|t| t.kind.as_str()).collect();
    let heapz: [&[&str]; 5] = [
        &["allocations", "size"],
        &["objects", "space"],
        &["inuse_objects", "inuse_space"],
        &["alloc_objects", "alloc_space"],
        &[
            "alloc_objects",
            "alloc_space",
            "inuse_objects",
            "inuse_space",
        ],
    ];
    if heapz.contains(&types.as_slice()) {
        p.drop_frames = ALLOC_RX.to_string();
        p.keep_frames = ALLOC_SKIP_RX.to_string();
    } else if types == ["contentions", "delay"] {
        p.drop_frames = LOCK_RX.to_string();
        p.keep_frames = String::new();
    } else {
        p.drop_frames = CPU_PROFILER_RX.to_string();
        p.keep_frames = String::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_heap_text_is_unsampled() {
        // pprof's example: 1: 524288 [3: 1572864] at rate 1048576/2.
        assert_eq!(scale_heap_sample(3, 1572864, 524288), (4, 2488234));
        assert_eq!(scale_heap_sample(1, 524288, 524288), (1, 829411));
        assert_eq!(scale_heap_sample(1, 9216, 524288), (57, 528909));
    }

    #[test]
    fn mapping_lines() {
        let m = parse_mapping_entry("  00400000-00fcb000: /home/cppbench_server_main")
            .unwrap()
            .unwrap();
        assert_eq!(
            (m.start, m.limit, m.file.as_str()),
            (0x400000, 0xfcb000, "/home/cppbench_server_main")
        );
        let r = parse_mapping_entry("7f47a4351000-7f47a4352000 r--p 00000000 08:01 123 /lib/x.so")
            .unwrap();
        assert!(r.is_none(), "not executable");
        assert!(parse_mapping_entry("source=/home").is_none());
    }
}
