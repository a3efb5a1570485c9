//! MCP JSON-RPC messages (protocol 2025-11-25 and the stateless 2026-07-28): `tools/call`
//! requests are calls, results and errors their outcomes (`result.isError` means the tool ran
//! and failed; an `error` object means it never ran), `initialize` and its result name the
//! client and the server. Source: the Model Context Protocol specification (lifecycle, tools)
//! and its schema examples.

use super::redaction::known;
use super::{count, cut, id_text, trim_input, AgentRecord, SessionFacts, Sink, What};
use crate::evidence::fields::{s, type_name};
use crate::evidence::json::walk;
use crate::evidence::out::{Loc, Out};
use chrono::{DateTime, Utc};
use serde_json::Value;

const FORMAT: &str = "mcp.jsonrpc";

/// Where a message was read, and what the log around it says.
pub struct Context<'a> {
    /// The source format.
    pub format: &'static str,
    /// When the message was logged.
    pub at: Option<DateTime<Utc>>,
    /// The session it belongs to.
    pub session: Option<&'a str>,
    /// The agent (the MCP client).
    pub agent: Option<&'a str>,
    /// The MCP server it went to or came from.
    pub server: Option<&'a str>,
}

/// Reads JSON-RPC messages: one document, an array (a batch) or JSON Lines.
pub fn messages(text: &str, out: &mut Out, sink: &mut Sink) {
    let mut one = |out: &mut Out, v: Value, loc: Loc| {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!(
                    "expected a JSON-RPC message, found {}; skipped",
                    type_name(&v)
                ),
            );
            return;
        }
        count(out, None);
        let client = s(
            &v,
            &[
                "params",
                "_meta",
                "io.modelcontextprotocol/clientInfo",
                "name",
            ],
        );
        let cx = Context {
            format: FORMAT,
            at: None,
            session: None,
            agent: client,
            server: None,
        };
        message(out, sink, &v, loc, &cx);
    };
    if super::is_object_lines(text) {
        super::json_lines(text, out, &mut one);
    } else {
        walk(text, &[], out, &mut one);
    }
}

/// Reads one parsed JSON-RPC message into records.
pub fn message(out: &mut Out, sink: &mut Sink, v: &Value, loc: Loc, cx: &Context) {
    let raw_ref = out.raw_ref(loc);
    let mut emit = |agent: Option<&str>, what: What| {
        sink(AgentRecord {
            at: cx.at,
            source_format: cx.format,
            session: cx.session.map(str::to_string),
            agent: cx.agent.or(agent).map(str::to_string),
            what,
            raw_ref: raw_ref.clone(),
        })
    };
    let id = id_text(v.get("id"));
    match s(v, &["method"]) {
        Some("tools/call") => emit(
            None,
            What::Call {
                id,
                tool: s(v, &["params", "name"])
                    .and_then(known)
                    .map(str::to_string),
                server: cx.server.map(str::to_string),
                input: v
                    .get("params")
                    .and_then(|p| p.get("arguments"))
                    .map(trim_input)
                    .unwrap_or(Value::Null),
            },
        ),
        Some("initialize") => {
            let client = s(v, &["params", "clientInfo", "name"]).and_then(known);
            emit(
                client,
                What::Session(SessionFacts {
                    version: s(v, &["params", "clientInfo", "version"])
                        .and_then(known)
                        .map(str::to_string),
                    ..SessionFacts::default()
                }),
            );
        }
        Some(_) => {}
        None => {
            if let Some(e) = v.get("error") {
                let code = e.get("code").map(|c| c.to_string()).unwrap_or_default();
                let msg = s(e, &["message"]).unwrap_or("");
                emit(
                    None,
                    What::Result {
                        id,
                        ok: Some(false),
                        ran: Some(false),
                        error: Some(cut(format!("{code} {msg}").trim(), 160)),
                        commit: None,
                    },
                );
            } else if let Some(r) = v.get("result") {
                if let Some(name) = s(r, &["serverInfo", "name"]).and_then(known) {
                    emit(
                        None,
                        What::Connection {
                            server: Some(cx.server.unwrap_or(name).to_string()),
                            transport: None,
                            status: "connected".into(),
                            scope: None,
                        },
                    );
                } else if r.get("content").is_some() || r.get("isError").is_some() {
                    let failed = r.get("isError").and_then(Value::as_bool).unwrap_or(false);
                    let error = failed.then(|| {
                        let t: Vec<&str> = match r.get("content") {
                            Some(Value::Array(parts)) => {
                                parts.iter().filter_map(|p| s(p, &["text"])).collect()
                            }
                            _ => Vec::new(),
                        };
                        cut(&t.join(" "), 160)
                    });
                    emit(
                        None,
                        What::Result {
                            id,
                            ok: Some(!failed),
                            ran: Some(true),
                            error,
                            commit: None,
                        },
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;

    fn records(text: &str) -> Vec<AgentRecord> {
        let mut recs = Vec::new();
        let mut sink_events = |_| {};
        let mut out = Out::new("m.json", Problems::new("m.json"), &mut sink_events);
        messages(text, &mut out, &mut |r| recs.push(r));
        recs
    }

    #[test]
    fn calls_and_both_error_channels() {
        let text = concat!(
            r#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"send_email","arguments":{"to":"a@b"}}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"bounced"}],"isError":true}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Unknown tool"}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            "\n",
        );
        let r = records(text);
        assert_eq!(r.len(), 3);
        assert!(
            matches!(&r[0].what, What::Call { tool: Some(t), id: Some(i), .. } if t == "send_email" && i == "2")
        );
        assert!(
            matches!(&r[1].what, What::Result { ok: Some(false), ran: Some(true), error: Some(e), .. } if e == "bounced")
        );
        assert!(
            matches!(&r[2].what, What::Result { ran: Some(false), error: Some(e), .. } if e == "-32602 Unknown tool")
        );
    }
}
