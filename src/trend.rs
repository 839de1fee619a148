//! `pprof-graph trend DIR-or-FILES`: heap (or goroutine, or any) snapshots
//! ordered by time, the diff graph of each consecutive pair and of first →
//! last, and a leak report: the functions whose value grows across the
//! series, ranked by growth, with how steadily they grew. A Markdown form
//! fits a pull-request comment or a CI step summary, and
//! `--fail-on-growth` turns growth into a failing exit status.

use crate::base::write;
use crate::base::{gotime::format_time, units};
use crate::engine::flags::{self, CommandLine, FlagDef};
use crate::engine::{self, Invocation, Settings};
use crate::profile::{merge, Profile};
use crate::report::{self, Config};
use crate::source::{self, discover};
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
    /// Per (holder, allocation site): the value.
    holders: HashMap<(String, String), i64>,
}

/// How one holder (the program's own code above an allocation) changed
/// over the series, and the allocation site that grew most under it.
#[derive(Debug, Clone)]
struct Holder {
    name: String,
    first: i64,
    last: i64,
    grew: usize,
    intervals: usize,
    site: String,
    site_growth: i64,
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
    holders: HashMap<(String, String), i64>,
}

/// The per-function values of one profile at the report's granularity,
/// with nothing trimmed.
fn function_values(prof: &Profile, cfg: &Config) -> Result<Summary, String> {
    let cfg = Config {
        trim: false,
        ..cfg.clone()
    };
    let rpt = engine::report(&Invocation::plain("top"), prof.clone(), &cfg, &mut |_| {})?;
    let values = rpt
        .node_values()
        .into_iter()
        .map(|n| (n.name, (n.flat, n.cum)))
        .collect();
    Ok(Summary {
        total: rpt.total,
        kind: rpt.sample_type.clone(),
        unit: rpt.sample_unit.clone(),
        values,
        holders: report::holders::by_holder(&rpt),
    })
}

