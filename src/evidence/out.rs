//! What a parser writes to: events to a sink, problems, assumptions, and per-file facts.

use super::event::{RawRef, UsageEvent};
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
    sink: &'s mut dyn FnMut(UsageEvent),
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
            sink,
        }
    }

    /// Sends one event on, its values checked first ([`super::values::check`]: a value out of
    /// its limit is dropped from the row and becomes a problem at the row's place).
    pub fn emit(&mut self, mut e: UsageEvent) {
        let (line, record) = (e.raw_ref.line, e.raw_ref.record);
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
