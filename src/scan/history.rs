//! Git history and patches: `git log -p` (any `--pretty`), `git format-patch` mbox, plain diffs.
//!
//! The parser walks the text once and hands each file diff's added and removed lines, joined
//! into one buffer each (so multi-line secrets spread over `+` lines are whole again), to a
//! sink together with the commit and the line numbers (new file for added lines, old file for
//! removed ones).

use crate::format;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use std::cell::Cell;

/// A commit as far as the evidence tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitInfo {
    /// The commit id (hex).
    pub id: String,
    /// The author's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The author's email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The author date: RFC 3339 UTC when it parsed, else as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_date: Option<String>,
    /// The commit date (only `--pretty=fuller` / `raw` show it): RFC 3339 UTC when it parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_date: Option<String>,
    /// The subject line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Chronological sort key: (unix time or 0, position rank).
    #[serde(skip)]
    pub order: (i64, i64),
    #[serde(skip)]
    ts: Option<i64>,
    #[serde(skip)]
    seq: i64,
}

/// Added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// On a `+` line (introduced by the commit).
    Added,
    /// On a `-` line (removed by the commit, still in history).
    Removed,
}

/// The added or removed lines of one file diff, joined.
#[derive(Debug)]
pub struct Chunk<'a> {
    /// The commit, if the evidence has commits.
    pub commit: Option<&'a CommitInfo>,
    /// The file's path (new path for added lines, old path for removed ones).
    pub path: &'a str,
    /// Added or removed.
    pub change: Change,
    /// The lines, each ending in `\n`.
    pub text: &'a [u8],
    /// For each line: its offset in `text` and its line number in the file.
    pub lines: &'a [(usize, u64)],
}

impl Chunk<'_> {
    /// The file line number of a byte offset in `text`.
    pub fn line_of(&self, offset: usize) -> u64 {
        let i = self.lines.partition_point(|&(o, _)| o <= offset);
        self.lines
            .get(i.saturating_sub(1))
            .map(|l| l.1)
            .unwrap_or(0)
    }
}

/// What the parse saw.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HistoryStats {
    /// Commits seen.
    pub commits: u64,
    /// File diffs seen.
    pub files: u64,
    /// Lines that broke a hunk's counts (the parser recovered).
    pub malformed: u64,
}

#[derive(Default)]
struct FileDiff {
    old_path: String,
    new_path: String,
    added: Vec<u8>,
    added_lines: Vec<(usize, u64)>,
    removed: Vec<u8>,
    removed_lines: Vec<(usize, u64)>,
    /// The current commit's message lines (subject and body), scanned like added lines.
    msg: Vec<u8>,
    msg_lines: Vec<(usize, u64)>,
}

/// The path a finding in a commit message carries (its line is the line in the message).
pub const MESSAGE_PATH: &str = "(commit message)";

impl FileDiff {
    fn message_line(&mut self, v: &str) {
        let n = self.msg_lines.len() as u64 + 1;
        self.msg_lines.push((self.msg.len(), n));
        self.msg.extend_from_slice(v.as_bytes());
        self.msg.push(b'\n');
    }
}

/// Whether commits in this evidence run newest first (`git log`) or oldest first (mbox).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `git log` default.
    NewestFirst,
    /// `git format-patch` series, `git log --reverse`.
    OldestFirst,
}

/// Parses a history or patch text, calling `sink` for each file diff's added and removed lines.
pub fn parse(text: &str, order: Order, sink: &mut dyn FnMut(&Chunk)) -> HistoryStats {
    parse_part(text, order, sink).0
}

/// [`parse`], reading no further line once `stop` is set (by `sink`, say): the counts are then
/// of the lines read.
pub fn parse_until(
    text: &str,
    order: Order,
    stop: &Cell<bool>,
    sink: &mut dyn FnMut(&Chunk),
) -> HistoryStats {
    parse_part_until(text, order, stop, sink).0
}

/// [`parse`] for a part of a history that starts at a commit line ([`commit_lines`]), its
/// commits numbered from its start ([`CommitInfo::after`] renumbers them once the commits of
/// the parts before it are known). Also says whether the part ends inside a hunk (the whole
/// parse then counts the next part's first line as a malformed patch line).
pub fn parse_part(text: &str, order: Order, sink: &mut dyn FnMut(&Chunk)) -> (HistoryStats, bool) {
    parse_part_until(text, order, &Cell::new(false), sink)
}

