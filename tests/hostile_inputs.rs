//! The hostile corpus, generated at test time (no big file committed): decompression bombs,
//! gzip inside gzip, a huge JSON document the import probe must not parse whole, and the files
//! a command line may meet that are not files (FIFOs, devices, symbolic link loops). Each
//! asserts the problem named and what was kept; docs/evidence.md lists the limits. Also the
//! limits on one record, one field value and JSON nesting, met in a usage export.

mod common;

use common::{cli, scratch, stdout};
use flate2::write::GzEncoder;
use leaktriage::evidence::limits::{
    FIELD_BYTES, GZIP_DEPTH, INFLATION_RATIO, JSON_DEPTH, PROBE_BYTES, RATIO_FROM_BYTES,
    RECORD_BYTES,
};
use leaktriage::{triage, Context, Input};
use std::io::Write;

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A gzip of zeros of about `mb` compressed megabytes, as many gzip members of 8 MiB of zeros
/// each (about 1000 to 1): 10 MB inflate to about 10 GB.
fn zero_bomb(mb: usize) -> Vec<u8> {
    let member = gz(&vec![0u8; 8 << 20]);
    let mut out = Vec::with_capacity(mb << 20);
    while out.len() < mb << 20 {
        out.extend_from_slice(&member);
    }
    out
}

fn problems(report: &leaktriage::Report, name: &str) -> Vec<String> {
    let e = report.evidence.iter().find(|e| e.name == name).unwrap();
    e.problems.iter().map(|p| p.message.clone()).collect()
}

#[test]
fn a_10_mb_gzip_of_zeros_stops_at_the_ratio_limit_and_the_run_goes_on() {
    let bomb = zero_bomb(10);
    let inputs = [
        Input::new("zeros.gz", bomb),
        Input::new("prod.env", b"OPENAI_API_KEY=none\n".to_vec()),
    ];
    let report = triage(&inputs, &Context::default());
    let probs = problems(&report, "zeros.gz");
    let want = format!("limit of {INFLATION_RATIO} to 1");
    assert!(probs.iter().any(|p| p.contains(&want)), "{probs:?}");
    assert!(!probs.iter().any(|p| p.contains("damaged")), "{probs:?}");
    assert_eq!(report.evidence.len(), 2);
}

#[test]
fn a_bomb_below_the_ratio_floor_is_kept_whole() {
    // 8 MiB of one letter: under the size from which the ratio is checked.
    const { assert!(8 << 20 < RATIO_FROM_BYTES) };
    let report = triage(
        &[Input::new("small.gz", gz(&vec![b'a'; 8 << 20]))],
        &Context::default(),
    );
    assert!(problems(&report, "small.gz").is_empty());
}

#[test]
fn gzip_inside_gzip_is_unwrapped_and_too_deep_is_named() {
    let text = b"OPENAI_API_KEY=sk-proj-not-a-real-key\nline two\n".to_vec();
    let two = gz(&gz(&text));
    let report = triage(&[Input::new("two.gz", two)], &Context::default());
    let e = &report.evidence[0];
    assert_eq!(e.lines, 2, "{e:?}");
    assert!(e.problems.is_empty());
    let mut deep = text;
    for _ in 0..=GZIP_DEPTH {
        deep = gz(&deep);
    }
    let report = triage(&[Input::new("deep.gz", deep)], &Context::default());
    let probs = problems(&report, "deep.gz");
    let want = format!("limit of {GZIP_DEPTH} layers");
    assert!(probs.iter().any(|p| p.contains(&want)), "{probs:?}");
}

#[test]
fn a_damaged_gzip_still_says_damaged() {
    let g = gz(&b"line of text\n".repeat(5000));
    let report = triage(
        &[Input::new("cut.gz", g[..g.len() / 2].to_vec())],
        &Context::default(),
    );
    let probs = problems(&report, "cut.gz");
    assert!(probs.iter().any(|p| p.contains("damaged")), "{probs:?}");
}

