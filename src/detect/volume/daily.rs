//! The daily volume and cost detector: the statistics (a robust z of each day against the
//! trailing baseline, runs of abnormal days) apart from the words (severity reasons and the
//! sentence to paste).

use super::rows_in;
use crate::detect::baseline::{robust, KeyCtx, DAY};
use crate::detect::params::DetectParams;
use crate::detect::prepare::{flag, Prepared};
use crate::detect::{AlertKind, Draft, Severity};
use crate::format;

/// One abnormal day of a key's daily series.
#[derive(Debug, Clone, Copy)]
struct AbnormalDay {
    /// The day's index in the series.
    day: usize,
    /// Its value (requests, tokens or USD).
    observed: f64,
    /// The trailing baseline's median day.
    baseline: f64,
    /// Its robust z on log1p values.
    z: f64,
}

/// A run of consecutive abnormal days, as numbers.
#[derive(Debug, Clone, Copy)]
struct Spike {
    /// The run's highest day.
    peak: AbnormalDay,
    /// Days in the run.
    days: usize,
    /// The run's total.
    total: f64,
    /// The peak over its baseline.
    ratio: f64,
    /// The run's time range, `[t0, t1)`, whole days.
    t0: i64,
    t1: i64,
}

/// Daily robust z on log1p volume (or cost) against the trailing baseline: an alert per run
/// of abnormal days. Returns the trailing baseline level (median, in the series' units) per
/// day, where there is one.
#[inline(never)]
pub(super) fn daily(
    p: &Prepared,
    k: &KeyCtx,
    params: &DetectParams,
    out: &mut Vec<Draft>,
    is_cost: bool,
) -> Vec<Option<f64>> {
    let (levels, abnormal) = daily_scores(k, params, is_cost);
    for spike in spikes(k, &abnormal, is_cost) {
        let ev = rows_in(p, k, spike.t0, spike.t1, is_cost);
        let estimated = is_cost && ev.iter().any(|&x| p.evs[x].has(flag::COST_EST));
        let (kind, unit) = spike_kind(k, is_cost);
        let (severity, reason) = spike_severity(&spike, is_cost);
        out.push(Draft {
            kind,
            severity,
            severity_reason: reason,
            key: k.k,
            start: ev.first().map(|&x| p.evs[x].ts).unwrap_or(spike.t0),
            end: ev.last().map(|&x| p.evs[x].ts).unwrap_or(spike.t1 - 1),
            observed: spike.peak.observed,
            baseline: Some(spike.peak.baseline),
            unit,
            numbers: vec![
                ("robust_z", spike.peak.z),
                ("ratio", spike.ratio),
                ("days", spike.days as f64),
                ("total_observed", spike.total),
            ],
            values: Vec::new(),
            evidence: ev,
            sentence: spike_sentence(k, &spike, is_cost, estimated),
        });
    }
    levels
}

/// The statistics: each day's trailing baseline level (where there is one) and the days whose
/// robust z, ratio and excess over the baseline all pass the thresholds.
fn daily_scores(
    k: &KeyCtx,
    params: &DetectParams,
    is_cost: bool,
) -> (Vec<Option<f64>>, Vec<AbnormalDay>) {
    let series = if is_cost { &k.daily_cost } else { &k.daily_req };
    let n = series.len();
    let logs: Vec<f64> = series.iter().map(|v| v.ln_1p()).collect();
    let min_days = params.min_baseline_days.ceil().max(1.0) as usize;
    let mut levels = vec![None; n];
    let mut flagged: Vec<AbnormalDay> = Vec::new();
    let unit_scale = if k.uses_tokens && !is_cost {
        1000.0
    } else {
        1.0
    };
    let (min_ratio, min_excess) = if is_cost {
        (params.cost_min_ratio, params.cost_floor_usd_day)
    } else {
        (
            params.volume_min_ratio,
            params.volume_min_excess_day * unit_scale,
        )
    };
    let mut window: Vec<f64> = Vec::with_capacity(params.trailing_days as usize);
    let mut raw: Vec<f64> = Vec::with_capacity(params.trailing_days as usize);
    // A day below this cannot raise a daily alert, nor hold an hour that raises one: its
    // baseline level is not needed (this keeps sparse keys cheap).
    let needed = if is_cost {
        min_excess
    } else {
        min_excess.min(params.volume_min_excess_hour * unit_scale)
    };
    for d in 0..n {
        if series[d] < needed {
            continue;
        }
        window.clear();
        let from = d.saturating_sub(params.trailing_days as usize);
        window.extend(
            (from..d)
                .filter(|&j| k.day_before_start(j))
                .map(|j| logs[j]),
        );
        if window.len() < min_days {
            continue;
        }
        let (med, scale) = robust(&window, params.min_log_scale);
        // The level reported and compared is the median day itself (exact on every platform;
        // the log scale only decides the z-score).
        raw.clear();
        raw.extend(
            (from..d)
                .filter(|&j| k.day_before_start(j))
                .map(|j| series[j]),
        );
        let base = crate::detect::baseline::median(&mut raw);
        levels[d] = Some(base);
        let obs = series[d];
        let z = (logs[d] - med) / scale;
        if z >= params.robust_z && obs >= min_ratio * base.max(0.0) && obs - base >= min_excess {
            flagged.push(AbnormalDay {
                day: d,
                observed: obs,
                baseline: base,
                z,
            });
        }
    }
    (levels, flagged)
}

