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
//! Files: [`scanner`] (one run: dispatch by kind, blocks, imports), [`buffer`] (one buffer and
//! its decodings), [`group`] (occurrences by fingerprint), [`pair`] (an identifier and its secret
//! as one credential), [`finding`] (the reported types).

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

use crate::evidence::{decode_within, Decoded, EvidenceKind, Input, Problems};
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
    let mut report = KnownKeyReport {
        key: key.redacted(),
        form: key.form().into(),
        hit_count: 0,
        hits: Vec::new(),
    };
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
    let mut s = Scanner::new(opts);
    let mut run_left = crate::evidence::limits::INFLATED_RUN_BYTES;
    for (i, input) in inputs.iter().enumerate() {
        let scanned = |k: EvidenceKind| {
            k.is_text()
                || k.is_usage()
                || k.is_agent()
                || k == EvidenceKind::UnknownJson
                || k == EvidenceKind::UnknownCsv
        };
        let file = files.get(i);
        let inflated = if file.is_none_or(|&(k, _)| scanned(k) || !opts.known_keys.is_empty()) {
            s.scan_input(input, run_left)
        } else {
            0
        };
        run_left = run_left.saturating_sub(file.map_or(inflated, |f| f.1));
    }
    s.finish()
}
