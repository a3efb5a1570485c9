//! Turns `&[UsageEvent]` into compact, interned, per-key sorted rows the detectors scan.

use crate::evidence::event::{Granularity, RecordKind, UsageEvent};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A small, fast, non-cryptographic hasher (the Fx hash) for the engine's internal maps;
/// their keys come from evidence, not from an adversary who could choose collisions at scale
/// for a tool run once over a responder's own files.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.add(w);
        }
        for &b in chunks.remainder() {
            self.add(b as u64);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Builds [`FxHasher`]s.
pub(crate) type Fx = BuildHasherDefault<FxHasher>;

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

/// String interner borrowing from the events.
#[derive(Default)]
pub(crate) struct Interner<'a> {
    map: HashMap<&'a str, u32, Fx>,
    pub names: Vec<&'a str>,
    /// The last value looked up: consecutive rows mostly repeat their model, client, operation.
    last: Option<(&'a str, u32)>,
}

impl<'a> Interner<'a> {
    pub fn get(&mut self, s: Option<&'a str>) -> u32 {
        match s {
            None => NONE,
            Some(s) => {
                if let Some((l, i)) = self.last {
                    if l == s {
                        return i;
                    }
                }
                if let Some(&i) = self.map.get(s) {
                    self.last = Some((s, i));
                    return i;
                }
                if s.trim().is_empty() {
                    return NONE;
                }
                let i = self.names.len() as u32;
                self.names.push(s);
                self.map.insert(s, i);
                self.last = Some((s, i));
                i
            }
        }
    }
    pub fn name(&self, i: u32) -> &'a str {
        if i == NONE {
            ""
        } else {
            self.names[i as usize]
        }
    }
}

/// One key's rows.
pub(crate) struct KeyRange {
    /// The key identifier as given (never a raw secret by contract, redacted anyway if it
    /// looks like one, see [`display_key`]).
    pub raw: String,
    pub provider: String,
    pub aws_long_term: bool,
    pub start: usize,
    pub end: usize,
}

/// All rows, sorted by (key, time, input order).
pub(crate) struct Prepared<'a> {
    pub events: &'a [UsageEvent],
    pub evs: Vec<Ev>,
    pub keys: Vec<KeyRange>,
    pub ips: Interner<'a>,
    pub uas: Interner<'a>,
    pub models: Interner<'a>,
    pub regions: Interner<'a>,
    pub ops: Interner<'a>,
    /// Per user-agent id: matches a known attacker client.
    pub ua_attacker: Vec<bool>,
    /// Per user-agent id: a browser UA (`Mozilla/…`).
    pub ua_browser: Vec<bool>,
    pub global_first: i64,
    pub global_last: i64,
    /// Rows dropped as duplicates of an earlier (source_format, event_id).
    pub duplicates: u64,
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
    if o.ends_with("deletemodelinvocationloggingconfiguration")
        || o.ends_with("putmodelinvocationloggingconfiguration")
        || o.ends_with("stoplogging")
        || o.ends_with("deletetrail")
        || o.ends_with("deletesink")
        || o.contains("diagnosticsettings/delete")
    {
        f |= flag::LOG_TAMPER;
    }
    const IAM: &[&str] = &[
        "createuser",
        "createaccesskey",
        "createloginprofile",
        "attachuserpolicy",
        "attachrolepolicy",
        "putuserpolicy",
        "putrolepolicy",
        "createpolicy",
        "createpolicyversion",
        "updateassumerolepolicy",
        "api_key.created",
        "service_account.created",
        "serviceaccount.create",
        "createserviceaccountkey",
        "user.added",
        "invite.sent",
        "project.created",
        "ip_allowlist.",
    ];
    const PERSIST: &[&str] = &[
        "fine_tun",
        "fine-tun",
        "finetun",
        "/files",
        "files.create",
        "file.created",
        "assistants",
        "/threads",
        "batch",
        "createmodelcustomizationjob",
        "createprovisionedmodelthroughput",
    ];
    if IAM.iter().any(|p| o.contains(p)) {
        f |= flag::PERSIST | flag::PERSIST_IAM;
    } else if PERSIST.iter().any(|p| o.contains(p)) {
        f |= flag::PERSIST;
    }
    if f & (flag::PERSIST | flag::RECON | flag::LOG_TAMPER) != 0 {
        f &= !flag::INVOKE;
    }
    f
}

