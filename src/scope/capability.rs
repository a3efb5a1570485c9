//! What a credential can do: from the operations the usage evidence shows it used, from its
//! kind, and from the responder's answers. Each source is a table of data rows with a rule id.

use super::answers::{Minted, Tool};
use super::kinds::CredKind;
use serde::{Deserialize, Serialize};

/// One thing a credential can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Call models (chat, completions, embeddings, images, audio).
    Inference,
    /// Upload and read stored files.
    Files,
    /// Fine-tune models, read training data.
    FineTuning,
    /// Assistants and threads: stored conversations.
    Assistants,
    /// Batch jobs and their stored inputs and outputs.
    Batch,
    /// Vector stores: embedded documents.
    VectorStores,
    /// Create and delete API keys and service accounts.
    KeyManagement,
    /// Manage the organisation: users, invites, projects, limits.
    AdminManagement,
    /// Read usage and cost reports.
    Billing,
    /// Create IAM users, keys, roles and policies.
    Iam,
    /// Enable models and accept model agreements.
    ModelAccess,
    /// Change or delete logging configuration.
    LoggingConfig,
    /// Create compute or other billable resources.
    Infrastructure,
    /// Read cloud storage objects.
    StorageRead,
    /// Everything the cloud identity's policies allow.
    CloudApi,
    /// Send email.
    Email,
    /// Read and post chat messages.
    Messaging,
    /// Read and push code, read CI secrets.
    CodeAccess,
    /// Read database rows.
    DataRead,
    /// Change or delete database rows.
    DataWrite,
    /// Read customer records in a CRM.
    CrmData,
    /// Hand tasks to other agents or queues (chain-hops).
    ChainHop,
    /// Act with the agent's context, tools, connections and history.
    AgentSession,
    /// Act as the user or app the token belongs to.
    ActAsUser,
    /// Mint new tokens, grants, signed URLs or sub-keys.
    MintTokens,
    /// Reach every project of the organisation.
    OrgWide,
    /// Charges, refunds, payouts.
    Payments,
    /// Forge events a receiver trusts.
    ForgeEvents,
    /// Sign or decrypt as the key's owner.
    Impersonate,
    /// Publish packages.
    Publish,
    /// Whatever the issuing service allows.
    ServiceApi,
}

impl Capability {
    /// The capability in words.
    pub fn label(self) -> &'static str {
        use Capability as C;
        match self {
            C::Inference => "call models (chat, embeddings, images, audio)",
            C::Files => "upload and read stored files",
            C::FineTuning => "fine-tune models and read their training data",
            C::Assistants => "read assistants and their stored threads",
            C::Batch => "run batch jobs and read their stored inputs and outputs",
            C::VectorStores => "read vector stores (embedded documents)",
            C::KeyManagement => "create and delete API keys and service accounts",
            C::AdminManagement => "manage the organisation: users, invites, projects, limits",
            C::Billing => "read usage and cost reports",
            C::Iam => "create IAM users, access keys, roles and policies",
            C::ModelAccess => "enable models and accept model agreements",
            C::LoggingConfig => "change or delete logging configuration",
            C::Infrastructure => "create compute and other billable resources",
            C::StorageRead => "read cloud storage objects",
            C::CloudApi => "everything the cloud identity's policies allow",
            C::Email => "send and read email",
            C::Messaging => "read and post chat messages",
            C::CodeAccess => "read and push code, read CI secrets and workflows",
            C::DataRead => "read database rows",
            C::DataWrite => "change or delete database rows",
            C::CrmData => "read and export customer records",
            C::ChainHop => "hand tasks to other agents or queues (chain-hops)",
            C::AgentSession => {
                "act with the agent's context, tools, open connections and action history"
            }
            C::ActAsUser => "act as the user or app the token belongs to",
            C::MintTokens => "mint new tokens, grants, signed URLs or sub-keys",
            C::OrgWide => "reach every project of the organisation",
            C::Payments => "make charges, refunds and payouts",
            C::ForgeEvents => "forge events the receiver trusts",
            C::Impersonate => "sign or decrypt as the key's owner",
            C::Publish => "publish packages",
            C::ServiceApi => "whatever the issuing service allows the key",
        }
    }

    /// Whether it reads data stored behind the key (not only what the attacker sends).
    pub fn reads_stored_data(self) -> bool {
        use Capability as C;
        matches!(
            self,
            C::Files
                | C::FineTuning
                | C::Assistants
                | C::Batch
                | C::VectorStores
                | C::StorageRead
                | C::CloudApi
                | C::DataRead
                | C::CrmData
                | C::Email
                | C::Messaging
                | C::CodeAccess
                | C::AgentSession
        )
    }

    /// Whether it creates access that outlives the credential.
    pub fn persists(self) -> bool {
        use Capability as C;
        matches!(
            self,
            C::KeyManagement | C::AdminManagement | C::Iam | C::MintTokens
        )
    }
}

