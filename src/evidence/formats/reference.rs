//! The reference usage-record format of the API Key Compromise Investigation guide (`UsageRecord`): one request per record with
//! `timestamp, api_key_prefix, model, input_tokens, output_tokens, endpoint, source_ip,
//! user_agent, status_code, cost_usd`, as a JSON array, JSON Lines or CSV.
//!
//! `timestamp` is ISO 8601 (the analyzer reads it with `datetime.fromisoformat`), so a time
//! without a zone is read as UTC and the assumption recorded. `cost_usd` is dollars. The
//! provider is inferred from the key prefix (`sk-ant-` → anthropic) or the model name.

use super::{csv_rows, event_at, provider_from, safe_key, ModelCache};
use crate::evidence::event::{Granularity, KeyIdKind, RawRef, RecordKind, UsageEvent};
use crate::evidence::fields::{self, cell_f64, cell_ts, cell_u64};
use crate::evidence::json::{parse_value, walk_raw};
use crate::evidence::out::{quote, Loc, Out};
use crate::evidence::time::{self, Ts};
use serde::Deserialize;
use serde_json::Value;

const FORMAT_JSON: &str = "reference.json";
const FORMAT_CSV: &str = "reference.csv";
const ASSUMED: &str = "timestamps without a zone were read as UTC";

/// The fields of one reference record, borrowed from the input.
struct Row<'a> {
    key: Option<&'a str>,
    model: Option<&'a str>,
    endpoint: Option<&'a str>,
    ip: Option<&'a str>,
    ua: Option<&'a str>,
    input: Option<u64>,
    output: Option<u64>,
    status: Option<u64>,
    cost: Option<f64>,
}

fn build(
    out: &mut Out,
    models: &mut ModelCache,
    ts: Ts,
    r: Row,
    format: &str,
    loc: Loc,
) -> UsageEvent {
    let raw_ref = RawRef {
        file: out.file.to_string(),
        line: loc.line,
        record: loc.record,
    };
    let provider = provider_from(r.key, r.model);
    let mut e = event_at(ts, provider, format, raw_ref);
    if ts.assumed() {
        out.assume(ASSUMED);
    }
    e.granularity = Granularity::Event;
    e.record_kind = RecordKind::Request;
    if let Some(k) = r.key {
        e.key_id = Some(safe_key(out, k, "api_key_prefix", loc));
        e.key_id_kind = Some(KeyIdKind::KeyPrefix);
    }
    models.set(&mut e, r.model);
    e.operation = r.endpoint.map(str::to_string);
    e.source_ip = r.ip.map(str::to_string);
    e.user_agent = r.ua.map(str::to_string);
    e.requests = Some(1);
    e.input_tokens = r.input;
    e.output_tokens = r.output;
    e.cost_usd = r.cost;
    if let Some(s) = r.status {
        match u16::try_from(s) {
            Ok(s) if (100..600).contains(&s) => e.http_status = Some(s),
            _ => out.problem(
                loc,
                Some("status_code"),
                format!("not an HTTP status: {s}; field left empty"),
            ),
        }
    }
    e
}

