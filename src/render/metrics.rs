//! Quality figures of a drawing, for tests and `make layout-report`:
//! edge crossings, drawing area, ink, bends, edges passing through nodes,
//! overlapping boxes. Works on plain geometry, so graphviz's layouts can
//! be measured the same way.

use super::layout::{label_rect, sample_cubic, segments_cross, Layout};

/// Boxes and sampled edge paths of a drawing.
#[derive(Clone, Debug, Default)]
pub struct Geometry {
    /// Node boxes (left, top, right, bottom).
    pub boxes: Vec<(f64, f64, f64, f64)>,
    /// Edges: source box, destination box, points along the stroke (to
    /// the arrowhead's base, as graphviz's plain output gives its splines).
    pub edges: Vec<(usize, usize, Vec<[f64; 2]>)>,
    /// Each edge's stroke width.
    pub widths: Vec<f64>,
    /// Drawing width.
    pub width: f64,
    /// Drawing height.
    pub height: f64,
    /// Edge labels: the edge, and the text's rectangle.
    pub labels: Vec<(usize, (f64, f64, f64, f64))>,
}

impl Geometry {
    /// The geometry of one of our layouts (the legend counts as a box).
    pub fn from_layout(l: &Layout) -> Geometry {
        let boxes = l.nodes.iter().map(|n| n.rect()).collect();
        let widths = l.edges.iter().map(|e| e.pen).collect();
        let edges = l
            .edges
            .iter()
            .map(|e| {
                let mut pts = vec![e.start];
                let mut p = e.start;
                for c in &e.curves {
                    pts.extend(sample_cubic(p, c, 16));
                    p = c[2];
                }
                (e.from, e.to, pts)
            })
            .collect();
        let labels = l
            .edges
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                e.label
                    .as_ref()
                    .map(|(at, lines)| (i, label_rect(*at, lines)))
            })
            .collect();
        Geometry {
            boxes,
            edges,
            widths,
            width: l.width,
            height: l.height,
            labels,
        }
    }

    /// Ink: the sum over edges of stroke width × path length (heavy
    /// edges should be short).
    pub fn ink(&self) -> f64 {
        self.edges
            .iter()
            .zip(&self.widths)
            .map(|((_, _, pts), w)| w * pts.windows(2).map(|p| dist(p[0], p[1])).sum::<f64>())
            .sum()
    }

    /// Bends: turns of more than 25° between stretches of at least 3
    /// points along an edge, over all edges.
    pub fn bends(&self) -> usize {
        self.edges.iter().map(|(_, _, pts)| bends_of(pts)).sum()
    }

    /// Drawing area in square points.
    pub fn area(&self) -> f64 {
        self.width * self.height
    }

    /// Pairs of node boxes that overlap.
    pub fn overlaps(&self) -> usize {
        let mut n = 0;
        for i in 0..self.boxes.len() {
            for j in i + 1..self.boxes.len() {
                let (a, b) = (self.boxes[i], self.boxes[j]);
                if a.0 < b.2 - 0.01 && b.0 < a.2 - 0.01 && a.1 < b.3 - 0.01 && b.1 < a.3 - 0.01 {
                    n += 1;
                }
            }
        }
        n
    }

    /// Edges that pass through a box other than their own two ends.
    pub fn edges_through_nodes(&self) -> usize {
        self.edges
            .iter()
            .filter(|(f, t, pts)| {
                self.boxes.iter().enumerate().any(|(i, b)| {
                    i != *f
                        && i != *t
                        && pts.iter().any(|p| {
                            p[0] > b.0 + 0.5
                                && p[0] < b.2 - 0.5
                                && p[1] > b.1 + 0.5
                                && p[1] < b.3 - 0.5
                        })
                })
            })
            .count()
    }

    /// Pairs of an edge label and another edge running over its text.
    pub fn labels_crossed(&self) -> usize {
        self.labels
            .iter()
            .map(|&(own, (l, t, r, b))| {
                self.edges
                    .iter()
                    .enumerate()
                    .filter(|&(i, (_, _, pts))| {
                        i != own
                            && pts
                                .iter()
                                .any(|p| p[0] > l && p[0] < r && p[1] > t && p[1] < b)
                    })
                    .count()
            })
            .sum()
    }

    /// Points where two edges (not sharing an end) cross.
    pub fn crossings(&self) -> usize {
        let mut n = 0;
        for i in 0..self.edges.len() {
            for j in i + 1..self.edges.len() {
                let (a, b) = (&self.edges[i], &self.edges[j]);
                if a.0 == b.0 || a.0 == b.1 || a.1 == b.0 || a.1 == b.1 {
                    continue;
                }
                for s in a.2.windows(2) {
                    for t in b.2.windows(2) {
                        if segments_cross(s[0], s[1], t[0], t[1]) {
                            n += 1;
                        }
                    }
                }
            }
        }
        n
    }
}

