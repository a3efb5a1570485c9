//! Hunts: the queries to run where an organisation's logs live (Athena or CloudTrail Lake over
//! CloudTrail, Spark SQL over CloudTrail files in object storage, Splunk, BigQuery over exported
//! Cloud Audit Logs, Azure Monitor, the AI providers' admin APIs), for the leaked credentials
//! and the window the report found.
//!
//! Each hunt is built from values the report holds (access key ids, attacker IPs, the exposure
//! window, from a day before the earliest exposure or suspicious use, left open at its end),
//! each value checked against its shape ([`values`]) and quoted for its dialect
//! ([`quote`]): a hostile key id or user name in the evidence cannot break out of a query. A
//! value that fails its shape is left out and said in the hunt's notes.
//!
//! Files: [`values`] (what the report gives: ids, IPs, the window), [`quote`] (literals per
//! dialect), [`cloudtrail`] (Athena, CloudTrail Lake, Spark SQL, Splunk), [`bigquery`]
//! (GoogleSQL over Cloud Audit Logs), [`azure`] (KQL),
//! [`providers`] (OpenAI and Anthropic admin API calls).

mod azure;
mod bigquery;
mod cloudtrail;
mod providers;
pub mod quote;
pub mod values;

use serde::{Deserialize, Serialize};

/// Where a hunt runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// Amazon Athena (Trino SQL) over the CloudTrail table of AWS's documented DDL.
    Athena,
    /// AWS CloudTrail Lake SQL over an event data store.
    CloudtrailLake,
    /// Spark SQL over CloudTrail's JSON files in object storage (Databricks, EMR).
    SparkSql,
    /// Splunk SPL over the `aws:cloudtrail` sourcetype.
    Spl,
    /// BigQuery (GoogleSQL) over the Cloud Audit Logs tables a log sink exports.
    #[serde(rename = "bigquery")]
    BigQuery,
    /// Kusto (KQL) for Azure Monitor Log Analytics and Microsoft Sentinel.
    Kql,
    /// A shell command calling a provider's admin API.
    Shell,
}

impl Dialect {
    /// The dialect in words.
    pub fn label(self) -> &'static str {
        match self {
            Dialect::Athena => "Amazon Athena (Trino SQL)",
            Dialect::CloudtrailLake => "CloudTrail Lake SQL",
            Dialect::SparkSql => "Spark SQL",
            Dialect::Spl => "Splunk SPL",
            Dialect::BigQuery => "BigQuery (GoogleSQL)",
            Dialect::Kql => "KQL (Azure Monitor, Sentinel)",
            Dialect::Shell => "shell (provider admin API)",
        }
    }

    /// The file extension of a hunt in this dialect.
    pub fn extension(self) -> &'static str {
        match self {
            Dialect::Athena | Dialect::CloudtrailLake | Dialect::SparkSql | Dialect::BigQuery => {
                "sql"
            }
            Dialect::Spl => "spl",
            Dialect::Kql => "kql",
            Dialect::Shell => "sh",
        }
    }
}

/// One query to run elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hunt {
    /// Stable id (`athena.key_activity`), also its file name under `--hunts DIR`.
    pub id: String,
    /// Where it runs.
    pub dialect: Dialect,
    /// What it looks for, in words.
    pub title: String,
    /// What it returns, in words.
    pub returns: String,
    /// What to fill in before running it (a table or event data store name, a bucket).
    pub fill_in: Vec<String>,
    /// Values left out because they failed their shape, and other remarks.
    pub notes: Vec<String>,
    /// The query or command, ready to paste.
    pub query: String,
}

/// The hunts for a report.
pub fn build(r: &super::Report, ctx: &crate::Context) -> Vec<Hunt> {
    let v = values::of(r, ctx);
    let mut out = Vec::new();
    out.extend(cloudtrail::hunts(&v));
    out.extend(bigquery::hunts(&v));
    out.extend(azure::hunts(&v));
    out.extend(providers::hunts(&v));
    out
}

/// The notes every query hunt carries: the values left out, and an open window when no time is
/// known.
fn notes(v: &values::Values) -> Vec<String> {
    let mut n: Vec<String> = v
        .rejected
        .iter()
        .map(|r| format!("left out: {r}"))
        .collect();
    if v.from.is_none() {
        n.push(
            "no exposure or first-use time is known: the query covers all time; narrow it once \
             you know when the key leaked"
                .into(),
        );
    }
    n
}

