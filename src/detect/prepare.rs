//! Turns usage events into compact, interned, per-key sorted rows the detectors scan.
//!
//! Events are taken one at a time ([`Builder::push`]), so the whole pipeline never holds
//! them as [`UsageEvent`]s: each becomes one [`Ev`] and one [`Side`] row (104 bytes together)
//! whose strings are numbered in per-run string sets.

use crate::evidence::event::{Granularity, RawRef, RecordKind, UsageEvent};
use crate::evidence::intern::StrSet;

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
        if let Some(i) = self.set.last_is(s) {
            return i;
        }
        if s.trim().is_empty() {
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
    pub targets: std::collections::BTreeMap<u32, Vec<String>>,
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
    match super::catalog::classify(o) {
        Some(super::catalog::Class::Evasion) => f |= flag::LOG_TAMPER,
        Some(super::catalog::Class::Credential) => f |= flag::PERSIST | flag::PERSIST_IAM,
        Some(super::catalog::Class::Lasting) => f |= flag::PERSIST,
        None => {}
    }
    if f & (flag::PERSIST | flag::RECON | flag::LOG_TAMPER) != 0 {
        f &= !flag::INVOKE;
    }
    f
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
        s.as_deref().filter(|s| !s.trim().is_empty())
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
    let p = principal.trim();
    !p.is_empty()
        && (provider == "github"
            || p.contains('@') && !p.ends_with(".gserviceaccount.com") && !p.starts_with("arn:"))
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
    /// `(source_format, event_id)` pairs seen, when rows repeating one are to be dropped.
    seen_ids: Option<StrSet>,
    p: Prepared,
    key_ids: Interner,
    op_cache: Vec<u32>,
    price_cache: Vec<Option<(f64, f64)>>,
    key_has_cost_rows: Vec<bool>,
    key_provider: Vec<u32>,
    key_aws: Vec<bool>,
    key_person: Vec<bool>,
    id_buf: String,
}

impl Builder {
    /// A builder; `dedup` drops an event whose (source format, event id) an earlier one had.
    pub(crate) fn new(estimate_cost: bool, dedup: bool) -> Self {
        Builder {
            estimate_cost,
            seen_ids: dedup.then(StrSet::default),
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
            id_buf: String::new(),
        }
    }

    fn reserve(&mut self, n: usize) {
        self.p.evs.reserve_exact(n);
        self.p.side.reserve_exact(n);
    }

