//! `bench-evidence`: generates synthetic exports in memory and times their ingestion.
//!
//! Run with `cargo run --profile native --features testkit --bin bench-evidence` (optionally `-- --records N`).
//! Datasets: N reference-format records as CSV and as a JSON array, a gzipped CloudTrail
//! file of N events (`{"Records":[…]}`), and two 200 MB single-line files (plain text and one
//! JSON document). Each is read three ways, each in its own process: streamed (events
//! counted, not kept: `read_each`), collected (`read`, all events held in a `Vec`), and
//! through the whole engine (`triage`, then the report as JSON, as the CLI does). Peak memory
//! is the process's `VmHWM`, reset before each run, compared with the uncompressed input
//! size; the input's own bytes are part of it.

#[path = "bench_common/mod.rs"]
mod bench_common;

use bench_common::{cpu_secs, reset_peak, status_kb};
use leaktriage::evidence::{read, read_each, Input};
use leaktriage::Context;
use std::io::Write;
use std::time::Instant;

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const KEYS: [&str; 4] = ["sk-...a1B2", "sk-...Q9zx", "sk-ant-...Zz9x", "sk-...7777"];
const MODELS: [&str; 5] = [
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4-turbo",
    "claude-3.5-sonnet",
    "claude-3-opus",
];
const UAS: [&str; 4] = [
    "python-requests/2.31.0",
    "curl/8.5.0",
    "OpenAI/Python 1.40.0",
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
];
const ENDPOINTS: [&str; 3] = ["/v1/chat/completions", "/v1/embeddings", "/v1/messages"];
const BASE: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn iso(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

struct RefRec {
    ts: String,
    key: &'static str,
    model: &'static str,
    input: u64,
    output: u64,
    endpoint: &'static str,
    ip: String,
    ua: &'static str,
    status: u16,
    cost: f64,
}

fn ref_records(n: usize, mut each: impl FnMut(&RefRec)) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..n {
        let r = RefRec {
            ts: iso(BASE + (i as i64) * 3),
            key: rng.pick(&KEYS),
            model: rng.pick(&MODELS),
            input: rng.next() % 20_000,
            output: rng.next() % 4_000,
            endpoint: rng.pick(&ENDPOINTS),
            ip: format!("198.51.100.{}", rng.next() % 250),
            ua: rng.pick(&UAS),
            status: if rng.next() % 50 == 0 { 429 } else { 200 },
            cost: (rng.next() % 100_000) as f64 / 1e6,
        };
        each(&r);
    }
}

fn reference_csv(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 120);
    s.push_str("timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd\n");
    ref_records(n, |r| {
        use std::fmt::Write;
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{}",
            r.ts, r.key, r.model, r.input, r.output, r.endpoint, r.ip, r.ua, r.status, r.cost
        );
    });
    s.into_bytes()
}

fn reference_json(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 260);
    s.push('[');
    let mut first = true;
    ref_records(n, |r| {
        use std::fmt::Write;
        if !first {
            s.push_str(",\n");
        }
        first = false;
        let _ = write!(
            s,
            "{{\"timestamp\":\"{}\",\"api_key_prefix\":\"{}\",\"model\":\"{}\",\"input_tokens\":{},\"output_tokens\":{},\"endpoint\":\"{}\",\"source_ip\":\"{}\",\"user_agent\":\"{}\",\"status_code\":{},\"cost_usd\":{}}}",
            r.ts, r.key, r.model, r.input, r.output, r.endpoint, r.ip, r.ua, r.status, r.cost
        );
    });
    s.push_str("]\n");
    s.into_bytes()
}

/// A gzipped `{"Records":[…]}` trail file of `n` realistic Bedrock events; returns
/// (compressed bytes, uncompressed size).
fn cloudtrail_gz(n: usize) -> (Vec<u8>, usize) {
    cloudtrail_part(0, n)
}

