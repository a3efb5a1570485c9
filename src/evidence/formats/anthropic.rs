//! Anthropic: Admin API usage report (`usage_report/messages`) and cost report
//! (`cost_report`), and the console's usage and cost CSV exports.
//!
//! Anthropic's input token fields are disjoint (uncached, cache read, cache writes 5m/1h), so
//! `input_tokens` is their sum. The cost report's `amount` is in **cents** as a decimal string
//! and is divided by 100; the console cost CSV's `cost_usd` is already dollars.

use super::openai::width;
use super::{csv_rows, event, set_model};
use crate::evidence::csv::field;
use crate::evidence::event::{Granularity, KeyIdKind, RecordKind, UsageEvent};
use crate::evidence::fields::{
    at, cell_f64, cell_u64, f64_at, parse_f64, s, text, ts_at, type_name, u64_at,
};
use crate::evidence::json::walk;
use crate::evidence::out::{quote, Loc, Out};
use crate::evidence::time::{self, Ts, Zone};
use serde_json::Value;

const ASSUMED: &str = "Anthropic times without a zone were read as UTC";

fn opt_ts(v: &Value, path: &[&str]) -> Option<Ts> {
    match at(v, path)? {
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
        other => {
            out.problem(
                loc,
                Some("results"),
                format!(
                    "expected an array of results, found {}; bucket skipped",
                    other.map(type_name).unwrap_or("nothing")
                ),
            );
            &[]
        }
    }
}

