//! The scanner of one run: dispatches each input (history or patch, plain text in blocks,
//! another scanner's report), runs the engine and the decoding pass over it, and hands every
//! match to the grouping.

use super::buffer::scan_buffer;
use super::digest;
use super::engine::{DropCounts, Engine, RawMatch};
use super::finding::{Occurrence, ScanReport, ScanTotals};
use super::group::{Added, Groups, Key, Meta, Sighting};
use super::history::{self, Change, Chunk, CommitInfo, Order};
use super::known_key::{self, KnownKey, KnownKeyReport};
use super::rules::{self, catalog};
use super::structure::Structure;
use super::user_rules::{self, Filter, RuleFile, RuleFileReport};
use super::window::Windows;
use super::{import, Options};
use crate::evidence::{decode_within, sniff, Decoded, EvidenceKind, Input, Problems};
use crate::secret::Secret;
use std::collections::HashSet;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex, OnceLock};

/// Plain texts are scanned in blocks of about this many bytes.
const BLOCK: usize = 4 << 20;
/// Blocks are read this far past their end, for secrets spanning lines.
const OVERLAP: usize = 32 << 10;
/// A history is split across threads in parts of at least this many bytes.
const PART: usize = 8 << 20;

/// The offset just past the first newline at or after `from` (or the end).
fn line_end_after(bytes: &[u8], from: usize) -> usize {
    if from >= bytes.len() {
        return bytes.len();
    }
    memchr::memchr(b'\n', &bytes[from..])
        .map(|i| from + i + 1)
        .unwrap_or(bytes.len())
}

/// Accumulates findings across inputs.
pub struct Scanner<'c> {
    engine: Arc<Engine>,
    /// The matching half of the scan, which any thread may run over a file.
    matcher: Matcher<'c>,
    rule_files: Vec<RuleFileReport>,
    ignore: HashSet<String>,
    /// `sha256:HEX` entries of the ignore list (and bare 64-hex ones, which older reports
    /// wrote as plain SHA-256).
    ignore_sha256: HashSet<String>,
    key: crate::secret::FingerprintKey,
    known: Vec<(&'c KnownKey, KnownKeyReport)>,
    known_fps: HashSet<String>,
    groups: Groups,
    totals: ScanTotals,
}

/// One match ready to collect.
struct Found<'a> {
    m: &'a RawMatch,
    line: u64,
    encoding: Option<String>,
}

/// The matching half of a run's scan: the engines, the known keys and the fingerprint key.
/// It holds no findings, so the threads of a run can each match their own files with a clone
/// of it; what it finds goes to the run's [`Scanner`] as [`Seen`] items, in file order.
#[derive(Clone)]
pub struct Matcher<'c> {
    engine: Arc<Engine>,
    /// The engine for usage exports (made when the first one comes): without the cloud access
    /// key id rules (a key id in a log names the caller; it is not a leak) and the catalog's
    /// low-confidence name-only rule, whose keywords (`token`, `secret`) are in the column
    /// names of every usage row. Such a value in a usage field is not a finding; the output
    /// gate (the whole catalog) still redacts it.
    usage_engine: Arc<OnceLock<Arc<Engine>>>,
    known: Vec<&'c KnownKey>,
    key: crate::secret::FingerprintKey,
    /// Threads a large history is matched on ([`Matcher::with_jobs`]).
    jobs: usize,
}

/// What matching one file tells the run's [`Scanner`], in the order it is found.
pub enum Seen {
    /// The known keys' hits in the file (one report per known key, in the run's order).
    Known(Vec<KnownKeyReport>),
    /// Another scanner's report, to import.
    Imported(import::Imported),
    /// The file is scanned: its bytes.
    Scanned(u64),
    /// One match, placed.
    Match(Box<Placed>),
    /// The file's counts, once it is matched.
    Counts {
        /// Matches dropped, by reason.
        drops: DropCounts,
        /// Commits seen.
        commits: u64,
        /// Lines of a patch that could not be read.
        malformed: u64,
    },
}

/// One match with where it was found.
pub struct Placed {
    m: RawMatch,
    line: u64,
    encoding: Option<String>,
    path: Option<String>,
    commit: Option<CommitInfo>,
    hist: Option<(Key, Change)>,
}

