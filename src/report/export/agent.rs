//! The agent section in the Markdown and text exports: the window, the sessions (affected
//! first), the action log (with classes and reasons), the connections to kill, the chain-hops
//! and the minted tokens, each with its evidence lines. Values pass the output gate at the
//! writers ([`super::markdown_file`], [`super::text_file`]); Markdown values are escaped.

use super::markdown::esc;
use crate::agent::AgentSection;
use crate::evidence::RawRef;
use crate::format;
use chrono::{DateTime, Utc};
use std::fmt::Write;

/// At most this many actions are written in the text summary (the Markdown and JSON hold all).
const TEXT_ACTIONS: usize = 40;

fn when(t: &Option<DateTime<Utc>>) -> String {
    t.map(|t| format::rfc3339(&t)).unwrap_or_else(|| "-".into())
}

fn refs(r: &[RawRef]) -> String {
    r.iter()
        .map(|r| match (r.line, r.record) {
            (Some(l), _) => format!("{}:{l}", r.file),
            (None, Some(i)) => format!("{}#{i}", r.file),
            _ => r.file.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The section as Markdown (nothing when no agent log was given).
pub fn markdown(s: &mut String, a: &AgentSection) {
    if a.is_empty() {
        return;
    }
    let _ = writeln!(s, "## Agent sessions and actions\n");
    let _ = writeln!(
        s,
        "Leak window opens: {} ({}).\n",
        when(&a.window.start),
        esc(&a.window.source)
    );
    for n in &a.notes {
        let _ = writeln!(s, "- {}", esc(n));
    }
    if !a.notes.is_empty() {
        s.push('\n');
    }
    let _ = writeln!(s, "### Sessions\n\n| Session | Agent | Model | First seen | Last seen | Project | Account | Affected | Why | Evidence |\n|---|---|---|---|---|---|---|---|---|---|");
    for x in &a.sessions {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            esc(&x.id),
            esc(x.agent.as_deref().unwrap_or("-")),
            esc(x.model.as_deref().unwrap_or("-")),
            when(&x.first_seen),
            when(&x.last_seen),
            esc(x.cwd.as_deref().unwrap_or("-")),
            esc(x.account.as_deref().unwrap_or("unknown")),
            if x.affected { "yes" } else { "no" },
            esc(&x.why),
            esc(&refs(&x.evidence))
        );
    }
    let counts: Vec<String> = a
        .action_counts
        .iter()
        .rev()
        .map(|c| format!("{} {}", c.count, c.class.name()))
        .collect();
    let _ = writeln!(
        s,
        "\n### Action log since the window opened\n\n{} action(s): {}.\n",
        a.actions.len(),
        counts.join(", ")
    );
    if !a.actions.is_empty() {
        let _ = writeln!(s, "| Time | Session | Tool | Target | Summary | Outcome | Class | Why | Flags | Evidence |\n|---|---|---|---|---|---|---|---|---|---|");
        for x in &a.actions {
            let outcome = match &x.error {
                Some(e) => format!("{}: {e}", x.outcome),
                None => x.outcome.clone(),
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                when(&x.at),
                esc(&x.session),
                esc(x.tool.as_deref().unwrap_or("(withheld)")),
                esc(x.target.as_deref().unwrap_or("-")),
                esc(&x.summary),
                esc(&outcome),
                x.class.name(),
                esc(&x.reason),
                esc(&x.flags.join(", ")),
                esc(&refs(&x.evidence))
            );
        }
    }
    let _ = writeln!(s, "\n### Connections to kill\n");
    if a.connections.is_empty() {
        let _ = writeln!(s, "None in the affected sessions' logs.");
    } else {
        let _ = writeln!(s, "| Session | Kind | Name | Transport | Status | Last seen | Action | Evidence |\n|---|---|---|---|---|---|---|---|");
        for c in &a.connections {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                esc(&c.session),
                c.kind,
                esc(c.name.as_deref().unwrap_or("(withheld)")),
                esc(c.transport.as_deref().unwrap_or("-")),
                esc(&c.status),
                when(&c.last_seen),
                esc(&c.action),
                esc(&refs(&c.evidence))
            );
        }
    }
    let _ = writeln!(s, "\n### Chain-hops\n");
    if a.chain_hops.is_empty() {
        let _ = writeln!(s, "None in the affected sessions' logs.");
    } else {
        let _ = writeln!(
            s,
            "| From | To | When | Via | Log given | Evidence |\n|---|---|---|---|---|---|"
        );
        for h in &a.chain_hops {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                esc(&h.from),
                esc(&h.to),
                when(&h.at),
                esc(&h.via),
                if h.log_given { "yes" } else { "no" },
                esc(&refs(&h.evidence))
            );
        }
    }
    let _ = writeln!(s, "\n### Minted tokens and standing access\n");
    if a.minted.is_empty() {
        let _ = writeln!(s, "None in the affected sessions' logs.");
    } else {
        let _ = writeln!(s, "| When | Session | What | Call | Outcome | Issuer | Revoke | Evidence |\n|---|---|---|---|---|---|---|---|");
        for m in &a.minted {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                when(&m.at),
                esc(&m.session),
                esc(&m.what),
                esc(&m.summary),
                esc(&m.outcome),
                esc(&m.issuer),
                esc(&m.revoke),
                esc(&refs(&m.evidence))
            );
        }
    }
    if !a.secrets_in_logs.is_empty() {
        let _ = writeln!(s, "\n### Leaked secrets in the agent logs\n");
        let _ = writeln!(
            s,
            "| Secret | Session | When | In | Call | Tool | Evidence |\n|---|---|---|---|---|---|---|"
        );
        for f in &a.secrets_in_logs {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                esc(&f.secret),
                esc(&f.session),
                when(&f.at),
                esc(&f.part),
                esc(f.call.as_deref().unwrap_or("-")),
                esc(f.tool.as_deref().unwrap_or("-")),
                esc(&refs(std::slice::from_ref(&f.evidence)))
            );
        }
    }
    s.push('\n');
}

