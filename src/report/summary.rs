//! The triage summary: the incident timeline, the durations between its milestones, whether
//! abuse is confirmed, the IOCs, the cost, the top findings and the blast radius. Built from the
//! report's detection and scan and the context's facts; never from a clock.

use super::clock::{fmt_duration, fmt_local, offset};
use super::Report;
use crate::detect::{Alert, AlertKind, Severity};
use crate::evidence::RawRef;
use crate::format;
use crate::scan::rules::Confidence;
use crate::scan::structure::Structure;
use crate::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Top findings kept in the summary.
pub const MAX_TOP_FINDINGS: usize = 10;
/// Evidence rows kept per IOC.
pub const MAX_IOC_EVIDENCE: usize = 5;

/// The triage summary (docs/report.md, "Summary").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// A few sentences for the incident channel.
    pub headline: String,
    /// The incident's milestones in their natural order (stable ids).
    pub timeline: Vec<Milestone>,
    /// Durations between milestones (exposure, dwell, abuse window, time to revoke).
    pub durations: Vec<Span>,
    /// Whether abuse is confirmed, suspected or not seen, and why.
    pub abuse: Abuse,
    /// Indicators of compromise, by kind then as the detection ordered them.
    pub iocs: Vec<Ioc>,
    /// The cost impact.
    pub cost: CostSummary,
    /// The most severe findings (alerts and leaked secrets), most severe first.
    pub top_findings: Vec<TopFinding>,
    /// Findings of medium severity or above in all (alerts and secrets).
    pub findings_total: u64,
    /// What the leaked credentials could reach (the scope stage, issue #6).
    pub blast_radius: BlastRadius,
}

/// One milestone of the incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    /// Stable id: `secret_introduced`, `exposed_publicly`, `first_suspicious_use`,
    /// `last_suspicious_use`, `awareness`, `revoked`.
    pub id: String,
    /// In words.
    pub label: String,
    /// When (UTC); absent when unknown.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub at: Option<DateTime<Utc>>,
    /// The same time at the responder's offset, when both are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local: Option<String>,
    /// Where the time comes from (evidence, detection, context), or why it is unknown.
    pub source: String,
}

/// A duration between two milestones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    /// Stable id: `exposure_to_first_use`, `dwell`, `abuse_window`, `time_to_revoke`,
    /// `exposure_window`.
    pub id: String,
    /// In words.
    pub label: String,
    /// The milestone ids it runs between.
    pub from: String,
    /// The milestone it ends at.
    pub to: String,
    /// Seconds, when both ends are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<i64>,
    /// The duration in words, or which end is unknown.
    pub text: String,
}

/// The abuse verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Strong signs an unauthorised party used the credential.
    Confirmed,
    /// Anomalies that may be abuse.
    Suspected,
    /// Usage evidence was read and shows no abuse.
    NotSeen,
    /// No usage evidence to judge by.
    #[default]
    Unknown,
}

impl Verdict {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Suspected => "suspected",
            Verdict::NotSeen => "not seen",
            Verdict::Unknown => "unknown",
        }
    }
}

/// Whether abuse is confirmed, and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Abuse {
    /// The verdict.
    pub verdict: Verdict,
    /// The reasons, each naming its alerts or evidence.
    pub reasons: Vec<String>,
}

/// What an IOC is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IocKind {
    /// A source IP address of attacker rows.
    Ip,
    /// A user agent of attacker rows.
    UserAgent,
    /// A model the attacker used.
    Model,
    /// A region the attacker used.
    Region,
    /// A key (as the logs name it) with signs of abuse.
    AbusedKey,
    /// A call that created lasting access (users, keys, grants, fine-tunes).
    CreatedAccess,
    /// A call that changed or deleted logging.
    LoggingChange,
    /// The SHA-256 fingerprint of a leaked secret (never the value).
    LeakedSecretSha256,
}

impl IocKind {
    /// The kind's snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            IocKind::Ip => "ip",
            IocKind::UserAgent => "user_agent",
            IocKind::Model => "model",
            IocKind::Region => "region",
            IocKind::AbusedKey => "abused_key",
            IocKind::CreatedAccess => "created_access",
            IocKind::LoggingChange => "logging_change",
            IocKind::LeakedSecretSha256 => "leaked_secret_sha256",
        }
    }
}

