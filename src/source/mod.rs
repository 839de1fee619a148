//! Sources: bytes from files, standard input or URLs turned into one
//! merged, prepared [`Profile`], as pprof's fetch stage does: every input
//! decoded, merged, the bases subtracted, names cleaned up and frames
//! dropped. [`discover`] finds the profiles in a folder.

pub mod discover;
pub mod fetch;

use crate::base::write;
use crate::profile::{decode, merge, prune, symbolize, Profile};
use std::io::Read;
use std::path::PathBuf;

/// Where the profiles come from and how they are read.
#[derive(Clone, Debug)]
pub struct SourceOptions {
    /// The profile paths or URLs (`-` for stdin); several are merged.
    pub inputs: Vec<String>,
    /// Base profiles to subtract.
    pub bases: Vec<String>,
    /// The bases are `-diff_base` (percentages of the base).
    pub diff_base: bool,
    /// `-normalize`.
    pub normalize: bool,
    /// Apply pprof's name clean-up (not with `-symbolize=none`).
    pub symbolize: bool,
    /// Cap on decompressed input.
    pub max_decompressed: u64,
    /// How URLs are fetched.
    pub fetch: fetch::FetchOptions,
    /// `--save FILE`: keep the fetched bytes.
    pub save: Option<PathBuf>,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            inputs: Vec::new(),
            bases: Vec::new(),
            diff_base: false,
            normalize: false,
            symbolize: true,
            max_decompressed: decode::DEFAULT_MAX_DECOMPRESSED,
            fetch: fetch::FetchOptions {
                timeout: std::time::Duration::from_secs(60),
                seconds: None,
                max_bytes: decode::DEFAULT_MAX_DECOMPRESSED,
            },
            save: None,
        }
    }
}

/// Reads and decodes one profile file (`-` is standard input).
fn load_profile(source: &str, max_decompressed: u64) -> Result<Profile, String> {
    let data = read_source(source, max_decompressed)?;
    decode::parse(&data, max_decompressed).map_err(|e| format!("{source}: {e}"))
}

/// Fetches a URL, keeps the bytes when asked, and decodes them.
fn load_url(url: &str, opts: &SourceOptions) -> Result<Profile, String> {
    let data = fetch::fetch(url, &opts.fetch).map_err(|e| format!("{url}: {e}"))?;
    let prof = decode::parse(&data, opts.max_decompressed).map_err(|e| format!("{url}: {e}"))?;
    if let Some(path) = &opts.save {
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

/// Loads every path; unreadable ones are reported to `warn` and skipped,
/// as pprof does, unless none can be read.
fn load_all(
    paths: &[String],
    opts: &SourceOptions,
    what: &str,
    warn: &mut dyn FnMut(String),
) -> Result<Vec<Profile>, String> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let loaded = if fetch::is_url(p) {
            load_url(p, opts)
        } else {
            load_profile(p, opts.max_decompressed)
        };
        match loaded {
            Ok(prof) => out.push(prof),
            Err(e) => errors.push(e),
        }
    }
    if out.is_empty() {
        let last = errors.pop().unwrap_or_default();
        for e in errors {
            warn(e);
        }
        if paths.len() == 1 {
            return Err(last);
        }
        return Err(format!("{last} (failed to read any {what} profile)"));
    }
    for e in errors {
        warn(format!("{e} (skipped)"));
    }
    Ok(out)
}

/// The base profiles of `opts`, loaded once (empty without bases).
pub fn load_bases(
    opts: &SourceOptions,
    warn: &mut dyn FnMut(String),
) -> Result<Vec<Profile>, String> {
    if opts.bases.is_empty() {
        return Ok(Vec::new());
    }
    load_all(&opts.bases, opts, "base", warn)
}

/// Combines loaded sources with loaded bases as `opts` says, then
/// prepares the result ([`prepare`]).
pub fn combine(
    sources: Vec<Profile>,
    bases: Vec<Profile>,
    opts: &SourceOptions,
) -> Result<Profile, String> {
    let mut prof = merge::combine(sources, bases, opts.diff_base, opts.normalize)?;
    prepare(&mut prof, opts.symbolize)?;
    Ok(prof)
}

/// Loads the inputs and bases of `opts` into one prepared profile;
/// skipped inputs are reported to `warn`.
pub fn load(opts: &SourceOptions, warn: &mut dyn FnMut(String)) -> Result<Profile, String> {
    let sources = load_all(&opts.inputs, opts, "source", warn)?;
    let bases = load_bases(opts, warn)?;
    combine(sources, bases, opts)
}

/// pprof's post-fetch clean-up: names (unless `-symbolize=none`) and
/// drop/keep frames.
pub fn prepare(prof: &mut Profile, symbolize: bool) -> Result<(), String> {
    if symbolize {
        symbolize::demangle(prof);
    }
    prune::remove_uninteresting(prof)
}
