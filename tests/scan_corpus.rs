//! The planted corpus: every rule's fake secrets in many syntaxes, and decoys. Measures recall
//! per rule and false positives per 10,000 decoy lines; fails below 0.98 recall overall or above
//! 1 false positive per 10,000 decoy lines. Deterministic: a seeded PRNG builds everything.
//!
//! Run with `--nocapture` to see the per-rule table.

use leaktriage::evidence::EvidenceKind;
use leaktriage::scan::base64::encode as b64_encode;
use leaktriage::scan::fake::{generate, Rng};
use leaktriage::scan::pair::PAIRS;
use leaktriage::scan::placeholder::why_not_secret;
use leaktriage::scan::rules::{catalog, Rule};
use leaktriage::scan::Scanner;
use leaktriage::secret::Secret;
use leaktriage::Context;
use std::collections::{BTreeMap, HashMap};

const FILLER: &[&str] = &[
    "import os, sys, json",
    "from typing import Optional, List",
    "def load_config(path: str) -> dict:",
    "    with open(path, encoding=\"utf-8\") as fh:",
    "        return json.load(fh)",
    "const express = require('express');",
    "app.get('/health', (req, res) => res.json({ ok: true }));",
    "export function formatDate(d) { return d.toISOString().slice(0, 10); }",
    "  replicas: 3",
    "  image: ghcr.io/acme/api:1.14.2",
    "RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates",
    "WORKDIR /srv/app",
    "resource \"aws_s3_bucket\" \"logs\" {",
    "  bucket = \"acme-prod-logs\"",
    "}",
    "echo \"deploying $SERVICE to $ENVIRONMENT\"",
    "if [ -z \"$CI\" ]; then set -x; fi",
    "2026-03-02T10:15:22.512Z INFO  worker started pid=4121 queue=default",
    "2026-03-02T10:15:23.004Z WARN  retrying request attempt=2 backoff_ms=400",
    "    for item in items:",
    "        total += item.price * item.quantity",
    "LOG_LEVEL=info",
    "PORT=8080",
    "NODE_ENV=production",
    "# TODO: move this to the settings module",
    "    \"name\": \"acme-web\",",
    "    \"version\": \"2.3.1\",",
    "<div class=\"card\"><span>{{ user.name }}</span></div>",
    "SELECT id, email FROM users WHERE created_at > now() - interval '7 days';",
    "    return Ok(HttpResponse::Ok().json(body));",
];

/// Syntaxes: (name, template). `{VAR}` upper name, `{var}` lower name, `{S}` the value,
/// `{B64}` the value base64-encoded.
const SYNTAXES: &[(&str, &str)] = &[
    ("env", "{VAR}={S}"),
    ("shell", "export {VAR}=\"{S}\""),
    ("yaml", "  {var}: \"{S}\""),
    ("json", "    \"{var}\": \"{S}\","),
    ("python", "{var} = \"{S}\""),
    ("javascript", "const {VAR} = '{S}';"),
    ("dockerfile", "ENV {VAR}={S}"),
    ("terraform", "  {var} = \"{S}\""),
    ("kubernetes", "  {VAR}: {B64}"),
    ("ci-log", "2026-03-02T10:15:24.101Z [build] + {VAR}={S}"),
    (
        "url",
        "  endpoint: \"https://api.example.com/v1/run?{var}={S}&stream=true\"",
    ),
    ("toml", "{var} = '{S}'"),
];

const MULTILINE: &[(&str, &str)] = &[
    ("raw", "{S}"),
    ("yaml-block", "tls_key: |\n{INDENTED}"),
    ("kubernetes", "  tls.key: {B64}"),
];

fn value_for(rule: &Rule, v: &str) -> String {
    match rule.id {
        "jdbc-password" => format!("jdbc:postgresql://db:5432/app?user=app&password={v}"),
        "sqlserver-connection-string" => format!("Server=tcp:sql.example.net,1433;Database=app;User ID=app;Password={v};"),
        "azure-storage-key" => format!("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={v};EndpointSuffix=core.windows.net"),
        _ => v.to_string(),
    }
}

