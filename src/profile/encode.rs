//! The profile model written back as profile.proto (uncompressed): used by
//! the round-trip tests and to build fuzzing seeds.

use super::{proto, Profile};
use prost::Message;
use std::collections::HashMap;

struct Strings {
    table: Vec<String>,
    index: HashMap<String, i64>,
}

impl Strings {
    fn id(&mut self, s: &str) -> i64 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.table.len() as i64;
        self.table.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }
}

/// Encodes `p`; label string ids keep their values.
pub fn encode(p: &Profile) -> Vec<u8> {
    let mut st = Strings {
        table: p.strings.clone(),
        index: HashMap::new(),
    };
    if st.table.is_empty() {
        st.table.push(String::new());
    }
    for (i, s) in st.table.iter().enumerate() {
        st.index.entry(s.clone()).or_insert(i as i64);
    }
    let vt = |st: &mut Strings, t: &super::ValueType| proto::ValueType {
        r#type: st.id(&t.kind),
        unit: st.id(&t.unit),
    };
    let sample_type = p.sample_types.iter().map(|t| vt(&mut st, t)).collect();
    let mapping = p
        .mappings
        .iter()
        .map(|m| proto::Mapping {
            id: m.id,
            memory_start: m.start,
            memory_limit: m.limit,
            file_offset: m.offset,
            filename: st.id(&m.file),
            build_id: st.id(&m.build_id),
            has_functions: m.has_functions,
            has_filenames: m.has_filenames,
            has_line_numbers: m.has_line_numbers,
            has_inline_frames: m.has_inline_frames,
        })
        .collect();
    let function = p
        .functions
        .iter()
        .map(|f| proto::Function {
            id: f.id,
            name: st.id(&f.name),
            system_name: st.id(&f.system_name),
            filename: st.id(&f.filename),
            start_line: f.start_line,
        })
        .collect();
    let location = p
        .locations
        .iter()
        .map(|l| proto::Location {
            id: l.id,
            mapping_id: l.mapping.map_or(0, |m| p.mappings[m as usize].id),
            address: l.address,
            line: l
                .lines
                .iter()
                .map(|ln| proto::Line {
                    function_id: p.functions[ln.function as usize].id,
                    line: ln.line,
                    column: ln.column,
                })
                .collect(),
            is_folded: l.is_folded,
        })
        .collect();
    let sample = p
        .samples
        .iter()
        .map(|s| proto::Sample {
            location_id: s
                .locations
                .ids()
                .iter()
                .map(|&l| p.locations[l as usize].id)
                .collect(),
            value: s.values.to_vec(),
            label: s
                .labels
                .iter()
                .map(|&(k, v)| proto::Label {
                    key: i64::from(k),
                    str: i64::from(v),
                    ..Default::default()
                })
                .chain(s.num_labels.iter().map(|n| proto::Label {
                    key: i64::from(n.key),
                    num: n.value,
                    num_unit: i64::from(n.unit),
                    ..Default::default()
                }))
                .collect(),
        })
        .collect();
    let period_type = Some(vt(&mut st, &p.period_type));
    let drop_frames = st.id(&p.drop_frames);
    let keep_frames = st.id(&p.keep_frames);
    let comment = p.comments.iter().map(|c| st.id(c)).collect();
    let default_sample_type = st.id(&p.default_sample_type);
    let doc_url = st.id(&p.doc_url);
    proto::Profile {
        sample_type,
        sample,
        mapping,
        location,
        function,
        string_table: st.table,
        drop_frames,
        keep_frames,
        time_nanos: p.time_nanos,
        duration_nanos: p.duration_nanos,
        period_type,
        period: p.period,
        comment,
        default_sample_type,
        doc_url,
    }
    .encode_to_vec()
}
