//! Any bytes through the whole report pipeline: decode, drop frames,
//! graph, trimming, `-top`, `-dot` and the embedded layout.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pprof_graph::fuzz::pipeline(data));
