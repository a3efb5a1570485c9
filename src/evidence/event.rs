//! The normalised usage event every usage, cost, request and audit source is read into.
//!
//! Follows the proposal in the research notes (usage-formats, section 8). Times are UTC;
//! costs are US dollars after unit conversion; tokens in `input_tokens` include cache reads
//! and writes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// How wide a record's time span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Granularity {
    /// A single event (one request, one audit entry).
    #[serde(rename = "event")]
    Event,
    /// A one-minute bucket.
    #[serde(rename = "1m")]
    Minute,
    /// A one-hour bucket.
    #[serde(rename = "1h")]
    Hour,
    /// A one-day bucket.
    #[serde(rename = "1d")]
    Day,
}

/// What sort of record this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// Aggregated usage (tokens, requests).
    Usage,
    /// Aggregated cost.
    Cost,
    /// One request.
    Request,
    /// A control-plane or audit event.
    Audit,
    /// An alert raised by the source itself (for example a secret-scanning alert).
    Alert,
}

/// What the key identifier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyIdKind {
    /// A provider's key id (`key_abc…`, `apikey_…`).
    ProviderKeyId,
    /// A human name for the key.
    KeyName,
    /// A hash of the key (LiteLLM).
    KeyHash,
    /// An AWS access key id (`AKIA…`, `ASIA…`).
    AwsAccessKeyId,
    /// An IAM principal (ARN, Bedrock API key user).
    IamPrincipal,
    /// A GCP service-account key name.
    GcpSaKey,
    /// An Azure resource id.
    AzureResource,
    /// A hashed GitHub token.
    GithubTokenHash,
    /// A redacted key prefix as given by the source (the reference format's `api_key_prefix`).
    KeyPrefix,
}

/// Something an audit event created or changed (its target), as distinct from the actor that did
/// it (`key_id` / `principal`): a new key, user, role, policy, guardrail or logging setting.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Target {
    /// What it is: `api_key`, `admin_api_key`, `iam_user`, `access_key`, `role`, `policy`,
    /// `login_profile`, `service_account`, `service_account_key`, `guardrail`,
    /// `logging_configuration`, `deploy_key`, `oauth_app`, `webhook`, `token`, `user`,
    /// `resource`, `s3_bucket` (a bucket a call opened to others), ...
    pub kind: String,
    /// Its identifier as the source names it (an id, name or ARN; never a secret).
    pub id: String,
}

impl Target {
    /// A target of this kind and id.
    pub fn new(kind: &str, id: impl Into<String>) -> Self {
        Target {
            kind: kind.to_string(),
            id: id.into(),
        }
    }

    /// `kind id`, as alerts and indicators name it.
    pub fn label(&self) -> String {
        format!("{} {}", self.kind, self.id)
    }

    /// Whether a target's label ([`Target::label`]), named by a call that gives lasting access,
    /// names something the call opened to others (closed again, not deleted) rather than
    /// something it created: an S3 bucket (the other calls that name one delete it, and are
    /// told apart by their own alert).
    pub fn is_opened(label: &str) -> bool {
        Target::is_bucket(label)
    }

    /// The name of the user, role or group that holds a grant: a policy attached to it or put on
    /// it, or a user added to a group (`attached_policy arn:… to iam_user ci` is held by `ci`).
    pub fn holder(&self) -> Option<&str> {
        let (_, held) = match self.kind.as_str() {
            "attached_policy" => self.id.rsplit_once(" to ")?,
            "inline_policy" => self.id.rsplit_once(" on ")?,
            "group_member" => ("", self.id.split_once(" in group ")?.0),
            _ => return None,
        };
        held.split_once(' ').map(|(_, name)| name)
    }

    /// Whether a target's label ([`Target::label`]) names a grant to take back rather than
    /// something to remove: a policy attached or put, a group membership, a trust policy.
    pub fn is_grant(label: &str) -> bool {
        label.split_once(' ').is_some_and(|(kind, _)| {
            matches!(
                kind,
                "attached_policy" | "inline_policy" | "group_member" | "trust_policy"
            )
        })
    }

    /// Whether a target's label ([`Target::label`]) names a federation token.
    pub fn is_federation_token(label: &str) -> bool {
        Target::is_of(label, FEDERATION_TOKEN)
    }

