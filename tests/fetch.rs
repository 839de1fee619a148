//! Profiles fetched over HTTP from a small server on 127.0.0.1 run by the
//! test: success, `seconds=N`, `--save`, and one-line failures for a
//! refused connection, a 404, a timeout and a body that is not a profile.

mod common;

use common::{data_dir, run_in};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

/// Serves a few canned responses; handles at most `max` connections.
fn serve(max: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let profile = std::fs::read(data_dir().join("profiles/fixtures/p1.pb.gz")).unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(max) {
            let Ok(mut stream) = stream else { continue };
            let profile = profile.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                let _ = reader.read_line(&mut request);
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (status, body): (&str, Vec<u8>) = match path.as_str() {
                    "/debug/pprof/profile?seconds=2" | "/debug/pprof/heap" => ("200 OK", profile),
                    "/text" => ("200 OK", b"this is not a profile\n".to_vec()),
                    "/slow" => {
                        std::thread::sleep(Duration::from_secs(3));
                        ("200 OK", profile)
                    }
                    _ => ("404 Not Found", b"404 page not found\n".to_vec()),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            });
        }
    });
    port
}

#[test]
fn fetches_a_profile_over_http() {
    let port = serve(10);
    let url = format!("http://127.0.0.1:{port}/debug/pprof/heap");
    let out = run_in(&data_dir(), &["-top", &url]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = std::fs::read(common::root().join("golden/fixture-p1-top.txt")).unwrap();
    assert_eq!(out.stdout, want);

    let saved =
        std::env::temp_dir().join(format!("pprof-graph-saved-{}.pb.gz", std::process::id()));
    let cpu = format!("http://127.0.0.1:{port}/debug/pprof/profile");
    let out = run_in(
        &data_dir(),
        &[
            "-top",
            "-seconds",
            "2",
            "--save",
            saved.to_str().unwrap(),
            &cpu,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let original = std::fs::read(data_dir().join("profiles/fixtures/p1.pb.gz")).unwrap();
    assert_eq!(std::fs::read(&saved).unwrap(), original);
    let _ = std::fs::remove_file(&saved);
}

/// What pprof prints when `url` fails with `what`.
fn pprof_failure(url: &str, what: &str) -> String {
    format!("Fetching profile over HTTP from {url}\n{url}: {what}\nfailed to fetch any source profiles\n")
}

#[test]
fn fetch_failures_are_named_as_pprof_names_them() {
    let port = serve(10);
    let base = format!("http://127.0.0.1:{port}");
    let stderr = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();

    let missing = format!("{base}/nothing");
    let out = run_in(&data_dir(), &["-top", &missing]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        pprof_failure(&missing, "server response: 404 Not Found")
    );

    let text = format!("{base}/text");
    let out = run_in(&data_dir(), &["-top", &text]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        pprof_failure(&text, "parsing profile: unrecognized profile format")
    );

    let slow = format!("{base}/slow");
    let out = run_in(&data_dir(), &["-top", "--timeout", "1", &slow]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("{slow}: Get {slow:?}: context deadline exceeded")),
        "{}",
        stderr(&out)
    );

    let refused_port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let refused = format!("http://127.0.0.1:{refused_port}/debug/pprof/heap");
    let out = run_in(&data_dir(), &["-top", &refused]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        pprof_failure(
            &refused,
            &format!(
                "Get {refused:?}: dial tcp 127.0.0.1:{refused_port}: connect: connection refused"
            )
        )
    );
}
