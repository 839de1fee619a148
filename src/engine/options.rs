//! The option table: every report setting with its pprof name, its URL
//! parameter, its type and choices, its help, and how it reads and sets
//! [`Config`] (pprof's `configFields`). The flags, the shell's
//! `name=value` and `o`, and the web UI's URL parameters all come from
//! [`OPTIONS`].

use crate::report::{Config, Granularity, Palette};
use std::collections::HashMap;

/// The type of an option's value.
#[derive(Clone, Copy, Debug)]
pub enum ValueKind {
    /// `true`/`false` (Go's spellings).
    Bool,
    /// A whole number.
    Int,
    /// A number.
    Float,
    /// Any text (regexes are checked when the report is made).
    Text,
    /// One of a fixed set: (choice, its help). With `choice_flags` each
    /// choice is a flag of its own (`-lines`, `-cum`).
    Choice(&'static [(&'static str, &'static str)]),
}

/// A parsed option value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// For [`ValueKind::Bool`].
    Bool(bool),
    /// For [`ValueKind::Int`].
    Int(i64),
    /// For [`ValueKind::Float`].
    Float(f64),
    /// For [`ValueKind::Text`] and [`ValueKind::Choice`].
    Text(String),
}

impl Value {
    fn bool(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
    fn int(&self) -> i64 {
        match self {
            Value::Int(i) => *i,
            _ => 0,
        }
    }
    fn float(&self) -> f64 {
        match self {
            Value::Float(f) => *f,
            _ => 0.0,
        }
    }
    fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            _ => String::new(),
        }
    }
}

/// One report option.
pub struct OptionDef {
    /// pprof's name: the flag (`-nodefraction`) and the shell's variable.
    pub name: &'static str,
    /// The web UI's URL parameter (pprof's), if it has one.
    pub url: Option<&'static str>,
    /// The type of its value.
    pub kind: ValueKind,
    /// Each choice is a flag of its own instead of `-name=CHOICE`.
    pub choice_flags: bool,
    /// Placeholder of the value in help.
    pub value_name: &'static str,
    /// Help-screen section.
    pub heading: &'static str,
    /// One-line help.
    pub help: &'static str,
    /// The current value, as `o` shows it.
    pub get: fn(&Config) -> String,
    /// Sets the value (already checked against `kind`).
    pub set: fn(&mut Config, Value),
}

/// Help section of the sample options.
pub const SAMPLE: &str = "Sample value selection";
/// Help section of the granularity options.
pub const GRANULARITY: &str = "Node granularity";
/// Help section of the filters.
pub const FILTER: &str = "Filtering";
/// Help section of trimming and display.
pub const DISPLAY: &str = "Trimming and display";

const GRANULARITIES: &[(&str, &str)] = &[
    ("functions", "One node per function (default)"),
    ("filefunctions", "One node per function and file"),
    ("files", "One node per source file"),
    ("lines", "One node per source line"),
    ("addresses", "One node per instruction address"),
];

const SORTS: &[(&str, &str)] = &[
    ("cum", "Sort the text report by cumulative value"),
    ("flat", "Sort the text report by flat value (default)"),
];

const PALETTES: &[(&str, &str)] = &[
    ("pprof", "red growth, green shrinkage"),
    ("colorblind", "orange growth, blue shrinkage"),
];

macro_rules! text_option {
    ($name:literal, $url:expr, $value_name:literal, $heading:expr, $help:literal, $field:ident) => {
        OptionDef {
            name: $name,
            url: $url,
            kind: ValueKind::Text,
            choice_flags: false,
            value_name: $value_name,
            heading: $heading,
            help: $help,
            get: |c| c.$field.clone(),
            set: |c, v| c.$field = v.text(),
        }
    };
}

macro_rules! bool_option {
    ($name:literal, $url:expr, $heading:expr, $help:literal, $field:ident) => {
        OptionDef {
            name: $name,
            url: $url,
            kind: ValueKind::Bool,
            choice_flags: false,
            value_name: "",
            heading: $heading,
            help: $help,
            get: |c| c.$field.to_string(),
            set: |c, v| c.$field = v.bool(),
        }
    };
}

