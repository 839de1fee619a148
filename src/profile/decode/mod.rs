//! Bytes → [`Profile`]: gzip detection by content, a cap on the
//! decompressed size, protobuf decoding, string/id resolution and pprof's
//! validity checks. Errors read like pprof's (`parsing profile: …`,
//! `decompressing profile: …`, `malformed profile: …`).

mod samples;
pub(super) mod wire;

use super::{proto, Function, Line, Location, Mapping, Profile, Sample, ValueType};
use prost::Message;
use samples::{decode_sample, Batcher, Decoded};
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use wire::{next_field, Field};

/// Default cap on the decompressed size of one profile: 2 GiB.
pub const DEFAULT_MAX_DECOMPRESSED: u64 = 2 << 30;

/// Why a profile could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The input is empty.
    Empty,
    /// The gzip stream is broken or truncated.
    Decompress(String),
    /// The decompressed data exceeds the cap.
    TooLarge(u64),
    /// Not a profile.proto message (nor any other format we read).
    Unrecognized,
    /// A protobuf that breaks an invariant of the format.
    Malformed(String),
    /// Two profiles concatenated into one stream.
    Concatenated,
    /// More of something than [`Limits`] allow: (what, limit).
    Limit(&'static str, u64),
    /// A legacy text profile that is broken.
    Legacy(String),
    /// A Go heap dump that cannot be read (the message says why).
    HeapDump(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "parsing profile: empty input file"),
            DecodeError::Decompress(e) => write!(f, "decompressing profile: {e}"),
            DecodeError::TooLarge(cap) => write!(
                f,
                "decompressing profile: decompressed size exceeds the limit of {cap} bytes (raise it with --max-decompressed-size)"
            ),
            DecodeError::Unrecognized => write!(f, "parsing profile: unrecognized profile format"),
            DecodeError::Malformed(e) => write!(f, "malformed profile: {e}"),
            DecodeError::Legacy(e) => write!(f, "parsing profile: {e}"),
            DecodeError::HeapDump(e) => write!(f, "{e}"),
            DecodeError::Limit(what, cap) => {
                write!(f, "profile exceeds a limit: more than {cap} {what}")
            }
            DecodeError::Concatenated => {
                write!(f, "parsing profile: concatenated profiles detected")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Caps on what one profile may hold; beyond them decoding stops with an
/// error instead of exhausting memory.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Decompressed bytes.
    pub max_decompressed: u64,
    /// Samples.
    pub max_samples: usize,
    /// Locations.
    pub max_locations: usize,
    /// Strings in the string table.
    pub max_strings: usize,
    /// Frames of one sample's stack.
    pub max_stack_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_decompressed: DEFAULT_MAX_DECOMPRESSED,
            max_samples: 100_000_000,
            max_locations: 50_000_000,
            max_strings: 50_000_000,
            max_stack_depth: 65_536,
        }
    }
}

/// Decodes a gzip-compressed or raw profile.proto, refusing more than
/// `max_decompressed` bytes of decompressed data (other limits default).
pub fn parse(data: &[u8], max_decompressed: u64) -> Result<Profile, DecodeError> {
    parse_with(
        data,
        &Limits {
            max_decompressed,
            ..Limits::default()
        },
    )
}

/// Decodes under `limits`. Gzip input is inflated on a second thread
/// while this one decodes what has arrived. Only the bytes of fields not
/// yet complete are held, unless the samples must be decoded a second time
/// (location ids other than 1..n): then the input is read again, keeping
/// every byte.
pub fn parse_with(data: &[u8], limits: &Limits) -> Result<Profile, DecodeError> {
    parse_releasing(data, limits, &|_| {})
}

/// Told, now and then, a range of the compressed input that the inflater
/// has read (it may be read again later, from the start).
pub type Release<'a> = &'a (dyn Fn(std::ops::Range<usize>) + Sync);

