//! One tool call's class: Claude Code's built-in tools from their catalog, `Bash` by its
//! command line, A2A methods from theirs, MCP tools (and other agents' tools) by their names; and the flags a responder needs beside the class
//! (a credential file or the environment read, the sandbox turned off).

use super::class::{Class, Verdict};
use super::{a2a, bash, mcp_tools, tools};
use serde_json::Value;

/// File names and paths that hold credentials (a read of one is flagged). Source: the
/// leak-triage research (reading `.env` or key files matters because of what followed).
const CREDENTIAL_FILES: &[&str] = &[
    ".env",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    "credentials",
    "id_rsa",
    "id_ed25519",
    ".pem",
    ".p12",
    ".key",
    "secrets",
    ".aws/",
    ".ssh/",
    "kubeconfig",
    ".docker/config.json",
    "auth.json",
];

/// A call's verdict and flags.
pub struct Classified {
    /// Class and why.
    pub verdict: Verdict,
    /// `credential_read`, `sandbox_disabled`.
    pub flags: Vec<&'static str>,
}

/// The shell command of a call's input (`command`, or the telemetry's `full_command` or
/// `bash_command`).
pub fn command(input: &Value) -> Option<&str> {
    ["command", "full_command", "bash_command"]
        .iter()
        .find_map(|k| input.get(*k).and_then(Value::as_str))
}

/// Classifies one call. `tool` is absent when the log withheld the name.
pub fn classify(tool: Option<&str>, input: &Value) -> Classified {
    let mut flags = Vec::new();
    let verdict = match tool {
        None => Verdict::new(
            Class::Reversible,
            "the log withheld the tool's name: taken as a change, not a read",
        ),
        Some("Bash") | Some("PowerShell") => match command(input) {
            Some(c) => bash::classify(c),
            None => Verdict::new(
                Class::Reversible,
                "a shell command whose text the log does not hold: taken as a change",
            ),
        },
        Some(t) if t.starts_with("a2a:") => a2a::classify(&t["a2a:".len()..]),
        Some(t) if t.starts_with("mcp__") => {
            let name = t.splitn(3, "__").nth(2).unwrap_or(t);
            mcp_tools::classify(name)
        }
        Some(t) => match tools::built_in(t) {
            Some((class, why)) => Verdict {
                class,
                reason: format!("{t} {why}"),
                revoke: tools::built_in_revoke(t),
            },
            // Not a Claude Code tool: an MCP tool called by its bare name (an MCP log).
            None => mcp_tools::classify(t),
        },
    };
    let text = [
        "file_path",
        "path",
        "notebook_path",
        "command",
        "full_command",
        "bash_command",
    ]
    .iter()
    .filter_map(|k| input.get(*k).and_then(Value::as_str))
    .collect::<Vec<_>>()
    .join(" ");
    let reads_env = command(input).is_some_and(|c| {
        bash::parts(c).iter().any(|p| {
            let first = p.split_whitespace().next().unwrap_or("");
            first == "env" || first == "printenv"
        })
    });
    if reads_env || CREDENTIAL_FILES.iter().any(|f| text.contains(f)) {
        flags.push("credential_read");
    }
    if input
        .get("dangerouslyDisableSandbox")
        .and_then(Value::as_bool)
        == Some(true)
    {
        flags.push("sandbox_disabled");
    }
    Classified { verdict, flags }
}

/// The call's target: a file, a URL's host, a path, a repository; for a shell command, the
/// first URL's host.
pub fn target(tool: Option<&str>, server: Option<&str>, input: &Value) -> Option<String> {
    let s = |k: &str| input.get(k).and_then(Value::as_str).map(str::to_string);
    if let Some(u) = s("url") {
        return Some(host(&u).unwrap_or(u));
    }
    let direct = s("file_path")
        .or_else(|| s("notebook_path"))
        .or_else(|| s("path"));
    if direct.is_some() {
        return direct;
    }
    if let Some(c) = command(input) {
        if let Some(h) = c.split_whitespace().find_map(host) {
            return Some(h);
        }
    }
    for k in [
        "repo",
        "repository",
        "owner",
        "channel",
        "to",
        "recipient",
        "query",
    ] {
        if let Some(v) = s(k) {
            return Some(v);
        }
    }
    if tool.is_some_and(|t| t.starts_with("mcp__")) || server.is_some() {
        return server.map(|s| format!("MCP server {s}"));
    }
    None
}

/// A URL's host.
pub fn host(word: &str) -> Option<String> {
    let w = word.trim_matches(|c| c == '"' || c == '\'');
    let rest = w.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    (!host.is_empty()).then(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Each built-in tool, Bash with its commands split, and MCP tools by name, to a class.
    #[test]
    fn classification_table() {
        let cases: &[(&str, Value, Class)] = &[
            ("Read", json!({"file_path": "/w/src/main.rs"}), Class::Read),
            ("Grep", json!({"pattern": "x"}), Class::Read),
            (
                "WebFetch",
                json!({"url": "https://example.com/a"}),
                Class::Egress,
            ),
            ("WebSearch", json!({"query": "q"}), Class::Egress),
            ("Edit", json!({"file_path": "/w/a"}), Class::Reversible),
            ("Write", json!({"file_path": "/w/a"}), Class::Reversible),
            ("Task", json!({"prompt": "p"}), Class::Reversible),
            ("SendMessage", json!({}), Class::Irreversible),
            ("Artifact", json!({}), Class::Mint),
            ("Bash", json!({"command": "git status"}), Class::Read),
            (
                "Bash",
                json!({"command": "git commit -m x && git push"}),
                Class::Irreversible,
            ),
            ("Bash", json!({"command": "gh auth token"}), Class::Mint),
            (
                "mcp__github__create_issue",
                json!({"title": "t"}),
                Class::External,
            ),
            (
                "mcp__filesystem__read_text_file",
                json!({"path": "/a"}),
                Class::Read,
            ),
            ("mcp__stripe__create_refund", json!({}), Class::Irreversible),
            ("directory_tree", json!({"path": "/a"}), Class::Read),
            ("SomethingNew", json!({}), Class::Reversible),
        ];
        for (tool, input, want) in cases {
            assert_eq!(
                classify(Some(tool), input).verdict.class,
                *want,
                "{tool} {input}"
            );
        }
        assert_eq!(classify(None, &json!({})).verdict.class, Class::Reversible);
    }

    #[test]
    fn flags_and_targets() {
        let c = classify(Some("Read"), &json!({"file_path": "/w/.env"}));
        assert_eq!(c.flags, ["credential_read"]);
        let c = classify(
            Some("Bash"),
            &json!({"command": "printenv | sort", "dangerouslyDisableSandbox": true}),
        );
        assert_eq!(c.flags, ["credential_read", "sandbox_disabled"]);
        assert_eq!(
            target(
                Some("Bash"),
                None,
                &json!({"command": "curl -s https://user@api.example.com/v1?q=1"})
            )
            .as_deref(),
            Some("api.example.com")
        );
        assert_eq!(
            target(
                Some("WebFetch"),
                None,
                &json!({"url": "https://a.example/x"})
            )
            .as_deref(),
            Some("a.example")
        );
        assert_eq!(
            target(Some("mcp__gh__x"), Some("gh"), &json!({})).as_deref(),
            Some("MCP server gh")
        );
    }
}
