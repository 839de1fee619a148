//! Sample filters in pprof's order: `-focus/-ignore/-hide/-show`,
//! `-show_from`, `-tagfocus/-tagignore`, `-tagshow/-taghide`, `-prune_from`.
//! Each edits the profile in place and reports whether it matched anything.

use super::{Location, Profile, Sample};
use crate::base::{goregex, units};
use regex::Regex;
use std::collections::HashMap;

fn line_matches(p: &Profile, loc: &Location, i: usize, re: &Regex) -> bool {
    let f = &p.functions[loc.lines[i].function as usize];
    re.is_match(&f.name) || re.is_match(&f.filename)
}

fn mapping_matches(p: &Profile, loc: &Location, re: &Regex) -> bool {
    loc.mapping
        .is_some_and(|m| re.is_match(&p.mappings[m as usize].file))
}

fn location_matches(p: &Profile, loc: &Location, re: &Regex) -> bool {
    (0..loc.lines.len()).any(|i| line_matches(p, loc, i, re)) || mapping_matches(p, loc, re)
}

/// Which of the name filters matched something.
#[derive(Debug, Default, Clone, Copy)]
pub struct NameMatches {
    /// `-focus` matched (or was not given).
    pub focus: bool,
    /// `-ignore` matched.
    pub ignore: bool,
    /// `-hide` matched.
    pub hide: bool,
    /// `-show` matched.
    pub show: bool,
}

/// `-focus`, `-ignore`, `-hide` and `-show`. Like pprof, this also drops
/// samples whose stack is empty, even when no filter is given.
pub fn filter_samples_by_name(
    p: &mut Profile,
    focus: Option<&Regex>,
    ignore: Option<&Regex>,
    hide: Option<&Regex>,
    show: Option<&Regex>,
) -> NameMatches {
    let mut m = NameMatches::default();
    if focus.is_none() && ignore.is_none() && hide.is_none() && show.is_none() {
        // Nothing to match: only samples without a stack go, as in pprof.
        m.focus = !p.locations.is_empty();
        p.samples.retain(|s| !s.locations.is_empty());
        return m;
    }
    // Per location: Some(true) focused, Some(false) ignored, None neither.
    let mut focus_or_ignore: Vec<Option<bool>> = vec![None; p.locations.len()];
    let mut hidden = vec![false; p.locations.len()];
    let mut any_hidden = false;
    for li in 0..p.locations.len() {
        let loc = &p.locations[li];
        if ignore.is_some_and(|re| location_matches(p, loc, re)) {
            m.ignore = true;
            focus_or_ignore[li] = Some(false);
        } else if focus.is_none_or(|re| location_matches(p, loc, re)) {
            m.focus = true;
            focus_or_ignore[li] = Some(true);
        }
        if let Some(re) = hide {
            if location_matches(p, loc, re) {
                m.hide = true;
                let keep: Vec<bool> = if mapping_matches(p, loc, re) {
                    vec![false; loc.lines.len()]
                } else {
                    (0..loc.lines.len())
                        .map(|i| !line_matches(p, loc, i, re))
                        .collect()
                };
                retain_lines(&mut p.locations[li], &keep);
                if p.locations[li].lines.is_empty() {
                    hidden[li] = true;
                    any_hidden = true;
                }
            }
        }
        if let Some(re) = show {
            let loc = &p.locations[li];
            if !mapping_matches(p, loc, re) {
                let keep: Vec<bool> = (0..loc.lines.len())
                    .map(|i| line_matches(p, loc, i, re))
                    .collect();
                retain_lines(&mut p.locations[li], &keep);
            }
            if p.locations[li].lines.is_empty() {
                hidden[li] = true;
                any_hidden = true;
            } else {
                m.show = true;
            }
        }
    }
    let mut buf = Vec::new();
    p.samples.retain_mut(|s| {
        let ids = s.locations.ids_in(&mut buf);
        if !focused_and_not_ignored(ids, &focus_or_ignore) {
            return false;
        }
        if any_hidden {
            if ids.iter().any(|&l| hidden[l as usize]) {
                let kept: Vec<u32> = ids
                    .iter()
                    .copied()
                    .filter(|&l| !hidden[l as usize])
                    .collect();
                s.locations = kept.into();
            }
            if s.locations.is_empty() {
                return false;
            }
        }
        true
    });
    m
}

fn retain_lines(loc: &mut Location, keep: &[bool]) {
    let mut i = 0;
    loc.lines.retain(|_| {
        let k = keep[i];
        i += 1;
        k
    });
}

