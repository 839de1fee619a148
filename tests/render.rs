//! Pictures: geometry of the embedded layout on every corpus profile,
//! the SVG's structure, determinism, no dependency on PATH, and the
//! graphviz backend (skipped with a message when graphviz is absent).

mod common;

use common::{data_dir, have_dot, manifest, run_in};
use pprof_graph::engine::{self, commands, Invocation};
use pprof_graph::render::drawing::Drawing;
use pprof_graph::render::layout::{layout, Shape};
use pprof_graph::render::metrics::Geometry;
use pprof_graph::render::{self, font, label, Renderer};
use pprof_graph::report::dot::{self, DotGraph};
use pprof_graph::report::Config;
use pprof_graph::source::{self, SourceOptions};
use std::collections::BTreeSet;
use std::fs;

/// Every shipped profile of the corpus (legacy formats included).
fn corpus_profiles() -> Vec<String> {
    let set: BTreeSet<String> = manifest()
        .into_iter()
        .map(|c| c.profile)
        .filter(|p| data_dir().join(p).exists())
        .collect();
    set.into_iter().collect()
}

fn dot_graph(profile: &str) -> DotGraph {
    let opts = SourceOptions {
        inputs: vec![data_dir().join(profile).to_string_lossy().into_owned()],
        ..SourceOptions::default()
    };
    let p = source::load(&opts, &mut |_| {}).unwrap();
    let inv = Invocation::new(commands::find("dot").unwrap(), None).unwrap();
    let mut rpt = engine::report(&inv, p, &Config::default(), &mut |_| {}).unwrap();
    dot::build(&mut rpt)
}

#[test]
fn embedded_layout_geometry_on_every_corpus_graph() {
    let profiles = corpus_profiles();
    assert!(profiles.len() >= 20, "{profiles:?}");
    for profile in &profiles {
        let d = dot_graph(profile);
        let lay = layout(&Drawing::from_dot(&d));
        let g = Geometry::from_layout(&lay);
        assert_eq!(g.overlaps(), 0, "{profile}: overlapping boxes");
        assert_eq!(
            g.edges_through_nodes(),
            0,
            "{profile}: an edge runs through a node"
        );
        // Every label fits its box.
        for n in &lay.nodes {
            let (l, t, r, b) = n.rect();
            let widest = n
                .lines
                .iter()
                .map(|(s, _)| font::text_width(s, n.fontsize))
                .fold(0.0, f64::max);
            let tall = n.lines.len() as f64 * font::line_height(n.fontsize);
            assert!(
                widest <= (r - l) - 8.0,
                "{profile}: text wider than box {}",
                n.id
            );
            assert!(tall <= b - t, "{profile}: text taller than box {}", n.id);
        }
        // Edge labels stay clear of nodes.
        for e in &lay.edges {
            let Some((pos, lines)) = &e.label else {
                continue;
            };
            let w = lines
                .iter()
                .map(|s| font::text_width(s, 14.0))
                .fold(0.0, f64::max);
            let lh = font::line_height(14.0);
            let (lx0, ly0) = (pos[0], pos[1] - font::ascent(14.0));
            let (lx1, ly1) = (lx0 + w, ly0 + lh * lines.len() as f64);
            for n in &lay.nodes {
                let (l, t, r, b) = n.rect();
                assert!(
                    !(lx0 < r && l < lx1 && ly0 < b && t < ly1),
                    "{profile}: edge label {lines:?} over node {}",
                    n.id
                );
            }
        }
        // Every DOT node and edge appears once.
        let svg = render::svg::write(&lay, true);
        for n in &d.nodes {
            let title = format!("<title>{}</title>", n.id);
            assert_eq!(svg.matches(&title).count(), 1, "{profile}: {title}");
        }
        assert_eq!(
            svg.matches("class=\"edge\"").count(),
            d.edges.len(),
            "{profile}"
        );
        let phantoms = lay
            .nodes
            .iter()
            .filter(|n| n.shape == Shape::Phantom)
            .count();
        assert_eq!(
            svg.matches("class=\"node\"").count(),
            d.nodes.len() + phantoms + usize::from(!d.legend.is_empty()),
            "{profile}"
        );
        assert!(usvg_reads(&svg), "{profile}: SVG does not parse");
    }
}

fn usvg_reads(svg: &str) -> bool {
    let opt = resvg::usvg::Options {
        fontdb: font::database(),
        ..Default::default()
    };
    resvg::usvg::Tree::from_str(svg, &opt).is_ok()
}

