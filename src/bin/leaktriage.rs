//! `leaktriage`: the triage engine on the command line, over the same files the page reads.

use leaktriage::report::export::{self, ExportId};
use leaktriage::{triage, Context, Input};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "\
leaktriage: offline triage of a leaked AI-provider key or agent credential

USAGE:
    leaktriage [OPTIONS] <FILE|DIR>...

Reads provider usage exports, audit logs, `git log -p` output, patches, .env files and CI logs
(directories are read recursively), and prints a triage summary. Nothing is sent anywhere.

OPTIONS:
    --json             Print the JSON report (schema: docs/report-schema.md) instead of the summary
    -o, --out FILE     Also write the JSON report to FILE
    --context FILE     Read the responder's context (awareness time, ...) from a JSON file
    --session FILE     Read a session file saved by the page: its context, and its evidence files
                       when they are embedded (files given on the command line are added; each is
                       checked against the session's fingerprints, differences go to stderr)
    --answers FILE     Read the blast-radius questionnaire's answers from a JSON file (every field
                       optional; see docs/scope.md), the same answers the page's form sends
    --context FILE     Read the responder's context from a JSON file: awareness time, UTC offset,
                       notification regimes, checklist states, incident facts (docs/report.md)
    --sarif FILE       Also write the scan findings as SARIF 2.1.0 to FILE (values redacted)
    --markdown FILE    Also write the report as Markdown to FILE (summary, deadlines, checklist,
                       notification drafts, evidence inventory; values redacted)
    --iocs-csv FILE    Also write the indicators of compromise as CSV to FILE
    --known-key-file FILE
                       Search the evidence for the leaked key(s) in FILE (one per line: the whole
                       key, PREFIX...LAST4, or a key id). Read from a file so the key stays out of
                       shell history; it is never printed or written whole.
    --ignore-file FILE Ignore findings whose SHA-256 fingerprints are listed in FILE (one per line)
    --rules FILE       Also scan with the rules in FILE: leaktriage's rule format or a gitleaks
                       config (docs/scan.md). Repeatable. The file is listed with the evidence;
                       a rules file given as an input is used the same way
    --now TIME         The report's time, RFC 3339 (default: this machine's clock)
    --no-time          Leave the report undated, for byte-identical reruns
    -h, --help         Print this help
    -V, --version      Print the version

EXIT CODES:
    0  the evidence was analysed
    2  usage error (bad option, no input, bad context or answers file)
    3  some inputs could not be read; the others were analysed and reported
