//! History attribution, exposure window, decoding, allow comments, ignore list, known keys,
//! imports and exports, end to end through `triage`.

use leaktriage::report::export::sarif::to_sarif;
use leaktriage::scan::base64::encode as b64_encode;
use leaktriage::scan::fake::{generate, Rng};
use leaktriage::scan::known_key::KnownKey;
use leaktriage::scan::structure::Structure;
use leaktriage::secret::Secret;
use leaktriage::{triage, Context, Input};

struct Keys {
    openai: String,
    github: String,
    anthropic: String,
    pem: String,
    groq: String,
    /// On a line marked `leaktriage:allow`.
    ours_allowed: String,
    sa_text: String,
    sa_secret: String,
}

fn keys() -> Keys {
    let mut rng = Rng::new(42);
    Keys {
        openai: generate("sk-proj-{b64u:74}T3BlbkFJ{b64u:74}", &mut rng).secret,
        github: generate("ghp_{an:30}{crc}", &mut rng).secret,
        anthropic: generate("sk-ant-api03-{b64u:93}AA", &mut rng).secret,
        pem: generate("@pem", &mut rng).secret,
        groq: generate("gsk_{an:20}WGdyb3FY{an:24}", &mut rng).secret,
        ours_allowed: generate("gsk_{an:20}WGdyb3FY{an:24}", &mut Rng::new(7)).secret,
        sa_text: String::new(),
        sa_secret: String::new(),
    }
    .with_sa(&mut rng)
}

impl Keys {
    fn with_sa(mut self, rng: &mut Rng) -> Self {
        let f = generate("@sa_json", rng);
        self.sa_text = f.text;
        self.sa_secret = f.secret;
        self
    }
}

fn log(k: &Keys) -> String {
    let pem_added: String = k.pem.lines().map(|l| format!("+{l}\n")).collect();
    let pem_lines = k.pem.lines().count();
    let b64 = b64_encode(k.anthropic.as_bytes());
    let sa_added: String = k.sa_text.lines().map(|l| format!("+{l}\n")).collect();
    let sa_lines = k.sa_text.lines().count();
    format!(
        "commit 3333333333333333333333333333333333333333\n\
Author:     Cy <cy@example.com>\n\
AuthorDate: Sat Jan 3 09:00:00 2026 +0000\n\
Commit:     Cy <cy@example.com>\n\
CommitDate: Sat Jan 3 09:00:00 2026 +0000\n\
\n\
    tidy\n\
\n\
diff --git a/README.md b/README.md\n\
--- a/README.md\n\
+++ b/README.md\n\
@@ -1 +1 @@\n\
-# app\n\
+# App\n\
commit 2222222222222222222222222222222222222222\n\
Author:     Bob <bob@example.com>\n\
AuthorDate: Fri Jan 2 09:00:00 2026 +0000\n\
Commit:     Bob <bob@example.com>\n\
CommitDate: Fri Jan 2 09:30:00 2026 +0000\n\
\n\
    move key out of .env\n\
\n\
diff --git a/.env b/.env\n\
--- a/.env\n\
+++ b/.env\n\
@@ -1,3 +1,2 @@\n\
\x20PORT=8080\n\
-OPENAI_API_KEY={openai}\n\
\x20LOG=info\n\
diff --git a/config.yml b/config.yml\n\
--- a/config.yml\n\
+++ b/config.yml\n\
@@ -3,2 +3,5 @@ x\n\
\x20a: 1\n\
\x20b: 2\n\
+github_token: {github}\n\
+groq: {groq} # gitleaks:allow\n\
+groq_ci: {ours_allowed} # leaktriage:allow\n\
commit 1111111111111111111111111111111111111111\n\
Author:     Ann <ann@example.com>\n\
AuthorDate: Thu Jan 1 09:00:00 2026 +0000\n\
Commit:     Ann <ann@example.com>\n\
CommitDate: Thu Jan 1 09:00:00 2026 +0000\n\
\n\
    initial\n\
\n\
diff --git a/.env b/.env\n\
new file mode 100644\n\
--- /dev/null\n\
+++ b/.env\n\
@@ -0,0 +1,3 @@\n\
+PORT=8080\n\
+OPENAI_API_KEY={openai}\n\
+LOG=info\n\
diff --git a/deploy/key.pem b/deploy/key.pem\n\
new file mode 100644\n\
--- /dev/null\n\
+++ b/deploy/key.pem\n\
@@ -0,0 +1,{pem_lines} @@\n\
{pem_added}\
diff --git a/k8s/secret.yaml b/k8s/secret.yaml\n\
new file mode 100644\n\
--- /dev/null\n\
+++ b/k8s/secret.yaml\n\
@@ -0,0 +1,4 @@\n\
+apiVersion: v1\n\
+kind: Secret\n\
+data:\n\
+  ANTHROPIC_API_KEY: {b64}\n\
diff --git a/sa.json b/sa.json\n\
new file mode 100644\n\
--- /dev/null\n\
+++ b/sa.json\n\
@@ -0,0 +1,{sa_lines} @@\n\
{sa_added}",
        openai = k.openai,
        github = k.github,
        groq = k.groq,
        ours_allowed = k.ours_allowed,
    )
}

