//! The report as the page reads it: the documented JSON schema (docs/report-schema.md),
//! deserialised. The page is one more reader of the same contract as any other consumer, and
//! ignores fields it does not show.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The parts of the report the page shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReportView {
    /// Schema version.
    pub schema_version: u32,
    /// The tool and version that made it.
    #[serde(default)]
    pub tool: ToolView,
    /// When the report was made.
    #[serde(default)]
    pub generated_at: Option<String>,
    /// The evidence inventory.
    pub evidence: Vec<EvidenceView>,
    /// Totals over the inventory.
    pub totals: TotalsView,
    /// The credential scan.
    #[serde(default)]
    pub scan: ScanView,
    /// Usage anomaly detection.
    #[serde(default)]
    pub detection: DetectionView,
    /// The triage summary (schema 2).
    #[serde(default)]
    pub summary: crate::ui::response::SummaryView,
    /// The response checklist (schema 2).
    #[serde(default)]
    pub checklist: crate::ui::response::ChecklistView,
    /// The notification drafts (schema 2).
    #[serde(default)]
    pub notifications: crate::ui::response::NotificationsView,
    /// The blast radius (the engine's own type: the page reads the contract it writes).
    #[serde(default)]
    pub scope: crate::scope::Scope,
    /// The agent section (empty when no agent log was given).
    #[serde(default)]
    pub agent: crate::ui::view_agent::AgentView,
    /// The queries to run where the organisation's logs live (the engine's own type).
    #[serde(default)]
    pub hunts: Vec<crate::report::hunts::Hunt>,
}

/// The tool that made a report.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ToolView {
    /// `leaktriage`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// One file of the inventory.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EvidenceView {
    /// Name as given.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
    /// Kind id.
    pub kind: String,
    /// Kind in words.
    pub kind_label: String,
    /// `gzip` when compressed.
    #[serde(default)]
    pub compression: Option<String>,
    /// Records read.
    pub records: u64,
    /// Assumptions made.
    #[serde(default)]
    pub assumptions: Vec<String>,
    /// A note about the whole file.
    #[serde(default)]
    pub note: Option<String>,
    /// Problems in all.
    pub problem_count: u64,
    /// The first problems.
    #[serde(default)]
    pub problems: Vec<ProblemView>,
    /// A CSV file's header (offered for a column mapping).
    #[serde(default)]
    pub columns: Vec<String>,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ProblemView {
    /// 1-based line.
    #[serde(default)]
    pub line: Option<u64>,
    /// 0-based record.
    #[serde(default)]
    pub record: Option<u64>,
    /// Column or field.
    #[serde(default)]
    pub column: Option<String>,
    /// What was wrong.
    pub message: String,
}

/// Totals.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TotalsView {
    /// Files.
    pub files: u64,
    /// Bytes.
    pub bytes: u64,
    /// Records.
    pub records: u64,
    /// Problems.
    pub problems: u64,
    /// What a focused run kept and set aside.
    #[serde(default)]
    pub focus: Option<FocusView>,
}

/// What a focused run kept and set aside (the engine's sentence; the page adds nothing).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FocusView {
    /// Events kept and analysed.
    pub kept: u64,
    /// Events set aside.
    pub set_aside: u64,
    /// The engine's account of the focus, in one sentence.
    pub said: String,
}

/// The credential scan: one entry per distinct secret.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ScanView {
    /// Totals.
    pub totals: ScanTotalsView,
    /// Distinct secrets, most serious first.
    pub secrets: Vec<SecretView>,
    /// Results of the known-key search.
    pub known_keys: Vec<KnownKeyView>,
    /// The public id of the fingerprints' key.
    pub fingerprint_key_id: String,
}

/// Scan totals.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ScanTotalsView {
    /// Rules in the catalog.
    pub rules: u64,
    /// Files scanned.
    pub files_scanned: u64,
    /// Commits read.
    pub commits: u64,
    /// Occurrences found.
    pub occurrences: u64,
    /// Distinct secrets.
    pub distinct_secrets: u64,
}

