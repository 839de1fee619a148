//! Node names as the DOT report shows them: pprof's short function names,
//! multi-line labels, and DOT escaping.

use crate::base::gopath::base_name;
use crate::graph::NodeInfo;
use regex::Regex;
use std::sync::OnceLock;

struct Patterns {
    cpp_anonymous: Regex,
    go_version: Regex,
    shorteners: [Regex; 3],
}

/// pprof's patterns with Go's `\w` and `\d` spelled out in ASCII (as
/// `goregex::compile` would rewrite them; written out here, the first DOT
/// label of a small profile costs about 0.8 MB less peak memory).
fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        cpp_anonymous: Regex::new(r"^\(anonymous namespace\)::").expect("regex"),
        go_version: Regex::new(r"^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$").expect("regex"),
        shorteners: [
            // Go: drop the package path up to the last component that is
            // followed by a dot (`a/b.c/d` is `b.c/d`; `foo/xyz` stays).
            Regex::new(r"^(?:[0-9A-Za-z_\-\.]+/)+([^.]+\..+)").expect("regex"),
            // Java: drop lower-case package components and arguments.
            Regex::new(
                r"^(?:[a-z][0-9A-Za-z_]*\.)*([A-Z][0-9A-Za-z_\$]*\.(?:<init>|[a-z][0-9A-Za-z_\$]*(?:\$[0-9]+)?))(?:(?:\()|$)",
            )
            .expect("regex"),
            // C++: keep Class::method and template arguments.
            Regex::new(r"^(?:[_a-zA-Z][0-9A-Za-z_]*::)+(_*[A-Z][0-9A-Za-z_]*::~?[_a-zA-Z][0-9A-Za-z_]*(?:<.*>)?)")
                .expect("regex"),
        ],
    })
}

/// pprof's `ShortenFunctionName`.
fn shorten_function_name(f: &str) -> String {
    let p = patterns();
    let f = p.cpp_anonymous.replace_all(f, "");
    let f = p.go_version.replace_all(&f, "${1}${2}");
    for re in &p.shorteners {
        if let Some(c) = re.captures(&f) {
            if c.len() >= 2 {
                return c
                    .iter()
                    .skip(1)
                    .map(|m| m.map_or("", |m| m.as_str()))
                    .collect();
            }
        }
    }
    f.into_owned()
}

/// Longest name (in characters) put into a DOT label or tooltip; longer
/// ones are cut with an ellipsis so graphviz never rejects the file (it
/// fails on labels of about 16k characters). Real names are far shorter.
pub const MAX_LABEL_CHARS: usize = 4096;

/// `s` cut to [`MAX_LABEL_CHARS`] characters, with `…` when cut.
pub fn cap_label(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(MAX_LABEL_CHARS) {
        None => std::borrow::Cow::Borrowed(s),
        Some((i, _)) => std::borrow::Cow::Owned(format!("{}…", &s[..i])),
    }
}

/// Escapes `\`, `"` and newlines for a DOT string.
pub fn escape_for_dot(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\l")
}

/// The multi-line DOT label of a node, ending in `\n`.
pub fn multiline_printable_name(info: &NodeInfo) -> String {
    let mut copy = info.clone();
    let name = escape_for_dot(&cap_label(&shorten_function_name(&copy.name)));
    let name = name
        .replace("::", "\\n")
        .replace("[...]", "[…]")
        .replace('.', "\\n");
    copy.name = name;
    if !copy.file.is_empty() {
        copy.file = base_name(&copy.file).to_string();
    }
    let mut s = copy.name_components().join("\\n");
    s.push_str("\\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_match_pprof() {
        for (from, to) in [
            ("net/http.(*conn).serve", "http.(*conn).serve"),
            (
                "github.com/blah-blah/foo_bar.(*FooBar).Foo",
                "foo_bar.(*FooBar).Foo",
            ),
            ("github.com/foo/bar/v123.(*Foo).Bar", "bar.(*Foo).Bar"),
            ("github.com/foo/bar/v4/v4.(*Foo).Bar", "v4.(*Foo).Bar"),
            (
                "java.util.concurrent.ThreadPoolExecutor$Worker.run",
                "ThreadPoolExecutor$Worker.run",
            ),
            ("java.bar.foo.FooBar.run(java.lang.Runnable)", "FooBar.run"),
            ("foo_bar::Foo::bar", "Foo::bar"),
            (
                "cpp::namespace::Class::method()::$_100::operator()",
                "Class::method",
            ),
            ("(anonymous namespace)::foo", "foo"),
            ("foo/xyz", "foo/xyz"),
            ("a/b.c/d", "b.c/d"),
            ("main.main", "main.main"),
        ] {
            assert_eq!(shorten_function_name(from), to, "{from}");
        }
    }

    #[test]
    fn long_labels_are_capped() {
        let long = "x".repeat(MAX_LABEL_CHARS + 10);
        let capped = cap_label(&long);
        assert_eq!(capped.chars().count(), MAX_LABEL_CHARS + 1);
        assert!(capped.ends_with('…'));
        assert_eq!(cap_label("main.main"), "main.main");
    }

    #[test]
    fn dot_escaping() {
        assert_eq!(escape_for_dot("say \"hi\"\\ok"), "say \\\"hi\\\"\\\\ok");
        assert_eq!(escape_for_dot("a\nb"), "a\\lb");
    }
}