/// [`parse_part`], reading no further line once `stop` is set.
fn parse_part_until(
    text: &str,
    order: Order,
    stop: &Cell<bool>,
    sink: &mut dyn FnMut(&Chunk),
) -> (HistoryStats, bool) {
    let mut p = Parser::new(order);
    let bytes = text.as_bytes();
    let mut pos = 0usize;
    let mut newlines = memchr::memchr_iter(b'\n', bytes);
    while pos < bytes.len() && !stop.get() {
        let end = newlines.next().unwrap_or(bytes.len());
        // Slicing at `\n` (ASCII) keeps UTF-8 boundaries.
        p.line(&text[pos..end], sink);
        pos = end + 1;
    }
    let in_hunk = p.in_hunk();
    (p.finish(sink), in_hunk)
}

/// The offsets of the lines of `text` that start a commit, in order. Whatever state the parse
/// is in, such a line starts a new commit, so a history can be parsed in parts cut there.
pub fn commit_lines(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
        .filter(move |&s| {
            s < bytes.len()
                && matches!(bytes[s], b'c' | b'F' | b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'E')
        })
        .filter(move |&s| {
            let end = memchr::memchr(b'\n', &bytes[s..]).map_or(bytes.len(), |i| s + i);
            let line = &text[s..end];
            commit_start(line.strip_suffix('\r').unwrap_or(line)).is_some()
        })
}

/// Whether `line` (without its `\n`) starts a commit: whatever state the parse is in, the
/// parser starts a new commit there ([`commit_lines`] finds such lines in a text).
pub fn is_commit_line(line: &str) -> bool {
    commit_start(line.strip_suffix('\r').unwrap_or(line)).is_some()
}

impl CommitInfo {
    /// This commit as a parse that had seen `commits_before` more commits before it would
    /// number it: a part of a history parsed on its own ([`parse_part`] with none before) has
    /// its commits renumbered once the commits of the parts before it are counted.
    pub fn after(&mut self, commits_before: i64, order: Order) {
        let shift = match order {
            Order::NewestFirst => -commits_before,
            Order::OldestFirst => commits_before,
        };
        self.seq += shift;
        self.order.1 += shift;
    }
}

/// The history parser's state between lines: the text can come in pieces (a file read in
/// windows), each cut at a line end, and memory holds one file diff whatever the history's
/// size.
pub struct Parser {
    order: Order,
    stats: HistoryStats,
    commit: Option<CommitInfo>,
    fd: FileDiff,
    in_file: bool,
    seq: i64,
    // Remaining old/new lines of the current hunk, and the next line numbers.
    old_rem: u64,
    new_rem: u64,
    old_no: u64,
    new_no: u64,
    combined: bool,
    in_message: bool,
}

impl Parser {
    /// A parser for a history whose commits run in `order`.
    pub fn new(order: Order) -> Self {
        Parser {
            order,
            stats: HistoryStats::default(),
            commit: None,
            fd: FileDiff::default(),
            in_file: false,
            seq: 0,
            old_rem: 0,
            new_rem: 0,
            old_no: 0,
            new_no: 0,
            combined: false,
            in_message: false,
        }
    }

    /// A parser for a part of a history that starts at a commit line after `commits_before`
    /// commits, a line at a time.
    pub fn after(order: Order, commits_before: i64) -> Self {
        let mut p = Parser::new(order);
        p.seq = commits_before;
        p
    }

    /// Whether the parse is inside a hunk (the whole parse then reads a commit line that
    /// comes next as a malformed patch line).
    pub fn in_hunk(&self) -> bool {
        self.old_rem > 0 || self.new_rem > 0
    }

    /// Ends the history: the last file diff goes to `sink`.
    pub fn finish(mut self, sink: &mut dyn FnMut(&Chunk)) -> HistoryStats {
        self.flush(sink);
        self.stats
    }

