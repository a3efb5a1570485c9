//! The kinds of evidence the engine tells apart.

use serde::{Deserialize, Serialize};

/// What an evidence file is, judged from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// No bytes.
    Empty,
    /// Not text.
    Binary,
    /// JSON of a shape the engine does not know.
    UnknownJson,
    /// CSV with a header the engine does not know (readable with a column mapping).
    UnknownCsv,
    /// The reference usage-record format (of the API Key Compromise Investigation guide) as a JSON array or JSON Lines.
    ReferenceJson,
    /// The reference usage-record format (of the API Key Compromise Investigation guide) as CSV.
    ReferenceCsv,
    /// OpenAI Usage API pages (`/v1/organization/usage/{type}`).
    OpenaiUsageApi,
    /// OpenAI Costs API pages (`/v1/organization/costs`).
    OpenaiCostsApi,
    /// OpenAI organization audit log (`/v1/organization/audit_logs`).
    OpenaiAuditLog,
    /// OpenAI project API keys list (`organization.project.api_key`: id → redacted key).
    OpenaiKeyInventory,
    /// OpenAI dashboard usage CSV (`completions_usage_*.csv`), including header-only exports.
    OpenaiUsageCsv,
    /// OpenAI dashboard cost CSV (`cost_*.csv`).
    OpenaiCostCsv,
    /// Anthropic Admin API usage report (`usage_report/messages`).
    AnthropicUsageReport,
    /// Anthropic Admin API cost report (`cost_report`, amounts in cents).
    AnthropicCostReport,
    /// Anthropic console usage CSV (`claude_api_tokens_*.csv`).
    AnthropicUsageCsv,
    /// Anthropic console cost CSV (`claude_api_cost_*.csv`).
    AnthropicCostCsv,
    /// Anthropic Claude Code usage report (`usage_report/claude_code`).
    AnthropicClaudeCodeReport,
    /// Anthropic organization activity feed (`activity_…` entries).
    AnthropicActivity,
    /// Anthropic API keys list (`partial_key_hint`: id → key hint).
    AnthropicKeyInventory,
    /// AWS CloudTrail records (`{"Records": [...]}` or one record per line).
    Cloudtrail,
    /// `aws cloudtrail lookup-events` output (events as JSON strings).
    CloudtrailLookupEvents,
    /// AWS Bedrock model invocation logs.
    BedrockInvocationLog,
    /// An Amazon Athena result CSV over the CloudTrail table (a hunt's result).
    AthenaCloudtrailCsv,
    /// CloudTrail Lake query results (GetQueryResults; a hunt's result).
    CloudtrailLakeResults,
    /// A Splunk export of `aws:cloudtrail` events (JSON or CSV, `_raw`; a hunt's result).
    SplunkCloudtrail,
    /// BigQuery rows of exported Cloud Audit Logs (JSON or JSON Lines; a hunt's result).
    BigqueryAuditRows,
    /// Azure OpenAI (Cognitive Services) resource logs.
    AzureResourceLog,
    /// Azure Activity Log (key listing and regeneration).
    AzureActivityLog,
    /// GCP Cloud Audit Log entries (Vertex AI and others).
    GcpAuditLog,
    /// LiteLLM proxy spend logs.
    LitellmSpendLogs,
    /// OpenRouter activity CSV export.
    OpenrouterCsv,
    /// Helicone request export.
    Helicone,
    /// Langfuse observations export.
    Langfuse,
    /// Cloudflare AI Gateway logs.
    CloudflareAiGateway,
    /// GitHub organization or enterprise audit log export.
    GithubAuditLog,
    /// GitHub secret-scanning alerts (secrets are redacted on read).
    GithubSecretAlerts,
    /// `git log -p` output (any `--pretty`).
    GitLog,
    /// `git format-patch` output (mbox).
    Mbox,
    /// A plain unified diff.
    Diff,
    /// A dotenv file (`KEY=value` lines).
    Env,
    /// Any other text (CI logs, config files, source).
    Text,
    /// Claude Code session transcripts (JSON Lines, one per session or subagent).
    ClaudeCodeTranscript,
    /// MCP JSON-RPC messages (requests, results, errors, notifications).
    McpJsonRpc,
    /// Claude Desktop MCP logs (`mcp-server-<name>.log`, `mcp.log`).
    ClaudeDesktopMcpLog,
    /// Claude Code OpenTelemetry log events (OTLP/JSON).
    ClaudeCodeOtlpLogs,
    /// Claude Code hook inputs (the JSON a hook reads, as logged).
    ClaudeCodeHookInput,
    /// A2A (Agent2Agent) messages: JSON-RPC, or HTTP exchanges with JSON bodies.
    A2aMessages,
    /// OpenAI Agents SDK traces and spans, or a serialised run state.
    OpenaiAgentsTrace,
    /// OpenTelemetry traces as OTLP/JSON (GenAI and MCP spans are read).
    OtlpTraces,
    /// OpenTelemetry logs as OTLP/JSON from other producers than Claude Code (GenAI events
    /// are read).
    OtlpLogs,
    /// A scanner rules file (TOML with `[[rules]]`: leaktriage's rule format or a gitleaks
    /// config): not evidence to scan, but rules the scan of the same run uses.
    Rules,
}

