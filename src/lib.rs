//! leaktriage: offline triage of leaked AI-provider keys and agent credentials.
//!
//! The engine is pure: [`triage`] takes the evidence files as bytes and a [`Context`]
//! (the current time, the awareness time, what the responder knows) and returns one
//! [`Report`], the same in the browser's worker, the native CLI and the tests.
//! It reads no clock, does no I/O and knows no browser type.

pub mod agent;
pub mod demo;
pub mod detect;
pub mod evidence;
pub mod format;
pub mod report;
pub mod scan;
pub mod scope;
pub mod secret;
pub mod session;
/// Test helpers (feature `testkit`): whether an output shows more of a secret than the
/// redaction policy allows.
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;

#[cfg(feature = "ui")]
pub mod ui;

use evidence::{is_left, Tally};
pub use evidence::{EvidenceFile, EvidenceKind, Input, Problem, Source};
pub use report::Context;
pub use report::{Report, SCHEMA_VERSION};
use std::collections::HashMap;
use std::sync::Mutex;

/// The tool's version, as written into every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Runs the whole engine over the given evidence.
///
/// Never panics on input: every problem with a file becomes a [`Problem`] in the report.
pub fn triage(inputs: &[Input], ctx: &Context) -> Report {
    triage_timed(inputs, ctx, &mut || 0.0).0
}

/// Milliseconds each stage of [`triage_timed`] took, by the caller's clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct StageTimes {
    /// Sniffing, decoding, hashing and parsing every file (events go into the detectors'
    /// compact rows as they are read).
    pub read_ms: f64,
    /// The usage anomaly detectors.
    pub detect_ms: f64,
    /// The credential scan over the texts, histories and patches (and the known-key search).
    pub scan_ms: f64,
    /// The bytes the scanner went through.
    pub scanned_bytes: u64,
    /// Files whose matching the scan stage took from elsewhere ([`triage_rest`]: the page's
    /// helper workers) instead of doing it.
    pub matched_elsewhere: u64,
}

/// [`triage`], timing each stage with `clock` (milliseconds, any origin). The engine still
/// reads no clock itself: the browser's worker passes `Date.now`, the tests a counter.
pub fn triage_timed(
    inputs: &[Input],
    ctx: &Context,
    clock: &mut dyn FnMut() -> f64,
) -> (Report, StageTimes) {
    triage_run(
        inputs,
        ctx,
        Run {
            jobs: 1,
            step: &mut |_| {},
        },
        clock,
    )
}

/// How a run goes besides the evidence and the context: on how many threads, and who is told
/// of each step (the native CLI's progress line). The report does not depend on either.
pub struct Run<'a> {
    /// Threads to read, inflate, parse and scan the files on (1: all on the calling thread,
    /// each file's events streamed; the page's wasm always runs on one).
    pub jobs: usize,
    /// Told of each step as the run goes, on the calling thread.
    pub step: &'a mut dyn FnMut(Step<'_>),
}