/// Reads the reference format as a JSON array or JSON Lines.
pub fn json(input: &str, out: &mut Out) {
    let mut models = ModelCache::default();
    walk_raw(input, &["records", "data"], out, &mut |out, raw, loc| {
        // Fast path: a well-typed record read into borrowed fields.
        if raw.starts_with('{') {
            if let Ok(t) = serde_json::from_str::<Typed>(raw) {
                let Some(ts) = time::parse(t.timestamp) else {
                    out.problem(
                        loc,
                        Some("timestamp"),
                        format!("not a time: {}; record skipped", quote(t.timestamp)),
                    );
                    return;
                };
                let row = Row {
                    key: nonempty(t.api_key_prefix),
                    model: nonempty(t.model),
                    endpoint: nonempty(t.endpoint),
                    ip: nonempty(t.source_ip),
                    ua: nonempty(t.user_agent),
                    input: t.input_tokens,
                    output: t.output_tokens,
                    status: t.status_code,
                    cost: t.cost_usd,
                };
                let e = build(out, &mut models, ts, row, FORMAT_JSON, loc);
                out.emit(e);
                return;
            }
        }
        let Some(v) = parse_value(out, raw, loc) else {
            return;
        };
        if !v.is_object() {
            out.problem(
                loc,
                None,
                format!(
                    "expected a record object, found {}; skipped",
                    fields::type_name(&v)
                ),
            );
            return;
        }
        let Some(ts) = fields::ts_at(out, &v, &["timestamp"], loc) else {
            return;
        };
        let st = |k: &str| str_field(&v, k);
        let row = Row {
            key: st("api_key_prefix"),
            model: st("model"),
            endpoint: st("endpoint"),
            ip: st("source_ip"),
            ua: st("user_agent"),
            input: fields::u64_at(out, &v, &["input_tokens"], loc),
            output: fields::u64_at(out, &v, &["output_tokens"], loc),
            status: fields::u64_at(out, &v, &["status_code"], loc),
            cost: fields::f64_at(out, &v, &["cost_usd"], loc),
        };
        for k in [
            "api_key_prefix",
            "model",
            "endpoint",
            "source_ip",
            "user_agent",
        ] {
            if let Some(bad) = v.get(k).filter(|x| !x.is_string() && !x.is_null()) {
                out.problem(
                    loc,
                    Some(k),
                    format!(
                        "expected a string, found {}; field left empty",
                        fields::type_name(bad)
                    ),
                );
            }
        }
        let e = build(out, &mut models, ts, row, FORMAT_JSON, loc);
        out.emit(e);
    });
}

/// A reference record whose fields all have their expected types, borrowed from the input.
#[derive(Deserialize)]
struct Typed<'a> {
    #[serde(borrow)]
    timestamp: &'a str,
    #[serde(borrow, default)]
    api_key_prefix: Option<&'a str>,
    #[serde(borrow, default)]
    model: Option<&'a str>,
    #[serde(borrow, default)]
    endpoint: Option<&'a str>,
    #[serde(borrow, default)]
    source_ip: Option<&'a str>,
    #[serde(borrow, default)]
    user_agent: Option<&'a str>,
    #[serde(default)]
    input_tokens: Option<u64>,
    #[serde(default)]
    output_tokens: Option<u64>,
    #[serde(default)]
    status_code: Option<u64>,
    #[serde(default)]
    cost_usd: Option<f64>,
}

fn nonempty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

fn str_field<'v>(v: &'v Value, k: &str) -> Option<&'v str> {
    fields::s(v, &[k])
}

/// Reads the reference format as CSV (columns matched by name, in any order).
pub fn csv(input: &str, out: &mut Out) {
    let mut models = ModelCache::default();
    let mut cols: Option<[Option<usize>; 10]> = None;
    let header = csv_rows(input, out, &mut |out, h, f, loc| {
        let c = *cols.get_or_insert_with(|| {
            [
                h.idx("timestamp"),
                h.idx("api_key_prefix"),
                h.idx("model"),
                h.idx("input_tokens"),
                h.idx("output_tokens"),
                h.idx("endpoint"),
                h.idx("source_ip"),
                h.idx("user_agent"),
                h.idx("status_code"),
                h.idx("cost_usd"),
            ]
        });
        let cell = |i: usize| crate::evidence::csv::field(f, c[i]);
        let Some(ts) = cell_ts(out, cell(0), "timestamp", loc) else {
            return;
        };
        let row = Row {
            key: cell(1),
            model: cell(2),
            input: cell_u64(out, cell(3), "input_tokens", loc),
            output: cell_u64(out, cell(4), "output_tokens", loc),
            endpoint: cell(5),
            ip: cell(6),
            ua: cell(7),
            status: cell_u64(out, cell(8), "status_code", loc),
            cost: cell_f64(out, cell(9), "cost_usd", loc),
        };
        let e = build(out, &mut models, ts, row, FORMAT_CSV, loc);
        out.emit(e);
    });
    if header.is_empty() {
        out.note = Some("no header row".into());
    } else if !header.has("timestamp") {
        out.note = Some(format!(
            "no timestamp column (header: {})",
            quote(&header.names().join(","))
        ));
    }
}
