//! The page's Markdown and JSON exports of the demo, after the responder gave the awareness time
//! and picked a regime, equal what the CLI makes from the same files and the same context
//! (tests/fixtures/page-context.json, checked against the page by e2e/run.js).
//! `UPDATE_GOLDEN=1` rewrites the golden files.

mod common;

use common::{cli_in, golden, root, scratch};

const DEMO: [&str; 5] = [
    "openai-usage-export.csv",
    "cloudtrail-bedrock.json.gz",
    "git-log-p.txt",
    "prod.env",
    "ci-build.log",
];

#[test]
fn the_cli_makes_the_pages_markdown_and_json_from_the_same_inputs() {
    let out = scratch("page-golden");
    let (md, json) = (out.join("r.md"), out.join("r.json"));
    let context = root().join("tests/fixtures/page-context.json");
    let mut args = vec![
        "--now",
        "2026-11-20T15:00:00Z",
        "--context",
        context.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
        "-o",
        json.to_str().unwrap(),
    ];
    args.extend(DEMO);
    let o = cli_in(&root().join("public/demo"), &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (got, name) in [(&md, "page-report.md"), (&json, "page-report.json")] {
        golden(name, &std::fs::read_to_string(got).unwrap());
    }
    std::fs::remove_dir_all(&out).ok();
}
