//! What the agent's own logs show about the blast radius: the questionnaire's agent questions
//! answered from the affected sessions (rules `q.agent.logs`, `q.agent_tools.logs`,
//! `q.minted.logs`), the data-exposure reasons their actions give (`data.agent_*`), the rooms
//! their connections and chain-hops open (`room.agent_*`) and each minted token to revoke where
//! it was issued (`revoke.agent_minted`). Where the logs show it, the rating rests on what the
//! agent did, not on what the questionnaire supposes.

use super::answers::{Minted, Tool, Tri};
use super::kinds::Priority;
use super::{Level, Reason, Revocation, Room, Source};
use crate::agent::{Action, AgentSection, Class};
use crate::evidence::event::RawRef;

/// The system a tool, MCP server, target or command word names: (word, system). Matched
/// against the lower-cased words of the action's tool, server, target and the first word of a
/// shell command. Service names from the MCP servers' registry and the vendors' CLIs.
pub(crate) const SYSTEMS: &[(&str, Tool)] = &[
    ("github", Tool::CodeHost),
    ("gitlab", Tool::CodeHost),
    ("bitbucket", Tool::CodeHost),
    ("gh", Tool::CodeHost),
    ("git", Tool::CodeHost),
    ("glab", Tool::CodeHost),
    ("postgres", Tool::Database),
    ("postgresql", Tool::Database),
    ("psql", Tool::Database),
    ("mysql", Tool::Database),
    ("sqlite", Tool::Database),
    ("mongodb", Tool::Database),
    ("mongosh", Tool::Database),
    ("redis", Tool::Database),
    ("supabase", Tool::Database),
    ("bigquery", Tool::Database),
    ("snowflake", Tool::Database),
    ("sql", Tool::Database),
    ("gmail", Tool::Email),
    ("email", Tool::Email),
    ("mail", Tool::Email),
    ("smtp", Tool::Email),
    ("sendgrid", Tool::Email),
    ("outlook", Tool::Email),
    ("slack", Tool::Chat),
    ("teams", Tool::Chat),
    ("discord", Tool::Chat),
    ("telegram", Tool::Chat),
    ("salesforce", Tool::Crm),
    ("hubspot", Tool::Crm),
    ("zendesk", Tool::Crm),
    ("crm", Tool::Crm),
    ("s3", Tool::FileStorage),
    ("gsutil", Tool::FileStorage),
    ("gdrive", Tool::FileStorage),
    ("dropbox", Tool::FileStorage),
    ("storage", Tool::FileStorage),
    ("bucket", Tool::FileStorage),
];

/// The systems one action acts on, by the words of its tool, server, target and command.
fn systems(a: &Action) -> Vec<Tool> {
    let mut text = String::new();
    for part in [&a.tool, &a.server, &a.target].into_iter().flatten() {
        text.push_str(part);
        text.push(' ');
    }
    // A shell command names its program first; `git` reaches the code host only when it
    // changes something there (a local `git log` does not).
    if a.tool.as_deref() == Some("Bash") {
        let program = a.summary.split_whitespace().next().unwrap_or("");
        if program != "git" || a.class != Class::Read {
            text.push_str(program);
        }
    }
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<Tool> = SYSTEMS
        .iter()
        .filter(|(w, _)| words.contains(w))
        .map(|(_, t)| *t)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Sources cited in a reason at most.
const CITED: usize = 8;

/// The first line behind each item, as sources (at most [`CITED`]).
fn first_rows<'a>(evidence: impl Iterator<Item = &'a [RawRef]>) -> Vec<Source> {
    evidence
        .filter_map(|e| e.first())
        .map(Source::row)
        .take(CITED)
        .collect()
}

/// The lines behind the affected sessions' first records.
fn session_sources(a: &AgentSection) -> Vec<Source> {
    first_rows(a.affected().map(|s| s.evidence.as_slice()))
}

fn action_sources<'a>(actions: impl Iterator<Item = &'a Action>) -> Vec<Source> {
    first_rows(actions.map(|x| x.evidence.as_slice()))
}

/// True when a call or mint ran (or may have): not failed, not rejected.
fn ran(outcome: &str) -> bool {
    outcome != "error" && outcome != "not_run"
}

