//! The IOCs as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted,
//! quotes doubled), safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return is prefixed with `'` so it is never read as a formula.

use crate::format;
use crate::report::Report;

/// The CSV header.
pub const HEADER: [&str; 8] = [
    "kind",
    "value",
    "rows",
    "first_seen",
    "last_seen",
    "source",
    "note",
    "evidence",
];

/// The summary's IOCs as CSV, one row per IOC in the summary's order.
pub fn to_csv(r: &Report) -> String {
    let mut out = String::new();
    row(&mut out, HEADER.iter().map(|s| s.to_string()));
    for i in &r.summary.iocs {
        row(
            &mut out,
            [
                i.kind.as_str().to_string(),
                i.value.clone(),
                i.rows.map(|n| n.to_string()).unwrap_or_default(),
                i.first.as_ref().map(format::rfc3339).unwrap_or_default(),
                i.last.as_ref().map(format::rfc3339).unwrap_or_default(),
                i.source.clone(),
                i.note.clone().unwrap_or_default(),
                i.evidence.join("; "),
            ]
            .into_iter(),
        );
    }
    out
}

/// Writes one row of cells, each through [`cell`], ended by CRLF.
pub fn row(out: &mut String, cells: impl Iterator<Item = String>) {
    let cells: Vec<String> = cells.map(|c| cell(&c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// One cell, defused and quoted as needed; control characters other than line breaks and tabs
/// written visibly (`\x1b`, [`crate::format::escape_controls`]).
pub fn cell(v: &str) -> String {
    let v = crate::format::escape_controls(v);
    let v = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::demo_report;
    use crate::Context;

    #[test]
    fn cells_are_quoted_per_rfc_4180() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("a=b"), "a=b", "only a leading sign is a formula");
    }

    #[test]
    fn the_demo_csv_has_a_row_per_ioc_with_crlf_ends() {
        let r = demo_report(&Context::default());
        let csv = to_csv(&r);
        assert!(csv.starts_with("kind,value,rows,first_seen,last_seen,source,note,evidence\r\n"));
        assert_eq!(csv.matches("\r\n").count(), r.summary.iocs.len() + 1);
        assert!(csv.contains("\r\nip,198.51.100.23,98,2026-11-16T02:13:00Z,"));
        assert!(csv.contains("\r\ncreated_access,iam_user backup-svc,,"));
    }
}
