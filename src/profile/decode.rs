//! Bytes → [`Profile`]: gzip detection by content, a cap on the
//! decompressed size, protobuf decoding, string/id resolution and pprof's
//! validity checks. Errors read like pprof's (`parsing profile: …`,
//! `decompressing profile: …`, `malformed profile: …`).

use super::{proto, Function, Line, Location, Mapping, NumLabel, Profile, Sample, ValueType};
use prost::Message;
use std::collections::HashMap;
use std::fmt;
use std::io::Read;

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
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a gzip-compressed or raw profile.proto, refusing more than
/// `max_decompressed` bytes of decompressed data.
pub fn parse(data: &[u8], max_decompressed: u64) -> Result<Profile, DecodeError> {
    if data.is_empty() {
        return Err(DecodeError::Empty);
    }
    let unzipped;
    let raw: &[u8] = if data.len() >= 2 && data[0] == 0x1f && data[1] == 0x8b {
        unzipped = gunzip(data, max_decompressed)?;
        &unzipped
    } else {
        if data.len() as u64 > max_decompressed {
            return Err(DecodeError::TooLarge(max_decompressed));
        }
        data
    };
    if raw.is_empty() {
        return Err(DecodeError::Empty);
    }
    let wire = proto::Profile::decode(raw).map_err(|_| DecodeError::Unrecognized)?;
    resolve(wire)
}

fn gunzip(data: &[u8], cap: u64) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).min(cap as usize));
    let mut reader = flate2::read::MultiGzDecoder::new(data).take(cap.saturating_add(1));
    reader.read_to_end(&mut out).map_err(|e| {
        DecodeError::Decompress(match e.kind() {
            std::io::ErrorKind::UnexpectedEof => "unexpected EOF".to_string(),
            _ => e.to_string(),
        })
    })?;
    if out.len() as u64 > cap {
        return Err(DecodeError::TooLarge(cap));
    }
    Ok(out)
}

/// Maps profile ids to indices, densely when the ids are small.
struct IdIndex {
    dense: Vec<u32>,
    sparse: HashMap<u64, u32>,
}

impl IdIndex {
    const NONE: u32 = u32::MAX;

    fn new(ids: impl Iterator<Item = u64>, n: usize) -> Result<Self, u64> {
        let mut idx = IdIndex {
            dense: vec![Self::NONE; n + 1],
            sparse: HashMap::new(),
        };
        for (i, id) in ids.enumerate() {
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

    fn get(&self, id: u64) -> Option<u32> {
        let v = if id <= (self.dense.len() - 1) as u64 {
            self.dense[id as usize]
        } else {
            *self.sparse.get(&id)?
        };
        (v != Self::NONE).then_some(v)
    }
}

fn resolve(mut w: proto::Profile) -> Result<Profile, DecodeError> {
    let strings = std::mem::take(&mut w.string_table);
    if strings.first().map_or(true, |s| !s.is_empty()) {
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
        });
    }

    let ntypes = sample_types.len();
    let mut samples = Vec::with_capacity(w.sample.len());
    for ws in std::mem::take(&mut w.sample) {
        if ws.value.len() != ntypes {
            return Err(DecodeError::Malformed(format!(
                "mismatch: sample has {} values vs. {} types",
                ws.value.len(),
                ntypes
            )));
        }
        let mut locs = Vec::with_capacity(ws.location_id.len());
        for &id in &ws.location_id {
            locs.push(location_index.get(id).ok_or_else(|| {
                DecodeError::Malformed(format!("sample references unknown location id {id}"))
            })?);
        }
        let mut labels = Vec::new();
        let mut num_labels = Vec::new();
        for l in &ws.label {
            let key = check(l.key)?;
            if l.str != 0 {
                labels.push((key, check(l.str)?));
            } else if l.num != 0 || l.num_unit != 0 {
                num_labels.push(NumLabel {
                    key,
                    value: l.num,
                    unit: check(l.num_unit)?,
                });
            }
        }
        samples.push(Sample {
            locations: locs,
            values: ws.value,
            labels,
            num_labels,
        });
    }

    Ok(Profile {
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
    })
}
