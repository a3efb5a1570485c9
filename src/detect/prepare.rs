//! Turns usage events into compact, interned, per-key sorted rows the detectors scan.
//!
//! Events are taken one at a time ([`Builder::push`]), so the whole pipeline never holds
//! them as [`UsageEvent`]s: each becomes one [`Ev`] and one [`Side`] row (104 bytes together)
//! whose strings are numbered in per-run string sets.

use crate::evidence::event::{Granularity, RawRef, RecordKind, UsageEvent};
use crate::evidence::formats::{is_blank, trimmed};
use crate::evidence::intern::{hash64, StrSet};
use crate::evidence::keyset::KeySet;

/// "No value" for an interned field.
pub(crate) const NONE: u32 = u32::MAX;

/// Row flags.
pub(crate) mod flag {
    /// Counts toward usage volume (usage/request rows, invocations in audit trails).
    pub const USAGE: u32 = 1;
    /// The row is a point event or a minute/hour bucket (hour of day is meaningful).
    pub const SUBDAILY: u32 = 1 << 1;
    /// A model invocation.
    pub const INVOKE: u32 = 1 << 2;
    /// An error that probes validity (ValidationException, 401/403/429, AccessDenied).
    pub const PROBE_ERR: u32 = 1 << 3;
    /// A reconnaissance call (model listing, availability, logging configuration).
    pub const RECON: u32 = 1 << 4;
    /// A listing call for the recon→invoke sequence rule.
    pub const LISTING: u32 = 1 << 5;
    /// A console-only Bedrock API.
    pub const CONSOLE_ONLY: u32 = 1 << 6;
    /// A persistence operation (fine-tuning, files, assistants, batch, IAM, new keys).
    pub const PERSIST: u32 = 1 << 7;
    /// A persistence operation that mints identities or credentials.
    pub const PERSIST_IAM: u32 = 1 << 8;
    /// Logging configuration deleted or changed.
    pub const LOG_TAMPER: u32 = 1 << 9;
    /// Reading the logging configuration.
    pub const LOG_CHECK: u32 = 1 << 10;
    /// Carries a cost that counts (see `cost.rs` for the rule).
    pub const HAS_COST: u32 = 1 << 11;
    /// A point event (one request).
    pub const POINT: u32 = 1 << 12;
    /// An error of any kind.
    pub const ERROR: u32 = 1 << 13;
    /// The cost is estimated from list prices (the row had tokens but no cost).
    pub const COST_EST: u32 = 1 << 14;
    /// A person made the call in the provider's console (a signed-in session, a browser), not
    /// a key from a script.
    pub const HUMAN: u32 = 1 << 15;
    /// Stored data or what holds it deleted (a bucket, a database, a snapshot, a backup).
    pub const DESTROY: u32 = 1 << 16;
    /// A credential call that reads stored secrets, passwords or keys (rotated, not removed).
    pub const SECRET_READ: u32 = 1 << 17;
    /// The catalog classes the call only with an extra of its record (SSM parameters read
    /// with decryption): each row is classed with its extras.
    pub const BY_EXTRA: u32 = 1 << 18;
    /// A console sign-in that did not ask for a second factor (`MFAUsed: "No"`).
    pub const NO_MFA: u32 = 1 << 19;
}

/// One compact row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ev {
    pub ts: i64,
    pub idx: u32,
    pub key: u32,
    pub ip: u32,
    pub ua: u32,
    pub model: u32,
    pub region: u32,
    pub op: u32,
    pub flags: u32,
    pub req: f64,
    pub tok_in: f64,
    pub tok_out: f64,
    pub cost: f64,
}

impl Ev {
    pub fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }
}

/// Interned strings of one field; blank values are not interned (they read as none).
#[derive(Default)]
pub(crate) struct Interner {
    set: StrSet,
}

impl Interner {
    #[inline]
    pub fn get(&mut self, s: Option<&str>) -> u32 {
        let Some(s) = s else { return NONE };
        if let Some(i) = self.set.recent_id(s) {
            return i;
        }
        if is_blank(s) {
            NONE
        } else {
            self.set.insert(s).0
        }
    }
    pub fn name(&self, i: u32) -> &str {
        if i == NONE {
            ""
        } else {
            self.set.get(i)
        }
    }
    pub fn len(&self) -> usize {
        self.set.len()
    }
}

/// What the detectors need of an event beyond its [`Ev`]: where it came from, its provider,
/// its error, its span and its kind. Indexed by [`Ev::idx`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Side {
    /// The 1-based line, or `u64::MAX` for none.
    line: u64,
    /// The 0-based record index, or `u64::MAX` for none.
    record: u64,
    /// The file's name, in [`Prepared::files`].
    file: u32,
    /// In [`Prepared::errors`], or [`NONE`].
    error: u32,
    /// In [`Prepared::providers`].
    provider: u32,
    /// The HTTP status (valid when `meta` has [`HAS_HTTP`]).
    http: u16,
    /// Granularity (bits 0–1), record kind (bits 2–4), [`HAS_HTTP`].
    meta: u8,
}

const HAS_HTTP: u8 = 1 << 5;

const GRANULARITIES: [Granularity; 4] = [
    Granularity::Event,
    Granularity::Minute,
    Granularity::Hour,
    Granularity::Day,
];

const KINDS: [RecordKind; 5] = [
    RecordKind::Usage,
    RecordKind::Cost,
    RecordKind::Request,
    RecordKind::Audit,
    RecordKind::Alert,
];

fn opt_u64(v: Option<u64>) -> u64 {
    v.unwrap_or(u64::MAX)
}

fn u64_opt(v: u64) -> Option<u64> {
    (v != u64::MAX).then_some(v)
}

/// One key's rows.
pub(crate) struct KeyRange {
    /// The key identifier as given (never a raw secret by contract, redacted anyway if it
    /// looks like one, see [`display_key`]).
    pub raw: String,
    pub provider: String,
    pub aws_long_term: bool,
    /// The rows name no key, only a person or service account (`principal`).
    pub person: bool,
    pub start: usize,
    pub end: usize,
}

