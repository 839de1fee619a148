//! The profile model every later stage reads: strings resolved, ids turned
//! into indices, validated. Built from the wire format by [`decode`], then
//! edited in place by [`prune`] (drop/keep frames), [`filter`] (focus, ignore,
//! hide, show, tags) and [`symbolize`] (name clean-up), as pprof does before a
//! report is made.

pub mod aggregate;
pub mod decode;
pub mod encode;

pub mod filter;
pub mod heapdump;
pub mod labelnodes;
pub mod legacy;
pub mod merge;
pub mod proto;
pub mod prune;
mod stack;
pub mod symbolize;

pub use smallvec::SmallVec;
pub use stack::Stack;
use std::collections::HashMap;

/// Index into [`Profile::strings`].
pub type StrId = u32;

/// A (type, unit) pair such as `inuse_space`/`bytes`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueType {
    /// The type name, e.g. `alloc_space`.
    pub kind: String,
    /// The unit, e.g. `bytes`.
    pub unit: String,
}

/// A mapped binary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mapping {
    /// The profile's id of this mapping.
    pub id: u64,
    /// Start address.
    pub start: u64,
    /// End address.
    pub limit: u64,
    /// File offset.
    pub offset: u64,
    /// The binary's path.
    pub file: String,
    /// The binary's build id.
    pub build_id: String,
    /// The profile already names the functions of its locations.
    pub has_functions: bool,
    /// … their file names.
    pub has_filenames: bool,
    /// … their line numbers.
    pub has_line_numbers: bool,
    /// … their inlined frames.
    pub has_inline_frames: bool,
}

impl Mapping {
    /// Whether the profile already carries symbols for this mapping (pprof
    /// does not symbolize it again).
    pub fn is_symbolized(&self) -> bool {
        self.has_functions || self.has_filenames || self.has_line_numbers
    }

    /// pprof's `Unsymbolizable`: well-known system mappings no binary
    /// exists for.
    pub fn is_unsymbolizable(&self) -> bool {
        let name = crate::base::gopath::base_name(&self.file);
        name.starts_with('[')
            || name.starts_with("linux-vdso")
            || self.file.starts_with("/dev/dri/")
            || self.file == "//anon"
            || self.file.is_empty()
            || self.file.starts_with("/memfd:")
    }
}

/// A function.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Function {
    /// The profile's id of this function.
    pub id: u64,
    /// Display name.
    pub name: String,
    /// System (possibly mangled) name.
    pub system_name: String,
    /// Source file name.
    pub filename: String,
    /// First line of the function, 0 when unknown.
    pub start_line: i64,
}

/// One frame of a location: a function and a line in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// Index into [`Profile::functions`].
    pub function: u32,
    /// Line number, 0 when unknown.
    pub line: i64,
    /// Column number, 0 when unknown.
    pub column: i64,
}

/// A code location with its frames, innermost (inlined) first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Location {
    /// The profile's id of this location.
    pub id: u64,
    /// Index into [`Profile::mappings`], if any.
    pub mapping: Option<u32>,
    /// Instruction address.
    pub address: u64,
    /// Frames, innermost first, outermost last.
    pub lines: Vec<Line>,
    /// The frames were folded into this location by the profiler.
    pub is_folded: bool,
}

/// A numeric label value of a sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumLabel {
    /// The key.
    pub key: StrId,
    /// The value.
    pub value: i64,
    /// The unit given with this value (the empty string when none).
    pub unit: StrId,
}

/// One sample.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sample {
    /// Indices into [`Profile::locations`], leaf first.
    pub locations: Stack,
    /// One value per sample type.
    pub values: Values,
    /// String labels as (key, value) pairs, in file order.
    pub labels: SmallVec<[(StrId, StrId); 1]>,
    /// Numeric labels, in file order.
    pub num_labels: SmallVec<[NumLabel; 1]>,
}

/// A sample's values, one per sample type (four or fewer held inline).
pub type Values = SmallVec<[i64; 4]>;

/// A decoded, validated profile.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    /// The string table; labels refer to it by [`StrId`]. Index 0 is `""`.
    pub strings: Vec<String>,
    /// Value columns.
    pub sample_types: Vec<ValueType>,
    /// Samples.
    pub samples: Vec<Sample>,
    /// Mappings; the first is the main binary.
    pub mappings: Vec<Mapping>,
    /// Locations.
    pub locations: Vec<Location>,
    /// Functions.
    pub functions: Vec<Function>,
    /// Regex of frames to drop at load time.
    pub drop_frames: String,
    /// Regex of frames to keep despite `drop_frames`.
    pub keep_frames: String,
    /// Collection time in nanoseconds since the epoch (0: unknown).
    pub time_nanos: i64,
    /// Collection duration in nanoseconds (0: unknown).
    pub duration_nanos: i64,
    /// What `period` counts.
    pub period_type: ValueType,
    /// Sampling period.
    pub period: i64,
    /// Free-form comments.
    pub comments: Vec<String>,
    /// Preferred sample type name, may be empty.
    pub default_sample_type: String,
    /// A URL documenting the profile, may be empty.
    pub doc_url: String,
}

