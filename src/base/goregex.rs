//! Regexes compiled as Go reads them and with Go's error messages: `\d`,
//! `\s`, `\w` and `\b` are ASCII in Go (Unicode in Rust), and pprof prints
//! what Go's `regexp` says of a bad pattern (`error parsing regexp: missing
//! closing ): `(``), so the parser's error is translated to Go's code and
//! the part of the pattern Go quotes.

use regex::Regex;
use regex_syntax::ast;
use regex_syntax::ast::ErrorKind as Ast;
use regex_syntax::hir::ErrorKind as Hir;

/// Compiles `pattern`; a bad one is Go's `error parsing regexp: …`.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    let go = go_classes(pattern);
    Regex::new(go.as_deref().unwrap_or(pattern)).map_err(|e| match go_error(pattern) {
        Some((code, quoted)) => format!("error parsing regexp: {code}: `{quoted}`"),
        None => fallback(&e),
    })
}

/// `pattern` with its Perl classes and word boundaries spelled out as Go
/// means them (ASCII), or `None` when it has none (or does not parse).
fn go_classes(pattern: &str) -> Option<String> {
    let mut tree = ast::parse::Parser::new().parse(pattern).ok()?;
    if !ascii_classes(&mut tree) {
        return None;
    }
    let mut out = String::new();
    ast::print::Printer::new().print(&tree, &mut out).ok()?;
    Some(out)
}

/// Rewrites the Perl classes and word boundaries in `tree` as ASCII ones;
/// whether there were any.
fn ascii_classes(tree: &mut ast::Ast) -> bool {
    match tree {
        ast::Ast::ClassPerl(p) => {
            let item = ascii_perl(p);
            *tree = ast::Ast::class_bracketed(ast::ClassBracketed {
                span: p.span,
                negated: false,
                kind: ast::ClassSet::Item(item),
            });
            true
        }
        ast::Ast::Assertion(a) => {
            use ast::AssertionKind::{NotWordBoundary, WordBoundary};
            if !matches!(a.kind, WordBoundary | NotWordBoundary) {
                return false;
            }
            // (?-u:\b): an ASCII word boundary.
            let (span, flag) = (a.span, |kind| ast::FlagsItem { span: a.span, kind });
            let flags = ast::Flags {
                span,
                items: vec![
                    flag(ast::FlagsItemKind::Negation),
                    flag(ast::FlagsItemKind::Flag(ast::Flag::Unicode)),
                ],
            };
            let inner = std::mem::replace(tree, ast::Ast::empty(span));
            *tree = ast::Ast::group(ast::Group {
                span,
                kind: ast::GroupKind::NonCapturing(flags),
                ast: Box::new(inner),
            });
            true
        }
        ast::Ast::ClassBracketed(c) => ascii_set(&mut c.kind),
        ast::Ast::Repetition(r) => ascii_classes(&mut r.ast),
        ast::Ast::Group(g) => ascii_classes(&mut g.ast),
        ast::Ast::Alternation(a) => a
            .asts
            .iter_mut()
            .fold(false, |any, t| ascii_classes(t) | any),
        ast::Ast::Concat(c) => c
            .asts
            .iter_mut()
            .fold(false, |any, t| ascii_classes(t) | any),
        _ => false,
    }
}

fn ascii_set(set: &mut ast::ClassSet) -> bool {
    match set {
        ast::ClassSet::Item(item) => ascii_item(item),
        ast::ClassSet::BinaryOp(op) => ascii_set(&mut op.lhs) | ascii_set(&mut op.rhs),
    }
}

fn ascii_item(item: &mut ast::ClassSetItem) -> bool {
    match item {
        ast::ClassSetItem::Perl(p) => {
            *item = ascii_perl(p);
            true
        }
        ast::ClassSetItem::Bracketed(b) => ascii_set(&mut b.kind),
        ast::ClassSetItem::Union(u) => u.items.iter_mut().fold(false, |any, i| ascii_item(i) | any),
        _ => false,
    }
}

/// Go's `\d` (`[0-9]`), `\w` (`[0-9A-Za-z_]`) or `\s` (`[\t\n\f\r ]`, without
/// the `\v` of `[[:space:]]`), negated as `p` is, as a class item.
fn ascii_perl(p: &ast::ClassPerl) -> ast::ClassSetItem {
    let span = p.span;
    let ascii = |kind| {
        ast::ClassSetItem::Ascii(ast::ClassAscii {
            span,
            kind,
            negated: p.negated,
        })
    };
    match p.kind {
        ast::ClassPerlKind::Digit => ascii(ast::ClassAsciiKind::Digit),
        ast::ClassPerlKind::Word => ascii(ast::ClassAsciiKind::Word),
        ast::ClassPerlKind::Space => {
            let literal = |c| {
                ast::ClassSetItem::Literal(ast::Literal {
                    span,
                    kind: ast::LiteralKind::HexFixed(ast::HexLiteralKind::X),
                    c,
                })
            };
            ast::ClassSetItem::Bracketed(Box::new(ast::ClassBracketed {
                span,
                negated: p.negated,
                kind: ast::ClassSet::union(ast::ClassSetUnion {
                    span,
                    items: ['\t', '\n', '\x0c', '\r', ' '].map(literal).to_vec(),
                }),
            }))
        }
    }
}

