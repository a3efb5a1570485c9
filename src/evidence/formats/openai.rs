//! OpenAI: Usage API pages (every usage type), Costs API pages, the organization audit log,
//! and the dashboard's usage and cost CSV exports (old and new layouts, empty-bucket rows,
//! header-only files).
//!
//! Usage `input_tokens` already include cached tokens (`input_cached_tokens` is a subset).
//! Costs are dollars. Times are Unix seconds (UTC) or ISO with an offset.

use super::{csv_rows, event, set_model};
use crate::evidence::csv::{field, Header};
use crate::evidence::event::{Granularity, KeyIdKind, RecordKind, UsageEvent};
use crate::evidence::fields::{
    at, cell_f64, cell_u64, f64_at, parse_bool, s, text, ts_at, type_name, u64_at,
};
use crate::evidence::json::walk;
use crate::evidence::out::{quote, Loc, Out};
use crate::evidence::time::{self, Ts};
use serde_json::Value;
use std::borrow::Cow;

const ASSUMED: &str = "OpenAI times without a zone were read as UTC";

/// The granularity of a bucket from its width in seconds.
pub fn width(start: Ts, end: Option<Ts>) -> Granularity {
    match end.map(|e| (e.t - start.t).num_seconds()) {
        Some(w) if w <= 60 => Granularity::Minute,
        Some(w) if w <= 3600 => Granularity::Hour,
        Some(_) => Granularity::Day,
        None => Granularity::Day,
    }
}

fn bucket_event(
    out: &mut Out,
    start: Ts,
    end: Option<Ts>,
    format: &str,
    loc: Loc,
    kind: RecordKind,
) -> UsageEvent {
    let mut e = event(out, start, "openai", format, loc, ASSUMED);
    e.ts_end = end.map(|t| t.t);
    e.granularity = width(start, end);
    e.record_kind = kind;
    e
}

/// A bucket's start, end and results; or, for a bare result object (an API reference
/// example, a result copied out of its page: `object` ends in `.result`, no `start_time`), no
/// time and the object itself as the one result, to be kept as an undated event.
type Bucket<'v> = (Option<Ts>, Option<Ts>, &'v [Value]);

fn bucket_or_bare<'v>(out: &mut Out, v: &'v Value, loc: Loc) -> Option<Bucket<'v>> {
    let bare = s(v, &["object"]).is_some_and(|o| o.ends_with(".result"))
        && at(v, &["start_time"]).is_none();
    if bare {
        return Some((None, None, std::slice::from_ref(v)));
    }
    let start = ts_at(out, v, &["start_time"], loc)?;
    Some((Some(start), opt_ts(v, &["end_time"]), results(out, v, loc)))
}

/// The event of one result: in its bucket, or undated for a bare result.
fn result_event(
    out: &mut Out,
    start: Option<Ts>,
    end: Option<Ts>,
    format: &str,
    loc: Loc,
    kind: RecordKind,
) -> UsageEvent {
    match start {
        Some(start) => bucket_event(out, start, end, format, loc, kind),
        None => {
            let mut e = super::undated_event(out, None, "start_time", "openai", format, loc);
            e.record_kind = kind;
            e.granularity = Granularity::Day;
            e
        }
    }
}

fn opt_ts(v: &Value, path: &[&str]) -> Option<Ts> {
    match at(v, path)? {
        Value::Number(n) => n.as_f64().and_then(time::from_number),
        Value::String(s) => time::parse(s),
        _ => None,
    }
}

fn results<'v>(out: &mut Out, v: &'v Value, loc: Loc) -> &'v [Value] {
    match v.get("results") {
        Some(Value::Array(a)) => {
            if a.is_empty() {
                out.empty_buckets += 1;
            }
            a
        }
        Some(other) => {
            out.problem(
                loc,
                Some("results"),
                format!(
                    "expected an array, found {}; bucket skipped",
                    type_name(other)
                ),
            );
            &[]
        }
        None => {
            out.problem(
                loc,
                Some("results"),
                "bucket has no results; skipped".into(),
            );
            &[]
        }
    }
}

/// Group-by fields common to usage and cost results.
fn groups(e: &mut UsageEvent, r: &Value) {
    if let Some(k) = s(r, &["api_key_id"]) {
        e.key_id = Some(k.to_string());
        e.key_id_kind = Some(KeyIdKind::ProviderKeyId);
    }
    e.project = s(r, &["project_id"]).map(str::to_string);
    e.principal = s(r, &["user_id"]).map(str::to_string);
}

