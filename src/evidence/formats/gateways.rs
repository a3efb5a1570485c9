//! Gateways and observability layers: LiteLLM spend logs, the OpenRouter activity CSV,
//! Helicone request exports, Langfuse observations and Cloudflare AI Gateway logs.
//!
//! All costs here are US dollars. OpenRouter and Langfuse times carry no zone and are read
//! as UTC (the assumption is recorded on the file).

use super::{csv_rows, event, safe_key, set_model};
use crate::evidence::csv::field;
use crate::evidence::event::{KeyIdKind, RecordKind, UsageEvent};
use crate::evidence::fields::{
    at, boolean, cell_f64, cell_ts, cell_u64, f64_at, parse_bool, s, text, ts_at, type_name, u64_at,
};
use crate::evidence::json::walk;
use crate::evidence::out::{Loc, Out};
use serde_json::Value;
use std::borrow::Cow;

fn check_object(out: &mut Out, v: &Value, loc: Loc) -> bool {
    if v.is_object() {
        return true;
    }
    out.problem(
        loc,
        None,
        format!("expected a record object, found {}; skipped", type_name(v)),
    );
    false
}

fn extras(e: &mut UsageEvent, v: &Value, pairs: &[(&str, &[&str])]) {
    for (k, path) in pairs {
        if let Some(x) = text(v, path) {
            e.extras.insert((*k).to_string(), x);
        }
    }
}

/// Reads LiteLLM `LiteLLM_SpendLogs` rows (`/spend/logs` output or a table export as JSON),
/// the spend-log payload LiteLLM hands its loggers (GCS Pub/Sub: `metadata` as JSON text), and
/// its standard logging payload (the S3 and GCS bucket loggers: `id`, `response_cost`, the
/// key's hash, team and user under `metadata`).
pub fn litellm(input: &str, out: &mut Out) {
    walk(input, &["data", "logs"], out, &mut |out, v, loc| {
        if !check_object(out, &v, loc) {
            return;
        }
        let Some(ts) = ts_at(out, &v, &["startTime"], loc) else {
            return;
        };
        let mut e = event(
            out,
            ts,
            "litellm",
            "litellm.spend_logs",
            loc,
            "LiteLLM times without a zone were read as UTC (the database stores UTC)",
        );
        let meta = litellm_metadata(&v);
        let m = |k: &str| meta.as_ref().and_then(|m| s(m, &[k]));
        e.record_kind = RecordKind::Request;
        e.requests = Some(1);
        e.event_id = s(&v, &["request_id"])
            .or_else(|| s(&v, &["id"]))
            .map(|id| format!("litellm:{id}"));
        if let Some((k, col)) = s(&v, &["api_key"])
            .map(|k| (k, "api_key"))
            .or_else(|| m("user_api_key_hash").map(|k| (k, "metadata.user_api_key_hash")))
        {
            e.key_id = Some(safe_key(out, k, col, loc));
            e.key_id_kind = Some(KeyIdKind::KeyHash);
        }
        set_model(&mut e, s(&v, &["model"]));
        e.operation = s(&v, &["call_type"]).map(str::to_string);
        e.cost_usd = if at(&v, &["spend"]).is_some() {
            f64_at(out, &v, &["spend"], loc)
        } else {
            f64_at(out, &v, &["response_cost"], loc)
        };
        e.input_tokens = u64_at(out, &v, &["prompt_tokens"], loc);
        e.output_tokens = u64_at(out, &v, &["completion_tokens"], loc);
        e.source_ip = s(&v, &["requester_ip_address"])
            .or_else(|| m("requester_ip_address"))
            .map(str::to_string);
        e.principal = s(&v, &["user"])
            .or_else(|| m("user_api_key_user_id"))
            .or_else(|| s(&v, &["end_user"]))
            .map(str::to_string);
        e.project = s(&v, &["team_id"])
            .or_else(|| m("user_api_key_team_id"))
            .map(str::to_string);
        if let Some(st) = s(&v, &["status"]) {
            if st.eq_ignore_ascii_case("failure") {
                e.error_code = Some("failure".into());
            }
        }
        for (k, x) in [
            ("key_alias", m("user_api_key_alias")),
            ("team_alias", m("user_api_key_team_alias")),
        ] {
            if let Some(x) = x {
                e.extras.insert(k.to_string(), x.to_string());
            }
        }
        extras(
            &mut e,
            &v,
            &[
                ("model_group", &["model_group"]),
                ("model_vendor", &["custom_llm_provider"]),
                ("api_base", &["api_base"]),
                ("cache_hit", &["cache_hit"]),
                ("end_time", &["endTime"]),
                ("organization_id", &["organization_id"]),
            ],
        );
        if !e.extras.contains_key("organization_id") {
            if let Some(x) = m("user_api_key_org_id") {
                e.extras.insert("organization_id".into(), x.to_string());
            }
        }
        out.emit(e);
    });
}

