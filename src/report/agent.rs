//! The report's use of the agent stage: what the stage is told (the leak window's start, the
//! sessions the responder names, where the scan found a leaked secret), and the first-ten-
//! minutes checklist items it pre-fills (freeze sessions, kill connections, pull the action
//! log, sweep chain-hops, revoke minted tokens).

use super::Report;
use crate::agent::{AgentSection, Class, Given, SecretLine};
use crate::format;
use crate::Context;
use chrono::{DateTime, Utc};

/// What the agent stage is told: the window opens at the compromise start the responder gives,
/// else at the earliest exposure the evidence or the context shows (the commit that added a
/// leaked secret, the public exposure, the first suspicious usage).
pub fn given(r: &Report, ctx: &Context) -> Given {
    let window = match ctx.compromise_start {
        Some(t) => Some((
            t,
            "the compromise start given by the responder (context)".to_string(),
        )),
        None => {
            let mut cands: Vec<(DateTime<Utc>, String)> = Vec::new();
            for s in &r.scan.secrets {
                let Some(c) = &s.introduced else { continue };
                let t = c
                    .commit_date
                    .as_deref()
                    .or(c.author_date.as_deref())
                    .and_then(|d| DateTime::parse_from_rfc3339(d).ok());
                if let Some(t) = t {
                    cands.push((
                        t.with_timezone(&Utc),
                        format!(
                            "the commit that added a leaked secret ({}, {})",
                            c.id.chars().take(10).collect::<String>(),
                            s.redacted
                        ),
                    ));
                }
            }
            if let Some(t) = ctx.incident.exposed_publicly_at {
                cands.push((
                    t,
                    "the public exposure given by the responder (context)".into(),
                ));
            }
            if let Some(t) = r.detection.timeline.first_suspicious {
                cands.push((t, "the first suspicious usage the detection found".into()));
            }
            cands.into_iter().min_by_key(|(t, _)| *t)
        }
    };
    let secret_lines = r
        .scan
        .secrets
        .iter()
        .flat_map(|s| {
            s.occurrences
                .iter()
                .filter(|o| o.commit.is_none())
                .map(move |o| SecretLine {
                    file: o.evidence.clone(),
                    line: o.line,
                    secret: format!("{} ({})", s.redacted, s.title),
                })
        })
        .collect();
    Given {
        window,
        named: ctx.agent_sessions.clone(),
        secret_lines,
    }
}

/// At most this many items are named in a checklist note.
const NAMED: usize = 8;

fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    let mut parts: Vec<String> = items.iter().take(NAMED).map(f).collect();
    if items.len() > NAMED {
        parts.push(format!("and {} more", items.len() - NAMED));
    }
    parts.join("; ")
}

fn when(t: &Option<DateTime<Utc>>) -> String {
    t.map(|t| format::rfc3339(&t))
        .unwrap_or_else(|| "time unknown".into())
}

/// The agent stage's word on a first-ten-minutes item, and whether it settles it. `None` when
/// no agent log was given or the item is not one of the agent items.
pub fn prefill(id: &str, a: &AgentSection) -> Option<(String, bool)> {
    if a.is_empty() {
        return None;
    }
    let affected: Vec<_> = a.affected().collect();
    let window = match a.window.start {
        Some(t) => format!("since {} ({})", format::rfc3339(&t), a.window.source),
        None => "with no window start known (all listed)".into(),
    };
    Some(match id {
        "m10.freeze_sessions" if affected.is_empty() => (
            format!(
                "none of the {} agent session(s) in the evidence is affected (see the agent section for why)",
                a.sessions.len()
            ),
            false,
        ),
        "m10.freeze_sessions" => (
            format!(
                "{} affected session(s) to freeze: {}",
                affected.len(),
                list(&affected, |s| format!(
                    "{} ({}, last active {}, {})",
                    s.id,
                    s.agent.as_deref().unwrap_or("agent unknown"),
                    when(&s.last_seen),
                    s.tie
                ))
            ),
            false,
        ),
        "m10.kill_outbound" if a.connections.is_empty() => (
            "no MCP server or host in the affected sessions' logs".into(),
            false,
        ),
        "m10.kill_outbound" => (
            format!(
                "{} connection(s) to kill: {}",
                a.connections.len(),
                list(&a.connections, |c| format!(
                    "{} {} ({}{}, session {})",
                    if c.kind == "host" { "host" } else { "MCP server" },
                    c.name.as_deref().unwrap_or("(name withheld by the log)"),
                    c.status,
                    c.transport.as_deref().map(|t| format!(", {t}")).unwrap_or_default(),
                    c.session
                ))
            ),
            false,
        ),
        "m10.action_log" => {
            let counts: Vec<String> = a
                .action_counts
                .iter()
                .rev()
                .filter(|c| c.count > 0)
                .map(|c| format!("{} {}", c.count, c.class.name()))
                .collect();
            (
                format!(
                    "pulled from the agent logs: {} action(s) of {} affected session(s) {window}{}",
                    a.actions.len(),
                    affected.len(),
                    if counts.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", counts.join(", "))
                    }
                ),
                true,
            )
        }
        "m10.chain_hops" if a.chain_hops.is_empty() => (
            "no chain-hop (subagent, handoff) in the affected sessions' logs".into(),
            false,
        ),
        "m10.chain_hops" => {
            let missing = a.chain_hops.iter().filter(|h| !h.log_given).count();
            (
                format!(
                    "{} chain-hop(s): {}{}",
                    a.chain_hops.len(),
                    list(&a.chain_hops, |h| format!("{} -> {} ({}, {})", h.from, h.to, h.via, when(&h.at))),
                    if missing > 0 {
                        format!("; {missing} of them with no log among the evidence: get those logs")
                    } else {
                        String::new()
                    }
                ),
                false,
            )
        }
        "m10.revoke_minted" if a.minted.is_empty() => return None,
        "m10.revoke_minted" => (
            format!(
                "{} minted by the affected sessions: {}",
                a.minted.len(),
                list(&a.minted, |m| format!(
                    "{} at {} ({}; {}: {})",
                    m.summary,
                    when(&m.at),
                    m.outcome,
                    m.issuer,
                    m.revoke
                ))
            ),
            false,
        ),
        _ => return None,
    })
}

/// How many actions of a class the section lists.
pub fn count(a: &AgentSection, class: Class) -> u64 {
    a.action_counts
        .iter()
        .find(|c| c.class == class)
        .map(|c| c.count)
        .unwrap_or(0)
}
