//! Who did what to which credential: a leaked admin key (or the identity behind it) creating a
//! key, a user, a login, a guardrail change or a logging change, in each provider's audit log
//! as its documentation shapes the record. The alert must be filed under the actor and name
//! what was made as created access to remove; a person creating a key in the console from a
//! known address during their usual hours must not be a critical alert.
//!
//! Records follow: OpenAI API reference "Audit logs" (actor `api_key` / `session`); Claude Docs
//! "Compliance API activity feed"; AWS CloudTrail "CloudTrail record contents" with IAM
//! `CreateUser` / `CreateAccessKey` / `CreateLoginProfile` and Bedrock `UpdateGuardrail` /
//! `DeleteModelInvocationLoggingConfiguration`; Google Cloud "Cloud Audit Logs" (`protoPayload`)
//! with the methods of "Model Armor audit logging" and the Logging API's sinks; Azure Monitor
//! "Activity log schema" with the operations of Microsoft.CognitiveServices (`raiPolicies`),
//! Microsoft.Insights and Microsoft.Authorization and the REST reference "Role Assignments -
//! Create"; GitHub Docs "Audit log events for your organization" and "... for your
//! enterprise". These records are documented shapes, not real samples (the real samples are
//! in tests/fixtures/real, one of them read here too). Identifiers are made up for the test.

use leaktriage::detect::{Alert, AlertKind, Severity};
use leaktriage::{triage, Context, Input, Report};

fn run(name: &str, text: &str) -> Report {
    triage(
        &[Input::new(name, text.as_bytes().to_vec())],
        &Context::default(),
    )
}

/// The text of a real sample, `source/file` under tests/fixtures/real.
fn real(path: &str) -> String {
    let full = format!("{}/tests/fixtures/real/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// The report of a real sample ([`real`]), the input named by its file.
fn run_real(path: &str) -> Report {
    run(path.rsplit('/').next().unwrap_or(path), &real(path))
}

/// The detection's alerts of one kind, whole.
fn alerts_of(r: &Report, kind: AlertKind) -> Vec<&Alert> {
    r.detection
        .alerts
        .iter()
        .filter(|a| a.kind == kind)
        .collect()
}

/// The alerts of a kind, as (key, severity, targets).
fn alerts(r: &Report, kind: AlertKind) -> Vec<(String, Severity, Vec<String>)> {
    alerts_of(r, kind)
        .into_iter()
        .map(|a| (a.key.clone(), a.severity, a.targets.clone()))
        .collect()
}

/// The detection's actors (its key groups) whose name holds `part`.
fn actors_named<'r>(r: &'r Report, part: &str) -> Vec<&'r str> {
    r.detection
        .keys
        .iter()
        .map(|k| k.key.as_str())
        .filter(|k| k.contains(part))
        .collect()
}

/// The indicators of a kind (`created_access`, `logging_change`).
fn iocs(r: &Report, kind: &str) -> Vec<String> {
    r.summary
        .iocs
        .iter()
        .filter(|i| i.kind.as_str() == kind)
        .map(|i| i.value.clone())
        .collect()
}

/// The steps of the revoke list a rule of the scope made.
fn revoke_steps<'r>(r: &'r Report, rule: &str) -> Vec<&'r leaktriage::scope::Revocation> {
    r.scope
        .revoke
        .iter()
        .filter(|x| x.why.rule == rule)
        .collect()
}

fn created(r: &Report) -> Vec<String> {
    iocs(r, "created_access")
}

#[test]
fn openai_admin_key_minting_a_key_and_a_service_account_is_the_actor() {
    let r = run(
        "openai-audit.json",
        r#"{"object":"list","data":[
{"id":"audit_log-a1","type":"api_key.created","effective_at":1767229200,
 "actor":{"type":"api_key","api_key":{"id":"key_adminLEAKED01","type":"service_account","service_account":{"id":"svc_acct_ops"}}},
 "api_key.created":{"id":"key_childNEW01","data":{"scopes":["all"]}}},
{"id":"audit_log-a2","type":"service_account.created","effective_at":1767229260,
 "actor":{"type":"api_key","api_key":{"id":"key_adminLEAKED01","type":"service_account","service_account":{"id":"svc_acct_ops"}}},
 "service_account.created":{"id":"svc_acct_NEW","data":{"role":"owner"}}}
],"has_more":false}"#,
    );
    let a = alerts(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].0, "key_adminLEAKED01");
    assert_eq!(a[0].1, Severity::Critical);
    assert_eq!(
        a[0].2,
        ["api_key key_childNEW01", "service_account svc_acct_NEW"]
    );
    assert_eq!(
        created(&r),
        ["api_key key_childNEW01", "service_account svc_acct_NEW"]
    );
    let sentence = &r.detection.alerts[0].sentence;
    assert!(sentence.starts_with("Key key_adminLEAKED01 "), "{sentence}");
    assert!(sentence.contains("key_childNEW01"), "{sentence}");
    // The revoke list names what to delete.
    assert!(r
        .scope
        .revoke
        .iter()
        .any(|v| v.what.contains("api_key key_childNEW01")));
}

#[test]
fn anthropic_admin_key_created_by_an_api_key_is_filed_under_that_key() {
    let r = run(
        "anthropic-activity.json",
        r#"{"data":[{"id":"activity_01A","created_at":"2026-01-01T03:00:00Z","organization_id":"org_01X",
"organization_uuid":"00000000-0000-4000-8000-000000000001","type":"admin_api_key_created",
"actor":{"type":"api_actor","api_key_id":"apikey_01LEAKED","ip_address":"203.0.113.9","user_agent":"python-httpx/0.27.0"},
"admin_api_key_id":"apikey_01MINTED"}],"has_more":false}"#,
    );
    let a = alerts(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].0, "apikey_01LEAKED");
    assert_eq!(a[0].1, Severity::Critical);
    assert_eq!(a[0].2, ["admin_api_key apikey_01MINTED"]);
    assert_eq!(
        r.evidence[0].kind,
        leaktriage::EvidenceKind::AnthropicActivity
    );
}

/// A leaked IAM user's key creating a user, its access key and its console login, changing a
/// Bedrock guardrail and deleting Bedrock's invocation logging; the calls named in `refused`
/// were refused (`AccessDenied`, no response, as CloudTrail records a denied call).
fn leaked_admin_trail(refused: &[&str]) -> String {
    let rec = |t: &str, source: &str, name: &str, params: &str, response: &str| {
        let (response, error) = if refused.contains(&name) {
            (
                "null",
                r#","errorCode":"AccessDenied","errorMessage":"User: arn:aws:iam::111122223333:user/ci is not authorized to perform this action""#,
            )
        } else {
            (response, "")
        };
        format!(
            r#"{{"eventVersion":"1.09","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/ci","accountId":"111122223333","accessKeyId":"AKIAEXAMPLELEAKED001","userName":"ci"}},"eventTime":"{t}","eventSource":"{source}","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.50","userAgent":"aws-cli/2.15.0","requestParameters":{params},"responseElements":{response}{error},"eventID":"{name}-1"}}"#
        )
    };
    let records = [
        rec(
            "2026-01-01T03:00:00Z",
            "iam.amazonaws.com",
            "CreateUser",
            r#"{"userName":"backup-admin"}"#,
            r#"{"user":{"userName":"backup-admin","arn":"arn:aws:iam::111122223333:user/backup-admin"}}"#,
        ),
        rec(
            "2026-01-01T03:01:00Z",
            "iam.amazonaws.com",
            "CreateAccessKey",
            r#"{"userName":"backup-admin"}"#,
            r#"{"accessKey":{"userName":"backup-admin","accessKeyId":"AKIAEXAMPLENEWKEY01","status":"Active"}}"#,
        ),
        rec(
            "2026-01-01T03:02:00Z",
            "iam.amazonaws.com",
            "CreateLoginProfile",
            r#"{"userName":"backup-admin","passwordResetRequired":false}"#,
            r#"{"loginProfile":{"userName":"backup-admin","passwordResetRequired":false}}"#,
        ),
        rec(
            "2026-01-01T03:03:00Z",
            "bedrock.amazonaws.com",
            "UpdateGuardrail",
            r#"{"guardrailIdentifier":"gr-0abc","name":"default"}"#,
            r#"{"guardrailId":"gr-0abc","version":"DRAFT"}"#,
        ),
        rec(
            "2026-01-01T03:04:00Z",
            "bedrock.amazonaws.com",
            "DeleteModelInvocationLoggingConfiguration",
            "null",
            "null",
        ),
    ];
    format!("{{\"Records\":[{}]}}", records.join(","))
}

#[test]
fn cloudtrail_names_the_created_user_key_login_guardrail_and_logging() {
    let r = run("trail.json", &leaked_admin_trail(&[]));
    let p = alerts(&r, AlertKind::Persistence);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "AKIAEXAMPLELEAKED001");
    assert_eq!(p[0].1, Severity::Critical);
    assert_eq!(
        p[0].2,
        [
            "iam_user backup-admin",
            "access_key AKIAEXAMPLENEWKEY01",
            "login_profile backup-admin"
        ]
    );
    let l = alerts(&r, AlertKind::LoggingTampering);
    assert_eq!(l.len(), 1, "{l:?}");
    assert_eq!(l[0].0, "AKIAEXAMPLELEAKED001");
    assert_eq!(
        l[0].2,
        [
            "guardrail gr-0abc",
            "logging_configuration Bedrock model invocation logging (us-east-1)"
        ]
    );
    // CloudTrail has no cost: the attacker's cost is unknown, never $0.00.
    assert!(r
        .detection
        .cost
        .note
        .as_deref()
        .unwrap()
        .starts_with("unknown: CloudTrail"));
    assert!(!r.detection.summary.headline.contains("$0"));
}

