//! A focused run: the events of the leaked key, of the identity behind it and of what it
//! created are kept and analysed; every other event is counted and set aside. What the report
//! says about the focused credentials is what the whole run says about them.
//!
//! The trail follows AWS CloudTrail "CloudTrail record contents" with IAM `CreateUser`,
//! `CreateAccessKey`, `AttachUserPolicy` and `DeleteAccessKey` and Bedrock `InvokeModel`; the
//! identifiers are made up for the test.

mod common;

use leaktriage::detect::AlertKind;
use leaktriage::{triage, Context, Input, Report};
use std::fmt::Write;

const LEAKED: &str = "AKIAFOCUSLEAKED00001";
const BACKDOOR: &str = "AKIAFOCUSBACKDOOR002";

#[allow(clippy::too_many_arguments)]
fn record(
    out: &mut String,
    t: i64,
    id: usize,
    key: &str,
    user: &str,
    source: &str,
    name: &str,
    params: &str,
    response: &str,
) {
    let time = chrono::DateTime::from_timestamp(t, 0).unwrap();
    if !out.ends_with('[') {
        out.push(',');
    }
    let _ = write!(
        out,
        r#"{{"eventVersion":"1.10","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/{user}","accountId":"111122223333","accessKeyId":"{key}","userName":"{user}"}},"eventTime":"{}","eventSource":"{source}","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"{}","userAgent":"{}","requestParameters":{params},"responseElements":{response},"eventID":"focus-{id:08}","eventType":"AwsApiCall","recipientAccountId":"111122223333"}}"#,
        time.format("%Y-%m-%dT%H:%M:%SZ"),
        if user == "ci-deploy" || user == "backdoor" && name == "InvokeModel" {
            "198.51.100.77"
        } else {
            "203.0.113.10"
        },
        if name == "InvokeModel" && user != "svc" {
            "python-requests/2.31"
        } else {
            "Boto3/1.35.4"
        }
    );
}