/// All rows, sorted by (key, time, input order).
pub(crate) struct Prepared {
    pub evs: Vec<Ev>,
    /// Per [`Ev::idx`].
    side: Vec<Side>,
    pub keys: Vec<KeyRange>,
    pub ips: Interner,
    pub uas: Interner,
    pub models: Interner,
    pub regions: Interner,
    pub ops: Interner,
    files: StrSet,
    providers: StrSet,
    errors: StrSet,
    /// Per user-agent id: matches a known attacker client.
    pub ua_attacker: Vec<bool>,
    /// Per user-agent id: a browser UA (`Mozilla/…`).
    pub ua_browser: Vec<bool>,
    pub global_first: i64,
    pub global_last: i64,
    /// Rows dropped as duplicates of an earlier (source_format, event_id, content).
    pub duplicates: u64,
    /// Some row carries a cost or token counts (else the cost is unknown, not zero).
    pub any_cost_data: bool,
    /// Every row came from CloudTrail (which carries no tokens and no cost).
    pub only_cloudtrail: bool,
    /// Events whose time is unknown, kept out of the rows (see `undated.rs`).
    pub undated: Vec<super::undated::UndatedEvent>,
    /// What the audit event behind a row created or changed, by [`Ev::idx`] (`kind id`).
    targets: std::collections::BTreeMap<u32, Named>,
}

/// What the audit event behind a row created or changed (`kind id`), and the account or project
/// it did it in (where a login it made is used: the same user name in another account is
/// another user).
#[derive(Debug, Clone)]
pub(crate) struct Named {
    labels: Vec<String>,
    account: Option<String>,
}

impl Named {
    /// The targets of `e`, if it names any.
    fn of(e: &UsageEvent) -> Option<Named> {
        (!e.targets.is_empty()).then(|| Named {
            labels: e.targets.iter().map(|t| t.label()).collect(),
            account: e.project.clone(),
        })
    }
}

/// Known attacker client strings (Permiso, Sysdig IoCs), matched case-insensitively as substrings.
pub(crate) const ATTACKER_UAS: &[&str] = &[
    "aiohttp/",
    "axios/",
    "python-urllib3/",
    "oai-reverse-proxy",
    "one-api",
    "keychecker",
    "go-http-client",
];

fn op_flags(op: &str) -> u32 {
    let o = op.to_ascii_lowercase();
    let o = o.as_str();
    let mut f = 0;
    let has = |p: &str| o.contains(p);
    if has("invokemodel")
        || has("converse")
        || has("completions")
        || has("messages")
        || has("responses")
        || has("embeddings")
        || has("generatecontent")
        || has("predict")
        || o == "generation"
        || o == "claude_code"
    {
        f |= flag::INVOKE;
    }
    const RECON: &[&str] = &[
        "getfoundationmodelavailability",
        "getmodelinvocationloggingconfiguration",
        "listfoundationmodels",
        "listinferenceprofiles",
        "getfoundationmodel",
        "listfoundationmodelagreementoffers",
        "getusecaseformodelaccess",
        "listcustommodels",
        "models.list",
        "/v1/models",
        "listmodels",
        "getcalleridentity",
    ];
    const LISTING: &[&str] = &[
        "listfoundationmodels",
        "listinferenceprofiles",
        "getfoundationmodelavailability",
        "models.list",
        "/v1/models",
        "listmodels",
    ];
    const CONSOLE: &[&str] = &[
        "getfoundationmodelavailability",
        "putusecaseformodelaccess",
        "getusecaseformodelaccess",
        "listfoundationmodelagreementoffers",
        "createfoundationmodelagreement",
        "putfoundationmodelentitlement",
    ];
    if RECON.iter().any(|p| o.ends_with(p)) {
        f |= flag::RECON;
    }
    if LISTING.iter().any(|p| o.ends_with(p)) {
        f |= flag::LISTING;
    }
    if CONSOLE.iter().any(|p| o.ends_with(p)) {
        f |= flag::CONSOLE_ONLY | flag::RECON;
    }
    if o.ends_with("getmodelinvocationloggingconfiguration") {
        f |= flag::LOG_CHECK;
    }
    // Calls that create lasting access, hide activity or read credentials: the catalog.
    f |= class_flags(super::catalog::classify(o), o);
    if super::catalog::conditional(o) {
        f |= flag::BY_EXTRA;
    }
    if f & (flag::PERSIST | flag::RECON | flag::LOG_TAMPER | flag::DESTROY) != 0 {
        f &= !flag::INVOKE;
    }
    f
}

/// The flags of a lower-cased operation the catalog classes `class`.
fn class_flags(class: Option<super::catalog::Class>, o: &str) -> u32 {
    use super::catalog::Class;
    match class {
        Some(Class::Evasion) => flag::LOG_TAMPER,
        Some(Class::Credential) if super::catalog::reads_secret(o) => {
            flag::PERSIST | flag::PERSIST_IAM | flag::SECRET_READ
        }
        Some(Class::Credential) => flag::PERSIST | flag::PERSIST_IAM,
        Some(Class::Lasting) => flag::PERSIST,
        Some(Class::Destruction) => flag::DESTROY,
        None => 0,
    }
}

pub(crate) fn is_probe_error(e: &UsageEvent) -> bool {
    if let Some(s) = e.http_status {
        if matches!(s, 401 | 403 | 429) {
            return true;
        }
    }
    match &e.error_code {
        Some(c) => {
            let c = c.to_ascii_lowercase();
            c.contains("validation")
                || c.contains("accessdenied")
                || c.contains("unauthorized")
                || c.contains("invalid_api_key")
                || c.contains("throttl")
                || c.contains("rate_limit")
                || c.contains("insufficient_quota")
                || c.contains("permission")
        }
        None => false,
    }
}

