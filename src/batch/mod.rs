//! `pprof-graph batch DIR -o OUTDIR [report flags]`: every profile under
//! DIR (found by content, recursively) rendered to the chosen formats on all
//! cores, outputs mirrored under OUTDIR with safe names, up-to-date outputs
//! skipped, an optional stable shard of the inputs, and `OUTDIR/index.html`,
//! a gallery rebuilt from the `.meta` files every rendered snapshot leaves.

pub mod index;

use crate::base::write;
use crate::engine::flags::{self, CommandLine, FlagDef};
use crate::engine::{self, Invocation, Settings};
use crate::profile::Profile;
use crate::source::{self, discover};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// File holding the report flags the outputs in OUTDIR were made with.
const SETTINGS_FILE: &str = ".pprof-graph-settings";

/// One input file.
#[derive(Clone, Debug)]
pub struct Input {
    /// Where it is.
    pub path: PathBuf,
    /// Its path relative to DIR, with `/` separators.
    pub rel: String,
    /// Its outputs' path relative to OUTDIR, without extension.
    pub out_base: PathBuf,
}

/// How one input went.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Rendered.
    Rendered,
    /// Outputs were up to date.
    UpToDate,
    /// Not a profile at all (skipped quietly).
    NotAProfile,
    /// A profile that could not be rendered: the message.
    Failed(String),
}

/// A name safe to create under OUTDIR: letters, digits, `.`, `-`, `_`
/// kept, anything else `_`; never `.`/`..` or hidden.
fn safe_component(s: &str) -> String {
    let mut c: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if c.starts_with('.') {
        c.replace_range(0..1, "_");
    }
    if c.is_empty() {
        c.push('_');
    }
    c
}

/// The output path (without extension) for an input's relative path:
/// the same folders, the file name without `.gz`/`.pb`/`.pprof`/`.prof`.
fn output_base(rel: &str) -> PathBuf {
    let mut parts: Vec<String> = rel.split('/').map(safe_component).collect();
    if let Some(last) = parts.last_mut() {
        let mut stem = last.as_str();
        for suffix in [".gz", ".pb", ".pprof", ".prof", ".proto"] {
            stem = stem.strip_suffix(suffix).unwrap_or(stem);
        }
        *last = if stem.is_empty() || stem == "_" {
            last.clone()
        } else {
            stem.to_string()
        };
    }
    parts.iter().collect()
}

/// Plans the inputs: output names (disambiguated when two inputs would
/// share one) and the shard `i` of `n` (1-based), chosen by a stable hash.
pub fn plan(files: Vec<(PathBuf, String)>, shard: Option<(u64, u64)>) -> Vec<Input> {
    let mut used: std::collections::HashMap<PathBuf, usize> = Default::default();
    let mut inputs = Vec::with_capacity(files.len());
    for (path, rel) in files {
        let mut base = output_base(&rel);
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let name = base
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            base.set_file_name(format!("{name}-{n}"));
        }
        inputs.push(Input {
            path,
            rel,
            out_base: base,
        });
    }
    if let Some((i, n)) = shard {
        inputs.retain(|inp| fnv1a(inp.rel.as_bytes()) % n == i - 1);
    }
    inputs
}

/// FNV-1a: a hash that is the same on every machine and run.
fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn mtime(p: &Path) -> Option<SystemTime> {
    fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// `name` with `.suffix` appended to its last component.
fn with_suffix(base: &Path, suffix: &str) -> PathBuf {
    let mut p = base.to_path_buf();
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    p.set_file_name(format!("{name}.{suffix}"));
    p
}

/// What every snapshot is rendered to: the commands given (one per
/// extension), or SVG and PNG.
fn outputs_of(s: &Settings) -> Result<Vec<Invocation>, String> {
    let mut out: Vec<Invocation> = Vec::new();
    for inv in &s.commands {
        if !out
            .iter()
            .any(|o| o.command.extension == inv.command.extension)
        {
            out.push(inv.clone());
        }
    }
    if out.is_empty() {
        out.push(Invocation::plain("svg"));
        out.push(Invocation::plain("png"));
    }
    Ok(out)
}

/// The run-wide inputs of every snapshot: settings, outputs and the
/// loaded bases.
struct Job<'a> {
    settings: &'a Settings,
    outputs: Vec<Invocation>,
    bases: Vec<Profile>,
    outdir: &'a Path,
    fresh: bool,
}

