//! The `leaktriage` command line: help, JSON report, exit codes, golden output on the demo.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leaktriage"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run leaktriage")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn help_documents_usage_and_exit_codes() {
    let o = cli(&["--help"]);
    assert!(o.status.success());
    let s = stdout(&o);
    for want in [
        "USAGE:",
        "--json",
        "--context",
        "EXIT CODES:",
        "3  some inputs could not be read",
    ] {
        assert!(s.contains(want), "help lacks {want:?}:\n{s}");
    }
}

#[test]
fn version_prints_the_crate_version() {
    assert_eq!(
        stdout(&cli(&["--version"])).trim(),
        format!("leaktriage {}", env!("CARGO_PKG_VERSION"))
    );
}

/// The JSON report on the demo incident is the golden file (`UPDATE_GOLDEN=1` rewrites it).
#[test]
fn json_report_on_the_demo_matches_the_golden_file() {
    let o = cli(&["--json", "--no-time", "public/demo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&got).expect("valid JSON");
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["evidence"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        v["evidence"][0]["name"], "demo/ci-build.log",
        "directory input is read in name order"
    );
    assert!(
        v.get("generated_at").is_none(),
        "--no-time leaves the report undated"
    );
    golden("demo-report.json", &got);
}

#[test]
fn summary_lists_each_file_with_its_hash() {
    let o = cli(&[
        "--now",
        "2026-11-23T10:00:00Z",
        "public/demo/prod.env",
        "public/demo/git-log-p.txt",
    ]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(s.contains("generated at 2026-11-23T10:00:00Z"), "{s}");
    assert!(s.contains("public/demo/prod.env"));
    assert!(s.contains("kind: .env file"));
    assert!(s.contains("kind: git log -p"));
    let sha = leaktriage::secret::hex(&sha2_of(&root().join("public/demo/prod.env")));
    assert!(s.contains(&format!("sha256:{sha}")), "{s}");
}

fn sha2_of(p: &Path) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    Sha256::digest(std::fs::read(p).unwrap()).to_vec()
}

#[test]
fn an_unreadable_input_exits_3_and_the_rest_is_reported() {
    let o = cli(&[
        "--json",
        "--no-time",
        "public/demo/prod.env",
        "does/not/exist.csv",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read does/not/exist.csv"));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["evidence"].as_array().map(Vec::len), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(cli(&["--bogus", "x"]).status.code(), Some(2));
    assert_eq!(cli(&[]).status.code(), Some(2));
    assert_eq!(cli(&["--now", "yesterday", "x"]).status.code(), Some(2));
}

#[test]
fn out_writes_the_same_json_the_page_would_export() {
    let dir = std::env::temp_dir().join(format!("leaktriage-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("r.json");
    let o = cli(&[
        "--no-time",
        "-o",
        out.to_str().unwrap(),
        "public/demo/ci-build.log",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["evidence"][0]["kind"], "text");
    std::fs::remove_dir_all(&dir).ok();
}

/// `--answers FILE` gives the same scope as the engine given the same answers in its context
/// (the page's worker path: `Context::answers`).
#[test]
fn answers_file_gives_the_same_scope_as_the_engine() {
    let dir = std::env::temp_dir().join(format!("leaktriage-answers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let answers = r#"{ "agent": "yes", "agent_tools": ["database"], "personal_data": "yes", "people": 4000,
        "spend_limit": "yes", "spend_limit_usd": 500 }"#;
    let file = dir.join("answers.json");
    std::fs::write(&file, answers).unwrap();
    let o = cli(&[
        "--json",
        "--no-time",
        "--answers",
        file.to_str().unwrap(),
        "public/demo",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();

    let mut inputs = Vec::new();
    for name in leaktriage::demo::NAMES {
        let bytes = std::fs::read(root().join("public/demo").join(name)).unwrap();
        inputs.push(leaktriage::Input::new(format!("demo/{name}"), bytes));
    }
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    let ctx = leaktriage::Context {
        answers: serde_json::from_str(answers).unwrap(),
        ..leaktriage::Context::default()
    };
    let want = serde_json::to_value(leaktriage::triage(&inputs, &ctx).scope).unwrap();
    assert_eq!(got["scope"], want);
    assert_eq!(got["scope"]["personal_data"]["reachable"], "yes");
    assert_eq!(got["scope"]["data_exposure"]["level"], "critical");
    let agent = got["scope"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "agent")
        .unwrap();
    assert_eq!(agent["source"], "answer");
    // Without the answers, personal data is not known.
    let o = cli(&["--json", "--no-time", "public/demo"]);
    let base: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(base["scope"]["personal_data"]["reachable"], "unknown");
    // The summary has a blast-radius section.
    let o = cli(&[
        "--no-time",
        "--answers",
        file.to_str().unwrap(),
        "public/demo",
    ]);
    let s = stdout(&o);
    assert!(
        s.contains("Blast radius:")
            && s.contains("personal data reachable: yes (about 4000 people)"),
        "{s}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_answers_file_is_a_usage_error_naming_the_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("leaktriage-bad-answers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.json");
    std::fs::write(
        &file,
        "{\n  \"agent\": \"yes\",\n  \"agent_tools\": [\"teleport\"]\n}\n",
    )
    .unwrap();
    let o = cli(&["--answers", file.to_str().unwrap(), "public/demo"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.json") && err.contains("teleport") && err.contains("line 3 column"),
        "{err}"
    );
    let o = cli(&["--answers", "does/not/exist.json", "public/demo"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does/not/exist.json"));
    std::fs::remove_dir_all(&dir).ok();
}

/// Compares `got` with the golden file `name` (`UPDATE_GOLDEN=1` rewrites it).
fn golden(name: &str, got: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "{name} differs from {}; rerun with UPDATE_GOLDEN=1 if intended",
        path.display()
    );
}

/// Every export of the demo incident under the committed context is its golden file: JSON,
/// Markdown, CSV of IOCs and SARIF, written by one CLI run.
#[test]
fn every_export_of_the_demo_matches_its_golden_file() {
    let dir = std::env::temp_dir().join(format!("leaktriage-exports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (json, md, csv, sarif) = (
        dir.join("r.json"),
        dir.join("r.md"),
        dir.join("iocs.csv"),
        dir.join("r.sarif"),
    );
    let o = cli(&[
        "--context",
        "tests/fixtures/demo-context.json",
        "-o",
        json.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
        "--iocs-csv",
        csv.to_str().unwrap(),
        "--sarif",
        sarif.to_str().unwrap(),
        "public/demo",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    let (json, md, csv, sarif) = (read(&json), read(&md), read(&csv), read(&sarif));
    std::fs::remove_dir_all(&dir).ok();

    // What the context decides shows in the exports.
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["generated_at"], "2026-11-20T15:00:00Z");
    assert_eq!(v["notifications"]["picked_by"], "responder");
    let drafts: Vec<&str> = v["notifications"]["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(drafts, ["gdpr_art33", "nis2", "br_lgpd"]);
    assert!(md.contains("| nis2.early\\_warning |"), "deadline row");
    assert!(
        md.contains("- [x] `p0.channel`"),
        "responder's checklist state"
    );
    assert!(csv.starts_with("kind,value,rows,first_seen,last_seen,source,note,evidence\r\n"));
    let s: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(s["version"], "2.1.0");

    golden("demo-context-report.json", &json);
    golden("demo-report.md", &md);
    golden("demo-iocs.csv", &csv);
    golden("demo.sarif", &sarif);
}

/// The text summary leads with the headline, the deadlines and the checklist's progress.
#[test]
fn summary_shows_deadlines_from_the_context() {
    let o = cli(&[
        "--context",
        "tests/fixtures/demo-context.json",
        "public/demo",
    ]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(s.contains("\nSummary: Abuse confirmed"), "{s}");
    assert!(
        s.contains("  gdpr_art33.authority: due 2026-11-22T08:30:00Z (2026-11-22 09:30 UTC+01:00), 1 d 17 h 30 min left"),
        "{s}"
    );
    assert!(s.contains("nis2.early_warning: due 2026-11-20T08:30:00Z (2026-11-20 09:30 UTC+01:00), overdue by 6 h 30 min"), "{s}");
    assert!(
        s.contains("Checklist: 12 of 34 item(s) done, 1 n/a, 21 remaining"),
        "{s}"
    );
}

#[test]
fn a_bad_context_file_is_a_usage_error() {
    let dir = std::env::temp_dir().join(format!("leaktriage-badctx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("ctx.json");
    std::fs::write(&p, r#"{"checklist":{"p0.revoke":{"status":"maybe"}}}"#).unwrap();
    let o = cli(&["--context", p.to_str().unwrap(), "public/demo/prod.env"]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("maybe"));
}