    /// Whether a target's label ([`Target::label`]) is of `kind`.
    fn is_of(label: &str, kind: &str) -> bool {
        Target::id_of(label, kind).is_some()
    }

    /// The id of a target's label ([`Target::label`]) of `kind`.
    fn id_of<'l>(label: &'l str, kind: &str) -> Option<&'l str> {
        label.strip_prefix(kind)?.strip_prefix(' ')
    }

    /// The key id of a federation token's label ([`Target::label`]).
    pub fn federation_token(label: &str) -> Option<&str> {
        Target::id_of(label, FEDERATION_TOKEN)
    }

    /// Whether a target's label ([`Target::label`]) names an S3 bucket.
    pub fn is_bucket(label: &str) -> bool {
        Target::is_of(label, S3_BUCKET)
    }

    /// Whether a target's label ([`Target::label`]) names a snapshot or an image shared with
    /// other accounts.
    pub fn is_share(label: &str) -> bool {
        Target::is_of(label, SHARE)
    }

    /// Whether a target's label ([`Target::label`]) names a KMS key.
    pub fn is_kms_key(label: &str) -> bool {
        Target::is_of(label, KMS_KEY)
    }
}

/// The extra naming the user, role or group (`iam_user ci`) an IAM call acted on without
/// creating it: the holder of the key, login or grant it made or removed.
pub const HOLDER: &str = "holder";

/// The target kind of an S3 bucket, named for the calls that open it to others (a bucket
/// policy, an ACL, its block on public access removed, website hosting) or delete it.
pub const S3_BUCKET: &str = "s3_bucket";

/// The target kind of the temporary credentials `GetFederationToken` hands out, named by their
/// key id: deleting the key that asked for them does not revoke them.
pub const FEDERATION_TOKEN: &str = "federation_token";

/// The target kind of a KMS key disabled or scheduled for deletion (by its id, ARN or alias as
/// the call gave it): enabled again, and its deletion cancelled within the waiting period.
pub const KMS_KEY: &str = "kms_key";

/// The target kind of an SSM parameter read with its SecureString value decrypted.
pub const SSM_PARAMETER: &str = "ssm_parameter";

/// The target kind of a Secrets Manager secret read (`GetSecretValue`), by the id the call gave.
pub const SECRET: &str = "secretsmanager_secret";

/// The target kind of the EC2 instance whose administrator password was read
/// (`GetPasswordData`).
pub const INSTANCE_PASSWORD: &str = "instance_password";

/// The target kind of a snapshot or an image a call shared with other accounts or made public
/// (`ebs_snapshot snap-… with 123456789012`, `ami ami-… with all (public)`): taken back with
/// the same call, `remove` in place of `add`; a copy the other account made stays theirs.
pub const SHARE: &str = "share";

/// The extra (`"true"`) of a call that changed who a snapshot or an image is shared with and
/// gave it to nobody (it only took it back): no access given.
pub const SHARES_NOTHING: &str = "shares_nothing";

/// The extra (`"true"`) of an SSM parameter read that asked for SecureString values in clear
/// (`requestParameters.withDecryption`): what makes the read a read of stored secrets.
pub const WITH_DECRYPTION: &str = "with_decryption";

/// The extra of a console sign-in that tells whether it asked for a second factor, as the
/// record writes it (`additionalEventData.MFAUsed`: `"Yes"` or `"No"`).
pub const MFA_USED: &str = "mfa_used";

/// Where a record came from: the file and the line or record index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RawRef {
    /// The evidence file's name.
    pub file: String,
    /// 1-based line, for line-oriented sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 0-based record index, for structured sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
}