/// A LiteLLM record's `metadata`: an object, or that object written as JSON text (the spend-log
/// payload LiteLLM hands its loggers).
fn litellm_metadata(v: &Value) -> Option<Cow<'_, Value>> {
    match v.get("metadata")? {
        m @ Value::Object(_) => Some(Cow::Borrowed(m)),
        Value::String(t) if t.trim_start().starts_with('{') => serde_json::from_str::<Value>(t)
            .ok()
            .filter(Value::is_object)
            .map(Cow::Owned),
        _ => None,
    }
}

/// Reads the OpenRouter activity CSV export (`generation_id,created_at,cost_total,…`).
pub fn openrouter_csv(input: &str, out: &mut Out) {
    let mut cols: Option<[Option<usize>; 18]> = None;
    csv_rows(input, out, &mut |out, h, f, loc| {
        let c = *cols.get_or_insert_with(|| {
            [
                h.idx("generation_id"),
                h.idx("created_at"),
                h.idx("cost_total"),
                h.idx("tokens_prompt"),
                h.idx("tokens_completion"),
                h.idx("tokens_reasoning"),
                h.idx("tokens_cached"),
                h.idx("model_permaslug"),
                h.idx("provider_name"),
                h.idx("variant"),
                h.idx("cancelled"),
                h.idx("streamed"),
                h.idx("user"),
                h.idx("finish_reason_normalized"),
                h.idx("api_key_name"),
                h.idx("app_name"),
                h.idx("byok_usage_inference"),
                h.idx("api_key_disabled"),
            ]
        });
        let cell = |i: usize| field(f, c[i]);
        let Some(ts) = cell_ts(out, cell(1), "created_at", loc) else {
            return;
        };
        let mut e = event(
            out,
            ts,
            "openrouter",
            "openrouter.activity_csv",
            loc,
            "OpenRouter created_at has no zone and was read as UTC",
        );
        e.record_kind = RecordKind::Request;
        e.requests = Some(1);
        e.event_id = cell(0).map(|id| format!("openrouter:{id}"));
        e.cost_usd = cell_f64(out, cell(2), "cost_total", loc);
        e.input_tokens = cell_u64(out, cell(3), "tokens_prompt", loc);
        e.output_tokens = cell_u64(out, cell(4), "tokens_completion", loc);
        e.input_cached_tokens = cell_u64(out, cell(6), "tokens_cached", loc);
        set_model(&mut e, cell(7));
        e.operation = Some("generation".into());
        e.principal = cell(12).map(str::to_string);
        if let Some(k) = cell(14) {
            e.key_id = Some(k.to_string());
            e.key_id_kind = Some(KeyIdKind::KeyName);
        }
        if cell(10).and_then(parse_bool) == Some(true) {
            e.error_code = Some("cancelled".into());
        }
        for (k, i) in [
            ("reasoning_tokens", 5),
            ("model_vendor", 8),
            ("variant", 9),
            ("streamed", 11),
            ("finish_reason", 13),
            ("app_name", 15),
            ("byok_usage_inference", 16),
            ("api_key_disabled", 17),
        ] {
            if let Some(x) = cell(i) {
                e.extras.insert(k.into(), x.to_string());
            }
        }
        out.emit(e);
    });
}

/// Reads a Helicone request export (JSON array, JSON Lines or `{"data":[…]}`).
pub fn helicone(input: &str, out: &mut Out) {
    walk(input, &["data"], out, &mut helicone_record);
}

