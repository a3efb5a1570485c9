//! CSV records over text, read by `csv-core` (RFC 4180: quoted fields, doubled quotes, newlines
//! inside quotes), with the line each record starts on and its quoting problems.
//!
//! A line ends at LF, CRLF or a lone CR (old Mac exports), inside quotes too; blank lines are
//! skipped. Fields borrow from the text when the record has no quote (the common case: no
//! allocation); a record with quotes gets its fields unquoted into new strings. A quote that is
//! never closed spoils only the line it opens on: that line is reported and reading goes on
//! from the next one, so the rows after it are kept.

use super::limits::RECORD_BYTES;
use std::borrow::Cow;

/// Reads CSV records one at a time.
pub struct CsvReader<'t> {
    text: &'t str,
    pos: usize,
    line: u64,
    /// Where the last record read starts.
    last: usize,
    parser: csv_core::Reader,
    /// The current record's unquoted bytes, and where each of its fields ends in them.
    out: Vec<u8>,
    ends: Vec<usize>,
    /// The longest record read ([`RECORD_BYTES`]; smaller in tests).
    max_record: usize,
}

/// What went wrong reading one record (the record is still returned as far as it was read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvIssue {
    /// A quoted field opened on the record's line is still open at the end of the text: the
    /// record is that one line, read as far as it goes; reading goes on from the next line.
    UnterminatedQuote,
    /// Characters followed a closing quote before the separator (kept in the field).
    TextAfterQuote,
    /// The record runs past [`RECORD_BYTES`]: nothing of it is returned, and reading goes on
    /// from the line end after the limit.
    TooLong,
}

/// One record's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordAt {
    /// 1-based line the record starts on.
    pub line: u64,
    /// A problem with the record's quoting, if any.
    pub issue: Option<CsvIssue>,
}

