//! First-seen detectors (models, source IPs, user agents), region fan-out and off-hours use.

use super::baseline::{KeyCtx, DAY, HOUR};
use super::params::DetectParams;
use super::prepare::{flag, Ev, Interner, Prepared, NONE};
use super::{AlertKind, Draft, Severity};
use crate::evidence::intern::FxBuild;
use crate::format;
use std::collections::{HashMap, HashSet};

#[inline(never)]
pub(crate) fn run(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    let enough = k.has_baseline && k.base_events >= params.first_seen_min_baseline_events;
    if enough {
        new_models(p, k, out);
        if !k.ip_churn && !k.base_ips.is_empty() {
            new_ips(p, k, params, out);
        }
        if !k.base_uas.is_empty() {
            new_uas(p, k, out);
        }
        new_operations(p, k, out);
        off_hours(p, k, params, out);
    } else {
        // Without a baseline only the known-attacker user agents can be judged.
        attacker_uas_without_baseline(p, k, out);
    }
    region_fanout(p, k, params, out);
    aws_without_user_agent(p, k, out);
}

/// Model operations (streaming, converse, batch-less invocation kinds) the key never used.
/// Reconnaissance, persistence and logging operations have their own detectors.
fn new_operations(p: &Prepared, k: &KeyCtx, out: &mut Vec<Draft>) {
    let covered = flag::RECON | flag::PERSIST | flag::LOG_TAMPER | flag::DESTROY;
    let g: Vec<(u32, Vec<usize>)> = new_values(p, k, |e| e.op, &k.base_ops)
        .into_iter()
        .filter(|(_, rows)| {
            let e = &p.evs[rows[0]];
            e.has(flag::INVOKE) && !e.has(covered)
        })
        .collect();
    if g.is_empty() {
        return;
    }
    let (t0, t1, ev) = span(p, &g);
    let names = list(&p.ops, &g);
    let streaming = names.iter().any(|n| {
        let l = n.to_ascii_lowercase();
        l.contains("stream")
    });
    out.push(Draft {
        kind: AlertKind::NewOperation,
        severity: Severity::Medium,
        severity_reason: if streaming {
            "streaming invocations never used by the key (attackers prefer streaming)".into()
        } else {
            "invocation operations never used by the key".into()
        },
        key: k.k,
        start: t0,
        end: t1,
        observed: g.len() as f64,
        baseline: Some(k.base_ops.len() as f64),
        unit: "operations",
        numbers: vec![("rows", ev.len() as f64)],
        values: names.clone(),
        evidence: ev,
        sentence: format!(
            "Key {} started using operation(s) it never used before from {}: {}.",
            k.name,
            format::minute(t0),
            names.join(", ")
        ),
    });
}

/// A long-term AWS key (`AKIA…`) invoking models with no user agent, when its baseline always
/// sent one (Permiso: "rarely occurs legitimately").
fn aws_without_user_agent(p: &Prepared, k: &KeyCtx, out: &mut Vec<Draft>) {
    if !p.keys[k.k].aws_long_term {
        return;
    }
    let split = if k.has_baseline {
        k.pos_at(p, k.ref_end)
    } else {
        k.lo
    };
    let base_inv: Vec<&Ev> = p.evs[k.lo..split]
        .iter()
        .filter(|e| e.has(flag::INVOKE))
        .collect();
    if k.has_baseline && base_inv.iter().any(|e| e.ua == NONE) {
        return;
    }
    let rows: Vec<usize> = (split..k.hi)
        .filter(|&i| p.evs[i].has(flag::INVOKE) && p.evs[i].ua == NONE)
        .collect();
    if rows.is_empty() {
        return;
    }
    let (t0, t1) = (p.evs[rows[0]].ts, p.evs[rows[rows.len() - 1]].ts);
    out.push(Draft {
        kind: AlertKind::NewUserAgent,
        severity: Severity::High,
        severity_reason: "a long-term AWS access key invoking models with no user agent".into(),
        key: k.k,
        start: t0,
        end: t1,
        observed: rows.len() as f64,
        baseline: Some(0.0),
        unit: "rows without a user agent",
        numbers: vec![("rows", rows.len() as f64)],
        values: vec!["(no user agent)".into()],
        evidence: rows.clone(),
        sentence: format!(
            "Key {} (a long-term AWS access key) invoked models {} time(s) with no user agent from {}, which legitimate SDK clients rarely do.",
            k.name,
            rows.len(),
            format::minute(t0)
        ),
    });
}

