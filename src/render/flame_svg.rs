//! The flame graph drawn: an icicle graph (callers above callees, width
//! proportional to value) in a standalone SVG with a search box: click
//! it and type a regexp (Enter keeps it, Escape clears it).

use super::font;
use crate::base::escape::xml_escape;
use crate::report::flame::{FlameGraph, Frame};
use crate::report::Palette;
use std::fmt::Write as _;

const WIDTH: f64 = 1200.0;
const ROW: f64 = 18.0;
const FONT: f64 = 11.0;
const TOP: f64 = 40.0;

/// Colour of a frame: warm hues, stable per package.
pub fn color(name: &str) -> String {
    let pkg = name.split(['.', ' ']).next().unwrap_or(name);
    let h = pkg
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let r = 205 + (h % 50);
    let g = 80 + ((h / 50) % 140);
    let b = 40 + ((h / 7000) % 40);
    format!("rgb({r},{g},{b})")
}

/// Background of the frames of a comparison: the change is drawn over it.
const DIFF_BACKGROUND: &str = "rgb(225,225,225)";

/// Colour of growth and of shrinkage in `palette`.
pub fn change_colors(palette: Palette) -> (&'static str, &'static str) {
    match palette {
        Palette::Pprof => ("rgb(214,60,50)", "rgb(60,160,70)"),
        Palette::Colorblind => ("rgb(230,140,20)", "rgb(40,110,200)"),
    }
}

/// On a comparison, the bar showing a frame's change: as wide as the
/// change, from the frame's left edge, in growth or shrinkage colour.
fn change_bar(fr: &Frame, x: f64, y: f64, scale: f64, palette: Palette) -> String {
    let delta = fr.after - fr.before;
    let w = delta.unsigned_abs() as f64 * scale;
    if w < 0.3 {
        return String::new();
    }
    let (grow, shrink) = change_colors(palette);
    format!(
        "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{w:.2}\" height=\"{:.2}\" fill=\"{}\" rx=\"2\"/>",
        ROW - 1.0,
        if delta < 0 { shrink } else { grow }
    )
}

/// The flame graph as a standalone SVG with a search box.
pub fn write(flame: &FlameGraph) -> String {
    let frames = &flame.frames;
    let total = frames[0].value.max(1) as f64;
    let mut body = String::new();
    let mut depth_max = 0usize;
    // Depth-first, children sorted by name for a stable picture.
    let mut stack: Vec<(usize, f64, usize)> = vec![(0, 0.0, 0)];
    while let Some((f, x, depth)) = stack.pop() {
        let fr = &frames[f];
        let w = fr.value as f64 / total * WIDTH;
        if w < 0.3 {
            continue;
        }
        depth_max = depth_max.max(depth);
        let y = TOP + depth as f64 * ROW;
        let label = &fr.name;
        let tip = if flame.diff {
            format!("{label} ({})", fr.value_label)
        } else {
            format!(
                "{} ({}, {:.2}%)",
                label,
                fr.value_label,
                fr.value as f64 * 100.0 / total
            )
        };
        let _ = write!(
            body,
            "<g class=\"frame\"><title>{}</title><rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{w:.2}\" height=\"{:.2}\" fill=\"{}\" rx=\"2\"/>",
            xml_escape(&tip),
            ROW - 1.0,
            if flame.diff {
                DIFF_BACKGROUND.to_string()
            } else if f == 0 {
                "rgb(220,220,220)".to_string()
            } else {
                color(&fr.name)
            }
        );
        if flame.diff {
            body.push_str(&change_bar(fr, x, y, WIDTH / total, flame.palette));
        }
        // As much of the name as fits.
        let mut shown = String::new();
        for c in label.chars() {
            shown.push(c);
            if font::text_width(&shown, FONT) > w - 6.0 {
                shown.pop();
                if shown.chars().count() > 2 {
                    shown.pop();
                    shown.push('…');
                } else {
                    shown.clear();
                }
                break;
            }
        }
        if !shown.is_empty() {
            let _ = write!(
                body,
                "<text x=\"{:.2}\" y=\"{:.2}\" font-family=\"{}\" font-size=\"{FONT}\">{}</text>",
                x + 3.0,
                y + ROW - 5.0,
                font::FAMILY,
                xml_escape(&shown)
            );
        }
        body.push_str("</g>\n");
        let mut kids = fr.children.clone();
        kids.sort_by(|a, b| frames[*a].name.cmp(&frames[*b].name));
        let mut cx = x;
        let mut pushes = Vec::new();
        for k in kids {
            pushes.push((k, cx, depth + 1));
            cx += frames[k].value as f64 / total * WIDTH;
        }
        stack.extend(pushes.into_iter().rev());
    }
    let height = TOP + (depth_max + 1) as f64 * ROW + 10.0;
    let title = &flame.title;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<svg width=\"{WIDTH:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    out.push_str("<style>.frame:hover rect{stroke:#000;stroke-width:.5} .hit rect{fill:rgb(230,0,230)!important}</style>\n");
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/><text x=\"6\" y=\"18\" font-family=\"{}\" font-size=\"14\">{}</text>",
        font::FAMILY,
        xml_escape(title)
    );
    let _ = writeln!(
        out,
        "<text id=\"search\" x=\"{:.0}\" y=\"18\" font-family=\"{}\" font-size=\"12\" style=\"cursor:pointer\" text-anchor=\"end\">Search</text>",
        WIDTH - 8.0,
        font::FAMILY
    );
    out.push_str(&body);
    out.push_str(
        "<script type=\"text/ecmascript\"><![CDATA[\n\
(function () {\n\
  var s = document.getElementById('search'), typing = false, re = '';\n\
  function show() {\n\
    var rx = null;\n\
    try { rx = re ? new RegExp(re) : null; } catch (e) { rx = null; }\n\
    var gs = document.querySelectorAll('g.frame');\n\
    for (var i = 0; i < gs.length; i++) {\n\
      var hit = rx && rx.test(gs[i].querySelector('title').textContent);\n\
      gs[i].setAttribute('class', hit ? 'frame hit' : 'frame');\n\
    }\n\
    s.textContent = typing ? 'Search: ' + re + '_' : (re ? 'Search: ' + re : 'Search');\n\
  }\n\
  s.addEventListener('click', function () { typing = true; show(); });\n\
  document.addEventListener('keydown', function (e) {\n\
    if (!typing) { return; }\n\
    if (e.key === 'Enter') { typing = false; }\n\
    else if (e.key === 'Escape') { typing = false; re = ''; }\n\
    else if (e.key === 'Backspace') { re = re.slice(0, -1); }\n\
    else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey) { re += e.key; }\n\
    else { return; }\n\
    e.preventDefault();\n\
    show();\n\
  });\n\
})();\n\
]]></script>\n</svg>\n",
    );
    out
}
