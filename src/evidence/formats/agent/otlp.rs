//! Claude Code's OpenTelemetry log events as OTLP/JSON (`{"resourceLogs":[…]}`: an exporter's
//! request body, or the collector file exporter's JSON Lines). Attributes are arrays of
//! `{key, value:{stringValue|intValue|…}}` (Claude Code writes `intValue` as a JSON number and
//! many numbers and booleans as strings); times are `timeUnixNano` as a 19-digit decimal
//! string, else `observedTimeUnixNano`, else the `event.timestamp` attribute (RFC 3339).
//! Source: Claude Code's monitoring documentation, the OTLP specification's JSON encoding, and
//! real request bodies of Claude Code 2.1.220 and 2.1.294.

use super::redaction::{known, known_tool};
use super::{count, cut, mcp_server_of, trim_input, AgentRecord, SessionFacts, Sink, What};
use crate::evidence::fields::{s, type_name};
use crate::evidence::json::walk;
use crate::evidence::out::{quote, Loc, Out};
use crate::evidence::time;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

const FORMAT: &str = "claude_code.otlp_logs";

/// Reads OTLP/JSON log requests; Claude Code's events become records, others are counted.
pub fn claude_code_logs(text: &str, out: &mut Out, sink: &mut Sink) {
    // The session and facts last sent: an event that repeats them and says more sends only
    // the more (its own record dates the session).
    let mut last: Option<(Option<String>, SessionFacts)> = None;
    each_item(text, out, LOGS, &mut |out, resource, rec, loc| {
        record(out, sink, &mut last, resource, rec, loc)
    });
}

/// The three levels of an OTLP/JSON request: the top key, the scope key, the items' key.
pub type Levels = (&'static str, &'static str, &'static str);

/// Log requests: `resourceLogs → scopeLogs → logRecords`.
pub const LOGS: Levels = ("resourceLogs", "scopeLogs", "logRecords");

/// Trace requests: `resourceSpans → scopeSpans → spans`.
pub const SPANS: Levels = ("resourceSpans", "scopeSpans", "spans");

/// What [`each_item`] calls for each log record or span: the output, its resource's
/// attributes, the item, its place (the line, and its index within the line's request).
pub type ItemFn<'f, 's> = dyn FnMut(&mut Out<'s>, &Attributes, &Value, Loc) + 'f;

/// Calls `f` for each item of OTLP/JSON requests: one request (an exporter's body), or the
/// collector file exporter's JSON Lines (one request per line).
pub fn each_item<'s>(text: &str, out: &mut Out<'s>, levels: Levels, f: &mut ItemFn<'_, 's>) {
    let (top, scope, items) = levels;
    let mut request = |out: &mut Out<'s>, v: Value, loc: Loc| {
        let Some(Value::Array(resources)) = v.get(top) else {
            out.problem(
                loc,
                None,
                format!(
                    "expected an OTLP request ({top}), found {}; skipped",
                    type_name(&v)
                ),
            );
            return;
        };
        let mut index = 0u64;
        for rl in resources {
            let resource = attributes(rl.get("resource").and_then(|r| r.get("attributes")));
            let scopes = rl.get(scope).and_then(Value::as_array);
            for sl in scopes.into_iter().flatten() {
                for item in sl
                    .get(items)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let at_loc = Loc::at(loc.line, index);
                    index += 1;
                    f(out, &resource, item, at_loc);
                }
            }
        }
    };
    if super::is_object_lines(text) {
        super::json_lines(text, out, &mut request);
    } else {
        walk(text, &[], out, &mut request);
    }
}

/// The first of an item's `*TimeUnixNano` fields that is set; one that is not a time is a
/// problem at the item's place.
pub fn item_time(out: &mut Out, item: &Value, keys: &[&str], loc: Loc) -> Option<DateTime<Utc>> {
    for key in keys {
        match item.get(*key).and_then(unix_nanos) {
            Some(Ok(t)) => return Some(t),
            Some(Err(what)) => out.problem(loc, Some(key), format!("not a time: {what}; ignored")),
            None => {}
        }
    }
    None
}

/// An OTLP attribute list: key → value text, borrowed from the parsed record.
pub type Attributes<'a> = BTreeMap<&'a str, Cow<'a, str>>;

/// An OTLP attribute list as key → value text (a JSON number or boolean as its text; arrays
/// and key-value lists as JSON).
pub fn attributes(list: Option<&Value>) -> Attributes<'_> {
    let mut m = BTreeMap::new();
    for a in list.and_then(Value::as_array).into_iter().flatten() {
        let (Some(k), Some(v)) = (s(a, &["key"]), a.get("value")) else {
            continue;
        };
        if let Some(t) = any_value(v) {
            m.insert(k, t);
        }
    }
    m
}

