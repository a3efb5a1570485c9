//! The incident's milestones: when the secret was introduced, exposed, first and last used by
//! the attacker, when the organisation became aware and when the credential was revoked, each
//! with where its time comes from (or why it is unknown).

use super::Summary;
use crate::format;
use crate::report::Report;
use crate::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One milestone of the incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    /// Stable id: `secret_introduced`, `exposed_publicly`, `first_suspicious_use`,
    /// `last_suspicious_use`, `awareness`, `revoked`.
    pub id: String,
    /// In words.
    pub label: String,
    /// When (UTC); absent when unknown.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub at: Option<DateTime<Utc>>,
    /// The same time at the responder's offset, when both are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local: Option<String>,
    /// Where the time comes from (evidence, detection, context), or why it is unknown.
    pub source: String,
}

/// A milestone by id.
pub fn milestone<'a>(s: &'a Summary, id: &str) -> Option<&'a Milestone> {
    s.timeline.iter().find(|m| m.id == id)
}

fn ms(id: &str, label: &str, at: Option<DateTime<Utc>>, source: String) -> Milestone {
    Milestone {
        id: id.into(),
        label: label.into(),
        at,
        local: None,
        source,
    }
}

/// A commit's time: the commit date, else the author date, when RFC 3339.
pub(super) fn commit_time(c: &crate::scan::Commit) -> Option<DateTime<Utc>> {
    c.commit_date
        .as_deref()
        .or(c.author_date.as_deref())
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

pub(super) fn milestones(r: &Report, ctx: &Context) -> Vec<Milestone> {
    let f = &ctx.incident;
    let introduced = r
        .scan
        .secrets
        .iter()
        .filter_map(|s| s.introduced.as_ref().map(|c| (commit_time(c), c, s)))
        .filter_map(|(t, c, s)| t.map(|t| (t, c, s)))
        .min_by_key(|(t, _, _)| *t);
    let intro = match introduced {
        Some((t, c, s)) => ms(
            "secret_introduced",
            "Secret introduced",
            Some(t),
            format!(
                "commit {} added {} ({} {}){}",
                c.id.chars().take(10).collect::<String>(),
                s.redacted,
                s.provider,
                s.kind_label,
                s.occurrences
                    .iter()
                    .find(|o| o.commit.as_ref().map(|oc| &oc.id) == Some(&c.id))
                    .map(|o| format!(" in {}", o.path.as_deref().unwrap_or(&o.evidence)))
                    .unwrap_or_default()
            ),
        ),
        None => ms(
            "secret_introduced",
            "Secret introduced",
            None,
            if r.scan.secrets.is_empty() {
                "unknown: no leaked secret found in the evidence".into()
            } else {
                "unknown: no git history holds the commit that added the secret".into()
            },
        ),
    };
    let given = |id: &str, label: &str, t: Option<DateTime<Utc>>, what: &str| {
        ms(
            id,
            label,
            t,
            match t {
                Some(_) => "given by the responder (context)".into(),
                None => format!("unknown: {what} not given (context)"),
            },
        )
    };
    let tl = &r.detection.timeline;
    let detected = |id: &str, label: &str, t: Option<DateTime<Utc>>| {
        ms(
            id,
            label,
            t,
            match t {
                Some(_) => format!(
                    "detection: {} attacker row(s) in {} timeline entr(ies)",
                    tl.attacker_rows, tl.entries_total
                ),
                None if r.detection.events == 0 => "unknown: no usage evidence".into(),
                None => "none: no attacker rows in the usage evidence".into(),
            },
        )
    };
    vec![
        intro,
        given(
            "exposed_publicly",
            "Exposed publicly",
            f.exposed_publicly_at,
            "the time of public exposure",
        ),
        detected(
            "first_suspicious_use",
            "First suspicious use",
            tl.first_suspicious,
        ),
        detected(
            "last_suspicious_use",
            "Last suspicious use",
            tl.last_suspicious,
        ),
        given(
            "awareness",
            "Organisation aware",
            ctx.awareness,
            "the awareness time",
        ),
        given(
            "revoked",
            "Credential revoked",
            f.revoked_at,
            "the revocation time",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{demo_report, t};

    #[test]
    fn the_demo_timeline_comes_from_history_detection_and_context() {
        let mut ctx = Context {
            awareness: Some(t("2026-11-19T09:00:00Z")),
            ..Context::default()
        };
        ctx.incident.revoked_at = Some(t("2026-11-19T09:20:00Z"));
        let s = demo_report(&ctx).summary;
        let at = |id: &str| milestone(&s, id).and_then(|m| m.at);
        assert_eq!(at("secret_introduced"), Some(t("2026-11-13T16:42:10Z")));
        assert_eq!(at("first_suspicious_use"), Some(t("2026-11-16T02:13:00Z")));
        assert_eq!(at("awareness"), Some(t("2026-11-19T09:00:00Z")));
        assert_eq!(at("revoked"), Some(t("2026-11-19T09:20:00Z")));
        assert_eq!(at("exposed_publicly"), None);
        let span = |id: &str| s.durations.iter().find(|d| d.id == id).unwrap();
        assert_eq!(span("time_to_revoke").seconds, Some(20 * 60));
        assert_eq!(span("time_to_revoke").text, "20 min");
        assert_eq!(
            span("dwell").seconds,
            Some((t("2026-11-19T09:00:00Z") - t("2026-11-16T02:13:00Z")).num_seconds())
        );
        assert!(span("exposure_window").seconds.is_some());
    }
}
