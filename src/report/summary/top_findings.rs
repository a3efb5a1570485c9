//! The top findings: alerts and leaked secrets of medium severity or above, most severe first.

use crate::detect::{Alert, Severity};
use crate::report::Report;
use crate::scan::rules::Confidence;
use crate::scan::structure::Structure;
use serde::Serialize;

/// Top findings kept in the summary.
pub const MAX_TOP_FINDINGS: usize = 10;

/// One of the top findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopFinding {
    /// The alert id (`A006`) or the secret's fingerprint prefix (`S:9cd98c77a39f`).
    pub id: String,
    /// `alert` or `secret`.
    pub source: String,
    /// How serious.
    pub severity: Severity,
    /// What it is.
    pub title: String,
    /// The sentence or the location.
    pub detail: String,
}

fn secret_severity(s: &crate::scan::SecretFinding) -> Severity {
    match (s.confidence, s.structure) {
        (Confidence::High, Structure::Valid) => Severity::High,
        (Confidence::High, _) | (Confidence::Medium, _) => Severity::Medium,
        (Confidence::Low, _) => Severity::Low,
    }
}

pub(super) fn top_findings(r: &Report) -> (Vec<TopFinding>, u64) {
    // (severity, source rank, position): leaked secrets before alerts of the same severity
    // (each is a credential to revoke), secrets in the scan's order (most serious first),
    // alerts by start time.
    let mut all: Vec<(Severity, u8, usize, TopFinding)> = Vec::new();
    for (n, s) in r.scan.secrets.iter().enumerate() {
        let sev = secret_severity(s);
        let at = s
            .occurrences
            .first()
            .map(|o| format!("{}:{}", o.path.as_deref().unwrap_or(&o.evidence), o.line))
            .unwrap_or_default();
        all.push((
            sev,
            0,
            n,
            TopFinding {
                id: format!("S:{}", s.fingerprint.chars().take(12).collect::<String>()),
                source: "secret".into(),
                severity: sev,
                title: format!("{} {} {} leaked", s.provider, s.kind_label, s.redacted),
                detail: format!(
                    "{} occurrence(s), first at {at}; {}; still present: {}. Revoke: {}",
                    s.occurrence_count,
                    s.structure_label,
                    match s.still_present {
                        Some(true) => "yes",
                        Some(false) => "no (still in history)",
                        None => "unknown",
                    },
                    s.revoke
                ),
            },
        ));
    }
    let mut alerts: Vec<&Alert> = r.detection.alerts.iter().collect();
    alerts.sort_by_key(|a| a.start);
    for (n, a) in alerts.into_iter().enumerate() {
        all.push((
            a.severity,
            1,
            n,
            TopFinding {
                id: a.id.clone(),
                source: "alert".into(),
                severity: a.severity,
                title: format!("{} on {}", a.kind.as_str().replace('_', " "), a.key),
                detail: a.sentence.clone(),
            },
        ));
    }
    all.retain(|f| f.0 >= Severity::Medium);
    all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let total = all.len() as u64;
    (
        all.into_iter()
            .take(MAX_TOP_FINDINGS)
            .map(|f| f.3)
            .collect(),
        total,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::demo_report;
    use crate::Context;

    #[test]
    fn top_findings_are_most_severe_first_and_capped() {
        let s = demo_report(&Context::default()).summary;
        assert!(!s.top_findings.is_empty());
        assert!(s.top_findings.len() <= MAX_TOP_FINDINGS);
        assert!(s
            .top_findings
            .windows(2)
            .all(|w| w[0].severity >= w[1].severity));
        assert_eq!(s.top_findings[0].severity, Severity::Critical);
        assert!(s.findings_total >= s.top_findings.len() as u64);
    }
}
