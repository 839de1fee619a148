//! The prost message types in `src/profile/proto.rs` must match the schema
//! in `proto/profile.proto` field for field (name, number, repeatedness).

use std::collections::BTreeMap;

type Fields = BTreeMap<String, BTreeMap<String, (u32, bool)>>;

fn from_proto(text: &str) -> Fields {
    let mut out = Fields::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("message ") {
            let name = rest.trim_end_matches('{').trim().to_string();
            out.insert(name.clone(), BTreeMap::new());
            current = Some(name);
        } else if line == "}" {
            current = None;
        } else if let (Some(msg), Some((decl, num))) = (&current, line.split_once('=')) {
            let words: Vec<&str> = decl.split_whitespace().collect();
            let repeated = words.first() == Some(&"repeated");
            let name = words.last().expect("field name").to_string();
            let num: u32 = num
                .trim()
                .trim_end_matches(';')
                .parse()
                .expect("field number");
            out.get_mut(msg).unwrap().insert(name, (num, repeated));
        }
    }
    out
}

fn from_rust(text: &str) -> Fields {
    let mut out = Fields::new();
    let mut current: Option<String> = None;
    let mut pending: Option<(u32, bool)> = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("pub struct ") {
            let name = rest.trim_end_matches('{').trim().to_string();
            out.insert(name.clone(), BTreeMap::new());
            current = Some(name);
        } else if line.starts_with("#[prost(") {
            let tag = line.split("tag = \"").nth(1).expect("tag");
            let num: u32 = tag.split('"').next().unwrap().parse().unwrap();
            pending = Some((num, line.contains("repeated")));
        } else if let (Some(msg), Some(field)) = (&current, pending) {
            if let Some(rest) = line.strip_prefix("pub ") {
                let name = rest.split(':').next().unwrap().trim_start_matches("r#");
                out.get_mut(msg).unwrap().insert(name.to_string(), field);
                pending = None;
            }
        }
    }
    out
}

#[test]
fn prost_types_match_the_schema() {
    let root = env!("CARGO_MANIFEST_DIR");
    let proto = std::fs::read_to_string(format!("{root}/proto/profile.proto")).unwrap();
    let rust = std::fs::read_to_string(format!("{root}/src/profile/proto.rs")).unwrap();
    let (want, got) = (from_proto(&proto), from_rust(&rust));
    assert_eq!(want.len(), 8, "messages in the schema");
    assert_eq!(want, got);
}
