//! OpenAI Agents SDK traces and run states. Traces are exported as objects `{"object":
//! "trace", "id": "trace_…", "workflow_name", "group_id"}` and spans `{"object":
//! "trace.span", "id": "span_…", "trace_id", "parent_id", "started_at", "ended_at",
//! "span_data": {"type", …}, "error"}` (alone, in JSON Lines, or in the exporter's
//! `{"data": [...]}` batch); times are Python `isoformat()` with `+00:00` and microseconds.
//! A `function` span is a tool call (`mcp_data.server` names its MCP server), a `handoff`
//! span hands the run from one agent to another, `agent` and `generation` spans name the
//! agent and model, `mcp_tools` lists an MCP server's tools (a connection). A serialised run
//! state (`$schemaVersion`, `current_agent`, `trace`; the JavaScript SDK's `currentAgent`,
//! `conversationId`) names its trace, else its conversation, and its current agent.
//! The session is the trace. Source: the OpenAI Agents SDK for Python (tracing spans, span
//! data, processors, run state) and its tracing documentation.

use super::redaction::{known, known_tool};
use super::{count, cut, trim_input, AgentRecord, SessionFacts, Sink, What};
use crate::evidence::fields::{s, type_name};
use crate::evidence::json::walk;
use crate::evidence::out::{quote, Loc, Out};
use crate::evidence::time;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashMap;

const FORMAT: &str = "openai_agents";

/// Reads trace and span objects, or a run state.
pub fn traces(text: &str, out: &mut Out, sink: &mut Sink) {
    // The spans of a file first, so that each one's agent can be found through its parents.
    let mut items: Vec<(Value, Loc)> = Vec::new();
    let mut collect = |out: &mut Out, v: Value, loc: Loc| {
        if v.is_object() {
            items.push((v, loc));
        } else {
            out.problem(
                loc,
                None,
                format!(
                    "expected a trace, a span or a run state, found {}; skipped",
                    type_name(&v)
                ),
            );
        }
    };
    if super::is_object_lines(text) {
        super::json_lines(text, out, &mut collect);
    } else {
        walk(text, &["data"], out, &mut collect);
    }
    let mut parent: HashMap<String, String> = HashMap::new();
    let mut agent_of_span: HashMap<String, String> = HashMap::new();
    for (v, _) in &items {
        if let (Some(id), Some(p)) = (s(v, &["id"]), s(v, &["parent_id"])) {
            parent.insert(id.to_string(), p.to_string());
        }
        if s(v, &["span_data", "type"]) == Some("agent") {
            if let (Some(id), Some(n)) = (s(v, &["id"]), s(v, &["span_data", "name"])) {
                agent_of_span.insert(id.to_string(), n.to_string());
            }
        }
    }
    // The nearest agent span at or above a span (parents followed a bounded number of steps).
    let agent = |id: Option<&str>| {
        let mut cur = id?.to_string();
        for _ in 0..64 {
            if let Some(a) = agent_of_span.get(&cur) {
                return Some(a.clone());
            }
            cur = parent.get(&cur)?.clone();
        }
        None
    };
    for (v, loc) in &items {
        let raw_ref = out.raw_ref(*loc);
        if v.get("$schemaVersion").is_some()
            || v.get("current_agent").is_some()
            || v.get("currentAgent").is_some()
        {
            count(out, None);
            let trace = v.get("trace").unwrap_or(&Value::Null);
            // The Python SDK's keys, else the JavaScript SDK's; without a trace, the server-side
            // conversation the run continues.
            let session = s(trace, &["id"])
                .or_else(|| s(v, &["conversation_id"]))
                .or_else(|| s(v, &["conversationId"]));
            sink(AgentRecord {
                at: None,
                source_format: FORMAT,
                session: session.and_then(known).map(str::to_string),
                agent: s(v, &["current_agent", "name"])
                    .or_else(|| s(v, &["currentAgent", "name"]))
                    .and_then(known)
                    .map(str::to_string),
                what: What::Session(SessionFacts::default()),
                raw_ref,
            });
            continue;
        }
        match s(v, &["object"]) {
            Some("trace") => {
                count(out, None);
                sink(AgentRecord {
                    at: None,
                    source_format: FORMAT,
                    session: s(v, &["id"]).and_then(known).map(str::to_string),
                    agent: s(v, &["workflow_name"]).and_then(known).map(str::to_string),
                    what: What::Session(SessionFacts::default()),
                    raw_ref,
                });
            }
            Some("trace.span") => {
                let name = agent(s(v, &["id"]));
                span(out, sink, v, *loc, name);
            }
            other => {
                count(out, None);
                out.problem(
                    *loc,
                    Some("object"),
                    format!(
                        "not a trace or a span ({}); skipped",
                        other.map(quote).unwrap_or_else(|| "no object".into())
                    ),
                );
            }
        }
    }
}

fn at(out: &mut Out, v: &Value, loc: Loc) -> Option<DateTime<Utc>> {
    for key in ["started_at", "ended_at"] {
        if let Some(t) = s(v, &[key]) {
            match time::parse(t) {
                Some(ts) => return Some(ts.t),
                None => out.problem(loc, Some(key), format!("not a time: {}; ignored", quote(t))),
            }
        }
    }
    None
}

