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

//!
//! Files: [`scanner`] (one run: dispatch by kind, blocks, imports), [`window`] (bounded windows
//! over a stream), [`buffer`] (one buffer and its decodings), [`group`] (occurrences by
//! fingerprint), [`pair`] (an identifier and its secret as one credential), [`finding`] (the
//! reported types).

pub mod base64;
mod buffer;
pub mod decode;
mod digest;
pub mod engine;
/// Fake values of a rule's shape: a responder's rule file has its examples checked with them
/// on load, and the tests plant them.
pub mod fake;
mod finding;
pub mod gate;
mod group;
pub mod history;
pub mod import;
pub mod known_key;
pub mod pair;
pub mod placeholder;
pub mod rules;
mod scanner;
pub mod structure;
pub mod user_rules;
mod window;

use crate::evidence::source::HEAD_BYTES;
use crate::evidence::{decode_within, Decoded, EvidenceKind, Input, Problems, Source};
use known_key::{KnownKey, KnownKeyReport};

pub use buffer::scan_buffer;
pub use engine::DropCounts;
pub use finding::{Occurrence, Partner, ScanReport, ScanTotals, SecretFinding};
pub use group::{MAX_OCCURRENCES, MAX_SECRETS};
pub use history::CommitInfo as Commit;
pub use scanner::{Matcher, Scanner};
pub use user_rules::{RuleFile, RuleFileReport};

/// What the responder tells the scan: the keys known to have leaked, the findings to ignore
/// and the rules files to use besides the catalog.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Keys the responder knows leaked, searched for in every input.
    pub known_keys: &'a [KnownKey],
    /// Fingerprints of findings to leave out (false positives, accepted test keys): this
    /// run's keyed fingerprints, or `sha256:HEX` for a plain SHA-256 of the value (another
    /// tool's list).
    pub ignore_fingerprints: &'a [String],
    /// The key of the findings' fingerprints ([`crate::secret::FingerprintKey`]).
    pub fingerprint_key: crate::secret::FingerprintKey,
    /// The responder's rules files (leaktriage's rule format or gitleaks configs), used after
    /// the catalog. The triage passes the evidence files recognised as rules files.
    pub rule_files: &'a [RuleFile],
    /// The run is focused ([`crate::evidence::focus`]): its files have no limit on the bytes
    /// they inflate to together, as in the evidence stage.
    pub focused: bool,
}

/// Searches every input for one known key (the page's search box), without a full triage.
pub fn search_known_key(
    key: &KnownKey,
    inputs: &[Input],
    fingerprint_key: &crate::secret::FingerprintKey,
) -> KnownKeyReport {
    let mut report = KnownKeyReport::of(key);
    let mut run_left = crate::evidence::limits::INFLATED_RUN_BYTES;
    for input in inputs {
        let mut problems = Problems::new(&input.name);
        let (decoded, inflated) = decode_within(&input.bytes, run_left, &mut problems);
        if let Decoded::Text { text, .. } = decoded {
            known_key::search(
                key,
                &input.name,
                text.as_bytes(),
                fingerprint_key,
                &mut report,
            );
        }
        run_left = run_left.saturating_sub(inflated);
    }
    report
}

/// Scans every input: texts, histories and patches, imports recognised by content.
pub fn scan_inputs(inputs: &[Input], opts: Options<'_>) -> ScanReport {
    scan_inputs_of_kinds(inputs, &[], opts)
}

/// Scans inputs the evidence stage already read: `files[i]` is the kind it found for
/// `inputs[i]` and the bytes that file inflated to. A file of a kind the scan skips is not
/// decoded a second time when there is no known key to search for; a compressed file inflates
/// to exactly what the evidence stage read of it (the run's limit on inflated bytes is taken
/// off in the same order).
pub fn scan_inputs_of_kinds(
    inputs: &[Input],
    files: &[(EvidenceKind, u64)],
    opts: Options<'_>,
) -> ScanReport {
    scan_each(&inputs, files, opts, &|_| None, &mut |_| {})
}

