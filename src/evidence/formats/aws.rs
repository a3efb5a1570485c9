//! AWS: CloudTrail records (S3 trail files `{"Records":[…]}`, one record per line, console
//! JSON), `aws cloudtrail lookup-events` output (each event a JSON *string*), and Bedrock model
//! invocation logs (JSON Lines).
//!
//! CloudTrail has no token counts; Bedrock invocation logs have no IP, user agent or access
//! key. Bedrock invocation logs keep their `request_id` (in extras) for a later join.

use super::trail::{Grantees, Heard, PermissionChange, Shared, Trail, TrailParams};
use super::{event, undated_event, ModelCache};
use crate::evidence::event::{KeyIdKind, RecordKind, UsageEvent};
use crate::evidence::fields::{boolean, s, type_name, u64_at};
use crate::evidence::json::{parse_value, walk, walk_raw, walk_raw_heard};
use crate::evidence::out::{Loc, Out};
use crate::evidence::time::{self, Ts};
use serde::Deserialize;
use serde_json::Value;
use std::cell::RefCell;

const ASSUMED: &str = "AWS times without a zone were read as UTC";

/// Bedrock runtime calls: one model request each.
const INVOCATIONS: [&str; 6] = [
    "InvokeModel",
    "InvokeModelWithResponseStream",
    "Converse",
    "ConverseStream",
    "InvokeModelWithBidirectionalStream",
    "StartAsyncInvoke",
];

fn not_object(out: &mut Out, v: &Value, loc: Loc) -> bool {
    if v.is_object() {
        return false;
    }
    out.problem(
        loc,
        None,
        format!("expected a record object, found {}; skipped", type_name(v)),
    );
    true
}

/// Reads CloudTrail records. Each record's fields are heard as the hand walk of the file reads
/// its tokens, or else read into a small borrowed struct in one pass over the record's text;
/// a record that does not fit it (an unexpected type, escaped text) is read as a JSON tree.
pub fn cloudtrail(input: &str, out: &mut Out) {
    let mut models = ModelCache::default();
    let heard = RefCell::new(Heard::default());
    let mut ear = Shared(&heard);
    walk_raw_heard(input, &["Records"], out, &mut ear, &mut |out, raw, loc| {
        // Each reading is kept where it is made and borrowed (a record's fields are over a
        // kilobyte: moving them from one option to another was 1% of the trail's time).
        let heard = heard.borrow_mut().take(raw);
        let read;
        let t = match &heard {
            Some(t) => Some(t),
            None => {
                read = raw
                    .starts_with('{')
                    .then(|| Trail::read(raw).or_else(|| serde_json::from_str::<Trail>(raw).ok()))
                    .flatten();
                read.as_ref()
            }
        };
        if let Some(t) = t {
            let f = t.fields();
            if let Some(e) = trail_event(out, &mut models, &f, loc, "aws.cloudtrail") {
                out.emit(e);
            }
            return;
        }
        let Some(v) = parse_value(out, raw, loc) else {
            return;
        };
        if not_object(out, &v, loc) {
            return;
        }
        let f = TrailFields::of(&v);
        if let Some(e) = trail_event(out, &mut models, &f, loc, "aws.cloudtrail") {
            out.emit(e);
        }
    });
}

/// One CloudTrail record given as a JSON tree, to an event: the hunts' result readers
/// (`results`) rebuild each row as the record it came from and read it here, so their events are
/// those the trail itself gives.
pub(super) fn emit_record(
    out: &mut Out,
    models: &mut ModelCache,
    v: &Value,
    loc: Loc,
    format: &str,
) {
    if let Some(e) = trail_event(out, models, &TrailFields::of(v), loc, format) {
        out.emit(e);
    }
}

/// What a CloudTrail record names as created or changed (`requestParameters` and
/// `responseElements`), as distinct from `userIdentity`, the actor. Field names follow the
/// IAM, CloudTrail and Bedrock API references (CreateUser, CreateAccessKey, CreateLoginProfile,
/// CreateRole, AttachUserPolicy, CreatePolicy, UpdateGuardrail, DeleteTrail …).
#[derive(Debug, Default)]
struct TrailTargets<'a> {
    user_name: Option<&'a str>,
    access_key_id: Option<&'a str>,
    role_name: Option<&'a str>,
    policy: Option<&'a str>,
    group_name: Option<&'a str>,
    guardrail: Option<&'a str>,
    name: Option<&'a str>,
    login_profile_user: Option<&'a str>,
    /// `requestParameters.bucketName`: the S3 bucket a call acts on.
    bucket: Option<&'a str>,
    /// `responseElements.credentials.accessKeyId`: the key id of the temporary credentials the
    /// call returned.
    session_key: Option<&'a str>,
    /// `requestParameters.keyId`: the KMS key a call acts on (its id, ARN or alias).
    kms_key: Option<&'a str>,
    /// `requestParameters.withDecryption`: SSM asked for SecureString values in clear.
    decrypt: bool,
    /// `requestParameters.secretId`: the Secrets Manager secret a call acts on.
    secret: Option<&'a str>,
    /// `requestParameters.instanceId`: the EC2 instance a call acts on.
    instance: Option<&'a str>,
    /// A snapshot or image shared with other accounts, or unshared.
    share: Option<Share<'a>>,
    /// `requestParameters.names`: the SSM parameters `GetParameters` read.
    parameters: Vec<&'a str>,
    /// `requestParameters.secretIdList`: the secrets `BatchGetSecretValue` read.
    secrets: Vec<&'a str>,
}

/// Whom a call sharing a snapshot or an image gave it to: EC2's `ModifySnapshotAttribute` and
/// `ModifyImageAttribute`, RDS's `ModifyDBSnapshotAttribute` and
/// `ModifyDBClusterSnapshotAttribute` (whom it was taken back from is not read: that gives no
/// access).
#[derive(Debug, Default)]
struct Share<'a> {
    /// What is shared: `ebs_snapshot`, `ami`, `rds_snapshot`, `rds_cluster_snapshot`.
    what: &'static str,
    /// Its id, as the call gave it.
    id: Option<&'a str>,
    /// The accounts given it (`all`: everyone), organizations and units, as the call named
    /// them.
    added: Vec<&'a str>,
    /// Grantees given it whose name is not read (blank, blanked out, of a form not read).
    unread: usize,
}

