//! `bench-scan`: the scanner's throughput on a synthetic `git log -p` of realistic code.
//!
//! Builds SIZE_MB (default 256) of history in memory with a few planted fake secrets, scans it
//! on one core, and prints MB/s and peak memory (VmHWM). Run it optimised:
//! `cargo run --profile native --features testkit --bin bench-scan [SIZE_MB]`.
//! `BENCH_WRITE=FILE` writes the history to FILE instead; `BENCH_FILE=FILE BENCH_HOW=stream`
//! (or `whole`) scans such a file from disk, streamed or read whole, and prints its peak memory.

#[path = "bench_common/mod.rs"]
mod bench_common;

use bench_common::status_kb;
use leaktriage::evidence::EvidenceKind;
use leaktriage::scan::fake::{generate, Rng};
use leaktriage::scan::Scanner;
use leaktriage::Context;
use std::fmt::Write;
use std::time::Instant;

const CODE: &[&str] = &[
    "    let {id} = {id2}.get(&key).cloned().unwrap_or_default();",
    "    if {id}.len() > {n} {{ return Err(Error::TooLong({id}.len())); }}",
    "def {id}(self, {id2}: Optional[str] = None) -> Dict[str, Any]:",
    "        return self._{id}.get({id2}, {n})",
    "export const {id} = async ({id2}) => {{ const res = await fetch(`/api/{id2}/${{{id2}.id}}`); return res.json(); }};",
    "  {id}: {{ type: String, required: true, default: '{id2}' }},",
    "import {{ {id}, {id2} }} from '../lib/{id}';",
    "// {id}: keep in sync with the {id2} schema (see docs/{id}.md)",
    "    \"{id}\": \"^{n}.{n}.{n}\",",
    "func ({id} *{id2}) Handle(ctx context.Context, req *Request) (*Response, error) {{",
    "\tif err := {id}.Validate(req); err != nil {{ return nil, fmt.Errorf(\"{id2}: %w\", err) }}",
    "SELECT {id}, {id2} FROM {id}_{id2} WHERE id = $1 AND deleted_at IS NULL;",
    "  - name: {id}",
    "    image: registry.example.com/{id}/{id2}:{n}.{n}",
    "    assert_eq!({id}({n}), {n});",
    "public {id2} get{id}() {{ return this.{id}; }}",
    "        self.assertEqual(response.status_code, {n})",
    "    <button class=\"btn btn-{id}\" onClick={{() => set{id2}(!{id})}}>{id2}</button>",
    "    {id}_token = request.headers.get(\"X-{id2}-Token\")",
    "    logger.info(\"processed %d {id} in %.2fs\", count, elapsed)",
    "",
];
const WORDS: &[&str] = &[
    "user", "account", "config", "request", "handler", "cache", "session", "item", "order",
    "payload", "client", "buffer", "result", "index", "record", "event", "model", "store", "route",
    "value", "parser", "token", "schema", "worker", "queue", "message", "state",
];
const PATHS: &[&str] = &[
    "src/lib.rs",
    "app/models/user.py",
    "web/src/components/Table.tsx",
    "cmd/server/main.go",
    "config/settings.yaml",
    "db/migrations/0042_add_index.sql",
    "README.md",
    "tests/test_api.py",
];

fn ident(rng: &mut Rng) -> String {
    let a = *rng.pick(WORDS);
    let b = *rng.pick(WORDS);
    match rng.below(3) {
        0 => format!("{a}_{b}"),
        1 => format!("{a}{}{}", b[..1].to_ascii_uppercase(), &b[1..]),
        _ => a.to_string(),
    }
}

fn code_line(rng: &mut Rng) -> String {
    let t = *rng.pick(CODE);
    let id = ident(rng);
    let id2 = ident(rng);
    let n = rng.below(1000).to_string();
    t.replace("{id}", &id)
        .replace("{id2}", &id2)
        .replace("{n}", &n)
        .replace("{{", "{")
        .replace("}}", "}")
}

