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

#[test]
fn cli_shows_an_oauth_client_as_one_finding_with_its_id_whole() {
    let dir = scratch("scan-cli-oauth");
    let mut rng = Rng::new(6);
    let f = common::fakes_of(
        &[
            "google-oauth-client-id",
            "google-oauth-client-secret",
            "azure-ad-client-id",
            "azure-ad-client-secret",
            "github-oauth-client-id",
        ],
        &mut rng,
    );
    let (google, gocspx, app, pw, lone) = (&f[0], &f[1], &f[2], &f[3], &f[4]);
    let env = dir.join("clients.env");
    std::fs::write(
        &env,
        format!(
            "GOOGLE_CLIENT_ID={google}\nGOOGLE_CLIENT_SECRET={gocspx}\n\nAZURE_CLIENT_ID={app}\nAZURE_CLIENT_SECRET={pw}\n"
        ),
    )
    .unwrap();
    // A client id alone (a sign-in page's script) is no finding.
    let page = dir.join("login.js");
    std::fs::write(&page, format!("const GITHUB_CLIENT_ID = '{lone}';\n")).unwrap();
    let sarif = dir.join("out.sarif");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let (sarif_path, env, page) = (path(&sarif), path(&env), path(&page));
    let out = cli(&["--no-time", "--sarif", &sarif_path, &env, &page]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let sarif_text = std::fs::read_to_string(&sarif).unwrap();
    for text in [&*stdout, &sarif_text] {
        assert!(
            !text.contains(gocspx.as_str()) && !text.contains(pw.as_str()),
            "a secret was printed whole"
        );
    }
    let google_shown = leaktriage::secret::redact(gocspx);
    assert!(
        stdout.contains(&format!("{google} (identifier) + {google_shown}")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{app} (identifier) + {}",
            leaktriage::secret::redact(pw)
        )),
        "{stdout}"
    );
    assert!(stdout.contains("OAuth client (client id and secret)"));
    assert!(
        !stdout.contains(lone.as_str()),
        "a lone client id is no finding"
    );
    let v: serde_json::Value = serde_json::from_str(&sarif_text).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "one result per client: {results:?}");
    let related = results
        .iter()
        .find(|r| r["ruleId"] == "google-oauth-client-secret")
        .map(|r| r["relatedLocations"][0]["message"]["text"].clone());
    assert_eq!(
        related,
        Some(serde_json::json!(format!(
            "client id (identifier): {google}"
        )))
    );
    let _ = std::fs::remove_dir_all(&dir);
}