impl<'a> Share<'a> {
    /// The share of the thing shared (its kind and id) given to whom its request lists.
    fn of(what: &'static str, id: Option<&'a str>, given: Vec<Option<&'a str>>) -> Share<'a> {
        let (mut added, mut unread) = (Vec::new(), 0);
        for g in given {
            match nonempty(g) {
                Some(a) if !added.contains(&a) => added.push(a),
                Some(_) => {}
                None => unread += 1,
            }
        }
        Share {
            what,
            id: nonempty(id),
            added,
            unread,
        }
    }

    /// Whether the call gave it to nobody (it only took it back, or changed nothing).
    fn gives_nothing(&self) -> bool {
        self.added.is_empty() && self.unread == 0
    }

    /// The target's id: `ebs_snapshot snap-… with 123456789012` (`with all (public)`; the
    /// grantees of a form not read are counted: `with 1 grantee(s) not read`).
    fn label(&self) -> Option<String> {
        if self.gives_nothing() {
            return None;
        }
        let mut with: Vec<String> = self
            .added
            .iter()
            .map(|a| {
                if a.eq_ignore_ascii_case("all") {
                    "all (public)".to_string()
                } else {
                    a.to_string()
                }
            })
            .collect();
        if self.unread > 0 {
            with.push(format!("{} grantee(s) not read", self.unread));
        }
        let with = with.join(", ");
        Some(match self.id {
            Some(id) => format!("{} {id} with {with}", self.what),
            None => format!("{} with {with}", self.what),
        })
    }
}

/// The share a request's parameters give, read by serde ([`TrailParams`]).
fn share_of<'a>(p: &TrailParams<'a>) -> Option<Share<'a>> {
    fn who<'a>(g: &Option<Grantees<'a>>) -> Vec<Option<&'a str>> {
        g.iter()
            .flat_map(|g| g.items.iter().map(|i| i.who()))
            .collect()
    }
    let ec2 = |what, id, change: &PermissionChange<'a>| Share::of(what, id, who(&change.add));
    if let Some(c) = &p.create_volume_permission {
        return Some(ec2("ebs_snapshot", p.snapshot_id, c));
    }
    if let Some(c) = &p.launch_permission {
        return Some(ec2("ami", p.image_id, c));
    }
    if p.values_to_add.is_none() && p.values_to_remove.is_none() {
        return None;
    }
    let (what, id) = match p.db_cluster_snapshot {
        Some(id) => ("rds_cluster_snapshot", Some(id)),
        None => ("rds_snapshot", p.db_snapshot),
    };
    let list = |l: &Option<Vec<Option<&'a str>>>| l.iter().flatten().copied().collect::<Vec<_>>();
    Some(Share::of(what, id, list(&p.values_to_add)))
}

/// The names a request's list gives (blanks and blanked-out names left out), read by serde.
fn named<'a>(list: Option<&Vec<Option<&'a str>>>) -> Vec<&'a str> {
    list.into_iter()
        .flatten()
        .filter_map(|n| nonempty(*n))
        .collect()
}

/// The names a request's list `field` gives, read from a JSON tree.
fn named_in<'v>(v: &'v Value, field: &str) -> Vec<&'v str> {
    v.get("requestParameters")
        .and_then(|p| p.get(field))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|n| nonempty(n.as_str()))
        .collect()
}

/// The share a request's parameters give, read from a JSON tree.
fn share_of_value(v: &Value) -> Option<Share<'_>> {
    /// The grantees of the change's `side` (`add`): `{"items": [...]}` as CloudTrail writes
    /// it; a list or a value of another form is each an unread grantee.
    fn who<'v>(change: &'v Value, side: &str) -> Vec<Option<&'v str>> {
        let grantee = |i: &'v Value| {
            [
                "userId",
                "group",
                "organizationArn",
                "organizationalUnitArn",
            ]
            .iter()
            .find_map(|k| i.get(*k).and_then(Value::as_str))
        };
        match change.get(side) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(o)) => match o.get("items") {
                Some(Value::Array(items)) => items.iter().map(grantee).collect(),
                None | Some(Value::Null) => Vec::new(),
                Some(_) => vec![None],
            },
            Some(Value::Array(items)) => items.iter().map(grantee).collect(),
            Some(_) => vec![None],
        }
    }
    /// The values of the list `k` (`valuesToAdd`); a value of another form is unread.
    fn list<'v>(p: &'v Value, k: &str) -> Vec<Option<&'v str>> {
        match p.get(k) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.iter().map(Value::as_str).collect(),
            Some(v) => vec![v.as_str()],
        }
    }
    let p = v.get("requestParameters")?;
    let id = |k: &str| p.get(k).and_then(Value::as_str);
    let given = |k: &str| p.get(k).filter(|c| !c.is_null());
    for (field, what, id_field) in [
        ("createVolumePermission", "ebs_snapshot", "snapshotId"),
        ("launchPermission", "ami", "imageId"),
    ] {
        if let Some(c) = given(field) {
            return Some(Share::of(what, id(id_field), who(c, "add")));
        }
    }
    if given("valuesToAdd").is_none() && given("valuesToRemove").is_none() {
        return None;
    }
    let (what, id) = match id("dBClusterSnapshotIdentifier") {
        Some(id) => ("rds_cluster_snapshot", Some(id)),
        None => ("rds_snapshot", id("dBSnapshotIdentifier")),
    };
    Some(Share::of(what, id, list(p, "valuesToAdd")))
}

/// The fields of a CloudTrail record the event is built from, however they were read.
#[derive(Debug, Default)]
struct TrailFields<'a> {
    event_time: Option<&'a str>,
    event_source: Option<&'a str>,
    event_name: Option<&'a str>,
    aws_region: Option<&'a str>,
    source_ip: Option<&'a str>,
    user_agent: Option<&'a str>,
    error_code: Option<&'a str>,
    error_message: Option<&'a str>,
    event_id: Option<&'a str>,
    recipient: Option<&'a str>,
    arn: Option<&'a str>,
    account_id: Option<&'a str>,
    access_key_id: Option<&'a str>,
    user_name: Option<&'a str>,
    model_id: Option<&'a str>,
    service_name: Option<&'a str>,
    inference_region: Option<&'a str>,
    bearer: bool,
    /// A console sign-in's `MFAUsed`.
    mfa_used: Option<&'a str>,
    targets: TrailTargets<'a>,
    /// `eventTime` as written, redacted or not (for the problem's wording).
    raw_time: Option<&'a str>,
    /// Made with a console session's credentials (a person signed in to the console).
    from_console: bool,
}

