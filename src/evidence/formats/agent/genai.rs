//! OpenTelemetry traces and logs as OTLP/JSON from any agent, read for the GenAI semantic
//! conventions: `execute_tool` spans are calls (with their outcome from the span's status),
//! `invoke_agent` CLIENT spans hand work to a remote agent, inference spans name the model;
//! `gen_ai.*` log events name the session and model. Both attribute generations are read
//! (`gen_ai.system` before `gen_ai.provider.name`; the model, tool and conversation
//! attributes kept their names). Spans and records without GenAI or MCP attributes are
//! counted and give nothing: the file's note says so. Sources: the OpenTelemetry
//! specification's OTLP JSON encoding, the GenAI semantic conventions (spans, agent spans,
//! events, MCP) and their deprecated-attributes registry.

use super::otlp::{each_item, item_time, Attributes, LOGS, SPANS};
use super::redaction::{known, known_tool};
use super::{count, cut, trim_input, AgentRecord, SessionFacts, Sink, What};
use crate::evidence::fields::s;
use crate::evidence::out::{Loc, Out};
use crate::evidence::time;
use serde_json::Value;

const TRACES: &str = "otel.genai_spans";
const EVENTS: &str = "otel.genai_events";

/// OTLP span kind CLIENT: the call goes to another process (a remote agent).
const KIND_CLIENT: i64 = 3;

/// OTLP status code ERROR.
const STATUS_ERROR: i64 = 2;

/// Attributes of one span or record, its own over its resource's.
struct Attrs<'a> {
    own: Attributes<'a>,
    resource: &'a Attributes<'a>,
}

impl Attrs<'_> {
    fn get(&self, k: &str) -> Option<&str> {
        self.own
            .get(k)
            .or_else(|| self.resource.get(k))
            .map(|v| v.as_ref())
            .and_then(known)
    }

    fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.get(k))
    }

    /// True when any attribute is a GenAI or MCP one.
    fn agentic(&self) -> bool {
        self.own
            .keys()
            .chain(self.resource.keys())
            .any(|k| k.starts_with("gen_ai.") || k.starts_with("mcp."))
    }

    /// The session: the GenAI conversation, else the MCP session.
    fn session(&self) -> Option<String> {
        self.first(&["gen_ai.conversation.id", "mcp.session.id"])
            .map(str::to_string)
    }

    fn facts(&self) -> SessionFacts {
        SessionFacts {
            model: self
                .first(&["gen_ai.response.model", "gen_ai.request.model"])
                .map(str::to_string),
            version: self
                .first(&["gen_ai.agent.version", "service.version"])
                .map(str::to_string),
            account: self
                .first(&["enduser.id", "user.id", "user.email"])
                .map(str::to_string),
            ..SessionFacts::default()
        }
    }
}

/// A value that may be a JSON string (the conventions allow structured values as JSON text).
fn json_or_text(v: &str) -> Value {
    serde_json::from_str::<Value>(v)
        .ok()
        .filter(|j| j.is_object() || j.is_array())
        .unwrap_or_else(|| Value::String(v.to_string()))
}

/// Reads OTLP/JSON trace requests.
pub fn traces(text: &str, out: &mut Out, sink: &mut Sink) {
    let mut read = 0u64;
    each_item(text, out, SPANS, &mut |out, resource, item, loc| {
        if span(out, sink, resource, item, loc) {
            read += 1;
        }
    });
    note(out, read, "spans");
}

/// Reads OTLP/JSON log requests from any producer (Claude Code's have their own reader).
pub fn logs(text: &str, out: &mut Out, sink: &mut Sink) {
    let mut read = 0u64;
    each_item(text, out, LOGS, &mut |out, resource, rec, loc| {
        if event(out, sink, resource, rec, loc) {
            read += 1;
        }
    });
    note(out, read, "log records");
}

fn note(out: &mut Out, read: u64, what: &str) {
    if read == 0 && out.events > 0 {
        out.note = Some(format!(
            "OpenTelemetry {what} without GenAI or MCP attributes (gen_ai.*, mcp.*): {} counted, none says anything about an agent's sessions or actions",
            out.events
        ));
    }
}