fn synthesise(target: usize, planted: &mut Vec<String>) -> String {
    let mut rng = Rng::new(1);
    let mut s = String::with_capacity(target + (1 << 20));
    let shapes = [
        "sk-proj-{b64u:74}T3BlbkFJ{b64u:74}",
        "sk-ant-api03-{b64u:93}AA",
        "ghp_{an:30}{crc}",
        "AKIA{b32:16}",
        "AIzaSy{b64u:33}",
        "hf_{let:34}",
    ];
    let mut c = 0u64;
    while s.len() < target {
        c += 1;
        let id: String = rng.string(b"0123456789abcdef", 40);
        let _ = write!(s, "commit {id}\nAuthor: Dev {c} <dev{}@example.com>\nDate:   Mon Jan 5 10:{:02}:00 2026 +0000\n\n    {} {}\n\n", c % 50, c % 60, ident(&mut rng), ident(&mut rng));
        for _ in 0..1 + rng.below(3) {
            let p = *rng.pick(PATHS);
            let _ = write!(
                s,
                "diff --git a/{p} b/{p}\nindex 1111111..2222222 100644\n--- a/{p}\n+++ b/{p}\n"
            );
            let start = 1 + rng.below(400);
            let n = 5 + rng.below(60);
            let lines: Vec<(u8, String)> = (0..n)
                .map(|_| (rng.below(3) as u8, code_line(&mut rng)))
                .collect();
            let old = lines.iter().filter(|l| l.0 != 1).count();
            let new = lines.iter().filter(|l| l.0 != 2).count();
            let _ = writeln!(s, "@@ -{start},{old} +{start},{new} @@");
            for (k, l) in lines {
                let m = [' ', '+', '-'][k as usize];
                let _ = writeln!(s, "{m}{l}");
            }
            if c % 2_000 == 0 {
                let f = generate(shapes[(c / 2_000) as usize % shapes.len()], &mut rng);
                let _ = writeln!(s, "@@ -900,0 +901,1 @@\n+API_KEY={}", f.text);
                planted.push(f.secret);
            }
        }
    }
    s
}

/// CPU seconds (user + system) this process has used: steadier than wall time on a shared machine.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<i64> = after
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    // Fields after the command and state: ppid is first, utime and stime are the 11th and 12th.
    (f.get(10).copied().unwrap_or(0) + f.get(11).copied().unwrap_or(0)).max(0) as f64 / 100.0
}

/// `BENCH_FILE=PATH BENCH_HOW=whole|stream`: scans a `git log -p` file on disk, read whole
/// into memory first (`whole`) or streamed line by line through the scanner (`stream`), and
/// prints the time and this process's peak memory (VmHWM): what the file costs to hold.
fn scan_file(path: &std::ffi::OsStr) {
    let stream = std::env::var("BENCH_HOW").is_ok_and(|h| h == "stream");
    let ctx = Context::default();
    let base = status_kb("VmHWM:");
    let c1 = cpu_secs();
    let t = Instant::now();
    let mut scanner = Scanner::new(ctx.scan_options());
    let read = if stream {
        let file = std::fs::File::open(path)
            .and_then(|mut f| scanner.scan_stream("bench.log", &mut f, EvidenceKind::GitLog));
        file.unwrap_or_else(|e| {
            eprintln!("bench-scan: {}: {e}", path.to_string_lossy());
            std::process::exit(1)
        })
    } else {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            eprintln!("bench-scan: {}: {e}", path.to_string_lossy());
            std::process::exit(1)
        });
        scanner.scan_text("bench.log", &text, EvidenceKind::GitLog);
        text.len() as u64
    };
    let report = scanner.finish();
    let (secs, cpu) = (t.elapsed().as_secs_f64(), cpu_secs() - c1);
    let size = read as f64 / (1024.0 * 1024.0);
    println!(
        "{}: {size:.1} MiB, {} commits, {} distinct secrets; {secs:.2}s wall, {cpu:.2}s CPU = {:.0} MiB/s per CPU second; VmHWM {} MiB (before the scan {} MiB)",
        if stream { "streamed" } else { "read whole" },
        report.totals.commits,
        report.totals.distinct_secrets,
        size / cpu.max(0.01),
        status_kb("VmHWM:") / 1024,
        base / 1024
    );
}

