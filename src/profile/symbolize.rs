//! The name clean-up pprof's symbolization pass applies to already
//! symbolized profiles (skipped with `-symbolize=none`): names that look
//! like demangled C++ lose their `(...)` and `<...>` groups.

use super::Profile;

/// Rewrites function names as pprof's default demangling mode does.
pub fn demangle(p: &mut Profile) {
    for f in &mut p.functions {
        if !f.name.is_empty() && f.system_name != f.name {
            continue;
        }
        let mut name = f.system_name.clone();
        if looks_like_demangled_cplusplus(&name) {
            name = remove_matching(&name, b'(', b')');
            name = remove_matching(&name, b'<', b'>');
        }
        f.name = name;
    }
}

fn looks_like_demangled_cplusplus(name: &str) -> bool {
    if name.contains(".<") || name.contains("]).") {
        return false;
    }
    name.contains(['<', '>', '[', ']']) || name.contains("::")
}

/// Removes balanced `start`…`end` groups; leaves the name alone on a mismatch.
fn remove_matching(name: &str, start: u8, end: u8) -> String {
    let mut name = name.as_bytes().to_vec();
    let mut nesting = 0i32;
    let mut first = 0usize;
    let mut i = 0usize;
    while i < name.len() {
        let c = name[i];
        if c == start {
            nesting += 1;
            if nesting == 1 {
                first = i;
            }
        } else if c == end {
            nesting -= 1;
            if nesting < 0 {
                return String::from_utf8_lossy(&name).into_owned();
            }
            if nesting == 0 {
                name.drain(first..=i);
                i = first;
                continue;
            }
        }
        i += 1;
    }
    String::from_utf8_lossy(&name).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cplusplus_groups_are_removed() {
        assert_eq!(
            remove_matching("std::vector<int>::push_back", b'<', b'>'),
            "std::vector::push_back"
        );
        assert_eq!(remove_matching("f(a(b))c", b'(', b')'), "fc");
        assert_eq!(remove_matching("f)(", b'(', b')'), "f)(");
        assert!(!looks_like_demangled_cplusplus("main.(*Tree[...]).Insert"));
        assert!(looks_like_demangled_cplusplus("main.Map[...]"));
        assert!(!looks_like_demangled_cplusplus("java.Foo.<init>"));
    }
}
