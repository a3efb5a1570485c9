//! Scope tests: each credential kind, the combinations that change the outcome, answers that
//! override or complement the evidence, unknowns, and traceability of every line.

use super::*;
use crate::evidence::event::{RawRef, RecordKind, UsageEvent};
use crate::scan::fake::{generate, Rng};
use crate::scan::known_key::KnownKey;
use crate::{triage_events, Context, Input};
use chrono::{TimeZone, Utc};

/// A line planting a fake value of a scan rule's shape (its typical variable name first).
fn plant(rule_id: &str, seed: u64) -> String {
    let r = crate::scan::rules::rule(rule_id).expect("rule exists");
    let f = generate(r.shape, &mut Rng::new(seed));
    if r.multiline || f.text.contains('\n') {
        format!("{}\n", f.text)
    } else {
        format!("{}={}\n", r.var, f.text)
    }
}

fn run_with(files: &[(&str, String)], events: &[UsageEvent], ctx: &Context) -> Scope {
    let inputs: Vec<Input> = files
        .iter()
        .map(|(n, t)| Input::new(*n, t.as_bytes().to_vec()))
        .collect();
    triage_events(&inputs, events, ctx).scope
}

fn run(files: &[(&str, String)], answers: Answers) -> Scope {
    let ctx = Context {
        answers,
        ..Context::default()
    };
    run_with(files, &[], &ctx)
}

fn one(rule_id: &str) -> Scope {
    run(&[("app.env", plant(rule_id, 7))], Answers::default())
}

fn question<'a>(s: &'a Scope, id: &str) -> &'a Question {
    s.questions.iter().find(|q| q.id == id).expect("question")
}

fn rules_of(r: &Rating) -> Vec<&str> {
    r.reasons.iter().map(|x| x.rule.as_str()).collect()
}

/// An audit row on an AWS key.
fn aws_event(key: &str, minute: u32, op: &str) -> UsageEvent {
    let mut e = UsageEvent::new(
        Utc.with_ymd_and_hms(2026, 11, 16, 3, minute, 0).unwrap(),
        "aws",
        "aws.cloudtrail",
        RawRef {
            file: "trail.json".into(),
            line: Some(minute as u64 + 1),
            record: None,
        },
    );
    e.key_id = Some(key.into());
    e.key_id_kind = Some(crate::evidence::event::KeyIdKind::AwsAccessKeyId);
    e.record_kind = RecordKind::Audit;
    e.operation = Some(op.into());
    e
}

#[test]
fn each_credential_kind_is_classified_with_its_containment_priority() {
    use CredKind as K;
    use Priority as P;
    let cases: &[(&str, K, P)] = &[
        ("openai-user-key", K::InferenceKey, P::Medium),
        ("openai-project-key", K::ProjectKey, P::Medium),
        (
            "openai-service-account-key",
            K::ServiceAccountKey,
            P::Medium,
        ),
        ("openai-admin-key", K::AdminKey, P::Highest),
        ("anthropic-api-key", K::InferenceKey, P::Medium),
        ("anthropic-admin-key", K::AdminKey, P::Highest),
        (
            "anthropic-oauth-access-token",
            K::AgentCredential,
            P::Highest,
        ),
        (
            "anthropic-oauth-refresh-token",
            K::OauthRefreshToken,
            P::High,
        ),
        ("google-oauth-access-token", K::OauthAccessToken, P::Medium),
        (
            "azure-ad-client-secret",
            K::OauthClientSecret,
            P::MediumHigh,
        ),
        ("anthropic-session-key", K::SessionCookie, P::High),
        ("aws-access-key-id", K::CloudLongTermKey, P::Highest),
        ("gcp-service-account", K::CloudServiceAccountKey, P::Highest),
        ("aws-bedrock-api-key", K::BedrockApiKey, P::High),
        ("postgres-url", K::DatabaseUrl, P::Highest),
        ("stripe-webhook-secret", K::WebhookSecret, P::High),
        ("slack-webhook-url", K::WebhookSecret, P::High),
        ("stripe-live-key", K::PaymentToken, P::High),
        ("private-key-pem", K::PrivateKey, P::High),
        ("github-pat", K::CodeHostToken, P::High),
        ("slack-bot-token", K::ChatBotToken, P::Medium),
        ("npm-token", K::PackageToken, P::High),
        ("groq-api-key", K::InferenceKey, P::Medium),
    ];
    for (rule, kind, prio) in cases {
        let s = one(rule);
        let c = s
            .credentials
            .iter()
            .find(|c| c.scan_rule.as_deref() == Some(*rule))
            .unwrap_or_else(|| panic!("{rule} not classified: {:?}", s.credentials));
        assert_eq!(c.kind, *kind, "{rule}");
        assert_eq!(c.containment_priority, *prio, "{rule}");
        assert!(!c.classification.sources.is_empty(), "{rule}: no source");
        assert!(!c.capabilities.is_empty(), "{rule}: no capability");
        assert!(
            s.revoke
                .iter()
                .any(|v| v.credential.as_deref() == Some(c.id.as_str()) && !v.at.is_empty()),
            "{rule}: no revocation"
        );
    }
}

