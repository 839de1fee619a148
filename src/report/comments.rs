//! `-comments`: the profile's comments, one per line.

use super::Report;

/// The comments report.
pub fn render(rpt: &Report) -> String {
    rpt.prof.comments.iter().map(|c| format!("{c}\n")).collect()
}
