//! The `leaktriage` command line: help, JSON report, exit codes, golden output on the demo.

mod common;

use common::{cli, demo_dir_inputs, golden, root, stderr, stdout};
use std::path::Path;

#[test]
fn help_documents_usage_and_exit_codes() {
    let o = cli(&["--help"]);
    assert!(o.status.success());
    let s = stdout(&o);
    for want in [
        "Usage: leaktriage [OPTIONS] [FILE|DIR]...",
        "--json",
        "--context <FILE>",
        "WHERE THE CONTEXT COMES FROM",
        "EXIT CODES:",
        "0  the evidence was analysed",
        "2  usage error",
        "3  some inputs could not be read",
    ] {
        assert!(s.contains(want), "help lacks {want:?}:\n{s}");
    }
    // Each option once (the hand-written help listed --context twice).
    for opt in [
        "--context <FILE>",
        "--session <FILE>",
        "--now <TIME>",
        "--rules <FILE>",
        "--json ",
    ] {
        assert_eq!(s.matches(opt).count(), 1, "{opt} in:\n{s}");
    }
    assert_eq!(stdout(&cli(&["-h"])).matches("--context <FILE>").count(), 1);
}

#[test]
fn options_take_their_value_after_an_equals_sign_too() {
    let dir = common::scratch("equals");
    let out = dir.join("r.json");
    let o = cli(&[
        "--no-time",
        &format!("--out={}", out.display()),
        "--now=2026-11-20T15:00:00Z",
        "public/demo/prod.env",
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["evidence"][0]["name"], "public/demo/prod.env");
    assert!(v.get("generated_at").is_none(), "--no-time wins over --now");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_triage_command_is_the_plain_form_and_rules_lists_the_catalog() {
    let plain = cli(&["--json", "--no-time", "public/demo/prod.env"]);
    let named = cli(&["triage", "--json", "--no-time", "public/demo/prod.env"]);
    assert!(named.status.success());
    assert_eq!(stdout(&plain), stdout(&named));
    let rules = cli(&["rules"]);
    assert!(rules.status.success());
    let listed = stdout(&rules);
    assert_eq!(
        listed.lines().count(),
        leaktriage::scan::rules::catalog().len()
    );
    assert!(
        listed.starts_with("openai-project-key\tOpenAI\t"),
        "{listed}"
    );
    // After a file, a command's name is a file name again.
    let o = cli(&["--no-time", "public/demo/prod.env", "rules"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(common::stderr(&o).contains("cannot read rules"));
    // After an option of the plain form too.
    assert_eq!(cli(&["--json", "rules"]).status.code(), Some(3));
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
    assert_eq!(cli(&["--out"]).status.code(), Some(2));
    assert_eq!(cli(&["triage"]).status.code(), Some(2));
    let o = cli(&["--now=yesterday", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::stderr(&o).contains("--now"),
        "{}",
        common::stderr(&o)
    );
}

/// The object (anywhere in `v`) whose `id` is `id` and which has the key `has`.
fn find<'v>(v: &'v serde_json::Value, id: &str, has: &str) -> Option<&'v serde_json::Value> {
    match v {
        serde_json::Value::Object(m)
            if m.get("id").is_some_and(|x| x == id) && m.contains_key(has) =>
        {
            Some(v)
        }
        serde_json::Value::Object(m) => m.values().find_map(|x| find(x, id, has)),
        serde_json::Value::Array(a) => a.iter().find_map(|x| find(x, id, has)),
        _ => None,
    }
}

/// Where the context comes from, lowest to highest: the session file, the context file, the
/// flags. Each level wins over the one below whatever the order of the arguments, and a
/// context file changes only the fields it names.
#[test]
fn the_context_comes_from_session_then_context_file_then_flags_in_any_order() {
    let dir = common::scratch("precedence");
    let inputs = [leaktriage::Input::new(
        "public/demo/prod.env",
        std::fs::read(root().join("public/demo/prod.env")).unwrap(),
    )];
    let mut saved = leaktriage::Context {
        awareness: Some("2026-11-18T06:00:00Z".parse().unwrap()),
        regimes: vec!["nis2".into()],
        checklist: serde_json::from_str(r#"{"p0.revoke":{"status":"done"}}"#).unwrap(),
        ..leaktriage::Context::default()
    };
    let report = leaktriage::triage(&inputs, &saved);
    let mut session = leaktriage::session::Session::new(&report, &saved, Some(&inputs));
    // A session saved by the page has no time; one written by hand may.
    saved.now = Some("2026-01-01T00:00:00Z".parse().unwrap());
    session.context.now = saved.now;
    let session_path = dir.join("session.json");
    std::fs::write(&session_path, session.to_json()).unwrap();
    let context_path = dir.join("context.json");
    std::fs::write(
        &context_path,
        r#"{ "now": "2026-02-02T00:00:00Z", "regimes": ["br_lgpd"] }"#,
    )
    .unwrap();
    let (s, c) = (
        session_path.to_str().unwrap(),
        context_path.to_str().unwrap(),
    );
    let run = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend(args);
        let o = cli(&all);
        assert!(o.status.success(), "{args:?}: {}", common::stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let drafts = |v: &serde_json::Value| -> Vec<String> {
        v["notifications"]["drafts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    };

    // The session alone: its context, its time included.
    let v = run(&["--session", s]);
    assert_eq!(v["generated_at"], "2026-01-01T00:00:00Z");
    assert_eq!(drafts(&v), ["nis2"]);

    // The context file over the session, in either order; what it does not name stays.
    for args in [
        ["--session", s, "--context", c],
        ["--context", c, "--session", s],
    ] {
        let v = run(&args);
        assert_eq!(v["generated_at"], "2026-02-02T00:00:00Z", "{args:?}");
        assert_eq!(drafts(&v), ["br_lgpd"], "{args:?}");
        assert_eq!(
            find(&v, "awareness", "at").unwrap()["at"],
            "2026-11-18T06:00:00Z",
            "{args:?}: the session's awareness time stays"
        );
        let item = find(&v, "p0.revoke", "status_from").unwrap();
        assert_eq!(
            item["status"], "done",
            "{args:?}: the session's checklist stays"
        );
    }

    // The flag over both, wherever it stands.
    let now = "--now=2026-03-03T00:00:00Z";
    for args in [
        [now, "--session", s, "--context", c],
        ["--session", s, now, "--context", c],
        ["--context", c, "--session", s, now],
    ] {
        let v = run(&args);
        assert_eq!(v["generated_at"], "2026-03-03T00:00:00Z", "{args:?}");
        assert_eq!(drafts(&v), ["br_lgpd"], "{args:?}");
    }
    // The flag over the context file alone, before or after it.
    for args in [
        [now, "--context", c, "public/demo/prod.env"],
        ["--context", c, now, "public/demo/prod.env"],
    ] {
        assert_eq!(
            run(&args)["generated_at"],
            "2026-03-03T00:00:00Z",
            "{args:?}"
        );
    }
    // --no-time clears the time any level gave.
    assert!(run(&["--context", c, "--session", s, "--no-time"])
        .get("generated_at")
        .is_none());
    // A null in the context file clears what the session gave.
    std::fs::write(&context_path, r#"{ "awareness": null }"#).unwrap();
    let v = run(&["--context", c, "--session", s]);
    assert!(
        find(&v, "awareness", "at").is_none_or(|a| a["at"] != "2026-11-18T06:00:00Z"),
        "the context file's null clears the session's awareness time"
    );
    std::fs::remove_dir_all(&dir).ok();
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

    let inputs = demo_dir_inputs();
    let ctx = leaktriage::Context {
        answers: serde_json::from_str(answers).unwrap(),
        fingerprint_key: Some(common::fingerprint_key()),
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

/// Regression: `leaktriage --json ... | head` panicked on the closed pipe.
#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    let mut child = common::leaktriage_command()
        .args(["--json", "--no-time", "public/demo"])
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(o.stderr.is_empty(), "{}", common::stderr(&o));
}

/// `--answers FILE` (a flag) wins over the answers of a `--context` file, before or after it.
#[test]
fn the_answers_flag_wins_over_the_context_files_answers_in_any_order() {
    let dir = common::scratch("answers-precedence");
    let (ctx, answers) = (dir.join("ctx.json"), dir.join("answers.json"));
    std::fs::write(&ctx, r#"{ "answers": { "agent": "no" } }"#).unwrap();
    std::fs::write(&answers, r#"{ "agent": "yes" }"#).unwrap();
    let (c, a) = (ctx.to_str().unwrap(), answers.to_str().unwrap());
    let agent = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["--json", "--no-time"];
        all.extend(args);
        all.push("public/demo/prod.env");
        let o = cli(&all);
        assert!(o.status.success(), "{}", common::stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        find(&v["scope"], "agent", "value").unwrap()["value"].clone()
    };
    assert_eq!(agent(&["--context", c]), "no");
    assert_eq!(agent(&["--context", c, "--answers", a]), "yes");
    assert_eq!(agent(&["--answers", a, "--context", c]), "yes");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_context_value_out_of_range_is_a_usage_error_naming_it() {
    let dir = common::scratch("range");
    let ctx = dir.join("ctx.json");
    std::fs::write(&ctx, r#"{"detect_params":{"trailing_days":4294967295}}"#).unwrap();
    let o = cli(&["--context", ctx.to_str().unwrap(), "public/demo"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("detect_params.trailing_days is 4294967295; the accepted range is 1 to 366"),
        "{e}"
    );
}

#[test]
fn messages_to_standard_error_are_terminal_safe_and_gated() {
    // A path no one can read, with a terminal escape and a fake key of a real shape in it.
    let mut rng = leaktriage::scan::fake::Rng::new(11);
    let key = leaktriage::scan::fake::generate("sk-ant-api03-{b64u:93}AA", &mut rng).secret;
    let name = format!("/nonexistent/\u{1b}]0;owned\u{7}{key}.log");
    let o = cli(&[&name, "--bogus-after"]);
    let o2 = cli(&[&name]);
    for out in [stderr(&o), stderr(&o2)] {
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(!out.contains(&key), "{out:?}");
    }
    assert!(stderr(&o2).contains("\\x1b"), "{:?}", stderr(&o2));
}

/// `--hunts DIR` writes one file per hunt (the query alone) and an index; for the demo they are
/// the golden files in tests/golden/hunts/.
#[test]
fn hunts_are_written_one_file_each_with_an_index() {
    let dir = std::env::temp_dir().join(format!("leaktriage-hunts-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let o = cli(&[
        "--context",
        "tests/fixtures/demo-context.json",
        "--hunts",
        dir.to_str().unwrap(),
        "public/demo",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let names = file_names(&dir);
    assert!(names.contains(&"README.txt".to_string()), "{names:?}");
    assert!(
        names.contains(&"athena.key_activity.sql".to_string()),
        "{names:?}"
    );
    goldens(&dir, &names, "hunts");
}

/// The names of the files in `dir`, sorted.
fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Each file in `dir` against its golden file under `tests/golden/<under>/`; then `dir` goes.
fn goldens(dir: &std::path::Path, names: &[String], under: &str) {
    for n in names {
        let text = std::fs::read_to_string(dir.join(n)).unwrap();
        golden(&format!("{under}/{n}"), &text);
    }
    std::fs::remove_dir_all(dir).ok();
}

/// Azure OpenAI and Vertex AI evidence (public samples) get the KQL and BigQuery hunts; their
/// files are the golden files in tests/golden/hunts-cloud/.
#[test]
fn hunts_for_azure_and_gcp_evidence_are_kql_and_bigquery() {
    let dir = std::env::temp_dir().join(format!("leaktriage-hunts-cloud-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let o = cli(&[
        "--hunts",
        dir.to_str().unwrap(),
        "tests/fixtures/real/azure-openai-resource-log/elastic-request-response.log",
        "tests/fixtures/real/gcp-audit-log/elastic-vertexai-auditlogs.log",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let names = file_names(&dir);
    for want in [
        "kql.azure_openai_requests.kql",
        "kql.azure_key_reads.kql",
        "bigquery.key_activity.sql",
    ] {
        assert!(
            names.contains(&want.to_string()),
            "{want} missing from {names:?}"
        );
    }
    goldens(&dir, &names, "hunts-cloud");
}
