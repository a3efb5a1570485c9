//! Claude Code session transcripts (`~/.claude/projects/<project>/<session>.jsonl` and
//! `<session>/subagents/agent-<id>.jsonl`): one JSON object per line, each tool call a
//! `tool_use` block of an assistant line, each result a `tool_result` block of a user line
//! (with `toolUseResult` beside it). Source: Claude Code's documentation (sessions, hooks,
//! tools reference) and real transcripts of Claude Code 2.1.39.

use super::redaction::known;
use super::{
    count, cut, id_text, mcp_server_of, trim_input, AgentRecord, SessionFacts, Sink, What,
};
use crate::evidence::fields::{s, type_name};
use crate::evidence::out::{quote, Loc, Out};
use crate::evidence::time;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

const FORMAT: &str = "claude_code.transcript";

/// The top-level keys of a line this reader looks at; the others (`uuid`, `parentUuid`,
/// `requestId`, `slug`, snapshots, ...) are read past without being built.
const KEYS_READ: [&str; 12] = [
    "type",
    "sessionId",
    "agentId",
    "cwd",
    "data",
    "gitBranch",
    "message",
    "parentToolUseID",
    "permissionMode",
    "timestamp",
    "version",
    "toolUseResult",
];

/// A session's last line with no record sent: its time, agent and place.
type Unsent = (Option<DateTime<Utc>>, Option<String>, Loc);

/// The session facts last sent for each session, and each session's last line not yet sent.
#[derive(Default)]
struct State {
    sent: BTreeMap<String, SessionFacts>,
    last_unsent: BTreeMap<String, Unsent>,
}

/// Reads a transcript (or several concatenated, or a subagent's).
pub fn transcript(text: &str, out: &mut Out, sink: &mut Sink) {
    let mut st = State::default();
    // Always JSON Lines: each line on its own, so a broken line (even the first) costs only
    // itself.
    super::json_lines_keeping(text, out, Some(&KEYS_READ), &mut |out, v, loc| {
        line(out, &mut st, sink, &v, loc)
    });
    // Each session's last line, when no record was sent for it, still dates its last activity.
    for (session, (at, agent, loc)) in std::mem::take(&mut st.last_unsent) {
        let raw_ref = out.raw_ref(loc);
        sink(AgentRecord {
            at,
            source_format: FORMAT,
            session: Some(session),
            agent,
            what: What::Session(SessionFacts::default()),
            raw_ref,
        });
    }
}

