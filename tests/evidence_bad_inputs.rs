//! Bad inputs give problems and keep the good rows, with no panic: empty files, truncated
//! JSON, ragged CSV, wrong types, binary, Latin-1, UTF-16, damaged gzip, a 200 MB single line,
//! and every fixture cut short at many points. Also: pages and files of one export merge
//! without double counting.

use leaktriage::evidence::{read, read_all, EvidenceKind, Input};
use std::io::Write;

fn read_one(name: &str, bytes: impl Into<Vec<u8>>) -> leaktriage::evidence::Read {
    read(&Input::new(name, bytes), &Default::default())
}

const REF_HEADER: &str = "timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd\n";

fn ref_row(i: u32) -> String {
    format!(
        "2026-01-01T00:{:02}:00Z,sk-...a1B2,gpt-4o,{i},1,/v1/chat/completions,192.0.2.1,curl/8,200,0.01\n",
        i % 60
    )
}

#[test]
fn empty_file_is_a_note_not_an_error() {
    let r = read_one("empty.json", Vec::new());
    assert_eq!(r.file.kind, EvidenceKind::Empty);
    assert!(r.events.is_empty());
    assert_eq!(r.file.problem_count, 0);
}

#[test]
fn whitespace_only_json_like_file_reads_nothing() {
    let r = read_one("blank.json", "   \n\n  ");
    assert!(r.events.is_empty());
}

#[test]
fn truncated_cloudtrail_keeps_the_records_before_the_cut() {
    let rec = r#"{"eventVersion":"1.10","eventTime":"2026-01-01T02:47:19Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","eventID":"ID"}"#;
    let mut text = String::from("{\"Records\":[");
    for i in 0..5 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&rec.replace("ID", &format!("e{i}")));
    }
    let cut = text.len() - 40;
    let r = read_one("trail.json", &text.as_bytes()[..cut]);
    assert_eq!(r.file.kind, EvidenceKind::Cloudtrail);
    assert_eq!(r.events.len(), 4);
    assert_eq!(r.file.problem_count, 1);
    assert!(
        r.file.problems[0].message.contains("truncated"),
        "{:?}",
        r.file.problems
    );
}

#[test]
fn ragged_csv_rows_are_skipped_and_reported_by_line() {
    let mut text = String::from(REF_HEADER);
    text.push_str(&ref_row(1));
    text.push_str("2026-01-01T00:00:00Z,sk-...a1B2,gpt-4o\n");
    text.push_str(&ref_row(2));
    text.push_str("2026-01-01T00:00:00Z,a,b,c,d,e,f,g,h,i,j,k,l\n");
    text.push_str(&ref_row(3));
    let r = read_one("ragged.csv", text);
    assert_eq!(r.events.len(), 3);
    assert_eq!(r.file.problem_count, 2);
    let lines: Vec<u64> = r.file.problems.iter().filter_map(|p| p.line).collect();
    assert_eq!(lines, [3, 5]);
}

/// The reference CSV with `rows` rows, each line ended by `eol`.
fn ref_csv(rows: u32, eol: &str) -> String {
    let mut text = REF_HEADER.replace('\n', eol);
    for i in 1..=rows {
        text.push_str(&ref_row(i).replace('\n', eol));
    }
    text
}