";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("leaktriage: {msg}\n\nRun `leaktriage --help` for usage.");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let mut json = false;
    let mut out: Option<PathBuf> = None;
    let mut sarif: Option<PathBuf> = None;
    let mut markdown: Option<PathBuf> = None;
    let mut iocs_csv: Option<PathBuf> = None;
    let mut ctx = Context::default();
    let mut now_given = false;
    let mut no_time = false;
    let mut paths = Vec::new();
    let mut session: Option<leaktriage::session::Session> = None;
    let mut answers: Option<leaktriage::scope::Answers> = None;
    let mut rule_files = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(ExitCode::SUCCESS);
            }
            "-V" | "--version" => {
                println!("leaktriage {}", leaktriage::VERSION);
                return Ok(ExitCode::SUCCESS);
            }
            "--json" => json = true,
            "-o" | "--out" => out = Some(it.next().ok_or("--out needs a file")?.into()),
            "--context" => {
                let p = it.next().ok_or("--context needs a file")?;
                let text = std::fs::read_to_string(&p)
                    .map_err(|e| format!("cannot read context {p}: {e}"))?;
                let now = ctx.now;
                let known = std::mem::take(&mut ctx.known_keys);
                let ignore = std::mem::take(&mut ctx.ignore_fingerprints);
                ctx = serde_json::from_str(&text).map_err(|e| format!("context {p}: {e}"))?;
                ctx.now = ctx.now.or(now);
                ctx.known_keys.extend(known);
                ctx.ignore_fingerprints.extend(ignore);
            }
            "--session" => {
                let p = it.next().ok_or("--session needs a file")?;
                let text = std::fs::read_to_string(&p)
                    .map_err(|e| format!("cannot read session {p}: {e}"))?;
                let s = leaktriage::session::Session::parse(&text)
                    .map_err(|e| format!("session {p}: {e}"))?;
                let known = std::mem::take(&mut ctx.known_keys);
                let ignore = std::mem::take(&mut ctx.ignore_fingerprints);
                let now = ctx.now;
                ctx = s.context.clone();
                ctx.now = now;
                ctx.known_keys.extend(known);
                ctx.ignore_fingerprints.extend(ignore);
                session = Some(s);
            }
            "--answers" => {
                let p = it.next().ok_or("--answers needs a file")?;
                let text = std::fs::read_to_string(&p)
                    .map_err(|e| format!("cannot read answers {p}: {e}"))?;
                answers =
                    Some(serde_json::from_str(&text).map_err(|e| format!("answers {p}: {e}"))?);
            }
            "--sarif" => sarif = Some(it.next().ok_or("--sarif needs a file")?.into()),
            "--markdown" => markdown = Some(it.next().ok_or("--markdown needs a file")?.into()),
            "--iocs-csv" => iocs_csv = Some(it.next().ok_or("--iocs-csv needs a file")?.into()),
            "--known-key-file" => {
                let p = it.next().ok_or("--known-key-file needs a file")?;
                let text = std::fs::read_to_string(&p)
                    .map_err(|e| format!("cannot read known-key file {p}: {e}"))?;
                for line in text
                    .lines()
                    .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                {
                    match leaktriage::scan::known_key::KnownKey::parse(line) {
                        Some(k) => ctx.known_keys.push(k),
                        None => return Err(format!("{p}: a known key is too short")),
                    }
                }
            }
            "--ignore-file" => {
                let p = it.next().ok_or("--ignore-file needs a file")?;
                let text = std::fs::read_to_string(&p)
                    .map_err(|e| format!("cannot read ignore file {p}: {e}"))?;
                ctx.ignore_fingerprints.extend(
                    text.lines()
                        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
                        .filter(|l| !l.is_empty()),
                );
            }
            "--rules" => {
                let p = it.next().ok_or("--rules needs a file")?;
                let bytes =
                    std::fs::read(&p).map_err(|e| format!("cannot read rules file {p}: {e}"))?;
                let input = Input::new(p.clone(), bytes);
                if leaktriage::evidence::inventory(&input).kind != leaktriage::EvidenceKind::Rules {
                    return Err(format!(
                        "{p} is not a rules file (TOML with [[rules]] tables)"
                    ));
                }
                rule_files.push(input);
            }
            "--now" => {
                let t = it.next().ok_or("--now needs a time")?;
                let t = chrono::DateTime::parse_from_rfc3339(&t)
                    .map_err(|e| format!("--now {t}: {e}"))?;
                ctx.now = Some(t.with_timezone(&chrono::Utc));
                now_given = true;
            }
            "--no-time" => no_time = true,
            "--" => paths.extend(it.by_ref().map(PathBuf::from)),
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option {s}")),
            _ => paths.push(PathBuf::from(a)),
        }
    }
    let mut inputs = Vec::new();
    if let Some(s) = &session {
        inputs = s.inputs().map_err(|e| format!("session: {e}"))?;
    }
    // Rules files are inputs like any other: listed, fingerprinted, used by the scan.
    inputs.extend(rule_files);
    if paths.is_empty()
        && inputs
            .iter()
            .all(|i| leaktriage::evidence::inventory(i).kind == leaktriage::EvidenceKind::Rules)
    {
        return Err("no input files".into());
    }
    // `--answers` wins over answers inside a `--context` file, whatever the order.
    if let Some(a) = answers {
        ctx.answers = a;
    }
    if no_time {
        ctx.now = None;
    } else if !now_given && ctx.now.is_none() {
        ctx.now = Some(chrono::DateTime::from(std::time::SystemTime::now()));
    }

    let mut unreadable = 0;
    for p in &paths {
        collect(p, p, &mut inputs, &mut unreadable);
    }
    let report = triage(&inputs, &ctx);
    if let Some(s) = &session {
        let given: Vec<_> = report
            .evidence
            .iter()
            .map(leaktriage::session::EvidenceRef::of)
            .collect();
        let check = s.check(&given);
        for m in &check.missing {
            eprintln!(
                "leaktriage: session: {} (SHA-256 {}) was not given",
                m.name, m.sha256
            );
        }
        for (want, got) in &check.different {
            eprintln!(
                "leaktriage: session: {} differs: SHA-256 {} now, {} in the session",
                want.name, got.sha256, want.sha256
            );
        }
    }
    // Every file comes from the report's one list of exports (the page uses the same).
    let files = [
        (&out, ExportId::Json),
        (&sarif, ExportId::Sarif),
        (&markdown, ExportId::Markdown),
        (&iocs_csv, ExportId::IocsCsv),
    ];
    for (path, id) in files {
        if let Some(p) = path {
            std::fs::write(p, (export::get(id).write)(&report))
                .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        }
    }
    let shown = export::get(if json { ExportId::Json } else { ExportId::Text });
    print!("{}", (shown.write)(&report));
    Ok(if unreadable > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads a file, or every file below a directory (sorted, so reruns are identical).
fn collect(root: &Path, p: &Path, inputs: &mut Vec<Input>, unreadable: &mut u32) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                eprintln!("leaktriage: cannot read directory {}: {e}", p.display());
                *unreadable += 1;
                return;
            }
        };
        entries.sort();
        for e in entries {
            collect(root, &e, inputs, unreadable);
        }
        return;
    }
    let name = if root.is_dir() {
        let base = root.file_name().map(PathBuf::from).unwrap_or_default();
        base.join(p.strip_prefix(root).unwrap_or(p))
            .to_string_lossy()
            .into_owned()
    } else {
        p.to_string_lossy().into_owned()
    };
    match std::fs::read(p) {
        Ok(bytes) => inputs.push(Input::new(name, bytes)),
        Err(e) => {
            eprintln!("leaktriage: cannot read {}: {e}", p.display());
            *unreadable += 1;
        }
    }
}
