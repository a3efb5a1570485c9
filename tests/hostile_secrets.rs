//! Secrets placed in every field the evidence can carry (usage rows' user agent, endpoint with a
//! query string, model and key-prefix columns; commit subjects, author names and file paths;
//! imported gitleaks / trufflehog fields; .env values; CloudTrail request parameters and user
//! agents), and a responder's known key of no rule's shape: no export (JSON, text, Markdown, IOC
//! CSV, SARIF, the page's report message) holds any of them whole, and every export keeps its
//! format. Terminal escapes in the same fields reach no output raw.
//!
//! Every value is a fake of a real shape (`scan::fake::generate`), never a real credential.

mod common;

use leaktriage::report::export::{ExportId, EXPORTS};
use leaktriage::scan::fake::Rng;
use leaktriage::scan::known_key::KnownKey;
use leaktriage::{triage, Context, Input, Report};

const RULES: &[&str] = &[
    "openai-project-key",
    "anthropic-api-key",
    "google-api-key",
    "aws-secret-access-key",
    "stripe-live-key",
    "github-pat",
    "slack-bot-token",
    "groq-api-key",
];

/// A known key of no rule's shape (an internal gateway's key, say).
const KNOWN: &str = "zz_gateway_Q9w8e7r6t5y4u3i2o1p0";

/// A terminal escape: set the window title, then erase the line, then a bidi override.
const ESC: &str = "\u{1b}]0;owned\u{7}\u{1b}[2K\u{202e}";

fn fakes(seed: u64) -> Vec<String> {
    common::fakes_of(RULES, &mut Rng::new(seed))
}

/// The evidence, with the `n`th fake (cycled) in each field.
fn inputs(k: &[String]) -> Vec<Input> {
    // The AWS secret (index 3) is 40 base64 characters with no prefix: recognisable only
    // beside its name, so it is placed only as `aws_secret_access_key=...`.
    let bare: Vec<&str> = (0..k.len())
        .filter(|&i| i != 3)
        .map(|i| k[i].as_str())
        .collect();
    let s = |i: usize| bare[i % bare.len()];
    let aws = |_: usize| format!("aws_secret_access_key={}", k[3]);
    let mut usage = String::from("timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd\r\n");
    for (n, i) in (0..k.len()).enumerate() {
        usage.push_str(&format!(
            "2026-01-01T0{}:00:00Z,{},\"gpt-4o {}\",10,10,\"/v1/chat/completions?key={}&{}\",198.51.100.{},\"curl/8 {ESC} key={} {KNOWN} {}\",200,0.01\r\n",
            n % 10,
            s(i),
            s(i + 1),
            s(i + 2),
            aws(i),
            n + 1,
            s(i + 4),
            aws(3),
        ));
    }
    let mut log = String::new();
    for (n, i) in (0..k.len()).enumerate() {
        log.push_str(&format!(
            "commit {n:040x}\nAuthor: Eve {ESC}{} <eve@example.com>\nDate:   Thu Jan 1 0{}:00:00 2026 +0000\n\n    rotate {} and {KNOWN}\n\n    body {}\n\ndiff --git a/src/{ESC}{}.py b/src/{ESC}{}.py\nnew file mode 100644\n--- /dev/null\n+++ b/src/{ESC}{}.py\n@@ -0,0 +1 @@\n+DEBUG = False\n",
            s(i),
            n % 10,
            s(i + 1),
            s(i + 2),
            s(i + 3),
            s(i + 3),
            s(i + 3),
        ));
    }
    let gitleaks = serde_json::json!([{
        "RuleID": "github-pat", "Secret": s(5), "Match": format!("token={}", s(5)),
        "File": format!("cfg/{}{ESC}.yml", s(0)), "StartLine": 5,
        "Commit": "2222222222222222222222222222222222222222",
        "Author": format!("Mallory {} {ESC}", s(1)), "Email": format!("{}@example.com", s(2)),
        "Message": format!("add {} {KNOWN}", s(4)),
        "Date": "2026-01-02T09:00:00Z", "Fingerprint": format!("2222:cfg.yml:github-pat:5:{}", s(6))
    }]);
    let trufflehog = serde_json::json!({
        "SourceMetadata": {"Data": {"Git": {"commit": "1111111111111111111111111111111111111111",
            "file": format!(".env{ESC}{}", s(7)), "email": format!("Ann {} <ann@example.com>", s(1)),
            "line": 2, "timestamp": "2026-01-01 09:00:00 +0000"}}},
        "DetectorName": format!("OpenAI {}", s(2)), "Verified": false, "Raw": s(0), "Redacted": s(3)
    });
    let trail = serde_json::json!({"Records": [{
        "eventVersion": "1.10", "eventTime": "2026-01-01T02:47:19Z",
        "eventSource": "bedrock.amazonaws.com", "eventName": "InvokeModel", "awsRegion": "us-west-2",
        "sourceIPAddress": "203.0.113.77",
        "userAgent": format!("Boto3/1.35 {ESC} {} {}", s(6), aws(3)),
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/ci",
            "accountId": "111122223333", "accessKeyId": "AKIAEXAMPLE7Q3R5T2W9", "userName": format!("ci{}", s(7))},
        "requestParameters": {"modelId": format!("anthropic.claude {}", s(1)), "secret": aws(3)},
        "responseElements": null, "eventType": "AwsApiCall", "recipientAccountId": "111122223333"
    }]});
    vec![
        Input::new("usage.csv", usage),
        Input::new(format!("history{ESC}.log"), log),
        Input::new("gitleaks.json", gitleaks.to_string()),
        Input::new("trufflehog.json", format!("{trufflehog}\n")),
        Input::new("trail.json", trail.to_string()),
        Input::new(
            "prod.env",
            format!("OPENAI_API_KEY={}\nNOTE=\"{ESC}{}\"\n", s(0), s(1)),
        ),
    ]
}

