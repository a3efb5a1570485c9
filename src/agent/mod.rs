//! The agent stage: from an agent's own logs (Claude Code transcripts, hook inputs and
//! telemetry, MCP messages and Claude Desktop MCP logs, A2A messages, Agents SDK traces,
//! OpenTelemetry GenAI spans), the sessions, which of them are affected by the
//! leak, their actions since the leak window opened (classed read, egress, reversible,
//! external, irreversible or mint), the connections to kill, the chain-hops to sweep and the
//! tokens to revoke. Every item names the evidence lines behind it.
//!
//! Pure like the other stages: records in ([`read`] gets them from the evidence bytes), a
//! section out. It is told the window's start, the sessions the responder names and where the
//! scan found a leaked secret as plain data, not by the stages that know them.

pub mod a2a;
mod analyse;
pub mod bash;
pub mod class;
pub mod classify;
pub mod mcp_tools;
mod read;
pub mod tools;

#[cfg(test)]
mod tests;

pub use analyse::analyse;
pub use class::Class;
pub use read::{read, read_source};

use crate::evidence::RawRef;
use crate::format;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What the stage is told besides the records.
#[derive(Debug, Clone, Default)]
pub struct Given {
    /// When the leak window opened, and where that time comes from.
    pub window: Option<(DateTime<Utc>, String)>,
    /// Sessions or agents the responder names as having run under the leaked credential (a
    /// session id, its first characters, or an agent name).
    pub named: Vec<String>,
    /// Where the scan found a leaked secret.
    pub secret_lines: Vec<SecretLine>,
}

/// A line of an evidence file where the scan found a leaked secret.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretLine {
    /// The file.
    pub file: String,
    /// The 1-based line.
    pub line: u64,
    /// The secret, redacted, with its kind (as the scan names it).
    pub secret: String,
}

/// The report's `agent` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgentSection {
    /// When the leak window opened (absent when nothing dates it) and where that comes from.
    pub window: Window,
    /// Every session in the agent logs, affected ones first.
    pub sessions: Vec<Session>,
    /// The affected sessions' tool calls since the window opened, in time order (calls
    /// without a time last).
    pub actions: Vec<Action>,
    /// Actions by class (every class listed, zero included).
    pub action_counts: Vec<ClassCount>,
    /// The MCP servers and hosts the affected sessions held or reached.
    pub connections: Vec<Connection>,
    /// Subagents and other agents that took work from affected sessions, followed transitively.
    pub chain_hops: Vec<ChainHop>,
    /// Credentials, grants, signed URLs and standing jobs the affected sessions created.
    pub minted: Vec<Minted>,
    /// Leaked secrets found in agent logs, each with the session, the tool call and the time
    /// of its line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets_in_logs: Vec<SecretInLog>,
    /// What the reader should know about how this was worked out.
    pub notes: Vec<String>,
}

impl AgentSection {
    /// True when no agent log was given.
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// The affected sessions.
    pub fn affected(&self) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(|s| s.affected)
    }
}

/// The leak window's start.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Window {
    /// When it opened.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub start: Option<DateTime<Utc>>,
    /// Where that comes from, or why it is unknown.
    pub source: String,
}

/// One agent session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    /// The session id (a subagent's is `<session>/agent-<id>`; an MCP log's `<file>#<server>`).
    pub id: String,
    /// The agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// The model (the last one named).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// First activity seen.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub first_seen: Option<DateTime<Utc>>,
    /// Last activity seen.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub last_seen: Option<DateTime<Utc>>,
    /// The working directory (the project).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// The git branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_branch: Option<String>,
    /// The account the session ran under, where the evidence says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The organization, where the evidence says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// The permission mode last seen (`bypassPermissions` approves every call).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission_mode: Option<String>,
    /// The session that started this one (for a subagent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Tool calls seen in all (before and after the window).
    pub calls: u64,
    /// True when the session ran under the leaked credential and was active after the window
    /// opened (see `tie` and `why`).
    pub affected: bool,
    /// What ties it to the leaked credential: `named` (the responder), `secret_in_log` (the
    /// leaked secret is in its lines), `chain_hop` (started by an affected session), `assumed`
    /// (nothing ties any session: every session given is taken as the leaked agent's), `none`.
    pub tie: String,
    /// Why it is or is not affected, in words.
    pub why: String,
    /// The lines behind it: its first and last records (and the secret's line for a tie).
    pub evidence: Vec<RawRef>,
}

