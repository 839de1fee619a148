//! Regexes compiled with Go's error messages: pprof prints what Go's
//! `regexp` says of a bad pattern (`error parsing regexp: missing closing
//! ): `(``), so the parser's error is translated to Go's code and the
//! part of the pattern Go quotes.

use regex::Regex;
use regex_syntax::ast::ErrorKind as Ast;
use regex_syntax::hir::ErrorKind as Hir;

/// Compiles `pattern`; a bad one is Go's `error parsing regexp: …`.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| match go_error(pattern) {
        Some((code, quoted)) => format!("error parsing regexp: {code}: `{quoted}`"),
        None => fallback(&e),
    })
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
    use super::compile;

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
