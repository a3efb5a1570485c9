//! A regime's deadlines at the report's time: the clock's start (awareness, determination or
//! the first notification), the due time by the regime's rule, the time left, and the status.

use crate::format;
use crate::report::clock::{fmt_duration, fmt_local, fmt_remaining, offset, Rule};
use crate::report::regimes::{Clock, StageSpec};
use crate::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A deadline's state at the report's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// Due in the future.
    Open,
    /// Past due.
    Overdue,
    /// The regime's first notification was sent (context `incident.notified_at`).
    Sent,
    /// The clock's start is not known.
    NotStarted,
    /// The regime sets no fixed period.
    NoFixedDeadline,
    /// Due time known, but the report has no time to measure what remains.
    Undated,
}

/// One deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deadline {
    /// Stable id: `regime.stage` (`gdpr_art33.authority`).
    pub id: String,
    /// What is due.
    pub what: String,
    /// To whom.
    pub recipient: String,
    /// The rule: the period (`72 hours`, `4 business days`) and the regime's wording.
    pub rule: String,
    /// What starts the clock: `awareness`, `determination` or `notification`.
    pub clock: String,
    /// When it applies, if not always.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// When the clock started (UTC).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub starts_at: Option<DateTime<Utc>>,
    /// When it is due (UTC).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub due_at: Option<DateTime<Utc>>,
    /// The due time at the context's UTC offset (UTC when none is given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_local: Option<String>,
    /// Seconds from the report's time to the due time (negative: overdue).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_seconds: Option<i64>,
    /// The state at the report's time.
    pub status: DeadlineStatus,
    /// The deadline in one line.
    pub text: String,
}