/// The section as plain text for a terminal (nothing when no agent log was given).
pub fn text(s: &mut String, a: &AgentSection) {
    if a.is_empty() {
        return;
    }
    let affected = a.affected().count();
    let _ = writeln!(
        s,
        "\nAgent: {} session(s), {} affected; window opens {} ({})",
        a.sessions.len(),
        affected,
        when(&a.window.start),
        a.window.source
    );
    for n in &a.notes {
        let _ = writeln!(s, "  note: {n}");
    }
    for x in &a.sessions {
        let _ = writeln!(
            s,
            "  {} {}  {}  {} to {}  {}",
            if x.affected { "AFFECTED" } else { "        " },
            x.id,
            x.agent.as_deref().unwrap_or("-"),
            when(&x.first_seen),
            when(&x.last_seen),
            x.why
        );
    }
    let counts: Vec<String> = a
        .action_counts
        .iter()
        .rev()
        .filter(|c| c.count > 0)
        .map(|c| format!("{} {}", c.count, c.class.name()))
        .collect();
    let _ = writeln!(
        s,
        "  actions since the window: {}{}",
        a.actions.len(),
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join(", "))
        }
    );
    for x in a.actions.iter().take(TEXT_ACTIONS) {
        let _ = writeln!(
            s,
            "    {}  {:<12} {}  {}  [{}]  {}",
            when(&x.at),
            x.class.name(),
            x.tool.as_deref().unwrap_or("(withheld)"),
            x.summary,
            x.outcome,
            refs(&x.evidence)
        );
    }
    if a.actions.len() > TEXT_ACTIONS {
        let _ = writeln!(
            s,
            "    … and {} more action(s) (see --json or the Markdown)",
            a.actions.len() - TEXT_ACTIONS
        );
    }
    for c in &a.connections {
        let _ = writeln!(
            s,
            "  kill: {} {} ({}) in {}  {}",
            c.kind,
            c.name.as_deref().unwrap_or("(withheld)"),
            c.status,
            c.session,
            refs(&c.evidence)
        );
    }
    for h in &a.chain_hops {
        let _ = writeln!(
            s,
            "  chain-hop: {} -> {} via {} at {}{}",
            h.from,
            h.to,
            h.via,
            when(&h.at),
            if h.log_given {
                ""
            } else {
                " (its log is not in the evidence)"
            }
        );
    }
    for m in &a.minted {
        let _ = writeln!(
            s,
            "  minted: {} at {} [{}]; revoke at {}: {}  {}",
            m.summary,
            when(&m.at),
            m.outcome,
            m.issuer,
            m.revoke,
            refs(&m.evidence)
        );
    }
    for f in &a.secrets_in_logs {
        let _ = writeln!(
            s,
            "  secret in log: {} in session {} ({}{}{}) at {}  {}",
            f.secret,
            f.session,
            f.part,
            f.tool
                .as_deref()
                .map(|t| format!(" of {t}"))
                .unwrap_or_default(),
            f.call
                .as_deref()
                .map(|c| format!(" call {c}"))
                .unwrap_or_default(),
            when(&f.at),
            refs(std::slice::from_ref(&f.evidence))
        );
    }
}