#[test]
fn svg_carries_graphviz_structure_and_tooltips() {
    let d = dot_graph("profiles/fixtures/p1.pb.gz");
    let svg = render::svg(&d, &Renderer::Embedded).unwrap();
    assert!(svg.contains("<g id=\"node1\" class=\"node\">\n<title>N1</title>"));
    assert!(svg.contains("<g id=\"clust1\" class=\"cluster\">"));
    assert!(svg.contains("<title>N1&#45;&gt;N3</title>"));
    assert!(svg.contains("xlink:title=\"main.work (1800ms)\""));
    assert!(svg.contains("xlink:title=\"main.work -&gt; main.helper (500ms)\""));
    assert!(svg.contains("<g id=\"viewport\">"), "pan/zoom group");
    assert!(svg.contains(">helper</text>"));
    // The label line splitting the SVG relies on.
    assert_eq!(label::split_lines("a\\nb\\n").len(), 2);
}

#[test]
fn pictures_are_deterministic() {
    let dir = data_dir();
    for args in [
        ["-svg", "profiles/leak/heap.t3.pb.gz"],
        ["-png", "profiles/leak/heap.t3.pb.gz"],
        ["-png", "profiles/workload/workload.cpu.pb.gz"],
    ] {
        let a = run_in(&dir, &args);
        let b = run_in(&dir, &args);
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        assert!(!a.stdout.is_empty());
        assert_eq!(a.stdout, b.stdout, "{args:?} differs between runs");
    }
}

#[test]
fn png_needs_nothing_on_path() {
    let out_dir = std::env::temp_dir().join(format!("pprof-graph-png-{}", std::process::id()));
    fs::create_dir_all(&out_dir).unwrap();
    let png = out_dir.join("heap.png");
    let out = std::process::Command::new(common::bin())
        .args([
            "--png",
            "-o",
            png.to_str().unwrap(),
            "profiles/leak/heap.t3.pb.gz",
        ])
        .current_dir(data_dir())
        .env_clear()
        .env("PATH", "")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert!(w > 500 && h > 500, "{w}x{h}");
    let _ = fs::remove_dir_all(&out_dir);
}