impl<'c> Scanner<'c> {
    /// A scanner for one triage run.
    pub fn new(opts: Options<'c>) -> Self {
        let (engine, rule_files) = engine_for(opts.rule_files);
        Scanner {
            rule_files,
            ignore: opts
                .ignore_fingerprints
                .iter()
                .map(|s| s.trim().to_ascii_lowercase())
                .collect(),
            ignore_sha256: opts
                .ignore_fingerprints
                .iter()
                .map(|s| s.trim().to_ascii_lowercase())
                .filter_map(|s| match s.strip_prefix("sha256:") {
                    Some(h) => Some(h.to_string()),
                    None => (s.len() == 64).then_some(s),
                })
                .collect(),
            key: opts.fingerprint_key,
            known: opts
                .known_keys
                .iter()
                .map(|k| (k, KnownKeyReport::of(k)))
                .collect(),
            known_fps: opts
                .known_keys
                .iter()
                .filter_map(|k| k.fingerprint(&opts.fingerprint_key))
                .collect(),
            groups: Groups::default(),
            totals: ScanTotals {
                rules: engine.rules().len() as u64,
                ..ScanTotals::default()
            },
            matcher: Matcher {
                engine: Arc::clone(&engine),
                usage_engine: Arc::default(),
                known: opts.known_keys.iter().collect(),
                key: opts.fingerprint_key,
                jobs: 1,
            },
            engine,
        }
    }

