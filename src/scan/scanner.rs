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
use std::cell::Cell;
use std::collections::HashSet;
use std::io::{self, Read};
use std::sync::{Arc, Mutex, OnceLock};

/// Plain texts are scanned in blocks of about this many bytes.
const BLOCK: usize = 4 << 20;
/// Blocks are read this far past their end, for secrets spanning lines.
const OVERLAP: usize = 32 << 10;
/// A history is split across threads in parts of at least this many bytes.
const PART: usize = 8 << 20;
/// A streamed history's parts are at least this many bytes.
const MIN_PART: usize = 64 << 10;

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

    /// This scanner, matching a large history (in memory or streamed) on `jobs` threads.
    pub fn with_jobs(mut self, jobs: usize) -> Self {
        self.matcher.jobs = jobs.max(1);
        self
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
        self.scan_stream_sized(name, reader, kind, u64::MAX)
    }

    /// [`Scanner::scan_stream`] of a stream of about `size` bytes: on a scanner of several
    /// jobs ([`Scanner::with_jobs`]) a history or patch is cut at commit lines as it is read
    /// into parts of at most [`PART`] bytes (fewer for a small stream, so that every thread
    /// has parts), matched on the jobs' threads and told in order: exactly what one thread
    /// reading it line by line tells.
    pub fn scan_stream_sized(
        &mut self,
        name: &str,
        reader: &mut dyn Read,
        kind: EvidenceKind,
        size: u64,
    ) -> io::Result<u64> {
        let matcher = self.matcher.clone();
        let read = match kind {
            EvidenceKind::GitLog | EvidenceKind::Mbox | EvidenceKind::Diff => {
                let part = (size / (4 * matcher.jobs as u64)).clamp(MIN_PART as u64, PART as u64);
                matcher.history_stream(reader, order_of(kind), part as usize, &mut |seen| {
                    self.take(name, seen)
                })
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
            marked_allowed: f.m.marked_allowed,
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
                marked_allowed: false,
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
    /// This matcher, for a thread of its own: its engines' regexes (the catalog's and the one
    /// for usage exports) keep their search caches on that thread ([`Engine::for_thread`]).
    pub fn for_thread(&self) -> Self {
        // The engine for usage exports too (made here once for the run if not yet).
        let usage = Arc::new(self.engine_for(true).for_thread());
        Matcher {
            engine: Arc::new(self.engine.for_thread()),
            usage_engine: Arc::new(OnceLock::from(usage)),
            ..self.clone()
        }
    }

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
        // Each part is parsed on its own; its commits are numbered after those of the parts
        // before it as it is taken.
        let mut merge = PartsMerge::new(order);
        crate::evidence::parallel::ordered_with(
            parts.len(),
            self.jobs,
            || self.engine.for_thread(),
            |engine, k| self.part_found(engine, parts[k], order),
            |_, found| merge.take(found, seen),
        );
    }

    /// What a part of a history (starting at a commit line, or the history's start) finds,
    /// parsed and matched on its own, its commits numbered from its start.
    /// `engine`: this matcher's, or a thread's own view of it ([`Engine::for_thread`]).
    fn part_found(&self, engine: &Engine, text: &str, order: Order) -> PartFound {
        let mut items = Vec::new();
        let mut drops = DropCounts::default();
        let (stats, ends_in_hunk) = history::parse_part(text, order, &mut |c: &Chunk| {
            scan_chunk(engine, c, &mut drops, &mut |x| items.push(x))
        });
        items.push(Seen::Counts {
            drops,
            commits: stats.commits,
            malformed: stats.malformed,
        });
        PartFound {
            items,
            commits: stats.commits as i64,
            ends_in_hunk,
        }
    }

    /// [`Matcher::part_found`] of a part as read (an invalid UTF-8 sequence read as U+FFFD, as
    /// the evidence stage reads it); its buffer then goes `back` to be read into again.
    #[cfg(not(target_arch = "wasm32"))]
    fn bytes_found(
        &self,
        engine: &Engine,
        bytes: Vec<u8>,
        order: Order,
        back: &std::sync::mpsc::Sender<Vec<u8>>,
    ) -> PartFound {
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        let found = self.part_found(engine, &text, order);
        let _ = back.send(text.into_bytes());
        found
    }

    /// Matches one evidence text of a known kind, telling `seen` what it finds in order.
    pub fn file(&self, name: &str, text: &str, kind: EvidenceKind, seen: &mut dyn FnMut(Seen)) {
        self.file_until(name, text, kind, &Cell::new(false), seen);
    }

    /// Whether matching the text finds nothing (no match, no known key's hit, no report to
    /// import), telling `seen` what it tells besides. It stops at the first thing found: a file
    /// that is not quiet is matched again by the run, whole, so the rest is not worth reading.
    pub fn quiet(
        &self,
        name: &str,
        text: &str,
        kind: EvidenceKind,
        seen: &mut dyn FnMut(Seen),
    ) -> bool {
        let found = Cell::new(false);
        self.file_until(name, text, kind, &found, &mut |x| match x {
            Seen::Scanned(_) | Seen::Counts { .. } => seen(x),
            Seen::Match(_) | Seen::Known(_) | Seen::Imported(_) => found.set(true),
        });
        !found.get()
    }

    /// [`Matcher::file`], reading no further chunk of a history nor window of a text once
    /// `stop` is set (by `seen`, say); what it told until then stands.
    fn file_until(
        &self,
        name: &str,
        text: &str,
        kind: EvidenceKind,
        stop: &Cell<bool>,
        seen: &mut dyn FnMut(Seen),
    ) {
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
                let stats = history::parse_until(text, order, stop, &mut |c: &Chunk| {
                    if !stop.get() {
                        scan_chunk(&self.engine, c, &mut drops, seen)
                    }
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
                if usage && self.digest_finds_nothing(engine, text.as_bytes(), None) {
                    seen(Seen::Counts {
                        drops: DropCounts::default(),
                        commits: 0,
                        malformed: 0,
                    });
                    return;
                }
                let mut at = WindowLines::default();
                for w in super::window::over(text.as_bytes(), BLOCK, OVERLAP) {
                    if stop.get() {
                        return;
                    }
                    at.window(engine, &w, seen);
                }
                at.finish(seen);
            }
        }
    }

    /// A history or patch read line by line from a stream, what it finds told in order: the
    /// page's reading, and natively the reading the parts are checked against.
    #[cfg(any(test, target_arch = "wasm32"))]
    fn history_lines(
        &self,
        reader: &mut dyn Read,
        order: Order,
        seen: &mut dyn FnMut(Seen),
    ) -> io::Result<u64> {
        let mut drops = DropCounts::default();
        let mut parser = history::Parser::new(order);
        let mut sink = |c: &Chunk| scan_chunk(&self.engine, c, &mut drops, seen);
        use std::io::BufRead;
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

    /// A history or patch read from a stream, what it finds told in order: in parts matched on
    /// this thread ([`Matcher::history_parts_here`]) or, with several jobs, on other threads
    /// ([`Matcher::history_stream_in_parts`]); in the page's wasm line by line.
    fn history_stream(
        &self,
        reader: &mut dyn Read,
        order: Order,
        part: usize,
        seen: &mut dyn FnMut(Seen),
    ) -> io::Result<u64> {
        #[cfg(not(target_arch = "wasm32"))]
        if self.jobs > 1 {
            return self.history_stream_in_parts(reader, order, part, seen);
        }
        #[cfg(not(target_arch = "wasm32"))]
        return self.history_parts_here(reader, order, part, seen);
        #[cfg(target_arch = "wasm32")]
        {
            let _ = part;
            self.history_lines(reader, order, seen)
        }
    }

    /// A history or patch read from a stream in parts cut at commit lines, as
    /// [`Matcher::history_stream_in_parts`] cuts them, each parsed and matched whole on this
    /// thread: what [`Matcher::history_lines`] tells, without copying and converting the
    /// stream line by line. Memory holds at most two parts. Returns the bytes read.
    #[cfg(not(target_arch = "wasm32"))]
    fn history_parts_here(
        &self,
        reader: &mut dyn Read,
        order: Order,
        part: usize,
        seen: &mut dyn FnMut(Seen),
    ) -> io::Result<u64> {
        let mut merge = PartsMerge::new(order);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        let mut parts = Parts::new(reader, part);
        parts.back = Some(back_rx);
        loop {
            match parts.next()? {
                Piece::Part(bytes) => {
                    merge.take(self.bytes_found(&self.engine, bytes, order, &back_tx), seen)
                }
                Piece::Long => self.long_part(&mut parts, &mut merge, seen)?,
                Piece::End => break,
            }
        }
        Ok(parts.read)
    }

    /// A history or patch read from a stream on this thread and cut, as it is read, at the
    /// first commit line past each `part` bytes; each part is parsed and matched on one of
    /// `jobs` threads on its own, and what each tells is taken here in order, its commits
    /// numbered after those of the parts before it: exactly what [`Matcher::history_lines`]
    /// tells. At most `2 * jobs` parts are read ahead of the one being taken, each of at most
    /// `2 * part` bytes: a commit longer than that is read line by line here, in its turn, as
    /// one thread reads it. Returns the bytes read.
    #[cfg(not(target_arch = "wasm32"))]
    fn history_stream_in_parts(
        &self,
        reader: &mut dyn Read,
        order: Order,
        part: usize,
        seen: &mut dyn FnMut(Seen),
    ) -> io::Result<u64> {
        use std::sync::mpsc;
        let jobs = self.jobs;
        let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Vec<u8>)>(jobs);
        let work_rx = Mutex::new(work_rx);
        // `None`: a thread stopped (it panicked); the scope passes the panic on.
        let (done_tx, done_rx) = mpsc::channel::<(usize, Option<PartFound>)>();
        // Each part's buffer goes back to be read into again (no new pages to fault in).
        let (back_tx, back_rx) = mpsc::channel::<Vec<u8>>();
        std::thread::scope(|s| {
            for _ in 0..jobs {
                let (work_rx, done_tx, back_tx) = (&work_rx, done_tx.clone(), back_tx.clone());
                s.spawn(move || {
                    // The thread's own view of the engine: its regexes' caches stay here.
                    let engine = self.engine.for_thread();
                    loop {
                        let stopped = Stopped(&done_tx);
                        let next = match work_rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        let Ok((k, bytes)) = next else { return };
                        let found = self.bytes_found(&engine, bytes, order, &back_tx);
                        std::mem::forget(stopped);
                        if done_tx.send((k, Some(found))).is_err() {
                            return;
                        }
                    }
                });
            }
            drop((done_tx, back_tx));
            // The work channel is the last thing the reading side drops: the threads then end.
            let mut parts = Parts::new(reader, part);
            parts.back = Some(back_rx);
            self.read_parts(&mut parts, order, jobs, work_tx, done_rx, seen)
        })
    }

    /// The reading and taking side of [`Matcher::history_stream_in_parts`].
    #[cfg(not(target_arch = "wasm32"))]
    fn read_parts(
        &self,
        parts: &mut Parts<'_>,
        order: Order,
        jobs: usize,
        work: std::sync::mpsc::SyncSender<(usize, Vec<u8>)>,
        done: std::sync::mpsc::Receiver<(usize, Option<PartFound>)>,
        seen: &mut dyn FnMut(Seen),
    ) -> io::Result<u64> {
        let mut merge = PartsMerge::new(order);
        let mut waiting = std::collections::BTreeMap::new();
        let (mut sent, mut taken) = (0usize, 0usize);
        let gone = || io::Error::other("a thread matching a part of the history stopped");
        let take_next = |waiting: &mut std::collections::BTreeMap<usize, PartFound>,
                         taken: &mut usize,
                         merge: &mut PartsMerge,
                         seen: &mut dyn FnMut(Seen)|
         -> io::Result<()> {
            while !waiting.contains_key(taken) {
                let (k, found) = done.recv().map_err(|_| gone())?;
                waiting.insert(k, found.ok_or_else(gone)?);
            }
            if let Some(found) = waiting.remove(taken) {
                merge.take(found, seen);
            }
            *taken += 1;
            Ok(())
        };
        loop {
            while sent - taken < 2 * jobs {
                match parts.next()? {
                    Piece::Part(bytes) => {
                        work.send((sent, bytes)).map_err(|_| gone())?;
                        sent += 1;
                    }
                    Piece::Long => {
                        // Every part before it is taken first; then it is read here.
                        while taken < sent {
                            take_next(&mut waiting, &mut taken, &mut merge, seen)?;
                        }
                        self.long_part(parts, &mut merge, seen)?;
                    }
                    Piece::End => break,
                }
            }
            if taken == sent {
                break;
            }
            take_next(&mut waiting, &mut taken, &mut merge, seen)?;
        }
        Ok(parts.read)
    }

    /// A part of a streamed history with no commit line in twice the part's bytes: parsed
    /// line by line on this thread up to the next commit line (or the end), as one thread
    /// reads it, once every part before it is taken.
    #[cfg(not(target_arch = "wasm32"))]
    fn long_part(
        &self,
        parts: &mut Parts<'_>,
        merge: &mut PartsMerge,
        seen: &mut dyn FnMut(Seen),
    ) -> io::Result<()> {
        merge.part_starts(seen);
        let mut drops = DropCounts::default();
        let mut parser = history::Parser::after(merge.order, merge.before);
        let mut sink = |c: &Chunk| scan_chunk(&self.engine, c, &mut drops, seen);
        let mut first = true;
        while let Some(line) = parts.line_until_commit(first)? {
            first = false;
            parser.line(&line, &mut sink);
        }
        let ends_in_hunk = parser.in_hunk();
        let stats = parser.finish(&mut sink);
        seen(Seen::Counts {
            drops,
            commits: stats.commits,
            malformed: stats.malformed,
        });
        merge.part_ends(stats.commits as i64, ends_in_hunk);
        Ok(())
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

    /// Whether matching this text tells only that it was scanned and held nothing, by its
    /// digest alone: a usage export with no known key to search for, whose digest the engine
    /// finds nothing in ([`Matcher::file`] then tells exactly that).
    /// `heard`: the text's digest made while its records were walked ([`Matcher::listener`]).
    pub fn quiet_by_digest(&self, kind: EvidenceKind, text: &str, heard: Option<Vec<u8>>) -> bool {
        kind.is_usage()
            && self.known.is_empty()
            && self.digest_finds_nothing(self.engine_for(true), text.as_bytes(), heard)
    }

    /// What makes the digest of a usage export's JSON text while the evidence stage walks its
    /// records, for [`Matcher::quiet_by_digest`] (`None`: no digest would be read).
    pub fn listener<'a>(
        &'a self,
        kind: EvidenceKind,
        text: &'a str,
    ) -> Option<Box<dyn crate::evidence::tokens::Tokens + 'a>> {
        let engine = self.engine_for(true);
        let json = matches!(
            text.bytes().find(|b| !b.is_ascii_whitespace()),
            Some(b'{' | b'[')
        );
        (kind.is_usage()
            && self.known.is_empty()
            && json
            && !engine.rules().iter().any(|r| !r.origin.is_empty()))
        .then(|| {
            Box::new(digest::Heard::new(text, digest::Uuids::of(engine)))
                as Box<dyn crate::evidence::tokens::Tokens + 'a>
        })
    }

    /// Whether a usage export's digest ([`digest::of`]: its distinct field names and values)
    /// exists and the engine neither matches nor drops anything in it: then matching the
    /// whole export would find nothing either. Only with the built-in rules: a responder's
    /// rule may take what the digest leaves out.
    fn digest_finds_nothing(&self, engine: &Engine, text: &[u8], heard: Option<Vec<u8>>) -> bool {
        if engine.rules().iter().any(|r| !r.origin.is_empty()) {
            return false;
        }
        let Some(d) = heard.or_else(|| digest::of(text, digest::Uuids::of(engine))) else {
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

/// What a part of a history parsed on its own found: its matches and counts in order, its
/// commits (numbered from the part's start) and whether it ends inside a hunk.
struct PartFound {
    items: Vec<Seen>,
    commits: i64,
    ends_in_hunk: bool,
}

/// Taking the parts of a history in order: the commits of the parts before, and whether the
/// part before ended inside a hunk.
struct PartsMerge {
    order: Order,
    before: i64,
    mid_hunk: bool,
}

impl PartsMerge {
    fn new(order: Order) -> Self {
        PartsMerge {
            order,
            before: 0,
            mid_hunk: false,
        }
    }

    /// A part starts: the whole parse reads its first line (a commit) as a malformed patch
    /// line when the part before it ended inside a hunk.
    fn part_starts(&mut self, seen: &mut dyn FnMut(Seen)) {
        if std::mem::take(&mut self.mid_hunk) {
            seen(Seen::Counts {
                drops: DropCounts::default(),
                commits: 0,
                malformed: 1,
            });
        }
    }

    fn part_ends(&mut self, commits: i64, ends_in_hunk: bool) {
        self.before += commits;
        self.mid_hunk = ends_in_hunk;
    }

    /// A part parsed on its own, its commits numbered after those of the parts before it.
    fn take(&mut self, found: PartFound, seen: &mut dyn FnMut(Seen)) {
        self.part_starts(seen);
        for mut x in found.items {
            if let Seen::Match(p) = &mut x {
                if let Some(c) = &mut p.commit {
                    c.after(self.before, self.order);
                    if let Some((key, _)) = &mut p.hist {
                        key.1 = c.order.1;
                    }
                }
            }
            seen(x);
        }
        self.part_ends(found.commits, found.ends_in_hunk);
    }
}

/// Tells the reading side that a thread matching parts stopped, when dropped while it panics.
#[cfg(not(target_arch = "wasm32"))]
struct Stopped<'a>(&'a std::sync::mpsc::Sender<(usize, Option<PartFound>)>);

#[cfg(not(target_arch = "wasm32"))]
impl Drop for Stopped<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.0.send((usize::MAX, None));
        }
    }
}