/// What matching file `i` tells, known before its turn (from the evidence stage's look at its
/// text, [`quiet_by_digest`]): taken where it [`stands`] for this run's matching.
pub type Ahead<'a> = dyn Fn(usize) -> Option<Quiet> + Sync + 'a;

/// [`scan_inputs_of_kinds`], telling `done` each file's index once it is scanned.
fn scan_each(
    source: &dyn Source,
    files: &[(EvidenceKind, u64)],
    opts: Options<'_>,
    ahead: &Ahead<'_>,
    done: &mut dyn FnMut(usize),
) -> ScanReport {
    let mut s = Scanner::new(opts);
    let mut run_left = crate::evidence::limits::run_bytes(opts.focused);
    for i in 0..source.count() {
        let file = files.get(i);
        let inflated = if wanted(file, &opts) {
            match ahead(i).filter(|q| stands(q, file, run_left, &opts)) {
                Some(q) => take_quiet(&mut s, source.name(i), q),
                None => scan_one(&mut s, source, i, run_left, file.map(|f| f.0), &opts),
            }
        } else {
            0
        };
        run_left = run_left.saturating_sub(file.map_or(inflated, |f| f.1));
        done(i);
    }
    s.finish()
}

/// Whether what matching a file told elsewhere stands for this run's matching of it: the run
/// has no known key and no rules file, the evidence stage found the same kind and inflated
/// size, and the file inflated to less than the earlier files left of the run's limit.
fn stands(
    q: &Quiet,
    file: Option<&(EvidenceKind, u64)>,
    run_left: u64,
    opts: &Options<'_>,
) -> bool {
    opts.known_keys.is_empty()
        && opts.rule_files.is_empty()
        && file.is_some_and(|f| q.kind == Some(f.0) && q.inflated == f.1 && f.1 < run_left)
}

/// Takes what matching a file told elsewhere, in its turn. Returns the bytes it inflated to.
fn take_quiet(s: &mut Scanner, name: &str, q: Quiet) -> u64 {
    q.told.into_iter().for_each(|t| s.take(name, t.into()));
    q.inflated
}

/// What matching a file's decoded text tells, by its digest alone, when that settles it
/// ([`Matcher::quiet_by_digest`]); `inflated`: the bytes it inflated to (0: not compressed).
/// The evidence stage asks it while it holds the text, so the scan need not decode the file
/// again; `heard`: the digest it made while it walked the text's records
/// ([`Matcher::listener`]).
pub fn quiet_by_digest(
    matcher: &scanner::Matcher<'_>,
    kind: EvidenceKind,
    text: &str,
    inflated: u64,
    heard: Option<Vec<u8>>,
) -> Option<Quiet> {
    matcher.quiet_by_digest(kind, text, heard).then(|| Quiet {
        kind: Some(kind),
        inflated,
        told: vec![
            Told::Scanned {
                bytes: text.len() as u64,
            },
            Told::Counts {
                drops: engine::DropCounts::default(),
                commits: 0,
                malformed: 0,
            },
        ],
    })
}

/// Whether the scan reads a file the evidence stage found of this kind (none: not read by it).
fn wanted(file: Option<&(EvidenceKind, u64)>, opts: &Options<'_>) -> bool {
    let scanned = |k: EvidenceKind| {
        k.is_text()
            || k.is_usage()
            || k.is_agent()
            || k == EvidenceKind::UnknownJson
            || k == EvidenceKind::UnknownCsv
    };
    file.is_none_or(|&(k, _)| scanned(k) || !opts.known_keys.is_empty())
}

