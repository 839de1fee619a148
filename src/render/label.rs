//! DOT label strings (graphviz "escString") split into drawable lines.

/// How a line is aligned in its box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Justify {
    /// `\n`: centred.
    Center,
    /// `\l`: left.
    Left,
    /// `\r`: right.
    Right,
}

/// Splits a DOT-escaped label into lines: `\n`, `\l`, `\r` end a line
/// (centred, left, right), `\"` and `\\` are a quote and a backslash. A
/// trailing unterminated line is centred.
pub fn split_lines(label: &str) -> Vec<(String, Justify)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = label.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            cur.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push((std::mem::take(&mut cur), Justify::Center)),
            Some('l') => out.push((std::mem::take(&mut cur), Justify::Left)),
            Some('r') => out.push((std::mem::take(&mut cur), Justify::Right)),
            Some(other) => cur.push(other),
            None => cur.push('\\'),
        }
    }
    if !cur.is_empty() {
        out.push((cur, Justify::Center));
    }
    out
}

/// Removes DOT escapes from a one-line string (tooltips).
pub fn unescape(s: &str) -> String {
    split_lines(s)
        .into_iter()
        .map(|(l, _)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_dot_labels() {
        assert_eq!(
            split_lines("main\\nwork\\n1s (50%)\\n"),
            vec![
                ("main".to_string(), Justify::Center),
                ("work".to_string(), Justify::Center),
                ("1s (50%)".to_string(), Justify::Center)
            ]
        );
        assert_eq!(
            split_lines("File: a\\lType: cpu\\l\\lSee\\l"),
            vec![
                ("File: a".to_string(), Justify::Left),
                ("Type: cpu".to_string(), Justify::Left),
                (String::new(), Justify::Left),
                ("See".to_string(), Justify::Left)
            ]
        );
        assert_eq!(
            split_lines("say \\\"hi\\\" \\\\ok"),
            vec![("say \"hi\" \\ok".to_string(), Justify::Center)]
        );
        assert_eq!(
            split_lines(" 5MB"),
            vec![(" 5MB".to_string(), Justify::Center)]
        );
    }
}