/// Events `first..first + n` of the synthetic trail, as one gzipped CloudTrail file (the
/// events of one part are not those of another: ids and times follow on).
fn cloudtrail_part(first: usize, n: usize) -> (Vec<u8>, usize) {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ first as u64);
    let keys = TRAIL_KEYS.load(std::sync::atomic::Ordering::Relaxed).max(1) as u64;
    let names = [
        "InvokeModel",
        "InvokeModelWithResponseStream",
        "Converse",
        "ListFoundationModels",
    ];
    let regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"];
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut raw = 0usize;
    let mut buf = String::with_capacity(1 << 20);
    buf.push_str("{\"Records\":[");
    for i in first..first + n {
        use std::fmt::Write as _;
        if i > first {
            buf.push(',');
        }
        let key = rng.next() % keys;
        // Four keys of one user by default (the figures in the docs); more keys each get a
        // user of their own.
        let user = if keys == 4 {
            "ci-deploy".to_string()
        } else {
            format!("svc-{key:06}")
        };
        let region = rng.pick(&regions);
        let _ = write!(
            buf,
            "{{\"eventVersion\":\"1.10\",\"userIdentity\":{{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE7Q3R5T\",\"arn\":\"arn:aws:iam::111122223333:user/{user}\",\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAEXAMPLE{key:09}\",\"userName\":\"{user}\"}},\"eventTime\":\"{}\",\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"{}\",\"awsRegion\":\"{}\",\"sourceIPAddress\":\"203.0.113.{}\",\"userAgent\":\"Boto3/1.35.4 md/Botocore#1.35.4 ua/2.0 os/linux#6.1.0 lang/python#3.11.9\",\"requestParameters\":{{\"modelId\":\"anthropic.claude-3-5-sonnet-20240620-v1:0\"}},\"responseElements\":null,\"requestID\":\"{:08x}-93d5-4b1e-8a51-2f4c9d0e1b22\",\"eventID\":\"{:08x}-44b2-4c59-9d1f-0e3b8a7c5d10\",\"readOnly\":true,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\",\"tlsDetails\":{{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"bedrock-runtime.{}.amazonaws.com\"}}}}",
            iso(BASE + i as i64),
            rng.pick(&names),
            region,
            rng.next() % 250,
            i,
            i,
            region
        );
        if buf.len() > (1 << 20) - 4096 {
            raw += buf.len();
            let _ = enc.write_all(buf.as_bytes());
            buf.clear();
        }
    }
    buf.push_str("]}\n");
    raw += buf.len();
    let _ = enc.write_all(buf.as_bytes());
    (enc.finish().unwrap_or_default(), raw)
}

/// One 200 MB line: a single JSON document of CloudTrail records.
fn one_line_json(target: usize) -> Vec<u8> {
    let rec = r#"{"eventVersion":"1.10","eventTime":"2026-01-01T02:47:19Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userIdentity":{"accessKeyId":"AKIAEXAMPLE000000001"},"eventID":"ID"}"#;
    let mut s = String::with_capacity(target + 512);
    s.push_str("{\"Records\":[");
    let mut i = 0u64;
    while s.len() < target {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&rec.replace("ID", &i.to_string()));
        i += 1;
    }
    s.push_str("]}");
    s.into_bytes()
}

/// How a dataset is read.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// `read_each`: events counted and dropped.
    Stream,
    /// `read`: events kept in a `Vec<UsageEvent>`.
    Collect,
    /// `triage` and the report serialised: the CLI's pipeline.
    Triage,
}

impl Mode {
    const ALL: [Mode; 3] = [Mode::Stream, Mode::Collect, Mode::Triage];

    fn name(self) -> &'static str {
        match self {
            Mode::Stream => "stream",
            Mode::Collect => "collect",
            Mode::Triage => "triage",
        }
    }
}

struct Run {
    records: u64,
    secs: f64,
    cpu: f64,
    peak_mb: f64,
    base_mb: f64,
}

fn run(input: &Input, mode: Mode) -> Run {
    let ctx = Context::default();
    reset_peak();
    let base = status_kb("VmRSS:");
    let cpu0 = cpu_secs();
    let t = Instant::now();
    // Collected events are dropped after the clock stops: ingestion, not clean-up, is timed.
    let mut kept = None;
    let records = if mode == Mode::Triage {
        // Stages timed by this process's CPU clock: their shares hold under a loaded machine.
        let (report, stages) =
            leaktriage::triage_timed(std::slice::from_ref(input), &ctx, &mut || {
                cpu_secs() * 1000.0
            });
        eprintln!(
            "  stages (cpu): read {:.2} s, detect {:.2} s, scan {:.2} s ({:.0} MB scanned)",
            stages.read_ms / 1000.0,
            stages.detect_ms / 1000.0,
            stages.scan_ms / 1000.0,
            stages.scanned_bytes as f64 / 1e6
        );
        let json = report.to_json();
        std::hint::black_box(&json);
        report.evidence.iter().map(|f| f.records).sum::<u64>()
    } else if mode == Mode::Collect {
        let r = read(input, &ctx.csv_mappings);
        let n = r.events.len() as u64;
        kept = Some(r);
        n
    } else {
        let mut n = 0u64;
        let f = read_each(input, &ctx.csv_mappings, &mut |e| {
            std::hint::black_box(&e);
            n += 1;
        });
        std::hint::black_box(&f);
        n.max(f.records)
    };
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu0;
    let peak = status_kb("VmHWM:");
    drop(std::hint::black_box(kept));
    Run {
        records,
        secs,
        cpu,
        peak_mb: peak as f64 / 1024.0,
        base_mb: base as f64 / 1024.0,
    }
}

fn report(name: &str, input: &Input, uncompressed: usize) {
    let mb = uncompressed as f64 / 1e6;
    let mode = std::env::var("BENCH_MODE").unwrap_or_default();
    for m in Mode::ALL {
        if !mode.is_empty() && mode != m.name() {
            continue;
        }
        let r = run(input, m);
        let extra = (r.peak_mb - r.base_mb).max(0.0);
        println!(
            "{name:<30} {:<7} {:>8} rec  wall {:>6.2} s  cpu {:>6.2} s  {:>9.0} rec/cpu-s {:>6.1} MB/cpu-s  peak RSS {:>6.0} MiB = {:.2}x input",
            m.name(),
            r.records,
            r.secs,
            r.cpu,
            r.records as f64 / r.cpu.max(1e-9),
            mb / r.cpu.max(1e-9),
            r.peak_mb,
            r.peak_mb * 1024.0 * 1024.0 / uncompressed as f64,
        );
        let _ = extra;
    }
}