/// Renders one input to every output.
fn render_one(inp: &Input, job: &Job) -> Outcome {
    let s = job.settings;
    let base = job.outdir.join(&inp.out_base);
    let outputs: Vec<(&Invocation, PathBuf)> = job
        .outputs
        .iter()
        .map(|inv| (inv, with_suffix(&base, inv.command.extension)))
        .collect();
    let meta_path = with_suffix(&base, "meta");
    if !job.fresh {
        if let Some(src) = mtime(&inp.path) {
            let up_to_date = outputs
                .iter()
                .map(|(_, p)| p)
                .chain(std::iter::once(&meta_path))
                .all(|p| mtime(p).is_some_and(|t| t >= src));
            if up_to_date {
                return Outcome::UpToDate;
            }
        }
    }
    let fail = |e: String| Outcome::Failed(format!("{}: {e}", inp.rel));
    let prof = match discover::read(&inp.path, s.sources.max_decompressed) {
        Ok(Some(p)) => p,
        Ok(None) => return Outcome::NotAProfile,
        Err(e) => return fail(e),
    };
    let prof = match source::combine(vec![prof], job.bases.clone(), &s.sources, &mut |_| {}) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    if let Some(parent) = meta_path.parent() {
        if let Err(e) = fs::create_dir_all(parent) {
            return Outcome::Failed(format!("{}: {}", parent.display(), write::describe_io(&e)));
        }
    }
    let extensions: Vec<&str> = job.outputs.iter().map(|i| i.command.extension).collect();
    let meta = index::Meta::of(&prof, &s.report, &inp.rel, &extensions);
    for (inv, path) in &outputs {
        let result = engine::run(inv, prof.clone(), &s.report, &s.render, &mut |_| {})
            .and_then(|bytes| write::write_atomic(path, &bytes));
        if let Err(e) = result {
            return fail(e);
        }
    }
    match meta {
        Ok(m) => {
            if let Err(e) = write::write_atomic(&meta_path, m.to_text().as_bytes()) {
                return Outcome::Failed(e);
            }
        }
        Err(e) => return fail(e),
    }
    Outcome::Rendered
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("invalid --shard {s:?}: use I/N with 1 <= I <= N");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (u64, u64) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || i == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

/// The report flags that decide what the outputs look like (all but the
/// batch bookkeeping ones), one per line.
fn fingerprint(args: &[String]) -> String {
    let mut out = String::new();
    let mut skip_next = false;
    for a in args {
        if skip_next {
            skip_next = false;
            continue;
        }
        let name = a.trim_start_matches('-');
        let name = name.split_once('=').map_or(name, |(n, _)| n);
        match name {
            "o" | "output" | "shard" | "jobs" if !a.contains('=') => {
                skip_next = a.starts_with('-');
                continue;
            }
            "o" | "output" | "shard" | "jobs" | "force" | "index-only" => continue,
            _ => {}
        }
        if !a.starts_with('-') {
            continue;
        }
        out.push_str(a);
        out.push('\n');
    }
    out
}

/// The flags only `pprof-graph batch` has.
const BATCH_FLAGS: &[FlagDef] = &[
    FlagDef::switch(
        "force",
        HEADING,
        "Render again even when the outputs are up to date",
    ),
    FlagDef::value(
        "shard",
        "I/N",
        HEADING,
        "Render only the I-th of N stable shares of the inputs (1-based)",
    ),
    FlagDef::switch(
        "index-only",
        HEADING,
        "Only rebuild OUTDIR/index.html from what OUTDIR holds",
    ),
    FlagDef::value(
        "jobs",
        "N",
        HEADING,
        "Profiles rendered at once (default: all cores)",
    ),
];

const HEADING: &str = "Batch";

/// `pprof-graph batch`'s command line.
pub const COMMAND_LINE: CommandLine =
    CommandLine::new("pprof-graph batch", ABOUT, USAGE, ARGUMENT, BATCH_FLAGS);

const ABOUT: &str = "Render every profile under DIR (found by content) to OUTDIR on all cores, with a gallery (OUTDIR/index.html).";
const USAGE: &str = "pprof-graph batch DIR -o OUTDIR [-svg] [-png] [-top] [REPORT FLAGS]\n       pprof-graph batch --index-only OUTDIR";
const ARGUMENT: (&str, &str, &str) = (
    "dir",
    "DIR",
    "The folder of snapshots (OUTDIR with --index-only)",
);

/// Runs `pprof-graph batch` on its arguments; returns the exit status.
pub fn run(args: Vec<String>) -> i32 {
    let raw = args.clone();
    COMMAND_LINE.run(args, |m| execute(m, &raw))
}

fn execute(m: &clap::ArgMatches, raw: &[String]) -> Result<i32, String> {
    let s = flags::resolve(m, "dir", &mut |w| eprintln!("{w}"))?;
    let inputs = &s.sources.inputs;
    if inputs.len() != 1 {
        return Err("give one folder: pprof-graph batch DIR -o OUTDIR".into());
    }
    if flags::get_bool(m, "index-only")? {
        let outdir = PathBuf::from(&inputs[0]);
        let n = index::write_index(&outdir)?;
        eprintln!(
            "batch: index of {n} snapshots written to {}",
            outdir.join("index.html").display()
        );
        return Ok(0);
    }
    let dir = PathBuf::from(&inputs[0]);
    let outdir = s
        .output
        .clone()
        .ok_or("batch needs an output folder: -o OUTDIR")?;
    let shard = flags::get(m, "shard")
        .map(|v| parse_shard(&v))
        .transpose()?;
    let jobs = match flags::get(m, "jobs") {
        Some(j) => j
            .parse::<usize>()
            .ok()
            .filter(|&j| j > 0)
            .ok_or_else(|| format!("invalid --jobs {j:?}"))?,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let bases = source::load_bases(&s.sources, &mut |e| eprintln!("pprof-graph batch: {e}"))?;
    fs::create_dir_all(&outdir)
        .map_err(|e| format!("{}: {}", outdir.display(), write::describe_io(&e)))?;
    let fp = fingerprint(raw);
    let settings_path = outdir.join(SETTINGS_FILE);
    let force = flags::get_bool(m, "force")?;
    let fresh = force || fs::read_to_string(&settings_path).ok().as_deref() != Some(fp.as_str());
    write::write_atomic(&settings_path, fp.as_bytes())?;
    let job = Job {
        settings: &s,
        outputs: outputs_of(&s)?,
        bases,
        outdir: &outdir,
        fresh,
    };

    let inputs = plan(discover::find_files(&dir)?, shard);
    let bar =
        ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed_precise} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| format!("starting {jobs} workers: {e}"))?;
    let outcomes: Vec<Outcome> = pool.install(|| {
        inputs
            .par_iter()
            .map(|inp| {
                let o = render_one(inp, &job);
                if let Outcome::Failed(msg) = &o {
                    bar.suspend(|| eprintln!("pprof-graph batch: {msg}"));
                }
                bar.inc(1);
                o
            })
            .collect()
    });
    bar.finish_and_clear();
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let failed = count(|o| matches!(o, Outcome::Failed(_)));
    let n = index::write_index(&outdir)?;
    eprintln!(
        "batch: {} rendered, {} up to date, {} failed, {} not profiles; index of {} snapshots in {}",
        count(|o| *o == Outcome::Rendered),
        count(|o| *o == Outcome::UpToDate),
        failed,
        count(|o| *o == Outcome::NotAProfile),
        n,
        outdir.join("index.html").display()
    );
    Ok(if failed > 0 { 1 } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_are_safe() {
        assert_eq!(output_base("a/b/heap.pb.gz"), PathBuf::from("a/b/heap"));
        assert_eq!(
            output_base("x y/../heap.prof"),
            PathBuf::from("x_y/_./heap")
        );
        assert_eq!(output_base(".hidden"), PathBuf::from("_hidden"));
        assert_eq!(
            output_base("weird\u{e9}name.pb"),
            PathBuf::from("weird_name")
        );
    }

    #[test]
    fn shards_split_the_inputs() {
        let files: Vec<(PathBuf, String)> = (0..50)
            .map(|i| (PathBuf::from(format!("p{i}")), format!("p{i}.pb.gz")))
            .collect();
        let all = plan(files.clone(), None).len();
        let a = plan(files.clone(), Some((1, 3))).len();
        let b = plan(files.clone(), Some((2, 3))).len();
        let c = plan(files, Some((3, 3))).len();
        assert_eq!(a + b + c, all);
        assert!(a > 0 && b > 0 && c > 0);
        assert!(parse_shard("0/2").is_err() && parse_shard("3/2").is_err());
        assert_eq!(parse_shard("2/2"), Ok((2, 2)));
    }

    #[test]
    fn colliding_names_are_disambiguated() {
        let files = vec![
            (PathBuf::from("a"), "heap.pb".to_string()),
            (PathBuf::from("b"), "heap.pb.gz".to_string()),
        ];
        let p = plan(files, None);
        assert_eq!(p[0].out_base, PathBuf::from("heap"));
        assert_eq!(p[1].out_base, PathBuf::from("heap-2"));
    }
}