#[test]
fn every_kind_has_facts_and_a_data_rating_path() {
    for k in kinds::KINDS {
        let rated = ratings::DATA_BY_KIND.iter().any(|(x, ..)| *x == k.kind);
        assert!(
            rated || k.ai,
            "{:?} is neither rated by kind nor an AI kind",
            k.kind
        );
        assert!(!k.why.is_empty() && !k.revoke.is_empty());
    }
}

#[test]
fn an_inference_only_key_with_a_spend_limit_is_low_and_an_admin_key_is_not() {
    let groq = [("app.env", plant("groq-api-key", 3))];
    let limited = Answers {
        spend_limit: Some(Tri::Yes),
        spend_limit_usd: Some(200.0),
        ..Answers::default()
    };
    let s = run(&groq, limited.clone());
    assert_eq!(
        s.financial_exposure.level,
        Level::Low,
        "{:?}",
        s.financial_exposure
    );
    assert_eq!(s.data_exposure.level, Level::Low, "{:?}", s.data_exposure);
    assert_eq!(s.personal_data.reachable, Tri::No);
    assert_eq!(s.personal_data.reasons[0].rule, "pd.inference_only");
    assert!(rules_of(&s.financial_exposure).contains(&"fin.spend_limit"));
    // The same key without a limit: the bill is unbounded.
    let s = run(
        &groq,
        Answers {
            spend_limit: Some(Tri::No),
            ..Answers::default()
        },
    );
    assert_eq!(s.financial_exposure.level, Level::High);
    assert!(rules_of(&s.financial_exposure).contains(&"fin.no_spend_limit"));
    // A large limit bounds it less.
    let s = run(
        &groq,
        Answers {
            spend_limit: Some(Tri::Yes),
            spend_limit_usd: Some(5_000.0),
            ..Answers::default()
        },
    );
    assert_eq!(s.financial_exposure.level, Level::Medium);

    // An admin key with the same answers: a spend limit does not bound it.
    let admin = run(&[("app.env", plant("openai-admin-key", 3))], limited);
    assert_eq!(
        admin.financial_exposure.level,
        Level::High,
        "{:?}",
        admin.financial_exposure
    );
    assert!(rules_of(&admin.financial_exposure).contains(&"fin.admin"));
    assert_eq!(admin.data_exposure.level, Level::High);
    assert_eq!(admin.credentials[0].containment_priority, Priority::Highest);
    assert_ne!(admin.personal_data.reachable, Tri::No);
    assert_eq!(question(&admin, "key_scope").value, "organisation");
    assert_eq!(question(&admin, "key_scope").source, Basis::Evidence);
    assert!(admin
        .three_answers
        .next
        .iter()
        .any(|r| r.rule == "three.next.keys"));
    assert!(admin
        .rooms_next_door
        .iter()
        .any(|r| r.why.rule == "room.org_audit"));
}

