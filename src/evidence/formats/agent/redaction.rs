//! Redaction markers that look like data: a log's placeholder for a value it withheld is read
//! as "unknown", never as the value. Sources: Claude Code's monitoring documentation (prompts
//! logged as `<REDACTED>`, user-configured MCP tools logged as `mcp_tool`), Claude Desktop's
//! MCP logs (`...[N chars truncated]...`), and the sanitised captures the samples come from.

/// Whole values that stand for a withheld value.
const PLACEHOLDERS: [&str; 3] = ["<REDACTED>", "REDACTED", "[REDACTED]"];

/// Prefixes of placeholders (`<REDACTADO-POR-…>`, `[REDACTED_EMAIL]`).
const PLACEHOLDER_PREFIXES: [&str; 2] = ["<REDACT", "[REDACTED"];

/// The mark Claude Desktop leaves where it cut a long message.
pub const TRUNCATED: &str = " chars truncated]...";

/// The tool name Claude Code's telemetry writes for every user-configured MCP tool.
pub const MCP_TOOL_PLACEHOLDER: &str = "mcp_tool";

/// True when a value is a redaction or truncation marker rather than data.
pub fn is_marker(s: &str) -> bool {
    let t = s.trim();
    PLACEHOLDERS.contains(&t)
        || PLACEHOLDER_PREFIXES.iter().any(|p| t.starts_with(p))
        || t.contains(TRUNCATED)
}

/// The value, or `None` when it is empty or a marker.
pub fn known(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty() && !is_marker(t)).then_some(t)
}

/// A tool name, or `None` when empty, a marker or Claude Code's `mcp_tool` placeholder.
pub fn known_tool(s: &str) -> Option<&str> {
    known(s).filter(|t| *t != MCP_TOOL_PLACEHOLDER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_unknown_values_are_kept() {
        for m in [
            "<REDACTED>",
            "REDACTED",
            "<REDACTADO-POR-ARNESIA>",
            "[REDACTED_EMAIL]",
            "{\"a\":\"x...[11759 chars truncated]...y\"}",
            "  ",
        ] {
            assert_eq!(known(m), None, "{m}");
        }
        assert_eq!(known("dev@example.com"), Some("dev@example.com"));
        assert_eq!(known("REDACTED-ish value"), Some("REDACTED-ish value"));
        assert_eq!(known_tool("mcp_tool"), None);
        assert_eq!(known_tool("Bash"), Some("Bash"));
    }
}
