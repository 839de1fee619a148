//! The graphviz backend: our DOT piped through `dot -Tsvg`, with a timeout.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Default longest time `dot` may run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `dot -Tsvg` on `dot_text`; returns its SVG.
pub fn run_dot(dot_text: &str, path: &str, timeout: Duration) -> Result<String, String> {
    let mut child = Command::new(path)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!("graphviz `dot` not found at {path:?}: install graphviz, pass --dot-path, or use the embedded renderer (--renderer embedded)")
            } else {
                format!("running {path}: {e}")
            }
        })?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = dot_text.as_bytes().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let mut stderr = child.stderr.take().expect("piped stderr");
    let err_reader = std::thread::spawn(move || {
        let mut buf = String::new();
        let _ = stderr.read_to_string(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{path} did not finish within {}s (raise --dot-timeout or use the embedded renderer)",
                    timeout.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for {path}: {e}")),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if !status.success() {
        let first = err.lines().next().unwrap_or("no message");
        return Err(format!("{path} failed: {first}"));
    }
    String::from_utf8(out).map_err(|_| format!("{path} printed an SVG that is not UTF-8"))
}