/// One step of a run, for a progress display: counts and the inventory row of a file read,
/// never a value from inside a file.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// A stage starts: `read` (sniff, inflate, hash and parse the files), `detect`, `scan`,
    /// `report`.
    Stage(&'static str),
    /// The evidence stage is done with the next file, in input order.
    Read(&'a EvidenceFile),
    /// The scan is done with file `index`, in input order.
    Scanned(usize),
}

/// [`triage_timed`] as the run asks: on `run.jobs` threads, telling `run.step` of each step.
/// The report is the same whatever the number of threads.
pub fn triage_run(
    inputs: &[Input],
    ctx: &Context,
    run: Run<'_>,
    clock: &mut dyn FnMut() -> f64,
) -> (Report, StageTimes) {
    triage_source(&inputs, ctx, run, clock)
}

/// [`triage_run`] over files asked of `source` when their turn comes, in each stage that reads
/// them (the evidence stage, the scan, the agent stage): a file's bytes are held only while a
/// stage works on it, so the whole run holds a bounded number of files at once, whatever their
/// number. The report is the one [`triage_run`] makes of the same files in memory.
pub fn triage_source(
    source: &dyn Source,
    ctx: &Context,
    run: Run<'_>,
    clock: &mut dyn FnMut() -> f64,
) -> (Report, StageTimes) {
    let Run { jobs, step } = run;
    let read = read_stage(source, ctx, jobs, false, step, clock);
    finish(source, read, Run { jobs, step }, None, clock)
}

/// A run's evidence and detect stages, done ([`triage_read`]); [`triage_rest`] finishes it.
pub struct ReadStage {
    ctx: Context,
    evidence: Vec<EvidenceFile>,
    focus: Option<evidence::focus::FocusTally>,
    detection: detect::Detection,
    usage: scope::Usage,
    quiet: Quiet,
    times: StageTimes,
}

/// What matching each usage export will tell, where its digest settles it
/// ([`scan::quiet_by_digest`]), found by the evidence stage while it held the decoded text: by
/// the file's SHA-256 and the bytes it inflated to. The scan takes it in the file's turn
/// instead of inflating and decoding the file again.
type Quiet = HashMap<(String, u64), scan::Quiet>;

/// The evidence stage's look at each usage export's text for the scan ([`Quiet`]); none when
/// the run searches for known keys (the search reads each text whole), or when other workers
/// match the files meanwhile (the page's helpers look at every digest themselves).
struct DigestLook {
    matcher: Option<scan::Matcher<'static>>,
    quiet: Mutex<Quiet>,
}

impl DigestLook {
    fn new(ctx: &Context, matched_elsewhere: bool) -> Self {
        DigestLook {
            matcher: (ctx.known_keys.is_empty() && !matched_elsewhere)
                .then(|| scan::Scanner::new(scan::Options::default()).matcher()),
            quiet: Mutex::default(),
        }
    }
}

impl evidence::Look for DigestLook {
    /// The scan reads such a text's whole stream when no known key is searched for (the
    /// search reads a text whole) and no other worker matches the files.
    fn leaves_texts(&self) -> bool {
        self.matcher.is_some()
    }

    fn tokens<'a>(
        &'a self,
        kind: EvidenceKind,
        text: &'a str,
    ) -> Option<Box<dyn evidence::tokens::Tokens + 'a>> {
        self.matcher.as_ref()?.listener(kind, text)
    }

    fn text(
        &self,
        sha256: &str,
        kind: EvidenceKind,
        text: &str,
        inflated: u64,
        heard: Option<Vec<u8>>,
    ) {
        let Some(m) = &self.matcher else {
            return;
        };
        if let Some(q) = scan::quiet_by_digest(m, kind, text, inflated, heard) {
            let mut quiet = self.quiet.lock().unwrap_or_else(|e| e.into_inner());
            quiet.insert((sha256.to_string(), inflated), q);
        }
    }
}

/// The first part of [`triage_timed`]: the evidence stage (sniff, inflate, hash and parse every
/// file) and the detectors, on the calling thread. [`triage_rest`] scans and makes the report;
/// between the two the page's worker waits for what its helper workers matched meanwhile.
/// Their matching of each file alone covers what the evidence stage's look at a usage export's
/// digest would find, so this reading makes no digest itself.
pub fn triage_read(inputs: &[Input], ctx: &Context, clock: &mut dyn FnMut() -> f64) -> ReadStage {
    read_stage(&inputs, ctx, 1, true, &mut |_| {}, clock)
}

