//! Scan: find leaked credentials in patches, history and text; attribute them, check their
//! structure, group them by secret, and never show them whole.
//!
//! Flow: each text input is sniffed; histories and patches go through [`history::parse`], which
//! hands each file diff's added and removed lines to the [`engine::Engine`] (keyword prefilter,
//! then the rules' regexes around the hits) and to the [`decode`] pass (base64, hex, percent, to
//! depth 2). Matches are filtered ([`placeholder`]), checked ([`structure`]) and collected per
//! SHA-256 fingerprint into [`SecretFinding`]s with their occurrences, first and last commit and
//! whether the newest commit still holds them. Imported gitleaks / trufflehog / SARIF findings
//! join by fingerprint. Known keys pasted by the responder are searched in every text.

pub mod decode;
pub mod engine;
#[cfg(any(test, feature = "testkit"))]
pub mod fake;
pub mod history;
pub mod import;
pub mod known_key;
pub mod placeholder;
pub mod rules;
pub mod sarif;
pub mod structure;

use crate::evidence::{decode as decode_bytes, sniff, Decoded, EvidenceKind, Input, Problems};
use crate::secret::Secret;
use engine::{DropCounts, Engine, RawMatch};
use history::{Change, Chunk, CommitInfo, Order};
use known_key::{KnownKey, KnownKeyReport};
use rules::{Confidence, Rule};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use structure::Structure;

pub use history::CommitInfo as Commit;

/// Plain texts are scanned in blocks of about this many bytes.
const BLOCK: usize = 4 << 20;
/// Blocks are read this far past their end, for secrets spanning lines.
const OVERLAP: usize = 32 << 10;

/// The offset just past the first newline at or after `from` (or the end).
fn line_end_after(bytes: &[u8], from: usize) -> usize {
    if from >= bytes.len() {
        return bytes.len();
    }
    memchr::memchr(b'\n', &bytes[from..])
        .map(|i| from + i + 1)
        .unwrap_or(bytes.len())
}

/// Distinct secrets kept in full; more are counted only.
pub const MAX_SECRETS: usize = 10_000;
/// Occurrences kept per secret; more are counted only.
pub const MAX_OCCURRENCES: usize = 100;

/// Where one occurrence of a secret is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Occurrence {
    /// The evidence file.
    pub evidence: String,
    /// The path inside a patch or history (or the scanner's file, for imports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based line: in the new file for added lines, the old file for removed ones, else in
    /// the evidence file.
    pub line: u64,
    /// Added or removed, for patches and history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// The commit, for history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<CommitInfo>,
    /// How the value was encoded where found (`base64`, `hex`, `percent`, `base64>hex`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Who found it: `leaktriage`, `gitleaks`, `trufflehog`, `sarif`.
    pub source: String,
}

/// One distinct secret, with everything known about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecretFinding {
    /// SHA-256 of the value: use it to match and to ignore.
    pub fingerprint: String,
    /// The value, redacted.
    pub redacted: String,
    /// The rule that found it.
    pub rule_id: String,
    /// The provider.
    pub provider: String,
    /// What it is.
    pub title: String,
    /// The credential kind.
    pub kind: rules::Kind,
    /// The kind in words.
    pub kind_label: String,
    /// What such a credential can usually do.
    pub can_do: String,
    /// Where and how to revoke it.
    pub revoke: String,
    /// Confidence (lowered one step when the structure is invalid).
    pub confidence: Confidence,
    /// Whether the format is known only by context.
    pub context_only: bool,
    /// The structural verdict.
    pub structure: Structure,
    /// The verdict in words.
    pub structure_label: String,
    /// What the check saw.
    pub structure_note: String,
    /// Occurrences found in all.
    pub occurrence_count: u64,
    /// The first occurrences (capped at [`MAX_OCCURRENCES`]).
    pub occurrences: Vec<Occurrence>,
    /// The oldest commit that added it: the start of the exposure window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introduced: Option<CommitInfo>,
    /// The newest commit that touched it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_commit: Option<CommitInfo>,
    /// The newest commit that removed it (it stays in history: still leaked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_in: Option<CommitInfo>,
    /// Whether the newest commit still holds it (history); `true` for plain files holding it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub still_present: Option<bool>,
    /// Found in git history or patches.
    pub in_history: bool,
    /// It equals a known key the responder gave.
    pub matches_known_key: bool,
    /// Which tools reported it.
    pub sources: Vec<String>,
    /// The value, for an explicit on-screen reveal only; never serialised.
    #[serde(skip)]
    value: Option<Secret>,
}

