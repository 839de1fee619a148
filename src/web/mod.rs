//! The web UI (`-http=[host]:port`): pprof's views on our own reports,
//! with the current pprof's URL layout and parameters so a link reproduces
//! a view: `/` and `/ui/` lead to the landing view, `/ui/flamegraph`;
//! `/ui/graph`, `/ui/top` (sortable), `/ui/source?f=RE`, `/ui/peek?f=RE`
//! (callers and callees of the matching lines). pprof's menu bar: VIEW,
//! SAMPLE, REFINE (focus, ignore, hide, show, show from on the selected
//! nodes, rows or frames, else on the search box's regexp), CONFIG (named
//! settings kept in the browser), DOWNLOAD, and a search box that
//! highlights in place. Options travel as the option table's URL
//! parameters (`f`, `i`, `h`, `s`, `sf`, `tf`, `ti`, `si`, `nf`, `ef`, `n`,
//! `g`, …). The style and script (`ui.css`, `ui.js`) are embedded; nothing
//! is fetched from the network.

use crate::base::escape::{encode_component, query, xml_escape};
use crate::base::units::percentage;
use crate::engine::commands::{self, CommandDef, COMMANDS};
use crate::engine::options::{self, ValueKind};
use crate::engine::{self, Invocation, Settings};
use crate::profile::Profile;
use crate::report::{self, Config, Report};
use std::collections::HashMap;

/// Where to listen: pprof's `:8080` means 127.0.0.1:8080.
pub fn listen_address(spec: &str) -> String {
    match spec.strip_prefix(':') {
        Some(port) => format!("127.0.0.1:{port}"),
        None if spec.contains(':') => spec.to_string(),
        None => format!("{spec}:8080"),
    }
}

/// The report configuration of a request: the command line's, with the
/// URL's parameters on top (pprof's `applyURL`).
fn config_for(base: &Config, q: &HashMap<String, String>) -> Result<Config, String> {
    let mut c = base.clone();
    options::apply_url(&mut c, q)?;
    Ok(c)
}

/// The tab's icon: three boxes of a call graph, the hot one red.
const FAVICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><path d=\"M8 5v3M5 10l2-2M11 10l-2-2\" stroke=\"#555\"/><rect x=\"5\" y=\"1\" width=\"6\" height=\"4\" fill=\"#b20000\"/><rect x=\"1\" y=\"10\" width=\"6\" height=\"4\" fill=\"#e0a080\"/><rect x=\"9\" y=\"10\" width=\"6\" height=\"4\" fill=\"#ddd\"/></svg>";

/// The page's style and behaviour, embedded.
const STYLE: &str = include_str!("ui.css");
const SCRIPT: &str = include_str!("ui.js");

/// The views of the VIEW menu: name, path.
const VIEWS: &[(&str, &str)] = &[
    ("Top", "/ui/top"),
    ("Graph", "/ui/graph"),
    ("Flame Graph", "/ui/flamegraph"),
    ("Peek", "/ui/peek"),
    ("Source", "/ui/source"),
];

/// The REFINE menu: label, option it sets.
const REFINE: &[(&str, &str)] = &[
    ("Focus", "focus"),
    ("Ignore", "ignore"),
    ("Hide", "hide"),
    ("Show", "show"),
    ("Show from", "show_from"),
];

/// The options REFINE > Reset clears.
const RESET: &[&str] = &[
    "focus",
    "ignore",
    "hide",
    "show",
    "show_from",
    "tagfocus",
    "tagignore",
];

/// `path` with the settings `params`, `set` replacing its key's value.
fn link(path: &str, params: &[(&str, String)], set: Option<(&str, &str)>) -> String {
    let mut out: Vec<String> = params
        .iter()
        .filter(|(k, _)| set.is_none_or(|(s, _)| s != *k))
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    if let Some((k, v)) = set {
        out.push(format!("{k}={}", encode_component(v)));
    }
    if out.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", out.join("&"))
    }
}