/// The grouping key of an event: the key id, else the hint, else the principal with its
/// provider's directory (`dev@example.com (openai)`; `azure` for Azure OpenAI and the rest of
/// Azure alike); a row with none of them (an organisation's usage or cost without `group_by`,
/// a cost report, an OpenRouter activity export) counts under a key-less group of its
/// provider and scope, `(no key: openai project proj_abc)` or `(no key: anthropic
/// organisation)`, never merged with another provider's or scope's rows.
pub(crate) fn key_of(e: &UsageEvent) -> std::borrow::Cow<'_, str> {
    fn nonblank(s: &Option<String>) -> Option<&str> {
        s.as_deref().filter(|s| !is_blank(s))
    }
    if let Some(k) = nonblank(&e.key_id).or(nonblank(&e.key_hint)) {
        return std::borrow::Cow::Borrowed(k);
    }
    // A person or service account acting without a key: the same address at two providers is
    // two accounts, so the provider's directory is part of the name.
    match nonblank(&e.principal) {
        Some(p) => std::borrow::Cow::Owned(format!("{p} ({})", directory(&e.provider))),
        None => std::borrow::Cow::Owned(keyless(e)),
    }
}

/// The directory a key-less actor's name belongs to: one Microsoft Entra ID principal acts on
/// Azure OpenAI accounts and on the rest of Azure (role assignments, Key Vault, diagnostic
/// settings) alike, so both are `azure`.
fn directory(provider: &str) -> &str {
    match provider {
        "azure_openai" => "azure",
        p => p,
    }
}

/// The rows ordered by key, then time, then input order (`idx`, unique and rising in the order
/// rows were taken): placed by key in one counting pass, which keeps each key's rows in input
/// order, and then sorted by time only where a key's rows are not in time order already (an
/// export is mostly written in time order). With them, where each key's rows start: key `k`'s
/// are at `bounds[k]..bounds[k + 1]`.
fn by_key_then_time(evs: Vec<Ev>, keys: usize) -> (Vec<Ev>, Vec<usize>) {
    debug_assert!(evs.windows(2).all(|w| w[0].idx < w[1].idx));
    let mut start = vec![0usize; keys + 1];
    for ev in &evs {
        start[ev.key as usize + 1] += 1;
    }
    for k in 0..keys {
        start[k + 1] += start[k];
    }
    let bounds = start.clone();
    // Each row written once, at its place, in input order: the reads go straight through the
    // rows, and no list of places is made first.
    let mut out: Vec<Ev> = Vec::with_capacity(evs.len());
    let room = out.spare_capacity_mut();
    for ev in &evs {
        let at = &mut start[ev.key as usize];
        room[*at].write(*ev);
        *at += 1;
    }
    // SAFETY: every row's key is below `keys` (the count above would have failed otherwise),
    // and each key's places `bounds[k]..bounds[k + 1]` were written by its rows, one row to a
    // place (there are as many places as rows), so every place is written.
    unsafe { out.set_len(evs.len()) };
    drop(evs);
    for k in 0..keys {
        let rows = &mut out[bounds[k]..bounds[k + 1]];
        if !rows.is_sorted_by_key(|a| a.ts) {
            rows.sort_unstable_by_key(|a| (a.ts, a.idx));
        }
    }
    (out, bounds)
}

/// The label of a key-less group (see [`key_of`]).
fn keyless(e: &UsageEvent) -> String {
    let provider = &e.provider;
    let scope = match provider.as_str() {
        "anthropic" => "workspace",
        "aws" | "aws_bedrock" => "account",
        "azure" | "azure_openai" => "resource",
        "openai" | "gcp" | "gcp_vertex" | "gemini_api" => "project",
        _ => "scope",
    };
    match e
        .project
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        // An activity feed names the organisation (`org_…`), not a workspace.
        Some(p) if p.starts_with("org_") || p.starts_with("org-") => {
            format!("{KEYLESS}{provider} organisation {p})")
        }
        Some(p) => format!("{KEYLESS}{provider} {scope} {p})"),
        None => format!("{KEYLESS}{provider} organisation)"),
    }
}

/// True when an actor acting without a key looks like a person: a user name in the GitHub
/// audit log (a token would show as `hashed_token`), or an e-mail address that is not a
/// service account's. A service principal's object id or a role ARN is a workload.
fn looks_like_person(provider: &str, principal: &str) -> bool {
    let p = trimmed(principal);
    // The cheap tests first: a trail names every caller by its ARN.
    !p.is_empty()
        && (provider == "github"
            || !p.starts_with("arn:") && !p.ends_with(".gserviceaccount.com") && p.contains('@'))
}

/// How every key-less group's label starts.
pub(crate) const KEYLESS: &str = "(no key: ";

/// True for a key-less group (see [`key_of`]): its rows name no key, so nothing ties their
/// cost to the attacker.
pub(crate) fn is_keyless(raw: &str) -> bool {
    raw.starts_with(KEYLESS)
}

/// The key as shown in alerts: redacted when it looks like a raw secret.
pub(crate) fn display_key(s: &str) -> String {
    crate::secret::display_name(s)
}

impl Prepared {
    /// Where the event behind a row came from.
    pub fn raw_ref(&self, idx: u32) -> RawRef {
        let s = &self.side[idx as usize];
        RawRef {
            file: self.files.get(s.file).to_string(),
            line: u64_opt(s.line),
            record: u64_opt(s.record),
        }
    }

    /// What the audit event behind a row created or changed (`kind id` each; none for most).
    pub fn targets_of(&self, idx: u32) -> &[String] {
        self.targets.get(&idx).map_or(&[], |n| n.labels.as_slice())
    }

    /// The account or project of the row by [`Ev::idx`] `idx` that names targets.
    pub fn target_account(&self, idx: u32) -> Option<&str> {
        self.targets.get(&idx)?.account.as_deref()
    }

