//! `-flamegraph`: the samples as a tree of frames (callers above callees,
//! each with its value), fully resolved for [`crate::render`] to draw.

use super::Report;
use crate::graph::node_info;
use std::collections::HashMap;

/// One frame of the call tree.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The function (the root's name is `all (TOTAL)`).
    pub name: String,
    /// Its value: the samples through it.
    pub value: i64,
    /// The value in the display unit.
    pub value_label: String,
    /// Indices of the frames it calls.
    pub children: Vec<usize>,
}

/// The flame graph of a report: `frames[0]` is the root.
#[derive(Clone, Debug)]
pub struct FlameGraph {
    /// `PROGRAM — TYPE`.
    pub title: String,
    /// Every frame, the root first.
    pub frames: Vec<Frame>,
}

/// The call tree of the report's samples (after filters and granularity).
fn tree(rpt: &Report) -> Vec<Frame> {
    let p = &rpt.prof;
    let mut frames = vec![Frame {
        name: String::new(),
        value: 0,
        value_label: String::new(),
        children: Vec::new(),
    }];
    let mut index: HashMap<(usize, String), usize> = HashMap::new();
    let mut names: HashMap<(u32, usize), String> = HashMap::new();
    for s in &p.samples {
        let mut v = s.values[rpt.sample_index];
        if let Some(m) = rpt.mean_index {
            if s.values[m] != 0 {
                v /= s.values[m];
            }
        }
        if v <= 0 {
            continue;
        }
        frames[0].value += v;
        let mut cur = 0;
        for &l in s.locations.iter().rev() {
            let n = p.locations[l as usize].lines.len();
            for i in (0..n.max(1)).rev() {
                let name = names
                    .entry((l, i))
                    .or_insert_with(|| {
                        node_info(p, l as usize, (n > 0).then_some(i), false).printable_name()
                    })
                    .clone();
                let next = match index.get(&(cur, name.clone())) {
                    Some(&f) => f,
                    None => {
                        frames.push(Frame {
                            name: name.clone(),
                            value: 0,
                            value_label: String::new(),
                            children: Vec::new(),
                        });
                        let f = frames.len() - 1;
                        frames[cur].children.push(f);
                        index.insert((cur, name), f);
                        f
                    }
                };
                frames[next].value += v;
                cur = next;
            }
        }
    }
    frames
}

/// The flame graph of the report's samples (after filters and
/// granularity).
pub fn build(rpt: &Report) -> FlameGraph {
    let mut frames = tree(rpt);
    for f in &mut frames {
        f.value_label = rpt.format_value(f.value);
    }
    frames[0].name = format!("all ({})", frames[0].value_label);
    let program = if rpt.title.is_empty() {
        "unnamed"
    } else {
        &rpt.title
    };
    FlameGraph {
        title: format!("{program} — {}", rpt.sample_type),
        frames,
    }
}
