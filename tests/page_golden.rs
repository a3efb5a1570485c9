//! The page's Markdown and JSON exports of the demo, after the responder gave the awareness time
//! and picked a regime, equal what the CLI makes from the same files and the same context
//! (tests/fixtures/page-context.json, checked against the page by e2e/run.js).
//! `UPDATE_GOLDEN=1` rewrites the golden files.

use std::path::PathBuf;
use std::process::Command;

const DEMO: [&str; 5] = [
    "openai-usage-export.csv",
    "cloudtrail-bedrock.json.gz",
    "git-log-p.txt",
    "prod.env",
    "ci-build.log",
];

#[test]
fn the_cli_makes_the_pages_markdown_and_json_from_the_same_inputs() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("leaktriage-page-golden-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let (md, json) = (out.join("r.md"), out.join("r.json"));
    let o = Command::new(env!("CARGO_BIN_EXE_leaktriage"))
        .current_dir(root.join("public/demo"))
        .args(["--now", "2026-11-20T15:00:00Z", "--context"])
        .arg(root.join("tests/fixtures/page-context.json"))
        .arg("--markdown")
        .arg(&md)
        .arg("-o")
        .arg(&json)
        .args(DEMO)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (got, golden) in [(&md, "page-report.md"), (&json, "page-report.json")] {
        let got = std::fs::read_to_string(got).unwrap();
        let golden = root.join("tests/golden").join(golden);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, &got).unwrap();
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        assert!(
            got == want,
            "{} differs; UPDATE_GOLDEN=1 if intended",
            golden.display()
        );
    }
    std::fs::remove_dir_all(&out).ok();
}