/// Escaped text with its `https://` addresses as links.
fn linkify(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("https://") {
        let end = rest[at..]
            .find(|c: char| c.is_whitespace())
            .map_or(rest.len(), |e| at + e);
        out.push_str(&rest[..at]);
        out.push_str(&format!("<a href=\"{0}\">{0}</a>", &rest[at..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The URL parameter of the source and peek views' regexp: pprof's,
/// the focus option's.
fn view_regexp_param() -> &'static str {
    options::url_param("focus")
}

/// One entry of a menu: a link, marked when it is the current choice.
fn entry(current: bool, attrs: &str, href: &str, label: &str) -> String {
    let class = if current { " class=\"current\"" } else { "" };
    format!(
        "<a{class}{attrs} href=\"{}\">{}</a>",
        xml_escape(href),
        xml_escape(label)
    )
}

/// One menu of the bar: its button and its entries (HTML).
fn menu(name: &str, entries: &str) -> String {
    format!("<div class=\"menu\" id=\"menu-{}\"><button>{name}</button><div class=\"submenu\">{entries}</div></div>", name.to_lowercase())
}

/// A page: pprof's menu bar (VIEW, SAMPLE, REFINE, CONFIG, DOWNLOAD and the
/// search box), the legend, and the body.
fn page(
    view: &str,
    path: &str,
    prof: &Profile,
    cfg: &Config,
    params: &[(&str, String)],
    legend: &[String],
    body: &str,
) -> String {
    let mut views = String::new();
    for (name, url) in VIEWS {
        // Source and peek take the selection as their regexp, in the
        // parameter that names it.
        let takes = if matches!(*url, "/ui/source" | "/ui/peek") {
            format!(" data-view=\"{}\"", view_regexp_param())
        } else {
            String::new()
        };
        views.push_str(&entry(*url == path, &takes, &link(url, params, None), name));
    }
    views.push_str("<hr>");
    let g = options::url_param("granularity");
    if let Some(ValueKind::Choice(choices)) = options::find("granularity").map(|o| o.kind) {
        let current = cfg.granularity.name();
        for (choice, _) in choices {
            let href = link(path, params, Some((g, choice)));
            views.push_str(&entry(
                *choice == current,
                "",
                &href,
                &format!("by {choice}"),
            ));
        }
    }
    let current_si = prof
        .sample_index_by_name(&cfg.sample_index)
        .ok()
        .and_then(|i| prof.sample_types.get(i))
        .map(|t| t.kind.clone())
        .unwrap_or_default();
    let si = options::url_param("sample_index");
    let mut samples = String::new();
    for t in &prof.sample_types {
        let href = link(path, params, Some((si, &t.kind)));
        samples.push_str(&entry(t.kind == current_si, "", &href, &t.kind));
    }
    let mut refine = String::new();
    for (label, option) in REFINE {
        let key = options::url_param(option);
        refine.push_str(&format!("<a href=\"#\" data-refine=\"{key}\">{label}</a>"));
    }
    let reset: Vec<&str> = RESET.iter().map(|o| options::url_param(o)).collect();
    refine.push_str(&format!(
        "<hr><a href=\"#\" data-refine=\"reset\" data-params=\"{}\">Reset</a>",
        reset.join(",")
    ));
    let config = format!(
        "<div class=\"row\"><input id=\"config-name\" placeholder=\"name\" size=\"10\"> <a id=\"config-save\" href=\"#\" style=\"display:inline;padding:0\">Save</a></div><div id=\"configs\"></div><hr><a href=\"{path}\">Default</a>"
    );
    let mut h = format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>pprof-graph: {view}</title><link rel=\"icon\" href=\"/favicon.ico\" type=\"image/svg+xml\"><style>{STYLE}</style></head><body><header><span class=\"title\">pprof-graph</span>");
    h.push_str(&menu("VIEW", &views));
    h.push_str(&menu("SAMPLE", &samples));
    h.push_str(&menu("REFINE", &refine));
    h.push_str(&menu("CONFIG", &config));
    h.push_str(&menu(
        "DOWNLOAD",
        "<a href=\"/download\">Download profile</a>",
    ));
    h.push_str("<input id=\"search\" type=\"text\" placeholder=\"Search regexp\" autocomplete=\"off\"><span id=\"matches\"></span></header>");
    h.push_str(&format!(
        "<div id=\"legend\">{}</div><main>{body}</main><script>{SCRIPT}</script></body></html>",
        linkify(&xml_escape(&legend.join("\n")))
    ));
    h
}

/// An SVG document without its XML prolog, to embed in HTML.
fn inline_svg(svg: String) -> String {
    match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    }
}

/// A view's report: the command, the configuration and the regex.
fn view_report(
    name: &str,
    cfg: &Config,
    regex: Option<&str>,
    v: &mut View,
) -> Result<(Invocation, Report), String> {
    let def: &'static CommandDef = commands::find(name).unwrap_or(&COMMANDS[0]);
    let inv = Invocation::new(def, regex)?;
    let notes = &mut v.notes;
    let rpt = engine::report(&inv, v.prof.clone(), cfg, &mut |w| notes.push(w))?;
    Ok((inv, rpt))
}

/// What a view reads: the profile, and the notes the report made (such as
/// "Focus expression matched no samples"), shown above the view as
/// pprof's web UI shows them.
struct View<'a> {
    prof: &'a Profile,
    notes: Vec<String>,
}

/// `/ui/`: the call graph, drawn by the chosen renderer.
fn graph_view(v: &mut View, cfg: &Config, s: &Settings) -> Result<(Vec<String>, String), String> {
    let (_, mut rpt) = view_report("svg", cfg, None, v)?;
    let mut d = report::dot::build(&mut rpt);
    let legend = std::mem::take(&mut d.legend);
    let svg = inline_svg(crate::render::svg(&d, &s.render.renderer)?);
    Ok((legend, format!("<div id=\"graph\">{svg}</div>")))
}

/// `/ui/top`: the top table, sortable (500 rows unless `n` says).
fn top_view(v: &mut View, cfg: &Config) -> Result<(Vec<String>, String), String> {
    let mut c = cfg.clone();
    if c.node_count == -1 {
        c.node_count = 500;
    }
    let (_, mut rpt) = view_report("top", &c, None, v)?;
    let (items, legend) = report::text::text_items(&mut rpt);
    let mut t = String::from("<table id=\"top\"><thead><tr><th>flat</th><th>flat%</th><th>sum%</th><th>cum</th><th>cum%</th><th>name</th></tr></thead><tbody>");
    let mut sum = 0i64;
    for it in &items {
        sum += it.flat;
        let pct = |v: i64| percentage(v, rpt.total).trim().to_string();
        let inl = if it.inline_label.is_empty() {
            String::new()
        } else {
            format!(" {}", it.inline_label)
        };
        t.push_str(&format!(
            "<tr data-name=\"{}\"><td data-v=\"{}\">{}</td><td data-v=\"{}\">{}</td><td data-v=\"{}\">{}</td><td data-v=\"{}\">{}</td><td data-v=\"{}\">{}</td><td>{}{}</td></tr>",
            xml_escape(&it.name), it.flat, xml_escape(&it.flat_format), it.flat.abs(), pct(it.flat), sum.abs(), pct(sum), it.cum, xml_escape(&it.cum_format), it.cum.abs(), pct(it.cum), xml_escape(&it.name), xml_escape(&inl)
        ));
    }
    t.push_str("</tbody></table>");
    Ok((legend, t))
}

/// `/ui/flamegraph`: the frames as data, drawn by the page's script to
/// fit the window (click to zoom, the search box highlights).
fn flame_view(v: &mut View, cfg: &Config) -> Result<(Vec<String>, String), String> {
    let (_, rpt) = view_report("flamegraph", cfg, None, v)?;
    let legend = rpt.profile_labels();
    let flame = report::flame::build(&rpt);
    let (grow, shrink) = crate::render::flame_svg::change_colors(flame.palette);
    let mut json = format!(
        "{{\"diff\":{},\"grow\":\"{grow}\",\"shrink\":\"{shrink}\",\"frames\":[",
        flame.diff
    );
    for (i, f) in flame.frames.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        let children: Vec<String> = f.children.iter().map(usize::to_string).collect();
        json.push_str(&format!(
            "{{\"n\":{},\"v\":{},\"l\":{},\"color\":\"{}\",\"b\":{},\"a\":{},\"c\":[{}]}}",
            json_string(&f.name),
            f.value,
            json_string(&f.value_label),
            crate::render::flame_svg::color(&f.name),
            f.before,
            f.after,
            children.join(",")
        ));
    }
    json.push_str("]}");
    Ok((
        legend,
        format!("<div id=\"flame\"></div><script id=\"flame-data\" type=\"application/json\">{json}</script>"),
    ))
}