impl SecretFinding {
    /// The full value, for an explicit, on-screen, one-finding reveal. Never export it.
    pub fn reveal(&self) -> Option<&str> {
        self.value.as_ref().map(|s| s.expose())
    }
}

/// Scan totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanTotals {
    /// Rules in the catalog.
    pub rules: u64,
    /// Evidence files scanned.
    pub files_scanned: u64,
    /// Bytes of text scanned.
    pub bytes_scanned: u64,
    /// Commits seen in histories and patches.
    pub commits: u64,
    /// Occurrences found (all, kept or not).
    pub occurrences: u64,
    /// Distinct secrets found.
    pub distinct_secrets: u64,
    /// Distinct secrets beyond [`MAX_SECRETS`], counted only.
    pub secrets_not_kept: u64,
    /// Findings imported from other scanners.
    pub imported: u64,
    /// Patch lines that broke their hunk's counts (the parser recovered).
    pub malformed_patch_lines: u64,
    /// What was dropped and why.
    pub dropped: DropCounts,
}

/// The scan's part of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScanReport {
    /// Totals.
    pub totals: ScanTotals,
    /// One entry per distinct secret, most serious first.
    pub secrets: Vec<SecretFinding>,
    /// Known-key search results, one per key the responder gave.
    pub known_keys: Vec<KnownKeyReport>,
}

struct Meta {
    rule_id: String,
    provider: String,
    title: String,
    kind: rules::Kind,
    can_do: String,
    revoke: String,
    confidence: Confidence,
    context_only: bool,
    priority: u8,
}

impl Meta {
    fn of(r: &Rule) -> Meta {
        Meta {
            rule_id: r.id.into(),
            provider: r.provider.into(),
            title: r.title.into(),
            kind: r.kind,
            can_do: r.can_do.into(),
            revoke: r.revoke.into(),
            confidence: r.confidence,
            context_only: r.context_only,
            priority: r.priority,
        }
    }
}

type Key = (i64, i64);

struct Entry {
    finding: SecretFinding,
    first_added: Option<Key>,
    last_any: Option<Key>,
    last_removed: Option<Key>,
    paths: HashMap<String, (Key, Change)>,
    in_text: bool,
    sources: BTreeSet<String>,
    seq: u64,
    priority: u8,
}

/// Accumulates findings across inputs.
pub struct Scanner<'c> {
    engine: &'static Engine,
    ignore: HashSet<String>,
    known: Vec<(&'c KnownKey, KnownKeyReport)>,
    known_fps: HashSet<String>,
    entries: HashMap<String, Entry>,
    totals: ScanTotals,
    seq: u64,
}

/// What the responder tells the scan: the keys known to have leaked and the findings to ignore.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Keys the responder knows leaked, searched for in every input.
    pub known_keys: &'a [KnownKey],
    /// Fingerprints of findings to leave out (false positives, accepted test keys).
    pub ignore_fingerprints: &'a [String],
}

/// One match ready to collect.
struct Found<'a> {
    m: &'a RawMatch,
    line: u64,
    encoding: Option<String>,
}

