//! Deadline arithmetic: calendar hours, days and months, business days (Saturdays and
//! Sundays skipped; public holidays are not modelled), local times at a fixed UTC offset,
//! and durations in words. Pure: every time comes from the caller.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, TimeZone, Utc, Weekday,
};

/// The responder's offset (minutes east of UTC); UTC when absent or out of range.
pub fn offset(minutes: Option<i32>) -> FixedOffset {
    minutes
        .and_then(|m| FixedOffset::east_opt(m.saturating_mul(60)))
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
}

/// How a deadline is counted from its clock start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Calendar hours.
    Hours(i64),
    /// Calendar days (24 hours each, weekends included).
    Days(i64),
    /// Business days: the same local time of day on the n-th Monday-to-Friday after the
    /// start's local day (holidays not modelled).
    BusinessDays(u32),
    /// Calendar months (the same local day and time; the month's last day when shorter).
    Months(u32),
    /// Days after the end of the calendar year (local) in which the clock started.
    DaysAfterYearEnd(i64),
    /// No fixed period ("without undue delay", "as soon as feasible").
    NoFixed,
}

impl Rule {
    /// The rule in words ("72 hours", "4 business days").
    pub fn label(self) -> String {
        match self {
            Rule::Hours(h) => format!("{h} hours"),
            Rule::Days(d) => format!("{d} calendar days"),
            Rule::BusinessDays(d) => format!("{d} business days"),
            Rule::Months(1) => "1 month".into(),
            Rule::Months(m) => format!("{m} months"),
            Rule::DaysAfterYearEnd(d) => format!("{d} days after the end of the calendar year"),
            Rule::NoFixed => "no fixed period".into(),
        }
    }

    /// When a clock started at `start` runs out, counting weekends and days in `off`.
    /// `None` for [`Rule::NoFixed`] (and for dates out of range).
    pub fn due(self, start: DateTime<Utc>, off: FixedOffset) -> Option<DateTime<Utc>> {
        match self {
            Rule::Hours(h) => start.checked_add_signed(Duration::hours(h)),
            Rule::Days(d) => start.checked_add_signed(Duration::days(d)),
            Rule::BusinessDays(n) => add_business_days(start, n, off),
            Rule::Months(m) => {
                let local = start.with_timezone(&off).naive_local();
                let t = local.checked_add_months(Months::new(m))?;
                off.from_local_datetime(&t)
                    .single()
                    .map(|t| t.with_timezone(&Utc))
            }
            Rule::DaysAfterYearEnd(d) => {
                let year = start.with_timezone(&off).year();
                let jan1 = NaiveDate::from_ymd_opt(year + 1, 1, 1)?.and_hms_opt(0, 0, 0)?;
                let t = off.from_local_datetime(&jan1).single()?.with_timezone(&Utc);
                t.checked_add_signed(Duration::days(d))
            }
            Rule::NoFixed => None,
        }
    }
}