/// Two weeks of steady Bedrock use by 40 service keys, and in the last days the leaked CI key
/// listing, creating a user with a key of its own and admin rights, that key invoking models
/// in bulk, and an administrator deleting the leaked key.
fn trail() -> Vec<Input> {
    let start = 1_780_000_000i64;
    let mut files = Vec::new();
    let mut id = 0;
    for day in 0..14 {
        let mut t = String::from(r#"{"Records":["#);
        for h in 0..24 {
            for k in 0..40 {
                let at = start + day * 86_400 + h * 3600 + k * 60;
                let key = format!("AKIAFOCUSSERVICE{k:04}");
                record(
                    &mut t,
                    at,
                    id,
                    &key,
                    "svc",
                    "bedrock.amazonaws.com",
                    "InvokeModel",
                    r#"{"modelId":"anthropic.claude-3-5-sonnet-20240620-v1:0"}"#,
                    "null",
                );
                id += 1;
            }
            // The CI key's quiet baseline: one call an hour.
            let at = start + day * 86_400 + h * 3600 + 1800;
            record(
                &mut t,
                at,
                id,
                LEAKED,
                "ci-deploy",
                "bedrock.amazonaws.com",
                "ListFoundationModels",
                "{}",
                "null",
            );
            id += 1;
        }
        if day == 12 {
            let at = start + day * 86_400 + 20 * 3600;
            for (i, (source, name, params, response)) in [
                ("iam.amazonaws.com", "ListUsers", "{}", "null".to_string()),
                (
                    "iam.amazonaws.com",
                    "CreateUser",
                    r#"{"userName":"backdoor"}"#,
                    r#"{"user":{"userName":"backdoor","arn":"arn:aws:iam::111122223333:user/backdoor"}}"#.to_string(),
                ),
                (
                    "iam.amazonaws.com",
                    "CreateAccessKey",
                    r#"{"userName":"backdoor"}"#,
                    format!(r#"{{"accessKey":{{"accessKeyId":"{BACKDOOR}","userName":"backdoor","status":"Active"}}}}"#),
                ),
                (
                    "iam.amazonaws.com",
                    "AttachUserPolicy",
                    r#"{"userName":"backdoor","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#,
                    "null".to_string(),
                ),
            ]
            .into_iter()
            .enumerate()
            {
                record(
                    &mut t,
                    at + i as i64 * 30,
                    id,
                    LEAKED,
                    "ci-deploy",
                    source,
                    name,
                    params,
                    &response,
                );
                id += 1;
            }
            for i in 0..600 {
                record(
                    &mut t,
                    at + 600 + i * 6,
                    id,
                    BACKDOOR,
                    "backdoor",
                    "bedrock.amazonaws.com",
                    "InvokeModel",
                    r#"{"modelId":"anthropic.claude-3-opus-20240229-v1:0"}"#,
                    "null",
                );
                id += 1;
            }
        }
        if day == 13 {
            record(
                &mut t,
                start + day * 86_400 + 9 * 3600,
                id,
                "AKIAFOCUSADMIN000003",
                "admin",
                "iam.amazonaws.com",
                "DeleteAccessKey",
                &format!(r#"{{"userName":"ci-deploy","accessKeyId":"{LEAKED}"}}"#),
                "null",
            );
            id += 1;
        }
        t.push_str("]}");
        files.push(Input::new(format!("trail-{day:02}.json"), t.into_bytes()));
    }
    files
}

fn focused_on(names: &[&str]) -> Context {
    Context {
        focus: names.iter().map(|n| n.to_string()).collect(),
        ..Context::default()
    }
}

/// The alerts filed under the focused credentials, as (kind, key, targets).
fn alerts_of(r: &Report, keys: &[&str]) -> Vec<(AlertKind, String, Vec<String>)> {
    let mut a: Vec<_> = r
        .detection
        .alerts
        .iter()
        .filter(|a| keys.iter().any(|k| a.key.contains(k)))
        .map(|a| (a.kind, a.key.clone(), a.targets.clone()))
        .collect();
    a.sort_by(|x, y| format!("{x:?}").cmp(&format!("{y:?}")));
    a
}

fn created(r: &Report) -> Vec<String> {
    r.summary
        .iocs
        .iter()
        .filter(|i| i.kind.as_str() == "created_access")
        .map(|i| i.value.clone())
        .collect()
}

#[test]
fn a_focused_run_says_of_the_leaked_key_what_the_whole_run_says() {
    let files = trail();
    let whole = triage(&files, &Context::default());
    let focused = triage(&files, &focused_on(&[LEAKED]));
    let f = focused.totals.focus.as_ref().expect("a focus tally");
    assert!(whole.totals.focus.is_none());

    // Every record is counted; only the leaked key's, the backdoor's and the deletion's are
    // analysed.
    assert_eq!(focused.totals.records, whole.totals.records);
    assert_eq!(f.kept + f.set_aside, whole.detection.events);
    assert_eq!(f.kept, 14 * 24 + 4 + 600 + 1);
    assert_eq!(focused.detection.events, f.kept);
    assert_eq!(
        f.added,
        [
            "iam_user backdoor",
            format!("access_key {BACKDOOR}").as_str(),
            "attached_policy arn:aws:iam::aws:policy/AdministratorAccess to iam_user backdoor"
        ]
    );
    assert!(
        f.said.starts_with(&format!(
            "Focused on {LEAKED}: 941 event(s) kept and analysed, 13,440 set aside"
        )),
        "{}",
        f.said
    );

    // The same alerts under the leaked key and the backdoor, and the same created access.
    let ours = alerts_of(&focused, &[LEAKED, BACKDOOR, "backdoor"]);
    assert!(!ours.is_empty());
    assert!(
        ours.iter().any(|a| a.0 == AlertKind::Persistence),
        "{ours:?}"
    );
    assert_eq!(ours, alerts_of(&whole, &[LEAKED, BACKDOOR, "backdoor"]));
    assert_eq!(created(&focused), created(&whole));
    assert!(!created(&focused).is_empty());
    // The other keys are not analysed: none of them has an alert or a key row.
    assert!(focused
        .detection
        .keys
        .iter()
        .all(|k| !k.key.contains("SERVICE")));
}

/// CloudTrail's S3 folders sort by region before date, and IAM calls are logged in us-east-1
/// only; `lookup-events` prints the newest first: the backdoor's calls can come before the call
/// that created it. The run reads the files again and keeps them, as it does in time order.
#[test]
fn what_the_attacker_created_is_kept_whatever_order_the_files_come_in() {
    let mut files = trail();
    let in_order = triage(&files, &focused_on(&[LEAKED]));
    // Newest first: the files, and the records in each.
    files.reverse();
    for f in &mut files {
        let mut v: serde_json::Value = serde_json::from_slice(&f.bytes).unwrap();
        v["Records"].as_array_mut().unwrap().reverse();
        f.bytes = serde_json::to_vec(&v).unwrap().into();
    }
    let reversed = triage(&files, &focused_on(&[LEAKED]));
    let (a, b) = (
        in_order.totals.focus.as_ref().unwrap(),
        reversed.totals.focus.as_ref().unwrap(),
    );
    assert_eq!((a.readings, b.readings), (1, 2));
    assert_eq!((b.kept, b.set_aside), (a.kept, a.set_aside));
    assert!(b.said.contains("The files were read 2 times"), "{}", b.said);
    assert_eq!(
        alerts_of(&reversed, &[LEAKED, BACKDOOR, "backdoor"]),
        alerts_of(&in_order, &[LEAKED, BACKDOOR, "backdoor"])
    );
}

#[test]
fn a_focus_on_the_identity_keeps_its_calls_and_one_on_nothing_says_so() {
    let files = trail();
    let by_user = triage(&files, &focused_on(&["ci-deploy"]));
    let by_key = triage(&files, &focused_on(&[LEAKED]));
    assert_eq!(
        by_user.totals.focus.as_ref().unwrap().kept,
        by_key.totals.focus.as_ref().unwrap().kept
    );
    let none = triage(&files, &focused_on(&["AKIANOTINTHELOGS0009"]));
    let f = none.totals.focus.as_ref().unwrap();
    assert_eq!((f.kept, none.detection.events), (0, 0));
    assert!(
        f.said.contains("No event named a focused credential"),
        "{}",
        f.said
    );
    // Blank names are no focus.
    assert!(triage(&files, &focused_on(&[" "])).totals.focus.is_none());
}

#[test]
fn a_focused_run_has_the_same_report_on_one_thread_and_on_several() {
    let files = trail();
    let ctx = focused_on(&[LEAKED]);
    let one = serde_json::to_string(&triage(&files, &ctx)).unwrap();
    let (many, _) = leaktriage::triage_run(
        &files,
        &ctx,
        leaktriage::Run {
            jobs: 3,
            step: &mut |_| {},
        },
        &mut || 0.0,
    );
    assert_eq!(serde_json::to_string(&many).unwrap(), one);
}

#[test]
fn the_command_line_focuses_on_names_given_with_commas_or_again() {
    let dir = common::scratch("focus-cli");
    for f in trail() {
        std::fs::write(dir.join(&f.name), &f.bytes).unwrap();
    }
    let dir_arg = dir.to_string_lossy().to_string();
    let o = common::cli(&[
        "--no-time",
        "-q",
        "--focus",
        &format!("{LEAKED}, nobody"),
        "--focus",
        "backdoor",
        &dir_arg,
    ]);
    let out = common::stdout(&o);
    assert!(
        out.contains(&format!("Focused on {LEAKED}, nobody, backdoor: 941 event(s) kept and analysed, 13,440 set aside")),
        "{out}{}",
        common::stderr(&o)
    );
    let o = common::cli(&["--no-time", "-q", "--json", "--focus", LEAKED, &dir_arg]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["totals"]["focus"]["kept"], 941);
    assert_eq!(r["totals"]["focus"]["added_count"], 3);
    let o = common::cli(&["--no-time", "-q", "--json", &dir_arg]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(r["totals"].get("focus").is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The leaked key assumes a role: the session's temporary key is followed, another session of
/// the same role is not.
#[test]
fn a_role_assumed_with_the_leaked_key_is_followed_by_its_session_key() {
    let mut t = String::from(r#"{"Records":["#);
    let start = 1_780_000_000i64;
    record(
        &mut t,
        start,
        1,
        LEAKED,
        "ci-deploy",
        "sts.amazonaws.com",
        "AssumeRole",
        r#"{"roleArn":"arn:aws:iam::111122223333:role/admin-role","roleSessionName":"x"}"#,
        r#"{"credentials":{"accessKeyId":"ASIAFOCUSSESSION0001","expiration":"Jan 1, 2027 1:00:00 AM"},"assumedRoleUser":{"arn":"arn:aws:sts::111122223333:assumed-role/admin-role/x"}}"#,
    );
    // Each session acts under its own name (the helper writes it as a user's).
    let sessions = [("ASIAFOCUSSESSION0001", "x"), ("ASIAOTHERSESSION0002", "y")];
    for (i, (key, session)) in sessions.iter().enumerate() {
        record(
            &mut t,
            start + 60 + i as i64,
            2 + i,
            key,
            session,
            "iam.amazonaws.com",
            "ListRoles",
            "{}",
            "null",
        );
    }
    t.push_str("]}");
    let r = triage(
        &[Input::new("sts.json", t.into_bytes())],
        &focused_on(&[LEAKED]),
    );
    let f = r.totals.focus.as_ref().unwrap();
    assert_eq!((f.kept, f.set_aside), (2, 1), "{}", f.said);
    assert_eq!(f.added, ["access_key ASIAFOCUSSESSION0001"]);
}
