//! gcp (stub)

use crate::evidence::out::Out;

/// Reads audit_log.
pub fn audit_log(_text: &str, _out: &mut Out) {}