/// Access keys the synthetic trail's events are spread over (`--keys`).
static TRAIL_KEYS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(4);

fn main() {
    let mut n = 1_000_000usize;
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--records" => n = args.next().and_then(|v| v.parse().ok()).unwrap_or(n),
            "--only" => only = args.next(),
            // Spreads the trail's events over K access keys (default 4), each of its own user
            // when K is not 4: a key to focus on among many.
            "--keys" => {
                if let Some(k) = args.next().and_then(|v| v.parse().ok()) {
                    TRAIL_KEYS.store(k, std::sync::atomic::Ordering::Relaxed);
                }
            }
            // Writes the reference CSV and JSON and the gzipped CloudTrail file into DIR (for
            // the page benchmark, e2e/bench.js, and for timing the CLI), and stops.
            "--write" => {
                let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
                let (ct, _) = cloudtrail_gz(n);
                for (name, bytes) in [
                    ("reference.csv", reference_csv(n)),
                    ("reference.json", reference_json(n)),
                    ("cloudtrail.json.gz", ct),
                ] {
                    if let Err(e) = std::fs::write(dir.join(name), bytes) {
                        eprintln!("bench-evidence: cannot write {name}: {e}");
                        std::process::exit(1);
                    }
                }
                return;
            }
            // Writes the trail of N events as K gzipped files into DIR (a folder of many files,
            // for the CLI's --jobs), and stops.
            "--write-cloudtrail-dir" => {
                let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
                let k: usize = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(100)
                    .max(1);
                for part in 0..k {
                    let (first, end) = (n * part / k, n * (part + 1) / k);
                    let name = format!("cloudtrail-{part:04}.json.gz");
                    if let Err(e) =
                        std::fs::write(dir.join(&name), cloudtrail_part(first, end - first).0)
                    {
                        eprintln!("bench-evidence: cannot write {name}: {e}");
                        std::process::exit(1);
                    }
                }
                return;
            }
            _ => {
                println!("usage: bench-evidence [--records N] [--only csv|json|cloudtrail|line] [--keys K] [--write DIR] [--write-cloudtrail-dir DIR K]");
                return;
            }
        }
    }
    let child = std::env::var_os("BENCH_EVIDENCE_CHILD").is_some();
    if !child {
        println!(
        "bench-evidence: {n} records per dataset ({} build); UsageEvent is {} bytes before its strings",
        if cfg!(debug_assertions) {
            "DEBUG"
        } else {
            "optimised"
        },
        std::mem::size_of::<leaktriage::evidence::UsageEvent>(),
    );
    }
    if only.is_none() {
        // Each dataset and mode in its own process, so one run's freed heap does not count in
        // the next one's peak.
        let Ok(exe) = std::env::current_exe() else {
            println!("cannot find this program to run each dataset");
            return;
        };
        let chosen = std::env::var("BENCH_MODE").unwrap_or_default();
        for k in ["csv", "json", "cloudtrail", "line"] {
            for m in Mode::ALL {
                if !chosen.is_empty() && chosen != m.name() {
                    continue;
                }
                let status = std::process::Command::new(&exe)
                    .args(["--records", &n.to_string(), "--only", k])
                    .env("BENCH_EVIDENCE_CHILD", "1")
                    .env("BENCH_MODE", m.name())
                    .status();
                if !status.as_ref().is_ok_and(|s| s.success()) {
                    println!("dataset {k}, {} failed: {status:?}", m.name());
                }
            }
        }
        return;
    }
    let want = |k: &str| only.as_deref() == Some(k);
    if !reset_peak() {
        println!("note: /proc/self/clear_refs not writable; peak figures include generation");
    }

    if want("csv") {
        let csv = reference_csv(n);
        let size = csv.len();
        println!("reference CSV: {:.1} MB", size as f64 / 1e6);
        report("reference CSV", &Input::new("ref.csv", csv), size);
    }
    if want("json") {
        let json = reference_json(n);
        let size = json.len();
        println!("reference JSON: {:.1} MB", size as f64 / 1e6);
        report("reference JSON array", &Input::new("ref.json", json), size);
    }
    if want("cloudtrail") {
        let (gz, raw) = cloudtrail_gz(n);
        println!(
            "CloudTrail: {:.1} MB gzipped, {:.1} MB uncompressed",
            gz.len() as f64 / 1e6,
            raw as f64 / 1e6
        );
        report(
            "CloudTrail {Records} .json.gz",
            &Input::new("trail.json.gz", gz),
            raw,
        );
    }
    if want("line") {
        let line = vec![b'a'; 200 * 1024 * 1024];
        let size = line.len();
        report(
            "200 MB single-line text",
            &Input::new("line.txt", line),
            size,
        );
        let doc = one_line_json(200 * 1024 * 1024);
        let size = doc.len();
        report(
            "200 MB single-line JSON",
            &Input::new("line.json", doc),
            size,
        );
    }
}
