//! The gallery: every rendered snapshot leaves `NAME.meta` (source, time,
//! type, total, formats) next to its outputs; `index.html` is rebuilt from
//! those files alone, so shards rendered apart merge into one folder.

use crate::base::escape::xml_escape;
use crate::base::gotime::format_time;
use crate::base::write;
use crate::engine::{self, Invocation};
use crate::profile::Profile;
use crate::report::Config;
use std::path::{Path, PathBuf};

/// What the gallery shows of one snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// Input path relative to the batch folder.
    pub source: String,
    /// Sample type shown.
    pub kind: String,
    /// Collection time, formatted (empty when unknown).
    pub time: String,
    /// Collection time in nanoseconds (0 when unknown).
    pub time_nanos: i64,
    /// The report total, formatted.
    pub total: String,
    /// Output file extensions.
    pub formats: Vec<String>,
    /// Output path without extension, relative to OUTDIR (set on reading).
    pub base: String,
}

fn clean(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

impl Meta {
    /// The metadata of a prepared profile under `cfg`.
    pub fn of(
        prof: &Profile,
        cfg: &Config,
        source: &str,
        extensions: &[&str],
    ) -> Result<Meta, String> {
        let top = Invocation::plain("top");
        let rpt = engine::report(&top, prof.clone(), cfg, &mut |_| {})?;
        Ok(Meta {
            source: source.to_string(),
            kind: rpt.sample_type.clone(),
            time: if prof.time_nanos != 0 {
                format_time(prof.time_nanos)
            } else {
                String::new()
            },
            time_nanos: prof.time_nanos,
            total: rpt.format_value(rpt.total),
            formats: extensions.iter().map(|e| e.to_string()).collect(),
            base: String::new(),
        })
    }

    /// `key=value` lines.
    pub fn to_text(&self) -> String {
        format!(
            "source={}\ntype={}\ntime={}\ntime_nanos={}\ntotal={}\nformats={}\n",
            clean(&self.source),
            clean(&self.kind),
            clean(&self.time),
            self.time_nanos,
            clean(&self.total),
            self.formats.join(",")
        )
    }

    /// Reads [`Meta::to_text`] back.
    pub fn parse(text: &str) -> Meta {
        let mut m = Meta::default();
        for line in text.lines() {
            let Some((k, v)) = line.split_once('=') else {
                continue;
            };
            match k {
                "source" => m.source = v.to_string(),
                "type" => m.kind = v.to_string(),
                "time" => m.time = v.to_string(),
                "time_nanos" => m.time_nanos = v.parse().unwrap_or(0),
                "total" => m.total = v.to_string(),
                "formats" => {
                    m.formats = v
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                }
                _ => {}
            }
        }
        m
    }
}

fn find_metas(dir: &Path, root: &Path, out: &mut Vec<Meta>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            find_metas(&path, root, out);
        } else if ft.is_file() && path.extension().is_some_and(|e| e == "meta") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                let mut m = Meta::parse(&text);
                let rel: PathBuf = path.strip_prefix(root).unwrap_or(&path).with_extension("");
                m.base = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push(m);
            }
        }
    }
}

/// Writes `OUTDIR/index.html` from the `.meta` files under it; returns how
/// many snapshots it lists.
pub fn write_index(outdir: &Path) -> Result<usize, String> {
    let mut metas = Vec::new();
    find_metas(outdir, outdir, &mut metas);
    metas.sort_by(|a, b| {
        a.time_nanos
            .cmp(&b.time_nanos)
            .then(a.source.cmp(&b.source))
    });
    let mut html = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>pprof-graph snapshots</title>\n<style>\nbody{font-family:sans-serif;margin:1em;background:#fafafa}\n.grid{display:flex;flex-wrap:wrap;gap:1em}\n.card{background:#fff;border:1px solid #ddd;padding:.5em;width:320px}\n.card img{max-width:100%;max-height:240px;display:block;margin:auto}\n.card p{margin:.3em 0;font-size:90%}\n</style></head><body>\n",
    );
    html.push_str(&format!(
        "<h1>{} snapshots</h1>\n<div class=\"grid\">\n",
        metas.len()
    ));
    for m in &metas {
        let base = xml_escape(&m.base);
        let link = if m.formats.iter().any(|f| f == "svg") {
            format!("{base}.svg")
        } else if let Some(f) = m.formats.first() {
            format!("{base}.{f}")
        } else {
            String::new()
        };
        html.push_str("<div class=\"card\">");
        if m.formats.iter().any(|f| f == "png") {
            html.push_str(&format!(
                "<a href=\"{link}\"><img src=\"{base}.png\" loading=\"lazy\" alt=\"{}\"></a>",
                xml_escape(&m.source)
            ));
        } else if m.formats.iter().any(|f| f == "svg") {
            html.push_str(&format!(
                "<a href=\"{link}\"><img src=\"{base}.svg\" loading=\"lazy\" alt=\"{}\"></a>",
                xml_escape(&m.source)
            ));
        }
        html.push_str(&format!(
            "<p><a href=\"{link}\"><b>{}</b></a></p><p>{}</p><p>{}: {}</p>",
            xml_escape(&m.source),
            if m.time.is_empty() {
                "time unknown".to_string()
            } else {
                xml_escape(&m.time)
            },
            xml_escape(&m.kind),
            xml_escape(&m.total)
        ));
        let others: Vec<String> = m
            .formats
            .iter()
            .map(|f| format!("<a href=\"{base}.{f}\">{f}</a>"))
            .collect();
        html.push_str(&format!("<p>{}</p></div>\n", others.join(" · ")));
    }
    html.push_str("</div>\n</body></html>\n");
    write::write_atomic(&outdir.join("index.html"), html.as_bytes())?;
    Ok(metas.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_round_trips() {
        let m = Meta {
            source: "a/heap.pb.gz".into(),
            kind: "inuse_space".into(),
            time: "Nov 26, 2026 at 8:33am (UTC)".into(),
            time_nanos: 17,
            total: "80.62MB".into(),
            formats: vec!["svg".into(), "png".into()],
            base: String::new(),
        };
        assert_eq!(Meta::parse(&m.to_text()), m);
    }
}
