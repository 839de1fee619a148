//! SVG → PNG with resvg, drawing text with the embedded font only.

use super::font;
use resvg::{tiny_skia, usvg};

/// Default cap on the pixels of one PNG (about 400 MB of RGBA).
pub const DEFAULT_MAX_PIXELS: u64 = 100_000_000;

/// Pixels per SVG pixel: 2× keeps 8-point text crisp.
const SCALE: f32 = 2.0;
/// Below this scale text would be unreadable: refuse instead.
const MIN_SCALE: f32 = 0.25;

/// Rasterizes `svg` on white, at most `max_pixels` pixels.
pub fn svg_to_png(svg: &str, max_pixels: u64) -> Result<Vec<u8>, String> {
    let opt = usvg::Options {
        fontdb: font::database(),
        font_family: font::FAMILY.to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| format!("reading SVG: {e}"))?;
    let size = tree.size();
    let (w, h) = (size.width(), size.height());
    let area = f64::from(w) * f64::from(h);
    let fit = ((max_pixels as f64) / area.max(1.0)).sqrt() as f32;
    let scale = SCALE.min(fit);
    if scale < MIN_SCALE {
        return Err(format!(
            "graph too large for a PNG: {w:.0}x{h:.0} points would need more than {max_pixels} pixels to stay readable (raise --max-png-pixels, lower -nodecount, or use -svg)"
        ));
    }
    let pw = ((w * scale).ceil() as u32).max(1);
    let ph = ((h * scale).ceil() as u32).max(1);
    let mut pixmap = tiny_skia::Pixmap::new(pw, ph)
        .ok_or_else(|| format!("cannot allocate a {pw}x{ph} image"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("encoding PNG: {e}"))
}
