//! Combining profiles as pprof does: unit scaling to a common unit,
//! merging (equal samples add up; samples that net to zero vanish),
//! normalizing to a base, negating a base, marking diff-base samples.

use super::{Function, Line, Location, Mapping, NumLabel, Profile, Sample, StrId, ValueType};
use crate::base::units;
use std::collections::HashMap;

fn compatible_value_types(a: &ValueType, b: &ValueType) -> bool {
    if a.kind.trim_end_matches('s') != b.kind.trim_end_matches('s') {
        return false;
    }
    a.unit == b.unit
        || (units::family_of(&a.unit).is_some()
            && units::family_of(&a.unit) == units::family_of(&b.unit))
}

fn go_value_type(t: &ValueType) -> String {
    format!("{{{} {} 0 0}}", t.kind, t.unit)
}

/// The finest of several value types, or an error naming two that cannot
/// be combined (`None` for fewer than two).
fn common_value_type(ts: &[&ValueType]) -> Result<Option<ValueType>, String> {
    if ts.len() <= 1 {
        return Ok(None);
    }
    let mut min = ts[0];
    for &t in &ts[1..] {
        if !compatible_value_types(min, t) {
            return Err(format!(
                "incompatible types: {} {}",
                go_value_type(min),
                go_value_type(t)
            ));
        }
        if units::scale(1, &t.unit, &min.unit).0 < 1.0 {
            min = t;
        }
    }
    Ok(Some(min.clone()))
}

/// Brings every profile to the finest common unit of each value column.
fn scale_profiles(profiles: &mut [Profile]) -> Result<(), String> {
    if profiles.is_empty() {
        return Ok(());
    }
    let pts: Vec<&ValueType> = profiles.iter().map(|p| &p.period_type).collect();
    let period_type = common_value_type(&pts).map_err(|e| format!("period type: {e}"))?;
    let n = profiles[0].sample_types.len();
    if let Some(p) = profiles.iter().find(|p| p.sample_types.len() != n) {
        return Err(format!(
            "inconsistent samples type count: {} != {}",
            n,
            p.sample_types.len()
        ));
    }
    let mut common = Vec::with_capacity(n);
    for i in 0..n {
        let ts: Vec<&ValueType> = profiles.iter().map(|p| &p.sample_types[i]).collect();
        common.push(common_value_type(&ts).map_err(|e| format!("sample types: {e}"))?);
    }
    for p in profiles.iter_mut() {
        if let Some(pt) = &period_type {
            let (period, _) = units::scale(p.period, &p.period_type.unit, &pt.unit);
            p.period = period as i64;
            p.period_type.unit = pt.unit.clone();
        }
        let mut ratios = vec![1.0; n];
        for (i, st) in p.sample_types.iter_mut().enumerate() {
            if let Some(c) = &common[i] {
                ratios[i] = units::scale(1, &st.unit, &c.unit).0;
                st.unit = c.unit.clone();
            }
        }
        scale_n(p, &ratios);
    }
    Ok(())
}

/// Multiplies each value column by its ratio (rounding half away from
/// zero) and drops samples left all zero.
fn scale_n(p: &mut Profile, ratios: &[f64]) {
    if ratios.iter().all(|&r| r == 1.0) {
        return;
    }
    p.samples.retain_mut(|s| {
        let mut keep = false;
        for (i, v) in s.values.iter_mut().enumerate() {
            if ratios[i] != 1.0 {
                *v = (*v as f64 * ratios[i]).round() as i64;
                keep |= *v != 0;
            }
        }
        keep
    });
}

/// Scales the columns of `p` so their totals match those of `base`.
pub fn normalize(p: &mut Profile, base: &Profile) -> Result<(), String> {
    compatible(p, base)?;
    let n = p.sample_types.len();
    let (mut base_vals, mut src_vals) = (vec![0i64; n], vec![0i64; n]);
    for s in &base.samples {
        for (i, v) in s.values.iter().enumerate() {
            base_vals[i] = base_vals[i].wrapping_add(*v);
        }
    }
    for s in &p.samples {
        for (i, v) in s.values.iter().enumerate() {
            src_vals[i] = src_vals[i].wrapping_add(*v);
        }
    }
    let ratios: Vec<f64> = (0..n)
        .map(|i| {
            if src_vals[i] == 0 {
                0.0
            } else {
                base_vals[i] as f64 / src_vals[i] as f64
            }
        })
        .collect();
    scale_n(p, &ratios);
    Ok(())
}

