//! Claude Desktop's MCP logs (`mcp-server-<name>.log`, `mcp.log`): one line per message,
//! `<RFC 3339 time> [<server>] [<level>] Message from client|server: <JSON-RPC> { metadata: … }`,
//! lifecycle lines (`Server started and connected successfully`, `Client transport closed`,
//! `Server disconnected. …`) and, unprefixed, the server's own stderr and multi-line dumps.
//! Long messages are cut mid-string (`...[N chars truncated]...`): their method, id and tool
//! name are read from the text and the rest is unknown. Source: a real Claude Desktop
//! `mcp-server-filesystem.log` (2026) and the MCP specification's debugging guide.

use super::redaction::TRUNCATED;
use super::{count, mcp, AgentRecord, Sink, What};
use crate::evidence::json::parse_value;
use crate::evidence::out::{Loc, Out};
use crate::evidence::time;
use serde_json::Value;

const FORMAT: &str = "claude_desktop.mcp_log";

/// The agent a Claude Desktop log belongs to (named by the log's own format).
pub const AGENT: &str = "claude-desktop";

/// A log line's parts: time, server, level and message.
pub struct Line<'a> {
    /// The time as written.
    pub time: &'a str,
    /// The server's name.
    pub server: &'a str,
    /// `info`, `error`, `warn`, `debug`.
    pub level: &'a str,
    /// The rest of the line.
    pub message: &'a str,
}

/// Splits `<time> [<server>] [<level>] <message>`; `None` for any other line.
pub fn split(l: &str) -> Option<Line<'_>> {
    let (time, rest) = l.split_once(' ')?;
    let b = time.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[10] != b'T' || !time.ends_with('Z') {
        return None;
    }
    let rest = rest.strip_prefix('[')?;
    let (server, rest) = rest.split_once("] [")?;
    let (level, message) = rest.split_once("] ")?;
    if !level.chars().all(|c| c.is_ascii_lowercase()) || level.is_empty() {
        return None;
    }
    Some(Line {
        time,
        server,
        level,
        message,
    })
}

/// Reads a log. The session is the server's connection as this log holds it.
pub fn log(text: &str, out: &mut Out, sink: &mut Sink) {
    let file = out.file.to_string();
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i as u64 + 1;
        let l = raw.trim_end_matches('\r');
        let Some(p) = split(l) else {
            // The server's stderr and multi-line object dumps: not the client's messages.
            continue;
        };
        let loc = Loc::line(line_no);
        let at = match time::parse(p.time) {
            Some(ts) => Some(ts.t),
            None => {
                out.problem(
                    loc,
                    Some("time"),
                    format!("not a time: {:?}; the line is read without a time", p.time),
                );
                None
            }
        };
        count(out, at);
        let session = format!("{file}#{}", p.server);
        let cx = mcp::Context {
            format: FORMAT,
            at,
            session: Some(&session),
            agent: Some(AGENT),
            server: Some(p.server),
        };
        let body = p
            .message
            .strip_prefix("Message from client: ")
            .or_else(|| p.message.strip_prefix("Message from server: "));
        if let Some(json) = body {
            let json = json.split(" { metadata:").next().unwrap_or(json).trim();
            if json.contains(TRUNCATED) {
                out.problem(
                    loc,
                    None,
                    "the log cut this message (chars truncated): its method, id and tool name were read from the text, the rest is unknown".into(),
                );
                let v = tolerant(json);
                mcp::message(out, sink, &v, loc, &cx);
            } else if let Some(v) = parse_value(out, json, loc) {
                mcp::message(out, sink, &v, loc, &cx);
            }
            continue;
        }
        let status = if p
            .message
            .starts_with("Server started and connected successfully")
        {
            Some("connected")
        } else if p.message.starts_with("Server disconnected")
            || p.message.starts_with("Client transport closed")
        {
            Some("disconnected")
        } else {
            None
        };
        if let Some(status) = status {
            let raw_ref = out.raw_ref(loc);
            sink(AgentRecord {
                at,
                source_format: FORMAT,
                session: Some(session),
                agent: Some(AGENT.into()),
                what: What::Connection {
                    server: Some(p.server.to_string()),
                    transport: Some("stdio".into()),
                    status: status.into(),
                    scope: None,
                },
                raw_ref,
            });
        }
    }
}

/// The top-level `jsonrpc`, `id`, `method` and `params.name` of a message cut mid-string,
/// found in its text (the first occurrence of each key, before the cut).
fn tolerant(json: &str) -> Value {
    let head = json.split("...[").next().unwrap_or(json);
    let mut m = serde_json::Map::new();
    if let Some(method) = string_after(head, "\"method\":") {
        m.insert("method".into(), Value::String(method.clone()));
        if method == "tools/call" {
            if let Some(name) = string_after(head, "\"name\":") {
                m.insert("params".into(), serde_json::json!({ "name": name }));
            }
        }
    }
    if let Some(i) = head.find("\"id\":") {
        let rest = &head[i + 5..];
        let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !n.is_empty() {
            m.insert("id".into(), Value::String(n));
        }
    }
    Value::Object(m)
}

/// The JSON string right after `key` in `text`, when it is whole.
fn string_after(text: &str, key: &str) -> Option<String> {
    let rest = &text[text.find(key)? + key.len()..];
    let rest = rest.trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;

    #[test]
    fn lines_lifecycle_and_cut_messages() {
        // Synthetic lines in the grammar of a Claude Desktop MCP log.
        let text = concat!(
            "2026-03-01T09:40:01.045Z [fs] [info] Message from client: {\"method\":\"tools/call\",\"params\":{\"name\":\"write_file\",\"arguments\":{\"path\":\"/a\"}},\"jsonrpc\":\"2.0\",\"id\":2} { metadata: undefined }\n",
            "Server running on stdio\n",
            "2026-03-01T09:40:02.000Z [fs] [info] Message from client: {\"method\":\"tools/call\",\"params\":{\"name\":\"read_text_file\",\"arguments\":{\"path\":\"x...[99 chars truncated]...\n",
            "2026-03-01T09:40:03.000Z [fs] [error] Server disconnected. See docs { metadata: { context: 'connection', stack: undefined } }\n",
        );
        let mut recs = Vec::new();
        let mut sink_events = |_| {};
        let mut out = Out::new("mcp-server-fs.log", Problems::new("f"), &mut sink_events);
        log(text, &mut out, &mut |r| recs.push(r));
        assert_eq!(out.events, 3);
        assert_eq!(out.problems.count(), 1);
        assert_eq!(recs.len(), 3);
        assert!(
            matches!(&recs[0].what, What::Call { tool: Some(t), server: Some(s), .. } if t == "write_file" && s == "fs")
        );
        assert!(
            matches!(&recs[1].what, What::Call { tool: Some(t), input: Value::Null, .. } if t == "read_text_file")
        );
        assert!(
            matches!(&recs[2].what, What::Connection { status, .. } if status == "disconnected")
        );
        assert_eq!(recs[2].raw_ref.line, Some(4));
        assert_eq!(recs[0].session.as_deref(), Some("mcp-server-fs.log#fs"));
    }
}