#[test]
fn the_import_probe_does_not_parse_a_large_json_document_whole() {
    // `[{},{},...]`: no report marker in its head, so it is not parsed as a value.
    let mut doc = String::from("[");
    doc.push_str(&"{},".repeat(4 << 20));
    doc.push_str("{}]");
    assert!(leaktriage::scan::import::parse(&doc).is_none());
    // A gitleaks report is still recognised...
    let gl = r#"[{"RuleID":"x","Secret":"REDACTED","File":"a","StartLine":1}]"#;
    assert!(leaktriage::scan::import::parse(gl).is_some());
    // ...but the same report is not parsed when its marker is past the head, nor when it is
    // larger than the probe's limit: what would be an import if parsed whole is decided
    // without parsing it (no timing needed to tell).
    let late = gl.replacen("[{", &format!("[{{{}", " ".repeat(70 << 10)), 1);
    assert!(serde_json::from_str::<serde_json::Value>(&late).is_ok());
    assert!(leaktriage::scan::import::parse(&late).is_none());
    let huge = gl.replacen("}]", &format!("{}}}]", " ".repeat(PROBE_BYTES)), 1);
    assert!(leaktriage::scan::import::parse(&huge).is_none());
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_symlink_loops_are_refused_without_blocking() {
    use std::os::unix::fs::symlink;
    let dir = scratch("hostile-walk");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/prod.env"), "OPENAI_API_KEY=none\n").unwrap();
    let fifo = dir.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let have_fifo = made.is_ok_and(|s| s.success());
    symlink("..", dir.join("sub/up")).unwrap();
    symlink("/dev/zero", dir.join("zero")).unwrap();
    let d = dir.to_string_lossy().into_owned();
    // A FIFO opened for reading would block this call for ever: that it returns is the test.
    let o = cli(&["--json", "--no-time", &d, "/dev/zero"]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    if have_fifo {
        assert!(err.contains("pipe: a FIFO"), "{err}");
    }
    assert!(err.contains("zero: a character device"), "{err}");
    assert!(err.contains("/dev/zero: a character device"), "{err}");
    assert!(err.contains("already read"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["evidence"].as_array().map(Vec::len), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A reference-format JSON Lines record at minute `i`, with a user agent.
fn ref_line(i: u32, ua: &str) -> String {
    format!(
        "{{\"timestamp\":\"2026-01-01T00:{i:02}:00Z\",\"api_key_prefix\":\"sk-...a1B2\",\"model\":\"gpt-4o\",\"user_agent\":\"{ua}\"}}\n"
    )
}

#[test]
fn a_line_past_the_limit_per_record_is_skipped_and_the_others_read() {
    let mut text = ref_line(1, "curl/8.5.0");
    // Words, not one run of letters: the scanner reads usage exports too, and a 64 MiB run of
    // one token is slow to go through unoptimised.
    text.push_str(&ref_line(2, &"curl/8.5.0 ".repeat(RECORD_BYTES / 11 + 1)));
    text.push_str(&ref_line(3, "curl/8.5.0"));
    let report = triage(
        &[Input::new("usage.jsonl", text.into_bytes())],
        &Context::default(),
    );
    let e = &report.evidence[0];
    assert_eq!((e.records, e.problem_count), (2, 1), "{:?}", e.problems);
    assert_eq!(e.problems[0].line, Some(2));
    assert!(
        e.problems[0]
            .message
            .contains("longer than the limit of 64 MiB per record; skipped"),
        "{:?}",
        e.problems
    );
}

#[test]
fn a_long_field_value_is_cut_and_no_part_of_a_token_at_the_cut_reaches_the_report() {
    // A fake key straddling the limit, after words that fill it.
    let fake = format!("sk-proj-{}", "Q7".repeat(40));
    let ua = format!("{}{fake} tail", "Mozilla/5.0 ".repeat(FIELD_BYTES / 12));
    let text = format!("{}{}", ref_line(1, &ua), ref_line(2, "curl/8.5.0"));
    let report = triage(
        &[Input::new("usage.jsonl", text.into_bytes())],
        &Context::default(),
    );
    let e = &report.evidence[0];
    assert_eq!(e.records, 2);
    assert_eq!(e.problems.len(), 1, "{:?}", e.problems);
    assert_eq!(e.problems[0].column.as_deref(), Some("user_agent"));
    assert!(e.problems[0]
        .message
        .contains("longer than the limit of 4 KiB per field value"));
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains("sk-proj-Q7"), "part of the token kept");
    assert!(!json.contains(" tail"));
    assert!(json.contains("bytes, cut at the limit of 4 KiB]"));
}

#[test]
fn a_record_nested_past_the_limit_is_named_and_the_others_read() {
    // In a field the reader uses (one it does not is skipped over without recursion).
    let deep = format!(
        "{}1{}",
        "[".repeat(JSON_DEPTH + 10),
        "]".repeat(JSON_DEPTH + 10)
    );
    let text = format!(
        "[{},{{\"timestamp\":\"2026-01-01T00:02:00Z\",\"api_key_prefix\":\"sk-...a1B2\",\"model\":{deep}}},{}]",
        ref_line(1, "curl").trim(),
        ref_line(3, "curl").trim()
    );
    let report = triage(
        &[Input::new("usage.json", text.into_bytes())],
        &Context::default(),
    );
    let e = &report.evidence[0];
    assert_eq!(e.records, 2, "{:?}", e.problems);
    let want = format!("nested deeper than the limit of {JSON_DEPTH} levels");
    assert!(
        e.problems
            .iter()
            .any(|p| p.message.contains(&want) && p.record == Some(1)),
        "{:?}",
        e.problems
    );
}
