//! `bench-hostile`: time and peak memory of the whole engine on the hostile cases (a gzip of
//! zeros, gzip inside gzip, PEM headers without an end, a large JSON array of empty objects,
//! ten million small JSON Lines records, deep nesting, a long CSV row, a 500 MB string value,
//! a CR-only CSV).
//!
//! Run with `cargo run --profile native --features testkit --bin bench-hostile` (optionally
//! `-- --only NAME`). Each case runs in its own process: it generates its input in memory,
//! resets the peak-RSS counter (`/proc/self/clear_refs`), runs `triage` and the report as JSON,
//! and prints the time, the peak (`VmHWM`, the input's own bytes included), the peak over the
//! input's size, the report's size and the first problem. `BENCH_MODE=stream` runs the
//! evidence stage alone (events counted, not kept), to tell reading's memory from the rest.

#[path = "bench_common/mod.rs"]
mod bench_common;

use bench_common::{reset_peak, status_kb};
use flate2::write::GzEncoder;
use leaktriage::{triage, Context, Input};
use std::io::Write;
use std::time::Instant;

const CASES: &[&str] = &[
    "zeros-gzip-10mb",
    "nested-gzip",
    "pem-begin-16mb",
    "json-array-150mb",
    "jsonl-10m-records",
    "deep-nesting-64mb",
    "long-csv-row-256mb",
    "string-500mb",
    "cr-only-csv-1m-rows",
    "lf-csv-1m-rows",
];

/// A reference-format CSV header and one row (`i` varies the time and the address).
const CSV_HEADER: &str = "timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd";

fn csv_row(i: u64, ua: &str) -> String {
    format!(
        "2026-01-01T{:02}:{:02}:{:02}Z,sk-...a1B2,gpt-4o,1200,340,/v1/chat/completions,198.51.{}.{},{ua},200,0.0111",
        i / 3600 % 24,
        i / 60 % 60,
        i % 60,
        i / 250 % 250,
        i % 250
    )
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).unwrap_or(());
    enc.finish().unwrap_or_default()
}

fn input(case: &str) -> Vec<u8> {
    match case {
        "zeros-gzip-10mb" => {
            let member = gz(&vec![0u8; 8 << 20]);
            let mut out = Vec::new();
            while out.len() < 10 << 20 {
                out.extend_from_slice(&member);
            }
            out
        }
        "nested-gzip" => {
            let mut text = String::new();
            for i in 0..(1u64 << 20) {
                let r = i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40;
                text.push_str(&format!(
                    "2026-01-01T{:02}:{:02}:{:02}Z GET /v1/models 200 {r} 198.51.100.{}\n",
                    i / 3600 % 24,
                    i / 60 % 60,
                    i % 60,
                    r % 250
                ));
            }
            gz(&gz(&gz(text.as_bytes())))
        }
        "pem-begin-16mb" => {
            let mut s = "-----BEGIN RSA PRIVATE KEY-----\n".repeat((16 << 20) / 32);
            s.truncate(16 << 20);
            s.into_bytes()
        }
        "jsonl-10m-records" => {
            // Small records, each its own time and address: the per-event cost at its worst.
            let mut s = String::with_capacity(10_000_000 * 96);
            for i in 0..10_000_000u64 {
                use std::fmt::Write as _;
                let _ = writeln!(
                    s,
                    "{{\"timestamp\":\"2026-01-{:02}T{:02}:{:02}:{:02}Z\",\"api_key_prefix\":\"sk-...a1B2\",\"source_ip\":\"198.51.{}.{}\"}}",
                    1 + i / 86400 % 28,
                    i / 3600 % 24,
                    i / 60 % 60,
                    i % 60,
                    i / 250 % 250,
                    i % 250
                );
            }
            s.into_bytes()
        }
        "deep-nesting-64mb" => {
            let mut s = "[".repeat(32 << 20);
            s.push_str(&"]".repeat(32 << 20));
            s.into_bytes()
        }
        "long-csv-row-256mb" => {
            // A reference CSV whose middle row carries a 256 MB user agent.
            let mut s = String::from(CSV_HEADER);
            s.push('\n');
            for i in 0..1000 {
                s.push_str(&csv_row(i, "curl/8.5.0"));
                s.push('\n');
            }
            s.push_str(&csv_row(1000, &"A".repeat(256 << 20)));
            s.push('\n');
            for i in 1001..2000 {
                s.push_str(&csv_row(i, "curl/8.5.0"));
                s.push('\n');
            }
            s.into_bytes()
        }
        "string-500mb" => {
            // One reference-format JSON record whose user agent is a 500 MB string.
            let mut s = String::with_capacity(501 << 20);
            s.push_str("[{\"timestamp\":\"2026-01-01T00:00:00Z\",\"api_key_prefix\":\"sk-...a1B2\",\"model\":\"gpt-4o\",\"user_agent\":\"");
            s.push_str(&"A".repeat(500 << 20));
            s.push_str("\"},\n{\"timestamp\":\"2026-01-01T00:01:00Z\",\"api_key_prefix\":\"sk-...a1B2\",\"model\":\"gpt-4o\",\"user_agent\":\"curl/8.5.0\"}]\n");
            s.into_bytes()
        }
        "cr-only-csv-1m-rows" | "lf-csv-1m-rows" => {
            // The same rows ended by lone CRs (old Mac exports) or by LFs, to compare.
            let end = if case.starts_with("cr") { '\r' } else { '\n' };
            let mut s = String::from(CSV_HEADER);
            s.push(end);
            for i in 0..1_000_000 {
                s.push_str(&csv_row(i, "curl/8.5.0"));
                s.push(end);
            }
            s.into_bytes()
        }
        _ => {
            let mut s = String::with_capacity(150 << 20);
            s.push('[');
            while s.len() < 150 << 20 {
                s.push_str("{},");
            }
            s.push_str("{}]");
            s.into_bytes()
        }
    }
}

