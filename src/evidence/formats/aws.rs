//! AWS: CloudTrail records (S3 trail files `{"Records":[…]}`, one record per line, console
//! JSON), `aws cloudtrail lookup-events` output (each event a JSON *string*), and Bedrock model
//! invocation logs (JSON Lines).
//!
//! CloudTrail has no token counts; Bedrock invocation logs have no IP, user agent or access
//! key. Both are read so the detector can join them on `request_id`.

use super::{event, set_model};
use crate::evidence::event::{KeyIdKind, RecordKind, UsageEvent};
use crate::evidence::fields::{boolean, s, text, ts_at, type_name, u64_at};
use crate::evidence::json::walk;
use crate::evidence::out::{Loc, Out};
use crate::evidence::time;
use serde_json::Value;

const ASSUMED: &str = "AWS times without a zone were read as UTC";

/// Bedrock runtime calls: one model request each.
const INVOCATIONS: [&str; 6] = [
    "InvokeModel",
    "InvokeModelWithResponseStream",
    "Converse",
    "ConverseStream",
    "InvokeModelWithBidirectionalStream",
    "StartAsyncInvoke",
];

fn not_object(out: &mut Out, v: &Value, loc: Loc) -> bool {
    if v.is_object() {
        return false;
    }
    out.problem(
        loc,
        None,
        format!("expected a record object, found {}; skipped", type_name(v)),
    );
    true
}

/// Reads CloudTrail records.
pub fn cloudtrail(input: &str, out: &mut Out) {
    walk(input, &["Records"], out, &mut |out, v, loc| {
        if not_object(out, &v, loc) {
            return;
        }
        if let Some(e) = trail_event(out, &v, loc, "aws.cloudtrail") {
            out.emit(e);
        }
    });
}

/// One CloudTrail record to an event.
fn trail_event(out: &mut Out, v: &Value, loc: Loc, format: &str) -> Option<UsageEvent> {
    let ts = ts_at(out, v, &["eventTime"], loc)?;
    let source = s(v, &["eventSource"]).unwrap_or("");
    let provider = if source.starts_with("bedrock") {
        "aws_bedrock"
    } else {
        "aws"
    };
    let mut e = event(out, ts, provider, format, loc, ASSUMED);
    let name = s(v, &["eventName"]);
    if name.is_some_and(|n| INVOCATIONS.contains(&n)) {
        e.record_kind = RecordKind::Request;
        e.requests = Some(1);
    } else {
        e.record_kind = RecordKind::Audit;
    }
    e.operation = name.map(str::to_string);
    e.event_id = s(v, &["eventID"]).map(|id| format!("cloudtrail:{id}"));
    let id = |k: &str| s(v, &["userIdentity", k]);
    let arn = id("arn");
    let user = id("userName");
    let bearer = boolean(v, &["additionalEventData", "callWithBearerToken"]) == Some(true);
    let api_key_user = user
        .filter(|u| u.starts_with("BedrockAPIKey-"))
        .or_else(|| {
            arn.and_then(|a| a.rsplit('/').next())
                .filter(|u| u.starts_with("BedrockAPIKey-"))
        });
    if let Some(u) = api_key_user {
        e.key_id = Some(u.to_string());
        e.key_id_kind = Some(KeyIdKind::IamPrincipal);
        if let Some(k) = id("accessKeyId") {
            e.extras.insert("access_key_id".into(), k.to_string());
        }
    } else if let Some(k) = id("accessKeyId") {
        e.key_id = Some(k.to_string());
        e.key_id_kind = Some(KeyIdKind::AwsAccessKeyId);
    } else if let Some(a) = arn {
        e.key_id = Some(a.to_string());
        e.key_id_kind = Some(KeyIdKind::IamPrincipal);
    }
    e.principal = arn.or(user).map(str::to_string);
    e.project = s(v, &["recipientAccountId"])
        .or_else(|| id("accountId"))
        .map(str::to_string);
    set_model(&mut e, s(v, &["requestParameters", "modelId"]));
    e.source_ip = s(v, &["sourceIPAddress"]).map(str::to_string);
    e.user_agent = s(v, &["userAgent"]).map(str::to_string);
    e.error_code = s(v, &["errorCode"]).map(str::to_string);
    e.region = s(v, &["awsRegion"]).map(str::to_string);
    let mut extra = |k: &str, val: Option<String>| {
        if let Some(val) = val {
            e.extras.insert(k.to_string(), val);
        }
    };
    extra(
        "event_source",
        Some(source.to_string()).filter(|x| !x.is_empty()),
    );
    extra("error_message", text(v, &["errorMessage"]));
    extra(
        "inference_region",
        text(v, &["additionalEventData", "inferenceRegion"]),
    );
    extra("call_with_bearer_token", bearer.then(|| "true".to_string()));
    extra("user_identity_type", text(v, &["userIdentity", "type"]));
    extra("request_id", text(v, &["requestID"]));
    extra(
        "tls_host",
        text(v, &["tlsDetails", "clientProvidedHostHeader"]),
    );
    extra(
        "service_name",
        text(v, &["requestParameters", "serviceName"]),
    );
    Some(e)
}

