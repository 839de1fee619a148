//! The interactive shell (`pprof-graph heap.out` on a terminal, or `-i`),
//! as pprof's: the profile's header and `Entering interactive mode` on
//! stderr, the prompt on stdout, reports on stdout and messages on
//! stderr; every command of the command table with pprof's arguments
//! (`top3 -cum Debugf`, `list RE`, `peek RE >file`), every option of the
//! option table as `name=value`, the sample-type shortcuts, `o`, `help`,
//! `quit`. Line editing and history on a terminal.

use crate::base::write;
use crate::engine::commands::{self, CommandDef, Picture, ReportKind, COMMANDS};
use crate::engine::options::{self, ValueKind, OPTIONS};
use crate::engine::{self, Invocation, Settings};
use crate::profile::Profile;
use crate::report::{Config, Granularity, Report};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Rows `top` and `text` show unless told otherwise.
const TOP_ROWS: i64 = 10;
/// What pprof puts after an option's value in `o`.
const COMMENT: &str = "//:";

/// The shell's state: the options as set so far and the output file.
struct Shell<'a> {
    prof: &'a Profile,
    settings: &'a Settings,
    cfg: Config,
    output: String,
}

/// What a line asks the shell to do next.
enum Flow {
    Continue,
    Quit,
}

fn say(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

impl Shell<'_> {
    /// The greeting: the profile's header lines, then how to get help.
    fn greet(&self) {
        let inv = Invocation::plain("top");
        if let Ok(rpt) = engine::report(&inv, self.prof.clone(), &self.cfg, &mut |_| {}) {
            say(&rpt.profile_labels().join("\n"));
            if rpt.total == 0 && self.prof.sample_types.len() > 1 {
                say("No samples were found with the default sample value type.");
                say("Try \"sample_index\" command to analyze different sample values.\n");
            }
        }
        say("Entering interactive mode (type \"help\" for commands, \"o\" for options)");
    }

    /// pprof's shortcuts: sample type names, `total_`/`mean_` ones, `:`.
    fn expand(&self, line: &str) -> Vec<String> {
        let line = line.trim();
        if line == ":" {
            return ["focus=", "ignore=", "hide=", "tagfocus=", "tagignore="]
                .map(str::to_string)
                .to_vec();
        }
        for t in &self.prof.sample_types {
            let set = format!("sample_index={}", t.kind);
            if line == t.kind {
                return vec![set];
            }
            if line.strip_prefix("total_") == Some(&t.kind) {
                return vec!["mean=0".into(), set];
            }
            if line.strip_prefix("mean_") == Some(&t.kind) {
                return vec!["mean=1".into(), set];
            }
        }
        vec![line.to_string()]
    }

    /// Runs one input line.
    fn line(&mut self, input: &str) -> Flow {
        for input in self.expand(input) {
            if let Flow::Quit = self.one(&input) {
                return Flow::Quit;
            }
        }
        Flow::Continue
    }

    fn one(&mut self, input: &str) -> Flow {
        let (name, value) = match input.split_once('=') {
            Some((n, v)) => {
                let v = v.find(COMMENT).map_or(v, |i| &v[..i]);
                (n.trim(), Some(v.trim()))
            }
            None => (input.trim(), None),
        };
        if options::is_configurable(name) || name == "output" {
            if value.is_none() && !options::is_bool_config(name) {
                say(&format!("please specify a value, e.g. {name}=<val>"));
            } else if let Err(e) = self.set(name, value.unwrap_or("")) {
                say(&e);
            }
            return Flow::Continue;
        }
        let tokens: Vec<&str> = input.split_whitespace().collect();
        match tokens.first().copied() {
            None => Flow::Continue,
            Some("o" | "options") => {
                say(&self.options());
                Flow::Continue
            }
            Some("exit" | "quit" | "q") => Flow::Quit,
            Some("help") => {
                say(&help(&tokens[1..].join(" ")));
                Flow::Continue
            }
            Some(_) => {
                if let Err(e) = self.report(&tokens) {
                    say(&e);
                }
                Flow::Continue
            }
        }
    }

    fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        if name == "output" {
            self.output = value.to_string();
            return Ok(());
        }
        if name == "sample_index" {
            let i = self.prof.sample_index_by_name(value)?;
            let kind = self.prof.sample_types[i].kind.clone();
            return options::configure(&mut self.cfg, name, &kind);
        }
        options::configure(&mut self.cfg, name, value)
    }

    /// pprof's `o`: every option, its value and its choices, sorted.
    fn options(&self) -> String {
        let types: Vec<&str> = self
            .prof
            .sample_types
            .iter()
            .map(|t| t.kind.as_str())
            .collect();
        let mut rows: Vec<String> = Vec::new();
        let mut row = |name: &str, value: String, comment: String| {
            let comment = if comment.is_empty() {
                comment
            } else {
                format!("{COMMENT} {comment}")
            };
            rows.push(format!("  {name:<25} = {value:<20} {comment}"));
        };
        for o in OPTIONS {
            if o.name == "source_path" {
                continue;
            }
            let mut v = (o.get)(&self.cfg);
            let mut comment = String::new();
            match o.kind {
                ValueKind::Choice(cs) => {
                    let mut names: Vec<&str> = cs.iter().map(|c| c.0).collect();
                    names.sort();
                    comment = format!("[{}]", names.join(" | "));
                    if o.name == "granularity" && self.cfg.granularity == Granularity::Functions {
                        v = "(default)".into();
                    }
                }
                _ if o.name == "sample_index" => {
                    if v.is_empty() {
                        v = types.last().copied().unwrap_or_default().to_string();
                    }
                    comment = format!("[{}]", types.join(" | "));
                }
                _ if o.name == "nodecount" && v == "-1" => comment = "default".into(),
                _ if v.is_empty() => v = "\"\"".into(),
                _ => {}
            }
            row(o.name, v, comment);
        }
        let output = if self.output.is_empty() {
            "\"\"".to_string()
        } else {
            self.output.clone()
        };
        row("output", output, String::new());
        rows.sort();
        rows.join("\n")
    }

    /// pprof's `parseCommandLine` and report: the command (`top10` is
    /// `top 10`), its regex, then counts, `-cum`, `>file`, focus and
    /// `-ignore` regexes, for this command only.
    fn report(&self, tokens: &[&str]) -> Result<(), String> {
        let mut name = tokens[0].to_string();
        let mut args: Vec<String> = tokens[1..].iter().map(|t| t.to_string()).collect();
        let mut def = commands::find(&name);
        if def.is_none() {
            let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 && digits < name.len() {
                let d = name.split_off(name.len() - digits);
                args.insert(0, d);
                def = commands::find(&name);
            }
        }
        let Some(def) = def else {
            if options::is_configurable(&name) {
                let value = args.first().map_or("<val>", String::as_str);
                return Err(format!("did you mean: {name}={value}"));
            }
            return Err(format!("unrecognized command: {name:?}"));
        };
        let mut regex = None;
        if def.takes_regex {
            if args.is_empty() {
                return Err(format!("command {name} requires an argument"));
            }
            regex = Some(args.remove(0));
        }
        let mut cfg = self.cfg.clone();
        let mut output = self.output.clone();
        let (mut focus, mut ignore) = (String::new(), String::new());
        let join = |a: &str, b: &str| {
            if !a.is_empty() && !b.is_empty() {
                format!("{a}|{b}")
            } else {
                format!("{a}{b}")
            }
        };
        let mut i = 0;
        while i < args.len() {
            let t = &args[i];
            if let Ok(n) = t.parse::<i32>() {
                cfg.node_count = i64::from(n);
            } else if let Some(file) = t.strip_prefix('>') {
                output = if file.is_empty() {
                    i += 1;
                    args.get(i)
                        .cloned()
                        .ok_or("unexpected end of line after >")?
                } else {
                    file.to_string()
                };
            } else if t == "-cum" || t == "--cum" {
                cfg.cum = true;
            } else if let Some(re) = t.strip_prefix('-') {
                ignore = join(&ignore, re);
            } else {
                focus = join(&focus, t);
            }
            i += 1;
        }
        let (focus_slot, ignore_slot) = if name == "tags" {
            (&mut cfg.tagfocus, &mut cfg.tagignore)
        } else {
            (&mut cfg.focus, &mut cfg.ignore)
        };
        if !focus.is_empty() {
            *focus_slot = focus;
        }
        if !ignore.is_empty() {
            *ignore_slot = ignore;
        }
        if cfg.node_count == -1 && (name == "text" || name == "top") {
            cfg.node_count = TOP_ROWS;
        }
        let inv = Invocation::new(def, regex.as_deref())?;
        let mut rpt: Report = engine::report(&inv, self.prof.clone(), &cfg, &mut |w| say(&w))?;
        let bytes = engine::produce(&inv, &mut rpt, &self.settings.render)?;
        if output.is_empty() && !def.viewers.is_empty() {
            return def.show(&bytes).map(|_| ());
        }
        let target = if !output.is_empty() {
            Some(PathBuf::from(output))
        } else if away_from_terminal(def) {
            Some(temp_file(def.extension)?)
        } else {
            None
        };
        match target {
            Some(path) => {
                say(&format!("Generating report in {}", path.display()));
                write::write_atomic(&path, &bytes)
            }
            None => write::write_stdout(&bytes),
        }
    }
}

