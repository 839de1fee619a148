//! pprof's `Profile.Aggregate`: forgets the parts of every frame a report
//! does not tell apart, so that frames merge into the report's nodes.

use super::Profile;

/// What the frames keep; everything else is cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keep {
    /// Inlined frames (else only the outermost function of a location).
    pub inlines: bool,
    /// Function names.
    pub function: bool,
    /// File names.
    pub filename: bool,
    /// Line numbers.
    pub line: bool,
    /// Column numbers (only with line numbers).
    pub column: bool,
    /// Addresses.
    pub address: bool,
}

/// Clears what `keep` does not keep from every function and location.
pub fn aggregate(p: &mut Profile, keep: Keep) {
    if !keep.function || !keep.filename {
        for f in &mut p.functions {
            if !keep.function {
                f.name.clear();
                f.system_name.clear();
            }
            if !keep.filename {
                f.filename.clear();
            }
        }
    }
    if !keep.inlines || !keep.address || !keep.line || !keep.column {
        for l in &mut p.locations {
            if !keep.inlines && l.lines.len() > 1 {
                let last = l.lines.len() - 1;
                l.lines.drain(..last);
            }
            for ln in &mut l.lines {
                if !keep.line {
                    ln.line = 0;
                }
                if !keep.line || !keep.column {
                    ln.column = 0;
                }
            }
            if !keep.address {
                l.address = 0;
            }
        }
    }
}