/// Reads `aws cloudtrail lookup-events` output: `{"Events":[{…,"CloudTrailEvent":"<json>"}]}`.
pub fn lookup_events(input: &str, out: &mut Out) {
    walk(input, &["Events"], out, &mut |out, v, loc| {
        if not_object(out, &v, loc) {
            return;
        }
        let inner = match v.get("CloudTrailEvent") {
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(inner) if inner.is_object() => Some(inner),
                _ => {
                    out.problem(
                        loc,
                        Some("CloudTrailEvent"),
                        "the embedded CloudTrail record is not valid JSON; read the summary fields only"
                            .into(),
                    );
                    None
                }
            },
            Some(Value::Object(_)) => v.get("CloudTrailEvent").cloned(),
            _ => None,
        };
        let e = match inner {
            Some(inner) => trail_event(out, &inner, loc, "aws.cloudtrail.lookup_events"),
            None => summary_event(out, &v, loc),
        };
        if let Some(e) = e {
            out.emit(e);
        }
    });
}

/// A lookup-events entry without a usable `CloudTrailEvent`: its summary fields.
fn summary_event(out: &mut Out, v: &Value, loc: Loc) -> Option<UsageEvent> {
    let ts = match v.get("EventTime") {
        Some(Value::String(t)) => time::parse(t),
        Some(Value::Number(n)) => n.as_f64().and_then(time::from_number),
        _ => None,
    };
    let Some(ts) = ts else {
        out.problem(
            loc,
            Some("EventTime"),
            "no usable EventTime; record skipped".into(),
        );
        return None;
    };
    let source = s(v, &["EventSource"]).unwrap_or("");
    let provider = if source.starts_with("bedrock") {
        "aws_bedrock"
    } else {
        "aws"
    };
    let mut e = event(
        out,
        ts,
        provider,
        "aws.cloudtrail.lookup_events",
        loc,
        ASSUMED,
    );
    let name = s(v, &["EventName"]);
    e.record_kind = if name.is_some_and(|n| INVOCATIONS.contains(&n)) {
        e.requests = Some(1);
        RecordKind::Request
    } else {
        RecordKind::Audit
    };
    e.operation = name.map(str::to_string);
    e.event_id = s(v, &["EventId"]).map(|id| format!("cloudtrail:{id}"));
    if let Some(k) = s(v, &["AccessKeyId"]) {
        e.key_id = Some(k.to_string());
        e.key_id_kind = Some(KeyIdKind::AwsAccessKeyId);
    }
    e.principal = s(v, &["Username"]).map(str::to_string);
    if !source.is_empty() {
        e.extras.insert("event_source".into(), source.to_string());
    }
    Some(e)
}

/// Reads Bedrock model invocation logs (`schemaType: ModelInvocationLog`).
pub fn bedrock_invocations(input: &str, out: &mut Out) {
    walk(input, &["Records", "records"], out, &mut |out, v, loc| {
        if not_object(out, &v, loc) {
            return;
        }
        let Some(ts) = ts_at(out, &v, &["timestamp"], loc) else {
            return;
        };
        let mut e = event(
            out,
            ts,
            "aws_bedrock",
            "aws.bedrock.invocation_log",
            loc,
            ASSUMED,
        );
        e.record_kind = RecordKind::Request;
        e.requests = Some(1);
        let arn = s(&v, &["identity", "arn"]);
        if let Some(a) = arn {
            e.key_id = Some(a.to_string());
            e.key_id_kind = Some(KeyIdKind::IamPrincipal);
            e.principal = Some(a.to_string());
        }
        e.project = s(&v, &["accountId"]).map(str::to_string);
        e.region = s(&v, &["region"]).map(str::to_string);
        e.operation = s(&v, &["operation"]).map(str::to_string);
        set_model(&mut e, s(&v, &["modelId"]));
        let input = u64_at(out, &v, &["input", "inputTokenCount"], loc);
        let read = u64_at(out, &v, &["input", "cacheReadInputTokenCount"], loc);
        let write = u64_at(out, &v, &["input", "cacheWriteInputTokenCount"], loc);
        if input.is_some() || read.is_some() || write.is_some() {
            e.input_tokens = Some(
                input
                    .unwrap_or(0)
                    .saturating_add(read.unwrap_or(0))
                    .saturating_add(write.unwrap_or(0)),
            );
        }
        e.input_cached_tokens = read;
        e.input_cache_write_tokens = write;
        e.output_tokens = u64_at(out, &v, &["output", "outputTokenCount"], loc);
        e.error_code = s(&v, &["errorCode"]).map(str::to_string);
        if let Some(id) = s(&v, &["requestId"]) {
            e.event_id = Some(format!("bedrock_invocation:{id}"));
            e.extras.insert("request_id".into(), id.to_string());
        }
        if let Some(r) = s(&v, &["inferenceRegion"]) {
            e.extras.insert("inference_region".into(), r.to_string());
        }
        out.emit(e);
    });
}
