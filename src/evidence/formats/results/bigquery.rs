//! BigQuery rows of exported Cloud Audit Logs, as `bq query --format=json` prints them (an array)
//! or as `bq extract` and the console's "Save results" write them (newline-delimited JSON): a
//! whole row (`protopayload_auditlog`, `resource`, `timestamp` …, the tables
//! `cloudaudit_googleapis_com_activity` / `_data_access`) or the BigQuery hunt's flat columns
//! (`principalEmail`, `serviceAccountKeyName`, `callerIp`, `status_code` …). Each row is rebuilt
//! as the log entry it came from and read by the Cloud Audit Logs reader.
//!
//! Sources: Cloud Logging, "View logs routed to BigQuery" (the exported tables' fields, the
//! `protopayload_auditlog` record, with `requestJson` / `responseJson` / `metadataJson` as JSON
//! text, as the Community Security Analytics queries read them); BigQuery, "Exporting table
//! data" (newline-delimited JSON; timestamps written as `YYYY-MM-DD HH:MM:SS[.ffffff] UTC`).

use crate::evidence::fields::type_name;
use crate::evidence::formats::gcp::entry;
use crate::evidence::json::walk;
use crate::evidence::out::Out;
use serde_json::{json, Map, Value};

/// Reads BigQuery audit-log rows.
pub fn rows(input: &str, out: &mut Out) {
    walk(input, &[], out, &mut |out, v, loc| {
        let Some(row) = v.as_object() else {
            out.problem(
                loc,
                None,
                format!("expected a row, found {}; skipped", type_name(&v)),
            );
            return;
        };
        entry(out, &log_entry(row), loc, "bigquery.audit_log");
    });
}

/// `2026-11-13 10:00:00.123456 UTC` (BigQuery's JSON export) and `1.794564000123456E9` (the
/// seconds since 1970 that BigQuery's API, `tabledata.list` and `jobs.getQueryResults`, gives
/// for a TIMESTAMP) as RFC 3339; other spellings as given.
fn timestamp(t: &str) -> String {
    if let Some(rest) = t.trim().strip_suffix(" UTC") {
        return format!("{}Z", rest.replacen(' ', "T", 1));
    }
    epoch_seconds(t.trim())
        .and_then(|(secs, micros)| chrono::DateTime::from_timestamp(secs, micros * 1000))
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .unwrap_or_else(|| t.to_string())
}