/// True for `sessionCredentialFromConsole` as CloudTrail writes it (`"true"`) or a SIEM copy
/// (`true`).
fn is_true(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A value that names something: not blank, not blanked out (`[REDACTED]`).
fn nonempty(v: Option<&str>) -> Option<&str> {
    v.map(super::trimmed)
        .filter(|s| !s.is_empty() && !super::is_redacted(s))
}

impl<'a> Trail<'a> {
    fn fields(&self) -> TrailFields<'a> {
        let id = self.identity.as_ref();
        TrailFields {
            event_time: nonempty(self.event_time),
            event_source: nonempty(self.event_source),
            event_name: nonempty(self.event_name),
            aws_region: nonempty(self.aws_region),
            source_ip: nonempty(self.source_ip),
            user_agent: nonempty(self.user_agent),
            error_code: nonempty(self.error_code),
            error_message: nonempty(self.error_message),
            event_id: nonempty(self.event_id),
            recipient: nonempty(self.recipient),
            arn: nonempty(id.and_then(|i| i.arn)),
            account_id: nonempty(id.and_then(|i| i.account_id)),
            access_key_id: nonempty(id.and_then(|i| i.access_key_id)),
            user_name: nonempty(id.and_then(|i| i.user_name)),
            model_id: nonempty(self.params.as_ref().and_then(|p| p.model_id)),
            service_name: nonempty(self.params.as_ref().and_then(|p| p.service_name)),
            inference_region: nonempty(self.additional.as_ref().and_then(|a| a.inference_region)),
            bearer: self.additional.as_ref().and_then(|a| a.bearer) == Some(true),
            mfa_used: nonempty(self.additional.as_ref().and_then(|a| a.mfa_used)),
            targets: self.targets(),
            raw_time: self.event_time,
            from_console: is_true(self.from_console.as_ref()),
        }
    }

    fn targets(&self) -> TrailTargets<'a> {
        let p = self.params.as_ref();
        let r = self.response.as_ref();
        let key = r.and_then(|r| r.access_key.as_ref());
        let user = r.and_then(|r| r.user.as_ref());
        let role = r.and_then(|r| r.role.as_ref());
        let policy = r.and_then(|r| r.policy.as_ref());
        let login = r.and_then(|r| r.login_profile.as_ref());
        let decrypt = p.and_then(|p| p.with_decryption) == Some(true);
        TrailTargets {
            user_name: nonempty(p.and_then(|p| p.user_name))
                .or_else(|| nonempty(user.and_then(|u| u.user_name)))
                .or_else(|| nonempty(key.and_then(|k| k.user_name))),
            access_key_id: nonempty(key.and_then(|k| k.access_key_id))
                .or_else(|| nonempty(p.and_then(|p| p.access_key_id))),
            role_name: nonempty(p.and_then(|p| p.role_name))
                .or_else(|| nonempty(role.and_then(|x| x.role_name))),
            policy: nonempty(p.and_then(|p| p.policy_arn))
                .or_else(|| nonempty(policy.and_then(|x| x.arn)))
                .or_else(|| nonempty(p.and_then(|p| p.policy_name))),
            group_name: nonempty(p.and_then(|p| p.group_name)),
            guardrail: nonempty(p.and_then(|p| p.guardrail))
                .or_else(|| nonempty(r.and_then(|r| r.guardrail_id))),
            name: nonempty(p.and_then(|p| p.name)),
            login_profile_user: nonempty(login.and_then(|x| x.user_name)),
            bucket: nonempty(p.and_then(|p| p.bucket_name)),
            kms_key: nonempty(p.and_then(|p| p.key_id)),
            decrypt,
            secret: nonempty(p.and_then(|p| p.secret_id)),
            instance: nonempty(p.and_then(|p| p.instance_id)),
            share: p.and_then(share_of),
            // Named only when read in clear (the hand readers pass the list over otherwise).
            parameters: if decrypt {
                named(p.and_then(|p| p.names.as_ref()))
            } else {
                Vec::new()
            },
            secrets: named(p.and_then(|p| p.secret_id_list.as_ref())),
            session_key: nonempty(
                r.and_then(|r| r.credentials.as_ref())
                    .and_then(|c| c.access_key_id),
            ),
        }
    }
}

impl<'a> TrailFields<'a> {
    fn of(v: &'a Value) -> Self {
        let id = |k: &str| nonempty(s(v, &["userIdentity", k]));
        let decrypt = boolean(v, &["requestParameters", "withDecryption"]) == Some(true);
        TrailFields {
            event_time: nonempty(s(v, &["eventTime"])),
            raw_time: s(v, &["eventTime"]),
            from_console: is_true(v.get("sessionCredentialFromConsole")),
            event_source: s(v, &["eventSource"]),
            event_name: s(v, &["eventName"]),
            aws_region: s(v, &["awsRegion"]),
            source_ip: s(v, &["sourceIPAddress"]),
            user_agent: s(v, &["userAgent"]),
            error_code: s(v, &["errorCode"]),
            error_message: s(v, &["errorMessage"]),
            event_id: s(v, &["eventID"]),
            recipient: nonempty(s(v, &["recipientAccountId"])),
            arn: id("arn"),
            account_id: id("accountId"),
            access_key_id: id("accessKeyId"),
            user_name: id("userName"),
            model_id: s(v, &["requestParameters", "modelId"]),
            service_name: s(v, &["requestParameters", "serviceName"]),
            inference_region: s(v, &["additionalEventData", "inferenceRegion"]),
            bearer: boolean(v, &["additionalEventData", "callWithBearerToken"]) == Some(true),
            mfa_used: nonempty(s(v, &["additionalEventData", "MFAUsed"])),
            targets: TrailTargets {
                user_name: nonempty(s(v, &["requestParameters", "userName"]))
                    .or_else(|| nonempty(s(v, &["responseElements", "user", "userName"])))
                    .or_else(|| nonempty(s(v, &["responseElements", "accessKey", "userName"]))),
                access_key_id: nonempty(s(v, &["responseElements", "accessKey", "accessKeyId"]))
                    .or_else(|| nonempty(s(v, &["requestParameters", "accessKeyId"]))),
                role_name: nonempty(s(v, &["requestParameters", "roleName"]))
                    .or_else(|| nonempty(s(v, &["responseElements", "role", "roleName"]))),
                policy: nonempty(s(v, &["requestParameters", "policyArn"]))
                    .or_else(|| nonempty(s(v, &["responseElements", "policy", "arn"])))
                    .or_else(|| nonempty(s(v, &["requestParameters", "policyName"]))),
                group_name: nonempty(s(v, &["requestParameters", "groupName"])),
                guardrail: nonempty(s(v, &["requestParameters", "guardrailIdentifier"]))
                    .or_else(|| nonempty(s(v, &["responseElements", "guardrailId"]))),
                name: nonempty(s(v, &["requestParameters", "name"])),
                login_profile_user: nonempty(s(
                    v,
                    &["responseElements", "loginProfile", "userName"],
                )),
                bucket: nonempty(s(v, &["requestParameters", "bucketName"])),
                kms_key: nonempty(s(v, &["requestParameters", "keyId"])),
                decrypt,
                secret: nonempty(s(v, &["requestParameters", "secretId"])),
                instance: nonempty(s(v, &["requestParameters", "instanceId"])),
                share: share_of_value(v),
                parameters: if decrypt {
                    named_in(v, "names")
                } else {
                    Vec::new()
                },
                secrets: named_in(v, "secretIdList"),
                session_key: nonempty(s(v, &["responseElements", "credentials", "accessKeyId"])),
            },
        }
    }
}