macro_rules! float_option {
    ($name:literal, $url:expr, $value_name:literal, $heading:expr, $help:literal, $field:ident) => {
        OptionDef {
            name: $name,
            url: $url,
            kind: ValueKind::Float,
            choice_flags: false,
            value_name: $value_name,
            heading: $heading,
            help: $help,
            get: |c| c.$field.to_string(),
            set: |c, v| c.$field = v.float(),
        }
    };
}

/// Every report option.
pub const OPTIONS: &[OptionDef] = &[
    text_option!(
        "sample_index",
        Some("si"),
        "NAME|N",
        SAMPLE,
        "Sample value to report (a type name such as alloc_space, or a 0-based index)",
        sample_index
    ),
    bool_option!(
        "mean",
        Some("mean"),
        SAMPLE,
        "Average sample value over the first value (count)",
        mean
    ),
    OptionDef {
        name: "granularity",
        url: Some("g"),
        kind: ValueKind::Choice(GRANULARITIES),
        choice_flags: true,
        value_name: "NAME",
        heading: GRANULARITY,
        help: "Node granularity",
        get: |c| c.granularity.name().to_string(),
        set: |c, v| c.granularity = Granularity::from_name(&v.text()).unwrap_or_default(),
    },
    bool_option!(
        "noinlines",
        Some("noinlines"),
        GRANULARITY,
        "Attribute inlined functions to their callers",
        noinlines
    ),
    bool_option!(
        "showcolumns",
        Some("showcolumns"),
        GRANULARITY,
        "Keep column numbers with -lines (file:line:column)",
        show_columns
    ),
    text_option!(
        "focus",
        Some("f"),
        "REGEX",
        FILTER,
        "Keep only samples with a frame matching REGEX",
        focus
    ),
    text_option!(
        "ignore",
        Some("i"),
        "REGEX",
        FILTER,
        "Drop samples with a frame matching REGEX",
        ignore
    ),
    text_option!(
        "hide",
        Some("h"),
        "REGEX",
        FILTER,
        "Remove frames matching REGEX",
        hide
    ),
    text_option!(
        "show",
        Some("s"),
        "REGEX",
        FILTER,
        "Keep only frames matching REGEX",
        show
    ),
    text_option!(
        "show_from",
        Some("sf"),
        "REGEX",
        FILTER,
        "Drop frames above the root-most frame matching REGEX",
        show_from
    ),
    text_option!(
        "prune_from",
        Some("prunefrom"),
        "REGEX",
        FILTER,
        "Drop frames below the leaf-most frame matching REGEX",
        prune_from
    ),
    text_option!(
        "tagfocus",
        Some("tf"),
        "[KEY=]SPEC",
        FILTER,
        "Keep samples whose labels match (regexes, or a numeric range like 64kb:)",
        tagfocus
    ),
    text_option!(
        "tagignore",
        Some("ti"),
        "[KEY=]SPEC",
        FILTER,
        "Drop samples whose labels match",
        tagignore
    ),
    text_option!(
        "tagshow",
        Some("ts"),
        "REGEX",
        FILTER,
        "Keep only label keys matching REGEX",
        tagshow
    ),
    text_option!(
        "taghide",
        Some("th"),
        "REGEX",
        FILTER,
        "Remove label keys matching REGEX",
        taghide
    ),
    text_option!(
        "tagroot",
        None,
        "KEYS",
        FILTER,
        "Comma-separated label keys whose values become each sample's root frames",
        tagroot
    ),
    text_option!(
        "tagleaf",
        None,
        "KEYS",
        FILTER,
        "Comma-separated label keys whose values become each sample's leaf frames",
        tagleaf
    ),
    bool_option!(
        "relative_percentages",
        Some("rel"),
        FILTER,
        "Percentages relative to the filtered samples",
        relative_percentages
    ),
    OptionDef {
        name: "nodecount",
        url: Some("n"),
        kind: ValueKind::Int,
        choice_flags: false,
        value_name: "N",
        heading: DISPLAY,
        help: "Show at most N nodes (default: all for text, 80 for graphs)",
        get: |c| c.node_count.to_string(),
        set: |c, v| c.node_count = v.int(),
    },
    float_option!(
        "nodefraction",
        Some("nf"),
        "F",
        DISPLAY,
        "Hide nodes below F of the total (default 0.005)",
        node_fraction
    ),
    float_option!(
        "edgefraction",
        Some("ef"),
        "F",
        DISPLAY,
        "Hide edges below F of the total (default 0.001)",
        edge_fraction
    ),
    bool_option!(
        "trim",
        Some("trim"),
        DISPLAY,
        "Trim small nodes and edges (-trim=false shows everything)",
        trim
    ),
    OptionDef {
        name: "sort",
        url: Some("sort"),
        kind: ValueKind::Choice(SORTS),
        choice_flags: true,
        value_name: "ORDER",
        heading: DISPLAY,
        help: "Order of the text report",
        get: |c| if c.cum { "cum" } else { "flat" }.to_string(),
        set: |c, v| c.cum = v.text() == "cum",
    },
    bool_option!(
        "call_tree",
        Some("calltree"),
        DISPLAY,
        "Draw a call tree: one node per calling context",
        call_tree
    ),
    bool_option!(
        "compact_labels",
        Some("compact"),
        DISPLAY,
        "Omit the profile's header lines in text reports",
        compact_labels
    ),
    bool_option!(
        "drop_negative",
        Some("dropneg"),
        DISPLAY,
        "Hide nodes with negative values",
        drop_negative
    ),
    OptionDef {
        name: "unit",
        url: Some("unit"),
        kind: ValueKind::Text,
        choice_flags: false,
        value_name: "UNIT",
        heading: DISPLAY,
        help: "Display unit (minimum, auto, B, kB, MB, ns, ms, s, ...)",
        get: |c| c.unit.clone(),
        set: |c, v| {
            let u = v.text();
            c.unit = if u.is_empty() { "minimum".into() } else { u }
        },
    },
    float_option!(
        "divide_by",
        None,
        "F",
        DISPLAY,
        "Divide every displayed value by F",
        divide_by
    ),
    text_option!(
        "trim_path",
        None,
        "PATHS",
        DISPLAY,
        "Colon-separated prefixes to strip from file names",
        trim_path
    ),
    text_option!(
        "source_path",
        None,
        "PATHS",
        DISPLAY,
        "Colon-separated roots to look for source files in",
        source_path
    ),
    OptionDef {
        name: "palette",
        url: Some("palette"),
        kind: ValueKind::Choice(PALETTES),
        choice_flags: false,
        value_name: "NAME",
        heading: "Comparing profiles",
        help: "Graph colours: pprof (red growth, green shrinkage) or colorblind (orange, blue)",
        get: |c| {
            match c.palette {
                Palette::Pprof => "pprof",
                Palette::Colorblind => "colorblind",
            }
            .to_string()
        },
        set: |c, v| {
            c.palette = if v.text() == "colorblind" {
                Palette::Colorblind
            } else {
                Palette::Pprof
            }
        },
    },
];

