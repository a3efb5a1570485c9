//! The detect stage never panics on odd input, and the report carries its result.

use chrono::{DateTime, Duration, TimeZone, Utc};
use leaktriage::detect::synth::Rng;
use leaktriage::detect::{detect, DetectParams};
use leaktriage::evidence::event::{Granularity, RawRef, RecordKind, UsageEvent};
use leaktriage::{triage_events, Context, Input};

fn ev(t: DateTime<Utc>, i: u64) -> UsageEvent {
    UsageEvent::new(
        t,
        "openai",
        "test",
        RawRef {
            file: "f.jsonl".into(),
            line: Some(i + 1),
            record: None,
        },
    )
}

#[test]
fn empty_input_gives_an_empty_detection() {
    let d = detect(&[], &DetectParams::default(), None);
    assert!(d.alerts.is_empty() && d.keys.is_empty() && d.timeline.entries.is_empty());
    assert_eq!(d.cost.totals.cost_usd, 0.0);
    serde_json::to_string(&d).unwrap();
}

#[test]
fn random_and_extreme_rows_never_panic() {
    let mut rng = Rng::new(99);
    let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let extremes = [
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
        Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap(),
        base,
    ];
    let grans = [
        Granularity::Event,
        Granularity::Minute,
        Granularity::Hour,
        Granularity::Day,
    ];
    let kinds = [
        RecordKind::Usage,
        RecordKind::Cost,
        RecordKind::Request,
        RecordKind::Audit,
        RecordKind::Alert,
    ];
    let ops = [
        "InvokeModel",
        "ListFoundationModels",
        "CreateUser",
        "DeleteModelInvocationLoggingConfiguration",
        "fine_tuning.jobs",
        "",
        "chat.completions",
    ];
    for round in 0..200u64 {
        let n = rng.below(60) as usize;
        let mut events = Vec::new();
        for i in 0..n {
            let t = if rng.below(10) == 0 {
                *rng.pick(&extremes)
            } else {
                base + Duration::seconds(rng.below(90 * 86_400) as i64)
            };
            let mut e = ev(t, i as u64);
            e.granularity = *rng.pick(&grans);
            e.record_kind = *rng.pick(&kinds);
            if rng.below(3) > 0 {
                e.key_id = Some(format!("k{}", rng.below(3)));
            }
            if rng.below(2) == 0 {
                e.requests = Some(if rng.below(5) == 0 {
                    u64::MAX
                } else {
                    rng.below(100)
                });
            }
            e.input_tokens = Some(if rng.below(7) == 0 {
                u64::MAX
            } else {
                rng.below(10_000)
            });
            e.output_tokens = Some(rng.below(100_000));
            e.cost_usd = Some(match rng.below(6) {
                0 => f64::NAN,
                1 => f64::INFINITY,
                2 => -5.0,
                _ => rng.f64() * 10.0,
            });
            e.operation = Some(rng.pick(&ops).to_string());
            if rng.below(2) == 0 {
                e.source_ip = Some(format!("10.0.0.{}", rng.below(5)));
                e.user_agent = Some(if rng.below(2) == 0 { "axios/1.6.1" } else { "" }.into());
                e.region = Some(format!("r{}", rng.below(4)));
                e.error_code = (rng.below(3) == 0).then(|| "ValidationException".into());
                e.http_status = Some(if rng.below(2) == 0 { 429 } else { 200 });
            }
            if rng.below(4) == 0 {
                e.event_id = Some(format!("id{}", rng.below(5)));
            }
            events.push(e);
        }
        let d = detect(&events, &DetectParams::default(), None);
        serde_json::to_string(&d).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let given = (round % 2 == 0).then_some(base + Duration::days(30));
        detect(&events, &DetectParams::default(), given);
    }
}

#[test]
fn the_report_holds_the_detection_and_the_context_overrides_parameters() {
    let ctx: Context = serde_json::from_str(
        r#"{"compromise_start":"2026-09-10T00:00:00Z","detect_params":{"robust_z":4.0}}"#,
    )
    .unwrap();
    assert_eq!(ctx.detect_params.as_ref().unwrap().robust_z, 4.0);
    assert_eq!(ctx.detect_params.as_ref().unwrap().trailing_days, 28);
    let base = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
    let mut events = Vec::new();
    for i in 0..200u64 {
        let mut e = ev(base + Duration::hours(i as i64), i);
        e.key_id = Some("key_a".into());
        e.requests = Some(1);
        e.cost_usd = Some(0.01);
        events.push(e);
    }
    let r = triage_events(&[Input::new("f.jsonl", b"{}".to_vec())], &events, &ctx);
    assert_eq!(r.detection.events, 200);
    assert_eq!(r.detection.params.robust_z, 4.0);
    let start = r.detection.keys[0].compromise_start.as_ref().unwrap();
    assert_eq!(start.method, "responder");
    let json = r.to_json();
    assert!(json.contains("\"detection\"") && json.contains("\"timeline\""));
    assert!(json.contains("\"compromise_start\""));
}

