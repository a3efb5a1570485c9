//! Robust statistics and each key's baseline: its history window, compromise-start estimate,
//! daily series and the sets of models, IPs, user agents, regions and operations it used.

use super::changepoint;
use super::params::DetectParams;
use super::prepare::{flag, Ev, Prepared, NONE};
use crate::evidence::intern::FxBuild;
use std::collections::{HashMap, HashSet};

pub(crate) const DAY: i64 = 86_400;
pub(crate) const HOUR: i64 = 3_600;

/// Median of a slice (reorders it). 0 for an empty slice.
pub fn median(v: &mut [f64]) -> f64 {
    let n = v.len();
    if n == 0 {
        return 0.0;
    }
    let cmp = |a: &f64, b: &f64| a.total_cmp(b);
    let (_, m, _) = v.select_nth_unstable_by(n / 2, cmp);
    let hi = *m;
    if n % 2 == 1 {
        hi
    } else {
        let lo = v[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo + hi) / 2.0
    }
}

/// Quantile (nearest rank) of a slice (reorders it). 0 for an empty slice.
pub fn quantile(v: &mut [f64], q: f64) -> f64 {
    let n = v.len();
    if n == 0 {
        return 0.0;
    }
    let i = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
    let (_, m, _) = v.select_nth_unstable_by(i, |a, b| a.total_cmp(b));
    *m
}

/// Robust centre and scale: the median, and 1.4826·MAD; when MAD is 0 (more than half the
/// values equal), 1.253314·mean absolute deviation (IBM's fallback); never below `min_scale`.
pub fn robust(values: &[f64], min_scale: f64) -> (f64, f64) {
    let mut v = values.to_vec();
    let med = median(&mut v);
    let mut dev: Vec<f64> = values.iter().map(|x| (x - med).abs()).collect();
    let mad = median(&mut dev);
    let scale = if mad > 0.0 {
        1.4826 * mad
    } else if !values.is_empty() {
        1.253314 * dev.iter().sum::<f64>() / values.len() as f64
    } else {
        0.0
    };
    (med, scale.max(min_scale))
}

/// How a compromise start was obtained.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StartEst {
    pub at: i64,
    pub confidence: f64,
    pub method: &'static str,
    pub reason: String,
}

/// A key's baseline and the facts the detectors share.
pub(crate) struct KeyCtx {
    pub k: usize,
    /// The key as shown (redacted when it looks like a raw secret).
    pub name: String,
    pub lo: usize,
    pub hi: usize,
    pub first: i64,
    pub last: i64,
    /// Day index (days since the epoch) of `daily[0]`.
    pub day0: i64,
    pub daily_req: Vec<f64>,
    pub daily_cost: Vec<f64>,
    pub uses_tokens: bool,
    pub has_cost: bool,
    pub sub_daily: bool,
    pub start: Option<StartEst>,
    /// End of the reference window: the compromise start, else the end of the learning window.
    pub ref_end: i64,
    pub has_baseline: bool,
    pub appears_from_nowhere: bool,
    pub base_events: u64,
    pub base_ips: HashSet<u32, FxBuild>,
    pub base_uas: HashSet<u32, FxBuild>,
    pub base_models: HashSet<u32, FxBuild>,
    pub base_regions: HashSet<u32, FxBuild>,
    pub base_ops: HashSet<u32, FxBuild>,
    /// The operations the reference window made as calls the catalog flags (lasting access,
    /// secrets read, logging changed, data deleted): a call flagged only with an extra of its
    /// record (an SSM read with decryption, a share given) made there only as everyday work
    /// (without decryption, a share taken back) is not learned as usual when it is flagged.
    pub base_flagged_ops: HashSet<u32, FxBuild>,
    pub ip_churn: bool,
    /// Share of baseline volume per hour of day.
    pub hour_share: [f64; 24],
}

impl KeyCtx {
    pub fn evs<'p>(&self, p: &'p Prepared) -> &'p [Ev] {
        &p.evs[self.lo..self.hi]
    }
    /// Index of the first row at or after `t`.
    pub fn pos_at(&self, p: &Prepared, t: i64) -> usize {
        self.lo + self.evs(p).partition_point(|e| e.ts < t)
    }
    /// Whether day `d` (index into the daily series) ends before the compromise start.
    pub fn day_before_start(&self, d: usize) -> bool {
        match &self.start {
            Some(s) => (self.day0 + d as i64 + 1) * DAY <= s.at,
            None => true,
        }
    }
    pub fn metric(&self, e: &Ev) -> f64 {
        if self.uses_tokens {
            e.tok_in + e.tok_out
        } else {
            e.req
        }
    }
    pub fn unit(&self) -> &'static str {
        if self.uses_tokens {
            "tokens"
        } else {
            "requests"
        }
    }
}