#[test]
fn an_agent_credential_with_database_tools_and_personal_data_is_critical() {
    let files = [("agent.env", plant("anthropic-oauth-access-token", 5))];
    let bare = run(&files, Answers::default());
    assert_eq!(bare.credentials[0].kind, CredKind::AgentCredential);
    assert_eq!(bare.data_exposure.level, Level::High);
    assert_eq!(bare.personal_data.reachable, Tri::Unknown);
    assert_eq!(question(&bare, "agent").value, "yes");
    assert_eq!(question(&bare, "agent").source, Basis::Evidence);
    // Agent sessions are frozen and its connections closed, even before any answer.
    assert!(bare
        .revoke
        .iter()
        .any(|v| v.why.rule == "revoke.agent_sessions"));

    let s = run(
        &files,
        Answers {
            agent: Some(Tri::Yes),
            agent_tools: Some(vec![Tool::Database, Tool::AgentsQueues]),
            personal_data: Some(Tri::Yes),
            people: Some(4_000),
            ..Answers::default()
        },
    );
    assert_eq!(
        s.data_exposure.level,
        Level::Critical,
        "{:?}",
        s.data_exposure
    );
    assert_eq!(s.data_exposure.reasons[0].rule, "data.personal_bulk");
    assert!(s.data_exposure.reasons[0]
        .sources
        .contains(&Source::answer("personal_data")));
    assert_eq!(s.personal_data.reachable, Tri::Yes);
    assert_eq!(s.personal_data.people, Some(4_000));
    assert_eq!(s.personal_data.basis, Basis::Answer);
    let c = &s.credentials[0];
    let db = c
        .capabilities
        .iter()
        .find(|x| x.capability == Capability::DataRead)
        .expect("database read");
    assert_eq!(db.basis, Basis::Answer);
    assert!(s
        .rooms_next_door
        .iter()
        .any(|r| r.system.contains("database")));
    assert!(s
        .rooms_next_door
        .iter()
        .any(|r| r.system.contains("chain-hops")));
    assert!(s
        .three_answers
        .next
        .iter()
        .any(|r| r.rule == "three.next.chain_hops"));
    assert!(s
        .revoke
        .iter()
        .any(|v| v.why.rule == "revoke.agent_connections"));
}

#[test]
fn a_temporary_cloud_credential_is_bounded_in_time_and_revoked_by_session() {
    let akia = plant("aws-access-key-id", 11);
    let asia = akia.replacen("=AKIA", "=ASIA", 1);
    assert_ne!(akia, asia);
    let long = run(&[("aws.env", akia)], Answers::default());
    let temp = run(&[("aws.env", asia)], Answers::default());
    assert_eq!(long.credentials[0].kind, CredKind::CloudLongTermKey);
    assert_eq!(temp.credentials[0].kind, CredKind::CloudTemporaryKey);
    assert_eq!(temp.credentials[0].classification.rule, "kind.aws_prefix");
    assert_eq!(long.financial_exposure.level, Level::Critical);
    assert_eq!(temp.financial_exposure.level, Level::High);
    assert!(rules_of(&temp.financial_exposure).contains(&"fin.cloud_temporary"));
    assert_eq!(temp.credentials[0].containment_priority, Priority::Highest);
    let rv = &temp.revoke[0];
    assert!(
        rv.at.contains("sessions") && rv.at.contains("issued the session"),
        "{}",
        rv.at
    );
}

#[test]
fn a_secret_key_beside_its_key_id_is_one_pair() {
    let text = format!(
        "{}{}",
        plant("aws-access-key-id", 2),
        plant("aws-secret-access-key", 2)
    );
    let s = run(&[("aws.env", text.clone())], Answers::default());
    assert_eq!(s.credentials.len(), 1, "{:?}", s.credentials);
    let pair = &s.credentials[0];
    assert_eq!(pair.scan_rule.as_deref(), Some("aws-secret-access-key"));
    assert_eq!(pair.kind, CredKind::CloudLongTermKey);
    assert_eq!(pair.classification.rule, "kind.aws_pair");
    // Both parts, each as the policy shows it: the key id whole, the secret's last 4.
    let id = text.lines().next().unwrap().split_once('=').unwrap().1;
    let secret = text.lines().nth(1).unwrap().split_once('=').unwrap().1;
    assert_eq!(
        pair.name,
        format!("{id} + …{}", &secret[secret.len() - 4..])
    );
    assert_eq!(
        s.revoke.iter().filter(|v| v.credential.is_some()).count(),
        1,
        "{:?}",
        s.revoke
    );
    // The responder searching for the key id finds the pair, not a second credential.
    let ctx = Context {
        known_keys: vec![KnownKey::parse(id).expect("a key id")],
        ..Context::default()
    };
    let s = run_with(&[("aws.env", text.clone())], &[], &ctx);
    assert_eq!(s.credentials.len(), 1, "{:?}", s.credentials);
    assert!(s.credentials[0].origins.contains(&Origin::KnownKey));
    // Far apart, they are two credentials.
    let far = format!(
        "{}{}{}",
        plant("aws-access-key-id", 2),
        "# ----\n".repeat(12),
        plant("aws-secret-access-key", 2)
    );
    let s = run(&[("aws.env", far)], Answers::default());
    assert_eq!(s.credentials.len(), 2, "{:?}", s.credentials);
    assert!(s
        .credentials
        .iter()
        .all(|c| c.classification.rule != "kind.aws_pair"));
}

