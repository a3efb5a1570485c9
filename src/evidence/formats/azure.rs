//! azure (stub)

use crate::evidence::out::Out;

/// Reads resource_log.
pub fn resource_log(_text: &str, _out: &mut Out) {}

/// Reads activity_log.
pub fn activity_log(_text: &str, _out: &mut Out) {}
