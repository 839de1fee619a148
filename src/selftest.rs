//! Any bytes through every stage (decode, drop frames, graph, `-top`,
//! `-dot`, layout) with small limits: what the fuzz targets run, and what
//! the regression test runs on the inputs the fuzzers kept.

use crate::profile::decode::{parse_with, Limits};
use crate::report::{dot, text, Config, Format, Report};

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
    if crate::cli::prepare(&mut prof, true).is_err() {
        return;
    }
    for format in [Format::Text, Format::Dot] {
        let cfg = Config {
            format,
            ..Config::default()
        };
        let Ok(mut rpt) = Report::new(prof.clone(), &cfg, &mut |_| {}) else {
            return;
        };
        match format {
            Format::Text => {
                let _ = text::render(&mut rpt);
            }
            Format::Dot => {
                let d = dot::build(&mut rpt);
                let _ = d.to_dot();
                let _ = crate::render::layout::layout(&d);
            }
        }
    }
}