#[test]
fn a_client_secret_beside_its_client_id_is_one_oauth_client() {
    let text = format!(
        "{}{}",
        plant("google-oauth-client-id", 3),
        plant("google-oauth-client-secret", 3)
    );
    let s = run(&[("app.env", text.clone())], Answers::default());
    assert_eq!(s.credentials.len(), 1, "{:?}", s.credentials);
    let pair = &s.credentials[0];
    assert_eq!(
        pair.scan_rule.as_deref(),
        Some("google-oauth-client-secret")
    );
    assert_eq!(pair.kind, CredKind::OauthClientSecret);
    assert_eq!(pair.classification.rule, "kind.pair");
    let id = text.lines().next().unwrap().split_once('=').unwrap().1;
    let secret = text.lines().nth(1).unwrap().split_once('=').unwrap().1;
    assert_eq!(
        pair.name,
        format!("{id} + {}", crate::secret::redact(secret))
    );
    // The client id alone is no credential at all.
    let s = run(
        &[("app.env", plant("google-oauth-client-id", 4))],
        Answers::default(),
    );
    assert!(s.credentials.is_empty(), "{:?}", s.credentials);
}

#[test]
fn answers_override_the_evidence() {
    let files = [("ci.log", plant("openai-project-key", 9))];
    let ev = run(&files, Answers::default());
    assert_eq!(question(&ev, "key_scope").value, "project");
    assert_eq!(question(&ev, "key_scope").source, Basis::Evidence);
    assert_eq!(ev.data_exposure.level, Level::Medium);
    let s = run(
        &files,
        Answers {
            key_scope: Some(KeyScope::Organisation),
            ..Answers::default()
        },
    );
    let q = question(&s, "key_scope");
    assert_eq!(
        (q.value.as_str(), q.source),
        (Some("organisation"), Basis::Answer)
    );
    assert_eq!(s.data_exposure.level, Level::High);
    assert!(rules_of(&s.data_exposure).contains(&"data.org_scope"));
    let org = s.credentials[0]
        .capabilities
        .iter()
        .find(|x| x.capability == Capability::OrgWide)
        .unwrap();
    assert_eq!(org.basis, Basis::Answer);

    // Minted sub-keys in the usage evidence; the responder says no.
    let key = "AKIAQ3EGUOVRTSLWPXNB";
    let events = [
        aws_event(key, 0, "InvokeModel"),
        aws_event(key, 5, "CreateUser"),
        aws_event(key, 6, "CreateAccessKey"),
    ];
    let ev = run_with(&[], &events, &Context::default());
    assert_eq!(question(&ev, "minted").value, "yes");
    assert_eq!(
        question(&ev, "minted_kinds").value,
        serde_json::json!(["sub_keys"])
    );
    let no = run_with(
        &[],
        &events,
        &Context {
            answers: Answers {
                minted: Some(Tri::No),
                ..Answers::default()
            },
            ..Context::default()
        },
    );
    assert_eq!(question(&no, "minted").value, "no");
    assert_eq!(question(&no, "minted").source, Basis::Answer);
    assert!(!no.revoke.iter().any(|v| v.why.rule == "revoke.minted"));
    assert!(ev.revoke.iter().any(|v| v.why.rule == "revoke.minted"));
}

#[test]
fn answers_complement_the_evidence() {
    let env = format!(
        "{}{}",
        plant("openai-project-key", 4),
        plant("postgres-url", 4)
    );
    let files = [("prod.env", env)];
    let ev = run(&files, Answers::default());
    let q = question(&ev, "agent_tools");
    assert_eq!(q.value, serde_json::json!(["database"]));
    assert_eq!(q.source, Basis::Evidence);
    assert_eq!(q.reason.as_ref().unwrap().rule, "q.agent_tools.colocated");
    assert_eq!(
        question(&ev, "environments").value,
        serde_json::json!(["production"])
    );
    assert_eq!(ev.personal_data.reachable, Tri::Unknown);
    let s = run(
        &files,
        Answers {
            agent_tools: Some(vec![Tool::Crm]),
            ..Answers::default()
        },
    );
    let q = question(&s, "agent_tools");
    assert_eq!(q.value, serde_json::json!(["database", "crm"]));
    assert_eq!(q.source, Basis::Answer);
    assert!(q.reason.is_some(), "the evidence part keeps its reason");
    assert_eq!(s.personal_data.reachable, Tri::Yes);
    assert_eq!(s.personal_data.basis, Basis::Inferred);
    assert_eq!(question(&s, "personal_data").source, Basis::Inferred);
    assert_eq!(s.data_exposure.level, Level::Critical);
}