/// One indicator of compromise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ioc {
    /// What it is.
    pub kind: IocKind,
    /// The value (redacted where it is a key; a fingerprint for secrets).
    pub value: String,
    /// Attacker rows (or calls) carrying it, where counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// First seen (UTC).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub first: Option<DateTime<Utc>>,
    /// Last seen (UTC).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub last: Option<DateTime<Utc>>,
    /// Where it comes from (`detection timeline`, an alert id, a scan finding).
    pub source: String,
    /// A note for the reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Evidence rows (`file:line` or `file#record`), capped at [`MAX_IOC_EVIDENCE`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// The cost impact, from the detection.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CostSummary {
    /// All cost in the usage evidence (USD).
    pub total_usd: f64,
    /// Cost of the rows attributed to the attacker.
    pub attacker_usd: f64,
    /// Cost since the compromise start above what the baseline predicts.
    pub excess_usd: f64,
    /// The next 24 hours at the current burn rate, if the key stays live.
    pub projected_next_24h_usd: f64,
    /// Part of the total estimated from token counts and list prices.
    pub estimated_usd: f64,
    /// Usage rows with no cost and no price to estimate one.
    pub rows_without_cost: u64,
    /// Attacker cost by model, largest first (models with attacker cost only).
    pub attacker_by_model: Vec<ModelCost>,
    /// One sentence.
    pub text: String,
}

/// A model's attacker cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCost {
    /// The model.
    pub model: String,
    /// Attacker cost (USD).
    pub attacker_usd: f64,
    /// All requests with this model (the attacker's and any others).
    pub requests: f64,
}

/// One of the top findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopFinding {
    /// The alert id (`A006`) or the secret's fingerprint prefix (`S:9cd98c77a39f`).
    pub id: String,
    /// `alert` or `secret`.
    pub source: String,
    /// How serious.
    pub severity: Severity,
    /// What it is.
    pub title: String,
    /// The sentence or the location.
    pub detail: String,
}

/// A level with its reasons (scope's `data_exposure` / `financial_exposure`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rating {
    /// `low`, `medium`, `high` or `critical`.
    pub level: String,
    /// Why, each with its source.
    pub reasons: Vec<String>,
}

/// Whether personal data was reachable (scope's `personal_data`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonalData {
    /// `yes`, `no` or `unknown`.
    pub reachable: String,
    /// Approximate number of people, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<u64>,
    /// Why, each with its source.
    pub reasons: Vec<String>,
}

/// The blast radius as the summary and the notification drafts use it.
///
/// Filled by [`blast_radius`] from `report.scope` (issue #6); `assessed` is false only in a
/// report made without the scope stage (an empty report).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BlastRadius {
    /// Whether the scope stage assessed it.
    pub assessed: bool,
    /// Why not, or a one-line digest.
    pub note: String,
    /// How much data the credentials expose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_exposure: Option<Rating>,
    /// How much money they can cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub financial_exposure: Option<Rating>,
    /// Whether personal data was reachable, and for how many people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<PersonalData>,
    /// seeds/004's three answers: what it could do, where it was used, what an attacker can do
    /// next.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub could_do: Vec<String>,
    /// Where it was used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub used_where: Vec<String>,
    /// What an attacker can do next.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next: Vec<String>,
}

/// The blast radius of the report's credentials, from the scope stage (`report.scope`): the
/// ratings with the reasons at their level (at most three each), personal data, and seeds/004's
/// three answers. Each reason keeps its rule id and what it rests on.
pub fn blast_radius(report: &Report) -> BlastRadius {
    let sc = &report.scope;
    let rating = |r: &crate::scope::Rating| Rating {
        level: r.level.as_str().into(),
        reasons: r
            .reasons
            .iter()
            .filter(|x| x.level == Some(r.level))
            .take(3)
            .map(reason_line)
            .collect(),
    };
    let pd = &sc.personal_data;
    let lines = |v: &[crate::scope::Reason]| v.iter().map(reason_line).collect::<Vec<_>>();
    BlastRadius {
        assessed: true,
        note: format!(
            "{} credential(s) assessed: data exposure {}, financial exposure {}, personal data \
             reachable: {}.",
            sc.credentials.len(),
            sc.data_exposure.level.as_str(),
            sc.financial_exposure.level.as_str(),
            pd.reachable.as_str()
        ),
        data_exposure: Some(rating(&sc.data_exposure)),
        financial_exposure: Some(rating(&sc.financial_exposure)),
        personal_data: Some(PersonalData {
            reachable: pd.reachable.as_str().into(),
            people: pd.people,
            reasons: pd.reasons.iter().take(3).map(reason_line).collect(),
        }),
        could_do: lines(&sc.three_answers.could_do),
        used_where: lines(&sc.three_answers.used_where),
        next: lines(&sc.three_answers.next),
    }
}