    /// The matching half of this scan, for other threads to match files with.
    pub fn matcher(&self) -> Matcher<'c> {
        self.matcher.clone()
    }

    /// Scans one evidence file given as bytes, decoded like the inventory does: a compressed
    /// file inflates to at most `run_left` bytes (what the run's earlier files left of its
    /// limit). Returns the bytes it inflated to.
    pub fn scan_input(&mut self, input: &Input, run_left: u64) -> u64 {
        self.scan_input_of_kind(input, run_left, None)
    }

    /// [`Scanner::scan_input`] of a file whose kind the evidence stage already sniffed from
    /// the same decoded text (`None`: sniffed here).
    pub fn scan_input_of_kind(
        &mut self,
        input: &Input,
        run_left: u64,
        kind: Option<EvidenceKind>,
    ) -> u64 {
        let mut problems = Problems::new(&input.name);
        let (decoded, inflated) = decode_within(&input.bytes, run_left, &mut problems);
        if let Decoded::Text { text, .. } = decoded {
            let kind = kind.unwrap_or_else(|| sniff(&text));
            self.scan_text(&input.name, &text, kind);
        }
        inflated
    }

    /// Scans one evidence text of a known kind.
    pub fn scan_text(&mut self, name: &str, text: &str, kind: EvidenceKind) {
        let matcher = self.matcher.clone();
        matcher.file(name, text, kind, &mut |seen| self.take(name, seen));
    }

    /// Scans one evidence file of a text kind from a stream (a file on disk) without holding
    /// it: histories and patches line by line through the history parser, which holds one
    /// file diff; other texts in windows of about [`BLOCK`] bytes cut at line ends, each read
    /// [`OVERLAP`] bytes further for secrets spanning lines. `kind` is what the evidence stage
    /// sniffed from the file's head; the stream is UTF-8 (an invalid sequence is read as
    /// U+FFFD, as the evidence stage reads it). Known keys are not searched here: a caller with
    /// known keys gives the file whole to [`Scanner::scan_text`]. Returns the bytes read.
    pub fn scan_stream(
        &mut self,
        name: &str,
        reader: &mut dyn Read,
        kind: EvidenceKind,
    ) -> io::Result<u64> {
        let matcher = self.matcher.clone();
        let read = match kind {
            EvidenceKind::GitLog | EvidenceKind::Mbox | EvidenceKind::Diff => {
                matcher.history_lines(reader, order_of(kind), &mut |seen| self.take(name, seen))
            }
            _ => matcher.windows(reader, kind.is_usage(), &mut |seen| self.take(name, seen)),
        }?;
        self.take(name, Seen::Scanned(read));
        Ok(read)
    }

    /// Collects what matching a file found ([`Matcher::file`]), in the order it was found.
    pub fn take(&mut self, name: &str, seen: Seen) {
        match seen {
            Seen::Known(reports) => {
                for ((_, rep), mine) in self.known.iter_mut().zip(reports) {
                    rep.append(mine);
                }
            }
            Seen::Imported(imp) => self.add_imports(name, imp),
            Seen::Scanned(bytes) => {
                self.totals.files_scanned += 1;
                self.totals.bytes_scanned += bytes;
            }
            Seen::Match(p) => {
                let Placed {
                    m,
                    line,
                    encoding,
                    path,
                    commit,
                    hist,
                } = *p;
                self.collect(
                    name,
                    Found {
                        m: &m,
                        line,
                        encoding,
                    },
                    path,
                    commit,
                    hist,
                );
            }
            Seen::Counts {
                drops,
                commits,
                malformed,
            } => {
                self.add_drops(&drops);
                self.totals.commits += commits;
                self.totals.malformed_patch_lines += malformed;
            }
        }
    }

    fn add_drops(&mut self, d: &DropCounts) {
        self.totals.dropped.placeholders += d.placeholders;
        self.totals.dropped.allowed_inline += d.allowed_inline;
        self.totals.dropped.ignored += d.ignored;
        self.totals.dropped.allowlisted += d.allowlisted;
    }

    fn collect(
        &mut self,
        evidence: &str,
        f: Found,
        path: Option<String>,
        commit: Option<CommitInfo>,
        hist: Option<(Key, Change)>,
    ) {
        let rule = self.engine.rules()[f.m.rule];
        if let Some(filter) = self.engine.filter(f.m.rule) {
            // A responder's rule: its path condition, and allowlists naming paths or commits.
            let place = path.as_deref().unwrap_or(evidence);
            if filter
                .path
                .as_ref()
                .is_some_and(|p| !p.is_match(place.as_bytes()))
            {
                return;
            }
            let commit_id = commit.as_ref().map(|c| c.id.as_str());
            if f.m.allow_if_place.iter().any(|&n| {
                filter
                    .allowlists
                    .get(n as usize)
                    .is_some_and(|a| a.place(place, commit_id))
            }) {
                self.totals.dropped.allowlisted += 1;
                return;
            }
        }
        let secret = Secret::new(f.m.value.as_str());
        let occ = Occurrence {
            evidence: evidence.to_string(),
            path,
            line: f.line,
            change: hist.map(|h| h.1),
            commit,
            encoding: f.encoding,
            source: "leaktriage".into(),
        };
        self.add(Sighting {
            fp: secret.fingerprint(&self.key),
            value: Some(secret),
            meta: Meta::of(rule),
            structure: f.m.structure,
            note: f.m.note,
            occ,
            hist,
        });
    }

    fn add(&mut self, s: Sighting) {
        let by_sha256 = || {
            !self.ignore_sha256.is_empty()
                && s.value
                    .as_ref()
                    .is_some_and(|v| self.ignore_sha256.contains(&v.sha256()))
        };
        if self.ignore.contains(&s.fp) || by_sha256() {
            self.totals.dropped.ignored += 1;
            return;
        }
        self.totals.occurrences += 1;
        let (known_fps, known) = (&self.known_fps, &self.known);
        let added = self.groups.add(s, |s| {
            known_fps.contains(&s.fp)
                || s.value
                    .as_ref()
                    .is_some_and(|v| known.iter().any(|(k, _)| k.matches(v.expose())))
        });
        match added {
            Added::Occurrence => {}
            Added::NewSecret => self.totals.distinct_secrets += 1,
            Added::NotKept => {
                self.totals.distinct_secrets += 1;
                self.totals.secrets_not_kept += 1;
            }
        }
    }

    fn add_imports(&mut self, evidence: &str, imp: import::Imported) {
        for f in imp.findings {
            self.totals.imported += 1;
            let occ = Occurrence {
                evidence: evidence.to_string(),
                path: f.path.clone(),
                line: f.line,
                change: None,
                commit: f.commit.clone(),
                encoding: None,
                source: imp.tool.to_string(),
            };
            let hist = f.commit.as_ref().map(|c| (c.order, Change::Added));
            match f.value {
                Some(v) => {
                    let mut raw = Vec::new();
                    let mut drops = DropCounts::default();
                    self.engine.scan(v.as_bytes(), &mut raw, &mut drops);
                    let ours = raw.into_iter().find(|m| m.end - m.start >= v.len() / 2);
                    let secret = Secret::new(v.as_str());
                    let fp = secret.fingerprint(&self.key);
                    match ours {
                        Some(m) => {
                            let rule = self.engine.rules()[m.rule];
                            self.add(Sighting {
                                fp,
                                value: Some(secret),
                                meta: Meta::of(rule),
                                structure: m.structure,
                                note: m.note,
                                occ,
                                hist,
                            });
                        }
                        None => {
                            self.add(Sighting {
                                fp,
                                value: Some(secret),
                                meta: Meta::imported(imp.tool, &f.rule),
                                structure: Structure::NotCheckable,
                                note: "imported; no rule of ours matched the value",
                                occ,
                                hist,
                            });
                        }
                    }
                }
                None => {
                    let fp = format!(
                        "import:{}:{}",
                        imp.tool,
                        f.tool_fingerprint.clone().unwrap_or_else(|| format!(
                            "{}:{}:{}",
                            f.rule,
                            f.path.clone().unwrap_or_default(),
                            f.line
                        ))
                    );
                    self.add(Sighting {
                        fp,
                        value: None,
                        meta: Meta::imported(imp.tool, &f.rule),
                        structure: Structure::NotCheckable,
                        note: "imported redacted; value not available",
                        occ,
                        hist,
                    });
                }
            }
        }
    }

    /// Finishes: decides still-present, sorts, returns the report part.
    pub fn finish(self) -> ScanReport {
        let (secrets, alone) = self.groups.finish();
        let mut totals = self.totals;
        totals.distinct_secrets = totals.distinct_secrets.saturating_sub(alone.distinct);
        totals.occurrences = totals.occurrences.saturating_sub(alone.occurrences);
        ScanReport {
            totals,
            secrets,
            known_keys: self.known.into_iter().map(|(_, r)| r).collect(),
            rule_files: self.rule_files,
            fingerprint_key_id: self.key.id(),
        }
    }
}