/// [`parse_with`], telling `release` what of gzip input has been read, so
/// that a mapped file's pages can go as inflating moves on.
pub fn parse_releasing(
    data: &[u8],
    limits: &Limits,
    release: Release<'_>,
) -> Result<Profile, DecodeError> {
    if data.is_empty() {
        return Err(DecodeError::Empty);
    }
    let decoded = match decode_stream(data, limits, false, release) {
        Ok(Some(p)) => Ok(p),
        Ok(None) => decode_stream(data, limits, true, release)
            .and_then(|p| p.ok_or(DecodeError::Unrecognized)),
        Err(e) => Err(e),
    };
    decoded.or_else(|e| legacy_fallback(e, data, limits.max_decompressed))
}

/// Whether `data` starts with the gzip magic.
pub fn is_gzip(data: &[u8]) -> bool {
    data.len() >= 2 && data[0] == 0x1f && data[1] == 0x8b
}

/// One pass over the input; `None` when the samples need a second decode
/// that only a pass with `retain` can do.
fn decode_stream(
    data: &[u8],
    limits: &Limits,
    retain: bool,
    release: Release<'_>,
) -> Result<Option<Profile>, DecodeError> {
    let cap = limits.max_decompressed;
    let gzip = is_gzip(data);
    if !gzip && data.len() as u64 > cap {
        return Err(DecodeError::TooLarge(cap));
    }
    // The gzip trailer holds the decompressed size (mod 2^32) of the last
    // member: a good first guess for the buffer.
    let size = if gzip {
        data.len()
            .checked_sub(4)
            .map(|i| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]) as u64)
            .unwrap_or(0)
            .max(data.len() as u64 * 2)
            .min(cap)
            .saturating_add(1) as usize
    } else {
        data.len()
    };
    let threads =
        std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_SAMPLE_THREADS));
    // Room for as many samples as the input could hold (one needs at
    // least 4 bytes), reserved but not touched, so the samples are decoded
    // in place; if the address space refuses, they are collected as usual.
    let mut room = Vec::new();
    if !retain {
        let _ = room.try_reserve_exact((size / 4).min(limits.max_samples));
    }
    let (mut decoded, parsed) = std::thread::scope(|s| {
        let spare = room.spare_capacity_mut();
        let samples = if retain {
            Batcher::inline(spare, limits.max_stack_depth)
        } else {
            Batcher::for_size(s, spare, size, threads, limits.max_stack_depth)
        };
        let mut sp = StreamParser::new(size, *limits, retain, samples);
        if !gzip {
            sp.feed(data);
            return sp.finish(Ok(()));
        }
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(CHUNKS_IN_FLIGHT);
        let (give_back, taken_back) = std::sync::mpsc::channel::<Vec<u8>>();
        let input = Releasing {
            data,
            pos: 0,
            released: 0,
            release,
        };
        let inflater = s.spawn(move || inflate(input, cap, tx, taken_back));
        for chunk in rx {
            sp.feed(&chunk);
            let _ = give_back.send(chunk);
        }
        let inflated = match inflater.join() {
            Ok(Ok(0)) => Err(DecodeError::Empty),
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(DecodeError::Unrecognized),
        };
        sp.finish(inflated)
    });
    let samples = samples::collect(room, &mut decoded);
    let (wire, kept) = parsed?;
    let first = match (kept, samples) {
        (Some((bytes, ranges)), _) => FirstPass::Kept { bytes, ranges },
        (None, Some(samples)) => FirstPass::Decoded(Decoded { samples, ..decoded }),
        (None, None) => return Err(DecodeError::Unrecognized),
    };
    resolve(wire, limits, first)
}

/// Threads decoding samples, at most.
const MAX_SAMPLE_THREADS: usize = 2;

/// After a protobuf decode failure, pprof tries its legacy text formats
/// (but not for concatenated profiles) on the decompressed input.
fn legacy_fallback(e: DecodeError, data: &[u8], cap: u64) -> Result<Profile, DecodeError> {
    if e != DecodeError::Unrecognized {
        return Err(e);
    }
    let inflated;
    let text = if is_gzip(data) {
        let mut out = Vec::new();
        flate2::bufread::MultiGzDecoder::new(data)
            .take(cap)
            .read_to_end(&mut out)
            .map_err(|_| DecodeError::Unrecognized)?;
        inflated = out;
        &inflated[..]
    } else {
        data
    };
    if text.is_empty() {
        return Err(DecodeError::Empty);
    }
    match super::legacy::parse(text) {
        Ok(p) => Ok(p),
        Err(super::legacy::LegacyError::Unrecognized) => Err(DecodeError::Unrecognized),
        Err(super::legacy::LegacyError::Malformed(m)) => Err(DecodeError::Legacy(m)),
    }
}

