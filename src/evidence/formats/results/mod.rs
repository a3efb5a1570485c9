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
/// needs a time or an event name, and a source or an id).
pub(super) fn emit(out: &mut Out, models: &mut ModelCache, v: &Value, loc: Loc, format: &str) {
    let has = |k: &str| v.get(k).is_some();
    if (has("eventTime") || has("eventName")) && (has("eventSource") || has("eventID")) {
        emit_record(out, models, v, loc, format);
    } else {
        out.problem(
            loc,
            None,
            "no event time, name, source or id in this row; skipped".into(),
        );
    }
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
}
