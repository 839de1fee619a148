//! Edge labels kept off other edges: each label starts beside its own line
//! in the middle of its slot; where another edge runs over its text, it
//! moves to the first of a few places beside its line (up or down its
//! band, or the line's other side) that no edge, box or other label
//! touches, and stays put where none is free.

use super::{sample_cubic, EdgePath, NodeBox, EDGE_FONT, PAD, RANK_GAP};
use crate::render::font;

/// Places tried across a label's band, less one.
const HEIGHT_STEPS: usize = 6;
/// Places tried out from the line on each side, and their spacing.
const OUTWARD_STEPS: usize = 3;
const OUTWARD_STEP: f64 = 4.0;

/// Left, top, right, bottom.
type Rect = (f64, f64, f64, f64);

/// Where a label may go: its band, and its line there.
pub(super) struct Room {
    /// Top and height of the label's band.
    pub band: (f64, f64),
    /// x of the line where it passes the band.
    pub line_x: f64,
    /// Clear space between the line's middle and the text.
    pub gap: f64,
}

/// The rectangle of edge-label text `lines` whose first baseline starts
/// at `at`.
pub fn text_rect(at: [f64; 2], lines: &[String]) -> Rect {
    let wide = lines
        .iter()
        .map(|l| font::text_width(l, EDGE_FONT))
        .fold(0.0, f64::max);
    let top = at[1] - font::ascent(EDGE_FONT);
    let tall = lines.len() as f64 * font::line_height(EDGE_FONT);
    (at[0], top, at[0] + wide, top + tall)
}

/// The text rectangle of edge `e`'s label.
fn rect_of(e: &EdgePath) -> Option<Rect> {
    e.label.as_ref().map(|(at, lines)| text_rect(*at, lines))
}

/// Points along `e`'s line, its arrowhead's tip last.
fn points(e: &EdgePath) -> Vec<[f64; 2]> {
    let mut pts = vec![e.start];
    let mut p = e.start;
    for c in &e.curves {
        pts.extend(sample_cubic(p, c, 8));
        p = c[2];
    }
    pts.push(e.arrow[0]);
    pts
}

fn bounds(pts: &[[f64; 2]]) -> Rect {
    pts.iter().fold(
        (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ),
        |(l, t, r, b), p| (l.min(p[0]), t.min(p[1]), r.max(p[0]), b.max(p[1])),
    )
}

fn overlap(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Whether the segment `p`–`q` enters `r`.
fn segment_enters(p: [f64; 2], q: [f64; 2], r: Rect) -> bool {
    // Clip the segment's parameter range to the rectangle's slabs.
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for (start, delta, min, max) in [(p[0], q[0] - p[0], r.0, r.2), (p[1], q[1] - p[1], r.1, r.3)] {
        if delta.abs() < 1e-12 {
            if start <= min || start >= max {
                return false;
            }
            continue;
        }
        let (a, b) = ((min - start) / delta, (max - start) / delta);
        lo = lo.max(a.min(b));
        hi = hi.min(a.max(b));
        if lo >= hi {
            return false;
        }
    }
    true
}

/// Moves labels that other edges run over, where a free place is near.
pub(super) fn keep_clear(edges: &mut [EdgePath], rooms: &[Option<Room>], nodes: &[NodeBox]) {
    let lines: Vec<Vec<[f64; 2]>> = edges.iter().map(points).collect();
    let line_bounds: Vec<Rect> = lines.iter().map(|p| bounds(p)).collect();
    let boxes: Vec<Rect> = nodes.iter().map(NodeBox::rect).collect();
    let mut labels: Vec<Option<Rect>> = edges.iter().map(rect_of).collect();
    // Whether any edge but `skip` runs over `r`.
    let crossed = |skip: Option<usize>, r: Rect| {
        lines
            .iter()
            .zip(&line_bounds)
            .enumerate()
            .any(|(j, (pts, &b))| {
                Some(j) != skip
                    && overlap(b, r)
                    && pts.windows(2).any(|s| segment_enters(s[0], s[1], r))
            })
    };
    for i in 0..edges.len() {
        let (Some(rect), Some(room)) = (labels[i], rooms[i].as_ref()) else {
            continue;
        };
        if !crossed(Some(i), rect) {
            continue;
        }
        let (wide, tall) = (rect.2 - rect.0, rect.3 - rect.1);
        let (band_top, band_h) = room.band;
        // Nearest its middle place first: its band's height in steps,
        // on either side, a little further out each time.
        // (And into half the gaps above and below the band.)
        let highest = band_top - RANK_GAP / 2.0;
        let lowest = band_top + band_h + RANK_GAP / 2.0 - tall;
        let mut tops: Vec<f64> = (0..=HEIGHT_STEPS)
            .map(|k| highest + (lowest - highest).max(0.0) * k as f64 / HEIGHT_STEPS as f64)
            .collect();
        tops.sort_by(|a, b| (a - rect.1).abs().total_cmp(&(b - rect.1).abs()));
        let xs = (0..OUTWARD_STEPS).flat_map(|k| {
            let out = k as f64 * OUTWARD_STEP;
            [
                room.line_x + room.gap + out,
                room.line_x - room.gap - wide - out,
            ]
        });
        let free = xs
            .flat_map(|x| tops.iter().map(move |&t| (x, t, x + wide, t + tall)))
            .filter(|&r| r != rect && r.0 >= PAD)
            .find(|&r| {
                // Its own line too: a moved label stays beside it.
                !crossed(None, r)
                    && !boxes.iter().any(|&b| overlap(b, r))
                    && !labels
                        .iter()
                        .enumerate()
                        .any(|(j, l)| j != i && l.is_some_and(|l| overlap(l, r)))
            });
        if let Some(r) = free {
            if let Some((at, _)) = edges[i].label.as_mut() {
                *at = [r.0, r.1 + font::ascent(EDGE_FONT)];
            }
            labels[i] = Some(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_entering_rectangles() {
        let r = (0.0, 0.0, 10.0, 10.0);
        assert!(segment_enters([-5.0, 5.0], [15.0, 5.0], r));
        assert!(segment_enters([5.0, 5.0], [6.0, 6.0], r));
        assert!(!segment_enters([-5.0, -5.0], [-1.0, 20.0], r));
        assert!(!segment_enters([-5.0, 11.0], [15.0, 11.0], r));
        assert!(segment_enters([-5.0, 6.0], [6.0, -5.0], r));
        assert!(!segment_enters([-5.0, 4.0], [4.0, -5.0], r));
    }
}
