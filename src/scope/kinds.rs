//! Credential kinds, their containment priority, and how a scan
//! rule, a key prefix or a usage key id maps to a kind. Every mapping is a data row.

use serde::{Deserialize, Serialize};

/// What a credential is, for the blast radius.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredKind {
    /// A key that calls a model API.
    InferenceKey,
    /// A project-scoped model API key (OpenAI `sk-proj-`).
    ProjectKey,
    /// A service-account key of an AI provider (OpenAI `sk-svcacct-`).
    ServiceAccountKey,
    /// An organisation admin or management key.
    AdminKey,
    /// A credential an AI agent authenticates with (Claude Code OAuth, Devin, Cursor).
    AgentCredential,
    /// An OAuth access token.
    OauthAccessToken,
    /// An OAuth refresh token (mints access tokens).
    OauthRefreshToken,
    /// An OAuth client secret.
    OauthClientSecret,
    /// A browser session cookie.
    SessionCookie,
    /// A long-term cloud access key (AWS `AKIA`, Azure storage key).
    CloudLongTermKey,
    /// A temporary cloud credential (AWS `ASIA` with a session token).
    CloudTemporaryKey,
    /// A cloud secret key seen without its key id.
    CloudSecretKey,
    /// A cloud service-account key file (GCP JSON).
    CloudServiceAccountKey,
    /// An AWS Bedrock API key.
    BedrockApiKey,
    /// A database URL or connection string with a password.
    DatabaseUrl,
    /// A webhook URL or signing secret.
    WebhookSecret,
    /// A payment processor key.
    PaymentToken,
    /// A private key.
    PrivateKey,
    /// A code host token (GitHub, GitLab, Azure DevOps).
    CodeHostToken,
    /// A chat or bot token.
    ChatBotToken,
    /// A package registry token.
    PackageToken,
    /// A signed JSON Web Token.
    Jwt,
    /// Any other service's API key.
    OtherApiKey,
    /// A generic secret from an assignment.
    Generic,
}

/// The containment priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Rotate when the urgent ones are done.
    Low,
    /// Rotate today.
    Medium,
    /// "Medium to high".
    MediumHigh,
    /// Rotate in the first hour.
    High,
    /// Rotate first.
    Highest,
}

impl Priority {
    /// The priority in words.
    pub fn label(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::MediumHigh => "medium to high",
            Priority::High => "high",
            Priority::Highest => "highest",
        }
    }
}

/// What the rules know about a kind: words, priority and why, where to revoke by default.
pub struct KindFacts {
    /// The kind.
    pub kind: CredKind,
    /// In words.
    pub label: &'static str,
    /// Containment priority.
    pub priority: Priority,
    /// The priority rule's id (docs/scope.md).
    pub rule: &'static str,
    /// Why that priority.
    pub why: &'static str,
    /// Where to revoke when the scan rule gives no place.
    pub revoke: &'static str,
    /// An AI credential the questionnaire's answers describe.
    pub ai: bool,
}

const fn f(
    kind: CredKind,
    label: &'static str,
    priority: Priority,
    rule: &'static str,
    why: &'static str,
    revoke: &'static str,
    ai: bool,
) -> KindFacts {
    KindFacts {
        kind,
        label,
        priority,
        rule,
        why,
        revoke,
        ai,
    }
}

use CredKind as K;
use Priority as P;

