//! `leaktriage --session`: the page's session file read by the command line.

mod common;

use common::{cli, demo_inputs, scratch};
use leaktriage::session::Session;
use leaktriage::{triage, Context, Input};
use std::path::PathBuf;

fn tmp(name: &str) -> PathBuf {
    scratch("session").join(name)
}

fn context() -> Context {
    let t = |s: &str| Some(s.parse().unwrap());
    Context {
        awareness: t("2026-11-19T09:30:00Z"),
        compromise_start: t("2026-11-16T00:00:00Z"),
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
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim_end(),
        report.to_json(),
        "the session's context and files make the same report"
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
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim_end(),
        report.to_json()
    );
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
