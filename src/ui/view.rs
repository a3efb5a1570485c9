//! The report as the page reads it: the documented JSON schema (docs/report-schema.md),
//! deserialised. The page is one more reader of the same contract as any other consumer, and
//! ignores fields it does not show.

use serde::Deserialize;

/// The parts of the report the page shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReportView {
    /// Schema version.
    pub schema_version: u32,
    /// When the report was made.
    #[serde(default)]
    pub generated_at: Option<String>,
    /// The evidence inventory.
    pub evidence: Vec<EvidenceView>,
    /// Totals over the inventory.
    pub totals: TotalsView,
}

/// One file of the inventory.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EvidenceView {
    /// Name as given.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
    /// Kind id.
    pub kind: String,
    /// Kind in words.
    pub kind_label: String,
    /// `gzip` when compressed.
    #[serde(default)]
    pub compression: Option<String>,
    /// Records read.
    pub records: u64,
    /// Assumptions made.
    #[serde(default)]
    pub assumptions: Vec<String>,
    /// A note about the whole file.
    #[serde(default)]
    pub note: Option<String>,
    /// Problems in all.
    pub problem_count: u64,
    /// The first problems.
    #[serde(default)]
    pub problems: Vec<ProblemView>,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ProblemView {
    /// 1-based line.
    #[serde(default)]
    pub line: Option<u64>,
    /// 0-based record.
    #[serde(default)]
    pub record: Option<u64>,
    /// Column or field.
    #[serde(default)]
    pub column: Option<String>,
    /// What was wrong.
    pub message: String,
}

/// Totals.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TotalsView {
    /// Files.
    pub files: u64,
    /// Bytes.
    pub bytes: u64,
    /// Records.
    pub records: u64,
    /// Problems.
    pub problems: u64,
}

impl ReportView {
    /// Reads a report's JSON.
    pub fn from_json(json: &str) -> Result<Self, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{triage, Context, Input};

    #[test]
    fn the_engine_report_reads_back_through_the_view() {
        let inputs = vec![
            Input::new("a.env", "A=1\n"),
            Input::new("b.csv", b"x,y\n\xe9,1\n".to_vec()),
        ];
        let r = triage(&inputs, &Context::default());
        let v = ReportView::from_json(&r.to_json()).unwrap();
        assert_eq!(v.evidence.len(), 2);
        assert_eq!(v.evidence[0].kind, "env");
        assert_eq!(v.evidence[0].sha256, r.evidence[0].sha256);
        assert_eq!(v.evidence[1].problems[0].line, Some(2));
        assert_eq!(v.totals.files, 2);
    }
}
