//! Sources: bytes from files, standard input or URLs turned into one
//! merged, prepared [`Profile`], as pprof's fetch stage does: every input
//! decoded, merged, the bases subtracted, names cleaned up and frames
//! dropped. [`discover`] finds the profiles in a folder.

pub mod binary;
pub mod discover;
pub mod fetch;

use crate::base::write;
use crate::profile::decode::is_gzip;
use crate::profile::heapdump::{self, retention};
use crate::profile::{decode, merge, prune, symbolize, Profile};
use std::io::Read;
use std::path::PathBuf;

/// Where the profiles come from and how they are read.
#[derive(Clone, Debug)]
pub struct SourceOptions {
    /// The profile paths or URLs (`-` for stdin); several are merged.
    pub inputs: Vec<String>,
    /// The binary named before the sources: the main mapping's file, and
    /// the symbols that name a heap dump's globals.
    pub binary: Option<String>,
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
            binary: None,
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

/// Reads and decodes one profile file (`-` is standard input). A raw heap
/// dump on disk is read as a stream, never whole.
fn load_profile(
    source: &str,
    opts: &SourceOptions,
    warn: &mut dyn FnMut(String),
) -> Result<Profile, String> {
    let binary = opts.binary.as_deref();
    if let Some(file) = (source != "-").then(|| heap_dump_file(source)).flatten() {
        let reader = std::io::BufReader::with_capacity(1 << 16, file);
        return read_heap_dump(reader, opts.max_decompressed, binary, warn)
            .map(|p| finish_decoding(p, binary))
            .map_err(|e| format!("{source}: {e}"));
    }
    let data = read_source(source, opts.max_decompressed)?;
    let release = |read: std::ops::Range<usize>| data.release(read);
    decode_releasing(&data, opts.max_decompressed, binary, warn, &release)
        .map_err(|e| format!("{source}: {e}"))
}

/// The file at `path`, open at its start, if it is a raw heap dump.
fn heap_dump_file(path: &str) -> Option<std::fs::File> {
    use std::io::{Seek, SeekFrom};
    let mut f = std::fs::File::open(path).ok()?;
    let mut head = [0u8; heapdump::HEADER.len()];
    f.read_exact(&mut head).ok()?;
    heapdump::is_heap_dump(&head).then_some(())?;
    f.seek(SeekFrom::Start(0)).ok()?;
    Some(f)
}

/// Decodes a source's bytes as pprof's fetch does: any profile format (or
/// a Go heap dump, as its retention profile), then [`locate_binaries`];
/// `binary`, when given, becomes the main mapping's file.
pub fn decode(
    data: &[u8],
    max_decompressed: u64,
    binary: Option<&str>,
    warn: &mut dyn FnMut(String),
) -> Result<Profile, decode::DecodeError> {
    decode_releasing(data, max_decompressed, binary, warn, &|_| {})
}

/// [`decode`], telling `release` what of a gzipped profile has been read.
fn decode_releasing(
    data: &[u8],
    max_decompressed: u64,
    binary: Option<&str>,
    warn: &mut dyn FnMut(String),
    release: decode::Release<'_>,
) -> Result<Profile, decode::DecodeError> {
    let prof = if !looks_like_heap_dump(data) {
        let limits = decode::Limits {
            max_decompressed,
            ..decode::Limits::default()
        };
        decode::parse_releasing(data, &limits, release)?
    } else if is_gzip(data) {
        let reader = flate2::bufread::MultiGzDecoder::new(data);
        read_heap_dump(reader, max_decompressed, binary, warn)?
    } else {
        read_heap_dump(data, max_decompressed, binary, warn)?
    };
    Ok(finish_decoding(prof, binary))
}

/// [`locate_binaries`], and `binary` as the main mapping's file.
fn finish_decoding(mut prof: Profile, binary: Option<&str>) -> Profile {
    locate_binaries(&mut prof);
    if let Some(b) = binary {
        prof.mappings[0].file = b.to_string();
    }
    prof
}

/// Whether `data`, raw or gzipped, starts with a heap dump's header.
fn looks_like_heap_dump(data: &[u8]) -> bool {
    if !is_gzip(data) {
        return heapdump::is_heap_dump(data);
    }
    let mut head = [0u8; heapdump::HEADER.len()];
    flate2::bufread::MultiGzDecoder::new(data)
        .read_exact(&mut head)
        .is_ok()
        && heapdump::is_heap_dump(&head)
}

/// The retention profile of the heap dump `input` holds (inflated); its
/// globals are named from `binary`.
fn read_heap_dump(
    input: impl Read,
    max_decompressed: u64,
    binary: Option<&str>,
    warn: &mut dyn FnMut(String),
) -> Result<Profile, decode::DecodeError> {
    let limits = heapdump::Limits {
        max_bytes: max_decompressed,
        ..Default::default()
    };
    let dump = heapdump::read(input, &limits).map_err(decode::DecodeError::HeapDump)?;
    let names = match binary {
        Some(b) => binary::global_names(b).map_err(decode::DecodeError::HeapDump)?,
        None => {
            warn("Heap dump globals are named by segment and offset: name the binary that wrote it first (pprof-graph BINARY DUMP) for their names".to_string());
            retention::GlobalNames::default()
        }
    };
    Ok(retention::retention(dump, &names))
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
    let prof = decode(&data, opts.max_decompressed, opts.binary.as_deref(), warn)
        .map_err(|e| format!("{url}: {e}"))?;
    if let Some(path) = &opts.save {
        write::write_atomic(path, &data)?;
    }
    Ok(prof)
}

/// The bytes of a source: read into memory, or (regular files) mapped.
enum Input {
    Read(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Input {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Input::Read(v) => v,
            Input::Mapped(m) => m,
        }
    }
}

impl Input {
    /// Lets the pages of a mapped file within `read` go (they are read
    /// again from the file if needed).
    fn release(&self, read: std::ops::Range<usize>) {
        if let Input::Mapped(map) = self {
            const PAGE: usize = 4096;
            let start = read.start.next_multiple_of(PAGE);
            let end = read.end / PAGE * PAGE;
            if start < end {
                // SAFETY: the map is private and read-only: dropped pages
                // come back from the file, unchanged.
                let _ = unsafe {
                    map.unchecked_advise_range(
                        memmap2::UncheckedAdvice::DontNeed,
                        start,
                        end - start,
                    )
                };
            }
        }
    }
}

/// Files at least this big are mapped instead of read: decoding starts on
/// the first pages instead of after the last, and nothing is copied.
const MAP_AT_LEAST: u64 = 1 << 20;

/// The bytes of a file or of standard input (`-`).
fn read_source(source: &str, max_decompressed: u64) -> Result<Input, String> {
    if source == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(max_decompressed.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| format!("{source}: {}", write::describe_io(&e)))?;
        return Ok(Input::Read(buf));
    }
    // Go's error names the call that failed: pprof looks the file up
    // (stat) before it opens it, then reads it.
    let failed = |call: &str, e: std::io::Error| {
        let call = if e.kind() == std::io::ErrorKind::NotFound {
            "stat"
        } else {
            call
        };
        format!("{source}: {call} {source}: {}", write::describe_io(&e))
    };
    let mut file = std::fs::File::open(source).map_err(|e| failed("open", e))?;
    let meta = file.metadata().map_err(|e| failed("open", e))?;
    if meta.is_file() && meta.len() >= MAP_AT_LEAST {
        // SAFETY: the map is only read. A file rewritten while it is read
        // gives other bytes, which decoding checks like any input; one cut
        // short faults on the pages gone (SIGBUS), as mapped files do.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            let _ = map.advise(memmap2::Advice::Sequential);
            return Ok(Input::Mapped(map));
        }
    }
    let mut buf = Vec::new();
    file.read_to_end(&mut buf).map_err(|e| failed("read", e))?;
    Ok(Input::Read(buf))
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
            load_profile(p, opts, warn)
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