/// One distinct secret and where it was seen.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct SecretView {
    /// SHA-256 of the value.
    pub fingerprint: String,
    /// Redacted value.
    pub redacted: String,
    /// Rule id.
    pub rule_id: String,
    /// Provider.
    pub provider: String,
    /// What it is.
    pub title: String,
    /// Credential kind in words.
    pub kind_label: String,
    /// What such a credential can usually do.
    pub can_do: String,
    /// Where to revoke it.
    pub revoke: String,
    /// `low`, `medium`, `high`.
    pub confidence: String,
    /// `valid`, `invalid`, `not_checkable`.
    pub structure: String,
    /// The structure status in words.
    pub structure_label: String,
    /// Why.
    pub structure_note: String,
    /// Occurrences in all.
    pub occurrence_count: u64,
    /// The first occurrences.
    pub occurrences: Vec<OccurrenceView>,
    /// The commit that first added it.
    pub introduced: Option<CommitView>,
    /// The newest commit that touched it.
    pub last_commit: Option<CommitView>,
    /// The commit that removed it, if any.
    pub removed_in: Option<CommitView>,
    /// Whether the newest commit still holds it (histories only).
    pub still_present: Option<bool>,
    /// Whether it is in git history.
    pub in_history: bool,
    /// Whether it is the key the responder searched for.
    pub matches_known_key: bool,
    /// `secret` (shown redacted) or `identifier` (shown whole).
    pub value_kind: String,
    /// The identifier found with this secret: the two are one credential.
    pub partner: Option<PartnerView>,
    /// Every line holding it is marked `gitleaks:allow`.
    pub marked_allowed: bool,
}

/// The identifier half of a credential pair.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct PartnerView {
    /// What it is to the secret (`access key id`).
    pub role: String,
    /// As shown (an identifier, whole).
    pub redacted: String,
    /// `identifier`.
    pub value_kind: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// Occurrences of it in all.
    pub occurrence_count: u64,
}

/// One place a secret was seen.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct OccurrenceView {
    /// The evidence file.
    pub evidence: String,
    /// The path inside a patch or history.
    pub path: Option<String>,
    /// Line.
    pub line: u64,
    /// `added` or `removed`.
    pub change: Option<String>,
    /// The commit.
    pub commit: Option<CommitView>,
    /// How it was encoded (`base64`, ...).
    pub encoding: Option<String>,
    /// Which engine found it.
    pub source: String,
    /// The line is marked `gitleaks:allow`.
    pub marked_allowed: bool,
}

/// A commit.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct CommitView {
    /// Hash.
    pub id: String,
    /// Author name.
    pub author: Option<String>,
    /// Author email.
    pub email: Option<String>,
    /// Author date.
    pub author_date: Option<String>,
    /// Commit date.
    pub commit_date: Option<String>,
    /// Subject line.
    pub subject: Option<String>,
}

/// What the known-key search found for one key.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct KnownKeyView {
    /// The key, redacted.
    pub key: String,
    /// What the responder gave (full key, prefix and last 4, key id).
    pub form: String,
    /// Hits in all.
    pub hit_count: u64,
    /// The first hits.
    pub hits: Vec<KnownKeyHitView>,
}

/// One known-key hit.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct KnownKeyHitView {
    /// The evidence file.
    pub evidence: String,
    /// Line.
    pub line: u64,
    /// Column.
    pub column: u64,
    /// Exact or which near variant.
    pub variant: serde_json::Value,
    /// What was found, redacted.
    pub found: String,
}

/// Usage anomaly detection.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct DetectionView {
    /// Events analysed.
    pub events: u64,
    /// One summary per key.
    pub keys: Vec<KeySummaryView>,
    /// Alerts.
    pub alerts: Vec<AlertView>,
    /// The attacker timeline.
    pub timeline: TimelineView,
    /// The cost impact.
    pub cost: CostView,
    /// One chart per key.
    pub charts: Vec<ChartView>,
    /// Which keys look abused, and a headline to paste.
    pub summary: DetectionSummaryView,
}

/// The detection's own summary.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct DetectionSummaryView {
    /// One paragraph to paste into the incident channel.
    pub headline: String,
    /// Keys with alerts above low severity, most severe first.
    pub abused_keys: Vec<KeyVerdictView>,
    /// Keys with only low-severity alerts.
    pub keys_to_confirm: Vec<String>,
}

