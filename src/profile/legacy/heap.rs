//! Text heap profiles: Go's `/debug/pprof/heap?debug=1`, heapz, growthz
//! and fragmentationz, with their memory maps; Go's and heapz_v2 values are
//! unsampled as pprof does.

use super::common::*;
use super::LegacyError;
use crate::profile::{NumLabel, Profile, Sample};
use std::collections::HashMap;

pub(super) fn parse_heap(text: &str) -> Result<Profile, LegacyError> {
    let pt = patterns();
    let mut lines = text.lines();
    let first = lines.next().ok_or(LegacyError::Unrecognized)?;
    let mut p = Profile {
        strings: vec![String::new()],
        period_type: value_type("space", "bytes"),
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
    let vt = value_type;
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
            locations: locs.into(),
            values: values.into(),
            labels: Default::default(),
            num_labels: smallvec::smallvec![NumLabel {
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
pub(super) fn scale_heap_sample(count: i64, size: i64, rate: i64) -> (i64, i64) {
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
}