/// A scope reason as one line: its text, its rule, and up to three of its sources.
fn reason_line(r: &crate::scope::Reason) -> String {
    let mut sources: Vec<String> = r
        .sources
        .iter()
        .take(3)
        .map(crate::scope::Source::label)
        .collect();
    if r.sources.len() > 3 {
        sources.push(format!("{} more", r.sources.len() - 3));
    }
    let mut line = format!("{} [{}", r.text, r.rule);
    if !sources.is_empty() {
        line.push_str("; ");
        line.push_str(&sources.join(", "));
    }
    line.push(']');
    line
}

/// Builds the summary from the report's stages and the context.
pub fn build(r: &Report, ctx: &Context) -> Summary {
    let off = offset(ctx.utc_offset_minutes);
    let timeline = milestones(r, ctx)
        .into_iter()
        .map(|mut m| {
            if ctx.utc_offset_minutes.is_some() {
                m.local = m.at.map(|t| fmt_local(&t, off));
            }
            m
        })
        .collect::<Vec<_>>();
    let durations = spans(&timeline);
    let abuse = abuse(r);
    let iocs = iocs(r);
    let cost = cost(r);
    let (top_findings, findings_total) = top_findings(r);
    let blast_radius = blast_radius(r);
    let headline = headline(&timeline, &durations, &abuse, &cost, &iocs);
    Summary {
        headline,
        timeline,
        durations,
        abuse,
        iocs,
        cost,
        top_findings,
        findings_total,
        blast_radius,
    }
}

/// A milestone by id.
pub fn milestone<'a>(s: &'a Summary, id: &str) -> Option<&'a Milestone> {
    s.timeline.iter().find(|m| m.id == id)
}

fn ms(id: &str, label: &str, at: Option<DateTime<Utc>>, source: String) -> Milestone {
    Milestone {
        id: id.into(),
        label: label.into(),
        at,
        local: None,
        source,
    }
}

