//! Who holds what an allocation site allocated: for each sample, the
//! allocation site (its innermost frame) and its holder, the innermost
//! frame of the program's own code — the first caller outside Go's
//! standard library and runtime. A leak report ranks holders by growth.

use super::{FrameNames, Report};
use std::collections::HashMap;

/// Whether a Go function name belongs to the standard library or the
/// runtime: its package path's first element has no dot (`fmt`,
/// `encoding/json`, `runtime`), and it is not `main`.
pub fn is_library(name: &str) -> bool {
    // The package path ends at the first dot after the last slash.
    let last = name.rfind('/').map_or(0, |i| i + 1);
    let end = name[last..].find('.').map_or(name.len(), |i| last + i);
    let first = name[..end].split('/').next().unwrap_or_default();
    first != "main" && !first.contains('.') && !first.is_empty()
}

/// The value of the report's samples by (holder, allocation site); the
/// holder is the site itself when the site is the program's own code, and
/// the outermost frame when every frame is library code.
pub fn by_holder(rpt: &Report) -> HashMap<(String, String), i64> {
    let mut names = FrameNames::new();
    let mut out: HashMap<(String, String), i64> = HashMap::new();
    for s in &rpt.prof.samples {
        let v = rpt.sample_value(&s.values);
        if v == 0 {
            continue;
        }
        let frames = rpt.frame_names(s, &mut names);
        let Some(site) = frames.first().cloned() else {
            continue;
        };
        let holder = frames
            .iter()
            .find(|f| !is_library(f))
            .or(frames.last())
            .cloned()
            .unwrap_or_default();
        *out.entry((holder, site)).or_default() += v;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_and_own_code() {
        for lib in [
            "fmt.Sprintf",
            "encoding/json.(*decodeState).object",
            "runtime.malg",
            "net/http.(*conn).serve",
        ] {
            assert!(is_library(lib), "{lib}");
        }
        for own in [
            "main.(*Logger).Debugf",
            "example.com/leak/store.(*Mem).Put",
            "github.com/x/y.F",
        ] {
            assert!(!is_library(own), "{own}");
        }
    }
}
