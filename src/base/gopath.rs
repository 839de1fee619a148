//! Go's slash-separated path rules (`filepath.Base`, `filepath.Clean`)
//! and pprof's `trimPath`.

/// `filepath.Base`: the last element of a slash-separated path.
pub fn base_name(path: &str) -> &str {
    let p = path.trim_end_matches('/');
    if p.is_empty() {
        return if path.is_empty() { "." } else { "/" };
    }
    match p.rfind('/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

/// Go's `filepath.Clean` for slash-separated paths.
pub fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// `trimPath`: strips `-trim_path` prefixes (or, failing that, the part up
/// to a `-source_path` entry's base name) from a file name.
pub fn trim_path(path: &str, trim_path: &str, search_path: &str) -> String {
    const SEP: char = '/';
    if path.is_empty() {
        return String::new();
    }
    let sp = search_path;
    if trim_path.is_empty() {
        for dir in sp.split(':').filter(|_| !sp.is_empty()) {
            let key = format!("{SEP}{}{SEP}", base_name(dir));
            if let Some(i) = path.find(&key) {
                return path[i + key.len()..].to_string();
            }
        }
    }
    let mut prefixes: Vec<String> = trim_path
        .split(':')
        .filter(|_| !trim_path.is_empty())
        .map(str::to_string)
        .collect();
    prefixes.push("/proc/self/cwd/./".to_string());
    prefixes.push("/proc/self/cwd/".to_string());
    for mut p in prefixes {
        if !p.ends_with(SEP) {
            p.push(SEP);
        }
        if let Some(rest) = path.strip_prefix(&p) {
            return rest.to_string();
        }
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_clean_like_go() {
        assert_eq!(clean_path("/a/b/../c/./d//"), "/a/c/d");
        assert_eq!(clean_path("a/../../b"), "../b");
        assert_eq!(clean_path(""), ".");
        assert_eq!(base_name("/usr/bin/prog"), "prog");
        assert_eq!(base_name("prog"), "prog");
    }

    #[test]
    fn trim_path_rules() {
        assert_eq!(
            trim_path("/home/u/myprog/main.go", "/home/u", ""),
            "myprog/main.go"
        );
        assert_eq!(
            trim_path("/usr/lib/go/src/runtime/proc.go", "/home/u:/usr/lib", ""),
            "go/src/runtime/proc.go"
        );
        assert_eq!(
            trim_path("/home/u/myprog/main.go", "", "src/fixtures/myprog"),
            "main.go"
        );
        assert_eq!(trim_path("/proc/self/cwd/a.go", "", ""), "a.go");
        assert_eq!(
            trim_path("example.com/leak/main.go", "example.com", "src"),
            "leak/main.go"
        );
    }
}
