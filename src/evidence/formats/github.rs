//! GitHub: the organization/enterprise audit log export (JSON, Unix-millisecond times) and
//! secret-scanning alerts. An alert's `secret` is the raw credential: it is redacted on read
//! (a prefix…suffix hint and a SHA-256 fingerprint are kept) and never stored whole.

use super::{event, undated_event};
use crate::evidence::event::{KeyIdKind, RecordKind};
use crate::evidence::fields::{at, s, text, ts_at, type_name};
use crate::evidence::json::walk;
use crate::evidence::out::{Loc, Out};
use crate::secret::Secret;
use serde_json::Value;

const ASSUMED: &str = "GitHub times without a zone were read as UTC";

/// Reads an audit log export (`@timestamp` in ms, `_document_id`, `action`).
pub fn audit_log(input: &str, out: &mut Out) {
    walk(input, &[], out, &mut audit_record);
}

/// Reads the audit log's CSV export (nested fields flattened to dotted column names).
pub fn audit_log_csv(input: &str, out: &mut Out) {
    super::csv_values(input, out, &mut audit_record);
}

fn audit_record(out: &mut Out, v: Value, loc: Loc) {
    {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!("expected an audit entry, found {}; skipped", type_name(&v)),
            );
            return;
        }
        // `@timestamp` (ms) in the API and streaming exports; SIEMs rename it
        // (`at_sign_timestamp`) or keep only `created_at`.
        let path: &[&str] = ["@timestamp", "at_sign_timestamp", "created_at", "timestamp"]
            .iter()
            .find(|k| at(&v, &[k]).is_some())
            .map_or(&["created_at"][..], std::slice::from_ref);
        // A record without a readable time is still an action by its actor: kept undated.
        let mut e = match at(&v, path) {
            Some(_) => match ts_at(out, &v, path, loc) {
                Some(ts) => event(out, ts, "github", "github.audit_log", loc, ASSUMED),
                None => return,
            },
            None => undated_event(out, None, path[0], "github", "github.audit_log", loc),
        };
        e.record_kind = RecordKind::Audit;
        e.operation = s(&v, &["action"]).map(str::to_string);
        e.event_id = s(&v, &["_document_id"]).map(|id| format!("github.audit:{id}"));
        // `actor` did it (with `hashed_token`, the token it used); `user`, a token, a key, an
        // app or a hook named in the event is what it was done to.
        e.principal = s(&v, &["actor"]).map(str::to_string);
        targets(&mut e, &v);
        if let Some(h) = s(&v, &["hashed_token"]) {
            e.key_id = Some(h.to_string());
            e.key_id_kind = Some(KeyIdKind::GithubTokenHash);
        }
        e.project = s(&v, &["org"])
            .or_else(|| s(&v, &["business"]))
            .map(str::to_string);
        e.source_ip = s(&v, &["actor_ip"]).map(str::to_string);
        e.user_agent = s(&v, &["user_agent"]).map(str::to_string);
        let country = s(&v, &["actor_location", "country_code"])
            .or_else(|| s(&v, &["actor_location.country_code"]));
        if let Some(c) = country {
            e.extras.insert("geo_country".into(), c.to_string());
        }
        for k in [
            "repo",
            "token_id",
            "programmatic_access_type",
            "token_scopes",
            "actor_is_bot",
            "user",
        ] {
            if let Some(x) = text(&v, &[k]) {
                e.extras.insert(k.into(), x);
            }
        }
        out.emit(e);
    }
}