/// The geometry of graphviz's `dot -Tplain` output (inches, y up),
/// converted to points with y down. `ids` maps node names to box indices;
/// unknown names get new boxes.
pub fn from_dot_plain(plain: &str, width: impl Fn(&str, &str) -> f64) -> Geometry {
    let mut g = Geometry::default();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    let mut height = 0.0;
    for line in plain.lines() {
        let words = split_plain(line);
        match words.first().map(String::as_str) {
            Some("graph") if words.len() >= 4 => {
                g.width = words[2].parse::<f64>().unwrap_or(0.0) * 72.0;
                height = words[3].parse::<f64>().unwrap_or(0.0) * 72.0;
                g.height = height;
            }
            Some("node") if words.len() >= 6 => {
                let f = |k: usize| words[k].parse::<f64>().unwrap_or(0.0) * 72.0;
                let (x, y, w, h) = (f(2), height - f(3), f(4), f(5));
                index.insert(words[1].clone(), g.boxes.len());
                g.boxes
                    .push((x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0));
            }
            Some("edge") if words.len() >= 4 => {
                let n: usize = words[3].parse().unwrap_or(0);
                let pts: Vec<[f64; 2]> = (0..n)
                    .filter_map(|i| {
                        let x = words.get(4 + 2 * i)?.parse::<f64>().ok()? * 72.0;
                        let y = height - words.get(5 + 2 * i)?.parse::<f64>().ok()? * 72.0;
                        Some([x, y])
                    })
                    .collect();
                let mut sampled = vec![];
                if let Some(&p0) = pts.first() {
                    sampled.push(p0);
                    let mut p = p0;
                    for c in pts[1..].chunks(3) {
                        if c.len() == 3 {
                            sampled.extend(sample_cubic(p, &[c[0], c[1], c[2]], 16));
                            p = c[2];
                        }
                    }
                }
                let (Some(&f), Some(&t)) = (index.get(&words[1]), index.get(&words[2])) else {
                    continue;
                };
                // A label: its text and centre after the points.
                let after = 4 + 2 * n;
                if words.len() >= after + 5 {
                    let lines: Vec<String> = words[after].lines().map(str::to_string).collect();
                    let centre = (
                        words[after + 1].parse::<f64>().unwrap_or(0.0) * 72.0,
                        height - words[after + 2].parse::<f64>().unwrap_or(0.0) * 72.0,
                    );
                    let (l, t, r, b) = label_rect([0.0, 0.0], &lines);
                    let (w, h) = (r - l, b - t);
                    let at = [centre.0 - w / 2.0, centre.1 - h / 2.0 - t];
                    g.labels.push((g.edges.len(), label_rect(at, &lines)));
                }
                g.edges.push((f, t, sampled));
                g.widths.push(width(&words[1], &words[2]));
            }
            _ => {}
        }
    }
    g
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// The turns of more than 25° along `pts`, between stretches at least 3
/// points long.
fn bends_of(pts: &[[f64; 2]]) -> usize {
    const STRETCH: f64 = 3.0;
    let mut directions = Vec::new();
    let mut from = match pts.first() {
        Some(&p) => p,
        None => return 0,
    };
    for &p in &pts[1..] {
        if dist(from, p) >= STRETCH {
            directions.push((p[1] - from[1]).atan2(p[0] - from[0]));
            from = p;
        }
    }
    directions
        .windows(2)
        .filter(|d| {
            let mut turn = (d[1] - d[0]).abs();
            if turn > std::f64::consts::PI {
                turn = 2.0 * std::f64::consts::PI - turn;
            }
            turn > 25f64.to_radians()
        })
        .count()
}

/// Splits a `-Tplain` line into words, honouring double quotes.
fn split_plain(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => match chars.next() {
                Some('n') => cur.push('\n'),
                Some(n) => cur.push(n),
                None => {}
            },
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_segments() {
        assert!(segments_cross(
            [0.0, 0.0],
            [2.0, 2.0],
            [0.0, 2.0],
            [2.0, 0.0]
        ));
        assert!(!segments_cross(
            [0.0, 0.0],
            [1.0, 0.0],
            [0.0, 1.0],
            [1.0, 1.0]
        ));
    }

    #[test]
    fn reads_dot_plain() {
        let plain = "graph 1 2 1\nnode N1 1 0.5 1 0.5 \"a b\" solid box black lightgrey\nnode N2 1 1.5 1 0.5 b solid box black lightgrey\nedge N1 N2 4 1 0.75 1 1 1 1 1 1.25 solid black\nstop\n";
        let g = from_dot_plain(plain, |_, _| 1.0);
        assert_eq!(g.boxes.len(), 2);
        assert_eq!(g.edges.len(), 1);
        assert_eq!(g.overlaps(), 0);
        assert_eq!(g.edges_through_nodes(), 0);
        assert_eq!((g.width, g.height), (144.0, 72.0));
    }

    #[test]
    fn reads_dot_plain_labels_and_finds_edges_over_them() {
        // Edge N1 -> N2 runs down x = 1 in; N3 -> N4's label sits on it.
        let plain = "graph 1 3 2\nnode N1 1 1.75 0.5 0.25 a solid box black lightgrey\nnode N2 1 0.25 0.5 0.25 b solid box black lightgrey\nnode N3 2 1.75 0.5 0.25 c solid box black lightgrey\nnode N4 2 0.25 0.5 0.25 d solid box black lightgrey\nedge N1 N2 4 1 1.6 1 1.2 1 0.8 1 0.4 solid black\nedge N3 N4 4 2 1.6 2 1.2 2 0.8 2 0.4 \"10MB\\n(inline)\" 1 1 solid black\nstop\n";
        let g = from_dot_plain(plain, |_, _| 1.0);
        assert_eq!(g.labels.len(), 1);
        let (edge, (l, t, r, b)) = g.labels[0];
        assert_eq!(edge, 1);
        assert!(
            l < 72.0 && r > 72.0 && t < 72.0 && b > 72.0,
            "{:?}",
            g.labels[0]
        );
        assert!(b - t > 2.0 * crate::render::font::line_height(14.0) - 0.01);
        assert_eq!(g.labels_crossed(), 1);
    }
}
