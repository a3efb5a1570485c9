//! `leaktriage`: the triage engine on the command line, over the same files the page reads.
//!
//! The arguments are parsed by clap (derive). Where the responder's context comes from, lowest
//! to highest: the session file, the context file, the flags (see [`context`]).

use clap::{Args, Parser, Subcommand};
use leaktriage::report::export::{self, ExportId};
use leaktriage::session::Session;
use leaktriage::{triage_source, Context, Input, Run, Source};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "leaktriage/files.rs"]
mod files;
#[path = "leaktriage/progress.rs"]
mod progress;

const AFTER_HELP: &str = "\
WHERE THE CONTEXT COMES FROM (lowest to highest):
    1. the session file: the context saved in it
    2. the context file: only the fields it names; an object merges into the session's, null
       clears a value
    3. the flags: --now and --no-time set the report's time, --answers sets the answers whole,
       --known-key-file and --ignore-file add to the keys and fingerprints of the files
    Each setting comes from the highest level that gives it, whatever the order of the
    arguments. With none of them the report's time is this machine's clock.

LIMITS:
    Each file is read from disk when its turn comes and dropped once read, so memory holds a
    few files at once (about two per thread), whatever their number: there is no limit on the
    bytes of a run. A file over 1 GiB is refused; all the compressed files of a run inflate to
    at most 4 GiB together (the files past it keep what inflated within it). A plain UTF-8
    text, history or patch over 64 MiB is not held at all: it is hashed and scanned from the
    file in windows (read whole for the scan with --known-key-file; a gzip file is inflated
    whole). Limits: docs/evidence.md

EXIT CODES:
    0  the evidence was analysed
    2  usage error (bad option, no input, bad context, session or answers file, an output that
       cannot be written)
    3  some inputs could not be read (or changed while they were read); the others were
       analysed and reported
    4  the evidence does not match the session (--session): a file it lists is missing or
       has other content; the report says which (custody, and a line in the summary).
       Wins over 3
";

const ABOUT: &str = "\
leaktriage: offline triage of a leaked AI-provider key or agent credential

Reads provider usage exports, audit logs, `git log -p` output, patches, .env files and CI logs
(directories are read recursively, in name order), and prints a triage summary. Nothing is sent
anywhere.";

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "leaktriage",
    version = leaktriage::VERSION,
    about = ABOUT,
    long_about = None,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    args_override_self = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    triage: TriageArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Triage the evidence (the same as giving the files without a command)
    #[command(after_help = AFTER_HELP, args_override_self = true)]
    Triage(Box<TriageArgs>),
    /// List the credential scanner's rules (id, provider, kind, title)
    Rules,
}

#[derive(Debug, Args)]
struct TriageArgs {
    /// Evidence files and folders (folders are read recursively, in name order)
    #[arg(value_name = "FILE|DIR", required_unless_present = "session")]
    paths: Vec<PathBuf>,

    /// Print the JSON report (schema: docs/report-schema.md) instead of the summary
    #[arg(long)]
    json: bool,

    /// Also write the JSON report to FILE
    #[arg(short, long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Also write the scan findings as SARIF 2.1.0 to FILE (values redacted)
    #[arg(long, value_name = "FILE")]
    sarif: Option<PathBuf>,

    /// Also write the report as Markdown to FILE (summary, deadlines,
    /// checklist, notification drafts, evidence inventory; values redacted)
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    markdown: Option<PathBuf>,

    /// Also write the indicators of compromise as CSV to FILE
    #[arg(long, value_name = "FILE")]
    iocs_csv: Option<PathBuf>,

    /// Also write the agent's action log (every action of the affected
    /// sessions since the leak window opened, classed) as CSV to FILE
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    agent_actions_csv: Option<PathBuf>,

    /// Also write the hunts (queries for Athena, CloudTrail Lake, Spark SQL,
    /// Splunk, KQL and the providers' admin APIs, for the leaked keys and the
    /// window) into DIR, one file each, with an index in DIR/README.txt
    #[arg(long, value_name = "DIR", verbatim_doc_comment)]
    hunts: Option<PathBuf>,

    /// Read the responder's context from a JSON file: awareness time, UTC
    /// offset, notification regimes, checklist states, incident facts,
    /// compromise start, detector thresholds, CSV column mappings,
    /// blast-radius answers (docs/report.md)
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    context: Option<PathBuf>,