/// One piece of a streamed history ([`Parts::next`]).
#[cfg(not(target_arch = "wasm32"))]
enum Piece {
    /// The bytes up to the first commit line past the part's size (or the end).
    Part(Vec<u8>),
    /// No commit line in twice the part's size: the caller reads on line by line.
    Long,
    /// The end of the stream.
    End,
}

/// A history read from a stream in parts cut at commit lines.
#[cfg(not(target_arch = "wasm32"))]
struct Parts<'r> {
    reader: &'r mut dyn Read,
    part: usize,
    buf: Vec<u8>,
    eof: bool,
    /// Where the search for a commit line to cut at goes on from (a line start in `buf`, at
    /// or past `part` bytes; 0: not found yet).
    searched: usize,
    /// Where a long part's next line starts in `buf`.
    pos: usize,
    /// The bytes read from the stream.
    read: u64,
    /// Buffers of parts done with, to read into again.
    back: Option<std::sync::mpsc::Receiver<Vec<u8>>>,
}

/// How much a streamed history's parts are read at a time.
#[cfg(not(target_arch = "wasm32"))]
const PART_READ: usize = 1 << 20;

#[cfg(not(target_arch = "wasm32"))]
impl<'r> Parts<'r> {
    fn new(reader: &'r mut dyn Read, part: usize) -> Self {
        Parts {
            reader,
            part: part.max(1),
            buf: Vec::new(),
            eof: false,
            searched: 0,
            pos: 0,
            read: 0,
            back: None,
        }
    }