/// Reads Usage API pages: `{"object":"page","data":[{bucket,"results":[…]}]}`.
pub fn usage_api(input: &str, out: &mut Out) {
    walk(input, &["data"], out, &mut |out, v, loc| {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!("expected a bucket object, found {}; skipped", type_name(&v)),
            );
            return;
        }
        let Some((start, end, rows)) = bucket_or_bare(out, &v, loc) else {
            return;
        };
        for r in rows {
            let object = s(r, &["object"]).unwrap_or("organization.usage.unknown.result");
            let kind = object
                .strip_prefix("organization.usage.")
                .and_then(|k| k.strip_suffix(".result"))
                .unwrap_or("unknown");
            let format = format!("openai.usage_api.{kind}");
            let mut e = result_event(out, start, end, &format, loc, RecordKind::Usage);
            groups(&mut e, r);
            set_model(&mut e, s(r, &["model"]));
            e.operation = Some(format!("usage/{kind}"));
            // Model usage counts `num_model_requests`; tool calls (file search, web search)
            // count `num_requests`.
            e.requests = match at(r, &["num_model_requests"]) {
                Some(_) => u64_at(out, r, &["num_model_requests"], loc),
                None => u64_at(out, r, &["num_requests"], loc),
            };
            e.input_tokens = u64_at(out, r, &["input_tokens"], loc);
            e.input_cached_tokens = u64_at(out, r, &["input_cached_tokens"], loc);
            e.output_tokens = u64_at(out, r, &["output_tokens"], loc);
            for k in [
                "images",
                "characters",
                "seconds",
                "usage_bytes",
                "num_sessions",
                "input_audio_tokens",
                "output_audio_tokens",
                "batch",
                "service_tier",
                "api_source",
                "source",
                "size",
            ] {
                if let Some(x) = text(r, &[k]) {
                    e.extras.insert(k.to_string(), x);
                }
            }
            e.event_id = Some(format!(
                "openai.usage.{kind}:{}:{}:{}",
                start.map(|t| t.t.timestamp()).unwrap_or(0),
                end.map(|t| t.t.timestamp()).unwrap_or(0),
                group_key(
                    r,
                    &[
                        "project_id",
                        "user_id",
                        "api_key_id",
                        "model",
                        "batch",
                        "service_tier",
                        "api_source",
                        "source",
                        "size"
                    ]
                )
            ));
            out.emit(e);
        }
    });
}

fn group_key(r: &Value, keys: &[&str]) -> String {
    keys.iter()
        .map(|k| text(r, &[k]).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("|")
}

/// The model named at the start of a cost `line_item` (`gpt-4o-2024-08-06, input`).
fn model_of_line_item(li: &str) -> Option<&str> {
    let head = li.split(',').next()?.trim();
    let looks = !head.is_empty()
        && !head.contains(' ')
        && head.bytes().any(|c| c.is_ascii_digit() || c == b'-')
        && head.bytes().all(|c| !c.is_ascii_uppercase());
    looks.then_some(head)
}

/// Reads Costs API pages (`organization.costs.result`, dollars).
pub fn costs_api(input: &str, out: &mut Out) {
    walk(input, &["data"], out, &mut |out, v, loc| {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!("expected a bucket object, found {}; skipped", type_name(&v)),
            );
            return;
        }
        let Some((start, end, rows)) = bucket_or_bare(out, &v, loc) else {
            return;
        };
        for r in rows {
            let mut e = result_event(out, start, end, "openai.costs_api", loc, RecordKind::Cost);
            groups(&mut e, r);
            e.operation = Some("costs".into());
            e.cost_usd = f64_at(out, r, &["amount", "value"], loc);
            if let Some(c) = s(r, &["amount", "currency"]) {
                if !c.eq_ignore_ascii_case("usd") {
                    out.problem(
                        loc,
                        Some("amount.currency"),
                        format!(
                            "currency {} is not US dollars; amount kept as given",
                            quote(c)
                        ),
                    );
                }
            }
            if let Some(li) = s(r, &["line_item"]) {
                set_model(&mut e, model_of_line_item(li));
                e.extras.insert("line_item".into(), li.to_string());
            }
            for k in ["quantity", "organization_id"] {
                if let Some(x) = text(r, &[k]) {
                    e.extras.insert(k.to_string(), x);
                }
            }
            e.event_id = Some(format!(
                "openai.costs:{}:{}",
                start.map(|t| t.t.timestamp()).unwrap_or(0),
                group_key(r, &["project_id", "line_item", "api_key_id"])
            ));
            out.emit(e);
        }
    });
}