/// Whether pprof writes this command's output to a file of its own in the
/// shell rather than to the screen (pictures and binary formats).
fn away_from_terminal(def: &CommandDef) -> bool {
    def.picture != Picture::None || def.is_binary() || def.report == ReportKind::Callgrind
}

/// The first free `profileNNN.EXT` in the current folder, as pprof names
/// the files it writes for the shell.
fn temp_file(extension: &str) -> Result<PathBuf, String> {
    for n in 1..10_000 {
        let p = PathBuf::from(format!("profile{n:03}.{extension}"));
        if !Path::new(&p).exists() {
            return Ok(p);
        }
    }
    Err("could not create a file for the report".into())
}

/// `help` (everything, as pprof groups it) or `help NAME`.
fn help(topic: &str) -> String {
    let row = |name: &str, text: &str| format!("    {name:<16} {text}");
    if !topic.is_empty() {
        if let Some(c) = commands::find(topic) {
            let arg = if c.takes_regex { " REGEX" } else { "" };
            return format!(
                "{}\n  {}{arg} [N] [REGEX]... [-REGEX]... [-cum] [>FILE]\n",
                c.help, c.name
            );
        }
        if let Some(o) = options::find(topic) {
            return format!("{}\n", o.help);
        }
        return format!("Unknown command: {topic}");
    }
    let mut cmds: Vec<&CommandDef> = COMMANDS.iter().collect();
    cmds.sort_by_key(|c| c.name);
    let mut out = vec!["  Commands:".to_string()];
    out.extend(cmds.iter().map(|c| row(c.name, c.help)));
    out.push(row("o/options", "Print every option and its value"));
    out.push(row("q/quit/exit/^D", "Leave the shell"));
    out.push(String::new());
    out.push("  Options:".to_string());
    let mut opts: Vec<_> = OPTIONS
        .iter()
        .filter(|o| !matches!(o.kind, ValueKind::Choice(_)) || !o.choice_flags)
        .collect();
    opts.sort_by_key(|o| o.name);
    out.extend(opts.iter().map(|o| row(o.name, o.help)));
    out.push(row("output", "The file the next reports are written to"));
    out.push(String::new());
    out.push("  Option groups (one choice each):".to_string());
    for o in OPTIONS.iter().filter(|o| o.choice_flags) {
        out.push(row(o.name, ""));
        if let ValueKind::Choice(cs) = o.kind {
            out.extend(cs.iter().map(|(c, h)| format!("      {c:<16} {h}")));
        }
    }
    out.push("  :   clears focus, ignore, hide, tagfocus and tagignore".to_string());
    out.push(String::new());
    out.push("  help NAME tells more of a command or an option".to_string());
    out.join("\n")
}