/// Scans file `i` in its turn: from its stream when its source would rather stream it and that
/// finds what the whole text would ([`streams`]), else whole. A file that could not be read
/// has its row saying so; nothing is scanned. Returns the bytes it inflated to.
fn scan_one(
    s: &mut Scanner,
    source: &dyn Source,
    i: usize,
    run_left: u64,
    kind: Option<EvidenceKind>,
    opts: &Options<'_>,
) -> u64 {
    if let Some(kind) = kind.filter(|&k| streams(source, i, Some(k), opts)) {
        if let Ok(mut reader) = source.stream(i) {
            match crate::evidence::source::head(&mut reader, HEAD_BYTES) {
                Ok(start) if crate::evidence::plain_text_head(&start) => {
                    let mut whole = std::io::Read::chain(&start[..], reader);
                    // A stream that fails part of the way is named by its source.
                    let _ = s.scan_stream_sized(source.name(i), &mut whole, kind, source.size(i));
                    return 0;
                }
                Ok(_) => {}
                Err(_) => return 0,
            }
        }
    }
    match source.input(i) {
        // The evidence stage sniffed the same decoded text: its kind is not sniffed again.
        Ok(input) => s.scan_input_of_kind(&input, run_left, kind),
        Err(_) => 0,
    }
}

/// Whether file `i` is scanned from its stream: its source would rather stream it, the evidence
/// stage found a text, history or patch (plain UTF-8 is checked on the stream's head), and
/// there is no known key to search for (the known-key search reads a text whole).
fn streams(source: &dyn Source, i: usize, kind: Option<EvidenceKind>, opts: &Options<'_>) -> bool {
    source.streamed(i) && kind.is_some_and(EvidenceKind::is_text) && opts.known_keys.is_empty()
}

/// Matches past which a file matched on another thread is matched again on the merging one,
/// where each match is collected as it is found (memory then holds the capped findings only).
const HELD_MATCHES: usize = 100_000;

/// [`scan_inputs_of_kinds`] on up to `jobs` threads: each file is inflated and matched on any
/// of them, and what each found is collected in input order, so the report is exactly the one
/// thread's. `done` is told each file's index once it is collected. With one job (and in the
/// page's wasm) it is [`scan_inputs_of_kinds`], each match collected as it is found.
pub fn scan_inputs_jobs(
    inputs: &[Input],
    files: &[(EvidenceKind, u64)],
    opts: Options<'_>,
    jobs: usize,
    done: &mut dyn FnMut(usize),
) -> ScanReport {
    scan_source_jobs(&inputs, files, opts, jobs, &|_| None, done)
}

/// [`scan_inputs_jobs`] over files asked of `source` when their turn comes: a file's bytes are
/// held while it is matched, so memory holds at most about `2 * jobs + 1` files' bytes.
pub fn scan_source_jobs(
    source: &dyn Source,
    files: &[(EvidenceKind, u64)],
    opts: Options<'_>,
    jobs: usize,
    ahead: &Ahead<'_>,
    done: &mut dyn FnMut(usize),
) -> ScanReport {
    scan_jobs_holding(source, files, opts, jobs, HELD_MATCHES, ahead, done)
}

