//! Every detector threshold as a named parameter with a documented default.
//!
//! The defaults are listed in `docs/detect.md`; a responder can override any of them through
//! the context (`Context::detect_params`), field by field.

use serde::{Deserialize, Serialize};

/// Named thresholds for all detectors. `Default` gives the documented defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetectParams {
    // ---- baselines -------------------------------------------------------------------------
    /// Days of history a key needs before its statistical baseline is trusted.
    pub min_baseline_days: f64,
    /// Days of history before hour-of-week seasonality is used (else hour-of-day).
    pub seasonality_min_days: f64,
    /// Longest daily series kept per key (days before its last row); older rows still count
    /// for totals, sets and the timeline, not for the series.
    pub max_series_days: u32,
    /// Trailing window (days) of the daily volume and cost baselines.
    pub trailing_days: u32,
    /// Without a compromise start, the first `learning_fraction` of a key's history (at least
    /// `min_baseline_days`) is the reference window for first-seen detectors.
    pub learning_fraction: f64,
    /// Robust z-score threshold (modified z, Iglewicz & Hoaglin) on log1p-scaled series.
    pub robust_z: f64,
    /// Lower bound of the robust scale in log1p units: keeps a flat or dormant baseline from
    /// making every small change infinite (0.25 ≈ a 28 % change is one unit).
    pub min_log_scale: f64,
    // ---- change point ----------------------------------------------------------------------
    /// Minimum confidence (0–1) for an estimated compromise start to be used.
    pub changepoint_min_confidence: f64,
    /// Minimum upward step (ratio of the after level to the before level) for a change point.
    pub changepoint_min_ratio: f64,
    // ---- volume and cost -------------------------------------------------------------------
    /// Observed/baseline ratio a day must also exceed to raise a volume spike.
    pub volume_min_ratio: f64,
    /// Minimum excess requests over the baseline median in a day.
    pub volume_min_excess_day: f64,
    /// Minimum excess requests over the expected value in an hour (hourly detector).
    pub volume_min_excess_hour: f64,
    /// Observed/expected ratio an hour must exceed (hourly detector, stricter than daily).
    pub volume_hour_min_ratio: f64,
    /// Observed/baseline ratio a day's cost must exceed to raise a cost spike.
    pub cost_min_ratio: f64,
    /// Estimate the cost of usage rows that have tokens but no cost from approximate list
    /// prices (`prices.rs`); billed cost rows always win.
    pub estimate_missing_cost: bool,
    /// Dollar floor: a day's cost must exceed the baseline by at least this much.
    pub cost_floor_usd_day: f64,
    /// A key with no baseline raises `new_key_heavy_use` at this many requests in a day.
    pub new_key_min_requests_day: f64,
    /// ... or at this much cost in a day.
    pub new_key_min_cost_day: f64,
    // ---- first-seen ------------------------------------------------------------------------
    /// New IPs must carry at least this share of the key's later events for `high` severity.
    pub new_ip_high_share: f64,
    /// A key whose baseline sees a new IP on more than this share of its days churns IPs
    /// (mobile or browser clients): IP-based detectors are skipped for it.
    pub ip_churn_day_share: f64,
    /// Minimum baseline events before first-seen detectors run.
    pub first_seen_min_baseline_events: u64,
    // ---- off-hours -------------------------------------------------------------------------
    /// An hour of day is active when it carries at least this share of baseline traffic.
    pub active_hour_min_share: f64,
    /// Off-hours share of a day's requests that raises an alert (reference: 0.3).
    pub off_hours_share: f64,
    /// ... only when the baseline's own off-hours share is below this.
    pub off_hours_baseline_max_share: f64,
    /// ... and the day has at least this many off-hours requests.
    pub off_hours_min_requests: f64,
    // ---- probes, recon, fan-out ------------------------------------------------------------
    /// Probe errors (ValidationException, 401/403/429, AccessDenied) in one minute that make a
    /// burst (Elastic's rule: more than 3).
    pub probe_min_per_minute: u32,
    /// Minutes between a listing call and an invocation for the recon→invoke rule.
    pub recon_invoke_window_min: i64,
    /// Distinct regions used by one key within `region_window_min` that make a fan-out.
    pub region_fanout_min: u32,
    /// ... of which at least this many never used in the key's baseline (a legitimate app
    /// adding one region is not a fan-out).
    pub region_fanout_min_new: u32,
    /// Window for the region fan-out (minutes).
    pub region_window_min: i64,
    // ---- exfiltration ----------------------------------------------------------------------
    /// Output tokens of one request above which it is unusually large (and at least
    /// `exfil_baseline_factor` × the baseline's 99th percentile, and above its largest).
    pub exfil_min_output_tokens: f64,
    /// Input tokens of one request above which the prompt is unusually large.
    pub exfil_min_input_tokens: f64,
    /// Multiple of the baseline 99th percentile a request must exceed.
    pub exfil_baseline_factor: f64,
    /// Minimum number of large requests for an alert.
    pub exfil_min_requests: u64,
    // ---- burst and burn --------------------------------------------------------------------
    /// Requests in one minute that may be a burst (absolute floor).
    pub burst_min_per_minute: f64,
    /// Multiple of the baseline's busiest minute a burst must exceed.
    pub burst_ratio: f64,
    /// Window (hours) of the current spend rate.
    pub burn_window_hours: f64,
    /// Projected next-24-hour cost that raises a burn-rate alert.
    pub burn_min_projected_usd: f64,
    /// ... when it is also this multiple of the baseline's daily cost.
    pub burn_ratio: f64,
    // ---- output ----------------------------------------------------------------------------
    /// Evidence rows kept per alert (the count is always given in full).
    pub max_evidence_per_alert: usize,
    /// Timeline entries kept.
    pub max_timeline_entries: usize,
    /// Gap (minutes) that splits timeline runs.
    pub timeline_gap_min: i64,
    /// Points per key chart at most.
    pub max_chart_points: usize,
    /// Keys charted at most: keys with alerts first, then the busiest.
    pub max_chart_keys: usize,
}

