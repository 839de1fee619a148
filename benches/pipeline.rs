//! Stage timings of the pipeline on one profile (default: the 7 MB
//! biggraph heap profile of the shared corpus; `BENCH_PROFILE` overrides):
//! read, gunzip + protobuf decode (the floor), `-top`, `-dot`.

use pprof_graph::profile::decode;
use pprof_graph::report::{self, Config, Mode, Report};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f());
        v.push(t.elapsed());
    }
    median(v)
}

fn main() {
    let path = std::env::var("BENCH_PROFILE").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/profiles/gen/biggraph.heap.pb.gz"
        )
        .to_string()
    });
    let Ok(data) = std::fs::read(&path) else {
        eprintln!("bench: cannot read {path}; set BENCH_PROFILE to a profile");
        return;
    };
    let runs = 7;
    let decode_t = time(runs, || {
        decode::parse(&data, decode::DEFAULT_MAX_DECOMPRESSED).unwrap()
    });
    let prof = decode::parse(&data, decode::DEFAULT_MAX_DECOMPRESSED).unwrap();
    let report_time = |mode: Mode| {
        time(runs, || {
            let cfg = Config {
                mode,
                ..Config::default()
            };
            let mut rpt = Report::new(prof.clone(), &cfg, &mut |_| {}).unwrap();
            match mode {
                Mode::Text => report::text::render(&mut rpt),
                Mode::Graph => report::dot::render(&mut rpt),
            }
        })
    };
    let top_t = report_time(Mode::Text);
    let dot_t = report_time(Mode::Graph);
    println!("profile: {path} ({} bytes)", data.len());
    println!(
        "gunzip + decode (floor): {:>8.1} ms",
        decode_t.as_secs_f64() * 1e3
    );
    println!(
        "report -top (no decode): {:>8.1} ms",
        top_t.as_secs_f64() * 1e3
    );
    println!(
        "report -dot (no decode): {:>8.1} ms",
        dot_t.as_secs_f64() * 1e3
    );
}
