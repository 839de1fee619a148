//! SVG → PNG, GIF (resvg's raster) and PDF (svg2pdf, vector), drawing
//! text with the embedded font only.

use super::font;
use resvg::{tiny_skia, usvg};

/// Default cap on the pixels of one PNG (about 400 MB of RGBA).
pub const DEFAULT_MAX_PIXELS: u64 = 100_000_000;

/// Pixels per SVG pixel: 96 dpi (4/3 pixels per point), the scale of
/// graphviz's own PNGs, so a picture has no more pixels than graphviz's
/// of a drawing as large; pprof's smallest text (8 points) is 10.7 pixels.
const SCALE: f32 = 1.0;
/// Below this scale text would be unreadable: refuse instead.
const MIN_SCALE: f32 = 0.25;

/// The SVG document parsed, its text laid out with the embedded font.
fn parse(svg: &str) -> Result<usvg::Tree, String> {
    let opt = usvg::Options {
        fontdb: font::database(),
        font_family: font::FAMILY.to_string(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &opt).map_err(|e| format!("reading SVG: {e}"))
}

/// The raster scale and size of `tree` within `max_pixels` (`what`
/// names the format in the refusal).
fn raster_size(tree: &usvg::Tree, max_pixels: u64, what: &str) -> Result<(f32, u32, u32), String> {
    let size = tree.size();
    let (w, h) = (size.width(), size.height());
    let area = f64::from(w) * f64::from(h);
    let fit = ((max_pixels as f64) / area.max(1.0)).sqrt() as f32;
    let scale = SCALE.min(fit);
    if scale < MIN_SCALE {
        return Err(format!(
            "graph too large for a {what}: {w:.0}x{h:.0} points would need more than {max_pixels} pixels to stay readable (raise --max-png-pixels, lower -nodecount, or use -svg)"
        ));
    }
    let pw = ((w * scale).ceil() as u32).max(1);
    let ph = ((h * scale).ceil() as u32).max(1);
    Ok((scale, pw, ph))
}

/// Rasterizes `svg` on white as PNG, at most `max_pixels` pixels.
pub fn svg_to_png(svg: &str, max_pixels: u64) -> Result<Vec<u8>, String> {
    let tree = parse(svg)?;
    let (scale, pw, ph) = raster_size(&tree, max_pixels, "PNG")?;
    render_strips(&tree, scale, pw, ph)
}

/// GIF's largest side.
const GIF_MAX_SIDE: u32 = u16::MAX as u32;

/// Rasterizes `svg` on white as a GIF (one frame, a 256-colour palette
/// chosen for the picture), at most `max_pixels` pixels.
pub fn svg_to_gif(svg: &str, max_pixels: u64) -> Result<Vec<u8>, String> {
    let tree = parse(svg)?;
    let (scale, pw, ph) = raster_size(&tree, max_pixels, "GIF")?;
    if pw > GIF_MAX_SIDE || ph > GIF_MAX_SIDE {
        return Err(format!(
            "graph too large for a GIF: {pw}x{ph} pixels (GIF allows {GIF_MAX_SIDE} a side; use -png or -svg)"
        ));
    }
    let mut pixmap = tiny_skia::Pixmap::new(pw, ph)
        .ok_or_else(|| format!("cannot allocate a {pw}x{ph} image"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let mut rgba = pixmap.take();
    let frame = gif::Frame::from_rgba_speed(pw as u16, ph as u16, &mut rgba, 10);
    let mut out = Vec::new();
    {
        let err = |e: gif::EncodingError| format!("encoding GIF: {e}");
        let mut enc = gif::Encoder::new(&mut out, pw as u16, ph as u16, &[]).map_err(err)?;
        enc.write_frame(&frame).map_err(err)?;
    }
    Ok(out)
}

/// CSS pixels per inch, as usvg sizes the document: the PDF page then
/// has the drawing's size in points.
const CSS_DPI: f32 = 96.0;

/// Converts `svg` to a one-page vector PDF of the drawing's size.
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>, String> {
    let tree = parse(svg)?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi: CSS_DPI },
    )
    .map_err(|e| format!("writing PDF: {e}"))
}

/// Rows rendered at a time: memory stays bounded whatever the image size.
const STRIP_ROWS: u32 = 1024;

/// Renders the image strip by strip and streams opaque RGB rows into a
/// PNG with fast compression.
fn render_strips(tree: &usvg::Tree, scale: f32, pw: u32, ph: u32) -> Result<Vec<u8>, String> {
    let strip = STRIP_ROWS.min(ph);
    let mut pixmap = tiny_skia::Pixmap::new(pw, strip)
        .ok_or_else(|| format!("cannot allocate a {pw}x{strip} image strip"))?;
    let mut out = Vec::new();
    write_png(&mut out, tree, scale, pw, ph, strip, &mut pixmap)?;
    Ok(out)
}

fn write_png(
    out: &mut Vec<u8>,
    tree: &usvg::Tree,
    scale: f32,
    pw: u32,
    ph: u32,
    strip: u32,
    pixmap: &mut tiny_skia::Pixmap,
) -> Result<(), String> {
    let err = |e: png::EncodingError| format!("encoding PNG: {e}");
    let mut enc = png::Encoder::new(out, pw, ph);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut header = enc.write_header().map_err(err)?;
    let mut writer = header.stream_writer().map_err(err)?;
    let mut row = vec![0u8; pw as usize * 3];
    let mut y0 = 0;
    while y0 < ph {
        let rows = strip.min(ph - y0);
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(
            tree,
            tiny_skia::Transform::from_scale(scale, scale).post_translate(0.0, -(y0 as f32)),
            &mut pixmap.as_mut(),
        );
        let data = pixmap.data();
        for r in 0..rows as usize {
            let src = &data[r * pw as usize * 4..(r + 1) * pw as usize * 4];
            for (d, s) in row.chunks_exact_mut(3).zip(src.chunks_exact(4)) {
                d.copy_from_slice(&s[..3]);
            }
            std::io::Write::write_all(&mut writer, &row)
                .map_err(|e| format!("encoding PNG: {e}"))?;
        }
        y0 += rows;
    }
    writer.finish().map_err(err)?;
    header.finish().map_err(err)
}