/// Every kind with its facts (the containment priority table of docs/scope.md).
pub const KINDS: &[KindFacts] = &[
    f(K::InferenceKey, "inference API key", P::Medium, "priority.inference",
      "calls models: the bill and what the project stores; bounded to the provider", "the provider's API keys page", true),
    f(K::ProjectKey, "project API key", P::Medium, "priority.inference",
      "calls models: the bill and what the project stores; bounded to one project", "the provider's API keys page (project)", true),
    f(K::ServiceAccountKey, "service-account API key", P::Medium, "priority.inference",
      "a project's service identity: the bill and what the project stores", "the project's service accounts page", true),
    f(K::AdminKey, "admin / management key", P::Highest, "priority.admin",
      "creates keys and users and changes limits: token minting and admin access are treated as account takeover", "the organisation's admin keys page (owner)", true),
    f(K::AgentCredential, "agent credential", P::Highest, "priority.agent",
      "carries the agent's context, open outbound connections, action history and chain-hops", "the agent platform's sessions or tokens page; freeze the agent's sessions", true),
    f(K::OauthAccessToken, "OAuth access token", P::Medium, "priority.oauth_access",
      "acts as the user or app until it expires (minutes to hours)", "the issuer's token revocation endpoint or sessions page", false),
    f(K::OauthRefreshToken, "OAuth refresh token", P::High, "priority.oauth_refresh",
      "mints new access tokens until revoked: token minting", "the issuer's connected apps / grants page", false),
    f(K::OauthClientSecret, "OAuth client secret", P::MediumHigh, "priority.oauth_client",
      "token abuse or impersonation in some flows (medium to high)", "the identity provider's app registration: reset the secret", false),
    f(K::SessionCookie, "session cookie", P::High, "priority.session",
      "is the signed-in user's session: account takeover until logged out", "the service's account settings: log out of all sessions", false),
    f(K::CloudLongTermKey, "long-term cloud access key", P::Highest, "priority.cloud",
      "cloud provider keys give infrastructure access, data access and billing risk (highest)", "the cloud's IAM console: deactivate, then delete the access key", false),
    f(K::CloudTemporaryKey, "temporary cloud credential", P::Highest, "priority.cloud",
      "cloud provider keys give infrastructure access, data access and billing risk (highest), until the session expires", "the cloud's IAM console: revoke the role's active sessions", false),
    f(K::CloudSecretKey, "cloud secret key", P::Highest, "priority.cloud",
      "cloud provider keys give infrastructure access, data access and billing risk (highest)", "the cloud's IAM console: delete the access key it belongs to", false),
    f(K::CloudServiceAccountKey, "cloud service-account key", P::Highest, "priority.cloud",
      "cloud provider keys give infrastructure access, data access and billing risk (highest)", "the cloud's IAM console: delete the service-account key", false),
    f(K::BedrockApiKey, "Bedrock API key", P::High, "priority.bedrock",
      "calls every Bedrock model in the account; a long-term one is an IAM user an attacker can add access keys to", "IAM console: delete the service-specific credential", true),
    f(K::DatabaseUrl, "database URL", P::Highest, "priority.database",
      "database credentials allow direct data theft or destruction (highest)", "the database: change the user's password or drop the user", false),
    f(K::WebhookSecret, "webhook / signing secret", P::High, "priority.webhook",
      "forged events and business logic abuse (high)", "the sending service's webhook settings: roll the secret", false),
    f(K::PaymentToken, "payment token", P::High, "priority.payment",
      "fraud or payout redirection (high)", "the payment processor's API keys page: roll the key", false),
    f(K::PrivateKey, "private key", P::High, "priority.private_key",
      "signs or decrypts as its owner (SSH, TLS, token signing) wherever its public half is trusted", "replace the key pair and remove the public key everywhere it is trusted", false),
    f(K::CodeHostToken, "code host token", P::High, "priority.code_host",
      "reads and pushes code, reads CI secrets and workflows: a path to every other secret", "the code host's token settings: revoke", false),
    f(K::ChatBotToken, "chat / bot token", P::Medium, "priority.chat",
      "reads and posts messages as the bot in every channel it joined", "the chat platform's app settings: regenerate the token", false),
    f(K::PackageToken, "package registry token", P::High, "priority.package",
      "publishes packages: a supply-chain path to everyone who installs them", "the registry's access tokens page: revoke", false),
    f(K::Jwt, "signed token (JWT)", P::Medium, "priority.jwt",
      "acts as its subject until it expires; a service-role token bypasses row-level security", "rotate the issuer's signing secret or revoke the session", false),
    f(K::OtherApiKey, "API key", P::Medium, "priority.other",
      "whatever the issuing service allows the key", "the issuing service's API keys page", false),
    f(K::Generic, "generic secret", P::Low, "priority.generic",
      "a value in a secret-looking assignment: find the issuing service first", "the issuing service, found from the variable name", false),
];

/// The facts of a kind.
pub fn facts(kind: CredKind) -> &'static KindFacts {
    KINDS
        .iter()
        .find(|k| k.kind == kind)
        .unwrap_or(&KINDS[KINDS.len() - 1])
}

impl CredKind {
    /// The kind in words.
    pub fn label(self) -> &'static str {
        facts(self).label
    }

    /// The serialised name.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// Scan rule id → kind, where the scan's own kind is too coarse (rule `kind.rule_map`).
const BY_RULE: &[(&str, CredKind)] = &[
    ("openai-project-key", K::ProjectKey),
    ("openai-service-account-key", K::ServiceAccountKey),
    ("openai-admin-key", K::AdminKey),
    ("anthropic-admin-key", K::AdminKey),
    ("anthropic-oauth-access-token", K::AgentCredential),
    ("anthropic-oauth-refresh-token", K::OauthRefreshToken),
    ("anthropic-session-key", K::SessionCookie),
    ("devin-api-key", K::AgentCredential),
    ("cursor-api-key", K::AgentCredential),
    ("aws-bedrock-api-key", K::BedrockApiKey),
    ("aws-bedrock-short-term-key", K::BedrockApiKey),
    ("aws-session-token", K::CloudTemporaryKey),
    ("aws-secret-access-key", K::CloudSecretKey),
    ("azure-storage-key", K::CloudLongTermKey),
    ("gcp-service-account", K::CloudServiceAccountKey),
    ("stripe-webhook-secret", K::WebhookSecret),
    ("slack-webhook-url", K::WebhookSecret),
];

