//! The one-shot command line, `pprof-graph [FLAGS] PROFILE…`: the report
//! flags of [`engine::flags`] plus the choice of front end (`-i`,
//! `-http`), resolved into a [`Plan`]; [`run_once`] writes one report.

use crate::base::write;
use crate::engine::flags::{self, CommandLine, FlagDef, OUTPUT};
use crate::engine::{self, Invocation, Settings};
use crate::profile::Profile;
use std::io::IsTerminal;

/// The flags only the one-shot command line has.
const FRONT_END_FLAGS: &[FlagDef] = &[
    FlagDef {
        name: "interactive",
        short: Some('i'),
        arity: flags::Arity::Switch,
        value_name: "",
        heading: OUTPUT,
        help: "Interactive shell (the default on a terminal with no output flag)",
    },
    FlagDef::value(
        "http",
        "[HOST]:PORT",
        OUTPUT,
        "Serve the web UI (graph, top, flame graph, source) on HOST:PORT (default host 127.0.0.1)",
    ),
    FlagDef::switch("no_browser", OUTPUT, "With -http: do not open a browser"),
];

/// Which front end runs.
#[derive(Clone, Debug)]
pub enum Mode {
    /// One report, written to `-o` or standard output.
    OneShot(Invocation),
    /// The interactive shell.
    Shell,
    /// The web UI on `address`.
    Web {
        /// `[host]:port` as given.
        address: String,
        /// Open a browser on it.
        open_browser: bool,
    },
}

/// A resolved command line: the settings and the front end.
pub struct Plan {
    /// The report flags.
    pub settings: Settings,
    /// What runs.
    pub mode: Mode,
}

/// The one-shot command line.
pub const COMMAND_LINE: CommandLine =
    CommandLine::new("pprof-graph", ABOUT, USAGE, ARGUMENT, FRONT_END_FLAGS);

const ABOUT: &str = "Render pprof profiles as call graphs and text reports, like `go tool pprof`, without Go or graphviz.";
const USAGE: &str = "pprof-graph [FLAGS] [BINARY] PROFILE\n       pprof-graph -top -nodefraction=0 -sample_index=alloc_space heap.pb.gz\n       pprof-graph batch DIR -o OUTDIR [FLAGS]\n       pprof-graph trend SNAPSHOTS [FLAGS]";
const ARGUMENT: (&str, &str, &str) = ("profile", "PROFILE", "Profile files (gzipped or raw profile.proto, a legacy format, or a Go heap dump as its retention; several are merged), http:// URLs, or - for standard input; an executable first is the binary (it names a heap dump's globals)");

/// Parses and resolves `args`; warnings go to `warn`. `Err` carries the
/// line to print (none after help) and the exit status: usage errors are
/// named as ours (`pprof-graph: unknown flag -x`), errors pprof defines
/// for the settings are printed as pprof prints them.
pub fn parse(
    args: Vec<String>,
    warn: &mut dyn FnMut(String),
) -> Result<Plan, (Option<String>, i32)> {
    let m = COMMAND_LINE.parse(args).map_err(|e| {
        let line = e.message.map(|m| format!("{}: {m}", COMMAND_LINE.name));
        (line, e.code)
    })?;
    resolve(&m, warn).map_err(|e| (Some(e), 2))
}

fn resolve(m: &clap::ArgMatches, warn: &mut dyn FnMut(String)) -> Result<Plan, String> {
    let settings = flags::resolve(m, "profile", warn)?;
    let mode = if let Some(address) = flags::get(m, "http") {
        Mode::Web {
            address,
            open_browser: !flags::get_bool(m, "no_browser")?,
        }
    } else if flags::get_bool(m, "interactive")?
        || (settings.commands.is_empty()
            && settings.output.is_none()
            && std::io::stdin().is_terminal()
            && std::io::stdout().is_terminal())
    {
        Mode::Shell
    } else {
        Mode::OneShot(flags::single_command(&settings)?)
    };
    Ok(Plan { settings, mode })
}

/// Writes the report `inv` asks for to `-o` or standard output.
pub fn run_once(prof: Profile, s: &Settings, inv: &Invocation) -> Result<(), String> {
    if inv.command.is_binary() && s.output.is_none() && std::io::stdout().is_terminal() {
        return Err(format!(
            "refusing to write a {} to the terminal: use -o FILE or a pipe",
            inv.command.name.to_uppercase()
        ));
    }
    let mut warn = |w: String| eprintln!("{w}");
    let mut rpt = engine::report(inv, prof, &s.report, &mut warn)?;
    let bytes = engine::produce(inv, &mut rpt, &s.render)?;
    match &s.output {
        None if !inv.command.viewers.is_empty() => {
            inv.command.show(&bytes)?;
        }
        Some(path) => {
            eprintln!("Generating report in {}", path.display());
            write::write_atomic(path, &bytes)?
        }
        None => write::write_stdout(&bytes)?,
    }
    // The process ends next: leave the (large) profile to the OS instead of
    // freeing it piece by piece.
    std::mem::forget(rpt);
    Ok(())
}