fn collect_inputs(inputs: &[String]) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    for i in inputs {
        let p = PathBuf::from(i);
        if p.is_dir() {
            for (path, rel) in discover::find_files(&p)? {
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
    link_base: String,
    summary: Option<PathBuf>,
    fail_pct: Option<f64>,
    fail_abs: Option<i64>,
}

const HEADING: &str = "Trend";

/// The flags only `pprof-graph trend` has.
const TREND_FLAGS: &[FlagDef] = &[
    FlagDef::value(
        "link-base",
        "URL",
        HEADING,
        "Markdown: prefix the diff graph links with URL (where the -o folder is uploaded)",
    ),
    FlagDef::value(
        "format",
        "NAME",
        HEADING,
        "Report as text (default) or markdown",
    ),
    FlagDef::value(
        "summary",
        "FILE",
        HEADING,
        "Also write the Markdown report to FILE (e.g. a CI step summary)",
    ),
    FlagDef::value(
        "fail-on-growth",
        "PCT",
        HEADING,
        "Exit 1 when the total or a function grows by more than PCT% of the first total",
    ),
    FlagDef::value(
        "fail-on-growth-abs",
        "N",
        HEADING,
        "Exit 1 when the total or a function grows by more than N (sample units, e.g. bytes)",
    ),
];

/// `pprof-graph trend`'s command line.
pub const COMMAND_LINE: CommandLine =
    CommandLine::new("pprof-graph trend", ABOUT, USAGE, ARGUMENT, TREND_FLAGS);

const ABOUT: &str = "What grew across a series of snapshots: the growing functions, diff graphs of each step and of first -> last, and a CI verdict.";
const USAGE: &str = "pprof-graph trend DIR|SNAPSHOT... [-o OUTDIR] [--format markdown] [--fail-on-growth PCT] [REPORT FLAGS]";
const ARGUMENT: (&str, &str, &str) = (
    "snapshots",
    "SNAPSHOTS",
    "Folders (searched by content) or profile files, at least two in all",
);

/// Runs `pprof-graph trend`; returns the exit status.
pub fn run(args: Vec<String>) -> i32 {
    COMMAND_LINE.run(args, execute)
}

fn execute(m: &clap::ArgMatches) -> Result<i32, String> {
    let s = flags::resolve(m, "snapshots", &mut |w| eprintln!("{w}"))?;
    let format = flags::get(m, "format");
    let opts = TrendOptions {
        markdown: format.as_deref() == Some("markdown"),
        link_base: flags::get(m, "link-base")
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string(),
        summary: flags::get(m, "summary").map(PathBuf::from),
        fail_pct: flags::get(m, "fail-on-growth")
            .map(|v| {
                v.trim_end_matches('%')
                    .parse::<f64>()
                    .map_err(|_| format!("invalid --fail-on-growth {v:?}"))
            })
            .transpose()?,
        fail_abs: flags::get(m, "fail-on-growth-abs")
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| format!("invalid --fail-on-growth-abs {v:?}"))
            })
            .transpose()?,
    };
    if let Some(f) = &format {
        if f != "markdown" && f != "text" {
            return Err(format!("unknown --format {f:?}: use text or markdown"));
        }
    }
    let mut snaps = Vec::new();
    for (name, path) in collect_inputs(&s.sources.inputs)? {
        let mut prof = match discover::read(&path, s.sources.max_decompressed) {
            Ok(Some(p)) => p,
            Ok(None) => continue,
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
        source::prepare(&mut prof, s.sources.symbolize, &mut |_| {})
            .map_err(|e| format!("{name}: {e}"))?;
        let Summary {
            total,
            values,
            holders,
            ..
        } = match function_values(&prof, &s.report) {
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
            holders,
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
    let holders = if measure == Measure::Flat {
        holder_table(&snaps)
    } else {
        Vec::new()
    };

    let mut graphs = Vec::new();
    if let Some(outdir) = &s.output {
        graphs = render_diffs(&snaps, &s, outdir)?;
    }
    let fmt = |v: i64| units::scaled_label(v, &unit, "auto");
    let findings = Findings {
        snaps: &snaps,
        holders: &holders,
        growth: &growth,
        graphs: &graphs,
        first_to_last: diff_name(&snaps[0], &snaps[snaps.len() - 1]),
        link_base: &opts.link_base,
        kind: &kind,
        measure,
        fmt: &fmt,
    };
    let md = if opts.markdown || opts.summary.is_some() || s.output.is_some() {
        Some(findings.markdown(&s.report)?)
    } else {
        None
    };
    // The report also goes next to its diff graphs, where the batch
    // gallery links to it.
    if let (Some(outdir), Some(md)) = (&s.output, &md) {
        write::write_atomic(&outdir.join(discover::TREND_REPORT), md.as_bytes())?;
    }
    let report = match (&md, opts.markdown) {
        (Some(md), true) => md.clone(),
        _ => findings.text(),
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

/// The holders whose value grew from the first to the last snapshot,
/// largest growth first, each with the allocation site that grew most
/// under it.
fn holder_table(snaps: &[Snapshot]) -> Vec<Holder> {
    // Each snapshot's value per holder, summed over its sites once.
    let totals: Vec<HashMap<&str, i64>> = snaps
        .iter()
        .map(|s| {
            let mut t: HashMap<&str, i64> = HashMap::new();
            for ((h, _), v) in &s.holders {
                *t.entry(h.as_str()).or_default() += v;
            }
            t
        })
        .collect();
    let total = |i: usize, holder: &str| totals[i].get(holder).copied().unwrap_or(0);
    let mut names: Vec<&String> = snaps
        .iter()
        .flat_map(|s| s.holders.keys().map(|k| &k.0))
        .collect();
    names.sort();
    names.dedup();
    let (first, last) = (&snaps[0], &snaps[snaps.len() - 1]);
    let mut out: Vec<Holder> = names
        .into_iter()
        .map(|h| {
            let mut sites: Vec<(&String, i64)> = last
                .holders
                .iter()
                .filter(|((hh, _), _)| hh == h)
                .map(|((_, site), &v)| {
                    let before = first
                        .holders
                        .get(&(h.clone(), site.clone()))
                        .copied()
                        .unwrap_or(0);
                    (site, v - before)
                })
                .collect();
            sites.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let (site, site_growth) = sites
                .first()
                .map_or((String::new(), 0), |(s, g)| ((*s).clone(), *g));
            Holder {
                name: h.clone(),
                first: total(0, h),
                last: total(snaps.len() - 1, h),
                grew: (1..snaps.len())
                    .filter(|&i| total(i, h) > total(i - 1, h))
                    .count(),
                intervals: snaps.len() - 1,
                site,
                site_growth,
            }
        })
        .filter(|h| h.last > h.first)
        .collect();
    out.sort_by(|a, b| {
        (b.last - b.first)
            .cmp(&(a.last - a.first))
            .then(a.name.cmp(&b.name))
    });
    out
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
    discover::diff_name(&a.name, &b.name)
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
    let outputs = if s.commands.is_empty() {
        vec![Invocation::plain("svg")]
    } else {
        s.commands.clone()
    };
    let mut names = Vec::new();
    for (a, b) in pairs {
        let prof = merge::combine(
            vec![snaps[b].prof.clone()],
            vec![snaps[a].prof.clone()],
            true,
            false,
        )?;
        for inv in &outputs {
            let bytes = engine::run(inv, prof.clone(), &s.report, &s.render, &mut |_| {})?;
            let ext = inv.command.extension;
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

/// What a trend report says: the series, what grew, the diff graphs
/// written, and how values are formatted.
struct Findings<'a> {
    snaps: &'a [Snapshot],
    holders: &'a [Holder],
    growth: &'a [Growth],
    /// The file name stem of the first → last diff graph.
    first_to_last: String,
    /// Where the graphs are linked from in Markdown (empty: beside it).
    link_base: &'a str,
    graphs: &'a [String],
    kind: &'a str,
    measure: Measure,
    fmt: &'a dyn Fn(i64) -> String,
}

/// What "grew in" means, said in the report itself.
const GREW_IN: &str = "grew in k/n: the value rose in k of the n intervals between consecutive snapshots (n/n: it grew every time).";

/// A snapshot's time as pprof prints it, or `unknown`.
fn time_of(s: &Snapshot, unknown: &str) -> String {
    if s.time_nanos != 0 {
        format_time(s.time_nanos)
    } else {
        unknown.to_string()
    }
}

impl Findings<'_> {
    /// The plain-text report.
    fn text(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{} snapshots of {}, in time order:",
            self.snaps.len(),
            self.kind
        );
        for s in self.snaps {
            let time = time_of(s, "time unknown");
            let _ = writeln!(
                o,
                "  {:<40} {:<32} total {}",
                s.name,
                time,
                (self.fmt)(s.total)
            );
        }
        let (f, l) = (self.snaps[0].total, self.snaps[self.snaps.len() - 1].total);
        let _ = writeln!(
            o,
            "Total: {} -> {} ({})",
            (self.fmt)(f),
            (self.fmt)(l),
            pct(l - f, f)
        );
        if !self.holders.is_empty() {
            let _ = writeln!(
                o,
                "\nGrowing code (the first caller outside the standard library and runtime), first -> last:"
            );
            let _ = writeln!(
                o,
                "{:>12} {:>12} {:>12} {:>8}  holder  <- allocation site that grew most",
                "first", "last", "growth", "grew in"
            );
            for h in self.holders.iter().take(10) {
                let _ = writeln!(
                    o,
                    "{:>12} {:>12} {:>12} {:>8}  {}  <- {} +{}",
                    (self.fmt)(h.first),
                    (self.fmt)(h.last),
                    format!("+{}", (self.fmt)(h.last - h.first)),
                    format!("{}/{}", h.grew, h.intervals),
                    h.name,
                    h.site,
                    (self.fmt)(h.site_growth)
                );
            }
        }
        let what = self.measure.name();
        let _ = writeln!(o, "\nGrowing functions ({what}), first -> last:");
        let _ = writeln!(
            o,
            "{:>12} {:>12} {:>12} {:>8}  function",
            "first", "last", "growth", "grew in"
        );
        for g in self.growth.iter().take(20) {
            let _ = writeln!(
                o,
                "{:>12} {:>12} {:>12} {:>8}  {}",
                (self.fmt)(g.first),
                (self.fmt)(g.last),
                format!("+{}", (self.fmt)(g.last - g.first)),
                format!("{}/{}", g.grew, g.intervals),
                g.name
            );
        }
        let _ = writeln!(o, "\n{GREW_IN}");
        if !self.graphs.is_empty() {
            let _ = writeln!(o, "\nDiff graphs: {}", self.graphs.join(", "));
        }
        o
    }

    /// The Markdown report, with the top of the last snapshot under `cfg`.
    fn markdown(&self, cfg: &Config) -> Result<String, String> {
        let cell = |s: &str| s.replace('|', "\\|");
        let mut o = String::new();
        let _ = writeln!(
            o,
            "## pprof-graph: {} over {} snapshots\n",
            self.kind,
            self.snaps.len()
        );
        let _ = writeln!(o, "| snapshot | time | total |\n|---|---|---:|");
        for s in self.snaps {
            let time = time_of(s, "");
            let _ = writeln!(
                o,
                "| `{}` | {} | {} |",
                cell(&s.name),
                cell(&time),
                (self.fmt)(s.total)
            );
        }
        let (f, l) = (self.snaps[0].total, self.snaps[self.snaps.len() - 1].total);
        let _ = writeln!(
            o,
            "\n**Total:** {} → {} ({})\n",
            (self.fmt)(f),
            (self.fmt)(l),
            pct(l - f, f)
        );
        if !self.holders.is_empty() {
            let _ = writeln!(
                o,
                "### Growing code, first → last\n\nThe first caller outside the standard library and runtime of each allocation, with the allocation site that grew most under it.\n"
            );
            let _ = writeln!(
                o,
                "| holder | first | last | growth | grew in | allocation site |\n|---|---:|---:|---:|---:|---|"
            );
            for h in self.holders.iter().take(10) {
                let _ = writeln!(
                    o,
                    "| `{}` | {} | {} | +{} | {}/{} | `{}` +{} |",
                    cell(&h.name),
                    (self.fmt)(h.first),
                    (self.fmt)(h.last),
                    (self.fmt)(h.last - h.first),
                    h.grew,
                    h.intervals,
                    cell(&h.site),
                    (self.fmt)(h.site_growth)
                );
            }
            o.push('\n');
        }
        let what = self.measure.name();
        let _ = writeln!(o, "### Growing functions ({what}), first → last\n");
        let _ = writeln!(
            o,
            "| function | first | last | growth | grew in |\n|---|---:|---:|---:|---:|"
        );
        for g in self.growth.iter().take(15) {
            let _ = writeln!(
                o,
                "| `{}` | {} | {} | +{} | {}/{} |",
                cell(&g.name),
                (self.fmt)(g.first),
                (self.fmt)(g.last),
                (self.fmt)(g.last - g.first),
                g.grew,
                g.intervals
            );
        }
        let _ = writeln!(o, "\n{GREW_IN}");
        let last = &self.snaps[self.snaps.len() - 1];
        let top_cfg = Config {
            node_count: 10,
            ..cfg.clone()
        };
        let mut rpt = engine::report(
            &Invocation::plain("top"),
            last.prof.clone(),
            &top_cfg,
            &mut |_| {},
        )?;
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
        if !self.graphs.is_empty() {
            let link = |g: &str| {
                if self.link_base.is_empty() {
                    g.to_string()
                } else {
                    format!("{}/{g}", self.link_base)
                }
            };
            let _ = writeln!(o, "\n### Diff graphs\n");
            let picture = [".png", ".svg"].iter().find_map(|ext| {
                self.graphs
                    .iter()
                    .find(|g| **g == format!("{}{ext}", self.first_to_last))
            });
            if let Some(p) = picture {
                let _ = writeln!(o, "![first → last]({})\n", link(p));
            }
            for g in self.graphs {
                let _ = writeln!(o, "- [{g}]({})", link(g));
            }
        }
        Ok(o)
    }
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
