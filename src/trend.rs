//! `pprof-graph trend DIR-or-FILES`: heap (or goroutine, or any) snapshots
//! ordered by time, the diff graph of each consecutive pair and of first →
//! last, and a leak report: the functions whose value grows across the
//! series, ranked by growth, with how steadily they grew. A Markdown form
//! fits a pull-request comment or a CI step summary, and
//! `--fail-on-growth` turns growth into a failing exit status.

use crate::base::write;
use crate::base::{gotime::format_time, units};
use crate::batch::find_files;
use crate::cli::{self, flags, Output, Settings};
use crate::profile::{decode, merge, Profile};
use crate::report::{self, Config, Format, Report};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One snapshot of the series.
struct Snapshot {
    name: String,
    prof: Profile,
    time_nanos: i64,
    total: i64,
    /// Per function (printable name): (flat, cum).
    values: HashMap<String, (i64, i64)>,
}

/// How one function changed over the series.
#[derive(Debug, Clone)]
pub struct Growth {
    /// Printable name.
    pub name: String,
    /// Value in the first snapshot.
    pub first: i64,
    /// Value in the last snapshot.
    pub last: i64,
    /// Intervals in which it grew.
    pub grew: usize,
    /// Intervals in all.
    pub intervals: usize,
}

/// Which value of a function the report follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    /// Allocation sites: the function's own (flat) value.
    Flat,
    /// Goroutines: everything under the function (their stacks start at the
    /// goroutine's function, so the growing roots are the leaking ones).
    Cum,
}

impl Measure {
    fn name(self) -> &'static str {
        match self {
            Measure::Flat => "flat",
            Measure::Cum => "cum",
        }
    }
}

/// One profile summarized for the trend.
struct Summary {
    total: i64,
    kind: String,
    unit: String,
    values: HashMap<String, (i64, i64)>,
}

/// The per-function values of one profile at the report's granularity,
/// with nothing trimmed.
fn function_values(prof: &Profile, cfg: &Config) -> Result<Summary, String> {
    let cfg = Config {
        format: Format::Text,
        trim: false,
        ..cfg.clone()
    };
    let rpt = Report::new(prof.clone(), &cfg, &mut |_| {})?;
    let t = rpt.trimmed_graph();
    let g = &t.graph;
    let values = g
        .nodes
        .iter()
        .map(|&n| {
            (
                g.g[n].printable.clone(),
                (g.g[n].flat_value(), g.g[n].cum_value()),
            )
        })
        .collect();
    Ok(Summary {
        total: rpt.total,
        kind: rpt.sample_type.clone(),
        unit: rpt.sample_unit.clone(),
        values,
    })
}

fn collect_inputs(inputs: &[String]) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    for i in inputs {
        let p = PathBuf::from(i);
        if p.is_dir() {
            for (path, rel) in find_files(&p)? {
                out.push((format!("{}/{rel}", i.trim_end_matches('/')), path));
            }
        } else {
            out.push((i.clone(), p));
        }
    }
    Ok(out)
}

/// Settings of `trend` beyond the report flags.
struct TrendOptions {
    markdown: bool,
    summary: Option<PathBuf>,
    fail_pct: Option<f64>,
    fail_abs: Option<i64>,
}

/// Runs `pprof-graph trend`; returns the exit status.
pub fn run(args: Vec<String>) -> i32 {
    let args = flags::normalize(args);
    let m = match flags::command()
        .name("pprof-graph trend")
        .try_get_matches_from(std::iter::once("pprof-graph trend".to_string()).chain(args))
    {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match execute(&m) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pprof-graph trend: {e}");
            1
        }
    }
}