/// One CloudTrail record to an event.
fn trail_event(
    out: &mut Out,
    models: &mut ModelCache,
    f: &TrailFields,
    loc: Loc,
    format: &str,
) -> Option<UsageEvent> {
    let source = f.event_source.unwrap_or("");
    let provider = if source.starts_with("bedrock") {
        "aws_bedrock"
    } else {
        "aws"
    };
    // A record without a readable time is still the record of a call (its IP, user agent,
    // error and targets count): it is kept as an undated event.
    let mut e = match f.event_time.and_then(time::parse) {
        Some(ts) => event(out, ts, provider, format, loc, ASSUMED),
        None => undated_event(out, f.raw_time, "eventTime", provider, format, loc),
    };
    if f.event_name.is_some_and(|n| INVOCATIONS.contains(&n)) {
        e.record_kind = RecordKind::Request;
        e.requests = Some(1);
    } else {
        e.record_kind = RecordKind::Audit;
    }
    e.operation = f.event_name.map(str::to_string);
    e.event_id = f.event_id.map(|id| ["cloudtrail:", id].concat());
    let api_key_user = f
        .user_name
        .filter(|u| u.starts_with("BedrockAPIKey-"))
        .or_else(|| {
            f.arn
                .and_then(|a| a.rsplit('/').next())
                .filter(|u| u.starts_with("BedrockAPIKey-"))
        });
    if let Some(u) = api_key_user {
        e.key_id = Some(u.to_string());
        e.key_id_kind = Some(KeyIdKind::IamPrincipal);
        if let Some(k) = f.access_key_id {
            e.extras.insert("access_key_id".into(), k.to_string());
        }
    } else if let Some(k) = f.access_key_id {
        e.key_id = Some(k.to_string());
        e.key_id_kind = Some(KeyIdKind::AwsAccessKeyId);
    } else if let Some(a) = f.arn {
        e.key_id = Some(a.to_string());
        e.key_id_kind = Some(KeyIdKind::IamPrincipal);
    }
    e.principal = f.arn.or(f.user_name).map(str::to_string);
    e.project = f.recipient.or(f.account_id).map(str::to_string);
    models.set(&mut e, f.model_id);
    e.source_ip = f.source_ip.map(str::to_string);
    e.user_agent = f.user_agent.map(str::to_string);
    e.error_code = f.error_code.map(str::to_string);
    // A console sign-in that failed has no error code, only its message ("Failed
    // authentication", AWS CloudTrail User Guide, "AWS Management Console sign-in events"):
    // the sign-in was refused all the same.
    if f.event_name == Some("ConsoleLogin") && e.error_code.is_none() {
        e.error_code = f.error_message.map(str::to_string);
    }
    // Whether a console sign-in asked for a second factor (`additionalEventData.MFAUsed`).
    let mfa_used = f.mfa_used.filter(|_| f.event_name == Some("ConsoleLogin"));
    e.region = f.aws_region.map(str::to_string);
    let mut extra = |k: &str, val: Option<&str>| {
        if let Some(val) = val {
            e.extras.insert(k.to_string(), val.to_string());
        }
    };
    if provider != "aws_bedrock" {
        extra("event_source", f.event_source);
    }
    extra("error_message", f.error_message);
    extra("inference_region", f.inference_region);
    extra("call_with_bearer_token", f.bearer.then_some("true"));
    extra(crate::evidence::event::MFA_USED, mfa_used);
    // Kept lean: at a million events per trail a map entry costs more than the row. The
    // identity type shows in the principal's ARN; the raw record is one `raw_ref` away.
    extra("service_name", f.service_name);
    // A person in the console, not a key from a script: the actor's kind, as the other audit
    // logs give it.
    extra("actor_type", f.from_console.then_some("session"));
    // The temporary key a call handed out (a session, a federation token): whoever holds the
    // caller's key also holds this one (a focused run follows it).
    extra("session_access_key_id", f.targets.session_key);
    // Stored secrets read in clear: what the catalog's reads of SSM parameters ask for.
    extra(
        crate::evidence::event::WITH_DECRYPTION,
        f.targets.decrypt.then_some("true"),
    );
    // A share taken back from others and given to nobody: not access given (the catalog's
    // sharing calls hold unless it is so).
    extra(
        crate::evidence::event::SHARES_NOTHING,
        f.targets
            .share
            .as_ref()
            .filter(|s| s.gives_nothing())
            .map(|_| "true"),
    );
    add_targets(&mut e, f.event_name.unwrap_or(""), &f.targets);
    Some(e)
}