fn group_key(r: &Value, keys: &[&str]) -> String {
    keys.iter()
        .map(|k| text(r, &[k]).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("|")
}

fn bucket(out: &mut Out, v: &Value, loc: Loc) -> Option<(Ts, Option<Ts>)> {
    let start = ts_at(out, v, &["starting_at"], loc)?;
    Some((start, opt_ts(v, &["ending_at"])))
}

fn new_event(
    out: &mut Out,
    start: Ts,
    end: Option<Ts>,
    format: &str,
    loc: Loc,
    kind: RecordKind,
) -> UsageEvent {
    let mut e = event(out, start, "anthropic", format, loc, ASSUMED);
    e.ts_end = end.map(|t| t.t);
    e.granularity = width(start, end);
    e.record_kind = kind;
    e
}

/// Reads usage report pages (`{"data":[{"starting_at","ending_at","results":[…]}]}`).
pub fn usage_report(input: &str, out: &mut Out) {
    walk(input, &["data"], out, &mut |out, v, loc| {
        let Some((start, end)) = bucket(out, &v, loc) else {
            return;
        };
        for r in results(out, &v, loc) {
            let mut e = new_event(
                out,
                start,
                end,
                "anthropic.usage_report.messages",
                loc,
                RecordKind::Usage,
            );
            if let Some(k) = s(r, &["api_key_id"]) {
                e.key_id = Some(k.to_string());
                e.key_id_kind = Some(KeyIdKind::ProviderKeyId);
            }
            e.project = s(r, &["workspace_id"]).map(str::to_string);
            e.principal = s(r, &["service_account_id"]).map(str::to_string);
            set_model(&mut e, s(r, &["model"]));
            e.operation = Some("messages".into());
            let uncached = u64_at(out, r, &["uncached_input_tokens"], loc);
            let read = u64_at(out, r, &["cache_read_input_tokens"], loc);
            let w5 = u64_at(
                out,
                r,
                &["cache_creation", "ephemeral_5m_input_tokens"],
                loc,
            );
            let w1 = u64_at(
                out,
                r,
                &["cache_creation", "ephemeral_1h_input_tokens"],
                loc,
            );
            let parts = [uncached, read, w5, w1];
            if parts.iter().any(Option::is_some) {
                e.input_tokens = Some(
                    parts
                        .iter()
                        .flatten()
                        .fold(0u64, |a, b| a.saturating_add(*b)),
                );
            }
            e.input_cached_tokens = read;
            if w5.is_some() || w1.is_some() {
                e.input_cache_write_tokens = Some(w5.unwrap_or(0).saturating_add(w1.unwrap_or(0)));
            }
            e.output_tokens = u64_at(out, r, &["output_tokens"], loc);
            if let Some(n) = text(r, &["server_tool_use", "web_search_requests"]) {
                e.extras.insert("web_search_requests".into(), n);
            }
            for k in [
                "service_tier",
                "context_window",
                "inference_geo",
                "speed",
                "account_id",
            ] {
                if let Some(x) = text(r, &[k]) {
                    e.extras.insert(k.into(), x);
                }
            }
            e.event_id = Some(format!(
                "anthropic.usage:{}:{}:{}",
                start.t.timestamp(),
                end.map(|t| t.t.timestamp()).unwrap_or(0),
                group_key(
                    r,
                    &[
                        "api_key_id",
                        "workspace_id",
                        "model",
                        "service_tier",
                        "context_window",
                        "inference_geo",
                        "speed",
                        "account_id",
                        "service_account_id"
                    ]
                )
            ));
            out.emit(e);
        }
    });
}

/// Reads cost report pages (amounts in cents, as decimal strings).
pub fn cost_report(input: &str, out: &mut Out) {
    let mut any = false;
    walk(input, &["data"], out, &mut |out, v, loc| {
        let Some((start, end)) = bucket(out, &v, loc) else {
            return;
        };
        for r in results(out, &v, loc) {
            let mut e = new_event(
                out,
                start,
                end,
                "anthropic.cost_report",
                loc,
                RecordKind::Cost,
            );
            any = true;
            let cents = match r.get("amount") {
                Some(Value::String(a)) => match parse_f64(a) {
                    Ok(c) => Some(c),
                    Err(m) => {
                        out.problem(loc, Some("amount"), format!("{m}; field left empty"));
                        None
                    }
                },
                Some(Value::Number(n)) => n.as_f64(),
                Some(Value::Null) | None => None,
                Some(other) => {
                    out.problem(
                        loc,
                        Some("amount"),
                        format!(
                            "expected a decimal string, found {}; field left empty",
                            type_name(other)
                        ),
                    );
                    None
                }
            };
            e.cost_usd = cents.map(|c| c / 100.0);
            if let Some(c) = s(r, &["currency"]) {
                if !c.eq_ignore_ascii_case("usd") {
                    out.problem(
                        loc,
                        Some("currency"),
                        format!(
                            "currency {} is not US dollars; amount kept as given",
                            quote(c)
                        ),
                    );
                }
            }
            e.project = s(r, &["workspace_id"]).map(str::to_string);
            set_model(&mut e, s(r, &["model"]));
            let op = match (s(r, &["cost_type"]), s(r, &["token_type"])) {
                (Some(c), Some(t)) => Some(format!("{c}/{t}")),
                (Some(c), None) => Some(c.to_string()),
                (None, Some(t)) => Some(t.to_string()),
                (None, None) => None,
            };
            e.operation = op;
            for k in [
                "description",
                "service_tier",
                "context_window",
                "inference_geo",
                "speed",
            ] {
                if let Some(x) = text(r, &[k]) {
                    e.extras.insert(k.into(), x);
                }
            }
            e.event_id = Some(format!(
                "anthropic.cost:{}:{}",
                start.t.timestamp(),
                group_key(
                    r,
                    &[
                        "workspace_id",
                        "description",
                        "cost_type",
                        "model",
                        "token_type",
                        "service_tier",
                        "context_window",
                        "inference_geo",
                        "speed"
                    ]
                )
            ));
            out.emit(e);
        }
    });
    if any {
        out.assume("cost report amounts are cents and were divided by 100 to give dollars");
    }
}

/// A `usage_date_utc` value: a date (a UTC day) or, in some exports, a date and hour.
fn usage_date(out: &mut Out, cell: Option<&str>, loc: Loc) -> Option<(Ts, Granularity)> {
    let Some(c) = cell else {
        out.problem(loc, Some("usage_date_utc"), "no date; row skipped".into());
        return None;
    };
    match time::parse(c) {
        Some(t) => {
            let g = if c.trim().len() <= 10 {
                Granularity::Day
            } else {
                Granularity::Hour
            };
            // The column is named UTC: the zone is known.
            Some((
                Ts {
                    t: t.t,
                    zone: Zone::Known,
                },
                g,
            ))
        }
        None => {
            out.problem(
                loc,
                Some("usage_date_utc"),
                format!("not a date: {}; row skipped", quote(c)),
            );
            None
        }
    }
}

fn day_event(
    out: &mut Out,
    ts: Ts,
    g: Granularity,
    format: &str,
    loc: Loc,
    kind: RecordKind,
) -> UsageEvent {
    let mut e = event(out, ts, "anthropic", format, loc, ASSUMED);
    e.granularity = g;
    e.ts_end = Some(
        ts.t + if g == Granularity::Hour {
            chrono::Duration::hours(1)
        } else {
            chrono::Duration::days(1)
        },
    );
    e.record_kind = kind;
    e
}

/// Reads the console usage CSV (`claude_api_tokens_*.csv`; key names, not ids).
pub fn usage_csv(input: &str, out: &mut Out) {
    let mut cols: Option<[Option<usize>; 14]> = None;
    csv_rows(input, out, &mut |out, h, f, loc| {
        let c = *cols.get_or_insert_with(|| {
            [
                h.idx("usage_date_utc"),
                h.idx("model_version"),
                h.idx("api_key"),
                h.idx("workspace"),
                h.idx("usage_type"),
                h.idx("context_window"),
                h.idx("usage_input_tokens_no_cache"),
                h.idx("usage_input_tokens_cache_write_5m"),
                h.idx("usage_input_tokens_cache_write_1h"),
                h.idx("usage_input_tokens_cache_read"),
                h.idx("usage_output_tokens"),
                h.idx("web_search_count"),
                h.idx("inference_geo"),
                h.idx("speed"),
            ]
        });
        let cell = |i: usize| field(f, c[i]);
        let Some((ts, g)) = usage_date(out, cell(0), loc) else {
            return;
        };
        let mut e = day_event(
            out,
            ts,
            g,
            "anthropic.console_usage_csv",
            loc,
            RecordKind::Usage,
        );
        set_model(&mut e, cell(1));
        if let Some(k) = cell(2) {
            e.key_id = Some(k.to_string());
            e.key_id_kind = Some(KeyIdKind::KeyName);
        }
        e.project = cell(3).map(str::to_string);
        e.operation = Some("messages".into());
        let uncached = cell_u64(out, cell(6), "usage_input_tokens_no_cache", loc);
        let w5 = cell_u64(out, cell(7), "usage_input_tokens_cache_write_5m", loc);
        let w1 = cell_u64(out, cell(8), "usage_input_tokens_cache_write_1h", loc);
        let read = cell_u64(out, cell(9), "usage_input_tokens_cache_read", loc);
        let parts = [uncached, w5, w1, read];
        if parts.iter().any(Option::is_some) {
            e.input_tokens = Some(
                parts
                    .iter()
                    .flatten()
                    .fold(0u64, |a, b| a.saturating_add(*b)),
            );
        }
        e.input_cached_tokens = read;
        if w5.is_some() || w1.is_some() {
            e.input_cache_write_tokens = Some(w5.unwrap_or(0).saturating_add(w1.unwrap_or(0)));
        }
        e.output_tokens = cell_u64(out, cell(10), "usage_output_tokens", loc);
        for (k, i) in [
            ("usage_type", 4),
            ("context_window", 5),
            ("web_search_requests", 11),
            ("inference_geo", 12),
            ("speed", 13),
        ] {
            if let Some(x) = cell(i) {
                e.extras.insert(k.into(), x.to_string());
            }
        }
        e.event_id = Some(format!(
            "anthropic.console_usage:{}:{}",
            ts.t.timestamp(),
            [1, 2, 3, 4, 5, 12, 13]
                .iter()
                .map(|&i| cell(i).unwrap_or(""))
                .collect::<Vec<_>>()
                .join("|")
        ));
        out.emit(e);
    });
}

/// Reads the console cost CSV (`claude_api_cost_*.csv`; long format, dollars).
pub fn cost_csv(input: &str, out: &mut Out) {
    let mut cols: Option<[Option<usize>; 14]> = None;
    csv_rows(input, out, &mut |out, h, f, loc| {
        let c = *cols.get_or_insert_with(|| {
            [
                h.idx("usage_date_utc"),
                h.idx("model"),
                h.idx("workspace"),
                h.idx("api_key"),
                h.idx("usage_type"),
                h.idx("context_window"),
                h.idx("token_type"),
                h.idx("cost_usd"),
                h.idx("list_price_usd"),
                h.idx("cost_type"),
                h.idx("inference_geo"),
                h.idx("speed"),
                h.idx("api_key_id"),
                h.idx("api_key_status"),
            ]
        });
        let cell = |i: usize| field(f, c[i]);
        let Some((ts, g)) = usage_date(out, cell(0), loc) else {
            return;
        };
        let mut e = day_event(
            out,
            ts,
            g,
            "anthropic.console_cost_csv",
            loc,
            RecordKind::Cost,
        );
        set_model(&mut e, cell(1));
        e.project = cell(2).map(str::to_string);
        match (cell(12), cell(3)) {
            (Some(id), name) => {
                e.key_id = Some(id.to_string());
                e.key_id_kind = Some(KeyIdKind::ProviderKeyId);
                if let Some(n) = name {
                    e.extras.insert("key_name".into(), n.to_string());
                }
            }
            (None, Some(n)) => {
                e.key_id = Some(n.to_string());
                e.key_id_kind = Some(KeyIdKind::KeyName);
            }
            (None, None) => {}
        }
        e.operation = cell(6).map(str::to_string);
        e.cost_usd = cell_f64(out, cell(7), "cost_usd", loc);
        for (k, i) in [
            ("list_price_usd", 8),
            ("usage_type", 4),
            ("context_window", 5),
            ("cost_type", 9),
            ("inference_geo", 10),
            ("speed", 11),
            ("api_key_status", 13),
        ] {
            if let Some(x) = cell(i) {
                e.extras.insert(k.into(), x.to_string());
            }
        }
        e.event_id = Some(format!(
            "anthropic.console_cost:{}:{}",
            ts.t.timestamp(),
            [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]
                .iter()
                .map(|&i| cell(i).unwrap_or(""))
                .collect::<Vec<_>>()
                .join("|")
        ));
        out.emit(e);
    });
}

/// Reads an API keys list (`GET /v1/organizations/api_keys`): one audit event per key at its
/// creation, joining `apikey_…` to its `partial_key_hint`.
pub fn key_inventory(input: &str, out: &mut Out) {
    let ids = super::KeyList {
        provider: "anthropic",
        source_format: "anthropic.api_keys",
        hint_field: "partial_key_hint",
        assumed: ASSUMED,
    };
    super::key_list(input, out, &ids, |v, e| {
        e.project = s(v, &["workspace_id"]).map(str::to_string);
        e.principal = s(v, &["created_by", "id"]).map(str::to_string);
        for k in ["name", "status"] {
            if let Some(x) = text(v, &[k]) {
                e.extras.insert(k.into(), x);
            }
        }
    });
}

/// Reads the Claude Code usage report: one event per (day, actor, model), from
/// `model_breakdown`; `estimated_cost.amount` is in cents and divided by 100.
pub fn claude_code_report(input: &str, out: &mut Out) {
    let mut any_cost = false;
    walk(input, &["data"], out, &mut |out, v, loc| {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!("expected a report record, found {}; skipped", type_name(&v)),
            );
            return;
        }
        let Some(ts) = ts_at(out, &v, &["date"], loc) else {
            return;
        };
        let actor_type = s(&v, &["actor", "type"]);
        let key_name = s(&v, &["actor", "api_key_name"]);
        let email = s(&v, &["actor", "email_address"]);
        let breakdown: Vec<Value> = match v.get("model_breakdown") {
            Some(Value::Array(a)) if !a.is_empty() => a.clone(),
            _ => vec![Value::Null],
        };
        for m in &breakdown {
            let mut e = day_event(
                out,
                ts,
                Granularity::Day,
                "anthropic.claude_code_report",
                loc,
                RecordKind::Usage,
            );
            e.operation = Some("claude_code".into());
            if let Some(k) = key_name {
                e.key_id = Some(k.to_string());
                e.key_id_kind = Some(KeyIdKind::KeyName);
            }
            e.principal = email.map(str::to_string);
            set_model(&mut e, s(m, &["model"]));
            let input = u64_at(out, m, &["tokens", "input"], loc);
            let read = u64_at(out, m, &["tokens", "cache_read"], loc);
            let write = u64_at(out, m, &["tokens", "cache_creation"], loc);
            let parts = [input, read, write];
            if parts.iter().any(Option::is_some) {
                e.input_tokens = Some(
                    parts
                        .iter()
                        .flatten()
                        .fold(0u64, |a, b| a.saturating_add(*b)),
                );
            }
            e.input_cached_tokens = read;
            e.input_cache_write_tokens = write;
            e.output_tokens = u64_at(out, m, &["tokens", "output"], loc);
            if let Some(c) = f64_at(out, m, &["estimated_cost", "amount"], loc) {
                e.cost_usd = Some(c / 100.0);
                e.extras.insert("cost_kind".into(), "estimated".into());
                any_cost = true;
            }
            if let Some(t) = actor_type {
                e.extras.insert("actor_type".into(), t.to_string());
            }
            for (k, path) in [
                ("terminal_type", &["terminal_type"][..]),
                ("customer_type", &["customer_type"][..]),
                ("num_sessions", &["core_metrics", "num_sessions"][..]),
                (
                    "lines_added",
                    &["core_metrics", "lines_of_code", "added"][..],
                ),
                ("commits", &["core_metrics", "commits_by_claude_code"][..]),
            ] {
                if let Some(x) = text(&v, path) {
                    e.extras.insert(k.into(), x);
                }
            }
            e.event_id = Some(format!(
                "anthropic.claude_code:{}:{}:{}:{}",
                ts.t.timestamp(),
                key_name.or(email).unwrap_or(""),
                s(&v, &["terminal_type"]).unwrap_or(""),
                s(m, &["model"]).unwrap_or("")
            ));
            out.emit(e);
        }
    });
    if any_cost {
        out.assume("Claude Code estimated costs are cents and were divided by 100 to give dollars");
    }
}

