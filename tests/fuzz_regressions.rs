//! Every input kept under `tests/data/fuzz` (crashes the fuzzers found, and
//! a sample of the inputs that reached new code) goes through the decoder
//! and the whole pipeline without a panic.

mod common;

#[test]
fn fuzz_inputs_do_not_panic() {
    let dir = common::data_dir().join("fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let data = std::fs::read(entry.path()).unwrap();
        pprof_graph::fuzz::decode(&data);
        pprof_graph::fuzz::pipeline(&data);
        n += 1;
    }
    assert!(n >= 20, "only {n} fuzz inputs");
}