impl Matcher<'_> {
    /// This matcher, splitting a large history across `jobs` threads (1: never).
    pub fn with_jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs.max(1);
        self
    }

    /// A large history, matched in parts cut at commit lines on up to `jobs` threads, what
    /// each part finds told in order: exactly what one parse of the whole tells.
    fn history_in_parts(&self, text: &str, order: Order, part: usize, seen: &mut dyn FnMut(Seen)) {
        let n = (text.len() / part).clamp(2, 4 * self.jobs);
        let mut cuts = vec![0];
        for k in 1..n {
            let target = line_end_after(text.as_bytes(), k * text.len() / n);
            let next = history::commit_lines(&text[target..]).next();
            if let Some(at) = next.map(|i| target + i) {
                if at > *cuts.last().unwrap_or(&0) {
                    cuts.push(at);
                }
            }
        }
        cuts.push(text.len());
        let parts: Vec<&str> = cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
        // Each part's commits are numbered after those of the parts before it.
        let mut before = Vec::with_capacity(parts.len());
        let mut total = 0i64;
        crate::evidence::parallel::ordered(
            parts.len(),
            self.jobs,
            |k| history::commit_lines(parts[k]).count() as i64,
            |_, n| {
                before.push(total);
                total += n;
            },
        );
        let mut mid_hunk = false;
        crate::evidence::parallel::ordered(
            parts.len(),
            self.jobs,
            |k| {
                let mut items = Vec::new();
                let mut drops = DropCounts::default();
                let (stats, ends_in_hunk) =
                    history::parse_part(parts[k], order, before[k], &mut |c: &Chunk| {
                        scan_chunk(&self.engine, c, &mut drops, &mut |x| items.push(x))
                    });
                items.push(Seen::Counts {
                    drops,
                    commits: stats.commits,
                    malformed: stats.malformed,
                });
                (items, ends_in_hunk)
            },
            |_, (items, ends_in_hunk)| {
                // The whole parse reads a part's first line (a commit) as a malformed patch
                // line when the part before it ended inside a hunk.
                if std::mem::replace(&mut mid_hunk, ends_in_hunk) {
                    seen(Seen::Counts {
                        drops: DropCounts::default(),
                        commits: 0,
                        malformed: 1,
                    });
                }
                items.into_iter().for_each(&mut *seen);
            },
        );
    }

    /// Matches one evidence text of a known kind, telling `seen` what it finds in order.
    pub fn file(&self, name: &str, text: &str, kind: EvidenceKind, seen: &mut dyn FnMut(Seen)) {
        let kind = refine_kind(text, kind);
        if !self.known.is_empty() {
            let reports = self
                .known
                .iter()
                .map(|k| {
                    let mut rep = KnownKeyReport::of(k);
                    known_key::search(k, name, text.as_bytes(), &self.key, &mut rep);
                    rep
                })
                .collect();
            seen(Seen::Known(reports));
        }
        if kind == EvidenceKind::UnknownJson {
            if let Some(imp) = import::parse(text) {
                seen(Seen::Imported(imp));
                return;
            }
        }
        // Texts, files of unknown JSON / CSV shape (a key file, a dump, source the sniffer took
        // for CSV), and usage exports: a secret in a user agent, an endpoint's query string, a
        // key column or any other field of a usage row is a finding like any other. A cloud
        // access key id in a usage export is the caller's name in the log, not a leak.
        let usage = kind.is_usage();
        if !(kind.is_text()
            || usage
            || kind.is_agent()
            || kind == EvidenceKind::UnknownJson
            || kind == EvidenceKind::UnknownCsv)
        {
            return;
        }
        seen(Seen::Scanned(text.len() as u64));
        match kind {
            EvidenceKind::GitLog | EvidenceKind::Mbox | EvidenceKind::Diff => {
                let order = order_of(kind);
                if self.jobs > 1 && text.len() >= 2 * PART {
                    return self.history_in_parts(text, order, PART, seen);
                }
                // Findings are collected as each file diff is scanned, so memory holds one
                // file diff and the capped findings, whatever the number of matches.
                let mut drops = DropCounts::default();
                let stats = history::parse(text, order, &mut |c: &Chunk| {
                    scan_chunk(&self.engine, c, &mut drops, seen)
                });
                seen(Seen::Counts {
                    drops,
                    commits: stats.commits,
                    malformed: stats.malformed,
                });
            }
            _ => {
                // An in-memory text goes through the same windows as a stream, borrowed.
                let engine = self.engine_for(usage);
                if usage && self.digest_finds_nothing(engine, text.as_bytes()) {
                    seen(Seen::Counts {
                        drops: DropCounts::default(),
                        commits: 0,
                        malformed: 0,
                    });
                    return;
                }
                let mut at = WindowLines::default();
                for w in super::window::over(text.as_bytes(), BLOCK, OVERLAP) {
                    at.window(engine, &w, seen);
                }
                at.finish(seen);
            }
        }
    }

    /// A history or patch read line by line from a stream, what it finds told in order.
    fn history_lines(
        &self,
        reader: &mut dyn Read,
        order: Order,
        seen: &mut dyn FnMut(Seen),
    ) -> io::Result<u64> {
        let mut drops = DropCounts::default();
        let mut parser = history::Parser::new(order);
        let mut sink = |c: &Chunk| scan_chunk(&self.engine, c, &mut drops, seen);
        let mut lines = io::BufReader::with_capacity(BLOCK, reader);
        let mut line = Vec::new();
        let mut read = 0u64;
        loop {
            line.clear();
            let n = lines.read_until(b'\n', &mut line)?;
            if n == 0 {
                break;
            }
            read += n as u64;
            let l = line.strip_suffix(b"\n").unwrap_or(&line);
            parser.line(&String::from_utf8_lossy(l), &mut sink);
        }
        let stats = parser.finish(&mut sink);
        seen(Seen::Counts {
            drops,
            commits: stats.commits,
            malformed: stats.malformed,
        });
        Ok(read)
    }

    /// A plain text in windows of about BLOCK bytes cut at line ends, each read with an
    /// overlap long enough for the longest multi-line secret; a match belongs to the window it
    /// starts in. Memory holds one window and its matches, whatever the file's size. Returns
    /// the bytes read.
    fn windows(
        &self,
        reader: &mut dyn Read,
        usage: bool,
        seen: &mut dyn FnMut(Seen),
    ) -> io::Result<u64> {
        let engine = self.engine_for(usage);
        let mut windows = Windows::new(reader, BLOCK, OVERLAP);
        let mut at = WindowLines::default();
        while let Some(w) = windows.next_window()? {
            at.window(engine, &w, seen);
        }
        at.finish(seen);
        Ok(windows.read_so_far())
    }

    /// Whether a usage export's digest ([`digest::of`]: its distinct field names and values)
    /// exists and the engine neither matches nor drops anything in it: then matching the
    /// whole export would find nothing either. Only with the built-in rules: a responder's
    /// rule may take what the digest leaves out.
    fn digest_finds_nothing(&self, engine: &Engine, text: &[u8]) -> bool {
        if engine.rules().iter().any(|r| !r.origin.is_empty()) {
            return false;
        }
        let Some(d) = digest::of(text) else {
            return false;
        };
        let mut drops = DropCounts::default();
        let mut hits = Vec::new();
        for w in super::window::over(&d, BLOCK, OVERLAP) {
            scan_buffer(engine, w.bytes, &mut hits, &mut drops);
            if !hits.is_empty() || drops != DropCounts::default() {
                return false;
            }
        }
        true
    }

    /// The engine for a file: the run's, or for a usage export the run's without the rules
    /// that do not apply there (a cloud access key id in a log names the caller).
    fn engine_for(&self, usage: bool) -> &Engine {
        match usage {
            false => &self.engine,
            true => self.usage_engine.get_or_init(|| {
                Arc::new(self.engine.without(|r| {
                    r.kind == rules::Kind::CloudAccessKeyId
                        || r.kind == rules::Kind::Generic
                            && r.confidence == rules::Confidence::Low
                            && r.origin.is_empty()
                }))
            }),
        }
    }
}

