//! What the hunts are built from: the report's AWS access key ids, attacker IPs, the providers
//! of its leaked credentials, and the window to search, each value checked against its shape.

use crate::report::Report;
use crate::scan::rules::Kind;
use chrono::{DateTime, Duration, Utc};
use std::net::IpAddr;

/// The values, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    /// AWS access key ids (`AKIA…` / `ASIA…`, 20 upper-case letters and digits).
    pub aws_key_ids: Vec<String>,
    /// Attacker IP addresses, as parsed.
    pub attacker_ips: Vec<IpAddr>,
    /// Providers with a leaked credential or abused key: `openai`, `anthropic`, `azure`.
    pub providers: Vec<&'static str>,
    /// The window's start: a day before the earliest exposure or suspicious use.
    pub from: Option<DateTime<Utc>>,
    /// Values left out, with why.
    pub rejected: Vec<String>,
}

/// Whether `s` is an AWS access key id.
pub fn is_aws_key_id(s: &str) -> bool {
    s.len() == 20
        && (s.starts_with("AKIA") || s.starts_with("ASIA"))
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// The hunts' values from a report.
pub fn of(r: &Report, ctx: &crate::Context) -> Values {
    let mut v = Values::default();
    let push_key = |k: &str, v: &mut Values| {
        if is_aws_key_id(k) {
            if !v.aws_key_ids.iter().any(|x| x == k) {
                v.aws_key_ids.push(k.to_string());
            }
        } else if k.starts_with("AKIA") || k.starts_with("ASIA") {
            v.rejected.push(format!(
                "a key id that is not 20 upper-case letters and digits ({})",
                crate::format::head(k, 24)
            ));
        }
    };
    for s in &r.scan.secrets {
        if s.kind == Kind::CloudAccessKeyId {
            if let Some(k) = s.reveal() {
                push_key(k, &mut v);
            }
        }
        // The key id of a pair (found beside its secret access key).
        if let Some(k) = s
            .partner
            .as_ref()
            .filter(|p| p.kind == Kind::CloudAccessKeyId)
        {
            if let Some(k) = k.reveal() {
                push_key(k, &mut v);
            }
        }
        let p = s.provider.to_ascii_lowercase();
        for name in ["openai", "anthropic", "azure"] {
            if p.contains(name) && !v.providers.contains(&name) {
                v.providers.push(name);
            }
        }
    }
    for k in &r.detection.keys {
        push_key(&k.key, &mut v);
        for name in ["openai", "anthropic", "azure"] {
            if k.provider.eq_ignore_ascii_case(name) && !v.providers.contains(&name) {
                v.providers.push(name);
            }
        }
    }
    for ip in &r.detection.timeline.attacker_ips {
        match ip.value.parse::<IpAddr>() {
            Ok(a) => v.attacker_ips.push(a),
            Err(_) => v.rejected.push(format!(
                "an attacker address that is not an IP address ({})",
                crate::format::head(&ip.value, 40)
            )),
        }
    }
    v.aws_key_ids.sort();
    v.providers.sort();
    let starts = r
        .summary
        .timeline
        .iter()
        .filter(|m| {
            matches!(
                m.id.as_str(),
                "secret_introduced" | "exposed_publicly" | "first_suspicious_use"
            )
        })
        .filter_map(|m| m.at)
        .chain(ctx.compromise_start);
    v.from = starts.min().map(|t| t - Duration::days(1));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_checked_by_shape() {
        assert!(is_aws_key_id("AKIAIOSFODNN7EXAMPLE"));
        assert!(is_aws_key_id("ASIAIOSFODNN7EXAMPLE"));
        assert!(!is_aws_key_id("AKIAIOSFODNN7EXAMPL'"));
        assert!(!is_aws_key_id("AKIA' OR '1'='1'--xx"));
        assert!(!is_aws_key_id("akiaiosfodnn7example"));
        assert!(!is_aws_key_id("AKIAIOSFODNN7EXAMPLEX"));
    }
}
