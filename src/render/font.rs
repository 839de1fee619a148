//! The one font every picture uses, embedded in the binary (DejaVu Sans,
//! see `font/LICENSE-DejaVu.txt`): text measurement for layout, and the
//! font database resvg draws with. No system font is ever consulted.

use std::sync::{Arc, OnceLock};

/// The embedded TrueType font.
pub static FONT_DATA: &[u8] = include_bytes!("font/DejaVuSans.ttf");

/// The family name to write into SVG `font-family` attributes.
pub const FAMILY: &str = "DejaVu Sans";

struct Metrics {
    units_per_em: f64,
    ascender: f64,
    descender: f64,
    /// Advances of ASCII characters, in font units.
    ascii: [f64; 128],
    face: ttf_parser::Face<'static>,
}

fn metrics() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| {
        let face = ttf_parser::Face::parse(FONT_DATA, 0).expect("embedded font parses");
        let mut ascii = [0.0; 128];
        for (c, slot) in ascii.iter_mut().enumerate() {
            *slot = advance(&face, char::from(c as u8));
        }
        Metrics {
            units_per_em: f64::from(face.units_per_em()),
            ascender: f64::from(face.ascender()),
            descender: f64::from(face.descender()),
            ascii,
            face,
        }
    })
}

fn advance(face: &ttf_parser::Face, c: char) -> f64 {
    let g = face
        .glyph_index(c)
        .or_else(|| face.glyph_index('?'))
        .unwrap_or(ttf_parser::GlyphId(0));
    f64::from(face.glyph_hor_advance(g).unwrap_or(0))
}

/// Width of `text` at `size` points.
pub fn text_width(text: &str, size: f64) -> f64 {
    let m = metrics();
    let units: f64 = text
        .chars()
        .map(|c| {
            if c.is_ascii() {
                m.ascii[c as usize]
            } else {
                advance(&m.face, c)
            }
        })
        .sum();
    units * size / m.units_per_em
}

/// Distance from the baseline to the top of the tallest glyphs, at `size`.
pub fn ascent(size: f64) -> f64 {
    let m = metrics();
    m.ascender * size / m.units_per_em
}

/// Line height at `size` (ascender − descender).
pub fn line_height(size: f64) -> f64 {
    let m = metrics();
    (m.ascender - m.descender) * size / m.units_per_em
}

/// A font database holding only the embedded font, with every generic
/// family mapped to it (resvg drops text whose family does not resolve).
pub fn database() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(FONT_DATA.to_vec());
        db.set_serif_family(FAMILY);
        db.set_sans_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_text() {
        let w = text_width("main", 14.0);
        assert!(w > 20.0 && w < 50.0, "{w}");
        assert!(text_width("mmmm", 10.0) > text_width("iiii", 10.0));
        assert_eq!(text_width("", 10.0), 0.0);
        assert!(line_height(10.0) > 10.0 && ascent(10.0) < 10.0);
    }
}
