//! Small per-key series for the page's chart: bucketed usage and cost, the baseline band and
//! the alerts marked.

use super::baseline::{robust, KeyCtx, DAY, HOUR};
use super::params::DetectParams;
use super::prepare::{flag, Prepared};
use super::{round, Alert, AlertKind, Severity};
use crate::format;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartPoint {
    /// Bucket start.
    #[serde(serialize_with = "format::ser_ts")]
    pub t: DateTime<Utc>,
    /// Volume in the bucket (the key's unit).
    pub value: f64,
    /// Cost in the bucket.
    pub cost_usd: f64,
}

/// An alert drawn on the chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartMark {
    /// The alert's id.
    pub alert_id: String,
    /// Its kind.
    pub kind: AlertKind,
    /// Its severity.
    pub severity: Severity,
    /// Start.
    #[serde(serialize_with = "format::ser_ts")]
    pub start: DateTime<Utc>,
    /// End.
    #[serde(serialize_with = "format::ser_ts")]
    pub end: DateTime<Utc>,
}

/// One key's chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyChart {
    /// The key.
    pub key: String,
    /// Volume unit (`requests` or `tokens`).
    pub unit: String,
    /// Bucket width in seconds (3600, 21600, 86400 or 604800).
    pub bucket_seconds: i64,
    /// Buckets in time order (empty buckets included).
    pub points: Vec<ChartPoint>,
    /// Baseline band per bucket: the median of the baseline buckets.
    pub baseline_median: f64,
    /// Lower edge of the band (median − robust_z·scale, back from log1p).
    pub band_low: f64,
    /// Upper edge of the band.
    pub band_high: f64,
    /// End of the baseline window.
    #[serde(serialize_with = "format::ser_ts")]
    pub baseline_end: DateTime<Utc>,
    /// Alerts on this key.
    pub marks: Vec<ChartMark>,
}

#[inline(never)]
/// Two decimals: band edges come from `exp_m1`, whose last bits may differ between the
/// native and the wasm math library; the report must be the same in both.
fn round2(x: f64) -> f64 {
    if x.is_finite() {
        (x * 100.0).round() / 100.0
    } else {
        0.0
    }
}

pub(crate) fn build(
    p: &Prepared,
    keys: &[KeyCtx],
    alerts: &[Alert],
    params: &DetectParams,
) -> Vec<KeyChart> {
    // Keys with alerts first, then the busiest, up to `max_chart_keys`; shown in key order.
    let alerted: std::collections::HashSet<&str> = alerts.iter().map(|a| a.key.as_str()).collect();
    let mut chosen: Vec<&KeyCtx> = keys.iter().collect();
    chosen.sort_by_key(|k| {
        (
            !alerted.contains(k.name.as_str()),
            std::cmp::Reverse(k.hi - k.lo),
            k.k,
        )
    });
    chosen.truncate(params.max_chart_keys);
    chosen.sort_by_key(|k| k.k);
    chosen
        .into_iter()
        .map(|k| {
            let lo_t = k.first.max(k.day0 * DAY);
            let span = (k.last - lo_t).max(1);
            let width = [HOUR, 6 * HOUR, DAY, 7 * DAY]
                .into_iter()
                .find(|w| span / w < params.max_chart_points as i64)
                .unwrap_or(
                    7 * DAY * ((span / (7 * DAY)) / params.max_chart_points.max(1) as i64 + 1),
                );
            let b0 = lo_t.div_euclid(width);
            let n = (k.last.div_euclid(width) - b0 + 1) as usize;
            let mut v = vec![0.0; n];
            let mut c = vec![0.0; n];
            for e in k.evs(p).iter().filter(|e| e.ts >= lo_t) {
                let b = (e.ts.div_euclid(width) - b0) as usize;
                if e.has(flag::USAGE) {
                    v[b] += k.metric(e);
                }
                if e.has(flag::HAS_COST) {
                    c[b] += e.cost;
                }
            }
            // Baseline buckets: those that end before the reference window ends.
            let base: Vec<f64> = (0..n)
                .filter(|&b| (b0 + b as i64 + 1) * width <= k.ref_end)
                .map(|b| v[b].ln_1p())
                .collect();
            let (med, scale) = if base.is_empty() {
                (0.0, 0.0)
            } else {
                robust(&base, params.min_log_scale)
            };
            let marks = alerts
                .iter()
                .filter(|a| a.key == k.name)
                .map(|a| ChartMark {
                    alert_id: a.id.clone(),
                    kind: a.kind,
                    severity: a.severity,
                    start: a.start,
                    end: a.end,
                })
                .collect();
            KeyChart {
                key: k.name.clone(),
                unit: k.unit().to_string(),
                bucket_seconds: width,
                points: (0..n)
                    .map(|b| ChartPoint {
                        t: format::unix((b0 + b as i64) * width),
                        value: round(v[b]),
                        cost_usd: round(c[b]),
                    })
                    .collect(),
                baseline_median: round2(med.exp_m1()),
                band_low: round2((med - params.robust_z * scale).exp_m1().max(0.0)),
                band_high: round2((med + params.robust_z * scale).exp_m1()),
                baseline_end: format::unix(k.ref_end),
                marks,
            }
        })
        .collect()
}
