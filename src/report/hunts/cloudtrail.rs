//! CloudTrail hunts: what the leaked access keys did, and everything the attacker's addresses
//! did, in Athena (Trino) over the table of AWS's documented CloudTrail DDL, CloudTrail Lake,
//! Spark SQL over the JSON files in object storage, and Splunk's `aws:cloudtrail` sourcetype.
//!
//! Sources: AWS CloudTrail User Guide, "Querying AWS CloudTrail logs" (Athena table and its
//! columns) and "CloudTrail Lake queries" (`eventTime`, `userIdentity.accessKeyId`); Splunk
//! Add-on for AWS, "Source types for the Splunk Add-on for AWS" (`aws:cloudtrail`).

use super::quote::{double, list, spark, sql};
use super::values::Values;
use super::{Dialect, Hunt};
use chrono::{DateTime, Utc};

/// The columns every CloudTrail hunt returns, in the Athena table's spelling.
const COLUMNS: &str = "eventtime, eventid, eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode, errormessage, useridentity.arn, useridentity.accesskeyid, recipientaccountid, requestparameters, responseelements";

fn iso(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What the hunts search by: the key ids, or the attacker's addresses.
struct By {
    id: &'static str,
    title: String,
    athena_col: &'static str,
    lake_col: &'static str,
    spark_col: &'static str,
    spl_field: &'static str,
    values: Vec<String>,
}

pub(super) fn hunts(v: &Values) -> Vec<Hunt> {
    let mut bys = Vec::new();
    if !v.aws_key_ids.is_empty() {
        bys.push(By {
            id: "key_activity",
            title: format!(
                "every call made with the leaked access key(s) {}",
                v.aws_key_ids.join(", ")
            ),
            athena_col: "useridentity.accesskeyid",
            lake_col: "userIdentity.accessKeyId",
            spark_col: "r.userIdentity.accessKeyId",
            spl_field: "userIdentity.accessKeyId",
            values: v.aws_key_ids.clone(),
        });
    }
    if !v.attacker_ips.is_empty() && !v.aws_key_ids.is_empty() {
        bys.push(By {
            id: "attacker_ips",
            title: format!(
                "every call from the attacker's address(es), with any credential: {}",
                v.attacker_ips
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            athena_col: "sourceipaddress",
            lake_col: "sourceIPAddress",
            spark_col: "r.sourceIPAddress",
            spl_field: "sourceIPAddress",
            values: v.attacker_ips.iter().map(|a| a.to_string()).collect(),
        });
    }
    let mut out = Vec::new();
    for b in &bys {
        out.push(athena(b, v));
        out.push(lake(b, v));
        out.push(spark_sql(b, v));
        out.push(spl(b, v));
    }
    out
}

fn athena(b: &By, v: &Values) -> Hunt {
    let mut q = format!(
        "SELECT {COLUMNS}\nFROM cloudtrail_logs\nWHERE {} IN ({})",
        b.athena_col,
        list(&b.values, sql)
    );
    if let Some(f) = &v.from {
        q.push_str(&format!("\n  AND eventtime >= {}", sql(&iso(f))));
    }
    q.push_str("\nORDER BY eventtime;\n");
    Hunt {
        id: format!("athena.{}", b.id),
        dialect: Dialect::Athena,
        title: b.title.clone(),
        returns: "one row per CloudTrail event: time, service, call, region, source IP, user agent, error, the identity's ARN and key id, and what the call asked for and created".into(),
        fill_in: vec!["cloudtrail_logs: your Athena table over the trail's S3 prefix (AWS's documented DDL); add a partition filter on its date column if it is partitioned".into()],
        notes: super::notes(v),
        query: q,
    }
}

fn lake(b: &By, v: &Values) -> Hunt {
    let mut q = format!(
        "SELECT eventTime, eventID, eventSource, eventName, awsRegion, sourceIPAddress, userAgent, errorCode, errorMessage, userIdentity.arn, userIdentity.accessKeyId, recipientAccountId, requestParameters, responseElements\nFROM event_data_store_id\nWHERE {} IN ({})",
        b.lake_col,
        list(&b.values, sql)
    );
    let lake_time = |t: &DateTime<Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    if let Some(f) = &v.from {
        q.push_str(&format!("\n  AND eventTime >= {}", sql(&lake_time(f))));
    }
    q.push_str("\nORDER BY eventTime\n");
    Hunt {
        id: format!("cloudtrail_lake.{}", b.id),
        dialect: Dialect::CloudtrailLake,
        title: b.title.clone(),
        returns: "the same events from a CloudTrail Lake event data store".into(),
        fill_in: vec![
            "event_data_store_id: the id of your event data store (the last part of its ARN)"
                .into(),
        ],
        notes: super::notes(v),
        query: q,
    }
}

/// The part of a CloudTrail record the Spark hunts read, as a schema: Spark then needs no
/// inference (a field absent from every file read, such as `errorCode` in a trail without
/// errors, would otherwise fail the query), and the request and response objects are kept as
/// their JSON text, as in the Athena table.
const SPARK_SCHEMA: &str = "Records ARRAY<STRUCT<eventVersion: STRING, userIdentity: STRUCT<type: STRING, principalId: STRING, arn: STRING, accountId: STRING, accessKeyId: STRING, userName: STRING, invokedBy: STRING>, eventTime: STRING, eventSource: STRING, eventName: STRING, awsRegion: STRING, sourceIPAddress: STRING, userAgent: STRING, errorCode: STRING, errorMessage: STRING, requestParameters: STRING, responseElements: STRING, requestID: STRING, eventID: STRING, eventType: STRING, recipientAccountId: STRING>>";

fn spark_sql(b: &By, v: &Values) -> Hunt {
    let mut q = format!(
        "CREATE OR REPLACE TEMPORARY VIEW cloudtrail ({SPARK_SCHEMA})\nUSING json\nOPTIONS (path 'cloudtrail_path', multiLine 'true', recursiveFileLookup 'true');\n\nSELECT r.eventTime, r.eventID, r.eventSource, r.eventName, r.awsRegion, r.sourceIPAddress, r.userAgent, r.errorCode, r.errorMessage, r.userIdentity.arn, r.userIdentity.accessKeyId, r.recipientAccountId, r.requestParameters, r.responseElements\nFROM (SELECT explode(Records) AS r FROM cloudtrail)\nWHERE {} IN ({})",
        b.spark_col,
        list(&b.values, spark)
    );
    if let Some(f) = &v.from {
        q.push_str(&format!("\n  AND r.eventTime >= {}", spark(&iso(f))));
    }
    q.push_str("\nORDER BY r.eventTime;\n");
    Hunt {
        id: format!("spark.{}", b.id),
        dialect: Dialect::SparkSql,
        title: b.title.clone(),
        returns: "the same events, read straight from the trail's JSON files (Databricks, EMR, any Spark): a view over the files, then the query".into(),
        fill_in: vec!["cloudtrail_path: the trail's files, e.g. s3://BUCKET/AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/ (read recursively; Spark reads .json.gz as it is)".into()],
        notes: super::notes(v),
        query: q,
    }
}

fn spl(b: &By, v: &Values) -> Hunt {
    let terms: Vec<String> = b
        .values
        .iter()
        .map(|x| format!("{}={}", b.spl_field, double(x)))
        .collect();
    let spl_time = |t: &DateTime<Utc>| t.format("%m/%d/%Y:%H:%M:%S").to_string();
    let mut q = format!(
        "search sourcetype=\"aws:cloudtrail\" ({})",
        terms.join(" OR ")
    );
    if let Some(f) = &v.from {
        q.push_str(&format!(" earliest={}", double(&spl_time(f))));
    }
    q.push_str("\n| table _time eventID eventSource eventName awsRegion sourceIPAddress userAgent errorCode errorMessage userIdentity.arn userIdentity.accessKeyId recipientAccountId\n| sort _time\n");
    Hunt {
        id: format!("splunk.{}", b.id),
        dialect: Dialect::Spl,
        title: b.title.clone(),
        returns: "the same events from Splunk (times in the search's time zone: the window is given in UTC)".into(),
        fill_in: vec!["add index=YOUR_INDEX in front if CloudTrail is not in your default indexes".into()],
        notes: super::notes(v),
        query: q,
    }
}