/// Every call refused: the key tried to create lasting access and to hide, and nothing was
/// created or changed. The alerts say so (high, not critical), and nothing is left to remove,
/// close or restore: no indicator, no blast-radius rule, no revoke step, nothing "already done".
#[test]
fn calls_all_refused_created_and_hid_nothing() {
    let all = [
        "CreateUser",
        "CreateAccessKey",
        "CreateLoginProfile",
        "UpdateGuardrail",
        "DeleteModelInvocationLoggingConfiguration",
    ];
    let r = run("trail.json", &leaked_admin_trail(&all));
    for kind in [AlertKind::Persistence, AlertKind::LoggingTampering] {
        let a = alerts_of(&r, kind);
        assert_eq!(a.len(), 1, "{kind:?}");
        assert_eq!(a[0].severity, Severity::High, "{}", a[0].severity_reason);
        assert!(a[0].all_refused());
        assert!(a[0].sentence.contains("tried"), "{}", a[0].sentence);
        assert!(
            a[0].sentence.contains("Every call was refused"),
            "{}",
            a[0].sentence
        );
    }
    assert!(created(&r).is_empty(), "{:?}", created(&r));
    assert!(iocs(&r, "logging_change").is_empty());
    let rules: Vec<&str> = r
        .scope
        .data_exposure
        .reasons
        .iter()
        .chain(&r.scope.financial_exposure.reasons)
        .map(|x| x.rule.as_str())
        .collect();
    for rule in [
        "data.iam_persistence",
        "data.logging_tampering",
        "fin.persistence",
    ] {
        assert!(!rules.contains(&rule), "{rule} in {rules:?}");
    }
    assert!(
        !r.scope
            .revoke
            .iter()
            .any(|v| v.what.contains("backup-admin") || v.what.contains("changed or deleted")),
        "{:?}",
        r.scope.revoke
    );
    assert!(!r
        .scope
        .rooms_next_door
        .iter()
        .any(|x| x.why.rule == "room.logging"));
    assert!(!r
        .scope
        .three_answers
        .next
        .iter()
        .any(|x| x.rule == "three.next.observed"));
    assert!(
        !r.summary.headline.contains("lasting access created"),
        "{}",
        r.summary.headline
    );
    // Still abuse: whoever holds the key tried.
    assert!(
        r.summary.abuse.verdict.label() != "not indicated",
        "{}",
        r.summary.headline
    );
}

/// The same calls with their times redacted stay out of the timeline; the ones that went
/// through still name what they made or changed, the refused ones nothing.
#[test]
fn undated_calls_that_were_refused_name_nothing() {
    let undated = |refused: &[&str]| {
        let mut doc: serde_json::Value =
            serde_json::from_str(&leaked_admin_trail(refused)).unwrap();
        for r in doc["Records"].as_array_mut().unwrap() {
            r["eventTime"] = "REDACTED".into();
        }
        run("undated.json", &doc.to_string())
    };
    let r = undated(&["CreateUser", "CreateAccessKey", "UpdateGuardrail"]);
    assert_eq!(r.detection.undated.len(), 5);
    assert_eq!(created(&r), ["login_profile backup-admin"]);
    assert_eq!(
        iocs(&r, "logging_change"),
        ["logging_configuration Bedrock model invocation logging (us-east-1)"]
    );
}

/// One call refused among several that went through: still lasting access, the refusal
/// counted, and what it would have made not named.
#[test]
fn one_refused_call_among_others_is_still_lasting_access() {
    let r = run("trail.json", &leaked_admin_trail(&["CreateLoginProfile"]));
    let a = alerts_of(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Critical);
    assert!(!a[0].all_refused());
    assert!(
        a[0].sentence.contains("; 1 of the calls refused."),
        "{}",
        a[0].sentence
    );
    assert_eq!(
        created(&r),
        ["iam_user backup-admin", "access_key AKIAEXAMPLENEWKEY01"]
    );
}

#[test]
fn gcp_service_account_key_created_by_a_leaked_key_names_the_new_key() {
    let r = run(
        "gcp.jsonl",
        r#"{"insertId":"x1","logName":"projects/p1/logs/cloudaudit.googleapis.com%2Factivity","timestamp":"2026-01-01T03:00:00Z","resource":{"type":"service_account","labels":{"project_id":"p1"}},"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","serviceName":"iam.googleapis.com","methodName":"google.iam.admin.v1.CreateServiceAccountKey","authenticationInfo":{"principalEmail":"ci@p1.iam.gserviceaccount.com","serviceAccountKeyName":"//iam.googleapis.com/projects/p1/serviceAccounts/ci@p1.iam.gserviceaccount.com/keys/leaked01"},"requestMetadata":{"callerIp":"203.0.113.7","callerSuppliedUserAgent":"google-api-python-client/2.0"},"resourceName":"projects/-/serviceAccounts/1234567890","response":{"name":"projects/p1/serviceAccounts/ci@p1.iam.gserviceaccount.com/keys/new02"}}}"#,
    );
    let a = alerts(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert!(a[0].0.ends_with("/keys/leaked01"), "{a:?}");
    assert_eq!(a[0].1, Severity::Critical);
    assert_eq!(
        a[0].2,
        ["service_account_key projects/p1/serviceAccounts/ci@p1.iam.gserviceaccount.com/keys/new02"]
    );
}

#[test]
fn azure_list_keys_is_filed_under_the_caller_with_the_account_as_target() {
    let r = run(
        "activity.json",
        r#"{"value":[{"time":"2026-01-01T03:00:00Z","resourceId":"/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/AOAI","operationName":{"value":"Microsoft.CognitiveServices/accounts/listKeys/action"},"category":"Administrative","resultType":"Success","caller":"7f1e0000-0000-4000-8000-000000000001","callerIpAddress":"203.0.113.8","correlationId":"c1"}]}"#,
    );
    let a = alerts(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].0, "7f1e0000-0000-4000-8000-000000000001 (azure)");
    assert_eq!(a[0].1, Severity::Critical);
    let keys = "account_keys /subscriptions/0000/resourcegroups/rg/providers/microsoft.cognitiveservices/accounts/aoai";
    assert_eq!(a[0].2, [keys]);
    // Keys read are rotated, named where the evidence names them.
    let rotate: Vec<&str> = revoke_steps(&r, "revoke.secrets_read")
        .iter()
        .map(|x| x.what.as_str())
        .collect();
    assert_eq!(rotate.len(), 1);
    assert!(rotate[0].contains(&format!(": {keys} (by ")), "{rotate:?}");
}

#[test]
fn github_deploy_key_added_with_a_token_names_the_key_and_the_actor() {
    let r = run(
        "github-audit.json",
        r#"[{"@timestamp":1767236400000,"_document_id":"d1","action":"public_key.create","actor":"ci-bot","hashed_token":"aGFzaGVkLXRva2VuLWxlYWtlZA==","org":"acme","repo":"acme/app","title":"deploy-backdoor","actor_ip":"203.0.113.4","user_agent":"curl/8.5.0"}]"#,
    );
    let a = alerts(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].0, "aGFzaGVkLXRva2VuLWxlYWtlZA==");
    assert_eq!(a[0].2, ["deploy_key deploy-backdoor"]);
    assert!(r.detection.alerts[0].sentence.contains("deploy-backdoor"));
}

/// Two weeks of a developer's console sign-ins at 09:00 UTC from one address, then a key
/// created from that address at 09:30.
fn console_history(create_ip: &str, create_hour: u32) -> String {
    let day = 86_400i64;
    let t0 = 1_767_225_600i64; // 2026-01-01T00:00:00Z
    let session = |ip: &str| {
        format!(
            r#"{{"type":"session","session":{{"user":{{"id":"user-dev","email":"dev@example.com"}},"ip_address":"{ip}","user_agent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}}}}"#
        )
    };
    let mut rows: Vec<String> = (0..14)
        .map(|d| {
            format!(
                r#"{{"id":"audit_log-l{d}","type":"login.succeeded","effective_at":{},"actor":{}}}"#,
                t0 + d * day + 9 * 3600,
                session("198.51.100.20")
            )
        })
        .collect();
    rows.push(format!(
        r#"{{"id":"audit_log-k1","type":"api_key.created","effective_at":{},"actor":{},"api_key.created":{{"id":"key_devNEW","data":{{"scopes":["all"]}}}}}}"#,
        t0 + 14 * day + i64::from(create_hour) * 3600 + 1800,
        session(create_ip)
    ));
    format!("{{\"object\":\"list\",\"data\":[{}]}}", rows.join(","))
}

#[test]
fn a_developer_creating_a_key_in_the_console_as_usual_is_not_critical() {
    let r = run("audit.json", &console_history("198.51.100.20", 9));
    let a = alerts(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].0, "dev@example.com (openai)");
    assert_eq!(a[0].1, Severity::Low, "{a:?}");
    assert_eq!(a[0].2, ["api_key key_devNEW"]);
    assert!(r.detection.summary.abused_keys.is_empty());
}

#[test]
fn the_same_console_creation_from_a_new_address_or_at_night_is_critical() {
    for (ip, hour) in [("203.0.113.66", 9), ("198.51.100.20", 3)] {
        let r = run("audit.json", &console_history(ip, hour));
        let a = alerts(&r, AlertKind::Persistence);
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].1, Severity::Critical, "{ip} at {hour}:30: {a:?}");
    }
}

/// The alerts of a kind filed under one key, as (severity, targets).
fn under(r: &Report, kind: AlertKind, key: &str) -> Vec<(Severity, Vec<String>)> {
    alerts(r, kind)
        .into_iter()
        .filter(|(k, _, _)| k == key)
        .map(|(_, s, t)| (s, t))
        .collect()
}

/// Every alert of these kinds under `key` has its targets named in the revoke list.
fn revoked(r: &Report, key: &str) {
    for a in r.detection.alerts.iter().filter(|a| {
        a.key == key && matches!(a.kind, AlertKind::Persistence | AlertKind::LoggingTampering)
    }) {
        for t in &a.targets {
            assert!(
                r.scope.revoke.iter().any(|v| v.what.contains(t.as_str())),
                "{t} is not in the revoke list"
            );
        }
    }
}

