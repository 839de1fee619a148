//! Every command-line flag, defined once with its help text. The clap
//! command, the help screen and the pprof-style spelling rewrite all come
//! from [`FLAGS`].

use clap::{Arg, ArgAction, Command};

/// Whether a flag takes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A boolean: `-flag`, `-flag=false`.
    Switch,
    /// Takes a value: `-flag=v`, `-flag v`, `--flag v`.
    Value,
    /// Takes a value and may be repeated.
    Values,
}

/// Help-screen sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Output formats.
    Output,
    /// Which value is reported.
    Sample,
    /// Node granularity.
    Granularity,
    /// Filters.
    Filter,
    /// Trimming and display.
    Display,
    /// Input handling.
    Input,
    /// Comparing snapshots.
    Compare,
    /// `pprof-graph batch`.
    Batch,
}

impl Section {
    fn heading(self) -> &'static str {
        match self {
            Section::Output => "Output formats",
            Section::Sample => "Sample value selection",
            Section::Granularity => "Node granularity",
            Section::Filter => "Filtering",
            Section::Display => "Trimming and display",
            Section::Input => "Input",
            Section::Compare => "Comparing profiles",
            Section::Batch => "Batch (pprof-graph batch DIR -o OUTDIR)",
        }
    }
}

/// One flag.
pub struct FlagDef {
    /// The long name (pprof's spelling).
    pub name: &'static str,
    /// A short alias, if any.
    pub short: Option<char>,
    /// Switch or value.
    pub kind: Kind,
    /// Placeholder of the value in help.
    pub value_name: &'static str,
    /// Help section.
    pub section: Section,
    /// One-line help.
    pub help: &'static str,
}

const fn switch(name: &'static str, section: Section, help: &'static str) -> FlagDef {
    FlagDef {
        name,
        short: None,
        kind: Kind::Switch,
        value_name: "",
        section,
        help,
    }
}

const fn value(
    name: &'static str,
    value_name: &'static str,
    section: Section,
    help: &'static str,
) -> FlagDef {
    FlagDef {
        name,
        short: None,
        kind: Kind::Value,
        value_name,
        section,
        help,
    }
}

use Section::*;

/// The flag table.
pub const FLAGS: &[FlagDef] = &[
    switch("top", Output, "Print the top entries (flat, flat%, sum%, cum, cum%)"),
    switch("text", Output, "Same as -top"),
    switch("dot", Output, "Print the call graph in DOT format"),
    FlagDef {
        name: "interactive",
        short: Some('i'),
        kind: Kind::Switch,
        value_name: "",
        section: Output,
        help: "Interactive shell (the default on a terminal with no output flag)",
    },
    value("http", "[HOST]:PORT", Output, "Serve the web UI (graph, top, flame graph, source) on HOST:PORT (default host 127.0.0.1)"),
    switch("no-browser", Output, "With -http: do not open a browser"),
    switch("flamegraph", Output, "The samples as a flame graph (standalone SVG with search)"),
    switch("traces", Output, "Every sample's stack with its value and labels"),
    value("list", "REGEX", Output, "Annotated source of the functions matching REGEX"),
    switch("svg", Output, "Draw the call graph as SVG (pan and zoom in a browser)"),
    switch("png", Output, "Draw the call graph as PNG"),
    value("renderer", "NAME", Output, "Who draws -svg/-png: embedded (default, needs nothing installed) or graphviz"),
    value("dot-path", "PATH", Output, "The graphviz `dot` program for --renderer graphviz (default: dot)"),
    value("dot-timeout", "SECONDS", Output, "Longest time graphviz may take (default 60)"),
    value("max-png-pixels", "N", Output, "Refuse PNGs larger than N pixels (default 100000000)"),
    value("output", "FILE", Output, "Write the report to FILE (atomically); the format follows its extension when no format flag is given"),
    value("sample_index", "NAME|N", Sample, "Sample value to report (a type name such as alloc_space, or a 0-based index)"),
    switch("mean", Sample, "Average sample value over the first value (count)"),
    switch("inuse_space", Sample, "Same as -sample_index=inuse_space"),
    switch("inuse_objects", Sample, "Same as -sample_index=inuse_objects"),
    switch("alloc_space", Sample, "Same as -sample_index=alloc_space"),
    switch("alloc_objects", Sample, "Same as -sample_index=alloc_objects"),
    switch("total_delay", Sample, "Same as -sample_index=delay"),
    switch("contentions", Sample, "Same as -sample_index=contentions"),
    switch("mean_delay", Sample, "Same as -sample_index=delay -mean"),
    switch("functions", Granularity, "One node per function (default)"),
    switch("filefunctions", Granularity, "One node per function and file"),
    switch("files", Granularity, "One node per source file"),
    switch("lines", Granularity, "One node per source line"),
    switch("addresses", Granularity, "One node per instruction address"),
    switch("noinlines", Granularity, "Attribute inlined functions to their callers"),
    value("focus", "REGEX", Filter, "Keep only samples with a frame matching REGEX"),
    value("ignore", "REGEX", Filter, "Drop samples with a frame matching REGEX"),
    value("hide", "REGEX", Filter, "Remove frames matching REGEX"),
    value("show", "REGEX", Filter, "Keep only frames matching REGEX"),
    value("show_from", "REGEX", Filter, "Drop frames above the root-most frame matching REGEX"),
    value("prune_from", "REGEX", Filter, "Drop frames below the leaf-most frame matching REGEX"),
    value("tagfocus", "[KEY=]SPEC", Filter, "Keep samples whose labels match (regexes, or a numeric range like 64kb:)"),
    value("tagignore", "[KEY=]SPEC", Filter, "Drop samples whose labels match"),
    value("tagshow", "REGEX", Filter, "Keep only label keys matching REGEX"),
    value("taghide", "REGEX", Filter, "Remove label keys matching REGEX"),
    switch("relative_percentages", Filter, "Percentages relative to the filtered samples"),
    value("nodecount", "N", Display, "Show at most N nodes (default: all for text, 80 for graphs)"),
    value("nodefraction", "F", Display, "Hide nodes below F of the total (default 0.005)"),
    value("edgefraction", "F", Display, "Hide edges below F of the total (default 0.001)"),
    switch("trim", Display, "Trim small nodes and edges (-trim=false shows everything)"),
    switch("cum", Display, "Sort the text report by cumulative value"),
    switch("call_tree", Display, "Draw a call tree: one node per calling context"),
    switch("compact_labels", Display, "Omit the profile's header lines in text reports"),
    switch("drop_negative", Display, "Hide nodes with negative values"),
    value("unit", "UNIT", Display, "Display unit (minimum, auto, B, kB, MB, ns, ms, s, ...)"),
    value("divide_by", "F", Display, "Divide every displayed value by F"),
    value("trim_path", "PATHS", Display, "Colon-separated prefixes to strip from file names"),
    value("source_path", "PATHS", Display, "Colon-separated roots to look for source files in"),
    value("symbolize", "MODE", Input, "none: keep names exactly as recorded"),
    value("seconds", "N", Input, "For URLs: ask for an N-second profile (seconds=N)"),
    value("timeout", "SECONDS", Input, "For URLs: give up after this long (default 60, plus -seconds)"),
    value("save", "FILE", Input, "For URLs: also keep the fetched profile in FILE"),
    FlagDef {
        name: "base",
        short: None,
        kind: Kind::Values,
        value_name: "PROFILE",
        section: Compare,
        help: "Subtract this profile (repeatable): show what changed",
    },
    FlagDef {
        name: "diff_base",
        short: None,
        kind: Kind::Values,
        value_name: "PROFILE",
        section: Compare,
        help: "Like -base, with percentages of the base and growth in red, shrinkage in green",
    },
    switch("normalize", Compare, "Scale the profile to the base's totals before subtracting"),
    switch("force", Batch, "Render again even when the outputs are up to date"),
    value("shard", "I/N", Batch, "Render only the I-th of N stable shares of the inputs (1-based)"),
    switch("index-only", Batch, "Only rebuild OUTDIR/index.html from what OUTDIR holds"),
    value("jobs", "N", Batch, "Profiles rendered at once (default: all cores)"),
    value("format", "NAME", Batch, "trend: report as text (default) or markdown"),
    value("summary", "FILE", Batch, "trend: also write the Markdown report to FILE (e.g. a CI step summary)"),
    value("fail-on-growth", "PCT", Batch, "trend: exit 1 when the total or a function grows by more than PCT% of the first total"),
    value("fail-on-growth-abs", "N", Batch, "trend: exit 1 when the total or a function grows by more than N (sample units, e.g. bytes)"),
    value("palette", "NAME", Compare, "Graph colours: pprof (red growth, green shrinkage) or colorblind (orange, blue)"),
    value("max-decompressed-size", "BYTES", Input, "Refuse profiles larger than BYTES once decompressed (default 2 GiB)"),
];

