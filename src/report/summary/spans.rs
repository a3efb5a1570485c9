//! The durations between the milestones: exposure to first use, dwell, abuse window, time to
//! revoke, exposure window. A missing end is named, never guessed.

use super::Milestone;
use crate::report::clock::fmt_duration;
use serde::Serialize;

/// A duration between two milestones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    /// Stable id: `exposure_to_first_use`, `dwell`, `abuse_window`, `time_to_revoke`,
    /// `exposure_window`.
    pub id: String,
    /// In words.
    pub label: String,
    /// The milestone ids it runs between.
    pub from: String,
    /// The milestone it ends at.
    pub to: String,
    /// Seconds, when both ends are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<i64>,
    /// The duration in words, or which end is unknown.
    pub text: String,
}

pub(super) fn spans(tl: &[Milestone]) -> Vec<Span> {
    let at = |id: &str| tl.iter().find(|m| m.id == id).and_then(|m| m.at);
    // Exposure starts at the public exposure when known, else at the commit that added it.
    let exposure = if at("exposed_publicly").is_some() {
        "exposed_publicly"
    } else {
        "secret_introduced"
    };
    let defs = [
        (
            "exposure_to_first_use",
            "From exposure to first suspicious use",
            exposure,
            "first_suspicious_use",
        ),
        (
            "dwell",
            "Dwell time (first suspicious use to awareness)",
            "first_suspicious_use",
            "awareness",
        ),
        (
            "abuse_window",
            "Abuse window (first to last suspicious use)",
            "first_suspicious_use",
            "last_suspicious_use",
        ),
        (
            "time_to_revoke",
            "From awareness to revocation",
            "awareness",
            "revoked",
        ),
        (
            "exposure_window",
            "Exposure window (exposure to revocation)",
            exposure,
            "revoked",
        ),
    ];
    defs.iter()
        .map(|(id, label, from, to)| {
            let seconds = match (at(from), at(to)) {
                (Some(a), Some(b)) => Some((b - a).num_seconds()),
                _ => None,
            };
            let missing: Vec<&str> = [from, to]
                .iter()
                .filter(|m| at(m).is_none())
                .map(|m| {
                    tl.iter()
                        .find(|x| x.id == **m)
                        .map(|x| x.label.as_str())
                        .unwrap_or(m)
                })
                .collect();
            let text = match seconds {
                Some(s) if s < 0 => format!(
                    "{} (the end is before the start: check the times)",
                    fmt_duration(s)
                ),
                Some(s) => fmt_duration(s),
                None => format!(
                    "unknown: no time for {}",
                    missing.join(" or ").to_lowercase()
                ),
            };
            Span {
                id: (*id).into(),
                label: (*label).into(),
                from: (*from).into(),
                to: (*to).into(),
                seconds,
                text,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::report::summary::milestone;
    use crate::report::testing::{demo_report, t};
    use crate::Context;

    #[test]
    fn unknown_milestones_say_why_and_spans_name_the_missing_end() {
        let s = demo_report(&Context::default()).summary;
        let aware = milestone(&s, "awareness").unwrap();
        assert!(aware.at.is_none());
        assert!(aware.source.contains("not given"), "{}", aware.source);
        let dwell = s.durations.iter().find(|d| d.id == "dwell").unwrap();
        assert_eq!(dwell.seconds, None);
        assert_eq!(dwell.text, "unknown: no time for organisation aware");
    }

    #[test]
    fn public_exposure_replaces_the_commit_as_the_exposure_start() {
        let mut ctx = Context::default();
        ctx.incident.exposed_publicly_at = Some(t("2026-11-15T02:13:00Z"));
        let s = demo_report(&ctx).summary;
        let d = s
            .durations
            .iter()
            .find(|d| d.id == "exposure_to_first_use")
            .unwrap();
        assert_eq!(d.from, "exposed_publicly");
        assert_eq!(d.seconds, Some(86_400));
    }
}
