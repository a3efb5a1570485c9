//! From agent records to the section: sessions and which are affected, their actions since the
//! window opened with classes, the connections, the chain-hops and what they minted.

use super::class::Class;
use super::classify::{self, command, host};
use super::{
    tools, Action, AgentSection, ChainHop, ClassCount, Connection, Given, Minted, SecretInLog,
    SecretLine, Session, Window,
};
use crate::evidence::formats::agent::{cut, AgentRecord, What};
use crate::evidence::RawRef;
use crate::format;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A named session or agent matches a session by its whole id, an id prefix of at least this
/// many characters, or its agent's name.
const MIN_PREFIX: usize = 8;

/// The session a record belongs to (a record naming none belongs to its file).
fn key(r: &AgentRecord) -> &str {
    r.session.as_deref().unwrap_or(&r.raw_ref.file)
}

/// The root session of a subagent's id (`<session>/agent-<id>` → `<session>`).
fn root(id: &str) -> &str {
    id.split("/agent-").next().unwrap_or(id)
}

fn earlier(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn later(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn set(slot: &mut Option<String>, v: &Option<String>) {
    if v.is_some() {
        slot.clone_from(v);
    }
}

/// Builds the section from the records.
pub fn analyse(records: &[AgentRecord], given: &Given) -> AgentSection {
    let mut out = AgentSection::default();
    if records.is_empty() {
        return out;
    }
    let window = given.window.as_ref().map(|(t, _)| *t);
    out.window = match &given.window {
        Some((t, why)) => Window {
            start: Some(*t),
            source: why.clone(),
        },
        None => Window {
            start: None,
            source: "unknown: no compromise start given and no exposure in the evidence dates the leak; every action of the affected sessions is listed".into(),
        },
    };

    // Sessions, in order of first appearance; each record's session by its index there (a
    // log's records mostly follow one another by session: the previous one is tried first).
    let mut order: Vec<String> = Vec::new();
    let mut list: Vec<Session> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut sid: Vec<usize> = Vec::with_capacity(records.len());
    let mut prev: Option<(&str, usize)> = None;
    // Each session's first record, and its latest (time, record).
    let mut first_ref: Vec<usize> = Vec::new();
    let mut last_ref: Vec<(Option<DateTime<Utc>>, usize)> = Vec::new();
    let mut parents: BTreeMap<String, String> = BTreeMap::new();
    let mut handed_to: Vec<(String, String)> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let k = key(r);
        let j = match prev {
            Some((pk, pj)) if pk == k => pj,
            _ => *index.entry(k).or_insert_with(|| {
                order.push(k.to_string());
                first_ref.push(i);
                last_ref.push((r.at, i));
                list.push(Session {
                    id: k.to_string(),
                    agent: None,
                    model: None,
                    first_seen: None,
                    last_seen: None,
                    cwd: None,
                    git_branch: None,
                    account: None,
                    organization: None,
                    permission_mode: None,
                    parent: None,
                    calls: 0,
                    affected: false,
                    tie: "none".into(),
                    why: String::new(),
                    evidence: Vec::new(),
                });
                list.len() - 1
            }),
        };
        prev = Some((k, j));
        sid.push(j);
        let s = &mut list[j];
        if s.agent.is_none() {
            s.agent.clone_from(&r.agent);
        }
        s.first_seen = earlier(s.first_seen, r.at);
        s.last_seen = later(s.last_seen, r.at);
        let lr = &mut last_ref[j];
        if r.at >= lr.0 {
            *lr = (r.at, i);
        }
        match &r.what {
            What::Session(f) => {
                set(&mut s.model, &f.model);
                set(&mut s.cwd, &f.cwd);
                set(&mut s.git_branch, &f.git_branch);
                set(&mut s.permission_mode, &f.permission_mode);
                if s.account.is_none() {
                    s.account.clone_from(&f.account);
                }
                if s.organization.is_none() {
                    s.organization.clone_from(&f.organization);
                }
            }
            What::Call { .. } => s.calls += 1,
            What::Spawn { agent_id, .. } => {
                parents.insert(format!("{}/agent-{agent_id}", root(k)), k.to_string());
            }
            What::Handoff { to, .. } => handed_to.push((k.to_string(), to.clone())),
            What::Task {
                context: Some(c), ..
            } => handed_to.push((k.to_string(), c.clone())),
            _ => {}
        }
    }
    let mut sessions: HashMap<String, Session> = order.iter().cloned().zip(list).collect();
    // Work handed to a session whose own log is given (an A2A context that is the receiving
    // agent's conversation) makes that session a child of the sender.
    for (from, to) in handed_to {
        if to != from && sessions.contains_key(&to) {
            parents.entry(to).or_insert(from);
        }
    }
    for (child, parent) in &parents {
        if let Some(s) = sessions.get_mut(child) {
            s.parent = Some(parent.clone());
        }
    }
    // A subagent's own file names its root session even when no spawn line was given.
    for id in &order {
        if id.contains("/agent-") && !parents.contains_key(id) {
            if let Some(s) = sessions.get_mut(id) {
                s.parent = Some(root(id).to_string());
            }
        }
    }
    for id in &order {
        let s = sessions.get_mut(id).unwrap();
        let j = index[id.as_str()];
        let first = &records[first_ref[j]].raw_ref;
        let last = &records[last_ref[j].1].raw_ref;
        s.evidence.push(first.clone());
        if last != first {
            s.evidence.push(last.clone());
        }
    }

    // What ties each session to the leaked credential.
    let mut tie: BTreeMap<String, (String, String, Option<RawRef>)> = BTreeMap::new();
    let mut named_found = BTreeSet::new();
    for id in &order {
        let s = &sessions[id];
        for n in &given.named {
            let n = n.trim();
            let hit = n == id
                || (n.len() >= MIN_PREFIX && id.starts_with(n))
                || s.agent.as_deref() == Some(n);
            if hit && !n.is_empty() {
                named_found.insert(n.to_string());
                tie.entry(id.clone()).or_insert((
                    "named".into(),
                    format!("named by the responder ({n})"),
                    None,
                ));
            }
        }
    }
    // Each file's records by line, to find the session of the nearest record at or before a
    // secret's line (built only when the scan found one).
    let mut by_line: HashMap<&str, Vec<(u64, usize)>> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if given.secret_lines.is_empty() {
            break;
        }
        if let Some(l) = r.raw_ref.line {
            by_line
                .entry(r.raw_ref.file.as_str())
                .or_default()
                .push((l, i));
        }
    }
    for v in by_line.values_mut() {
        v.sort_unstable();
    }
    // Calls by (session, id), to name the call a result with a secret answers.
    let calls: HashMap<(&str, &str), &AgentRecord> = records
        .iter()
        .filter(|_| !given.secret_lines.is_empty())
        .filter_map(|r| match &r.what {
            What::Call { id: Some(id), .. } => Some(((key(r), id.as_str()), r)),
            _ => None,
        })
        .collect();
    for SecretLine { file, line, secret } in &given.secret_lines {
        let Some(v) = by_line.get(file.as_str()) else {
            continue;
        };
        let n = v.partition_point(|(l, _)| l <= line);
        let owner = n.checked_sub(1).map(|j| key(&records[v[j].1]).to_string());
        if let Some(found) = secret_in_log(records, &calls, v, n, *line, secret) {
            out.secrets_in_logs.push(found);
        }
        if let Some(id) = owner {
            tie.entry(id).or_insert((
                "secret_in_log".into(),
                format!("the leaked secret appears in its log at {file}:{line}"),
                Some(RawRef {
                    file: file.clone(),
                    line: Some(*line),
                    record: None,
                }),
            ));
        }
    }
    for n in &given.named {
        if !named_found.contains(n.trim()) {
            out.notes.push(format!(
                "the responder named {:?}, which no session or agent in the agent logs matches",
                n.trim()
            ));
        }
    }
    let assumed = tie.is_empty();
    if assumed {
        for id in &order {
            tie.insert(
                id.clone(),
                (
                    "assumed".into(),
                    "nothing in the evidence ties a session to the leaked credential and the responder named none: every session given is taken as the leaked agent's".into(),
                    None,
                ),
            );
        }
        out.notes.push("no session is tied to the leaked credential by the evidence or by the responder: every session given is taken as the leaked agent's (name the sessions or agents in the context to narrow this)".into());
    }
    // Chain-hops carry the tie to the sessions they started, transitively.
    loop {
        let mut added = false;
        for (child, parent) in &parents {
            if tie.contains_key(parent) && !tie.contains_key(child) {
                tie.insert(
                    child.clone(),
                    (
                        "chain_hop".into(),
                        format!("started by {parent}, which is tied to the leaked credential"),
                        None,
                    ),
                );
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    for id in &order {
        let s = sessions.get_mut(id).unwrap();
        match tie.get(id) {
            Some((t, why, r)) => {
                s.tie = t.clone();
                if let Some(r) = r {
                    s.evidence.push(r.clone());
                }
                let active = match (window, s.last_seen) {
                    (None, _) => Some("no window start is known".to_string()),
                    (Some(_), None) => Some("its log gives no times".to_string()),
                    (Some(w), Some(l)) if l >= w => Some(format!(
                        "active until {}, after the window opened",
                        format::rfc3339(&l)
                    )),
                    (Some(_), Some(l)) => {
                        s.why = format!(
                            "{why}; but last active at {}, before the window opened",
                            format::rfc3339(&l)
                        );
                        None
                    }
                };
                if let Some(a) = active {
                    s.affected = true;
                    s.why = format!("{why}; {a}");
                }
            }
            None => {
                s.why = "not tied to the leaked credential: neither named by the responder, nor holding the leaked secret, nor started by an affected session".into();
            }
        }
    }

    // Results by (session, call id).
    let mut results: HashMap<(usize, &str), &AgentRecord> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if let What::Result { id: Some(id), .. } = &r.what {
            results.entry((sid[i], id.as_str())).or_insert(r);
        }
    }
    // Whether each record's session is affected.
    let session_affected: Vec<bool> = order.iter().map(|id| sessions[id].affected).collect();
    let affected: Vec<bool> = sid.iter().map(|&j| session_affected[j]).collect();
    let bypass: Vec<bool> = order
        .iter()
        .map(|id| sessions[id].permission_mode.as_deref() == Some("bypassPermissions"))
        .collect();
    let in_window = |at: Option<DateTime<Utc>>| match (window, at) {
        (Some(w), Some(t)) => t >= w,
        _ => true,
    };
    let mut undated = 0u64;
    for (i, r) in records.iter().enumerate() {
        let What::Call {
            id,
            tool,
            server,
            input,
        } = &r.what
        else {
            continue;
        };
        if !affected[i] || !in_window(r.at) {
            continue;
        }
        let k = key(r);
        if r.at.is_none() {
            undated += 1;
        }
        let c = classify::classify(tool.as_deref(), input);
        let mut flags: Vec<String> = c.flags.iter().map(|f| f.to_string()).collect();
        if bypass[sid[i]] {
            flags.push("bypass_permissions".into());
        }
        let mut evidence = vec![r.raw_ref.clone()];
        let (outcome, error) = match id.as_ref().and_then(|c| results.get(&(sid[i], c.as_str()))) {
            Some(res) => {
                if res.raw_ref != r.raw_ref {
                    evidence.push(res.raw_ref.clone());
                }
                match &res.what {
                    What::Result {
                        ran: Some(false),
                        error,
                        ..
                    } => ("not_run", error.clone()),
                    What::Result {
                        ok: Some(false),
                        error,
                        ..
                    } => ("error", error.clone()),
                    What::Result { ok: Some(true), .. } => ("ok", None),
                    _ => ("unknown", None),
                }
            }
            None => ("unknown", None),
        };
        out.actions.push(Action {
            at: r.at,
            session: k.to_string(),
            agent: r.agent.clone(),
            tool: tool.clone(),
            server: server.clone(),
            target: classify::target(tool.as_deref(), server.as_deref(), input),
            summary: summary(tool.as_deref(), input),
            outcome: outcome.into(),
            error,
            class: c.verdict.class,
            reason: c.verdict.reason.clone(),
            flags,
            evidence,
        });
        if c.verdict.class == Class::Mint {
            let (issuer, revoke) = c.verdict.revoke.unwrap_or((
                "the service the call reached",
                "revoke what the call created at its issuer",
            ));
            out.minted.push(Minted {
                at: r.at,
                session: k.to_string(),
                what: c.verdict.reason.clone(),
                summary: summary(tool.as_deref(), input),
                outcome: outcome.into(),
                issuer: issuer.into(),
                revoke: revoke.into(),
                evidence: out
                    .actions
                    .last()
                    .map(|a| a.evidence.clone())
                    .unwrap_or_default(),
            });
        }
    }
    let by_time =
        |a: &Option<DateTime<Utc>>, ra: &RawRef, b: &Option<DateTime<Utc>>, rb: &RawRef| {
            (a.is_none(), a, ra).cmp(&(b.is_none(), b, rb))
        };
    out.actions
        .sort_by(|a, b| by_time(&a.at, &a.evidence[0], &b.at, &b.evidence[0]));
    out.minted
        .sort_by(|a, b| by_time(&a.at, &a.evidence[0], &b.at, &b.evidence[0]));
    out.action_counts = Class::ALL
        .iter()
        .map(|c| ClassCount {
            class: *c,
            count: out.actions.iter().filter(|a| a.class == *c).count() as u64,
        })
        .collect();
    if undated > 0 {
        out.notes.push(format!(
            "{undated} action(s) have no time in their log: they cannot be placed before the window and are listed as suspect"
        ));
    }

    // Connections: MCP servers (connection lines and calls) and hosts reached.
    let mut conns: Vec<Connection> = Vec::new();
    let mut conn_index: HashMap<(String, String, Option<String>, Option<String>), usize> =
        HashMap::new();
    let mut touch = |session: &str,
                     kind: &str,
                     name: Option<String>,
                     transport: Option<String>,
                     status: Option<String>,
                     at: Option<DateTime<Utc>>,
                     r: &RawRef| {
        // Servers whose names the log withheld are told apart by their transport.
        let slot = (
            session.to_string(),
            kind.to_string(),
            name.clone(),
            if name.is_none() {
                transport.clone()
            } else {
                None
            },
        );
        let i = match conn_index.get(&slot).copied() {
            Some(i) => i,
            None => {
                conns.push(Connection {
                    session: session.into(),
                    kind: kind.into(),
                    name: name.clone(),
                    transport: None,
                    status: "used".into(),
                    last_seen: None,
                    action: if kind == "mcp_server" {
                        "end the server's session (stop the stdio process, or end the HTTP session) and revoke the OAuth grant it holds, if any; it re-handshakes on the new credential".into()
                    } else {
                        "end any session the agent opened there and watch outbound traffic to it".into()
                    },
                    evidence: vec![r.clone()],
                });
                conn_index.insert(slot, conns.len() - 1);
                conns.len() - 1
            }
        };
        let c = &mut conns[i];
        if transport.is_some() {
            c.transport = transport;
        }
        if at >= c.last_seen {
            if let Some(st) = status {
                c.status = st;
            }
            c.last_seen = later(c.last_seen, at);
        }
        if c.evidence.last() != Some(r) {
            if c.evidence.len() > 1 {
                c.evidence.pop();
            }
            c.evidence.push(r.clone());
        }
    };
    for (i, r) in records.iter().enumerate() {
        if !affected[i] {
            continue;
        }
        let k = key(r);
        match &r.what {
            What::Connection {
                server,
                transport,
                status,
                ..
            } => touch(
                k,
                "mcp_server",
                server.clone(),
                transport.clone(),
                Some(status.clone()),
                r.at,
                &r.raw_ref,
            ),
            What::Call {
                server: Some(srv), ..
            } => touch(
                k,
                "mcp_server",
                Some(srv.clone()),
                None,
                None,
                r.at,
                &r.raw_ref,
            ),
            _ => {}
        }
        if let What::Call { input, .. } = &r.what {
            if !in_window(r.at) {
                continue;
            }
            let url_host = input.get("url").and_then(Value::as_str).and_then(host);
            let cmd_host = command(input).and_then(|c| c.split_whitespace().find_map(host));
            if let Some(h) = url_host.or(cmd_host) {
                touch(k, "host", Some(h), None, None, r.at, &r.raw_ref);
            }
        }
    }
    out.connections = conns;

    // Chain-hops from affected sessions.
    // Calls by (session, id), needed only to name the call that started a subagent.
    let any_spawn = records.iter().any(|r| matches!(r.what, What::Spawn { .. }));
    let calls_by_id: HashMap<(usize, &str), &AgentRecord> = records
        .iter()
        .enumerate()
        .filter(|_| any_spawn)
        .filter_map(|(i, r)| match &r.what {
            What::Call { id: Some(id), .. } => Some(((sid[i], id.as_str()), r)),
            _ => None,
        })
        .collect();
    let mut seen_hops = BTreeSet::new();
    let mut spawned_calls: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (i, r) in records.iter().enumerate() {
        if !affected[i] {
            continue;
        }
        let k = key(r);
        if let What::Spawn { call, agent_id } = &r.what {
            let to = format!("{}/agent-{agent_id}", root(k));
            if let Some(c) = call {
                spawned_calls.insert((k, c.as_str()));
            }
            if !seen_hops.insert((k, to.clone())) {
                continue;
            }
            let call_rec = call
                .as_ref()
                .and_then(|c| calls_by_id.get(&(sid[i], c.as_str())));
            let via = match call_rec.map(|c| &c.what) {
                Some(What::Call {
                    tool: Some(t),
                    input,
                    ..
                }) => {
                    let kind = input.get("subagent_type").and_then(Value::as_str);
                    match kind {
                        Some(kind) => format!("{t} tool ({kind} subagent)"),
                        None => format!("{t} tool (subagent)"),
                    }
                }
                _ => "subagent".into(),
            };
            let mut evidence: Vec<RawRef> =
                call_rec.map(|c| c.raw_ref.clone()).into_iter().collect();
            evidence.push(r.raw_ref.clone());
            out.chain_hops.push(ChainHop {
                from: k.to_string(),
                to: to.clone(),
                at: call_rec.and_then(|c| c.at).or(r.at),
                via,
                url: None,
                task: None,
                context: None,
                state: None,
                log_given: sessions.contains_key(&to),
                evidence,
            });
        }
    }
    // Subagent calls whose subagent id no line gives.
    for (i, r) in records.iter().enumerate() {
        if !affected[i] {
            continue;
        }
        let k = key(r);
        if let What::Call {
            id,
            tool: Some(t),
            input,
            ..
        } = &r.what
        {
            let spawned = id
                .as_ref()
                .is_some_and(|i| spawned_calls.contains(&(k, i.as_str())));
            if tools::starts_subagent(t) && !spawned {
                let desc = input
                    .get("description")
                    .or_else(|| input.get("subagent_type"))
                    .and_then(Value::as_str)
                    .unwrap_or("no description");
                out.chain_hops.push(ChainHop {
                    from: k.to_string(),
                    to: format!(
                        "a subagent whose id the log does not give ({})",
                        cut(desc, 60)
                    ),
                    at: r.at,
                    via: format!("{t} tool (subagent)"),
                    url: None,
                    task: None,
                    context: None,
                    state: None,
                    log_given: false,
                    evidence: vec![r.raw_ref.clone()],
                });
            }
        }
    }
    handoffs(records, &affected, &sessions, &mut out.chain_hops);
    out.chain_hops
        .sort_by(|a, b| by_time(&a.at, &a.evidence[0], &b.at, &b.evidence[0]));

    let mut list: Vec<Session> = order
        .into_iter()
        .map(|id| sessions.remove(&id).unwrap())
        .collect();
    list.sort_by(|a, b| {
        b.affected.cmp(&a.affected).then(
            (a.first_seen.is_none(), a.first_seen).cmp(&(b.first_seen.is_none(), b.first_seen)),
        )
    });
    out.sessions = list;
    let _ = assumed;
    out
}

/// What the line of a leaked secret is: the records exactly at it (`v[..n]` are the file's
/// records at or before it, by line) name the tool result or call; else the nearest record
/// before it names the session.
fn secret_in_log(
    records: &[AgentRecord],
    calls: &HashMap<(&str, &str), &AgentRecord>,
    v: &[(u64, usize)],
    n: usize,
    line: u64,
    secret: &str,
) -> Option<SecretInLog> {
    let nearest = &records[v[n.checked_sub(1)?].1];
    let at_line: Vec<&AgentRecord> = v[..n]
        .iter()
        .rev()
        .take_while(|(l, _)| *l == line)
        .map(|(_, i)| &records[*i])
        .collect();
    let result = at_line.iter().find_map(|r| match &r.what {
        What::Result { id, .. } => Some((*r, id.clone())),
        _ => None,
    });
    let call = at_line.iter().find_map(|r| match &r.what {
        What::Call { id, tool, .. } => Some((*r, id.clone(), tool.clone())),
        _ => None,
    });
    let (r, part, call_id, tool) = match (result, call) {
        (Some((r, id)), _) => {
            // The call this result answers, in the same session.
            let tool = id
                .as_ref()
                .and_then(|id| calls.get(&(key(r), id.as_str())))
                .and_then(|c| match &c.what {
                    What::Call { tool, .. } => tool.clone(),
                    _ => None,
                });
            (r, "tool_result", id, tool)
        }
        (None, Some((r, id, tool))) => (r, "tool_call", id, tool),
        (None, None) => (nearest, "line", None, None),
    };
    Some(SecretInLog {
        secret: secret.to_string(),
        session: key(r).to_string(),
        agent: r.agent.clone(),
        at: if part == "line" { None } else { r.at },
        part: part.into(),
        call: call_id,
        tool,
        evidence: RawRef {
            file: r.raw_ref.file.clone(),
            line: Some(line),
            record: None,
        },
    })
}

/// Work the affected sessions handed to other agents: A2A messages sent (with the task and
/// state the answer gives), Agents SDK handoffs, remote agents invoked; and A2A tasks whose
/// request is not in the logs (a response or push notification alone).
fn handoffs(
    records: &[AgentRecord],
    affected: &[bool],
    sessions: &HashMap<String, Session>,
    hops: &mut Vec<ChainHop>,
) {
    let given = |to: &str| {
        sessions.contains_key(to) || sessions.values().any(|s| s.agent.as_deref() == Some(to))
    };
    // Task states by the request they answer.
    let mut answers: HashMap<(&str, &str), &AgentRecord> = HashMap::new();
    let mut sent: BTreeSet<(&str, &str)> = BTreeSet::new();
    for r in records {
        match &r.what {
            What::Task { call: Some(c), .. } => {
                answers.insert((key(r), c.as_str()), r);
            }
            What::Handoff { call: Some(c), .. } => {
                sent.insert((key(r), c.as_str()));
            }
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    for (i, r) in records.iter().enumerate() {
        if !affected[i] {
            continue;
        }
        let k = key(r);
        let hop = match &r.what {
            What::Handoff {
                call,
                to,
                via,
                url,
                task,
                context,
            } => {
                let answer = call.as_ref().and_then(|c| answers.get(&(k, c.as_str())));
                let (a_task, a_context, state) = match answer.map(|a| &a.what) {
                    Some(What::Task {
                        task,
                        context,
                        state,
                        ..
                    }) => (task.clone(), context.clone(), state.clone()),
                    _ => (None, None, None),
                };
                // The receiving conversation, once the answer names it (the request of a new
                // conversation names only the agent's address).
                let to = match (context, &a_context) {
                    (None, Some(c)) => c.clone(),
                    _ => to.clone(),
                };
                let context = context.clone().or(a_context);
                let mut evidence = vec![r.raw_ref.clone()];
                if let Some(a) = answer {
                    if a.raw_ref != r.raw_ref {
                        evidence.push(a.raw_ref.clone());
                    }
                }
                ChainHop {
                    from: k.to_string(),
                    log_given: given(&to),
                    to,
                    at: r.at,
                    via: via.clone(),
                    url: url.clone(),
                    task: task.clone().or(a_task),
                    context,
                    state,
                    evidence,
                }
            }
            What::Task {
                call,
                task,
                context,
                state,
            } if !call
                .as_ref()
                .is_some_and(|c| sent.contains(&(k, c.as_str()))) =>
            {
                let to = context
                    .clone()
                    .or_else(|| task.as_ref().map(|t| format!("A2A task {t}")))
                    .unwrap_or_else(|| "an A2A task the log does not name".into());
                ChainHop {
                    from: k.to_string(),
                    log_given: given(&to),
                    to,
                    at: r.at,
                    via: "A2A task (its request is not in the logs)".into(),
                    url: None,
                    task: task.clone(),
                    context: context.clone(),
                    state: state.clone(),
                    evidence: vec![r.raw_ref.clone()],
                }
            }
            _ => continue,
        };
        if seen.insert((
            hop.from.clone(),
            hop.to.clone(),
            hop.via.clone(),
            hop.task.clone(),
        )) {
            hops.push(hop);
        }
    }
}

/// A call's arguments in short: the command, the file, the URL, or `key=value` pairs.
fn summary(tool: Option<&str>, input: &Value) -> String {
    if let Some(c) = command(input) {
        return cut(c.lines().next().unwrap_or(c), 160)
            + if c.contains('\n') { " …" } else { "" };
    }
    for k in [
        "file_path",
        "notebook_path",
        "url",
        "path",
        "query",
        "pattern",
    ] {
        if let Some(v) = input.get(k).and_then(Value::as_str) {
            return cut(v, 160);
        }
    }
    if tool.is_some_and(tools::starts_subagent) {
        if let Some(d) = input.get("description").and_then(Value::as_str) {
            return cut(d, 160);
        }
    }
    match input {
        Value::Object(m) if !m.is_empty() => cut(
            &m.iter()
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{k}={}", cut(s, 40)),
                    other => format!("{k}={}", cut(&other.to_string(), 40)),
                })
                .collect::<Vec<_>>()
                .join(", "),
            160,
        ),
        _ => String::new(),
    }
}