    /// Read a session file saved by the page: its context, and its evidence
    /// files when they are embedded (files given here are added; each is
    /// checked against the session's fingerprints, by SHA-256 then by name:
    /// differences go to the report and stderr, and exit with code 4)
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    session: Option<PathBuf>,

    /// Read the blast-radius questionnaire's answers from a JSON file (every
    /// field optional; docs/scope.md), the same answers the page's form sends
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    answers: Option<PathBuf>,

    /// Search the evidence for the leaked key(s) in FILE (one per line: the
    /// whole key, PREFIX...LAST4, or a key id). Read from a file so the key
    /// stays out of shell history; never printed or written whole. Repeatable
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    known_key_file: Vec<PathBuf>,

    /// Keep only the events of NAME (a key id, an ARN, a user, role or
    /// service-account name, an e-mail) and of what it went on to create,
    /// and count the rest: for logs larger than memory (a focused run has
    /// no limit on the bytes its files inflate to together; each file still
    /// has its own). The known keys are focused on too. Repeatable, or
    /// NAME,NAME
    #[arg(long, value_name = "NAME", value_delimiter = ',', verbatim_doc_comment)]
    focus: Vec<String>,

    /// Also scan with the rules in FILE: leaktriage's rule format or a
    /// gitleaks config (docs/scan.md); a rules file given as an input is used
    /// the same way. Repeatable
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    rules: Vec<PathBuf>,

    /// Ignore findings whose fingerprints are listed in FILE (one per line:
    /// a fingerprint from a report made with the same fingerprint key, or
    /// sha256:HEX for another tool's plain SHA-256). Repeatable
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    ignore_file: Vec<PathBuf>,

    /// The key of the secrets' fingerprints: 64 hex digits in FILE (default:
    /// the context's or session's, else the user's key file
    /// $XDG_CONFIG_HOME/leaktriage/fingerprint.key, made on first use).
    /// Fingerprints are HMAC-SHA256 under this key: reports made with the
    /// same key can be compared, and nobody without it can test a guess
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    fingerprint_key: Option<PathBuf>,

    /// The report's time, RFC 3339 (default: the context's, else this machine's clock)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    now: Option<chrono::DateTime<chrono::Utc>>,

    /// Leave the report undated, for byte-identical reruns (wins over --now)
    #[arg(long)]
    no_time: bool,

    /// Read, inflate, parse and scan the files on N threads (default: the
    /// machine's cores, at most 8; 1: all on one). The report is the same
    /// whatever N
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256), verbatim_doc_comment)]
    jobs: Option<u16>,

    /// No progress line on standard error (it is shown only on a terminal)
    #[arg(short, long)]
    quiet: bool,

    /// Read every file into memory: do not map large files (8 MiB and more) into memory. For
    /// files another program may shorten while the run reads them, such as a log rotated in
    /// place: a mapped file shortened under the run stops it. The report is the same
    #[arg(long)]
    no_map: bool,

    /// Stream files on disk larger than BYTES (default 64 MiB) rather than read them whole;
    /// the report is the same. For tests, which stream small files
    #[arg(long, value_name = "BYTES", hide = true)]
    stream_bytes: Option<u64>,
}

/// Threads when `--jobs` is not given: the machine's cores, at most this many.
const MAX_DEFAULT_JOBS: usize = 8;

fn parse_time(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| format!("{e} (want RFC 3339, e.g. 2026-11-20T15:00:00Z)"))
}

fn main() -> ExitCode {
    // clap prints help and version with exit code 0 and usage errors with exit code 2.
    // Every message to standard error passes the output gate and has its control characters
    // written visibly (`say`), panics included.
    std::panic::set_hook(Box::new(|info| say(&format!("internal error: {info}"))));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            if e.use_stderr() {
                say_raw(&text);
            } else {
                let _ = emit(&text);
            }
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let result = match cli.command {
        Some(Command::Rules) => emit(&rules()).map(|()| ExitCode::SUCCESS),
        Some(Command::Triage(args)) => run(*args),
        None => run(cli.triage),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            say(&format!("{msg}\n\nRun `leaktriage --help` for usage."));
            ExitCode::from(2)
        }
    }
}

/// The rule catalog, one rule a line: id, provider, kind, title (tab-separated).
fn rules() -> String {
    leaktriage::scan::rules::catalog()
        .iter()
        .map(|r| {
            format!(
                "{}\t{}\t{}\t{}\n",
                r.id,
                r.provider,
                r.kind.label(),
                r.title
            )
        })
        .collect()
}

