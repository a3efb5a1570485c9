//! Evidence files: bytes in, an inventory entry and normalised usage events out.
//!
//! Kinds are sniffed from content, never from the file name. Problems are data: each one
//! names the file and, where known, the line, record and column. [`read`] reads one file,
//! [`read_each`] streams its events to a callback, and [`read_all`] reads every file and
//! merges their events without double counting.

pub mod csv;
mod decode;
pub mod event;
pub mod fields;
pub mod formats;
pub(crate) mod intern;
pub mod json;
mod kind;
mod lenient;
pub mod limits;
pub mod out;
mod problem;
mod sniff;
pub mod time;
pub mod values;

pub use decode::{decode, decode_within, Decoded};
pub use event::{Granularity, KeyIdKind, RawRef, RecordKind, Target, UsageEvent};
pub use formats::mapping::ColumnMapping;
pub use kind::EvidenceKind;
pub use problem::{Problem, Problems, MAX_PROBLEMS_KEPT};
pub use sniff::sniff;

/// The responder's column mappings for CSV files of an unknown layout, keyed by the file's
/// SHA-256 (or, failing that, its name): the only thing the evidence stage is told.
pub type Mappings = std::collections::BTreeMap<String, ColumnMapping>;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// One evidence file as given to the engine.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file's name (or path relative to a dropped folder).
    pub name: String,
    /// The file's bytes, exactly as read.
    pub bytes: Vec<u8>,
    /// The SHA-256 of `bytes` (lower-case hex) when whoever read the file computed it already:
    /// the page's worker asks the browser's own implementation, several times faster than
    /// hashing in WebAssembly. `None`: the engine computes it.
    pub sha256: Option<String>,
}

impl Input {
    /// Makes an input from a name and bytes.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Input {
            name: name.into(),
            bytes: bytes.into(),
            sha256: None,
        }
    }

    /// The SHA-256 of the bytes as lower-case hex: the one given, else computed now.
    pub fn digest(&self) -> String {
        self.sha256
            .clone()
            .unwrap_or_else(|| crate::secret::hex(&Sha256::digest(&self.bytes)))
    }
}

/// One row of the evidence inventory (the chain of custody).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceFile {
    /// The file's name as given.
    pub name: String,
    /// Size in bytes, as read (before any decompression).
    pub size: u64,
    /// SHA-256 of the bytes as read, lower-case hex.
    pub sha256: String,
    /// The detected kind.
    pub kind: EvidenceKind,
    /// The kind in words, for people.
    pub kind_label: String,
    /// `gzip` when the bytes were compressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// The bytes a compressed file inflated to (what was read of it, within the limits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inflated_size: Option<u64>,
    /// The text encoding found (`utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`), or none for binary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Lines of text (0 for binary files).
    pub lines: u64,
    /// Records read: usage or audit events for exports, lines for plain text.
    pub records: u64,
    /// Assumptions made while reading (for example a time without a zone read as UTC).
    pub assumptions: Vec<String>,
    /// A one-line note about the file as a whole, when there is one to make.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How many problems were found in all (more than are kept below).
    pub problem_count: u64,
    /// The first problems found, up to [`MAX_PROBLEMS_KEPT`].
    pub problems: Vec<Problem>,
    /// Providers of the events read (`openai`, `aws_bedrock`, ...), sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<String>,
    /// The span of time the events cover (bucket ends included), in UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_range: Option<TimeRange>,
    /// Events dropped because an earlier page or file already held them (same event id and
    /// content).
    #[serde(skip_serializing_if = "is_zero")]
    pub duplicates: u64,
    /// Records kept without a time: the source redacted it or it could not be read. They are
    /// counted in `records`, named in the detection's undated events, outside every series.
    #[serde(skip_serializing_if = "is_zero")]
    pub undated: u64,
    /// The header columns of a CSV file (the page offers them for a column mapping).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A span of time, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimeRange {
    /// The earliest event time or bucket start.
    #[serde(serialize_with = "ser_time")]
    pub start: DateTime<Utc>,
    /// The latest event time or bucket end.
    #[serde(serialize_with = "ser_time")]
    pub end: DateTime<Utc>,
}