    /// Reads more of the stream (or notes its end).
    fn fill(&mut self) -> io::Result<()> {
        self.buf.drain(..std::mem::take(&mut self.pos));
        let got = (&mut *self.reader)
            .take(PART_READ.min(self.part) as u64)
            .read_to_end(&mut self.buf)?;
        self.read += got as u64;
        self.eof |= got == 0;
        Ok(())
    }

    /// The next part: the buffer up to its first commit line past `part` bytes.
    fn next(&mut self) -> io::Result<Piece> {
        loop {
            if self.buf.len() > self.part {
                if self.searched == 0 {
                    // The first line start at or past `part` bytes, once its line end is read.
                    if let Some(i) = memchr::memchr(b'\n', &self.buf[self.part - 1..]) {
                        self.searched = self.part + i;
                    }
                }
                if self.searched != 0 {
                    let mut at = self.searched;
                    while let Some(n) = memchr::memchr(b'\n', &self.buf[at..]) {
                        if self.commit_at(at, n) {
                            return Ok(self.cut(at));
                        }
                        at += n + 1;
                    }
                    self.searched = at;
                    // The last line, without a line end, may start a commit too.
                    if self.eof && at < self.buf.len() && self.commit_at(at, self.buf.len() - at) {
                        return Ok(self.cut(at));
                    }
                }
                if !self.eof && self.buf.len() > 2 * self.part {
                    self.searched = 0;
                    return Ok(Piece::Long);
                }
            }
            if self.eof {
                self.searched = 0;
                return Ok(match self.buf.is_empty() {
                    true => Piece::End,
                    false => Piece::Part(std::mem::take(&mut self.buf)),
                });
            }
            self.fill()?;
        }
    }

