//! The rule catalog: data files, one per provider family (`src/scan/rules/<family>.toml`),
//! compiled into `&'static` Rust by `build.rs`; each rule carries its own examples.
//!
//! A rule names the provider, the credential kind, what such a credential can usually do, where
//! to revoke it, the keywords the prefilter looks for, a linear-time regex (group 1, or the named
//! group `s`, is the secret), the structural check, and the confidence a match gives.
//! `examples` are templates in which `$S` stands for a generated fake value of the rule's
//! `shape`; each must be found. `negatives` must not be found by the rule. The file format and
//! the `shape` mini-language: docs/scan.md ("Rule files") and the header of each data file.

pub mod schema;

use serde::{Deserialize, Serialize};

/// What kind of credential a rule finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A key that calls a model API (inference, embeddings, files...).
    InferenceKey,
    /// An organisation admin key: manages keys, members, billing.
    AdminKey,
    /// An OAuth access token.
    OauthAccessToken,
    /// An OAuth refresh token (mints access tokens).
    OauthRefreshToken,
    /// An OAuth client secret.
    OauthClientSecret,
    /// An OAuth client id: the public name of an OAuth app (half of a pair, not a secret).
    OauthClientId,
    /// A browser session cookie.
    SessionCookie,
    /// A cloud access key id (half of a pair).
    CloudAccessKeyId,
    /// A cloud secret key.
    CloudSecretKey,
    /// A cloud service account key file.
    ServiceAccountKey,
    /// A database URL or connection string with a password.
    DatabaseUrl,
    /// A private key (PEM, OpenSSH, PGP, PuTTY, age).
    PrivateKey,
    /// A signed JSON Web Token.
    Jwt,
    /// A source-hosting token (GitHub, GitLab, Azure DevOps).
    VcsToken,
    /// A package registry token.
    PackageToken,
    /// A chat or bot token.
    BotToken,
    /// A webhook URL or signing secret.
    Webhook,
    /// A payment API key.
    PaymentKey,
    /// Any other API key or token.
    ApiKey,
    /// A password or secret in a generic assignment.
    Generic,
    /// Found by a responder's rule that declares no kind.
    Custom,
}

impl Kind {
    /// Whether a value of the kind is a public identifier, not a secret: shown whole, no
    /// finding alone, only the partner of its secret (an OAuth client id).
    pub fn public_identifier(self) -> bool {
        self == Kind::OauthClientId
    }

    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            Kind::InferenceKey => "inference API key",
            Kind::AdminKey => "admin key",
            Kind::OauthAccessToken => "OAuth access token",
            Kind::OauthRefreshToken => "OAuth refresh token",
            Kind::OauthClientSecret => "OAuth client secret",
            Kind::OauthClientId => "OAuth client id",
            Kind::SessionCookie => "session cookie",
            Kind::CloudAccessKeyId => "cloud access key id",
            Kind::CloudSecretKey => "cloud secret key",
            Kind::ServiceAccountKey => "service account key",
            Kind::DatabaseUrl => "database URL",
            Kind::PrivateKey => "private key",
            Kind::Jwt => "JSON Web Token",
            Kind::VcsToken => "source hosting token",
            Kind::PackageToken => "package registry token",
            Kind::BotToken => "bot token",
            Kind::Webhook => "webhook",
            Kind::PaymentKey => "payment key",
            Kind::ApiKey => "API key",
            Kind::Generic => "generic secret",
            Kind::Custom => "secret (custom rule)",
        }
    }
}

/// How much a match alone says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Known only by context (variable name, host) or a generic assignment.
    Low,
    /// A distinctive prefix and shape, no structure to check.
    Medium,
    /// A distinctive prefix plus a marker, checksum or fixed structure.
    High,
}

/// The structural check a rule's matches get: the offline stand-in for live verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Nothing to check.
    None,
    /// OpenAI's `T3BlbkFJ` marker (base64 of "OpenAI").
    OpenAiMarker,
    /// Anthropic: fixed length (108 API, 110 admin) and `AA` suffix.
    AnthropicSuffix,
    /// GitHub token: last 6 characters are base62(CRC32(body)).
    GithubCrc32,
    /// Microsoft 84-character annotated key: `JQQJ99` signature, `[A-L]` version, service tag.
    AzureAnnotated,
    /// Azure DevOps PAT: `JQQJ9` signature and `AZDO` tag.
    AzureDevops,
    /// AWS key id: base32 alphabet after the prefix.
    AwsKeyId,
    /// JWT: header and payload decode to JSON objects, header names an `alg`.
    Jwt,
    /// PEM block: matching BEGIN/END labels, base64 body.
    Pem,
    /// GCP service-account JSON: type, client_email, private_key_id, private_key.
    ServiceAccount,
    /// Groq: `WGdyb3FY` marker seen in issued keys.
    GroqMarker,
    /// age: bech32 checksum.
    Bech32,
    /// Azure storage key: base64 of 64 bytes.
    Base64Len64,
    /// A fixed total length (checked by the regex; reported valid when it holds).
    FixedShape,
}

