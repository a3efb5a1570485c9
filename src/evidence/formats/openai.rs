//! openai (stub)

use crate::evidence::out::Out;

/// Reads usage_api.
pub fn usage_api(_text: &str, _out: &mut Out) {}

/// Reads costs_api.
pub fn costs_api(_text: &str, _out: &mut Out) {}

/// Reads audit_log.
pub fn audit_log(_text: &str, _out: &mut Out) {}

/// Reads usage_csv.
pub fn usage_csv(_text: &str, _out: &mut Out) {}

/// Reads cost_csv.
pub fn cost_csv(_text: &str, _out: &mut Out) {}
