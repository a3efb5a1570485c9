//! A responder's gitleaks config through the CLI's `--rules`: its rules find fake secrets of
//! their shapes (values generated here), its allowlists drop what they allow, and the rules it
//! cannot use are problems naming the file and the rule. Dropping the file among the evidence
//! does the same as `--rules`.

use leaktriage::scan::fake::{generate, Rng};
use serde_json::Value;
use std::path::{Path, PathBuf};
mod common;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/rules/gitleaks.toml"
);

struct Evidence {
    dir: PathBuf,
    kept: Vec<(&'static str, String)>,
    dropped: Vec<String>,
}

fn evidence(tag: &str) -> Evidence {
    let dir = std::env::temp_dir().join(format!("leaktriage-rules-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("fixtures")).unwrap();
    let mut rng = Rng::new(11);
    let acme = generate("acme_{an:36}", &mut rng).secret;
    let widget = generate("{lowan:32}", &mut rng).secret;
    let session = generate("corpsess-{hex:24}", &mut rng).secret;
    let in_fixtures = generate("acme_{an:36}", &mut rng).secret;
    let stopword = generate("acme_staging{an:29}", &mut rng).secret;
    let global_regex = generate("acme_ci{an:34}", &mut rng).secret;
    let example_line = generate("{lowan:32}", &mut rng).secret;
    std::fs::write(
        dir.join("app.env"),
        format!(
            "ACME_TOKEN={acme}\nwidget_client_secret = \"{widget}\"\nACME_OTHER={stopword}\n\
             ACME_CI={global_regex}\n# example: widget = \"{example_line}\"\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("server.log"),
        format!("2026-03-02T10:15:22Z INFO login ok session={session} user=42\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("fixtures/keys.env"),
        format!("ACME_TOKEN={in_fixtures}\n"),
    )
    .unwrap();
    Evidence {
        dir,
        kept: vec![
            ("acme-api-token", acme),
            ("widget-secret", widget),
            ("corp-session", session),
        ],
        dropped: vec![in_fixtures, stopword, global_regex, example_line],
    }
}

fn run(args: &[&str], paths: &[&Path]) -> (std::process::Output, Option<Value>) {
    let out = common::leaktriage_command()
        .args(["--no-time", "--json"])
        .args(args)
        .args(paths)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).ok();
    (out, json)
}

#[test]
fn gitleaks_rules_find_their_secrets_and_bad_rules_are_problems() {
    let ev = evidence("cli");
    let sarif = ev.dir.join("out.sarif");
    let (out, report) = run(
        &["--rules", FIXTURE, "--sarif", sarif.to_str().unwrap()],
        &[&ev.dir],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = report.expect("JSON report");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for (_, v) in &ev.kept {
        assert!(!stdout.contains(v.as_str()), "a value was printed whole");
    }

    // Findings: the rule ids as given, described as custom, from the rules file.
    let secrets = report["scan"]["secrets"].as_array().unwrap();
    let mut got: Vec<(String, String)> = secrets
        .iter()
        .map(|s| {
            assert_eq!(s["provider"], "custom");
            assert_eq!(s["kind"], "custom");
            assert_eq!(s["rules_file"].as_str(), Some(FIXTURE));
            (
                s["rule_id"].as_str().unwrap().to_string(),
                s["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = ev
        .kept
        .iter()
        .map(|(id, v)| (id.to_string(), common::fingerprint(v.as_str())))
        .collect();
    want.sort();
    assert_eq!(got, want);
    for v in &ev.dropped {
        assert!(!stdout.contains(&common::fingerprint(v.as_str())));
    }
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert!(results
        .iter()
        .all(|r| r["properties"]["rulesFile"] == FIXTURE));
    let totals = &report["scan"]["totals"];
    assert_eq!(totals["dropped"]["allowlisted"], 4, "{totals}");
    let catalog = leaktriage::scan::rules::catalog().len() as u64;
    assert_eq!(totals["rules"], catalog + 3);

    // The rules file: in the inventory as rules, not scanned, its problems by rule.
    let file = report["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == FIXTURE)
        .expect("the rules file is listed");
    assert_eq!(file["kind"], "rules");
    assert_eq!(file["records"], 3);
    let problems: Vec<&str> = file["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert!(problems.iter().all(|p| !p.is_empty()));
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("[extend] useDefault")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p
            .starts_with("rule `lookahead-token`: its regex does not compile here")
            && p.contains("look-around")
            && p.ends_with("rule skipped")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("rule `keystore-file`: it matches file paths only")),
        "{problems:?}"
    );
    assert_eq!(file["problem_count"], problems.len());
    let rf = &report["scan"]["rule_files"][0];
    assert_eq!(
        (
            rf["format"].as_str(),
            rf["rules"].as_u64(),
            rf["skipped"].as_u64()
        ),
        (Some("gitleaks"), Some(3), Some(2))
    );
}

#[test]
fn dropping_the_rules_file_among_the_evidence_is_the_same_as_rules() {
    let ev = evidence("drop");
    let (a, with_flag) = run(&["--rules", FIXTURE], &[&ev.dir]);
    let (b, dropped) = run(&[], &[Path::new(FIXTURE), &ev.dir]);
    assert!(a.status.success() && b.status.success());
    let (with_flag, dropped) = (with_flag.unwrap(), dropped.unwrap());
    assert_eq!(with_flag["scan"], dropped["scan"]);
    assert_eq!(dropped["scan"]["secrets"].as_array().map(Vec::len), Some(3));
}

#[test]
fn rules_must_name_a_rules_file() {
    let ev = evidence("bad");
    let (out, _) = run(
        &["--rules", ev.dir.join("app.env").to_str().unwrap()],
        &[&ev.dir],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a rules file"));
}
