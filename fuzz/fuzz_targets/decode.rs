//! Any bytes through the decoder: gzip, profile.proto, legacy formats.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pprof_graph::profile::decode::{parse_with, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_decompressed: 1 << 24,
        max_samples: 100_000,
        max_locations: 100_000,
        max_strings: 100_000,
        max_stack_depth: 4096,
    };
    let _ = parse_with(data, &limits);
});
