//! What the legacy readers share: cached patterns, memory maps (parsed,
//! massaged, ids remapped), the profile builder, Go's number syntax, and the
//! frames pprof drops from legacy profiles.

use super::LegacyError;
use crate::base::goregex;
use crate::profile::{Location, Mapping, Profile, ValueType};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

pub(super) struct Patterns {
    pub(super) heap_header: Regex,
    pub(super) heap_sample: Regex,
    pub(super) growth_header: Regex,
    pub(super) fragmentation_header: Regex,
    pub(super) hex_number: Regex,
    pub(super) proc_maps: Regex,
    pub(super) brief_maps: Regex,
    pub(super) log_info: Regex,
}

pub(super) fn patterns() -> &'static Patterns {
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
            heap_header: goregex::compile(
                r"heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)/?(\d*)",
            )
            .expect("regex"),
            heap_sample: goregex::compile(
                r"(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)",
            )
            .expect("regex"),
            growth_header: goregex::compile(
                r"heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ growthz?",
            )
            .expect("regex"),
            fragmentation_header: goregex::compile(
                r"heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ fragmentationz?",
            )
            .expect("regex"),
            hex_number: goregex::compile(r"0x[0-9a-f]+").expect("regex"),
            proc_maps: goregex::compile(&format!(
                "^{c_hex_range}{c_perm}{c_space_hex}{hex_pair}{space_digits}{c_space_string}"
            ))
            .expect("regex"),
            brief_maps: goregex::compile(&format!(
                "^{c_hex_range}{c_perm}{c_space_string}{c_space_at_offset}{c_space_hex}"
            ))
            .expect("regex"),
            log_info: goregex::compile(r"^[^\[\]]+:[0-9]+]\s").expect("regex"),
        }
    })
}

pub(super) const MEMORY_MAP_SENTINELS: [&str; 2] = ["--- Memory map: ---", "MAPPED_LIBRARIES:"];

pub(super) fn is_memory_map_sentinel(line: &str) -> bool {
    MEMORY_MAP_SENTINELS.iter().any(|s| line.contains(s))
}

pub(super) fn is_space_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// A sample or period type.
pub(super) fn value_type(kind: &str, unit: &str) -> ValueType {
    ValueType {
        kind: kind.into(),
        unit: unit.into(),
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: decimal, `0x` hex or `0` octal.
pub(super) fn parse_go_int(s: &str) -> Option<i64> {
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

pub(super) fn hex_addresses(s: &str, line: &str) -> Result<Vec<u64>, LegacyError> {
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
pub(super) fn finish_with_map(
    mut p: Profile,
    rest: &[&str],
    seek: bool,
) -> Result<Profile, LegacyError> {
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

/// Drops a duplicated leaf: a second frame whose address is the leaf's
/// minus one (the return address right after the call).
pub(super) fn cleanup_duplicate_locations(p: &mut Profile) {
    for s in &mut p.samples {
        let stack = s.locations.to_mut();
        if stack.len() > 1
            && p.locations[stack[0] as usize].address
                == p.locations[stack[1] as usize].address.wrapping_add(1)
        {
            stack.remove(1);
        }
    }
}

/// Locations renumbered in order of first use by samples; unused ones go.
pub(super) fn remap_location_ids(p: &mut Profile) {
    let mut new_index = vec![u32::MAX; p.locations.len()];
    let mut order = Vec::with_capacity(p.locations.len());
    for s in &mut p.samples {
        for l in s.locations.to_mut() {
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
pub(super) struct Builder {
    pub(super) p: Profile,
    pub(super) locations: HashMap<u64, u32>,
}

impl Builder {
    /// An empty profile of `sample_types` sampled every `period`
    /// `period_type`.
    pub(super) fn new(
        period_type: ValueType,
        period: i64,
        sample_types: Vec<ValueType>,
    ) -> Builder {
        Builder {
            p: Profile {
                strings: vec![String::new()],
                period_type,
                period,
                sample_types,
                ..Default::default()
            },
            locations: HashMap::new(),
        }
    }

    pub(super) fn location(&mut self, addr: u64) -> u32 {
        if let Some(&i) = self.locations.get(&addr) {
            return i;
        }
        let i = self.p.locations.len() as u32;
        self.p.locations.push(Location {
            id: u64::from(i) + 1,
            mapping: None,
            address: addr,
            lines: Vec::new(),
            is_folded: false,
        });
        self.locations.insert(addr, i);
        i
    }
}

/// Mappings from a `/proc/self/maps`-like section (with `$name`
/// substitutions declared as `name=value` lines, and log prefixes removed).
pub(super) fn parse_memory_map(lines: &[&str]) -> Result<Vec<Mapping>, LegacyError> {
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
pub(super) fn parse_mapping_entry(l: &str) -> Option<Option<Mapping>> {
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
        ..Default::default()
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
pub(super) fn massage_mappings(p: &mut Profile) {
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
    let lib = goregex::compile(r"([.]so$|[.]so[._][0-9]+)").expect("regex");
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
pub(super) fn remap_mapping_ids(p: &mut Profile) {
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
pub(super) fn add_legacy_frame_info(p: &mut Profile) {
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