/// One rule of the catalog.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id (used in SARIF and ignore lists).
    pub id: &'static str,
    /// The provider.
    pub provider: &'static str,
    /// What it is, in a few words.
    pub title: &'static str,
    /// The credential kind.
    pub kind: Kind,
    /// Lower-case keywords for the prefilter; the rule's regex runs only near them.
    pub keywords: &'static [&'static str],
    /// The regex (Rust `regex` syntax, byte-oriented, ASCII): group `s` or 1 is the secret.
    pub pattern: &'static str,
    /// The structural check.
    pub check: Check,
    /// The confidence a valid match gives.
    pub confidence: Confidence,
    /// Whether the format is known only by context (keywords are the context).
    pub context_only: bool,
    /// How far (bytes) around a keyword the regex looks; 0 = the keyword's own line.
    pub span: usize,
    /// Minimum Shannon entropy (bits/char) of the secret; below it the match is a placeholder.
    pub min_entropy: f32,
    /// On overlapping matches the higher priority wins.
    pub priority: u8,
    /// What such a credential can usually do.
    pub can_do: &'static str,
    /// Where and how to revoke it.
    pub revoke: &'static str,
    /// Generator shape for fake values (see `scan::fake`).
    pub shape: &'static str,
    /// A typical variable name holding it (the corpus plants it there).
    pub var: &'static str,
    /// Positive examples: `$S` is replaced by a fake value of `shape`.
    pub examples: &'static [&'static str],
    /// Negative examples: must not be found by this rule.
    pub negatives: &'static [&'static str],
    /// Whether the secret spans lines (PEM, JSON key files).
    pub multiline: bool,
    /// The capture group holding the secret (a gitleaks `secretGroup`); 0: group `s`, else
    /// group 1, else the whole match.
    pub secret_group: usize,
    /// Public sources for the format (titles or addresses), where known.
    pub sources: &'static [&'static str],
    /// Empty for the built-in catalog; for a responder's rule, the rules file it came from.
    pub origin: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The whole catalog, in a fixed order.
pub fn catalog() -> Vec<&'static Rule> {
    CATALOG.iter().collect()
}

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    catalog().into_iter().find(|r| r.id == id)
}

impl Check {
    /// The check in words, for the docs.
    pub fn label(self) -> &'static str {
        match self {
            Check::None => "none",
            Check::OpenAiMarker => "T3BlbkFJ marker",
            Check::AnthropicSuffix => "length + AA suffix",
            Check::GithubCrc32 => "CRC32 base62 checksum",
            Check::AzureAnnotated => "JQQJ99 signature + ACOG tag",
            Check::AzureDevops => "JQQJ9 signature + AZDO tag",
            Check::AwsKeyId => "base32 alphabet",
            Check::Jwt => "JWT header/payload JSON",
            Check::Pem => "PEM labels + base64 body",
            Check::ServiceAccount => "service-account JSON + PEM key",
            Check::GroqMarker => "WGdyb3FY marker (observed)",
            Check::Bech32 => "bech32 checksum",
            Check::Base64Len64 => "base64 of 64 bytes",
            Check::FixedShape => "fixed prefix + length",
        }
    }
}

/// The catalog as a Markdown table (docs/scan.md holds it; a test keeps them in sync).
pub fn markdown_table() -> String {
    let mut s = String::from("| id | provider | kind | confidence | needs context | structure check | revoke |\n|---|---|---|---|---|---|---|\n");
    for r in catalog() {
        s.push_str(&format!(
            "| `{}` | {} | {} | {:?} | {} | {} | {} |\n",
            r.id,
            r.provider,
            r.kind.label(),
            r.confidence,
            if r.context_only { "yes" } else { "no" },
            r.check.label(),
            r.revoke.replace('|', "\\|")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::schema::{escape, snake_name, variant_name};
    use super::*;

    #[test]
    fn the_format_escapes_keywords_as_the_regex_crate_does() {
        for r in catalog() {
            for k in r.keywords {
                assert_eq!(escape(k), regex::escape(k), "{}", r.id);
            }
        }
    }

    #[test]
    fn names_in_rule_files_are_the_serialised_names() {
        for r in catalog() {
            for (variant, json) in [
                (format!("{:?}", r.kind), serde_json::to_value(r.kind)),
                (format!("{:?}", r.check), serde_json::to_value(r.check)),
                (
                    format!("{:?}", r.confidence),
                    serde_json::to_value(r.confidence),
                ),
            ] {
                let name = json.ok().and_then(|v| v.as_str().map(str::to_string));
                assert_eq!(Some(snake_name(&variant)), name);
                assert_eq!(variant_name(&snake_name(&variant)), variant);
            }
        }
    }

    #[test]
    fn catalog_is_in_family_order_and_ids_are_unique() {
        let rules = catalog();
        assert_eq!(rules.len(), CATALOG_LEN);
        assert_eq!(rules[0].id, "openai-project-key");
        assert_eq!(rules[rules.len() - 1].id, "generic-secret-assignment");
        let ids: std::collections::HashSet<_> = rules.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), rules.len());
        assert!(rules.iter().all(|r| r.origin.is_empty()));
        assert_eq!(rule("jwt").map(|r| r.kind), Some(Kind::Jwt));
    }
}