/// Computes one deadline at the report's time `now`.
pub fn deadline(
    regime: &str,
    st: &StageSpec,
    ctx: &Context,
    now: Option<DateTime<Utc>>,
) -> Deadline {
    let off = offset(ctx.utc_offset_minutes);
    let notified = ctx.incident.notified_at.get(regime).copied();
    let start = match st.clock {
        Clock::Awareness => ctx.awareness,
        Clock::Determination => ctx.incident.determined_at,
        Clock::Notification => notified,
    };
    let due = start.and_then(|t| st.rule.due(t, off));
    let remaining = match (due, now) {
        (Some(d), Some(n)) => Some((d - n).num_seconds()),
        _ => None,
    };
    let due_words =
        |d: &DateTime<Utc>| format!("due {} ({})", format::rfc3339(d), fmt_local(d, off));
    let (status, text) = match (start, due, notified) {
        (_, _, Some(sent)) if st.primary => {
            let when = match due {
                Some(d) if sent <= d => format!(", {} before the deadline", fmt_duration((d - sent).num_seconds())),
                Some(d) => format!(", {} after the deadline", fmt_duration((sent - d).num_seconds())),
                None => String::new(),
            };
            (DeadlineStatus::Sent, format!("sent {} (context){when}", format::rfc3339(&sent)))
        }
        (None, _, _) => (
            DeadlineStatus::NotStarted,
            match st.clock {
                Clock::Awareness => "clock not started: no awareness time given (context `awareness`)".to_string(),
                Clock::Determination => "clock not started: no determination time given (context `incident.determined_at`)".to_string(),
                Clock::Notification => format!(
                    "starts when the first notification is sent (context `incident.notified_at.{regime}`)"
                ),
            },
        ),
        (Some(t), None, _) => (
            DeadlineStatus::NoFixedDeadline,
            format!("no fixed period: {}; clock started {} ({})", st.wording, format::rfc3339(&t), fmt_local(&t, off)),
        ),
        (Some(_), Some(d), _) => match remaining {
            Some(left) if left < 0 => (DeadlineStatus::Overdue, format!("{}, {}", due_words(&d), fmt_remaining(left))),
            Some(left) => (DeadlineStatus::Open, format!("{}, {}", due_words(&d), fmt_remaining(left))),
            None => (DeadlineStatus::Undated, format!("{}; time remaining unknown: the report is undated", due_words(&d))),
        },
    };
    Deadline {
        id: format!("{regime}.{}", st.id),
        what: st.what.into(),
        recipient: st.recipient.into(),
        rule: match st.rule {
            Rule::NoFixed => st.wording.to_string(),
            rule => format!("{}: {}", rule.label(), st.wording),
        },
        clock: st.clock.as_str().into(),
        condition: st.condition.map(str::to_string),
        starts_at: start,
        due_at: due,
        due_local: due.map(|d| fmt_local(&d, off)),
        remaining_seconds: remaining,
        status,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::regimes;
    use crate::report::testing::{ctx_at, t};

    fn stage_of(regime: &str, stage: &str) -> &'static StageSpec {
        regimes::find(regime)
            .unwrap()
            .stages
            .iter()
            .find(|s| s.id == stage)
            .unwrap()
    }

    #[test]
    fn gdpr_72_hours_from_awareness_with_time_left_and_local_time() {
        let mut ctx = ctx_at("2026-11-20T09:00:00Z", Some("2026-11-19T08:30:00Z"));
        ctx.utc_offset_minutes = Some(60);
        let d = deadline(
            "gdpr_art33",
            stage_of("gdpr_art33", "authority"),
            &ctx,
            ctx.now,
        );
        assert_eq!(d.due_at, Some(t("2026-11-22T08:30:00Z")));
        assert_eq!(d.due_local.as_deref(), Some("2026-11-22 09:30 UTC+01:00"));
        assert_eq!(d.remaining_seconds, Some(47 * 3600 + 30 * 60));
        assert_eq!(d.status, DeadlineStatus::Open);
        assert!(d.text.ends_with("1 d 23 h 30 min left"), "{}", d.text);
    }

    #[test]
    fn a_passed_deadline_is_overdue_with_negative_time() {
        let ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T08:00:00Z"));
        let d = deadline("nis2", stage_of("nis2", "early_warning"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2026-11-20T08:00:00Z")));
        assert_eq!(d.remaining_seconds, Some(-4 * 3600));
        assert_eq!(d.status, DeadlineStatus::Overdue);
        assert!(d.text.ends_with("overdue by 4 h"), "{}", d.text);
    }

    #[test]
    fn sec_counts_four_business_days_from_determination_across_a_weekend() {
        let mut ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-18T08:00:00Z"));
        // Determined on Thursday: Fri, Mon, Tue, Wed.
        ctx.incident.determined_at = Some(t("2026-11-19T16:00:00Z"));
        let d = deadline("sec_8k", stage_of("sec_8k", "filing"), &ctx, ctx.now);
        assert_eq!(d.clock, "determination");
        assert_eq!(d.due_at, Some(t("2026-11-25T16:00:00Z")));
        // Without a determination, the clock has not started, whatever the awareness.
        ctx.incident.determined_at = None;
        let d = deadline("sec_8k", stage_of("sec_8k", "filing"), &ctx, ctx.now);
        assert_eq!((d.status, d.due_at), (DeadlineStatus::NotStarted, None));
        assert!(d.text.contains("no determination time"), "{}", d.text);
    }

    #[test]
    fn brazil_counts_three_business_days_from_awareness() {
        // Aware Friday 10:00: Mon, Tue, Wed.
        let ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-20T10:00:00Z"));
        let d = deadline("br_lgpd", stage_of("br_lgpd", "anpd"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2026-11-25T10:00:00Z")));
    }

    #[test]
    fn hipaa_and_state_calendar_days() {
        let ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T10:00:00Z"));
        let d = deadline("hipaa", stage_of("hipaa", "individuals"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2027-01-18T10:00:00Z")));
        let d = deadline("hipaa", stage_of("hipaa", "hhs_annual"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2027-03-02T00:00:00Z")));
        assert_eq!(
            d.condition.as_deref(),
            Some("if fewer than 500 individuals")
        );
        let d = deadline("us_wa", stage_of("us_wa", "residents"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2026-12-19T10:00:00Z")));
    }

    #[test]
    fn follow_up_clocks_start_at_the_notification_and_sending_meets_the_deadline() {
        let mut ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T08:00:00Z"));
        let d = deadline("nis2", stage_of("nis2", "final_report"), &ctx, ctx.now);
        assert_eq!(d.status, DeadlineStatus::NotStarted);
        ctx.incident
            .notified_at
            .insert("nis2".into(), t("2026-11-19T20:00:00Z"));
        let d = deadline("nis2", stage_of("nis2", "final_report"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2026-12-19T20:00:00Z")));
        let ew = deadline("nis2", stage_of("nis2", "early_warning"), &ctx, ctx.now);
        assert_eq!(ew.status, DeadlineStatus::Sent);
        assert!(ew.text.contains("12 h before the deadline"), "{}", ew.text);
    }

    #[test]
    fn no_awareness_means_no_deadline_and_no_fixed_period_shows_the_start() {
        let ctx = ctx_at("2026-11-20T12:00:00Z", None);
        let d = deadline(
            "gdpr_art33",
            stage_of("gdpr_art33", "authority"),
            &ctx,
            ctx.now,
        );
        assert_eq!((d.status, d.due_at), (DeadlineStatus::NotStarted, None));
        assert!(d.text.contains("no awareness time given"));
        let ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T08:00:00Z"));
        let d = deadline(
            "gdpr_art34",
            stage_of("gdpr_art34", "data_subjects"),
            &ctx,
            ctx.now,
        );
        assert_eq!(d.status, DeadlineStatus::NoFixedDeadline);
        assert!(d.text.contains("without undue delay"));
        // An undated report knows the due time but not what remains.
        let mut ctx = ctx;
        ctx.now = None;
        let d = deadline(
            "gdpr_art33",
            stage_of("gdpr_art33", "authority"),
            &ctx,
            None,
        );
        assert_eq!(
            (d.status, d.remaining_seconds),
            (DeadlineStatus::Undated, None)
        );
    }
}
