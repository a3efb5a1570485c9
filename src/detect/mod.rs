//! Detect: per-key baselines, anomaly detectors, the attacker's timeline and the cost impact.
//!
//! [`detect`] is pure: it reads the normalised [`UsageEvent`]s and the named thresholds in
//! [`DetectParams`], never a clock, and gives the same [`Detection`] for the same input.
//! Semantics of every detector (and of the reference analyzer they improve on) are in
//! `docs/detect.md`.

use crate::evidence::intern::FxBuild;
use crate::format;
pub mod baseline;
mod catalog;
mod chain;
pub mod changepoint;
mod chart;
mod cost;
mod firstseen;
pub mod params;
mod prepare;
pub mod prices;
#[cfg(any(test, feature = "testkit"))]
pub mod reference;
mod sequence;
#[cfg(any(test, feature = "testkit"))]
pub mod synth;
mod timeline;
mod undated;
mod volume;

pub use chart::{ChartMark, ChartPoint, KeyChart};
pub use cost::{CostImpact, CostTotals, KeyCost};
pub use params::DetectParams;
pub(crate) use prepare::is_quota_error;
pub use timeline::{Phase, Timeline, TimelineEntry, ValueCount};
pub use undated::UndatedEvent;

use crate::evidence::event::{RawRef, UsageEvent};
use chrono::{DateTime, Utc};
use prepare::Prepared;
use serde::Serialize;
use std::collections::BTreeMap;

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Request (or token) volume far above the key's robust baseline.
    VolumeSpike,
    /// Cost far above the baseline and above a dollar floor.
    CostSpike,
    /// A model the key never used in its baseline.
    NewModel,
    /// Source IPs the key never used in its baseline.
    NewSourceIp,
    /// A large share of a day's use outside the key's active hours.
    OffHours,
    /// A key with no history that appears with heavy use.
    NewKeyHeavyUse,
    /// User agents never seen on the key, or known attacker clients.
    NewUserAgent,
    /// Invocation operations (streaming, converse) the key never used.
    NewOperation,
    /// Bursts of validation probes (ValidationException, 401/403/429, AccessDenied).
    ValidationProbe,
    /// Reconnaissance calls (model availability, logging configuration, list→invoke).
    Recon,
    /// One key used across many regions within minutes.
    RegionFanout,
    /// Operations that create lasting access (fine-tunes, files, IAM users, new keys).
    Persistence,
    /// A credential made by another key's lasting-access calls (an access key, a federation
    /// token, a console login), used.
    CreatedAccessUsed,
    /// Logging, a log sink or a safety guardrail deleted or changed.
    LoggingTampering,
    /// Stored data or what holds it deleted (buckets, databases, snapshots, backups).
    Destruction,
    /// Unusually large outputs or prompts.
    Exfiltration,
    /// Requests per minute far above the key's busiest minutes.
    BurstRate,
    /// Current spend rate projecting a large cost over the next 24 hours.
    BurnRate,
}

impl AlertKind {
    /// Every kind, in declaration order.
    pub const ALL: [AlertKind; 18] = [
        AlertKind::VolumeSpike,
        AlertKind::CostSpike,
        AlertKind::NewModel,
        AlertKind::NewSourceIp,
        AlertKind::OffHours,
        AlertKind::NewKeyHeavyUse,
        AlertKind::NewUserAgent,
        AlertKind::NewOperation,
        AlertKind::ValidationProbe,
        AlertKind::Recon,
        AlertKind::RegionFanout,
        AlertKind::Persistence,
        AlertKind::CreatedAccessUsed,
        AlertKind::LoggingTampering,
        AlertKind::Destruction,
        AlertKind::Exfiltration,
        AlertKind::BurstRate,
        AlertKind::BurnRate,
    ];