    fn flush(&mut self, sink: &mut dyn FnMut(&Chunk)) {
        let (fd, commit) = (&mut self.fd, &self.commit);
        if !fd.msg.is_empty() {
            sink(&Chunk {
                commit: commit.as_ref(),
                path: MESSAGE_PATH,
                change: Change::Added,
                text: &fd.msg,
                lines: &fd.msg_lines,
            });
            fd.msg.clear();
            fd.msg_lines.clear();
        }
        if self.in_file {
            if !fd.added.is_empty() {
                sink(&Chunk {
                    commit: commit.as_ref(),
                    path: &fd.new_path,
                    change: Change::Added,
                    text: &fd.added,
                    lines: &fd.added_lines,
                });
            }
            if !fd.removed.is_empty() {
                let p = if fd.old_path.is_empty() {
                    &fd.new_path
                } else {
                    &fd.old_path
                };
                sink(&Chunk {
                    commit: commit.as_ref(),
                    path: p,
                    change: Change::Removed,
                    text: &fd.removed,
                    lines: &fd.removed_lines,
                });
            }
        }
        fd.added.clear();
        fd.added_lines.clear();
        fd.removed.clear();
        fd.removed_lines.clear();
        fd.old_path.clear();
        fd.new_path.clear();
        self.in_file = false;
    }

