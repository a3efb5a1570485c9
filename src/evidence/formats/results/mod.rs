//! What the hunts return, read back as evidence: the CloudTrail events an Athena query
//! ([`athena`]), a CloudTrail Lake query ([`cloudtrail_lake`]) or a Splunk search ([`splunk`])
//! gave, and the audit-log rows of a BigQuery query ([`bigquery`]). Each row is rebuilt as the
//! record it came from and read by that record's own reader, so detection and scope see the
//! same events as from the logs themselves.

pub mod athena;
pub mod bigquery;
pub mod cloudtrail_lake;
pub mod splunk;

use crate::evidence::formats::{aws::emit_record, ModelCache};
use crate::evidence::out::{Loc, Out};
use serde_json::{Map, Value};

/// Where a result column goes in a CloudTrail record: top-level fields, and the identity's.
/// Column names are matched without case (Athena lower-cases them) and with or without their
/// `userIdentity.` prefix (CloudTrail Lake and Splunk keep it, Athena drops it).
const TOP: [&str; 17] = [
    "eventVersion",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "requestID",
    "eventID",
    "eventType",
    "recipientAccountId",
    "sessionCredentialFromConsole",
];
const IDENTITY: [&str; 7] = [
    "type",
    "principalId",
    "arn",
    "accountId",
    "accessKeyId",
    "userName",
    "invokedBy",
];

/// A CloudTrail record from `(column, value)` pairs; values `null` or empty are left out, and
/// the request, response and additional data are read as JSON when they are (Athena and
/// CloudTrail Lake give them as text).
pub(super) fn record<'a>(cols: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    let mut top = Map::new();
    let mut identity = Map::new();
    for (name, value) in cols {
        let value = value.trim();
        if value.is_empty() || value == "null" {
            continue;
        }
        let bare = name.strip_prefix("userIdentity.").unwrap_or(name);
        let bare = bare.strip_prefix("useridentity.").unwrap_or(bare);
        if let Some(k) = TOP.iter().find(|k| k.eq_ignore_ascii_case(name)) {
            let v = if matches!(
                *k,
                "requestParameters" | "responseElements" | "additionalEventData"
            ) {
                serde_json::from_str::<Value>(value)
                    .ok()
                    .filter(Value::is_object)
                    .unwrap_or_else(|| Value::String(value.into()))
            } else {
                Value::String(value.into())
            };
            top.insert((*k).to_string(), v);
        } else if let Some(k) = IDENTITY.iter().find(|k| k.eq_ignore_ascii_case(bare)) {
            identity.insert((*k).to_string(), Value::String(value.into()));
        } else if name.eq_ignore_ascii_case("userIdentity") {
            for (k, v) in struct_text(value) {
                if let Some(k) = IDENTITY.iter().find(|i| i.eq_ignore_ascii_case(k)) {
                    if v != "null" && !v.is_empty() {
                        identity.insert((*k).to_string(), Value::String(v.into()));
                    }
                }
            }
        }
    }
    if !identity.is_empty() {
        top.insert("userIdentity".into(), Value::Object(identity));
    }
    Value::Object(top)
}

/// The top-level `key=value` pairs of a row as Athena (Trino) writes a struct in CSV:
/// `{type=IAMUser, arn=arn:aws:iam::…, sessioncontext={…}}`. Nested braces are skipped whole.
fn struct_text(text: &str) -> Vec<(&str, &str)> {
    let inner = text
        .trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or("");
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                push_pair(&inner[start..i], &mut out);
                start = i + 1;
            }
            _ => {}
        }
    }
    push_pair(&inner[start..], &mut out);
    out
}

fn push_pair<'t>(part: &'t str, out: &mut Vec<(&'t str, &'t str)>) {
    if let Some((k, v)) = part.split_once('=') {
        out.push((k.trim(), v.trim()));
    }
}