/// `text` with the `n`th (1-based) occurrence of `from` replaced by `to`.
fn replace_nth(text: &str, from: &str, to: &str, n: usize) -> String {
    let at = text.match_indices(from).nth(n - 1).expect("occurrence").0;
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

/// Regression: a CR-only file (old Mac line ends) was read as one record, so 0 events.
#[test]
fn a_cr_only_csv_gives_its_records() {
    let r = read_one("mac.csv", ref_csv(4, "\r"));
    assert_eq!(r.file.kind, EvidenceKind::ReferenceCsv);
    assert_eq!(r.events.len(), 4, "{:?}", r.file.problems);
    assert_eq!(r.file.problem_count, 0);
    // Line numbers count the CRs: a bad row is named by its line.
    let text = replace_nth(&ref_csv(4, "\r"), ",200,", ",teapot,", 3);
    let r = read_one("mac.csv", text);
    assert_eq!(r.events.len(), 4);
    let lines: Vec<u64> = r.file.problems.iter().filter_map(|p| p.line).collect();
    assert_eq!(lines, [4]);
}

#[test]
fn a_crlf_csv_reads_like_an_lf_one() {
    let lf = read_one("a.csv", ref_csv(3, "\n"));
    let crlf = read_one("a.csv", ref_csv(3, "\r\n"));
    assert_eq!(crlf.events.len(), 3);
    assert_eq!(crlf.file.problem_count, 0);
    assert_eq!(
        serde_json::to_string(&crlf.events).unwrap(),
        serde_json::to_string(&lf.events).unwrap()
    );
}

/// Regression: a lone CR glued two rows into one ragged row; inside quotes it is data.
#[test]
fn a_lone_cr_ends_a_row_outside_quotes_and_is_kept_inside_them() {
    let text = ref_csv(3, "\n").replacen("\n2026-01-01T00:02", "\r2026-01-01T00:02", 1);
    let r = read_one("cr.csv", text);
    assert_eq!(r.events.len(), 3, "{:?}", r.file.problems);
    assert_eq!(r.file.problem_count, 0);
    let text = ref_csv(3, "\n").replacen("curl/8", "\"curl/8\rpatched\"", 1);
    let r = read_one("cr.csv", text);
    assert_eq!(r.events.len(), 3, "{:?}", r.file.problems);
    assert_eq!(r.events[0].user_agent.as_deref(), Some("curl/8\rpatched"));
    // The row after the quoted CR is named by its own line (the CR counts as one).
    let text = replace_nth(
        &ref_csv(3, "\n").replacen("curl/8", "\"curl/8\rpatched\"", 1),
        ",200,",
        ",teapot,",
        3,
    );
    let r = read_one("cr.csv", text);
    let lines: Vec<u64> = r.file.problems.iter().filter_map(|p| p.line).collect();
    assert_eq!(lines, [5]);
}

/// Regression: an unclosed quote swallowed the rest of the file with one problem.
#[test]
fn an_unclosed_quote_is_a_problem_on_its_line_and_keeps_every_other_row() {
    let text = replace_nth(&ref_csv(5, "\n"), "curl/8", "\"curl/8", 3);
    let r = read_one("quote.csv", text);
    assert_eq!(r.events.len(), 4, "rows before and after are kept");
    assert_eq!(r.file.problem_count, 1);
    let p = &r.file.problems[0];
    assert_eq!((p.file.as_str(), p.line), ("quote.csv", Some(4)));
    assert!(p.message.contains("never closed"), "{}", p.message);
}

/// A stray quote that stretches a row over the rows after it (until the next quote) costs
/// only its own line: the rows it swallowed are read again.
#[test]
fn a_stray_quote_spanning_rows_costs_only_its_line() {
    let text = replace_nth(&ref_csv(6, "\n"), "curl/8", "\"curl/8", 2);
    let text = replace_nth(&text, "curl/8", "curl/8\"x", 5);
    let r = read_one("stray.csv", text);
    assert_eq!(r.file.problem_count, 1, "{:?}", r.file.problems);
    let p = &r.file.problems[0];
    assert_eq!(p.line, Some(3));
    assert!(p.message.contains("stray quote"), "{}", p.message);
    // Rows 1, 3, 4, 5 (lines 2, 4, 5, 6) and 6: line 6's own stray quote is in the middle of
    // a field, where it is a character.
    assert_eq!(r.events.len(), 5, "{:?}", r.file.problems);
    // Closed cleanly two rows down, making one ragged row: the same.
    let text = replace_nth(&ref_csv(6, "\n"), "curl/8", "\"curl/8", 2);
    let text = replace_nth(&text, "/v1/chat/completions", "/v1/chat/completions\"", 4);
    let r = read_one("stray.csv", text);
    assert_eq!(r.file.problem_count, 1, "{:?}", r.file.problems);
    assert_eq!(r.file.problems[0].line, Some(3));
    assert_eq!(r.events.len(), 5, "{:?}", r.file.problems);
}

#[test]
fn wrong_types_leave_the_field_empty_and_keep_the_record() {
    let text = r#"[{"timestamp":"2026-01-01T00:00:00Z","api_key_prefix":"sk-...a1B2","model":42,"input_tokens":{"x":1},"output_tokens":true,"status_code":"teapot","cost_usd":"free"},
      "not a record",
      {"timestamp":false,"api_key_prefix":"sk-...a1B2"}]"#;
    let r = read_one("types.json", text);
    assert_eq!(r.file.kind, EvidenceKind::ReferenceJson);
    assert_eq!(r.events.len(), 1);
    let e = &r.events[0];
    assert_eq!(e.input_tokens, None);
    assert_eq!(e.model, None);
    let cols: Vec<&str> = r
        .file
        .problems
        .iter()
        .filter_map(|p| p.column.as_deref())
        .collect();
    for c in [
        "input_tokens",
        "output_tokens",
        "status_code",
        "cost_usd",
        "model",
        "timestamp",
    ] {
        assert!(cols.contains(&c), "{c} not reported: {:?}", r.file.problems);
    }
    assert!(r
        .file
        .problems
        .iter()
        .any(|p| p.record == Some(1) && p.message.contains("found a string")));
}

