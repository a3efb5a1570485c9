//! Walks the rule catalog: every rule has examples, every example is found (with a valid
//! structure where the rule checks one), no negative example is.

use leaktriage::scan::engine::{DropCounts, Engine};
use leaktriage::scan::fake::{generate, Rng};
use leaktriage::scan::rules::Check;
use leaktriage::scan::scan_buffer;
use leaktriage::scan::structure::Structure;
use leaktriage::scan::RuleFile;
use leaktriage::secret::redact;
use std::collections::HashSet;

fn found(engine: &Engine, text: &str) -> Vec<(String, String, Structure)> {
    let mut out = Vec::new();
    let mut drops = DropCounts::default();
    scan_buffer(engine, text.as_bytes(), &mut out, &mut drops);
    out.into_iter()
        .map(|(m, _, _)| (engine.rules()[m.rule].id.to_string(), m.value, m.structure))
        .collect()
}

#[test]
fn catalog_has_at_least_70_complete_rules() {
    let engine = Engine::global();
    let rules = engine.rules();
    assert!(rules.len() >= 70, "only {} rules", rules.len());
    let mut ids = HashSet::new();
    for (i, r) in rules.iter().enumerate() {
        assert!(ids.insert(r.id), "duplicate id {}", r.id);
        assert!(engine.compiled(i), "{}: regex does not compile", r.id);
        assert!(!r.examples.is_empty(), "{}: no positive example", r.id);
        assert!(!r.negatives.is_empty(), "{}: no negative example", r.id);
        assert!(!r.keywords.is_empty(), "{}: no keyword", r.id);
        assert!(
            r.keywords.iter().all(|k| k.to_ascii_lowercase() == *k),
            "{}: keywords must be lower case",
            r.id
        );
        assert!(
            !r.provider.is_empty()
                && !r.can_do.is_empty()
                && !r.revoke.is_empty()
                && !r.title.is_empty(),
            "{}: metadata",
            r.id
        );
        assert!(!r.shape.is_empty(), "{}: no shape", r.id);
    }
}