fn span(out: &mut Out, sink: &mut Sink, v: &Value, loc: Loc, agent: Option<String>) {
    let at = at(out, v, loc);
    count(out, at);
    let data = v.get("span_data").unwrap_or(&Value::Null);
    let id = s(v, &["id"]).map(str::to_string);
    let error = v
        .get("error")
        .filter(|e| !e.is_null())
        .map(|e| cut(s(e, &["message"]).unwrap_or("error"), 160));
    let raw_ref = out.raw_ref(loc);
    let mut emit = |agent: Option<String>, what: What| {
        sink(AgentRecord {
            at,
            source_format: FORMAT,
            session: s(v, &["trace_id"]).and_then(known).map(str::to_string),
            agent,
            what,
            raw_ref: raw_ref.clone(),
        })
    };
    match s(data, &["type"]) {
        Some("agent") => emit(agent, What::Session(SessionFacts::default())),
        Some("generation") => emit(
            agent,
            What::Session(SessionFacts {
                model: s(data, &["model"]).and_then(known).map(str::to_string),
                ..SessionFacts::default()
            }),
        ),
        Some("function") => {
            // The input is the model's JSON arguments as a string.
            let input = match data.get("input") {
                Some(Value::String(t)) => {
                    serde_json::from_str::<Value>(t).unwrap_or_else(|_| Value::String(t.clone()))
                }
                Some(other) => other.clone(),
                None => Value::Null,
            };
            emit(
                agent.clone(),
                What::Call {
                    id: id.clone(),
                    tool: s(data, &["name"]).and_then(known_tool).map(str::to_string),
                    server: s(data, &["mcp_data", "server"])
                        .and_then(known)
                        .map(str::to_string),
                    input: trim_input(&input),
                },
            );
            emit(
                agent,
                What::Result {
                    id,
                    ok: Some(error.is_none()),
                    ran: Some(true),
                    error,
                    commit: None,
                },
            );
        }
        Some("handoff") => {
            let from = s(data, &["from_agent"])
                .and_then(known)
                .map(str::to_string)
                .or(agent);
            match s(data, &["to_agent"]).and_then(known) {
                Some(to) if error.is_none() => emit(
                    from,
                    What::Handoff {
                        call: id,
                        to: to.to_string(),
                        via: "Agents SDK handoff".into(),
                        url: None,
                        task: None,
                        context: None,
                    },
                ),
                _ => emit(
                    from,
                    What::Result {
                        id,
                        ok: Some(false),
                        ran: Some(false),
                        error: Some(error.unwrap_or_else(|| "a handoff to no named agent".into())),
                        commit: None,
                    },
                ),
            }
        }
        Some("mcp_tools") => emit(
            agent,
            What::Connection {
                server: s(data, &["server"]).and_then(known).map(str::to_string),
                transport: None,
                status: "connected".into(),
                scope: None,
            },
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;

    #[test]
    fn a_batch_with_a_handoff_and_a_tool_call_under_the_second_agent() {
        // Synthetic batch in the shape the SDK's exporter posts.
        let text = r#"{"data":[
 {"object":"trace","id":"trace_0123456789abcdef0123456789abcdef","workflow_name":"support"},
 {"object":"trace.span","id":"span_a","trace_id":"trace_0123456789abcdef0123456789abcdef","parent_id":null,"started_at":"2026-05-06T19:00:01.400123+00:00","ended_at":null,"span_data":{"type":"agent","name":"triage"},"error":null},
 {"object":"trace.span","id":"span_h","trace_id":"trace_0123456789abcdef0123456789abcdef","parent_id":"span_a","started_at":"2026-05-06T19:00:02.000000+00:00","span_data":{"type":"handoff","from_agent":"triage","to_agent":"refunds"},"error":null},
 {"object":"trace.span","id":"span_b","trace_id":"trace_0123456789abcdef0123456789abcdef","parent_id":null,"started_at":"2026-05-06T19:00:03.000000+00:00","span_data":{"type":"agent","name":"refunds"},"error":null},
 {"object":"trace.span","id":"span_f","trace_id":"trace_0123456789abcdef0123456789abcdef","parent_id":"span_b","started_at":"2026-05-06T19:00:04.000000+00:00","span_data":{"type":"function","name":"issue_refund","input":"{\"order\":7}","output":"ok","mcp_data":null},"error":{"message":"card declined","data":null}},
 {"object":"trace.span","id":"span_x","trace_id":"t","started_at":"later","span_data":{"type":"custom"}}
]}"#;
        let mut recs = Vec::new();
        let mut no_events = |_| {};
        let mut out = Out::new("o.json", Problems::new("o.json"), &mut no_events);
        traces(text, &mut out, &mut |r| recs.push(r));
        assert_eq!(out.problems.count(), 1);
        assert_eq!(out.events, 6);
        assert!(recs.iter().any(
            |r| matches!(&r.what, What::Handoff { to, .. } if to == "refunds")
                && r.agent.as_deref() == Some("triage")
        ));
        let call = recs
            .iter()
            .find(|r| matches!(r.what, What::Call { .. }))
            .unwrap();
        assert_eq!(call.agent.as_deref(), Some("refunds"));
        assert!(matches!(&call.what, What::Call { input, .. } if input["order"] == 7));
        assert_eq!(
            crate::format::rfc3339(&call.at.unwrap()),
            "2026-05-06T19:00:04Z"
        );
        assert!(recs.iter().any(|r| matches!(&r.what, What::Result { ok: Some(false), error: Some(e), .. } if e == "card declined")));
    }

    #[test]
    fn a_javascript_run_state_names_its_agent_and_conversation() {
        // The JavaScript SDK's keys (its run-state test fixture `v1.1-server-continuation`).
        let text = r#"{"$schemaVersion":"1.1","currentTurn":0,"currentAgent":{"name":"HistoricalAgent"},"conversationId":"conversation-historical","trace":null}"#;
        let mut recs = Vec::new();
        let mut no_events = |_| {};
        let mut out = Out::new("s.json", Problems::new("s.json"), &mut no_events);
        traces(text, &mut out, &mut |r| recs.push(r));
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].agent.as_deref(), Some("HistoricalAgent"));
        assert_eq!(recs[0].session.as_deref(), Some("conversation-historical"));
    }
}