fn execute(m: &clap::ArgMatches) -> Result<i32, String> {
    let s = cli::resolve(m, true)?;
    let opts = TrendOptions {
        markdown: m.get_one::<String>("format").map(String::as_str) == Some("markdown"),
        summary: m.get_one::<String>("summary").map(PathBuf::from),
        fail_pct: m
            .get_one::<String>("fail-on-growth")
            .map(|v| {
                v.trim_end_matches('%')
                    .parse::<f64>()
                    .map_err(|_| format!("invalid --fail-on-growth {v:?}"))
            })
            .transpose()?,
        fail_abs: m
            .get_one::<String>("fail-on-growth-abs")
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| format!("invalid --fail-on-growth-abs {v:?}"))
            })
            .transpose()?,
    };
    if let Some(f) = m.get_one::<String>("format") {
        if f != "markdown" && f != "text" {
            return Err(format!("unknown --format {f:?}: use text or markdown"));
        }
    }
    let mut snaps = Vec::new();
    for (name, path) in collect_inputs(&s.inputs)? {
        let data =
            std::fs::read(&path).map_err(|e| format!("{name}: {}", write::describe_io(&e)))?;
        let gz = data.len() >= 2 && data[0] == 0x1f && data[1] == 0x8b;
        let mut prof = match decode::parse(&data, s.max_decompressed) {
            Ok(p) => p,
            Err(decode::DecodeError::Unrecognized | decode::DecodeError::Empty) if !gz => continue,
            Err(e) => {
                eprintln!("pprof-graph trend: {name}: {e} (skipped)");
                continue;
            }
        };
        if let Some(first) = snaps.first() {
            let first: &Snapshot = first;
            if first.prof.sample_types != prof.sample_types {
                eprintln!(
                    "pprof-graph trend: {name}: skipped: other sample types than {}",
                    first.name
                );
                continue;
            }
        }
        cli::prepare(&mut prof, s.symbolize).map_err(|e| format!("{name}: {e}"))?;
        let Summary { total, values, .. } = match function_values(&prof, &s.report) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("pprof-graph trend: {name}: {e} (skipped)");
                continue;
            }
        };
        snaps.push(Snapshot {
            time_nanos: prof.time_nanos,
            name,
            prof,
            total,
            values,
        });
    }
    if snaps.len() < 2 {
        return Err(format!(
            "need at least two profiles to compare, found {}",
            snaps.len()
        ));
    }
    snaps.sort_by(|a, b| a.time_nanos.cmp(&b.time_nanos).then(a.name.cmp(&b.name)));
    let Summary { kind, unit, .. } = function_values(&snaps[0].prof, &s.report)?;
    let measure = if kind == "goroutine" {
        Measure::Cum
    } else {
        Measure::Flat
    };
    let growth = growth_table(&snaps, measure);

    let mut graphs = Vec::new();
    if let Some(outdir) = &s.output {
        graphs = render_diffs(&snaps, &s, outdir)?;
    }
    let fmt = |v: i64| units::scaled_label(v, &unit, "auto");
    let md = if opts.markdown || opts.summary.is_some() {
        Some(markdown(
            &snaps, &growth, &graphs, &kind, measure, &fmt, &s.report,
        )?)
    } else {
        None
    };
    let report = match (&md, opts.markdown) {
        (Some(md), true) => md.clone(),
        _ => text(&snaps, &growth, &graphs, &kind, measure, &fmt),
    };
    write::write_stdout(report.as_bytes())?;
    if let (Some(path), Some(md)) = (&opts.summary, &md) {
        write::write_atomic(path, md.as_bytes())?;
    }
    let offenders = offenders(&snaps, &growth, opts.fail_pct, opts.fail_abs, &fmt);
    if !offenders.is_empty() {
        eprintln!(
            "pprof-graph trend: growth beyond the limit: {}",
            offenders.join("; ")
        );
        return Ok(1);
    }
    Ok(0)
}

