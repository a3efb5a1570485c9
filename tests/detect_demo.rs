//! The detect stage on the demo incident (`public/demo`): parsed by the evidence stage from an
//! OpenAI usage CSV and a CloudTrail file, detected as one incident across both sources.

mod common;

use leaktriage::detect::{AlertKind, Phase};
use leaktriage::{triage, Context};

fn demo() -> leaktriage::Report {
    triage(&common::demo_dir_inputs(), &Context::default())
}

#[test]
fn the_demo_incident_is_detected_across_both_sources() {
    let r = demo();
    let d = &r.detection;
    assert!(d.events > 0, "the evidence stage produced usage events");
    let has = |kind: AlertKind, key_prefix: &str| {
        d.alerts
            .iter()
            .any(|a| a.kind == kind && a.key.starts_with(key_prefix))
    };
    // The OpenAI key: abused from new addresses, new models, at a cost.
    for kind in [
        AlertKind::NewSourceIp,
        AlertKind::NewModel,
        AlertKind::CostSpike,
        AlertKind::Recon,
    ] {
        assert!(has(kind, "sk-proj-"), "{kind:?}: {:#?}", d.alerts);
    }
    // The AWS key: console-only reconnaissance, persistence, logging deleted.
    for kind in [
        AlertKind::Recon,
        AlertKind::Persistence,
        AlertKind::LoggingTampering,
    ] {
        assert!(has(kind, "AKIA"), "{kind:?}: {:#?}", d.alerts);
    }
    // One timeline over both files, every alert with evidence rows from the files.
    let t = &d.timeline;
    assert!(t.attacker_ips.iter().any(|v| v.value == "198.51.100.23"));
    let providers: std::collections::BTreeSet<&str> = t
        .entries
        .iter()
        .flat_map(|e| e.providers.iter().map(String::as_str))
        .collect();
    assert!(providers.len() >= 2, "{providers:?}");
    assert!(t.entries.iter().any(|e| e.phase == Phase::Persistence));
    for a in &d.alerts {
        assert!(a.evidence.iter().all(|r| !r.file.is_empty()), "{a:?}");
    }
    assert!(d.cost.attacker_cost_usd > 0.0);
}