/// One key that looks abused.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct KeyVerdictView {
    /// The key.
    pub key: String,
    /// Its highest alert severity.
    pub severity: String,
    /// Its alerts.
    pub alerts: u64,
    /// Start of its first alert.
    pub first_alert: String,
    /// Its compromise start, given or estimated.
    pub compromise_start: Option<String>,
    /// Cost attributed to the attacker on this key.
    pub attacker_cost_usd: f64,
    /// No row of this key carries a cost or tokens: its attacker cost is unknown, not zero.
    pub attacker_cost_unknown: bool,
}

/// One key's baseline and compromise estimate.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct KeySummaryView {
    /// Key id or hint.
    pub key: String,
    /// Provider.
    pub provider: String,
    /// First event.
    pub first_seen: String,
    /// Last event.
    pub last_seen: String,
    /// Events.
    pub events: u64,
    /// Estimated or given compromise start.
    pub compromise_start: Option<StartView>,
    /// Whether the baseline was long enough.
    pub baseline_sufficient: bool,
    /// A key with heavy use and no history.
    pub appears_from_nowhere: bool,
}

/// A compromise-start estimate.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct StartView {
    /// When.
    pub at: String,
    /// 0 to 1.
    pub confidence: f64,
    /// How it was found.
    pub method: String,
    /// Why.
    pub reason: String,
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct AlertView {
    /// Stable id.
    pub id: String,
    /// Detector kind.
    pub kind: String,
    /// `low` … `critical`.
    pub severity: String,
    /// Why that severity.
    pub severity_reason: String,
    /// The key.
    pub key: String,
    /// Provider.
    pub provider: String,
    /// Start (RFC 3339).
    pub start: String,
    /// End (RFC 3339).
    pub end: String,
    /// What was observed.
    pub observed: f64,
    /// What the baseline expected.
    pub baseline: Option<f64>,
    /// Unit of both.
    pub unit: String,
    /// More numbers behind it.
    pub numbers: BTreeMap<String, f64>,
    /// Values behind it (models, IPs, user agents).
    pub values: Vec<String>,
    /// What the rows created or changed (`kind id`), as distinct from the key that did it.
    pub targets: Vec<String>,
    /// The evidence rows.
    pub evidence: Vec<RawRefView>,
    /// Evidence rows in all.
    pub evidence_count: u64,
    /// One sentence to paste.
    pub sentence: String,
}

/// A pointer to an evidence row.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct RawRefView {
    /// File.
    pub file: String,
    /// Line.
    pub line: Option<u64>,
    /// Record.
    pub record: Option<u64>,
}

/// The attacker timeline.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct TimelineView {
    /// First suspicious event.
    pub first_suspicious: Option<String>,
    /// Last suspicious event.
    pub last_suspicious: Option<String>,
    /// Rows attributed to the attacker.
    pub attacker_rows: u64,
    /// Entries per phase.
    pub phases: BTreeMap<String, u64>,
    /// The entries shown.
    pub entries: Vec<TimelineEntryView>,
    /// Entries in all.
    pub entries_total: u64,
    /// Attacker IPs.
    pub attacker_ips: Vec<ValueCountView>,
    /// Attacker user agents.
    pub user_agents: Vec<ValueCountView>,
    /// Models used.
    pub models: Vec<ValueCountView>,
    /// Regions used.
    pub regions: Vec<ValueCountView>,
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct TimelineEntryView {
    /// Start.
    pub start: String,
    /// End.
    pub end: String,
    /// Phase.
    pub phase: String,
    /// Why that phase.
    pub reason: String,
    /// 0 to 1.
    pub confidence: f64,
    /// The key.
    pub key: String,
    /// Source IP.
    pub source_ip: Option<String>,
    /// User agents.
    pub user_agents: Vec<String>,
    /// Models.
    pub models: Vec<String>,
    /// Regions.
    pub regions: Vec<String>,
}

/// A value and how many rows had it.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ValueCountView {
    /// The value.
    pub value: String,
    /// Rows.
    pub rows: u64,
}