/// Functions that grew from the first to the last snapshot, largest
/// growth first.
fn growth_table(snaps: &[Snapshot], measure: Measure) -> Vec<Growth> {
    let value = |s: &Snapshot, name: &str| -> i64 {
        s.values
            .get(name)
            .map_or(0, |&(f, c)| if measure == Measure::Flat { f } else { c })
    };
    let mut names: Vec<&String> = snaps.iter().flat_map(|s| s.values.keys()).collect();
    names.sort();
    names.dedup();
    let (first, last) = (&snaps[0], &snaps[snaps.len() - 1]);
    let mut out: Vec<Growth> = names
        .into_iter()
        .filter(|n| !(measure == Measure::Cum && n.starts_with("runtime.")))
        .map(|n| Growth {
            name: n.clone(),
            first: value(first, n),
            last: value(last, n),
            grew: snaps
                .windows(2)
                .filter(|w| value(&w[1], n) > value(&w[0], n))
                .count(),
            intervals: snaps.len() - 1,
        })
        .filter(|g| g.last > g.first)
        .collect();
    out.sort_by(|a, b| {
        (b.last - b.first)
            .cmp(&(a.last - a.first))
            .then(b.grew.cmp(&a.grew))
            .then(a.name.cmp(&b.name))
    });
    out
}

fn diff_name(a: &Snapshot, b: &Snapshot) -> String {
    let stem = |s: &Snapshot| {
        let base = s.name.rsplit('/').next().unwrap_or(&s.name).to_string();
        let mut b = base.as_str();
        for suffix in [".gz", ".pb", ".pprof", ".prof"] {
            b = b.strip_suffix(suffix).unwrap_or(b);
        }
        b.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>()
    };
    format!("diff-{}-to-{}", stem(a), stem(b))
}

/// Diff graphs (the later snapshot against the earlier as `-diff_base`)
/// of each consecutive pair and of first → last; returns the file names.
fn render_diffs(snaps: &[Snapshot], s: &Settings, outdir: &Path) -> Result<Vec<String>, String> {
    std::fs::create_dir_all(outdir)
        .map_err(|e| format!("{}: {}", outdir.display(), write::describe_io(&e)))?;
    let mut pairs: Vec<(usize, usize)> = (1..snaps.len()).map(|i| (i - 1, i)).collect();
    if snaps.len() > 2 {
        pairs.push((0, snaps.len() - 1));
    }
    let kinds = if s.kinds.is_empty() {
        vec![Output::Svg]
    } else {
        s.kinds.clone()
    };
    let mut names = Vec::new();
    for (a, b) in pairs {
        let prof = merge::combine(
            vec![snaps[b].prof.clone()],
            vec![snaps[a].prof.clone()],
            true,
            false,
        )?;
        for &kind in &kinds {
            let cfg = Config {
                format: if kind == Output::Text {
                    Format::Text
                } else {
                    Format::Dot
                },
                ..s.report.clone()
            };
            let mut rpt = Report::new(prof.clone(), &cfg, &mut |_| {})?;
            let bytes = cli::produce(
                &mut rpt,
                kind,
                s.symbol.as_ref(),
                &s.renderer,
                s.max_png_pixels,
            )?;
            let ext = kind.extension();
            let name = format!("{}.{ext}", diff_name(&snaps[a], &snaps[b]));
            write::write_atomic(&outdir.join(&name), &bytes)?;
            names.push(name);
        }
    }
    Ok(names)
}

fn pct(delta: i64, base: i64) -> String {
    if base == 0 {
        "new".to_string()
    } else {
        format!("{:+.1}%", delta as f64 * 100.0 / base as f64)
    }
}

fn text(
    snaps: &[Snapshot],
    growth: &[Growth],
    graphs: &[String],
    kind: &str,
    measure: Measure,
    fmt: &dyn Fn(i64) -> String,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} snapshots of {kind}, in time order:", snaps.len());
    for s in snaps {
        let time = if s.time_nanos != 0 {
            format_time(s.time_nanos)
        } else {
            "time unknown".into()
        };
        let _ = writeln!(o, "  {:<40} {:<32} total {}", s.name, time, fmt(s.total));
    }
    let (f, l) = (snaps[0].total, snaps[snaps.len() - 1].total);
    let _ = writeln!(o, "Total: {} -> {} ({})", fmt(f), fmt(l), pct(l - f, f));
    let what = measure.name();
    let _ = writeln!(o, "\nGrowing functions ({what}), first -> last:");
    let _ = writeln!(
        o,
        "{:>12} {:>12} {:>12} {:>8}  function",
        "first", "last", "growth", "grew in"
    );
    for g in growth.iter().take(20) {
        let _ = writeln!(
            o,
            "{:>12} {:>12} {:>12} {:>8}  {}",
            fmt(g.first),
            fmt(g.last),
            format!("+{}", fmt(g.last - g.first)),
            format!("{}/{}", g.grew, g.intervals),
            g.name
        );
    }
    if !graphs.is_empty() {
        let _ = writeln!(o, "\nDiff graphs: {}", graphs.join(", "));
    }
    o
}

