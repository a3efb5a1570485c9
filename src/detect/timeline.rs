//! The attacker timeline: which rows are the attacker's, their phase (with the reason and a
//! confidence), merged across keys, files and sources into one ordered list of runs.

use super::baseline::KeyCtx;
use super::params::DetectParams;
use super::prepare::{flag, Prepared, NONE};
use super::{round, AlertKind, Draft};
use crate::evidence::event::RawRef;
use crate::evidence::intern::FxBuild;
use crate::format;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The reference's five attack phases, and impact (MITRE ATT&CK's tactic for destroying data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Listing models, checking availability and logging.
    Reconnaissance,
    /// Probing what the key can do: validation errors, tiny requests.
    CapabilityTesting,
    /// Using the models.
    Exploitation,
    /// Creating lasting access.
    Persistence,
    /// Unusually large outputs or prompts.
    Exfiltration,
    /// Deleting stored data or what holds it.
    Impact,
}

impl Phase {
    fn as_str(self) -> &'static str {
        match self {
            Phase::Reconnaissance => "reconnaissance",
            Phase::CapabilityTesting => "capability_testing",
            Phase::Exploitation => "exploitation",
            Phase::Persistence => "persistence",
            Phase::Exfiltration => "exfiltration",
            Phase::Impact => "impact",
        }
    }
}

/// A value (IP, user agent, model, region) with how many attacker rows carry it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueCount {
    /// The value.
    pub value: String,
    /// Attacker rows with it.
    pub rows: u64,
    /// First such row.
    #[serde(serialize_with = "format::ser_ts")]
    pub first: DateTime<Utc>,
    /// Last such row.
    #[serde(serialize_with = "format::ser_ts")]
    pub last: DateTime<Utc>,
}

/// A run of attacker rows with the same key and phase, without long gaps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    /// First row.
    #[serde(serialize_with = "format::ser_ts")]
    pub start: DateTime<Utc>,
    /// Last row.
    #[serde(serialize_with = "format::ser_ts")]
    pub end: DateTime<Utc>,
    /// The phase.
    pub phase: Phase,
    /// Why this phase.
    pub reason: String,
    /// Confidence 0–1 that these rows are the attacker's and in this phase.
    pub confidence: f64,
    /// The key.
    pub key: String,
    /// Providers of the rows.
    pub providers: Vec<String>,
    /// The run's main source IP (the one with most rows), when the rows carry one.
    pub source_ip: Option<String>,
    /// Source IPs of the rows, most rows first (up to 5).
    pub source_ips: Vec<String>,
    /// User agents (up to 3).
    pub user_agents: Vec<String>,
    /// Models (up to 5).
    pub models: Vec<String>,
    /// Regions (up to 5).
    pub regions: Vec<String>,
    /// Operations (up to 5).
    pub operations: Vec<String>,
    /// Rows in the run.
    pub rows: u64,
    /// Requests in the run.
    pub requests: f64,
    /// Input tokens.
    pub input_tokens: f64,
    /// Output tokens.
    pub output_tokens: f64,
    /// Cost in dollars.
    pub cost_usd: f64,
    /// Evidence rows (up to 5).
    pub evidence: Vec<RawRef>,
}

/// The whole attacker timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Timeline {
    /// First attacker row over all keys.
    #[serde(serialize_with = "format::ser_opt_ts")]
    pub first_suspicious: Option<DateTime<Utc>>,
    /// Last attacker row.
    #[serde(serialize_with = "format::ser_opt_ts")]
    pub last_suspicious: Option<DateTime<Utc>>,
    /// Rows attributed to the attacker.
    pub attacker_rows: u64,
    /// Attacker rows per phase.
    pub phases: BTreeMap<String, u64>,
    /// Runs in time order (capped at `max_timeline_entries`).
    pub entries: Vec<TimelineEntry>,
    /// Runs in all, before the cap.
    pub entries_total: u64,
    /// Attacker IPs, most rows first (up to 50).
    pub attacker_ips: Vec<ValueCount>,
    /// Attacker user agents.
    pub user_agents: Vec<ValueCount>,
    /// Models the attacker used.
    pub models: Vec<ValueCount>,
    /// Regions the attacker used.
    pub regions: Vec<ValueCount>,
}

