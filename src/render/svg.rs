//! SVG output with graphviz's structure (`<g class="node">`, `<g
//! class="edge">`, `<title>`, tooltips as `xlink:title` anchors), so tools
//! that read pprof's SVGs read ours; optionally with a small pan/zoom
//! script for browsers.

use super::font;
use super::label::Justify;
use super::layout::{Layout, NodeBox, Shape, BOX3D, EDGE_FONT};
use crate::base::escape::xml_escape;
use std::fmt::Write as _;

/// Mouse-wheel zoom around the pointer and drag-to-pan for the `viewport`
/// group.
const PAN_ZOOM: &str = r#"<script type="text/ecmascript"><![CDATA[
(function () {
  function init() {
    var vp = document.getElementById("viewport");
    var svg = vp && vp.ownerSVGElement;
    if (!svg || !svg.createSVGPoint) { return; }
    var scale = 1, tx = 0, ty = 0, drag = null;
    function apply() { vp.setAttribute("transform", "translate(" + tx + "," + ty + ") scale(" + scale + ")"); }
    function point(e) {
      var p = svg.createSVGPoint(); p.x = e.clientX; p.y = e.clientY;
      return p.matrixTransform(svg.getScreenCTM().inverse());
    }
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var p = point(e), k = e.deltaY < 0 ? 1.2 : 1 / 1.2;
      tx = p.x - (p.x - tx) * k; ty = p.y - (p.y - ty) * k; scale *= k; apply();
    }, { passive: false });
    svg.addEventListener("mousedown", function (e) { drag = { x: e.clientX, y: e.clientY, tx: tx, ty: ty }; });
    svg.addEventListener("mousemove", function (e) {
      if (!drag) { return; }
      var m = svg.getScreenCTM();
      tx = drag.tx + (e.clientX - drag.x) / m.a; ty = drag.ty + (e.clientY - drag.y) / m.d; apply();
    });
    window.addEventListener("mouseup", function () { drag = null; });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
]]></script>
"#;

/// Like [`xml_escape`], and `-` as `&#45;` as graphviz writes titles.
fn title_escape(s: &str) -> String {
    xml_escape(s).replace('-', "&#45;")
}