impl Default for DetectParams {
    fn default() -> Self {
        DetectParams {
            min_baseline_days: 3.0,
            seasonality_min_days: 21.0,
            max_series_days: 731,
            trailing_days: 28,
            learning_fraction: 0.25,
            robust_z: 3.5,
            min_log_scale: 0.25,
            changepoint_min_confidence: 0.5,
            changepoint_min_ratio: 2.0,
            volume_min_ratio: 2.0,
            volume_min_excess_day: 50.0,
            volume_min_excess_hour: 30.0,
            volume_hour_min_ratio: 3.0,
            cost_min_ratio: 2.0,
            estimate_missing_cost: true,
            cost_floor_usd_day: 10.0,
            new_key_min_requests_day: 500.0,
            new_key_min_cost_day: 10.0,
            new_ip_high_share: 0.05,
            ip_churn_day_share: 0.3,
            first_seen_min_baseline_events: 20,
            active_hour_min_share: 0.01,
            off_hours_share: 0.3,
            off_hours_baseline_max_share: 0.1,
            off_hours_min_requests: 20.0,
            probe_min_per_minute: 4,
            recon_invoke_window_min: 15,
            region_fanout_min: 3,
            region_fanout_min_new: 2,
            region_window_min: 60,
            exfil_min_output_tokens: 4000.0,
            exfil_min_input_tokens: 50000.0,
            exfil_baseline_factor: 3.0,
            exfil_min_requests: 3,
            burst_min_per_minute: 30.0,
            burst_ratio: 5.0,
            burn_window_hours: 6.0,
            burn_min_projected_usd: 100.0,
            burn_ratio: 5.0,
            max_evidence_per_alert: 20,
            max_timeline_entries: 1000,
            timeline_gap_min: 60,
            max_chart_points: 400,
            max_chart_keys: 50,
        }
    }
}

