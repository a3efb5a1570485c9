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
pub use scanner::Scanner;
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
    scan_each(&inputs, files, opts, &mut |_| {})
}

/// [`scan_inputs_of_kinds`], telling `done` each file's index once it is scanned.
fn scan_each(
    source: &dyn Source,
    files: &[(EvidenceKind, u64)],
    opts: Options<'_>,
    done: &mut dyn FnMut(usize),
) -> ScanReport {
    let mut s = Scanner::new(opts);
    let mut run_left = crate::evidence::limits::INFLATED_RUN_BYTES;
    for i in 0..source.count() {
        let file = files.get(i);
        let inflated = if wanted(file, &opts) {
            scan_one(&mut s, source, i, run_left, file.map(|f| f.0), &opts)
        } else {
            0
        };
        run_left = run_left.saturating_sub(file.map_or(inflated, |f| f.1));
        done(i);
    }
    s.finish()
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
                    let _ = s.scan_stream(source.name(i), &mut whole, kind);
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
    scan_source_jobs(&inputs, files, opts, jobs, done)
}

/// [`scan_inputs_jobs`] over files asked of `source` when their turn comes: a file's bytes are
/// held while it is matched, so memory holds at most about `2 * jobs + 1` files' bytes.
pub fn scan_source_jobs(
    source: &dyn Source,
    files: &[(EvidenceKind, u64)],
    opts: Options<'_>,
    jobs: usize,
    done: &mut dyn FnMut(usize),
) -> ScanReport {
    scan_jobs_holding(source, files, opts, jobs, HELD_MATCHES, done)
}

/// [`scan_inputs_jobs`], a file matched elsewhere being matched again on the merging thread
/// past `held` matches.
fn scan_jobs_holding(
    source: &dyn Source,
    files: &[(EvidenceKind, u64)],
    opts: Options<'_>,
    jobs: usize,
    held: usize,
    done: &mut dyn FnMut(usize),
) -> ScanReport {
    // Without the evidence stage's kinds and sizes a file's share of the run's limit on
    // inflated bytes is known only once the files before it are inflated: one thread.
    let n = source.count();
    if jobs <= 1 || files.len() != n || cfg!(target_arch = "wasm32") {
        return scan_each(source, files, opts, done);
    }
    let mut s = Scanner::new(opts);
    let matcher = s.matcher().with_jobs(jobs);
    let mut run_left = Vec::with_capacity(n);
    let mut left = crate::evidence::limits::INFLATED_RUN_BYTES;
    for f in files {
        run_left.push(left);
        left = left.saturating_sub(f.1);
    }
    crate::evidence::parallel::ordered(
        n,
        jobs,
        |i| {
            let mut seen = Vec::new();
            if !wanted(files.get(i), &opts) {
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
            let many = scan_jobs_holding(&&inputs[..], &files, opts, jobs, held, &mut |i| {
                done.push(i)
            });
            assert_eq!(many, one, "{jobs} jobs, {held} held");
            assert_eq!(done, (0..12).collect::<Vec<_>>());
        }
    }
}