/// The hunts as one text (the CLI's `--hunts` index and the Markdown report's section use the
/// same words).
pub fn describe(h: &Hunt) -> String {
    let mut s = format!(
        "{} ({:?}): {}\nReturns: {}\n",
        h.id, h.dialect, h.title, h.returns
    );
    for f in &h.fill_in {
        s.push_str(&format!("Fill in: {f}\n"));
    }
    for n in &h.notes {
        s.push_str(&format!("Note: {n}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::demo_report;
    use crate::Context;

    /// The hunt of that id.
    fn find<'h>(hunts: &'h [Hunt], id: &str) -> &'h Hunt {
        hunts
            .iter()
            .find(|h| h.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    }

    #[test]
    fn the_demo_gets_cloudtrail_hunts_for_its_key_and_provider_calls() {
        let ctx = Context {
            now: Some("2026-11-20T15:00:00Z".parse().unwrap()),
            ..Context::default()
        };
        let r = demo_report(&ctx);
        let ids: Vec<&str> = r.hunts.iter().map(|h| h.id.as_str()).collect();
        for id in [
            "athena.key_activity",
            "cloudtrail_lake.key_activity",
            "spark.key_activity",
            "splunk.key_activity",
            "athena.attacker_ips",
            "openai.usage_by_key",
            "anthropic.usage_by_key",
        ] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        let athena = find(&r.hunts, "athena.key_activity");
        assert!(
            athena.query.contains("'AKIASBJJI5TV64XJWYDC'"),
            "{}",
            athena.query
        );
        // The window opens a day before the secret was committed and stays open: the attacker
        // may still be at work when the query runs.
        assert!(
            athena.query.contains("eventtime >= '2026-11-12T16:42:10Z'"),
            "{}",
            athena.query
        );
        assert!(!athena.query.contains("eventtime <="), "{}", athena.query);
        let ips = find(&r.hunts, "splunk.attacker_ips");
        assert!(
            ips.query.contains("sourceIPAddress=\"198.51.100.25\""),
            "{}",
            ips.query
        );
        // No Azure credential in the demo: no KQL.
        assert!(!ids.iter().any(|i| i.starts_with("kql.")));
    }

    #[test]
    fn a_hostile_key_id_or_address_never_reaches_a_query() {
        let ctx = Context::default();
        let mut r = demo_report(&ctx);
        r.detection.keys[0].key = "AKIA' OR '1'='1' --X".into();
        r.detection.timeline.attacker_ips[0].value = "1.2.3.4' OR 1=1 --".into();
        let hunts = build(&r, &ctx);
        for h in &hunts {
            assert!(!h.query.contains("OR '1'='1'"), "{}", h.query);
            assert!(!h.query.contains("OR 1=1"), "{}", h.query);
        }
        let athena = find(&hunts, "athena.key_activity");
        assert!(
            athena.notes.iter().any(|n| n.contains("not 20 upper-case")),
            "{:?}",
            athena.notes
        );
        assert!(athena.notes.iter().any(|n| n.contains("not an IP address")));
    }

    /// A GCP key summary like the one the audit-log reader's events give.
    fn gcp_key(r: &crate::Report, key: &str) -> crate::detect::KeySummary {
        let mut k = r.detection.keys[0].clone();
        k.key = key.into();
        k.provider = "gcp_vertex".into();
        k
    }

    #[test]
    fn gcp_keys_and_principals_get_bigquery_hunts_over_both_audit_tables() {
        let ctx = Context::default();
        let mut r = demo_report(&ctx);
        let name = "//iam.googleapis.com/projects/p-1/serviceAccounts/bot@p-1.iam.gserviceaccount.com/keys/0123456789abcdef0123456789abcdef01234567";
        r.detection.keys.push(gcp_key(&r, name));
        r.detection.keys.push(gcp_key(&r, "dev@example.com"));
        let hunts = build(&r, &ctx);
        let bq = find(&hunts, "bigquery.key_activity");
        assert_eq!(bq.dialect, Dialect::BigQuery);
        assert!(
            bq.query
                .contains(&format!("serviceAccountKeyName IN ('{name}')")),
            "{}",
            bq.query
        );
        assert!(bq.query.contains("principalEmail IN ('dev@example.com')"));
        for t in [
            "cloudaudit_googleapis_com_activity`",
            "cloudaudit_googleapis_com_data_access`",
        ] {
            assert!(bq.query.contains(t), "{}", bq.query);
        }
        assert!(
            bq.query
                .contains("timestamp >= TIMESTAMP '2026-11-12 16:42:10+00'"),
            "{}",
            bq.query
        );
        let ips = find(&hunts, "bigquery.attacker_ips");
        assert!(
            ips.query.contains("callerIp IN ('198.51.100.25'"),
            "{}",
            ips.query
        );
        // Keys of other providers stay out of BigQuery.
        assert!(!bq.query.contains("AKIA"));
    }

    #[test]
    fn a_hostile_gcp_principal_never_reaches_a_query() {
        let ctx = Context::default();
        let mut r = demo_report(&ctx);
        r.detection
            .keys
            .push(gcp_key(&r, "x\\' OR 1=1 --@evil.example"));
        r.detection.keys.push(gcp_key(
            &r,
            "//iam.googleapis.com/projects/p/serviceAccounts/a@b.c/keys/00') OR TRUE --",
        ));
        r.detection.keys.push(gcp_key(&r, "ok@example.com"));
        let hunts = build(&r, &ctx);
        let bq = find(&hunts, "bigquery.key_activity");
        assert!(!bq.query.contains("OR 1=1"), "{}", bq.query);
        assert!(!bq.query.contains("OR TRUE"), "{}", bq.query);
        assert!(bq.query.contains("'ok@example.com'"), "{}", bq.query);
        assert_eq!(
            bq.notes
                .iter()
                .filter(|n| n.contains("GCP key name or principal of an unexpected shape"))
                .count(),
            2,
            "{:?}",
            bq.notes
        );
    }
}