/// Each parameter's accepted range, as data: values outside it are refused where a context is
/// read (a usage error naming the parameter) and brought into it by the engine, so no value can
/// make a detector allocate without bound, overflow or divide by zero.
const RANGES: &[(&str, f64, f64)] = &[
    ("min_baseline_days", 0.0, 3660.0),
    ("seasonality_min_days", 0.0, 3660.0),
    ("max_series_days", 1.0, 3660.0),
    ("trailing_days", 1.0, 366.0),
    ("learning_fraction", 0.0, 1.0),
    ("robust_z", 0.0, 1e6),
    ("min_log_scale", 1e-6, 1e6),
    ("changepoint_min_confidence", 0.0, 1.0),
    ("changepoint_min_ratio", 0.0, 1e9),
    ("volume_min_ratio", 0.0, 1e9),
    ("volume_min_excess_day", 0.0, 1e15),
    ("volume_min_excess_hour", 0.0, 1e15),
    ("volume_hour_min_ratio", 0.0, 1e9),
    ("cost_min_ratio", 0.0, 1e9),
    ("cost_floor_usd_day", 0.0, 1e12),
    ("new_key_min_requests_day", 0.0, 1e15),
    ("new_key_min_cost_day", 0.0, 1e12),
    ("new_ip_high_share", 0.0, 1.0),
    ("ip_churn_day_share", 0.0, 1.0),
    ("first_seen_min_baseline_events", 0.0, 1e12),
    ("active_hour_min_share", 0.0, 1.0),
    ("off_hours_share", 0.0, 1.0),
    ("off_hours_baseline_max_share", 0.0, 1.0),
    ("off_hours_min_requests", 0.0, 1e15),
    ("probe_min_per_minute", 1.0, 1e9),
    ("recon_invoke_window_min", 1.0, 527_040.0),
    ("region_fanout_min", 1.0, 10_000.0),
    ("region_fanout_min_new", 1.0, 10_000.0),
    ("region_window_min", 1.0, 527_040.0),
    ("exfil_min_output_tokens", 0.0, 1e15),
    ("exfil_min_input_tokens", 0.0, 1e15),
    ("exfil_baseline_factor", 0.0, 1e9),
    ("exfil_min_requests", 0.0, 1e12),
    ("burst_min_per_minute", 0.0, 1e12),
    ("burst_ratio", 0.0, 1e9),
    ("burn_window_hours", 0.01, 8784.0),
    ("burn_min_projected_usd", 0.0, 1e12),
    ("burn_ratio", 0.0, 1e9),
    ("max_evidence_per_alert", 0.0, 10_000.0),
    ("max_timeline_entries", 1.0, 1_000_000.0),
    ("timeline_gap_min", 1.0, 527_040.0),
    ("max_chart_points", 2.0, 100_000.0),
    ("max_chart_keys", 0.0, 10_000.0),
];

impl DetectParams {
    /// The parameters outside their range, in words (`trailing_days is 4294967295; the accepted
    /// range is 1 to 366`); empty when all are in range.
    pub fn problems(&self) -> Vec<String> {
        let values = self.as_map();
        RANGES
            .iter()
            .filter_map(|&(name, lo, hi)| {
                let v = values.get(name)?.as_f64().unwrap_or(f64::NAN);
                (!(lo..=hi).contains(&v)).then(|| {
                    format!(
                        "{name} is {}; the accepted range is {} to {}",
                        values[name],
                        crate::format::num(lo),
                        crate::format::num(hi)
                    )
                })
            })
            .collect()
    }

    /// The parameters with each value brought into its range (a value that is not a number
    /// takes its default).
    pub fn clamped(&self) -> DetectParams {
        let mut values = self.as_map();
        let defaults = DetectParams::default().as_map();
        for &(name, lo, hi) in RANGES {
            let Some(v) = values.get(name).map(|v| v.as_f64().unwrap_or(f64::NAN)) else {
                continue;
            };
            let fixed = if v.is_nan() {
                defaults[name].as_f64().unwrap_or(lo)
            } else {
                v.clamp(lo, hi)
            };
            if fixed != v {
                let integer = defaults[name].is_u64() || defaults[name].is_i64();
                values.insert(
                    name.to_string(),
                    if integer {
                        serde_json::json!(fixed.round() as i64)
                    } else {
                        serde_json::json!(fixed)
                    },
                );
            }
        }
        serde_json::from_value(serde_json::Value::Object(values)).unwrap_or_default()
    }

    fn as_map(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        }
    }
}

#[cfg(test)]
mod range_tests {
    use super::*;

    #[test]
    fn every_numeric_parameter_has_a_range_and_the_defaults_are_in_it() {
        let d = DetectParams::default();
        assert!(d.problems().is_empty(), "{:?}", d.problems());
        assert_eq!(d.clamped(), d);
        for (name, v) in d.as_map() {
            if v.is_number() {
                assert!(RANGES.iter().any(|r| r.0 == name), "{name} has no range");
            }
        }
    }

    #[test]
    fn values_out_of_range_are_named_and_brought_in() {
        let p = DetectParams {
            trailing_days: u32::MAX,
            region_window_min: i64::MAX,
            learning_fraction: f64::NAN,
            ..DetectParams::default()
        };
        let problems = p.problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("trailing_days is 4294967295; the accepted range is 1 to 366")
        );
        let c = p.clamped();
        assert_eq!(c.trailing_days, 366);
        assert_eq!(c.region_window_min, 527_040);
        assert_eq!(c.learning_fraction, 0.25);
        assert!(c.problems().is_empty());
    }
}
