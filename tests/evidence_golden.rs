//! Golden files: every fixture under tests/fixtures/evidence/<format>/ is read and its
//! inventory row and normalised events compared with `<fixture>.expected.json` beside it.
//! A `<fixture>.context.json` beside a fixture is used as the context (column mappings).
//! `UPDATE_GOLDEN=1 cargo test --test evidence_golden` rewrites the expected files.

mod common;

use leaktriage::evidence::{read, Input};
use leaktriage::Context;
use std::path::{Path, PathBuf};

const ROOT: &str = "tests/fixtures/evidence";

fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![PathBuf::from(ROOT)];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("fixture dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                let n = p.file_name().unwrap().to_string_lossy();
                if !n.ends_with(".expected.json") && !n.ends_with(".context.json") {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

fn side(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The golden output of one fixture, as pretty JSON.
fn golden(p: &Path) -> String {
    let name = p
        .strip_prefix(ROOT)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let ctx_path = side(p, ".context.json");
    let ctx: Context = if ctx_path.exists() {
        serde_json::from_str(&std::fs::read_to_string(&ctx_path).unwrap()).unwrap()
    } else {
        Context::default()
    };
    let r = read(
        &Input::new(name, std::fs::read(p).unwrap()),
        &ctx.csv_mappings,
    );
    let v = serde_json::json!({ "evidence": r.file, "events": r.events });
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

#[test]
fn every_fixture_matches_its_golden_file() {
    let all = fixtures();
    assert!(!all.is_empty(), "no fixtures under {ROOT}");
    let failed: Vec<String> = all
        .iter()
        .filter_map(|p| common::check_golden(&side(p, ".expected.json"), &golden(p)).err())
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_fixture_is_read_as_its_folders_kind_with_records() {
    for p in fixtures() {
        let dir = p
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let g: serde_json::Value = serde_json::from_str(&golden(&p)).unwrap();
        let kind = g["evidence"]["kind"].as_str().unwrap().to_string();
        let fname = p.file_name().unwrap().to_string_lossy().to_string();
        // Fixtures named `empty*` or `bad*` may hold no records; the others must hold some.
        if !fname.starts_with("empty")
            && !fname.starts_with("header_only")
            && !fname.starts_with("no_")
        {
            assert!(
                g["evidence"]["records"].as_u64().unwrap() > 0,
                "{} read no records",
                p.display()
            );
        }
        assert_eq!(kind, dir, "{} sniffed as {kind}", p.display());
    }
}

#[test]
fn secret_scanning_alert_secrets_never_reach_the_output() {
    let dir = Path::new(ROOT).join("github_secret_alerts");
    let mut checked = 0;
    for p in fixtures().into_iter().filter(|p| p.starts_with(&dir)) {
        let text = std::fs::read_to_string(&p).unwrap();
        let out = golden(&p);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        for alert in v.as_array().unwrap() {
            let secret = alert["secret"].as_str().unwrap();
            assert!(!out.contains(secret), "{} leaks a secret", p.display());
            // Not even most of it.
            assert!(!out.contains(&secret[..secret.len() - 4]));
            checked += 1;
        }
    }
    assert!(checked > 0);
}