#[test]
fn openai_admin_key_adding_a_user_and_removing_the_allowlist_and_call_logging() {
    let actor = r#"{"type":"api_key","api_key":{"id":"key_adminLEAKED01","type":"service_account","service_account":{"id":"svc_acct_ops"}}}"#;
    let r = run(
        "openai-audit.json",
        &format!(
            r#"{{"object":"list","data":[
{{"id":"audit_log-b1","type":"user.added","effective_at":1767229200,"actor":{actor},"user.added":{{"id":"user-NEWOWNER","data":{{"role":"owner"}}}}}},
{{"id":"audit_log-b2","type":"ip_allowlist.deleted","effective_at":1767229260,"actor":{actor},"ip_allowlist.deleted":{{"id":"ipallow_corp","name":"Corporate VPN","allowed_ips":["198.51.100.0/24"]}}}},
{{"id":"audit_log-b3","type":"organization.updated","effective_at":1767229320,"actor":{actor},"organization.updated":{{"id":"org-abc","changes_requested":{{"api_call_logging":"disabled"}}}}}}
],"has_more":false}}"#
        ),
    );
    let key = "key_adminLEAKED01";
    assert_eq!(
        under(&r, AlertKind::Persistence, key),
        [(Severity::Critical, vec!["user user-NEWOWNER".to_string()])]
    );
    let changed = [
        "ip_allowlist ipallow_corp",
        "organization org-abc",
        "logging_configuration API call logging set to disabled",
    ];
    assert_eq!(
        under(&r, AlertKind::LoggingTampering, key),
        [(Severity::Critical, changed.map(String::from).to_vec())]
    );
    assert_eq!(created(&r), ["user user-NEWOWNER"]);
    assert_eq!(iocs(&r, "logging_change"), changed);
    revoked(&r, key);
}

#[test]
fn anthropic_api_key_granting_a_role_and_removing_spend_limit_and_ip_restriction() {
    let rec = |id: &str, ty: &str, extra: &str| {
        format!(
            r#"{{"id":"{id}","created_at":"2026-01-01T03:0{}:00Z","organization_id":"org_01X","organization_uuid":"00000000-0000-4000-8000-000000000001","type":"{ty}",{extra}"actor":{{"type":"api_actor","api_key_id":"apikey_01LEAKED","ip_address":"203.0.113.9","user_agent":"python-httpx/0.27.0"}}}}"#,
            &id[id.len() - 1..]
        )
    };
    let r = run(
        "anthropic-activity.json",
        &format!(
            r#"{{"data":[{},{},{}],"has_more":false}}"#,
            rec(
                "activity_1",
                "role_assignment_granted",
                r#""target_id":"user_01NEW","target_type":"organization_member","role":"admin","#
            ),
            rec("activity_2", "platform_spend_limit_deleted", ""),
            rec("activity_3", "org_ip_restriction_deleted", ""),
        ),
    );
    let key = "apikey_01LEAKED";
    assert_eq!(
        under(&r, AlertKind::Persistence, key),
        [(
            Severity::Critical,
            vec!["organization_member user_01NEW (admin)".to_string()]
        )]
    );
    assert_eq!(
        under(&r, AlertKind::LoggingTampering, key),
        [(
            Severity::Critical,
            vec![
                "platform_spend_limit org_01X".to_string(),
                "org_ip_restriction org_01X".to_string()
            ]
        )]
    );
    revoked(&r, key);
}

/// A Cloud Audit Log entry by a leaked service-account key (Google Cloud "Cloud Audit Logs",
/// `protoPayload` as the AuditLog type documents it).
fn gcp_entry(
    id: &str,
    minute: u32,
    service: &str,
    method: &str,
    resource: &str,
    response: &str,
) -> String {
    format!(
        r#"{{"insertId":"{id}","logName":"projects/p1/logs/cloudaudit.googleapis.com%2Factivity","timestamp":"2026-01-01T03:{minute:02}:00Z","resource":{{"type":"audited_resource","labels":{{"project_id":"p1"}}}},"protoPayload":{{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","serviceName":"{service}","methodName":"{method}","authenticationInfo":{{"principalEmail":"ci@p1.iam.gserviceaccount.com","serviceAccountKeyName":"//iam.googleapis.com/projects/p1/serviceAccounts/ci@p1.iam.gserviceaccount.com/keys/leaked01"}},"requestMetadata":{{"callerIp":"203.0.113.7","callerSuppliedUserAgent":"google-api-python-client/2.0"}},"resourceName":"{resource}","response":{response}}}}}"#
    )
}

#[test]
fn gcp_leaked_key_creating_an_account_and_removing_a_sink_and_a_model_armor_template() {
    let lines = [
        gcp_entry(
            "g1",
            0,
            "iam.googleapis.com",
            "google.iam.admin.v1.CreateServiceAccount",
            "projects/p1",
            r#"{"name":"projects/p1/serviceAccounts/backup-sa@p1.iam.gserviceaccount.com","email":"backup-sa@p1.iam.gserviceaccount.com"}"#,
        ),
        gcp_entry(
            "g2",
            1,
            "logging.googleapis.com",
            "google.logging.v2.ConfigServiceV2.DeleteSink",
            "projects/p1/sinks/audit-to-siem",
            "{}",
        ),
        gcp_entry(
            "g3",
            2,
            "modelarmor.googleapis.com",
            "google.cloud.modelarmor.v1.ModelArmor.UpdateTemplate",
            "projects/p1/locations/us-central1/templates/prod-screening",
            "{}",
        ),
    ];
    let r = run("gcp.jsonl", &lines.join("\n"));
    let key = alerts(&r, AlertKind::Persistence)[0].0.clone();
    assert!(key.ends_with("/keys/leaked01"), "{key}");
    assert_eq!(
        under(&r, AlertKind::Persistence, &key),
        [(
            Severity::Critical,
            vec![
                "service_account projects/p1/serviceAccounts/backup-sa@p1.iam.gserviceaccount.com"
                    .to_string()
            ]
        )]
    );
    assert_eq!(
        under(&r, AlertKind::LoggingTampering, &key),
        [(
            Severity::Critical,
            vec![
                "log_sink projects/p1/sinks/audit-to-siem".to_string(),
                "model_armor_template projects/p1/locations/us-central1/templates/prod-screening"
                    .to_string()
            ]
        )]
    );
    revoked(&r, &key);
}

#[test]
fn azure_caller_assigning_a_role_and_removing_a_content_filter_and_diagnostics() {
    let rec = |minute: u32, op: &str, resource: &str, body: &str| {
        format!(
            r#"{{"time":"2026-01-01T03:{minute:02}:00Z","resourceId":"{resource}","operationName":{{"value":"{op}"}},"category":{{"value":"Administrative"}},"resultType":"Success","caller":"7f1e0000-0000-4000-8000-000000000001","callerIpAddress":"203.0.113.8","correlationId":"c{minute}","properties":{{"requestbody":"{body}"}}}}"#
        )
    };
    let acct =
        "/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/AOAI";
    let records = [
        rec(
            0,
            "Microsoft.Authorization/roleAssignments/write",
            "/subscriptions/0000/providers/Microsoft.Authorization/roleAssignments/ra-1",
            r#"{\"properties\":{\"principalId\":\"9a9a0000-0000-4000-8000-00000000beef\",\"roleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/a001fd3d-188f-4b5d-821b-7da978bf7442\"}}"#,
        ),
        rec(
            1,
            "Microsoft.CognitiveServices/accounts/raiPolicies/delete",
            &format!("{acct}/RAIPOLICIES/STRICT"),
            "",
        ),
        rec(
            2,
            "Microsoft.Insights/diagnosticSettings/delete",
            &format!("{acct}/PROVIDERS/MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/TO-SENTINEL"),
            "",
        ),
    ];
    let r = run(
        "activity.json",
        &format!("{{\"value\":[{}]}}", records.join(",")),
    );
    let key = "7f1e0000-0000-4000-8000-000000000001 (azure)";
    assert_eq!(
        under(&r, AlertKind::Persistence, key),
        [(
            Severity::Critical,
            vec!["role_assignment 9a9a0000-0000-4000-8000-00000000beef (role definition a001fd3d-188f-4b5d-821b-7da978bf7442)".to_string()]
        )]
    );
    let acct = acct.to_ascii_lowercase();
    assert_eq!(
        under(&r, AlertKind::LoggingTampering, key),
        [(
            Severity::Critical,
            vec![
                format!("content_filter {acct}/raipolicies/strict"),
                format!(
                    "diagnostic_setting {acct}/providers/microsoft.insights/diagnosticsettings/to-sentinel"
                )
            ]
        )]
    );
    revoked(&r, key);
}

