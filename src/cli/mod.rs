//! The command line: flags parsed to raw values ([`flags`]), resolved into
//! one [`Settings`] struct, then the pipeline run on it.

pub mod flags;

use crate::base::write;
use crate::profile::{self, decode, Profile};
use crate::render::{self, Renderer};
use crate::report::{self, Config, Format, Granularity, Report};
use clap::ArgMatches;
use std::io::Read;
use std::path::PathBuf;

/// The kind of output file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// `-top`/`-text`.
    Text,
    /// `-dot`.
    Dot,
    /// `-list=REGEX`.
    List,
    /// `-traces`.
    Traces,
    /// `-flamegraph`.
    Flame,
    /// `-svg`.
    Svg,
    /// `-png`.
    Png,
}

impl Output {
    /// The file extension of this kind of output.
    pub fn extension(self) -> &'static str {
        match self {
            Output::Text | Output::List | Output::Traces => "txt",
            Output::Dot => "dot",
            Output::Svg => "svg",
            Output::Flame => "flame.svg",
            Output::Png => "png",
        }
    }
}

/// What the user asked for, resolved from the flags.
pub struct Settings {
    /// The profile paths (`-` for stdin); several are merged.
    pub inputs: Vec<String>,
    /// Base profiles to subtract.
    pub bases: Vec<String>,
    /// The bases are `-diff_base` (percentages of the base).
    pub diff_base: bool,
    /// `-normalize`.
    pub normalize: bool,
    /// `-o`/`-output`.
    pub output: Option<PathBuf>,
    /// What to produce.
    pub kind: Output,
    /// Every format flag given (batch renders each).
    pub kinds: Vec<Output>,
    /// The `-list` regex.
    pub symbol: Option<regex::Regex>,
    /// Open the interactive shell.
    pub interactive: bool,
    /// Who draws pictures.
    pub renderer: Renderer,
    /// Cap on PNG pixels.
    pub max_png_pixels: u64,
    /// The report configuration.
    pub report: Config,
    /// Apply pprof's name clean-up (not with `-symbolize=none`).
    pub symbolize: bool,
    /// Cap on decompressed input.
    pub max_decompressed: u64,
    /// How URLs are fetched.
    pub fetch: profile::fetch::FetchOptions,
    /// `--save FILE`: keep the fetched bytes.
    pub save: Option<PathBuf>,
    /// Warnings produced while resolving flags.
    pub warnings: Vec<String>,
}

/// A failure: the message and the exit status.
pub struct Failure {
    /// One line, without the program name.
    pub message: String,
    /// Process exit status.
    pub code: i32,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure { message, code: 1 }
    }
}

fn get_str(m: &ArgMatches, name: &str) -> Option<String> {
    m.get_one::<String>(name).cloned()
}

fn get_bool(m: &ArgMatches, name: &str) -> bool {
    m.get_one::<bool>(name).copied().unwrap_or(false)
}

fn get_parsed<T: std::str::FromStr>(m: &ArgMatches, name: &str) -> Result<Option<T>, String> {
    match m.get_one::<String>(name) {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse::<T>()
            .map(Some)
            .map_err(|_| format!("invalid value {s:?} for flag -{name}")),
    }
}

