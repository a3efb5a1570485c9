//! What the responder decides for the report, carried in the [`crate::Context`]: checklist
//! item states, incident facts the evidence cannot show, and (in the context itself) the
//! notification regimes picked and the UTC offset for local times.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A checklist item's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Done.
    Done,
    /// Not done yet.
    NotDone,
    /// Does not apply to this incident.
    NotApplicable,
}

impl ItemStatus {
    /// The status's snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Done => "done",
            ItemStatus::NotDone => "not_done",
            ItemStatus::NotApplicable => "not_applicable",
        }
    }

    /// The status in words.
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Done => "done",
            ItemStatus::NotDone => "not done",
            ItemStatus::NotApplicable => "n/a",
        }
    }
}

/// The responder's state for one checklist item (overrides what the evidence suggests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemState {
    /// Done, not done, or not applicable.
    pub status: ItemStatus,
    /// The responder's note (who, when, where).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Incident facts the responder knows and the evidence cannot show. Every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentFacts {
    /// The organisation's name, for the notification drafts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// The DPO or other contact point (GDPR Art. 33(3)(b)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// How the leak was discovered (secret-scanning alert, billing spike, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovered_how: Option<String>,
    /// When the secret was first exposed publicly (public push, paste), where known (UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposed_publicly_at: Option<DateTime<Utc>>,
    /// When the leaked credential was revoked (UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the organisation determined the incident is a breach, material or notifiable
    /// (UTC): the clock start for the regimes that run from a determination or assessment
    /// (SEC 8-K materiality, Colorado, Florida, Texas, Singapore, Canada).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub determined_at: Option<DateTime<Utc>>,
    /// When each regime's first notification was sent (UTC), by regime id: marks that
    /// deadline met and starts the follow-up clocks (NIS2 final report, California AG).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub notified_at: BTreeMap<String, DateTime<Utc>>,
}

impl IncidentFacts {
    /// True when nothing is set (the context then omits the field).
    pub fn is_empty(&self) -> bool {
        self == &IncidentFacts::default()
    }
}