#[test]
fn github_token_adding_a_member_and_disabling_push_protection_and_log_streaming() {
    let rec = |ms: u64, action: &str, extra: &str| {
        format!(
            r#"{{"@timestamp":{ms},"_document_id":"d{ms}","action":"{action}","actor":"ci-bot","hashed_token":"aGFzaGVkLXRva2VuLWxlYWtlZA==","org":"acme","business":"acme-ent",{extra}"actor_ip":"203.0.113.4","user_agent":"curl/8.5.0"}}"#
        )
    };
    let r = run(
        "github-audit.json",
        &format!(
            "[{},{},{}]",
            rec(1767236400000, "org.add_member", r#""user":"new-owner","#),
            rec(
                1767236460000,
                "repository_secret_scanning_push_protection.disable",
                r#""repo":"acme/app","#
            ),
            rec(1767236520000, "audit_log_streaming.destroy", ""),
        ),
    );
    let key = "aGFzaGVkLXRva2VuLWxlYWtlZA==";
    assert_eq!(
        under(&r, AlertKind::Persistence, key),
        [(Severity::Critical, vec!["user new-owner".to_string()])]
    );
    assert_eq!(
        under(&r, AlertKind::LoggingTampering, key),
        [(
            Severity::Critical,
            vec![
                "repository_secret_scanning_push_protection acme/app".to_string(),
                "audit_log_stream acme-ent".to_string()
            ]
        )]
    );
    revoked(&r, key);
}

#[test]
fn a_leaked_admin_key_beside_a_developers_usual_console_creation_is_the_critical_one() {
    // The developer's history of console sign-ins and their usual key creation, then the
    // leaked admin key minting a key at night from elsewhere, in the same export.
    let history = console_history("198.51.100.20", 9);
    let admin = r#"{"id":"audit_log-x1","type":"api_key.created","effective_at":1768449600,"actor":{"type":"api_key","api_key":{"id":"key_adminLEAKED01","type":"service_account","service_account":{"id":"svc_acct_ops"}}},"api_key.created":{"id":"key_childNEW01","data":{"scopes":["all"]}}}"#;
    let text = history.replacen("\"data\":[", &format!("\"data\":[{admin},"), 1);
    let r = run("audit.json", &text);
    assert_eq!(
        under(&r, AlertKind::Persistence, "dev@example.com (openai)"),
        [(Severity::Low, vec!["api_key key_devNEW".to_string()])]
    );
    assert_eq!(
        under(&r, AlertKind::Persistence, "key_adminLEAKED01"),
        [(
            Severity::Critical,
            vec!["api_key key_childNEW01".to_string()]
        )]
    );
    let abused: Vec<&str> = r
        .detection
        .summary
        .abused_keys
        .iter()
        .map(|k| k.key.as_str())
        .collect();
    assert_eq!(abused, ["key_adminLEAKED01"]);
}

/// One Google Cloud service account calling Vertex AI and then minting itself a key (no key
/// name in either record) is one actor, named by its address, not one per service: the key it
/// created is filed under the same name as its model calls.
#[test]
fn a_gcp_service_account_is_one_actor_across_vertex_ai_and_iam() {
    let rec = |t: &str, service: &str, method: &str, response: &str| {
        format!(
            r#"{{"insertId":"{t}","logName":"projects/p1/logs/cloudaudit.googleapis.com%2Factivity","timestamp":"2026-01-01T0{t}:00:00Z","resource":{{"type":"audited_resource","labels":{{"project_id":"p1"}}}},"protoPayload":{{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","serviceName":"{service}","methodName":"{method}","authenticationInfo":{{"principalEmail":"ci@p1.iam.gserviceaccount.com"}},"requestMetadata":{{"callerIp":"203.0.113.7"}},"resourceName":"projects/p1/locations/us-central1/publishers/google/models/gemini-2.0-flash"{response}}}}}"#
        )
    };
    let text = [
        rec(
            "1",
            "aiplatform.googleapis.com",
            "google.cloud.aiplatform.v1.PredictionService.GenerateContent",
            "",
        ),
        rec(
            "2",
            "iam.googleapis.com",
            "google.iam.admin.v1.CreateServiceAccountKey",
            r#","response":{"name":"projects/p1/serviceAccounts/ci@p1.iam.gserviceaccount.com/keys/new02"}"#,
        ),
    ]
    .join("\n");
    let r = run("gcp.jsonl", &text);
    let providers: Vec<&str> = r.evidence[0].providers.iter().map(String::as_str).collect();
    assert_eq!(providers, ["gcp", "gcp_vertex"], "both services read");
    let actors = actors_named(&r, "ci@p1");
    assert_eq!(actors, ["ci@p1.iam.gserviceaccount.com"]);
    let a = alerts(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].0, "ci@p1.iam.gserviceaccount.com");
}

/// One IAM user acting without an access key in both (a console session in CloudTrail, model
/// calls in Bedrock's invocation log) is one actor, named by its ARN, not one per service.
#[test]
fn an_iam_user_is_one_actor_across_bedrock_and_cloudtrail() {
    let arn = "arn:aws:iam::111122223333:user/dev";
    let trail = format!(
        r#"{{"Records":[{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"{arn}","accountId":"111122223333","userName":"dev"}},"eventTime":"2026-01-01T02:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"AWS Internal","requestParameters":{{"userName":"backdoor"}},"responseElements":{{"user":{{"userName":"backdoor","arn":"arn:aws:iam::111122223333:user/backdoor"}}}},"eventID":"e1","eventType":"AwsApiCall","recipientAccountId":"111122223333"}}]}}"#
    );
    let invocation = format!(
        r#"{{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-01-01T03:00:00Z","accountId":"111122223333","identity":{{"arn":"{arn}"}},"region":"us-east-1","requestId":"r1","operation":"InvokeModel","modelId":"anthropic.claude-v2","input":{{"inputContentType":"application/json","inputTokenCount":16}},"output":{{"outputContentType":"application/json","outputTokenCount":300}}}}"#
    );
    let r = triage(
        &[
            Input::new("trail.json", trail.into_bytes()),
            Input::new("invocations.jsonl", invocation.into_bytes()),
        ],
        &Context::default(),
    );
    let mut providers: Vec<&str> = r
        .evidence
        .iter()
        .flat_map(|e| e.providers.iter().map(String::as_str))
        .collect();
    providers.sort();
    assert_eq!(providers, ["aws", "aws_bedrock"], "both read");
    let actors = actors_named(&r, "user/dev");
    assert_eq!(actors, [arn]);
}

/// The note of the indicator of a kind and value.
fn note<'r>(r: &'r Report, kind: &str, value: &str) -> &'r str {
    r.summary
        .iocs
        .iter()
        .find(|i| i.kind.as_str() == kind && i.value == value)
        .and_then(|i| i.note.as_deref())
        .unwrap_or_else(|| panic!("no {kind} indicator {value}"))
}

/// A key that opens buckets to others, hosts a website in one and deletes it: the deletion is
/// its own critical alert naming only the bucket a call that went through deleted; the bucket
/// opened and deleted since is not left to close; a refused `CreateUser` names no user.
#[test]
fn a_key_deleting_a_bucket_it_opened_is_destruction_and_leaves_nothing_to_close() {
    let text = include_str!("fixtures/evidence/cloudtrail/destroyed.json");
    let r = run("destroyed.json", text);
    let key = "AKIAEXAMPLE4D5E6F7G8";
    let archive = "s3_bucket example-archive-bucket";
    let public = "s3_bucket example-public-bucket";
    assert_eq!(
        under(&r, AlertKind::Destruction, key),
        [(Severity::Critical, vec![archive.to_string()])]
    );
    let destruction = r
        .detection
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::Destruction)
        .unwrap();
    assert_eq!(destruction.values, ["DeleteBucket ×2"]);
    assert!(
        destruction.sentence.contains("1 refused"),
        "{}",
        destruction.sentence
    );
    // The refused CreateUser made no user: only the buckets are named.
    assert_eq!(
        under(&r, AlertKind::Persistence, key),
        [(
            Severity::Critical,
            vec![archive.to_string(), public.to_string()]
        )]
    );
    let persistence = r
        .detection
        .alerts
        .iter()
        .find(|a| a.kind == AlertKind::Persistence)
        .unwrap();
    assert!(
        persistence.sentence.contains(&format!(
            "close what they opened to others: {public}. Deleted since (see the destruction alert): {archive}."
        )),
        "{}",
        persistence.sentence
    );
    assert_eq!(iocs(&r, "destroyed"), [archive]);
    assert!(note(&r, "destroyed", archive).contains("anyone may now create a bucket of that name"));
    assert!(note(&r, "created_access", archive).contains("then deleted: nothing is left to close"));
    assert!(note(&r, "created_access", public).starts_with("opened to others by"));
    // The revoke list closes the bucket still open and restores the one deleted.
    let closing: Vec<&str> = r
        .scope
        .revoke
        .iter()
        .map(|v| v.what.as_str())
        .filter(|w| w.starts_with("what the attacker created or opened"))
        .collect();
    assert_eq!(
        closing,
        [format!(
            "what the attacker created or opened with {key}: {public}"
        )]
    );
    assert!(r
        .scope
        .revoke
        .iter()
        .any(|v| v.what == format!("what {key} deleted: {archive}") && v.at.contains("backups")));
    assert!(
        r.summary
            .headline
            .starts_with("Abuse confirmed: calls that delete stored data or what holds it (A002)."),
        "{}",
        r.summary.headline
    );
    assert!(
        r.summary
            .headline
            .contains("1 item(s) of lasting access created or opened: remove or close each")
            && r.summary
                .headline
                .contains("1 item(s) of stored data deleted"),
        "{}",
        r.summary.headline
    );
    assert!(r
        .scope
        .data_exposure
        .reasons
        .iter()
        .any(|x| x.rule == "data.destruction"));
    assert_eq!(r.detection.timeline.phases.get("impact"), Some(&2));
}

/// Deletions every one of which was refused deleted nothing: a high alert naming what was
/// tried, but no indicator to restore and no blast-radius reason.
#[test]
fn deletions_all_refused_are_an_attempt_not_a_loss() {
    let text = include_str!("fixtures/evidence/cloudtrail/destroyed.json");
    let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let records = doc["Records"].as_array_mut().unwrap();
    records.retain(|r| r["eventName"] == "DeleteBucket");
    for r in records.iter_mut() {
        r["errorCode"] = "AccessDenied".into();
    }
    let r = run("refused.json", &doc.to_string());
    assert_eq!(
        under(&r, AlertKind::Destruction, "AKIAEXAMPLE4D5E6F7G8"),
        [(
            Severity::High,
            vec![
                "s3_bucket example-logs-bucket".to_string(),
                "s3_bucket example-archive-bucket".to_string()
            ]
        )]
    );
    let a = &r.detection.alerts[0];
    assert!(a.sentence.contains("tried to delete"), "{}", a.sentence);
    assert!(iocs(&r, "destroyed").is_empty());
    assert!(!r
        .scope
        .data_exposure
        .reasons
        .iter()
        .any(|x| x.rule == "data.destruction"));
    assert!(!r.scope.revoke.iter().any(|v| v.what.contains("deleted:")));
}

/// Deletions whose time was redacted stay out of the timeline, but the one that went through
/// is still an indicator of what was deleted; the refused one is not.
#[test]
fn an_undated_deletion_names_what_it_deleted_unless_it_was_refused() {
    let text = include_str!("fixtures/evidence/cloudtrail/destroyed.json");
    let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let records = doc["Records"].as_array_mut().unwrap();
    records.retain(|r| r["eventName"] == "DeleteBucket");
    for r in records.iter_mut() {
        r["eventTime"] = "REDACTED".into();
    }
    let r = run("undated.json", &doc.to_string());
    assert_eq!(r.detection.undated.len(), 2, "{:?}", r.detection.undated);
    assert_eq!(iocs(&r, "destroyed"), ["s3_bucket example-archive-bucket"]);
}

