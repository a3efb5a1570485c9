//! Claude Code's built-in tools by class, as data. Sources: Claude Code's tools reference
//! (the built-in tool list) and the leak-triage research's action table (read, egress,
//! reversible, irreversible, mint). A tool not listed is never taken as a read.

use super::class::Class;

/// (tool, class, why).
pub const BUILT_IN: &[(&str, Class, &str)] = &[
    ("Read", Class::Read, "reads a local file"),
    ("Glob", Class::Read, "lists local files"),
    ("Grep", Class::Read, "searches local files"),
    ("LS", Class::Read, "lists a local directory"),
    ("LSP", Class::Read, "queries the language server"),
    ("NotebookRead", Class::Read, "reads a local notebook"),
    ("ListMcpResourcesTool", Class::Read, "lists MCP resources"),
    ("ReadMcpResourceTool", Class::Read, "reads an MCP resource"),
    ("TaskGet", Class::Read, "reads a task's state"),
    ("TaskList", Class::Read, "lists tasks"),
    ("TaskOutput", Class::Read, "reads a task's output"),
    ("CronList", Class::Read, "lists scheduled jobs"),
    ("ListAgents", Class::Read, "lists agents"),
    ("AskUserQuestion", Class::Read, "asks the user"),
    ("ToolSearch", Class::Read, "searches the tool list"),
    ("WaitForMcpServers", Class::Read, "waits for MCP servers"),
    (
        "WebFetch",
        Class::Egress,
        "fetches a URL: the URL and request leave the machine",
    ),
    (
        "WebSearch",
        Class::Egress,
        "sends a search query to a third party",
    ),
    (
        "Edit",
        Class::Reversible,
        "edits a local file (the transcript keeps the patch)",
    ),
    (
        "MultiEdit",
        Class::Reversible,
        "edits a local file (the transcript keeps the patch)",
    ),
    (
        "Write",
        Class::Reversible,
        "writes a local file (the transcript keeps the original)",
    ),
    ("NotebookEdit", Class::Reversible, "edits a local notebook"),
    (
        "TodoWrite",
        Class::Reversible,
        "updates the session's to-do list",
    ),
    ("TaskCreate", Class::Reversible, "creates a session task"),
    ("TaskUpdate", Class::Reversible, "updates a session task"),
    (
        "EnterPlanMode",
        Class::Reversible,
        "changes the session's mode",
    ),
    (
        "ExitPlanMode",
        Class::Reversible,
        "changes the session's mode",
    ),
    (
        "EnterWorktree",
        Class::Reversible,
        "switches the local worktree",
    ),
    (
        "ExitWorktree",
        Class::Reversible,
        "switches the local worktree",
    ),
    (
        "CronCreate",
        Class::Reversible,
        "schedules a session-scoped job",
    ),
    (
        "CronDelete",
        Class::Reversible,
        "removes a session-scoped job",
    ),
    (
        "Skill",
        Class::Reversible,
        "runs a skill (its own calls are logged separately)",
    ),
    (
        "Task",
        Class::Reversible,
        "starts a subagent: a chain-hop, whose own calls are listed under it",
    ),
    (
        "Agent",
        Class::Reversible,
        "starts a subagent: a chain-hop, whose own calls are listed under it",
    ),
    (
        "SendMessage",
        Class::Irreversible,
        "sends a message to another agent or session",
    ),
    (
        "PushNotification",
        Class::Irreversible,
        "sends a notification",
    ),
    (
        "SendUserFile",
        Class::Irreversible,
        "sends a file to the user",
    ),
    (
        "Artifact",
        Class::Mint,
        "publishes an artifact behind a share link",
    ),
    ("ShareOnboardingGuide", Class::Mint, "creates a share link"),
    (
        "RemoteTrigger",
        Class::Mint,
        "creates a routine that runs on its own",
    ),
    (
        "ScheduleWakeup",
        Class::Mint,
        "schedules a wake-up that outlives the turn",
    ),
    (
        "Monitor",
        Class::Mint,
        "starts a background process or socket that outlives the turn",
    ),
];

/// Where to revoke what a minting built-in tool made: (issuer, how).
pub const BUILT_IN_REVOKE: &[(&str, &str, &str)] = &[
    (
        "Artifact",
        "Anthropic (claude.ai)",
        "unpublish the artifact / revoke its share link",
    ),
    (
        "ShareOnboardingGuide",
        "Anthropic (claude.ai)",
        "revoke the share link",
    ),
    (
        "RemoteTrigger",
        "Anthropic (claude.ai)",
        "delete the routine",
    ),
    (
        "ScheduleWakeup",
        "the agent host",
        "cancel the scheduled wake-up",
    ),
    ("Monitor", "the agent host", "stop the background process"),
];

/// The built-in tool's class and why, when listed.
pub fn built_in(tool: &str) -> Option<(Class, &'static str)> {
    BUILT_IN
        .iter()
        .find(|(t, _, _)| *t == tool)
        .map(|(_, c, w)| (*c, *w))
}

/// Where to revoke what a minting built-in tool made.
pub fn built_in_revoke(tool: &str) -> Option<(&'static str, &'static str)> {
    BUILT_IN_REVOKE
        .iter()
        .find(|(t, _, _)| *t == tool)
        .map(|(_, i, h)| (*i, *h))
}

/// True for the tools that start a subagent.
pub fn starts_subagent(tool: &str) -> bool {
    matches!(tool, "Task" | "Agent")
}
