//! What the responder tells the engine besides the evidence.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
    /// When the responder knows the compromise started (UTC): used as every key's baseline end
    /// instead of the change-point estimate.
    pub compromise_start: Option<DateTime<Utc>>,
    /// Detector thresholds overriding the documented defaults (any field may be omitted).
    pub detect_params: Option<crate::detect::DetectParams>,
}