fn ser_time<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

/// One file read: its inventory row and its events.
#[derive(Debug, Clone)]
pub struct Read {
    /// The inventory row (`records` is the number of events read, or lines for text).
    pub file: EvidenceFile,
    /// The normalised events, in file order.
    pub events: Vec<UsageEvent>,
}

/// Reads one input: hashes, decodes, sniffs and parses it.
pub fn read(input: &Input, mappings: &Mappings) -> Read {
    let mut events = Vec::new();
    let file = read_each(input, mappings, &mut |e| events.push(e));
    Read { file, events }
}

/// Reads every input and merges their events: an event whose id and content an earlier page or
/// file already gave ([`UsageEvent::merge_key`]) is dropped and counted in that file's
/// `duplicates`; records that share an id but differ are all kept. Events stay in input order.
pub fn read_all(inputs: &[Input], mappings: &Mappings) -> (Vec<EvidenceFile>, Vec<UsageEvent>) {
    let mut events = Vec::new();
    let files = read_all_each(inputs, mappings, &mut |e| events.push(e));
    (files, events)
}

/// [`read_all`] without holding the events: each merged event goes to `sink` as it is read
/// (duplicates already dropped), so a consumer that aggregates as it goes keeps memory near
/// the size of the input.
pub fn read_all_each(
    inputs: &[Input],
    mappings: &Mappings,
    sink: &mut dyn FnMut(UsageEvent),
) -> Vec<EvidenceFile> {
    read_all_within(inputs, mappings, limits::INFLATED_RUN_BYTES, sink)
}

/// [`read_all_each`] within a limit on the bytes all the files may inflate to together, taken
/// off file by file in order.
fn read_all_within(
    inputs: &[Input],
    mappings: &Mappings,
    mut run_left: u64,
    sink: &mut dyn FnMut(UsageEvent),
) -> Vec<EvidenceFile> {
    // Every event id read so far (a million CloudTrail ids fit in a few tens of megabytes).
    let mut seen = intern::StrSet::default();
    let mut same_bytes: HashMap<String, String> = HashMap::new();
    let mut files = Vec::with_capacity(inputs.len());
    for input in inputs {
        let sha256 = input.digest();
        let twin = same_bytes.get(&sha256).cloned();
        if twin.is_none() {
            same_bytes.insert(sha256.clone(), input.name.clone());
        }
        let mut dups = 0u64;
        let mut file = read_hashed(input, mappings, sha256, run_left, &mut |e| {
            if twin.is_some() {
                dups += 1;
                return;
            }
            if let Some(id) = e.merge_key() {
                if !seen.insert(&id).1 {
                    dups += 1;
                    return;
                }
            }
            sink(e);
        });
        file.duplicates = dups;
        run_left = run_left.saturating_sub(file.inflated_size.unwrap_or(0));
        if let Some(t) = twin {
            if file.kind.is_usage() || file.kind == EvidenceKind::UnknownCsv {
                file.note = Some(format!(
                    "same bytes as {t}: its records are not counted twice"
                ));
            }
        }
        files.push(file);
    }
    files
}

/// Reads one input, sending each event to `sink` as it is read (nothing is held), and
/// returns the inventory row.
pub fn read_each(
    input: &Input,
    mappings: &Mappings,
    sink: &mut dyn FnMut(UsageEvent),
) -> EvidenceFile {
    let sha256 = input.digest();
    read_hashed(input, mappings, sha256, limits::INFLATED_RUN_BYTES, sink)
}

