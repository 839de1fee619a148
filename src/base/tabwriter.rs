//! Go's `text/tabwriter` as pprof uses it: tab-terminated cells aligned in
//! columns, a column block ending where a line has no cell in it, the
//! buffer flushed after every line without tabs; widths in characters.

/// Aligns `text` as `tabwriter.NewWriter(w, minwidth, 0, padding, ' ',
/// flags)` followed by `Flush` (`align_right`: Go's `AlignRight`).
pub fn align(text: &str, minwidth: usize, padding: usize, align_right: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut lines: Vec<Vec<&str>> = Vec::new();
    let mut rest = text;
    loop {
        let (line, next) = match rest.find('\n') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let cells: Vec<&str> = line.split('\t').collect();
        let single = cells.len() == 1;
        lines.push(cells);
        match next {
            Some(n) => {
                if single {
                    // A line without tabs cannot affect what follows: flush.
                    let mut f = Formatter::new(&lines, minwidth, padding, align_right);
                    f.format(0, lines.len(), &mut out, true);
                    lines.clear();
                }
                rest = n;
            }
            None => {
                let mut f = Formatter::new(&lines, minwidth, padding, align_right);
                f.format(0, lines.len(), &mut out, false);
                break;
            }
        }
    }
    out
}

struct Formatter<'a> {
    lines: &'a [Vec<&'a str>],
    widths: Vec<usize>,
    minwidth: usize,
    padding: usize,
    align_right: bool,
}

impl<'a> Formatter<'a> {
    fn new(lines: &'a [Vec<&'a str>], minwidth: usize, padding: usize, align_right: bool) -> Self {
        Formatter {
            lines,
            widths: Vec::new(),
            minwidth,
            padding,
            align_right,
        }
    }

    /// Go's `format`: finds the column blocks of `line0..line1` left to
    /// right, recursing for the columns to the right of each; `newline`
    /// says whether the last line ends in a newline.
    fn format(&mut self, mut line0: usize, line1: usize, out: &mut String, newline: bool) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(line0, this, out, newline);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 && column + 1 < self.lines[this].len() {
                let w = self.lines[this][column].chars().count() + self.padding;
                width = width.max(w);
                this += 1;
            }
            self.widths.push(width);
            self.format(line0, this, out, newline);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1, out, newline);
    }

    fn write_lines(&self, line0: usize, line1: usize, out: &mut String, newline: bool) {
        for i in line0..line1 {
            for (j, cell) in self.lines[i].iter().enumerate() {
                let pad = self
                    .widths
                    .get(j)
                    .map_or(0, |w| w.saturating_sub(cell.chars().count()));
                if self.align_right && !cell.is_empty() {
                    out.extend(std::iter::repeat_n(' ', pad));
                    out.push_str(cell);
                } else {
                    out.push_str(cell);
                    out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            if i + 1 < self.lines.len() || newline {
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_per_block() {
        assert_eq!(
            align("a\tbb\tc\nccc\td\te\n", 0, 1, false),
            "a   bb c\nccc d  e\n"
        );
        assert_eq!(align("a\tb\nccc\td\n", 0, 1, true), "   ab\n cccd\n");
        // A line without tabs ends the block: widths start again.
        assert_eq!(align("aaaa\tb\n\nc\td\n", 0, 1, false), "aaaa b\n\nc d\n");
    }
}