    /// The kind's snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::VolumeSpike => "volume_spike",
            AlertKind::CostSpike => "cost_spike",
            AlertKind::NewModel => "new_model",
            AlertKind::NewSourceIp => "new_source_ip",
            AlertKind::OffHours => "off_hours",
            AlertKind::NewKeyHeavyUse => "new_key_heavy_use",
            AlertKind::NewUserAgent => "new_user_agent",
            AlertKind::NewOperation => "new_operation",
            AlertKind::ValidationProbe => "validation_probe",
            AlertKind::Recon => "recon",
            AlertKind::RegionFanout => "region_fanout",
            AlertKind::Persistence => "persistence",
            AlertKind::CreatedAccessUsed => "created_access_used",
            AlertKind::LoggingTampering => "logging_tampering",
            AlertKind::Destruction => "destruction",
            AlertKind::Exfiltration => "exfiltration",
            AlertKind::BurstRate => "burst_rate",
            AlertKind::BurnRate => "burn_rate",
        }
    }
}

/// How urgent an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look.
    Low,
    /// Likely abuse or a precursor.
    Medium,
    /// Abuse in progress or a strong indicator.
    High,
    /// Large cost or lasting access: act now.
    Critical,
}

impl Severity {
    /// The severity's snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// One alert: what, how bad and why, on which key, when, the numbers and the evidence rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Stable id within the detection (`A001`…), in the order of `alerts`.
    pub id: String,
    /// What the alert is about.
    pub kind: AlertKind,
    /// How urgent.
    pub severity: Severity,
    /// Why this severity.
    pub severity_reason: String,
    /// The key (redacted when it looks like a raw secret; key ids are shown as given).
    pub key: String,
    /// The provider of the key's events.
    pub provider: String,
    /// Start of the alert's time range (UTC).
    #[serde(serialize_with = "format::ser_ts")]
    pub start: DateTime<Utc>,
    /// End of the alert's time range (UTC, inclusive of the last evidence row).
    #[serde(serialize_with = "format::ser_ts")]
    pub end: DateTime<Utc>,
    /// The observed value behind the alert (peak of the range).
    pub observed: f64,
    /// The baseline value it was compared with, where there is one.
    pub baseline: Option<f64>,
    /// Unit of `observed` and `baseline`.
    pub unit: String,
    /// Further numbers (robust z, ratio, counts, thresholds).
    pub numbers: BTreeMap<String, f64>,
    /// The values involved (new IPs, models, user agents, operations), most frequent first.
    pub values: Vec<String>,
    /// What the evidence rows created or changed (`kind id`: the new key, user, role, policy,
    /// guardrail or logging setting), as distinct from the key that did it (`key`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// Evidence rows (capped at `max_evidence_per_alert`).
    pub evidence: Vec<RawRef>,
    /// How many evidence rows there are in all.
    pub evidence_count: u64,
    /// One plain sentence a responder can paste.
    pub sentence: String,
}

impl Alert {
    /// Whether every call behind the alert was refused (persistence, logging-tampering and
    /// destruction alerts count them under `refused`): nothing was created, changed or deleted. False for alerts that do
    /// not count refusals.
    pub fn all_refused(&self) -> bool {
        self.numbers
            .get("refused")
            .is_some_and(|r| Some(r) == self.numbers.get("calls"))
    }

    /// Whether the alert is on calls that only read stored secrets, passwords or keys (a
    /// persistence alert counting them under `secrets_read`): what they read is rotated.
    pub fn read_secrets(&self) -> bool {
        self.numbers.contains_key("secrets_read")
    }

    /// Whether the alert tells of stored data lost: a destruction alert with a call that went
    /// through, and not a person's usual deletion left to confirm (low severity).
    pub fn lost_data(&self) -> bool {
        self.kind == AlertKind::Destruction
            && !self.all_refused()
            && self.severity >= Severity::Medium
    }

    /// Of a destruction alert, whether some of its calls disabled a KMS key or scheduled its
    /// deletion (`numbers.kms_key_calls`), and whether all did.
    pub fn kms_keys(&self) -> (bool, bool) {
        let kms = self.numbers.get("kms_key_calls").copied().unwrap_or(0.0);
        let calls = self.numbers.get("calls").copied().unwrap_or(0.0);
        (kms > 0.0, kms > 0.0 && kms == calls)
    }

    /// What the alert's step acts on: what the evidence names (`targets`), else the calls.
    pub fn named(&self) -> String {
        if self.targets.is_empty() {
            self.values.join(", ")
        } else {
            self.targets.join(", ")
        }
    }
}