/// Runs the shell until `quit` or end of input; returns the exit status.
pub fn run(prof: Profile, s: &Settings) -> i32 {
    let mut cfg = s.report.clone();
    cfg.compact_labels = true;
    let mut shell = Shell {
        prof: &prof,
        settings: s,
        cfg,
        output: String::new(),
    };
    shell.greet();
    let prompt = "(pprof) ";
    if std::io::stdin().is_terminal() {
        let Ok(mut ed) = rustyline::DefaultEditor::new() else {
            say("pprof-graph: cannot open the terminal");
            return 1;
        };
        let history = std::env::var_os("HOME")
            .map(|h| std::path::PathBuf::from(h).join(".pprof-graph_history"));
        if let Some(h) = &history {
            let _ = ed.load_history(h);
        }
        while let Ok(line) = ed.readline(prompt) {
            let _ = ed.add_history_entry(line.as_str());
            if let Flow::Quit = shell.line(&line) {
                break;
            }
        }
        if let Some(h) = &history {
            let _ = ed.save_history(h);
        }
        return 0;
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        let _ = write::write_stdout(prompt.as_bytes());
        let Some(Ok(line)) = lines.next() else {
            break;
        };
        if let Flow::Quit = shell.line(&line) {
            break;
        }
    }
    0
}
