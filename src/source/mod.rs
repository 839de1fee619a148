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
    /// `-all_frames`: ignore the profile's drop/keep frame patterns.
    pub all_frames: bool,
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
            all_frames: false,
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
    decode(&data, max_decompressed).map_err(|e| format!("{source}: {e}"))
}

/// Decodes a source's bytes as pprof's fetch does: any format, then
/// [`locate_binaries`].
fn decode(data: &[u8], max_decompressed: u64) -> Result<Profile, decode::DecodeError> {
    let mut prof = decode::parse(data, max_decompressed)?;
    locate_binaries(&mut prof);
    Ok(prof)
}

/// pprof's `locateBinaries`, less the search for binaries (pprof-graph
/// reads none): a profile without mappings gets one empty mapping that
/// every location belongs to, as pprof gives it to attempt symbolization.
fn locate_binaries(prof: &mut Profile) {
    if prof.mappings.is_empty() {
        prof.mappings.push(crate::profile::Mapping {
            id: 1,
            ..Default::default()
        });
        for l in &mut prof.locations {
            l.mapping = Some(0);
        }
    }
}

/// Fetches a URL (saying so, as pprof does), keeps the bytes when asked,
/// and decodes them.
fn load_url(
    url: &str,
    opts: &SourceOptions,
    warn: &mut dyn FnMut(String),
) -> Result<Profile, String> {
    warn(format!(
        "Fetching profile over HTTP from {}",
        fetch::with_seconds(url, opts.fetch.seconds)
    ));
    if let Some(s) = opts.fetch.seconds.filter(|&s| s > 0) {
        warn(format!("Please wait... ({s}s)"));
    }
    let data = fetch::fetch(url, &opts.fetch).map_err(|e| format!("{url}: {e}"))?;
    let prof = decode(&data, opts.max_decompressed).map_err(|e| format!("{url}: {e}"))?;
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
        std::fs::read(source).map_err(|e| {
            // Go's error names the call that failed: pprof looks the file
            // up (stat) before it opens it.
            let call = if e.kind() == std::io::ErrorKind::NotFound {
                "stat"
            } else {
                "open"
            };
            format!("{source}: {call} {source}: {}", write::describe_io(&e))
        })?
    })
}

/// Loads every path as pprof fetches them: each one that cannot be read
/// is reported to `warn` (`PATH: what is wrong`) and skipped; none read
/// is an error, some read is a note of how many.
fn load_all(
    paths: &[String],
    opts: &SourceOptions,
    what: &str,
    warn: &mut dyn FnMut(String),
) -> Result<Vec<Profile>, String> {
    let mut out = Vec::new();
    for p in paths {
        let loaded = if fetch::is_url(p) {
            load_url(p, opts, warn)
        } else {
            load_profile(p, opts.max_decompressed)
        };
        match loaded {
            Ok(prof) => out.push(prof),
            Err(e) => warn(e),
        }
    }
    if out.is_empty() {
        return Err(format!("failed to fetch any {what} profiles"));
    }
    if out.len() != paths.len() {
        warn(format!(
            "Fetched {} {what} profiles out of {}",
            out.len(),
            paths.len()
        ));
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
/// prepares the result ([`prepare`]); pprof's symbolization notes go to
/// `warn`.
pub fn combine(
    sources: Vec<Profile>,
    bases: Vec<Profile>,
    opts: &SourceOptions,
    warn: &mut dyn FnMut(String),
) -> Result<Profile, String> {
    let mut prof = merge::combine(sources, bases, opts.diff_base, opts.normalize)?;
    if opts.all_frames {
        prof.drop_frames.clear();
        prof.keep_frames.clear();
    }
    prepare(&mut prof, opts.symbolize, warn)?;
    Ok(prof)
}

/// Loads the inputs and bases of `opts` into one prepared profile;
/// skipped inputs are reported to `warn`.
pub fn load(opts: &SourceOptions, warn: &mut dyn FnMut(String)) -> Result<Profile, String> {
    let sources = load_all(&opts.inputs, opts, "source", warn)?;
    let bases = load_bases(opts, warn)?;
    combine(sources, bases, opts, warn)
}

/// pprof's post-fetch steps: symbolization (unless `-symbolize=none`:
/// what pprof says of the mappings it would need binaries for, then the
/// name clean-up) and drop/keep frames.
pub fn prepare(
    prof: &mut Profile,
    symbolize: bool,
    warn: &mut dyn FnMut(String),
) -> Result<(), String> {
    if symbolize {
        for note in symbolization_notes(prof) {
            warn(note);
        }
        symbolize::demangle(prof);
    }
    prune::remove_uninteresting(prof)
}

/// What pprof's local symbolization prints for `prof`: for each mapping
/// that has locations but no symbols, that the main binary's name is
/// unknown, or that its binary cannot be opened; then, if any binary was
/// missing, where to look for them. Binaries that exist are not read
/// (pprof-graph does not symbolize), so they add nothing.
pub fn symbolization_notes(prof: &Profile) -> Vec<String> {
    let mut used = vec![false; prof.mappings.len()];
    for l in &prof.locations {
        if let Some(m) = l.mapping {
            used[m as usize] = true;
        }
    }
    let mut notes = Vec::new();
    let mut missing = false;
    for (i, m) in prof.mappings.iter().enumerate() {
        if !used[i] || m.is_symbolized() {
            continue;
        }
        if m.file.is_empty() {
            if i == 0 {
                notes.push("Main binary filename not available.".to_string());
            } else {
                missing = true;
            }
            continue;
        }
        if m.is_unsymbolizable() || (m.build_id.is_empty() && is_http_url(&m.file)) {
            continue;
        }
        if let Err(e) = std::fs::metadata(&m.file) {
            let mut name = crate::base::gopath::base_name(&m.file).to_string();
            if !m.build_id.is_empty() {
                name.push_str(&format!(" (build ID {})", m.build_id));
            }
            notes.push(format!(
                "Local symbolization failed for {name}: open {}: {}",
                m.file,
                write::describe_io(&e)
            ));
            missing = true;
        }
    }
    if missing {
        notes.push(
            "Some binary filenames not available. Symbolization may be incomplete.\n\
             Try setting PPROF_BINARY_PATH to the search path for local binaries."
                .to_string(),
        );
    }
    notes
}

/// Whether `file` is an absolute URL with an http(s) scheme.
fn is_http_url(file: &str) -> bool {
    file.split_once("://")
        .is_some_and(|(scheme, _)| scheme.to_lowercase().contains("http"))
}
