//! The output gate's cost: every export of a report written with the gate and without it
//! (plain serde_json / the ungated renderers), on the demo incident and on a large report
//! (usage over many keys, so many distinct strings). Best of 5 runs each.
//!
//! `cargo run --profile native --features testkit --bin bench-gate [RECORDS KEYS]`

use leaktriage::report::export::{iocs_csv, markdown, text, ExportId, EXPORTS};
use leaktriage::{demo, triage, Context, Input, Report};
use std::time::Instant;

fn best(mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        n = f();
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
    }
    (best, n)
}

fn measure(name: &str, r: &Report) {
    // SARIF is gated inside `to_sarif`, so it is left out of both sides.
    let (gated, bytes) = best(|| {
        EXPORTS
            .iter()
            .filter(|e| e.id != ExportId::Sarif)
            .map(|e| (e.write)(r).len())
            .sum()
    });
    let (plain, _) = best(|| {
        serde_json::to_string_pretty(r)
            .map(|s| s.len())
            .unwrap_or(0)
            + markdown::render(r).len()
            + iocs_csv::to_csv(r).len()
            + text::render_text(r).len()
    });
    let (msg, msg_bytes) = best(|| r.gate.to_json(r, b"").len());
    println!(
        "{name}: JSON, Markdown, CSV, text: {bytes} bytes: gated {gated:.1} ms, ungated {plain:.1} ms (gate {:.1} ms, {:.0} MB/s); JSON alone {msg_bytes} bytes gated {msg:.1} ms",
        gated - plain,
        bytes as f64 / 1e6 / ((gated - plain).max(1e-3) / 1e3)
    );
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (n, keys) = (
        args.first().copied().unwrap_or(200_000),
        args.get(1).copied().unwrap_or(2_000),
    );
    let ctx = Context::default();
    measure("demo", &triage(&demo::inputs(), &ctx));
    let mut s = String::from("timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd\n");
    for i in 0..n {
        use std::fmt::Write;
        let _ = writeln!(
            s,
            "2026-11-{:02}T{:02}:{:02}:00Z,sk-proj-k{:05}...{:04},gpt-4o,{},{},/v1/chat/completions,198.51.100.{},python-requests/2.{},200,0.0{}",
            1 + (i / 1440) % 28,
            (i / 60) % 24,
            i % 60,
            i % keys,
            i % keys,
            i % 20_000,
            i % 4_000,
            i % 250,
            i % 40,
            i % 97
        );
    }
    let r = triage(&[Input::new("usage.csv", s.into_bytes())], &ctx);
    measure(&format!("{n} records over {keys} keys"), &r);
}