/// Reads one span; true when it carried GenAI or MCP attributes.
fn span(out: &mut Out, sink: &mut Sink, resource: &Attributes, span: &Value, loc: Loc) -> bool {
    let at = item_time(out, span, &["startTimeUnixNano", "endTimeUnixNano"], loc);
    count(out, at);
    let a = Attrs {
        own: super::otlp::attributes(span.get("attributes")),
        resource,
    };
    if !a.agentic() {
        return false;
    }
    let trace = s(span, &["traceId"]).map(otlp_id);
    let span_id = s(span, &["spanId"]).map(otlp_id);
    let session = a
        .session()
        .or_else(|| trace.as_ref().map(|t| format!("trace {t}")));
    // An integer in OTLP/JSON; a generic protobuf dump writes the enum's name.
    let kind = match span.get("kind") {
        Some(Value::String(k)) if k.ends_with("CLIENT") => Some(KIND_CLIENT),
        Some(k) => k.as_i64(),
        None => None,
    };
    let op = a.get("gen_ai.operation.name").or_else(|| {
        // MCP spans: `tools/call` is a tool execution.
        (a.get("mcp.method.name") == Some("tools/call")).then_some("execute_tool")
    });
    let remote_agent = op == Some("invoke_agent") && kind == Some(KIND_CLIENT);
    // The agent acting: a remote agent's name belongs to the hop, not to the caller.
    let agent = if remote_agent {
        a.get("service.name")
    } else {
        a.first(&["gen_ai.agent.name", "service.name"])
    }
    .map(str::to_string);
    let raw_ref = out.raw_ref(loc);
    let mut emit = |what: What| {
        sink(AgentRecord {
            at,
            source_format: TRACES,
            session: session.clone(),
            agent: agent.clone(),
            what,
            raw_ref: raw_ref.clone(),
        })
    };
    let mut facts = a.facts();
    if remote_agent {
        facts.version = None;
    }
    emit(What::Session(facts));
    let status = span.get("status");
    let code = status.and_then(|st| st.get("code")).and_then(|c| match c {
        Value::Number(n) => n.as_i64(),
        Value::String(t) if t.ends_with("ERROR") => Some(STATUS_ERROR),
        Value::String(_) => Some(0),
        _ => None,
    });
    // An ERROR status or an `error.type` is a failure, named by the type, else the status
    // message.
    let failed = code == Some(STATUS_ERROR) || a.get("error.type").is_some();
    let error = failed.then(|| {
        a.get("error.type")
            .or_else(|| status.and_then(|st| s(st, &["message"])))
            .unwrap_or("the span's status is ERROR")
            .to_string()
    });
    match op {
        Some("execute_tool") => {
            let id = a
                .first(&["gen_ai.tool.call.id", "jsonrpc.request.id"])
                .map(str::to_string)
                .or(span_id);
            let input = a
                .get("gen_ai.tool.call.arguments")
                .map(|v| trim_input(&json_or_text(v)))
                .unwrap_or(Value::Null);
            let server = a
                .first(&["server.address"])
                .filter(|_| a.get("mcp.method.name").is_some())
                .map(str::to_string);
            emit(What::Call {
                id: id.clone(),
                tool: a
                    .get("gen_ai.tool.name")
                    .and_then(known_tool)
                    .map(str::to_string),
                server,
                input,
            });
            emit(What::Result {
                id,
                ok: Some(error.is_none()),
                ran: Some(true),
                error: error.map(|e| cut(&e, 160)),
                commit: None,
            });
        }
        _ if remote_agent => {
            let url = a.get("server.address").map(|h| match a.get("server.port") {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            });
            let to = a
                .first(&["gen_ai.agent.name", "gen_ai.agent.id"])
                .map(str::to_string)
                .or_else(|| url.clone())
                .unwrap_or_else(|| "a remote agent the span does not name".into());
            emit(What::Handoff {
                call: span_id,
                to,
                via: "invoke_agent (remote agent)".into(),
                url,
                task: None,
                context: None,
            });
        }
        _ => {}
    }
    true
}

/// A trace or span id as OTLP/JSON writes it (hex, of either case: lower-cased), or as the
/// generic protobuf JSON mapping writes the id's bytes (padded standard base64,
/// `Q9YhchNPeQvhkdqwCmaxLA==`: decoded to the same lower-case hex a backend shows); any other
/// text as given, its case kept (base64 is not case-blind).
fn otlp_id(id: &str) -> String {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return id.to_ascii_lowercase();
    }
    base64_id(id).unwrap_or_else(|| id.to_string())
}