/// [`scan_inputs_jobs`], a file matched elsewhere being matched again on the merging thread
/// past `held` matches.
#[allow(clippy::too_many_arguments)]
fn scan_jobs_holding(
    source: &dyn Source,
    files: &[(EvidenceKind, u64)],
    opts: Options<'_>,
    jobs: usize,
    held: usize,
    ahead: &Ahead<'_>,
    done: &mut dyn FnMut(usize),
) -> ScanReport {
    // Without the evidence stage's kinds and sizes a file's share of the run's limit on
    // inflated bytes is known only once the files before it are inflated: one thread.
    let n = source.count();
    if jobs <= 1 || files.len() != n || cfg!(target_arch = "wasm32") {
        return scan_each(source, files, opts, ahead, done);
    }
    // A history streamed in its turn is matched in parts on `jobs` threads too.
    let mut s = Scanner::new(opts).with_jobs(jobs);
    let matcher = s.matcher();
    let mut run_left = Vec::with_capacity(n);
    let mut left = crate::evidence::limits::run_bytes(opts.focused);
    for f in files {
        run_left.push(left);
        left = left.saturating_sub(f.1);
    }
    crate::evidence::parallel::ordered_with(
        n,
        jobs,
        || matcher.for_thread(),
        |matcher, i| {
            let mut seen = Vec::new();
            if !wanted(files.get(i), &opts) {
                return Some(seen);
            }
            if let Some(q) = ahead(i).filter(|q| stands(q, files.get(i), run_left[i], &opts)) {
                seen.extend(q.told.into_iter().map(scanner::Seen::from));
                return Some(seen);
            }
            // A file scanned from its stream is scanned in its turn, on the merging thread.
            if streams(source, i, files.get(i).map(|f| f.0), &opts) {
                return None;
            }
            // A file that could not be read has its row saying so; nothing to scan.
            let Ok(input) = source.input(i) else {
                return Some(seen);
            };
            let mut problems = Problems::new(&input.name);
            let (decoded, _) = decode_within(&input.bytes, run_left[i], &mut problems);
            let Decoded::Text { text, .. } = decoded else {
                return Some(seen);
            };
            let mut matches = 0usize;
            // The evidence stage sniffed the same decoded text: its kind is not sniffed again.
            let kind = files
                .get(i)
                .map_or_else(|| crate::evidence::sniff(&text), |f| f.0);
            matcher.file(&input.name, &text, kind, &mut |x| {
                matches += usize::from(matches!(x, scanner::Seen::Match(_)));
                if matches <= held {
                    seen.push(x);
                }
            });
            (matches <= held).then_some(seen)
        },
        |i, seen| {
            match seen {
                Some(seen) => seen.into_iter().for_each(|x| s.take(source.name(i), x)),
                None => {
                    scan_one(
                        &mut s,
                        source,
                        i,
                        run_left[i],
                        files.get(i).map(|f| f.0),
                        &opts,
                    );
                }
            }
            done(i);
        },
    );
    s.finish()
}

/// What matching one file on its own told, when it found nothing the run must collect itself:
/// no match, no other scanner's report to import. The page's helper workers make it
/// ([`match_alone`]) while its main worker reads the evidence; [`scan_inputs_given`] takes it in
/// the file's turn. It holds counts only: no value found ever travels between workers.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Quiet {
    /// The kind sniffed from the decoded text; `None` when the file is not text.
    pub kind: Option<EvidenceKind>,
    /// The bytes a compressed file inflated to (0 for a file that is not compressed).
    pub inflated: u64,
    /// What matching told, in order.
    pub told: Vec<Told>,
}

/// One thing a quiet file's matching told the run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "told", rename_all = "snake_case")]
pub enum Told {
    /// The file is scanned: its bytes.
    Scanned {
        /// The bytes.
        bytes: u64,
    },
    /// The file's counts.
    Counts {
        /// Matches dropped, by reason.
        drops: DropCounts,
        /// Commits seen.
        commits: u64,
        /// Lines of a patch that could not be read.
        malformed: u64,
    },
}

impl From<Told> for scanner::Seen {
    fn from(t: Told) -> Self {
        match t {
            Told::Scanned { bytes } => scanner::Seen::Scanned(bytes),
            Told::Counts {
                drops,
                commits,
                malformed,
            } => scanner::Seen::Counts {
                drops,
                commits,
                malformed,
            },
        }
    }
}