/// The flag named `name`.
pub fn find(name: &str) -> Option<&'static FlagDef> {
    FLAGS.iter().find(|f| f.name == name)
}

/// Rewrites pprof's single-dash long flags (`-nodefraction=0`,
/// `-focus REGEX`) into clap's double-dash form; everything else passes
/// through unchanged.
pub fn normalize(args: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut rest = false;
    for a in args {
        if rest || a == "-" || !a.starts_with('-') || a.starts_with("--") {
            if a == "--" {
                rest = true;
            }
            out.push(a);
            continue;
        }
        let body = &a[1..];
        let name = body.split_once('=').map_or(body, |(n, _)| n);
        if find(name).is_some() || name == "help" || name == "version" {
            out.push(format!("-{a}"));
        } else {
            out.push(a);
        }
    }
    out
}

/// Parses Go's boolean spellings.
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!("invalid boolean value {s:?}")),
    }
}

/// The clap command built from the table.
pub fn command() -> Command {
    let mut cmd = Command::new("pprof-graph")
        .about("Render pprof profiles as call graphs and text reports, like `go tool pprof`, without Go or graphviz.")
        .override_usage("pprof-graph [FLAGS] PROFILE\n       pprof-graph -top -nodefraction=0 -sample_index=alloc_space heap.pb.gz")
        .args_override_self(true)
        .arg(
            Arg::new("profile")
                .value_name("PROFILE")
                .help("Profile files (gzipped or raw profile.proto, or a legacy format; several are merged), http:// URLs, or - for standard input")
                .required(true)
                .num_args(1..)
                .action(ArgAction::Append),
        );
    for f in FLAGS {
        let mut arg = Arg::new(f.name)
            .long(f.name)
            .help(f.help)
            .help_heading(f.section.heading());
        if f.name == "output" {
            arg = arg.short('o');
        }
        if let Some(s) = f.short {
            arg = arg.short(s);
        }
        arg = match f.kind {
            Kind::Switch => arg
                .num_args(0..=1)
                .require_equals(true)
                .default_missing_value("true")
                .value_name("BOOL")
                .hide_possible_values(true)
                .action(ArgAction::Set)
                .value_parser(parse_bool),
            Kind::Value => arg
                .num_args(1)
                .value_name(f.value_name)
                .allow_hyphen_values(true)
                .action(ArgAction::Set),
            Kind::Values => arg
                .num_args(1)
                .value_name(f.value_name)
                .allow_hyphen_values(true)
                .action(ArgAction::Append),
        };
        cmd = cmd.arg(arg);
    }
    cmd
}