/// pprof's legacy sample shorthands: (flag, sample index, with `-mean`,
/// help), in the order in which the first given wins.
pub const SAMPLE_SHORTHANDS: &[(&str, &str, bool, &str)] = &[
    ("total_delay", "delay", false, "Same as -sample_index=delay"),
    (
        "mean_delay",
        "delay",
        true,
        "Same as -sample_index=delay -mean",
    ),
    (
        "contentions",
        "contentions",
        false,
        "Same as -sample_index=contentions",
    ),
    (
        "inuse_space",
        "inuse_space",
        false,
        "Same as -sample_index=inuse_space",
    ),
    (
        "inuse_objects",
        "inuse_objects",
        false,
        "Same as -sample_index=inuse_objects",
    ),
    (
        "alloc_space",
        "alloc_space",
        false,
        "Same as -sample_index=alloc_space",
    ),
    (
        "alloc_objects",
        "alloc_objects",
        false,
        "Same as -sample_index=alloc_objects",
    ),
];

/// The option named `name`.
pub fn find(name: &str) -> Option<&'static OptionDef> {
    OPTIONS.iter().find(|o| o.name == name)
}

/// The web UI's URL parameter of option `name` (the name itself for an
/// option that has none).
pub fn url_param(name: &'static str) -> &'static str {
    find(name).and_then(|o| o.url).unwrap_or(name)
}

/// The option that has `choice` among its choices.
fn find_choice(choice: &str) -> Option<&'static OptionDef> {
    OPTIONS.iter().find(|o| match o.kind {
        ValueKind::Choice(cs) => cs.iter().any(|(c, _)| *c == choice),
        _ => false,
    })
}