/// An OTLP AnyValue as text (a string borrowed).
pub fn any_value(v: &Value) -> Option<Cow<'_, str>> {
    let obj = v.as_object()?;
    let (_, inner) = obj.iter().next()?;
    Some(match inner {
        Value::String(s) => Cow::Borrowed(s.as_str()),
        Value::Number(n) => Cow::Owned(n.to_string()),
        Value::Bool(b) => Cow::Owned(b.to_string()),
        other => Cow::Owned(other.to_string()),
    })
}

/// An OTLP `*TimeUnixNano`: nanoseconds as a decimal string (or a JSON number); 0 is unset.
pub fn unix_nanos(v: &Value) -> Option<Result<DateTime<Utc>, String>> {
    let digits = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return Some(Err(type_name(v).to_string())),
    };
    if digits == "0" || digits.is_empty() {
        return None;
    }
    let n: i128 = match digits.parse() {
        Ok(n) if n > 0 => n,
        _ => return Some(Err(quote(&digits))),
    };
    let secs = (n / 1_000_000_000) as i64;
    let nanos = (n % 1_000_000_000) as u32;
    Some(
        time::from_secs(secs, nanos)
            .map(|t| t.t)
            .ok_or_else(|| quote(&digits)),
    )
}

fn record(
    out: &mut Out,
    sink: &mut Sink,
    last: &mut Option<(Option<String>, SessionFacts)>,
    resource: &Attributes,
    rec: &Value,
    loc: Loc,
) {
    let attrs = attributes(rec.get("attributes"));
    let get = |k: &str| {
        attrs
            .get(k)
            .or_else(|| resource.get(k))
            .map(|v| v.as_ref())
            .and_then(known)
    };
    let mut at = item_time(out, rec, &["timeUnixNano", "observedTimeUnixNano"], loc);
    if at.is_none() {
        at = get("event.timestamp").and_then(time::parse).map(|t| t.t);
    }
    count(out, at);
    let body = rec.get("body").and_then(any_value);
    let name = get("event.name").map(str::to_string).or_else(|| {
        body.as_deref()
            .and_then(|b| b.strip_prefix("claude_code."))
            .map(str::to_string)
    });
    let Some(name) = name else { return };
    let session = get("session.id").map(str::to_string);
    let agent = Some(
        get("service.name")
            .filter(|n| n.starts_with("claude-code"))
            .unwrap_or("claude-code")
            .to_string(),
    );
    let raw_ref = out.raw_ref(loc);
    let mut emit = |what: What| {
        sink(AgentRecord {
            at,
            source_format: FORMAT,
            session: session.clone(),
            agent: agent.clone(),
            what,
            raw_ref: raw_ref.clone(),
        })
    };
    // The facts borrowed; copied only when sent.
    let model = get("model");
    let version = get("service.version").or_else(|| get("app.version"));
    let account = get("user.email")
        .or_else(|| get("user.account_id"))
        .or_else(|| get("user.account_uuid"));
    let organization = get("organization.id");
    let says_more = match name.as_str() {
        "tool_result" | "mcp_server_connection" | "permission_mode_changed" => true,
        "tool_decision" => get("decision") == Some("reject"),
        _ => false,
    };
    let repeated = last.as_ref().is_some_and(|(s, f)| {
        *s == session
            && f.model.as_deref() == model
            && f.version.as_deref() == version
            && f.account.as_deref() == account
            && f.organization.as_deref() == organization
    });
    if !(repeated && says_more) {
        let facts = SessionFacts {
            model: model.map(str::to_string),
            version: version.map(str::to_string),
            account: account.map(str::to_string),
            organization: organization.map(str::to_string),
            ..SessionFacts::default()
        };
        if !repeated {
            *last = Some((session.clone(), facts.clone()));
        }
        emit(What::Session(facts));
    }
    let params: Value = get("tool_parameters")
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or(Value::Null);
    let tool = || {
        let mcp_tool = s(&params, &["mcp_tool_name"]);
        let server = s(&params, &["mcp_server_name"]).and_then(known);
        match (get("tool_name").and_then(known_tool), server, mcp_tool) {
            (_, Some(srv), Some(t)) => (Some(format!("mcp__{srv}__{t}")), Some(srv.to_string())),
            (Some(t), srv, _) => (
                Some(t.to_string()),
                srv.map(str::to_string)
                    .or_else(|| mcp_server_of(t).map(str::to_string)),
            ),
            (None, srv, _) => (None, srv.map(str::to_string)),
        }
    };
    let input = || {
        get("tool_input")
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
            .map(|v| trim_input(&v))
            .unwrap_or_else(|| trim_input(&params))
    };
    let id = get("tool_use_id").map(str::to_string);
    match name.as_str() {
        "tool_result" => {
            let (tool, server) = tool();
            emit(What::Call {
                id: id.clone(),
                tool,
                server,
                input: input(),
            });
            let ok = get("success").and_then(crate::evidence::fields::parse_bool);
            emit(What::Result {
                id,
                ok,
                ran: Some(true),
                error: get("error")
                    .or_else(|| get("error_type"))
                    .map(|e| cut(e, 160)),
                commit: s(&params, &["git_commit_id"]).map(str::to_string),
            });
        }
        "tool_decision" if get("decision") == Some("reject") => {
            let (tool, server) = tool();
            emit(What::Call {
                id: id.clone(),
                tool,
                server,
                input: input(),
            });
            emit(What::Result {
                id,
                ok: Some(false),
                ran: Some(false),
                error: Some(format!(
                    "rejected ({})",
                    get("source").unwrap_or("source unknown")
                )),
                commit: None,
            });
        }
        "mcp_server_connection" => emit(What::Connection {
            server: get("server_name").map(str::to_string),
            transport: get("transport_type").map(str::to_string),
            status: get("status").unwrap_or("unknown").to_string(),
            scope: get("server_scope").map(str::to_string),
        }),
        "permission_mode_changed" => emit(What::Session(SessionFacts {
            permission_mode: get("to_mode").map(str::to_string),
            ..SessionFacts::default()
        })),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;

    #[test]
    fn nanosecond_strings_and_numbers_read_exactly() {
        let t = unix_nanos(&Value::String("1785079282569000000".into()))
            .unwrap()
            .unwrap();
        assert_eq!(t.timestamp_millis(), 1_785_079_282_569);
        assert_eq!(crate::format::rfc3339(&t), "2026-07-26T15:21:22Z");
        let n = unix_nanos(&serde_json::json!(1785079282569000000u64))
            .unwrap()
            .unwrap();
        assert_eq!(n, t);
        assert!(unix_nanos(&Value::String("0".into())).is_none());
        assert!(unix_nanos(&Value::String("soon".into())).unwrap().is_err());
    }

    #[test]
    fn redacted_identity_and_mcp_tool_placeholder_are_unknown() {
        // Synthetic body in the shape of Claude Code's events.
        let text = r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},"scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events"},"logRecords":[
            {"timeUnixNano":"1785079282570000000","body":{"stringValue":"claude_code.tool_result"},"attributes":[
              {"key":"session.id","value":{"stringValue":"s9"}},
              {"key":"user.email","value":{"stringValue":"<REDACTED>"}},
              {"key":"tool_name","value":{"stringValue":"mcp_tool"}},
              {"key":"success","value":{"stringValue":"false"}},
              {"key":"tool_parameters","value":{"stringValue":"{\"mcp_server_name\":\"slack\",\"mcp_tool_name\":\"post_message\"}"}}]},
            {"body":{"stringValue":"claude_code.user_prompt"},"attributes":[
              {"key":"session.id","value":{"stringValue":"s9"}},
              {"key":"event.timestamp","value":{"stringValue":"2026-07-26T15:21:23.000Z"}},
              {"key":"user.account_id","value":{"stringValue":"user_01ABC"}}]}
        ]}]}]}"#;
        let mut recs = Vec::new();
        let mut sink_events = |_| {};
        let mut out = Out::new("o.json", Problems::new("o"), &mut sink_events);
        claude_code_logs(text, &mut out, &mut |r| recs.push(r));
        assert_eq!(out.events, 2);
        assert!(matches!(&recs[0].what, What::Session(f) if f.account.is_none()));
        assert!(
            matches!(&recs[1].what, What::Call { tool: Some(t), server: Some(s), .. } if t == "mcp__slack__post_message" && s == "slack")
        );
        assert!(matches!(
            &recs[2].what,
            What::Result {
                ok: Some(false),
                ..
            }
        ));
        assert!(
            matches!(&recs[3].what, What::Session(f) if f.account.as_deref() == Some("user_01ABC"))
        );
        assert_eq!(
            recs[3].at.map(|t| crate::format::rfc3339(&t)).as_deref(),
            Some("2026-07-26T15:21:23Z")
        );
    }
}
