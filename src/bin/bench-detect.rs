//! `bench-detect`: times the detect stage over 1,000,000 synthetic normalised events.
//!
//! Run with `cargo run --profile native --features testkit --bin bench-detect [-- <events> [<keys>]]`.

use chrono::{Duration, TimeZone, Utc};
use leaktriage::detect::synth::{legit, spread, Model, Pattern, Rng, Source};
use leaktriage::detect::{detect, DetectParams};
use std::time::Instant;

/// This process's user + system CPU time in seconds (Linux `/proc/self/stat`, 100 Hz ticks),
/// so that a shared, loaded machine shows what `detect` itself costs.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn main() {
    let target: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let keys: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50)
        .max(1);
    let days = 60u32;
    let start = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
    let mut rng = Rng::new(42);
    let mut line = 0u64;
    let mut events = Vec::with_capacity(target + 10_000);
    // Two keys are abused in the last two days; the rest is legitimate traffic.
    let abuse_each = target / 50;
    // Weekends run at 60 %: a week averages (5 + 2 × 0.6) / 7 of the weekday volume.
    let per_key_day =
        (target - 2 * abuse_each) as f64 / (keys as f64 * days as f64) / ((5.0 + 1.2) / 7.0);
    let t0 = Instant::now();
    for k in 0..keys {
        let mut src = Source::chat(&format!("key_{k:03}"), &format!("usage-{}.jsonl", k % 5));
        src.ips = vec![format!("10.0.{}.1", k), format!("10.0.{}.2", k)];
        let mut pat = Pattern::steady(start, days, per_key_day);
        pat.weekend = 0.6;
        pat.anytime_share = 0.1;
        events.extend(legit(&src, &pat, &mut rng, &mut line));
        if k % 25 == 7 && k < 50 {
            let mut a = src.clone();
            a.ips = vec!["194.48.248.108".into()];
            a.uas = vec!["Python/3.11 aiohttp/3.9.5".into()];
            a.models = vec![Model::per_million("gpt-4o", 2.5, 10.0)];
            let from = start + Duration::days(days as i64 - 2);
            events.extend(spread(
                &a,
                from,
                from + Duration::days(2),
                abuse_each as u64,
                &mut rng,
                &mut line,
            ));
        }
    }
    let gen_ms = t0.elapsed().as_secs_f64() * 1e3;
    let params = DetectParams::default();
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut alerts = 0;
    let mut alerted_keys = Vec::new();
    for _ in 0..3 {
        let c0 = cpu_seconds();
        let t = Instant::now();
        let d = detect(&events, &params, None);
        times.push(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, cpu_seconds()) {
            cpu.push(b - a);
        }
        alerts = d.alerts.len();
        alerted_keys = d.alerts.iter().map(|a| a.key.clone()).collect();
        alerted_keys.sort();
        alerted_keys.dedup();
        std::hint::black_box(&d);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let best = times[0];
    let median = times[1];
    println!("events:      {}", events.len());
    println!("keys:        {keys}, days: {days}");
    println!("generation:  {gen_ms:.0} ms (not timed below)");
    println!("alerts:      {alerts} (keys: {})", alerted_keys.join(", "));
    println!(
        "detect best: {:.0} ms ({:.2} M events/s)",
        best * 1e3,
        events.len() as f64 / best / 1e6
    );
    println!(
        "detect med.: {:.0} ms ({:.2} M events/s) over 3 runs",
        median * 1e3,
        events.len() as f64 / median / 1e6
    );
    cpu.sort_by(|a, b| a.total_cmp(b));
    if let Some(c) = cpu.first() {
        println!(
            "detect CPU:  {:.0} ms best (user + system, 10 ms resolution)",
            c * 1e3
        );
    }
    // The scope stage takes every event once more as it is read (capabilities per key), then
    // assesses.
    let d = detect(&events, &params, None);
    let scan = leaktriage::scan::ScanReport::default();
    let answers = leaktriage::scope::Answers::default();
    let t = Instant::now();
    let mut usage = leaktriage::scope::Usage::default();
    events.iter().for_each(|e| usage.push(e));
    let sc = leaktriage::scope::assess(&leaktriage::scope::Inputs {
        scan: &scan,
        detection: &d,
        usage: &usage,
        known_keys: &[],
        answers: &answers,
        agent: &Default::default(),
    });
    println!(
        "scope:       {:.0} ms ({} credential(s))",
        t.elapsed().as_secs_f64() * 1e3,
        sc.credentials.len()
    );
}