impl Profile {
    /// The string behind a [`StrId`].
    pub fn str(&self, id: StrId) -> &str {
        &self.strings[id as usize]
    }

    /// The id of `s` in the string table, if present.
    pub fn find_str(&self, s: &str) -> Option<StrId> {
        self.strings.iter().position(|x| x == s).map(|i| i as StrId)
    }

    /// The id of `s`, adding it to the string table when missing.
    pub fn intern(&mut self, s: &str) -> StrId {
        match self.find_str(s) {
            Some(id) => id,
            None => {
                self.strings.push(s.to_string());
                (self.strings.len() - 1) as StrId
            }
        }
    }

    /// The unit of every numeric label key: the first non-empty unit seen,
    /// else `bytes` for `alignment`/`request`, else the key itself (pprof's
    /// rule). The second map lists other units seen for the same key.
    pub fn num_label_units(&self) -> (HashMap<String, String>, HashMap<String, Vec<String>>) {
        let mut units: HashMap<String, String> = HashMap::new();
        let mut ignored: HashMap<String, Vec<String>> = HashMap::new();
        let mut keys: Vec<StrId> = Vec::new();
        // A (key, unit) pair seen before changes nothing.
        let mut seen: rustc_hash::FxHashSet<(StrId, StrId)> = Default::default();
        let mut last = None;
        for s in &self.samples {
            for nl in &s.num_labels {
                let pair = (nl.key, nl.unit);
                if last.replace(pair) == Some(pair) || !seen.insert(pair) {
                    continue;
                }
                if !keys.contains(&nl.key) {
                    keys.push(nl.key);
                }
                let unit = self.str(nl.unit);
                if unit.is_empty() {
                    continue;
                }
                let key = self.str(nl.key);
                match units.get(key) {
                    None => {
                        units.insert(key.to_string(), unit.to_string());
                    }
                    Some(want) if want != unit => {
                        let v = ignored.entry(key.to_string()).or_default();
                        if !v.iter().any(|u| u == unit) {
                            v.push(unit.to_string());
                        }
                    }
                    Some(_) => {}
                }
            }
        }
        for k in keys {
            let key = self.str(k).to_string();
            if units.get(&key).is_none_or(|u| u.is_empty()) {
                let unit = match key.as_str() {
                    "alignment" | "request" => "bytes".to_string(),
                    _ => key.clone(),
                };
                units.insert(key, unit);
            }
        }
        for v in ignored.values_mut() {
            v.sort();
        }
        (units, ignored)
    }

    /// Index of the sample type chosen by `-sample_index` (a name or a
    /// number), or the default: `default_sample_type` if set, else the last.
    pub fn sample_index_by_name(&self, index: &str) -> Result<usize, String> {
        if index.is_empty() {
            if !self.default_sample_type.is_empty() {
                if let Some(i) = self
                    .sample_types
                    .iter()
                    .position(|t| t.kind == self.default_sample_type)
                {
                    return Ok(i);
                }
            }
            return Ok(self.sample_types.len().saturating_sub(1));
        }
        if let Ok(i) = index.parse::<i64>() {
            if i < 0 || i as usize >= self.sample_types.len() {
                return Err(format!(
                    "sample_index {} is outside the range [0..{}]",
                    index,
                    self.sample_types.len() as i64 - 1
                ));
            }
            return Ok(i as usize);
        }
        let stripped = index.strip_prefix("inuse_").unwrap_or(index);
        if let Some(i) = self
            .sample_types
            .iter()
            .position(|t| t.kind == index || t.kind == stripped)
        {
            return Ok(i);
        }
        let names: Vec<&str> = self.sample_types.iter().map(|t| t.kind.as_str()).collect();
        Err(format!(
            "sample_index {:?} must be one of: [{}]",
            index,
            names.join(" ")
        ))
    }

    /// Whether a sample carries the `pprof::base=true` label of a diff base.
    pub fn is_diff_base_sample(&self, s: &Sample) -> bool {
        s.labels
            .iter()
            .any(|&(k, v)| self.str(k) == "pprof::base" && self.str(v) == "true")
    }
}