/// Names what the call created, changed or granted, apart from whom it did it for: the user a
/// `CreateAccessKey` names holds the key made (the key is the target, the user the `holder`
/// extra); a user, role or group is a target only for the call that creates it.
fn add_targets(e: &mut UsageEvent, name: &str, t: &TrailTargets) {
    // The user, role or group a call made something for or granted something to: named as
    // what was made only by the call that creates it; for the other calls it is the holder of
    // what they made (a key made for an existing user is removed, not the user).
    let holder = t
        .user_name
        .map(|u| format!("iam_user {u}"))
        .or_else(|| t.role_name.map(|r| format!("role {r}")))
        .or_else(|| t.group_name.map(|g| format!("group {g}")));
    // Kept for the focus: a call on a user's key or login (the leaked key deleted) concerns
    // that user.
    if let Some(h) = holder
        .as_ref()
        .filter(|_| !matches!(name, "CreateUser" | "CreateRole" | "CreateGroup"))
    {
        e.extras
            .insert(crate::evidence::event::HOLDER.into(), h.clone());
    }
    let mut add = |kind: &str, v: Option<&str>| {
        if let Some(v) = v {
            e.add_target(kind, v);
        }
    };
    let iam_policy = name.ends_with("Policy")
        && ["User", "Role", "Group"]
            .iter()
            .any(|h| name.contains(h) && !name.starts_with("Get") && !name.starts_with("List"));
    match name {
        "CreateUser" => add("iam_user", t.user_name),
        "CreateRole" => add("role", t.role_name),
        "CreateGroup" => add("group", t.group_name),
        // A policy attached is detached, not deleted (an AWS managed policy cannot be).
        _ if iam_policy && name.starts_with("Attach") => {
            if let (Some(p), Some(h)) = (t.policy, &holder) {
                add("attached_policy", Some(&format!("{p} to {h}")));
            }
        }
        // An inline policy is deleted from what holds it.
        _ if iam_policy && name.starts_with("Put") => {
            if let (Some(p), Some(h)) = (t.policy, &holder) {
                add("inline_policy", Some(&format!("{p} on {h}")));
            }
        }
        "AddUserToGroup" => {
            if let (Some(u), Some(g)) = (t.user_name, t.group_name) {
                add("group_member", Some(&format!("iam_user {u} in group {g}")));
            }
        }
        // Who may assume the role changed: restored, not the role removed.
        "UpdateAssumeRolePolicy" => add("trust_policy", t.role_name),
        "CreatePolicy" | "CreatePolicyVersion" => add("policy", t.policy),
        // Temporary credentials that outlive the key that asked for them (up to 36 hours).
        "GetFederationToken" => add(crate::evidence::event::FEDERATION_TOKEN, t.session_key),
        // A key disabled or to be deleted: what is encrypted under it cannot be read.
        "ScheduleKeyDeletion" | "DisableKey" => add(crate::evidence::event::KMS_KEY, t.kms_key),
        // A SecureString parameter read in clear: its value is rotated where it is kept.
        "GetParameter" if t.decrypt => add(crate::evidence::event::SSM_PARAMETER, t.name),
        "GetParameters" if t.decrypt => {
            for n in &t.parameters {
                add(crate::evidence::event::SSM_PARAMETER, Some(n));
            }
        }
        "BatchGetSecretValue" => {
            for n in &t.secrets {
                add(crate::evidence::event::SECRET, Some(n));
            }
        }
        // The secret read, and the instance whose administrator password was read.
        "GetSecretValue" => add(crate::evidence::event::SECRET, t.secret),
        "GetPasswordData" => add(crate::evidence::event::INSTANCE_PASSWORD, t.instance),
        // A snapshot or an image shared with other accounts, or made public: named with whom.
        "ModifySnapshotAttribute"
        | "ModifyImageAttribute"
        | "ModifyDBSnapshotAttribute"
        | "ModifyDBClusterSnapshotAttribute" => add(
            crate::evidence::event::SHARE,
            t.share.as_ref().and_then(Share::label).as_deref(),
        ),
        _ if name.contains("LoginProfile") => {
            add("login_profile", t.login_profile_user.or(t.user_name))
        }
        _ => {}
    }
    add("access_key", t.access_key_id);
    add("guardrail", t.guardrail);
    // The bucket a call opened to others or deleted (named only for those calls, not for
    // every S3 read or write a trail with data events holds).
    if matches!(
        name,
        "PutBucketPolicy"
            | "PutBucketAcl"
            | "PutObjectAcl"
            | "DeleteBucketPublicAccessBlock"
            | "PutBucketWebsite"
            | "DeleteBucket"
    ) {
        add(crate::evidence::event::S3_BUCKET, t.bucket);
    }
    // One of the two at most, so the targets' order is the same either way round.
    if matches!(
        name,
        "StopLogging" | "DeleteTrail" | "UpdateTrail" | "PutEventSelectors"
    ) {
        add("trail", t.name);
    } else if name.ends_with("ModelInvocationLoggingConfiguration") && !name.starts_with("Get") {
        // Named only for the calls that change it (not formatted for every record).
        let logging = match e.region.as_deref() {
            Some(r) => format!("Bedrock model invocation logging ({r})"),
            None => "Bedrock model invocation logging".to_string(),
        };
        e.add_target("logging_configuration", &logging);
    }
}

/// Reads `aws cloudtrail lookup-events` output: `{"Events":[{…,"CloudTrailEvent":"<json>"}]}`.
pub fn lookup_events(input: &str, out: &mut Out) {
    let mut models = ModelCache::default();
    walk(input, &["Events"], out, &mut |out, v, loc| {
        if not_object(out, &v, loc) {
            return;
        }
        let inner = match v.get("CloudTrailEvent") {
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(inner) if inner.is_object() => Some(inner),
                _ => {
                    out.problem(
                        loc,
                        Some("CloudTrailEvent"),
                        "the embedded CloudTrail record is not valid JSON; read the summary fields only"
                            .into(),
                    );
                    None
                }
            },
            Some(Value::Object(_)) => v.get("CloudTrailEvent").cloned(),
            _ => None,
        };
        let e = match inner {
            Some(inner) => trail_event(
                out,
                &mut models,
                &TrailFields::of(&inner),
                loc,
                "aws.cloudtrail.lookup_events",
            ),
            None => summary_event(out, &v, loc),
        };
        if let Some(e) = e {
            out.emit(e);
        }
    });
}

