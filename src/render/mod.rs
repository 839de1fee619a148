//! Pictures of the call graph: an embedded layered layout written as SVG
//! (no graphviz needed), or graphviz's `dot` as an option; PNG by
//! rasterizing either SVG with resvg and the embedded font.

pub mod drawing;
pub mod flame_svg;
pub mod font;
pub mod graphviz;
pub mod label;
pub mod layout;
#[doc(hidden)]
pub mod metrics;
pub mod raster;
pub mod svg;

use crate::report::dot::DotGraph;
use drawing::Drawing;

/// Which engine draws the graph.
#[derive(Clone, Debug)]
pub enum Renderer {
    /// The built-in layout: needs nothing outside the binary.
    Embedded,
    /// graphviz's `dot` at `path`, killed after `timeout`.
    Graphviz {
        /// The `dot` executable.
        path: String,
        /// Longest time `dot` may take.
        timeout: std::time::Duration,
    },
}

/// The graph as a standalone SVG document with pan and zoom.
pub fn svg(dot: &DotGraph, renderer: &Renderer) -> Result<String, String> {
    match renderer {
        Renderer::Embedded => Ok(svg::write(&layout::layout(&Drawing::from_dot(dot)), true)),
        Renderer::Graphviz { path, timeout } => {
            let raw = graphviz::run_dot(&dot.to_dot_escaped_title(), path, *timeout)?;
            Ok(svg::add_pan_zoom(&raw))
        }
    }
}

/// The graph as a plain SVG document (no pan and zoom), for rasterizing.
pub fn plain_svg(dot: &DotGraph, renderer: &Renderer) -> Result<String, String> {
    Ok(match renderer {
        Renderer::Embedded => svg::write(&layout::layout(&Drawing::from_dot(dot)), false),
        Renderer::Graphviz { path, timeout } => {
            graphviz::run_dot(&dot.to_dot_escaped_title(), path, *timeout)?
        }
    })
}

/// The graph as PNG bytes, at most `max_pixels` pixels.
pub fn png(dot: &DotGraph, renderer: &Renderer, max_pixels: u64) -> Result<Vec<u8>, String> {
    raster::svg_to_png(&plain_svg(dot, renderer)?, max_pixels)
}

/// The graph as GIF bytes, at most `max_pixels` pixels.
pub fn gif(dot: &DotGraph, renderer: &Renderer, max_pixels: u64) -> Result<Vec<u8>, String> {
    raster::svg_to_gif(&plain_svg(dot, renderer)?, max_pixels)
}

/// The graph as a vector PDF.
pub fn pdf(dot: &DotGraph, renderer: &Renderer) -> Result<Vec<u8>, String> {
    raster::svg_to_pdf(&plain_svg(dot, renderer)?)
}