/// Groups the rows after the reference window whose field is not in the baseline set.
/// Returns (value, positions) most frequent first.
fn new_values(
    p: &Prepared,
    k: &KeyCtx,
    field: impl Fn(&Ev) -> u32,
    base: &HashSet<u32, FxBuild>,
) -> Vec<(u32, Vec<usize>)> {
    new_values_from(p, k, k.pos_at(p, k.ref_end), field, base)
}

fn new_values_from(
    p: &Prepared,
    k: &KeyCtx,
    a: usize,
    field: impl Fn(&Ev) -> u32,
    base: &HashSet<u32, FxBuild>,
) -> Vec<(u32, Vec<usize>)> {
    let mut m: HashMap<u32, Vec<usize>, FxBuild> = HashMap::default();
    for i in a..k.hi {
        let v = field(&p.evs[i]);
        if v != NONE && !base.contains(&v) {
            m.entry(v).or_default().push(i);
        }
    }
    let mut v: Vec<(u32, Vec<usize>)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1[0].cmp(&b.1[0])));
    v
}

fn span(p: &Prepared, groups: &[(u32, Vec<usize>)]) -> (i64, i64, Vec<usize>) {
    let mut all: Vec<usize> = groups.iter().flat_map(|g| g.1.iter().copied()).collect();
    all.sort_unstable();
    let t0 = all.first().map(|&i| p.evs[i].ts).unwrap_or(0);
    let t1 = all.last().map(|&i| p.evs[i].ts).unwrap_or(0);
    (t0, t1, all)
}

fn list(i: &Interner, groups: &[(u32, Vec<usize>)]) -> Vec<String> {
    groups
        .iter()
        .take(20)
        .map(|g| i.name(g.0).to_string())
        .collect()
}

fn later_rows(p: &Prepared, k: &KeyCtx) -> usize {
    k.hi - k.pos_at(p, k.ref_end)
}

fn baseline_text(k: &KeyCtx) -> String {
    format!(
        "{} to {}",
        format::minute(k.first),
        format::minute(k.ref_end)
    )
}

fn new_models(p: &Prepared, k: &KeyCtx, out: &mut Vec<Draft>) {
    let g = new_values(p, k, |e| e.model, &k.base_models);
    if g.is_empty() {
        return;
    }
    let (t0, t1, ev) = span(p, &g);
    let n = ev.len() as f64;
    let share = n / later_rows(p, k).max(1) as f64;
    let names = list(&p.models, &g);
    out.push(Draft {
        kind: AlertKind::NewModel,
        severity: Severity::High,
        severity_reason: format!(
            "{} model(s) never used in the key's baseline ({})",
            g.len(),
            baseline_text(k)
        ),
        key: k.k,
        start: t0,
        end: t1,
        observed: g.len() as f64,
        baseline: Some(k.base_models.len() as f64),
        unit: "models",
        numbers: vec![("rows", n), ("share_of_later_rows", share)],
        values: names.clone(),
        evidence: ev,
        sentence: format!(
            "Key {} used model(s) it never used before: {} ({} rows from {}).",
            k.name,
            names.join(", "),
            format::num(n),
            format::minute(t0)
        ),
    });
}