/// The cost impact.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct CostView {
    /// Totals over everything.
    pub totals: CostTotalsView,
    /// Cost attributed to the attacker.
    pub attacker_cost_usd: f64,
    /// Cost since the compromise start.
    pub since_start_usd: f64,
    /// What the baseline would have cost over the same time.
    pub expected_since_start_usd: f64,
    /// The difference.
    pub excess_usd: f64,
    /// Projected cost of the next 24 hours at the current rate.
    pub projected_next_24h_usd: f64,
    /// Per key.
    pub per_key: Vec<KeyCostView>,
    /// Per model.
    pub per_model: BTreeMap<String, CostTotalsView>,
    /// Per day.
    pub per_day: BTreeMap<String, CostTotalsView>,
    /// Why the cost is unknown (the evidence carries no cost or tokens), when it is.
    pub note: Option<String>,
}

/// Cost and token totals.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct CostTotalsView {
    /// Cost in USD.
    pub cost_usd: f64,
    /// Attacker-attributed cost.
    pub attacker_cost_usd: f64,
    /// Requests.
    pub requests: f64,
    /// Input tokens.
    pub input_tokens: f64,
    /// Output tokens.
    pub output_tokens: f64,
    /// None of the rows carries a cost: the dollar figures are unknown, not zero.
    pub cost_unknown: bool,
}

/// One key's cost.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct KeyCostView {
    /// The key.
    pub key: String,
    /// Totals.
    pub totals: CostTotalsView,
    /// Excess over the baseline.
    pub excess_usd: f64,
    /// Current burn rate.
    pub burn_usd_per_hour: f64,
    /// Projected next 24 h.
    pub projected_next_24h_usd: f64,
    /// No row of the key carries a cost or tokens: its figures are unknown.
    pub cost_unknown: bool,
}

/// One key's usage chart.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ChartView {
    /// The key.
    pub key: String,
    /// Unit of the values.
    pub unit: String,
    /// Bucket width.
    pub bucket_seconds: i64,
    /// The points.
    pub points: Vec<ChartPointView>,
    /// Baseline median.
    pub baseline_median: f64,
    /// Baseline band, low.
    pub band_low: f64,
    /// Baseline band, high.
    pub band_high: f64,
    /// End of the baseline window.
    pub baseline_end: String,
    /// Alerts marked on it.
    pub marks: Vec<ChartMarkView>,
}

/// One chart point.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ChartPointView {
    /// Bucket start.
    pub t: String,
    /// Value.
    pub value: f64,
    /// Cost.
    pub cost_usd: f64,
}

/// An alert marked on a chart.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ChartMarkView {
    /// The alert.
    pub alert_id: String,
    /// Its kind.
    pub kind: String,
    /// Its severity.
    pub severity: String,
    /// Start.
    pub start: String,
    /// End.
    pub end: String,
}

impl ReportView {
    /// Reads a report's JSON.
    pub fn from_json(json: &str) -> Result<Self, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{triage, Context, Input};

    #[test]
    fn the_engine_report_reads_back_through_the_view() {
        let inputs = vec![
            Input::new("a.env", "A=1\n"),
            Input::new("b.csv", b"x,y\n\xe9,1\n".to_vec()),
        ];
        let r = triage(&inputs, &Context::default());
        let v = ReportView::from_json(&r.to_json()).unwrap();
        assert_eq!(v.evidence.len(), 2);
        assert_eq!(v.evidence[0].kind, "env");
        assert_eq!(v.evidence[0].sha256, r.evidence[0].sha256);
        assert_eq!(v.evidence[1].problems[0].line, Some(2));
        assert_eq!(v.totals.files, 2);
    }

    #[test]
    fn alert_targets_and_an_unknown_cost_reach_the_view() {
        let trail = r#"{"Records":[{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","accessKeyId":"AKIAEXAMPLELEAKED001","accountId":"111122223333"},"eventTime":"2026-01-01T03:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","userAgent":"aws-cli/2.15.0","requestParameters":{"userName":"backup-admin"},"responseElements":null,"eventID":"e1"}]}"#;
        let r = triage(&[Input::new("trail.json", trail)], &Context::default());
        let v = ReportView::from_json(&r.to_json()).unwrap();
        let a = &v.detection.alerts[0];
        assert_eq!(a.key, "AKIAEXAMPLELEAKED001");
        assert_eq!(a.targets, ["iam_user backup-admin"]);
        assert!(v
            .detection
            .cost
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("unknown: CloudTrail")));
    }
}
