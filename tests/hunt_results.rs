//! The hunts' results read back as evidence (Athena CSV, CloudTrail Lake GetQueryResults,
//! Splunk JSON and CSV exports): each gives the same events as the trail file the rows came
//! from, read by the trail's own reader, so detection and scope see no difference. The fixtures
//! (tests/fixtures/evidence/{athena_cloudtrail_csv,cloudtrail_lake_results,splunk_cloudtrail})
//! are synthetic: the demo trail's records written in each documented shape, with a bad row in
//! some; their golden files are checked by tests/evidence_golden.rs.

use leaktriage::evidence::{read, EvidenceKind, Input};
use leaktriage::Context;
use serde_json::Value;
use std::collections::BTreeMap;

/// The fields that make an event the same event, by event id.
fn events(name: &str, bytes: Vec<u8>) -> (EvidenceKind, BTreeMap<String, Value>, Value) {
    let r = read(&Input::new(name, bytes), &Context::default().csv_mappings);
    let mut out = BTreeMap::new();
    for e in &r.events {
        let mut v = serde_json::to_value(e).unwrap();
        let m = v.as_object_mut().unwrap();
        for k in ["source_format", "raw_ref", "ts_assumed_utc"] {
            m.remove(k);
        }
        let id = m["event_id"].as_str().unwrap().to_string();
        out.insert(id, v);
    }
    (r.file.kind, out, serde_json::to_value(&r.file).unwrap())
}

fn fixture(dir: &str, name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/evidence/{dir}/{name}")).unwrap()
}

#[test]
fn every_result_format_gives_the_trails_own_events() {
    let (_, trail, _) = events(
        "demo/cloudtrail-bedrock.json.gz",
        std::fs::read("public/demo/cloudtrail-bedrock.json.gz").unwrap(),
    );
    for (dir, name, kind, rows, bad_lines) in [
        (
            "athena_cloudtrail_csv",
            "synthetic-hunt-columns.csv",
            EvidenceKind::AthenaCloudtrailCsv,
            7,
            vec![4],
        ),
        (
            "athena_cloudtrail_csv",
            "synthetic-select-star.csv",
            EvidenceKind::AthenaCloudtrailCsv,
            7,
            vec![],
        ),
        (
            "cloudtrail_lake_results",
            "synthetic-get-query-results.json",
            EvidenceKind::CloudtrailLakeResults,
            7,
            vec![],
        ),
        (
            "splunk_cloudtrail",
            "synthetic-search-output.json",
            EvidenceKind::SplunkCloudtrail,
            7,
            vec![4],
        ),
        (
            "splunk_cloudtrail",
            "synthetic-export.csv",
            EvidenceKind::SplunkCloudtrail,
            7,
            vec![],
        ),
    ] {
        let (got_kind, got, file) = events(name, fixture(dir, name));
        assert_eq!(got_kind, kind, "{name}");
        assert_eq!(got.len(), rows, "{name}: {:?}", got.keys());
        for (id, e) in &got {
            let native = trail
                .get(id)
                .unwrap_or_else(|| panic!("{name}: {id} is not in the trail"));
            // The request and response reach Athena and Lake as text: what the reader needs of
            // them (model, targets) must still come through.
            assert_eq!(e, native, "{name}: {id}");
        }
        let problems: Vec<u64> = file["problems"]
            .as_array()
            .map(|p| p.iter().filter_map(|p| p["line"].as_u64()).collect())
            .unwrap_or_default();
        for line in &bad_lines {
            assert!(
                problems.contains(line),
                "{name}: no problem at line {line}: {file}"
            );
        }
    }
}