/// Go's error code and quoted text for the first error in `pattern`, if
/// the parser finds one Go also reports.
fn go_error(pattern: &str) -> Option<(&'static str, String)> {
    let err = regex_syntax::Parser::new().parse(pattern).err()?;
    let (code, mut span) = match &err {
        regex_syntax::Error::Parse(e) => (ast_code(e.kind())?, *e.span()),
        regex_syntax::Error::Translate(e) => match e.kind() {
            Hir::UnicodePropertyNotFound | Hir::UnicodePropertyValueNotFound => {
                ("invalid character class range", *e.span())
            }
            _ => return None,
        },
        _ => return None,
    };
    // Go quotes a dangling `-` with the `)` after it.
    if let regex_syntax::Error::Parse(e) = &err {
        if matches!(e.kind(), Ast::FlagDanglingNegation)
            && pattern[span.end.offset..].starts_with(')')
        {
            span.end.offset += 1;
        }
    }
    let start = span.start.offset.min(pattern.len());
    // An empty span points at the character Go quotes.
    let mut end = span.end.offset.clamp(start, pattern.len());
    if end == start {
        end = pattern[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
    }
    let text = |a: usize, b: usize| pattern.get(a..b).unwrap_or("").to_string();
    let quoted = match code {
        "missing closing )" | "unexpected )" => pattern.to_string(),
        "missing closing ]" => text(start, pattern.len()),
        "trailing backslash at end of expression" => String::new(),
        // From the group's `(?` to the flag that is wrong.
        "invalid or unsupported Perl syntax" => {
            let open = pattern[..start].rfind("(?").unwrap_or(0);
            text(open, end)
        }
        _ => text(start, end),
    };
    Some((code, quoted))
}

fn ast_code(kind: &Ast) -> Option<&'static str> {
    Some(match kind {
        Ast::GroupUnclosed => "missing closing )",
        Ast::GroupUnopened => "unexpected )",
        Ast::ClassUnclosed => "missing closing ]",
        Ast::RepetitionMissing => "missing argument to repetition operator",
        Ast::EscapeUnrecognized => "invalid escape sequence",
        Ast::EscapeUnexpectedEof => "trailing backslash at end of expression",
        Ast::ClassRangeInvalid => "invalid character class range",
        Ast::RepetitionCountInvalid => "invalid repeat count",
        Ast::FlagUnrecognized
        | Ast::FlagUnexpectedEof
        | Ast::FlagDanglingNegation
        | Ast::FlagRepeatedNegation { .. }
        | Ast::FlagDuplicate { .. } => "invalid or unsupported Perl syntax",
        _ => return None,
    })
}

/// The last line of the `regex` crate's message, for errors Go words
/// differently or does not have.
fn fallback(e: &regex::Error) -> String {
    e.to_string()
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("invalid regexp")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::{compile, go_classes};

    #[test]
    fn perl_classes_and_word_boundaries_are_ascii_as_in_go() {
        // (Each as Go 1.27's regexp.MatchString answers.)
        let matches =
            |pattern: &str, text: &str| compile(pattern).expect("compiles").is_match(text);
        assert!(!matches(r"^\w+$", "héllo") && matches(r"^\w+$", "hello_1"));
        assert!(matches(r"^\W$", "é") && !matches(r"^[\w]$", "é"));
        assert!(!matches(r"\d", "v\u{663}") && matches(r"^[^\D]$", "7"));
        assert!(!matches(r"\s", "\u{b}\u{a0}") && matches(r"^\s{5}$", "\t\n\u{c}\r "));
        assert!(matches(r"^[\S]$", "\u{a0}") && !matches(r"^[^\s]$", " "));
        assert!(!matches(r"é\b", "aé") && matches(r"a\b", "aé") && matches(r"a\B", "aa"));
        // Patterns without them are compiled as written.
        assert_eq!(go_classes(r"^main\.(a|b)[x-z]*$"), None);
        assert_eq!(go_classes(r"a\wb").as_deref(), Some("a[[:word:]]b"));
    }

    /// What Go 1.27's regexp.Compile says of each (as printed by pprof).
    #[test]
    fn bad_patterns_read_as_go_words_them() {
        for (pattern, go) in [
            ("(", "missing closing ): `(`"),
            ("a)", "unexpected ): `a)`"),
            ("x[a", "missing closing ]: `[a`"),
            ("*", "missing argument to repetition operator: `*`"),
            ("a|*", "missing argument to repetition operator: `*`"),
            ("+a", "missing argument to repetition operator: `+`"),
            ("\\q", "invalid escape sequence: `\\q`"),
            ("a\\", "trailing backslash at end of expression: ``"),
            ("[z-a]", "invalid character class range: `z-a`"),
            ("a{2,1}", "invalid repeat count: `{2,1}`"),
            ("(?z)", "invalid or unsupported Perl syntax: `(?z`"),
            ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
            ("(?-)", "invalid or unsupported Perl syntax: `(?-)`"),
            ("\\pX", "invalid character class range: `\\pX`"),
        ] {
            assert_eq!(
                compile(pattern).unwrap_err(),
                format!("error parsing regexp: {go}"),
                "{pattern}"
            );
        }
    }
}