impl<'t> CsvReader<'t> {
    /// A reader at the start of `text`.
    pub fn new(text: &'t str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        CsvReader {
            text,
            pos: 0,
            line: 1,
            last: 0,
            parser: csv_core::Reader::new(),
            out: vec![0; 1024],
            ends: vec![0; 64],
            max_record: RECORD_BYTES,
        }
    }

    /// Reads the next non-blank record into `fields` (cleared first). `None` at the end.
    pub fn next_record(&mut self, fields: &mut Vec<Cow<'t, str>>) -> Option<RecordAt> {
        let b = self.text.as_bytes();
        // Skip blank lines (csv-core would too, but the lines are counted here).
        while let Some(&c) = b.get(self.pos) {
            match c {
                b'\n' => self.line += 1,
                b'\r' if b.get(self.pos + 1) != Some(&b'\n') => self.line += 1,
                b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
        if self.pos >= b.len() {
            return None;
        }
        fields.clear();
        if self.out.len() > 1 << 24 {
            // A huge record (a quote never closed copies the rest of the text here) is not
            // kept for the records after it.
            self.out = vec![0; 1024];
        }
        let start = self.pos;
        self.last = start;
        let at = RecordAt {
            line: self.line,
            issue: None,
        };
        let stop = b
            .len()
            .min(start.saturating_add(self.max_record).saturating_add(1));
        let (end, nfields, ended_by_eof) = self.parse(start, stop);
        if ended_by_eof && stop < b.len() {
            // Longer than a record may be: go on from the line end after the limit.
            self.parser.reset();
            let next = memchr::memchr2(b'\n', b'\r', &b[stop..]).map_or(b.len(), |i| stop + i + 1);
            let next = if b[next - 1] == b'\r' && b.get(next) == Some(&b'\n') {
                next + 1
            } else {
                next
            };
            self.line += line_breaks(b, start, next);
            self.pos = next;
            return Some(RecordAt {
                issue: Some(CsvIssue::TooLong),
                ..at
            });
        }
        let raw = &b[start..end];
        // The line end that closed the record, if any, and the line breaks it makes.
        let (content, breaks) = match raw.last() {
            _ if ended_by_eof => (raw.len(), 0),
            Some(b'\n') => (raw.len() - 1, 1),
            Some(_) => (raw.len() - 1, u64::from(b.get(end) != Some(&b'\n'))),
            None => (0, 0),
        };
        if nfields > 0 && self.ends[nfields - 1] + nfields - 1 == content {
            // Nothing but the separators was taken out (so no quoted field, no line break
            // inside one): the fields are the raw text between the separators.
            let mut from = start;
            for i in 0..nfields {
                let to = start + self.ends[i] + i;
                fields.push(match self.text.get(from..to) {
                    Some(f) => Cow::Borrowed(f),
                    None => Cow::Owned(self.owned_field(i)),
                });
                from = to + 1;
            }
            self.line += breaks;
            self.pos = end;
            return Some(at);
        }
        let issue = quote_issue(raw);
        let (end, nfields) = if issue == Some(CsvIssue::UnterminatedQuote) {
            // Only the line the quote opens on is spoilt: read it alone, then go on after it.
            let line_end = memchr::memchr2(b'\n', b'\r', raw).map_or(end, |i| start + i + 1);
            self.parser.reset();
            let (end, nfields, _) = self.parse(start, line_end);
            self.parser.reset();
            (end, nfields)
        } else {
            (end, nfields)
        };
        for i in 0..nfields {
            fields.push(Cow::Owned(self.owned_field(i)));
        }
        self.line += line_breaks(b, start, end);
        self.pos = end;
        Some(RecordAt { issue, ..at })
    }

    /// Runs the parser over `text[start..stop]` (then its end) up to the end of one record.
    /// Returns where the record ends in the text, its number of fields, and whether the end of
    /// the text (rather than a line end) closed it; the fields are in `self.out`, ending at
    /// `self.ends`.
    fn parse(&mut self, start: usize, stop: usize) -> (usize, usize, bool) {
        use csv_core::ReadRecordResult as R;
        let b = &self.text.as_bytes()[..stop];
        let (mut pos, mut nout, mut nend) = (start, 0, 0);
        loop {
            let at_eof = pos == b.len();
            let (res, nin, o, e) =
                self.parser
                    .read_record(&b[pos..], &mut self.out[nout..], &mut self.ends[nend..]);
            pos += nin;
            nout += o;
            nend += e;
            match res {
                R::InputEmpty => {}
                R::OutputFull => self.out.resize(self.out.len() * 2, 0),
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::Record | R::End => return (pos, nend, at_eof),
            }
        }
    }

    /// Field `i` of the parsed record as a new string.
    fn owned_field(&self, i: usize) -> String {
        let from = if i == 0 { 0 } else { self.ends[i - 1] };
        // The text is UTF-8 and only ASCII bytes (quotes) were taken out: never lossy.
        String::from_utf8_lossy(&self.out[from..self.ends[i]]).into_owned()
    }

    /// The line the next record would start on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// When the record just read (`at`) runs over several lines, goes back to read on from its
    /// second line: a stray quote that stretched a row over the rows after it then costs only
    /// its own line. True when it went back.
    pub fn reread_after_first_line(&mut self, at: RecordAt) -> bool {
        let b = self.text.as_bytes();
        let Some(i) = memchr::memchr2(b'\n', b'\r', &b[self.last..self.pos]) else {
            return false;
        };
        let mut next = self.last + i + 1;
        if b[next - 1] == b'\r' && b.get(next) == Some(&b'\n') {
            next += 1;
        }
        if next >= self.pos {
            return false;
        }
        self.pos = next;
        self.line = at.line + 1;
        self.parser.reset();
        true
    }
}

/// The line breaks in `b[start..end]`: each LF, and each CR not followed by an LF.
fn line_breaks(b: &[u8], start: usize, end: usize) -> u64 {
    memchr::memchr2_iter(b'\n', b'\r', &b[start..end])
        .filter(|&i| b[start + i] == b'\n' || b.get(start + i + 1) != Some(&b'\n'))
        .count() as u64
}

/// The quoting problem of one record's raw bytes, as csv-core reads them: a quote opens a
/// quoted field only at the field's start, `""` inside one is a quote, and anything between a
/// closing quote and the separator is kept in the field.
fn quote_issue(raw: &[u8]) -> Option<CsvIssue> {
    let mut issue = None;
    let mut i = 0;
    let mut field_start = true;
    while i < raw.len() {
        let c = raw[i];
        i += 1;
        if field_start && c == b'"' {
            loop {
                match raw.get(i) {
                    None => return Some(CsvIssue::UnterminatedQuote),
                    Some(b'"') if raw.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            if raw
                .get(i)
                .is_some_and(|c| !matches!(c, b',' | b'\n' | b'\r'))
            {
                issue = Some(CsvIssue::TextAfterQuote);
            }
            field_start = false;
        } else {
            field_start = matches!(c, b',' | b'\n' | b'\r');
        }
    }
    issue
}

/// A CSV header: column names, looked up by name (trimmed, case-insensitive).
#[derive(Debug, Clone, Default)]
pub struct Header {
    names: Vec<String>,
}

impl Header {
    /// A header from its fields.
    pub fn new(fields: &[Cow<'_, str>]) -> Self {
        Header {
            names: fields
                .iter()
                .map(|f| f.trim().trim_start_matches('\u{feff}').to_string())
                .collect(),
        }
    }

    /// The column names as written.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are no columns.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The index of a column by name.
    pub fn idx(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.eq_ignore_ascii_case(name))
    }

    /// The index of the first of several names that is present.
    pub fn any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.idx(n))
    }

    /// True when the header has a column of this name.
    pub fn has(&self, name: &str) -> bool {
        self.idx(name).is_some()
    }
}

/// A field by optional index, trimmed; empty fields are `None`.
pub fn field<'a>(fields: &'a [Cow<'_, str>], idx: Option<usize>) -> Option<&'a str> {
    let f = fields.get(idx?)?.trim_ascii();
    if f.is_empty() {
        None
    } else {
        Some(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(u64, Vec<String>, Option<CsvIssue>)> {
        let mut r = CsvReader::new(text);
        let mut f = Vec::new();
        let mut out = Vec::new();
        while let Some(at) = r.next_record(&mut f) {
            out.push((at.line, f.iter().map(|x| x.to_string()).collect(), at.issue));
        }
        out
    }

    #[test]
    fn quoted_fields_crlf_and_blank_lines() {
        let got =
            all("a,b,c\r\n\"Key, One\",\"say \"\"hi\"\"\",3\r\n\r\nx,\"multi\nline\",z\nlast,,\n");
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].1, ["a", "b", "c"]);
        assert_eq!(got[1].1, ["Key, One", "say \"hi\"", "3"]);
        assert_eq!(got[2].0, 4);
        assert_eq!(got[2].1, ["x", "multi\nline", "z"]);
        assert_eq!(got[3].0, 6);
        assert_eq!(got[3].1, ["last", "", ""]);
    }

    #[test]
    fn bad_quoting_is_reported_not_fatal() {
        let got = all("a,\"open\nb,c\n");
        assert_eq!(got[0].2, Some(CsvIssue::UnterminatedQuote));
        let got = all("\"a\"x,b\n");
        assert_eq!(got[0].2, Some(CsvIssue::TextAfterQuote));
        assert_eq!(got[0].1, ["ax", "b"]);
        // A quote inside an unquoted field is a character like any other.
        let got = all("a\"b,c\n");
        assert_eq!(
            (got[0].1.clone(), got[0].2),
            (vec!["a\"b".into(), "c".into()], None)
        );
    }

    #[test]
    fn a_cr_only_text_gives_its_records_and_lines() {
        let got = all("a,b\r1,2\r\r3,4\r");
        let lines: Vec<u64> = got.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 4]);
        assert_eq!(got[2].1, ["3", "4"]);
    }

    #[test]
    fn crlf_and_a_lone_cr_end_lines_outside_quotes_not_inside() {
        let got = all("a,b\r\n1,2\r\n3,4");
        assert_eq!(got.len(), 3);
        assert_eq!(
            (got[2].0, got[2].1.clone()),
            (3, vec!["3".into(), "4".into()])
        );
        // A lone CR ends a row (it used to glue two rows together)...
        let got = all("a,b\n1,2\r3,4\n5,6\n");
        let lines: Vec<u64> = got.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 3, 4]);
        assert_eq!(got[2].1, ["3", "4"]);
        // ...but inside quotes it is part of the field, and still counts as a line.
        let got = all("a,b\n\"x\ry\",2\n5,6\n");
        assert_eq!(got[1].1, ["x\ry", "2"]);
        assert_eq!(got[1].2, None);
        assert_eq!(
            (got[2].0, got[2].1.clone()),
            (4, vec!["5".into(), "6".into()])
        );
    }

    #[test]
    fn an_unclosed_quote_spoils_only_its_line() {
        let got = all("a,b\n\"x\ny\",2\n3,\"oops\n5,6\r\n7,8\n");
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(
            (got[1].0, got[1].1.clone()),
            (2, vec!["x\ny".into(), "2".into()])
        );
        assert_eq!((got[2].0, got[2].2), (4, Some(CsvIssue::UnterminatedQuote)));
        assert_eq!(got[2].1, ["3", "oops\n"]);
        assert_eq!(
            (got[3].0, got[3].1.clone()),
            (5, vec!["5".into(), "6".into()])
        );
        assert_eq!(
            (got[4].0, got[4].1.clone(), got[4].2),
            (6, vec!["7".into(), "8".into()], None)
        );
        // At the very end of the text too, with or without a last line end.
        for text in ["a,b\n1,\"2", "a,b\n1,\"2\n", "a,b\n\"2\n"] {
            let got = all(text);
            assert_eq!(got.len(), 2, "{text:?}");
            assert_eq!((got[1].0, got[1].2), (2, Some(CsvIssue::UnterminatedQuote)));
        }
    }

    #[test]
    fn fields_without_quotes_borrow_from_the_text() {
        let mut r = CsvReader::new("h\u{e9},x\n\u{e9}t\u{e9},\"q\"\n");
        let mut f = Vec::new();
        r.next_record(&mut f).unwrap();
        assert!(f.iter().all(|x| matches!(x, Cow::Borrowed(_))));
        assert_eq!(f, ["h\u{e9}", "x"]);
        r.next_record(&mut f).unwrap();
        assert_eq!(f, ["\u{e9}t\u{e9}", "q"]);
        assert!(r.next_record(&mut f).is_none());
        assert_eq!(r.line(), 3);
        // A second BOM (which the parser drops too) cannot shift the borrowed fields.
        let got = all("\u{feff}\u{feff}a,b\nc,d\n");
        assert_eq!(got[0].1, ["a", "b"]);
        assert_eq!(got[1].1, ["c", "d"]);
    }

    #[test]
    fn a_record_past_the_limit_is_skipped_and_reading_goes_on() {
        let text = "a,b\n1,2\n3,xxxxxxxxxxxxxxxxxxxx\n\"4\n5\",yyyyyyyyyyyyyyyyyyy\r\n6,7\r8,9";
        let mut r = CsvReader::new(text);
        r.max_record = 10;
        let mut f = Vec::new();
        let mut got = Vec::new();
        while let Some(at) = r.next_record(&mut f) {
            let fields: Vec<String> = f.iter().map(|x| x.to_string()).collect();
            got.push((at.line, at.issue, fields));
        }
        let too_long = Some(CsvIssue::TooLong);
        assert_eq!(got[2], (3, too_long, vec![]), "{got:?}");
        // A quoted record over two lines, too long: skipped up to the line end after the limit.
        assert_eq!((got[3].0, got[3].1), (4, too_long), "{got:?}");
        assert_eq!(got[4], (6, None, vec!["6".into(), "7".into()]));
        assert_eq!(got[5], (7, None, vec!["8".into(), "9".into()]));
        assert_eq!(got.len(), 6);
        // At the limit exactly, a record is read.
        let mut r = CsvReader::new("1234567890\n");
        r.max_record = 10;
        assert_eq!(r.next_record(&mut f).map(|a| a.issue), Some(None));
        assert_eq!(f, ["1234567890"]);
    }

    #[test]
    fn header_lookup_ignores_case_and_bom() {
        let h = Header::new(&[Cow::Borrowed("\u{feff}Timestamp"), Cow::Borrowed(" model ")]);
        assert_eq!(h.idx("timestamp"), Some(0));
        assert_eq!(h.any(&["x", "MODEL"]), Some(1));
    }
}