/// Parses Go's boolean spellings.
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!("invalid boolean value {s:?}")),
    }
}

impl OptionDef {
    /// Checks `raw` against the option's type; the error names the value
    /// and `what` (how the caller names the option).
    pub fn parse(&self, raw: &str, what: &str) -> Result<Value, String> {
        let v = raw.trim();
        let bad = || format!("invalid value {v:?} for {what}");
        Ok(match self.kind {
            ValueKind::Bool => Value::Bool(parse_bool(v).map_err(|_| bad())?),
            ValueKind::Int => Value::Int(v.parse().map_err(|_| bad())?),
            ValueKind::Float => Value::Float(v.parse().map_err(|_| bad())?),
            ValueKind::Text => Value::Text(v.to_string()),
            ValueKind::Choice(cs) => {
                let v = if self.name == "palette" && v == "default" {
                    "pprof"
                } else {
                    v
                };
                if !cs.iter().any(|(c, _)| *c == v) {
                    let names: Vec<&str> = cs.iter().map(|(c, _)| *c).collect();
                    return Err(format!(
                        "invalid {} {v:?}: use {}",
                        self.name,
                        names.join(", ")
                    ));
                }
                Value::Text(v.to_string())
            }
        })
    }

    /// Whether the option is a boolean (a bare shell word sets it).
    pub fn is_bool(&self) -> bool {
        matches!(self.kind, ValueKind::Bool)
    }
}

/// pprof's `stringToBool`, as the shell reads booleans (the empty string
/// is true).
pub fn shell_bool(s: &str) -> Result<bool, String> {
    match s.to_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "1" | "" => Ok(true),
        "false" | "f" | "no" | "n" | "0" => Ok(false),
        _ => Err(format!("illegal value {s:?} for bool variable")),
    }
}

/// Whether `name` is an option or a choice of one (pprof's
/// `isConfigurable`).
pub fn is_configurable(name: &str) -> bool {
    find(name).is_some() || find_choice(name).is_some()
}

/// Whether `name` is a boolean option or a choice (pprof's
/// `isBoolConfig`): it may be given without a value.
pub fn is_bool_config(name: &str) -> bool {
    find(name).map_or(find_choice(name).is_some(), OptionDef::is_bool)
}

/// pprof's `configure`: sets option `name` to `value` with pprof's
/// checks and messages; `name` may also be a choice of an option, set
/// when `value` is true.
pub fn configure(cfg: &mut Config, name: &str, value: &str) -> Result<(), String> {
    if let Some(opt) = find(name) {
        let v =
            match opt.kind {
                ValueKind::Bool => Value::Bool(shell_bool(value)?),
                ValueKind::Int => Value::Int(
                    value
                        .parse()
                        .map_err(|_| format!("strconv.Atoi: parsing {value:?}: invalid syntax"))?,
                ),
                ValueKind::Float => Value::Float(value.parse().map_err(|_| {
                    format!("strconv.ParseFloat: parsing {value:?}: invalid syntax")
                })?),
                ValueKind::Text => Value::Text(value.to_string()),
                ValueKind::Choice(cs) => {
                    if !cs.iter().any(|(c, _)| *c == value) {
                        return Err(format!("invalid {:?} value {value:?}", opt.name));
                    }
                    Value::Text(value.to_string())
                }
            };
        (opt.set)(cfg, v);
        return Ok(());
    }
    match find_choice(name) {
        Some(opt) if matches!(value.to_lowercase().as_str(), "1" | "t" | "true") => {
            (opt.set)(cfg, Value::Text(name.to_string()));
            Ok(())
        }
        _ => Err(format!("unknown config field {name:?}")),
    }
}