#[test]
fn binary_is_not_analysed() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let r = read_one("blob.bin", bytes);
    assert_eq!(r.file.kind, EvidenceKind::Binary);
    assert!(r.events.is_empty());
}

#[test]
fn latin1_bytes_are_replaced_reported_and_the_row_kept() {
    let mut bytes = REF_HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(
        b"2026-01-01T00:00:00Z,sk-...a1B2,gpt-4o,1,1,/v1/chat/completions,192.0.2.1,Caf\xe9Bot/1.0,200,0.01\n",
    );
    let r = read_one("latin1.csv", bytes);
    assert_eq!(r.events.len(), 1);
    assert_eq!(
        r.events[0].user_agent.as_deref(),
        Some("Caf\u{fffd}Bot/1.0")
    );
    assert_eq!(r.file.problem_count, 1);
    assert_eq!(r.file.problems[0].line, Some(2));
}

#[test]
fn utf16_and_bom_csv_are_read() {
    let text = format!("{REF_HEADER}{}", ref_row(7));
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let r = read_one("u16.csv", utf16);
    assert_eq!(r.file.encoding.as_deref(), Some("utf-16le"));
    assert_eq!(r.events.len(), 1);
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(text.as_bytes());
    let r = read_one("bom.csv", bom);
    assert_eq!(r.file.kind, EvidenceKind::ReferenceCsv);
    assert_eq!(r.events.len(), 1);
}

#[test]
fn damaged_gzip_keeps_what_decompressed() {
    let mut lines = String::new();
    for i in 0..2000 {
        lines.push_str(&format!(
            "{{\"eventVersion\":\"1.10\",\"eventTime\":\"2026-01-01T02:47:19Z\",\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"InvokeModel\",\"eventID\":\"e{i}\"}}\n"
        ));
    }
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(lines.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    let r = read_one("trail.json.gz", &gz[..gz.len() * 2 / 3]);
    assert_eq!(r.file.compression.as_deref(), Some("gzip"));
    assert!(!r.events.is_empty() && r.events.len() < 2000);
    assert!(r.file.problem_count >= 1);
}

fn single_line(mb: usize) {
    let mut big = vec![b'a'; mb * 1024 * 1024];
    big[0] = b'x';
    let r = read_one("one-line.txt", big);
    assert_eq!(r.file.kind, EvidenceKind::Text);
    assert_eq!(r.file.lines, 1);
    assert_eq!(r.file.problem_count, 0);
}

#[test]
fn a_20_mb_single_line_file_is_read_without_trouble() {
    single_line(20);
}

/// Runs in every `cargo test` (`sha2` is optimised in the dev profile, so it takes seconds), and in
/// the benchmark (`bench-evidence`).
#[test]
fn a_200_mb_single_line_file_is_read_without_trouble() {
    single_line(200);
}

#[test]
fn a_single_line_json_document_is_streamed() {
    let rec = r#"{"eventVersion":"1.10","eventTime":"2026-01-01T02:47:19Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","eventID":"ID"}"#;
    let mut text = String::from("{\"Records\":[");
    for i in 0..20_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&rec.replace("ID", &format!("e{i}")));
    }
    text.push_str("]}");
    let r = read_one("one-line.json", text);
    assert_eq!(r.events.len(), 20_000);
}