use Capability as C;

/// Operation substring (lower case) → capability observed (rule `cap.operation`).
/// Matched against the operation, endpoint or audit event name of every usage row.
pub const OPERATIONS: &[(&str, Capability)] = &[
    ("fine_tun", C::FineTuning),
    ("fine-tun", C::FineTuning),
    ("finetun", C::FineTuning),
    ("createmodelcustomizationjob", C::FineTuning),
    ("vector_store", C::VectorStores),
    ("vector-store", C::VectorStores),
    ("vectorstore", C::VectorStores),
    ("assistants", C::Assistants),
    ("/threads", C::Assistants),
    ("batch", C::Batch),
    ("createmodelinvocationjob", C::Batch),
    ("/files", C::Files),
    ("files.", C::Files),
    ("file.created", C::Files),
    ("admin_api_key", C::KeyManagement),
    ("api_key.", C::KeyManagement),
    ("/api_keys", C::KeyManagement),
    ("service_account", C::KeyManagement),
    ("user.added", C::AdminManagement),
    ("invite", C::AdminManagement),
    ("project.created", C::AdminManagement),
    ("rate_limit", C::AdminManagement),
    ("ip_allowlist", C::AdminManagement),
    ("/organization/users", C::AdminManagement),
    ("/organization/projects", C::AdminManagement),
    ("/organization/usage", C::Billing),
    ("/organization/costs", C::Billing),
    ("usage_report", C::Billing),
    ("cost_report", C::Billing),
    ("createuser", C::Iam),
    ("createaccesskey", C::Iam),
    ("createloginprofile", C::Iam),
    ("createrole", C::Iam),
    ("createpolicy", C::Iam),
    ("attachuserpolicy", C::Iam),
    ("attachrolepolicy", C::Iam),
    ("putuserpolicy", C::Iam),
    ("putrolepolicy", C::Iam),
    ("updateassumerolepolicy", C::Iam),
    ("createserviceaccountkey", C::Iam),
    ("setiampolicy", C::Iam),
    ("createaccesskey", C::MintTokens),
    ("createserviceaccountkey", C::MintTokens),
    ("api_key.created", C::MintTokens),
    ("putusecaseformodelaccess", C::ModelAccess),
    ("createfoundationmodelagreement", C::ModelAccess),
    ("putfoundationmodelentitlement", C::ModelAccess),
    (
        "deletemodelinvocationloggingconfiguration",
        C::LoggingConfig,
    ),
    ("putmodelinvocationloggingconfiguration", C::LoggingConfig),
    ("stoplogging", C::LoggingConfig),
    ("deletetrail", C::LoggingConfig),
    ("runinstances", C::Infrastructure),
    ("createprovisionedmodelthroughput", C::Infrastructure),
    ("createfunction", C::Infrastructure),
    ("getobject", C::StorageRead),
    ("listbuckets", C::StorageRead),
    ("claude_code", C::AgentSession),
    ("claude_code", C::CodeAccess),
    ("sendemail", C::Email),
    ("sendrawemail", C::Email),
    ("chat/completions", C::Inference),
    ("/completions", C::Inference),
    ("/responses", C::Inference),
    ("embeddings", C::Inference),
    ("/images", C::Inference),
    ("/audio", C::Inference),
    ("/messages", C::Inference),
    ("invokemodel", C::Inference),
    ("converse", C::Inference),
    ("generatecontent", C::Inference),
];

