//! Every field of every format: each evidence fixture (one per reader, tests/fixtures/evidence/)
//! is rewritten with a fake secret of a real shape in every string value (JSON, JSON Lines),
//! every cell (CSV) or every line (text, histories), then triaged. No export (JSON, text,
//! Markdown, IOC CSV, SARIF, the page's report message) may hold any of them whole, nor more
//! than the documented characters of one (the format's public prefix and the last 4; so no
//! 8-character run past the prefix), nor its plain SHA-256.
//!
//! Among them, a value of a responder's own rule (a rules file given with the evidence), which
//! only that file recognises.
//!
//! Every value is a fake (`scan::fake::generate`), never a real credential.

mod common;

use leaktriage::report::export::EXPORTS;
use leaktriage::scan::fake::{generate, Rng};
use leaktriage::secret::{public_prefix, Secret};
use leaktriage::{triage, Context, Input};
use serde_json::Value;
use std::path::Path;

/// Rules whose fakes are planted: a mix of prefixes, lengths and alphabets.
const RULES: &[&str] = &[
    "openai-project-key",
    "anthropic-api-key",
    "google-api-key",
    "github-pat",
    "slack-bot-token",
    "stripe-live-key",
    "huggingface-token",
    "postgres-url",
];

fn fakes(seed: u64) -> Vec<String> {
    let mut fakes = common::fakes_of(RULES, &mut Rng::new(seed));
    // A responder's rule's shape (tests/fixtures/rules/acme.toml, given with the evidence): only
    // that rules file knows it.
    fakes.push(generate("acmedt_{an:40}", &mut Rng::new(seed + 1)).secret);
    fakes
}

/// `text` with a fake appended to every string value, cell or line.
fn plant(name: &str, text: &str, k: &[String]) -> String {
    let mut n = 0usize;
    let mut next = || {
        n += 1;
        k[n % k.len()].clone()
    };
    if let Ok(mut v) = serde_json::from_str::<Value>(text) {
        walk(&mut v, &mut next);
        return v.to_string();
    }
    let mut out = String::with_capacity(text.len() * 2);
    let csv = name.ends_with(".csv");
    for (i, line) in text.lines().enumerate() {
        if let Ok(mut v) = serde_json::from_str::<Value>(line) {
            if v.is_object() {
                walk(&mut v, &mut next);
                out.push_str(&v.to_string());
                out.push('\n');
                continue;
            }
        }
        if csv && i > 0 {
            let cells: Vec<String> = line
                .split(',')
                .map(|c| match c.strip_suffix('"') {
                    Some(q) => format!("{q} {}\"", next()),
                    None => format!("{c} {}", next()),
                })
                .collect();
            out.push_str(&cells.join(","));
        } else if csv {
            out.push_str(line);
        } else {
            out.push_str(line);
            out.push(' ');
            out.push_str(&next());
        }
        out.push('\n');
    }
    out
}

fn walk(v: &mut Value, next: &mut dyn FnMut() -> String) {
    match v {
        Value::String(s) => {
            s.push(' ');
            s.push_str(&next());
        }
        Value::Array(a) => a.iter_mut().for_each(|x| walk(x, next)),
        Value::Object(o) => o.values_mut().for_each(|x| walk(x, next)),
        _ => {}
    }
}

fn fixtures() -> Vec<(String, String)> {
    let dir = common::root().join("tests/fixtures/evidence");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    dirs.sort_by_key(|e| e.path());
    for d in dirs {
        let mut files: Vec<_> = std::fs::read_dir(d.path()).unwrap().flatten().collect();
        files.sort_by_key(|e| e.path());
        for f in files {
            let p = f.path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".expected.json") || name.ends_with(".gz") {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(&p) {
                out.push((rel(&p, &dir), text));
            }
        }
    }
    out
}

fn rel(p: &Path, dir: &Path) -> String {
    p.strip_prefix(dir).unwrap().to_string_lossy().into_owned()
}

/// What a redacted form never shows: past the public prefix; for a URL, its password.
fn hidden_part(s: &str) -> &str {
    if let Some((_, rest)) = s.split_once("://") {
        if let Some((userinfo, _)) = rest.rsplit_once('@') {
            if let Some((_, pass)) = userinfo.split_once(':') {
                return pass;
            }
        }
    }
    &s[public_prefix(s).len()..]
}

#[test]
fn no_secret_planted_in_any_field_of_any_format_reaches_an_output() {
    let k = fakes(11);
    let fixtures = fixtures();
    let mut formats = std::collections::BTreeSet::new();
    let rules = Input::new(
        "acme.toml",
        std::fs::read(common::root().join("tests/fixtures/rules/acme.toml")).unwrap(),
    );
    for (name, text) in &fixtures {
        let planted = plant(name, text, &k);
        if planted == *text {
            continue;
        }
        formats.insert(name.split('/').next().unwrap_or("").to_string());
        let r = triage(
            &[Input::new(name.clone(), planted), rules.clone()],
            &Context::default(),
        );
        for e in EXPORTS {
            let out = (e.write)(&r);
            for s in &k {
                assert!(
                    !out.contains(s.as_str()),
                    "{name}: {:?} holds a whole secret {}",
                    e.id,
                    leaktriage::secret::redact(s)
                );
                let body: Vec<char> = hidden_part(s).chars().collect();
                for w in body.windows(8) {
                    let w: String = w.iter().collect();
                    if leaktriage::testkit::PUBLIC_MARKERS.contains(&w.as_str()) {
                        continue;
                    }
                    if let Some(at) = out.find(&w) {
                        let from = out[..at].char_indices().rev().nth(60).map_or(0, |x| x.0);
                        panic!(
                            "{name}: {:?} holds 8 characters of {}: {:?}",
                            e.id,
                            leaktriage::secret::redact(s),
                            &out[from..at]
                        );
                    }
                }
                assert!(
                    !out.contains(&Secret::new(s.as_str()).sha256()),
                    "{name}: {:?} holds a plain SHA-256",
                    e.id
                );
            }
        }
    }
    // One directory per reader: every one of them was planted.
    assert!(
        formats.len() >= 30,
        "only {} formats planted",
        formats.len()
    );
}
