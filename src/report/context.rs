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
    /// Fingerprints of findings to ignore (false positives, accepted test keys): keyed
    /// fingerprints made with [`Context::fingerprint_key`], or `sha256:HEX`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignore_fingerprints: Vec<String>,
    /// The key of the report's secret fingerprints (64 hex digits). Kept in the context and
    /// session files, never in an export; the command line and the page make one when none is
    /// given. `None`: fingerprints are unkeyed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint_key: Option<crate::secret::FingerprintKey>,
    /// When the responder knows the compromise started (UTC): used as every key's baseline end
    /// instead of the change-point estimate.
    pub compromise_start: Option<DateTime<Utc>>,
    /// Credentials and principals to focus the run on (key ids, ARNs, user, role or
    /// service-account names, e-mails). When any is given, only their events, and those of
    /// what they went on to create, are kept and analysed; the rest are counted
    /// ([`crate::evidence::focus`]), so logs larger than memory can be read. The known keys
    /// are focused on too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub focus: Vec<String>,
    /// Agent sessions or agents the responder names as having run under the leaked credential
    /// (a session id or its first 8 or more characters, or an agent's name).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agent_sessions: Vec<String>,
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
    /// The values out of their accepted range, each naming its field; the command line refuses
    /// such a context, and the engine brings the values into range rather than fail.
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .dates()
            .into_iter()
            .filter(|(_, t)| !in_range(t))
            .map(|(name, t)| {
                format!(
                    "{name} is {}; the accepted range is 1970-01-01 to 9999-12-31",
                    crate::format::rfc3339(&t)
                )
            })
            .collect();
        out.extend(
            self.detect_params
                .iter()
                .flat_map(|p| p.problems())
                .map(|p| format!("detect_params.{p}")),
        );
        out
    }

    /// The context the engine works with: a time outside 1970 to 9999 is taken as not given,
    /// and the detector parameters are brought into their ranges. Unchanged (not copied) when
    /// every value is in range.
    pub fn sanitized(&self) -> std::borrow::Cow<'_, Context> {
        if self.problems().is_empty() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut c = self.clone();
        let keep = |t: &mut Option<DateTime<Utc>>| {
            if t.as_ref().is_some_and(|t| !in_range(t)) {
                *t = None;
            }
        };
        keep(&mut c.now);
        keep(&mut c.awareness);
        keep(&mut c.compromise_start);
        keep(&mut c.incident.exposed_publicly_at);
        keep(&mut c.incident.revoked_at);
        keep(&mut c.incident.determined_at);
        c.incident.notified_at.retain(|_, t| in_range(t));
        c.detect_params = c.detect_params.map(|p| p.clamped());
        std::borrow::Cow::Owned(c)
    }

    /// Every time the context holds, by its field's name.
    fn dates(&self) -> Vec<(String, DateTime<Utc>)> {
        let mut out: Vec<(String, DateTime<Utc>)> = [
            ("now", self.now),
            ("awareness", self.awareness),
            ("compromise_start", self.compromise_start),
            (
                "incident.exposed_publicly_at",
                self.incident.exposed_publicly_at,
            ),
            ("incident.revoked_at", self.incident.revoked_at),
            ("incident.determined_at", self.incident.determined_at),
        ]
        .into_iter()
        .filter_map(|(n, t)| Some((n.to_string(), t?)))
        .collect();
        out.extend(
            self.incident
                .notified_at
                .iter()
                .map(|(k, t)| (format!("incident.notified_at.{k}"), *t)),
        );
        out
    }

    /// What the scan is told: the known keys and the fingerprints to ignore. The rules files
    /// are evidence files, not context: the triage adds those it finds among the inputs.
    pub fn scan_options(&self) -> crate::scan::Options<'_> {
        crate::scan::Options {
            known_keys: &self.known_keys,
            ignore_fingerprints: &self.ignore_fingerprints,
            fingerprint_key: self.fingerprint_key.unwrap_or_default(),
            rule_files: &[],
            focused: self.focused(),
        }
    }

    /// Whether the run is focused: a name to focus on is given ([`Context::focus`]).
    pub fn focused(&self) -> bool {
        self.focus.iter().any(|f| !f.trim().is_empty())
    }
}

/// Whether a time is one a report can hold and compute deadlines from (1970 to 9999).
fn in_range(t: &DateTime<Utc>) -> bool {
    (0..=253_402_300_799).contains(&t.timestamp())
}