/// Builds key `k`'s context (it reads only the key's own rows).
#[inline(never)]
pub(crate) fn build_key(
    p: &Prepared,
    params: &DetectParams,
    given: Option<i64>,
    k: usize,
) -> KeyCtx {
    let kr = &p.keys[k];
    let evs = &p.evs[kr.start..kr.end];
    let first = evs.first().map(|e| e.ts).unwrap_or(0);
    let last = evs.last().map(|e| e.ts).unwrap_or(0);
    let any_req = evs.iter().any(|e| e.has(flag::USAGE) && e.req > 0.0);
    let uses_tokens = !any_req && evs.iter().any(|e| e.tok_in + e.tok_out > 0.0);
    // The series covers at most `max_series_days` before the key's last row: a stray row
    // stamped decades earlier (an epoch-0 timestamp) must not stretch it.
    let last_day = last.div_euclid(DAY);
    let day0 = first
        .div_euclid(DAY)
        .max(last_day - params.max_series_days.max(1) as i64 + 1);
    let ndays = (last_day - day0 + 1).max(1) as usize;
    let mut daily_req = vec![0.0; ndays];
    let mut daily_cost = vec![0.0; ndays];
    let mut has_cost = false;
    let mut sub = 0usize;
    let mut hourly = [0.0f64; 24];
    for e in evs {
        let Ok(d) = usize::try_from(e.ts.div_euclid(DAY) - day0) else {
            continue;
        };
        let d = d.min(ndays - 1);
        if e.has(flag::USAGE) {
            daily_req[d] += if uses_tokens {
                e.tok_in + e.tok_out
            } else {
                e.req
            };
            if e.has(flag::SUBDAILY) {
                sub += 1;
            }
        }
        if e.has(flag::HAS_COST) {
            has_cost = true;
            daily_cost[d] += e.cost;
        }
    }
    let usage_rows = evs.iter().filter(|e| e.has(flag::USAGE)).count();
    let sub_daily = usage_rows > 0 && sub * 2 >= usage_rows;

    // 1. Change point on volume and cost.
    let min_before = params.min_baseline_days.ceil().max(1.0) as usize;
    let lv: Vec<f64> = daily_req.iter().map(|v| v.ln_1p()).collect();
    let lc: Vec<f64> = daily_cost.iter().map(|v| v.ln_1p()).collect();
    let cp_v = changepoint::find_step(&lv, min_before, params.changepoint_min_ratio);
    let cp_c = if has_cost {
        changepoint::find_step(&lc, min_before, params.changepoint_min_ratio)
    } else {
        None
    };
    let cp = match (cp_v, cp_c) {
        (Some(a), Some(b)) => Some(if b.confidence > a.confidence {
            (b, "cost")
        } else {
            (a, "volume")
        }),
        (Some(a), None) => Some((a, "volume")),
        (None, Some(b)) => Some((b, "cost")),
        _ => None,
    }
    .filter(|(c, _)| c.confidence >= params.changepoint_min_confidence);

    // 2. Learning window and sources first seen after it.
    let span_days = (last - first) as f64 / DAY as f64;
    let learn_days = (span_days * params.learning_fraction).max(params.min_baseline_days);
    let learn_end = first + (learn_days * DAY as f64) as i64;
    let mut ip_first: HashMap<u32, i64, FxBuild> = HashMap::default();
    let mut ua_first: HashMap<u32, i64, FxBuild> = HashMap::default();
    let mut new_ip_days: HashSet<i64, FxBuild> = HashSet::default();
    let mut learn_active_days: HashSet<i64, FxBuild> = HashSet::default();
    for e in evs {
        let day = e.ts.div_euclid(DAY);
        if e.ts < learn_end {
            learn_active_days.insert(day);
        }
        if e.ip != NONE {
            ip_first.entry(e.ip).or_insert_with(|| {
                if e.ts < learn_end && e.ts >= first + DAY {
                    new_ip_days.insert(day);
                }
                e.ts
            });
        }
        if e.ua != NONE {
            ua_first.entry(e.ua).or_insert(e.ts);
        }
    }
    let ip_churn = learn_active_days.len() >= 3
        && new_ip_days.len() as f64
            > params.ip_churn_day_share * (learn_active_days.len() as f64 - 1.0);
    let late_ip = if ip_churn {
        None
    } else {
        ip_first.values().copied().filter(|t| *t >= learn_end).min()
    };
    let late_ua = ua_first.values().copied().filter(|t| *t >= learn_end).min();
    let late = match (late_ip, late_ua) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };

    // 3. The start: the responder's, else the earliest credible estimate.
    let start = if let Some(g) = given {
        Some(StartEst {
            at: g,
            confidence: 1.0,
            method: "responder",
            reason: "set by the responder".into(),
        })
    } else {
        let cp_est = cp.map(|(c, series)| StartEst {
            at: (day0 + c.index as i64) * DAY,
            confidence: c.confidence,
            method: "change_point",
            reason: format!(
                "daily {series} stepped up {:.1}× on this day over a line fitted to the \
                 history (likelihood ratio {:.1})",
                c.step.exp(),
                c.lr
            ),
        });
        let src_est = late.map(|t| StartEst {
            at: t,
            confidence: 0.6,
            method: "first_new_source",
            reason: "first event from an IP address or user agent not seen in the key's \
                     learning window"
                .into(),
        });
        match (cp_est, src_est) {
            (Some(c), Some(s)) => {
                if (c.at - s.at).abs() <= DAY * 3 / 2 {
                    // The new source gives the time to the second; the change point the day.
                    Some(StartEst {
                        at: s.at,
                        confidence: (c.confidence.max(s.confidence) + 0.1).min(0.95),
                        method: "change_point+first_new_source",
                        reason: format!("{}; and a new source appeared then", c.reason),
                    })
                } else if c.at < s.at {
                    Some(c)
                } else {
                    Some(s)
                }
            }
            (c, s) => c.or(s),
        }
    };
    let ref_end = start.as_ref().map(|s| s.at).unwrap_or(learn_end).max(first);

    // 4. Baseline sets from the reference window.
    let mut base = KeyCtx {
        k,
        name: super::prepare::display_key(&kr.raw),
        lo: kr.start,
        hi: kr.end,
        first,
        last,
        day0,
        daily_req,
        daily_cost,
        uses_tokens,
        has_cost,
        sub_daily,
        start,
        ref_end,
        has_baseline: false,
        appears_from_nowhere: false,
        base_events: 0,
        base_ips: HashSet::default(),
        base_uas: HashSet::default(),
        base_models: HashSet::default(),
        base_regions: HashSet::default(),
        base_ops: HashSet::default(),
        base_flagged_ops: HashSet::default(),
        ip_churn,
        hour_share: [0.0; 24],
    };
    for e in evs.iter().take_while(|e| e.ts < ref_end) {
        base.base_events += 1;
        if e.ip != NONE {
            base.base_ips.insert(e.ip);
        }
        if e.ua != NONE {
            base.base_uas.insert(e.ua);
        }
        if e.model != NONE {
            base.base_models.insert(e.model);
        }
        if e.region != NONE {
            base.base_regions.insert(e.region);
        }
        if e.op != NONE {
            base.base_ops.insert(e.op);
            if e.has(flag::PERSIST | flag::LOG_TAMPER | flag::DESTROY) {
                base.base_flagged_ops.insert(e.op);
            }
        }
        if e.has(flag::USAGE) && e.has(flag::SUBDAILY) {
            hourly[(e.ts.rem_euclid(DAY) / HOUR) as usize] += base.metric(e);
        }
    }
    let tot: f64 = hourly.iter().sum();
    if tot > 0.0 {
        for (s, h) in base.hour_share.iter_mut().zip(hourly) {
            *s = h / tot;
        }
    }
    // The reference window must hold enough history and end before the key's data does:
    // a key whose whole history is its learning window has nothing to be judged against.
    let base_days = (ref_end.min(last) - first) as f64 / DAY as f64;
    // (A compromise start after the key's last row leaves its whole history as baseline.)
    base.has_baseline = base_days >= params.min_baseline_days
        && base.base_events > 0
        && (ref_end <= last || base.start.is_some());
    let min_gap = (params.min_baseline_days * DAY as f64) as i64;
    base.appears_from_nowhere = !base.has_baseline && first >= p.global_first + min_gap;
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_quantile() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&mut []), 0.0);
        assert_eq!(quantile(&mut [1.0, 2.0, 3.0, 4.0], 0.5), 2.0);
        assert_eq!(quantile(&mut [1.0, 2.0, 3.0, 4.0], 1.0), 4.0);
    }

    #[test]
    fn robust_scale_survives_a_spike_and_a_flat_series() {
        let (m, s) = robust(&[10.0, 11.0, 9.0, 10.0, 1000.0], 0.0);
        assert_eq!(m, 10.0);
        assert!(s < 2.0);
        let (m, s) = robust(&[0.0, 0.0, 0.0, 0.0, 5.0], 0.25);
        assert_eq!(m, 0.0);
        assert!(s >= 0.25 && s.is_finite());
    }
}
