//! Microsoft Azure: Azure OpenAI / AI Services keys, Entra secrets, storage, DevOps.

use super::{Check, Confidence, Kind, Rule};

const AOAI_REVOKE: &str = "Azure portal > the Azure OpenAI / AI Services resource > Keys and Endpoint: Regenerate the key (az cognitiveservices account keys regenerate)";
const AOAI_CAN: &str = "call every deployment on the Azure OpenAI / AI Services resource, run up the subscription's bill";

/// Azure rules.
pub const RULES: &[Rule] = &[
    Rule {
        id: "azure-openai-key",
        provider: "Azure OpenAI",
        title: "Azure OpenAI key (84-character annotated)",
        kind: Kind::InferenceKey,
        keywords: &["aaabacog"],
        pattern: r"\b([A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{14}AAABACOG[A-Za-z0-9]{4})\b",
        check: Check::AzureAnnotated,
        confidence: Confidence::High,
        can_do: AOAI_CAN,
        revoke: AOAI_REVOKE,
        shape: "{an:52}JQQJ99{an:1}{AL:1}{an:12}AAABACOG{an:4}",
        var: "AZURE_OPENAI_API_KEY",
        examples: &["AZURE_OPENAI_API_KEY=$S", "api_key: \"$S\""],
        negatives: &["0000000000000000000000000000000000000000000000000000JQQJ99000000000000000AAABACOG0000"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "azure-ai-services-key",
        provider: "Azure AI Services",
        title: "Azure AI Services / Cognitive Services key (84-character annotated)",
        kind: Kind::InferenceKey,
        keywords: &["aaaeacog"],
        pattern: r"\b([A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{14}AAA[Eb]ACOG[A-Za-z0-9]{4})\b",
        check: Check::AzureAnnotated,
        confidence: Confidence::High,
        can_do: "call the AI Services resource (OpenAI deployments, speech, vision, translator), run up the bill",
        revoke: AOAI_REVOKE,
        shape: "{an:52}JQQJ99{an:1}{AL:1}{an:12}AAAEACOG{an:4}",
        var: "AZURE_AI_KEY",
        examples: &["Ocp-Apim-Subscription-Key: $S"],
        negatives: &["AAAEACOG"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "azure-openai-legacy-key",
        provider: "Azure OpenAI",
        title: "Azure OpenAI key (legacy 32 hex, by context)",
        kind: Kind::InferenceKey,
        keywords: &[".openai.azure.com", "azure_openai", "azureopenai", "azure-openai"],
        pattern: r#"(?i)(?:api[_.-]?key|openai[_.-]?key|azure[_.-]?openai[_.-]?(?:api[_.-]?)?key|api-key)["']?\s*[:=]{1,2}>?\s*["']?(?-i:([a-f0-9]{32}))\b"#,
        confidence: Confidence::Low,
        context_only: true,
        span: 400,
        priority: 45,
        can_do: AOAI_CAN,
        revoke: AOAI_REVOKE,
        shape: "{hex:32}",
        var: "AZURE_OPENAI_API_KEY",
        examples: &["AZURE_OPENAI_ENDPOINT=https://contoso.openai.azure.com/\nAZURE_OPENAI_API_KEY=$S", "AZURE_OPENAI_API_KEY=$S"],
        negatives: &["api_key = 0123456789abcdef0123456789abcdef"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "azure-ad-client-secret",
        provider: "Microsoft Entra ID",
        title: "Azure AD (Entra) application client secret",
        kind: Kind::OauthClientSecret,
        keywords: &["q~"],
        pattern: r"(?:^|[^A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?:$|[^A-Za-z0-9_~.-])",
        confidence: Confidence::Medium,
        min_entropy: 3.5,
        can_do: "sign in as the application: every Microsoft Graph / Azure permission the app registration holds (Azure OpenAI via Entra auth included)",
        revoke: "Entra admin center > App registrations > the app > Certificates & secrets: delete the secret",
        shape: "{an:3}8Q~{an:34}",
        var: "AZURE_CLIENT_SECRET",
        examples: &["AZURE_CLIENT_SECRET=$S", "client_secret: '$S'"],
        negatives: &["background: url(~/a.png) q~x"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "azure-storage-key",
        provider: "Azure Storage",
        title: "Azure Storage account key",
        kind: Kind::CloudSecretKey,
        keywords: &["accountkey"],
        pattern: r"(?i)AccountKey=(?-i:([A-Za-z0-9+/]{86}==))",
        check: Check::Base64Len64,
        confidence: Confidence::High,
        can_do: "full control of the storage account's blobs, files, queues and tables",
        revoke: "Azure portal > Storage account > Access keys: Rotate key",
        shape: "{b64:86}==",
        var: "AZURE_STORAGE_CONNECTION_STRING",
        examples: &["DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=$S;EndpointSuffix=core.windows.net"],
        negatives: &["AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="],
        ..Rule::DEFAULT
    },
    Rule {
        id: "azure-devops-pat",
        provider: "Azure DevOps",
        title: "Azure DevOps personal access token",
        kind: Kind::VcsToken,
        keywords: &["azdo"],
        pattern: r"\b([A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})\b",
        check: Check::AzureDevops,
        confidence: Confidence::High,
        can_do: "act as the user on Azure DevOps within the token's scopes: repos, pipelines, artifacts, work items",
        revoke: "dev.azure.com > User settings > Personal access tokens: Revoke",
        shape: "{an:52}JQQJ9{an:19}AZDO{an:4}",
        var: "AZURE_DEVOPS_PAT",
        examples: &["AZURE_DEVOPS_PAT=$S"],
        negatives: &["AZDO"],
        ..Rule::DEFAULT
    },
];