fn context() -> Context {
    Context {
        known_keys: vec![KnownKey::parse(KNOWN).expect("known key")],
        ..Context::default()
    }
}

/// Every output of a report, by name.
fn outputs(r: &Report) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = EXPORTS
        .iter()
        .map(|e| (format!("{:?}", e.id), (e.write)(r)))
        .collect();
    out.push(("report_message".into(), report_message(r)));
    out
}

#[cfg(feature = "ui")]
fn report_message(r: &Report) -> String {
    leaktriage::ui::protocol::report_message(r)
}

#[cfg(not(feature = "ui"))]
fn report_message(r: &Report) -> String {
    r.gate.to_json(r, b"")
}

/// RFC 4180 rows of a CSV, each a list of cells (panics on a broken quote).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted, "an unclosed quote");
    rows
}

#[test]
fn no_whole_secret_in_any_field_reaches_any_output() {
    for seed in [1, 2, 3] {
        let k = fakes(seed);
        let r = triage(&inputs(&k), &context());
        for (name, text) in outputs(&r) {
            for s in k.iter().map(String::as_str).chain([KNOWN]) {
                if let Some(at) = text.find(s) {
                    let from = text[..at].char_indices().rev().nth(80).map_or(0, |x| x.0);
                    panic!(
                        "{name} holds a whole secret {} (seed {seed}) after {:?}",
                        leaktriage::secret::redact(s),
                        &text[from..at]
                    );
                }
                // No more than the documented characters: the format's public prefix and the
                // last 4, so no 8-character run of the rest either.
                let body: Vec<char> = s[leaktriage::secret::public_prefix(s).len()..]
                    .chars()
                    .collect();
                for w in body.windows(8) {
                    let w: String = w.iter().collect();
                    // Markers every key of a format carries (named by the structure check).
                    if leaktriage::testkit::PUBLIC_MARKERS.contains(&w.as_str()) {
                        continue;
                    }
                    if let Some(at) = text.find(&w) {
                        let from = text[..at].char_indices().rev().nth(80).map_or(0, |x| x.0);
                        let to = (at + 120).min(text.len());
                        let to = (to..=text.len())
                            .find(|&i| text.is_char_boundary(i))
                            .unwrap_or(text.len());
                        panic!(
                            "{name} holds 8 characters of a secret {} (seed {seed}): {:?}",
                            leaktriage::secret::redact(s),
                            &text[from..to]
                        );
                    }
                }
                // Nor its plain SHA-256, which would confirm a guess.
                let sha = leaktriage::secret::Secret::new(s).sha256();
                assert!(
                    !text.contains(&sha),
                    "{name} holds a plain SHA-256 (seed {seed})"
                );
            }
        }
    }
}

/// A secret an attacker's client sent in its user agent, and one in an endpoint's query string,
/// are findings of the usage export they are in.
#[test]
fn secrets_in_usage_fields_are_findings() {
    let k = fakes(7);
    let usage = format!(
        "timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd\r\n\
         2026-01-01T01:00:00Z,sk-proj-...abcd,gpt-4o,10,10,/v1/chat/completions?key={},198.51.100.1,curl/8 {},200,0.01\r\n",
        k[2], k[0]
    );
    let r = triage(&[Input::new("usage.csv", usage)], &context());
    for s in [&k[0], &k[2]] {
        let f = r
            .scan
            .secrets
            .iter()
            .find(|f| f.reveal() == Some(s.as_str()))
            .unwrap_or_else(|| panic!("{} is not a finding", leaktriage::secret::redact(s)));
        assert_eq!(f.occurrences[0].evidence, "usage.csv");
        assert_eq!(f.occurrences[0].line, 2);
    }
}