/// `s` as a JSON string that is also safe inside a `<script>` element.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `/ui/source`: the annotated source of `f`, as `weblist` draws it.
fn source_view(
    v: &mut View,
    cfg: &Config,
    q: &HashMap<String, String>,
) -> Result<(Vec<String>, String), String> {
    let re = q
        .get(view_regexp_param())
        .cloned()
        .unwrap_or_else(|| ".".into());
    let mut c = cfg.clone();
    c.focus.clear();
    let (inv, rpt) = view_report("weblist", &c, Some(&re), v)?;
    let legend = rpt.profile_labels();
    let body = match report::list::listing(&rpt, inv.regex.as_ref().ok_or("no regexp")?) {
        Ok(functions) => {
            let total = [format!("Total: {}", rpt.format_value(rpt.total))];
            format!(
                "<style>{}</style>{}",
                report::weblist::LISTING_STYLE,
                report::weblist::body(&rpt, &total, &functions)
            )
        }
        Err(e) => format!("<pre>{}</pre>", xml_escape(&e)),
    };
    Ok((legend, body))
}

/// `/ui/peek`: callers and callees of the lines matching `f` (which also
/// focuses, as in pprof).
fn peek_view(
    v: &mut View,
    cfg: &Config,
    q: &HashMap<String, String>,
    s: &Settings,
) -> Result<(Vec<String>, String), String> {
    let re = q
        .get(view_regexp_param())
        .cloned()
        .unwrap_or_else(|| ".".into());
    let mut c = cfg.clone();
    c.granularity = crate::report::Granularity::Lines;
    let (inv, mut rpt) = view_report("peek", &c, Some(&re), v)?;
    let legend = rpt.profile_labels();
    let text = engine::produce(&inv, &mut rpt, &s.render)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|e| e);
    Ok((legend, format!("<pre>{}</pre>", xml_escape(&text))))
}