/// The real export of an attacker opening S3 buckets to everyone, hosting a website in them and
/// deleting them (Splunk's attack_data, with its provenance in tests/fixtures/real): the
/// deletions are a critical destruction alert naming the three buckets.
#[test]
fn the_real_bucket_deletion_export_is_destruction() {
    let r = run_real("splunk-cloudtrail-csv/attack-data-s3-bucket-deletion.csv");
    let buckets: Vec<String> = ["1739301225", "1739304161", "1739304249"]
        .iter()
        .map(|n| format!("s3_bucket test-open-bucket-{n}"))
        .collect();
    assert_eq!(
        under(&r, AlertKind::Destruction, "AKIAIOSFODNN7EXAMPLE"),
        [(Severity::Critical, buckets.clone())]
    );
    assert_eq!(iocs(&r, "destroyed"), buckets);
    // The bucket whose policy was refused was never opened.
    assert!(!created(&r).iter().any(|c| c.ends_with("1739301151")));
}

/// Fourteen days of a person's console session listing buckets at nine from one address, then
/// a bucket deleted in the console from `ip` at `hour`:30.
fn console_deletion(ip: &str, hour: u32) -> String {
    let record = |time: String, name: &str, ip: &str, bucket: Option<&str>| {
        let params = match bucket {
            Some(b) => format!(r#"{{"bucketName":"{b}"}}"#),
            None => "null".into(),
        };
        format!(
            r#"{{"eventVersion":"1.10","userIdentity":{{"type":"IAMUser","principalId":"AIDAEXAMPLEDEV000001","arn":"arn:aws:iam::111122223333:user/dev","accountId":"111122223333","accessKeyId":"ASIAEXAMPLECONSOLE01","userName":"dev","sessionContext":{{"attributes":{{"creationDate":"{time}","mfaAuthenticated":"true"}}}}}},"eventTime":"{time}","eventSource":"s3.amazonaws.com","eventName":"{name}","awsRegion":"eu-west-1","sourceIPAddress":"{ip}","userAgent":"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0","requestParameters":{params},"responseElements":null,"eventID":"{name}-{time}","eventType":"AwsApiCall","sessionCredentialFromConsole":"true","recipientAccountId":"111122223333"}}"#
        )
    };
    let mut rows: Vec<String> = (1..=14)
        .map(|d| {
            record(
                format!("2026-01-{d:02}T09:00:00Z"),
                "ListBuckets",
                "198.51.100.20",
                None,
            )
        })
        .collect();
    rows.push(record(
        format!("2026-01-15T{hour:02}:30:00Z"),
        "DeleteBucket",
        ip,
        Some("example-scratch-bucket"),
    ));
    format!("{{\"Records\":[{}]}}", rows.join(","))
}

/// A person deleting a bucket in the console from their usual address at their usual hour is
/// a change to confirm; from a new address or at night it is critical.
#[test]
fn a_console_deletion_as_usual_is_to_confirm_and_otherwise_critical() {
    for (ip, hour, want) in [
        ("198.51.100.20", 9, Severity::Low),
        ("203.0.113.66", 9, Severity::Critical),
        ("198.51.100.20", 3, Severity::Critical),
    ] {
        let r = run("trail.json", &console_deletion(ip, hour));
        let a = alerts(&r, AlertKind::Destruction);
        assert_eq!(
            a.iter().map(|a| (a.1, a.2.clone())).collect::<Vec<_>>(),
            [(want, vec!["s3_bucket example-scratch-bucket".to_string()])],
            "{ip} at {hour}:30"
        );
        // Deleted either way: the indicator names it; only the critical one rates the data.
        assert_eq!(iocs(&r, "destroyed"), ["s3_bucket example-scratch-bucket"]);
        let rated = r
            .scope
            .data_exposure
            .reasons
            .iter()
            .any(|x| x.rule == "data.destruction");
        assert_eq!(rated, want == Severity::Critical, "{ip} at {hour}:30");
    }
}

/// The real records of Stratus Red Team's detonations (their provenance in tests/fixtures/real):
/// a key made for an existing user names the key to remove, not the user; the AWS managed
/// `AdministratorAccess` attached to a new user is a grant to detach, not a policy to delete.
#[test]
fn the_real_iam_detonations_name_what_to_remove_and_what_to_detach() {
    let r = run_real("stratus-cloudtrail/aws.persistence.iam-backdoor-user.json");
    assert_eq!(
        alerts(&r, AlertKind::Persistence),
        [(
            "AKIA30BEZSJBVKOFKZW0".to_string(),
            Severity::Critical,
            vec!["access_key AKIAL80DWDVKKM0UXEER".to_string()]
        )]
    );
    let r = run_real("stratus-cloudtrail/aws.persistence.iam-create-admin-user.json");
    let grant = "attached_policy arn:aws:iam::aws:policy/AdministratorAccess to iam_user malicious-iam-user";
    assert_eq!(
        created(&r),
        [
            grant,
            "access_key AKIAXAFZN8JEPF6L682H",
            "iam_user malicious-iam-user"
        ]
    );
    assert!(note(&r, "created_access", grant).contains("detach it"));
    let a = &r.detection.alerts[0];
    assert!(
        a.sentence.contains("take back what they granted"),
        "{}",
        a.sentence
    );
}

/// A refused `CreateAccessKey` as a SIEM vendor's rule test keeps it (Panther's, with its
/// provenance in tests/fixtures/real): an attempt, high, nothing named to remove.
#[test]
fn the_rule_tests_refused_key_creation_is_an_attempt() {
    let r = run_real("panther-cloudtrail/aws-iam-user-key-created-limit-exceeded.json");
    let a = alerts_of(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::High);
    assert!(a[0].all_refused());
    assert!(created(&r).is_empty());
}

/// Every Stratus Red Team detonation kept in tests/fixtures/real (the CloudTrail records the
/// project published for each of its AWS attack techniques), and the alerts it raises: each
/// technique that leaves lasting access, reads stored secrets, shares data with another
/// account or hides activity is flagged; the others (discovery, execution and lateral
/// movement, which leave nothing behind to remove) raise nothing but the probes they are.
#[test]
fn every_real_detonation_raises_the_alerts_its_technique_calls_for() {
    use AlertKind::{
        CreatedAccessUsed, LoggingTampering as Tamper, Persistence, Recon, ValidationProbe as Probe,
    };
    use Severity::{Critical, High};
    const LASTING: &[(AlertKind, Severity)] = &[(Persistence, Critical)];
    // Secrets read raise the same alert, its step a rotation rather than a removal.
    const READ: &[(AlertKind, Severity)] = LASTING;
    const HIDDEN: &[(AlertKind, Severity)] = &[(Tamper, Critical)];
    const NONE: &[(AlertKind, Severity)] = &[];
    let expected: &[(&str, &[(AlertKind, Severity)])] = &[
        // Credential access: secrets and instance passwords read, rotated where kept.
        (
            "credential-access.ec2-get-password-data",
            &[(Probe, High), (Persistence, High)],
        ),
        ("credential-access.ec2-steal-instance-credentials", NONE),
        (
            "credential-access.secretsmanager-batch-retrieve-secrets",
            READ,
        ),
        ("credential-access.secretsmanager-retrieve-secrets", READ),
        // `GetParameters` with decryption: SecureString values read in clear.
        (
            "credential-access.ssm-retrieve-securestring-parameters",
            READ,
        ),
        // Defense evasion: trails, flow logs and DNS logs, and the organization left (refused
        // here: an attempt).
        ("defense-evasion.cloudtrail-delete", HIDDEN),
        ("defense-evasion.cloudtrail-event-selectors", HIDDEN),
        ("defense-evasion.cloudtrail-stop", HIDDEN),
        ("defense-evasion.dns-delete-logs", HIDDEN),
        ("defense-evasion.organizations-leave", &[(Tamper, High)]),
        ("defense-evasion.vpc-remove-flow-logs", HIDDEN),
        ("discovery.ec2-download-user-data", &[(Probe, High)]),
        ("execution.ec2-launch-unusual-instances", NONE),
        ("execution.ec2-user-data", NONE),
        ("execution.ssm-send-command", NONE),
        ("execution.ssm-start-session", NONE),
        // Exfiltration: a security group opened, snapshots and images shared.
        (
            "exfiltration.ec2-security-group-open-port-22-ingress",
            LASTING,
        ),
        ("exfiltration.ec2-share-ami", LASTING),
        ("exfiltration.ec2-share-ebs-snapshot", LASTING),
        ("exfiltration.rds-share-snapshot", LASTING),
        // Model access enabled from a script with the console's own calls, as LLMjacking
        // does before it invokes.
        ("impact.bedrock-invoke-model", &[(Recon, High)]),
        ("initial-access.console-login-without-mfa", NONE),
        ("lateral-movement.ec2-instance-connect", NONE),
        (
            "lateral-movement.ec2-serial-console-send-ssh-public-key",
            NONE,
        ),
        // Persistence: identities, keys, grants, functions, trust anchors, federation tokens.
        ("persistence.iam-backdoor-role", LASTING),
        ("persistence.iam-backdoor-user", LASTING),
        ("persistence.iam-create-admin-user", LASTING),
        ("persistence.iam-create-backdoor-role", LASTING),
        ("persistence.iam-create-user-login-profile", LASTING),
        ("persistence.lambda-backdoor-function", LASTING),
        ("persistence.lambda-layer-extension", LASTING),
        ("persistence.lambda-overwrite-code", LASTING),
        ("persistence.rolesanywhere-create-trust-anchor", LASTING),
        // The token handed out signs a call: the attacker's, under the token.
        (
            "persistence.sts-federation-token",
            &[(CreatedAccessUsed, Critical), (Persistence, Critical)],
        ),
        (
            "privilege-escalation.iam-update-user-login-profile",
            LASTING,
        ),
    ];
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/real/stratus-cloudtrail"
    );
    let kept: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".golden.json"))
        .collect();
    assert_eq!(kept.len(), expected.len(), "a detonation without its row");
    for (technique, want) in expected {
        let name = format!("aws.{technique}.json");
        let r = run_real(&format!("stratus-cloudtrail/{name}"));
        let mut got: Vec<(AlertKind, Severity)> = r
            .detection
            .alerts
            .iter()
            .map(|a| (a.kind, a.severity))
            .collect();
        got.sort_by_key(|g| format!("{g:?}"));
        let mut want = want.to_vec();
        want.sort_by_key(|g| format!("{g:?}"));
        assert_eq!(got, want, "{technique}");
    }
}