fn new_ips(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    let g = new_values(p, k, |e| e.ip, &k.base_ips);
    if g.is_empty() {
        return;
    }
    let (t0, t1, ev) = span(p, &g);
    let n = ev.len() as f64;
    let share = n / later_rows(p, k).max(1) as f64;
    let attacker_ua = ev.iter().any(|&i| {
        let u = p.evs[i].ua;
        u != NONE && p.ua_attacker[u as usize]
    });
    let (severity, reason) = if attacker_ua {
        (
            Severity::High,
            "the new addresses use a known attacker client".to_string(),
        )
    } else if looks_like_migration(p, k, |e| e.ip, &k.base_ips, &ev, out) {
        (
            Severity::Low,
            "looks like a migration: the baseline addresses stopped, volume, client and models \
             are unchanged; confirm the new addresses are yours"
                .to_string(),
        )
    } else if share >= params.new_ip_high_share {
        (
            Severity::High,
            format!(
                "the new addresses carry {:.0}% of the key's rows since {}",
                share * 100.0,
                format::minute(k.ref_end)
            ),
        )
    } else {
        (
            Severity::Medium,
            format!(
                "the new addresses carry only {:.1}% of the key's later rows",
                share * 100.0
            ),
        )
    };
    let names = list(&p.ips, &g);
    out.push(Draft {
        kind: AlertKind::NewSourceIp,
        severity,
        severity_reason: reason,
        key: k.k,
        start: t0,
        end: t1,
        observed: g.len() as f64,
        baseline: Some(k.base_ips.len() as f64),
        unit: "ip addresses",
        numbers: vec![("rows", n), ("share_of_later_rows", share)],
        values: names.clone(),
        evidence: ev,
        sentence: format!(
            "Key {} was used from {} IP address(es) never seen in its baseline, first at {}: {}{}.",
            k.name,
            g.len(),
            format::minute(t0),
            names.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
            if g.len() > 5 { ", …" } else { "" }
        ),
    });
}

fn new_uas(p: &Prepared, k: &KeyCtx, out: &mut Vec<Draft>) {
    let g = new_values(p, k, |e| e.ua, &k.base_uas);
    if g.is_empty() {
        return;
    }
    push_ua_alert(p, k, g, out, true);
}

/// A legitimate migration replaces the baseline's values (addresses or clients) entirely from
/// a day after the change on, with no volume or cost alert, no new model and no known
/// attacker client among the new rows. An attacker adds to the legitimate use instead.
fn looks_like_migration(
    p: &Prepared,
    k: &KeyCtx,
    field: impl Fn(&Ev) -> u32,
    base: &HashSet<u32, FxBuild>,
    new_rows: &[usize],
    out: &[Draft],
) -> bool {
    let Some(&first_new) = new_rows.first() else {
        return false;
    };
    let settle = p.evs[first_new].ts + DAY;
    if settle > k.last {
        return false;
    }
    let old_continues = (k.pos_at(p, settle)..k.hi).any(|i| base.contains(&field(&p.evs[i])));
    // This key's drafts are the last block of `out`.
    let volume_alert = out
        .iter()
        .rev()
        .take_while(|d| d.key == k.k)
        .any(|d| matches!(d.kind, AlertKind::VolumeSpike | AlertKind::CostSpike));
    let suspicious = new_rows.iter().any(|&i| {
        let e = &p.evs[i];
        (e.model != NONE && !k.base_models.contains(&e.model))
            || (e.ua != NONE && p.ua_attacker[e.ua as usize])
    });
    !old_continues && !volume_alert && !suspicious
}

fn attacker_uas_without_baseline(p: &Prepared, k: &KeyCtx, out: &mut Vec<Draft>) {
    let empty = HashSet::default();
    let g: Vec<(u32, Vec<usize>)> = new_values_from(p, k, k.lo, |e| e.ua, &empty)
        .into_iter()
        .filter(|(u, _)| p.ua_attacker[*u as usize])
        .collect();
    if g.is_empty() {
        return;
    }
    push_ua_alert(p, k, g, out, false);
}