/// Resolves parsed flags into [`Settings`] (`batch`: for `pprof-graph
/// batch`, where several formats may be given).
pub fn resolve(m: &ArgMatches, batch: bool) -> Result<Settings, String> {
    if !batch {
        for f in [
            "force",
            "shard",
            "index-only",
            "jobs",
            "format",
            "summary",
            "fail-on-growth",
            "fail-on-growth-abs",
        ] {
            if m.contains_id(f) && m.value_source(f) == Some(clap::parser::ValueSource::CommandLine)
            {
                return Err(format!("--{f} only applies to `pprof-graph batch`"));
            }
        }
    }
    let mut warnings = Vec::new();
    let mut cfg = Config::default();
    let output = get_str(m, "output").map(PathBuf::from);

    let formats: Vec<&str> = ["top", "text", "dot", "svg", "png", "traces", "flamegraph"]
        .into_iter()
        .filter(|f| get_bool(m, f))
        .collect();
    let list = get_str(m, "list");
    if list.is_some() && !formats.is_empty() {
        return Err("must set at most one output format".into());
    }
    let kinds: Vec<Output> = formats
        .iter()
        .map(|f| match *f {
            "traces" => Output::Traces,
            "flamegraph" => Output::Flame,
            "dot" => Output::Dot,
            "svg" => Output::Svg,
            "png" => Output::Png,
            _ => Output::Text,
        })
        .collect();
    if formats.len() > 1 && !batch {
        return Err("must set at most one output format".into());
    }
    let kind = match formats.first() {
        _ if list.is_some() => Output::List,
        Some(&"traces") => Output::Traces,
        Some(&"flamegraph") => Output::Flame,
        Some(&"dot") => Output::Dot,
        Some(&"svg") => Output::Svg,
        Some(&"png") => Output::Png,
        Some(_) => Output::Text,
        None => match output
            .as_ref()
            .and_then(|o| o.extension())
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .as_deref()
        {
            Some("dot" | "gv") => Output::Dot,
            Some("svg") => Output::Svg,
            Some("png") => Output::Png,
            _ => Output::Text,
        },
    };
    cfg.format = if matches!(
        kind,
        Output::Text | Output::List | Output::Traces | Output::Flame
    ) {
        Format::Text
    } else {
        Format::Dot
    };
    let symbol = match &list {
        Some(re) => Some(regex::Regex::new(re).map_err(|e| {
            format!(
                "parsing argument regexp {re}: {}",
                profile::filter::regex_error(&e)
            )
        })?),
        None => None,
    };
    cfg.list = symbol.is_some();
    cfg.merge_samples = kind == Output::Traces;
    let renderer = match get_str(m, "renderer").as_deref() {
        None | Some("embedded") => Renderer::Embedded,
        Some("graphviz") => Renderer::Graphviz {
            path: get_str(m, "dot-path").unwrap_or_else(|| "dot".to_string()),
            timeout: std::time::Duration::from_secs(
                get_parsed::<u64>(m, "dot-timeout")?
                    .unwrap_or(render::graphviz::DEFAULT_TIMEOUT.as_secs()),
            ),
        },
        Some(other) => {
            return Err(format!(
                "unknown renderer {other:?}: use embedded or graphviz"
            ))
        }
    };
    let max_png_pixels =
        get_parsed::<u64>(m, "max-png-pixels")?.unwrap_or(render::raster::DEFAULT_MAX_PIXELS);

    cfg.sample_index = get_str(m, "sample_index").unwrap_or_default();
    cfg.mean = get_bool(m, "mean");
    // pprof's legacy shorthands: the first in this fixed order wins.
    let shorthands = [
        ("total_delay", "delay", false),
        ("mean_delay", "delay", true),
        ("contentions", "contentions", false),
        ("inuse_space", "inuse_space", false),
        ("inuse_objects", "inuse_objects", false),
        ("alloc_space", "alloc_space", false),
        ("alloc_objects", "alloc_objects", false),
    ];
    for (flag, index, mean) in shorthands {
        if !get_bool(m, flag) {
            continue;
        }
        if cfg.sample_index.is_empty() {
            cfg.sample_index = index.to_string();
            cfg.mean |= mean;
        } else {
            warnings.push(format!("Multiple value selections, ignoring -{flag}"));
        }
    }

    let set: Vec<&str> = ["functions", "filefunctions", "files", "lines", "addresses"]
        .into_iter()
        .filter(|f| get_bool(m, f))
        .collect();
    if set.len() > 1 {
        return Err(format!("conflicting options set: [{}]", set.join(" ")));
    }
    if let Some(g) = set.first().and_then(|g| Granularity::from_name(g)) {
        cfg.granularity = g;
    }
    cfg.noinlines = get_bool(m, "noinlines");

    for (name, slot) in [
        ("focus", &mut cfg.focus),
        ("ignore", &mut cfg.ignore),
        ("hide", &mut cfg.hide),
        ("show", &mut cfg.show),
        ("show_from", &mut cfg.show_from),
        ("prune_from", &mut cfg.prune_from),
        ("tagfocus", &mut cfg.tagfocus),
        ("tagignore", &mut cfg.tagignore),
        ("tagshow", &mut cfg.tagshow),
        ("taghide", &mut cfg.taghide),
        ("trim_path", &mut cfg.trim_path),
        ("source_path", &mut cfg.source_path),
    ] {
        if let Some(v) = get_str(m, name) {
            *slot = v;
        }
    }
    cfg.relative_percentages = get_bool(m, "relative_percentages");
    if let Some(n) = get_parsed::<i64>(m, "nodecount")? {
        cfg.node_count = n;
    }
    if let Some(f) = get_parsed::<f64>(m, "nodefraction")? {
        cfg.node_fraction = f;
    }
    if let Some(f) = get_parsed::<f64>(m, "edgefraction")? {
        cfg.edge_fraction = f;
    }
    if let Some(t) = m.get_one::<bool>("trim") {
        cfg.trim = *t;
    }
    cfg.cum = get_bool(m, "cum");
    cfg.call_tree = get_bool(m, "call_tree");
    cfg.compact_labels = get_bool(m, "compact_labels");
    cfg.drop_negative = get_bool(m, "drop_negative");
    cfg.palette = match get_str(m, "palette").as_deref() {
        None | Some("pprof") | Some("default") => report::Palette::Pprof,
        Some("colorblind") => report::Palette::Colorblind,
        Some(other) => {
            return Err(format!(
                "unknown palette {other:?}: use pprof or colorblind"
            ))
        }
    };
    if let Some(u) = get_str(m, "unit") {
        cfg.unit = u;
    }
    if let Some(d) = get_parsed::<f64>(m, "divide_by")? {
        cfg.divide_by = d;
    }
    let symbolize = !matches!(
        get_str(m, "symbolize")
            .as_deref()
            .map(str::to_lowercase)
            .as_deref(),
        Some("none" | "no")
    );
    let max_decompressed =
        get_parsed::<u64>(m, "max-decompressed-size")?.unwrap_or(decode::DEFAULT_MAX_DECOMPRESSED);
    let fetch = profile::fetch::FetchOptions {
        timeout: std::time::Duration::from_secs(get_parsed::<u64>(m, "timeout")?.unwrap_or(60)),
        seconds: get_parsed::<u64>(m, "seconds")?,
        max_bytes: max_decompressed,
    };
    let many = |name: &str| -> Vec<String> {
        m.get_many::<String>(name)
            .map(|v| v.cloned().collect())
            .unwrap_or_default()
    };
    let (base, diff) = (many("base"), many("diff_base"));
    let interactive = get_bool(m, "interactive")
        || (kinds.is_empty()
            && list.is_none()
            && !m.contains_id("http")
            && output.is_none()
            && std::io::IsTerminal::is_terminal(&std::io::stdin())
            && std::io::IsTerminal::is_terminal(&std::io::stdout()));
    if !base.is_empty() && !diff.is_empty() {
        return Err("-base and -diff_base flags cannot both be specified".into());
    }
    let diff_base = !diff.is_empty();
    Ok(Settings {
        inputs: many("profile"),
        bases: if diff_base { diff } else { base },
        diff_base,
        normalize: get_bool(m, "normalize"),
        output,
        kind,
        kinds,
        symbol,
        interactive,
        renderer,
        max_png_pixels,
        report: cfg,
        symbolize,
        max_decompressed,
        fetch,
        save: get_str(m, "save").map(PathBuf::from),
        warnings,
    })
}