/// Secrets read with the key are rotated where they are kept, not removed: the alert says so,
/// its indicator is a `secret_read`, and the revocation list rotates them.
#[test]
fn secrets_read_with_a_leaked_key_are_to_rotate() {
    let r =
        run_real("stratus-cloudtrail/aws.credential-access.secretsmanager-retrieve-secrets.json");
    let a = &r.detection.alerts[0];
    assert!(a.read_secrets());
    assert!(
        a.sentence.contains("read stored secrets")
            && a.sentence
                .contains("Rotate every secret, password and key read (GetSecretValue)"),
        "{}",
        a.sentence
    );
    assert!(!a.sentence.contains("remove"), "{}", a.sentence);
    // Each secret read is named by the id its call gave, to rotate.
    let read = iocs(&r, "secret_read");
    assert_eq!(read.len(), 20, "{read:?}");
    assert!(
        read.iter().all(|v| v.starts_with(
            "secretsmanager_secret arn:aws:secretsmanager:cn-centraleast-1r:903144391865:secret:stratus-red-team-retrieve-secret-"
        )),
        "{read:?}"
    );
    let step = revoke_steps(&r, "revoke.secrets_read");
    assert!(
        step.len() == 1
            && step[0].what.contains(&read[0])
            && step[0].what.contains("(by GetSecretValue ×20)"),
        "{step:?}"
    );
    assert!(created(&r).is_empty());
    let rules: Vec<&str> = r.scope.revoke.iter().map(|x| x.why.rule.as_str()).collect();
    assert!(rules.contains(&"revoke.secrets_read"), "{rules:?}");
    assert!(!rules.contains(&"revoke.persistence"), "{rules:?}");
    assert!(r.summary.headline.contains("read stored secrets"));
    assert!(
        r.summary.abuse.reasons[0].contains("read stored secrets"),
        "{:?}",
        r.summary.abuse.reasons
    );
}

/// Bedrock's console-only calls (model access and agreements) made with a console session's
/// temporary credentials are the console at work; the same calls with temporary credentials
/// from a script are someone enabling models by hand, as LLMjacking does.
#[test]
fn console_only_bedrock_calls_from_a_script_are_recon_and_from_the_console_are_not() {
    let record = |name: &str, console: bool| {
        let (ua, from_console) = if console {
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                r#","sessionCredentialFromConsole":"true""#,
            )
        } else {
            ("Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux", "")
        };
        format!(
            r#"{{"eventVersion":"1.09","userIdentity":{{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/ops/dev","accountId":"111122223333","accessKeyId":"ASIAEXAMPLEBEDROCK01"}},"eventTime":"2026-03-02T10:00:00Z","eventSource":"bedrock.amazonaws.com","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userAgent":"{ua}","requestParameters":null,"responseElements":null,"eventID":"{name}-{console}","eventType":"AwsApiCall","recipientAccountId":"111122223333"{from_console}}}"#
        )
    };
    for console in [true, false] {
        let records: Vec<String> = [
            "ListFoundationModelAgreementOffers",
            "CreateFoundationModelAgreement",
            "PutUseCaseForModelAccess",
        ]
        .iter()
        .map(|n| record(n, console))
        .collect();
        let r = run(
            "trail.json",
            &format!(r#"{{"Records":[{}]}}"#, records.join(",")),
        );
        let recon = alerts(&r, AlertKind::Recon);
        if console {
            assert!(recon.is_empty(), "{recon:?}");
        } else {
            assert_eq!(recon.len(), 1);
            assert_eq!(recon[0].1, Severity::High);
            let a = &r.detection.alerts[0];
            assert!(
                a.severity_reason
                    .contains("programmatic credentials, not a console session"),
                "{}",
                a.severity_reason
            );
        }
    }
}

/// A federation token outlives the key that asked for it: the real detonation's token is named
/// by its key id, and the responder is told to deny its user rather than only delete the key.
#[test]
fn a_federation_token_is_named_and_its_user_denied() {
    let r = run_real("stratus-cloudtrail/aws.persistence.sts-federation-token.json");
    let token = "federation_token ASIASTJKC5GCM7ZE6LUP";
    assert_eq!(created(&r), [token]);
    assert!(note(&r, "created_access", token).contains("does not revoke it"));
    let a = &r.detection.alerts[0];
    assert!(
        a.sentence
            .contains("deny the user that asked for a federation token"),
        "{}",
        a.sentence
    );
}

/// A secrets read whose time was redacted is still told apart from lasting access: its
/// indicator is a `secret_read` (to rotate), and its undated record says what the call does.
#[test]
fn an_undated_secrets_read_is_to_rotate() {
    let mut doc: serde_json::Value = serde_json::from_str(&real(
        "stratus-cloudtrail/aws.credential-access.secretsmanager-retrieve-secrets.json",
    ))
    .unwrap();
    for r in doc.as_array_mut().unwrap() {
        r["eventTime"] = "REDACTED".into();
    }
    let r = run("undated.json", &doc.to_string());
    assert!(r.detection.alerts.is_empty());
    let reads: Vec<_> = r
        .detection
        .undated
        .iter()
        .filter(|u| u.catalog == Some("secret_read"))
        .collect();
    assert_eq!(reads.len(), 20);
    // Each secret named by its call, to rotate.
    let read = iocs(&r, "secret_read");
    assert_eq!(read.len(), 20, "{read:?}");
    assert!(read[0].starts_with("secretsmanager_secret arn:aws:secretsmanager:"));
    assert!(note(&r, "secret_read", &read[0]).contains("rotate what it read"));
    assert!(created(&r).is_empty());
}