fn push_ua_alert(
    p: &Prepared,
    k: &KeyCtx,
    g: Vec<(u32, Vec<usize>)>,
    out: &mut Vec<Draft>,
    with_baseline: bool,
) {
    let (t0, t1, ev) = span(p, &g);
    let bad: Vec<&str> = g
        .iter()
        .filter(|(u, _)| {
            p.ua_attacker[*u as usize] || (p.keys[k.k].aws_long_term && p.ua_browser[*u as usize])
        })
        .map(|(u, _)| p.uas.name(*u))
        .collect();
    let migration = with_baseline && looks_like_migration(p, k, |e| e.ua, &k.base_uas, &ev, out);
    let (severity, reason) = if !bad.is_empty() {
        (
            Severity::High,
            format!(
                "matches a known attacker client or a browser on a long-term AWS key: {}",
                bad.join(", ")
            ),
        )
    } else if migration {
        (
            Severity::Low,
            "looks like a client upgrade: the baseline clients stopped, volume and models are \
             unchanged"
                .to_string(),
        )
    } else {
        (
            Severity::Medium,
            "user agent never seen on this key".to_string(),
        )
    };
    let names = list(&p.uas, &g);
    out.push(Draft {
        kind: AlertKind::NewUserAgent,
        severity,
        severity_reason: reason,
        key: k.k,
        start: t0,
        end: t1,
        observed: g.len() as f64,
        baseline: if with_baseline {
            Some(k.base_uas.len() as f64)
        } else {
            None
        },
        unit: "user agents",
        numbers: vec![("rows", ev.len() as f64)],
        values: names.clone(),
        evidence: ev,
        sentence: format!(
            "Key {} was used with {} client(s) {} from {}: {}.",
            k.name,
            g.len(),
            if with_baseline {
                "never seen on it before"
            } else {
                "known from attacker tooling"
            },
            format::minute(t0),
            names.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
        ),
    });
}

fn region_fanout(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    let w = params.region_window_min * 60;
    let evs = k.evs(p);
    if !evs.iter().any(|e| e.region != NONE) {
        return;
    }
    let from = if k.has_baseline {
        k.pos_at(p, k.ref_end) - k.lo
    } else {
        0
    };
    let rows: Vec<usize> = (from..evs.len())
        .filter(|&i| evs[i].region != NONE)
        .collect();
    let mut counts: HashMap<u32, u32, FxBuild> = HashMap::default();
    let mut lo = 0;
    let mut flagged: Vec<(i64, i64)> = Vec::new();
    for hi in 0..rows.len() {
        let e = &evs[rows[hi]];
        *counts.entry(e.region).or_default() += 1;
        while e.ts - evs[rows[lo]].ts > w {
            let r = evs[rows[lo]].region;
            if let Some(c) = counts.get_mut(&r) {
                *c -= 1;
                if *c == 0 {
                    counts.remove(&r);
                }
            }
            lo += 1;
        }
        if counts.len() as u32 >= params.region_fanout_min
            && counts
                .keys()
                .filter(|r| !k.base_regions.contains(r))
                .count() as u32
                >= params.region_fanout_min_new.min(params.region_fanout_min)
        {
            let t0 = evs[rows[lo]].ts;
            match flagged.last_mut() {
                Some(l) if t0 <= l.1 + w => l.1 = e.ts,
                _ => flagged.push((t0, e.ts)),
            }
        }
    }
    for (t0, t1) in flagged {
        let ev: Vec<usize> = rows
            .iter()
            .map(|&i| i + k.lo)
            .filter(|&i| p.evs[i].ts >= t0 && p.evs[i].ts <= t1)
            .collect();
        let mut regions: Vec<&str> = ev
            .iter()
            .map(|&i| p.regions.name(p.evs[i].region))
            .collect();
        regions.sort();
        regions.dedup();
        let new: Vec<&str> = regions
            .iter()
            .copied()
            .filter(|r| !k.base_regions.iter().any(|b| p.regions.name(*b) == *r))
            .collect();
        out.push(Draft {
            kind: AlertKind::RegionFanout,
            severity: Severity::High,
            severity_reason: format!(
                "{} regions within {} minutes, {} of them never used by the key",
                regions.len(),
                params.region_window_min,
                new.len()
            ),
            key: k.k,
            start: t0,
            end: t1,
            observed: regions.len() as f64,
            baseline: Some(k.base_regions.len() as f64),
            unit: "regions",
            numbers: vec![("new_regions", new.len() as f64), ("rows", ev.len() as f64)],
            values: regions.iter().map(|s| s.to_string()).collect(),
            evidence: ev,
            sentence: format!(
                "Key {} was used in {} regions within {} minutes from {} ({}), a pattern of automated probing across regions.",
                k.name,
                regions.len(),
                params.region_window_min,
                format::minute(t0),
                regions.join(", ")
            ),
        });
    }
}