fn points(pts: &[[f64; 2]]) -> String {
    pts.iter()
        .map(|p| format!("{:.2},{:.2}", p[0], p[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

fn rect_points(l: f64, t: f64, r: f64, b: f64) -> String {
    points(&[[l, t], [r, t], [r, b], [l, b], [l, t]])
}

fn text_lines(out: &mut String, n: &NodeBox) {
    let lh = font::line_height(n.fontsize);
    let total = lh * n.lines.len() as f64;
    let (l, _, r, _) = (n.x - n.w / 2.0, 0.0, n.x + n.w / 2.0, 0.0);
    let mut base = n.y - total / 2.0 + font::ascent(n.fontsize);
    for (line, just) in &n.lines {
        let (anchor, x) = match just {
            Justify::Center => ("middle", n.x),
            Justify::Left => ("start", l + 8.0),
            Justify::Right => ("end", r - 8.0),
        };
        if !line.is_empty() {
            let _ = writeln!(
                out,
                "<text text-anchor=\"{anchor}\" x=\"{x:.2}\" y=\"{base:.2}\" font-family=\"{}\" font-size=\"{:.2}\">{}</text>",
                font::FAMILY,
                n.fontsize,
                xml_escape(line)
            );
        }
        base += lh;
    }
}

fn node_shape(out: &mut String, n: &NodeBox, fill: &str, stroke: &str) {
    let (l, t, r, b) = (
        n.x - n.w / 2.0,
        n.y - n.h / 2.0,
        n.x + n.w / 2.0,
        n.y + n.h / 2.0,
    );
    match n.shape {
        Shape::Box3d => {
            let d = BOX3D;
            let _ = writeln!(
                out,
                "<polygon fill=\"{fill}\" stroke=\"{stroke}\" points=\"{}\"/>",
                points(&[
                    [l, t],
                    [l + d, t - d],
                    [r + d, t - d],
                    [r + d, b - d],
                    [r, b],
                    [l, b],
                    [l, t]
                ])
            );
            let _ = writeln!(
                out,
                "<polyline fill=\"none\" stroke=\"{stroke}\" points=\"{}\"/>",
                points(&[[l, t], [r, t], [r, b]])
            );
            let _ = writeln!(
                out,
                "<polyline fill=\"none\" stroke=\"{stroke}\" points=\"{}\"/>",
                points(&[[r, t], [r + d, t - d]])
            );
        }
        Shape::Phantom => {
            let _ = writeln!(
                out,
                "<ellipse fill=\"{fill}\" stroke=\"{stroke}\" cx=\"{:.2}\" cy=\"{:.2}\" rx=\"{:.2}\" ry=\"{:.2}\"/>",
                n.x,
                n.y,
                n.w / 2.0,
                n.h / 2.0
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "<polygon fill=\"{fill}\" stroke=\"{stroke}\" points=\"{}\"/>",
                rect_points(l, t, r, b)
            );
        }
    }
}

/// Writes the laid-out graph as SVG; `interactive` adds pan and zoom and
/// lets the drawing fill the browser window.
pub fn write(lay: &Layout, interactive: bool) -> String {
    let mut out = String::with_capacity(1024 + 1024 * lay.nodes.len());
    let (w, h) = (lay.width, lay.height);
    let title = if lay.title.is_empty() {
        "unnamed"
    } else {
        lay.title.as_str()
    };
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
    out.push_str("<!-- Generated by pprof-graph -->\n");
    let _ = writeln!(
        out,
        "<!-- Title: {} Pages: 1 -->",
        xml_escape(title).replace("--", "&#45;&#45;")
    );
    let size = if interactive {
        "width=\"100%\" height=\"100%\"".to_string()
    } else {
        format!("width=\"{w:.0}pt\" height=\"{h:.0}pt\"")
    };
    let _ = writeln!(
        out,
        "<svg {size} viewBox=\"0.00 0.00 {w:.2} {h:.2}\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
    );
    if interactive {
        out.push_str(PAN_ZOOM);
        out.push_str("<g id=\"viewport\">\n");
    }
    out.push_str("<g id=\"graph0\" class=\"graph\">\n");
    let _ = writeln!(out, "<title>{}</title>", title_escape(title));
    let _ = writeln!(
        out,
        "<polygon fill=\"white\" stroke=\"transparent\" points=\"{}\"/>",
        rect_points(0.0, 0.0, w, h)
    );
    if let Some((l, t, r, b)) = lay.cluster {
        out.push_str("<g id=\"clust1\" class=\"cluster\">\n<title>cluster_L</title>\n");
        let _ = writeln!(
            out,
            "<polygon fill=\"none\" stroke=\"black\" points=\"{}\"/>",
            rect_points(l, t, r, b)
        );
        out.push_str("</g>\n");
        let n = &lay.nodes[0];
        out.push_str("<g id=\"legend\" class=\"node\">\n");
        let _ = writeln!(out, "<title>{}</title>", title_escape(&n.id));
        if !lay.title.is_empty() {
            let _ = writeln!(
                out,
                "<g id=\"a_legend\"><a xlink:title=\"{}\">",
                xml_escape(&lay.title)
            );
        }
        node_shape(&mut out, n, &n.fill, &n.stroke);
        text_lines(&mut out, n);
        if !lay.title.is_empty() {
            out.push_str("</a>\n</g>\n");
        }
        out.push_str("</g>\n");
    }
    for n in lay.nodes.iter().skip(lay.first_dot_node) {
        let _ = writeln!(out, "<g id=\"{}\" class=\"node\">", xml_escape(&n.svg_id));
        let _ = writeln!(out, "<title>{}</title>", title_escape(&n.id));
        let _ = writeln!(
            out,
            "<g id=\"a_{}\"><a xlink:title=\"{}\">",
            xml_escape(&n.svg_id),
            xml_escape(&n.tooltip)
        );
        node_shape(&mut out, n, &n.fill, &n.stroke);
        text_lines(&mut out, n);
        out.push_str("</a>\n</g>\n</g>\n");
    }
    for (k, e) in lay.edges.iter().enumerate() {
        let id = k + 1;
        let _ = writeln!(out, "<g id=\"edge{id}\" class=\"edge\">");
        let _ = writeln!(
            out,
            "<title>{}</title>",
            title_escape(&format!("{}->{}", lay.nodes[e.from].id, lay.nodes[e.to].id))
        );
        let (color, pen) = (&e.color, e.pen);
        let tooltip = xml_escape(&e.tooltip);
        let _ = writeln!(out, "<g id=\"a_edge{id}\"><a xlink:title=\"{tooltip}\">");
        let mut d = format!("M{:.2},{:.2}", e.start[0], e.start[1]);
        for c in &e.curves {
            let _ = write!(
                d,
                " C{:.2},{:.2} {:.2},{:.2} {:.2},{:.2}",
                c[0][0], c[0][1], c[1][0], c[1][1], c[2][0], c[2][1]
            );
        }
        let dash = if e.dotted {
            " stroke-dasharray=\"1,5\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<path fill=\"none\" stroke=\"{color}\" stroke-width=\"{pen:.0}\"{dash} d=\"{d}\"/>"
        );
        let _ = writeln!(
            out,
            "<polygon fill=\"{color}\" stroke=\"{color}\" stroke-width=\"{pen:.0}\" points=\"{}\"/>",
            points(&[e.arrow[0], e.arrow[1], e.arrow[2], e.arrow[0]])
        );
        out.push_str("</a>\n</g>\n");
        if let Some((pos, lines)) = &e.label {
            let _ = writeln!(
                out,
                "<g id=\"a_edge{id}&#45;label\"><a xlink:title=\"{tooltip}\">"
            );
            let lh = font::line_height(EDGE_FONT);
            for (j, line) in lines.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "<text text-anchor=\"start\" x=\"{:.2}\" y=\"{:.2}\" font-family=\"{}\" font-size=\"{EDGE_FONT:.2}\">{}</text>",
                    pos[0],
                    pos[1] + j as f64 * lh,
                    font::FAMILY,
                    xml_escape(line)
                );
            }
            out.push_str("</a>\n</g>\n");
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
    if interactive {
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// Adds the pan/zoom script to graphviz's SVG, as pprof does with its own:
/// the drawing fills the window and sits in a `viewport` group.
pub fn add_pan_zoom(svg: &str) -> String {
    let svg = svg.replace("&;", "&amp;;");
    let Some(start) = svg.find("<svg") else {
        return svg;
    };
    let Some(open_end) = svg[start..].find('>').map(|i| start + i) else {
        return svg;
    };
    let mut head = svg[start..open_end].to_string();
    for attr in ["width", "height"] {
        if let Some(i) = head.find(&format!("{attr}=\"")) {
            if let Some(j) = head[i + attr.len() + 2..].find('"') {
                let end = i + attr.len() + 2 + j + 1;
                head.replace_range(i..end, &format!("{attr}=\"100%\""));
            }
        }
    }
    let Some(close) = svg.rfind("</svg>") else {
        return svg;
    };
    format!(
        "{}{}>\n{PAN_ZOOM}<g id=\"viewport\">{}</g>\n</svg>\n",
        &svg[..start],
        head,
        &svg[open_end + 1..close]
    )
}