/// Applies the URL parameters of the options to `cfg` (pprof's
/// `applyURL`): empty values are skipped.
pub fn apply_url(cfg: &mut Config, query: &HashMap<String, String>) -> Result<(), String> {
    for opt in OPTIONS {
        let Some(param) = opt.url else { continue };
        let Some(raw) = query.get(param).filter(|v| !v.is_empty()) else {
            continue;
        };
        let v = opt
            .parse(raw, param)
            .map_err(|e| format!("error setting config field {}: {e}", opt.name))?;
        (opt.set)(cfg, v);
    }
    Ok(())
}

/// The URL parameters that carry `cfg` where it differs from `base`
/// (pprof's `makeURL`), sorted by parameter.
pub fn url_params(cfg: &Config, base: &Config) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = OPTIONS
        .iter()
        .filter_map(|o| {
            let param = o.url?;
            let v = (o.get)(cfg);
            (v != (o.get)(base)).then_some((param, v))
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
/// A value of each option's type that differs from the default.
pub(super) fn sample_value(o: &OptionDef) -> String {
    let default = (o.get)(&Config::default());
    let candidates: Vec<&str> = match o.kind {
        ValueKind::Bool => vec!["true", "false"],
        ValueKind::Int => vec!["7"],
        ValueKind::Float => vec!["0.25"],
        ValueKind::Text => vec!["main\\.x"],
        ValueKind::Choice(cs) => cs.iter().map(|c| c.0).collect(),
    };
    candidates
        .into_iter()
        .find(|c| *c != default)
        .expect("a value other than the default")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_round_trips_through_shell_and_url() {
        let base = Config::default();
        for o in OPTIONS {
            let v = sample_value(o);
            let mut by_shell = Config::default();
            configure(&mut by_shell, o.name, &v).unwrap();
            assert_eq!((o.get)(&by_shell), v, "{}", o.name);
            let Some(param) = o.url else { continue };
            let params = url_params(&by_shell, &base);
            assert_eq!(params, vec![(param, v.clone())], "{}", o.name);
            let q: HashMap<String, String> = params
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            let mut by_url = Config::default();
            apply_url(&mut by_url, &q).unwrap();
            assert_eq!((o.get)(&by_url), v, "{}", o.name);
        }
    }

    #[test]
    fn names_and_url_parameters_are_unique() {
        for (i, a) in OPTIONS.iter().enumerate() {
            for b in &OPTIONS[i + 1..] {
                assert_ne!(a.name, b.name);
                assert!(a.url.is_none() || a.url != b.url, "{} {}", a.name, b.name);
            }
        }
    }

    #[test]
    fn choices_and_bad_values() {
        let mut c = Config::default();
        configure(&mut c, "lines", "true").unwrap();
        assert_eq!(c.granularity, Granularity::Lines);
        configure(&mut c, "cum", "1").unwrap();
        assert!(c.cum);
        // pprof: a bare choice is not a setting.
        assert_eq!(
            configure(&mut c, "flat", "").unwrap_err(),
            "unknown config field \"flat\""
        );
        configure(&mut c, "mean", "").unwrap();
        assert!(c.mean);
        assert_eq!(
            configure(&mut c, "nodecount", "x").unwrap_err(),
            "strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            configure(&mut c, "trim", "maybe").unwrap_err(),
            "illegal value \"maybe\" for bool variable"
        );
        assert_eq!(
            configure(&mut c, "granularity", "bogus").unwrap_err(),
            "invalid \"granularity\" value \"bogus\""
        );
        assert!(configure(&mut c, "nope", "1").is_err());
    }
}
