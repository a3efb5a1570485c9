//! Volume and cost detectors: daily robust z, hourly seasonal robust z, new keys with heavy
//! use, per-minute bursts and the spend burn rate.

mod daily;

use super::baseline::{robust, KeyCtx, DAY, HOUR};
use super::params::DetectParams;
use super::prepare::{flag, Prepared};
use super::{AlertKind, Draft, Severity};
use crate::format;
use daily::daily;

/// Runs the volume family for one key; returns the seasonality used by the hourly detector.
#[inline(never)]
pub(crate) fn run(
    p: &Prepared,
    k: &KeyCtx,
    params: &DetectParams,
    out: &mut Vec<Draft>,
) -> &'static str {
    let levels = daily(p, k, params, out, false);
    if k.has_cost {
        daily(p, k, params, out, true);
    }
    let season = hourly(p, k, params, &levels, out);
    new_key(p, k, params, out);
    burst(p, k, params, out);
    burn(p, k, params, out);
    season
}

/// Positions of the rows in `[t0, t1)` that count for usage.
fn rows_in(p: &Prepared, k: &KeyCtx, t0: i64, t1: i64, cost: bool) -> Vec<usize> {
    let a = k.pos_at(p, t0);
    let b = k.pos_at(p, t1);
    (a..b)
        .filter(|&i| {
            let e = &p.evs[i];
            if cost {
                e.has(flag::HAS_COST) && e.cost > 0.0
            } else {
                e.has(flag::USAGE)
            }
        })
        .collect()
}