/// Compressed input that calls its `release` on what has been read, a
/// few hundred kilobytes at a time.
struct Releasing<'a> {
    data: &'a [u8],
    pos: usize,
    /// The end of the last range released.
    released: usize,
    release: Release<'a>,
}

impl Releasing<'_> {
    const STEP: usize = 256 << 10;
}

impl Read for Releasing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (&self.data[self.pos..]).read(buf)?;
        std::io::BufRead::consume(self, n);
        Ok(n)
    }
}

impl std::io::BufRead for Releasing<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(&self.data[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.data.len());
        if self.pos - self.released >= Self::STEP {
            (self.release)(self.released..self.pos);
            self.released = self.pos;
        }
    }
}

/// Inflated chunks waiting to be decoded, at most.
const CHUNKS_IN_FLIGHT: usize = 4;

/// Inflates `data` in chunks sent to `tx`, reusing the buffers that come
/// back on `returned` (so a run touches a few chunks' worth of memory, not
/// the whole decompressed size); returns the total size.
fn inflate(
    data: Releasing<'_>,
    cap: u64,
    tx: std::sync::mpsc::SyncSender<Vec<u8>>,
    returned: std::sync::mpsc::Receiver<Vec<u8>>,
) -> Result<u64, DecodeError> {
    const CHUNK: usize = 256 << 10;
    let mut reader = flate2::bufread::MultiGzDecoder::new(data);
    let mut total = 0u64;
    loop {
        let mut buf = returned.try_recv().unwrap_or_default();
        buf.resize(CHUNK, 0);
        let mut n = 0;
        while n < CHUNK {
            match reader.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(DecodeError::Decompress(match e.kind() {
                        std::io::ErrorKind::UnexpectedEof => "unexpected EOF".to_string(),
                        _ => e.to_string(),
                    }))
                }
            }
        }
        if n == 0 {
            return Ok(total);
        }
        total += n as u64;
        if total > cap {
            return Err(DecodeError::TooLarge(cap));
        }
        buf.truncate(n);
        if tx.send(buf).is_err() {
            return Ok(total);
        }
    }
}
/// Decodes the top-level message as its bytes arrive: samples (the bulk
/// of a profile) go to a [`Batcher`]; everything else is collected for
/// prost.
struct StreamParser<'scope> {
    /// Bytes not yet decoded; with `retain`, every byte.
    buf: Vec<u8>,
    /// Offset in `buf` of the first byte not yet decoded.
    pos: usize,
    /// Keep every byte, and where each sample is, for a second decode.
    retain: bool,
    fields: Fields<'scope>,
}

/// What the top-level fields decoded so far hold.
struct Fields<'scope> {
    rest: Vec<u8>,
    /// Byte ranges of the samples in [`StreamParser::buf`] (with `retain`,
    /// whose pass decodes them only once the location ids are known).
    sample_ranges: Vec<(usize, usize)>,
    samples: Batcher<'scope>,
    sample_count: usize,
    seen_time: bool,
    error: Option<DecodeError>,
    limits: Limits,
}

/// The samples of a profile as its first pass leaves them.
enum FirstPass {
    /// Decoded assuming location ids 1..n.
    Decoded(Decoded),
    /// Where they are in the profile's bytes, for a decode with the real ids.
    Kept {
        bytes: Vec<u8>,
        ranges: Vec<(usize, usize)>,
    },
}

impl<'scope> StreamParser<'scope> {
    /// A parser for about `size` decompressed bytes whose samples go to
    /// `samples`.
    fn new(size: usize, limits: Limits, retain: bool, samples: Batcher<'scope>) -> Self {
        StreamParser {
            buf: if retain {
                Vec::with_capacity(size)
            } else {
                Vec::new()
            },
            pos: 0,
            retain,
            fields: Fields {
                rest: Vec::new(),
                sample_ranges: Vec::new(),
                samples,
                sample_count: 0,
                seen_time: false,
                error: None,
                limits,
            },
        }
    }

