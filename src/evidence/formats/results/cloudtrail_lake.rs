//! CloudTrail Lake query results, as `aws cloudtrail get-query-results` prints them (the
//! GetQueryResults response): `QueryResultRows` is a list of rows, each a list of one-key
//! objects, column name to value, in the query's column order. Pages pasted one after another
//! are read in turn.
//!
//! Source: AWS CloudTrail API Reference, "GetQueryResults" (`QueryResultRows`,
//! `QueryStatistics`, `NextToken`).

use super::{emit, record};
use crate::evidence::fields::type_name;
use crate::evidence::formats::ModelCache;
use crate::evidence::json::walk;
use crate::evidence::out::Out;
use serde_json::Value;

/// Reads GetQueryResults output.
pub fn results(input: &str, out: &mut Out) {
    let mut models = ModelCache::default();
    walk(input, &["QueryResultRows"], out, &mut |out, row, loc| {
        let Value::Array(cells) = &row else {
            out.problem(
                loc,
                None,
                format!(
                    "expected a row (a list of column objects), found {}; skipped",
                    type_name(&row)
                ),
            );
            return;
        };
        let mut cols: Vec<(&str, String)> = Vec::new();
        for cell in cells {
            let Some(obj) = cell.as_object() else {
                continue;
            };
            for (k, v) in obj {
                let text = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => continue,
                    other => other.to_string(),
                };
                cols.push((k.as_str(), text));
            }
        }
        let v = record(cols.iter().map(|(k, v)| (*k, v.as_str())));
        emit(out, &mut models, &v, loc, "cloudtrail_lake.results");
    });
}