pub(crate) struct TimelineOut {
    pub public: Timeline,
    /// Per row of `Prepared::evs`: attributed to the attacker.
    pub attacker_rows: Vec<bool>,
}

struct RowPhase {
    pos: usize,
    phase: Phase,
    conf: f64,
    reason: &'static str,
}

#[inline(never)]
pub(crate) fn build(
    p: &Prepared,
    keys: &[KeyCtx],
    drafts: &[Draft],
    params: &DetectParams,
) -> TimelineOut {
    let mut attacker = vec![false; p.evs.len()];
    let mut rows: Vec<RowPhase> = Vec::new();
    let mut by_key: HashMap<usize, Vec<&Draft>, FxBuild> = HashMap::default();
    for d in drafts {
        by_key.entry(d.key).or_default().push(d);
    }
    for k in keys {
        let mine: Vec<&Draft> = by_key.remove(&k.k).unwrap_or_default();
        if mine.is_empty() {
            continue;
        }
        let mut cited = vec![false; k.hi - k.lo];
        for d in &mine {
            if matches!(
                d.kind,
                AlertKind::VolumeSpike
                    | AlertKind::CostSpike
                    | AlertKind::BurnRate
                    | AlertKind::BurstRate
                    | AlertKind::OffHours
            ) {
                continue;
            }
            for &i in &d.evidence {
                cited[i - k.lo] = true;
            }
        }
        let start = k
            .start
            .as_ref()
            .map(|s| s.at)
            .unwrap_or_else(|| mine.iter().map(|d| d.start).min().unwrap_or(k.first));
        let a = k.pos_at(p, start);
        let volume_alert = mine.iter().any(|d| {
            matches!(
                d.kind,
                AlertKind::VolumeSpike
                    | AlertKind::CostSpike
                    | AlertKind::BurnRate
                    | AlertKind::BurstRate
                    | AlertKind::NewKeyHeavyUse
            )
        });
        let no_baseline = !k.has_baseline;
        let (thr_in, thr_out) = super::sequence::exfil_thresholds(p, k, params);
        let source_known = p.evs[a..k.hi].iter().any(|e| e.ip != NONE || e.ua != NONE);
        let mut any_source_row = false;
        let mut chosen: Vec<(usize, f64, &'static str)> = Vec::new();
        for i in k.lo..k.hi {
            let e = &p.evs[i];
            let by_cite = cited[i - k.lo];
            let after = i >= a;
            let new_source = after
                && ((e.ip != NONE && !k.base_ips.contains(&e.ip) && !k.ip_churn)
                    || (e.ua != NONE && !k.base_uas.contains(&e.ua))
                    || (e.model != NONE && !k.base_models.contains(&e.model)));
            if by_cite || new_source || (after && no_baseline) {
                any_source_row = true;
                chosen.push((
                    i,
                    0.8,
                    "attributed by a new source, model or an alert's evidence",
                ));
            }
        }
        if volume_alert && (!source_known || !any_source_row) {
            // Cannot separate by source: the rows in the abnormal volume ranges are mixed.
            let ranges: Vec<(i64, i64)> = mine
                .iter()
                .filter(|d| {
                    matches!(
                        d.kind,
                        AlertKind::VolumeSpike
                            | AlertKind::CostSpike
                            | AlertKind::BurnRate
                            | AlertKind::BurstRate
                    )
                })
                .map(|d| (d.start, d.end))
                .collect();
            for i in a.max(k.lo)..k.hi {
                let e = &p.evs[i];
                if e.has(flag::USAGE) && ranges.iter().any(|r| e.ts >= r.0 && e.ts <= r.1) {
                    chosen.push((i, 0.5, "in an abnormal volume range; the source cannot separate attacker from legitimate use"));
                }
            }
        }
        chosen.sort_by_key(|c| c.0);
        chosen.dedup_by_key(|c| c.0);
        for (i, conf, why) in chosen {
            attacker[i] = true;
            let e = &p.evs[i];
            let (phase, c, reason) = if e.has(flag::DESTROY) {
                (
                    Phase::Impact,
                    0.9,
                    "operation deletes stored data or what holds it",
                )
            } else if e.has(flag::PERSIST | flag::LOG_TAMPER) {
                (
                    Phase::Persistence,
                    0.9,
                    "operation creates lasting access or changes logging",
                )
            } else if e.has(flag::RECON) {
                (
                    Phase::Reconnaissance,
                    0.9,
                    "listing, availability or logging-configuration call",
                )
            } else if e.has(flag::PROBE_ERR) {
                (
                    Phase::CapabilityTesting,
                    0.85,
                    "validation or authorisation error: probing what the key can do",
                )
            } else if e.has(flag::ERROR) {
                (Phase::CapabilityTesting, 0.6, "failed request")
            } else if e.has(flag::POINT) && (e.tok_out >= thr_out || e.tok_in >= thr_in) {
                (Phase::Exfiltration, 0.6, "unusually large output or prompt")
            } else if e.has(flag::POINT)
                && e.tok_in + e.tok_out > 0.0
                && e.tok_in < 50.0
                && e.tok_out < 50.0
            {
                (
                    Phase::CapabilityTesting,
                    0.5,
                    "tiny request (under 50 tokens each way), typical of key checkers",
                )
            } else {
                (Phase::Exploitation, conf, why)
            };
            rows.push(RowPhase {
                pos: i,
                phase,
                // Operation-based phases keep their own confidence, lowered when the row's
                // attribution is itself uncertain (mixed volume).
                conf: if phase == Phase::Exploitation {
                    conf
                } else if conf < 0.6 {
                    c * 0.8
                } else {
                    c
                },
                reason,
            });
        }
    }

    // Runs: per key (rows are in key, time order) and phase, split on gaps.
    let gap = params.timeline_gap_min * 60;
    struct Run {
        key: u32,
        phase: Phase,
        conf: f64,
        reason: &'static str,
        rows: Vec<usize>,
    }
    let mut runs: Vec<Run> = Vec::new();
    let mut open: HashMap<(u32, Phase), usize, FxBuild> = HashMap::default();
    for r in &rows {
        let e = &p.evs[r.pos];
        let id = (e.key, r.phase);
        match open.get(&id) {
            Some(&ri) if e.ts - p.evs[*runs[ri].rows.last().unwrap_or(&r.pos)].ts <= gap => {
                runs[ri].rows.push(r.pos);
            }
            _ => {
                open.insert(id, runs.len());
                runs.push(Run {
                    key: e.key,
                    phase: r.phase,
                    conf: r.conf,
                    reason: r.reason,
                    rows: vec![r.pos],
                });
            }
        }
    }
    runs.sort_by(|a, b| {
        let (ta, tb) = (p.evs[a.rows[0]].ts, p.evs[b.rows[0]].ts);
        (ta, a.key, a.phase).cmp(&(tb, b.key, b.phase))
    });
    let entries_total = runs.len() as u64;
    let entries: Vec<TimelineEntry> = runs
        .iter()
        .take(params.max_timeline_entries)
        .map(|r| entry(p, keys, r.key, r.phase, r.conf, r.reason, &r.rows))
        .collect();

    let mut by_phase: BTreeMap<Phase, u64> = BTreeMap::new();
    for r in &rows {
        *by_phase.entry(r.phase).or_default() += 1;
    }
    let phases: BTreeMap<String, u64> = by_phase
        .into_iter()
        .map(|(ph, n)| (ph.as_str().to_string(), n))
        .collect();
    let pos: Vec<usize> = rows.iter().map(|r| r.pos).collect();
    let first = pos.iter().map(|&i| p.evs[i].ts).min();
    let last = pos.iter().map(|&i| p.evs[i].ts).max();
    let public = Timeline {
        first_suspicious: first.map(format::unix),
        last_suspicious: last.map(format::unix),
        attacker_rows: pos.len() as u64,
        phases,
        entries,
        entries_total,
        attacker_ips: counts(p, &pos, |e| e.ip, &p.ips),
        user_agents: counts(p, &pos, |e| e.ua, &p.uas),
        models: counts(p, &pos, |e| e.model, &p.models),
        regions: counts(p, &pos, |e| e.region, &p.regions),
    };
    TimelineOut {
        public,
        attacker_rows: attacker,
    }
}

fn counts(
    p: &Prepared,
    pos: &[usize],
    f: impl Fn(&super::prepare::Ev) -> u32,
    names: &super::prepare::Interner,
) -> Vec<ValueCount> {
    let mut m: HashMap<u32, (u64, i64, i64), FxBuild> = HashMap::default();
    for &i in pos {
        let e = &p.evs[i];
        let v = f(e);
        if v == NONE {
            continue;
        }
        let c = m.entry(v).or_insert((0, e.ts, e.ts));
        c.0 += 1;
        c.1 = c.1.min(e.ts);
        c.2 = c.2.max(e.ts);
    }
    let mut v: Vec<ValueCount> = m
        .into_iter()
        .map(|(k, (n, a, b))| ValueCount {
            value: names.name(k).to_string(),
            rows: n,
            first: format::unix(a),
            last: format::unix(b),
        })
        .collect();
    v.sort_by(|a, b| b.rows.cmp(&a.rows).then(a.value.cmp(&b.value)));
    v.truncate(50);
    v
}

fn top(
    p: &Prepared,
    rows: &[usize],
    f: impl Fn(&super::prepare::Ev) -> u32,
    names: &super::prepare::Interner,
    n: usize,
) -> Vec<String> {
    // Counted by id, named once each.
    let mut by_id: HashMap<u32, u64, FxBuild> = HashMap::default();
    for &i in rows {
        let v = f(&p.evs[i]);
        if v != NONE {
            *by_id.entry(v).or_default() += 1;
        }
    }
    let mut v: Vec<(&str, u64)> = by_id
        .into_iter()
        .map(|(id, n)| (names.name(id), n))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter().take(n).map(|x| x.0.to_string()).collect()
}

#[allow(clippy::too_many_arguments)]
fn entry(
    p: &Prepared,
    keys: &[KeyCtx],
    key: u32,
    phase: Phase,
    conf: f64,
    reason: &str,
    rows: &[usize],
) -> TimelineEntry {
    // Named once per provider, not once per row.
    let mut providers: Vec<&str> = Vec::new();
    let mut last = None;
    for &i in rows {
        let name = p.provider(p.evs[i].idx);
        if last != Some(name) && !providers.contains(&name) {
            providers.push(name);
        }
        last = Some(name);
    }
    providers.sort_unstable();
    let providers: Vec<String> = providers.into_iter().map(str::to_string).collect();
    let ips = top(p, rows, |e| e.ip, &p.ips, 5);
    TimelineEntry {
        start: format::unix(p.evs[rows[0]].ts),
        end: format::unix(p.evs[rows[rows.len() - 1]].ts),
        phase,
        reason: reason.to_string(),
        confidence: round(conf),
        key: keys[key as usize].name.clone(),
        providers,
        source_ip: ips.first().cloned(),
        source_ips: ips,
        user_agents: top(p, rows, |e| e.ua, &p.uas, 3),
        models: top(p, rows, |e| e.model, &p.models, 5),
        regions: top(p, rows, |e| e.region, &p.regions, 5),
        operations: top(p, rows, |e| e.op, &p.ops, 5),
        rows: rows.len() as u64,
        requests: round(rows.iter().map(|&i| p.evs[i].req).sum()),
        input_tokens: rows.iter().map(|&i| p.evs[i].tok_in).sum(),
        output_tokens: rows.iter().map(|&i| p.evs[i].tok_out).sum(),
        cost_usd: round(rows.iter().map(|&i| p.evs[i].cost).sum()),
        evidence: rows
            .iter()
            .take(5)
            .map(|&i| p.raw_ref(p.evs[i].idx))
            .collect(),
    }
}
