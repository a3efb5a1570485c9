//! `bench-agent`: generates agent logs in memory and times reading and classifying them.
//!
//! Run with `cargo run --profile native --features testkit --bin bench-agent` (optionally
//! `-- --lines N`; `-- --only agent` or `--only triage` runs one path, for a profiler). Datasets (fake values only): N Claude Code transcript lines (assistant
//! lines with a tool call, user lines with its result, in the shape of Claude Code 2.1
//! transcripts) in 100 session files, and N Claude Code OpenTelemetry log records
//! (`tool_result`, `tool_decision`, `api_request` events, in the shape of real 2.1.220 bodies)
//! as the collector file exporter's JSON Lines, 10 records a line. Each is run two ways: the
//! agent path (sniff, read into agent records, the agent stage's sessions, actions and
//! classes: `agent::read` then `agent::analyse`), and the whole engine (`triage` and the
//! report as JSON, as the CLI does: inventory, the secret scan of every line, detection).
//! Rates are MB of input per CPU-second of this thread; peak memory is the process's `VmHWM`,
//! reset before each run, the input's own bytes included.

#[path = "bench_common/mod.rs"]
mod bench_common;

use bench_common::{cpu_secs, reset_peak, status_kb};
use leaktriage::agent::{self, Given};
use leaktriage::evidence::{sniff, Input};
use leaktriage::Context;
use std::fmt::Write as _;
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

/// 2026-07-01T00:00:00Z.
const BASE: i64 = 1_782_864_000;
const FILES: usize = 100;

fn iso_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

/// Tool calls of a working session: (tool, input JSON).
const CALLS: [(&str, &str); 10] = [
    (
        "Read",
        r#"{"file_path":"/home/dev/projects/app/src/server/handlers.rs"}"#,
    ),
    (
        "Grep",
        r#"{"pattern":"fn handle_","path":"/home/dev/projects/app/src","output_mode":"content"}"#,
    ),
    (
        "Bash",
        r#"{"command":"cargo test --lib server::handlers 2>&1 | tail -20","description":"Run the handler tests"}"#,
    ),
    (
        "Edit",
        r#"{"file_path":"/home/dev/projects/app/src/server/handlers.rs","old_string":"    let body = req.body().await?;\n    Ok(Response::new(body))","new_string":"    let body = req.body().await?;\n    let body = validate(&body)?;\n    Ok(Response::new(body))","replace_all":false}"#,
    ),
    (
        "Bash",
        r#"{"command":"git status --short && git diff --stat","description":"Show changes"}"#,
    ),
    (
        "Bash",
        r#"{"command":"git commit -am \"handlers: validate bodies\"","description":"Commit"}"#,
    ),
    (
        "WebFetch",
        r#"{"url":"https://docs.example.com/api/validation","prompt":"Summarise the validation rules"}"#,
    ),
    (
        "mcp__github__create_pull_request",
        r#"{"owner":"example-org","repo":"app","title":"Validate request bodies","head":"dev/validate","base":"main"}"#,
    ),
    (
        "Bash",
        r#"{"command":"git push origin dev/validate","description":"Push the branch"}"#,
    ),
    (
        "Write",
        r#"{"file_path":"/home/dev/projects/app/notes/validation.md","content":"Validation notes: bodies are checked before they reach the handlers; see the tests."}"#,
    ),
];

const RESULTS: [&str; 4] = [
    "test server::handlers::tests::rejects_empty_body ... ok\ntest server::handlers::tests::accepts_json ... ok\n\ntest result: ok. 2 passed; 0 failed",
    "The file /home/dev/projects/app/src/server/handlers.rs has been updated successfully.",
    " M src/server/handlers.rs\n src/server/handlers.rs | 3 ++-\n 1 file changed, 2 insertions(+), 1 deletion(-)",
    "1     use crate::server::Request;\n2     use crate::server::Response;\n3     \n4     pub async fn handle_create(req: Request) -> Result<Response> {",
];