/// The evidence stage and the detectors over the files of `source`, on `jobs` threads, telling
/// `step` of each step. `matched_elsewhere`: other workers match every file alone meanwhile
/// ([`triage_read`]), so the evidence stage makes no digest for the scan.
fn read_stage(
    source: &dyn Source,
    ctx: &Context,
    jobs: usize,
    matched_elsewhere: bool,
    step: &mut dyn FnMut(Step<'_>),
    clock: &mut dyn FnMut() -> f64,
) -> ReadStage {
    // A value out of its range (a session handed over, a hand-edited context) never reaches a
    // stage: times outside 1970 to 9999 count as not given, thresholds are brought into range.
    let ctx = ctx.sanitized().into_owned();
    // Events go straight into the detectors' compact rows as they are read: they are never
    // all held as `UsageEvent`s, and each file's decoded text is dropped once it is read.
    let params = ctx.detect_params.clone().unwrap_or_default();
    let t0 = clock();
    let mut focus = ctx.focused().then(|| {
        evidence::focus::Focus::new(
            ctx.focus.iter().map(String::as_str),
            ctx.known_keys.iter().filter_map(|k| k.whole()),
        )
    });
    // A focused run reads its files again, from the start, when a name it focused on late had
    // acted earlier in them (at most `READINGS` times); an unfocused run reads them once.
    let look = DigestLook::new(&ctx, matched_elsewhere);
    let (evidence, focus, Gathered { rows, usage }) = loop {
        let mut gathered = Gathered {
            rows: detect::Rows::merged(&params),
            usage: scope::Usage::default(),
        };
        step(Step::Stage("read"));
        let (evidence, focus_read) = evidence::read_source_gather(
            source,
            &ctx.csv_mappings,
            &look,
            jobs,
            focus.take(),
            &mut gathered,
            &mut |f| step(Step::Read(f)),
        );
        match focus_read {
            Some(f) if f.missed() && f.readings() < evidence::focus::READINGS => {
                focus = Some(f.again())
            }
            f => break (evidence, f, gathered),
        }
    };
    let mut times = StageTimes {
        read_ms: clock() - t0,
        ..StageTimes::default()
    };
    step(Step::Stage("detect"));
    let t = clock();
    let detection = rows.detect_jobs(&params, ctx.compromise_start, jobs);
    times.detect_ms = clock() - t;
    ReadStage {
        ctx,
        evidence,
        focus: focus.map(evidence::focus::Focus::tally),
        detection,
        usage,
        quiet: look.quiet.into_inner().unwrap_or_else(|e| e.into_inner()),
        times,
    }
}

/// What the evidence stage's merged events are gathered into: the detectors' rows and each
/// key's use. A file read ahead of its turn on another thread is made into both there.
struct Gathered {
    rows: detect::Rows,
    usage: scope::Usage,
}

impl evidence::Gather for Gathered {
    type Part = detect::Part;
    fn part(&self) -> detect::Part {
        self.rows.part()
    }
    fn event(&mut self, e: evidence::event::UsageEvent) {
        self.rows.push(&e);
        self.usage.push(&e);
    }
    fn take(&mut self, part: detect::Part, dropped: &[u32]) {
        self.usage.take(&part, dropped);
        self.rows.take(&part, dropped);
    }
}

/// The rest of [`triage_timed`] after [`triage_read`] of the same inputs: the scan, the blast
/// radius and the report. `given(i)` is what file `i` told when matched alone elsewhere
/// ([`scan::match_alone`]), if it was: taken where it stands for this run's matching
/// ([`scan::scan_inputs_given`]), so the report is exactly [`triage_timed`]'s.
pub fn triage_rest(
    inputs: &[Input],
    read: ReadStage,
    given: &mut dyn FnMut(usize) -> Option<scan::Quiet>,
    clock: &mut dyn FnMut() -> f64,
) -> (Report, StageTimes) {
    let run = Run {
        jobs: 1,
        step: &mut |_| {},
    };
    finish(&inputs, read, run, Some(given), clock)
}

/// The scan, the blast radius and the report after [`read_stage`].
fn finish(
    source: &dyn Source,
    read: ReadStage,
    run: Run<'_>,
    given: Option<&mut dyn FnMut(usize) -> Option<scan::Quiet>>,
    clock: &mut dyn FnMut() -> f64,
) -> (Report, StageTimes) {
    let ReadStage {
        ctx,
        evidence,
        focus,
        detection,
        usage,
        quiet,
        mut times,
    } = read;
    let report = assemble(
        source,
        Read {
            evidence,
            focus,
            detection,
            quiet,
        },
        &usage,
        &ctx,
        run,
        given,
        clock,
        &mut times,
    );
    (report, times)
}

/// Runs the engine over evidence files and usage events parsed elsewhere (tests, benchmarks):
/// the detectors see only `events`.
pub fn triage_events(
    inputs: &[Input],
    events: &[evidence::event::UsageEvent],
    ctx: &Context,
) -> Report {
    // The events are given, so there is nothing to focus: the scan keeps the run's limit too.
    let mut ctx = ctx.sanitized().into_owned();
    ctx.focus.clear();
    let ctx = &ctx;
    let evidence = evidence::read_all_each(inputs, &ctx.csv_mappings, &mut |_| {});
    let params = ctx.detect_params.clone().unwrap_or_default();
    let detection = detect::detect(events, &params, ctx.compromise_start);
    let mut usage = scope::Usage::default();
    events.iter().for_each(|e| usage.push(e));
    let run = Run {
        jobs: 1,
        step: &mut |_| {},
    };
    assemble(
        &inputs,
        Read {
            evidence,
            focus: None,
            detection,
            quiet: Quiet::new(),
        },
        &usage,
        ctx,
        run,
        None,
        &mut || 0.0,
        &mut StageTimes::default(),
    )
}

/// What the evidence stage and the detectors made of a run's files.
struct Read {
    evidence: Vec<EvidenceFile>,
    focus: Option<evidence::focus::FocusTally>,
    detection: detect::Detection,
    quiet: Quiet,
}

/// The stages after detection: scan the texts, assess the blast radius, assemble the report.
#[allow(clippy::too_many_arguments)]
fn assemble(
    source: &dyn Source,
    read: Read,
    usage: &scope::Usage,
    ctx: &Context,
    run: Run<'_>,
    given: Option<&mut dyn FnMut(usize) -> Option<scan::Quiet>>,
    clock: &mut dyn FnMut() -> f64,
    times: &mut StageTimes,
) -> Report {
    let Read {
        mut evidence,
        focus,
        detection,
        quiet,
    } = read;
    let kinds: Vec<EvidenceKind> = evidence.iter().map(|e| e.kind).collect();
    // Rules files dropped with the evidence (or given with `--rules`) are used by this scan.
    let rule_files = rule_files(source, &kinds);
    let t = clock();
    let read: Vec<(EvidenceKind, u64)> = evidence
        .iter()
        .map(|e| (e.kind, e.inflated_size.unwrap_or(0)))
        .collect();
    let opts = scan::Options {
        rule_files: &rule_files,
        ..ctx.scan_options()
    };
    let mut given = given;
    // The texts the evidence stage left are completed by the scan's reading of their streams.
    // One that holds an invalid UTF-8 byte is then read whole, and the scan is run again with
    // it read whole too, as it would have been had the evidence stage read it first (rare: a
    // large text whose head is plain UTF-8).
    let mut pass = 0;
    let scan = loop {
        pass += 1;
        (run.step)(Step::Stage("scan"));
        // A left row is one of plain UTF-8 (from its head) too.
        let scanned = Scanned {
            source,
            plain: evidence.iter().map(plain_utf8).collect(),
            rows: &evidence,
            left: evidence
                .iter()
                .map(|e| is_left(e).then(Told::default))
                .collect(),
        };
        // A usage export the evidence stage found quiet by its digest is not decoded again.
        let ahead = |i: usize| {
            let e = evidence.get(i)?;
            let key = (e.sha256.clone(), e.inflated_size.unwrap_or(0));
            quiet.get(&key).cloned()
        };
        let scan = match &mut given {
            Some(given) => {
                let (scan, taken) =
                    scan::scan_inputs_given(&scanned, &read, opts, *given, &ahead, &mut |i| {
                        (run.step)(Step::Scanned(i))
                    });
                times.matched_elsewhere = taken;
                scan
            }
            None => scan::scan_source_jobs(&scanned, &read, opts, run.jobs, &ahead, &mut |i| {
                (run.step)(Step::Scanned(i))
            }),
        };
        let Scanned { left, .. } = scanned;
        let mut again = false;
        for (i, told) in left.into_iter().enumerate() {
            let Some(told) = told else { continue };
            evidence[i] = match told.into_inner().unwrap_or_else(|e| e.into_inner()) {
                Some(Some(row)) => row,
                Some(None) => {
                    again = true;
                    evidence::read_whole(source, i, &ctx.csv_mappings)
                }
                None => {
                    let (row, whole) = evidence::complete_left(source, i, &ctx.csv_mappings);
                    again |= whole;
                    row
                }
            };
        }
        // The second pass leaves nothing to complete: every row is whole by then.
        if !again || pass > 1 {
            break scan;
        }
    };
    (run.step)(Step::Stage("report"));
    times.scan_ms = clock() - t;
    times.scanned_bytes = scan.totals.bytes_scanned;
    let evidence = with_rule_file_outcomes(evidence, &scan.rule_files);
    let mut report = Report::new(evidence, ctx).with_detection(detection);
    report.totals.focus = focus;
    // Every value the scan found, by any rule or rules file, is redacted wherever it appears
    // in the outputs (whole or encoded), not only where a catalog rule recognises it. A cloud
    // access key id names its key and passes, as the gate's rules let it.
    report.gate.add_values(
        scan.secrets
            .iter()
            .filter(|s| s.kind != scan::rules::Kind::CloudAccessKeyId)
            .filter_map(|s| s.reveal()),
    );
    report.scan = scan;
    // The agent stage reads the agent logs again (the evidence stage counted them) and is told
    // the window, the sessions named and where the scan found a leaked secret.
    let mut seen = std::collections::HashSet::new();
    let repeat: Vec<bool> = report
        .evidence
        .iter()
        .map(|e| !seen.insert(e.sha256.clone()))
        .collect();
    let records = agent::read_source(source, &kinds, &repeat);
    if !records.is_empty() {
        report.agent = agent::analyse(&records, &report::agent::given(&report, ctx));
    }
    // The blast radius rates from what the affected agent sessions did where their logs say.
    report.scope = scope::assess(&scope::Inputs {
        scan: &report.scan,
        detection: &report.detection,
        usage,
        known_keys: &ctx.known_keys,
        answers: &ctx.answers,
        agent: &report.agent,
    });
    report.conclude(ctx)
}

/// The files as the scan reads them: a file its source would rather stream is streamed only
/// where the evidence stage read plain UTF-8 without a problem (an invalid byte is replaced in
/// the whole text, whose length then differs from the bytes').
struct Scanned<'a> {
    source: &'a dyn Source,
    plain: Vec<bool>,
    /// The evidence stage's rows.
    rows: &'a [EvidenceFile],
    /// For each text the evidence stage left ([`is_left`]): what its tally told.
    left: Vec<Option<Told>>,
}

