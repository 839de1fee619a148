//! The gallery: every rendered snapshot leaves `NAME.meta` (source, time,
//! type, total, its top functions, formats) next to its outputs;
//! `index.html` is rebuilt from those files alone, so shards rendered apart
//! merge into one folder. Each snapshot is a card: the top of its graph at
//! its own (readable) scale, its type, total, growth since the previous snapshot
//! and top 3 functions, links to its outputs, to the diff graph from the
//! previous snapshot and to trend's report when they are in the folder;
//! the cards sort by time, name or total and filter by name.

use crate::base::escape::xml_escape;
use crate::base::gotime::format_time;
use crate::base::{units, write};
use crate::engine::{self, Invocation};
use crate::profile::Profile;
use crate::report::{self, Config};
use crate::source::discover;
use std::collections::HashMap;
use std::path::Path;

/// How many of the heaviest functions a card names.
const TOP_FUNCTIONS: usize = 3;

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
    /// The report total in `unit`.
    pub total_value: i64,
    /// The sample unit.
    pub unit: String,
    /// The heaviest functions by flat value: (name, flat formatted).
    pub top: Vec<(String, String)>,
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
        let mut rpt = engine::report(&top, prof.clone(), cfg, &mut |_| {})?;
        let (items, _) = report::text::text_items(&mut rpt);
        let heaviest = items
            .iter()
            .filter(|it| it.flat != 0)
            .take(TOP_FUNCTIONS)
            .map(|it| (it.name.clone(), it.flat_format.clone()))
            .collect();
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
            total_value: rpt.total,
            unit: rpt.sample_unit.clone(),
            top: heaviest,
            formats: extensions.iter().map(|e| e.to_string()).collect(),
            base: String::new(),
        })
    }

    /// `key=value` lines.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "source={}\ntype={}\ntime={}\ntime_nanos={}\ntotal={}\ntotal_value={}\nunit={}\nformats={}\n",
            clean(&self.source),
            clean(&self.kind),
            clean(&self.time),
            self.time_nanos,
            clean(&self.total),
            self.total_value,
            clean(&self.unit),
            self.formats.join(",")
        );
        for (name, flat) in &self.top {
            text.push_str(&format!(
                "top={}\t{}\n",
                clean(name).replace('\t', " "),
                clean(flat)
            ));
        }
        text
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
                "total_value" => m.total_value = v.parse().unwrap_or(0),
                "unit" => m.unit = v.to_string(),
                "top" => {
                    let (name, flat) = v.split_once('\t').unwrap_or((v, ""));
                    m.top.push((name.to_string(), flat.to_string()));
                }
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

/// Everything under the output folder the gallery reads or links to.
#[derive(Default)]
struct Folder {
    metas: Vec<Meta>,
    /// Diff graphs by name without extension: path relative to the folder.
    diffs: HashMap<String, String>,
    /// trend's reports, relative to the folder.
    reports: Vec<String>,
}

/// `path` relative to `root`, with `/` between its parts.
fn relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn scan(dir: &Path, root: &Path, out: &mut Folder) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if ft.is_dir() {
            scan(&path, root, out);
        } else if !ft.is_file() {
            continue;
        } else if path.extension().is_some_and(|e| e == "meta") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                let mut m = Meta::parse(&text);
                m.base = relative(&path.with_extension(""), root);
                out.metas.push(m);
            }
        } else if name == discover::TREND_REPORT {
            out.reports.push(relative(&path, root));
        } else if name.starts_with("diff-") {
            // The SVG (pan and zoom) when there is one, else the PNG.
            if let Some(stem) = name
                .strip_suffix(".svg")
                .or_else(|| name.strip_suffix(".png"))
            {
                let rel = relative(&path, root);
                let keep = out.diffs.get(stem).is_some_and(|p| p.ends_with(".svg"));
                if !keep {
                    out.diffs.insert(stem.to_string(), rel);
                }
            }
        }
    }
}

/// Writes `OUTDIR/index.html` from the `.meta` files under it; returns how
/// many snapshots it lists.
pub fn write_index(outdir: &Path) -> Result<usize, String> {
    let mut folder = Folder::default();
    scan(outdir, outdir, &mut folder);
    let metas = &mut folder.metas;
    metas.sort_by(|a, b| {
        a.time_nanos
            .cmp(&b.time_nanos)
            .then(a.source.cmp(&b.source))
    });
    folder.reports.sort();
    let mut html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>pprof-graph snapshots</title>\n<style>{GALLERY_STYLE}</style></head><body>\n<h1>{} snapshots</h1>\n",
        metas.len()
    );
    html.push_str("<div class=\"bar\"><input id=\"filter\" placeholder=\"filter by name\"> sort by <select id=\"sort\"><option value=\"time\">time</option><option value=\"name\">name</option><option value=\"total\">total</option></select> <label><input type=\"checkbox\" id=\"descending\"> descending</label>");
    for r in &folder.reports {
        html.push_str(&format!(
            " · <a href=\"{0}\">trend report ({0})</a>",
            xml_escape(r)
        ));
    }
    html.push_str("</div>\n<div class=\"grid\" id=\"cards\">\n");
    let mut previous: HashMap<&str, &Meta> = HashMap::new();
    for (i, m) in metas.iter().enumerate() {
        let before = previous.insert(&m.kind, m);
        html.push_str(&card(m, i, before, &folder.diffs));
    }
    html.push_str("</div>\n<script>");
    html.push_str(GALLERY_SCRIPT);
    html.push_str("</script>\n</body></html>\n");
    write::write_atomic(&outdir.join("index.html"), html.as_bytes())?;
    Ok(metas.len())
}