fn compatible(a: &Profile, b: &Profile) -> Result<(), String> {
    let vt = |ts: &[ValueType]| {
        format!(
            "[{}]",
            ts.iter().map(go_value_type).collect::<Vec<_>>().join(" ")
        )
    };
    if a.period_type != b.period_type {
        return Err(format!(
            "incompatible period types {} and {}",
            go_value_type(&a.period_type),
            go_value_type(&b.period_type)
        ));
    }
    if a.sample_types != b.sample_types {
        return Err(format!(
            "incompatible sample types {} and {}",
            vt(&a.sample_types),
            vt(&b.sample_types)
        ));
    }
    Ok(())
}

/// Gives every sample the label `key` with the single value `value`.
fn set_label(p: &mut Profile, key: &str, value: &str) {
    let k = p.intern(key);
    let v = p.intern(value);
    for s in &mut p.samples {
        s.labels.retain(|l| l.0 != k);
        s.labels.push((k, v));
    }
}

/// Everything that identifies a sample for merging.
#[derive(PartialEq, Eq, Hash)]
struct SampleKey {
    locations: Vec<u32>,
    labels: Vec<(String, Vec<String>)>,
    num_labels: Vec<(String, Vec<i64>, Vec<String>)>,
}

/// A location for merging: address relative to its mapping, the mapping,
/// its (function, line, column) frames, and whether it is folded.
type LocationKey = (u64, Option<u32>, Vec<(u32, i64, i64)>, bool);

struct Merger {
    out: Profile,
    strings: HashMap<String, StrId>,
    samples: HashMap<SampleKey, usize>,
    locations: HashMap<LocationKey, u32>,
    functions: HashMap<(i64, String, String, String), u32>,
    mappings: HashMap<(u64, u64, String), u32>,
}

impl Merger {
    fn intern(&mut self, s: &str) -> StrId {
        if let Some(&i) = self.strings.get(s) {
            return i;
        }
        let i = self.out.strings.len() as StrId;
        self.out.strings.push(s.to_string());
        self.strings.insert(s.to_string(), i);
        i
    }

    fn map_mapping(&mut self, m: &Mapping) -> (u32, i64) {
        let size = m.limit.wrapping_sub(m.start);
        let size = size.wrapping_add(0xfff) & !0xfff;
        let id = if !m.build_id.is_empty() {
            m.build_id.clone()
        } else {
            m.file.clone()
        };
        let key = (size, m.offset, id);
        if let Some(&i) = self.mappings.get(&key) {
            let start = self.out.mappings[i as usize].start;
            return (i, start as i64 - m.start as i64);
        }
        let i = self.out.mappings.len() as u32;
        let mut nm = m.clone();
        nm.id = u64::from(i) + 1;
        self.out.mappings.push(nm);
        self.mappings.insert(key, i);
        (i, 0)
    }

    fn map_function(&mut self, f: &Function) -> u32 {
        let key = (
            f.start_line,
            f.name.clone(),
            f.system_name.clone(),
            f.filename.clone(),
        );
        if let Some(&i) = self.functions.get(&key) {
            return i;
        }
        let i = self.out.functions.len() as u32;
        let mut nf = f.clone();
        nf.id = u64::from(i) + 1;
        self.out.functions.push(nf);
        self.functions.insert(key, i);
        i
    }
}

