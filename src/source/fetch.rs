//! Profiles fetched over HTTP (`pprof-graph -top http://host:6060/debug/pprof/heap`):
//! a timeout, a size cap, `seconds=N` for CPU profiles, and the fetched
//! bytes optionally kept (`--save`).

use std::io::Read;
use std::time::Duration;

/// How to fetch.
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// Longest time the whole request may take.
    pub timeout: Duration,
    /// `-seconds`: the profiling duration to ask for.
    pub seconds: Option<u64>,
    /// Refuse bodies larger than this.
    pub max_bytes: u64,
}

/// Whether `source` names a URL rather than a file.
pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// `url` with `seconds=N` added to its query.
pub fn with_seconds(url: &str, seconds: Option<u64>) -> String {
    match seconds {
        None => url.to_string(),
        Some(s) => {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}seconds={s}")
        }
    }
}

/// Fetches the body at `url`; errors are one line without the URL.
pub fn fetch(url: &str, o: &FetchOptions) -> Result<Vec<u8>, String> {
    let url = with_seconds(url, o.seconds);
    let timeout = o.timeout + Duration::from_secs(o.seconds.unwrap_or(0));
    let agent = ureq::AgentBuilder::new().timeout(timeout).build();
    let resp = match agent.get(&url).call() {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            return Err(format!("server response: {code} {}", r.status_text()))
        }
        Err(ureq::Error::Transport(t)) => return Err(describe(&t, &url)),
    };
    let mut body = Vec::new();
    resp.into_reader()
        .take(o.max_bytes.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::TimedOut
                || e.kind() == std::io::ErrorKind::WouldBlock
            {
                format!("Get {url:?}: context deadline exceeded (Client.Timeout or context cancellation while reading body)")
            } else {
                format!("Get {url:?}: {e}")
            }
        })?;
    if body.len() as u64 > o.max_bytes {
        return Err(format!(
            "fetching profile: response larger than {} bytes (raise --max-decompressed-size)",
            o.max_bytes
        ));
    }
    Ok(body)
}

/// A transport failure in the words of Go's HTTP client, which pprof
/// prints (`Get "URL": dial tcp HOST:PORT: connect: connection refused`).
fn describe(t: &ureq::Transport, url: &str) -> String {
    let text = t.to_string();
    let lower = text.to_lowercase();
    if lower.contains("connection refused") {
        format!(
            "Get {url:?}: dial tcp {}: connect: connection refused",
            host_port(url)
        )
    } else if lower.contains("timed out")
        || lower.contains("timeout")
        || lower.contains("would block")
    {
        format!(
            "Get {url:?}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
        )
    } else if lower.contains("unknown scheme")
        || lower.contains("https") && !cfg!(feature = "https")
    {
        format!("Get {url:?}: https:// needs a build with the `https` feature")
    } else {
        format!(
            "Get {url:?}: {}",
            text.lines().next().unwrap_or("request failed")
        )
    }
}

/// The `host:port` a URL dials (port 80 or 443 by default).
fn host_port(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
    {
        authority.to_string()
    } else {
        let port = if scheme == "https" { 443 } else { 80 };
        format!("{authority}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_go_into_the_query() {
        assert_eq!(with_seconds("http://h/p", Some(5)), "http://h/p?seconds=5");
        assert_eq!(
            with_seconds("http://h/p?x=1", Some(5)),
            "http://h/p?x=1&seconds=5"
        );
        assert_eq!(with_seconds("http://h/p", None), "http://h/p");
        assert!(is_url("http://x") && !is_url("x.pb.gz"));
    }
}