/// Matches one file alone, with the catalog only (no known key, no responder's rules file),
/// inflating it within the whole run's limit. `None` when matching it told anything but bytes
/// and counts (a match, a report to import): the run then matches it again in its turn.
pub fn match_alone(input: &Input) -> Option<Quiet> {
    let matcher = Scanner::new(Options::default()).matcher();
    let mut problems = Problems::new(&input.name);
    let (decoded, inflated) = decode_within(
        &input.bytes,
        crate::evidence::limits::INFLATED_RUN_BYTES,
        &mut problems,
    );
    let Decoded::Text { text, .. } = decoded else {
        return Some(Quiet {
            kind: None,
            inflated,
            told: Vec::new(),
        });
    };
    let kind = crate::evidence::sniff(&text);
    let mut told = Vec::new();
    let quiet = matcher.quiet(&input.name, &text, kind, &mut |x| match x {
        scanner::Seen::Scanned(bytes) => told.push(Told::Scanned { bytes }),
        scanner::Seen::Counts {
            drops,
            commits,
            malformed,
        } => told.push(Told::Counts {
            drops,
            commits,
            malformed,
        }),
        _ => {}
    });
    quiet.then_some(Quiet {
        kind: Some(kind),
        inflated,
        told,
    })
}

/// [`scan_inputs_of_kinds`] where files may have been matched alone beforehand: `given(i)` is
/// what [`match_alone`] told of file `i`, if it was matched so. It is taken in the file's turn
/// when it stands for what this run's matching would tell: the run has no known key and no rules
/// file, the evidence stage found the same kind and inflated size, and the file inflated to less
/// than the earlier files left of the run's limit. Every other file is matched here, in its
/// turn. The report is exactly [`scan_inputs_of_kinds`]'s; with it, how many files were taken
/// from `given`. `done` is told each file's index.
pub fn scan_inputs_given(
    source: &dyn Source,
    files: &[(EvidenceKind, u64)],
    opts: Options<'_>,
    given: &mut dyn FnMut(usize) -> Option<Quiet>,
    ahead: &Ahead<'_>,
    done: &mut dyn FnMut(usize),
) -> (ScanReport, u64) {
    let mut s = Scanner::new(opts);
    let mut run_left = crate::evidence::limits::run_bytes(opts.focused);
    let mut taken = 0u64;
    for i in 0..source.count() {
        let file = files.get(i);
        let alone = given(i);
        let inflated = if wanted(file, &opts) {
            let stands = |q: &Quiet| stands(q, file, run_left, &opts);
            match alone.filter(stands) {
                Some(q) => {
                    taken += 1;
                    take_quiet(&mut s, source.name(i), q)
                }
                None => match ahead(i).filter(stands) {
                    Some(q) => take_quiet(&mut s, source.name(i), q),
                    None => scan_one(&mut s, source, i, run_left, file.map(|f| f.0), &opts),
                },
            }
        } else {
            0
        };
        run_left = run_left.saturating_sub(file.map_or(inflated, |f| f.1));
        done(i);
    }
    (s.finish(), taken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::fake::{generate, Rng};

    /// On several threads the scan's report is the one thread's, for files matched on other
    /// threads and for files with more matches than are held (matched again in their turn).
    #[test]
    fn the_scan_on_several_threads_is_the_one_thread_scan() {
        let mut rng = Rng::new(3);
        let keys: Vec<String> = (0..5)
            .map(|_| generate("ghp_{an:30}{crc}", &mut rng).secret)
            .collect();
        let inputs: Vec<Input> = (0..12)
            .map(|i| {
                let text: String = (0..=i)
                    .map(|j| format!("line {j}\nTOKEN={}\n", keys[(i + j) % 5]))
                    .collect();
                Input::new(format!("f{i:02}.txt"), text)
            })
            .collect();
        let known = [KnownKey::parse(&keys[1]).unwrap()];
        let opts = Options {
            known_keys: &known,
            ..Options::default()
        };
        let files: Vec<_> = inputs
            .iter()
            .map(|i| (crate::evidence::inventory(i).kind, 0))
            .collect();
        let one = scan_inputs_of_kinds(&inputs, &files, opts);
        assert_eq!(one.totals.occurrences, 78);
        for (jobs, held) in [(2, HELD_MATCHES), (3, 4), (4, 0)] {
            let mut done = Vec::new();
            let many = scan_jobs_holding(
                &&inputs[..],
                &files,
                opts,
                jobs,
                held,
                &|_| None,
                &mut |i| done.push(i),
            );
            assert_eq!(many, one, "{jobs} jobs, {held} held");
            assert_eq!(done, (0..12).collect::<Vec<_>>());
        }
    }

    /// Files matched alone (the page's helper workers) and taken in their turn give the report
    /// of one run: quiet files are taken, files with a finding, a known key or a rules file are
    /// matched again.
    #[test]
    fn files_matched_alone_and_taken_in_turn_give_the_one_run_report() {
        use std::io::Write;
        let mut rng = Rng::new(11);
        let key = generate("ghp_{an:30}{crc}", &mut rng).secret;
        let gz = |t: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(t).unwrap();
            e.finish().unwrap()
        };
        let clean = "nothing to see here\nPASSWORD=changeme\n".repeat(50);
        let inputs = vec![
            Input::new("clean.log", clean.clone()),
            Input::new("leak.env", format!("GITHUB_TOKEN={key}\n")),
            Input::new("clean.log.gz", gz(clean.as_bytes())),
            Input::new("empty.txt", Vec::new()),
            Input::new(
                "blob.bin",
                (0..=255u8).cycle().take(2048).collect::<Vec<_>>(),
            ),
            Input::new("again.log", clean.clone()),
        ];
        let files: Vec<_> = inputs
            .iter()
            .map(|i| {
                let f = crate::evidence::inventory(i);
                (f.kind, f.inflated_size.unwrap_or(0))
            })
            .collect();
        let alone: Vec<_> = inputs.iter().map(match_alone).collect();
        let quiet: Vec<bool> = alone.iter().map(Option::is_some).collect();
        assert_eq!(quiet, [true, false, true, true, true, true]);
        let known = [KnownKey::parse(&key).unwrap()];
        let rules = [RuleFile {
            name: "rules.toml".into(),
            text: String::new(),
        }];
        for (opts, taken) in [
            (Options::default(), 3),
            (
                Options {
                    known_keys: &known,
                    ..Options::default()
                },
                0,
            ),
            (
                Options {
                    rule_files: &rules,
                    ..Options::default()
                },
                0,
            ),
        ] {
            let one = scan_inputs_of_kinds(&inputs, &files, opts);
            let (mut asked, mut done) = (Vec::new(), Vec::new());
            let given = scan_inputs_given(
                &inputs.as_slice(),
                &files,
                opts,
                &mut |i| {
                    asked.push(i);
                    alone[i].clone()
                },
                &|_| None,
                &mut |i| done.push(i),
            );
            assert_eq!(given, (one, taken));
            assert_eq!(asked, (0..inputs.len()).collect::<Vec<_>>());
            assert_eq!(done, asked);
        }
        assert_eq!(
            scan_inputs_of_kinds(&inputs, &files, Options::default())
                .totals
                .files_scanned,
            4
        );
    }

    /// A usage export found quiet by its digest while the evidence stage held its text is taken
    /// in its turn, and the report is the one of matching every file, on one thread and on
    /// several: the demo's CloudTrail and usage exports are quiet; an export with a secret, the
    /// texts, and every file of a run with a known key are not taken from it.
    #[test]
    fn files_found_quiet_by_their_digest_are_the_run_s_own_matching() {
        let mut inputs = crate::demo::inputs();
        let shape = rules::catalog()
            .iter()
            .find(|r| r.id == "openai-project-key")
            .expect("the rule")
            .shape;
        let secret = generate(shape, &mut Rng::new(5)).secret;
        inputs.push(Input::new(
            "usage-leak.json",
            format!(
                "[{{\"timestamp\":\"2026-01-01T00:00:00Z\",\"model\":\"gpt-4o\",\"user_agent\":\"x {secret}\"}}]"
            ),
        ));
        let matcher = Scanner::new(Options::default()).matcher();
        let (mut files, mut quiet) = (Vec::new(), Vec::new());
        for input in &inputs {
            let row = crate::evidence::inventory(input);
            let inflated = row.inflated_size.unwrap_or(0);
            files.push((row.kind, inflated));
            let mut problems = Problems::new(&input.name);
            let (decoded, _) = decode_within(&input.bytes, u64::MAX, &mut problems);
            quiet.push(match decoded {
                Decoded::Text { text, .. } => {
                    quiet_by_digest(&matcher, row.kind, &text, inflated, None)
                }
                _ => None,
            });
        }
        let quiet_names: Vec<&str> = inputs
            .iter()
            .zip(&quiet)
            .filter(|(_, q)| q.is_some())
            .map(|(i, _)| i.name.as_str())
            .collect();
        assert_eq!(
            quiet_names,
            ["openai-usage-export.csv", "cloudtrail-bedrock.json.gz"]
        );
        let known = [KnownKey::parse(&secret).unwrap()];
        for (opts, taken) in [
            (Options::default(), 2),
            (
                Options {
                    known_keys: &known,
                    ..Options::default()
                },
                0,
            ),
        ] {
            let one = scan_inputs_of_kinds(&inputs, &files, opts);
            assert!(!one.secrets.is_empty());
            for jobs in [1, 2] {
                let asked = std::sync::atomic::AtomicUsize::new(0);
                let ahead = |i: usize| {
                    asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    quiet[i].clone()
                };
                let many = scan_source_jobs(&&inputs[..], &files, opts, jobs, &ahead, &mut |_| {});
                assert_eq!(many, one, "{jobs} jobs");
                // What a file told ahead is taken: a forged count shows it.
                let forged = |i: usize| {
                    quiet[i].clone().map(|mut q| {
                        q.told[0] = Told::Scanned { bytes: 7 };
                        q
                    })
                };
                let f = scan_source_jobs(&&inputs[..], &files, opts, jobs, &forged, &mut |_| {});
                let want = one.totals.bytes_scanned
                    - if taken > 0 {
                        quiet
                            .iter()
                            .flatten()
                            .map(|q| match q.told[0] {
                                Told::Scanned { bytes } => bytes - 7,
                                _ => 0,
                            })
                            .sum::<u64>()
                    } else {
                        0
                    };
                assert_eq!(f.totals.bytes_scanned, want, "{jobs} jobs, {taken} taken");
                assert!(asked.into_inner() >= taken);
            }
        }
    }

    /// What a quiet file told is what the run counts for it, and only when it stands for the
    /// run's own matching (same kind and inflated size).
    #[test]
    fn a_quiet_file_is_taken_only_where_it_stands_for_the_run() {
        let inputs = [Input::new("a.log", "plain line\n".repeat(10))];
        let files = [(crate::evidence::inventory(&inputs[0]).kind, 0)];
        let opts = Options::default();
        let one = scan_inputs_of_kinds(&inputs, &files, opts);
        let mut told = match_alone(&inputs[0]).unwrap();
        assert_eq!(told.kind, Some(files[0].0));
        told.told = vec![Told::Scanned { bytes: 7 }];
        let (forged, _) = scan_inputs_given(
            &inputs.as_slice(),
            &files,
            opts,
            &mut |_| Some(told.clone()),
            &|_| None,
            &mut |_| {},
        );
        assert_eq!(forged.totals.bytes_scanned, 7, "taken, not matched again");
        assert_ne!(forged, one);
        for other in [
            Quiet {
                kind: Some(EvidenceKind::Env),
                ..told.clone()
            },
            Quiet {
                inflated: 5,
                ..told.clone()
            },
        ] {
            let again = scan_inputs_given(
                &inputs.as_slice(),
                &files,
                opts,
                &mut |_| Some(other.clone()),
                &|_| None,
                &mut |_| {},
            );
            assert_eq!(again, (one.clone(), 0), "{other:?} is matched again");
        }
        // It travels between workers as JSON.
        let json = serde_json::to_string(&told).unwrap();
        assert_eq!(serde_json::from_str::<Quiet>(&json).unwrap(), told);
    }
}