/// How a key's compromise start was obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StartEstimate {
    /// The estimated (or given) start.
    #[serde(serialize_with = "format::ser_ts")]
    pub at: DateTime<Utc>,
    /// Confidence 0–1 (1 when set by the responder).
    pub confidence: f64,
    /// `responder`, `change_point`, `first_new_source` or `change_point+first_new_source`.
    pub method: String,
    /// Why.
    pub reason: String,
}

/// A key's baseline as the detectors used it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeySummary {
    /// The key (redacted when it looks like a raw secret).
    pub key: String,
    /// `identifier` when the key is a provider's documented key id, shown whole (`key_…`,
    /// `apikey_…`, `AKIA…`; `crate::secret::value_kind`); absent for a hint, a redacted value
    /// or a principal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_kind: Option<crate::secret::ValueKind>,
    /// The provider of its first event.
    pub provider: String,
    /// First event.
    #[serde(serialize_with = "format::ser_ts")]
    pub first_seen: DateTime<Utc>,
    /// Last event.
    #[serde(serialize_with = "format::ser_ts")]
    pub last_seen: DateTime<Utc>,
    /// Rows for this key.
    pub events: u64,
    /// The compromise start used (given or estimated), if any.
    pub compromise_start: Option<StartEstimate>,
    /// End of the baseline (reference) window: the compromise start, else the learning window.
    #[serde(serialize_with = "format::ser_ts")]
    pub baseline_end: DateTime<Utc>,
    /// Whether the baseline is long enough (`min_baseline_days`) to judge against.
    pub baseline_sufficient: bool,
    /// The key first appears well after the evidence starts, with no history of its own.
    pub appears_from_nowhere: bool,
    /// Volume unit: `requests`, or `tokens` when the source gives no request counts.
    pub unit: String,
    /// Median daily volume in the baseline window.
    pub baseline_daily_median: f64,
    /// Median daily cost in the baseline window.
    pub baseline_daily_cost_median: f64,
    /// Seasonality the hourly detector used: `hour_of_week`, `hour_of_day` or `none`.
    pub seasonality: String,
    /// Models seen in the baseline.
    pub baseline_models: Vec<String>,
    /// IPs seen in the baseline (count).
    pub baseline_ip_count: u64,
    /// User agents seen in the baseline.
    pub baseline_user_agents: Vec<String>,
    /// Regions seen in the baseline.
    pub baseline_regions: Vec<String>,
    /// Hours of day (UTC) with at least `active_hour_min_share` of baseline volume.
    pub active_hours: Vec<u8>,
    /// New IPs appear so often in the learning window that IP detectors are skipped.
    pub ip_churn: bool,
}

/// Everything the detect stage concluded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// The answer in short: which keys look abused, since when, from where, at what cost.
    pub summary: DetectSummary,
    /// The thresholds used.
    pub params: DetectParams,
    /// Events read (after dropping duplicates of the same source event id).
    pub events: u64,
    /// Duplicate rows dropped.
    pub duplicates_dropped: u64,
    /// Events whose time the source redacted or that could not be read: kept, not placed in
    /// any key's series.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undated: Vec<UndatedEvent>,
    /// Per-key baselines and compromise-start estimates, by key.
    pub keys: Vec<KeySummary>,
    /// Alerts, by start time then severity (highest first).
    pub alerts: Vec<Alert>,
    /// The attacker timeline over all keys and sources.
    pub timeline: Timeline,
    /// Cost impact.
    pub cost: CostImpact,
    /// Per-key usage series with the baseline band and alert marks.
    pub charts: Vec<KeyChart>,
}

impl Detection {
    /// Whether a call that went through deleted `target` (a `kind id` label): what was opened
    /// or created and deleted since has nothing left to close or remove.
    pub fn deleted(&self, target: &str) -> bool {
        self.alerts.iter().any(|a| {
            a.kind == AlertKind::Destruction
                && !a.all_refused()
                && a.targets.iter().any(|t| t == target)
        })
    }

    /// The detection of no usage events with these thresholds, without running a detector: no
    /// keys, alerts, attacker rows, cost or charts. Equal to [`detect`] over no events.
    pub fn empty(params: DetectParams) -> Self {
        Detection {
            summary: DetectSummary {
                abused_keys: Vec::new(),
                keys_to_confirm: Vec::new(),
                attacker_ips: 0,
                headline: "No key shows signs of abuse in the usage evidence.".into(),
            },
            params,
            events: 0,
            duplicates_dropped: 0,
            undated: Vec::new(),
            keys: Vec::new(),
            alerts: Vec::new(),
            timeline: Timeline::default(),
            cost: CostImpact::default(),
            charts: Vec::new(),
        }
    }
}