#[test]
fn every_output_keeps_its_format() {
    let k = fakes(4);
    let r = triage(&inputs(&k), &context());
    for (name, text) in outputs(&r) {
        if name == "Json" || name == "Sarif" || name == "report_message" {
            let v: Result<serde_json::Value, _> = serde_json::from_str(&text);
            assert!(v.is_ok(), "{name} is not JSON");
        }
    }
    let csv = (leaktriage::report::export::get(ExportId::IocsCsv).write)(&r);
    let rows = csv_rows(&csv);
    assert!(rows.len() > 1);
    assert!(rows.iter().all(|row| row.len() == rows[0].len()), "{csv}");
}

#[test]
fn terminal_escapes_reach_no_output_raw() {
    let k = fakes(5);
    let r = triage(&inputs(&k), &context());
    for (name, text) in outputs(&r) {
        for c in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
            assert!(!text.contains(c), "{name} holds {c:?} raw");
        }
    }
    let text = (leaktriage::report::export::get(ExportId::Text).write)(&r);
    assert!(
        text.contains("\\x1b"),
        "the text output shows the escape visibly"
    );
}

#[test]
fn a_secret_in_a_commit_message_is_a_finding_attributed_to_its_commit() {
    let k = fakes(6);
    let r = triage(&inputs(&k), &context());
    let in_messages: Vec<_> = r
        .scan
        .secrets
        .iter()
        .flat_map(|s| s.occurrences.iter())
        .filter(|o| o.path.as_deref() == Some(leaktriage::scan::history::MESSAGE_PATH))
        .collect();
    assert!(!in_messages.is_empty());
    assert!(in_messages
        .iter()
        .all(|o| o.commit.is_some() && (1..=3).contains(&o.line)));
}

/// The one redaction policy, product-wide: a fake of every catalog rule's shape (and an AWS key
/// pair) in an `.env` file, a `git log -p` and a usage export's user agent; no output (JSON,
/// Markdown, text, IOC and agent CSV, SARIF, the page's report message, the hunts as the command
/// line writes them) shows more of any value than its public prefix and last 4 characters (an
/// identifier may be shown whole).
#[test]
fn no_output_shows_more_of_any_rules_value_than_the_policy_allows() {
    let mut rng = Rng::new(99);
    let (mut env, mut values) = leaktriage::testkit::every_rule_planted(&mut rng);
    let pair = common::fakes_of(&["aws-access-key-id", "aws-secret-access-key"], &mut rng);
    env.push_str(&format!(
        "[prod]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
        pair[0], pair[1]
    ));
    values.extend(pair.iter().cloned());
    let picks: Vec<&str> = values.iter().step_by(9).map(String::as_str).collect();
    let mut log = String::new();
    for (n, v) in picks.iter().enumerate() {
        log.push_str(&format!(
            "commit {n:040x}\nAuthor: Eve <eve@example.com>\nDate:   Thu Jan 1 0{}:00:00 2026 +0000\n\n    add config\n\ndiff --git a/app/cfg{n}.env b/app/cfg{n}.env\nnew file mode 100644\n--- /dev/null\n+++ b/app/cfg{n}.env\n@@ -0,0 +1 @@\n+API_TOKEN={v}\n",
            n % 10
        ));
    }
    let mut usage = String::from("timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd\r\n");
    for (n, v) in picks.iter().enumerate() {
        usage.push_str(&format!(
            "2026-01-01T0{}:00:00Z,sk-proj-...abcd,gpt-4o,10,10,/v1/chat/completions,198.51.100.{},\"curl/8 key={v}\",200,0.01\r\n",
            n % 10,
            n + 1
        ));
    }
    let inputs = vec![
        Input::new("prod.env", env),
        Input::new("history.log", log),
        Input::new("usage.csv", usage),
    ];
    let ctx = context();
    let r = triage(&inputs, &ctx);
    let paired = r
        .scan
        .secrets
        .iter()
        .find(|f| f.reveal() == Some(pair[1].as_str()))
        .expect("the secret is a finding");
    assert_eq!(
        paired.partner.as_ref().and_then(|p| p.reveal()),
        Some(pair[0].as_str()),
        "the AWS key id and its secret are one finding"
    );
    let mut outs = outputs(&r);
    for h in &r.hunts {
        outs.push((
            format!("hunt {}", h.id),
            r.gate.redact(&h.query).into_owned(),
        ));
        let d = leaktriage::report::hunts::describe(h);
        outs.push((
            format!("hunt {} README", h.id),
            r.gate.redact(&d).into_owned(),
        ));
    }
    assert!(
        outs.iter().any(|(_, t)| t.contains(&pair[0])),
        "the AWS key id, an identifier, is shown whole"
    );
    let mut failures = Vec::new();
    for (name, text) in &outs {
        for (n, what) in leaktriage::testkit::overexposed_any(text, &values) {
            failures.push(format!(
                "{name} shows {what} of {}",
                leaktriage::secret::redact(&values[n])
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
