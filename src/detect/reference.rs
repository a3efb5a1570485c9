//! A faithful port of the reference analyzer (of the API Key Compromise Investigation guide, `APIKeyUsageAnalyzer` and
//! `APIKeyForensicReconstructor._classify_phase`), kept only to measure it on the same
//! scenarios as ours. Its weaknesses are kept on purpose: a daily mean + 3 sample standard
//! deviations, no alert when the deviation is 0, keys without a baseline skipped, one
//! unknown-model alert per key and day (it `break`s after the first), record counts (not the
//! `requests` field) as volume.

use crate::evidence::event::UsageEvent;
use chrono::{DateTime, NaiveDate, Timelike, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// An alert of the reference analyzer.
#[derive(Debug, Clone, PartialEq)]
pub struct RefAlert {
    /// `volume_spike`, `cost_spike`, `unknown_model`, `unknown_source_ip`, `off_hours_usage`.
    pub alert_type: &'static str,
    /// `medium`, `high` or `critical`.
    pub severity: &'static str,
    /// The reference's description.
    pub description: String,
    /// The timestamp of the first record of the day (or of the offending record).
    pub timestamp: DateTime<Utc>,
    /// The UTC day analysed.
    pub day: NaiveDate,
    /// The key.
    pub api_key_prefix: String,
}

#[derive(Debug, Clone, Default)]
struct RefBaseline {
    avg_daily_requests: f64,
    std_daily_requests: f64,
    avg_daily_cost: f64,
    known_models: BTreeSet<Option<String>>,
    known_ips: BTreeSet<String>,
    active_hours: BTreeSet<u32>,
}

/// The reference analyzer's state: baselines per key.
#[derive(Debug, Clone, Default)]
pub struct ReferenceAnalyzer {
    baselines: BTreeMap<String, RefBaseline>,
}

fn key_of(e: &UsageEvent) -> String {
    e.key_id
        .clone()
        .or(e.key_hint.clone())
        .or(e.principal.clone())
        .unwrap_or_default()
}

fn std(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (values.len() - 1) as f64;
    var.sqrt()
}

impl ReferenceAnalyzer {
    /// `build_baseline`: per key, daily record counts and costs, models, IPs, active hours.
    pub fn build_baseline(&mut self, records: &[&UsageEvent]) {
        let mut by_key: BTreeMap<String, Vec<&UsageEvent>> = BTreeMap::new();
        for r in records {
            by_key.entry(key_of(r)).or_default().push(r);
        }
        for (key, recs) in by_key {
            let mut daily_req: BTreeMap<NaiveDate, f64> = BTreeMap::new();
            let mut daily_cost: BTreeMap<NaiveDate, f64> = BTreeMap::new();
            let mut b = RefBaseline::default();
            let mut hourly: BTreeMap<u32, usize> = BTreeMap::new();
            for r in &recs {
                let day = r.ts.date_naive();
                *daily_req.entry(day).or_default() += 1.0;
                *daily_cost.entry(day).or_default() += r.cost_usd.unwrap_or(0.0);
                b.known_models.insert(r.model.clone());
                // Python's `if r.source_ip:` skips empty strings too.
                if let Some(ip) = r.source_ip.as_ref().filter(|ip| !ip.is_empty()) {
                    b.known_ips.insert(ip.clone());
                }
                *hourly.entry(r.ts.hour()).or_default() += 1;
            }
            let req: Vec<f64> = daily_req.values().copied().collect();
            let cost: Vec<f64> = daily_cost.values().copied().collect();
            b.avg_daily_requests = req.iter().sum::<f64>() / req.len().max(1) as f64;
            b.std_daily_requests = std(&req);
            b.avg_daily_cost = cost.iter().sum::<f64>() / cost.len().max(1) as f64;
            b.active_hours = hourly
                .iter()
                .filter(|(_, c)| **c as f64 > recs.len() as f64 * 0.01)
                .map(|(h, _)| *h)
                .collect();
            self.baselines.insert(key, b);
        }
    }

    /// `analyze_records`: per key and day, the five checks; keys without a baseline skipped.
    pub fn analyze_records(&self, records: &[&UsageEvent]) -> Vec<RefAlert> {
        let mut kd: BTreeMap<String, BTreeMap<NaiveDate, Vec<&UsageEvent>>> = BTreeMap::new();
        for r in records {
            kd.entry(key_of(r))
                .or_default()
                .entry(r.ts.date_naive())
                .or_default()
                .push(r);
        }
        let mut alerts = Vec::new();
        for (key, days) in &kd {
            let Some(b) = self.baselines.get(key) else {
                continue;
            };
            for (day, recs) in days {
                let mk =
                    |t: &'static str, s: &'static str, d: String, ts: DateTime<Utc>| RefAlert {
                        alert_type: t,
                        severity: s,
                        description: d,
                        timestamp: ts,
                        day: *day,
                        api_key_prefix: key.clone(),
                    };
                let first = recs[0].ts;
                // Volume.
                let count = recs.len() as f64;
                let (avg, sd) = (b.avg_daily_requests, b.std_daily_requests);
                if sd > 0.0 && count > avg + 3.0 * sd {
                    let sev = if count > avg * 10.0 {
                        "critical"
                    } else {
                        "high"
                    };
                    alerts.push(mk(
                        "volume_spike",
                        sev,
                        format!("Key {key}: {count} requests on {day}, baseline avg={avg:.0}, std={sd:.0}"),
                        first,
                    ));
                }
                // Cost.
                let total: f64 = recs.iter().map(|r| r.cost_usd.unwrap_or(0.0)).sum();
                if total > (b.avg_daily_cost * 5.0).max(10.0) {
                    alerts.push(mk(
                        "cost_spike",
                        "critical",
                        format!(
                            "Key {key}: ${total:.2} on {day}, baseline avg=${:.2}",
                            b.avg_daily_cost
                        ),
                        first,
                    ));
                }
                // Model: the first unknown model only.
                if let Some(r) = recs.iter().find(|r| !b.known_models.contains(&r.model)) {
                    alerts.push(mk(
                        "unknown_model",
                        "high",
                        format!(
                            "Key {key}: model '{}' not in baseline",
                            r.model.clone().unwrap_or_default()
                        ),
                        r.ts,
                    ));
                }
                // IP.
                if !b.known_ips.is_empty() {
                    let unknown: BTreeSet<&str> = recs
                        .iter()
                        .filter_map(|r| r.source_ip.as_deref())
                        .filter(|ip| !ip.is_empty() && !b.known_ips.contains(*ip))
                        .collect();
                    if !unknown.is_empty() {
                        alerts.push(mk(
                            "unknown_source_ip",
                            "high",
                            format!("Key {key}: requests from {} unknown IP(s)", unknown.len()),
                            first,
                        ));
                    }
                }
                // Off hours.
                if !b.active_hours.is_empty() {
                    let off = recs
                        .iter()
                        .filter(|r| !b.active_hours.contains(&r.ts.hour()))
                        .count() as f64;
                    if off > recs.len() as f64 * 0.3 {
                        alerts.push(mk(
                            "off_hours_usage",
                            "medium",
                            format!(
                                "Key {key}: {off}/{} requests outside normal hours",
                                recs.len()
                            ),
                            first,
                        ));
                    }
                }
            }
        }
        alerts.sort_by_key(|a| a.timestamp);
        alerts
    }
}

/// The reference's phase rule for the `index`-th suspicious record (0-based).
pub fn reference_phase(index: usize, r: &UsageEvent) -> &'static str {
    let (i, o) = (r.input_tokens.unwrap_or(0), r.output_tokens.unwrap_or(0));
    let ep = r.operation.clone().unwrap_or_default().to_lowercase();
    if index < 3 {
        "reconnaissance"
    } else if i < 50 && o < 50 {
        "capability_testing"
    } else if ["fine-tun", "files", "batch"]
        .iter()
        .any(|k| ep.contains(k))
    {
        "persistence"
    } else if o > 4000 {
        "exfiltration"
    } else {
        "exploitation"
    }
}