    /// The targets of the rows whose call went through, each once in row order; of every row
    /// when none did (a refused call made or deleted nothing, but what it tried is named
    /// when nothing else is).
    pub fn targets_done(&self, rows: &[usize]) -> Vec<&String> {
        let ok = rows.iter().any(|&i| !self.evs[i].has(flag::ERROR));
        let mut v: Vec<&String> = Vec::new();
        for &i in rows {
            if ok && self.evs[i].has(flag::ERROR) {
                continue;
            }
            for t in self.targets_of(self.evs[i].idx) {
                if !v.contains(&t) {
                    v.push(t);
                }
            }
        }
        v
    }

    /// The provider of the event behind a row.
    pub fn provider(&self, idx: u32) -> &str {
        self.providers.get(self.side[idx as usize].provider)
    }

    /// The width of the event's span.
    pub fn granularity(&self, idx: u32) -> Granularity {
        GRANULARITIES[(self.side[idx as usize].meta & 3) as usize]
    }

    fn record_kind(&self, idx: u32) -> RecordKind {
        KINDS[((self.side[idx as usize].meta >> 2) & 7) as usize]
    }

    /// The event's error code.
    pub fn error_code(&self, idx: u32) -> Option<&str> {
        let e = self.side[idx as usize].error;
        (e != NONE).then(|| self.errors.get(e))
    }

    /// The event's HTTP status.
    pub fn http_status(&self, idx: u32) -> Option<u16> {
        let s = &self.side[idx as usize];
        (s.meta & HAS_HTTP != 0).then_some(s.http)
    }
}

/// What an event tells of its run and its key, beyond its row ([`Builder::keyed`]).
mod bit {
    /// The event carries a cost or token counts.
    pub const COST_DATA: u8 = 1;
    /// The event is not from CloudTrail.
    pub const NOT_CLOUDTRAIL: u8 = 1 << 1;
    /// The event names no key, only a person (its key's first event decides).
    pub const PERSON: u8 = 1 << 2;
    /// A cost row with a cost.
    pub const COST_ROW: u8 = 1 << 3;
    /// The key is an AWS long-term access key.
    pub const AWS: u8 = 1 << 4;
    /// The time is unknown: the row is an undated event.
    pub const UNDATED: u8 = 1 << 5;
    /// The error says a spend limit or quota refused the call.
    pub const QUOTA: u8 = 1 << 6;
}

fn bits_of(e: &UsageEvent) -> u8 {
    let mut b = 0;
    if e.cost_usd.is_some() || e.input_tokens.is_some() || e.output_tokens.is_some() {
        b |= bit::COST_DATA;
    }
    if !e.source_format.starts_with("aws.cloudtrail") {
        b |= bit::NOT_CLOUDTRAIL;
    }
    if e.key_id.as_deref().is_none_or(is_blank)
        && e.key_hint.as_deref().is_none_or(is_blank)
        && e.principal
            .as_deref()
            .is_some_and(|p| looks_like_person(&e.provider, p))
    {
        b |= bit::PERSON;
    }
    if e.record_kind == RecordKind::Cost && e.cost_usd.is_some() {
        b |= bit::COST_ROW;
    }
    if e.key_id
        .as_deref()
        .is_some_and(|k| k.starts_with("AKIA") && k.len() >= 16)
    {
        b |= bit::AWS;
    }
    if e.ts_unknown {
        b |= bit::UNDATED;
    }
    if is_quota_error(e.error_code.as_deref()) {
        b |= bit::QUOTA;
    }
    b
}

/// Error codes and messages that mean a spend limit or quota refused the call.
const QUOTA_CODES: &[&str] = &[
    "insufficient_quota",
    "billing_hard_limit",
    "spend_limit",
    "budget",
    "credit balance",
];

/// Whether an error code means a spend limit or quota refused the call.
pub(crate) fn is_quota_error(code: Option<&str>) -> bool {
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        return false;
    };
    let code = code.to_ascii_lowercase();
    QUOTA_CODES.iter().any(|q| code.contains(q))
}

/// Whether a user agent is a known attacker client, and whether it is a browser's.
fn ua_kind(ua: &str) -> (bool, bool) {
    let l = ua.to_ascii_lowercase();
    (
        ATTACKER_UAS.iter().any(|a| l.contains(a)),
        l.starts_with("mozilla/"),
    )
}

/// What an event's row holds that depends on the event alone, given the flags of its operation
/// ([`op_flags`], none without one), whether its user agent is a browser's and its model's
/// list price.
struct Own {
    flags: u32,
    req: f64,
    tok_in: f64,
    tok_out: f64,
    cost: f64,
    line: u64,
    record: u64,
    http: u16,
    meta: u8,
}

