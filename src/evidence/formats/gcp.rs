//! GCP Cloud Audit Log entries (`protoPayload` of type `google.cloud.audit.AuditLog`): Vertex AI
//! and Gemini data-access calls, and admin activity such as API-key creation. Read from a JSON
//! array (Logs Explorer download, `gcloud logging read`), `{"entries":[…]}` or JSON Lines.
//!
//! Audit logs carry no token counts. The leaked service-account key shows as
//! `authenticationInfo.serviceAccountKeyName`.

use super::{event, set_model};
use crate::evidence::event::{KeyIdKind, RecordKind};
use crate::evidence::fields::{at, s, text, ts_at, type_name};
use crate::evidence::json::walk;
use crate::evidence::out::{Loc, Out};
use serde_json::Value;

const ASSUMED: &str = "GCP times without a zone were read as UTC";

/// Model-serving methods: one request each.
fn is_inference(method: &str) -> bool {
    [
        "Predict",
        "GenerateContent",
        "CountTokens",
        "RawPredict",
        "Embed",
    ]
    .iter()
    .any(|m| method.contains(m))
}

/// Reads Cloud Audit Log entries.
pub fn audit_log(input: &str, out: &mut Out) {
    walk(input, &["entries"], out, &mut |out, v, loc| {
        entry(out, &v, loc, "gcp.audit_log")
    });
}

/// One log entry to an event (also for the BigQuery rows of exported audit logs, rebuilt as
/// the entry they came from).
pub(super) fn entry(out: &mut Out, v: &Value, loc: Loc, format: &str) {
    if !v.is_object() {
        out.problem(
            loc,
            None,
            format!("expected a log entry, found {}; skipped", type_name(v)),
        );
        return;
    }
    let Some(ts) = ts_at(out, v, &["timestamp"], loc) else {
        return;
    };
    let p = at(v, &["protoPayload"]).cloned().unwrap_or_default();
    let service = s(&p, &["serviceName"]).unwrap_or("");
    let provider = match service {
        "aiplatform.googleapis.com" => "gcp_vertex",
        "generativelanguage.googleapis.com" => "gemini_api",
        _ => "gcp",
    };
    let mut e = event(out, ts, provider, format, loc, ASSUMED);
    let method = s(&p, &["methodName"]);
    e.operation = method.map(str::to_string);
    if method.is_some_and(is_inference) {
        e.record_kind = RecordKind::Request;
        e.requests = Some(1);
    } else {
        e.record_kind = RecordKind::Audit;
    }
    let email = s(&p, &["authenticationInfo", "principalEmail"]);
    if let Some(k) = s(&p, &["authenticationInfo", "serviceAccountKeyName"]) {
        e.key_id = Some(k.to_string());
        e.key_id_kind = Some(KeyIdKind::GcpSaKey);
    } else if let Some(m) = email {
        e.key_id = Some(m.to_string());
        e.key_id_kind = Some(KeyIdKind::IamPrincipal);
    }
    e.principal = email.map(str::to_string);
    e.project = s(v, &["resource", "labels", "project_id"]).map(str::to_string);
    let resource = s(&p, &["resourceName"]);
    if let Some(r) = resource {
        if let Some((_, model)) = r.rsplit_once("/models/") {
            set_model(&mut e, Some(model));
        }
        if let Some(rest) = r.split("/locations/").nth(1) {
            e.region = rest.split('/').next().map(str::to_string);
        }
        e.extras.insert("resource_name".into(), r.to_string());
    }
    // What an admin call created or changed: the new object's name from the response
    // (a service-account key, an API key), else the resource it acted on. The actor is
    // `authenticationInfo` above, never the resource.
    if e.record_kind == RecordKind::Audit {
        let m = method.unwrap_or("").to_ascii_lowercase();
        let kind = if m.contains("serviceaccountkey") {
            "service_account_key"
        } else if m.contains("apikeys") {
            "api_key"
        } else if m.contains("setiampolicy") {
            "iam_policy"
        } else if m.contains("serviceaccount") {
            "service_account"
        } else if m.contains("sink") {
            "log_sink"
        } else if m.contains("configservicev2") && m.contains("bucket") {
            "log_bucket"
        } else if m.contains("exclusion") {
            "log_exclusion"
        } else if m.contains("modelarmor") {
            "model_armor_template"
        } else {
            "resource"
        };
        let made = s(&p, &["response", "name"]).filter(|_| m.contains("create"));
        if let Some(t) = made.or(resource) {
            e.add_target(kind, t);
        }
    }
    // `callerIp` as Cloud Logging writes it; `callerIP` in some SIEM copies.
    e.source_ip = s(&p, &["requestMetadata", "callerIp"])
        .or_else(|| s(&p, &["requestMetadata", "callerIP"]))
        .map(str::to_string);
    e.user_agent = s(&p, &["requestMetadata", "callerSuppliedUserAgent"]).map(str::to_string);
    if let Some(code) = text(&p, &["status", "code"]).filter(|c| c != "0") {
        e.error_code = Some(format!("grpc:{code}"));
        if let Some(m) = text(&p, &["status", "message"]) {
            e.extras.insert("status_message".into(), m);
        }
    }
    if !service.is_empty() {
        e.extras.insert("service".into(), service.to_string());
    }
    if let Some(sev) = s(v, &["severity"]) {
        e.extras.insert("severity".into(), sev.to_string());
    }
    if let Some(id) = s(v, &["insertId"]) {
        e.event_id = Some(format!(
            "gcp:{}:{id}:{}",
            s(v, &["logName"]).unwrap_or(""),
            ts.t.timestamp_nanos_opt().unwrap_or_default()
        ));
    }
    out.emit(e);
}
