//! Indicators of compromise extracted from the report: the attacker rows' sources, user
//! agents, models and regions, the abused keys, the calls that created access or changed
//! logging, and each leaked secret's keyed fingerprint (never its value).

use super::milestones::commit_time;
use crate::detect::AlertKind;
use crate::evidence::{RawRef, Target};
use crate::format;
use crate::report::Report;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Evidence rows kept per IOC.
pub const MAX_IOC_EVIDENCE: usize = 5;

/// What an IOC is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IocKind {
    /// A source IP address of attacker rows.
    Ip,
    /// A user agent of attacker rows.
    UserAgent,
    /// A model the attacker used.
    Model,
    /// A region the attacker used.
    Region,
    /// A key (as the logs name it) with signs of abuse.
    AbusedKey,
    /// A call that created lasting access (users, keys, grants, fine-tunes).
    CreatedAccess,
    /// A call that read stored secrets, passwords or keys (rotated where they are kept).
    SecretRead,
    /// A call that changed or deleted logging.
    LoggingChange,
    /// Stored data or what held it, deleted (a bucket, a database, a snapshot, a backup).
    Destroyed,
    /// An irreversible action of an affected agent session since the leak window opened.
    IrreversibleAction,
    /// The keyed fingerprint of a leaked secret (never the value).
    LeakedSecretFingerprint,
}

impl IocKind {
    /// The kind's snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            IocKind::Ip => "ip",
            IocKind::UserAgent => "user_agent",
            IocKind::Model => "model",
            IocKind::Region => "region",
            IocKind::AbusedKey => "abused_key",
            IocKind::CreatedAccess => "created_access",
            IocKind::SecretRead => "secret_read",
            IocKind::LoggingChange => "logging_change",
            IocKind::Destroyed => "destroyed",
            IocKind::IrreversibleAction => "irreversible_action",
            IocKind::LeakedSecretFingerprint => "leaked_secret_fingerprint",
        }
    }
}

/// One indicator of compromise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ioc {
    /// What it is.
    pub kind: IocKind,
    /// The value (redacted where it is a key; a fingerprint for secrets).
    pub value: String,
    /// Attacker rows (or calls) carrying it, where counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// First seen (UTC).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub first: Option<DateTime<Utc>>,
    /// Last seen (UTC).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub last: Option<DateTime<Utc>>,
    /// Where it comes from (`detection timeline`, an alert id, a scan finding).
    pub source: String,
    /// A note for the reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Evidence rows (`file:line` or `file#record`), capped at [`MAX_IOC_EVIDENCE`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// The values of the indicators of one kind, in their order.
pub fn values_of(iocs: &[Ioc], kind: IocKind) -> impl Iterator<Item = &str> {
    iocs.iter()
        .filter(move |i| i.kind == kind)
        .map(|i| i.value.as_str())
}

/// `file:line` or `file#record`.
pub fn raw_ref(r: &RawRef) -> String {
    match (r.line, r.record) {
        (Some(l), _) => format!("{}:{l}", r.file),
        (None, Some(i)) => format!("{}#{i}", r.file),
        _ => r.file.clone(),
    }
}

