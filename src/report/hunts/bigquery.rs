//! BigQuery hunts (GoogleSQL) over the Cloud Audit Logs a log sink exports to BigQuery: what the
//! leaked service-account keys or principals did, and everything the attacker's addresses did.
//!
//! Sources: Cloud Logging, "Route logs to supported destinations" and "View logs routed to
//! BigQuery" (the tables `cloudaudit_googleapis_com_activity` and
//! `cloudaudit_googleapis_com_data_access`, the `protopayload_auditlog` record with
//! `authenticationInfo.principalEmail`, `authenticationInfo.serviceAccountKeyName`,
//! `requestMetadata.callerIp`); BigQuery, "Lexical structure and syntax" (string and timestamp
//! literals).

use super::quote::{list, spark};
use super::values::Values;
use super::{Dialect, Hunt};

/// The exported tables the hunts read: Admin Activity and Data Access audit logs (Vertex AI and
/// Gemini calls are Data Access entries).
const TABLES: [&str; 2] = [
    "cloudaudit_googleapis_com_activity",
    "cloudaudit_googleapis_com_data_access",
];

/// The columns each hunt returns (the response, as JSON text, names what a create call made:
/// a new service-account key).
const COLUMNS: &str = "timestamp, logName, insertId, resource.labels.project_id, protopayload_auditlog.serviceName, protopayload_auditlog.methodName, protopayload_auditlog.resourceName, protopayload_auditlog.authenticationInfo.principalEmail, protopayload_auditlog.authenticationInfo.serviceAccountKeyName, protopayload_auditlog.requestMetadata.callerIp, protopayload_auditlog.requestMetadata.callerSuppliedUserAgent, protopayload_auditlog.status.code AS status_code, protopayload_auditlog.responseJson";

pub(super) fn hunts(v: &Values) -> Vec<Hunt> {
    if v.gcp_key_names.is_empty() && v.gcp_principals.is_empty() {
        return Vec::new();
    }
    let auth = "protopayload_auditlog.authenticationInfo";
    let mut by_key = Vec::new();
    if !v.gcp_key_names.is_empty() {
        by_key.push(format!(
            "{auth}.serviceAccountKeyName IN ({})",
            list(&v.gcp_key_names, spark)
        ));
    }
    if !v.gcp_principals.is_empty() {
        by_key.push(format!(
            "{auth}.principalEmail IN ({})",
            list(&v.gcp_principals, spark)
        ));
    }
    let names: Vec<String> = v
        .gcp_key_names
        .iter()
        .chain(&v.gcp_principals)
        .cloned()
        .collect();
    let mut out = vec![hunt(
        "key_activity",
        format!(
            "every call made with the GCP key(s) or principal(s) {}",
            names.join(", ")
        ),
        &by_key.join(" OR "),
        v,
    )];
    if !v.attacker_ips.is_empty() {
        let ips: Vec<String> = v.attacker_ips.iter().map(|a| a.to_string()).collect();
        out.push(hunt(
            "attacker_ips",
            format!(
                "every GCP call from the attacker's address(es), with any credential: {}",
                ips.join(", ")
            ),
            &format!(
                "protopayload_auditlog.requestMetadata.callerIp IN ({})",
                list(&ips, spark)
            ),
            v,
        ));
    }
    out
}

fn hunt(id: &str, title: String, condition: &str, v: &Values) -> Hunt {
    let mut filter = format!("({condition})");
    if let Some(f) = &v.from {
        filter.push_str(&format!(
            "\n  AND timestamp >= TIMESTAMP {}",
            spark(&f.format("%Y-%m-%d %H:%M:%S+00").to_string())
        ));
    }
    let selects: Vec<String> = TABLES
        .iter()
        .map(|t| format!("SELECT {COLUMNS}\nFROM `PROJECT_ID.DATASET.{t}`\nWHERE {filter}"))
        .collect();
    Hunt {
        id: format!("bigquery.{id}"),
        dialect: Dialect::BigQuery,
        title,
        returns: "one row per audit log entry (Admin Activity and Data Access): time, log, entry id, project, service, method, resource, the principal and the key it used, caller IP and user agent, status code".into(),
        fill_in: vec![
            "PROJECT_ID.DATASET: the project and dataset your log sink writes to (partitioned tables; for date-sharded tables add _* to each table name)".into(),
            "Data Access logs are exported only where they are enabled; drop that half of the query if the table does not exist".into(),
        ],
        notes: super::notes(v),
        query: format!("{}\nORDER BY timestamp;\n", selects.join("\nUNION ALL\n")),
    }
}