fn run(case: &str) {
    let bytes = input(case);
    let size = bytes.len();
    let inputs = [Input::new(case, bytes)];
    let reset = reset_peak();
    let t = Instant::now();
    if std::env::var("BENCH_MODE").as_deref() == Ok("stream") {
        // The evidence stage alone, events counted and dropped: what reading costs.
        let mut n = 0u64;
        let files =
            leaktriage::evidence::read_all_each(&inputs, &Default::default(), &mut |_| n += 1);
        let peak = status_kb("VmHWM:") as f64 / 1024.0;
        let mb = size as f64 / 1048576.0;
        println!(
            "{case:<20} input {mb:>7.1} MB  {:>6.2} s  stream: peak {peak:>7.1} MB = {:.2}x  events {n}  problems {}",
            t.elapsed().as_secs_f64(),
            peak / mb,
            files[0].problem_count
        );
        return;
    }
    let report = triage(&inputs, &Context::default());
    let json = serde_json::to_string(&report).unwrap_or_default();
    let secs = t.elapsed().as_secs_f64();
    let peak = status_kb("VmHWM:") as f64 / 1024.0;
    let e = &report.evidence[0];
    let problem = e
        .problems
        .first()
        .map(|p| p.message.as_str())
        .unwrap_or("none");
    let problem: String = problem.chars().take(160).collect();
    let mb = size as f64 / 1048576.0;
    // A compressed input's ratio is also given over the bytes it inflated to.
    let inflated = match e.inflated_size {
        Some(n) => {
            let n = n as f64 / 1048576.0;
            format!(
                " (inflated {n:.1} MB; peak over both {:.2}x)",
                peak / (n + mb)
            )
        }
        None => String::new(),
    };
    println!(
        "{case:<20} input {mb:>7.1} MB{inflated}  {secs:>6.2} s  peak {peak:>7.1} MB = {:.2}x{}  lines {}  records {}  problems {}  report {:.1} MB  first problem: {problem}",
        peak / mb,
        if reset { "" } else { " (not reset)" },
        e.lines,
        e.records,
        e.problem_count,
        json.len() as f64 / 1048576.0,
    );
    drop(std::hint::black_box(json));
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut only, mut child) = (None, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--only" => only = args.next(),
            "--case" => child = args.next(),
            _ => {}
        }
    }
    if let Some(case) = child {
        return run(&case);
    }
    let Ok(exe) = std::env::current_exe() else {
        println!("cannot find this program to run each case");
        return;
    };
    for case in CASES
        .iter()
        .filter(|c| only.as_deref().is_none_or(|o| c.contains(o)))
    {
        match std::process::Command::new(&exe)
            .args(["--case", case])
            .status()
        {
            Ok(s) if s.success() => {}
            other => println!("{case}: failed ({other:?})"),
        }
    }
}
