//! Linear time for every rule on adversarial text: each case is scanned at N and 4N bytes and
//! the time ratio must stay below 8 (linear is 4), measured against nothing absolute; and each
//! rule of the catalog on near misses of its own secret, against a normal text of the same
//! size. Times are the test thread's CPU time, so other work on a shared machine does not count.
//!
//! Regression: plain text of PEM `BEGIN` lines with no `END` took super-linear time (8 MB in
//! 0.5 s, 12 MB over 20 s) as the private-key rule's bounded repetition drove the regex engine
//! from its lazy DFA to its slow fallback.

use leaktriage::evidence::EvidenceKind;
use leaktriage::scan::Scanner;
use leaktriage::Context;
use std::time::Instant;

/// N, in bytes: a few MB (the regex crates are optimised even in the test profile).
const N: usize = 3 << 20;

fn repeat(unit: &str, n: usize) -> String {
    let mut s = unit.repeat(n / unit.len() + 1);
    s.truncate(n);
    while !s.is_char_boundary(s.len()) {
        s.pop();
    }
    s
}

/// Seconds this thread has run on a CPU (`CLOCK_THREAD_CPUTIME_ID`): other processes on a
/// shared machine do not count in it, as they do in the wall clock (used where it is missing).
fn cpu_seconds() -> Option<f64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to write.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9)
}

/// The time to scan a text: CPU time of this thread where the system gives it.
fn time(text: &str) -> f64 {
    let ctx = Context::default();
    let mut scanner = Scanner::new(ctx.scan_options());
    let (t, cpu) = (Instant::now(), cpu_seconds());
    scanner.scan_text("hostile.txt", text, EvidenceKind::Text);
    let _ = scanner.finish();
    match (cpu, cpu_seconds()) {
        (Some(a), Some(b)) => b - a,
        _ => t.elapsed().as_secs_f64(),
    }
}