/// BigQuery rows of exported audit logs (the whole row, newline-delimited, and the hunt's flat
/// columns as `bq query --format=json` prints them) give the events of the log entries they
/// came from: the public Vertex AI sample, read by the Cloud Audit Logs reader. BigQuery keeps
/// times to the microsecond, so times (and the event ids made from them) are compared to the
/// microsecond; the flat columns carry no severity, so extras are left out.
#[test]
fn bigquery_rows_give_the_audit_logs_own_events() {
    fn micro(ts: &str) -> String {
        match ts.find('.') {
            Some(i) => ts[..(i + 7).min(ts.len())].to_string(),
            None => ts.to_string(),
        }
    }
    fn comparable(m: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
        m.values()
            .map(|e| {
                let mut e = e.clone();
                let o = e.as_object_mut().unwrap();
                let id = o.remove("event_id").unwrap();
                let id = id.as_str().unwrap();
                let (head, nanos) = id.rsplit_once(':').unwrap();
                let ts = micro(o["ts"].as_str().unwrap());
                o.insert("ts".into(), Value::String(ts));
                o.remove("extras");
                (format!("{head}:{}", &nanos[..nanos.len() - 3]), e)
            })
            .collect()
    }
    let (_, native, _) = events(
        "elastic-vertexai-auditlogs.log",
        std::fs::read("tests/fixtures/real/gcp-audit-log/elastic-vertexai-auditlogs.log").unwrap(),
    );
    let native = comparable(&native);
    assert_eq!(native.len(), 4);
    for (name, bad_line) in [
        ("synthetic-export.jsonl", Some(2)),
        ("synthetic-hunt-columns.json", None),
    ] {
        let (kind, got, file) = events(name, fixture("bigquery_audit_rows", name));
        assert_eq!(kind, EvidenceKind::BigqueryAuditRows, "{name}");
        assert_eq!(comparable(&got), native, "{name}");
        if let Some(line) = bad_line {
            let lines: Vec<u64> = file["problems"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p["line"].as_u64())
                .collect();
            assert!(lines.contains(&line), "{name}: {file}");
        }
    }
}

/// The Azure key-reads hunt's result exported from Log Analytics as CSV (the hunt's projected
/// columns, and a whole-table export with the dynamic columns as JSON text) gives the Activity
/// Log's own events: the caller, the operation, the account and the key the call acted on, the
/// outcome. The fixtures are synthetic, written from the table's documented columns ("Azure
/// Monitor Logs reference: AzureActivity") for the records of the Activity Log fixture.
#[test]
fn log_analytics_activity_rows_give_the_activity_logs_own_events() {
    /// What makes an event the same call: time, caller, address, operation, targets (the
    /// regenerated key's name among them), outcome.
    fn calls(m: &BTreeMap<String, Value>) -> Vec<Value> {
        let mut v: Vec<Value> = m
            .values()
            .map(|e| {
                let keep = [
                    "ts",
                    "principal",
                    "source_ip",
                    "operation",
                    "targets",
                    "error_code",
                ];
                let mut o = serde_json::Map::new();
                for k in keep {
                    if let Some(x) = e.get(k) {
                        o.insert(k.into(), x.clone());
                    }
                }
                o.insert(
                    "operation".into(),
                    Value::String(e["operation"].as_str().unwrap().to_ascii_lowercase()),
                );
                Value::Object(o)
            })
            .collect();
        v.sort_by_key(|e| e["ts"].as_str().unwrap().to_string());
        v
    }
    let (_, log, _) = events(
        "activity.json",
        fixture("azure_activity_log", "activity.json"),
    );
    let log = calls(&log);
    assert_eq!(log.len(), 3);
    let (kind, got, file) = events(
        "hunt.csv",
        fixture(
            "azure_activity_log",
            "synthetic-log-analytics-hunt-columns.csv",
        ),
    );
    assert_eq!(kind, EvidenceKind::AzureActivityLog);
    let got = calls(&got);
    assert_eq!(got, log);
    let problems: Vec<u64> = file["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["line"].as_u64())
        .collect();
    assert_eq!(problems, [4], "the row with no time, by its line: {file}");

    let (kind, got, file) = events(
        "table.csv",
        fixture("azure_activity_log", "synthetic-log-analytics-table.csv"),
    );
    assert_eq!(kind, EvidenceKind::AzureActivityLog);
    assert!(
        file.get("problems")
            .is_none_or(|p| p.as_array().unwrap().is_empty()),
        "{file}"
    );
    let got = calls(&got);
    assert_eq!(got.len(), 2);
    // The successful listKeys, here by a service principal's object id, and the regeneration
    // with the regenerated key's name from the request body.
    assert_eq!(got[0]["principal"], "5e6f7a8b-0000-4000-8000-00000000000b");
    assert_eq!(got[0]["targets"], log[1]["targets"]);
    assert_eq!(got[0]["source_ip"], "203.0.113.77");
    assert_eq!(got[1], log[2]);
}