impl Own {
    fn of(
        e: &UsageEvent,
        op: Option<u32>,
        browser: bool,
        price: Option<(f64, f64)>,
        estimate_cost: bool,
    ) -> Own {
        let mut flags = op.unwrap_or(0);
        // A call the catalog classes by an extra of its record (rare: read per row): its class
        // is the row's, in place of the one its name gives.
        if flags & flag::BY_EXTRA != 0 {
            if let Some(o) = e.operation.as_deref().map(str::to_ascii_lowercase) {
                let extra = |k: &str| e.extras.get(k).map(String::as_str);
                flags &= !class_flags(super::catalog::classify(&o), &o);
                flags |= class_flags(super::catalog::classify_with(&o, &extra), &o);
            }
        }
        if e.granularity != Granularity::Day {
            flags |= flag::SUBDAILY;
        }
        if e.granularity == Granularity::Event {
            flags |= flag::POINT;
        }
        let actor_type = e.extras.get("actor_type").map(String::as_str);
        if matches!(actor_type, Some("session" | "user_actor"))
            || (browser && !matches!(actor_type, Some("api_key" | "api_actor")))
        {
            flags |= flag::HUMAN;
        }
        // Only a console sign-in says it (its name is compared before the map is looked in).
        let mfa = || e.extras.get(crate::evidence::event::MFA_USED);
        if e.operation.as_deref() == Some("ConsoleLogin") && mfa().is_some_and(|m| m == "No") {
            flags |= flag::NO_MFA;
        }
        if e.is_error() {
            flags |= flag::ERROR;
            if is_probe_error(e) {
                flags |= flag::PROBE_ERR;
            }
        }
        let tok_in = e.input_tokens.unwrap_or(0) as f64;
        let tok_out = e.output_tokens.unwrap_or(0) as f64;
        let req = match e.record_kind {
            RecordKind::Usage | RecordKind::Request => {
                flags |= flag::USAGE;
                match e.requests {
                    Some(r) => r as f64,
                    None if e.granularity == Granularity::Event => 1.0,
                    None => 0.0,
                }
            }
            RecordKind::Audit if flags & flag::INVOKE != 0 => {
                flags |= flag::USAGE;
                e.requests.unwrap_or(1) as f64
            }
            _ => 0.0,
        };
        if e.record_kind == RecordKind::Request && op.is_none() {
            flags |= flag::INVOKE;
        }
        let mut cost = e.cost_usd.filter(|c| c.is_finite()).unwrap_or(0.0);
        if e.cost_usd.is_some() {
            flags |= flag::HAS_COST;
        }
        if estimate_cost
            && e.cost_usd.is_none()
            && flags & flag::USAGE != 0
            && tok_in + tok_out > 0.0
        {
            if let Some((pi, po)) = price {
                cost = tok_in * pi + tok_out * po;
                flags |= flag::HAS_COST | flag::COST_EST;
            }
        }
        let gran = match e.granularity {
            Granularity::Event => 0,
            Granularity::Minute => 1,
            Granularity::Hour => 2,
            Granularity::Day => 3,
        };
        let kind = match e.record_kind {
            RecordKind::Usage => 0u8,
            RecordKind::Cost => 1,
            RecordKind::Request => 2,
            RecordKind::Audit => 3,
            RecordKind::Alert => 4,
        };
        Own {
            flags,
            req,
            tok_in,
            tok_out,
            cost,
            line: opt_u64(e.raw_ref.line),
            record: opt_u64(e.raw_ref.record),
            http: e.http_status.unwrap_or(0),
            meta: gran | kind << 2 | if e.http_status.is_some() { HAS_HTTP } else { 0 },
        }
    }

    fn side(&self, file: u32, error: u32, provider: u32) -> Side {
        Side {
            line: self.line,
            record: self.record,
            file,
            error,
            provider,
            http: self.http,
            meta: self.meta,
        }
    }
}

/// One file's events made into rows on the thread that read the file ([`Part::push`]), for
/// [`Builder::take`] to add in their turn. Its strings are numbered in the part's own sets and
/// renumbered in the run's as the part is taken, so taking a part costs a few numbers an event
/// and each distinct string once; the rows are the ones [`Builder::push`] makes of the same
/// events, in the same order.
#[derive(Clone, Default)]
pub(crate) struct Part {
    estimate_cost: bool,
    rows: Vec<PartRow>,
    /// The undated events, by [`Ev::idx`] of their rows.
    undated: Vec<super::undated::UndatedEvent>,
    /// What the audit events behind rows created or changed, by row, in row order.
    targets: Vec<(u32, Named)>,
    keys: StrSet,
    ips: StrSet,
    uas: StrSet,
    models: StrSet,
    regions: StrSet,
    ops: StrSet,
    files: StrSet,
    providers: StrSet,
    errors: StrSet,
    projects: StrSet,
    /// Per operation: its flags, none for a blank one (no operation to the run's rows).
    op_flags: Vec<Option<u32>>,
    /// Per user agent: [`ua_kind`].
    ua_kind: Vec<(bool, bool)>,
    /// Per model: its list price, none for a blank one.
    prices: Vec<Option<(f64, f64)>>,
}

/// One event of a [`Part`]: its row with the part's numbers (strings in the part's sets,
/// [`NONE`] for none, blank ones included), the project and [`bit`]s.
#[derive(Clone, Copy)]
struct PartRow {
    ev: Ev,
    side: Side,
    project: u32,
    bits: u8,
}

/// Numbers a value in a part's set ([`NONE`] for none).
fn local(set: &mut StrSet, s: Option<&str>) -> u32 {
    s.map_or(NONE, |s| set.insert(s).0)
}

fn nonblank(s: &str) -> bool {
    !is_blank(s)
}

impl Part {
    /// An empty part for rows that estimate missing costs when `estimate_cost`.
    pub(crate) fn new(estimate_cost: bool) -> Part {
        Part {
            estimate_cost,
            ..Part::default()
        }
    }

    /// Takes the file's next event.
    pub(crate) fn push(&mut self, e: &UsageEvent) {
        let bits = bits_of(e);
        let key = self.keys.insert(&key_of(e)).0;
        let op = local(&mut self.ops, e.operation.as_deref());
        if op != NONE && op as usize >= self.op_flags.len() {
            let o = self.ops.get(op);
            self.op_flags.push(nonblank(o).then(|| op_flags(o)));
        }
        let ua = local(&mut self.uas, e.user_agent.as_deref());
        if ua != NONE && ua as usize >= self.ua_kind.len() {
            let u = self.uas.get(ua);
            self.ua_kind.push(if nonblank(u) {
                ua_kind(u)
            } else {
                (false, false)
            });
        }
        let model = local(&mut self.models, e.model.as_deref());
        if model != NONE && model as usize >= self.prices.len() {
            let m = self.models.get(model);
            self.prices
                .push(nonblank(m).then(|| super::prices::price(m)).flatten());
        }
        let own = Own::of(
            e,
            if op == NONE {
                None
            } else {
                self.op_flags[op as usize]
            },
            ua != NONE && self.ua_kind[ua as usize].1,
            if model == NONE {
                None
            } else {
                self.prices[model as usize]
            },
            self.estimate_cost,
        );
        let row = self.rows.len() as u32;
        let idx = if e.ts_unknown {
            self.undated.push(super::undated::of(e));
            self.undated.len() as u32 - 1
        } else {
            if let Some(n) = Named::of(e) {
                self.targets.push((row, n));
            }
            row
        };
        let side = own.side(
            self.files.insert(&e.raw_ref.file).0,
            local(&mut self.errors, e.error_code.as_deref()),
            self.providers.insert(&e.provider).0,
        );
        self.rows.push(PartRow {
            ev: Ev {
                ts: if e.ts_unknown { 0 } else { e.ts.timestamp() },
                idx,
                key,
                ip: local(&mut self.ips, e.source_ip.as_deref()),
                ua,
                model,
                region: local(&mut self.regions, e.region.as_deref()),
                op,
                flags: own.flags,
                req: own.req,
                tok_in: own.tok_in,
                tok_out: own.tok_out,
                cost: own.cost,
            },
            side,
            project: local(&mut self.projects, e.project.as_deref()),
            bits,
        });
    }