    /// One line of the history, without its `\n`.
    pub fn line(&mut self, line: &str, sink: &mut dyn FnMut(&Chunk)) {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if self.old_rem > 0 || self.new_rem > 0 {
            let first = line.as_bytes().first().copied();
            match first {
                Some(b'+') if self.new_rem > 0 => {
                    self.fd.added_lines.push((self.fd.added.len(), self.new_no));
                    self.fd.added.extend_from_slice(&line.as_bytes()[1..]);
                    self.fd.added.push(b'\n');
                    self.new_no += 1;
                    self.new_rem -= 1;
                    return;
                }
                Some(b'-') if self.old_rem > 0 => {
                    self.fd
                        .removed_lines
                        .push((self.fd.removed.len(), self.old_no));
                    self.fd.removed.extend_from_slice(&line.as_bytes()[1..]);
                    self.fd.removed.push(b'\n');
                    self.old_no += 1;
                    self.old_rem -= 1;
                    return;
                }
                Some(b' ') | None => {
                    self.old_no += 1;
                    self.new_no += 1;
                    self.old_rem = self.old_rem.saturating_sub(1);
                    self.new_rem = self.new_rem.saturating_sub(1);
                    return;
                }
                Some(b'\\') => return,
                _ => {
                    self.stats.malformed += 1;
                    self.old_rem = 0;
                    self.new_rem = 0;
                }
            }
        }
        if self.combined {
            if matches!(line.as_bytes().first(), Some(b' ' | b'+' | b'-')) {
                return;
            }
            self.combined = false;
        }
        if line.starts_with('\\') {
            return;
        }
        // Commit boundaries.
        if let Some(id) = commit_start(line) {
            self.flush(sink);
            self.stats.commits += 1;
            self.seq += 1;
            let rank = match self.order {
                Order::NewestFirst => -self.seq,
                Order::OldestFirst => self.seq,
            };
            let subject = oneline_subject(line);
            if let Some(v) = &subject {
                self.fd.message_line(v);
            }
            self.commit = Some(CommitInfo {
                id,
                author: None,
                email: None,
                author_date: None,
                commit_date: None,
                subject,
                order: (0, rank),
                ts: None,
                seq: rank,
            });
            self.in_message = false;
            return;
        }
        if let Some(rest) = line.strip_prefix("diff --git ") {
            self.flush(sink);
            self.in_file = true;
            self.stats.files += 1;
            let (a, b) = split_diff_paths(rest);
            self.fd.old_path = a;
            self.fd.new_path = b;
            self.in_message = false;
            return;
        }
        if line.starts_with("diff --cc ") || line.starts_with("diff --self.combined ") {
            self.flush(sink);
            return;
        }
        if line.starts_with("@@@") {
            self.combined = true;
            return;
        }
        if let Some(rest) = line.strip_prefix("--- ") {
            if !self.in_file || !self.fd.added_lines.is_empty() || !self.fd.removed_lines.is_empty()
            {
                self.flush(sink);
                self.in_file = true;
                self.stats.files += 1;
            }
            if !rest.starts_with("/dev/null") {
                self.fd.old_path = strip_path(rest, "a/");
            }
            return;
        }
        if let Some(rest) = line.strip_prefix("+++ ") {
            if self.in_file && !rest.starts_with("/dev/null") {
                self.fd.new_path = strip_path(rest, "b/");
            }
            return;
        }
        if line.starts_with("@@ ") {
            if let Some((o, on, n, nn)) = hunk_header(line) {
                if !self.in_file {
                    self.in_file = true;
                    self.stats.files += 1;
                }
                self.old_no = o;
                self.old_rem = on;
                self.new_no = n;
                self.new_rem = nn;
            } else {
                self.stats.malformed += 1;
            }
            return;
        }
        // Commit metadata.
        let Some(c) = self.commit.as_mut() else {
            return;
        };
        if self.in_file {
            return;
        }
        if let Some(v) = line.strip_prefix("author ") {
            // --pretty=raw: `author Name <email> 1700000000 +0000`
            let (name, email, date) = raw_ident(v);
            c.author = Some(name);
            c.email = email;
            if let Some((s, ts)) = date {
                c.author_date = Some(s);
                c.ts = c.ts.or(ts);
                c.order = (c.ts.unwrap_or(0), c.seq);
            }
        } else if let Some(v) = line.strip_prefix("committer ") {
            if let (_, _, Some((s, ts))) = raw_ident(v) {
                c.commit_date = Some(s);
                if ts.is_some() {
                    c.ts = ts;
                }
                c.order = (c.ts.unwrap_or(0), c.seq);
            }
        } else if let Some(v) = line
            .strip_prefix("Author:")
            .or_else(|| line.strip_prefix("From:"))
        {
            let (name, email) = name_email(v);
            c.author = Some(name);
            c.email = email;
        } else if let Some(v) = line
            .strip_prefix("AuthorDate:")
            .or_else(|| line.strip_prefix("Date:"))
        {
            let (s, ts) = date(v.trim());
            c.author_date = Some(s);
            if c.ts.is_none() {
                c.ts = ts;
            }
            c.order = (c.ts.unwrap_or(0), c.seq);
        } else if let Some(v) = line.strip_prefix("CommitDate:") {
            let (s, ts) = date(v.trim());
            c.commit_date = Some(s);
            if ts.is_some() {
                c.ts = ts;
            }
            c.order = (c.ts.unwrap_or(0), c.seq);
        } else if let Some(v) = line.strip_prefix("Subject:") {
            let v = v.trim();
            let v = if v.starts_with("[PATCH") {
                v.split_once("] ").map(|x| x.1).unwrap_or(v)
            } else {
                v
            };
            self.fd.message_line(v);
            c.subject = Some(v.to_string());
        } else if let Some(v) = line.strip_prefix("    ") {
            if !self.in_file {
                self.fd.message_line(v);
            }
            if c.subject.is_none() && !self.in_message && !v.trim().is_empty() {
                c.subject = Some(v.trim().to_string());
            }
            self.in_message = true;
        }
    }
}

/// `commit <hex>`, `From <hex> <date>` (mbox) or `<40 hex> subject` (oneline).
fn commit_start(line: &str) -> Option<String> {
    let hexlen = |s: &str| s.bytes().take_while(|c| c.is_ascii_hexdigit()).count();
    if let Some(rest) = line.strip_prefix("commit ") {
        let n = hexlen(rest);
        if n == 40 || n == 64 {
            return Some(rest[..n].to_ascii_lowercase());
        }
    }
    if let Some(rest) = line.strip_prefix("From ") {
        let n = hexlen(rest);
        if (n == 40 || n == 64) && rest[n..].starts_with(' ') {
            return Some(rest[..n].to_ascii_lowercase());
        }
    }
    let n = hexlen(line);
    if (n == 40 || n == 64)
        && (line.len() == n || line[n..].starts_with(' '))
        && line.bytes().take(n).any(|c| c.is_ascii_digit())
    {
        return Some(line[..n].to_ascii_lowercase());
    }
    None
}

