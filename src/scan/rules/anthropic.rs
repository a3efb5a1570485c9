//! Anthropic keys and tokens.

use super::{Check, Confidence, Kind, Rule};

const REVOKE: &str =
    "console.anthropic.com/settings/keys: Disable or Delete the key (no API endpoint for deletion)";

/// Anthropic rules.
pub const RULES: &[Rule] = &[
    Rule {
        id: "anthropic-api-key",
        provider: "Anthropic",
        title: "Anthropic API key",
        kind: Kind::InferenceKey,
        keywords: &["sk-ant-api"],
        pattern: r"\b(sk-ant-api[0-9]{2}-[A-Za-z0-9_-]{80,120})",
        check: Check::AnthropicSuffix,
        confidence: Confidence::High,
        can_do: "call Claude models on the workspace, use the Files, Batches and Message APIs, run up the bill",
        revoke: REVOKE,
        shape: "sk-ant-api03-{b64u:93}AA",
        var: "ANTHROPIC_API_KEY",
        examples: &["ANTHROPIC_API_KEY=$S", "x-api-key: $S", "client = anthropic.Anthropic(api_key='$S')"],
        negatives: &["ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAA", "sk-ant-api03-short"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "anthropic-admin-key",
        provider: "Anthropic",
        title: "Anthropic Admin API key",
        kind: Kind::AdminKey,
        keywords: &["sk-ant-admin"],
        pattern: r"\b(sk-ant-admin[0-9]{2}-[A-Za-z0-9_-]{80,120})",
        check: Check::AnthropicSuffix,
        confidence: Confidence::High,
        priority: 60,
        can_do: "manage the organisation: members, invites, workspaces, API keys; read usage and cost reports",
        revoke: "console.anthropic.com/settings/admin-keys: delete the admin key (organisation admin)",
        shape: "sk-ant-admin01-{b64u:93}AA",
        var: "ANTHROPIC_ADMIN_KEY",
        examples: &["ANTHROPIC_ADMIN_KEY=\"$S\""],
        negatives: &["sk-ant-admin01-REPLACE_ME"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "anthropic-oauth-access-token",
        provider: "Anthropic",
        title: "Claude Code OAuth access token",
        kind: Kind::OauthAccessToken,
        keywords: &["sk-ant-oat"],
        pattern: r"\b(sk-ant-oat[0-9]{2}-[A-Za-z0-9_-]{40,200})",
        confidence: Confidence::High,
        can_do: "act as the signed-in Claude subscriber: run Claude Code and use the subscription's model quota",
        revoke: "claude.ai Settings: log out of all sessions; run `claude /logout` on the machine; the refresh token must go too",
        shape: "sk-ant-oat01-{b64u:93}AA",
        var: "CLAUDE_CODE_OAUTH_TOKEN",
        examples: &["CLAUDE_CODE_OAUTH_TOKEN=$S", "\"accessToken\":\"$S\""],
        negatives: &["sk-ant-oat01-..."],
        ..Rule::DEFAULT
    },
    Rule {
        id: "anthropic-oauth-refresh-token",
        provider: "Anthropic",
        title: "Claude Code OAuth refresh token",
        kind: Kind::OauthRefreshToken,
        keywords: &["sk-ant-ort"],
        pattern: r"\b(sk-ant-ort[0-9]{2}-[A-Za-z0-9_-]{40,200})",
        confidence: Confidence::High,
        priority: 55,
        can_do: "mint new Claude Code access tokens for the subscriber until revoked",
        revoke: "claude.ai Settings: log out of all sessions (revokes refresh tokens); `claude /logout`",
        shape: "sk-ant-ort01-{b64u:93}AA",
        var: "CLAUDE_REFRESH_TOKEN",
        examples: &["\"refreshToken\":\"$S\""],
        negatives: &["sk-ant-ort01-<token>"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "anthropic-session-key",
        provider: "Anthropic",
        title: "claude.ai sessionKey cookie",
        kind: Kind::SessionCookie,
        keywords: &["sk-ant-sid"],
        pattern: r"\b(sk-ant-sid[0-9]{2}-[A-Za-z0-9_-]{40,200})",
        confidence: Confidence::High,
        can_do: "act as the logged-in claude.ai user: read and write conversations, projects and files",
        revoke: "claude.ai Settings > Account: log out of all devices",
        shape: "sk-ant-sid01-{b64u:86}AA",
        var: "CLAUDE_SESSION_KEY",
        examples: &["Cookie: sessionKey=$S; other=1"],
        negatives: &["sessionKey=sk-ant-sid01-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
        ..Rule::DEFAULT
    },
];