/// Reads the organization activity feed (`activity_…` entries: admin keys, logins, ...).
pub fn activity(input: &str, out: &mut Out) {
    walk(input, &["data"], out, &mut |out, v, loc| {
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!(
                    "expected an activity entry, found {}; skipped",
                    type_name(&v)
                ),
            );
            return;
        }
        let Some(ts) = ts_at(out, &v, &["created_at"], loc) else {
            return;
        };
        let mut e = event(out, ts, "anthropic", "anthropic.activity", loc, ASSUMED);
        e.record_kind = RecordKind::Audit;
        let ty = s(&v, &["type"]);
        e.operation = ty.map(str::to_string);
        e.event_id = s(&v, &["id"]).map(|id| format!("anthropic.activity:{id}"));
        if let Some(k) = s(&v, &["actor", "api_key_id"]) {
            e.key_id = Some(k.to_string());
            e.key_id_kind = Some(KeyIdKind::ProviderKeyId);
        }
        e.principal = s(&v, &["actor", "email_address"])
            .or_else(|| s(&v, &["actor", "user_id"]))
            .map(str::to_string);
        e.source_ip = s(&v, &["actor", "ip_address"]).map(str::to_string);
        e.user_agent = s(&v, &["actor", "user_agent"]).map(str::to_string);
        e.project = s(&v, &["organization_id"]).map(str::to_string);
        if let Some(t) = ty.filter(|t| t.ends_with("_failed")) {
            e.error_code = Some(t.to_string());
        }
        if let Some(t) = s(&v, &["actor", "type"]) {
            e.extras.insert("actor_type".into(), t.to_string());
        }
        // The Compliance API's activity feed names the tenant by `organization_uuid` too.
        if at(&v, &["organization_uuid"]).is_some() {
            e.source_format = "anthropic.compliance_activity".into();
        }
        // The target: an activity `<object>_<verb>` names its object as `<object>_id`
        // (`claude_chat_created` with `claude_chat_id`, `admin_api_key_created` with
        // `admin_api_key_id`), never the actor's key.
        if let Some((object, _)) = ty.and_then(|t| t.rsplit_once('_')) {
            if let Some(id) = s(&v, &[&format!("{object}_id")]) {
                e.add_target(object, id);
            }
            // A role granted or revoked names its member as `target_id`, the role beside it.
            if let Some(id) = s(&v, &["target_id"]) {
                let kind = s(&v, &["target_type"]).unwrap_or(object);
                match s(&v, &["role"]) {
                    Some(role) => e.add_target(kind, &format!("{id} ({role})")),
                    None => e.add_target(kind, id),
                }
            }
            // An organisation's own setting (its IP restriction, a spend limit) has no id of
            // its own: the organisation is what was changed.
            if e.targets.is_empty()
                && (object.starts_with("org_") || object.starts_with("platform_"))
            {
                if let Some(org) = e.project.clone() {
                    e.add_target(object, &org);
                }
            }
        }
        out.emit(e);
    });
}
