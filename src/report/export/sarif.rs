//! SARIF 2.1.0 export: one result per occurrence, values redacted, fingerprints kept. A
//! secret's partner (an AWS key id beside its secret access key) is no result of its own: its
//! places are the result's related locations, so whoever fixes the file removes both lines.

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
            // A client id's rule finds no result of its own (only a pair's partner).
            let what = match r.kind.public_identifier() {
                true => "identifier",
                false => "secret",
            };
            json!({
                "id": r.id,
                "name": r.title,
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": format!("{} ({}). Can: {}.", r.title, r.kind.label(), r.can_do)},
                "help": {"text": format!("Revoke: {}", r.revoke)},
                "properties": {"provider": r.provider, "kind": r.kind, "confidence": r.confidence, "tags": ["security", what]},
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
        // The partner's places, the same for every result of its secret.
        let related: Vec<Value> = s
            .partner
            .iter()
            .flat_map(|p| p.occurrences.iter().map(move |o| (p, o)))
            .enumerate()
            .map(|(n, (p, o))| {
                json!({
                    "id": n,
                    "physicalLocation": {
                        "artifactLocation": {"uri": o.path.clone().unwrap_or_else(|| o.evidence.clone())},
                        "region": {"startLine": o.line.max(1)},
                    },
                    "message": {"text": format!("{} ({}): {}", p.role, p.value_kind.as_str(), p.redacted)},
                })
            })
            .collect();
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
            let mut result = json!({
                "ruleId": s.rule_id,
                "level": level,
                "message": {"text": format!("{} {} ({}): {}", s.title, s.redacted, s.structure.label(), s.revoke)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": o.line.max(1)},
                }}],
                "partialFingerprints": fps,
                "properties": props,
            });
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            // SARIF 2.1.0, section 3.35: a suppression the source itself declares. Viewers show
            // it as suppressed; the result is still there for whoever reviews the mark.
            if o.marked_allowed {
                result["suppressions"] = json!([{
                    "kind": "inSource",
                    "justification": "the line is marked gitleaks:allow",
                }]);
            }
            results.push(result);
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

#[cfg(test)]
mod tests {
    use super::to_sarif;
    use crate::evidence::EvidenceKind;
    use crate::scan::fake::{generate, Rng};
    use crate::scan::{Options, Scanner};
    use serde_json::Value;

    #[test]
    fn a_key_pair_is_one_result_at_its_secret_with_the_key_id_as_related_location() {
        let id = generate("AKIA{b32:16}", &mut Rng::new(7)).secret;
        let secret = generate("{b64:40}", &mut Rng::new(8)).secret;
        let mut s = Scanner::new(Options::default());
        let text = format!("# deploy\nAWS_ACCESS_KEY_ID={id}\nAWS_SECRET_ACCESS_KEY={secret}\n");
        s.scan_text("ci.env", &text, EvidenceKind::Text);
        let sarif = to_sarif(&s.finish());
        assert!(!sarif.contains(&secret), "{sarif}");
        let log: Value = serde_json::from_str(&sarif).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 1, "{results:?}");
        let r = &results[0];
        assert_eq!(r["ruleId"], "aws-secret-access-key");
        let line = |v: &Value| v["physicalLocation"]["region"]["startLine"].as_u64();
        assert_eq!(r["locations"].as_array().and_then(|l| line(&l[0])), Some(3));
        let related = r["relatedLocations"]
            .as_array()
            .expect("the key id's place");
        assert_eq!(related.len(), 1);
        assert_eq!(line(&related[0]), Some(2));
        let said = related[0]["message"]["text"].as_str().unwrap();
        assert_eq!(said, format!("access key id (identifier): {id}"));
    }

    #[test]
    fn a_secret_alone_has_no_related_locations() {
        let secret = generate("sk-proj-{b64u:74}T3BlbkFJ{b64u:74}", &mut Rng::new(9)).secret;
        let mut s = Scanner::new(Options::default());
        s.scan_text(
            "a.env",
            &format!("OPENAI_API_KEY={secret}\n"),
            EvidenceKind::Text,
        );
        let log: Value = serde_json::from_str(&to_sarif(&s.finish())).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 1);
        assert!(results[0].get("relatedLocations").is_none());
        assert!(results[0].get("suppressions").is_none());
    }

    #[test]
    fn a_line_marked_gitleaks_allow_is_a_result_suppressed_in_source() {
        let rng = &mut Rng::new(10);
        let marked = generate("sk-proj-{b64u:74}T3BlbkFJ{b64u:74}", rng).secret;
        let plain = generate("sk-proj-{b64u:74}T3BlbkFJ{b64u:74}", rng).secret;
        let mut s = Scanner::new(Options::default());
        s.scan_text(
            "test_keys.py",
            &format!("KEY = \"{marked}\"  # gitleaks:allow\nOTHER = \"{plain}\"\n"),
            EvidenceKind::Text,
        );
        let log: Value = serde_json::from_str(&to_sarif(&s.finish())).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 2, "the marked line is still a result");
        let at = |line: u64| {
            results
                .iter()
                .find(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"] == line)
                .expect("a result at the line")
        };
        assert_eq!(at(1)["suppressions"][0]["kind"], "inSource");
        assert_eq!(at(1)["level"], "note", "low confidence");
        assert!(at(2).get("suppressions").is_none());
        assert_eq!(at(2)["level"], "error");
    }
}
