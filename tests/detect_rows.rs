//! Events streamed into the detectors' compact rows (`detect::Rows`, what `triage` does) give
//! the same detection, byte for byte once serialised, as `detect` over the same events held in
//! memory; `triage` gives the same report as `triage_events` over `read_all`'s events.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use leaktriage::detect::synth::Rng;
use leaktriage::detect::{detect, DetectParams, Rows};
use leaktriage::evidence::event::{Granularity, RawRef, RecordKind, UsageEvent};
use leaktriage::evidence::read_all;
use leaktriage::{triage, triage_events, Context, Input};

/// Random rows over every field the detectors read, odd values included: several files,
/// providers, granularities and kinds, HTTP statuses and error codes, repeated event ids.
fn random_events(rng: &mut Rng, n: usize) -> Vec<UsageEvent> {
    let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    use Granularity::*;
    use RecordKind::*;
    let grans = [Event, Minute, Hour, Day];
    let kinds = [Usage, Cost, Request, Audit, Alert];
    let ops = [
        "InvokeModel",
        "ListFoundationModels",
        "GetFoundationModelAvailability",
        "CreateUser",
        "DeleteModelInvocationLoggingConfiguration",
        "fine_tuning.jobs",
        "",
        "chat.completions",
    ];
    let providers = ["openai", "aws_bedrock", "anthropic"];
    let codes = ["ValidationException", "AccessDenied", "", "InternalError"];
    let mut events = Vec::new();
    for i in 0..n {
        let t: DateTime<Utc> = base + Duration::seconds(rng.below(40 * 86_400) as i64);
        let file = format!("f{}.jsonl", rng.below(3));
        let provider = *rng.pick(&providers);
        let mut e = UsageEvent::new(
            t,
            provider,
            if rng.below(2) == 0 { "a" } else { "b" },
            RawRef {
                file,
                line: (rng.below(3) > 0).then_some(i as u64 + 1),
                record: (rng.below(2) == 0).then_some(i as u64),
            },
        );
        e.granularity = *rng.pick(&grans);
        e.record_kind = *rng.pick(&kinds);
        match rng.below(4) {
            0 => e.key_hint = Some("sk-...abcd".into()),
            1 => e.principal = Some("arn:aws:iam::1:user/ci".into()),
            _ => e.key_id = Some(format!("k{}", rng.below(4))),
        }
        if rng.below(2) == 0 {
            e.key_id = Some("AKIAEXAMPLE000000001".into());
        }
        e.requests = (rng.below(2) == 0).then(|| rng.below(100));
        e.input_tokens = Some(rng.below(10_000));
        e.output_tokens = Some(rng.below(100_000));
        e.cost_usd = match rng.below(5) {
            0 => None,
            1 => Some(f64::NAN),
            _ => Some(rng.f64() * 10.0),
        };
        e.model = Some(["gpt-4o", "claude-3-opus", " ", "m"][rng.below(4) as usize].into());
        e.operation = Some(rng.pick(&ops).to_string());
        e.source_ip = Some(format!("10.0.0.{}", rng.below(30)));
        e.user_agent =
            Some(["axios/1.6.1", "", "Mozilla/5.0", "curl/8"][rng.below(4) as usize].into());
        e.region = Some(format!("r{}", rng.below(4)));
        if rng.below(3) == 0 {
            e.error_code = Some(rng.pick(&codes).to_string());
        }
        e.http_status = match rng.below(4) {
            0 => None,
            1 => Some(429),
            2 => Some(0),
            _ => Some(200),
        };
        if rng.below(4) == 0 {
            e.event_id = Some(format!("id{}", rng.below(40)));
        }
        // Now and then the same record again (a page read twice): merged on id and content,
        // while records that only share an id are both kept.
        let repeat = (e.event_id.is_some() && rng.below(3) == 0).then(|| e.clone());
        events.push(e);
        events.extend(repeat);
    }
    events
}

fn streamed(events: &[UsageEvent], mut rows: Rows, start: Option<DateTime<Utc>>) -> String {
    for e in events {
        rows.push(e);
    }
    serde_json::to_string(&rows.detect(&DetectParams::default(), start)).unwrap()
}

#[test]
fn streamed_rows_detect_exactly_what_held_events_do() {
    let mut rng = Rng::new(7);
    let params = DetectParams::default();
    let mut alerts = 0;
    let mut dups = 0;
    for round in 0..60u64 {
        let events = random_events(&mut rng, 50 + 40 * round as usize);
        let start = (round % 3 == 0).then(|| Utc.with_ymd_and_hms(2026, 1, 25, 0, 0, 0).unwrap());
        let held = detect(&events, &params, start);
        alerts += held.alerts.len();
        dups += held.duplicates_dropped;
        let held = serde_json::to_string(&held).unwrap();
        assert_eq!(
            held,
            streamed(&events, Rows::new(&params), start),
            "round {round}"
        );
    }
    // The rounds exercise what is compared: alerts with their evidence rows, duplicates.
    assert!(
        alerts > 20 && dups > 0,
        "{alerts} alerts, {dups} duplicates"
    );
}

