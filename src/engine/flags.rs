//! Flags: the report flags every front end shares, generated from the
//! command and option tables plus the input and picture flags defined
//! here, each with its help and its effect; pprof's single-dash spellings
//! and GNU ones; and the parse of a front end's command line into
//! [`Settings`].

use super::commands::{self, CommandDef, COMMANDS};
use super::options::{self, ValueKind, OPTIONS, SAMPLE_SHORTHANDS};
use super::{Invocation, RenderOptions, Settings};
use crate::render::{graphviz, raster, Renderer};
use crate::report::{Config, Granularity};
use crate::source::{self, fetch::FetchOptions, SourceOptions};
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::path::PathBuf;

/// Whether a flag takes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    /// A boolean: `-flag`, `-flag=false`.
    Switch,
    /// Takes a value: `-flag=v`, `-flag v`, `--flag v`.
    Value,
    /// Takes a value and may be repeated.
    Values,
}

/// One flag of a command line.
#[derive(Clone, Debug)]
pub struct FlagDef {
    /// The long name (pprof's spelling).
    pub name: &'static str,
    /// A short alias, if any.
    pub short: Option<char>,
    /// Switch or value.
    pub arity: Arity,
    /// Placeholder of the value in help.
    pub value_name: &'static str,
    /// Help-screen section.
    pub heading: &'static str,
    /// One-line help.
    pub help: &'static str,
}

impl FlagDef {
    /// A boolean flag.
    pub const fn switch(name: &'static str, heading: &'static str, help: &'static str) -> Self {
        FlagDef {
            name,
            short: None,
            arity: Arity::Switch,
            value_name: "",
            heading,
            help,
        }
    }

    /// A flag with a value.
    pub const fn value(
        name: &'static str,
        value_name: &'static str,
        heading: &'static str,
        help: &'static str,
    ) -> Self {
        FlagDef {
            name,
            short: None,
            arity: Arity::Value,
            value_name,
            heading,
            help,
        }
    }
}

/// Help section of the output flags.
pub const OUTPUT: &str = "Output formats";
/// Help section of the input flags.
pub const INPUT: &str = "Input";
/// Help section of the comparison flags.
pub const COMPARE: &str = "Comparing profiles";

/// The input, comparison and picture flags (their effects are in
/// [`resolve`]).
const SOURCE_AND_RENDER_FLAGS: &[FlagDef] = &[
    FlagDef {
        name: "output",
        short: Some('o'),
        arity: Arity::Value,
        value_name: "FILE",
        heading: OUTPUT,
        help: "Write the report to FILE (atomically); the format follows its extension when no format flag is given",
    },
    FlagDef::value("renderer", "NAME", OUTPUT, "Who draws -svg/-png: embedded (default, needs nothing installed) or graphviz"),
    FlagDef::value("dot-path", "PATH", OUTPUT, "The graphviz `dot` program for --renderer graphviz (default: dot)"),
    FlagDef::value("dot-timeout", "SECONDS", OUTPUT, "Longest time graphviz may take (default 60)"),
    FlagDef::value("max-png-pixels", "N", OUTPUT, "Refuse PNGs larger than N pixels (default 100000000)"),
    FlagDef::value("symbolize", "MODE", INPUT, "none: keep names exactly as recorded"),
    FlagDef::switch("all_frames", INPUT, "Ignore the profile's drop_frames and keep_frames patterns"),
    FlagDef::value("seconds", "N", INPUT, "For URLs: ask for an N-second profile (seconds=N)"),
    FlagDef::value("timeout", "SECONDS", INPUT, "For URLs: give up after this long (default 60, plus -seconds)"),
    FlagDef::value("save", "FILE", INPUT, "For URLs: also keep the fetched profile in FILE"),
    FlagDef::value("max-decompressed-size", "BYTES", INPUT, "Refuse profiles larger than BYTES once decompressed (default 2 GiB)"),
    FlagDef {
        name: "base",
        short: None,
        arity: Arity::Values,
        value_name: "PROFILE",
        heading: COMPARE,
        help: "Subtract this profile (repeatable): show what changed",
    },
    FlagDef {
        name: "diff_base",
        short: None,
        arity: Arity::Values,
        value_name: "PROFILE",
        heading: COMPARE,
        help: "Like -base, with percentages of the base and growth in red, shrinkage in green",
    },
    FlagDef::switch("normalize", COMPARE, "Scale the profile to the base's totals before subtracting"),
];

