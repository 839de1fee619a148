//! The interactive shell (`pprof-graph heap.out` on a terminal, or `-i`):
//! pprof's commands (`top`, `top20`, `text`, `list RE`, `traces`, `dot`,
//! `svg`, `png > file`), options as `name=value`, `options`, `help`,
//! `quit`, with line editing and history on a terminal.

use crate::base::write;
use crate::cli::{self, Output, Settings};
use crate::profile::Profile;
use crate::report::{Config, Format, Granularity, Report};
use std::io::{BufRead, IsTerminal, Write};

const HELP: &str = "\
Commands:
  top [N] | topN     the N (default 10) heaviest functions
  text               every function, like -text
  list REGEX         annotated source of matching functions
  traces             every sample's stack
  dot | svg | png    the call graph (png needs a file: png > graph.png)
  CMD > FILE         write any report to FILE instead of the screen
Options (name=value; `name=` clears; booleans take true/false or nothing):
  sample_index, mean, inuse_space, inuse_objects, alloc_space, alloc_objects,
  granularity (functions|filefunctions|files|lines|addresses), noinlines,
  focus, ignore, hide, show, show_from, prune_from, tagfocus, tagignore,
  tagshow, taghide, relative_percentages, nodecount, nodefraction,
  edgefraction, trim, cum, call_tree, compact_labels, drop_negative, unit,
  divide_by, trim_path, source_path
  options | o        show the current options
  help               this text
  quit | exit        leave (also end of input)
";

fn parse_bool(v: &str) -> Result<bool, String> {
    if v.is_empty() {
        return Ok(true);
    }
    cli::flags::parse_bool(v)
}

fn num<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("invalid value {v:?} for {name}"))
}

/// Sets one option of `cfg` from its pprof name.
pub fn set_option(cfg: &mut Config, name: &str, value: &str) -> Result<(), String> {
    let v = value.trim();
    match name {
        "sample_index" => cfg.sample_index = v.to_string(),
        "inuse_space" | "inuse_objects" | "alloc_space" | "alloc_objects" | "contentions" => {
            cfg.sample_index = name.to_string()
        }
        "total_delay" => cfg.sample_index = "delay".into(),
        "mean" => cfg.mean = parse_bool(v)?,
        "granularity" => {
            cfg.granularity =
                Granularity::from_name(v).ok_or_else(|| format!("unknown granularity {v:?}"))?
        }
        "functions" | "filefunctions" | "files" | "lines" | "addresses" => {
            return set_option(cfg, "granularity", name)
        }
        "noinlines" => cfg.noinlines = parse_bool(v)?,
        "focus" => cfg.focus = v.to_string(),
        "ignore" => cfg.ignore = v.to_string(),
        "hide" => cfg.hide = v.to_string(),
        "show" => cfg.show = v.to_string(),
        "show_from" => cfg.show_from = v.to_string(),
        "prune_from" => cfg.prune_from = v.to_string(),
        "tagfocus" => cfg.tagfocus = v.to_string(),
        "tagignore" => cfg.tagignore = v.to_string(),
        "tagshow" => cfg.tagshow = v.to_string(),
        "taghide" => cfg.taghide = v.to_string(),
        "relative_percentages" => cfg.relative_percentages = parse_bool(v)?,
        "nodecount" => cfg.node_count = num(name, v)?,
        "nodefraction" => cfg.node_fraction = num(name, v)?,
        "edgefraction" => cfg.edge_fraction = num(name, v)?,
        "trim" => cfg.trim = parse_bool(v)?,
        "cum" => cfg.cum = parse_bool(v)?,
        "flat" => cfg.cum = !parse_bool(v)?,
        "call_tree" => cfg.call_tree = parse_bool(v)?,
        "compact_labels" => cfg.compact_labels = parse_bool(v)?,
        "drop_negative" => cfg.drop_negative = parse_bool(v)?,
        "unit" => {
            cfg.unit = if v.is_empty() {
                "minimum".into()
            } else {
                v.to_string()
            }
        }
        "divide_by" => cfg.divide_by = num(name, v)?,
        "trim_path" => cfg.trim_path = v.to_string(),
        "source_path" => cfg.source_path = v.to_string(),
        _ => return Err(format!("unrecognized option: {name}")),
    }
    Ok(())
}

