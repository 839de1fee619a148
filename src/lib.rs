//! pprof-graph: pprof profiles to pprof-style call graphs and text reports.
//!
//! The modules are layered; each imports only the layers below it, and
//! `tests/architecture.rs` checks it:
//!
//! - [`base`]: leaf helpers (Go's units, paths and time, escaping, atomic
//!   writes); imports nothing from the crate.
//! - [`profile`]: the model, its decoders (profile.proto and every legacy
//!   format) and its in-place edits (filters, merge, aggregation).
//! - [`source`] (on `profile`): files, standard input and URLs into one
//!   merged, prepared profile; finding profiles in a folder.
//! - [`graph`] (on `profile`): the call graph and its trimming.
//! - [`report`] (on `graph`): one module per report, reading a prepared
//!   report or its trimmed graph.
//! - [`render`] (on `report`): pictures, from a resolved drawing model.
//! - [`engine`] (on `render` and `source`): the command table and the
//!   option table every front end is driven by, and `run`.
//! - The front ends, each on `engine` and never on each other: [`cli`] (one
//!   report), [`shell`], [`web`], [`batch`], [`trend`]; and [`fuzz`].
//! - [`app`]: picks the front end; `main` calls only it.

pub mod app;
pub mod base;
pub mod batch;
pub mod cli;
pub mod engine;
#[doc(hidden)]
pub mod fuzz;
pub mod graph;
pub mod profile;
pub mod render;
pub mod report;
pub mod shell;
pub mod source;
pub mod trend;
pub mod web;
