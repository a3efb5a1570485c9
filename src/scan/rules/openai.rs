//! OpenAI keys.

use super::{Check, Confidence, Kind, Rule};

const CAN: &str = "call every model the project or organisation allows (chat, embeddings, images, audio, files, fine-tuning, assistants), read stored files and fine-tune data, run up the bill";
const REVOKE: &str = "platform.openai.com/api-keys: select the key, Delete (or DELETE /v1/organization/projects/{project}/api_keys/{key_id} with an admin key)";

/// OpenAI rules.
pub const RULES: &[Rule] = &[
    Rule {
        id: "openai-project-key",
        provider: "OpenAI",
        title: "OpenAI project API key",
        kind: Kind::InferenceKey,
        keywords: &["sk-proj-", "sk-none-"],
        pattern: r"\b(sk-(?:proj|None)-[A-Za-z0-9_-]{40,300})",
        check: Check::OpenAiMarker,
        confidence: Confidence::High,
        can_do: CAN,
        revoke: REVOKE,
        shape: "sk-proj-{b64u:74}T3BlbkFJ{b64u:74}",
        var: "OPENAI_API_KEY",
        examples: &["OPENAI_API_KEY=$S", "client = OpenAI(api_key=\"$S\")", "Authorization: Bearer $S"],
        negatives: &[
            "OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "OPENAI_API_KEY=sk-proj-your-api-key-here-your-api-key-here-your",
            "sk-proj-",
        ],
        ..Rule::DEFAULT
    },
    Rule {
        id: "openai-service-account-key",
        provider: "OpenAI",
        title: "OpenAI service-account key",
        kind: Kind::InferenceKey,
        keywords: &["sk-svcacct-", "sk-service-"],
        pattern: r"\b(sk-(?:svcacct|service)-[A-Za-z0-9_-]{40,300})",
        check: Check::OpenAiMarker,
        confidence: Confidence::High,
        can_do: CAN,
        revoke: REVOKE,
        shape: "sk-svcacct-{b64u:51}T3BlbkFJ{b64u:51}",
        var: "OPENAI_API_KEY",
        examples: &["export OPENAI_API_KEY='$S'", "{\"openai_key\": \"$S\"}"],
        negatives: &["sk-svcacct-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "openai-admin-key",
        provider: "OpenAI",
        title: "OpenAI organisation admin key",
        kind: Kind::AdminKey,
        keywords: &["sk-admin-"],
        pattern: r"\b(sk-admin-[A-Za-z0-9_-]{40,300})",
        check: Check::OpenAiMarker,
        confidence: Confidence::High,
        priority: 60,
        can_do: "manage the organisation: create and delete API keys, projects, users and invites, read usage and costs, read audit logs",
        revoke: "platform.openai.com/settings/organization/admin-keys: delete the admin key (organisation owner)",
        shape: "sk-admin-{b64u:58}T3BlbkFJ{b64u:58}",
        var: "OPENAI_ADMIN_KEY",
        examples: &["OPENAI_ADMIN_KEY=$S", "-H \"Authorization: Bearer $S\""],
        negatives: &["sk-admin-<your-admin-key>"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "openai-user-key",
        provider: "OpenAI",
        title: "OpenAI legacy user API key",
        kind: Kind::InferenceKey,
        keywords: &["t3blbkfj"],
        pattern: r"\b(sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})\b",
        check: Check::OpenAiMarker,
        confidence: Confidence::High,
        can_do: CAN,
        revoke: REVOKE,
        shape: "sk-{an:20}T3BlbkFJ{an:20}",
        var: "OPENAI_API_KEY",
        examples: &["openai.api_key = \"$S\"", "OPENAI_API_KEY: $S"],
        negatives: &["sk-abcdefghij0123456789T4BlbkFJabcdefghij0123456789"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "openai-legacy-48",
        provider: "OpenAI",
        title: "OpenAI-style sk- key without marker (48 characters)",
        kind: Kind::InferenceKey,
        keywords: &["sk-"],
        pattern: r"\b(sk-[A-Za-z0-9]{48})\b",
                confidence: Confidence::Low,
        priority: 30,
        min_entropy: 3.5,
        can_do: "if OpenAI: call models on the account; the same shape is used by other providers (Moonshot, Stability): check where it was used",
        revoke: REVOKE,
        shape: "sk-{an:48}",
        var: "LLM_API_KEY",
        examples: &["LLM_API_KEY=$S"],
        negatives: &["task-0123456789012345678901234567890123456789012345"],
        ..Rule::DEFAULT
    },
];