#[test]
fn oversized_png_is_refused_with_a_message() {
    let out = run_in(
        &data_dir(),
        &[
            "-png",
            "--max-png-pixels",
            "1000",
            "-o",
            "/tmp/never-written.png",
            "profiles/leak/heap.t3.pb.gz",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("graph too large for a PNG"), "{err}");
    assert!(!std::path::Path::new("/tmp/never-written.png").exists());
}

#[test]
fn graphviz_backend() {
    let missing = run_in(
        &data_dir(),
        &[
            "-svg",
            "--renderer",
            "graphviz",
            "--dot-path",
            "/nonexistent/dot",
            "profiles/fixtures/p1.pb.gz",
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("graphviz `dot` not found"), "{err}");
    if !have_dot() {
        eprintln!("skipping graphviz rendering checks: graphviz `dot` is not installed");
        return;
    }
    let svg = run_in(
        &data_dir(),
        &[
            "-svg",
            "--renderer",
            "graphviz",
            "profiles/fixtures/p1.pb.gz",
        ],
    );
    assert!(svg.status.success());
    let text = String::from_utf8_lossy(&svg.stdout);
    assert!(text.contains("class=\"node\"") && text.contains("<g id=\"viewport\">"));
    // A quote in the binary name breaks pprof's DOT; ours is escaped for dot.
    let mu = run_in(
        &data_dir(),
        &[
            "-png",
            "--renderer",
            "graphviz",
            "profiles/fixtures/mu.pb.gz",
        ],
    );
    assert!(
        mu.status.success(),
        "{}",
        String::from_utf8_lossy(&mu.stderr)
    );
    assert_eq!(&mu.stdout[..4], b"\x89PNG");
}

#[test]
fn flame_graph_is_a_standalone_svg() {
    let out = run_in(&data_dir(), &["-flamegraph", "profiles/fixtures/p1.pb.gz"]);
    assert!(out.status.success());
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(usvg_reads(&svg));
    // Widths follow values: main.work's frame is 1800/2010 of the root's.
    assert!(
        svg.contains("<title>all (2.01s) (2.01s, 100.00%)</title>"),
        "{svg}"
    );
    assert!(svg.contains("<title>main.work (1.80s, 89.55%)</title>"));
    assert!(svg.contains("<title>main.helper (500ms, 24.88%)</title>"));
    let again = run_in(&data_dir(), &["-flamegraph", "profiles/fixtures/p1.pb.gz"]);
    assert_eq!(svg.as_bytes(), &again.stdout[..]);
}

#[test]
fn gif_and_pdf_draw_the_same_graph() {
    let p = "profiles/leak/heap.t3.pb.gz";
    let png = run_in(&data_dir(), &["-png", p]).stdout;
    let png_size = {
        let dec = png::Decoder::new(std::io::Cursor::new(&png));
        let reader = dec.read_info().unwrap();
        (reader.info().width, reader.info().height)
    };
    let gif = run_in(&data_dir(), &["-gif", p]);
    assert!(
        gif.status.success(),
        "{}",
        String::from_utf8_lossy(&gif.stderr)
    );
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts.read_info(std::io::Cursor::new(&gif.stdout)).unwrap();
    let frame = dec.read_next_frame().unwrap().unwrap();
    assert_eq!((u32::from(frame.width), u32::from(frame.height)), png_size);
    assert_eq!(
        &frame.buffer[..4],
        &[255, 255, 255, 255],
        "white background"
    );
    let ink = frame.buffer.chunks(4).filter(|px| px[0] < 128).count();
    assert!(ink > 1000, "the graph is drawn: {ink} dark pixels");

    let pdf = run_in(&data_dir(), &["-pdf", p]);
    assert!(pdf.status.success());
    assert!(pdf.stdout.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf.stdout);
    let svg = String::from_utf8(run_in(&data_dir(), &["-svg", p]).stdout).unwrap();
    let view = svg.split("viewBox=\"0.00 0.00 ").nth(1).unwrap();
    let width = view.split(' ').next().unwrap();
    let width: f64 = width.parse().unwrap();
    let media = text.split("/MediaBox [0 0 ").nth(1).unwrap();
    let pdf_width: f64 = media.split(' ').next().unwrap().parse().unwrap();
    assert!(
        (pdf_width - width).abs() < 1.0,
        "page {pdf_width}pt, drawing {width}pt"
    );
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert_eq!(pages, 1, "one page");
}

#[test]
fn diff_flame_graph_draws_the_change() {
    let (t0, t3) = ("profiles/leak/heap.t0.pb.gz", "profiles/leak/heap.t3.pb.gz");
    let svg = |args: &[&str]| String::from_utf8(run_in(&data_dir(), args).stdout).unwrap();
    let plain = svg(&["-flamegraph", t3]);
    let diff = svg(&["-flamegraph", "-diff_base", t0, t3]);
    assert_ne!(plain, diff);
    assert!(!plain.contains("→"));
    assert!(
        diff.contains("<title>fmt.Sprintf (0 → 42.73MB)</title>"),
        "the change of each frame in its tooltip"
    );
    let growth = "fill=\"rgb(214,60,50)\"";
    assert!(diff.matches(growth).count() > 10, "growth bars");
    assert!(!plain.contains(growth));
    let blind = svg(&[
        "-flamegraph",
        "--palette",
        "colorblind",
        "-diff_base",
        t0,
        t3,
    ]);
    assert!(blind.contains("fill=\"rgb(230,140,20)\"") && !blind.contains(growth));
    // Shrinkage the other way round: t0 against t3.
    let shrink = svg(&["-flamegraph", "-diff_base", t3, t0]);
    assert!(shrink.contains("fill=\"rgb(60,160,70)\""));
}

/// The standalone flame graph's search works in place in a browser: no
/// prompt, typed text highlights, Enter keeps it, Escape clears it.
#[test]
fn the_flame_graph_svg_searches_in_place_in_a_browser() {
    if let Some(why) = common::browser_missing() {
        eprintln!("skipping the browser test: {why}");
        return;
    }
    let dir = common::scratch("render", "flame");
    let svg = dir.join("flame.svg");
    let out = run_in(
        &data_dir(),
        &[
            "-flamegraph",
            "-o",
            svg.to_str().unwrap(),
            "profiles/leak/heap.t3.pb.gz",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = format!("file://{}", svg.display());
    let text = common::run_browser_script("flame-svg.js", &[&url, "Sprintf"]);
    assert!(
        text.contains("\"label\":\"Search: Sprintf\",\"dialogs\":0"),
        "{text}"
    );
    assert!(!text.contains("\"hits\":0"), "{text}");
    assert!(
        text.contains("\"typingEndsWithEnter\":true,\"cleared\":0"),
        "{text}"
    );
    let _ = fs::remove_dir_all(&dir);
}
