//! pprof's driver steps on a loaded profile before a report is made: the
//! filters in pprof's order (with their "matched no samples" warnings) and
//! the report total.

use super::Config;
use crate::profile::{filter, prune, Profile};
use regex::Regex;
use std::collections::HashMap;

fn compile(name: &str, value: &str) -> Result<Option<Regex>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    crate::base::goregex::compile(value)
        .map(Some)
        .map_err(|e| format!("parsing {name} regexp: {e}"))
}

/// Applies the filters in pprof's order, sending "matched no samples"
/// warnings to `warn`.
pub(super) fn apply_focus(
    p: &mut Profile,
    units: &HashMap<String, String>,
    cfg: &Config,
    warn: &mut dyn FnMut(String),
) -> Result<(), String> {
    let focus = compile("focus", &cfg.focus)?;
    let ignore = compile("ignore", &cfg.ignore)?;
    let hide = compile("hide", &cfg.hide)?;
    let show = compile("show", &cfg.show)?;
    let show_from = compile("show_from", &cfg.show_from)?;
    let tagfocus = compile_tag(&cfg.tagfocus, "tagfocus", warn)?;
    let tagignore = compile_tag(&cfg.tagignore, "tagignore", warn)?;
    let prune_from = compile("prune_from", &cfg.prune_from)?;

    let mut no_match = |ok: bool, what: &str| {
        if !ok {
            warn(format!("{what} expression matched no samples"));
        }
    };
    let m = filter::filter_samples_by_name(
        p,
        focus.as_ref(),
        ignore.as_ref(),
        hide.as_ref(),
        show.as_ref(),
    );
    no_match(focus.is_none() || m.focus, "Focus");
    no_match(ignore.is_none() || m.ignore, "Ignore");
    no_match(hide.is_none() || m.hide, "Hide");
    no_match(show.is_none() || m.show, "Show");
    if let Some(re) = &show_from {
        let sfm = filter::show_from(p, re);
        no_match(sfm, "ShowFrom");
    }
    if tagfocus.is_some() || tagignore.is_some() {
        let (tfm, tim) =
            filter::filter_samples_by_tag(p, tagfocus.as_ref(), tagignore.as_ref(), units);
        no_match(tagfocus.is_none() || tfm, "TagFocus");
        no_match(tagignore.is_none() || tim, "TagIgnore");
    }
    let tagshow = compile("tagshow", &cfg.tagshow)?;
    let taghide = compile("taghide", &cfg.taghide)?;
    if tagshow.is_some() || taghide.is_some() {
        let (tns, tnh) = filter::filter_tags_by_name(p, tagshow.as_ref(), taghide.as_ref());
        no_match(tagshow.is_none() || tns, "TagShow");
        no_match(taghide.is_none() || tnh, "TagHide");
    }
    if let Some(re) = &prune_from {
        prune::prune_from(p, re);
    }
    Ok(())
}

fn compile_tag(
    value: &str,
    name: &str,
    warn: &mut dyn FnMut(String),
) -> Result<Option<filter::TagFilter>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let c = filter::compile_tag_filter(name, value)?;
    if let Some(n) = c.notice {
        warn(n);
    }
    Ok(Some(c.filter))
}

/// Σ|value| over the samples (over the diff base's samples when present),
/// divided by Σ divisor with `-mean`.
pub(super) fn compute_total(p: &Profile, index: usize, mean: Option<usize>) -> i64 {
    let (mut div, mut total, mut diff_div, mut diff_total) = (0i64, 0i64, 0i64, 0i64);
    for s in &p.samples {
        let v = s.values[index].wrapping_abs();
        let d = mean.map_or(0, |m| s.values[m]);
        total = total.wrapping_add(v);
        div = div.wrapping_add(d);
        if p.is_diff_base_sample(s) {
            diff_total = diff_total.wrapping_add(v);
            diff_div = diff_div.wrapping_add(d);
        }
    }
    if diff_total > 0 {
        total = diff_total;
        div = diff_div;
    }
    if div != 0 {
        total.wrapping_div(div)
    } else {
        total
    }
}