#[test]
fn pages_and_files_of_one_export_merge_without_double_counting() {
    let root = std::path::Path::new("tests/fixtures/evidence");
    let load = |p: &str| Input::new(p, std::fs::read(root.join(p)).unwrap());
    let inputs = [
        load("openai_usage_api/completions_by_key_model.json"),
        load("openai_usage_api/second_page_overlapping.json"),
        load("cloudtrail/trail.json"),
        load("cloudtrail_lookup_events/lookup.json"),
    ];
    let (files, events) = read_all(&inputs, &Default::default());
    assert_eq!(files[1].duplicates, 1);
    assert_eq!(files[3].duplicates, 1);
    let total: u64 = files.iter().map(|f| f.records - f.duplicates).sum();
    assert_eq!(events.len() as u64, total);
    let mut ids: Vec<&str> = events
        .iter()
        .filter_map(|e| e.event_id.as_deref())
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

#[test]
fn the_same_file_dropped_twice_is_counted_once() {
    let text = format!("{REF_HEADER}{}{}", ref_row(1), ref_row(2));
    let inputs = [
        Input::new("a.csv", text.clone()),
        Input::new("copy of a.csv", text),
    ];
    let (files, events) = read_all(&inputs, &Default::default());
    assert_eq!(events.len(), 2);
    assert_eq!(files[1].duplicates, 2);
    assert!(files[1].note.as_deref().unwrap_or("").contains("a.csv"));
}

#[test]
fn every_fixture_cut_short_or_damaged_never_panics() {
    let mut paths = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from("tests/fixtures/evidence")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if !p.to_string_lossy().ends_with(".expected.json") {
                paths.push(p);
            }
        }
    }
    for p in paths {
        let bytes = std::fs::read(&p).unwrap();
        let step = (bytes.len() / 40).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let _ = read_one("cut", &bytes[..cut]);
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0x5a;
            let _ = read_one("flipped", flipped);
        }
    }
}

/// A small deterministic generator, so a failure reproduces.
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
}

#[test]
fn random_splices_of_fixtures_never_panic() {
    // Pieces of every fixture spliced together, with random bytes and JSON punctuation in
    // between: each result is read, and nothing panics.
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from("tests/fixtures/evidence")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if !p.to_string_lossy().ends_with(".gz") {
                pieces.push(std::fs::read(&p).unwrap());
            }
        }
    }
    let noise: &[&[u8]] = &[
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b"\"",
        b"\n",
        b"\r\n",
        b"null",
        b"1e999",
        b"-1",
        b"\"Records\":",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"\x00",
        b"\xe9",
    ];
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for _ in 0..3000 {
        let mut doc = Vec::new();
        for _ in 0..(1 + rng.next() % 4) {
            let p = &pieces[(rng.next() % pieces.len() as u64) as usize];
            if p.is_empty() {
                continue;
            }
            let a = (rng.next() % p.len() as u64) as usize;
            let b = a + (rng.next() % (p.len() - a) as u64 + 1) as usize;
            doc.extend_from_slice(&p[a..b.min(p.len())]);
            doc.extend_from_slice(noise[(rng.next() % noise.len() as u64) as usize]);
        }
        let _ = read_one("random", doc);
    }
}

#[test]
fn deeply_nested_json_is_a_problem_not_a_stack_overflow() {
    let deep = "[".repeat(200_000);
    for text in [
        format!("{{\"Records\":[{{\"eventVersion\":\"1.10\",\"eventSource\":\"x\",\"a\":{deep}"),
        format!("{{\"eventVersion\":\"1.10\",\"eventSource\":\"x\",\"a\":{deep}}}\n{{\"eventVersion\":\"1.10\",\"eventSource\":\"x\"}}\n"),
        format!("[{{\"timestamp\":\"2026-01-01T00:00:00Z\",\"api_key_prefix\":\"k\",\"x\":{deep}"),
    ] {
        let r = read_one("deep.json", text);
        assert!(r.file.problem_count >= 1, "{:?}", r.file);
    }
}