/// One normalised usage, cost, request or audit record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsageEvent {
    /// Event time, or bucket start (UTC).
    pub ts: DateTime<Utc>,
    /// Bucket end (exclusive); `None` for point events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts_end: Option<DateTime<Utc>>,
    /// The width of the record's span.
    pub granularity: Granularity,
    /// True when the source had no zone and UTC was assumed.
    pub ts_assumed_utc: bool,
    /// True when the source's time was redacted or unreadable: `ts` is then the Unix epoch, a
    /// placeholder, and the event is kept as an undated event (its IP, user agent and error
    /// still count) outside every time series.
    #[serde(skip_serializing_if = "is_false")]
    pub ts_unknown: bool,
    /// What sort of record.
    pub record_kind: RecordKind,
    /// `openai`, `anthropic`, `azure_openai`, `azure`, `aws_bedrock`, `gcp_vertex`,
    /// `openrouter`, ...
    pub provider: String,
    /// The exact source format, e.g. `openai.usage_api.completions`.
    pub source_format: String,
    /// A source's own event id, for merging pages and files without double counting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The best available key identifier (never a raw secret).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// What `key_id` is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id_kind: Option<KeyIdKind>,
    /// A redacted prefix…suffix hint of the key, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_hint: Option<String>,
    /// The actor: the user, ARN, service account or session that made the call (the key that
    /// made it is `key_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// Project, workspace, subscription, account or team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// Canonical model id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Model as written in the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_raw: Option<String>,
    /// Endpoint, API call or audit event name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Requests in this record (1 for per-request rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests: Option<u64>,
    /// Input tokens including cache reads and writes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    /// Cache reads (a subset of input tokens).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_cached_tokens: Option<u64>,
    /// Cache writes (a subset of input tokens).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_cache_write_tokens: Option<u64>,
    /// Output tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Cost in US dollars.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    /// Source IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// True when the source masked part of the address (Azure `a.b.c.***`).
    pub source_ip_masked: bool,
    /// Client user agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// HTTP status, where the source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Error code (`ValidationException`, `AccessDenied`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// What an audit event created or changed (never the actor).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    /// Anything else a detector may want.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extras: BTreeMap<String, String>,
    /// Where the record came from.
    pub raw_ref: RawRef,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl UsageEvent {
    /// An event with only the required fields set.
    pub fn new(ts: DateTime<Utc>, provider: &str, source_format: &str, raw_ref: RawRef) -> Self {
        UsageEvent {
            ts,
            ts_end: None,
            granularity: Granularity::Event,
            ts_assumed_utc: false,
            ts_unknown: false,
            record_kind: RecordKind::Request,
            provider: provider.to_string(),
            source_format: source_format.to_string(),
            event_id: None,
            key_id: None,
            key_id_kind: None,
            key_hint: None,
            principal: None,
            project: None,
            model: None,
            model_raw: None,
            operation: None,
            requests: None,
            input_tokens: None,
            input_cached_tokens: None,
            input_cache_write_tokens: None,
            output_tokens: None,
            cost_usd: None,
            source_ip: None,
            source_ip_masked: false,
            user_agent: None,
            http_status: None,
            error_code: None,
            region: None,
            targets: Vec::new(),
            extras: BTreeMap::new(),
            raw_ref,
        }
    }

    /// Adds a target unless it is already named.
    pub fn add_target(&mut self, kind: &str, id: &str) {
        let id = id.trim();
        if id.is_empty() || self.targets.iter().any(|t| t.kind == kind && t.id == id) {
            return;
        }
        self.targets.push(Target::new(kind, id));
    }

    /// The key two records are merged on: the source's event id and a digest of what the
    /// record says happened (time, key, actor, scope, call, model, counts, cost, status, error,
    /// targets), so two distinct records that share an id (a request id on several
    /// operations, a correlation id, a reused id) are both kept, and a true repeat (the same
    /// page read twice, a trail record and its `lookup-events` copy, which may render the user
    /// agent or IP differently) is merged. `None` when the source gives no id.
    pub fn merge_key(&self) -> Option<u128> {
        let id = self.event_id.as_deref()?;
        // A hash over each field's bytes, each field tagged and its length given so no two
        // different records write the same bytes: small, stable across platforms (the page and
        // the CLI must merge alike), and no text is formatted for it.
        let mut h = Fnv::default();
        h.u64(self.ts.timestamp() as u64);
        h.opt(self.ts_end.map(|t| t.timestamp() as u64));
        h.u64(u64::from(self.ts_unknown));
        for s in [
            &self.key_id,
            &self.key_hint,
            &self.principal,
            &self.project,
            &self.model_raw,
            &self.operation,
        ] {
            h.opt_str(s.as_deref());
        }
        h.opt(self.requests);
        h.opt(self.input_tokens);
        h.opt(self.output_tokens);
        h.opt(self.cost_usd.map(f64::to_bits));
        h.opt(self.http_status.map(u64::from));
        h.opt_str(self.error_code.as_deref());
        h.u64(self.targets.len() as u64);
        for t in &self.targets {
            h.str(&t.kind);
            h.str(&t.id);
        }
        // The id's own hash, from another start, above: two records merge only when both
        // halves agree (a chance of about one in 2^128 for two that differ).
        let mut i = Fnv(ID_SEED);
        i.str(id);
        Some((u128::from(i.0) << 64) | u128::from(h.0))
    }

    /// True for an error response (an error code, or an HTTP status of 400 or more).
    pub fn is_error(&self) -> bool {
        self.error_code.is_some() || self.http_status.is_some_and(|s| s >= 400)
    }
}