fn line(out: &mut Out, st: &mut State, sink: &mut Sink, v: &Value, loc: Loc) {
    if !v.is_object() {
        out.problem(
            loc,
            None,
            format!(
                "expected a transcript line (an object), found {}; skipped",
                type_name(v)
            ),
        );
        return;
    }
    let at = match s(v, &["timestamp"]) {
        Some(t) => match time::parse(t) {
            Some(ts) => Some(ts.t),
            None => {
                out.problem(
                    loc,
                    Some("timestamp"),
                    format!("not a time: {}; the line is read without a time", quote(t)),
                );
                None
            }
        },
        None => None,
    };
    count(out, at);
    let Some(sid) = s(v, &["sessionId"]).and_then(known) else {
        // Snapshots of file backups and old summaries name no session: nothing to attribute.
        return;
    };
    let (session, agent) = match s(v, &["agentId"]) {
        Some(a) => (
            format!("{sid}/agent-{a}"),
            format!("claude-code subagent {a}"),
        ),
        None => (sid.to_string(), "claude-code".to_string()),
    };
    let raw_ref = out.raw_ref(loc);
    let mut sent = false;
    let mut emit = |what: What| {
        sent = true;
        sink(AgentRecord {
            at,
            source_format: FORMAT,
            session: Some(session.clone()),
            agent: Some(agent.clone()),
            what,
            raw_ref: raw_ref.clone(),
        });
    };
    // The facts as the line states them, borrowed: only a change is copied and sent.
    let facts = Facts {
        model: s(v, &["message", "model"])
            .and_then(known)
            .filter(|m| *m != "<synthetic>"),
        cwd: s(v, &["cwd"]).and_then(known),
        git_branch: s(v, &["gitBranch"]).and_then(known),
        version: s(v, &["version"]).and_then(known),
        permission_mode: s(v, &["permissionMode"]).and_then(known),
    };
    if facts.any() {
        if !st.sent.contains_key(&session) {
            st.sent.insert(session.clone(), SessionFacts::default());
        }
        if let Some(prev) = st.sent.get_mut(&session) {
            let new = merge_new(prev, &facts);
            if new != SessionFacts::default() {
                emit(What::Session(new));
            }
        }
    }
    let blocks = match v.get("message").and_then(|m| m.get("content")) {
        Some(Value::Array(b)) => b.as_slice(),
        _ => &[],
    };
    for b in blocks {
        match s(b, &["type"]) {
            Some("tool_use") => {
                let tool = s(b, &["name"]).and_then(known).map(str::to_string);
                let server = tool.as_deref().and_then(mcp_server_of).map(str::to_string);
                emit(What::Call {
                    id: s(b, &["id"]).map(str::to_string),
                    tool,
                    server,
                    input: b.get("input").map(trim_input).unwrap_or(Value::Null),
                });
            }
            Some("tool_result") => {
                let result = v.get("toolUseResult");
                let failed_text = result
                    .and_then(Value::as_str)
                    .filter(|t| t.starts_with("Error"));
                let is_error = b.get("is_error").and_then(Value::as_bool).unwrap_or(false)
                    || failed_text.is_some();
                let error = is_error.then(|| {
                    let t = failed_text
                        .map(str::to_string)
                        .unwrap_or_else(|| content_text(b));
                    cut(
                        t.replace("<tool_use_error>", "")
                            .replace("</tool_use_error>", "")
                            .trim(),
                        160,
                    )
                });
                let id = id_text(b.get("tool_use_id"));
                if let Some(a) = result.and_then(|r| s(r, &["agentId"])) {
                    emit(What::Spawn {
                        call: id.clone(),
                        agent_id: a.to_string(),
                    });
                }
                emit(What::Result {
                    id,
                    ok: Some(!is_error),
                    ran: None,
                    error,
                    commit: None,
                });
            }
            _ => {}
        }
    }
    // A subagent's progress, streamed into the parent's transcript.
    if s(v, &["data", "type"]) == Some("agent_progress") {
        if let Some(a) = s(v, &["data", "agentId"]) {
            emit(What::Spawn {
                call: s(v, &["parentToolUseID"]).map(str::to_string),
                agent_id: a.to_string(),
            });
        }
    }
    if sent {
        st.last_unsent.remove(&session);
    } else if at.is_some() {
        st.last_unsent.insert(session, (at, Some(agent), loc));
    }
}

/// The session facts one line states, borrowed from it.
struct Facts<'a> {
    model: Option<&'a str>,
    cwd: Option<&'a str>,
    git_branch: Option<&'a str>,
    version: Option<&'a str>,
    permission_mode: Option<&'a str>,
}

impl Facts<'_> {
    fn any(&self) -> bool {
        self.model.is_some()
            || self.cwd.is_some()
            || self.git_branch.is_some()
            || self.version.is_some()
            || self.permission_mode.is_some()
    }
}

/// The facts in `new` not already sent (`prev` is updated to hold them).
fn merge_new(prev: &mut SessionFacts, new: &Facts) -> SessionFacts {
    let mut diff = SessionFacts::default();
    let take = |p: &mut Option<String>, n: &Option<&str>, d: &mut Option<String>| {
        if let Some(n) = n {
            if p.as_deref() != Some(*n) {
                *p = Some(n.to_string());
                *d = Some(n.to_string());
            }
        }
    };
    take(&mut prev.model, &new.model, &mut diff.model);
    take(&mut prev.cwd, &new.cwd, &mut diff.cwd);
    take(&mut prev.git_branch, &new.git_branch, &mut diff.git_branch);
    take(&mut prev.version, &new.version, &mut diff.version);
    take(
        &mut prev.permission_mode,
        &new.permission_mode,
        &mut diff.permission_mode,
    );
    diff
}