/// `n` transcript lines in `FILES` session files: each call an assistant line, its result a
/// user line.
fn transcripts(n: usize) -> Vec<Input> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let per = n.div_ceil(FILES);
    let mut out = Vec::new();
    let mut made = 0;
    for f in 0..FILES {
        let session = format!("{:08x}-1c2d-4e5f-8a9b-{:012x}", 0x5e55_0000 + f, f * 7919);
        let mut s = String::with_capacity(per * 900);
        let mut i = 0;
        while i < per && made < n {
            let ms = (BASE + (f as i64) * 86_400) * 1000 + (i as i64) * 1_500;
            let (tool, input) = CALLS[(rng.next() % CALLS.len() as u64) as usize];
            let id = format!("toolu_01{:022x}", rng.next() as u128 * 31 + i as u128);
            let _ = writeln!(
                s,
                r#"{{"parentUuid":"{:08x}-aaaa-4bbb-8ccc-{:012x}","isSidechain":false,"userType":"external","cwd":"/home/dev/projects/app","sessionId":"{session}","version":"2.1.39","gitBranch":"dev/validate","message":{{"model":"claude-sonnet-4-5-20250929","id":"msg_01{:022x}","type":"message","role":"assistant","content":[{{"type":"tool_use","id":"{id}","name":"{tool}","input":{input}}}],"stop_reason":null,"usage":{{"input_tokens":3,"cache_creation_input_tokens":412,"cache_read_input_tokens":28114,"output_tokens":96}}}},"requestId":"req_011C{:020x}","type":"assistant","uuid":"{:08x}-bbbb-4ccc-8ddd-{:012x}","timestamp":"{}"}}"#,
                rng.next() as u32,
                i,
                rng.next(),
                rng.next(),
                rng.next() as u32,
                i,
                iso_ms(ms)
            );
            i += 1;
            made += 1;
            if i >= per || made >= n {
                break;
            }
            let text = serde_json::to_string(rng.pick(&RESULTS)).unwrap_or_default();
            let error = rng.next() % 40 == 0;
            let _ = writeln!(
                s,
                r#"{{"parentUuid":"{:08x}-bbbb-4ccc-8ddd-{:012x}","isSidechain":false,"userType":"external","cwd":"/home/dev/projects/app","sessionId":"{session}","version":"2.1.39","gitBranch":"dev/validate","type":"user","message":{{"role":"user","content":[{{"tool_use_id":"{id}","type":"tool_result","content":{text},"is_error":{error}}}]}},"uuid":"{:08x}-cccc-4ddd-8eee-{:012x}","timestamp":"{}","toolUseResult":{{"stdout":{text},"stderr":"","interrupted":false,"isImage":false}}}}"#,
                rng.next() as u32,
                i,
                rng.next() as u32,
                i,
                iso_ms(ms + 800)
            );
            i += 1;
            made += 1;
        }
        out.push(Input::new(format!("transcripts/{session}.jsonl"), s));
    }
    out
}

fn attr(s: &mut String, k: &str, v: &str) {
    let _ = write!(s, r#"{{"key":"{k}","value":{{"stringValue":"{v}"}}}},"#);
}

/// `n` Claude Code log records as collector JSON Lines (10 records a line), in `FILES` files.
fn otlp_logs(n: usize) -> Vec<Input> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let per = n.div_ceil(FILES);
    let mut out = Vec::new();
    let mut made = 0;
    let tools = [
        "Read", "Bash", "Edit", "Grep", "WebFetch", "mcp_tool", "Write",
    ];
    for f in 0..FILES {
        let session = format!(
            "{:08x}-7a6b-4c5d-9e8f-{:012x}",
            0x07e1_0000 + f,
            f * 104_729
        );
        let mut s = String::with_capacity(per * 1100);
        let mut i = 0;
        while i < per && made < n {
            s.push_str(r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"host.arch","value":{"stringValue":"amd64"}},{"key":"os.type","value":{"stringValue":"linux"}},{"key":"service.name","value":{"stringValue":"claude-code"}},{"key":"service.version","value":{"stringValue":"2.1.220"}}]},"scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events","version":"2.1.220"},"logRecords":["#);
            for r in 0..10 {
                if i >= per || made >= n {
                    break;
                }
                let ms = (BASE + (f as i64) * 86_400) * 1000 + (i as i64) * 700;
                let nanos = ms as i128 * 1_000_000;
                let event = match rng.next() % 10 {
                    0..=4 => "tool_result",
                    5..=7 => "tool_decision",
                    _ => "api_request",
                };
                if r > 0 {
                    s.push(',');
                }
                let _ = write!(
                    s,
                    r#"{{"timeUnixNano":"{nanos}","observedTimeUnixNano":"{nanos}","body":{{"stringValue":"claude_code.{event}"}},"attributes":["#
                );
                attr(&mut s, "user.id", "<REDACTED>");
                attr(&mut s, "session.id", &session);
                attr(
                    &mut s,
                    "organization.id",
                    "0e6f2b4c-1111-4222-8333-444455556666",
                );
                attr(&mut s, "user.email", "dev@example.com");
                attr(&mut s, "terminal.type", "xterm-256color");
                attr(&mut s, "event.name", event);
                attr(&mut s, "event.timestamp", &iso_ms(ms));
                let _ = write!(
                    s,
                    r#"{{"key":"event.sequence","value":{{"intValue":{i}}}}},"#
                );
                attr(
                    &mut s,
                    "prompt.id",
                    &format!("{:08x}-bbbb-4ccc-8ddd-{:012x}", rng.next() as u32, i),
                );
                match event {
                    "api_request" => {
                        attr(&mut s, "model", "claude-sonnet-4-5-20250929");
                        attr(&mut s, "cost_usd", "0.0027651900000000003");
                        attr(&mut s, "input_tokens", "3");
                        attr(&mut s, "output_tokens", "96");
                        attr(&mut s, "cache_read_tokens", "28114");
                        attr(
                            &mut s,
                            "request_id",
                            &format!("req_011C{:020x}", rng.next()),
                        );
                        attr(&mut s, "duration_ms", "2874");
                    }
                    _ => {
                        let tool = rng.pick(&tools);
                        attr(&mut s, "tool_name", tool);
                        attr(
                            &mut s,
                            "tool_use_id",
                            &format!("toolu_01{:022x}", rng.next()),
                        );
                        if event == "tool_result" {
                            attr(
                                &mut s,
                                "success",
                                if rng.next() % 30 == 0 {
                                    "false"
                                } else {
                                    "true"
                                },
                            );
                            attr(&mut s, "duration_ms", "41");
                            attr(&mut s, "tool_result_size_bytes", "1932");
                            if tool == "Bash" {
                                attr(
                                    &mut s,
                                    "tool_parameters",
                                    r#"{\"bash_command\":\"git\",\"full_command\":\"git push origin dev/validate\",\"git_commit_id\":\"\"}"#,
                                );
                            }
                        } else {
                            attr(
                                &mut s,
                                "decision",
                                if rng.next() % 20 == 0 {
                                    "reject"
                                } else {
                                    "accept"
                                },
                            );
                            attr(&mut s, "source", "config");
                        }
                    }
                }
                s.pop();
                s.push_str("]}");
                i += 1;
                made += 1;
            }
            s.push_str("]}]}]}\n");
        }
        out.push(Input::new(format!("otel/claude-code-{f:03}.jsonl"), s));
    }
    out
}

