//! `bench-hostile`: time and peak memory of the whole engine on the hostile cases (a gzip of
//! zeros, gzip inside gzip, PEM headers without an end, a large JSON array of empty objects).
//!
//! Run with `cargo run --profile native --features testkit --bin bench-hostile` (optionally
//! `-- --only NAME`). Each case runs in its own process: it generates its input in memory,
//! resets the peak-RSS counter (`/proc/self/clear_refs`), runs `triage` and the report as JSON,
//! and prints the time, the peak (`VmHWM`, the input's own bytes included) and the problems.

use flate2::write::GzEncoder;
use leaktriage::{triage, Context, Input};
use std::io::Write;
use std::time::Instant;

const CASES: &[&str] = &[
    "zeros-gzip-10mb",
    "nested-gzip",
    "pem-begin-16mb",
    "json-array-150mb",
];

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

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn run(case: &str) {
    let bytes = input(case);
    let size = bytes.len();
    let inputs = [Input::new(case, bytes)];
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let t = Instant::now();
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
    println!(
        "{case:<18} input {:>7.1} MB  {secs:>6.2} s  peak {peak:>7.1} MB{}  lines {}  problem: {problem}",
        size as f64 / 1048576.0,
        if reset { "" } else { " (not reset)" },
        e.lines,
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
