//! Picks the front end: `pprof-graph batch …`, `pprof-graph trend …`, or
//! the one-shot command line, which runs one report, the shell or the web
//! UI. The only module that knows every front end.

use crate::base::memory;
use crate::{batch, cli, shell, source, trend, web};

/// Runs the program on `args` (without the program name); returns the exit
/// status after printing errors and warnings.
pub fn run(args: Vec<String>) -> i32 {
    memory::small_pages_only();
    match args.first().map(String::as_str) {
        Some("batch") => return batch::run(args[1..].to_vec()),
        Some("trend") => return trend::run(args[1..].to_vec()),
        _ => {}
    }
    let mut warn = |w: String| eprintln!("{w}");
    let plan = match cli::parse(args, &mut warn) {
        Ok(p) => p,
        Err((line, code)) => {
            if let Some(l) = line {
                eprintln!("{l}");
            }
            return code;
        }
    };
    let s = &plan.settings;
    let loaded = source::load(&s.sources, &mut |e| eprintln!("{e}"));
    let prof = match loaded {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    memory::return_freed();
    match &plan.mode {
        cli::Mode::OneShot(inv) => match cli::run_once(prof, s, inv) {
            Ok(()) => 0,
            Err(e) => fail(&e),
        },
        cli::Mode::Shell => shell::run(prof, s),
        cli::Mode::Web {
            address,
            open_browser,
        } => match web::serve(prof, s, address, *open_browser) {
            Ok(()) => 0,
            Err(e) => fail(&e),
        },
    }
}

/// Prints an error as pprof does (the message alone) and returns pprof's
/// exit status for it.
fn fail(message: &str) -> i32 {
    eprintln!("{message}");
    2
}