/// Reads a Helicone request export in CSV.
pub fn helicone_csv(input: &str, out: &mut Out) {
    super::csv_values(input, out, &mut helicone_record);
}

fn helicone_record(out: &mut Out, v: Value, loc: Loc) {
    {
        if !check_object(out, &v, loc) {
            return;
        }
        let Some(ts) = ts_at(out, &v, &["request_created_at"], loc) else {
            return;
        };
        let mut e = event(
            out,
            ts,
            "helicone",
            "helicone.requests",
            loc,
            "Helicone times without a zone were read as UTC",
        );
        e.record_kind = RecordKind::Request;
        e.requests = Some(1);
        e.event_id = s(&v, &["request_id"]).map(|id| format!("helicone:{id}"));
        set_model(
            &mut e,
            s(&v, &["response_model"]).or_else(|| s(&v, &["request_model"])),
        );
        e.operation = s(&v, &["request_path"]).map(str::to_string);
        e.principal = s(&v, &["request_user_id"]).map(str::to_string);
        if let Some(k) = s(&v, &["key_name"]) {
            e.key_id = Some(k.to_string());
            e.key_id_kind = Some(KeyIdKind::KeyName);
        }
        if let Some(st) = u64_at(out, &v, &["response_status"], loc) {
            e.http_status = u16::try_from(st).ok();
        }
        e.input_tokens = u64_at(out, &v, &["prompt_tokens"], loc);
        e.output_tokens = u64_at(out, &v, &["completion_tokens"], loc);
        e.input_cached_tokens = u64_at(out, &v, &["prompt_cache_read_tokens"], loc);
        e.input_cache_write_tokens = u64_at(out, &v, &["prompt_cache_write_tokens"], loc);
        // `costUSD` in the older request rows; `cost` (dollars) in the rows Helicone's request
        // query reads from ClickHouse, which carry no `costUSD`.
        e.cost_usd = if at(&v, &["costUSD"]).is_some_and(|x| !x.is_null()) {
            f64_at(out, &v, &["costUSD"], loc)
        } else {
            f64_at(out, &v, &["cost"], loc)
        };
        extras(
            &mut e,
            &v,
            &[
                ("model_vendor", &["provider"]),
                ("geo_country", &["country_code"]),
                ("delay_ms", &["delay_ms"]),
            ],
        );
        out.emit(e);
    }
}

/// Reads Langfuse observations: the public API and the UI export (camelCase: `startTime`,
/// `traceId`, `usageDetails`), and the blob-storage export, which writes the table's own
/// columns (`start_time`, `trace_id`, `provided_model_name`, `usage_details`, `cost_details`)
/// with zone-less UTC times. Zone-less times are read as UTC.
pub fn langfuse(input: &str, out: &mut Out) {
    walk(input, &["data"], out, &mut |out, v, loc| {
        if !check_object(out, &v, loc) {
            return;
        }
        // The blob export's spelling only where the API's is absent.
        let has = |k: &str| at(&v, &[k]).is_some_and(|x| !x.is_null());
        let pick = |camel: &'static str, snake: &'static str| -> &'static str {
            if !has(camel) && has(snake) {
                snake
            } else {
                camel
            }
        };
        let Some(ts) = ts_at(out, &v, &[pick("startTime", "start_time")], loc) else {
            return;
        };
        let mut e = event(
            out,
            ts,
            "langfuse",
            "langfuse.observations",
            loc,
            "Langfuse times without a zone were read as UTC",
        );
        e.record_kind = RecordKind::Request;
        e.requests = Some(1);
        e.event_id = s(&v, &["id"]).map(|id| format!("langfuse:{id}"));
        set_model(
            &mut e,
            s(&v, &["model"])
                .or_else(|| s(&v, &["providedModelName"]))
                .or_else(|| s(&v, &["provided_model_name"])),
        );
        e.operation = s(&v, &["name"])
            .or_else(|| s(&v, &["type"]))
            .map(str::to_string);
        e.principal = s(&v, &[pick("userId", "user_id")]).map(str::to_string);
        let first = |out: &mut Out, paths: &[&[&str]]| {
            paths
                .iter()
                .find(|p| at(&v, p).is_some_and(|x| !x.is_null()))
                .and_then(|p| u64_at(out, &v, p, loc))
        };
        e.input_tokens = first(
            out,
            &[
                &["usageDetails", "input"],
                &["usage", "input"],
                &["usage", "promptTokens"],
                &["usage_details", "input"],
            ],
        );
        e.output_tokens = first(
            out,
            &[
                &["usageDetails", "output"],
                &["usage", "output"],
                &["usage", "completionTokens"],
                &["usage_details", "output"],
            ],
        );
        let cost_path = [
            &["costDetails", "total"][..],
            &["calculatedTotalCost"][..],
            &["totalCost"][..],
            &["cost_details", "total"][..],
            &["total_cost"][..],
        ]
        .into_iter()
        .find(|p| at(&v, p).is_some_and(|x| !x.is_null()));
        if let Some(p) = cost_path {
            e.cost_usd = f64_at(out, &v, p, loc);
        }
        if s(&v, &["level"]) == Some("ERROR") {
            e.error_code = Some(
                s(&v, &[pick("statusMessage", "status_message")])
                    .map(|m| m.chars().take(120).collect())
                    .unwrap_or_else(|| "ERROR".into()),
            );
        }
        extras(
            &mut e,
            &v,
            &[
                ("trace_id", &[pick("traceId", "trace_id")]),
                ("session_id", &[pick("sessionId", "session_id")]),
                ("observation_type", &["type"]),
                ("end_time", &[pick("endTime", "end_time")]),
            ],
        );
        out.emit(e);
    });
}

