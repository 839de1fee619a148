//! Frame pruning: the profile's own `drop_frames`/`keep_frames` (applied at
//! load time) and the `-prune_from` filter.

use super::Profile;
use crate::base::goregex;
use regex::Regex;
use std::sync::OnceLock;

const RESERVED_NAMES: [&str; 2] = ["(anonymous namespace)", "operator()"];

fn bracket_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| {
        let mut parts: Vec<String> = RESERVED_NAMES.iter().map(|n| regex::escape(n)).collect();
        parts.push(regex::escape("("));
        Regex::new(&parts.join("|")).expect("static regex")
    })
}

/// The name that drop/keep/prune_from regexes see: one leading `.` removed
/// and everything from the first `(` on cut, except the `(` of
/// `(anonymous namespace)` and `operator()`.
fn simplify_func(name: &str) -> &str {
    let name = name.strip_prefix('.').unwrap_or(name);
    for m in bracket_rx().find_iter(name) {
        if !RESERVED_NAMES.contains(&m.as_str()) {
            return &name[..m.start()];
        }
    }
    name
}

/// Applies the profile's `drop_frames`/`keep_frames` (anchored regexes).
pub fn remove_uninteresting(p: &mut Profile) -> Result<(), String> {
    if p.drop_frames.is_empty() {
        return Ok(());
    }
    let drop = goregex::compile(&format!("^({})$", p.drop_frames))
        .map_err(|e| format!("failed to compile regexp {}: {e}", p.drop_frames))?;
    let keep = if p.keep_frames.is_empty() {
        None
    } else {
        Some(
            goregex::compile(&format!("^({})$", p.keep_frames))
                .map_err(|e| format!("failed to compile regexp {}: {e}", p.keep_frames))?,
        )
    };
    prune(p, &drop, keep.as_ref());
    Ok(())
}

/// Cuts every stack at the first dropped frame below a user frame.
pub fn prune(p: &mut Profile, drop: &Regex, keep: Option<&Regex>) {
    let n = p.locations.len();
    let mut prune = vec![false; n];
    let mut beneath = vec![false; n];
    for (li, loc) in p.locations.iter_mut().enumerate() {
        let mut cut = None;
        for i in (0..loc.lines.len()).rev() {
            let f = &p.functions[loc.lines[i].function as usize];
            if f.name.is_empty() {
                continue;
            }
            let name = simplify_func(&f.name);
            if drop.is_match(name) && keep.is_none_or(|k| !k.is_match(name)) {
                cut = Some(i);
                break;
            }
        }
        if let Some(i) = cut {
            beneath[li] = true;
            if i == loc.lines.len() - 1 {
                prune[li] = true;
            } else {
                loc.lines.drain(..=i);
            }
        }
    }
    let mut buf = Vec::new();
    for s in &mut p.samples {
        let ids = s.locations.ids_in(&mut buf);
        let mut found_user = false;
        for i in (0..ids.len()).rev() {
            let id = ids[i] as usize;
            if !prune[id] && !beneath[id] {
                found_user = true;
                continue;
            }
            if !found_user {
                continue;
            }
            let from = if prune[id] { i + 1 } else { i };
            s.locations = ids[from..].to_vec().into();
            break;
        }
    }
}

/// `-prune_from`: removes the callees below the leaf-most matching frame.
pub fn prune_from(p: &mut Profile, rx: &Regex) {
    let mut beneath = vec![false; p.locations.len()];
    for (li, loc) in p.locations.iter_mut().enumerate() {
        for i in 0..loc.lines.len() {
            let f = &p.functions[loc.lines[i].function as usize];
            if !f.name.is_empty() && rx.is_match(simplify_func(&f.name)) {
                beneath[li] = true;
                loc.lines.drain(..i);
                break;
            }
        }
    }
    let mut buf = Vec::new();
    for s in &mut p.samples {
        let ids = s.locations.ids_in(&mut buf);
        if let Some(i) = ids.iter().position(|&l| beneath[l as usize]) {
            if i > 0 {
                s.locations = ids[i..].to_vec().into();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::simplify_func;

    #[test]
    fn simplify_keeps_reserved_parentheses() {
        assert_eq!(simplify_func(".foo(int)"), "foo");
        assert_eq!(
            simplify_func("(anonymous namespace)::f(int)"),
            "(anonymous namespace)::f"
        );
        assert_eq!(simplify_func("A::operator()(int)"), "A::operator()");
        assert_eq!(simplify_func("main.(*T).m"), "main.");
    }
}