/// Matching a text window by window: each window's matches placed on their lines, in order.
#[derive(Default)]
struct WindowLines {
    drops: DropCounts,
    /// The line of byte `pos` of the text (lines counted from 1).
    pos: u64,
    line: u64,
}

impl WindowLines {
    /// Matches one window, telling `seen` each match that starts in it.
    fn window(
        &mut self,
        engine: &Engine,
        w: &super::window::Window<'_>,
        seen: &mut dyn FnMut(Seen),
    ) {
        let mut hits = Vec::new();
        scan_buffer(engine, w.bytes, &mut hits, &mut self.drops);
        hits.retain(|h| h.1 < w.end);
        hits.sort_by_key(|h| h.1);
        let newlines = |from: u64, to: usize| {
            let from = (from - w.offset) as usize;
            memchr::memchr_iter(b'\n', &w.bytes[from..to.max(from)]).count() as u64
        };
        for (m, at, enc) in hits {
            self.line += newlines(self.pos, at);
            self.pos = self.pos.max(w.offset + at as u64);
            seen(Seen::Match(Box::new(Placed {
                m,
                line: self.line + 1,
                encoding: enc,
                path: None,
                commit: None,
                hist: None,
            })));
        }
        self.line += newlines(self.pos, w.end);
        self.pos = w.offset + w.end as u64;
    }