/// One message to standard error, `leaktriage: ` first: gated (no secret leaves whole) and
/// with its control characters written visibly (`\x1b`), so a file name cannot drive the
/// terminal.
fn say(msg: &str) {
    say_raw(&format!("leaktriage: {msg}\n"));
}

/// Writes `text` to standard error, gated and with its control characters escaped.
fn say_raw(text: &str) {
    use std::io::IsTerminal;
    use std::io::Write;
    let gated = leaktriage::scan::gate::redact_text(text);
    let safe = leaktriage::format::escape_controls(&gated);
    let mut err = std::io::stderr().lock();
    // On a terminal a progress line may be showing: the message replaces it (it is drawn
    // again below the message).
    if err.is_terminal() {
        let _ = err.write_all(b"\r\x1b[K");
    }
    let _ = err.write_all(safe.as_bytes());
}

/// Writes to standard output; a reader that went away (`| head`) is not an error.
fn emit(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {e}"))
        }
        _ => Ok(()),
    }
}

fn read_text(what: &str, p: &Path) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("cannot read {what} {}: {e}", p.display()))
}

/// The responder's context from the three levels, lowest to highest: the session's, the
/// context file's (only the fields it names, as a JSON merge patch), the flags'. The order of
/// the arguments does not matter.
fn context(args: &TriageArgs, session: Option<&Session>) -> Result<Context, String> {
    // 1. The session.
    let mut ctx = session.map(|s| s.context.clone()).unwrap_or_default();
    // 2. The context file.
    if let Some(p) = &args.context {
        let text = read_text("context", p)?;
        let bad = |e: serde_json::Error| format!("context {}: {e}", p.display());
        // Parsed as a context first, so a mistake is named with its line and column.
        let file: Context = serde_json::from_str(&text).map_err(bad)?;
        ctx = match session {
            None => file,
            Some(_) => {
                let known = std::mem::take(&mut ctx.known_keys);
                let mut base = serde_json::to_value(&ctx).map_err(bad)?;
                merge(&mut base, serde_json::from_str(&text).map_err(bad)?);
                let mut merged: Context = serde_json::from_value(base).map_err(bad)?;
                merged.known_keys.splice(0..0, known);
                merged
            }
        };
    }
    // 3. The flags.
    if let Some(p) = &args.answers {
        let text = read_text("answers", p)?;
        ctx.answers =
            serde_json::from_str(&text).map_err(|e| format!("answers {}: {e}", p.display()))?;
    }
    for p in &args.known_key_file {
        let text = read_text("known-key file", p)?;
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        {
            match leaktriage::scan::known_key::KnownKey::parse(line) {
                Some(k) => ctx.known_keys.push(k),
                None => return Err(format!("{}: a known key is too short", p.display())),
            }
        }
    }
    ctx.focus.extend(
        args.focus
            .iter()
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty()),
    );
    for p in &args.ignore_file {
        let text = read_text("ignore file", p)?;
        ctx.ignore_fingerprints.extend(
            text.lines()
                .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
                .filter(|l| !l.is_empty()),
        );
    }
    if let Some(p) = &args.fingerprint_key {
        let text = read_text("fingerprint key", p)?;
        ctx.fingerprint_key = Some(
            leaktriage::secret::FingerprintKey::parse(&text)
                .map_err(|e| format!("fingerprint key {}: {e}", p.display()))?,
        );
    } else if ctx.fingerprint_key.is_none() {
        ctx.fingerprint_key = Some(user_fingerprint_key());
    }
    if args.no_time {
        ctx.now = None;
    } else if let Some(now) = args.now {
        ctx.now = Some(now);
    } else if ctx.now.is_none() {
        ctx.now = Some(chrono::DateTime::from(std::time::SystemTime::now()));
    }
    Ok(ctx)
}