    /// Decodes every field that `chunk` completes; keeps the rest.
    fn feed(&mut self, chunk: &[u8]) {
        if self.fields.error.is_some() {
            return;
        }
        if !self.retain && self.buf.is_empty() {
            let n = self.fields.take(chunk, 0, false);
            self.buf.extend_from_slice(&chunk[n..]);
            return;
        }
        self.buf.extend_from_slice(chunk);
        self.pos += self
            .fields
            .take(&self.buf[self.pos..], self.pos, self.retain);
        if !self.retain {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
    }

    /// Waits for the samples; the other fields, and with `retain` the
    /// bytes and where the samples are in them. An error of the input
    /// (`inflated`) comes first, then a sample that failed, then the fields
    /// that followed it.
    fn finish(self, inflated: Result<(), DecodeError>) -> (Decoded, Result<Parsed, DecodeError>) {
        let f = self.fields;
        let decoded = f.samples.finish();
        let parsed = (|| {
            inflated?;
            if let Some(e) = decoded.error.clone().or(f.error) {
                return Err(e);
            }
            if self.pos != self.buf.len() {
                return Err(DecodeError::Unrecognized);
            }
            let wire =
                proto::Profile::decode(&f.rest[..]).map_err(|_| DecodeError::Unrecognized)?;
            let kept = self.retain.then_some((self.buf, f.sample_ranges));
            Ok((wire, kept))
        })();
        (decoded, parsed)
    }
}

/// The fields other than samples, and the bytes kept for a second pass with
/// where the samples are in them.
type Parsed = (proto::Profile, Option<(Vec<u8>, Vec<(usize, usize)>)>);

impl Fields<'_> {
    /// Hands the complete samples at the start of `bytes` (which start at
    /// `base` in the parser's buffer) to the batcher, or with `ranges` only
    /// notes where they are, and keeps the other fields; returns how many
    /// bytes the fields took.
    fn take(&mut self, bytes: &[u8], base: usize, ranges: bool) -> usize {
        let mut pos = 0;
        while self.error.is_none() && pos < bytes.len() {
            let mut p = pos;
            let field = match next_field(bytes, &mut p) {
                Ok(f) => f,
                // Incomplete (or broken: `finish` tells which).
                Err(_) => break,
            };
            match field {
                Field::Bytes(2, _) if self.sample_count >= self.limits.max_samples => {
                    let max = self.limits.max_samples as u64;
                    self.error = Some(DecodeError::Limit("samples", max));
                }
                // A second pass only needs to know where the samples are:
                // the first decoded and checked each of them.
                Field::Bytes(2, body) if ranges => {
                    self.sample_count += 1;
                    self.sample_ranges.push((base + p - body.len(), base + p));
                }
                Field::Bytes(2, body) => {
                    self.sample_count += 1;
                    self.samples.push(body);
                }
                Field::Varint(9, _) if self.seen_time => {
                    self.error = Some(DecodeError::Concatenated);
                }
                f => {
                    if let Field::Varint(9, _) = f {
                        self.seen_time = true;
                    }
                    self.rest.extend_from_slice(&bytes[pos..p]);
                }
            }
            pos = p;
        }
        pos
    }
}

/// Decodes every sample again with the real location index (profiles whose
/// location ids are not 1..n).
fn redecode_samples(
    bytes: &[u8],
    ranges: &[(usize, usize)],
    nstrings: i64,
    index: &IdIndex,
) -> Result<Vec<Sample>, DecodeError> {
    let check = |i: i64| {
        if i < 0 || i >= nstrings {
            Err(DecodeError::Unrecognized)
        } else {
            Ok(i as u32)
        }
    };
    let loc = |id: u64| {
        index.get(id).ok_or_else(|| {
            DecodeError::Malformed(format!("sample references unknown location id {id}"))
        })
    };
    ranges
        .iter()
        .map(|&(a, b)| decode_sample(&bytes[a..b], check, loc))
        .collect()
}