    /// The counts, once every window is matched.
    fn finish(&mut self, seen: &mut dyn FnMut(Seen)) {
        seen(Seen::Counts {
            drops: std::mem::take(&mut self.drops),
            commits: 0,
            malformed: 0,
        });
    }
}

/// The order a history's commits run in: mbox oldest first, `git log` newest first.
fn order_of(kind: EvidenceKind) -> Order {
    if kind == EvidenceKind::Mbox {
        Order::OldestFirst
    } else {
        Order::NewestFirst
    }
}

/// Matches one file diff's lines (a chunk of a history), telling `seen` each match placed.
fn scan_chunk(engine: &Engine, c: &Chunk, drops: &mut DropCounts, seen: &mut dyn FnMut(Seen)) {
    let mut hits = Vec::new();
    scan_buffer(engine, c.text, &mut hits, drops);
    for (m, at, enc) in hits {
        let order = c.commit.map(|c| c.order).unwrap_or((0, 0));
        seen(Seen::Match(Box::new(Placed {
            line: c.line_of(at),
            m,
            encoding: enc,
            path: Some(c.path.to_string()),
            commit: c.commit.cloned(),
            hist: Some((order, c.change)),
        })));
    }
}

/// The engine for a run: the shared catalog, or the catalog followed by the responder's rules
/// (the last such engine is kept, so re-running with the same files compiles nothing).
fn engine_for(files: &[RuleFile]) -> (Arc<Engine>, Vec<RuleFileReport>) {
    type Last = Option<(Vec<RuleFile>, Arc<Engine>, Vec<RuleFileReport>)>;
    static LAST: Mutex<Last> = Mutex::new(None);
    if files.is_empty() {
        return (Arc::clone(Engine::shared()), Vec::new());
    }
    if let Ok(last) = LAST.lock() {
        if let Some((key, engine, reports)) = last.as_ref().filter(|l| l.0 == files) {
            debug_assert_eq!(key.len(), files.len());
            return (Arc::clone(engine), reports.clone());
        }
    }
    let mut rules = catalog();
    let mut filters = vec![Filter::default(); rules.len()];
    let mut reports = Vec::with_capacity(files.len());
    for f in files {
        let loaded = user_rules::load(f);
        rules.extend(loaded.rules);
        filters.extend(loaded.filters);
        reports.push(loaded.report);
    }
    let engine = Arc::new(Engine::with_rules(rules, filters));
    if let Ok(mut last) = LAST.lock() {
        *last = Some((files.to_vec(), Arc::clone(&engine), reports.clone()));
    }
    (engine, reports)
}

