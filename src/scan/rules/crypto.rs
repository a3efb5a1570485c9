//! Private keys and signed tokens.

use super::{Check, Confidence, Kind, Rule};

const KEY_REVOKE: &str = "replace the key pair and remove the public half wherever it is trusted (authorized_keys, deploy keys, TLS certificates: revoke the certificate)";

/// Key rules.
pub const RULES: &[Rule] = &[
    Rule {
        id: "private-key-pem",
        provider: "Private key",
        title: "Private key (PEM / OpenSSH / PGP)",
        kind: Kind::PrivateKey,
        keywords: &["private key"],
        pattern: r"(?i)(-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\sA-Za-z0-9+/=:,.\\-]{64,20000}?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)",
        check: Check::Pem,
        confidence: Confidence::High,
        multiline: true,
        span: 20000,
        priority: 70,
        min_entropy: 3.5,
        can_do: "authenticate as the key's owner (SSH hosts, Git remotes, TLS servers, signing)",
        revoke: KEY_REVOKE,
        shape: "@pem",
        var: "PRIVATE_KEY",
        examples: &["$S", "key: |\n  $S"],
        negatives: &["-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "putty-private-key",
        provider: "Private key",
        title: "PuTTY private key file",
        kind: Kind::PrivateKey,
        keywords: &["putty-user-key-file-"],
        pattern: r"(PuTTY-User-Key-File-[23]: [\s\S]{20,8000}?Private-MAC: [a-f0-9]{40,64})",
        confidence: Confidence::High,
        multiline: true,
        span: 8000,
        priority: 70,
        can_do: "authenticate as the key's owner over SSH",
        revoke: KEY_REVOKE,
        shape: "@putty",
        var: "PPK",
        examples: &["$S"],
        negatives: &["PuTTY-User-Key-File-2: ssh-rsa"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "age-secret-key",
        provider: "Private key",
        title: "age secret key",
        kind: Kind::PrivateKey,
        keywords: &["age-secret-key-1"],
        pattern: r"\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b",
        check: Check::Bech32,
        confidence: Confidence::High,
        can_do: "decrypt every file encrypted to the matching age recipient (SOPS secrets included)",
        revoke: "generate a new identity, re-encrypt the files to it, remove the old recipient",
        shape: "@age",
        var: "SOPS_AGE_KEY",
        examples: &["SOPS_AGE_KEY=$S", "# created: 2026-01-01\n$S"],
        negatives: &["AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "jwt",
        provider: "JWT",
        title: "JSON Web Token",
        kind: Kind::Jwt,
        keywords: &["eyj"],
        pattern: r"\b(eyJ[A-Za-z0-9_-]{15,2000}\.eyJ[A-Za-z0-9_-]{15,8000}\.[A-Za-z0-9_-]{16,2000})",
        check: Check::Jwt,
        confidence: Confidence::Medium,
        priority: 40,
        can_do: "act as the token's subject until it expires (Supabase service_role tokens bypass row-level security)",
        revoke: "rotate the issuer's signing secret or revoke the session; Supabase: rotate the JWT secret / API keys",
        shape: "@jwt",
        var: "SUPABASE_SERVICE_ROLE_KEY",
        examples: &["SUPABASE_SERVICE_ROLE_KEY=$S", "Authorization: Bearer $S"],
        negatives: &["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"],
        ..Rule::DEFAULT
    },
];