/// A lookup-events entry without a usable `CloudTrailEvent`: its summary fields.
fn summary_event(out: &mut Out, v: &Value, loc: Loc) -> Option<UsageEvent> {
    let ts = match v.get("EventTime") {
        Some(Value::String(t)) => time::parse(t),
        Some(Value::Number(n)) => n.as_f64().and_then(time::from_number),
        _ => None,
    };
    let Some(ts) = ts else {
        out.problem(
            loc,
            Some("EventTime"),
            "no usable EventTime; record skipped".into(),
        );
        return None;
    };
    let source = s(v, &["EventSource"]).unwrap_or("");
    let provider = if source.starts_with("bedrock") {
        "aws_bedrock"
    } else {
        "aws"
    };
    let mut e = event(
        out,
        ts,
        provider,
        "aws.cloudtrail.lookup_events",
        loc,
        ASSUMED,
    );
    let name = s(v, &["EventName"]);
    e.record_kind = if name.is_some_and(|n| INVOCATIONS.contains(&n)) {
        e.requests = Some(1);
        RecordKind::Request
    } else {
        RecordKind::Audit
    };
    e.operation = name.map(str::to_string);
    e.event_id = s(v, &["EventId"]).map(|id| format!("cloudtrail:{id}"));
    if let Some(k) = s(v, &["AccessKeyId"]) {
        e.key_id = Some(k.to_string());
        e.key_id_kind = Some(KeyIdKind::AwsAccessKeyId);
    }
    e.principal = s(v, &["Username"]).map(str::to_string);
    if !source.is_empty() {
        e.extras.insert("event_source".into(), source.to_string());
    }
    Some(e)
}

/// Reads Bedrock model invocation logs (`schemaType: ModelInvocationLog`). Records are read
/// through a borrowed struct that skips the prompt and response bodies (the bulk of each
/// record); one that does not fit it is read as a JSON tree.
pub fn bedrock_invocations(input: &str, out: &mut Out) {
    let mut models = ModelCache::default();
    walk_raw(input, &["Records", "records"], out, &mut |out, raw, loc| {
        if raw.starts_with('{') {
            if let Ok(t) = serde_json::from_str::<Invocation>(raw) {
                let ts = Stamp {
                    ts: time::parse(t.timestamp),
                    raw: Some(t.timestamp),
                };
                let f = InvocationFields {
                    arn: nonempty(t.identity.as_ref().and_then(|i| i.arn)),
                    account_id: nonempty(t.account_id),
                    region: nonempty(t.region),
                    operation: nonempty(t.operation),
                    model_id: nonempty(t.model_id),
                    input: t.input.as_ref().and_then(|i| i.tokens),
                    read: t.input.as_ref().and_then(|i| i.cache_read),
                    write: t.input.as_ref().and_then(|i| i.cache_write),
                    output: t.output.as_ref().and_then(|o| o.tokens),
                    error_code: nonempty(t.error_code),
                    request_id: nonempty(t.request_id),
                    inference_region: nonempty(t.inference_region),
                };
                let e = invocation_event(out, &mut models, ts, &f, loc);
                out.emit(e);
                return;
            }
        }
        let Some(v) = parse_value(out, raw, loc) else {
            return;
        };
        if not_object(out, &v, loc) {
            return;
        }
        let raw_ts = v.get("timestamp");
        let ts = Stamp {
            ts: match raw_ts {
                Some(Value::Number(n)) => n.as_f64().and_then(time::from_number),
                Some(Value::String(t)) => time::parse(t),
                _ => None,
            },
            raw: raw_ts.and_then(Value::as_str),
        };
        let f = InvocationFields {
            arn: nonempty(s(&v, &["identity", "arn"])),
            account_id: nonempty(s(&v, &["accountId"])),
            region: s(&v, &["region"]),
            operation: s(&v, &["operation"]),
            model_id: s(&v, &["modelId"]),
            input: u64_at(out, &v, &["input", "inputTokenCount"], loc),
            read: u64_at(out, &v, &["input", "cacheReadInputTokenCount"], loc),
            write: u64_at(out, &v, &["input", "cacheWriteInputTokenCount"], loc),
            output: u64_at(out, &v, &["output", "outputTokenCount"], loc),
            error_code: s(&v, &["errorCode"]),
            request_id: s(&v, &["requestId"]),
            inference_region: s(&v, &["inferenceRegion"]),
        };
        let e = invocation_event(out, &mut models, ts, &f, loc);
        out.emit(e);
    });
}

/// An invocation log record's fields, borrowed; the bodies are skipped unread.
#[derive(Deserialize)]
struct Invocation<'a> {
    #[serde(borrow)]
    timestamp: &'a str,
    #[serde(borrow, rename = "accountId")]
    account_id: Option<&'a str>,
    #[serde(borrow)]
    identity: Option<InvocationIdentity<'a>>,
    #[serde(borrow)]
    region: Option<&'a str>,
    #[serde(borrow, rename = "requestId")]
    request_id: Option<&'a str>,
    #[serde(borrow)]
    operation: Option<&'a str>,
    #[serde(borrow, rename = "modelId")]
    model_id: Option<&'a str>,
    #[serde(borrow, rename = "inferenceRegion")]
    inference_region: Option<&'a str>,
    #[serde(borrow, rename = "errorCode")]
    error_code: Option<&'a str>,
    input: Option<InvocationInput>,
    output: Option<InvocationOutput>,
}

#[derive(Deserialize)]
struct InvocationIdentity<'a> {
    #[serde(borrow)]
    arn: Option<&'a str>,
}

#[derive(Deserialize)]
struct InvocationInput {
    #[serde(rename = "inputTokenCount")]
    tokens: Option<u64>,
    #[serde(rename = "cacheReadInputTokenCount")]
    cache_read: Option<u64>,
    #[serde(rename = "cacheWriteInputTokenCount")]
    cache_write: Option<u64>,
}

#[derive(Deserialize)]
struct InvocationOutput {
    #[serde(rename = "outputTokenCount")]
    tokens: Option<u64>,
}

/// The fields an invocation event is built from, however they were read.
struct InvocationFields<'a> {
    arn: Option<&'a str>,
    account_id: Option<&'a str>,
    region: Option<&'a str>,
    operation: Option<&'a str>,
    model_id: Option<&'a str>,
    input: Option<u64>,
    read: Option<u64>,
    write: Option<u64>,
    output: Option<u64>,
    error_code: Option<&'a str>,
    request_id: Option<&'a str>,
    inference_region: Option<&'a str>,
}

/// An invocation record's time: parsed, and as written.
struct Stamp<'a> {
    ts: Option<Ts>,
    raw: Option<&'a str>,
}