/// [`read_each`] with the SHA-256 already computed, for a file of a run whose earlier files
/// left `run_left` bytes of the run's limit on inflated bytes.
fn read_hashed(
    input: &Input,
    mappings: &Mappings,
    sha256: String,
    run_left: u64,
    sink: &mut dyn FnMut(UsageEvent),
) -> EvidenceFile {
    let mut problems = Problems::new(&input.name);
    let (decoded, inflated) = decode_within(&input.bytes, run_left, &mut problems);
    let kind = match &decoded {
        Decoded::Empty => EvidenceKind::Empty,
        Decoded::Binary { .. } => EvidenceKind::Binary,
        Decoded::Text { text, .. } => sniff(text),
    };
    let mut out = out::Out::new(&input.name, problems, sink);
    let (lines, encoding, compression) = match &decoded {
        Decoded::Empty => {
            out.note = Some("empty file: nothing to read".to_string());
            (0, None, None)
        }
        Decoded::Binary { compression, why } => {
            out.note = Some(format!("binary file, not analysed: {why}"));
            (0, None, compression.clone())
        }
        Decoded::Text {
            text,
            encoding,
            compression,
        } => {
            if kind.is_usage() || kind.is_agent() || kind == EvidenceKind::UnknownCsv {
                formats::parse(kind, text, &sha256, mappings, &mut out);
            }
            if kind == EvidenceKind::UnknownJson {
                let fields = json::first_record_keys(text)
                    .map(|k| format!(" (first record's fields: {})", k.join(", ")))
                    .unwrap_or_default();
                out.note = Some(format!(
                    "JSON of a shape this tool does not know{fields}: not read (docs/evidence.md lists the formats read)"
                ));
            }
            (
                count_lines(text),
                Some(encoding.to_string()),
                compression.clone(),
            )
        }
    };
    let records = if kind.is_text() { lines } else { out.events };
    let time_range = match (out.first, out.last) {
        (Some(start), Some(end)) => Some(TimeRange { start, end }),
        _ => None,
    };
    let out::Out {
        mut problems,
        assumptions,
        providers,
        mut columns,
        note,
        undated,
        ..
    } = out;
    // A header's names go to the report: a name past the limit per field value is cut too.
    for c in &mut columns {
        if let Some(why) = values::cap(c) {
            problems.push(Some(1), None, None, format!("column name: {why}"));
        }
    }
    let (problem_count, problems) = problems.finish();
    EvidenceFile {
        name: input.name.clone(),
        size: input.bytes.len() as u64,
        sha256,
        kind_label: kind.label().to_string(),
        kind,
        compression,
        inflated_size: (inflated > 0).then_some(inflated),
        encoding,
        lines,
        records,
        assumptions: assumptions.into_iter().collect(),
        note,
        problem_count,
        problems,
        providers: providers.into_iter().collect(),
        time_range,
        duplicates: 0,
        undated,
        columns,
    }
}

/// Hashes, decodes, sniffs and reads one input into its inventory row (events not kept).
pub fn inventory(input: &Input) -> EvidenceFile {
    read_each(input, &Mappings::new(), &mut |_| {})
}