/// The target of an audit event, by its action's category (GitHub Docs, "Audit log events
/// for your organization"): the user added or removed, the token, deploy key, OAuth or GitHub
/// app, or webhook created or changed.
fn targets(e: &mut crate::evidence::event::UsageEvent, v: &Value) {
    let action = s(v, &["action"]).unwrap_or("");
    let category = action.split('.').next().unwrap_or("");
    let first = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| text(v, &[k]).filter(|x| !x.is_empty()))
    };
    let (kind, id) = match category {
        "personal_access_token" | "oauth_access" | "oauth_authorization" => (
            "token",
            first(&[
                "user_programmatic_access_name",
                "programmatic_access_name",
                "token_id",
                "oauth_access_id",
            ]),
        ),
        // A key the record does not name is still the one on its repository.
        "public_key" | "deploy_key" => (
            "deploy_key",
            first(&["title", "fingerprint", "key_id", "public_key_id"])
                .or_else(|| first(&["repo"]).map(|r| format!("(unnamed) on {r}"))),
        ),
        "oauth_application" | "integration" | "integration_installation" => (
            "oauth_app",
            first(&[
                "oauth_application_name",
                "name",
                "integration",
                "oauth_application_id",
            ]),
        ),
        "hook" => (
            "webhook",
            first(&["hook_id", "data.hook_id", "config.url"])
                .or_else(|| text(v, &["data", "hook_id"]))
                .or_else(|| text(v, &["config", "url"])),
        ),
        // A guardrail switched off: the repository, organisation or enterprise it guarded.
        c if (c.contains("secret_scanning") && c != "secret_scanning_alert")
            || c.contains("advanced_security")
            || c == "protected_branch"
            || c.starts_with("dependabot_") =>
        {
            (c, first(&["repo", "org", "business"]))
        }
        "audit_log_streaming" => ("audit_log_stream", first(&["stream_id", "business", "org"])),
        _ => ("user", None),
    };
    if let Some(id) = id {
        e.add_target(kind, &id);
    }
    // The user acted on, unless it is the actor itself.
    if let Some(u) = first(&["user"]).filter(|u| Some(u.as_str()) != e.principal.as_deref()) {
        e.add_target("user", &u);
    }
}

/// Reads secret-scanning alerts (`GET …/secret-scanning/alerts`), redacting each secret.
pub fn secret_alerts(input: &str, out: &mut Out) {
    walk(input, &[], out, &mut |out, v, loc| {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!("expected an alert, found {}; skipped", type_name(&v)),
            );
            return;
        }
        let Some(ts) = ts_at(out, &v, &["created_at"], loc) else {
            return;
        };
        let mut e = event(
            out,
            ts,
            "github",
            "github.secret_scanning_alert",
            loc,
            ASSUMED,
        );
        e.record_kind = RecordKind::Alert;
        e.operation = Some("secret_scanning_alert".into());
        if let Some(raw) = s(&v, &["secret"]) {
            // Only the redacted form is kept; the scan finds the value itself in the file and
            // reports it with its keyed fingerprint.
            e.key_hint = Some(Secret::new(raw).redacted());
        }
        let repo = s(&v, &["repository", "full_name"]);
        e.project = repo.map(str::to_string);
        if let Some(n) = text(&v, &["number"]) {
            e.event_id = Some(format!("github.secret_alert:{}:{n}", repo.unwrap_or("")));
            e.extras.insert("number".into(), n);
        }
        for (k, path) in [
            ("secret_type", &["secret_type"][..]),
            (
                "secret_type_display_name",
                &["secret_type_display_name"][..],
            ),
            ("state", &["state"][..]),
            ("resolution", &["resolution"][..]),
            ("validity", &["validity"][..]),
            ("publicly_leaked", &["publicly_leaked"][..]),
            ("html_url", &["html_url"][..]),
            ("resolved_at", &["resolved_at"][..]),
            ("first_path", &["first_location_detected", "path"][..]),
            (
                "first_commit_sha",
                &["first_location_detected", "commit_sha"][..],
            ),
            (
                "first_start_line",
                &["first_location_detected", "start_line"][..],
            ),
            (
                "push_protection_bypassed",
                &["push_protection_bypassed"][..],
            ),
        ] {
            if let Some(x) = text(&v, path) {
                e.extras.insert(k.into(), x);
            }
        }
        out.emit(e);
    });
}