fn invocation_event(
    out: &mut Out,
    models: &mut ModelCache,
    ts: Stamp,
    f: &InvocationFields,
    loc: Loc,
) -> UsageEvent {
    const FORMAT: &str = "aws.bedrock.invocation_log";
    // A record whose time was redacted is still a model call on this identity: kept undated.
    let mut e = match ts.ts {
        Some(t) => event(out, t, "aws_bedrock", FORMAT, loc, ASSUMED),
        None => undated_event(out, ts.raw, "timestamp", "aws_bedrock", FORMAT, loc),
    };
    e.record_kind = RecordKind::Request;
    e.requests = Some(1);
    if let Some(a) = f.arn {
        e.key_id = Some(a.to_string());
        e.key_id_kind = Some(KeyIdKind::IamPrincipal);
        e.principal = Some(a.to_string());
    }
    e.project = f.account_id.map(str::to_string);
    e.region = f.region.map(str::to_string);
    e.operation = f.operation.map(str::to_string);
    models.set(&mut e, f.model_id);
    if f.input.is_some() || f.read.is_some() || f.write.is_some() {
        e.input_tokens = Some(
            f.input
                .unwrap_or(0)
                .saturating_add(f.read.unwrap_or(0))
                .saturating_add(f.write.unwrap_or(0)),
        );
    }
    e.input_cached_tokens = f.read;
    e.input_cache_write_tokens = f.write;
    e.output_tokens = f.output;
    e.error_code = f.error_code.map(str::to_string);
    if let Some(id) = f.request_id {
        e.event_id = Some(format!("bedrock_invocation:{id}"));
        e.extras.insert("request_id".into(), id.to_string());
    }
    if let Some(r) = f.inference_region {
        e.extras.insert("inference_region".into(), r.to_string());
    }
    e
}

#[cfg(test)]
mod tests {
    use super::super::trail::tests::{left_to_serde, samples, variants};
    use super::*;

    /// The record as each reader reads it: the one-pass reader's fields, and serde's.
    fn both(text: &str) -> (Option<String>, Option<String>) {
        let fields = |t: Trail| format!("{:?}", t.fields());
        (
            Trail::read(text).map(fields),
            serde_json::from_str::<Trail>(text).ok().map(fields),
        )
    }

    #[test]
    fn the_one_pass_reader_reads_what_serde_reads_or_gives_up() {
        let (mut read, mut gave_up, mut cases) = (0, 0, 0);
        for text in variants() {
            let (hand, serde) = both(&text);
            cases += 1;
            match hand {
                Some(h) => {
                    read += 1;
                    assert_eq!(Some(h), serde, "{text}");
                }
                None => gave_up += 1,
            }
        }
        for r in samples().iter().filter(|r| r.is_object()) {
            // A field given twice: serde refuses the record, the reader gives up too.
            let text = r.to_string();
            for k in ["eventName", "userIdentity", "unknownField"] {
                let twice = text.replacen('{', &format!("{{\"{k}\":\"X\","), 1);
                let (hand, serde) = both(&twice);
                if serde.is_none() {
                    assert_eq!(hand, None, "{twice}");
                }
            }
        }
        // Most cases are read in the one pass, some left to serde: neither side is empty.
        assert!(read > cases / 2, "{read} of {cases} read");
        assert!(gave_up > 0);
    }

    #[test]
    fn text_that_is_not_well_formed_is_left_to_serde() {
        // A line of JSON Lines reaches the reader unchecked: whatever the one-pass reader
        // takes, serde takes alike.
        let (mut cases, mut read) = (0, 0);
        for r in samples().iter().filter(|r| r.is_object()) {
            let text = r.to_string();
            for at in (0..text.len()).step_by(3) {
                if !text.is_char_boundary(at) || !text.is_char_boundary(at + 1) {
                    continue;
                }
                for with in [
                    "\"", "}", "]", "\u{1}", "x", ",", "\\", "{", "[", ":", " ", "0",
                ] {
                    let broken = [&text[..at], with, &text[at + 1..]].concat();
                    let (hand, serde) = both(&broken);
                    cases += 1;
                    if hand.is_some() {
                        read += 1;
                        assert_eq!(hand, serde, "{broken}");
                    }
                }
                let cut = &text[..at];
                let (hand, serde) = both(cut);
                assert!(hand.is_none() || hand == serde, "{cut}");
            }
        }
        assert!(cases > 1000 && read > 0, "{read} of {cases}");
    }

    /// Each event read from `doc`: its operation and the labels of its targets.
    fn ops_and_targets(name: &str, doc: &str) -> Vec<(String, Vec<String>)> {
        let input = crate::evidence::Input::new(name, doc);
        crate::evidence::read(&input, &Default::default())
            .events
            .iter()
            .map(|e| {
                let op = e.operation.clone().unwrap_or_default();
                (op, e.targets.iter().map(|t| t.label()).collect())
            })
            .collect()
    }

    /// The bucket a call opened to others (a bucket policy, an ACL, its public-access block
    /// removed) is named as its target, however the record was read; a call that only reads a
    /// bucket's settings names none.
    #[test]
    fn a_bucket_opened_to_others_is_named_and_one_only_read_is_not() {
        let text = include_str!("../../../tests/fixtures/evidence/cloudtrail/s3_opened.json");
        let mut docs = vec![text.to_string()];
        // Each record alone on a line (JSON Lines), read by the one-pass reader or serde.
        let v: Value = serde_json::from_str(text).unwrap();
        let records = v["Records"].as_array().unwrap();
        docs.push(records.iter().map(|r| r.to_string() + "\n").collect());
        for doc in docs {
            let got = ops_and_targets("s3_opened.json", &doc);
            let named = |op: &str, bucket: Option<&str>| {
                let t = bucket.map(|b| format!("s3_bucket {b}"));
                (op.to_string(), t.into_iter().collect::<Vec<_>>())
            };
            assert_eq!(
                got,
                [
                    named("PutBucketPolicy", Some("example-reports-bucket")),
                    named("PutBucketAcl", Some("example-exports-bucket")),
                    named(
                        "DeleteBucketPublicAccessBlock",
                        Some("example-exports-bucket")
                    ),
                    named("GetBucketPolicy", None),
                ],
                "{doc}"
            );
        }
    }

