//! The engine every front end drives: [`commands`] (which reports exist),
//! [`options`] (which settings they take), [`flags`] (both as command-line
//! flags), and [`run`], which makes one command's output from a prepared
//! profile (pprof's `generateRawReport`).

pub mod commands;
pub mod flags;
pub mod options;

use crate::base::memory;
use crate::profile::Profile;
use crate::render::{self, Renderer};
use crate::report::{self, Config, Report};
use crate::source::SourceOptions;
use commands::{CommandDef, Picture, ReportKind};
use regex::Regex;
use std::path::PathBuf;

/// How pictures are drawn.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// Who draws.
    pub renderer: Renderer,
    /// Cap on PNG pixels.
    pub max_png_pixels: u64,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            renderer: Renderer::Embedded,
            max_png_pixels: render::raster::DEFAULT_MAX_PIXELS,
        }
    }
}

/// A command with its argument: what to produce.
#[derive(Clone, Debug)]
pub struct Invocation {
    /// The command.
    pub command: &'static CommandDef,
    /// Its regex, for commands that take one.
    pub regex: Option<Regex>,
}

/// pprof's wording for a bad regex argument.
fn compile_regex(re: &str) -> Result<Regex, String> {
    crate::base::goregex::compile(re).map_err(|e| format!("parsing argument regexp {re}: {e}"))
}

impl Invocation {
    /// The command `name` of the table, which takes no regex.
    ///
    /// # Panics
    /// When the table has no such command (a programming error: callers
    /// name commands the table defines).
    pub fn plain(name: &str) -> Invocation {
        let command = commands::find(name)
            .filter(|c| !c.takes_regex)
            .unwrap_or_else(|| panic!("{name} is a command without a regex"));
        Invocation {
            command,
            regex: None,
        }
    }

    /// `command` with its argument compiled (a command that takes a regex
    /// needs one).
    pub fn new(command: &'static CommandDef, arg: Option<&str>) -> Result<Invocation, String> {
        let regex = match arg {
            Some(re) if command.takes_regex => Some(compile_regex(re)?),
            None if command.takes_regex => {
                return Err(format!(
                    "{} needs a regex: {} REGEX",
                    command.name, command.name
                ))
            }
            _ => None,
        };
        Ok(Invocation { command, regex })
    }
}

/// Everything the report flags of a command line say.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The report options.
    pub report: Config,
    /// The commands given, in table order.
    pub commands: Vec<Invocation>,
    /// `-o`/`-output`.
    pub output: Option<PathBuf>,
    /// Where the profiles come from.
    pub sources: SourceOptions,
    /// How pictures are drawn.
    pub render: RenderOptions,
}

/// Prepares the report `inv` reads: the profile under `cfg` with the
/// command's overrides (warnings go to `warn`).
pub fn report(
    inv: &Invocation,
    prof: Profile,
    cfg: &Config,
    warn: &mut dyn FnMut(String),
) -> Result<Report, String> {
    Report::new(prof, &inv.command.configure(cfg), warn)
}

/// The bytes of `inv`'s output for a prepared report (which has no
/// profile left after a PNG or GIF: see [`graph_bytes`]).
pub fn produce(
    inv: &Invocation,
    rpt: &mut Report,
    opts: &RenderOptions,
) -> Result<Vec<u8>, String> {
    let cmd = inv.command;
    Ok(match (cmd.report, cmd.picture) {
        (ReportKind::Top, _) => report::text::render(rpt).into_bytes(),
        (ReportKind::List, _) => {
            let re = inv.regex.as_ref().ok_or("list needs a regex")?;
            report::list::render(rpt, re)?.into_bytes()
        }
        (ReportKind::WebList, _) => {
            let re = inv.regex.as_ref().ok_or("weblist needs a regex")?;
            report::weblist::render(rpt, re)?.into_bytes()
        }
        (ReportKind::Traces, _) => report::traces::render(rpt).into_bytes(),
        (ReportKind::Tree, _) => report::tree::render(rpt, inv.regex.as_ref())?.into_bytes(),
        (ReportKind::Tags, _) => report::tags::render(rpt).into_bytes(),
        (ReportKind::Comments, _) => report::comments::render(rpt).into_bytes(),
        (ReportKind::Callgrind, _) => report::callgrind::render(rpt).into_bytes(),
        (ReportKind::Raw, _) => report::raw::render(rpt).into_bytes(),
        (ReportKind::Proto, _) => report::proto::render(rpt),
        (ReportKind::TopProto, _) => report::proto::render_top(rpt),
        (ReportKind::Flame, _) => render::flame_svg::write(&report::flame::build(rpt)).into_bytes(),
        (ReportKind::Graph, picture) => graph_bytes(rpt, picture, opts)?,
    })
}

/// A graph report's DOT text or picture. Pixels need only the laid-out
/// graph: for PNG and GIF the report's profile is freed (on a thread of its
/// own, while the graph is laid out) and the memory goes back to the
/// kernel before they are drawn, so that their peak does not stand on it.
fn graph_bytes(
    rpt: &mut Report,
    picture: Picture,
    opts: &RenderOptions,
) -> Result<Vec<u8>, String> {
    let graph = report::dot::build(rpt);
    let pixels = |to_pixels: fn(&str, u64) -> Result<Vec<u8>, String>, rpt: &mut Report| {
        let prof = std::mem::take(&mut rpt.prof);
        // (If no thread can be had, the profile is freed right here.)
        let freeing = std::thread::Builder::new().spawn(move || drop(prof));
        let svg = render::plain_svg(&graph, &opts.renderer)?;
        if let Ok(freeing) = freeing {
            let _ = freeing.join();
        }
        memory::return_freed();
        to_pixels(&svg, opts.max_png_pixels)
    };
    Ok(match picture {
        Picture::None => graph.to_dot().into_bytes(),
        Picture::Svg => render::svg(&graph, &opts.renderer)?.into_bytes(),
        Picture::Png => pixels(render::raster::svg_to_png, rpt)?,
        Picture::Gif => pixels(render::raster::svg_to_gif, rpt)?,
        Picture::Pdf => render::pdf(&graph, &opts.renderer)?,
    })
}

/// Runs `inv` on `prof` under `cfg`: the report prepared with the
/// command's overrides, then its output made.
pub fn run(
    inv: &Invocation,
    prof: Profile,
    cfg: &Config,
    opts: &RenderOptions,
    warn: &mut dyn FnMut(String),
) -> Result<Vec<u8>, String> {
    let mut rpt = report(inv, prof, cfg, warn)?;
    produce(inv, &mut rpt, opts)
}