/// The abnormal days merged into runs of consecutive days, each with its peak, total, ratio
/// and time range.
fn spikes(k: &KeyCtx, flagged: &[AbnormalDay], is_cost: bool) -> Vec<Spike> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < flagged.len() {
        let mut j = i;
        while j + 1 < flagged.len() && flagged[j + 1].day == flagged[j].day + 1 {
            j += 1;
        }
        let run = &flagged[i..=j];
        let peak = run
            .iter()
            .copied()
            .max_by(|a, b| a.observed.total_cmp(&b.observed))
            .unwrap_or(run[0]);
        out.push(Spike {
            peak,
            days: run.len(),
            total: run.iter().map(|r| r.observed).sum(),
            ratio: peak.observed / peak.baseline.max(if is_cost { 0.01 } else { 1.0 }),
            t0: (k.day0 + run[0].day as i64) * DAY,
            t1: (k.day0 + run[run.len() - 1].day as i64 + 1) * DAY,
        });
        i = j + 1;
    }
    out
}

/// The alert kind and unit of a daily spike.
fn spike_kind(k: &KeyCtx, is_cost: bool) -> (AlertKind, &'static str) {
    if is_cost {
        (AlertKind::CostSpike, "usd/day")
    } else if k.uses_tokens {
        (AlertKind::VolumeSpike, "tokens/day")
    } else {
        (AlertKind::VolumeSpike, "requests/day")
    }
}

/// A daily spike's severity and why, in words.
fn spike_severity(spike: &Spike, is_cost: bool) -> (Severity, String) {
    let (peak, ratio) = (spike.peak.observed, spike.ratio);
    if is_cost {
        if peak >= 100.0 || ratio >= 10.0 {
            (
                Severity::Critical,
                format!(
                    "${} in a day, {:.1}× the baseline (≥ $100 or ≥ 10× is critical)",
                    format::num(peak),
                    ratio
                ),
            )
        } else {
            (
                Severity::High,
                format!(
                    "${} in a day, {:.1}× the baseline",
                    format::num(peak),
                    ratio
                ),
            )
        }
    } else if ratio >= 10.0 {
        (
            Severity::Critical,
            format!("{:.1}× the baseline median (≥ 10× is critical)", ratio),
        )
    } else {
        (
            Severity::High,
            format!(
                "{:.1}× the baseline median, robust z {:.1}",
                ratio, spike.peak.z
            ),
        )
    }
}

/// A daily spike in one sentence to paste.
fn spike_sentence(k: &KeyCtx, spike: &Spike, is_cost: bool, estimated: bool) -> String {
    let (peak, days) = (&spike.peak, spike.days);
    let sentence = if is_cost {
        format!(
            "Key {} spent ${} on {} against a usual ${} a day ({:.1}×){}.",
            k.name,
            format::num(peak.observed),
            format::minute(spike.t0).get(..10).unwrap_or(""),
            format::num(peak.baseline),
            spike.ratio,
            if days > 1 {
                format!(
                    ", over {days} consecutive days ${} in all",
                    format::num(spike.total)
                )
            } else {
                String::new()
            }
        )
    } else {
        format!(
            "Key {} made {} {} on {} against a usual {} a day ({:.1}×){}.",
            k.name,
            format::num(peak.observed),
            k.unit(),
            format::minute((k.day0 + peak.day as i64) * DAY)
                .get(..10)
                .unwrap_or(""),
            format::num(peak.baseline),
            spike.ratio,
            if days > 1 {
                format!("; {days} consecutive days are abnormal")
            } else {
                String::new()
            }
        )
    };
    if estimated {
        format!("{sentence} Costs are partly estimated from list prices.")
    } else {
        sentence
    }
}
