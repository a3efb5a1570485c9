//! The command line on several threads (`--jobs`): the report is byte-identical to one thread's
//! over a mixed set of many files, and nothing but the report is written when standard error
//! is not a terminal.

mod common;

use common::{cli, stderr, stdout};
use leaktriage::scan::fake::Rng;
use std::io::Write;
use std::path::Path;

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A folder of evidence whose merge depends on the order: the demo (a history, a CloudTrail
/// gzip, a usage CSV, a .env, a CI log), the same files gzipped and copied (same bytes, and the
/// same events under other bytes), and texts holding fake keys of real shapes, one of them in
/// several files (the known key). Returns the known-key file.
fn mixed(dir: &Path) -> std::path::PathBuf {
    let demo = common::root().join("public/demo");
    let mut names: Vec<_> = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for n in &names {
        let bytes = std::fs::read(demo.join(n)).unwrap();
        std::fs::write(dir.join(format!("a-{n}")), &bytes).unwrap();
        std::fs::write(dir.join(format!("c-copy-{n}")), &bytes).unwrap();
        if !n.ends_with(".gz") {
            std::fs::write(dir.join(format!("b-{n}.gz")), gz(&bytes)).unwrap();
        }
    }
    let keys = common::fakes_of(
        &[
            "openai-project-key",
            "anthropic-api-key",
            "github-pat",
            "stripe-live-key",
        ],
        &mut Rng::new(41),
    );
    for i in 0..24 {
        let text = format!(
            "line one\nOPENAI_API_KEY={}\nsecond={}\nthird {}\n",
            keys[i % 4],
            keys[(i + 1) % 4],
            keys[0]
        );
        std::fs::write(dir.join(format!("d-notes-{i:02}.txt")), text.repeat(1 + i)).unwrap();
    }
    let known = dir.join("known.txt");
    std::fs::write(&known, format!("{}\n", keys[0])).unwrap();
    known
}

#[test]
fn the_report_on_four_threads_is_the_one_thread_report() {
    let dir = common::scratch("jobs");
    let ev = dir.join("evidence");
    std::fs::create_dir_all(&ev).unwrap();
    let known = mixed(&ev);
    let run = |jobs: &str| {
        let o = cli(&[
            "--json",
            "--no-time",
            "--jobs",
            jobs,
            "--known-key-file",
            known.to_str().unwrap(),
            "tests/fixtures",
            ev.to_str().unwrap(),
        ]);
        assert!(o.status.code().is_some(), "{}", stderr(&o));
        (o.status.code(), stdout(&o), stderr(&o))
    };
    let one = run("1");
    let v: serde_json::Value = serde_json::from_str(&one.1).unwrap();
    // The set is what the test says: many files, every kind of merge exercised.
    let evidence = v["evidence"].as_array().unwrap();
    assert!(evidence.len() > 200, "{} files", evidence.len());
    assert!(evidence.iter().any(|e| e["kind"] == "git_log"));
    assert!(evidence.iter().any(|e| e["compression"] == "gzip"));
    assert!(evidence
        .iter()
        .any(|e| e["kind"].as_str().unwrap().starts_with("cloudtrail")));
    assert!(evidence.iter().any(|e| e["duplicates"].as_u64() > Some(0)));
    assert!(v["scan"]["secrets"].as_array().unwrap().len() > 4);
    assert!(v["scan"]["known_keys"][0]["hit_count"].as_u64() > Some(24));
    for jobs in ["4", "2"] {
        let many = run(jobs);
        assert_eq!(one.0, many.0, "exit code with --jobs {jobs}");
        assert_eq!(one.2, many.2, "stderr with --jobs {jobs}");
        assert!(one.1 == many.1, "the report differs with --jobs {jobs}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The files of a folder as the command line names them (`<folder>/<path inside>`, in name
/// order), read into memory.
fn in_memory(dir: &Path) -> Vec<leaktriage::Input> {
    fn walk(root: &Path, p: &Path, out: &mut Vec<leaktriage::Input>) {
        if p.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(p)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for e in entries {
                walk(root, &e, out);
            }
            return;
        }
        let name = Path::new(root.file_name().unwrap()).join(p.strip_prefix(root).unwrap());
        let name = name.to_string_lossy().into_owned();
        out.push(leaktriage::Input::new(name, std::fs::read(p).unwrap()));
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// The command line reads each file from disk when the engine comes to it; its report is the
/// one the engine makes of the same files held in memory (the page's way), on one thread or
/// several.
#[test]
fn the_report_of_files_read_in_their_turn_is_the_in_memory_report() {
    let dir = common::scratch("lazy");
    let ev = dir.join("evidence");
    std::fs::create_dir_all(&ev).unwrap();
    let known = mixed(&ev);
    let inputs = in_memory(&ev);
    let ctx = leaktriage::Context {
        known_keys: vec![leaktriage::scan::known_key::KnownKey::parse(
            std::fs::read_to_string(&known).unwrap().trim(),
        )
        .unwrap()],
        fingerprint_key: Some(common::fingerprint_key()),
        ..leaktriage::Context::default()
    };
    let report = leaktriage::triage(&inputs, &ctx);
    let json = leaktriage::report::export::ExportId::Json;
    let want = (leaktriage::report::export::get(json).write)(&report);
    assert!(
        report.evidence.len() > 35,
        "{} files",
        report.evidence.len()
    );
    for jobs in ["1", "3"] {
        let o = cli(&[
            "--json",
            "--no-time",
            "--jobs",
            jobs,
            "--known-key-file",
            known.to_str().unwrap(),
            ev.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o) == want, "the report differs with --jobs {jobs}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A text over the size from which the command line reads a file as a stream (64 MiB) has the
/// inventory row and the findings of reading it whole: tokens a few lines before each of the
/// scan's 4 MiB windows ends, and a multi-line private key across one of those ends.
#[test]
fn a_text_over_the_stream_size_has_the_report_of_reading_it_whole() {
    use leaktriage::evidence::source::STREAM_BYTES;
    let dir = common::scratch("stream");
    let ev = dir.join("large");
    std::fs::create_dir_all(&ev).unwrap();
    let mut rng = Rng::new(5);
    let tokens = common::fakes_of(&["github-pat"; 20], &mut rng);
    let pem = leaktriage::scan::fake::generate("@pem", &mut rng).secret;
    let filler = "y".repeat(79) + "\n";
    let before = (4 << 20) / filler.len() - 2;
    let mut text = String::new();
    for (i, t) in tokens.iter().enumerate() {
        text += &filler.repeat(before);
        if i == 7 {
            text += &format!("{pem}\n");
        }
        text += &format!("TOKEN={t}\n");
    }
    assert!(text.len() as u64 > STREAM_BYTES, "{} bytes", text.len());
    std::fs::write(ev.join("notes.txt"), &text).unwrap();
    drop(text);
    let inputs = in_memory(&ev);
    let ctx = leaktriage::Context {
        fingerprint_key: Some(common::fingerprint_key()),
        ..leaktriage::Context::default()
    };
    let report = leaktriage::triage(&inputs, &ctx);
    assert_eq!(report.scan.secrets.len(), tokens.len() + 1);
    let json = leaktriage::report::export::ExportId::Json;
    let want = (leaktriage::report::export::get(json).write)(&report);
    for jobs in ["1", "2"] {
        let o = cli(&["--json", "--no-time", "--jobs", jobs, ev.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o) == want, "the report differs with --jobs {jobs}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A history over the size from which the command line streams a file (lowered here from
/// 64 MiB with the hidden `--stream-bytes`) is matched in parts on several threads as it is
/// read: the report is the one of reading it whole, on one thread or several. The history has
/// hunks that claim more lines than they hold, a commit longer than twice a part and many
/// findings; a copy of it holds a byte that is not UTF-8 past its first MiB.
#[test]
fn a_history_streamed_on_several_threads_has_the_report_of_reading_it_whole() {
    let dir = common::scratch("stream-history");
    let ev = dir.join("history");
    std::fs::create_dir_all(&ev).unwrap();
    let keys = common::fakes_of(
        &["github-pat", "openai-project-key", "anthropic-api-key"],
        &mut Rng::new(9),
    );
    let mut log = String::new();
    for i in 0..4000usize {
        log += &format!(
            "commit {i:040x}\nAuthor: Dev {} <dev{}@example.com>\nDate:   Mon Nov {} 10:00:00 2026 +0000\n\n    change {i}\n\n\
             diff --git a/f{i}.env b/f{i}.env\n--- a/f{i}.env\n+++ b/f{i}.env\n@@ -1,2 +1,{} @@\n-OLD={i}\n+TOKEN_{i}={}\n same\n",
            i % 13,
            i % 13,
            1 + i % 28,
            if i % 11 == 0 { 9 } else { 2 },
            keys[i % 3],
        );
        if i == 2000 {
            let filler = format!("+{}\n", "f".repeat(70));
            log += &format!("@@ -20,0 +20,8000 @@\n{}", filler.repeat(8000));
        }
    }
    let size = log.len() as u64;
    assert!(size > 1 << 20, "{size} bytes");
    std::fs::write(ev.join("git-log-p.txt"), &log).unwrap();
    // The same history with a file in Latin-1 past its first MiB (read as a stream first, then
    // found not to be UTF-8: it is read whole and the files are scanned again).
    let at = log[3 << 19..]
        .find("\n+TOKEN_")
        .map(|i| i + (3 << 19) + 2)
        .unwrap();
    let mut latin1 = log.into_bytes();
    latin1.splice(at..at, b"caf\xe9 ".iter().copied());
    std::fs::write(ev.join("git-log-latin1.txt"), &latin1).unwrap();
    drop(latin1);
    let inputs = in_memory(&ev);
    let ctx = leaktriage::Context {
        fingerprint_key: Some(common::fingerprint_key()),
        ..leaktriage::Context::default()
    };
    let report = leaktriage::triage(&inputs, &ctx);
    assert_eq!(report.scan.totals.commits, 8000);
    assert!(report.scan.totals.malformed_patch_lines > 600);
    let latin1 = report
        .evidence
        .iter()
        .find(|e| e.name.ends_with("latin1.txt"));
    assert!(latin1.is_some_and(|e| e.problem_count > 0), "{latin1:?}");
    let json = leaktriage::report::export::ExportId::Json;
    let want = (leaktriage::report::export::get(json).write)(&report);
    let path = ev.to_str().unwrap();
    for (jobs, stream) in [("1", "100000"), ("2", "100000"), ("3", "100000"), ("2", "")] {
        let mut args = vec!["--json", "--no-time", "--jobs", jobs, path];
        if !stream.is_empty() {
            args.extend(["--stream-bytes", stream]);
        }
        let o = cli(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stdout(&o) == want,
            "the report differs with --jobs {jobs}, streamed past {stream:?}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The tests' standard error is a pipe: no progress line, with or without `--quiet`.
#[test]
fn no_progress_when_standard_error_is_not_a_terminal() {
    for quiet in [false, true] {
        let mut args = vec!["--no-time", "--jobs", "2", "public/demo"];
        if quiet {
            args.push("--quiet");
        }
        let o = cli(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stderr(&o), "", "quiet: {quiet}");
    }
}

/// On a terminal the progress line is drawn on standard error (and cleared at the end), and
/// `--quiet` silences it. Run under `script`, which gives the command a terminal; skipped
/// where `script` is not installed.
#[test]
fn progress_on_a_terminal_and_none_with_quiet() {
    let Ok(script) = which("script") else {
        eprintln!("skipped: no `script` command");
        return;
    };
    let dir = common::scratch("progress-tty");
    let run = |quiet: bool| {
        let out = dir.join(if quiet { "quiet.json" } else { "loud.json" });
        let cmd = format!(
            "{} --no-time --jobs 2 {} --out {} public/demo >/dev/null",
            env!("CARGO_BIN_EXE_leaktriage"),
            if quiet { "--quiet" } else { "" },
            out.display()
        );
        let o = std::process::Command::new(&script)
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(common::root())
            .env(
                "XDG_CONFIG_HOME",
                common::root().join("tests/fixtures/config"),
            )
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        (stdout(&o), std::fs::read_to_string(&out).unwrap())
    };
    let (loud, loud_report) = run(false);
    let (quiet, quiet_report) = run(true);
    assert!(loud.contains("leaktriage: read"), "{loud:?}");
    assert!(loud.contains("leaktriage: scan"), "{loud:?}");
    assert!(loud.contains("\r\x1b[K"), "{loud:?}");
    assert!(!quiet.contains("leaktriage:"), "{quiet:?}");
    assert_eq!(loud_report, quiet_report);
    std::fs::remove_dir_all(&dir).ok();
}

fn which(cmd: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(cmd))
                .find(|f| f.is_file())
        })
        .ok_or(())
}

/// CloudTrail files whose windows overlap (each file repeats half of the one before it, some
/// gzipped, some holding a record that shares an id with an earlier one but differs, some
/// records without a time): on several threads each file read ahead is made into the
/// detectors' rows and the keys' use where it is read, and the merge drops the repeated
/// events from those rows. The report is the one thread's, byte for byte.
#[test]
fn overlapping_trails_merged_from_rows_made_ahead_give_the_one_thread_report() {
    let mut rng = Rng::new(11);
    let ops = [
        "InvokeModel",
        "Converse",
        "ListFoundationModels",
        "CreateAccessKey",
        "GetCallerIdentity",
        "DeleteModelInvocationLoggingConfiguration",
    ];
    let record = |i: usize, rng: &mut Rng, twist: bool| {
        let key = rng.below(5);
        let user = ["ci-deploy", "alice", "svc-batch"][rng.below(3)];
        let time = if rng.below(40) == 0 {
            String::new()
        } else {
            format!(
                "\"eventTime\":\"2026-11-{:02}T{:02}:{:02}:00Z\",",
                1 + i / 600,
                i / 25 % 24,
                i % 60
            )
        };
        let error = match rng.below(8) {
            0 => ",\"errorCode\":\"AccessDenied\"",
            1 => ",\"errorCode\":\"ThrottlingException\"",
            _ => "",
        };
        format!(
            "{{\"eventVersion\":\"1.10\",\"userIdentity\":{{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/{user}\",\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAEXAMPLE00000000{key}\",\"userName\":\"{user}\"}},{time}\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"{}\",\"awsRegion\":\"{}\",\"sourceIPAddress\":\"203.0.113.{}\",\"userAgent\":\"{}\",\"requestParameters\":{{\"modelId\":\"anthropic.claude-3-5-sonnet-20240620-v1:0\"}}{error},\"eventID\":\"ev-{i:06}\"}}",
            ops[rng.below(6)],
            ["us-east-1", "eu-west-1", " "][rng.below(3)],
            if twist { 250 } else { rng.below(40) },
            ["Boto3/1.35.4", "aiohttp/3.9", "Mozilla/5.0 (X11)"][rng.below(3)],
        )
    };
    // The records once, each file a window over them.
    let all: Vec<String> = (0..3_000)
        .map(|i| {
            let mut r = Rng::new(i as u64);
            record(i, &mut r, false)
        })
        .collect();
    let mut inputs = Vec::new();
    let mut start = 0;
    let mut part = 0;
    while start < all.len() {
        let end = (start + 40 + rng.below(160)).min(all.len());
        let mut records: Vec<String> = all[start..end].to_vec();
        if part % 7 == 3 {
            // The same id as an earlier record, another content: both are kept.
            let mut r = Rng::new(start as u64);
            records.push(record(start, &mut r, true));
        }
        let text = format!("{{\"Records\":[{}]}}\n", records.join(","));
        let (name, bytes) = if part % 3 == 0 {
            (format!("trail-{part:03}.json.gz"), gz(text.as_bytes()))
        } else {
            (format!("trail-{part:03}.json"), text.into_bytes())
        };
        inputs.push(leaktriage::Input::new(name, bytes));
        part += 1;
        // The next window repeats about half of this one.
        start = (start + end) / 2 + 1;
    }
    let ctx = leaktriage::Context::default();
    let run = |jobs: usize| {
        let (report, _) = leaktriage::triage_run(
            &inputs,
            &ctx,
            leaktriage::Run {
                jobs,
                step: &mut |_| {},
            },
            &mut || 0.0,
        );
        report
    };
    let one = run(1);
    // What the set is meant to exercise: files partly repeated, undated records, alerts.
    assert!(one.evidence.len() > 25);
    assert!(one
        .evidence
        .iter()
        .any(|f| f.duplicates > 0 && f.duplicates < f.records));
    assert!(one.evidence.iter().any(|f| f.undated > 0));
    assert!(one.detection.alerts.len() > 3 && one.detection.keys.len() >= 5);
    let want = one.to_json();
    for jobs in [2, 3] {
        assert!(
            run(jobs).to_json() == want,
            "the report differs with {jobs} jobs"
        );
    }
}
