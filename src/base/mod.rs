//! Leaf helpers that import nothing else from the crate: Go's number and
//! unit formatting, path and time rules, escaping, and atomic writes.

pub mod escape;
pub mod gopath;
pub mod goregex;
pub mod gotime;
pub mod memory;
pub mod tabwriter;
pub mod units;
pub mod write;