/// Maps profile ids to indices, densely when the ids are small.
struct IdIndex {
    dense: Vec<u32>,
    sparse: HashMap<u64, u32>,
    /// Ids are exactly 1..=len in order, so index = id − 1.
    identity: bool,
    len: u64,
}

impl IdIndex {
    const NONE: u32 = u32::MAX;

    fn new(ids: impl Iterator<Item = u64>, n: usize) -> Result<Self, u64> {
        let mut idx = IdIndex {
            dense: vec![Self::NONE; n + 1],
            sparse: HashMap::new(),
            identity: true,
            len: n as u64,
        };
        for (i, id) in ids.enumerate() {
            idx.identity &= id == i as u64 + 1;
            let slot = if (id as usize) < idx.dense.len() && id <= n as u64 {
                &mut idx.dense[id as usize]
            } else {
                idx.sparse.entry(id).or_insert(Self::NONE)
            };
            if *slot != Self::NONE {
                return Err(id);
            }
            *slot = i as u32;
        }
        Ok(idx)
    }

    #[inline]
    fn get(&self, id: u64) -> Option<u32> {
        if self.identity {
            return (id.wrapping_sub(1) < self.len).then(|| (id - 1) as u32);
        }
        let v = if id <= (self.dense.len() - 1) as u64 {
            self.dense[id as usize]
        } else {
            *self.sparse.get(&id)?
        };
        (v != Self::NONE).then_some(v)
    }
}