impl Default for Detection {
    /// [`Detection::empty`] with the default thresholds.
    fn default() -> Self {
        Detection::empty(DetectParams::default())
    }
}

/// One key's verdict in the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyVerdict {
    /// The key.
    pub key: String,
    /// Its highest alert severity.
    pub severity: Severity,
    /// Its alerts.
    pub alerts: u64,
    /// Start of its first alert.
    #[serde(serialize_with = "format::ser_ts")]
    pub first_alert: DateTime<Utc>,
    /// Its compromise start (given or estimated), when there is one.
    #[serde(serialize_with = "format::ser_opt_ts")]
    pub compromise_start: Option<DateTime<Utc>>,
    /// Cost attributed to the attacker on this key.
    pub attacker_cost_usd: f64,
    /// True when no row of this key carries a cost or tokens (CloudTrail, audit logs): its
    /// attacker cost is unknown, not zero.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub attacker_cost_unknown: bool,
}

/// The abused keys none of whose rows carries a cost or tokens: the attacker's cost on them
/// is unknown, never $0.
pub fn cost_unknown_keys(abused: &[KeyVerdict]) -> Vec<&str> {
    abused
        .iter()
        .filter(|v| v.attacker_cost_unknown)
        .map(|v| v.key.as_str())
        .collect()
}

/// The detection in short.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectSummary {
    /// Keys with alerts above low severity, most severe first.
    pub abused_keys: Vec<KeyVerdict>,
    /// Keys with only low-severity alerts (changes to confirm).
    pub keys_to_confirm: Vec<String>,
    /// Distinct attacker IPs.
    pub attacker_ips: u64,
    /// Sentences a responder can paste into the incident channel.
    pub headline: String,
}

/// An alert before evidence rows are resolved.
pub(crate) struct Draft {
    pub kind: AlertKind,
    pub severity: Severity,
    pub severity_reason: String,
    pub key: usize,
    pub start: i64,
    pub end: i64,
    pub observed: f64,
    pub baseline: Option<f64>,
    pub unit: &'static str,
    pub numbers: Vec<(&'static str, f64)>,
    pub values: Vec<String>,
    /// Positions in `Prepared::evs`.
    pub evidence: Vec<usize>,
    pub sentence: String,
}

/// Runs every detector over the events.
///
/// `compromise_start`, when given, is used for every key instead of the estimate.
pub fn detect(
    events: &[UsageEvent],
    params: &DetectParams,
    compromise_start: Option<DateTime<Utc>>,
) -> Detection {
    run(
        prepare::prepare(events, params.estimate_missing_cost),
        params,
        compromise_start,
        1,
    )
}

/// One file's usage events made into the detectors' rows on the thread that read the file
/// (their strings numbered in the part's own sets), for [`Rows::take`] and
/// [`crate::scope::Usage::take`] in the file's turn: the thread that merges the files only
/// renumbers them.
#[derive(Clone)]
pub struct Part(pub(crate) prepare::Part);

impl crate::evidence::Part for Part {
    fn push(&mut self, e: UsageEvent) {
        self.0.push(&e);
    }
}

/// Usage events taken one at a time and kept only as the compact rows the detectors read
/// (about 104 bytes an event, its strings held once per run), for [`Rows::detect`]: the same
/// [`Detection`] as [`detect`] over the same events, without holding them as [`UsageEvent`]s.
pub struct Rows(prepare::Builder);

impl Rows {
    /// Rows that drop an event whose (source format, event id) an earlier one had, as
    /// [`detect`] does.
    pub fn new(params: &DetectParams) -> Self {
        Rows(prepare::Builder::new(params.estimate_missing_cost, true))
    }

    /// Rows for events already merged by [`crate::evidence::read_all_each`], which drops
    /// every repeated event id (so the check by source format and id would find none).
    pub fn merged(params: &DetectParams) -> Self {
        Rows(prepare::Builder::new(params.estimate_missing_cost, false))
    }

