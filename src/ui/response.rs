//! The report's deliverables as the page reads them (docs/report-schema.md): the triage
//! summary, the response checklist and the notification drafts. Every field defaults, so a
//! report without them (an older schema) reads as empty.

use serde::Deserialize;

/// The triage summary.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct SummaryView {
    /// One paragraph for the incident channel.
    pub headline: String,
    /// The incident's key times, in order.
    pub timeline: Vec<KeyTimeView>,
    /// Durations between them.
    pub durations: Vec<DurationView>,
    /// Whether abuse is confirmed, suspected or not seen, and why.
    pub abuse: AbuseView,
    /// Indicators of compromise.
    pub iocs: Vec<IocView>,
    /// The most severe findings, most severe first.
    pub top_findings: Vec<TopFindingView>,
    /// Findings of medium severity or above in all.
    pub findings_total: u64,
    /// The things to do now.
    pub do_now: Vec<DoNowView>,
    /// The key numbers.
    pub key_numbers: Vec<KeyNumberView>,
}

/// One of the top findings.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct TopFindingView {
    /// The alert id or the secret's fingerprint prefix.
    pub id: String,
    /// `alert` or `secret`.
    pub source: String,
    /// `critical`, `high`, `medium`, `low`.
    pub severity: String,
    /// What it is.
    pub title: String,
    /// The sentence or the location.
    pub detail: String,
}

/// One thing to do now.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct DoNowView {
    /// Stable id.
    pub id: String,
    /// What to do.
    pub text: String,
    /// The action alone.
    pub action: String,
    /// Where and how.
    pub at: Option<String>,
    /// The section with the detail.
    pub section: String,
}

/// One key number.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct KeyNumberView {
    /// Stable id.
    pub id: String,
    /// The number in words.
    pub value: String,
    /// What it counts.
    pub label: String,
    /// The values behind it.
    pub detail: Option<String>,
    /// The section with the detail.
    pub section: String,
}

/// One key time.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct KeyTimeView {
    /// Stable id (`secret_introduced`, `awareness`, ...).
    pub id: String,
    /// In words.
    pub label: String,
    /// When (UTC), if known.
    pub at: Option<String>,
    /// The same in the responder's local time.
    pub local: Option<String>,
    /// Where it comes from, or why it is unknown.
    pub source: String,
}

/// A duration between two key times.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct DurationView {
    /// Stable id.
    pub id: String,
    /// In words.
    pub label: String,
    /// The duration in words.
    pub text: String,
}

/// The abuse verdict.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct AbuseView {
    /// `confirmed`, `suspected` or `not_seen`.
    pub verdict: String,
    /// Why.
    pub reasons: Vec<String>,
}

/// One indicator of compromise.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct IocView {
    /// `ip`, `user_agent`, `model`, ...
    pub kind: String,
    /// The value.
    pub value: String,
}

/// The response checklist.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ChecklistView {
    /// The phases, first ten minutes first.
    pub phases: Vec<PhaseView>,
    /// Items in all.
    pub total: u64,
    /// Done.
    pub done: u64,
    /// Not applicable.
    pub not_applicable: u64,
    /// Remaining.
    pub remaining: u64,
}

/// One phase of the checklist.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct PhaseView {
    /// Stable id.
    pub id: String,
    /// In words.
    pub title: String,
    /// Where its items come from.
    pub source: String,
    /// When it is due, if known.
    pub due_at: Option<String>,
    /// How the due time is counted, or why unknown.
    pub due_note: Option<String>,
    /// Items remaining.
    pub remaining: u64,
    /// The items.
    pub items: Vec<ItemView>,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ItemView {
    /// Stable id.
    pub id: String,
    /// The step.
    pub text: String,
    /// `done`, `not_done`, `not_applicable`.
    pub status: String,
    /// `responder`, `evidence` or `default`.
    pub status_from: String,
    /// What the evidence says about it.
    pub evidence: Option<String>,
    /// The responder's note.
    pub note: Option<String>,
}

/// The notification drafts.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct NotificationsView {
    /// `responder` or `default`.
    pub picked_by: String,
    /// The drafts, one per regime picked.
    pub drafts: Vec<DraftView>,
    /// Every regime that can be picked.
    pub available: Vec<RegimeView>,
}

/// A regime that can be picked.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct RegimeView {
    /// Stable id.
    pub id: String,
    /// In words.
    pub name: String,
}

/// One notification draft.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct DraftView {
    /// The regime's id.
    pub id: String,
    /// The regime in words.
    pub name: String,
    /// Whether and why it applies.
    pub applies: String,
    /// Its deadlines.
    pub deadlines: Vec<DeadlineView>,
    /// The fields, filled from the report or marked unknown.
    pub fields: Vec<FieldView>,
    /// That it is a draft for counsel.
    pub disclaimer: String,
    /// The whole draft as text.
    pub text: String,
}

/// One deadline of a regime.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct DeadlineView {
    /// Stable id.
    pub id: String,
    /// What is due.
    pub what: String,
    /// The rule.
    pub rule: String,
    /// When due (UTC).
    pub due_at: Option<String>,
    /// When due, local time.
    pub due_local: Option<String>,
    /// Seconds left (negative: overdue).
    pub remaining_seconds: Option<i64>,
    /// `open`, `overdue`, `met`, `not_started`, `no_fixed_deadline`...
    pub status: String,
    /// The deadline in words (UTC, local, time left).
    pub text: String,
}

/// One field of a draft.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct FieldView {
    /// Stable id.
    pub id: String,
    /// In words.
    pub label: String,
    /// The value, or an `[UNKNOWN: ...]` marker.
    pub value: String,
    /// Whether the report knows it.
    pub known: bool,
}