/// Reads and decodes one profile source (`-` is standard input).
pub fn load_profile(source: &str, max_decompressed: u64) -> Result<Profile, String> {
    let data = read_source(source, max_decompressed)?;
    decode::parse(&data, max_decompressed).map_err(|e| format!("{source}: {e}"))
}

/// Fetches a URL, keeps the bytes when asked, and decodes them.
fn load_url(url: &str, s: &Settings) -> Result<Profile, String> {
    let data = profile::fetch::fetch(url, &s.fetch).map_err(|e| format!("{url}: {e}"))?;
    let prof = decode::parse(&data, s.max_decompressed).map_err(|e| format!("{url}: {e}"))?;
    if let Some(path) = &s.save {
        write::write_atomic(path, &data)?;
    }
    Ok(prof)
}

/// The bytes of a file or of standard input (`-`).
fn read_source(source: &str, max_decompressed: u64) -> Result<Vec<u8>, String> {
    Ok(if source == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(max_decompressed.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| format!("{source}: {}", write::describe_io(&e)))?;
        buf
    } else {
        std::fs::read(source)
            .map_err(|e| format!("{source}: open {source}: {}", write::describe_io(&e)))?
    })
}

/// Loads every path; unreadable ones are reported and skipped, as pprof
/// does, unless none can be read.
fn load_all(paths: &[String], s: &Settings, what: &str) -> Result<Vec<Profile>, String> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let loaded = if profile::fetch::is_url(p) {
            load_url(p, s)
        } else {
            load_profile(p, s.max_decompressed)
        };
        match loaded {
            Ok(prof) => out.push(prof),
            Err(e) => errors.push(e),
        }
    }
    if out.is_empty() {
        let last = errors.pop().unwrap_or_default();
        for e in errors {
            eprintln!("pprof-graph: {e}");
        }
        if paths.len() == 1 {
            return Err(last);
        }
        return Err(format!("{last} (failed to read any {what} profile)"));
    }
    for e in errors {
        eprintln!("pprof-graph: {e} (skipped)");
    }
    Ok(out)
}