    /// Takes one event.
    pub fn push(&mut self, e: &UsageEvent) {
        self.0.push(e);
    }

    /// An empty [`Part`] for these rows, to fill on the thread that reads a file.
    pub fn part(&self) -> Part {
        Part(self.0.part())
    }

    /// Takes the events of `part`, all but those at `dropped` (ascending): the rows
    /// [`Rows::push`] of each in turn would make. For [`Rows::merged`] rows only (they drop no
    /// repeated id themselves).
    pub fn take(&mut self, part: &Part, dropped: &[u32]) {
        self.0.take(&part.0, dropped);
    }

    /// Runs every detector over the rows (see [`detect`]).
    pub fn detect(
        self,
        params: &DetectParams,
        compromise_start: Option<DateTime<Utc>>,
    ) -> Detection {
        self.detect_jobs(params, compromise_start, 1)
    }

    /// [`Rows::detect`] with the keys' baselines and detectors run on up to `jobs` threads
    /// (each key's read only its own rows; their alerts are taken in key order): the same
    /// [`Detection`].
    pub fn detect_jobs(
        self,
        params: &DetectParams,
        compromise_start: Option<DateTime<Utc>>,
        jobs: usize,
    ) -> Detection {
        run(self.0.finish(), params, compromise_start, jobs)
    }
}

fn run(
    p: Prepared,
    params: &DetectParams,
    compromise_start: Option<DateTime<Utc>>,
    jobs: usize,
) -> Detection {
    let given = compromise_start.map(|t| t.timestamp());
    let mut keys = Vec::with_capacity(p.keys.len());
    let mut drafts: Vec<Draft> = Vec::new();
    let mut hourly_info = Vec::with_capacity(p.keys.len());
    // Each key's baseline and detectors read only its own rows and context: the keys run on up
    // to `jobs` threads, and their drafts are taken in key order, as one thread makes them.
    crate::evidence::parallel::ordered(
        p.keys.len(),
        jobs,
        |k| {
            let key = baseline::build_key(&p, params, given, k);
            let mut out = Vec::new();
            let hourly = volume::run(&p, &key, params, &mut out);
            firstseen::run(&p, &key, params, &mut out);
            sequence::run(&p, &key, params, &mut out);
            (key, hourly, out)
        },
        |_, (key, hourly, out)| {
            keys.push(key);
            hourly_info.push(hourly);
            drafts.extend(out);
        },
    );
    // What the keys' lasting-access calls made, used: filed under what was made.
    let chained = chain::run(&p, &keys, &drafts);
    drafts.extend(chained);
    drafts.sort_by(|a, b| {
        (a.start, std::cmp::Reverse(a.severity), a.kind, a.key, a.end).cmp(&(
            b.start,
            std::cmp::Reverse(b.severity),
            b.kind,
            b.key,
            b.end,
        ))
    });
    let timeline = timeline::build(&p, &keys, &drafts, params);
    let cost = cost::build(&p, &keys, &timeline.attacker_rows, params);
    let alerts: Vec<Alert> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| finish(&p, &keys, d, i, params))
        .collect();
    let charts = chart::build(&p, &keys, &alerts, params);
    let summaries: Vec<KeySummary> = keys
        .iter()
        .zip(&hourly_info)
        .map(|(k, seasonality)| summarize(&p, k, params, seasonality))
        .collect();
    let summary = summarize_all(&alerts, &summaries, &timeline.public, &cost);
    Detection {
        summary,
        params: params.clone(),
        events: p.evs.len() as u64,
        duplicates_dropped: p.duplicates,
        undated: p.undated.clone(),
        keys: summaries,
        alerts,
        timeline: timeline.public,
        cost,
        charts,
    }
}

