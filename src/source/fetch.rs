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
            return Err(format!(
                "fetching profile: server returned HTTP {code} {}",
                r.status_text()
            ))
        }
        Err(ureq::Error::Transport(t)) => {
            return Err(format!("fetching profile: {}", describe(&t, timeout)))
        }
    };
    let mut body = Vec::new();
    resp.into_reader()
        .take(o.max_bytes.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::TimedOut
                || e.kind() == std::io::ErrorKind::WouldBlock
            {
                format!("fetching profile: timed out after {}s", timeout.as_secs())
            } else {
                format!("fetching profile: {e}")
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

fn describe(t: &ureq::Transport, timeout: Duration) -> String {
    let text = t.to_string();
    let lower = text.to_lowercase();
    if lower.contains("connection refused") {
        "connection refused".to_string()
    } else if lower.contains("timed out")
        || lower.contains("timeout")
        || lower.contains("would block")
    {
        format!("timed out after {}s", timeout.as_secs())
    } else if lower.contains("unknown scheme")
        || lower.contains("https") && !cfg!(feature = "https")
    {
        "https:// needs a build with the `https` feature".to_string()
    } else {
        text.lines().next().unwrap_or("request failed").to_string()
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