/// The secret rule a public identifier's rule pairs with: an OAuth client id alone is no
/// finding (public by design), so it is planted with a fresh secret of its pair on the next
/// line and found as that secret's partner.
fn pair_secret(rule: &Rule) -> Option<&'static Rule> {
    if !rule.kind.public_identifier() {
        return None;
    }
    let p = PAIRS.iter().find(|p| p.id_rule == rule.id)?;
    leaktriage::scan::rules::rule(p.secret_rule)
}

/// Every value a report found, by fingerprint: each finding's and each partner's.
fn found_rules(r: &leaktriage::scan::ScanReport) -> HashMap<&str, &str> {
    r.secrets
        .iter()
        .map(|s| (s.fingerprint.as_str(), s.rule_id.as_str()))
        .chain(r.secrets.iter().filter_map(|s| {
            let p = s.partner.as_ref()?;
            Some((p.fingerprint.as_str(), p.rule_id.as_str()))
        }))
        .collect()
}

struct Planted {
    secret: String,
    line: String,
    rule: &'static str,
    syntax: &'static str,
    fingerprint: String,
}

fn filler(rng: &mut Rng, text: &mut String, lines: usize) {
    for _ in 0..lines {
        let line: &&str = rng.pick(FILLER);
        text.push_str(line);
        text.push('\n');
    }
}

fn planted_corpus() -> (BTreeMap<&'static str, String>, Vec<Planted>) {
    let mut rng = Rng::new(2026);
    let mut files: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut planted = Vec::new();
    for rule in catalog().into_iter().chain(catalog()) {
        let syntaxes = if rule.multiline { MULTILINE } else { SYNTAXES };
        for (name, tpl) in syntaxes {
            let fake = generate(rule.shape, &mut rng);
            let value = value_for(rule, &fake.text);
            let indented: String = value.lines().map(|l| format!("  {l}\n")).collect();
            let line = tpl
                .replace("{VAR}", rule.var)
                .replace("{var}", &rule.var.to_ascii_lowercase())
                .replace("{B64}", &b64_encode(value.as_bytes()))
                .replace("{INDENTED}", &indented)
                .replace("{S}", &value);
            let text = files.entry(name).or_default();
            filler(&mut rng, text, 8);
            text.push_str(&line);
            text.push('\n');
            if let Some(sr) = pair_secret(rule) {
                let s = generate(sr.shape, &mut rng).text;
                let pair_line = tpl
                    .replace("{VAR}", sr.var)
                    .replace("{var}", &sr.var.to_ascii_lowercase())
                    .replace("{B64}", &b64_encode(s.as_bytes()))
                    .replace("{S}", &s);
                text.push_str(&pair_line);
                text.push('\n');
            }
            planted.push(Planted {
                line: line.clone(),
                secret: fake.secret.clone(),
                rule: rule.id,
                syntax: name,
                fingerprint: Secret::new(fake.secret).fingerprint(&Default::default()),
            });
        }
    }
    for text in files.values_mut() {
        filler(&mut rng, text, 6);
    }
    (files, planted)
}

fn placeholder_of(shape: &str) -> String {
    let mut out = String::new();
    let mut rest = shape;
    while let Some(o) = rest.find('{') {
        out.push_str(&rest[..o]);
        let Some(c) = rest[o..].find('}') else { break };
        let spec = &rest[o + 1..o + c];
        let n: usize = spec
            .split_once(':')
            .and_then(|(_, n)| n.parse().ok())
            .unwrap_or(6);
        out.push_str(&"x".repeat(n));
        rest = &rest[o + c + 1..];
    }
    out.push_str(rest);
    out
}