/// Reads Cloudflare AI Gateway logs (`{"success":…,"result":[…]}`).
pub fn cloudflare(input: &str, out: &mut Out) {
    walk(input, &["result"], out, &mut |out, v, loc| {
        if !check_object(out, &v, loc) {
            return;
        }
        let Some(ts) = ts_at(out, &v, &["created_at"], loc) else {
            return;
        };
        let mut e = event(
            out,
            ts,
            "cloudflare_aig",
            "cloudflare.ai_gateway_logs",
            loc,
            "Cloudflare times without a zone were read as UTC",
        );
        e.record_kind = RecordKind::Request;
        e.requests = Some(1);
        e.event_id = s(&v, &["id"]).map(|id| format!("cloudflare_aig:{id}"));
        set_model(&mut e, s(&v, &["model"]));
        e.operation = s(&v, &["path"]).map(str::to_string);
        if let Some(st) = u64_at(out, &v, &["status_code"], loc) {
            e.http_status = u16::try_from(st).ok();
        }
        if boolean(&v, &["success"]) == Some(false) && e.http_status.is_none() {
            e.error_code = Some("failed".into());
        }
        e.input_tokens = u64_at(out, &v, &["tokens_in"], loc);
        e.output_tokens = u64_at(out, &v, &["tokens_out"], loc);
        e.cost_usd = f64_at(out, &v, &["cost"], loc);
        extras(
            &mut e,
            &v,
            &[
                ("model_vendor", &["provider"]),
                ("cached", &["cached"]),
                ("duration_ms", &["duration"]),
                ("request_type", &["request_type"]),
            ],
        );
        out.emit(e);
    });
}

#[cfg(test)]
mod tests {
    use crate::evidence::{read, EvidenceKind, Input};

    fn events(json: &str) -> (EvidenceKind, Vec<crate::evidence::event::UsageEvent>) {
        let r = read(
            &Input::new("litellm.json", json.as_bytes().to_vec()),
            &Default::default(),
        );
        (r.file.kind, r.events)
    }

