//! The limits on what one file and one run may cost, in one table (docs/evidence.md says each
//! value and why). Hitting one is a problem naming the limit and its value; the file keeps what
//! was read before it, and the run goes on.

/// Bytes read from one file (the CLI refuses a larger file; the page refuses files over the
/// same size).
pub const FILE_BYTES: u64 = 1 << 30;
/// Bytes read from all the files of one run (the CLI refuses the files past it).
pub const RUN_BYTES: u64 = 4 << 30;
/// Bytes one file may inflate to (gzip, all layers).
pub const INFLATED_FILE_BYTES: usize = 1 << 30;
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

/// The limits as (name, value, unit), for docs and messages.
pub const TABLE: &[(&str, u64, &str)] = &[
    ("bytes read per file", FILE_BYTES, "bytes"),
    ("bytes read per run", RUN_BYTES, "bytes"),
    (
        "inflated bytes per file",
        INFLATED_FILE_BYTES as u64,
        "bytes",
    ),
    ("inflation ratio", INFLATION_RATIO as u64, "to 1"),
    ("ratio checked from", RATIO_FROM_BYTES as u64, "bytes"),
    ("gzip layers", GZIP_DEPTH as u64, "layers"),
    ("import probe", PROBE_BYTES as u64, "bytes"),
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