fn uuid(rng: &mut Rng) -> String {
    let h = |rng: &mut Rng, n| rng.string(b"0123456789abcdef", n);
    format!(
        "{}-{}-4{}-a{}-{}",
        h(rng, 8),
        h(rng, 4),
        h(rng, 3),
        h(rng, 3),
        h(rng, 12)
    )
}

fn decoy_corpus() -> (String, usize) {
    let mut rng = Rng::new(77);
    let mut lines: Vec<String> = Vec::new();
    let rules = catalog();
    let hex = b"0123456789abcdef";
    let an = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for round in 0..64 {
        for r in &rules {
            if r.shape.starts_with('@') {
                continue;
            }
            let ph = placeholder_of(r.shape);
            let v = r.var;
            lines.push(match round % 8 {
                0 => format!("{v}={ph}"),
                1 => format!(
                    "{v}=your-{}-here",
                    r.provider.to_ascii_lowercase().replace(' ', "-")
                ),
                2 => format!("{v}=${{{v}}}"),
                3 => format!("  {}: \"<{}>\"", v.to_ascii_lowercase(), v),
                4 => format!("{v}=${{{{ secrets.{v} }}}}"),
                5 => format!("# export {v}=REPLACE_ME"),
                6 => format!("{v}: \"{}\"", "*".repeat(24)),
                _ => format!("{}=\"{}\"", v.to_ascii_lowercase(), "A".repeat(40)),
            });
        }
        for _ in 0..60 {
            let u = uuid(&mut rng);
            let sha1 = rng.string(hex, 40);
            let sha256 = rng.string(hex, 64);
            let k = rng.below(16);
            lines.push(match k {
                0 => format!("request_id = \"{u}\""),
                1 => format!("commit {sha1}"),
                2 => format!("  image: ghcr.io/acme/api@sha256:{sha256}"),
                3 => format!("    \"integrity\": \"sha512-{}==\",", rng.string(an, 86)),
                4 => format!("  uid: {u}"),
                5 => format!("Merge: {} {}", &sha1[..7], &sha256[..7]),
                6 => format!("checksum: md5:{}", rng.string(hex, 32)),
                7 => format!(
                    "{{\"id\": \"{u}\", \"trace\": \"{}\"}}",
                    rng.string(hex, 32)
                ),
                8 => "const hf_requiredCharacteristicTypesOfTheDevice = [];".to_string(),
                9 => "if (API_ORG_EXIST) { api_org_controller.init(); }".to_string(),
                10 => "def refresh_access_token_if_expired(self, token_store):".to_string(),
                11 => format!(
                    "  src: \"data:image/png;base64,iVBORw0KGgo{}\"",
                    rng.string(an, 60)
                ),
                12 => {
                    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_string()
                }
                13 => "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE".to_string(),
                14 => "stripe.api_key = \"sk_test_4eC39HqLyjWDarjtT1zdp7dc\"".to_string(),
                _ => (*rng.pick(FILLER)).to_string(),
            });
        }
        for _ in 0..60 {
            let h40 = rng.string(hex, 40);
            let h32 = rng.string(hex, 32);
            let b43 = rng.string(an, 43);
            let u = uuid(&mut rng);
            lines.push(match rng.below(23) {
                0 => format!("wandb: Synced run {} (commit {h40})", rng.string(b"abcdefghijklmnopqrstuvwxyz", 8)),
                1 => format!("INFO mistral-large-latest request_id={h32} tokens=512"),
                2 => format!("cohere embed-english-v3.0 model id {u}"),
                3 => format!("deepseek-chat run {h32} finished in 2.3s"),
                4 => format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{b43} deploy@ci"),
                5 => format!("  resolved \"https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#{h40}\""),
                6 => format!("github.com/acme/lib v1.2.{} h1:{b43}=", rng.below(30)),
                7 => format!("    \"id\": \"i-0{}\",", rng.string(hex, 16)),
                8 => "  password: \"********\"".to_string(),
                9 => "  token: \"{{ .Values.api.token }}\"".to_string(),
                10 => rng.string(b"0123456789abcdef", 80),
                11 => format!("  config.json: {}", b64_encode(format!("{{\"logLevel\":\"info\",\"replicas\":{}}}", rng.below(9)).as_bytes())),
                12 => "pip install scikit-learn  # sk-learn is the import alias some people expect".to_string(),
                13 => format!("  \"etag\": \"\\\"{h32}\\\"\","),
                14 => format!("password_hash = \"$2b$12${}\"", rng.string(an, 53)),
                15 => format!("Pinecone index {} created (dimension 1536)", rng.string(b"abcdefghijklmnopqrstuvwxyz", 10)),
                16 => format!("assemblyai transcript {h32} status=completed"),
                17 => format!("kimi-k2 completion id cmpl-{}", rng.string(an, 24)),
                18 => format!("stability sdxl job {u} queued"),
                // Client ids alone (public by design) and their look-alikes: no finding.
                19 => format!("  \"client_id\": \"{u}\","),
                20 => format!("SLACK_CLIENT_ID={}.{}", rng.string(b"0123456789", 10), rng.string(b"0123456789", 12)),
                21 => format!("build_id: {}.{}  # client_id of the nightly", rng.string(b"0123456789", 8), rng.string(b"0123456789", 9)),
                _ => format!("const {} = useMemo(() => compute{}(props), [props]);", rng.string(b"abcdefghijklmnopqrstuvwxyz", 9), rng.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1)),
            });
        }
        for _ in 0..200 {
            lines.push((*rng.pick(FILLER)).to_string());
        }
    }
    let n = lines.len();
    (lines.join("\n") + "\n", n)
}

