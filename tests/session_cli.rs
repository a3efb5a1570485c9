//! `leaktriage --session`: the page's session file read by the command line.

mod common;

use common::{cli, demo_inputs, scratch};
use leaktriage::session::{EvidenceRef, Session};
use leaktriage::{triage, Context, Input};
use std::path::PathBuf;

fn tmp(name: &str) -> PathBuf {
    scratch("session").join(name)
}

/// The report as the command line makes it from its own session: every file matched.
fn intact(report: leaktriage::Report) -> leaktriage::Report {
    let refs: Vec<EvidenceRef> = report.evidence.iter().map(EvidenceRef::of).collect();
    let c = leaktriage::session::check(&refs, &refs);
    assert!(c.intact);
    report.with_custody(c)
}

fn context() -> Context {
    let t = |s: &str| Some(s.parse().unwrap());
    Context {
        awareness: t("2026-11-19T09:30:00Z"),
        compromise_start: t("2026-11-16T00:00:00Z"),
        // A session saved by the page carries its own key, which wins over the user's.
        fingerprint_key: Some(leaktriage::secret::FingerprintKey::from_bytes([9; 32])),
        ..Context::default()
    }
}

#[test]
fn a_session_with_its_files_gives_the_report_it_was_saved_from() {
    let inputs = demo_inputs();
    let report = triage(&inputs, &context());
    let path = tmp("with-files.json");
    std::fs::write(
        &path,
        Session::new(&report, &context(), Some(&inputs)).to_json(),
    )
    .unwrap();
    let o = cli(&["--json", "--no-time", "--session", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let intact = intact(report);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim_end(),
        intact.to_json(),
        "the session's context and files make the same report, with its custody intact"
    );
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_session_without_files_takes_them_from_the_command_line_and_names_differences() {
    let inputs: Vec<Input> = ["public/demo/prod.env", "public/demo/ci-build.log"]
        .iter()
        .map(|p| Input::new(*p, std::fs::read(p).unwrap()))
        .collect();
    let report = triage(&inputs, &context());
    let path = tmp("no-files.json");
    std::fs::write(&path, Session::new(&report, &context(), None).to_json()).unwrap();
    let s = path.to_str().unwrap();
    let o = cli(&[
        "--json",
        "--no-time",
        "--session",
        s,
        "public/demo/prod.env",
        "public/demo/ci-build.log",
    ]);
    assert!(o.status.success());
    let report = intact(report);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim_end(),
        report.to_json()
    );
    assert!(report.to_json().contains("\"intact\": true"));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // One file left out: the responder is told which.
    let o = cli(&[
        "--json",
        "--no-time",
        "--session",
        s,
        "public/demo/prod.env",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("session: public/demo/ci-build.log (SHA-256 ")
            && err.contains("was not given"),
        "{err}"
    );
    assert_eq!(
        o.status.code(),
        Some(4),
        "a missing file breaks the custody"
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["custody"]["intact"], false);
    assert_eq!(
        json["custody"]["missing"][0]["name"],
        "public/demo/ci-build.log"
    );
    assert!(json["summary"]["custody"]
        .as_str()
        .unwrap()
        .starts_with("Evidence differs from the session: 1 of 2 file(s) match; public/demo/ci-build.log was not given"));
    // No file at all and none embedded: a usage error.
    assert_eq!(cli(&["--session", s]).status.code(), Some(2));
}

#[test]
fn a_damaged_session_is_a_usage_error_with_a_plain_message() {
    let path = tmp("damaged.json");
    std::fs::write(&path, "{\"leaktriage_session\": 1, \"tool\": ").unwrap();
    let o = cli(&["--session", path.to_str().unwrap(), "public/demo/prod.env"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not a session file: it is not JSON"), "{err}");
}

#[test]
fn evidence_that_differs_from_the_session_is_in_the_report_and_exits_4() {
    let dir = scratch("session-custody");
    let env = dir.join("prod.env");
    let log = dir.join("ci-build.log");
    std::fs::write(&env, std::fs::read("public/demo/prod.env").unwrap()).unwrap();
    std::fs::write(&log, std::fs::read("public/demo/ci-build.log").unwrap()).unwrap();
    let inputs: Vec<Input> = [&env, &log]
        .iter()
        .map(|p| Input::new(p.to_str().unwrap(), std::fs::read(p).unwrap()))
        .collect();
    let report = triage(&inputs, &context());
    let path = dir.join("session.json");
    std::fs::write(&path, Session::new(&report, &context(), None).to_json()).unwrap();
    let (s, e, l) = (
        path.to_str().unwrap(),
        env.to_str().unwrap(),
        log.to_str().unwrap(),
    );
    // The same files: intact, exit 0, and the text says so.
    let o = cli(&["--no-time", "--session", s, e, l]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Chain of custody: all 2 file(s) of the session match"),
        "{text}"
    );
    // The log tampered with after the session was saved: exit 4, named in every output.
    std::fs::write(&log, b"tampered\n").unwrap();
    let md = dir.join("report.md");
    let o = cli(&[
        "--no-time",
        "--session",
        s,
        e,
        l,
        "--markdown",
        md.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(4));
    let text = String::from_utf8_lossy(&o.stdout);
    let want_sha = &report.evidence[1].sha256;
    for out in [text.to_string(), std::fs::read_to_string(&md).unwrap()] {
        assert!(
            out.contains("Evidence differs from the session: 1 of 2 file(s) match"),
            "{out}"
        );
        assert!(out.contains(want_sha.as_str()), "{out}");
        assert!(out.contains("ci-build.log differs"), "{out}");
    }
    let o = cli(&["--json", "--no-time", "--session", s, e, l]);
    assert_eq!(o.status.code(), Some(4));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &json["custody"]["different"][0];
    assert_eq!(d["expected"]["sha256"], want_sha.as_str());
    assert_eq!(d["got"]["name"], l);
    assert_eq!(json["custody"]["matched"], 1);
    // A renamed copy of the log is found by its fingerprint, whatever its name.
    let copy = dir.join("renamed.log");
    std::fs::write(&copy, std::fs::read("public/demo/ci-build.log").unwrap()).unwrap();
    let o = cli(&[
        "--json",
        "--no-time",
        "--session",
        s,
        e,
        copy.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["custody"]["intact"], true);
    assert!(json["summary"].get("custody").is_none());
}

#[test]
fn the_help_documents_exit_code_4() {
    let o = cli(&["--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(
        help.contains("4  the evidence does not match the session"),
        "{help}"
    );
}