/// AWS's own CloudTrail examples of a KMS key disabled and scheduled for deletion (single-Region,
/// multi-Region, in a custom key store): each a destruction alert naming the key, whose
/// sentence, indicator and step say to cancel the deletion and enable the key before the
/// waiting period ends, not to restore from a copy.
#[test]
fn a_kms_key_disabled_or_scheduled_for_deletion_is_to_be_saved_before_its_date() {
    let samples = [
        (
            "cloudtrail-kms/awsdocs-schedule-key-deletion.json",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
        (
            "cloudtrail-kms/awsdocs-schedule-key-deletion-multi-region.json",
            "mrk-1234abcd12ab34cd56ef1234567890ab",
        ),
        (
            "cloudtrail-kms/awsdocs-schedule-key-deletion-custom-key-store.json",
            "arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
        ),
        (
            "cloudtrail-kms/awsdocs-disable-key.json",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
    ];
    for (name, key) in samples {
        let r = run_real(name);
        let a = alerts_of(&r, AlertKind::Destruction);
        assert_eq!(a.len(), 1, "{name}");
        assert_eq!(a[0].severity, Severity::Critical, "{name}");
        assert_eq!(a[0].targets, [format!("kms_key {key}")], "{name}");
        assert_eq!(a[0].kms_keys(), (true, true), "{name}");
        assert!(
            a[0].sentence
                .contains("disabled a KMS key or scheduled its deletion")
                && a[0]
                    .sentence
                    .contains("cancel its deletion (CancelKeyDeletion)")
                && !a[0].sentence.contains("gone unless a copy exists"),
            "{name}: {}",
            a[0].sentence
        );
        assert_eq!(iocs(&r, "destroyed"), [format!("kms_key {key}")], "{name}");
        let ioc = r
            .summary
            .iocs
            .iter()
            .find(|i| i.kind.as_str() == "destroyed");
        assert!(
            ioc.is_some_and(|i| i.note.as_deref().unwrap_or("").contains("EnableKey")),
            "{name}: {ioc:?}"
        );
        let steps = revoke_steps(&r, "revoke.destruction");
        assert_eq!(steps.len(), 1, "{name}");
        assert!(
            steps[0].at.contains("aws kms cancel-key-deletion")
                && !steps[0].at.contains("snapshots"),
            "{name}: {}",
            steps[0].at
        );
    }
}

/// A KMS key's deletion beside a database's (a call whose record names no target): both
/// steps, the copy for the database and the cancellation for the key.
#[test]
fn a_kms_key_deleted_beside_a_database_gets_both_steps() {
    let record = |name: &str, source: &str, params: &str| {
        format!(
            r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/ci","accountId":"111122223333","accessKeyId":"AKIAEXAMPLELEAKED001","userName":"ci"}},"eventTime":"2026-01-01T03:00:00Z","eventSource":"{source}","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2.15.0","requestParameters":{params},"responseElements":null,"eventID":"{name}","eventType":"AwsApiCall","recipientAccountId":"111122223333"}}"#
        )
    };
    let trail = format!(
        r#"{{"Records":[{},{}]}}"#,
        record(
            "ScheduleKeyDeletion",
            "kms.amazonaws.com",
            r#"{"keyId":"alias/backups","pendingWindowInDays":7}"#
        ),
        record(
            "DeleteDBInstance",
            "rds.amazonaws.com",
            r#"{"dBInstanceIdentifier":"orders","skipFinalSnapshot":true}"#
        ),
    );
    let r = run("trail.json", &trail);
    let a = alerts_of(&r, AlertKind::Destruction);
    assert_eq!(a.len(), 1, "{a:?}");
    assert!(
        a[0].sentence.contains("gone unless a copy exists")
            && a[0].sentence.contains("CancelKeyDeletion"),
        "{}",
        a[0].sentence
    );
    let steps = revoke_steps(&r, "revoke.destruction");
    let step = steps.first().map(|x| x.at.as_str()).unwrap_or_default();
    assert!(
        step.contains("snapshots") && step.contains("for each KMS key"),
        "{step}"
    );
}

/// SSM Parameter Store reads are stored secrets read only with `withDecryption`: the rule
/// tests' records (one `GetParameter` naming its parameter, two `GetParameters` naming theirs
/// with decryption, one without) raise a secrets read to rotate, each parameter read in clear
/// named; the real detonation's records without the flag raise nothing.
#[test]
fn ssm_parameters_read_with_decryption_are_secrets_to_rotate_and_without_it_are_not() {
    let r = run_real("cloudtrail-ssm/panther-decrypt-ssm-params.jsonl");
    let a = alerts_of(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].severity, Severity::Critical);
    assert!(a[0].read_secrets(), "{:?}", a[0].numbers);
    assert_eq!(a[0].values, ["GetParameters ×2", "GetParameter ×1"]);
    // The one `GetParameter`'s, and the eleven of the longer `GetParameters` list (the other
    // names five of the same).
    let named = |n: &[u32]| -> Vec<String> {
        n.iter()
            .map(|i| format!("ssm_parameter /credentials/stratus-red-team/credentials-{i}"))
            .collect()
    };
    let mut want = named(&[10, 11, 12, 15, 24, 25, 30, 31, 32, 36, 40, 41]);
    want.sort();
    let mut got = a[0].targets.clone();
    got.sort();
    assert_eq!(got, want);
    let parameter = "ssm_parameter /credentials/stratus-red-team/credentials-25";
    assert!(
        a[0].sentence.contains("read stored secrets"),
        "{}",
        a[0].sentence
    );
    let mut read = iocs(&r, "secret_read");
    read.sort();
    assert_eq!(read, want);
    let step: Vec<&str> = revoke_steps(&r, "revoke.secrets_read")
        .iter()
        .map(|x| x.what.as_str())
        .collect();
    assert_eq!(step.len(), 1);
    assert!(
        step[0].contains(parameter) && step[0].contains("(by GetParameters ×2, GetParameter ×1)"),
        "{step:?}"
    );
    // The detonation's own records, asked without decryption: configuration reads.
    let records =
        real("stratus-cloudtrail/aws.credential-access.ssm-retrieve-securestring-parameters.json");
    assert_eq!(records.matches("\"withDecryption\": true").count(), 5);
    let plain = records.replace("\"withDecryption\": true", "\"withDecryption\": false");
    let r = run("plain.json", &plain);
    assert!(alerts_of(&r, AlertKind::Persistence).is_empty());
    assert!(iocs(&r, "secret_read").is_empty());
}

/// The real detonation's `GetPasswordData` calls, every one refused: an attempt to read the
/// instances' administrator passwords, each instance named, and nothing read.
#[test]
fn refused_password_reads_are_an_attempt_to_read_naming_the_instances() {
    let r = run_real("stratus-cloudtrail/aws.credential-access.ec2-get-password-data.json");
    // The same refused calls are a probe of what the key may do: that alert names nothing.
    let probes = alerts_of(&r, AlertKind::ValidationProbe);
    assert_eq!(probes.len(), 1, "{probes:?}");
    assert!(probes[0].targets.is_empty(), "{:?}", probes[0].targets);
    let a = alerts_of(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert!(a[0].all_refused());
    assert!(
        a[0].sentence
            .contains("tried to read stored secrets, passwords or keys")
            && a[0].sentence.contains("nothing was read by them")
            && !a[0].sentence.contains("created"),
        "{}",
        a[0].sentence
    );
    assert!(
        !a[0].targets.is_empty()
            && a[0]
                .targets
                .iter()
                .all(|t| t.starts_with("instance_password i-")),
        "{:?}",
        a[0].targets
    );
}

/// The real detonations of a snapshot and an image shared with another account.
const SHARES: [(&str, &str); 3] = [
    (
        "stratus-cloudtrail/aws.exfiltration.ec2-share-ebs-snapshot.json",
        "share ebs_snapshot snap-041993b54a9b3af6f with 098797384747",
    ),
    (
        "stratus-cloudtrail/aws.exfiltration.ec2-share-ami.json",
        "share ami ami-de1fbCab6ccB03e6D with 846424999548",
    ),
    (
        "stratus-cloudtrail/aws.exfiltration.rds-share-snapshot.json",
        "share rds_snapshot exfiltration with 503161813013",
    ),
];

#[test]
fn a_snapshot_or_image_shared_with_another_account_names_it_and_how_to_take_it_back() {
    for (path, share) in SHARES {
        let r = run_real(path);
        let a = alerts_of(&r, AlertKind::Persistence);
        assert_eq!(a.len(), 1, "{path}: {a:?}");
        assert_eq!(a[0].targets, [share], "{path}");
        assert!(
            a[0].sentence
                .contains("Take back what they shared with other accounts")
                && a[0].sentence.contains(share),
            "{path}: {}",
            a[0].sentence
        );
        assert_eq!(created(&r), [share], "{path}");
        assert!(
            note(&r, "created_access", share).contains("take it back"),
            "{path}"
        );
        let steps = revoke_steps(&r, "revoke.persistence");
        assert_eq!(steps.len(), 1, "{path}");
        assert!(
            steps[0].what.contains(share)
                && steps[0].at.contains("--operation-type remove")
                && steps[0].at.contains("--values-to-remove")
                && !steps[0].at.contains("identity console"),
            "{path}: {:?}",
            steps[0]
        );
    }
}

#[test]
fn a_share_only_taken_back_gives_nothing_and_a_public_one_says_so() {
    // The same real records, their requests changed: the accounts removed, not added.
    let taken_back = [
        ("\"add\":", "\"remove\":"),
        ("\"add\":", "\"remove\":"),
        ("\"valuesToAdd\":", "\"valuesToRemove\":"),
    ];
    for ((path, _), (from, to)) in SHARES.iter().zip(taken_back) {
        let text = real(path);
        assert!(text.contains(from), "{path}");
        let r = run(path, &text.replace(from, to));
        assert!(alerts_of(&r, AlertKind::Persistence).is_empty(), "{path}");
        assert!(created(&r).is_empty(), "{path}");
    }
    // Shared with grantees written in a form not read (an account id as a number, a key of
    // another name): still shared, and said so.
    let (path, _) = SHARES[0];
    for (from, to) in [
        ("\"userId\": \"098797384747\"", "\"userId\": 98797384747"),
        ("\"userId\": \"098797384747\"", "\"groups\": \"all\""),
    ] {
        let text = real(path).replace(from, to);
        let r = run(path, &text);
        assert_eq!(
            alerts(&r, AlertKind::Persistence)[0].2,
            ["share ebs_snapshot snap-041993b54a9b3af6f with 1 grantee(s) not read"],
            "{to}"
        );
    }
    // Shared with everyone: public.
    let text = real(path).replace("\"userId\": \"098797384747\"", "\"group\": \"all\"");
    let r = run(path, &text);
    assert_eq!(
        alerts(&r, AlertKind::Persistence)[0].2,
        ["share ebs_snapshot snap-041993b54a9b3af6f with all (public)"]
    );
}

#[test]
fn a_share_is_named_alike_from_a_trail_and_from_lookup_events() {
    for (path, share) in SHARES {
        let records: Vec<serde_json::Value> = serde_json::from_str(&real(path)).unwrap();
        let trail = serde_json::json!({ "Records": records }).to_string();
        let lookup = serde_json::json!({
            "Events": records
                .iter()
                .map(|r| serde_json::json!({
                    "EventId": r["eventID"],
                    "EventName": r["eventName"],
                    "CloudTrailEvent": r.to_string(),
                }))
                .collect::<Vec<_>>()
        })
        .to_string();
        for (name, text) in [("trail.json", trail), ("lookup-events.json", lookup)] {
            let r = run(name, &text);
            assert_eq!(
                alerts(&r, AlertKind::Persistence)
                    .into_iter()
                    .flat_map(|a| a.2)
                    .collect::<Vec<_>>(),
                [share],
                "{path} as {name}"
            );
        }
    }
}

/// The real detonation reads its 42 parameters with `GetParameters`, ten or so a call: each is
/// named to rotate, from the trail as from `lookup-events`.
#[test]
fn every_parameter_a_get_parameters_call_read_in_clear_is_named() {
    let path = "stratus-cloudtrail/aws.credential-access.ssm-retrieve-securestring-parameters.json";
    let records: Vec<serde_json::Value> = serde_json::from_str(&real(path)).unwrap();
    let mut want: Vec<String> = records
        .iter()
        .filter(|r| r["eventName"] == "GetParameters")
        .flat_map(|r| r["requestParameters"]["names"].as_array().unwrap().clone())
        .map(|n| format!("ssm_parameter {}", n.as_str().unwrap()))
        .collect();
    want.sort();
    want.dedup();
    assert_eq!(want.len(), 42);
    let lookup = serde_json::json!({
        "Events": records
            .iter()
            .map(|r| serde_json::json!({"EventId": r["eventID"], "CloudTrailEvent": r.to_string()}))
            .collect::<Vec<_>>()
    })
    .to_string();
    for r in [run_real(path), run("lookup-events.json", &lookup)] {
        let a = alerts_of(&r, AlertKind::Persistence);
        assert_eq!(a.len(), 1, "{a:?}");
        let mut got = a[0].targets.clone();
        got.sort();
        assert_eq!(got, want);
    }
}

/// `BatchGetSecretValue` naming its secrets (`secretIdList`, as the Secrets Manager API
/// Reference gives the request; the real detonation asks by a tag filter instead, and names
/// none): each secret is named to rotate.
#[test]
fn a_batch_of_secrets_read_by_their_ids_names_each() {
    let record = serde_json::json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/ci",
            "accountId": "111122223333", "accessKeyId": "AKIAIOSFODNN7EXAMPLE", "userName": "ci"},
        "eventTime": "2026-03-02T10:00:00Z",
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "BatchGetSecretValue",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"secretIdList": ["prod/db", "arn:aws:secretsmanager:us-east-1:111122223333:secret:stripe-AbCdEf", ""]},
        "responseElements": null,
        "eventID": "7a1d5e2c-0000-4000-8000-000000000001",
        "recipientAccountId": "111122223333"
    });
    let r = run(
        "trail.json",
        &serde_json::json!({"Records": [record]}).to_string(),
    );
    let a = alerts_of(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(
        a[0].targets,
        [
            "secretsmanager_secret prod/db",
            "secretsmanager_secret arn:aws:secretsmanager:us-east-1:111122223333:secret:stripe-AbCdEf"
        ]
    );
}

