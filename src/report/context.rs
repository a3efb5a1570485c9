//! What the responder tells the engine besides the evidence. It belongs to the report, the
//! engine's top stage: each stage below is handed only the part it reads (the evidence stage
//! the column mappings, the scan its [`crate::scan::Options`]).

use crate::evidence::Mappings;
use crate::scan::known_key::KnownKey;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Inputs to [`crate::triage`] that are not evidence files.
///
/// The engine never reads a clock: the report's time and the awareness time come from here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Context {
    /// When the report is made (UTC). `None` leaves the report undated (useful for golden files).
    pub now: Option<DateTime<Utc>>,
    /// When the organisation became aware of the leak: the start of the notification clocks.
    pub awareness: Option<DateTime<Utc>>,
    /// Column mappings for CSV files of an unknown layout, keyed by the file's SHA-256 (or,
    /// failing that, its name). Given by the responder for this session only.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub csv_mappings: Mappings,
    /// Keys the responder knows leaked (whole, `prefix…last4`, or a console key id), searched
    /// in every evidence text. Read from a file, never serialised (not even redacted).
    #[serde(skip_serializing)]
    pub known_keys: Vec<KnownKey>,
    /// SHA-256 fingerprints of findings to ignore (false positives, accepted test keys).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignore_fingerprints: Vec<String>,
    /// When the responder knows the compromise started (UTC): used as every key's baseline end
    /// instead of the change-point estimate.
    pub compromise_start: Option<DateTime<Utc>>,
    /// Detector thresholds overriding the documented defaults (any field may be omitted).
    pub detect_params: Option<crate::detect::DetectParams>,
    /// The blast-radius questionnaire's answers (every field optional, `unknown` allowed).
    #[serde(skip_serializing_if = "crate::scope::Answers::is_empty")]
    pub answers: crate::scope::Answers,
    /// The responder's offset from UTC in minutes, for local times in the report (the page
    /// sets it from the browser). `None`: times are shown in UTC only.
    pub utc_offset_minutes: Option<i32>,
    /// The responder's checklist states by item id (docs/report.md lists the ids).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub checklist: BTreeMap<String, super::ItemState>,
    /// The notification regimes to draft, by stable id (docs/report.md); empty: the default.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regimes: Vec<String>,
    /// Incident facts the evidence cannot show (revocation, public exposure, organisation...).
    #[serde(skip_serializing_if = "super::IncidentFacts::is_empty")]
    pub incident: super::IncidentFacts,
}

impl Context {
    /// What the scan is told: the known keys and the fingerprints to ignore. The rules files
    /// are evidence files, not context: the triage adds those it finds among the inputs.
    pub fn scan_options(&self) -> crate::scan::Options<'_> {
        crate::scan::Options {
            known_keys: &self.known_keys,
            ignore_fingerprints: &self.ignore_fingerprints,
            rule_files: &[],
        }
    }
}
