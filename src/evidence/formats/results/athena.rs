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

/// Reads an Athena CSV of CloudTrail rows.
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
}