    /// The events taken, all but those at `dropped` (ascending), as [`crate::scope::Usage`]
    /// reads them.
    pub(crate) fn kept<'a>(&'a self, dropped: &'a [u32]) -> impl Iterator<Item = UsageRow<'a>> {
        let mut dropped = dropped.iter().copied().peekable();
        self.rows
            .iter()
            .enumerate()
            .filter(move |(i, _)| dropped.next_if_eq(&(*i as u32)).is_none())
            .map(move |(_, r)| {
                let opt = |set: &'a StrSet, i: u32| (i != NONE).then(|| set.get(i));
                UsageRow {
                    key: r.ev.key,
                    key_name: self.keys.get(r.ev.key),
                    provider: self.providers.get(r.side.provider),
                    file: r.side.file,
                    file_name: self.files.get(r.side.file),
                    line: u64_opt(r.side.line),
                    record: u64_opt(r.side.record),
                    project: r.project,
                    project_name: opt(&self.projects, r.project),
                    model: r.ev.model,
                    model_name: opt(&self.models, r.ev.model),
                    quota: r.bits & bit::QUOTA != 0,
                    error: r.ev.flags & flag::ERROR != 0,
                    op: r.ev.op,
                    op_name: opt(&self.ops, r.ev.op),
                }
            })
    }

    /// Strings of the part's keys (for [`UsageRow::key`] numbers).
    pub(crate) fn keys(&self) -> usize {
        self.keys.len()
    }

    /// Operations in the part (for [`UsageRow::op`] numbers).
    pub(crate) fn ops(&self) -> usize {
        self.ops.len()
    }
}

/// What [`crate::scope::Usage`] reads of an event of a [`Part`]: the numbers are the part's
/// (the same string, the same number), [`NONE`] for none.
pub(crate) struct UsageRow<'a> {
    pub key: u32,
    pub key_name: &'a str,
    pub provider: &'a str,
    pub file: u32,
    pub file_name: &'a str,
    pub line: Option<u64>,
    pub record: Option<u64>,
    pub project: u32,
    pub project_name: Option<&'a str>,
    pub model: u32,
    pub model_name: Option<&'a str>,
    pub quota: bool,
    pub error: bool,
    pub op: u32,
    pub op_name: Option<&'a str>,
}

impl UsageRow<'_> {
    /// Where the event came from.
    pub fn raw_ref(&self) -> RawRef {
        RawRef {
            file: self.file_name.to_string(),
            line: self.line,
            record: self.record,
        }
    }
}

/// A part's number not yet renumbered in the run's sets.
const UNSET: u32 = u32::MAX - 1;

/// Renumbers a part's value in the run's set, once per part and value.
#[inline]
fn renumber(map: &mut [u32], i: u32, global: impl FnOnce() -> u32) -> u32 {
    if i == NONE {
        return NONE;
    }
    let m = &mut map[i as usize];
    if *m == UNSET {
        *m = global();
    }
    *m
}

/// Prepares the rows of events already in memory.
#[inline(never)]
pub(crate) fn prepare(events: &[UsageEvent], estimate_cost: bool) -> Prepared {
    let mut b = Builder::new(estimate_cost, true);
    b.reserve(events.len());
    for e in events {
        b.push(e);
    }
    b.finish()
}

/// Prepares rows from events given one at a time (nothing else of them is kept).
pub(crate) struct Builder {
    estimate_cost: bool,
    /// Merge keys seen, each under its source format's hash, when rows repeating one are to
    /// be dropped.
    seen_ids: Option<KeySet>,
    p: Prepared,
    key_ids: Interner,
    op_cache: Vec<u32>,
    price_cache: Vec<Option<(f64, f64)>>,
    key_has_cost_rows: Vec<bool>,
    key_provider: Vec<u32>,
    key_aws: Vec<bool>,
    key_person: Vec<bool>,
}

impl Builder {
    /// A builder; `dedup` drops an event whose (source format, event id) an earlier one had.
    pub(crate) fn new(estimate_cost: bool, dedup: bool) -> Self {
        Builder {
            estimate_cost,
            seen_ids: dedup.then(KeySet::default),
            p: Prepared {
                evs: Vec::new(),
                side: Vec::new(),
                keys: Vec::new(),
                ips: Interner::default(),
                uas: Interner::default(),
                models: Interner::default(),
                regions: Interner::default(),
                ops: Interner::default(),
                files: StrSet::default(),
                providers: StrSet::default(),
                errors: StrSet::default(),
                ua_attacker: Vec::new(),
                ua_browser: Vec::new(),
                global_first: 0,
                global_last: 0,
                duplicates: 0,
                any_cost_data: false,
                only_cloudtrail: true,
                undated: Vec::new(),
                targets: Default::default(),
            },
            key_ids: Interner::default(),
            op_cache: Vec::new(),
            price_cache: Vec::new(),
            key_has_cost_rows: Vec::new(),
            key_provider: Vec::new(),
            key_aws: Vec::new(),
            key_person: Vec::new(),
        }
    }

    /// An empty part for these rows.
    pub(crate) fn part(&self) -> Part {
        Part::new(self.estimate_cost)
    }

    fn reserve(&mut self, n: usize) {
        self.p.evs.reserve_exact(n);
        self.p.side.reserve_exact(n);
    }