struct Run {
    records: u64,
    actions: usize,
    wall: f64,
    cpu: f64,
    peak_mb: f64,
}

fn agent_path(inputs: &[Input]) -> Run {
    reset_peak();
    let cpu0 = cpu_secs();
    let t = Instant::now();
    let kinds: Vec<_> = inputs
        .iter()
        .map(|i| sniff(std::str::from_utf8(&i.bytes).unwrap_or("")))
        .collect();
    let skip = vec![false; inputs.len()];
    let records = agent::read(inputs, &kinds, &skip);
    let section = agent::analyse(&records, &Given::default());
    let run = Run {
        records: records.len() as u64,
        actions: section.actions.len(),
        wall: t.elapsed().as_secs_f64(),
        cpu: cpu_secs() - cpu0,
        peak_mb: status_kb("VmHWM:") as f64 / 1024.0,
    };
    drop(section);
    drop(records);
    run
}

fn whole(inputs: &[Input]) -> Run {
    reset_peak();
    let cpu0 = cpu_secs();
    let t = Instant::now();
    let report = leaktriage::triage(inputs, &Context::default());
    let json = report.to_json();
    let run = Run {
        records: report.evidence.iter().map(|e| e.records).sum(),
        actions: report.agent.actions.len(),
        wall: t.elapsed().as_secs_f64(),
        cpu: cpu_secs() - cpu0,
        peak_mb: status_kb("VmHWM:") as f64 / 1024.0,
    };
    drop(json);
    drop(report);
    run
}

fn main() {
    let mut n = 1_000_000usize;
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--lines" => n = args.next().and_then(|v| v.parse().ok()).unwrap_or(n),
            "--only" => only = args.next(),
            _ => {}
        }
    }
    if !reset_peak() {
        println!("note: /proc/self/clear_refs not writable; peak figures include generation");
    }
    println!(
        "{:<22} {:<7} {:>9} {:>9} {:>8} {:>8} {:>10} {:>10} {:>10}",
        "dataset",
        "path",
        "records",
        "actions",
        "wall s",
        "cpu s",
        "MB/cpu-s",
        "MB/wall-s",
        "peak MiB"
    );
    for (name, make) in [
        ("transcript lines", transcripts as fn(usize) -> Vec<Input>),
        ("otlp log records", otlp_logs),
    ] {
        let inputs = make(n);
        let mb = inputs.iter().map(|i| i.bytes.len()).sum::<usize>() as f64 / 1e6;
        for (path, f) in [
            ("agent", agent_path as fn(&[Input]) -> Run),
            ("triage", whole),
        ] {
            if only.as_deref().is_some_and(|o| o != path) {
                continue;
            }
            let r = f(&inputs);
            println!(
                "{name:<22} {path:<7} {:>9} {:>9} {:>8.2} {:>8.2} {:>10.1} {:>10.1} {:>10.0}   ({mb:.1} MB input, peak {:.2}x)",
                r.records,
                r.actions,
                r.wall,
                r.cpu,
                mb / r.cpu.max(1e-9),
                mb / r.wall.max(1e-9),
                r.peak_mb,
                r.peak_mb * 1.048_576 / mb.max(1e-9),
            );
        }
    }
}
