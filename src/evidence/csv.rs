//! A small RFC 4180 CSV reader over text: quoted fields, doubled quotes, CRLF, newlines inside
//! quotes, and line numbers for every record. Fields borrow from the text unless a doubled
//! quote had to be undone, so a record costs no allocation in the common case.

use std::borrow::Cow;

/// Reads CSV records one at a time.
pub struct CsvReader<'t> {
    text: &'t str,
    pos: usize,
    line: u64,
}

/// What went wrong reading one record (the record is still returned as far as it was read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvIssue {
    /// A quoted field was still open at the end of the text.
    UnterminatedQuote,
    /// Characters followed a closing quote before the separator.
    TextAfterQuote,
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
        }
    }

    /// Reads the next non-blank record into `fields` (cleared first). `None` at the end.
    pub fn next_record(&mut self, fields: &mut Vec<Cow<'t, str>>) -> Option<RecordAt> {
        let b = self.text.as_bytes();
        // Skip blank lines.
        loop {
            if self.pos >= b.len() {
                return None;
            }
            match b[self.pos] {
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                }
                b'\r' if b.get(self.pos + 1) == Some(&b'\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                _ => break,
            }
        }
        fields.clear();
        let at_line = self.line;
        // Fast path: one pass over a line without quotes, splitting on commas.
        let b_all = self.text.as_bytes();
        let mut i = self.pos;
        let mut start = i;
        let mut quoted = false;
        while i < b_all.len() {
            match b_all[i] {
                b',' => {
                    fields.push(Cow::Borrowed(&self.text[start..i]));
                    start = i + 1;
                }
                b'\n' => break,
                b'"' => {
                    quoted = true;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        if !quoted {
            let mut end = i;
            if end > start && b_all[end - 1] == b'\r' {
                end -= 1;
            }
            fields.push(Cow::Borrowed(&self.text[start..end]));
            if i < b_all.len() {
                self.line += 1;
                self.pos = i + 1;
            } else {
                self.pos = i;
            }
            return Some(RecordAt {
                line: at_line,
                issue: None,
            });
        }
        fields.clear();
        let mut issue = None;
        loop {
            // One field starting at self.pos.
            if b.get(self.pos) == Some(&b'"') {
                let start = self.pos + 1;
                let mut i = start;
                let mut doubled = false;
                let end;
                loop {
                    match b.get(i) {
                        None => {
                            issue = Some(CsvIssue::UnterminatedQuote);
                            end = b.len();
                            i = b.len();
                            break;
                        }
                        Some(b'"') => {
                            if b.get(i + 1) == Some(&b'"') {
                                doubled = true;
                                i += 2;
                            } else {
                                end = i;
                                i += 1;
                                break;
                            }
                        }
                        Some(b'\n') => {
                            self.line += 1;
                            i += 1;
                        }
                        Some(_) => i += 1,
                    }
                }
                let raw = &self.text[start..end];
                fields.push(if doubled {
                    Cow::Owned(raw.replace("\"\"", "\""))
                } else {
                    Cow::Borrowed(raw)
                });
                // After the closing quote: separator, end of line, or stray text.
                let mut j = i;
                while j < b.len() && !matches!(b[j], b',' | b'\n') {
                    if b[j] != b'\r' && issue.is_none() {
                        issue = Some(CsvIssue::TextAfterQuote);
                    }
                    j += 1;
                }
                self.pos = j;
            } else {
                let start = self.pos;
                let mut i = start;
                while i < b.len() && b[i] != b',' && b[i] != b'\n' {
                    i += 1;
                }
                let mut end = i;
                if end > start && b[end - 1] == b'\r' && (i == b.len() || b[i] == b'\n') {
                    end -= 1;
                }
                fields.push(Cow::Borrowed(&self.text[start..end]));
                self.pos = i;
            }
            match b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                    break;
                }
                _ => break,
            }
        }
        Some(RecordAt {
            line: at_line,
            issue,
        })
    }

    /// The line the next record would start on.
    pub fn line(&self) -> u64 {
        self.line
    }
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
        assert_eq!(got[0].1, ["a", "b"]);
    }

    #[test]
    fn header_lookup_ignores_case_and_bom() {
        let h = Header::new(&[Cow::Borrowed("\u{feff}Timestamp"), Cow::Borrowed(" model ")]);
        assert_eq!(h.idx("timestamp"), Some(0));
        assert_eq!(h.any(&["x", "MODEL"]), Some(1));
    }
}
