//! Amazon Athena results over the CloudTrail table (AWS's documented DDL), as the console's
//! "Download results" CSV or the results file in S3: a header of the selected columns in lower
//! case (`eventtime`, `eventsource`, `useridentity` or `arn` / `accesskeyid`, …), every field
//! quoted. A `SELECT *` row carries the identity as a struct (`{type=IAMUser, arn=…}`).
//!
//! Sources: AWS CloudTrail User Guide, "Querying AWS CloudTrail logs" (the table's DDL); Amazon
//! Athena User Guide, "Working with query results" (CSV output).

use super::{emit, record};
use crate::evidence::formats::{csv_rows, ModelCache};
use crate::evidence::out::Out;

/// Reads an Athena CSV of CloudTrail rows. A result without an `eventtime` column (a query
/// that counts calls per operation and address) says so on the file: its rows are kept as
/// undated calls, one each whatever their count.
pub fn csv(input: &str, out: &mut Out) {
    let mut models = ModelCache::default();
    csv_rows(input, out, &mut |out, h, fields, loc| {
        let v = record(
            h.names()
                .iter()
                .map(String::as_str)
                .zip(fields.iter().map(|f| f.as_ref())),
        );
        emit(out, &mut models, &v, loc, "athena.cloudtrail");
    });
    let timed = out
        .columns
        .iter()
        .any(|c| c.trim().eq_ignore_ascii_case("eventtime"));
    if !timed && !out.columns.is_empty() {
        out.note = Some(
            "no eventtime column (a query that counts or groups calls): each row is kept as one \
             undated call whatever its count; rerun the query selecting eventTime for the calls \
             themselves"
                .into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::evidence::{inventory, EvidenceKind, Input};

    #[test]
    fn an_aggregate_without_a_time_column_is_still_athena_and_says_so() {
        // The header of a real Athena result of a CloudTrail query that counts calls.
        let header = "\"eventname\",\"eventsource\",\"eventtype\",\"sourceipaddress\",\"cnt\"\n";
        let f = inventory(&Input::new("r.csv", header.as_bytes().to_vec()));
        assert_eq!(f.kind, EvidenceKind::AthenaCloudtrailCsv);
        assert!(
            f.note
                .as_deref()
                .is_some_and(|n| n.starts_with("no eventtime column")),
            "{f:?}"
        );
        let rows = format!("{header}\"GetAccountSummary\",\"iam.amazonaws.com\",\"AwsApiCall\",\"203.0.113.9\",\"264\"\n");
        let f = inventory(&Input::new("r.csv", rows.into_bytes()));
        assert_eq!((f.kind, f.records), (EvidenceKind::AthenaCloudtrailCsv, 1));
    }
}