/// The user's fingerprint key: `$XDG_CONFIG_HOME/leaktriage/fingerprint.key` (else
/// `~/.config/...`), made from the system's random source on first use and readable by the
/// user only. Where it can be neither read nor made, a key for this run only (said on stderr).
fn user_fingerprint_key() -> leaktriage::secret::FingerprintKey {
    use leaktriage::secret::FingerprintKey;
    let dir = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .map(|d| d.join("leaktriage"));
    let file = dir.as_ref().map(|d| d.join("fingerprint.key"));
    if let Some(f) = &file {
        if let Ok(text) = std::fs::read_to_string(f) {
            match FingerprintKey::parse(&text) {
                Ok(k) => return k,
                Err(e) => eprintln!(
                    "leaktriage: {}: {e}; using a key for this run only",
                    f.display()
                ),
            }
            return random_key().unwrap_or_default();
        }
    }
    let Some(key) = random_key() else {
        eprintln!("leaktriage: no random source: secret fingerprints are unkeyed");
        return FingerprintKey::UNKEYED;
    };
    let saved = dir.zip(file.as_ref()).is_some_and(|(d, f)| {
        std::fs::create_dir_all(&d).is_ok() && write_private(f, &key.to_hex()).is_ok()
    });
    if !saved {
        eprintln!(
            "leaktriage: could not save a fingerprint key; this run's fingerprints are keyed \
             for this run only (give one with --fingerprint-key)"
        );
    }
    key
}

/// 32 bytes from the system's random source.
fn random_key() -> Option<leaktriage::secret::FingerprintKey> {
    use std::io::Read;
    let mut b = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .ok()
        .map(|()| leaktriage::secret::FingerprintKey::from_bytes(b))
}

/// Writes a new file readable by its owner only (never overwrites).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)?.write_all(format!("{text}\n").as_bytes())
}

/// RFC 7386 JSON merge patch: objects merge key by key, `null` removes, anything else replaces.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
    use serde_json::Value;
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    b.remove(&k);
                } else {
                    merge(b.entry(k).or_insert(Value::Null), v);
                }
            }
        }
        (b, p) => *b = p,
    }
}