/// A 64-bit hash fed field by field ([`UsageEvent::merge_key`]), eight bytes at a time: each
/// word is mixed in by xor, an odd multiplier and a shift, all three invertible, so two inputs
/// of the same length that differ in one word leave different states, and every field is
/// tagged and its length given, so no two different records write the same words.
struct Fnv(u64);

/// Where the hash of an event's id starts ([`UsageEvent::merge_key`]).
const ID_SEED: u64 = 0x6c62_272e_07bb_0142;

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    #[inline]
    fn word(&mut self, w: u64) {
        let h = (self.0 ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 29);
    }

    fn bytes(&mut self, b: &[u8]) {
        let mut words = b.chunks_exact(8);
        for w in &mut words {
            self.word(u64::from_le_bytes([
                w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
            ]));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(w));
        }
    }

    fn u64(&mut self, v: u64) {
        self.word(v);
    }

    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }

    fn opt(&mut self, v: Option<u64>) {
        match v {
            None => self.word(0),
            Some(v) => {
                self.word(1);
                self.u64(v);
            }
        }
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.word(0),
            Some(s) => {
                self.word(1);
                self.str(s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ev(id: &str, op: &str, line: u64) -> UsageEvent {
        let mut e = UsageEvent::new(
            Utc.with_ymd_and_hms(2026, 1, 1, 3, 0, 0).unwrap(),
            "azure_openai",
            "azure.activity_log",
            RawRef {
                file: "a.json".into(),
                line: Some(line),
                record: None,
            },
        );
        e.event_id = Some(id.into());
        e.operation = Some(op.into());
        e
    }

    #[test]
    fn records_sharing_an_id_merge_only_when_they_say_the_same() {
        let a = ev("corr-1", "listKeys", 1);
        // The same record read again (another page, another file): merged.
        assert_eq!(a.merge_key(), ev("corr-1", "listKeys", 9).merge_key());
        // Another id saying the same: kept.
        assert_ne!(a.merge_key(), ev("corr-9", "listKeys", 1).merge_key());
        assert_ne!(a.merge_key(), ev("corr-", "listKeys", 1).merge_key());
        // Another operation under the same correlation id: kept.
        assert_ne!(a.merge_key(), ev("corr-1", "regenerateKey", 2).merge_key());
        let mut b = ev("corr-1", "listKeys", 3);
        b.add_target("account_keys", "/subscriptions/x");
        assert_ne!(a.merge_key(), b.merge_key());
        // A value moved from one field to the next is another record.
        let (mut c, mut d) = (ev("corr-2", "listKeys", 1), ev("corr-2", "listKeys", 1));
        (c.principal, c.project) = (Some("ab".into()), None);
        (d.principal, d.project) = (Some("a".into()), Some("b".into()));
        assert_ne!(c.merge_key(), d.merge_key());
        (d.principal, d.project) = (None, Some("ab".into()));
        assert_ne!(c.merge_key(), d.merge_key());
        let mut no_id = ev("x", "listKeys", 1);
        no_id.event_id = None;
        assert_eq!(no_id.merge_key(), None);
    }

    #[test]
    fn a_target_is_named_once_and_never_blank() {
        let mut e = ev("i", "CreateUser", 1);
        e.add_target("iam_user", "backup");
        e.add_target("iam_user", " backup ");
        e.add_target("iam_user", "  ");
        assert_eq!(e.targets, [Target::new("iam_user", "backup")]);
        assert_eq!(e.targets[0].label(), "iam_user backup");
    }
}
