//! What a parser writes to: events to a sink, problems, assumptions, and per-file facts.

use super::event::{RawRef, UsageEvent};
use super::limits::{RECORDS_PER_FILE, RECORD_BYTES};
use super::Problems;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// Where in a file a record is: its line and/or record index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loc {
    /// 1-based line.
    pub line: Option<u64>,
    /// 0-based record index.
    pub record: Option<u64>,
}

impl Loc {
    /// A record starting on a line.
    pub fn line(line: u64) -> Self {
        Loc {
            line: Some(line),
            record: None,
        }
    }

    /// A record by index (and line, when known).
    pub fn at(line: Option<u64>, record: u64) -> Self {
        Loc {
            line,
            record: Some(record),
        }
    }
}

/// The parsers' output for one file.
pub struct Out<'s> {
    /// The file's name, as given.
    pub file: &'s str,
    /// Problems found.
    pub problems: Problems,
    /// Assumptions made (deduplicated, in order of first use is not needed: sorted).
    pub assumptions: BTreeSet<String>,
    /// Events emitted.
    pub events: u64,
    /// Events kept without a time (the source's time redacted or unreadable).
    pub undated: u64,
    /// Time buckets of a paged usage or cost API with no results (no usage in them).
    pub empty_buckets: u64,
    /// Earliest event time.
    pub first: Option<DateTime<Utc>>,
    /// Latest event time (or bucket end).
    pub last: Option<DateTime<Utc>>,
    /// Providers seen.
    pub providers: BTreeSet<String>,
    /// Header columns, for CSV files.
    pub columns: Vec<String>,
    /// A note about the whole file.
    pub note: Option<String>,
    /// True once the file has given the most records one file may
    /// ([`super::limits::RECORDS_PER_FILE`]): later events are not read.
    full: bool,
    /// The most events read from the file ([`RECORDS_PER_FILE`]; smaller in tests).
    max_records: u64,
    /// The longest record read ([`RECORD_BYTES`]; smaller in tests).
    pub(crate) max_record_bytes: usize,
    /// Where the file's text is, when it has no line end but perhaps its last byte: the lines
    /// of records read from it need no counting ([`Out::one_line`]).
    pub(crate) one_line_text: Option<(usize, usize)>,
    sink: &'s mut dyn FnMut(UsageEvent),
    /// What listens to the tokens of the file's JSON text as its records are walked.
    pub(crate) tokens: Option<Box<dyn super::tokens::Tokens + 's>>,
}

impl<'s> Out<'s> {
    /// Output for one file, sending events to `sink`.
    pub fn new(file: &'s str, problems: Problems, sink: &'s mut dyn FnMut(UsageEvent)) -> Self {
        Out {
            file,
            problems,
            assumptions: BTreeSet::new(),
            events: 0,
            undated: 0,
            empty_buckets: 0,
            first: None,
            last: None,
            providers: BTreeSet::new(),
            columns: Vec::new(),
            note: None,
            full: false,
            max_records: RECORDS_PER_FILE,
            max_record_bytes: RECORD_BYTES,
            one_line_text: None,
            sink,
            tokens: None,
        }
    }

    /// Whether `text` lies within the file's text and that has one line (a text read from
    /// elsewhere, a value unescaped, may have lines of its own).
    pub(crate) fn one_line(&self, text: &str) -> bool {
        let at = text.as_ptr() as usize;
        self.one_line_text
            .is_some_and(|(start, len)| at >= start && at + text.len() <= start + len)
    }

    /// True once the file has given the most records one file may: a reader stops there.
    pub fn full(&self) -> bool {
        self.full
    }

    /// Sends one event on, its values checked first ([`super::values::check`]: a value out of
    /// its limit is dropped from the row and becomes a problem at the row's place).
    pub fn emit(&mut self, mut e: UsageEvent) {
        let (line, record) = (e.raw_ref.line, e.raw_ref.record);
        if self.events >= self.max_records {
            if !self.full {
                self.full = true;
                let n = self.max_records;
                self.problems.push(
                    line,
                    record,
                    None,
                    format!(
                        "more records than the limit of {n} per file; the first {n} were read, \
                         this one and the ones after it were not"
                    ),
                );
            }
            return;
        }
        let problems = &mut self.problems;
        super::values::check(&mut e, &mut |field, msg| {
            problems.push(line, record, Some(field.to_string()), msg)
        });
        self.events += 1;
        if e.ts_unknown {
            self.undated += 1;
            if !self.providers.contains(&e.provider) {
                self.providers.insert(e.provider.clone());
            }
            (self.sink)(e);
            return;
        }
        if self.first.is_none_or(|f| e.ts < f) {
            self.first = Some(e.ts);
        }
        let end = e.ts_end.unwrap_or(e.ts);
        if self.last.is_none_or(|l| end > l) {
            self.last = Some(end);
        }
        if !self.providers.contains(&e.provider) {
            self.providers.insert(e.provider.clone());
        }
        (self.sink)(e);
    }

    /// Records a problem at a location.
    pub fn problem(&mut self, loc: Loc, column: Option<&str>, message: String) {
        self.problems
            .push(loc.line, loc.record, column.map(str::to_string), message);
    }

    /// Records an assumption (each distinct one once).
    pub fn assume(&mut self, what: &str) {
        if !self.assumptions.contains(what) {
            self.assumptions.insert(what.to_string());
        }
    }

    /// A back-reference to a location in this file.
    pub fn raw_ref(&self, loc: Loc) -> RawRef {
        RawRef {
            file: self.file.to_string(),
            line: loc.line,
            record: loc.record,
        }
    }
}

/// Quotes a value from the input for a problem message: short values whole, longer ones
/// redacted (a long token in a wrong column may be a credential).
pub fn quote(v: &str) -> String {
    let v = v.trim();
    if v.chars().count() <= 20 {
        format!("{v:?}")
    } else {
        format!(
            "{:?} ({} characters)",
            crate::secret::redact(v),
            v.chars().count()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{Input, Mappings};

    #[test]
    fn records_past_the_limit_per_file_are_not_read_and_named_once() {
        let mut got = Vec::new();
        let mut sink = |e: UsageEvent| got.push(e.raw_ref.line);
        let mut out = Out::new("many.jsonl", Problems::new("many.jsonl"), &mut sink);
        out.max_records = 3;
        let text: String = (0..6)
            .map(|i| format!("{{\"timestamp\":\"2026-01-01T00:00:0{i}Z\",\"api_key_prefix\":\"sk-...a1B2\"}}\n"))
            .collect();
        let kind = crate::evidence::sniff(&text);
        crate::evidence::formats::parse(kind, &text, "", &Mappings::new(), &mut out);
        assert!(out.full());
        assert_eq!(out.events, 3);
        let (n, probs) = std::mem::replace(&mut out.problems, Problems::new("")).finish();
        drop(out);
        assert_eq!(got, [Some(1), Some(2), Some(3)]);
        assert_eq!(n, 1, "{probs:?}");
        assert_eq!(probs[0].line, Some(4));
        assert!(
            probs[0]
                .message
                .starts_with("more records than the limit of 3 per file"),
            "{probs:?}"
        );
        // At the real limit, a normal file is read whole.
        let row = crate::evidence::inventory(&Input::new("few.jsonl", text));
        assert_eq!((row.records, row.problem_count), (6, 0));
    }
}
