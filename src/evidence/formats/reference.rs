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
            if let Some(t) = flat(raw).or_else(|| serde_json::from_str::<Typed>(raw).ok()) {
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

/// A record read as [`Typed`] by hand, when it is a flat object whose strings hold no escape
/// and whose numbers are plain: what serde reads from it, faster. `None` for anything else
/// (serde then reads it, and says what is wrong).
fn flat(raw: &str) -> Option<Typed<'_>> {
    let b = raw.as_bytes();
    let mut i = 1;
    let ws = |i: &mut usize| {
        while *i < b.len() && matches!(b[*i], b' ' | b'\t' | b'\r' | b'\n') {
            *i += 1;
        }
    };
    // A string from `i` (at its opening quote), without escapes.
    let string = |i: &mut usize| -> Option<&str> {
        if b.get(*i) != Some(&b'"') {
            return None;
        }
        let start = *i + 1;
        // The first quote, backslash or control character: a quote ends a plain string.
        let end = crate::evidence::json::string_stop(b, start, true)?;
        if b[end] != b'"' {
            return None;
        }
        *i = end + 1;
        raw.get(start..end)
    };
    let mut t = Typed {
        timestamp: "",
        api_key_prefix: None,
        model: None,
        endpoint: None,
        source_ip: None,
        user_agent: None,
        input_tokens: None,
        output_tokens: None,
        status_code: None,
        cost_usd: None,
    };
    let mut have = 0u16;
    ws(&mut i);
    if b.get(i) == Some(&b'}') {
        return None;
    }
    loop {
        ws(&mut i);
        let k = string(&mut i)?;
        ws(&mut i);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        ws(&mut i);
        let field = match k {
            "timestamp" => 0,
            "api_key_prefix" => 1,
            "model" => 2,
            "endpoint" => 3,
            "source_ip" => 4,
            "user_agent" => 5,
            "input_tokens" => 6,
            "output_tokens" => 7,
            "status_code" => 8,
            "cost_usd" => 9,
            _ => return None,
        };
        if have & (1 << field) != 0 {
            return None;
        }
        have |= 1 << field;
        if field < 6 {
            let v = if b[i..].starts_with(b"null") && field > 0 {
                i += 4;
                None
            } else {
                Some(string(&mut i)?)
            };
            match field {
                0 => t.timestamp = v?,
                1 => t.api_key_prefix = v,
                2 => t.model = v,
                3 => t.endpoint = v,
                4 => t.source_ip = v,
                _ => t.user_agent = v,
            }
        } else {
            let start = i;
            while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                i += 1;
            }
            let num = &raw[start..i];
            if field == 9 {
                t.cost_usd = Some(plain_f64(num)?);
            } else {
                // Only plain digits, as serde reads them into a u64.
                if num.is_empty() || num.len() > 19 || !num.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                if num.len() > 1 && num.starts_with('0') {
                    return None;
                }
                let n = num.parse::<u64>().ok()?;
                match field {
                    6 => t.input_tokens = Some(n),
                    7 => t.output_tokens = Some(n),
                    _ => t.status_code = Some(n),
                }
            }
        }
        ws(&mut i);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => {
                i += 1;
                ws(&mut i);
                return (i == b.len() && have & 1 == 1).then_some(t);
            }
            _ => return None,
        }
    }
}

/// A JSON number of the plain form `-?digits(.digits)?` (no exponent, no leading zero before
/// other digits, at most 15 digits), as an `f64`: the correctly rounded value, which serde
/// reads too.
fn plain_f64(num: &str) -> Option<f64> {
    let digits = num.strip_prefix('-').unwrap_or(num);
    let (int, frac) = match digits.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (digits, None),
    };
    let ok = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if !ok(int) || (int.len() > 1 && int.starts_with('0')) || frac.is_some_and(|f| !ok(f)) {
        return None;
    }
    // Up to 15 digits the value is an exact integer divided by an exact power of ten, one
    // rounding, as serde computes it; longer ones are left to serde.
    if int.len() + frac.map_or(0, str::len) > 15 {
        return None;
    }
    num.parse::<f64>().ok()
}

fn nonempty(v: Option<&str>) -> Option<&str> {
    v.map(trim).filter(|s| !s.is_empty())
}

/// `str::trim`, without its look at each end when both ends are ASCII other than white space
/// (nearly every value).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&z)) if a.is_ascii() && z.is_ascii() && !space(a) && !space(z) => s,
        _ => s.trim(),
    }
}

/// The ASCII characters `str::trim` takes away: tab to carriage return, and space.
fn space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
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

#[cfg(test)]
mod tests {
    use super::*;

    type Fields<'a> = (&'a str, [Option<&'a str>; 5], [Option<u64>; 3], Option<u64>);

    fn fields<'a>(t: &Typed<'a>) -> Fields<'a> {
        (
            t.timestamp,
            [
                t.api_key_prefix,
                t.model,
                t.endpoint,
                t.source_ip,
                t.user_agent,
            ],
            [t.input_tokens, t.output_tokens, t.status_code],
            t.cost_usd.map(f64::to_bits),
        )
    }

    /// The hand reading gives serde's record wherever it gives one, and leaves to serde what
    /// it does not read plainly.
    #[test]
    fn a_flat_record_is_read_as_serde_reads_it() {
        let read = [
            r#"{"timestamp":"2026-01-01T00:00:00Z","api_key_prefix":"sk-...Q9zx","model":"claude-3-opus","input_tokens":15030,"output_tokens":2260,"endpoint":"/v1/messages","source_ip":"198.51.100.215","user_agent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0","status_code":429,"cost_usd":0.074987}"#,
            r#"{ "timestamp" : "t" , "model" : null, "cost_usd": -0.0, "status_code": 0 }"#,
            r#"{"cost_usd":123456789012345,"timestamp":"t","user_agent":"  é ü  "}"#,
            r#"{"timestamp":"t","cost_usd":0.1,"input_tokens":18446744073709551}"#,
            r#"{"timestamp":"t","cost_usd":9007199.25474099}"#,
            r#"{"timestamp":"t","cost_usd":3.00000000000001}"#,
        ];
        for raw in read {
            let by_hand = flat(raw).unwrap_or_else(|| panic!("not read by hand: {raw}"));
            let by_serde = serde_json::from_str::<Typed>(raw).unwrap();
            assert_eq!(fields(&by_hand), fields(&by_serde), "{raw}");
        }
        let left = [
            r#"{"timestamp":"a\"b"}"#,
            r#"{"timestamp":"t","extra":1}"#,
            r#"{"timestamp":"t","model":"a","model":"b"}"#,
            r#"{"timestamp":null}"#,
            r#"{"model":"m"}"#,
            r#"{}"#,
            r#"{"timestamp":"t","input_tokens":-1}"#,
            r#"{"timestamp":"t","input_tokens":1.5}"#,
            r#"{"timestamp":"t","input_tokens":01}"#,
            r#"{"timestamp":"t","input_tokens":18446744073709551616}"#,
            r#"{"timestamp":"t","cost_usd":1e3}"#,
            r#"{"timestamp":"t","cost_usd":0.1234567890123456}"#,
            r#"{"timestamp":"t","cost_usd":.5}"#,
            r#"{"timestamp":"t","cost_usd":"1"}"#,
            r#"{"timestamp":"t","model":nul}"#,
            r#"{"timestamp":"t",}"#,
            "{\"timestamp\":\"t\tab\"}",
            r#"{"timestamp":"t"} x"#,
        ];
        for raw in left {
            assert!(flat(raw).is_none(), "read by hand: {raw}");
        }
    }
}
