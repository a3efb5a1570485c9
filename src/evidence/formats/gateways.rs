//! gateways (stub)

use crate::evidence::out::Out;

/// Reads litellm.
pub fn litellm(_text: &str, _out: &mut Out) {}

/// Reads openrouter_csv.
pub fn openrouter_csv(_text: &str, _out: &mut Out) {}

/// Reads helicone.
pub fn helicone(_text: &str, _out: &mut Out) {}

/// Reads langfuse.
pub fn langfuse(_text: &str, _out: &mut Out) {}

/// Reads cloudflare.
pub fn cloudflare(_text: &str, _out: &mut Out) {}