    /// Takes one event.
    pub(crate) fn push(&mut self, e: &UsageEvent) {
        let p = &mut self.p;
        // The merge key is made only when rows repeating one are dropped here (rows of events
        // the evidence stage merged already have none to drop).
        if let Some((seen, id)) = self
            .seen_ids
            .as_mut()
            .and_then(|seen| Some((seen, e.merge_key()?)))
        {
            if !seen.insert(id ^ u128::from(hash64(&e.source_format))) {
                p.duplicates += 1;
                return;
            }
        }
        if e.ts_unknown {
            p.undated.push(super::undated::of(e));
            return;
        }
        let bits = bits_of(e);
        let key = self.key_ids.get(Some(&key_of(e)));
        let provider = p.providers.insert(&e.provider).0;
        self.keyed(key, provider, bits);
        let p = &mut self.p;
        let op = p.ops.get(e.operation.as_deref());
        if op != NONE && op as usize >= self.op_cache.len() {
            self.op_cache.push(op_flags(p.ops.name(op)));
        }
        let ua = p.uas.get(e.user_agent.as_deref());
        if ua != NONE && ua as usize >= p.ua_attacker.len() {
            let (attacker, browser) = ua_kind(p.uas.name(ua));
            p.ua_attacker.push(attacker);
            p.ua_browser.push(browser);
        }
        let model = p.models.get(e.model.as_deref());
        if model != NONE && model as usize >= self.price_cache.len() {
            self.price_cache
                .push(super::prices::price(p.models.name(model)));
        }
        let own = Own::of(
            e,
            (op != NONE).then(|| self.op_cache[op as usize]),
            ua != NONE && p.ua_browser[ua as usize],
            if model == NONE {
                None
            } else {
                self.price_cache[model as usize]
            },
            self.estimate_cost,
        );
        let idx = p.side.len() as u32;
        if let Some(n) = Named::of(e) {
            p.targets.insert(idx, n);
        }
        p.side.push(
            own.side(
                p.files.insert(&e.raw_ref.file).0,
                e.error_code
                    .as_deref()
                    .map_or(NONE, |c| p.errors.insert(c).0),
                provider,
            ),
        );
        p.evs.push(Ev {
            ts: e.ts.timestamp(),
            idx,
            key,
            ip: p.ips.get(e.source_ip.as_deref()),
            ua,
            model,
            region: p.regions.get(e.region.as_deref()),
            op,
            flags: own.flags,
            req: own.req,
            tok_in: own.tok_in,
            tok_out: own.tok_out,
            cost: own.cost,
        });
    }

    /// Records what an event tells of its key (`key`, of `provider`) and of the run.
    fn keyed(&mut self, key: u32, provider: u32, bits: u8) {
        let p = &mut self.p;
        if bits & bit::COST_DATA != 0 {
            p.any_cost_data = true;
        }
        if bits & bit::NOT_CLOUDTRAIL != 0 {
            p.only_cloudtrail = false;
        }
        if key as usize >= self.key_has_cost_rows.len() {
            self.key_has_cost_rows.push(false);
            self.key_provider.push(provider);
            self.key_aws.push(false);
            self.key_person.push(bits & bit::PERSON != 0);
        }
        if bits & bit::COST_ROW != 0 {
            self.key_has_cost_rows[key as usize] = true;
        }
        if bits & bit::AWS != 0 {
            self.key_aws[key as usize] = true;
        }
    }

    /// Takes the events of `part` but those at `dropped` (ascending), as [`Builder::push`]
    /// of each in turn would. Only for rows that drop no repeated id (the merge dropped them).
    pub(crate) fn take(&mut self, part: &Part, dropped: &[u32]) {
        debug_assert!(self.seen_ids.is_none());
        let map = |set: &StrSet| vec![UNSET; set.len()];
        let (mut keys, mut ips, mut uas, mut models) = (
            map(&part.keys),
            map(&part.ips),
            map(&part.uas),
            map(&part.models),
        );
        let (mut regions, mut ops, mut files, mut providers, mut errors) = (
            map(&part.regions),
            map(&part.ops),
            map(&part.files),
            map(&part.providers),
            map(&part.errors),
        );
        let mut dropped = dropped.iter().copied().peekable();
        let mut targets = part.targets.iter().peekable();
        self.reserve_more(part.rows.len());
        for (i, r) in part.rows.iter().enumerate() {
            if dropped.next_if_eq(&(i as u32)).is_some() {
                continue;
            }
            if r.bits & bit::UNDATED != 0 {
                self.p.undated.push(part.undated[r.ev.idx as usize].clone());
                continue;
            }
            let key = renumber(&mut keys, r.ev.key, || {
                self.key_ids.get(Some(part.keys.get(r.ev.key)))
            });
            let p = &mut self.p;
            let provider = renumber(&mut providers, r.side.provider, || {
                p.providers.insert(part.providers.get(r.side.provider)).0
            });
            self.keyed(key, provider, r.bits);
            let p = &mut self.p;
            let op = renumber(&mut ops, r.ev.op, || p.ops.get(Some(part.ops.get(r.ev.op))));
            if op != NONE && op as usize >= self.op_cache.len() {
                self.op_cache
                    .push(part.op_flags[r.ev.op as usize].unwrap_or_default());
            }
            let ua = renumber(&mut uas, r.ev.ua, || p.uas.get(Some(part.uas.get(r.ev.ua))));
            if ua != NONE && ua as usize >= p.ua_attacker.len() {
                let (attacker, browser) = part.ua_kind[r.ev.ua as usize];
                p.ua_attacker.push(attacker);
                p.ua_browser.push(browser);
            }
            let model = renumber(&mut models, r.ev.model, || {
                p.models.get(Some(part.models.get(r.ev.model)))
            });
            if model != NONE && model as usize >= self.price_cache.len() {
                self.price_cache.push(part.prices[r.ev.model as usize]);
            }
            let idx = p.side.len() as u32;
            while let Some((row, named)) = targets.next_if(|(row, _)| *row <= i as u32) {
                if *row == i as u32 {
                    p.targets.insert(idx, named.clone());
                }
            }
            p.side.push(Side {
                file: renumber(&mut files, r.side.file, || {
                    p.files.insert(part.files.get(r.side.file)).0
                }),
                error: renumber(&mut errors, r.side.error, || {
                    p.errors.insert(part.errors.get(r.side.error)).0
                }),
                provider,
                ..r.side
            });
            p.evs.push(Ev {
                idx,
                key,
                ip: renumber(&mut ips, r.ev.ip, || p.ips.get(Some(part.ips.get(r.ev.ip)))),
                ua,
                model,
                region: renumber(&mut regions, r.ev.region, || {
                    p.regions.get(Some(part.regions.get(r.ev.region)))
                }),
                op,
                ..r.ev
            });
        }
    }