/// The capabilities an operation shows (lower-cased match, each capability once).
pub fn of_operation(op: &str) -> Vec<Capability> {
    let o = op.to_ascii_lowercase();
    let mut v: Vec<Capability> = Vec::new();
    for (p, c) in OPERATIONS {
        if o.contains(p) && !v.contains(c) {
            v.push(*c);
        }
    }
    // An endpoint that names a stored-data API is not also plain inference.
    if v.len() > 1 {
        v.retain(|c| *c != C::Inference);
    }
    v
}

/// What a kind can do by itself (rule `cap.kind`), given its provider.
pub fn of_kind(kind: CredKind, provider: &str) -> Vec<Capability> {
    use CredKind as K;
    let p = provider.to_ascii_lowercase();
    let openai_like = p.contains("openai");
    match kind {
        K::InferenceKey | K::ProjectKey | K::ServiceAccountKey if openai_like => vec![
            C::Inference,
            C::Files,
            C::FineTuning,
            C::Assistants,
            C::Batch,
            C::VectorStores,
        ],
        K::InferenceKey | K::ProjectKey | K::ServiceAccountKey if p.contains("anthropic") => {
            vec![C::Inference, C::Files, C::Batch]
        }
        K::InferenceKey | K::ProjectKey | K::ServiceAccountKey => vec![C::Inference],
        K::AdminKey => vec![
            C::KeyManagement,
            C::AdminManagement,
            C::Billing,
            C::MintTokens,
        ],
        K::AgentCredential => vec![C::Inference, C::AgentSession],
        K::OauthAccessToken | K::SessionCookie | K::Jwt => vec![C::ActAsUser],
        K::OauthRefreshToken | K::OauthClientSecret => vec![C::ActAsUser, C::MintTokens],
        K::CloudLongTermKey | K::CloudSecretKey | K::CloudServiceAccountKey => {
            vec![C::CloudApi, C::Inference]
        }
        K::CloudTemporaryKey => vec![C::CloudApi],
        K::BedrockApiKey => vec![C::Inference, C::FineTuning, C::Batch],
        K::DatabaseUrl => vec![C::DataRead, C::DataWrite],
        K::WebhookSecret => vec![C::ForgeEvents],
        K::PaymentToken => vec![C::Payments, C::CrmData],
        K::PrivateKey => vec![C::Impersonate],
        K::CodeHostToken => vec![C::CodeAccess],
        K::ChatBotToken => vec![C::Messaging],
        K::PackageToken => vec![C::Publish],
        K::OtherApiKey | K::Generic => vec![C::ServiceApi],
    }
}

/// What an agent tool lets the credential's holder do (rule `cap.agent_tool`).
pub fn of_tool(t: Tool) -> Vec<Capability> {
    match t {
        Tool::Database => vec![C::DataRead, C::DataWrite],
        Tool::Email => vec![C::Email],
        Tool::Chat => vec![C::Messaging],
        Tool::CodeHost => vec![C::CodeAccess],
        Tool::Crm => vec![C::CrmData],
        Tool::FileStorage => vec![C::StorageRead],
        Tool::AgentsQueues => vec![C::ChainHop],
        Tool::Other => vec![C::ServiceApi],
    }
}

/// The minted-token kind an observed capability row stands for.
pub fn minted_of_operation(op: &str) -> Option<Minted> {
    let o = op.to_ascii_lowercase();
    [
        "createaccesskey",
        "createserviceaccountkey",
        "api_key.created",
        "service_account.created",
    ]
    .iter()
    .any(|p| o.contains(p))
    .then_some(Minted::SubKeys)
}
