//! Telling agent logs apart by content (most specific first): a Claude Code transcript line,
//! Claude Code's OTLP/JSON events, other OTLP/JSON logs and traces, a hook input, an Agents
//! SDK trace or run state, A2A messages (JSON-RPC or HTTP), a Claude Desktop MCP log line,
//! MCP JSON-RPC messages. A2A JSON-RPC traffic is never taken for MCP.

use crate::evidence::json::{contains, HeadKeys};
use crate::evidence::EvidenceKind;

/// The agent kind of a JSON text, judged from its head and the keys in it.
pub fn json(head: &str, keys: &HeadKeys) -> Option<EvidenceKind> {
    let has = |n: &str| contains(head, n);
    let key = |k: &str| keys.has(k);
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
    if key("resourceLogs") {
        return Some(EvidenceKind::OtlpLogs);
    }
    if key("resourceSpans") {
        return Some(EvidenceKind::OtlpTraces);
    }
    if key("hook_event_name") && (key("session_id") || key("tool_name")) {
        return Some(EvidenceKind::ClaudeCodeHookInput);
    }
    // `"object": "trace.span"`, or `"object": "trace"` with a `trace_…` id.
    let compact = |t: &str| t.replace(": ", ":");
    let agents_trace = key("object")
        && (has("\"trace.span\"")
            || (compact(head).contains("\"object\":\"trace\"")
                && compact(head).contains("\"id\":\"trace_")));
    // A run state: the Python SDK writes `current_agent`, the JavaScript SDK `currentAgent`.
    if agents_trace || (key("$schemaVersion") && (key("current_agent") || key("currentAgent"))) {
        return Some(EvidenceKind::OpenaiAgentsTrace);
    }
    // A2A bodies outside JSON-RPC: a v1.0 push notification or a wrapped task.
    if key("contextId") && (key("statusUpdate") || key("artifactUpdate") || key("task")) {
        return Some(EvidenceKind::A2aMessages);
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
        if a2a {
            return Some(EvidenceKind::A2aMessages);
        }
        if mcp_method || mcp_result || key("error") {
            return Some(EvidenceKind::McpJsonRpc);
        }
    }
    None
}

/// True when the text is HTTP exchanges (a request or status line first) of A2A traffic: its
/// media type, its version header, its paths or its JSON-RPC methods.
pub fn a2a_http(head: &str) -> bool {
    let first = head.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    super::a2a::start_line(first.trim())
        && [
            "application/a2a+json",
            "A2A-Version:",
            "/message:send",
            "/message:stream",
            "\"message/send\"",
            "\"SendMessage\"",
            "\"statusUpdate\"",
            "\"contextId\"",
        ]
        .iter()
        .any(|m| contains(head, m))
}

/// True when one of the first lines is a Claude Desktop MCP log line.
pub fn desktop_log(head: &str) -> bool {
    head.lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        // A line's time is its first 20 bytes or more, `YYYY-MM-DDT…`: others are not split.
        .filter(|l| matches!(l.as_bytes(), [_, _, _, _, b'-', _, _, _, _, _, b'T', ..] if l.len() >= 20))
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
            (r#"{"resourceLogs":[{"scopeLogs":[{"scope":{"name":"other"}}]}]}"#, EvidenceKind::OtlpLogs),
            (r#"{"resourceSpans":[{"scopeSpans":[]}]}"#, EvidenceKind::OtlpTraces),
            (r#"{"session_id":"s","hook_event_name":"PreToolUse","tool_name":"Bash"}"#, EvidenceKind::ClaudeCodeHookInput),
            (r#"{"object":"trace.span","id":"span_1","span_data":{"type":"handoff"}}"#, EvidenceKind::OpenaiAgentsTrace),
            (r#"{"$schemaVersion":"1.3","current_agent":{"name":"a"},"trace":null}"#, EvidenceKind::OpenaiAgentsTrace),
            (r#"{"$schemaVersion":"1.1","currentTurn":0,"currentAgent":{"name":"a"},"trace":null}"#, EvidenceKind::OpenaiAgentsTrace),
            (r#"{"object": "trace", "id": "trace_0123", "workflow_name": "w"}"#, EvidenceKind::OpenaiAgentsTrace),
            (r#"{"object":"list","data":[{"trace_id":"x"}]}"#, EvidenceKind::UnknownJson),
            (r#"{"jsonrpc":"2.0","id":2,"error":{"code":-32001,"data":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo"}]}}"#, EvidenceKind::A2aMessages),
            (r#"{"statusUpdate":{"taskId":"t","contextId":"c"}}"#, EvidenceKind::A2aMessages),
            ("POST /message:send HTTP/1.1\nHost: a.example\n\n{}\n", EvidenceKind::A2aMessages),
            ("HTTP/1.1 200 OK\nContent-Type: text/html\n\n<html>\n", EvidenceKind::Text),
            (r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}"#, EvidenceKind::McpJsonRpc),
            (r#"{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Unknown tool"}}"#, EvidenceKind::McpJsonRpc),
            (r#"{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{"messageId":"m"}}}"#, EvidenceKind::A2aMessages),
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