impl Source for Scanned<'_> {
    fn count(&self) -> usize {
        self.source.count()
    }
    fn name(&self, i: usize) -> &str {
        self.source.name(i)
    }
    fn size(&self, i: usize) -> u64 {
        self.source.size(i)
    }
    fn input(&self, i: usize) -> Result<std::borrow::Cow<'_, Input>, String> {
        self.source.input(i)
    }
    fn streamed(&self, i: usize) -> bool {
        self.plain.get(i).copied().unwrap_or(false) && self.source.streamed(i)
    }
    fn stream(&self, i: usize) -> Result<Box<dyn std::io::Read + '_>, String> {
        let reader = self.source.stream(i)?;
        Ok(match (self.left.get(i), self.rows.get(i)) {
            (Some(Some(told)), Some(row)) => Tally::of(row).reader(reader, move |row| {
                *told.lock().unwrap_or_else(|e| e.into_inner()) = Some(row)
            }),
            _ => reader,
        })
    }
}

/// What the [`Tally`] of a left text told once its stream was read to its end: its row, or
/// `None` when it must be read whole (nothing: it was not read to its end).
type Told = Mutex<Option<Option<EvidenceFile>>>;

/// Whether the evidence stage read a file as plain UTF-8 text without a problem.
fn plain_utf8(e: &EvidenceFile) -> bool {
    e.compression.is_none() && e.encoding.as_deref() == Some("utf-8") && e.problem_count == 0
}