    /// Whether the line of `n` bytes at `at` in the buffer starts a commit.
    fn commit_at(&self, at: usize, n: usize) -> bool {
        let line = &self.buf[at..at + n];
        // Only a line starting with one of these bytes can start a commit.
        matches!(
            line.first(),
            Some(b'c' | b'F' | b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
        ) && history::is_commit_line(&String::from_utf8_lossy(line))
    }

    /// The buffer up to `at` as a part; the rest stays.
    fn cut(&mut self, at: usize) -> Piece {
        let mut rest = self
            .back
            .as_ref()
            .and_then(|b| b.try_recv().ok())
            .unwrap_or_default();
        rest.clear();
        rest.extend_from_slice(&self.buf[at..]);
        self.buf.truncate(at);
        self.searched = 0;
        Piece::Part(std::mem::replace(&mut self.buf, rest))
    }

    /// The next line (without its `\n`) of a long part, read on from the buffer and the
    /// stream, or `None` at the next commit line (left in the buffer) or the end. The first
    /// line of the part is a commit line (or the history's start): it is given.
    fn line_until_commit(&mut self, first: bool) -> io::Result<Option<String>> {
        loop {
            let rest = &self.buf[self.pos..];
            let end = memchr::memchr(b'\n', rest);
            if end.is_some() || self.eof {
                if rest.is_empty() {
                    self.buf.drain(..std::mem::take(&mut self.pos));
                    return Ok(None);
                }
                let n = end.unwrap_or(rest.len());
                let line = String::from_utf8_lossy(&rest[..n]).into_owned();
                if !first && history::is_commit_line(&line) {
                    // The normal parts go on from this commit line.
                    self.buf.drain(..std::mem::take(&mut self.pos));
                    return Ok(None);
                }
                self.pos += (n + 1).min(rest.len());
                return Ok(Some(line));
            }
            self.fill()?;
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

    /// A history streamed in parts cut at commit lines as it is read, on this thread or on
    /// several, tells exactly what reading it line by line tells: parts ending inside a hunk, a
    /// commit longer than twice the part (read line by line in its turn), a preamble before
    /// the first commit, CRLF line ends, invalid UTF-8, a last line without its end that
    /// starts a commit, for `git log` and mbox order, read in pieces of any size.
    #[test]
    fn a_history_streamed_in_parts_is_the_history_read_line_by_line() {
        let mut text = b"preamble line\n+not a hunk\n".to_vec();
        for i in 0..150u64 {
            let secret = key(i % 9);
            text.extend_from_slice(
                format!(
                    "commit {i:040x}\nAuthor: Dev {i} <dev{i}@example.com>\nDate:   Mon Nov {} 10:00:00 2026 +0000\n\n    change {i}\n\n\
                     diff --git a/f{i}.env b/f{i}.env\n--- a/f{i}.env\n+++ b/f{i}.env\n@@ -1,2 +1,{} @@\n-OLD={}\n+OPENAI_API_KEY={secret}\n same\n",
                    1 + i % 28,
                    if i % 5 == 0 { 9 } else { 2 },
                    key(i % 3 + 10),
                )
                .as_bytes(),
            );
            if i % 7 == 3 {
                // Invalid UTF-8 and a CRLF line in an added line.
                text.extend_from_slice(b"@@ -9,0 +9,2 @@\n+caf\xe9 \xff\xfe\r\n+x\r\n");
            }
            if i == 60 || i == 61 {
                // Two commits longer than twice every part tried below.
                let filler = format!("+filler line of commit {i} {}\n", "z".repeat(60));
                let n = 3000;
                text.extend_from_slice(format!("@@ -20,0 +20,{n} @@\n").as_bytes());
                text.extend_from_slice(filler.repeat(n - 1).as_bytes());
                text.extend_from_slice(format!("+TOKEN={}\n", key(77 + i)).as_bytes());
            }
        }
        text.extend_from_slice(format!("commit {:040x}", 999).as_bytes());
        struct Pieces<'a>(&'a [u8], usize);
        impl Read for Pieces<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        for (kind, order) in [
            (EvidenceKind::GitLog, Order::NewestFirst),
            (EvidenceKind::Mbox, Order::OldestFirst),
        ] {
            let mut one = Scanner::new(Options::default());
            let m = one.matcher();
            let read = m
                .history_lines(&mut &text[..], order, &mut |x| one.take("h.log", x))
                .unwrap();
            one.take("h.log", Seen::Scanned(read));
            assert_eq!(read, text.len() as u64);
            let one = one.finish();
            assert!(one.secrets.len() >= 12 && one.totals.malformed_patch_lines > 10);
            assert_eq!(one.totals.commits, 151);
            for (jobs, part, piece) in [
                (1, 3000, 1 << 20),
                (1, 50_000, 13),
                (2, 3000, 1 << 20),
                (3, 700, 977),
                (2, 50_000, 13),
                (4, 1, 4096),
            ] {
                let mut parts = Scanner::new(Options::default());
                let m = parts.matcher().with_jobs(jobs);
                let mut long = 0;
                let read = m
                    .history_stream(&mut Pieces(&text, piece), order, part, &mut |x| {
                        long += usize::from(matches!(&x, Seen::Counts { commits: 1, .. }));
                        parts.take("h.log", x)
                    })
                    .unwrap();
                parts.take("h.log", Seen::Scanned(read));
                assert_eq!(
                    parts.finish(),
                    one,
                    "{kind:?}, {jobs} jobs, parts of {part}, pieces of {piece}"
                );
                assert!(long > 0, "some part holds one commit");
            }
        }
    }

    fn key(seed: u64) -> String {
        generate("ghp_{an:30}{crc}", &mut Rng::new(seed)).secret
    }

    /// Asked only whether a file is quiet, matching stops at the first thing found: in a
    /// history no later chunk is matched, in a text no later window. A quiet file is matched
    /// whole and tells what a whole match tells.
    #[test]
    fn asked_whether_a_file_is_quiet_matching_stops_at_the_first_match() {
        let commit = |i: u64, line: &str| {
            format!(
                "commit {i:040x}\nAuthor: Dev <dev@example.com>\nDate:   Mon Nov 2 10:00:00 2026 +0000\n\n    change {i}\n\n\
                 diff --git a/f{i}.env b/f{i}.env\n--- a/f{i}.env\n+++ b/f{i}.env\n@@ -1,1 +1,1 @@\n-OLD=1\n+{line}\n"
            )
        };
        let history: String = (0..40u64)
            .map(|i| commit(i, &format!("TOKEN={}", key(i))))
            .collect();
        let filler = "x = 1 # nothing here\n".repeat(2 * BLOCK / 20);
        let text = format!("GH={}\n{filler}GH={}\n", key(1), key(2));
        let m = Scanner::new(Options::default()).matcher();
        for (t, kind) in [
            (&history, EvidenceKind::GitLog),
            (&text, EvidenceKind::Text),
        ] {
            // The matches told, and the commits read.
            let count = |stop: bool| {
                let (n, halt, commits) = (Cell::new(0), Cell::new(false), Cell::new(0));
                m.file_until("f", t, kind, &halt, &mut |x| match x {
                    Seen::Match(_) => {
                        n.set(n.get() + 1);
                        halt.set(stop);
                    }
                    Seen::Counts { commits: c, .. } => commits.set(c),
                    _ => {}
                });
                (n.get(), commits.get())
            };
            let ((whole, all), (stopped, read)) = (count(false), count(true));
            assert!(
                whole >= 2 && stopped >= 1 && stopped < whole,
                "{kind:?}: {stopped} of {whole}"
            );
            if kind == EvidenceKind::GitLog {
                assert!(all == 40 && read < 5, "{read} of {all} commits read");
            }
            assert!(!m.quiet("f", t, kind, &mut |_| {}), "{kind:?}");
        }
        let clean: String = (0..40u64).map(|i| commit(i, "X=1")).collect();
        let (mut quiet_told, mut whole_told) = (Vec::new(), Vec::new());
        let tell = |x: Seen, to: &mut Vec<String>| match x {
            Seen::Scanned(n) => to.push(format!("scanned {n}")),
            Seen::Counts {
                commits, malformed, ..
            } => to.push(format!("{commits} {malformed}")),
            _ => to.push("other".into()),
        };
        assert!(m.quiet("c", &clean, EvidenceKind::GitLog, &mut |x| tell(
            x,
            &mut quiet_told
        )));
        m.file("c", &clean, EvidenceKind::GitLog, &mut |x| {
            tell(x, &mut whole_told)
        });
        assert_eq!(quiet_told, whole_told);
        assert_eq!(quiet_told.len(), 2);
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

    /// The digest never says "nothing" of an export in which matching the whole text finds or
    /// drops something: every catalog rule's fake, as the value of a field named as the rule's
    /// variable, inside another field's longer value, and as a CSV cell, among clean records.
    /// A public identifier (an OAuth client id) is the exception: alone it is no finding, and a
    /// short one of digits and dots (Slack's) is left out of the digest like a number; beside
    /// its secret, the secret puts the export through whole and the pair is found.
    #[test]
    fn the_digest_never_hides_what_the_whole_export_holds() {
        let scanner = Scanner::new(Options::default());
        let s = &scanner.matcher;
        let engine = s.engine_for(true);
        let mut rng = Rng::new(77);
        let (mut tried, mut missed) = (0, Vec::new());
        // The usage engine's keywords let the digest leave out UUIDs under names without one.
        assert!(digest::Uuids::of(engine).is_some());
        let mut uuid = || generate("{hex:8}-{hex:4}-4{hex:3}-a{hex:3}-{hex:12}", &mut rng).secret;
        // Clean records, each with its own event id (left out of the digest).
        let clean: String = (0..20)
            .map(|_| {
                format!(
                    "{{\"timestamp\":\"2026-01-01T00:00:00Z\",\"eventID\":\"{}\",\"model\":\"gpt-4o\",\"n\":7}},\n",
                    uuid()
                )
            })
            .collect();
        let csv_clean: String = (0..20)
            .map(|_| format!("2026-01-01T00:00:00Z,{},gpt-4o,\n", uuid()))
            .collect();
        let ids: Vec<String> = (0..rules::catalog().len()).map(|_| uuid()).collect();
        let mut rng = Rng::new(78);
        for (r, id) in rules::catalog()
            .iter()
            .zip(&ids)
            .filter(|(r, _)| !r.kind.public_identifier())
        {
            let f = generate(r.shape, &mut rng);
            let quoted = serde_json::to_string(&f.text).expect("a string");
            let v = &quoted[1..quoted.len() - 1];
            let cell = format!("\"{}\"", f.text.replace('"', "\"\""));
            let texts = [
                format!(
                    "[{clean}{{\"timestamp\":\"2026-01-01T00:00:01Z\",\"requestID\":\"{id}\",\"{}\":\"{v}\",\"n\":1}}]",
                    r.var
                ),
                format!(
                    "[{clean}{{\"timestamp\":\"2026-01-01T00:00:01Z\",\"user_agent\":\"tool/1.0 {v} (x)\",\"eventID\":\"{id}\"}}]"
                ),
                format!(
                    "timestamp,eventID,model,{}\n{csv_clean}2026-01-01T00:00:01Z,{id},gpt-4o,{cell}\n",
                    r.var
                ),
            ];
            for (n, t) in texts.iter().enumerate() {
                let (mut hits, mut drops) = (Vec::new(), DropCounts::default());
                for w in super::super::window::over(t.as_bytes(), BLOCK, OVERLAP) {
                    scan_buffer(engine, w.bytes, &mut hits, &mut drops);
                }
                if hits.is_empty() && drops == DropCounts::default() {
                    continue;
                }
                tried += 1;
                if s.digest_finds_nothing(engine, t.as_bytes(), None) {
                    missed.push((r.id, n));
                }
            }
        }
        assert!(tried > 200, "{tried} exports held something");
        assert!(missed.is_empty(), "the digest hid (rule, form): {missed:?}");
        // A Slack client id (digits and dots) beside its secret, in a usage export.
        let id = generate("{dig:10}.{dig:12}", &mut rng).secret;
        let secret = generate("{hex:32}", &mut rng).secret;
        let text = format!(
            "[{clean}{{\"timestamp\":\"2026-01-01T00:00:01Z\",\"slack_client_id\":\"{id}\",\"slack_client_secret\":\"{secret}\"}}]"
        );
        let mut sc = Scanner::new(Options::default());
        sc.scan_text("usage.json", &text, EvidenceKind::OpenaiUsageApi);
        let r = sc.finish();
        assert_eq!(r.secrets.len(), 1, "{:?}", r.secrets);
        assert_eq!(r.secrets[0].rule_id, "slack-client-secret");
        assert!(r.secrets[0].partner.is_some(), "the id is its partner");
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