fn oneline_subject(line: &str) -> Option<String> {
    if line.starts_with("commit ") || line.starts_with("From ") {
        return None;
    }
    line.split_once(' ')
        .map(|(_, s)| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn strip_path(p: &str, prefix: &str) -> String {
    let p = p.split('\t').next().unwrap_or(p).trim();
    let p = p.trim_matches('"');
    p.strip_prefix(prefix).unwrap_or(p).to_string()
}

fn split_diff_paths(rest: &str) -> (String, String) {
    match rest.rfind(" b/") {
        Some(i) => (
            strip_path(&rest[..i], "a/"),
            strip_path(&rest[i + 1..], "b/"),
        ),
        None => (String::new(), strip_path(rest, "b/")),
    }
}

fn hunk_header(line: &str) -> Option<(u64, u64, u64, u64)> {
    let inner = line.strip_prefix("@@ ")?;
    let end = inner.find(" @@")?;
    let mut parts = inner[..end].split(' ');
    let old = parts.next()?.strip_prefix('-')?;
    let new = parts.next()?.strip_prefix('+')?;
    let pair = |s: &str| -> Option<(u64, u64)> {
        match s.split_once(',') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => Some((s.parse().ok()?, 1)),
        }
    };
    let (o, on) = pair(old)?;
    let (n, nn) = pair(new)?;
    Some((o, on, n, nn))
}

fn name_email(v: &str) -> (String, Option<String>) {
    let v = v.trim();
    match (v.rfind('<'), v.rfind('>')) {
        (Some(a), Some(b)) if a < b => (
            v[..a].trim().trim_matches('"').to_string(),
            Some(v[a + 1..b].to_string()),
        ),
        _ => (v.to_string(), None),
    }
}

/// `Name <email> 1700000000 +0000` (raw format) into name, email and date.
#[allow(clippy::type_complexity)]
fn raw_ident(v: &str) -> (String, Option<String>, Option<(String, Option<i64>)>) {
    match v.rsplit_once('>') {
        Some((who, when)) => {
            let (name, email) = name_email(&format!("{who}>"));
            let when = when.trim();
            (name, email, (!when.is_empty()).then(|| date(when)))
        }
        None => (v.trim().to_string(), None, None),
    }
}

/// Parses the date formats `git log` and `format-patch` print; returns RFC 3339 when it parses.
fn date(v: &str) -> (String, Option<i64>) {
    let parsed: Option<DateTime<Utc>> = DateTime::parse_from_rfc3339(v)
        .ok()
        .or_else(|| DateTime::parse_from_rfc2822(v).ok())
        .or_else(|| DateTime::parse_from_str(v, "%a %b %e %H:%M:%S %Y %z").ok())
        .or_else(|| DateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S %z").ok())
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| {
            let mut it = v.split_whitespace();
            let secs: i64 = it.next()?.parse().ok()?;
            DateTime::from_timestamp(secs, 0)
        })
        .or_else(|| {
            NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|n| n.and_utc())
        });
    match parsed {
        Some(d) => (format::rfc3339(&d), Some(d.timestamp())),
        None => (v.to_string(), None),
    }
}