#[test]
fn unknown_answers_change_nothing_and_are_recorded_as_answers() {
    let files = [("app.env", plant("openai-project-key", 1))];
    let none = run(&files, Answers::default());
    for id in ["spend_limit", "agent", "personal_data", "people"] {
        assert!(question(&none, id).value.is_null(), "{id}");
        assert_eq!(question(&none, id).source, Basis::Unknown, "{id}");
    }
    let unknown = run(
        &files,
        Answers {
            spend_limit: Some(Tri::Unknown),
            agent: Some(Tri::Unknown),
            personal_data: Some(Tri::Unknown),
            models_allowed: Some(ModelsAllowed::Unknown),
            ..Answers::default()
        },
    );
    assert_eq!(question(&unknown, "agent").value, "unknown");
    assert_eq!(question(&unknown, "agent").source, Basis::Answer);
    assert_eq!(unknown.data_exposure, none.data_exposure);
    assert_eq!(unknown.financial_exposure, none.financial_exposure);
    assert_eq!(unknown.personal_data.reachable, Tri::Unknown);
    assert_eq!(none.financial_exposure.level, Level::Medium);
    assert!(rules_of(&none.financial_exposure).contains(&"fin.spend_unknown"));
}

#[test]
fn nothing_to_assess_is_said_plainly() {
    let s = run(&[("notes.txt", "hello\n".into())], Answers::default());
    assert!(s.credentials.is_empty());
    assert_eq!(s.data_exposure.level, Level::Low);
    assert_eq!(s.data_exposure.reasons[0].rule, "data.nothing");
    assert_eq!(s.personal_data.reachable, Tri::Unknown);
    assert_eq!(s.questions.len(), 11);
}

#[test]
fn searched_used_and_named_credentials_are_classified_too() {
    // A known key with no finding, classified by its prefix without being shown.
    let ctx = Context {
        known_keys: vec![KnownKey::parse("sk-admin-AbCd...wxyz").unwrap()],
        ..Context::default()
    };
    let s = run_with(&[("x.txt", "nothing\n".into())], &[], &ctx);
    let c = &s.credentials[0];
    assert_eq!(
        (c.kind, c.origins.as_slice()),
        (CredKind::AdminKey, &[Origin::KnownKey][..])
    );
    assert_eq!(c.classification.rule, "kind.prefix");
    // An abused usage key no finding stands for.
    let key = "ASIAQ3EGUOVRTSLWPXNB";
    let events = [
        aws_event(key, 0, "GetCallerIdentity"),
        aws_event(key, 1, "CreateUser"),
    ];
    let s = run_with(&[], &events, &Context::default());
    let c = s
        .credentials
        .iter()
        .find(|c| c.name == key)
        .expect("usage key classified");
    assert_eq!(c.kind, CredKind::CloudTemporaryKey);
    assert_eq!(c.origins, vec![Origin::Usage]);
    assert!(c
        .capabilities
        .iter()
        .any(|x| x.capability == Capability::Iam && x.basis == Basis::Observed));
    // A credential the responder names.
    let s = run(
        &[],
        Answers {
            credentials: vec![NamedCredential {
                label: "support-bot token".into(),
                provider: "Acme agents".into(),
                kind: CredKind::AgentCredential,
            }],
            ..Answers::default()
        },
    );
    assert_eq!(s.credentials[0].origins, vec![Origin::Answer]);
    assert_eq!(
        s.credentials[0].classification.sources,
        vec![Source::answer("credentials")]
    );
}

