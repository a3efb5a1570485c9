//! github (stub)

use crate::evidence::out::Out;

/// Reads audit_log.
pub fn audit_log(_text: &str, _out: &mut Out) {}

/// Reads secret_alerts.
pub fn secret_alerts(_text: &str, _out: &mut Out) {}