/// Hourly volume against the trailing daily level times the key's seasonal profile
/// (hour-of-week with `seasonality_min_days` of baseline, else hour-of-day).
#[inline(never)]
fn hourly(
    p: &Prepared,
    k: &KeyCtx,
    params: &DetectParams,
    levels: &[Option<f64>],
    out: &mut Vec<Draft>,
) -> &'static str {
    if !k.sub_daily || !k.has_baseline {
        return "none";
    }
    let h0 = k.first.div_euclid(HOUR).max(k.day0 * 24);
    let nh = (k.last.div_euclid(HOUR) - h0 + 1) as usize;
    if nh > 24 * 800 {
        return "none";
    }
    let mut hv = vec![0.0; nh];
    for e in k.evs(p) {
        if e.has(flag::USAGE) && e.ts >= h0 * HOUR {
            hv[(e.ts.div_euclid(HOUR) - h0) as usize] += k.metric(e);
        }
    }
    let unit_scale = if k.uses_tokens { 1000.0 } else { 1.0 };
    if hv
        .iter()
        .all(|v| *v < params.volume_min_excess_hour * unit_scale)
    {
        // No hour can reach the floor.
        return "none";
    }
    // The seasonal profile comes from the history before the compromise start, or from the
    // whole history when there is none (a robust median of residuals absorbs rare spikes).
    let profile_end = k.start.as_ref().map(|s| s.at).unwrap_or(k.last + 1);
    let base_days = (profile_end - k.first) as f64 / DAY as f64;
    let weekly = base_days >= params.seasonality_min_days;
    let slots = if weekly { 168 } else { 24 };
    let slot_of = |h: i64| -> usize {
        let hod = h.rem_euclid(24) as usize;
        if weekly {
            // 1970-01-01 was a Thursday; Monday = 0.
            let dow = (h.div_euclid(24) + 3).rem_euclid(7) as usize;
            dow * 24 + hod
        } else {
            hod
        }
    };
    let mut slot_sum = vec![0.0; slots];
    let mut total = 0.0;
    let ref_h = profile_end.div_euclid(HOUR);
    for (i, v) in hv.iter().enumerate() {
        let h = h0 + i as i64;
        if h >= ref_h {
            break;
        }
        slot_sum[slot_of(h)] += v;
        total += v;
    }
    if total <= 0.0 {
        return "none";
    }
    let per_day = if weekly { 7.0 } else { 1.0 };
    let frac: Vec<f64> = slot_sum.iter().map(|s| s / total * per_day).collect();
    let expected = |i: usize| -> Option<f64> {
        let h = h0 + i as i64;
        let d = (h.div_euclid(24) - k.day0) as usize;
        levels
            .get(d)
            .copied()
            .flatten()
            .map(|l| l * frac[slot_of(h)])
    };
    let mut resid = Vec::new();
    for (i, v) in hv.iter().enumerate() {
        if h0 + i as i64 >= ref_h {
            break;
        }
        if let Some(x) = expected(i) {
            resid.push(v.ln_1p() - x.ln_1p());
        }
    }
    if resid.len() < 24 {
        return if weekly {
            "hour_of_week"
        } else {
            "hour_of_day"
        };
    }
    let (center, scale) = robust(&resid, params.min_log_scale);
    // Days the daily detector already flagged are not repeated.
    // This key's drafts are the last block of `out`.
    let flagged_days: Vec<(i64, i64)> = out
        .iter()
        .rev()
        .take_while(|d| d.key == k.k)
        .filter(|d| d.kind == AlertKind::VolumeSpike)
        .map(|d| (d.start.div_euclid(DAY), d.end.div_euclid(DAY)))
        .collect();
    let day_flagged = |day: i64| flagged_days.iter().any(|r| day >= r.0 && day <= r.1);
    let mut hits: Vec<(usize, f64, f64, f64)> = Vec::new();
    for (i, &v) in hv.iter().enumerate() {
        let Some(x) = expected(i) else { continue };
        let z = (v.ln_1p() - x.ln_1p() - center) / scale;
        if z >= params.robust_z
            && v >= params.volume_hour_min_ratio * x
            && v - x >= params.volume_min_excess_hour * unit_scale
            && !day_flagged((h0 + i as i64).div_euclid(24))
        {
            hits.push((i, v, x, z));
        }
    }
    let mut i = 0;
    while i < hits.len() {
        let mut j = i;
        while j + 1 < hits.len() && hits[j + 1].0 <= hits[j].0 + 2 {
            j += 1;
        }
        let run = &hits[i..=j];
        let peak = run
            .iter()
            .copied()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or(run[0]);
        let t0 = (h0 + run[0].0 as i64) * HOUR;
        let t1 = (h0 + run[run.len() - 1].0 as i64 + 1) * HOUR;
        let ev = rows_in(p, k, t0, t1, false);
        let ratio = peak.1 / peak.2.max(1.0);
        out.push(Draft {
            kind: AlertKind::VolumeSpike,
            severity: if ratio >= 10.0 { Severity::Critical } else { Severity::High },
            severity_reason: format!(
                "{:.1}× the expected hourly volume for this {} (≥ 10× is critical)",
                ratio,
                if weekly { "hour of the week" } else { "hour of day" }
            ),
            key: k.k,
            start: ev.first().map(|&x| p.evs[x].ts).unwrap_or(t0),
            end: ev.last().map(|&x| p.evs[x].ts).unwrap_or(t1 - 1),
            observed: peak.1,
            baseline: Some(peak.2),
            unit: if k.uses_tokens { "tokens/hour" } else { "requests/hour" },
            numbers: vec![("robust_z", peak.3), ("ratio", ratio), ("hours", run.len() as f64)],
            values: Vec::new(),
            evidence: ev,
            sentence: format!(
                "Key {} made {} {} in the hour from {} where about {} are usual at that time ({:.1}×).",
                k.name,
                format::num(peak.1),
                k.unit(),
                format::minute((h0 + peak.0 as i64) * HOUR),
                format::num(peak.2),
                ratio
            ),
        });
        i = j + 1;
    }
    if weekly {
        "hour_of_week"
    } else {
        "hour_of_day"
    }
}

