//! The report's `agent` section as the page reads it (docs/report-schema.md): the sessions, the
//! action log since the leak window opened, the connections, the chain-hops and what was minted.

use serde::Deserialize;

/// The agent section; empty when no agent log was given.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct AgentView {
    /// When the leak window opened.
    pub window: WindowView,
    /// Every session, affected ones first.
    pub sessions: Vec<SessionView>,
    /// The affected sessions' actions since the window opened.
    pub actions: Vec<ActionView>,
    /// Actions by class.
    pub action_counts: Vec<ClassCountView>,
    /// The MCP servers and hosts to cut off.
    pub connections: Vec<ConnectionView>,
    /// Work handed on to other agents or sessions.
    pub chain_hops: Vec<HopView>,
    /// What the affected sessions minted.
    pub minted: Vec<MintedView>,
    /// Leaked secrets seen in the agent's own log lines.
    pub secrets_in_logs: Vec<SecretInLogView>,
    /// How this was worked out.
    pub notes: Vec<String>,
}

/// A leaked secret on an agent-log line.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct SecretInLogView {
    /// The secret, redacted.
    pub secret: String,
    /// The session.
    pub session: String,
    /// When the line was written.
    pub at: Option<String>,
    /// `tool_result`, `tool_call` or `line`.
    pub part: String,
    /// The tool call's id.
    pub call: Option<String>,
    /// The tool.
    pub tool: Option<String>,
    /// Where.
    pub evidence: RefView,
}

impl AgentView {
    /// True when no agent log was given.
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }
}

/// The leak window's start.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct WindowView {
    /// When it opened (RFC 3339).
    pub start: Option<String>,
    /// Where that comes from.
    pub source: String,
}

/// A line of evidence.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct RefView {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: Option<u64>,
    /// 0-based record.
    pub record: Option<u64>,
}

impl RefView {
    /// `file:line`, `file record n` or the file.
    pub fn label(&self) -> String {
        match (self.line, self.record) {
            (Some(l), _) => format!("{}:{l}", self.file),
            (None, Some(r)) => format!("{} record {r}", self.file),
            _ => self.file.clone(),
        }
    }
}

/// One agent session.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct SessionView {
    /// The session id.
    pub id: String,
    /// The agent.
    pub agent: Option<String>,
    /// The model.
    pub model: Option<String>,
    /// First activity.
    pub first_seen: Option<String>,
    /// Last activity.
    pub last_seen: Option<String>,
    /// The project directory.
    pub cwd: Option<String>,
    /// The account it ran under.
    pub account: Option<String>,
    /// The permission mode.
    pub permission_mode: Option<String>,
    /// The session that started it.
    pub parent: Option<String>,
    /// Tool calls in all.
    pub calls: u64,
    /// Affected by the leak.
    pub affected: bool,
    /// What ties it to the leaked credential.
    pub tie: String,
    /// Why, in words.
    pub why: String,
    /// The lines behind it.
    pub evidence: Vec<RefView>,
}

/// One action of an affected session.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ActionView {
    /// When.
    pub at: Option<String>,
    /// The session.
    pub session: String,
    /// The agent.
    pub agent: Option<String>,
    /// The tool (absent when withheld by the log).
    pub tool: Option<String>,
    /// The MCP server.
    pub server: Option<String>,
    /// What it acted on.
    pub target: Option<String>,
    /// The arguments in short, redacted.
    pub summary: String,
    /// `ok`, `error`, `not_run` or `unknown`.
    pub outcome: String,
    /// The error.
    pub error: Option<String>,
    /// The class: `read`, `egress`, `reversible`, `external`, `irreversible`, `mint`.
    pub class: String,
    /// Why that class.
    pub reason: String,
    /// Flags: `credential_read`, `sandbox_disabled`, `bypass_permissions`.
    pub flags: Vec<String>,
    /// The call's and the result's lines.
    pub evidence: Vec<RefView>,
}

/// Actions of one class.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ClassCountView {
    /// The class.
    pub class: String,
    /// How many.
    pub count: u64,
}

/// A connection to cut.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct ConnectionView {
    /// The session.
    pub session: String,
    /// `mcp_server` or `host`.
    pub kind: String,
    /// Its name (absent when withheld).
    pub name: Option<String>,
    /// The transport.
    pub transport: Option<String>,
    /// The last status.
    pub status: String,
    /// Last seen.
    pub last_seen: Option<String>,
    /// What to do.
    pub action: String,
    /// The lines behind it.
    pub evidence: Vec<RefView>,
}

/// Work handed from one session to another agent.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct HopView {
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// When.
    pub at: Option<String>,
    /// How.
    pub via: String,
    /// Whether the receiver's log is among the evidence.
    pub log_given: bool,
    /// The lines behind it.
    pub evidence: Vec<RefView>,
}

/// Something minted, to revoke at its issuer.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct MintedView {
    /// When.
    pub at: Option<String>,
    /// The session.
    pub session: String,
    /// What was made.
    pub what: String,
    /// The call, in short.
    pub summary: String,
    /// The outcome.
    pub outcome: String,
    /// The issuer.
    pub issuer: String,
    /// How to revoke it there.
    pub revoke: String,
    /// The lines behind it.
    pub evidence: Vec<RefView>,
}