/// Reads the organization audit log (`organization.audit_log` entries).
pub fn audit_log(input: &str, out: &mut Out) {
    walk(input, &["data"], out, &mut |out, v, loc| {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!("expected an audit entry, found {}; skipped", type_name(&v)),
            );
            return;
        }
        let Some(ts) = ts_at(out, &v, &["effective_at"], loc) else {
            return;
        };
        let mut e = event(out, ts, "openai", "openai.audit_log", loc, ASSUMED);
        e.record_kind = RecordKind::Audit;
        let ty = s(&v, &["type"]);
        e.operation = ty.map(str::to_string);
        e.event_id = s(&v, &["id"]).map(|id| format!("openai.audit:{id}"));
        e.project = s(&v, &["project", "id"]).map(str::to_string);
        let session = |k: &[&str]| {
            let mut p = vec!["actor", "session"];
            p.extend_from_slice(k);
            s(&v, &p).map(str::to_string)
        };
        // The actor: the key that made the call (an admin key, or a user's or a service
        // account's key) and the user or service account behind it. What the event created or
        // changed is its target, never the actor.
        e.principal = session(&["user", "email"])
            .or_else(|| session(&["user", "id"]))
            .or_else(|| s(&v, &["actor", "api_key", "user", "email"]).map(str::to_string))
            .or_else(|| s(&v, &["actor", "api_key", "user", "id"]).map(str::to_string))
            .or_else(|| s(&v, &["actor", "api_key", "service_account", "id"]).map(str::to_string));
        e.source_ip = session(&["ip_address"]);
        e.user_agent = session(&["user_agent"]);
        for (k, path) in [
            ("geo_country", &["ip_address_details", "country"][..]),
            ("geo_city", &["ip_address_details", "city"][..]),
            ("ja3", &["ja3"][..]),
            ("ja4", &["ja4"][..]),
        ] {
            if let Some(x) = session(path) {
                e.extras.insert(k.into(), x);
            }
        }
        if let Some(t) = s(&v, &["actor", "type"]) {
            e.extras.insert("actor_type".into(), t.to_string());
        }
        if let Some(k) = s(&v, &["actor", "api_key", "id"]) {
            e.key_id = Some(k.to_string());
            e.key_id_kind = Some(KeyIdKind::ProviderKeyId);
        }
        // The event's own payload is keyed by its type (`"api_key.created": {…}`), or with
        // underscores in SIEM re-exports (`api_key_created`); its `id` is the target.
        let payload = ty.and_then(|t| v.get(t).or_else(|| v.get(t.replace('.', "_").as_str())));
        if let (Some(t), Some(p)) = (ty, payload) {
            let object = t.rsplit_once('.').map_or(t, |(o, _)| o);
            if let Some(id) = s(p, &["id"]) {
                e.add_target(&object.replace('.', "_"), id);
            }
            // A configuration switched on or off names the configurations it acted on
            // (`ip_allowlist.config.deactivated`: `configs[].id`).
            let configs = at(p, &["configs"]).and_then(Value::as_array);
            let kind = object.split('.').next().unwrap_or(object);
            for c in configs.into_iter().flatten() {
                if let Some(id) = s(c, &["id"]) {
                    e.add_target(kind, id);
                }
            }
        }
        // An organisation update that changes API call logging is a logging change: the
        // operation names the setting (OpenAI API Reference, audit log `organization.updated`,
        // `changes_requested.api_call_logging`), the target its new value.
        if ty == Some("organization.updated") {
            let changes = payload.and_then(|p| at(p, &["changes_requested"]));
            if let Some(logging) = changes.and_then(|c| text(c, &["api_call_logging"])) {
                e.operation = Some("organization.updated (api_call_logging)".into());
                let projects = changes
                    .and_then(|c| text(c, &["api_call_logging_project_ids"]))
                    .map(|p| format!(" for projects {p}"))
                    .unwrap_or_default();
                e.add_target(
                    "logging_configuration",
                    &format!("API call logging set to {logging}{projects}"),
                );
            }
        }
        if ty == Some("login.failed") {
            let code = payload
                .and_then(|p| text(p, &["error_code"]))
                .unwrap_or_else(|| "unknown".into());
            e.error_code = Some(format!("login.failed:{code}"));
        }
        if let Some(scopes) = payload.and_then(|p| at(p, &["data", "scopes"])) {
            e.extras.insert("scopes".into(), scopes.to_string());
        }
        out.emit(e);
    });
}

/// Column indices of the dashboard CSVs, resolved once per file.
struct Cols {
    start: Option<usize>,
    end: Option<usize>,
    start_iso: Option<usize>,
    end_iso: Option<usize>,
}

impl Cols {
    fn new(h: &Header) -> Self {
        Cols {
            start: h.idx("start_time"),
            end: h.idx("end_time"),
            start_iso: h.idx("start_time_iso"),
            end_iso: h.idx("end_time_iso"),
        }
    }

