//! MCP tools by class from their names, as data: the tool name's first word is its verb, the
//! rest its object (`create_issue`, `read_text_file`, `mcp__slack__post_message`). Server
//! annotations (`readOnlyHint`, `destructiveHint`) are hints from the server and are not in the
//! logs read here; names are a first guess, and an unknown verb is a change, never a read.
//! Sources: the MCP specification (tools, tool annotations) and the leak-triage research's
//! action table (MCP `read_*`, `get_*`, `list_*`, `search_*`, issues and comments, sends,
//! payments, tokens).

use super::class::{Class, Verdict};

/// Objects that make a creating verb a mint: (object word, issuer hint).
const MINT_OBJECTS: &[&str] = &[
    "token",
    "tokens",
    "key",
    "keys",
    "apikey",
    "webhook",
    "webhooks",
    "secret",
    "credential",
    "credentials",
    "grant",
    "invite",
    "invitation",
    "link",
    "url",
    "deploykey",
    "oauth",
];
const MINT_VERBS: &[&str] = &[
    "create", "generate", "mint", "issue", "add", "new", "rotate", "share", "sign", "presign",
];
const IRREVERSIBLE: &[&str] = &[
    "delete", "remove", "drop", "destroy", "purge", "send", "post", "publish", "push", "deploy",
    "merge", "pay", "charge", "refund", "transfer", "email", "tweet", "reply", "notify", "archive",
];
const MONEY: &[&str] = &[
    "refund", "refunds", "charge", "charges", "payment", "payout", "transfer",
];
const EXTERNAL_VERBS: &[&str] = &[
    "create", "open", "add", "update", "close", "reopen", "comment", "label", "assign", "request",
    "submit", "edit",
];
const EXTERNAL_OBJECTS: &[&str] = &[
    "issue",
    "issues",
    "pull",
    "pr",
    "comment",
    "comments",
    "review",
    "label",
    "labels",
    "discussion",
    "release",
    "gist",
    "ticket",
    "page",
    "event",
    "channel",
    "repository",
    "repo",
];
const REVERSIBLE: &[&str] = &[
    "write", "edit", "update", "move", "rename", "create", "add", "set", "insert", "upsert",
    "patch", "put", "save", "copy", "mkdir", "apply", "modify", "replace", "append", "commit",
];
const EGRESS: &[&str] = &[
    "fetch", "browse", "navigate", "download", "http", "request", "scrape", "crawl", "web",
    "upload", "open",
];
const READ: &[&str] = &[
    "read",
    "get",
    "list",
    "search",
    "find",
    "query",
    "describe",
    "view",
    "show",
    "directory",
    "tree",
    "stat",
    "lookup",
    "count",
    "check",
    "inspect",
    "explain",
    "resolve",
    "info",
];

/// The words of a tool name (`read_text_file`, `readTextFile`, `read-text-file`), lower case.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' || c == ' ' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else if c.is_uppercase() && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            cur.extend(c.to_lowercase());
        } else {
            cur.extend(c.to_lowercase());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// An MCP tool's verdict from its name (without the `mcp__<server>__` prefix).
pub fn classify(name: &str) -> Verdict {
    let w = words(name);
    let verb = w.first().map(String::as_str).unwrap_or("");
    let object: Vec<&str> = w.iter().skip(1).map(String::as_str).collect();
    let has = |list: &[&str]| object.iter().any(|o| list.contains(o));
    let why = |what: &str| format!("MCP tool `{name}`: {what} (by its name)");
    if (MINT_VERBS.contains(&verb) && has(MINT_OBJECTS)) || verb == "presign" {
        return Verdict {
            class: Class::Mint,
            reason: why("creates a credential, link or webhook"),
            revoke: Some((
                "the MCP server's service",
                "revoke what the call created at that service",
            )),
        };
    }
    if w.iter().any(|x| MONEY.contains(&x.as_str())) {
        return Verdict::new(Class::Irreversible, why("moves money"));
    }
    if IRREVERSIBLE.contains(&verb) {
        return Verdict::new(
            Class::Irreversible,
            why("sends, publishes, deletes or pays"),
        );
    }
    if EXTERNAL_VERBS.contains(&verb) && has(EXTERNAL_OBJECTS) {
        return Verdict::new(Class::External, why("visible to others"));
    }
    if REVERSIBLE.contains(&verb) {
        return Verdict::new(Class::Reversible, why("changes state"));
    }
    if EGRESS.contains(&verb) {
        return Verdict::new(Class::Egress, why("reaches out to the network"));
    }
    if READ.contains(&verb) {
        return Verdict::new(Class::Read, why("reads"));
    }
    Verdict::new(
        Class::Reversible,
        format!(
            "MCP tool `{name}`: its name does not say what it does; taken as a change, not a read"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_to_classes() {
        let cases = [
            ("read_text_file", Class::Read),
            ("list_allowed_directories", Class::Read),
            ("directory_tree", Class::Read),
            ("get_weather", Class::Read),
            ("searchCode", Class::Read),
            ("fetch", Class::Egress),
            ("write_file", Class::Reversible),
            ("create_issue", Class::External),
            ("add_issue_comment", Class::External),
            ("create_pull_request", Class::External),
            ("post_message", Class::Irreversible),
            ("send_email", Class::Irreversible),
            ("delete_file", Class::Irreversible),
            ("create_refund", Class::Irreversible),
            ("create_webhook", Class::Mint),
            ("create_api_key", Class::Mint),
            ("frobnicate", Class::Reversible),
        ];
        for (n, want) in cases {
            assert_eq!(classify(n).class, want, "{n}");
        }
    }
}