#[test]
fn absurd_costs_and_counts_and_non_ips_are_problems_and_the_rows_are_kept() {
    let mut text = String::from(REF_HEADER);
    text.push_str(&ref_row(1));
    // line 3: a cost of 1.8e19 (an attacker cost of "$9,223,372,036,854,775,807" before)
    text.push_str("2026-01-01T00:02:00Z,sk-...a1B2,gpt-4o,5,1,/v1/chat/completions,192.0.2.1,curl/8,200,1.8e19\n");
    // line 4: a negative cost; line 5: a non-finite one
    text.push_str(
        "2026-01-01T00:03:00Z,sk-...a1B2,gpt-4o,5,1,/v1/chat/completions,192.0.2.1,curl/8,200,-3\n",
    );
    text.push_str("2026-01-01T00:04:00Z,sk-...a1B2,gpt-4o,5,1,/v1/chat/completions,192.0.2.1,curl/8,200,inf\n");
    // line 6: tokens beyond 1e12, a fractional and a negative count
    text.push_str("2026-01-01T00:05:00Z,sk-...a1B2,gpt-4o,2000000000000,2.5,/v1/chat/completions,192.0.2.1,curl/8,200,0.01\n");
    text.push_str("2026-01-01T00:06:00Z,sk-...a1B2,gpt-4o,-4,1,/v1/chat/completions,192.0.2.1,curl/8,200,0.01\n");
    // line 8: text in the IP column
    text.push_str("2026-01-01T00:07:00Z,sk-...a1B2,gpt-4o,5,1,/v1/chat/completions,not-an-ip<script>,curl/8,200,0.01\n");
    let r = read_one("ref.csv", text);
    assert_eq!(
        r.events.len(),
        7,
        "every row is kept: {:?}",
        r.file.problems
    );
    let at = |line: u64| -> Vec<String> {
        r.file
            .problems
            .iter()
            .filter(|p| p.line == Some(line))
            .map(|p| format!("{}: {}", p.column.as_deref().unwrap_or(""), p.message))
            .collect()
    };
    assert!(
        at(3)[0].starts_with("cost_usd: more than the $10,000,000"),
        "{:?}",
        at(3)
    );
    assert!(at(4)[0].contains("a negative cost"), "{:?}", at(4));
    assert_eq!(at(5).len(), 1, "{:?}", at(5));
    let six = at(6).join(" | ");
    assert!(
        six.contains("input_tokens: 2000000000000 is more than"),
        "{six}"
    );
    assert!(six.contains("not a count: \"2.5\""), "{six}");
    assert!(at(7)[0].contains("negative count"), "{:?}", at(7));
    assert!(
        at(8)[0].starts_with("source_ip: not an IP address"),
        "{:?}",
        at(8)
    );
    assert_eq!(r.events[1].cost_usd, None);
    assert_eq!(
        r.events[1].input_tokens,
        Some(5),
        "the rest of the row is kept"
    );
    assert_eq!(r.events[4].input_tokens, None);
    assert_eq!(r.events[6].source_ip, None);
    assert!(r
        .events
        .iter()
        .all(|e| e.cost_usd.is_none_or(|c| (0.0..=1e7).contains(&c))));
}

#[test]
fn duplicate_json_keys_are_noted_and_the_last_value_kept() {
    // A record read as a tree (an OpenAI usage bucket) with a repeated key, and a nested one.
    let text = r#"{"object":"page","data":[{"object":"bucket","start_time":1767225600,"end_time":1767312000,"results":[{"object":"organization.usage.completions.result","input_tokens":10,"input_tokens":99,"output_tokens":1,"num_model_requests":1,"model":"gpt-4o","api_key_id":"key_a"}]}]}"#;
    let r = read_one("usage.json", text);
    let dups: Vec<_> = r
        .file
        .problems
        .iter()
        .filter(|p| p.message.starts_with("duplicate key"))
        .collect();
    assert_eq!(dups.len(), 1, "{:?} {:?}", r.file.kind, r.file.problems);
    assert_eq!(
        dups[0].column.as_deref(),
        Some("results.input_tokens"),
        "{dups:?}"
    );
    // The reference format's fast path refuses a record with a repeated field; the tree
    // path then names it.
    let rec = r#"{"timestamp":"2026-01-01T00:00:00Z","api_key_prefix":"sk-...a1B2","model":"gpt-4o","input_tokens":1,"output_tokens":1,"endpoint":"/v1/x","source_ip":"192.0.2.1","source_ip":"192.0.2.9","user_agent":"curl/8","status_code":200,"cost_usd":0.01}"#;
    let r = read_one("ref.jsonl", format!("{rec}\n{rec}\n"));
    assert_eq!(r.events.len(), 2);
    assert_eq!(r.events[0].source_ip.as_deref(), Some("192.0.2.9"));
    let cols: Vec<_> = r
        .file
        .problems
        .iter()
        .map(|p| (p.line, p.column.clone()))
        .collect();
    assert_eq!(
        cols,
        [
            (Some(1), Some("source_ip".into())),
            (Some(2), Some("source_ip".into()))
        ]
    );
}
