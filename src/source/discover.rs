//! Finding profiles: every file under a folder, and whether a file holds
//! a profile at all (by content, not by name).

use crate::base::write::describe_io;
use crate::profile::decode::DecodeError;
use crate::profile::Profile;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Every regular file under `dir`, sorted by relative path; links are not
/// followed.
pub fn find_files(dir: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            fs::read_dir(&d).map_err(|e| format!("{}: {}", d.display(), describe_io(&e)))?;
        for entry in entries.flatten() {
            let Ok(ft) = entry.file_type() else { continue };
            let path = entry.path();
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .components()
                    .filter_map(|c| match c {
                        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((path, rel));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// File name endings of profiles: a file named so that does not parse
/// is a broken profile, not some other file.
const PROFILE_ENDINGS: &[&str] = &[".pb", ".pb.gz", ".pprof", ".prof", ".proto"];

/// Whether `path` is named like a profile.
pub fn named_like_a_profile(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    PROFILE_ENDINGS.iter().any(|e| name.ends_with(e))
}

/// A snapshot's file name without its folder and profile endings, safe
/// in a file name (`snaps/heap.t3.pb.gz` → `heap.t3`).
pub fn stem(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    let mut b = base;
    for suffix in [".gz", ".pb", ".pprof", ".prof"] {
        b = b.strip_suffix(suffix).unwrap_or(b);
    }
    b.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The name `trend` gives its Markdown report in its output folder.
pub const TREND_REPORT: &str = "trend.md";

/// The name (without extension) of the diff graph from snapshot `a` to
/// snapshot `b`, as `trend` writes it and the gallery links to it.
pub fn diff_name(a: &str, b: &str) -> String {
    format!("diff-{}-to-{}", stem(a), stem(b))
}

/// Reads `path` and decodes it: `None` for a file that is neither gzip
/// nor any profile format nor named like a profile (skipped quietly); an
/// error for one that is but fails, or a file that fails part-way.
pub fn read(path: &Path, max_decompressed: u64) -> Result<Option<Profile>, String> {
    let data = fs::read(path).map_err(|e| describe_io(&e))?;
    let gz = super::is_gzip(&data) || named_like_a_profile(path);
    match super::decode(&data, max_decompressed, None, &mut |_| {}) {
        Ok(p) => Ok(Some(p)),
        Err(DecodeError::Unrecognized | DecodeError::Empty) if !gz => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}