#[test]
fn recall_and_false_positive_rate() {
    let ctx = Context::default();
    let (files, planted) = planted_corpus();
    let mut scanner = Scanner::new(ctx.scan_options());
    for (name, text) in &files {
        scanner.scan_text(name, text, EvidenceKind::Text);
    }
    let report = scanner.finish();
    let found = found_rules(&report);

    let mut per_rule: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut misses = Vec::new();
    for p in &planted {
        let e = per_rule.entry(p.rule).or_default();
        e.0 += 1;
        if found.get(p.fingerprint.as_str()) == Some(&p.rule) {
            e.1 += 1;
        } else {
            // Scan the planted line alone to say why (values redacted).
            let mut one = Scanner::new(ctx.scan_options());
            one.scan_text("one", &p.line, EvidenceKind::Text);
            let r = one.finish();
            let alone: Vec<String> = r
                .secrets
                .iter()
                .map(|s| format!("{} {}", s.rule_id, s.redacted))
                .collect();
            misses.push(format!(
                "{} in {} (got {:?}; alone: {:?}, dropped {:?}, placeholder check: {:?})",
                p.rule,
                p.syntax,
                found.get(p.fingerprint.as_str()),
                alone,
                r.totals.dropped,
                leaktriage::scan::placeholder::why_not_secret(&p.secret, &p.secret, 3.0)
            ));
        }
    }
    let planted_fps: std::collections::HashSet<&str> =
        planted.iter().map(|p| p.fingerprint.as_str()).collect();
    let extra: Vec<String> = report
        .secrets
        .iter()
        .filter(|s| !planted_fps.contains(s.fingerprint.as_str()))
        // The secrets planted as a client id's pair.
        .filter(|s| s.partner.is_none())
        .map(|s| {
            let at = s.occurrences.first();
            format!(
                "{} {} at {}:{}",
                s.rule_id,
                s.redacted,
                at.map(|o| o.path.as_deref().unwrap_or(&o.evidence))
                    .unwrap_or(""),
                at.map(|o| o.line).unwrap_or(0)
            )
        })
        .collect();

    let (decoys, decoy_lines) = decoy_corpus();
    let mut scanner = Scanner::new(ctx.scan_options());
    scanner.scan_text("decoys.txt", &decoys, EvidenceKind::Text);
    let decoy_report = scanner.finish();
    let fps: Vec<String> = decoy_report
        .secrets
        .iter()
        .map(|s| {
            format!(
                "{} {} line {}",
                s.rule_id,
                s.redacted,
                s.occurrences.first().map(|o| o.line).unwrap_or(0)
            )
        })
        .collect();
    let fp_occurrences: u64 = decoy_report
        .secrets
        .iter()
        .map(|s| s.occurrence_count)
        .sum();

    let total: u32 = per_rule.values().map(|v| v.0).sum();
    let hit: u32 = per_rule.values().map(|v| v.1).sum();
    let recall = hit as f64 / total as f64;
    let fp_rate = fp_occurrences as f64 * 10_000.0 / decoy_lines as f64;
    eprintln!("rule                                   planted found recall");
    for (r, (p, f)) in &per_rule {
        eprintln!("{r:38} {p:7} {f:5} {:.2}", *f as f64 / *p as f64);
    }
    eprintln!("overall recall {recall:.4} ({hit}/{total}); decoy lines {decoy_lines}; false positives {fp_occurrences} ({fp_rate:.2} per 10,000 lines); extra findings in planted files {}", extra.len());
    for m in &misses {
        eprintln!("miss: {m}");
    }
    for f in &fps {
        eprintln!("decoy FP: {f}");
    }
    for x in &extra {
        eprintln!("extra in planted corpus: {x}");
    }
    assert!(recall >= 0.98, "recall {recall:.4} below 0.98");
    assert!(
        fp_rate <= 1.0,
        "{fp_rate:.2} false positives per 10,000 decoy lines"
    );
    assert!(decoy_lines >= 10_000);
}