/// The adversarial units: keywords repeated without a valid secret, long runs of secret
/// alphabets, unclosed quotes and blocks. Each with its N: the PEM cases at 3 MB (the slow path
/// showed past 8 MB), the others smaller where their matches cost (JWT heads are decoded).
const CASES: &[(&str, &str, usize)] = &[
    ("pem begin without end", "-----BEGIN RSA PRIVATE KEY-----\n", N),
    ("pem begin, no newline", "-----BEGIN PRIVATE KEY-----", N),
    (
        "pem begin and body, no end",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n",
        N / 2,
    ),
    ("putty header without mac", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n", N / 4),
    ("service account without key", "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN ", N / 4),
    ("jwt heads", "eyJhbGciOiJIUzI1NiJ9.eyJ", N / 16),
    ("secret alphabet run", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-", N / 16),
    ("keyword repeated", "api_key = token = secret: password=", N / 4),
    ("unclosed quotes", "api_key=\"aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW", N / 4),
    ("jdbc without password", "jdbc:mysql://host:3306/db?user=a&", N / 4),
    ("data source without password", "Server=tcp:x;Data Source=y;", N / 4),
    ("aws token keyword", "aws_session_token = ", N / 4),
    ("bedrock prefix", "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t", N / 4),
    ("base64 run", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2", N / 4),
    ("url with credentials", "postgres://user:pass@", N / 4),
];

#[test]
fn every_adversarial_case_scans_in_linear_time() {
    // Seconds per byte of a normal text: the floor under which a time is noise.
    let normal = repeat(
        "the quick brown fox jumps over the lazy dog, 1234567890\n",
        N,
    );
    let per_byte = time(&normal) / N as f64;
    let mut bad = Vec::new();
    let only = std::env::var("HOSTILE_CASE").unwrap_or_default();
    for &(name, unit, n) in CASES.iter().filter(|c| c.0.contains(only.as_str())) {
        let (a, b) = (time(&repeat(unit, n)), time(&repeat(unit, 4 * n)));
        let ratio = b / a.max(per_byte * n as f64).max(0.002);
        eprintln!("{name}: {n} bytes {a:.3}s, 4x {b:.3}s, ratio {ratio:.1}");
        if ratio > 8.0 {
            bad.push(format!("{name}: ratio {ratio:.1}"));
        }
    }
    assert!(bad.is_empty(), "super-linear: {bad:?}");
}

/// Adversarial text made from one rule: its keywords packed together, its fake secret cut by one
/// character and repeated with no separator (a run of near misses), and a keyword followed by a
/// run of the secret's alphabet far longer than any secret. Each third of `n` bytes.
fn near_misses(rule: &leaktriage::scan::rules::Rule, n: usize) -> String {
    let mut rng = leaktriage::scan::fake::Rng::new(7);
    let fake = leaktriage::scan::fake::generate(rule.shape, &mut rng);
    let kws: String = rule
        .keywords
        .iter()
        .map(|k| format!("{k} = {k}: "))
        .collect();
    let mut cut = fake.text.clone();
    cut.pop();
    while !cut.is_char_boundary(cut.len()) {
        cut.pop();
    }
    let kw = rule.keywords.first().copied().unwrap_or("key");
    let run = format!(
        "{kw}={}",
        fake.secret.repeat(n / 3 / fake.secret.len().max(1) + 1)
    );
    let mut s = repeat(if kws.is_empty() { "key = " } else { &kws }, n / 3);
    s.push('\n');
    s.push_str(&repeat(if cut.is_empty() { "x" } else { &cut }, n / 3));
    s.push('\n');
    s.push_str(&repeat(&run, n / 3));
    s
}

#[test]
fn every_catalog_rule_scans_its_own_near_misses_in_linear_time() {
    // Smaller than above: over a hundred rules, each at n and 4n, in the test command.
    let small: usize = std::env::var("HOSTILE_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256 << 10);
    let normal = repeat(
        "the quick brown fox jumps over the lazy dog, 1234567890\n",
        4 * small,
    );
    let per_byte = time(&normal) / normal.len() as f64;
    let only = std::env::var("HOSTILE_CASE").unwrap_or_default();
    let mut bad = Vec::new();
    let mut worst = (0.0f64, "");
    let mut steepest = (0.0f64, "");
    let rules = leaktriage::scan::rules::catalog();
    let t = Instant::now();
    for rule in rules.iter().filter(|r| r.id.contains(only.as_str())) {
        let (small, large) = (near_misses(rule, small), near_misses(rule, 4 * small));
        let (a, b) = (time(&small), time(&large));
        let floor = per_byte * small.len() as f64;
        // Under 10 ms a time is mostly the machine's noise: the small size's time is at least
        // that. Linear is 4; quadratic 16.
        let ratio = b / a.max(floor).max(0.010);
        // Against a normal text of the same size (reported; the bound is generous).
        let vs_normal = b / (per_byte * large.len() as f64).max(1e-9);
        if ratio > steepest.0 {
            steepest = (ratio, rule.id);
        }
        if vs_normal > worst.0 {
            worst = (vs_normal, rule.id);
        }
        if !only.is_empty() {
            eprintln!("{}: {a:.4}s, 4x {b:.4}s", rule.id);
        }
        if ratio > 10.0 || vs_normal > 1000.0 {
            bad.push(format!(
                "{}: 4x the bytes took {ratio:.1}x the time, {vs_normal:.0}x a normal text's",
                rule.id
            ));
        }
    }
    eprintln!(
        "{} rules in {:.1} s; the steepest: {} at {:.1}x for 4x the bytes; the slowest against a \
         normal text: {} at {:.0}x",
        rules.len(),
        t.elapsed().as_secs_f64(),
        steepest.1,
        steepest.0,
        worst.1,
        worst.0
    );
    assert!(bad.is_empty(), "super-linear or far slower: {bad:#?}");
}