#[inline(never)]
fn summarize_all(
    alerts: &[Alert],
    keys: &[KeySummary],
    timeline: &Timeline,
    cost: &CostImpact,
) -> DetectSummary {
    let mut abused: Vec<KeyVerdict> = Vec::new();
    let mut confirm: Vec<String> = Vec::new();
    let mut by_key: BTreeMap<&str, Vec<&Alert>> = BTreeMap::new();
    for a in alerts {
        by_key.entry(a.key.as_str()).or_default().push(a);
    }
    let attacker_cost: BTreeMap<&str, f64> = cost
        .per_key
        .iter()
        .map(|c| (c.key.as_str(), c.totals.attacker_cost_usd))
        .collect();
    let no_cost_data: std::collections::BTreeSet<&str> = cost
        .per_key
        .iter()
        .filter(|c| !c.cost_data)
        .map(|c| c.key.as_str())
        .collect();
    for k in keys {
        let mine: Vec<&Alert> = by_key.remove(k.key.as_str()).unwrap_or_default();
        let Some(max) = mine.iter().map(|a| a.severity).max() else {
            continue;
        };
        if max == Severity::Low {
            confirm.push(k.key.clone());
            continue;
        }
        abused.push(KeyVerdict {
            key: k.key.clone(),
            severity: max,
            alerts: mine.len() as u64,
            first_alert: mine.iter().map(|a| a.start).min().unwrap_or(k.first_seen),
            compromise_start: k.compromise_start.as_ref().map(|s| s.at),
            attacker_cost_usd: attacker_cost.get(k.key.as_str()).copied().unwrap_or(0.0),
            attacker_cost_unknown: no_cost_data.contains(k.key.as_str()),
        });
    }
    abused.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.first_alert.cmp(&b.first_alert))
    });
    let attacker_ips = timeline.attacker_ips.len() as u64;
    let t = |d: &DateTime<Utc>| d.format("%Y-%m-%d %H:%M UTC").to_string();
    let mut headline = if abused.is_empty() {
        "No key shows signs of abuse in the usage evidence.".to_string()
    } else {
        format!(
            "{} key(s) show signs of abuse: {}.",
            abused.len(),
            abused
                .iter()
                .map(|v| format!(
                    "{} ({}, {} alert(s), from {})",
                    v.key,
                    v.severity.as_str(),
                    v.alerts,
                    t(v.compromise_start.as_ref().unwrap_or(&v.first_alert))
                ))
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    if let (Some(a), Some(b)) = (&timeline.first_suspicious, &timeline.last_suspicious) {
        headline += &format!(
            " Attacker activity from {} to {}{}.",
            t(a),
            t(b),
            if attacker_ips > 0 {
                format!(" from {attacker_ips} IP address(es)")
            } else {
                String::new()
            }
        );
    }
    if !abused.is_empty() {
        // The abused keys whose rows carry no cost or tokens: their share is unknown, never
        // $0; the rate ahead is the abused keys' own, not the spend of every key.
        let unknown = cost_unknown_keys(&abused);
        let projected: f64 = cost
            .per_key
            .iter()
            .filter(|c| {
                abused
                    .iter()
                    .any(|v| v.key == c.key && !v.attacker_cost_unknown)
            })
            .map(|c| c.projected_next_24h_usd)
            .sum();
        headline += &match &cost.note {
            Some(why) => format!(" Cost attributed to the attacker: {why}."),
            None if unknown.len() == abused.len() => format!(
                " Cost attributed to the attacker: unknown: no token or cost data for {} in the evidence; add that provider's usage or cost export.",
                unknown.join(", ")
            ),
            None => format!(
                " Cost attributed to the attacker: ${}{}; the next 24 hours at the current rate: ${}.",
                format::num(cost.attacker_cost_usd),
                if unknown.is_empty() {
                    String::new()
                } else {
                    format!(" (unknown for {}: no token or cost data)", unknown.join(", "))
                },
                format::num(projected)
            ),
        };
    }
    if !confirm.is_empty() {
        headline += &format!(
            " Changes to confirm (low severity) on: {}.",
            confirm.join(", ")
        );
    }
    DetectSummary {
        abused_keys: abused,
        keys_to_confirm: confirm,
        attacker_ips,
        headline,
    }
}

pub(crate) fn round(x: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    // `+ 0.0` turns -0.0 into 0.0: the sign of a zero can differ between native and wasm
    // arithmetic, and the page's export must equal the CLI's byte for byte.
    (x * 10_000.0).round() / 10_000.0 + 0.0
}

#[inline(never)]
fn finish(
    p: &Prepared,
    keys: &[baseline::KeyCtx],
    d: &Draft,
    i: usize,
    params: &DetectParams,
) -> Alert {
    let k = &keys[d.key];
    let mut ev = d.evidence.clone();
    ev.sort_unstable();
    ev.dedup();
    // What the calls made, changed or deleted: named by the alerts on such calls only (a probe
    // of refused calls, or a credential's use, has nothing of its own to act on).
    let targets: Vec<String> = if matches!(
        d.kind,
        AlertKind::Persistence | AlertKind::LoggingTampering | AlertKind::Destruction
    ) {
        p.targets_done(&ev).into_iter().cloned().collect()
    } else {
        Vec::new()
    };
    let evidence = ev
        .iter()
        .take(params.max_evidence_per_alert)
        .map(|&pos| p.raw_ref(p.evs[pos].idx))
        .collect();
    Alert {
        id: format!("A{:03}", i + 1),
        kind: d.kind,
        severity: d.severity,
        severity_reason: d.severity_reason.clone(),
        key: k.name.clone(),
        provider: p.keys[k.k].provider.clone(),
        start: format::unix(d.start),
        end: format::unix(d.end),
        observed: round(d.observed),
        baseline: d.baseline.map(round),
        unit: d.unit.to_string(),
        numbers: d
            .numbers
            .iter()
            .map(|(n, v)| (n.to_string(), round(*v)))
            .collect(),
        values: d.values.clone(),
        targets,
        evidence,
        evidence_count: ev.len() as u64,
        sentence: d.sentence.clone(),
    }
}

fn names(set: &std::collections::HashSet<u32, FxBuild>, i: &prepare::Interner) -> Vec<String> {
    let mut v: Vec<String> = set.iter().map(|x| i.name(*x).to_string()).collect();
    v.sort();
    v.truncate(50);
    v
}

#[inline(never)]
fn summarize(
    p: &Prepared,
    k: &baseline::KeyCtx,
    params: &DetectParams,
    seasonality: &str,
) -> KeySummary {
    let base_days: Vec<usize> = (0..k.daily_req.len())
        .filter(|&d| (k.day0 + d as i64 + 1) * baseline::DAY <= k.ref_end)
        .collect();
    let mut v: Vec<f64> = base_days.iter().map(|&d| k.daily_req[d]).collect();
    let mut c: Vec<f64> = base_days.iter().map(|&d| k.daily_cost[d]).collect();
    KeySummary {
        key: k.name.clone(),
        value_kind: Some(crate::secret::value_kind(&k.name))
            .filter(|v| *v == crate::secret::ValueKind::Identifier),
        provider: p.keys[k.k].provider.clone(),
        first_seen: format::unix(k.first),
        last_seen: format::unix(k.last),
        events: (k.hi - k.lo) as u64,
        compromise_start: k.start.as_ref().map(|s| StartEstimate {
            at: format::unix(s.at),
            confidence: round(s.confidence),
            method: s.method.to_string(),
            reason: s.reason.clone(),
        }),
        baseline_end: format::unix(k.ref_end),
        baseline_sufficient: k.has_baseline,
        appears_from_nowhere: k.appears_from_nowhere,
        unit: k.unit().to_string(),
        baseline_daily_median: round(baseline::median(&mut v)),
        baseline_daily_cost_median: round(baseline::median(&mut c)),
        seasonality: seasonality.to_string(),
        baseline_models: names(&k.base_models, &p.models),
        baseline_ip_count: k.base_ips.len() as u64,
        baseline_user_agents: names(&k.base_uas, &p.uas),
        baseline_regions: names(&k.base_regions, &p.regions),
        active_hours: (0..24u8)
            .filter(|h| k.hour_share[*h as usize] >= params.active_hour_min_share)
            .collect(),
        ip_churn: k.ip_churn,
    }
}

/// The raw key an event counts under (key id, else hint, else principal, else its provider's
/// and scope's key-less group).
pub fn key_of(e: &UsageEvent) -> std::borrow::Cow<'_, str> {
    prepare::key_of(e)
}

/// True for a key-less group's label (rows that name no key, by provider and scope).
pub fn is_keyless(key: &str) -> bool {
    prepare::is_keyless(key)
}

/// A raw key as alerts and key summaries show it (redacted when it looks like a secret).
pub fn key_display(raw: &str) -> String {
    prepare::display_key(raw)
}
