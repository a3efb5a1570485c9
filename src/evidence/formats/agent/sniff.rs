//! Telling agent logs apart by content (most specific first): a Claude Code transcript line,
//! Claude Code's OTLP/JSON events, a Claude Desktop MCP log line, MCP JSON-RPC messages.
//! A2A JSON-RPC traffic is not MCP and is left to the other sniffers.

use crate::evidence::json::is_key;
use crate::evidence::EvidenceKind;

/// The agent kind of a JSON text, judged from its head.
pub fn json(head: &str) -> Option<EvidenceKind> {
    let has = |n: &str| head.contains(n);
    let key = |k: &str| is_key(head, k);
    let first = head.trim_start();
    if (key("sessionId") && (key("uuid") || key("parentUuid")))
        || ["file-history-snapshot", "queue-operation"]
            .iter()
            .any(|t| first.starts_with(&format!("{{\"type\":\"{t}\"")))
    {
        return Some(EvidenceKind::ClaudeCodeTranscript);
    }
    if key("resourceLogs")
        && (has("com.anthropic.claude_code") || has("\"claude_code.") || has("\"claude-code"))
    {
        return Some(EvidenceKind::ClaudeCodeOtlpLogs);
    }
    if key("jsonrpc") {
        let a2a = key("contextId")
            || key("taskId")
            || key("messageId")
            || has("\"message/")
            || has("\"tasks/")
            || has("SendMessage")
            || has("GetTask")
            || has("google.rpc")
            || has("PushNotificationConfig");
        let mcp_method = [
            "\"tools/",
            "\"initialize\"",
            "\"notifications/",
            "\"server/discover\"",
            "\"resources/",
            "\"prompts/",
            "\"sampling/",
            "\"elicitation/",
            "\"roots/",
        ]
        .iter()
        .any(|m| has(m));
        let mcp_result = key("isError") || key("serverInfo") || key("resultType") || key("content");
        if !a2a && (mcp_method || mcp_result || key("error")) {
            return Some(EvidenceKind::McpJsonRpc);
        }
    }
    None
}

/// True when one of the first lines is a Claude Desktop MCP log line.
pub fn desktop_log(head: &str) -> bool {
    head.lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .filter_map(super::desktop_log::split)
        .any(|p| {
            [
                "Message from ",
                "Initializing server",
                "Server started",
                "Client transport closed",
                "Server transport closed",
                "Server disconnected",
            ]
            .iter()
            .any(|m| p.message.starts_with(m))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::sniff;

    #[test]
    fn agent_kinds_by_content() {
        let cases = [
            (r#"{"parentUuid":null,"sessionId":"s","uuid":"u","type":"user"}"#, EvidenceKind::ClaudeCodeTranscript),
            (r#"{"type":"file-history-snapshot","messageId":"m","snapshot":{}}"#, EvidenceKind::ClaudeCodeTranscript),
            (r#"{"resourceLogs":[{"scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events"}}]}]}"#, EvidenceKind::ClaudeCodeOtlpLogs),
            (r#"{"resourceLogs":[{"scopeLogs":[{"scope":{"name":"other"}}]}]}"#, EvidenceKind::UnknownJson),
            (r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}"#, EvidenceKind::McpJsonRpc),
            (r#"{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Unknown tool"}}"#, EvidenceKind::McpJsonRpc),
            (r#"{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{"messageId":"m"}}}"#, EvidenceKind::UnknownJson),
            (r#"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}"#, EvidenceKind::UnknownJson),
            (
                "2026-03-01T13:17:37.325Z [filesystem] [info] Message from client: {\"method\":\"tools/call\"} { metadata: undefined }\n",
                EvidenceKind::ClaudeDesktopMcpLog,
            ),
            ("Secure MCP Filesystem Server running on stdio\n2026-03-01T19:00:00.735Z [fs] [info] Client transport closed { metadata: undefined }\n", EvidenceKind::ClaudeDesktopMcpLog),
            ("2026-04-12 12:53:22 [info] something else\n", EvidenceKind::Text),
        ];
        for (text, want) in cases {
            assert_eq!(sniff(text), want, "{text}");
        }
    }
}