#[test]
fn merged_rows_match_when_event_ids_are_unique() {
    let mut rng = Rng::new(8);
    let params = DetectParams::default();
    let mut events = random_events(&mut rng, 2_000);
    for (i, e) in events.iter_mut().enumerate() {
        e.event_id = (i % 2 == 0).then(|| format!("u{i}"));
    }
    let held = serde_json::to_string(&detect(&events, &params, None)).unwrap();
    assert_eq!(held, streamed(&events, Rows::merged(&params), None));
}

#[test]
fn triage_reports_what_triage_events_reports_over_the_held_events() {
    let mut inputs = common::demo_inputs();
    // The same file again: its events are dropped as duplicates by the merge.
    let csv = inputs.iter().find(|i| i.name.ends_with(".csv")).unwrap();
    inputs.push(Input::new("again.csv", csv.bytes.clone()));
    let ctx = Context::default();
    let streamed = triage(&inputs, &ctx);
    let (_, events) = read_all(&inputs, &ctx.csv_mappings);
    let held = triage_events(&inputs, &events, &ctx);
    assert!(streamed.detection.alerts.len() > 5);
    assert!(streamed
        .detection
        .alerts
        .iter()
        .all(|a| !a.evidence.is_empty()));
    assert_eq!(streamed.to_json(), held.to_json());
}

/// Events made into rows a file at a time on the thread that read the file (`Rows::part`,
/// then `Rows::take` in the file's turn, the merge's dropped events named) give the detection
/// that pushing every kept event in turn gives: the parts' own string numbers, blank values,
/// undated events, targets and the first event of each key (which decides its provider and
/// whether it is a person) included, mixed with files pushed an event at a time; and the keys'
/// detectors on several threads detect what they do on one.
#[test]
fn rows_taken_a_file_at_a_time_detect_what_rows_pushed_in_turn_do() {
    use leaktriage::evidence::event::Target;
    use leaktriage::evidence::Part as _;
    let mut rng = Rng::new(9);
    let params = DetectParams::default();
    let (mut taken, mut dropped_seen, mut alerts) = (0, 0, 0);
    for round in 0..40u64 {
        let mut events = random_events(&mut rng, 60 + 30 * round as usize);
        for (i, e) in events.iter_mut().enumerate() {
            match rng.below(12) {
                0 => e.ts_unknown = true,
                1 => e.targets = vec![Target::new("iam_user", format!("u{}", i % 5))],
                2 => {
                    // A key-less person, whose first row decides that its key is a person's.
                    e.key_id = None;
                    e.key_hint = None;
                    e.principal = Some(
                        ["dev@example.com", "svc@p.iam.gserviceaccount.com"][rng.below(2) as usize]
                            .into(),
                    );
                }
                3 => e.user_agent = Some("  ".into()),
                4 => e.error_code = Some("insufficient_quota".into()),
                5 => {
                    e.record_kind = RecordKind::Cost;
                    e.operation = None;
                }
                _ => {}
            }
            if rng.below(5) == 0 {
                e.project = Some(format!("proj{}", rng.below(3)));
            }
        }
        // Files of a few events each; some events dropped by the merge (the first of a key's
        // events among them, now and then).
        let mut one = Rows::merged(&params);
        let mut many = Rows::merged(&params);
        let mut at = 0;
        while at < events.len() {
            let file = &events[at..(at + 1 + rng.below(25) as usize).min(events.len())];
            at += file.len();
            let dropped: Vec<u32> = (0..file.len() as u32)
                .filter(|_| rng.below(6) == 0)
                .collect();
            for (i, e) in file.iter().enumerate() {
                if !dropped.contains(&(i as u32)) {
                    one.push(e);
                }
            }
            if rng.below(4) == 0 {
                // Read in its turn: pushed an event at a time.
                for (i, e) in file.iter().enumerate() {
                    if !dropped.contains(&(i as u32)) {
                        many.push(e);
                    }
                }
            } else {
                let mut part = many.part();
                for e in file {
                    part.push(e.clone());
                }
                many.take(&part, &dropped);
                taken += 1;
            }
            dropped_seen += dropped.len();
        }
        let start = (round % 2 == 0).then(|| Utc.with_ymd_and_hms(2026, 1, 20, 0, 0, 0).unwrap());
        let one = one.detect(&params, start);
        alerts += one.alerts.len();
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            // The keys' detectors on one to three threads.
            serde_json::to_string(&many.detect_jobs(&params, start, 1 + round as usize % 3))
                .unwrap(),
            "round {round}"
        );
    }
    assert!(taken > 100 && dropped_seen > 100 && alerts > 20);
}
