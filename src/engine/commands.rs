//! The command table: every report the front ends can ask for, with what
//! it draws, whether it takes a regex, the file extension it is saved
//! under and the settings it overrides (pprof's `pprofCommands` and
//! `applyCommandOverrides`). Flags, shell commands, batch and trend
//! outputs and the web views all come from [`COMMANDS`].

use crate::report::{Config, Granularity, Mode};

/// Which report module makes the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    /// flat, flat%, sum%, cum, cum% per node.
    Top,
    /// The call graph (DOT, or drawn).
    Graph,
    /// Annotated source of the functions matching the regex.
    List,
    /// The same as an HTML page.
    WebList,
    /// Every sample's stack.
    Traces,
    /// The samples as a flame graph.
    Flame,
    /// Callers and callees of every node (or of those matching the regex).
    Tree,
    /// Every label key and the values of its values.
    Tags,
    /// The graph in callgrind format.
    Callgrind,
    /// The profile itself as text.
    Raw,
    /// The profile as gzipped profile.proto.
    Proto,
    /// The top entries as gzipped profile.proto.
    TopProto,
    /// The profile's comments.
    Comments,
}

/// What is done with a graph report: printed as DOT or drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picture {
    /// Text (or DOT) as the report prints it.
    None,
    /// An SVG document.
    Svg,
    /// PNG bytes.
    Png,
    /// GIF bytes.
    Gif,
    /// A PDF document.
    Pdf,
}

/// One command.
#[derive(Debug)]
pub struct CommandDef {
    /// pprof's name (`top`, `dot`, `list`, …): the flag and the shell word.
    pub name: &'static str,
    /// The report that makes it.
    pub report: ReportKind,
    /// Drawn or not.
    pub picture: Picture,
    /// Takes a regex (`-list=REGEX`, `list REGEX`).
    pub takes_regex: bool,
    /// The extension of its file, unique among the commands that differ.
    pub extension: &'static str,
    /// One-line help.
    pub help: &'static str,
    /// Shows every node unless `-nodecount` says (pprof: 80 otherwise).
    pub all_nodes: bool,
    /// Trims small nodes and edges (as `-trim` allows).
    pub trims: bool,
    /// The granularity the command forces, if any.
    pub granularity: Option<Granularity>,
    /// Programs to show the output with when no file is given (the first
    /// that starts wins; `$BROWSER` stands for the user's browser).
    pub viewers: &'static [&'static str],
}

/// Programs that open a page in a browser, tried in order (`$BROWSER`
/// first, as pprof does).
const BROWSERS: &[&str] = &[
    "$BROWSER",
    "xdg-open",
    "sensible-browser",
    "firefox",
    "chromium",
];

/// Every command, in the order help lists them.
pub const COMMANDS: &[CommandDef] = &[
    CommandDef {
        name: "top",
        report: ReportKind::Top,
        picture: Picture::None,
        takes_regex: false,
        extension: "txt",
        help: "Print the top entries (flat, flat%, sum%, cum, cum%)",
        all_nodes: true,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "text",
        report: ReportKind::Top,
        picture: Picture::None,
        takes_regex: false,
        extension: "txt",
        help: "Same as top",
        all_nodes: true,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "dot",
        report: ReportKind::Graph,
        picture: Picture::None,
        takes_regex: false,
        extension: "dot",
        help: "Print the call graph in DOT format",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "svg",
        report: ReportKind::Graph,
        picture: Picture::Svg,
        takes_regex: false,
        extension: "svg",
        help: "Draw the call graph as SVG (pan and zoom in a browser)",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "png",
        report: ReportKind::Graph,
        picture: Picture::Png,
        takes_regex: false,
        extension: "png",
        help: "Draw the call graph as PNG",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "gif",
        report: ReportKind::Graph,
        picture: Picture::Gif,
        takes_regex: false,
        extension: "gif",
        help: "Draw the call graph as GIF",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "pdf",
        report: ReportKind::Graph,
        picture: Picture::Pdf,
        takes_regex: false,
        extension: "pdf",
        help: "Draw the call graph as a vector PDF",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "list",
        report: ReportKind::List,
        picture: Picture::None,
        takes_regex: true,
        extension: "list.txt",
        help: "Annotated source of the functions matching REGEX",
        all_nodes: false,
        trims: false,
        granularity: Some(Granularity::Lines),
        viewers: &[],
    },
    CommandDef {
        name: "traces",
        report: ReportKind::Traces,
        picture: Picture::None,
        takes_regex: false,
        extension: "traces.txt",
        help: "Every sample's stack with its value and labels",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "flamegraph",
        report: ReportKind::Flame,
        picture: Picture::Svg,
        takes_regex: false,
        extension: "flame.svg",
        help: "The samples as a flame graph (standalone SVG with search)",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "tree",
        report: ReportKind::Tree,
        picture: Picture::None,
        takes_regex: false,
        extension: "tree.txt",
        help: "Callers and callees of every node of the trimmed graph",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "peek",
        report: ReportKind::Tree,
        picture: Picture::None,
        takes_regex: true,
        extension: "peek.txt",
        help: "Callers and callees of the functions matching REGEX",
        all_nodes: false,
        trims: false,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "tags",
        report: ReportKind::Tags,
        picture: Picture::None,
        takes_regex: false,
        extension: "tags.txt",
        help: "Every label key with the share of each of its values",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "comments",
        report: ReportKind::Comments,
        picture: Picture::None,
        takes_regex: false,
        extension: "comments.txt",
        help: "The profile's comments",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "callgrind",
        report: ReportKind::Callgrind,
        picture: Picture::None,
        takes_regex: false,
        extension: "callgraph.out",
        help: "The graph in callgrind format (for KCachegrind)",
        all_nodes: false,
        trims: false,
        granularity: Some(Granularity::Addresses),
        viewers: &[],
    },
    CommandDef {
        name: "raw",
        report: ReportKind::Raw,
        picture: Picture::None,
        takes_regex: false,
        extension: "raw.txt",
        help: "The prepared profile itself, as text",
        all_nodes: false,
        trims: false,
        granularity: Some(Granularity::Addresses),
        viewers: &[],
    },
    CommandDef {
        name: "proto",
        report: ReportKind::Proto,
        picture: Picture::None,
        takes_regex: false,
        extension: "pb.gz",
        help: "The prepared profile as gzipped profile.proto",
        all_nodes: false,
        trims: false,
        granularity: Some(Granularity::Addresses),
        viewers: &[],
    },
    CommandDef {
        name: "topproto",
        report: ReportKind::TopProto,
        picture: Picture::None,
        takes_regex: false,
        extension: "top.pb.gz",
        help: "The top entries as gzipped profile.proto",
        all_nodes: true,
        trims: true,
        granularity: None,
        viewers: &[],
    },
    CommandDef {
        name: "web",
        report: ReportKind::Graph,
        picture: Picture::Svg,
        takes_regex: false,
        extension: "web.svg",
        help: "Draw the call graph as SVG and open it in a browser",
        all_nodes: false,
        trims: true,
        granularity: None,
        viewers: BROWSERS,
    },
    CommandDef {
        name: "weblist",
        report: ReportKind::WebList,
        picture: Picture::None,
        takes_regex: true,
        extension: "weblist.html",
        help: "Annotated source of the functions matching REGEX as a web page, opened in a browser",
        all_nodes: false,
        trims: false,
        granularity: Some(Granularity::Lines),
        viewers: BROWSERS,
    },
    CommandDef {
        name: "kcachegrind",
        report: ReportKind::Callgrind,
        picture: Picture::None,
        takes_regex: false,
        extension: "grind",
        help: "Open the callgrind output in KCachegrind",
        all_nodes: false,
        trims: false,
        granularity: Some(Granularity::Addresses),
        viewers: &["kcachegrind"],
    },
];