/// Every report flag: one per command, per option (one per choice where
/// the choices are flags), per sample shorthand, and the input, comparison
/// and picture flags.
fn report_flags() -> Vec<FlagDef> {
    let mut out = Vec::new();
    for c in COMMANDS {
        out.push(if c.takes_regex {
            FlagDef::value(c.name, "REGEX", OUTPUT, c.help)
        } else {
            FlagDef::switch(c.name, OUTPUT, c.help)
        });
    }
    for o in OPTIONS {
        match o.kind {
            ValueKind::Choice(cs) if o.choice_flags => {
                out.extend(cs.iter().map(|(c, h)| FlagDef::switch(c, o.heading, h)));
            }
            ValueKind::Bool => out.push(FlagDef::switch(o.name, o.heading, o.help)),
            _ => out.push(FlagDef::value(o.name, o.value_name, o.heading, o.help)),
        }
    }
    for (name, _, _, help) in SAMPLE_SHORTHANDS {
        out.push(FlagDef::switch(name, options::SAMPLE, help));
    }
    out.extend(SOURCE_AND_RENDER_FLAGS.iter().cloned());
    out
}

/// Rewrites pprof's single-dash long flags (`-nodefraction=0`, `-focus
/// REGEX`) into clap's double-dash form. A flag that is not in `flags` is
/// an error naming it whole (`unknown flag -peek`).
pub fn normalize(args: Vec<String>, flags: &[FlagDef]) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(args.len());
    let mut rest = false;
    let mut value_next = false;
    for a in args {
        if rest || value_next || a == "-" || !a.starts_with('-') {
            value_next = false;
            out.push(a);
            continue;
        }
        if a == "--" {
            rest = true;
            out.push(a);
            continue;
        }
        let body = a.trim_start_matches('-');
        let (name, has_value) = match body.split_once('=') {
            Some((n, _)) => (n, true),
            None => (body, false),
        };
        if matches!(name, "help" | "h" | "version") {
            out.push(a);
            continue;
        }
        let flag = flags.iter().find(|f| {
            same_name(f.name, name)
                || (name.len() == 1
                    && f.short
                        .and_then(|s| name.chars().next().filter(|c| *c == s))
                        .is_some())
        });
        let Some(flag) = flag else {
            let dashes = &a[..a.len() - body.len()];
            return Err(format!("unknown flag {dashes}{name}"));
        };
        value_next = flag.arity != Arity::Switch && !has_value;
        out.push(if name.len() == 1 {
            a
        } else {
            format!("--{}{}", flag.name, &body[name.len()..])
        });
    }
    Ok(out)
}

/// Whether two flag names are one: `_` and `-` inside a name are the same
/// (`-no_browser`, `--no-browser`).
fn same_name(a: &str, b: &str) -> bool {
    let sep = |c: u8| c == b'_' || c == b'-';
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| x == y || (sep(x) && sep(y)))
}