/// `git log -p --pretty=oneline` starts with `<40 hex> subject`, which the evidence sniffer
/// reads as text: recognise it here (a commit line first, a `diff --git` soon after).
fn refine_kind(text: &str, kind: EvidenceKind) -> EvidenceKind {
    if kind != EvidenceKind::Text {
        return kind;
    }
    let head = &text.as_bytes()[..text.len().min(64 * 1024)];
    let first = head
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace));
    let hex_commit = first.is_some_and(|l| {
        let n = l.iter().take_while(|c| c.is_ascii_hexdigit()).count();
        (n == 40 || n == 64) && (l.len() == n || l[n] == b' ')
    });
    if hex_commit && memchr::memmem::find(head, b"\ndiff --git ").is_some() {
        EvidenceKind::GitLog
    } else {
        kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::fake::{generate, Rng};

    /// A history matched in parts on several threads tells exactly what one parse tells:
    /// the same findings with the same commits, lines and order, the same counts (a part
    /// ending inside a hunk included), for `git log` and mbox order.
    #[test]
    fn a_history_in_parts_is_the_history_whole() {
        let mut text = String::new();
        for i in 0..120u64 {
            let secret = key(i % 7);
            text.push_str(&format!(
                "commit {i:040x}\nAuthor: Dev {i} <dev{i}@example.com>\nDate:   Mon Nov {} 10:00:00 2026 +0000\n\n    change {i}\n\n\
                 diff --git a/f{i}.env b/f{i}.env\n--- a/f{i}.env\n+++ b/f{i}.env\n@@ -1,2 +1,{} @@\n-OLD={}\n+OPENAI_API_KEY={secret}\n same\n",
                1 + i % 28,
                // Every fifth hunk claims more lines than it has: it ends inside the hunk.
                if i % 5 == 0 { 9 } else { 2 },
                key(i % 3 + 10),
            ));
        }
        for (kind, order) in [
            (EvidenceKind::GitLog, Order::NewestFirst),
            (EvidenceKind::Mbox, Order::OldestFirst),
        ] {
            let mut whole = Scanner::new(Options::default());
            whole.scan_text("h.log", &text, kind);
            let whole = whole.finish();
            assert!(whole.secrets.len() >= 10 && whole.totals.malformed_patch_lines > 10);
            for (jobs, part) in [(2, 3000), (3, 700), (4, 20_000)] {
                let mut parts = Scanner::new(Options::default());
                let m = parts.matcher().with_jobs(jobs);
                parts.take("h.log", Seen::Scanned(text.len() as u64));
                m.history_in_parts(&text, order, part, &mut |x| parts.take("h.log", x));
                assert_eq!(
                    parts.finish(),
                    whole,
                    "{kind:?}, {jobs} jobs, parts of {part}"
                );
            }
        }
    }

    fn key(seed: u64) -> String {
        generate("ghp_{an:30}{crc}", &mut Rng::new(seed)).secret
    }

    #[test]
    fn a_oneline_log_is_read_as_history() {
        let log = "0123456789abcdef0123456789abcdef01234567 add config\n\ndiff --git a/x b/x\n";
        assert_eq!(refine_kind(log, EvidenceKind::Text), EvidenceKind::GitLog);
        assert_eq!(
            refine_kind("notes\ndiff --git a/x b/x\n", EvidenceKind::Text),
            EvidenceKind::Text
        );
    }

    #[test]
    fn plain_text_findings_carry_their_line_and_the_ignore_list_drops() {
        let (a, b) = (key(1), key(2));
        let ignore = [Secret::new(b.as_str()).fingerprint(&Default::default())];
        let mut s = Scanner::new(Options {
            ignore_fingerprints: &ignore,
            ..Options::default()
        });
        s.scan_text(
            "ci.log",
            &format!("one\ntwo\nTOKEN={a}\nTOKEN={b}\n"),
            EvidenceKind::Text,
        );
        let r = s.finish();
        assert_eq!(r.secrets.len(), 1);
        assert_eq!(r.secrets[0].occurrences[0].line, 3);
        assert_eq!(r.secrets[0].still_present, Some(true));
        assert_eq!(r.totals.dropped.ignored, 1);
        assert_eq!(r.totals.files_scanned, 1);
    }

    #[test]
    fn a_secret_in_a_usage_export_is_a_finding_and_a_key_id_there_is_not() {
        let a = key(3);
        let mut s = Scanner::new(Options::default());
        s.scan_text(
            "usage.json",
            &format!(
                "{{\"user_agent\":\"x\"}}\n{{\"user_agent\":\"curl key={a}\",\
                 \"accessKeyId\":\"AKIAIOSFODNN7ABCDEFG\"}}\n"
            ),
            EvidenceKind::OpenaiUsageApi,
        );
        let r = s.finish();
        assert_eq!(r.secrets.len(), 1, "{:?}", r.secrets);
        assert_eq!(r.secrets[0].reveal(), Some(a.as_str()));
        assert_eq!(r.secrets[0].occurrences[0].evidence, "usage.json");
        assert_eq!(r.secrets[0].occurrences[0].line, 2);
        assert_eq!(r.totals.files_scanned, 1);
    }

    /// A usage export is matched whole whenever its digest of distinct values holds anything:
    /// a secret as a field name, as a CSV column's name, in a value repeated on many records,
    /// or as a long number is found at each of its lines, as matching the whole text finds it.
    #[test]
    fn a_usage_export_whose_digest_holds_a_secret_is_matched_whole() {
        let a = key(5);
        let b = key(6);
        let row = |i: usize, ua: &str| {
            format!(
                "{{\"timestamp\":\"2026-01-01T00:00:{:02}Z\",\"n\":{i},\"user_agent\":\"{ua}\"}}\n",
                i % 60
            )
        };
        let mut json = String::new();
        for i in 0..40 {
            json += &row(i, if i % 10 == 3 { &a } else { "curl/8.5.0" });
        }
        json += &format!("{{\"{b}\":1}}\n");
        let csv = format!("timestamp,{b}\n2026-01-01T00:00:00Z,1\n");
        for (name, text, want) in [
            (
                "usage.json",
                json,
                vec![(a.clone(), vec![4, 14, 24, 34]), (b.clone(), vec![41])],
            ),
            ("usage.csv", csv, vec![(b.clone(), vec![1])]),
        ] {
            let mut s = Scanner::new(Options::default());
            s.scan_text(name, &text, EvidenceKind::OpenaiUsageApi);
            let r = s.finish();
            let mut got: Vec<(String, Vec<u64>)> = r
                .secrets
                .iter()
                .map(|f| {
                    let lines = f.occurrences.iter().map(|o| o.line).collect();
                    (f.reveal().unwrap_or_default().to_string(), lines)
                })
                .collect();
            got.sort();
            let mut want = want;
            want.sort();
            assert_eq!(got, want, "{name}");
            assert_eq!(r.totals.bytes_scanned, text.len() as u64);
        }
    }

    /// An export whose digest holds nothing is counted as scanned, and reports what matching it
    /// whole reports: nothing.
    #[test]
    fn a_usage_export_with_nothing_in_its_digest_is_scanned_and_clean() {
        let text =
            "[{\"timestamp\":\"2026-01-01T00:00:00Z\",\"api_key_prefix\":\"sk-...Q9zx\",\"n\":3}]";
        let mut s = Scanner::new(Options::default());
        s.scan_text("usage.json", text, EvidenceKind::OpenaiUsageApi);
        let r = s.finish();
        assert!(r.secrets.is_empty());
        assert_eq!(r.totals.files_scanned, 1);
        assert_eq!(r.totals.bytes_scanned, text.len() as u64);
        assert_eq!(r.totals.dropped, DropCounts::default());
    }

    /// One occurrence: rule, line, path, commit, the secret's occurrence count.
    type Occ = (String, u64, Option<String>, Option<String>, u64);

    /// The report's occurrences, sorted, for comparing two scans.
    fn summary(r: &ScanReport) -> Vec<Occ> {
        let mut v: Vec<_> = r
            .secrets
            .iter()
            .flat_map(|s| {
                s.occurrences.iter().map(|o| {
                    (
                        s.rule_id.to_string(),
                        o.line,
                        o.path.clone(),
                        o.commit.as_ref().map(|c| c.id.clone()),
                        s.occurrence_count,
                    )
                })
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_pem_key_straddling_a_window_edge_is_found_once_streamed_and_in_memory() {
        let pem = generate("@pem", &mut Rng::new(7)).secret;
        assert!(pem.lines().count() > 10, "a multi-line key");
        let filler = "y".repeat(79) + "\n";
        // The key begins a few lines before the first window's end and ends after it.
        let before = BLOCK / filler.len() - 3;
        let text = filler.repeat(before) + &pem + "\n" + &filler.repeat(before);
        let start = before * filler.len();
        assert!(start < BLOCK && start + pem.len() > BLOCK + filler.len());
        let mut streamed = Scanner::new(Options::default());
        let read = streamed
            .scan_stream("key.txt", &mut text.as_bytes(), EvidenceKind::Text)
            .unwrap();
        assert_eq!(read, text.len() as u64);
        let streamed = streamed.finish();
        let mut whole = Scanner::new(Options::default());
        whole.scan_text("key.txt", &text, EvidenceKind::Text);
        let whole = whole.finish();
        assert_eq!(streamed.secrets.len(), 1, "{:?}", summary(&streamed));
        assert_eq!(streamed.secrets[0].reveal(), Some(pem.as_str()));
        assert_eq!(streamed.secrets[0].occurrences[0].line, before as u64 + 1);
        assert_eq!(summary(&streamed), summary(&whole));
        assert_eq!(streamed.totals.bytes_scanned, whole.totals.bytes_scanned);
    }

    #[test]
    fn a_history_streamed_line_by_line_gives_the_same_findings_as_in_memory() {
        let mut log = String::new();
        for c in 0..40u64 {
            let k = key(100 + c);
            log += &format!(
                "commit {c:040x}\nAuthor: Dev <dev@example.com>\nDate:   Mon Jan 5 10:00:{:02} 2026 +0000\n\n    change {c}\n\n\
                 diff --git a/app.env b/app.env\n--- a/app.env\n+++ b/app.env\n@@ -1,2 +1,2 @@\n\
                 -OLD=1\n+TOKEN={k}\n ctx\n",
                c % 60
            );
        }
        let mut streamed = Scanner::new(Options::default());
        streamed
            .scan_stream("h.log", &mut log.as_bytes(), EvidenceKind::GitLog)
            .unwrap();
        let streamed = streamed.finish();
        let mut whole = Scanner::new(Options::default());
        whole.scan_text("h.log", &log, EvidenceKind::GitLog);
        let whole = whole.finish();
        assert_eq!(streamed.secrets.len(), 40);
        assert_eq!(summary(&streamed), summary(&whole));
        assert_eq!(streamed.totals.commits, 40);
        assert_eq!(
            serde_json::to_value(&streamed.totals).unwrap(),
            serde_json::to_value(&whole.totals).unwrap()
        );
    }

    #[test]
    fn blocks_cut_at_line_ends_keep_line_numbers() {
        let a = key(4);
        let filler = "x".repeat(99) + "\n";
        let lines = BLOCK / filler.len() + 10;
        let text = filler.repeat(lines) + &format!("TOKEN={a}\n");
        let mut s = Scanner::new(Options::default());
        s.scan_text("big.log", &text, EvidenceKind::Text);
        let r = s.finish();
        assert_eq!(r.secrets[0].occurrences[0].line, lines as u64 + 1);
    }
}