/// A 16-byte trace id (24 characters, `==`) or an 8-byte span id (12, `=`) in base64, as hex.
fn base64_id(id: &str) -> Option<String> {
    let body = match id.len() {
        24 => id.strip_suffix("==")?,
        12 => id.strip_suffix('=')?,
        _ => return None,
    };
    let (mut acc, mut bits, mut hex) = (0u32, 0u32, String::with_capacity(32));
    for c in body.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            hex.push_str(&format!("{:02x}", (acc >> bits) & 0xff));
        }
    }
    Some(hex)
}

/// Reads one log record; true when it is a GenAI event or carries GenAI attributes.
fn event(out: &mut Out, sink: &mut Sink, resource: &Attributes, rec: &Value, loc: Loc) -> bool {
    let a = Attrs {
        own: super::otlp::attributes(rec.get("attributes")),
        resource,
    };
    let mut at = item_time(out, rec, &["timeUnixNano", "observedTimeUnixNano"], loc);
    if at.is_none() {
        at = a.get("event.timestamp").and_then(time::parse).map(|t| t.t);
    }
    count(out, at);
    let name = s(rec, &["eventName"])
        .or_else(|| a.get("event.name"))
        .map(str::to_string);
    if !a.agentic() && !name.as_deref().is_some_and(|n| n.starts_with("gen_ai.")) {
        return false;
    }
    let raw_ref = out.raw_ref(loc);
    sink(AgentRecord {
        at,
        source_format: EVENTS,
        session: a.session(),
        agent: a
            .first(&["gen_ai.agent.name", "service.name"])
            .map(str::to_string),
        what: What::Session(a.facts()),
        raw_ref,
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;

    fn read(f: fn(&str, &mut Out, &mut Sink), text: &str) -> (Vec<AgentRecord>, Option<String>) {
        let mut recs = Vec::new();
        let mut no_events = |_| {};
        let mut out = Out::new("t.json", Problems::new("t.json"), &mut no_events);
        f(text, &mut out, &mut |r| recs.push(r));
        assert_eq!(out.problems.count(), 0);
        (recs, out.note)
    }

    fn attr(k: &str, v: &str) -> String {
        format!(r#"{{"key":"{k}","value":{{"stringValue":"{v}"}}}}"#)
    }

    fn span(id: &str, kind: u8, start: &str, attrs: &[(&str, &str)], status: &str) -> String {
        let attrs: Vec<String> = attrs.iter().map(|(k, v)| attr(k, v)).collect();
        format!(
            r#"{{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"{id}","name":"x","kind":{kind},"startTimeUnixNano":{start},"attributes":[{}]{status}}}"#,
            attrs.join(",")
        )
    }

    #[test]
    fn tool_spans_of_both_generations_and_a_remote_agent() {
        // Synthetic spans in the shape of the GenAI conventions: an older instrumentation
        // (`gen_ai.system`, time as a JSON number), a current one (`gen_ai.provider.name`,
        // a failed tool), and an invoke_agent CLIENT span.
        let spans = [
            span(
                "A1",
                1,
                "1785079282570000000",
                &[
                    ("gen_ai.operation.name", "execute_tool"),
                    ("gen_ai.system", "openai"),
                    ("gen_ai.tool.name", "get_weather"),
                    ("gen_ai.tool.call.id", "call_1"),
                    ("gen_ai.conversation.id", "conv-1"),
                ],
                "",
            ),
            span(
                "A2",
                1,
                "\"1785079283570000000\"",
                &[
                    ("gen_ai.operation.name", "execute_tool"),
                    ("gen_ai.provider.name", "anthropic"),
                    ("gen_ai.tool.name", "delete_file"),
                    (
                        "gen_ai.tool.call.arguments",
                        "{\\\"path\\\":\\\"/tmp/x\\\"}",
                    ),
                    ("gen_ai.conversation.id", "conv-1"),
                ],
                r#","status":{"code":2,"message":"denied"}"#,
            ),
            span(
                "A3",
                3,
                "\"1785079284570000000\"",
                &[
                    ("gen_ai.operation.name", "invoke_agent"),
                    ("gen_ai.agent.name", "billing"),
                    ("server.address", "billing.example.com"),
                    ("gen_ai.conversation.id", "conv-1"),
                ],
                "",
            ),
            span(
                "A4",
                2,
                "\"1785079285570000000\"",
                &[("http.method", "GET")],
                "",
            ),
        ];
        let text = format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{}]}},"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
            attr("service.name", "ops-bot"),
            spans.join(",")
        );
        let (r, note) = read(traces, &text);
        assert_eq!(note, None);
        let calls: Vec<_> = r
            .iter()
            .filter_map(|r| match &r.what {
                What::Call {
                    tool, id, input, ..
                } => Some((tool.clone(), id.clone(), input.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].0.as_deref(), Some("get_weather"));
        assert_eq!(calls[1].2["path"], "/tmp/x");
        assert!(r.iter().any(|r| matches!(&r.what, What::Result { ok: Some(false), error: Some(e), .. } if e == "denied")));
        assert!(r.iter().any(|r| matches!(&r.what, What::Handoff { to, url: Some(u), .. } if to == "billing" && u == "billing.example.com")));
        assert!(r.iter().all(|r| r.session.as_deref() == Some("conv-1")));
        assert!(r.iter().all(|r| r.agent.as_deref() == Some("ops-bot")));
        assert_eq!(
            crate::format::rfc3339(&r[0].at.unwrap()),
            "2026-07-26T15:21:22Z"
        );
    }

    #[test]
    fn an_error_status_alone_fails_the_call_and_a_named_client_kind_is_remote() {
        let text = format!(
            r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{},{}]}}]}}]}}"#,
            span(
                "C1",
                1,
                "\"1785079282570000000\"",
                &[
                    ("gen_ai.operation.name", "execute_tool"),
                    ("gen_ai.tool.name", "send_email")
                ],
                r#","status":{"code":2}"#
            ),
            span(
                "C2",
                1,
                "\"1785079282570000000\"",
                &[
                    ("gen_ai.operation.name", "invoke_agent"),
                    ("gen_ai.agent.name", "mailer")
                ],
                ""
            )
            .replace(r#""kind":1"#, r#""kind":"SPAN_KIND_CLIENT""#),
        );
        let (r, _) = read(traces, &text);
        assert!(r.iter().any(|r| matches!(&r.what, What::Result { ok: Some(false), error: Some(e), .. } if e == "the span's status is ERROR")));
        assert!(r
            .iter()
            .any(|r| matches!(&r.what, What::Handoff { to, .. } if to == "mailer")));
    }

    #[test]
    fn base64_ids_of_a_protobuf_json_dump_are_read_as_hex_not_lower_cased() {
        // A span as the generic protobuf JSON mapping writes it (OpenTelemetry's Python test
        // tooling dumps spans so): bytes in base64, the kind by its name.
        let text = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"Q9YhchNPeQvhkdqwCmaxLA==","spanId":"K1hO3xWK4TI=","name":"execute_tool x","kind":"SPAN_KIND_INTERNAL","startTimeUnixNano":"1747330242830926000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},{"key":"gen_ai.tool.name","value":{"stringValue":"x"}}]}]}]}]}"#;
        let (r, _) = read(traces, text);
        assert_eq!(
            r[0].session.as_deref(),
            Some("trace 43d62172134f790be191dab00a66b12c")
        );
        assert!(r.iter().any(
            |r| matches!(&r.what, What::Call { id: Some(id), .. } if id == "2b584edf158ae132")
        ));
        assert_eq!(
            otlp_id("5B8EFFF798038103D269B633813FC60C"),
            "5b8efff798038103d269b633813fc60c"
        );
        assert_eq!(otlp_id("Not-An-Id"), "Not-An-Id");
    }

    #[test]
    fn spans_and_logs_without_genai_are_counted_and_said_so() {
        let text = format!(
            r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
            span("B1", 2, "\"1544712660000000000\"", &[("my.attr", "v")], "")
        );
        let (r, note) = read(traces, &text);
        assert!(r.is_empty());
        assert!(note.unwrap().contains("1 counted"));
        let logs_text = r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1544712660300000000","body":{"stringValue":"x"}},{"eventName":"gen_ai.client.inference.operation.details","timeUnixNano":"1544712660300000000","attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"m-1"}}]}]}]}]}"#;
        let (r, note) = read(logs, logs_text);
        assert_eq!(note, None);
        assert!(matches!(&r[0].what, What::Session(f) if f.model.as_deref() == Some("m-1")));
    }
}