/// A commit with only its id known (for imported findings).
pub fn commit_info(id: String) -> CommitInfo {
    CommitInfo {
        id,
        author: None,
        email: None,
        author_date: None,
        commit_date: None,
        subject: None,
        order: (0, 0),
        ts: None,
        seq: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::type_complexity)]
    fn collect(
        text: &str,
        order: Order,
    ) -> Vec<(Option<String>, String, Change, String, Vec<u64>)> {
        let mut v = Vec::new();
        parse(text, order, &mut |c: &Chunk| {
            if c.path == MESSAGE_PATH {
                return;
            }
            v.push((
                c.commit.map(|c| c.id.clone()),
                c.path.to_string(),
                c.change,
                String::from_utf8_lossy(c.text).into_owned(),
                c.lines.iter().map(|l| l.1).collect(),
            ))
        });
        v
    }

    const LOG: &str = "commit 1111111111111111111111111111111111111111\nAuthor:     Ann <ann@example.com>\nAuthorDate: Tue Jan 6 10:00:00 2026 +0100\nCommit:     Bob <bob@example.com>\nCommitDate: Wed Jan 7 10:00:00 2026 +0000\n\n    remove key\n\ndiff --git a/app/.env b/app/.env\nindex 1..2 100644\n--- a/app/.env\n+++ b/app/.env\n@@ -3 +3 @@ x\n-KEY=one\n+KEY=two\n";

    #[test]
    fn fuller_log_lines_and_dates() {
        let mut commits = Vec::new();
        let chunks = collect(LOG, Order::NewestFirst);
        parse(LOG, Order::NewestFirst, &mut |c: &Chunk| {
            commits.push(c.commit.cloned())
        });
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].2, Change::Added);
        assert_eq!(chunks[0].3, "KEY=two\n");
        assert_eq!(chunks[0].4, vec![3]);
        assert_eq!(chunks[1].2, Change::Removed);
        assert_eq!(chunks[1].4, vec![3]);
        let c = commits[0].clone().unwrap();
        assert_eq!(c.email.as_deref(), Some("ann@example.com"));
        assert_eq!(c.author_date.as_deref(), Some("2026-01-06T09:00:00Z"));
        assert_eq!(c.commit_date.as_deref(), Some("2026-01-07T10:00:00Z"));
        assert_eq!(c.subject.as_deref(), Some("remove key"));
    }

    #[test]
    fn commit_messages_are_chunks_of_their_commit() {
        let mut msgs = Vec::new();
        parse(LOG, Order::NewestFirst, &mut |c: &Chunk| {
            if c.path == MESSAGE_PATH {
                msgs.push((
                    c.commit.map(|c| c.id.clone()),
                    String::from_utf8_lossy(c.text).into_owned(),
                    c.lines.to_vec(),
                ));
            }
        });
        assert_eq!(
            msgs,
            vec![(
                Some("1111111111111111111111111111111111111111".to_string()),
                "remove key\n".to_string(),
                vec![(0, 1)]
            )]
        );
    }

    #[test]
    fn removed_line_starting_with_dashes_stays_in_the_hunk() {
        let t =
            "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,1 @@\n--- a removed line\n keep\n";
        let chunks = collect(t, Order::NewestFirst);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].3, "-- a removed line\n");
    }

    #[test]
    fn raw_pretty_format() {
        let t = "commit 4444444444444444444444444444444444444444\ntree 5555555555555555555555555555555555555555\nauthor Ann <ann@example.com> 1767258000 +0100\ncommitter Bob <bob@example.com> 1767261600 +0000\n\n    msg\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";
        let mut commits = Vec::new();
        parse(t, Order::NewestFirst, &mut |c: &Chunk| {
            commits.push(c.commit.cloned())
        });
        let c = commits[0].clone().unwrap();
        assert_eq!(c.email.as_deref(), Some("ann@example.com"));
        assert_eq!(c.author_date.as_deref(), Some("2026-01-01T09:00:00Z"));
        assert_eq!(c.commit_date.as_deref(), Some("2026-01-01T10:00:00Z"));
        assert_eq!(c.subject.as_deref(), Some("msg"));
    }

    #[test]
    fn mbox_and_oneline() {
        let mbox = "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\nFrom: Cy <cy@example.com>\nDate: Thu, 8 Jan 2026 12:00:00 +0000\nSubject: [PATCH 1/2] add config\n\n---\n a | 1 +\n\ndiff --git a/a b/a\nnew file mode 100644\n--- /dev/null\n+++ b/a\n@@ -0,0 +1 @@\n+hello\n-- \n2.43.0\n";
        let chunks = collect(mbox, Order::OldestFirst);
        assert_eq!(chunks.len(), 1);
        assert_eq!(
            chunks[0].0.as_deref(),
            Some("2222222222222222222222222222222222222222")
        );
        assert_eq!(chunks[0].1, "a");
        assert_eq!(chunks[0].4, vec![1]);
        let one = "3333333333333333333333333333333333333333 add thing\ndiff --git a/b b/b\n--- a/b\n+++ b/b\n@@ -1 +1 @@\n-x\n+y\n";
        let chunks = collect(one, Order::NewestFirst);
        assert_eq!(chunks.len(), 2);
        assert_eq!(
            chunks[0].0.as_deref(),
            Some("3333333333333333333333333333333333333333")
        );
    }
}