#[test]
fn every_positive_example_is_found_and_every_negative_is_not() {
    let engine = Engine::global();
    let failures = walk(engine, 0..engine.rules().len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Rules `range` of `engine`: each example is found (a fresh fake of the rule's shape for
/// `$S`, with a valid structure where the rule checks one), no negative is.
fn walk(engine: &Engine, range: std::ops::Range<usize>) -> Vec<String> {
    let mut failures = Vec::new();
    for i in range {
        let r = engine.rules()[i];
        for (j, ex) in r.examples.iter().enumerate() {
            let mut rng = Rng::new((i * 100 + j) as u64);
            let fake = generate(r.shape, &mut rng);
            let text = ex.replace("$S", &fake.text);
            let got = found(engine, &text);
            match got
                .iter()
                .find(|(id, v, _)| id == r.id && (*v == fake.secret || !ex.contains("$S")))
            {
                None => failures.push(format!(
                    "{}: example {j} not found (value {}); got {:?}",
                    r.id,
                    redact(&fake.secret),
                    got.iter()
                        .map(|(id, v, _)| (id.clone(), redact(v)))
                        .collect::<Vec<_>>()
                )),
                Some((_, _, st)) => {
                    if !matches!(r.check, Check::None | Check::GroqMarker)
                        && *st != Structure::Valid
                    {
                        failures.push(format!("{}: example {j} structure {:?}", r.id, st));
                    }
                }
            }
        }
        for (j, neg) in r.negatives.iter().enumerate() {
            if found(engine, neg).iter().any(|(id, _, _)| id == r.id) {
                failures.push(format!("{}: negative {j} was found", r.id));
            }
        }
    }
    failures
}

/// The responder's rules files in tests/fixtures/rules load without a problem (but the
/// gitleaks config's deliberately bad rules), and every user rule with examples finds them,
/// beside the whole catalog.
#[test]
fn user_rules_with_examples_find_them() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut rules = leaktriage::scan::rules::catalog();
    let mut with_examples = 0;
    for p in &paths {
        let file = RuleFile {
            name: p.display().to_string(),
            text: std::fs::read_to_string(p).unwrap(),
        };
        let loaded = leaktriage::scan::user_rules::load(&file);
        if loaded.report.format == "leaktriage" {
            assert_eq!(loaded.report.problems, [], "{}", file.name);
        }
        assert!(!loaded.rules.is_empty(), "{}", file.name);
        with_examples += loaded
            .rules
            .iter()
            .filter(|r| !r.examples.is_empty())
            .count();
        rules.extend(loaded.rules);
    }
    assert!(
        with_examples >= 2,
        "the fixtures hold user rules with examples"
    );
    let catalog = leaktriage::scan::rules::catalog().len();
    let engine = Engine::with_rules(rules, Vec::new());
    let failures = walk(&engine, catalog..engine.rules().len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// docs/scan.md lists every rule. `UPDATE_DOCS=1 cargo test --test scan_catalog` rewrites it.
#[test]
fn docs_list_every_rule() {
    let table = leaktriage::scan::rules::markdown_table();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scan.md");
    let doc = std::fs::read_to_string(path).unwrap_or_default();
    let begin = "<!-- rules:begin -->\n";
    let end = "<!-- rules:end -->";
    if std::env::var_os("UPDATE_DOCS").is_some() {
        if let (Some(a), Some(b)) = (doc.find(begin), doc.find(end)) {
            let new = format!("{}{begin}{table}{}", &doc[..a], &doc[b..]);
            std::fs::write(path, new).unwrap();
            return;
        }
    }
    assert!(
        doc.contains(&table),
        "docs/scan.md is out of date: run UPDATE_DOCS=1 cargo test --test scan_catalog"
    );
}

/// Broken structures are still reported, marked invalid (a mistyped or truncated key may work
/// elsewhere, or be a copy of one that does).
#[test]
fn broken_structures_are_reported_invalid() {
    let engine = Engine::global();
    let mut rng = Rng::new(99);
    let gh = generate("ghp_{an:30}{crc}", &mut rng).secret;
    let last = gh.chars().last().unwrap_or('0');
    let gh_bad = format!(
        "{}{}",
        &gh[..gh.len() - 1],
        if last == 'A' { 'B' } else { 'A' }
    );
    let ant = generate("sk-ant-api03-{b64u:93}AA", &mut rng).secret;
    let ant_bad = format!("{}BB", &ant[..ant.len() - 2]);
    let oa_bad = generate("sk-proj-{b64u:160}", &mut rng).secret;
    let aws_bad = generate("AKIA{upan:16}", &mut rng)
        .secret
        .replace(['2', '3', '4', '5', '6', '7'], "0");
    let cases = [
        ("github-pat", gh_bad),
        ("anthropic-api-key", ant_bad),
        ("openai-project-key", oa_bad),
        (
            "aws-access-key-id",
            format!("{}0{}", &aws_bad[..4], &aws_bad[5..]),
        ),
    ];
    for (id, v) in cases {
        let got = found(engine, &format!("KEY={v}\n"));
        let hit = got.iter().find(|(r, val, _)| r == id && *val == v);
        assert!(
            hit.is_some(),
            "{id}: broken value {} not reported",
            redact(&v)
        );
        assert_eq!(hit.map(|h| h.2), Some(Structure::Invalid), "{id}");
    }
}

/// The one redaction policy over every rule of the catalog: fresh fakes of each rule's shape are
/// shown as at most their public prefix and last 4 characters (a URL's password not at all),
/// and only a documented identifier (an AWS access key id) whole.
#[test]
fn every_rules_values_are_shown_as_at_most_the_public_prefix_and_4() {
    use leaktriage::scan::rules::Kind;
    use leaktriage::secret::{public_prefix, value_kind, ValueKind};
    let mut failures = Vec::new();
    for (i, r) in leaktriage::scan::rules::catalog().iter().enumerate() {
        for seed in 0..20u64 {
            let fake = generate(r.shape, &mut Rng::new(1_000_000 + i as u64 * 100 + seed));
            let v = fake.secret.as_str();
            let shown = redact(v);
            if value_kind(v) == ValueKind::Identifier {
                if r.kind != Kind::CloudAccessKeyId || shown != v {
                    failures.push(format!("{}: a value of the shape is an identifier", r.id));
                }
                continue;
            }
            if r.kind == Kind::CloudAccessKeyId && r.id != "aws-access-key-id" {
                failures.push(format!("{}: a key id not in the identifier table", r.id));
            }
            let ok = match v.split_once("://") {
                // A URL with a password: scheme, user and host, nothing of the password.
                Some(_) if shown.contains(":…@") => {
                    let pass = v
                        .rsplit_once('@')
                        .and_then(|(u, _)| u.rsplit_once(':'))
                        .map_or("", |x| x.1);
                    !shown.contains(pass) && leaktriage::testkit::overexposed(&shown, v).is_none()
                }
                _ => {
                    let p = public_prefix(v);
                    let tail = shown
                        .strip_prefix(p)
                        .and_then(|t| t.strip_prefix('…'))
                        .unwrap_or("not the policy's form");
                    tail.chars().count() <= 4 && v.ends_with(tail)
                }
            };
            if !ok {
                failures.push(format!("{}: shown as {shown:?}", r.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An STS session token in a pre-signed URL, URL-encoded as a browser or an export writes it
/// (`/` as `%2F`, `+` as `%2B`), is found whole (decoded) beside its ASIA key id, and the
/// report holds neither its middle nor its end, encoded or not.
#[test]
fn a_session_token_in_a_presigned_url_is_found_whole_and_redacted() {
    let mut rng = Rng::new(7);
    let fake = generate(
        leaktriage::scan::rules::rule("aws-sts-session-token")
            .unwrap()
            .shape,
        &mut rng,
    );
    // A token with both characters a URL encodes.
    let token = format!("{}/+{}", fake.text, &fake.text[16..40]);
    let encoded = token.replace('/', "%2F").replace('+', "%2B");
    let key = generate("ASIA{b32:16}", &mut rng).text;
    let url = format!(
        "![diagram](https://files.s3.us-west-2.amazonaws.com/a/b/image.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential={key}%2F20260622%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20260622T170704Z&X-Amz-Expires=3600&X-Amz-Security-Token={encoded}&X-Amz-Signature=027f64e91436cda4f2650b24e13deb9827e4c6347190d754caf4909072f8187a&X-Amz-SignedHeaders=host&x-id=GetObject)\n"
    );
    let got = found(Engine::global(), &url);
    let ids: Vec<(&str, &str)> = got
        .iter()
        .map(|(id, v, _)| (id.as_str(), v.as_str()))
        .collect();
    assert!(
        ids.contains(&("aws-sts-session-token", token.as_str())),
        "{ids:?}"
    );
    assert!(
        ids.contains(&("aws-access-key-id", key.as_str())),
        "{ids:?}"
    );
    let report = leaktriage::triage(
        &[leaktriage::Input::new("notes.md", url.into_bytes())],
        &leaktriage::Context::default(),
    );
    let json = serde_json::to_string(&report).unwrap();
    for part in [
        &token[40..80],
        &token[token.len() - 20..],
        &encoded[encoded.len() - 20..],
    ] {
        assert!(!json.contains(part), "{part} in the report");
    }
}
