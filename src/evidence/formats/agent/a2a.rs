//! A2A (Agent2Agent protocol) messages: JSON-RPC of v0.3 (`message/send`, `tasks/get`, ...,
//! objects with `kind`) and v1.0 (`SendMessage`, `GetTask`, ..., results wrapped as
//! `{"task": …}`), and HTTP+JSON exchanges as a proxy or a client logs them (a request or
//! status line, headers, a blank line, a JSON body; several in one file). A message sent is a
//! call and a hand-off of work to the receiving agent; a task in a response or a push
//! notification is that task's state. Sources: the A2A specification v0.3.0 and v1.0.1
//! (JSON-RPC and HTTP+JSON bindings, task states, push notifications) and its protobuf.

use super::redaction::known;
use super::{count, cut, id_text, trim_input, AgentRecord, Sink, What};
use crate::evidence::fields::{s, type_name};
use crate::evidence::json::{parse_value, walk};
use crate::evidence::out::{Loc, Out};
use crate::evidence::time;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

const FORMAT: &str = "a2a";

/// Methods that send a message to the remote agent (v0.3 and v1.0 names).
const SEND: [&str; 4] = [
    "message/send",
    "message/stream",
    "SendMessage",
    "SendStreamingMessage",
];

/// Task states that mean the task did not do its work.
const FAILED: [&str; 4] = [
    "failed",
    "rejected",
    "TASK_STATE_FAILED",
    "TASK_STATE_REJECTED",
];

/// What the HTTP exchange around a body says.
#[derive(Default)]
struct Http {
    /// The A2A method the request's path names (`SendMessage` for `POST /message:send`).
    method: Option<String>,
    /// `https://<Host><path>` of a request.
    url: Option<String>,
    /// The `Date` header's time.
    at: Option<DateTime<Utc>>,
    /// The response's status code.
    status: Option<u16>,
    /// Pairs a response with the request before it (HTTP has no message ids): the request's
    /// line.
    pair: Option<String>,
}

/// Reads A2A messages: JSON-RPC (one document, a batch, JSON Lines) or HTTP exchanges.
pub fn messages(text: &str, out: &mut Out, sink: &mut Sink) {
    if is_http(text) {
        return exchanges(text, out, sink);
    }
    let mut one = |out: &mut Out, v: Value, loc: Loc| {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!("expected an A2A message, found {}; skipped", type_name(&v)),
            );
            return;
        }
        message(out, sink, &v, loc, &Http::default());
    };
    if super::is_object_lines(text) {
        super::json_lines(text, out, &mut one);
    } else {
        walk(text, &[], out, &mut one);
    }
}

/// A request line (`POST /message:send HTTP/1.1`) or a status line (`HTTP/1.1 200 OK`).
pub fn start_line(l: &str) -> bool {
    let mut w = l.split_whitespace();
    match (w.next(), w.next(), w.next()) {
        (Some(v), Some(code), _) if v.starts_with("HTTP/") => {
            code.len() == 3 && code.bytes().all(|c| c.is_ascii_digit())
        }
        (Some(m), Some(p), Some(v)) => {
            ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&m)
                && p.starts_with('/')
                && v.starts_with("HTTP/")
        }
        _ => false,
    }
}

/// True when the text's first non-blank line starts an HTTP message.
fn is_http(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| start_line(l.trim()))
}

/// The A2A method an HTTP+JSON request's path names.
fn method_of_path(verb: &str, path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or(path);
    Some(match verb {
        "POST" if path.ends_with("/message:send") => "SendMessage",
        "POST" if path.ends_with("/message:stream") => "SendStreamingMessage",
        "POST" if path.contains("/tasks/") && path.ends_with(":cancel") => "CancelTask",
        "POST" if path.contains("/tasks/") && path.ends_with(":subscribe") => "SubscribeToTask",
        "POST" if path.contains("/pushNotificationConfigs") => "CreateTaskPushNotificationConfig",
        "DELETE" if path.contains("/pushNotificationConfigs") => "DeleteTaskPushNotificationConfig",
        "GET" if path.contains("/pushNotificationConfigs") => "GetTaskPushNotificationConfig",
        "GET" if path.ends_with("/tasks") => "ListTasks",
        "GET" if path.contains("/tasks/") => "GetTask",
        "GET" if path.ends_with("/extendedAgentCard") => "GetExtendedAgentCard",
        _ => return None,
    })
}

