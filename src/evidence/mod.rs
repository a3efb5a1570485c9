//! Evidence files: bytes in, an inventory entry (and, later, normalised records) out.
//!
//! Kinds are sniffed from content, never from the file name. Problems are data: each one
//! names the file and, where known, the line, record and column.

mod decode;
pub mod event;
mod kind;
mod problem;
mod sniff;

pub use decode::{decode, Decoded};
pub use event::{Granularity, KeyIdKind, RawRef, RecordKind, UsageEvent};
pub use kind::EvidenceKind;
pub use problem::{Problem, Problems, MAX_PROBLEMS_KEPT};
pub use sniff::sniff;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// One evidence file as given to the engine.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file's name (or path relative to a dropped folder).
    pub name: String,
    /// The file's bytes, exactly as read.
    pub bytes: Vec<u8>,
}

impl Input {
    /// Makes an input from a name and bytes.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Input {
            name: name.into(),
            bytes: bytes.into(),
        }
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
}

/// Hashes, decodes and sniffs one input into its inventory row.
pub fn inventory(input: &Input) -> EvidenceFile {
    let sha256 = crate::secret::hex(&Sha256::digest(&input.bytes));
    let mut problems = Problems::new(&input.name);
    let decoded = decode(&input.bytes, &mut problems);
    let kind = match &decoded {
        Decoded::Empty => EvidenceKind::Empty,
        Decoded::Binary { .. } => EvidenceKind::Binary,
        Decoded::Text { text, .. } => sniff(text),
    };
    let (lines, encoding, compression, note) = match &decoded {
        Decoded::Empty => (
            0,
            None,
            None,
            Some("empty file: nothing to read".to_string()),
        ),
        Decoded::Binary { compression, why } => (
            0,
            None,
            compression.clone(),
            Some(format!("binary file, not analysed: {why}")),
        ),
        Decoded::Text {
            text,
            encoding,
            compression,
        } => (
            count_lines(text),
            Some(encoding.to_string()),
            compression.clone(),
            None,
        ),
    };
    let records = if kind.is_text() { lines } else { 0 };
    let (problem_count, problems) = problems.finish();
    EvidenceFile {
        name: input.name.clone(),
        size: input.bytes.len() as u64,
        sha256,
        kind_label: kind.label().to_string(),
        kind,
        compression,
        encoding,
        lines,
        records,
        assumptions: Vec::new(),
        note,
        problem_count,
        problems,
    }
}

/// Lines in a text: a final line without a newline still counts.
fn count_lines(text: &str) -> u64 {
    let n = memchr_count(text.as_bytes(), b'\n');
    if text.is_empty() || text.ends_with('\n') {
        n
    } else {
        n + 1
    }
}

fn memchr_count(bytes: &[u8], needle: u8) -> u64 {
    bytes.iter().filter(|&&b| b == needle).count() as u64
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