    /// Room for `n` more rows, grown by doubling (a part at a time would grow them by little).
    fn reserve_more(&mut self, n: usize) {
        let p = &mut self.p;
        if p.evs.capacity() - p.evs.len() < n {
            p.evs.reserve(n.max(p.evs.len()));
        }
        if p.side.capacity() - p.side.len() < n {
            p.side.reserve(n.max(p.side.len()));
        }
    }

    /// Applies the cost rule, sorts the rows by key, time and input order, and cuts them
    /// into keys.
    #[inline(never)]
    pub(crate) fn finish(self) -> Prepared {
        let Builder {
            mut p,
            key_ids,
            key_has_cost_rows,
            key_provider,
            key_aws,
            key_person,
            ..
        } = self;
        // The memory the growing side rows reserved beyond their rows is given back (the rows
        // themselves are placed anew in key order, below).
        p.side.shrink_to_fit();
        // Keys in name order, rows by time then input order.
        let mut order: Vec<u32> = (0..key_ids.len() as u32).collect();
        order.sort_by(|a, b| key_ids.name(*a).cmp(key_ids.name(*b)));
        let mut rank = vec![0u32; order.len()];
        for (r, k) in order.iter().enumerate() {
            rank[*k as usize] = r as u32;
        }
        for i in 0..p.evs.len() {
            let ev = p.evs[i];
            // The cost rule: where a key has cost rows, only they count for its cost (usage
            // rows' own cost fields would count the same spend twice).
            let uncosted =
                key_has_cost_rows[ev.key as usize] && p.record_kind(ev.idx) != RecordKind::Cost;
            let ev = &mut p.evs[i];
            if uncosted {
                ev.cost = 0.0;
                ev.flags &= !(flag::HAS_COST | flag::COST_EST);
            }
            ev.key = rank[ev.key as usize];
        }
        let bounds;
        (p.evs, bounds) = by_key_then_time(std::mem::take(&mut p.evs), order.len());
        for (k, w) in bounds.windows(2).enumerate() {
            let (s, e) = (w[0], w[1]);
            if s == e {
                continue;
            }
            let orig = order[k] as usize;
            p.keys.push(KeyRange {
                raw: key_ids.name(order[k]).to_string(),
                provider: p.providers.get(key_provider[orig]).to_string(),
                aws_long_term: key_aws[orig],
                person: key_person[orig],
                start: s,
                end: e,
            });
        }
        // Each key's rows are in time order: the first and last of all are among their ends.
        let ends = || {
            p.keys
                .iter()
                .map(|k| (p.evs[k.start].ts, p.evs[k.end - 1].ts))
        };
        p.global_first = ends().map(|(first, _)| first).min().unwrap_or(0);
        p.global_last = ends().map(|(_, last)| last).max().unwrap_or(0);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::event::RawRef;
    use chrono::{TimeZone, Utc};

    /// Events of several keys interleaved, some keys' rows out of time order and some times
    /// repeated, some with no key (grouped by their principal).
    fn events(n: usize, seed: u64) -> Vec<UsageEvent> {
        let mut rng = crate::scan::fake::Rng::new(seed);
        (0..n)
            .map(|i| {
                let r = rng.next_u64();
                let ts = Utc
                    .timestamp_opt(1_700_000_000 + (r % 5_000) as i64, 0)
                    .unwrap();
                let mut e = UsageEvent::new(
                    ts,
                    "openai",
                    "openai.usage",
                    RawRef {
                        file: "u.json".into(),
                        line: None,
                        record: Some(i as u64),
                    },
                );
                match (r >> 20) % 9 {
                    0 => e.principal = Some(format!("user-{}", (r >> 30) % 3)),
                    k => e.key_id = Some(format!("key_{k:02}")),
                }
                e
            })
            .collect()
    }

    /// The rows come out by key name, then time, then input order, each key's range holding
    /// exactly its rows, and the first and last times are those of all rows.
    #[test]
    fn rows_are_ordered_by_key_then_time_then_input_order() {
        for (n, seed) in [(0, 1), (1, 2), (7, 3), (2_000, 4), (5_000, 0x9e37_79b9)] {
            let evs = events(n, seed);
            let p = prepare(&evs, false);
            assert_eq!(p.evs.len(), n);
            let mut want: Vec<(String, i64, u32)> = evs
                .iter()
                .enumerate()
                .map(|(i, e)| (key_of(e).into_owned(), e.ts.timestamp(), i as u32))
                .collect();
            want.sort();
            let mut got = Vec::new();
            for (k, range) in p.keys.iter().enumerate() {
                assert!(range.start < range.end, "{n}: key {k} is empty");
                for ev in &p.evs[range.start..range.end] {
                    assert_eq!(ev.key as usize, k);
                    got.push((range.raw.clone(), ev.ts, ev.idx));
                }
            }
            assert_eq!(got, want, "{n} rows, seed {seed}");
            let times = || evs.iter().map(|e| e.ts.timestamp());
            assert_eq!(p.global_first, times().min().unwrap_or(0));
            assert_eq!(p.global_last, times().max().unwrap_or(0));
        }
    }
}