/// Seconds and microseconds of a decimal number of seconds, as BigQuery's API writes one
/// (`1.794564000123456E9`, or without the exponent), read digit by digit (no rounding through a
/// float); `None` for anything else, a negative number or digits past the microsecond.
fn epoch_seconds(t: &str) -> Option<(i64, u32)> {
    let (mantissa, exp) = match t.split_once(['E', 'e']) {
        Some((m, e)) => (m, e.strip_prefix('+').unwrap_or(e).parse::<i32>().ok()?),
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = [int, frac].concat();
    if int.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 30 {
        return None;
    }
    // Where the decimal point falls among the digits once the exponent is applied.
    let point = int.len() as i32 + exp;
    if point <= 0 || point as usize > digits.len() + 12 {
        return None;
    }
    let point = point as usize;
    let padded = format!("{digits:0<width$}", width = point.max(digits.len()));
    let (whole, part) = padded.split_at(point);
    let part = part.trim_end_matches('0');
    if part.len() > 6 {
        return None;
    }
    let secs = whole.parse::<i64>().ok()?;
    let micros = format!("{part:0<6}").parse::<u32>().ok()?;
    Some((secs, micros))
}

/// The log entry a row came from.
fn log_entry(row: &Map<String, Value>) -> Value {
    let get = |k: &str| row.get(k).filter(|v| !v.is_null());
    let text = |k: &str| get(k).and_then(Value::as_str);
    let mut payload = match get("protopayload_auditlog") {
        Some(Value::Object(p)) => Value::Object(p.clone()),
        _ => json!({}),
    };
    // The hunt's flat columns, each put back where the entry holds it.
    let places: [(&str, &[&str]); 9] = [
        ("serviceName", &["serviceName"]),
        ("methodName", &["methodName"]),
        ("resourceName", &["resourceName"]),
        ("principalEmail", &["authenticationInfo", "principalEmail"]),
        (
            "serviceAccountKeyName",
            &["authenticationInfo", "serviceAccountKeyName"],
        ),
        ("callerIp", &["requestMetadata", "callerIp"]),
        (
            "callerSuppliedUserAgent",
            &["requestMetadata", "callerSuppliedUserAgent"],
        ),
        ("status_code", &["status", "code"]),
        ("responseJson", &["responseJson"]),
    ];
    for (col, path) in places {
        if let Some(v) = get(col) {
            put(&mut payload, path, v.clone());
        }
    }
    // The export writes the entry's `request`, `response` and `metadata` as JSON text in
    // `requestJson`, `responseJson` and `metadataJson`: put each back as the object it was
    // (a created key's name is in the response).
    for (text_col, field) in [
        ("requestJson", "request"),
        ("responseJson", "response"),
        ("metadataJson", "metadata"),
    ] {
        if payload.get(field).is_some() {
            continue;
        }
        let parsed = payload
            .get(text_col)
            .and_then(Value::as_str)
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
            .filter(Value::is_object);
        if let Some(v) = parsed {
            payload[field] = v;
        }
    }
    let mut e = Map::new();
    if let Some(t) = text("timestamp") {
        e.insert("timestamp".into(), Value::String(timestamp(t)));
    }
    for k in ["logName", "insertId", "severity"] {
        if let Some(v) = get(k) {
            e.insert(k.into(), v.clone());
        }
    }
    match (get("resource"), get("project_id")) {
        (Some(r), _) => {
            e.insert("resource".into(), r.clone());
        }
        (None, Some(p)) => {
            e.insert("resource".into(), json!({ "labels": { "project_id": p } }));
        }
        _ => {}
    }
    e.insert("protoPayload".into(), payload);
    Value::Object(e)
}

/// Sets `path` in `v` to `value`, making the objects on the way.
fn put(v: &mut Value, path: &[&str], value: Value) {
    let mut cur = v;
    for k in &path[..path.len() - 1] {
        if !cur.get(*k).is_some_and(Value::is_object) {
            cur[*k] = json!({});
        }
        cur = &mut cur[*k];
    }
    cur[path[path.len() - 1]] = value;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apis_seconds_since_1970_are_read_as_the_exports_time() {
        for (given, want) in [
            (
                "2026-11-13 10:00:00.123456 UTC",
                "2026-11-13T10:00:00.123456Z",
            ),
            ("1.794564000123456E9", "2026-11-13T10:00:00.123456Z"),
            ("1.794564E9", "2026-11-13T10:00:00Z"),
            ("1.7945640001E+9", "2026-11-13T10:00:00.100Z"),
            ("1794564000", "2026-11-13T10:00:00Z"),
            ("1794564000.5", "2026-11-13T10:00:00.500Z"),
            // Not seconds this reader can read exactly: kept as given.
            ("1.7945640001234567E9", "1.7945640001234567E9"),
            ("-1.794564E9", "-1.794564E9"),
            ("1.794564E-9", "1.794564E-9"),
            ("soon", "soon"),
            ("1e400", "1e400"),
        ] {
            assert_eq!(timestamp(given), want, "{given}");
        }
    }

    #[test]
    fn a_created_key_is_read_from_the_rows_response_json() {
        let row = json!({"timestamp": "2026-11-13 10:00:00 UTC", "insertId": "k1",
        "resource": {"type": "service_account", "labels": {"project_id": "p-1"}},
        "protopayload_auditlog": {
            "serviceName": "iam.googleapis.com",
            "methodName": "google.iam.admin.v1.CreateServiceAccountKey",
            "resourceName": "projects/-/serviceAccounts/123",
            "authenticationInfo": {"principalEmail": "attacker@example.com"},
            "requestJson": "{\"@type\":\"type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest\"}",
            "responseJson": "{\"name\":\"projects/p-1/serviceAccounts/sa@p-1.iam.gserviceaccount.com/keys/0f1e2d\"}"
        }});
        let line = serde_json::to_string(&row).unwrap();
        let r = crate::evidence::read(
            &crate::evidence::Input::new("rows.jsonl", line.into_bytes()),
            &Default::default(),
        );
        assert_eq!(
            r.file.kind,
            crate::evidence::EvidenceKind::BigqueryAuditRows
        );
        let t = &r.events[0].targets;
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].kind, "service_account_key");
        assert_eq!(
            t[0].id,
            "projects/p-1/serviceAccounts/sa@p-1.iam.gserviceaccount.com/keys/0f1e2d"
        );
        assert_eq!(
            r.events[0].principal.as_deref(),
            Some("attacker@example.com")
        );
    }

    #[test]
    fn the_hunts_response_column_names_the_created_key() {
        let row = json!({"timestamp": "2026-11-13 10:00:00 UTC", "insertId": "k2",
            "project_id": "p-1", "methodName": "google.iam.admin.v1.CreateServiceAccountKey",
            "resourceName": "projects/-/serviceAccounts/123", "principalEmail": "a@b.c",
            "responseJson": "{\"name\":\"projects/p-1/serviceAccounts/sa@p-1.iam.gserviceaccount.com/keys/9a8b\"}"});
        let e = log_entry(row.as_object().unwrap());
        assert_eq!(
            e["protoPayload"]["response"]["name"],
            "projects/p-1/serviceAccounts/sa@p-1.iam.gserviceaccount.com/keys/9a8b"
        );
    }

    #[test]
    fn a_flat_hunt_row_becomes_the_entry_it_came_from() {
        let row = json!({"timestamp": "2026-11-13 10:00:00.123456 UTC", "insertId": "x1",
            "project_id": "p-1", "methodName": "m", "principalEmail": "a@b.c",
            "callerIp": "203.0.113.5", "status_code": 7});
        let e = log_entry(row.as_object().unwrap());
        assert_eq!(e["timestamp"], "2026-11-13T10:00:00.123456Z");
        assert_eq!(e["resource"]["labels"]["project_id"], "p-1");
        assert_eq!(
            e["protoPayload"]["authenticationInfo"]["principalEmail"],
            "a@b.c"
        );
        assert_eq!(
            e["protoPayload"]["requestMetadata"]["callerIp"],
            "203.0.113.5"
        );
        assert_eq!(e["protoPayload"]["status"]["code"], 7);
    }
}
