//! `-proto` writes a profile that reads back to the same reports, and
//! `-topproto` writes the same profile as the oracle's (compared as
//! `-raw` text, since gzip bytes may differ).

mod common;

use common::{data_dir, root, run_in};

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "pprof-graph-proto-{name}-{}.pb.gz",
        std::process::id()
    ))
}

fn stdout(args: &[&str]) -> String {
    let out = run_in(&data_dir(), args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn proto_output_reads_back_to_the_same_reports() {
    for profile in [
        "profiles/leak/heap.t3.pb.gz",
        "profiles/leak-modern/cpu.pb.gz",
        "profiles/upstream/java.heap",
        "profiles/fixtures/heap.pb.gz",
        "profiles/leak/heap.http.debug1.txt",
        "profiles/extra/columns.pb.gz",
    ] {
        let out = temp("rt");
        let written = run_in(
            &data_dir(),
            &["-proto", "-o", out.to_str().unwrap(), profile],
        );
        assert!(written.status.success(), "{profile}");
        for report in [["-top"], ["-dot"], ["-traces"]] {
            // A numeric label of 0 without a unit does not survive
            // profile.proto (pprof's reader drops it too): the legacy
            // heap's `bytes: 0` lines are lost on the way.
            if report == ["-traces"] && profile.ends_with("debug1.txt") {
                continue;
            }
            let mut direct = report.to_vec();
            direct.push(profile);
            let mut again = report.to_vec();
            again.push(out.to_str().unwrap());
            assert_eq!(stdout(&again), stdout(&direct), "{profile} {report:?}");
        }
        let _ = std::fs::remove_file(&out);
    }
}

#[test]
fn topproto_matches_the_oracles() {
    let out = temp("top");
    let p = "profiles/leak/heap.t3.pb.gz";
    let written = run_in(&data_dir(), &["-topproto", "-o", out.to_str().unwrap(), p]);
    assert!(written.status.success());
    let oracle = root().join("golden/oracle-extra/topproto-leak-heap.t3.pb.gz");
    let ours = stdout(&["-raw", out.to_str().unwrap()]);
    assert!(
        ours.contains("cum/kB flat/kB") || ours.contains("cum/MB flat/MB"),
        "{ours}"
    );
    assert_eq!(ours, stdout(&["-raw", oracle.to_str().unwrap()]));
    let _ = std::fs::remove_file(&out);
}

#[test]
fn binary_reports_stay_off_the_terminal_and_out_of_pipes_only_when_asked() {
    // On a pipe, -proto writes the gzip bytes.
    let out = run_in(&data_dir(), &["-proto", "profiles/fixtures/p1.pb.gz"]);
    assert!(out.status.success());
    assert_eq!(&out.stdout[..2], b"\x1f\x8b");
}