/// A key with no baseline that appears with heavy use.
fn new_key(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    if k.has_baseline {
        return;
    }
    let unit_scale = if k.uses_tokens { 1000.0 } else { 1.0 };
    let max_req = k.daily_req.iter().copied().fold(0.0, f64::max);
    let max_cost = k.daily_cost.iter().copied().fold(0.0, f64::max);
    if max_req < params.new_key_min_requests_day * unit_scale
        && max_cost < params.new_key_min_cost_day
    {
        return;
    }
    let total_req: f64 = k.daily_req.iter().sum();
    let total_cost: f64 = k.daily_cost.iter().sum();
    let (severity, reason) = if k.appears_from_nowhere && max_cost >= 100.0 {
        (
            Severity::Critical,
            format!(
                "no history before {}, then ${} in a day",
                format::minute(k.first),
                format::num(max_cost)
            ),
        )
    } else if k.appears_from_nowhere {
        (
            Severity::High,
            format!(
                "no history before {} while the evidence starts {} earlier",
                format::minute(k.first),
                days_text(k.first - p.global_first)
            ),
        )
    } else {
        (Severity::Medium, "the evidence holds too little history for a baseline; heavy use cannot be compared with anything".into())
    };
    out.push(Draft {
        kind: AlertKind::NewKeyHeavyUse,
        severity,
        severity_reason: reason,
        key: k.k,
        start: k.first,
        end: k.last,
        observed: max_req,
        baseline: None,
        unit: if k.uses_tokens { "tokens/day" } else { "requests/day" },
        numbers: vec![
            ("max_daily_cost_usd", max_cost),
            ("total", total_req),
            ("total_cost_usd", total_cost),
        ],
        values: Vec::new(),
        evidence: (k.lo..k.hi).filter(|&i| p.evs[i].has(flag::USAGE)).collect(),
        sentence: format!(
            "Key {} has no usage history in the evidence before {}, then made {} {} (up to {} a day){}.",
            k.name,
            format::minute(k.first),
            format::num(total_req),
            k.unit(),
            format::num(max_req),
            if total_cost > 0.0 { format!(" costing ${}", format::num(total_cost)) } else { String::new() }
        ),
    });
}

fn days_text(secs: i64) -> String {
    format!("{:.1} days", secs as f64 / DAY as f64)
}

/// Requests per minute far above the key's busiest baseline minutes.
#[inline(never)]
fn burst(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    let evs = k.evs(p);
    // Per-minute sums over point and minute rows.
    let mut minutes: Vec<(i64, f64, usize, usize)> = Vec::new(); // (minute, req, lo, hi)
    for (i, e) in evs.iter().enumerate() {
        if !e.has(flag::USAGE) || !e.has(flag::SUBDAILY) || e.req <= 0.0 {
            continue;
        }
        let gran = p.granularity(e.idx);
        if gran == crate::evidence::event::Granularity::Hour {
            continue;
        }
        let m = e.ts.div_euclid(60);
        match minutes.last_mut() {
            Some(last) if last.0 == m => {
                last.1 += e.req;
                last.3 = k.lo + i + 1;
            }
            _ => minutes.push((m, e.req, k.lo + i, k.lo + i + 1)),
        }
    }
    if minutes.is_empty() {
        return;
    }
    let ref_m = k.ref_end.div_euclid(60);
    // The busiest baseline minute: a key that bursts now and then (a nightly job, a rate
    // limit hit at noon) keeps its own bursts below the threshold.
    let busiest = if k.has_baseline {
        minutes
            .iter()
            .filter(|m| m.0 < ref_m)
            .map(|m| m.1)
            .fold(0.0, f64::max)
    } else {
        0.0
    };
    let thr = params
        .burst_min_per_minute
        .max(params.burst_ratio * busiest);
    let hits: Vec<&(i64, f64, usize, usize)> = minutes
        .iter()
        .filter(|m| (m.0 >= ref_m || !k.has_baseline) && m.1 >= thr)
        .collect();
    let mut i = 0;
    while i < hits.len() {
        let mut j = i;
        while j + 1 < hits.len() && hits[j + 1].0 - hits[j].0 <= 10 {
            j += 1;
        }
        let run = &hits[i..=j];
        let peak = run.iter().map(|m| m.1).fold(0.0, f64::max);
        let total: f64 = run.iter().map(|m| m.1).sum();
        let evidence: Vec<usize> = run.iter().flat_map(|m| m.2..m.3).collect();
        let ratio = if busiest > 0.0 { peak / busiest } else { 0.0 };
        out.push(Draft {
            kind: AlertKind::BurstRate,
            severity: if peak >= 10.0 * thr { Severity::Critical } else { Severity::High },
            severity_reason: format!(
                "{} requests in one minute against a threshold of {} (≥ 10× the threshold is critical)",
                format::num(peak),
                format::num(thr)
            ),
            key: k.k,
            start: run[0].0 * 60,
            end: run[run.len() - 1].0 * 60 + 59,
            observed: peak,
            baseline: if busiest > 0.0 { Some(busiest) } else { None },
            unit: "requests/minute",
            numbers: vec![
                ("threshold", thr),
                ("ratio", ratio),
                ("minutes", run.len() as f64),
                ("requests", total),
            ],
            values: Vec::new(),
            evidence,
            sentence: format!(
                "Key {} reached {} requests per minute at {}{}.",
                k.name,
                format::num(peak),
                format::minute(run[0].0 * 60),
                if busiest > 0.0 {
                    format!(", against at most {} in its busiest baseline minutes", format::num(busiest))
                } else {
                    String::new()
                }
            ),
        });
        i = j + 1;
    }
}