/// Reads HTTP exchanges: each message from its start line to the next; the records of one
/// are placed at its start line (its headers follow it).
fn exchanges(text: &str, out: &mut Out, sink: &mut Sink) {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut i = 0;
    let mut last_request: Option<String> = None;
    while i < lines.len() {
        let l = lines[i].trim();
        if !start_line(l) {
            if !l.is_empty() {
                out.problem(
                    Loc::line(i as u64 + 1),
                    None,
                    "not part of an HTTP message (expected a request or status line); skipped"
                        .into(),
                );
            }
            i += 1;
            continue;
        }
        let start = i;
        let mut http = Http::default();
        let mut w = l.split_whitespace();
        let (a, b) = (w.next().unwrap_or(""), w.next().unwrap_or(""));
        let mut path = None;
        if a.starts_with("HTTP/") {
            http.status = b.parse().ok();
            http.pair = last_request.take();
        } else {
            http.method = method_of_path(a, b).map(str::to_string);
            path = Some(b.to_string());
            http.pair = Some(format!("request at line {}", i + 1));
            last_request.clone_from(&http.pair);
        }
        i += 1;
        while i < lines.len() && !lines[i].trim().is_empty() {
            if let Some((name, value)) = lines[i].split_once(':') {
                let value = value.trim();
                match name.trim().to_ascii_lowercase().as_str() {
                    "host" => {
                        http.url = known(value)
                            .map(|h| format!("https://{h}{}", path.as_deref().unwrap_or_default()))
                    }
                    "date" => match DateTime::parse_from_rfc2822(value) {
                        Ok(t) => http.at = Some(t.with_timezone(&Utc)),
                        Err(_) => out.problem(
                            Loc::line(i as u64 + 1),
                            Some("Date"),
                            "not an HTTP date; the message is read without a time".into(),
                        ),
                    },
                    _ => {}
                }
            }
            i += 1;
        }
        let body_start = i + 1;
        while i < lines.len() && !start_line(lines[i].trim()) {
            i += 1;
        }
        let body = lines[body_start.min(lines.len())..i].join("\n");
        let loc = Loc::line(start as u64 + 1);
        if body.trim().is_empty() {
            count(out, http.at);
            continue;
        }
        let body_loc = Loc::line(body_start as u64 + 1);
        match parse_value(out, body.trim(), body_loc) {
            Some(v) if v.is_object() => message(out, sink, &v, loc, &http),
            Some(v) => out.problem(
                body_loc,
                None,
                format!("expected an A2A body (an object), found {}", type_name(&v)),
            ),
            None => {}
        }
    }
}

/// The first text part of a message, cut short.
fn first_text(m: &Value) -> Option<String> {
    m.get("parts")?
        .as_array()?
        .iter()
        .find_map(|p| s(p, &["text"]))
        .map(|t| cut(t, 120))
}

fn state_of(task: &Value) -> Option<String> {
    s(task, &["status", "state"]).map(str::to_string)
}

fn status_time(out: &mut Out, task: &Value, loc: Loc) -> Option<DateTime<Utc>> {
    let t = s(task, &["status", "timestamp"])?;
    match time::parse(t) {
        Some(ts) => Some(ts.t),
        None => {
            out.problem(
                loc,
                Some("status.timestamp"),
                format!(
                    "not a time: {}; read without a time",
                    crate::evidence::out::quote(t)
                ),
            );
            None
        }
    }
}