fn main() {
    if let Some(path) = std::env::var_os("BENCH_FILE") {
        return scan_file(&path);
    }
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(256);
    let mut planted = Vec::new();
    let t0 = Instant::now();
    let log = synthesise(mb << 20, &mut planted);
    let gen = t0.elapsed();
    // BENCH_WRITE=FILE writes the synthesised log for the page benchmark (e2e/bench.js) and stops.
    if let Some(path) = std::env::var_os("BENCH_WRITE") {
        if let Err(e) = std::fs::write(&path, &log) {
            eprintln!("bench-scan: cannot write {}: {e}", path.to_string_lossy());
            std::process::exit(1);
        }
        return;
    }
    if std::env::var_os("BENCH_PARTS").is_some() {
        parts(&log);
    }
    let before = status_kb("VmHWM:");
    let ctx = Context::default();
    let t = Instant::now();
    let engine = leaktriage::scan::engine::Engine::global();
    println!(
        "engine: {} rules compiled in {:.0} ms",
        engine.rules().len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let c1 = cpu_secs();
    let t1 = Instant::now();
    // BENCH_REPEAT=N scans N times (for profiling); figures are for the last run.
    let repeat: usize = std::env::var("BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    for _ in 1..repeat {
        let mut scanner = Scanner::new(ctx.scan_options());
        scanner.scan_text("bench.log", &log, EvidenceKind::GitLog);
        let _ = scanner.finish();
    }
    let mut scanner = Scanner::new(ctx.scan_options());
    scanner.scan_text("bench.log", &log, EvidenceKind::GitLog);
    let report = scanner.finish();
    let secs = t1.elapsed().as_secs_f64();
    let cpu = cpu_secs() - c1;
    let after = status_kb("VmHWM:");
    let size = log.len() as f64 / (1024.0 * 1024.0);
    let fps: std::collections::HashSet<String> = report
        .secrets
        .iter()
        .map(|s| s.fingerprint.clone())
        .collect();
    let found = planted
        .iter()
        .filter(|p| {
            fps.contains(
                &leaktriage::secret::Secret::new(p.as_str()).fingerprint(&Default::default()),
            )
        })
        .count();
    println!(
        "input: synthetic git log -p, {size:.1} MiB, {} commits (generated in {:.1}s)",
        report.totals.commits,
        gen.as_secs_f64()
    );
    println!("scan: {secs:.2}s wall on one thread = {:.0} MiB/s; {cpu:.2}s CPU = {:.0} MiB/s per CPU second", size / secs, size / cpu.max(0.01));
    println!(
        "findings: {} distinct secrets, {} occurrences; planted {} found {}",
        report.totals.distinct_secrets,
        report.totals.occurrences,
        planted.len(),
        found
    );
    println!("memory: VmHWM {} MiB after generating the input, {} MiB after scanning (scan added {} MiB)", before / 1024, after / 1024, after.saturating_sub(before) / 1024);
}

/// Component timings (`BENCH_PARTS=1`): where the time goes.
#[doc(hidden)]
pub fn parts(log: &str) {
    use leaktriage::scan::{
        decode,
        engine::{DropCounts, Engine},
        history,
    };
    let size = log.len() as f64 / (1024.0 * 1024.0);
    let t = Instant::now();
    let mut bytes = 0usize;
    history::parse(
        log,
        history::Order::NewestFirst,
        &mut |c: &history::Chunk| bytes += c.text.len(),
    );
    println!(
        "  parse only: {:.0} MiB/s ({} MiB in chunks)",
        size / t.elapsed().as_secs_f64(),
        bytes >> 20
    );
    let t = Instant::now();
    let mut out = Vec::new();
    decode::find(log.as_bytes(), &mut out);
    println!(
        "  decode::find only: {:.0} MiB/s ({} decoded runs)",
        size / t.elapsed().as_secs_f64(),
        out.len()
    );
    let t = Instant::now();
    let mut raw = Vec::new();
    Engine::global().scan(log.as_bytes(), &mut raw, &mut DropCounts::default());
    println!(
        "  engine only (whole text): {:.0} MiB/s ({} matches)",
        size / t.elapsed().as_secs_f64(),
        raw.len()
    );
}