impl<'c> Scanner<'c> {
    /// A scanner for one triage run.
    pub fn new(opts: Options<'c>) -> Self {
        let engine = Engine::global();
        Scanner {
            engine,
            ignore: opts
                .ignore_fingerprints
                .iter()
                .map(|s| s.trim().to_ascii_lowercase())
                .collect(),
            known: opts
                .known_keys
                .iter()
                .map(|k| {
                    (
                        k,
                        KnownKeyReport {
                            key: k.redacted(),
                            form: k.form().into(),
                            hit_count: 0,
                            hits: Vec::new(),
                        },
                    )
                })
                .collect(),
            known_fps: opts
                .known_keys
                .iter()
                .filter_map(|k| k.fingerprint())
                .collect(),
            entries: HashMap::new(),
            totals: ScanTotals {
                rules: engine.rules().len() as u64,
                ..ScanTotals::default()
            },
            seq: 0,
        }
    }

    /// Scans one evidence file given as bytes (decoded like the inventory does).
    pub fn scan_input(&mut self, input: &Input) {
        let mut problems = Problems::new(&input.name);
        if let Decoded::Text { text, .. } = decode_bytes(&input.bytes, &mut problems) {
            let kind = sniff(&text);
            self.scan_text(&input.name, &text, kind);
        }
    }

    /// Scans one evidence text of a known kind.
    pub fn scan_text(&mut self, name: &str, text: &str, kind: EvidenceKind) {
        let kind = refine_kind(text, kind);
        for (k, rep) in self.known.iter_mut() {
            known_key::search(k, name, text.as_bytes(), rep);
        }
        if kind == EvidenceKind::UnknownJson {
            if let Some(imp) = import::parse(text) {
                self.add_imports(name, imp);
                return;
            }
        }
        // Texts, and files of unknown JSON / CSV shape (a key file, a dump, source the sniffer
        // took for CSV); recognised usage exports get the known-key search only.
        if !(kind.is_text()
            || kind == EvidenceKind::UnknownJson
            || kind == EvidenceKind::UnknownCsv)
        {
            return;
        }
        self.totals.files_scanned += 1;
        self.totals.bytes_scanned += text.len() as u64;
        match kind {
            EvidenceKind::GitLog | EvidenceKind::Mbox | EvidenceKind::Diff => {
                let order = if kind == EvidenceKind::Mbox {
                    Order::OldestFirst
                } else {
                    Order::NewestFirst
                };
                // Findings are collected as each file diff is scanned, so memory holds one
                // file diff and the capped findings, whatever the number of matches.
                let engine = self.engine;
                let mut drops = DropCounts::default();
                let stats = history::parse(text, order, &mut |c: &Chunk| {
                    let mut hits = Vec::new();
                    scan_buffer(engine, c.text, &mut hits, &mut drops);
                    for (m, at, enc) in hits {
                        let order = c.commit.map(|c| c.order).unwrap_or((0, 0));
                        self.collect(
                            name,
                            Found {
                                m: &m,
                                line: c.line_of(at),
                                encoding: enc,
                            },
                            Some(c.path.to_string()),
                            c.commit.cloned(),
                            Some((order, c.change)),
                        );
                    }
                });
                self.add_drops(&drops);
                self.totals.commits += stats.commits;
                self.totals.malformed_patch_lines += stats.malformed;
            }
            _ => {
                // Scanned in blocks of about BLOCK bytes cut at line ends, each read with an
                // overlap long enough for the longest multi-line secret; a match belongs to the
                // block it starts in. Memory holds one block's matches, whatever the file's size.
                let bytes = text.as_bytes();
                let mut drops = DropCounts::default();
                let (mut pos, mut line) = (0usize, 1u64);
                let mut start = 0usize;
                while start < bytes.len() {
                    let end = line_end_after(bytes, start + BLOCK);
                    let read_to = line_end_after(bytes, end + OVERLAP);
                    let mut hits = Vec::new();
                    scan_buffer(self.engine, &bytes[start..read_to], &mut hits, &mut drops);
                    hits.retain(|h| start + h.1 < end);
                    hits.sort_by_key(|h| h.1);
                    for (m, at, enc) in hits {
                        let at = start + at;
                        line += memchr::memchr_iter(b'\n', &bytes[pos..at.max(pos)]).count() as u64;
                        pos = at.max(pos);
                        self.collect(
                            name,
                            Found {
                                m: &m,
                                line,
                                encoding: enc,
                            },
                            None,
                            None,
                            None,
                        );
                    }
                    start = end;
                }
                self.add_drops(&drops);
            }
        }
    }

