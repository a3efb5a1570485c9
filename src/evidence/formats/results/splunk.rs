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
    let mut models = ModelCache::default();
    walk(input, &["results"], out, &mut |out, v, loc| {
        // `-output json` and the UI's export wrap each result; the REST API does not.
        let result = v.get("result").unwrap_or(&v);
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
