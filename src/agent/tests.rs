//! A synthetic incident run through the whole engine: an agent's credential leaks (echoed by a
//! `cat .env` in its own transcript), the session starts a subagent whose transcript is given,
//! calls an MCP server, pushes, mints a token; a second session of another project is not tied
//! to the leak; a call before the compromise start is not listed. All lines are synthetic,
//! written for this test in the shape of Claude Code 2.1 transcripts.

use crate::agent::Class;
use crate::evidence::Input;
use crate::scan::fake::{generate, Rng};
use crate::{triage, Context};
use chrono::{DateTime, Utc};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn line(session: &str, agent: Option<&str>, ts: &str, kind: &str, content: &str) -> String {
    let agent = agent
        .map(|a| format!(r#","agentId":"{a}","isSidechain":true"#))
        .unwrap_or_default();
    format!(
        r#"{{"type":"{kind}","sessionId":"{session}","uuid":"u-{ts}"{agent},"timestamp":"{ts}","cwd":"/w/app","message":{{"model":"claude-test","content":[{content}]}}}}"#
    )
}

fn call(id: &str, tool: &str, input: &str) -> String {
    format!(r#"{{"type":"tool_use","id":"{id}","name":"{tool}","input":{input}}}"#)
}

fn result(id: &str, text: &str, error: bool) -> String {
    format!(
        r#"{{"type":"tool_result","tool_use_id":"{id}","content":{},"is_error":{error}}}"#,
        serde_json::to_string(text).unwrap()
    )
}

fn scenario() -> (Vec<Input>, String) {
    let key = generate("sk-ant-api03-{b64u:93}AA", &mut Rng::new(15)).secret;
    let s = "11111111-aaaa-4bbb-8ccc-000000000001";
    let main = [
        line(s, None, "2026-05-01T09:00:00.000Z", "assistant", &call("toolu_0", "Read", r#"{"file_path":"/w/app/README.md"}"#)),
        line(s, None, "2026-05-01T10:00:00.000Z", "assistant", &call("toolu_1", "Bash", r#"{"command":"cat .env"}"#)),
        line(s, None, "2026-05-01T10:00:01.000Z", "user", &result("toolu_1", &format!("ANTHROPIC_API_KEY={key}"), false)),
        line(s, None, "2026-05-01T10:01:00.000Z", "assistant", &call("toolu_2", "mcp__github__create_issue", r#"{"repo":"acme/app","title":"t"}"#)),
        line(s, None, "2026-05-01T10:01:01.000Z", "user", &result("toolu_2", "created", false)),
        line(s, None, "2026-05-01T10:02:00.000Z", "assistant", &call("toolu_3", "Task", r#"{"description":"deploy","prompt":"p","subagent_type":"general-purpose"}"#)),
        format!(
            r#"{{"type":"user","sessionId":"{s}","uuid":"u-x","timestamp":"2026-05-01T10:05:00.000Z","toolUseResult":{{"agentId":"abc123"}},"message":{{"content":[{}]}}}}"#,
            result("toolu_3", "done", false)
        ),
    ]
    .join("\n");
    let sub = [
        line(
            s,
            Some("abc123"),
            "2026-05-01T10:03:00.000Z",
            "assistant",
            &call(
                "toolu_4",
                "Bash",
                r#"{"command":"git commit -am x && git push origin main"}"#,
            ),
        ),
        line(
            s,
            Some("abc123"),
            "2026-05-01T10:03:05.000Z",
            "user",
            &result("toolu_4", "pushed", false),
        ),
        line(
            s,
            Some("abc123"),
            "2026-05-01T10:04:00.000Z",
            "assistant",
            &call("toolu_5", "Bash", r#"{"command":"gh auth token"}"#),
        ),
        line(
            s,
            Some("abc123"),
            "2026-05-01T10:04:01.000Z",
            "user",
            &result("toolu_5", "gho_redacted_in_this_test", false),
        ),
    ]
    .join("\n");
    let other = [line(
        "22222222-aaaa-4bbb-8ccc-000000000002",
        None,
        "2026-05-01T11:00:00.000Z",
        "assistant",
        &call(
            "toolu_9",
            "WebFetch",
            r#"{"url":"https://docs.example.com/x"}"#,
        ),
    )]
    .join("\n");
    (
        vec![
            Input::new("s1.jsonl", main),
            Input::new("s1/subagents/agent-abc123.jsonl", sub),
            Input::new("s2.jsonl", other),
        ],
        key,
    )
}

#[test]
fn a_leaked_agent_credential_gives_sessions_actions_hops_and_minted_tokens() {
    let (inputs, key) = scenario();
    let ctx = Context {
        compromise_start: Some(t("2026-05-01T09:30:00Z")),
        ..Context::default()
    };
    let r = triage(&inputs, &ctx);
    let a = &r.agent;
    let affected: Vec<(&str, &str)> = a
        .affected()
        .map(|s| (s.id.as_str(), s.tie.as_str()))
        .collect();
    assert_eq!(
        affected,
        [
            ("11111111-aaaa-4bbb-8ccc-000000000001", "secret_in_log"),
            (
                "11111111-aaaa-4bbb-8ccc-000000000001/agent-abc123",
                "chain_hop"
            ),
        ]
    );
    let other = a
        .sessions
        .iter()
        .find(|s| s.id.starts_with("22222222"))
        .unwrap();
    assert!(!other.affected && other.tie == "none");
    // The key echoed by `cat .env` is attributed to the session, the call and its time.
    let found: Vec<_> = a
        .secrets_in_logs
        .iter()
        .map(|f| {
            (
                f.session.as_str(),
                f.part.as_str(),
                f.call.as_deref(),
                f.tool.as_deref(),
                f.at,
                f.evidence.line,
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "11111111-aaaa-4bbb-8ccc-000000000001",
            "tool_result",
            Some("toolu_1"),
            Some("Bash"),
            Some(t("2026-05-01T10:00:01Z")),
            Some(3)
        )]
    );
    assert!(!a.secrets_in_logs[0].secret.contains(&key[20..40]));
    // The Read before the window is not listed; the rest are, in time order.
    let classes: Vec<(Option<&str>, Class, &str)> = a
        .actions
        .iter()
        .map(|x| (x.tool.as_deref(), x.class, x.outcome.as_str()))
        .collect();
    assert_eq!(
        classes,
        [
            (Some("Bash"), Class::Read, "ok"),
            (Some("mcp__github__create_issue"), Class::External, "ok"),
            (Some("Task"), Class::Reversible, "ok"),
            (Some("Bash"), Class::Irreversible, "ok"),
            (Some("Bash"), Class::Mint, "ok"),
        ]
    );
    assert_eq!(a.actions[0].flags, ["credential_read"]);
    assert_eq!(a.minted.len(), 1);
    assert_eq!(a.minted[0].issuer, "GitHub");
    assert_eq!(a.chain_hops.len(), 1);
    assert!(a.chain_hops[0].log_given);
    assert_eq!(a.chain_hops[0].via, "Task tool (general-purpose subagent)");
    assert!(a
        .connections
        .iter()
        .any(|c| c.kind == "mcp_server" && c.name.as_deref() == Some("github")));
    assert_eq!(a.window.start, Some(t("2026-05-01T09:30:00Z")));
    // The checklist's agent items are pre-filled from the section.
    let item = |id: &str| {
        r.checklist
            .phases
            .iter()
            .flat_map(|p| &p.items)
            .find(|i| i.id == id)
            .unwrap()
            .clone()
    };
    assert!(item("m10.freeze_sessions")
        .evidence
        .unwrap()
        .starts_with("2 affected session(s)"));
    assert!(item("m10.kill_outbound")
        .evidence
        .unwrap()
        .contains("MCP server github"));
    let log = item("m10.action_log");
    assert_eq!(log.status_from, "evidence");
    assert!(log
        .evidence
        .unwrap()
        .contains("1 mint, 1 irreversible, 1 external, 1 reversible, 1 read"));
    assert!(item("m10.chain_hops")
        .evidence
        .unwrap()
        .contains("agent-abc123"));
    assert!(item("m10.revoke_minted")
        .evidence
        .unwrap()
        .contains("gh auth token"));
    // The summary's IOCs and headline carry the irreversible action and the minted token, and
    // so does the IOC CSV.
    use crate::report::summary::IocKind;
    let kinds: Vec<(IocKind, &str)> = r
        .summary
        .iocs
        .iter()
        .filter(|i| i.source.starts_with("agent session"))
        .map(|i| (i.kind, i.value.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (IocKind::CreatedAccess, "gh auth token"),
            (
                IocKind::IrreversibleAction,
                "Bash: git commit -am x && git push origin main"
            ),
        ]
    );
    assert!(r
        .summary
        .headline
        .contains("1 irreversible agent action(s) since the leak window opened"));
    let csv = crate::report::export::iocs_csv::to_csv(&r);
    assert!(csv.contains("irreversible_action,") && csv.contains("created_access,gh auth token"));
    // Every export carries the section and none holds the key.
    let md = crate::report::export::markdown::render(&r);
    assert!(md.contains("## Agent sessions and actions") && md.contains("gh auth token"));
    let text = crate::report::export::text::render_text(&r);
    assert!(text.contains("minted: gh auth token"));
    assert!(text.contains("(tool_result of Bash call toolu_1) at 2026-05-01T10:00:01Z"));
    assert!(md.contains("### Leaked secrets in the agent logs"));
    let json = r.to_json();
    assert!(json.contains("\"agent\""));
    for out in [&md, &text, &json] {
        assert!(!out.contains(&key));
        assert!(!out.contains(&key[20..40]));
    }
}

#[test]
fn a_named_session_narrows_and_no_window_lists_everything() {
    let (inputs, _) = scenario();
    let ctx = Context {
        agent_sessions: vec!["22222222-aaaa".into(), "nobody-at-all".into()],
        ..Context::default()
    };
    let r = triage(&inputs, &ctx);
    let named = r
        .agent
        .sessions
        .iter()
        .find(|s| s.id.starts_with("22222222"))
        .unwrap();
    assert!(named.affected && named.tie == "named");
    assert!(r.agent.window.start.is_none());
    // Both ties hold; the Read before 09:30 is listed now that no window start is known.
    assert!(r
        .agent
        .actions
        .iter()
        .any(|a| a.tool.as_deref() == Some("Read")));
    assert!(r.agent.notes.iter().any(|n| n.contains("nobody-at-all")));
}

/// The scenario with one more door: the leaked key is also the agent's A2A credential, and
/// its A2A client log (HTTP exchanges) shows it handing a refund to a billing agent, whose own
/// OpenTelemetry GenAI trace is given (its conversation is the A2A context).
fn scenario_with_a2a() -> (Vec<Input>, String) {
    let (mut inputs, key) = scenario();
    let a2a = format!(
        "POST /message:send HTTP/1.1\nHost: billing.example.com\nAuthorization: Bearer {key}\nDate: Fri, 01 May 2026 10:06:00 GMT\nContent-Type: application/a2a+json\n\n{{\"message\":{{\"role\":\"ROLE_USER\",\"parts\":[{{\"text\":\"refund order 7 and set up a payout hook\"}}],\"messageId\":\"m-1\"}}}}\n\nHTTP/1.1 200 OK\nContent-Type: application/a2a+json\n\n{{\"task\":{{\"id\":\"task-7\",\"contextId\":\"ctx-billing-7\",\"status\":{{\"state\":\"TASK_STATE_WORKING\",\"timestamp\":\"2026-05-01T10:06:01.250Z\"}}}}}}\n"
    );
    let attr = |k: &str, v: &str| format!(r#"{{"key":"{k}","value":{{"stringValue":"{v}"}}}}"#);
    let tool = |id: &str, start: &str, name: &str, args: &str, status: &str| {
        format!(
            r#"{{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"{id}","name":"execute_tool {name}","kind":1,"startTimeUnixNano":"{start}","attributes":[{},{},{},{},{}]{status}}}"#,
            attr("gen_ai.operation.name", "execute_tool"),
            attr("gen_ai.tool.name", name),
            attr("gen_ai.tool.call.id", &format!("call_{id}")),
            attr("gen_ai.conversation.id", "ctx-billing-7"),
            attr("gen_ai.tool.call.arguments", args),
        )
    };
    // 2026-05-01T10:06:02Z, :03Z and :04Z in nanoseconds.
    let spans = [
        tool(
            "b1",
            "1777629962000000000",
            "get_invoice",
            r#"{\"order\":7}"#,
            "",
        ),
        tool(
            "b2",
            "1777629963000000000",
            "issue_refund",
            r#"{\"order\":7,\"amount\":120}"#,
            "",
        ),
        tool(
            "b3",
            "1777629964000000000",
            "create_webhook",
            r#"{\"url\":\"https://hooks.example.net/payout\"}"#,
            r#","status":{"code":2,"message":"forbidden"}"#,
        ),
    ];
    let trace = format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{},{}]}},"scopeSpans":[{{"scope":{{"name":"billing"}},"spans":[{}]}}]}}]}}"#,
        attr("service.name", "billing-agent"),
        attr("gen_ai.provider.name", "openai"),
        spans.join(",")
    );
    inputs.push(Input::new("a2a-client.http", a2a));
    inputs.push(Input::new("billing-trace.json", trace));
    (inputs, key)
}

#[test]
fn an_a2a_handoff_carries_the_leak_to_the_receiving_agent_and_its_actions() {
    let (inputs, key) = scenario_with_a2a();
    let ctx = Context {
        compromise_start: Some(t("2026-05-01T09:30:00Z")),
        ..Context::default()
    };
    let r = triage(&inputs, &ctx);
    let a = &r.agent;
    let tie = |id: &str| {
        a.sessions
            .iter()
            .find(|s| s.id == id)
            .map(|s| (s.affected, s.tie.as_str()))
    };
    assert_eq!(tie("a2a-client.http"), Some((true, "secret_in_log")));
    // In a header, the key is on no record's line: the request line before it names the
    // session, and the header gives no time of its own.
    let header = a
        .secrets_in_logs
        .iter()
        .find(|f| f.session == "a2a-client.http")
        .unwrap();
    assert_eq!(
        (header.part.as_str(), header.at, header.evidence.line),
        ("line", None, Some(3))
    );
    assert_eq!(tie("ctx-billing-7"), Some((true, "chain_hop")));
    let hop = a
        .chain_hops
        .iter()
        .find(|h| h.from == "a2a-client.http")
        .unwrap();
    assert_eq!(hop.to, "ctx-billing-7");
    assert_eq!(hop.via, "A2A SendMessage");
    assert_eq!(hop.task.as_deref(), Some("task-7"));
    assert_eq!(hop.state.as_deref(), Some("TASK_STATE_WORKING"));
    assert_eq!(
        hop.url.as_deref(),
        Some("https://billing.example.com/message:send")
    );
    assert_eq!(hop.at, Some(t("2026-05-01T10:06:00Z")));
    assert!(hop.log_given);
    assert_eq!(hop.evidence.len(), 2);
    // The message sent is itself an action, and the receiving agent's tool calls are listed
    // and classed with the MCP tool catalog.
    let acts: Vec<(&str, Option<&str>, Class, &str)> = a
        .actions
        .iter()
        .filter(|x| x.session == "a2a-client.http" || x.session == "ctx-billing-7")
        .map(|x| {
            (
                x.session.as_str(),
                x.tool.as_deref(),
                x.class,
                x.outcome.as_str(),
            )
        })
        .collect();
    assert_eq!(
        acts,
        [
            (
                "a2a-client.http",
                Some("a2a:SendMessage"),
                Class::Irreversible,
                "ok"
            ),
            ("ctx-billing-7", Some("get_invoice"), Class::Read, "ok"),
            (
                "ctx-billing-7",
                Some("issue_refund"),
                Class::Irreversible,
                "ok"
            ),
            (
                "ctx-billing-7",
                Some("create_webhook"),
                Class::Mint,
                "error"
            ),
        ]
    );
    assert!(a.minted.iter().any(|m| m.session == "ctx-billing-7"));
    assert!(a
        .connections
        .iter()
        .any(|c| c.kind == "host" && c.name.as_deref() == Some("billing.example.com")));
    let billing = a.sessions.iter().find(|s| s.id == "ctx-billing-7").unwrap();
    assert_eq!(billing.agent.as_deref(), Some("billing-agent"));
    assert_eq!(billing.parent.as_deref(), Some("a2a-client.http"));
    let json = r.to_json();
    assert!(json.contains("ctx-billing-7") && !json.contains(&key));
}