fn no_raw(text: &str, k: &Keys) {
    for raw in [&k.openai, &k.github, &k.anthropic, &k.groq] {
        assert!(
            !text.contains(raw.as_str()),
            "a raw secret was printed ({})",
            Secret::new(raw.as_str())
        );
    }
    assert!(
        !text.contains(k.pem.lines().nth(1).unwrap_or("-")),
        "PEM body printed"
    );
}

#[test]
fn history_is_attributed_and_linked() {
    let k = keys();
    let ctx = Context::default();
    let report = triage(&[Input::new("history.log", log(&k))], &ctx);
    let scan = &report.scan;
    assert_eq!(scan.totals.commits, 3);
    let by = |raw: &str| {
        scan.secrets
            .iter()
            .find(|s| s.fingerprint == Secret::new(raw).fingerprint(&Default::default()))
    };

    let openai = by(&k.openai).expect("openai key found");
    assert_eq!(openai.rule_id, "openai-project-key");
    assert_eq!(openai.structure, Structure::Valid);
    assert_eq!(openai.occurrence_count, 2);
    assert_eq!(
        openai.introduced.as_ref().map(|c| c.id.as_str()),
        Some("1111111111111111111111111111111111111111")
    );
    assert_eq!(
        openai.removed_in.as_ref().map(|c| c.id.as_str()),
        Some("2222222222222222222222222222222222222222")
    );
    assert_eq!(openai.still_present, Some(false));
    let added = openai
        .occurrences
        .iter()
        .find(|o| o.change == Some(leaktriage::scan::history::Change::Added))
        .unwrap();
    assert_eq!((added.path.as_deref(), added.line), (Some(".env"), 2));
    let commit = added.commit.as_ref().unwrap();
    assert_eq!(commit.email.as_deref(), Some("ann@example.com"));
    assert_eq!(commit.author_date.as_deref(), Some("2026-01-01T09:00:00Z"));
    assert_eq!(commit.commit_date.as_deref(), Some("2026-01-01T09:00:00Z"));
    let removed = openai
        .occurrences
        .iter()
        .find(|o| o.change == Some(leaktriage::scan::history::Change::Removed))
        .unwrap();
    assert_eq!(removed.line, 2);

    let gh = by(&k.github).expect("github token found");
    assert_eq!(gh.structure, Structure::Valid);
    assert_eq!(gh.still_present, Some(true));
    assert_eq!(gh.occurrences[0].line, 5);
    assert_eq!(
        gh.introduced.as_ref().map(|c| c.id.as_str()),
        Some("2222222222222222222222222222222222222222")
    );

    let pem = by(&k.pem).expect("PEM over added lines found");
    assert_eq!(pem.structure, Structure::Valid);
    assert_eq!(pem.occurrences[0].line, 1);

    let ant = by(&k.anthropic).expect("base64 anthropic key found");
    assert_eq!(ant.occurrences[0].encoding.as_deref(), Some("base64"));
    assert_eq!(ant.occurrences[0].line, 4);

    let sa = by(&k.sa_secret).expect("service-account JSON over added lines found");
    assert_eq!(sa.rule_id, "gcp-service-account");
    assert_eq!(sa.structure, Structure::Valid);
    assert_eq!(sa.occurrences[0].path.as_deref(), Some("sa.json"));

    // The scanned repository's own mark does not hide a key: reported, marked, low.
    let marked = by(&k.groq).expect("a key on a gitleaks:allow line is still reported");
    assert!(marked.marked_allowed);
    assert!(marked.occurrences.iter().all(|o| o.marked_allowed));
    assert_eq!(marked.confidence, leaktriage::scan::rules::Confidence::Low);
    assert!(!by(&k.github).expect("github").marked_allowed);
    // The responder's own mark is honoured.
    assert!(by(&k.ours_allowed).is_none(), "leaktriage:allow honoured");
    assert_eq!(scan.totals.dropped.allowed_inline, 1);

    no_raw(&report.to_json(), &k);
    no_raw(&format!("{report:?}"), &k);
    no_raw(&to_sarif(scan), &k);
    no_raw(&leaktriage::report::render_text(&report), &k);
    assert_eq!(openai.reveal(), Some(k.openai.as_str()));
}

