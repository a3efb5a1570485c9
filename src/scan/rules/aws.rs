//! Amazon Web Services credentials.

use super::{Check, Confidence, Kind, Rule};

const REVOKE: &str = "IAM console > Users > Security credentials: deactivate then delete the access key (aws iam delete-access-key); temporary ASIA keys: revoke the role's sessions";

/// AWS rules.
pub const RULES: &[Rule] = &[
    Rule {
        id: "aws-access-key-id",
        provider: "AWS",
        title: "AWS access key id",
        kind: Kind::CloudAccessKeyId,
        keywords: &["akia", "asia", "abia", "acca", "a3t"],
        pattern: r"\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b",
        check: Check::AwsKeyId,
        confidence: Confidence::High,
        can_do: "with its secret key: everything the IAM user or role may do in the account (Bedrock, S3, IAM...)",
        revoke: REVOKE,
        shape: "AKIA{b32:16}",
        var: "AWS_ACCESS_KEY_ID",
        examples: &["AWS_ACCESS_KEY_ID=$S", "aws_access_key_id = $S", "\"AccessKeyId\": \"$S\""],
        negatives: &["AKIAIOSFODNN7EXAMPLE", "ASIAN_AMERICAN_HERITAGE_MONTH"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "aws-secret-access-key",
        provider: "AWS",
        title: "AWS secret access key (by context)",
        kind: Kind::CloudSecretKey,
        keywords: &["secret_access_key", "secretaccesskey", "aws_secret", "secret-access-key", "aws secret"],
        pattern: r#"(?i)(?:secret_?access_?key|aws_?secret(?:_?key)?|secret-access-key|aws secret(?: access)? key)["']?\s*[:=]{1,2}>?\s*["']?(?-i:([A-Za-z0-9/+]{40}))(?:[^A-Za-z0-9/+=]|$)"#,
        confidence: Confidence::Medium,
        context_only: true,
        min_entropy: 4.0,
        can_do: "with the key id: everything the IAM user or role may do in the account",
        revoke: REVOKE,
        shape: "{b64:40}",
        var: "AWS_SECRET_ACCESS_KEY",
        examples: &["AWS_SECRET_ACCESS_KEY=$S", "aws_secret_access_key = $S", "\"SecretAccessKey\": \"$S\""],
        negatives: &["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = da39a3ee5e6b4b0d3255bfef95601890afd80709"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "aws-session-token",
        provider: "AWS",
        title: "AWS session token (by context)",
        kind: Kind::OauthAccessToken,
        keywords: &["session_token", "sessiontoken", "security_token"],
        pattern: r#"(?i)(?:aws_?)?(?:session|security)_?token["']?\s*[:=]{1,2}>?\s*["']?(?-i:([A-Za-z0-9/+]{100,2000}={0,3}))"#,
        confidence: Confidence::Medium,
        context_only: true,
        min_entropy: 4.0,
        can_do: "act as the assumed role until the session expires (minutes to 36 hours)",
        revoke: "IAM console > Roles > the role > Revoke active sessions",
        shape: "FwoGZXIvYXdzE{b64:300}",
        var: "AWS_SESSION_TOKEN",
        examples: &["AWS_SESSION_TOKEN=$S"],
        negatives: &["AWS_SESSION_TOKEN=${AWS_SESSION_TOKEN}"],
        ..Rule::DEFAULT
    },
];
