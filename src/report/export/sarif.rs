//! SARIF 2.1.0 export: one result per occurrence, values redacted, fingerprints kept.

use crate::scan::rules::{catalog, Confidence};
use crate::scan::ScanReport;
use serde_json::{json, Value};

/// The scan as a SARIF 2.1.0 log (pretty JSON). Holds no secret value: every string passes
/// the catalog's output gate.
pub fn to_sarif(scan: &ScanReport) -> String {
    to_sarif_gated(scan, &crate::scan::gate::Gate::default())
}

/// [`to_sarif`] through a given gate (the report's, which knows the responder's known keys).
pub fn to_sarif_gated(scan: &ScanReport, gate: &crate::scan::gate::Gate) -> String {
    let rules: Vec<Value> = catalog()
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.title,
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": format!("{} ({}). Can: {}.", r.title, r.kind.label(), r.can_do)},
                "help": {"text": format!("Revoke: {}", r.revoke)},
                "properties": {"provider": r.provider, "kind": r.kind, "confidence": r.confidence, "tags": ["security", "secret"]},
            })
        })
        .collect();
    let mut results = Vec::new();
    for s in &scan.secrets {
        let level = match s.confidence {
            Confidence::High => "error",
            Confidence::Medium => "warning",
            Confidence::Low => "note",
        };
        for o in &s.occurrences {
            let uri = o.path.clone().unwrap_or_else(|| o.evidence.clone());
            let mut props = json!({
                "evidence": o.evidence,
                "structure": s.structure,
                "provider": s.provider,
                "kind": s.kind,
                "source": o.source,
            });
            if let Some(c) = &o.change {
                props["change"] = json!(c);
            }
            if let Some(e) = &o.encoding {
                props["encoding"] = json!(e);
            }
            if let Some(p) = s.still_present {
                props["stillPresent"] = json!(p);
            }
            // A responder's rule (not in the driver's rule list): the file it came from.
            if let Some(f) = &s.rules_file {
                props["rulesFile"] = json!(f);
            }
            let mut fps = json!({"secretFingerprint/v1": s.fingerprint});
            if let Some(c) = &o.commit {
                fps["commitSha"] = json!(c.id);
                props["commit"] = json!(c);
            }
            results.push(json!({
                "ruleId": s.rule_id,
                "level": level,
                "message": {"text": format!("{} {} ({}): {}", s.title, s.redacted, s.structure.label(), s.revoke)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": o.line.max(1)},
                }}],
                "partialFingerprints": fps,
                "properties": props,
            }));
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "leaktriage",
                "version": crate::VERSION,
                "rules": rules,
            }},
            "results": results,
        }],
    });
    gate.to_json(&log, b"  ")
}
