//! Claude Code hook inputs: the JSON a hook receives on its standard input, as an
//! organisation's hook logs them (one payload, or one per line). `PreToolUse` names a call
//! about to run, `PostToolUse` the call and its result (`tool_response`, `duration_ms`),
//! `PostToolUseFailure` a call that failed; every payload names the session
//! (`session_id`, the transcript's `sessionId`), its directory and permission mode. The
//! payloads carry no time unless the logger added one (`timestamp`). Source: Claude Code's
//! hooks documentation (hook input, PreToolUse and PostToolUse input).

use super::redaction::{known, known_tool};
use super::{count, cut, mcp_server_of, trim_input, AgentRecord, SessionFacts, Sink, What};
use crate::evidence::fields::{s, type_name};
use crate::evidence::json::walk;
use crate::evidence::out::{quote, Loc, Out};
use crate::evidence::time;
use serde_json::Value;
use std::collections::BTreeSet;

const FORMAT: &str = "claude_code.hook_input";

/// Reads hook payloads.
pub fn inputs(text: &str, out: &mut Out, sink: &mut Sink) {
    // A call logged before and after it ran is one call.
    let mut calls_seen: BTreeSet<(String, String)> = BTreeSet::new();
    let mut one = |out: &mut Out, v: Value, loc: Loc| {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!("expected a hook input, found {}; skipped", type_name(&v)),
            );
            return;
        }
        payload(out, sink, &mut calls_seen, &v, loc);
    };
    if super::is_object_lines(text) {
        super::json_lines(text, out, &mut one);
    } else {
        walk(text, &[], out, &mut one);
    }
}

fn payload(
    out: &mut Out,
    sink: &mut Sink,
    seen: &mut BTreeSet<(String, String)>,
    v: &Value,
    loc: Loc,
) {
    let at = s(v, &["timestamp"]).and_then(|t| match time::parse(t) {
        Some(ts) => Some(ts.t),
        None => {
            out.problem(
                loc,
                Some("timestamp"),
                format!("not a time: {}; read without a time", quote(t)),
            );
            None
        }
    });
    count(out, at);
    let session = s(v, &["session_id"]).and_then(known).map(str::to_string);
    let raw_ref = out.raw_ref(loc);
    let mut emit = |what: What| {
        sink(AgentRecord {
            at,
            source_format: FORMAT,
            session: session.clone(),
            agent: Some("claude-code".into()),
            what,
            raw_ref: raw_ref.clone(),
        })
    };
    emit(What::Session(SessionFacts {
        cwd: s(v, &["cwd"]).and_then(known).map(str::to_string),
        permission_mode: s(v, &["permission_mode"])
            .and_then(known)
            .map(str::to_string),
        ..SessionFacts::default()
    }));
    let event = s(v, &["hook_event_name"]).unwrap_or("");
    let Some(tool) = s(v, &["tool_name"]) else {
        return;
    };
    let tool = known_tool(tool).map(str::to_string);
    let id = s(v, &["tool_use_id"]).and_then(known).map(str::to_string);
    let first = match &id {
        Some(i) => seen.insert((session.clone().unwrap_or_default(), i.clone())),
        None => true,
    };
    if first {
        emit(What::Call {
            id: id.clone(),
            server: tool.as_deref().and_then(mcp_server_of).map(str::to_string),
            tool,
            input: v.get("tool_input").map(trim_input).unwrap_or(Value::Null),
        });
    }
    let response = v.get("tool_response");
    match event {
        "PostToolUse" => {
            let failed = response
                .and_then(|r| r.get("success"))
                .and_then(Value::as_bool)
                == Some(false)
                || response
                    .and_then(|r| r.get("is_error"))
                    .and_then(Value::as_bool)
                    == Some(true);
            emit(What::Result {
                id,
                ok: Some(!failed),
                ran: Some(true),
                error: failed.then(|| {
                    response
                        .and_then(|r| s(r, &["error"]))
                        .map(|e| cut(e, 160))
                        .unwrap_or_else(|| "the tool reported a failure".into())
                }),
                commit: None,
            });
        }
        "PostToolUseFailure" => emit(What::Result {
            id,
            ok: Some(false),
            ran: Some(true),
            error: Some(
                s(v, &["error"])
                    .map(|e| cut(e, 160))
                    .unwrap_or_else(|| "the tool failed".into()),
            ),
            commit: None,
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;

    #[test]
    fn a_logged_pre_and_post_pair_is_one_call_with_its_result() {
        // Synthetic hook log in the documented payload shape, with a logger's timestamp.
        let text = concat!(
            r#"{"session_id":"s1","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git push"},"tool_use_id":"toolu_1","timestamp":"2026-05-01T10:00:00Z"}"#,
            "\n",
            r#"{"session_id":"s1","hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"git push"},"tool_use_id":"toolu_1","tool_response":{"success":false,"error":"rejected"},"timestamp":"soon"}"#,
            "\n",
        );
        let mut recs = Vec::new();
        let mut no_events = |_| {};
        let mut out = Out::new("h.jsonl", Problems::new("h.jsonl"), &mut no_events);
        inputs(text, &mut out, &mut |r| recs.push(r));
        assert_eq!(out.problems.count(), 1);
        let calls = recs
            .iter()
            .filter(|r| matches!(r.what, What::Call { .. }))
            .count();
        assert_eq!(calls, 1);
        assert!(recs.iter().any(|r| matches!(&r.what, What::Result { ok: Some(false), error: Some(e), .. } if e == "rejected")));
        assert!(recs.iter().all(|r| r.session.as_deref() == Some("s1")));
    }
}