/// Many random fakes per rule, one per line: the placeholder, entropy and identifier filters
/// must almost never drop a real-looking key.
#[test]
fn random_keys_survive_the_filters() {
    const PER_RULE: usize = 200;
    let ctx = Context::default();
    let mut rng = Rng::new(31337);
    let mut worst = (1.0f64, "");
    let (mut total, mut hit) = (0usize, 0usize);
    for rule in catalog().into_iter().filter(|r| !r.multiline) {
        let mut text = String::new();
        let mut fps = Vec::new();
        for _ in 0..PER_RULE {
            let fake = generate(rule.shape, &mut rng);
            text.push_str(&format!("{}={}\n", rule.var, value_for(rule, &fake.text)));
            if let Some(sr) = pair_secret(rule) {
                // A secret the filters keep, so what is measured is the id's filters.
                let s = loop {
                    let s = generate(sr.shape, &mut rng).text;
                    if why_not_secret(&s, &s, sr.min_entropy).is_none() {
                        break s;
                    }
                };
                text.push_str(&format!("{}={s}\n", sr.var));
            }
            fps.push(Secret::new(fake.secret).fingerprint(&Default::default()));
        }
        let mut s = Scanner::new(ctx.scan_options());
        s.scan_text("many.env", &text, EvidenceKind::Text);
        let r = s.finish();
        let found = found_rules(&r);
        let n = fps
            .iter()
            .filter(|f| found.get(f.as_str()) == Some(&rule.id))
            .count();
        total += PER_RULE;
        hit += n;
        let rate = n as f64 / PER_RULE as f64;
        if rate < 1.0 {
            eprintln!(
                "{}: {n}/{PER_RULE} (dropped {:?})",
                rule.id, r.totals.dropped
            );
        }
        if rate < worst.0 {
            worst = (rate, rule.id);
        }
    }
    eprintln!(
        "random keys found: {hit}/{total}; worst rule {} at {:.3}",
        worst.1, worst.0
    );
    assert!(worst.0 >= 0.99, "{} keeps only {:.3}", worst.1, worst.0);
    assert!(hit as f64 / total as f64 >= 0.998);
}
