//! pprof's `-tagroot` and `-tagleaf`: label values turned into frames, so
//! that a graph splits by label (`addLabelNodes`). For each sample, one
//! pseudo-frame per key, named by the sample's values of that key (numbers
//! in the display unit) in a "file" named by the key: the root keys above
//! the sample's stack (the first key outermost), the leaf keys below it.

use super::{Function, Line, Location, Profile, Sample};
use crate::base::units::scaled_label;
use std::collections::HashMap;

/// The values of label `key` in `s`: its strings, then its numbers
/// (scaled to `unit` where the sample gives their units).
fn label_values(p: &Profile, s: &Sample, key: &str, unit: &str) -> Vec<String> {
    let mut values: Vec<String> = s
        .labels
        .iter()
        .filter(|(k, _)| p.str(*k) == key)
        .map(|&(_, v)| p.str(v).to_string())
        .collect();
    let nums: Vec<_> = s
        .num_labels
        .iter()
        .filter(|n| p.str(n.key) == key)
        .collect();
    let with_units = nums.iter().any(|n| !p.str(n.unit).is_empty());
    for n in nums {
        values.push(if with_units {
            scaled_label(n.value, p.str(n.unit), unit)
        } else {
            scaled_label(n.value, "", "")
        });
    }
    values
}

/// Adds the label frames of `root_keys` and `leaf_keys` to every sample;
/// returns whether any sample had a value for a root key, and for a leaf
/// key. Numbers are shown in `unit` (`-unit`).
pub fn add_label_nodes(
    p: &mut Profile,
    root_keys: &[&str],
    leaf_keys: &[&str],
    unit: &str,
) -> (bool, bool) {
    let mut next_loc = p.locations.iter().map(|l| l.id).max().unwrap_or(0) + 1;
    let mut next_fn = p.functions.iter().map(|f| f.id).max().unwrap_or(0) + 1;
    let mut interned: HashMap<(String, String), u32> = HashMap::new();
    let (mut root_matched, mut leaf_matched) = (false, false);
    for si in 0..p.samples.len() {
        let mut frames = |keys: &[&str], matched: &mut bool, p: &mut Profile| -> Vec<u32> {
            let mut out = Vec::new();
            for key in keys.iter().rev() {
                let values = label_values(p, &p.samples[si], key, unit);
                *matched |= !values.is_empty();
                let name = values.join(",");
                let loc = *interned
                    .entry((name.clone(), key.to_string()))
                    .or_insert_with(|| {
                        p.functions.push(Function {
                            id: next_fn,
                            name,
                            filename: key.to_string(),
                            ..Default::default()
                        });
                        next_fn += 1;
                        p.locations.push(Location {
                            id: next_loc,
                            lines: vec![Line {
                                function: (p.functions.len() - 1) as u32,
                                line: 0,
                                column: 0,
                            }],
                            ..Default::default()
                        });
                        next_loc += 1;
                        (p.locations.len() - 1) as u32
                    });
                out.push(loc);
            }
            out
        };
        let roots = frames(root_keys, &mut root_matched, p);
        let leaves = frames(leaf_keys, &mut leaf_matched, p);
        if roots.is_empty() && leaves.is_empty() {
            continue;
        }
        let s = &mut p.samples[si];
        let mut stack = leaves;
        stack.extend_from_slice(&s.locations.ids());
        stack.extend(roots);
        s.locations = stack.into();
    }
    (root_matched, leaf_matched)
}
