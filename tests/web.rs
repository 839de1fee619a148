//! The web UI over HTTP: every endpoint, pprof's parameters, and the
//! default loopback binding.

mod common;

use common::{bin, data_dir};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the web UI on a free port and waits until it answers; a server
/// that could not bind (another test took the port) is started again.
fn start(args: &[&str]) -> Server {
    for _ in 0..5 {
        let port = free_port();
        let http = format!("-http=:{port}");
        let mut child = Command::new(bin())
            .arg(&http)
            .arg("--no-browser")
            .args(args)
            .current_dir(data_dir())
            .env("TZ", "UTC")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..600 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Server { child, port };
            }
            if child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("the web UI did not start");
}

/// The `Location` a redirect of `path` points at.
fn location(port: u16, path: &str) -> String {
    fetch(port, path)
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap_or_default()
        .to_string()
}

/// One request's raw response; a connection reset under load is tried
/// again.
fn fetch(port: u16, path: &str) -> String {
    let mut last = None;
    for _ in 0..5 {
        let attempt = (|| -> std::io::Result<Vec<u8>> {
            let mut s = TcpStream::connect(("127.0.0.1", port))?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            write!(
                s,
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            )?;
            let mut buf = Vec::new();
            s.read_to_end(&mut buf)?;
            Ok(buf)
        })();
        match attempt {
            Ok(buf) if !buf.is_empty() => return String::from_utf8_lossy(&buf).into_owned(),
            Ok(_) => last = Some("empty response".to_string()),
            Err(e) => last = Some(e.to_string()),
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("GET {path}: {}", last.unwrap_or_default());
}

fn get(port: u16, path: &str) -> (u16, String) {
    let text = fetch(port, path);
    let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

#[test]
fn every_view_answers() {
    let srv = start(&["profiles/leak/heap.t3.pb.gz"]);
    let p = srv.port;
    assert_eq!(get(p, "/").0, 307);
    assert_eq!(get(p, "/ui/").0, 301, "the landing view is the flame graph");
    assert_eq!(location(p, "/"), "/ui");
    assert_eq!(
        location(p, "/ui/?si=alloc_space"),
        "/ui/flamegraph?si=alloc_space"
    );
    let (st, graph) = get(p, "/ui/graph");
    assert_eq!(st, 200);
    assert!(graph.contains("class=\"node\"") && graph.contains("fmt.Sprintf"));
    assert!(graph.contains("Type: inuse_space"), "legend in the page");
    let (_, objects) = get(p, "/ui/graph?si=inuse_objects");
    assert!(objects.contains("Type: inuse_objects"));
    let (_, focused) = get(p, "/ui/graph?f=%5Emain%5C.%5C(%5C*Logger%5C)%5C.Debugf%24");
    assert!(
        focused.contains("focus=^main\\.\\(\\*Logger\\)\\.Debugf$"),
        "{focused}"
    );
    assert!(!focused.contains("io.ReadAll"));
    let (st, top) = get(p, "/ui/top");
    assert_eq!(st, 200);
    assert!(top.contains("<table id=\"top\">") && top.contains("<td>fmt.Sprintf</td>"));
    let (st, flame) = get(p, "/ui/flamegraph?g=files");
    assert_eq!(st, 200);
    assert!(
        flame.contains("<div id=\"flame\">")
            && flame.contains("\"n\":\"example.com/leak/main.go\"")
    );
    for menu in ["VIEW", "SAMPLE", "REFINE", "CONFIG", "DOWNLOAD"] {
        assert!(
            top.contains(&format!("<button>{menu}</button>")),
            "{menu} menu"
        );
    }
    assert!(top.contains("placeholder=\"Search regexp\""));
    let (st, source) = get(p, "/ui/source?f=handleSubmit");
    assert_eq!(st, 200);
    assert!(source.contains("<h2>main.(*Server).handleSubmit</h2>"));
    let (st, peek) = get(p, "/ui/peek?f=Debugf");
    assert_eq!(st, 200);
    assert!(
        peek.contains("calls calls% + context"),
        "pprof's peek table"
    );
    assert!(peek.contains("main.(*Logger).Debugf") && !peek.contains("io.ReadAll"));
    let (st, profile) = get(p, "/download");
    assert_eq!(st, 200);
    assert!(!profile.is_empty());
    assert_eq!(get(p, "/ui/graph?g=bogus").0, 400);
    let (st, none) = get(p, "/ui/top?f=NoSuchFunction");
    assert_eq!(st, 200);
    assert!(
        none.contains("<div class=\"note\">Focus expression matched no samples</div>"),
        "an empty view says why"
    );
    let (st, icon) = get(p, "/favicon.ico");
    assert_eq!(st, 200);
    assert!(icon.starts_with("<svg") && top.contains("rel=\"icon\""));
    // Several requests at once are all answered.
    let views = [
        "/ui/graph",
        "/ui/top",
        "/ui/flamegraph",
        "/ui/peek?f=Debugf",
    ];
    let answers: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = views
            .iter()
            .map(|v| scope.spawn(move || get(p, v).0))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(answers, vec![200; 4]);
    assert_eq!(get(p, "/nothing").0, 404);
}

#[test]
fn diff_base_shows_growth() {
    let srv = start(&[
        "-diff_base=profiles/leak/heap.t1.pb.gz",
        "profiles/leak/heap.t3.pb.gz",
    ]);
    let (st, graph) = get(srv.port, "/ui/graph");
    assert_eq!(st, 200);
    assert!(
        graph.contains("277.90% of 21845.63kB total"),
        "diff percentages"
    );
}

#[test]
fn the_graph_view_uses_the_chosen_renderer() {
    let dir = std::env::temp_dir().join(format!("pprof-graph-fake-dot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("dot");
    common::write_script(
        &fake,
        "#!/bin/sh\ncat >/dev/null\necho '<svg xmlns=\"http://www.w3.org/2000/svg\"><g id=\"drawn-by-fake-dot\"/></svg>'\n",
    );
    let dot_path = format!("--dot-path={}", fake.display());
    let srv = start(&[
        "--renderer=graphviz",
        &dot_path,
        "profiles/leak/heap.t3.pb.gz",
    ]);
    let (st, graph) = get(srv.port, "/ui/graph");
    assert_eq!(st, 200, "{graph}");
    assert!(graph.contains("drawn-by-fake-dot"), "{graph}");
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn port_only_binds_loopback() {
    assert_eq!(pprof_graph::web::listen_address(":8080"), "127.0.0.1:8080");
    assert_eq!(pprof_graph::web::listen_address("0.0.0.0:9"), "0.0.0.0:9");
    assert_eq!(
        pprof_graph::web::listen_address("localhost"),
        "localhost:8080"
    );
}

/// Drives the UI in headless Chromium (Debian's `chromium`, with
/// `playwright-core` from `tests/e2e`): menus, search, selection and
/// refine, tag boxes, panning, saved configurations, the flame graph and
/// notes. Skipped with a reason when either is missing.
#[test]
fn the_ui_works_in_a_browser() {
    if let Some(why) = common::browser_missing() {
        eprintln!("skipping the browser test: {why}");
        return;
    }
    let srv = start(&["profiles/leak/heap.t3.pb.gz"]);
    let diff = start(&[
        "-diff_base=profiles/leak/heap.t0.pb.gz",
        "profiles/leak/heap.t3.pb.gz",
    ]);
    let text = common::run_browser_script(
        "ui.js",
        &[
            &format!("http://127.0.0.1:{}", srv.port),
            &format!("http://127.0.0.1:{}", diff.port),
        ],
    );
    let has = |fragment: &str| assert!(text.contains(fragment), "{fragment} not in {text}");
    let number = |key: &str| -> usize {
        text.split(&format!("\"{key}\":"))
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{key} in {text}"))
    };
    // The search box highlights in place.
    has("\"searchHilite\":1,\"searchMatches\":\"1 matched\"");
    // A tag box is not a function: a click on it selects nothing.
    assert!(number("tagBoxes") > 0);
    has("\"tagClickSelected\":0,\"tagClickSearch\":\"\"");
    // A drag that starts on a node pans and selects nothing.
    has("\"dragPanned\":true,\"dragSelected\":0");
    // A click selects; REFINE > Focus applies the selection.
    has("\"clickSelected\":1");
    has("\"selectionRegex\":\"^main\\\\.\\\\(\\\\*Logger\\\\)\\\\.Debugf$\"");
    has("/ui/graph?f=%5Emain%5C.%5C%28%5C*Logger%5C%29%5C.Debugf%24");
    has("focus=^main\\\\.\\\\(\\\\*Logger\\\\)\\\\.Debugf$");
    assert!(number("focusedNodes") < number("graphNodes"), "{text}");
    has(&format!(
        "\"resetUrl\":\"http://127.0.0.1:{}/ui/graph\"",
        srv.port
    ));
    // SAMPLE and CONFIG.
    has("\"sampleUrl\":\"http://127.0.0.1:");
    has("/ui/graph?si=alloc_space\"");
    has("\"savedConfigs\":[\"allocs");
    has("/ui/top?si=alloc_space\"");
    // Top rows select and refine.
    has("\"rowSelected\":1");
    has("/ui/top?i=%5Efmt%5C.Sprintf%24\",\"ignoredRowGone\":true");
    // Sorting, and the source of the selection.
    has("\"cumFirst\":\"net/http.(*conn).serve\"");
    has("/ui/source?f=%5Emain%5C.%5C%28%5C*Logger%5C%29%5C.Debugf%24\",\"sourceRoutines\":1");
    // The flame graph fills the window, zooms and searches without a prompt.
    has("\"flameFills\":true,\"zoomWidens\":true");
    assert!(number("flameHilite") > 0, "{text}");
    has("\"dialogs\":0");
    // The diff flame graph shows the change, visibly.
    assert!(number("diffBars") > 10, "{text}");
    has("\"diffRoot\":\"all (3.78MB → 80.62MB)\"");
    has("\"note\":[\"Focus expression matched no samples\"]");
}
