//! Splunk exports of `aws:cloudtrail` events: the search's "Export" as JSON or CSV, and
//! `splunk search … -output json` (one `{"preview":…,"result":{…}}` object per line) or the
//! REST API's `{"results":[…]}`. Each result's `_raw` holds the CloudTrail record as the add-on
//! indexed it; it is read as the trail's own record.
//!
//! Sources: Splunk Enterprise Search Manual, "Export search results" (CSV, JSON; the `_raw`
//! field); Splunk Add-on for AWS, "Source types" (`aws:cloudtrail`).

use crate::evidence::fields::{s, type_name};
use crate::evidence::formats::{aws::emit_record, csv_values, ModelCache};
use crate::evidence::json::walk;
use crate::evidence::out::{Loc, Out};
use serde_json::Value;

/// Reads a JSON export (lines or the REST form).
pub fn json(input: &str, out: &mut Out) {
    envelope_messages(input, out);
    let mut models = ModelCache::default();
    walk(input, &["results"], out, &mut |out, v, loc| {
        // `-output json` and the UI's export wrap each result; the REST API does not.
        let result = match v.get("result") {
            Some(r) => r,
            // The export stream's other lines: Splunk's messages about the search, and the
            // closing `{"preview":false,"lastrow":true}`. Not results: their warnings and
            // errors are kept as problems, the rest is skipped.
            None if is_stream_control(&v) => {
                messages_of(out, v.get("messages"), loc);
                return;
            }
            None => &v,
        };
        if !result.is_object() {
            out.problem(
                loc,
                None,
                format!(
                    "expected a search result, found {}; skipped",
                    type_name(result)
                ),
            );
            return;
        }
        raw(out, &mut models, result, loc);
    });
}

/// A line of the export stream that carries no result: messages, or the last-row marker.
fn is_stream_control(v: &Value) -> bool {
    v.get("_raw").is_none()
        && ["messages", "lastrow", "preview"]
            .iter()
            .any(|k| v.get(*k).is_some())
}

/// Splunk's warnings and errors about the search (`{"messages":[{"type":"WARN","text":…}]}`),
/// as problems: a truncated or failed search is worth knowing about.
fn messages_of(out: &mut Out, messages: Option<&Value>, loc: Loc) {
    for m in messages.and_then(Value::as_array).into_iter().flatten() {
        let kind = s(m, &["type"]).unwrap_or("");
        if matches!(kind, "WARN" | "ERROR" | "FATAL") {
            let text = s(m, &["text"]).unwrap_or("(no text)");
            out.problem(loc, None, format!("Splunk reported ({kind}): {text}"));
        }
    }
}

/// The REST API's results (`{"preview":false,"init_offset":0,"messages":[…],"results":[…]}`,
/// Splunk REST API Reference, `search/jobs/{search_id}/results`) carry Splunk's messages about
/// the search beside the results, not on lines of their own: their warnings and errors are
/// kept as problems, as the export stream's are. Only a document that names `"messages"` is
/// read a second time for them (its results are skipped, not built); a text of JSON lines is
/// not one document and is left to the lines' own reading.
fn envelope_messages(input: &str, out: &mut Out) {
    #[derive(serde::Deserialize)]
    struct Envelope {
        #[serde(default)]
        messages: Option<Value>,
    }
    let t = input.trim_start();
    if !t.starts_with('{') || memchr::memmem::find(t.as_bytes(), b"\"messages\"").is_none() {
        return;
    }
    if let Ok(Envelope {
        messages: Some(messages),
    }) = serde_json::from_str::<Envelope>(t)
    {
        messages_of(out, Some(&messages), Loc::default());
    }
}

/// Reads a CSV export (a `_raw` column among the others).
pub fn csv(input: &str, out: &mut Out) {
    let mut models = ModelCache::default();
    csv_values(input, out, &mut |out, v, loc| {
        raw(out, &mut models, &v, loc)
    });
}

/// One result's `_raw`, read as a CloudTrail record.
fn raw(out: &mut Out, models: &mut ModelCache, result: &Value, loc: Loc) {
    let Some(text) = s(result, &["_raw"]) else {
        out.problem(
            loc,
            Some("_raw"),
            "no _raw field in this result; skipped".into(),
        );
        return;
    };
    match serde_json::from_str::<Value>(text) {
        Ok(v) if v.get("eventSource").is_some() || v.get("eventName").is_some() => {
            emit_record(out, models, &v, loc, "splunk.cloudtrail")
        }
        Ok(_) => out.problem(
            loc,
            Some("_raw"),
            "_raw is JSON but not a CloudTrail record (no eventSource or eventName); skipped"
                .into(),
        ),
        Err(e) => out.problem(
            loc,
            Some("_raw"),
            format!("_raw is not JSON ({e}); skipped"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::evidence::{read, EvidenceKind, Input};

    /// A CloudTrail record as a result's `_raw` holds it, escaped in a JSON string.
    const RAW: &str = r#"{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:user/ci\"},\"eventTime\":\"2026-11-16T03:00:00Z\",\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"GetCallerIdentity\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"198.51.100.23\",\"eventID\":\"e-1\"}"#;

    /// Reads `text` as a Splunk JSON export holding one CloudTrail result: its problems.
    fn problems_reading_one_result(name: &str, text: String) -> Vec<String> {
        let r = read(&Input::new(name, text.into_bytes()), &Default::default());
        assert_eq!(r.file.kind, EvidenceKind::SplunkCloudtrail);
        assert_eq!(r.events.len(), 1);
        r.file.problems.iter().map(|p| p.message.clone()).collect()
    }

    #[test]
    fn the_export_streams_message_and_last_row_lines_are_not_results() {
        // `search/jobs/export?output_mode=json` writes one JSON document per line: results,
        // lines of messages about the search, and a closing last-row marker (the Splunk SDK
        // for Python reads `messages`, `result` and `results` from each line).
        let text = format!(
            "{{\"messages\":[{{\"type\":\"WARN\",\"text\":\"Search results might be incomplete\"}},{{\"type\":\"INFO\",\"text\":\"Your timerange was substituted\"}}]}}\n\
             {{\"preview\":false,\"offset\":0,\"result\":{{\"_raw\":\"{RAW}\",\"sourcetype\":\"aws:cloudtrail\"}}}}\n\
             {{\"preview\":false,\"lastrow\":true}}\n"
        );
        assert_eq!(
            problems_reading_one_result("export.json", text),
            ["Splunk reported (WARN): Search results might be incomplete"]
        );
    }

    #[test]
    fn the_rest_apis_messages_beside_its_results_are_kept() {
        // The REST API's results document, as the Splunk SDKs' sources show it: messages
        // (DEBUG ones there; a search cut at its maximum says WARN) beside the results.
        let text = format!(
            "{{\"preview\":false,\"init_offset\":0,\"messages\":[{{\"type\":\"DEBUG\",\"text\":\"base lispy: [ AND index::aws ]\"}},{{\"type\":\"WARN\",\"text\":\"The search result count (10000) exceeds maximum (10000), using max.\"}}],\"fields\":[{{\"name\":\"_raw\"}}],\"results\":[{{\"_raw\":\"{RAW}\",\"sourcetype\":\"aws:cloudtrail\"}}],\"highlighted\":{{}}}}\n"
        );
        assert_eq!(
            problems_reading_one_result("results.json", text),
            ["Splunk reported (WARN): The search result count (10000) exceeds maximum (10000), using max."]
        );
    }
}
