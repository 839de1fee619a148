//! `-flamegraph`: the samples as a tree of frames (callers above callees,
//! each with its value), fully resolved for [`crate::render`] to draw. On a
//! comparison (`-base`, `-diff_base`) each frame keeps what it had before
//! and after apart, as pprof's flame graph does, so the drawing can show
//! the change.

use super::{FrameNames, Palette, Report};
use std::collections::HashMap;

/// One frame of the call tree.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The function (the root's name is `all (TOTAL)`).
    pub name: String,
    /// Its width: the samples through it (on a comparison, what it had
    /// before plus what it has after).
    pub value: i64,
    /// The value in the display unit (on a comparison, `before → after`).
    pub value_label: String,
    /// On a comparison: the base's samples through it (as a positive
    /// number), and the newer profile's.
    pub before: i64,
    /// See `before`.
    pub after: i64,
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
    /// A comparison: frames show their change.
    pub diff: bool,
    /// Colours of growth and shrinkage.
    pub palette: Palette,
}

/// The call tree of the report's samples (after filters and granularity).
fn tree(rpt: &Report) -> Vec<Frame> {
    let mut frames = vec![Frame {
        name: String::new(),
        value: 0,
        value_label: String::new(),
        before: 0,
        after: 0,
        children: Vec::new(),
    }];
    let mut index: HashMap<(usize, String), usize> = HashMap::new();
    let mut names = FrameNames::new();
    for s in &rpt.prof.samples {
        let v = rpt.sample_value(&s.values);
        if v == 0 {
            continue;
        }
        let (before, after) = if v < 0 { (-v, 0) } else { (0, v) };
        let v = v.wrapping_abs();
        frames[0].value += v;
        frames[0].before += before;
        frames[0].after += after;
        let mut cur = 0;
        for name in rpt.frame_names(s, &mut names).into_iter().rev() {
            let next = match index.get(&(cur, name.clone())) {
                Some(&f) => f,
                None => {
                    frames.push(Frame {
                        name: name.clone(),
                        value: 0,
                        value_label: String::new(),
                        before: 0,
                        after: 0,
                        children: Vec::new(),
                    });
                    let f = frames.len() - 1;
                    frames[cur].children.push(f);
                    index.insert((cur, name), f);
                    f
                }
            };
            frames[next].value += v;
            frames[next].before += before;
            frames[next].after += after;
            cur = next;
        }
    }
    frames
}

/// The flame graph of the report's samples (after filters and
/// granularity).
pub fn build(rpt: &Report) -> FlameGraph {
    let mut frames = tree(rpt);
    let diff = frames.iter().any(|f| f.before != 0);
    for f in &mut frames {
        f.value_label = if diff {
            format!(
                "{} → {}",
                rpt.format_value(f.before),
                rpt.format_value(f.after)
            )
        } else {
            rpt.format_value(f.value)
        };
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
        diff,
        palette: rpt.palette,
    }
}