/// Merges profiles into one (pprof's `Merge`): headers combined, equal
/// samples added, all-zero samples dropped. The first profile's first
/// mapping stays the main binary.
pub fn merge(srcs: &[Profile]) -> Result<Profile, String> {
    let first = srcs.first().ok_or("no profiles to merge")?;
    for s in &srcs[1..] {
        compatible(first, s)?;
    }
    let mut time_nanos = 0i64;
    let mut duration = 0i64;
    let mut period = 0i64;
    let mut comments: Vec<String> = Vec::new();
    let mut default_sample_type = String::new();
    for s in srcs {
        if time_nanos == 0 || s.time_nanos < time_nanos {
            time_nanos = s.time_nanos;
        }
        duration = duration.wrapping_add(s.duration_nanos);
        if period == 0 || period < s.period {
            period = s.period;
        }
        for c in &s.comments {
            if !comments.contains(c) {
                comments.push(c.clone());
            }
        }
        if default_sample_type.is_empty() {
            default_sample_type = s.default_sample_type.clone();
        }
    }
    let mut m = Merger {
        out: Profile {
            strings: vec![String::new()],
            sample_types: first.sample_types.clone(),
            drop_frames: first.drop_frames.clone(),
            keep_frames: first.keep_frames.clone(),
            time_nanos,
            duration_nanos: duration,
            period_type: first.period_type.clone(),
            period,
            comments,
            default_sample_type,
            doc_url: srcs
                .iter()
                .map(|s| s.doc_url.as_str())
                .find(|u| !u.is_empty())
                .unwrap_or_default()
                .to_string(),
            ..Default::default()
        },
        strings: HashMap::from([(String::new(), 0)]),
        samples: HashMap::new(),
        locations: HashMap::new(),
        functions: HashMap::new(),
        mappings: HashMap::new(),
    };
    for src in srcs {
        let mut mapping_map: HashMap<usize, (u32, i64)> = HashMap::new();
        if m.out.mappings.is_empty() {
            if let Some(m0) = src.mappings.first() {
                let r = m.map_mapping(m0);
                mapping_map.insert(0, r);
            }
        }
        let mut location_map: HashMap<u32, u32> = HashMap::new();
        for s in &src.samples {
            if s.values.iter().all(|&v| v == 0) {
                continue;
            }
            let mut locs = Vec::with_capacity(s.locations.len());
            for &l in s.locations.ids().iter() {
                if let Some(&nl) = location_map.get(&l) {
                    locs.push(nl);
                    continue;
                }
                let loc = &src.locations[l as usize];
                let (mapping, offset) = match loc.mapping {
                    Some(mi) => {
                        let r = match mapping_map.get(&(mi as usize)) {
                            Some(&r) => r,
                            None => {
                                let r = m.map_mapping(&src.mappings[mi as usize]);
                                mapping_map.insert(mi as usize, r);
                                r
                            }
                        };
                        (Some(r.0), r.1)
                    }
                    None => (None, 0),
                };
                let address = (loc.address as i64).wrapping_add(offset) as u64;
                let lines: Vec<Line> = loc
                    .lines
                    .iter()
                    .map(|ln| Line {
                        function: m.map_function(&src.functions[ln.function as usize]),
                        line: ln.line,
                        column: ln.column,
                    })
                    .collect();
                let key_addr = match mapping {
                    Some(mi) => address.wrapping_sub(m.out.mappings[mi as usize].start),
                    None => address,
                };
                let key = (
                    key_addr,
                    mapping,
                    lines
                        .iter()
                        .map(|l| (l.function, l.line, l.column))
                        .collect(),
                    loc.is_folded,
                );
                let nl = match m.locations.get(&key) {
                    Some(&i) => i,
                    None => {
                        let i = m.out.locations.len() as u32;
                        m.out.locations.push(Location {
                            id: u64::from(i) + 1,
                            mapping,
                            address,
                            lines,
                            is_folded: loc.is_folded,
                        });
                        m.locations.insert(key, i);
                        i
                    }
                };
                location_map.insert(l, nl);
                locs.push(nl);
            }
            let mut label_groups: Vec<(String, Vec<String>)> = Vec::new();
            for &(k, v) in &s.labels {
                let (k, v) = (src.str(k).to_string(), src.str(v).to_string());
                match label_groups.iter_mut().find(|g| g.0 == k) {
                    Some(g) => g.1.push(v),
                    None => label_groups.push((k, vec![v])),
                }
            }
            let mut num_groups: Vec<(String, Vec<i64>, Vec<String>)> = Vec::new();
            for nl in &s.num_labels {
                let (k, u) = (src.str(nl.key).to_string(), src.str(nl.unit).to_string());
                match num_groups.iter_mut().find(|g| g.0 == k) {
                    Some(g) => {
                        g.1.push(nl.value);
                        g.2.push(u);
                    }
                    None => num_groups.push((k, vec![nl.value], vec![u])),
                }
            }
            let mut sorted_labels = label_groups.clone();
            sorted_labels.sort();
            let mut sorted_nums = num_groups.clone();
            sorted_nums.sort();
            let key = SampleKey {
                locations: locs.clone(),
                labels: sorted_labels,
                num_labels: sorted_nums,
            };
            match m.samples.get(&key) {
                Some(&i) => {
                    for (a, b) in m.out.samples[i].values.iter_mut().zip(&s.values) {
                        *a = a.wrapping_add(*b);
                    }
                }
                None => {
                    let mut labels = Vec::new();
                    for (k, vs) in &label_groups {
                        let k = m.intern(k);
                        for v in vs {
                            let v = m.intern(v);
                            labels.push((k, v));
                        }
                    }
                    let mut num_labels = Vec::new();
                    for (k, vs, us) in &num_groups {
                        let k = m.intern(k);
                        for (v, u) in vs.iter().zip(us) {
                            let unit = m.intern(u);
                            num_labels.push(NumLabel {
                                key: k,
                                value: *v,
                                unit,
                            });
                        }
                    }
                    m.samples.insert(key, m.out.samples.len());
                    m.out.samples.push(Sample {
                        locations: locs.into(),
                        values: s.values.clone(),
                        labels: labels.into(),
                        num_labels: num_labels.into(),
                    });
                }
            }
        }
    }
    m.out.samples.retain(|s| s.values.iter().any(|&v| v != 0));
    Ok(m.out)
}