#[test]
fn ignore_list_and_known_key() {
    let k = keys();
    let mut ctx = Context {
        ignore_fingerprints: vec![Secret::new(k.github.as_str()).fingerprint(&Default::default())],
        ..Context::default()
    };
    let mut changed = k.openai.clone().into_bytes();
    changed[40] = if changed[40] == b'Q' { b'R' } else { b'Q' };
    let changed = String::from_utf8(changed).unwrap();
    ctx.known_keys = vec![KnownKey::parse(&k.openai).unwrap()];
    let usage = format!("timestamp,key,model\n2026-01-05,{changed},gpt\n");
    let report = triage(
        &[
            Input::new("history.log", log(&k)),
            Input::new("usage.csv", usage),
        ],
        &ctx,
    );
    let scan = &report.scan;
    assert!(scan
        .secrets
        .iter()
        .all(|s| s.fingerprint != Secret::new(k.github.as_str()).fingerprint(&Default::default())));
    assert!(scan.totals.dropped.ignored >= 1);
    let kk = &scan.known_keys[0];
    assert!(kk
        .hits
        .iter()
        .any(|h| h.evidence == "history.log"
            && h.variant == leaktriage::scan::known_key::Variant::Exact));
    assert!(kk.hits.iter().any(|h| h.evidence == "usage.csv"
        && h.variant == leaktriage::scan::known_key::Variant::OneCharChanged
        && h.line == 2));
    assert!(scan.secrets.iter().any(|s| s.matches_known_key));
    let json = report.to_json();
    no_raw(&json, &k);
    assert!(!json.contains(&changed));
    // The context serialises without the known key.
    let cj = serde_json::to_string(&ctx).unwrap();
    assert!(!cj.contains(&k.openai) && !cj.contains("known_keys"));
}

