//! Everything a report is configured by: pprof's report settings, the node
//! granularity and the graph's colours.

use crate::profile::aggregate::Keep;

/// How a report reads the graph: as the text reports do (flat or cum
/// order, every node), or as pprof's visual formats do (entropy order,
/// 80 nodes, call trees and nodelets allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `-top`, `-list`, `-traces`, …
    Text,
    /// `-dot` and everything drawn from it.
    Graph,
}

/// Node granularity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Granularity {
    /// One node per function (default).
    #[default]
    Functions,
    /// One node per function and file.
    FileFunctions,
    /// One node per file.
    Files,
    /// One node per source line.
    Lines,
    /// One node per address.
    Addresses,
}

/// Colours of the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Palette {
    /// pprof's: red for positive values, green for negative (diffs).
    #[default]
    Pprof,
    /// Colour-blind safe: orange for growth, blue for shrinkage.
    Colorblind,
}

impl Granularity {
    /// What the profile's frames keep at this granularity (`None`: all of
    /// it, nothing to aggregate).
    pub fn keep(self, noinlines: bool, columns: bool) -> Option<Keep> {
        let inlines = !noinlines;
        let (function, filename, line, address) = match self {
            Granularity::Addresses if inlines => return None,
            Granularity::Addresses => (true, true, true, true),
            Granularity::Lines => (true, true, true, false),
            Granularity::Files => (false, true, false, false),
            Granularity::Functions => (true, false, false, false),
            Granularity::FileFunctions => (true, true, false, false),
        };
        Some(Keep {
            inlines,
            function,
            filename,
            line,
            column: columns,
            address,
        })
    }

    /// The granularity named as pprof names it (`functions`, `files`, …).
    pub fn from_name(name: &str) -> Option<Granularity> {
        Some(match name {
            "functions" => Granularity::Functions,
            "filefunctions" => Granularity::FileFunctions,
            "files" => Granularity::Files,
            "lines" => Granularity::Lines,
            "addresses" => Granularity::Addresses,
            _ => return None,
        })
    }

    /// pprof's name of the granularity.
    pub fn name(self) -> &'static str {
        match self {
            Granularity::Functions => "functions",
            Granularity::FileFunctions => "filefunctions",
            Granularity::Files => "files",
            Granularity::Lines => "lines",
            Granularity::Addresses => "addresses",
        }
    }
}

/// Everything a report is configured by (pprof's settings).
#[derive(Clone, Debug)]
pub struct Config {
    /// Text or graph reading of the graph.
    pub mode: Mode,
    /// `-sample_index` (a name, a number, or empty for the default).
    pub sample_index: String,
    /// `-mean`.
    pub mean: bool,
    /// Node granularity.
    pub granularity: Granularity,
    /// `-noinlines`.
    pub noinlines: bool,
    /// `-showcolumns`: keep column numbers at line granularity.
    pub show_columns: bool,
    /// `-focus`.
    pub focus: String,
    /// `-ignore`.
    pub ignore: String,
    /// `-hide`.
    pub hide: String,
    /// `-show`.
    pub show: String,
    /// `-show_from`.
    pub show_from: String,
    /// `-prune_from`.
    pub prune_from: String,
    /// `-tagfocus`.
    pub tagfocus: String,
    /// `-tagignore`.
    pub tagignore: String,
    /// `-tagshow`.
    pub tagshow: String,
    /// `-taghide`.
    pub taghide: String,
    /// `-tagroot`: label keys whose values become root frames.
    pub tagroot: String,
    /// `-tagleaf`: label keys whose values become leaf frames.
    pub tagleaf: String,
    /// `-relative_percentages`.
    pub relative_percentages: bool,
    /// `-nodecount` (−1: 0 for text, 80 for graphs).
    pub node_count: i64,
    /// `-nodefraction`.
    pub node_fraction: f64,
    /// `-edgefraction`.
    pub edge_fraction: f64,
    /// `-trim` (false disables all trimming).
    pub trim: bool,
    /// `-cum`.
    pub cum: bool,
    /// `-call_tree`.
    pub call_tree: bool,
    /// `-compact_labels`.
    pub compact_labels: bool,
    /// `-drop_negative`.
    pub drop_negative: bool,
    /// `--palette`.
    pub palette: Palette,
    /// `-unit`.
    pub unit: String,
    /// `-divide_by`.
    pub divide_by: f64,
    /// `-trim_path`.
    pub trim_path: String,
    /// `-source_path`.
    pub source_path: String,
    /// `-list`: annotated source (forces line granularity, no trimming,
    /// object names in node keys).
    pub list: bool,
    /// Keep binary names in nodes (`-list`, `-callgrind`, `-raw`), so that
    /// functions of different binaries stay apart.
    pub obj_names: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::Text,
            sample_index: String::new(),
            mean: false,
            granularity: Granularity::Functions,
            noinlines: false,
            show_columns: false,
            focus: String::new(),
            ignore: String::new(),
            hide: String::new(),
            show: String::new(),
            show_from: String::new(),
            prune_from: String::new(),
            tagfocus: String::new(),
            tagignore: String::new(),
            tagshow: String::new(),
            taghide: String::new(),
            tagroot: String::new(),
            tagleaf: String::new(),
            relative_percentages: false,
            node_count: -1,
            node_fraction: 0.005,
            edge_fraction: 0.001,
            trim: true,
            cum: false,
            call_tree: false,
            compact_labels: false,
            drop_negative: false,
            palette: Palette::Pprof,
            unit: "minimum".to_string(),
            divide_by: 1.0,
            trim_path: String::new(),
            source_path: String::new(),
            list: false,
            obj_names: false,
        }
    }
}
