//! Linear time for every rule on adversarial text: each case is scanned at N and 4N bytes and
//! the time ratio must stay below 8 (linear is 4), measured against nothing absolute.
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

fn time(text: &str) -> f64 {
    let ctx = Context::default();
    let mut scanner = Scanner::new(ctx.scan_options());
    let t = Instant::now();
    scanner.scan_text("hostile.txt", text, EvidenceKind::Text);
    let _ = scanner.finish();
    t.elapsed().as_secs_f64()
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