/// Runs the program on `args` (without the program name); returns the exit
/// status after printing errors and warnings.
pub fn run(args: Vec<String>) -> i32 {
    match args.first().map(String::as_str) {
        Some("batch") => return crate::batch::run(args[1..].to_vec()),
        Some("trend") => return crate::trend::run(args[1..].to_vec()),
        _ => {}
    }
    let args = flags::normalize(args);
    let matches = match flags::command()
        .try_get_matches_from(std::iter::once("pprof-graph".to_string()).chain(args))
    {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match execute(&matches) {
        Ok(()) => 0,
        Err(f) => {
            eprintln!("pprof-graph: {}", f.message);
            f.code
        }
    }
}

/// Loads the inputs (and bases) of `settings` and prepares the profile as
/// pprof's fetch stage does: merged, name clean-up, drop/keep frames.
pub fn load_sources(settings: &Settings) -> Result<Profile, String> {
    let sources = load_all(&settings.inputs, settings, "source")?;
    let bases = if settings.bases.is_empty() {
        Vec::new()
    } else {
        load_all(&settings.bases, settings, "base")?
    };
    let mut prof = profile::merge::combine(sources, bases, settings.diff_base, settings.normalize)?;
    prepare(&mut prof, settings.symbolize)?;
    Ok(prof)
}

/// Name clean-up (unless `-symbolize=none`) and drop/keep frames.
pub fn prepare(prof: &mut Profile, symbolize: bool) -> Result<(), String> {
    if symbolize {
        profile::symbolize::demangle(prof);
    }
    profile::prune::remove_uninteresting(prof)
}

/// The bytes of one output of a prepared report (`symbol`: the `-list`
/// regex).
pub fn produce(
    rpt: &mut Report,
    kind: Output,
    symbol: Option<&regex::Regex>,
    renderer: &Renderer,
    max_png_pixels: u64,
) -> Result<Vec<u8>, String> {
    Ok(match kind {
        Output::List => {
            let re = symbol.ok_or("-list needs a regex")?;
            report::list::render(rpt, re)?.into_bytes()
        }
        Output::Traces => report::traces::render(rpt).into_bytes(),
        Output::Flame => report::flame::render(rpt).into_bytes(),
        Output::Text => report::text::render(rpt).into_bytes(),
        Output::Dot => report::dot::render(rpt).into_bytes(),
        Output::Svg => render::svg(&report::dot::build(rpt), renderer)?.into_bytes(),
        Output::Png => render::png(&report::dot::build(rpt), renderer, max_png_pixels)?,
    })
}

fn execute(matches: &ArgMatches) -> Result<(), Failure> {
    let settings = resolve(matches, false)?;
    for w in &settings.warnings {
        eprintln!("{w}");
    }
    let prof = load_sources(&settings)?;
    if let Some(spec) = matches.get_one::<String>("http") {
        let open = !matches
            .get_one::<bool>("no-browser")
            .copied()
            .unwrap_or(false);
        return crate::web::serve(prof, &settings, spec, open).map_err(Failure::from);
    }
    if settings.interactive {
        return match crate::shell::run(prof, &settings) {
            0 => Ok(()),
            code => Err(Failure {
                message: "interactive shell failed".into(),
                code,
            }),
        };
    }
    let mut warn = |w: String| eprintln!("{w}");
    let mut rpt = Report::new(prof, &settings.report, &mut warn)?;
    if settings.kind == Output::Png
        && settings.output.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        return Err(
            "refusing to write a PNG to the terminal: use -o FILE or a pipe"
                .to_string()
                .into(),
        );
    }
    let bytes = produce(
        &mut rpt,
        settings.kind,
        settings.symbol.as_ref(),
        &settings.renderer,
        settings.max_png_pixels,
    )?;
    match &settings.output {
        Some(path) => write::write_atomic(path, &bytes)?,
        None => write::write_stdout(&bytes)?,
    }
    // The process ends next: leave the (large) profile to the OS instead of
    // freeing it piece by piece.
    std::mem::forget(rpt);
    Ok(())
}