/// pprof's `CompatibilizeSampleTypes`: keeps only the sample types every
/// profile has, in the first profile's order (values reordered to match);
/// the default sample type falls back to the first kept one.
pub fn compatibilize_sample_types(profiles: &mut [Profile]) -> Result<(), String> {
    let Some(first) = profiles.first() else {
        return Ok(());
    };
    let common: Vec<String> = first
        .sample_types
        .iter()
        .map(|t| t.kind.clone())
        .filter(|k| {
            profiles
                .iter()
                .all(|p| p.sample_types.iter().any(|t| &t.kind == k))
        })
        .collect();
    if common.is_empty() {
        return Err("profiles have empty common sample type list".into());
    }
    for p in profiles.iter_mut() {
        let remap: Vec<usize> = common
            .iter()
            .map(|k| {
                p.sample_types
                    .iter()
                    .position(|t| &t.kind == k)
                    .unwrap_or(0)
            })
            .collect();
        let unchanged = remap.iter().enumerate().all(|(i, &j)| i == j);
        if unchanged && common.len() == p.sample_types.len() {
            continue;
        }
        if !common.contains(&p.default_sample_type) {
            p.default_sample_type = common[0].clone();
        }
        p.sample_types = remap.iter().map(|&j| p.sample_types[j].clone()).collect();
        for s in &mut p.samples {
            s.values = remap.iter().map(|&j| s.values[j]).collect();
        }
    }
    Ok(())
}

/// pprof's `combineProfiles`: sample types made compatible, units scaled
/// to common ones, then merged (one profile is left as it is).
fn combine_profiles(mut profiles: Vec<Profile>) -> Result<Profile, String> {
    compatibilize_sample_types(&mut profiles)?;
    scale_profiles(&mut profiles)?;
    if profiles.len() == 1 {
        return Ok(profiles.pop().expect("one profile"));
    }
    merge(&profiles)
}

/// pprof's source/base combination: `sources` combined; with bases, the
/// combined base (normalized to, marked for `-diff_base`, negated)
/// combined with it.
pub fn combine(
    sources: Vec<Profile>,
    bases: Vec<Profile>,
    diff_base: bool,
    normalize_to_base: bool,
) -> Result<Profile, String> {
    let mut p = combine_profiles(sources)?;
    if bases.is_empty() {
        if normalize_to_base {
            return Err("must have base profile to normalize by".into());
        }
        return Ok(p);
    }
    let mut base = combine_profiles(bases)?;
    if diff_base {
        set_label(&mut base, "pprof::base", "true");
    }
    if normalize_to_base {
        normalize(&mut p, &base)?;
    }
    let negate = vec![-1.0; base.sample_types.len()];
    scale_n(&mut base, &negate);
    combine_profiles(vec![p, base])
}