impl EvidenceKind {
    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::Empty => "empty",
            EvidenceKind::Binary => "binary (not analysed)",
            EvidenceKind::UnknownJson => "unknown (JSON)",
            EvidenceKind::UnknownCsv => "unknown (CSV)",
            EvidenceKind::ReferenceJson => "usage records (JSON)",
            EvidenceKind::ReferenceCsv => "usage records (CSV)",
            EvidenceKind::OpenaiUsageApi => "OpenAI Usage API",
            EvidenceKind::OpenaiCostsApi => "OpenAI Costs API",
            EvidenceKind::OpenaiAuditLog => "OpenAI audit log",
            EvidenceKind::OpenaiKeyInventory => "OpenAI API keys list",
            EvidenceKind::OpenaiUsageCsv => "OpenAI usage CSV",
            EvidenceKind::OpenaiCostCsv => "OpenAI cost CSV",
            EvidenceKind::AnthropicUsageReport => "Anthropic usage report",
            EvidenceKind::AnthropicCostReport => "Anthropic cost report",
            EvidenceKind::AnthropicUsageCsv => "Anthropic console usage CSV",
            EvidenceKind::AnthropicCostCsv => "Anthropic console cost CSV",
            EvidenceKind::AnthropicClaudeCodeReport => "Anthropic Claude Code usage report",
            EvidenceKind::AnthropicActivity => "Anthropic activity feed",
            EvidenceKind::AnthropicKeyInventory => "Anthropic API keys list",
            EvidenceKind::Cloudtrail => "AWS CloudTrail",
            EvidenceKind::CloudtrailLookupEvents => "AWS CloudTrail (lookup-events)",
            EvidenceKind::BedrockInvocationLog => "AWS Bedrock invocation log",
            EvidenceKind::AthenaCloudtrailCsv => "Amazon Athena results (CloudTrail table)",
            EvidenceKind::CloudtrailLakeResults => "CloudTrail Lake query results",
            EvidenceKind::SplunkCloudtrail => "Splunk export (aws:cloudtrail)",
            EvidenceKind::BigqueryAuditRows => "BigQuery rows of Cloud Audit Logs",
            EvidenceKind::AzureResourceLog => "Azure OpenAI resource log",
            EvidenceKind::AzureActivityLog => "Azure Activity Log",
            EvidenceKind::GcpAuditLog => "GCP Cloud Audit Log",
            EvidenceKind::LitellmSpendLogs => "LiteLLM spend logs",
            EvidenceKind::OpenrouterCsv => "OpenRouter activity CSV",
            EvidenceKind::Helicone => "Helicone requests",
            EvidenceKind::Langfuse => "Langfuse observations",
            EvidenceKind::CloudflareAiGateway => "Cloudflare AI Gateway logs",
            EvidenceKind::GithubAuditLog => "GitHub audit log",
            EvidenceKind::GithubSecretAlerts => "GitHub secret-scanning alerts",
            EvidenceKind::GitLog => "git log -p",
            EvidenceKind::Mbox => "git format-patch (mbox)",
            EvidenceKind::Diff => "unified diff",
            EvidenceKind::Env => ".env file",
            EvidenceKind::Text => "text",
            EvidenceKind::Rules => "scanner rules (TOML)",
            EvidenceKind::ClaudeCodeTranscript => "Claude Code session transcript",
            EvidenceKind::McpJsonRpc => "MCP JSON-RPC messages",
            EvidenceKind::ClaudeDesktopMcpLog => "Claude Desktop MCP log",
            EvidenceKind::ClaudeCodeOtlpLogs => "Claude Code OpenTelemetry events (OTLP/JSON)",
            EvidenceKind::ClaudeCodeHookInput => "Claude Code hook inputs",
            EvidenceKind::A2aMessages => "A2A messages",
            EvidenceKind::OpenaiAgentsTrace => "OpenAI Agents SDK traces or run state",
            EvidenceKind::OtlpTraces => "OpenTelemetry traces (OTLP/JSON)",
            EvidenceKind::OtlpLogs => "OpenTelemetry logs (OTLP/JSON)",
        }
    }

    /// Kinds with nothing to note in a list of many files: a plain text, a JSON of no known
    /// shape, a binary or empty file (a CSV of no known shape is of note: its columns can be
    /// mapped).
    pub fn is_plain(self) -> bool {
        matches!(
            self,
            EvidenceKind::Text
                | EvidenceKind::UnknownJson
                | EvidenceKind::Binary
                | EvidenceKind::Empty
        )
    }

    /// Kinds read as text lines by the scanner.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            EvidenceKind::GitLog
                | EvidenceKind::Mbox
                | EvidenceKind::Diff
                | EvidenceKind::Env
                | EvidenceKind::Text
        )
    }

    /// Agent logs: read into agent records for the agent stage, and scanned like texts.
    pub fn is_agent(self) -> bool {
        matches!(
            self,
            EvidenceKind::ClaudeCodeTranscript
                | EvidenceKind::McpJsonRpc
                | EvidenceKind::ClaudeDesktopMcpLog
                | EvidenceKind::ClaudeCodeOtlpLogs
                | EvidenceKind::ClaudeCodeHookInput
                | EvidenceKind::A2aMessages
                | EvidenceKind::OpenaiAgentsTrace
                | EvidenceKind::OtlpTraces
                | EvidenceKind::OtlpLogs
        )
    }

    /// Kinds read into usage events by a parser.
    pub fn is_usage(self) -> bool {
        !self.is_text()
            && !self.is_agent()
            && !matches!(
                self,
                EvidenceKind::Empty
                    | EvidenceKind::Binary
                    | EvidenceKind::UnknownJson
                    | EvidenceKind::UnknownCsv
                    | EvidenceKind::Rules
            )
    }
}