/// `start` plus `n` business days: the same local time of day on the n-th weekday after the
/// start's local day. Weekends are those of the local calendar at `off`.
pub fn add_business_days(start: DateTime<Utc>, n: u32, off: FixedOffset) -> Option<DateTime<Utc>> {
    let local = start.with_timezone(&off);
    let mut day = local.date_naive();
    let mut left = n;
    while left > 0 {
        day = day.succ_opt()?;
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    off.from_local_datetime(&day.and_time(local.time()))
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// A time at the offset, to the minute: `2026-11-19 03:13 UTC+01:00`.
pub fn fmt_local(t: &DateTime<Utc>, off: FixedOffset) -> String {
    let l = t.with_timezone(&off);
    format!("{} UTC{}", l.format("%Y-%m-%d %H:%M"), fmt_offset(off))
}

/// An offset as `+01:00` / `-05:30`.
pub fn fmt_offset(off: FixedOffset) -> String {
    let s = off.local_minus_utc();
    let sign = if s < 0 { '-' } else { '+' };
    let m = s.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// A duration in words, largest units first, to the minute: `3 d 4 h 12 min`, `0 min`.
pub fn fmt_duration(seconds: i64) -> String {
    let m = seconds.unsigned_abs() / 60;
    let (d, h, min) = (m / 1440, (m / 60) % 24, m % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} d"));
    }
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if min > 0 || parts.is_empty() {
        parts.push(format!("{min} min"));
    }
    parts.join(" ")
}

/// Time left before a deadline, in words: `1 d 2 h left` or `overdue by 3 h`.
pub fn fmt_remaining(seconds: i64) -> String {
    if seconds < 0 {
        format!("overdue by {}", fmt_duration(seconds))
    } else {
        format!("{} left", fmt_duration(seconds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn calendar_hours_and_days_count_weekends() {
        let utc = offset(None);
        // Friday 10:00 + 72 h = Monday 10:00.
        assert_eq!(
            Rule::Hours(72).due(t("2026-11-20T10:00:00Z"), utc),
            Some(t("2026-11-23T10:00:00Z"))
        );
        assert_eq!(
            Rule::Days(30).due(t("2026-11-20T10:00:00Z"), utc),
            Some(t("2026-12-20T10:00:00Z"))
        );
    }

    #[test]
    fn business_days_roll_over_a_weekend() {
        let utc = offset(None);
        // Thursday + 4 business days: Fri, Mon, Tue, Wed.
        assert_eq!(
            Rule::BusinessDays(4).due(t("2026-11-19T15:00:00Z"), utc),
            Some(t("2026-11-25T15:00:00Z"))
        );
        // Saturday + 3 business days: Mon, Tue, Wed.
        assert_eq!(
            Rule::BusinessDays(3).due(t("2026-11-21T09:30:00Z"), utc),
            Some(t("2026-11-25T09:30:00Z"))
        );
        // Monday + 3: Thursday, no weekend crossed.
        assert_eq!(
            Rule::BusinessDays(3).due(t("2026-11-16T09:30:00Z"), utc),
            Some(t("2026-11-19T09:30:00Z"))
        );
    }

    #[test]
    fn business_days_follow_the_local_calendar() {
        // 23:30 UTC on Friday is Saturday 00:30 at UTC+1: the count starts from Saturday.
        let cet = offset(Some(60));
        assert_eq!(
            Rule::BusinessDays(1).due(t("2026-11-20T23:30:00Z"), cet),
            Some(t("2026-11-22T23:30:00Z")),
            "Saturday 00:30 local + 1 business day = Monday 00:30 local"
        );
        // At UTC the same instant is still Friday: + 1 = Monday 23:30 UTC.
        assert_eq!(
            Rule::BusinessDays(1).due(t("2026-11-20T23:30:00Z"), offset(None)),
            Some(t("2026-11-23T23:30:00Z"))
        );
    }

    #[test]
    fn months_and_year_end() {
        let utc = offset(None);
        assert_eq!(
            Rule::Months(1).due(t("2026-01-31T12:00:00Z"), utc),
            Some(t("2026-02-28T12:00:00Z")),
            "clamped to the month's last day"
        );
        assert_eq!(
            Rule::DaysAfterYearEnd(60).due(t("2026-11-19T12:00:00Z"), utc),
            Some(t("2027-03-02T00:00:00Z")),
            "the end of 1 March 2027"
        );
        assert_eq!(Rule::NoFixed.due(t("2026-11-19T12:00:00Z"), utc), None);
    }

    #[test]
    fn durations_and_remaining_time_in_words() {
        assert_eq!(fmt_duration(0), "0 min");
        assert_eq!(
            fmt_duration(3 * 86400 + 4 * 3600 + 12 * 60 + 59),
            "3 d 4 h 12 min"
        );
        assert_eq!(fmt_remaining(3600), "1 h left");
        assert_eq!(fmt_remaining(-(26 * 3600)), "overdue by 1 d 2 h");
    }

    #[test]
    fn local_times_at_the_offset() {
        let at = t("2026-11-19T02:13:00Z");
        assert_eq!(
            fmt_local(&at, offset(Some(60))),
            "2026-11-19 03:13 UTC+01:00"
        );
        assert_eq!(
            fmt_local(&at, offset(Some(-330))),
            "2026-11-18 20:43 UTC-05:30"
        );
        assert_eq!(
            fmt_local(&at, offset(Some(100_000))),
            "2026-11-19 02:13 UTC+00:00"
        );
    }
}