    /// Takes one event.
    pub(crate) fn push(&mut self, e: &UsageEvent) {
        let p = &mut self.p;
        if let (Some(id), Some(seen)) = (e.merge_key(), self.seen_ids.as_mut()) {
            // A separator no format name contains.
            self.id_buf.clear();
            self.id_buf.push_str(&e.source_format);
            self.id_buf.push('\0');
            self.id_buf.push_str(&id);
            if !seen.insert(&self.id_buf).1 {
                p.duplicates += 1;
                return;
            }
        }
        if e.ts_unknown {
            p.undated.push(super::undated::of(e));
            return;
        }
        if e.cost_usd.is_some() || e.input_tokens.is_some() || e.output_tokens.is_some() {
            p.any_cost_data = true;
        }
        if !e.source_format.starts_with("aws.cloudtrail") {
            p.only_cloudtrail = false;
        }
        let key = self.key_ids.get(Some(&key_of(e)));
        let provider = p.providers.insert(&e.provider).0;
        if key as usize >= self.key_has_cost_rows.len() {
            self.key_has_cost_rows.push(false);
            self.key_provider.push(provider);
            self.key_aws.push(false);
            self.key_person.push(
                e.key_id.as_deref().is_none_or(|k| k.trim().is_empty())
                    && e.key_hint.as_deref().is_none_or(|k| k.trim().is_empty())
                    && e.principal
                        .as_deref()
                        .is_some_and(|p| looks_like_person(&e.provider, p)),
            );
        }
        if e.record_kind == RecordKind::Cost && e.cost_usd.is_some() {
            self.key_has_cost_rows[key as usize] = true;
        }
        if e.key_id
            .as_deref()
            .is_some_and(|k| k.starts_with("AKIA") && k.len() >= 16)
        {
            self.key_aws[key as usize] = true;
        }
        let op = p.ops.get(e.operation.as_deref());
        if op != NONE && op as usize >= self.op_cache.len() {
            self.op_cache.push(op_flags(p.ops.name(op)));
        }
        let ua = p.uas.get(e.user_agent.as_deref());
        if ua != NONE && ua as usize >= p.ua_attacker.len() {
            let l = p.uas.name(ua).to_ascii_lowercase();
            p.ua_attacker
                .push(ATTACKER_UAS.iter().any(|a| l.contains(a)));
            p.ua_browser.push(l.starts_with("mozilla/"));
        }
        let mut flags = if op == NONE {
            0
        } else {
            self.op_cache[op as usize]
        };
        if e.granularity != Granularity::Day {
            flags |= flag::SUBDAILY;
        }
        if e.granularity == Granularity::Event {
            flags |= flag::POINT;
        }
        let actor_type = e.extras.get("actor_type").map(String::as_str);
        let browser = ua != NONE && p.ua_browser[ua as usize];
        if matches!(actor_type, Some("session" | "user_actor"))
            || (browser && !matches!(actor_type, Some("api_key" | "api_actor")))
        {
            flags |= flag::HUMAN;
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
        if e.record_kind == RecordKind::Request && op == NONE {
            flags |= flag::INVOKE;
        }
        let mut cost = e.cost_usd.filter(|c| c.is_finite()).unwrap_or(0.0);
        if e.cost_usd.is_some() {
            flags |= flag::HAS_COST;
        }
        let model = p.models.get(e.model.as_deref());
        if model != NONE && model as usize >= self.price_cache.len() {
            self.price_cache
                .push(super::prices::price(p.models.name(model)));
        }
        if self.estimate_cost
            && e.cost_usd.is_none()
            && flags & flag::USAGE != 0
            && tok_in + tok_out > 0.0
            && model != NONE
        {
            if let Some((pi, po)) = self.price_cache[model as usize] {
                cost = tok_in * pi + tok_out * po;
                flags |= flag::HAS_COST | flag::COST_EST;
            }
        }
        let idx = p.side.len() as u32;
        if !e.targets.is_empty() {
            p.targets
                .insert(idx, e.targets.iter().map(|t| t.label()).collect());
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
        p.side.push(Side {
            line: opt_u64(e.raw_ref.line),
            record: opt_u64(e.raw_ref.record),
            file: p.files.insert(&e.raw_ref.file).0,
            error: e
                .error_code
                .as_deref()
                .map_or(NONE, |c| p.errors.insert(c).0),
            provider,
            http: e.http_status.unwrap_or(0),
            meta: gran | kind << 2 | if e.http_status.is_some() { HAS_HTTP } else { 0 },
        });
        p.evs.push(Ev {
            ts: e.ts.timestamp(),
            idx,
            key,
            ip: p.ips.get(e.source_ip.as_deref()),
            ua,
            model,
            region: p.regions.get(e.region.as_deref()),
            op,
            flags,
            req,
            tok_in,
            tok_out,
            cost,
        });
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
        // The memory the growing vectors reserved beyond their rows is given back.
        p.evs.shrink_to_fit();
        p.side.shrink_to_fit();
        // The cost rule: where a key has cost rows, only they count for its cost (usage rows'
        // own cost fields would count the same spend twice).
        for i in 0..p.evs.len() {
            let ev = p.evs[i];
            if key_has_cost_rows[ev.key as usize] && p.record_kind(ev.idx) != RecordKind::Cost {
                let ev = &mut p.evs[i];
                ev.cost = 0.0;
                ev.flags &= !(flag::HAS_COST | flag::COST_EST);
            }
        }
        // Keys in name order, rows by time then input order.
        let mut order: Vec<u32> = (0..key_ids.len() as u32).collect();
        order.sort_by(|a, b| key_ids.name(*a).cmp(key_ids.name(*b)));
        let mut rank = vec![0u32; order.len()];
        for (r, k) in order.iter().enumerate() {
            rank[*k as usize] = r as u32;
        }
        for ev in &mut p.evs {
            ev.key = rank[ev.key as usize];
        }
        p.evs.sort_unstable_by_key(|a| (a.key, a.ts, a.idx));
        let mut s = 0;
        while s < p.evs.len() {
            let k = p.evs[s].key;
            let mut e = s;
            while e < p.evs.len() && p.evs[e].key == k {
                e += 1;
            }
            let orig = order[k as usize] as usize;
            p.keys.push(KeyRange {
                raw: key_ids.name(order[k as usize]).to_string(),
                provider: p.providers.get(key_provider[orig]).to_string(),
                aws_long_term: key_aws[orig],
                person: key_person[orig],
                start: s,
                end: e,
            });
            s = e;
        }
        p.global_first = p.evs.iter().map(|e| e.ts).min().unwrap_or(0);
        p.global_last = p.evs.iter().map(|e| e.ts).max().unwrap_or(0);
        p
    }
}