/// Key prefix → (provider, kind): for known keys and usage key ids (rule `kind.prefix`).
/// Longest prefixes first, so `sk-admin-` wins over `sk-`.
pub const PREFIXES: &[(&str, &str, CredKind)] = &[
    ("sk-ant-admin", "Anthropic", K::AdminKey),
    ("sk-ant-api", "Anthropic", K::InferenceKey),
    ("sk-ant-oat", "Anthropic", K::AgentCredential),
    ("sk-ant-ort", "Anthropic", K::OauthRefreshToken),
    ("sk-ant-sid", "Anthropic", K::SessionCookie),
    ("sk-admin-", "OpenAI", K::AdminKey),
    ("sk-proj-", "OpenAI", K::ProjectKey),
    ("sk-svcacct-", "OpenAI", K::ServiceAccountKey),
    ("sk-or-v1-", "OpenRouter", K::InferenceKey),
    ("bedrock-api-key-", "AWS Bedrock", K::BedrockApiKey),
    ("ABSK", "AWS Bedrock", K::BedrockApiKey),
    ("AKIA", "AWS", K::CloudLongTermKey),
    ("ASIA", "AWS", K::CloudTemporaryKey),
    ("AIza", "Google", K::InferenceKey),
    ("github_pat_", "GitHub", K::CodeHostToken),
    ("ghp_", "GitHub", K::CodeHostToken),
    ("gho_", "GitHub", K::OauthAccessToken),
    ("ghr_", "GitHub", K::OauthRefreshToken),
    ("glpat-", "GitLab", K::CodeHostToken),
    ("xoxb-", "Slack", K::ChatBotToken),
    ("xoxp-", "Slack", K::ChatBotToken),
    ("sk_live_", "Stripe", K::PaymentToken),
    ("rk_live_", "Stripe", K::PaymentToken),
    ("whsec_", "Stripe", K::WebhookSecret),
    ("postgres://", "PostgreSQL", K::DatabaseUrl),
    ("postgresql://", "PostgreSQL", K::DatabaseUrl),
    ("mysql://", "MySQL", K::DatabaseUrl),
    ("mongodb", "MongoDB", K::DatabaseUrl),
    ("-----BEGIN", "Private key", K::PrivateKey),
    ("gsk_", "Groq", K::InferenceKey),
    ("xai-", "xAI", K::InferenceKey),
    ("hf_", "Hugging Face", K::InferenceKey),
    ("sk-", "OpenAI", K::InferenceKey),
];

/// The kind a prefix test gives, if any: `has_prefix(p)` says whether the key starts with `p`.
pub fn by_prefix(
    has_prefix: impl Fn(&str) -> bool,
) -> Option<(&'static str, CredKind, &'static str)> {
    PREFIXES
        .iter()
        .find(|(p, _, _)| has_prefix(p))
        .map(|(p, prov, k)| (*prov, *k, *p))
}

/// Classifies a scan finding: the rule map, then the AWS key-id prefix, then the scan kind.
pub fn of_finding(
    rule_id: &str,
    kind: crate::scan::rules::Kind,
    redacted: &str,
) -> (CredKind, &'static str) {
    use crate::scan::rules::Kind as S;
    if let Some((_, k)) = BY_RULE.iter().find(|(id, _)| *id == rule_id) {
        return (*k, "kind.rule_map");
    }
    if rule_id == "aws-access-key-id" {
        return if redacted.starts_with("ASIA") {
            (K::CloudTemporaryKey, "kind.aws_prefix")
        } else {
            (K::CloudLongTermKey, "kind.aws_prefix")
        };
    }
    let k = match kind {
        S::InferenceKey => K::InferenceKey,
        S::AdminKey => K::AdminKey,
        S::OauthAccessToken => K::OauthAccessToken,
        S::OauthRefreshToken => K::OauthRefreshToken,
        // A client id is only ever its secret's partner (alone it is no finding).
        S::OauthClientSecret | S::OauthClientId => K::OauthClientSecret,
        S::SessionCookie => K::SessionCookie,
        S::CloudAccessKeyId => K::CloudLongTermKey,
        S::CloudSecretKey => K::CloudSecretKey,
        S::ServiceAccountKey => K::CloudServiceAccountKey,
        S::DatabaseUrl => K::DatabaseUrl,
        S::PrivateKey => K::PrivateKey,
        S::Jwt => K::Jwt,
        S::VcsToken => K::CodeHostToken,
        S::PackageToken => K::PackageToken,
        S::BotToken => K::ChatBotToken,
        S::Webhook => K::WebhookSecret,
        S::PaymentKey => K::PaymentToken,
        S::ApiKey => K::OtherApiKey,
        S::Generic | S::Custom => K::Generic,
    };
    (k, "kind.scan_kind")
}

/// The tool a co-located credential of this kind stands for (rule `tools.colocated`).
pub fn tool_of(kind: CredKind, provider: &str) -> Option<super::answers::Tool> {
    use super::answers::Tool as T;
    let p = provider.to_ascii_lowercase();
    Some(match kind {
        K::DatabaseUrl if p.contains("rabbitmq") || p.contains("amqp") || p.contains("redis") => {
            T::AgentsQueues
        }
        K::DatabaseUrl => T::Database,
        K::CodeHostToken => T::CodeHost,
        K::ChatBotToken => T::Chat,
        K::OtherApiKey if p.contains("sendgrid") || p.contains("twilio") => T::Email,
        K::CloudLongTermKey if p.contains("storage") => T::FileStorage,
        _ => return None,
    })
}
