//! The `pprof-graph` binary: everything lives in the library; see
//! [`pprof_graph::app`].

// mimalloc: measured 30% faster end to end on large profiles than the system
// allocator (far fewer page faults while building millions of small vectors).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(pprof_graph::app::run(args));
}
