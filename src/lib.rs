//! leaktriage: offline triage of leaked AI-provider keys and agent credentials.
//!
//! The engine is pure: [`triage`] takes the evidence files as bytes and a [`Context`]
//! (the current time, the awareness time, what the responder knows) and returns one
//! [`Report`], the same in the browser's worker, the native CLI and the tests.
//! It reads no clock, does no I/O and knows no browser type.

pub mod context;
pub mod demo;
pub mod detect;
pub mod evidence;
pub mod report;
pub mod scan;
pub mod secret;

#[cfg(feature = "ui")]
pub mod ui;

pub use context::Context;
pub use evidence::{EvidenceFile, EvidenceKind, Input, Problem};
pub use report::{Report, SCHEMA_VERSION};

/// The tool's version, as written into every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Runs the whole engine over the given evidence.
///
/// Never panics on input: every problem with a file becomes a [`Problem`] in the report.
pub fn triage(inputs: &[Input], ctx: &Context) -> Report {
    let (evidence, events) = evidence::read_all(inputs, ctx);
    finish(inputs, evidence, &events, ctx)
}

/// Runs the engine over evidence files and usage events parsed elsewhere (tests, benchmarks):
/// the detectors see only `events`.
pub fn triage_events(
    inputs: &[Input],
    events: &[evidence::event::UsageEvent],
    ctx: &Context,
) -> Report {
    let (evidence, _) = evidence::read_all(inputs, ctx);
    finish(inputs, evidence, events, ctx)
}

/// The stages after reading: detect over the events, scan the texts, assemble the report.
fn finish(
    inputs: &[Input],
    evidence: Vec<EvidenceFile>,
    events: &[evidence::event::UsageEvent],
    ctx: &Context,
) -> Report {
    let params = ctx.detect_params.clone().unwrap_or_default();
    let detection = detect::detect(events, &params, ctx.compromise_start);
    let kinds: Vec<EvidenceKind> = evidence.iter().map(|e| e.kind).collect();
    let mut report = Report::new(evidence, ctx).with_detection(detection);
    report.scan = scan::scan_inputs_of_kinds(inputs, &kinds, ctx);
    report.conclude(ctx)
}