#[test]
fn a_quota_refusal_shows_a_spend_limit() {
    let mut e = UsageEvent::new(
        Utc.with_ymd_and_hms(2026, 11, 16, 3, 0, 0).unwrap(),
        "openai",
        "reference",
        RawRef {
            file: "usage.csv".into(),
            line: Some(2),
            record: None,
        },
    );
    e.key_hint = Some("sk-proj-...abcd".into());
    e.error_code = Some("insufficient_quota".into());
    let ctx = Context {
        known_keys: vec![KnownKey::parse("sk-proj-AbCd...abcd").unwrap()],
        ..Context::default()
    };
    let s = run_with(&[], &[e], &ctx);
    let q = question(&s, "spend_limit");
    assert_eq!(
        (q.value.as_str(), q.source),
        (Some("yes"), Basis::Evidence),
        "{s:#?}"
    );
    assert_eq!(
        q.reason.as_ref().unwrap().sources,
        vec![Source::Evidence {
            file: "usage.csv".into(),
            line: Some(2),
            record: None
        }]
    );
}

#[test]
fn the_demo_traces_every_line_to_a_documented_rule() {
    let inputs = crate::demo::inputs();
    let r = crate::triage(&inputs, &Context::default());
    let s = &r.scope;
    assert_eq!(s.data_exposure.level, Level::Critical);
    assert_eq!(
        s.data_exposure.reasons[0].sources,
        vec![Source::Alert { id: "A010".into() }]
    );
    assert_eq!(
        question(s, "environments").value,
        serde_json::json!(["production", "ci", "source_repository"])
    );
    let known: Vec<String> = rules::all().into_iter().map(|x| x.0).collect();
    let mut reasons: Vec<&Reason> = Vec::new();
    reasons.extend(s.data_exposure.reasons.iter());
    reasons.extend(s.financial_exposure.reasons.iter());
    reasons.extend(s.personal_data.reasons.iter());
    reasons.extend(s.three_answers.could_do.iter());
    reasons.extend(s.three_answers.used_where.iter());
    reasons.extend(s.three_answers.next.iter());
    reasons.extend(s.rooms_next_door.iter().map(|r| &r.why));
    reasons.extend(s.revoke.iter().map(|r| &r.why));
    reasons.extend(s.questions.iter().filter_map(|q| q.reason.as_ref()));
    for c in &s.credentials {
        reasons.push(&c.classification);
        reasons.push(&c.priority_reason);
        reasons.extend(c.capabilities.iter().flat_map(|x| x.reasons.iter()));
    }
    assert!(reasons.len() > 40);
    for x in reasons {
        assert!(known.contains(&x.rule), "undocumented rule {}", x.rule);
        let rule_only = ["data.project_scope", "pd.notification"].contains(&x.rule.as_str());
        assert!(
            rule_only || !x.sources.is_empty() || x.rule.starts_with("three.next"),
            "no source: {x:?}"
        );
    }
    // Secrets stay redacted: no value of the demo's keys appears in the scope (an AWS key id
    // is an identifier the usage evidence shows whole, as the detection does).
    let json = serde_json::to_string(s).unwrap();
    for f in r
        .scan
        .secrets
        .iter()
        .filter(|f| f.rule_id != "aws-access-key-id")
    {
        assert!(!json.contains(f.reveal().unwrap()), "{} leaked", f.redacted);
    }
}

#[test]
fn the_rules_table_in_the_docs_is_current() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scope.md"))
        .unwrap_or_default();
    assert!(
        doc.contains(&rules::markdown_table()),
        "docs/scope.md lacks the current rules table:\n{}",
        rules::markdown_table()
    );
}