/// Lines in a text: each ends at LF, CRLF or a lone CR (old Mac exports, as the CSV reader
/// reads them); a final line without a line end still counts.
fn count_lines(text: &str) -> u64 {
    let b = text.as_bytes();
    let n = memchr::memchr2_iter(b'\n', b'\r', b)
        .filter(|&i| b[i] == b'\n' || b.get(i + 1) != Some(&b'\n'))
        .count() as u64;
    if text.is_empty() || text.ends_with(['\n', '\r']) {
        n
    } else {
        n + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inventory_hashes_the_bytes_as_read() {
        let row = inventory(&Input::new("a.txt", "hello\nworld"));
        assert_eq!(row.size, 11);
        assert_eq!(row.lines, 2);
        assert_eq!(
            row.sha256,
            // sha256("hello\nworld")
            "26c60a61d01db5836ca70fefd44a6a016620413c8ef5f259a6c5612d4f79d3b8"
        );
        assert_eq!(row.kind, EvidenceKind::Text);
    }

    #[test]
    fn a_digest_the_reader_computed_is_the_inventorys_and_none_is_computed_here() {
        let computed = inventory(&Input::new("a.txt", "hello\nworld")).sha256;
        // What the page's worker gives: the browser's SHA-256 of the same bytes.
        let given = Input {
            sha256: Some(computed.clone()),
            ..Input::new("a.txt", "hello\nworld")
        };
        assert_eq!(given.digest(), computed);
        let files = read_all_within(&[given], &Mappings::new(), u64::MAX, &mut |_| {});
        assert_eq!(files[0].sha256, computed);
        // The engine takes the reader's digest as given (it does not hash the bytes again).
        let marked = Input {
            sha256: Some("given".into()),
            ..Input::new("a.txt", "hello\nworld")
        };
        assert_eq!(inventory(&marked).sha256, "given");
    }

    #[test]
    fn lines_end_at_lf_crlf_or_a_lone_cr() {
        for (text, lines) in [
            ("", 0),
            ("a", 1),
            ("a\n", 1),
            ("a\r\nb\r\n", 2),
            ("a\rb\rc\r", 3),
            ("a\rb", 2),
            ("a\r\n\rb", 3),
        ] {
            assert_eq!(count_lines(text), lines, "{text:?}");
        }
        // A CR-only CSV: its lines and its records.
        let row = inventory(&Input::new("mac.csv", "timestamp,model\r2026-01-01,gpt\r"));
        assert_eq!(row.lines, 2);
    }

    #[test]
    fn the_files_of_a_run_inflate_within_what_the_earlier_ones_left() {
        use std::io::Write;
        let gz = |text: &[u8]| {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(text).unwrap();
            enc.finish().unwrap()
        };
        let text = b"line of text\n".repeat(100);
        let inputs = [
            Input::new("a.log.gz", gz(&text)),
            Input::new("plain.log", text.clone()),
            Input::new("b.log.gz", gz(&text[..1000])),
            Input::new("c.log.gz", gz(&text)),
            Input::new("d.log.gz", gz(&text)),
        ];
        let files = read_all_within(&inputs, &Mappings::new(), 2600, &mut |_| {});
        let inflated: Vec<_> = files.iter().map(|f| f.inflated_size).collect();
        assert_eq!(inflated, [Some(1300), None, Some(1000), Some(300), None]);
        let counts: Vec<_> = files.iter().map(|f| f.problem_count).collect();
        assert_eq!(counts, [0, 0, 0, 1, 1]);
        assert!(files[3].problems[0]
            .message
            .contains("limit of 4 GiB per run; kept the first 300 bytes of this one"));
        assert_eq!(files[3].lines, 24, "what inflated is read");
        assert_eq!(files[4].kind, EvidenceKind::Empty);
    }

    #[test]
    fn a_column_name_past_the_limit_per_field_value_is_cut() {
        // The sniffer takes only short names for a header; a quoted name over two lines is not
        // seen whole by it, but the CSV reader reads it whole.
        let long = format!("x\n{},n", "n".repeat(limits::FIELD_BYTES));
        let text = format!("when,\"{long}\"\n2026-01-01,1\n");
        let row = inventory(&Input::new("odd.csv", text));
        assert_eq!(row.kind, EvidenceKind::UnknownCsv);
        assert_eq!(row.columns[0], "when");
        assert_eq!(
            row.columns[1],
            "x\n… [4100 bytes, cut at the limit of 4 KiB]"
        );
        assert_eq!(row.problems.len(), 1, "{:?}", row.problems);
        assert!(row.problems[0]
            .message
            .starts_with("column name: a value of 4100 bytes"));
    }

    #[test]
    fn empty_file_is_reported_not_fatal() {
        let row = inventory(&Input::new("empty.json", Vec::new()));
        assert_eq!(row.kind, EvidenceKind::Empty);
        assert_eq!(row.note.as_deref(), Some("empty file: nothing to read"));
    }

    #[test]
    fn binary_file_is_reported_not_fatal() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let row = inventory(&Input::new("blob.bin", bytes));
        assert_eq!(row.kind, EvidenceKind::Binary);
        assert!(row.note.unwrap().starts_with("binary file"));
    }
}
