//! Any bytes through the whole report pipeline: decode, drop frames,
//! graph, trimming, `-top` and `-dot`, and the embedded layout.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pprof_graph::cli::prepare;
use pprof_graph::profile::decode::{parse_with, Limits};
use pprof_graph::render::layout::layout;
use pprof_graph::report::{dot, text, Config, Format, Report};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_decompressed: 1 << 22,
        max_samples: 20_000,
        max_locations: 20_000,
        max_strings: 20_000,
        max_stack_depth: 512,
    };
    let Ok(mut prof) = parse_with(data, &limits) else {
        return;
    };
    if prepare(&mut prof, true).is_err() {
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
                let _ = layout(&d);
            }
        }
    }
});