fn focused_and_not_ignored(locs: &[u32], m: &[Option<bool>]) -> bool {
    let mut f = false;
    for &l in locs {
        match m[l as usize] {
            Some(true) => f = true,
            Some(false) => return false,
            None => {}
        }
    }
    f
}

/// `-show_from`: drops the frames above the root-most matching location.
pub fn show_from(p: &mut Profile, re: &Regex) -> bool {
    let mut matched = false;
    let mut show = vec![false; p.locations.len()];
    for (li, shown) in show.iter_mut().enumerate() {
        let loc = &p.locations[li];
        if mapping_matches(p, loc, re) {
            *shown = true;
            matched = true;
            continue;
        }
        if let Some(i) = (0..loc.lines.len())
            .rev()
            .find(|&i| line_matches(p, loc, i, re))
        {
            p.locations[li].lines.truncate(i + 1);
            *shown = true;
            matched = true;
        }
    }
    let mut buf = Vec::new();
    p.samples.retain_mut(|s| {
        let ids = s.locations.ids_in(&mut buf);
        match ids.iter().rposition(|&l| show[l as usize]) {
            Some(i) => {
                if i + 1 < ids.len() {
                    s.locations = ids[..=i].to_vec().into();
                }
                true
            }
            None => false,
        }
    });
    matched
}

/// A compiled `-tagfocus`/`-tagignore` expression.
pub enum TagFilter {
    /// A numeric range on label values.
    Range {
        /// Only this key (all keys when `None`).
        key: Option<String>,
        /// The bound(s), scaled into `unit`.
        lo: Option<f64>,
        /// Upper bound.
        hi: Option<f64>,
        /// The canonical unit of the bounds.
        unit: String,
    },
    /// Regexes on string labels.
    Regex {
        /// Only this key (all keys, as `key:value`, when `None`).
        key: Option<String>,
        /// The comma-separated regexes.
        rxs: Vec<Regex>,
    },
}

/// What parsing a tag filter printed on the way (pprof's notice that a
/// value was read as a range).
pub struct CompiledTagFilter {
    /// The filter.
    pub filter: TagFilter,
    /// A notice for stderr, if any.
    pub notice: Option<String>,
}

/// Compiles a tag filter expression `[key=]spec` as pprof does.
pub fn compile_tag_filter(name: &str, value: &str) -> Result<CompiledTagFilter, String> {
    let (key, spec) = match value.split_once('=') {
        Some((k, v)) => (Some(k.to_string()), v),
        None => (None, value),
    };
    if let Some((lo, hi, unit)) = parse_tag_range(spec) {
        return Ok(CompiledTagFilter {
            filter: TagFilter::Range { key, lo, hi, unit },
            notice: Some(format!("{name}:Interpreted '{spec}' as range, not regexp")),
        });
    }
    let mut rxs = Vec::new();
    for part in spec.split(',') {
        rxs.push(goregex::compile(part).map_err(|e| format!("parsing {name} regexp: {e}"))?);
    }
    Ok(CompiledTagFilter {
        filter: TagFilter::Regex { key, rxs },
        notice: None,
    })
}

/// Finds `([+-]?digits)(alpha+)?` matches like Go's FindAllStringSubmatch(…, 2).
fn range_tokens(s: &str) -> Vec<(usize, usize, &str, &str)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() && out.len() < 2 {
        let start = i;
        let mut j = i;
        if b[j] == b'+' || b[j] == b'-' {
            j += 1;
        }
        let ds = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == ds {
            i += 1;
            continue;
        }
        let us = j;
        while j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        out.push((start, j, &s[start..us], &s[us..j]));
        i = j;
    }
    out
}

/// Parses `N[u]`, `N[u]:`, `:N[u]` or `N1[u1]:N2[u2]`; `None` when the spec
/// is not exactly one of these shapes (then it is a regex).
fn parse_tag_range(spec: &str) -> Option<(Option<f64>, Option<f64>, String)> {
    let toks = range_tokens(spec);
    let first = toks.first()?;
    let v: i64 = first.2.parse().ok()?;
    let (scaled, unit) = units::scale(v, first.3, first.3);
    let m0 = &spec[first.0..first.1];
    if toks.len() == 1 {
        if spec == m0 {
            return Some((Some(scaled), Some(scaled), unit));
        }
        if spec.strip_suffix(':') == Some(m0) {
            return Some((Some(scaled), None, unit));
        }
        if spec.strip_prefix(':') == Some(m0) {
            return Some((None, Some(scaled), unit));
        }
        return None;
    }
    let second = &toks[1];
    if spec != format!("{}:{}", m0, &spec[second.0..second.1]) {
        return None;
    }
    let v2: i64 = second.2.parse().ok()?;
    let (scaled2, unit2) = units::scale(v2, second.3, &unit);
    if unit2 != unit {
        return None;
    }
    Some((Some(scaled), Some(scaled2), unit))
}