fn run(args: TriageArgs) -> Result<ExitCode, String> {
    let session = match &args.session {
        Some(p) => {
            let text = read_text("session", p)?;
            Some(Session::parse(&text).map_err(|e| format!("session {}: {e}", p.display()))?)
        }
        None => None,
    };
    let ctx = context(&args, session.as_ref())?;
    let problems = ctx.problems();
    if !problems.is_empty() {
        return Err(format!("context: {}", problems.join("; ")));
    }
    let mut inputs = files::Files::default();
    if let Some(bytes) = args.stream_bytes {
        inputs.stream_past(bytes);
    }
    if args.no_map {
        inputs.never_map();
    }
    if let Some(s) = &session {
        for input in s.inputs().map_err(|e| format!("session: {e}"))? {
            inputs.push_memory(input);
        }
    }
    if args.paths.is_empty() && inputs.is_empty() {
        return Err("no input files".into());
    }

    use std::io::IsTerminal;
    let mut progress = progress::Progress::new(
        !args.quiet && std::io::stderr().is_terminal(),
        leaktriage::scan::gate::Gate::new(&ctx.known_keys),
    );
    let mut walk = Walk {
        unreadable: 0,
        dirs: Default::default(),
        progress: &mut progress,
    };
    for p in &args.paths {
        walk.collect(p, p, &mut inputs);
    }
    let mut unreadable = walk.unreadable;
    for p in &args.rules {
        let bytes =
            std::fs::read(p).map_err(|e| format!("cannot read rules file {}: {e}", p.display()))?;
        let input = Input::new(p.display().to_string(), bytes);
        if leaktriage::evidence::inventory(&input).kind != leaktriage::EvidenceKind::Rules {
            return Err(format!(
                "{} is not a rules file (TOML with [[rules]] tables)",
                p.display()
            ));
        }
        inputs.push_memory(input);
    }
    let jobs = args.jobs.map_or_else(
        || leaktriage::evidence::parallel::available_jobs(MAX_DEFAULT_JOBS),
        usize::from,
    );
    progress.inputs((0..inputs.count()).map(|i| (inputs.name(i), inputs.size(i))));
    let run = Run {
        jobs,
        step: &mut |s| progress.step(s),
    };
    // Each file is read from disk when the engine comes to it, and dropped once read.
    let mut report = triage_source(&inputs, &ctx, run, &mut || 0.0).0;
    progress.finish();
    for (name, why) in inputs.failures() {
        say(&format!("cannot read {name}: {why}"));
        unreadable += 1;
    }
    let mut custody_broken = false;
    if let Some(s) = &session {
        let given: Vec<_> = report
            .evidence
            .iter()
            .map(leaktriage::session::EvidenceRef::of)
            .collect();
        let check = s.check(&given);
        for m in &check.missing {
            say(&format!(
                "session: {} (SHA-256 {}) was not given",
                m.name, m.sha256
            ));
        }
        for d in &check.different {
            say(&format!(
                "session: {} differs: SHA-256 {} now, {} in the session",
                d.expected.name, d.got.sha256, d.expected.sha256
            ));
        }
        custody_broken = !check.complete();
        report = report.with_custody(check);
    }
    // Every file comes from the report's one list of exports (the page uses the same).
    let files = [
        (&args.out, ExportId::Json),
        (&args.sarif, ExportId::Sarif),
        (&args.markdown, ExportId::Markdown),
        (&args.iocs_csv, ExportId::IocsCsv),
        (&args.agent_actions_csv, ExportId::AgentActionsCsv),
    ];
    for (path, id) in files {
        if let Some(p) = path {
            std::fs::write(p, (export::get(id).write)(&report))
                .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        }
    }
    if let Some(dir) = &args.hunts {
        write_hunts(dir, &report)?;
    }
    let shown = export::get(if args.json {
        ExportId::Json
    } else {
        ExportId::Text
    });
    emit(&(shown.write)(&report))?;
    // The run ends here: the system takes back the files held and the report all at once,
    // rather than their thousands of parts being freed one by one first.
    std::mem::forget(inputs);
    std::mem::forget(report);
    Ok(if custody_broken {
        ExitCode::from(4)
    } else if unreadable > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// The report's hunts into `dir`: `<id>.<extension>` each (the query alone, ready to paste) and
/// `README.txt` (what each returns and what to fill in). Every file passes the output gate.
fn write_hunts(dir: &std::path::Path, report: &leaktriage::Report) -> Result<(), String> {
    use leaktriage::report::hunts::describe;
    let fail =
        |p: &std::path::Path, e: std::io::Error| format!("cannot write {}: {e}", p.display());
    std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    let mut index = String::from(
        "Queries to run where your logs live, for the leaked credentials and the window of this \
         report (made by leaktriage; it sends nothing anywhere).\n\n",
    );
    for h in &report.hunts {
        let p = dir.join(format!("{}.{}", h.id, h.dialect.extension()));
        std::fs::write(&p, report.gate.redact(&h.query).as_ref()).map_err(|e| fail(&p, e))?;
        index.push_str(&describe(h));
        index.push('\n');
    }
    if report.hunts.is_empty() {
        index.push_str(
            "None: the report names no AWS access key id, GCP key or principal, Azure, OpenAI or Anthropic credential \
             to hunt for.\n",
        );
    }
    let p = dir.join("README.txt");
    std::fs::write(&p, report.gate.redact(&index).as_ref()).map_err(|e| fail(&p, e))
}

/// Lists a file, or every file below a directory (sorted, so reruns are identical), to be read
/// when the engine comes to it: regular files only (a FIFO, socket or device is refused before
/// it is opened, so nothing blocks), symbolic links followed once each, a directory read once
/// (a link back to it is a loop, skipped), and the limit on bytes per file. Each file is opened
/// once here (a small one read, its bytes held for the run), so one that cannot be read is named
/// now and left out of the run.
struct Walk<'p> {
    unreadable: u32,
    dirs: std::collections::HashSet<FolderId>,
    progress: &'p mut progress::Progress,
}

impl Walk<'_> {
    fn refuse(&mut self, p: &Path, why: &str) {
        say(&format!("cannot read {}: {why}", p.display()));
        self.unreadable += 1;
    }

    fn collect(&mut self, root: &Path, p: &Path, inputs: &mut files::Files) {
        // The link itself, then (followed once) what it names.
        let link = match std::fs::symlink_metadata(p) {
            Ok(m) => m,
            Err(e) => return self.refuse(p, &e.to_string()),
        };
        let meta = if link.file_type().is_symlink() {
            match std::fs::metadata(p) {
                Ok(m) => m,
                Err(e) => {
                    return self.refuse(p, &format!("a symbolic link that leads nowhere ({e})"))
                }
            }
        } else {
            link
        };
        if meta.is_dir() {
            // A folder is known by its device and inode (no path to resolve for each of
            // thousands of folders); its resolved path is looked up only to name a repeat.
            if !self.dirs.insert(folder_id(p, &meta)) {
                let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
                say(&format!(
                    "skipped {}: the folder {} was already read (a symbolic link loop or a \
                     second link to it)",
                    p.display(),
                    canon.display()
                ));
                return;
            }
            // Each entry with whether the folder says it is a regular file (no look of its own
            // needed: it is opened and its size read from the open file).
            let mut entries: Vec<(PathBuf, bool)> = match std::fs::read_dir(p) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok())
                    .map(|e| {
                        let regular = e.file_type().is_ok_and(|t| t.is_file());
                        (e.path(), regular)
                    })
                    .collect(),
                Err(e) => {
                    say(&format!("cannot read directory {}: {e}", p.display()));
                    self.unreadable += 1;
                    return;
                }
            };
            entries.sort();
            for (e, regular) in entries {
                match regular {
                    true => self.regular(root, &e, inputs),
                    false => self.collect(root, &e, inputs),
                }
            }
            return;
        }
        self.file(root, p, None, &meta, inputs)
    }

    /// A file its folder says is a regular file: opened, and known by the open file.
    fn regular(&mut self, root: &Path, p: &Path, inputs: &mut files::Files) {
        let mut open = std::fs::OpenOptions::new();
        open.read(true);
        // Should it have become a FIFO since its folder was read, opening it does not wait for
        // a writer: it is then refused as any FIFO is.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut open, libc::O_NONBLOCK);
        let f = match open.open(p) {
            Ok(f) => f,
            Err(e) => return self.refuse(p, &e.to_string()),
        };
        match f.metadata() {
            Ok(meta) => self.file(root, p, Some(f), &meta, inputs),
            Err(e) => self.refuse(p, &e.to_string()),
        }
    }

    /// A file of `meta` (opened as `f`, when it is), checked and listed.
    fn file(
        &mut self,
        root: &Path,
        p: &Path,
        f: Option<std::fs::File>,
        meta: &std::fs::Metadata,
        inputs: &mut files::Files,
    ) {
        use leaktriage::evidence::limits::{self, FILE_BYTES};
        if !meta.is_file() {
            return self.refuse(p, &format!("{}, not a regular file", special(meta)));
        }
        if meta.len() > FILE_BYTES {
            return self.refuse(
                p,
                &format!(
                    "{} bytes, over the limit of {} per file",
                    meta.len(),
                    limits::bytes(FILE_BYTES)
                ),
            );
        }
        // A file met below `root` was found by reading it as a folder; `root` itself is this
        // file (not a folder, as `meta` just said). No second look at `root` for every file.
        let name = if p != root {
            let base = root.file_name().map(PathBuf::from).unwrap_or_default();
            base.join(p.strip_prefix(root).unwrap_or(p))
                .to_string_lossy()
                .into_owned()
        } else {
            p.to_string_lossy().into_owned()
        };
        match inputs.add_disk(p.to_path_buf(), f, name.clone(), meta.len()) {
            Ok(()) => self.progress.disk(&name, meta.len()),
            Err(e) => self.refuse(p, &e),
        }
    }
}