/// One tool call of an affected session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    /// When.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub at: Option<DateTime<Utc>>,
    /// The session.
    pub session: String,
    /// The agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// The tool; absent when the log withheld it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// The MCP server, for an MCP tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// What it acted on: a file, a host, a repository, a recipient, an MCP server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The arguments in short (the output gate redacts secrets in them).
    pub summary: String,
    /// `ok`, `error`, `not_run` (rejected, or a protocol error) or `unknown` (no result seen).
    pub outcome: String,
    /// The error, cut short.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The class.
    pub class: Class,
    /// Why that class.
    pub reason: String,
    /// `credential_read`, `sandbox_disabled`, `bypass_permissions`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// The call's line, then its result's.
    pub evidence: Vec<RawRef>,
}

/// A count of actions of one class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassCount {
    /// The class.
    pub class: Class,
    /// Actions of it.
    pub count: u64,
}

/// An MCP server or host an affected session held or reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Connection {
    /// The session.
    pub session: String,
    /// `mcp_server` or `host`.
    pub kind: String,
    /// The server's name or the host; absent when the log withheld the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The transport (`stdio`, `http`, ...), where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<String>,
    /// The last status seen (`connected`, `disconnected`, `failed`), or `used` when only calls
    /// show it.
    pub status: String,
    /// Last seen.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub last_seen: Option<DateTime<Utc>>,
    /// What to do.
    pub action: String,
    /// The lines behind it (first and last).
    pub evidence: Vec<RawRef>,
}

/// Work handed from one session to another agent or session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainHop {
    /// The session that handed it on.
    pub from: String,
    /// The session or agent that took it.
    pub to: String,
    /// When.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub at: Option<DateTime<Utc>>,
    /// How (`Task tool (general-purpose subagent)`, `A2A message/send`, `Agents SDK
    /// handoff`, ...), with the task's state where the log gives it.
    pub via: String,
    /// The remote agent's address, where the log gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The delegated task (A2A).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// The receiving agent's conversation (A2A context).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The task's last state seen (a task not finished is still running: cancel it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// True when the receiving session's own log is among the evidence.
    pub log_given: bool,
    /// The lines behind it.
    pub evidence: Vec<RawRef>,
}

/// A leaked secret on a line of an agent log, attributed to what the line is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecretInLog {
    /// The secret, redacted.
    pub secret: String,
    /// The session the line belongs to.
    pub session: String,
    /// The agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// When the line was written (absent when the line itself gives no time).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub at: Option<DateTime<Utc>>,
    /// `tool_result` (a call's output echoed it: `cat .env`, an environment dump),
    /// `tool_call` (the agent passed it in a call's arguments), or `line` (another line of the
    /// session: the nearest record at or before it names the session).
    pub part: String,
    /// The tool call (its id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// The tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Where.
    pub evidence: RawRef,
}

/// Something an affected session created that outlives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Minted {
    /// When.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub at: Option<DateTime<Utc>>,
    /// The session.
    pub session: String,
    /// What was made, in words.
    pub what: String,
    /// The call, in short.
    pub summary: String,
    /// `ok`, `error`, `not_run` or `unknown`.
    pub outcome: String,
    /// Who issued it.
    pub issuer: String,
    /// How to revoke it there.
    pub revoke: String,
    /// The lines behind it.
    pub evidence: Vec<RawRef>,
}
