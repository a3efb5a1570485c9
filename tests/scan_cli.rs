//! The CLI's scan flags: findings in the summary, `--sarif`, `--known-key-file`, `--ignore-file`;
//! no value printed whole anywhere.

mod common;

use common::{cli, scratch};
use leaktriage::scan::fake::{generate, Rng};

#[test]
fn cli_prints_findings_and_writes_sarif_without_values() {
    let dir = scratch("scan-cli");
    let mut rng = Rng::new(5);
    let key = generate("sk-ant-api03-{b64u:93}AA", &mut rng).secret;
    let gh = generate("ghp_{an:30}{crc}", &mut rng).secret;
    let env = dir.join("app.env");
    std::fs::write(
        &env,
        format!("ANTHROPIC_API_KEY={key}\nGITHUB_TOKEN={gh}\n"),
    )
    .unwrap();
    let known = dir.join("known.txt");
    std::fs::write(
        &known,
        format!("{}...{}\n", &key[..16], &key[key.len() - 4..]),
    )
    .unwrap();
    let ignore = dir.join("ignore.txt");
    std::fs::write(
        &ignore,
        format!("{}  # test token\n", common::fingerprint(gh.as_str())),
    )
    .unwrap();
    let sarif = dir.join("out.sarif");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let (known, ignore, sarif_path, env) = (path(&known), path(&ignore), path(&sarif), path(&env));
    let out = cli(&[
        "--no-time",
        "--known-key-file",
        &known,
        "--ignore-file",
        &ignore,
        "--sarif",
        &sarif_path,
        &env,
    ]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let sarif_text = std::fs::read_to_string(&sarif).unwrap();
    for text in [&*stdout, &*stderr, &sarif_text] {
        assert!(
            !text.contains(&key) && !text.contains(&gh),
            "a value was printed whole"
        );
    }
    assert!(stdout.contains("Anthropic"), "{stdout}");
    assert!(stdout.contains("structure valid"));
    assert!(stdout.contains("matches the known key"));
    assert!(stdout.contains("Known key"));
    assert!(stdout.contains("1 ignored"));
    assert!(!stdout.contains("GitHub"));
    let v: serde_json::Value = serde_json::from_str(&sarif_text).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"].as_array().map(|a| a.len()), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}
