//! The interactive shell (`pprof-graph heap.out` on a terminal, or `-i`):
//! every command of the command table (`top`, `top20`, `list RE`, `dot`,
//! `png > file`, …), every option of the option table as `name=value`,
//! `o` and `help` listing both, `quit`; line editing and history on a
//! terminal.

use crate::base::write;
use crate::engine::commands::{self, COMMANDS};
use crate::engine::options::{self, ValueKind, OPTIONS, SAMPLE_SHORTHANDS};
use crate::engine::{self, Invocation, Settings};
use crate::profile::Profile;
use crate::report::Config;
use std::io::{BufRead, IsTerminal, Write};

/// Rows the shell's `top` shows unless told otherwise.
const TOP_ROWS: i64 = 10;

/// The help text, from the command and option tables.
fn help() -> String {
    let mut h = String::from("Commands:\n");
    for c in COMMANDS {
        let usage = if c.takes_regex {
            format!("{} REGEX", c.name)
        } else if c.name == "top" {
            "top [N] | topN".to_string()
        } else {
            c.name.to_string()
        };
        h.push_str(&format!("  {usage:<20} {}\n", c.help));
    }
    h.push_str("  CMD > FILE           write any report to FILE instead of the screen\n");
    h.push_str("Options (name=value; `name=` clears; booleans take true/false or nothing):\n");
    for o in OPTIONS {
        let value = match o.kind {
            ValueKind::Choice(cs) => cs.iter().map(|c| c.0).collect::<Vec<_>>().join("|"),
            ValueKind::Bool => "true|false".to_string(),
            _ => o.value_name.to_string(),
        };
        h.push_str(&format!("  {:<20} {} ({value})\n", o.name, o.help));
    }
    let shorthands: Vec<&str> = SAMPLE_SHORTHANDS.iter().map(|s| s.0).collect();
    h.push_str(&format!("  {}: sample shorthands\n", shorthands.join(", ")));
    h.push_str("  options | o          show the current options\n");
    h.push_str("  help                 this text\n");
    h.push_str("  quit | exit          leave (also end of input)\n");
    h
}

/// Runs one command line; returns the text to show (empty for none) or
/// `None` to quit.
fn execute_line(
    line: &str,
    prof: &Profile,
    cfg: &mut Config,
    s: &Settings,
) -> Option<Result<String, String>> {
    let line = line.trim();
    if line.is_empty() {
        return Some(Ok(String::new()));
    }
    let (cmd, target) = match line.split_once('>') {
        Some((c, f)) => (c.trim(), Some(f.trim())),
        None => (line, None),
    };
    let (word, arg) = match cmd.split_once(char::is_whitespace) {
        Some((w, a)) => (w, a.trim()),
        None => (cmd, ""),
    };
    if let Some((name, value)) = cmd.split_once('=') {
        return Some(options::configure(cfg, name.trim(), value).map(|_| String::new()));
    }
    let result = match word {
        "quit" | "exit" | "q" => return None,
        "help" | "?" => Ok(help()),
        "o" | "options" => Ok(options::describe(cfg)),
        w if options::is_bare_setting(w) => options::configure(cfg, w, "").map(|_| String::new()),
        _ => run_report(word, arg, target, prof, cfg, s),
    };
    Some(result)
}

/// The invocation a command word asks for, and the node count of `topN`.
fn invocation(word: &str, arg: &str, cfg: &Config) -> Result<(Invocation, Config), String> {
    let mut c = cfg.clone();
    if let Some(n) = word.strip_prefix("top") {
        let n = if n.is_empty() { arg } else { n };
        c.node_count = if n.is_empty() {
            if cfg.node_count == -1 {
                TOP_ROWS
            } else {
                cfg.node_count
            }
        } else {
            n.parse()
                .map_err(|_| format!("invalid value {n:?} for top"))?
        };
        let top = commands::find("top").expect("top is a command");
        return Ok((Invocation::new(top, None)?, c));
    }
    let def =
        commands::find(word).ok_or_else(|| format!("unrecognized command: {word:?} (try help)"))?;
    let arg = (def.takes_regex && !arg.is_empty()).then_some(arg);
    Ok((Invocation::new(def, arg)?, c))
}

fn run_report(
    word: &str,
    arg: &str,
    target: Option<&str>,
    prof: &Profile,
    cfg: &Config,
    s: &Settings,
) -> Result<String, String> {
    let (inv, c) = invocation(word, arg, cfg)?;
    if inv.command.is_binary() && target.is_none() {
        return Err(format!(
            "{} needs a file: {} > graph.{}",
            inv.command.name, inv.command.name, inv.command.extension
        ));
    }
    let mut warnings = Vec::new();
    let bytes = engine::run(&inv, prof.clone(), &c, &s.render, &mut |w| warnings.push(w))?;
    let mut shown = warnings
        .iter()
        .map(|w| format!("{w}\n"))
        .collect::<String>();
    match target {
        Some(file) if !file.is_empty() => {
            write::write_atomic(std::path::Path::new(file), &bytes)?;
            shown.push_str(&format!("Generating report in {file}\n"));
        }
        Some(_) => return Err("missing file name after >".into()),
        None => shown.push_str(&String::from_utf8_lossy(&bytes)),
    }
    Ok(shown)
}

/// Runs the shell until `quit` or end of input; returns the exit status.
pub fn run(prof: Profile, s: &Settings) -> i32 {
    let mut cfg = s.report.clone();
    let interactive = std::io::stdin().is_terminal();
    let prompt = "(pprof) ";
    let show = |text: &str| {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    };
    if interactive {
        show("Entering interactive mode (type \"help\" for commands, \"o\" for options)\n");
        let Ok(mut ed) = rustyline::DefaultEditor::new() else {
            eprintln!("pprof-graph: cannot open the terminal");
            return 1;
        };
        let history = std::env::var_os("HOME")
            .map(|h| std::path::PathBuf::from(h).join(".pprof-graph_history"));
        if let Some(h) = &history {
            let _ = ed.load_history(h);
        }
        while let Ok(line) = ed.readline(prompt) {
            let _ = ed.add_history_entry(line.as_str());
            match execute_line(&line, &prof, &mut cfg, s) {
                None => break,
                Some(Ok(text)) => show(&text),
                Some(Err(e)) => eprintln!("{e}"),
            }
        }
        if let Some(h) = &history {
            let _ = ed.save_history(h);
        }
        return 0;
    }
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        show(prompt);
        show(&format!("{line}\n"));
        match execute_line(&line, &prof, &mut cfg, s) {
            None => break,
            Some(Ok(text)) => show(&text),
            Some(Err(e)) => show(&format!("{e}\n")),
        }
    }
    0
}