#[test]
fn imports_join_by_fingerprint() {
    let k = keys();
    let gitleaks = serde_json::json!([{
        "RuleID": "github-pat", "Secret": k.github, "File": "config.yml", "StartLine": 5,
        "Commit": "2222222222222222222222222222222222222222", "Author": "Bob", "Email": "bob@example.com",
        "Date": "2026-01-02T09:00:00Z", "Fingerprint": "2222:config.yml:github-pat:5"
    }]);
    let th = serde_json::json!({
        "SourceMetadata": {"Data": {"Git": {"commit": "1111111111111111111111111111111111111111", "file": ".env", "email": "Ann <ann@example.com>", "line": 2, "timestamp": "2026-01-01 09:00:00 +0000"}}},
        "DetectorName": "OpenAI", "Verified": false, "Raw": k.openai, "Redacted": ""
    });
    let inputs = [
        Input::new("history.log", log(&k)),
        Input::new("gitleaks.json", gitleaks.to_string()),
        Input::new("trufflehog.json", format!("{th}\n")),
    ];
    let report = triage(&inputs, &Context::default());
    let scan = &report.scan;
    assert_eq!(scan.totals.imported, 2);
    let gh = scan
        .secrets
        .iter()
        .find(|s| s.fingerprint == Secret::new(k.github.as_str()).fingerprint(&Default::default()))
        .unwrap();
    assert_eq!(
        gh.sources,
        vec!["gitleaks".to_string(), "leaktriage".to_string()]
    );
    assert_eq!(gh.rule_id, "github-pat");
    let oa = scan
        .secrets
        .iter()
        .find(|s| s.fingerprint == Secret::new(k.openai.as_str()).fingerprint(&Default::default()))
        .unwrap();
    assert!(oa.sources.contains(&"trufflehog".to_string()));
    let sarif: serde_json::Value = serde_json::from_str(&to_sarif(scan)).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let n: u64 = scan
        .secrets
        .iter()
        .map(|s| s.occurrences.len() as u64)
        .sum();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len() as u64,
        n
    );
    no_raw(&report.to_json(), &k);
}

#[test]
fn plain_text_and_garbage_never_panic() {
    let mut rng = Rng::new(9);
    let mut inputs = Vec::new();
    for i in 0..50 {
        let n = rng.below(4000);
        let bytes: Vec<u8> = (0..n)
            .map(|_| match rng.below(6) {
                0 => b'\n',
                1 => b'+',
                2 => b'@',
                3 => b'-',
                _ => (rng.below(95) + 32) as u8,
            })
            .collect();
        let mut t = b"diff --git a/x b/x\n@@ -1,99 +1,99 @@\n".to_vec();
        t.extend(bytes);
        inputs.push(Input::new(format!("g{i}"), t));
    }
    inputs.push(Input::new(
        "trunc.log",
        "commit 1111111111111111111111111111111111111111\n@@ -x +y @@\n+sk-ant-api03-\n",
    ));
    let r = triage(&inputs, &Context::default());
    assert_eq!(r.evidence.len(), 51);
}

#[test]
fn plain_text_lines_and_encodings() {
    let k = keys();
    let hex: String = k.github.bytes().map(|b| format!("{b:02x}")).collect();
    let double =
        b64_encode(b64_encode(format!("ANTHROPIC_API_KEY={}", k.anthropic).as_bytes()).as_bytes());
    let pct = k.openai.replace('-', "%2D");
    let text = format!(
        "# config\nPORT=8080\nOPENAI_API_KEY={}\nGH_HEX={hex}\nNESTED={double}\nURL=https://x.example/?k={pct}\n",
        k.openai
    );
    let report = triage(&[Input::new("app.env", text)], &Context::default());
    let scan = &report.scan;
    let by = |raw: &str| {
        scan.secrets
            .iter()
            .find(|s| s.fingerprint == Secret::new(raw).fingerprint(&Default::default()))
    };
    let oa = by(&k.openai).expect("openai");
    assert_eq!(oa.still_present, Some(true));
    assert!(!oa.in_history);
    let lines: Vec<(u64, Option<&str>)> = oa
        .occurrences
        .iter()
        .map(|o| (o.line, o.encoding.as_deref()))
        .collect();
    assert!(lines.contains(&(3, None)), "{lines:?}");
    assert!(lines.contains(&(6, Some("percent"))), "{lines:?}");
    let gh = by(&k.github).expect("hex github");
    assert_eq!(
        (
            gh.occurrences[0].line,
            gh.occurrences[0].encoding.as_deref()
        ),
        (4, Some("hex"))
    );
    let ant = by(&k.anthropic).expect("double base64 anthropic");
    assert_eq!(
        (
            ant.occurrences[0].line,
            ant.occurrences[0].encoding.as_deref()
        ),
        (5, Some("base64>base64"))
    );
    no_raw(&report.to_json(), &k);
}