/// A commit's time: the commit date, else the author date, when RFC 3339.
fn commit_time(c: &crate::scan::Commit) -> Option<DateTime<Utc>> {
    c.commit_date
        .as_deref()
        .or(c.author_date.as_deref())
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn milestones(r: &Report, ctx: &Context) -> Vec<Milestone> {
    let f = &ctx.incident;
    let introduced = r
        .scan
        .secrets
        .iter()
        .filter_map(|s| s.introduced.as_ref().map(|c| (commit_time(c), c, s)))
        .filter_map(|(t, c, s)| t.map(|t| (t, c, s)))
        .min_by_key(|(t, _, _)| *t);
    let intro = match introduced {
        Some((t, c, s)) => ms(
            "secret_introduced",
            "Secret introduced",
            Some(t),
            format!(
                "commit {} added {} ({} {}){}",
                c.id.chars().take(10).collect::<String>(),
                s.redacted,
                s.provider,
                s.kind_label,
                s.occurrences
                    .iter()
                    .find(|o| o.commit.as_ref().map(|oc| &oc.id) == Some(&c.id))
                    .map(|o| format!(" in {}", o.path.as_deref().unwrap_or(&o.evidence)))
                    .unwrap_or_default()
            ),
        ),
        None => ms(
            "secret_introduced",
            "Secret introduced",
            None,
            if r.scan.secrets.is_empty() {
                "unknown: no leaked secret found in the evidence".into()
            } else {
                "unknown: no git history holds the commit that added the secret".into()
            },
        ),
    };
    let given = |id: &str, label: &str, t: Option<DateTime<Utc>>, what: &str| {
        ms(
            id,
            label,
            t,
            match t {
                Some(_) => "given by the responder (context)".into(),
                None => format!("unknown: {what} not given (context)"),
            },
        )
    };
    let tl = &r.detection.timeline;
    let detected = |id: &str, label: &str, t: Option<DateTime<Utc>>| {
        ms(
            id,
            label,
            t,
            match t {
                Some(_) => format!(
                    "detection: {} attacker row(s) in {} timeline entr(ies)",
                    tl.attacker_rows, tl.entries_total
                ),
                None if r.detection.events == 0 => "unknown: no usage evidence".into(),
                None => "none: no attacker rows in the usage evidence".into(),
            },
        )
    };
    vec![
        intro,
        given(
            "exposed_publicly",
            "Exposed publicly",
            f.exposed_publicly_at,
            "the time of public exposure",
        ),
        detected(
            "first_suspicious_use",
            "First suspicious use",
            tl.first_suspicious,
        ),
        detected(
            "last_suspicious_use",
            "Last suspicious use",
            tl.last_suspicious,
        ),
        given(
            "awareness",
            "Organisation aware",
            ctx.awareness,
            "the awareness time",
        ),
        given(
            "revoked",
            "Credential revoked",
            f.revoked_at,
            "the revocation time",
        ),
    ]
}

fn spans(tl: &[Milestone]) -> Vec<Span> {
    let at = |id: &str| tl.iter().find(|m| m.id == id).and_then(|m| m.at);
    // Exposure starts at the public exposure when known, else at the commit that added it.
    let exposure = if at("exposed_publicly").is_some() {
        "exposed_publicly"
    } else {
        "secret_introduced"
    };
    let defs = [
        (
            "exposure_to_first_use",
            "From exposure to first suspicious use",
            exposure,
            "first_suspicious_use",
        ),
        (
            "dwell",
            "Dwell time (first suspicious use to awareness)",
            "first_suspicious_use",
            "awareness",
        ),
        (
            "abuse_window",
            "Abuse window (first to last suspicious use)",
            "first_suspicious_use",
            "last_suspicious_use",
        ),
        (
            "time_to_revoke",
            "From awareness to revocation",
            "awareness",
            "revoked",
        ),
        (
            "exposure_window",
            "Exposure window (exposure to revocation)",
            exposure,
            "revoked",
        ),
    ];
    defs.iter()
        .map(|(id, label, from, to)| {
            let seconds = match (at(from), at(to)) {
                (Some(a), Some(b)) => Some((b - a).num_seconds()),
                _ => None,
            };
            let missing: Vec<&str> = [from, to]
                .iter()
                .filter(|m| at(m).is_none())
                .map(|m| {
                    tl.iter()
                        .find(|x| x.id == **m)
                        .map(|x| x.label.as_str())
                        .unwrap_or(m)
                })
                .collect();
            let text = match seconds {
                Some(s) if s < 0 => format!(
                    "{} (the end is before the start: check the times)",
                    fmt_duration(s)
                ),
                Some(s) => fmt_duration(s),
                None => format!(
                    "unknown: no time for {}",
                    missing.join(" or ").to_lowercase()
                ),
            };
            Span {
                id: (*id).into(),
                label: (*label).into(),
                from: (*from).into(),
                to: (*to).into(),
                seconds,
                text,
            }
        })
        .collect()
}

fn ids(alerts: &[&Alert]) -> String {
    alerts
        .iter()
        .map(|a| a.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn abuse(r: &Report) -> Abuse {
    let d = &r.detection;
    if d.events == 0 {
        return Abuse {
            verdict: Verdict::Unknown,
            reasons: vec![
                "no usage or audit logs among the evidence: abuse cannot be judged; export the provider's usage logs".into(),
            ],
        };
    }
    let of = |kinds: &[AlertKind], min: Severity| -> Vec<&Alert> {
        d.alerts
            .iter()
            .filter(|a| kinds.contains(&a.kind) && a.severity >= min)
            .collect()
    };
    let lasting = of(
        &[AlertKind::Persistence, AlertKind::LoggingTampering],
        Severity::High,
    );
    let new_sources = of(&[AlertKind::NewSourceIp], Severity::High);
    let heavy = of(
        &[
            AlertKind::VolumeSpike,
            AlertKind::CostSpike,
            AlertKind::NewModel,
            AlertKind::Exfiltration,
            AlertKind::NewKeyHeavyUse,
        ],
        Severity::High,
    );
    let mut reasons = Vec::new();
    if !lasting.is_empty() {
        reasons.push(format!(
            "calls that create lasting access or hide activity ({})",
            ids(&lasting)
        ));
    }
    let same_key: Vec<&Alert> = heavy
        .iter()
        .filter(|h| new_sources.iter().any(|n| n.key == h.key))
        .copied()
        .collect();
    if !same_key.is_empty() {
        let srcs: Vec<&Alert> = new_sources
            .iter()
            .filter(|n| same_key.iter().any(|h| h.key == n.key))
            .copied()
            .collect();
        reasons.push(format!(
            "heavy or unusual use ({}) from source IPs the key never used before ({})",
            ids(&same_key),
            ids(&srcs)
        ));
    }
    if !reasons.is_empty() {
        return Abuse {
            verdict: Verdict::Confirmed,
            reasons,
        };
    }
    let medium: Vec<&Alert> = d
        .alerts
        .iter()
        .filter(|a| a.severity >= Severity::Medium)
        .collect();
    if !medium.is_empty() {
        return Abuse {
            verdict: Verdict::Suspected,
            reasons: vec![format!(
                "{} alert(s) of medium severity or above ({}), without new sources together with heavy use, or lasting-access calls",
                medium.len(),
                ids(&medium)
            )],
        };
    }
    let mut reasons = vec![format!(
        "{} usage event(s) over {} key(s) read; no alert of medium severity or above",
        d.events,
        d.keys.len()
    )];
    if !d.summary.keys_to_confirm.is_empty() {
        reasons.push(format!(
            "low-severity alerts to confirm on: {}",
            d.summary.keys_to_confirm.join(", ")
        ));
    }
    reasons.push(
        "the logs cover only their own time span and accounts: check that they reach the revocation".into(),
    );
    Abuse {
        verdict: Verdict::NotSeen,
        reasons,
    }
}

/// `file:line` or `file#record`.
pub fn raw_ref(r: &RawRef) -> String {
    match (r.line, r.record) {
        (Some(l), _) => format!("{}:{l}", r.file),
        (None, Some(i)) => format!("{}#{i}", r.file),
        _ => r.file.clone(),
    }
}

fn iocs(r: &Report) -> Vec<Ioc> {
    let tl = &r.detection.timeline;
    let mut out = Vec::new();
    for (kind, list) in [
        (IocKind::Ip, &tl.attacker_ips),
        (IocKind::UserAgent, &tl.user_agents),
        (IocKind::Model, &tl.models),
        (IocKind::Region, &tl.regions),
    ] {
        for v in list {
            out.push(Ioc {
                kind,
                value: v.value.clone(),
                rows: Some(v.rows),
                first: Some(v.first),
                last: Some(v.last),
                source: "detection timeline (attacker rows)".into(),
                note: None,
                evidence: Vec::new(),
            });
        }
    }
    for k in &r.detection.summary.abused_keys {
        out.push(Ioc {
            kind: IocKind::AbusedKey,
            value: k.key.clone(),
            rows: None,
            first: Some(k.first_alert),
            last: None,
            source: "detection summary".into(),
            note: Some(format!(
                "{} severity, {} alert(s), attacker cost ${:.2}",
                k.severity.as_str(),
                k.alerts,
                k.attacker_cost_usd
            )),
            evidence: Vec::new(),
        });
    }
    for a in &r.detection.alerts {
        let kind = match a.kind {
            AlertKind::Persistence => IocKind::CreatedAccess,
            AlertKind::LoggingTampering => IocKind::LoggingChange,
            _ => continue,
        };
        for v in &a.values {
            let (op, n) = match v.rsplit_once(" \u{d7}") {
                Some((op, n)) => (op, n.parse::<u64>().ok()),
                None => (v.as_str(), None),
            };
            out.push(Ioc {
                kind,
                value: op.to_string(),
                rows: n,
                first: Some(a.start),
                last: Some(a.end),
                source: format!("alert {} on key {}", a.id, a.key),
                note: Some(match kind {
                    IocKind::CreatedAccess => "what it created (user, key, grant) is not among the fields read: open the evidence rows and remove it at the issuer".into(),
                    _ => "logging was changed or deleted: restore it and treat the gap as unseen activity".into(),
                }),
                evidence: a.evidence.iter().take(MAX_IOC_EVIDENCE).map(raw_ref).collect(),
            });
        }
    }
    for s in &r.scan.secrets {
        out.push(Ioc {
            kind: IocKind::LeakedSecretSha256,
            value: s.fingerprint.clone(),
            rows: Some(s.occurrence_count),
            first: s.introduced.as_ref().and_then(commit_time),
            last: None,
            source: format!("scan rule {}", s.rule_id),
            note: Some(format!("{} {} {}", s.provider, s.kind_label, s.redacted)),
            evidence: s
                .occurrences
                .iter()
                .take(MAX_IOC_EVIDENCE)
                .map(|o| {
                    let at = match (&o.path, &o.commit) {
                        (Some(p), Some(c)) => {
                            format!(" ({p} in {})", c.id.chars().take(10).collect::<String>())
                        }
                        (Some(p), None) => format!(" ({p})"),
                        _ => String::new(),
                    };
                    let change = o.change.map(|c| format!(", {c:?}").to_lowercase());
                    format!(
                        "{}{at}:{}{}",
                        o.evidence,
                        o.line,
                        change.unwrap_or_default()
                    )
                })
                .collect(),
        });
    }
    out
}

fn cost(r: &Report) -> CostSummary {
    let c = &r.detection.cost;
    let mut by_model: Vec<ModelCost> = c
        .per_model
        .iter()
        .filter(|(_, t)| t.attacker_cost_usd > 0.0)
        .map(|(m, t)| ModelCost {
            model: m.clone(),
            attacker_usd: t.attacker_cost_usd,
            requests: t.requests,
        })
        .collect();
    by_model.sort_by(|a, b| {
        b.attacker_usd
            .total_cmp(&a.attacker_usd)
            .then(a.model.cmp(&b.model))
    });
    let text = if r.detection.events == 0 {
        "unknown: no usage evidence with costs".into()
    } else {
        format!(
            "${:.2} attributed to the attacker (${:.2} above the baseline) of ${:.2} in the usage evidence; the next 24 hours at the current rate: ${:.2}{}",
            c.attacker_cost_usd,
            c.excess_usd.max(0.0),
            c.totals.cost_usd,
            c.projected_next_24h_usd.max(0.0),
            if c.rows_without_cost > 0 {
                format!("; {} row(s) had no cost and no price", c.rows_without_cost)
            } else {
                String::new()
            }
        ) + &if c.totals.estimated_cost_usd > 0.0 {
            format!(
                "; ${:.2} of it estimated from token counts and approximate list prices (billed cost where the evidence gives it)",
                c.totals.estimated_cost_usd
            )
        } else {
            "; cost as billed in the evidence".to_string()
        }
    };
    CostSummary {
        total_usd: c.totals.cost_usd,
        attacker_usd: c.attacker_cost_usd,
        excess_usd: c.excess_usd.max(0.0),
        projected_next_24h_usd: c.projected_next_24h_usd.max(0.0),
        estimated_usd: c.totals.estimated_cost_usd,
        rows_without_cost: c.rows_without_cost,
        attacker_by_model: by_model,
        text,
    }
}

fn secret_severity(s: &crate::scan::SecretFinding) -> Severity {
    match (s.confidence, s.structure) {
        (Confidence::High, Structure::Valid) => Severity::High,
        (Confidence::High, _) | (Confidence::Medium, _) => Severity::Medium,
        (Confidence::Low, _) => Severity::Low,
    }
}

fn top_findings(r: &Report) -> (Vec<TopFinding>, u64) {
    // (severity, source rank, position): leaked secrets before alerts of the same severity
    // (each is a credential to revoke), secrets in the scan's order (most serious first),
    // alerts by start time.
    let mut all: Vec<(Severity, u8, usize, TopFinding)> = Vec::new();
    for (n, s) in r.scan.secrets.iter().enumerate() {
        let sev = secret_severity(s);
        let at = s
            .occurrences
            .first()
            .map(|o| format!("{}:{}", o.path.as_deref().unwrap_or(&o.evidence), o.line))
            .unwrap_or_default();
        all.push((
            sev,
            0,
            n,
            TopFinding {
                id: format!("S:{}", s.fingerprint.chars().take(12).collect::<String>()),
                source: "secret".into(),
                severity: sev,
                title: format!("{} {} {} leaked", s.provider, s.kind_label, s.redacted),
                detail: format!(
                    "{} occurrence(s), first at {at}; {}; still present: {}. Revoke: {}",
                    s.occurrence_count,
                    s.structure_label,
                    match s.still_present {
                        Some(true) => "yes",
                        Some(false) => "no (still in history)",
                        None => "unknown",
                    },
                    s.revoke
                ),
            },
        ));
    }
    let mut alerts: Vec<&Alert> = r.detection.alerts.iter().collect();
    alerts.sort_by_key(|a| a.start);
    for (n, a) in alerts.into_iter().enumerate() {
        all.push((
            a.severity,
            1,
            n,
            TopFinding {
                id: a.id.clone(),
                source: "alert".into(),
                severity: a.severity,
                title: format!("{} on {}", a.kind.as_str().replace('_', " "), a.key),
                detail: a.sentence.clone(),
            },
        ));
    }
    all.retain(|f| f.0 >= Severity::Medium);
    all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let total = all.len() as u64;
    (
        all.into_iter()
            .take(MAX_TOP_FINDINGS)
            .map(|f| f.3)
            .collect(),
        total,
    )
}

fn headline(
    tl: &[Milestone],
    durations: &[Span],
    abuse: &Abuse,
    cost: &CostSummary,
    iocs: &[Ioc],
) -> String {
    let mut s = format!("Abuse {}", abuse.verdict.label());
    if let Some(r) = abuse.reasons.first() {
        s.push_str(&format!(": {r}"));
    }
    s.push('.');
    let when = |id: &str| {
        tl.iter()
            .find(|m| m.id == id)
            .and_then(|m| m.at)
            .map(|t| format::rfc3339(&t))
    };
    let mut facts = Vec::new();
    if let Some(t) = when("secret_introduced") {
        facts.push(format!("secret introduced {t}"));
    }
    if let Some(t) = when("first_suspicious_use") {
        facts.push(format!("first suspicious use {t}"));
    }
    facts.push(match when("awareness") {
        Some(t) => format!("aware {t}"),
        None => "awareness time not given".into(),
    });
    facts.push(match when("revoked") {
        Some(t) => format!("revoked {t}"),
        None => "revocation not recorded".into(),
    });
    s.push_str(&format!(" Timeline: {}.", facts.join("; ")));
    if let Some(d) = durations
        .iter()
        .find(|d| d.id == "exposure_to_first_use" && d.seconds.is_some())
    {
        s.push_str(&format!(" First use {} after exposure.", d.text));
    }
    if cost.attacker_usd > 0.0 {
        s.push_str(&format!(" Attacker cost ${:.2}.", cost.attacker_usd));
    }
    let ips = iocs.iter().filter(|i| i.kind == IocKind::Ip).count();
    let created = iocs
        .iter()
        .filter(|i| i.kind == IocKind::CreatedAccess)
        .count();
    if ips > 0 {
        s.push_str(&format!(" {ips} attacker IP(s)."));
    }
    if created > 0 {
        s.push_str(&format!(
            " {created} call kind(s) created lasting access: remove what they made."
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{assert_no_secret, demo_report, t};
    use crate::{demo, triage, Input};

    #[test]
    fn the_demo_timeline_comes_from_history_detection_and_context() {
        let mut ctx = Context {
            awareness: Some(t("2026-11-19T09:00:00Z")),
            ..Context::default()
        };
        ctx.incident.revoked_at = Some(t("2026-11-19T09:20:00Z"));
        let s = demo_report(&ctx).summary;
        let at = |id: &str| milestone(&s, id).and_then(|m| m.at);
        assert_eq!(at("secret_introduced"), Some(t("2026-11-13T16:42:10Z")));
        assert_eq!(at("first_suspicious_use"), Some(t("2026-11-16T02:13:00Z")));
        assert_eq!(at("awareness"), Some(t("2026-11-19T09:00:00Z")));
        assert_eq!(at("revoked"), Some(t("2026-11-19T09:20:00Z")));
        assert_eq!(at("exposed_publicly"), None);
        let span = |id: &str| s.durations.iter().find(|d| d.id == id).unwrap();
        assert_eq!(span("time_to_revoke").seconds, Some(20 * 60));
        assert_eq!(span("time_to_revoke").text, "20 min");
        assert_eq!(
            span("dwell").seconds,
            Some((t("2026-11-19T09:00:00Z") - t("2026-11-16T02:13:00Z")).num_seconds())
        );
        assert!(span("exposure_window").seconds.is_some());
    }

    #[test]
    fn unknown_milestones_say_why_and_spans_name_the_missing_end() {
        let s = demo_report(&Context::default()).summary;
        let aware = milestone(&s, "awareness").unwrap();
        assert!(aware.at.is_none());
        assert!(aware.source.contains("not given"), "{}", aware.source);
        let dwell = s.durations.iter().find(|d| d.id == "dwell").unwrap();
        assert_eq!(dwell.seconds, None);
        assert_eq!(dwell.text, "unknown: no time for organisation aware");
    }

    #[test]
    fn public_exposure_replaces_the_commit_as_the_exposure_start() {
        let mut ctx = Context::default();
        ctx.incident.exposed_publicly_at = Some(t("2026-11-15T02:13:00Z"));
        let s = demo_report(&ctx).summary;
        let d = s
            .durations
            .iter()
            .find(|d| d.id == "exposure_to_first_use")
            .unwrap();
        assert_eq!(d.from, "exposed_publicly");
        assert_eq!(d.seconds, Some(86_400));
    }

    #[test]
    fn demo_abuse_is_confirmed_with_the_alerts_named() {
        let s = demo_report(&Context::default()).summary;
        assert_eq!(s.abuse.verdict, Verdict::Confirmed);
        assert!(
            s.abuse.reasons.iter().any(|r| r.contains("A010")),
            "{:?}",
            s.abuse
        );
        assert!(s.headline.starts_with("Abuse confirmed"), "{}", s.headline);
    }

    #[test]
    fn no_usage_evidence_means_unknown_not_clean() {
        let inputs: Vec<Input> = demo::inputs()
            .into_iter()
            .filter(|i| i.name == "prod.env")
            .collect();
        let s = triage(&inputs, &Context::default()).summary;
        assert_eq!(s.abuse.verdict, Verdict::Unknown);
        assert!(s.cost.text.starts_with("unknown"));
    }

    #[test]
    fn iocs_hold_attacker_sources_created_access_and_fingerprints_only() {
        let r = demo_report(&Context::default());
        let s = &r.summary;
        let of = |k: IocKind| s.iocs.iter().filter(move |i| i.kind == k);
        assert_eq!(of(IocKind::Ip).count(), 4);
        assert!(of(IocKind::UserAgent).any(|i| i.value == "python-requests/2.31.0"));
        let created: Vec<&str> = of(IocKind::CreatedAccess)
            .map(|i| i.value.as_str())
            .collect();
        assert!(created.contains(&"CreateUser") && created.contains(&"CreateAccessKey"));
        assert!(
            of(IocKind::LoggingChange).any(|i| i.value.contains("DeleteModelInvocationLogging"))
        );
        assert_eq!(
            of(IocKind::LeakedSecretSha256).count(),
            r.scan.secrets.len()
        );
        let json = serde_json::to_string(s).unwrap();
        assert_no_secret(&r, &json, "summary");
    }

    #[test]
    fn top_findings_are_most_severe_first_and_capped() {
        let s = demo_report(&Context::default()).summary;
        assert!(!s.top_findings.is_empty());
        assert!(s.top_findings.len() <= MAX_TOP_FINDINGS);
        assert!(s
            .top_findings
            .windows(2)
            .all(|w| w[0].severity >= w[1].severity));
        assert_eq!(s.top_findings[0].severity, Severity::Critical);
        assert!(s.findings_total >= s.top_findings.len() as u64);
    }

    #[test]
    fn blast_radius_comes_from_the_scope_stage_with_its_rules() {
        let r = demo_report(&Context::default());
        let b = &r.summary.blast_radius;
        assert!(b.assessed);
        assert_eq!(
            b.data_exposure.as_ref().map(|d| d.level.as_str()),
            Some(r.scope.data_exposure.level.as_str())
        );
        let pd = b.personal_data.as_ref().unwrap();
        assert_eq!(pd.reachable, r.scope.personal_data.reachable.as_str());
        assert!(!b.could_do.is_empty());
        assert!(b
            .could_do
            .iter()
            .all(|l| l.ends_with(']') && l.contains(" [")));
        // The responder's answer reaches the summary (and from there the drafts).
        let ctx = Context {
            answers: serde_json::from_str(r#"{"personal_data": "yes", "people": 1200}"#).unwrap(),
            ..Context::default()
        };
        let pd = demo_report(&ctx)
            .summary
            .blast_radius
            .personal_data
            .unwrap();
        assert_eq!((pd.reachable.as_str(), pd.people), ("yes", Some(1200)));
    }
}