    /// A bucket given website hosting or deleted is named too, whether the call went through
    /// or was refused (the detectors tell them apart); other calls on it name none.
    #[test]
    fn a_bucket_hosted_or_deleted_is_named() {
        let text = include_str!("../../../tests/fixtures/evidence/cloudtrail/destroyed.json");
        let got = ops_and_targets("destroyed.json", text);
        let named = |op: &str, t: &[&str]| {
            (
                op.to_string(),
                t.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            got,
            [
                named("PutBucketPolicy", &["s3_bucket example-archive-bucket"]),
                named("PutBucketWebsite", &["s3_bucket example-archive-bucket"]),
                named("CreateUser", &["iam_user svc-archive"]),
                named("PutBucketAcl", &["s3_bucket example-public-bucket"]),
                named("GetBucketWebsite", &[]),
                named("DeleteBucket", &["s3_bucket example-logs-bucket"]),
                named("DeleteBucket", &["s3_bucket example-archive-bucket"]),
            ]
        );
    }

    /// What an IAM call made is named apart from whom it made it for: a key made for an
    /// existing user names the key, not the user; a policy attached to a user or role names the
    /// attachment with its holder (detached, not deleted: an AWS managed policy cannot be); an
    /// inline policy, a group membership and a role's trust policy likewise. Only the calls
    /// that create a user, role, group or policy name it as made.
    #[test]
    fn an_iam_call_names_what_it_made_apart_from_whom_for() {
        let rec = |name: &str, params: &str, response: &str| {
            format!(
                r#"{{"eventVersion":"1.09","eventID":"{name}-1","eventTime":"2026-01-01T03:00:00Z","eventSource":"iam.amazonaws.com","eventName":"{name}","awsRegion":"us-east-1","userIdentity":{{"type":"IAMUser","accessKeyId":"AKIAEXAMPLELEAKED001","userName":"ci"}},"requestParameters":{params},"responseElements":{response}}}"#
            )
        };
        let records = [
            rec("CreateUser", r#"{"userName":"backup-admin"}"#, "null"),
            rec(
                "CreateAccessKey",
                r#"{"userName":"deploy"}"#,
                r#"{"accessKey":{"userName":"deploy","accessKeyId":"AKIAEXAMPLENEWKEY01"}}"#,
            ),
            rec(
                "AttachUserPolicy",
                r#"{"userName":"ci","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#,
                "null",
            ),
            rec(
                "AttachRolePolicy",
                r#"{"roleName":"app","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#,
                "null",
            ),
            rec(
                "PutRolePolicy",
                r#"{"roleName":"app","policyName":"all","policyDocument":"{}"}"#,
                "null",
            ),
            rec(
                "AddUserToGroup",
                r#"{"userName":"ci","groupName":"admins"}"#,
                "null",
            ),
            rec(
                "UpdateAssumeRolePolicy",
                r#"{"roleName":"app","policyDocument":"{}"}"#,
                "null",
            ),
            rec(
                "CreatePolicy",
                r#"{"policyName":"all"}"#,
                r#"{"policy":{"arn":"arn:aws:iam::111122223333:policy/all"}}"#,
            ),
            rec(
                "GetUserPolicy",
                r#"{"userName":"ci","policyName":"all"}"#,
                "null",
            ),
        ];
        let doc = format!("{{\"Records\":[{}]}}", records.join(","));
        let one: Vec<String> = records.iter().map(|r| r.clone() + "\n").collect();
        for doc in [doc, one.concat()] {
            let got = ops_and_targets("iam.json", &doc);
            let want: Vec<(String, Vec<String>)> = [
                ("CreateUser", vec!["iam_user backup-admin"]),
                ("CreateAccessKey", vec!["access_key AKIAEXAMPLENEWKEY01"]),
                (
                    "AttachUserPolicy",
                    vec!["attached_policy arn:aws:iam::aws:policy/AdministratorAccess to iam_user ci"],
                ),
                (
                    "AttachRolePolicy",
                    vec!["attached_policy arn:aws:iam::aws:policy/AdministratorAccess to role app"],
                ),
                ("PutRolePolicy", vec!["inline_policy all on role app"]),
                ("AddUserToGroup", vec!["group_member iam_user ci in group admins"]),
                ("UpdateAssumeRolePolicy", vec!["trust_policy app"]),
                ("CreatePolicy", vec!["policy arn:aws:iam::111122223333:policy/all"]),
                ("GetUserPolicy", vec![]),
            ]
            .iter()
            .map(|(op, t)| (op.to_string(), t.iter().map(|t| t.to_string()).collect()))
            .collect();
            assert_eq!(got, want, "{doc}");
        }
        let held = |kind: &str, id: &str| {
            crate::evidence::event::Target::new(kind, id)
                .holder()
                .map(str::to_string)
        };
        assert_eq!(
            held("attached_policy", "arn:x to iam_user ci"),
            Some("ci".into())
        );
        assert_eq!(held("inline_policy", "all on role app"), Some("app".into()));
        assert_eq!(
            held("group_member", "iam_user ci in group admins"),
            Some("ci".into())
        );
        assert_eq!(held("iam_user", "ci"), None);
    }

    /// A record the one-pass reader leaves to serde (a share's lists of accounts, the
    /// parameters a call read) is read by serde as by the JSON tree's reader, and neither of
    /// the two hand readers reads it.
    #[test]
    fn a_record_left_to_serde_is_read_as_the_tree_reads_it() {
        let records = left_to_serde();
        assert_eq!(records.len(), 7);
        for r in records {
            let text = r.to_string();
            assert!(Trail::read(&text).is_none(), "{text}");
            let t = serde_json::from_str::<Trail>(&text).unwrap();
            let (serde, tree) = (t.fields(), TrailFields::of(&r));
            assert!(
                serde.targets.share.is_some() || !serde.targets.parameters.is_empty(),
                "{text}"
            );
            assert_eq!(format!("{serde:?}"), format!("{tree:?}"), "{text}");
            // Read without decryption, the parameters are not named, and the hand reader reads
            // the record as serde and the tree do.
            if !serde.targets.parameters.is_empty() {
                let mut plain = r.clone();
                plain["requestParameters"]["withDecryption"] = Value::Bool(false);
                let text = plain.to_string();
                let hand = Trail::read(&text).expect("read by hand").fields();
                let serde = serde_json::from_str::<Trail>(&text).unwrap().fields();
                assert!(hand.targets.parameters.is_empty());
                assert_eq!(format!("{hand:?}"), format!("{serde:?}"));
                assert_eq!(
                    format!("{hand:?}"),
                    format!("{:?}", TrailFields::of(&plain))
                );
            }
        }
    }

    #[test]
    fn a_trail_is_read_alike_with_and_without_the_one_pass_reader() {
        for r in samples() {
            let text = r.to_string();
            if let Some(t) = Trail::read(&text) {
                assert!(serde_json::from_str::<Trail>(&text).is_ok());
                assert_eq!(
                    format!("{:?}", t.fields()),
                    format!("{:?}", TrailFields::of(&r)),
                    "{text}"
                );
            }
        }
    }
}