#[test]
fn the_scope_reads_back_from_its_json() {
    let s = run(
        &[("agent.env", plant("anthropic-oauth-access-token", 5))],
        Answers {
            agent_tools: Some(vec![Tool::Email]),
            ..Answers::default()
        },
    );
    let back: Scope = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
    let a: Answers = serde_json::from_str(
        r#"{"agent":"yes","agent_tools":["database"],"personal_data":"unknown","people":1200}"#,
    )
    .unwrap();
    assert_eq!(a.agent_tools, Some(vec![Tool::Database]));
    assert!(
        serde_json::from_str::<Answers>(r#"{"agentt":"yes"}"#).is_err(),
        "unknown fields are refused"
    );
}

/// One Claude Code transcript line of a synthetic session (the shape of Claude Code 2.1).
fn transcript_line(ts: &str, kind: &str, content: &str) -> String {
    format!(
        r#"{{"type":"{kind}","sessionId":"33333333-aaaa-4bbb-8ccc-000000000003","uuid":"u-{ts}","timestamp":"{ts}","cwd":"/w/app","message":{{"content":[{content}]}}}}"#
    )
}

fn tool_call(ts: &str, id: &str, tool: &str, input: &str) -> String {
    transcript_line(
        ts,
        "assistant",
        &format!(r#"{{"type":"tool_use","id":"{id}","name":"{tool}","input":{input}}}"#),
    )
}

fn tool_result(ts: &str, id: &str, text: &str) -> String {
    transcript_line(
        ts,
        "user",
        &format!(
            r#"{{"type":"tool_result","tool_use_id":"{id}","content":{},"is_error":false}}"#,
            serde_json::to_string(text).unwrap()
        ),
    )
}

#[test]
fn the_agent_logs_rate_the_blast_radius_where_no_answer_is_given() {
    let key = plant("anthropic-api-key", 21);
    let log = [
        tool_call(
            "2026-05-01T10:00:00.000Z",
            "t1",
            "Bash",
            r#"{"command":"cat .env"}"#,
        ),
        tool_result("2026-05-01T10:00:01.000Z", "t1", &key),
        tool_call(
            "2026-05-01T10:01:00.000Z",
            "t2",
            "mcp__slack__post_message",
            r##"{"channel":"#general","text":"hi"}"##,
        ),
        tool_result("2026-05-01T10:01:01.000Z", "t2", "ok"),
        tool_call(
            "2026-05-01T10:02:00.000Z",
            "t3",
            "Bash",
            r#"{"command":"aws iam create-access-key --user-name ci-bot"}"#,
        ),
        tool_result("2026-05-01T10:02:01.000Z", "t3", "{}"),
    ]
    .join("\n");
    let s = run(&[("session.jsonl", log)], Answers::default());
    let agent = question(&s, "agent");
    assert_eq!(
        (agent.source, &agent.value),
        (Basis::Evidence, &serde_json::json!("yes"))
    );
    assert_eq!(agent.reason.as_ref().unwrap().rule, "q.agent.logs");
    let tools = question(&s, "agent_tools");
    assert_eq!(tools.value, serde_json::json!(["chat"]), "{tools:?}");
    let minted = question(&s, "minted_kinds");
    assert_eq!(minted.value, serde_json::json!(["sub_keys"]));
    assert_eq!(s.data_exposure.level, Level::Critical);
    let rules = rules_of(&s.data_exposure);
    for r in [
        "data.agent_minted",
        "data.agent_credential_read",
        "data.agent_irreversible",
        "data.agent",
    ] {
        assert!(rules.contains(&r), "{r} missing from {rules:?}");
    }
    // The sessions to freeze and the token to revoke are named, among the first things to do.
    let rule = |id: &str| s.revoke.iter().find(|r| r.why.rule == id).unwrap();
    assert_eq!(
        rule("revoke.agent_sessions").what,
        "the agent's sessions that authenticated with the credential: 33333333-aaaa-4bbb-8ccc-000000000003"
    );
    assert!(rule("revoke.agent_connections")
        .what
        .ends_with(": MCP server slack"));
    let first = rule("revoke.agent_minted");
    assert_eq!(first.priority, Priority::Highest);
    assert!(
        first
            .what
            .contains("aws iam create-access-key --user-name ci-bot"),
        "{}",
        first.what
    );
    assert!(first.at.starts_with("AWS IAM: "));
    assert!(s
        .rooms_next_door
        .iter()
        .any(|r| r.system == "MCP server slack"));
    // Each of those lines names the transcript line behind it.
    let src = &s
        .data_exposure
        .reasons
        .iter()
        .find(|r| r.rule == "data.agent_minted")
        .unwrap()
        .sources;
    assert_eq!(
        src,
        &vec![Source::Evidence {
            file: "session.jsonl".into(),
            line: Some(5),
            record: None
        }]
    );

    // The responder's answer still wins over the logs for a yes/no question.
    let s = run(
        &[(
            "session.jsonl",
            [tool_call(
                "2026-05-01T10:00:00.000Z",
                "t1",
                "Read",
                r#"{"file_path":"/w/app/a.rs"}"#,
            )]
            .join("\n"),
        )],
        Answers {
            agent: Some(Tri::No),
            ..Answers::default()
        },
    );
    assert_eq!(question(&s, "agent").source, Basis::Answer);
    assert!(!rules_of(&s.data_exposure)
        .iter()
        .any(|r| r.starts_with("data.agent")));
}