/// The command named `name`.
pub fn find(name: &str) -> Option<&'static CommandDef> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// The command an output file name asks for by its extension (`.dot`,
/// `.gv`, `.svg`, `.png`), if any.
pub fn for_file_name(name: &str) -> Option<&'static CommandDef> {
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "gv" => find("dot"),
        "dot" | "svg" | "png" | "gif" | "pdf" => find(ext),
        _ => None,
    }
}

impl CommandDef {
    /// Whether the report reads the graph as pprof's visual formats do
    /// (entropy order, 80 nodes, call trees allowed, nodelets).
    pub fn graph_mode(&self) -> bool {
        self.report == ReportKind::Graph
    }

    /// Shows `bytes` with the first of the command's viewers that starts:
    /// the output goes to a temporary file first (pprof's
    /// `invokeVisualizer`); returns the file.
    pub fn show(&self, bytes: &[u8]) -> Result<std::path::PathBuf, String> {
        let dir = std::env::temp_dir();
        let path = (1..10_000)
            .map(|n| dir.join(format!("pprof{n:03}.{}", self.extension)))
            .find(|p| !p.exists())
            .ok_or("could not create a temporary file")?;
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut last = String::new();
        for v in self.viewers {
            let program = match v.strip_prefix('$') {
                Some(var) => match std::env::var(var) {
                    Ok(p) if !p.is_empty() => p,
                    _ => continue,
                },
                None => v.to_string(),
            };
            match std::process::Command::new(&program).arg(&path).spawn() {
                Ok(_) => return Ok(path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    last = format!("exec: {program:?}: executable file not found in $PATH")
                }
                Err(e) => last = format!("exec: {program:?}: {e}"),
            }
        }
        Err(format!("{last} (the report is in {})", path.display()))
    }

    /// Whether the output is binary (not for a terminal).
    pub fn is_binary(&self) -> bool {
        self.picture == Picture::Png
            || matches!(self.report, ReportKind::Proto | ReportKind::TopProto)
    }

    /// The settings this command runs with: `cfg` with the command's
    /// overrides applied.
    pub fn configure(&self, cfg: &Config) -> Config {
        let mut c = cfg.clone();
        c.mode = if self.graph_mode() {
            Mode::Graph
        } else {
            Mode::Text
        };
        c.list = matches!(self.report, ReportKind::List | ReportKind::WebList);
        c.obj_names = matches!(
            self.report,
            ReportKind::List | ReportKind::WebList | ReportKind::Callgrind
        );
        if c.node_count == -1 {
            c.node_count = if self.all_nodes { 0 } else { 80 };
        }
        if let Some(g) = self.granularity {
            c.granularity = g;
        }
        c.trim &= self.trims;
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_reports_have_different_extensions() {
        for a in COMMANDS {
            for b in COMMANDS {
                let same = a.report == b.report && a.picture == b.picture;
                assert!(same || a.extension != b.extension, "{} {}", a.name, b.name);
            }
        }
    }

    #[test]
    fn file_names_choose_commands() {
        assert_eq!(for_file_name("a/heap.SVG").map(|c| c.name), Some("svg"));
        assert_eq!(for_file_name("g.gv").map(|c| c.name), Some("dot"));
        assert!(for_file_name("out.txt").is_none() && for_file_name("noext").is_none());
    }
}