pub(super) fn iocs(r: &Report) -> Vec<Ioc> {
    let tl = &r.detection.timeline;
    let mut out = Vec::new();
    for (kind, list) in [
        (IocKind::Ip, &tl.attacker_ips),
        (IocKind::UserAgent, &tl.user_agents),
        (IocKind::Model, &tl.models),
        (IocKind::Region, &tl.regions),
    ] {
        for v in list {
            // An IP indicator only for an address: a masked one (`203.0.113.***`) is not one
            // to block (the readers already refused text that is no address at all).
            if kind == IocKind::Ip && !crate::evidence::values::is_ip(&v.value) {
                continue;
            }
            out.push(Ioc {
                kind,
                value: v.value.clone(),
                rows: Some(v.rows),
                first: Some(v.first),
                last: Some(v.last),
                source: "detection timeline (attacker rows)".into(),
                note: None,
                evidence: Vec::new(),
            });
        }
    }
    for k in &r.detection.summary.abused_keys {
        out.push(Ioc {
            kind: IocKind::AbusedKey,
            value: k.key.clone(),
            rows: None,
            first: Some(k.first_alert),
            last: None,
            source: "detection summary".into(),
            note: Some(format!(
                "{} severity, {} alert(s), attacker cost {}",
                k.severity.as_str(),
                k.alerts,
                if r.detection.cost.note.is_some() || k.attacker_cost_unknown {
                    "unknown (no cost or token data for this key)".to_string()
                } else {
                    format!("${:.2}", k.attacker_cost_usd)
                }
            )),
            evidence: Vec::new(),
        });
    }
    for a in &r.detection.alerts {
        let kind = match a.kind {
            // Refused attempts created or deleted nothing: their alert names them.
            AlertKind::Persistence if !a.all_refused() && a.read_secrets() => IocKind::SecretRead,
            AlertKind::Persistence if !a.all_refused() => IocKind::CreatedAccess,
            AlertKind::LoggingTampering if !a.all_refused() => IocKind::LoggingChange,
            AlertKind::Destruction if !a.all_refused() => IocKind::Destroyed,
            _ => continue,
        };
        // Who made the calls, and which: each note names them the same way.
        let by = format!("{} ({})", a.key, a.values.join(", "));
        // What the calls created or changed, named: one indicator each, to delete.
        for t in &a.targets {
            out.push(Ioc {
                kind,
                value: t.clone(),
                rows: None,
                first: Some(a.start),
                last: Some(a.end),
                source: format!("alert {} on key {}", a.id, a.key),
                note: Some(match kind {
                    IocKind::CreatedAccess if a.severity == crate::detect::Severity::Low => format!(
                        "created by {by}, a change to confirm: remove it at the issuer unless it was intended"
                    ),
                    // A bucket opened to others and deleted since has nothing left to close.
                    IocKind::CreatedAccess if Target::is_opened(t) && r.detection.deleted(t) => format!(
                        "opened to others by {by}, then deleted: nothing is left to close, but its name is free for anyone to claim (see the deletion)"
                    ),
                    // A bucket opened to others is closed, not deleted.
                    IocKind::CreatedAccess if Target::is_opened(t) => format!(
                        "opened to others by {by}: remove the grant or website hosting and turn its Block Public Access back on"
                    ),
                    // A grant is taken back from its holder; the holder and the policy stay.
                    IocKind::CreatedAccess => match t.split_once(' ').map(|(kind, _)| kind) {
                        Some("attached_policy") => format!("attached by {by}: detach it (the policy itself stays)"),
                        Some("inline_policy") => format!("put by {by}: delete this inline policy from its holder"),
                        Some("group_member") => format!("added by {by}: remove the user from the group"),
                        Some("trust_policy") => format!("changed by {by}: restore who may assume the role as it was"),
                        Some("share") => format!("shared by {by}: take it back (the same call with remove, or in the console's permissions of the snapshot or image); a copy the account made meanwhile stays theirs: treat what it held as exposed"),
                        Some("federation_token") => format!("handed out by {by}: deleting the key that asked for it does not revoke it; deny the IAM user that asked for it every action (an inline deny-all policy) until it expires, up to 36 hours after"),
                        _ => format!("created or changed by {by}: remove it at the issuer"),
                    },
                    IocKind::Destroyed if a.severity == crate::detect::Severity::Low => format!(
                        "deleted by {by}, a change to confirm: restore it from a copy unless it was intended"
                    ),
                    IocKind::Destroyed if Target::is_kms_key(t) => format!(
                        "disabled or scheduled for deletion by {by}: cancel the deletion (CancelKeyDeletion) before its date and enable the key (EnableKey); nothing encrypted under it can be decrypted until then"
                    ),
                    IocKind::Destroyed if Target::is_bucket(t) => format!(
                        "deleted by {by}: restore from a replica or backup if one exists, and remove the DNS records and references that still point at it (anyone may now create a bucket of that name)"
                    ),
                    IocKind::Destroyed => format!(
                        "deleted by {by}: restore from a snapshot, replica or backup if one exists"
                    ),
                    _ => format!(
                        "changed or deleted by {by}: restore it and treat the gap as unseen activity"
                    ),
                }),
                evidence: a.evidence.iter().take(MAX_IOC_EVIDENCE).map(raw_ref).collect(),
            });
        }
        if !a.targets.is_empty() {
            continue;
        }
        for v in &a.values {
            let (op, n) = match v.rsplit_once(" \u{d7}") {
                Some((op, n)) => (op, n.parse::<u64>().ok()),
                None => (v.as_str(), None),
            };
            out.push(Ioc {
                kind,
                value: op.to_string(),
                rows: n,
                first: Some(a.start),
                last: Some(a.end),
                source: format!("alert {} on key {}", a.id, a.key),
                note: Some(match kind {
                    IocKind::CreatedAccess => "what it created (user, key, grant) is not among the fields read: open the evidence rows and remove it at the issuer".into(),
                    IocKind::SecretRead => "which secrets, passwords or keys it read is in the evidence rows' requests: rotate each where it is kept".into(),
                    IocKind::Destroyed => "what it deleted is not among the fields read: open the evidence rows, and restore from a snapshot, replica or backup if one exists".into(),
                    _ => "logging was changed or deleted: restore it and treat the gap as unseen activity".into(),
                }),
                evidence: a.evidence.iter().take(MAX_IOC_EVIDENCE).map(raw_ref).collect(),
            });
        }
    }
    // Records whose time was redacted or unreadable are outside the timeline, but a probe or
    // a known attacker client among them still names a source to block.
    for u in r
        .detection
        .undated
        .iter()
        .filter(|u| u.suspicious.is_some())
    {
        for (kind, v) in [
            (IocKind::Ip, u.source_ip.as_deref()),
            (IocKind::UserAgent, u.user_agent.as_deref()),
        ] {
            let Some(v) = v else { continue };
            if kind == IocKind::Ip && !crate::evidence::values::is_ip(v) {
                continue;
            }
            if out.iter().any(|i| i.kind == kind && i.value == v) {
                continue;
            }
            out.push(Ioc {
                kind,
                value: v.to_string(),
                rows: Some(1),
                first: None,
                last: None,
                source: "undated record (its time redacted or unreadable)".into(),
                note: Some(format!(
                    "{} on {}: {}",
                    u.operation.as_deref().unwrap_or("a call"),
                    u.key,
                    u.suspicious.as_deref().unwrap_or_default()
                )),
                evidence: vec![raw_ref(&u.evidence)],
            });
        }
    }
    // An undated record of a call that creates access or hides activity still names what it
    // made or changed.
    for u in &r.detection.undated {
        let kind = match u.catalog {
            // A refused call created or deleted nothing.
            Some("credential" | "lasting") if u.error_code.is_none() => IocKind::CreatedAccess,
            Some("secret_read") if u.error_code.is_none() => IocKind::SecretRead,
            Some("evasion") if u.error_code.is_none() => IocKind::LoggingChange,
            Some("destruction") if u.error_code.is_none() => IocKind::Destroyed,
            _ => continue,
        };
        let op = u.operation.clone().unwrap_or_default();
        let values = if u.targets.is_empty() {
            vec![op.clone()]
        } else {
            u.targets.clone()
        };
        for v in values {
            if let Some(i) = out.iter_mut().find(|i| i.kind == kind && i.value == v) {
                if i.rows.is_some() && i.first.is_none() {
                    i.rows = i.rows.map(|n| n + 1);
                    i.evidence.push(raw_ref(&u.evidence));
                    i.evidence.truncate(MAX_IOC_EVIDENCE);
                }
                continue;
            }
            out.push(Ioc {
                kind,
                value: v,
                rows: Some(1),
                first: None,
                last: None,
                source: "undated record (its time redacted or unreadable)".into(),
                note: Some(if kind == IocKind::SecretRead {
                    format!(
                        "{op} by {}, time unknown: confirm it, and rotate what it read where it is kept",
                        u.key
                    )
                } else {
                    format!(
                        "{op} by {}, time unknown: confirm it, and remove or restore it at the issuer",
                        u.key
                    )
                }),
                evidence: vec![raw_ref(&u.evidence)],
            });
        }
    }
    // The agent stage: what affected sessions minted, and their irreversible actions.
    for m in &r.agent.minted {
        out.push(Ioc {
            kind: IocKind::CreatedAccess,
            value: m.summary.clone(),
            rows: None,
            first: m.at,
            last: m.at,
            source: format!("agent session {}", m.session),
            note: Some(format!(
                "{} ({}): revoke at {}: {}",
                m.what, m.outcome, m.issuer, m.revoke
            )),
            evidence: m
                .evidence
                .iter()
                .take(MAX_IOC_EVIDENCE)
                .map(raw_ref)
                .collect(),
        });
    }
    for a in r
        .agent
        .actions
        .iter()
        .filter(|a| a.class == crate::agent::Class::Irreversible)
    {
        out.push(Ioc {
            kind: IocKind::IrreversibleAction,
            value: format!(
                "{}: {}",
                a.tool.as_deref().unwrap_or("(tool withheld)"),
                a.summary
            ),
            rows: None,
            first: a.at,
            last: a.at,
            source: format!("agent session {}", a.session),
            note: Some(format!("{} ({})", a.reason, a.outcome)),
            evidence: a
                .evidence
                .iter()
                .take(MAX_IOC_EVIDENCE)
                .map(raw_ref)
                .collect(),
        });
    }
    for s in &r.scan.secrets {
        out.push(Ioc {
            kind: IocKind::LeakedSecretFingerprint,
            value: s.fingerprint.clone(),
            rows: Some(s.occurrence_count),
            first: s.introduced.as_ref().and_then(commit_time),
            last: None,
            source: format!("scan rule {}", s.rule_id),
            note: Some(format!("{} {} {}", s.provider, s.kind_label, s.redacted)),
            evidence: s
                .occurrences
                .iter()
                .take(MAX_IOC_EVIDENCE)
                .map(|o| {
                    let at = match (&o.path, &o.commit) {
                        (Some(p), Some(c)) => {
                            format!(" ({p} in {})", c.id.chars().take(10).collect::<String>())
                        }
                        (Some(p), None) => format!(" ({p})"),
                        _ => String::new(),
                    };
                    let change = o.change.map(|c| format!(", {c:?}").to_lowercase());
                    format!(
                        "{}{at}:{}{}",
                        o.evidence,
                        o.line,
                        change.unwrap_or_default()
                    )
                })
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{assert_no_secret, demo_report};
    use crate::Context;

    /// A bucket a leaked key opened to others is an indicator to close, not to delete, and
    /// the revocation steps send the responder to S3 for it.
    #[test]
    fn a_bucket_opened_to_others_is_to_be_closed() {
        let text = include_str!("../../../tests/fixtures/evidence/cloudtrail/s3_opened.json");
        let r = crate::triage(
            &[crate::evidence::Input::new("s3_opened.json", text)],
            &Context::default(),
        );
        let opened: Vec<(&str, &str)> = r
            .summary
            .iocs
            .iter()
            .filter(|i| i.kind == IocKind::CreatedAccess)
            .map(|i| (i.value.as_str(), i.note.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            opened.iter().map(|o| o.0).collect::<Vec<_>>(),
            [
                "s3_bucket example-reports-bucket",
                "s3_bucket example-exports-bucket"
            ]
        );
        assert!(
            opened.iter().all(
                |o| o.1.starts_with("opened to others by AKIAEXAMPLE7Q3R5T2W9")
                    && o.1.contains("Block Public Access")
            ),
            "{opened:?}"
        );
        let revoke: Vec<_> = r
            .scope
            .revoke
            .iter()
            .filter(|v| v.what.starts_with("what the attacker created or opened"))
            .collect();
        assert_eq!(revoke.len(), 1, "{:?}", r.scope.revoke);
        assert!(
            revoke[0].at.starts_with("the S3 console"),
            "{}",
            revoke[0].at
        );
    }

    #[test]
    fn iocs_hold_attacker_sources_created_access_and_fingerprints_only() {
        let r = demo_report(&Context::default());
        let s = &r.summary;
        let of = |k: IocKind| s.iocs.iter().filter(move |i| i.kind == k);
        assert_eq!(of(IocKind::Ip).count(), 4);
        assert!(of(IocKind::UserAgent).any(|i| i.value == "python-requests/2.31.0"));
        let created: Vec<&str> = of(IocKind::CreatedAccess)
            .map(|i| i.value.as_str())
            .collect();
        // What was created is named (the user and its new access key), with the calls that
        // made it in the note.
        assert!(
            created.contains(&"iam_user backup-svc")
                && created.iter().any(|c| c.starts_with("access_key AKIA")),
            "{created:?}"
        );
        assert!(of(IocKind::CreatedAccess).all(|i| i
            .note
            .as_deref()
            .unwrap()
            .contains("CreateAccessKey")));
        assert!(of(IocKind::LoggingChange).any(|i| i
            .value
            .starts_with("logging_configuration Bedrock model invocation logging (")
            && i.note
                .as_deref()
                .unwrap()
                .contains("DeleteModelInvocationLogging")));
        assert_eq!(
            of(IocKind::LeakedSecretFingerprint).count(),
            r.scan.secrets.len()
        );
        let json = serde_json::to_string(s).unwrap();
        assert_no_secret(&r, &json, "summary");
    }
}
