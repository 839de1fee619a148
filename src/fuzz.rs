//! Any bytes through every stage (decode, prepare, graph, `-top`, `-dot`,
//! layout) with small limits: what the fuzz targets run, and what the
//! regression test runs on the inputs the fuzzers kept.

use crate::engine::{self, Invocation, RenderOptions};
use crate::profile::decode::{parse_with, Limits};
use crate::report::{dot, Config};
use crate::source;

/// Limits small enough that a fuzz input cannot make a run slow.
pub const FUZZ_LIMITS: Limits = Limits {
    max_decompressed: 1 << 22,
    max_samples: 20_000,
    max_locations: 20_000,
    max_strings: 20_000,
    max_stack_depth: 512,
};

/// Decodes `data` only.
pub fn decode(data: &[u8]) {
    let _ = parse_with(data, &FUZZ_LIMITS);
}

/// Runs `data` through the whole report pipeline; errors are fine,
/// panics are not.
pub fn pipeline(data: &[u8]) {
    let Ok(mut prof) = parse_with(data, &FUZZ_LIMITS) else {
        return;
    };
    if source::prepare(&mut prof, true, &mut |_| {}).is_err() {
        return;
    }
    let cfg = Config::default();
    for name in ["top", "dot"] {
        let inv = Invocation::plain(name);
        if name == "top" {
            let _ = engine::run(
                &inv,
                prof.clone(),
                &cfg,
                &RenderOptions::default(),
                &mut |_| {},
            );
            continue;
        }
        let Ok(mut rpt) = engine::report(&inv, prof.clone(), &cfg, &mut |_| {}) else {
            return;
        };
        let d = dot::build(&mut rpt);
        let _ = d.to_dot();
        let _ = crate::render::layout::layout(&crate::render::drawing::Drawing::from_dot(&d));
    }
}
