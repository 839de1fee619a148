//! pprof-graph: pprof profiles to pprof-style call graphs and text reports.
//!
//! The pipeline: [`profile`] (decode and filter the samples) → [`graph`]
//! (the call graph and its trimming) → [`report`] (text and DOT output),
//! driven by [`cli`].

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
