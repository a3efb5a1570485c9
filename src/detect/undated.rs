//! Undated events: records whose time the source redacted or that could not be read. They
//! cannot be placed against a key's baseline or in the timeline, but their key, source IP, user
//! agent, error and targets are evidence the responder needs, so they are kept, counted and
//! named, never dropped.

use super::prepare::{display_key, is_probe_error, key_of, ATTACKER_UAS};
use crate::evidence::event::{RawRef, UsageEvent};
use serde::Serialize;

/// One undated event, as the report names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UndatedEvent {
    /// The key (actor) it counts under, redacted when it looks like a secret.
    pub key: String,
    /// The provider.
    pub provider: String,
    /// The call or operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The source IP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// The user agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The error code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// What it created or changed (`kind id`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// Why it looks like an attacker's, when it does: a validation probe or a known attacker
    /// client. Such an event's IP and user agent go to the indicators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspicious: Option<String>,
    /// What the call does, when the catalog of calls that create access or hide activity
    /// lists it: `credential`, `secret_read` (a credential call that reads a stored secret,
    /// password or key), `lasting`, `evasion` or `destruction` (its targets are then
    /// indicators).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog: Option<&'static str>,
    /// Where it is.
    pub evidence: RawRef,
}

/// The undated event of a usage event whose time is unknown.
pub(crate) fn of(e: &UsageEvent) -> UndatedEvent {
    let ua_attacker = e.user_agent.as_deref().is_some_and(|u| {
        let l = u.to_ascii_lowercase();
        ATTACKER_UAS.iter().any(|a| l.contains(a))
    });
    let suspicious = if is_probe_error(e) {
        Some(format!(
            "a validation probe ({})",
            e.error_code
                .clone()
                .or(e.http_status.map(|s| format!("HTTP {s}")))
                .unwrap_or_default()
        ))
    } else if ua_attacker {
        Some("a known attacker client".to_string())
    } else {
        None
    };
    UndatedEvent {
        key: display_key(&key_of(e)),
        provider: e.provider.clone(),
        operation: e.operation.clone(),
        source_ip: e.source_ip.clone(),
        user_agent: e.user_agent.clone(),
        error_code: e.error_code.clone(),
        targets: e.targets.iter().map(|t| t.label()).collect(),
        suspicious,
        catalog: e.operation.as_deref().and_then(|o| {
            let o = o.to_ascii_lowercase();
            let extra = |k: &str| e.extras.get(k).map(String::as_str);
            super::catalog::classify_with(&o, &extra).map(|c| match c {
                super::catalog::Class::Credential if super::catalog::reads_secret(&o) => {
                    "secret_read"
                }
                super::catalog::Class::Credential => "credential",
                super::catalog::Class::Lasting => "lasting",
                super::catalog::Class::Evasion => "evasion",
                super::catalog::Class::Destruction => "destruction",
            })
        }),
        evidence: e.raw_ref.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn undated() -> UsageEvent {
        let mut e = UsageEvent::new(
            chrono::Utc.timestamp_opt(0, 0).unwrap(),
            "aws_bedrock",
            "aws.cloudtrail",
            RawRef {
                file: "ct.json".into(),
                line: None,
                record: Some(0),
            },
        );
        e.ts_unknown = true;
        e.operation = Some("InvokeModel".into());
        e.source_ip = Some("83.7.139.184".into());
        e
    }

    #[test]
    fn a_validation_probe_is_suspicious_a_plain_call_is_not() {
        let mut e = undated();
        assert_eq!(of(&e).suspicious, None);
        e.error_code = Some("ValidationException".into());
        let u = of(&e);
        assert_eq!(
            u.suspicious.as_deref(),
            Some("a validation probe (ValidationException)")
        );
        assert_eq!(u.source_ip.as_deref(), Some("83.7.139.184"));
        assert_eq!(u.key, "(no key: aws_bedrock organisation)");
    }

    #[test]
    fn a_cataloged_call_says_what_it_does() {
        let mut e = undated();
        e.operation = Some("hook.create".into());
        e.add_target("webhook", "111222333444555");
        let u = of(&e);
        assert_eq!(u.catalog, Some("lasting"));
        assert_eq!(u.targets, ["webhook 111222333444555"]);
        e.operation = Some("DeleteGuardrail".into());
        assert_eq!(of(&e).catalog, Some("evasion"));
    }

    #[test]
    fn an_attacker_client_is_suspicious() {
        let mut e = undated();
        e.user_agent = Some("python-urllib3/1.26".into());
        assert_eq!(
            of(&e).suspicious.as_deref(),
            Some("a known attacker client")
        );
    }
}