/// What tells one folder from another: its device and inode where there are such, else its
/// resolved path.
#[cfg(unix)]
type FolderId = (u64, u64);
#[cfg(not(unix))]
type FolderId = PathBuf;

fn folder_id(p: &Path, meta: &std::fs::Metadata) -> FolderId {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = p;
        (meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
    }
}

/// What a file that is not a regular file is, in words.
fn special(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    let _ = meta;
    "a special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file its folder listed as regular is opened without waiting, even one that has become
    /// a FIFO since: it is refused as a FIFO, and a regular file beside it is listed.
    #[cfg(unix)]
    #[test]
    fn a_file_listed_as_regular_that_became_a_fifo_is_refused_without_waiting() {
        use leaktriage::Source;
        let d = std::env::temp_dir().join(format!("leaktriage-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        let (fifo, plain) = (d.join("pipe"), d.join("a.env"));
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a path made into a C string above, and a mode.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        std::fs::write(&plain, "KEY=value\n").unwrap();
        let mut progress = progress::Progress::new(false, Default::default());
        let mut walk = Walk {
            unreadable: 0,
            dirs: Default::default(),
            progress: &mut progress,
        };
        let mut inputs = files::Files::default();
        walk.regular(&d, &fifo, &mut inputs);
        walk.regular(&d, &plain, &mut inputs);
        assert_eq!(walk.unreadable, 1);
        assert_eq!(inputs.count(), 1);
        assert!(inputs.name(0).ends_with("a.env"));
        let _ = std::fs::remove_dir_all(&d);
    }
}