fn is_probe_error(e: &UsageEvent) -> bool {
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

/// The grouping key of an event: the key id, else the hint, else the principal.
pub(crate) fn key_of(e: &UsageEvent) -> &str {
    e.key_id
        .as_deref()
        .or(e.key_hint.as_deref())
        .or(e.principal.as_deref())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("(no key)")
}

/// True when a key identifier looks like a raw secret rather than an id.
pub(crate) fn looks_like_secret(s: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "sk-",
        "sk_",
        "AIza",
        "xai-",
        "gsk_",
        "hf_",
        "ghp_",
        "gho_",
        "github_pat_",
        "r8_",
        "pplx-",
    ];
    if s.contains('…') || s.contains("...") || s.contains('*') {
        return false;
    }
    PREFIXES.iter().any(|p| s.starts_with(p)) && s.len() >= 20
        || (s.len() >= 40 && !s.contains(' ') && !s.contains(':') && !s.contains('/'))
}

/// The key as shown in alerts: redacted when it looks like a raw secret.
pub(crate) fn display_key(s: &str) -> String {
    if looks_like_secret(s) {
        crate::secret::redact(s)
    } else {
        s.to_string()
    }
}

/// Prepares the rows.
#[inline(never)]
pub(crate) fn prepare(events: &[UsageEvent], estimate_cost: bool) -> Prepared<'_> {
    let mut key_ids: Interner = Interner::default();
    let mut p = Prepared {
        events,
        evs: Vec::with_capacity(events.len()),
        keys: Vec::new(),
        ips: Interner::default(),
        uas: Interner::default(),
        models: Interner::default(),
        regions: Interner::default(),
        ops: Interner::default(),
        ua_attacker: Vec::new(),
        ua_browser: Vec::new(),
        global_first: 0,
        global_last: 0,
        duplicates: 0,
    };
    let mut op_cache: Vec<u32> = Vec::new();
    let mut price_cache: Vec<Option<(f64, f64)>> = Vec::new();
    let mut seen_ids: HashSet<(&str, &str), Fx> = HashSet::default();
    let mut key_has_cost_rows: Vec<bool> = Vec::new();
    let mut key_provider: Vec<&str> = Vec::new();
    let mut key_aws: Vec<bool> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if let Some(id) = e.event_id.as_deref() {
            if !seen_ids.insert((e.source_format.as_str(), id)) {
                p.duplicates += 1;
                continue;
            }
        }
        let key = key_ids.get(Some(key_of(e)));
        if key as usize >= key_has_cost_rows.len() {
            key_has_cost_rows.push(false);
            key_provider.push(e.provider.as_str());
            key_aws.push(false);
        }
        if e.record_kind == RecordKind::Cost && e.cost_usd.is_some() {
            key_has_cost_rows[key as usize] = true;
        }
        if e.key_id
            .as_deref()
            .is_some_and(|k| k.starts_with("AKIA") && k.len() >= 16)
        {
            key_aws[key as usize] = true;
        }
        let op = p.ops.get(e.operation.as_deref());
        if op != NONE && op as usize >= op_cache.len() {
            op_cache.push(op_flags(p.ops.name(op)));
        }
        let ua = p.uas.get(e.user_agent.as_deref());
        if ua != NONE && ua as usize >= p.ua_attacker.len() {
            let l = p.uas.name(ua).to_ascii_lowercase();
            p.ua_attacker
                .push(ATTACKER_UAS.iter().any(|a| l.contains(a)));
            p.ua_browser.push(l.starts_with("mozilla/"));
        }
        let mut flags = if op == NONE { 0 } else { op_cache[op as usize] };
        if e.granularity != Granularity::Day {
            flags |= flag::SUBDAILY;
        }
        if e.granularity == Granularity::Event {
            flags |= flag::POINT;
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
        if model != NONE && model as usize >= price_cache.len() {
            price_cache.push(super::prices::price(p.models.name(model)));
        }
        if estimate_cost
            && e.cost_usd.is_none()
            && flags & flag::USAGE != 0
            && tok_in + tok_out > 0.0
            && model != NONE
        {
            if let Some((pi, po)) = price_cache[model as usize] {
                cost = tok_in * pi + tok_out * po;
                flags |= flag::HAS_COST | flag::COST_EST;
            }
        }
        p.evs.push(Ev {
            ts: e.ts.timestamp(),
            idx: i as u32,
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
    // The cost rule: where a key has cost rows, only they count for its cost (usage rows'
    // own cost fields would count the same spend twice).
    for ev in &mut p.evs {
        let k = ev.key as usize;
        if key_has_cost_rows[k] && events[ev.idx as usize].record_kind != RecordKind::Cost {
            ev.cost = 0.0;
            ev.flags &= !(flag::HAS_COST | flag::COST_EST);
        }
    }
    // Keys in name order, rows by time then input order.
    let mut order: Vec<u32> = (0..key_ids.names.len() as u32).collect();
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
            provider: key_provider[orig].to_string(),
            aws_long_term: key_aws[orig],
            start: s,
            end: e,
        });
        s = e;
    }
    p.global_first = p.evs.iter().map(|e| e.ts).min().unwrap_or(0);
    p.global_last = p.evs.iter().map(|e| e.ts).max().unwrap_or(0);
    p
}
