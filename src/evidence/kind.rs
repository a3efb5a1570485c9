//! The kinds of evidence the engine tells apart.

use serde::Serialize;

/// What an evidence file is, judged from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// No bytes.
    Empty,
    /// Not text.
    Binary,
    /// JSON of a shape the engine does not know.
    UnknownJson,
    /// CSV with a header the engine does not know.
    UnknownCsv,
    /// `git log -p` output (any `--pretty`).
    GitLog,
    /// `git format-patch` output (mbox).
    Mbox,
    /// A plain unified diff.
    Diff,
    /// A dotenv file (`KEY=value` lines).
    Env,
    /// Any other text (CI logs, config files, source).
    Text,
}

impl EvidenceKind {
    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::Empty => "empty",
            EvidenceKind::Binary => "binary (not analysed)",
            EvidenceKind::UnknownJson => "unknown (JSON)",
            EvidenceKind::UnknownCsv => "unknown (CSV)",
            EvidenceKind::GitLog => "git log -p",
            EvidenceKind::Mbox => "git format-patch (mbox)",
            EvidenceKind::Diff => "unified diff",
            EvidenceKind::Env => ".env file",
            EvidenceKind::Text => "text",
        }
    }

    /// Kinds read as text lines by the scanner.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            EvidenceKind::GitLog
                | EvidenceKind::Mbox
                | EvidenceKind::Diff
                | EvidenceKind::Env
                | EvidenceKind::Text
        )
    }
}