fn resolve(
    mut w: proto::Profile,
    limits: &Limits,
    samples: FirstPass,
) -> Result<Option<Profile>, DecodeError> {
    let strings = std::mem::take(&mut w.string_table);
    if strings.len() > limits.max_strings {
        return Err(DecodeError::Limit("strings", limits.max_strings as u64));
    }
    if w.location.len() > limits.max_locations {
        return Err(DecodeError::Limit("locations", limits.max_locations as u64));
    }
    if strings.first().is_none_or(|s| !s.is_empty()) {
        return Err(DecodeError::Unrecognized);
    }
    let n = strings.len() as i64;
    let check = |i: i64| -> Result<u32, DecodeError> {
        if i < 0 || i >= n {
            Err(DecodeError::Unrecognized)
        } else {
            Ok(i as u32)
        }
    };
    let s = |i: i64| -> Result<String, DecodeError> { Ok(strings[check(i)? as usize].clone()) };

    let mut sample_types = Vec::with_capacity(w.sample_type.len());
    for st in &w.sample_type {
        sample_types.push(ValueType {
            kind: s(st.r#type)?,
            unit: s(st.unit)?,
        });
    }
    let mut mappings = Vec::with_capacity(w.mapping.len());
    for m in &w.mapping {
        mappings.push(Mapping {
            id: m.id,
            start: m.memory_start,
            limit: m.memory_limit,
            offset: m.file_offset,
            file: s(m.filename)?,
            build_id: s(m.build_id)?,
            has_functions: m.has_functions,
            has_filenames: m.has_filenames,
            has_line_numbers: m.has_line_numbers,
            has_inline_frames: m.has_inline_frames,
        });
    }
    let mut functions = Vec::with_capacity(w.function.len());
    for f in &w.function {
        functions.push(Function {
            id: f.id,
            name: s(f.name)?,
            system_name: s(f.system_name)?,
            filename: s(f.filename)?,
            start_line: f.start_line,
        });
    }
    let period_type = match &w.period_type {
        Some(pt) => ValueType {
            kind: s(pt.r#type)?,
            unit: s(pt.unit)?,
        },
        None => ValueType::default(),
    };
    let mut comments = Vec::with_capacity(w.comment.len());
    for &c in &w.comment {
        comments.push(s(c)?);
    }
    let drop_frames = s(w.drop_frames)?;
    let keep_frames = s(w.keep_frames)?;
    let default_sample_type = s(w.default_sample_type)?;
    let doc_url = s(w.doc_url)?;

    // Validation, in pprof's order.
    if sample_types.is_empty() {
        return Err(DecodeError::Malformed(
            "missing sample type information".into(),
        ));
    }
    let mapping_index = IdIndex::new(mappings.iter().map(|m| m.id), mappings.len())
        .map_err(|id| DecodeError::Malformed(format!("multiple mappings with same id: {id}")))?;
    if mappings.iter().any(|m| m.id == 0) {
        return Err(DecodeError::Malformed(
            "found mapping with reserved ID=0".into(),
        ));
    }
    let function_index = IdIndex::new(functions.iter().map(|f| f.id), functions.len())
        .map_err(|id| DecodeError::Malformed(format!("multiple functions with same id: {id}")))?;
    if functions.iter().any(|f| f.id == 0) {
        return Err(DecodeError::Malformed(
            "found function with reserved ID=0".into(),
        ));
    }
    let location_index = IdIndex::new(w.location.iter().map(|l| l.id), w.location.len())
        .map_err(|id| DecodeError::Malformed(format!("multiple locations with same id: {id}")))?;

    let mut locations = Vec::with_capacity(w.location.len());
    for l in &w.location {
        if l.id == 0 {
            return Err(DecodeError::Malformed(
                "found location with reserved id=0".into(),
            ));
        }
        let mut lines = Vec::with_capacity(l.line.len());
        for ln in &l.line {
            let f = function_index.get(ln.function_id).ok_or_else(|| {
                DecodeError::Malformed(format!(
                    "location id: {} has a line with unknown function id {}",
                    l.id, ln.function_id
                ))
            })?;
            lines.push(Line {
                function: f,
                line: ln.line,
                column: ln.column,
            });
        }
        locations.push(Location {
            id: l.id,
            mapping: if l.mapping_id == 0 {
                None
            } else {
                mapping_index.get(l.mapping_id)
            },
            address: l.address,
            lines,
            is_folded: l.is_folded,
        });
    }

    let ntypes = sample_types.len();
    let samples = match samples {
        FirstPass::Kept { bytes, ranges } => redecode_samples(&bytes, &ranges, n, &location_index)?,
        FirstPass::Decoded(d)
            if !d.odd_location
                && location_index.identity
                && d.max_location <= locations.len() as u64
                && d.max_string < n =>
        {
            d.samples
        }
        FirstPass::Decoded(_) => return Ok(None),
    };
    if let Some(s) = samples.iter().find(|s| s.values.len() != ntypes) {
        return Err(DecodeError::Malformed(format!(
            "mismatch: sample has {} values vs. {} types",
            s.values.len(),
            ntypes
        )));
    }

    Ok(Some(Profile {
        strings,
        sample_types,
        samples,
        mappings,
        locations,
        functions,
        drop_frames,
        keep_frames,
        time_nanos: w.time_nanos,
        duration_nanos: w.duration_nanos,
        period_type,
        period: w.period,
        comments,
        default_sample_type,
        doc_url,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::encode::encode;

    fn sample_profile() -> Vec<u8> {
        let p = parse(
            &std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/profiles/fixtures/p1.pb"
            ))
            .unwrap(),
            1 << 30,
        )
        .unwrap();
        encode(&p)
    }

    #[test]
    fn gzipped_legacy_profiles_are_inflated_again_for_their_parser() {
        use std::io::Write;
        for name in ["gobench.heap", "gobench.cpu"] {
            let raw = std::fs::read(format!(
                "{}/tests/data/profiles/upstream/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&raw).unwrap();
            let gz = gz.finish().unwrap();
            let plain = parse(&raw, 1 << 30).unwrap();
            assert!(!plain.samples.is_empty(), "{name}");
            assert_eq!(parse(&gz, 1 << 30).unwrap(), plain, "{name}");
        }
    }

    #[test]
    fn a_profile_of_many_batches_decodes_as_it_was_encoded() {
        use std::io::Write;
        let mut p = parse(&sample_profile(), 1 << 30).unwrap();
        let one = p.samples.clone();
        p.samples = (0..100_000i64)
            .map(|i| {
                let mut s = one[i as usize % one.len()].clone();
                s.values[0] = i;
                s
            })
            .collect();
        let raw = encode(&p);
        assert!(
            raw.len() > 4 * (256 << 10),
            "{} bytes make several batches",
            raw.len()
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&raw).unwrap();
        for data in [raw.clone(), gz.finish().unwrap()] {
            assert_eq!(parse(&data, 1 << 30).unwrap().samples, p.samples);
        }
    }

    #[test]
    fn what_inflating_has_read_is_released_in_order() {
        use std::io::Write;
        let mut p = parse(&sample_profile(), 1 << 30).unwrap();
        let one = p.samples.clone();
        p.samples = (0..50_000).map(|i| one[i % one.len()].clone()).collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
        gz.write_all(&encode(&p)).unwrap();
        let data = gz.finish().unwrap();
        let released = std::sync::Mutex::new(Vec::new());
        let release = |r: std::ops::Range<usize>| released.lock().unwrap().push(r);
        let decoded = parse_releasing(&data, &Limits::default(), &release).unwrap();
        assert_eq!(decoded.samples, p.samples);
        let released = released.into_inner().unwrap();
        assert!(released.len() > 1, "{} bytes, {released:?}", data.len());
        let mut end = 0;
        for r in &released {
            assert_eq!(r.start, end, "{released:?}");
            assert!(r.end - r.start >= Releasing::STEP && r.end <= data.len());
            end = r.end;
        }
        assert!(
            data.len() - end < Releasing::STEP,
            "{end} of {}",
            data.len()
        );
    }

    #[test]
    fn every_limit_has_its_message() {
        let data = sample_profile();
        let cases: [(Limits, &str); 5] = [
            (
                Limits {
                    max_decompressed: 100,
                    ..Limits::default()
                },
                "decompressed size exceeds the limit of 100 bytes",
            ),
            (
                Limits {
                    max_samples: 2,
                    ..Limits::default()
                },
                "profile exceeds a limit: more than 2 samples",
            ),
            (
                Limits {
                    max_locations: 3,
                    ..Limits::default()
                },
                "profile exceeds a limit: more than 3 locations",
            ),
            (
                Limits {
                    max_strings: 5,
                    ..Limits::default()
                },
                "profile exceeds a limit: more than 5 strings",
            ),
            (
                Limits {
                    max_stack_depth: 4,
                    ..Limits::default()
                },
                "profile exceeds a limit: more than 4 frames in one stack",
            ),
        ];
        for (limits, message) in cases {
            let err = parse_with(&data, &limits).unwrap_err().to_string();
            assert!(err.contains(message), "{err} / {message}");
        }
        assert!(parse_with(&data, &Limits::default()).is_ok());
    }

    #[test]
    fn location_ids_other_than_one_to_n_take_a_second_pass() {
        let data = sample_profile();
        let plain = parse(&data, 1 << 30).unwrap();
        assert!(!plain.samples.is_empty());
        let ids = |p: &Profile| p.locations.iter().map(|l| l.id).collect::<Vec<_>>();
        // Sparse ids, and ids too long for the first pass to read itself.
        let renumberings: [fn(u64) -> u64; 2] = [|id| id * 10 + 7, |id| id + (1 << 40)];
        for renumber in renumberings {
            let mut w = proto::Profile::decode(&data[..]).unwrap();
            for l in &mut w.location {
                l.id = renumber(l.id);
            }
            for s in &mut w.sample {
                for id in &mut s.location_id {
                    *id = renumber(*id);
                }
            }
            let renumbered = parse(&w.encode_to_vec(), 1 << 30).unwrap();
            assert_eq!(renumbered.samples, plain.samples);
            assert_eq!(
                ids(&renumbered),
                ids(&plain).into_iter().map(renumber).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn missing_ids_are_named() {
        let mut w = proto::Profile::decode(&sample_profile()[..]).unwrap();
        w.sample[0].location_id[0] = 77;
        let err = parse(&w.encode_to_vec(), 1 << 30).unwrap_err().to_string();
        assert_eq!(
            err,
            "malformed profile: sample references unknown location id 77"
        );
        let mut w = proto::Profile::decode(&sample_profile()[..]).unwrap();
        w.location[0].line[0].function_id = 55;
        let err = parse(&w.encode_to_vec(), 1 << 30).unwrap_err().to_string();
        assert_eq!(
            err,
            "malformed profile: location id: 1 has a line with unknown function id 55"
        );
    }
}