fn markdown(
    snaps: &[Snapshot],
    growth: &[Growth],
    graphs: &[String],
    kind: &str,
    measure: Measure,
    fmt: &dyn Fn(i64) -> String,
    cfg: &Config,
) -> Result<String, String> {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut o = String::new();
    let _ = writeln!(o, "## pprof-graph: {kind} over {} snapshots\n", snaps.len());
    let _ = writeln!(o, "| snapshot | time | total |\n|---|---|---:|");
    for s in snaps {
        let time = if s.time_nanos != 0 {
            format_time(s.time_nanos)
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "| `{}` | {} | {} |",
            cell(&s.name),
            cell(&time),
            fmt(s.total)
        );
    }
    let (f, l) = (snaps[0].total, snaps[snaps.len() - 1].total);
    let _ = writeln!(
        o,
        "\n**Total:** {} → {} ({})\n",
        fmt(f),
        fmt(l),
        pct(l - f, f)
    );
    let what = measure.name();
    let _ = writeln!(o, "### Growing functions ({what}), first → last\n");
    let _ = writeln!(
        o,
        "| function | first | last | growth | grew in |\n|---|---:|---:|---:|---:|"
    );
    for g in growth.iter().take(15) {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | +{} | {}/{} |",
            cell(&g.name),
            fmt(g.first),
            fmt(g.last),
            fmt(g.last - g.first),
            g.grew,
            g.intervals
        );
    }
    let last = &snaps[snaps.len() - 1];
    let top_cfg = Config {
        format: Format::Text,
        node_count: 10,
        ..cfg.clone()
    };
    let mut rpt = Report::new(last.prof.clone(), &top_cfg, &mut |_| {})?;
    let (items, _) = report::text::text_items(&mut rpt);
    let _ = writeln!(o, "\n### Top of `{}`\n", cell(&last.name));
    let _ = writeln!(
        o,
        "| flat | flat% | cum | cum% | function |\n|---:|---:|---:|---:|---|"
    );
    for it in items {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | `{}` |",
            it.flat_format,
            units::percentage(it.flat, rpt.total).trim(),
            it.cum_format,
            units::percentage(it.cum, rpt.total).trim(),
            cell(&it.name)
        );
    }
    if !graphs.is_empty() {
        let _ = writeln!(o, "\n### Diff graphs\n");
        for g in graphs {
            let _ = writeln!(o, "- [{g}]({g})");
        }
    }
    Ok(o)
}

/// What grew beyond `--fail-on-growth` (percent of the first total) or
/// `--fail-on-growth-abs` (sample units): the total, then functions.
fn offenders(
    snaps: &[Snapshot],
    growth: &[Growth],
    pct_limit: Option<f64>,
    abs_limit: Option<i64>,
    fmt: &dyn Fn(i64) -> String,
) -> Vec<String> {
    let base = snaps[0].total;
    let over = |delta: i64| {
        pct_limit.is_some_and(|p| base != 0 && delta as f64 * 100.0 / base as f64 > p)
            || pct_limit.is_some_and(|_| base == 0 && delta > 0)
            || abs_limit.is_some_and(|a| delta > a)
    };
    let mut out = Vec::new();
    let total_delta = snaps[snaps.len() - 1].total - base;
    if over(total_delta) {
        out.push(format!(
            "total +{} ({})",
            fmt(total_delta),
            pct(total_delta, base)
        ));
    }
    for g in growth {
        let d = g.last - g.first;
        if over(d) {
            out.push(format!("{} +{}", g.name, fmt(d)));
        }
    }
    out
}