/// Reads one A2A JSON-RPC message or HTTP body.
fn message(out: &mut Out, sink: &mut Sink, v: &Value, loc: Loc, http: &Http) {
    let id = id_text(v.get("id")).or_else(|| http.pair.clone());
    let raw_ref = out.raw_ref(loc);
    let mut records: Vec<(Option<DateTime<Utc>>, What)> = Vec::new();
    let method = s(v, &["method"])
        .map(str::to_string)
        .or_else(|| http.method.clone());
    // A JSON-RPC request's arguments are its params; an HTTP+JSON request's, its body.
    let params = if v.get("jsonrpc").is_some() {
        v.get("params").cloned().unwrap_or(Value::Null)
    } else {
        v.clone()
    };
    // A JSON-RPC response's result; an HTTP+JSON response or push notification is its body.
    let response = v
        .get("result")
        .or_else(|| v.get("jsonrpc").is_none().then_some(v));
    if let Some(m) = method.as_deref().filter(|_| http.status.is_none()) {
        let msg = params.get("message").unwrap_or(&Value::Null);
        let task = s(msg, &["taskId"]).and_then(known).map(str::to_string);
        let context = s(msg, &["contextId"]).and_then(known).map(str::to_string);
        let input = if SEND.contains(&m) {
            let mut i = Map::new();
            for (k, val) in [
                ("url", http.url.clone().map(Value::from)),
                ("contextId", context.clone().map(Value::from)),
                ("taskId", task.clone().map(Value::from)),
                ("referenceTaskIds", msg.get("referenceTaskIds").cloned()),
                ("text", first_text(msg).map(Value::from)),
            ] {
                if let Some(val) = val {
                    i.insert(k.into(), val);
                }
            }
            Value::Object(i)
        } else {
            let mut p = trim_input(&params);
            if let (Some(u), Value::Object(o)) = (&http.url, &mut p) {
                o.insert("url".into(), json!(u));
            }
            p
        };
        records.push((
            http.at,
            What::Call {
                id: id.clone(),
                tool: Some(format!("a2a:{m}")),
                server: None,
                input: trim_input(&input),
            },
        ));
        if SEND.contains(&m) {
            let host = http
                .url
                .as_deref()
                .and_then(|u| u.strip_prefix("https://"))
                .and_then(|u| u.split('/').next())
                .map(str::to_string);
            records.push((
                http.at,
                What::Handoff {
                    call: id.clone(),
                    to: context.clone().or(host).unwrap_or_else(|| {
                        "an A2A agent whose address the log does not give".into()
                    }),
                    via: format!("A2A {m}"),
                    url: http.url.clone(),
                    task,
                    context,
                },
            ));
        }
    } else if let Some(e) = v.get("error") {
        let code = e.get("code").map(|c| c.to_string()).unwrap_or_default();
        let msg = s(e, &["message"]).unwrap_or("");
        let reason = e
            .get("data")
            .and_then(Value::as_array)
            .and_then(|d| d.iter().find_map(|x| s(x, &["reason"])))
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        records.push((
            http.at,
            What::Result {
                id: id.clone(),
                ok: Some(false),
                ran: Some(false),
                error: Some(cut(format!("{code} {msg}{reason}").trim(), 160)),
                commit: None,
            },
        ));
    } else if let Some(r) = response {
        // v1.0 wraps the result (`{"task":…}`, `{"message":…}`); v0.3 tags it with `kind`.
        let task = r.get("task").or_else(|| {
            (s(r, &["kind"]) == Some("task")
                || (r.get("status").is_some() && r.get("id").is_some()))
            .then_some(r)
        });
        let update = r
            .get("statusUpdate")
            .or_else(|| (s(r, &["kind"]) == Some("status-update")).then_some(r));
        if let Some(t) = task {
            let state = state_of(t);
            let failed = state.as_deref().is_some_and(|st| FAILED.contains(&st));
            let at = status_time(out, t, loc).or(http.at);
            records.push((
                at,
                What::Result {
                    id: id.clone(),
                    ok: Some(!failed && http.status.is_none_or(|c| c < 400)),
                    ran: Some(true),
                    error: failed.then(|| format!("task {}", state.clone().unwrap_or_default())),
                    commit: None,
                },
            ));
            records.push((
                at,
                What::Task {
                    call: id.clone(),
                    task: s(t, &["id"]).and_then(known).map(str::to_string),
                    context: s(t, &["contextId"]).and_then(known).map(str::to_string),
                    state,
                },
            ));
        } else if let Some(u) = update {
            let at = status_time(out, u, loc).or(http.at);
            records.push((
                at,
                What::Task {
                    call: None,
                    task: s(u, &["taskId"]).and_then(known).map(str::to_string),
                    context: s(u, &["contextId"]).and_then(known).map(str::to_string),
                    state: state_of(u),
                },
            ));
        } else if r.get("message").is_some() || s(r, &["kind"]) == Some("message") {
            records.push((
                http.at,
                What::Result {
                    id: id.clone(),
                    ok: Some(http.status.is_none_or(|c| c < 400)),
                    ran: Some(true),
                    error: None,
                    commit: None,
                },
            ));
        }
    }
    let at = records.iter().find_map(|(t, _)| *t).or(http.at);
    count(out, at);
    for (t, what) in records {
        sink(AgentRecord {
            at: t.or(at),
            source_format: FORMAT,
            session: None,
            agent: None,
            what,
            raw_ref: raw_ref.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;

    fn records(text: &str) -> (Vec<AgentRecord>, u64) {
        let mut recs = Vec::new();
        let mut no_events = |_| {};
        let mut out = Out::new("a.http", Problems::new("a.http"), &mut no_events);
        messages(text, &mut out, &mut |r| recs.push(r));
        (recs, out.problems.count())
    }

    #[test]
    fn an_http_log_of_a_send_and_its_task() {
        // Synthetic exchange in the shape of the v1.0 HTTP+JSON binding, with a Date header.
        let text = "POST /message:send HTTP/1.1\nHost: billing.example.com\nDate: Fri, 01 May 2026 10:06:00 GMT\n\n{\"message\":{\"role\":\"ROLE_USER\",\"contextId\":\"ctx-1\",\"parts\":[{\"text\":\"refund order 7\"}],\"messageId\":\"m1\"}}\n\nHTTP/1.1 200 OK\nContent-Type: application/a2a+json\n\n{\"task\":{\"id\":\"t-1\",\"contextId\":\"ctx-1\",\"status\":{\"state\":\"TASK_STATE_WORKING\",\"timestamp\":\"2026-05-01T10:06:01.000Z\"}}}\n";
        let (r, problems) = records(text);
        assert_eq!(problems, 0);
        assert!(
            matches!(&r[0].what, What::Call { tool: Some(t), input, .. } if t == "a2a:SendMessage" && input["url"] == "https://billing.example.com/message:send")
        );
        assert!(
            matches!(&r[1].what, What::Handoff { to, context: Some(c), .. } if to == "ctx-1" && c == "ctx-1")
        );
        assert_eq!(
            crate::format::rfc3339(&r[0].at.unwrap()),
            "2026-05-01T10:06:00Z"
        );
        assert_eq!(r[0].raw_ref.line, Some(1));
        assert!(matches!(&r[2].what, What::Result { ok: Some(true), .. }));
        assert!(
            matches!(&r[3].what, What::Task { task: Some(t), state: Some(s), .. } if t == "t-1" && s == "TASK_STATE_WORKING")
        );
        assert_eq!(r[3].raw_ref.line, Some(7));
    }

    #[test]
    fn broken_bodies_and_stray_lines_are_problems_not_panics() {
        for text in [
            "POST /message:send HTTP/1.1\n\n{\"message\":",
            "HTTP/1.1 200 OK\n\n[1,2]\nstray\n",
            "GET /tasks/x HTTP/1.1\nDate: yesterday\n",
            "HTTP/1.1 2",
        ] {
            let _ = records(text);
        }
        let (r, p) = records("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"kind\":\"task\",\"id\":\"t\",\"status\":{\"state\":\"failed\",\"timestamp\":\"then\"}}}");
        assert_eq!(p, 1);
        assert!(matches!(
            &r[0].what,
            What::Result {
                ok: Some(false),
                ..
            }
        ));
    }
}