/// The inputs the evidence stage recognised as rules files, as text.
fn rule_files(source: &dyn Source, kinds: &[EvidenceKind]) -> Vec<scan::RuleFile> {
    (0..source.count())
        .zip(kinds)
        .filter(|(_, k)| **k == EvidenceKind::Rules)
        .filter_map(|(i, _)| {
            let input = source.input(i).ok()?;
            let mut problems = evidence::Problems::new(&input.name);
            match evidence::decode(&input.bytes, &mut problems) {
                evidence::Decoded::Text { text, .. } => Some(scan::RuleFile {
                    name: input.name.clone(),
                    text: text.into_owned(),
                }),
                _ => None,
            }
        })
        .collect()
}

/// Each rules file's inventory row tells what the scan made of it: rules used (its records),
/// and a problem per rule skipped or partly used.
fn with_rule_file_outcomes(
    mut evidence: Vec<EvidenceFile>,
    outcomes: &[scan::RuleFileReport],
) -> Vec<EvidenceFile> {
    for o in outcomes {
        let Some(e) = evidence
            .iter_mut()
            .find(|e| e.kind == EvidenceKind::Rules && e.name == o.evidence)
        else {
            continue;
        };
        e.records = o.rules;
        e.note = Some(format!(
            "{} rules file: {} rule(s) used by the scan, {} skipped",
            o.format, o.rules, o.skipped
        ));
        e.problem_count += o.problems.len() as u64;
        let room = evidence::MAX_PROBLEMS_KEPT.saturating_sub(e.problems.len());
        e.problems.extend(o.problems.iter().take(room).cloned());
    }
    evidence
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_timed_by_the_callers_clock_and_count_the_scanned_bytes() {
        let text = "line one\nOPENAI_API_KEY=not-a-key\n".repeat(10);
        let inputs = [Input::new("notes.txt", text.clone().into_bytes())];
        let mut calls = Vec::new();
        let mut tick = 0.0;
        let (report, times) = triage_timed(&inputs, &Context::default(), &mut || {
            tick += 10.0;
            calls.push(tick);
            tick
        });
        assert_eq!(calls.len(), 6, "two readings per stage");
        assert_eq!(
            (times.read_ms, times.detect_ms, times.scan_ms),
            (10.0, 10.0, 10.0)
        );
        assert_eq!(times.scanned_bytes, text.len() as u64);
        assert_eq!(report, triage(&inputs, &Context::default()));
    }

    /// Files in memory, given one at a time as if read from disk, counting how far ahead of
    /// the file its stage last finished each one is asked for.
    struct Counting<'a> {
        inputs: &'a [Input],
        done: &'a std::sync::atomic::AtomicUsize,
        ahead: std::sync::atomic::AtomicUsize,
    }

    impl Source for Counting<'_> {
        fn count(&self) -> usize {
            self.inputs.len()
        }
        fn name(&self, i: usize) -> &str {
            &self.inputs[i].name
        }
        fn size(&self, i: usize) -> u64 {
            self.inputs[i].bytes.len() as u64
        }
        fn input(&self, i: usize) -> Result<std::borrow::Cow<'_, Input>, String> {
            use std::sync::atomic::Ordering::SeqCst;
            let done = self.done.load(SeqCst);
            self.ahead.fetch_max(i.saturating_sub(done), SeqCst);
            Ok(std::borrow::Cow::Owned(self.inputs[i].clone()))
        }
    }

    #[test]
    fn files_asked_for_in_their_turn_make_the_in_memory_report_and_few_are_held() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        let mut inputs = demo::files()
            .into_iter()
            .map(|(name, bytes)| Input::new(name, bytes))
            .collect::<Vec<_>>();
        let text = "line\nOPENAI_API_KEY=not-a-key\n";
        inputs.extend((0..40).map(|i| Input::new(format!("n{i:02}.txt"), text.repeat(i + 1))));
        let ctx = Context::default();
        let want = triage(&inputs, &ctx).to_json();
        for jobs in [1, 2, 4] {
            let done = AtomicUsize::new(0);
            let source = Counting {
                inputs: &inputs,
                done: &done,
                ahead: AtomicUsize::new(0),
            };
            let mut step = |s: Step<'_>| match s {
                Step::Stage(_) => done.store(0, SeqCst),
                Step::Read(_) | Step::Scanned(_) => {
                    done.fetch_add(1, SeqCst);
                }
            };
            let run = Run {
                jobs,
                step: &mut step,
            };
            let got = triage_source(&source, &ctx, run, &mut || 0.0).0.to_json();
            assert!(got == want, "the report differs with {jobs} job(s)");
            let ahead = source.ahead.load(SeqCst);
            assert!(
                ahead <= 2 * jobs + 1,
                "{ahead} files ahead with {jobs} job(s)"
            );
        }
    }

    /// A file its source cannot read has a row saying why, and the others are read.
    #[test]
    fn a_file_that_cannot_be_read_is_a_row_saying_why() {
        struct Gone<'a>(&'a [Input]);
        impl Source for Gone<'_> {
            fn count(&self) -> usize {
                self.0.len()
            }
            fn name(&self, i: usize) -> &str {
                &self.0[i].name
            }
            fn size(&self, i: usize) -> u64 {
                self.0[i].bytes.len() as u64
            }
            fn input(&self, i: usize) -> Result<std::borrow::Cow<'_, Input>, String> {
                match i {
                    1 => Err("it vanished".into()),
                    _ => Ok(std::borrow::Cow::Borrowed(&self.0[i])),
                }
            }
        }
        let inputs = [
            Input::new("a.txt", "one\n"),
            Input::new("b.txt", "two\n"),
            Input::new("c.txt", "three\n"),
        ];
        for jobs in [1, 2] {
            let run = Run {
                jobs,
                step: &mut |_| {},
            };
            let report = triage_source(&Gone(&inputs), &Context::default(), run, &mut || 0.0).0;
            let rows: Vec<_> = report.evidence.iter().map(|e| e.lines).collect();
            assert_eq!(rows, [1, 0, 1]);
            let gone = &report.evidence[1];
            assert_eq!(gone.note.as_deref(), Some("could not be read: it vanished"));
            assert_eq!(gone.problems[0].file, "b.txt");
        }
    }

    /// A SHA-256 said of a file that is not one (empty, say) is not taken for one: the file is
    /// hashed, and its row is whole.
    #[test]
    fn a_hash_given_that_is_not_one_is_computed() {
        let bytes = "plain text\n".repeat(10);
        let want = crate::secret::hex(&<sha2::Sha256 as sha2::Digest>::digest(bytes.as_bytes()));
        for given in ["", "not a hash", &want.to_uppercase()] {
            let input = Input {
                sha256: Some(given.to_string()),
                ..Input::new("t.txt", bytes.as_str())
            };
            let report = triage(&[input], &Context::default());
            assert_eq!(report.evidence[0].sha256, want, "given {given:?}");
        }
    }

    /// Files in memory that ask to be streamed, every one, counting the streams opened and the
    /// bytes read from them.
    struct Streaming<'a>(
        &'a [Input],
        std::sync::atomic::AtomicUsize,
        std::sync::atomic::AtomicUsize,
    );

    /// A stream of [`Streaming`], adding what is read from it to its count.
    struct Counted<'a>(&'a [u8], &'a std::sync::atomic::AtomicUsize);

    impl std::io::Read for Counted<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(buf)?;
            self.1.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
            Ok(n)
        }
    }

    impl Source for Streaming<'_> {
        fn count(&self) -> usize {
            self.0.len()
        }
        fn name(&self, i: usize) -> &str {
            &self.0[i].name
        }
        fn size(&self, i: usize) -> u64 {
            self.0[i].bytes.len() as u64
        }
        fn input(&self, i: usize) -> Result<std::borrow::Cow<'_, Input>, String> {
            Ok(std::borrow::Cow::Borrowed(&self.0[i]))
        }
        fn streamed(&self, _: usize) -> bool {
            true
        }
        fn stream(&self, i: usize) -> Result<Box<dyn std::io::Read + '_>, String> {
            self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(Box::new(Counted(&self.0[i].bytes[..], &self.2)))
        }
    }

    /// A history and a text of several of the scan's 4 MiB windows, with tokens and multi-line
    /// keys throughout (some across the windows' edges), and the demo's files.
    fn large_texts() -> (Vec<Input>, Vec<String>) {
        use scan::fake::{generate, Rng};
        let mut rng = Rng::new(11);
        let pem = generate("@pem", &mut rng).secret;
        assert!(pem.lines().count() > 10, "a multi-line key");
        let tokens: Vec<String> = (0..30)
            .map(|_| generate("ghp_{an:30}{crc}", &mut rng).secret)
            .collect();
        let filler = "y".repeat(79) + "\n";
        let mut log = String::new();
        for (c, t) in tokens.iter().enumerate() {
            log += &format!(
                "commit {c:040x}\nAuthor: Dev <dev@example.com>\nDate:   Mon Jan 5 10:00:{:02} 2026 +0000\n\n    change {c}\n\n\
                 diff --git a/app.env b/app.env\n--- a/app.env\n+++ b/app.env\n@@ -1,2 +1,2 @@\n-OLD=1\n+TOKEN={t}\n",
                c % 60
            );
            for l in filler.repeat(4000).lines() {
                log += &format!("+{l}\n");
            }
            if c % 7 == 3 {
                for l in pem.lines() {
                    log += &format!("+{l}\n");
                }
            }
        }
        let mut text = String::new();
        // Keys a few lines before each window's end, ending after it.
        let before = (4 << 20) / filler.len() - 3;
        for t in &tokens[..3] {
            text += &filler.repeat(before);
            text += &format!("{pem}\nTOKEN={t}\n");
        }
        // A text with invalid UTF-8 past the stream's head: read whole for the inventory (its
        // problems name the lines), and its scan is the whole text's.
        let mut damaged = text.clone().into_bytes();
        damaged.truncate(6 << 20);
        damaged.extend_from_slice(b"latin-1 \xe9t\xe9\nTOKEN=");
        damaged.extend_from_slice(tokens[9].as_bytes());
        damaged.push(b'\n');
        let mut inputs = demo::inputs();
        inputs.push(Input::new("big-history.log", log));
        inputs.push(Input::new("big-notes.txt", text));
        inputs.push(Input::new("damaged.txt", damaged));
        (inputs, tokens)
    }

    #[test]
    fn large_texts_read_as_streams_make_the_report_of_reading_them_whole() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        let (inputs, tokens) = large_texts();
        assert!(inputs.iter().any(|i| i.bytes.len() > 3 * (4 << 20)));
        let known = [scan::known_key::KnownKey::parse(&tokens[5]).unwrap()];
        let whole_texts = |inputs: &[Input], report: &Report| {
            let texts = report.evidence.iter().zip(inputs);
            let texts: Vec<_> = texts.filter(|(e, _)| e.kind.is_text()).collect();
            let bytes: usize = texts.iter().map(|(_, i)| i.bytes.len()).sum();
            (texts.len(), bytes)
        };
        // Without the damaged text too: every text is then read once, by the scan.
        let undamaged = &inputs[..inputs.len() - 1];
        for inputs in [&inputs[..], undamaged] {
            let damaged = inputs.len() > undamaged.len();
            for known_keys in [&[][..], &known[..]] {
                let ctx = Context {
                    known_keys: known_keys.to_vec(),
                    ..Context::default()
                };
                let whole = triage(inputs, &ctx);
                // What the test says is there: the tokens and the multi-line key, found.
                assert!(
                    whole.scan.secrets.len() > tokens.len(),
                    "{}",
                    whole.scan.secrets.len()
                );
                let want = whole.to_json();
                let (texts, text_bytes) = whole_texts(inputs, &whole);
                for jobs in [1, 2] {
                    let source = Streaming(inputs, AtomicUsize::new(0), AtomicUsize::new(0));
                    let run = Run {
                        jobs,
                        step: &mut |_| {},
                    };
                    let got = triage_source(&source, &ctx, run, &mut || 0.0).0.to_json();
                    let case = format!("{jobs} job(s), {} known keys", known_keys.len());
                    assert!(got == want, "{case}, damaged {damaged}");
                    let (opened, read) = (source.1.load(SeqCst), source.2.load(SeqCst));
                    if !known_keys.is_empty() {
                        // Each file's evidence from a stream; the texts are searched whole.
                        assert_eq!(opened, inputs.len(), "{case}");
                    } else if !damaged {
                        // Each file's evidence from a stream, each text's only from its head;
                        // each text's scan and the rest of its row from one more.
                        assert_eq!(opened, inputs.len() + texts, "{case}");
                        let heads = texts * crate::evidence::source::HEAD_BYTES;
                        assert!(read <= text_bytes + heads, "{case}: {read} bytes read");
                    } else {
                        // The damaged text's tally says it is read whole; then the texts are
                        // scanned again, it whole.
                        assert_eq!(opened, inputs.len() + texts + (texts - 1), "{case}");
                    }
                }
            }
        }
    }

    /// The usage exports the evidence stage finds quiet by their digest are not matched again,
    /// and the scan's report is the one of a run that matches every file in its turn.
    #[test]
    fn exports_found_quiet_while_read_give_the_scan_of_matching_each() {
        let inputs = demo::inputs();
        for ctx in [
            Context::default(),
            Context {
                known_keys: vec![scan::known_key::KnownKey::parse("sk-proj-abc...BUWv").unwrap()],
                ..Context::default()
            },
        ] {
            // The page's reading, whose helpers match every file alone, makes no digest.
            assert!(triage_read(&inputs, &ctx, &mut || 0.0).quiet.is_empty());
            let read = read_stage(&inputs.as_slice(), &ctx, 1, false, &mut |_| {}, &mut || 0.0);
            let quiet: Vec<_> = read.quiet.keys().map(|k| k.1).collect();
            // The CloudTrail gzip (by what it inflated to) and the usage CSV; none when
            // known keys are searched for.
            assert_eq!(quiet.len(), if ctx.known_keys.is_empty() { 2 } else { 0 });
            let (rest, _) = triage_rest(&inputs, read, &mut |_| None, &mut || 0.0);
            let each = triage_events(&inputs, &[], &ctx);
            assert_eq!(rest.scan, each.scan);
            assert!(rest.scan.totals.files_scanned >= 4);
        }
    }

    /// The page's worker reads, waits for its helpers, then finishes: the same report as one
    /// run, with the quiet files' matching taken from the helpers.
    #[test]
    fn read_then_rest_with_files_matched_alone_is_the_one_run_report() {
        let inputs = demo::inputs();
        let key = scan::known_key::KnownKey::parse("sk-proj-abc...BUWv").unwrap();
        for ctx in [
            Context::default(),
            Context {
                known_keys: vec![key],
                ..Context::default()
            },
        ] {
            let (one, _) = triage_timed(&inputs, &ctx, &mut || 0.0);
            let alone: Vec<_> = inputs.iter().map(scan::match_alone).collect();
            let read = triage_read(&inputs, &ctx, &mut || 0.0);
            let (rest, times) = triage_rest(&inputs, read, &mut |i| alone[i].clone(), &mut || 0.0);
            assert_eq!(rest, one);
            assert_eq!(rest.to_json(), one.to_json());
            let quiet = alone.iter().filter(|q| q.is_some()).count() as u64;
            assert!(quiet > 0 && quiet < inputs.len() as u64, "{quiet}");
            // A known key is searched in every file by the run itself.
            let taken = if ctx.known_keys.is_empty() { quiet } else { 0 };
            assert_eq!(times.matched_elsewhere, taken);
        }
    }
}
