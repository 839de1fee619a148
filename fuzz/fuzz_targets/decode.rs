//! Any bytes through the decoder: gzip, profile.proto, legacy formats.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pprof_graph::fuzz::decode(data));