    /// The bucket's start and end: the Unix columns, else the ISO ones.
    fn times(&self, out: &mut Out, f: &[Cow<str>], loc: Loc) -> Option<(Ts, Option<Ts>)> {
        let pick = |a: Option<usize>, b: Option<usize>| {
            field(f, a)
                .and_then(time::parse)
                .or_else(|| field(f, b).and_then(time::parse))
        };
        let Some(start) = pick(self.start, self.start_iso) else {
            let raw = field(f, self.start)
                .or(field(f, self.start_iso))
                .unwrap_or("");
            out.problem(
                loc,
                Some("start_time"),
                format!("not a time: {}; row skipped", quote(raw)),
            );
            return None;
        };
        Some((start, pick(self.end, self.end_iso)))
    }
}

/// True when every column past the four time columns is empty (a bucket without usage).
fn empty_bucket(h: &Header, f: &[Cow<str>]) -> bool {
    let times = ["start_time", "end_time", "start_time_iso", "end_time_iso"];
    h.names()
        .iter()
        .zip(f)
        .all(|(n, v)| times.contains(&n.as_str()) || v.trim().is_empty())
}

fn note_empty(out: &mut Out, header: &Header, empty_rows: u64) {
    if header.len() <= 4 && !header.is_empty() && out.events == 0 {
        out.note = Some(
            "OpenAI export with only the time columns: the selected organization or project had no usage in the period (not a broken export)"
                .into(),
        );
    } else if out.events == 0 && empty_rows > 0 {
        out.note = Some(format!(
            "all {empty_rows} bucket(s) are empty: no usage in the period"
        ));
    } else if empty_rows > 0 {
        out.note = Some(format!("{empty_rows} empty bucket(s) (no usage) skipped"));
    }
}

/// Reads the dashboard usage CSV (`completions_usage_*.csv`).
pub fn usage_csv(input: &str, out: &mut Out) {
    let mut cols: Option<(Cols, [Option<usize>; 12])> = None;
    let mut empty_rows = 0u64;
    let header = csv_rows(input, out, &mut |out, h, f, loc| {
        let (tc, c) = cols.get_or_insert_with(|| {
            (
                Cols::new(h),
                [
                    h.idx("project_id"),
                    h.idx("num_model_requests"),
                    h.idx("user_id"),
                    h.idx("api_key_id"),
                    h.idx("model"),
                    h.idx("batch"),
                    h.idx("service_tier"),
                    h.idx("input_tokens"),
                    h.idx("output_tokens"),
                    h.idx("input_cached_tokens"),
                    h.idx("input_audio_tokens"),
                    h.idx("output_audio_tokens"),
                ],
            )
        });
        if empty_bucket(h, f) {
            empty_rows += 1;
            return;
        }
        let Some((start, end)) = tc.times(out, f, loc) else {
            return;
        };
        let cell = |i: usize| field(f, c[i]);
        let mut e = bucket_event(out, start, end, "openai.usage_csv", loc, RecordKind::Usage);
        if let Some(k) = cell(3) {
            e.key_id = Some(k.to_string());
            e.key_id_kind = Some(KeyIdKind::ProviderKeyId);
        }
        e.project = cell(0).map(str::to_string);
        e.principal = cell(2).map(str::to_string);
        set_model(&mut e, cell(4));
        e.operation = Some("completions_usage".into());
        e.requests = cell_u64(out, cell(1), "num_model_requests", loc);
        e.input_tokens = cell_u64(out, cell(7), "input_tokens", loc);
        e.output_tokens = cell_u64(out, cell(8), "output_tokens", loc);
        e.input_cached_tokens = cell_u64(out, cell(9), "input_cached_tokens", loc);
        if let Some(b) = cell(5) {
            match parse_bool(b) {
                Some(b) => {
                    e.extras.insert("batch".into(), b.to_string());
                }
                None => out.problem(
                    loc,
                    Some("batch"),
                    format!("not a boolean: {}; field left empty", quote(b)),
                ),
            }
        }
        for (k, i) in [
            ("service_tier", 6),
            ("input_audio_tokens", 10),
            ("output_audio_tokens", 11),
        ] {
            if let Some(x) = cell(i) {
                e.extras.insert(k.into(), x.to_string());
            }
        }
        e.event_id = Some(format!(
            "openai.usage.completions:{}:{}:{}",
            start.t.timestamp(),
            end.map(|t| t.t.timestamp()).unwrap_or(0),
            [0, 2, 3, 4, 5, 6]
                .iter()
                .map(|&i| cell(i)
                    .map(|x| {
                        // The same boolean spelled differently is the same group.
                        parse_bool(x)
                            .map(|b| b.to_string())
                            .unwrap_or_else(|| x.to_string())
                    })
                    .unwrap_or_default())
                .collect::<Vec<_>>()
                .join("|")
                + "|||"
        ));
        out.emit(e);
    });
    note_empty(out, &header, empty_rows);
}

