//! anthropic (stub)

use crate::evidence::out::Out;

/// Reads usage_report.
pub fn usage_report(_text: &str, _out: &mut Out) {}

/// Reads cost_report.
pub fn cost_report(_text: &str, _out: &mut Out) {}

/// Reads usage_csv.
pub fn usage_csv(_text: &str, _out: &mut Out) {}

/// Reads cost_csv.
pub fn cost_csv(_text: &str, _out: &mut Out) {}
