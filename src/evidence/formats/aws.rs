//! aws (stub)

use crate::evidence::out::Out;

/// Reads cloudtrail.
pub fn cloudtrail(_text: &str, _out: &mut Out) {}

/// Reads lookup_events.
pub fn lookup_events(_text: &str, _out: &mut Out) {}

/// Reads bedrock_invocations.
pub fn bedrock_invocations(_text: &str, _out: &mut Out) {}