/// Reads the dashboard cost CSV (`cost_*.csv`, dollars; old and new layouts).
pub fn cost_csv(input: &str, out: &mut Out) {
    let mut cols: Option<(Cols, [Option<usize>; 11])> = None;
    let mut empty_rows = 0u64;
    let header = csv_rows(input, out, &mut |out, h, f, loc| {
        let (tc, c) = cols.get_or_insert_with(|| {
            (
                Cols::new(h),
                [
                    h.idx("amount_value"),
                    h.idx("amount_currency"),
                    h.idx("line_item"),
                    h.idx("user_id"),
                    h.idx("api_key_id"),
                    h.idx("project_id"),
                    h.idx("user_email"),
                    h.idx("quantity"),
                    h.idx("quantity_unit"),
                    h.idx("organization_id"),
                    h.idx("api_source"),
                ],
            )
        });
        let cell = |i: usize| field(f, c[i]);
        if empty_bucket(h, f) || cell(0).is_none() {
            empty_rows += 1;
            return;
        }
        let Some((start, end)) = tc.times(out, f, loc) else {
            return;
        };
        let mut e = bucket_event(out, start, end, "openai.cost_csv", loc, RecordKind::Cost);
        e.operation = Some("cost".into());
        e.cost_usd = cell_f64(out, cell(0), "amount_value", loc);
        if let Some(cur) = cell(1) {
            if !cur.eq_ignore_ascii_case("usd") {
                out.problem(
                    loc,
                    Some("amount_currency"),
                    format!(
                        "currency {} is not US dollars; amount kept as given",
                        quote(cur)
                    ),
                );
            }
        }
        if let Some(li) = cell(2) {
            set_model(&mut e, model_of_line_item(li));
            e.extras.insert("line_item".into(), li.to_string());
        }
        if let Some(k) = cell(4) {
            e.key_id = Some(k.to_string());
            e.key_id_kind = Some(KeyIdKind::ProviderKeyId);
        }
        e.project = cell(5).map(str::to_string);
        e.principal = cell(6).or(cell(3)).map(str::to_string);
        for (k, i) in [
            ("quantity", 7),
            ("quantity_unit", 8),
            ("organization_id", 9),
            ("api_source", 10),
        ] {
            if let Some(x) = cell(i) {
                e.extras.insert(k.into(), x.to_string());
            }
        }
        e.event_id = Some(format!(
            "openai.costs:{}:{}|{}|{}",
            start.t.timestamp(),
            cell(5).unwrap_or(""),
            cell(2).unwrap_or(""),
            cell(4).unwrap_or("")
        ));
        out.emit(e);
    });
    note_empty(out, &header, empty_rows);
}

/// Reads a project API keys list (`GET …/projects/{id}/api_keys`): one audit event per key at
/// its creation, joining the key id to its redacted value (`key_hint`).
pub fn key_inventory(input: &str, out: &mut Out) {
    let ids = super::KeyList {
        provider: "openai",
        source_format: "openai.project_api_keys",
        hint_field: "redacted_value",
        assumed: ASSUMED,
    };
    super::key_list(input, out, &ids, |v, e| {
        // Project keys name their owner under `owner.user` or `owner.service_account`; admin
        // keys (`organization.admin_api_key`) give the owner's fields on `owner` itself.
        e.principal = s(v, &["owner", "user", "email"])
            .or_else(|| s(v, &["owner", "service_account", "name"]))
            .or_else(|| s(v, &["owner", "service_account", "id"]))
            .or_else(|| s(v, &["owner", "name"]))
            .or_else(|| s(v, &["owner", "id"]))
            .map(str::to_string);
        if s(v, &["object"]) == Some("organization.admin_api_key") {
            e.source_format = "openai.admin_api_keys".into();
            e.extras.insert("key_type".into(), "admin".into());
        }
        if let Some(n) = text(v, &["name"]) {
            e.extras.insert("name".into(), n);
        }
        if let Some(t) = s(v, &["owner", "type"]) {
            e.extras.insert("owner_type".into(), t.to_string());
        }
        if let Some(last) = opt_ts(v, &["last_used_at"]) {
            e.extras.insert(
                "last_used_at".into(),
                last.t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            );
        }
    });
}
