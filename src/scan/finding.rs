//! What the scan reports: each distinct secret with its occurrences, and the totals.

use super::history::{Change, CommitInfo};
use super::known_key::KnownKeyReport;
use super::rules::{self, Confidence};
use super::structure::Structure;
use super::user_rules::RuleFileReport;
use super::DropCounts;
use crate::secret::{Secret, ValueKind};
use serde::Serialize;

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
    /// The line carries `gitleaks:allow`: the repository's own claim that the value is no
    /// secret (a test value, an example). The value is still reported: a real key committed
    /// with the mark to get past a pre-commit hook is still leaked.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub marked_allowed: bool,
}

/// One distinct secret, with everything known about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecretFinding {
    /// HMAC-SHA256 of the value under the run's fingerprint key: use it to match and to ignore.
    pub fingerprint: String,
    /// The value as shown ([`crate::secret::redact`]): a secret redacted, an identifier whole;
    /// for a pair, both parts (`AKIA… + …wxyz`).
    pub redacted: String,
    /// `secret` (shown redacted) or `identifier` (a documented, non-secret id, shown whole).
    pub value_kind: ValueKind,
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
    /// Every occurrence is on a line marked `gitleaks:allow`: reported, at low confidence.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub marked_allowed: bool,
    /// The responder's rules file whose rule describes it (absent for the built-in catalog).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules_file: Option<String>,
    /// The identifier found with this secret (an AWS access key id beside its secret access
    /// key): the two are one credential ([`super::pair`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner: Option<Box<Partner>>,
    /// The value, for an explicit on-screen reveal only; never serialised.
    #[serde(skip)]
    pub(super) value: Option<Secret>,
}

/// The identifier half of a credential pair, found beside its secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partner {
    /// What it is to the secret (`access key id`).
    pub role: String,
    /// Its fingerprint (as a finding of its own would have it).
    pub fingerprint: String,
    /// As shown: an identifier whole.
    pub redacted: String,
    /// `identifier`.
    pub value_kind: ValueKind,
    /// The rule that found it.
    pub rule_id: String,
    /// Its title.
    pub title: String,
    /// Its credential kind.
    pub kind: rules::Kind,
    /// Occurrences of it found in all.
    pub occurrence_count: u64,
    /// Its first occurrences (capped like a finding's).
    pub occurrences: Vec<Occurrence>,
    /// The value; never serialised.
    #[serde(skip)]
    pub(super) value: Option<Secret>,
}

impl Partner {
    /// The full value (an identifier), for the hunts and the scope's usage links.
    pub fn reveal(&self) -> Option<&str> {
        self.value.as_ref().map(|s| s.expose())
    }
}

impl SecretFinding {
    /// The value as the text summary and the Markdown report show it: [`SecretFinding::redacted`]
    /// with each identifier labelled (`AKIA… (identifier) + …wxyz`).
    pub fn labelled(&self) -> String {
        const LABEL: &str = " (identifier)";
        match (&self.partner, self.value_kind) {
            (Some(p), _) => match self.redacted.strip_prefix(p.redacted.as_str()) {
                Some(rest) if p.value_kind == ValueKind::Identifier => {
                    format!("{}{LABEL}{rest}", p.redacted)
                }
                _ => self.redacted.clone(),
            },
            (None, ValueKind::Identifier) => format!("{}{LABEL}", self.redacted),
            (None, ValueKind::Secret) => self.redacted.clone(),
        }
    }

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
    /// The public id of the key the fingerprints were made with (HMAC-SHA256 of each secret):
    /// fingerprints of two reports are comparable when their ids are equal; `unkeyed` when no
    /// key was given.
    pub fingerprint_key_id: String,
    /// The responder's rules files and what became of each (rules loaded, problems).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rule_files: Vec<RuleFileReport>,
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

#[cfg(test)]
mod tests {

    use crate::evidence::EvidenceKind;
    use crate::scan::{Options, Scanner};

    #[test]
    fn the_value_is_revealed_on_request_and_never_serialised() {
        let key =
            crate::scan::fake::generate("ghp_{an:30}{crc}", &mut crate::scan::fake::Rng::new(5));
        let mut s = Scanner::new(Options::default());
        s.scan_text(
            "a.env",
            &format!("GITHUB_TOKEN={}\n", key.secret),
            EvidenceKind::Env,
        );
        let report = s.finish();
        let f = &report.secrets[0];
        assert_eq!(report.reveal(&f.fingerprint), Some(key.secret.as_str()));
        assert_eq!(report.reveal("not-a-fingerprint"), None);
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains(&key.secret));
        assert!(json.contains(&f.redacted));
    }
}
