//! Agent logs: Claude Code session transcripts, hook inputs and OpenTelemetry log events, MCP
//! JSON-RPC messages, Claude Desktop `mcp-server-*.log` files, A2A messages, OpenAI Agents
//! SDK traces and OpenTelemetry traces and logs with GenAI attributes, read into
//! [`AgentRecord`]s (session facts, tool calls and results, subagents, connections) for the
//! agent stage. The evidence stage reads them for the inventory (records, times, problems);
//! the agent stage reads them again for the records ([`read`] with a sink).

pub mod a2a;
pub mod claude_code;
pub mod desktop_log;
pub mod genai;
pub mod hooks;
pub mod mcp;
pub mod openai_agents;
pub mod otlp;
pub mod record;
pub mod redaction;
pub mod sniff;

pub use record::{AgentRecord, SessionFacts, What};

use crate::evidence::json::parse_keeping;
use crate::evidence::out::{Loc, Out};
use crate::evidence::EvidenceKind;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// What a reader calls for each record.
pub type Sink<'a> = dyn FnMut(AgentRecord) + 'a;

/// Reads a text of an agent kind, sending each record to `sink`; lines and messages read are
/// counted in `out` (its `events`, `first` and `last`), problems reported there.
pub fn read(kind: EvidenceKind, text: &str, out: &mut Out, sink: &mut Sink) {
    match kind {
        EvidenceKind::ClaudeCodeTranscript => claude_code::transcript(text, out, sink),
        EvidenceKind::McpJsonRpc => mcp::messages(text, out, sink),
        EvidenceKind::ClaudeDesktopMcpLog => desktop_log::log(text, out, sink),
        EvidenceKind::ClaudeCodeOtlpLogs => otlp::claude_code_logs(text, out, sink),
        EvidenceKind::ClaudeCodeHookInput => hooks::inputs(text, out, sink),
        EvidenceKind::A2aMessages => a2a::messages(text, out, sink),
        EvidenceKind::OpenaiAgentsTrace => openai_agents::traces(text, out, sink),
        EvidenceKind::OtlpTraces => genai::traces(text, out, sink),
        EvidenceKind::OtlpLogs => genai::logs(text, out, sink),
        _ => {}
    }
}

/// Counts one line or message read (the inventory's records and time range).
pub(crate) fn count(out: &mut Out, at: Option<DateTime<Utc>>) {
    out.events += 1;
    if let Some(t) = at {
        if out.first.is_none_or(|f| t < f) {
            out.first = Some(t);
        }
        if out.last.is_none_or(|l| t > l) {
            out.last = Some(t);
        }
    }
}

/// Calls `f` with each non-blank line parsed as JSON (a line that is not valid JSON is a
/// problem at its line, and reading goes on).
pub fn json_lines<'s>(text: &str, out: &mut Out<'s>, f: &mut dyn FnMut(&mut Out<'s>, Value, Loc)) {
    json_lines_keeping(text, out, None, f)
}

/// [`json_lines`], building of each line only the top-level keys in `keep` (when given).
pub fn json_lines_keeping<'s>(
    text: &str,
    out: &mut Out<'s>,
    keep: Option<&[&str]>,
    f: &mut dyn FnMut(&mut Out<'s>, Value, Loc),
) {
    for (i, raw) in text.split('\n').enumerate() {
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        let loc = Loc::line(i as u64 + 1);
        if let Some(v) = parse_keeping(out, l, loc, keep) {
            f(out, v, loc);
        }
    }
}

/// True when a text is JSON Lines of objects: more than one non-blank line and every one
/// starting with `{` (a pretty-printed document's inner lines do not), so that a broken line,
/// even the first, costs only itself.
pub fn is_object_lines(text: &str) -> bool {
    let mut n = 0;
    for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !l.starts_with('{') || l == "{" {
            return false;
        }
        n += 1;
    }
    n > 1
}

/// Longest string kept from a call's arguments, in characters.
pub const MAX_ARG_CHARS: usize = 240;

/// A call's arguments with every long string cut to [`MAX_ARG_CHARS`] (and marked so), and
/// nesting below three levels dropped: enough to classify and summarise, never a file's body.
pub fn trim_input(v: &Value) -> Value {
    trim_at(v, 0)
}

fn trim_at(v: &Value, depth: usize) -> Value {
    match v {
        Value::String(s) => Value::String(cut(s, MAX_ARG_CHARS)),
        Value::Array(a) if depth < 3 => {
            Value::Array(a.iter().take(20).map(|x| trim_at(x, depth + 1)).collect())
        }
        Value::Object(m) if depth < 3 => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), trim_at(x, depth + 1)))
                .collect(),
        ),
        Value::Array(_) | Value::Object(_) => Value::String("…".into()),
        other => other.clone(),
    }
}

/// A string cut to `max` characters, with `…` where it was cut.
pub fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// An MCP tool's server and name from Claude Code's `mcp__<server>__<tool>` naming.
pub fn mcp_server_of(tool: &str) -> Option<&str> {
    let rest = tool.strip_prefix("mcp__")?;
    rest.split_once("__").map(|(server, _)| server)
}

/// A JSON-RPC id (number or string) as text.
pub fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_arguments_are_cut_and_mcp_names_split() {
        let v =
            serde_json::json!({"command": "x".repeat(500), "n": 3, "deep": {"a": {"b": {"c": 1}}}});
        let t = trim_input(&v);
        assert_eq!(
            t["command"].as_str().unwrap().chars().count(),
            MAX_ARG_CHARS + 1
        );
        assert_eq!(t["n"], 3);
        assert_eq!(t["deep"]["a"]["b"], "…");
        assert_eq!(mcp_server_of("mcp__github__create_issue"), Some("github"));
        assert_eq!(mcp_server_of("Bash"), None);
        assert_eq!(cut("héllo", 2), "hé…");
    }

    #[test]
    fn a_broken_first_line_of_json_lines_costs_only_itself() {
        use crate::evidence::Problems;
        assert!(is_object_lines("{\"a\":1}\n{\"b\":2}\n"));
        assert!(!is_object_lines("{\n  \"a\": 1\n}\n"));
        assert!(!is_object_lines("{\"a\":1}\n"));
        let mcp = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/ca\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"x\"}}\n";
        let otlp = "{\"resourceLogs\":[\n{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1785079282570000000\",\"body\":{\"stringValue\":\"claude_code.user_prompt\"}}]}]}]}\n";
        for (kind, text) in [
            (EvidenceKind::McpJsonRpc, mcp),
            (EvidenceKind::ClaudeCodeOtlpLogs, otlp),
        ] {
            let mut recs = Vec::new();
            let mut no_events = |_| {};
            let mut out = Out::new("f", Problems::new("f"), &mut no_events);
            read(kind, text, &mut out, &mut |r| recs.push(r));
            assert_eq!(out.problems.count(), 1, "{kind:?}");
            assert_eq!(out.events, 1, "{kind:?}");
            assert_eq!(recs[0].raw_ref.line, Some(2), "{kind:?}");
        }
    }
}