#[test]
fn raw_secrets_as_key_ids_are_redacted() {
    let base = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
    let raw = format!("sk-proj-{}", "Ab1Cd2Ef3Gh4".repeat(4));
    let events: Vec<UsageEvent> = (0..5000u64)
        .map(|i| {
            let mut e = ev(base + Duration::seconds(i as i64 * 30), i);
            e.key_id = Some(raw.clone());
            e.requests = Some(1);
            e.user_agent = Some("axios/1.7.4".into());
            e
        })
        .collect();
    let d = detect(&events, &DetectParams::default(), None);
    let json = serde_json::to_string(&d).unwrap();
    assert!(!json.contains(&raw));
    assert!(!d.alerts.is_empty());
    assert!(d.alerts.iter().all(|a| a.key.contains('…')));
}

#[test]
fn the_text_summary_shows_the_alerts() {
    let base = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
    let mut events = Vec::new();
    for i in 0..3000u64 {
        let mut e = ev(base + Duration::seconds(i as i64 * 60), i);
        e.key_id = Some("key_a".into());
        e.requests = Some(1);
        e.user_agent = Some("axios/1.7.4".into());
        e.cost_usd = Some(0.5);
        events.push(e);
    }
    let r = triage_events(&[], &events, &Context::default());
    let text = leaktriage::report::render_text(&r);
    assert!(text.contains("Detection: 3000 usage event(s)"), "{text}");
    assert!(text.contains("new_user_agent"), "{text}");
}

#[test]
fn rows_with_tokens_but_no_cost_are_estimated_and_marked() {
    let base = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
    let events: Vec<UsageEvent> = (0..10u64)
        .map(|i| {
            let mut e = ev(base + Duration::hours(i as i64), i);
            e.key_id = Some("key_a".into());
            e.record_kind = RecordKind::Usage;
            e.granularity = Granularity::Hour;
            e.model = Some("gpt-4o-2024-08-06".into());
            e.input_tokens = Some(1_000_000);
            e.output_tokens = Some(100_000);
            e
        })
        .collect();
    let d = detect(&events, &DetectParams::default(), None);
    // 10 × (1M × $2.50/M + 0.1M × $10/M) = $35.
    assert!(
        (d.cost.totals.cost_usd - 35.0).abs() < 1e-6,
        "{:?}",
        d.cost.totals
    );
    assert_eq!(d.cost.totals.estimated_cost_usd, d.cost.totals.cost_usd);
    let off = DetectParams {
        estimate_missing_cost: false,
        ..DetectParams::default()
    };
    let d = detect(&events, &off, None);
    assert_eq!(d.cost.totals.cost_usd, 0.0);
    assert_eq!(d.cost.rows_without_cost, 10);
}

#[test]
fn a_long_term_aws_key_invoking_without_a_user_agent_is_flagged() {
    let base = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
    let mut events: Vec<UsageEvent> = (0..400u64)
        .map(|i| {
            let mut e = ev(base + Duration::minutes(i as i64 * 50), i);
            e.key_id = Some("AKIAEXAMPLE000000001".into());
            e.record_kind = RecordKind::Audit;
            e.operation = Some("InvokeModel".into());
            e.user_agent = Some("aws-sdk-java/2.25.0".into());
            e.source_ip = Some("52.94.1.10".into());
            e
        })
        .collect();
    let t = events.last().unwrap().ts;
    for i in 0..5u64 {
        let mut e = ev(t + Duration::minutes(i as i64 + 1), 400 + i);
        e.key_id = Some("AKIAEXAMPLE000000001".into());
        e.record_kind = RecordKind::Audit;
        e.operation = Some("InvokeModel".into());
        e.source_ip = Some("52.94.1.10".into());
        events.push(e);
    }
    let d = detect(&events, &DetectParams::default(), Some(t));
    assert!(
        d.alerts
            .iter()
            .any(|a| a.values == vec!["(no user agent)".to_string()] && a.evidence_count == 5),
        "{:#?}",
        d.alerts
    );
}