/// A front end's command line: its name, help, positional argument and
/// the flags it has beyond the report flags.
pub struct CommandLine {
    /// The program as help and errors name it (`pprof-graph batch`).
    pub name: &'static str,
    /// One-paragraph help.
    pub about: &'static str,
    /// The usage lines.
    pub usage: &'static str,
    /// The positional argument: id, placeholder, help.
    pub positional: (&'static str, &'static str, &'static str),
    /// Flags of this front end only.
    pub own_flags: &'static [FlagDef],
}

/// How parsing a command line ended without matches: help was printed
/// (status 0), or a one-line error (status 2).
pub struct Exit {
    /// The one-line message, if it is an error.
    pub message: Option<String>,
    /// Process exit status.
    pub code: i32,
}

impl CommandLine {
    /// A command line named `name` (help: `about`, `usage`), with its
    /// positional argument (id, placeholder, help) and its own flags.
    pub const fn new(
        name: &'static str,
        about: &'static str,
        usage: &'static str,
        positional: (&'static str, &'static str, &'static str),
        own_flags: &'static [FlagDef],
    ) -> Self {
        CommandLine {
            name,
            about,
            usage,
            positional,
            own_flags,
        }
    }

    /// The report flags and this front end's own.
    pub fn flags(&self) -> Vec<FlagDef> {
        let mut all = report_flags();
        all.extend(self.own_flags.iter().cloned());
        all
    }

    /// The clap command, built from [`CommandLine::flags`].
    fn command(&self, flags: &[FlagDef]) -> Command {
        let (id, value_name, help) = self.positional;
        let mut cmd = Command::new(self.name)
            .about(self.about)
            .override_usage(self.usage)
            .args_override_self(true)
            .arg(
                Arg::new(id)
                    .value_name(value_name)
                    .help(help)
                    .required(true)
                    .num_args(1..)
                    .action(ArgAction::Append),
            );
        for f in flags {
            cmd = cmd.arg(clap_arg(f));
        }
        cmd
    }

    /// Parses `args` (without the program name). Help prints and returns
    /// status 0; errors come back as one line.
    pub fn parse(&self, args: Vec<String>) -> Result<ArgMatches, Exit> {
        let flags = self.flags();
        let args = normalize(args, &flags).map_err(|m| Exit {
            message: Some(m),
            code: 2,
        })?;
        self.command(&flags)
            .try_get_matches_from(std::iter::once(self.name.to_string()).chain(args))
            .map_err(|e| {
                if !e.use_stderr() {
                    let _ = e.print();
                    return Exit {
                        message: None,
                        code: 0,
                    };
                }
                // clap's first line, and what it lists on the next when the
                // first ends in a colon: one line in all.
                let text = e.to_string();
                let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
                let first = lines.next().unwrap_or("");
                let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
                if message.ends_with(':') {
                    if let Some(next) = lines.next() {
                        message = format!("{message} {next}");
                    }
                }
                Exit {
                    message: Some(message),
                    code: 2,
                }
            })
    }

    /// Parses `args` and runs `body` on the matches; prints any error as
    /// one line after the program's name and returns the exit status.
    pub fn run(
        &self,
        args: Vec<String>,
        body: impl FnOnce(&ArgMatches) -> Result<i32, String>,
    ) -> i32 {
        let result = self
            .parse(args)
            .map_err(|e| (e.message, e.code))
            .and_then(|m| body(&m).map_err(|e| (Some(e), 1)));
        match result {
            Ok(code) => code,
            Err((message, code)) => {
                if let Some(m) = message {
                    eprintln!("{}: {m}", self.name);
                }
                code
            }
        }
    }
}

/// The clap argument of one flag.
fn clap_arg(f: &FlagDef) -> Arg {
    let mut arg = Arg::new(f.name)
        .long(f.name)
        .help(f.help)
        .help_heading(f.heading);
    if let Some(s) = f.short {
        arg = arg.short(s);
    }
    match f.arity {
        Arity::Switch => arg
            .num_args(0..=1)
            .require_equals(true)
            .default_missing_value("true")
            .value_name("BOOL")
            .action(ArgAction::Set),
        Arity::Value => arg
            .num_args(1)
            .value_name(f.value_name)
            .allow_hyphen_values(true)
            .action(ArgAction::Set),
        Arity::Values => arg
            .num_args(1)
            .value_name(f.value_name)
            .allow_hyphen_values(true)
            .action(ArgAction::Append),
    }
}

/// A flag's value as given, if it was.
pub fn get(m: &ArgMatches, name: &str) -> Option<String> {
    m.try_get_one::<String>(name).ok().flatten().cloned()
}

/// A switch: given (as true), given as false, or absent (false).
pub fn get_bool(m: &ArgMatches, name: &str) -> Result<bool, String> {
    match get(m, name) {
        None => Ok(false),
        Some(v) => {
            options::parse_bool(&v).map_err(|_| format!("invalid value {v:?} for flag -{name}"))
        }
    }
}

/// Every value of a repeatable flag, or of the positional argument.
fn get_all(m: &ArgMatches, name: &str) -> Vec<String> {
    m.try_get_many::<String>(name)
        .ok()
        .flatten()
        .map(|v| v.cloned().collect())
        .unwrap_or_default()
}

/// A flag's value parsed as `T`.
fn get_parsed<T: std::str::FromStr>(m: &ArgMatches, name: &str) -> Result<Option<T>, String> {
    match get(m, name) {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse::<T>()
            .map(Some)
            .map_err(|_| format!("invalid value {s:?} for flag -{name}")),
    }
}

/// Resolves the report flags of `m` (and the positional argument `inputs`)
/// into [`Settings`]; warnings go to `warn`.
pub fn resolve(
    m: &ArgMatches,
    inputs: &str,
    warn: &mut dyn FnMut(String),
) -> Result<Settings, String> {
    let report = resolve_report(m, warn)?;
    let commands = resolve_commands(m)?;
    let output = get(m, "output").map(PathBuf::from);
    Ok(Settings {
        report,
        commands,
        output,
        sources: resolve_sources(m, get_all(m, inputs))?,
        render: resolve_render(m)?,
    })
}

/// The commands given, in table order, with their regexes.
fn resolve_commands(m: &ArgMatches) -> Result<Vec<Invocation>, String> {
    let mut out = Vec::new();
    for c in COMMANDS {
        if c.takes_regex {
            if let Some(re) = get(m, c.name) {
                out.push(Invocation::new(c, Some(&re))?);
            }
        } else if get_bool(m, c.name)? {
            out.push(Invocation::new(c, None)?);
        }
    }
    Ok(out)
}

fn resolve_report(m: &ArgMatches, warn: &mut dyn FnMut(String)) -> Result<Config, String> {
    let mut cfg = Config::default();
    for o in OPTIONS {
        match o.kind {
            ValueKind::Choice(cs) if o.choice_flags => {
                let mut given = Vec::new();
                for (c, _) in cs {
                    if get_bool(m, c)? {
                        given.push(*c);
                    }
                }
                if given.len() > 1 {
                    return Err(format!("conflicting options set: [{}]", given.join(" ")));
                }
                if let Some(c) = given.first() {
                    (o.set)(&mut cfg, options::Value::Text(c.to_string()));
                }
            }
            _ => {
                if let Some(raw) = get(m, o.name) {
                    let v = o.parse(&raw, &format!("flag -{}", o.name))?;
                    (o.set)(&mut cfg, v);
                }
            }
        }
    }
    for (flag, index, mean, _) in SAMPLE_SHORTHANDS {
        if !get_bool(m, flag)? {
            continue;
        }
        if cfg.sample_index.is_empty() {
            cfg.sample_index = index.to_string();
            cfg.mean |= mean;
        } else {
            warn(format!("Multiple value selections, ignoring -{flag}"));
        }
    }
    debug_assert!(Granularity::from_name(cfg.granularity.name()).is_some());
    Ok(cfg)
}

fn resolve_sources(m: &ArgMatches, mut inputs: Vec<String>) -> Result<SourceOptions, String> {
    // pprof's `[binary] source`: of two or more arguments, the first is
    // the binary when it is an object file.
    let binary =
        (inputs.len() > 1 && source::binary::is_object_file(&inputs[0])).then(|| inputs.remove(0));
    let (base, diff) = (get_all(m, "base"), get_all(m, "diff_base"));
    if !base.is_empty() && !diff.is_empty() {
        return Err("-base and -diff_base flags cannot both be specified".into());
    }
    let diff_base = !diff.is_empty();
    let defaults = SourceOptions::default();
    let max_decompressed =
        get_parsed::<u64>(m, "max-decompressed-size")?.unwrap_or(defaults.max_decompressed);
    Ok(SourceOptions {
        inputs,
        binary,
        bases: if diff_base { diff } else { base },
        diff_base,
        normalize: get_bool(m, "normalize")?,
        all_frames: get_bool(m, "all_frames")?,
        symbolize: !matches!(
            get(m, "symbolize").map(|s| s.to_lowercase()).as_deref(),
            Some("none" | "no")
        ),
        max_decompressed,
        fetch: FetchOptions {
            timeout: std::time::Duration::from_secs(
                get_parsed::<u64>(m, "timeout")?.unwrap_or(defaults.fetch.timeout.as_secs()),
            ),
            seconds: get_parsed::<u64>(m, "seconds")?,
            max_bytes: max_decompressed,
        },
        save: get(m, "save").map(PathBuf::from),
    })
}

fn resolve_render(m: &ArgMatches) -> Result<RenderOptions, String> {
    let renderer = match get(m, "renderer").as_deref() {
        None | Some("embedded") => Renderer::Embedded,
        Some("graphviz") => Renderer::Graphviz {
            path: get(m, "dot-path").unwrap_or_else(|| "dot".to_string()),
            timeout: std::time::Duration::from_secs(
                get_parsed::<u64>(m, "dot-timeout")?.unwrap_or(graphviz::DEFAULT_TIMEOUT.as_secs()),
            ),
        },
        Some(other) => {
            return Err(format!(
                "unknown renderer {other:?}: use embedded or graphviz"
            ))
        }
    };
    Ok(RenderOptions {
        renderer,
        max_png_pixels: get_parsed::<u64>(m, "max-png-pixels")?
            .unwrap_or(raster::DEFAULT_MAX_PIXELS),
    })
}

/// The one command of a one-shot run: at most one given, else the one
/// the output file's extension names, else `top`.
pub fn single_command(s: &Settings) -> Result<Invocation, String> {
    match s.commands.as_slice() {
        [] => {
            let by_name = s
                .output
                .as_ref()
                .and_then(|o| o.file_name())
                .and_then(|n| commands::for_file_name(&n.to_string_lossy()));
            let def: &'static CommandDef = by_name.unwrap_or(&COMMANDS[0]);
            Invocation::new(def, None)
        }
        [one] => Ok(one.clone()),
        _ => Err("must set at most one output format".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_flags_are_named_whole() {
        let flags = report_flags();
        let n = |a: &[&str]| normalize(a.iter().map(|s| s.to_string()).collect(), &flags);
        assert_eq!(n(&["-disasm=x", "p"]).unwrap_err(), "unknown flag -disasm");
        assert_eq!(
            n(&["--summary", "x"]).unwrap_err(),
            "unknown flag --summary"
        );
        assert_eq!(
            n(&["-focus", "-x", "-nodefraction=0", "-o", "f", "p"]).unwrap(),
            vec!["--focus", "-x", "--nodefraction=0", "-o", "f", "p"]
        );
    }

    const TEST_LINE: CommandLine = CommandLine::new("t", "", "", ("p", "P", ""), &[]);

    #[test]
    fn every_option_round_trips_through_its_flag() {
        for o in OPTIONS {
            let v = options::sample_value(o);
            let flag = match o.kind {
                ValueKind::Choice(_) if o.choice_flags => format!("-{v}"),
                _ => format!("-{}={v}", o.name),
            };
            let m = TEST_LINE
                .parse(vec![flag.clone(), "p".into()])
                .unwrap_or_else(|e| panic!("{flag}: {:?}", e.message));
            let s = resolve(&m, "p", &mut |_| {}).unwrap();
            assert_eq!((o.get)(&s.report), v, "{flag}");
        }
    }

    #[test]
    fn every_flag_is_defined_once() {
        let flags = report_flags();
        for (i, a) in flags.iter().enumerate() {
            assert!(
                flags[i + 1..].iter().all(|b| b.name != a.name),
                "{}",
                a.name
            );
        }
    }
}