/// At most this many things named in a reason.
const NAMED: usize = 5;

fn named(items: &[String]) -> String {
    let mut v: Vec<String> = Vec::new();
    for i in items {
        if !v.contains(i) {
            v.push(i.clone());
        }
    }
    let more = v.len().saturating_sub(NAMED);
    v.truncate(NAMED);
    let mut s = v.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// Rule `q.agent.logs`: affected sessions in the agent logs show an agent holds the credential.
pub(crate) fn agent_ev(a: &AgentSection) -> Option<(Tri, Reason)> {
    let n = a.affected().count();
    (n > 0).then(|| {
        (
            Tri::Yes,
            Reason::new(
                "q.agent.logs",
                format!("the agent logs show {n} affected agent session(s)"),
                session_sources(a),
            ),
        )
    })
}

/// Rule `q.agent_tools.logs`: the systems the affected sessions' actions reached, and other
/// agents when they handed work on.
pub(crate) fn tools_ev(a: &AgentSection) -> Option<(Vec<Tool>, Reason)> {
    let mut tools: Vec<Tool> = Vec::new();
    let mut what: Vec<String> = Vec::new();
    let mut behind: Vec<&Action> = Vec::new();
    for x in &a.actions {
        let found = systems(x);
        if found.is_empty() {
            continue;
        }
        let name = x
            .server
            .clone()
            .or_else(|| x.tool.clone())
            .unwrap_or_default();
        what.push(format!(
            "{name} ({})",
            found
                .iter()
                .map(|t| t.label())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        tools.extend(found);
        behind.push(x);
    }
    let mut sources = action_sources(behind.into_iter());
    if !a.chain_hops.is_empty() {
        tools.push(Tool::AgentsQueues);
        what.push(format!("{} chain-hop(s)", a.chain_hops.len()));
        sources.extend(
            a.chain_hops
                .iter()
                .filter_map(|h| h.evidence.first())
                .map(Source::row)
                .take(4),
        );
    }
    if tools.is_empty() {
        return None;
    }
    tools.sort();
    tools.dedup();
    Some((
        tools,
        Reason::new(
            "q.agent_tools.logs",
            format!("the affected sessions' actions reached: {}", named(&what)),
            sources,
        ),
    ))
}

/// What kind of minted token a mint action made, by its words: (word, kind).
const MINTED_KINDS: &[(&str, Minted)] = &[
    ("signed", Minted::SignedUrls),
    ("presign", Minted::SignedUrls),
    ("share link", Minted::SignedUrls),
    ("link", Minted::SignedUrls),
    ("oauth", Minted::OauthGrants),
    ("grant", Minted::OauthGrants),
    ("access token", Minted::OauthGrants),
    ("temporary", Minted::OauthGrants),
];

fn minted_kind(what: &str) -> Minted {
    let w = what.to_ascii_lowercase();
    MINTED_KINDS
        .iter()
        .find(|(k, _)| w.contains(k))
        .map(|(_, m)| *m)
        .unwrap_or(Minted::SubKeys)
}

/// Rule `q.minted.logs`: the tokens the affected sessions minted.
pub(crate) fn minted_ev(a: &AgentSection) -> Option<(Vec<Minted>, Reason)> {
    if a.minted.is_empty() {
        return None;
    }
    let mut kinds: Vec<Minted> = a.minted.iter().map(|m| minted_kind(&m.what)).collect();
    kinds.sort();
    kinds.dedup();
    let what: Vec<String> = a.minted.iter().map(|m| m.what.clone()).collect();
    let sources = first_rows(a.minted.iter().map(|m| m.evidence.as_slice()));
    Some((
        kinds,
        Reason::new(
            "q.minted.logs",
            format!("the agent logs show tokens minted: {}", named(&what)),
            sources,
        ),
    ))
}

/// The data-exposure reasons the affected sessions' actions give.
pub(crate) fn data_reasons(a: &AgentSection) -> Vec<Reason> {
    let mut out = Vec::new();
    let minted: Vec<_> = a.minted.iter().filter(|m| ran(&m.outcome)).collect();
    if !minted.is_empty() {
        out.push(
            Reason::new(
                "data.agent_minted",
                format!(
                    "the affected sessions minted {} credential(s), grant(s) or link(s) that outlive the leaked one: {}",
                    minted.len(),
                    named(&minted.iter().map(|m| m.what.clone()).collect::<Vec<_>>())
                ),
                first_rows(minted.iter().map(|m| m.evidence.as_slice())),
            )
            .at(Level::Critical),
        );
    }
    let done = |keep: &dyn Fn(&Action) -> bool| -> Vec<&Action> {
        a.actions
            .iter()
            .filter(|x| keep(x) && ran(&x.outcome))
            .collect()
    };
    let of = |class: Class| done(&move |x: &Action| x.class == class);
    // (rule, level, the actions that ran, the sentence from their count and targets)
    type Words = fn(usize, &str) -> String;
    let kinds: [(&str, Level, Vec<&Action>, Words); 4] = [
        (
            "data.agent_credential_read",
            Level::High,
            done(&|x: &Action| x.flags.iter().any(|f| f == "credential_read")),
            |n, t| {
                format!("the affected sessions read credential files or the environment {n} time(s) ({t}): every secret there is exposed too")
            },
        ),
        (
            "data.agent_egress",
            Level::High,
            of(Class::Egress),
            |n, t| {
                format!("{n} action(s) since the window opened sent data out of the machine: {t}")
            },
        ),
        (
            "data.agent_irreversible",
            Level::High,
            of(Class::Irreversible),
            |n, t| {
                format!("{n} irreversible action(s) ran since the window opened (pushed, published, deleted or sent): {t}")
            },
        ),
        (
            "data.agent_external",
            Level::Medium,
            of(Class::External),
            |n, t| {
                format!("{n} action(s) since the window opened are visible to others (issues, comments, pull requests): {t}")
            },
        ),
    ];
    for (rule, level, actions, words) in kinds {
        if actions.is_empty() {
            continue;
        }
        let targets: Vec<String> = actions
            .iter()
            .map(|x| {
                x.target
                    .clone()
                    .or_else(|| x.tool.clone())
                    .unwrap_or_else(|| "(withheld)".into())
            })
            .collect();
        out.push(
            Reason::new(
                rule,
                words(actions.len(), &named(&targets)),
                action_sources(actions.iter().copied()),
            )
            .at(level),
        );
    }
    out
}

/// The rooms the affected sessions' connections and chain-hops open: each MCP server or host
/// they reached, and each agent they handed work to.
pub(crate) fn rooms(a: &AgentSection) -> Vec<Room> {
    let mut out = Vec::new();
    let since = a
        .window
        .start
        .map(|t| format!("since {}", crate::format::rfc3339(&t)))
        .unwrap_or_else(|| "in the whole log".into());
    for c in &a.connections {
        let name = c
            .name
            .clone()
            .unwrap_or_else(|| "(name withheld by the log)".into());
        let system = if c.kind == "host" {
            format!("host {name}")
        } else {
            format!("MCP server {name}")
        };
        out.push(Room {
            system,
            look_for: format!(
                "its own access log: requests from the agent {since}, what they read or changed, and any session or token it still honours"
            ),
            why: Reason::new(
                "room.agent_connection",
                format!("affected session {} {} it", c.session, if c.status == "used" { "called" } else { "held a connection to" }),
                c.evidence.iter().take(2).map(Source::row).collect(),
            ),
        });
    }
    for h in &a.chain_hops {
        out.push(Room {
            system: format!("agent {}", h.to),
            look_for: if h.log_given {
                "its actions in this report: it is followed as an affected session".into()
            } else {
                "its own action log (not among the evidence): what it did with the work it took, and whom it handed work to".into()
            },
            why: Reason::new(
                "room.agent_hop",
                format!("it took work from affected session {} ({})", h.from, h.via),
                h.evidence.iter().take(2).map(Source::row).collect(),
            ),
        });
    }
    out
}

/// The affected sessions, named after a colon (empty when the logs show none).
pub(crate) fn affected_named(a: &AgentSection) -> String {
    let ids: Vec<String> = a.affected().map(|s| s.id.clone()).collect();
    if ids.is_empty() {
        String::new()
    } else {
        format!(": {}", named(&ids))
    }
}

/// The connections the affected sessions held, named after a colon (empty when none).
pub(crate) fn connections_named(a: &AgentSection) -> String {
    let names: Vec<String> = a
        .connections
        .iter()
        .map(|c| {
            let n = c.name.as_deref().unwrap_or("(name withheld)");
            if c.kind == "host" {
                format!("host {n}")
            } else {
                format!("MCP server {n}")
            }
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(": {}", named(&names))
    }
}

/// Each token the affected sessions minted, to revoke where it was issued.
pub(crate) fn revocations(a: &AgentSection) -> Vec<Revocation> {
    a.minted
        .iter()
        .filter(|m| ran(&m.outcome))
        .map(|m| Revocation {
            what: format!("{} by session {} ({})", m.what, m.session, m.summary),
            at: format!("{}: {}", m.issuer, m.revoke),
            credential: None,
            priority: Priority::Highest,
            why: Reason::new(
                "revoke.agent_minted",
                "an affected agent session minted it: it outlives the leaked credential until revoked at its issuer",
                m.evidence.iter().take(2).map(Source::row).collect(),
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::{ChainHop, Connection, Minted as MintedToken, Session, Window};
    use crate::evidence::event::RawRef;

    fn at(line: u64) -> Vec<RawRef> {
        vec![RawRef {
            file: "agent.jsonl".into(),
            line: Some(line),
            record: None,
        }]
    }

    fn action(
        tool: &str,
        server: Option<&str>,
        target: Option<&str>,
        summary: &str,
        class: Class,
        outcome: &str,
    ) -> Action {
        Action {
            at: None,
            session: "s1".into(),
            agent: Some("claude-code".into()),
            tool: Some(tool.into()),
            server: server.map(Into::into),
            target: target.map(Into::into),
            summary: summary.into(),
            outcome: outcome.into(),
            error: None,
            class,
            reason: String::new(),
            flags: Vec::new(),
            evidence: at(3),
        }
    }

    fn section(actions: Vec<Action>) -> AgentSection {
        AgentSection {
            window: Window::default(),
            sessions: vec![Session {
                id: "s1".into(),
                agent: Some("claude-code".into()),
                model: None,
                first_seen: None,
                last_seen: None,
                cwd: None,
                git_branch: None,
                account: None,
                organization: None,
                permission_mode: None,
                parent: None,
                calls: actions.len() as u64,
                affected: true,
                tie: "named".into(),
                why: String::new(),
                evidence: at(1),
            }],
            actions,
            ..AgentSection::default()
        }
    }

    #[test]
    fn systems_come_from_the_tool_server_target_and_program() {
        let a = action(
            "mcp__github__create_issue",
            Some("github"),
            Some("acme/app"),
            "{}",
            Class::External,
            "ok",
        );
        assert_eq!(systems(&a), [Tool::CodeHost]);
        let b = action(
            "Bash",
            None,
            None,
            "psql -h db.internal -c 'select * from users'",
            Class::Reversible,
            "ok",
        );
        assert_eq!(systems(&b), [Tool::Database]);
        let c = action(
            "mcp__slack__post_message",
            Some("slack"),
            Some("#general"),
            "{}",
            Class::Irreversible,
            "ok",
        );
        assert_eq!(systems(&c), [Tool::Chat]);
        // A local file read names no system: it stays unknown rather than guessed.
        let d = action(
            "Read",
            None,
            Some("/home/dev/app/src/main.rs"),
            "{}",
            Class::Read,
            "ok",
        );
        assert!(systems(&d).is_empty());
        // Words inside other words do not count ("gitignore" is not git, "mailbox" not mail).
        let e = action("Read", None, Some(".gitignore"), "{}", Class::Read, "ok");
        assert!(systems(&e).is_empty());
    }

    #[test]
    fn no_affected_session_gives_no_evidence() {
        let mut s = section(vec![action(
            "Bash",
            None,
            None,
            "git push",
            Class::Irreversible,
            "ok",
        )]);
        s.sessions[0].affected = false;
        s.actions.clear();
        assert!(agent_ev(&s).is_none());
        assert!(tools_ev(&s).is_none());
        assert!(minted_ev(&s).is_none());
        assert!(data_reasons(&s).is_empty());
        assert!(agent_ev(&AgentSection::default()).is_none());
    }

    #[test]
    fn actions_rate_the_data_exposure_and_failed_ones_do_not() {
        let mut read_env = action("Bash", None, Some(".env"), "cat .env", Class::Read, "ok");
        read_env.flags.push("credential_read".into());
        let s = section(vec![
            read_env,
            action(
                "WebFetch",
                None,
                Some("paste.example"),
                "{}",
                Class::Egress,
                "ok",
            ),
            action(
                "Bash",
                None,
                Some("origin"),
                "git push --force",
                Class::Irreversible,
                "error",
            ),
            action(
                "mcp__github__create_issue",
                Some("github"),
                Some("acme/app"),
                "{}",
                Class::External,
                "ok",
            ),
        ]);
        let r = data_reasons(&s);
        let rules: Vec<&str> = r.iter().map(|x| x.rule.as_str()).collect();
        assert_eq!(
            rules,
            [
                "data.agent_credential_read",
                "data.agent_egress",
                "data.agent_external"
            ],
            "{r:#?}"
        );
        assert!(r[1].text.contains("paste.example"), "{}", r[1].text);
        assert_eq!(r[0].level, Some(Level::High));
        assert_eq!(r[0].sources, vec![Source::row(&at(3)[0])]);
        let (tools, why) = tools_ev(&s).unwrap();
        assert_eq!(tools, [Tool::CodeHost]);
        assert!(why.text.contains("github (code host / CI)"), "{}", why.text);
    }

    #[test]
    fn minted_tokens_are_critical_named_and_revoked_where_issued() {
        let mut s = section(vec![]);
        let token = |what: &str, outcome: &str| MintedToken {
            at: None,
            session: "s1".into(),
            what: what.into(),
            summary: "aws iam create-access-key --user-name bot".into(),
            outcome: outcome.into(),
            issuer: "AWS IAM".into(),
            revoke: "aws iam delete-access-key for the key created".into(),
            evidence: at(9),
        };
        s.minted = vec![
            token("creates an AWS access key", "ok"),
            token("creates a signed S3 URL", "unknown"),
            token("prints the GitHub CLI's OAuth token", "error"),
        ];
        let (kinds, _) = minted_ev(&s).unwrap();
        assert_eq!(
            kinds,
            [Minted::OauthGrants, Minted::SignedUrls, Minted::SubKeys]
        );
        let r = data_reasons(&s);
        assert_eq!(r[0].rule, "data.agent_minted");
        assert_eq!(r[0].level, Some(Level::Critical));
        assert!(
            r[0].text.starts_with("the affected sessions minted 2 "),
            "{}",
            r[0].text
        );
        let v = revocations(&s);
        assert_eq!(v.len(), 2, "a failed mint made nothing");
        assert_eq!(
            v[0].at,
            "AWS IAM: aws iam delete-access-key for the key created"
        );
        assert_eq!(v[0].priority, Priority::Highest);
    }

    #[test]
    fn connections_and_hops_open_rooms() {
        let mut s = section(vec![]);
        s.connections.push(Connection {
            session: "s1".into(),
            kind: "mcp_server".into(),
            name: Some("filesystem".into()),
            transport: Some("stdio".into()),
            status: "connected".into(),
            last_seen: None,
            action: String::new(),
            evidence: at(2),
        });
        s.chain_hops.push(ChainHop {
            from: "s1".into(),
            to: "s1/agent-abc".into(),
            at: None,
            via: "Task subagent".into(),
            url: None,
            task: None,
            context: None,
            state: None,
            log_given: false,
            evidence: at(4),
        });
        let r = rooms(&s);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].system, "MCP server filesystem");
        assert_eq!(r[1].system, "agent s1/agent-abc");
        assert!(r[1].look_for.contains("not among the evidence"));
        let (tools, _) = tools_ev(&s).unwrap();
        assert_eq!(tools, [Tool::AgentsQueues]);
    }
}