const GALLERY_STYLE: &str = "body{font-family:sans-serif;margin:1em;background:#fafafa}.bar{margin:.5em 0 1em}.grid{display:flex;flex-wrap:wrap;gap:1em}.card{background:#fff;border:1px solid #ddd;padding:.5em;width:440px}.thumb{display:block;height:260px;overflow:hidden;border:1px solid #eee;background:#fff}.thumb img{display:block}.card p{margin:.3em 0;font-size:90%}.card ol{margin:.3em 0;padding-left:1.4em;font-size:85%}.grow{color:#b20000}.shrink{color:#2a7d2a}.hidden{display:none}";

/// Sorts and filters the cards; crops each thumbnail to the top of its
/// graph at its own pixel size (96 dpi, where its text is readable).
const GALLERY_SCRIPT: &str = r#"
(function () {
  var grid = document.getElementById('cards');
  var cards = Array.prototype.slice.call(grid.children);
  function apply() {
    var key = document.getElementById('sort').value, desc = document.getElementById('descending').checked;
    var f = document.getElementById('filter').value.toLowerCase();
    cards.sort(function (a, b) {
      var r = key === 'name' ? a.dataset.name.localeCompare(b.dataset.name)
        : (parseFloat(a.dataset[key]) - parseFloat(b.dataset[key])) || (a.dataset.order - b.dataset.order);
      return desc ? -r : r;
    });
    cards.forEach(function (c) {
      c.classList.toggle('hidden', f !== '' && c.dataset.name.toLowerCase().indexOf(f) < 0);
      grid.appendChild(c);
    });
  }
  ['filter', 'sort', 'descending'].forEach(function (id) {
    document.getElementById(id).addEventListener('input', apply);
    document.getElementById(id).addEventListener('change', apply);
  });
  document.querySelectorAll('.thumb img').forEach(function (img) {
    function crop() {
      var box = img.parentNode.clientWidth, w = Math.max(box, img.naturalWidth);
      img.style.width = w + 'px';
      img.style.marginLeft = ((box - w) / 2) + 'px';
    }
    if (img.complete) { crop(); } else { img.addEventListener('load', crop); }
  });
})();
"#;

/// One snapshot's card; `before` is the previous snapshot of its type.
fn card(m: &Meta, order: usize, before: Option<&Meta>, diffs: &HashMap<String, String>) -> String {
    let base = xml_escape(&m.base);
    let has = |f: &str| m.formats.iter().any(|x| x == f);
    let link = if has("svg") {
        format!("{base}.svg")
    } else if let Some(f) = m.formats.first() {
        format!("{base}.{f}")
    } else {
        String::new()
    };
    let mut h = format!(
        "<div class=\"card\" data-name=\"{}\" data-time=\"{}\" data-total=\"{}\" data-order=\"{order}\">",
        xml_escape(&m.source),
        m.time_nanos,
        m.total_value
    );
    if let Some(ext) = ["png", "svg"].into_iter().find(|f| has(f)) {
        h.push_str(&format!(
            "<a class=\"thumb\" href=\"{link}\"><img src=\"{base}.{ext}\" loading=\"lazy\" alt=\"{}\"></a>",
            xml_escape(&m.source)
        ));
    }
    h.push_str(&format!(
        "<p><a href=\"{link}\"><b>{}</b></a></p><p>{}</p><p>{}: {}",
        xml_escape(&m.source),
        if m.time.is_empty() {
            "time unknown".to_string()
        } else {
            xml_escape(&m.time)
        },
        xml_escape(&m.kind),
        xml_escape(&m.total)
    ));
    if let Some(b) = before {
        h.push_str(&growth(m, b));
    }
    h.push_str("</p>");
    if !m.top.is_empty() {
        h.push_str("<ol>");
        for (name, flat) in &m.top {
            h.push_str(&format!(
                "<li>{} {}</li>",
                xml_escape(flat),
                xml_escape(name)
            ));
        }
        h.push_str("</ol>");
    }
    let mut links: Vec<String> = m
        .formats
        .iter()
        .map(|f| format!("<a href=\"{base}.{f}\">{f}</a>"))
        .collect();
    if let Some(diff) = before.and_then(|b| diffs.get(&discover::diff_name(&b.source, &m.source))) {
        links.push(format!(
            "<a class=\"diff\" href=\"{}\">diff from previous</a>",
            xml_escape(diff)
        ));
    }
    h.push_str(&format!("<p>{}</p></div>\n", links.join(" · ")));
    h
}

/// ` · +12MB (+15%) since NAME`, coloured by its sign.
fn growth(m: &Meta, before: &Meta) -> String {
    let delta = m.total_value - before.total_value;
    let class = if delta > 0 { "grow" } else { "shrink" };
    let sign = if delta > 0 { "+" } else { "" };
    let pct = if before.total_value != 0 {
        format!(
            " ({sign}{:.1}%)",
            delta as f64 * 100.0 / before.total_value as f64
        )
    } else {
        String::new()
    };
    format!(
        " · <span class=\"{class}\">{sign}{}{pct}</span> since {}",
        xml_escape(&units::scaled_label(delta, &m.unit, "auto")),
        xml_escape(&before.source)
    )
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
            total_value: 84537,
            unit: "bytes".into(),
            top: vec![
                ("fmt.Sprintf".into(), "42.73MB".into()),
                ("io.ReadAll".into(), "16.54MB".into()),
            ],
            formats: vec!["svg".into(), "png".into()],
            base: String::new(),
        };
        assert_eq!(Meta::parse(&m.to_text()), m);
    }
}
