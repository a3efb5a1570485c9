//! The real-sample corpus: every file under tests/fixtures/real/<source>/ (copied from public
//! provider docs, API specs, SDK and SIEM rule tests; PROVENANCE.md there names each source) is
//! read and triaged on its own, and what the tool reads from it is compared with
//! `<file>.golden.json` beside it: the file's kind, record count, notes and problems (with their
//! line); each event's time, key, actor, targets and operation; the alerts raised (kind,
//! severity, key, what they name), the created access and logging or guardrail changes named
//! as indicators, the abuse verdict and the cost the attacker is charged with.
//! `UPDATE_GOLDEN=1 cargo test --test real_corpus` rewrites the golden files; inspect the diff.

mod common;

use leaktriage::evidence::{read, Input};
use leaktriage::{triage, Context};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const ROOT: &str = "tests/fixtures/real";

fn samples() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in std::fs::read_dir(ROOT).expect("corpus dir") {
        let d = d.expect("entry").path();
        if !d.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&d).expect("source dir") {
            let p = f.expect("entry").path();
            if !p.to_string_lossy().ends_with(".golden.json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn golden_path(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".golden.json");
    PathBuf::from(s)
}

fn name(p: &Path) -> String {
    p.strip_prefix(ROOT)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// What the tool reads from one sample, as pretty JSON.
fn reading(p: &Path) -> String {
    let input = Input::new(name(p), std::fs::read(p).unwrap());
    let r = read(&input, &Default::default());
    let f = &r.file;
    let events: Vec<Value> = r
        .events
        .iter()
        .map(|e| {
            let mut v = json!({
                "ts": if e.ts_unknown { "undated".to_string() } else { e.ts.to_rfc3339() },
                "provider": e.provider,
                "format": e.source_format,
                "record_kind": e.record_kind,
                "key": leaktriage::detect::key_of(e),
                "operation": e.operation,
            });
            let o = v.as_object_mut().unwrap();
            let mut put = |k: &str, x: Value| {
                if !x.is_null() {
                    o.insert(k.into(), x);
                }
            };
            put("actor", json!(e.principal));
            put("actor_type", json!(e.extras.get("actor_type")));
            put("scope", json!(e.project));
            if !e.targets.is_empty() {
                put("targets", json!(e.targets));
            }
            put("requests", json!(e.requests));
            put("input_tokens", json!(e.input_tokens));
            put("output_tokens", json!(e.output_tokens));
            put("cost_usd", json!(e.cost_usd));
            put("source_ip", json!(e.source_ip));
            put("user_agent", json!(e.user_agent));
            put("error", json!(e.error_code));
            v
        })
        .collect();
    let report = triage(&[input], &Context::default());
    let d = &report.detection;
    let alerts: Vec<Value> = d
        .alerts
        .iter()
        .map(|a| {
            json!({
                "kind": a.kind,
                "severity": a.severity,
                "key": a.key,
                "provider": a.provider,
                "values": a.values,
                "targets": a.targets,
                "sentence": a.sentence,
            })
        })
        .collect();
    let iocs = |kind: &str| -> Vec<&str> {
        report
            .summary
            .iocs
            .iter()
            .filter(|i| i.kind.as_str() == kind)
            .map(|i| i.value.as_str())
            .collect()
    };
    let mut v = json!({
        "kind": f.kind,
        "records": f.records,
        "duplicates": f.duplicates,
        "note": f.note,
        "problems": f
            .problems
            .iter()
            .map(|p| match p.line {
                Some(l) => format!("line {l}: {}", p.message),
                None => p.message.clone(),
            })
            .collect::<Vec<_>>(),
        "assumptions": f.assumptions,
        "events": events,
        "alerts": alerts,
        "created_access": iocs("created_access"),
        "logging_changes": iocs("logging_change"),
        "undated_events": d.undated.len(),
        "detection_events": d.events,
        "duplicates_merged": d.duplicates_dropped,
        "cost": {
            "attacker_cost_usd": d.cost.attacker_cost_usd,
            "note": d.cost.note,
        },
        "headline": d.summary.headline,
        "abuse_verdict": report.summary.abuse.verdict,
    });
    // Secrets read are named where there are some (rotated, not removed).
    let read = iocs("secret_read");
    if !read.is_empty() {
        v["secrets_read"] = json!(read);
    }
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

#[test]
fn every_real_sample_is_read_as_its_golden_file_says() {
    let all = samples();
    assert!(all.len() >= 40, "the corpus lost files: {}", all.len());
    let failed: Vec<String> = all
        .iter()
        .filter_map(|p| common::check_golden(&golden_path(p), &reading(p)).err())
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_real_sample_has_its_provenance() {
    let prov = std::fs::read_to_string(Path::new(ROOT).join("PROVENANCE.md")).unwrap();
    for p in samples() {
        let n = name(&p);
        assert!(
            prov.contains(&format!("| {n} |")),
            "{n} has no row in PROVENANCE.md"
        );
    }
}

#[test]
fn the_whole_corpus_at_once_never_mixes_providers_in_a_key_or_charges_keyless_cost() {
    let inputs: Vec<Input> = samples()
        .iter()
        .map(|p| Input::new(name(p), std::fs::read(p).unwrap()))
        .collect();
    let r = triage(&inputs, &Context::default());
    let d = &r.detection;
    // Rows without a key are grouped by provider and scope, each group one provider's.
    let keyless: Vec<(&str, &str)> = d
        .keys
        .iter()
        .filter(|k| leaktriage::detect::is_keyless(&k.key))
        .map(|k| (k.key.as_str(), k.provider.as_str()))
        .collect();
    assert!(keyless.len() >= 4, "{keyless:?}");
    for (k, provider) in &keyless {
        assert!(
            k.starts_with(&format!("(no key: {provider} ")),
            "{k} {provider}"
        );
    }
    // Each alert's evidence rows come from files of the alert's provider only.
    let provider_of: std::collections::BTreeMap<&str, &Vec<String>> = r
        .evidence
        .iter()
        .map(|f| (f.name.as_str(), &f.providers))
        .collect();
    for a in &d.alerts {
        for e in &a.evidence {
            assert!(
                provider_of[e.file.as_str()].contains(&a.provider),
                "{} on {} cites {}",
                a.id,
                a.key,
                e.file
            );
        }
    }
    // No cost without a key is charged to the attacker.
    for c in &d.cost.per_key {
        if leaktriage::detect::is_keyless(&c.key) {
            assert_eq!(c.totals.attacker_cost_usd, 0.0, "{}", c.key);
        }
    }
    // The records whose time the authors redacted are kept, undated, and the probe among them
    // names its source address as an indicator.
    assert_eq!(
        d.undated
            .iter()
            .filter(|u| u.provider.starts_with("aws"))
            .count(),
        2
    );
    // GitHub audit copies without any time still name the webhooks they created.
    assert!(r
        .summary
        .iocs
        .iter()
        .any(|i| i.kind.as_str() == "created_access" && i.value == "webhook 111222333444555"));
    assert!(r
        .summary
        .iocs
        .iter()
        .any(|i| i.kind.as_str() == "ip" && i.value == "83.7.139.184"));
}

/// Real exports of four providers at once: OpenAI and Anthropic cost reports (no key), an
/// OpenRouter activity CSV (no key) and CloudTrail records of a console session turning a
/// Bedrock guardrail off (no cost at all).
const MIXED: &[&str] = &[
    "openai-costs-api/spec-costs.json",
    "anthropic-cost-report/platform-docs-cost-report.json",
    "openrouter-csv/router-eval-7col-1row.csv",
    "cloudtrail-bedrock/panther-guardrail-update-delete.jsonl",
];

#[test]
fn several_providers_at_once_keep_cost_per_provider_and_never_print_unknown_as_zero() {
    let inputs: Vec<Input> = MIXED
        .iter()
        .map(|n| Input::new(*n, std::fs::read(Path::new(ROOT).join(n)).unwrap()))
        .collect();
    let r = triage(&inputs, &Context::default());
    let d = &r.detection;
    // The CloudTrail session is abused, and CloudTrail has no cost: its share is unknown.
    let unknown = leaktriage::detect::cost_unknown_keys(&d.summary.abused_keys);
    assert!(!unknown.is_empty(), "{:?}", d.summary.abused_keys);
    for text in [&r.summary.cost.text, &d.summary.headline] {
        assert!(text.contains("unknown"), "{text}");
        assert!(unknown.iter().all(|k| text.contains(k)), "{text}");
        assert!(!text.contains("$0"), "{text}");
    }
    // Per model, no row sums two providers; rows without a model are named by provider.
    assert!(!d.cost.per_model.contains_key("(none)"));
    for name in d.cost.per_model.keys() {
        if let Some(p) = name.strip_prefix("(no model: ") {
            assert!(
                [
                    "openai)",
                    "anthropic)",
                    "openrouter)",
                    "aws_bedrock)",
                    "aws)"
                ]
                .contains(&p),
                "{name}"
            );
        }
    }
    // No printed cost says $0.00 where the cost is unknown: the summary, the Markdown and
    // text reports, and the indicators' CSV.
    let md = leaktriage::report::export::markdown::render(&r);
    let txt = leaktriage::report::render_text(&r);
    let csv = leaktriage::report::export::iocs_csv::to_csv(&r);
    for (what, out) in [("markdown", &md), ("text", &txt), ("csv", &csv)] {
        for line in out
            .lines()
            .filter(|l| l.contains("$0.00") || l.contains("$0;") || l.contains("$0."))
        {
            assert!(
                !unknown.iter().any(|k| line.contains(k)) && !line.contains("attacker"),
                "{what}: {line}"
            );
        }
    }
}
