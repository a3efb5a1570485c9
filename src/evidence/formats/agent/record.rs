//! What the agent-log readers produce: one record per thing a log line says about an agent
//! session (its facts, a tool call, a call's result, a subagent started, a connection held).

use crate::evidence::event::RawRef;
use crate::format;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// One fact read from an agent log, with where it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentRecord {
    /// When, in UTC; absent when the source gives no time (a bare JSON-RPC message).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub at: Option<DateTime<Utc>>,
    /// The exact source format (`claude_code.transcript`, `mcp.jsonrpc`, ...).
    pub source_format: &'static str,
    /// The session the source names (a subagent's is `<session>/agent-<id>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// The agent: `claude-code`, `claude-code subagent <id>`, an MCP client's name, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// What the line says.
    pub what: What,
    /// Where it was read.
    pub raw_ref: RawRef,
}

/// What one record says.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum What {
    /// Facts about the session (each field only where the line states it).
    Session(SessionFacts),
    /// A tool call the agent made.
    Call {
        /// The call's id (`toolu_…`, a JSON-RPC id), pairing it with its result.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// The tool's name (`Bash`, `mcp__github__create_issue`, an MCP tool); absent when the
        /// source redacted it.
        #[serde(skip_serializing_if = "Option::is_none")]
        tool: Option<String>,
        /// The MCP server the call went to, where known.
        #[serde(skip_serializing_if = "Option::is_none")]
        server: Option<String>,
        /// The arguments, long strings cut (the outputs pass the secret gate).
        #[serde(skip_serializing_if = "Value::is_null")]
        input: Value,
    },
    /// A call's outcome.
    Result {
        /// The call's id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// True on success, false on an error; absent when the source does not say.
        #[serde(skip_serializing_if = "Option::is_none")]
        ok: Option<bool>,
        /// False when the tool never ran (a protocol error, a rejected call).
        #[serde(skip_serializing_if = "Option::is_none")]
        ran: Option<bool>,
        /// The error, cut short.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// A commit the call made, where the source names it.
        #[serde(skip_serializing_if = "Option::is_none")]
        commit: Option<String>,
    },
    /// A subagent started by a call (a chain-hop).
    Spawn {
        /// The call that started it.
        #[serde(skip_serializing_if = "Option::is_none")]
        call: Option<String>,
        /// The subagent's id.
        agent_id: String,
    },
    /// Work handed to another agent: an A2A message sent, an Agents SDK handoff, a remote
    /// agent invoked (a chain-hop).
    Handoff {
        /// The call that handed it on (a JSON-RPC id, a span id).
        #[serde(skip_serializing_if = "Option::is_none")]
        call: Option<String>,
        /// The agent or session that took it: the A2A context (the receiving agent's
        /// conversation), an agent's name, or the remote agent's address.
        to: String,
        /// How (`A2A message/send`, `Agents SDK handoff`, `invoke_agent`).
        via: String,
        /// The remote agent's address, where the log gives it.
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        /// The A2A task.
        #[serde(skip_serializing_if = "Option::is_none")]
        task: Option<String>,
        /// The A2A context.
        #[serde(skip_serializing_if = "Option::is_none")]
        context: Option<String>,
    },
    /// A delegated task's state as the agent running it reported it (an A2A task in a
    /// response, a push notification).
    Task {
        /// The request it answers.
        #[serde(skip_serializing_if = "Option::is_none")]
        call: Option<String>,
        /// The task.
        #[serde(skip_serializing_if = "Option::is_none")]
        task: Option<String>,
        /// The context (the receiving agent's conversation).
        #[serde(skip_serializing_if = "Option::is_none")]
        context: Option<String>,
        /// The state as written (`completed`, `TASK_STATE_INPUT_REQUIRED`, ...).
        #[serde(skip_serializing_if = "Option::is_none")]
        state: Option<String>,
    },
    /// A connection to an MCP server, opened or closed.
    Connection {
        /// The server's name; absent when the source redacted it.
        #[serde(skip_serializing_if = "Option::is_none")]
        server: Option<String>,
        /// `stdio`, `http`, `sse`, `claudeai-proxy`, ...
        #[serde(skip_serializing_if = "Option::is_none")]
        transport: Option<String>,
        /// `connected`, `failed` or `disconnected`.
        status: String,
        /// Where the server is configured (`user`, `project`, `local`, `claudeai`).
        #[serde(skip_serializing_if = "Option::is_none")]
        scope: Option<String>,
    },
}

/// Facts about a session; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SessionFacts {
    /// The model answering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The working directory (the project).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// The git branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_branch: Option<String>,
    /// The agent's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The account the session ran under (an e-mail, an account id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// The permission mode (`bypassPermissions` skips every approval).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission_mode: Option<String>,
}