    #[test]
    fn langfuse_blob_storage_export_rows_are_read_like_the_api_rows() {
        // The columns Langfuse's blob-storage export selects from its observations table,
        // written with zone-less UTC times (JSON Lines).
        let jsonl = concat!(
            r#"{"id":"obs-1","trace_id":"t-1","project_id":"p","environment":"default","type":"GENERATION","#,
            r#""parent_observation_id":null,"start_time":"2024-05-29 13:46:19.963000","end_time":"2024-05-29 13:46:21.000000","#,
            r#""name":"chat","metadata":{},"level":"DEFAULT","status_message":null,"version":null,"input":null,"output":null,"#,
            r#""provided_model_name":"gpt-4o","model_parameters":{},"usage_details":{"input":120,"output":30,"total":150},"#,
            r#""cost_details":{"input":0.0003,"output":0.0003,"total":0.0006},"completion_start_time":null,"prompt_name":null,"prompt_version":null}"#,
            "\n"
        );
        let (kind, ev) = events(jsonl);
        assert_eq!(kind, EvidenceKind::Langfuse);
        let e = &ev[0];
        assert_eq!(e.ts.to_rfc3339(), "2024-05-29T13:46:19.963+00:00");
        assert_eq!(e.input_tokens, Some(120));
        assert_eq!(e.output_tokens, Some(30));
        assert_eq!(e.cost_usd, Some(0.0006));
        assert_eq!(e.extras.get("trace_id").map(String::as_str), Some("t-1"));
    }

    #[test]
    fn helicone_rows_from_its_clickhouse_query_keep_their_cost() {
        // Helicone's request query reads `cost / COST_PRECISION_MULTIPLIER AS cost` (dollars)
        // and no `costUSD`; its times have no zone.
        let json = r#"{"data":[{"request_id":"9f0c","request_created_at":"2025-06-01 10:00:00.123",
            "response_status":200,"request_path":"https://api.openai.com/v1/chat/completions",
            "request_user_id":"alice","provider":"OPENAI","request_model":"gpt-4o",
            "prompt_tokens":1000,"completion_tokens":200,"cost":0.0045,"country_code":"US"}]}"#;
        let (kind, ev) = events(json);
        assert_eq!(kind, EvidenceKind::Helicone);
        assert_eq!(ev[0].cost_usd, Some(0.0045));
        assert_eq!(ev[0].principal.as_deref(), Some("alice"));
    }

    #[test]
    fn litellm_standard_logging_payload_is_read_with_its_key_cost_and_caller() {
        // The shape of LiteLLM's standard logging payload (its S3 and GCS bucket loggers): the
        // id as `id`, the cost as `response_cost`, the key's hash, team and user in `metadata`.
        let json = r#"{"id":"chatcmpl-1","call_type":"acompletion","status":"success",
            "startTime":"2025-01-24 09:20:46.847371","model":"gpt-4o","response_cost":0.25,
            "prompt_tokens":10,"completion_tokens":20,"end_user":"",
            "metadata":{"user_api_key_hash":"88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
              "user_api_key_alias":"ci-key","user_api_key_team_id":"team-1",
              "user_api_key_user_id":"u-9","requester_ip_address":"192.0.2.7"}}"#;
        let (kind, ev) = events(json);
        assert_eq!(kind, EvidenceKind::LitellmSpendLogs);
        let e = &ev[0];
        assert_eq!(e.event_id.as_deref(), Some("litellm:chatcmpl-1"));
        assert_eq!(
            e.key_id.as_deref(),
            Some("88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b")
        );
        assert_eq!(e.cost_usd, Some(0.25));
        assert_eq!(e.principal.as_deref(), Some("u-9"));
        assert_eq!(e.project.as_deref(), Some("team-1"));
        assert_eq!(e.source_ip.as_deref(), Some("192.0.2.7"));
        assert_eq!(
            e.extras.get("key_alias").map(String::as_str),
            Some("ci-key")
        );
    }

    #[test]
    fn litellm_metadata_written_as_json_text_still_names_the_key_alias() {
        // The spend-log payload LiteLLM hands its loggers carries `metadata` as JSON text.
        let json = r#"{"request_id":"r1","api_key":"","spend":0.5,"startTime":"2025-01-24 09:20:46",
            "user":"","team_id":"",
            "metadata":"{\"user_api_key_alias\": \"prod-key\", \"user_api_key_team_id\": \"t-2\"}"}"#;
        let (kind, ev) = events(json);
        assert_eq!(kind, EvidenceKind::LitellmSpendLogs);
        assert_eq!(
            ev[0].extras.get("key_alias").map(String::as_str),
            Some("prod-key")
        );
        assert_eq!(ev[0].project.as_deref(), Some("t-2"));
        assert_eq!(ev[0].cost_usd, Some(0.5));
    }
}