/// What a request asks for.
enum Answer {
    /// A page or a file: content type and body.
    Body(&'static str, Vec<u8>),
    /// Elsewhere: the status and the location, with the query kept.
    Redirect(u16, String),
    /// No such path.
    NotFound,
}

/// A response: status, content type, body, and where a redirect goes.
type Response = (u16, &'static str, Vec<u8>, Option<String>);

/// Serves one request, with pprof's URL layout: `/` and `/ui` lead to
/// `/ui/`, whose landing view is the flame graph.
fn respond(url: &str, prof: &Profile, s: &Settings) -> Response {
    let (path, raw_query) = url.split_once('?').unwrap_or((url, ""));
    let with_query = |to: &str| {
        if raw_query.is_empty() {
            to.to_string()
        } else {
            format!("{to}?{raw_query}")
        }
    };
    let redirect = match path {
        "/" => Some((307, "/ui")),
        "/ui" => Some((301, "/ui/")),
        "/ui/" => Some((301, "/ui/flamegraph")),
        _ => None,
    };
    if let Some((status, to)) = redirect {
        return respond_with(Answer::Redirect(status, with_query(to)));
    }
    let q = query(url);
    let html = "text/html; charset=utf-8";
    let result = (|| -> Result<Answer, String> {
        let cfg = config_for(&s.report, &q)?;
        let v = &mut View {
            prof,
            notes: Vec::new(),
        };
        let (view, (legend, body)) = match path {
            "/ui/graph" => ("graph", graph_view(v, &cfg, s)?),
            "/ui/top" => ("top", top_view(v, &cfg)?),
            "/ui/flamegraph" => ("flame graph", flame_view(v, &cfg)?),
            "/ui/source" => ("source", source_view(v, &cfg, &q)?),
            "/ui/peek" => ("peek", peek_view(v, &cfg, &q, s)?),
            "/favicon.ico" => {
                return Ok(Answer::Body("image/svg+xml", FAVICON.as_bytes().to_vec()))
            }
            "/download" => {
                return Ok(Answer::Body(
                    "application/octet-stream",
                    crate::profile::encode::encode(prof),
                ))
            }
            _ => return Ok(Answer::NotFound),
        };
        // Links to the other views carry the settings (pprof's makeURL),
        // but the source view's regex is not a focus.
        let mut link_cfg = cfg.clone();
        if view == "source" {
            link_cfg.focus.clone_from(&s.report.focus);
        }
        let params = options::url_params(&link_cfg, &s.report);
        let notes: String = v
            .notes
            .iter()
            .map(|n| format!("<div class=\"note\">{}</div>", xml_escape(n)))
            .collect();
        let body = format!("{notes}{body}");
        Ok(Answer::Body(
            html,
            page(view, path, prof, &cfg, &params, &legend, &body).into_bytes(),
        ))
    })();
    match result {
        Ok(answer) => respond_with(answer),
        Err(e) => (
            400,
            "text/plain; charset=utf-8",
            format!("{e}\n").into_bytes(),
            None,
        ),
    }
}

fn respond_with(answer: Answer) -> Response {
    let text = "text/plain; charset=utf-8";
    match answer {
        Answer::Body(ct, body) => (200, ct, body, None),
        Answer::Redirect(status, to) => (status, text, Vec::new(), Some(to)),
        Answer::NotFound => (404, text, b"404 page not found\n".to_vec(), None),
    }
}

/// Serves the UI until the process is stopped.
pub fn serve(prof: Profile, s: &Settings, spec: &str, open_browser: bool) -> Result<(), String> {
    let addr = listen_address(spec);
    let server = tiny_http::Server::http(&addr).map_err(|e| format!("listening on {addr}: {e}"))?;
    let url = format!("http://{addr}");
    eprintln!("Serving web UI on {url}");
    if open_browser {
        let browser = std::env::var("BROWSER").unwrap_or_else(|_| "xdg-open".into());
        let _ = std::process::Command::new(browser)
            .arg(&url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
    // Requests are answered by one worker per core, so a slow view (a
    // large graph) does not hold up the others.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Ok(req) = server.recv() {
                    answer(req, &prof, s);
                }
            });
        }
    });
    Ok(())
}

/// Answers one request.
fn answer(req: tiny_http::Request, prof: &Profile, s: &Settings) {
    let (status, ct, body, location) = respond(req.url(), prof, s);
    let mut resp = tiny_http::Response::from_data(body).with_status_code(status);
    if let Ok(h) = tiny_http::Header::from_bytes(&b"Content-Type"[..], ct.as_bytes()) {
        resp = resp.with_header(h);
    }
    if let Some(to) = location {
        if let Ok(h) = tiny_http::Header::from_bytes(&b"Location"[..], to.as_bytes()) {
            resp = resp.with_header(h);
        }
    }
    let _ = req.respond(resp);
}