/// The options as `name = value` lines.
fn describe(cfg: &Config) -> String {
    let g = cfg.granularity.name();
    let rows: Vec<(&str, String)> = vec![
        ("call_tree", cfg.call_tree.to_string()),
        ("compact_labels", cfg.compact_labels.to_string()),
        ("cum", cfg.cum.to_string()),
        ("divide_by", cfg.divide_by.to_string()),
        ("drop_negative", cfg.drop_negative.to_string()),
        ("edgefraction", cfg.edge_fraction.to_string()),
        ("focus", cfg.focus.clone()),
        ("granularity", g.to_string()),
        ("hide", cfg.hide.clone()),
        ("ignore", cfg.ignore.clone()),
        ("mean", cfg.mean.to_string()),
        ("nodecount", cfg.node_count.to_string()),
        ("nodefraction", cfg.node_fraction.to_string()),
        ("noinlines", cfg.noinlines.to_string()),
        ("prune_from", cfg.prune_from.clone()),
        ("relative_percentages", cfg.relative_percentages.to_string()),
        ("sample_index", cfg.sample_index.clone()),
        ("show", cfg.show.clone()),
        ("show_from", cfg.show_from.clone()),
        ("source_path", cfg.source_path.clone()),
        ("tagfocus", cfg.tagfocus.clone()),
        ("taghide", cfg.taghide.clone()),
        ("tagignore", cfg.tagignore.clone()),
        ("tagshow", cfg.tagshow.clone()),
        ("trim", cfg.trim.to_string()),
        ("trim_path", cfg.trim_path.clone()),
        ("unit", cfg.unit.clone()),
    ];
    rows.iter()
        .map(|(k, v)| format!("  {k:<22} = {v}\n"))
        .collect()
}

/// Runs one command line; returns the text to show (empty for none) or
/// `None` to quit.
pub fn execute_line(
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
        return Some(set_option(cfg, name.trim(), value).map(|_| String::new()));
    }
    let result = match word {
        "quit" | "exit" | "q" => return None,
        "help" | "?" => Ok(HELP.to_string()),
        "o" | "options" => Ok(describe(cfg)),
        "inuse_space" | "inuse_objects" | "alloc_space" | "alloc_objects" | "total_delay"
        | "contentions" | "mean" | "cum" | "flat" | "noinlines" | "functions" | "filefunctions"
        | "files" | "lines" | "addresses" => set_option(cfg, word, "").map(|_| String::new()),
        _ => run_report(word, arg, target, prof, cfg, s),
    };
    Some(result)
}

fn run_report(
    word: &str,
    arg: &str,
    target: Option<&str>,
    prof: &Profile,
    cfg: &Config,
    s: &Settings,
) -> Result<String, String> {
    let mut c = cfg.clone();
    let mut symbol = None;
    let kind = if let Some(n) = word.strip_prefix("top") {
        // The interactive `top` shows 10 rows unless told otherwise.
        let n = if !n.is_empty() {
            n
        } else if !arg.is_empty() {
            arg
        } else {
            ""
        };
        c.node_count = if n.is_empty() {
            if cfg.node_count == -1 {
                10
            } else {
                cfg.node_count
            }
        } else {
            num("top", n)?
        };
        Output::Text
    } else {
        match word {
            "text" => Output::Text,
            "traces" => Output::Traces,
            "dot" => Output::Dot,
            "svg" => Output::Svg,
            "png" => Output::Png,
            "list" => {
                if arg.is_empty() {
                    return Err("list needs a regex: list REGEX".into());
                }
                symbol = Some(regex::Regex::new(arg).map_err(|e| {
                    format!(
                        "parsing argument regexp {arg}: {}",
                        crate::profile::filter::regex_error(&e)
                    )
                })?);
                c.list = true;
                Output::List
            }
            _ => return Err(format!("unrecognized command: {word:?} (try help)")),
        }
    };
    if kind == Output::Png && target.is_none() {
        return Err("png needs a file: png > graph.png".into());
    }
    c.merge_samples = kind == Output::Traces;
    c.format = if matches!(kind, Output::Text | Output::List | Output::Traces) {
        Format::Text
    } else {
        Format::Dot
    };
    let mut warnings = Vec::new();
    let mut rpt = Report::new(prof.clone(), &c, &mut |w| warnings.push(w))?;
    let bytes = cli::produce(
        &mut rpt,
        kind,
        symbol.as_ref(),
        &s.renderer,
        s.max_png_pixels,
    )?;
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