fn off_hours(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    if !k.sub_daily {
        return;
    }
    let active: Vec<bool> = k
        .hour_share
        .iter()
        .map(|s| *s >= params.active_hour_min_share)
        .collect();
    let base_off: f64 = k
        .hour_share
        .iter()
        .zip(&active)
        .filter(|(_, a)| !**a)
        .map(|(s, _)| s)
        .sum();
    if base_off >= params.off_hours_baseline_max_share || active.iter().all(|a| *a) {
        return;
    }
    let a = k.pos_at(p, k.ref_end);
    // Per day: (off, total, first pos, last pos)
    let mut days: Vec<(i64, f64, f64, Vec<usize>)> = Vec::new();
    for i in a..k.hi {
        let e = &p.evs[i];
        if !e.has(flag::USAGE) || !e.has(flag::SUBDAILY) {
            continue;
        }
        let d = e.ts.div_euclid(DAY);
        let h = (e.ts.rem_euclid(DAY) / HOUR) as usize;
        let m = k.metric(e);
        if days.last().is_none_or(|x| x.0 != d) {
            days.push((d, 0.0, 0.0, Vec::new()));
        }
        let last = days.last_mut().expect("pushed above");
        last.2 += m;
        if !active[h] {
            last.1 += m;
            last.3.push(i);
        }
    }
    let unit_scale = if k.uses_tokens { 1000.0 } else { 1.0 };
    let hits: Vec<&(i64, f64, f64, Vec<usize>)> = days
        .iter()
        .filter(|d| {
            d.2 > 0.0
                && d.1 / d.2 > params.off_hours_share
                && d.1 >= params.off_hours_min_requests * unit_scale
        })
        .collect();
    let mut i = 0;
    while i < hits.len() {
        let mut j = i;
        while j + 1 < hits.len() && hits[j + 1].0 == hits[j].0 + 1 {
            j += 1;
        }
        let run = &hits[i..=j];
        let off: f64 = run.iter().map(|d| d.1).sum();
        let tot: f64 = run.iter().map(|d| d.2).sum();
        let ev: Vec<usize> = run.iter().flat_map(|d| d.3.iter().copied()).collect();
        let t0 = ev.first().map(|&x| p.evs[x].ts).unwrap_or(run[0].0 * DAY);
        let t1 = ev.last().map(|&x| p.evs[x].ts).unwrap_or(run[0].0 * DAY);
        let hours: Vec<String> = (0..24)
            .filter(|h| active[*h])
            .map(|h| h.to_string())
            .collect();
        out.push(Draft {
            kind: AlertKind::OffHours,
            severity: Severity::Medium,
            severity_reason: format!(
                "{:.0}% of use outside the key's active hours, against {:.1}% in its baseline",
                off / tot * 100.0,
                base_off * 100.0
            ),
            key: k.k,
            start: t0,
            end: t1,
            observed: off / tot,
            baseline: Some(base_off),
            unit: "share",
            numbers: vec![("off_hours", off), ("total", tot), ("days", run.len() as f64)],
            values: vec![format!("active hours (UTC): {}", hours.join(","))],
            evidence: ev,
            sentence: format!(
                "Key {} made {:.0}% of its {} ({} of {}) outside its usual hours between {} and {}.",
                k.name,
                off / tot * 100.0,
                k.unit(),
                format::num(off),
                format::num(tot),
                format::minute(t0),
                format::minute(t1)
            ),
        });
        i = j + 1;
    }
}
