//! The responder's answers to the blast-radius questionnaire: every field optional, and
//! "unknown" a valid answer. The same JSON value comes from the page's form, the CLI's
//! `--answers FILE` and `Context::answers`.

use serde::{Deserialize, Serialize};

/// Yes, no, or explicitly unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tri {
    /// Yes.
    Yes,
    /// No.
    No,
    /// The responder does not know.
    Unknown,
}

impl Tri {
    /// `yes`, `no` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tri::Yes => "yes",
            Tri::No => "no",
            Tri::Unknown => "unknown",
        }
    }
}

/// Whether the key reaches the whole organisation or one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyScope {
    /// Every project of the organisation (legacy user keys, admin keys, org-wide service accounts).
    Organisation,
    /// One project or workspace.
    Project,
    /// Not known.
    Unknown,
}

impl KeyScope {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyScope::Organisation => "organisation",
            KeyScope::Project => "project",
            KeyScope::Unknown => "unknown",
        }
    }
}

/// Which models the key may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelsAllowed {
    /// Every model the provider offers the account.
    All,
    /// A restricted list.
    Restricted,
    /// Not known.
    Unknown,
}

impl ModelsAllowed {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelsAllowed::All => "all",
            ModelsAllowed::Restricted => "restricted",
            ModelsAllowed::Unknown => "unknown",
        }
    }
}

/// A system an agent holding the credential can act on (its tools).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tool {
    /// A database.
    Database,
    /// An email account.
    Email,
    /// Chat (Slack, Teams, Discord, Telegram).
    Chat,
    /// A code host (GitHub, GitLab) and its CI.
    CodeHost,
    /// A CRM (customer records).
    Crm,
    /// File storage (buckets, drives, shares).
    FileStorage,
    /// Other agents or task queues (chain-hops).
    AgentsQueues,
    /// Anything else.
    Other,
}

impl Tool {
    /// Every tool, in questionnaire order.
    pub const ALL: [Tool; 8] = [
        Tool::Database,
        Tool::Email,
        Tool::Chat,
        Tool::CodeHost,
        Tool::Crm,
        Tool::FileStorage,
        Tool::AgentsQueues,
        Tool::Other,
    ];

    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Database => "database",
            Tool::Email => "email",
            Tool::Chat => "chat",
            Tool::CodeHost => "code_host",
            Tool::Crm => "crm",
            Tool::FileStorage => "file_storage",
            Tool::AgentsQueues => "agents_queues",
            Tool::Other => "other",
        }
    }

    /// The tool in words.
    pub fn label(self) -> &'static str {
        match self {
            Tool::Database => "database",
            Tool::Email => "email",
            Tool::Chat => "chat",
            Tool::CodeHost => "code host / CI",
            Tool::Crm => "CRM",
            Tool::FileStorage => "file storage",
            Tool::AgentsQueues => "other agents or queues",
            Tool::Other => "other tools",
        }
    }
}

/// Tokens the credential (or the agent holding it) minted downstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Minted {
    /// OAuth grants (access and refresh tokens issued to apps).
    OauthGrants,
    /// Signed URLs (pre-signed storage links).
    SignedUrls,
    /// Sub-keys or scoped credentials (new API keys, IAM access keys, service-account keys).
    SubKeys,
}

impl Minted {
    /// Every kind, in questionnaire order.
    pub const ALL: [Minted; 3] = [Minted::OauthGrants, Minted::SignedUrls, Minted::SubKeys];

    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Minted::OauthGrants => "oauth_grants",
            Minted::SignedUrls => "signed_urls",
            Minted::SubKeys => "sub_keys",
        }
    }

    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            Minted::OauthGrants => "OAuth grants",
            Minted::SignedUrls => "signed URLs",
            Minted::SubKeys => "sub-keys or scoped credentials",
        }
    }
}

/// An environment that held the credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// Production.
    Production,
    /// Staging or pre-production.
    Staging,
    /// Development or test.
    Development,
    /// CI/CD pipelines and build logs.
    Ci,
    /// A source repository (the key is in its history).
    SourceRepository,
    /// Developers' own machines.
    LocalMachines,
    /// A partner or third party.
    ThirdParty,
}

impl Environment {
    /// Every environment, in questionnaire order.
    pub const ALL: [Environment; 7] = [
        Environment::Production,
        Environment::Staging,
        Environment::Development,
        Environment::Ci,
        Environment::SourceRepository,
        Environment::LocalMachines,
        Environment::ThirdParty,
    ];

    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Staging => "staging",
            Environment::Development => "development",
            Environment::Ci => "ci",
            Environment::SourceRepository => "source_repository",
            Environment::LocalMachines => "local_machines",
            Environment::ThirdParty => "third_party",
        }
    }

    /// The environment in words.
    pub fn label(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Staging => "staging",
            Environment::Development => "development / test",
            Environment::Ci => "CI/CD",
            Environment::SourceRepository => "source repository",
            Environment::LocalMachines => "developers' machines",
            Environment::ThirdParty => "a partner or third party",
        }
    }
}

/// A credential the responder names that the evidence may not show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedCredential {
    /// A label for it (never the value): `support-bot agent token`.
    pub label: String,
    /// The provider (`OpenAI`, `AWS`...).
    #[serde(default)]
    pub provider: String,
    /// Its kind, as in `Credential::kind` (`agent_credential`, `admin_key`...).
    pub kind: super::kinds::CredKind,
}

/// The questionnaire's answers. Absent fields are unanswered; `unknown` is an answer too.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Answers {
    /// Organisation- or project-scoped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_scope: Option<KeyScope>,
    /// Whether a spend limit (hard budget) bounds the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spend_limit: Option<Tri>,
    /// The limit, in US dollars a month, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spend_limit_usd: Option<f64>,
    /// Which models the key may call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub models_allowed: Option<ModelsAllowed>,
    /// Used by an agent with tools.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<Tri>,
    /// The agent's tools (absent: unanswered; empty: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_tools: Option<Vec<Tool>>,
    /// Whether it minted tokens downstream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minted: Option<Tri>,
    /// Which tokens it minted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minted_kinds: Option<Vec<Minted>>,
    /// Whether it could reach personal data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<Tri>,
    /// Roughly how many people's personal data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<u64>,
    /// Which environments shared it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environments: Option<Vec<Environment>>,
    /// Credentials the responder names (by label and kind, never by value).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<NamedCredential>,
}

impl Answers {
    /// True when nothing was answered.
    pub fn is_empty(&self) -> bool {
        *self == Answers::default()
    }
}