/// Reads a rebuilt record as the trail's own, or says on its line why the row is not one (it
/// needs a time or an event name, and a source or an id), what it has instead, and which
/// columns the query should select.
pub(super) fn emit(out: &mut Out, models: &mut ModelCache, v: &Value, loc: Loc, format: &str) {
    let has = |k: &str| v.get(k).is_some();
    let mut missing = Vec::new();
    if !has("eventTime") && !has("eventName") {
        missing.push("event time or name");
    }
    if !has("eventSource") && !has("eventID") {
        missing.push("event source or id");
    }
    if missing.is_empty() {
        emit_record(out, models, v, loc, format);
        return;
    }
    // The columns the row does have, as the record names them.
    let mut present: Vec<String> = Vec::new();
    if let Some(o) = v.as_object() {
        for (k, x) in o {
            match x.as_object().filter(|_| k == "userIdentity") {
                Some(id) => present.extend(id.keys().map(|i| format!("userIdentity.{i}"))),
                None => present.push(k.clone()),
            }
        }
    }
    // Only the record's own fields are here (`record` drops every other column), so the list
    // is short whatever the row holds.
    let has_text = if present.is_empty() {
        "nothing a CloudTrail record has".to_string()
    } else {
        present.join(", ")
    };
    out.problem(
        loc,
        None,
        format!(
            "no {} in this row (it has {has_text}); skipped: the query should select \
             eventTime, eventName and eventSource",
            missing.join(" and no ")
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn athena_structs_and_dotted_columns_give_the_identity() {
        let r = record(
            [
                ("eventtime", "2026-11-16T03:00:00Z"),
                ("eventsource", "sts.amazonaws.com"),
                (
                    "useridentity",
                    "{type=IAMUser, principalid=AIDAX, arn=arn:aws:iam::1:user/a, accountid=1, invokedby=null, accesskeyid=AKIAX, username=a, sessioncontext={attributes={creationdate=2026, mfaauthenticated=false}}}",
                ),
                ("requestparameters", "{\"modelId\":\"m\"}"),
                ("errorcode", ""),
            ]
            .into_iter(),
        );
        assert_eq!(r["userIdentity"]["accessKeyId"], "AKIAX");
        assert_eq!(r["userIdentity"]["arn"], "arn:aws:iam::1:user/a");
        assert!(r["userIdentity"].get("invokedBy").is_none());
        assert_eq!(r["requestParameters"]["modelId"], "m");
        assert!(r.get("errorCode").is_none());
        let lake = record([("userIdentity.accessKeyId", "ASIAY"), ("eventID", "e")].into_iter());
        assert_eq!(lake["userIdentity"]["accessKeyId"], "ASIAY");
    }

    #[test]
    fn a_row_without_a_source_says_what_it_has_not_that_it_has_no_time() {
        // A CloudTrail Lake console sign-in hunt (AWS CloudTrail User Guide example): time,
        // the identity's ARN and the region, no event name, source or id.
        let v = record(
            [
                ("eventTime", "2022-02-08 19:54:44.000"),
                (
                    "arn",
                    "arn:aws:sts::123456789012:assumed-role/example-identity",
                ),
                ("awsRegion", "us-east-1"),
            ]
            .into_iter(),
        );
        let mut sink = |_| panic!("no event");
        let mut out = Out::new("r", crate::evidence::Problems::new("r"), &mut sink);
        emit(
            &mut out,
            &mut ModelCache::default(),
            &v,
            Loc::line(9),
            "cloudtrail_lake.results",
        );
        let (_, problems) =
            std::mem::replace(&mut out.problems, crate::evidence::Problems::new("r")).finish();
        assert_eq!(problems.len(), 1);
        let m = &problems[0].message;
        assert!(m.starts_with("no event source or id in this row"), "{m}");
        assert!(
            m.contains("eventTime") && m.contains("userIdentity.arn") && m.contains("awsRegion"),
            "{m}"
        );
        assert!(!m.contains("no event time"), "{m}");
    }
}