/// The real detonation: a key hands out a federation token, and the token's key id signs a
/// call a second later. The token's calls are the attacker's: an alert of their own, filed
/// under the token, and the token an abused key to revoke.
#[test]
fn a_federation_token_handed_out_and_used_is_the_attackers() {
    let path = "stratus-cloudtrail/aws.persistence.sts-federation-token.json";
    let r = run_real(path);
    let used = alerts_of(&r, AlertKind::CreatedAccessUsed);
    assert_eq!(used.len(), 1, "{used:?}");
    assert_eq!(used[0].key, "ASIASTJKC5GCM7ZE6LUP");
    assert_eq!(used[0].severity, Severity::Critical);
    assert_eq!(used[0].values, ["GetCallerIdentity ×1"]);
    assert!(
        used[0].sentence.contains(
            "made by key AKIA6V1GNZTT65XQH36M (GetFederationToken, 2024-11-30 08:43 UTC)"
        ),
        "{}",
        used[0].sentence
    );
    assert!(
        r.summary
            .abuse
            .reasons
            .iter()
            .any(|x| x.starts_with("credentials the key's calls made, used since")),
        "{:?}",
        r.summary.abuse.reasons
    );
    assert!(iocs(&r, "abused_key").contains(&"ASIASTJKC5GCM7ZE6LUP".to_string()));
    // Its revoke step ends a federation token, not a role's session.
    let token = revoke_steps(&r, "revoke.credential")
        .into_iter()
        .find(|x| x.what.starts_with("ASIASTJKC5GCM7ZE6LUP"))
        .expect("the token's revoke step");
    assert!(
        token
            .at
            .contains("deny the IAM user that asked for it every action")
            && !token.at.contains("role's active sessions"),
        "{}",
        token.at
    );
    // Without the record that handed it out, the token's call is linked to nothing.
    let records: Vec<serde_json::Value> = serde_json::from_str(&real(path)).unwrap();
    let alone: Vec<&serde_json::Value> = records
        .iter()
        .filter(|x| x["eventName"] != "GetFederationToken")
        .collect();
    let r = run("alone.json", &serde_json::to_string(&alone).unwrap());
    assert!(alerts_of(&r, AlertKind::CreatedAccessUsed).is_empty());
}

/// The records that use what the leaked admin key made: the new user signing in to the
/// console, and the new access key listing buckets, each after it was made (`ConsoleLogin` as
/// AWS's "AWS console sign-in events" documents it: the user's ARN, no access key).
fn created_access_used(at: &str) -> String {
    let trail = leaked_admin_trail(&[]);
    let login = format!(
        r#"{{"eventVersion":"1.09","userIdentity":{{"type":"IAMUser","principalId":"AIDAEXAMPLEBACKUP01","arn":"arn:aws:iam::111122223333:user/backup-admin","accountId":"111122223333","userName":"backup-admin"}},"eventTime":"{at}","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0","requestParameters":null,"responseElements":{{"ConsoleLogin":"Success"}},"additionalEventData":{{"MFAUsed":"No"}},"eventID":"login-1"}}"#
    );
    let list = format!(
        r#"{{"eventVersion":"1.09","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/backup-admin","accountId":"111122223333","accessKeyId":"AKIAEXAMPLENEWKEY01","userName":"backup-admin"}},"eventTime":"{at}","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"aws-cli/2.15.0","requestParameters":null,"responseElements":null,"eventID":"list-1"}}"#
    );
    trail.replacen("]}", &format!(",{login},{list}]}}"), 1)
}

#[test]
fn a_console_login_and_a_key_the_leaked_key_made_are_the_attackers_once_used() {
    let r = run("trail.json", &created_access_used("2026-01-01T04:00:00Z"));
    let mut used: Vec<(String, Severity, String)> = alerts_of(&r, AlertKind::CreatedAccessUsed)
        .into_iter()
        .map(|a| (a.key.clone(), a.severity, a.sentence.clone()))
        .collect();
    used.sort();
    assert_eq!(used.len(), 2, "{used:?}");
    assert_eq!(used[0].0, "AKIAEXAMPLENEWKEY01");
    assert!(used[0]
        .2
        .contains("made by key AKIAEXAMPLELEAKED001 (CreateAccessKey"));
    assert_eq!(used[1].0, "arn:aws:iam::111122223333:user/backup-admin");
    assert!(
        used[1].2.starts_with("User backup-admin's console login, made by key AKIAEXAMPLELEAKED001 (CreateLoginProfile")
            && used[1].2.contains("ConsoleLogin ×1 from 198.51.100.23"),
        "{}",
        used[1].2
    );
    assert!(used.iter().all(|u| u.1 == Severity::Critical));
    // The sign-in asked for no second factor (`MFAUsed: "No"`): the alert says so; one that
    // did, or a record that does not say, is not told.
    assert!(
        used[1]
            .2
            .contains("(1 sign-in(s) without MFA: the password alone let them in)"),
        "{}",
        used[1].2
    );
    for mfa in [
        r#""MFAUsed":"Yes""#,
        r#""LoginTo":"https://console.aws.amazon.com""#,
    ] {
        let with = created_access_used("2026-01-01T04:00:00Z").replace(r#""MFAUsed":"No""#, mfa);
        let r = run("trail.json", &with);
        let used = alerts_of(&r, AlertKind::CreatedAccessUsed);
        assert_eq!(used.len(), 2, "{used:?}");
        assert!(used.iter().all(|a| !a.sentence.contains("MFA")), "{mfa}");
    }
    // A sign-in that failed (no error code, only its message, as CloudTrail records it) did
    // not use the login: only the key's call is left.
    let failed = created_access_used("2026-01-01T04:00:00Z").replace(
        r#""responseElements":{"ConsoleLogin":"Success"}"#,
        r#""responseElements":{"ConsoleLogin":"Failure"},"errorMessage":"Failed authentication""#,
    );
    let r = run("trail.json", &failed);
    let used = alerts_of(&r, AlertKind::CreatedAccessUsed);
    assert_eq!(used.len(), 1, "{used:?}");
    assert_eq!(used[0].key, "AKIAEXAMPLENEWKEY01");
    // The same user name signing in to another account of an organization's trail: another
    // user, not the login the leaked key made.
    let elsewhere = created_access_used("2026-01-01T04:00:00Z").replace(
        "arn:aws:iam::111122223333:user/backup-admin\",\"accountId\":\"111122223333\",\"userName\":\"backup-admin\"},\"eventTime\"",
        "arn:aws:iam::444455556666:user/backup-admin\",\"accountId\":\"444455556666\",\"userName\":\"backup-admin\"},\"eventTime\"",
    );
    let r = run("trail.json", &elsewhere);
    let used = alerts_of(&r, AlertKind::CreatedAccessUsed);
    assert_eq!(used.len(), 1, "{used:?}");
    assert_eq!(used[0].key, "AKIAEXAMPLENEWKEY01");
    // Used before they were made: someone else's, not what the leaked key made.
    let r = run("trail.json", &created_access_used("2026-01-01T02:00:00Z"));
    assert!(alerts_of(&r, AlertKind::CreatedAccessUsed).is_empty());
    // Made by calls that were refused: nothing was made, so nothing made was used.
    let refused = created_access_used("2026-01-01T04:00:00Z").replace(
        r#""responseElements":{"accessKey""#,
        r#""errorCode":"AccessDenied","responseElements":{"accessKey""#,
    );
    let r = run("trail.json", &refused);
    let used = alerts_of(&r, AlertKind::CreatedAccessUsed);
    assert_eq!(used.len(), 1, "{used:?}");
    assert_eq!(used[0].key, "arn:aws:iam::111122223333:user/backup-admin");
}

/// Whether a console sign-in asked for a second factor is read from the real records that
/// say it, by every reader: a trail file (the Stratus Red Team detonation of a sign-in without
/// MFA) and the AWS CLI's lookup-events output.
#[test]
fn a_console_sign_in_says_whether_it_asked_for_a_second_factor() {
    for path in [
        "stratus-cloudtrail/aws.initial-access.console-login-without-mfa.json",
        "cloudtrail-lookup-events/aws-cli-lookup-events-consolelogin.json",
    ] {
        let input = Input::new(path, real(path));
        let (_, events) = leaktriage::evidence::read_all(&[input], &Default::default());
        let logins: Vec<_> = events
            .iter()
            .filter(|e| e.operation.as_deref() == Some("ConsoleLogin"))
            .collect();
        assert_eq!(logins.len(), 1, "{path}");
        let mfa = logins[0].extras.get(leaktriage::evidence::event::MFA_USED);
        assert_eq!(mfa.map(String::as_str), Some("No"), "{path}");
        // Only a sign-in carries it.
        assert!(events
            .iter()
            .filter(|e| e.operation.as_deref() != Some("ConsoleLogin"))
            .all(|e| !e.extras.contains_key(leaktriage::evidence::event::MFA_USED)));
    }
}

/// A key that reads its configuration from SSM every day without decryption, then reads
/// parameters in clear: the decrypting reads are secrets read, not learned as usual by a
/// baseline of everyday reads; a key that decrypted every day has them learned.
fn daily_parameter_reads(decrypt_in_baseline: bool) -> String {
    let rec = |day: u32, decrypt: bool| {
        format!(
            r#"{{"eventVersion":"1.09","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/app","accountId":"111122223333","accessKeyId":"AKIAEXAMPLEAPPKEY001","userName":"app"}},"eventTime":"2026-02-{day:02}T09:00:00Z","eventSource":"ssm.amazonaws.com","eventName":"GetParameters","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.10","userAgent":"aws-sdk-java/2.25.0","requestParameters":{{"names":["/app/config/db-host","/app/config/db-password"],"withDecryption":{decrypt}}},"responseElements":null,"eventID":"read-{day}"}}"#
        )
    };
    let mut records: Vec<String> = (1..=26).map(|d| rec(d, decrypt_in_baseline)).collect();
    records.push(rec(27, true));
    format!("{{\"Records\":[{}]}}", records.join(","))
}

#[test]
fn decrypting_reads_after_a_baseline_of_plain_reads_are_secrets_read() {
    let r = run("trail.json", &daily_parameter_reads(false));
    let a = alerts_of(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert!(a[0].read_secrets());
    assert_eq!(a[0].values, ["GetParameters ×1"]);
    assert_eq!(
        a[0].targets,
        [
            "ssm_parameter /app/config/db-host",
            "ssm_parameter /app/config/db-password"
        ]
    );
    // Decrypting every day: the key's usual work, learned (at most a low alert to confirm what
    // the reference window read).
    let r = run("trail.json", &daily_parameter_reads(true));
    let a = alerts_of(&r, AlertKind::Persistence);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].severity, Severity::Low);
}