    fn add_drops(&mut self, d: &DropCounts) {
        self.totals.dropped.placeholders += d.placeholders;
        self.totals.dropped.allowed_inline += d.allowed_inline;
        self.totals.dropped.ignored += d.ignored;
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
        self.add(
            secret.fingerprint(),
            Some(secret),
            Meta::of(rule),
            f.m.structure,
            f.m.note,
            occ,
            hist,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        fp: String,
        value: Option<Secret>,
        meta: Meta,
        structure: Structure,
        note: &str,
        occ: Occurrence,
        hist: Option<(Key, Change)>,
    ) {
        if self.ignore.contains(&fp) {
            self.totals.dropped.ignored += 1;
            return;
        }
        self.totals.occurrences += 1;
        if !self.entries.contains_key(&fp) {
            self.totals.distinct_secrets += 1;
            if self.entries.len() >= MAX_SECRETS {
                self.totals.secrets_not_kept += 1;
                return;
            }
            self.seq += 1;
            let confidence = lowered(meta.confidence, structure);
            let redacted = value
                .as_ref()
                .map(|v| v.redacted())
                .unwrap_or_else(|| "[redacted by importer]".into());
            let finding = SecretFinding {
                matches_known_key: self.known_fps.contains(&fp)
                    || value
                        .as_ref()
                        .is_some_and(|v| self.known.iter().any(|(k, _)| k.matches(v.expose()))),
                fingerprint: fp.clone(),
                redacted,
                rule_id: meta.rule_id.clone(),
                provider: meta.provider.clone(),
                title: meta.title.clone(),
                kind: meta.kind,
                kind_label: meta.kind.label().into(),
                can_do: meta.can_do.clone(),
                revoke: meta.revoke.clone(),
                confidence,
                context_only: meta.context_only,
                structure,
                structure_label: structure.label().into(),
                structure_note: note.into(),
                occurrence_count: 0,
                occurrences: Vec::new(),
                introduced: None,
                last_commit: None,
                removed_in: None,
                still_present: None,
                in_history: false,
                sources: Vec::new(),
                value,
            };
            let seq = self.seq;
            self.entries.insert(
                fp.clone(),
                Entry {
                    finding,
                    first_added: None,
                    last_any: None,
                    last_removed: None,
                    paths: HashMap::new(),
                    in_text: false,
                    sources: BTreeSet::new(),
                    seq,
                    priority: meta.priority,
                },
            );
        }
        let Some(e) = self.entries.get_mut(&fp) else {
            return;
        };
        // The same value found by a more specific rule elsewhere takes that rule's description.
        if meta.priority > e.priority {
            let f = &mut e.finding;
            f.confidence = lowered(meta.confidence, structure);
            f.structure = structure;
            f.structure_label = structure.label().into();
            f.structure_note = note.into();
            f.kind_label = meta.kind.label().into();
            f.kind = meta.kind;
            f.rule_id = meta.rule_id;
            f.provider = meta.provider;
            f.title = meta.title;
            f.can_do = meta.can_do;
            f.revoke = meta.revoke;
            f.context_only = meta.context_only;
            e.priority = meta.priority;
        }
        e.sources.insert(occ.source.clone());
        e.finding.occurrence_count += 1;
        match hist {
            Some((key, change)) => {
                e.finding.in_history = true;
                if let Some(c) = &occ.commit {
                    if e.last_any.is_none_or(|k| key > k) {
                        e.last_any = Some(key);
                        e.finding.last_commit = Some(c.clone());
                    }
                    match change {
                        Change::Added if e.first_added.is_none_or(|k| key < k) => {
                            e.first_added = Some(key);
                            e.finding.introduced = Some(c.clone());
                        }
                        Change::Removed if e.last_removed.is_none_or(|k| key > k) => {
                            e.last_removed = Some(key);
                            e.finding.removed_in = Some(c.clone());
                        }
                        _ => {}
                    }
                }
                let path = occ.path.clone().unwrap_or_default();
                let slot = e.paths.entry(path).or_insert((key, change));
                if key > slot.0 || (key == slot.0 && change == Change::Added) {
                    *slot = (key, change);
                }
            }
            None => e.in_text = true,
        }
        if e.finding.occurrences.len() < MAX_OCCURRENCES {
            e.finding.occurrences.push(occ);
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
                    let fp = secret.fingerprint();
                    match ours {
                        Some(m) => {
                            let rule = self.engine.rules()[m.rule];
                            self.add(
                                fp,
                                Some(secret),
                                Meta::of(rule),
                                m.structure,
                                m.note,
                                occ,
                                hist,
                            );
                        }
                        None => {
                            let meta = import_meta(imp.tool, &f.rule);
                            self.add(
                                fp,
                                Some(secret),
                                meta,
                                Structure::NotCheckable,
                                "imported; no rule of ours matched the value",
                                occ,
                                hist,
                            );
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
                    let meta = import_meta(imp.tool, &f.rule);
                    self.add(
                        fp,
                        None,
                        meta,
                        Structure::NotCheckable,
                        "imported redacted; value not available",
                        occ,
                        hist,
                    );
                }
            }
        }
    }

    /// Finishes: decides still-present, sorts, returns the report part.
    pub fn finish(self) -> ScanReport {
        let mut entries: Vec<Entry> = self.entries.into_values().collect();
        for e in entries.iter_mut() {
            e.finding.sources = e.sources.iter().cloned().collect();
            e.finding.still_present = if e.finding.in_history {
                let hist_present = e.paths.values().any(|(_, c)| *c == Change::Added);
                Some(hist_present || e.in_text)
            } else if e.in_text {
                Some(true)
            } else {
                None
            };
        }
        let rank = |s: Structure| match s {
            Structure::Valid => 0,
            Structure::NotCheckable => 1,
            Structure::Invalid => 2,
        };
        entries.sort_by(|a, b| {
            b.finding
                .confidence
                .cmp(&a.finding.confidence)
                .then(rank(a.finding.structure).cmp(&rank(b.finding.structure)))
                .then(a.seq.cmp(&b.seq))
        });
        ScanReport {
            totals: self.totals,
            secrets: entries.into_iter().map(|e| e.finding).collect(),
            known_keys: self.known.into_iter().map(|(_, r)| r).collect(),
        }
    }
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

/// A rule's confidence, one step lower when the structure is invalid.
fn lowered(c: Confidence, structure: Structure) -> Confidence {
    match (structure, c) {
        (Structure::Invalid, Confidence::High) => Confidence::Medium,
        (Structure::Invalid, _) => Confidence::Low,
        _ => c,
    }
}

fn import_meta(tool: &str, rule: &str) -> Meta {
    Meta {
        rule_id: format!("{tool}:{rule}"),
        provider: "unknown".into(),
        title: format!("{rule} (reported by {tool})"),
        kind: rules::Kind::ApiKey,
        can_do: "see the importing scanner's rule".into(),
        revoke: "identify the issuing service and rotate the credential there".into(),
        confidence: Confidence::Medium,
        context_only: false,
        priority: 0,
    }
}

/// Scans a buffer and its decodings: (match, offset of the occurrence in `buf`, encoding).
///
/// A raw match lying inside an encoded run that decoded to a finding is dropped: the encoded
/// blob is not a second secret.
pub fn scan_buffer(
    engine: &Engine,
    buf: &[u8],
    out: &mut Vec<(RawMatch, usize, Option<String>)>,
    drops: &mut DropCounts,
) {
    let mut raw = Vec::new();
    engine.scan(buf, &mut raw, drops);
    let mut decoded = Vec::new();
    let mut runs = Vec::new();
    scan_decoded(engine, buf, 1, "", &mut decoded, drops, None, &mut runs);
    out.extend(
        raw.into_iter()
            .filter(|m| !runs.iter().any(|&(s, e)| m.start < e && s < m.end))
            .map(|m| {
                let at = m.start;
                (m, at, None)
            }),
    );
    out.extend(decoded);
}

#[allow(clippy::too_many_arguments)]
fn scan_decoded(
    engine: &Engine,
    buf: &[u8],
    depth: usize,
    chain: &str,
    out: &mut Vec<(RawMatch, usize, Option<String>)>,
    drops: &mut DropCounts,
    at: Option<usize>,
    runs: &mut Vec<(usize, usize)>,
) {
    let mut decs = Vec::new();
    decode::find(buf, &mut decs);
    for d in decs {
        // Give context-only rules the line's prefix (the variable name) as context.
        let (ls, _) = engine::line_bounds(buf, d.start);
        let prefix = &buf[ls.max(d.start.saturating_sub(200))..d.start];
        let mut text = Vec::with_capacity(prefix.len() + d.bytes.len());
        text.extend_from_slice(prefix);
        text.extend_from_slice(&d.bytes);
        let enc = if chain.is_empty() {
            d.encoding.to_string()
        } else {
            format!("{chain}>{}", d.encoding)
        };
        let pos = at.unwrap_or(d.start);
        let mut raw = Vec::new();
        engine.scan(&text, &mut raw, drops);
        let before = out.len();
        for m in raw.into_iter().filter(|m| m.start >= prefix.len()) {
            out.push((m, pos, Some(enc.clone())));
        }
        if depth < decode::MAX_DEPTH {
            let mut inner = Vec::new();
            scan_decoded(
                engine,
                &d.bytes,
                depth + 1,
                &enc,
                out,
                drops,
                Some(pos),
                &mut inner,
            );
        }
        if out.len() > before && at.is_none() {
            runs.push((d.start, d.end));
        }
    }
}

impl ScanReport {
    /// The full value of one finding, by fingerprint: for an explicit, on-screen reveal only.
    pub fn reveal(&self, fingerprint: &str) -> Option<&str> {
        self.secrets
            .iter()
            .find(|s| s.fingerprint == fingerprint)
            .and_then(|s| s.reveal())
    }
}

/// Searches every input for one known key (the page's search box), without a full triage.
pub fn search_known_key(key: &KnownKey, inputs: &[Input]) -> KnownKeyReport {
    let mut report = KnownKeyReport {
        key: key.redacted(),
        form: key.form().into(),
        hit_count: 0,
        hits: Vec::new(),
    };
    for input in inputs {
        let mut problems = Problems::new(&input.name);
        if let Decoded::Text { text, .. } = decode_bytes(&input.bytes, &mut problems) {
            known_key::search(key, &input.name, text.as_bytes(), &mut report);
        }
    }
    report
}

/// Scans every input: texts, histories and patches, imports recognised by content.
pub fn scan_inputs(inputs: &[Input], opts: Options<'_>) -> ScanReport {
    scan_inputs_of_kinds(inputs, &[], opts)
}

/// Scans inputs whose kinds the evidence stage already found (`kinds[i]` for `inputs[i]`):
/// recognised usage exports, which get only the known-key search, are not decoded a second
/// time when there is no known key to search for.
pub fn scan_inputs_of_kinds(
    inputs: &[Input],
    kinds: &[EvidenceKind],
    opts: Options<'_>,
) -> ScanReport {
    let mut s = Scanner::new(opts);
    for (i, input) in inputs.iter().enumerate() {
        let scanned = |k: EvidenceKind| {
            k.is_text() || k == EvidenceKind::UnknownJson || k == EvidenceKind::UnknownCsv
        };
        if kinds
            .get(i)
            .is_none_or(|&k| scanned(k) || !opts.known_keys.is_empty())
        {
            s.scan_input(input);
        }
    }
    s.finish()
}