/// A tool result block's text (a string, or the text parts of an array).
fn content_text(b: &Value) -> String {
    match b.get("content") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| s(p, &["text"]))
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Problems;

    fn records(text: &str) -> (Vec<AgentRecord>, u64, u64) {
        let mut recs = Vec::new();
        let mut sink_events = |_| {};
        let mut out = Out::new("t.jsonl", Problems::new("t.jsonl"), &mut sink_events);
        transcript(text, &mut out, &mut |r| recs.push(r));
        let n = out.events;
        (recs, n, out.problems.count())
    }

    #[test]
    fn calls_results_subagents_and_facts_are_read() {
        // Synthetic lines in the shape of Claude Code 2.1 transcripts.
        let text = concat!(
            r#"{"type":"user","sessionId":"s1","uuid":"u1","timestamp":"2026-05-01T10:00:00.000Z","cwd":"/w","permissionMode":"bypassPermissions","message":{"role":"user","content":"go"}}"#,
            "\n",
            r#"{"type":"assistant","sessionId":"s1","uuid":"u2","timestamp":"2026-05-01T10:00:01.000Z","cwd":"/w","message":{"model":"claude-x","content":[{"type":"tool_use","id":"toolu_1","name":"mcp__github__create_issue","input":{"title":"t"}}]}}"#,
            "\n",
            r#"{"type":"user","sessionId":"s1","uuid":"u3","timestamp":"2026-05-01T10:00:02.000Z","cwd":"/w","toolUseResult":"Error: denied","message":{"content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"<tool_use_error>denied</tool_use_error>","is_error":true}]}}"#,
            "\n",
            r#"{"type":"user","sessionId":"s1","uuid":"u4","timestamp":"2026-05-01T10:00:03.000Z","toolUseResult":{"agentId":"abc"},"message":{"content":[{"type":"tool_result","tool_use_id":"toolu_2","content":"ok"}]}}"#,
            "\n",
            r#"{"type":"assistant","sessionId":"s1","agentId":"abc","uuid":"u5","timestamp":"not a time","message":{"content":[]}}"#,
            "\n",
            r#"{"type":"file-history-snapshot","messageId":"m"}"#,
            "\n",
        );
        let (recs, lines, problems) = records(text);
        assert_eq!(lines, 6);
        assert_eq!(problems, 1);
        let kinds: Vec<&str> = recs
            .iter()
            .map(|r| match &r.what {
                What::Session(_) => "session",
                What::Call { .. } => "call",
                What::Result { .. } => "result",
                What::Spawn { .. } => "spawn",
                What::Connection { .. } => "connection",
                What::Handoff { .. } | What::Task { .. } => "hop",
            })
            .collect();
        assert_eq!(
            kinds,
            ["session", "session", "call", "result", "spawn", "result"]
        );
        match &recs[0].what {
            What::Session(f) => {
                assert_eq!(f.permission_mode.as_deref(), Some("bypassPermissions"));
                assert_eq!(f.cwd.as_deref(), Some("/w"));
            }
            _ => unreachable!(),
        }
        match &recs[2].what {
            What::Call { server, tool, .. } => {
                assert_eq!(server.as_deref(), Some("github"));
                assert_eq!(tool.as_deref(), Some("mcp__github__create_issue"));
            }
            _ => unreachable!(),
        }
        match &recs[3].what {
            What::Result { ok, error, .. } => {
                assert_eq!(*ok, Some(false));
                assert_eq!(error.as_deref(), Some("Error: denied"));
            }
            _ => unreachable!(),
        }
        assert_eq!(recs[2].raw_ref.line, Some(2));
    }

    #[test]
    fn bad_lines_are_problems_and_reading_goes_on() {
        let text = concat!(
            "{\"type\":\"assistant\",\"sessionId\":\"s\",\"uuid\":\"a\",\"timestamp\":\"2026-05-01T10:00:00Z\"\n",
            "[1,2]\n",
            "{\"type\":\"assistant\",\"sessionId\":\"s\",\"uuid\":\"b\",\"timestamp\":\"2026-05-01T10:00:01Z\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"<REDACTED>\",\"input\":{}}]}}\n",
        );
        let (recs, _, problems) = records(text);
        // The broken first line, and the array line (not a transcript line).
        assert_eq!(problems, 2);
        assert!(recs.iter().any(
            |r| matches!(&r.what, What::Call { tool: None, id: Some(i), .. } if i == "toolu_9")
        ));
        assert_eq!(recs.last().unwrap().raw_ref.line, Some(3));
    }
}
