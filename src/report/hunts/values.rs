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
    /// GCP service-account key names the audit logs named
    /// (`//iam.googleapis.com/projects/P/serviceAccounts/EMAIL/keys/HEX`).
    pub gcp_key_names: Vec<String>,
    /// GCP principals (service accounts or users, by e-mail) seen with a GCP key or login.
    pub gcp_principals: Vec<String>,
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

/// Whether `s` is an e-mail address of the plain shape GCP principals have (letters, digits,
/// `.`, `_`, `%`, `+`, `-`; one `@`; a dotted domain): nothing that can end a literal.
pub fn is_principal_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let plain = |c: char, extra: &str| c.is_ascii_alphanumeric() || extra.contains(c);
    s.len() <= 254
        && !local.is_empty()
        && local.chars().all(|c| plain(c, "._%+-"))
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.chars().all(|c| plain(c, ".-"))
}

/// Whether `s` is a GCP service-account key name as Cloud Audit Logs write it in
/// `authenticationInfo.serviceAccountKeyName`.
pub fn is_gcp_key_name(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("//iam.googleapis.com/projects/") else {
        return false;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    matches!(parts.as_slice(), [project, "serviceAccounts", email, "keys", id]
        if !project.is_empty()
            && project.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && is_principal_email(email)
            && !id.is_empty()
            && id.len() <= 64
            && id.bytes().all(|b| b.is_ascii_hexdigit()))
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
            if k.provider.to_ascii_lowercase().starts_with(name) && !v.providers.contains(&name) {
                v.providers.push(name);
            }
        }
    }
    for k in &r.detection.keys {
        if !matches!(k.provider.as_str(), "gcp" | "gcp_vertex" | "gemini_api") {
            continue;
        }
        let (list, ok) = if k.key.starts_with("//") {
            (&mut v.gcp_key_names, is_gcp_key_name(&k.key))
        } else {
            (&mut v.gcp_principals, is_principal_email(&k.key))
        };
        if ok {
            if !list.contains(&k.key) {
                list.push(k.key.clone());
            }
        } else {
            v.rejected.push(format!(
                "a GCP key name or principal of an unexpected shape ({})",
                crate::format::head(&k.key, 40)
            ));
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
    v.gcp_key_names.sort();
    v.gcp_principals.sort();
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

    #[test]
    fn gcp_principals_and_key_names_are_checked_by_shape() {
        assert!(is_principal_email("bot@my-project.iam.gserviceaccount.com"));
        assert!(is_principal_email("pc.cf@elastic.co"));
        assert!(!is_principal_email("x' OR 1=1 --@a.b"));
        assert!(!is_principal_email("a\\@b.c"));
        assert!(!is_principal_email("nobody"));
        assert!(!is_principal_email("a@b"));
        let name = "//iam.googleapis.com/projects/my-project/serviceAccounts/bot@my-project.iam.gserviceaccount.com/keys/0123456789abcdef0123456789abcdef01234567";
        assert!(is_gcp_key_name(name));
        assert!(!is_gcp_key_name(&name.replace("0123", "01'3")));
        assert!(!is_gcp_key_name(&format!("{name}/extra")));
        assert!(!is_gcp_key_name(
            "//iam.googleapis.com/projects/p/serviceAccounts/x/keys/1"
        ));
    }
}
