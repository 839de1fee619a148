//! The interactive shell driven through standard input, as a script
//! would: stdout and stderr identical to the oracle's shell on the same
//! script (golden/oracle-extra/shell), and a picture command with no file
//! writes a file of its own.

mod common;

use common::{bin, data_dir, root};
use std::io::Write;
use std::process::{Command, Stdio};

fn shell_in(dir: &std::path::Path, profile: &str, script: &[u8]) -> std::process::Output {
    let mut child = Command::new(bin())
        .args(["-i", profile])
        .current_dir(dir)
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(script).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out
}

#[test]
fn scripted_sessions_match_the_oracles_shell() {
    let dir = root().join("golden/oracle-extra/shell");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "script") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let base = name.trim_end_matches("-reports");
        let (folder, file) = base.split_once('-').unwrap();
        let profile = format!("profiles/{folder}/{file}.pb.gz");
        let out = shell_in(&data_dir(), &profile, &std::fs::read(&path).unwrap());
        let want = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            want("stderr"),
            "{name} stderr"
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            want("stdout"),
            "{name} stdout"
        );
        checked += 1;
    }
    assert!(checked >= 3, "{checked}");
}

#[test]
fn pictures_without_a_file_get_one_and_the_report_matches_its_flag() {
    let dir = std::env::temp_dir().join(format!("pprof-graph-shell-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = data_dir().join("profiles/leak/heap.t3.pb.gz");
    let p = profile.to_str().unwrap();
    let out = shell_in(&dir, p, b"svg\nflamegraph > f.svg\npng\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Generating report in profile001.svg\n"),
        "{err}"
    );
    assert!(err.contains("Generating report in f.svg\n"), "{err}");
    assert!(
        err.contains("Generating report in profile001.png\n"),
        "{err}"
    );
    let flag = |f: &str| {
        let o = Command::new(bin())
            .args([f, p])
            .env("TZ", "UTC")
            .output()
            .unwrap();
        o.stdout
    };
    assert_eq!(
        std::fs::read(dir.join("profile001.svg")).unwrap(),
        flag("-svg")
    );
    assert_eq!(
        std::fs::read(dir.join("f.svg")).unwrap(),
        flag("-flamegraph")
    );
    assert_eq!(
        &std::fs::read(dir.join("profile001.png")).unwrap()[..4],
        b"\x89PNG"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