impl TagFilter {
    /// Whether sample `s` matches.
    pub fn matches(&self, p: &Profile, s: &Sample, num_units: &HashMap<String, String>) -> bool {
        match self {
            TagFilter::Range { key, lo, hi, unit } => s.num_labels.iter().any(|nl| {
                let k = p.str(nl.key);
                if key.as_deref().is_some_and(|want| want != k) {
                    return false;
                }
                let from = num_units.get(k).map(String::as_str).unwrap_or("");
                let (sv, su) = units::scale(nl.value, from, unit);
                su == *unit && lo.is_none_or(|lo| sv >= lo) && hi.is_none_or(|hi| sv <= hi)
            }),
            TagFilter::Regex { key: None, rxs } => rxs.iter().all(|rx| {
                s.labels
                    .iter()
                    .any(|&(k, v)| rx.is_match(&format!("{}:{}", p.str(k), p.str(v))))
            }),
            TagFilter::Regex {
                key: Some(key),
                rxs,
            } => {
                let vals: Vec<&str> = s
                    .labels
                    .iter()
                    .filter(|&&(k, _)| p.str(k) == key)
                    .map(|&(_, v)| p.str(v))
                    .collect();
                !vals.is_empty() && rxs.iter().any(|rx| vals.iter().any(|v| rx.is_match(v)))
            }
        }
    }
}

/// `-tagfocus`/`-tagignore`: returns (focus matched, ignore matched).
pub fn filter_samples_by_tag(
    p: &mut Profile,
    focus: Option<&TagFilter>,
    ignore: Option<&TagFilter>,
    num_units: &HashMap<String, String>,
) -> (bool, bool) {
    let (mut fm, mut im) = (false, false);
    let samples = std::mem::take(&mut p.samples);
    let mut kept = Vec::with_capacity(samples.len());
    for s in samples {
        let focused = focus.is_none_or(|f| f.matches(p, &s, num_units));
        let ignored = ignore.is_some_and(|f| f.matches(p, &s, num_units));
        fm |= focused;
        im |= ignored;
        if focused && !ignored {
            kept.push(s);
        }
    }
    p.samples = kept;
    (fm, im)
}

/// `-tagshow`/`-taghide`: removes label keys (string and numeric) that do
/// not match `show` or that match `hide`. Returns (show matched, hide matched).
pub fn filter_tags_by_name(
    p: &mut Profile,
    show: Option<&Regex>,
    hide: Option<&Regex>,
) -> (bool, bool) {
    let (mut sm, mut hm) = (false, false);
    let mut remove = vec![false; p.strings.len()];
    let mut decided = vec![false; p.strings.len()];
    for s in &p.samples {
        for k in s
            .labels
            .iter()
            .map(|l| l.0)
            .chain(s.num_labels.iter().map(|n| n.key))
        {
            let k = k as usize;
            if decided[k] {
                continue;
            }
            decided[k] = true;
            let name = &p.strings[k];
            let ms = show.is_none_or(|r| r.is_match(name));
            let mh = hide.is_some_and(|r| r.is_match(name));
            sm |= ms;
            hm |= mh;
            remove[k] = !ms || mh;
        }
    }
    for s in &mut p.samples {
        s.labels.retain(|l| !remove[l.0 as usize]);
        s.num_labels.retain(|n| !remove[n.key as usize]);
    }
    (sm, hm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_ranges_parse_like_pprof() {
        assert_eq!(
            parse_tag_range("64kb:"),
            Some((Some(64.0), None, "kB".to_string()))
        );
        assert_eq!(
            parse_tag_range(":1kb"),
            Some((None, Some(1.0), "kB".to_string()))
        );
        assert_eq!(
            parse_tag_range("1kb:64kb"),
            Some((Some(1.0), Some(64.0), "kB".to_string()))
        );
        assert_eq!(
            parse_tag_range("1024"),
            Some((Some(1024.0), Some(1024.0), String::new()))
        );
        assert_eq!(parse_tag_range("w1"), None);
        assert_eq!(parse_tag_range("run"), None);
        assert_eq!(parse_tag_range("1mb:x"), None);
    }
}