#[test]
fn findings_are_capped_but_counted() {
    let mut rng = Rng::new(11);
    let n = leaktriage::scan::MAX_SECRETS + 500;
    let mut text = String::with_capacity(n * 60);
    for _ in 0..n {
        text.push_str("GITHUB_TOKEN=");
        text.push_str(&generate("ghp_{an:30}{crc}", &mut rng).secret);
        text.push('\n');
    }
    let report = triage(&[Input::new("many.env", text)], &Context::default());
    let t = &report.scan.totals;
    assert_eq!(report.scan.secrets.len(), leaktriage::scan::MAX_SECRETS);
    assert_eq!(t.distinct_secrets as usize, n);
    assert_eq!(t.secrets_not_kept, 500);
}

#[test]
fn sarif_import_from_gitleaks() {
    let k = keys();
    let sarif = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "gitleaks", "rules": []}},
            "results": [{
                "ruleId": "anthropic-api-key",
                "message": {"text": "anthropic-api-key has detected secret for file app.py."},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app.py"}, "region": {"startLine": 7, "snippet": {"text": k.anthropic}}}}],
                "partialFingerprints": {"commitSha": "abc123", "email": "ann@example.com", "author": "Ann", "date": "2026-01-01T09:00:00Z"}
            }]
        }]
    });
    let report = triage(
        &[Input::new("gitleaks.sarif", sarif.to_string())],
        &Context::default(),
    );
    let s = &report.scan.secrets[0];
    assert_eq!(s.rule_id, "anthropic-api-key");
    assert_eq!(s.structure, Structure::Valid);
    assert_eq!(s.sources, vec!["gitleaks".to_string()]);
    assert_eq!(s.occurrences[0].line, 7);
    assert_eq!(
        s.introduced.as_ref().and_then(|c| c.email.as_deref()),
        Some("ann@example.com")
    );
    no_raw(&report.to_json(), &k);
}

#[test]
fn big_plain_text_blocks_keep_lines_and_multiline_secrets() {
    let k = keys();
    let filler = "value = compute(a, b)  # nothing here\n";
    let mut text = String::new();
    let mut line = 1u64;
    // Put the PEM across the 4 MiB block boundary, and a token on each side of it.
    while text.len() < (4 << 20) - 600 {
        text.push_str(filler);
        line += 1;
    }
    text.push_str(&format!("GITHUB_TOKEN={}\n", k.github));
    let gh_line = line;
    line += 1;
    text.push_str(&k.pem);
    text.push('\n');
    let pem_line = line;
    line += k.pem.lines().count() as u64;
    for _ in 0..2000 {
        text.push_str(filler);
        line += 1;
    }
    text.push_str(&format!("OPENAI_API_KEY={}\n", k.openai));
    let oa_line = line;
    let report = triage(&[Input::new("big.txt", text)], &Context::default());
    let by = |raw: &str| {
        report
            .scan
            .secrets
            .iter()
            .find(|s| s.fingerprint == Secret::new(raw).fingerprint(&Default::default()))
    };
    let gh = by(&k.github).expect("token before the boundary");
    assert_eq!(gh.occurrences[0].line, gh_line);
    let pem = by(&k.pem).expect("PEM across the boundary");
    assert_eq!(
        (pem.occurrence_count, pem.occurrences[0].line),
        (1, pem_line)
    );
    let oa = by(&k.openai).expect("key after the boundary");
    assert_eq!((oa.occurrence_count, oa.occurrences[0].line), (1, oa_line));
}

#[test]
fn oneline_log_is_attributed() {
    let k = keys();
    let log = format!(
        "9999999999999999999999999999999999999999 (HEAD -> main) add key\ndiff --git a/.env b/.env\nnew file mode 100644\n--- /dev/null\n+++ b/.env\n@@ -0,0 +1 @@\n+GITHUB_TOKEN={}\n",
        k.github
    );
    let report = triage(&[Input::new("oneline.log", log)], &Context::default());
    let s = &report.scan.secrets[0];
    let c = s.introduced.as_ref().expect("attributed to the commit");
    assert_eq!(c.id, "9999999999999999999999999999999999999999");
    assert_eq!(c.subject.as_deref(), Some("(HEAD -> main) add key"));
    assert_eq!(s.occurrences[0].path.as_deref(), Some(".env"));
}
