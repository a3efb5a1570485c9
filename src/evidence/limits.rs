//! The limits on what one file and one run may cost, in one table (docs/evidence.md says each
//! value and why). Hitting one is a problem naming the limit and its value; the file keeps what
//! was read before it, and the run goes on.

/// Bytes read from one file (the CLI refuses a larger file; the page refuses files over the
/// same size). There is no limit on the bytes of all the files of a run: the engine asks for
/// each file in its turn and holds a bounded number of them at once.
pub const FILE_BYTES: u64 = 1 << 30;
/// Bytes one file may inflate to (gzip, all layers).
pub const INFLATED_FILE_BYTES: usize = 1 << 30;
/// Bytes all the files of one run may inflate to together: the engine's own bound, whoever
/// calls it (a file past it keeps what inflated within it).
pub const INFLATED_RUN_BYTES: u64 = 4 << 30;
/// The limit on the bytes a run's files inflate to together: [`INFLATED_RUN_BYTES`], or none
/// when the run is focused (it keeps only the events of the credentials it is focused on, so
/// its memory does not grow with its logs).
pub fn run_bytes(focused: bool) -> u64 {
    if focused {
        u64::MAX
    } else {
        INFLATED_RUN_BYTES
    }
}
/// Inflated bytes per compressed byte, checked once a file has inflated past
/// [`RATIO_FROM_BYTES`]: exports compress 5 to 50 times; a gzip of zeros about 1000 times.
pub const INFLATION_RATIO: usize = 200;
/// Inflated size from which the ratio is checked (small files may compress as they like).
pub const RATIO_FROM_BYTES: usize = 16 << 20;
/// Gzip layers unwrapped (gzip inside gzip); a deeper layer is kept as bytes.
pub const GZIP_DEPTH: usize = 3;
/// The bounded head of an unknown JSON document the import probe parses to recognise another
/// scanner's report (a larger document is not a report to import: it is scanned as text).
pub const PROBE_BYTES: usize = 64 << 20;
/// Records read from one file (events of an export); the records past it are not read.
pub const RECORDS_PER_FILE: u64 = 10_000_000;
/// Bytes of one record: a JSON Lines line, one record of a JSON document, a CSV row. A longer
/// one is skipped with a problem (the records around it are read).
pub const RECORD_BYTES: usize = 64 << 20;
/// Bytes of one text value kept in an event (a user agent, a model, an operation, an extra);
/// a longer value is cut there, at a word boundary, and marked.
pub const FIELD_BYTES: usize = 4 << 10;
/// Levels of JSON nesting (arrays and objects) in a record, or in a document read as a whole:
/// serde_json's own recursion limit (it counts down from 128 and stops at 0), named here. A
/// deeper one is a problem, not a stack overflow.
pub const JSON_DEPTH: usize = 127;

/// The limits as (name, value, unit), for docs and messages.
pub const TABLE: &[(&str, u64, &str)] = &[
    ("bytes read per file", FILE_BYTES, "bytes"),
    (
        "inflated bytes per file",
        INFLATED_FILE_BYTES as u64,
        "bytes",
    ),
    ("inflated bytes per run", INFLATED_RUN_BYTES, "bytes"),
    ("inflation ratio", INFLATION_RATIO as u64, "to 1"),
    ("ratio checked from", RATIO_FROM_BYTES as u64, "bytes"),
    ("gzip layers", GZIP_DEPTH as u64, "layers"),
    ("import probe", PROBE_BYTES as u64, "bytes"),
    ("records per file", RECORDS_PER_FILE, "records"),
    ("bytes per record", RECORD_BYTES as u64, "bytes"),
    ("bytes per field value", FIELD_BYTES as u64, "bytes"),
    ("JSON nesting", JSON_DEPTH as u64, "levels"),
];

/// A byte count in words (`1 GiB`, `64 MiB`, `512 bytes`).
pub fn bytes(n: u64) -> String {
    const UNITS: &[(u64, &str)] = &[(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for &(u, name) in UNITS {
        if n >= u && n % u == 0 {
            return format!("{} {name}", n / u);
        }
    }
    format!("{n} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_is_in_the_table_once_and_worded() {
        let names: std::collections::BTreeSet<_> = TABLE.iter().map(|t| t.0).collect();
        assert_eq!(names.len(), TABLE.len());
        for (name, value, _) in TABLE {
            assert!(*value > 0, "{name}");
        }
        assert_eq!(bytes(64 << 20), "64 MiB");
        assert_eq!(bytes(4 << 30), "4 GiB");
        assert_eq!(bytes(4 << 10), "4 KiB");
        assert_eq!(bytes(1000), "1000 bytes");
    }

    /// serde_json refuses a document nested deeper than 127 levels; the table names that value.
    #[test]
    fn the_json_depth_is_serde_jsons_recursion_limit() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(serde_json::from_str::<serde_json::Value>(&nested(JSON_DEPTH)).is_ok());
        let e = serde_json::from_str::<serde_json::Value>(&nested(JSON_DEPTH + 1)).unwrap_err();
        assert!(e.to_string().starts_with("recursion limit exceeded"), "{e}");
    }
}
