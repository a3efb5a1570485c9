//! Generic assignments: a secret-sounding name given a high-entropy value. Low confidence.

use super::{Confidence, Kind, Rule};

/// Generic rules.
pub const RULES: &[Rule] = &[Rule {
    id: "generic-secret-assignment",
    provider: "unknown",
    title: "High-entropy value assigned to a secret-sounding name",
    kind: Kind::Generic,
    keywords: &["api_key", "apikey", "api-key", "secret", "token", "passwd", "password"],
    pattern: r#"(?i)(?:api[_-]?key|secret|token|passwd|password)[A-Za-z0-9_.-]{0,20}["']?\s*(?::=|=>|=|:)\s*["'`]?(?-i:(?P<s>[A-Za-z0-9_+/=.~-]{24,120}))["'`]?(?:[\s,;)}\]&]|$)"#,
    confidence: Confidence::Low,
    priority: 10,
    min_entropy: 4.0,
    can_do: "unknown: whatever the named service grants; identify the service from the variable name and location",
    revoke: "find the issuing service from the variable name and rotate the value there",
    shape: "{an:12}{dig:4}{an:16}",
    var: "INTERNAL_SERVICE_TOKEN",
    examples: &["INTERNAL_SERVICE_TOKEN=$S", "webhook_secret: \"$S\""],
    negatives: &[
        "password = \"correct-horse-battery-staple\"",
        "token_url = \"https://auth.example.com/oauth/token\"",
        "secret_sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "api_key = 123e4567-e89b-12d3-a456-426614174000",
        "SECRET_KEY_BASE_PATH=/usr/local/share/app/config/secrets/production",
        "\"hashed_token\":\"k5Jq4Y0VmRt8Wz2Lp9Xc3Vb6Nn1Qa7Ss0Dd4Ff5Gg8H=\",",
        "token_id = \"tok_9fK2mQ7xLp4Rz8Wv3Nc6Bd1Hs5Jt0Yg\"",
    ],
    ..Rule::DEFAULT
}];