/// Spend over the last `burn_window_hours` of the evidence, projected over the next 24 hours.
pub(crate) fn burn_numbers(
    p: &Prepared,
    k: &KeyCtx,
    params: &DetectParams,
) -> (f64, f64, i64, i64) {
    // Daily buckets are stamped with their start: their window is the last whole bucket.
    let hours = if k.sub_daily {
        params.burn_window_hours.max(1e-9)
    } else {
        24.0
    };
    let w = (hours * HOUR as f64) as i64;
    let now = p.global_last;
    let from = now - w;
    let a = k.pos_at(p, from + 1);
    let spent: f64 = p.evs[a..k.hi]
        .iter()
        .filter(|e| e.has(flag::HAS_COST))
        .map(|e| e.cost)
        .sum();
    let per_hour = spent / hours;
    (per_hour, per_hour * 24.0, from, now)
}

#[inline(never)]
fn burn(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    if !k.has_cost {
        return;
    }
    let (per_hour, projected, from, now) = burn_numbers(p, k, params);
    let mut base: Vec<f64> = (0..k.daily_cost.len())
        .filter(|&d| (k.day0 + d as i64 + 1) * DAY <= k.ref_end)
        .map(|d| k.daily_cost[d])
        .collect();
    let usual = super::baseline::median(&mut base);
    if projected < params.burn_min_projected_usd || projected < params.burn_ratio * usual {
        return;
    }
    let a = k.pos_at(p, from + 1);
    let evidence: Vec<usize> = (a..k.hi)
        .filter(|&i| p.evs[i].has(flag::HAS_COST))
        .collect();
    let estimated = evidence.iter().any(|&i| p.evs[i].has(flag::COST_EST));
    out.push(Draft {
        kind: AlertKind::BurnRate,
        severity: if projected >= 1000.0 { Severity::Critical } else { Severity::High },
        severity_reason: format!(
            "${}/hour now, ${} over the next 24 hours at this rate (≥ $1,000 is critical)",
            format::num(per_hour),
            format::num(projected)
        ),
        key: k.k,
        start: from,
        end: now,
        observed: projected,
        baseline: Some(usual),
        unit: "usd/24h",
        numbers: vec![
            ("usd_per_hour", per_hour),
            ("window_hours", (now - from) as f64 / HOUR as f64),
            ("ratio", if usual > 0.0 { projected / usual } else { 0.0 }),
        ],
        values: Vec::new(),
        evidence,
        sentence: format!(
            "Key {} is spending ${} an hour at the end of the evidence ({}); at this rate the next 24 hours cost ${} against a usual ${} a day.{}",
            k.name,
            format::num(per_hour),
            format::minute(now),
            format::num(projected),
            format::num(usual),
            if estimated { " Costs are partly estimated from list prices." } else { "" }
        ),
    });
}
